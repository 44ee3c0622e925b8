"""ocspkit: the OCSP toolkit (RFC 6960, RFC 5019/9919, RFC 8954/9654) on asn1crypto and oscrypto.

The public API is re-exported here flat; each module keeps its own ``__all__``. The names are
resolved on first use (PEP 562), so ``import ocspkit`` (and the command line, which prints a
response without touching HTTP, TLS or verification) only loads the modules it needs:
``from ocspkit import X`` and ``ocspkit.X`` work as if everything were imported here, and the type
checker sees the imports below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Tuple

from ._version import __version__

if TYPE_CHECKING:
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
        OCSPValueError,
        ParseError,
        RequestError,
        ResponderNotAuthorized,
        SignatureError,
        SignerNotFound,
        StaleResponse,
        StoreError,
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
    from .http import OCSPURL, HTTPReply, check_certificate, fetch, fetch_reply, ocsp_urls
    from .lint import Finding, Severity
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
    from .text import request_text, response_text, to_json, to_json_text
    from .trust import TrustedCertificate, load_trusted_certificates
    from .validity import check_single_response_validity, check_validity
    from .verify import (
        Authorization,
        CertificateStatus,
        Check,
        Verdict,
        VerifyFlags,
        check_status,
        verify_request,
        verify_response,
    )
# Where each public name lives: the same names as the imports above (tests/test_lazy_import.py
# checks that they agree and that every name of __all__ resolves).
_EXPORTS: Dict[str, Tuple[str, ...]] = {
    "certid": ("DEFAULT_CERTID_HASH", "CertID"),
    "enums": (
        "CertStatus", "NonceCheck", "ResponderIDType", "ResponseStatus", "RevocationReason", "cert_status_str",
        "crl_reason_str", "response_status_str",
    ),
    "errors": (
        "BackendError", "CertIDMismatch", "ChainError", "NonceMismatch", "OCSPError", "OCSPTypeError",
        "OCSPValueError", "ParseError", "RequestError", "ResponderNotAuthorized", "SignatureError", "SignerNotFound",
        "StaleResponse", "StoreError", "TransportError", "UnsuccessfulResponse", "UnsupportedError",
        "VerificationError",
    ),
    "extensions": (
        "Extension", "Extensions", "NonceForm", "acceptable_responses", "archive_cutoff", "certificate_issuer",
        "crl_id", "invalidity_date", "service_locator",
    ),
    "http": ("OCSPURL", "HTTPReply", "check_certificate", "fetch", "fetch_reply", "ocsp_urls"),
    "lint": ("Finding", "Severity"),
    "nonce": (
        "NonceComparison", "check_nonce", "compare_nonces", "copy_nonce", "make_nonce", "nonce_length_ok",
        "require_nonce",
    ),
    "request": ("DEFAULT_NONCE_LENGTH", "OCSPRequest", "Request", "RequestBuilder", "load_request"),
    "response": (
        "BasicOCSPResponse", "OCSPResponse", "ResponderID", "ResponseBuilder", "SingleResponse", "load_response",
        "unsuccessful_response",
    ),
    "text": ("request_text", "response_text", "to_json", "to_json_text"),
    "trust": ("TrustedCertificate", "load_trusted_certificates"),
    "validity": ("check_single_response_validity", "check_validity"),
    "verify": (
        "Authorization", "CertificateStatus", "Check", "Verdict", "VerifyFlags", "check_status", "verify_request",
        "verify_response",
    ),
}
_MODULE_OF: Dict[str, str] = {name: module for module, names in _EXPORTS.items() for name in names}
# The submodules an eager ``import ocspkit`` used to bind as attributes (``ocspkit.lint.lint(...)``
# after a bare ``import ocspkit``): still reachable that way, imported on first use.
_SUBMODULES = frozenset((
    *_EXPORTS, "asn1", "crypto", "_der", "_deps", "_oscrypto_compat", "_readers", "_util", "_views", "_writers",
))

if not TYPE_CHECKING:  # the type checker reads the imports above; at run time, PEP 562

    def __getattr__(name: str) -> Any:
        import importlib

        module = _MODULE_OF.get(name)
        if module is not None:
            value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
            globals()[name] = value  # resolved once
            return value
        if name in _SUBMODULES:
            return importlib.import_module(f"{__name__}.{name}")
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    def __dir__() -> List[str]:
        return sorted({*globals(), *__all__})


__all__ = [
    "DEFAULT_CERTID_HASH",
    "DEFAULT_NONCE_LENGTH",
    "OCSPURL",
    "Authorization",
    "BackendError",
    "BasicOCSPResponse",
    "CertID",
    "CertIDMismatch",
    "CertStatus",
    "CertificateStatus",
    "ChainError",
    "Check",
    "Extension",
    "Extensions",
    "Finding",
    "HTTPReply",
    "NonceCheck",
    "NonceComparison",
    "NonceForm",
    "NonceMismatch",
    "OCSPError",
    "OCSPRequest",
    "OCSPResponse",
    "OCSPTypeError",
    "OCSPValueError",
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
    "Severity",
    "SignatureError",
    "SignerNotFound",
    "SingleResponse",
    "StaleResponse",
    "StoreError",
    "TransportError",
    "TrustedCertificate",
    "UnsuccessfulResponse",
    "UnsupportedError",
    "Verdict",
    "VerificationError",
    "VerifyFlags",
    "__version__",
    "acceptable_responses",
    "archive_cutoff",
    "cert_status_str",
    "certificate_issuer",
    "check_certificate",
    "check_nonce",
    "check_single_response_validity",
    "check_status",
    "check_validity",
    "compare_nonces",
    "copy_nonce",
    "crl_id",
    "crl_reason_str",
    "fetch",
    "fetch_reply",
    "invalidity_date",
    "load_request",
    "load_response",
    "load_trusted_certificates",
    "make_nonce",
    "nonce_length_ok",
    "ocsp_urls",
    "request_text",
    "require_nonce",
    "response_status_str",
    "response_text",
    "service_locator",
    "to_json",
    "to_json_text",
    "unsuccessful_response",
    "verify_request",
    "verify_response",
]
