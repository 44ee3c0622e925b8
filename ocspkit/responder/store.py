"""Status stores: where a responder learns what it says about a serial number.

A store answers one question, :meth:`StatusStore.lookup`: what is known of this serial number of
this issuer. Three implementations ship: :class:`MemoryStore` (tests, fixtures),
:class:`~ocspkit.responder.index.IndexTxtStore` (OpenSSL's CA database) and
:class:`~ocspkit.responder.sqlite.SQLiteStore` (the embedded default, with add / revoke / unrevoke).

Stores are sans-I/O towards the responder: a store that cannot be read raises
:class:`ocspkit.errors.StoreError` and the responder answers internalError or tryLater.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import threading
from typing import Dict, Iterator, Optional, Protocol, Union, runtime_checkable

from .._util import serial_text
from ..enums import RevocationReason
from ..errors import OCSPValueError

__all__ = ["CertificateRecord", "MemoryStore", "RecordState", "StatusStore"]


class RecordState:
    """The state letters of OpenSSL's index.txt, reused by every store."""

    VALID = "V"
    REVOKED = "R"
    EXPIRED = "E"


@dataclasses.dataclass(frozen=True)
class CertificateRecord:
    """What a store knows of one certificate.

    ``state`` is ``"V"`` (valid), ``"R"`` (revoked) or ``"E"`` (expired), as in index.txt. A
    revoked record has ``revocation_time``; ``revocation_reason`` (CRLReason), ``invalidity_date``
    and ``hold_instruction`` (a dotted OID, with certificateHold) are optional.
    """

    serial_number: int
    state: str = RecordState.VALID
    revocation_time: Optional[_dt.datetime] = None
    revocation_reason: Optional[RevocationReason] = None
    invalidity_date: Optional[_dt.datetime] = None
    hold_instruction: Optional[str] = None
    not_after: Optional[_dt.datetime] = None
    subject: Optional[str] = None

    def __post_init__(self) -> None:
        if self.state not in (RecordState.VALID, RecordState.REVOKED, RecordState.EXPIRED):
            raise OCSPValueError(f'state must be "V", "R" or "E", got {self.state!r}')
        if self.state == RecordState.REVOKED and self.revocation_time is None:
            raise OCSPValueError("a revoked record needs revocation_time")
        for name in ("revocation_time", "invalidity_date", "not_after"):
            value = getattr(self, name)
            if value is not None and (value.tzinfo is None or value.utcoffset() != _dt.timedelta(0)):
                raise OCSPValueError(f"{name} must be an aware UTC datetime")

    def __repr__(self) -> str:
        state = {RecordState.VALID: "valid", RecordState.REVOKED: "revoked", RecordState.EXPIRED: "expired"}
        text = f"<CertificateRecord {serial_text(self.serial_number)} {state.get(self.state, self.state)}"
        if self.revocation_reason is not None:
            text += f" ({self.revocation_reason.asn1_name})"
        if self.revocation_time is not None:
            text += f" at {self.revocation_time:%Y-%m-%dT%H:%M:%SZ}"
        subject = self.subject if self.subject is None or len(self.subject) <= 60 else self.subject[:57] + "..."
        return text + (f" {subject}>" if subject else ">")

    @property
    def revoked(self) -> bool:
        return self.state == RecordState.REVOKED


@runtime_checkable
class StatusStore(Protocol):
    """The interface a responder needs of a store (one store per issuer)."""

    def lookup(self, serial_number: int) -> Optional[CertificateRecord]:
        """The record of ``serial_number``, or None when the store has never heard of it.
        Raises :class:`ocspkit.errors.StoreError` when the store cannot be read."""

    @property
    def generation(self) -> object:
        """A value that changes whenever the store's contents may have changed; responders use it
        to drop pre-signed responses. Reading it may reload the store (and raise StoreError)."""

    def __iter__(self) -> Iterator[CertificateRecord]:
        """Every record (for pre-signing and listing)."""


class MemoryStore:
    """A store in a dict: for tests, fixtures and embedding. Thread-safe; every change bumps
    :attr:`generation`."""

    def __init__(self, records: Optional[Dict[int, CertificateRecord]] = None) -> None:
        self._records: Dict[int, CertificateRecord] = dict(records or {})
        self._generation = 0
        self._lock = threading.Lock()

    def lookup(self, serial_number: int) -> Optional[CertificateRecord]:
        return self._records.get(serial_number)

    @property
    def generation(self) -> object:
        return self._generation

    def __iter__(self) -> Iterator[CertificateRecord]:
        return iter(list(self._records.values()))

    def __len__(self) -> int:
        return len(self._records)

    def __repr__(self) -> str:
        return f"<MemoryStore {len(self)} record(s)>"

    def put(self, record: CertificateRecord) -> None:
        """Add or replace a record."""
        with self._lock:
            self._records[record.serial_number] = record
            self._generation += 1

    def add(self, serial_number: int, *, not_after: Optional[_dt.datetime] = None,
            subject: Optional[str] = None) -> CertificateRecord:
        """Record a valid certificate."""
        record = CertificateRecord(serial_number, RecordState.VALID, not_after=not_after, subject=subject)
        self.put(record)
        return record

    def revoke(
        self,
        serial_number: int,
        *,
        when: Optional[_dt.datetime] = None,
        reason: Optional[Union[RevocationReason, int]] = None,
        invalidity_date: Optional[_dt.datetime] = None,
        hold_instruction: Optional[str] = None,
    ) -> CertificateRecord:
        """Mark a certificate revoked (``when`` defaults to now)."""
        old = self._records.get(serial_number)
        record = CertificateRecord(
            serial_number,
            RecordState.REVOKED,
            revocation_time=(when or _dt.datetime.now(_dt.timezone.utc)).replace(microsecond=0),
            revocation_reason=None if reason is None else RevocationReason(reason),
            invalidity_date=invalidity_date,
            hold_instruction=hold_instruction,
            not_after=old.not_after if old else None,
            subject=old.subject if old else None,
        )
        self.put(record)
        return record

    def unrevoke(self, serial_number: int) -> CertificateRecord:
        """Make a certificate valid again (after certificateHold: RFC 5280 5.3.1 removeFromCRL)."""
        old = self._records.get(serial_number)
        record = CertificateRecord(serial_number, RecordState.VALID,
                                   not_after=old.not_after if old else None,
                                   subject=old.subject if old else None)
        self.put(record)
        return record

    def remove(self, serial_number: int) -> None:
        """Forget a serial number (it becomes unknown)."""
        with self._lock:
            self._records.pop(serial_number, None)
            self._generation += 1
