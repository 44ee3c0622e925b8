"""The tests of revcheck (ocsp_client.py), written with ocspkit's pytest fixtures.

No setup: installing ocspkit makes ``ocsp_pki``, ``ocsp_leaf``, ``ocsp_scenario`` and
``ocsp_responder`` available to every test.
"""

from __future__ import annotations

import socket

import pytest
from ocsp_client import RevocationCheckError, check_online, check_stapled, ocsp_url

from ocspkit.testing import SCENARIOS


@pytest.fixture
def trusted(ocsp_pki):
    return [ocsp_pki.root.certificate]


@pytest.fixture
def issuer(ocsp_pki):
    return ocsp_pki.intermediate.certificate


# -- asking the responder --------------------------------------------------------------------------


def test_a_good_certificate(ocsp_responder, issuer, trusted):
    leaf = ocsp_responder.issue_leaf("www.example")
    assert ocsp_url(leaf.certificate) == ocsp_responder.url
    result = check_online(leaf.certificate, issuer, trusted)
    assert result.good
    assert result.next_update is not None


def test_a_certificate_revoked_while_the_client_runs(ocsp_responder, issuer, trusted):
    leaf = ocsp_responder.issue_leaf("www.example")
    assert check_online(leaf.certificate, issuer, trusted).good
    ocsp_responder.set_status(leaf, "revoked", reason="key_compromise")
    result = check_online(leaf.certificate, issuer, trusted)
    assert result.status == "revoked"
    assert result.revocation_reason == "keyCompromise"


def test_an_unknown_certificate(ocsp_responder, issuer, trusted):
    leaf = ocsp_responder.issue_leaf("www.example")
    ocsp_responder.set_status(leaf, "unknown")
    assert check_online(leaf.certificate, issuer, trusted).status == "unknown"


def test_the_client_sends_a_nonce_and_checks_it(ocsp_responder, ocsp_scenario, issuer, trusted):
    leaf = ocsp_responder.issue_leaf("www.example")
    check_online(leaf.certificate, issuer, trusted)
    (request,) = ocsp_responder.requests
    assert request.nonce is not None and len(request.nonce) == 32
    # A response made beforehand (without the client's nonce) must be refused.
    ocsp_responder.answer_with(ocsp_scenario("good", cert=leaf))
    with pytest.raises(RevocationCheckError) as info:
        check_online(leaf.certificate, issuer, trusted)
    assert info.value.reason == "nonce"


@pytest.mark.parametrize("error", ["try-later", "internal-error", "malformed-request", "unauthorized"])
def test_the_responder_refuses(ocsp_responder, issuer, trusted, error):
    leaf = ocsp_responder.issue_leaf("www.example")
    ocsp_responder.answer_with(error)
    with pytest.raises(RevocationCheckError) as info:
        check_online(leaf.certificate, issuer, trusted)
    assert info.value.reason == "responder-error"


def test_the_responder_is_down(ocsp_leaf, issuer, trusted):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(RevocationCheckError) as info:
        check_online(ocsp_leaf.certificate, issuer, trusted, url=f"http://127.0.0.1:{port}/", timeout=2)
    assert info.value.reason == "unreachable"


def test_a_certificate_without_a_responder(ocsp_leaf, issuer, trusted):
    with pytest.raises(RevocationCheckError, match="no-responder"):
        check_online(ocsp_leaf.certificate, issuer, trusted)


# -- stapled responses -----------------------------------------------------------------------------


@pytest.mark.parametrize("reason", [None, "key_compromise", "superseded", "certificate_hold"])
def test_a_stapled_revocation(ocsp_scenario, issuer, trusted, reason):
    scenario = ocsp_scenario("revoked", reason=reason)
    result = check_stapled(scenario.response_der, scenario.cert.certificate, issuer, trusted)
    assert result.status == "revoked"
    assert result.revocation_reason == (None if reason is None else scenario.expected.revocation_reason.asn1_name)


# Every situation ocspkit can stage, stapled: the client must conclude what the scenario intends.
# (The nonce scenarios are about a request this client does not send for staples.)
STAPLED = [name for name in SCENARIOS if not name.startswith("nonce")]


@pytest.mark.parametrize("name", STAPLED)
def test_every_stapled_situation(ocsp_scenario, issuer, trusted, name):
    scenario = ocsp_scenario(name)
    if scenario.expected.valid:
        result = check_stapled(scenario.response_der, scenario.cert.certificate, issuer, trusted)
        assert result.status == scenario.expected.status.name.lower()
    else:
        with pytest.raises(RevocationCheckError):
            check_stapled(scenario.response_der, scenario.cert.certificate, issuer, trusted)


def test_an_expired_staple_is_refused(ocsp_scenario, ocsp_leaf, issuer, trusted):
    scenario = ocsp_scenario("expired", cert=ocsp_leaf)
    with pytest.raises(RevocationCheckError) as info:
        check_stapled(scenario.response_der, ocsp_leaf.certificate, issuer, trusted)
    assert info.value.reason == "validity"


def test_a_staple_about_another_certificate_is_refused(ocsp_scenario, ocsp_leaf, issuer, trusted):
    other = ocsp_scenario("good")  # about a leaf of its own
    with pytest.raises(RevocationCheckError) as info:
        check_stapled(other.response_der, ocsp_leaf.certificate, issuer, trusted)
    assert info.value.reason == "certid_mismatch"


def test_no_staple(ocsp_leaf, issuer, trusted):
    with pytest.raises(RevocationCheckError, match="no-staple"):
        check_stapled(b"", ocsp_leaf.certificate, issuer, trusted)


def test_garbage_stapled(ocsp_leaf, issuer, trusted):
    with pytest.raises(RevocationCheckError) as info:
        check_stapled(b"\x30\x03\x0a\x01", ocsp_leaf.certificate, issuer, trusted)
    assert info.value.reason == "malformed"
