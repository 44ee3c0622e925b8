"""Every verification expectation in ../shared/vectors gives the verdict its source states.

Three kinds of MANIFEST expectation; each test is parametrized over the MANIFEST entries that carry
one (the id is the vector's file, so a new entry is picked up on its own), and each failure message
opens with the expectation's ``stated_by`` (also recorded as the test's ``stated_by`` property):

* ``expect.verify``: a signature / authorization check with the options the source used, run as the
  ocspkit call with the same semantics (:func:`_verify_as_source` says which call, and why);
* ``expect.check_ocsp``: BoringSSL's ``CheckOCSP`` at 2017-03-05 with a one-week max age, run as
  :func:`ocspkit.check_status`; BoringSSL's result maps to an ocspkit outcome by the table
  ``CHECK_OCSP_OUTCOMES`` (and ``FAILED_CHECK_BY_DESCRIPTION``);
* ``expect.path_validation``: certvalidator's hard-fail OCSP path validation, run as one
  ``check_status`` per certificate of the path.

Where the MANIFEST states an openssl command for one of these vectors, the command is run live: it
must still say what the MANIFEST says, and ocspkit's OpenSSL-equivalent call must agree with it (the
divergences the vectors' README documents are listed in ``OPENSSL_DIVERGES``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import shlex
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Tuple, Type, Union

import pytest
from _interop_helpers import OCSP_NOVERIFY, libcrypto_request_verify
from _openssl_cli import run
from asn1crypto import algos, pem, x509
from asn1crypto import ocsp as ref_ocsp
from conftest import MANIFEST, read_vector, vectors_dir

import ocspkit
from ocspkit import (
    Authorization,
    CertIDMismatch,
    CertStatus,
    ChainError,
    OCSPError,
    ParseError,
    ResponderNotAuthorized,
    SignatureError,
    SignerNotFound,
    StaleResponse,
    UnsuccessfulResponse,
    VerifyFlags,
    crypto,
)
from ocspkit.testing import make_certificate

UTC = dt.timezone.utc


def _params(key: str) -> List[Any]:
    return [pytest.param(e, id=e["file"]) for e in MANIFEST if key in e.get("expect", {})]


VERIFY = _params("verify")
CHECK_OCSP = _params("check_ocsp")
PATH_VALIDATION = _params("path_validation")


def _entry(name: str) -> Dict[str, Any]:
    for e in MANIFEST:
        if e["file"] == name:
            return e
    raise AssertionError(f"MANIFEST has no entry for {name}")


def _der(data: bytes) -> bytes:
    """A certificate file's DER (asn1crypto's PEM reader, not ocspkit's)."""
    return pem.unarmor(data)[2] if pem.detect(data) else data


def _certificate(name: str) -> x509.Certificate:
    return x509.Certificate.load(_der(read_vector(name)))


def _basic(data: bytes) -> Any:
    """The BasicOCSPResponse as stock asn1crypto reads it (independent of ocspkit)."""
    return ref_ocsp.OCSPResponse.load(data)["response_bytes"]["response"].parsed


def _produced_at(data: bytes) -> dt.datetime:
    return _basic(data)["tbs_response_data"]["produced_at"].native.astimezone(UTC)  # type: ignore[no-any-return]


def _embedded_certs(data: bytes) -> List[bytes]:
    certs = _basic(data)["certs"]
    return [] if certs.native is None else [c.dump() for c in certs]


def _signature_checked(checks: Any) -> bool:
    return any(c.name == "signature" and c.passed for c in checks)


# --- expect.verify --------------------------------------------------------------------------------


def _stand_in(issuer: x509.Certificate, serial: int, around: dt.datetime) -> bytes:
    """A certificate with ``serial`` issued (by name) by ``issuer``, valid a day either side of
    ``around``: what check_status needs of the certificate asked about when the source's test has
    none. check_status reads its serial, issuer name and validity, never its signature (made here
    with a throwaway key)."""
    key = crypto.generate_private_key("ec")
    cert = make_certificate(
        subject={"common_name": "stand-in for the certificate the response answers for"},
        public_key=key,
        issuer_key=key,
        issuer=issuer,
        serial_number=serial,
        not_before=around - dt.timedelta(days=1),
        not_after=around + dt.timedelta(days=1),
    )
    return bytes(cert.dump())


def _go_parse_response(data: bytes, issuer_name: str) -> ocspkit.CertificateStatus:
    """golang.org/x/crypto/ocsp ``ParseResponse(resp, issuer)``: the issuer is the one trust
    anchor; the response is signed by it, or by the certificate the response embeds, which the
    issuer must have signed (Go checks that signature, not the AKID nor any path rule).

    In ocspkit that is check_status with ``trusted=None``: the issuer is the anchor, taken as a name
    and a key, and the CA itself or a responder it delegated to may sign. Go's test has no
    certificate to ask about, so a stand-in names the response's (single) CertID serial. Go reads
    no times; the response is checked at its producedAt.
    """
    issuer = _certificate(issuer_name)
    single = _basic(data)["tbs_response_data"]["responses"][0]
    produced_at = _produced_at(data)
    cert = _stand_in(issuer, single["cert_id"]["serial_number"].native, produced_at)
    return ocspkit.check_status(data, cert, issuer.dump(), now=produced_at)


def _verify_as_source(entry: Dict[str, Any], spec: Dict[str, Any]) -> Any:
    """Run the ocspkit call that checks what the source checked; returns its result (a Verdict or
    CertificateStatus) or raises what ocspkit raises. An option set with no mapping fails the test:
    a new kind of expectation needs a decision here."""
    options = spec["options"]
    data = read_vector(entry["file"])
    if entry["kind"] == "ocsp-request":
        if options.get("signer", "").startswith("first certificate in the request"):
            # Bouncy Castle: req.isSignatureValid(verifier for getCerts()[0]), the signature alone
            # over tbsRequest as received. ocspkit's primitive for exactly that is
            # crypto.verify_signature over OCSPRequest.tbs_request_bytes (verify_request, like
            # OpenSSL's OCSP_request_verify, first needs a requestorName to find the signer; see
            # test_irregular_request_without_requestor_name_is_refused_like_openssl).
            request = ocspkit.load_request(data)
            signer = request.certs[0]
            crypto.verify_signature(
                signer.public_key, request.signature, request.tbs_request_bytes, request.signature_algorithm
            )
            return request
        raise AssertionError(f"no ocspkit mapping for the request verify options {options}")
    produced_at = _produced_at(data)
    if "signer_public_key_from" in options:
        # pyca/cryptography: the signer's public key verifies the signature over tbsResponseData,
        # nothing else: untrusted=[that certificate] + TRUSTOTHER (openssl ocsp -VAfile).
        return ocspkit.verify_response(
            data,
            untrusted=[read_vector(options["signer_public_key_from"])],
            flags=VerifyFlags.TRUSTOTHER,
            now=produced_at,
        )
    if "CAfile" in options:
        # openssl ocsp -CAfile F -attime T: the full OCSP_basic_verify.
        return ocspkit.verify_response(
            data,
            trusted=[read_vector(options["CAfile"])],
            now=dt.datetime.fromtimestamp(options["attime"], UTC),
        )
    if "issuer" in options and options.get("api", "").startswith("ParseResponse(resp, issuer)"):
        return _go_parse_response(data, options["issuer"])
    if options.get("signer", "").startswith("first certificate embedded in the response"):
        # Bouncy Castle: resp.isSignatureValid(verifier for getCerts()[0]), signature only:
        # untrusted=[that certificate] + TRUSTOTHER.
        certs = _embedded_certs(data)
        assert certs, f"{spec['stated_by']}: the response embeds no certificate"
        return ocspkit.verify_response(data, untrusted=[certs[0]], flags=VerifyFlags.TRUSTOTHER, now=produced_at)
    raise AssertionError(f"no ocspkit mapping for the verify options {options}")


def _expected_status(entry: Dict[str, Any]) -> Optional[CertStatus]:
    responses = entry["expect"].get("responses") or []
    return CertStatus[responses[0]["cert_status"].upper()] if len(responses) == 1 else None


@pytest.mark.parametrize("entry", VERIFY)
def test_verify_expectation(entry: Dict[str, Any], record_property: Callable[[str, Any], None]) -> None:
    """Each ``expect.verify`` gives its ``result`` with the options its source used."""
    for spec in entry["expect"]["verify"]:
        stated_by = spec["stated_by"]
        record_property("stated_by", stated_by)
        if spec["result"] != "ok":
            with pytest.raises(OCSPError):
                _verify_as_source(entry, spec)
            continue
        try:
            result = _verify_as_source(entry, spec)
        except OCSPError as exc:
            raise AssertionError(f"{stated_by}: the source verifies this, ocspkit raised {exc!r}") from exc
        if isinstance(result, ocspkit.Verdict):
            assert _signature_checked(result.checks), f"{stated_by}: the signature was not checked: {result}"
            if "CAfile" in spec["options"]:
                assert result.authorization in (Authorization.ISSUER, Authorization.DELEGATED), (
                    f"{stated_by}: {result}"
                )
            else:
                assert result.authorization is Authorization.TRUSTED_RESPONDER, f"{stated_by}: {result}"
        elif isinstance(result, ocspkit.CertificateStatus):
            assert _signature_checked(result.checks), f"{stated_by}: the signature was not checked"
            expected = _expected_status(entry)
            if expected is not None:
                assert result.status is expected, f"{stated_by}: status {result.status!r}, expected {expected!r}"
        hash_name = spec["options"].get("hash")
        if hash_name is not None:
            # The algorithm the source names is the one the signature used.
            signed_with = _basic(read_vector(entry["file"]))["signature_algorithm"]
            algorithm = algos.SignedDigestAlgorithm.load(signed_with.dump())
            assert algorithm.hash_algo == hash_name, f"{stated_by}: {algorithm.hash_algo}"
            if spec["options"].get("padding") == "PKCS1v15":
                assert algorithm.signature_algo == "rsassa_pkcs1v15", f"{stated_by}: {algorithm.signature_algo}"


STARTCOM = "go/old-startcom-ocspResponse.der"
STARTCOM_CA = "go/startComCA.der"


def test_startcom_chain_refused_by_openssl_rules_accepted_by_go_rules(
    openssl_bin: str, tmp_path: Path, record_property: Callable[[str, Any], None]
) -> None:
    """README, Things to know: the StartCom response verifies cryptographically (Go's
    ParseResponse(resp, startComCA) accepts it), but OpenSSL's chain building refuses startComCA.der:
    the responder certificate's AKID names authorityCertSerialNumber 0x0A, the CA's serial is 0x18."""
    entry = _entry(STARTCOM)
    stated_by = entry["expect"]["verify"][0]["stated_by"]
    record_property("stated_by", stated_by)
    data = read_vector(STARTCOM)
    produced_at = _produced_at(data)
    ca = read_vector(STARTCOM_CA)

    # Go's semantics: the issuer as a direct anchor (name and key), AKID not held against it.
    status = _go_parse_response(data, STARTCOM_CA)
    assert status.status is CertStatus.GOOD, f"{stated_by}: {status.status!r}"
    assert status.verdict.authorization is Authorization.DELEGATED

    # OpenSSL's semantics (-CAfile startComCA.der, with or without -partial_chain): X509_check_issued
    # rejects the CA because of the AKID serial, so no chain is found.
    for flags in (VerifyFlags.NONE, VerifyFlags.PARTIAL_CHAIN):
        with pytest.raises(ChainError) as info:
            ocspkit.verify_response(data, trusted=[ca], flags=flags, now=produced_at)
        assert info.value.openssl_error == "unable to get local issuer certificate", info.value

    # The same, live: openssl refuses the chain, and accepts the responder with -VAfile.
    respin = tmp_path / "resp.der"
    respin.write_bytes(data)
    ca_pem = tmp_path / "ca.pem"
    ca_pem.write_bytes(pem.armor("CERTIFICATE", _der(ca)))
    responder_pem = tmp_path / "responder.pem"
    responder_pem.write_bytes(pem.armor("CERTIFICATE", _embedded_certs(data)[0]))
    attime = str(int(produced_at.timestamp()))
    common = [openssl_bin, "ocsp", "-respin", respin, "-no-CApath", "-no-CAstore", "-attime", attime]
    refused = run([*common, "-CAfile", ca_pem])
    assert "Response verify OK" not in refused.stdout + refused.stderr
    assert "unable to get local issuer certificate" in refused.stdout + refused.stderr, refused
    accepted = run([*common, "-VAfile", responder_pem])
    assert "Response verify OK" in accepted.stdout + accepted.stderr, accepted
    verdict = ocspkit.verify_response(
        data, untrusted=[_embedded_certs(data)[0]], flags=VerifyFlags.TRUSTOTHER, now=produced_at
    )
    assert _signature_checked(verdict.checks)


IRREGULAR_REQUEST = "bouncycastle/pkix-irregReq.der"


def test_irregular_request_signature_covers_the_bytes_as_received(
    record_property: Callable[[str, Any], None],
) -> None:
    """pkix-irregReq.der encodes the DEFAULT version explicitly (not DER): ocspkit's tbsRequest is
    the bytes as received (asn1crypto's slice of the same bytes), and the signature does not hold
    over the DER re-encoding, which drops the version."""
    entry = _entry(IRREGULAR_REQUEST)
    record_property("stated_by", entry["expect"]["verify"][0]["stated_by"])
    data = read_vector(IRREGULAR_REQUEST)
    request = ocspkit.load_request(data)
    reference = ref_ocsp.OCSPRequest.load(data)
    assert request.tbs_request_bytes == reference["tbs_request"].dump()
    assert request.tbs_request_bytes in data
    normalized = ref_ocsp.TBSRequest.load(request.tbs_request_bytes)
    normalized["version"] = "v1"  # re-set: asn1crypto now writes the DEFAULT as absent
    reencoded = normalized.dump(force=True)
    assert reencoded != request.tbs_request_bytes
    with pytest.raises(SignatureError):
        crypto.verify_signature(
            request.certs[0].public_key, request.signature, reencoded, request.signature_algorithm
        )


def test_irregular_request_without_requestor_name_is_refused_like_openssl(
    record_property: Callable[[str, Any], None],
) -> None:
    """Bouncy Castle verifies pkix-irregReq.der with a certificate it is handed; the request has no
    requestorName, which RFC 6960 4.1.2 requires of a signed request, so OpenSSL's
    OCSP_request_verify refuses it ("unsupported requestorName type"), even with OCSP_NOVERIFY.
    ocspkit's verify_request is that function, and refuses it the same way, whatever certificate is
    offered: the source's check is expressed with crypto.verify_signature (test_verify_expectation)."""
    entry = _entry(IRREGULAR_REQUEST)
    record_property("stated_by", entry["expect"]["verify"][0]["stated_by"])
    data = read_vector(IRREGULAR_REQUEST)
    assert entry["openssl_observed"]["requestor_name"] is None
    result, errors = libcrypto_request_verify(data, [], OCSP_NOVERIFY)
    assert result != 1 and any("requestorname" in e.lower() for e in errors), (result, errors)
    signer = ocspkit.load_request(data).certs[0]
    for flags in (VerifyFlags.TRUSTOTHER, VerifyFlags.NOVERIFY):
        with pytest.raises(SignerNotFound):
            ocspkit.verify_request(data, untrusted=[signer], flags=flags)


# --- expect.check_ocsp ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Refusal:
    """An expected exception: its class, the StaleResponse rules allowed, a word its message holds."""

    error: Type[OCSPError]
    rules: Optional[FrozenSet[str]] = None
    mentions: Optional[str] = None


TIME_RULES = frozenset({"this_update_in_future", "too_old", "next_update_in_past", "next_update_before_this_update"})

# BoringSSL's CheckOCSP result -> the ocspkit outcome of check_status(response, cert, issuer,
# now=verify_time, max_age=604800). A CertStatus means check_status returns that status; a Refusal
# means it raises that. BoringSSL reports a response that fails a check as PROVIDED + UNKNOWN too:
# FAILED_CHECK_BY_DESCRIPTION tells those apart, by the first line of the vector's .pem.
CHECK_OCSP_OUTCOMES: Dict[Tuple[str, str], Union[CertStatus, Refusal]] = {
    ("GOOD", "PROVIDED"): CertStatus.GOOD,
    ("REVOKED", "PROVIDED"): CertStatus.REVOKED,
    ("UNKNOWN", "PROVIDED"): CertStatus.UNKNOWN,
    ("UNKNOWN", "NO_MATCHING_RESPONSE"): Refusal(CertIDMismatch),
    ("UNKNOWN", "ERROR_RESPONSE"): Refusal(UnsuccessfulResponse),
    ("UNKNOWN", "PARSE_RESPONSE_ERROR"): Refusal(ParseError),
    ("UNKNOWN", "PARSE_RESPONSE_DATA_ERROR"): Refusal(ParseError),
    ("UNKNOWN", "INVALID_DATE"): Refusal(StaleResponse, rules=TIME_RULES),
    ("UNKNOWN", "BAD_PRODUCED_AT"): Refusal(
        StaleResponse, rules=frozenset({"produced_at_outside_certificate_validity"})
    ),
    ("UNKNOWN", "UNHANDLED_CRITICAL_EXTENSION"): Refusal(ParseError, mentions="critical"),
}

# PROVIDED + UNKNOWN vectors whose description (the source's own words) names a failed check.
FAILED_CHECK_BY_DESCRIPTION: Dict[str, Refusal] = {
    "Has an invalid signature": Refusal(SignatureError),
    "Signed indirectly through a missing intermediate": Refusal(SignerNotFound),
    "Signed through an intermediate without the correct key usage": Refusal(ResponderNotAuthorized),
}


def _description(spec: Dict[str, Any]) -> str:
    """The first line of the BoringSSL .pem the response was extracted from."""
    name = spec["inputs"]["ocsp_response"]
    assert name.endswith(".resp.der"), name
    text = read_vector(name[: -len(".resp.der")] + ".pem").decode("utf-8")
    return text.splitlines()[0].strip()


def _check_ocsp_expected(spec: Dict[str, Any]) -> Union[CertStatus, Refusal]:
    key = (spec["expected_revocation_status"], spec["expected_response_status"])
    assert key in CHECK_OCSP_OUTCOMES, f"no ocspkit outcome for BoringSSL's {key}: extend CHECK_OCSP_OUTCOMES"
    if key == ("UNKNOWN", "PROVIDED"):
        return FAILED_CHECK_BY_DESCRIPTION.get(_description(spec), CertStatus.UNKNOWN)
    return CHECK_OCSP_OUTCOMES[key]


def _check_ocsp(
    spec: Dict[str, Any], as_der: bool = False, issuer_untrusted: bool = False
) -> ocspkit.CertificateStatus:
    """check_status as BoringSSL's CheckOCSP is called: the files as stored (PEM certificates), or
    as DER; ``issuer_untrusted`` passes the issuer in ``untrusted=`` as well (a caller handing over
    the chain it has)."""
    inputs = spec["inputs"]
    cert = read_vector(inputs["certificate"])
    issuer = read_vector(inputs["issuer_certificate"])
    if as_der:
        cert, issuer = _der(cert), _der(issuer)
    return ocspkit.check_status(
        read_vector(inputs["ocsp_response"]),
        cert,
        issuer,
        untrusted=[issuer] if issuer_untrusted else (),
        now=dt.datetime.fromtimestamp(inputs["verify_time"], UTC),
        max_age=inputs["max_age_seconds"],
    )


@pytest.mark.parametrize("entry", CHECK_OCSP)
def test_check_ocsp_expectation(entry: Dict[str, Any], record_property: Callable[[str, Any], None]) -> None:
    """Each ``expect.check_ocsp`` gives BoringSSL's verdict through check_status."""
    spec = entry["expect"]["check_ocsp"]
    stated_by = f"{spec['stated_by']} ({_description(spec)})"
    record_property("stated_by", stated_by)
    assert spec["inputs"]["ocsp_response"] == entry["file"]
    expected = _check_ocsp_expected(spec)
    boringssl = f"BoringSSL: {spec['expected_revocation_status']} / {spec['expected_response_status']}"
    if isinstance(expected, CertStatus):
        try:
            result = _check_ocsp(spec)
        except OCSPError as exc:
            raise AssertionError(f"{stated_by}: {boringssl}; ocspkit raised {exc!r}") from exc
        assert result.status is expected, f"{stated_by}: {boringssl}; ocspkit returned {result.status!r}"
        return
    with pytest.raises(OCSPError) as info:
        _check_ocsp(spec)
    error = info.value
    assert isinstance(error, expected.error), (
        f"{stated_by}: {boringssl}, expected {expected.error.__name__}; ocspkit raised {error!r}"
    )
    if expected.rules is not None:
        assert getattr(error, "rule", None) in expected.rules, f"{stated_by}: rule {getattr(error, 'rule', None)!r}"
    if expected.mentions is not None:
        assert expected.mentions in str(error).lower(), f"{stated_by}: {error}"


def _outcome(call: Callable[[], ocspkit.CertificateStatus]) -> str:
    try:
        return call().status.name
    except OCSPError as exc:
        return f"{type(exc).__name__} {getattr(exc, 'rule', None) or ''}".strip()


@pytest.mark.parametrize("entry", CHECK_OCSP)
def test_check_ocsp_same_outcome_for_pem_der_and_repeated_issuer(
    entry: Dict[str, Any], record_property: Callable[[str, Any], None]
) -> None:
    """check_status takes the certificate and its issuer as PEM or DER (anything
    crypto.load_certificate reads), and already uses the issuer to find the signer: the BoringSSL
    files (PEM), the same certificates as DER, and either with the issuer also in ``untrusted=``
    all give the outcome the stored files give."""
    spec = entry["expect"]["check_ocsp"]
    record_property("stated_by", spec["stated_by"])
    outcomes = {
        (form, repeated): _outcome(lambda f=form, r=repeated: _check_ocsp(spec, as_der=f == "DER", issuer_untrusted=r))
        for form in ("PEM", "DER")
        for repeated in (False, True)
    }
    reference = outcomes[("PEM", False)]
    differ = {
        f"{form}{' + issuer in untrusted' if repeated else ''}": outcome
        for (form, repeated), outcome in outcomes.items()
        if outcome != reference
    }
    assert not differ, f"{spec['stated_by']}: the files as stored give {reference}, but {differ}"


# --- expect.path_validation -------------------------------------------------------------------------


def _path(cert: x509.Certificate, pool: List[x509.Certificate]) -> List[x509.Certificate]:
    """cert, its issuer, ... up to a self-issued certificate, by name (asn1crypto's comparison)."""
    path = [cert]
    while path[-1].issuer != path[-1].subject:
        issuers = [c for c in pool if c.subject == path[-1].issuer and c.dump() not in {p.dump() for p in path}]
        assert len(issuers) == 1, f"{len(issuers)} issuers for {path[-1].subject.human_friendly}"
        path.append(issuers[0])
    return path


def _names(cert_id: Any, issuer: x509.Certificate, serial: int) -> bool:
    """Whether a CertID names (issuer, serial): RFC 6960 4.1.1, computed with hashlib."""
    algorithm = cert_id["hash_algorithm"]["algorithm"].native
    return bool(
        cert_id["serial_number"].native == serial
        and cert_id["issuer_name_hash"].native == hashlib.new(algorithm, issuer.subject.dump()).digest()
        and cert_id["issuer_key_hash"].native
        == hashlib.new(algorithm, bytes(issuer.public_key["public_key"])).digest()
    )


def _response_for(cert: x509.Certificate, issuer: x509.Certificate, names: List[str]) -> str:
    found = [
        name
        for name in names
        if any(
            _names(single["cert_id"], issuer, cert.serial_number)
            for single in _basic(read_vector(name))["tbs_response_data"]["responses"]
        )
    ]
    assert len(found) == 1, f"{len(found)} responses for {cert.subject.human_friendly}: {found}"
    return found[0]


@pytest.mark.parametrize("entry", PATH_VALIDATION)
def test_path_validation_expectation(entry: Dict[str, Any], record_property: Callable[[str, Any], None]) -> None:
    """Each ``expect.path_validation`` (hard-fail OCSP at ``moment``): every certificate of the path
    but the root has a response among ``ocsps`` that check_status finds GOOD, with the trust roots
    as ``trusted`` and the other certificates as ``untrusted``."""
    for spec in entry["expect"]["path_validation"]:
        stated_by = spec["stated_by"]
        record_property("stated_by", stated_by)
        assert spec["revocation_mode"] == "hard-fail"
        roots = [_certificate(n) for n in spec["trust_roots"]]
        others = [_certificate(n) for n in spec["other_certs"]]
        path = _path(_certificate(spec["cert"]), roots + others)
        assert len(path) == spec["path_len"], f"{stated_by}: path of {len(path)}"
        assert path[-1].dump() in {r.dump() for r in roots}, f"{stated_by}: the path does not end at a root"
        moment = dt.datetime.fromisoformat(spec["moment"])
        used = []
        outcomes = []
        for cert, issuer in zip(path, path[1:]):
            name = _response_for(cert, issuer, spec["ocsps"])
            used.append(name)
            try:
                status = ocspkit.check_status(
                    read_vector(name),
                    cert.dump(),
                    issuer.dump(),
                    trusted=[r.dump() for r in roots],
                    untrusted=[c.dump() for c in others],
                    now=moment,
                )
                outcomes.append((name, status.status.name))
            except OCSPError as exc:
                outcomes.append((name, repr(exc)))
        assert entry["file"] in used, f"{stated_by}: {entry['file']} answers for no certificate of the path"
        if spec["result"] == "ok":
            assert all(o == "GOOD" for _, o in outcomes), f"{stated_by}: {outcomes}"
        else:
            assert any(o != "GOOD" for _, o in outcomes), f"{stated_by}: expected {spec['result']}, got {outcomes}"


# --- the openssl commands the MANIFEST states, run live --------------------------------------------

# Vectors where OpenSSL and ocspkit's OpenSSL-equivalent call are documented to differ
# (vectors/README.md, "Things to know"): file -> (openssl verifies, ocspkit verifies).
OPENSSL_DIVERGES: Dict[str, Tuple[bool, bool]] = {
    # The serial is the non-minimal INTEGER 0x0005: OpenSSL cannot parse it; ocspkit reads it as
    # BoringSSL does (BoringSSL expects GOOD).
    "boringssl/ocsp_unittest/good_response_invalid_serial.resp.der": (False, True),
}


@dataclasses.dataclass(frozen=True)
class OpenSSLClaim:
    """An openssl command the MANIFEST states, with what it printed."""

    command: str
    verified: bool
    output: str
    options: Dict[str, Any]


def _openssl_claims(entry: Dict[str, Any]) -> List[OpenSSLClaim]:
    claims = []
    stated = entry.get("local_openssl_verify")
    if stated:
        claims.append(OpenSSLClaim(stated["command"], stated["result"] == "ok", stated["output"][0], {}))
    expect = entry["expect"]
    texts = [({}, expect.get("local_openssl_check"))]
    texts += [(spec.get("options", {}), spec.get("local_openssl_check")) for spec in expect.get("verify", [])]
    for options, text in texts:
        if text:
            command, _, printed = text.partition(" -> ")
            claims.append(OpenSSLClaim(command, printed.strip() == "Response verify OK", printed.strip(), options))
    return claims


OPENSSL_ENTRIES = [
    pytest.param(e, id=e["file"])
    for e in MANIFEST
    if {"verify", "check_ocsp", "path_validation"} & set(e.get("expect", {})) and _openssl_claims(e)
]
DGST_ENTRIES = [
    pytest.param(e, id=e["file"])
    for e in MANIFEST
    if any(str(s.get("local_check", "")).startswith("openssl dgst") for s in e.get("expect", {}).get("verify", []))
]


@dataclasses.dataclass
class OpenSSLCall:
    argv: List[Any]
    respin: bytes = b""
    trusted: List[bytes] = dataclasses.field(default_factory=list)
    untrusted: List[bytes] = dataclasses.field(default_factory=list)
    flags: VerifyFlags = VerifyFlags.NONE
    now: Optional[dt.datetime] = None


def _file_for(name: str, option: str, entry: Dict[str, Any], claim: OpenSSLClaim) -> bytes:
    """The bytes a file name in a stated command stands for."""
    if name == "X":
        return read_vector(entry["file"])
    if name == "EMBEDDED_CERT":
        return _embedded_certs(read_vector(entry["file"]))[0]
    beside = str(PurePosixPath(entry["file"]).parent / name)
    if (vectors_dir() / beside).is_file():
        return read_vector(beside)
    if option == "-CAfile" and "CAfile" in claim.options:
        return read_vector(claim.options["CAfile"])  # "ca.pem" abbreviating the CAfile the source used
    raise AssertionError(f"cannot tell which file {name!r} is in {claim.command!r}")


def _openssl_call(claim: OpenSSLClaim, entry: Dict[str, Any], openssl_bin: str, tmp_path: Path) -> OpenSSLCall:
    tokens = shlex.split(claim.command.replace("<embedded cert>", "EMBEDDED_CERT"))
    assert tokens[:2] == ["openssl", "ocsp"], claim.command
    call = OpenSSLCall([openssl_bin, "ocsp"])
    i = 2
    while i < len(tokens):
        option = tokens[i]
        if option in ("-no-CApath", "-no-CAstore"):
            call.argv.append(option)
        elif option == "-partial_chain":
            call.argv.append(option)
            call.flags |= VerifyFlags.PARTIAL_CHAIN
        elif option == "-attime":
            i += 1
            call.argv += [option, tokens[i]]
            call.now = dt.datetime.fromtimestamp(int(tokens[i]), UTC)
        elif option in ("-respin", "-CAfile", "-verify_other", "-VAfile"):
            i += 1
            data = _file_for(tokens[i], option, entry, claim)
            path = tmp_path / f"{i}-{Path(tokens[i]).name}"
            if option == "-respin":
                call.respin = data
                path.write_bytes(data)
            else:
                path.write_bytes(pem.armor("CERTIFICATE", _der(data)))  # -CAfile reads PEM only
                if option == "-CAfile":
                    call.trusted.append(data)
                else:
                    call.untrusted.append(data)
                if option == "-VAfile":
                    call.flags |= VerifyFlags.TRUSTOTHER
            call.argv += [option, path]
        else:
            raise AssertionError(f"no mapping for the openssl option {option} in {claim.command!r}")
        i += 1
    return call


def _ocspkit_as_openssl(call: OpenSSLCall) -> Union[str, OCSPError]:
    """What OCSP_basic_verify with these options gives in ocspkit: "ok" or the exception."""
    try:
        # OCSP_basic_verify never looks at extensions: unknown critical ones are allowed here.
        response = ocspkit.load_response(call.respin, allow_unknown_critical=True)
        ocspkit.verify_response(
            response, trusted=call.trusted, untrusted=call.untrusted, flags=call.flags, now=call.now
        )
    except OCSPError as exc:
        return exc
    return "ok"


@pytest.mark.parametrize("entry", OPENSSL_ENTRIES)
def test_stated_openssl_command_live(
    entry: Dict[str, Any], openssl_bin: str, tmp_path: Path, record_property: Callable[[str, Any], None]
) -> None:
    """The openssl command the MANIFEST states still prints what it says, and ocspkit's
    OpenSSL-equivalent call (the same trust anchors, untrusted certificates, flags and time)
    verifies exactly when openssl does, but where the README documents otherwise."""
    for claim in _openssl_claims(entry):
        record_property("stated_by", claim.command)
        call = _openssl_call(claim, entry, openssl_bin, tmp_path)
        done = run(call.argv, cwd=tmp_path)
        printed = done.stdout + done.stderr
        assert claim.output in printed, f"{claim.command}: expected {claim.output!r}, openssl printed {printed!r}"
        live_ok = "Response verify OK" in printed
        assert live_ok is claim.verified, f"{claim.command}: {printed!r}"
        ours = _ocspkit_as_openssl(call)
        expected_ours = OPENSSL_DIVERGES.get(entry["file"], (live_ok, live_ok))[1]
        if entry["file"] in OPENSSL_DIVERGES:
            assert OPENSSL_DIVERGES[entry["file"]][0] is live_ok, f"{claim.command}: {printed!r}"
        assert (ours == "ok") is expected_ours, (
            f"{claim.command}: openssl {'verified' if live_ok else 'refused'}, ocspkit gave {ours!r}"
        )


@pytest.mark.parametrize("entry", DGST_ENTRIES)
def test_stated_openssl_dgst_live(
    entry: Dict[str, Any], openssl_bin: str, tmp_path: Path, record_property: Callable[[str, Any], None]
) -> None:
    """``openssl dgst -verify`` over the tbsRequest bytes as received says ``Verified OK``, with the
    first certificate's key, as ocspkit's crypto.verify_signature does."""
    spec = next(s for s in entry["expect"]["verify"] if str(s.get("local_check", "")).startswith("openssl dgst"))
    record_property("stated_by", spec["local_check"])
    reference = ref_ocsp.OCSPRequest.load(read_vector(entry["file"]))
    signature = reference["optional_signature"]
    tbs = tmp_path / "tbs.der"
    tbs.write_bytes(reference["tbs_request"].dump())
    sig = tmp_path / "sig.bin"
    sig.write_bytes(signature["signature"].contents[1:])
    key = tmp_path / "key.pem"
    key.write_bytes(pem.armor("PUBLIC KEY", signature["certs"][0].public_key.dump()))
    hash_name = signature["signature_algorithm"].hash_algo
    done = run([openssl_bin, "dgst", f"-{hash_name}", "-verify", key, "-signature", sig, tbs])
    assert "Verified OK" in done.stdout, f"{spec['local_check']}: {done.stdout + done.stderr!r}"
    request = ocspkit.load_request(read_vector(entry["file"]))
    crypto.verify_signature(
        request.certs[0].public_key, request.signature, request.tbs_request_bytes, request.signature_algorithm
    )


def test_every_selected_vector_is_exercised() -> None:
    """The brief's selection (entries with expect.verify / check_ocsp / path_validation) is exactly
    what the parametrized tests above run over, and is not empty."""
    selected = {e["file"] for e in MANIFEST if {"verify", "check_ocsp", "path_validation"} & set(e.get("expect", {}))}
    covered = {p.id for p in VERIFY + CHECK_OCSP + PATH_VALIDATION}
    assert selected and selected == covered
