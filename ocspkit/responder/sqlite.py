"""The embedded default status store: one SQLite file, any number of issuers.

``SQLiteStore(path, issuer="default")`` is the store of one issuer (a label of your choosing)
in a file that may hold several. It answers the responder (:meth:`~SQLiteStore.lookup`,
:attr:`~SQLiteStore.generation`, iteration) and is written by the ``ocspkit store`` commands or
by code (:meth:`~SQLiteStore.add`, :meth:`~SQLiteStore.revoke`, :meth:`~SQLiteStore.unrevoke`,
:meth:`~SQLiteStore.remove`, :meth:`~SQLiteStore.import_index`,
:meth:`~SQLiteStore.import_certificate`), from the same process or another one while the
responder runs.

The file (schema version 1, in ``PRAGMA user_version``; ``PRAGMA application_id`` 0x4F435350,
"OCSP")::

    certificates(issuer, serial, state, revocation_time, reason, invalidity_date,
                 hold_instruction, not_after, subject)   PRIMARY KEY (issuer, serial)
    generations(issuer, counter)                          bumped by triggers on every change

Serial numbers are stored as signed lower-case hex text (``1f``, ``-05`` is ``-5``), since they
reach 20 octets and more, beyond SQLite's 64-bit INTEGER; times as ``YYYY-MM-DDTHH:MM:SSZ``;
reasons as their RFC 5280 CRLReason numbers. The triggers mean any writer, even the ``sqlite3``
shell, moves the generation.

Each thread gets its own connection (WAL mode, so readers never wait for a writer; a busy
timeout for writers). A locked database raises :class:`ocspkit.errors.StoreError` with
``retryable=True`` (the responder answers tryLater), a corrupt one ``retryable=False``
(internalError).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import os
import re
import sqlite3
import threading
import weakref
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from .._util import to_utc
from ..enums import RevocationReason
from ..errors import OCSPTypeError, OCSPValueError, StoreError
from ..oid import NameOID
from .index import IndexTxtStore, ParsedIndex, read_index, serial_hex
from .store import CertificateRecord, RecordState

__all__ = ["SCHEMA_VERSION", "ImportReport", "SQLiteStore", "certificate_subject"]

SCHEMA_VERSION = 1
APPLICATION_ID = 0x4F435350  # "OCSP": marks the file as an ocspkit store
# How long a statement waits for another connection's lock before giving up (StoreError,
# retryable). Writers hold the lock for one short transaction (milliseconds), and in WAL mode
# readers do not wait for writers at all; 2 seconds rides out a burst of writes or a checkpoint
# while staying well inside the time an OCSP client waits for an answer.
DEFAULT_BUSY_TIMEOUT = 2.0

_UTC = _dt.timezone.utc
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_SERIAL_TEXT = re.compile(r"-?(?:0|[1-9a-f][0-9a-f]*)")
_DOTTED_OID = re.compile(r"[0-2](?:\.(?:0|[1-9][0-9]*))+")
_FIELDS = "serial, state, revocation_time, reason, invalidity_date, hold_instruction, not_after, subject"

_SCHEMA = (
    """CREATE TABLE certificates (
        issuer TEXT NOT NULL,
        serial TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('V', 'R', 'E')),
        revocation_time TEXT,
        reason INTEGER,
        invalidity_date TEXT,
        hold_instruction TEXT,
        not_after TEXT,
        subject TEXT,
        PRIMARY KEY (issuer, serial)
    ) WITHOUT ROWID""",
    """CREATE TABLE generations (
        issuer TEXT PRIMARY KEY,
        counter INTEGER NOT NULL
    ) WITHOUT ROWID""",
    *(
        f"""CREATE TRIGGER certificates_{event.lower()} AFTER {event} ON certificates BEGIN
            INSERT INTO generations VALUES ({row}.issuer, 1)
                ON CONFLICT (issuer) DO UPDATE SET counter = counter + 1;
        END"""
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
    ),
    # An UPDATE that moves a row to another issuer changes the old issuer's answers too.
    """CREATE TRIGGER certificates_update_old AFTER UPDATE OF issuer ON certificates
        WHEN OLD.issuer IS NOT NEW.issuer BEGIN
            INSERT INTO generations VALUES (OLD.issuer, 1)
                ON CONFLICT (issuer) DO UPDATE SET counter = counter + 1;
        END""",
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)

# SQLite's primary result codes (the low byte of sqlite_errorcode).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_PROTOCOL = 5, 6, 10, 13, 14, 15
_RETRYABLE_CODES = {_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_PROTOCOL}
_RETRYABLE_WORDS = ("locked", "busy", "unable to open", "disk i/o", "database or disk is full")


# ------------------------------------------------------------------------------------------------
# Values in and out of the file


def _serial_text(number: int) -> str:
    if isinstance(number, bool) or not isinstance(number, int):
        raise OCSPTypeError(f"a serial number is an int, got {type(number).__name__}")
    return format(number, "x")


def _serial_from_text(text: object) -> int:
    if not isinstance(text, str) or _SERIAL_TEXT.fullmatch(text) is None:
        raise StoreError(f"corrupt store: serial number {text!r} is not signed lower-case hex")
    return int(text, 16)


def _time_text(value: Optional[_dt.datetime], what: str) -> Optional[str]:
    """Aware datetimes only (naive ones are ambiguous), stored in UTC in whole seconds: the
    GeneralizedTime the responder writes has no fractions (RFC 5280 4.1.2.5.2)."""
    if value is None:
        return None
    return to_utc(value, what).strftime(_TIME_FORMAT)


def _time_from_text(text: object) -> Optional[_dt.datetime]:
    if text is None:
        return None
    try:
        if not isinstance(text, str):
            raise ValueError(text)
        return _dt.datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=_UTC)
    except ValueError:
        raise StoreError(f"corrupt store: time {text!r} is not YYYY-MM-DDTHH:MM:SSZ") from None


def _reason(value: Optional[Union[RevocationReason, int]]) -> Optional[RevocationReason]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise OCSPTypeError(f"a revocation reason is a RevocationReason or int, got {type(value).__name__}")
    try:
        return RevocationReason(value)
    except ValueError:
        raise OCSPValueError(f"{value} is not a CRLReason (RFC 5280 5.3.1: 0-6, 8-10)") from None


def _record(row: Sequence[Any]) -> CertificateRecord:
    serial, state, revoked, reason, invalidity, hold, not_after, subject = row
    try:
        return CertificateRecord(
            _serial_from_text(serial), state,
            revocation_time=_time_from_text(revoked),
            revocation_reason=None if reason is None else RevocationReason(reason),
            invalidity_date=_time_from_text(invalidity),
            hold_instruction=hold, not_after=_time_from_text(not_after), subject=subject,
        )
    except (ValueError, TypeError) as exc:  # OCSPValueError included: a record that cannot be
        raise StoreError(f"corrupt store: serial {serial!r}: {exc}") from None


def _row(issuer: str, record: CertificateRecord) -> Tuple[Any, ...]:
    return (
        issuer, _serial_text(record.serial_number), record.state,
        _time_text(record.revocation_time, "revocation_time"),
        None if record.revocation_reason is None else int(record.revocation_reason),
        _time_text(record.invalidity_date, "invalidity_date"), record.hold_instruction,
        _time_text(record.not_after, "not_after"), record.subject,
    )


def _describe(record: CertificateRecord) -> str:
    if record.state == RecordState.REVOKED:
        reason = record.revocation_reason.asn1_name if record.revocation_reason is not None else "no reason"
        return f"revoked ({reason})"
    return "valid" if record.state == RecordState.VALID else "expired"


# Short names OpenSSL's X509_NAME_oneline uses for the usual attributes (the dotted OID otherwise).
_NAME_SHORT = {
    NameOID.COMMON_NAME: "CN",
    NameOID.SURNAME: "SN",
    NameOID.SERIAL_NUMBER: "serialNumber",
    NameOID.COUNTRY_NAME: "C",
    NameOID.LOCALITY_NAME: "L",
    NameOID.STATE_OR_PROVINCE_NAME: "ST",
    NameOID.STREET_ADDRESS: "street",
    NameOID.ORGANIZATION_NAME: "O",
    NameOID.ORGANIZATIONAL_UNIT_NAME: "OU",
    NameOID.TITLE: "title",
    NameOID.BUSINESS_CATEGORY: "businessCategory",
    NameOID.POSTAL_CODE: "postalCode",
    NameOID.GIVEN_NAME: "GN",
    NameOID.INITIALS: "initials",
    NameOID.GENERATION_QUALIFIER: "generationQualifier",
    NameOID.DN_QUALIFIER: "dnQualifier",
    NameOID.PSEUDONYM: "pseudonym",
    NameOID.ORGANIZATION_IDENTIFIER: "organizationIdentifier",
    NameOID.USER_ID: "UID",
    NameOID.DOMAIN_COMPONENT: "DC",
    NameOID.EMAIL_ADDRESS: "emailAddress",
}


def certificate_subject(certificate: Any) -> str:
    """A certificate's subject in the one-line form index.txt uses (``/O=Example/CN=leaf``)."""
    parts: List[str] = []
    for rdn in certificate.subject.chosen:
        values = []
        for attribute in rdn:
            oid = str(attribute["type"].dotted)
            value = attribute["value"].native
            text = value if isinstance(value, str) else repr(value)
            values.append(f"{_NAME_SHORT.get(oid, oid)}={text}")
        parts.append("+".join(values))
    return "".join("/" + part for part in parts)


@dataclasses.dataclass(frozen=True)
class ImportReport:
    """What :meth:`SQLiteStore.import_index` did: counts, and the rows it left out or noted
    (``line 3: ...``)."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    skipped: Tuple[str, ...] = ()
    notes: Tuple[str, ...] = ()


# ------------------------------------------------------------------------------------------------
# Errors


def _store_error(exc: sqlite3.Error, path: str) -> StoreError:
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    text = str(exc)
    if code is not None:
        retryable = code & 0xFF in _RETRYABLE_CODES
    else:
        retryable = any(word in text.lower() for word in _RETRYABLE_WORDS)
    return StoreError(f"SQLite store {path}: {text}", retryable=retryable)


# ------------------------------------------------------------------------------------------------
# The store


class SQLiteStore:
    """The status store of ``issuer`` in the SQLite file ``path``.

    ``create`` (default yes) makes the file and its tables when missing; with ``create=False`` a
    missing file raises StoreError (a responder pointed at the wrong path then says so, instead
    of answering unknown for everything). ``busy_timeout`` is how long to wait for a lock.

    Each thread uses its own connection (made on first use); :meth:`close` closes them all.
    Writes are one transaction each, or one for a whole ``with store.transaction():`` block.
    Times must be aware datetimes (OCSPValueError otherwise); they are kept in UTC, whole seconds.
    """

    def __init__(
        self,
        path: Union[str, os.PathLike[str]],
        issuer: str = "default",
        *,
        create: bool = True,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    ) -> None:
        self.path = os.fspath(path)
        if self.path in ("", ":memory:") or self.path.startswith("file:"):
            # Each thread has its own connection, and each would get its own in-memory database.
            raise OCSPValueError("SQLiteStore needs a file path (not ':memory:' or a URI)")
        if not isinstance(issuer, str) or not issuer:
            raise OCSPValueError("issuer must be a non-empty label")
        self.issuer = issuer
        self.create = create
        self.busy_timeout = float(busy_timeout)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: Dict[int, Tuple[weakref.ref[threading.Thread], sqlite3.Connection]] = {}
        self._writes = 0  # commits through this object: a thread's own commits leave its data_version alone
        self._closed = False

    # -- connections

    def _connection(self) -> sqlite3.Connection:
        conn: Optional[sqlite3.Connection] = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self._closed:
            raise StoreError(f"SQLite store {self.path} is closed")
        uri = Path(self.path).absolute().as_uri() + ("?mode=rwc" if self.create else "?mode=rw")
        try:
            # check_same_thread=False only so that close() may close every thread's connection;
            # a connection is never shared: each thread makes and keeps its own.
            conn = sqlite3.connect(uri, uri=True, timeout=self.busy_timeout, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path) from None
        try:
            self._prepare(conn)
        except BaseException:  # cleanup, then re-raise
            conn.close()
            raise
        self._local.conn = conn
        self._local.depth = 0
        self._local.seen = None
        with self._lock:
            self._forget_dead_threads()
            self._connections[threading.get_ident()] = (weakref.ref(threading.current_thread()), conn)
        return conn

    def _forget_dead_threads(self) -> None:
        for ident, (thread, conn) in list(self._connections.items()):
            alive = thread()
            if alive is None or not alive.is_alive():
                conn.close()  # its thread is gone: nobody else uses it
                del self._connections[ident]

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Check the schema, creating it in a fresh file."""
        with self._errors():
            version = conn.execute("PRAGMA user_version").fetchall()[0][0]
            if version == SCHEMA_VERSION:
                if conn.execute("PRAGMA application_id").fetchall()[0][0] != APPLICATION_ID:
                    raise StoreError(f"SQLite store {self.path}: the file is another application's database, "
                                     "not an ocspkit store")
                return
            if version > SCHEMA_VERSION:
                raise StoreError(f"SQLite store {self.path}: schema version {version} is newer than this "
                                 f"ocspkit reads ({SCHEMA_VERSION})")
            if version != 0:
                raise StoreError(f"SQLite store {self.path}: unknown schema version {version}")
            # WAL: readers (the responder) never wait for a writer (the CLI). Persistent in the
            # file, and it cannot change inside a transaction, so it is set before the schema.
            if conn.execute("PRAGMA journal_mode").fetchall()[0][0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL").fetchall()
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchall()[0][0]  # another process may have won
                if version == 0:
                    if conn.execute("SELECT count(*) FROM sqlite_master").fetchall()[0][0]:
                        raise StoreError(f"SQLite store {self.path}: the file holds other tables, "
                                         "not an ocspkit store")
                    for statement in _SCHEMA:
                        conn.execute(statement)
                conn.execute("COMMIT")
            except BaseException:  # roll back, then re-raise
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
            if version not in (0, SCHEMA_VERSION):
                raise StoreError(f"SQLite store {self.path}: unknown schema version {version}")

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path) from None

    def close(self) -> None:
        """Close every thread's connection. Using the store afterwards raises StoreError."""
        with self._lock:
            self._closed = True
            for _thread, conn in self._connections.values():
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- reading

    def _query(self, sql: str, parameters: Sequence[Any] = ()) -> List[Any]:
        conn = self._connection()
        with self._errors():
            # fetchall: a cursor left open would hold its read transaction (and stall checkpoints).
            return conn.execute(sql, tuple(parameters)).fetchall()

    def lookup(self, serial_number: int) -> Optional[CertificateRecord]:
        """The record of ``serial_number`` for this issuer, or None.

        :raises ocspkit.errors.StoreError: the file is locked (retryable), corrupt or unreadable.
        """
        rows = self._query(f"SELECT {_FIELDS} FROM certificates WHERE issuer = ? AND serial = ?",
                           (self.issuer, _serial_text(serial_number)))
        return _record(rows[0]) if rows else None

    @property
    def generation(self) -> object:
        """This issuer's change counter, bumped (by triggers) on every change to its records, by
        any connection or process. Cheap: the counter is read again only when PRAGMA
        data_version (another connection committed) or this object's own writes say it may
        have changed."""
        conn = self._connection()
        with self._errors():
            data_version = conn.execute("PRAGMA data_version").fetchall()[0][0]
        seen = (data_version, self._writes)
        cached = self._local.seen
        if cached is not None and cached[0] == seen:
            return cached[1]
        rows = self._query("SELECT counter FROM generations WHERE issuer = ?", (self.issuer,))
        value = int(rows[0][0]) if rows else 0
        self._local.seen = (seen, value)
        return value

    def __iter__(self) -> Iterator[CertificateRecord]:
        """Every record of this issuer, by serial number."""
        rows = self._query(f"SELECT {_FIELDS} FROM certificates WHERE issuer = ?", (self.issuer,))
        return iter(sorted((_record(row) for row in rows), key=lambda r: r.serial_number))

    def __len__(self) -> int:
        return int(self._query("SELECT count(*) FROM certificates WHERE issuer = ?", (self.issuer,))[0][0])

    def issuers(self) -> List[str]:
        """The issuer labels the file holds records for."""
        return [row[0] for row in self._query("SELECT DISTINCT issuer FROM certificates ORDER BY issuer")]

    # -- writing

    @contextlib.contextmanager
    def transaction(self) -> Iterator[SQLiteStore]:
        """Make the writes inside the block one transaction (all or nothing). Nests."""
        conn = self._connection()
        if self._local.depth:
            self._local.depth += 1
            try:
                yield self
            finally:
                self._local.depth -= 1
            return
        with self._errors():
            conn.execute("BEGIN IMMEDIATE")
        self._local.depth = 1
        try:
            yield self
        except BaseException:  # roll back, then re-raise
            self._local.depth = 0
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        self._local.depth = 0
        try:
            with self._errors():
                conn.execute("COMMIT")
        except StoreError:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        with self._lock:
            self._writes += 1

    def _get(self, conn: sqlite3.Connection, serial: str) -> Optional[CertificateRecord]:
        with self._errors():
            rows = conn.execute(f"SELECT {_FIELDS} FROM certificates WHERE issuer = ? AND serial = ?",
                                (self.issuer, serial)).fetchall()
        return _record(rows[0]) if rows else None

    def _put(self, conn: sqlite3.Connection, record: CertificateRecord) -> None:
        with self._errors():
            conn.execute(f"INSERT OR REPLACE INTO certificates (issuer, {_FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         _row(self.issuer, record))

    def put(self, record: CertificateRecord) -> CertificateRecord:
        """Store ``record`` as it is, replacing any record of its serial number."""
        if not isinstance(record, CertificateRecord):
            raise OCSPTypeError(f"put() takes a CertificateRecord, got {type(record).__name__}")
        with self.transaction():
            self._put(self._connection(), record)
        return record

    def add(
        self, serial_number: int, *, not_after: Optional[_dt.datetime] = None, subject: Optional[str] = None
    ) -> CertificateRecord:
        """Record a valid certificate. A serial number already in the store is refused
        (OCSPValueError): adding must never turn a revoked certificate good again."""
        serial = _serial_text(serial_number)
        record = CertificateRecord(serial_number, RecordState.VALID, not_after=_whole(not_after, "not_after"),
                                   subject=subject)
        with self.transaction():
            conn = self._connection()
            old = self._get(conn, serial)
            if old is not None:
                raise OCSPValueError(
                    f"serial number {serial_hex(serial_number)} is already in the store ({_describe(old)})")
            self._put(conn, record)
        return record

    def revoke(
        self,
        serial_number: int,
        *,
        when: Optional[_dt.datetime] = None,
        reason: Optional[Union[RevocationReason, int]] = None,
        invalidity_date: Optional[_dt.datetime] = None,
        hold_instruction: Optional[str] = None,
        force: bool = False,
    ) -> CertificateRecord:
        """Mark a certificate revoked at ``when`` (default: now) for ``reason`` (default: none
        given). A serial number the store does not hold is added as revoked (RFC 6960 2.2 lets a
        responder call any serial revoked). ``hold_instruction`` (a dotted OID, RFC 5280 5.3.2)
        goes with certificateHold only.

        A revoked certificate may be revoked again only from certificateHold (putting it on hold
        is the one revocation meant to change, RFC 5280 5.3.1); anything else needs ``force``.
        """
        serial = _serial_text(serial_number)
        code = _reason(reason)
        if hold_instruction is not None:
            if code != RevocationReason.CERTIFICATE_HOLD:
                raise OCSPValueError("a hold instruction goes with reason certificateHold only (RFC 5280 5.3.2)")
            if not isinstance(hold_instruction, str) or _DOTTED_OID.fullmatch(hold_instruction) is None:
                raise OCSPValueError(f"hold instruction {hold_instruction!r} is not a dotted OID")
        revoked_at = _whole(when, "when") or _dt.datetime.now(_UTC).replace(microsecond=0)
        invalidity = _whole(invalidity_date, "invalidity_date")
        with self.transaction():
            conn = self._connection()
            old = self._get(conn, serial)
            if (old is not None and old.state == RecordState.REVOKED and not force
                    and old.revocation_reason != RevocationReason.CERTIFICATE_HOLD):
                raise OCSPValueError(
                    f"serial number {serial_hex(serial_number)} is already {_describe(old)}; only a "
                    "certificateHold can change (RFC 5280 5.3.1); force=True changes it anyway"
                )
            record = CertificateRecord(
                serial_number, RecordState.REVOKED, revocation_time=revoked_at, revocation_reason=code,
                invalidity_date=invalidity, hold_instruction=hold_instruction,
                not_after=old.not_after if old else None, subject=old.subject if old else None,
            )
            self._put(conn, record)
        return record

    def unrevoke(self, serial_number: int, *, force: bool = False) -> CertificateRecord:
        """Make a revoked certificate valid again. RFC 5280 5.3.1: only a certificate on hold
        (certificateHold) may come back (removeFromCRL); other reasons need ``force``."""
        serial = _serial_text(serial_number)
        with self.transaction():
            conn = self._connection()
            old = self._get(conn, serial)
            if old is None:
                raise OCSPValueError(f"serial number {serial_hex(serial_number)} is not in the store")
            if old.state != RecordState.REVOKED:
                raise OCSPValueError(f"serial number {serial_hex(serial_number)} is not revoked ({_describe(old)})")
            if old.revocation_reason != RevocationReason.CERTIFICATE_HOLD and not force:
                raise OCSPValueError(
                    f"serial number {serial_hex(serial_number)} is {_describe(old)}: only certificateHold can be "
                    "undone (RFC 5280 5.3.1); force=True does it anyway"
                )
            record = CertificateRecord(serial_number, RecordState.VALID, not_after=old.not_after, subject=old.subject)
            self._put(conn, record)
        return record

    def remove(self, serial_number: int) -> bool:
        """Forget a serial number (it becomes unknown). Returns whether there was one."""
        serial = _serial_text(serial_number)
        with self.transaction():
            with self._errors():
                cursor = self._connection().execute(
                    "DELETE FROM certificates WHERE issuer = ? AND serial = ?", (self.issuer, serial))
            return cursor.rowcount > 0

    def import_certificate(self, certificate: Any) -> CertificateRecord:
        """Add a certificate (anything :func:`ocspkit.crypto.load_certificate` reads) from its
        serial number, subject and notAfter. A serial number already in the store keeps its
        state; its subject and notAfter are updated."""
        from .. import crypto  # lazily: loading and printing do not load the signature seam

        cert = crypto.load_certificate(certificate)
        serial_number = int(cert.serial_number)
        serial = _serial_text(serial_number)
        not_after = _whole(cert["tbs_certificate"]["validity"]["not_after"].native, "notAfter")
        subject = certificate_subject(cert)
        with self.transaction():
            conn = self._connection()
            old = self._get(conn, serial)
            if old is None:
                record = CertificateRecord(serial_number, RecordState.VALID, not_after=not_after, subject=subject)
            else:
                record = dataclasses.replace(old, not_after=not_after, subject=subject)
            if record != old:
                self._put(conn, record)
        return record

    def import_index(
        self, source: Union[IndexTxtStore, ParsedIndex, str, os.PathLike[str]], *, replace: bool = False
    ) -> ImportReport:
        """Copy an OpenSSL index (a path, an :class:`IndexTxtStore` or a :class:`ParsedIndex`)
        into this issuer's records, in one transaction, so that the store answers as ``openssl
        ocsp -index`` answers from it.

        Rows no lookup finds (lower-case hex serials) and ``R`` rows with a bad revocation time
        (internalError in OpenSSL) are skipped; rows with another revocation-field complaint are
        imported revoked without a reason, as OpenSSL answers them; each is listed in the report.
        A serial number the store holds with a different state or revocation is a conflict:
        OCSPValueError (nothing imported) unless ``replace``, which lets the index win.

        :raises ocspkit.errors.StoreError: the index cannot be read, or OpenSSL would refuse it.
        """
        if isinstance(source, IndexTxtStore):
            index = source.index
            if index is None:
                raise source.last_error or StoreError(f"index file {source.path} not read", retryable=True)
        elif isinstance(source, ParsedIndex):
            index = source.check()
        else:
            index = read_index(source)
        skipped: List[str] = []
        notes: List[str] = []
        records: List[CertificateRecord] = []
        for row in index.rows:
            number = row.serial_number
            if number is None:
                skipped.append(f"line {row.line}: serial number {row.serial} can never match (not upper-case hex)")
                continue
            try:
                records.append(row.record(number))
            except StoreError as exc:
                skipped.append(f"{exc} (openssl answers internalError)")
                continue
            if row.type[:1] not in ("V", "R", "E"):
                notes.append(f"line {row.line}: type {row.type!r} imported as E")
            if row.state == RecordState.REVOKED and row.revocation_info().complaint:
                notes.append(f"line {row.line}: {row.revocation_info().complaint} (imported revoked without a reason)")
        added = replaced = unchanged = 0
        with self.transaction():
            conn = self._connection()
            for record in records:
                old = self._get(conn, _serial_text(record.serial_number))
                if old == record:
                    unchanged += 1
                    continue
                if old is not None and _status(old) != _status(record):
                    if not replace:
                        raise OCSPValueError(
                            f"serial number {serial_hex(record.serial_number)} is {_describe(old)} in the store "
                            f"but {_describe(record)} in the index; replace=True lets the index win"
                        )
                    replaced += 1
                elif old is not None:
                    replaced += 1  # the same status, another subject or expiry
                else:
                    added += 1
                self._put(conn, record)
        return ImportReport(added, replaced, unchanged, tuple(skipped), tuple(notes))

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r}, issuer={self.issuer!r})"


def _status(record: CertificateRecord) -> Tuple[Any, ...]:
    return (record.state, record.revocation_time, record.revocation_reason, record.invalidity_date,
            record.hold_instruction)


def _whole(value: Optional[_dt.datetime], what: str) -> Optional[_dt.datetime]:
    """An aware datetime in UTC, whole seconds (OCSPValueError for naive ones)."""
    if value is None:
        return None
    return to_utc(value, what).replace(microsecond=0)

