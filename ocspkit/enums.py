"""Enumerations with the numbers RFC 6960 (and RFC 5280 for reasons) gives them."""

from __future__ import annotations

import enum
from typing import Any, Dict

from .errors import OCSPTypeError

__all__ = [
    "OPENSSL_UNKNOWN",
    "CertStatus",
    "NamedMember",
    "NonceCheck",
    "ResponderIDType",
    "ResponseStatus",
    "RevocationReason",
    "cert_status_str",
    "crl_reason_str",
    "response_status_str",
]

#: What OpenSSL's OCSP_*_str functions return for a number outside their table.
OPENSSL_UNKNOWN = "(UNKNOWN)"


# The last character of a format spec that asks for a number ({:d}, {:x}, {:>4d}, ...).
_NUMERIC_FORMATS = frozenset("bcdeEfFgGnoxX%")


class NamedMember:
    """Mixin for every public ocspkit enum: ``str()`` is the member's name.

    ``str(ResponseStatus.SUCCESSFUL)`` and ``f"{status}"`` give ``SUCCESSFUL`` on every Python
    (3.11 made ``str()`` of an IntEnum its number, so ``print(status)`` printed ``0``); ``repr()``
    stays Enum's (``<ResponseStatus.SUCCESSFUL: 0>``), and a numeric format spec (``{:d}``,
    ``{:#x}``) still formats the value. A combination of flags is named ``A|B``.
    """

    def __str__(self) -> str:
        member: Any = self
        name = member.name
        if name is None:  # a combination of flags before Python 3.11
            name = "|".join(m.name for m in type(member) if m.value and m.value & member.value == m.value)
        return str(name or member.value)

    def __format__(self, spec: str) -> str:
        if spec and spec[-1] in _NUMERIC_FORMATS:
            member: Any = self
            return format(member.value, spec)
        return format(str(self), spec)


class ResponseStatus(NamedMember, enum.IntEnum):
    """OCSPResponseStatus, RFC 6960 4.2.1 (value 4 is not used)."""

    SUCCESSFUL = 0
    MALFORMED_REQUEST = 1
    INTERNAL_ERROR = 2
    TRY_LATER = 3
    SIG_REQUIRED = 5
    UNAUTHORIZED = 6

    @property
    def asn1_name(self) -> str:
        """The ASN.1 identifier, e.g. ``malformedRequest``."""
        return _RESPONSE_STATUS_ASN1[self]

    @property
    def openssl_name(self) -> str:
        """OpenSSL's text for this RFC 6960 4.2.1 status, e.g. ``malformedrequest``
        (OCSP_response_status_str)."""
        return response_status_str(self)


_RESPONSE_STATUS_ASN1 = {
    ResponseStatus.SUCCESSFUL: "successful",
    ResponseStatus.MALFORMED_REQUEST: "malformedRequest",
    ResponseStatus.INTERNAL_ERROR: "internalError",
    ResponseStatus.TRY_LATER: "tryLater",
    ResponseStatus.SIG_REQUIRED: "sigRequired",
    ResponseStatus.UNAUTHORIZED: "unauthorized",
}


class CertStatus(NamedMember, enum.IntEnum):
    """CertStatus CHOICE, RFC 6960 4.2.1: the context tag of each alternative."""

    GOOD = 0
    REVOKED = 1
    UNKNOWN = 2

    @property
    def openssl_name(self) -> str:
        """OpenSSL's text for this RFC 6960 4.2.1 CertStatus: ``good``, ``revoked``, ``unknown``
        (OCSP_cert_status_str)."""
        return cert_status_str(self)


class RevocationReason(NamedMember, enum.IntEnum):
    """CRLReason, RFC 5280 5.3.1 (value 7 is not used)."""

    UNSPECIFIED = 0
    KEY_COMPROMISE = 1
    CA_COMPROMISE = 2
    AFFILIATION_CHANGED = 3
    SUPERSEDED = 4
    CESSATION_OF_OPERATION = 5
    CERTIFICATE_HOLD = 6
    REMOVE_FROM_CRL = 8
    PRIVILEGE_WITHDRAWN = 9
    AA_COMPROMISE = 10

    @property
    def asn1_name(self) -> str:
        """The ASN.1 identifier of RFC 5280 5.3.1, e.g. ``keyCompromise``, ``cACompromise``."""
        return _REASON_ASN1[self]

    @property
    def openssl_name(self) -> str:
        """OpenSSL's text for this revocationReason (RFC 6960 4.2.1): the RFC 5280 5.3.1
        identifier, as OCSP_crl_reason_str gives it (OpenSSL 3.2 and later for 9 and 10)."""
        return crl_reason_str(self)


_REASON_ASN1 = {
    RevocationReason.UNSPECIFIED: "unspecified",
    RevocationReason.KEY_COMPROMISE: "keyCompromise",
    RevocationReason.CA_COMPROMISE: "cACompromise",
    RevocationReason.AFFILIATION_CHANGED: "affiliationChanged",
    RevocationReason.SUPERSEDED: "superseded",
    RevocationReason.CESSATION_OF_OPERATION: "cessationOfOperation",
    RevocationReason.CERTIFICATE_HOLD: "certificateHold",
    RevocationReason.REMOVE_FROM_CRL: "removeFromCRL",
    RevocationReason.PRIVILEGE_WITHDRAWN: "privilegeWithdrawn",
    RevocationReason.AA_COMPROMISE: "aACompromise",
}


class ResponderIDType(NamedMember, enum.Enum):
    """How a ResponderID names the responder (RFC 6960 4.2.1)."""

    BY_NAME = "by_name"
    BY_KEY = "by_key"


class NonceCheck(NamedMember, enum.IntEnum):
    """OpenSSL's OCSP_check_nonce outcomes, with OpenSSL's return values."""

    MISMATCH = 0  #: both carry a nonce and they differ
    EQUAL = 1  #: both carry the same nonce
    BOTH_ABSENT = 2  #: neither carries a nonce
    RESPONSE_ONLY = 3  #: only the response carries one
    REQUEST_ONLY = -1  #: the request carried one, the response did not


# OpenSSL's tables (crypto/ocsp/ocsp_prn.c), spelled exactly as OpenSSL prints them.
_OPENSSL_RESPONSE_STATUS = {
    0: "successful",
    1: "malformedrequest",
    2: "internalerror",
    3: "trylater",
    5: "sigrequired",
    6: "unauthorized",
}
_OPENSSL_CERT_STATUS = {0: "good", 1: "revoked", 2: "unknown"}
_OPENSSL_CRL_REASON = {int(reason): name for reason, name in _REASON_ASN1.items()}


def _openssl_text(table: Dict[int, str], value: object, what: str) -> str:
    if not isinstance(value, int) or isinstance(value, bool):
        raise OCSPTypeError(f"{what} must be an int, got {type(value).__name__}")
    return table.get(int(value), OPENSSL_UNKNOWN)


def response_status_str(status: int) -> str:
    """OpenSSL's OCSP_response_status_str: the text for an OCSPResponseStatus number
    (RFC 6960 4.2.1), e.g. ``successful``, ``malformedrequest``, ``trylater``; ``(UNKNOWN)`` for
    a number OpenSSL has no text for (4, which RFC 6960 leaves unused, and anything outside 0..6)."""
    return _openssl_text(_OPENSSL_RESPONSE_STATUS, status, "status")


def cert_status_str(status: int) -> str:
    """OpenSSL's OCSP_cert_status_str: ``good`` (0), ``revoked`` (1) or ``unknown`` (2), the
    CertStatus alternatives of RFC 6960 4.2.1 by tag number; ``(UNKNOWN)`` otherwise."""
    return _openssl_text(_OPENSSL_CERT_STATUS, status, "status")


def crl_reason_str(reason: int) -> str:
    """OpenSSL's OCSP_crl_reason_str: the CRLReason identifier of RFC 5280 5.3.1 (the
    revocationReason of RFC 6960 4.2.1), e.g. ``keyCompromise``, ``cACompromise``,
    ``removeFromCRL``; ``(UNKNOWN)`` for 7, which RFC 5280 leaves unused, and out-of-range values.

    The table is OpenSSL 3.2's, which added ``privilegeWithdrawn`` (9) and ``aACompromise`` (10);
    OpenSSL 3.0 and 3.1 print ``(UNKNOWN)`` for those two.
    """
    return _openssl_text(_OPENSSL_CRL_REASON, reason, "reason")
