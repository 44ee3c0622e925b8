"""Distinguished names as OpenSSL prints them: XN_FLAG_ONELINE, X509_NAME_oneline, X509_NAME_print.

The one-line form escapes each attribute value as do_print_ex does (RFC 2253 escapes, control and
high octets as ``\\XX``, quotes where needed); X509_NAME_oneline's ``/C=US/CN=name`` form escapes
as it does; X509_NAME_print's compatible form is built from that. Attribute types are OpenSSL's
short names (:func:`ocspkit.oid.short_name`).
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from ..oid import short_name
from .ber import UNIVERSAL, Undecodable, expect, parse_first, read_oid

__all__ = ["name_compat", "name_oneline", "name_oneline_flags"]


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
    name = expect(parse_first(der), 16, True)
    entries = []
    for index, rdn in enumerate(name.children()):
        expect(rdn, 17, True)
        for atv in rdn.children():
            parts = expect(atv, 16, True).children()
            if len(parts) != 2:
                raise Undecodable("bad AttributeTypeAndValue")
            value = parts[1]
            universal = value.cls == UNIVERSAL and not value.cons
            entries.append(_Entry(index, read_oid(parts[0]), value.num if universal else -1, value.content, value.raw))
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
        raise Undecodable("bad BMPString / UniversalString length")
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


def name_oneline_flags(der: bytes) -> str:
    """X509_NAME_print_ex(..., XN_FLAG_ONELINE): ``C = US, O = Org, CN = name``."""
    try:
        entries = _name_entries(der)
    except Undecodable:
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
        except Undecodable:
            break  # OpenSSL stops printing the name at a value it cannot show
    return "".join(out)


def name_oneline(der: bytes, limit: Optional[int] = None) -> str:
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


def name_compat(der: bytes) -> str:
    """X509_NAME_print (XN_FLAG_COMPAT, as X509_print uses it): the X509_NAME_oneline text with
    the slashes before ``X=`` / ``XY=`` turned into ``, ``."""
    try:
        line = name_oneline(der)
    except Undecodable:
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
