"""ocspkit.testing: the test PKI's outputs and every scenario, judged as each intends.

Each scenario (every name of SCENARIOS, every revocation reason, RSA and ECDSA) is judged twice:

    openssl ocsp -respin response.der -CAfile root.pem -verify_other issuer.pem -attime NOW
                 -issuer issuer.pem -cert cert.pem      (or -reqin request.der for nonce scenarios)
    ocspkit.check_status(response, cert, issuer, trusted=[root], request=request, now=NOW)

and both must say what ``scenario.expected`` says: OpenSSL's verify line, the status it prints,
its error / warning text and exit status; the status check_status returns or the exception class
it raises. Everything is made for one fixed NOW, the time the module starts: openssl's -attime
fixes the chain's time, but OpenSSL checks thisUpdate/nextUpdate against the wall clock, so NOW
stays close to it (the stale scenarios are an hour off, far beyond any test run).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, Dict, List, Mapping, Tuple

import _openssl_cli
import pytest
from asn1crypto import x509

import ocspkit
from ocspkit import CertStatus, ParseError, RevocationReason, crypto
from ocspkit.request import RequestBuilder
from ocspkit.testing import (
    SCENARIOS,
    VARIANTS,
    Blob,
    CertifiedKey,
    Scenario,
    ScenarioFactory,
    TestPKI,
    make_scenario,
)

NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)

# What the issue asks for, by scenario name.
REQUIRED = {
    "good", "revoked", "unknown", "expired", "not-yet-valid", "no-next-update", "ca-signed", "delegated",
    "unauthorized-signer", "responder-without-eku", "bad-signature", "wrong-responder-id", "other-certid",
    "multiple", "sha256-certid", "nonce", "nonce-missing", "nonce-wrong", "fractional-seconds",
    "ber-indefinite-length", "ber-long-form-length", "ber-constructed-octet-string",
    "malformed-request", "internal-error", "try-later", "sig-required", "unauthorized",
}

# A few option combinations on top of the presets.
EXTRA: Tuple[Tuple[str, str, Mapping[str, Any]], ...] = (
    ("wrong-responder-id-by-key", "wrong-responder-id", {"responder_id": "key"}),
    ("ca-signed-no-certs", "ca-signed", {"certs": "none"}),
    ("delegated-chain", "delegated", {"certs": "chain", "responder_id": "key"}),
    ("revoked-sha256-sha384", "revoked", {"certid_hash": "sha256", "hash_algorithm": "sha384",
                                          "reason": "keyCompromise"}),
    ("expired-revoked", "expired", {"status": "revoked"}),
    ("multiple-unknown", "multiple", {"status": "unknown"}),
    ("nonce-revoked", "nonce", {"status": "revoked", "reason": 1}),
    ("bad-signature-ca", "bad-signature", {"signer": "ca", "certs": "none", "responder_id": "key"}),
    ("revoked-ca-signed", "revoked", {"signer": "ca", "reason": "superseded"}),
    ("unauthorized-signer-chain", "unauthorized-signer", {"certs": "chain"}),
)
CASES = (*VARIANTS, *EXTRA)


@pytest.fixture(scope="module", params=["ec", "rsa"])
def factory(request: pytest.FixtureRequest) -> ScenarioFactory:
    return ScenarioFactory(TestPKI(request.param, now=NOW), now=NOW)


@pytest.fixture(scope="module")
def openssl_version(openssl_bin: str) -> Tuple[int, int]:
    return _openssl_cli.version()


def run_openssl(scenario: Scenario, openssl_bin: str, directory: Path) -> Tuple[int, str, Any]:
    files = scenario.write(directory)
    result = _openssl_cli.run(scenario.openssl_args(files, openssl_bin), cwd=directory)
    return result.returncode, result.stdout + result.stderr, files


def status_block(output: str, cert: Path) -> Dict[str, str]:
    """The lines openssl prints for ``-cert cert.pem``: the status and its indented fields."""
    m = re.search(
        rf"^{re.escape(str(cert))}: (?:WARNING: Status times invalid\.\n(?:.*:error:.*\n)*)?(\S.*)\n((?:\t.+\n)*)",
        output,
        re.M,
    )
    assert m, output
    fields = {"status": m.group(1)}
    for line in m.group(2).splitlines():
        key, _, value = line.strip().partition(": ")
        fields[key] = value
    return fields


def openssl_reason(reason: RevocationReason, version: Tuple[int, int]) -> str:
    # OCSP_crl_reason_str learnt privilegeWithdrawn and aACompromise in OpenSSL 3.2.
    if version < (3, 2) and reason in (RevocationReason.PRIVILEGE_WITHDRAWN, RevocationReason.AA_COMPROMISE):
        return "(UNKNOWN)"
    return reason.openssl_name


# ------------------------------------------------------------------------------------------------
# The catalogue


def test_every_required_scenario_is_listed() -> None:
    assert set(SCENARIOS) >= REQUIRED
    assert all(info.description for info in SCENARIOS.values())
    ids = [v[0] for v in VARIANTS]
    assert len(ids) == len(set(ids))
    assert {f"revoked-{r.asn1_name}" for r in RevocationReason} <= set(ids)


def test_factory_all_makes_every_variant(factory: ScenarioFactory) -> None:
    made = list(factory.all())
    assert [s.name for s in made] == [name for _, name, _ in VARIANTS]
    assert len({s.cert.serial_number for s in made}) == len(made)  # a leaf each


# ------------------------------------------------------------------------------------------------
# Judged by openssl


@pytest.mark.parametrize(("case", "name", "options"), CASES, ids=[c[0] for c in CASES])
def test_openssl_judges_the_scenario_as_intended(
    case: str, name: str, options: Mapping[str, Any], factory: ScenarioFactory, openssl_bin: str,
    openssl_version: Tuple[int, int], tmp_path: Path,
) -> None:
    scenario = factory(name, **options)
    expected = scenario.expected.openssl
    code, output, files = run_openssl(scenario, openssl_bin, tmp_path)
    context = f"{' '.join(scenario.openssl_args(files, 'openssl'))}\n{output}"

    assert code == expected.exit_code, context
    verified = True if "Response verify OK" in output else False if "Response Verify Failure" in output else None
    assert verified is expected.verified, context
    if expected.message is not None:
        assert expected.message in output, context
    if expected.verified is False:
        # The failure is the one intended, not a chain error on the way.
        assert "certificate verify error" not in output, context
    if expected.status is None:
        assert not re.search(r": (good|revoked|unknown)$", output, re.M), context
        return
    block = status_block(output, files.cert)
    assert block["status"] == expected.status, context
    single = scenario.response.responses[0]
    assert "This Update" in block
    assert ("Next Update" in block) is (single.next_update is not None), context
    if expected.status == "revoked":
        assert "Revocation Time" in block
        reason = scenario.expected.revocation_reason
        if reason is None:
            assert "Reason" not in block, context
        else:
            assert block["Reason"] == openssl_reason(reason, openssl_version), context
    if scenario.expected.valid:
        assert "WARNING" not in output and ":error:" not in output, context


# ------------------------------------------------------------------------------------------------
# Judged by ocspkit


@pytest.mark.parametrize(("case", "name", "options"), CASES, ids=[c[0] for c in CASES])
def test_ocspkit_judges_the_scenario_as_intended(
    case: str, name: str, options: Mapping[str, Any], factory: ScenarioFactory
) -> None:
    scenario = factory(name, **options)
    expected = scenario.expected
    if expected.valid:
        result = scenario.check_status()
        assert result.status is expected.status
        assert result.revocation_reason == expected.revocation_reason
        if result.revoked:
            assert result.revocation_time == NOW - dt.timedelta(hours=1)
        return
    error_class = expected.error_class
    assert error_class is not None
    with pytest.raises(error_class) as info:
        scenario.check_status()
    # The exact class, not a subclass of it or its parent.
    assert type(info.value) is error_class

    # The same verdict with the issuer as the only trust anchor (check_status's default),
    # except for the signer the root issued: it does not chain to the issuer at all.
    if name == "unauthorized-signer":
        with pytest.raises(ocspkit.VerificationError):
            scenario.check_status(trusted=None)
    else:
        with pytest.raises(error_class):
            scenario.check_status(trusted=None)


@pytest.mark.parametrize(("case", "name", "options"), CASES, ids=[c[0] for c in CASES])
def test_verify_response_agrees_with_openssl_verify(
    case: str, name: str, options: Mapping[str, Any], factory: ScenarioFactory
) -> None:
    """OCSP_basic_verify's part (signature, signer, authorization) on its own: ocspkit's
    verify_response succeeds exactly where OpenSSL prints "Response verify OK"."""
    scenario = factory(name, **options)
    openssl_verified = scenario.expected.openssl.verified
    if openssl_verified is None:  # openssl stopped before verifying: an error status, another nonce
        if not scenario.response.successful:
            with pytest.raises(ocspkit.OCSPError):
                scenario.verify_response()
        else:
            assert scenario.verify_response().signer is not None
        return
    if openssl_verified:
        verdict = scenario.verify_response()
        assert scenario.signer is not None
        assert verdict.signer.dump() == scenario.signer.certificate.dump()
    else:
        error_class = scenario.expected.error_class
        assert error_class is not None
        with pytest.raises(error_class):
            scenario.verify_response()


def test_nonce_missing_is_accepted_when_allowed(factory: ScenarioFactory) -> None:
    scenario = factory("nonce-missing")
    assert scenario.check_status(allow_missing_nonce=True).good
    assert scenario.request is not None and scenario.request.nonce is not None
    assert scenario.response.nonce is None


def test_nonce_wrong_differs_from_the_request(factory: ScenarioFactory) -> None:
    scenario = factory("nonce-wrong")
    assert scenario.request is not None
    assert scenario.response.nonce not in (None, scenario.request.nonce)
    assert len(scenario.response.nonce or b"") == len(scenario.request.nonce or b"")


def test_nonce_echoes_the_request_exactly(factory: ScenarioFactory) -> None:
    scenario = factory("nonce")
    assert scenario.request is not None
    assert scenario.response.nonce == scenario.request.nonce
    assert ocspkit.check_nonce(scenario.request, scenario.response) is ocspkit.NonceCheck.EQUAL


# ------------------------------------------------------------------------------------------------
# What is in the responses


def test_ber_scenarios_are_ber_only(factory: ScenarioFactory) -> None:
    codes = {
        "ber-indefinite-length": {"indefinite_length"},
        "ber-long-form-length": {"length_not_minimal"},
        "ber-constructed-octet-string": {"constructed_primitive"},
    }
    for name, expected in codes.items():
        scenario = factory(name)
        response = ocspkit.load_response(scenario.response_der)
        assert response.dump() == scenario.response_der
        found = {d.code for d in response.deviations}
        assert expected <= found, (name, found)
        with pytest.raises(ParseError, match="not DER"):
            ocspkit.load_response(scenario.response_der, strict=True)


@pytest.mark.parametrize("name", [n for n in SCENARIOS if not n.startswith("ber-")])
def test_other_scenarios_are_der(name: str, factory: ScenarioFactory) -> None:
    scenario = factory(name)
    assert ocspkit.load_response(scenario.response_der, strict=True).dump() == scenario.response_der
    if scenario.request_der is not None:
        ocspkit.load_request(scenario.request_der, strict=True)


def test_fractional_seconds_are_written_and_read(factory: ScenarioFactory) -> None:
    scenario = factory("fractional-seconds")
    single = scenario.response.responses[0]
    assert single.this_update == NOW - dt.timedelta(milliseconds=750)
    assert single.next_update == NOW + dt.timedelta(days=1, milliseconds=125)
    assert scenario.response.produced_at == NOW - dt.timedelta(milliseconds=500)
    assert re.search(rb"\d{14}\.25Z", scenario.response_der)


def test_times_are_placed_relative_to_now(factory: ScenarioFactory) -> None:
    single = factory("good").response.responses[0]
    assert (single.this_update, single.next_update) == (NOW, NOW + dt.timedelta(days=1))
    expired = factory("expired").response.responses[0]
    assert expired.next_update == NOW - dt.timedelta(hours=1)
    future = factory("not-yet-valid").response.responses[0]
    assert future.this_update == NOW + dt.timedelta(hours=1)
    assert factory("no-next-update").response.responses[0].next_update is None


def test_signers_and_responder_ids(factory: ScenarioFactory) -> None:
    pki = factory.pki
    assert factory("good").signer is pki.responder
    assert factory("ca-signed").signer is pki.intermediate
    assert factory("unauthorized-signer").signer is pki.unauthorized_responder
    assert factory("responder-without-eku").signer is pki.responder_without_eku
    by_key = factory("responder-id-by-key").response.responder_id
    assert by_key.key_hash == crypto.key_hash(pki.responder.certificate.public_key)
    wrong = factory("wrong-responder-id").response.responder_id
    assert wrong.name is not None and wrong.name.native == {"common_name": "ocspkit Test Nobody"}
    assert factory("ca-signed", certs="none").response.certs == ()
    chain = factory("delegated", certs="chain").response.basic.certs_der
    assert chain == (pki.responder.cert_der, pki.intermediate.cert_der)


def test_multiple_and_other_certid(factory: ScenarioFactory) -> None:
    scenario = factory("multiple")
    statuses = [s.cert_status for s in scenario.response.responses]
    assert statuses == [CertStatus.GOOD, CertStatus.REVOKED, CertStatus.UNKNOWN]
    assert scenario.response.responses[0].cert_id == scenario.cert_id
    assert len({s.cert_id.serial_number for s in scenario.response.responses}) == 3
    other = factory("other-certid")
    (single,) = other.response.responses
    assert single.cert_id.serial_number != other.cert.serial_number
    assert single.cert_id.same_issuer(other.cert_id)


def test_sha256_certids(factory: ScenarioFactory) -> None:
    scenario = factory("sha256-certid")
    assert scenario.certid_hash == "sha256"
    assert scenario.response.responses[0].cert_id == ocspkit.CertID.from_cert(
        scenario.cert.certificate, scenario.issuer.certificate, "sha256"
    )


def test_unsuccessful_statuses(factory: ScenarioFactory) -> None:
    for name, status in (("malformed-request", 1), ("internal-error", 2), ("try-later", 3),
                         ("sig-required", 5), ("unauthorized", 6)):
        scenario = factory(name)
        assert scenario.response.response_status == status
        assert scenario.response_der == ocspkit.unsuccessful_response(status).dump()
        with pytest.raises(ocspkit.UnsuccessfulResponse) as info:
            scenario.check_status()
        assert info.value.status == status


# ------------------------------------------------------------------------------------------------
# Options


def test_a_clients_request_is_answered(factory: ScenarioFactory) -> None:
    leaf = factory.leaf("client.example")
    request = RequestBuilder().add_cert(leaf.certificate, factory.pki.intermediate.certificate, "sha256") \
        .with_nonce(b"\x01" * 16).build()
    scenario = factory("revoked", cert=leaf, request=request.dump(), reason="key_compromise")
    assert scenario.cert is leaf
    assert scenario.certid_hash == "sha256"  # the request's hash, followed
    assert scenario.response.nonce == b"\x01" * 16
    assert scenario.request_der == request.dump()
    assert scenario.check_status().revoked
    assert scenario.expected.openssl.status is None  # judged with -reqin: openssl prints no status
    # The same request, the nonce altered or left out.
    with pytest.raises(ocspkit.NonceMismatch):
        factory("nonce-wrong", cert=leaf, request=request).check_status()
    assert factory("nonce-missing", cert=leaf, request=request).response.nonce is None
    # A request without a nonce: nothing to echo, nothing to leave out.
    plain = RequestBuilder().add_cert(leaf.certificate, factory.pki.intermediate.certificate).build()
    assert factory("good", cert=leaf, request=plain).response.nonce is None
    with pytest.raises(ocspkit.OCSPValueError, match="nonce"):
        factory("nonce-wrong", request=plain)


def test_a_request_turns_openssl_to_reqin(factory: ScenarioFactory) -> None:
    leaf = factory.leaf()
    plain = RequestBuilder().add_cert(leaf.certificate, factory.pki.intermediate.certificate).build()
    # With -reqin openssl prints no status, so neither the validity warning nor "No Status found".
    expired = factory("expired", cert=leaf, request=plain).expected
    assert (expired.error, expired.openssl.status, expired.openssl.message, expired.openssl.exit_code) == (
        "StaleResponse", None, None, 0)
    failure = factory("bad-signature", cert=leaf, request=plain).expected.openssl
    assert (failure.verified, failure.message, failure.exit_code) == (False, "signature failure", 1)


def test_reason_spellings(factory: ScenarioFactory) -> None:
    for spelling in ("key_compromise", "keyCompromise", "KEY_COMPROMISE", 1, RevocationReason.KEY_COMPROMISE):
        scenario = factory("revoked", reason=spelling)
        assert scenario.response.responses[0].revocation_reason is RevocationReason.KEY_COMPROMISE
    when = NOW - dt.timedelta(days=3)
    assert factory("revoked", revocation_time=when).response.responses[0].revocation_time == when
    with pytest.raises(ocspkit.OCSPValueError):
        factory("revoked", reason="no such reason")
    with pytest.raises(ocspkit.OCSPValueError):
        factory("good", reason=1)


def test_misuse(factory: ScenarioFactory) -> None:
    with pytest.raises(ocspkit.OCSPValueError, match="unknown scenario"):
        factory("no-such-scenario")
    with pytest.raises(TypeError, match="colour"):
        factory("good", colour="blue")
    with pytest.raises(ocspkit.OCSPValueError, match="validity"):
        factory("good", now=NOW - dt.timedelta(days=30))
    with pytest.raises(ocspkit.OCSPValueError):
        factory("good", status="dubious")
    with pytest.raises(ocspkit.OCSPValueError):
        factory("good", certs="all")
    with pytest.raises(ocspkit.OCSPValueError):
        factory("good", responder_id="email")
    with pytest.raises(ocspkit.OCSPValueError, match="signer"):
        factory("good", signer="unauthorized")
    with pytest.raises(ocspkit.OCSPValueError, match="signer"):
        factory("unauthorized-signer", signer="ca")
    # A name fixes what it is about.
    with pytest.raises(ocspkit.OCSPValueError, match="fixes status"):
        factory("revoked", status="good")
    assert factory("revoked", status="revoked").expected.status is CertStatus.REVOKED
    with pytest.raises(ocspkit.OCSPValueError, match="fixes certid_hash"):
        factory("sha256-certid", certid_hash="sha1")
    with pytest.raises(TypeError, match="nonce"):
        factory("nonce-wrong", nonce="echo")
    # Without certificates in the response only the CA can be found.
    with pytest.raises(ocspkit.OCSPValueError, match="certs"):
        factory("good", certs="none")
    with pytest.raises(ocspkit.OCSPValueError, match="validity"):
        factory("good", validity=dt.timedelta(0))
    with pytest.raises(ocspkit.OCSPValueError):
        factory("good", cert=factory.pki.responder.__class__(
            factory.pki.root.certificate, factory.pki.root.private_key))
    with pytest.raises(TypeError):
        factory("good", cert=factory.pki.issue_leaf().certificate)


def test_make_scenario_with_zero_arguments() -> None:
    scenario = make_scenario("good")
    assert scenario.check_status().good
    assert scenario.pki.key_algorithm == "ec"
    assert abs(scenario.now - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=1)
    revoked = scenario.pki.scenario("revoked", reason=4)
    assert revoked.check_status().revocation_reason is RevocationReason.SUPERSEDED


# ------------------------------------------------------------------------------------------------
# Outputs: bytes, PEM and files round trip


def test_scenario_files_round_trip(factory: ScenarioFactory, tmp_path: Path) -> None:
    scenario = factory("nonce")
    files = scenario.write(tmp_path / "out")
    assert files.response.read_bytes() == scenario.response_der
    assert files.request is not None and files.request.read_bytes() == scenario.request_der
    assert crypto.load_certificate(files.cert.read_bytes()).dump() == scenario.cert.cert_der
    assert crypto.load_certificate(files.issuer.read_bytes()).dump() == scenario.issuer.cert_der
    assert crypto.load_certificate(files.root.read_bytes()).dump() == factory.pki.root.cert_der
    chain = crypto.load_certificates(files.chain.read_bytes())
    assert [c.dump() for c in chain] == [scenario.cert.cert_der, factory.pki.intermediate.cert_der,
                                         factory.pki.root.cert_der]
    assert ocspkit.load_response(scenario.response_pem).dump() == scenario.response_der
    assert scenario.request_pem is not None
    assert ocspkit.load_request(scenario.request_pem).dump() == scenario.request_der
    assert scenario.response_pem.startswith(b"-----BEGIN OCSP RESPONSE-----\n")
    with scenario.files() as temporary:
        assert temporary.response.read_bytes() == scenario.response_der
        directory = temporary.directory
    assert not directory.exists()
    assert factory("good").request_der is None and factory("good").request_pem is None


def test_certified_key_outputs(factory: ScenarioFactory, tmp_path: Path) -> None:
    pki = factory.pki
    leaf = pki.issue_leaf("files.example", subject_alt_names=["localhost", "127.0.0.1"])
    assert isinstance(leaf.cert_pem, Blob) and isinstance(leaf.cert_pem, bytes)
    assert leaf.chain == (pki.intermediate.certificate, pki.root.certificate)
    # One type for an issuer across the testing API: a CertifiedKey (leaf.issuer.cert_pem was an
    # AttributeError when issuer was an asn1crypto certificate and scenario.issuer a CertifiedKey).
    assert leaf.issuer is pki.intermediate and pki.intermediate.issuer is pki.root and pki.root.issuer is None
    assert leaf.issuer.cert_pem == pki.intermediate.cert_pem and leaf.issuer.key_pem == pki.intermediate.key_pem
    scenario = factory("good")
    assert isinstance(scenario.issuer, CertifiedKey) and scenario.cert.issuer is scenario.issuer
    assert leaf.common_name == "files.example"
    assert leaf.certificate.subject_alt_name_value.native == ["localhost", "127.0.0.1"]
    assert leaf.cert_id() == ocspkit.CertID.from_cert(leaf.certificate, pki.intermediate.certificate)
    assert pki.root.cert_id().serial_number == pki.root.serial_number

    assert leaf.write_cert(tmp_path / "c.pem").read_bytes() == leaf.cert_pem
    assert leaf.write_cert(tmp_path / "c.der", "der").read_bytes() == leaf.cert_der
    assert leaf.write_key(tmp_path / "k.pem").read_bytes() == leaf.key_pem
    assert leaf.write_key(tmp_path / "k.der", encoding="der").read_bytes() == leaf.key_der
    assert leaf.write_chain(tmp_path / "chain.pem").read_bytes() == leaf.chain_pem
    both = leaf.write_key_and_chain(tmp_path / "both.pem").read_bytes()
    assert both == leaf.key_pem + leaf.chain_pem
    assert crypto.load_private_key(both).asn1.dump() == leaf.key_der
    assert len(crypto.load_certificates(leaf.chain_pem)) == 3
    with pytest.raises(ValueError, match="encoding"):
        leaf.write_cert(tmp_path / "x", "text")

    made: List[Path] = []
    for manager, content in (
        (leaf.cert_file(), leaf.cert_pem), (leaf.cert_file("der"), leaf.cert_der), (leaf.key_file(), leaf.key_pem),
        (leaf.key_file("der"), leaf.key_der), (leaf.chain_file(), leaf.chain_pem),
        (leaf.key_and_chain_file(), leaf.key_and_chain_pem),
    ):
        with manager as path:
            assert path.read_bytes() == content
            made.append(path)
    assert not any(p.exists() for p in made)

    blob = Blob(b"abc")
    assert blob.write_to_path(tmp_path / "b").read_bytes() == b"abc"
    assert blob.write_to_path(tmp_path / "b", append=True).read_bytes() == b"abcabc"
    with blob.tempfile(suffix=".bin", dir=tmp_path) as path:
        assert path.suffix == ".bin" and path.parent == tmp_path
    assert not path.exists()


def test_pki_files(tmp_path: Path) -> None:
    pki = TestPKI("ecdsa", now=NOW)
    assert pki.key_algorithm == "ec"
    files = pki.write(tmp_path / "pki")
    assert files.root.read_bytes() == pki.trust_pem == pki.root.cert_pem
    assert files.intermediate.read_bytes() == pki.intermediate.cert_pem
    assert files.ca_chain.read_bytes() == pki.ca_chain_pem == pki.intermediate.cert_pem + pki.root.cert_pem
    assert files.responder.read_bytes() == pki.responder.cert_pem
    assert crypto.load_private_key(files.responder_key.read_bytes()).asn1.dump() == pki.responder.key_der
    with pki:
        trust, issuer, chain = pki.trust_file, pki.issuer_file, pki.ca_chain_file
        assert trust.read_bytes() == pki.trust_pem
        assert issuer.read_bytes() == pki.intermediate.cert_pem
        assert chain.read_bytes() == pki.ca_chain_pem
        assert pki.trust_file == trust  # written once
    assert not trust.parent.exists()
    assert pki.trust_file.exists()  # made again on demand
    pki.close()
    with pytest.raises(ValueError, match="key_algorithm"):
        TestPKI("dsa")


def test_pki_extra_certificates(factory: ScenarioFactory) -> None:
    pki = factory.pki
    unauthorized = pki.unauthorized_responder
    assert unauthorized.certificate.issuer == pki.root.certificate.subject
    assert unauthorized.certificate.extended_key_usage_value.native == ["ocsp_signing"]
    no_eku = pki.responder_without_eku
    assert no_eku.certificate.issuer == pki.intermediate.certificate.subject
    assert no_eku.certificate.extended_key_usage_value is None
    assert pki.unauthorized_responder is unauthorized  # made once
    assert isinstance(pki.responder, CertifiedKey)
    assert pki.responder.certificate.extended_key_usage_value.native == ["ocsp_signing"]
    assert pki.responder.certificate.ocsp_no_check_value is not None
    serials = {pki.root.serial_number, pki.intermediate.serial_number, pki.responder.serial_number}
    assert serials == {1000, 1001, 1002}
    assert isinstance(pki.root.certificate, x509.Certificate)
    assert os.fspath(pki.trust_file)
    assert repr(pki).startswith(f"<TestPKI {pki.key_algorithm} now=")
    assert repr(pki.root) == f"<CertifiedKey 'ocspkit Test Root CA' serial 1000 {pki.root.private_key!r}>"
    assert list(pki.chain()) == [pki.intermediate.certificate, pki.root.certificate]
    assert pki.issued_serials >= {pki.responder.serial_number, pki.responder_without_eku.serial_number}
    assert pki.root.serial_number not in pki.issued_serials
    import ocspkit.testing

    with pytest.raises(AttributeError):
        ocspkit.testing.NoSuchThing  # noqa: B018
