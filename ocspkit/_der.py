"""Loading asn1crypto trees byte-faithfully: PEM handling, a full validating walk, DER checks.

asn1crypto parses lazily, so a malformed field deep inside a message would only fail when it is
first read, with whatever exception asn1crypto happens to raise. :func:`load_tree` parses the whole
tree once, up front, and turns every failure into :class:`ocspkit.errors.ParseError` with the field
path and byte offset.

The same walk records where the encoding is valid BER (what OpenSSL accepts) but not DER:
non-minimal lengths, indefinite lengths, non-minimal INTEGERs, explicitly encoded DEFAULT values,
non-canonical BOOLEANs, non-Z times or fractions with trailing zeros (X.690 11.7), unsorted SET OFs,
constructed strings.
With ``strict=True`` the first of them is an error; otherwise they are returned as
:class:`Deviation` records (which ``lint`` reports). The bytes are never re-encoded.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any, Callable, List, Optional, Tuple

from asn1crypto import core

from .errors import OCSPTypeError, ParseError, SignatureError

__all__ = ["Deviation", "first_child", "load_tree", "pem_armor", "tlv_end", "to_der"]


@dataclass(frozen=True)
class Deviation:
    """A place where the encoding is accepted BER but not DER."""

    code: str
    message: str
    path: str
    offset: Optional[int]


_PEM_RE = re.compile(
    rb"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)\s*-----END \1-----", re.DOTALL
)


def to_der(data: Any, labels: Tuple[str, ...], what: str) -> bytes:
    """Return DER bytes from DER or PEM input (``bytes``, ``bytearray``, ``memoryview``, PEM ``str``).

    ``labels`` are the PEM labels accepted (``("OCSP RESPONSE",)``).
    """
    if isinstance(data, str):
        if "-----BEGIN" not in data:
            raise OCSPTypeError(f"{what} must be bytes (DER or PEM), got a str that is not PEM")
        data = data.encode("ascii", "replace")
    elif isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    elif not isinstance(data, bytes):
        raise OCSPTypeError(f"{what} must be bytes (DER or PEM), got {type(data).__name__}")
    raw: bytes = data
    stripped = raw.lstrip()
    if not stripped.startswith(b"-----BEGIN"):
        return raw
    match = _PEM_RE.search(stripped)
    if match is None:
        raise ParseError(f"malformed PEM: no matching END line for the BEGIN line of the {what}")
    label = match.group(1).decode("ascii")
    if label not in labels:
        raise ParseError(f"PEM block is labelled {label!r}, expected {' or '.join(labels)}")
    body = re.sub(rb"\s+", b"", match.group(2))
    if b":" in match.group(2):
        raise ParseError("encrypted or annotated PEM headers are not supported for OCSP messages")
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ParseError(f"malformed base64 in the PEM block of the {what}: {exc}") from None


def pem_armor(der: bytes, label: str) -> bytes:
    """Wrap DER in a PEM block with 64-character lines, as OpenSSL writes it."""
    b64 = base64.b64encode(der)
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    head = f"-----BEGIN {label}-----\n".encode("ascii")
    tail = f"-----END {label}-----\n".encode("ascii")
    return head + b"\n".join(lines) + (b"\n" if lines else b"") + tail


# --- the walk ------------------------------------------------------------------------------------

# Universal types that DER (X.690 10.2) requires to be primitive.
_PRIMITIVE_ONLY = (
    core.Integer,
    core.Enumerated,
    core.Boolean,
    core.Null,
    core.ObjectIdentifier,
    core.OctetString,
    core.ParsableOctetString,
    core.BitString,
    core.OctetBitString,
    core.AbstractString,
    core.AbstractTime,
)

_GENERALIZED_TIME_DER = re.compile(rb"\d{14}(\.\d*[1-9])?Z")
_UTC_TIME_DER = re.compile(rb"\d{12}Z")

Critical = Callable[[Any, str], None]


class _Walker:
    def __init__(self, strict: bool, on_extension: Optional[Critical]) -> None:
        self.strict = strict
        self.on_extension = on_extension
        self.deviations: List[Deviation] = []

    def deviate(self, code: str, message: str, path: str, offset: Optional[int]) -> None:
        if self.strict:
            raise ParseError(f"not DER: {message}", path=path, offset=offset)
        self.deviations.append(Deviation(code, message, path, offset))

    # headers ---------------------------------------------------------------------------------

    def check_headers(self, value: Any, path: str, offset: int) -> None:
        """Check every header in ``value._header`` (explicit tags are concatenated there)."""
        header = value._header or b""
        pos = 0
        while pos < len(header):
            start = pos
            first = header[pos]
            pos += 1
            if first & 0x1F == 0x1F:
                if pos < len(header) and header[pos] == 0x80:
                    self.deviate("tag_not_minimal", "high tag number not minimally encoded", path, offset + start)
                while pos < len(header) and header[pos] & 0x80:
                    pos += 1
                pos += 1
                tag_number = 0
                for b in header[start + 1 : pos]:
                    tag_number = (tag_number << 7) | (b & 0x7F)
                if tag_number < 31:
                    self.deviate("tag_not_minimal", "low tag number in high-tag form", path, offset + start)
            if pos >= len(header):
                break
            length_octet = header[pos]
            pos += 1
            if length_octet == 0x80:
                self.deviate("indefinite_length", "indefinite length", path, offset + start)
                continue
            if length_octet & 0x80:
                n = length_octet & 0x7F
                octets = header[pos : pos + n]
                pos += n
                length = int.from_bytes(octets, "big")
                if length < 0x80 or (octets and octets[0] == 0):
                    self.deviate("length_not_minimal", f"length {length} not minimally encoded", path, offset + start)
            else:
                length = length_octet
            if not value._trailer:
                # An EXPLICIT tag wraps exactly one value: what follows this header must fill it.
                remaining = _encoded_length(value) - pos
                if length != remaining:
                    raise ParseError(
                        f"{length - remaining} unexpected bytes inside the tag",
                        path=path,
                        offset=offset + pos + remaining,
                    )

    # values ----------------------------------------------------------------------------------

    def walk(self, value: Any, path: str, offset: int) -> None:
        if value is None or isinstance(value, core.Void):
            return
        if getattr(value, "_header", None) is None:
            # An absent DEFAULT field that asn1crypto made up: nothing was encoded.
            return
        self.check_headers(value, path, offset)
        content_offset = offset + len(value._header)
        if isinstance(value, _PRIMITIVE_ONLY) and value.method == 1:
            self.deviate("constructed_primitive", f"{type(value).__name__} in constructed form", path, offset)
        if isinstance(value, core.Choice):
            chosen = value.chosen
            self.walk(chosen, f"{path}.{value.name}", content_offset)
            return
        if isinstance(value, core.Sequence):
            self.walk_sequence(value, path, content_offset)
            return
        # SetOf first: asn1crypto's SetOf is a subclass of SequenceOf.
        if isinstance(value, core.SetOf):
            self.walk_set_of(value, path, content_offset)
            return
        if isinstance(value, core.SequenceOf):
            self.walk_sequence_of(value, path, content_offset)
            return
        if isinstance(value, core.Any):
            return
        if isinstance(value, core.ParsableOctetString) and value._parsed is not None:
            # A value resolved by OID (_oid_specs) or a parsed BIT STRING key, parsed by asn1crypto:
            # walk into it. Reading .native first would parse every Any below and lose their
            # headers, so don't.
            if isinstance(value, core.ParsableOctetBitString):
                self.check_primitive_bits(value, path, offset)
                skip = 1  # the unused-bits octet
            else:
                skip = 0
            parsed = value._parsed[0]
            self.walk(parsed, f"{path}.parsed", content_offset + skip)
            used = skip + _encoded_length(parsed)
            if value.method == 0 and used != len(value.contents or b""):
                raise ParseError(
                    f"{len(value.contents) - used} unexpected bytes after the value inside the {type(value).__name__}",
                    path=path,
                    offset=content_offset + used,
                )
            return
        self.check_primitive(value, path, offset)

    def walk_sequence(self, value: Any, path: str, content_offset: int) -> None:
        pos = content_offset
        # Read the encoded sizes before touching any field: asn1crypto re-encodes a Sequence whose
        # absent DEFAULT fields were read (dropping its header and contents, e.g. RSASSA-PSS
        # parameters written as 30 00).
        end = content_offset + len(value.contents or b"")
        for name, params in _fields_of(value):
            child = value[name]
            child_path = f"{path}.{name}" if path else name
            if isinstance(child, core.Void) or getattr(child, "_header", None) is None:
                continue
            if params and "default" in params and child.native == params["default"]:
                self.deviate(
                    "explicit_default", f"DEFAULT value of {name} encoded explicitly", child_path, pos
                )
            length = _encoded_length(child)
            self.walk(child, child_path, pos)
            pos += length
        if pos != end:
            # asn1crypto ignores elements after the last field; X.690 and OpenSSL do not.
            raise ParseError(
                f"{end - pos} unexpected bytes after the last field of {type(value).__name__}",
                path=path,
                offset=pos,
            )
        if self.on_extension is not None and "extn_id" in value._field_map:
            self.on_extension(value, path)

    def walk_sequence_of(self, value: Any, path: str, content_offset: int) -> None:
        pos = content_offset
        for index, child in enumerate(value):
            length = _encoded_length(child)
            self.walk(child, f"{path}[{index}]", pos)
            pos += length

    def walk_set_of(self, value: Any, path: str, content_offset: int) -> None:
        pos = content_offset
        encodings = []
        for index, child in enumerate(value):
            length = _encoded_length(child)
            encodings.append(child.dump())
            self.walk(child, f"{path}[{index}]", pos)
            pos += length
        if encodings != sorted(encodings):
            self.deviate("set_not_sorted", "SET OF elements not in DER order", path, content_offset)

    def check_primitive_bits(self, value: Any, path: str, offset: int) -> None:
        """The BIT STRING rules: the unused-bits octet and, for DER, zero padding bits."""
        contents = value.contents or b""
        if not contents:
            raise ParseError("BIT STRING with zero-length contents", path=path, offset=offset)
        unused = contents[0]
        if unused > 7 or (unused and len(contents) == 1):
            raise ParseError(f"BIT STRING with {unused} unused bits", path=path, offset=offset)
        if unused and contents[-1] & ((1 << unused) - 1):
            self.deviate("bit_string_padding", "BIT STRING padding bits not zero", path, offset)

    def check_primitive(self, value: Any, path: str, offset: int) -> None:
        contents = value.contents or b""
        if isinstance(value, (core.Integer, core.Enumerated)):
            if not contents:
                raise ParseError(f"{type(value).__name__} with zero-length contents", path=path, offset=offset)
            if len(contents) > 1 and (
                (contents[0] == 0 and contents[1] < 0x80) or (contents[0] == 0xFF and contents[1] >= 0x80)
            ):
                self.deviate("integer_not_minimal", "INTEGER not minimally encoded", path, offset)
            if isinstance(value, core.Enumerated):
                number = int.from_bytes(contents, "big", signed=True)
                if number not in value._map:
                    raise ParseError(
                        f"undefined {type(value).__name__} value {number}", path=path, offset=offset
                    )
        elif isinstance(value, core.Boolean):
            if len(contents) != 1:
                raise ParseError("BOOLEAN must have exactly one content octet", path=path, offset=offset)
            if contents[0] not in (0x00, 0xFF):
                self.deviate("boolean_not_canonical", f"BOOLEAN encoded as 0x{contents[0]:02X}", path, offset)
        elif isinstance(value, core.Null):
            if contents:
                raise ParseError("NULL with non-empty contents", path=path, offset=offset)
        elif isinstance(value, core.ObjectIdentifier):
            if not contents:
                raise ParseError("OBJECT IDENTIFIER with zero-length contents", path=path, offset=offset)
            if contents[-1] & 0x80:
                raise ParseError("OBJECT IDENTIFIER truncated", path=path, offset=offset)
            for i, b in enumerate(contents):
                if b == 0x80 and (i == 0 or not contents[i - 1] & 0x80):
                    raise ParseError("OBJECT IDENTIFIER arc not minimally encoded", path=path, offset=offset)
        elif isinstance(value, (core.BitString, core.OctetBitString)):
            self.check_primitive_bits(value, path, offset)
        elif isinstance(value, core.GeneralizedTime):
            if not _GENERALIZED_TIME_DER.fullmatch(contents):
                self.deviate("time_not_der", f"GeneralizedTime {contents!r} is not YYYYMMDDHHMMSS[.f]Z", path, offset)
        elif isinstance(value, core.UTCTime) and not _UTC_TIME_DER.fullmatch(contents):
            self.deviate("time_not_der", f"UTCTime {contents!r} is not YYMMDDHHMMSSZ", path, offset)
        # Decode the value once so that any lazy decoding error surfaces here.
        native = value.native
        if isinstance(value, core.AbstractTime) and not isinstance(native, _dt.datetime):
            raise ParseError(f"time {contents!r} is outside the datetime range", path=path, offset=offset)


def _fields_of(value: Any) -> List[Tuple[str, Any]]:
    """(name, params) of each field of an asn1crypto Sequence."""
    return [(field[0], field[2] if len(field) > 2 else {}) for field in value._fields]


def _encoded_length(value: Any) -> int:
    if value is None or isinstance(value, core.Void) or getattr(value, "_header", None) is None:
        return 0
    if isinstance(value, core.Choice):
        # asn1crypto keeps an untagged CHOICE's header on the chosen alternative.
        return len(value._header) + _encoded_length(value.chosen) + len(value._trailer or b"")
    return len(value._header) + len(value.contents or b"") + len(value._trailer or b"")


def tlv_end(data: bytes, offset: int, depth: int = 0) -> int:
    """The end offset of the BER TLV starting at ``offset`` (definite or indefinite length).

    Used to slice signed fields out of the bytes as received. The data has been parsed already,
    so malformed input only raises ParseError defensively.
    """
    if depth > 200 or offset + 2 > len(data):
        raise ParseError("truncated or too deeply nested TLV", offset=offset)
    pos = offset + 1
    if data[offset] & 0x1F == 0x1F:
        while pos < len(data) and data[pos] & 0x80:
            pos += 1
        pos += 1
    length_octet = data[pos]
    pos += 1
    if length_octet == 0x80:
        while data[pos : pos + 2] != b"\x00\x00":
            pos = tlv_end(data, pos, depth + 1)
        return pos + 2
    if length_octet & 0x80:
        n = length_octet & 0x7F
        length = int.from_bytes(data[pos : pos + n], "big")
        pos += n
    else:
        length = length_octet
    return pos + length


def first_child(data: bytes) -> bytes:
    """The first element inside the constructed TLV that ``data`` holds, exactly as encoded."""
    start = 1
    if data[0] & 0x1F == 0x1F:
        while data[start] & 0x80:
            start += 1
        start += 1
    length_octet = data[start]
    start += 1 + (length_octet & 0x7F if length_octet & 0x80 and length_octet != 0x80 else 0)
    return data[start : tlv_end(data, start)]


def load_tree(
    spec: Any,
    der: bytes,
    *,
    strict: bool,
    on_extension: Optional[Critical] = None,
) -> Tuple[Any, List[Deviation]]:
    """Parse ``der`` as ``spec`` and walk the whole tree; return (tree, deviations).

    Trailing bytes after the outer structure are refused in both modes. Every failure is a
    ParseError. ``on_extension(extension, path)`` is called for each Extension met on the way.
    """
    if not der:
        raise ParseError(f"empty input where a {spec.__name__} was expected", offset=0)
    walker = _Walker(strict, on_extension)
    try:
        tree = spec.load(der, strict=True)
        walker.walk(tree, "", 0)
    except ParseError:
        raise
    except RecursionError:
        raise ParseError(f"{spec.__name__} nested too deeply") from None
    except Exception as exc:  # asn1crypto raises ValueError, TypeError, KeyError, ... on hostile input
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise ParseError(f"malformed {spec.__name__}: {message}") from None
    return tree, walker.deviations


def unused_bits(bit_string: Any) -> int:
    """How many unused bits an asn1crypto BIT STRING declares (X.690 8.6.2.2): a signature is a
    whole number of octets, so anything but 0 makes it invalid (OpenSSL: "invalid bit string bits
    left"), even though asn1crypto silently drops the bits."""
    bytes(bit_string)  # asn1crypto reads the unused bits (of every BER chunk) here
    return len(getattr(bit_string, "_unused_bits", ()))


def check_whole_octets(unused: int, what: str) -> None:
    """A signature BIT STRING with unused bits cannot be a signature (OpenSSL's ASN1_item_verify:
    "invalid bit string bits left"), whatever the bits dropped."""
    if unused:
        raise SignatureError(
            f"the {what} signature BIT STRING declares {unused} unused bit(s); a signature is whole octets"
        )
