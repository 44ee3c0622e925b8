"""The values the testing API takes by name, shared by the scenarios and the in-process responder:
certificate statuses, revocation reasons and the unsuccessful response statuses.

The lowest module of ocspkit.testing: it imports nothing of the package.
"""

from __future__ import annotations

from typing import Mapping, Optional, Union

from ..enums import CertStatus, ResponseStatus, RevocationReason
from ..errors import OCSPValueError

__all__ = ["UNSUCCESSFUL", "cert_status", "revocation_reason"]

#: The unsuccessful responseStatus values by the names scenarios and ``answer_with`` use.
UNSUCCESSFUL: Mapping[str, ResponseStatus] = {
    "malformed-request": ResponseStatus.MALFORMED_REQUEST,
    "internal-error": ResponseStatus.INTERNAL_ERROR,
    "try-later": ResponseStatus.TRY_LATER,
    "sig-required": ResponseStatus.SIG_REQUIRED,
    "unauthorized": ResponseStatus.UNAUTHORIZED,
}


def cert_status(value: Union[CertStatus, str, int]) -> CertStatus:
    """A CertStatus from itself, its number or its name ("good", "revoked", "unknown")."""
    if isinstance(value, str):
        try:
            return CertStatus[value.upper()]
        except KeyError:
            raise OCSPValueError(f'status is "good", "revoked" or "unknown", got {value!r}') from None
    return CertStatus(value)


def revocation_reason(value: Union[RevocationReason, str, int, None]) -> Optional[RevocationReason]:
    """A RevocationReason (or None) from itself, its number or a name ("KEY_COMPROMISE",
    "key_compromise", "keyCompromise")."""
    if value is None or isinstance(value, RevocationReason):
        return value
    if isinstance(value, str):
        for reason in RevocationReason:
            if value in (reason.name, reason.name.lower(), reason.asn1_name):
                return reason
        raise OCSPValueError(f"unknown revocation reason {value!r}")
    return RevocationReason(value)
