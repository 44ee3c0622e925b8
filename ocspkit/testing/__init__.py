"""Test fixtures for OCSP (trustme for OCSP): a throw-away PKI, a scenario factory for every OCSP
situation a client must handle, an in-process responder, and a pytest plugin a project opts in
to (:mod:`ocspkit.testing.plugin`: ``pytest -p ocspkit.testing.plugin``).

Certificates are built with asn1crypto and ocspkit's crypto seam only; nothing here needs pytest
except the plugin module. See docs/testing.md.

The modules build on one another in one order, and none imports one above it at import time:
``_values`` (names of statuses and reasons), ``pki``, ``scenarios``, ``responder``, ``plugin``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, List

from .pki import CONVENIENCES, Blob, CertifiedKey, PKIFiles, TestPKI, make_certificate

if TYPE_CHECKING:  # pragma: no cover
    from .responder import InProcessResponder
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



def _make_scenario(name: str, pki: TestPKI, **options: Any) -> Scenario:
    from .scenarios import make_scenario  # lazy: scenarios import requests, responses, verification

    return make_scenario(name, pki, **options)


def _serve(pki: TestPKI, **options: Any) -> InProcessResponder:
    from .responder import InProcessResponder  # lazy: the responder brings in the HTTP server

    return InProcessResponder(pki, **options)


# TestPKI.scenario() and .serve(): pki.py is below the modules they need (see pki.Conveniences).
CONVENIENCES.make_scenario = _make_scenario
CONVENIENCES.serve = _serve

# Imported on first use (PEP 562): the scenarios bring in requests, responses and verification,
# the responder the HTTP server; a test that only needs a PKI pays for neither.
_LAZY = {
    "InProcessResponder": "responder",
    **dict.fromkeys(
        ("SCENARIOS", "VARIANTS", "Expected", "OpenSSLExpectation", "Scenario", "ScenarioFactory", "ScenarioFiles",
         "ScenarioInfo", "make_scenario"),
        "scenarios",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        if name == "scenarios":  # the submodule, as the eager import of earlier versions bound it
            return importlib.import_module(".scenarios", __name__)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(__all__))
