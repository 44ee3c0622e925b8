"""The fast readers (ocspkit._readers, as views by the _read_* functions) against the general path.

load_request / load_response first try readers written for DER in the usual shapes and fall
back to asn1crypto + the validating walk for anything else. These tests hold the two to the
same results: every message either goes the fast way with exactly the fields, bytes and
(absent) deviations the general path gives, or the fast reader declines (Slow) and the general
path decides. The fast path must also really be taken for ordinary DER.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Tuple

import pytest
from conftest import examples, manifest_entries, read_vector
from hypothesis import given, settings
from test_asn1_roundtrip import mutations, ocsp_requests, ocsp_responses

import ocspkit
from ocspkit import OCSPError, UnsuccessfulResponse
from ocspkit._der import to_der
from ocspkit._readers import Slow, clear_cache
from ocspkit._writers import generalized_time, integer_der, tlv
from ocspkit.request import _load_request_general, _read_request
from ocspkit.response import _load_response_general, _read_response
from ocspkit.testing import TestPKI

UTC = dt.timezone.utc


def ext_summary(extensions: Any) -> Any:
    return [(e.oid, e.critical, e.raw_value, e.dump()) for e in extensions]


def cert_id_summary(cid: Any) -> Any:
    return (cid.hash_algorithm, cid.issuer_name_hash, cid.issuer_key_hash, cid.serial_number, cid.dump())


def response_summary(r: Any) -> Any:
    out: Tuple[Any, ...] = (r.dump(), r.response_status, r.response_type, r.deviations)
    try:
        b = r.basic
    except UnsuccessfulResponse:
        return out
    singles = [
        (
            s.dump(),
            cert_id_summary(s.cert_id),
            s.cert_status,
            s.this_update,
            s.next_update,
            s.revocation_time,
            s.revocation_reason,
            ext_summary(s.extensions),
            s.asn1.dump(),
        )
        for s in b.responses
    ]
    rid = b.responder_id
    return (
        *out,
        b.dump(),
        b.tbs_response_data_bytes,
        b.version,
        (rid.type, rid.key_hash, rid.name_der, rid.dump(), rid.name.dump() if rid.name is not None else None),
        b.produced_at,
        singles,
        ext_summary(b.extensions),
        b.nonce,
        b.nonce_form,
        b.signature_algorithm.dump(),
        b.signature,
        [c.dump() for c in b.certs],
        b.certs_der,
        b.asn1.dump(),
    )


def request_summary(r: Any) -> Any:
    return (
        r.dump(),
        r.deviations,
        r.tbs_request_bytes,
        r.version,
        None if r.requestor_name is None else r.requestor_name.dump(),
        [(q.dump(), cert_id_summary(q.cert_id), ext_summary(q.extensions)) for q in r.requests],
        ext_summary(r.extensions),
        r.nonce,
        r.nonce_form,
        r.is_signed,
        None if r.signature_algorithm is None else r.signature_algorithm.dump(),
        r.signature,
        [c.dump() for c in r.certs],
        r.asn1.dump(),
    )


def compare(kind: str, der: bytes) -> bool:
    """Fast and general agree on ``der``; return whether the fast reader took it."""
    if kind == "ocsp-request":
        fast: Callable[..., Any] = _read_request
        general: Callable[..., Any] = _load_request_general
        summary = request_summary
    else:
        fast, general, summary = _read_response, _load_response_general, response_summary
    for allow in (False, True):
        try:
            expected = general(der, False, allow)
        except OCSPError:
            expected = None
        try:
            got = fast(der, allow)
        except Slow:
            continue
        # Whatever the fast reader accepts, the general path accepts with the same results,
        # and it is DER (strict loading accepts it too).
        assert expected is not None, "fast reader accepted what the general path refuses"
        assert summary(got) == summary(expected)
        general(der, True, allow)
        if not allow:
            return True
    return False


MESSAGES = list(manifest_entries("ocsp-request", "ocsp-response"))


@pytest.mark.parametrize("entry", MESSAGES, ids=[e["file"] for e in MESSAGES])
def test_vectors_fast_equals_general(entry: dict) -> None:  # type: ignore[type-arg]
    der = to_der(read_vector(entry["file"]), ("OCSP REQUEST", "OCSP RESPONSE"), "vector")
    compare(entry["kind"], der)


def test_fast_path_taken_for_ordinary_der() -> None:
    """Most vectors are plain DER: the fast readers must take them (else they are dead code)."""
    taken = {}
    for entry in MESSAGES:
        der = to_der(read_vector(entry["file"]), ("OCSP REQUEST", "OCSP RESPONSE"), "vector")
        taken[entry["file"]] = compare(entry["kind"], der)
    for name in ("cryptography/resp-sha256.der", "cryptography/req-sha1.der", "asn1crypto/ocsp_response.der"):
        assert taken[name], name
    assert sum(taken.values()) >= 80, sum(taken.values())


@settings(max_examples=examples(300), deadline=None)
@given(ocsp_responses())
def test_generated_responses_fast_equals_general(expected: Any) -> None:
    compare("ocsp-response", expected.der)


@settings(max_examples=examples(300), deadline=None)
@given(ocsp_requests())
def test_generated_requests_fast_equals_general(expected: Any) -> None:
    compare("ocsp-request", expected.der)


@settings(max_examples=examples(1500), deadline=None)
@given(mutations())
def test_mutations_fast_equals_general(mutation: Tuple[str, bytes, bytes]) -> None:
    kind, _, data = mutation
    compare(kind, data)
    compare("ocsp-response" if kind == "ocsp-request" else "ocsp-request", data)


def test_built_messages_take_the_fast_path(pki: TestPKI) -> None:
    now = dt.datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    cid = ocspkit.CertID.from_issuer(pki.intermediate.cert_der, 0x1234)
    cid256 = ocspkit.CertID.from_issuer(pki.intermediate.cert_der, -5, "sha256")
    response = (
        ocspkit.ResponseBuilder()
        .add_response(cid, "good", this_update=now, next_update=now + dt.timedelta(days=1))
        .add_response(cid256, "revoked", revocation_time=now, revocation_reason=1, this_update=now)
        .add_response(cid, "revoked", revocation_time=now, this_update=now, invalidity_date=now)
        .add_response(cid, "unknown", this_update=now)
        .with_nonce(b"n" * 32)
        .sign(pki.responder.key_der, pki.responder.cert_der, now=now)
    )
    assert compare("ocsp-response", response.dump())
    request = ocspkit.RequestBuilder().add_cert_id(cid).add_cert_id(cid256).with_nonce().build()
    assert compare("ocsp-request", request.dump())
    signed = ocspkit.RequestBuilder().add_cert_id(cid).sign(pki.responder.key_der, pki.responder.cert_der)
    assert compare("ocsp-request", signed.dump())


@pytest.mark.parametrize(
    "day",
    ["20240229120000Z", "20230229120000Z", "20230431120000Z", "20231231235959Z", "00010101000000Z"],
)
def test_days_that_do_not_exist_go_the_general_way(day: str, pki: TestPKI) -> None:
    """The fast path's regular expression admits day 31 in any month; the date check refuses it."""
    now = dt.datetime(2024, 1, 1, tzinfo=UTC)
    cid = ocspkit.CertID.from_issuer(pki.intermediate.cert_der, 7)
    good = ocspkit.ResponseBuilder().add_response(cid, this_update=now).sign(
        pki.responder.key_der, pki.responder.cert_der, now=now
    )
    data = good.dump().replace(b"20240101000000Z", day.encode())
    compare("ocsp-response", data)
    try:
        expected = dt.datetime.strptime(day, "%Y%m%d%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        with pytest.raises(ocspkit.ParseError):
            ocspkit.load_response(data)
    else:
        assert ocspkit.load_response(data).responses[0].this_update == expected


def test_remembered_validation_is_per_bytes(pki: TestPKI) -> None:
    """Certificates are walked once and remembered by their bytes: a changed byte is walked again."""
    now = dt.datetime(2024, 1, 1, tzinfo=UTC)
    cid = ocspkit.CertID.from_issuer(pki.intermediate.cert_der, 7)
    der = (
        ocspkit.ResponseBuilder()
        .add_response(cid, this_update=now)
        .sign(pki.responder.key_der, pki.responder.cert_der, now=now)
        .dump()
    )
    clear_cache()
    assert ocspkit.load_response(der).certs[0].dump() == pki.responder.cert_der
    assert ocspkit.load_response(der).certs[0].dump() == pki.responder.cert_der
    # Break the certificate's signature algorithm OID (an arc starting with 0x80 is not BER).
    cert = pki.responder.cert_der
    oid = bytes.fromhex("06092a864886f70d01010b") if b"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b" in cert else None
    assert oid is not None and oid in cert
    broken_cert = cert.replace(oid, b"\x06\x09\x80" + b"\x81" * 7 + b"\x01", 1)
    assert len(broken_cert) == len(cert)
    with pytest.raises(ocspkit.ParseError):
        ocspkit.load_response(der.replace(cert, broken_cert))


def test_writer_primitives_match_asn1crypto() -> None:
    from asn1crypto import core

    for value in [0, 1, 127, 128, 255, 256, -1, -128, -129, 2**159, -(2**159), 2**64 - 1]:
        assert integer_der(value) == core.Integer(value).dump()
    for size in [0, 1, 127, 128, 255, 256, 65535, 65536, 70000]:
        assert tlv(0x04, b"a" * size) == core.OctetString(b"a" * size).dump()
    when = dt.datetime(2026, 11, 20, 1, 2, 3, tzinfo=UTC)
    assert generalized_time(when) == core.GeneralizedTime(when).dump()


def test_certificate_facts_remembered_by_value_for_bytes(pki: TestPKI) -> None:
    from ocspkit.certinfo import cert_facts

    first = cert_facts(bytes(pki.responder.cert_der))
    again = cert_facts(bytes(bytearray(pki.responder.cert_der)))  # an equal, distinct bytes object
    assert again is first
    assert first.issuer_hashes("sha1") == (
        ocspkit.CertID.from_issuer(pki.responder.cert_der, 1).issuer_name_hash,
        ocspkit.CertID.from_issuer(pki.responder.cert_der, 1).issuer_key_hash,
    )
