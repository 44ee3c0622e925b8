"""OCSP requests and responses in the layout of ``openssl ocsp -req_text`` / ``-resp_text``.

OpenSSL's OCSP_REQUEST_print and OCSP_RESPONSE_print, line for line. The printers work on the
asn1crypto trees of :mod:`ocspkit.asn1` (a view's ``asn1``), so that bytes ocspkit's loaders refuse
but OpenSSL prints (an explicit v2, a responseStatus outside RFC 6960, an unknown critical
extension) print as OpenSSL prints them too.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Union

from .. import asn1 as _asn1
from .._der import received, to_der
from ..enums import cert_status_str, crl_reason_str, response_status_str
from ..errors import OCSPTypeError, ParseError
from ..oid import OCSPResponseTypeOID, oid_name
from ..request import OCSPRequest, load_request
from ..response import OCSPResponse, load_response
from .ber import Undecodable, expect, int_value
from .extensions import extensions_text
from .general_names import general_name_print
from .names import name_oneline_flags
from .signatures import signature_text
from .times import asn1_time_print
from .trees import certs_der, is_absent, signature_octets, tree_extensions, unwrap, version_number
from .values import ULONG, asn1_long, enumerated_int, i2a_integer, i2a_string
from .x509 import certificate_text

__all__ = ["Message", "request_text", "responder_error_text", "response_text"]


Message = Union[OCSPRequest, OCSPResponse, bytes, bytearray, memoryview, str]


# BER that ocspkit's loaders accept (and record) but OpenSSL's decoder refuses: an INTEGER or
# ENUMERATED with a redundant leading octet ("illegal padding" in c2i_ibuf).
_OPENSSL_REFUSES = frozenset(("integer_not_minimal",))


def _tree(message: Any, view: Any, loader: Callable[..., Any], spec: Any, label: str, what: str) -> Any:
    """The asn1crypto tree of a view, or of DER / PEM bytes (loaded leniently, see above)."""
    if isinstance(message, view):
        return message.asn1
    if not isinstance(message, (bytes, bytearray, memoryview, str)):
        raise OCSPTypeError(
            f"{what} must be an ocspkit.{view.__name__} or DER / PEM bytes, got {type(message).__name__}"
        )
    try:
        loaded = loader(message, allow_unknown_critical=True)
    except ParseError as error:
        refused = error
    else:
        for deviation in loaded.deviations:
            if deviation.code in _OPENSSL_REFUSES:
                raise ParseError(f"OpenSSL refuses this {what}: {deviation.message}", path=deviation.path)
        return loaded.asn1
    der = to_der(message, (label,), what)
    try:
        return spec.load(der)
    except ValueError:
        raise refused from None


def _cert_id_text(cert_id: Any, indent: int) -> str:
    """ocsp_certid_print, from an asn1crypto CertID."""
    pad = " " * indent
    inner = " " * (indent + 2)
    algorithm = cert_id["hash_algorithm"]["algorithm"].dotted
    return (
        f"{pad}Certificate ID:\n"
        f"{inner}Hash Algorithm: {oid_name(algorithm)}\n"
        f"{inner}Issuer Name Hash: {i2a_string(bytes(cert_id['issuer_name_hash'].contents))}\n"
        f"{inner}Issuer Key Hash: {i2a_string(bytes(cert_id['issuer_key_hash'].contents))}\n"
        f"{inner}Serial Number: {i2a_integer(int_value(bytes(cert_id['serial_number'].contents)))}\n"
    )


def request_text(request: Message) -> str:
    """What ``openssl ocsp -reqin F -req_text`` prints for ``request`` (OCSP_REQUEST_print):
    version, requestor name, each CertID with its single extensions, the request extensions,
    and for a signed request the signature and each certificate with its PEM block.

    ``request`` is an :class:`~ocspkit.OCSPRequest`, or its DER / PEM bytes: bytes that
    :func:`~ocspkit.load_request` refuses but OpenSSL reads (an explicit version other than v1,
    an unknown critical extension) are printed as OpenSSL prints them; bytes neither reads raise
    :class:`~ocspkit.errors.ParseError`.
    """
    tree = _tree(request, OCSPRequest, load_request, _asn1.OCSPRequest, "OCSP REQUEST", "request")
    return _printed(_request_text, tree, "request")


def _printed(printer: Callable[[Any], str], tree: Any, what: str) -> str:
    """``printer(tree)``, with what it cannot read raised as a ParseError about the ``what``."""
    try:
        return printer(tree)
    except (Undecodable, ValueError, TypeError, KeyError, IndexError) as error:
        raise ParseError(f"cannot print this {what}: {error}") from None


def _request_text(tree: Any) -> str:
    tbs = tree["tbs_request"]
    version = asn1_long(version_number(tbs["version"]))
    out = [f"OCSP Request Data:\n    Version: {(version + 1) & ULONG} (0x{version & ULONG:x})"]
    if not is_absent(tbs["requestor_name"]):
        out.append("\n    Requestor Name: " + general_name_print(unwrap(tbs["requestor_name"])))
    out.append("\n    Requestor List:\n")
    for item in tbs["request_list"]:
        out.append(_cert_id_text(item["req_cert"], 8))
        out.append(
            extensions_text("Request Single Extensions", tree_extensions(item["single_request_extensions"]), 8)
        )
    out.append(extensions_text("Request Extensions", tree_extensions(tbs["request_extensions"]), 4))
    signature = tree["optional_signature"]
    if not is_absent(signature):
        out.append(
            signature_text(received(signature["signature_algorithm"]), signature_octets(signature["signature"]))
        )
        for cert in certs_der(signature["certs"]):
            out.append(certificate_text(cert))
    return "".join(out)


def _single_text(single: Any) -> str:
    """One SingleResponse of OCSP_RESPONSE_print."""
    out = [_cert_id_text(single["cert_id"], 4)]
    status = single["cert_status"]
    number = {"good": 0, "revoked": 1, "unknown": 2}[status.name]
    out.append(f"    Cert Status: {cert_status_str(number)}")
    if number == 1:
        info = status.chosen
        out.append(f"\n    Revocation Time: {asn1_time_print(info['revocation_time'])}")
        reason = info["revocation_reason"]
        if not is_absent(reason):
            value = int_value(bytes(reason.contents))
            out.append(f"\n    Revocation Reason: {crl_reason_str(value)} (0x{value & 0xFFFFFFFFFFFFFFFF:x})")
    out.append(f"\n    This Update: {asn1_time_print(single['this_update'])}")
    if not is_absent(single["next_update"]):
        out.append(f"\n    Next Update: {asn1_time_print(single['next_update'])}")
    out.append("\n")
    out.append(extensions_text("Response Single Extensions", tree_extensions(single["single_extensions"]), 8))
    out.append("\n")
    return "".join(out)


def _responder_id_text(responder: Any) -> str:
    inner = unwrap(responder)
    if responder.name == "by_name":
        return name_oneline_flags(inner.raw)
    return i2a_string(expect(inner, 4, False).content)


def response_text(response: Message) -> str:
    """What ``openssl ocsp -respin F -resp_text`` prints for ``response`` (OCSP_RESPONSE_print):
    status, type, version, responder ID, producedAt, each SingleResponse with its extensions,
    the response extensions, the signature, then each certificate with its PEM block.

    ``response`` is an :class:`~ocspkit.OCSPResponse`, or its DER / PEM bytes: bytes that
    :func:`~ocspkit.load_response` refuses but OpenSSL reads (an explicit version other than
    v1, an unknown critical extension, a responseStatus RFC 6960 does not define, a responseType
    other than id-pkix-ocsp-basic) are printed as OpenSSL prints them; bytes neither reads raise
    :class:`~ocspkit.errors.ParseError`.

    ``openssl ocsp`` itself first prints :func:`responder_error_text` for a status other than
    successful and stops there unless given ``-ignore_err``; that line is the command's, not
    part of this text.
    """
    tree = _tree(response, OCSPResponse, load_response, _asn1.OCSPResponse, "OCSP RESPONSE", "response")
    return _printed(_response_text, tree, "response")


def _response_status(tree: Any) -> int:
    return int_value(bytes(tree["response_status"].contents))


def _response_text(tree: Any) -> str:
    status = _response_status(tree)
    shown = status & 0xFFFFFFFFFFFFFFFF  # printed as the C long's %lx
    out = [f"OCSP Response Data:\n    OCSP Response Status: {response_status_str(status)} (0x{shown:x})\n"]
    response_bytes = tree["response_bytes"]
    if is_absent(response_bytes):
        return "".join(out)
    response_type = response_bytes["response_type"].dotted
    out.append(f"    Response Type: {oid_name(response_type)}")
    if response_type != OCSPResponseTypeOID.BASIC:
        out.append(" (unknown response type)\n")
        return "".join(out)
    basic = response_bytes["response"].parsed
    data = basic["tbs_response_data"]
    version = asn1_long(version_number(data["version"]))
    out.append(f"\n    Version: {(version + 1) & ULONG} (0x{version & ULONG:x})\n    Responder Id: ")
    out.append(_responder_id_text(data["responder_id"]))
    out.append(f"\n    Produced At: {asn1_time_print(data['produced_at'])}\n    Responses:\n")
    for single in data["responses"]:
        out.append(_single_text(single))
    out.append(extensions_text("Response Extensions", tree_extensions(data["response_extensions"]), 4))
    out.append(signature_text(received(basic["signature_algorithm"]), signature_octets(basic["signature"])))
    for cert in certs_der(basic["certs"]):
        out.append(certificate_text(cert))
    return "".join(out)


def responder_error_text(response: Message) -> Optional[str]:
    """The line ``openssl ocsp`` prints before the text of a response whose status is not
    successful, ``Responder Error: malformedrequest (1)``; None for a successful response.

    ``response`` is an :class:`~ocspkit.OCSPResponse` or its DER / PEM bytes (read as
    :func:`response_text` reads them, so a status RFC 6960 leaves undefined gives
    ``Responder Error: (UNKNOWN) (7)`` as OpenSSL prints it).
    """
    tree = _tree(response, OCSPResponse, load_response, _asn1.OCSPResponse, "OCSP RESPONSE", "response")
    try:
        status = _response_status(tree)
    except (Undecodable, ValueError) as error:
        raise ParseError(f"cannot read the responseStatus: {error}") from None
    if status == 0:
        return None
    return f"Responder Error: {response_status_str(status)} ({enumerated_int(status)})\n"
