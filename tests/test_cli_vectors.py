"""``ocspkit -reqin F -req_text`` / ``ocspkit -respin F -resp_text -noverify`` against openssl,
run live, on every request and response of ../shared/vectors.

For each file: ``openssl ocsp ARGS`` and ``ocspkit.cli.main(ARGS)`` (in-process) give the same
exit status and the same stdout, line for line: the OCSP part, each embedded certificate and its
PEM block, but for the deliberate differences of ``docs/text.md`` (matched exactly by
``test_text.compare``). That holds where openssl reads the file and prints it; where it prints
``Responder Error: ...`` and stops (exit 1), also with ``-ignore_err`` (then the text, then
"Error parsing response"); and where it cannot read the file (nothing, or the part printed before
the BasicOCSPResponse failed to decode, then exit 1). openssl's plain stderr line ("Error reading
OCSP response", "Error parsing response") is the start of ocspkit's one ``ocspkit: ...`` line.
A handful also run as ``python -m ocspkit`` subprocesses.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

import pytest
from conftest import manifest_entries, vectors_dir
from test_text import PEM_BLOCK, compare, ocsp_part

from ocspkit import cli

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 30.0
# One line of OpenSSL's error queue ("4057...:error:13800065:OCSP routines:...").
OPENSSL_ERROR = re.compile(r"^[0-9A-F]+:error:[0-9A-F]+:")
RESPONDER_ERROR = re.compile(r"^Responder Error: .* \(-?\d+\)\n")

VECTORS = manifest_entries("ocsp-request", "ocsp-response")
IDS = [e["file"] for e in VECTORS]


def args_for(entry: Dict[str, Any], *extra: str) -> List[str]:
    path = str(vectors_dir() / entry["file"])
    if entry["kind"] == "ocsp-request":
        return ["-reqin", path, "-req_text", *extra]
    return ["-respin", path, "-resp_text", "-noverify", *extra]


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def run_openssl(openssl_bin: str, args: Sequence[str]) -> Tuple[int, str, str]:
    done = subprocess.run([openssl_bin, "ocsp", *args], capture_output=True, timeout=TIMEOUT, check=False)
    return done.returncode, decode(done.stdout), decode(done.stderr)


def run_inprocess(args: Sequence[str], capsys: Any) -> Tuple[int, str, str]:
    capsys.readouterr()
    rc = cli.main(list(args))
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def run_subprocess(args: Sequence[str]) -> Tuple[int, str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "ocspkit", *args], capture_output=True, timeout=TIMEOUT, check=False, env=env
    )
    return done.returncode, decode(done.stdout), decode(done.stderr)


def same_stdout(theirs: str, ours: str) -> None:
    """Line for line, but for the documented deliberate differences: the OCSP part, the PEM
    blocks, and the certificates' text."""
    head = ocsp_part(theirs)
    compare(head, ocsp_part(ours))
    assert PEM_BLOCK.findall(ours) == PEM_BLOCK.findall(theirs)
    compare(theirs[len(head) :], ours[len(ocsp_part(ours)) :])


def same_stderr(theirs: str, ours: str, rc: int) -> None:
    """openssl's plain lines; its error queue is ocspkit's one ``ocspkit: ...`` line."""
    plain = [line for line in theirs.splitlines() if not OPENSSL_ERROR.match(line)]
    if rc == 0 or not plain:
        assert ours == "" and plain == []
        return
    assert plain == [plain[0]], theirs  # one line, e.g. "Error parsing response"
    lines = ours.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ocspkit: {plain[0]}"), ours


def check(theirs: Tuple[int, str, str], ours: Tuple[int, str, str]) -> None:
    detail = f"\nopenssl rc={theirs[0]}\n{theirs[1]}{theirs[2]}\nocspkit rc={ours[0]}\n{ours[1]}{ours[2]}"
    assert ours[0] == theirs[0], detail
    same_stdout(theirs[1], ours[1])
    same_stderr(theirs[2], ours[2], theirs[0])


def test_vectors_are_there() -> None:
    kinds = [entry["kind"] for entry in VECTORS]
    assert kinds.count("ocsp-request") >= 20 and kinds.count("ocsp-response") >= 80


@pytest.mark.parametrize("entry", VECTORS, ids=IDS)
def test_vector_cli_matches_openssl(entry: Dict[str, Any], openssl_bin: str, capsys: Any) -> None:
    args = args_for(entry)
    theirs = run_openssl(openssl_bin, args)
    assert theirs[0] == entry["openssl_observed"]["openssl_rc"]
    check(theirs, run_inprocess(args, capsys))


UNSUCCESSFUL = [
    e for e in VECTORS if e["kind"] == "ocsp-response" and e["openssl_observed"].get("openssl_parse") == "ok"
    and (e["openssl_observed"].get("response_status") or {}).get("code", 0) != 0
]


def test_unsuccessful_vectors_are_there() -> None:
    codes = {e["openssl_observed"]["response_status"]["code"] for e in UNSUCCESSFUL}
    assert {1, 2, 3, 5, 6} <= codes and codes - {1, 2, 3, 5, 6}, "and statuses RFC 6960 does not define"


@pytest.mark.parametrize("entry", UNSUCCESSFUL, ids=[e["file"] for e in UNSUCCESSFUL])
def test_unsuccessful_with_ignore_err(entry: Dict[str, Any], openssl_bin: str, capsys: Any) -> None:
    """-ignore_err: the Responder Error line, the text, then "Error parsing response" (exit 1)."""
    args = args_for(entry, "-ignore_err")
    theirs = run_openssl(openssl_bin, args)
    assert theirs[0] == 1 and RESPONDER_ERROR.match(theirs[1]) and "OCSP Response Data:" in theirs[1]
    check(theirs, run_inprocess(args, capsys))


# The files the loaders and openssl disagree about, and two ordinary ones.
SUBPROCESS_FILES = [
    "cryptography/req-invalid-version.der",  # v2: openssl prints it (exit 0)
    "cryptography/resp-invalid-version.der",
    "go/ocspResponseWithCriticalExtension.der",  # unknown critical extension: printed (exit 0)
    "cryptography/resp-unknown-response-status.der",  # Responder Error: (UNKNOWN) (7), exit 1
    "boringssl/ocsp_unittest/good_response_invalid_serial.resp.der",  # illegal padding: exit 1
    "boringssl/ocsp_unittest/request-invalid-serial.der",
    "boringssl/ocsp_unittest/bad_ocsp_type.resp.der",  # not basic: text, then exit 1
]
SUBPROCESS = [e for e in VECTORS if e["file"] in SUBPROCESS_FILES]
SUBPROCESS += [next(e for e in VECTORS if e["kind"] == kind and e["openssl_observed"]["openssl_rc"] == 0
                    and e not in SUBPROCESS) for kind in ("ocsp-request", "ocsp-response")]


def test_subprocess_selection() -> None:
    assert len(SUBPROCESS) == len(SUBPROCESS_FILES) + 2


@pytest.mark.parametrize("entry", SUBPROCESS, ids=[e["file"] for e in SUBPROCESS])
def test_vector_cli_subprocess(entry: Dict[str, Any], openssl_bin: str) -> None:
    """``python -m ocspkit ocsp ARGS`` in a real process, bytes on a real stdout."""
    args = args_for(entry)
    check(run_openssl(openssl_bin, args), run_subprocess(["ocsp", *args]))


def test_cases_named_in_the_issue(openssl_bin: str, capsys: Any) -> None:
    """The vectors the CLI used to get wrong, with what each now prints."""
    by_file = {e["file"]: e for e in VECTORS}
    expected = {
        "go/ocspResponseWithCriticalExtension.der": (0, "OCSP Response Data:\n"),
        "boringssl/ocsp_unittest/has_critical_single_extension.resp.der": (0, "OCSP Response Data:\n"),
        "boringssl/ocsp_unittest/has_critical_response_extension.resp.der": (0, "OCSP Response Data:\n"),
        "cryptography/req-invalid-version.der": (0, "OCSP Request Data:\n    Version: 2 (0x1)\n"),
        "cryptography/resp-invalid-version.der": (0, "OCSP Response Data:\n"),
        "cryptography/resp-unknown-response-status.der": (1, "Responder Error: (UNKNOWN) (7)\n"),
        "boringssl/ocsp_unittest/bad_status.resp.der": (1, "Responder Error: (UNKNOWN) (17)\n"),
        "boringssl/ocsp_unittest/good_response_invalid_serial.resp.der": (
            1, "OCSP Response Data:\n    OCSP Response Status: successful (0x0)\n"
               "    Response Type: Basic OCSP Response"),
        "boringssl/ocsp_unittest/request-invalid-serial.der": (1, ""),
    }
    for name, (rc, start) in expected.items():
        ours = run_inprocess(args_for(by_file[name]), capsys)
        assert ours[0] == rc and ours[1].startswith(start), (name, ours)
        if rc == 1 and not start.startswith("Responder Error"):
            assert ours[1] == start  # nothing after what openssl prints before it gives up
            assert "Error" in ours[2]
        if name.endswith("resp-invalid-version.der"):
            assert "    Version: 2 (0x1)\n" in ours[1]


# responseStatus encodings: what d2i_OCSP_RESPONSE refuses (illegal padding, empty), and values
# apps/ocsp.c sees through ASN1_ENUMERATED_get and an int (-1 beyond a long, 2^32 taken as 0).
STATUSES = [
    "00", "07", "ff", "80", "0080", "ff7f", "ff0000", "7fffffff", "80000001", "0080000000", "0100000000",
    "008000000000000000", "010000000000000000", "ff7fffffffffffffff",  # outside a C long
    "", "0000", "0001", "ff80", "ff8000",  # refused
]


@pytest.mark.parametrize("status", STATUSES)
def test_response_status_encodings(status: str, openssl_bin: str, tmp_path: Path, capsys: Any) -> None:
    contents = bytes.fromhex(status)
    path = tmp_path / "status.der"
    path.write_bytes(bytes([0x30, len(contents) + 2, 0x0A, len(contents)]) + contents)
    args = ["-respin", str(path), "-resp_text", "-noverify"]
    theirs = run_openssl(openssl_bin, args)
    assert theirs[0] == 1
    check(theirs, run_inprocess(args, capsys))


def test_what_ocspkit_only_prints(openssl_bin: str, capsys: Any) -> None:
    """Files openssl reads and ocspkit's loaders refuse are printed, but verifying them, reading
    their statuses or changing them fails with one line (a documented difference)."""
    critical = str(vectors_dir() / "go/ocspResponseWithCriticalExtension.der")
    v2_request = str(vectors_dir() / "cryptography/req-invalid-version.der")
    for args, message in (
        (["-respin", critical, "-no-CAfile", "-no-CApath", "-no_cert_verify", "-no_signature_verify"],
         "Cannot verify this response or read its statuses (ocspkit only prints it): unrecognised critical"),
        (["-reqin", v2_request, "-nonce", "-req_text"],
         "Cannot use the OCSP request from"),
    ):
        assert run_openssl(openssl_bin, args)[0] == 0
        rc, out, err = run_inprocess(args, capsys)
        assert rc == 1 and out == "", (out, err)
        assert err.startswith(f"ocspkit: {message}") and len(err.splitlines()) == 1, err


def test_reqin_copy_of_what_ocspkit_only_prints(openssl_bin: str, tmp_path: Path, capsys: Any) -> None:
    """-reqout copies a -reqin request as read (openssl re-encodes it: the same for DER)."""
    source = vectors_dir() / "cryptography/req-invalid-version.der"
    assert run_openssl(openssl_bin, ["-reqin", str(source), "-reqout", str(tmp_path / "theirs.der")])[0] == 0
    assert run_inprocess(["-reqin", str(source), "-reqout", str(tmp_path / "ours.der")], capsys)[0] == 0
    assert (tmp_path / "ours.der").read_bytes() == (tmp_path / "theirs.der").read_bytes() == source.read_bytes()
