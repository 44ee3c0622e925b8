"""OCSP requests and responses as text, in the layout ``openssl ocsp`` prints, and as JSON.

:func:`request_text` and :func:`response_text` print what ``openssl ocsp -reqin F -req_text``
and ``openssl ocsp -respin F -resp_text`` print (OpenSSL's OCSP_REQUEST_print and
OCSP_RESPONSE_print): the same labels, order, indentation and hex layout, line for line, so
that people's eyes and scripts keep working. Embedded certificates follow in the layout OpenSSL's
X509_print gives them there (``openssl x509 -text`` with the compatible name form), each followed
by its PEM block. :func:`certificate_text` prints one certificate that way, and
:func:`responder_error_text` is the ``Responder Error:`` line ``openssl ocsp`` prints before the
text of an unsuccessful response.

Both take a view or the message's DER / PEM bytes. From bytes they print what OpenSSL reads even
where ocspkit's loaders refuse it (an explicit version v2, an unknown critical extension, a
responseStatus or revocation reason RFC 6960 leaves undefined), and refuse with
:class:`~ocspkit.errors.ParseError` what OpenSSL refuses (including INTEGERs with a redundant
leading octet, which the loaders accept and record as a deviation).

Deliberate differences from OpenSSL 3.0 (see ``docs/text.md``), all in :data:`CORRECTED_NAMES`
and :func:`crl_reason_str`:

- id-pkix-ocsp 8 (1.3.6.1.5.5.7.48.1.8) is printed ``Preferred Signature Algorithms``
  (RFC 6960 4.4.7); OpenSSL's object table calls it ``Extended OCSP Status``.
- id-pkix-ocsp 9 (1.3.6.1.5.5.7.48.1.9) is printed ``Extended Revoke`` (RFC 6960 4.4.8);
  OpenSSL calls it ``valid``.
- Revocation reasons 9 and 10 are printed ``privilegeWithdrawn`` and ``aACompromise`` as
  OpenSSL 3.2 and later print them; OpenSSL 3.0 and 3.1 print ``(UNKNOWN)``.

:func:`to_json` gives every field of a message as plain JSON values (schema in ``docs/text.md``);
:func:`to_json_text` is its ``json.dumps``.

The text is a ``str``. OpenSSL writes a few strings byte for byte (URIs and DNS names in some
extensions); where such bytes are not ASCII they are decoded as UTF-8 with ``surrogateescape``,
so ``text.encode("utf-8", "surrogateescape")`` gives OpenSSL's bytes back.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as _dt
import json
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from asn1crypto import x509

from . import asn1 as _asn1
from ._der import received, to_der
from ._util import int_json, int_text
from .certid import CertID
from .enums import ResponderIDType, cert_status_str, crl_reason_str, response_status_str
from .errors import OCSPTypeError, ParseError
from .extensions import Extension, Extensions, read_nonce
from .oid import (
    CORRECTED_NAMES,
    CertificatePoliciesOID,
    CRLEntryExtensionOID,
    EllipticCurveOID,
    ExtensionOID,
    HashAlgorithmOID,
    MaskGenerationFunctionOID,
    OCSPExtensionOID,
    OCSPResponseTypeOID,
    OtherNameFormOID,
    PublicKeyAlgorithmOID,
    SignatureAlgorithmOID,
    oid_name,
    short_name,
)
from .request import OCSPRequest, load_request
from .response import BasicOCSPResponse, OCSPResponse, SingleResponse, load_response

__all__ = [
    "CORRECTED_NAMES",
    "cert_status_str",
    "certificate_text",
    "crl_reason_str",
    "oid_name",
    "request_text",
    "responder_error_text",
    "response_status_str",
    "response_text",
    "to_json",
    "to_json_text",
]

class _Bad(Exception):
    """An encoding the printer cannot decode (the caller falls back to OpenSSL's raw form)."""


# --------------------------------------------------------------------------------------------
# A small BER reader: OpenSSL's printers decode extension values leniently (d2i reads the first
# element and ignores what follows), so the printers here read raw TLVs rather than asn1crypto
# trees, which would refuse or re-interpret some of what OpenSSL shows.


class _TLV:
    """One BER element: class, constructed flag, tag number, contents and the whole encoding."""

    __slots__ = ("cls", "cons", "content", "num", "raw")

    def __init__(self, cls: int, cons: bool, num: int, content: bytes, raw: bytes) -> None:
        self.cls = cls
        self.cons = cons
        self.num = num
        self.content = content
        self.raw = raw

    def is_(self, cls: int, num: int) -> bool:
        return self.cls == cls and self.num == num

    def children(self) -> List[_TLV]:
        if not self.cons:
            raise _Bad("primitive element has no children")
        return _parse_all(self.content)


# How deeply indefinite lengths may nest inside one another (X.690 8.1.3.6): finding the end of
# an indefinite-length element means reading every element inside it, recursively. No OCSP
# message or certificate comes near this; deeper input is malformed as far as the printer goes
# (_Bad: an extension value falls back to its raw octets, a message to ParseError), where it
# would otherwise end in RecursionError.
_MAX_INDEFINITE_DEPTH = 64


def _parse_one(data: bytes, pos: int = 0, depth: int = 0) -> Tuple[_TLV, int]:
    """The element at ``data[pos]`` and the position after it (definite or indefinite length)."""
    if depth > _MAX_INDEFINITE_DEPTH:
        raise _Bad("indefinite lengths nested too deeply")
    try:
        start = pos
        ident = data[pos]
        pos += 1
        cls, cons, num = ident >> 6, bool(ident & 0x20), ident & 0x1F
        if num == 0x1F:
            num = 0
            while True:
                byte = data[pos]
                pos += 1
                num = (num << 7) | (byte & 0x7F)
                if not byte & 0x80:
                    break
        first = data[pos]
        pos += 1
        if first == 0x80:
            if not cons:
                raise _Bad("indefinite length on a primitive element")
            inner = pos
            while data[pos : pos + 2] != b"\x00\x00":
                pos = _parse_one(data, pos, depth + 1)[1]
            return _TLV(cls, cons, num, data[inner:pos], data[start : pos + 2]), pos + 2
        if first & 0x80:
            count = first & 0x7F
            if count == 0 or count > 4 or pos + count > len(data):
                raise _Bad("bad length")
            length = int.from_bytes(data[pos : pos + count], "big")
            pos += count
        else:
            length = first
        end = pos + length
        if end > len(data):
            raise _Bad("truncated element")
        return _TLV(cls, cons, num, data[pos:end], data[start:end]), end
    except IndexError:
        raise _Bad("truncated element") from None


def _parse_first(data: bytes) -> _TLV:
    """The first element of ``data``, ignoring what follows it (as OpenSSL's d2i does)."""
    return _parse_one(data, 0)[0]


def _parse_all(data: bytes) -> List[_TLV]:
    items = []
    pos = 0
    while pos < len(data):
        item, pos = _parse_one(data, pos)
        items.append(item)
    return items


_UNIVERSAL, _CONTEXT = 0, 2


def _expect(tlv: _TLV, num: int, cons: Optional[bool] = None) -> _TLV:
    if tlv.cls != _UNIVERSAL or tlv.num != num or (cons is not None and tlv.cons != cons):
        raise _Bad(f"expected universal tag {num}")
    return tlv


def _oid_text(content: bytes) -> str:
    """The dotted form of OBJECT IDENTIFIER contents."""
    if not content or content[-1] & 0x80:
        raise _Bad("bad OBJECT IDENTIFIER")
    arcs: List[int] = []
    value = 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = arcs[0]
    head = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    return ".".join(int_text(a) for a in head + arcs[1:])


def _oid(tlv: _TLV) -> str:
    return _oid_text(_expect(tlv, 6, False).content)


def _int_value(content: bytes) -> int:
    if not content:
        raise _Bad("empty INTEGER")
    return int.from_bytes(content, "big", signed=True)


def _integer(tlv: _TLV, num: int = 2) -> int:
    return _int_value(_expect(tlv, num, False).content)


_ULONG = (1 << 64) - 1  # a C unsigned long, as %lu / %lx print a long


def _asn1_long(value: int) -> int:
    """ASN1_INTEGER_get: the value as a C long, -1 when it does not fit. Printers that show an
    INTEGER in decimal go through it, as OpenSSL's do, so that a 5000-octet version prints as
    OpenSSL prints it (``Version: 0 (0xffffffffffffffff)``) and never reaches Python's limit on
    int-to-str conversions."""
    return value if -(1 << 63) <= value < 1 << 63 else -1


def _enumerated_int(value: int) -> int:
    """What apps/ocsp.c holds in ``int i = OCSP_response_status(resp)``: ASN1_ENUMERATED_get (a
    C long; 0xffffffff beyond 8 octets of magnitude, -1 outside a long), cut to a C int."""
    if (abs(value).bit_length() + 7) // 8 > 8:
        value = 0xFFFFFFFF
    value = _asn1_long(value)
    return (value + (1 << 31)) % (1 << 32) - (1 << 31)


# --------------------------------------------------------------------------------------------
# OpenSSL's primitive printers


def _hex_wrapped(data: bytes) -> str:
    """Upper-case hex with ``\\`` and a newline every 35 octets (i2a_ASN1_STRING's loop)."""
    parts = []
    for index in range(0, len(data), 35):
        parts.append(data[index : index + 35].hex().upper())
    return "\\\n".join(parts)


def _i2a_string(data: bytes) -> str:
    """i2a_ASN1_STRING: upper-case hex, ``0`` for no octets."""
    return _hex_wrapped(data) if data else "0"


def _magnitude(value: int) -> bytes:
    magnitude = abs(value)
    return magnitude.to_bytes(max(1, (magnitude.bit_length() + 7) // 8), "big")


def _i2a_integer(value: int) -> str:
    """i2a_ASN1_INTEGER: ``-`` for negatives, then the magnitude's octets in upper-case hex."""
    return ("-" if value < 0 else "") + _hex_wrapped(_magnitude(value))


def _i2s_integer(value: int) -> str:
    """i2s_ASN1_INTEGER / i2s_ASN1_ENUMERATED: decimal below 2**128, else ``0x`` hex."""
    if abs(value).bit_length() < 128:
        return str(value)
    return ("-" if value < 0 else "") + "0x" + _magnitude(value).hex().upper()  # BN_bn2hex: whole octets


def _hex_colons(data: bytes) -> str:
    """OPENSSL_buf2hexstr: ``AB:CD:EF``."""
    return ":".join(f"{b:02X}" for b in data)


def _bytes_text(data: bytes) -> str:
    """Raw octets as text (UTF-8, undecodable octets kept by surrogateescape)."""
    return data.decode("utf-8", "surrogateescape")


def _string_print(data: bytes) -> str:
    """ASN1_STRING_print: printable ASCII, CR and LF as they are, every other octet as ``.``."""
    return "".join(chr(b) if 0x20 <= b <= 0x7E or b in (0x0A, 0x0D) else "." for b in data)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _time_fields(text: str, generalized: bool) -> Tuple[List[int], str, str]:
    """The fields of an ASN.1 time (year, month, day, hour, minute, second), its fraction and
    its zone part, checked as ossl_asn1_time_to_tm checks them."""
    digits = 4 if generalized else 2
    pos = 0
    fields: List[int] = []
    for index, width in enumerate((digits, 2, 2, 2, 2, 2)):
        part = text[pos : pos + width]
        if index == 5 and (not part or part[0] in "Z+-."):
            fields.append(0)  # seconds are optional in OpenSSL's non-strict reading
            break
        if len(part) != width or not part.isdigit():
            raise _Bad("bad time")
        fields.append(int(part))
        pos += width
    if not generalized:
        fields[0] += 2000 if fields[0] < 50 else 1900
    fraction = ""
    if generalized and text[pos : pos + 1] == ".":
        end = pos + 1
        while end < len(text) and text[end].isdigit():
            end += 1
        fraction = text[pos:end]
        if len(fraction) == 1:
            raise _Bad("empty fraction")
        pos = end
    zone = text[pos:]
    year, month, day, hour, minute, second = fields
    if not 1 <= month <= 12 or hour > 23 or minute > 59 or second > 59:
        raise _Bad("bad time")
    leap = month == 2 and (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0))
    if not 1 <= day <= _DAYS[month - 1] + (1 if leap else 0):
        raise _Bad("bad time")
    if zone not in ("", "Z"):
        if len(zone) != 5 or zone[0] not in "+-" or not zone[1:].isdigit():
            raise _Bad("bad zone")
        if int(zone[1:3]) > 12 or int(zone[3:5]) > 59:
            raise _Bad("bad zone")
    return fields, fraction, zone


def _time_print(content: bytes, generalized: bool) -> str:
    """ASN1_TIME_print (RFC 822 style): ``Mar  2 00:00:00 2017 GMT``, with the fraction of a
    GeneralizedTime as written and `` GMT`` only for times ending in ``Z``; OpenSSL's
    ``Bad time value`` for what it cannot read."""
    try:
        text = content.decode("ascii")
        fields, fraction, zone = _time_fields(text, generalized)
    except (UnicodeDecodeError, _Bad):
        return "Bad time value"
    year, month, day, hour, minute, second = fields
    if zone not in ("", "Z"):
        # An offset: the time is moved to UTC (ossl_asn1_time_to_tm), still without " GMT".
        sign = 1 if zone[0] == "+" else -1
        offset = _dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
        try:
            moment = _dt.datetime(year, month, day, hour, minute, second) - sign * offset
        except (ValueError, OverflowError):
            return "Bad time value"
        year, month, day = moment.year, moment.month, moment.day
        hour, minute, second = moment.hour, moment.minute, moment.second
    gmt = " GMT" if text.endswith("Z") else ""
    return f"{_MONTHS[month - 1]} {day:2d} {hour:02d}:{minute:02d}:{second:02d}{fraction} {year}{gmt}"


def _time_tlv_print(tlv: _TLV) -> str:
    if tlv.cls == _UNIVERSAL and tlv.num in (23, 24) and not tlv.cons:
        return _time_print(tlv.content, tlv.num == 24)
    return "Bad time value"


def _asn1_time_print(value: Any) -> str:
    """ASN1_TIME_print of an asn1crypto UTCTime / GeneralizedTime / Time, from its encoding."""
    if value.__class__.__name__ == "Time":
        value = value.chosen
    return _time_print(bytes(value.contents), value.tag == 24)


# --------------------------------------------------------------------------------------------
# Names (X509_NAME_print_ex with XN_FLAG_ONELINE, X509_NAME_oneline, X509_NAME_print)


class _Entry:
    """One attribute of a Name: its RDN index, OID, universal type (-1 if none) and value."""

    __slots__ = ("content", "oid", "raw", "rdn", "type")

    def __init__(self, rdn: int, oid: str, type_: int, content: bytes, raw: bytes) -> None:
        self.rdn = rdn
        self.oid = oid
        self.type = type_
        self.content = content
        self.raw = raw


def _name_entries(der: bytes) -> List[_Entry]:
    name = _expect(_parse_first(der), 16, True)
    entries = []
    for index, rdn in enumerate(name.children()):
        _expect(rdn, 17, True)
        for atv in rdn.children():
            parts = _expect(atv, 16, True).children()
            if len(parts) != 2:
                raise _Bad("bad AttributeTypeAndValue")
            value = parts[1]
            universal = value.cls == _UNIVERSAL and not value.cons
            entries.append(_Entry(index, _oid(parts[0]), value.num if universal else -1, value.content, value.raw))
    return entries


# OpenSSL's charmap (crypto/asn1/charmap.h): escaping properties of the ASCII characters.
_CHAR_TYPE = (
    1026, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 120, 0, 1, 40, 0, 0, 0, 16, 1040, 1040, 33792, 25, 25, 16400, 8208, 16, 4112, 4112, 4112,
    4112, 4112, 4112, 4112, 4112, 4112, 4112, 16, 9, 9, 16, 9, 16, 0, 4112, 4112, 4112, 4112, 4112,
    4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112,
    4112, 4112, 4112, 4112, 4112, 0, 1025, 0, 0, 0, 0, 4112, 4112, 4112, 4112, 4112, 4112, 4112,
    4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112,
    4112, 4112, 4112, 4112, 0, 0, 0, 0, 2,
)  # fmt: skip
# ASN1_STRFLGS_ESC_2253 | ESC_CTRL | ESC_MSB | ESC_QUOTE: the escapes of XN_FLAG_ONELINE.
_ESC_2253, _ESC_CTRL, _ESC_MSB, _ESC_QUOTE, _ESC_2254 = 1, 2, 4, 8, 0x400
_FIRST_ESC, _LAST_ESC = 0x20, 0x40
_ONELINE_ESC = _ESC_2253 | _ESC_CTRL | _ESC_MSB | _ESC_QUOTE
# Octets per character by universal tag (a_strex.c's tag2nbyte); absent: dumped as #hex.
_TAG_WIDTH = {12: 0, 18: 1, 19: 1, 20: 1, 22: 1, 23: 1, 24: 1, 26: 1, 28: 4, 30: 2}


def _escape_octet(octet: int, flags: int) -> Tuple[str, bool]:
    """do_esc_char for one octet: the text and whether the value needs quotes."""
    char_flags = flags & _ESC_MSB if octet > 0x7F else _CHAR_TYPE[octet] & flags
    if char_flags & (_ESC_2253 | _FIRST_ESC | _LAST_ESC):
        if char_flags & _ESC_QUOTE:
            return chr(octet), True
        return "\\" + chr(octet), False
    if char_flags & (_ESC_CTRL | _ESC_MSB | _ESC_2254):
        return f"\\{octet:02X}", False
    if octet == 0x5C and flags & (_ONELINE_ESC | _ESC_2254):
        return "\\\\", False
    return chr(octet), False


def _utf8_octets(code: int) -> bytes:
    """UTF8_putc: the UTF-8 octets of a character (none for what it refuses)."""
    if code < 0x80:
        return bytes((code,))
    if code < 0x800:
        return bytes((0xC0 | code >> 6, 0x80 | code & 0x3F))
    if code < 0x10000:
        if 0xD800 <= code < 0xE000:
            return b""
        return bytes((0xE0 | code >> 12, 0x80 | (code >> 6) & 0x3F, 0x80 | code & 0x3F))
    if code < 0x110000:
        return bytes((0xF0 | code >> 18, 0x80 | (code >> 12) & 0x3F, 0x80 | (code >> 6) & 0x3F, 0x80 | code & 0x3F))
    return b""


def _oneline_value(entry: _Entry) -> str:
    """do_print_ex with ASN1_STRFLGS_RFC2253 | ESC_QUOTE: the value of one name attribute."""
    width = _TAG_WIDTH.get(entry.type, -1)
    if width < 0:
        return "#" + entry.raw.hex().upper()  # ASN1_STRFLGS_DUMP_UNKNOWN | DUMP_DER
    data = entry.content
    if width in (2, 4) and len(data) % width:
        raise _Bad("bad BMPString / UniversalString length")
    if width in (0, 1):
        chars = [bytes((b,)) for b in data]  # UTF8String is shown octet by octet (no re-coding)
    else:
        chars = [_utf8_octets(int.from_bytes(data[i : i + width], "big")) for i in range(0, len(data), width)]
    out = []
    quotes = False
    for index, octets in enumerate(chars):
        flags = _ONELINE_ESC
        if index == len(chars) - 1:
            flags |= _LAST_ESC
        elif index == 0:
            flags |= _FIRST_ESC
        for octet in octets:
            text, quote = _escape_octet(octet, flags)
            out.append(text)
            quotes = quotes or quote
    value = "".join(out)
    return f'"{value}"' if quotes else value


def _name_oneline_flags(der: bytes) -> str:
    """X509_NAME_print_ex(..., XN_FLAG_ONELINE): ``C = US, O = Org, CN = name``."""
    try:
        entries = _name_entries(der)
    except _Bad:
        return ""
    out = []
    previous = -1
    for entry in entries:
        if previous != -1:
            out.append(" + " if previous == entry.rdn else ", ")
        previous = entry.rdn
        out.append(f"{short_name(entry.oid)} = ")
        try:
            out.append(_oneline_value(entry))
        except _Bad:
            break  # OpenSSL stops printing the name at a value it cannot show
    return "".join(out)


def _name_oneline(der: bytes, limit: Optional[int] = None) -> str:
    """X509_NAME_oneline: ``/C=US/O=Org/CN=name``; ``limit`` is the size of a fixed buffer
    (entries that do not fit are left out, as OpenSSL leaves them out)."""
    entries = _name_entries(der)
    out = []
    length = 0
    previous = -1
    for entry in entries:
        data = entry.content if entry.type >= 0 else entry.raw
        keep = [True] * 4
        if entry.type == 27 and len(data) % 4 == 0:  # GeneralString holding UCS-4, oddly
            nonzero = [any(data[j] for j in range(i, len(data), 4)) for i in range(4)]
            keep = [True] * 4 if any(nonzero[:3]) else [False, False, False, True]
        value = []
        for index, octet in enumerate(data):
            if not keep[index & 3]:
                continue
            if octet < 0x20 or octet > 0x7E:
                value.append(f"\\x{octet:02X}")
            elif octet in (0x2F, 0x2B):  # "/" and "+"
                value.append("\\" + chr(octet))
            else:
                value.append(chr(octet))
        piece = ("+" if previous == entry.rdn else "/") + short_name(entry.oid) + "=" + "".join(value)
        if limit is not None and length + len(piece) > limit - 1:
            break
        out.append(piece)
        length += len(piece)
        previous = entry.rdn
    return "".join(out)


def _name_compat(der: bytes) -> str:
    """X509_NAME_print (XN_FLAG_COMPAT, as X509_print uses it): the X509_NAME_oneline text with
    the slashes before ``X=`` / ``XY=`` turned into ``, ``."""
    try:
        line = _name_oneline(der)
    except _Bad:
        return ""
    if not line:
        return ""
    text = line[1:] + "\0"
    out = []
    start = 0
    for pos, char in enumerate(text):
        if char == "\0" or (
            char == "/"
            and "A" <= text[pos + 1 : pos + 2] <= "Z"
            and (
                text[pos + 2 : pos + 3] == "="
                or ("A" <= text[pos + 2 : pos + 3] <= "Z" and text[pos + 3 : pos + 4] == "=")
            )
        ):
            out.append(text[start:pos])
            if char != "\0":
                out.append(", ")
            start = pos + 1
        if char == "\0":
            break
    return "".join(out)


# --------------------------------------------------------------------------------------------
# General names (GENERAL_NAME_print and i2v_GENERAL_NAME)


def _ip_text(data: bytes) -> str:
    """ossl_ipaddr_to_asc: dotted quad, eight ``%X`` groups, or OpenSSL's complaint."""
    if len(data) == 4:
        return ".".join(str(b) for b in data)
    if len(data) == 16:
        return ":".join(f"{data[i] << 8 | data[i + 1]:X}" for i in range(0, 16, 2))
    return f"<invalid length={len(data)}>"


_OTHERNAME_LABELS = {
    OtherNameFormOID.SMTP_UTF8_MAILBOX: "SmtpUTF8Mailbox",
    OtherNameFormOID.XMPP_ADDR: "XmppAddr",
    OtherNameFormOID.SRV_NAME: "SRVName",
    OtherNameFormOID.MS_UPN: "UPN",
    OtherNameFormOID.NAI_REALM: "NAIRealm",
}


def _other_name(gn: _TLV) -> Tuple[str, _TLV]:
    parts = gn.children()
    if len(parts) != 2 or not parts[1].is_(_CONTEXT, 0):
        raise _Bad("bad otherName")
    return _oid(parts[0]), _parse_first(parts[1].content)


def _general_name_print(gn: _TLV) -> str:
    """GENERAL_NAME_print: ``URI:...``, ``DirName:CN = x``, ``IP Address:...``, ..."""
    if gn.cls != _CONTEXT:
        raise _Bad("not a GeneralName")
    num = gn.num
    if num == 0:
        oid, value = _other_name(gn)
        label = _OTHERNAME_LABELS.get(oid)
        expected = 22 if label == "SRVName" else 12
        if label is None or not value.is_(_UNIVERSAL, expected):
            return "othername:<unsupported>"
        return f"othername:{label}:{_bytes_text(value.content)}"
    if num == 3:
        return "X400Name:<unsupported>"
    if num == 5:
        return "EdiPartyName:<unsupported>"
    if num in (1, 2, 6):
        label = {1: "email", 2: "DNS", 6: "URI"}[num]
        return f"{label}:{_string_print(gn.content)}"
    if num == 4:
        return "DirName:" + _name_oneline_flags(_parse_first(gn.content).raw)
    if num == 7:
        return "IP Address:" + _ip_text(gn.content)
    if num == 8:
        return "Registered ID:" + oid_name(_oid_text(gn.content))
    raise _Bad("bad GeneralName tag")


def _no_nul(data: bytes) -> bytes:
    # x509v3_add_len_value: a value with an embedded NUL is refused (the extension then fails).
    if b"\0" in data[:-1]:
        raise _Bad("embedded NUL")
    return data.rstrip(b"\0") if data.endswith(b"\0") else data


def _general_name_value(gn: _TLV) -> Tuple[Optional[str], Optional[str]]:
    """i2v_GENERAL_NAME: the (name, value) pair X509V3_EXT_val_prn shows as ``name:value``."""
    if gn.cls != _CONTEXT:
        raise _Bad("not a GeneralName")
    num = gn.num
    if num == 0:
        oid, value = _other_name(gn)
        label = _OTHERNAME_LABELS.get(oid)
        if label is not None:
            expected = 22 if label == "SRVName" else 12
            if not value.is_(_UNIVERSAL, expected):
                raise _Bad("bad otherName value")
            return f"othername: {label}:", _bytes_text(_no_nul(value.content))
        prefix = f"othername: {oid_name(oid)}:"
        if value.cls == _UNIVERSAL and value.num in (22, 12) and not value.cons:
            return prefix, _bytes_text(_no_nul(value.content))
        return prefix, "<unsupported>"
    if num == 3:
        return "X400Name", "<unsupported>"
    if num == 5:
        return "EdiPartyName", "<unsupported>"
    if num in (1, 2, 6):
        return {1: "email", 2: "DNS", 6: "URI"}[num], _bytes_text(_no_nul(gn.content))
    if num == 4:
        return "DirName", _name_oneline(_parse_first(gn.content).raw, 256)
    if num == 7:
        return "IP Address", _ip_text(gn.content)
    if num == 8:
        return "Registered ID", oid_name(_oid_text(gn.content))[:255]
    raise _Bad("bad GeneralName tag")


# --------------------------------------------------------------------------------------------
# Extension values (X509V3_EXT_print). Each printer takes the extnValue octets and the indent
# and returns the text OpenSSL prints (without the newline X509V3_extensions_print adds), or
# raises _Bad when OpenSSL's decoder would fail.

_Values = List[Tuple[Optional[str], Optional[str]]]


def _val_print(values: _Values, indent: int, multiline: bool) -> str:
    """X509V3_EXT_val_prn."""
    pad = " " * indent
    if not values:
        return pad + "<EMPTY>\n"
    items = []
    for name, value in values:
        if name is None:
            items.append(value or "")
        elif value is None:
            items.append(name)
        else:
            items.append(f"{name}:{value}")
    if multiline:
        return "\n".join(pad + item for item in items)
    return pad + ", ".join(items)


def _general_names(data: bytes) -> List[_TLV]:
    return _expect(_parse_first(data), 16, True).children()


def _ext_general_names(data: bytes, indent: int) -> str:
    return _val_print([_general_name_value(gn) for gn in _general_names(data)], indent, False)


def _ext_basic_constraints(data: bytes, indent: int) -> str:
    parts = _expect(_parse_first(data), 16, True).children()
    ca = False
    path_len: Optional[int] = None
    if parts and parts[0].is_(_UNIVERSAL, 1):
        if len(parts[0].content) != 1:
            raise _Bad("bad BOOLEAN")
        ca = parts[0].content != b"\x00"
        parts = parts[1:]
    if parts:
        path_len = _integer(parts[0])
        parts = parts[1:]
    if parts:
        raise _Bad("extra fields")
    values: _Values = [("CA", "TRUE" if ca else "FALSE")]
    if path_len is not None:
        values.append(("pathlen", _i2s_integer(path_len)))
    return _val_print(values, indent, False)


def _bits(tlv: _TLV) -> bytes:
    """The octets of a BIT STRING with its unused bits cleared (c2i_ASN1_BIT_STRING)."""
    content = _expect(tlv, 3, False).content
    if not content or content[0] > 7:
        raise _Bad("bad BIT STRING")
    data = bytearray(content[1:])
    if data:
        data[-1] &= 0xFF << content[0] & 0xFF
    return bytes(data)


def _bit_set(data: bytes, bit: int) -> bool:
    return bit // 8 < len(data) and bool(data[bit // 8] & (0x80 >> (bit % 8)))


_KEY_USAGE = (
    "Digital Signature", "Non Repudiation", "Key Encipherment", "Data Encipherment", "Key Agreement",
    "Certificate Sign", "CRL Sign", "Encipher Only", "Decipher Only",
)  # fmt: skip
_NS_CERT_TYPE = (
    "SSL Client", "SSL Server", "S/MIME", "Object Signing", "Unused", "SSL CA", "S/MIME CA", "Object Signing CA",
)  # fmt: skip


def _bit_names(table: Sequence[str]) -> Callable[[bytes, int], str]:
    def printer(data: bytes, indent: int) -> str:
        bits = _bits(_parse_first(data))
        values: _Values = [(name, None) for bit, name in enumerate(table) if _bit_set(bits, bit)]
        return _val_print(values, indent, False)

    return printer


def _ext_key_usage_oids(data: bytes, indent: int) -> str:
    oids = [_oid(item) for item in _expect(_parse_first(data), 16, True).children()]
    return _val_print([(None, oid_name(oid)[:79]) for oid in oids], indent, False)


def _ext_octets_hex(data: bytes, indent: int) -> str:
    return " " * indent + _hex_colons(_expect(_parse_first(data), 4, False).content)


def _ext_akid(data: bytes, indent: int) -> str:
    key_id: Optional[bytes] = None
    issuer: Optional[List[_TLV]] = None
    serial: Optional[bytes] = None
    for part in _expect(_parse_first(data), 16, True).children():
        if part.is_(_CONTEXT, 0) and not part.cons:
            key_id = part.content
        elif part.is_(_CONTEXT, 1) and part.cons:
            issuer = part.children()
        elif part.is_(_CONTEXT, 2) and not part.cons:
            serial = part.content
        else:
            raise _Bad("bad AuthorityKeyIdentifier")
    values: _Values = []
    if key_id is not None:
        values.append(("keyid" if issuer is not None or serial is not None else None, _hex_colons(key_id)))
    if issuer is not None:
        values.extend(_general_name_value(gn) for gn in issuer)
    if serial is not None:
        # OpenSSL holds the INTEGER as its magnitude and prints those octets.
        values.append(("serial", _hex_colons(_magnitude(_int_value(serial)))))
    return _val_print(values, indent, True)


def _ext_info_access(data: bytes, indent: int) -> str:
    values: _Values = []
    for item in _expect(_parse_first(data), 16, True).children():
        parts = _expect(item, 16, True).children()
        if len(parts) != 2:
            raise _Bad("bad AccessDescription")
        name, value = _general_name_value(parts[1])
        values.append((f"{oid_name(_oid(parts[0]))[:79]} - {name}", value))
    return _val_print(values, indent, True)


_REASON_FLAGS = (
    "Unused", "Key Compromise", "CA Compromise", "Affiliation Changed", "Superseded",
    "Cessation Of Operation", "Certificate Hold", "Privilege Withdrawn", "AA Compromise",
)  # fmt: skip


def _print_gens(gens: List[_TLV], indent: int) -> str:
    return "\n".join(" " * (indent + 2) + _general_name_print(gn) for gn in gens)


def _ext_crl_dp(data: bytes, indent: int) -> str:
    out = []
    pad = " " * indent
    for index, point in enumerate(_expect(_parse_first(data), 16, True).children()):
        if index > 0:
            out.append("\n")
        for part in _expect(point, 16, True).children():
            if part.is_(_CONTEXT, 0):
                name = _parse_first(part.content)
                if name.is_(_CONTEXT, 0):
                    out.append(f"{pad}Full Name:\n{_print_gens(name.children(), indent)}")
                elif name.is_(_CONTEXT, 1):
                    # nameRelativeToCRLIssuer: the RDN's attributes, printed as a one-RDN Name.
                    rdn = b"\x31" + _length(len(name.content)) + name.content
                    fragment = b"\x30" + _length(len(rdn)) + rdn
                    out.append(f"{pad}Relative Name:\n{pad}  {_name_oneline_flags(fragment)}\n")
                else:
                    raise _Bad("bad DistributionPointName")
            elif part.is_(_CONTEXT, 1):
                bits = _bits(_TLV(0, False, 3, part.content, b""))
                names = [name for bit, name in enumerate(_REASON_FLAGS) if _bit_set(bits, bit)]
                out.append(f"{pad}Reasons:\n{pad}  {', '.join(names) if names else '<EMPTY>'}\n")
            elif part.is_(_CONTEXT, 2):
                out.append(f"{pad}CRL Issuer:\n{_print_gens(part.children(), indent)}")
            else:
                raise _Bad("bad DistributionPoint")
    return "".join(out)


def _length(length: int) -> bytes:
    if length < 0x80:
        return bytes((length,))
    octets = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(octets),)) + octets


def _display_text(tlv: _TLV) -> str:
    if tlv.cls != _UNIVERSAL or tlv.num not in (12, 22, 26, 30) or tlv.cons:
        raise _Bad("bad DisplayText")
    return _bytes_text(tlv.content.split(b"\0", 1)[0])


def _ext_policies(data: bytes, indent: int) -> str:
    out = []
    for index, info in enumerate(_expect(_parse_first(data), 16, True).children()):
        if index > 0:
            out.append("\n")
        parts = _expect(info, 16, True).children()
        if not parts or len(parts) > 2:
            raise _Bad("bad PolicyInformation")
        out.append(f"{' ' * indent}Policy: {oid_name(_oid(parts[0]))}")
        if len(parts) == 2:
            out.append("\n")
            out.append(_policy_qualifiers(_expect(parts[1], 16, True).children(), indent + 2))
    return "".join(out)


def _policy_qualifiers(qualifiers: List[_TLV], indent: int) -> str:
    out = []
    pad = " " * indent
    for index, qualifier in enumerate(qualifiers):
        if index > 0:
            out.append("\n")
        parts = _expect(qualifier, 16, True).children()
        if len(parts) != 2:
            raise _Bad("bad PolicyQualifierInfo")
        oid = _oid(parts[0])
        if oid == CertificatePoliciesOID.CPS_QUALIFIER:
            uri = _expect(parts[1], 22, False).content.split(b"\0", 1)[0]  # printed with %.*s
            out.append(f"{pad}CPS: {_bytes_text(uri)}")
        elif oid == CertificatePoliciesOID.CPS_USER_NOTICE:
            out.append(f"{pad}User Notice:\n{_user_notice(parts[1], indent + 2)}")
        else:
            out.append(f"{pad}  Unknown Qualifier: {oid_name(oid)}")
    return "".join(out)


def _user_notice(notice: _TLV, indent: int) -> str:
    pad = " " * indent
    ref: Optional[_TLV] = None
    text: Optional[_TLV] = None
    for part in _expect(notice, 16, True).children():
        if part.is_(_UNIVERSAL, 16) and ref is None and text is None:
            ref = part
        elif text is None:
            text = part
        else:
            raise _Bad("bad UserNotice")
    out = []
    if ref is not None:
        fields = ref.children()
        if len(fields) != 2:
            raise _Bad("bad NoticeReference")
        numbers = [_i2s_integer(_integer(n)) for n in _expect(fields[1], 16, True).children()]
        out.append(f"{pad}Organization: {_display_text(fields[0])}\n")
        out.append(f"{pad}Number{'s' if len(numbers) > 1 else ''}: {', '.join(numbers)}")
        if text is not None:
            out.append("\n")
    if text is not None:
        out.append(f"{pad}Explicit Text: {_display_text(text)}")
    return "".join(out)


def _ext_ia5(data: bytes, indent: int) -> str:
    return " " * indent + _bytes_text(_no_nul(_expect(_parse_first(data), 22, False).content))


def _ext_nocheck(data: bytes, indent: int) -> str:
    if _expect(_parse_first(data), 5, False).content:
        raise _Bad("bad NULL")
    return ""


def _ext_nonce(data: bytes, indent: int) -> str:
    # The nonce method reads the extnValue octets as they are (wrapped or not).
    return " " * indent + _i2a_string(data)


def _ext_crl_id(data: bytes, indent: int) -> str:
    pad = " " * indent
    out = []
    for part in _expect(_parse_first(data), 16, True).children():
        if part.cls != _CONTEXT or not part.cons:
            raise _Bad("bad CrlID")
        inner = _parse_first(part.content)
        if part.num == 0:
            out.append(f"{pad}crlUrl: {_string_print(_expect(inner, 22, False).content)}\n")
        elif part.num == 1:
            out.append(f"{pad}crlNum: {_i2a_integer(_integer(inner))}\n")
        elif part.num == 2:
            out.append(f"{pad}crlTime: {_time_print(_expect(inner, 24, False).content, True)}\n")
        else:
            raise _Bad("bad CrlID")
    return "".join(out)


def _ext_generalized_time(data: bytes, indent: int) -> str:
    return " " * indent + _time_print(_expect(_parse_first(data), 24, False).content, True)


def _ext_object(data: bytes, indent: int) -> str:
    return " " * indent + oid_name(_oid(_parse_first(data)))


def _ext_acceptable(data: bytes, indent: int) -> str:
    oids = [_oid(item) for item in _expect(_parse_first(data), 16, True).children()]
    return _val_print([(None, oid_name(oid)[:79]) for oid in oids], indent, False)


def _ext_service_locator(data: bytes, indent: int) -> str:
    parts = _expect(_parse_first(data), 16, True).children()
    if not parts or len(parts) > 2:
        raise _Bad("bad ServiceLocator")
    out = [f"{' ' * indent}Issuer: {_name_oneline_flags(_expect(parts[0], 16, True).raw)}"]
    if len(parts) == 2:
        for item in _expect(parts[1], 16, True).children():
            fields = _expect(item, 16, True).children()
            if len(fields) != 2:
                raise _Bad("bad AccessDescription")
            out.append(f"\n{' ' * (2 * indent)}{oid_name(_oid(fields[0]))} - {_general_name_print(fields[1])}")
    return "".join(out)


_CRL_REASONS = {
    0: "Unspecified", 1: "Key Compromise", 2: "CA Compromise", 3: "Affiliation Changed", 4: "Superseded",
    5: "Cessation Of Operation", 6: "Certificate Hold", 8: "Remove From CRL", 9: "Privilege Withdrawn",
    10: "AA Compromise",
}  # fmt: skip


def _ext_crl_reason(data: bytes, indent: int) -> str:
    value = _integer(_parse_first(data), 10)
    return " " * indent + _CRL_REASONS.get(value, _i2s_integer(value))


def _ext_integer(data: bytes, indent: int) -> str:
    return " " * indent + _i2s_integer(_integer(_parse_first(data)))


def _ext_policy_constraints(data: bytes, indent: int) -> str:
    values: _Values = []
    for part in _expect(_parse_first(data), 16, True).children():
        if part.cls != _CONTEXT or part.cons or part.num not in (0, 1):
            raise _Bad("bad PolicyConstraints")
        label = "Require Explicit Policy" if part.num == 0 else "Inhibit Policy Mapping"
        values.append((label, _i2s_integer(_int_value(part.content))))
    return _val_print(values, indent, False)


def _ext_policy_mappings(data: bytes, indent: int) -> str:
    values: _Values = []
    for item in _expect(_parse_first(data), 16, True).children():
        parts = _expect(item, 16, True).children()
        if len(parts) != 2:
            raise _Bad("bad PolicyMapping")
        values.append((oid_name(_oid(parts[0]))[:79], oid_name(_oid(parts[1]))[:79]))
    return _val_print(values, indent, False)


def _ext_name_constraints(data: bytes, indent: int) -> str:
    trees: Dict[int, List[str]] = {}
    for part in _expect(_parse_first(data), 16, True).children():
        if part.cls != _CONTEXT or part.num not in (0, 1) or part.num in trees:
            raise _Bad("bad NameConstraints")
        lines = []
        for subtree in part.children():
            fields = _expect(subtree, 16, True).children()
            if not fields:
                raise _Bad("bad GeneralSubtree")
            gn = fields[0]
            if gn.cls == _CONTEXT and gn.num == 7 and not gn.cons:
                lines.append(" " * (indent + 2) + "IP:" + _nc_ip(gn.content))
            else:
                lines.append(" " * (indent + 2) + _general_name_print(gn))
        trees[part.num] = lines
    out = []
    for number, label in ((0, "Permitted"), (1, "Excluded")):
        if trees.get(number):
            out.append(f"{' ' * indent}{label}:\n" + "\n".join(trees[number]))
    if 0 in trees and 1 in trees:
        # i2r_NAME_CONSTRAINTS: a newline between the two lists when both are present.
        return (
            (f"{' ' * indent}Permitted:\n" + "\n".join(trees[0]) if trees[0] else "")
            + "\n"
            + (f"{' ' * indent}Excluded:\n" + "\n".join(trees[1]) if trees[1] else "")
        )
    return "".join(out)


def _nc_ip(data: bytes) -> str:
    """print_nc_ipadd: address and mask."""
    if len(data) == 8:
        return ".".join(str(b) for b in data[:4]) + "/" + ".".join(str(b) for b in data[4:])
    if len(data) == 32:
        first = ":".join(f"{data[i] << 8 | data[i + 1]:X}" for i in range(0, 16, 2))
        second = ":".join(f"{data[i] << 8 | data[i + 1]:X}" for i in range(16, 32, 2))
        return f"{first}/{second}"
    return "IP Address:<invalid>"


def _ext_scts(data: bytes, indent: int) -> str:
    octets = _expect(_parse_first(data), 4, False).content
    if len(octets) < 2 or int.from_bytes(octets[:2], "big") != len(octets) - 2:
        raise _Bad("bad SCT list")
    scts = []
    pos = 2
    while pos < len(octets):
        if pos + 2 > len(octets):
            raise _Bad("bad SCT list")
        size = int.from_bytes(octets[pos : pos + 2], "big")
        pos += 2
        if size == 0 or pos + size > len(octets):
            raise _Bad("bad SCT")
        scts.append(_sct_text(octets[pos : pos + size], indent))
        pos += size
    return "\n".join(scts)


def _hex_string(data: bytes, indent: int, width: int = 16) -> str:
    """BIO_hex_string: ``AB:CD:...`` with ``width`` octets per line, later lines indented."""
    if not data:
        return ""
    lines = [":".join(f"{b:02X}" for b in data[i : i + width]) for i in range(0, len(data), width)]
    return (":\n" + " " * indent).join(lines)


def _sct_time(milliseconds: int) -> str:
    """timestamp_print: the SCT's milliseconds since 1970 as a GeneralizedTime with a fraction."""
    try:
        moment = _dt.datetime(1970, 1, 1) + _dt.timedelta(milliseconds=milliseconds - milliseconds % 1000)
    except OverflowError:
        raise _Bad("SCT timestamp out of range") from None
    text = moment.strftime("%Y%m%d%H%M%S") + f".{milliseconds % 1000:03d}Z"
    return _time_print(text.encode("ascii"), True)


def _sct_text(sct: bytes, indent: int) -> str:
    pad = " " * (indent + 4)
    out = [f"{' ' * indent}Signed Certificate Timestamp:\n{pad}Version   : "]
    if sct[0] != 0:
        out.append(f"unknown\n{' ' * (indent + 16)}{_hex_string(sct, indent + 16)}")
        return "".join(out)
    if len(sct) < 43:
        raise _Bad("short SCT")
    log_id = sct[1:33]
    timestamp = int.from_bytes(sct[33:41], "big")
    ext_len = int.from_bytes(sct[41:43], "big")
    pos = 43 + ext_len
    if pos + 4 > len(sct):
        raise _Bad("short SCT")
    extensions = sct[43:pos]
    hash_alg, sig_alg = sct[pos], sct[pos + 1]
    sig_len = int.from_bytes(sct[pos + 2 : pos + 4], "big")
    signature = sct[pos + 4 :]
    if sig_len != len(signature) or sig_len == 0:
        raise _Bad("bad SCT signature")
    out.append(f"v1 (0x0)\n{pad}Log ID    : {_hex_string(log_id, indent + 16)}")
    out.append(f"\n{pad}Timestamp : {_sct_time(timestamp)}")
    out.append(f"\n{pad}Extensions: {_hex_string(extensions, indent + 16) if extensions else 'none'}")
    if hash_alg == 4 and sig_alg == 3:
        algorithm = "ecdsa-with-SHA256"
    elif hash_alg == 4 and sig_alg == 1:
        algorithm = "sha256WithRSAEncryption"
    else:
        algorithm = f"{hash_alg:02X}{sig_alg:02X}"
    out.append(f"\n{pad}Signature : {algorithm}\n{pad}            {_hex_string(signature, indent + 16)}")
    return "".join(out)


def _ext_poison(data: bytes, indent: int) -> str:
    if _expect(_parse_first(data), 5, False).content:
        raise _Bad("bad NULL")
    return " " * indent + "NULL"


def _ext_tls_feature(data: bytes, indent: int) -> str:
    values: _Values = []
    for item in _expect(_parse_first(data), 16, True).children():
        number = _integer(item)
        values.append((None, {5: "status_request", 17: "status_request_v2"}.get(number, _i2s_integer(number))))
    return _val_print(values, indent, False)


def _ext_key_usage_period(data: bytes, indent: int) -> str:
    times: Dict[int, str] = {}
    for part in _expect(_parse_first(data), 16, True).children():
        if part.cls != _CONTEXT or part.cons or part.num not in (0, 1) or part.num in times:
            raise _Bad("bad PrivateKeyUsagePeriod")
        times[part.num] = _time_print(part.content, True)
    shown = []
    if 0 in times:
        shown.append(f"Not Before: {times[0]}")
    if 1 in times:
        shown.append(f"Not After: {times[1]}")
    return " " * indent + ", ".join(shown)


_EXTENSION_PRINTERS: Dict[str, Callable[[bytes, int], str]] = {
    ExtensionOID.SUBJECT_KEY_IDENTIFIER: _ext_octets_hex,
    ExtensionOID.KEY_USAGE: _bit_names(_KEY_USAGE),
    ExtensionOID.PRIVATE_KEY_USAGE_PERIOD: _ext_key_usage_period,
    ExtensionOID.SUBJECT_ALTERNATIVE_NAME: _ext_general_names,
    ExtensionOID.ISSUER_ALTERNATIVE_NAME: _ext_general_names,
    ExtensionOID.BASIC_CONSTRAINTS: _ext_basic_constraints,
    ExtensionOID.CRL_NUMBER: _ext_integer,
    CRLEntryExtensionOID.CRL_REASON: _ext_crl_reason,
    CRLEntryExtensionOID.HOLD_INSTRUCTION_CODE: _ext_object,
    CRLEntryExtensionOID.INVALIDITY_DATE: _ext_generalized_time,
    ExtensionOID.DELTA_CRL_INDICATOR: _ext_integer,
    CRLEntryExtensionOID.CERTIFICATE_ISSUER: _ext_general_names,
    ExtensionOID.NAME_CONSTRAINTS: _ext_name_constraints,
    ExtensionOID.CRL_DISTRIBUTION_POINTS: _ext_crl_dp,
    ExtensionOID.CERTIFICATE_POLICIES: _ext_policies,
    ExtensionOID.POLICY_MAPPINGS: _ext_policy_mappings,
    ExtensionOID.AUTHORITY_KEY_IDENTIFIER: _ext_akid,
    ExtensionOID.POLICY_CONSTRAINTS: _ext_policy_constraints,
    ExtensionOID.EXTENDED_KEY_USAGE: _ext_key_usage_oids,
    ExtensionOID.FRESHEST_CRL: _ext_crl_dp,
    ExtensionOID.INHIBIT_ANY_POLICY: _ext_integer,
    ExtensionOID.AUTHORITY_INFORMATION_ACCESS: _ext_info_access,
    ExtensionOID.SUBJECT_INFORMATION_ACCESS: _ext_info_access,
    ExtensionOID.TLS_FEATURE: _ext_tls_feature,
    OCSPExtensionOID.NONCE: _ext_nonce,
    OCSPExtensionOID.CRL_ID: _ext_crl_id,
    OCSPExtensionOID.ACCEPTABLE_RESPONSES: _ext_acceptable,
    OCSPExtensionOID.NO_CHECK: _ext_nocheck,
    OCSPExtensionOID.ARCHIVE_CUTOFF: _ext_generalized_time,
    OCSPExtensionOID.SERVICE_LOCATOR: _ext_service_locator,
    ExtensionOID.PRECERT_SIGNED_CERTIFICATE_TIMESTAMPS: _ext_scts,
    ExtensionOID.PRECERT_POISON: _ext_poison,
    OCSPExtensionOID.SIGNED_CERTIFICATE_TIMESTAMPS: _ext_scts,  # RFC 6962 3.3, in OCSP
    ExtensionOID.NETSCAPE_CERT_TYPE: _bit_names(_NS_CERT_TYPE),
    ExtensionOID.NETSCAPE_BASE_URL: _ext_ia5,
    ExtensionOID.NETSCAPE_REVOCATION_URL: _ext_ia5,
    ExtensionOID.NETSCAPE_CA_REVOCATION_URL: _ext_ia5,
    ExtensionOID.NETSCAPE_RENEWAL_URL: _ext_ia5,
    ExtensionOID.NETSCAPE_CA_POLICY_URL: _ext_ia5,
    ExtensionOID.NETSCAPE_SSL_SERVER_NAME: _ext_ia5,
    ExtensionOID.NETSCAPE_COMMENT: _ext_ia5,
}


def _extension_value_text(oid: str, raw_value: bytes, indent: int) -> str:
    """X509V3_EXT_print, and when it fails, OpenSSL's fallback: the raw octets as a string."""
    printer = _EXTENSION_PRINTERS.get(oid)
    if printer is not None:
        try:
            return printer(raw_value, indent)
        except (_Bad, ValueError, IndexError, KeyError, OverflowError):
            pass
    return " " * indent + _string_print(raw_value)


def _extensions_text(title: Optional[str], extensions: Sequence[Tuple[str, bool, bytes]], indent: int) -> str:
    """X509V3_extensions_print: a title, then each extension's name, ``critical`` and value."""
    if not extensions:
        return ""
    out = []
    if title:
        out.append(f"{' ' * indent}{title}:\n")
        indent += 4
    for oid, critical, raw_value in extensions:
        out.append(f"{' ' * indent}{oid_name(oid)}: {'critical' if critical else ''}\n")
        out.append(_extension_value_text(oid, raw_value, indent + 4))
        out.append("\n")
    return "".join(out)


def _extension_list(tlv: Optional[_TLV]) -> List[Tuple[str, bool, bytes]]:
    """(OID, critical, extnValue) of each Extension in an Extensions SEQUENCE."""
    if tlv is None:
        return []
    out = []
    for item in _expect(tlv, 16, True).children():
        parts = item.children()
        critical = False
        if len(parts) == 3:
            critical = parts[1].content not in (b"", b"\x00")
        out.append((_oid(parts[0]), critical, parts[-1].content))
    return out


# --------------------------------------------------------------------------------------------
# Signatures and public keys


def _signature_dump(signature: bytes, indent: int) -> str:
    """X509_signature_dump: lower-case ``aa:bb`` hex, 18 octets per line."""
    lines = [" " * indent + ":".join(f"{b:02x}" for b in signature[i : i + 18]) for i in range(0, len(signature), 18)]
    return ":\n".join(lines) + "\n"


def _pss_params_text(params: Optional[bytes], indent: int) -> str:
    """rsa_pss_param_print for a signature's RSASSA-PSS-params."""
    pad = " " * indent
    fields: Dict[int, _TLV] = {}
    try:
        if params is None:
            raise _Bad("no parameters")
        for part in _expect(_parse_first(params), 16, True).children():
            if part.cls != _CONTEXT or part.num > 3 or part.num in fields:
                raise _Bad("bad RSASSA-PSS-params")
            fields[part.num] = _parse_first(part.content)
        hash_text = "sha1 (default)"
        if 0 in fields:
            hash_text = oid_name(_oid(fields[0].children()[0]))
        mask_text = "mgf1 with sha1 (default)"
        if 1 in fields:
            mgf = fields[1].children()
            mask_text = oid_name(_oid(mgf[0])) + " with "
            try:
                if _oid(mgf[0]) != MaskGenerationFunctionOID.MGF1:
                    raise _Bad("not MGF1")
                mask_text += oid_name(_oid(mgf[1].children()[0]))
            except (_Bad, IndexError):
                mask_text += "INVALID"
        salt = "14 (default)" if 2 not in fields else _i2a_integer(_integer(fields[2]))
        trailer = "01 (default)" if 3 not in fields else _i2a_integer(_integer(fields[3]))
    except (_Bad, IndexError):
        return pad + "(INVALID PSS PARAMETERS)\n"
    return (
        f"{pad}\n{pad}Hash Algorithm: {hash_text}\n{pad}Mask Algorithm: {mask_text}\n"
        f"{pad} Salt Length: 0x{salt}\n{pad}Trailer Field: 0x{trailer}\n"
    )


def _signature_text(algorithm_der: bytes, signature: Optional[bytes]) -> str:
    """X509_signature_print: ``    Signature Algorithm: ...``, then (with a signature) its
    ``Signature Value:`` hex dump; RSASSA-PSS parameters are printed as OpenSSL prints them."""
    try:
        parts = _expect(_parse_first(algorithm_der), 16, True).children()
        oid = _oid(parts[0])
        params = parts[1].raw if len(parts) > 1 else None
    except (_Bad, IndexError):
        oid, params = "", None
    out = [f"    Signature Algorithm: {oid_name(oid)}"]
    if signature is not None:
        out.append("\n    Signature Value:")
    if oid == SignatureAlgorithmOID.RSASSA_PSS:
        out.append(_pss_params_text(params, 8))
    elif oid in _DSA_SIGNATURES and signature is not None:
        try:
            r_tlv, s_tlv = _expect(_parse_first(signature), 16, True).children()[:2]
            r_value, s_value = _integer(r_tlv), _integer(s_tlv)
        except (_Bad, ValueError):
            pass
        else:
            # dsa_sig_print: r and s (ASN1_bn_print), without the hex dump.
            return "".join(out) + "\n" + _asn1_bn_text("r:   ", r_value, 8) + _asn1_bn_text("s:   ", s_value, 8)
        out.append("\n")
    else:
        out.append("\n")
    if signature is not None:
        out.append(_signature_dump(signature, 8))
    return "".join(out)


# Signature algorithms whose key type is DSA (dsa_sig_print prints r and s).
_DSA_SIGNATURES = frozenset((
    SignatureAlgorithmOID.DSA_WITH_SHA1,
    SignatureAlgorithmOID.DSA_WITH_SHA1_OIW,
    SignatureAlgorithmOID.DSA_WITH_SHA,
    SignatureAlgorithmOID.DSA_WITH_SHA224,
    SignatureAlgorithmOID.DSA_WITH_SHA256,
    SignatureAlgorithmOID.DSA_WITH_SHA384,
    SignatureAlgorithmOID.DSA_WITH_SHA512,
    SignatureAlgorithmOID.DSA_WITH_SHA3_224,
    SignatureAlgorithmOID.DSA_WITH_SHA3_256,
    SignatureAlgorithmOID.DSA_WITH_SHA3_384,
    SignatureAlgorithmOID.DSA_WITH_SHA3_512,
))


def _asn1_bn_text(label: str, value: int, indent: int) -> str:
    """ASN1_bn_print: decimal and hex for values of 8 octets at most, else a hex dump with 15
    octets per line (trailing colons), indented by four more."""
    pad = " " * indent
    if value == 0:
        return f"{pad}{label} 0\n"
    neg = "-" if value < 0 else ""
    if abs(value).bit_length() <= 64:
        return f"{pad}{label} {neg}{abs(value)} ({neg}0x{abs(value):x})\n"
    data = _magnitude(value)
    if data[0] & 0x80:
        data = b"\x00" + data
    inner = " " * (indent + 4)
    lines = [inner + ":".join(f"{b:02x}" for b in data[i : i + 15]) for i in range(0, len(data), 15)]
    return f"{pad}{label}{' (Negative)' if value < 0 else ''}\n" + ":\n".join(lines) + "\n"


def _bignum_text(label: str, value: int) -> str:
    """The provider's print_labeled_bignum (RSA modulus and exponent, DSA values), before
    indenting."""
    if value == 0:
        return f"{label} 0\n"
    neg = "-" if value < 0 else ""
    if abs(value).bit_length() <= 64:
        return f"{label} {neg}{abs(value)} ({neg}0x{abs(value):x})\n"
    data = _magnitude(value)
    if data[0] & 0x80:
        data = b"\x00" + data
    lines = [":".join(f"{b:02x}" for b in data[i : i + 15]) for i in range(0, len(data), 15)]
    return f"{label}{' (Negative)' if value < 0 else ''}\n    " + ":\n    ".join(lines) + "\n"


_PSS_HASH_NAMES = {
    HashAlgorithmOID.SHA1: "SHA1",
    HashAlgorithmOID.SHA224: "SHA2-224",
    HashAlgorithmOID.SHA256: "SHA2-256",
    HashAlgorithmOID.SHA384: "SHA2-384",
    HashAlgorithmOID.SHA512: "SHA2-512",
    HashAlgorithmOID.SHA512_224: "SHA2-512/224",
    HashAlgorithmOID.SHA512_256: "SHA2-512/256",
}


def _pss_key_restrictions(params: Optional[bytes]) -> str:
    """The provider's text for the parameters of an RSASSA-PSS key."""
    if params is None:
        return "No PSS parameter restrictions\n"
    fields: Dict[int, _TLV] = {}
    for part in _expect(_parse_first(params), 16, True).children():
        if part.cls != _CONTEXT or part.num > 3:
            raise _Bad("bad RSASSA-PSS-params")
        fields[part.num] = _parse_first(part.content)
    hash_oid = _oid(fields[0].children()[0]) if 0 in fields else HashAlgorithmOID.SHA1
    mask_hash = HashAlgorithmOID.SHA1
    if 1 in fields:
        mgf = fields[1].children()
        if _oid(mgf[0]) != MaskGenerationFunctionOID.MGF1:
            raise _Bad("not MGF1")
        mask_hash = _oid(mgf[1].children()[0])
    salt = _integer(fields[2]) if 2 in fields else 20
    trailer = _integer(fields[3]) if 3 in fields else 1
    sha1 = HashAlgorithmOID.SHA1
    return (
        "PSS parameter restrictions:\n"
        f"  Hash Algorithm: {_PSS_HASH_NAMES[hash_oid]}{' (default)' if hash_oid == sha1 else ''}\n"
        f"  Mask Algorithm: MGF1 with {_PSS_HASH_NAMES[mask_hash]}{' (default)' if mask_hash == sha1 else ''}\n"
        f"  Minimum Salt Length: {int_text(salt)}{' (default)' if salt == 20 else ''}\n"
        f"  Trailer Field: 0x{trailer:x}{' (default)' if trailer == 1 else ''}\n"
    )


def _buf_text(label: str, data: bytes) -> str:
    """print_labeled_buf (EC and EdDSA public keys), before indenting."""
    lines = [":".join(f"{b:02x}" for b in data[i : i + 15]) for i in range(0, len(data), 15)]
    return f"{label}\n    " + ":\n    ".join(lines) + "\n"


# Named curves: OpenSSL's short name, the bits of the group order, the NIST name if any.
_CURVES = {
    EllipticCurveOID.SECP192R1: ("prime192v1", 192, "P-192"),
    EllipticCurveOID.SECP224R1: ("secp224r1", 224, "P-224"),
    EllipticCurveOID.SECP256R1: ("prime256v1", 256, "P-256"),
    EllipticCurveOID.SECP384R1: ("secp384r1", 384, "P-384"),
    EllipticCurveOID.SECP521R1: ("secp521r1", 521, "P-521"),
    EllipticCurveOID.SECP256K1: ("secp256k1", 256, None),
    EllipticCurveOID.BRAINPOOLP192R1: ("brainpoolP192r1", 192, None),
    EllipticCurveOID.BRAINPOOLP224R1: ("brainpoolP224r1", 224, None),
    EllipticCurveOID.BRAINPOOLP256R1: ("brainpoolP256r1", 256, None),
    EllipticCurveOID.BRAINPOOLP320R1: ("brainpoolP320r1", 320, None),
    EllipticCurveOID.BRAINPOOLP384R1: ("brainpoolP384r1", 384, None),
    EllipticCurveOID.BRAINPOOLP512R1: ("brainpoolP512r1", 512, None),
}


def _public_key_text(spki_der: bytes) -> Tuple[str, str]:
    """The public key algorithm's OID and EVP_PKEY_print_public's text (indent 16) for RSA, EC
    on named curves, Ed25519 and Ed448."""
    try:
        parts = _expect(_parse_first(spki_der), 16, True).children()
        algorithm = _expect(parts[0], 16, True).children()
        oid = _oid(algorithm[0])
        key = _bits(parts[1])
    except (_Bad, IndexError):
        return "", " " * 12 + "Unable to load Public Key\n"
    body: Optional[str] = None
    try:
        if oid == PublicKeyAlgorithmOID.RSA_ENCRYPTION:
            fields = _expect(_parse_first(key), 16, True).children()
            modulus, exponent = _integer(fields[0]), _integer(fields[1])
            body = (
                f"Public-Key: ({modulus.bit_length()} bit)\n"
                + _bignum_text("Modulus:", modulus)
                + _bignum_text("Exponent:", exponent)
            )
        elif oid == PublicKeyAlgorithmOID.RSASSA_PSS:  # an RSASSA-PSS key, maybe with parameter restrictions
            fields = _expect(_parse_first(key), 16, True).children()
            modulus, exponent = _integer(fields[0]), _integer(fields[1])
            body = (
                f"Public-Key: ({modulus.bit_length()} bit)\n"
                + _bignum_text("Modulus:", modulus)
                + _bignum_text("Exponent:", exponent)
                + _pss_key_restrictions(algorithm[1].raw if len(algorithm) > 1 else None)
            )
        elif oid == PublicKeyAlgorithmOID.DSA:
            params = _expect(algorithm[1], 16, True).children()
            p_, q_, g_ = (_integer(item) for item in params[:3])
            body = (
                f"Public-Key: ({p_.bit_length()} bit)\n"
                + _bignum_text("pub: ", _integer(_parse_first(key)))
                + _bignum_text("P:   ", p_)
                + _bignum_text("Q:   ", q_)
                + _bignum_text("G:   ", g_)
            )
        elif oid == PublicKeyAlgorithmOID.EC_PUBLIC_KEY:
            curve = _CURVES.get(_oid(algorithm[1]))
            if curve is not None:
                name, bits, nist = curve
                body = f"Public-Key: ({bits} bit)\n" + _buf_text("pub:", key) + f"ASN1 OID: {name}\n"
                if nist:
                    body += f"NIST CURVE: {nist}\n"
        elif oid in (PublicKeyAlgorithmOID.ED25519, PublicKeyAlgorithmOID.ED448):
            body = f"{short_name(oid)} Public-Key:\n" + _buf_text("pub:", key)
    except (_Bad, IndexError, KeyError):
        body = None
    if body is None:
        return oid, " " * 12 + "Unable to load Public Key\n"
    return oid, "".join(" " * 16 + line + "\n" for line in body.splitlines())


# --------------------------------------------------------------------------------------------
# Certificates (X509_print with XN_FLAG_COMPAT and X509_FLAG_COMPAT, then PEM_write_bio_X509)


def _pem(der: bytes) -> str:
    b64 = base64.b64encode(der).decode("ascii")
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "".join(line + "\n" for line in lines) + "-----END CERTIFICATE-----\n"


def _cert_der(cert: Any) -> bytes:
    if isinstance(cert, (bytes, bytearray)):
        return bytes(cert)
    if isinstance(cert, x509.Certificate):
        return received(cert)
    raise OCSPTypeError(f"a certificate must be DER bytes or an asn1crypto Certificate, got {type(cert).__name__}")


def certificate_text(cert: Any, *, pem: bool = True) -> str:
    """One certificate as ``openssl ocsp -resp_text`` prints an embedded one (X509_print):
    ``Certificate:``, ``Data:``, version, serial, signature algorithm, issuer, validity,
    subject, public key, the X509v3 extensions OpenSSL decodes (others as their raw octets, as
    OpenSSL shows an extension it cannot read) and the signature; then the PEM block.

    ``cert`` is DER bytes or an asn1crypto Certificate; bytes that are not a certificate raise
    :class:`~ocspkit.errors.ParseError`.
    """
    der = _cert_der(cert)
    try:
        return _certificate_text(der, pem)
    except (_Bad, ValueError, IndexError) as error:
        raise ParseError(f"cannot print this certificate: {error}") from None


def _certificate_text(der: bytes, pem: bool) -> str:
    out = ["Certificate:\n    Data:\n"]
    top = _expect(_parse_first(der), 16, True).children()
    fields = _expect(top[0], 16, True).children()
    version = 0
    if fields and fields[0].is_(_CONTEXT, 0):
        version = _integer(_parse_first(fields[0].content))
        fields = fields[1:]
    if len(fields) < 6 or len(top) < 3:
        raise _Bad("too few fields")
    serial_tlv, signature_alg, issuer, validity, subject, spki = fields[:6]
    extra = fields[6:]
    if 0 <= version <= 2:
        out.append(f"        Version: {version + 1} (0x{version:x})\n")
    else:
        out.append(f"        Version: Unknown ({_asn1_long(version)})\n")
    out.append("        Serial Number:")
    serial_content = serial_tlv.content
    serial = int.from_bytes(serial_content, "big", signed=True) if serial_content else 0
    magnitude = _magnitude(serial)
    # ASN1_INTEGER_get: a value that fits a C long, -1 standing for "does not fit".
    if len(magnitude) <= 8 and -(2**63) <= serial < 2**63 and serial != -1:
        neg = "-" if serial < 0 else ""
        out.append(f" {neg}{abs(serial)} ({neg}0x{abs(serial):x})\n")
    else:
        neg = " (Negative)" if serial < 0 else ""
        out.append(f"\n{' ' * 12}{neg}" + ":".join(f"{b:02x}" for b in magnitude) + "\n")
    out.append("    " + _signature_text(signature_alg.raw, None))
    out.append(f"        Issuer: {_name_compat(issuer.raw)}\n")
    out.append("        Validity\n")
    try:
        times = validity.children()
        not_before, not_after = _time_tlv_print(times[0]), _time_tlv_print(times[1])
    except (_Bad, IndexError):
        not_before = not_after = "Bad time value"
    out.append(f"            Not Before: {not_before}\n            Not After : {not_after}\n")
    out.append(f"        Subject: {_name_compat(subject.raw)}\n")
    out.append("        Subject Public Key Info:\n")
    key_oid, key_text = _public_key_text(spki.raw)
    out.append(f"            Public Key Algorithm: {oid_name(key_oid)}\n")
    out.append(key_text)
    extensions: Optional[_TLV] = None
    for item in extra:
        if item.is_(_CONTEXT, 1) or item.is_(_CONTEXT, 2):
            label = "Issuer" if item.num == 1 else "Subject"
            with contextlib.suppress(_Bad):
                unique_id = _bits(_TLV(0, False, 3, item.content, b""))
                out.append(f"        {label} Unique ID: {_signature_dump(unique_id, 12)}")
        elif item.is_(_CONTEXT, 3):
            with contextlib.suppress(_Bad):
                extensions = _parse_first(item.content)
    with contextlib.suppress(_Bad, IndexError):
        out.append(_extensions_text("X509v3 extensions", _extension_list(extensions), 8))
    try:
        signature = _bits(top[2])
    except (_Bad, IndexError):
        signature = b""
    out.append(_signature_text(top[1].raw, signature))
    if pem:
        out.append(_pem(der))
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Requests and responses
#
# The printers work on the asn1crypto trees of ocspkit.asn1 (a view's ``asn1``), so that bytes
# ocspkit's loaders refuse but OpenSSL prints (an explicit v2, a responseStatus outside RFC
# 6960, an unknown critical extension) print as OpenSSL prints them too.

_Message = Union[OCSPRequest, OCSPResponse, bytes, bytearray, memoryview, str]


# BER that ocspkit's loaders accept (and record) but OpenSSL's decoder refuses: an INTEGER or
# ENUMERATED with a redundant leading octet ("illegal padding" in c2i_ibuf).
_OPENSSL_REFUSES = frozenset(("integer_not_minimal",))


def _tree(message: Any, view: Any, loader: Callable[..., Any], spec: Any, label: str, what: str) -> Any:
    """The asn1crypto tree of a view, or of DER / PEM bytes (loaded leniently, see above)."""
    if isinstance(message, view):
        return message.asn1
    if not isinstance(message, (bytes, bytearray, memoryview, str)):
        raise OCSPTypeError(
            f"{what} must be an ocspkit.{view.__name__} or DER / PEM bytes, got {type(message).__name__}"
        )
    try:
        loaded = loader(message, allow_unknown_critical=True)
    except ParseError as error:
        refused = error
    else:
        for deviation in loaded.deviations:
            if deviation.code in _OPENSSL_REFUSES:
                raise ParseError(f"OpenSSL refuses this {what}: {deviation.message}", path=deviation.path)
        return loaded.asn1
    der = to_der(message, (label,), what)
    try:
        return spec.load(der)
    except ValueError:
        raise refused from None


def _unwrap(value: Any) -> _TLV:
    """The element inside an EXPLICIT tag, from an asn1crypto value's encoding."""
    return _parse_first(_parse_first(received(value)).content)


def _void(value: Any) -> bool:
    return value is None or value.__class__.__name__ == "Void"


def _version(value: Any) -> int:
    return 0 if _void(value) else _int_value(bytes(value.contents))


def _cert_id_text(cert_id: Any, indent: int) -> str:
    """ocsp_certid_print, from an asn1crypto CertID."""
    pad = " " * indent
    inner = " " * (indent + 2)
    algorithm = cert_id["hash_algorithm"]["algorithm"].dotted
    return (
        f"{pad}Certificate ID:\n"
        f"{inner}Hash Algorithm: {oid_name(algorithm)}\n"
        f"{inner}Issuer Name Hash: {_i2a_string(bytes(cert_id['issuer_name_hash'].contents))}\n"
        f"{inner}Issuer Key Hash: {_i2a_string(bytes(cert_id['issuer_key_hash'].contents))}\n"
        f"{inner}Serial Number: {_i2a_integer(_int_value(bytes(cert_id['serial_number'].contents)))}\n"
    )


def _tree_extensions(value: Any) -> List[Tuple[str, bool, bytes]]:
    """The (OID, critical, extnValue) of each extension of an asn1crypto Extensions field."""
    if _void(value):
        return []
    tlv = _parse_first(received(value))
    if tlv.cls == _CONTEXT:  # the field's EXPLICIT tag
        tlv = _parse_first(tlv.content)
    return _extension_list(tlv)


def _signature_octets(bit_string: Any) -> bytes:
    """The octets of a signature BIT STRING as OpenSSL holds them (unused bits cleared)."""
    return _bits(_TLV(0, False, 3, bytes(bit_string.contents), b""))


def _certs_der(value: Any) -> List[bytes]:
    return [] if _void(value) else [received(cert) for cert in value]


def request_text(request: _Message) -> str:
    """What ``openssl ocsp -reqin F -req_text`` prints for ``request`` (OCSP_REQUEST_print):
    version, requestor name, each CertID with its single extensions, the request extensions,
    and for a signed request the signature and each certificate with its PEM block.

    ``request`` is an :class:`~ocspkit.OCSPRequest`, or its DER / PEM bytes: bytes that
    :func:`~ocspkit.load_request` refuses but OpenSSL reads (an explicit version other than v1,
    an unknown critical extension) are printed as OpenSSL prints them; bytes neither reads raise
    :class:`~ocspkit.errors.ParseError`.
    """
    tree = _tree(request, OCSPRequest, load_request, _asn1.OCSPRequest, "OCSP REQUEST", "request")
    try:
        return _request_text(tree)
    except (_Bad, ValueError, TypeError, KeyError, IndexError) as error:
        raise ParseError(f"cannot print this request: {error}") from None


def _request_text(tree: Any) -> str:
    tbs = tree["tbs_request"]
    version = _asn1_long(_version(tbs["version"]))
    out = [f"OCSP Request Data:\n    Version: {(version + 1) & _ULONG} (0x{version & _ULONG:x})"]
    if not _void(tbs["requestor_name"]):
        out.append("\n    Requestor Name: " + _general_name_print(_unwrap(tbs["requestor_name"])))
    out.append("\n    Requestor List:\n")
    for item in tbs["request_list"]:
        out.append(_cert_id_text(item["req_cert"], 8))
        out.append(
            _extensions_text("Request Single Extensions", _tree_extensions(item["single_request_extensions"]), 8)
        )
    out.append(_extensions_text("Request Extensions", _tree_extensions(tbs["request_extensions"]), 4))
    signature = tree["optional_signature"]
    if not _void(signature):
        out.append(
            _signature_text(received(signature["signature_algorithm"]), _signature_octets(signature["signature"]))
        )
        for cert in _certs_der(signature["certs"]):
            out.append(certificate_text(cert))
    return "".join(out)


def _single_text(single: Any) -> str:
    """One SingleResponse of OCSP_RESPONSE_print."""
    out = [_cert_id_text(single["cert_id"], 4)]
    status = single["cert_status"]
    number = {"good": 0, "revoked": 1, "unknown": 2}[status.name]
    out.append(f"    Cert Status: {cert_status_str(number)}")
    if number == 1:
        info = status.chosen
        out.append(f"\n    Revocation Time: {_asn1_time_print(info['revocation_time'])}")
        reason = info["revocation_reason"]
        if not _void(reason):
            value = _int_value(bytes(reason.contents))
            out.append(f"\n    Revocation Reason: {crl_reason_str(value)} (0x{value & 0xFFFFFFFFFFFFFFFF:x})")
    out.append(f"\n    This Update: {_asn1_time_print(single['this_update'])}")
    if not _void(single["next_update"]):
        out.append(f"\n    Next Update: {_asn1_time_print(single['next_update'])}")
    out.append("\n")
    out.append(_extensions_text("Response Single Extensions", _tree_extensions(single["single_extensions"]), 8))
    out.append("\n")
    return "".join(out)


def _responder_id_text(responder: Any) -> str:
    inner = _unwrap(responder)
    if responder.name == "by_name":
        return _name_oneline_flags(inner.raw)
    return _i2a_string(_expect(inner, 4, False).content)


def response_text(response: _Message) -> str:
    """What ``openssl ocsp -respin F -resp_text`` prints for ``response`` (OCSP_RESPONSE_print):
    status, type, version, responder ID, producedAt, each SingleResponse with its extensions,
    the response extensions, the signature, then each certificate with its PEM block.

    ``response`` is an :class:`~ocspkit.OCSPResponse`, or its DER / PEM bytes: bytes that
    :func:`~ocspkit.load_response` refuses but OpenSSL reads (an explicit version other than
    v1, an unknown critical extension, a responseStatus RFC 6960 does not define, a responseType
    other than id-pkix-ocsp-basic) are printed as OpenSSL prints them; bytes neither reads raise
    :class:`~ocspkit.errors.ParseError`.

    ``openssl ocsp`` itself first prints :func:`responder_error_text` for a status other than
    successful and stops there unless given ``-ignore_err``; that line is the command's, not
    part of this text.
    """
    tree = _tree(response, OCSPResponse, load_response, _asn1.OCSPResponse, "OCSP RESPONSE", "response")
    try:
        return _response_text(tree)
    except (_Bad, ValueError, TypeError, KeyError, IndexError) as error:
        raise ParseError(f"cannot print this response: {error}") from None


def _response_status(tree: Any) -> int:
    return _int_value(bytes(tree["response_status"].contents))


def _response_text(tree: Any) -> str:
    status = _response_status(tree)
    shown = status & 0xFFFFFFFFFFFFFFFF  # printed as the C long's %lx
    out = [f"OCSP Response Data:\n    OCSP Response Status: {response_status_str(status)} (0x{shown:x})\n"]
    response_bytes = tree["response_bytes"]
    if _void(response_bytes):
        return "".join(out)
    response_type = response_bytes["response_type"].dotted
    out.append(f"    Response Type: {oid_name(response_type)}")
    if response_type != OCSPResponseTypeOID.BASIC:
        out.append(" (unknown response type)\n")
        return "".join(out)
    basic = response_bytes["response"].parsed
    data = basic["tbs_response_data"]
    version = _asn1_long(_version(data["version"]))
    out.append(f"\n    Version: {(version + 1) & _ULONG} (0x{version & _ULONG:x})\n    Responder Id: ")
    out.append(_responder_id_text(data["responder_id"]))
    out.append(f"\n    Produced At: {_asn1_time_print(data['produced_at'])}\n    Responses:\n")
    for single in data["responses"]:
        out.append(_single_text(single))
    out.append(_extensions_text("Response Extensions", _tree_extensions(data["response_extensions"]), 4))
    out.append(_signature_text(received(basic["signature_algorithm"]), _signature_octets(basic["signature"])))
    for cert in _certs_der(basic["certs"]):
        out.append(certificate_text(cert))
    return "".join(out)


def responder_error_text(response: _Message) -> Optional[str]:
    """The line ``openssl ocsp`` prints before the text of a response whose status is not
    successful, ``Responder Error: malformedrequest (1)``; None for a successful response.

    ``response`` is an :class:`~ocspkit.OCSPResponse` or its DER / PEM bytes (read as
    :func:`response_text` reads them, so a status RFC 6960 leaves undefined gives
    ``Responder Error: (UNKNOWN) (7)`` as OpenSSL prints it).
    """
    tree = _tree(response, OCSPResponse, load_response, _asn1.OCSPResponse, "OCSP RESPONSE", "response")
    try:
        status = _response_status(tree)
    except (_Bad, ValueError) as error:
        raise ParseError(f"cannot read the responseStatus: {error}") from None
    if status == 0:
        return None
    return f"Responder Error: {response_status_str(status)} ({_enumerated_int(status)})\n"


# --------------------------------------------------------------------------------------------
# JSON

_Json = Union[None, bool, int, str, List[Any], Dict[str, Any]]


def _iso(value: Optional[_dt.datetime]) -> Optional[str]:
    """ISO 8601 in UTC with ``Z``; fractions of a second only when the time has them."""
    if value is None:
        return None
    value = value.astimezone(_dt.timezone.utc)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text + "Z"


def _hex(data: Optional[bytes]) -> Optional[str]:
    return None if data is None else data.hex().upper()


def _cert_id_json(cert_id: CertID) -> Dict[str, Any]:
    algorithm = cert_id.asn1["hash_algorithm"]["algorithm"].dotted
    return {
        "hash_algorithm": oid_name(algorithm),
        "hash_algorithm_oid": algorithm,
        "issuer_name_hash": _hex(cert_id.issuer_name_hash),
        "issuer_key_hash": _hex(cert_id.issuer_key_hash),
        "serial_number": _i2a_integer(cert_id.serial_number).replace("\\\n", ""),
        "serial_number_int": int_json(cert_id.serial_number),
    }


def _extension_value_json(extension: Extension) -> _Json:
    """The decoded value of the extensions ocspkit knows, else None."""
    oid = extension.oid
    try:
        if oid == OCSPExtensionOID.NONCE:
            nonce, form = read_nonce(extension.raw_value)
            return {"nonce": _hex(nonce), "form": form.value}
        if oid in (OCSPExtensionOID.ARCHIVE_CUTOFF, CRLEntryExtensionOID.INVALIDITY_DATE):
            tlv = _expect(_parse_first(extension.raw_value), 24, False)
            return _iso(_json_time(tlv.content))
        if oid == CRLEntryExtensionOID.CRL_REASON:
            value = _integer(_parse_first(extension.raw_value), 10)
            return {"code": int_json(value), "name": crl_reason_str(value)}
        if oid == OCSPExtensionOID.CRL_ID:
            result: Dict[str, Any] = {"url": None, "number": None, "time": None}
            for part in _expect(_parse_first(extension.raw_value), 16, True).children():
                inner = _parse_first(part.content)
                if part.num == 0:
                    result["url"] = _bytes_text(inner.content)
                elif part.num == 1:
                    result["number"] = int_json(_integer(inner))
                elif part.num == 2:
                    result["time"] = _iso(_json_time(inner.content))
            return result
        if oid in (OCSPExtensionOID.ACCEPTABLE_RESPONSES, ExtensionOID.EXTENDED_KEY_USAGE):
            return [_oid(item) for item in _expect(_parse_first(extension.raw_value), 16, True).children()]
        if oid in (OCSPExtensionOID.EXTENDED_REVOKE, OCSPExtensionOID.NO_CHECK):
            return None
        if oid == CRLEntryExtensionOID.HOLD_INSTRUCTION_CODE:
            return _oid(_parse_first(extension.raw_value))
        if oid == CRLEntryExtensionOID.CERTIFICATE_ISSUER:
            return [_general_name_print(gn) for gn in _general_names(extension.raw_value)]
        if oid == OCSPExtensionOID.SERVICE_LOCATOR:
            parts = _expect(_parse_first(extension.raw_value), 16, True).children()
            locator = []
            for item in parts[1].children() if len(parts) > 1 else []:
                method, location = item.children()
                locator.append({"method": _oid(method), "location": _general_name_print(location)})
            return {"issuer": _name_oneline_flags(parts[0].raw), "locator": locator}
        if oid == OCSPExtensionOID.PREFERRED_SIGNATURE_ALGORITHMS:
            # PreferredSignatureAlgorithm ::= SEQUENCE { sigIdentifier AlgorithmIdentifier, ... }
            items = _expect(_parse_first(extension.raw_value), 16, True).children()
            return [_oid(item.children()[0].children()[0]) for item in items]
    except (_Bad, ValueError, IndexError):
        return None
    return None


def _json_time(content: bytes) -> Optional[_dt.datetime]:
    try:
        fields, fraction, zone = _time_fields(content.decode("ascii"), True)
    except (UnicodeDecodeError, _Bad):
        return None
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    year, month, day, hour, minute, second = fields
    moment = _dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=_dt.timezone.utc)
    if zone not in ("", "Z"):
        offset = _dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
        moment -= offset if zone[0] == "+" else -offset
    return moment


def _extension_json(extension: Extension) -> Dict[str, Any]:
    return {
        "oid": extension.oid,
        "name": oid_name(extension.oid),
        "critical": extension.critical,
        "value_hex": _hex(extension.raw_value),
        "value": _extension_value_json(extension),
        "text": _extension_value_text(extension.oid, extension.raw_value, 0),
    }


def _extensions_json(extensions: Extensions) -> List[Dict[str, Any]]:
    return [_extension_json(e) for e in extensions]


def _single_json(single: SingleResponse) -> Dict[str, Any]:
    reason = single.revocation_reason
    return {
        "cert_id": _cert_id_json(single.cert_id),
        "cert_status": cert_status_str(int(single.cert_status)),
        "revocation_time": _iso(single.revocation_time),
        "revocation_reason": None if reason is None else reason.asn1_name,
        "revocation_reason_code": None if reason is None else int(reason),
        "this_update": _iso(single.this_update),
        "next_update": _iso(single.next_update),
        "extensions": _extensions_json(single.extensions),
    }


def _algorithm_json(algorithm_der: bytes) -> Dict[str, Any]:
    parts = _expect(_parse_first(algorithm_der), 16, True).children()
    oid = _oid(parts[0])
    return {
        "name": oid_name(oid),
        "oid": oid,
        "parameters_hex": _hex(parts[1].raw) if len(parts) > 1 else None,
    }


def _cert_json(der: bytes) -> Dict[str, Any]:
    cert = x509.Certificate.load(der)
    tbs = cert["tbs_certificate"]
    return {
        "subject": _name_oneline_flags(received(tbs["subject"])),
        "issuer": _name_oneline_flags(received(tbs["issuer"])),
        "serial_number": _i2a_integer(int(tbs["serial_number"].native)).replace("\\\n", ""),
        "not_before": _iso(tbs["validity"]["not_before"].native),
        "not_after": _iso(tbs["validity"]["not_after"].native),
        "signature_algorithm": _algorithm_json(received(cert["signature_algorithm"])),
        "public_key_algorithm": oid_name(tbs["subject_public_key_info"]["algorithm"]["algorithm"].dotted),
        "extensions": [
            {
                "oid": oid,
                "name": oid_name(oid),
                "critical": critical,
                "value_hex": _hex(value),
                "text": _extension_value_text(oid, value, 0),
            }
            for oid, critical, value in _tree_extensions(tbs["extensions"])
        ],
        "pem": _pem(der),
    }


def _deviations_json(deviations: Sequence[Any]) -> List[Dict[str, Any]]:
    return [{"code": d.code, "message": d.message, "path": d.path, "offset": d.offset} for d in deviations]


def _general_name_json(name: Any) -> Dict[str, Any]:
    tlv = _parse_first(received(name))
    return {"type": name.name, "value": _general_name_print(tlv).split(":", 1)[1]}


def _request_json(request: OCSPRequest) -> Dict[str, Any]:
    signature: Optional[Dict[str, Any]] = None
    if request.is_signed:
        sig_tree = request.asn1["optional_signature"]
        signature = {
            "algorithm": _algorithm_json(received(sig_tree["signature_algorithm"])),
            "value": _hex(_signature_octets(sig_tree["signature"])),
        }
    name = request.requestor_name
    return {
        "type": "ocsp-request",
        "version": "v1",
        "requestor_name": None if name is None else _general_name_json(name),
        "requests": [
            {"cert_id": _cert_id_json(item.cert_id), "extensions": _extensions_json(item.extensions)}
            for item in request.requests
        ],
        "extensions": _extensions_json(request.extensions),
        "nonce": _hex(request.nonce),
        "signed": request.is_signed,
        "signature": signature,
        "certs": [_cert_json(received(c)) for c in request.certs],
        "deviations": _deviations_json(request.deviations),
    }


def _basic_json(basic: BasicOCSPResponse) -> Dict[str, Any]:
    responder = basic.responder_id
    if responder.type is ResponderIDType.BY_NAME:
        assert responder.name_der is not None
        responder_json: Dict[str, Any] = {
            "type": "by_name",
            "name": _name_oneline_flags(responder.name_der),
            "key_hash": None,
        }
    else:
        responder_json = {"type": "by_key", "name": None, "key_hash": _hex(responder.key_hash)}
    return {
        "version": "v1",
        "responder_id": responder_json,
        "produced_at": _iso(basic.produced_at),
        "responses": [_single_json(single) for single in basic.responses],
        "extensions": _extensions_json(basic.extensions),
        "nonce": _hex(basic.nonce),
        "signature_algorithm": _algorithm_json(basic.signature_algorithm_der),
        "signature": _hex(basic.signature),
        "certs": [_cert_json(der) for der in basic.certs_der],
    }


def _response_json(response: OCSPResponse) -> Dict[str, Any]:
    status = response.response_status
    result: Dict[str, Any] = {
        "type": "ocsp-response",
        "response_status": status.asn1_name,
        "response_status_code": int(status),
        "response_status_text": response_status_str(int(status)),
        "response_type": response.response_type,
        "response_type_name": None if response.response_type is None else oid_name(response.response_type),
    }
    basic: Optional[Dict[str, Any]] = _basic_json(response.basic) if response.successful else None
    result["basic"] = basic
    result["deviations"] = _deviations_json(response.deviations)
    return result


def to_json(message: Any) -> Dict[str, Any]:
    """Every field of ``message`` as JSON values (dicts, lists, str, int, bool, None).

    ``message`` is an :class:`~ocspkit.OCSPRequest`, :class:`~ocspkit.OCSPResponse`,
    :class:`~ocspkit.BasicOCSPResponse`, :class:`~ocspkit.SingleResponse` or
    :class:`~ocspkit.CertID`. Octets are upper-case hex, times ISO 8601 in UTC with ``Z``,
    names of objects and statuses as :func:`request_text` / :func:`response_text` print them.
    The schema is in ``docs/text.md``.
    """
    converters: Tuple[Tuple[type, Callable[[Any], Dict[str, Any]]], ...] = (
        (OCSPRequest, _request_json),
        (OCSPResponse, _response_json),
        (BasicOCSPResponse, _basic_json),
        (SingleResponse, _single_json),
        (CertID, _cert_id_json),
    )
    for kind, converter in converters:
        if isinstance(message, kind):
            try:
                return converter(message)
            except (_Bad, ValueError, TypeError, KeyError, IndexError) as error:
                raise ParseError(f"cannot convert this {kind.__name__}: {error}") from None
    raise OCSPTypeError(
        "to_json takes an OCSPRequest, OCSPResponse, BasicOCSPResponse, SingleResponse or CertID, "
        f"got {type(message).__name__}"
    )


def to_json_text(message: Any) -> str:
    """:func:`to_json` as text: ``json.dumps`` with an indent of 2, keys in schema order."""
    return json.dumps(to_json(message), indent=2, sort_keys=False)
