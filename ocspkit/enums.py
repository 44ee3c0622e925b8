"""Enumerations with the numbers RFC 6960 (and RFC 5280 for reasons) gives them."""

from __future__ import annotations

import enum

__all__ = ["CertStatus", "NonceCheck", "ResponderIDType", "ResponseStatus", "RevocationReason"]


class ResponseStatus(enum.IntEnum):
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


_RESPONSE_STATUS_ASN1 = {
    ResponseStatus.SUCCESSFUL: "successful",
    ResponseStatus.MALFORMED_REQUEST: "malformedRequest",
    ResponseStatus.INTERNAL_ERROR: "internalError",
    ResponseStatus.TRY_LATER: "tryLater",
    ResponseStatus.SIG_REQUIRED: "sigRequired",
    ResponseStatus.UNAUTHORIZED: "unauthorized",
}


class CertStatus(enum.IntEnum):
    """CertStatus CHOICE, RFC 6960 4.2.1: the context tag of each alternative."""

    GOOD = 0
    REVOKED = 1
    UNKNOWN = 2


class RevocationReason(enum.IntEnum):
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


class ResponderIDType(enum.Enum):
    """How a ResponderID names the responder (RFC 6960 4.2.1)."""

    BY_NAME = "by_name"
    BY_KEY = "by_key"


class NonceCheck(enum.IntEnum):
    """OpenSSL's OCSP_check_nonce outcomes, with OpenSSL's return values."""

    MISMATCH = 0  #: both carry a nonce and they differ
    EQUAL = 1  #: both carry the same nonce
    BOTH_ABSENT = 2  #: neither carries a nonce
    RESPONSE_ONLY = 3  #: only the response carries one
    REQUEST_ONLY = -1  #: the request carried one, the response did not
