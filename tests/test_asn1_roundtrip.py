"""Property tests: structures built with ocspkit.asn1's classes round-trip through the loaders,
and hostile bytes (random, mutated, deeply nested) only ever raise ocspkit errors.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, List, Optional, Tuple

import pytest
from asn1crypto import core, crl, x509
from conftest import examples, manifest_entries, read_vector
from hypothesis import given, settings
from hypothesis import strategies as st

from ocspkit import (
    CertStatus,
    NonceForm,
    OCSPError,
    ParseError,
    ResponderIDType,
    ResponseStatus,
    RevocationReason,
    UnsuccessfulResponse,
    asn1,
    load_request,
    load_response,
)

UTC = dt.timezone.utc
CERT_DER = read_vector("go/responderCert.der")


def fresh_cert() -> x509.Certificate:
    return x509.Certificate.load(CERT_DER)


# --- expectations -----------------------------------------------------------------------------


@dataclass
class Ext:
    """What one generated extension must look like in the view."""

    oid: str
    critical: bool
    value_der: bytes
    known: bool
    value: Any = None  # the object handed to asn1crypto (typed value or raw bytes)

    def spec(self) -> dict:
        return {"extn_id": self.oid, "critical": self.critical, "extn_value": self.value}


@dataclass
class ExpCertID:
    hash_name: str
    name_hash: bytes
    key_hash: bytes
    serial: int


@dataclass
class ExpRequest:
    der: bytes
    cert_ids: List[ExpCertID]
    single_exts: List[List[Ext]]
    exts: List[Ext]
    nonce: Optional[bytes]
    requestor: Optional[bytes]
    signature: Optional[bytes]
    sig_alg: Optional[str]
    n_certs: int
    tbs_der: bytes


@dataclass
class ExpSingle:
    cert_id: ExpCertID
    status: CertStatus
    revocation_time: Optional[dt.datetime]
    reason: Optional[RevocationReason]
    this_update: dt.datetime
    next_update: Optional[dt.datetime]
    exts: List[Ext]


@dataclass
class ExpResponse:
    der: bytes
    singles: List[ExpSingle]
    by_key: Optional[bytes]
    by_name: Optional[bytes]
    produced_at: dt.datetime
    exts: List[Ext]
    nonce: Optional[bytes]
    signature: bytes
    sig_alg: str
    n_certs: int
    tbs_der: bytes = b""


# --- strategies ---------------------------------------------------------------------------------

_KNOWN_OIDS = {value for name, value in vars(asn1.OID).items() if name.isupper()}
for _cls in (
    asn1.RequestExtensionId,
    asn1.SingleRequestExtensionId,
    asn1.ResponseDataExtensionId,
    asn1.SingleResponseExtensionId,
    asn1.ResponseType,
):
    _KNOWN_OIDS.update(_cls._map)

times = st.datetimes(
    min_value=dt.datetime(1950, 1, 1),
    max_value=dt.datetime(2100, 12, 31, 23, 59, 59),
    timezones=st.just(UTC),
).map(lambda t: t.replace(microsecond=0))

serials = st.one_of(
    st.sampled_from([0, 1, -1, 127, 128, -128, -129, 255, 256, 2**63, -(2**63), 2**159 - 1]),
    st.integers(),
    st.integers(min_value=-(2**2048), max_value=2**2048),
)

# (asn1crypto DigestAlgorithmId name or dotted OID, the name the view reports)
HASHES = [
    ("sha1", "sha1"),
    ("sha224", "sha224"),
    ("sha256", "sha256"),
    ("sha384", "sha384"),
    ("sha512", "sha512"),
    ("md5", "md5"),
    ("sha512_256", "sha512-256"),
    ("sha3_256", "sha3-256"),
    ("1.2.3.4.5.6.7", "1.2.3.4.5.6.7"),
]

SIG_ALGS = [
    "sha1_rsa",
    "sha256_rsa",
    "sha384_rsa",
    "sha512_rsa",
    "sha256_ecdsa",
    "sha384_ecdsa",
    "ed25519",
]

unknown_oids = st.builds(
    lambda a, b, rest: ".".join(str(arc) for arc in (a, b, *rest)),
    st.integers(0, 2),
    st.integers(0, 39),
    st.lists(st.integers(0, 2**64), max_size=6),
).filter(lambda o: o not in _KNOWN_OIDS)

ascii_labels = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
name_text = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x2FFF, exclude_categories=("Cs",)),
    min_size=1,
    max_size=16,
)


@st.composite
def names(draw: Any) -> x509.Name:
    attrs = {"common_name": draw(name_text)}
    if draw(st.booleans()):
        attrs["organization_name"] = draw(name_text)
    return x509.Name.build(attrs)


@st.composite
def general_names(draw: Any) -> x509.GeneralName:
    kind = draw(st.sampled_from(["dns_name", "rfc822_name", "uniform_resource_identifier", "directory_name"]))
    label = draw(ascii_labels)
    value: Any = {
        "dns_name": f"{label}.example",
        "rfc822_name": f"{label}@example.org",
        "uniform_resource_identifier": f"http://{label}.example/ocsp",
    }.get(kind)
    if kind == "directory_name":
        value = draw(names())
    return x509.GeneralName(name=kind, value=value)


@st.composite
def cert_ids(draw: Any, plain: bool = False) -> Tuple[asn1.CertID, ExpCertID]:
    """plain: only SHA-1/SHA-2, whose parameters asn1crypto types as Null. For md5, sha3_*,
    sha512_* and unknown OIDs they are an Any, whose header goes unchecked inside a
    BasicOCSPResponse: see test_load's test_non_der_algorithm_parameters_inside_the_basic_response."""
    alg, view_name = draw(st.sampled_from(HASHES[:5] if plain else HASHES))
    algorithm: dict = {"algorithm": alg}
    if draw(st.booleans()):
        algorithm["parameters"] = core.Null()
    name_hash = draw(st.binary(max_size=64))
    key_hash = draw(st.binary(max_size=64))
    serial = draw(serials)
    obj = asn1.CertID(
        {
            "hash_algorithm": algorithm,
            "issuer_name_hash": name_hash,
            "issuer_key_hash": key_hash,
            "serial_number": serial,
        }
    )
    return obj, ExpCertID(view_name, name_hash, key_hash, serial)


@st.composite
def unknown_exts(draw: Any) -> Ext:
    value = draw(st.binary(max_size=40))
    return Ext(draw(unknown_oids), False, value, False, value)


def typed_ext(oid: str, obj: Any, critical: bool) -> Ext:
    return Ext(oid, critical, obj.dump(), True, obj)


@st.composite
def service_locator_exts(draw: Any) -> Ext:
    spec: dict = {"issuer": draw(names())}
    if draw(st.booleans()):
        spec["locator"] = [
            {
                "access_method": "ocsp",
                "access_location": x509.GeneralName(
                    name="uniform_resource_identifier", value=f"http://{draw(ascii_labels)}.example/"
                ),
            }
            for _ in range(draw(st.integers(1, 2)))
        ]
    return typed_ext(asn1.OID.SERVICE_LOCATOR, asn1.ServiceLocator(spec), draw(st.booleans()))


@st.composite
def nonce_exts(draw: Any) -> Ext:
    nonce = draw(st.binary(max_size=64))
    der = asn1.Nonce(nonce).dump()
    return Ext(asn1.OID.NONCE, draw(st.booleans()), der, True, der)


@st.composite
def acceptable_responses_exts(draw: Any) -> Ext:
    oids = draw(st.lists(st.one_of(st.just("basic_ocsp_response"), unknown_oids), max_size=3))
    return typed_ext(asn1.OID.RESPONSE, asn1.AcceptableResponses(oids), draw(st.booleans()))


@st.composite
def preferred_sig_algs_exts(draw: Any) -> Ext:
    items = []
    for _ in range(draw(st.integers(0, 3))):
        item: dict = {"sig_identifier": {"algorithm": draw(st.sampled_from(SIG_ALGS))}}
        if draw(st.booleans()):
            item["cert_identifier"] = {"algorithm": "1.2.840.10045.2.1"}
        items.append(item)
    obj = asn1.PreferredSignatureAlgorithms(items)
    return typed_ext(asn1.OID.PREF_SIG_ALGS, obj, draw(st.booleans()))


@st.composite
def crl_id_exts(draw: Any) -> Ext:
    spec: dict = {}
    if draw(st.booleans()):
        spec["crl_url"] = f"http://{draw(ascii_labels)}.example/crl"
    if draw(st.booleans()):
        spec["crl_num"] = draw(st.integers(0, 2**160))
    if draw(st.booleans()):
        spec["crl_time"] = draw(times)
    # asn1crypto cannot dump a CrlID built from {}: load the empty SEQUENCE instead.
    obj = asn1.CrlID(spec) if spec else asn1.CrlID.load(b"\x30\x00")
    return typed_ext(asn1.OID.CRL, obj, draw(st.booleans()))


CRL_REASONS = sorted(crl.CRLReason._map.items())


@st.composite
def single_response_exts(draw: Any) -> Ext:
    kind = draw(st.sampled_from(["reason", "invalidity", "crl_id", "cutoff", "issuer", "unknown"]))
    critical = draw(st.booleans())
    if kind == "reason":
        return typed_ext(asn1.OID.CRL_REASON, crl.CRLReason(draw(st.sampled_from(CRL_REASONS))[1]), critical)
    if kind == "invalidity":
        return typed_ext(asn1.OID.INVALIDITY_DATE, core.GeneralizedTime(draw(times)), critical)
    if kind == "crl_id":
        return draw(crl_id_exts())
    if kind == "cutoff":
        return typed_ext(asn1.OID.ARCHIVE_CUTOFF, asn1.ArchiveCutoff(draw(times)), critical)
    if kind == "issuer":
        gns = x509.GeneralNames(draw(st.lists(general_names(), min_size=1, max_size=2)))
        return typed_ext(asn1.OID.CERTIFICATE_ISSUER, gns, critical)
    return draw(unknown_exts())


@st.composite
def response_exts(draw: Any) -> Ext:
    kind = draw(st.sampled_from(["nonce", "extended_revoke", "crl_id", "unknown"]))
    if kind == "nonce":
        return draw(nonce_exts())
    if kind == "extended_revoke":
        return typed_ext(asn1.OID.EXTENDED_REVOKE, asn1.ExtendedRevoke(), draw(st.booleans()))
    if kind == "crl_id":
        return draw(crl_id_exts())
    return draw(unknown_exts())


def ext_lists(strategy: Any, max_size: int = 4) -> Any:
    """None (field absent) or a list of extensions with distinct OIDs (possibly empty)."""
    return st.one_of(st.none(), st.lists(strategy, max_size=max_size, unique_by=lambda e: e.oid))


@st.composite
def ocsp_requests(draw: Any, plain: bool = False) -> ExpRequest:
    """plain: no certificates and no untyped (Any) fields, see test_non_minimal_length_anywhere."""
    cids, requests, single_exts = [], [], []
    for _ in range(draw(st.integers(0, 5))):
        cid, expected = draw(cert_ids(plain))
        spec: dict = {"req_cert": cid}
        exts = draw(ext_lists(st.one_of(service_locator_exts(), unknown_exts()), 3))
        if exts is not None:
            spec["single_request_extensions"] = [e.spec() for e in exts]
        requests.append(asn1.Request(spec))
        cids.append(expected)
        single_exts.append(exts or [])
    tbs_spec: dict = {"request_list": requests}
    requestor = draw(st.one_of(st.none(), general_names()))
    if requestor is not None:
        tbs_spec["requestor_name"] = requestor
    request_exts = draw(
        ext_lists(
            st.one_of(
                nonce_exts(),
                acceptable_responses_exts(),
                preferred_sig_algs_exts(),
                service_locator_exts(),
                unknown_exts(),
            )
        )
    )
    if request_exts is not None:
        tbs_spec["request_extensions"] = [e.spec() for e in request_exts]
    tbs = asn1.TBSRequest(tbs_spec)
    spec = {"tbs_request": tbs}
    signature = sig_alg = None
    n_certs = 0
    if draw(st.booleans()):
        signature = draw(st.binary(max_size=600))
        sig_alg = draw(st.sampled_from(SIG_ALGS))
        sig_spec: dict = {"signature_algorithm": {"algorithm": sig_alg}, "signature": signature}
        certs = draw(st.sampled_from([None, 0] if plain else [None, 0, 1, 2]))
        if certs is not None:
            sig_spec["certs"] = [fresh_cert() for _ in range(certs)]
            n_certs = certs
        spec["optional_signature"] = asn1.Signature(sig_spec)
    nonce = None
    for ext in request_exts or []:
        if ext.oid == asn1.OID.NONCE:
            nonce = ext.value_der[2:]
    der = asn1.OCSPRequest(spec).dump()
    return ExpRequest(
        der=der,
        cert_ids=cids,
        single_exts=single_exts,
        exts=request_exts or [],
        nonce=nonce,
        requestor=None if requestor is None else requestor.dump(),
        signature=signature,
        sig_alg=sig_alg,
        n_certs=n_certs,
        tbs_der=tbs.dump(),
    )


@st.composite
def single_responses(draw: Any, plain: bool = False) -> Tuple[asn1.SingleResponse, ExpSingle]:
    cid, expected_cid = draw(cert_ids(plain))
    kind = draw(st.sampled_from(["good", "revoked", "unknown"]))
    revocation_time = reason = None
    if kind == "good":
        status = asn1.CertStatus(name="good", value=core.Null())
    elif kind == "unknown":
        status = asn1.CertStatus(name="unknown", value=asn1.UnknownInfo())
    else:
        revocation_time = draw(times)
        info: dict = {"revocation_time": revocation_time}
        if draw(st.booleans()):
            number, name = draw(st.sampled_from(CRL_REASONS))
            info["revocation_reason"] = name
            reason = RevocationReason(number)
        status = asn1.CertStatus(name="revoked", value=asn1.RevokedInfo(info))
    this_update = draw(times)
    next_update = draw(st.one_of(st.none(), times))
    spec: dict = {"cert_id": cid, "cert_status": status, "this_update": this_update}
    if next_update is not None:
        spec["next_update"] = next_update
    exts = draw(ext_lists(single_response_exts()))
    if exts is not None:
        spec["single_extensions"] = [e.spec() for e in exts]
    expected = ExpSingle(
        expected_cid, CertStatus[kind.upper()], revocation_time, reason, this_update, next_update, exts or []
    )
    return asn1.SingleResponse(spec), expected


@st.composite
def response_datas(draw: Any, plain: bool = False) -> Tuple[asn1.ResponseData, dict]:
    singles = draw(st.lists(single_responses(plain), max_size=5))
    if draw(st.booleans()):
        key = draw(st.binary(max_size=32))
        responder = asn1.ResponderID(name="by_key", value=asn1.KeyHash(key))
        by_key, by_name = key, None
    else:
        name = draw(names())
        responder = asn1.ResponderID(name="by_name", value=name)
        by_key, by_name = None, name.dump()
    produced_at = draw(times)
    spec: dict = {"responder_id": responder, "produced_at": produced_at, "responses": [s for s, _ in singles]}
    exts = draw(ext_lists(response_exts()))
    if exts is not None:
        spec["response_extensions"] = [e.spec() for e in exts]
    nonce = next((e.value_der[2:] for e in exts or [] if e.oid == asn1.OID.NONCE), None)
    expected = {
        "singles": [e for _, e in singles],
        "by_key": by_key,
        "by_name": by_name,
        "produced_at": produced_at,
        "exts": exts or [],
        "nonce": nonce,
    }
    return asn1.ResponseData(spec), expected


@st.composite
def ocsp_responses(draw: Any, plain: bool = False) -> ExpResponse:
    """plain: no certificates and no untyped (Any) fields, see test_non_minimal_length_anywhere."""
    rd, expected = draw(response_datas(plain))
    signature = draw(st.binary(max_size=600))
    sig_alg = draw(st.sampled_from(SIG_ALGS))
    spec: dict = {"tbs_response_data": rd, "signature_algorithm": {"algorithm": sig_alg}, "signature": signature}
    n_certs = draw(st.sampled_from([None, 0] if plain else [None, 0, 1, 2]))
    if n_certs is not None:
        spec["certs"] = [fresh_cert() for _ in range(n_certs)]
    basic = asn1.BasicOCSPResponse(spec)
    response = asn1.OCSPResponse(
        {
            "response_status": "successful",
            "response_bytes": {"response_type": "basic_ocsp_response", "response": basic},
        }
    )
    return ExpResponse(
        der=response.dump(),
        signature=signature,
        sig_alg=sig_alg,
        n_certs=n_certs or 0,
        tbs_der=rd.dump(),
        **expected,
    )


# --- checks -------------------------------------------------------------------------------------


def check_redump(spec: Any, der: bytes) -> None:
    """asn1.load(strict=True) accepts it, keeps the bytes, and a forced re-encoding is identical."""
    tree = asn1.load(spec, der, strict=True)
    assert tree.dump() == der
    assert spec.load(der).dump(force=True) == der


def check_cert_id(view: Any, expected: ExpCertID) -> None:
    assert view.hash_algorithm == expected.hash_name
    assert view.issuer_name_hash == expected.name_hash
    assert view.issuer_key_hash == expected.key_hash
    assert view.serial_number == expected.serial
    assert view.dump() == view.asn1.dump()
    assert repr(view).startswith(f"<CertID {expected.hash_name} serial={expected.serial:X} ")


def check_extensions(view: Any, expected: List[Ext]) -> None:
    got = [(e.oid, e.critical, e.raw_value, e.known) for e in view]
    assert got == [(e.oid, e.critical, e.value_der, e.known) for e in expected]
    for ext, exp in zip(view, expected):
        assert view.get(exp.oid) is ext
        assert exp.oid in view
        repr(ext)
        if exp.oid == asn1.OID.NONCE:
            assert ext.value == exp.value_der[2:]
        elif exp.known:
            assert ext.value.dump() == exp.value_der
        else:
            assert ext.value == exp.value_der


def check_request(loaded: Any, exp: ExpRequest) -> None:
    assert loaded.dump() == exp.der
    assert loaded.deviations == ()
    assert loaded.version == 0
    assert loaded.tbs_request_bytes == exp.tbs_der
    assert len(loaded.requests) == len(exp.cert_ids)
    for req, cid, exts in zip(loaded.requests, exp.cert_ids, exp.single_exts):
        check_cert_id(req.cert_id, cid)
        check_extensions(req.extensions, exts)
        repr(req)
    assert [c.serial_number for c in loaded.cert_ids] == [c.serial for c in exp.cert_ids]
    check_extensions(loaded.extensions, exp.exts)
    assert loaded.nonce == exp.nonce
    assert loaded.nonce_form is (None if exp.nonce is None else NonceForm.WRAPPED)
    got_requestor = loaded.requestor_name
    # asn1crypto keeps the [1] EXPLICIT tag on the field's value: compare it untagged.
    assert (None if got_requestor is None else got_requestor.untag().dump()) == exp.requestor
    assert loaded.is_signed is (exp.signature is not None)
    assert loaded.signature == exp.signature
    if exp.sig_alg is None:
        assert loaded.signature_algorithm is None
    else:
        assert loaded.signature_algorithm["algorithm"].native == exp.sig_alg
    assert len(loaded.certs) == exp.n_certs
    assert all(c.dump() == CERT_DER for c in loaded.certs)
    assert repr(loaded).startswith(f"<OCSPRequest {len(exp.cert_ids)} request(s)")


def check_single(view: Any, exp: ExpSingle) -> None:
    check_cert_id(view.cert_id, exp.cert_id)
    assert view.cert_status is exp.status
    assert view.revocation_time == exp.revocation_time
    assert view.revocation_reason == exp.reason
    assert view.this_update == exp.this_update
    assert view.next_update == exp.next_update
    check_extensions(view.extensions, exp.exts)
    assert repr(view) == f"<SingleResponse {exp.status.name.lower()} serial={exp.cert_id.serial:X}>"


def check_response(loaded: Any, exp: ExpResponse) -> None:
    assert loaded.dump() == exp.der
    assert loaded.deviations == ()
    assert loaded.response_status is ResponseStatus.SUCCESSFUL
    assert loaded.successful
    assert loaded.response_type == asn1.OID.BASIC
    basic = loaded.basic
    assert basic.version == 0
    assert basic.tbs_response_data_bytes == exp.tbs_der
    assert loaded.produced_at == exp.produced_at
    rid = loaded.responder_id
    if exp.by_key is not None:
        assert rid.type is ResponderIDType.BY_KEY
        assert rid.key_hash == exp.by_key and rid.name is None
    else:
        assert rid.type is ResponderIDType.BY_NAME
        # asn1crypto keeps the [1] EXPLICIT tag on the chosen Name: compare it untagged.
        assert rid.key_hash is None and rid.name.untag().dump() == exp.by_name
    repr(rid)
    assert len(loaded.responses) == len(exp.singles)
    for view, single in zip(loaded.responses, exp.singles):
        check_single(view, single)
    check_extensions(loaded.extensions, exp.exts)
    assert loaded.nonce == exp.nonce
    assert basic.nonce_form is (None if exp.nonce is None else NonceForm.WRAPPED)
    assert basic.signature == exp.signature
    assert basic.signature_algorithm["algorithm"].native == exp.sig_alg
    assert len(loaded.certs) == exp.n_certs
    assert repr(loaded) == f"<OCSPResponse successful, {len(exp.singles)} response(s)>"


# --- round trips ----------------------------------------------------------------------------------

ROUNDTRIP = settings(max_examples=examples(200), deadline=None)


@ROUNDTRIP
@given(cert_ids())
def test_cert_id_roundtrip(generated: Tuple[asn1.CertID, ExpCertID]) -> None:
    obj, expected = generated
    der = obj.dump()
    check_redump(asn1.CertID, der)
    tree = asn1.load(asn1.CertID, der, strict=True)
    assert tree["serial_number"].native == expected.serial
    assert bytes(tree["issuer_name_hash"].native) == expected.name_hash


@ROUNDTRIP
@given(ocsp_requests())
def test_request_roundtrip(expected: ExpRequest) -> None:
    check_request(load_request(expected.der, strict=True), expected)
    check_request(load_request(expected.der), expected)
    check_redump(asn1.OCSPRequest, expected.der)
    check_redump(asn1.TBSRequest, expected.tbs_der)


@ROUNDTRIP
@given(ocsp_responses())
def test_response_roundtrip(expected: ExpResponse) -> None:
    check_response(load_response(expected.der, strict=True), expected)
    check_response(load_response(expected.der), expected)
    check_redump(asn1.OCSPResponse, expected.der)
    check_redump(asn1.ResponseData, expected.tbs_der)


@ROUNDTRIP
@given(single_responses())
def test_single_response_roundtrip(generated: Tuple[asn1.SingleResponse, ExpSingle]) -> None:
    obj, expected = generated
    der = obj.dump()
    check_redump(asn1.SingleResponse, der)
    tree = asn1.load(asn1.SingleResponse, der, strict=True)
    assert tree["cert_id"]["serial_number"].native == expected.cert_id.serial
    assert tree["cert_status"].name == expected.status.name.lower()
    assert tree["this_update"].native == expected.this_update


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("malformed_request", ResponseStatus.MALFORMED_REQUEST),
        ("internal_error", ResponseStatus.INTERNAL_ERROR),
        ("try_later", ResponseStatus.TRY_LATER),
        ("sig_required", ResponseStatus.SIG_REQUIRED),
        ("unauthorized", ResponseStatus.UNAUTHORIZED),
    ],
)
def test_unsuccessful_response_roundtrip(name: str, status: ResponseStatus) -> None:
    der = asn1.OCSPResponse({"response_status": name}).dump()
    assert der == bytes([0x30, 0x03, 0x0A, 0x01, int(status)])
    check_redump(asn1.OCSPResponse, der)
    loaded = load_response(der, strict=True)
    assert loaded.dump() == der
    assert loaded.response_status is status
    assert loaded.response_type is None
    with pytest.raises(UnsuccessfulResponse) as info:
        loaded.responses  # noqa: B018
    assert info.value.status is status


# --- unknown critical extensions ------------------------------------------------------------------


@st.composite
def critical_unknown_messages(draw: Any) -> Tuple[str, bytes, str]:
    """A message with one critical unknown extension, in one of the four extension lists."""
    oid = draw(unknown_oids)
    ext = {"extn_id": oid, "critical": True, "extn_value": draw(st.binary(max_size=20))}
    where = draw(st.sampled_from(["request", "single_request", "response", "single_response"]))
    cid, _ = draw(cert_ids())
    t = draw(times)
    if where in ("request", "single_request"):
        req: dict = {"req_cert": cid}
        tbs: dict = {"request_list": [req]}
        if where == "request":
            tbs["request_extensions"] = [ext]
        else:
            req["single_request_extensions"] = [ext]
        return where, asn1.OCSPRequest({"tbs_request": tbs}).dump(), oid
    single: dict = {"cert_id": cid, "cert_status": asn1.CertStatus(name="good", value=core.Null()), "this_update": t}
    rd: dict = {"responder_id": asn1.ResponderID(name="by_key", value=b"k"), "produced_at": t, "responses": [single]}
    if where == "response":
        rd["response_extensions"] = [ext]
    else:
        single["single_extensions"] = [ext]
    basic = {"tbs_response_data": rd, "signature_algorithm": {"algorithm": "sha256_rsa"}, "signature": b"s"}
    response = asn1.OCSPResponse(
        {"response_status": "successful", "response_bytes": {"response_type": "basic_ocsp_response", "response": basic}}
    )
    return where, response.dump(), oid


@settings(max_examples=examples(60), deadline=None)
@given(critical_unknown_messages())
def test_critical_unknown_extensions(generated: Tuple[str, bytes, str]) -> None:
    where, der, oid = generated
    load = load_request if where in ("request", "single_request") else load_response
    for strict in (False, True):
        with pytest.raises(ParseError) as info:
            load(der, strict=strict)
        assert oid in str(info.value)
        assert info.value.path is not None and info.value.path.endswith("extensions[0]")
    loaded = load(der, strict=True, allow_unknown_critical=True)
    assert loaded.dump() == der
    if where in ("request", "response"):
        exts = loaded.extensions
    elif where == "single_request":
        exts = loaded.requests[0].extensions
    else:
        exts = loaded.responses[0].extensions
    ext = exts.get(oid)
    assert ext is not None and ext.critical and not ext.known


# --- hostile bytes --------------------------------------------------------------------------------


def der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    octets = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


LOADERS: List[Tuple[str, Callable[..., Any]]] = [
    ("request", load_request),
    ("response", load_response),
    ("CertID", partial(asn1.load, asn1.CertID)),
    ("ResponseData", partial(asn1.load, asn1.ResponseData)),
    ("SingleResponse", partial(asn1.load, asn1.SingleResponse)),
]


def exercise(loaded: Any) -> None:
    """Read every field of a loaded view: any failure must be an OCSPError."""
    try:
        seen: List[Any] = [repr(loaded)]
        if hasattr(loaded, "response_status"):
            seen += [loaded.response_status, loaded.response_type]
            basic = loaded.basic
            rid = basic.responder_id
            seen += [repr(basic), basic.version, basic.produced_at, repr(rid), rid.name, rid.key_hash]
            seen += [basic.nonce, basic.nonce_form, basic.signature, basic.certs]
            seen += [basic.tbs_response_data_bytes, basic.signature_algorithm]
            extension_lists = [basic.extensions]
            for single in basic.responses:
                seen += [repr(single), single.cert_status, single.revocation_time]
                seen += [single.revocation_reason, single.this_update, single.next_update]
                seen += [repr(single.cert_id), single.cert_id.hash_algorithm]
                extension_lists.append(single.extensions)
        else:
            seen += [loaded.version, loaded.requestor_name, loaded.nonce, loaded.nonce_form]
            seen += [loaded.is_signed, loaded.signature, loaded.certs, loaded.tbs_request_bytes]
            seen += [loaded.signature_algorithm]
            extension_lists = [loaded.extensions]
            for req in loaded.requests:
                seen += [repr(req), req.cert_id.serial_number, req.cert_id.hash_algorithm]
                extension_lists.append(req.extensions)
        for exts in extension_lists:
            seen.append(repr(exts))
            for ext in exts:
                seen += [repr(ext), ext.value, ext.name, ext.critical, ext.known, ext.raw_value]
        assert len(seen) > 1
    except OCSPError:
        pass


def load_or_ocsp_error(load: Callable[..., Any], data: bytes, strict: bool) -> Any:
    """load(data); None when it raised an OCSPError (anything else propagates and fails)."""
    try:
        return load(data, strict=strict)
    except OCSPError as exc:
        assert isinstance(exc, ParseError)
        return None


random_messages = st.one_of(
    st.binary(max_size=2000),
    st.binary(max_size=2000).map(lambda b: b"\x30" + der_length(len(b)) + b),
    st.binary(max_size=300).map(lambda b: b"\x30\x80" + b + b"\x00\x00"),
)


@settings(max_examples=examples(1000), deadline=None)
@given(random_messages, st.booleans())
def test_random_bytes_only_raise_ocsp_errors(data: bytes, strict: bool) -> None:
    for name, load in LOADERS:
        loaded = load_or_ocsp_error(load, data, strict)
        if loaded is not None and name in ("request", "response"):
            assert loaded.dump() == data
            exercise(loaded)


SEED_KINDS = {
    "fuzz-seed-ocsp-response": load_response,
    "fuzz-seed-ocsp-single-response": partial(asn1.load, asn1.SingleResponse),
    "fuzz-seed-ocsp-cert-id": partial(asn1.load, asn1.CertID),
    "fuzz-seed-ocsp-response-data": partial(asn1.load, asn1.ResponseData),
}


@pytest.mark.parametrize("entry", manifest_entries(*SEED_KINDS), ids=lambda e: e["file"])
def test_fuzz_seeds_only_raise_ocsp_errors(entry: dict) -> None:
    data = read_vector(entry["file"])
    load = SEED_KINDS[entry["kind"]]
    for strict in (False, True):
        loaded = load_or_ocsp_error(load, data, strict)
        if loaded is not None:
            assert loaded.dump() == data


# --- mutations of valid messages --------------------------------------------------------------------

VECTOR_SEEDS = [
    (entry["kind"], read_vector(entry["file"])) for entry in manifest_entries("ocsp-request", "ocsp-response")
]


def header_offsets(data: bytes) -> List[int]:
    """Offsets of the length octets of the TLVs found by a tolerant walk (into constructed values and
    into OCTET STRINGs that hold a SEQUENCE)."""
    found: List[int] = []

    def walk(start: int, end: int, depth: int) -> None:
        pos = start
        while pos + 2 <= end and depth < 40:
            tag, first = data[pos], data[pos + 1]
            found.append(pos + 1)
            if first == 0x80 or first & 0x7F > 4:
                return
            if first & 0x80:
                n = first & 0x7F
                size = int.from_bytes(data[pos + 2 : pos + 2 + n], "big")
                head = 2 + n
            else:
                size, head = first, 2
            if pos + head + size > end:
                return
            if tag & 0x20 or (tag == 0x04 and data[pos + head : pos + head + 1] == b"\x30"):
                walk(pos + head, pos + head + size, depth + 1)
            pos += head + size

    walk(0, len(data), 0)
    return found


@st.composite
def mutations(draw: Any) -> Tuple[str, bytes, bytes]:
    kind, original = draw(
        st.one_of(
            st.sampled_from(VECTOR_SEEDS),
            ocsp_requests().map(lambda e: ("ocsp-request", e.der)),
            ocsp_responses().map(lambda e: ("ocsp-response", e.der)),
        )
    )
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 3))):
        size = len(data)
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "length", "duplicate"]))
        i = draw(st.integers(0, max(size - 1, 0)))
        if op == "flip" and size:
            data[i] ^= draw(st.integers(1, 255))
        elif op == "insert":
            data.insert(i, draw(st.integers(0, 255)))
        elif op == "delete":
            del data[i : i + draw(st.integers(1, 64))]
        elif op == "truncate":
            del data[i:]
        elif op == "length":
            offsets = header_offsets(bytes(data))
            if offsets:
                at = draw(st.sampled_from(offsets))
                old = data[at]
                data[at] = draw(
                    st.sampled_from([0x00, 0x7F, 0x80, 0x81, 0x82, 0x84, 0xFF, (old + 1) % 256, (old - 1) % 256])
                )
        elif op == "duplicate":
            j = draw(st.integers(i, min(size, i + 64)))
            data[j:j] = data[i:j]
    return kind, original, bytes(data)


@settings(max_examples=examples(1000), deadline=None)
@given(mutations(), st.booleans())
def test_mutated_messages_only_raise_ocsp_errors(mutation: Tuple[str, bytes, bytes], strict: bool) -> None:
    kind, _, data = mutation
    load = load_request if kind == "ocsp-request" else load_response
    loaded = load_or_ocsp_error(load, data, strict)
    if loaded is not None:
        assert loaded.dump() == data
        assert isinstance(loaded.deviations, tuple)
        exercise(loaded)
    # The other message type and the inner structures must fail just as cleanly.
    other = load_response if kind == "ocsp-request" else load_request
    load_or_ocsp_error(other, data, strict)
    load_or_ocsp_error(partial(asn1.load, asn1.ResponseData), data, strict)


@pytest.mark.parametrize("kind_and_data", VECTOR_SEEDS[:40], ids=lambda s: f"{s[0]}-{len(s[1])}")
def test_every_truncation_of_a_vector(kind_and_data: Tuple[str, bytes]) -> None:
    kind, data = kind_and_data
    load = load_request if kind == "ocsp-request" else load_response
    step = max(1, len(data) // 150)
    for end in range(0, len(data) - 1, step):
        with pytest.raises(OCSPError):
            load(data[:end])


# --- every length, made non-minimal ---------------------------------------------------------------


def _tlv_header(data: bytes, pos: int) -> Tuple[int, int, int]:
    """(tag, header length, content length) of the DER TLV at ``pos``."""
    first = data[pos + 1]
    if first & 0x80:
        n = first & 0x7F
        return data[pos], 2 + n, int.from_bytes(data[pos + 2 : pos + 2 + n], "big")
    return data[pos], 2, first


def _descend(tag: int, depth: int, is_response: bool) -> bool:
    # Constructed values, and responseBytes.response (the OCTET STRING holding BasicOCSPResponse,
    # at depth 3: OCSPResponse > [0] > ResponseBytes > response). Other OCTET STRINGs hold raw
    # values (nonce, unknown extensions) or values typed by OID, and are left alone.
    return bool(tag & 0x20) or (is_response and tag == 0x04 and depth == 3)


def tlv_starts(data: bytes, is_response: bool) -> List[int]:
    starts: List[int] = []

    def walk(start: int, end: int, depth: int) -> None:
        pos = start
        while pos < end:
            tag, head, size = _tlv_header(data, pos)
            starts.append(pos)
            if _descend(tag, depth, is_response):
                walk(pos + head, pos + head + size, depth + 1)
            pos += head + size

    walk(0, len(data), 0)
    return starts


def with_non_minimal_length(data: bytes, target: int, is_response: bool) -> Tuple[bytes, int]:
    """``data`` with the TLV at ``target`` given a non-minimal length (81 xx, or a leading zero
    octet) and every enclosing length fixed up; returns (bytes, new offset of that TLV)."""

    def rebuild(start: int, end: int, depth: int) -> Tuple[bytes, Optional[int]]:
        out = bytearray()
        found: Optional[int] = None
        pos = start
        while pos < end:
            tag, head, size = _tlv_header(data, pos)
            inner_found = None
            if _descend(tag, depth, is_response):
                content, inner_found = rebuild(pos + head, pos + head + size, depth + 1)
            else:
                content = data[pos + head : pos + head + size]
            if pos == target:
                n = len(content)
                if n < 0x80:
                    header = bytes([tag, 0x81, n])
                else:
                    octets = b"\x00" + n.to_bytes((n.bit_length() + 7) // 8, "big")
                    header = bytes([tag, 0x80 | len(octets)]) + octets
                found = len(out)
            else:
                header = bytes([tag]) + der_length(len(content))
            if inner_found is not None:
                found = len(out) + len(header) + inner_found
            out += header + content
            pos += head + size
        return bytes(out), found

    rebuilt, offset = rebuild(0, len(data), 0)
    assert offset is not None
    return rebuilt, offset


@st.composite
def non_minimal_lengths(draw: Any) -> Tuple[bool, bytes, int]:
    is_response = draw(st.booleans())
    strategy = ocsp_responses(plain=True) if is_response else ocsp_requests(plain=True)
    der = draw(strategy).der
    target = draw(st.sampled_from(tlv_starts(der, is_response)))
    data, offset = with_non_minimal_length(der, target, is_response)
    assert data[offset] == der[target]
    return is_response, data, offset


@settings(max_examples=examples(250), deadline=None)
@given(non_minimal_lengths())
def test_non_minimal_length_anywhere(generated: Tuple[bool, bytes, int]) -> None:
    """Any length made non-minimal is refused by strict=True at that TLV's offset, and recorded
    there as length_not_minimal otherwise."""
    is_response, data, offset = generated
    load = load_response if is_response else load_request
    with pytest.raises(ParseError) as info:
        load(data, strict=True)
    assert info.value.offset == offset
    loaded = load(data)
    assert loaded.dump() == data
    assert [(d.code, d.offset) for d in loaded.deviations] == [("length_not_minimal", offset)]


# --- deep nesting ---------------------------------------------------------------------------------

DEPTH = 100_000


def nested_definite(depth: int, tag: int = 0x30, core_value: bytes = b"\x05\x00") -> bytes:
    """``depth`` nested definite-length TLVs around ``core_value``, built without quadratic copying."""
    headers = []
    size = len(core_value)
    for _ in range(depth):
        header = bytes([tag]) + der_length(size)
        headers.append(header)
        size += len(header)
    return b"".join(reversed(headers)) + core_value


NESTED = {
    "indefinite-sequences": b"\x30\x80" * DEPTH,
    "indefinite-sequences-closed": b"\x30\x80" * DEPTH + b"\x00\x00" * DEPTH,
    "definite-sequences": nested_definite(DEPTH),
    "indefinite-explicit-tags": b"\xa0\x80" * DEPTH,
    "indefinite-octet-strings": b"\x24\x80" * DEPTH,
    "definite-constructed-octet-strings": nested_definite(DEPTH, 0x24, b"\x04\x00"),
    "request-prefix-indefinite": b"\x30\x80\x30\x80" + b"\x30\x80" * DEPTH,
    "response-prefix-definite": b"\x30\x80\x0a\x01\x00\xa0\x80" + nested_definite(DEPTH),
}


@pytest.mark.parametrize("name", sorted(NESTED))
@pytest.mark.parametrize("loader", [name for name, _ in LOADERS])
def test_deep_nesting_is_a_parse_error(name: str, loader: str) -> None:
    load = dict(LOADERS)[loader]
    limit = sys.getrecursionlimit()
    for strict in (False, True):
        with pytest.raises(ParseError):
            load(NESTED[name], strict=strict)
    assert sys.getrecursionlimit() == limit


def test_deep_nesting_inside_a_valid_request() -> None:
    """A valid request whose serialNumber is replaced by 100000 nested SEQUENCEs."""
    cid = asn1.CertID(
        {
            "hash_algorithm": {"algorithm": "sha1"},
            "issuer_name_hash": b"\x00" * 20,
            "issuer_key_hash": b"\x00" * 20,
            "serial_number": 1,
        }
    )
    cid_der = cid.dump()
    assert cid_der[:2] == b"\x30\x3a" and cid_der.endswith(b"\x02\x01\x01")
    valid = asn1.OCSPRequest({"tbs_request": {"request_list": [{"req_cert": cid}]}}).dump()
    assert valid == b"\x30\x42\x30\x40\x30\x3e\x30\x3c" + cid_der
    assert load_request(valid, strict=True).cert_ids[0].serial_number == 1
    for inner in (nested_definite(DEPTH), b"\x30\x80" * DEPTH):
        cid_content = cid_der[2:-3] + inner  # hashAlgorithm and both hashes, then the nesting
        body = b"\x30" + der_length(len(cid_content)) + cid_content
        for _ in range(3):  # Request, requestList, tbsRequest
            body = b"\x30" + der_length(len(body)) + body
        message = b"\x30" + der_length(len(body)) + body
        for strict in (False, True):
            with pytest.raises(ParseError):
                load_request(message, strict=strict)
