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
import functools
import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple, TypeVar

from asn1crypto import core

from ._deps import ASN1_ERRORS, asn1_message
from ._util import int_text, oid_arcs_bounded
from .errors import OCSPTypeError, ParseError, SignatureError

__all__ = [
    "Deviation",
    "PemBlock",
    "Walker",
    "armor_one_line",
    "first_child",
    "load_tree",
    "pem_armor",
    "pem_block",
    "received",
    "tlv_end",
    "to_der",
    "unarmor",
]


@dataclass(frozen=True)
class Deviation:
    """A place where the encoding is accepted BER but not DER."""

    code: str
    message: str
    path: str
    offset: Optional[int]


class PemBlock(NamedTuple):
    """Where a PEM block (RFC 7468 2) lies in the input: its label, the start of its BEGIN line,
    its body (between the two lines) and the end of its END line."""

    label: str
    start: int
    body_start: int
    body_end: int
    end: int


_BEGIN = b"-----BEGIN "
_DASHES = b"-----"
_PEM_LABEL = re.compile(rb"[A-Z0-9 ]+")


def pem_block(data: bytes, wanted: Callable[[str], bool] = lambda label: True) -> Optional[PemBlock]:
    """The first PEM block of ``data`` whose label is ``wanted``, or None. BEGIN lines with a
    malformed label or a label not wanted are skipped; the first wanted one decides: without its
    END line, the result is None.

    Linear in ``len(data)``: each BEGIN line, and the end of its label, is found by a str.find
    that starts where the previous one stopped, and the END line by one more find. (A regular
    expression pairing the two lines with a backreference re-scanned the rest of the input from
    every BEGIN line: quadratic, 4 s for 84 KB of BEGIN lines without END lines.)
    """
    pos = 0
    while True:
        start = data.find(_BEGIN, pos)
        if start < 0:
            return None
        label_start = start + len(_BEGIN)
        label_end = data.find(_DASHES, label_start)
        if label_end < 0:
            return None
        raw = data[label_start:label_end]
        pos = label_end + len(_DASHES)
        if not _PEM_LABEL.fullmatch(raw) or not wanted(raw.decode("ascii")):
            continue
        end_line = b"-----END " + raw + _DASHES
        body_end = data.find(end_line, pos)
        if body_end < 0:
            return None
        return PemBlock(raw.decode("ascii"), start, pos, body_end, body_end + len(end_line))


_UNARMOR_BEGIN = re.compile(rb"(?:---- |-----)BEGIN ([A-Z0-9 ]+)(?: ----|-----)")


def unarmor(data: bytes) -> Iterator[Tuple[str, Dict[str, str], bytes]]:
    """Each PEM block of ``data``: (label, headers, DER), as ``asn1crypto.pem.unarmor(data,
    multiple=True)`` gives them (the same line-by-line reading: text between blocks skipped,
    "Name: Value" headers, base64 decoded leniently), in time linear in ``len(data)``: asn1crypto
    appends each base64 line to a bytes object, which copies the body once per line (quadratic:
    a second for a 2 MB body). Raises ValueError as asn1crypto does (no BEGIN and END line;
    binascii.Error for bad base64)."""
    state = "trash"
    label = ""
    headers: Dict[str, str] = {}
    body: List[bytes] = []
    found_start = found_end = False
    for line in data.splitlines(False):
        if not line:
            continue
        if state == "trash":
            begin = _UNARMOR_BEGIN.match(line)
            if begin is None:
                continue
            label = begin.group(1).decode("ascii")
            found_start = True
            state = "headers"
            continue
        if state == "headers":
            if b":" not in line:
                state = "body"
            else:
                name, value = line.decode("ascii").split(":", 1)
                headers[name] = value.strip()
                continue
        if line[0:5] in (b"-----", b"---- "):
            yield label, headers, base64.b64decode(b"".join(body))
            state = "trash"
            headers = {}
            body = []
            found_end = True
            continue
        body.append(line)
    if not found_start or not found_end:
        raise ValueError("no PEM block (BEGIN and END lines) found")


def armor_one_line(label: str, headers: Dict[str, str], der: bytes) -> bytes:
    """A PEM block with its base64 on one line: what :func:`unarmor` read, for readers that
    (like asn1crypto's) take time quadratic in the number of base64 lines."""
    lines = [f"-----BEGIN {label}-----"] + [f"{name}: {value}" for name, value in headers.items()]
    if headers:
        lines.append("")
    lines += [base64.b64encode(der).decode("ascii"), f"-----END {label}-----", ""]
    return "\n".join(lines).encode("ascii")


def to_der(data: Any, labels: Tuple[str, ...], what: str) -> bytes:
    """Return DER bytes from DER or PEM input: ``bytes``, ``bytearray``, ``memoryview``, a file
    (``os.PathLike``, or a ``str`` that is not PEM text), or PEM text as a ``str`` (one that
    starts, after white space, with ``-----BEGIN``) -- the rule ocspkit.crypto applies to
    certificates and keys.

    ``labels`` are the PEM labels accepted (``("OCSP RESPONSE",)``). A file that cannot be read
    is a ParseError naming it.
    """
    if isinstance(data, str) and data.lstrip().startswith("-----BEGIN"):
        data = data.encode("ascii", "replace")
    elif isinstance(data, (str, os.PathLike)):
        data = _read_file(data, what)
    elif isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    elif not isinstance(data, bytes):
        raise OCSPTypeError(f"{what} must be bytes (DER or PEM), got {type(data).__name__}")
    raw: bytes = data
    stripped = raw.lstrip()
    if not stripped.startswith(b"-----BEGIN"):
        return raw
    block = pem_block(stripped)
    if block is None:
        raise ParseError(f"malformed PEM: no matching END line for the BEGIN line of the {what}")
    label = block.label
    if label not in labels:
        raise ParseError(f"PEM block is labelled {label!r}, expected {' or '.join(labels)}")
    text = stripped[block.body_start : block.body_end]
    body = re.sub(rb"\s+", b"", text)
    if b":" in text:
        raise ParseError("encrypted or annotated PEM headers are not supported for OCSP messages")
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ParseError(f"malformed base64 in the PEM block of the {what}: {exc}") from None


def _read_file(path: Any, what: str) -> bytes:
    """The bytes of the file ``path`` (a str or os.PathLike) holds; ParseError if it cannot be read."""
    name = os.fsdecode(os.fspath(path))
    shown = name if len(name) <= 200 else name[:200] + "..."
    try:
        with open(name, "rb") as handle:
            return handle.read()
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ParseError(f"cannot read the {what} file {shown!r}: {detail}") from None


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
_T = TypeVar("_T")


class Walker:
    """The validating walk of one parsed tree: :meth:`walk` visits every value from the root with
    its path and byte offset, checks that it is DER and records each place it is only BER as a
    :class:`Deviation` (the first one raises ParseError with ``strict``); ``on_extension`` is
    called with each Extension met. :func:`load_tree` runs it; ``ocspkit.lint`` subclasses it
    to remember offsets."""

    def __init__(self, strict: bool, on_extension: Optional[Critical], what: str = "value") -> None:
        self.strict = strict
        self.on_extension = on_extension
        self.what = what
        self.deviations: List[Deviation] = []

    def read(self, get: Callable[[], _T], path: str, offset: Optional[int]) -> _T:
        """One read into asn1crypto (child access, ``.chosen``, iteration, ``.native``, ``.dump()``:
        each may parse bytes lazily). What asn1crypto raises there (ASN1_ERRORS) is malformed
        input, a ParseError at ``path`` / ``offset``; only these reads are wrapped, so an error of
        the walk's own code propagates as the bug it is. RecursionError goes up to load_tree."""
        try:
            return get()
        except RecursionError:
            raise
        except ASN1_ERRORS as exc:
            raise ParseError(f"malformed {self.what}: {asn1_message(exc)}", path=path, offset=offset) from None

    def length(self, value: Any, path: str, offset: int) -> int:
        """:func:`_encoded_length`, which reads ``.chosen`` of a CHOICE, through :meth:`read`."""
        return self.read(lambda: _encoded_length(value), path, offset)

    def native(self, value: Any, path: str, offset: int) -> Any:
        return self.read(lambda: value.native, path, offset)

    def field(self, value: Any, name: str, path: str, offset: int) -> Any:
        return self.read(lambda: value[name], path, offset)

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
                remaining = self.length(value, path, offset) - pos
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
            chosen = self.read(lambda: value.chosen, path, offset)
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
            if value.method == 0:
                available = len(value.contents or b"")
                where = content_offset + used
            else:
                # The constructed form (BER, X.690 8.7.3.2 / 8.6.3): the value is its segments'
                # contents joined (each BIT STRING segment without its unused-bits octet), which
                # is what asn1crypto parsed. One rule for both forms: the value fills it exactly
                # (RFC 6960 4.2.1: responseBytes.response holds the DER of one BasicOCSPResponse).
                used -= skip
                available = len(bytes(value))
                where = offset
            if used != available:
                raise ParseError(
                    f"{available - used} unexpected bytes after the value inside the {type(value).__name__}",
                    path=path,
                    offset=where,
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
            child_path = f"{path}.{name}" if path else name
            child = self.field(value, name, child_path, pos)
            if isinstance(child, core.Void) or getattr(child, "_header", None) is None:
                continue
            if params and "default" in params and self.native(child, child_path, pos) == params["default"]:
                self.deviate(
                    "explicit_default", f"DEFAULT value of {name} encoded explicitly", child_path, pos
                )
            length = self.length(child, child_path, pos)
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
        for index, child in enumerate(self.read(lambda: list(value), path, content_offset)):
            child_path = f"{path}[{index}]"
            length = self.length(child, child_path, pos)
            self.walk(child, child_path, pos)
            pos += length

    def walk_set_of(self, value: Any, path: str, content_offset: int) -> None:
        pos = content_offset
        encodings = []
        for index, child in enumerate(self.read(lambda: list(value), path, content_offset)):
            child_path = f"{path}[{index}]"
            length = self.length(child, child_path, pos)
            # As received: dump() would re-encode an indefinite-length element (see received).
            encodings.append(self.read(functools.partial(received, child), child_path, pos))
            self.walk(child, child_path, pos)
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
                        f"undefined {type(value).__name__} value {int_text(number)}", path=path, offset=offset
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
            if not oid_arcs_bounded(contents):
                # X.690 8.19.2 sets no bound, but an arc has to be printed in decimal (asn1crypto's
                # dotted form, every printer): beyond 2048 bits that is refused, not truncated.
                raise ParseError("OBJECT IDENTIFIER arc of more than 2048 bits", path=path, offset=offset)
        elif isinstance(value, (core.BitString, core.OctetBitString)):
            self.check_primitive_bits(value, path, offset)
        elif isinstance(value, core.GeneralizedTime):
            if not _GENERALIZED_TIME_DER.fullmatch(contents):
                self.deviate("time_not_der", f"GeneralizedTime {contents!r} is not YYYYMMDDHHMMSS[.f]Z", path, offset)
        elif isinstance(value, core.UTCTime) and not _UTC_TIME_DER.fullmatch(contents):
            self.deviate("time_not_der", f"UTCTime {contents!r} is not YYMMDDHHMMSSZ", path, offset)
        # Decode the value once so that any lazy decoding error surfaces here.
        native = self.native(value, path, offset)
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


def received(value: Any) -> bytes:
    """The encoding of a parsed asn1crypto value exactly as received.

    asn1crypto's ``dump()`` re-encodes every value whose length is indefinite (X.690 8.1.3.6)
    from its native value: the bytes change (a signature over them no longer verifies, design
    principle 3), and a value it cannot write back raises a bare ValueError (a GeneralizedTime
    without "Z" reads as a naive datetime: "Must be timezone aware"). Views, printers and
    verification take the bytes of parsed values from here; a value built in memory (never
    received, no header yet) is dumped.
    """
    header: Optional[bytes] = getattr(value, "_header", None)
    if header is None:
        return bytes(value.dump())
    trailer = bytes(value._trailer or b"")
    if isinstance(value, core.Choice):
        # asn1crypto keeps an untagged CHOICE's header on the chosen alternative.
        return header + received(value.chosen) + trailer
    return header + bytes(value.contents or b"") + trailer


def tlv_end(data: bytes, offset: int, depth: int = 0) -> int:
    """The end offset of the BER TLV starting at ``offset`` (definite or indefinite length).

    Used to slice signed fields out of the bytes as received. Total on any bytes: a TLV that
    runs past the end of ``data``, is truncated or nests too deeply is a ParseError (the callers
    pass parsed data, but a slice computed from another encoding, such as the contents of a
    constructed string, must not turn into an IndexError).
    """
    if depth > 200 or offset + 2 > len(data):
        raise ParseError("truncated or too deeply nested TLV", offset=offset)
    pos = offset + 1
    if data[offset] & 0x1F == 0x1F:
        while pos < len(data) and data[pos] & 0x80:
            pos += 1
        pos += 1
    if pos >= len(data):
        raise ParseError("truncated TLV header", offset=offset)
    length_octet = data[pos]
    pos += 1
    if length_octet == 0x80:
        while data[pos : pos + 2] != b"\x00\x00":
            pos = tlv_end(data, pos, depth + 1)
        return pos + 2
    if length_octet & 0x80:
        n = length_octet & 0x7F
        if pos + n > len(data):
            raise ParseError("truncated TLV length", offset=offset)
        length = int.from_bytes(data[pos : pos + n], "big")
        pos += n
    else:
        length = length_octet
    if pos + length > len(data):
        raise ParseError("TLV longer than the data it is in", offset=offset)
    return pos + length


def first_child(data: bytes) -> bytes:
    """The first element inside the constructed TLV that ``data`` holds, exactly as encoded
    (ParseError, never IndexError, when ``data`` is not one)."""
    start = 1
    if data[:1] and data[0] & 0x1F == 0x1F:
        while start < len(data) and data[start] & 0x80:
            start += 1
        start += 1
    if start >= len(data):
        raise ParseError("truncated TLV header", offset=0)
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
        article = "an" if spec.__name__[:1] in ("A", "E", "I", "O", "U") else "a"  # an OCSPResponse
        raise ParseError(f"empty input where {article} {spec.__name__} was expected", offset=0)
    walker = Walker(strict, on_extension, spec.__name__)
    try:
        tree = spec.load(der, strict=True)
    except RecursionError:
        raise ParseError(f"{spec.__name__} nested too deeply") from None
    except ASN1_ERRORS as exc:
        raise ParseError(f"malformed {spec.__name__}: {asn1_message(exc)}") from None
    try:
        # The walk's reads into asn1crypto turn its errors into ParseError themselves (Walker.read);
        # anything else raised in there is an ocspkit bug and propagates.
        walker.walk(tree, "", 0)
    except RecursionError:
        # Hostile nesting: the walk recurses once per level, and so do asn1crypto's reads below it.
        raise ParseError(f"{spec.__name__} nested too deeply") from None
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
