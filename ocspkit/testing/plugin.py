"""The ocspkit pytest plugin: OCSP fixtures for any test suite that asks for them. Installing
ocspkit does not load it (no ``pytest11`` entry point); a project opts in with
``pytest -p ocspkit.testing.plugin``, the same ``-p`` in its ``addopts``, or
``pytest_plugins = ["ocspkit.testing.plugin"]`` in its top-level ``conftest.py``.

Fixtures:

``ocsp_pki`` (session)
    A :class:`~ocspkit.testing.TestPKI`: root, intermediate, delegated responder. ECDSA P-256 by
    default (key generation in a millisecond); ``--ocsp-key-algorithm=rsa`` or the ini option
    ``ocsp_key_algorithm = rsa`` for RSA-2048. Override the fixture for anything else.
``ocsp_leaf``
    A fresh leaf certificate of ``ocsp_pki`` (a :class:`~ocspkit.testing.CertifiedKey`).
``ocsp_scenario``
    A :class:`~ocspkit.testing.ScenarioFactory` on ``ocsp_pki``:
    ``ocsp_scenario("revoked", reason="key_compromise").response_der``.
``ocsp_responder``
    An :class:`~ocspkit.testing.InProcessResponder` for ``ocsp_pki``, running on a free loopback
    port for the test: ``ocsp_responder.url``, ``ocsp_responder.set_status(leaf, "revoked")``.

The PKI is made when a test first asks for one, so the plugin costs a run that does not use it
only the import of ocspkit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import pytest

from .pki import CertifiedKey, TestPKI
from .scenarios import ScenarioFactory

if TYPE_CHECKING:  # pragma: no cover - the responder (an HTTP server) is imported when first used
    from .responder import InProcessResponder

__all__ = ["ocsp_leaf", "ocsp_pki", "ocsp_responder", "ocsp_scenario"]

_ALGORITHMS = ("ec", "rsa")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ocspkit", "OCSP fixtures (ocspkit.testing)")
    group.addoption(
        "--ocsp-key-algorithm",
        choices=_ALGORITHMS,
        default=None,
        help="key algorithm of the ocsp_pki fixture: ec (default, fast) or rsa",
    )
    parser.addini("ocsp_key_algorithm", "key algorithm of the ocsp_pki fixture: ec (default) or rsa", default="ec")


@pytest.fixture(scope="session")
def ocsp_pki(pytestconfig: pytest.Config) -> Iterator[TestPKI]:
    """A test PKI for the whole session: root, intermediate, delegated OCSP responder."""
    algorithm = pytestconfig.getoption("ocsp_key_algorithm") or pytestconfig.getini("ocsp_key_algorithm") or "ec"
    if algorithm not in _ALGORITHMS:
        raise pytest.UsageError(f"ocsp_key_algorithm is ec or rsa, got {algorithm!r}")
    pki = TestPKI(str(algorithm))
    yield pki
    pki.close()


@pytest.fixture
def ocsp_leaf(ocsp_pki: TestPKI) -> CertifiedKey:
    """A new leaf certificate issued by ``ocsp_pki``'s intermediate (CN and SAN ``localhost``)."""
    return ocsp_pki.issue_leaf(
        "localhost", private_key=ocsp_pki.shared_leaf_key, subject_alt_names=["localhost", "127.0.0.1"]
    )


@pytest.fixture
def ocsp_scenario(ocsp_pki: TestPKI) -> ScenarioFactory:
    """Make OCSP scenarios: ``ocsp_scenario("expired")``, ``ocsp_scenario("revoked", cert=leaf)``."""
    return ScenarioFactory(ocsp_pki)


@pytest.fixture
def ocsp_responder(ocsp_pki: TestPKI) -> Iterator[InProcessResponder]:
    """An OCSP responder for ``ocsp_pki`` on a free loopback port, for the test's duration."""
    responder = ocsp_pki.serve()
    with responder:  # the with statement gives the URL; the fixture gives the responder
        yield responder
