"""OCSP responses (RFC 6960 4.2): read-only views and :func:`load_response`.

OpenSSL equivalents: d2i_OCSP_RESPONSE_bio / PEM_read_bio_OCSP_RESPONSE (load_response),
OCSP_response_status, OCSP_response_get1_basic, OCSP_resp_count, OCSP_resp_get0, OCSP_resp_find,
OCSP_single_get0_status, OCSP_resp_find_status.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from os import PathLike
from typing import Any, Iterable, Optional, Tuple, Union

from asn1crypto import algos, x509

from . import asn1
from ._deps import ASN1_ERRORS
from ._der import (
    Deviation,
    check_whole_octets,
    first_child,
    load_tree,
    pem_armor,
    received,
    to_der,
    unused_bits,
)
from ._readers import BasicFields, SingleResponseRecord, Slow, read_basic, read_response, to_datetime
from ._util import int_text, to_generalized_time, utc_from_asn1
from ._views import TreeView, tree_of
from ._writers import (
    basic_response_der,
    cert_status_der,
    certs_der,
    generalized_time,
    responder_id_der,
    response_data_der,
    single_response_der,
    tlv,
    wrapped_nonce,
)
from .certid import CertID
from .certinfo import cert_facts, name_text
from .enums import CertStatus, ResponderIDType, ResponseStatus, RevocationReason
from .errors import OCSPTypeError, OCSPValueError, ParseError, UnsuccessfulResponse
from .extensions import (
    Extensions,
    NonceForm,
    extension_entry,
    read_nonce,
    refuse_unknown_critical,
    single_extensions_der,
)

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

    __slots__ = ("_asn1", "_der", "_type", "_value")

    def __init__(self, kind: ResponderIDType, value: bytes, der: Optional[bytes] = None, tree: Any = None) -> None:
        self._type = kind
        #: The Name's DER (by name) or the key hash (by key).
        self._value = value
        self._der = der
        self._asn1 = tree

    @classmethod
    def _from_tree(cls, tree: Any) -> ResponderID:
        if tree.name == "by_name":
            der = received(tree)
            return cls(ResponderIDType.BY_NAME, first_child(der), der, tree)
        return cls(ResponderIDType.BY_KEY, bytes(tree.chosen.native), received(tree), tree)

    @property
    def asn1(self) -> Any:
        """The asn1crypto ResponderID."""
        if self._asn1 is None:
            self._asn1 = asn1.ResponderID.load(self.dump())
        return self._asn1

    def dump(self) -> bytes:
        """The DER of the ResponderID (with its EXPLICIT tag), as received."""
        if self._der is None:
            tag = 0xA1 if self._type is ResponderIDType.BY_NAME else 0xA2
            self._der = tlv(tag, self._value if tag == 0xA1 else tlv(0x04, self._value))
        return self._der

    @property
    def type(self) -> ResponderIDType:
        """BY_NAME or BY_KEY."""
        return self._type

    @property
    def name(self) -> Any:
        """The asn1crypto Name for byName (without the [1] tag: its ``dump()`` is the Name's
        DER, comparable with a certificate's subject), else None."""
        return x509.Name.load(self._value) if self._type is ResponderIDType.BY_NAME else None

    @property
    def name_der(self) -> Optional[bytes]:
        """The DER of the Name for byName, else None."""
        return self._value if self._type is ResponderIDType.BY_NAME else None

    @property
    def key_hash(self) -> Optional[bytes]:
        """The KeyHash for byKey, else None."""
        return self._value if self._type is ResponderIDType.BY_KEY else None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ResponderID):
            return NotImplemented
        return self._type is other._type and self._value == other._value

    def __hash__(self) -> int:
        return hash((self._type, self._value))

    def __repr__(self) -> str:
        if self.key_hash is not None:
            return f"<ResponderID by_key {self.key_hash.hex().upper()}>"
        try:
            return f"<ResponderID by_name {self.name.human_friendly}>"
        except ASN1_ERRORS:
            # human_friendly decodes each attribute value on demand, and the value of an attribute
            # type asn1crypto does not know is an ANY that loading accepts as it is (a UTF8String
            # that is not UTF-8, a BIT STRING with 111 unused bits). name_text shows such
            # values as their octets in hex.
            return f"<ResponderID by_name {name_text(self.name)}>"


def _time(value: Union[bytes, _dt.datetime, None]) -> Optional[_dt.datetime]:
    return to_datetime(value) if isinstance(value, bytes) else value


class SingleResponse(TreeView, SingleResponseRecord):
    """One SingleResponse: the status of one certificate (OCSP_single_get0_status)."""

    _SPEC = asn1.SingleResponse

    __slots__ = ()  # those of SingleResponseRecord, which the fast reader fills
    _cert_id: CertID

    def __init__(
        self,
        der: bytes,
        cert_id: CertID,
        status: CertStatus,
        this_update: Union[bytes, _dt.datetime],
        next_update: Union[bytes, _dt.datetime, None] = None,
        revocation_time: Union[bytes, _dt.datetime, None] = None,
        revocation_reason: Optional[RevocationReason] = None,
        extensions: Any = None,
        tree: Any = None,
    ) -> None:
        self._der = der
        self._cert_id = cert_id
        self._status = status
        self._this = this_update
        self._next = next_update
        self._revoked_at = revocation_time
        self._reason = revocation_reason
        self._ext = extensions  # None, the DER of the Extensions, or an asn1crypto value
        self._asn1 = tree

    @classmethod
    def _from_tree(cls, tree: Any) -> SingleResponse:
        status = CertStatus[tree["cert_status"].name.upper()]
        revoked_at = reason = None
        if status is CertStatus.REVOKED:
            info = tree["cert_status"].chosen
            revoked_at = utc_from_asn1(info["revocation_time"], "revocation_time")
            if info["revocation_reason"].__class__.__name__ != "Void":
                reason = RevocationReason(int.from_bytes(info["revocation_reason"].contents, "big", signed=True))
        this_update = utc_from_asn1(tree["this_update"], "this_update")
        assert this_update is not None  # mandatory field, checked on load
        return cls(
            received(tree),
            CertID(tree["cert_id"]),
            status,
            this_update,
            utc_from_asn1(tree["next_update"], "next_update"),
            revoked_at,
            reason,
            tree["single_extensions"],
            tree,
        )


    @property
    def cert_id(self) -> CertID:
        """certID."""
        return self._cert_id

    @property
    def cert_status(self) -> CertStatus:
        """GOOD, REVOKED or UNKNOWN."""
        return self._status

    @property
    def revocation_time(self) -> Optional[_dt.datetime]:
        """revocationTime for revoked certificates, else None."""
        return _time(self._revoked_at)

    @property
    def revocation_reason(self) -> Optional[RevocationReason]:
        """revocationReason when given, else None."""
        return self._reason

    @property
    def this_update(self) -> _dt.datetime:
        """thisUpdate, an aware UTC datetime."""
        value = self._this
        return to_datetime(value) if isinstance(value, bytes) else value

    @property
    def next_update(self) -> Optional[_dt.datetime]:
        """nextUpdate, or None when the responder gave none."""
        return _time(self._next)

    @property
    def extensions(self) -> Extensions:
        """singleExtensions (empty when absent)."""
        self._ext = tree_of(self._ext, asn1.SingleResponseExtensions)
        return Extensions(self._ext)

    def __repr__(self) -> str:
        return f"<SingleResponse {self._status.name.lower()} serial={self._cert_id.serial_number:X}>"


class BasicOCSPResponse(TreeView):
    """BasicOCSPResponse: tbsResponseData, signature and certs (OCSP_response_get1_basic)."""

    _SPEC = asn1.BasicOCSPResponse

    __slots__ = (
        "_asn1",
        "_certs",
        "_der",
        "_ext",
        "_nonce",
        "_produced_at",
        "_responder_id",
        "_responses",
        "_sig_alg",
        "_signature",
        "_signature_unused_bits",
    )

    def __init__(
        self,
        der: bytes,
        responder_id: Union[ResponderID, Tuple[ResponderIDType, bytes, bytes]],
        produced_at: Union[bytes, _dt.datetime],
        responses: Tuple[SingleResponse, ...],
        extensions: Any,
        nonce: Optional[bytes],
        signature_algorithm: Any,
        signature: bytes,
        certs: Tuple[Any, ...],
        tree: Any = None,
        signature_unused_bits: int = 0,
    ) -> None:
        #: The BasicOCSPResponse bytes as received (the responseBytes OCTET STRING's value).
        self._der = der
        self._responder_id = responder_id  # or the fast reader's (type, value, DER), made on first use
        self._produced_at = produced_at
        self._responses = responses
        self._ext = extensions  # None, the DER of the Extensions, or an asn1crypto value
        self._nonce = nonce  # the nonce extension's extnValue contents, or None
        self._sig_alg = signature_algorithm  # DER bytes or an asn1crypto value
        self._signature = signature
        self._signature_unused_bits = signature_unused_bits
        self._certs = certs  # DER bytes or asn1crypto Certificates
        self._asn1 = tree

    @classmethod
    def _from_tree(cls, tree: Any, der: bytes) -> BasicOCSPResponse:
        data = tree["tbs_response_data"]
        produced_at = utc_from_asn1(data["produced_at"], "produced_at")
        assert produced_at is not None  # mandatory field, checked on load
        extensions = data["response_extensions"]
        nonce = Extensions(extensions).get(asn1.OID.NONCE)
        certs = tree["certs"]
        return cls(
            der,
            ResponderID._from_tree(data["responder_id"]),
            produced_at,
            tuple(SingleResponse._from_tree(s) for s in data["responses"]),
            extensions,
            None if nonce is None else nonce.raw_value,
            tree["signature_algorithm"],
            bytes(tree["signature"].native),
            () if certs.__class__.__name__ == "Void" else tuple(certs),
            tree,
            unused_bits(tree["signature"]),
        )


    @property
    def tbs_response_data_bytes(self) -> bytes:
        """tbsResponseData exactly as received: what the signature covers (never a re-encoding)."""
        return first_child(self._der)

    @property
    def version(self) -> int:
        """The version number (0 for v1, the only one load_response accepts)."""
        return 0

    @property
    def responder_id(self) -> ResponderID:
        """responderID."""
        found = self._responder_id
        if isinstance(found, tuple):
            found = self._responder_id = ResponderID(*found)
        return found

    @property
    def produced_at(self) -> _dt.datetime:
        """producedAt, an aware UTC datetime."""
        value = self._produced_at
        return to_datetime(value) if isinstance(value, bytes) else value

    @property
    def responses(self) -> Tuple[SingleResponse, ...]:
        """The SingleResponses, in order (OCSP_resp_count / OCSP_resp_get0)."""
        return self._responses

    @property
    def extensions(self) -> Extensions:
        """responseExtensions (empty when absent)."""
        self._ext = tree_of(self._ext, asn1.ResponseDataExtensions)
        return Extensions(self._ext)

    @property
    def nonce(self) -> Optional[bytes]:
        """The nonce, unwrapped, or None."""
        return None if self._nonce is None else read_nonce(self._nonce)[0]

    @property
    def nonce_form(self) -> Optional[NonceForm]:
        """Whether the nonce came wrapped in an OCTET STRING (RFC 6960) or raw, or None."""
        return None if self._nonce is None else read_nonce(self._nonce)[1]

    @property
    def signature_algorithm(self) -> Any:
        """The asn1crypto SignedDigestAlgorithm."""
        self._sig_alg = tree_of(self._sig_alg, algos.SignedDigestAlgorithm)
        return self._sig_alg

    @property
    def signature_algorithm_der(self) -> bytes:
        """The DER of signatureAlgorithm, as received."""
        value = self._sig_alg
        return value if isinstance(value, bytes) else received(value)

    @property
    def signature(self) -> bytes:
        """The signature bytes."""
        return self._signature

    @property
    def signature_unused_bits(self) -> int:
        """The unused-bits count of the signature BIT STRING; anything but 0 cannot verify."""
        return self._signature_unused_bits

    def verify_signature(self, public_key: Any) -> None:
        """Check the signature over tbsResponseData as received with ``public_key`` (anything
        :func:`ocspkit.crypto.load_public_key` reads, a certificate included): OpenSSL's
        OCSP_BASICRESP_verify. Only the signature: :func:`ocspkit.verify_response` also finds the
        signer, checks its chain and its authorization.

        :raises ocspkit.errors.SignatureError: the signature does not verify with this key, or
            its BIT STRING declares unused bits.
        """
        # Imported here: ocspkit.crypto is loaded only when it is needed (test_lazy_import).
        from .crypto import verify_signature

        check_whole_octets(self._signature_unused_bits, "response")
        verify_signature(public_key, self._signature, self.tbs_response_data_bytes, self.signature_algorithm_der)

    @property
    def certs(self) -> Tuple[Any, ...]:
        """The certificates in the response (asn1crypto Certificates), in order."""
        if self._certs and isinstance(self._certs[0], bytes):
            self._certs = tuple(x509.Certificate.load(c) for c in self._certs)
        return self._certs

    @property
    def certs_der(self) -> Tuple[bytes, ...]:
        """The certificates in the response as DER, in order, exactly as received."""
        return tuple(c if isinstance(c, bytes) else received(c) for c in self._certs)

    def __repr__(self) -> str:
        return f"<BasicOCSPResponse {len(self._responses)} response(s), {self.responder_id!r}>"

    def find(self, cert_id: CertID, issuer: Optional[Any] = None) -> Optional[SingleResponse]:
        """The first SingleResponse for ``cert_id`` (OCSP_resp_find), or None.

        With ``issuer`` the match is hash-agile: a CertID in another hash algorithm matches.
        """
        for single in self._responses:
            if single.cert_id == cert_id:
                return single
        if issuer is not None:
            for single in self._responses:
                if single.cert_id.matches(cert_id, issuer):
                    return single
        return None


class OCSPResponse(TreeView):
    """A parsed OCSP response, read-only. ``dump()`` returns the bytes exactly as received."""

    _SPEC = asn1.OCSPResponse

    __slots__ = ("_asn1", "_basic", "_der", "_response_type", "_status", "deviations")

    def __init__(
        self,
        der: bytes,
        status: ResponseStatus,
        response_type: Optional[str],
        basic: Union[BasicOCSPResponse, bytes, BasicFields[SingleResponse], None],
        deviations: Tuple[Deviation, ...] = (),
        tree: Any = None,
    ) -> None:
        self._der = der
        self._status = status
        self._response_type = response_type
        # RFC 6960 4.2.1: only a successful response carries a meaningful BasicOCSPResponse.
        # Also the BasicOCSPResponse's DER or the fast reader's fields: made a view on first use.
        self._basic = basic
        self._asn1 = tree
        #: Where the encoding was BER but not DER (empty for DER input).
        self.deviations = deviations


    def pem(self) -> bytes:
        """PEM with the ``OCSP RESPONSE`` label (PEM_write_bio_OCSP_RESPONSE)."""
        return pem_armor(self._der, PEM_LABEL)

    @property
    def response_status(self) -> ResponseStatus:
        """responseStatus (OCSP_response_status)."""
        return self._status

    @property
    def successful(self) -> bool:
        """Whether responseStatus is successful."""
        return self._status is ResponseStatus.SUCCESSFUL

    @property
    def response_type(self) -> Optional[str]:
        """The dotted responseType OID, or None without responseBytes."""
        return self._response_type

    @property
    def basic(self) -> BasicOCSPResponse:
        """The BasicOCSPResponse; raises UnsuccessfulResponse when the status is not successful."""
        basic = self._basic
        if isinstance(basic, BasicOCSPResponse):
            return basic
        if basic is None:
            raise UnsuccessfulResponse(self._status)
        if isinstance(basic, tuple):
            # What the fast reader found (load_response): the view is made on first use.
            read = BasicOCSPResponse(*basic)
        else:
            # A response this process built and signed: its BasicOCSPResponse is read on first use.
            try:
                read = BasicOCSPResponse(*read_basic(basic, True, _MAKE_CERT_ID, SingleResponse))
            except (Slow, IndexError, KeyError):
                general = _load_response_general(self._der, True, True)._basic
                assert isinstance(general, BasicOCSPResponse)  # the builder's status is successful
                read = general
        self._basic = read
        return read

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
            return f"<OCSPResponse {self._status.asn1_name}>"
        return f"<OCSPResponse successful, {len(self.basic.responses)} response(s)>"


# --- reading -------------------------------------------------------------------------------

# The fast reader's way to make a CertID from the fields it read (the view's own constructor).
_MAKE_CERT_ID = CertID._make


def _read_response(der: bytes, allow_critical: bool) -> OCSPResponse:
    """The fast path (:func:`ocspkit._readers.read_response`) as a view: DER in the usual
    shapes, else :class:`~ocspkit._readers.Slow` (tests/test_fast_path.py holds it to the
    general path). :func:`load_response` writes it out, for one call less per response."""
    return OCSPResponse(*read_response(der, allow_critical, _MAKE_CERT_ID, SingleResponse))


def load_response(
    data: Union[bytes, bytearray, memoryview, str, PathLike[str]],
    *,
    strict: bool = False,
    allow_unknown_critical: bool = False,
) -> OCSPResponse:
    """Parse an OCSP response from DER or PEM bytes (d2i_OCSP_RESPONSE / PEM_read_bio_OCSP_RESPONSE),
    or from a file: ``data`` may be a path (``os.PathLike``, or a ``str`` that is not PEM text;
    a ``str`` starting with ``-----BEGIN`` is PEM text).

    By default BER that OpenSSL accepts is accepted and recorded in ``.deviations``;
    ``strict=True`` refuses anything that is not DER. Always refused, with ParseError: trailing
    bytes, an undefined responseStatus, a successful status without responseBytes, a responseType
    other than id-pkix-ocsp-basic, a version other than v1 and (unless ``allow_unknown_critical``)
    critical extensions ocspkit does not know. The whole message, embedded certificates
    included, is checked before this returns.
    """
    der = to_der(data, (PEM_LABEL,), "OCSP response")
    try:
        # _read_response, written out.
        return OCSPResponse(*read_response(der, allow_unknown_critical, _MAKE_CERT_ID, SingleResponse))
    except Slow:
        return _load_response_general(der, strict, allow_unknown_critical)


def _load_response_general(der: bytes, strict: bool, allow_unknown_critical: bool) -> OCSPResponse:
    """The general path: asn1crypto and the validating walk (any BER; exact errors)."""
    check = None if allow_unknown_critical else refuse_unknown_critical(_RESPONSE_EXTENSION_TYPES)
    tree, deviations = load_tree(asn1.OCSPResponse, der, strict=strict, on_extension=check)
    rb = tree["response_bytes"]
    status = _STATUS_BY_NAME[tree["response_status"].native]
    basic = None
    response_type = None
    if rb.__class__.__name__ == "Void":
        if status is ResponseStatus.SUCCESSFUL:
            # RFC 6960 4.2.1: a successful response carries responseBytes.
            raise ParseError("successful response without responseBytes", path="response_bytes")
    else:
        response_type = str(rb["response_type"].dotted)
        if rb["response_type"].native != "basic_ocsp_response":
            # RFC 6960 4.2.1: id-pkix-ocsp-basic is the one response type defined.
            raise ParseError(
                f"unsupported responseType {rb['response_type'].dotted}", path="response_bytes.response_type"
            )
        version = rb["response"].parsed["tbs_response_data"]["version"].native
        if version != "v1":
            raise ParseError(
                f"unsupported ResponseData version {int_text(version)}",
                path="response_bytes.response.tbs_response_data.version",
            )
        if status is ResponseStatus.SUCCESSFUL:
            basic = BasicOCSPResponse._from_tree(rb["response"].parsed, bytes(rb["response"]))
    return OCSPResponse(der, status, response_type, basic, tuple(deviations), tree)


def unsuccessful_response(status: Union[ResponseStatus, int]) -> OCSPResponse:
    """An error response without responseBytes (RFC 6960 2.3): malformedRequest, internalError,
    tryLater, sigRequired or unauthorized (OCSP_response_create with no basic response)."""
    status = ResponseStatus(status)
    if status is ResponseStatus.SUCCESSFUL:
        raise OCSPValueError("a successful response needs a BasicOCSPResponse: use ResponseBuilder")
    return load_response(asn1.OCSPResponse({"response_status": int(status)}).dump(), strict=True)


@dataclasses.dataclass(frozen=True)
class _Single:
    cert_id: Any
    status: CertStatus
    this_update: Optional[_dt.datetime]
    next_update: Optional[_dt.datetime]
    revocation_time: Optional[_dt.datetime]
    revocation_reason: Optional[RevocationReason]
    extensions: bytes  # the DER of each Extension, concatenated


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

    def __repr__(self) -> str:
        return (f"<ResponseBuilder {len(self._singles)} response(s), {len(self._extensions)} extension(s), "
                f"responder ID by {self._responder_id}>")

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
        extensions: Iterable[Any] = (),
    ) -> ResponseBuilder:
        """Add a SingleResponse (OCSP_basic_add1_status).

        ``this_update`` defaults to the signing time; ``next_update`` defaults to none (add one:
        RFC 5019 2.2.4 requires it of lightweight responders). ``revocation_time`` is required
        for revoked. ``extensions`` (singleExtensions) are :class:`ocspkit.extensions.Extension`
        objects (:func:`~ocspkit.extensions.crl_id`, :func:`~ocspkit.extensions.archive_cutoff`,
        :func:`~ocspkit.extensions.certificate_issuer`, ...) or ``(oid, value, critical)`` tuples.
        """
        if not isinstance(cert_id, CertID):
            raise OCSPTypeError(f"cert_id must be an ocspkit.CertID, got {type(cert_id).__name__}")
        status = CertStatus[status.upper()] if isinstance(status, str) else CertStatus(status)
        if status is CertStatus.REVOKED and revocation_time is None:
            raise OCSPValueError("a revoked status needs revocation_time")
        if status is not CertStatus.REVOKED and (revocation_time or revocation_reason is not None):
            raise OCSPValueError("revocation_time / revocation_reason only go with a revoked status")
        single_extensions = single_extensions_der(extensions, invalidity_date)
        single = _Single(
            cert_id,
            status,
            None if this_update is None else to_generalized_time(this_update),
            None if next_update is None else to_generalized_time(next_update),
            None if revocation_time is None else to_generalized_time(revocation_time),
            None if revocation_reason is None else RevocationReason(revocation_reason),
            single_extensions,
        )
        return self._replace(singles=(*self._singles, single))

    def with_nonce(self, nonce: Any) -> ResponseBuilder:
        """Add a response nonce (OCSP_basic_add1_nonce / OCSP_copy_nonce).

        ``nonce`` is the nonce bytes (wrapped in an OCTET STRING here), or a parsed OCSPRequest
        whose nonce extension value is echoed exactly as received, wrapped or raw (OpenSSL's
        clients compare the two values octet for octet). A request without a nonce adds nothing.
        """
        from .request import OCSPRequest, nonce_value

        if isinstance(nonce, OCSPRequest):
            extension = nonce.extensions.get(asn1.OID.NONCE)
            if extension is None:
                return self
            return self.with_extension(asn1.OID.NONCE, extension.raw_value, replace=True)
        return self.with_extension(asn1.OID.NONCE, wrapped_nonce(nonce_value(nonce)), replace=True)

    def with_extended_revoke(self) -> ResponseBuilder:
        """Add id-pkix-ocsp-extended-revoke (RFC 6960 4.4.8): "revoked" for never-issued serials."""
        return self.with_extension(asn1.OID.EXTENDED_REVOKE, b"\x05\x00", replace=True)

    def with_extension(
        self, oid: Any, value: Any = None, *, critical: Optional[bool] = None, replace: bool = False
    ) -> ResponseBuilder:
        """Add any responseExtension: ``oid`` is a dotted OID with ``value`` the extnValue
        contents (DER bytes or an asn1crypto value), or an :class:`ocspkit.extensions.Extension`
        (e.g. from :func:`ocspkit.extensions.crl_id`). ``replace`` drops earlier ones of that OID."""
        entry = extension_entry(oid, value, critical)
        kept = tuple(e for e in self._extensions if not (replace and e[0] == entry[0]))
        return self._replace(extensions=(*kept, entry))

    def with_responder_id(self, by: str) -> ResponseBuilder:
        """``"name"`` (the signer's subject) or ``"key"`` (SHA-1 of its key, RFC 6960 4.2.1)."""
        if by not in ("name", "key"):
            raise OCSPValueError('responder ID is "name" or "key"')
        return self._replace(responder_id=by)

    def with_produced_at(self, when: _dt.datetime) -> ResponseBuilder:
        """Set producedAt (default: the signing time)."""
        return self._replace(produced_at=to_generalized_time(when))

    def with_certificates(self, certs: Iterable[Any]) -> ResponseBuilder:
        """The certificates to include (a chain, or ``()`` for none: OCSP_NOCERTS). By default
        the signer's certificate alone is included."""
        # Imported here: ocspkit.crypto is loaded only when it is needed (test_lazy_import).
        from .crypto import load_certificate

        return self._replace(certs=tuple(received(load_certificate(c)) for c in certs))

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
        # Imported here: ocspkit.crypto is loaded only when it is needed (test_lazy_import).
        from .crypto import load_private_key, sign, signing_algorithm

        if not self._singles:
            raise OCSPValueError("a response needs at least one SingleResponse (add_response)")
        moment = to_generalized_time(now if now is not None else _dt.datetime.now(_dt.timezone.utc))
        signer = cert_facts(cert)
        private_key = load_private_key(key, password)
        responder_id = responder_id_der(signer, self._responder_id)
        moment_der = generalized_time(moment)
        responses = b"".join([_single_der(single, moment_der) for single in self._singles])
        tbs = response_data_der(
            responder_id,
            moment_der if self._produced_at is None else generalized_time(self._produced_at),
            responses,
            b"".join(e[1] for e in self._extensions),
        )
        algorithm, algorithm_der = signing_algorithm(private_key, hash_algorithm, pss)
        certs = (signer.der,) if self._certs is None else self._certs
        der, basic = basic_response_der(tbs, algorithm_der, sign(private_key, tbs, algorithm), certs_der(certs))
        return OCSPResponse(der, ResponseStatus.SUCCESSFUL, asn1.OID.BASIC, basic)


def _single_der(single: _Single, moment_der: bytes) -> bytes:
    """The DER of one SingleResponse (RFC 6960 4.2.1); ``moment_der`` is the default thisUpdate."""
    revoked = b""
    if single.status is CertStatus.REVOKED:
        assert single.revocation_time is not None  # checked by add_response
        revoked = generalized_time(single.revocation_time)
    return single_response_der(
        single.cert_id.dump(),
        cert_status_der(single.status, revoked, single.revocation_reason),
        moment_der if single.this_update is None else generalized_time(single.this_update),
        b"" if single.next_update is None else generalized_time(single.next_update),
        single.extensions,
    )
