"""ocspkit: the OCSP toolkit (RFC 6960, RFC 5019/9919, RFC 8954/9654) on asn1crypto and oscrypto.

The public API is re-exported here flat; each module keeps its own ``__all__``.
"""

from __future__ import annotations

from .certid import DEFAULT_CERTID_HASH, CertID
from .enums import (
    CertStatus,
    NonceCheck,
    ResponderIDType,
    ResponseStatus,
    RevocationReason,
    cert_status_str,
    crl_reason_str,
    response_status_str,
)
from .errors import (
    BackendError,
    CertIDMismatch,
    ChainError,
    NonceMismatch,
    OCSPError,
    OCSPTypeError,
    ParseError,
    RequestError,
    ResponderNotAuthorized,
    SignatureError,
    SignerNotFound,
    StaleResponse,
    TransportError,
    UnsuccessfulResponse,
    UnsupportedError,
    VerificationError,
)
from .extensions import (
    Extension,
    Extensions,
    NonceForm,
    acceptable_responses,
    archive_cutoff,
    certificate_issuer,
    crl_id,
    invalidity_date,
    service_locator,
)
from .nonce import (
    NonceComparison,
    check_nonce,
    compare_nonces,
    copy_nonce,
    make_nonce,
    nonce_length_ok,
    require_nonce,
)
from .request import DEFAULT_NONCE_LENGTH, OCSPRequest, Request, RequestBuilder, load_request
from .response import (
    BasicOCSPResponse,
    OCSPResponse,
    ResponderID,
    ResponseBuilder,
    SingleResponse,
    load_response,
    unsuccessful_response,
)
from .validity import check_single_response_validity, check_validity

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_CERTID_HASH",
    "DEFAULT_NONCE_LENGTH",
    "BackendError",
    "BasicOCSPResponse",
    "CertID",
    "CertIDMismatch",
    "CertStatus",
    "ChainError",
    "Extension",
    "Extensions",
    "NonceCheck",
    "NonceComparison",
    "NonceForm",
    "NonceMismatch",
    "OCSPError",
    "OCSPRequest",
    "OCSPResponse",
    "OCSPTypeError",
    "ParseError",
    "Request",
    "RequestBuilder",
    "RequestError",
    "ResponderID",
    "ResponderIDType",
    "ResponderNotAuthorized",
    "ResponseBuilder",
    "ResponseStatus",
    "RevocationReason",
    "SignatureError",
    "SignerNotFound",
    "SingleResponse",
    "StaleResponse",
    "TransportError",
    "UnsuccessfulResponse",
    "UnsupportedError",
    "VerificationError",
    "__version__",
    "acceptable_responses",
    "archive_cutoff",
    "cert_status_str",
    "certificate_issuer",
    "check_nonce",
    "check_single_response_validity",
    "check_validity",
    "compare_nonces",
    "copy_nonce",
    "crl_id",
    "crl_reason_str",
    "invalidity_date",
    "load_request",
    "load_response",
    "make_nonce",
    "nonce_length_ok",
    "require_nonce",
    "response_status_str",
    "service_locator",
    "unsuccessful_response",
]
