"""``ocspkit store ...``: the command-line administration of a :class:`~ocspkit.responder.sqlite.SQLiteStore`.

:func:`add_store_commands` adds a ``store`` subcommand to an argparse subparsers object, with the
actions ``add``, ``revoke``, ``unrevoke``, ``remove``, ``list`` and ``import``, each working on
``--db FILE`` and ``--issuer LABEL``. Each action's handler is set as ``func`` (it takes the
parsed :class:`argparse.Namespace` and returns the exit status); failures raise
:class:`ocspkit.errors.OCSPError` subclasses (OCSPValueError for bad input, StoreError for the
database, ParseError for an unreadable certificate), for the caller to print as one line.

Certificates are named by file (PEM or DER) or by serial number: decimal, or hex after ``0x``,
an optional ``-`` before either (openssl's ``-serial``, and every ocspkit command's), which is
also how ``list`` and every report print them (``0x03E8``); hex without ``0x``, as index.txt
writes it, is refused rather than read as decimal. A name that is an existing file is a file.
Changing the state of a serial number the store does not hold is refused (``revoke --add``
records it); every change is printed. Every action on several certificates is one transaction:
all or nothing.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from .. import crypto
from .._util import parse_serial, serial_text
from ..enums import RevocationReason
from ..errors import OCSPError, OCSPValueError
from ..oid import HoldInstructionOID
from .index import parse_generalized_time, parse_utc_time, read_index
from .sqlite import SQLiteStore
from .store import CertificateRecord, RecordState

__all__ = ["add_store_commands", "parse_reason", "parse_serial", "parse_time"]

_UTC = _dt.timezone.utc
_STATE_WORDS = {RecordState.VALID: "valid", RecordState.REVOKED: "revoked", RecordState.EXPIRED: "expired"}

# Reason names, compared lower-cased without "_", "-" and spaces: RFC 5280 5.3.1's
# (keyCompromise, cACompromise, ...), the enum's (KEY_COMPROMISE) and OpenSSL's index.txt names
# (CACompromise, and the pseudo reasons holdInstruction, keyTime and CAkeyTime).
_REASONS: Dict[str, Tuple[RevocationReason, Optional[str]]] = {
    reason.asn1_name.lower(): (reason, None) for reason in RevocationReason
}
_REASONS.update({
    "holdinstruction": (RevocationReason.CERTIFICATE_HOLD, "holdInstruction"),
    "keytime": (RevocationReason.KEY_COMPROMISE, "keyTime"),
    "cakeytime": (RevocationReason.CA_COMPROMISE, "CAkeyTime"),
})
_HOLD_INSTRUCTIONS = {  # RFC 5280 5.3.2
    "holdinstructionnone": HoldInstructionOID.NONE,
    "holdinstructioncallissuer": HoldInstructionOID.CALL_ISSUER,
    "holdinstructionreject": HoldInstructionOID.REJECT,
}


# ------------------------------------------------------------------------------------------------
# Arguments


def parse_reason(text: str) -> Tuple[RevocationReason, Optional[str]]:
    """A revocation reason by RFC 5280 name (``keyCompromise``), enum name (``KEY_COMPROMISE``),
    OpenSSL index name (``CACompromise``, ``holdInstruction``, ``keyTime``, ``CAkeyTime``) or
    number, case-insensitively. Returns the reason and, for OpenSSL's pseudo reasons, their name
    (they need a hold instruction or an invalidity date)."""
    key = text.strip().lower().replace("_", "").replace("-", "").replace(" ", "")
    if key in _REASONS:
        return _REASONS[key]
    if key.isdigit() and key.isascii():
        try:
            return RevocationReason(int(key)), None
        except ValueError:
            pass
    names = ", ".join(r.asn1_name for r in RevocationReason)
    raise OCSPValueError(f"unknown revocation reason {text!r}: give one of {names} (or its number), "
                         "or holdInstruction, keyTime, CAkeyTime")


def parse_time(text: str, *, now: Optional[_dt.datetime] = None) -> _dt.datetime:
    """A time with its zone: ``now``, ISO 8601 (``2024-05-01T12:00:00Z``, ``...+02:00``),
    GeneralizedTime (``20240501120000Z``) or UTCTime (``240501120000Z``). Returned in UTC, whole
    seconds. A time without a zone is refused (OCSPValueError): it would be ambiguous."""
    value = text.strip()
    if value.lower() == "now":
        return (now or _dt.datetime.now(_UTC)).astimezone(_UTC).replace(microsecond=0)
    # With seconds only: "240501120000Z" is a UTCTime, not the GeneralizedTime 2405-01-12T00:00Z.
    digits = len(value) - len(value.lstrip("0123456789"))
    parsed = None
    if digits == 14:
        parsed = parse_generalized_time(value)
    elif digits == 12:
        parsed = parse_utc_time(value)
    if parsed is None:
        iso = value[:-1] + "+00:00" if value[-1:] in ("Z", "z") else value
        try:
            parsed = _dt.datetime.fromisoformat(iso)
        except ValueError:
            raise OCSPValueError(f"cannot read time {text!r}: give ISO 8601 with a zone "
                                 "(2024-05-01T12:00:00Z), YYYYMMDDHHMMSSZ or 'now'") from None
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            raise OCSPValueError(f"time {text!r} has no time zone: add Z (UTC) or +hh:mm")
    return parsed.astimezone(_UTC).replace(microsecond=0)


def _hold_instruction(text: str) -> str:
    return _HOLD_INSTRUCTIONS.get(text.lower().replace(" ", ""), text)


def _target(text: str) -> Tuple[int, Optional[Any]]:
    """A certificate file (its serial number and the certificate) or a serial number."""
    if os.path.isfile(text):
        try:
            cert = crypto.load_certificate(Path(text).read_bytes())
        except OSError as exc:
            raise OCSPValueError(f"{text}: {exc.strerror or exc}") from None
        except OCSPError as exc:
            raise OCSPValueError(f"{text}: not a certificate: {exc}") from None
        return int(cert.serial_number), cert
    try:
        return parse_serial(text), None
    except OCSPValueError:
        hint = ""
        if all(c in "0123456789abcdefABCDEF" for c in text.lstrip("-")):
            hint = f" (hex takes 0x: 0x{text.lstrip('-')})"
        raise OCSPValueError(f"{text[:80]}: no such file, and not a serial number: decimal, or hex after 0x{hint}") \
            from None


def _missing(store: SQLiteStore, given: str, serial: int, what: str) -> OCSPValueError:
    """The refusal for a serial number the store does not hold, naming the number as read and,
    when decimal digits were given that name a record as hex (index.txt's way), that record."""
    text = f"{given}: serial number {serial_text(serial)} ({serial} in decimal) is not in the store; {what}"
    if given.isdigit() and given.isascii():
        as_hex = int(given, 16)
        if store.lookup(as_hex) is not None:
            text += f". Hex serials take 0x: {serial_text(as_hex)} is in the store"
    return OCSPValueError(text)


def _open(ns: argparse.Namespace, *, create: bool) -> SQLiteStore:
    if not create and not os.path.exists(ns.db):
        raise OCSPValueError(f"{ns.db}: no such store ('ocspkit store add' or 'import' makes one)")
    return SQLiteStore(ns.db, ns.issuer, create=create)


def _time_text(value: Optional[_dt.datetime]) -> Optional[str]:
    return None if value is None else value.astimezone(_UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _warn(text: str) -> None:
    sys.stdout.flush()
    sys.stderr.write(f"warning: {text}\n")


def _summary(record: CertificateRecord) -> str:
    subject = f" {record.subject}" if record.subject else ""
    return f"{serial_text(record.serial_number)}{subject}"


# ------------------------------------------------------------------------------------------------
# The actions


def _cmd_add(ns: argparse.Namespace) -> int:
    targets = [_target(item) for item in ns.certificates]
    if any(cert is not None for _, cert in targets) and (ns.subject is not None or ns.not_after is not None):
        raise OCSPValueError("--subject and --not-after are for serial numbers: a certificate brings its own")
    not_after = None if ns.not_after is None else parse_time(ns.not_after)
    with _open(ns, create=True) as store, store.transaction():
        done = []
        for serial, cert in targets:
            old = store.lookup(serial)
            if old is not None:
                raise OCSPValueError(f"serial number {serial_text(serial)} is already in the store "
                                     f"({_STATE_WORDS[old.state]})")
            if cert is not None:
                done.append(store.import_certificate(cert))
            else:
                done.append(store.add(serial, not_after=not_after, subject=ns.subject))
    for record in done:
        _say(f"added {_summary(record)}")
    return 0


def _cmd_revoke(ns: argparse.Namespace) -> int:
    targets = [_target(item) for item in ns.certificates]
    reason: Optional[RevocationReason] = None
    pseudo: Optional[str] = None
    if ns.reason is not None:
        reason, pseudo = parse_reason(ns.reason)
    hold = None if ns.hold_instruction is None else _hold_instruction(ns.hold_instruction)
    if hold is not None and reason is None:
        reason = RevocationReason.CERTIFICATE_HOLD  # a hold instruction means a hold
    if pseudo == "holdInstruction" and hold is None:
        raise OCSPValueError("reason holdInstruction needs --hold-instruction")
    if pseudo in ("keyTime", "CAkeyTime") and ns.invalidity_date is None:
        raise OCSPValueError(f"reason {pseudo} needs --invalidity-date")
    when = None if ns.time is None else parse_time(ns.time)
    invalidity = None if ns.invalidity_date is None else parse_time(ns.invalidity_date)
    with _open(ns, create=ns.add or any(cert is not None for _, cert in targets)) as store, store.transaction():
        done: List[Tuple[bool, CertificateRecord]] = []
        for given, (serial, cert) in zip(ns.certificates, targets):
            added = store.lookup(serial) is None
            if added and cert is not None:
                store.import_certificate(cert)  # the file names the certificate: keep its subject and expiry
            elif added and not ns.add:
                # A serial the store never saw is most likely a typo or the wrong base: revoking it
                # would leave the intended certificate good. Never guess (refuse the whole command).
                raise _missing(store, given, serial, "give --add to record it revoked")
            done.append((added, store.revoke(serial, when=when, reason=reason, invalidity_date=invalidity,
                                             hold_instruction=hold, force=ns.force)))
    for added, record in done:
        reason_text = record.revocation_reason.asn1_name if record.revocation_reason is not None else "no reason"
        verb = "added and revoked" if added else "revoked"
        _say(f"{verb} {_summary(record)} ({reason_text}) at {_time_text(record.revocation_time)}")
    return 0


def _cmd_unrevoke(ns: argparse.Namespace) -> int:
    targets = [_target(item) for item in ns.certificates]
    with _open(ns, create=False) as store, store.transaction():
        for given, (serial, _) in zip(ns.certificates, targets):
            if store.lookup(serial) is None:
                raise _missing(store, given, serial, "nothing to unrevoke")
        done = [store.unrevoke(serial, force=ns.force) for serial, _ in targets]
    for record in done:
        _say(f"unrevoked {_summary(record)}")
    return 0


def _cmd_remove(ns: argparse.Namespace) -> int:
    targets = [_target(item) for item in ns.certificates]
    with _open(ns, create=False) as store, store.transaction():
        for given, (serial, _) in zip(ns.certificates, targets):
            if store.lookup(serial) is None:
                raise _missing(store, given, serial, "nothing to remove")
            store.remove(serial)
    for serial, _ in targets:
        _say(f"removed {serial_text(serial)}")
    return 0


def _as_json(record: CertificateRecord) -> Dict[str, Any]:
    return {
        "serial": serial_text(record.serial_number),
        "state": _STATE_WORDS[record.state],
        "revocation_time": _time_text(record.revocation_time),
        "reason": None if record.revocation_reason is None else record.revocation_reason.asn1_name,
        "invalidity_date": _time_text(record.invalidity_date),
        "hold_instruction": record.hold_instruction,
        "not_after": _time_text(record.not_after),
        "subject": record.subject,
    }


def _cmd_list(ns: argparse.Namespace) -> int:
    with _open(ns, create=False) as store:
        records = [r for r in store if ns.state is None or _STATE_WORDS[r.state] == ns.state]
    if ns.json:
        _say(json.dumps([_as_json(r) for r in records], indent=2, ensure_ascii=False))
        return 0
    table = [("SERIAL", "STATE", "REVOKED", "REASON", "SUBJECT")]
    for record in records:
        item = _as_json(record)
        table.append((item["serial"], item["state"], item["revocation_time"] or "-", item["reason"] or "-",
                      item["subject"] or "-"))
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for row in table:
        _say("  ".join([*(cell.ljust(width) for cell, width in zip(row, widths)), row[4]]).rstrip())
    return 0


def _is_certificate_file(data: bytes) -> bool:
    return b"-----BEGIN" in data or data[:1] == b"\x30"


def _cmd_import(ns: argparse.Namespace) -> int:
    loaded: List[Tuple[str, str, Any]] = []  # (file, kind, certificates or parsed index)
    for name in ns.files:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            raise OCSPValueError(f"{name}: {exc.strerror or exc}") from None
        kind = ns.format
        if kind == "auto":
            kind = "cert" if _is_certificate_file(data) else "index"
        if kind == "cert":
            try:
                loaded.append((name, kind, crypto.load_certificates(data)))
            except OCSPError as exc:
                raise OCSPValueError(f"{name}: not a certificate file: {exc}") from None
        else:
            loaded.append((name, kind, read_index(name)))
    with _open(ns, create=True) as store, store.transaction():
        reports: List[Tuple[str, str, Tuple[str, ...], Tuple[str, ...]]] = []
        for name, kind, content in loaded:
            if kind == "cert":
                added = updated = 0
                for cert in content:
                    if store.lookup(int(cert.serial_number)) is None:
                        added += 1
                    else:
                        updated += 1
                    store.import_certificate(cert)
                reports.append((name, f"{added} added, {updated} updated", (), ()))
            else:
                report = store.import_index(content, replace=ns.replace)
                counts = (f"{report.added} added, {report.replaced} replaced, {report.unchanged} unchanged, "
                          f"{len(report.skipped)} skipped")
                reports.append((name, counts, report.skipped, report.notes))
    for name, counts, skipped, notes in reports:
        for text in (*skipped, *notes):
            _warn(f"{name}: {text}")
        _say(f"{name}: {counts}")
    return 0


# ------------------------------------------------------------------------------------------------
# The parsers


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, metavar="FILE", help="the SQLite store file")
    parser.add_argument("--issuer", default="default", metavar="LABEL",
                        help="which issuer's records, in a file holding several (default: default)")


_SERIAL_SYNTAX = ("a certificate file (PEM or DER), or a serial number: decimal (1000), or hex after 0x "
                  "(0x03E8, as 'store list' prints it); hex without 0x, as index.txt writes it, is refused")


def _add_targets(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("certificates", nargs="+", metavar="CERT_OR_SERIAL", help=_SERIAL_SYNTAX)


def add_store_commands(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``store`` and its actions to ``subparsers`` (what ``ArgumentParser.add_subparsers``
    returns; the actions' parsers are of the same class as ``store``'s). Returns the ``store``
    parser. Each action sets ``func``: call ``namespace.func(namespace)`` for the exit status."""
    store = subparsers.add_parser(
        "store", help="manage the SQLite status store (add, revoke, unrevoke, remove, list, import)",
        description="Manage the responder's SQLite status store: record certificates, revoke them, list "
        "them, import an OpenSSL index.txt. The responder sees every change at once, also while it runs.",
        epilog="Each action has its own --help ('ocspkit store revoke --help'). Serial numbers are decimal, "
        "or hex after 0x, as 'store list' prints them. Each command is one transaction; errors are one line "
        "and exit status 1. 'ocspkit serve --db FILE' answers from the store.",
    )
    actions = store.add_subparsers(dest="store_action", metavar="ACTION", parser_class=type(store))
    actions.required = True

    p = actions.add_parser("add", help="record valid certificates", description=(
        "Record certificates as valid (good). A certificate file brings its serial number, subject and "
        "expiry; a serial number may take --subject and --not-after. A serial number already in the "
        "store is refused."))
    _add_common(p)
    _add_targets(p)
    p.add_argument("--subject", metavar="TEXT", help="subject to record with a serial number")
    p.add_argument("--not-after", metavar="TIME", help="expiry to record with a serial number")
    p.set_defaults(func=_cmd_add)

    p = actions.add_parser("revoke", help="revoke certificates", description=(
        "Mark certificates revoked. A serial number the store does not hold is refused unless --add "
        "(a certificate file not in the store is recorded from the certificate). REASON is an RFC 5280 "
        "name (keyCompromise, cACompromise, affiliationChanged, superseded, cessationOfOperation, "
        "certificateHold, removeFromCRL, privilegeWithdrawn, aACompromise, unspecified), its number, or "
        "an OpenSSL index name (CACompromise; holdInstruction with --hold-instruction; keyTime / CAkeyTime "
        "with --invalidity-date). TIME is ISO 8601 with a zone (2024-05-01T12:00:00Z), "
        "YYYYMMDDHHMMSSZ, or 'now'. A revoked certificate can be revoked again only from certificateHold, "
        "unless --force."))
    _add_common(p)
    _add_targets(p)
    p.add_argument("--reason", metavar="REASON", help="revocation reason (default: none given)")
    p.add_argument("--time", metavar="TIME", help="revocation time (default: now)")
    p.add_argument("--invalidity-date", metavar="TIME", help="when the key was compromised (RFC 5280 5.3.2)")
    p.add_argument("--hold-instruction", metavar="OID",
                   help="hold instruction code: a dotted OID, holdInstructionNone, holdInstructionCallIssuer "
                   "or holdInstructionReject (implies certificateHold)")
    p.add_argument("--force", action="store_true", help="change a revocation that is not a certificateHold")
    p.add_argument("--add", action="store_true",
                   help="record serial numbers the store does not hold yet (else they are refused)")
    p.set_defaults(func=_cmd_revoke)

    p = actions.add_parser("unrevoke", help="make held certificates valid again", description=(
        "Make revoked certificates valid again. RFC 5280 5.3.1 lets only a certificateHold be undone; "
        "--force undoes any revocation."))
    _add_common(p)
    _add_targets(p)
    p.add_argument("--force", action="store_true", help="undo a revocation other than certificateHold")
    p.set_defaults(func=_cmd_unrevoke)

    p = actions.add_parser("remove", help="forget certificates (they become unknown)", description=(
        "Delete certificates from the store: the responder then answers unknown for them."))
    _add_common(p)
    _add_targets(p)
    p.set_defaults(func=_cmd_remove)

    p = actions.add_parser("list", help="list the records", description=(
        "List the issuer's records, by serial number: serial (hex after 0x, as every store command takes "
        "it), state, "
        "revocation time, reason and subject; --json gives every field."))
    _add_common(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--state", choices=tuple(_STATE_WORDS.values()), help="only records in this state")
    p.set_defaults(func=_cmd_list)

    p = actions.add_parser("import", help="import an OpenSSL index.txt or certificate files", description=(
        "Import OpenSSL CA databases (index.txt, read as 'openssl ocsp -index' reads it, with its .attr) "
        "and certificate files (PEM bundles or DER). Index rows that disagree with the store's state are "
        "refused unless --replace; certificates already in the store keep their state. All files are one "
        "transaction."))
    _add_common(p)
    p.add_argument("files", nargs="+", metavar="FILE", help="index.txt or certificate file")
    p.add_argument("--format", choices=("auto", "index", "cert"), default="auto",
                   help="what the files are (default: certificates if PEM or DER, else index.txt)")
    p.add_argument("--replace", action="store_true", help="let index rows override the store's state")
    p.set_defaults(func=_cmd_import)
    return store  # type: ignore[no-any-return]

