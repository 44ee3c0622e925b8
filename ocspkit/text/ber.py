"""The BER reader the printers decode with: elements (TLVs), OIDs, INTEGERs and BIT STRINGs.

OpenSSL's printers decode extension values leniently (d2i reads the first element and ignores what
follows), so the printers read raw TLVs rather than asn1crypto trees, which would refuse or
re-interpret some of what OpenSSL shows. Indefinite lengths may nest 64 levels deep. What cannot
be read raises :class:`Undecodable`, which a printer turns into OpenSSL's fallback (an extension
value's raw octets) or a :class:`~ocspkit.errors.ParseError`.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from .._util import int_text

__all__ = [
    "CONTEXT",
    "TLV",
    "UNIVERSAL",
    "Undecodable",
    "bit_string_octets",
    "expect",
    "int_value",
    "oid_text",
    "parse_all",
    "parse_first",
    "read_integer",
    "read_oid",
]


class Undecodable(Exception):
    """An encoding a printer cannot decode (the caller falls back to OpenSSL's raw form)."""


class TLV:
    """One BER element: class, constructed flag, tag number, contents and the whole encoding."""

    __slots__ = ("cls", "cons", "content", "num", "raw")

    def __init__(self, cls: int, cons: bool, num: int, content: bytes, raw: bytes) -> None:
        self.cls = cls
        self.cons = cons
        self.num = num
        self.content = content
        self.raw = raw

    def is_(self, cls: int, num: int) -> bool:
        """Whether the element has class ``cls`` and tag number ``num``."""
        return self.cls == cls and self.num == num

    def children(self) -> List[TLV]:
        """The elements inside a constructed element; :class:`Undecodable` for a primitive one."""
        if not self.cons:
            raise Undecodable("primitive element has no children")
        return parse_all(self.content)


# How deeply indefinite lengths may nest inside one another (X.690 8.1.3.6): finding the end of
# an indefinite-length element means reading every element inside it, recursively. No OCSP
# message or certificate comes near this; deeper input is malformed as far as the printer goes
# (Undecodable: an extension value falls back to its raw octets, a message to ParseError), where it
# would otherwise end in RecursionError.
_MAX_INDEFINITE_DEPTH = 64


def _parse_one(data: bytes, pos: int = 0, depth: int = 0) -> Tuple[TLV, int]:
    """The element at ``data[pos]`` and the position after it (definite or indefinite length)."""
    if depth > _MAX_INDEFINITE_DEPTH:
        raise Undecodable("indefinite lengths nested too deeply")
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
                raise Undecodable("indefinite length on a primitive element")
            inner = pos
            while data[pos : pos + 2] != b"\x00\x00":
                pos = _parse_one(data, pos, depth + 1)[1]
            return TLV(cls, cons, num, data[inner:pos], data[start : pos + 2]), pos + 2
        if first & 0x80:
            count = first & 0x7F
            if count == 0 or count > 4 or pos + count > len(data):
                raise Undecodable("bad length")
            length = int.from_bytes(data[pos : pos + count], "big")
            pos += count
        else:
            length = first
        end = pos + length
        if end > len(data):
            raise Undecodable("truncated element")
        return TLV(cls, cons, num, data[pos:end], data[start:end]), end
    except IndexError:
        raise Undecodable("truncated element") from None


def parse_first(data: bytes) -> TLV:
    """The first element of ``data``, ignoring what follows it (as OpenSSL's d2i does)."""
    return _parse_one(data, 0)[0]


def parse_all(data: bytes) -> List[TLV]:
    """Every element of ``data``, one after the other (the contents of a constructed element)."""
    items = []
    pos = 0
    while pos < len(data):
        item, pos = _parse_one(data, pos)
        items.append(item)
    return items


#: The tag classes the printers meet: universal (SEQUENCE, INTEGER, ...) and context-specific ([0]).
UNIVERSAL, CONTEXT = 0, 2


def expect(tlv: TLV, num: int, cons: Optional[bool] = None) -> TLV:
    """``tlv`` itself if it has universal tag ``num`` (and is constructed or primitive as ``cons``
    says, when given); else :class:`Undecodable`."""
    if tlv.cls != UNIVERSAL or tlv.num != num or (cons is not None and tlv.cons != cons):
        raise Undecodable(f"expected universal tag {num}")
    return tlv


def oid_text(content: bytes) -> str:
    """The dotted form of OBJECT IDENTIFIER contents."""
    if not content or content[-1] & 0x80:
        raise Undecodable("bad OBJECT IDENTIFIER")
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


def read_oid(tlv: TLV) -> str:
    """The dotted form of an OBJECT IDENTIFIER element."""
    return oid_text(expect(tlv, 6, False).content)


def int_value(content: bytes) -> int:
    """The value of INTEGER (or ENUMERATED) contents, two's complement; empty contents are
    :class:`Undecodable`."""
    if not content:
        raise Undecodable("empty INTEGER")
    return int.from_bytes(content, "big", signed=True)


def read_integer(tlv: TLV, num: int = 2) -> int:
    """The value of an INTEGER element (``num=10``: an ENUMERATED one)."""
    return int_value(expect(tlv, num, False).content)


def bit_string_octets(tlv: TLV) -> bytes:
    """The octets of a BIT STRING with its unused bits cleared (c2i_ASN1_BIT_STRING)."""
    content = expect(tlv, 3, False).content
    if not content or content[0] > 7:
        raise Undecodable("bad BIT STRING")
    data = bytearray(content[1:])
    if data:
        data[-1] &= 0xFF << content[0] & 0xFF
    return bytes(data)
