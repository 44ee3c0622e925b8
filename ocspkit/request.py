"""OCSP requests (RFC 6960 4.1): the read-only view and :func:`load_request`.

OpenSSL equivalents: d2i_OCSP_REQUEST_bio / PEM_read_bio_OCSP_REQUEST (load_request),
i2d / PEM_write (dump / pem), OCSP_request_onereq_count / _get0, OCSP_onereq_get0_id,
OCSP_request_is_signed, OCSP_REQUEST_get_ext*.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Iterable, Optional, Tuple

from asn1crypto import x509

from . import asn1
from ._der import Deviation, first_child, load_tree, pem_armor, to_der
from ._util import version_number as _version_number
from .certid import CertID
from .errors import OCSPTypeError, ParseError
from .extensions import Extensions, NonceForm, make_extension, nonce_of, refuse_unknown_critical

__all__ = ["DEFAULT_NONCE_LENGTH", "OCSPRequest", "Request", "RequestBuilder", "load_request"]

PEM_LABEL = "OCSP REQUEST"

# RFC 8954 2.1: clients send 32 octets, and responders may refuse 0 or more than 32 (RFC 9654
# later raised that maximum to 128).
DEFAULT_NONCE_LENGTH = 32

_REQUEST_EXTENSION_TYPES = (asn1.RequestExtension, asn1.SingleRequestExtension)


class Request:
    """One entry of requestList: a CertID and its singleRequestExtensions."""

    __slots__ = ("_asn1", "_cert_id")

    def __init__(self, asn1_request: Any) -> None:
        self._asn1 = asn1_request
        self._cert_id = CertID(asn1_request["req_cert"])

    @property
    def asn1(self) -> Any:
        """The asn1crypto Request."""
        return self._asn1

    @property
    def cert_id(self) -> CertID:
        """reqCert (OCSP_onereq_get0_id)."""
        return self._cert_id

    @property
    def extensions(self) -> Extensions:
        """singleRequestExtensions (empty when absent)."""
        return Extensions(self._asn1["single_request_extensions"])

    def __repr__(self) -> str:
        return f"<Request {self._cert_id!r}>"


class OCSPRequest:
    """A parsed OCSP request, read-only. The bytes as received are kept: ``dump()`` returns them."""

    __slots__ = ("_asn1", "_der", "_requests", "deviations")

    def __init__(self, tree: Any, der: bytes, deviations: Tuple[Deviation, ...] = ()) -> None:
        self._asn1 = tree
        self._der = der
        self._requests = tuple(Request(r) for r in tree["tbs_request"]["request_list"])
        #: Where the encoding was BER but not DER (empty for DER input).
        self.deviations = deviations

    # --- encodings -------------------------------------------------------------------------

    @property
    def asn1(self) -> Any:
        """The asn1crypto tree (:class:`ocspkit.asn1.OCSPRequest`)."""
        return self._asn1

    def dump(self) -> bytes:
        """The DER bytes, exactly as received (i2d_OCSP_REQUEST)."""
        return self._der

    def pem(self) -> bytes:
        """PEM with the ``OCSP REQUEST`` label (PEM_write_bio_OCSP_REQUEST)."""
        return pem_armor(self._der, PEM_LABEL)

    @property
    def tbs_request_bytes(self) -> bytes:
        """tbsRequest exactly as received: what a request signature covers."""
        return first_child(self._der)

    # --- fields ----------------------------------------------------------------------------

    @property
    def version(self) -> int:
        """The version number (0 for v1)."""
        return _version_number(self._asn1["tbs_request"]["version"])

    @property
    def requestor_name(self) -> Any:
        """requestorName as an asn1crypto GeneralName, or None."""
        value = self._asn1["tbs_request"]["requestor_name"]
        return None if value.__class__.__name__ == "Void" else value

    @property
    def requests(self) -> Tuple[Request, ...]:
        """The entries of requestList, in order."""
        return self._requests

    @property
    def cert_ids(self) -> Tuple[CertID, ...]:
        """The CertIDs asked about, in order."""
        return tuple(r.cert_id for r in self._requests)

    @property
    def extensions(self) -> Extensions:
        """requestExtensions (empty when absent)."""
        return Extensions(self._asn1["tbs_request"]["request_extensions"])

    @property
    def nonce(self) -> Optional[bytes]:
        """The nonce (RFC 8954), unwrapped, or None."""
        return nonce_of(self.extensions)[0]

    @property
    def nonce_form(self) -> Optional[NonceForm]:
        """Whether the nonce came wrapped in an OCTET STRING (RFC 6960) or raw, or None."""
        return nonce_of(self.extensions)[1]

    # --- signature -------------------------------------------------------------------------

    @property
    def is_signed(self) -> bool:
        """Whether optionalSignature is present (OCSP_request_is_signed)."""
        return self._signature() is not None

    def _signature(self) -> Any:
        value = self._asn1["optional_signature"]
        return None if value.__class__.__name__ == "Void" else value

    @property
    def signature_algorithm(self) -> Any:
        """The signature's asn1crypto SignedDigestAlgorithm, or None when unsigned."""
        sig = self._signature()
        return None if sig is None else sig["signature_algorithm"]

    @property
    def signature(self) -> Optional[bytes]:
        """The signature bytes, or None when unsigned."""
        sig = self._signature()
        return None if sig is None else bytes(sig["signature"].native)

    @property
    def certs(self) -> Tuple[Any, ...]:
        """Certificates carried with the signature (asn1crypto Certificates), in order."""
        sig = self._signature()
        if sig is None or sig["certs"].__class__.__name__ == "Void":
            return ()
        return tuple(sig["certs"])

    def __repr__(self) -> str:
        signed = " signed" if self.is_signed else ""
        return f"<OCSPRequest {len(self._requests)} request(s){signed}>"


def load_request(data: Any, *, strict: bool = False, allow_unknown_critical: bool = False) -> OCSPRequest:
    """Parse an OCSP request from DER or PEM bytes.

    By default BER that OpenSSL accepts is accepted and recorded in ``.deviations``;
    ``strict=True`` refuses anything that is not DER. Trailing bytes are always refused, and so
    are versions other than v1 and (unless ``allow_unknown_critical``) critical extensions
    ocspkit does not know. Every failure is a :class:`ocspkit.errors.ParseError`.
    """
    der = to_der(data, (PEM_LABEL,), "OCSP request")
    check = None if allow_unknown_critical else refuse_unknown_critical(_REQUEST_EXTENSION_TYPES)
    tree, deviations = load_tree(asn1.OCSPRequest, der, strict=strict, on_extension=check)
    version = tree["tbs_request"]["version"].native
    if version != "v1":
        # RFC 6960 4.1.1: Version ::= INTEGER { v1(0) }; no other version is defined.
        raise ParseError(f"unsupported OCSPRequest version {version}", path="tbs_request.version")
    return OCSPRequest(tree, der, tuple(deviations))


@dataclasses.dataclass(frozen=True)
class _Entry:
    cert_id: CertID
    extensions: Tuple[Any, ...]


def wrapped_nonce(nonce: bytes) -> bytes:
    """The extnValue of a nonce extension: DER OCTET STRING holding the nonce (RFC 6960 4.4.1)."""
    return bytes(asn1.Nonce(nonce).dump())


def nonce_value(nonce: Any) -> bytes:
    """Nonce bytes from ``True`` (default length), a length, or the bytes themselves."""
    from .crypto import random_bytes

    if nonce is True:
        return random_bytes(DEFAULT_NONCE_LENGTH)
    if isinstance(nonce, int) and not isinstance(nonce, bool):
        if not 1 <= nonce <= 128:
            raise ValueError(f"nonce length must be 1..128 octets (RFC 8954 recommends 32), got {nonce}")
        return random_bytes(nonce)
    if isinstance(nonce, (bytes, bytearray)):
        if not nonce:
            raise ValueError("a nonce must not be empty (RFC 8954 2.1)")
        return bytes(nonce)
    raise OCSPTypeError(f"nonce must be True, a length or bytes, got {type(nonce).__name__}")


class RequestBuilder:
    """Builds an OCSPRequest; immutable: every setter returns a new builder.

    >>> request = RequestBuilder().add_cert(cert, issuer).with_nonce().build()

    N CertIDs, each with optional singleRequestExtensions; optional nonce (RFC 8954), requestor
    name, acceptable responses, preferred signature algorithms and any other extension; unsigned
    (:meth:`build`) or signed (:meth:`sign`).
    """

    __slots__ = ("_entries", "_extensions", "_requestor_name")

    def __init__(self) -> None:
        self._entries: Tuple[_Entry, ...] = ()
        self._extensions: Tuple[Any, ...] = ()
        self._requestor_name: Any = None

    def _replace(self, **changes: Any) -> RequestBuilder:
        new = RequestBuilder.__new__(RequestBuilder)
        new._entries = changes.get("entries", self._entries)
        new._extensions = changes.get("extensions", self._extensions)
        new._requestor_name = changes.get("requestor_name", self._requestor_name)
        return new

    # --- what is asked ---------------------------------------------------------------------

    def add_cert_id(self, cert_id: CertID, *, service_locator: Any = None) -> RequestBuilder:
        """Ask about ``cert_id`` (OCSP_request_add0_id).

        ``service_locator`` is an asn1crypto ServiceLocator or a ``(issuer_name, ocsp_url)`` pair
        (RFC 6960 4.4.6), added as a singleRequestExtension.
        """
        if not isinstance(cert_id, CertID):
            raise OCSPTypeError(f"cert_id must be an ocspkit.CertID, got {type(cert_id).__name__}")
        single: Tuple[Any, ...] = ()
        if service_locator is not None:
            single = (make_extension(asn1.SingleRequestExtension, asn1.OID.SERVICE_LOCATOR,
                                 _service_locator(service_locator), False),)
        return self._replace(entries=(*self._entries, _Entry(cert_id, single)))

    def add_cert(
        self, cert: Any, issuer: Any, hash_algorithm: str = "sha1", *, service_locator: Any = None
    ) -> RequestBuilder:
        """Ask about ``cert`` issued by ``issuer`` (OCSP_cert_to_id + OCSP_request_add0_id)."""
        cert_id = CertID.from_cert(cert, issuer, hash_algorithm)
        return self.add_cert_id(cert_id, service_locator=service_locator)

    # --- request extensions ----------------------------------------------------------------

    def with_nonce(self, nonce: Any = True) -> RequestBuilder:
        """Add a nonce (OCSP_request_add1_nonce): 32 random bytes by default, a length, or bytes.

        RFC 8954 2.1 asks clients for 32 octets; the value is wrapped in an OCTET STRING (RFC 6960 4.4.1).
        """
        value = wrapped_nonce(nonce_value(nonce))
        return self.with_extension(asn1.OID.NONCE, value, replace=True)

    def with_requestor_name(self, name: Any) -> RequestBuilder:
        """Set requestorName (OCSP_request_set1_name): an asn1crypto GeneralName or Name, or a
        dict of Name attributes like ``{"common_name": "client"}``."""
        if isinstance(name, dict):
            name = x509.Name.build(name)
        if isinstance(name, x509.Name):
            name = x509.GeneralName(name="directory_name", value=name)
        if not isinstance(name, x509.GeneralName):
            raise OCSPTypeError("requestor name must be a GeneralName, a Name or a dict of attributes")
        return self._replace(requestor_name=name)

    def with_acceptable_responses(self, *oids: str) -> RequestBuilder:
        """Add AcceptableResponses (OCSP_accept_responses_new); default id-pkix-ocsp-basic."""
        value = asn1.AcceptableResponses(list(oids) or [asn1.OID.BASIC])
        return self.with_extension(asn1.OID.RESPONSE, value, replace=True)

    def with_preferred_signature_algorithms(self, *algorithms: Any) -> RequestBuilder:
        """Add PreferredSignatureAlgorithms (RFC 6960 4.4.7): asn1crypto SignedDigestAlgorithm
        objects or their names (``"sha256_rsa"``, ``"sha256_ecdsa"``, ...)."""
        from asn1crypto import algos

        items = []
        for alg in algorithms:
            if isinstance(alg, str):
                alg = algos.SignedDigestAlgorithm({"algorithm": alg})
            items.append({"sig_identifier": alg})
        return self.with_extension(
            asn1.OID.PREF_SIG_ALGS, asn1.PreferredSignatureAlgorithms(items), replace=True
        )

    def with_extension(
        self, oid: str, value: Any, *, critical: bool = False, replace: bool = False
    ) -> RequestBuilder:
        """Add any request extension (OCSP_REQUEST_add1_ext_i2d): ``value`` is the extnValue
        contents as DER bytes or an asn1crypto value. ``replace`` drops earlier ones of that OID."""
        ext = make_extension(asn1.RequestExtension, oid, value, critical)
        kept = tuple(e for e in self._extensions if not (replace and e["extn_id"].dotted == oid))
        return self._replace(extensions=(*kept, ext))

    def without_extension(self, oid: str) -> RequestBuilder:
        """Drop every request extension with ``oid`` (OCSP_REQUEST_delete_ext)."""
        return self._replace(extensions=tuple(e for e in self._extensions if e["extn_id"].dotted != oid))

    # --- ending ----------------------------------------------------------------------------

    def _tbs(self) -> Any:
        if not self._entries:
            raise ValueError("a request needs at least one CertID (add_cert / add_cert_id)")
        requests = []
        for entry in self._entries:
            item: dict = {"req_cert": entry.cert_id.asn1}  # type: ignore[type-arg]
            if entry.extensions:
                item["single_request_extensions"] = list(entry.extensions)
            requests.append(item)
        tbs: dict = {"request_list": requests}  # type: ignore[type-arg]
        if self._requestor_name is not None:
            tbs["requestor_name"] = self._requestor_name
        if self._extensions:
            tbs["request_extensions"] = list(self._extensions)
        return asn1.TBSRequest(tbs)

    def build(self) -> OCSPRequest:
        """The unsigned request."""
        der = asn1.OCSPRequest({"tbs_request": self._tbs()}).dump()
        return load_request(der, strict=True)

    def sign(
        self,
        key: Any,
        cert: Any,
        *,
        hash_algorithm: str = "sha256",
        pss: bool = False,
        extra_certs: Iterable[Any] = (),
        include_certs: bool = True,
        password: Any = None,
    ) -> OCSPRequest:
        """The request signed by ``key`` (OCSP_request_sign); requestorName defaults to ``cert``'s
        subject, as RFC 6960 4.1.2 requires of signed requests.

        ``hash_algorithm`` defaults to SHA-256 (SHA-1 signatures are deprecated, RFC 9155 / 6960
        4.3); ``include_certs=False`` is OpenSSL's OCSP_NOCERTS.
        """
        from .crypto import load_certificate, load_private_key, sign, signature_algorithm

        signer_cert = load_certificate(cert)
        private_key = load_private_key(key, password)
        builder = self
        if self._requestor_name is None:
            builder = self.with_requestor_name(signer_cert.subject)
        tbs = builder._tbs()
        algorithm = signature_algorithm(private_key, hash_algorithm, pss=pss)
        signature_bytes = sign(private_key, tbs.dump(), algorithm)
        signature: dict = {"signature_algorithm": algorithm, "signature": signature_bytes}  # type: ignore[type-arg]
        if include_certs:
            signature["certs"] = [signer_cert, *(load_certificate(c) for c in extra_certs)]
        der = asn1.OCSPRequest({"tbs_request": tbs, "optional_signature": signature}).dump()
        return load_request(der, strict=True)


def _service_locator(value: Any) -> Any:
    if isinstance(value, asn1.ServiceLocator):
        return value
    issuer, url = value
    if isinstance(issuer, dict):
        issuer = x509.Name.build(issuer)
    return asn1.ServiceLocator(
        {
            "issuer": issuer,
            "locator": [
                {"access_method": "ocsp", "access_location": {"uniform_resource_identifier": url}}
            ],
        }
    )
