"""OCSP requests (RFC 6960 4.1): the read-only view and :func:`load_request`.

OpenSSL equivalents: d2i_OCSP_REQUEST_bio / PEM_read_bio_OCSP_REQUEST (load_request),
i2d / PEM_write (dump / pem), OCSP_request_onereq_count / _get0, OCSP_onereq_get0_id,
OCSP_request_is_signed, OCSP_REQUEST_get_ext*.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Iterable, Optional, Tuple

from asn1crypto import x509

from . import asn1
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
from ._readers import RequestRecord, Slow, read_request
from ._util import int_text
from ._views import TreeView, tree_of
from ._writers import tlv, wrapped_nonce
from .certid import CertID
from .certinfo import cert_facts
from .errors import OCSPTypeError, OCSPValueError, ParseError
from .extensions import (
    Extension,
    Extensions,
    NonceForm,
    extension_entry,
    read_nonce,
    refuse_unknown_critical,
    service_locator,
)

__all__ = ["DEFAULT_NONCE_LENGTH", "OCSPRequest", "Request", "RequestBuilder", "load_request"]

PEM_LABEL = "OCSP REQUEST"

# RFC 8954 2.1: clients send 32 octets, and responders may refuse 0 or more than 32 (RFC 9654
# later raised that maximum to 128).
DEFAULT_NONCE_LENGTH = 32

_REQUEST_EXTENSION_TYPES = (asn1.RequestExtension, asn1.SingleRequestExtension)


class Request(TreeView, RequestRecord):
    """One entry of requestList: a CertID and its singleRequestExtensions."""

    _SPEC = asn1.Request

    __slots__ = ()  # those of RequestRecord, which the fast reader fills
    _cert_id: CertID

    def __init__(self, der: bytes, cert_id: CertID, extensions: Any = None, tree: Any = None) -> None:
        self._der = der
        self._cert_id = cert_id
        self._ext = extensions  # None, the DER of the Extensions, or an asn1crypto value
        self._asn1 = tree

    @classmethod
    def _from_tree(cls, tree: Any) -> Request:
        return cls(received(tree), CertID(tree["req_cert"]), tree["single_request_extensions"], tree)


    @property
    def cert_id(self) -> CertID:
        """reqCert (OCSP_onereq_get0_id)."""
        return self._cert_id

    @property
    def extensions(self) -> Extensions:
        """singleRequestExtensions (empty when absent)."""
        self._ext = tree_of(self._ext, asn1.SingleRequestExtensions)
        return Extensions(self._ext)

    def __repr__(self) -> str:
        return f"<Request {self._cert_id!r}>"


class OCSPRequest(TreeView):
    """A parsed OCSP request, read-only. The bytes as received are kept: ``dump()`` returns them."""

    _SPEC = asn1.OCSPRequest

    __slots__ = ("_asn1", "_der", "_ext", "_name", "_nonce", "_nonce_read", "_requests", "_signature", "deviations")

    def __init__(
        self,
        der: bytes,
        requests: Tuple[Request, ...],
        requestor_name: Any = None,
        extensions: Any = None,
        nonce: Optional[bytes] = None,
        signature: Any = None,
        deviations: Tuple[Deviation, ...] = (),
        tree: Any = None,
    ) -> None:
        self._der = der
        self._requests = requests
        self._name = requestor_name  # None, GeneralName DER, or an asn1crypto GeneralName
        self._ext = extensions  # None, the DER of the Extensions, or an asn1crypto value
        self._nonce = nonce  # the nonce extension's extnValue contents, or None
        self._nonce_read: Optional[Tuple[bytes, NonceForm]] = None  # read_nonce(_nonce), once
        self._signature = signature  # None, Signature DER, or an asn1crypto Signature
        self._asn1 = tree
        #: Where the encoding was BER but not DER (empty for DER input).
        self.deviations = deviations

    @classmethod
    def _from_tree(cls, tree: Any, der: bytes, deviations: Tuple[Deviation, ...]) -> OCSPRequest:
        tbs = tree["tbs_request"]
        extensions = tbs["request_extensions"]
        nonce = Extensions(extensions).get(asn1.OID.NONCE)
        name = tbs["requestor_name"]
        signature = tree["optional_signature"]
        return cls(
            der,
            tuple(Request._from_tree(r) for r in tbs["request_list"]),
            # The GeneralName itself, without the [1] EXPLICIT tag asn1crypto keeps on the field.
            None if name.__class__.__name__ == "Void" else first_child(received(name)),
            extensions,
            None if nonce is None else nonce.raw_value,
            None if signature.__class__.__name__ == "Void" else signature,
            deviations,
            tree,
        )

    # --- encodings -------------------------------------------------------------------------


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
        """The version number (0 for v1, the only one load_request accepts)."""
        return 0

    @property
    def requestor_name(self) -> Any:
        """requestorName as an asn1crypto GeneralName, or None."""
        self._name = tree_of(self._name, x509.GeneralName)
        return self._name

    @property
    def requests(self) -> Tuple[Request, ...]:
        """The entries of requestList, in order."""
        return self._requests

    @property
    def cert_ids(self) -> Tuple[CertID, ...]:
        """The CertIDs asked about, in order."""
        return tuple(r._cert_id for r in self._requests)

    @property
    def extensions(self) -> Extensions:
        """requestExtensions (empty when absent)."""
        self._ext = tree_of(self._ext, asn1.RequestExtensions)
        return Extensions(self._ext)

    @property
    def nonce(self) -> Optional[bytes]:
        """The nonce (RFC 8954), unwrapped, or None."""
        if self._nonce is None:
            return None
        found = self._nonce_read or self._read_nonce()
        return found[0]

    @property
    def nonce_form(self) -> Optional[NonceForm]:
        """Whether the nonce came wrapped in an OCTET STRING (RFC 6960) or raw, or None."""
        if self._nonce is None:
            return None
        found = self._nonce_read or self._read_nonce()
        return found[1]

    def _read_nonce(self) -> Tuple[bytes, NonceForm]:
        assert self._nonce is not None
        found = self._nonce_read = read_nonce(self._nonce)
        return found

    # --- signature -------------------------------------------------------------------------

    @property
    def is_signed(self) -> bool:
        """Whether optionalSignature is present (OCSP_request_is_signed)."""
        return self._signature is not None

    def _sig(self) -> Any:
        self._signature = tree_of(self._signature, asn1.Signature)
        return self._signature

    @property
    def signature_algorithm(self) -> Any:
        """The signature's asn1crypto SignedDigestAlgorithm, or None when unsigned."""
        sig = self._sig()
        return None if sig is None else sig["signature_algorithm"]

    @property
    def signature(self) -> Optional[bytes]:
        """The signature bytes, or None when unsigned."""
        sig = self._sig()
        return None if sig is None else bytes(sig["signature"].native)

    def verify_signature(self, public_key: Any) -> None:
        """Check the signature over tbsRequest as received with ``public_key`` (anything
        :func:`ocspkit.crypto.load_public_key` reads, a certificate included): OpenSSL's
        OCSP_REQUEST_verify. :func:`ocspkit.verify_request` also finds the signer and checks its
        chain.

        :raises ocspkit.errors.SignatureError: the request is unsigned, or the signature does not
            verify with this key.
        """
        # Imported here: ocspkit.crypto is loaded only when it is needed (test_lazy_import).
        from .crypto import verify_signature
        from .errors import SignatureError

        signature = self.signature
        if signature is None:
            raise SignatureError("the request is not signed")
        check_whole_octets(self.signature_unused_bits, "request")
        verify_signature(public_key, signature, self.tbs_request_bytes, self.signature_algorithm)

    @property
    def signature_unused_bits(self) -> int:
        """The unused-bits count of the signature BIT STRING (0 when unsigned); anything but 0
        cannot verify."""
        sig = self._sig()
        return 0 if sig is None else unused_bits(sig["signature"])

    @property
    def certs(self) -> Tuple[Any, ...]:
        """Certificates carried with the signature (asn1crypto Certificates), in order."""
        sig = self._sig()
        if sig is None or sig["certs"].__class__.__name__ == "Void":
            return ()
        return tuple(sig["certs"])

    def __repr__(self) -> str:
        signed = " signed" if self.is_signed else ""
        return f"<OCSPRequest {len(self._requests)} request(s){signed}>"


# The fast reader's way to make a CertID from the fields it read (the view's own constructor).
_MAKE_CERT_ID = CertID._make


def _read_request(der: bytes, allow_critical: bool) -> OCSPRequest:
    """The fast path (:func:`ocspkit._readers.read_request`) as a view: DER in the usual shapes,
    else :class:`~ocspkit._readers.Slow` (tests/test_fast_path.py holds it to the general path).
    :func:`read_request_der` and the builders write it out, for one call less per request."""
    return OCSPRequest(*read_request(der, allow_critical, _MAKE_CERT_ID, Request))


def load_request(data: Any, *, strict: bool = False, allow_unknown_critical: bool = False) -> OCSPRequest:
    """Parse an OCSP request from DER or PEM bytes (d2i_OCSP_REQUEST / PEM_read_bio_OCSP_REQUEST),
    or from a file: ``data`` may be a path (``os.PathLike``, or a ``str`` that is not PEM text;
    a ``str`` starting with ``-----BEGIN`` is PEM text).

    By default BER that OpenSSL accepts is accepted and recorded in ``.deviations``;
    ``strict=True`` refuses anything that is not DER. Trailing bytes are always refused, and so
    are versions other than v1 and (unless ``allow_unknown_critical``) critical extensions
    ocspkit does not know. Every failure is a :class:`ocspkit.errors.ParseError`.
    """
    return read_request_der(to_der(data, (PEM_LABEL,), "OCSP request"), strict, allow_unknown_critical)


def read_request_der(der: bytes, strict: bool = False, allow_unknown_critical: bool = False) -> OCSPRequest:
    """:func:`load_request` for DER ``bytes`` in hand (a responder's request body): the same
    checks and errors, without looking for PEM or a file name first."""
    try:
        # _read_request, written out: the responder's per-request path.
        return OCSPRequest(*read_request(der, allow_unknown_critical, _MAKE_CERT_ID, Request))
    except Slow:
        return _load_request_general(der, strict, allow_unknown_critical)


def _load_request_general(der: bytes, strict: bool, allow_unknown_critical: bool) -> OCSPRequest:
    """The general path: asn1crypto and the validating walk (any BER; exact errors)."""
    check = None if allow_unknown_critical else refuse_unknown_critical(_REQUEST_EXTENSION_TYPES)
    tree, deviations = load_tree(asn1.OCSPRequest, der, strict=strict, on_extension=check)
    version = tree["tbs_request"]["version"].native
    if version != "v1":
        # RFC 6960 4.1.1: Version ::= INTEGER { v1(0) }; no other version is defined.
        raise ParseError(f"unsupported OCSPRequest version {int_text(version)}", path="tbs_request.version")
    return OCSPRequest._from_tree(tree, der, tuple(deviations))


@dataclasses.dataclass(frozen=True)
class _Entry:
    cert_id: CertID
    extensions: bytes  # the DER of each singleRequestExtension, concatenated


def nonce_value(nonce: Any) -> bytes:
    """Nonce bytes from ``True`` (default length), a length, or the bytes themselves."""
    if nonce is True:
        return os.urandom(DEFAULT_NONCE_LENGTH)
    if isinstance(nonce, int) and not isinstance(nonce, bool):
        if not 1 <= nonce <= 128:
            raise OCSPValueError(f"nonce length must be 1..128 octets (RFC 8954 recommends 32), got {nonce}")
        return os.urandom(nonce)
    if isinstance(nonce, (bytes, bytearray)):
        if not nonce:
            raise OCSPValueError("a nonce must not be empty (RFC 8954 2.1)")
        return bytes(nonce)
    raise OCSPTypeError(f"nonce must be True, a length or bytes, got {type(nonce).__name__}")


class RequestBuilder:
    """Builds an OCSPRequest; immutable: every setter returns a new builder.

    >>> request = RequestBuilder().add_cert(cert, issuer).with_nonce().build()

    N CertIDs, each with optional singleRequestExtensions; optional nonce (RFC 8954), requestor
    name, acceptable responses, preferred signature algorithms and any other extension; unsigned
    (:meth:`build`) or signed (:meth:`sign`). The DER is written directly.
    """

    __slots__ = ("_entries", "_extensions", "_requestor_name")

    def __init__(self) -> None:
        self._entries: Tuple[_Entry, ...] = ()
        self._extensions: Tuple[Tuple[str, bytes], ...] = ()  # (dotted OID, Extension DER)
        self._requestor_name: Optional[bytes] = None  # GeneralName DER

    def _replace(self, **changes: Any) -> RequestBuilder:
        new = RequestBuilder.__new__(RequestBuilder)
        new._entries = changes.get("entries", self._entries)
        new._extensions = changes.get("extensions", self._extensions)
        new._requestor_name = changes.get("requestor_name", self._requestor_name)
        return new

    def __repr__(self) -> str:
        named = ", requestorName" if self._requestor_name is not None else ""
        return f"<RequestBuilder {len(self._entries)} CertID(s), {len(self._extensions)} extension(s){named}>"

    # --- what is asked ---------------------------------------------------------------------

    def add_cert_id(self, cert_id: CertID, *, service_locator: Any = None) -> RequestBuilder:
        """Ask about ``cert_id`` (OCSP_request_add0_id).

        ``service_locator`` (RFC 6960 4.4.6), added as a singleRequestExtension: an
        :class:`ocspkit.extensions.Extension` from :func:`ocspkit.extensions.service_locator`
        (its critical flag is kept), an asn1crypto ServiceLocator, or an ``(issuer_name, ocsp_url)``
        pair.
        """
        if not isinstance(cert_id, CertID):
            raise OCSPTypeError(f"cert_id must be an ocspkit.CertID, got {type(cert_id).__name__}")
        single = b""
        if isinstance(service_locator, Extension):
            if service_locator.oid != asn1.OID.SERVICE_LOCATOR:
                raise OCSPValueError(f"service_locator must be a service locator extension, not {service_locator.name}")
            single = extension_entry(service_locator)[1]
        elif service_locator is not None:
            single = extension_entry(asn1.OID.SERVICE_LOCATOR, _service_locator(service_locator))[1]
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
        return self._replace(requestor_name=bytes(name.dump()))

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
        self, oid: Any, value: Any = None, *, critical: Optional[bool] = None, replace: bool = False
    ) -> RequestBuilder:
        """Add any request extension (OCSP_REQUEST_add1_ext_i2d / OCSP_REQUEST_add_ext).

        ``oid`` is a dotted OID with ``value`` the extnValue contents as DER bytes or an
        asn1crypto value, or an :class:`ocspkit.extensions.Extension` (e.g. from
        :func:`ocspkit.extensions.acceptable_responses`). ``replace`` drops earlier ones of that OID.
        """
        entry = extension_entry(oid, value, critical)
        kept = tuple(e for e in self._extensions if not (replace and e[0] == entry[0]))
        return self._replace(extensions=(*kept, entry))

    def without_extension(self, oid: str) -> RequestBuilder:
        """Drop every request extension with ``oid`` (OCSP_REQUEST_delete_ext)."""
        return self._replace(extensions=tuple(e for e in self._extensions if e[0] != oid))

    # --- ending ----------------------------------------------------------------------------

    def _tbs(self, requestor_name: Optional[bytes]) -> bytes:
        if not self._entries:
            raise OCSPValueError("a request needs at least one CertID (add_cert / add_cert_id)")
        requests = b"".join(
            [
                tlv(0x30, e.cert_id.dump() + (tlv(0xA0, tlv(0x30, e.extensions)) if e.extensions else b""))
                for e in self._entries
            ]
        )
        return tlv(
            0x30,
            (b"" if requestor_name is None else tlv(0xA1, requestor_name))
            + tlv(0x30, requests)
            + (tlv(0xA2, tlv(0x30, b"".join(e[1] for e in self._extensions))) if self._extensions else b""),
        )

    def build(self) -> OCSPRequest:
        """The unsigned request."""
        return _view(tlv(0x30, self._tbs(self._requestor_name)))

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
        # Imported here: ocspkit.crypto is loaded only when it is needed (test_lazy_import).
        from .crypto import load_private_key, sign, signing_algorithm

        signer = cert_facts(cert)
        private_key = load_private_key(key, password)
        name = self._requestor_name
        if name is None:
            name = tlv(0xA4, signer.subject_der)  # GeneralName directoryName [4] EXPLICIT Name
        tbs = self._tbs(name)
        algorithm, algorithm_der = signing_algorithm(private_key, hash_algorithm, pss)
        signature = algorithm_der + tlv(0x03, b"\x00" + sign(private_key, tbs, algorithm))
        if include_certs:
            certs = [signer.der, *(cert_facts(c).der for c in extra_certs)]
            signature += tlv(0xA0, tlv(0x30, b"".join(certs)))
        return _view(tlv(0x30, tbs + tlv(0xA0, tlv(0x30, signature))))


def _view(der: bytes) -> OCSPRequest:
    """The view of a request this module wrote."""
    try:
        return OCSPRequest(*read_request(der, True, _MAKE_CERT_ID, Request))  # _read_request, written out
    except Slow:  # shapes the fast reader leaves to the general path
        return _load_request_general(der, True, True)


def _service_locator(value: Any) -> Any:
    if isinstance(value, asn1.ServiceLocator):
        return value
    issuer, url = value
    # URLs written verbatim, as OpenSSL writes them (asn1crypto's URI type would normalise them).
    return service_locator(issuer, url).raw_value
