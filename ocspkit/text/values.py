"""OpenSSL's printers of ASN.1 values: INTEGERs as C longs, in hex and decimal, octets and strings."""

from __future__ import annotations

__all__ = [
    "ULONG",
    "asn1_long",
    "bignum_text",
    "bytes_text",
    "enumerated_int",
    "hex_colons",
    "i2a_integer",
    "i2a_string",
    "i2s_integer",
    "magnitude_octets",
    "string_print",
]


#: A C unsigned long's mask: ``value & ULONG`` is what %lu / %lx print for a long.
ULONG = (1 << 64) - 1


def asn1_long(value: int) -> int:
    """ASN1_INTEGER_get: the value as a C long, -1 when it does not fit. Printers that show an
    INTEGER in decimal go through it, as OpenSSL's do, so that a 5000-octet version prints as
    OpenSSL prints it (``Version: 0 (0xffffffffffffffff)``) and never reaches Python's limit on
    int-to-str conversions."""
    return value if -(1 << 63) <= value < 1 << 63 else -1


def enumerated_int(value: int) -> int:
    """What apps/ocsp.c holds in ``int i = OCSP_response_status(resp)``: ASN1_ENUMERATED_get (a
    C long; 0xffffffff beyond 8 octets of magnitude, -1 outside a long), cut to a C int."""
    if (abs(value).bit_length() + 7) // 8 > 8:
        value = 0xFFFFFFFF
    value = asn1_long(value)
    return (value + (1 << 31)) % (1 << 32) - (1 << 31)


def _hex_wrapped(data: bytes) -> str:
    """Upper-case hex with ``\\`` and a newline every 35 octets (i2a_ASN1_STRING's loop)."""
    parts = []
    for index in range(0, len(data), 35):
        parts.append(data[index : index + 35].hex().upper())
    return "\\\n".join(parts)


def i2a_string(data: bytes) -> str:
    """i2a_ASN1_STRING: upper-case hex, ``0`` for no octets."""
    return _hex_wrapped(data) if data else "0"


def magnitude_octets(value: int) -> bytes:
    """The octets of ``abs(value)``, big-endian, at least one (BN_bn2bin of the magnitude)."""
    magnitude = abs(value)
    return magnitude.to_bytes(max(1, (magnitude.bit_length() + 7) // 8), "big")


def i2a_integer(value: int) -> str:
    """i2a_ASN1_INTEGER: ``-`` for negatives, then the magnitude's octets in upper-case hex."""
    return ("-" if value < 0 else "") + _hex_wrapped(magnitude_octets(value))


def i2s_integer(value: int) -> str:
    """i2s_ASN1_INTEGER / i2s_ASN1_ENUMERATED: decimal below 2**128, else ``0x`` hex."""
    if abs(value).bit_length() < 128:
        return str(value)
    return ("-" if value < 0 else "") + "0x" + magnitude_octets(value).hex().upper()  # BN_bn2hex: whole octets


def hex_colons(data: bytes) -> str:
    """OPENSSL_buf2hexstr: ``AB:CD:EF``."""
    return ":".join(f"{b:02X}" for b in data)


def bytes_text(data: bytes) -> str:
    """Raw octets as text (UTF-8, undecodable octets kept by surrogateescape)."""
    return data.decode("utf-8", "surrogateescape")


def string_print(data: bytes) -> str:
    """ASN1_STRING_print: printable ASCII, CR and LF as they are, every other octet as ``.``."""
    return "".join(chr(b) if 0x20 <= b <= 0x7E or b in (0x0A, 0x0D) else "." for b in data)


def bignum_text(label: str, value: int) -> str:
    """The provider's print_labeled_bignum (RSA modulus and exponent, DSA values), before
    indenting."""
    if value == 0:
        return f"{label} 0\n"
    neg = "-" if value < 0 else ""
    if abs(value).bit_length() <= 64:
        return f"{label} {neg}{abs(value)} ({neg}0x{abs(value):x})\n"
    data = magnitude_octets(value)
    if data[0] & 0x80:
        data = b"\x00" + data
    lines = [":".join(f"{b:02x}" for b in data[i : i + 15]) for i in range(0, len(data), 15)]
    return f"{label}{' (Negative)' if value < 0 else ''}\n    " + ":\n    ".join(lines) + "\n"
