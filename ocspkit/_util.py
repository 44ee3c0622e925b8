"""Small helpers shared by the views: times, hex, hash names."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Optional

from .errors import OCSPTypeError, OCSPValueError, ParseError

__all__ = [
    "HASH_NAMES",
    "hash_name",
    "int_json",
    "int_text",
    "oid_arcs_bounded",
    "parse_serial",
    "serial_text",
    "to_generalized_time",
    "to_utc",
    "utc_from_asn1",
]

UTC = _dt.timezone.utc

# asn1crypto DigestAlgorithmId names -> the names hashlib and OpenSSL use.
HASH_NAMES = {
    "md5": "md5",
    "sha1": "sha1",
    "sha224": "sha224",
    "sha256": "sha256",
    "sha384": "sha384",
    "sha512": "sha512",
    "sha512_224": "sha512-224",
    "sha512_256": "sha512-256",
    "sha3_224": "sha3-224",
    "sha3_256": "sha3-256",
    "sha3_384": "sha3-384",
    "sha3_512": "sha3-512",
}


def hash_name(algorithm: Any) -> str:
    """The hash name of an asn1crypto DigestAlgorithm: ``sha1``, ..., or the dotted OID if unknown."""
    native = str(algorithm["algorithm"].native)
    return HASH_NAMES.get(native, native)


# Python refuses to turn an int of more than sys.get_int_max_str_digits() decimal digits into text
# (ValueError; 4300 by default, CVE-2020-10735), and the limit can be lowered to 640 but no further
# (sys.int_info.str_digits_check_threshold). An INTEGER from the wire has any size (a 5000-octet
# serial number), so every place that prints one goes through int_text: decimal up to 2048 bits
# (617 digits, within any limit Python allows), beyond that the first octets in hex and the size.
_DECIMAL_BITS = 2048
_SHOWN_OCTETS = 16


def int_text(value: int) -> str:
    """Text of an integer from untrusted input, bounded: decimal when it has at most 2048 bits,
    else ``0x`` and its first 16 octets in hex, cut short and saying so
    (``0x7F11...11... (5000-octet integer, truncated)``). Never raises."""
    magnitude = abs(value)
    if magnitude.bit_length() <= _DECIMAL_BITS:
        return str(value)
    size = (magnitude.bit_length() + 7) // 8
    head = (magnitude >> (8 * (size - _SHOWN_OCTETS))).to_bytes(_SHOWN_OCTETS, "big").hex().upper()
    return f"{'-' if value < 0 else ''}0x{head}... ({size}-octet integer, truncated)"


def oid_arcs_bounded(contents: bytes) -> bool:
    """Whether every subidentifier of OBJECT IDENTIFIER contents (X.690 8.19.2) has at most
    2048 bits: asn1crypto gives OIDs in dotted decimal (``.dotted``, ``.native``), which raises
    ValueError beyond Python's int-to-str limit (see :func:`int_text`)."""
    start = 0
    for index, octet in enumerate(contents):
        if not octet & 0x80:
            bits = 7 * (index - start) + (contents[start] & 0x7F).bit_length()
            if bits > _DECIMAL_BITS:
                return False
            start = index + 1
    return True


def int_json(value: int) -> Optional[int]:
    """An integer from untrusted input as a JSON number, or None beyond 2048 bits (which
    ``json.dumps`` could not write, see :func:`int_text`)."""
    return value if abs(value).bit_length() <= _DECIMAL_BITS else None


def utc_from_asn1(value: Any, path: str) -> Optional[_dt.datetime]:
    """An aware UTC datetime from an asn1crypto time, or ParseError naming the field."""
    if value is None or value.__class__.__name__ == "Void":
        return None
    native = value.native
    if native is None:
        return None
    if not isinstance(native, _dt.datetime):
        raise ParseError(f"time {value.contents!r} is outside the datetime range", path=path)
    if native.tzinfo is None:
        # A GeneralizedTime without "Z" (local time, X.680 46.3 a); only lenient mode gets here,
        # and OCSP times are UTC (RFC 6960 4.2.2.1), so read it as UTC.
        return native.replace(tzinfo=UTC)
    return native.astimezone(UTC)


def to_utc(value: _dt.datetime, what: str = "time") -> _dt.datetime:
    """Check ``value`` is an aware datetime and return it in UTC (principle 5: aware UTC only)."""
    if not isinstance(value, _dt.datetime):
        raise OCSPTypeError(f"{what} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise OCSPValueError(f"{what} must be timezone-aware (naive datetimes are ambiguous)")
    return value.astimezone(UTC)


def to_generalized_time(value: _dt.datetime) -> _dt.datetime:
    """The UTC instant truncated to whole seconds, as GeneralizedTime is written (no fractions)."""
    return to_utc(value).replace(microsecond=0)


def parse_serial(text: str) -> int:
    """A serial number as the command line takes it, everywhere: decimal, or hex after ``0x``,
    with an optional ``-`` (OpenSSL's s2i_ASN1_INTEGER, which ``openssl ocsp -serial`` uses).

    Hex without ``0x`` (as index.txt writes serials) is refused, never read as decimal or guessed:
    OCSPValueError("Error converting serial number ...").
    """
    value = text[1:] if text.startswith("-") else text
    base = 10
    if value[:2] in ("0x", "0X"):
        value, base = value[2:], 16
    digits = "0123456789abcdefABCDEF" if base == 16 else "0123456789"
    if not value or any(c not in digits for c in value):
        raise OCSPValueError(f"Error converting serial number {text[:80]}")
    try:
        number = int(value, base)
    except ValueError:  # a decimal beyond sys.get_int_max_str_digits()
        raise OCSPValueError(f"Error converting serial number {text[:80]}...: too many digits") from None
    return -number if text.startswith("-") else number


def serial_text(number: int) -> str:
    """How the command line writes a serial number: ``0x`` and OpenSSL's upper-case hex in whole
    octets (``0x03E8``, ``-0x05``), which :func:`parse_serial` reads back as the same number."""
    digits = f"{abs(number):X}"
    if len(digits) % 2:
        digits = "0" + digits
    return ("-0x" if number < 0 else "0x") + digits
