"""Test fixtures for OCSP (trustme for OCSP): a throw-away PKI, a scenario factory for every OCSP
situation a client must handle, an in-process responder, and a pytest plugin a project opts in
to (:mod:`ocspkit.testing.plugin`: ``pytest -p ocspkit.testing.plugin``).

Certificates are built with asn1crypto and ocspkit's crypto seam only; nothing here needs pytest
except the plugin module. See docs/testing.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .pki import Blob, CertifiedKey, PKIFiles, TestPKI, make_certificate
from .scenarios import (
    SCENARIOS,
    VARIANTS,
    Expected,
    OpenSSLExpectation,
    Scenario,
    ScenarioFactory,
    ScenarioFiles,
    ScenarioInfo,
    make_scenario,
)

if TYPE_CHECKING:  # pragma: no cover
    from .responder import InProcessResponder

__all__ = [
    "SCENARIOS",
    "VARIANTS",
    "Blob",
    "CertifiedKey",
    "Expected",
    "InProcessResponder",
    "OpenSSLExpectation",
    "PKIFiles",
    "Scenario",
    "ScenarioFactory",
    "ScenarioFiles",
    "ScenarioInfo",
    "TestPKI",
    "make_certificate",
    "make_scenario",
]


def __getattr__(name: str) -> Any:
    # The responder pulls in the HTTP server: imported on first use only.
    if name == "InProcessResponder":
        from .responder import InProcessResponder

        return InProcessResponder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
