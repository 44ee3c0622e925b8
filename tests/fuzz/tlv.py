"""A small, tolerant BER reader and writer of the harness's own (it never uses ocspkit's parser).

Two views of the same bytes:

* :class:`TLV` and :func:`read_tlv` / :func:`children`: offsets into a buffer, no copies, no
  recursion on the nesting depth (indefinite lengths are skipped with a counter). The tampering
  oracle uses them to find the signed parts of a message exactly as encoded.
* :class:`Node` and :func:`parse_tree` / :func:`encode`: an editable tree for the ASN.1-aware
  mutations. Unchanged nodes encode back to the very bytes they came from (non-minimal lengths,
  indefinite lengths and constructed strings included); a changed node gets lengths recomputed
  up the tree, so a mutation deep inside stays consistent with the containers around it unless
  the mutation itself is a length lie (:attr:`Node.override`). Primitive OCTET STRINGs and BIT
  STRINGs whose contents parse completely as BER (the responseBytes, extension values, keys)
  are opened too, so mutations reach inside them.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Iterator, List, Optional, Tuple

#: How deep the editable tree is opened; deeper nodes stay verbatim (and nothing recurses deeper).
MAX_DEPTH = 40
#: Indefinite-length nesting the skipper follows before giving up.
MAX_INDEFINITE = 100_000

UNIVERSAL, APPLICATION, CONTEXT, PRIVATE = 0, 1, 2, 3

# Universal tag numbers.
BOOLEAN, INTEGER, BIT_STRING, OCTET_STRING, NULL, OID, ENUMERATED = 1, 2, 3, 4, 5, 6, 10
UTF8_STRING, SEQUENCE, SET, PRINTABLE_STRING, T61_STRING, IA5_STRING = 12, 16, 17, 19, 20, 22
UTC_TIME, GENERALIZED_TIME, UNIVERSAL_STRING, BMP_STRING = 23, 24, 28, 30


# --- headers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    cls: int
    constructed: bool
    tag: int
    ident_end: int  # offset after the identifier octets
    content_start: int  # offset after the length octets
    length: Optional[int]  # None: indefinite


def read_header(buf: bytes, pos: int, end: int) -> Optional[Header]:
    """The identifier and length octets at ``pos``, or None when they are malformed or cut."""
    if pos >= end:
        return None
    first = buf[pos]
    cls, constructed, tag = first >> 6, bool(first & 0x20), first & 0x1F
    p = pos + 1
    if tag == 0x1F:
        tag = 0
        for _ in range(8):
            if p >= end:
                return None
            octet = buf[p]
            p += 1
            tag = (tag << 7) | (octet & 0x7F)
            if not octet & 0x80:
                break
        else:
            return None
    ident_end = p
    if p >= end:
        return None
    octet = buf[p]
    p += 1
    length: Optional[int]
    if octet < 0x80:
        length = octet
    elif octet == 0x80:
        length = None
    else:
        count = octet & 0x7F
        if count > 8 or p + count > end:
            return None
        length = int.from_bytes(buf[p : p + count], "big")
        p += count
    return Header(cls, constructed, tag, ident_end, p, length)


def tlv_end(buf: bytes, pos: int, end: int) -> Optional[int]:
    """The offset after the TLV at ``pos`` (indefinite lengths followed iteratively), or None."""
    open_indefinite = 0
    p = pos
    while True:
        if open_indefinite and p + 2 <= end and buf[p : p + 2] == b"\x00\x00":
            p += 2
            open_indefinite -= 1
            if not open_indefinite:
                return p
            continue
        header = read_header(buf, p, end)
        if header is None:
            return None
        if header.length is None:
            if not header.constructed or open_indefinite >= MAX_INDEFINITE:
                return None
            open_indefinite += 1
            p = header.content_start
            continue
        p = header.content_start + header.length
        if p > end:
            return None
        if not open_indefinite:
            return p


# --- offsets view --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TLV:
    """One element of a buffer, by offsets."""

    cls: int
    constructed: bool
    tag: int
    start: int
    content_start: int
    content_end: int
    end: int
    indefinite: bool

    def is_(self, cls: int, tag: int) -> bool:
        return self.cls == cls and self.tag == tag

    def raw(self, buf: bytes) -> bytes:
        """The whole element, exactly as encoded."""
        return buf[self.start : self.end]

    def content(self, buf: bytes) -> bytes:
        return buf[self.content_start : self.content_end]


def read_tlv(buf: bytes, pos: int = 0, end: Optional[int] = None) -> Optional[TLV]:
    end = len(buf) if end is None else end
    header = read_header(buf, pos, end)
    if header is None:
        return None
    stop = tlv_end(buf, pos, end)
    if stop is None:
        return None
    indefinite = header.length is None
    return TLV(
        header.cls, header.constructed, header.tag, pos, header.content_start,
        stop - 2 if indefinite else stop, stop, indefinite,
    )


def children(buf: bytes, tlv: TLV) -> List[TLV]:
    """The elements inside a constructed ``tlv``, in order, up to the first unreadable one."""
    out: List[TLV] = []
    p = tlv.content_start
    while p < tlv.content_end:
        child = read_tlv(buf, p, tlv.content_end)
        if child is None:
            break
        out.append(child)
        p = child.end
    return out


def string_value(buf: bytes, tlv: TLV, depth: int = 0) -> Optional[bytes]:
    """An OCTET STRING's value: the contents, or the pieces of a constructed (BER) one joined."""
    if not tlv.constructed:
        return tlv.content(buf)
    if depth > 50:
        return None
    parts = []
    for piece in children(buf, tlv):
        value = string_value(buf, piece, depth + 1)
        if value is None:
            return None
        parts.append(value)
    return b"".join(parts)


def bit_string_value(buf: bytes, tlv: TLV, depth: int = 0) -> Optional[Tuple[int, bytes]]:
    """A BIT STRING as (unused bits, octets); a constructed one's pieces joined (X.690 8.6.3)."""
    if not tlv.constructed:
        content = tlv.content(buf)
        return (content[0], content[1:]) if content else None
    if depth > 50:
        return None
    unused, parts = 0, []
    for piece in children(buf, tlv):
        value = bit_string_value(buf, piece, depth + 1)
        if value is None:
            return None
        unused = value[0]
        parts.append(value[1])
    return unused, b"".join(parts)


_PEM_RE = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)\s*-----END \1-----", re.DOTALL)


def unpem(data: bytes) -> Optional[bytes]:
    """DER from ``data``: itself, or the first complete PEM block's body when it starts as PEM."""
    stripped = data.lstrip()
    if not stripped.startswith(b"-----BEGIN"):
        return data
    match = _PEM_RE.search(stripped)
    if match is None:
        return None
    try:
        return base64.b64decode(re.sub(rb"\s+", b"", match.group(2)), validate=True)
    except (binascii.Error, ValueError):
        return None


def unpem_all(data: bytes) -> List[bytes]:
    """Every reading of ``data``: itself when it is not PEM, else each complete block's body
    (whatever its label) that decodes."""
    if not data.lstrip().startswith(b"-----BEGIN"):
        return [data]
    out = []
    for match in _PEM_RE.finditer(data):
        try:
            out.append(base64.b64decode(re.sub(rb"\s+", b"", match.group(2)), validate=True))
        except (binascii.Error, ValueError):
            continue
    return out


# --- encoding ------------------------------------------------------------------------------------


def encode_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    octets = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


def tlv(ident: int, content: bytes) -> bytes:
    return bytes([ident]) + encode_length(len(content)) + content


def encode_oid(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    values = [arcs[0] * 40 + arcs[1], *arcs[2:]]
    out = bytearray()
    for value in values:
        chunk = [value & 0x7F]
        value >>= 7
        while value:
            chunk.append(0x80 | (value & 0x7F))
            value >>= 7
        out += bytes(reversed(chunk))
    return bytes(out)


# --- the editable tree ---------------------------------------------------------------------------


class Node:
    """One element of the editable tree.

    ``kids`` is None for a leaf (``raw`` holds its contents). ``prefix`` is set (b"" or b"\\x00")
    when a primitive string's contents were opened as BER. ``verbatim`` replaces the whole
    element's encoding. ``override`` replaces the length octets (a deliberate lie).
    """

    __slots__ = ("cls", "constructed", "eoc", "ident", "indefinite", "kids", "length_octets", "override",
                 "prefix", "raw", "tag", "verbatim")

    def __init__(self, ident: bytes, cls: int, constructed: bool, tag: int) -> None:
        self.ident = ident
        self.cls = cls
        self.constructed = constructed
        self.tag = tag
        self.length_octets = b""
        self.indefinite = False
        self.raw = b""
        self.kids: Optional[List[Node]] = None
        self.prefix: Optional[bytes] = None
        self.verbatim: Optional[bytes] = None
        self.override: Optional[bytes] = None
        self.eoc = b"\x00\x00"

    @classmethod
    def leaf(cls, ident: int, content: bytes) -> Node:
        node = cls(bytes([ident]), ident >> 6, bool(ident & 0x20), ident & 0x1F)
        node.raw = content
        node.length_octets = encode_length(len(content))
        return node

    @classmethod
    def opaque(cls, data: bytes) -> Node:
        node = cls(b"", -1, False, -1)
        node.verbatim = data
        return node

    def set_ident(self, ident: bytes) -> None:
        self.ident = ident
        first = ident[0] if ident else 0
        self.cls, self.constructed = first >> 6, bool(first & 0x20)
        self.tag = first & 0x1F
        if self.tag == 0x1F:
            header = read_header(ident + b"\x00", 0, len(ident) + 1)
            self.tag = header.tag if header else -1

    def is_(self, cls: int, tag: int) -> bool:
        return self.verbatim is None and self.cls == cls and self.tag == tag

    def content(self) -> bytes:
        if self.kids is None:
            return self.raw
        return (self.prefix or b"") + b"".join(encode(k) for k in self.kids)

    def copy(self) -> Node:
        node = Node(self.ident, self.cls, self.constructed, self.tag)
        for name in ("length_octets", "indefinite", "raw", "prefix", "verbatim", "override", "eoc"):
            setattr(node, name, getattr(self, name))
        node.kids = None if self.kids is None else [k.copy() for k in self.kids]
        return node


def encode(node: Node) -> bytes:
    if node.verbatim is not None:
        return node.verbatim
    content = node.content()
    if node.override is not None:
        length = node.override
    elif node.indefinite:
        length = b"\x80"
    else:
        length = _length_like(node.length_octets, len(content))
    return node.ident + length + content + (node.eoc if node.indefinite else b"")


def _length_like(original: bytes, n: int) -> bytes:
    """The length octets for ``n``: the original ones when they still say ``n``, else the same
    form (minimal, or a non-minimal long form of the same width when ``n`` fits in it)."""
    if original and original[0] & 0x80 and original[0] != 0x80:
        width = original[0] & 0x7F
        decoded = int.from_bytes(original[1:], "big")
        if decoded == n and len(original) == width + 1:
            return original
        if original != encode_length(decoded) and 0 < width <= 8 and n < 256**width:
            return bytes([0x80 | width]) + n.to_bytes(width, "big")
    return encode_length(n)


def _parse_node(buf: bytes, pos: int, end: int, depth: int) -> Optional[Tuple[Node, int]]:
    header = read_header(buf, pos, end)
    if header is None:
        return None
    if depth >= MAX_DEPTH:
        stop = tlv_end(buf, pos, end)
        return None if stop is None else (Node.opaque(buf[pos:stop]), stop)
    node = Node(buf[pos : header.ident_end], header.cls, header.constructed, header.tag)
    node.length_octets = buf[header.ident_end : header.content_start]
    if header.length is None:
        if not header.constructed:
            return None
        node.indefinite = True
        kids: List[Node] = []
        p = header.content_start
        while True:
            if p + 2 <= end and buf[p : p + 2] == b"\x00\x00":
                node.kids = kids
                return node, p + 2
            parsed = _parse_node(buf, p, end, depth + 1)
            if parsed is None:
                return None
            kids.append(parsed[0])
            p = parsed[1]
    stop = header.content_start + header.length
    if stop > end:
        return None
    if header.constructed:
        node.kids = _parse_all(buf, header.content_start, stop, depth + 1)
        if node.kids is None:
            node.raw = buf[header.content_start : stop]
    else:
        node.raw = buf[header.content_start : stop]
        if header.cls == UNIVERSAL and header.tag in (OCTET_STRING, BIT_STRING) and node.raw:
            skip = 1 if header.tag == BIT_STRING else 0
            if skip and node.raw[0] != 0:
                return node, stop
            inner = _parse_all(buf, header.content_start + skip, stop, depth + 1)
            if inner:
                node.kids, node.prefix = inner, node.raw[:skip]
    return node, stop


def _parse_all(buf: bytes, pos: int, end: int, depth: int) -> Optional[List[Node]]:
    """Every element from ``pos`` to exactly ``end``, or None."""
    out: List[Node] = []
    while pos < end:
        parsed = _parse_node(buf, pos, end, depth)
        if parsed is None:
            return None
        out.append(parsed[0])
        pos = parsed[1]
    return out


@dataclass
class Tree:
    """Top-level elements and whatever follows the last readable one."""

    nodes: List[Node]
    tail: bytes

    def encode(self) -> bytes:
        return b"".join(encode(n) for n in self.nodes) + self.tail


def parse_tree(data: bytes) -> Optional[Tree]:
    """The editable tree of ``data``, or None when not even its first element reads."""
    nodes: List[Node] = []
    pos = 0
    while pos < len(data):
        parsed = _parse_node(data, pos, len(data), 0)
        if parsed is None:
            break
        nodes.append(parsed[0])
        pos = parsed[1]
    if not nodes:
        return None
    return Tree(nodes, data[pos:])


def walk(tree: Tree) -> Iterator[Tuple[Node, List[Node], int]]:
    """Every node with the list holding it and its index there (depth-first, pre-order)."""
    stack: List[Tuple[List[Node], int]] = [(tree.nodes, i) for i in reversed(range(len(tree.nodes)))]
    while stack:
        siblings, index = stack.pop()
        node = siblings[index]
        yield node, siblings, index
        if node.kids:
            stack.extend((node.kids, i) for i in reversed(range(len(node.kids))))
