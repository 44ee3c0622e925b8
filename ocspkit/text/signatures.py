"""Signatures as X509_signature_print prints them: algorithm, RSASSA-PSS parameters, DSA's r and s, hex."""

from __future__ import annotations

from typing import Dict, Optional

from ..oid import MaskGenerationFunctionOID, SignatureAlgorithmOID, oid_name
from .ber import CONTEXT, TLV, Undecodable, expect, parse_first, read_integer, read_oid
from .values import bignum_text, i2a_integer

__all__ = ["signature_dump", "signature_text"]


def signature_dump(signature: bytes, indent: int) -> str:
    """X509_signature_dump: lower-case ``aa:bb`` hex, 18 octets per line."""
    lines = [" " * indent + ":".join(f"{b:02x}" for b in signature[i : i + 18]) for i in range(0, len(signature), 18)]
    return ":\n".join(lines) + "\n"


def _pss_params_text(params: Optional[bytes], indent: int) -> str:
    """rsa_pss_param_print for a signature's RSASSA-PSS-params."""
    pad = " " * indent
    fields: Dict[int, TLV] = {}
    try:
        if params is None:
            raise Undecodable("no parameters")
        for part in expect(parse_first(params), 16, True).children():
            if part.cls != CONTEXT or part.num > 3 or part.num in fields:
                raise Undecodable("bad RSASSA-PSS-params")
            fields[part.num] = parse_first(part.content)
        hash_text = "sha1 (default)"
        if 0 in fields:
            hash_text = oid_name(read_oid(fields[0].children()[0]))
        mask_text = "mgf1 with sha1 (default)"
        if 1 in fields:
            mgf = fields[1].children()
            mask_text = oid_name(read_oid(mgf[0])) + " with "
            try:
                if read_oid(mgf[0]) != MaskGenerationFunctionOID.MGF1:
                    raise Undecodable("not MGF1")
                mask_text += oid_name(read_oid(mgf[1].children()[0]))
            except (Undecodable, IndexError):
                mask_text += "INVALID"
        salt = "14 (default)" if 2 not in fields else i2a_integer(read_integer(fields[2]))
        trailer = "01 (default)" if 3 not in fields else i2a_integer(read_integer(fields[3]))
    except (Undecodable, IndexError):
        return pad + "(INVALID PSS PARAMETERS)\n"
    return (
        f"{pad}\n{pad}Hash Algorithm: {hash_text}\n{pad}Mask Algorithm: {mask_text}\n"
        f"{pad} Salt Length: 0x{salt}\n{pad}Trailer Field: 0x{trailer}\n"
    )


def signature_text(algorithm_der: bytes, signature: Optional[bytes]) -> str:
    """X509_signature_print: ``    Signature Algorithm: ...``, then (with a signature) its
    ``Signature Value:`` hex dump; RSASSA-PSS parameters are printed as OpenSSL prints them."""
    try:
        parts = expect(parse_first(algorithm_der), 16, True).children()
        oid = read_oid(parts[0])
        params = parts[1].raw if len(parts) > 1 else None
    except (Undecodable, IndexError):
        oid, params = "", None
    out = [f"    Signature Algorithm: {oid_name(oid)}"]
    if signature is not None:
        out.append("\n    Signature Value:")
    if oid == SignatureAlgorithmOID.RSASSA_PSS:
        out.append(_pss_params_text(params, 8))
    elif oid in _DSA_SIGNATURES and signature is not None:
        try:
            r_tlv, s_tlv = expect(parse_first(signature), 16, True).children()[:2]
            r_value, s_value = read_integer(r_tlv), read_integer(s_tlv)
        except (Undecodable, ValueError):
            pass
        else:
            # dsa_sig_print: r and s (ASN1_bn_print), without the hex dump.
            return "".join(out) + "\n" + _asn1_bn_text("r:   ", r_value, 8) + _asn1_bn_text("s:   ", s_value, 8)
        out.append("\n")
    else:
        out.append("\n")
    if signature is not None:
        out.append(signature_dump(signature, 8))
    return "".join(out)


# Signature algorithms whose key type is DSA (dsa_sig_print prints r and s).
_DSA_SIGNATURES = frozenset((
    SignatureAlgorithmOID.DSA_WITH_SHA1,
    SignatureAlgorithmOID.DSA_WITH_SHA1_OIW,
    SignatureAlgorithmOID.DSA_WITH_SHA,
    SignatureAlgorithmOID.DSA_WITH_SHA224,
    SignatureAlgorithmOID.DSA_WITH_SHA256,
    SignatureAlgorithmOID.DSA_WITH_SHA384,
    SignatureAlgorithmOID.DSA_WITH_SHA512,
    SignatureAlgorithmOID.DSA_WITH_SHA3_224,
    SignatureAlgorithmOID.DSA_WITH_SHA3_256,
    SignatureAlgorithmOID.DSA_WITH_SHA3_384,
    SignatureAlgorithmOID.DSA_WITH_SHA3_512,
))


def _asn1_bn_text(label: str, value: int, indent: int) -> str:
    """ASN1_bn_print: print_labeled_bignum's text (:func:`~ocspkit.text.values.bignum_text`), every
    line indented by ``indent``."""
    pad = " " * indent
    return "".join(pad + line + "\n" for line in bignum_text(label, value).splitlines())
