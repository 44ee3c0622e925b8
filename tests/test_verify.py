"""ocspkit.verify in process: verify_response (OCSP_basic_verify), verify_request
(OCSP_request_verify), check_status, VerifyFlags, TrustedCertificate.

Every certificate comes from ocspkit.testing (EC keys, for speed) anchored at a fixed NOW, and
every call passes now=. The libcrypto comparisons for requests use a second PKI anchored at the
present, because OCSP_request_verify checks the chain against the real clock.
"""

from __future__ import annotations

import ctypes
import dataclasses
import datetime as dt
import functools
import hashlib
import itertools
import re
import subprocess
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Type

import pytest
from _interop_helpers import _d2i, _errors, _lib, libcrypto_request_verify
from asn1crypto import pem, x509
from conftest import libcrypto_cdll

import ocspkit
import ocspkit.certinfo as certinfo_module
import ocspkit.chain as chain_module
from ocspkit import (
    Authorization,
    CertID,
    CertStatus,
    Check,
    NonceCheck,
    OCSPResponse,
    RequestBuilder,
    ResponseBuilder,
    ResponseStatus,
    RevocationReason,
    TrustedCertificate,
    Verdict,
    VerifyFlags,
    check_status,
    crypto,
    load_trusted_certificates,
    verify_request,
    verify_response,
)
from ocspkit._writers import generalized_time, tlv
from ocspkit.asn1 import OID
from ocspkit.crypto import signing_algorithm
from ocspkit.errors import (
    CertIDMismatch,
    ChainError,
    NonceMismatch,
    OCSPError,
    OCSPTypeError,
    OCSPValueError,
    ParseError,
    ResponderNotAuthorized,
    SignatureError,
    SignerNotFound,
    StaleResponse,
    UnsuccessfulResponse,
    VerificationError,
)
from ocspkit.testing import CertifiedKey, TestPKI, make_certificate

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"
ANY_EKU = "2.5.29.37.0"
OCSP_HEADER = Path("/usr/include/openssl/ocsp.h")
# include/openssl/ocsp.h, written out for systems without the header.
OPENSSL_FLAGS = {
    "NOCERTS": 0x1, "NOINTERN": 0x2, "NOSIGS": 0x4, "NOCHAIN": 0x8, "NOVERIFY": 0x10, "NOEXPLICIT": 0x20,
    "NOCASIGN": 0x40, "NODELEGATED": 0x80, "NOCHECKS": 0x100, "TRUSTOTHER": 0x200, "RESPID_KEY": 0x400,
    "NOTIME": 0x800, "PARTIAL_CHAIN": 0x1000,
}
# OCSP_basic_sign / OCSP_request_sign flags: not verification flags.
SIGNING_ONLY = {"NOCERTS", "RESPID_KEY", "NOTIME"}
VERIFY_STEPS = ("find_signer", "signature", "chain", "authorization")
# check_status matches the CertID first, then verifies (authorizing for that certificate's issuer).
STATUS_STEPS = ("cert_id", *VERIFY_STEPS)

_serials = itertools.count(70000)


# --------------------------------------------------------------------------------------------
# Certificates


def new_key() -> crypto.PrivateKey:
    return crypto.generate_private_key("ec", curve="secp256r1")


def issue(
    common_name: str,
    issuer: Optional[CertifiedKey],
    *,
    not_before: dt.datetime = NOW - DAY,
    not_after: dt.datetime = NOW + 30 * DAY,
    key: Optional[crypto.PrivateKey] = None,
    **options: Any,
) -> CertifiedKey:
    """A certificate for ``common_name`` issued by ``issuer`` (self-signed when None)."""
    key = key or new_key()
    cert = make_certificate(
        subject={"common_name": common_name},
        public_key=key,
        issuer_key=key if issuer is None else issuer.private_key,
        issuer=None if issuer is None else issuer.certificate,
        serial_number=next(_serials),
        not_before=not_before,
        not_after=not_after,
        **options,
    )
    return CertifiedKey(cert, key)


def reissue(
    cert: CertifiedKey,
    issuer_key: crypto.PrivateKey,
    *,
    add: Sequence[Dict[str, Any]] = (),
    drop: Sequence[str] = (),
) -> CertifiedKey:
    """``cert`` with extensions added or dropped (asn1crypto names), signed again."""
    tbs = cert.certificate["tbs_certificate"]
    extensions = [x509.Extension.load(e.dump()) for e in tbs["extensions"] if e["extn_id"].native not in drop]
    extensions += [x509.Extension(e) for e in add]
    algorithm = crypto.signature_algorithm(issuer_key, "sha256")
    new_tbs = x509.TbsCertificate({
        "version": "v3",
        "serial_number": tbs["serial_number"].native,
        "signature": algorithm,
        "issuer": x509.Name.load(tbs["issuer"].dump()),
        "validity": x509.Validity.load(tbs["validity"].dump()),
        "subject": x509.Name.load(tbs["subject"].dump()),
        "subject_public_key_info": cert.certificate.public_key,
        "extensions": extensions,
    })
    signature = crypto.sign(issuer_key, new_tbs.dump(), algorithm)
    built = x509.Certificate(
        {"tbs_certificate": new_tbs, "signature_algorithm": algorithm, "signature_value": signature}
    )
    return CertifiedKey(x509.Certificate.load(built.dump()), cert.private_key)


def tamper_signature(cert: CertifiedKey) -> CertifiedKey:
    """``cert`` with the last octet of its signature flipped: same TBS, bad signature."""
    der = bytearray(cert.cert_der)
    der[-1] ^= 0x01
    return CertifiedKey(x509.Certificate.load(bytes(der)), cert.private_key)


@dataclasses.dataclass
class World:
    pki: TestPKI
    leaf: CertifiedKey  # issued by the intermediate
    leaf2: CertifiedKey  # another leaf of the intermediate
    plain: CertifiedKey  # issued by the intermediate, no extendedKeyUsage
    root_signer: CertifiedKey  # issued by the root, no extendedKeyUsage
    sibling: CertifiedKey  # a second CA under the root
    sibling_leaf: CertifiedKey
    other_root: CertifiedKey  # an unrelated self-signed root
    rogue: CertifiedKey  # a self-signed certificate with id-kp-OCSPSigning
    client: CertifiedKey  # signs requests; issued by the intermediate

    @property
    def root(self) -> CertifiedKey:
        return self.pki.root

    @property
    def intermediate(self) -> CertifiedKey:
        return self.pki.intermediate

    @property
    def responder(self) -> CertifiedKey:
        return self.pki.responder


def make_world(now: dt.datetime) -> World:
    pki = TestPKI("ec", now=now)
    sibling = issue("Sibling CA", pki.root, ca=True, not_before=now - DAY, not_after=now + 30 * DAY)
    window: Dict[str, Any] = {"not_before": now - DAY, "not_after": now + 30 * DAY}
    return World(
        pki=pki,
        leaf=pki.issue_leaf("leaf.example"),
        leaf2=pki.issue_leaf("leaf2.example"),
        plain=issue("Plain Signer", pki.intermediate, **window),
        root_signer=issue("Root Signer", pki.root, **window),
        sibling=sibling,
        sibling_leaf=issue("sibling-leaf.example", sibling, **window),
        other_root=issue("Other Root CA", None, ca=True, **window),
        rogue=issue("Rogue Responder", None, extended_key_usage=("ocsp_signing",), **window),
        client=issue("OCSP Client", pki.intermediate, extended_key_usage=("client_auth",), **window),
    )


@pytest.fixture(scope="module")
def w() -> World:
    return make_world(NOW)


# --------------------------------------------------------------------------------------------
# Messages


def cid(cert: CertifiedKey, issuer: CertifiedKey, hash_algorithm: str = "sha1") -> CertID:
    return CertID.from_cert(cert.certificate, issuer.certificate, hash_algorithm)


def respond(
    signer: CertifiedKey,
    cert_ids: Iterable[CertID],
    *,
    certs: Optional[Sequence[CertifiedKey]] = None,
    by: str = "name",
    key: Optional[crypto.PrivateKey] = None,
    statuses: Optional[Sequence[CertStatus]] = None,
    this_update: dt.datetime = NOW,
    next_update: Optional[dt.datetime] = NOW + HOUR,
    produced_at: Optional[dt.datetime] = None,
    nonce: Any = None,
    now: dt.datetime = NOW,
) -> OCSPResponse:
    """A response signed by ``signer`` (or by ``key`` under ``signer``'s name: a bad signature)."""
    builder = ResponseBuilder()
    ids = list(cert_ids)
    for cert_id, status in zip(ids, statuses or [CertStatus.GOOD] * len(ids)):
        revoked: Dict[str, Any] = {"revocation_time": now - DAY} if status is CertStatus.REVOKED else {}
        builder = builder.add_response(cert_id, status, this_update=this_update, next_update=next_update, **revoked)
    builder = builder.with_responder_id(by)
    if certs is not None:
        builder = builder.with_certificates([c.cert_der for c in certs])
    if produced_at is not None:
        builder = builder.with_produced_at(produced_at)
    if nonce is not None:
        builder = builder.with_nonce(nonce)
    return builder.sign(key or signer.private_key, signer.cert_der, now=now)


def envelope(basic: bytes) -> bytes:
    """An OCSPResponse (successful) around the DER of a BasicOCSPResponse."""
    basic_oid = tlv(0x06, bytes.fromhex("2b0601050507300101"))  # id-pkix-ocsp-basic
    return tlv(0x30, b"\x0a\x01\x00" + tlv(0xA0, tlv(0x30, basic_oid + tlv(0x04, basic))))


def raw_response(
    signer: CertifiedKey, responder_id: bytes, singles: Sequence[CertID], certs: Sequence[CertifiedKey]
) -> OCSPResponse:
    """A response written byte by byte: any responder ID, any number of SingleResponses."""
    single_der = b"".join(tlv(0x30, c.dump() + b"\x80\x00" + generalized_time(NOW)) for c in singles)
    tbs = tlv(0x30, responder_id + generalized_time(NOW) + tlv(0x30, single_der))
    algorithm, algorithm_der = signing_algorithm(signer.private_key, "sha256", False)
    signature = crypto.sign(signer.private_key, tbs, algorithm)
    cert_der = tlv(0xA0, tlv(0x30, b"".join(c.cert_der for c in certs))) if certs else b""
    basic = tlv(0x30, tbs + algorithm_der + tlv(0x03, b"\x00" + signature) + cert_der)
    return ocspkit.load_response(envelope(basic))


def raw_signed_request(signer: CertifiedKey, cert_id: CertID, requestor_name: bytes = b"") -> ocspkit.OCSPRequest:
    """A signed request written byte by byte (``requestor_name``: the [1] field's DER, or none)."""
    tbs = tlv(0x30, requestor_name + tlv(0x30, tlv(0x30, cert_id.dump())))
    algorithm, algorithm_der = signing_algorithm(signer.private_key, "sha256", False)
    signature = crypto.sign(signer.private_key, tbs, algorithm)
    optional = algorithm_der + tlv(0x03, b"\x00" + signature) + tlv(0xA0, tlv(0x30, signer.cert_der))
    return ocspkit.load_request(tlv(0x30, tbs + tlv(0xA0, tlv(0x30, optional))))


def sign_request(
    w: World,
    signer: Optional[CertifiedKey] = None,
    *,
    extra: Sequence[CertifiedKey] = (),
    include_certs: bool = True,
    key: Optional[crypto.PrivateKey] = None,
) -> ocspkit.OCSPRequest:
    signer = signer or w.client
    return (
        RequestBuilder()
        .add_cert(w.leaf.certificate, w.intermediate.certificate)
        .sign(
            key or signer.private_key,
            signer.certificate,
            extra_certs=[c.certificate for c in extra],
            include_certs=include_certs,
        )
    )


# --------------------------------------------------------------------------------------------
# Assertions


def checks_of(checks: Sequence[object]) -> List[Check]:
    """Checks as Check objects (an exception's ``.checks`` is typed as plain objects)."""
    assert all(isinstance(c, Check) for c in checks), checks
    return [c for c in checks if isinstance(c, Check)]


def outline(checks: Sequence[object]) -> List[Tuple[str, str]]:
    return [(c.name, c.outcome) for c in checks_of(checks)]


def check_named(checks: Sequence[Check], name: str) -> Check:
    (found,) = [c for c in checks if c.name == name]
    return found


def passed(*names: str) -> List[Tuple[str, str]]:
    return [(name, "passed") for name in names]


def ders(certs: Sequence[Any]) -> List[bytes]:
    return [bytes(c.dump()) for c in certs]


def fails(
    kind: Type[VerificationError], before: Sequence[Tuple[str, str]], call: Callable[[], Any]
) -> VerificationError:
    """``call`` raises ``kind``, whose ``.checks`` are exactly ``before``: the steps that ran
    before the failure, none of them failed and none after it."""
    with pytest.raises(kind) as info:
        call()
    exc = info.value
    assert outline(exc.checks) == list(before), outline(exc.checks)
    for check in checks_of(exc.checks):
        assert check.outcome in ("passed", "skipped")
    return exc


def chain_fails(openssl_error: str, before: Sequence[Tuple[str, str]], call: Callable[[], Any]) -> ChainError:
    exc = fails(ChainError, before, call)
    assert isinstance(exc, ChainError)
    assert exc.openssl_error == openssl_error
    assert exc.reason == "chain"
    assert str(exc).startswith(f"certificate verify error: {openssl_error}: ")
    return exc


def assert_rendered(verdict: Verdict) -> None:
    """str(verdict) names the authorization, the signer, every chain certificate and every check."""
    text = str(verdict)
    assert f"authorized as {verdict.authorization.value}" in text
    assert verdict.signer.subject.native["common_name"] in text
    assert f"from the {verdict.signer_source} certificates" in text
    assert ("id-pkix-ocsp-nocheck" in text) == verdict.nocheck
    for cert in verdict.chain:
        assert cert.subject.native["common_name"] in text
    if not verdict.chain:
        assert "chain: (none)" in text
    for check in verdict.checks:
        assert str(check) in text
        assert str(check) == f"{check.name}: {check.outcome} - {check.detail}"


def clear_caches() -> None:
    """Forget every certificate, signature and chain verification remembers."""
    for module, names in ((certinfo_module, ("_CERTS", "_NAME_KEYS")), (chain_module, ("_SIGNED", "_CHAINS"))):
        for name in names:
            getattr(module, name).clear()


def snapshot(verdict: Verdict) -> Tuple[Any, ...]:
    """A Verdict by value (certificates as DER)."""
    return (
        verdict.authorization, bytes(verdict.signer.dump()), verdict.signer_source, tuple(ders(verdict.chain)),
        verdict.nocheck, verdict.checks, verdict.flags, verdict.now,
    )


# ============================================================================================
# 1. The verdict of each authorization path


def test_verdict_issuer(w: World) -> None:
    response = respond(w.intermediate, [cid(w.leaf, w.intermediate)])
    verdict = verify_response(response, trusted=[w.root.cert_der], now=NOW)
    assert verdict.authorization is Authorization.ISSUER
    assert verdict.signer.dump() == w.intermediate.cert_der
    assert verdict.signer_source == "message"
    assert ders(verdict.chain) == [w.intermediate.cert_der, w.root.cert_der]
    assert verdict.nocheck is False  # a CA certificate carries no id-pkix-ocsp-nocheck
    assert outline(verdict.checks) == passed(*VERIFY_STEPS)
    assert "is the CA the CertIDs name" in verdict.checks[-1].detail
    assert all(c.passed for c in verdict.checks)
    assert verdict.flags is VerifyFlags.NONE
    assert verdict.now == NOW
    assert_rendered(verdict)


def test_verdict_delegated(w: World) -> None:
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate])
    verdict = verify_response(response, trusted=[w.root.cert_der], now=NOW)
    assert verdict.authorization is Authorization.DELEGATED
    assert verdict.signer.dump() == w.responder.cert_der
    assert verdict.signer_source == "message"
    assert ders(verdict.chain) == [w.responder.cert_der, w.intermediate.cert_der, w.root.cert_der]
    assert verdict.nocheck is True  # TestPKI's responder carries id-pkix-ocsp-nocheck
    assert outline(verdict.checks) == passed(*VERIFY_STEPS)
    assert "id-kp-OCSPSigning" in verdict.checks[-1].detail
    assert verdict.flags is VerifyFlags.NONE
    assert verdict.now == NOW
    assert_rendered(verdict)


def test_verdict_trusted_responder(w: World) -> None:
    """TRUSTOTHER with the signer taken from untrusted (openssl ocsp -VAfile): no chain, no
    authorization, not even a trust anchor; a self-signed stranger is accepted as configured."""
    response = respond(w.rogue, [cid(w.leaf, w.intermediate)], certs=[])
    verdict = verify_response(response, untrusted=[w.rogue.cert_der], flags=VerifyFlags.TRUSTOTHER, now=NOW)
    assert verdict.authorization is Authorization.TRUSTED_RESPONDER
    assert verdict.signer.dump() == w.rogue.cert_der
    assert verdict.signer_source == "untrusted"
    assert verdict.chain == ()
    assert verdict.nocheck is False
    assert outline(verdict.checks) == [
        ("find_signer", "passed"), ("signature", "passed"), ("chain", "skipped"), ("authorization", "skipped"),
    ]
    assert "TRUSTOTHER" in verdict.checks[2].detail and "TRUSTOTHER" in verdict.checks[3].detail
    # OpenSSL's flags |= OCSP_NOVERIFY shows in the flags in force.
    assert verdict.flags == VerifyFlags.TRUSTOTHER | VerifyFlags.NOVERIFY
    assert verdict.now == NOW
    assert_rendered(verdict)


def test_verdict_explicit_trust(w: World) -> None:
    """A signer the CertIDs do not authorize, whose chain ends in a root trusted for OCSP signing."""
    response = respond(w.root_signer, [cid(w.leaf, w.intermediate)])
    verdict = verify_response(response, trusted=TrustedCertificate.for_ocsp_signing(w.root.cert_der), now=NOW)
    assert verdict.authorization is Authorization.EXPLICIT_TRUST
    assert verdict.signer.dump() == w.root_signer.cert_der
    assert verdict.signer_source == "message"
    assert ders(verdict.chain) == [w.root_signer.cert_der, w.root.cert_der]
    assert verdict.nocheck is False
    assert outline(verdict.checks) == passed(*VERIFY_STEPS)
    assert "explicitly trusted for OCSP signing" in verdict.checks[-1].detail
    assert verdict.flags is VerifyFlags.NONE
    assert_rendered(verdict)
    # The same root without the trust setting: not authorized.
    exc = fails(
        ResponderNotAuthorized, passed("find_signer", "signature", "chain"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    assert "not explicitly trusted for OCSP signing" in str(exc)


def test_verdict_not_checked_noverify(w: World) -> None:
    response = respond(w.rogue, [cid(w.leaf, w.intermediate)])
    verdict = verify_response(response, flags=VerifyFlags.NOVERIFY, now=NOW)
    assert verdict.authorization is Authorization.NOT_CHECKED
    assert verdict.signer.dump() == w.rogue.cert_der
    assert verdict.signer_source == "message"
    assert verdict.chain == ()
    assert verdict.nocheck is False
    assert outline(verdict.checks) == [
        ("find_signer", "passed"), ("signature", "passed"), ("chain", "skipped"), ("authorization", "skipped"),
    ]
    assert verdict.checks[2].detail == verdict.checks[3].detail == "NOVERIFY"
    assert verdict.flags is VerifyFlags.NOVERIFY
    assert_rendered(verdict)


def test_verdict_not_checked_nochecks(w: World) -> None:
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate])
    verdict = verify_response(response, trusted=[w.root.cert_der], flags=VerifyFlags.NOCHECKS, now=NOW)
    assert verdict.authorization is Authorization.NOT_CHECKED
    assert verdict.signer_source == "message"
    # The chain is still built and checked.
    assert ders(verdict.chain) == [w.responder.cert_der, w.intermediate.cert_der, w.root.cert_der]
    assert verdict.nocheck is True
    assert outline(verdict.checks) == [*passed("find_signer", "signature", "chain"), ("authorization", "skipped")]
    assert verdict.checks[-1].detail == "NOCHECKS"
    assert verdict.flags is VerifyFlags.NOCHECKS
    assert_rendered(verdict)


def test_verdict_now_is_the_instant_in_utc(w: World) -> None:
    response = respond(w.intermediate, [cid(w.leaf, w.intermediate)])
    local = NOW.astimezone(dt.timezone(dt.timedelta(hours=5, minutes=30)))
    verdict = verify_response(response, trusted=[w.root.cert_der], now=local)
    assert verdict.now == NOW and verdict.now.utcoffset() == dt.timedelta(0)


def test_verify_response_takes_every_message_form(w: World) -> None:
    response = respond(w.intermediate, [cid(w.leaf, w.intermediate)])
    expected = snapshot(verify_response(response, trusted=[w.root.cert_der], now=NOW))
    for form in (response.dump(), response.pem(), response.basic):
        assert snapshot(verify_response(form, trusted=[w.root.cert_der], now=NOW)) == expected


# ============================================================================================
# 2. VerifyFlags


def openssl_flag_values() -> Dict[str, int]:
    """The OCSP_* flag #defines of OpenSSL's header (hex values only: the flags), or OpenSSL's
    values written out when the header is not installed."""
    if not OCSP_HEADER.is_file():
        return dict(OPENSSL_FLAGS)
    text = OCSP_HEADER.read_text(encoding="utf-8", errors="replace")
    pattern = r"#\s*define\s+OCSP_(\w+)\s+(0x[0-9A-Fa-f]+)\b"
    values = {m.group(1): int(m.group(2), 16) for m in re.finditer(pattern, text)}
    assert values, f"no OCSP_* flags found in {OCSP_HEADER}"
    return values


def test_flag_values_are_openssls() -> None:
    header = openssl_flag_values()
    members = {name: int(m) for name, m in VerifyFlags.__members__.items() if name != "NONE"}
    assert int(VerifyFlags.NONE) == 0
    # Every verification flag OpenSSL defines, with its value; none of ocspkit's own.
    assert set(members) == set(header) - SIGNING_ONLY
    for name, value in members.items():
        assert header[name] == value, name
    if OCSP_HEADER.is_file():  # the written-out table agrees with the header too
        assert {k: v for k, v in header.items() if k in OPENSSL_FLAGS} == OPENSSL_FLAGS


def test_flag_nointern(w: World) -> None:
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate])
    exc = fails(
        SignerNotFound, [],
        lambda: verify_response(response, trusted=[w.root.cert_der], flags=VerifyFlags.NOINTERN, now=NOW),
    )
    assert "in the response" not in str(exc)  # the response's certificates were not searched
    verdict = verify_response(
        response, trusted=[w.root.cert_der], untrusted=[w.responder.cert_der], flags=VerifyFlags.NOINTERN, now=NOW
    )
    assert verdict.signer_source == "untrusted"
    # The response's certificates still help build the chain (NOINTERN is about the signer only).
    assert ders(verdict.chain) == [w.responder.cert_der, w.intermediate.cert_der, w.root.cert_der]
    assert verdict.authorization is Authorization.DELEGATED


def test_flag_nosigs(w: World) -> None:
    bad = respond(w.intermediate, [cid(w.leaf, w.intermediate)], key=new_key())
    fails(SignatureError, passed("find_signer"), lambda: verify_response(bad, trusted=[w.root.cert_der], now=NOW))
    verdict = verify_response(bad, trusted=[w.root.cert_der], flags=VerifyFlags.NOSIGS, now=NOW)
    assert verdict.authorization is Authorization.ISSUER
    assert outline(verdict.checks) == [
        ("find_signer", "passed"), ("signature", "skipped"), ("chain", "passed"), ("authorization", "passed"),
    ]
    assert verdict.checks[1].detail == "NOSIGS"


def test_flag_nochain(w: World) -> None:
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate])
    assert verify_response(response, trusted=[w.root.cert_der], now=NOW).authorization is Authorization.DELEGATED
    before = passed("find_signer", "signature")
    # Neither the response's certificates nor untrusted help build the chain.
    chain_fails(
        "unable to get local issuer certificate", before,
        lambda: verify_response(response, trusted=[w.root.cert_der], flags=VerifyFlags.NOCHAIN, now=NOW),
    )
    chain_fails(
        "unable to get local issuer certificate", before,
        lambda: verify_response(
            response, trusted=[w.root.cert_der], untrusted=[w.intermediate.cert_der], flags=VerifyFlags.NOCHAIN,
            now=NOW,
        ),
    )
    # The intermediate among the trusted certificates: the chain builds from the store alone.
    verdict = verify_response(
        response, trusted=[w.root.cert_der, w.intermediate.cert_der], flags=VerifyFlags.NOCHAIN, now=NOW
    )
    assert ders(verdict.chain) == [w.responder.cert_der, w.intermediate.cert_der, w.root.cert_der]


def test_flag_noverify(w: World) -> None:
    response = respond(w.rogue, [cid(w.leaf, w.intermediate)])
    chain_fails(
        "self-signed certificate", passed("find_signer", "signature"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    verdict = verify_response(response, trusted=[w.root.cert_der], flags=VerifyFlags.NOVERIFY, now=NOW)
    assert verdict.authorization is Authorization.NOT_CHECKED and verdict.chain == ()
    # NOVERIFY does not turn the signature off.
    bad = respond(w.rogue, [cid(w.leaf, w.intermediate)], key=new_key())
    fails(SignatureError, passed("find_signer"), lambda: verify_response(bad, flags=VerifyFlags.NOVERIFY, now=NOW))


def test_flag_noexplicit(w: World) -> None:
    response = respond(w.root_signer, [cid(w.leaf, w.intermediate)])
    anchor = TrustedCertificate.for_ocsp_signing(w.root.certificate)
    assert verify_response(response, trusted=anchor, now=NOW).authorization is Authorization.EXPLICIT_TRUST
    exc = fails(
        ResponderNotAuthorized, passed("find_signer", "signature", "chain"),
        lambda: verify_response(response, trusted=anchor, flags=VerifyFlags.NOEXPLICIT, now=NOW),
    )
    assert "(NOEXPLICIT)" in str(exc)
    # NOEXPLICIT leaves the RFC 6960 paths alone.
    issuer_signed = respond(w.intermediate, [cid(w.leaf, w.intermediate)])
    verdict = verify_response(issuer_signed, trusted=anchor, flags=VerifyFlags.NOEXPLICIT, now=NOW)
    assert verdict.authorization is Authorization.ISSUER


def test_flag_nochecks(w: World) -> None:
    response = respond(w.plain, [cid(w.leaf, w.intermediate)], certs=[w.plain, w.intermediate])
    fails(
        ResponderNotAuthorized, passed("find_signer", "signature", "chain"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    verdict = verify_response(response, trusted=[w.root.cert_der], flags=VerifyFlags.NOCHECKS, now=NOW)
    assert verdict.authorization is Authorization.NOT_CHECKED
    assert ders(verdict.chain) == [w.plain.cert_der, w.intermediate.cert_der, w.root.cert_der]
    # NOCHECKS still checks the chain.
    rogue = respond(w.rogue, [cid(w.leaf, w.intermediate)])
    chain_fails(
        "self-signed certificate", passed("find_signer", "signature"),
        lambda: verify_response(rogue, trusted=[w.root.cert_der], flags=VerifyFlags.NOCHECKS, now=NOW),
    )


def test_flag_trustother_applies_to_untrusted_signers_only(w: World) -> None:
    response = respond(w.rogue, [cid(w.leaf, w.intermediate)])  # the rogue's certificate in the response
    # Found in the response: TRUSTOTHER changes nothing, the chain is checked.
    chain_fails(
        "self-signed certificate", passed("find_signer", "signature"),
        lambda: verify_response(response, trusted=[w.root.cert_der], flags=VerifyFlags.TRUSTOTHER, now=NOW),
    )
    # Found in untrusted (searched first): trusted as is.
    verdict = verify_response(
        response, trusted=[w.root.cert_der], untrusted=[w.rogue.cert_der], flags=VerifyFlags.TRUSTOTHER, now=NOW
    )
    assert verdict.authorization is Authorization.TRUSTED_RESPONDER and verdict.signer_source == "untrusted"
    # Without TRUSTOTHER a signer from untrusted is verified like any other.
    chain_fails(
        "self-signed certificate", passed("find_signer", "signature"),
        lambda: verify_response(response, trusted=[w.root.cert_der], untrusted=[w.rogue.cert_der], now=NOW),
    )
    # TRUSTOTHER does not skip the signature.
    bad = respond(w.rogue, [cid(w.leaf, w.intermediate)], key=new_key())
    fails(
        SignatureError, passed("find_signer"),
        lambda: verify_response(bad, untrusted=[w.rogue.cert_der], flags=VerifyFlags.TRUSTOTHER, now=NOW),
    )


def test_flag_partial_chain(w: World) -> None:
    """Only the intermediate trusted: OpenSSL needs PARTIAL_CHAIN to end the chain there."""
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate])
    exc = chain_fails(
        "unable to get issuer certificate", passed("find_signer", "signature"),
        lambda: verify_response(response, trusted=[w.intermediate.cert_der], now=NOW),
    )
    assert "PARTIAL_CHAIN" in str(exc)
    verdict = verify_response(
        response, trusted=[w.intermediate.cert_der], flags=VerifyFlags.PARTIAL_CHAIN, now=NOW
    )
    assert verdict.authorization is Authorization.DELEGATED
    assert ders(verdict.chain) == [w.responder.cert_der, w.intermediate.cert_der]
    # A trusted signer ends its own chain: the issuing CA signs, trusted alone.
    issuer_signed = respond(w.intermediate, [cid(w.leaf, w.intermediate)])
    verdict = verify_response(
        issuer_signed, trusted=[w.intermediate.cert_der], flags=VerifyFlags.PARTIAL_CHAIN, now=NOW
    )
    assert verdict.authorization is Authorization.ISSUER
    assert ders(verdict.chain) == [w.intermediate.cert_der]
    # Without it, a trusted signer that is not self-signed still needs its issuer; OpenSSL counts
    # the leaf as untrusted, hence "local" (openssl verify -CAfile inter.pem inter.pem: error 20).
    chain_fails(
        "unable to get local issuer certificate", passed("find_signer", "signature"),
        lambda: verify_response(issuer_signed, trusted=[w.intermediate.cert_der], now=NOW),
    )


def _outcome(call: Callable[[], Verdict]) -> Tuple[Any, ...]:
    try:
        verdict = call()
    except VerificationError as exc:
        return (type(exc), str(exc), exc.checks)
    return snapshot(dataclasses.replace(verdict, flags=VerifyFlags.NONE))


@pytest.mark.parametrize("flag", [VerifyFlags.NOCASIGN, VerifyFlags.NODELEGATED])
def test_flags_nocasign_and_nodelegated_change_nothing(w: World, flag: VerifyFlags) -> None:
    """OpenSSL defines OCSP_NOCASIGN and OCSP_NODELEGATED but never reads them."""
    explicit = TrustedCertificate.for_ocsp_signing(w.root.certificate)
    cases: List[Tuple[OCSPResponse, Any]] = [
        (respond(w.intermediate, [cid(w.leaf, w.intermediate)]), [w.root.cert_der]),  # ISSUER
        (respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate]),
         [w.root.cert_der]),  # DELEGATED
        (respond(w.root_signer, [cid(w.leaf, w.intermediate)]), explicit),  # EXPLICIT_TRUST
        (respond(w.plain, [cid(w.leaf, w.intermediate)], certs=[w.plain, w.intermediate]),
         [w.root.cert_der]),  # not authorized
    ]
    authorizations = []
    for response, trusted in cases:
        plain = _outcome(functools.partial(verify_response, response, trusted=trusted, now=NOW))
        flagged = _outcome(functools.partial(verify_response, response, trusted=trusted, flags=flag, now=NOW))
        assert flagged == plain
        authorizations.append(plain[0])
    assert authorizations == [
        Authorization.ISSUER, Authorization.DELEGATED, Authorization.EXPLICIT_TRUST, ResponderNotAuthorized,
    ]
    response, trusted = cases[0]
    assert verify_response(response, trusted=trusted, flags=flag, now=NOW).flags is flag


def test_flags_as_plain_ints(w: World) -> None:
    response = respond(w.rogue, [cid(w.leaf, w.intermediate)])
    verdict = verify_response(response, flags=0x10, now=NOW)
    assert isinstance(verdict.flags, VerifyFlags) and verdict.flags is VerifyFlags.NOVERIFY
    combined = verify_response(response, flags=int(VerifyFlags.NOVERIFY | VerifyFlags.NOSIGS), now=NOW)
    assert combined.flags == VerifyFlags.NOVERIFY | VerifyFlags.NOSIGS
    assert outline(combined.checks)[1] == ("signature", "skipped")


# ============================================================================================
# 3. Failures, and what they say


def test_signer_not_found(w: World) -> None:
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[])
    exc = fails(SignerNotFound, [], lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW))
    message = str(exc)
    assert "byName CN = ocspkit Test OCSP Responder" in message
    assert "untrusted=" in message
    assert "0 in the response" in message
    assert exc.reason == "signer_not_found"
    by_key = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.intermediate], by="key")
    exc = fails(SignerNotFound, [], lambda: verify_response(by_key, trusted=[w.root.cert_der], now=NOW))
    key_hash = by_key.basic.responder_id.key_hash
    assert key_hash is not None
    assert f"byKey {key_hash.hex().upper()}" in str(exc)
    assert "1 in the response" in str(exc) and "untrusted=" in str(exc)


def test_signature_failure(w: World) -> None:
    bad = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate], key=new_key())
    exc = fails(SignatureError, passed("find_signer"), lambda: verify_response(bad, trusted=[w.root.cert_der], now=NOW))
    assert str(exc).startswith("signature failure: the response signature does not verify with the key of ")
    assert "ocspkit Test OCSP Responder" in str(exc)
    assert exc.reason == "signature"


def test_chain_expired(w: World) -> None:
    expired = issue("Expired Responder", w.intermediate, extended_key_usage=("ocsp_signing",),
                    not_before=NOW - 10 * DAY, not_after=NOW - HOUR)
    response = respond(expired, [cid(w.leaf, w.intermediate)], certs=[expired, w.intermediate])
    exc = chain_fails(
        "certificate has expired", passed("find_signer", "signature"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    assert "Expired Responder expired at" in str(exc)
    # An hour before it expired, it verified.
    verdict = verify_response(response, trusted=[w.root.cert_der], now=NOW - 2 * HOUR)
    assert verdict.authorization is Authorization.DELEGATED


def test_chain_validity_boundaries_are_openssls(w: World) -> None:
    """X509_cmp_time counts "equal" as "earlier": valid from notBefore itself, expired at notAfter itself."""
    cert = issue("Boundary Responder", w.intermediate, extended_key_usage=("ocsp_signing",),
                 not_before=NOW - HOUR, not_after=NOW + HOUR)
    response = respond(cert, [cid(w.leaf, w.intermediate)], certs=[cert, w.intermediate])
    assert verify_response(response, trusted=[w.root.cert_der], now=NOW - HOUR).authorization is Authorization.DELEGATED
    before = passed("find_signer", "signature")
    chain_fails("certificate is not yet valid", before,
                lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW - HOUR - dt.timedelta(seconds=1)))
    chain_fails("certificate has expired", before,
                lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW + HOUR))
    assert verify_response(
        response, trusted=[w.root.cert_der], now=NOW + HOUR - dt.timedelta(seconds=1)
    ).authorization is Authorization.DELEGATED


def test_chain_not_yet_valid(w: World) -> None:
    future = issue("Future Responder", w.intermediate, extended_key_usage=("ocsp_signing",),
                   not_before=NOW + DAY, not_after=NOW + 10 * DAY)
    response = respond(future, [cid(w.leaf, w.intermediate)], certs=[future, w.intermediate])
    exc = chain_fails(
        "certificate is not yet valid", passed("find_signer", "signature"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    assert "Future Responder is not valid before" in str(exc)


def test_chain_unknown_issuer(w: World) -> None:
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder])
    exc = chain_fails(
        "unable to get local issuer certificate", passed("find_signer", "signature"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    assert "ocspkit Test Intermediate CA" in str(exc)  # the missing issuer, by name
    assert "trusted= or untrusted=" in str(exc)
    # Supplying the intermediate fixes it.
    verdict = verify_response(response, trusted=[w.root.cert_der], untrusted=[w.intermediate.cert_der], now=NOW)
    assert verdict.authorization is Authorization.DELEGATED
    # An unrelated root does not.
    full = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate])
    chain_fails(
        "unable to get local issuer certificate", passed("find_signer", "signature"),
        lambda: verify_response(full, trusted=[w.other_root.cert_der], now=NOW),
    )


def test_chain_self_signed_signer(w: World) -> None:
    response = respond(w.rogue, [cid(w.leaf, w.intermediate)])
    exc = chain_fails(
        "self-signed certificate", passed("find_signer", "signature"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    assert "Rogue Responder" in str(exc) and "trusted" in str(exc).split(": ", 2)[2]


def test_chain_self_signed_root_not_trusted(w: World) -> None:
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate, w.root])
    exc = chain_fails(
        "self-signed certificate in certificate chain", passed("find_signer", "signature"),
        lambda: verify_response(response, trusted=[w.other_root.cert_der], now=NOW),
    )
    assert "ocspkit Test Root CA" in str(exc)


@pytest.mark.parametrize("shape", ["cA_false", "no_basic_constraints"])
def test_chain_invalid_ca(w: World, shape: str) -> None:
    """An intermediate that is not a CA (cA FALSE, or no basicConstraints at all) cannot issue."""
    window: Dict[str, Any] = {"not_before": NOW - DAY, "not_after": NOW + 30 * DAY}
    fake = issue("Not A CA", w.root, key_usage=("key_cert_sign", "digital_signature"), **window)
    if shape == "no_basic_constraints":
        fake = reissue(fake, w.root.private_key, drop=["basic_constraints"])
        assert fake.certificate.basic_constraints_value is None
    signer = issue("Under Not A CA", fake, extended_key_usage=("ocsp_signing",), **window)
    leaf = issue("leaf-under-fake.example", fake, **window)
    response = respond(signer, [cid(leaf, fake)], certs=[signer, fake])
    exc = chain_fails(
        "invalid CA certificate", passed("find_signer", "signature"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    assert "Not A CA issues" in str(exc)


def test_chain_path_length_exceeded(w: World) -> None:
    """The intermediate has pathLenConstraint 0: a CA below it cannot issue a responder."""
    assert w.intermediate.certificate.basic_constraints_value["path_len_constraint"].native == 0
    window: Dict[str, Any] = {"not_before": NOW - DAY, "not_after": NOW + 30 * DAY}
    sub = issue("Sub CA", w.intermediate, ca=True, **window)
    signer = issue("Sub Responder", sub, extended_key_usage=("ocsp_signing",), **window)
    leaf = issue("sub-leaf.example", sub, **window)
    response = respond(signer, [cid(leaf, sub)], certs=[signer, sub, w.intermediate])
    exc = chain_fails(
        "path length constraint exceeded", passed("find_signer", "signature"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    assert "ocspkit Test Intermediate CA allows 0" in str(exc)
    # One level higher is within the constraint: the sub CA itself signs.
    own = respond(sub, [cid(leaf, sub)], certs=[sub, w.intermediate])
    assert verify_response(own, trusted=[w.root.cert_der], now=NOW).authorization is Authorization.ISSUER


def test_chain_unhandled_critical_extension(w: World) -> None:
    base = issue("Critical Responder", w.intermediate, extended_key_usage=("ocsp_signing",))
    odd = reissue(base, w.intermediate.private_key,
                  add=[{"extn_id": "1.3.6.1.4.1.55555.1", "critical": True, "extn_value": b"\x05\x00"}])
    response = respond(odd, [cid(w.leaf, w.intermediate)], certs=[odd, w.intermediate])
    exc = chain_fails(
        "unhandled critical extension", passed("find_signer", "signature"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    assert "1.3.6.1.4.1.55555.1" in str(exc) and "Critical Responder" in str(exc)
    # The same extension, not critical: fine.
    mild = reissue(base, w.intermediate.private_key,
                   add=[{"extn_id": "1.3.6.1.4.1.55555.1", "critical": False, "extn_value": b"\x05\x00"}])
    response = respond(mild, [cid(w.leaf, w.intermediate)], certs=[mild, w.intermediate])
    assert verify_response(response, trusted=[w.root.cert_der], now=NOW).authorization is Authorization.DELEGATED


def test_chain_issuing_ca_without_key_cert_sign(w: World) -> None:
    window: Dict[str, Any] = {"not_before": NOW - DAY, "not_after": NOW + 30 * DAY}
    ca = issue("CRL-only CA", w.root, ca=True, key_usage=("crl_sign", "digital_signature"), **window)
    signer = issue("CRL-only Responder", ca, extended_key_usage=("ocsp_signing",), **window)
    leaf = issue("crl-only-leaf.example", ca, **window)
    response = respond(signer, [cid(leaf, ca)], certs=[signer, ca])
    exc = chain_fails(
        "invalid CA certificate", passed("find_signer", "signature"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    assert "CRL-only CA issues CN = CRL-only Responder" in str(exc)
    assert "keyCertSign" in str(exc)


def test_not_authorized_without_ocsp_signing_eku(w: World) -> None:
    response = respond(w.plain, [cid(w.leaf, w.intermediate)], certs=[w.plain, w.intermediate])
    exc = fails(
        ResponderNotAuthorized, passed("find_signer", "signature", "chain"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    message = str(exc)
    assert message.startswith("responder not authorized: ")
    assert "Plain Signer" in message and "no id-kp-OCSPSigning" in message
    assert "not explicitly trusted for OCSP signing" in message
    assert exc.reason == "not_authorized"


def test_not_authorized_for_another_issuer(w: World) -> None:
    """The intermediate's delegated responder answers for a certificate of the sibling CA."""
    response = respond(w.responder, [cid(w.sibling_leaf, w.sibling)], certs=[w.responder, w.intermediate])
    exc = fails(
        ResponderNotAuthorized, passed("find_signer", "signature", "chain"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    assert "is not the CA the CertIDs name, nor a responder that CA delegated to" in str(exc)
    # The sibling CA's own answer is authorized.
    own = respond(w.sibling, [cid(w.sibling_leaf, w.sibling)])
    assert verify_response(own, trusted=[w.root.cert_der], now=NOW).authorization is Authorization.ISSUER


def test_not_authorized_mixed_issuers_same_hash(w: World) -> None:
    ids = [cid(w.leaf, w.intermediate), cid(w.sibling_leaf, w.sibling)]
    response = respond(w.intermediate, ids)
    exc = fails(
        ResponderNotAuthorized, passed("find_signer", "signature", "chain"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    assert "different issuers" in str(exc)


def test_zero_single_responses(w: World) -> None:
    response = raw_response(w.intermediate, tlv(0xA1, w.intermediate.certificate.subject.dump()), [], [w.intermediate])
    assert response.responses == ()
    exc = fails(
        CertIDMismatch, passed("find_signer", "signature", "chain"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    assert "no SingleResponse" in str(exc)
    # NOCHECKS skips the step that needs a SingleResponse.
    verdict = verify_response(response, trusted=[w.root.cert_der], flags=VerifyFlags.NOCHECKS, now=NOW)
    assert verdict.authorization is Authorization.NOT_CHECKED


def test_trusted_responder_alone_needs_explicit_trust(w: World) -> None:
    """PARTIAL_CHAIN with the delegated responder itself trusted: the chain is the responder
    alone, which is not the CA the CertIDs name, so only explicit OCSP-signing trust of it
    authorizes (ocsp_check_issuer, then X509_check_trust(responder, NID_OCSP_sign))."""
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder])
    exc = fails(
        ResponderNotAuthorized, passed("find_signer", "signature", "chain"),
        lambda: verify_response(response, trusted=[w.responder.cert_der], flags=VerifyFlags.PARTIAL_CHAIN, now=NOW),
    )
    assert "not explicitly trusted for OCSP signing" in str(exc)
    verdict = verify_response(
        response, trusted=TrustedCertificate.for_ocsp_signing(w.responder.cert_der),
        flags=VerifyFlags.PARTIAL_CHAIN, now=NOW,
    )
    assert verdict.authorization is Authorization.EXPLICIT_TRUST
    assert ders(verdict.chain) == [w.responder.cert_der]


def _failing_cases(w: World) -> List[Tuple[str, OCSPResponse, Any, Type[VerificationError], VerifyFlags]]:
    """(name, response, trusted, error, flags that turn off only the steps after the failing one)."""
    leaf_id = [cid(w.leaf, w.intermediate)]
    later_than_signature = VerifyFlags.NOVERIFY | VerifyFlags.NOCHECKS | VerifyFlags.NOEXPLICIT
    return [
        ("find_signer", respond(w.responder, leaf_id, certs=[]), [w.root.cert_der], SignerNotFound,
         VerifyFlags.NOSIGS | later_than_signature | VerifyFlags.TRUSTOTHER),
        ("signature", respond(w.responder, leaf_id, certs=[w.responder, w.intermediate], key=new_key()),
         [w.root.cert_der], SignatureError, later_than_signature | VerifyFlags.PARTIAL_CHAIN),
        ("chain", respond(w.rogue, leaf_id), [w.root.cert_der], ChainError,
         VerifyFlags.NOSIGS | VerifyFlags.NOCHECKS | VerifyFlags.NOEXPLICIT | VerifyFlags.TRUSTOTHER),
        ("authorization", respond(w.plain, leaf_id, certs=[w.plain, w.intermediate]), [w.root.cert_der],
         ResponderNotAuthorized,
         VerifyFlags.NOSIGS | VerifyFlags.NOEXPLICIT | VerifyFlags.NOCASIGN | VerifyFlags.NODELEGATED),
    ]


def test_no_success_after_a_failed_step(w: World) -> None:
    """Turning off the steps after a failing one never turns the failure into a success."""
    for name, response, trusted, error, later in _failing_cases(w):
        for flags in (VerifyFlags.NONE, later):
            with pytest.raises(error) as info:
                verify_response(response, trusted=trusted, flags=flags, now=NOW)
            checks = checks_of(info.value.checks)
            names = [c.name for c in checks]
            assert names == list(VERIFY_STEPS[: VERIFY_STEPS.index(name)]), (name, flags, names)
            assert all(c.outcome == "passed" or c.detail == "NOSIGS" for c in checks)


# ============================================================================================
# 4. Mixed CertID hash algorithms (ocsp_check_ids' "algorithm mismatch")


def test_mixed_hash_algorithms_same_issuer_authorize(w: World) -> None:
    ids = [cid(w.leaf, w.intermediate, "sha1"), cid(w.leaf, w.intermediate, "sha256"),
           cid(w.leaf2, w.intermediate, "sha384")]
    by_issuer = respond(w.intermediate, ids)
    assert verify_response(by_issuer, trusted=[w.root.cert_der], now=NOW).authorization is Authorization.ISSUER
    delegated = respond(w.responder, ids, certs=[w.responder, w.intermediate])
    verdict = verify_response(delegated, trusted=[w.root.cert_der], now=NOW)
    assert verdict.authorization is Authorization.DELEGATED


def test_mixed_hash_algorithms_different_issuers_refused(w: World) -> None:
    ids = [cid(w.leaf, w.intermediate, "sha1"), cid(w.sibling_leaf, w.sibling, "sha256")]
    for signer, certs in ((w.intermediate, [w.intermediate]), (w.responder, [w.responder, w.intermediate]),
                          (w.sibling, [w.sibling])):
        response = respond(signer, ids, certs=certs)
        fails(
            ResponderNotAuthorized, passed("find_signer", "signature", "chain"),
            functools.partial(verify_response, response, trusted=[w.root.cert_der], now=NOW),
        )
    # The issuers differ first by hash, then a same-hash CertID of another issuer: still refused.
    ids = [cid(w.leaf, w.intermediate, "sha1"), cid(w.leaf, w.intermediate, "sha256"),
           cid(w.sibling_leaf, w.sibling, "sha1")]
    response = respond(w.intermediate, ids)
    fails(
        ResponderNotAuthorized, passed("find_signer", "signature", "chain"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )


# ============================================================================================
# 5. Responder IDs and where the signer is found


def test_responder_id_by_key_and_by_name(w: World) -> None:
    ids = [cid(w.leaf, w.intermediate)]
    certs = [w.responder, w.intermediate]
    by_name = respond(w.responder, ids, certs=certs, by="name")
    by_key = respond(w.responder, ids, certs=certs, by="key")
    assert by_name.basic.responder_id.type is ocspkit.ResponderIDType.BY_NAME
    assert by_key.basic.responder_id.type is ocspkit.ResponderIDType.BY_KEY
    assert by_key.basic.responder_id.key_hash == crypto.key_hash(w.responder.certificate.public_key)
    a = verify_response(by_name, trusted=[w.root.cert_der], now=NOW)
    b = verify_response(by_key, trusted=[w.root.cert_der], now=NOW)
    assert snapshot(a) == snapshot(b)
    assert a.authorization is Authorization.DELEGATED


def test_signer_found_in_untrusted_before_the_response(w: World) -> None:
    for by in ("name", "key"):
        response = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate], by=by)
        verdict = verify_response(response, trusted=[w.root.cert_der], untrusted=[w.responder.cert_der], now=NOW)
        assert verdict.signer_source == "untrusted", by
        assert verdict.checks[0].detail.endswith("from the untrusted certificates")


def test_untrusted_namesake_is_picked_first(w: World) -> None:
    """ocsp_find_signer takes the first match in the caller's certificates: a certificate with the
    responder's name but another key is chosen over the response's own, and the signature fails."""
    namesake = issue("ocspkit Test OCSP Responder", w.intermediate, extended_key_usage=("ocsp_signing",))
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate])
    exc = fails(
        SignatureError, passed("find_signer"),
        lambda: verify_response(response, trusted=[w.root.cert_der], untrusted=[namesake.cert_der], now=NOW),
    )
    assert checks_of(exc.checks)[0].detail.endswith("from the untrusted certificates")
    # byKey does not match the namesake's key: the response's certificate is used.
    by_key = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate], by="key")
    verdict = verify_response(by_key, trusted=[w.root.cert_der], untrusted=[namesake.cert_der], now=NOW)
    assert verdict.signer_source == "message" and verdict.signer.dump() == w.responder.cert_der


def test_by_name_matches_canonically(w: World) -> None:
    """byName is compared as X509_NAME_cmp compares: canonical form, so another string type and
    other letter case name the same responder; another name does not."""
    for name in (
        x509.Name.build({"common_name": "ocspkit Test OCSP Responder"}, use_printable=True),
        x509.Name.build({"common_name": "OCSPKIT  test ocsp RESPONDER"}),
    ):
        assert name.dump() != w.responder.certificate.subject.dump()
        response = raw_response(
            w.responder, tlv(0xA1, name.dump()), [cid(w.leaf, w.intermediate)], [w.responder, w.intermediate]
        )
        verdict = verify_response(response, trusted=[w.root.cert_der], now=NOW)
        assert verdict.signer.dump() == w.responder.cert_der
    other = x509.Name.build({"common_name": "ocspkit Test OCSP Responder 2"})
    response = raw_response(
        w.responder, tlv(0xA1, other.dump()), [cid(w.leaf, w.intermediate)], [w.responder, w.intermediate]
    )
    fails(SignerNotFound, [], lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW))


@pytest.mark.parametrize("length", [19, 21, 32])
def test_by_key_hash_of_another_length_finds_nothing(w: World, length: int) -> None:
    """RFC 6960 4.2.1: KeyHash is a SHA-1 hash; OpenSSL ignores a byKey of any other length."""
    bits = w.intermediate.certificate.public_key["public_key"].contents[1:]
    sha1 = hashlib.sha1(bits).digest()
    key_hash = {19: sha1[:19], 21: sha1 + b"\x00", 32: hashlib.sha256(bits).digest()}[length]
    response = raw_response(
        w.intermediate, tlv(0xA2, tlv(0x04, key_hash)), [cid(w.leaf, w.intermediate)], [w.intermediate]
    )
    assert response.basic.responder_id.key_hash == key_hash
    exc = fails(
        SignerNotFound, [],
        lambda: verify_response(response, trusted=[w.root.cert_der], untrusted=[w.intermediate.cert_der], now=NOW),
    )
    assert key_hash.hex().upper() in str(exc)
    # The same response with the SHA-1 key hash is found.
    good = raw_response(w.intermediate, tlv(0xA2, tlv(0x04, sha1)), [cid(w.leaf, w.intermediate)], [w.intermediate])
    assert verify_response(good, trusted=[w.root.cert_der], now=NOW).authorization is Authorization.ISSUER


# ============================================================================================
# 6. verify_request


def test_request_signed_verifies_to_a_chain(w: World) -> None:
    request = sign_request(w, extra=[w.intermediate])
    assert request.is_signed and len(request.certs) == 2
    verdict = verify_request(request, trusted=[w.root.cert_der], now=NOW)
    assert verdict.authorization is Authorization.CHAIN
    assert verdict.signer.dump() == w.client.cert_der
    assert verdict.signer_source == "message"
    assert ders(verdict.chain) == [w.client.cert_der, w.intermediate.cert_der, w.root.cert_der]
    assert verdict.nocheck is False
    # A request needs no authorization: three checks.
    assert outline(verdict.checks) == passed("find_signer", "signature", "chain")
    assert verdict.flags is VerifyFlags.NONE and verdict.now == NOW
    assert_rendered(verdict)
    # DER and PEM forms.
    for form in (request.dump(), request.pem()):
        assert snapshot(verify_request(form, trusted=[w.root.cert_der], now=NOW)) == snapshot(verdict)


def test_request_unsigned(w: World) -> None:
    request = RequestBuilder().add_cert(w.leaf.certificate, w.intermediate.certificate).build()
    exc = fails(SignerNotFound, [], lambda: verify_request(request, trusted=[w.root.cert_der], now=NOW))
    assert "not signed" in str(exc)


def test_request_without_requestor_name(w: World) -> None:
    request = raw_signed_request(w.client, cid(w.leaf, w.intermediate))
    assert request.is_signed and request.requestor_name is None
    exc = fails(SignerNotFound, [], lambda: verify_request(request, trusted=[w.root.cert_der], now=NOW))
    assert "requestorName is absent or not a directoryName" in str(exc)


def test_request_requestor_name_not_a_directory_name(w: World) -> None:
    uri = x509.GeneralName(name="uniform_resource_identifier", value="http://client.example/")
    request = (
        RequestBuilder()
        .add_cert(w.leaf.certificate, w.intermediate.certificate)
        .with_requestor_name(uri)
        .sign(w.client.private_key, w.client.certificate)
    )
    assert request.requestor_name.name == "uniform_resource_identifier"
    exc = fails(SignerNotFound, [], lambda: verify_request(request, trusted=[w.root.cert_der], now=NOW))
    assert "not a directoryName" in str(exc)


def test_request_signer_not_found(w: World) -> None:
    """A directoryName no certificate has as its subject: the message names it."""
    request = sign_request(w, include_certs=False)
    exc = fails(SignerNotFound, [], lambda: verify_request(request, trusted=[w.root.cert_der], now=NOW))
    assert "CN = OCSP Client" in str(exc) and "untrusted=" in str(exc)


def test_request_bad_signature(w: World) -> None:
    request = sign_request(w, extra=[w.intermediate], key=new_key())
    exc = fails(
        SignatureError, passed("find_signer"), lambda: verify_request(request, trusted=[w.root.cert_der], now=NOW)
    )
    assert "the request signature does not verify" in str(exc)
    verdict = verify_request(request, trusted=[w.root.cert_der], flags=VerifyFlags.NOSIGS, now=NOW)
    assert outline(verdict.checks) == [("find_signer", "passed"), ("signature", "skipped"), ("chain", "passed")]


def test_request_chain_uses_the_request_certificates_only(w: World) -> None:
    """OCSP_request_verify builds the chain with req->optionalSignature->certs, never with
    ``certs`` (untrusted): see _finish, ``helpers = message_certs`` when basic is None."""
    request = sign_request(w)  # the client's certificate only
    chain_fails(
        "unable to get local issuer certificate", passed("find_signer", "signature"),
        lambda: verify_request(request, trusted=[w.root.cert_der], untrusted=[w.intermediate.cert_der], now=NOW),
    )
    # The same intermediate inside the request: verified. (verify_response would use untrusted.)
    with_intermediate = sign_request(w, extra=[w.intermediate])
    verdict = verify_request(with_intermediate, trusted=[w.root.cert_der], now=NOW)
    assert verdict.authorization is Authorization.CHAIN
    # NOCHAIN: not even the request's certificates.
    chain_fails(
        "unable to get local issuer certificate", passed("find_signer", "signature"),
        lambda: verify_request(with_intermediate, trusted=[w.root.cert_der], flags=VerifyFlags.NOCHAIN, now=NOW),
    )


def test_request_signer_found_in_the_request_before_untrusted(w: World) -> None:
    """ocsp_req_find_signer: the request's certificates first (unless NOINTERN), then untrusted."""
    namesake = issue("OCSP Client", w.intermediate)
    request = sign_request(w, extra=[w.intermediate])
    verdict = verify_request(request, trusted=[w.root.cert_der], untrusted=[namesake.cert_der], now=NOW)
    assert verdict.signer_source == "message" and verdict.signer.dump() == w.client.cert_der
    exc = fails(
        SignatureError, passed("find_signer"),
        lambda: verify_request(
            request, trusted=[w.root.cert_der], untrusted=[namesake.cert_der], flags=VerifyFlags.NOINTERN, now=NOW
        ),
    )
    assert checks_of(exc.checks)[0].detail.endswith("from the untrusted certificates")


def test_request_trustother(w: World) -> None:
    request = sign_request(w, include_certs=False)
    chain_fails(
        "unable to get local issuer certificate", passed("find_signer", "signature"),
        lambda: verify_request(request, untrusted=[w.client.cert_der], now=NOW),
    )
    verdict = verify_request(request, untrusted=[w.client.cert_der], flags=VerifyFlags.TRUSTOTHER, now=NOW)
    assert verdict.authorization is Authorization.TRUSTED_RESPONDER
    assert verdict.signer_source == "untrusted" and verdict.chain == ()
    assert outline(verdict.checks) == [
        ("find_signer", "passed"), ("signature", "passed"), ("chain", "skipped"), ("authorization", "skipped"),
    ]
    # A signer from the request itself is still verified under TRUSTOTHER.
    own = sign_request(w)
    chain_fails(
        "unable to get local issuer certificate", passed("find_signer", "signature"),
        lambda: verify_request(own, flags=VerifyFlags.TRUSTOTHER, now=NOW),
    )
    noverify = verify_request(own, flags=VerifyFlags.NOVERIFY, now=NOW)
    assert noverify.authorization is Authorization.NOT_CHECKED


# --- the same requests through libcrypto's OCSP_request_verify ------------------------------

LIVE = dt.datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="module")
def live() -> World:
    """A PKI valid at the present: libcrypto checks the chain against the real clock."""
    libcrypto_cdll("OCSP_request_verify")
    return make_world(LIVE)


def _request_case(live: World, case: str) -> Tuple[ocspkit.OCSPRequest, int]:
    if case == "chain":
        return sign_request(live, extra=[live.intermediate]), 0
    if case == "no_intermediate":
        return sign_request(live), 0
    if case == "bad_signature":
        return sign_request(live, extra=[live.intermediate], key=new_key()), 0
    if case == "bad_signature_nosigs":
        return sign_request(live, extra=[live.intermediate], key=new_key()), int(VerifyFlags.NOSIGS)
    if case == "unsigned":
        return RequestBuilder().add_cert(live.leaf.certificate, live.intermediate.certificate).build(), 0
    if case == "self_signed":
        return sign_request(live, live.rogue), 0
    if case == "self_signed_noverify":
        return sign_request(live, live.rogue), int(VerifyFlags.NOVERIFY)
    if case == "nochain":
        return sign_request(live, extra=[live.intermediate]), int(VerifyFlags.NOCHAIN)
    if case == "nointern":
        return sign_request(live, extra=[live.intermediate]), int(VerifyFlags.NOINTERN)
    if case == "expired_signer":
        expired = issue("Expired Client", live.root, not_before=LIVE - 10 * DAY, not_after=LIVE - DAY)
        return sign_request(live, expired), 0
    raise AssertionError(case)


REQUEST_CASES = {
    "chain": True, "no_intermediate": False, "bad_signature": False, "bad_signature_nosigs": True,
    "unsigned": False, "self_signed": False, "self_signed_noverify": True, "nochain": False, "nointern": False,
    "expired_signer": False,
}


@pytest.mark.parametrize("case", sorted(REQUEST_CASES))
def test_request_verify_agrees_with_libcrypto(live: World, case: str) -> None:
    request, flags = _request_case(live, case)
    result, errors = libcrypto_request_verify(request.dump(), [live.root.cert_der], flags)
    try:
        verify_request(request, trusted=[live.root.cert_der], flags=flags, now=LIVE)
        ours = True
    except VerificationError:
        ours = False
    assert (result == 1) == REQUEST_CASES[case], (result, errors)
    assert ours == (result == 1), (case, result, errors)


def _libcrypto_request_verify_with_aux(request_der: bytes, anchor: bytes) -> Tuple[int, int]:
    """OCSP_request_verify with one anchor read by d2i_X509_AUX (its trust settings kept); also
    X509_check_trust(anchor, NID_OCSP_sign, 0), proving the settings were loaded."""
    lib = _lib()
    vp = ctypes.c_void_p
    lib.d2i_X509_AUX.restype = vp
    lib.d2i_X509_AUX.argtypes = [vp, ctypes.POINTER(ctypes.c_char_p), ctypes.c_long]
    lib.X509_check_trust.restype = ctypes.c_int
    lib.X509_check_trust.argtypes = [vp, ctypes.c_int, ctypes.c_int]
    lib.OBJ_txt2nid.restype = ctypes.c_int
    lib.OBJ_txt2nid.argtypes = [ctypes.c_char_p]
    _errors(lib)
    request = _d2i(lib.d2i_OCSP_REQUEST, request_der)
    cert = _d2i(lib.d2i_X509_AUX, anchor)
    store = lib.X509_STORE_new()
    try:
        assert request and cert
        assert lib.X509_STORE_add_cert(store, cert) == 1
        trust = int(lib.X509_check_trust(cert, lib.OBJ_txt2nid(OID.KP_OCSP_SIGNING.encode()), 0))
        return int(lib.OCSP_request_verify(request, None, store, 0)), trust
    finally:
        if request:
            lib.OCSP_REQUEST_free(request)
        if cert:
            lib.X509_free(cert)
        lib.X509_STORE_free(store)
        _errors(lib)


X509_TRUST_TRUSTED, X509_TRUST_REJECTED = 1, 2


@pytest.mark.parametrize(
    ("settings", "ocsp_sign_trust"),
    [
        (["-addtrust", "OCSP"], X509_TRUST_REJECTED),  # id-ad-ocsp trusted, OCSPSigning not listed
        (["-addtrust", "OCSPSigning"], X509_TRUST_TRUSTED),
        (["-addreject", "OCSP"], 3),  # X509_TRUST_UNTRUSTED: no trust list
        (["-addreject", "clientAuth"], 3),
    ],
    ids=["addtrust-OCSP", "addtrust-OCSPSigning", "addreject-OCSP", "addreject-clientAuth"],
)
def test_request_anchor_trust_settings_agree_with_libcrypto(
    live: World, openssl_bin: str, tmp_path: Path, settings: List[str], ocsp_sign_trust: int
) -> None:
    """OCSP_request_verify sets the purpose OCSP_HELPER (trust "compatible") before it sets
    X509_TRUST_OCSP_REQUEST, and X509_STORE_CTX_purpose_inherit keeps the first trust it got: a
    self-signed anchor is trusted whatever its TRUSTED CERTIFICATE settings say."""
    source = tmp_path / "root.pem"
    source.write_bytes(live.root.cert_pem)
    target = tmp_path / "trusted.pem"
    run = subprocess.run(
        [openssl_bin, "x509", "-in", str(source), *settings, "-out", str(target)],
        capture_output=True, text=True, timeout=30, check=False,
    )
    assert run.returncode == 0, run.stderr
    kind, _headers, anchor_der = pem.unarmor(target.read_bytes())
    assert kind == "TRUSTED CERTIFICATE"
    request = sign_request(live, extra=[live.intermediate])
    result, trust = _libcrypto_request_verify_with_aux(request.dump(), anchor_der)
    assert trust == ocsp_sign_trust  # libcrypto did read the trust settings
    try:
        verify_request(request, trusted=target, now=LIVE)
        ours = True
    except VerificationError as exc:
        ours = False
        detail = str(exc)
    else:
        detail = ""
    assert ours == (result == 1), (settings, result, detail)


# ============================================================================================
# 7. check_status


def test_status_good(w: World) -> None:
    response = respond(w.responder, [cid(w.leaf, w.intermediate)])
    status = check_status(response, w.leaf.certificate, w.intermediate.certificate, now=NOW)
    assert status.status is CertStatus.GOOD and status.good and not status.revoked
    assert status.revocation_time is None and status.revocation_reason is None
    assert status.this_update == NOW and status.next_update == NOW + HOUR
    assert status.response is response
    assert status.single_response.cert_id == cid(w.leaf, w.intermediate)
    assert status.nonce is None
    assert outline(status.checks) == [*passed(*STATUS_STEPS, "produced_at", "validity"),
                                      ("nonce", "skipped")]
    assert status.checks == status.verdict.checks
    # The default: the issuer is the trust anchor, the chain stops there.
    assert status.verdict.authorization is Authorization.DELEGATED
    assert ders(status.verdict.chain) == [w.responder.cert_der, w.intermediate.cert_der]
    assert_rendered(status.verdict)


def test_status_revoked(w: World) -> None:
    when = NOW - 3 * DAY
    response = (
        ResponseBuilder()
        .add_response(cid(w.leaf, w.intermediate), "revoked", this_update=NOW, next_update=NOW + HOUR,
                      revocation_time=when, revocation_reason=RevocationReason.KEY_COMPROMISE)
        .sign(w.responder.private_key, w.responder.cert_der, now=NOW)
    )
    status = check_status(response, w.leaf.cert_der, w.intermediate.cert_der, now=NOW)
    assert status.status is CertStatus.REVOKED and status.revoked and not status.good
    assert status.revocation_time == when
    assert status.revocation_reason is RevocationReason.KEY_COMPROMISE


def test_status_unknown(w: World) -> None:
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], statuses=[CertStatus.UNKNOWN])
    status = check_status(response, w.leaf.cert_pem, w.intermediate.cert_pem, now=NOW)
    assert status.status is CertStatus.UNKNOWN and not status.good and not status.revoked


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((CertStatus.GOOD, CertStatus.REVOKED), CertStatus.REVOKED),
        ((CertStatus.REVOKED, CertStatus.GOOD), CertStatus.REVOKED),
        ((CertStatus.GOOD, CertStatus.UNKNOWN), CertStatus.UNKNOWN),
        ((CertStatus.UNKNOWN, CertStatus.REVOKED, CertStatus.GOOD), CertStatus.REVOKED),
        ((CertStatus.GOOD, CertStatus.GOOD), CertStatus.GOOD),
    ],
)
def test_status_most_severe_wins(w: World, statuses: Tuple[CertStatus, ...], expected: CertStatus) -> None:
    hashes = ["sha1", "sha256", "sha1"]
    ids = [cid(w.leaf, w.intermediate, hashes[i]) for i in range(len(statuses))]
    # Another certificate's revocation does not count.
    ids.append(cid(w.leaf2, w.intermediate))
    response = respond(w.responder, ids, statuses=[*statuses, CertStatus.REVOKED])
    status = check_status(response, w.leaf.certificate, w.intermediate.certificate, now=NOW)
    assert status.status is expected
    assert status.single_response.cert_status is expected
    assert status.single_response.cert_id.serial_number == w.leaf.serial_number
    assert f"{len(statuses)} SingleResponse(s)" in check_named(status.checks, "cert_id").detail


def test_status_cert_id_mismatch(w: World) -> None:
    response = respond(w.responder, [cid(w.leaf2, w.intermediate)])
    exc = fails(
        CertIDMismatch, [],
        lambda: check_status(response, w.leaf.certificate, w.intermediate.certificate, now=NOW),
    )
    assert f"serial {w.leaf.serial_number:X}" in str(exc)
    assert f"{w.leaf2.serial_number:X}" in str(exc)
    assert "leaf.example" in str(exc)


@pytest.mark.parametrize("produced_at", [NOW - 2 * DAY, NOW + 400 * DAY], ids=["before", "after"])
def test_status_produced_at_outside_certificate_validity(w: World, produced_at: dt.datetime) -> None:
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], produced_at=produced_at)
    exc = fails(
        StaleResponse, passed(*STATUS_STEPS),
        lambda: check_status(response, w.leaf.certificate, w.intermediate.certificate, now=NOW),
    )
    assert isinstance(exc, StaleResponse)
    assert exc.rule == "produced_at_outside_certificate_validity"
    assert exc.rules == ("produced_at_outside_certificate_validity",)
    assert "is outside the validity of CN = leaf.example" in str(exc)


@pytest.mark.parametrize(
    ("this_update", "next_update", "max_age", "rule"),
    [
        (NOW + HOUR, NOW + 2 * HOUR, None, "this_update_in_future"),
        (NOW - 2 * HOUR, NOW - HOUR, None, "next_update_in_past"),
        (NOW - 2 * HOUR, None, 3600, "too_old"),
    ],
)
def test_status_validity_window(
    w: World, this_update: dt.datetime, next_update: Optional[dt.datetime], max_age: Optional[int], rule: str
) -> None:
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], this_update=this_update, next_update=next_update)
    exc = fails(
        StaleResponse, passed(*STATUS_STEPS, "produced_at"),
        lambda: check_status(response, w.leaf.certificate, w.intermediate.certificate, now=NOW, max_age=max_age),
    )
    assert isinstance(exc, StaleResponse) and exc.rule == rule
    # Enough leeway (or age) and it passes.
    slack = dt.timedelta(hours=3)
    status = check_status(response, w.leaf.certificate, w.intermediate.certificate, now=NOW, leeway=slack,
                          max_age=None if max_age is None else slack)
    assert status.good


def _nonce_request(w: World, nonce: bytes = b"\x01" * 32) -> ocspkit.OCSPRequest:
    return RequestBuilder().add_cert(w.leaf.certificate, w.intermediate.certificate).with_nonce(nonce).build()


def test_status_nonce_equal(w: World) -> None:
    request = _nonce_request(w)
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], nonce=request)
    status = check_status(response, w.leaf.certificate, w.intermediate.certificate, request=request, now=NOW)
    assert status.nonce is NonceCheck.EQUAL
    assert status.checks[-1] == Check("nonce", "passed", "EQUAL")
    # The request as DER works too.
    again = check_status(response, w.leaf.certificate, w.intermediate.certificate, request=request.dump(), now=NOW)
    assert again.nonce is NonceCheck.EQUAL


def test_status_nonce_mismatch(w: World) -> None:
    request = _nonce_request(w)
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], nonce=b"\x02" * 32)
    exc = fails(
        NonceMismatch, passed(*STATUS_STEPS, "produced_at", "validity"),
        lambda: check_status(response, w.leaf.certificate, w.intermediate.certificate, request=request, now=NOW,
                             allow_missing_nonce=True),
    )
    assert isinstance(exc, NonceMismatch) and exc.outcome is NonceCheck.MISMATCH


def test_status_nonce_missing(w: World) -> None:
    request = _nonce_request(w)
    response = respond(w.responder, [cid(w.leaf, w.intermediate)])
    exc = fails(
        NonceMismatch, passed(*STATUS_STEPS, "produced_at", "validity"),
        lambda: check_status(response, w.leaf.certificate, w.intermediate.certificate, request=request, now=NOW),
    )
    assert isinstance(exc, NonceMismatch) and exc.outcome is NonceCheck.REQUEST_ONLY
    assert "allow_missing=True" in str(exc)
    status = check_status(response, w.leaf.certificate, w.intermediate.certificate, request=request, now=NOW,
                          allow_missing_nonce=True)
    assert status.nonce is NonceCheck.REQUEST_ONLY
    assert status.checks[-1] == Check("nonce", "passed", "REQUEST_ONLY")


def test_status_wrong_issuer(w: World) -> None:
    response = respond(w.responder, [cid(w.leaf, w.intermediate)])
    with pytest.raises(OCSPValueError, match=r"is not the issuer of CN = leaf\.example"):
        check_status(response, w.leaf.certificate, w.root.certificate, now=NOW)
    with pytest.raises(OCSPValueError, match="is not the issuer"):
        check_status(response, w.leaf.certificate, w.sibling.certificate, now=NOW)


def test_status_with_trusted_roots_checks_the_issuers_chain(w: World) -> None:
    response = respond(w.responder, [cid(w.leaf, w.intermediate)])  # the responder's certificate only
    status = check_status(response, w.leaf.certificate, w.intermediate.certificate, trusted=[w.root.cert_der], now=NOW)
    assert status.good
    assert ders(status.verdict.chain) == [w.responder.cert_der, w.intermediate.cert_der, w.root.cert_der]
    assert status.verdict.authorization is Authorization.DELEGATED
    chain_fails(
        "unable to get local issuer certificate", passed("cert_id", "find_signer", "signature"),
        lambda: check_status(response, w.leaf.certificate, w.intermediate.certificate,
                             trusted=[w.other_root.cert_der], now=NOW),
    )


def test_status_direct_anchor_mode(w: World) -> None:
    """trusted=None: the issuer is the anchor; its own chain (and the root) is not consulted."""
    response = respond(w.intermediate, [cid(w.leaf, w.intermediate)])
    status = check_status(response, w.leaf.certificate, w.intermediate.certificate, now=NOW)
    assert status.verdict.authorization is Authorization.ISSUER
    assert ders(status.verdict.chain) == [w.intermediate.cert_der]
    # A responder of another CA is refused even though its chain is sound.
    foreign = issue("Sibling Responder", w.sibling, extended_key_usage=("ocsp_signing",))
    response = respond(foreign, [cid(w.leaf, w.intermediate)], certs=[foreign, w.sibling])
    chain_fails(
        "unable to get local issuer certificate", passed("cert_id", "find_signer", "signature"),
        lambda: check_status(response, w.leaf.certificate, w.intermediate.certificate, now=NOW),
    )


def test_status_issuer_as_direct_anchor_is_a_name_and_a_key(w: World) -> None:
    """A CA without basicConstraints: trusted as the issuer you name (default mode), refused as
    an intermediate when its own chain is checked (trusted=[root])."""
    window: Dict[str, Any] = {"not_before": NOW - DAY, "not_after": NOW + 30 * DAY}
    bare_ca = reissue(issue("Bare CA", w.root, ca=True, **window), w.root.private_key, drop=["basic_constraints"])
    signer = issue("Bare CA Responder", bare_ca, extended_key_usage=("ocsp_signing",), **window)
    leaf = issue("bare-leaf.example", bare_ca, **window)
    response = respond(signer, [cid(leaf, bare_ca)])
    status = check_status(response, leaf.certificate, bare_ca.certificate, now=NOW)
    assert status.good and status.verdict.authorization is Authorization.DELEGATED
    chain_fails(
        "invalid CA certificate", passed("cert_id", "find_signer", "signature"),
        lambda: check_status(response, leaf.certificate, bare_ca.certificate, trusted=[w.root.cert_der], now=NOW),
    )


def test_status_ca_signed_response_without_certificates(w: World) -> None:
    """The issuer passed to check_status also serves to find the signer."""
    response = respond(w.intermediate, [cid(w.leaf, w.intermediate)], certs=[])
    fails(SignerNotFound, [], lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW))
    for trusted in (None, [w.root.cert_der]):
        status = check_status(response, w.leaf.certificate, w.intermediate.certificate, trusted=trusted, now=NOW)
        assert status.good and status.verdict.authorization is Authorization.ISSUER
        assert status.verdict.signer.dump() == w.intermediate.cert_der


def test_status_authorizes_for_the_certificates_issuer_only(w: World) -> None:
    """A response that also answers for another CA's certificate: verify_response refuses it as
    a whole (mixed issuers), check_status judges only the SingleResponses of the certificate
    asked about, and the signer must be authorized for that certificate's issuer."""
    ids = [cid(w.leaf, w.intermediate), cid(w.sibling_leaf, w.sibling)]
    response = respond(w.responder, ids, certs=[w.responder, w.intermediate])
    fails(
        ResponderNotAuthorized, passed("find_signer", "signature", "chain"),
        lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW),
    )
    status = check_status(response, w.leaf.certificate, w.intermediate.certificate, trusted=[w.root.cert_der], now=NOW)
    assert status.good and status.verdict.authorization is Authorization.DELEGATED
    fails(
        ResponderNotAuthorized, passed("cert_id", "find_signer", "signature", "chain"),
        lambda: check_status(response, w.sibling_leaf.certificate, w.sibling.certificate,
                             trusted=[w.root.cert_der], now=NOW),
    )


def test_status_unsuccessful_response(w: World) -> None:
    response = ocspkit.unsuccessful_response(ResponseStatus.TRY_LATER)
    with pytest.raises(UnsuccessfulResponse) as info:
        check_status(response, w.leaf.certificate, w.intermediate.certificate, now=NOW)
    assert info.value.status is ResponseStatus.TRY_LATER
    with pytest.raises(UnsuccessfulResponse):
        check_status(response.dump(), w.leaf.certificate, w.intermediate.certificate, now=NOW)


def test_status_passes_flags_and_untrusted_through(w: World) -> None:
    response = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[])
    fails(
        SignerNotFound, passed("cert_id"),
        lambda: check_status(response, w.leaf.certificate, w.intermediate.certificate, now=NOW),
    )
    status = check_status(response, w.leaf.certificate, w.intermediate.certificate,
                          untrusted=[w.responder.cert_der], now=NOW)
    assert status.verdict.signer_source == "untrusted"
    bad = respond(w.responder, [cid(w.leaf, w.intermediate)], key=new_key())
    status = check_status(bad, w.leaf.certificate, w.intermediate.certificate, flags=VerifyFlags.NOSIGS, now=NOW)
    assert status.verdict.flags is VerifyFlags.NOSIGS and check_named(status.checks, "signature").outcome == "skipped"


# ============================================================================================
# 8. TrustedCertificate and load_trusted_certificates


def _openssl_trusted(openssl_bin: str, tmp_path: Path, cert: CertifiedKey, *settings: str) -> Path:
    source = tmp_path / "root.pem"
    source.write_bytes(cert.cert_pem)
    target = tmp_path / "t.pem"
    run = subprocess.run(
        [openssl_bin, "x509", "-in", str(source), *settings, "-out", str(target)],
        capture_output=True, text=True, timeout=30, check=False,
    )
    assert run.returncode == 0, run.stderr
    return target


def test_trusted_certificate_from_openssl(w: World, openssl_bin: str, tmp_path: Path) -> None:
    path = _openssl_trusted(
        openssl_bin, tmp_path, w.root, "-addtrust", "OCSPSigning", "-addreject", "clientAuth", "-setalias", "myroot"
    )
    assert path.read_bytes().startswith(b"-----BEGIN TRUSTED CERTIFICATE-----")
    (anchor,) = load_trusted_certificates(path)
    assert anchor.certificate.dump() == w.root.cert_der
    assert anchor.trust == frozenset({OID.KP_OCSP_SIGNING})
    assert anchor.reject == frozenset({CLIENT_AUTH})
    assert anchor.alias == "myroot"
    assert anchor.has_aux
    assert anchor.explicitly_trusts(OID.KP_OCSP_SIGNING)
    assert not anchor.explicitly_trusts(CLIENT_AUTH)
    # As the trust anchor: the explicit-trust path.
    response = respond(w.root_signer, [cid(w.leaf, w.intermediate)])
    for trusted in (path, str(path), path.read_bytes(), path.read_text(), anchor, [anchor]):
        verdict = verify_response(response, trusted=trusted, now=NOW)
        assert verdict.authorization is Authorization.EXPLICIT_TRUST


def test_trusted_bundle_mixes_plain_and_trusted_blocks(w: World, openssl_bin: str, tmp_path: Path) -> None:
    trusted_pem = _openssl_trusted(openssl_bin, tmp_path, w.root, "-addtrust", "OCSPSigning").read_bytes()
    bundle = w.other_root.cert_pem + b"\n" + trusted_pem + w.sibling.cert_pem
    anchors = load_trusted_certificates(bundle)
    assert [a.certificate.dump() for a in anchors] == [w.other_root.cert_der, w.root.cert_der, w.sibling.cert_der]
    assert [a.trust for a in anchors] == [frozenset(), frozenset({OID.KP_OCSP_SIGNING}), frozenset()]
    assert [a.has_aux for a in anchors] == [False, True, False]
    assert [a.alias for a in anchors] == [None, None, None]
    again = load_trusted_certificates(bundle.decode())
    assert [(a.certificate.dump(), a.trust, a.reject, a.alias) for a in again] == [
        (a.certificate.dump(), a.trust, a.reject, a.alias) for a in anchors
    ]


def test_trusted_from_paths(w: World, tmp_path: Path) -> None:
    path = tmp_path / "roots.pem"
    path.write_bytes(w.root.cert_pem + w.other_root.cert_pem)
    for source in (path, str(path)):
        anchors = load_trusted_certificates(source)
        assert [a.certificate.dump() for a in anchors] == [w.root.cert_der, w.other_root.cert_der]
        assert all(not a.has_aux and a.alias is None for a in anchors)
    der_path = tmp_path / "root.der"
    der_path.write_bytes(w.root.cert_der)
    (anchor,) = load_trusted_certificates(der_path)
    assert anchor.certificate.dump() == w.root.cert_der


def test_trusted_from_der_and_objects(w: World) -> None:
    (anchor,) = load_trusted_certificates(w.root.cert_der)
    assert anchor.certificate.dump() == w.root.cert_der
    assert anchor.trust == anchor.reject == frozenset() and anchor.alias is None
    (same,) = load_trusted_certificates(w.root.certificate)
    assert same.certificate.dump() == w.root.cert_der
    explicit = TrustedCertificate.for_ocsp_signing(w.root.cert_der)
    assert load_trusted_certificates(explicit) == [explicit]
    assert len(load_trusted_certificates([w.root.cert_der, explicit, w.other_root.certificate])) == 3


@pytest.mark.parametrize(
    "data",
    [
        b"-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n",
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        b"\x30\x03\x02\x01\x00",
        b"garbage",
        b"",
    ],
    ids=["bad-base64", "no-certificate-block", "not-a-certificate", "garbage", "empty"],
)
def test_trusted_malformed(data: bytes) -> None:
    with pytest.raises(ParseError):
        load_trusted_certificates(data)


def test_trusted_certificate_block_with_bad_aux(w: World) -> None:
    from ocspkit._der import pem_armor

    for tail in (b"\x04\x00", b"\x30\x03\x06\x01"):
        block = pem_armor(w.root.cert_der + tail, "TRUSTED CERTIFICATE")
        with pytest.raises(ParseError, match="TRUSTED CERTIFICATE"):
            load_trusted_certificates(block)


def test_trusted_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pem"
    with pytest.raises(ParseError, match=r"nope\.pem"):
        load_trusted_certificates(missing)
    with pytest.raises(ParseError, match=r"nope\.pem"):
        load_trusted_certificates(str(missing))


@pytest.mark.parametrize("value", [42, 3.5, None, object()], ids=["int", "float", "None", "object"])
def test_trusted_wrong_types(value: Any) -> None:
    with pytest.raises(OCSPTypeError):
        load_trusted_certificates(value)


def test_explicitly_trusts(w: World) -> None:
    cert = w.root.certificate
    assert TrustedCertificate.for_ocsp_signing(cert).explicitly_trusts(OID.KP_OCSP_SIGNING)
    assert not TrustedCertificate(cert).explicitly_trusts(OID.KP_OCSP_SIGNING)
    both = TrustedCertificate(cert, frozenset({OID.KP_OCSP_SIGNING}), frozenset({OID.KP_OCSP_SIGNING}))
    assert not both.explicitly_trusts(OID.KP_OCSP_SIGNING)  # a rejection wins
    # obj_trust without X509_TRUST_OK_ANY_EKU: anyExtendedKeyUsage does not stand for OCSPSigning.
    any_eku = TrustedCertificate(cert, frozenset({ANY_EKU}))
    assert not any_eku.explicitly_trusts(OID.KP_OCSP_SIGNING)
    response = respond(w.root_signer, [cid(w.leaf, w.intermediate)])
    for anchor in (both, any_eku, TrustedCertificate(cert, frozenset({CLIENT_AUTH}))):
        fails(
            ResponderNotAuthorized, passed("find_signer", "signature", "chain"),
            functools.partial(verify_response, response, trusted=anchor, now=NOW),
        )


def test_addreject_ocsp_signing_gives_no_explicit_trust(w: World, openssl_bin: str, tmp_path: Path) -> None:
    path = _openssl_trusted(openssl_bin, tmp_path, w.root, "-addreject", "OCSPSigning")
    (anchor,) = load_trusted_certificates(path)
    assert anchor.reject == frozenset({OID.KP_OCSP_SIGNING}) and anchor.trust == frozenset()
    assert not anchor.explicitly_trusts(OID.KP_OCSP_SIGNING)
    response = respond(w.root_signer, [cid(w.leaf, w.intermediate)])
    fails(
        ResponderNotAuthorized, passed("find_signer", "signature", "chain"),
        lambda: verify_response(response, trusted=path, now=NOW),
    )
    # The trust settings do not touch the chain itself (OCSP_HELPER's "compatible" trust): the
    # RFC 6960 paths still verify under this root.
    delegated = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate])
    assert verify_response(delegated, trusted=path, now=NOW).authorization is Authorization.DELEGATED


# ============================================================================================
# 9. API misuse


def test_naive_now(w: World) -> None:
    naive = NOW.replace(tzinfo=None)
    response = respond(w.intermediate, [cid(w.leaf, w.intermediate)])
    with pytest.raises(OCSPValueError, match="timezone-aware"):
        verify_response(response, trusted=[w.root.cert_der], now=naive)
    with pytest.raises(OCSPValueError, match="timezone-aware"):
        check_status(response, w.leaf.certificate, w.intermediate.certificate, now=naive)
    with pytest.raises(OCSPValueError, match="timezone-aware"):
        verify_request(sign_request(w), trusted=[w.root.cert_der], now=naive)
    with pytest.raises(OCSPTypeError):
        verify_response(response, trusted=[w.root.cert_der], now="2026-03-01")  # type: ignore[arg-type]


@pytest.mark.parametrize("flags", ["4", True, False, 4.0, None, b"\x04"], ids=repr)
def test_flags_of_the_wrong_type(w: World, flags: Any) -> None:
    response = respond(w.intermediate, [cid(w.leaf, w.intermediate)])
    with pytest.raises(OCSPTypeError, match="flags must be VerifyFlags or an int"):
        verify_response(response, trusted=[w.root.cert_der], flags=flags, now=NOW)
    with pytest.raises(OCSPTypeError):
        verify_request(sign_request(w), trusted=[w.root.cert_der], flags=flags, now=NOW)
    with pytest.raises(OCSPTypeError):
        check_status(response, w.leaf.certificate, w.intermediate.certificate, flags=flags, now=NOW)


def test_negative_flags(w: World) -> None:
    response = respond(w.intermediate, [cid(w.leaf, w.intermediate)])
    with pytest.raises(OCSPValueError, match="must not be negative"):
        verify_response(response, trusted=[w.root.cert_der], flags=-1, now=NOW)
    with pytest.raises(OCSPValueError):
        check_status(response, w.leaf.certificate, w.intermediate.certificate, flags=-0x10, now=NOW)


@pytest.mark.parametrize(
    "garbage",
    [42, 3.5, object(), [object()], b"garbage", b"\x30\x03\x02\x01\x00", "/nonexistent/roots.pem", [None]],
    ids=["int", "float", "object", "list-of-object", "bytes", "bad-der", "missing-path", "list-of-None"],
)
def test_trusted_and_untrusted_garbage(w: World, garbage: Any) -> None:
    response = respond(w.intermediate, [cid(w.leaf, w.intermediate)])
    with pytest.raises(OCSPError) as info:
        verify_response(response, trusted=garbage, now=NOW)
    assert not isinstance(info.value, VerificationError)
    with pytest.raises(OCSPError) as info:
        verify_response(response, trusted=[w.root.cert_der], untrusted=garbage, now=NOW)
    assert not isinstance(info.value, VerificationError)


def test_response_none_and_wrong_types() -> None:
    for value in (None, 42, object()):
        with pytest.raises(OCSPTypeError):
            verify_response(value, now=NOW)
        with pytest.raises(OCSPTypeError):
            verify_request(value, now=NOW)
    with pytest.raises(ParseError):
        verify_response(b"\x30\x03\x0a\x01\x00", now=NOW)


@pytest.mark.parametrize("status", [s for s in ResponseStatus if s is not ResponseStatus.SUCCESSFUL])
def test_unsuccessful_responses_are_not_verified(status: ResponseStatus) -> None:
    response = ocspkit.unsuccessful_response(status)
    for form in (response, response.dump()):
        with pytest.raises(UnsuccessfulResponse) as info:
            verify_response(form, now=NOW)
        assert info.value.status is status
        assert not isinstance(info.value, VerificationError)


# ============================================================================================
# 10. Caches do not change answers


def test_caches_do_not_change_verdicts(w: World) -> None:
    cases = [
        (respond(w.intermediate, [cid(w.leaf, w.intermediate)]), [w.root.cert_der]),
        (respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate]),
         [w.root.cert_der]),
        (respond(w.root_signer, [cid(w.leaf, w.intermediate)]), TrustedCertificate.for_ocsp_signing(w.root.cert_der)),
    ]
    for response, trusted in cases:
        first = verify_response(response, trusted=trusted, now=NOW)
        second = verify_response(response, trusted=trusted, now=NOW)
        assert second == first  # the same cached certificate objects
        chain_module._SIGNED.clear()
        certinfo_module._CERTS.clear()
        clear_caches()
        cold = verify_response(response, trusted=trusted, now=NOW)
        assert snapshot(cold) == snapshot(first)
        # And failures are the same, warm and cold.
        elsewhere = functools.partial(verify_response, response, trusted=[w.other_root.cert_der], now=NOW)
        warm_failure = _outcome(elsewhere)
        clear_caches()
        cold_failure = _outcome(elsewhere)
        assert warm_failure == cold_failure and warm_failure[0] is ChainError


def test_a_remembered_chain_is_reused_only_where_it_holds(w: World) -> None:
    """Chains are remembered with the window in which they hold, per set of inputs."""
    window = issue("Window Responder", w.intermediate, extended_key_usage=("ocsp_signing",),
                   not_before=NOW - HOUR, not_after=NOW + HOUR)
    response = respond(window, [cid(w.leaf, w.intermediate)], certs=[window, w.intermediate])
    clear_caches()
    before = passed("find_signer", "signature")
    for _ in range(2):
        assert verify_response(response, trusted=[w.root.cert_der], now=NOW).authorization is Authorization.DELEGATED
        chain_fails("certificate has expired", before,
                    lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW + HOUR))
        chain_fails("certificate is not yet valid", before,
                    lambda: verify_response(response, trusted=[w.root.cert_der], now=NOW - 2 * HOUR))
    # Other anchors, other helpers, other flags: the remembered chain is not theirs.
    chain_fails("unable to get local issuer certificate", before,
                lambda: verify_response(response, trusted=[w.other_root.cert_der], now=NOW))
    chain_fails("unable to get local issuer certificate", before,
                lambda: verify_response(response, trusted=[w.root.cert_der], flags=VerifyFlags.NOCHAIN, now=NOW))
    partial = verify_response(response, trusted=[w.intermediate.cert_der], flags=VerifyFlags.PARTIAL_CHAIN, now=NOW)
    assert ders(partial.chain) == [window.cert_der, w.intermediate.cert_der]
    chain_fails("unable to get issuer certificate", before,
                lambda: verify_response(response, trusted=[w.intermediate.cert_der], now=NOW))
    # The same root with and without explicit trust.
    signed_by_root_signer = respond(w.root_signer, [cid(w.leaf, w.intermediate)])
    fails(ResponderNotAuthorized, passed("find_signer", "signature", "chain"),
          lambda: verify_response(signed_by_root_signer, trusted=[w.root.cert_der], now=NOW))
    explicit = TrustedCertificate.for_ocsp_signing(w.root.cert_der)
    assert verify_response(signed_by_root_signer, trusted=explicit, now=NOW).authorization is (
        Authorization.EXPLICIT_TRUST
    )
    fails(ResponderNotAuthorized, passed("find_signer", "signature", "chain"),
          lambda: verify_response(signed_by_root_signer, trusted=[w.root.cert_der], now=NOW))


def test_a_failed_certificate_signature_is_not_remembered(w: World) -> None:
    forged = tamper_signature(w.responder)
    assert forged.cert_der != w.responder.cert_der
    good = respond(w.responder, [cid(w.leaf, w.intermediate)], certs=[w.responder, w.intermediate])
    bad = respond(forged, [cid(w.leaf, w.intermediate)], certs=[forged, w.intermediate])
    key = (forged.cert_der, bytes(w.intermediate.certificate.public_key.dump()))

    def bad_fails() -> None:
        chain_fails(
            "certificate signature failure", passed("find_signer", "signature"),
            lambda: verify_response(bad, trusted=[w.root.cert_der], now=NOW),
        )
        assert key not in chain_module._SIGNED

    clear_caches()
    bad_fails()
    bad_fails()  # not cached as good after the first failure
    assert verify_response(good, trusted=[w.root.cert_der], now=NOW).authorization is Authorization.DELEGATED
    bad_fails()  # nor after the genuine certificate's signature was cached
    assert (w.responder.cert_der, key[1]) in chain_module._SIGNED
    clear_caches()
    bad_fails()
