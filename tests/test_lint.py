"""ocspkit.lint: one targeted message per rule, clean messages, the shared vectors, random mutations.

Every rule of :data:`ocspkit.lint.RULES` is produced by at least one message below (built with
the builders, or the builders' DER edited and re-signed), and each case lists every finding its
message gets, so a new or lost finding shows up. ``test_every_rule_is_exercised`` keeps that honest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple, Union

import pytest
from asn1crypto import core, x509
from conftest import ROOT, examples, manifest_entries, read_vector
from hypothesis import given, settings
from hypothesis import strategies as st

import ocspkit
import ocspkit._der
from ocspkit import crypto, lint
from ocspkit._der import Deviation
from ocspkit._writers import tlv
from ocspkit.asn1 import OID
from ocspkit.extensions import acceptable_responses, certificate_issuer, crl_id, service_locator
from ocspkit.lint import PROFILES, RULES, Finding, Severity
from ocspkit.testing import CertifiedKey, TestPKI, make_certificate

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 3, 31, 12, 0, 0, tzinfo=UTC)
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)

BASIC = "response_bytes.response.parsed"
TBS = f"{BASIC}.tbs_response_data"
SINGLE = f"{TBS}.responses[0]"

# --- a small DER editor: decode to nodes, change them, encode (DER lengths) ---------------------


@dataclasses.dataclass
class Node:
    tag: int
    value: Union[bytes, List[Node]]


@dataclasses.dataclass
class Raw:
    """Bytes written as they are (for BER the encoder would not write)."""

    der: bytes


Item = Union[Node, Raw]


def decode(der: bytes) -> Node:
    node, end = _decode(der, 0)
    assert end == len(der)
    return node


def _decode(d: bytes, p: int) -> Tuple[Node, int]:
    tag = d[p]
    n = d[p + 1]
    p += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(d[p : p + k], "big")
        p += k
    contents = d[p : p + n]
    if not tag & 0x20:
        return Node(tag, contents), p + n
    kids: List[Node] = []
    q = 0
    while q < len(contents):
        kid, q = _decode(contents, q)
        kids.append(kid)
    return Node(tag, kids), p + n


def encode(item: Item) -> bytes:
    if isinstance(item, Raw):
        return item.der
    body = b"".join(encode(k) for k in item.value) if isinstance(item.value, list) else item.value
    return tlv(item.tag, body)


def kids(node: Node) -> List[Any]:
    assert isinstance(node.value, list)
    return node.value


def oid(dotted: str) -> Node:
    return Node(0x06, bytes(core.ObjectIdentifier(dotted).contents))


def gtime(text: str) -> Node:
    return Node(0x18, text.encode("ascii"))


# --- the test PKI and message helpers -------------------------------------------------------------


class Ctx:
    """An EC test PKI anchored at NOW, a leaf, its CertIDs and extra responder certificates."""

    def __init__(self) -> None:
        pki = self.pki = TestPKI("ec", now=NOW)
        self.leaf = pki.issue_leaf()
        self.other_leaf = pki.issue_leaf("other.example")
        self.cid = ocspkit.CertID.from_cert(self.leaf.cert_der, pki.intermediate.cert_der)
        self.cid256 = ocspkit.CertID.from_cert(self.leaf.cert_der, pki.intermediate.cert_der, "sha256")
        self.cid_other = ocspkit.CertID.from_cert(self.other_leaf.cert_der, pki.intermediate.cert_der, "sha256")
        ocsp = {"extended_key_usage": ("ocsp_signing",)}
        self.no_nocheck = pki._issue({"common_name": "Responder without nocheck"}, pki.intermediate, **ocsp)
        self.by_root = pki._issue(
            {"common_name": "Responder of the root"}, pki.root, ocsp_nocheck=True, **ocsp
        )
        self.with_aia = pki._issue(
            {"common_name": "Responder with AIA"}, pki.intermediate, ocsp_nocheck=True,
            ocsp_url="http://ocsp.example/", **ocsp,
        )
        self.critical_nocheck = _critical_nocheck(pki.responder, pki.intermediate)
        rsa = crypto.generate_private_key("rsa", bit_size=2048)
        rsa_cert = make_certificate(
            subject={"common_name": "RSA responder"}, public_key=rsa, issuer_key=pki.intermediate.private_key,
            issuer=pki.intermediate.certificate, serial_number=4242, not_before=NOW - DAY, not_after=NOW + DAY,
            extended_key_usage=("ocsp_signing",), ocsp_nocheck=True,
        )
        self.rsa_responder = CertifiedKey(rsa_cert, rsa)

    @property
    def responder(self) -> CertifiedKey:
        return self.pki.responder

    def sign(self, builder: ocspkit.ResponseBuilder, signer: Optional[CertifiedKey] = None, **options: Any) -> bytes:
        signer = signer or self.responder
        options.setdefault("now", NOW)
        return builder.sign(signer.key_der, signer.cert_der, **options).dump()

    def good(self, **options: Any) -> ocspkit.ResponseBuilder:
        """One good SingleResponse with a day of validity: clean for RFC 6960."""
        options.setdefault("this_update", NOW)
        options.setdefault("next_update", NOW + DAY)
        return ocspkit.ResponseBuilder().add_response(self.cid, **options)

    def light(self, **options: Any) -> ocspkit.ResponseBuilder:
        """Clean for RFC 5019 too: a SHA-256 CertID, nextUpdate, byKey."""
        options.setdefault("this_update", NOW)
        options.setdefault("next_update", NOW + DAY)
        return ocspkit.ResponseBuilder().add_response(self.cid256, **options).with_responder_id("key")

    def request(self) -> ocspkit.RequestBuilder:
        return ocspkit.RequestBuilder().add_cert_id(self.cid)


def _critical_nocheck(responder: CertifiedKey, issuer: CertifiedKey) -> CertifiedKey:
    """The responder's certificate with id-pkix-ocsp-nocheck made critical, signed again."""
    tbs = x509.TbsCertificate.load(responder.certificate["tbs_certificate"].dump())
    extensions = []
    for ext in tbs["extensions"]:
        if ext["extn_id"].native == "ocsp_no_check":
            ext = x509.Extension({"extn_id": "ocsp_no_check", "critical": True, "extn_value": core.Null()})
        extensions.append(ext)
    tbs["extensions"] = x509.Extensions(extensions)
    tbs_der = tbs.dump(force=True)
    algorithm = responder.certificate["signature_algorithm"]
    signature = crypto.sign(issuer.private_key, tbs_der, algorithm)
    cert = x509.Certificate(
        {"tbs_certificate": x509.TbsCertificate.load(tbs_der), "signature_algorithm": algorithm,
         "signature_value": signature}
    )
    return CertifiedKey(x509.Certificate.load(cert.dump()), responder.private_key)


@pytest.fixture(scope="module")
def ctx() -> Ctx:
    return Ctx()


def edit_basic(der: bytes, change: Callable[[Node, Node], None], signer: Optional[CertifiedKey] = None) -> bytes:
    """Apply ``change(basic, tbs)`` to the BasicOCSPResponse of ``der``; sign the new
    tbsResponseData again with ``signer`` (ECDSA with SHA-256) when given."""
    outer = decode(der)
    response_bytes = kids(kids(outer)[1])[0]
    octets = kids(response_bytes)[1]
    assert isinstance(octets.value, bytes)
    basic = decode(octets.value)
    change(basic, kids(basic)[0])
    if signer is not None:
        key = crypto.load_private_key(signer.key_der)
        signature = crypto.sign(key, encode(kids(basic)[0]), crypto.signature_algorithm(key, "sha256"))
        kids(basic)[2] = Node(0x03, b"\x00" + signature)
    octets.value = encode(basic)
    return encode(outer)


def edit_request(der: bytes, change: Callable[[Node], None]) -> bytes:
    outer = decode(der)
    change(kids(outer)[0])
    return encode(outer)


def single_of(tbs: Node, index: int = 0) -> List[Any]:
    """The fields of a SingleResponse of tbsResponseData (no explicit version in front)."""
    return kids(kids(kids(tbs)[2])[index])


# --- the targeted cases ---------------------------------------------------------------------------

Expected = Tuple[str, str, Optional[str]]  # (code, severity initial, path suffix or None)
CASES: List[Any] = []


def case(*expected: Expected, profile: str = "rfc6960", now: Optional[dt.datetime] = NOW) -> Callable[..., Any]:
    """Register a case: the message ``make(ctx)`` lints to exactly these findings."""

    def register(make: Callable[[Ctx], Any]) -> Callable[[Ctx], Any]:
        CASES.append(pytest.param(make, expected, profile, now, id=make.__name__))
        return make

    return register


# Clean messages.


@case()
def clean_response(c: Ctx) -> bytes:
    return c.sign(c.good())


@case(profile="rfc5019")
def clean_lightweight_response(c: Ctx) -> bytes:
    return c.sign(c.light())


@case()
def clean_response_signed_by_the_ca(c: Ctx) -> bytes:
    return c.sign(c.good(), c.pki.intermediate)


@case()
def clean_revoked_response(c: Ctx) -> bytes:
    return c.sign(c.good(status="revoked", revocation_time=NOW - DAY, revocation_reason=1))


@case()
def clean_non_issued_response(c: Ctx) -> bytes:
    builder = c.good(status="revoked", revocation_time=EPOCH, revocation_reason=6)
    return c.sign(builder.with_extended_revoke())


@case()
def clean_request_with_nonce(c: Ctx) -> Any:
    return c.request().with_nonce().build()  # a view, not bytes


@case(profile="rfc5019")
def clean_lightweight_request(c: Ctx) -> bytes:
    return ocspkit.RequestBuilder().add_cert_id(c.cid256).build().dump()


@case()
def clean_signed_request(c: Ctx) -> bytes:
    return c.request().sign(c.leaf.key_der, c.leaf.cert_der).dump()


@case()
def clean_error_response(c: Ctx) -> bytes:
    return ocspkit.unsuccessful_response(ocspkit.ResponseStatus.TRY_LATER).dump()


@case(("time.no_next_update", "N", SINGLE))
def default_response(c: Ctx) -> bytes:
    """What ResponseBuilder writes by default: no nextUpdate, a notice only."""
    return c.sign(ocspkit.ResponseBuilder().add_response(c.cid))


@case(
    ("rfc5019.responder_by_name", "W", f"{TBS}.responder_id"),
    ("rfc5019.certid_sha1", "N", f"{SINGLE}.cert_id.hash_algorithm"),
    ("rfc5019.no_next_update", "E", SINGLE),
    profile="rfc5019",
)
def default_response_lightweight(c: Ctx) -> bytes:
    return c.sign(ocspkit.ResponseBuilder().add_response(c.cid))


# DER.


def _explicit_version(number: int) -> Callable[[Node, Node], None]:
    def change(basic: Node, tbs: Node) -> None:
        kids(tbs).insert(0, Node(0xA0, [Node(0x02, bytes((number,)))]))

    return change


@case(("der.explicit_default", "E", f"{TBS}.version"))
def explicit_default_version(c: Ctx) -> bytes:
    return edit_basic(c.sign(c.good()), _explicit_version(0), c.responder)


@case(("der.explicit_default", "E", "tbs_request.version"))
def explicit_default_version_request(c: Ctx) -> bytes:
    return edit_request(c.request().build().dump(), lambda tbs: kids(tbs).insert(0, Node(0xA0, [Node(0x02, b"\x00")])))


@case(("version.unsupported", "E", f"{TBS}.version"))
def version_2(c: Ctx) -> bytes:
    return edit_basic(c.sign(c.good()), _explicit_version(1), c.responder)


@case(("version.unsupported", "E", "tbs_request.version"))
def version_2_request(c: Ctx) -> bytes:
    return edit_request(c.request().build().dump(), lambda tbs: kids(tbs).insert(0, Node(0xA0, [Node(0x02, b"\x01")])))


@case(("der.integer_not_minimal", "E", "tbs_request.request_list[0].req_cert.serial_number"))
def non_minimal_serial(c: Ctx) -> bytes:
    cid = ocspkit.CertID.from_hashes(c.cid.issuer_name_hash, c.cid.issuer_key_hash, 5)

    def change(tbs: Node) -> None:
        kids(kids(kids(kids(tbs)[0])[0])[0])[3] = Node(0x02, b"\x00\x05")

    return edit_request(ocspkit.RequestBuilder().add_cert_id(cid).build().dump(), change)


@case(("der.length_not_minimal", "E", None))
def non_minimal_length(c: Ctx) -> bytes:
    der = c.request().build().dump()
    assert der[1] < 0x80
    return b"\x30\x81" + der[1:]


@case(
    ("der.constructed_primitive", "E", "tbs_request.request_list[0].req_cert.issuer_key_hash"),
    ("der.indefinite_length", "E", "tbs_request.request_list[0].req_cert.issuer_key_hash"),
)
def constructed_octet_string(c: Ctx) -> bytes:
    key_hash = c.cid.issuer_key_hash

    def change(tbs: Node) -> None:
        chunks = tlv(0x04, key_hash[:8]) + tlv(0x04, key_hash[8:])
        kids(kids(kids(kids(tbs)[0])[0])[0])[2] = Raw(b"\x24\x80" + chunks + b"\x00\x00")

    return edit_request(c.request().build().dump(), change)


@case(("der.indefinite_length", "E", None))
def indefinite_outer_length(c: Ctx) -> bytes:
    der = c.sign(c.good())
    assert der[1] == 0x82  # a 4-octet header
    return b"\x30\x80" + der[4:] + b"\x00\x00"


@case(
    ("der.boolean_not_canonical", "E", "tbs_request.request_extensions[0].critical"),
    ("ext.critical", "W", "tbs_request.request_extensions[0]"),
)
def boolean_not_canonical(c: Ctx) -> bytes:
    der = c.request().with_extension(acceptable_responses(critical=True)).build().dump()
    assert der.count(b"\x01\x01\xff") == 1
    return der.replace(b"\x01\x01\xff", b"\x01\x01\x01")


@case(("der.time_not_der", "E", f"{SINGLE}.this_update"))
def local_time(c: Ctx) -> bytes:
    return edit_basic(
        c.sign(c.good()), lambda basic, tbs: single_of(tbs).__setitem__(2, gtime("20260331120000")), c.responder
    )


@case(
    ("der.time_not_der", "E", f"{TBS}.produced_at"),
    ("time.fractional_seconds", "W", f"{TBS}.produced_at"),
    now=None,
)
def fraction_with_trailing_zero(c: Ctx) -> bytes:
    return edit_basic(
        c.sign(c.good()), lambda basic, tbs: kids(tbs).__setitem__(1, gtime("20260331120000.50Z")), c.responder
    )


@case(
    ("der.bit_string_padding", "E", f"{BASIC}.signature"),
    ("sig.unused_bits", "E", f"{BASIC}.signature"),
)
def signature_with_unused_bits(c: Ctx) -> bytes:
    def change(basic: Node, tbs: Node) -> None:
        bits = kids(basic)[2].value
        kids(basic)[2] = Node(0x03, b"\x01" + bits[1:-1] + bytes((bits[-1] | 1,)))

    return edit_basic(c.sign(c.good()), change)


@case(("der.set_not_sorted", "E", "tbs_request.requestor_name.directory_name.[0]"))
def unsorted_set(c: Ctx) -> bytes:
    cn = "2.5.4.3"
    rdn = Node(0x31, [Node(0x30, [oid(cn), Node(0x0C, b"b")]), Node(0x30, [oid(cn), Node(0x0C, b"a")])])
    name = Node(0xA1, [Node(0xA4, [Node(0x30, [rdn])])])
    return edit_request(c.request().build().dump(), lambda tbs: kids(tbs).insert(0, name))


# Message structure.


@case(("response.missing_bytes", "E", "response_status"))
def successful_without_bytes(c: Ctx) -> bytes:
    return b"\x30\x03\x0a\x01\x00"


@case(("response.bytes_with_error_status", "E", "response_bytes"))
def error_status_with_bytes(c: Ctx) -> bytes:
    der = c.sign(c.good())
    assert der[4:7] == b"\x0a\x01\x00"
    return der[:6] + b"\x03" + der[7:]


@case(("response.unknown_type", "E", "response_bytes.response_type"))
def unknown_response_type(c: Ctx) -> bytes:
    outer = decode(c.sign(c.good()))
    kids(kids(kids(outer)[1])[0])[0] = oid("1.3.6.1.5.5.7.48.1.99")
    return encode(outer)


@case(("response.no_single_responses", "E", f"{TBS}.responses"))
def no_single_responses(c: Ctx) -> bytes:
    return edit_basic(c.sign(c.good()), lambda basic, tbs: kids(tbs).__setitem__(2, Node(0x30, [])), c.responder)


@case(("response.duplicate_cert_id", "N", f"{TBS}.responses[1]"))
def duplicate_single_response(c: Ctx) -> bytes:
    return c.sign(c.good().add_response(c.cid, this_update=NOW, next_update=NOW + DAY))


@case(("response.conflicting_status", "W", f"{TBS}.responses[1]"))
def conflicting_single_responses(c: Ctx) -> bytes:
    builder = c.good().add_response(
        c.cid, "revoked", this_update=NOW, next_update=NOW + DAY, revocation_time=NOW - DAY
    )
    return c.sign(builder)


@case(("request.empty", "E", "tbs_request.request_list"))
def empty_request(c: Ctx) -> bytes:
    return tlv(0x30, tlv(0x30, tlv(0x30, b"")))


@case(
    ("rfc5019.request_count", "E", "tbs_request.request_list"),
    ("request.empty", "E", "tbs_request.request_list"),
    profile="rfc5019",
)
def empty_request_lightweight(c: Ctx) -> bytes:
    return tlv(0x30, tlv(0x30, tlv(0x30, b"")))


@case(("request.duplicate_cert_id", "N", "tbs_request.request_list[1]"))
def duplicate_request(c: Ctx) -> bytes:
    return c.request().add_cert_id(c.cid).build().dump()


@case(("request.signed_without_requestor_name", "E", "optional_signature"))
def signed_request_without_name(c: Ctx) -> bytes:
    der = c.request().sign(c.leaf.key_der, c.leaf.cert_der).dump()
    return edit_request(der, lambda tbs: kids(tbs).pop(0))


@case(("responder_id.key_hash_length", "E", f"{TBS}.responder_id.by_key"))
def short_key_hash(c: Ctx) -> bytes:
    def change(basic: Node, tbs: Node) -> None:
        kids(tbs)[0] = Node(0xA2, [Node(0x04, b"\x01" * 19)])

    return edit_basic(c.sign(c.good().with_responder_id("key")), change, c.responder)


# CertID and serial numbers.


@case(("certid.unknown_hash", "W", "tbs_request.request_list[0].req_cert.hash_algorithm"))
def unknown_certid_hash(c: Ctx) -> bytes:
    def change(tbs: Node) -> None:
        kids(kids(kids(kids(tbs)[0])[0])[0])[0] = Node(0x30, [oid("1.2.3.4"), Node(0x05, b"")])

    return edit_request(c.request().build().dump(), change)


@case(("certid.hash_length", "E", "tbs_request.request_list[0].req_cert.issuer_name_hash"))
def short_name_hash(c: Ctx) -> bytes:
    cid = ocspkit.CertID.from_hashes(b"\x01" * 5, c.cid.issuer_key_hash, 7)
    return ocspkit.RequestBuilder().add_cert_id(cid).build().dump()


@case(("serial.not_positive", "W", "tbs_request.request_list[0].req_cert.serial_number"))
def zero_serial(c: Ctx) -> bytes:
    cid = ocspkit.CertID.from_hashes(c.cid.issuer_name_hash, c.cid.issuer_key_hash, 0)
    return ocspkit.RequestBuilder().add_cert_id(cid).build().dump()


@case(("serial.not_positive", "W", "tbs_request.request_list[0].req_cert.serial_number"))
def negative_serial(c: Ctx) -> bytes:
    cid = ocspkit.CertID.from_hashes(c.cid.issuer_name_hash, c.cid.issuer_key_hash, -5)
    return ocspkit.RequestBuilder().add_cert_id(cid).build().dump()


@case(("serial.too_long", "W", "tbs_request.request_list[0].req_cert.serial_number"))
def long_serial(c: Ctx) -> bytes:
    cid = ocspkit.CertID.from_hashes(c.cid.issuer_name_hash, c.cid.issuer_key_hash, 2**168)
    return ocspkit.RequestBuilder().add_cert_id(cid).build().dump()


@case()
def serial_of_20_octets(c: Ctx) -> bytes:
    """A 160-bit serial is 20 octets long, though DER needs a 21st for the sign."""
    cid = ocspkit.CertID.from_hashes(c.cid.issuer_name_hash, c.cid.issuer_key_hash, 2**160 - 1)
    return ocspkit.RequestBuilder().add_cert_id(cid).build().dump()


# Times.


@case(("time.fractional_seconds", "W", f"{SINGLE}.next_update"))
def fractional_next_update(c: Ctx) -> bytes:
    def change(basic: Node, tbs: Node) -> None:
        single_of(tbs)[3] = Node(0xA0, [gtime("20260401120000.5Z")])

    return edit_basic(c.sign(c.good()), change, c.responder)


@case(("rfc5019.fractional_seconds", "E", f"{TBS}.produced_at"), profile="rfc5019", now=None)
def fractional_produced_at_lightweight(c: Ctx) -> bytes:
    return edit_basic(
        c.sign(c.light()), lambda basic, tbs: kids(tbs).__setitem__(1, gtime("20260331120000.25Z")), c.responder
    )


@case(("time.this_update_after_produced_at", "E", f"{SINGLE}.this_update"), now=None)
def this_update_after_produced_at(c: Ctx) -> bytes:
    return c.sign(c.good(this_update=NOW + HOUR))


@case(("time.next_update_before_this_update", "E", f"{SINGLE}.next_update"), now=None)
def next_update_before_this_update(c: Ctx) -> bytes:
    return c.sign(c.good(next_update=NOW - HOUR))


@case(("time.revoked_after_this_update", "W", f"{SINGLE}.cert_status.revoked.revocation_time"))
def revoked_after_this_update(c: Ctx) -> bytes:
    return c.sign(c.good(status="revoked", revocation_time=NOW + HOUR))


@case(
    ("time.produced_at_in_future", "W", f"{TBS}.produced_at"),
    ("time.this_update_in_future", "W", f"{SINGLE}.this_update"),
    now=NOW - HOUR,
)
def from_the_future(c: Ctx) -> bytes:
    return c.sign(c.good())


@case(("time.next_update_in_past", "W", f"{SINGLE}.next_update"), now=NOW + 2 * DAY)
def stale(c: Ctx) -> bytes:
    return c.sign(c.good())


@case(now=None)
def stale_without_now(c: Ctx) -> bytes:
    """Without ``now`` the clock is not consulted."""
    return c.sign(c.good(this_update=NOW - 9 * DAY, next_update=NOW - 8 * DAY))


# Revocation.


@case(("reason.unspecified", "W", f"{SINGLE}.cert_status.revoked.revocation_reason"))
def reason_unspecified(c: Ctx) -> bytes:
    return c.sign(c.good(status="revoked", revocation_time=NOW - DAY, revocation_reason=0))


@case(("reason.unspecified", "W", f"{SINGLE}.single_extensions[0].extn_value"))
def reason_unspecified_in_extension(c: Ctx) -> bytes:
    return c.sign(c.good(extensions=[(OID.CRL_REASON, b"\x0a\x01\x00", False)]))


@case(("reason.remove_from_crl", "W", f"{SINGLE}.cert_status.revoked.revocation_reason"))
def reason_remove_from_crl(c: Ctx) -> bytes:
    return c.sign(c.good(status="revoked", revocation_time=NOW - DAY, revocation_reason=8))


@case(("revoked.non_issued_without_extended_revoke", "E", f"{SINGLE}.cert_status.revoked"))
def non_issued_without_extended_revoke(c: Ctx) -> bytes:
    return c.sign(c.good(status="revoked", revocation_time=EPOCH, revocation_reason=6))


@case(("revoked.non_issued_reason", "E", f"{SINGLE}.cert_status.revoked"))
def non_issued_with_key_compromise(c: Ctx) -> bytes:
    builder = c.good(status="revoked", revocation_time=EPOCH, revocation_reason=1)
    return c.sign(builder.with_extended_revoke())


@case(("revoked.non_issued_crl_extensions", "E", f"{SINGLE}.single_extensions"))
def non_issued_with_crl_reference(c: Ctx) -> bytes:
    builder = c.good(status="revoked", revocation_time=EPOCH, revocation_reason=6, extensions=[crl_id(number=3)])
    return c.sign(builder.with_extended_revoke())


# Nonces.


@case(("nonce.raw", "E", "tbs_request.request_extensions[0].extn_value"))
def raw_nonce(c: Ctx) -> bytes:
    return c.request().with_extension(OID.NONCE, b"\x01" * 32).build().dump()


@case(("nonce.raw", "E", f"{TBS}.response_extensions[0].extn_value"))
def raw_nonce_in_response(c: Ctx) -> bytes:
    return c.sign(c.good().with_extension(OID.NONCE, b"\x01" * 16))


@case(("nonce.empty", "E", "tbs_request.request_extensions[0].extn_value"))
def empty_nonce(c: Ctx) -> bytes:
    return c.request().with_extension(OID.NONCE, b"\x04\x00").build().dump()


@case(("nonce.too_long", "E", "tbs_request.request_extensions[0].extn_value"))
def nonce_of_129(c: Ctx) -> bytes:
    return c.request().with_nonce(b"\x01" * 129).build().dump()


@case(("nonce.over_32", "W", "tbs_request.request_extensions[0].extn_value"))
def nonce_of_33(c: Ctx) -> bytes:
    return c.request().with_nonce(33).build().dump()


@case()
def nonce_of_16(c: Ctx) -> bytes:
    return c.request().with_nonce(16).build().dump()


@case(("nonce.short", "W", "tbs_request.request_extensions[0].extn_value"))
def nonce_of_8(c: Ctx) -> bytes:
    return c.request().with_nonce(8).build().dump()


@case(("der.length_not_minimal", "E", "tbs_request.request_extensions[0].extn_value"))
def nonce_with_long_form_length(c: Ctx) -> bytes:
    return c.request().with_extension(OID.NONCE, b"\x04\x81\x20" + b"\x01" * 32).build().dump()


@case(("nonce.misplaced", "W", f"{SINGLE}.single_extensions[0]"))
def nonce_in_single_extensions(c: Ctx) -> bytes:
    return c.sign(c.good(extensions=[(OID.NONCE, tlv(0x04, b"\x01" * 16), False)]))


@case(
    ("nonce.misplaced", "W", "tbs_request.request_list[0].single_request_extensions[0]"),
    ("ext.unknown_critical", "E", "tbs_request.request_list[0].single_request_extensions[0]"),
)
def critical_nonce_in_single_request(c: Ctx) -> bytes:
    def change(tbs: Node) -> None:
        extension = Node(0x30, [oid(OID.NONCE), Node(0x01, b"\xff"), Node(0x04, tlv(0x04, b"\x01" * 32))])
        kids(kids(kids(tbs)[0])[0]).append(Node(0xA0, [Node(0x30, [extension])]))

    return edit_request(c.request().build().dump(), change)


# Extensions.


@case(("ext.empty", "E", f"{TBS}.response_extensions"))
def empty_response_extensions(c: Ctx) -> bytes:
    return edit_basic(c.sign(c.good()), lambda basic, tbs: kids(tbs).append(Node(0xA1, [Node(0x30, [])])), c.responder)


@case(("ext.duplicate", "E", "tbs_request.request_extensions[1]"))
def duplicate_nonce(c: Ctx) -> bytes:
    builder = c.request().with_nonce(b"\x01" * 32).with_extension(OID.NONCE, tlv(0x04, b"\x02" * 32))
    return builder.build().dump()


@case(("ext.unknown_critical", "E", "tbs_request.request_extensions[0]"))
def unknown_critical_extension(c: Ctx) -> bytes:
    return c.request().with_extension("1.2.3.4", b"\x05\x00", critical=True).build().dump()


@case(("ext.unknown_critical", "E", f"{SINGLE}.single_extensions[0]"))
def unknown_critical_single_extension(c: Ctx) -> bytes:
    return c.sign(c.good(extensions=[("1.2.3.4", b"\x05\x00", True)]))


@case(("ext.unknown", "N", "tbs_request.request_extensions[0]"))
def unknown_extension(c: Ctx) -> bytes:
    return c.request().with_extension("1.2.3.4", b"\x05\x00").build().dump()


@case(("ext.critical", "W", "tbs_request.request_extensions[0]"))
def critical_nonce(c: Ctx) -> bytes:
    return c.request().with_extension(OID.NONCE, tlv(0x04, b"\x01" * 32), critical=True).build().dump()


@case(("ext.misplaced", "W", f"{TBS}.response_extensions[0]"))
def crl_id_in_response_extensions(c: Ctx) -> bytes:
    return c.sign(c.good().with_extension(crl_id(number=1)))


@case(
    ("ext.misplaced", "W", f"{TBS}.response_extensions[0]"),
    ("ext.unknown_critical", "E", f"{TBS}.response_extensions[0]"),
)
def critical_acceptable_responses_in_response(c: Ctx) -> bytes:
    return c.sign(c.good().with_extension(acceptable_responses(critical=True)))


@case(("ext.extended_revoke_misplaced", "E", f"{SINGLE}.single_extensions[0]"))
def extended_revoke_in_single(c: Ctx) -> bytes:
    return c.sign(c.good(extensions=[(OID.EXTENDED_REVOKE, b"\x05\x00", False)]))


@case(("ext.extended_revoke_critical", "E", f"{TBS}.response_extensions[0]"))
def critical_extended_revoke(c: Ctx) -> bytes:
    return c.sign(c.good().with_extension(OID.EXTENDED_REVOKE, b"\x05\x00", critical=True))


@case(("ext.certificate_issuer_not_critical", "E", f"{SINGLE}.single_extensions[0]"))
def non_critical_certificate_issuer(c: Ctx) -> bytes:
    return c.sign(c.good(extensions=[certificate_issuer({"common_name": "Issuer"}, critical=False)]))


@case()
def critical_certificate_issuer(c: Ctx) -> bytes:
    return c.sign(c.good(extensions=[certificate_issuer({"common_name": "Issuer"})]))


# Signatures.


@case(("sig.sha1", "W", f"{BASIC}.signature_algorithm.algorithm"))
def sha1_signature(c: Ctx) -> bytes:
    return c.sign(c.good(), hash_algorithm="sha1")


@case()
def rsa_pss_signature(c: Ctx) -> bytes:
    return c.sign(c.good(), c.rsa_responder, pss=True)


@case()
def rsa_pkcs1_signature(c: Ctx) -> bytes:
    return c.sign(c.good(), c.rsa_responder, hash_algorithm="sha384")


@case(
    ("der.bit_string_padding", "E", "optional_signature.signature"),
    ("sig.unused_bits", "E", "optional_signature.signature"),
)
def request_signature_with_unused_bits(c: Ctx) -> bytes:
    outer = decode(c.request().sign(c.leaf.key_der, c.leaf.cert_der).dump())
    signature = kids(kids(kids(outer)[1])[0])
    bits = signature[1].value
    signature[1] = Node(0x03, b"\x01" + bits[1:-1] + bytes((bits[-1] | 1,)))
    return encode(outer)


@case(("sig.unknown_algorithm", "W", f"{BASIC}.signature_algorithm.algorithm"))
def unknown_signature_algorithm(c: Ctx) -> bytes:
    return edit_basic(c.sign(c.good()), lambda basic, tbs: kids(basic).__setitem__(1, Node(0x30, [oid("1.2.3.4")])))


@case(("sig.parameters", "E", f"{BASIC}.signature_algorithm.parameters"))
def ecdsa_with_null_parameters(c: Ctx) -> bytes:
    def change(basic: Node, tbs: Node) -> None:
        kids(kids(basic)[1]).append(Node(0x05, b""))

    return edit_basic(c.sign(c.good()), change)


@case(("sig.parameters", "E", f"{BASIC}.signature_algorithm.parameters"))
def ecdsa_with_unknown_parameters(c: Ctx) -> bytes:
    """Parameters of a universal type asn1crypto cannot build (tag 14) are read as received."""

    def change(basic: Node, tbs: Node) -> None:
        kids(kids(basic)[1]).append(Node(0x0E, b""))

    return edit_basic(c.sign(c.good()), change)


@case(("sig.key_mismatch", "E", f"{BASIC}.signature_algorithm"))
def rsa_algorithm_for_an_ec_key(c: Ctx) -> bytes:
    def change(basic: Node, tbs: Node) -> None:
        kids(basic)[1] = Node(0x30, [oid("1.2.840.113549.1.1.11"), Node(0x05, b"")])

    return edit_basic(c.sign(c.good()), change)


@case(("sig.invalid", "E", f"{BASIC}.signature"), now=None)
def bad_signature(c: Ctx) -> bytes:
    def change(basic: Node, tbs: Node) -> None:
        kids(tbs)[1] = gtime("20260331120001Z")  # signed for another producedAt

    return edit_basic(c.sign(c.good()), change)


@case(("sig.invalid", "E", "optional_signature.signature"))
def bad_request_signature(c: Ctx) -> bytes:
    der = c.request().sign(c.leaf.key_der, c.leaf.cert_der).dump()

    def change(tbs: Node) -> None:  # ask about serial 7 under the signature made for another
        kids(kids(kids(kids(tbs)[1])[0])[0])[3] = Node(0x02, b"\x07")

    return edit_request(der, change)


@case(("ext.unknown", "N", "tbs_request.request_extensions[0]"))
def signed_request_with_unknown_signer(c: Ctx) -> bytes:
    """A signed request whose requestorName matches none of its certificates: not verified."""
    builder = c.request().with_requestor_name({"common_name": "Someone else"}).with_extension("1.2.3.4", b"\x05\x00")
    return builder.sign(c.leaf.key_der, c.leaf.cert_der).dump()


# The responder and its certificate.


@case(("signer.not_included", "N", f"{TBS}.responder_id"))
def responder_certificate_left_out(c: Ctx) -> bytes:
    return c.sign(c.good().with_certificates([]))


@case(
    ("rfc5019.signer_cert_missing", "E", f"{TBS}.responder_id"),
    ("rfc5019.certid_sha1", "N", f"{SINGLE}.cert_id.hash_algorithm"),
    profile="rfc5019",
)
def responder_certificate_left_out_lightweight(c: Ctx) -> bytes:
    """byKey and a SHA-1 CertID: the key hashes compare, so the responder is not the CA."""
    return c.sign(c.good().with_responder_id("key").with_certificates([]))


@case(profile="rfc5019")
def responder_unknowable_lightweight(c: Ctx) -> bytes:
    """byKey and SHA-256 CertIDs: a SHA-1 key hash and a SHA-256 one cannot be compared, so lint
    cannot tell the CA from a delegate and says nothing."""
    return c.sign(c.light().with_certificates([]))


@case()
def ca_without_certificates(c: Ctx) -> bytes:
    return c.sign(c.good().with_certificates([]), c.pki.intermediate)


@case(
    ("signer.no_ocsp_signing", "E", f"{BASIC}.certs[0]"),
    ("signer.no_nocheck", "N", f"{BASIC}.certs[0]"),
)
def signed_by_a_leaf(c: Ctx) -> bytes:
    return c.sign(c.good(), c.other_leaf)


@case(("signer.not_issued_by_ca", "W", f"{BASIC}.certs[0]"))
def responder_of_another_ca(c: Ctx) -> bytes:
    return c.sign(c.good(), c.by_root)


@case(("signer.no_nocheck", "N", f"{BASIC}.certs[0]"))
def responder_without_nocheck(c: Ctx) -> bytes:
    return c.sign(c.good(), c.no_nocheck)


@case(("rfc5019.signer_no_nocheck", "W", f"{BASIC}.certs[0]"), profile="rfc5019")
def responder_without_nocheck_lightweight(c: Ctx) -> bytes:
    return c.sign(c.light(), c.no_nocheck)


@case(("signer.nocheck_critical", "W", f"{BASIC}.certs[0]"))
def critical_nocheck(c: Ctx) -> bytes:
    return c.sign(c.good(), c.critical_nocheck)


@case(("rfc5019.signer_revocation_pointers", "W", f"{BASIC}.certs[0]"), profile="rfc5019")
def responder_with_aia(c: Ctx) -> bytes:
    return c.sign(c.light(), c.with_aia)


@case(("signer.not_valid_at_produced_at", "W", f"{BASIC}.certs[0]"), now=None)
def responder_expired(c: Ctx) -> bytes:
    later = NOW + 400 * DAY
    return c.sign(c.good(this_update=later, next_update=later + DAY), now=later)


@case(("certs.duplicate", "N", f"{BASIC}.certs[1]"))
def certificate_twice(c: Ctx) -> bytes:
    return c.sign(c.good().with_certificates([c.responder.cert_der, c.responder.cert_der]))


@case(("rfc5019.unneeded_certs", "N", f"{BASIC}.certs"), profile="rfc5019")
def chain_in_lightweight_response(c: Ctx) -> bytes:
    return c.sign(c.light().with_certificates([c.responder.cert_der, c.pki.intermediate.cert_der]))


@case(("rfc5019.unneeded_certs", "N", f"{BASIC}.certs"), profile="rfc5019")
def ca_certificate_in_lightweight_response(c: Ctx) -> bytes:
    return c.sign(c.light(), c.pki.intermediate)


# The RFC 5019 / RFC 9919 profile.


@case(
    ("rfc5019.request_count", "E", "tbs_request.request_list"),
    ("rfc5019.request_needs_post", "N", None),
    profile="rfc5019",
)
def two_requests_lightweight(c: Ctx) -> bytes:
    return ocspkit.RequestBuilder().add_cert_id(c.cid256).add_cert_id(c.cid_other).build().dump()


@case(("rfc5019.certid_hash", "E", "tbs_request.request_list[0].req_cert.hash_algorithm"), profile="rfc5019")
def sha384_certid_lightweight(c: Ctx) -> bytes:
    return ocspkit.RequestBuilder().add_cert(c.leaf.cert_der, c.pki.intermediate.cert_der, "sha384").build().dump()


@case(("rfc5019.certid_sha1", "N", "tbs_request.request_list[0].req_cert.hash_algorithm"), profile="rfc5019")
def sha1_certid_lightweight(c: Ctx) -> bytes:
    return c.request().build().dump()


@case(
    ("rfc5019.single_request_extensions", "E", "tbs_request.request_list[0].single_request_extensions"),
    profile="rfc5019",
)
def service_locator_lightweight(c: Ctx) -> bytes:
    # Fixed hashes: with random ones the request's GET size (percent-encoded base64) wanders around
    # RFC 5019's 255-byte limit, and rfc5019.request_needs_post would come and go.
    cert_id = ocspkit.CertID.from_hashes(bytes(32), bytes(32), 0x1234, "sha256")
    locator = service_locator({"common_name": "Issuer"}, "http://ocsp.example/")
    return ocspkit.RequestBuilder().add_cert_id(cert_id, service_locator=locator).build().dump()


@case(("rfc5019.request_extensions", "W", "tbs_request.request_extensions"), profile="rfc5019")
def nonce_lightweight(c: Ctx) -> bytes:
    return ocspkit.RequestBuilder().add_cert_id(c.cid256).with_nonce().build().dump()


@case(
    ("rfc5019.signed_request", "W", "optional_signature"),
    ("rfc5019.request_needs_post", "N", None),
    profile="rfc5019",
)
def signed_request_lightweight(c: Ctx) -> bytes:
    return ocspkit.RequestBuilder().add_cert_id(c.cid256).sign(c.leaf.key_der, c.leaf.cert_der).dump()


@case(("rfc5019.requestor_name", "W", "tbs_request.requestor_name"), profile="rfc5019")
def requestor_name_lightweight(c: Ctx) -> bytes:
    builder = ocspkit.RequestBuilder().add_cert_id(c.cid256).with_requestor_name({"common_name": "client"})
    return builder.build().dump()


@case(("rfc5019.multiple_responses", "N", f"{TBS}.responses"), profile="rfc5019")
def two_responses_lightweight(c: Ctx) -> bytes:
    return c.sign(c.light().add_response(c.cid_other, this_update=NOW, next_update=NOW + DAY))


@case(("rfc5019.response_extensions", "W", f"{TBS}.response_extensions"), profile="rfc5019")
def response_nonce_lightweight(c: Ctx) -> bytes:
    return c.sign(c.light().with_nonce(b"\x01" * 32))


@case(("rfc5019.responder_by_name", "W", f"{TBS}.responder_id"), profile="rfc5019")
def by_name_lightweight(c: Ctx) -> bytes:
    return c.sign(c.light().with_responder_id("name"))


def _expected_multiset(expected: Sequence[Expected]) -> List[str]:
    return sorted(code for code, _, _ in expected)


@pytest.mark.parametrize(("make", "expected", "profile", "now"), CASES)
def test_case(ctx: Ctx, make: Callable[[Ctx], Any], expected: Sequence[Expected], profile: str, now: Any) -> None:
    message = make(ctx)
    findings = lint.lint(message, profile=profile, now=now)
    assert sorted(f.code for f in findings) == _expected_multiset(expected), "\n".join(map(str, findings))
    der = message if isinstance(message, bytes) else message.dump()
    for code, severity, path in expected:
        matching = [f for f in findings if f.code == code and (path is None or f.path == path)]
        assert matching, f"no {code} at {path}: " + "\n".join(map(str, findings))
        finding = matching[0]
        assert finding.severity.name[0] == severity
        assert finding.severity is RULES[code].severity
        if code in ("sig.parameters", "ext.misplaced", "sig.invalid"):  # the precise clause of the case
            assert finding.clause.startswith("RFC ") and finding.clause in RULES[code].clause + finding.clause
        else:
            assert finding.clause == RULES[code].clause
        if path is None:
            assert finding.path is None
        assert finding.offset is not None or path is None
        if finding.offset is not None:
            assert 0 <= finding.offset < len(der)


def test_every_rule_is_exercised() -> None:
    """Every rule has a targeted case here or below (the DER rules the loader cannot reach, the
    MD5 / MD2 signatures ocspkit cannot make: see the tests that name them)."""
    covered: Set[str] = {code for param in CASES for code, _, _ in param.values[1]}
    covered |= {"der.tag_not_minimal", "der.other"}  # test_unreachable_der_codes
    covered |= {"sig.broken_hash"}  # test_known_vector_findings
    assert covered == set(RULES), sorted(set(RULES) - covered)


def test_profile_rules_only_under_the_profile(ctx: Ctx) -> None:
    """The rfc5019.* rules never fire for plain RFC 6960, and each profile-tightened generic rule
    gives way to its rfc5019.* twin."""
    for param in CASES:
        make, expected, profile, now = param.values
        if profile != "rfc5019":
            continue
        message = make(ctx)
        plain = {f.code for f in lint.lint(message, profile="rfc6960", now=now)}
        assert not any(code.startswith("rfc5019.") for code in plain)
    for param in CASES:
        make, expected, profile, now = param.values
        if profile == "rfc6960":
            codes = {f.code for f in lint.lint(make(ctx), profile="rfc6960", now=now)}
            assert not any(code.startswith("rfc5019.") for code in codes)
    twins = {
        "time.no_next_update": "rfc5019.no_next_update",
        "time.fractional_seconds": "rfc5019.fractional_seconds",
        "signer.no_nocheck": "rfc5019.signer_no_nocheck",
        "signer.not_included": "rfc5019.signer_cert_missing",
    }
    for param in CASES:
        make, expected, profile, now = param.values
        generic = {code for code, _, _ in expected} & set(twins)
        if profile == "rfc6960" and generic:
            light = {f.code for f in lint.lint(make(ctx), profile="rfc5019", now=now)}
            for code in generic:
                assert twins[code] in light and code not in light, make.__name__


# --- the API --------------------------------------------------------------------------------------


def test_pss_with_default_parameters(ctx: Ctx) -> None:
    """RSASSA-PSS with SHA-1 (RFC 4055's defaults) is written with empty parameters (30 00);
    OpenSSL reads the response, and so do ocspkit's loader and lint."""
    der = ctx.sign(ctx.good(), ctx.rsa_responder, pss=True, hash_algorithm="sha1")
    assert [f.code for f in lint.lint(der)] == ["sig.sha1"]


def test_views_bytes_and_pem_lint_alike(ctx: Ctx) -> None:
    response = ctx.good().sign(ctx.responder.key_der, ctx.responder.cert_der, now=NOW, hash_algorithm="sha1")
    request = ctx.request().with_nonce(8).build()
    for view in (response, request):
        expected = lint.lint(view.dump())
        assert expected  # sig.sha1 / nonce.short
        assert lint.lint(view) == expected
        assert lint.lint(view.pem()) == expected
        assert lint.lint(view.pem().decode("ascii")) == expected
        assert lint.lint(bytearray(view.dump())) == expected
        assert lint.lint(memoryview(view.dump())) == expected
    loaded = ocspkit.load_response(response.dump())
    assert lint.lint(loaded) == lint.lint(response)


def test_misuse(ctx: Ctx) -> None:
    der = ctx.sign(ctx.good())
    with pytest.raises(ocspkit.OCSPValueError, match="profile"):
        lint.lint(der, profile="rfc9999")
    with pytest.raises(ocspkit.OCSPValueError):
        lint.lint(der, now=dt.datetime(2026, 1, 1))
    with pytest.raises(ocspkit.OCSPTypeError):
        lint.lint(der, now="2026-01-01")  # type: ignore[arg-type]
    for wrong in (None, 42, ["x"], ocspkit.load_response(der).basic):
        with pytest.raises(ocspkit.OCSPTypeError):
            lint.lint(wrong)
    with pytest.raises(ocspkit.ParseError, match="cannot read the OCSP message file"):
        lint.lint("not PEM")  # a str that is not PEM text names a file
    assert PROFILES == ("rfc6960", "rfc5019")


@pytest.mark.parametrize(
    "data",
    [b"", b"\x30", b"\x30\x00", b"\x02\x01\x00", b"\x30\x03\x0a\x01\x04", b"\x30\x03\x0a\x01\x00\x00",
     b"-----BEGIN OCSP RESPONSE-----\n!!\n-----END OCSP RESPONSE-----\n",
     b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"],
    ids=["empty", "truncated", "empty sequence", "integer", "status 4", "trailing byte", "bad base64", "cert PEM"],
)
def test_unparsable_input_raises_parse_error(data: bytes) -> None:
    with pytest.raises(ocspkit.ParseError):
        lint.lint(data)


def test_findings_are_frozen_sorted_and_printable(ctx: Ctx) -> None:
    der = edit_basic(ctx.sign(ctx.good(next_update=NOW - HOUR)), _explicit_version(0), ctx.responder)
    findings = lint.lint(der, now=NOW + DAY)
    assert [f.code for f in findings] == [
        "der.explicit_default", "time.next_update_before_this_update", "time.next_update_in_past"
    ]
    offsets = [f.offset or 0 for f in findings]
    assert offsets == sorted(offsets) and all(f.offset for f in findings)
    first = findings[0]
    assert first.offset is not None
    assert der[first.offset] == 0xA0 and der[first.offset + 2 : first.offset + 5] == b"\x02\x01\x00"
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.code = "x"  # type: ignore[misc]
    assert str(first) == (
        f"ERROR der.explicit_default {TBS}.version (offset {first.offset}): "
        "DEFAULT value of version encoded explicitly [X.690 11.5]"
    )
    assert isinstance(first, Finding) and first.severity > Severity.WARNING > Severity.NOTICE
    stale = findings[2]
    assert "2026-03-31 11:00:00Z" in stale.message and "2026-04-01 12:00:00Z" in stale.message
    signed = ctx.request().sign(ctx.leaf.key_der, ctx.leaf.cert_der)
    post = [f for f in lint.lint(signed, profile="rfc5019") if f.path is None]
    assert [str(f) for f in post] == [
        f"NOTICE rfc5019.request_needs_post: {post[0].message} [RFC 5019 5; RFC 9919 6]"
    ]


def test_offsets_point_at_the_field(ctx: Ctx) -> None:
    request = ctx.request().with_nonce(8).with_extension("1.2.3.4", b"\x05\x00", critical=True).build().dump()
    short, critical = lint.lint(request)
    assert short.offset is not None and critical.offset is not None
    assert short.code == "nonce.short" and request[short.offset] == 0x04  # the extnValue OCTET STRING
    assert critical.code == "ext.unknown_critical" and request[critical.offset] == 0x30
    assert request[critical.offset + 2 : critical.offset + 2 + 5] == b"\x06\x03\x2a\x03\x04"
    long_form = ctx.request().with_extension(OID.NONCE, b"\x04\x81\x20" + b"\x01" * 32).build().dump()
    (finding,) = lint.lint(long_form)
    assert finding.offset is not None
    assert long_form[finding.offset : finding.offset + 2] == b"\x81\x20"


def test_unreachable_der_codes(monkeypatch: pytest.MonkeyPatch, ctx: Ctx) -> None:
    """asn1crypto refuses high-tag-number forms of low tags before ocspkit._der could record
    them, so der.tag_not_minimal only comes from the mapping; a code _der adds later reads as
    der.other."""
    der = ctx.request().build().dump()
    high_tag = edit_request(der, lambda tbs: kids(tbs).append(Raw(b"\xbf\x02\x02\x30\x00")))
    with pytest.raises(ocspkit.ParseError, match="Non-minimal tag"):
        lint.lint(high_tag)
    real = ocspkit._der.load_tree

    def fake(spec: Any, data: bytes, *, strict: bool) -> Any:
        tree, deviations = real(spec, data, strict=strict)
        extra = [Deviation("tag_not_minimal", "tag", "tbs_request", 2), Deviation("new_kind", "new", "", 0)]
        return tree, deviations + extra

    monkeypatch.setattr(lint, "load_tree", fake)
    findings = lint.lint(der)
    assert [(f.code, f.path, f.offset, f.clause) for f in findings] == [
        ("der.other", None, 0, "X.690 10, 11"),
        ("der.tag_not_minimal", "tbs_request", 2, "X.690 8.1.2"),
    ]


def test_every_loader_deviation_has_a_rule() -> None:
    source = (ROOT / "ocspkit" / "_der.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'deviate\(\s*"(\w+)"', source))
    assert codes and codes == set(lint._DER_CODES)
    assert {f"der.{code}" for code in codes} == set(lint._DER_CODES.values())
    assert all(code in RULES for code in lint._DER_CODES.values())


def test_rules_are_well_formed() -> None:
    one = r"(X\.690 [\d.]+|RFC \d{4}( [\d.]+)?)(, [\d.]+)*"  # "RFC 6960 4.1.1, 4.2.1", "RFC 6151"
    clause = re.compile(rf"{one}(; {one})*")
    for code, rule in RULES.items():
        assert rule.code == code
        assert re.fullmatch(r"[a-z0-9_]+\.[a-z0-9_]+", code)
        assert clause.fullmatch(rule.clause), code
        assert (rule.profile == "rfc5019") == code.startswith("rfc5019.")
        assert isinstance(rule.severity, Severity)
    with pytest.raises(TypeError):
        RULES["x"] = RULES["ext.unknown"]  # type: ignore[index]


def test_docs_list_every_rule() -> None:
    """docs/lint.md's table has one row per rule with its severity and clause."""
    text = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9_.]+)` \| (\w+) \| ([^|]+) \|", text, re.M)
    table = {code: (severity, clause.strip()) for code, severity, clause in rows}
    assert set(table) == set(RULES), sorted(set(table) ^ set(RULES))
    for code, rule in RULES.items():
        assert table[code] == (rule.severity.name, rule.clause), code


# --- the shared vectors ---------------------------------------------------------------------------

VECTOR_KINDS = (
    "ocsp-request",
    "ocsp-response",
    "fuzz-seed-ocsp-response",
    "fuzz-seed-ocsp-response-data",
    "fuzz-seed-ocsp-single-response",
    "fuzz-seed-ocsp-cert-id",
)

# What the vectors' sources and the README's "Things to know" say is BER or off-profile.
KNOWN: Dict[str, Tuple[Tuple[str, Optional[str]], ...]] = {
    "certvalidator/multitasking-ocsp/ocsp-resp-alice.der": (
        ("time.fractional_seconds", f"{TBS}.produced_at"),
        ("time.fractional_seconds", f"{SINGLE}.this_update"),
        ("time.fractional_seconds", f"{SINGLE}.next_update"),
    ),
    "certvalidator/multitasking-ocsp/ocsp-resp-interm.der": (("time.fractional_seconds", f"{TBS}.produced_at"),),
    "bouncycastle/pkix-irregReq.der": (
        ("der.explicit_default", "tbs_request.version"),
        ("request.signed_without_requestor_name", "optional_signature"),
    ),
    "bouncycastle/pkix-testResp2.der": (
        ("der.explicit_default", f"{TBS}.version"),
        ("sig.broken_hash", f"{BASIC}.signature_algorithm.algorithm"),
    ),
    "bouncycastle/pkix-emptyExtResp.der": (("ext.empty", f"{TBS}.response_extensions"),),
    "boringssl/ocsp_unittest/good_response_invalid_serial.resp.der": (
        ("der.integer_not_minimal", f"{SINGLE}.cert_id.serial_number"),
    ),
    "boringssl/ocsp_unittest/request-invalid-serial.der": (
        ("der.integer_not_minimal", "tbs_request.request_list[0].req_cert.serial_number"),
    ),
    "boringssl/ocsp_unittest/no_response.resp.der": (("response.no_single_responses", f"{TBS}.responses"),),
    "boringssl/ocsp_unittest/has_critical_response_extension.resp.der": (
        ("ext.unknown_critical", f"{TBS}.response_extensions[0]"),
    ),
    "boringssl/ocsp_unittest/has_critical_single_extension.resp.der": (
        ("ext.unknown_critical", f"{SINGLE}.single_extensions[0]"),
    ),
    "boringssl/ocsp_unittest/multiple_response_good_revoked.resp.der": (
        ("response.conflicting_status", f"{TBS}.responses[1]"),
    ),
    "boringssl/ocsp_unittest/ocsp_sign_bad_indirect.resp.der": (("signer.no_ocsp_signing", f"{BASIC}.certs[0]"),),
    "go/ocspResponseWithCriticalExtension.der": (
        ("der.explicit_default", f"{TBS}.version"),
        ("ext.unknown_critical", f"{SINGLE}.single_extensions[0]"),
    ),
    "go/old-startcom-ocspResponse.der": (("sig.sha1", f"{BASIC}.signature_algorithm.algorithm"),),
    "cryptography/req-duplicate-ext.der": (("ext.duplicate", "tbs_request.request_extensions[1]"),),
    "cryptography/req-invalid-version.der": (("version.unsupported", "tbs_request.version"),),
    "cryptography/resp-invalid-version.der": (("version.unsupported", f"{TBS}.version"),),
    "cryptography/resp-successful-no-response-bytes.der": (("response.missing_bytes", "response_status"),),
    "cryptography/resp-response-type-unknown-oid.der": (("response.unknown_type", "response_bytes.response_type"),),
    "cryptography/resp-invalid-signature-oid.der": (("sig.broken_hash", f"{BASIC}.signature_algorithm.algorithm"),),
    "cryptography/resp-single-extension-reason.der": (
        ("reason.unspecified", f"{SINGLE}.single_extensions[0].extn_value"),
    ),
    "cryptography/resp-revoked-no-next-update.der": (("time.no_next_update", SINGLE),),
    "cryptography/req-ext-unknown-oid.der": (("ext.unknown", "tbs_request.request_extensions[0]"),),
    "cryptography/req-invalid-hash-alg.der": (("certid.unknown_hash", None),),
}


def _vector_params() -> List[Any]:
    return [pytest.param(e["file"], e["kind"], id=e["file"]) for e in manifest_entries(*VECTOR_KINDS)]


@pytest.mark.parametrize(("name", "kind"), _vector_params())
def test_vectors_lint_or_parse_error(name: str, kind: str) -> None:
    """Every vector lints, or raises ParseError (and nothing else); whatever
    load_response / load_request accept (leniently) lints; DER-clean vectors get no der.*."""
    data = read_vector(name)
    loaded = None
    for load in (ocspkit.load_response, ocspkit.load_request):
        try:
            loaded = load(data, allow_unknown_critical=True)
            break
        except ocspkit.ParseError:
            continue
    try:
        findings = lint.lint(data)
    except ocspkit.ParseError:
        assert loaded is None, f"{name} loads but does not lint"
        return
    assert all(isinstance(f, Finding) and f.code in RULES for f in findings)
    for profile in PROFILES:
        assert isinstance(lint.lint(data, profile=profile, now=NOW), tuple)
    if loaded is not None:
        der_codes = sorted(f.code for f in findings if f.code.startswith("der."))
        assert der_codes == sorted(f"der.{d.code}" for d in loaded.deviations)


def test_known_vector_findings() -> None:
    for name, expected in KNOWN.items():
        findings = lint.lint(read_vector(name))
        for code, path in expected:
            assert any(f.code == code and (path is None or f.path == path) for f in findings), (
                name, code, [str(f) for f in findings]
            )


def test_fuzz_seeds_that_are_not_messages_raise_parse_error() -> None:
    """The CertID / SingleResponse / ResponseData seeds are parts of messages: not lintable."""
    for entry in manifest_entries("fuzz-seed-ocsp-cert-id", "fuzz-seed-ocsp-single-response"):
        with pytest.raises(ocspkit.ParseError):
            lint.lint(read_vector(entry["file"]))


# --- random mutations -----------------------------------------------------------------------------

_SEEDS: Dict[str, bytes] = {}


def _seeds(ctx: Ctx) -> List[bytes]:
    if not _SEEDS:
        _SEEDS["response"] = ctx.sign(
            ctx.good(status="revoked", revocation_time=NOW - DAY, revocation_reason=1).with_nonce(b"\x01" * 16)
        )
        _SEEDS["request"] = ctx.request().with_nonce().with_extension(acceptable_responses()).build().dump()
        _SEEDS["signed request"] = ctx.request().sign(ctx.leaf.key_der, ctx.leaf.cert_der).dump()
        for name in ("cryptography/resp-sct-extension.der", "go/ocspResponseWithCriticalExtension.der",
                     "certvalidator/multitasking-ocsp/ocsp-resp-alice.der", "bouncycastle/pkix-irregReq.der"):
            _SEEDS[name] = read_vector(name)
    return list(_SEEDS.values())


@settings(max_examples=examples(250), deadline=None, database=None)
@given(data=st.data())
def test_mutations_raise_only_parse_error(ctx: Ctx, data: st.DataObject) -> None:
    original = data.draw(st.sampled_from(_seeds(ctx)))
    n = len(original)
    mutated = data.draw(
        st.one_of(
            st.tuples(st.integers(0, n - 1), st.integers(0, 255)).map(
                lambda m: original[: m[0]] + bytes((m[1],)) + original[m[0] + 1 :]
            ),
            st.tuples(st.integers(0, n - 1), st.integers(1, 16)).map(
                lambda m: original[: m[0]] + original[m[0] + m[1] :]
            ),
            st.tuples(st.integers(0, n), st.binary(min_size=1, max_size=8)).map(
                lambda m: original[: m[0]] + m[1] + original[m[0] :]
            ),
            st.integers(0, n - 1).map(lambda cut: original[:cut]),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, 255)), min_size=2, max_size=6).map(
                lambda flips: bytes(
                    dict(flips).get(i, b) for i, b in enumerate(original)
                )
            ),
        )
    )
    try:
        findings = lint.lint(mutated, profile=data.draw(st.sampled_from(PROFILES)), now=NOW)
    except ocspkit.ParseError:
        return
    assert all(isinstance(f, Finding) and f.code in RULES for f in findings)


def test_runtime_stays_small(ctx: Ctx) -> None:
    """Linting a signed response (signature check included) takes milliseconds."""
    import time

    der = ctx.sign(ctx.good())
    start = time.perf_counter()
    for _ in range(20):
        lint.lint(der)
    assert (time.perf_counter() - start) / 20 < 0.05


def test_docs_example_runs(ctx: Ctx) -> None:
    """The usage shown in docs/lint.md."""
    response = ocspkit.ResponseBuilder().add_response(ctx.cid).sign(ctx.responder.key_der, ctx.responder.cert_der)
    errors = [f for f in lint.lint(response, profile="rfc5019") if f.severity >= Severity.ERROR]
    assert [f.code for f in errors] == ["rfc5019.no_next_update"]
