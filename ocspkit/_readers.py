"""The fast single-pass readers of DER OCSP messages: requests, responses, CertIDs and their primitives.

asn1crypto's generic machinery (plus :mod:`ocspkit._der`'s validating walk) costs hundreds of
microseconds per message. Nearly every message on the wire is plain DER in a handful of shapes,
so :func:`ocspkit.load_response` and :func:`ocspkit.load_request` first try the readers here,
written for those shapes. The readers accept a strict subset of what the general path accepts,
with the same results:

- any byte that is not DER, or any shape they were not written for, raises :class:`Slow`, and
  the caller starts over on the general path, which decides (ParseError with path and offset,
  or a result with ``deviations``). The fast path never produces an error of its own.
- sub-structures that are not on the hot path and repeat from message to message (the
  responder's Name, embedded certificates, signature AlgorithmIdentifiers, the values of known
  extensions) are validated by the general walk once and remembered by their bytes
  (:func:`validated`), so a responder's certificate is walked once per process, not per
  response.

The readers know nothing of the views (:mod:`ocspkit.request` and :mod:`ocspkit.response` import
this module, not the other way round). They return plain values, and make the two things a
message repeats through what the caller hands in, so that the hot loops build each object
once, with no extra call:

- a CertID through ``make_cert_id(hash name, issuerNameHash, issuerKeyHash, serial, DER)``;
- each requestList entry and each SingleResponse as an instance of ``request_type`` /
  ``single_type``, a subclass of :class:`RequestRecord` / :class:`SingleResponseRecord` (the
  views are those subclasses), with every slot of the record filled.

The writing side is :mod:`ocspkit._writers`.
"""

from __future__ import annotations

import datetime as _dt
import re
import threading
from typing import Any, Callable, Dict, List, Optional, Tuple, Type, TypeVar

from asn1crypto import algos, core, x509

from . import asn1
from ._der import load_tree
from ._util import HASH_NAMES, oid_arcs_bounded
from ._writers import oid_der, tlv
from .enums import CertStatus, ResponderIDType, ResponseStatus, RevocationReason
from .errors import OCSPError

__all__ = [
    "BasicFields",
    "ExtensionContext",
    "MakeCertID",
    "RequestRecord",
    "SingleResponseRecord",
    "Slow",
    "check_day",
    "clear_cache",
    "header",
    "integer",
    "object_identifier_ok",
    "read_basic",
    "read_cert_id",
    "read_request",
    "read_response",
    "read_single",
    "read_singles",
    "time_value",
    "to_datetime",
    "validated",
]

_UTC = _dt.timezone.utc

_C = TypeVar("_C")
_R = TypeVar("_R", bound="RequestRecord")
_S = TypeVar("_S", bound="SingleResponseRecord")
#: ``make_cert_id(hash name, issuerNameHash, issuerKeyHash, serialNumber, DER)``: a CertID.
MakeCertID = Callable[[str, bytes, bytes, int, bytes], Any]


class Slow(Exception):
    """Not a shape the fast path handles: start over on the general path."""


# --- DER primitives ------------------------------------------------------------------------


def header(d: bytes, p: int, end: int, tag: int) -> Tuple[int, int]:
    """(contents start, contents end) of the DER TLV with one-octet ``tag`` at ``d[p]``.

    Raises :class:`Slow` for another tag, a non-minimal or indefinite length, or a value that
    runs past ``end``.
    """
    if p + 2 > end or d[p] != tag:
        raise Slow
    n = d[p + 1]
    if n < 0x80:
        s = p + 2
        e = s + n
    elif n == 0x81:
        n = d[p + 2]
        if n < 0x80:
            raise Slow
        s = p + 3
        e = s + n
    elif n == 0x82:
        n = (d[p + 2] << 8) | d[p + 3]
        if n < 0x100:
            raise Slow
        s = p + 4
        e = s + n
    elif n == 0x83:
        n = (d[p + 2] << 16) | (d[p + 3] << 8) | d[p + 4]
        if n < 0x10000:
            raise Slow
        s = p + 5
        e = s + n
    else:
        raise Slow
    if e > end:
        raise Slow
    return s, e


def integer(d: bytes, s: int, e: int) -> int:
    """The value of INTEGER contents ``d[s:e]``; Slow unless minimally encoded (X.690 8.3.2)."""
    if e - s > 1:
        first, second = d[s], d[s + 1]
        if (first == 0 and second < 0x80) or (first == 0xFF and second >= 0x80):
            raise Slow
    elif e == s:
        raise Slow
    return int.from_bytes(d[s:e], "big", signed=True)


# GeneralizedTime as DER writes it (X.690 11.7): YYYYMMDDHHMMSSZ, no fraction. Fractions, local
# times, year 0 and seconds = 60 go to the general path.
_GT = rb"(?!0000)\d{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])[0-5]\d[0-5]\dZ"
_GT_DER = re.compile(_GT)


def time_value(d: bytes, p: int, end: int) -> Tuple[bytes, int]:
    """(the 15 octets ``YYYYMMDDHHMMSSZ``, end offset) of a DER GeneralizedTime at ``d[p]``."""
    if p + 17 > end or d[p] != 0x18 or d[p + 1] != 15 or _GT_DER.fullmatch(d, p + 2, p + 17) is None:
        raise Slow
    raw = d[p + 2 : p + 17]
    if raw[6:8] > b"28":
        check_day(raw)
    return raw, p + 17


def check_day(raw: bytes) -> None:
    """Slow unless the day of ``YYYYMMDD...`` exists in its month (the general path refuses it)."""
    try:
        _dt.date(int(raw[0:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        raise Slow from None


def to_datetime(raw: bytes) -> _dt.datetime:
    """The aware UTC datetime of ``YYYYMMDDHHMMSSZ`` octets checked by :func:`time_value`."""
    return _dt.datetime(
        int(raw[0:4]), int(raw[4:6]), int(raw[6:8]), int(raw[8:10]), int(raw[10:12]), int(raw[12:14]), tzinfo=_UTC
    )


def object_identifier_ok(d: bytes, s: int, e: int) -> bool:
    """Whether OBJECT IDENTIFIER contents ``d[s:e]`` are well formed (X.690 8.19.2) and each arc
    printable (:func:`ocspkit._util.oid_arcs_bounded`), as the general walk requires."""
    if e == s or d[e - 1] & 0x80 or not oid_arcs_bounded(d[s:e]):
        return False
    previous = 0
    for i in range(s, e):
        if d[i] == 0x80 and not previous & 0x80:
            return False
        previous = d[i]
    return True


# --- remembered validation of repeating sub-structures -------------------------------------

_VALIDATED: Dict[Tuple[Any, bytes], bool] = {}
_VALIDATED_MAX = 1024  # about 1.5 MB of certificates at most; cleared when full
_LOCK = threading.Lock()


def validated(spec: Any, der: bytes) -> None:
    """Check ``der`` is a DER ``spec`` with the general walk (strict), remembering success.

    Raises :class:`Slow` when it is not (the general path then reports it in full).
    """
    key = (spec, der)
    if key in _VALIDATED:
        return
    try:
        load_tree(spec, der, strict=True)
    except OCSPError:
        raise Slow from None
    with _LOCK:
        if len(_VALIDATED) >= _VALIDATED_MAX:
            _VALIDATED.clear()
        _VALIDATED[key] = True


def clear_cache() -> None:
    """Forget every remembered validation (for benchmarks measuring a cold start)."""
    with _LOCK:
        _VALIDATED.clear()


class ExtensionContext:
    """How the fast path reads Extensions in one context (requestExtensions, singleExtensions, ...).

    ``extension_class`` is the asn1crypto Extension of the context, ``id_class`` its OID class
    (whose ``_map`` lists the OIDs known there). Known values with a structure are validated
    (and remembered) by the general walk; the nonce and other raw values are taken as they are.
    """

    def __init__(self, extension_class: Any, id_class: Any) -> None:
        self.extension_class = extension_class
        self.nonce_oid = core.ObjectIdentifier(asn1.OID.NONCE).contents
        specs = extension_class._oid_specs
        #: OID contents -> None (raw value), "null" (a NULL value) or "walk" (validate the value)
        self.known: Dict[bytes, Optional[str]] = {}
        for dotted, name in id_class._map.items():
            spec = specs.get(name)
            kind = None if spec is None else ("null" if issubclass(spec, core.Null) else "walk")
            self.known[core.ObjectIdentifier(dotted).contents] = kind

    def read(self, d: bytes, s: int, e: int, allow_critical: bool) -> Optional[bytes]:
        """Check the Extensions TLV ``d[s:e]``; return the first nonce's extnValue contents."""
        ls, le = header(d, s, e, 0x30)
        if le != e:
            raise Slow
        nonce = None
        known = self.known
        while ls < le:
            xs, xe = header(d, ls, le, 0x30)
            os_, oe = header(d, xs, xe, 0x06)
            p = oe
            critical = d[p] == 0x01
            if critical:
                # DER: critical is encoded only when TRUE (DEFAULT FALSE), as 0xFF (X.690 11.1).
                if d[p + 1] != 1 or d[p + 2] != 0xFF:
                    raise Slow
                p += 3
            vs, ve = header(d, p, xe, 0x04)
            if ve != xe:
                raise Slow
            oid = d[os_:oe]
            if oid in known:
                kind = known[oid]
                if kind is None:
                    if nonce is None and oid == self.nonce_oid:
                        nonce = d[vs:ve]
                elif kind == "null":
                    if ve - vs != 2 or d[vs] != 0x05 or d[vs + 1]:
                        raise Slow
                else:
                    validated(self.extension_class, d[ls:xe])
            elif (critical and not allow_critical) or not object_identifier_ok(d, os_, oe):
                raise Slow  # the general path refuses it, naming the OID
            ls = xe
        return nonce


# --- the records the readers fill ----------------------------------------------------------


class RequestRecord:
    """One entry of requestList as :func:`read_request` finds it: ``_der`` (its bytes),
    ``_cert_id``, ``_ext`` (the DER of singleRequestExtensions, or None) and ``_asn1`` (None).

    :class:`ocspkit.request.Request` is this record with its properties.
    """

    __slots__ = ("_asn1", "_cert_id", "_der", "_ext")
    _asn1: Any
    _cert_id: Any
    _der: bytes
    _ext: Any


class SingleResponseRecord:
    """One SingleResponse as :func:`read_singles` finds it: ``_der`` (its bytes), ``_cert_id``,
    ``_status`` (a CertStatus), ``_this`` / ``_next`` / ``_revoked_at`` (``YYYYMMDDHHMMSSZ``
    octets or None), ``_reason`` (a RevocationReason or None), ``_ext`` (the DER of
    singleExtensions, or None) and ``_asn1`` (None).

    :class:`ocspkit.response.SingleResponse` is this record with its properties.
    """

    __slots__ = ("_asn1", "_cert_id", "_der", "_ext", "_next", "_reason", "_revoked_at", "_status", "_this")
    _asn1: Any
    _cert_id: Any
    _der: bytes
    _ext: Any
    _next: Any
    _reason: Optional[RevocationReason]
    _revoked_at: Any
    _status: CertStatus
    _this: Any


# --- CertID (RFC 6960 4.1.1) ---------------------------------------------------------------

# AlgorithmIdentifier DER -> hash name, with and without NULL parameters.
_HASH_BY_ALGORITHM_DER: Dict[bytes, str] = {}
for _oid, _asn1_name in algos.DigestAlgorithmId._map.items():
    if _asn1_name in HASH_NAMES:
        _oid_tlv = core.ObjectIdentifier(_oid).dump()
        _HASH_BY_ALGORITHM_DER[tlv(0x30, _oid_tlv + b"\x05\x00")] = HASH_NAMES[_asn1_name]
        _HASH_BY_ALGORITHM_DER[tlv(0x30, _oid_tlv)] = HASH_NAMES[_asn1_name]


def read_cert_id(
    d: bytes, p: int, end: int, make_cert_id: Callable[[str, bytes, bytes, int, bytes], _C]
) -> Tuple[_C, int]:
    """The DER CertID at ``d[p]``, made by ``make_cert_id``, and its end offset."""
    s, e = header(d, p, end, 0x30)
    a = header(d, s, e, 0x30)[1]
    name = _HASH_BY_ALGORITHM_DER[d[s:a]]
    hs, he = header(d, a, e, 0x04)
    ks, ke = header(d, he, e, 0x04)
    ss, se = header(d, ke, e, 0x02)
    if se != e:
        raise Slow
    return make_cert_id(name, d[hs:he], d[ks:ke], integer(d, ss, se), d[p:e]), e


# --- requests (RFC 6960 4.1.1) -------------------------------------------------------------

_REQUEST_CONTEXT = ExtensionContext(asn1.RequestExtension, asn1.RequestExtensionId)
_SINGLE_REQUEST_CONTEXT = ExtensionContext(asn1.SingleRequestExtension, asn1.SingleRequestExtensionId)


def read_request(
    d: bytes, allow_critical: bool, make_cert_id: MakeCertID, request_type: Type[_R]
) -> Tuple[bytes, Tuple[_R, ...], Optional[bytes], Optional[bytes], Optional[bytes], Optional[bytes]]:
    """The fields of the DER OCSPRequest ``d``, in the usual shapes, else :class:`Slow`:
    (``d``, the requestList entries as ``request_type`` records, then the requestorName
    GeneralName DER, the requestExtensions DER, the nonce extension's extnValue contents and the
    Signature DER, each None when absent): the arguments of :class:`ocspkit.request.OCSPRequest`.
    """
    end = len(d)
    try:
        s, e = header(d, 0, end, 0x30)
        p, te = header(d, s, e, 0x30)  # tbsRequest
        if e != end:
            raise Slow
        name = None
        if d[p] == 0xA1:
            ns, p = header(d, p, te, 0xA1)
            name = d[ns:p]
            validated(x509.GeneralName, name)
        ls, le = header(d, p, te, 0x30)  # an explicit version [0] (DEFAULT v1) goes the general way
        requests = []
        while ls < le:
            rs, re_ = header(d, ls, le, 0x30)
            cert_id, q = read_cert_id(d, rs, re_, make_cert_id)
            extensions = None
            if q < re_:
                xs, q = header(d, q, re_, 0xA0)
                _SINGLE_REQUEST_CONTEXT.read(d, xs, q, allow_critical)
                extensions = d[xs:q]
            if q != re_:
                raise Slow
            entry = object.__new__(request_type)
            entry._der = d[ls:re_]
            entry._cert_id = cert_id
            entry._ext = extensions
            entry._asn1 = None
            requests.append(entry)
            ls = re_
        extensions = nonce = None
        if le < te:
            xs, xe = header(d, le, te, 0xA2)
            if xe != te:
                raise Slow
            nonce = _REQUEST_CONTEXT.read(d, xs, xe, allow_critical)
            extensions = d[xs:xe]
        signature = None
        if te < e:
            ss, se = header(d, te, e, 0xA0)
            if se != e or header(d, ss, se, 0x30)[1] != se:
                raise Slow
            signature = d[ss:se]
            validated(asn1.Signature, signature)
    except (Slow, IndexError, KeyError):
        raise Slow from None
    return d, tuple(requests), name, extensions, nonce, signature


# --- responses (RFC 6960 4.2.1) ------------------------------------------------------------

_STATUS_BY_VALUE = {int(s): s for s in ResponseStatus}
_REASON_BY_VALUE = {int(r): r for r in RevocationReason}
_BASIC = asn1.OID.BASIC
_BASIC_OID_TLV = oid_der(_BASIC)
_SINGLE_CONTEXT = ExtensionContext(asn1.SingleResponseExtension, asn1.SingleResponseExtensionId)
_RESPONSE_CONTEXT = ExtensionContext(asn1.ResponseDataExtension, asn1.ResponseDataExtensionId)

_T = rb"(" + _GT + rb")"
# The AlgorithmIdentifiers of the usual CertIDs, with explicit NULL parameters as OpenSSL writes.
_SHA1_DER = algos.DigestAlgorithm({"algorithm": "sha1", "parameters": core.Null()}).dump()
_SHA256_DER = algos.DigestAlgorithm({"algorithm": "sha256", "parameters": core.Null()}).dump()
# The usual SingleResponse, up to the serial's length: short lengths, a SHA-1 or SHA-256 CertID
# with NULL parameters. Groups: SingleResponse length (short, long), CertID length, SHA-1 name
# hash, key hash, SHA-256 name hash, key hash, serial length.
_SINGLE_HEAD = re.compile(
    rb"\x30(?:([\x00-\x7f])|\x81([\x80-\xff]))\x30([\x00-\x7f])"
    rb"(?:" + re.escape(_SHA1_DER) + rb"\x04\x14(.{20})\x04\x14(.{20})"
    rb"|" + re.escape(_SHA256_DER) + rb"\x04\x20(.{32})\x04\x20(.{32}))"
    rb"\x02([\x01-\x7f])",
    re.S,
)
# What follows the serial: certStatus, thisUpdate, nextUpdate. Groups: unknown, RevokedInfo
# length, revocationTime, reason, thisUpdate, nextUpdate.
_SINGLE_TAIL = re.compile(
    rb"(?:\x80\x00|(\x82\x00)|\xa1([\x11\x16])\x18\x0f" + _T + rb"(?:\xa0\x03\x0a\x01([\x00-\x06\x08-\x0a]))?)"
    rb"\x18\x0f" + _T + rb"(?:\xa0\x11\x18\x0f" + _T + rb")?",
    re.S,
)
_GOOD, _REVOKED, _UNKNOWN = CertStatus.GOOD, CertStatus.REVOKED, CertStatus.UNKNOWN


def read_singles(
    d: bytes, p: int, end: int, allow_critical: bool, make_cert_id: MakeCertID, single_type: Type[_S]
) -> Tuple[_S, ...]:
    """The SingleResponses in ``d[p:end]`` as ``single_type`` records: the usual shape by two
    regular expressions, any other by :func:`read_single`."""
    singles: List[_S] = []
    append = singles.append
    head_match, tail_match = _SINGLE_HEAD.match, _SINGLE_TAIL.match
    new = object.__new__
    while p < end:
        m = head_match(d, p)
        if m is not None:
            short, long_, cid_len, h1, k1, h2, k2, serial_len = m.groups()
            if short is not None:
                single_end = p + 2 + short[0]
                cid_start = p + 2
            else:
                single_end = p + 3 + long_[0]
                cid_start = p + 3
            serial_start = m.end()
            cid_end = serial_start + serial_len[0]
            t = tail_match(d, cid_end)
            if (
                t is not None
                and t.end() == single_end <= end
                and cid_start + 2 + cid_len[0] == cid_end
                and (serial_len[0] == 1 or d[serial_start] != (0 if d[serial_start + 1] < 0x80 else 0xFF))
            ):
                unknown, revoked_len, revoked_at, reason, this_update, next_update = t.groups()
                if revoked_len is not None:
                    if (revoked_len[0] == 0x16) != (reason is not None):
                        raise Slow
                    status = _REVOKED
                    if revoked_at[6:8] > b"28":
                        check_day(revoked_at)
                else:
                    status = _UNKNOWN if unknown is not None else _GOOD
                if this_update[6:8] > b"28":
                    check_day(this_update)
                if next_update is not None and next_update[6:8] > b"28":
                    check_day(next_update)
                cert_id = make_cert_id(
                    "sha1" if h1 is not None else "sha256",
                    h1 if h1 is not None else h2,
                    k1 if k1 is not None else k2,
                    int.from_bytes(d[serial_start:cid_end], "big", signed=True),
                    d[cid_start:cid_end],
                )
                single = new(single_type)
                single._der = d[p:single_end]
                single._cert_id = cert_id
                single._status = status
                single._this = this_update
                single._next = next_update
                single._revoked_at = revoked_at
                single._reason = None if reason is None else _REASON_BY_VALUE[reason[0]]
                single._ext = single._asn1 = None
                append(single)
                p = single_end
                continue
        single, p = read_single(d, p, end, allow_critical, make_cert_id, single_type)
        append(single)
    return tuple(singles)


def read_single(
    d: bytes, p: int, end: int, allow_critical: bool, make_cert_id: MakeCertID, single_type: Type[_S]
) -> Tuple[_S, int]:
    """The SingleResponse at ``d[p]`` in any DER shape the fast path takes, as a
    ``single_type`` record, and its end offset."""
    s, e = header(d, p, end, 0x30)
    cert_id, q = read_cert_id(d, s, e, make_cert_id)
    tag = d[q]
    revoked_at: Optional[bytes] = None
    reason = None
    if tag == 0x80:  # good [0] IMPLICIT NULL
        if d[q + 1]:
            raise Slow
        status = CertStatus.GOOD
        q += 2
    elif tag == 0xA1:  # revoked [1] IMPLICIT RevokedInfo
        rs, re_ = header(d, q, e, 0xA1)
        revoked_at, r = time_value(d, rs, re_)
        if r < re_:
            ws, we = header(d, r, re_, 0xA0)
            if we != re_ or we - ws != 3 or d[ws] != 0x0A or d[ws + 1] != 1:
                raise Slow
            reason = _REASON_BY_VALUE[d[ws + 2]]
        status = CertStatus.REVOKED
        q = re_
    elif tag == 0x82:  # unknown [2] IMPLICIT UnknownInfo
        if d[q + 1]:
            raise Slow
        status = CertStatus.UNKNOWN
        q += 2
    else:
        raise Slow
    this_update, q = time_value(d, q, e)
    next_update = extensions = None
    if q < e and d[q] == 0xA0:
        ns, q = header(d, q, e, 0xA0)
        next_update, ne = time_value(d, ns, q)
        if ne != q:
            raise Slow
    if q < e:
        xs, q = header(d, q, e, 0xA1)
        _SINGLE_CONTEXT.read(d, xs, q, allow_critical)
        extensions = d[xs:q]
    if q != e:
        raise Slow
    single = object.__new__(single_type)
    single._der = d[p:e]
    single._cert_id = cert_id
    single._status = status
    single._this = this_update
    single._next = next_update
    single._revoked_at = revoked_at
    single._reason = reason
    single._ext = extensions
    single._asn1 = None
    return single, e


#: What :func:`read_basic` returns: the arguments of :class:`ocspkit.response.BasicOCSPResponse`
#: (the bytes, the ResponderID as (type, Name DER or key hash, its DER), producedAt octets, the
#: SingleResponse records, the responseExtensions DER or None, the nonce's extnValue contents or
#: None, the signatureAlgorithm DER, the signature, the certificates' DER).
BasicFields = Tuple[
    bytes,
    Tuple[ResponderIDType, bytes, bytes],
    bytes,
    Tuple[_S, ...],
    Optional[bytes],
    Optional[bytes],
    bytes,
    bytes,
    Tuple[bytes, ...],
]


def read_basic(d: bytes, allow_critical: bool, make_cert_id: MakeCertID, single_type: Type[_S]) -> BasicFields[_S]:
    """The fields of the DER BasicOCSPResponse ``d`` (see :data:`BasicFields`), in the usual
    shapes, else :class:`Slow` (or IndexError / KeyError: the caller treats them as Slow)."""
    end = len(d)
    bs, be = header(d, 0, end, 0x30)
    if be != end:
        raise Slow
    ts, te = header(d, bs, be, 0x30)
    tag = d[ts]
    if tag == 0xA1:
        ns, ne = header(d, ts, te, 0xA1)
        if header(d, ns, ne, 0x30)[1] != ne:
            raise Slow
        name = d[ns:ne]
        validated(x509.Name, name)
        responder_id = (ResponderIDType.BY_NAME, name, d[ts:ne])
    elif tag == 0xA2:
        ns, ne = header(d, ts, te, 0xA2)
        ks, ke = header(d, ns, ne, 0x04)
        if ke != ne:
            raise Slow
        responder_id = (ResponderIDType.BY_KEY, d[ks:ke], d[ts:ne])
    else:
        raise Slow  # an explicit version (DEFAULT v1 must be absent in DER), or garbage
    produced_at, p = time_value(d, ne, te)
    rs, re_ = header(d, p, te, 0x30)
    singles = read_singles(d, rs, re_, allow_critical, make_cert_id, single_type)
    extensions = nonce = None
    if re_ < te:
        xs, xe = header(d, re_, te, 0xA1)
        if xe != te:
            raise Slow
        nonce = _RESPONSE_CONTEXT.read(d, xs, xe, allow_critical)
        extensions = d[xs:xe]
    ae = header(d, te, be, 0x30)[1]
    signature_algorithm = d[te:ae]
    validated(algos.SignedDigestAlgorithm, signature_algorithm)
    ss, se = header(d, ae, be, 0x03)
    if se == ss or d[ss]:
        raise Slow
    certs: Tuple[bytes, ...] = ()
    if se < be:
        cs, ce = header(d, se, be, 0xA0)
        ls, le = header(d, cs, ce, 0x30)
        if ce != be or le != ce:
            raise Slow
        found = []
        while ls < le:
            e = header(d, ls, le, 0x30)[1]
            cert = d[ls:e]
            validated(x509.Certificate, cert)
            found.append(cert)
            ls = e
        certs = tuple(found)
    return d, responder_id, produced_at, singles, extensions, nonce, signature_algorithm, d[ss + 1 : se], certs


def read_response(
    der: bytes, allow_critical: bool, make_cert_id: MakeCertID, single_type: Type[_S]
) -> Tuple[bytes, ResponseStatus, Optional[str], Optional[BasicFields[_S]]]:
    """The fields of the DER OCSPResponse ``der``, in the usual shapes, else :class:`Slow`:
    (``der``, responseStatus, the dotted responseType and the :func:`read_basic` fields, both
    None without responseBytes): the arguments of :class:`ocspkit.response.OCSPResponse`."""
    end = len(der)
    try:
        s, e = header(der, 0, end, 0x30)
        if e != end or der[s] != 0x0A or der[s + 1] != 1:
            raise Slow
        status = _STATUS_BY_VALUE[der[s + 2]]
        p = s + 3
        if p == e:
            if status is ResponseStatus.SUCCESSFUL:
                raise Slow
            return der, status, None, None
        if status is not ResponseStatus.SUCCESSFUL:
            raise Slow
        s1, e1 = header(der, p, e, 0xA0)
        s2, e2 = header(der, s1, e1, 0x30)
        if e1 != e or e2 != e1 or not der.startswith(_BASIC_OID_TLV, s2):
            raise Slow
        s3, e3 = header(der, s2 + len(_BASIC_OID_TLV), e2, 0x04)
        if e3 != e2:
            raise Slow
        basic = read_basic(der[s3:e3], allow_critical, make_cert_id, single_type)
    except (Slow, IndexError, KeyError):
        raise Slow from None
    return der, status, _BASIC, basic
