"""Public keys as EVP_PKEY_print_public prints them: RSA, RSASSA-PSS, DSA, EC on named curves, EdDSA."""

from __future__ import annotations

from typing import Dict, Optional, Tuple

from .._util import int_text
from ..oid import (
    EllipticCurveOID,
    HashAlgorithmOID,
    MaskGenerationFunctionOID,
    PublicKeyAlgorithmOID,
    short_name,
)
from .ber import CONTEXT, TLV, Undecodable, bit_string_octets, expect, parse_first, read_integer, read_oid
from .values import bignum_text

__all__ = ["public_key_text"]


_PSS_HASH_NAMES = {
    HashAlgorithmOID.SHA1: "SHA1",
    HashAlgorithmOID.SHA224: "SHA2-224",
    HashAlgorithmOID.SHA256: "SHA2-256",
    HashAlgorithmOID.SHA384: "SHA2-384",
    HashAlgorithmOID.SHA512: "SHA2-512",
    HashAlgorithmOID.SHA512_224: "SHA2-512/224",
    HashAlgorithmOID.SHA512_256: "SHA2-512/256",
}


def _pss_key_restrictions(params: Optional[bytes]) -> str:
    """The provider's text for the parameters of an RSASSA-PSS key."""
    if params is None:
        return "No PSS parameter restrictions\n"
    fields: Dict[int, TLV] = {}
    for part in expect(parse_first(params), 16, True).children():
        if part.cls != CONTEXT or part.num > 3:
            raise Undecodable("bad RSASSA-PSS-params")
        fields[part.num] = parse_first(part.content)
    hash_oid = read_oid(fields[0].children()[0]) if 0 in fields else HashAlgorithmOID.SHA1
    mask_hash = HashAlgorithmOID.SHA1
    if 1 in fields:
        mgf = fields[1].children()
        if read_oid(mgf[0]) != MaskGenerationFunctionOID.MGF1:
            raise Undecodable("not MGF1")
        mask_hash = read_oid(mgf[1].children()[0])
    salt = read_integer(fields[2]) if 2 in fields else 20
    trailer = read_integer(fields[3]) if 3 in fields else 1
    sha1 = HashAlgorithmOID.SHA1
    return (
        "PSS parameter restrictions:\n"
        f"  Hash Algorithm: {_PSS_HASH_NAMES[hash_oid]}{' (default)' if hash_oid == sha1 else ''}\n"
        f"  Mask Algorithm: MGF1 with {_PSS_HASH_NAMES[mask_hash]}{' (default)' if mask_hash == sha1 else ''}\n"
        f"  Minimum Salt Length: {int_text(salt)}{' (default)' if salt == 20 else ''}\n"
        f"  Trailer Field: 0x{trailer:x}{' (default)' if trailer == 1 else ''}\n"
    )


def _buf_text(label: str, data: bytes) -> str:
    """print_labeled_buf (EC and EdDSA public keys), before indenting."""
    lines = [":".join(f"{b:02x}" for b in data[i : i + 15]) for i in range(0, len(data), 15)]
    return f"{label}\n    " + ":\n    ".join(lines) + "\n"


# Named curves: OpenSSL's short name, the bits of the group order, the NIST name if any.
_CURVES = {
    EllipticCurveOID.SECP192R1: ("prime192v1", 192, "P-192"),
    EllipticCurveOID.SECP224R1: ("secp224r1", 224, "P-224"),
    EllipticCurveOID.SECP256R1: ("prime256v1", 256, "P-256"),
    EllipticCurveOID.SECP384R1: ("secp384r1", 384, "P-384"),
    EllipticCurveOID.SECP521R1: ("secp521r1", 521, "P-521"),
    EllipticCurveOID.SECP256K1: ("secp256k1", 256, None),
    EllipticCurveOID.BRAINPOOLP192R1: ("brainpoolP192r1", 192, None),
    EllipticCurveOID.BRAINPOOLP224R1: ("brainpoolP224r1", 224, None),
    EllipticCurveOID.BRAINPOOLP256R1: ("brainpoolP256r1", 256, None),
    EllipticCurveOID.BRAINPOOLP320R1: ("brainpoolP320r1", 320, None),
    EllipticCurveOID.BRAINPOOLP384R1: ("brainpoolP384r1", 384, None),
    EllipticCurveOID.BRAINPOOLP512R1: ("brainpoolP512r1", 512, None),
}


def public_key_text(spki_der: bytes) -> Tuple[str, str]:
    """The public key algorithm's OID and EVP_PKEY_print_public's text (indent 16) for RSA, EC
    on named curves, Ed25519 and Ed448."""
    try:
        parts = expect(parse_first(spki_der), 16, True).children()
        algorithm = expect(parts[0], 16, True).children()
        oid = read_oid(algorithm[0])
        key = bit_string_octets(parts[1])
    except (Undecodable, IndexError):
        return "", " " * 12 + "Unable to load Public Key\n"
    body: Optional[str] = None
    try:
        if oid in (PublicKeyAlgorithmOID.RSA_ENCRYPTION, PublicKeyAlgorithmOID.RSASSA_PSS):
            fields = expect(parse_first(key), 16, True).children()
            modulus, exponent = read_integer(fields[0]), read_integer(fields[1])
            body = (
                f"Public-Key: ({modulus.bit_length()} bit)\n"
                + bignum_text("Modulus:", modulus)
                + bignum_text("Exponent:", exponent)
            )
            if oid == PublicKeyAlgorithmOID.RSASSA_PSS:  # an RSASSA-PSS key, maybe with parameter restrictions
                body += _pss_key_restrictions(algorithm[1].raw if len(algorithm) > 1 else None)
        elif oid == PublicKeyAlgorithmOID.DSA:
            params = expect(algorithm[1], 16, True).children()
            p_, q_, g_ = (read_integer(item) for item in params[:3])
            body = (
                f"Public-Key: ({p_.bit_length()} bit)\n"
                + bignum_text("pub: ", read_integer(parse_first(key)))
                + bignum_text("P:   ", p_)
                + bignum_text("Q:   ", q_)
                + bignum_text("G:   ", g_)
            )
        elif oid == PublicKeyAlgorithmOID.EC_PUBLIC_KEY:
            curve = _CURVES.get(read_oid(algorithm[1]))
            if curve is not None:
                name, bits, nist = curve
                body = f"Public-Key: ({bits} bit)\n" + _buf_text("pub:", key) + f"ASN1 OID: {name}\n"
                if nist:
                    body += f"NIST CURVE: {nist}\n"
        elif oid in (PublicKeyAlgorithmOID.ED25519, PublicKeyAlgorithmOID.ED448):
            body = f"{short_name(oid)} Public-Key:\n" + _buf_text("pub:", key)
    except (Undecodable, IndexError, KeyError):
        body = None
    if body is None:
        return oid, " " * 12 + "Unable to load Public Key\n"
    return oid, "".join(" " * 16 + line + "\n" for line in body.splitlines())
