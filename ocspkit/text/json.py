"""OCSP messages and their parts as plain JSON values, and as JSON text (schema in ``docs/text.md``)."""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from asn1crypto import x509

from .._der import received
from .._util import int_json
from ..certid import CertID
from ..enums import ResponderIDType, cert_status_str, crl_reason_str, response_status_str
from ..errors import OCSPTypeError, ParseError
from ..extensions import Extension, Extensions, read_nonce
from ..oid import CRLEntryExtensionOID, ExtensionOID, OCSPExtensionOID, oid_name
from ..request import OCSPRequest
from ..response import BasicOCSPResponse, OCSPResponse, SingleResponse
from .ber import Undecodable, expect, parse_first, read_integer, read_oid
from .extensions import extension_value_text
from .general_names import general_name_print, general_names
from .names import name_oneline_flags
from .times import time_fields
from .trees import signature_octets, tree_extensions
from .values import bytes_text, i2a_integer
from .x509 import certificate_pem

__all__ = ["to_json", "to_json_text"]


_Json = Union[None, bool, int, str, List[Any], Dict[str, Any]]


def _iso(value: Optional[_dt.datetime]) -> Optional[str]:
    """ISO 8601 in UTC with ``Z``; fractions of a second only when the time has them."""
    if value is None:
        return None
    value = value.astimezone(_dt.timezone.utc)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text + "Z"


def _hex(data: Optional[bytes]) -> Optional[str]:
    return None if data is None else data.hex().upper()


def _cert_id_json(cert_id: CertID) -> Dict[str, Any]:
    algorithm = cert_id.asn1["hash_algorithm"]["algorithm"].dotted
    return {
        "hash_algorithm": oid_name(algorithm),
        "hash_algorithm_oid": algorithm,
        "issuer_name_hash": _hex(cert_id.issuer_name_hash),
        "issuer_key_hash": _hex(cert_id.issuer_key_hash),
        "serial_number": i2a_integer(cert_id.serial_number).replace("\\\n", ""),
        "serial_number_int": int_json(cert_id.serial_number),
    }


def _extension_value_json(extension: Extension) -> _Json:
    """The decoded value of the extensions ocspkit knows, else None."""
    oid = extension.oid
    try:
        if oid == OCSPExtensionOID.NONCE:
            nonce, form = read_nonce(extension.raw_value)
            return {"nonce": _hex(nonce), "form": form.value}
        if oid in (OCSPExtensionOID.ARCHIVE_CUTOFF, CRLEntryExtensionOID.INVALIDITY_DATE):
            tlv = expect(parse_first(extension.raw_value), 24, False)
            return _iso(_json_time(tlv.content))
        if oid == CRLEntryExtensionOID.CRL_REASON:
            value = read_integer(parse_first(extension.raw_value), 10)
            return {"code": int_json(value), "name": crl_reason_str(value)}
        if oid == OCSPExtensionOID.CRL_ID:
            result: Dict[str, Any] = {"url": None, "number": None, "time": None}
            for part in expect(parse_first(extension.raw_value), 16, True).children():
                inner = parse_first(part.content)
                if part.num == 0:
                    result["url"] = bytes_text(inner.content)
                elif part.num == 1:
                    result["number"] = int_json(read_integer(inner))
                elif part.num == 2:
                    result["time"] = _iso(_json_time(inner.content))
            return result
        if oid in (OCSPExtensionOID.ACCEPTABLE_RESPONSES, ExtensionOID.EXTENDED_KEY_USAGE):
            return [read_oid(item) for item in expect(parse_first(extension.raw_value), 16, True).children()]
        if oid in (OCSPExtensionOID.EXTENDED_REVOKE, OCSPExtensionOID.NO_CHECK):
            return None
        if oid == CRLEntryExtensionOID.HOLD_INSTRUCTION_CODE:
            return read_oid(parse_first(extension.raw_value))
        if oid == CRLEntryExtensionOID.CERTIFICATE_ISSUER:
            return [general_name_print(gn) for gn in general_names(extension.raw_value)]
        if oid == OCSPExtensionOID.SERVICE_LOCATOR:
            parts = expect(parse_first(extension.raw_value), 16, True).children()
            locator = []
            for item in parts[1].children() if len(parts) > 1 else []:
                method, location = item.children()
                locator.append({"method": read_oid(method), "location": general_name_print(location)})
            return {"issuer": name_oneline_flags(parts[0].raw), "locator": locator}
        if oid == OCSPExtensionOID.PREFERRED_SIGNATURE_ALGORITHMS:
            # PreferredSignatureAlgorithm ::= SEQUENCE { sigIdentifier AlgorithmIdentifier, ... }
            items = expect(parse_first(extension.raw_value), 16, True).children()
            return [read_oid(item.children()[0].children()[0]) for item in items]
    except (Undecodable, ValueError, IndexError):
        return None
    return None


def _json_time(content: bytes) -> Optional[_dt.datetime]:
    try:
        fields, fraction, zone = time_fields(content.decode("ascii"), True)
    except (UnicodeDecodeError, Undecodable):
        return None
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    year, month, day, hour, minute, second = fields
    moment = _dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=_dt.timezone.utc)
    if zone not in ("", "Z"):
        offset = _dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
        moment -= offset if zone[0] == "+" else -offset
    return moment


def _extension_json(extension: Extension) -> Dict[str, Any]:
    return {
        "oid": extension.oid,
        "name": oid_name(extension.oid),
        "critical": extension.critical,
        "value_hex": _hex(extension.raw_value),
        "value": _extension_value_json(extension),
        "text": extension_value_text(extension.oid, extension.raw_value, 0),
    }


def _extensions_json(extensions: Extensions) -> List[Dict[str, Any]]:
    return [_extension_json(e) for e in extensions]


def _single_json(single: SingleResponse) -> Dict[str, Any]:
    reason = single.revocation_reason
    return {
        "cert_id": _cert_id_json(single.cert_id),
        "cert_status": cert_status_str(int(single.cert_status)),
        "revocation_time": _iso(single.revocation_time),
        "revocation_reason": None if reason is None else reason.asn1_name,
        "revocation_reason_code": None if reason is None else int(reason),
        "this_update": _iso(single.this_update),
        "next_update": _iso(single.next_update),
        "extensions": _extensions_json(single.extensions),
    }


def _algorithm_json(algorithm_der: bytes) -> Dict[str, Any]:
    parts = expect(parse_first(algorithm_der), 16, True).children()
    oid = read_oid(parts[0])
    return {
        "name": oid_name(oid),
        "oid": oid,
        "parameters_hex": _hex(parts[1].raw) if len(parts) > 1 else None,
    }


def _cert_json(der: bytes) -> Dict[str, Any]:
    cert = x509.Certificate.load(der)
    tbs = cert["tbs_certificate"]
    return {
        "subject": name_oneline_flags(received(tbs["subject"])),
        "issuer": name_oneline_flags(received(tbs["issuer"])),
        "serial_number": i2a_integer(int(tbs["serial_number"].native)).replace("\\\n", ""),
        "not_before": _iso(tbs["validity"]["not_before"].native),
        "not_after": _iso(tbs["validity"]["not_after"].native),
        "signature_algorithm": _algorithm_json(received(cert["signature_algorithm"])),
        "public_key_algorithm": oid_name(tbs["subject_public_key_info"]["algorithm"]["algorithm"].dotted),
        "extensions": [
            {
                "oid": oid,
                "name": oid_name(oid),
                "critical": critical,
                "value_hex": _hex(value),
                "text": extension_value_text(oid, value, 0),
            }
            for oid, critical, value in tree_extensions(tbs["extensions"])
        ],
        "pem": certificate_pem(der),
    }


def _deviations_json(deviations: Sequence[Any]) -> List[Dict[str, Any]]:
    return [{"code": d.code, "message": d.message, "path": d.path, "offset": d.offset} for d in deviations]


def _general_name_json(name: Any) -> Dict[str, Any]:
    tlv = parse_first(received(name))
    return {"type": name.name, "value": general_name_print(tlv).split(":", 1)[1]}


def _request_json(request: OCSPRequest) -> Dict[str, Any]:
    signature: Optional[Dict[str, Any]] = None
    if request.is_signed:
        sig_tree = request.asn1["optional_signature"]
        signature = {
            "algorithm": _algorithm_json(received(sig_tree["signature_algorithm"])),
            "value": _hex(signature_octets(sig_tree["signature"])),
        }
    name = request.requestor_name
    return {
        "type": "ocsp-request",
        "version": "v1",
        "requestor_name": None if name is None else _general_name_json(name),
        "requests": [
            {"cert_id": _cert_id_json(item.cert_id), "extensions": _extensions_json(item.extensions)}
            for item in request.requests
        ],
        "extensions": _extensions_json(request.extensions),
        "nonce": _hex(request.nonce),
        "signed": request.is_signed,
        "signature": signature,
        "certs": [_cert_json(received(c)) for c in request.certs],
        "deviations": _deviations_json(request.deviations),
    }


def _basic_json(basic: BasicOCSPResponse) -> Dict[str, Any]:
    responder = basic.responder_id
    if responder.type is ResponderIDType.BY_NAME:
        assert responder.name_der is not None
        responder_json: Dict[str, Any] = {
            "type": "by_name",
            "name": name_oneline_flags(responder.name_der),
            "key_hash": None,
        }
    else:
        responder_json = {"type": "by_key", "name": None, "key_hash": _hex(responder.key_hash)}
    return {
        "version": "v1",
        "responder_id": responder_json,
        "produced_at": _iso(basic.produced_at),
        "responses": [_single_json(single) for single in basic.responses],
        "extensions": _extensions_json(basic.extensions),
        "nonce": _hex(basic.nonce),
        "signature_algorithm": _algorithm_json(basic.signature_algorithm_der),
        "signature": _hex(basic.signature),
        "certs": [_cert_json(der) for der in basic.certs_der],
    }


def _response_json(response: OCSPResponse) -> Dict[str, Any]:
    status = response.response_status
    result: Dict[str, Any] = {
        "type": "ocsp-response",
        "response_status": status.asn1_name,
        "response_status_code": int(status),
        "response_status_text": response_status_str(int(status)),
        "response_type": response.response_type,
        "response_type_name": None if response.response_type is None else oid_name(response.response_type),
    }
    basic: Optional[Dict[str, Any]] = _basic_json(response.basic) if response.successful else None
    result["basic"] = basic
    result["deviations"] = _deviations_json(response.deviations)
    return result


def to_json(message: Any) -> Dict[str, Any]:
    """Every field of ``message`` as JSON values (dicts, lists, str, int, bool, None).

    ``message`` is an :class:`~ocspkit.OCSPRequest`, :class:`~ocspkit.OCSPResponse`,
    :class:`~ocspkit.BasicOCSPResponse`, :class:`~ocspkit.SingleResponse` or
    :class:`~ocspkit.CertID`. Octets are upper-case hex, times ISO 8601 in UTC with ``Z``,
    names of objects and statuses as :func:`request_text` / :func:`response_text` print them.
    The schema is in ``docs/text.md``.
    """
    converters: Tuple[Tuple[type, Callable[[Any], Dict[str, Any]]], ...] = (
        (OCSPRequest, _request_json),
        (OCSPResponse, _response_json),
        (BasicOCSPResponse, _basic_json),
        (SingleResponse, _single_json),
        (CertID, _cert_id_json),
    )
    for kind, converter in converters:
        if isinstance(message, kind):
            try:
                return converter(message)
            except (Undecodable, ValueError, TypeError, KeyError, IndexError) as error:
                raise ParseError(f"cannot convert this {kind.__name__}: {error}") from None
    raise OCSPTypeError(
        "to_json takes an OCSPRequest, OCSPResponse, BasicOCSPResponse, SingleResponse or CertID, "
        f"got {type(message).__name__}"
    )


def to_json_text(message: Any) -> str:
    """:func:`to_json` as text: ``json.dumps`` with an indent of 2, keys in schema order."""
    return json.dumps(to_json(message), indent=2, sort_keys=False)
