"""OCSP responses (RFC 6960 4.2): read-only views and :func:`load_response`.

OpenSSL equivalents: d2i_OCSP_RESPONSE_bio / PEM_read_bio_OCSP_RESPONSE (load_response),
OCSP_response_status, OCSP_response_get1_basic, OCSP_resp_count, OCSP_resp_get0, OCSP_resp_find,
OCSP_single_get0_status, OCSP_resp_find_status.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from typing import Any, Iterable, Optional, Tuple, Union

from asn1crypto import core

from . import asn1
from ._der import Deviation, first_child, load_tree, pem_armor, to_der
from ._util import to_generalized_time, utc_from_asn1, version_number
from .certid import CertID
from .enums import CertStatus, ResponderIDType, ResponseStatus, RevocationReason
from .errors import OCSPTypeError, ParseError, UnsuccessfulResponse
from .extensions import Extensions, NonceForm, make_extension, nonce_of, refuse_unknown_critical

__all__ = [
    "BasicOCSPResponse",
    "OCSPResponse",
    "ResponderID",
    "ResponseBuilder",
    "SingleResponse",
    "load_response",
    "unsuccessful_response",
]

PEM_LABEL = "OCSP RESPONSE"

_RESPONSE_EXTENSION_TYPES = (asn1.ResponseDataExtension, asn1.SingleResponseExtension)

_STATUS_BY_NAME = {
    "successful": ResponseStatus.SUCCESSFUL,
    "malformed_request": ResponseStatus.MALFORMED_REQUEST,
    "internal_error": ResponseStatus.INTERNAL_ERROR,
    "try_later": ResponseStatus.TRY_LATER,
    "sig_required": ResponseStatus.SIG_REQUIRED,
    "unauthorized": ResponseStatus.UNAUTHORIZED,
}


class ResponderID:
    """ResponderID: by name (an asn1crypto Name) or by key (SHA-1 of the responder's key)."""

    __slots__ = ("_asn1",)

    def __init__(self, asn1_responder_id: Any) -> None:
        self._asn1 = asn1_responder_id

    @property
    def asn1(self) -> Any:
        """The asn1crypto ResponderID."""
        return self._asn1

    @property
    def type(self) -> ResponderIDType:
        """BY_NAME or BY_KEY."""
        return ResponderIDType.BY_NAME if self._asn1.name == "by_name" else ResponderIDType.BY_KEY

    @property
    def name(self) -> Any:
        """The asn1crypto Name for byName, else None."""
        return self._asn1.chosen if self._asn1.name == "by_name" else None

    @property
    def key_hash(self) -> Optional[bytes]:
        """The KeyHash for byKey, else None."""
        return bytes(self._asn1.chosen.native) if self._asn1.name == "by_key" else None

    def __repr__(self) -> str:
        if self.key_hash is not None:
            return f"<ResponderID by_key {self.key_hash.hex().upper()}>"
        return f"<ResponderID by_name {self.name.human_friendly}>"


class SingleResponse:
    """One SingleResponse: the status of one certificate (OCSP_single_get0_status)."""

    __slots__ = ("_asn1", "_cert_id")

    def __init__(self, asn1_single: Any) -> None:
        self._asn1 = asn1_single
        self._cert_id = CertID(asn1_single["cert_id"])

    @property
    def asn1(self) -> Any:
        """The asn1crypto SingleResponse."""
        return self._asn1

    @property
    def cert_id(self) -> CertID:
        """certID."""
        return self._cert_id

    @property
    def cert_status(self) -> CertStatus:
        """GOOD, REVOKED or UNKNOWN."""
        return CertStatus[self._asn1["cert_status"].name.upper()]

    @property
    def revocation_time(self) -> Optional[_dt.datetime]:
        """revocationTime for revoked certificates, else None."""
        if self.cert_status is not CertStatus.REVOKED:
            return None
        return utc_from_asn1(self._asn1["cert_status"].chosen["revocation_time"], "revocation_time")

    @property
    def revocation_reason(self) -> Optional[RevocationReason]:
        """revocationReason when given, else None."""
        if self.cert_status is not CertStatus.REVOKED:
            return None
        reason = self._asn1["cert_status"].chosen["revocation_reason"]
        if reason.__class__.__name__ == "Void":
            return None
        return RevocationReason(int.from_bytes(reason.contents, "big", signed=True))

    @property
    def this_update(self) -> _dt.datetime:
        """thisUpdate, an aware UTC datetime."""
        value = utc_from_asn1(self._asn1["this_update"], "this_update")
        assert value is not None  # mandatory field, checked on load
        return value

    @property
    def next_update(self) -> Optional[_dt.datetime]:
        """nextUpdate, or None when the responder gave none."""
        return utc_from_asn1(self._asn1["next_update"], "next_update")

    @property
    def extensions(self) -> Extensions:
        """singleExtensions (empty when absent)."""
        return Extensions(self._asn1["single_extensions"])

    def __repr__(self) -> str:
        return f"<SingleResponse {self.cert_status.name.lower()} serial={self._cert_id.serial_number:X}>"


class BasicOCSPResponse:
    """BasicOCSPResponse: tbsResponseData, signature and certs (OCSP_response_get1_basic)."""

    __slots__ = ("_asn1", "_der", "_responses")

    def __init__(self, asn1_basic: Any, der: Optional[bytes] = None) -> None:
        self._asn1 = asn1_basic
        #: The BasicOCSPResponse bytes as received (the responseBytes OCTET STRING's value).
        self._der = bytes(asn1_basic.dump()) if der is None else der
        self._responses = tuple(SingleResponse(s) for s in asn1_basic["tbs_response_data"]["responses"])

    @property
    def asn1(self) -> Any:
        """The asn1crypto BasicOCSPResponse."""
        return self._asn1

    @property
    def tbs_response_data_bytes(self) -> bytes:
        """tbsResponseData exactly as received: what the signature covers (never a re-encoding)."""
        return first_child(self._der)

    @property
    def version(self) -> int:
        """The version number (0 for v1)."""
        return version_number(self._asn1["tbs_response_data"]["version"])

    @property
    def responder_id(self) -> ResponderID:
        """responderID."""
        return ResponderID(self._asn1["tbs_response_data"]["responder_id"])

    @property
    def produced_at(self) -> _dt.datetime:
        """producedAt, an aware UTC datetime."""
        value = utc_from_asn1(self._asn1["tbs_response_data"]["produced_at"], "produced_at")
        assert value is not None  # mandatory field, checked on load
        return value

    @property
    def responses(self) -> Tuple[SingleResponse, ...]:
        """The SingleResponses, in order (OCSP_resp_count / OCSP_resp_get0)."""
        return self._responses

    @property
    def extensions(self) -> Extensions:
        """responseExtensions (empty when absent)."""
        return Extensions(self._asn1["tbs_response_data"]["response_extensions"])

    @property
    def nonce(self) -> Optional[bytes]:
        """The nonce, unwrapped, or None."""
        return nonce_of(self.extensions)[0]

    @property
    def nonce_form(self) -> Optional[NonceForm]:
        """Whether the nonce came wrapped in an OCTET STRING (RFC 6960) or raw, or None."""
        return nonce_of(self.extensions)[1]

    @property
    def signature_algorithm(self) -> Any:
        """The asn1crypto SignedDigestAlgorithm."""
        return self._asn1["signature_algorithm"]

    @property
    def signature(self) -> bytes:
        """The signature bytes."""
        return bytes(self._asn1["signature"].native)

    @property
    def certs(self) -> Tuple[Any, ...]:
        """The certificates in the response (asn1crypto Certificates), in order."""
        certs = self._asn1["certs"]
        return () if certs.__class__.__name__ == "Void" else tuple(certs)

    def __repr__(self) -> str:
        return f"<BasicOCSPResponse {len(self._responses)} response(s), {self.responder_id!r}>"

    def find(self, cert_id: CertID, issuer: Optional[Any] = None) -> Optional[SingleResponse]:
        """The first SingleResponse for ``cert_id`` (OCSP_resp_find), or None.

        With ``issuer`` the match is hash-agile: a CertID in another hash algorithm matches.
        """
        for single in self._responses:
            if single.cert_id.matches(cert_id, issuer):
                return single
        return None


class OCSPResponse:
    """A parsed OCSP response, read-only. ``dump()`` returns the bytes exactly as received."""

    __slots__ = ("_asn1", "_basic", "_der", "deviations")

    def __init__(self, tree: Any, der: bytes, deviations: Tuple[Deviation, ...] = ()) -> None:
        self._asn1 = tree
        self._der = der
        rb = tree["response_bytes"]
        self._basic: Optional[BasicOCSPResponse] = None
        # RFC 6960 4.2.1: only a successful response carries a meaningful BasicOCSPResponse.
        if (
            rb.__class__.__name__ != "Void"
            and rb["response_type"].native == "basic_ocsp_response"
            and tree["response_status"].native == "successful"
        ):
            self._basic = BasicOCSPResponse(rb["response"].parsed, bytes(rb["response"]))
        #: Where the encoding was BER but not DER (empty for DER input).
        self.deviations = deviations

    @property
    def asn1(self) -> Any:
        """The asn1crypto tree (:class:`ocspkit.asn1.OCSPResponse`)."""
        return self._asn1

    def dump(self) -> bytes:
        """The DER bytes, exactly as received (i2d_OCSP_RESPONSE)."""
        return self._der

    def pem(self) -> bytes:
        """PEM with the ``OCSP RESPONSE`` label (PEM_write_bio_OCSP_RESPONSE)."""
        return pem_armor(self._der, PEM_LABEL)

    @property
    def response_status(self) -> ResponseStatus:
        """responseStatus (OCSP_response_status)."""
        return _STATUS_BY_NAME[self._asn1["response_status"].native]

    @property
    def successful(self) -> bool:
        """Whether responseStatus is successful."""
        return self.response_status is ResponseStatus.SUCCESSFUL

    @property
    def response_type(self) -> Optional[str]:
        """The dotted responseType OID, or None without responseBytes."""
        rb = self._asn1["response_bytes"]
        return None if rb.__class__.__name__ == "Void" else str(rb["response_type"].dotted)

    @property
    def basic(self) -> BasicOCSPResponse:
        """The BasicOCSPResponse; raises UnsuccessfulResponse when the status is not successful."""
        if self._basic is None:
            raise UnsuccessfulResponse(self.response_status)
        return self._basic

    # Shortcuts to the basic response, for the common case.

    @property
    def responses(self) -> Tuple[SingleResponse, ...]:
        """The SingleResponses in order (raises UnsuccessfulResponse for error responses)."""
        return self.basic.responses

    @property
    def responder_id(self) -> ResponderID:
        """responderID."""
        return self.basic.responder_id

    @property
    def produced_at(self) -> _dt.datetime:
        """producedAt."""
        return self.basic.produced_at

    @property
    def certs(self) -> Tuple[Any, ...]:
        """Certificates in the response."""
        return self.basic.certs

    @property
    def extensions(self) -> Extensions:
        """responseExtensions."""
        return self.basic.extensions

    @property
    def nonce(self) -> Optional[bytes]:
        """The response nonce, unwrapped, or None."""
        return self.basic.nonce

    def find(self, cert_id: CertID, issuer: Optional[Any] = None) -> Optional[SingleResponse]:
        """The SingleResponse for ``cert_id``, or None (see :meth:`BasicOCSPResponse.find`)."""
        return self.basic.find(cert_id, issuer)

    def __repr__(self) -> str:
        if self._basic is None:
            return f"<OCSPResponse {self.response_status.asn1_name}>"
        return f"<OCSPResponse successful, {len(self._basic.responses)} response(s)>"


def load_response(
    data: Union[bytes, bytearray, memoryview, str],
    *,
    strict: bool = False,
    allow_unknown_critical: bool = False,
) -> OCSPResponse:
    """Parse an OCSP response from DER or PEM bytes.

    By default BER that OpenSSL accepts is accepted and recorded in ``.deviations``;
    ``strict=True`` refuses anything that is not DER. Always refused, with ParseError: trailing
    bytes, an undefined responseStatus, a successful status without responseBytes, a responseType
    other than id-pkix-ocsp-basic, a version other than v1 and (unless ``allow_unknown_critical``)
    critical extensions ocspkit does not know.
    """
    der = to_der(data, (PEM_LABEL,), "OCSP response")
    check = None if allow_unknown_critical else refuse_unknown_critical(_RESPONSE_EXTENSION_TYPES)
    tree, deviations = load_tree(asn1.OCSPResponse, der, strict=strict, on_extension=check)
    rb = tree["response_bytes"]
    status = _STATUS_BY_NAME[tree["response_status"].native]
    if rb.__class__.__name__ == "Void":
        if status is ResponseStatus.SUCCESSFUL:
            # RFC 6960 4.2.1: a successful response carries responseBytes.
            raise ParseError("successful response without responseBytes", path="response_bytes")
    else:
        if rb["response_type"].native != "basic_ocsp_response":
            # RFC 6960 4.2.1: id-pkix-ocsp-basic is the one response type defined.
            raise ParseError(
                f"unsupported responseType {rb['response_type'].dotted}", path="response_bytes.response_type"
            )
        version = rb["response"].parsed["tbs_response_data"]["version"].native
        if version != "v1":
            raise ParseError(
                f"unsupported ResponseData version {version}",
                path="response_bytes.response.tbs_response_data.version",
            )
    return OCSPResponse(tree, der, tuple(deviations))


def unsuccessful_response(status: Union[ResponseStatus, int]) -> OCSPResponse:
    """An error response without responseBytes (RFC 6960 2.3): malformedRequest, internalError,
    tryLater, sigRequired or unauthorized (OCSP_response_create with no basic response)."""
    status = ResponseStatus(status)
    if status is ResponseStatus.SUCCESSFUL:
        raise ValueError("a successful response needs a BasicOCSPResponse: use ResponseBuilder")
    return load_response(asn1.OCSPResponse({"response_status": int(status)}).dump(), strict=True)


@dataclasses.dataclass(frozen=True)
class _Single:
    cert_id: Any
    status: CertStatus
    this_update: Optional[_dt.datetime]
    next_update: Optional[_dt.datetime]
    revocation_time: Optional[_dt.datetime]
    revocation_reason: Optional[RevocationReason]
    extensions: Tuple[Any, ...]


class ResponseBuilder:
    """Builds and signs a BasicOCSPResponse; immutable: every setter returns a new builder.

    >>> response = ResponseBuilder().add_response(cert_id).sign(ca_key, ca_cert)

    N SingleResponses (good / revoked / unknown) with thisUpdate, nextUpdate and single
    extensions; response extensions (nonce, extended revoke, anything else); responder ID by name
    or by key; the certificates to include. Times are written as whole seconds in UTC.
    """

    __slots__ = ("_certs", "_extensions", "_produced_at", "_responder_id", "_singles")

    def __init__(self) -> None:
        self._singles: Tuple[_Single, ...] = ()
        self._extensions: Tuple[Any, ...] = ()
        self._responder_id = "name"  # byName, as OpenSSL's responder writes by default
        self._produced_at: Optional[_dt.datetime] = None
        self._certs: Optional[Tuple[Any, ...]] = None  # None: the signer's certificate only

    def _replace(self, **changes: Any) -> ResponseBuilder:
        new = ResponseBuilder.__new__(ResponseBuilder)
        for name in self.__slots__:
            setattr(new, name, changes.get(name.lstrip("_"), getattr(self, name)))
        return new

    def add_response(
        self,
        cert_id: Any,
        status: Union[CertStatus, str] = CertStatus.GOOD,
        *,
        this_update: Optional[_dt.datetime] = None,
        next_update: Optional[_dt.datetime] = None,
        revocation_time: Optional[_dt.datetime] = None,
        revocation_reason: Optional[Union[RevocationReason, int]] = None,
        invalidity_date: Optional[_dt.datetime] = None,
        extensions: Iterable[Tuple[str, Any, bool]] = (),
    ) -> ResponseBuilder:
        """Add a SingleResponse (OCSP_basic_add1_status).

        ``this_update`` defaults to the signing time; ``next_update`` defaults to none (add one:
        RFC 5019 2.2.4 requires it of lightweight responders). ``revocation_time`` is required
        for revoked. ``extensions`` are ``(oid, value, critical)`` for singleExtensions.
        """
        from .certid import CertID

        if not isinstance(cert_id, CertID):
            raise OCSPTypeError(f"cert_id must be an ocspkit.CertID, got {type(cert_id).__name__}")
        status = CertStatus[status.upper()] if isinstance(status, str) else CertStatus(status)
        if status is CertStatus.REVOKED and revocation_time is None:
            raise ValueError("a revoked status needs revocation_time")
        if status is not CertStatus.REVOKED and (revocation_time or revocation_reason is not None):
            raise ValueError("revocation_time / revocation_reason only go with a revoked status")
        exts = [
            make_extension(asn1.SingleResponseExtension, oid, value, critical) for oid, value, critical in extensions
        ]
        if invalidity_date is not None:
            exts.append(
                make_extension(asn1.SingleResponseExtension, asn1.OID.INVALIDITY_DATE,
                     core.GeneralizedTime(to_generalized_time(invalidity_date)))
            )
        single = _Single(
            cert_id,
            status,
            None if this_update is None else to_generalized_time(this_update),
            None if next_update is None else to_generalized_time(next_update),
            None if revocation_time is None else to_generalized_time(revocation_time),
            None if revocation_reason is None else RevocationReason(revocation_reason),
            tuple(exts),
        )
        return self._replace(singles=(*self._singles, single))

    def with_nonce(self, nonce: Any) -> ResponseBuilder:
        """Add a response nonce (OCSP_basic_add1_nonce / OCSP_copy_nonce).

        ``nonce`` is the nonce bytes (wrapped in an OCTET STRING here), or a parsed OCSPRequest
        whose nonce extension value is echoed exactly as received, wrapped or raw (OpenSSL's
        clients compare the two values octet for octet). A request without a nonce adds nothing.
        """
        from .request import OCSPRequest, nonce_value, wrapped_nonce

        if isinstance(nonce, OCSPRequest):
            extension = nonce.extensions.get(asn1.OID.NONCE)
            if extension is None:
                return self
            return self.with_extension(asn1.OID.NONCE, extension.raw_value, replace=True)
        return self.with_extension(asn1.OID.NONCE, wrapped_nonce(nonce_value(nonce)), replace=True)

    def with_extended_revoke(self) -> ResponseBuilder:
        """Add id-pkix-ocsp-extended-revoke (RFC 6960 4.4.8): "revoked" for never-issued serials."""
        return self.with_extension(asn1.OID.EXTENDED_REVOKE, asn1.ExtendedRevoke(), replace=True)

    def with_extension(
        self, oid: str, value: Any, *, critical: bool = False, replace: bool = False
    ) -> ResponseBuilder:
        """Add any responseExtension: DER bytes of extnValue's contents or an asn1crypto value."""
        ext = make_extension(asn1.ResponseDataExtension, oid, value, critical)
        kept = tuple(e for e in self._extensions if not (replace and e["extn_id"].dotted == oid))
        return self._replace(extensions=(*kept, ext))

    def with_responder_id(self, by: str) -> ResponseBuilder:
        """``"name"`` (the signer's subject) or ``"key"`` (SHA-1 of its key, RFC 6960 4.2.1)."""
        if by not in ("name", "key"):
            raise ValueError('responder ID is "name" or "key"')
        return self._replace(responder_id=by)

    def with_produced_at(self, when: _dt.datetime) -> ResponseBuilder:
        """Set producedAt (default: the signing time)."""
        return self._replace(produced_at=to_generalized_time(when))

    def with_certificates(self, certs: Iterable[Any]) -> ResponseBuilder:
        """The certificates to include (a chain, or ``()`` for none: OCSP_NOCERTS). By default
        the signer's certificate alone is included."""
        from .crypto import load_certificate

        return self._replace(certs=tuple(load_certificate(c) for c in certs))

    def sign(
        self,
        key: Any,
        cert: Any,
        *,
        hash_algorithm: str = "sha256",
        pss: bool = False,
        now: Optional[_dt.datetime] = None,
        password: Any = None,
    ) -> OCSPResponse:
        """Sign with the responder's ``key`` and ``cert`` (OCSP_basic_sign + OCSP_response_create).

        ``now`` (default: the current time) gives producedAt and the thisUpdate of entries that
        have none. SHA-256 by default: SHA-1 signatures are deprecated (RFC 9155).
        """
        from .crypto import key_hash, load_certificate, load_private_key, sign, signature_algorithm

        if not self._singles:
            raise ValueError("a response needs at least one SingleResponse (add_response)")
        moment = to_generalized_time(now if now is not None else _dt.datetime.now(_dt.timezone.utc))
        signer = load_certificate(cert)
        private_key = load_private_key(key, password)
        if self._responder_id == "key":
            responder_id = asn1.ResponderID(name="by_key", value=key_hash(signer.public_key))
        else:
            responder_id = asn1.ResponderID(name="by_name", value=signer.subject)
        responses = [self._single_asn1(single, moment) for single in self._singles]
        data: dict = {  # type: ignore[type-arg]
            "responder_id": responder_id,
            "produced_at": self._produced_at or moment,
            "responses": responses,
        }
        if self._extensions:
            data["response_extensions"] = list(self._extensions)
        tbs = asn1.ResponseData(data)
        algorithm = signature_algorithm(private_key, hash_algorithm, pss=pss)
        basic: dict = {  # type: ignore[type-arg]
            "tbs_response_data": tbs,
            "signature_algorithm": algorithm,
            "signature": sign(private_key, tbs.dump(), algorithm),
        }
        certs = (signer,) if self._certs is None else self._certs
        if certs:
            basic["certs"] = list(certs)
        response = asn1.OCSPResponse(
            {
                "response_status": 0,
                "response_bytes": {
                    "response_type": asn1.OID.BASIC,
                    "response": core.ParsableOctetString(asn1.BasicOCSPResponse(basic).dump()),
                },
            }
        )
        return load_response(response.dump(), strict=True, allow_unknown_critical=True)

    @staticmethod
    def _single_asn1(single: _Single, moment: _dt.datetime) -> Any:
        if single.status is CertStatus.REVOKED:
            info: dict = {"revocation_time": single.revocation_time}  # type: ignore[type-arg]
            if single.revocation_reason is not None:
                info["revocation_reason"] = int(single.revocation_reason)
            status = asn1.CertStatus(name="revoked", value=asn1.RevokedInfo(info))
        elif single.status is CertStatus.GOOD:
            status = asn1.CertStatus(name="good", value=core.Null())
        else:
            status = asn1.CertStatus(name="unknown", value=asn1.UnknownInfo())
        item: dict = {  # type: ignore[type-arg]
            "cert_id": single.cert_id.asn1,
            "cert_status": status,
            "this_update": single.this_update or moment,
        }
        if single.next_update is not None:
            item["next_update"] = single.next_update
        if single.extensions:
            item["single_extensions"] = list(single.extensions)
        return asn1.SingleResponse(item)
