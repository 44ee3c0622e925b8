"""DER writers: the encoders the builders, the responder and the extension code write messages with.

Each function returns the DER of one structure from the DER of its parts (or from plain values),
so that a builder or the responder emits a message directly instead of building asn1crypto trees
(which costs hundreds of microseconds per message). The reading side is
:mod:`ocspkit._readers`; nothing here reads.

Every function is a plain function with a docstring: this module is a list of encoders, nothing
more.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Optional, Sequence, Tuple

from asn1crypto import core

from .enums import CertStatus
from .errors import OCSPTypeError, OCSPValueError
from .oid import OCSPResponseTypeOID

__all__ = [
    "basic_response_der",
    "cert_status_der",
    "certs_der",
    "extension_der",
    "generalized_time",
    "integer_der",
    "length_der",
    "oid_der",
    "responder_id_der",
    "response_data_der",
    "single_response_der",
    "tlv",
    "wrapped_nonce",
]


# --- DER primitives (X.690) ----------------------------------------------------------------


def length_der(n: int) -> bytes:
    """The DER length octets for ``n`` (X.690 8.1.3, minimal form)."""
    if n < 0x80:
        return bytes((n,))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def tlv(tag: int, contents: bytes) -> bytes:
    """One DER TLV with a one-octet ``tag``."""
    n = len(contents)
    # The lengths of OCSP messages, spelled out (a responder writes a dozen TLVs per answer).
    if n < 0x80:
        return bytes((tag, n)) + contents
    if n < 0x100:
        return bytes((tag, 0x81, n)) + contents
    if n < 0x10000:
        return bytes((tag, 0x82, n >> 8, n & 0xFF)) + contents
    return bytes((tag,)) + length_der(n) + contents


def integer_der(value: int) -> bytes:
    """A DER INTEGER (minimal two's complement, X.690 8.3)."""
    size = (value + (value < 0)).bit_length() // 8 + 1
    return tlv(0x02, value.to_bytes(size, "big", signed=True))


def generalized_time(value: _dt.datetime) -> bytes:
    """A DER GeneralizedTime of an aware UTC datetime, whole seconds (RFC 5280 4.1.2.5.2)."""
    return b"\x18\x0f" + (
        f"{value.year:04d}{value.month:02d}{value.day:02d}{value.hour:02d}{value.minute:02d}{value.second:02d}Z"
    ).encode("ascii")


_OIDS: Dict[str, bytes] = {}


def oid_der(dotted: str) -> bytes:
    """The DER OBJECT IDENTIFIER of a dotted string (remembered)."""
    found = _OIDS.get(dotted)
    if found is None:
        if not isinstance(dotted, str):
            raise OCSPTypeError(f"an OID must be a dotted str, got {type(dotted).__name__}")
        try:
            found = bytes(core.ObjectIdentifier(dotted).dump())
        except (ValueError, TypeError) as exc:
            raise OCSPValueError(f"not an OID: {dotted!r} ({exc})") from None
        if len(_OIDS) < 4096:
            _OIDS[dotted] = found
    return found


# --- extensions ----------------------------------------------------------------------------


def extension_der(oid: str, value: Any, critical: bool = False) -> bytes:
    """The DER of an Extension (RFC 5280 4.1): ``value`` is the extnValue contents as DER bytes
    or an asn1crypto value; critical is written only when TRUE (DER omits the DEFAULT)."""
    if isinstance(value, (bytes, bytearray)):
        contents = bytes(value)
    elif hasattr(value, "dump"):
        contents = bytes(value.dump())
    else:
        raise OCSPTypeError(f"an extension value must be DER bytes or an asn1crypto value, got {type(value).__name__}")
    return tlv(0x30, oid_der(oid) + (b"\x01\x01\xff" if critical else b"") + tlv(0x04, contents))


def wrapped_nonce(nonce: bytes) -> bytes:
    """The extnValue of a nonce extension: DER OCTET STRING holding the nonce (RFC 6960 4.4.1)."""
    return tlv(0x04, nonce)


# --- responses (RFC 6960 4.2.1) ------------------------------------------------------------


def responder_id_der(signer: Any, by: str) -> bytes:
    """The DER of a ResponderID (RFC 6960 4.2.1) for the signer whose
    :func:`ocspkit.certinfo.cert_facts` are ``signer``: ``by`` ``"key"`` is byKey [2] (SHA-1 of
    its public key), else byName [1]."""
    if by == "key":
        return tlv(0xA2, tlv(0x04, signer.key_sha1))
    return tlv(0xA1, signer.subject_der)


def cert_status_der(status: CertStatus, revocation_time_der: bytes = b"", reason: Optional[int] = None) -> bytes:
    """The DER of a CertStatus (RFC 6960 4.2.1); for revoked, ``revocation_time_der`` is the
    GeneralizedTime TLV of revocationTime and ``reason`` the optional CRLReason."""
    if status is CertStatus.GOOD:
        return b"\x80\x00"  # good [0] IMPLICIT NULL
    if status is CertStatus.UNKNOWN:
        return b"\x82\x00"  # unknown [2] IMPLICIT UnknownInfo (NULL)
    info = revocation_time_der
    if reason is not None:
        info += tlv(0xA0, bytes((0x0A, 1, int(reason))))
    return tlv(0xA1, info)  # revoked [1] IMPLICIT RevokedInfo


def single_response_der(
    cert_id_der: bytes, status_der: bytes, this_update_der: bytes, next_update_der: bytes = b"", extensions: bytes = b""
) -> bytes:
    """The DER of one SingleResponse (RFC 6960 4.2.1) from the DER of its parts: the CertID, the
    CertStatus (:func:`cert_status_der`), thisUpdate and nextUpdate (GeneralizedTime TLVs;
    ``b""``: no nextUpdate) and the concatenated singleExtensions (``b""``: none)."""
    return tlv(
        0x30,
        cert_id_der
        + status_der
        + this_update_der
        + (tlv(0xA0, next_update_der) if next_update_der else b"")
        + (tlv(0xA1, tlv(0x30, extensions)) if extensions else b""),
    )


def response_data_der(
    responder_id_der: bytes, produced_at_der: bytes, responses: bytes, extensions: bytes = b""
) -> bytes:
    """The DER of a version-1 ResponseData (RFC 6960 4.2.1), the bytes a response signature
    covers: the ResponderID TLV, producedAt's GeneralizedTime TLV, the concatenated
    SingleResponses and the concatenated responseExtensions (``b""``: none)."""
    return tlv(
        0x30,
        responder_id_der
        + produced_at_der
        + tlv(0x30, responses)
        + (tlv(0xA1, tlv(0x30, extensions)) if extensions else b""),
    )


def certs_der(certs: Sequence[bytes]) -> bytes:
    """The ``certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL`` field of a BasicOCSPResponse
    from the certificates' DER (``b""`` for none)."""
    return tlv(0xA0, tlv(0x30, b"".join(certs))) if certs else b""


_BASIC_OID_TLV = oid_der(OCSPResponseTypeOID.BASIC)


def basic_response_der(tbs: bytes, algorithm_der: bytes, signature: bytes, certs_field: bytes) -> Tuple[bytes, bytes]:
    """(OCSPResponse DER, BasicOCSPResponse DER) around a signed ResponseData (RFC 6960 4.2.1);
    ``certs_field`` is :func:`certs_der`'s encoding."""
    basic = tlv(0x30, tbs + algorithm_der + tlv(0x03, b"\x00" + signature) + certs_field)
    return tlv(0x30, b"\x0a\x01\x00" + tlv(0xA0, tlv(0x30, _BASIC_OID_TLV + tlv(0x04, basic)))), basic
