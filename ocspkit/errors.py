"""The ocspkit exception hierarchy, rooted at :class:`OCSPError` and split by whose fault it is.

::

    OCSPError
    ├── ParseError(OCSPError, ValueError)   malformed bytes (the sender's fault); .offset, .path
    ├── UnsupportedError                    an algorithm or feature ocspkit cannot handle
    │   └── BackendError                    the crypto engine (oscrypto) cannot load or run here
    ├── UnsuccessfulResponse                the responder answered malformedRequest, tryLater, ...
    ├── VerificationError                   a check failed; .reason says which
    │   ├── SignatureError                  the signature does not verify
    │   ├── SignerNotFound                  no certificate matches the responder ID / signer
    │   ├── ResponderNotAuthorized          the signer may not speak for this issuer
    │   ├── ChainError                      the signer's chain does not lead to a trust anchor
    │   ├── CertIDMismatch                  the response does not answer for the certificate asked about
    │   ├── NonceMismatch                   the nonce is missing or differs
    │   └── StaleResponse                   thisUpdate / nextUpdate / producedAt out of bounds
    ├── OCSPTypeError(OCSPError, TypeError)  an argument of the wrong type (API misuse)
    ├── RequestError                        a request a responder must refuse; .response_status
    ├── TransportError                      HTTP failures, timeouts, wrong content type, oversize
    └── StoreError                          a responder's status store cannot be read (its fault, not the client's)

Misuse of the API (a wrong type, a setter called twice) stays ``TypeError`` / ``ValueError``. No other
exception type escapes a load or verify call on hostile input.
"""

from __future__ import annotations

from typing import Optional, Tuple

__all__ = [
    "BackendError",
    "CertIDMismatch",
    "ChainError",
    "NonceMismatch",
    "OCSPError",
    "OCSPTypeError",
    "OCSPValueError",
    "ParseError",
    "RequestError",
    "ResponderNotAuthorized",
    "SignatureError",
    "SignerNotFound",
    "StaleResponse",
    "StoreError",
    "TransportError",
    "UnsuccessfulResponse",
    "UnsupportedError",
    "VerificationError",
]


class OCSPError(Exception):
    """Root of every exception ocspkit raises on purpose."""


class ParseError(OCSPError, ValueError):
    """The bytes are not a well-formed message of the expected type.

    ``offset`` is the byte offset into the input where the problem was found (when known) and
    ``path`` the dotted field path (``"tbsResponseData.responses[0].certID"``) when known.
    """

    def __init__(self, message: str, *, offset: Optional[int] = None, path: Optional[str] = None):
        self.message = message
        self.offset = offset
        self.path = path
        where = []
        if path:
            where.append(path)
        if offset is not None:
            where.append(f"offset {offset}")
        super().__init__(f"{message} (at {', '.join(where)})" if where else message)


class UnsupportedError(OCSPError):
    """An algorithm, extension or feature that ocspkit cannot handle."""


class BackendError(UnsupportedError):
    """The cryptographic engine (oscrypto and the system libcrypto) cannot load or run here."""


class UnsuccessfulResponse(OCSPError):
    """The responder answered with a responseStatus other than successful.

    ``status`` holds the :class:`ocspkit.enums.ResponseStatus` (or the raw int for unknown codes).
    """

    def __init__(self, status: object, message: Optional[str] = None):
        self.status = status
        name = getattr(status, "name", None) or str(status)
        super().__init__(message or f"the responder answered {name}")


class VerificationError(OCSPError):
    """A verification step failed. ``reason`` is a short machine-readable tag of the step."""

    reason = "verification"
    #: The checks (:class:`ocspkit.verify.Check`) that passed before this one failed, when raised
    #: by :mod:`ocspkit.verify`.
    checks: Tuple[object, ...] = ()

    def __init__(self, message: str, *, reason: Optional[str] = None):
        if reason is not None:
            self.reason = reason
        super().__init__(message)


class SignatureError(VerificationError):
    """A signature does not verify over the bytes as received."""

    reason = "signature"


class SignerNotFound(VerificationError):
    """No certificate matches the responder ID (or the request's signer)."""

    reason = "signer_not_found"


class ResponderNotAuthorized(VerificationError):
    """The signer is neither the issuer, nor a delegated responder of it, nor trusted (RFC 6960 4.2.2.2)."""

    reason = "not_authorized"


class ChainError(VerificationError):
    """The signer's certificate chain does not lead to a trust anchor at the given time."""

    reason = "chain"
    #: OpenSSL's X509_verify_cert_error_string for the failure ("certificate has expired", ...).
    openssl_error: Optional[str] = None


class CertIDMismatch(VerificationError):
    """The response holds no SingleResponse for the certificate asked about."""

    reason = "certid_mismatch"


class NonceMismatch(VerificationError):
    """The response's nonce is absent or differs from the request's."""

    reason = "nonce"
    #: The :class:`ocspkit.enums.NonceCheck` outcome, when raised by :func:`ocspkit.nonce.require_nonce`.
    outcome: object = None
    #: The full :class:`ocspkit.nonce.NonceComparison`, when available.
    comparison: object = None


class StaleResponse(VerificationError):
    """thisUpdate lies in the future, nextUpdate in the past, or the response is older than allowed."""

    reason = "validity"
    #: The first rule broken (see :data:`ocspkit.validity.RULES`), when known.
    rule: Optional[str] = None
    #: Every rule broken, in OpenSSL's order of checking.
    rules: Tuple[str, ...] = ()


class OCSPTypeError(OCSPError, TypeError):
    """An argument of the wrong type, e.g. ``load_response(None)``. Also a ``TypeError``."""


class OCSPValueError(OCSPError, ValueError):
    """An argument of the right type with a value ocspkit cannot use, e.g. a naive datetime or
    an unknown hash name. Also a ``ValueError``."""


class RequestError(OCSPError):
    """A request a responder must refuse; ``response_status`` is the status to answer with."""

    def __init__(self, message: str, *, response_status: object = None):
        self.response_status = response_status
        super().__init__(message)


class TransportError(OCSPError):
    """HTTP failure: connection, timeout, HTTP status, wrong content type or an oversize body."""

    def __init__(self, message: str, *, http_status: Optional[int] = None):
        self.http_status = http_status
        super().__init__(message)


class StoreError(OCSPError):
    """A responder's status store cannot be read or written (a missing or corrupt index file, a
    locked database). The responder answers internalError or tryLater and keeps serving.
    ``retryable`` says whether trying again later may help (it selects tryLater)."""

    def __init__(self, message: str, *, retryable: bool = False):
        self.retryable = retryable
        super().__init__(message)
