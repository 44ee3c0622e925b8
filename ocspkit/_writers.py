"""DER encoders: every *_der writer.

Each function returns the DER octets of one value (X.690). Readers stay where the messages are
read (:mod:`ocspkit._der`, :mod:`ocspkit._fast`); this module is where writers live.
"""

from __future__ import annotations

from asn1crypto import core

__all__ = ["length_der", "oid_der"]


def length_der(length: int) -> bytes:
    """The length octets of a TLV whose contents are ``length`` octets (X.690 8.1.3, minimal)."""
    if length < 0x80:
        return bytes([length])
    octets = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


def oid_der(dotted: str) -> bytes:
    """The OBJECT IDENTIFIER of a dotted string (``"2.5.29.23"``), tag and length included."""
    return bytes(core.ObjectIdentifier(dotted).dump())
