"""The command line's messages speak in its options, not in the library's Python words (issue 15,
3.6): verification hints name -CAfile / -verify_other (--CAfile / --verify-other in the
subcommands), the store's name --force / --replace, an RSA-PSS key signs as openssl signs with it,
``show`` says what a file holds, and ``serve`` refuses a missing index in one ``ocspkit:`` line.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Sequence, Tuple

import pytest
from _interop_helpers import index_line

from ocspkit.cli import main
from ocspkit.request import RequestBuilder
from ocspkit.testing import TestPKI, make_scenario

# What a Python caller writes, and no command-line user can: keyword arguments, VerifyFlags names.
PYTHON_WORDS = re.compile(r"\b\w+=(True|False|\.\.\.)|\b(un)?trusted=|\bPARTIAL_CHAIN\b|\bNOEXPLICIT\b|\bpss\b")


def run(args: Sequence[str], capsys: Any) -> Tuple[int, str, str]:
    status = main([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def failure_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("ocspkit: ")]
    assert len(lines) == 1, err
    assert not PYTHON_WORDS.search(lines[0]), lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def pki() -> TestPKI:
    return TestPKI("ec")


@pytest.fixture(scope="module")
def files(pki: TestPKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("messages")
    leaf = pki.issue_leaf("messages.example")
    make_scenario("good", pki, cert=leaf).write(directory / "delegated")  # the responder's cert only
    make_scenario("good", pki, cert=leaf, signer="ca", certs="none").write(directory / "bare")
    make_scenario("unauthorized-signer", pki, cert=leaf).write(directory / "unauthorized")
    return directory


# ------------------------------------------------------------------------------------------------
# Verification hints, in each mode's spelling

VERIFY_CASES = [
    # (scenario, trust file, openssl's words, the subcommands' words)
    ("delegated", "root.pem", "give that CA with -CAfile (trusted) or -verify_other",
     "give that CA with --CAfile (trusted) or --verify-other"),
    ("bare", "root.pem", "(give the responder's certificate with -verify_other)",
     "(give the responder's certificate with --verify-other)"),
    ("delegated", "issuer.pem", "(give its root with -CAfile too, or -partial_chain)",
     "(give its root with --CAfile too, or --partial-chain)"),
]


@pytest.mark.parametrize(("scenario", "trust", "openssl_words", "subcommand_words"), VERIFY_CASES,
                         ids=["issuer-missing", "signer-missing", "trusted-not-self-signed"])
def test_verify_failures_name_the_options(
    files: Path, capsys: Any, scenario: str, trust: str, openssl_words: str, subcommand_words: str
) -> None:
    base = files / scenario
    status, _, err = run(["-respin", base / "response.der", "-CAfile", base / trust, "-no-CApath"], capsys)
    assert status == 1 and "Response Verify Failure" in err
    assert openssl_words in failure_line(err)
    status, _, err = run(["verify", base / "response.der", "--CAfile", base / trust, "--no-default-trust"], capsys)
    assert status == 1 and "Response Verify Failure" in err
    assert subcommand_words in failure_line(err)


def test_no_explicit_is_named_as_the_option(files: Path, capsys: Any) -> None:
    base = files / "unauthorized"
    status, _, err = run(["-respin", base / "response.der", "-CAfile", base / "root.pem", "-no_explicit"], capsys)
    assert status == 1
    assert failure_line(err).endswith("(-no_explicit)")
    status, _, err = run(["verify", base / "response.der", "--CAfile", base / "root.pem", "--no-explicit"], capsys)
    assert status == 1
    assert failure_line(err).endswith("(--no-explicit)")


# ------------------------------------------------------------------------------------------------
# The store: --force and --replace


def test_store_refusals_name_force_and_replace(pki: TestPKI, tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "ocsp.db"
    assert run(["store", "revoke", "--db", db, "--add", "1000", "--reason", "keyCompromise"], capsys)[0] == 0
    status, _, err = run(["store", "revoke", "--db", db, "1000", "--reason", "superseded"], capsys)
    assert status == 1 and "--force changes it anyway" in failure_line(err)
    status, _, err = run(["store", "unrevoke", "--db", db, "1000"], capsys)
    assert status == 1 and "--force does it anyway" in failure_line(err)
    index = tmp_path / "index.txt"
    index.write_text(index_line("V", 1000, pki.not_after, "/CN=valid in the index"), encoding="utf-8")
    status, _, err = run(["store", "import", "--db", db, index], capsys)
    assert status == 1 and "--replace lets the index win" in failure_line(err)
    assert run(["store", "import", "--db", db, "--replace", index], capsys)[0] == 0


# ------------------------------------------------------------------------------------------------
# An RSA-PSS key signs as openssl signs with it


def test_an_rsa_pss_key_signs_with_pss(openssl_bin: str, tmp_path: Path, capsys: Any) -> None:
    subprocess.run([openssl_bin, "req", "-x509", "-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-nodes", "-keyout", "pss.key", "-out", "pss.pem", "-subj", "/CN=PSS signer", "-days", "2"],
                   cwd=tmp_path, check=True, capture_output=True)
    status, _, err = run(["-issuer", tmp_path / "pss.pem", "-serial", "7", "-signer", tmp_path / "pss.pem",
                          "-signkey", tmp_path / "pss.key", "-no_nonce", "-reqout", tmp_path / "req.der"], capsys)
    assert (status, err) == (0, "")
    printed = subprocess.run([openssl_bin, "ocsp", "-reqin", "req.der", "-req_text"], cwd=tmp_path, check=True,
                             capture_output=True, text=True).stdout
    assert "Signature Algorithm: rsassaPss" in printed


# ------------------------------------------------------------------------------------------------
# show: what the file holds


@pytest.fixture(scope="module")
def requests(files: Path, pki: TestPKI) -> Path:
    leaf = pki.issue_leaf("request.example")
    request = RequestBuilder().add_cert(leaf.certificate, pki.intermediate.certificate).build()
    der = request.dump()
    (files / "req.der").write_bytes(der)
    (files / "req.pem").write_text(_pem(der, "OCSP REQUEST"))
    # A request the loaders refuse (its last octet cut): still recognised as a request.
    (files / "short.der").write_bytes(der[:-1])
    (files / "csr.pem").write_text(_pem(der, "CERTIFICATE REQUEST"))
    (files / "empty.der").write_bytes(b"")
    return files


def _pem(der: bytes, label: str) -> str:
    import base64

    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----", ""])


@pytest.mark.parametrize("name", ["req.der", "req.pem"])
def test_show_prints_a_request(requests: Path, capsys: Any, name: str) -> None:
    status, out, err = run(["show", requests / name], capsys)
    assert (status, err) == (0, "")
    assert out.startswith("OCSP Request Data:\n")


@pytest.mark.parametrize(("args", "expected"), [
    (("req.pem", "--type", "response"), "req.pem holds an OCSP request, not an OCSP response (--type auto"),
    (("delegated/response.der", "--type", "request"), "response.der holds an OCSP response, not an OCSP request"),
    (("short.der",), "ocspkit: Error reading OCSP request from "),
    (("csr.pem",), "csr.pem holds a PEM block labelled 'CERTIFICATE REQUEST' (expected OCSP REQUEST or OCSP "
                   "RESPONSE)"),
    (("empty.der",), "empty.der is empty"),
], ids=["request-as-response", "response-as-request", "broken-request", "other-pem", "empty"])
def test_show_says_what_the_file_holds(requests: Path, capsys: Any, args: Sequence[str], expected: str) -> None:
    status, _, err = run(["show", requests / args[0], *args[1:]], capsys)
    assert status == 1
    line = failure_line(err)
    assert expected in line
    assert "expected OCSP RESPONSE" not in line or "OCSP REQUEST or" in line


def test_empty_input_article(requests: Path, capsys: Any) -> None:
    status, _, err = run(["-respin", requests / "empty.der", "-resp_text", "-noverify"], capsys)
    assert status == 1
    assert "empty input where an OCSPResponse was expected" in failure_line(err)
    status, _, err = run(["-reqin", requests / "empty.der", "-req_text"], capsys)
    assert status == 1
    assert "empty input where an OCSPRequest was expected" in failure_line(err)


# ------------------------------------------------------------------------------------------------
# serve: a missing index is one line


def test_serve_refuses_a_missing_index_in_one_line(pki: TestPKI, tmp_path: Path) -> None:
    paths = pki.write(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "ocspkit", "serve", "--index", "nosuch.txt", "--ca", str(paths.intermediate),
         "--rsigner", str(paths.responder), "--rkey", str(paths.responder_key), "--port", "0"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "ocspkit: Can't open \"nosuch.txt\" for reading (index file): No such file or directory"]
