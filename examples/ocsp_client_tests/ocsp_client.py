"""revcheck: a small OCSP client, the code under test of this example project.

Two ways to learn whether a certificate is revoked:

* :func:`check_online` asks the responder named in the certificate (a POST with a nonce) and
  verifies the answer;
* :func:`check_stapled` verifies a response the TLS server stapled (no nonce: the server fetched
  it earlier).

Both trust only the roots they are given, and fail closed: anything but a verified, current answer
about this very certificate raises :class:`RevocationCheckError`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import urllib.error
import urllib.request
from typing import Any, Optional, Sequence

import ocspkit
from ocspkit.request import RequestBuilder

__all__ = ["RevocationCheckError", "RevocationStatus", "check_online", "check_stapled", "ocsp_url"]


class RevocationCheckError(Exception):
    """The revocation status could not be established; ``reason`` is a short tag."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class RevocationStatus:
    status: str  # "good", "revoked" or "unknown"
    revocation_reason: Optional[str] = None
    next_update: Optional[dt.datetime] = None

    @property
    def good(self) -> bool:
        return self.status == "good"


def ocsp_url(cert: Any) -> str:
    """The first OCSP URL of the certificate's authorityInfoAccess."""
    urls = ocspkit.crypto.load_certificate(cert).ocsp_urls
    if not urls:
        raise RevocationCheckError("no-responder", "the certificate names no OCSP responder")
    return str(urls[0])


def _verify(
    response_der: bytes, cert: Any, issuer: Any, trusted: Sequence[Any], request: Any, now: Optional[dt.datetime]
) -> RevocationStatus:
    try:
        result = ocspkit.check_status(response_der, cert, issuer, trusted=list(trusted), request=request, now=now)
    except ocspkit.UnsuccessfulResponse as exc:
        raise RevocationCheckError("responder-error", str(exc)) from exc
    except ocspkit.VerificationError as exc:
        raise RevocationCheckError(exc.reason, str(exc)) from exc
    except ocspkit.OCSPError as exc:  # malformed bytes
        raise RevocationCheckError("malformed", str(exc)) from exc
    reason = result.revocation_reason
    return RevocationStatus(
        status=result.status.name.lower(),
        revocation_reason=None if reason is None else reason.asn1_name,
        next_update=result.next_update,
    )


def check_online(
    cert: Any,
    issuer: Any,
    trusted: Sequence[Any],
    *,
    url: Optional[str] = None,
    timeout: float = 5.0,
    now: Optional[dt.datetime] = None,
) -> RevocationStatus:
    """Ask the certificate's OCSP responder (or ``url``) about ``cert``."""
    target = url or ocsp_url(cert)
    request = RequestBuilder().add_cert(cert, issuer).with_nonce().build()
    http_request = urllib.request.Request(
        target, data=request.dump(), headers={"Content-Type": "application/ocsp-request"}
    )
    try:
        with urllib.request.urlopen(http_request, timeout=timeout) as reply:
            body = reply.read()
    except (urllib.error.URLError, OSError) as exc:
        raise RevocationCheckError("unreachable", f"{target}: {exc}") from exc
    return _verify(body, cert, issuer, trusted, request, now)


def check_stapled(
    response_der: bytes, cert: Any, issuer: Any, trusted: Sequence[Any], *, now: Optional[dt.datetime] = None
) -> RevocationStatus:
    """Verify a stapled OCSP response about ``cert``."""
    if not response_der:
        raise RevocationCheckError("no-staple", "the server stapled no OCSP response")
    return _verify(response_der, cert, issuer, trusted, None, now)
