"""The responder's status stores: IndexTxtStore (OpenSSL's index.txt), SQLiteStore and the
``ocspkit store`` admin commands.

1. index.txt against ``openssl ocsp -index``: index files written by hand (rows of every kind:
   each reason form, hold instructions, invalidity dates, E rows, leading-zero, lower-case and
   negative serials, bad revocation fields, broken files) are answered by the openssl command line
   and by IndexTxtStore; every status, reason, revocation time, invalidity date, hold
   instruction, complaint line and refusal must agree. A Hypothesis run does the same on
   generated files, and parse_index never raises on any input.
2. IndexTxtStore's reloading (a fake clock): changes, corrupt versions (the last good copy stays,
   last_error and a warning), recovery, atomic renames, deletion, never-good files, threads.
3. SQLiteStore: CRUD, big and negative serials, two issuers in one file, changes by other
   connections and processes seen through ``generation``, locks (StoreError retryable), corrupt
   files, imports.
4. The admin commands, in-process through an argparse harness built with add_store_commands.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import pytest
from _openssl_cli import run
from asn1crypto import core
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocspkit import load_request, load_response
from ocspkit._util import serial_text
from ocspkit.enums import CertStatus, ResponseStatus, RevocationReason
from ocspkit.errors import OCSPError, OCSPValueError, StoreError
from ocspkit.responder import admin
from ocspkit.responder.admin import add_store_commands
from ocspkit.responder.index import (
    IndexTxtStore,
    parse_attr,
    parse_index,
    read_index,
    serial_hex,
    unpack_revinfo,
)
from ocspkit.responder.sqlite import SQLiteStore, certificate_subject
from ocspkit.responder.store import CertificateRecord, RecordState, StatusStore
from ocspkit.testing import TestPKI

UTC = dt.timezone.utc
EXPIRES = "300101000000Z"
OPENSSL_ERROR = re.compile(r"^[0-9A-F]+:error:[0-9A-F]+:")
HOLD_INSTRUCTION_CODE = "2.5.29.23"


def row(kind: str, revocation: str, serial: str, subject: Optional[str] = None, expires: str = EXPIRES) -> str:
    """One index.txt row, written out by hand: type, expiry, revocation, serial, file, subject."""
    return f"{kind}\t{expires}\t{revocation}\t{serial}\tunknown\t{subject or '/CN=' + serial}\n"


# ------------------------------------------------------------------------------------------------
# The oracle: openssl ocsp -index


@dataclasses.dataclass
class Answer:
    """What openssl answered: refused the file, internalError, or a status per serial."""

    refused: bool
    status: Optional[ResponseStatus]
    singles: Dict[int, Dict[str, Any]]
    complaints: List[str]


class OpenSSLIndex:
    """Runs ``openssl ocsp -index`` for index files, with a responder from a test PKI."""

    def __init__(self, openssl: str, directory: Path) -> None:
        self.openssl = openssl
        self.dir = directory
        pki = TestPKI()
        (directory / "ca.pem").write_bytes(pki.intermediate.cert_pem)
        (directory / "r.pem").write_bytes(pki.responder.cert_pem)
        (directory / "r.key").write_bytes(pki.responder.key_pem)
        self._requests: Dict[Tuple[str, ...], Path] = {}

    def request(self, serials: Sequence[str]) -> Path:
        key = tuple(serials)
        if key not in self._requests:
            path = self.dir / f"req{len(self._requests)}.der"
            args = [self.openssl, "ocsp", "-issuer", "ca.pem", "-no_nonce", "-reqout", path.name]
            for serial in serials:
                args += ["-serial", serial]
            result = run(args, cwd=self.dir)
            assert result.returncode == 0, result.stderr
            self._requests[key] = path
        return self._requests[key]

    def answer(self, index: Path, serials: Sequence[str]) -> Answer:
        request = self.request(serials)
        out = self.dir / "resp.der"
        if out.exists():
            out.unlink()
        result = run([self.openssl, "ocsp", "-index", index, "-CA", "ca.pem", "-rsigner", "r.pem", "-rkey", "r.key",
                      "-reqin", request.name, "-respout", out.name], cwd=self.dir)
        lines = [line for line in result.stderr.splitlines() if not OPENSSL_ERROR.match(line)]
        if any(line.startswith("Problem with index file") for line in lines):
            assert result.returncode == 1 and not out.exists()
            return Answer(True, None, {}, [])
        complaints = [line for line in lines if not line.startswith("Error on line")]  # the .attr complaint
        response = load_response(out.read_bytes())
        singles: Dict[int, Dict[str, Any]] = {}
        if response.response_status == ResponseStatus.SUCCESSFUL:
            for single in response.responses:
                invalidity = single.extensions.get("invalidity_date")
                hold = single.extensions.get(HOLD_INSTRUCTION_CODE)
                singles[single.cert_id.serial_number] = {
                    "status": single.cert_status,
                    "time": single.revocation_time,
                    "reason": single.revocation_reason,
                    # asn1crypto reads what OpenSSL copied from the index (fractions, offsets).
                    "invalidity": None if invalidity is None else
                    core.GeneralizedTime.load(invalidity.raw_value).native.astimezone(UTC).replace(microsecond=0),
                    "hold": None if hold is None else core.ObjectIdentifier.load(hold.raw_value).dotted,
                }
        return Answer(False, response.response_status, singles, complaints)


@pytest.fixture(scope="module")
def oracle(openssl_bin: str, tmp_path_factory: pytest.TempPathFactory) -> OpenSSLIndex:
    return OpenSSLIndex(openssl_bin, tmp_path_factory.mktemp("openssl-index"))


def number_of(serial: str) -> int:
    """openssl's -serial text as a number."""
    negative = serial.startswith("-")
    body = serial.lstrip("-")
    value = int(body[2:], 16) if body[:2].lower() == "0x" else int(body)
    return -value if negative else value


def compare(oracle: OpenSSLIndex, tmp: Path, data: bytes, serials: Sequence[str],
            attr: Optional[str] = None) -> Answer:
    """Answer ``serials`` from the index ``data`` with openssl and with ocspkit; they must agree."""
    index = tmp / "index.txt"
    index.write_bytes(data)
    attr_path = tmp / "index.txt.attr"
    if attr is not None:
        attr_path.write_text(attr)
    elif attr_path.exists():
        attr_path.unlink()
    theirs = oracle.answer(index, serials)
    parsed = read_index(index, strict=False)
    store = IndexTxtStore(index)
    if theirs.refused:
        assert parsed.problems, "openssl refused the file, ocspkit found nothing wrong"
        with pytest.raises(StoreError) as info:
            store.lookup(1)
        assert not info.value.retryable and str(info.value).startswith(f"Problem with index file: {index}: ")
        return theirs
    assert parsed.ok, parsed.problems
    numbers = [number_of(s) for s in serials]
    # The complaints openssl prints, in the order of the CertIDs, up to an internalError.
    complaints = []
    for number in numbers:
        found = parsed.lookup(number)
        if found is None or found.type[:1] != "R":
            continue
        revinfo = found.revocation_info()
        if revinfo.complaint is not None:
            complaints.append(revinfo.complaint)
        if revinfo.time is None:
            break
    assert complaints == theirs.complaints
    if theirs.status == ResponseStatus.INTERNAL_ERROR:
        failures = []
        for number in numbers:
            try:
                store.lookup(number)
            except StoreError as exc:
                failures.append(exc)
        assert failures and not any(f.retryable for f in failures)
        return theirs
    assert theirs.status == ResponseStatus.SUCCESSFUL
    for number in numbers:
        record = store.lookup(number)
        single = theirs.singles.get(number)
        if record is None:
            assert single is not None and single["status"] == CertStatus.UNKNOWN, number
        elif record.state == RecordState.EXPIRED:
            assert single is None, number  # openssl adds no SingleResponse for E rows
        elif record.state == RecordState.VALID:
            assert single is not None and single["status"] == CertStatus.GOOD, number
        else:
            assert single is not None and single["status"] == CertStatus.REVOKED, number
            got = (record.revocation_time, record.revocation_reason, record.invalidity_date, record.hold_instruction)
            assert got == (single["time"], single["reason"], single["invalidity"], single["hold"]), number
    return theirs


# Rows that openssl answers (one file, one request): every reason form and argument, good and bad.
REVOCATIONS = [
    "230102030405Z",
    "230102030405Z,unspecified", "230102030405Z,keyCompromise", "230102030405Z,CACompromise",
    "230102030405Z,cACompromise", "230102030405Z,affiliationChanged", "230102030405Z,superseded",
    "230102030405Z,cessationOfOperation", "230102030405Z,certificateHold", "230102030405Z,removeFromCRL",
    "230102030405Z,KEYCOMPROMISE", "230102030405Z,keyCompromise,ignored,argument",
    "230102030405Z,holdInstruction,holdInstructionNone", "230102030405Z,holdInstruction,holdInstructionCallIssuer",
    "230102030405Z,holdInstruction,holdInstructionReject", "230102030405Z,holdInstruction,Hold Instruction Reject",
    "230102030405Z,holdInstruction,1.2.840.10040.2.2", "230102030405Z,holdInstruction,1.02",
    "230102030405Z,holdInstruction,1 2 3", "230102030405Z,holdInstruction,1..2", "230102030405Z,holdInstruction,1.2.3 ",
    "230102030405Z,holdInstruction,2.999", "230102030405Z,holdInstruction,1.39",
    "230102030405Z,keyTime,20200101000000Z", "230102030405Z,CAkeyTime,20200101000000Z",
    "230102030405Z,keyTime,20200101000000.5Z", "230102030405Z,keyTime,202001010000Z",
    "230102030405Z,keyTime,20200101000000+0100", "230102030405Z,keytime,20200229235959-1130",
    # complaints: revoked without a reason
    "230102030405Z,", "230102030405Z,bogusReason", "230102030405Z,privilegeWithdrawn",
    "230102030405Z,holdInstruction", "230102030405Z,holdInstruction,",
    "230102030405Z,holdInstruction,holdinstructionnone",
    "230102030405Z,holdInstruction,1.40", "230102030405Z,holdInstruction,3.1", "230102030405Z,holdInstruction,1",
    "230102030405Z,holdInstruction, 1.2.3", "230102030405Z,holdInstruction,1.",
    "230102030405Z,keyTime", "230102030405Z,keyTime,", "230102030405Z,keyTime,2020010100Z",
    "230102030405Z,keyTime,20200101000000.Z", "230102030405Z,keyTime,20200101000000+1300",
    "230102030405Z,keyTime,20210229000000Z", "230102030405Z,keyTime,20200101000060Z",
    "230102030405Z,keyTime,20200101000000", "230102030405Z,CAkeyTime,202001010000.5Z",
    # revocation times openssl reads
    "2301020304Z", "230102030405+0100", "230102030405-1200", "230102030405+1200", "230102030405+0959",
    "2301020304+0100", "490101000000Z", "500101000000Z", "000229000000Z",
]
# Revocation times openssl refuses (internalError for the whole response).
BAD_TIMES = [
    "notatime", "230102030405", "20230102030405Z", "230102030405.5Z", "231302030405Z", "230102240000Z",
    "230102235960Z", "010229000000Z", "230102030405+1300", "230102030405+0060", " 230102030405Z",
    "230102030405z", "23010203040Z", "",
]


def test_rows_against_openssl(oracle: OpenSSLIndex, tmp_path: Path) -> None:
    lines = [row("V", "", "1000")]
    serials = ["0x1000"]
    for i, revocation in enumerate(REVOCATIONS):
        serial = 0x2000 + i
        lines.append(row("R", revocation, f"{serial:X}"))
        serials.append(hex(serial))
    lines += [
        row("E", "", "3000"), row("Valid", "", "3001"), row("X", "", "3002"), row("v", "", "3003"),
        row("", "", "3004"), row("E", "230102030405Z,keyCompromise", "3005"),
        row("V", "230102030405Z,keyCompromise", "3006"),  # the revocation field of a V row is ignored
        row("V", "", "000B"), row("V", "", "0a"), row("V", "", ""), row("V", "", "-05"), row("V", "", "-1234"),
        row("V", "", "-5"), row("V", "", "-0012"), row("V", "", "0X3010"), row("V", "", "00003011"),
        row("V", "", "3012", expires="20500101000000Z"), row("V", "", "3013", expires="garbage"),
        row("V", "", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"),
    ]
    serials += ["0x3000", "0x3001", "0x3002", "0x3003", "0x3004", "0x3005", "0x3006", "0x0b", "0xa", "0", "-5",
                "-0x1234", "-0x12", "0x3010", "0x3011", "0x3012", "0x3013",
                "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", "0x9999", "-0x9999"]
    theirs = compare(oracle, tmp_path, "".join(lines).encode(), serials)
    assert theirs.status == ResponseStatus.SUCCESSFUL
    assert theirs.complaints[:3] == ["invalid reason code ", "invalid reason code bogusReason",
                                     "invalid reason code privilegeWithdrawn"]
    store = IndexTxtStore(tmp_path / "index.txt")
    # A few spelled out, beyond the agreement with openssl.
    held = store.lookup(0x2000 + REVOCATIONS.index("230102030405Z,holdInstruction,holdInstructionReject"))
    assert held is not None and held.hold_instruction == "1.2.840.10040.2.3"
    assert held.revocation_reason == RevocationReason.CERTIFICATE_HOLD
    compromised = store.lookup(0x2000 + REVOCATIONS.index("230102030405Z,keyTime,20200101000000+0100"))
    assert compromised is not None and compromised.invalidity_date == dt.datetime(2019, 12, 31, 23, tzinfo=UTC)
    assert store.lookup(0xB) is not None and store.lookup(0xA) is None and store.lookup(0) is not None
    assert store.lookup(-5) is not None and store.lookup(-0x12) is None
    late = store.lookup(0x3012)
    assert late is not None and late.not_after == dt.datetime(2050, 1, 1, tzinfo=UTC)
    expired = store.lookup(0x3000)
    assert expired is not None and expired.state == "E" and expired.subject == "/CN=3000"
    assert store.lookup(0x3013).not_after is None  # type: ignore[union-attr]


@pytest.mark.parametrize("revocation", BAD_TIMES)
def test_bad_revocation_time_is_internal_error(oracle: OpenSSLIndex, tmp_path: Path, revocation: str) -> None:
    data = (row("V", "", "10") + row("R", revocation, "11")).encode()
    theirs = compare(oracle, tmp_path, data, ["0x10", "0x11"])
    assert theirs.status == ResponseStatus.INTERNAL_ERROR
    store = IndexTxtStore(tmp_path / "index.txt")
    assert store.lookup(0x10) is not None  # the other rows still answer
    with pytest.raises(StoreError, match="invalid revocation date"):
        store.lookup(0x11)
    assert [r.serial_number for r in store] == [0x10]  # left out of iteration


# Whole files: what openssl refuses, and the reading rules of TXT_DB_read.
FILES = {
    "five-fields": row("V", "", "10").replace("\tunknown", ""),
    "seven-fields": row("V", "", "10").rstrip("\n") + "\textra\n",
    "blank-line": row("V", "", "10") + "\n",
    "duplicate-serial": row("V", "", "10", "/CN=a") + row("R", "230101000000Z", "0010", "/CN=b"),
    "duplicate-serial-zero": row("V", "", "", "/CN=a") + row("V", "", "00", "/CN=b"),
    "negative-forms-differ": row("V", "", "-05", "/CN=a") + row("V", "", "-5", "/CN=b"),
    "duplicate-subject": row("V", "", "10", "/CN=same") + row("V", "", "11", "/CN=same"),
    "duplicate-subject-revoked": row("V", "", "10", "/CN=same") + row("R", "230101000000Z", "11", "/CN=same"),
    "duplicate-subject-expired": row("E", "", "10", "/CN=same") + row("E", "", "11", "/CN=same"),
    "comments": "# a comment\n#\n" + row("V", "", "10") + "#another\n",
    "comment-509": "#" + "a" * 509 + "\n" + row("V", "", "10"),
    "comment-510": "#" + "a" * 510 + "\n" + row("V", "", "10"),
    "comment-600": "#" + "a" * 600 + "\n" + row("V", "", "10"),
    "comment-then-row": "#" + "a" * 510 + row("V", "", "11") + row("V", "", "10"),
    "long-row-then-long-comment": row("V", "", "11", "/CN=" + "x" * 700) + "#" + "a" * 900 + "\n" + row("V", "", "10"),
    "no-final-newline": row("V", "", "10") + row("V", "", "11").rstrip("\n"),
    "crlf": row("V", "", "10").replace("\n", "\r\n") + row("V", "", "11").replace("\n", "\r\n"),
    "escaped-tab-subject": "V\t300101000000Z\t\t10\tunknown\t/CN=a\\\tb\n",
    "escaped-tab-serial": "V\t300101000000Z\t\t1\\\t0\tunknown\t/CN=a\n",
    "escaped-tab-count": "V\t300101000000Z\t\t10\tunknown\\\t/CN=a\n",
    "backslashes": "V\t300101000000Z\t\t10\tunknown\t/CN=a\\\\\tb\n",
    "empty": "",
    "only-comments": "# nothing\n",
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_files_against_openssl(oracle: OpenSSLIndex, tmp_path: Path, name: str) -> None:
    # 0x10 is in every file that opens, so the response is never empty.
    data = FILES[name].encode()
    if name in ("empty", "only-comments"):
        data += row("V", "", "10").encode()
    compare(oracle, tmp_path, data, ["0x10", "0x11", "0", "-5"])


def test_nul_bytes_against_openssl(oracle: OpenSSLIndex, tmp_path: Path) -> None:
    # A NUL inside a line cuts it and joins the next line on (too many fields); a read starting
    # with NUL ends the file.
    theirs = compare(oracle, tmp_path, b"V\t300101000000Z\t\t10\tunk\x00nown\t/CN=a\n" + row("V", "", "11").encode(),
                     ["0x10"])
    assert theirs.refused
    theirs = compare(oracle, tmp_path, row("V", "", "10").encode() + b"\x00\n" + row("V", "", "11").encode(),
                     ["0x10", "0x11"])
    assert theirs.singles[0x11]["status"] == CertStatus.UNKNOWN


@pytest.mark.parametrize("attr", [
    "unique_subject = no\n", "unique_subject = yes\n", "unique_subject = \"no\"\n", "unique_subject=False # x\n",
    "[foo]\nunique_subject = no\n", "[foo]\n[ default ]\nunique_subject = no\n", "unique_subject = maybe\n",
    "unique_subject = no\nunique_subject = yes\n", "unique_subject = no\n[broken\n", "unique_subject = no\njunk\n",
    "# unique_subject = no\n", "",
])
def test_attr_file_against_openssl(oracle: OpenSSLIndex, tmp_path: Path, attr: str) -> None:
    data = (row("V", "", "10", "/CN=same") + row("V", "", "11", "/CN=same")).encode()
    compare(oracle, tmp_path, data, ["0x10", "0x11"], attr=attr)


# Generated files: rows from a small alphabet that reaches every branch of the reader.
_SERIALS = st.sampled_from(["10", "0010", "11", "0a", "0B", "", "00", "-05", "-5", "1F", "ABCDEF", "x1"])
_REVOCATIONS = st.one_of(
    st.sampled_from(["", "230102030405Z", "2301020304+0100", "notatime", "491231235959Z"]),
    st.tuples(st.sampled_from(["230102030405Z"]), st.sampled_from(
        ["keyCompromise", "CAkeyTime", "keytime", "holdInstruction", "removeFromCRL", "bogus", ""]),
        st.sampled_from([None, "", "20200101000000Z", "202001010000.5Z", "1.2.3", "holdInstructionNone", "9"]),
    ).map(lambda t: ",".join(p for p in t if p is not None)),
)
_ROWS = st.tuples(st.sampled_from(["V", "R", "E", "X", ""]), _REVOCATIONS, _SERIALS,
                  st.sampled_from(["/CN=a", "/CN=b", "/CN=c"]))
_LINES = st.lists(st.one_of(_ROWS.map(lambda r: row(*r)), st.sampled_from(["#c\n", "\n", "V\tx\n"])),
                  min_size=0, max_size=6)


@settings(max_examples=examples(40), deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=_LINES, tail=st.sampled_from(["", "V\t300101000000Z\t\t77\tunknown\t/CN=tail"]))
def test_generated_files_against_openssl(oracle: OpenSSLIndex, tmp_path: Path, lines: List[str], tail: str) -> None:
    data = "".join([row("V", "", "99", "/CN=anchor"), *lines, tail]).encode()
    compare(oracle, tmp_path, data, ["0x99", "0x10", "0x11", "0xa", "0xb", "0", "-5", "0x1f", "0xabcdef", "0x77"])


# ------------------------------------------------------------------------------------------------
# parse_index and friends on their own


@settings(max_examples=examples(400), deadline=None, database=None)
@given(data=st.one_of(
    st.binary(max_size=2000), st.text(max_size=2000),
    st.lists(st.one_of(_ROWS.map(lambda r: row(*r)), st.text(max_size=40)), max_size=12).map("".join),
))
def test_parse_index_never_raises(data: Any) -> None:
    try:
        parsed = parse_index(data)
        for item in parsed.rows:
            item.revocation_info()
            _ = item.not_after, item.state, item.subject_text
            with contextlib.suppress(StoreError):
                item.record()
            if item.serial_number is not None and not parsed.problems:
                assert parsed.lookup(item.serial_number) is item
        list(parsed.records())
        parse_attr(data)
    except (StoreError, OCSPError):  # the contract: nothing else may escape
        pass


def test_parse_index_reports_problems_as_the_cli_did() -> None:
    parsed = parse_index(row("V", "", "01", "/CN=a") + row("V", "", "1", "/CN=b"))
    assert parsed.problems == ("serial number 1 appears twice",)
    parsed = parse_index("# c\n" + row("V", "", "01").replace("\tunknown", ""))
    assert parsed.problems == ("wrong number of fields on line 2 (expected 6, got 5)",)
    parsed = parse_index(row("V", "", "01", "/CN=a") + row("V", "", "02", "/CN=a"))
    assert parsed.problems == ("subject /CN=a appears twice among valid rows (unique_subject)",)
    assert parse_index(row("V", "", "01", "/CN=a") + row("V", "", "02", "/CN=a"), unique_subject=False).ok
    with pytest.raises(StoreError, match=r"^Problem with index file: idx: subject /CN=a appears twice"):
        parsed.check("idx")
    parsed = parse_index(row("R", "230101000000Z,bogus", "01") + row("V", "", "0a") + row("Q", "", "03"))
    assert parsed.ok and parsed.warnings == (
        "line 1: invalid reason code bogus",
        "line 2: serial number 0a can never match (openssl compares upper-case hex)",
        "line 3: type 'Q' is not V, R or E (answered like E)",
    )


def test_unpack_revinfo_complaints() -> None:
    info = unpack_revinfo("230102030405Z,keyTime,20200101000000Z")
    assert info.invalidity_date == dt.datetime(2020, 1, 1, tzinfo=UTC)
    assert unpack_revinfo("x").complaint == "invalid revocation date x"
    assert unpack_revinfo("230102030405Z,holdInstruction,bad").complaint == "invalid object identifier bad"
    info = unpack_revinfo("230102030405Z,removeFromCRL")
    assert (info.reason, info.complaint) == (RevocationReason.REMOVE_FROM_CRL, None)
    assert serial_hex(0) == "00" and serial_hex(-5) == "-05" and serial_hex(0x1ABC) == "1ABC"


def test_read_index_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Can't open") as info:
        read_index(tmp_path / "missing.txt")
    assert info.value.retryable
    (tmp_path / "bad.txt").write_text("V\n")
    with pytest.raises(StoreError, match="Problem with index file") as info:
        read_index(tmp_path / "bad.txt")
    assert not info.value.retryable
    assert read_index(tmp_path / "bad.txt", strict=False).problems


# ------------------------------------------------------------------------------------------------
# IndexTxtStore: reloading


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float = 10.0) -> None:
        self.now += seconds


def write(path: Path, text: str, *, mtime: Optional[int] = None) -> None:
    path.write_text(text)
    if mtime is not None:
        os.utime(path, ns=(mtime, mtime))


def replace(path: Path, text: str, *, mtime: Optional[int] = None) -> None:
    """Write the new version beside the file and rename it over, as openssl ca does."""
    new = path.with_name(path.name + ".new")
    write(new, text, mtime=mtime)
    os.replace(new, path)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def state_of(store: IndexTxtStore, serial: int) -> Optional[str]:
    record = store.lookup(serial)
    return None if record is None else record.state


def test_reload_keeps_the_last_good_copy(tmp_path: Path, clock: Clock, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "index.txt"
    write(path, row("V", "", "10"))
    store = IndexTxtStore(path, check_interval=5, clock=clock)
    assert isinstance(store, StatusStore)
    first = store.generation
    assert state_of(store, 0x10) == "V" and store.last_error is None

    # A change is seen once the interval has passed, not before.
    write(path, row("R", "230101000000Z,keyCompromise", "10"))
    assert state_of(store, 0x10) == "V"
    clock.advance()
    assert state_of(store, 0x10) == "R"
    second = store.generation
    assert second != first

    # A corrupt version: the last good copy keeps answering, once-logged, last_error set.
    caplog.set_level(logging.WARNING, logger="ocspkit.responder")
    write(path, row("V", "", "10", "/CN=a") + row("V", "", "0010", "/CN=b"))
    clock.advance()
    for _ in range(3):
        assert state_of(store, 0x10) == "R"
        clock.advance()
    assert store.generation == second
    assert isinstance(store.last_error, StoreError) and not store.last_error.retryable
    assert "serial number 0010 appears twice" in str(store.last_error)
    warnings = [r for r in caplog.records if r.name == "ocspkit.responder" and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "keeping the copy read before" in warnings[0].getMessage()

    # Fixed: a new copy, the error cleared.
    write(path, row("V", "", "10") + row("V", "", "11", "/CN=11"))
    clock.advance()
    assert state_of(store, 0x11) == "V" and store.last_error is None
    assert store.generation not in (first, second)

    # Deleted: still the last good copy; the error is retryable (the file may come back).
    path.unlink()
    clock.advance()
    assert state_of(store, 0x11) == "V"
    assert store.last_error is not None and store.last_error.retryable
    write(path, row("E", "", "11"))
    clock.advance()
    assert state_of(store, 0x11) == "E" and state_of(store, 0x10) is None


def test_reload_sees_renames_and_attr_changes(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "index.txt"
    stamp = 1_700_000_000_000_000_000
    write(path, row("V", "", "10"), mtime=stamp)
    store = IndexTxtStore(path, check_interval=1, clock=clock)
    generation = store.generation
    # The same size and mtime, another inode: a rename is a change.
    replace(path, row("R", "", "10").replace("R\t", "E\t"), mtime=stamp)
    clock.advance()
    assert state_of(store, 0x10) == "E" and store.generation != generation
    # Two valid rows with one subject: refused, until index.txt.attr allows it.
    write(path, row("V", "", "10", "/CN=x") + row("V", "", "11", "/CN=x"))
    clock.advance()
    assert state_of(store, 0x11) is None and store.last_error is not None
    (tmp_path / "index.txt.attr").write_text("unique_subject = no\n")
    clock.advance()
    assert state_of(store, 0x11) == "V" and store.last_error is None
    # refresh(force=True) looks at once.
    write(path, row("V", "", "12", "/CN=x"))
    assert store.refresh(force=True) and state_of(store, 0x12) == "V"
    assert not store.refresh(force=True)  # unchanged


def test_never_good(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "index.txt"
    store = IndexTxtStore(path, check_interval=1, clock=clock)
    actions: List[Any] = [lambda: store.lookup(1), lambda: store.generation, lambda: list(store)]
    for action in actions:
        with pytest.raises(StoreError, match="Can't open") as info:
            action()
        assert info.value.retryable  # missing: tryLater
    assert store.index is None
    write(path, "V\n")
    clock.advance()
    with pytest.raises(StoreError, match="Problem with index file") as info:
        store.lookup(1)
    assert not info.value.retryable  # corrupt: internalError
    write(path, row("V", "", "01"))
    clock.advance()
    assert state_of(store, 1) == "V" and len(store) == 1


def test_lookup_types(tmp_path: Path) -> None:
    path = tmp_path / "index.txt"
    write(path, row("V", "", "01"))
    store = IndexTxtStore(path)
    with pytest.raises(TypeError):
        store.lookup("01")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        IndexTxtStore(path, check_interval=-1)
    with pytest.raises(TypeError):
        IndexTxtStore(path, check_interval="1")  # type: ignore[arg-type]


def test_threads_see_whole_copies(tmp_path: Path) -> None:
    """Readers during constant atomic rewrites: every listing is one whole version (all rows of
    version k have state V for even k, R for odd k, and there are k + 1 of them)."""
    path = tmp_path / "index.txt"

    def version(k: int) -> str:
        kind, revocation = ("V", "") if k % 2 == 0 else ("R", "230101000000Z,superseded")
        return "".join(row(kind, revocation, f"{i + 1:02X}") for i in range(k + 1))

    write(path, version(0))
    store = IndexTxtStore(path, check_interval=0)
    stop = threading.Event()
    errors: List[BaseException] = []

    def reader() -> None:
        try:
            while not stop.is_set():
                records = list(store)
                states = {r.state for r in records}
                assert len(states) == 1
                assert (len(records) - 1) % 2 == (0 if states == {"V"} else 1)
                assert store.lookup(1) is not None
                store.generation  # noqa: B018
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 0.6
    k = 0
    while time.monotonic() < deadline:
        k += 1
        replace(path, version(k % 20))
    stop.set()
    for thread in threads:
        thread.join(10)
    assert not errors, errors[0]
    assert store.last_error is None


# ------------------------------------------------------------------------------------------------
# SQLiteStore


@pytest.fixture
def db(tmp_path: Path) -> Iterator[SQLiteStore]:
    store = SQLiteStore(tmp_path / "ocsp.db")
    yield store
    store.close()


T1 = dt.datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
T2 = dt.datetime(2024, 6, 1, 0, 0, 0, tzinfo=UTC)


def test_sqlite_crud(db: SQLiteStore) -> None:
    assert isinstance(db, StatusStore)
    assert db.lookup(5) is None and db.generation == 0 and list(db) == [] and len(db) == 0
    added = db.add(5, not_after=T2, subject="/CN=five")
    assert db.lookup(5) == added == CertificateRecord(5, "V", not_after=T2, subject="/CN=five")
    with pytest.raises(OCSPValueError, match="already in the store"):
        db.add(5)
    revoked = db.revoke(5, when=T1, reason=RevocationReason.KEY_COMPROMISE, invalidity_date=T1 - dt.timedelta(days=1))
    assert db.lookup(5) == revoked
    assert (revoked.state, revoked.revocation_time, revoked.subject, revoked.not_after) == ("R", T1, "/CN=five", T2)
    with pytest.raises(OCSPValueError, match="only a certificateHold can change"):
        db.revoke(5, reason=1)
    with pytest.raises(OCSPValueError, match="only certificateHold can be undone"):
        db.unrevoke(5)
    assert db.revoke(5, when=T2, reason=4, force=True).revocation_reason == RevocationReason.SUPERSEDED
    assert db.unrevoke(5, force=True).state == "V"
    with pytest.raises(OCSPValueError, match="is not revoked"):
        db.unrevoke(5)
    # Hold, change the hold, unrevoke.
    held = db.revoke(6, when=T1, reason=6, hold_instruction="1.2.840.10040.2.2")
    assert held.hold_instruction == "1.2.840.10040.2.2" and held.subject is None
    assert db.revoke(6, when=T2, reason=RevocationReason.KEY_COMPROMISE).revocation_time == T2  # hold -> final
    db.revoke(7, reason=6)
    assert db.unrevoke(7).state == "V"
    with pytest.raises(OCSPValueError, match="not in the store"):
        db.unrevoke(8)
    assert db.remove(7) and not db.remove(7) and db.lookup(7) is None
    assert [r.serial_number for r in db] == [5, 6] and len(db) == 2
    # The default revocation time is now, in whole seconds.
    now = db.revoke(9).revocation_time
    assert now is not None and now.microsecond == 0 and abs(now - dt.datetime.now(UTC)) < dt.timedelta(seconds=5)


def test_sqlite_values(db: SQLiteStore) -> None:
    with pytest.raises(OCSPValueError, match="timezone-aware"):
        db.add(1, not_after=dt.datetime(2030, 1, 1))
    with pytest.raises(OCSPValueError):
        db.revoke(1, when=dt.datetime(2030, 1, 1))
    paris = dt.timezone(dt.timedelta(hours=2))
    record = db.revoke(1, when=dt.datetime(2024, 5, 1, 14, 0, 0, 999999, tzinfo=paris))
    assert record.revocation_time == T1 and db.lookup(1) == record
    with pytest.raises(OCSPValueError, match="certificateHold only"):
        db.revoke(2, reason=1, hold_instruction="1.2.3")
    with pytest.raises(OCSPValueError, match="not a dotted OID"):
        db.revoke(2, reason=6, hold_instruction="holdInstructionNone")
    with pytest.raises(OCSPValueError, match="not a CRLReason"):
        db.revoke(2, reason=7)
    with pytest.raises(TypeError):
        db.lookup("1")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        db.add(True)
    assert db.lookup(2) is None  # nothing half-written
    with pytest.raises(OCSPValueError):
        SQLiteStore(":memory:")
    with pytest.raises(OCSPValueError):
        SQLiteStore("x.db", issuer="")


@pytest.mark.parametrize("serial", [0, 1, -1, 2**159 + 1, 2**160 - 1, -(2**159), 2**400 + 12345, -0x80])
def test_sqlite_serials(db: SQLiteStore, serial: int) -> None:
    db.add(serial, subject=str(serial))
    db.add(serial + 1)
    assert db.lookup(serial) == CertificateRecord(serial, "V", subject=str(serial))
    assert db.lookup(-serial if serial else 7) is None or serial == 0 or -serial == serial + 1
    assert [r.serial_number for r in db] == sorted([serial, serial + 1])
    assert db.revoke(serial, when=T1).revoked and db.remove(serial)


def test_sqlite_two_issuers(tmp_path: Path) -> None:
    path = tmp_path / "ocsp.db"
    with SQLiteStore(path, issuer="root") as root, SQLiteStore(path, issuer="intermediate") as inter:
        root.add(10, subject="/CN=root-issued")
        inter.revoke(10, when=T1, reason=1)
        before = root.generation
        inter.add(11)
        assert root.generation == before  # another issuer's change leaves this one's answers alone
        assert root.lookup(10).state == "V" and inter.lookup(10).state == "R"  # type: ignore[union-attr]
        assert root.lookup(11) is None and len(inter) == 2
        assert root.issuers() == ["intermediate", "root"]


def test_sqlite_generation_sees_other_writers(tmp_path: Path) -> None:
    path = tmp_path / "ocsp.db"
    responder = SQLiteStore(path)
    admin_store = SQLiteStore(path)
    try:
        responder.add(1)
        g0 = responder.generation
        assert responder.generation == g0  # stable while nothing changes
        admin_store.revoke(1, when=T1)  # another connection
        g1 = responder.generation
        assert g1 != g0 and responder.lookup(1).state == "R"  # type: ignore[union-attr]
        # A plain sqlite3 connection (the triggers move the counter).
        raw = sqlite3.connect(path, isolation_level=None)
        raw.execute("UPDATE certificates SET subject = 'x' WHERE serial = '1'")
        raw.close()
        g2 = responder.generation
        assert g2 not in (g0, g1) and responder.lookup(1).subject == "x"  # type: ignore[union-attr]
        # Another process, as the CLI while the server runs.
        code = ("import sys; from ocspkit.responder.sqlite import SQLiteStore; "
                "s = SQLiteStore(sys.argv[1]); s.revoke(2, reason=1); s.close()")
        result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60,
                                check=False)
        assert result.returncode == 0, result.stderr
        assert responder.generation not in (g0, g1, g2)
        assert responder.lookup(2).revocation_reason == RevocationReason.KEY_COMPROMISE  # type: ignore[union-attr]
        # Its own writes, from another thread of the same store.
        g3 = responder.generation
        worker = threading.Thread(target=lambda: responder.add(3))
        worker.start()
        worker.join()
        assert responder.generation != g3
    finally:
        responder.close()
        admin_store.close()


def test_sqlite_locked(tmp_path: Path) -> None:
    path = tmp_path / "ocsp.db"
    with SQLiteStore(path) as store:
        store.add(1)
    # A writer holding the lock: writes time out (retryable); reads go on (WAL).
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    with SQLiteStore(path, busy_timeout=0.1) as store:
        assert store.lookup(1) is not None
        with pytest.raises(StoreError, match="locked") as info:
            store.revoke(1)
        assert info.value.retryable
    holder.execute("ROLLBACK")
    # A connection in exclusive locking mode keeps everyone out, readers too.
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE certificates SET subject = 'held'")
    holder.execute("COMMIT")
    with SQLiteStore(path, busy_timeout=0.1) as store:
        actions: List[Any] = [lambda: store.lookup(1), lambda: store.generation]
        for action in actions:
            with pytest.raises(StoreError) as info:
                action()
            assert info.value.retryable
    holder.close()
    with SQLiteStore(path) as store:
        assert store.lookup(1).subject == "held"  # type: ignore[union-attr]


def test_sqlite_bad_files(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    with SQLiteStore(garbage) as store, pytest.raises(StoreError, match="not a database") as info:
        store.lookup(1)
    assert not info.value.retryable
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with SQLiteStore(other) as store, pytest.raises(StoreError, match="not an ocspkit store"):
        store.lookup(1)
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with SQLiteStore(newer) as store, pytest.raises(StoreError, match="schema version 99 is newer"):
        store.lookup(1)
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with SQLiteStore(foreign) as store, pytest.raises(StoreError, match="another application's database"):
        store.lookup(1)
    with SQLiteStore(tmp_path / "missing.db", create=False) as store, pytest.raises(StoreError) as info:
        store.lookup(1)
    assert not (tmp_path / "missing.db").exists()
    # A record that cannot be read back.
    path = tmp_path / "ocsp.db"
    with SQLiteStore(path) as store:
        store.add(1)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO certificates (issuer, serial, state) VALUES ('default', 'XYZ', 'V')")
    conn.execute("INSERT INTO certificates (issuer, serial, state, reason) VALUES ('default', '2', 'R', 1)")
    conn.commit()
    conn.close()
    with SQLiteStore(path) as store:
        assert store.lookup(1) is not None
        with pytest.raises(StoreError, match="corrupt store"):
            store.lookup(2)
        with pytest.raises(StoreError, match="corrupt store"):
            list(store)
    store = SQLiteStore(path)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.lookup(1)


def test_sqlite_schema(tmp_path: Path) -> None:
    path = tmp_path / "ocsp.db"
    with SQLiteStore(path) as store:
        store.add(1)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchall() == [(1,)]
    assert conn.execute("PRAGMA journal_mode").fetchall() == [("wal",)]
    assert conn.execute("SELECT serial FROM certificates").fetchall() == [("1",)]
    conn.close()


def test_sqlite_threads(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "ocsp.db")
    for i in range(20):
        store.add(i)
    seen: List[int] = []
    lock = threading.Lock()

    def work(offset: int) -> None:
        found = sum(1 for i in range(20) if store.lookup(i) is not None)
        store.revoke(100 + offset, reason=1)
        with lock:
            seen.append(found)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [20] * 8 and len(store) == 28
    assert len(store._connections) <= 9  # dead threads' connections are closed as new ones come
    store.close()
    assert store._connections == {}


def test_sqlite_transaction_is_all_or_nothing(db: SQLiteStore) -> None:
    db.revoke(1, reason=1)
    with pytest.raises(OCSPValueError), db.transaction():
        db.add(2)
        db.revoke(1, reason=3)  # refused: keyCompromise is final
    assert db.lookup(2) is None


def test_import_index(tmp_path: Path, db: SQLiteStore) -> None:
    path = tmp_path / "index.txt"
    write(path, row("V", "", "10") + row("R", "230102030405Z,keyTime,20200101000000Z", "11")
          + row("R", "230102030405Z,bogus", "12") + row("R", "notatime", "13") + row("V", "", "0e")
          + row("E", "", "15") + row("Q", "", "16"))
    index = IndexTxtStore(path)
    report = db.import_index(path)
    assert (report.added, report.replaced, report.unchanged) == (5, 0, 0)
    assert report.skipped == ("line 4: invalid revocation date notatime (openssl answers internalError)",
                              "line 5: serial number 0e can never match (not upper-case hex)")
    assert report.notes == ("line 3: invalid reason code bogus (imported revoked without a reason)",
                            "line 7: type 'Q' imported as E")
    # The store answers as the index does.
    for serial in (0x10, 0x11, 0x12, 0x15, 0x16, 0x0E, 0x99):
        assert db.lookup(serial) == index.lookup(serial)
    assert db.import_index(index).unchanged == 5
    # A conflict: the index would make a revoked certificate good.
    db.revoke(0x10, when=T1, reason=1)
    with pytest.raises(OCSPValueError, match="replace=True"):
        db.import_index(path)
    assert db.lookup(0x10).revoked  # type: ignore[union-attr]
    assert db.import_index(read_index(path), replace=True).replaced == 1
    assert db.lookup(0x10) == index.lookup(0x10)
    with pytest.raises(StoreError, match="Problem with index file"):
        db.import_index(parse_index("V\n"))
    with pytest.raises(StoreError):
        db.import_index(IndexTxtStore(tmp_path / "missing"))


def test_import_certificate(db: SQLiteStore) -> None:
    pki = TestPKI(key_algorithm="ec")
    leaf = pki.issue_leaf("leaf.example")
    record = db.import_certificate(leaf.cert_pem)
    assert record == CertificateRecord(leaf.serial_number, "V", not_after=pki.not_after.replace(microsecond=0),
                                       subject="/CN=leaf.example")
    db.revoke(leaf.serial_number, when=T1, reason=1)
    again = db.import_certificate(leaf.certificate)
    assert again.revoked and again.subject == "/CN=leaf.example"  # its state stays
    assert certificate_subject(pki.intermediate.certificate) == "/CN=ocspkit Test Intermediate CA"


# ------------------------------------------------------------------------------------------------
# The admin commands


def run_store(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> Tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="ocspkit")
    add_store_commands(parser.add_subparsers(dest="command", metavar="COMMAND"))
    ns = parser.parse_args(["store", *argv])
    status = ns.func(ns)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def pki_files(tmp_path: Path) -> Dict[str, Any]:
    pki = TestPKI(key_algorithm="ec")
    good, bad = pki.issue_leaf("good.example"), pki.issue_leaf("bad.example")
    (tmp_path / "good.pem").write_bytes(good.cert_pem)
    (tmp_path / "bad.der").write_bytes(bad.cert_der)
    return {"pki": pki, "good": good, "bad": bad}


def test_admin_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str], pki_files: Dict[str, Any]) -> None:
    good, bad = pki_files["good"], pki_files["bad"]
    dbf = str(tmp_path / "ocsp.db")
    common = ["--db", dbf]
    g, b = serial_text(good.serial_number), serial_text(bad.serial_number)

    assert run_store(["add", *common, str(tmp_path / "good.pem")], capsys) == (0, f"added {g} /CN=good.example\n", "")
    assert run_store(["add", *common, "0x10", "-5", "--subject", "/CN=n", "--not-after", "20300101000000Z"],
                     capsys) == (0, "added 0x10 /CN=n\nadded -0x05 /CN=n\n", "")
    with pytest.raises(OCSPValueError, match="a certificate brings its own"):
        run_store(["add", *common, str(tmp_path / "good.pem"), "--subject", "/CN=x"], capsys)
    with pytest.raises(OCSPValueError, match="already in the store"):
        run_store(["add", *common, "16"], capsys)

    status, out, _ = run_store(["revoke", *common, str(tmp_path / "bad.der"), "--reason", "keyTime",
                                "--invalidity-date", "2024-04-30T00:00:00+02:00", "--time", "240501120000Z"], capsys)
    assert (status, out) == (0, f"added and revoked {b} /CN=bad.example (keyCompromise) at 2024-05-01T12:00:00Z\n")
    status, out, _ = run_store(["revoke", *common, "16", "--reason", "holdInstruction", "--hold-instruction",
                                "holdInstructionReject", "--time", "2024-05-01T12:00:00Z"], capsys)
    assert out == "revoked 0x10 /CN=n (certificateHold) at 2024-05-01T12:00:00Z\n"
    status, out, _ = run_store(["revoke", *common, "--reason", "9", "--time", "2024-06-01T00:00:00Z", "--", "-0x5"],
                               capsys)  # "-0x5" looks like an option to argparse: after "--"
    assert out == "revoked -0x05 /CN=n (privilegeWithdrawn) at 2024-06-01T00:00:00Z\n"

    store = SQLiteStore(dbf)
    compromised = store.lookup(bad.serial_number)
    assert compromised is not None and compromised.invalidity_date == dt.datetime(2024, 4, 29, 22, tzinfo=UTC)
    assert compromised.subject == "/CN=bad.example" and compromised.not_after is not None
    assert store.lookup(16).hold_instruction == "1.2.840.10040.2.3"  # type: ignore[union-attr]
    store.close()

    # The list, as a table and as JSON.
    status, out, _ = run_store(["list", *common], capsys)
    assert len(g) == len(b) == 6  # TestPKI serials from 1000 (0x03E8) on
    assert out.splitlines() == [
        "SERIAL  STATE    REVOKED               REASON              SUBJECT",
        "-0x05   revoked  2024-06-01T00:00:00Z  privilegeWithdrawn  /CN=n",
        "0x10    revoked  2024-05-01T12:00:00Z  certificateHold     /CN=n",
        f"{g}  valid    -                     -                   /CN=good.example",
        f"{b}  revoked  2024-05-01T12:00:00Z  keyCompromise       /CN=bad.example",
    ]
    status, out, _ = run_store(["list", *common, "--json", "--state", "valid"], capsys)
    assert json.loads(out) == [{"serial": g, "state": "valid", "revocation_time": None, "reason": None,
                                "invalidity_date": None, "hold_instruction": None,
                                "not_after": good.certificate["tbs_certificate"]["validity"]["not_after"].native
                                .strftime("%Y-%m-%dT%H:%M:%SZ"), "subject": "/CN=good.example"}]

    # Unrevoke: a hold only, unless --force; all or nothing.
    with pytest.raises(OCSPValueError, match="only certificateHold can be undone"):
        run_store(["unrevoke", *common, "16", str(tmp_path / "bad.der")], capsys)
    with SQLiteStore(dbf) as store:
        assert store.lookup(16).revoked  # type: ignore[union-attr]
    assert run_store(["unrevoke", *common, "16"], capsys) == (0, "unrevoked 0x10 /CN=n\n", "")
    assert run_store(["unrevoke", *common, "--force", str(tmp_path / "bad.der")], capsys)[1] == \
        f"unrevoked {b} /CN=bad.example\n"
    assert run_store(["remove", *common, "0x10", "-5"], capsys) == (0, "removed 0x10\nremoved -0x05\n", "")
    with pytest.raises(OCSPValueError, match="not in the store"):
        run_store(["remove", *common, "16"], capsys)


def _records(dbf: str) -> Dict[int, Tuple[str, Optional[RevocationReason]]]:
    with SQLiteStore(dbf) as store:
        return {r.serial_number: (r.state, r.revocation_reason) for r in store}


def test_store_commands_never_change_the_wrong_certificate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One serial syntax (decimal, or hex after 0x) in, 0x-hex out, and no change to a serial the
    store does not hold unless asked: '1000' once revoked 0x03E8 while 0x1000 stayed good."""
    dbf = str(tmp_path / "ocsp.db")
    common = ["--db", dbf]
    run_store(["add", *common, "0x1000", "0x2000", "--subject", "/CN=x"], capsys)
    before = _records(dbf)
    assert before == {0x1000: ("V", None), 0x2000: ("V", None)}

    # What list prints is what the commands take.
    listed = [line.split()[0] for line in run_store(["list", *common], capsys)[1].splitlines()[1:]]
    assert listed == ["0x1000", "0x2000"]
    assert json.loads(run_store(["list", *common, "--json"], capsys)[1])[0]["serial"] == "0x1000"

    # index.txt's way (hex without 0x) is read as decimal by openssl's rule, names no record, and
    # the refusal says which record the operator probably meant. Nothing changes, nothing is made.
    for action in (["revoke", "--reason", "keyCompromise"], ["unrevoke", "--force"], ["remove"]):
        with pytest.raises(OCSPValueError) as info:
            run_store([action[0], *common, *action[1:], "1000"], capsys)
        assert "serial number 0x03E8 (1000 in decimal) is not in the store" in str(info.value)
        assert "Hex serials take 0x: 0x1000 is in the store" in str(info.value)
        assert _records(dbf) == before
    # Hex letters without 0x are not a serial number at all.
    with pytest.raises(OCSPValueError, match=r"hex takes 0x: 0x1A2B"):
        run_store(["revoke", *common, "1A2B"], capsys)
    # All or nothing: one unknown serial refuses the whole command.
    with pytest.raises(OCSPValueError, match="not in the store; give --add"):
        run_store(["revoke", *common, "0x1000", "0x3000"], capsys)
    assert _records(dbf) == before

    # The listed spelling revokes the intended certificate, and says so.
    status, out, _ = run_store(["revoke", *common, listed[0], "--reason", "keyCompromise", "--time", "now"], capsys)
    assert status == 0 and out.startswith("revoked 0x1000 /CN=x (keyCompromise) at ")
    assert _records(dbf)[0x1000] == ("R", RevocationReason.KEY_COMPROMISE)
    # A serial the store never saw is recorded only when asked, and the report says it was added.
    status, out, _ = run_store(["revoke", *common, "1000", "--add"], capsys)
    assert out.startswith("added and revoked 0x03E8 (no reason) at ")
    assert _records(dbf) == {0x1000: ("R", RevocationReason.KEY_COMPROMISE), 0x2000: ("V", None),
                             0x03E8: ("R", None)}
    # Decimal and 0x-hex name the same record everywhere.
    assert run_store(["remove", *common, str(0x2000)], capsys)[1] == "removed 0x2000\n"

    # Every command that takes a serial states the syntax in its help.
    parser = argparse.ArgumentParser(prog="ocspkit")
    add_store_commands(parser.add_subparsers(dest="command"))
    for action in ("add", "revoke", "unrevoke", "remove"):
        with pytest.raises(SystemExit):
            parser.parse_args(["store", action, "--help"])
        assert "hex after 0x" in " ".join(capsys.readouterr().out.split())


def test_one_serial_syntax_across_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """openssl ocsp -serial, 'request --serial' and the store commands read serials alike."""
    from ocspkit import cli

    assert admin.parse_serial("0x03E8") == admin.parse_serial("1000") == 1000
    for spelling in ("1000", "0x03E8", "0X3e8"):
        out = tmp_path / f"{spelling}.der"
        assert cli.main(["request", "--issuer", str(_issuer_file(tmp_path)), "--serial", spelling, "--no-nonce",
                         "-o", str(out)]) == 0
        assert load_request(out.read_bytes()).cert_ids[0].serial_number == 1000
    capsys.readouterr()
    for argv in (["request", "--issuer", str(_issuer_file(tmp_path)), "--serial", "3E8"],
                 ["-issuer", str(_issuer_file(tmp_path)), "-serial", "3E8"]):
        assert cli.main(argv) != 0
        assert "Error converting serial number 3E8" in capsys.readouterr().err
    # A decimal longer than Python's int-to-str limit is refused, not a traceback.
    with pytest.raises(OCSPValueError, match="too many digits"):
        admin.parse_serial("9" * 5000)


def _issuer_file(directory: Path) -> Path:
    path = directory / "issuer.pem"
    if not path.exists():
        path.write_bytes(TestPKI().intermediate.cert_pem)
    return path


def test_admin_import(tmp_path: Path, capsys: pytest.CaptureFixture[str], pki_files: Dict[str, Any]) -> None:
    dbf = str(tmp_path / "ocsp.db")
    index = tmp_path / "index.txt"
    write(index, row("V", "", "10") + row("R", "230102030405Z,superseded", "11") + row("R", "230102030405Z,x", "12"))
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(pki_files["good"].cert_pem + pki_files["bad"].cert_pem)
    status, out, err = run_store(["import", "--db", dbf, "--issuer", "ca2", str(index), str(bundle),
                                  str(tmp_path / "bad.der")], capsys)
    assert status == 0
    assert out == (f"{index}: 3 added, 0 replaced, 0 unchanged, 0 skipped\n{bundle}: 2 added, 0 updated\n"
                   f"{tmp_path / 'bad.der'}: 0 added, 1 updated\n")
    assert err == f"warning: {index}: line 3: invalid reason code x (imported revoked without a reason)\n"
    with SQLiteStore(dbf, issuer="ca2") as store:
        assert len(store) == 5
        assert store.lookup(0x11).revocation_reason == RevocationReason.SUPERSEDED  # type: ignore[union-attr]
    with SQLiteStore(dbf) as store:
        assert len(store) == 0  # another issuer
    with pytest.raises(OCSPValueError, match="not a certificate file"):
        run_store(["import", "--db", dbf, "--format", "cert", str(index)], capsys)


def test_admin_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dbf = str(tmp_path / "ocsp.db")
    with pytest.raises(OCSPValueError, match="no such store"):
        run_store(["list", "--db", dbf], capsys)
    with pytest.raises(OCSPValueError, match="no such file, and not a serial number"):
        run_store(["add", "--db", dbf, "1F"], capsys)
    with pytest.raises(OCSPValueError, match="unknown revocation reason"):
        run_store(["revoke", "--db", dbf, "1", "--reason", "lost"], capsys)
    with pytest.raises(OCSPValueError, match="needs --invalidity-date"):
        run_store(["revoke", "--db", dbf, "1", "--reason", "CAkeyTime"], capsys)
    with pytest.raises(OCSPValueError, match="needs --hold-instruction"):
        run_store(["revoke", "--db", dbf, "1", "--reason", "holdInstruction"], capsys)
    with pytest.raises(OCSPValueError, match="no time zone"):
        run_store(["revoke", "--db", dbf, "1", "--time", "2024-05-01T12:00:00"], capsys)
    (tmp_path / "junk.pem").write_text("junk")
    with pytest.raises(OCSPValueError, match="not a certificate"):
        run_store(["add", "--db", dbf, str(tmp_path / "junk.pem")], capsys)
    assert not os.path.exists(dbf)  # nothing made for commands that failed


@pytest.mark.parametrize("text,expected", [
    ("keyCompromise", (RevocationReason.KEY_COMPROMISE, None)),
    ("KEY_COMPROMISE", (RevocationReason.KEY_COMPROMISE, None)),
    ("CACompromise", (RevocationReason.CA_COMPROMISE, None)), ("cACompromise", (RevocationReason.CA_COMPROMISE, None)),
    ("aACompromise", (RevocationReason.AA_COMPROMISE, None)), ("8", (RevocationReason.REMOVE_FROM_CRL, None)),
    ("certificate-hold", (RevocationReason.CERTIFICATE_HOLD, None)),
    ("CAkeyTime", (RevocationReason.CA_COMPROMISE, "CAkeyTime")),
    ("holdinstruction", (RevocationReason.CERTIFICATE_HOLD, "holdInstruction")),
])
def test_parse_reason(text: str, expected: Any) -> None:
    assert admin.parse_reason(text) == expected


def test_parse_reason_refuses() -> None:
    for text in ("7", "11", "", "keyCompromised", "٣"):
        with pytest.raises(OCSPValueError):
            admin.parse_reason(text)


def test_parse_time_and_serial() -> None:
    assert admin.parse_time("2024-05-01T14:00:00.250+02:00") == T1
    assert admin.parse_time("20240501120000Z") == admin.parse_time("240501120000Z") == T1
    assert admin.parse_time("now", now=T1) == T1
    for bad in ("2024-05-01", "yesterday", "20240501120000"):
        with pytest.raises(OCSPValueError):
            admin.parse_time(bad)
    assert admin.parse_serial("0x1F") == 31 and admin.parse_serial("-0X1f") == -31 and admin.parse_serial("31") == 31
    for bad in ("0x", "1F", "-", "", "0x-1", "1.0"):
        with pytest.raises(OCSPValueError, match="Error converting serial number"):
            admin.parse_serial(bad)


@pytest.mark.parametrize("action", ["", "add", "revoke", "unrevoke", "remove", "list", "import"])
def test_admin_help(action: str, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="ocspkit")
    add_store_commands(parser.add_subparsers(dest="command"))
    with pytest.raises(SystemExit) as info:
        parser.parse_args(["store", *([action] if action else []), "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: ocspkit store {action}".rstrip())
    if action:
        assert "--db FILE" in out and "--issuer LABEL" in out


def test_admin_fits_the_cli_parser(capsys: pytest.CaptureFixture[str]) -> None:
    """Built on the CLI's parser class, usage errors are its one-line CLIError (exit 2)."""
    from ocspkit import cli
    from ocspkit.cli.options import Parser

    parser = Parser(prog="ocspkit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    store = add_store_commands(sub)
    assert isinstance(store, Parser)
    with pytest.raises(cli.CLIError) as info:
        parser.parse_args(["store"])
    assert info.value.status == 2 and "ACTION" in str(info.value)
    with pytest.raises(cli.CLIError) as info:
        parser.parse_args(["store", "revoke", "1"])
    assert info.value.status == 2 and str(info.value).startswith("store revoke: the following arguments are required")
