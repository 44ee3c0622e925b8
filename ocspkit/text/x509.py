"""Certificates as X509_print prints them (XN_FLAG_COMPAT, X509_FLAG_COMPAT), then their PEM block."""

from __future__ import annotations

import base64
import contextlib
from typing import Any, Optional

from asn1crypto import x509

from .._der import received
from ..errors import OCSPTypeError, ParseError
from ..oid import oid_name
from .ber import CONTEXT, TLV, Undecodable, bit_string_octets, expect, parse_first, read_integer
from .extensions import extension_list, extensions_text
from .keys import public_key_text
from .names import name_compat
from .signatures import signature_dump, signature_text
from .times import time_tlv_print
from .values import asn1_long, magnitude_octets

__all__ = ["certificate_pem", "certificate_text"]


def certificate_pem(der: bytes) -> str:
    """The ``-----BEGIN CERTIFICATE-----`` block of a certificate's DER (PEM_write_bio_X509)."""
    b64 = base64.b64encode(der).decode("ascii")
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "".join(line + "\n" for line in lines) + "-----END CERTIFICATE-----\n"


def _cert_der(cert: Any) -> bytes:
    if isinstance(cert, (bytes, bytearray)):
        return bytes(cert)
    if isinstance(cert, x509.Certificate):
        return received(cert)
    raise OCSPTypeError(f"a certificate must be DER bytes or an asn1crypto Certificate, got {type(cert).__name__}")


def certificate_text(cert: Any, *, pem: bool = True) -> str:
    """One certificate as ``openssl ocsp -resp_text`` prints an embedded one (X509_print):
    ``Certificate:``, ``Data:``, version, serial, signature algorithm, issuer, validity,
    subject, public key, the X509v3 extensions OpenSSL decodes (others as their raw octets, as
    OpenSSL shows an extension it cannot read) and the signature; then the PEM block.

    ``cert`` is DER bytes or an asn1crypto Certificate; bytes that are not a certificate raise
    :class:`~ocspkit.errors.ParseError`.
    """
    der = _cert_der(cert)
    try:
        return _certificate_text(der, pem)
    except (Undecodable, ValueError, IndexError) as error:
        raise ParseError(f"cannot print this certificate: {error}") from None


def _certificate_text(der: bytes, pem: bool) -> str:
    out = ["Certificate:\n    Data:\n"]
    top = expect(parse_first(der), 16, True).children()
    fields = expect(top[0], 16, True).children()
    version = 0
    if fields and fields[0].is_(CONTEXT, 0):
        version = read_integer(parse_first(fields[0].content))
        fields = fields[1:]
    if len(fields) < 6 or len(top) < 3:
        raise Undecodable("too few fields")
    serial_tlv, signature_alg, issuer, validity, subject, spki = fields[:6]
    extra = fields[6:]
    if 0 <= version <= 2:
        out.append(f"        Version: {version + 1} (0x{version:x})\n")
    else:
        out.append(f"        Version: Unknown ({asn1_long(version)})\n")
    out.append("        Serial Number:")
    serial_content = serial_tlv.content
    serial = int.from_bytes(serial_content, "big", signed=True) if serial_content else 0
    magnitude = magnitude_octets(serial)
    # ASN1_INTEGER_get: a value that fits a C long, -1 standing for "does not fit".
    if len(magnitude) <= 8 and -(2**63) <= serial < 2**63 and serial != -1:
        neg = "-" if serial < 0 else ""
        out.append(f" {neg}{abs(serial)} ({neg}0x{abs(serial):x})\n")
    else:
        neg = " (Negative)" if serial < 0 else ""
        out.append(f"\n{' ' * 12}{neg}" + ":".join(f"{b:02x}" for b in magnitude) + "\n")
    out.append("    " + signature_text(signature_alg.raw, None))
    out.append(f"        Issuer: {name_compat(issuer.raw)}\n")
    out.append("        Validity\n")
    try:
        times = validity.children()
        not_before, not_after = time_tlv_print(times[0]), time_tlv_print(times[1])
    except (Undecodable, IndexError):
        not_before = not_after = "Bad time value"
    out.append(f"            Not Before: {not_before}\n            Not After : {not_after}\n")
    out.append(f"        Subject: {name_compat(subject.raw)}\n")
    out.append("        Subject Public Key Info:\n")
    key_oid, key_text = public_key_text(spki.raw)
    out.append(f"            Public Key Algorithm: {oid_name(key_oid)}\n")
    out.append(key_text)
    extensions: Optional[TLV] = None
    for item in extra:
        if item.is_(CONTEXT, 1) or item.is_(CONTEXT, 2):
            label = "Issuer" if item.num == 1 else "Subject"
            with contextlib.suppress(Undecodable):
                unique_id = bit_string_octets(TLV(0, False, 3, item.content, b""))
                out.append(f"        {label} Unique ID: {signature_dump(unique_id, 12)}")
        elif item.is_(CONTEXT, 3):
            with contextlib.suppress(Undecodable):
                extensions = parse_first(item.content)
    with contextlib.suppress(Undecodable, IndexError):
        out.append(extensions_text("X509v3 extensions", extension_list(extensions), 8))
    try:
        signature = bit_string_octets(top[2])
    except (Undecodable, IndexError):
        signature = b""
    out.append(signature_text(top[1].raw, signature))
    if pem:
        out.append(certificate_pem(der))
    return "".join(out)
