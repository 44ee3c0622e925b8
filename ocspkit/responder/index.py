"""OpenSSL's CA database (``index.txt``) as a status store, read the way ``openssl ocsp -index`` reads it.

The file is what ``openssl ca`` maintains: one row per certificate, six tab-separated fields::

    type  expiry  revocation  serial  filename  subject
    V     260101000000Z              1000    unknown   /CN=good.example
    R     260101000000Z  240101000000Z,keyCompromise  1001  unknown  /CN=bad.example

Reading follows OpenSSL 3.0 (``TXT_DB_read``, ``load_index``, ``index_index`` in apps/lib/apps.c,
``unpack_revinfo`` in apps/ca.c, ``lookup_serial`` / ``make_ocsp_response`` in apps/ocsp.c), checked
against the ``openssl`` command line by tests/test_responder_store.py:

* ``#`` lines are comments; a last line without ``\\n`` is not read; a backslash before a tab
  makes the tab part of the field; a row with other than six fields makes the file unusable.
* A serial number is found by comparing BN_bn2hex of the number asked about (upper-case hex in
  whole octets, ``-`` for negatives) with each row's serial field, leading zeros ignored and
  otherwise exactly: ``0010`` matches 16, ``0a`` (lower case) never matches anything.
* Two rows with the same serial (leading zeros ignored), or, unless ``<index>.attr`` says
  ``unique_subject = no``, two ``V`` rows with the same subject, make the file unusable.
* Only the first letter of the type counts: ``V`` answers good, ``R`` revoked, anything else
  (``E``, expired) no answer at all.
* The revocation field is ``time[,reason[,argument]]``: a UTCTime, a reason name of apps/ca.c
  (case-insensitive) and, for the pseudo reasons, an argument: ``holdInstruction,<OID>``
  (certificateHold with a hold instruction code), ``keyTime,<GeneralizedTime>`` /
  ``CAkeyTime,<GeneralizedTime>`` (keyCompromise / cACompromise with an invalidity date). A bad
  time makes OpenSSL answer internalError; a bad reason or argument leaves the certificate
  revoked without a reason. Either way OpenSSL prints a complaint (``invalid reason code X``),
  which :func:`unpack_revinfo` returns word for word.

:func:`parse_index` gives the rows and the problems of a file's bytes without raising;
:func:`read_index` reads a file (and its ``.attr``); :class:`IndexTxtStore` is the store a
responder uses, re-reading the file when it changes and keeping the last good copy when the new
one is unusable.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import logging
import math
import os
import re
import threading
import time
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Tuple, Union

from ..enums import RevocationReason
from ..errors import OCSPTypeError, OCSPValueError, StoreError
from ..oid import HoldInstructionOID
from .store import CertificateRecord, RecordState

__all__ = [
    "IndexRow",
    "IndexTxtStore",
    "ParsedIndex",
    "RevocationInfo",
    "parse_generalized_time",
    "parse_index",
    "parse_utc_time",
    "read_index",
    "serial_hex",
    "unpack_revinfo",
]

_UTC = _dt.timezone.utc
_LOG = logging.getLogger("ocspkit.responder")

# The number of fields of a row (DB_NUMBER) and TXT_DB_read's read buffer step (BUFSIZE).
_FIELDS = 6
_BUFSIZE = 512

# How often IndexTxtStore looks at the file. One stat() per second bounds how stale an answer
# can be to a second, far below any OCSP validity window (minutes to days), while a responder
# answering thousands of requests a second does not stat the file for each of them.
DEFAULT_CHECK_INTERVAL = 1.0
# Warnings logged per read of the file (the rest are counted): a big index with many odd rows
# must not flood the log each time it changes.
_LOGGED_WARNINGS = 20
# Records kept per copy of the file (lookups of serials it has, and of some it has not): bounded,
# so that requests for random serials cannot grow it without end.
_RECORD_MEMO = 1 << 17


# ------------------------------------------------------------------------------------------------
# Serial numbers


def serial_hex(number: int) -> str:
    """OpenSSL's BN_bn2hex: upper-case hex in whole octets, ``-`` before negatives, ``00`` for
    zero (lookup_serial special-cases zero). ``openssl ca`` writes serials this way."""
    digits = f"{abs(number):X}"
    if len(digits) % 2:
        digits = "0" + digits
    return ("-" if number < 0 else "") + digits


def _serial_key(serial: str) -> str:
    """index_serial_hash / index_serial_cmp: leading zeros do not count; the rest compares exactly."""
    return serial.lstrip("0")


# The keys BN_bn2hex can produce (after the leading zeros are dropped): "" for zero, upper-case
# hex without leading zeros, or "-" and whole octets, the first one non-zero.
_REACHABLE_KEY = re.compile(r"|[1-9A-F][0-9A-F]*|-(?!00)(?:[0-9A-F]{2})+")


def _key_number(key: str) -> Optional[int]:
    """The serial number whose lookup finds a row with this key, or None if none can."""
    if _REACHABLE_KEY.fullmatch(key) is None:
        return None
    return int(key, 16) if key else 0


# ------------------------------------------------------------------------------------------------
# Times, as ASN1_UTCTIME_set_string / ASN1_GENERALIZEDTIME_set_string accept them (asn1_time_to_tm)

_UTC_TIME = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})?(Z|[+-][0-9]{4})")
_GENERALIZED_TIME = re.compile(
    r"([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})(?:([0-9]{2})(\.[0-9]+)?)?(Z|[+-][0-9]{4})"
)


def _make_time(year: int, fields: Tuple[Optional[str], ...], zone: str) -> Optional[_dt.datetime]:
    month, day, hour, minute, second = (int(f or 0) for f in fields)
    try:
        value = _dt.datetime(year, month, day, hour, minute, second, tzinfo=_UTC)
    except ValueError:  # month 13, February 30, hour 24, second 60 ...: OpenSSL refuses them too
        return None
    if zone != "Z":
        hours, minutes = int(zone[1:3]), int(zone[3:5])
        if hours > 12 or minutes > 59:  # asn1_time_to_tm's limits for the offset
            return None
        offset = _dt.timedelta(hours=hours, minutes=minutes)
        try:
            value = value - offset if zone[0] == "+" else value + offset
        except OverflowError:
            return None
    return value


def parse_utc_time(text: str) -> Optional[_dt.datetime]:
    """A UTCTime as OpenSSL reads one in index.txt: ``YYMMDDHHMM[SS](Z|+hhmm|-hhmm)``, years 50-99
    in the 1900s (RFC 5280 4.1.2.5.1). None when OpenSSL would refuse it."""
    match = _UTC_TIME.fullmatch(text)
    if match is None:
        return None
    yy = int(match.group(1))
    return _make_time(yy + (1900 if yy >= 50 else 2000), match.groups()[1:6], match.group(7))


def parse_generalized_time(text: str) -> Optional[_dt.datetime]:
    """A GeneralizedTime as OpenSSL reads one: ``YYYYMMDDHHMM[SS[.f+]](Z|+hhmm|-hhmm)``. Fractions
    of a second are dropped (ocspkit writes whole seconds). None when OpenSSL would refuse it, and
    for year 0, which OpenSSL accepts and Python's datetime cannot hold."""
    match = _GENERALIZED_TIME.fullmatch(text)
    if match is None or int(match.group(1)) == 0:
        return None
    return _make_time(int(match.group(1)), match.groups()[1:6], match.group(8))


# ------------------------------------------------------------------------------------------------
# The revocation field (apps/ca.c unpack_revinfo)

_CRL_REASONS = (  # apps/ca.c crl_reasons, matched case-insensitively; the index is the code
    "unspecified", "keyCompromise", "CACompromise", "affiliationChanged", "superseded",
    "cessationOfOperation", "certificateHold", "removeFromCRL",
    "holdInstruction", "keyTime", "CAkeyTime",  # pseudo reasons with an argument
)
# The names OBJ_txt2obj knows for the hold instruction codes (RFC 5280 5.3.2), short and long,
# matched exactly as OpenSSL does. OpenSSL would take any other object name it knows too
# ("commonName"); ocspkit knows only these, and complains about the others.
_HOLD_INSTRUCTION_NAMES = {
    "holdInstructionNone": HoldInstructionOID.NONE,
    "Hold Instruction None": HoldInstructionOID.NONE,
    "holdInstructionCallIssuer": HoldInstructionOID.CALL_ISSUER,
    "Hold Instruction Call Issuer": HoldInstructionOID.CALL_ISSUER,
    "holdInstructionReject": HoldInstructionOID.REJECT,
    "Hold Instruction Reject": HoldInstructionOID.REJECT,
}
_SEPARATORS = re.compile(r"[. ]")
_DIGITS = re.compile(r"[0-9]*")


def _dotted_oid(text: str) -> Optional[str]:
    """a2d_ASN1_OBJECT's reading of a numeric OID: the first arc 0-2, then arcs after ``.`` or
    space (an empty arc is 0, a separator at the very end is ignored), the second arc below 40
    under arcs 0 and 1. Returns the dotted form, or None when OpenSSL refuses it."""
    if len(text) < 2 or text[0] not in "012" or text[1] not in ". ":
        return None
    arcs = _SEPARATORS.split(text[2:])
    if arcs[-1] == "":
        arcs.pop()
    if not arcs or not all(_DIGITS.fullmatch(a) for a in arcs):
        return None
    numbers = [int(a or "0") for a in arcs]
    if text[0] != "2" and numbers[0] >= 40:
        return None
    return ".".join([text[0], *map(str, numbers)])


def _hold_instruction(text: str) -> Optional[str]:
    """OBJ_txt2obj(text, 0), for the names ocspkit knows: a dotted OID, or None."""
    if text in _HOLD_INSTRUCTION_NAMES:
        return _HOLD_INSTRUCTION_NAMES[text]
    return _dotted_oid(text)


@dataclasses.dataclass(frozen=True)
class RevocationInfo:
    """The revocation field of an index row, read as unpack_revinfo reads it.

    ``time`` is None when the time is bad (OpenSSL then answers internalError). ``complaint`` is
    the line OpenSSL prints about a bad field (``invalid revocation date X``, ``invalid reason
    code X``, ``missing hold instruction``, ``invalid object identifier X``, ``missing
    compromised time``, ``invalid compromised time X``); after a complaint the reason, hold
    instruction and invalidity date are None, as in OpenSSL.
    """

    time: Optional[_dt.datetime]
    reason: Optional[RevocationReason] = None
    hold_instruction: Optional[str] = None
    invalidity_date: Optional[_dt.datetime] = None
    complaint: Optional[str] = None


def unpack_revinfo(text: str) -> RevocationInfo:
    """Read an index row's revocation field, ``time[,reason[,argument]]`` (apps/ca.c
    unpack_revinfo). Never raises: a bad field gives a :class:`RevocationInfo` with a complaint."""
    time_text, comma, rest = text.partition(",")
    reason_text, comma2, argument = rest.partition(",")
    when = parse_utc_time(time_text)
    if when is None:
        return RevocationInfo(None, complaint=f"invalid revocation date {time_text}")
    if not comma:
        return RevocationInfo(when)
    lowered = reason_text.lower()
    code = next((i for i, name in enumerate(_CRL_REASONS) if name.lower() == lowered), None)
    if code is None:
        return RevocationInfo(when, complaint=f"invalid reason code {reason_text}")
    if code == 7:
        return RevocationInfo(when, RevocationReason.REMOVE_FROM_CRL)
    if code == 8:  # holdInstruction,<OID>
        if not comma2:
            return RevocationInfo(when, complaint="missing hold instruction")
        oid = _hold_instruction(argument)
        if oid is None:
            return RevocationInfo(when, complaint=f"invalid object identifier {argument}")
        return RevocationInfo(when, RevocationReason.CERTIFICATE_HOLD, hold_instruction=oid)
    if code in (9, 10):  # keyTime / CAkeyTime,<GeneralizedTime>: the invalidity date
        if not comma2:
            return RevocationInfo(when, complaint="missing compromised time")
        invalidity = parse_generalized_time(argument)
        if invalidity is None:
            return RevocationInfo(when, complaint=f"invalid compromised time {argument}")
        reason = RevocationReason.KEY_COMPROMISE if code == 9 else RevocationReason.CA_COMPROMISE
        return RevocationInfo(when, reason, invalidity_date=invalidity)
    return RevocationInfo(when, RevocationReason(code))


# ------------------------------------------------------------------------------------------------
# Rows and files


@dataclasses.dataclass(frozen=True)
class IndexRow:
    """One row of index.txt, its fields as in the file (bytes read as Latin-1, so every byte is
    one character and comparisons are OpenSSL's strcmp), and the line it starts on."""

    type: str
    expires: str
    revocation: str
    serial: str
    filename: str
    subject: str
    line: int = 0

    @property
    def state(self) -> str:
        """``V``, ``R`` or ``E``: the first letter of the type, anything but V and R counting as
        E (OpenSSL answers neither good nor revoked for them)."""
        letter = self.type[:1]
        return letter if letter in (RecordState.VALID, RecordState.REVOKED) else RecordState.EXPIRED

    @property
    def serial_number(self) -> Optional[int]:
        """The serial number a lookup finds this row with, or None when no lookup can (lower-case
        or otherwise non-canonical hex)."""
        return _key_number(_serial_key(self.serial))

    @property
    def not_after(self) -> Optional[_dt.datetime]:
        """The expiry field: a UTCTime, or a GeneralizedTime from 2050 on; None when neither."""
        return parse_utc_time(self.expires) or parse_generalized_time(self.expires)

    @property
    def subject_text(self) -> str:
        """The subject as text: its bytes read as UTF-8 (Latin-1 when they are not UTF-8)."""
        raw = self.subject.encode("latin-1")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return self.subject

    def revocation_info(self) -> RevocationInfo:
        """The revocation field, read (meaningful for ``R`` rows only)."""
        return unpack_revinfo(self.revocation)

    def record(self, serial_number: Optional[int] = None) -> CertificateRecord:
        """This row as a :class:`CertificateRecord`.

        :raises ocspkit.errors.StoreError: an ``R`` row whose revocation time OpenSSL refuses
            (``openssl ocsp`` answers internalError for it), or a serial number no lookup finds
            when ``serial_number`` is not given.
        """
        number = self.serial_number if serial_number is None else serial_number
        if number is None:
            raise StoreError(f"line {self.line}: serial number {self.serial} is not upper-case hex")
        state = self.state
        if state != RecordState.REVOKED:
            return CertificateRecord(number, state, not_after=self.not_after, subject=self.subject_text)
        info = self.revocation_info()
        if info.time is None:
            raise StoreError(f"line {self.line}: {info.complaint}")
        return CertificateRecord(
            number, state, revocation_time=info.time, revocation_reason=info.reason,
            invalidity_date=info.invalidity_date, hold_instruction=info.hold_instruction,
            not_after=self.not_after, subject=self.subject_text,
        )


@dataclasses.dataclass(frozen=True)
class ParsedIndex:
    """An index file, read: its rows, and what is wrong with it.

    ``problems`` are what makes OpenSSL refuse the whole file (a row with the wrong number of
    fields, a serial number twice, a subject twice among valid rows); the first one is what
    ``openssl ocsp`` would fail on. ``warnings`` are what OpenSSL accepts but answers oddly or
    complains about: rows no lookup can find, types other than V/R/E, and each ``R`` row's
    revocation-field complaint (``line 4: invalid reason code bogus``).
    """

    rows: Tuple[IndexRow, ...]
    problems: Tuple[str, ...] = ()
    warnings: Tuple[str, ...] = ()
    unique_subject: bool = True
    _by_key: Dict[str, IndexRow] = dataclasses.field(default_factory=dict, repr=False, compare=False)
    # Records made by lookups, by serial number: a copy of the file never changes, so each row is
    # turned into a record once (rows whose revocation time is bad raise each time instead).
    _records: Dict[int, Optional[CertificateRecord]] = dataclasses.field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def ok(self) -> bool:
        """Whether OpenSSL would use this file (no problems)."""
        return not self.problems

    def lookup(self, serial_number: int) -> Optional[IndexRow]:
        """The row ``openssl ocsp -index`` finds for ``serial_number`` (lookup_serial), or None."""
        return self._by_key.get(_serial_key(_lookup_hex(serial_number)))

    def records(self) -> Iterator[CertificateRecord]:
        """A record for every row a lookup can find, in file order; ``R`` rows with a bad
        revocation time (internalError in OpenSSL) are left out."""
        for row in self.rows:
            number = row.serial_number
            if number is None:
                continue
            if row.state == RecordState.REVOKED and row.revocation_info().time is None:
                continue
            yield row.record(number)

    def check(self, path: Union[str, os.PathLike[str]] = "index") -> ParsedIndex:
        """Return self, or raise StoreError(``Problem with index file: PATH: <first problem>``,
        not retryable)."""
        if self.problems:
            raise StoreError(f"Problem with index file: {os.fspath(path)}: {self.problems[0]}")
        return self


def _lookup_hex(number: int) -> str:
    """lookup_serial's text for a serial number (BN_bn2hex; ``00`` for zero)."""
    if isinstance(number, bool) or not isinstance(number, int):
        raise OCSPTypeError(f"a serial number is an int, got {type(number).__name__}")
    return serial_hex(number)


def _txt_db_lines(data: bytes) -> Iterator[Tuple[int, bytes]]:
    """The lines TXT_DB_read reads, with the physical line each starts on.

    TXT_DB_read reads with fgets into a buffer of ``size`` bytes (512, growing by 512 for every
    read that continues a line, and never shrinking): a ``#`` at the start of a read makes that
    read a comment, so the part of a long comment line beyond the buffer is read as a row; a
    read that is empty or starts with NUL ends the file; a NUL inside a line cuts it there and
    joins the next line on; a last line without ``\\n`` is dropped."""
    size = _BUFSIZE
    pos = 0
    offset = 0
    parts: List[bytes] = []
    line_start = 0
    newlines_before = 0  # newlines in data[:line_start]
    counted_to = 0
    end_of_data = len(data)
    while True:
        if offset:
            size += _BUFSIZE
        limit = size - offset - 1
        newline = data.find(b"\n", pos, pos + limit)
        stop = newline + 1 if newline >= 0 else min(pos + limit, end_of_data)
        chunk = data[pos:stop]
        start, pos = pos, stop
        if not chunk or chunk[0] == 0:
            return
        if offset == 0:
            line_start = start
            if chunk[0] == 0x23:  # '#'
                continue
        nul = chunk.find(b"\0")
        if nul >= 0:
            chunk = chunk[:nul]
        parts.append(chunk)
        offset += len(chunk)
        if not chunk.endswith(b"\n"):
            continue
        newlines_before += data.count(b"\n", counted_to, line_start)
        counted_to = line_start
        yield newlines_before + 1, b"".join(parts)[:-1]
        parts = []
        offset = 0


def _split(line: str) -> List[str]:
    """Tab-separated fields; a backslash before a tab makes the tab part of the field (the
    backslash is dropped)."""
    fields: List[str] = []
    current: List[str] = []
    escaped = False
    for char in line:
        if char == "\t":
            if escaped:
                current[-1] = "\t"
                escaped = False
                continue
            fields.append("".join(current))
            current = []
            continue
        escaped = char == "\\"
        current.append(char)
    fields.append("".join(current))
    return fields


def parse_index(data: Union[bytes, str], *, unique_subject: bool = True) -> ParsedIndex:
    """Read the contents of an index file as ``openssl ocsp -index`` does. Never raises on any
    input: what OpenSSL would refuse is listed in :attr:`ParsedIndex.problems`.

    ``data`` is the file's bytes (a str is taken as its UTF-8 encoding); ``unique_subject`` is
    the ``<index>.attr`` setting (see :func:`read_index`).
    """
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise OCSPTypeError(f"index data must be bytes or str, got {type(data).__name__}")
    problems: List[str] = []
    warnings: List[str] = []
    rows: List[IndexRow] = []
    for number, raw in _txt_db_lines(bytes(data)):
        fields = _split(raw.decode("latin-1"))
        if len(fields) != _FIELDS:
            problems.append(f"wrong number of fields on line {number} (expected {_FIELDS}, got {len(fields)})")
            continue
        rows.append(IndexRow(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], number))
    by_key: Dict[str, IndexRow] = {}
    subjects: Dict[str, IndexRow] = {}
    for row in rows:
        key = _serial_key(row.serial)
        if key in by_key:
            problems.append(f"serial number {row.serial} appears twice")
        else:
            by_key[key] = row
        # index_index: unique_subject covers the valid rows only (index_name_qual).
        if unique_subject and row.type[:1] == RecordState.VALID:
            if row.subject in subjects:
                problems.append(f"subject {row.subject} appears twice among valid rows (unique_subject)")
            else:
                subjects[row.subject] = row
        if _key_number(key) is None:
            warnings.append(f"line {row.line}: serial number {row.serial} can never match "
                            "(openssl compares upper-case hex)")
        if row.type[:1] not in ("V", "R", "E"):
            warnings.append(f"line {row.line}: type {row.type!r} is not V, R or E (answered like E)")
        if row.type[:1] == RecordState.REVOKED:
            complaint = row.revocation_info().complaint
            if complaint is not None:
                warnings.append(f"line {row.line}: {complaint}")
    return ParsedIndex(tuple(rows), tuple(problems), tuple(warnings), unique_subject, by_key)


def parse_attr(data: Union[bytes, str]) -> bool:
    """``unique_subject`` from the contents of an ``<index>.attr`` file, as load_index reads it
    with NCONF: ``unique_subject = no`` in the default section (before any ``[section]``, or
    under ``[default]``), the last setting winning, ``y/Y/t/T/1`` or ``n/N/f/F/0`` as the first
    character; a file NCONF cannot parse counts as absent. The default is yes."""
    if isinstance(data, bytes):
        data = data.decode("latin-1")
    section = "default"
    value: Optional[str] = None
    for raw in data.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            if "]" not in line:
                return True  # NCONF fails on the file: load_index ignores it
            section = line[1 : line.index("]")].strip()
            continue
        key, sep, rest = line.partition("=")
        if not sep:
            return True
        if section == "default" and key.strip() == "unique_subject":
            rest = rest.split("#", 1)[0].strip()
            if len(rest) >= 2 and rest[0] == rest[-1] and rest[0] in "\"'":
                rest = rest[1:-1]
            value = rest
    if value is None:
        return True
    return value[:1] not in ("n", "N", "f", "F", "0")


def _read_bytes(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise StoreError(f'Can\'t open "{path}" for reading ({what}): {exc.strerror or exc}', retryable=True) from exc


def read_index(path: Union[str, os.PathLike[str]], *, strict: bool = True) -> ParsedIndex:
    """Read an index file and its ``<path>.attr`` (``unique_subject``), as load_index does.

    :raises ocspkit.errors.StoreError: the file cannot be read (``retryable``: it may appear or
        become readable), or, with ``strict``, OpenSSL would refuse it (``Problem with index file:
        PATH: ...``, not retryable).
    """
    name = os.fspath(path)
    data = _read_bytes(name, "index file")
    try:
        attr: Optional[bytes] = Path(name + ".attr").read_bytes()
    except OSError:
        attr = None
    parsed = parse_index(data, unique_subject=True if attr is None else parse_attr(attr))
    return parsed.check(name) if strict else parsed


# ------------------------------------------------------------------------------------------------
# The store


def _signature(path: str) -> Tuple[object, ...]:
    """What identifies a version of the file: inode, size, mtime and ctime (the ctime as
    ``openssl ocsp``'s index_changed uses it), and the same of the .attr file, or the error."""
    result: List[object] = []
    for name in (path, path + ".attr"):
        try:
            st = os.stat(name)
        except OSError as exc:
            result.append(("missing", exc.errno))
        else:
            result.append((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(result)


@dataclasses.dataclass(frozen=True)
class _Copy:
    index: ParsedIndex
    signature: Tuple[object, ...]
    generation: int


class IndexTxtStore:
    """A status store reading an OpenSSL index.txt, as ``openssl ocsp -index`` answers from it.

    The file is read when the store is made and again when it changes: at most every
    ``check_interval`` seconds (by ``clock``, default :func:`time.monotonic`) a lookup stats it,
    and a new inode, size, mtime or ctime (of the file or of its ``.attr``) makes the store read
    it afresh. The new copy is read and checked in full before it replaces the old one, so a
    lookup sees either copy, never a mix. When the new file cannot be read or OpenSSL would refuse
    it, the store keeps answering from the last good copy, sets :attr:`last_error` and logs a
    warning on the ``ocspkit.responder`` logger (once per version of the file).

    Errors (:class:`ocspkit.errors.StoreError`), when there never was a good copy:

    * the file is missing or unreadable: ``retryable=True`` (tryLater; the CA may be writing it);
    * OpenSSL would refuse the file: ``retryable=False`` (internalError; someone must fix it).

    And with a good copy, a lookup of an ``R`` row whose revocation time is bad raises
    StoreError (``retryable=False``), as ``openssl ocsp`` answers internalError for it.

    Thread-safe: one thread re-reads while the others keep answering from the current copy.
    """

    def __init__(
        self,
        path: Union[str, os.PathLike[str]],
        *,
        check_interval: float = DEFAULT_CHECK_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not isinstance(check_interval, (int, float)) or isinstance(check_interval, bool):
            raise OCSPTypeError(f"check_interval is a number of seconds, got {type(check_interval).__name__}")
        if not check_interval >= 0:
            raise OCSPValueError(f"check_interval must be >= 0 seconds, got {check_interval}")
        self.path = os.fspath(path)
        self.check_interval = float(check_interval)
        self._clock = clock
        self._lock = threading.Lock()
        self._copy: Optional[_Copy] = None
        self._failed: Optional[Tuple[object, ...]] = None
        self._next_check = -math.inf
        self._generations = 0
        #: The StoreError of the last failed read, or None since the last good one.
        self.last_error: Optional[StoreError] = None
        self.refresh(force=True)

    # -- reading the file

    def refresh(self, *, force: bool = False) -> bool:
        """Look at the file now (``force``) or if ``check_interval`` has passed, and read it if it
        changed. Returns whether a new copy was taken. Never raises: a failure is kept in
        :attr:`last_error` and logged."""
        with self._lock:
            return self._refresh_locked(force)

    def _refresh_locked(self, force: bool) -> bool:
        now = self._clock()
        if not force and now < self._next_check:
            return False
        self._next_check = now + self.check_interval
        signature = _signature(self.path)
        current = self._copy
        if current is not None and signature == current.signature:
            self._failed, self.last_error = None, None  # back to the version read before
            return False
        if signature == self._failed and not force:
            return False  # this version was refused already (and logged)
        try:
            index = read_index(self.path)
        except StoreError as exc:
            self._fail(exc, signature)
            return False
        self._generations += 1
        self._copy = _Copy(index, signature, self._generations)
        self._failed = None
        self.last_error = None
        _LOG.info("index file %s: read %d rows", self.path, len(index.rows))
        for warning in index.warnings[:_LOGGED_WARNINGS]:
            _LOG.warning("index file %s: %s", self.path, warning)
        if len(index.warnings) > _LOGGED_WARNINGS:
            _LOG.warning("index file %s: %d more warnings", self.path, len(index.warnings) - _LOGGED_WARNINGS)
        return True

    def _fail(self, error: StoreError, signature: Tuple[object, ...]) -> None:
        self.last_error = error
        if signature != self._failed:
            keeping = "keeping the copy read before" if self._copy is not None else "no usable copy yet"
            _LOG.warning("%s (%s)", error, keeping)
        self._failed = signature

    def _current(self) -> _Copy:
        if self._clock() >= self._next_check:
            if self._copy is None:
                with self._lock:
                    self._refresh_locked(False)
            elif self._lock.acquire(blocking=False):
                # Another thread already re-reading: answer from the current copy meanwhile.
                try:
                    self._refresh_locked(False)
                finally:
                    self._lock.release()
        current = self._copy
        if current is None:
            error = self.last_error
            message = str(error) if error is not None else f"index file {self.path} not read"
            raise StoreError(message, retryable=error.retryable if error is not None else True)
        return current

    # -- the store protocol

    def lookup(self, serial_number: int) -> Optional[CertificateRecord]:
        """The record of ``serial_number`` as ``openssl ocsp -index`` finds it, or None.

        :raises ocspkit.errors.StoreError: no good copy of the file yet, or the row's revocation
            time is bad (OpenSSL answers internalError).
        """
        index = self._current().index
        memo = index._records
        if serial_number in memo:
            return memo[serial_number]
        row = index.lookup(serial_number)
        record = None if row is None else row.record(serial_number)
        if len(memo) < _RECORD_MEMO:
            memo[serial_number] = record
        return record

    @property
    def generation(self) -> object:
        """A number that grows each time a new copy of the file is taken (reading it may take one)."""
        return self._current().generation

    def __iter__(self) -> Iterator[CertificateRecord]:
        """Every record of the current copy that a lookup can find (see :meth:`ParsedIndex.records`)."""
        return iter(list(self._current().index.records()))

    def __len__(self) -> int:
        return len(self._current().index.rows)

    @property
    def index(self) -> Optional[ParsedIndex]:
        """The current good copy, or None when there never was one."""
        current = self._copy
        return None if current is None else current.index

    def __repr__(self) -> str:
        return f"IndexTxtStore({self.path!r})"
