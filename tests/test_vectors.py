"""Parse every OCSP test vector of ../shared/vectors and check what ocspkit decodes.

The facts come from three places, and each test names which one it checks:

* ``asn1crypto.ocsp``: stock asn1crypto decodes the same bytes independently of ocspkit's views;
* ``openssl_observed`` in MANIFEST.json: what ``openssl ocsp -resp_text`` / ``-req_text`` printed;
* ``expect`` in MANIFEST.json: what the vector's source project states in its own tests.

Requests that carry ``expect.exact_bytes`` or ``expect.built_from`` are left to the builder tests.
Every MANIFEST key of a request or response is either compared here or listed in a ``*_WAIVED``
table with the reason (``test_every_manifest_field_is_compared_or_waived`` keeps that honest).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple

import pytest
from asn1crypto import core, pem, x509
from asn1crypto import ocsp as ref_ocsp
from conftest import MANIFEST, manifest_entries, read_vector

import ocspkit
from ocspkit import (
    CertStatus,
    ParseError,
    ResponderIDType,
    ResponseStatus,
    RevocationReason,
    UnsuccessfulResponse,
)
from ocspkit import asn1 as ok_asn1

UTC = dt.timezone.utc

# --- which vectors --------------------------------------------------------------------------------


def _checked_by_builder_tests(entry: Dict[str, Any]) -> bool:
    """Requests whose exact bytes a builder must reproduce: tested with the builder, not here."""
    expect = entry["expect"]
    return bool(expect.get("exact_bytes")) or "built_from" in expect


def _refused_for_unknown_critical(entry: Dict[str, Any]) -> bool:
    """BoringSSL vectors its CheckOCSP refuses for an unhandled critical extension.

    ocspkit's policy: ParseError by default, loadable with ``allow_unknown_critical=True``.
    """
    check = entry["expect"].get("check_ocsp") or {}
    return check.get("expected_response_status") == "UNHANDLED_CRITICAL_EXTENSION"


def _must_parse(entry: Dict[str, Any]) -> bool:
    # A missing must_parse means the source expects the file to be read (e.g. BoringSSL's
    # CheckOCSP vectors, whose verdict comes after parsing).
    return entry["expect"].get("must_parse", True) is not False


REQUEST_ENTRIES = [e for e in manifest_entries("ocsp-request") if not _checked_by_builder_tests(e)]
RESPONSE_ENTRIES = manifest_entries("ocsp-response")
LOADABLE_REQUESTS = [e for e in REQUEST_ENTRIES if _must_parse(e)]
LOADABLE_RESPONSES = [e for e in RESPONSE_ENTRIES if _must_parse(e)]

FUZZ_SPECS: Dict[str, Any] = {
    "fuzz-seed-ocsp-cert-id": ok_asn1.CertID,
    "fuzz-seed-ocsp-response-data": ok_asn1.ResponseData,
    "fuzz-seed-ocsp-single-response": ok_asn1.SingleResponse,
    "fuzz-seed-ocsp-response": None,  # a whole OCSPResponse: ocspkit.load_response
}
FUZZ_ENTRIES = manifest_entries(*FUZZ_SPECS)


def _params(entries: Iterable[Dict[str, Any]]) -> List[Any]:
    return [pytest.param(e, id=e["file"]) for e in entries]


def _entry(name: str) -> Dict[str, Any]:
    for e in MANIFEST:
        if e["file"] == name:
            return e
    raise AssertionError(f"MANIFEST has no entry for {name}")


# --- name tables (independent of ocspkit's own tables) ------------------------------------------

# RFC 5280 5.3.1 CRLReason identifiers; OpenSSL prints the same names (crl_reasons in v3_enum.c).
RFC5280_REASON_NAMES = {
    0: "unspecified",
    1: "keyCompromise",
    2: "cACompromise",
    3: "affiliationChanged",
    4: "superseded",
    5: "cessationOfOperation",
    6: "certificateHold",
    8: "removeFromCRL",
    9: "privilegeWithdrawn",
    10: "aACompromise",
}

# RFC 6960 4.2.1 OCSPResponseStatus identifiers.
RFC6960_STATUS_NAMES = {
    0: "successful",
    1: "malformedRequest",
    2: "internalError",
    3: "tryLater",
    5: "sigRequired",
    6: "unauthorized",
}

# OpenSSL 3.0 long names of the OIDs that appear in OCSP messages (what -resp_text prints);
# checked with `openssl asn1parse -genstr OID:<oid>`. Unknown OIDs are printed dotted.
OPENSSL_LONG_NAMES = {
    "1.3.6.1.5.5.7.48.1.1": "Basic OCSP Response",
    "1.3.6.1.5.5.7.48.1.2": "OCSP Nonce",
    "1.3.6.1.5.5.7.48.1.3": "OCSP CRL ID",
    "1.3.6.1.5.5.7.48.1.4": "Acceptable OCSP Responses",
    "1.3.6.1.5.5.7.48.1.5": "OCSP No Check",
    "1.3.6.1.5.5.7.48.1.6": "OCSP Archive Cutoff",
    "1.3.6.1.5.5.7.48.1.7": "OCSP Service Locator",
    "1.3.6.1.5.5.7.48.1.8": "Extended OCSP Status",
    "1.3.6.1.5.5.7.48.1.9": "valid",
    "1.3.6.1.4.1.11129.2.4.5": "CT Certificate SCTs",
    "2.5.29.21": "X509v3 CRL Reason Code",
    "2.5.29.24": "Invalidity Date",
    "2.5.29.29": "X509v3 Certificate Issuer",
}

# OpenSSL names of signature algorithms.
OPENSSL_SIG_NAMES = {
    "1.2.840.113549.1.1.2": "md2WithRSAEncryption",
    "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
    "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
    "1.2.840.113549.1.1.10": "rsassaPss",
    "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
    "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
    "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
    "1.2.840.113549.1.1.14": "sha224WithRSAEncryption",
    "1.2.840.10045.4.1": "ecdsa-with-SHA1",
    "1.2.840.10045.4.3.1": "ecdsa-with-SHA224",
    "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
    "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
    "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
    "1.3.101.112": "ED25519",
    "1.3.101.113": "ED448",
}

# OpenSSL short names of Name attributes (XN_FLAG_ONELINE output: "C = US, O = ..., CN = ...").
OPENSSL_ATTR_NAMES = {
    "2.5.4.3": "CN",
    "2.5.4.4": "SN",
    "2.5.4.5": "serialNumber",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.9": "street",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.12": "title",
    "2.5.4.42": "GN",
    "2.5.4.97": "organizationIdentifier",
    "1.2.840.113549.1.9.1": "emailAddress",
    "0.9.2342.19200300.100.1.25": "DC",
    "0.9.2342.19200300.100.1.1": "UID",
}

# Extension names used by the sources' own APIs in `expect` (cryptography, RustCrypto x509-ocsp).
EXPECT_EXTENSION_OIDS = {
    "OCSPNonce": "1.3.6.1.5.5.7.48.1.2",
    "CrlReferences": "1.3.6.1.5.5.7.48.1.3",
    "OCSPAcceptableResponses": "1.3.6.1.5.5.7.48.1.4",
    "AcceptableResponses": "1.3.6.1.5.5.7.48.1.4",
    "ArchiveCutoff": "1.3.6.1.5.5.7.48.1.6",
    "ServiceLocator": "1.3.6.1.5.5.7.48.1.7",
    "SignedCertificateTimestamps": "1.3.6.1.4.1.11129.2.4.5",
    "CRLReason": "2.5.29.21",
}

# Signature algorithm names in `expect` (asn1crypto's test says 'sha1_rsa', written sha1WithRSA).
EXPECT_SIG_OIDS = {"sha1WithRSA": "1.2.840.113549.1.1.5"}

# expect.response_type: a dotted OID, or asn1crypto's name for it.
EXPECT_RESPONSE_TYPES = {"basic_ocsp_response": "1.3.6.1.5.5.7.48.1.1"}

_SHA2_CERTID_HASHES = {"sha1", "sha224", "sha256", "sha384", "sha512"}

# --- small helpers ------------------------------------------------------------------------------


class Mismatches:
    """Collects the field mismatches of one vector; a failure lists them all, by file, field."""

    def __init__(self, file: str, source: str) -> None:
        self.file = file
        self.source = source
        self.items: List[str] = []

    def eq(self, field: str, got: Any, expected: Any) -> None:
        if got != expected:
            self.items.append(
                f"{self.file}: {field}: {self.source} says {expected!r}, ocspkit gives {got!r}"
            )

    def true(self, field: str, condition: bool, detail: str) -> None:
        if not condition:
            self.items.append(f"{self.file}: {field}: {detail}")

    def check(self) -> None:
        assert not self.items, f"{len(self.items)} mismatch(es):\n" + "\n".join(self.items)


def _hex(value: Optional[bytes]) -> Optional[str]:
    return None if value is None else value.hex().upper()


def _serial_from_hex(text: str) -> int:
    text = text.replace(":", "").strip()
    return -int(text[1:], 16) if text.startswith("-") else int(text, 16)


_OPENSSL_TIME = re.compile(
    r"^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? (\d{4}) GMT$"
)
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _openssl_time(text: str) -> dt.datetime:
    """'Apr  2 12:34:58 2003 GMT' or 'Aug 19 12:18:04.364362 2021 GMT' as an aware UTC datetime."""
    match = _OPENSSL_TIME.match(text)
    assert match, f"unexpected openssl time format {text!r}"
    mon, day, hh, mm, ss, frac, year = match.groups()
    micro = int((frac or "0").ljust(6, "0")[:6])
    return dt.datetime(
        int(year), _MONTHS.index(mon) + 1, int(day), int(hh), int(mm), int(ss), micro, tzinfo=UTC
    )


def _iso_time(text: str) -> dt.datetime:
    """'2018-08-30T11:15:00Z' as an aware UTC datetime."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert value.tzinfo is not None, f"expect time {text!r} has no zone"
    return value.astimezone(UTC)


def _load_cert(name: str) -> x509.Certificate:
    data = read_vector(name)
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return x509.Certificate.load(data)


def _openssl_oneline(name: x509.Name) -> str:
    """An asn1crypto Name the way `openssl ocsp -resp_text` prints a responder name."""
    rdns = []
    for rdn in name.chosen:
        parts = []
        for ntv in rdn:
            oid = ntv["type"].dotted
            parts.append(f"{OPENSSL_ATTR_NAMES.get(oid, oid)} = {ntv['value'].native}")
        rdns.append(" + ".join(parts))
    return ", ".join(rdns)


def _hash_parameters(cert_id: ocspkit.CertID) -> str:
    """'absent', 'NULL' or 'other': what follows the OID inside CertID.hashAlgorithm, as encoded."""
    algorithm = cert_id.asn1["hash_algorithm"]
    rest = bytes(algorithm.contents)[len(algorithm["algorithm"].dump()) :]
    if not rest:
        return "absent"
    return "NULL" if rest == b"\x05\x00" else "other"


def _issuer_hashes(issuer: x509.Certificate, algorithm: str) -> Tuple[str, str]:
    """(issuerNameHash, issuerKeyHash) of ``issuer``, computed with hashlib (RFC 6960 4.1.1)."""
    subject = issuer["tbs_certificate"]["subject"].dump()
    key_bits = bytes(
        issuer["tbs_certificate"]["subject_public_key_info"]["public_key"].contents[1:]
    )
    return (
        hashlib.new(algorithm, subject).hexdigest().upper(),
        hashlib.new(algorithm, key_bits).hexdigest().upper(),
    )


def _sct_log_ids(raw_value: bytes) -> List[bytes]:
    """Log IDs of a SignedCertificateTimestampList extnValue (RFC 6962 3.3), parsed by hand."""
    assert raw_value[0] == 0x04, "SCT list extnValue is not an OCTET STRING"
    length = raw_value[1]
    pos = 2
    if length & 0x80:
        n = length & 0x7F
        length = int.from_bytes(raw_value[2 : 2 + n], "big")
        pos = 2 + n
    body = raw_value[pos : pos + length]
    assert pos + length == len(raw_value), "trailing bytes after the SCT list OCTET STRING"
    total = int.from_bytes(body[:2], "big")
    assert total == len(body) - 2, "SCT list length prefix does not match"
    ids, i = [], 2
    while i < len(body):
        sct_len = int.from_bytes(body[i : i + 2], "big")
        sct = body[i + 2 : i + 2 + sct_len]
        ids.append(bytes(sct[1:33]))  # version (1 byte), then the 32-byte LogID
        i += 2 + sct_len
    return ids


def _outcome(loader: Callable[..., Any], data: bytes, file: str, **kwargs: Any) -> Any:
    """The loaded object, or the ParseError raised. Any other exception fails the test."""
    try:
        return loader(data, **kwargs)
    except ParseError as exc:
        return exc
    except Exception as exc:  # the point: nothing else may escape
        pytest.fail(
            f"{file}: {type(exc).__name__} escaped {loader.__name__} instead of ParseError: {exc}"
        )


def _load_request(entry: Dict[str, Any]) -> Tuple[ocspkit.OCSPRequest, bytes]:
    data = read_vector(entry["file"])
    obj = _outcome(ocspkit.load_request, data, entry["file"])
    assert not isinstance(obj, ParseError), f"{entry['file']}: must load, got ParseError: {obj}"
    return obj, data


def _load_response(entry: Dict[str, Any]) -> Tuple[ocspkit.OCSPResponse, bytes]:
    data = read_vector(entry["file"])
    kwargs = {"allow_unknown_critical": True} if _refused_for_unknown_critical(entry) else {}
    obj = _outcome(ocspkit.load_response, data, entry["file"], **kwargs)
    assert not isinstance(obj, ParseError), f"{entry['file']}: must load, got ParseError: {obj}"
    return obj, data


def _basic_or_none(resp: ocspkit.OCSPResponse) -> Optional[ocspkit.BasicOCSPResponse]:
    try:
        return resp.basic
    except UnsuccessfulResponse:
        return None


def _ext_pairs(extensions: Iterable[ocspkit.Extension]) -> List[Tuple[str, bool]]:
    return [(e.oid, e.critical) for e in extensions]


def _read_all_fields(obj: Any) -> None:
    """Read every decoded field of a loaded request/response view (nothing may raise afterwards)."""
    if isinstance(obj, ocspkit.OCSPRequest):
        _ = (obj.version, obj.requestor_name, obj.nonce, obj.nonce_form, obj.is_signed)
        _ = (obj.signature_algorithm, obj.signature, obj.certs, obj.tbs_request_bytes)
        for ext in obj.extensions:
            _ = (ext.oid, ext.name, ext.critical, ext.raw_value, ext.value)
        for req in obj.requests:
            _read_cert_id(req.cert_id)
            for ext in req.extensions:
                _ = (ext.oid, ext.name, ext.critical, ext.raw_value, ext.value)
        return
    _ = (obj.response_status, obj.response_type, obj.pem())
    basic = _basic_or_none(obj)
    if basic is None:
        return
    _ = (basic.version, basic.produced_at, basic.nonce, basic.nonce_form, basic.signature_algorithm)
    _ = (basic.signature, basic.certs, basic.tbs_response_data_bytes)
    rid = basic.responder_id
    _ = (rid.type, rid.name, rid.key_hash, repr(rid))
    for ext in basic.extensions:
        _ = (ext.oid, ext.name, ext.critical, ext.raw_value, ext.value)
    for single in basic.responses:
        _read_single(single)


def _read_cert_id(cert_id: ocspkit.CertID) -> None:
    _ = (cert_id.hash_algorithm, cert_id.issuer_name_hash, cert_id.issuer_key_hash)
    _ = (cert_id.serial_number, cert_id.dump(), repr(cert_id))


def _read_single(single: ocspkit.SingleResponse) -> None:
    _read_cert_id(single.cert_id)
    _ = (single.cert_status, single.revocation_time, single.revocation_reason)
    _ = (single.this_update, single.next_update, repr(single))
    for ext in single.extensions:
        _ = (ext.oid, ext.name, ext.critical, ext.raw_value, ext.value)


# --- 1. loading, byte-exact dump and PEM round trip -----------------------------------------


@pytest.mark.parametrize("entry", _params(REQUEST_ENTRIES))
def test_request_loads_or_raises_parse_error(entry: Dict[str, Any]) -> None:
    file = entry["file"]
    data = read_vector(file)
    obj = _outcome(ocspkit.load_request, data, file)
    if not _must_parse(entry):
        assert isinstance(obj, ParseError), f"{file}: loaded, but expect.must_parse is false"
        return
    assert not isinstance(obj, ParseError), f"{file}: must load, got ParseError: {obj}"
    assert obj.dump() == data, f"{file}: dump() differs from the bytes as received"
    armored = obj.pem()
    assert armored.startswith(b"-----BEGIN OCSP REQUEST-----\n"), f"{file}: pem() label"
    assert ocspkit.load_request(armored).dump() == data, f"{file}: PEM round trip changed the bytes"
    assert ocspkit.load_request(armored.decode("ascii")).dump() == data, (
        f"{file}: PEM str round trip"
    )


@pytest.mark.parametrize("entry", _params(RESPONSE_ENTRIES))
def test_response_loads_or_raises_parse_error(entry: Dict[str, Any]) -> None:
    file = entry["file"]
    data = read_vector(file)
    obj = _outcome(ocspkit.load_response, data, file)
    if not _must_parse(entry):
        assert isinstance(obj, ParseError), f"{file}: loaded, but expect.must_parse is false"
        return
    kwargs: Dict[str, Any] = {}
    if _refused_for_unknown_critical(entry):
        # BoringSSL: UNHANDLED_CRITICAL_EXTENSION. Refused by default, readable on request.
        assert isinstance(obj, ParseError), (
            f"{file}: unknown critical extension accepted by default"
        )
        kwargs = {"allow_unknown_critical": True}
        obj = _outcome(ocspkit.load_response, data, file, **kwargs)
    assert not isinstance(obj, ParseError), f"{file}: must load, got ParseError: {obj}"
    assert obj.dump() == data, f"{file}: dump() differs from the bytes as received"
    armored = obj.pem()
    assert armored.startswith(b"-----BEGIN OCSP RESPONSE-----\n"), f"{file}: pem() label"
    assert ocspkit.load_response(armored, **kwargs).dump() == data, (
        f"{file}: PEM round trip changed the bytes"
    )
    if obj.response_status is ResponseStatus.SUCCESSFUL:
        basic = obj.basic
        assert basic.tbs_response_data_bytes in data, (
            f"{file}: tbs_response_data_bytes not as received"
        )


# --- 2. the same fields as stock asn1crypto.ocsp ---------------------------------------------

# asn1crypto.ocsp cannot decode these parts of a file ocspkit reads; the rest is compared.
ASN1CRYPTO_CANNOT_DECODE = {
    # asn1crypto maps the SCT list OID to an OCTET STRING value and fails on this extnValue
    # ("Insufficient data - 69 bytes requested but only 6 available"); ocspkit keeps SCTs raw.
    "boringssl/ocsp_unittest/has_critical_ct_extension.resp.der": "singleExtensions",
}


def _ref_hash_name(algorithm: Any) -> str:
    native = algorithm["algorithm"].native
    return native.replace("_", "-") if native[0].isalpha() else native


def _compare_cert_id_with_ref(m: Mismatches, where: str, ours: ocspkit.CertID, ref: Any) -> None:
    m.eq(f"{where}.hash_algorithm", ours.hash_algorithm, _ref_hash_name(ref["hash_algorithm"]))
    m.eq(
        f"{where}.issuer_name_hash",
        _hex(ours.issuer_name_hash),
        _hex(ref["issuer_name_hash"].native),
    )
    m.eq(
        f"{where}.issuer_key_hash", _hex(ours.issuer_key_hash), _hex(ref["issuer_key_hash"].native)
    )
    m.eq(f"{where}.serial_number", ours.serial_number, ref["serial_number"].native)


def _ref_extensions(value: Any) -> List[Tuple[str, bool]]:
    if isinstance(value, core.Void):
        return []
    return [(ext["extn_id"].dotted, bool(ext["critical"].native)) for ext in value]


@pytest.mark.parametrize("entry", _params(LOADABLE_REQUESTS))
def test_request_matches_asn1crypto(entry: Dict[str, Any]) -> None:
    file = entry["file"]
    ours, data = _load_request(entry)
    ref = ref_ocsp.OCSPRequest.load(data)
    m = Mismatches(file, "asn1crypto.ocsp")
    tbs = ref["tbs_request"]
    m.eq("version", ours.version, {"v1": 0}.get(tbs["version"].native, tbs["version"].native))
    ref_requestor = tbs["requestor_name"]
    m.eq(
        "requestor_name",
        None if ours.requestor_name is None else ours.requestor_name.dump(),
        None if isinstance(ref_requestor, core.Void) else ref_requestor.dump(),
    )
    m.eq("num_requests", len(ours.requests), len(tbs["request_list"]))
    for i, (req, ref_req) in enumerate(zip(ours.requests, tbs["request_list"])):
        _compare_cert_id_with_ref(m, f"requests[{i}]", req.cert_id, ref_req["req_cert"])
        m.eq(
            f"requests[{i}].extensions",
            _ext_pairs(req.extensions),
            _ref_extensions(ref_req["single_request_extensions"]),
        )
    m.eq(
        "request_extensions",
        _ext_pairs(ours.extensions),
        _ref_extensions(tbs["request_extensions"]),
    )
    ref_sig = ref["optional_signature"]
    signed = not isinstance(ref_sig, core.Void)
    m.eq("signed", ours.is_signed, signed)
    if signed and ours.is_signed:
        m.eq(
            "signature_algorithm",
            ours.signature_algorithm.dump(),
            ref_sig["signature_algorithm"].dump(),
        )
        m.eq("signature", ours.signature, ref_sig["signature"].native)
        ref_certs = ref_sig["certs"]
        ref_cert_ders = [] if isinstance(ref_certs, core.Void) else [c.dump() for c in ref_certs]
        m.eq("certs", [c.dump() for c in ours.certs], ref_cert_ders)
    m.check()


@pytest.mark.parametrize("entry", _params(LOADABLE_RESPONSES))
def test_response_matches_asn1crypto(entry: Dict[str, Any]) -> None:
    file = entry["file"]
    ours, data = _load_response(entry)
    ref = ref_ocsp.OCSPResponse.load(data)
    m = Mismatches(file, "asn1crypto.ocsp")
    # By number: asn1crypto names value 5 'sign_required' where ocspkit says SIG_REQUIRED.
    ref_status = int.from_bytes(ref["response_status"].contents, "big", signed=True)
    m.eq("response_status", int(ours.response_status), ref_status)
    ref_rb = ref["response_bytes"]
    if isinstance(ref_rb, core.Void):
        m.eq("response_type", ours.response_type, None)
        m.true("basic", _basic_or_none(ours) is None, "no responseBytes, yet .basic did not raise")
        m.check()
        return
    m.eq("response_type", ours.response_type, ref_rb["response_type"].dotted)
    basic = ours.basic
    ref_basic = ref_rb["response"].parsed
    tbs = ref_basic["tbs_response_data"]
    m.eq("version", basic.version, {"v1": 0}.get(tbs["version"].native, tbs["version"].native))
    ref_rid = tbs["responder_id"]
    rid = basic.responder_id
    m.eq("responder_id.type", rid.type.value, ref_rid.name)
    if ref_rid.name == "by_name":
        m.eq(
            "responder_id.name",
            rid.name.dump() if rid.name is not None else None,
            ref_rid.chosen.untag().dump(),
        )
        m.eq("responder_id.key_hash", rid.key_hash, None)
    else:
        m.eq("responder_id.key_hash", _hex(rid.key_hash), _hex(ref_rid.chosen.native))
        m.eq("responder_id.name", rid.name, None)
    m.eq("produced_at", basic.produced_at, tbs["produced_at"].native)
    m.eq("num_responses", len(basic.responses), len(tbs["responses"]))
    skip_single_ext = ASN1CRYPTO_CANNOT_DECODE.get(file) == "singleExtensions"
    for i, (single, ref_single) in enumerate(zip(basic.responses, tbs["responses"])):
        where = f"responses[{i}]"
        _compare_cert_id_with_ref(m, f"{where}.cert_id", single.cert_id, ref_single["cert_id"])
        ref_status = ref_single["cert_status"]
        m.eq(f"{where}.cert_status", single.cert_status.name.lower(), ref_status.name)
        if ref_status.name == "revoked":
            info = ref_status.chosen
            m.eq(f"{where}.revocation_time", single.revocation_time, info["revocation_time"].native)
            reason = single.revocation_reason
            m.eq(
                f"{where}.revocation_reason",
                None if reason is None else reason.name.lower(),
                info["revocation_reason"].native,
            )
        else:
            m.eq(f"{where}.revocation_time", single.revocation_time, None)
            m.eq(f"{where}.revocation_reason", single.revocation_reason, None)
        m.eq(f"{where}.this_update", single.this_update, ref_single["this_update"].native)
        m.eq(f"{where}.next_update", single.next_update, ref_single["next_update"].native)
        if not skip_single_ext:
            m.eq(
                f"{where}.single_extensions",
                _ext_pairs(single.extensions),
                _ref_extensions(ref_single["single_extensions"]),
            )
    m.eq(
        "response_extensions",
        _ext_pairs(basic.extensions),
        _ref_extensions(tbs["response_extensions"]),
    )
    m.eq(
        "signature_algorithm",
        basic.signature_algorithm.dump(),
        ref_basic["signature_algorithm"].dump(),
    )
    m.eq("signature", basic.signature, ref_basic["signature"].native)
    ref_certs = ref_basic["certs"]
    m.eq("num_certs", len(basic.certs), 0 if isinstance(ref_certs, core.Void) else len(ref_certs))
    m.check()


# --- 3a. the fields `openssl ocsp` printed (MANIFEST openssl_observed) --------------------------


def _openssl_ext_pairs(items: Optional[List[Dict[str, Any]]]) -> List[Tuple[str, bool]]:
    return [(i["name"], bool(i["critical"])) for i in items or []]


def _our_openssl_ext_pairs(extensions: Iterable[ocspkit.Extension]) -> List[Tuple[str, bool]]:
    return [(OPENSSL_LONG_NAMES.get(e.oid, e.oid), e.critical) for e in extensions]


def _compare_cert_id_with_openssl(
    m: Mismatches, where: str, ours: ocspkit.CertID, seen: Dict[str, Any]
) -> None:
    m.eq(f"{where}.hash_algorithm", ours.hash_algorithm, seen["hash_algorithm"])
    m.eq(f"{where}.issuer_name_hash", _hex(ours.issuer_name_hash), seen["issuer_name_hash"].upper())
    m.eq(f"{where}.issuer_key_hash", _hex(ours.issuer_key_hash), seen["issuer_key_hash"].upper())
    m.eq(f"{where}.serial", ours.serial_number, _serial_from_hex(seen["serial"]))


def _our_openssl_sig_name(algorithm: Any) -> Optional[str]:
    if algorithm is None:
        return None
    oid = algorithm["algorithm"].dotted
    return OPENSSL_SIG_NAMES.get(oid, oid)


@pytest.mark.parametrize("entry", _params(e for e in LOADABLE_REQUESTS if "openssl_observed" in e))
def test_request_matches_openssl(entry: Dict[str, Any]) -> None:
    file = entry["file"]
    seen = entry["openssl_observed"]
    ours, _ = _load_request(entry)
    assert seen.get("openssl_parse") == "ok", f"{file}: openssl could not parse it ({seen})"
    m = Mismatches(file, "openssl")
    m.eq("version_raw", ours.version, seen["version_raw"])
    m.eq("requestor_name", ours.requestor_name, seen["requestor_name"])
    m.eq("num_requests", len(ours.requests), seen["num_requests"])
    m.eq("num_requests (requests list)", len(ours.requests), len(seen["requests"]))
    for i, (req, seen_req) in enumerate(zip(ours.requests, seen["requests"])):
        _compare_cert_id_with_openssl(m, f"requests[{i}]", req.cert_id, seen_req)
    m.eq(
        "request_extensions",
        _our_openssl_ext_pairs(ours.extensions),
        _openssl_ext_pairs(seen["request_extensions"]),
    )
    m.eq("signed", ours.is_signed, seen["signed"])
    m.eq(
        "signature_algorithm",
        _our_openssl_sig_name(ours.signature_algorithm),
        seen["signature_algorithm"],
    )
    m.eq("num_certs", len(ours.certs), seen["num_certs"])
    m.check()


def _openssl_response_type(text: str) -> str:
    """'Basic OCSP Response' -> its OID; '1.2.3 (unknown response type)' -> '1.2.3'."""
    text = text.replace(" (unknown response type)", "")
    for oid, name in OPENSSL_LONG_NAMES.items():
        if name == text:
            return oid
    return text


_OPENSSL_REASON = re.compile(r"^(\w+) \(0x([0-9A-Fa-f]+)\)$")


def _compare_single_with_openssl(
    m: Mismatches, where: str, single: ocspkit.SingleResponse, seen: Dict[str, Any]
) -> None:
    _compare_cert_id_with_openssl(m, where, single.cert_id, seen)
    m.eq(f"{where}.cert_status", single.cert_status.name.lower(), seen["cert_status"])
    # A key openssl did not print is a field that is absent.
    revocation_time = seen.get("revocation_time")
    m.eq(
        f"{where}.revocation_time",
        single.revocation_time,
        None if revocation_time is None else _openssl_time(revocation_time),
    )
    reason_text = seen.get("revocation_reason")
    reason = single.revocation_reason
    if reason_text is None:
        m.eq(f"{where}.revocation_reason", reason, None)
    else:
        match = _OPENSSL_REASON.match(reason_text)
        assert match, f"{m.file}: unexpected openssl reason format {reason_text!r}"
        name, code = match.group(1), int(match.group(2), 16)
        m.eq(f"{where}.revocation_reason (code)", None if reason is None else int(reason), code)
        m.eq(
            f"{where}.revocation_reason (name)",
            None if reason is None else RFC5280_REASON_NAMES.get(int(reason)),
            name,
        )
    m.eq(f"{where}.this_update", single.this_update, _openssl_time(seen["this_update"]))
    next_update = seen.get("next_update")
    m.eq(
        f"{where}.next_update",
        single.next_update,
        None if next_update is None else _openssl_time(next_update),
    )
    m.eq(
        f"{where}.single_extensions",
        _our_openssl_ext_pairs(single.extensions),
        _openssl_ext_pairs(seen.get("single_extensions")),
    )


@pytest.mark.parametrize("entry", _params(e for e in LOADABLE_RESPONSES if "openssl_observed" in e))
def test_response_matches_openssl(entry: Dict[str, Any]) -> None:
    file = entry["file"]
    seen = entry["openssl_observed"]
    ours, _ = _load_response(entry)
    m = Mismatches(file, "openssl")
    # openssl prints the status even when it cannot parse the basic response; compare that.
    status = seen["response_status"]
    m.eq("response_status.code", int(ours.response_status), status["code"])
    m.eq("response_status.name", ours.response_status.asn1_name.lower(), status["name"])
    if "response_type" in seen:
        m.eq("response_type", ours.response_type, _openssl_response_type(seen["response_type"]))
    if seen.get("openssl_parse") != "ok" or "responses" not in seen:
        # Unsuccessful responses (nothing more printed), or a basic response openssl refuses
        # (good_response_invalid_serial: the non-minimal INTEGER serial that BoringSSL reads).
        m.check()
        return
    basic = ours.basic
    m.eq("version_raw", basic.version, seen["version_raw"])
    seen_rid = seen["responder_id"]
    rid = basic.responder_id
    m.eq(
        "responder_id.by",
        rid.type,
        {"name": ResponderIDType.BY_NAME, "key_hash": ResponderIDType.BY_KEY}[seen_rid["by"]],
    )
    if seen_rid["by"] == "name":
        m.eq(
            "responder_id.name",
            None if rid.name is None else _openssl_oneline(rid.name),
            seen_rid["name"],
        )
    else:
        m.eq("responder_id.key_hash", _hex(rid.key_hash), seen_rid["key_hash"].upper())
    m.eq("produced_at", basic.produced_at, _openssl_time(seen["produced_at"]))
    m.eq("num_responses", len(basic.responses), seen["num_responses"])
    m.eq("num_responses (responses list)", len(basic.responses), len(seen["responses"]))
    for i, (single, seen_single) in enumerate(zip(basic.responses, seen["responses"])):
        _compare_single_with_openssl(m, f"responses[{i}]", single, seen_single)
    m.eq(
        "response_extensions",
        _our_openssl_ext_pairs(basic.extensions),
        _openssl_ext_pairs(seen["response_extensions"]),
    )
    m.eq(
        "signature_algorithm",
        _our_openssl_sig_name(basic.signature_algorithm),
        seen["signature_algorithm"],
    )
    m.eq("num_certs", len(basic.certs), seen["num_certs"])
    m.check()


# --- 3b. the facts the sources state (MANIFEST expect) ------------------------------------------


def _compare_extension_with_expect(
    m: Mismatches, where: str, ext: ocspkit.Extension, want: Dict[str, Any]
) -> None:
    if "oid" in want:
        m.eq(f"{where}.oid", ext.oid, want["oid"])
    if "name" in want:
        assert want["name"] in EXPECT_EXTENSION_OIDS, (
            f"{m.file}: {where}: no OID known for {want['name']!r}"
        )
        m.eq(
            f"{where}.oid (from name {want['name']})", ext.oid, EXPECT_EXTENSION_OIDS[want["name"]]
        )
    if "critical" in want:
        m.eq(f"{where}.critical", ext.critical, want["critical"])
    if "extn_value" in want:
        m.eq(f"{where}.extn_value", _hex(ext.raw_value), want["extn_value"].upper())
    if "nonce" in want:
        m.eq(f"{where}.nonce", _hex(ext.value), want["nonce"].upper())
    if "unrecognized" in want:
        m.eq(f"{where}.known", ext.known, not want["unrecognized"])
    if "value" in want:
        value = ext.value
        if isinstance(want["value"], list):  # AcceptableResponses: a list of OIDs
            m.eq(f"{where}.value", [oid.dotted for oid in value], want["value"])
        else:  # CRLReason: the RFC 5280 identifier
            reason_code = int.from_bytes(value.contents, "big") if value is not None else None
            m.eq(f"{where}.value", RFC5280_REASON_NAMES.get(reason_code), want["value"])
    if "num_scts" in want or "sct_log_ids_base64" in want:
        log_ids = _sct_log_ids(ext.raw_value)
        if "num_scts" in want:
            m.eq(f"{where}.num_scts", len(log_ids), want["num_scts"])
        if "sct_log_ids_base64" in want:
            m.eq(
                f"{where}.sct_log_ids",
                [base64.b64encode(i).decode() for i in log_ids],
                want["sct_log_ids_base64"],
            )


def _compare_extensions_with_expect(
    m: Mismatches,
    where: str,
    extensions: ocspkit.Extensions,
    wanted: Optional[List[Dict[str, Any]]],
) -> None:
    if wanted is None:  # the source states the field is absent
        m.eq(f"{where} (count)", len(extensions), 0)
        return
    for i, want in enumerate(wanted):
        if "oid" in want:
            ext = extensions.get(want["oid"])
        elif "name" in want:
            ext = extensions.get(EXPECT_EXTENSION_OIDS[want["name"]])
        else:
            ext = extensions[i] if i < len(extensions) else None
        label = f"{where}[{want.get('oid', want.get('name', i))}]"
        m.true(label, ext is not None, "extension missing")
        if ext is not None:
            _compare_extension_with_expect(m, label, ext, want)


def _compare_cert_id_with_expect(
    m: Mismatches, where: str, cert_id: ocspkit.CertID, want: Dict[str, Any]
) -> None:
    if "hash_algorithm" in want:
        m.eq(f"{where}.hash_algorithm", cert_id.hash_algorithm, want["hash_algorithm"])
    if "hash_oid" in want:
        m.eq(
            f"{where}.hash_oid",
            cert_id.asn1["hash_algorithm"]["algorithm"].dotted,
            want["hash_oid"],
        )
    if "hash_parameters_present" in want:
        m.eq(
            f"{where}.hash_parameters_present",
            _hash_parameters(cert_id) != "absent",
            want["hash_parameters_present"],
        )
    if "hash_parameters" in want:
        if want["hash_parameters"] == "absent":
            # Stated by asn1crypto's test as `parameters.native is None`, which holds for an
            # absent field and for NULL alike (the asn1crypto fixtures encode NULL).
            m.true(
                f"{where}.hash_parameters",
                _hash_parameters(cert_id) in ("absent", "NULL"),
                "parameters present and not NULL",
            )
        else:
            m.eq(f"{where}.hash_parameters", _hash_parameters(cert_id), want["hash_parameters"])
    for field in ("issuer_name_hash", "issuer_key_hash"):
        if field in want:
            m.eq(f"{where}.{field}", _hex(getattr(cert_id, field)), want[field].upper())
    if "serial" in want:
        m.eq(f"{where}.serial", cert_id.serial_number, _serial_from_hex(want["serial"]))
    if "serial_decimal" in want:
        m.eq(f"{where}.serial_decimal", cert_id.serial_number, int(want["serial_decimal"]))
    if "issuer" in want:
        _compare_cert_id_issuer(m, where, cert_id, want["issuer"])


def _compare_cert_id_issuer(
    m: Mismatches, where: str, cert_id: ocspkit.CertID, issuer_file: str
) -> None:
    name_hash, key_hash = _issuer_hashes(_load_cert(issuer_file), cert_id.hash_algorithm)
    m.eq(f"{where}.issuer_name_hash (of {issuer_file})", _hex(cert_id.issuer_name_hash), name_hash)
    m.eq(f"{where}.issuer_key_hash (of {issuer_file})", _hex(cert_id.issuer_key_hash), key_hash)


def _compare_certs_with_files(
    m: Mismatches, certs: Tuple[Any, ...], files: Optional[List[str]]
) -> None:
    wanted = [_load_cert(f).dump() for f in files or []]
    m.eq("certs (DER of the listed files)", [c.dump() for c in certs], wanted)


@pytest.mark.parametrize("entry", _params(LOADABLE_REQUESTS))
def test_request_matches_expect(entry: Dict[str, Any]) -> None:
    file = entry["file"]
    want = entry["expect"]
    ours, data = _load_request(entry)
    m = Mismatches(file, "expect")
    if want.get("reserialize_identical") or want.get("reencode_identical"):
        m.eq("dump() == input", ours.dump() == data, True)
    if "version" in want:
        m.eq("version", ours.version, {"v1": 0}[want["version"]])
    if "requestor_name" in want:
        m.eq("requestor_name", ours.requestor_name, want["requestor_name"])
    if "num_requests" in want:
        m.eq("num_requests", len(ours.requests), want["num_requests"])
    for i, want_req in enumerate(want.get("requests", [])):
        if i >= len(ours.requests):
            m.true(f"requests[{i}]", False, "missing")
            continue
        req = ours.requests[i]
        _compare_cert_id_with_expect(m, f"requests[{i}]", req.cert_id, want_req)
        if "single_request_extensions" in want_req:
            _compare_extensions_with_expect(
                m,
                f"requests[{i}].single_request_extensions",
                req.extensions,
                want_req["single_request_extensions"],
            )
    if "issuer" in want:  # every CertID names this issuer
        for i, cert_id in enumerate(ours.cert_ids):
            _compare_cert_id_issuer(m, f"requests[{i}]", cert_id, want["issuer"])
    if want.get("certid_hash_algorithm_supported") is False:
        for i, cert_id in enumerate(ours.cert_ids):
            m.true(
                f"requests[{i}].hash_algorithm",
                cert_id.hash_algorithm == cert_id.asn1["hash_algorithm"]["algorithm"].dotted
                and cert_id.hash_algorithm not in _SHA2_CERTID_HASHES,
                f"an unsupported hash must read as its dotted OID, got {cert_id.hash_algorithm!r}",
            )
    if "num_extensions" in want:
        m.eq("num_extensions", len(ours.extensions), want["num_extensions"])
    if "num_request_extensions" in want:
        m.eq("num_request_extensions", len(ours.extensions), want["num_request_extensions"])
    if "request_extensions" in want:
        _compare_extensions_with_expect(
            m, "request_extensions", ours.extensions, want["request_extensions"]
        )
    if "nonce_present" in want:
        m.eq("nonce_present", ours.nonce is not None, want["nonce_present"])
    if "signed" in want:
        m.eq("signed", ours.is_signed, want["signed"])
    if "signature_algorithm_oid" in want:
        sig = ours.signature_algorithm
        m.eq(
            "signature_algorithm_oid",
            None if sig is None else sig["algorithm"].dotted,
            want["signature_algorithm_oid"],
        )
    if "certs" in want:
        _compare_certs_with_files(m, ours.certs, want["certs"])
    if "matches_response" in want:
        link = want["matches_response"]
        resp, _ = _load_response(_entry(link["file"]))
        single = resp.find(ours.cert_ids[0])
        if link.get("present") is False:
            m.eq(f"matches_response ({link['file']})", single, None)
        else:
            m.true(
                f"matches_response ({link['file']})",
                single is not None,
                "no SingleResponse for this CertID",
            )
            if single is not None and "cert_status" in link:
                m.eq(
                    "matches_response.cert_status",
                    single.cert_status.name.lower(),
                    link["cert_status"],
                )
    m.check()


def _compare_single_with_expect(
    m: Mismatches, where: str, single: ocspkit.SingleResponse, want: Dict[str, Any]
) -> None:
    _compare_cert_id_with_expect(m, f"{where}.cert_id", single.cert_id, want)
    if "cert_status" in want:
        m.eq(f"{where}.cert_status", single.cert_status.name.lower(), want["cert_status"])
    if "revocation_reason" in want:
        reason = single.revocation_reason
        m.eq(
            f"{where}.revocation_reason",
            None if reason is None else RFC5280_REASON_NAMES.get(int(reason)),
            want["revocation_reason"],
        )
    for field in ("revocation_time", "this_update", "next_update"):
        if field in want:
            value = want[field]
            m.eq(
                f"{where}.{field}",
                getattr(single, field),
                None if value is None else _iso_time(value),
            )
    if "single_extensions" in want:
        _compare_extensions_with_expect(
            m, f"{where}.single_extensions", single.extensions, want["single_extensions"]
        )


def _single_matches(single: ocspkit.SingleResponse, want: Dict[str, Any]) -> bool:
    probe = Mismatches("", "")
    _compare_single_with_expect(probe, "", single, want)
    return not probe.items


def _linked_request(response_file: str, cert_status: str) -> ocspkit.OCSPRequest:
    """The request whose expect.matches_response names this response file with this status."""
    for e in manifest_entries("ocsp-request"):
        link = e["expect"].get("matches_response") or {}
        if link.get("file") == response_file and link.get("cert_status") == cert_status:
            return _load_request(e)[0]
    raise AssertionError(
        f"no request in MANIFEST is linked to {response_file} with status {cert_status}"
    )


@pytest.mark.parametrize("entry", _params(LOADABLE_RESPONSES))
def test_response_matches_expect(entry: Dict[str, Any]) -> None:
    file = entry["file"]
    want = entry["expect"]
    ours, data = _load_response(entry)
    m = Mismatches(file, "expect")
    if want.get("reserialize_identical") or want.get("reencode_identical"):
        m.eq("dump() == input", ours.dump() == data, True)
    if "response_status" in want:
        m.eq("response_status", ours.response_status.asn1_name, want["response_status"])
        m.eq(
            "response_status (RFC 6960 name)",
            RFC6960_STATUS_NAMES.get(int(ours.response_status)),
            want["response_status"],
        )
    if "response_status_code" in want:
        m.eq("response_status_code", int(ours.response_status), want["response_status_code"])
    if "response_type" in want:
        m.eq(
            "response_type",
            ours.response_type,
            EXPECT_RESPONSE_TYPES.get(want["response_type"], want["response_type"]),
        )
    if want.get("response_bytes_present") is False:
        m.eq("response_type (no responseBytes)", ours.response_type, None)
        with pytest.raises(UnsuccessfulResponse):
            ours.basic  # noqa: B018
    basic = _basic_or_none(ours)
    if basic is None:
        m.check()
        return
    if "version" in want:
        m.eq("version", basic.version, {"v1": 0}[want["version"]])
    if "signature_algorithm_oid" in want:
        m.eq(
            "signature_algorithm_oid",
            basic.signature_algorithm["algorithm"].dotted,
            want["signature_algorithm_oid"],
        )
    if "signature_algorithm" in want:
        m.eq(
            "signature_algorithm",
            basic.signature_algorithm["algorithm"].dotted,
            EXPECT_SIG_OIDS[want["signature_algorithm"]],
        )
    if want.get("signature_algorithm_parameters") == "absent":
        # asn1crypto's test: `parameters.native is None` (absent or NULL; the fixture has NULL).
        m.eq("signature_algorithm_parameters", basic.signature_algorithm["parameters"].native, None)
    if "signature_hash_algorithm" in want:
        m.eq(
            "signature_hash_algorithm",
            basic.signature_algorithm.hash_algo,
            want["signature_hash_algorithm"],
        )
    if "num_certs" in want:
        m.eq("num_certs", len(basic.certs), want["num_certs"])
    if "certs" in want:
        _compare_certs_with_files(m, basic.certs, want["certs"])
    if "certs_0_version" in want:
        m.eq(
            "certs[0].version",
            basic.certs[0]["tbs_certificate"]["version"].native,
            want["certs_0_version"],
        )
    if "embedded_responder_cert" in want:
        wanted = _load_cert(want["embedded_responder_cert"]).dump()
        m.true(
            "embedded_responder_cert",
            wanted in [c.dump() for c in basic.certs],
            "the responder cert is not in certs",
        )
    if "responder_id" in want:
        _compare_responder_id_with_expect(m, basic.responder_id, want["responder_id"])
    if "produced_at" in want:
        m.eq("produced_at", basic.produced_at, _iso_time(want["produced_at"]))
    if "num_responses" in want:
        m.eq("num_responses", len(basic.responses), want["num_responses"])
    for i, want_single in enumerate(want.get("responses", [])):
        if i >= len(basic.responses):
            m.true(f"responses[{i}]", False, "missing")
            continue
        _compare_single_with_expect(m, f"responses[{i}]", basic.responses[i], want_single)
    for i, want_single in enumerate(want.get("responses_include", [])):
        found = any(_single_matches(s, want_single) for s in basic.responses)
        m.true(f"responses_include[{i}]", found, f"no SingleResponse matches {want_single}")
    if "single_extensions" in want:  # stated for the (only) SingleResponse
        m.eq("num_responses (single_extensions given)", len(basic.responses), 1)
        _compare_extensions_with_expect(
            m,
            "responses[0].single_extensions",
            basic.responses[0].extensions,
            want["single_extensions"],
        )
    if "num_single_extensions" in want:
        m.eq(
            "responses[0].num_single_extensions",
            len(basic.responses[0].extensions),
            want["num_single_extensions"],
        )
    if "num_response_extensions" in want:
        m.eq("num_response_extensions", len(basic.extensions), want["num_response_extensions"])
    if "response_extensions_present" in want:
        present = not isinstance(basic.asn1["tbs_response_data"]["response_extensions"], core.Void)
        m.eq("response_extensions_present", present, want["response_extensions_present"])
    if "response_extensions" in want:
        _compare_extensions_with_expect(
            m, "response_extensions", basic.extensions, want["response_extensions"]
        )
    if "nonce_present" in want:
        m.eq("nonce_present", ours.nonce is not None, want["nonce_present"])
    if want.get("certid_hash_algorithm_supported") is False:
        for i, single in enumerate(basic.responses):
            cert_id = single.cert_id
            m.true(
                f"responses[{i}].hash_algorithm",
                cert_id.hash_algorithm == cert_id.asn1["hash_algorithm"]["algorithm"].dotted
                and cert_id.hash_algorithm not in _SHA2_CERTID_HASHES,
                f"an unsupported hash must read as its dotted OID, got {cert_id.hash_algorithm!r}",
            )
    for key, status in (
        ("response_for_valid_req", "good"),
        ("response_for_revoked_req", "revoked"),
    ):
        if key in want:
            _compare_linked_single(m, key, ours, _linked_request(file, status), want[key])
    for i, selection in enumerate(want.get("select_by_cert", [])):
        # Go's ParseResponseForCert picks the SingleResponse by serial number.
        serial = _load_cert(selection["cert"]).serial_number
        hits = [s for s in basic.responses if s.cert_id.serial_number == serial]
        if selection["result"] == "found":
            m.true(
                f"select_by_cert[{i}] ({selection['cert']})",
                bool(hits),
                "no SingleResponse for its serial",
            )
            if "serial" in selection:
                m.eq(f"select_by_cert[{i}].serial", serial, _serial_from_hex(selection["serial"]))
        else:
            m.eq(f"select_by_cert[{i}] ({selection['cert']})", len(hits), 0)
    m.check()


def _compare_responder_id_with_expect(
    m: Mismatches, rid: ocspkit.ResponderID, want: Dict[str, Any]
) -> None:
    by = {"name": ResponderIDType.BY_NAME, "key_hash": ResponderIDType.BY_KEY}[want["by"]]
    m.eq("responder_id.by", rid.type, by)
    if "key_hash" in want:
        m.eq("responder_id.key_hash", _hex(rid.key_hash), want["key_hash"].upper())
    if "equals_subject_of" in want:
        subject = _load_cert(want["equals_subject_of"])["tbs_certificate"]["subject"]
        label = f"responder_id.name (subject of {want['equals_subject_of']})"
        m.true(
            label,
            rid.name is not None and rid.name == subject,
            f"{rid.name!r} != {subject.human_friendly!r}",
        )
        # Byte-identical too: ResponderID.name is the Name itself, without the [1] EXPLICIT tag.
        m.eq(f"{label} DER", None if rid.name is None else rid.name.dump(), subject.dump())
        m.eq(f"{label} name_der", rid.name_der, subject.dump())
    if "name" in want:
        # 'CN=rsa-2048-sha256-ocsp-crt (PrintableString)': one attribute, its value and string type.
        match = re.match(r"^(\w+)=(.*) \((\w+)\)$", want["name"])
        assert match, f"{m.file}: unexpected expect.responder_id.name {want['name']!r}"
        attr, value, string_type = match.groups()
        atvs = [] if rid.name is None else [atv for rdn in rid.name.chosen for atv in rdn]
        m.eq(
            "responder_id.name",
            [
                (
                    OPENSSL_ATTR_NAMES.get(a["type"].dotted),
                    a["value"].native,
                    type(a["value"].chosen).__name__,
                )
                for a in atvs
            ],
            [(attr, value, string_type)],
        )


def _compare_linked_single(
    m: Mismatches,
    key: str,
    resp: ocspkit.OCSPResponse,
    request: ocspkit.OCSPRequest,
    want: Dict[str, Any],
) -> None:
    single = resp.find(request.cert_ids[0])
    if single is None:
        m.true(key, False, "no SingleResponse for the linked request's CertID")
        return
    if want.get("certid_equals_request"):
        m.eq(f"{key}.cert_id", single.cert_id, request.cert_ids[0])
    _compare_single_with_expect(
        m, key, single, {k: v for k, v in want.items() if k != "certid_equals_request"}
    )


# --- 4. fuzz seeds: load or ParseError, nothing else -------------------------------------------


@pytest.mark.parametrize("entry", _params(FUZZ_ENTRIES))
def test_fuzz_seed_loads_or_raises_parse_error(entry: Dict[str, Any]) -> None:
    file = entry["file"]
    data = read_vector(file)
    spec = FUZZ_SPECS[entry["kind"]]
    if spec is None:
        obj = _outcome(ocspkit.load_response, data, file)
    else:

        def load(raw: bytes) -> Any:
            return ok_asn1.load(spec, raw)

        load.__name__ = f"asn1.load({spec.__name__})"
        obj = _outcome(load, data, file)
    if isinstance(obj, ParseError):
        return
    assert obj.dump() == data, f"{file}: dump() differs from the bytes as received"
    # Once loaded, reading any field must not raise.
    try:
        if spec is None:
            _read_all_fields(obj)
            seen = entry.get("openssl_observed") or {}
            if seen.get("openssl_parse") == "ok" and "response_status" in seen:
                assert int(obj.response_status) == seen["response_status"]["code"], (
                    f"{file}: response_status"
                )
        elif spec is ok_asn1.CertID:
            _read_cert_id(ocspkit.CertID(obj))
        elif spec is ok_asn1.SingleResponse:
            _read_single(ocspkit.SingleResponse(obj))
        else:
            _ = obj.native
    except AssertionError:
        raise
    except Exception as exc:
        pytest.fail(f"{file}: loaded, but reading its fields raised {type(exc).__name__}: {exc}")


# --- enum names used above ----------------------------------------------------------------------


@pytest.mark.parametrize("reason", list(RevocationReason), ids=lambda r: r.name)
def test_revocation_reason_asn1_name_is_the_rfc5280_identifier(reason: RevocationReason) -> None:
    assert reason.asn1_name == RFC5280_REASON_NAMES[int(reason)], (
        f"RevocationReason.{reason.name}.asn1_name is {reason.asn1_name!r}; "
        f"RFC 5280 5.3.1 names value {int(reason)} {RFC5280_REASON_NAMES[int(reason)]!r}"
    )


def test_response_status_asn1_names_are_the_rfc6960_identifiers() -> None:
    assert {int(s): s.asn1_name for s in ResponseStatus} == RFC6960_STATUS_NAMES


def test_cert_status_names() -> None:
    assert [s.name.lower() for s in CertStatus] == ["good", "revoked", "unknown"]


# --- every manifest field is compared, or waived with a reason ----------------------------------

# Opaque subtrees: not walked further.
REQUEST_EXPECT_WAIVED = {
    "stated_by": "provenance, not a decoded field",
    "note": "prose",
    "reason": "prose (why must_parse is false)",
    "cryptography_behaviour": "how the cryptography library's API behaves, not a field",
    "extensions_error": (
        "cryptography raises DuplicateExtension when the extensions are read; ocspkit keeps "
        "both (they are compared, in order, against openssl's list instead)"
    ),
    "verify": "signature checks: the verification tests",
    "exact_bytes_from_builder": "builder output: the builder tests",
}
RESPONSE_EXPECT_WAIVED = {
    "stated_by": "provenance, not a decoded field",
    "note": "prose",
    "reason": "prose (why must_parse is false)",
    "bc_behaviour": "how BouncyCastle's test behaves, not a field",
    "single_response_accessors_on_multi": "cryptography accessors for a lone SingleResponse: n/a",
    "signature_hash_algorithm_supported": "whether a verifier supports md2: the verification tests",
    "verify": "signature checks: the verification tests",
    "path_validation": "certvalidator path validation: the validation tests",
    "check_ocsp": "BoringSSL CheckOCSP verdicts (time, signer): the verification tests",
    "create_ocsp_request": "builder output: the builder tests",
    "exact_bytes": "builder output: the builder tests",
    "exact_bytes_from_builder": "builder output: the builder tests",
    "local_openssl_check": "a verification run with openssl: the verification tests",
    "single_extensions[].first_sct_entry_type": (
        "not encoded in the SCT; cryptography infers X509_CERTIFICATE for SCTs delivered by OCSP"
    ),
    "responder_id.note": "prose",
}
OPENSSL_WAIVED = {
    "openssl_rc": "the CLI's exit code (1 for every unsuccessful response), not a decoded field",
    "openssl_parse": "used to decide which openssl fields exist; not a field of the message",
    "openssl_error": "OpenSSL's error text for files it refuses",
}

_EXT = (
    "oid",
    "name",
    "critical",
    "extn_value",
    "nonce",
    "value",
    "unrecognized",
    "num_scts",
    "sct_log_ids_base64",
)
_CERTID = (
    "hash_algorithm",
    "hash_oid",
    "hash_parameters",
    "hash_parameters_present",
    "issuer_name_hash",
    "issuer_key_hash",
    "serial",
    "serial_decimal",
    "issuer",
)
_SINGLE = (
    *_CERTID,
    "cert_status",
    "revocation_reason",
    "revocation_time",
    "this_update",
    "next_update",
)

REQUEST_EXPECT_COMPARED = {
    "must_parse",
    "reserialize_identical",
    "reencode_identical",
    "version",
    "requestor_name",
    "num_requests",
    "num_extensions",
    "num_request_extensions",
    "nonce_present",
    "signed",
    "signature_algorithm_oid",
    "certs",
    "issuer",
    "certid_hash_algorithm_supported",
    "requests",
    "request_extensions",
    "matches_response",
    "matches_response.file",
    "matches_response.cert_status",
    "matches_response.present",
    *(f"requests[].{k}" for k in _CERTID),
    "requests[].single_request_extensions",
    *(f"requests[].single_request_extensions[].{k}" for k in _EXT),
    *(f"request_extensions[].{k}" for k in _EXT),
}
RESPONSE_EXPECT_COMPARED = {
    "must_parse",
    "reserialize_identical",
    "reencode_identical",
    "response_status",
    "response_status_code",
    "response_type",
    "response_bytes_present",
    "version",
    "signature_algorithm_oid",
    "signature_algorithm",
    "signature_algorithm_parameters",
    "signature_hash_algorithm",
    "num_certs",
    "certs",
    "certs_0_version",
    "embedded_responder_cert",
    "responder_id",
    "responder_id.by",
    "responder_id.name",
    "responder_id.key_hash",
    "responder_id.equals_subject_of",
    "produced_at",
    "num_responses",
    "responses",
    "responses_include",
    "single_extensions",
    "num_single_extensions",
    "num_response_extensions",
    "response_extensions_present",
    "response_extensions",
    "nonce_present",
    "certid_hash_algorithm_supported",
    "response_for_valid_req",
    "response_for_revoked_req",
    "select_by_cert",
    *(f"responses[].{k}" for k in _SINGLE),
    *(f"responses_include[].{k}" for k in _SINGLE),
    "responses[].single_extensions",
    *(f"responses[].single_extensions[].{k}" for k in _EXT),
    *(f"single_extensions[].{k}" for k in _EXT),
    *(f"response_extensions[].{k}" for k in _EXT),
    *(
        f"response_for_valid_req.{k}"
        for k in ("cert_status", "this_update", "next_update", "certid_equals_request")
    ),
    *(
        f"response_for_revoked_req.{k}"
        for k in ("cert_status", "revocation_reason", "revocation_time")
    ),
    *(f"select_by_cert[].{k}" for k in ("cert", "result", "serial", "error")),
}
OPENSSL_REQUEST_COMPARED = {
    "version_raw",
    "requestor_name",
    "num_requests",
    "requests",
    *(
        f"requests[].{k}"
        for k in ("hash_algorithm", "issuer_name_hash", "issuer_key_hash", "serial")
    ),
    "request_extensions",
    "request_extensions[].name",
    "request_extensions[].critical",
    "signed",
    "signature_algorithm",
    "num_certs",
}
OPENSSL_RESPONSE_COMPARED = {
    "response_status",
    "response_status.code",
    "response_status.name",
    "response_type",
    "version_raw",
    "responder_id",
    "responder_id.by",
    "responder_id.name",
    "responder_id.key_hash",
    "produced_at",
    "num_responses",
    "responses",
    *(
        f"responses[].{k}"
        for k in (
            "hash_algorithm",
            "issuer_name_hash",
            "issuer_key_hash",
            "serial",
            "cert_status",
            "revocation_time",
            "revocation_reason",
            "this_update",
            "next_update",
            "single_extensions",
        )
    ),
    "responses[].single_extensions[].name",
    "responses[].single_extensions[].critical",
    "response_extensions",
    "response_extensions[].name",
    "response_extensions[].critical",
    "signature_algorithm",
    "num_certs",
}


def _field_paths(value: Any, prefix: str, opaque: Set[str]) -> Set[str]:
    paths: Set[str] = set()
    if isinstance(value, dict):
        for key, child in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths.add(path)
            if path not in opaque:
                paths |= _field_paths(child, path, opaque)
    elif isinstance(value, list):
        for child in value:
            paths |= _field_paths(child, f"{prefix}[]", opaque)
    return paths


@pytest.mark.parametrize(
    ("kind", "entries", "compared", "waived", "observed"),
    [
        pytest.param(
            "request",
            REQUEST_ENTRIES,
            REQUEST_EXPECT_COMPARED,
            REQUEST_EXPECT_WAIVED,
            False,
            id="request-expect",
        ),
        pytest.param(
            "response",
            RESPONSE_ENTRIES,
            RESPONSE_EXPECT_COMPARED,
            RESPONSE_EXPECT_WAIVED,
            False,
            id="response-expect",
        ),
        pytest.param(
            "request",
            REQUEST_ENTRIES,
            OPENSSL_REQUEST_COMPARED,
            OPENSSL_WAIVED,
            True,
            id="request-openssl",
        ),
        pytest.param(
            "response",
            RESPONSE_ENTRIES,
            OPENSSL_RESPONSE_COMPARED,
            OPENSSL_WAIVED,
            True,
            id="response-openssl",
        ),
    ],
)
def test_every_manifest_field_is_compared_or_waived(
    kind: str,
    entries: List[Dict[str, Any]],
    compared: Set[str],
    waived: Dict[str, str],
    observed: bool,
) -> None:
    uncovered = set()
    for entry in entries:
        tree = (entry.get("openssl_observed") or {}) if observed else entry["expect"]
        for path in _field_paths(tree, "", set(waived)):
            if path not in compared and path not in waived:
                uncovered.add(f"{entry['file']}: {path}")
    assert not uncovered, f"{kind} MANIFEST fields neither compared nor waived:\n" + "\n".join(
        sorted(uncovered)
    )
