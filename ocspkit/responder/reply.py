"""What the responder's core returns to the servers around it: :class:`Answer` (an OCSP
response and what HTTP needs to know of it) and :class:`Reply` (an HTTP reply carrying one)."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
from typing import Optional, Tuple

from ..enums import CertStatus, ResponseStatus

__all__ = ["Answer", "Reply"]


@dataclasses.dataclass(frozen=True)
class Answer:
    """An OCSP response the responder produced, with what the HTTP layer needs to know of it.

    ``status`` is the responseStatus; ``cert_statuses`` one entry per SingleResponse;
    ``this_update`` / ``next_update`` / ``produced_at`` are set for successful answers
    (``this_update`` is the earliest, ``next_update`` the earliest of the SingleResponses);
    ``cacheable`` says HTTP caches may keep it (no nonce: RFC 5019 6.2); ``source`` is
    ``"cache"``, ``"signed"`` or ``"error"``.
    """

    der: bytes
    status: ResponseStatus
    cert_statuses: Tuple[CertStatus, ...] = ()
    produced_at: Optional[_dt.datetime] = None
    this_update: Optional[_dt.datetime] = None
    next_update: Optional[_dt.datetime] = None
    cacheable: bool = False
    source: str = "error"
    reason: Optional[str] = None

    @property
    def etag(self) -> str:
        """A strong entity tag: the SHA-1 of the response, as RFC 5019 6.2 suggests."""
        return '"' + hashlib.sha1(self.der).hexdigest() + '"'

    def __repr__(self) -> str:
        statuses = ", ".join(str(s) for s in self.cert_statuses[:4]) + (", ..." if len(self.cert_statuses) > 4 else "")
        return f"<Answer {self.status} [{statuses}] {len(self.der)} bytes, {self.source}>"


@dataclasses.dataclass(frozen=True)
class Reply:
    """An HTTP reply: status code, headers (name, value) and body, plus the OCSP answer (if any)."""

    status: int
    headers: Tuple[Tuple[str, str], ...]
    body: bytes
    answer: Optional[Answer] = None

    def __repr__(self) -> str:
        kind = next((v for k, v in self.headers if k.lower() == "content-type"), "no Content-Type")
        return f"<Reply {self.status} {kind} {len(self.body)} bytes>"
