"""The ASN.1 module of RFC 6960 Appendix B (and RFC 2560's), modelled by hand on asn1crypto.core.

Types carry the ASN.1 production names; fields are the snake_cased field names, as asn1crypto does
it (``tbsResponseData`` -> ``tbs_response_data``). Name, GeneralName, Certificate,
AlgorithmIdentifier and the CRL entry types come from asn1crypto's x509/algos/crl modules.

Extension values are resolved by OID to typed values; an extension whose OID is not known here
keeps its ``extn_value`` as raw bytes and is re-encoded untouched. Two known values are also kept
raw on purpose and decoded by the views: the nonce (some responders send it without the OCTET STRING
wrapper RFC 6960 4.4.1 asks for, and OpenSSL accepts both) and the CT SCT list (RFC 6962 3.3).

These classes are the raw tree. Most code wants the views in :mod:`ocspkit.request` and
:mod:`ocspkit.response`, which keep the received bytes and validate on load.
"""

from __future__ import annotations

from typing import Any

from asn1crypto import algos, core, crl, x509

from ._der import load_tree, to_der
from .oid import (
    AuthorityInformationAccessOID,
    CRLEntryExtensionOID,
    ExtendedKeyUsageOID,
    OCSPExtensionOID,
    OCSPResponseTypeOID,
)

__all__ = [
    "OID",
    "AcceptableResponses",
    "ArchiveCutoff",
    "BasicOCSPResponse",
    "CertID",
    "CertStatus",
    "Certificates",
    "CrlID",
    "ExtendedRevoke",
    "KeyHash",
    "Nonce",
    "OCSPNoCheck",
    "OCSPRequest",
    "OCSPResponse",
    "OCSPResponseStatus",
    "PreferredSignatureAlgorithm",
    "PreferredSignatureAlgorithms",
    "Request",
    "RequestExtension",
    "RequestExtensionId",
    "RequestExtensions",
    "RequestList",
    "ResponderID",
    "ResponseBytes",
    "ResponseData",
    "ResponseDataExtension",
    "ResponseDataExtensionId",
    "ResponseDataExtensions",
    "ResponseType",
    "RevokedInfo",
    "SctList",
    "ServiceLocator",
    "Signature",
    "SingleRequestExtension",
    "SingleRequestExtensionId",
    "SingleRequestExtensions",
    "SingleResponse",
    "SingleResponseExtension",
    "SingleResponseExtensionId",
    "SingleResponseExtensions",
    "SingleResponses",
    "TBSRequest",
    "UnknownInfo",
    "Version",
    "X509CertAux",
    "load",
]


class OID:
    """The OIDs of RFC 6960 and its neighbours under their ``ocspkit.asn1`` names (``OID.NONCE``).

    Each is the registry's constant (:mod:`ocspkit.oid`, where the OIDs are written once); this
    flat view stays for the code and the users that name them from here.
    """

    PKIX_OCSP = AuthorityInformationAccessOID.OCSP  # id-pkix-ocsp (the id-ad-ocsp arc)
    BASIC = OCSPResponseTypeOID.BASIC  # id-pkix-ocsp-basic
    NONCE = OCSPExtensionOID.NONCE  # id-pkix-ocsp-nonce
    CRL = OCSPExtensionOID.CRL_ID  # id-pkix-ocsp-crl
    RESPONSE = OCSPExtensionOID.ACCEPTABLE_RESPONSES  # id-pkix-ocsp-response (acceptable responses)
    NOCHECK = OCSPExtensionOID.NO_CHECK  # id-pkix-ocsp-nocheck
    ARCHIVE_CUTOFF = OCSPExtensionOID.ARCHIVE_CUTOFF  # id-pkix-ocsp-archive-cutoff
    SERVICE_LOCATOR = OCSPExtensionOID.SERVICE_LOCATOR  # id-pkix-ocsp-service-locator
    PREF_SIG_ALGS = OCSPExtensionOID.PREFERRED_SIGNATURE_ALGORITHMS  # id-pkix-ocsp-pref-sig-algs
    EXTENDED_REVOKE = OCSPExtensionOID.EXTENDED_REVOKE  # id-pkix-ocsp-extended-revoke
    KP_OCSP_SIGNING = ExtendedKeyUsageOID.OCSP_SIGNING  # id-kp-OCSPSigning
    AD_OCSP = AuthorityInformationAccessOID.OCSP  # id-ad-ocsp (same arc as id-pkix-ocsp)
    CRL_REASON = CRLEntryExtensionOID.CRL_REASON  # id-ce-cRLReasons
    INVALIDITY_DATE = CRLEntryExtensionOID.INVALIDITY_DATE  # id-ce-invalidityDate
    CERTIFICATE_ISSUER = CRLEntryExtensionOID.CERTIFICATE_ISSUER  # id-ce-certificateIssuer
    SCT_LIST = OCSPExtensionOID.SIGNED_CERTIFICATE_TIMESTAMPS  # RFC 6962 3.3, SCTs in an OCSP response


# --- basic types -----------------------------------------------------------------------------


class Version(core.Integer):
    """Version ::= INTEGER { v1(0) }"""

    _map = {0: "v1"}


class KeyHash(core.OctetString):
    """KeyHash ::= OCTET STRING -- SHA-1 hash of responder's public key (RFC 6960 4.2.1)."""


class UnknownInfo(core.Null):
    """UnknownInfo ::= NULL"""


class ArchiveCutoff(core.GeneralizedTime):
    """ArchiveCutoff ::= GeneralizedTime (RFC 6960 4.4.4)."""


class Nonce(core.OctetString):
    """The nonce extension's value: an OCTET STRING (RFC 6960 4.4.1, RFC 8954)."""


class ExtendedRevoke(core.Null):
    """The extended revoke extension's value: NULL (RFC 6960 4.4.8)."""


class OCSPNoCheck(core.Null):
    """id-pkix-ocsp-nocheck, a certificate extension with a NULL value (RFC 6960 4.2.2.2.1)."""


class SctList(core.OctetString):
    """SignedCertificateTimestampList, kept raw (RFC 6962 3.3)."""


class Certificates(core.SequenceOf):
    """SEQUENCE OF Certificate"""

    _child_spec = x509.Certificate


# --- CertID, Request, TBSRequest, Signature, OCSPRequest (RFC 6960 4.1.1) -------------------------


class CertID(core.Sequence):
    """CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber }"""

    _fields = [
        ("hash_algorithm", algos.DigestAlgorithm),
        ("issuer_name_hash", core.OctetString),
        ("issuer_key_hash", core.OctetString),
        ("serial_number", core.Integer),
    ]


class ResponseType(core.ObjectIdentifier):
    """OIDs usable as responseType / in AcceptableResponses."""

    _map = {OID.BASIC: "basic_ocsp_response"}


class AcceptableResponses(core.SequenceOf):
    """AcceptableResponses ::= SEQUENCE OF OBJECT IDENTIFIER (RFC 6960 4.4.3)."""

    _child_spec = ResponseType


class ServiceLocator(core.Sequence):
    """ServiceLocator ::= SEQUENCE { issuer Name, locator AuthorityInfoAccessSyntax } (4.4.6).

    RFC 2560 made ``locator`` OPTIONAL; it is read as optional here and always written.
    """

    _fields = [
        ("issuer", x509.Name),
        ("locator", x509.AuthorityInfoAccessSyntax, {"optional": True}),
    ]


class PreferredSignatureAlgorithm(core.Sequence):
    """PreferredSignatureAlgorithm ::= SEQUENCE { sigIdentifier, certIdentifier OPTIONAL } (4.4.7)."""

    _fields = [
        ("sig_identifier", algos.SignedDigestAlgorithm),
        ("cert_identifier", algos.AlgorithmIdentifier, {"optional": True}),
    ]


class PreferredSignatureAlgorithms(core.SequenceOf):
    """PreferredSignatureAlgorithms ::= SEQUENCE OF PreferredSignatureAlgorithm (4.4.7.1)."""

    _child_spec = PreferredSignatureAlgorithm


class CrlID(core.Sequence):
    """CrlID ::= SEQUENCE { crlUrl [0], crlNum [1], crlTime [2] } all EXPLICIT OPTIONAL (4.4.2)."""

    _fields = [
        ("crl_url", core.IA5String, {"explicit": 0, "optional": True}),
        ("crl_num", core.Integer, {"explicit": 1, "optional": True}),
        ("crl_time", core.GeneralizedTime, {"explicit": 2, "optional": True}),
    ]


def _extension_fields(extn_id: Any) -> list[tuple[str, Any, dict[str, Any]]]:
    """Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }"""
    return [
        ("extn_id", extn_id, {}),
        ("critical", core.Boolean, {"default": False}),
        ("extn_value", core.ParsableOctetString, {}),
    ]


_EXTN_PAIR = ("extn_id", "extn_value")


class RequestExtensionId(core.ObjectIdentifier):
    """OIDs of requestExtensions (RFC 6960 4.4)."""

    _map = {
        OID.NONCE: "nonce",
        OID.RESPONSE: "acceptable_responses",
        OID.PREF_SIG_ALGS: "preferred_signature_algorithms",
        OID.SERVICE_LOCATOR: "service_locator",
    }


class RequestExtension(core.Sequence):
    """An extension of requestExtensions."""

    _fields = _extension_fields(RequestExtensionId)
    _oid_pair = _EXTN_PAIR
    _oid_specs = {
        "acceptable_responses": AcceptableResponses,
        "preferred_signature_algorithms": PreferredSignatureAlgorithms,
        "service_locator": ServiceLocator,
    }


class RequestExtensions(core.SequenceOf):
    """requestExtensions: Extensions"""

    _child_spec = RequestExtension


class SingleRequestExtensionId(core.ObjectIdentifier):
    """OIDs of singleRequestExtensions (RFC 6960 4.4.6)."""

    _map = {OID.SERVICE_LOCATOR: "service_locator", OID.NONCE: "nonce"}


class SingleRequestExtension(core.Sequence):
    """An extension of singleRequestExtensions."""

    _fields = _extension_fields(SingleRequestExtensionId)
    _oid_pair = _EXTN_PAIR
    _oid_specs = {"service_locator": ServiceLocator}


class SingleRequestExtensions(core.SequenceOf):
    """singleRequestExtensions: Extensions"""

    _child_spec = SingleRequestExtension


class ResponseDataExtensionId(core.ObjectIdentifier):
    """OIDs of responseExtensions (RFC 6960 4.4)."""

    _map = {
        OID.NONCE: "nonce",
        OID.EXTENDED_REVOKE: "extended_revoke",
        OID.CRL: "crl_id",
        OID.ARCHIVE_CUTOFF: "archive_cutoff",
    }


class ResponseDataExtension(core.Sequence):
    """An extension of responseExtensions."""

    _fields = _extension_fields(ResponseDataExtensionId)
    _oid_pair = _EXTN_PAIR
    _oid_specs = {
        "extended_revoke": ExtendedRevoke,
        "crl_id": CrlID,
        "archive_cutoff": ArchiveCutoff,
    }


class ResponseDataExtensions(core.SequenceOf):
    """responseExtensions: Extensions"""

    _child_spec = ResponseDataExtension


class SingleResponseExtensionId(core.ObjectIdentifier):
    """OIDs of singleExtensions: RFC 6960 4.4 and the CRL entry extensions of RFC 5280 5.3."""

    _map = {
        OID.CRL: "crl_id",
        OID.ARCHIVE_CUTOFF: "archive_cutoff",
        OID.CRL_REASON: "crl_reason",
        OID.INVALIDITY_DATE: "invalidity_date",
        OID.CERTIFICATE_ISSUER: "certificate_issuer",
        OID.SCT_LIST: "signed_certificate_timestamp_list",
    }


class SingleResponseExtension(core.Sequence):
    """An extension of singleExtensions."""

    _fields = _extension_fields(SingleResponseExtensionId)
    _oid_pair = _EXTN_PAIR
    _oid_specs = {
        "crl_id": CrlID,
        "archive_cutoff": ArchiveCutoff,
        "crl_reason": crl.CRLReason,
        "invalidity_date": core.GeneralizedTime,
        "certificate_issuer": x509.GeneralNames,
    }


class SingleResponseExtensions(core.SequenceOf):
    """singleExtensions: Extensions"""

    _child_spec = SingleResponseExtension


class Request(core.Sequence):
    """Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT OPTIONAL }"""

    _fields = [
        ("req_cert", CertID),
        ("single_request_extensions", SingleRequestExtensions, {"explicit": 0, "optional": True}),
    ]


class RequestList(core.SequenceOf):
    """SEQUENCE OF Request"""

    _child_spec = Request


class TBSRequest(core.Sequence):
    """TBSRequest ::= SEQUENCE { version [0] DEFAULT v1, requestorName [1], requestList, requestExtensions [2] }"""

    _fields = [
        ("version", Version, {"explicit": 0, "default": "v1"}),
        ("requestor_name", x509.GeneralName, {"explicit": 1, "optional": True}),
        ("request_list", RequestList),
        ("request_extensions", RequestExtensions, {"explicit": 2, "optional": True}),
    ]


class Signature(core.Sequence):
    """Signature ::= SEQUENCE { signatureAlgorithm, signature BIT STRING, certs [0] EXPLICIT OPTIONAL }"""

    _fields = [
        ("signature_algorithm", algos.SignedDigestAlgorithm),
        ("signature", core.OctetBitString),
        ("certs", Certificates, {"explicit": 0, "optional": True}),
    ]


class OCSPRequest(core.Sequence):
    """OCSPRequest ::= SEQUENCE { tbsRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }"""

    _fields = [
        ("tbs_request", TBSRequest),
        ("optional_signature", Signature, {"explicit": 0, "optional": True}),
    ]


# --- responses (RFC 6960 4.2.1) ------------------------------------------------------------------


class OCSPResponseStatus(core.Enumerated):
    """OCSPResponseStatus ::= ENUMERATED (value 4 is not used)."""

    _map = {
        0: "successful",
        1: "malformed_request",
        2: "internal_error",
        3: "try_later",
        5: "sig_required",
        6: "unauthorized",
    }


class ResponderID(core.Choice):
    """ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash } (EXPLICIT tags)."""

    _alternatives = [
        ("by_name", x509.Name, {"explicit": 1}),
        ("by_key", KeyHash, {"explicit": 2}),
    ]


class RevokedInfo(core.Sequence):
    """RevokedInfo ::= SEQUENCE { revocationTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }"""

    _fields = [
        ("revocation_time", core.GeneralizedTime),
        ("revocation_reason", crl.CRLReason, {"explicit": 0, "optional": True}),
    ]


class CertStatus(core.Choice):
    """CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] }"""

    _alternatives = [
        ("good", core.Null, {"implicit": 0}),
        ("revoked", RevokedInfo, {"implicit": 1}),
        ("unknown", UnknownInfo, {"implicit": 2}),
    ]


class SingleResponse(core.Sequence):
    """SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0], singleExtensions [1] }"""

    _fields = [
        ("cert_id", CertID),
        ("cert_status", CertStatus),
        ("this_update", core.GeneralizedTime),
        ("next_update", core.GeneralizedTime, {"explicit": 0, "optional": True}),
        ("single_extensions", SingleResponseExtensions, {"explicit": 1, "optional": True}),
    ]


class SingleResponses(core.SequenceOf):
    """SEQUENCE OF SingleResponse"""

    _child_spec = SingleResponse


class ResponseData(core.Sequence):
    """ResponseData ::= SEQUENCE { version [0] DEFAULT v1, responderID, producedAt, responses,
    responseExtensions [1] }"""

    _fields = [
        ("version", Version, {"explicit": 0, "default": "v1"}),
        ("responder_id", ResponderID),
        ("produced_at", core.GeneralizedTime),
        ("responses", SingleResponses),
        ("response_extensions", ResponseDataExtensions, {"explicit": 1, "optional": True}),
    ]


class BasicOCSPResponse(core.Sequence):
    """BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature, certs [0] }"""

    _fields = [
        ("tbs_response_data", ResponseData),
        ("signature_algorithm", algos.SignedDigestAlgorithm),
        ("signature", core.OctetBitString),
        ("certs", Certificates, {"explicit": 0, "optional": True}),
    ]


class ResponseBytes(core.Sequence):
    """ResponseBytes ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }"""

    _fields = [
        ("response_type", ResponseType),
        ("response", core.ParsableOctetString),
    ]
    _oid_pair = ("response_type", "response")
    _oid_specs = {"basic_ocsp_response": BasicOCSPResponse}


class OCSPResponse(core.Sequence):
    """OCSPResponse ::= SEQUENCE { responseStatus, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }"""

    _fields = [
        ("response_status", OCSPResponseStatus),
        ("response_bytes", ResponseBytes, {"explicit": 0, "optional": True}),
    ]


def load(spec: Any, data: bytes, *, strict: bool = False) -> Any:
    """Parse DER (or BER OpenSSL accepts) as the ASN.1 type ``spec`` and validate the whole tree.

    For any structure of this module (``load(CertID, der)``). Trailing bytes are refused; every
    failure is a :class:`ocspkit.errors.ParseError`; ``strict=True`` also refuses non-DER.
    Messages are better read with :func:`ocspkit.load_request` / :func:`ocspkit.load_response`.
    """
    der = to_der(data, (), spec.__name__)
    tree, _ = load_tree(spec, der, strict=strict)
    return tree


class X509CertAux(core.Sequence):
    """OpenSSL's X509_CERT_AUX: the trust settings that follow the certificate in a ``TRUSTED
    CERTIFICATE`` PEM block (``openssl x509 -addtrust``); not part of RFC 6960."""

    _fields = [
        ("trust", core.SequenceOf, {"optional": True, "spec": core.ObjectIdentifier}),
        ("reject", core.SequenceOf, {"implicit": 0, "optional": True, "spec": core.ObjectIdentifier}),
        ("alias", core.UTF8String, {"optional": True}),
        ("keyid", core.OctetString, {"optional": True}),
        ("other", core.Any, {"implicit": 1, "optional": True}),
    ]
