"""Fields of ocspkit.asn1's asn1crypto trees as the printers read them, from their encodings.

Absent fields, the element inside an EXPLICIT tag, versions, extension lists, signature octets and
certificates: what the message printers and the JSON form take from a tree, read through the BER
reader so that they see what OpenSSL sees.
"""

from __future__ import annotations

from typing import Any, List, Tuple

from .._der import received
from .ber import CONTEXT, TLV, bit_string_octets, int_value, parse_first
from .extensions import extension_list

__all__ = ["certs_der", "is_absent", "signature_octets", "tree_extensions", "unwrap", "version_number"]


def unwrap(value: Any) -> TLV:
    """The element inside an EXPLICIT tag, from an asn1crypto value's encoding."""
    return parse_first(parse_first(received(value)).content)


def is_absent(value: Any) -> bool:
    """Whether an optional field of an asn1crypto tree is absent (None or asn1crypto's Void)."""
    return value is None or value.__class__.__name__ == "Void"


def version_number(value: Any) -> int:
    """The value of a ``version [0] EXPLICIT Version DEFAULT v1`` field: 0 when absent."""
    return 0 if is_absent(value) else int_value(bytes(value.contents))


def tree_extensions(value: Any) -> List[Tuple[str, bool, bytes]]:
    """The (OID, critical, extnValue) of each extension of an asn1crypto Extensions field."""
    if is_absent(value):
        return []
    tlv = parse_first(received(value))
    if tlv.cls == CONTEXT:  # the field's EXPLICIT tag
        tlv = parse_first(tlv.content)
    return extension_list(tlv)


def signature_octets(bit_string: Any) -> bytes:
    """The octets of a signature BIT STRING as OpenSSL holds them (unused bits cleared)."""
    return bit_string_octets(TLV(0, False, 3, bytes(bit_string.contents), b""))


def certs_der(value: Any) -> List[bytes]:
    """The DER of each certificate of an optional ``certs`` field, as received."""
    return [] if is_absent(value) else [received(cert) for cert in value]
