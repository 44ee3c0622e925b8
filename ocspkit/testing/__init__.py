"""Test fixtures for OCSP: a throw-away PKI and (later) scenarios, an in-process responder and a
pytest plugin. Certificates are built with asn1crypto and ocspkit's crypto seam only."""

from __future__ import annotations

from .pki import CertifiedKey, TestPKI, make_certificate

__all__ = ["CertifiedKey", "TestPKI", "make_certificate"]
