"""OCSP requests (RFC 6960 4.1): the read-only view and :func:`load_request`.

OpenSSL equivalents: d2i_OCSP_REQUEST_bio / PEM_read_bio_OCSP_REQUEST (load_request),
i2d / PEM_write (dump / pem), OCSP_request_onereq_count / _get0, OCSP_onereq_get0_id,
OCSP_request_is_signed, OCSP_REQUEST_get_ext*.
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

from . import asn1
from ._der import Deviation, load_tree, pem_armor, to_der
from .certid import CertID
from .errors import ParseError
from ._util import version_number as _version_number
from .extensions import Extensions, NonceForm, nonce_of

__all__ = ["OCSPRequest", "Request", "load_request"]

PEM_LABEL = "OCSP REQUEST"

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
        return bytes(self._asn1["tbs_request"].dump())

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


def _check_extension(strict_unknown: bool) -> Any:
    def check(extension: Any, path: str) -> None:
        if not isinstance(extension, _REQUEST_EXTENSION_TYPES):
            return
        if strict_unknown and extension["critical"].native and extension["extn_id"].native == extension[
            "extn_id"
        ].dotted:
            # RFC 5280 4.2 / RFC 6960 4.4: an unrecognised critical extension must be refused.
            raise ParseError(
                f"unrecognised critical extension {extension['extn_id'].dotted}", path=path
            )

    return check


def load_request(data: Any, *, strict: bool = False, allow_unknown_critical: bool = False) -> OCSPRequest:
    """Parse an OCSP request from DER or PEM bytes.

    By default BER that OpenSSL accepts is accepted and recorded in ``.deviations``;
    ``strict=True`` refuses anything that is not DER. Trailing bytes are always refused, and so
    are versions other than v1 and (unless ``allow_unknown_critical``) critical extensions
    ocspkit does not know. Every failure is a :class:`ocspkit.errors.ParseError`.
    """
    der = to_der(data, (PEM_LABEL,), "OCSP request")
    tree, deviations = load_tree(
        asn1.OCSPRequest, der, strict=strict, on_extension=_check_extension(not allow_unknown_critical)
    )
    version = tree["tbs_request"]["version"].native
    if version != "v1":
        # RFC 6960 4.1.1: Version ::= INTEGER { v1(0) }; no other version is defined.
        raise ParseError(f"unsupported OCSPRequest version {version}", path="tbs_request.version")
    return OCSPRequest(tree, der, tuple(deviations))
