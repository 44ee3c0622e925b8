"""Seeded mutations: bytes, ASN.1 structure (on the harness's own tree, :mod:`fuzz.tlv`) and PEM.

Everything random comes from the ``random.Random`` passed in, so one seed gives the same bytes
on every run and machine (the corpus being the same). :meth:`Mutator.mutate` stacks one to six
mutations and returns the result with the names of the mutations applied (kept with every
reproducer, so a finding says how it was made).
"""

from __future__ import annotations

import base64
import random
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from . import oracles, tlv
from .oracles import SignedParts
from .tlv import Node, Tree

#: Inputs never grow beyond this (a mutation that would is skipped).
MAX_SIZE = 256 * 1024

_INTERESTING_BYTES = (0x00, 0x01, 0x02, 0x7F, 0x80, 0x81, 0x82, 0x84, 0x88, 0xFF, 0x30, 0xA0, 0x04, 0x05)

_IDENTS = (
    b"\x00", b"\x01", b"\x02", b"\x03", b"\x04", b"\x05", b"\x06", b"\x0a", b"\x0c", b"\x10", b"\x13", b"\x14",
    b"\x16", b"\x17", b"\x18", b"\x1e", b"\x1c", b"\x23", b"\x24", b"\x30", b"\x31", b"\x80", b"\x81", b"\x82",
    b"\x83", b"\x84", b"\x86", b"\x88", b"\xa0", b"\xa1", b"\xa2", b"\xa3", b"\xa4", b"\xa8", b"\x40", b"\xc0",
    b"\x1f\x81\x00", b"\x3f\x8f\xff\xff\xff\x7f", b"\x1f\x05", b"\x9f\x00", b"\xbf\x81\x80\x80\x80\x80\x80\x80\x01",
)

_GENERALIZED_TIMES = (
    b"20240101120000", b"20240101120000.123Z", b"20240101120000.5Z", b"20240101120000.Z",
    b"20240101120000." + b"9" * 40 + b"Z", b"20240101120000,5Z", b"20241301120000Z", b"20240230120000Z",
    b"20240101250000Z", b"20240101126000Z", b"20240101120060Z", b"00000101000000Z", b"99991231235959Z",
    b"20240101120000+0100", b"20240101120000-2359", b"20240101120000+9999", b"2024010112Z", b"202401011200Z",
    b"20240101120000z", b"", b"Z", b"\xff" * 15, b"2024-01-01T12:00:00Z", b" 20240101120000Z",
    b"20240101120000.123+0100", b"20240100000000Z", b"20240101120000.000Z", b"-2024010112000Z",
    b"\x00" * 15, b"19700101000000Z", b"20380119031408Z", b"10000101000000Z",
)
_UTC_TIMES = (
    b"240101120000", b"2401011200Z", b"491231235959Z", b"500101000000Z", b"241301120000Z", b"240101120000+0100",
    b"240101120000.5Z", b"", b"\xff" * 13, b"000000000000Z",
)

_OIDS = (
    "1.3.14.3.2.26", "2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.3", "1.2.840.113549.2.5",
    "1.2.840.113549.1.1.1", "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.5", "1.2.840.113549.1.1.10",
    "1.2.840.113549.1.1.4", "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.2.1", "1.3.101.112",
    "1.2.840.10040.4.3", "1.3.6.1.5.5.7.48.1.1", "1.3.6.1.5.5.7.48.1.2", "1.3.6.1.5.5.7.48.1.3",
    "1.3.6.1.5.5.7.48.1.4", "1.3.6.1.5.5.7.48.1.5", "1.3.6.1.5.5.7.48.1.6", "1.3.6.1.5.5.7.48.1.7",
    "1.3.6.1.5.5.7.48.1.8", "1.3.6.1.5.5.7.48.1.9", "1.3.6.1.5.5.7.3.9", "2.5.4.3", "2.5.4.6", "2.5.29.24",
    "2.5.29.29", "2.5.29.21", "2.5.29.37", "2.5.29.19", "2.5.29.35", "2.5.29.14", "2.5.29.15",
    "1.3.6.1.4.1.11129.2.4.2", "2.999.1", "1.2." + ".".join(str(i) for i in range(3, 60)),
    "2.25.340282366920938463463374607431768211455",
)

_BAD_STRINGS = (
    b"\xff\xfe\xc3\x28", b"\xc0\x80", b"\xed\xa0\x80", b"\x00", b"a\x00b", b"\x1b[31mred\x1b[0m",
    "\u202eevil".encode(), b"\xe2\x80", b"x" * 10_000, b"", b"\x7f\x80\x81", b"%s%n{0}", b"\n\r\t",
    "\U0001f600".encode(),
)

_PEM_LABELS = (
    b"OCSP RESPONSE", b"OCSP REQUEST", b"CERTIFICATE", b"X509 CRL", b"PKCS7", b"ocsp response", b"OCSP  RESPONSE",
    b"", b"A" * 200,
)


def _geometric(rng: random.Random, p: float, cap: int) -> int:
    n = 0
    while n < cap and rng.random() < p:
        n += 1
    return n


# --- byte-level mutations ------------------------------------------------------------------------


def flip_bits(rng: random.Random, data: bytes, donors: Sequence[bytes]) -> Optional[bytes]:
    if not data:
        return None
    out = bytearray(data)
    for _ in range(1 + _geometric(rng, 0.5, 7)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def set_byte(rng: random.Random, data: bytes, donors: Sequence[bytes]) -> Optional[bytes]:
    if not data:
        return None
    out = bytearray(data)
    out[rng.randrange(len(out))] = rng.choice(_INTERESTING_BYTES) if rng.random() < 0.7 else rng.randrange(256)
    return bytes(out)


def insert_bytes(rng: random.Random, data: bytes, donors: Sequence[bytes]) -> Optional[bytes]:
    at = rng.randrange(len(data) + 1)
    if rng.random() < 0.5:
        chunk = bytes(rng.choice(_INTERESTING_BYTES) for _ in range(rng.randint(1, 4)))
    else:
        chunk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    return data[:at] + chunk + data[at:]


def delete_range(rng: random.Random, data: bytes, donors: Sequence[bytes]) -> Optional[bytes]:
    if len(data) < 2:
        return None
    at = rng.randrange(len(data))
    n = rng.randint(1, min(len(data) - at, 1 + _geometric(rng, 0.7, 64)))
    return data[:at] + data[at + n :]


def duplicate_range(rng: random.Random, data: bytes, donors: Sequence[bytes]) -> Optional[bytes]:
    if not data:
        return None
    at = rng.randrange(len(data))
    n = rng.randint(1, min(len(data) - at, 256))
    return data[: at + n] + data[at : at + n] * rng.randint(1, 4) + data[at + n :]


def splice(rng: random.Random, data: bytes, donors: Sequence[bytes]) -> Optional[bytes]:
    if not donors or not data:
        return None
    other = rng.choice(donors)
    if not other:
        return None
    if rng.random() < 0.5:
        return data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1) :]
    at, start = rng.randrange(len(data) + 1), rng.randrange(len(other))
    return data[:at] + other[start : start + rng.randint(1, 256)] + data[at:]


def truncate(rng: random.Random, data: bytes, donors: Sequence[bytes]) -> Optional[bytes]:
    if len(data) < 2:
        return None
    return data[: rng.randrange(len(data))]


def append_garbage(rng: random.Random, data: bytes, donors: Sequence[bytes]) -> Optional[bytes]:
    tail = rng.choice((b"\x00", b"\x00\x00", b"\n", b"\x30\x00", bytes(rng.randrange(256) for _ in range(8))))
    return data + tail


ByteMutation = Callable[[random.Random, bytes, Sequence[bytes]], Optional[bytes]]

BYTE_MUTATIONS: Tuple[Tuple[str, ByteMutation, int], ...] = (
    ("flip_bits", flip_bits, 6),
    ("set_byte", set_byte, 4),
    ("insert_bytes", insert_bytes, 3),
    ("delete_range", delete_range, 3),
    ("duplicate_range", duplicate_range, 1),
    ("splice", splice, 3),
    ("truncate", truncate, 2),
    ("append_garbage", append_garbage, 1),
)


# --- ASN.1-aware mutations (on the tree) ---------------------------------------------------------

TreeMutation = Callable[[random.Random, Tree, List[Tuple[Node, List[Node], int]], "Mutator"], bool]


def _pick(rng: random.Random, nodes: Sequence[Tuple[Node, List[Node], int]],
          want: Callable[[Node], bool]) -> Optional[Tuple[Node, List[Node], int]]:
    candidates = [entry for entry in nodes if want(entry[0])]
    return rng.choice(candidates) if candidates else None


def change_tag(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]], m: Mutator) -> bool:
    node = rng.choice(nodes)[0]
    if rng.random() < 0.3 and node.ident:
        node.set_ident(bytes([node.ident[0] ^ rng.choice((0x20, 0x40, 0x80, 0xC0, 0x01))]) + node.ident[1:])
    else:
        node.set_ident(rng.choice(_IDENTS))
    return True


def length_lie(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]], m: Mutator) -> bool:
    node = rng.choice(nodes)[0]
    n = len(node.content())
    choice = rng.randrange(6)
    if choice == 0:  # too long
        node.override = tlv.encode_length(n + rng.choice((1, 2, 3, 127, 1000, 65536, 2**31)))
    elif choice == 1:  # too short
        node.override = tlv.encode_length(max(0, n - rng.choice((1, 2, 3, n))))
    elif choice == 2:  # non-minimal
        width = rng.choice((1, 2, 3, 4, 8))
        if n >= 256**width:
            return False
        node.override = bytes([0x80 | width]) + n.to_bytes(width, "big")
    elif choice == 3:  # absurd forms
        node.override = rng.choice((b"\x84\xff\xff\xff\xff", b"\x88" + b"\xff" * 8, b"\x89" + b"\x01" * 9, b"\xff",
                                    b"\x80", b"\x85\x00\x00\x00\x00\x00", b"\x81"))
    elif choice == 4:  # indefinite, on anything (BER for constructed, invalid for primitive)
        node.indefinite, node.override = True, None
        node.eoc = rng.choice((b"\x00\x00", b"\x00\x00", b"", b"\x00", b"\x00\x01", b"\x00\x00\x00\x00"))
    else:  # indefinite, only where BER allows it
        if not node.constructed:
            return False
        node.indefinite, node.override, node.eoc = True, None, b"\x00\x00"
    return True


def duplicate_element(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]],
                      m: Mutator) -> bool:
    node, siblings, index = rng.choice(nodes)
    for _ in range(rng.choice((1, 1, 1, 2, 10, 100))):
        siblings.insert(index + rng.randint(0, 1), node.copy())
    return True


def drop_element(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]], m: Mutator) -> bool:
    _, siblings, index = rng.choice(nodes)
    del siblings[index]
    return True


def reorder_elements(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]],
                     m: Mutator) -> bool:
    picked = _pick(rng, nodes, lambda n: bool(n.kids) and len(n.kids or ()) > 1)
    if picked is None or picked[0].kids is None:
        return False
    kids = picked[0].kids
    if rng.random() < 0.5:
        i, j = rng.sample(range(len(kids)), 2)
        kids[i], kids[j] = kids[j], kids[i]
    else:
        rng.shuffle(kids)
    return True


def nest_deeply(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]], m: Mutator) -> bool:
    node, siblings, index = rng.choice(nodes)
    depth = rng.choice((2, 10, 100, 500, 1000, 3000, 10_000))
    ident = rng.choice((b"\x30", b"\x24", b"\xa0", b"\x31", node.ident if node.constructed else b"\x30"))
    core = tlv.encode(node)
    if rng.random() < 0.5:
        wrapped = (ident + b"\x80") * depth + core + b"\x00\x00" * (depth - rng.choice((0, 0, 0, 1)))
    else:
        headers: List[bytes] = []
        length = len(core)
        for _ in range(depth):
            header = ident + tlv.encode_length(length)
            headers.append(header)
            length += len(header)
        wrapped = b"".join(reversed(headers)) + core
    if rng.random() < 0.5 or not node.constructed:
        siblings[index] = Node.opaque(wrapped)
    else:  # keep the element, make its contents the deep nest
        node.kids = [Node.opaque(wrapped)]
    return True


def huge_integer(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]], m: Mutator) -> bool:
    picked = _pick(rng, nodes, lambda n: n.cls == tlv.UNIVERSAL and n.tag in (tlv.INTEGER, tlv.ENUMERATED))
    if picked is None:
        return False
    node = picked[0]
    size = rng.choice((0, 1, 9, 17, 33, 129, 1000, 1800, 3000, 5000, 20_000))
    body = bytes(rng.randrange(256) for _ in range(min(size, 64))) * (size // 64 + 1)
    body = body[:size]
    kind = rng.randrange(4)
    if kind == 0 and body:  # positive, minimal
        body = bytes([rng.randint(1, 0x7F)]) + body[1:]
    elif kind == 1 and body:  # negative
        body = bytes([rng.randint(0x80, 0xFE)]) + body[1:]
    elif kind == 2:  # non-minimal
        body = b"\x00" * rng.randint(1, 4) + body
    node.kids, node.prefix, node.raw = None, None, body
    return True


def corrupt_time(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]], m: Mutator) -> bool:
    picked = _pick(rng, nodes, lambda n: n.cls == tlv.UNIVERSAL and n.tag in (tlv.GENERALIZED_TIME, tlv.UTC_TIME))
    if picked is None:
        return False
    node = picked[0]
    if rng.random() < 0.15:  # the other time type, contents kept
        node.set_ident(b"\x17" if node.tag == tlv.GENERALIZED_TIME else b"\x18")
        return True
    pool = _GENERALIZED_TIMES if node.tag == tlv.GENERALIZED_TIME else _UTC_TIMES
    node.kids, node.prefix, node.raw = None, None, rng.choice(pool)
    return True


def corrupt_oid(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]], m: Mutator) -> bool:
    picked = _pick(rng, nodes, lambda n: n.cls == tlv.UNIVERSAL and n.tag == tlv.OID)
    if picked is None:
        return False
    node = picked[0]
    choice = rng.randrange(3)
    if choice == 0:
        node.raw = tlv.encode_oid(rng.choice(_OIDS))
    elif choice == 1:
        node.raw = rng.choice((b"", b"\x80\x01", b"\x2a\x86", b"\xff" * 20 + b"\x01", b"\x2a\x80\x80\x01",
                               b"\x00", b"\x80", b"\x2b\x06\x01\x05\x05\x07\x30\x01\x81", b"\x2a" * 500))
    else:
        raw = bytearray(node.raw or b"\x2a")
        raw[rng.randrange(len(raw))] ^= rng.choice((0x01, 0x80, 0xFF))
        node.raw = bytes(raw)
    node.kids = node.prefix = None
    return True


def bit_string_unused(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]],
                      m: Mutator) -> bool:
    picked = _pick(rng, nodes, lambda n: n.cls == tlv.UNIVERSAL and n.tag == tlv.BIT_STRING and not n.constructed)
    if picked is None:
        return False
    node = picked[0]
    content = node.content()
    choice = rng.randrange(3)
    if choice == 0 and content:
        node.raw = bytes([rng.choice((1, 3, 7, 8, 0x80, 0xFF))]) + content[1:]
    elif choice == 1:
        node.raw = rng.choice((b"", b"\x00", b"\x07", b"\x08\x00"))
    else:
        node.raw = bytes([rng.randint(1, 7)]) + content[1:] + b"\xff"
    node.kids = node.prefix = None
    return True


def constructed_string(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]],
                       m: Mutator) -> bool:
    """A primitive OCTET STRING or BIT STRING rewritten in BER's constructed form (X.690 8.7.3)."""
    picked = _pick(rng, nodes, lambda n: n.cls == tlv.UNIVERSAL and not n.constructed
                   and n.tag in (tlv.OCTET_STRING, tlv.BIT_STRING))
    if picked is None:
        return False
    node, siblings, index = picked
    content = node.content()
    bits = node.tag == tlv.BIT_STRING
    unused, value = (content[0], content[1:]) if bits and content else (0, content)
    pieces: List[bytes] = []
    p = 0
    while p < len(value) or not pieces:
        n = rng.choice((1, 2, 7, 64, 1000))
        pieces.append(value[p : p + n])
        p += n
    encoded = [
        tlv.tlv(0x03 if bits else 0x04, (bytes([unused if i == len(pieces) - 1 else 0]) if bits else b"") + piece)
        for i, piece in enumerate(pieces)
    ]
    if rng.random() < 0.2 and len(encoded) > 1:  # a constructed piece inside the constructed string
        inner = b"".join(encoded[1:])
        encoded = [encoded[0], (b"\x23" if bits else b"\x24") + b"\x80" + inner + b"\x00\x00"]
    ident = b"\x23" if bits else b"\x24"
    if rng.random() < 0.3:
        tail = rng.choice((b"\x00\x00", b"\x05\x00", b"\x04\x00"))  # trailing bytes inside it
        encoded.append(tail)
    body = b"".join(encoded)
    if rng.random() < 0.5:
        siblings[index] = Node.opaque(ident + b"\x80" + body + b"\x00\x00")
    else:
        siblings[index] = Node.opaque(ident + tlv.encode_length(len(body)) + body)
    return True


def trailing_inside(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]],
                    m: Mutator) -> bool:
    node = rng.choice(nodes)[0]
    garbage = rng.choice((b"\x00", b"\x00\x00", b"\x05\x00", b"\x04\x00", b"\x30\x00", b"\xff",
                          bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))))
    if node.kids is not None:
        if node.kids and rng.random() < 0.3:
            garbage = tlv.encode(rng.choice(node.kids))
        node.kids.append(Node.opaque(garbage))
    else:
        node.raw += garbage
    return True


def donor_element(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]], m: Mutator) -> bool:
    """An element replaced by one with the same tag from another corpus item (a structural splice)."""
    node, siblings, index = rng.choice(nodes)
    donor = m.donor_tree(rng)
    if donor is None:
        return False
    same = [n for n, _, _ in tlv.walk(donor) if n.verbatim is None and n.ident == node.ident]
    if not same:
        return False
    siblings[index] = rng.choice(same).copy()
    return True


def bad_string(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]], m: Mutator) -> bool:
    string_tags = (tlv.UTF8_STRING, tlv.PRINTABLE_STRING, tlv.T61_STRING, tlv.IA5_STRING, tlv.UNIVERSAL_STRING,
                   tlv.BMP_STRING, 26)
    picked = _pick(rng, nodes, lambda n: n.cls == tlv.UNIVERSAL and n.tag in string_tags and not n.constructed)
    if picked is None:
        return False
    node = picked[0]
    if rng.random() < 0.3:  # another string type, contents kept (odd-length BMPString ...)
        node.set_ident(bytes([rng.choice(string_tags)]))
    else:
        node.raw = rng.choice(_BAD_STRINGS)
    node.kids = node.prefix = None
    return True


def odd_primitive(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]], m: Mutator) -> bool:
    picked = _pick(rng, nodes, lambda n: n.cls == tlv.UNIVERSAL and n.tag in (tlv.BOOLEAN, tlv.NULL))
    if picked is None:
        return False
    node = picked[0]
    pool = (b"", b"\x00", b"\x01", b"\xff", b"\x00\x00") if node.tag == tlv.BOOLEAN else (b"\x00", b"\x05\x00")
    node.raw, node.kids, node.prefix = rng.choice(pool), None, None
    return True


def empty_element(rng: random.Random, tree: Tree, nodes: List[Tuple[Node, List[Node], int]], m: Mutator) -> bool:
    node = rng.choice(nodes)[0]
    if node.kids is not None:
        node.kids = []
    else:
        node.raw = b""
    return True


TREE_MUTATIONS: Tuple[Tuple[str, TreeMutation, int], ...] = (
    ("change_tag", change_tag, 4),
    ("length_lie", length_lie, 5),
    ("duplicate_element", duplicate_element, 3),
    ("drop_element", drop_element, 3),
    ("reorder_elements", reorder_elements, 2),
    ("nest_deeply", nest_deeply, 1),
    ("huge_integer", huge_integer, 2),
    ("corrupt_time", corrupt_time, 3),
    ("corrupt_oid", corrupt_oid, 3),
    ("bit_string_unused", bit_string_unused, 2),
    ("constructed_string", constructed_string, 2),
    ("trailing_inside", trailing_inside, 3),
    ("donor_element", donor_element, 3),
    ("bad_string", bad_string, 2),
    ("odd_primitive", odd_primitive, 1),
    ("empty_element", empty_element, 1),
)


# --- PEM -----------------------------------------------------------------------------------------


def pem_wrap(rng: random.Random, data: bytes) -> Tuple[bytes, str]:
    label = rng.choice(_PEM_LABELS) if rng.random() < 0.4 else rng.choice((b"OCSP RESPONSE", b"OCSP REQUEST"))
    b64 = base64.b64encode(data)
    body = b"\n".join(b64[i : i + 64] for i in range(0, len(b64), 64))
    begin, end = b"-----BEGIN " + label + b"-----", b"-----END " + label + b"-----"
    kind = rng.randrange(10)
    if kind == 0:
        return begin + b"\n" + body + b"\n" + end + b"\n", "pem"
    if kind == 1:
        return begin + b"\r\n" + body.replace(b"\n", b"\r\n") + b"\r\n" + end + b"\r\n", "pem_crlf"
    if kind == 2:
        return b"  \n\t" + begin + b"\n" + b64 + b"\n" + end, "pem_one_line"
    if kind == 3:
        return begin + b"\n" + body + b"\n", "pem_no_end"
    if kind == 4:
        return begin + b"\n" + body + b"\n-----END OCSP REQUEST-----\n", "pem_wrong_end"
    if kind == 5:
        repeat = rng.choice((2, 50, 500, 3000))
        return (begin + b"\n") * repeat + body + b"\n", f"pem_repeated_begin_x{repeat}"
    if kind == 6:
        at = rng.randrange(len(body) + 1)
        bad = rng.choice((b"!", b"=", b"-", b"\x00", b"\xff", b"====", b"-----"))
        return begin + b"\n" + body[:at] + bad + body[at:] + b"\n" + end + b"\n", "pem_bad_base64"
    if kind == 7:
        return begin + b"\nProc-Type: 4,ENCRYPTED\n\n" + body + b"\n" + end + b"\n", "pem_headers"
    if kind == 8:
        cert = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
        return cert + begin + b"\n" + body + b"\n" + end + b"\n", "pem_two_blocks"
    return begin + b"\n" + end + b"\n" + body, "pem_empty_block"


# --- the driver ----------------------------------------------------------------------------------


class Mutator:
    """Stacks mutations on corpus items. ``donors`` are the bytes splices draw from."""

    def __init__(self, donors: Sequence[bytes], *, pem_rate: float = 0.04, max_size: int = MAX_SIZE) -> None:
        self.donors = list(donors)
        self.pem_rate = pem_rate
        self.max_size = max_size
        self._trees: Dict[int, Optional[Tree]] = {}
        self._byte_weights = [w for _, _, w in BYTE_MUTATIONS]
        self._tree_weights = [w for _, _, w in TREE_MUTATIONS]

    def donor_tree(self, rng: random.Random) -> Optional[Tree]:
        if not self.donors:
            return None
        index = rng.randrange(len(self.donors))
        if index not in self._trees:
            self._trees[index] = tlv.parse_tree(self.donors[index])
        return self._trees[index]

    def mutate(self, data: bytes, rng: random.Random) -> Tuple[bytes, List[str]]:
        """``data`` with 1-6 stacked mutations, and their names."""
        ops: List[str] = []
        for _ in range(1 + _geometric(rng, 0.4, 5)):
            data = self._one(data, rng, ops)
        if rng.random() < self.pem_rate:
            wrapped, name = pem_wrap(rng, data)
            if len(wrapped) <= self.max_size:
                data = wrapped
                ops.append(name)
        return data, ops

    def _one(self, data: bytes, rng: random.Random, ops: List[str]) -> bytes:
        if rng.random() < 0.65:
            tree = tlv.parse_tree(data)
            if tree is not None:
                name, mutation, _ = rng.choices(TREE_MUTATIONS, self._tree_weights)[0]
                nodes = list(tlv.walk(tree))
                if nodes and mutation(rng, tree, nodes, self):
                    out = tree.encode()
                    if len(out) <= self.max_size and out != data:
                        ops.append(name)
                        return out
        name, byte_mutation, _ = rng.choices(BYTE_MUTATIONS, self._byte_weights)[0]
        result = byte_mutation(rng, data, self.donors)
        if result is None or len(result) > self.max_size:
            return data
        ops.append(name)
        return result


# --- mutants signed again ------------------------------------------------------------------------


def resign(data: bytes, kind: str, rng: random.Random, mutator: Mutator,
           sign: Callable[[bytes, bytes], bytes]) -> Optional[Tuple[bytes, List[str], SignedParts]]:
    """ASN.1 mutations inside the signed part (tbsResponseData / tbsRequest) of ``data``, signed
    again with ``sign(tbs, signature_algorithm_der)`` and put back in a DER envelope with the
    original certificates: the checks that come after the signature (validity, nonce, CertID,
    authorization) then meet hostile content. Returns (message, mutation names, the new signed
    parts), or None when ``data`` has no signed part to work on. The tampering oracle must be
    told about the new signed parts (:attr:`fuzz.oracles.TamperOracle.harness_signed`)."""
    parts = oracles.response_parts(data) if kind == "response" else oracles.request_parts(data)
    tree = None if parts is None else tlv.parse_tree(parts.tbs)
    if parts is None or tree is None:
        return None
    ops: List[str] = []
    weights = [w for _, _, w in TREE_MUTATIONS]
    for _ in range(1 + _geometric(rng, 0.4, 2)):
        name, mutation, _ = rng.choices(TREE_MUTATIONS, weights)[0]
        nodes = list(tlv.walk(tree))
        if nodes and mutation(rng, tree, nodes, mutator):
            ops.append(name)
    tbs = tree.encode()
    if tbs == parts.tbs or len(tbs) > mutator.max_size:
        return None
    signature = sign(tbs, parts.algorithm)
    signed = SignedParts(tbs, parts.algorithm, 0, signature, parts.certs)
    certs = tlv.tlv(0xA0, tlv.tlv(0x30, b"".join(parts.certs))) if parts.certs else b""
    envelope = oracles.canonical_response if kind == "response" else oracles.canonical_request
    return envelope(signed, certs), [*ops, "resigned"], signed

