"""The ocspkit command line against ``openssl ocsp``.

1. A table of ``openssl ocsp`` command lines (building requests, checking responses, offline
   signing from an index, and error paths) runs twice on the same input files, in two
   directories: ``openssl ocsp ARGS`` and ``ocspkit ARGS`` (in-process through ``main(argv)``;
   some also as ``python -m ocspkit`` subprocesses). Exit status, stdout and stderr must match
   (openssl's error-queue lines and ocspkit's ``ocspkit: ...`` detail lines compare as one
   ``<ERROR>`` line; times only where the two sides sign at different moments), and so must the
   files written: requests byte for byte when there is no nonce; responses must be accepted by
   ``openssl ocsp -respin`` with the same statuses, and equal openssl's apart from times and
   signature bytes.
2. The openssl-compatible mode against a running ``openssl ocsp -port 0`` responder (-url,
   -host/-path, -header, -timeout), and the ``send`` subcommand.
3. The subcommands: each --help, request/verify/sign/show/serve, and their error paths (one line
   on stderr, non-zero exit).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import pytest
from _interop_helpers import index_line
from _openssl_cli import OpenSSLResponder, run
from conftest import read_vector

import ocspkit
from ocspkit import CertID, ResponseBuilder, cli, crypto, load_request, load_response
from ocspkit.cli import _common, show, summary
from ocspkit.cli.engine import Ocsp
from ocspkit.testing import TestPKI

ROOT = Path(__file__).resolve().parent.parent
UTC = dt.timezone.utc
TIME = re.compile(r"[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? \d{4} GMT")
GENERALIZED_TIME = re.compile(rb"\x18\x0f\d{14}Z")
# One line of OpenSSL's error queue ("4057...:error:13800065:OCSP routines:...").
OPENSSL_ERROR = re.compile(r"^[0-9A-F]+:error:[0-9A-F]+:")
# A line of the signature value in -resp_text ("        87:d9:a8:...").
SIGNATURE_HEX = re.compile(r"^ {8}(?:[0-9a-f]{2}:)*[0-9a-f]{2}:?$")
SUBCOMMANDS = ("request", "send", "check", "show", "verify", "sign", "serve")

# ------------------------------------------------------------------------------------------------
# The inputs: a test PKI as files, an index.txt, requests and responses made by the openssl CLI


@dataclasses.dataclass
class Inputs:
    dir: Path
    pki: TestPKI
    serials: Dict[str, int]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, openssl_bin: str) -> Inputs:
    d = tmp_path_factory.mktemp("cli-inputs")
    pki = TestPKI()
    good = pki.issue_leaf("good.example")
    rev = pki.issue_leaf("revoked.example")
    held = pki.issue_leaf("held.example")
    client = pki.issue_leaf("client.example")
    files = {
        "root.pem": pki.root.cert_pem,
        "ca.pem": pki.intermediate.cert_pem,
        "ca.key": pki.intermediate.key_pem,
        "r.pem": pki.responder.cert_pem,
        "r.key": pki.responder.key_pem,
        "rboth.pem": pki.responder.cert_pem + pki.responder.key_pem,
        "rchain.pem": pki.responder.cert_pem + pki.intermediate.cert_pem,
        "good.pem": good.cert_pem,
        "good.der": good.cert_der,
        "rev.pem": rev.cert_pem,
        "held.pem": held.cert_pem,
        "client.pem": client.cert_pem,
        "client.key": client.key_pem,
        "clientboth.pem": client.key_pem + client.cert_pem,
        "garbage.der": b"this is not DER\n",
        "trylater.der": ocspkit.unsuccessful_response(ocspkit.ResponseStatus.TRY_LATER).dump(),
    }
    for name, data in files.items():
        (d / name).write_bytes(data)
    expires = pki.not_after
    revoked = pki.now - dt.timedelta(hours=1)
    (d / "index.txt").write_text(
        index_line("V", good.serial_number, expires, "/CN=good.example")
        + index_line("R", rev.serial_number, expires, "/CN=revoked.example", revoked, "keyCompromise")
        + index_line("R", held.serial_number, expires, "/CN=held.example", revoked, "holdInstruction",
                     "holdInstructionCallIssuer")
        + index_line("E", 0x7777, expires, "/CN=expired.example")
    )
    (d / "index-reasons.txt").write_text(
        index_line("V", good.serial_number, expires, "/CN=good.example")
        + index_line("R", 0x1001, expires, "/CN=a", revoked, "keyTime", "20200101000000Z")
        + index_line("R", 0x1002, expires, "/CN=b", revoked, "CAkeyTime", "20200101000000Z")
        + index_line("R", 0x1003, expires, "/CN=c", revoked, "removeFromCRL")
        + index_line("R", 0x1004, expires, "/CN=d", revoked, "bogusReason")
        + index_line("R", 0x1005, expires, "/CN=e", revoked, "superseded")
        + index_line("R", 0x1006, expires, "/CN=f", revoked, "holdInstruction", "1.2.840.10040.2.3")
        + index_line("E", 0x1007, expires, "/CN=g")
        + index_line("V", 0x1008, expires, "/CN=h")
    )
    (d / "dup.txt").write_text(
        index_line("V", 1, expires, "/CN=same") + index_line("V", 2, expires, "/CN=same")
    )
    # A hashed trust directory, as c_rehash makes it.
    (d / "certs").mkdir()
    subject_hash = run([openssl_bin, "x509", "-hash", "-noout", "-in", d / "root.pem"]).stdout.strip()
    (d / "certs" / f"{subject_hash}.0").write_bytes(pki.root.cert_pem)

    def openssl(*args: str) -> None:
        result = run([openssl_bin, "ocsp", *args], cwd=d)
        assert result.returncode == 0, result.stdout + result.stderr

    sign = ["-index", "index.txt", "-CA", "ca.pem", "-rsigner", "r.pem", "-rkey", "r.key", "-ndays", "1"]
    openssl("-issuer", "ca.pem", "-cert", "good.pem", "-cert", "rev.pem", "-no_nonce", "-reqout", "req.der")
    openssl("-issuer", "ca.pem", "-cert", "good.pem", "-cert", "rev.pem", "-reqout", "reqnonce.der")
    openssl("-issuer", "ca.pem", "-cert", "good.pem", "-reqout", "reqnonce2.der")
    openssl(*sign, "-reqin", "req.der", "-respout", "resp.der")
    openssl(*sign, "-reqin", "reqnonce.der", "-respout", "respnonce.der")
    openssl(*sign, "-reqin", "req.der", "-respout", "badsig.der", "-badsig")
    openssl("-index", "index.txt", "-CA", "ca.pem", "-rsigner", "ca.pem", "-rkey", "ca.key", "-reqin", "req.der",
            "-respout", "caresp.der")
    # A response that is two days old and expired a day ago (made with ocspkit's builder).
    then = pki.now - dt.timedelta(days=2)
    stale = (
        ResponseBuilder()
        .add_response(CertID.from_cert(good.certificate, pki.intermediate.certificate), "good",
                      this_update=then, next_update=then + dt.timedelta(days=1))
        .sign(pki.responder.private_key, pki.responder.certificate, now=then)
    )
    (d / "stale.der").write_bytes(stale.dump())
    return Inputs(d, pki, {"good": good.serial_number, "rev": rev.serial_number, "held": held.serial_number})


# ------------------------------------------------------------------------------------------------
# Running both sides


@dataclasses.dataclass
class Result:
    rc: int
    out: str
    err: str
    files: Dict[str, bytes]


def workdir(base: Path, name: str, inputs: Inputs) -> Path:
    target = base / name
    shutil.copytree(inputs.dir, target)
    return target


def new_files(directory: Path, before: Sequence[str]) -> Dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file() and p.name not in before}


def run_openssl(openssl_bin: str, args: Sequence[str], cwd: Path) -> Result:
    before = [p.name for p in cwd.iterdir()]
    result = run([openssl_bin, "ocsp", *args], cwd=cwd)
    return Result(result.returncode, result.stdout, result.stderr, new_files(cwd, before))


def run_inprocess(args: Sequence[str], cwd: Path, capsys: Any, monkeypatch: Any) -> Result:
    before = [p.name for p in cwd.iterdir()]
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    rc = cli.main(list(args))
    captured = capsys.readouterr()
    monkeypatch.chdir(ROOT)
    return Result(rc, captured.out, captured.err, new_files(cwd, before))


def run_subprocess(args: Sequence[str], cwd: Path, stdin: Optional[bytes] = None) -> Result:
    before = [p.name for p in cwd.iterdir()]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "ocspkit", *args], cwd=cwd, capture_output=True, check=False, timeout=60,
        env=env, input=stdin,
    )
    return Result(
        result.returncode, result.stdout.decode("latin-1"), result.stderr.decode(), new_files(cwd, before)
    )


def normalize(text: str, times: bool = False) -> List[str]:
    """Lines, with each run of error detail lines (openssl's error queue, ocspkit's one line)
    as one ``<ERROR>`` and, with ``times``, every printed time as ``<TIME>`` and the signature
    value as ``<SIGNATURE>``."""
    lines: List[str] = []
    for line in text.splitlines():
        if OPENSSL_ERROR.match(line) or line.startswith("ocspkit: "):
            if lines and lines[-1] == "<ERROR>":
                continue
            line = "<ERROR>"
        if times:  # both sides signed: the times differ, and so may the signature bytes
            line = TIME.sub("<TIME>", line)
            if SIGNATURE_HEX.match(line):
                if lines and lines[-1] == "<SIGNATURE>":
                    continue
                line = "<SIGNATURE>"
        lines.append(line)
    return lines


# ------------------------------------------------------------------------------------------------
# The table


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    args: Tuple[str, ...]
    # Files written: name -> "request" (byte-equal), "request-nonce" (equal but for the nonce),
    # "response" (openssl accepts ours; equal but for times and signature), "same" (byte-equal).
    files: Tuple[Tuple[str, str], ...] = ()
    check: Tuple[str, ...] = ()  # for "response" files: the -respin verification arguments
    check_ok: bool = True  # whether that verification succeeds (else both fail alike)
    times: bool = False  # the two sides print times of their own (they signed)
    error: Optional[str] = None  # an error path: ocspkit prints one line containing this
    text: bool = False  # needs ocspkit.text (-req_text / -resp_text)
    subprocess: bool = False  # also run as `python -m ocspkit`


SIGN = ("-index", "index.txt", "-CA", "ca.pem", "-rsigner", "r.pem", "-rkey", "r.key")
NAMES = ("-issuer", "ca.pem", "-cert", "good.pem", "-cert", "rev.pem")

CASES = [
    # --- building requests ---------------------------------------------------------------
    Case("req-one", ("-issuer", "ca.pem", "-cert", "good.pem", "-no_nonce", "-reqout", "out.der"),
         files=(("out.der", "request"),), subprocess=True),
    Case("req-many", ("-issuer", "ca.pem", "-cert", "good.pem", "-cert", "rev.pem", "-serial", "4096",
                      "-serial", "0x1F", "-serial", "-5", "-no_nonce", "-reqout", "out.der"),
         files=(("out.der", "request"),)),
    Case("req-der-cert", ("-issuer", "ca.pem", "-cert", "good.der", "-no_nonce", "-reqout", "out.der"),
         files=(("out.der", "request"),)),
    Case("req-digests", ("-issuer", "ca.pem", "-sha256", "-cert", "good.pem", "-sha512", "-serial", "12",
                         "-cert", "rev.pem", "-no_nonce", "-reqout", "out.der"), files=(("out.der", "request"),)),
    Case("req-issuers", ("-sha384", "-issuer", "ca.pem", "-cert", "good.pem", "-issuer", "root.pem", "-cert",
                         "ca.pem", "-no_nonce", "-reqout", "out.der"), files=(("out.der", "request"),)),
    Case("req-nonce", ("-issuer", "ca.pem", "-cert", "good.pem", "-cert", "rev.pem", "-reqout", "out.der"),
         files=(("out.der", "request-nonce"),)),
    Case("req-signed", ("-issuer", "ca.pem", "-cert", "good.pem", "-no_nonce", "-signer", "client.pem",
                        "-signkey", "client.key", "-sign_other", "ca.pem", "-reqout", "out.der"),
         files=(("out.der", "request"),), subprocess=True),
    Case("req-signed-nocerts", ("-issuer", "ca.pem", "-cert", "good.pem", "-no_nonce", "-signer", "clientboth.pem",
                                "-no_certs", "-reqout", "out.der"), files=(("out.der", "request"),)),
    Case("req-reqin-copy", ("-reqin", "req.der", "-reqout", "out.der"), files=(("out.der", "same"),)),
    Case("req-reqin-nonce", ("-reqin", "reqnonce.der", "-nonce", "-reqout", "out.der"),
         files=(("out.der", "request-nonce"),)),
    Case("req-reqin-sign", ("-reqin", "req.der", "-signer", "client.pem", "-signkey", "client.key",
                            "-reqout", "out.der"), files=(("out.der", "request"),)),
    Case("req-only", ("-issuer", "ca.pem", "-cert", "good.pem")),
    Case("req-text", ("-issuer", "ca.pem", "-cert", "good.pem", "-no_nonce", "-req_text"), text=True),
    Case("reqin-text", ("-reqin", "reqnonce.der", "-req_text"), text=True),
    # --- checking responses -------------------------------------------------------------
    Case("check", ("-respin", "resp.der", "-CAfile", "root.pem", *NAMES), subprocess=True),
    Case("check-no-nonce", ("-respin", "resp.der", "-CAfile", "root.pem", *NAMES, "-no_nonce")),
    Case("check-serials", ("-respin", "resp.der", "-CAfile", "root.pem", "-issuer", "ca.pem", "-serial",
                           "0x3EB", "-serial", "1001", "-no_nonce")),
    Case("check-no-chain", ("-respin", "resp.der", "-CAfile", "root.pem")),
    Case("check-verify-other", ("-respin", "resp.der", "-CAfile", "root.pem", "-verify_other", "ca.pem")),
    Case("check-no-status", ("-respin", "resp.der", "-noverify", "-issuer", "ca.pem", "-cert", "good.pem",
                             "-serial", "999999")),
    Case("check-stale", ("-respin", "stale.der", "-CAfile", "root.pem", "-issuer", "ca.pem", "-cert", "good.pem",
                         "-no_nonce")),
    Case("check-too-old", ("-respin", "stale.der", "-CAfile", "root.pem", "-issuer", "ca.pem", "-cert",
                           "good.pem", "-no_nonce", "-validity_period", "100000000", "-status_age", "3600")),
    Case("check-trylater", ("-respin", "trylater.der", "-CAfile", "root.pem"), subprocess=True),
    Case("check-vafile", ("-respin", "resp.der", "-VAfile", "r.pem", "-issuer", "ca.pem", "-cert", "good.pem",
                          "-no_nonce")),
    Case("check-nonce-ok", ("-respin", "respnonce.der", "-CAfile", "root.pem", "-reqin", "reqnonce.der",
                            "-verify_other", "ca.pem")),
    Case("check-nonce-mismatch", ("-respin", "respnonce.der", "-CAfile", "root.pem", "-reqin", "reqnonce2.der",
                                  "-verify_other", "ca.pem")),
    Case("check-nonce-missing", ("-respin", "resp.der", "-CAfile", "root.pem", "-reqin", "reqnonce.der",
                                 "-verify_other", "ca.pem")),
    Case("check-badsig", ("-respin", "badsig.der", "-CAfile", "root.pem", "-verify_other", "ca.pem")),
    Case("check-badsig-nosigs", ("-respin", "badsig.der", "-CAfile", "root.pem", "-verify_other", "ca.pem",
                                 "-no_signature_verify")),
    Case("check-partial-chain", ("-respin", "resp.der", "-CAfile", "ca.pem", "-partial_chain", "-issuer", "ca.pem",
                                 "-cert", "good.pem", "-no_nonce")),
    Case("check-no-partial-chain", ("-respin", "resp.der", "-CAfile", "ca.pem", "-issuer", "ca.pem", "-cert",
                                    "good.pem", "-no_nonce")),
    Case("check-attime", ("-respin", "resp.der", "-CAfile", "root.pem", "-verify_other", "ca.pem", "-attime",
                          "946684800")),
    Case("check-no-intern", ("-respin", "resp.der", "-CAfile", "root.pem", "-no_intern", "-verify_other",
                             "rchain.pem")),
    Case("check-no-intern-fails", ("-respin", "resp.der", "-CAfile", "root.pem", "-no_intern", "-verify_other",
                                   "ca.pem")),
    Case("check-no-cert-checks", ("-respin", "resp.der", "-CAfile", "root.pem", "-verify_other", "ca.pem",
                                  "-no_cert_checks")),
    Case("check-no-cert-verify", ("-respin", "resp.der", "-no-CAfile", "-no-CApath", "-no_cert_verify", *NAMES)),
    Case("check-trust-other", ("-respin", "resp.der", "-CAfile", "root.pem", "-trust_other", "-verify_other",
                               "r.pem")),
    Case("check-capath", ("-respin", "resp.der", "-CApath", "certs", "-no-CAfile", "-verify_other", "ca.pem")),
    Case("check-ca-signed", ("-respin", "caresp.der", "-CAfile", "root.pem", *NAMES, "-no_nonce")),
    Case("check-out-file", ("-respin", "resp.der", "-CAfile", "root.pem", *NAMES, "-no_nonce", "-out", "status.txt"),
         files=(("status.txt", "same"),)),
    Case("check-respout", ("-respin", "resp.der", "-noverify", "-respout", "copy.der"),
         files=(("copy.der", "same"),)),
    Case("resp-text", ("-respin", "resp.der", "-resp_text", "-CAfile", "root.pem", "-verify_other", "ca.pem"),
         text=True),
    Case("text", ("-reqin", "reqnonce.der", "-respin", "respnonce.der", "-text", "-CAfile", "root.pem",
                  "-verify_other", "ca.pem"), text=True),
    # --- offline signing from an index --------------------------------------------------
    Case("sign", (*SIGN, "-reqin", "req.der", "-respout", "out.der", "-ndays", "1"),
         files=(("out.der", "response"),), check=(*NAMES, "-no_nonce"), subprocess=True),
    Case("sign-keyid-nocerts", (*SIGN, "-reqin", "req.der", "-respout", "out.der", "-resp_key_id",
                                "-resp_no_certs", "-rmd", "sha384", "-nmin", "30"),
         files=(("out.der", "response"),), check=("-verify_other", "rchain.pem", *NAMES, "-no_nonce")),
    Case("sign-nonce", ("-index", "index.txt", "-CA", "ca.pem", "-rsigner", "rboth.pem", "-reqin", "reqnonce.der",
                        "-respout", "out.der", "-ndays", "2"),
         files=(("out.der", "response"),), check=("-reqin", "reqnonce.der", "-verify_other", "ca.pem")),
    Case("sign-build", (*SIGN, "-issuer", "ca.pem", "-cert", "good.pem", "-cert", "held.pem", "-serial", "0x7777",
                        "-serial", "0x3039", "-issuer", "root.pem", "-cert", "ca.pem", "-no_nonce", "-respout",
                        "out.der", "-ndays", "1", "-rother", "root.pem"),
         files=(("out.der", "response"),),
         # The answers name two issuers, so openssl refuses to verify them (for both files alike);
         # the E row gets no answer at all ("ERROR: No Status found.").
         check=("-issuer", "ca.pem", "-cert", "good.pem", "-cert", "held.pem", "-serial", "0x7777", "-serial",
                "0x3039", "-issuer", "root.pem", "-cert", "ca.pem", "-no_nonce"), check_ok=False),
    Case("sign-reasons", ("-index", "index-reasons.txt", "-CA", "ca.pem", "-rsigner", "r.pem", "-rkey", "r.key",
                          "-issuer", "ca.pem", "-cert", "good.pem", *(a for s in range(0x1001, 0x1009) for a in
                                                                    ("-serial", hex(s))),
                          "-no_nonce", "-respout", "out.der"),
         files=(("out.der", "response"),),
         # The E row gets no answer ("ERROR: No Status found.", exit 1) from both.
         check=("-issuer", "ca.pem", "-cert", "good.pem",
                *(a for s in range(0x1001, 0x1009) for a in ("-serial", hex(s))), "-no_nonce"), check_ok=False),
    Case("sign-ca", ("-index", "index.txt", "-CA", "ca.pem", "-rsigner", "ca.pem", "-rkey", "ca.key", "-reqin",
                     "req.der", "-respout", "out.der", "-ndays", "1"),
         files=(("out.der", "response"),), check=(*NAMES, "-no_nonce")),
    Case("sign-text", (*SIGN, "-reqin", "req.der", "-respout", "out.der", "-resp_text"),
         files=(("out.der", "response"),), check=(*NAMES, "-no_nonce"), text=True),
    # --- errors -------------------------------------------------------------------------
    Case("err-nothing", (), error="give a command"),
    Case("err-bad-option", ("-bogus",), error="Unknown option or message digest: bogus", subprocess=True),
    Case("err-extra-arg", ("-respin", "resp.der", "extra"), error="Extra argument"),
    Case("err-no-issuer", ("-cert", "good.pem"), error="No issuer certificate specified"),
    Case("err-digest-after", ("-issuer", "ca.pem", "-cert", "good.pem", "-sha256"),
         error="Digest must be before -cert or -serial"),
    Case("err-garbage-response", ("-respin", "garbage.der"), error="Error reading OCSP response",
         subprocess=True),
    Case("err-missing-response", ("-respin", "missing.der"), error='Can\'t open "missing.der" for reading'),
    Case("err-garbage-request", ("-reqin", "garbage.der"), error="Error reading OCSP request"),
    Case("err-missing-issuer", ("-issuer", "missing.pem", "-cert", "good.pem"),
         error="Unable to load issuer certificate"),
    Case("err-garbage-issuer", ("-issuer", "garbage.der", "-cert", "good.pem"),
         error="Unable to load issuer certificate"),
    Case("err-bad-serial", ("-issuer", "ca.pem", "-serial", "zz"), error="Error converting serial number zz"),
    Case("err-status-age", ("-issuer", "ca.pem", "-cert", "good.pem", "-status_age", "0"),
         error='Non-positive number "0" for option -status_age'),
    Case("err-header", ("-issuer", "ca.pem", "-cert", "good.pem", "-header", "foo"),
         error="Missing = in header key=value"),
    Case("err-need-request", ("-respin", "resp.der", "-reqout", "x.der"),
         error="Need an OCSP request for this operation!"),
    Case("err-responder-mode", ("-index", "index.txt", "-reqin", "req.der", "-respout", "x.der"),
         error="Responder mode requires certificate, key, and CA."),
    Case("err-index", ("-index", "dup.txt", "-CA", "ca.pem", "-rsigner", "r.pem", "-rkey", "r.key", "-reqin",
                       "req.der", "-respout", "x.der"), error="Problem with index file: dup.txt"),
    Case("err-cafile", ("-respin", "resp.der", "-CAfile", "missing.pem"), error="Error loading file missing.pem"),
    Case("err-ignore-err", ("-respin", "trylater.der", "-ignore_err", "-CAfile", "root.pem"),
         error="Error parsing response"),
    # (No -timeout: with one, openssl retries a refused connection until it expires.)
    Case("err-connect", ("-issuer", "ca.pem", "-cert", "good.pem", "-url", "http://127.0.0.1:1/"),
         error="Error querying OCSP responder"),
]


def check_request_files(ours: bytes, theirs: bytes, nonce: bool) -> None:
    if not nonce:
        assert ours == theirs
        return
    a, b = load_request(ours), load_request(theirs)
    assert a.cert_ids == b.cert_ids
    assert a.nonce is not None and b.nonce is not None
    assert len(a.nonce) == len(b.nonce) == 16  # OpenSSL's OCSP_DEFAULT_NONCE_LENGTH
    assert a.nonce != b.nonce
    assert [e.oid for e in a.extensions] == [e.oid for e in b.extensions]
    assert len(ours) == len(theirs)


def comparable(der: bytes) -> Tuple[bytes, bytes, Tuple[bytes, ...]]:
    """tbsResponseData with every GeneralizedTime blanked, the signature algorithm, the certs."""
    basic = load_response(der).basic
    return GENERALIZED_TIME.sub(b"T" * 17, basic.tbs_response_data_bytes), basic.signature_algorithm_der, \
        basic.certs_der


def check_response_files(
    openssl_bin: str, ours: bytes, theirs: bytes, case: Case, where: Path
) -> None:
    # Equal apart from times and the signature value.
    assert comparable(ours) == comparable(theirs)
    # Accepted by openssl, with the same statuses as openssl's own.
    outputs = []
    for name, data in (("ours.der", ours), ("theirs.der", theirs)):
        (where / name).write_bytes(data)
        result = run([openssl_bin, "ocsp", "-respin", name, "-CAfile", "root.pem", *case.check], cwd=where)
        if case.check_ok:
            assert result.returncode == 0, result.stdout + result.stderr
            assert "Response verify OK" in result.stderr
        outputs.append((result.returncode, normalize(result.stdout, times=True), normalize(result.stderr, times=True)))
    assert outputs[0] == outputs[1]


def compare(case: Case, theirs: Result, ours: Result, openssl_bin: str, odir: Path) -> None:
    detail = f"\nopenssl rc={theirs.rc}\n{theirs.out}{theirs.err}\nocspkit rc={ours.rc}\n{ours.out}{ours.err}"
    assert ours.rc == theirs.rc, detail
    if case.error is not None:
        assert theirs.rc != 0
        lines = ours.err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("ocspkit: "), detail
        assert case.error in lines[0], detail
        assert ours.out == theirs.out, detail
        assert set(ours.files) == set(theirs.files) == set(), detail
        return
    assert normalize(ours.out, case.times) == normalize(theirs.out, case.times), detail
    assert normalize(ours.err, case.times) == normalize(theirs.err, case.times), detail
    assert set(ours.files) == set(theirs.files), detail
    kinds = dict(case.files)
    assert set(kinds) == set(ours.files), detail
    for name, kind in kinds.items():
        if kind == "same":
            assert ours.files[name] == theirs.files[name]
        elif kind in ("request", "request-nonce"):
            check_request_files(ours.files[name], theirs.files[name], kind == "request-nonce")
        else:
            check_response_files(openssl_bin, ours.files[name], theirs.files[name], case, odir)


def needs_text(case: Case) -> None:
    if case.text:
        pytest.importorskip("ocspkit.text")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_openssl_table(
    case: Case, inputs: Inputs, openssl_bin: str, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    """Each command line gives the same exit status, output and files as openssl ocsp."""
    needs_text(case)
    odir, kdir = workdir(tmp_path, "openssl", inputs), workdir(tmp_path, "ocspkit", inputs)
    times = case.times or any(kind == "response" for _, kind in case.files)
    case = dataclasses.replace(case, times=times)
    theirs = run_openssl(openssl_bin, case.args, odir)
    ours = run_inprocess(case.args, kdir, capsys, monkeypatch)
    compare(case, theirs, ours, openssl_bin, odir)


SUBPROCESS_CASES = [c for c in CASES if c.subprocess]


@pytest.mark.parametrize("case", SUBPROCESS_CASES, ids=[c.id for c in SUBPROCESS_CASES])
@pytest.mark.parametrize("prefix", [(), ("ocsp",)], ids=["bare", "ocsp-word"])
def test_openssl_table_subprocess(
    case: Case, prefix: Tuple[str, ...], inputs: Inputs, openssl_bin: str, tmp_path: Path
) -> None:
    """``python -m ocspkit ARGS`` and ``python -m ocspkit ocsp ARGS`` in a real process."""
    odir, kdir = workdir(tmp_path, "openssl", inputs), workdir(tmp_path, "ocspkit", inputs)
    case = dataclasses.replace(case, times=case.times or any(k == "response" for _, k in case.files))
    theirs = run_openssl(openssl_bin, case.args, odir)
    ours = run_subprocess([*prefix, *case.args], kdir)
    compare(case, theirs, ours, openssl_bin, odir)


def test_table_covers_the_issue(inputs: Inputs) -> None:
    """The table exercises every openssl option the issue names (-port: see test_port_not_yet)."""
    used = {a for case in CASES for a in (*case.args, *case.check) if a.startswith("-")}
    named = [
        "-issuer", "-cert", "-serial", "-sha1", "-sha256", "-url", "-host", "-path", "-header", "-timeout", "-nonce",
        "-no_nonce", "-reqin", "-reqout", "-respin", "-respout", "-text", "-req_text", "-resp_text", "-CAfile",
        "-CApath", "-no-CAfile", "-no-CApath", "-VAfile", "-verify_other", "-trust_other", "-attime",
        "-partial_chain", "-no_intern", "-no_signature_verify", "-no_cert_verify", "-no_cert_checks", "-noverify",
        "-validity_period", "-status_age", "-signer", "-signkey", "-sign_other", "-no_certs", "-index", "-CA",
        "-rsigner", "-rkey", "-rother", "-rmd", "-ndays", "-nmin", "-resp_no_certs", "-resp_key_id",
    ]
    # Covered by test_more_verify_options, test_url_host_path_header_timeout, test_rcid_...
    covered_elsewhere = {"-sha1", "-host", "-path", "-header", "-timeout"}
    missing = [o for o in named if o not in used and o not in covered_elsewhere]
    assert not missing


@pytest.mark.parametrize("with_certs", [False, True], ids=["no-certs", "signer-cert"])
def test_issuer_certificates_are_never_trusted(
    with_certs: bool, inputs: Inputs, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    """-issuer helps find the signer but never makes it trusted (openssl/openssl#30323, March 2026).

    A CA outside -CAfile signs a response about its own leaf. openssl ocsp up to 3.0.19 retried
    OCSP_basic_verify with the -issuer certificates and OCSP_TRUSTOTHER, so this verified; the
    fix (and ocspkit) refuse it. With that CA's own root in -CAfile the same command verifies,
    so the refusal is about trust alone, and the -issuer certificate still finds the signer of a
    response that carries no certificates.
    """
    foreign = TestPKI()
    leaf = foreign.issue_leaf("foreign.example")
    builder = ResponseBuilder().add_response(CertID.from_cert(leaf.certificate, foreign.intermediate.certificate),
                                             "good", next_update=foreign.now + dt.timedelta(days=1))
    if not with_certs:
        builder = builder.with_certificates(())
    response = builder.sign(foreign.intermediate.private_key, foreign.intermediate.certificate, now=foreign.now)
    (tmp_path / "resp.der").write_bytes(response.dump())
    (tmp_path / "foreign-ca.pem").write_bytes(foreign.intermediate.cert_pem)
    (tmp_path / "foreign-root.pem").write_bytes(foreign.root.cert_pem)
    (tmp_path / "leaf.pem").write_bytes(leaf.cert_pem)
    shutil.copy(inputs.dir / "root.pem", tmp_path / "root.pem")
    names = ("-issuer", "foreign-ca.pem", "-cert", "leaf.pem", "-no_nonce")

    refused = run_inprocess(("-respin", "resp.der", "-CAfile", "root.pem", *names), tmp_path, capsys, monkeypatch)
    assert refused.rc == 1
    assert refused.err.splitlines()[0] == "Response Verify Failure"
    assert "Response verify OK" not in refused.err
    assert refused.out.startswith("leaf.pem: good")  # the status is still printed, as openssl does

    # -trust_other is about -verify_other's certificates: it does not reach -issuer's either.
    also_refused = run_inprocess(("-respin", "resp.der", "-CAfile", "root.pem", "-trust_other", *names),
                                 tmp_path, capsys, monkeypatch)
    assert also_refused.rc == 1 and also_refused.err.startswith("Response Verify Failure")

    accepted = run_inprocess(("-respin", "resp.der", "-CAfile", "foreign-root.pem", *names),
                             tmp_path, capsys, monkeypatch)
    assert (accepted.rc, accepted.err) == (0, "Response verify OK\n")

    # The subcommand spelling takes the same road.
    verify = run_inprocess(("verify", "resp.der", "--CAfile", "root.pem", "--issuer", "foreign-ca.pem", "--cert",
                            "leaf.pem"), tmp_path, capsys, monkeypatch)
    assert verify.rc != 0


@pytest.mark.parametrize("extra", [("-no_chain",), ("-no_explicit",), ("-sha1",), ("-no-CAstore",)])
def test_more_verify_options(
    extra: Tuple[str, ...], inputs: Inputs, openssl_bin: str, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    """-no_chain / -no_explicit / -no-CAstore change verification as in openssl; -sha1 is the default."""
    args = ("-respin", "resp.der", "-CAfile", "root.pem", "-verify_other", "ca.pem", *extra)
    if extra == ("-sha1",):
        args = ("-issuer", "ca.pem", "-sha1", "-cert", "good.pem", "-no_nonce", "-reqout", "out.der")
    case = Case("extra", args, files=(("out.der", "request"),) if extra == ("-sha1",) else ())
    odir, kdir = workdir(tmp_path, "openssl", inputs), workdir(tmp_path, "ocspkit", inputs)
    compare(case, run_openssl(openssl_bin, args, odir), run_inprocess(args, kdir, capsys, monkeypatch),
            openssl_bin, odir)


def test_rcid_writes_the_serial_asked_about(
    inputs: Inputs, openssl_bin: str, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    """-rcid sha256: OpenSSL 3.0 writes serial number 0 in the re-hashed CertIDs (it computes them
    without the certificate); ocspkit writes the serial asked about (a documented difference)."""
    args = (*SIGN, "-reqin", "req.der", "-respout", "out.der", "-rcid", "sha256")
    odir, kdir = workdir(tmp_path, "openssl", inputs), workdir(tmp_path, "ocspkit", inputs)
    theirs = run_openssl(openssl_bin, args, odir)
    ours = run_inprocess(args, kdir, capsys, monkeypatch)
    assert ours.rc == theirs.rc == 0
    mine = load_response(ours.files["out.der"]).responses
    openssls = load_response(theirs.files["out.der"]).responses
    assert [s.cert_id.hash_algorithm for s in mine] == [s.cert_id.hash_algorithm for s in openssls] == ["sha256"] * 2
    assert [s.cert_id.serial_number for s in openssls] == [0, 0]
    assert [s.cert_id.serial_number for s in mine] == [inputs.serials["good"], inputs.serials["rev"]]
    # openssl finds our answers with a SHA-256 request for the same certificates.
    result = run([openssl_bin, "ocsp", "-respin", kdir / "out.der", "-CAfile", "root.pem", "-issuer", "ca.pem",
                  "-sha256", "-cert", "good.pem", "-cert", "rev.pem", "-no_nonce"], cwd=odir)
    assert result.returncode == 0 and "good.pem: good" in result.stdout and "rev.pem: revoked" in result.stdout


def test_index_complaints_and_internal_error(
    inputs: Inputs, openssl_bin: str, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    """A bad revocation date gives internalError, as in openssl; each complaint line matches."""
    expires = inputs.pki.not_after
    lines = index_line("V", inputs.serials["good"], expires, "/CN=good.example")
    lines += f"R\t{expires:%y%m%d%H%M%SZ}\tnotatime\t{inputs.serials['rev']:X}\tunknown\t/CN=x\n"
    for name in ("openssl", "ocspkit"):
        (tmp_path / name).mkdir()
    args = ("-index", "bad.txt", "-CA", "ca.pem", "-rsigner", "r.pem", "-rkey", "r.key", "-reqin", "req.der",
            "-respout", "out.der")
    odir, kdir = workdir(tmp_path, "o", inputs), workdir(tmp_path, "k", inputs)
    (odir / "bad.txt").write_text(lines)
    (kdir / "bad.txt").write_text(lines)
    theirs = run_openssl(openssl_bin, args, odir)
    ours = run_inprocess(args, kdir, capsys, monkeypatch)
    assert (ours.rc, ours.out) == (theirs.rc, theirs.out) == (1, "Responder Error: internalerror (2)\n")
    assert ours.err.splitlines()[0] == theirs.err.splitlines()[0] == "invalid revocation date notatime"
    assert ours.files["out.der"] == theirs.files["out.der"] == bytes.fromhex("30030a0102")


# ------------------------------------------------------------------------------------------------
# HTTP: against a running openssl responder


@pytest.fixture
def responder(inputs: Inputs, openssl_bin: str, tmp_path: Path) -> Any:
    work = workdir(tmp_path, "responder", inputs)
    server = OpenSSLResponder(openssl_bin, work, [*SIGN, "-ndays", "1", "-nrequest", "4"])
    yield server
    server.stop()


def test_url_host_path_header_timeout(
    responder: OpenSSLResponder, inputs: Inputs, openssl_bin: str, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    """-url (and -host/-path) POST to openssl's responder: same statuses and verification as
    openssl's own client (times differ: the responder answers each at its own moment)."""
    host = responder.hosts[0]
    url = ("-url", f"http://{host}:{responder.port}/", "-header", "X-Test=1", "-timeout", "10")
    hostpath = ("-host", f"{host}:{responder.port}", "-path", "/ocsp", "-timeout", "10")
    for number, target in enumerate((url, hostpath)):
        args = (*NAMES, "-CAfile", "root.pem", *target, "-respout", "got.der")
        odir = workdir(tmp_path, f"o{number}", inputs)
        kdir = workdir(tmp_path, f"k{number}", inputs)
        theirs = run_openssl(openssl_bin, args, odir)
        ours = run_inprocess(args, kdir, capsys, monkeypatch)
        assert ours.rc == theirs.rc == 0, ours.err + theirs.err
        assert normalize(ours.out, times=True) == normalize(theirs.out, times=True)
        assert ours.err == theirs.err == "Response verify OK\n"  # the nonce came back
        assert comparable(ours.files["got.der"])[1:] == comparable(theirs.files["got.der"])[1:]


def test_send_subcommand(
    responder: OpenSSLResponder, inputs: Inputs, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    url = f"http://{responder.hosts[0]}:{responder.port}/"
    kdir = workdir(tmp_path, "k", inputs)
    ours = run_inprocess(["send", url, *NAMES, "--CAfile", "root.pem", "--respout", "r.der", "--reqout", "q.der"],
                         kdir, capsys, monkeypatch)
    assert ours.rc == 0, ours.err
    assert ours.err == "Response verify OK\n"
    assert normalize(ours.out, times=True) == [
        "good.pem: good", "\tThis Update: <TIME>", "\tNext Update: <TIME>",
        "rev.pem: revoked", "\tThis Update: <TIME>", "\tNext Update: <TIME>", "\tReason: keyCompromise",
        "\tRevocation Time: <TIME>",
    ]
    assert load_request(ours.files["q.der"]).nonce == load_response(ours.files["r.der"]).nonce
    ours = run_inprocess(["check", url, "--reqin", "req.der", "--CAfile", "root.pem", "--verify-other", "ca.pem"],
                         kdir, capsys, monkeypatch)
    assert (ours.rc, ours.out, ours.err) == (0, "", "Response verify OK\n")


def _http_methods(metrics_url: str) -> Dict[str, int]:
    """How many OCSP requests the responder got by HTTP method (its /metrics)."""
    text = urllib.request.urlopen(metrics_url, timeout=10).read().decode()
    counts: Dict[str, int] = {}
    for method, count in re.findall(r'^ocspkit_http_requests_total\{method="(\w+)",code="200"\} (\d+)', text, re.M):
        counts[method] = counts.get(method, 0) + int(count)
    return counts


def test_send_finds_the_url_in_the_aia_and_takes_a_method(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    """'send' without URL asks the responder the certificate's AuthorityInfoAccess names (as
    check_certificate does), and --method GET sends a GET (RFC 6960 A.1)."""
    pki = TestPKI()
    server = pki.serve()
    with server as url:
        leaf, other = server.issue_leaf("aia.example"), server.issue_leaf("aia2.example")
        no_aia = pki.issue_leaf("no-aia.example")
        files = {"ca.pem": pki.intermediate.cert_pem, "root.pem": pki.root.cert_pem, "leaf.pem": leaf.cert_pem,
                 "other.pem": other.cert_pem, "no-aia.pem": no_aia.cert_pem}
        for name, data in files.items():
            (tmp_path / name).write_bytes(data)
        names = ("--issuer", "ca.pem", "--cert", "leaf.pem", "--cert", "other.pem", "--CAfile", "root.pem")
        metrics = url.rstrip("/") + "/metrics"
        for method in ("GET", "POST", "auto"):
            before = _http_methods(metrics)
            argv = ["send", *names, "--method", method, "--timeout", "5.5", "--reqout", f"q-{method}.der"]
            result = run_inprocess(argv, tmp_path, capsys, monkeypatch)
            assert (result.rc, result.err) == (0, "Response verify OK\n"), result.err
            assert result.out.startswith("leaf.pem: good\n") and "other.pem: good\n" in result.out
            after = _http_methods(metrics)
            # auto: GET when the URL stays within RFC 5019's 255 bytes (two CertIDs and a nonce do not)
            fits = ocspkit.http.use_get(result.files[f"q-{method}.der"], url)
            sent = ("GET" if fits else "POST") if method == "auto" else method
            assert {m: after.get(m, 0) - before.get(m, 0) for m in ("GET", "POST")} == {
                "GET": int(sent == "GET"), "POST": int(sent == "POST")}
        # A certificate that names no responder, or certificates naming two, are refused: no guess.
        refused = run_inprocess(["send", "--issuer", "ca.pem", "--cert", "no-aia.pem"], tmp_path, capsys, monkeypatch)
        assert refused.rc == 1 and "no-aia.pem names no OCSP responder" in refused.err
        with TestPKI().serve() as second_url:
            elsewhere = TestPKI().issue_leaf("x.example", ocsp_url=second_url)
            (tmp_path / "elsewhere.pem").write_bytes(elsewhere.cert_pem)
            refused = run_inprocess(["send", "--issuer", "ca.pem", "--cert", "leaf.pem", "--cert", "elsewhere.pem"],
                                    tmp_path, capsys, monkeypatch)
            assert refused.rc == 1 and "the certificates name different responders" in refused.err
        refused = run_inprocess(["send", "--issuer", "ca.pem", "--serial", "5"], tmp_path, capsys, monkeypatch)
        assert refused.rc == 1 and "give the responder's URL" in refused.err


def test_timeouts_are_seconds_with_one_default(inputs: Inputs, tmp_path: Path, capsys: Any,
                                               monkeypatch: Any) -> None:
    """A responder that accepts and never answers: 'send --timeout 0.5' and '-timeout 0.5' give up
    after half a second; the default is the library's 10 s on every networked command."""
    silent = socket.create_server(("127.0.0.1", 0))
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        for argv in (["send", url, *NAMES, "--timeout", "0.5"], [*NAMES, "-url", url, "-timeout", "0.5"]):
            result = run_inprocess(argv, inputs.dir, capsys, monkeypatch)
            assert result.rc == 1
            assert "timed out after 0.5 s" in result.err, result.err
        for argv in (["send", url, *NAMES, "--timeout", "0"], ["send", url, *NAMES, "--timeout", "soon"],
                     [*NAMES, "-url", url, "-timeout", "-1"], [*NAMES, "-url", url, "-timeout", "nan"]):
            result = run_inprocess(argv, inputs.dir, capsys, monkeypatch)
            assert result.rc == 1 and "Invalid number of seconds" in result.err, result.err
    finally:
        silent.close()
    assert Ocsp().timeout == ocspkit.http.DEFAULT_TIMEOUT == 10.0
    assert cli.main(["send", "--help"]) == 0
    assert "(default: 10)" in " ".join(capsys.readouterr().out.split())
    assert cli.main(["-help"]) == 0
    assert "-timeout seconds" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------------
# Subcommands


@pytest.mark.parametrize("command", ["", *SUBCOMMANDS])
def test_help(command: str, capsys: Any) -> None:
    rc = cli.main([command, "--help"] if command else ["--help"])
    out = capsys.readouterr().out
    assert rc == 0
    assert out.startswith(f"usage: ocspkit {command}".rstrip())


def test_openssl_help_and_version(capsys: Any) -> None:
    assert cli.main(["-help"]) == 0
    out = capsys.readouterr().out
    for option in ("-issuer", "-cert", "-respin", "-index", "-rsigner", "-VAfile", "-status_age", "-sha256"):
        assert f" {option}" in out
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out == f"ocspkit {ocspkit.__version__}\n"


def test_console_script_declared() -> None:
    """pyproject.toml's console script resolves to cli.main; the installed one runs if present."""
    text = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^\[project\.scripts\]\nocspkit = "ocspkit\.cli:main"$', text, re.M)
    script = Path(sys.executable).parent / "ocspkit"
    if script.exists():
        result = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False, timeout=60)
        assert result.returncode == 0 and result.stdout.startswith("ocspkit ")


def test_request_subcommand(inputs: Inputs, tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    kdir = workdir(tmp_path, "k", inputs)
    ours = run_inprocess(["request", "--issuer", "ca.pem", "--cert", "good.pem", "--cert", "rev.pem", "--no-nonce",
                          "-o", "q.der"], kdir, capsys, monkeypatch)
    assert ours.rc == 0 and (ours.out, ours.err) == ("", "")
    assert ours.files["q.der"] == (inputs.dir / "req.der").read_bytes()
    ours = run_inprocess(["request", "-issuer", "ca.pem", "-serial", "0x3EB", "--hash", "sha256", "--pem"],
                         kdir, capsys, monkeypatch)
    assert ours.rc == 0 and ours.out.startswith("-----BEGIN OCSP REQUEST-----\n")
    request = load_request(ours.out.encode())
    assert request.cert_ids[0].hash_algorithm == "sha256" and len(request.nonce or b"") == 16
    # DER on stdout, in a real process.
    ours = run_subprocess(["request", "--issuer", "ca.pem", "--cert", "good.pem", "--cert", "rev.pem",
                           "--no-nonce"], kdir)
    assert ours.rc == 0 and ours.out.encode("latin-1") == (inputs.dir / "req.der").read_bytes()
    # Signed, like -signer/-signkey.
    ours = run_inprocess(["request", "--issuer", "ca.pem", "--cert", "good.pem", "--no-nonce", "--signer",
                          "client.pem", "--signkey", "client.key", "-o", "s.der"], kdir, capsys, monkeypatch)
    assert ours.rc == 0 and load_request(ours.files["s.der"]).is_signed


def test_verify_subcommand(inputs: Inputs, openssl_bin: str, tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    kdir = workdir(tmp_path, "k", inputs)
    theirs = run([openssl_bin, "ocsp", "-respin", "resp.der", "-CAfile", "root.pem", *NAMES, "-no_nonce"],
                 cwd=inputs.dir)
    ours = run_inprocess(["verify", "resp.der", "--CAfile", "root.pem", *NAMES], kdir, capsys, monkeypatch)
    assert (ours.rc, ours.out, ours.err) == (theirs.returncode, theirs.stdout, theirs.stderr)
    # The nonce is checked against --reqin.
    ours = run_inprocess(["verify", "respnonce.der", "--CAfile", "root.pem", "--verify-other", "ca.pem", "--reqin",
                          "reqnonce2.der"], kdir, capsys, monkeypatch)
    assert (ours.rc, ours.err) == (1, "Nonce Verify error\n")
    # A failure: openssl's status line, one detail line, exit 1, statuses still printed.
    ours = run_inprocess(["verify", "resp.der", "--no-default-trust", "--CAfile", "root.pem", "--issuer", "ca.pem",
                          "--serial", "99"], kdir, capsys, monkeypatch)
    assert ours.rc == 1
    assert ours.out == "99: ERROR: No Status found.\n"
    assert ours.err.splitlines()[0] == "Response verify OK"
    ours = run_inprocess(["verify", "badsig.der", "--CAfile", "root.pem", "--verify-other", "ca.pem"], kdir, capsys,
                         monkeypatch)
    assert ours.rc == 1
    first, detail = ours.err.splitlines()
    assert first == "Response Verify Failure" and detail.startswith("ocspkit: ")


def test_sign_subcommand(inputs: Inputs, openssl_bin: str, tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    kdir = workdir(tmp_path, "k", inputs)
    ours = run_inprocess(["sign", "--index", "index.txt", "--CA", "ca.pem", "--rsigner", "r.pem", "--rkey", "r.key",
                          "--reqin", "reqnonce.der", "-o", "s.der", "--ndays", "1"], kdir, capsys, monkeypatch)
    assert ours.rc == 0 and (ours.out, ours.err) == ("", "")
    result = run([openssl_bin, "ocsp", "-respin", "s.der", "-CAfile", "root.pem", "-reqin", "reqnonce.der",
                  "-verify_other", "ca.pem"], cwd=kdir)
    assert (result.returncode, result.stderr) == (0, "Response verify OK\n")
    # DER on stdout, in a real process, and PEM.
    ours = run_subprocess(["sign", "--index", "index.txt", "--CA", "ca.pem", "--rsigner", "rboth.pem", "--reqin",
                           "req.der"], kdir)
    assert ours.rc == 0, ours.err
    assert load_response(ours.out.encode("latin-1")).responses[1].cert_status is ocspkit.CertStatus.REVOKED
    ours = run_inprocess(["sign", "--index", "index.txt", "--CA", "ca.pem", "--rsigner", "r.pem", "--rkey", "r.key",
                          "--reqin", "req.der", "--pem", "--resp-key-id"], kdir, capsys, monkeypatch)
    assert ours.rc == 0 and ours.out.startswith("-----BEGIN OCSP RESPONSE-----\n")
    assert load_response(ours.out.encode()).responder_id.type is ocspkit.ResponderIDType.BY_KEY


def test_show_subcommand(inputs: Inputs, tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    text = pytest.importorskip("ocspkit.text")
    kdir = workdir(tmp_path, "k", inputs)
    for name, loader, render in (("resp.der", load_response, text.response_text),
                                 ("reqnonce.der", load_request, text.request_text)):
        ours = run_inprocess(["show", name], kdir, capsys, monkeypatch)
        assert (ours.rc, ours.err) == (0, "")
        assert ours.out == render(loader((inputs.dir / name).read_bytes()))
    ours = run_inprocess(["show", "resp.der", "--format", "json"], kdir, capsys, monkeypatch)
    assert ours.rc == 0
    assert ours.out.rstrip("\n") == text.to_json_text(load_response((inputs.dir / "resp.der").read_bytes())).rstrip()


def test_show_writes_non_utf8_octets_on_a_strict_stdout(tmp_path: Path) -> None:
    """A certificate name holding a byte that is not UTF-8 (one bit of 'a' flipped in a real
    response, found by the fuzz harness): 'show' printed a traceback on a stdout that refuses
    surrogate escapes; like -resp_text, it now writes the octet as received, in every format."""
    data = bytearray(read_vector("go/old-startcom-ocspResponse.der"))
    assert data[1425] == ord("a")
    data[1425] ^= 0x80
    (tmp_path / "flipped.der").write_bytes(bytes(data))
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8:strict")
    for form in ("text", "json", "lint"):
        result = subprocess.run([sys.executable, "-m", "ocspkit", "show", "--format", form, "flipped.der"],
                                cwd=tmp_path, capture_output=True, timeout=60, env=env, check=False)
        assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
        assert result.returncode in (0, 1), result.stderr  # lint exits 1 when it finds an error
        if form == "text":
            assert b"\xe1" in result.stdout


def test_show_lint(inputs: Inputs, tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    lint = pytest.importorskip("ocspkit.lint")
    kdir = workdir(tmp_path, "k", inputs)
    ours = run_inprocess(["show", "resp.der", "--format", "lint"], kdir, capsys, monkeypatch)
    findings = lint.lint(load_response((inputs.dir / "resp.der").read_bytes()))
    assert ours.err == ""
    assert len(ours.out.splitlines()) == max(1, len(findings))
    assert ours.rc == (1 if any(show.severity(f) == "error" for f in findings) else 0)


def test_serve_needs_a_configuration(inputs: Inputs, tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    # The service itself is tested in test_responder_cli.py; here, the one-line refusals.
    kdir = workdir(tmp_path, "k", inputs)
    for args, message in (
        (["serve"], "serve: give --config FILE, or --ca with --index or --db"),
        (["serve", "--ca", "ca.pem", "--index", "index.txt", "--db", "x.db"], "serve: give --config FILE"),
        (["serve", "--ca", "ca.pem", "--index", "index.txt"], "serve: --rkey is needed"),
        (["ocsp", "-port", "0"], "nothing to do"),
    ):
        ours = run_inprocess(args, kdir, capsys, monkeypatch)
        assert ours.rc == 1 and ours.out == "", args
        assert ours.err.startswith("ocspkit: ") and message in ours.err, (args, ours.err)


@pytest.mark.parametrize(
    ("args", "rc", "message"),
    [
        (["verify", "missing.der"], 1, "Can't open \"missing.der\""),
        (["verify", "garbage.der"], 1, "Error reading OCSP response"),
        (["show", "garbage.der"], 1, "not an OCSP request or response"),
        (["show", "missing.der"], 1, "Can't open"),
        (["request", "--issuer", "ca.pem"], 1, "nothing to ask"),
        (["request", "--cert", "good.pem"], 1, "No issuer certificate specified"),
        (["request", "--issuer", "garbage.der", "--cert", "good.pem"], 1, "Unable to load issuer certificate"),
        (["request", "--bogus"], 2, "unrecognized arguments: --bogus"),
        (["request", "--issuer", "ca.pem", "--cert", "good.pem", "--hash", "md5"], 2, "invalid choice"),
        (["sign", "--index", "index.txt"], 2, "the following arguments are required"),
        (["sign", "--index", "dup.txt", "--CA", "ca.pem", "--rsigner", "r.pem", "--rkey", "r.key", "--reqin",
          "req.der", "-o", "x.der"], 1, "Problem with index file"),
        (["sign", "--index", "index.txt", "--CA", "ca.pem", "--rsigner", "r.pem", "--rkey", "ca.pem", "--reqin",
          "req.der", "-o", "x.der"], 1, "Unable to load responder private key"),
        (["send", "http://127.0.0.1:1/", "--issuer", "ca.pem", "--cert", "good.pem", "--timeout", "5"], 1,
         "Error querying OCSP responder"),
        (["send", "ftp://example/", "--reqin", "req.der"], 1, "Error parsing URL"),
        (["nosuchcommand"], 2, "invalid choice"),
        (["ocsp"], 1, "nothing to do"),
        (["-rmd", "md5"], 1, "Unsupported digest md5"),
        (["-md5", "-issuer", "ca.pem", "-cert", "good.pem"], 1, "Unsupported CertID digest md5"),
        (["-policy", "x"], 1, "not supported by ocspkit"),
        (["-respin"], 1, "needs a value"),
    ],
)
def test_errors_are_one_line(
    args: List[str], rc: int, message: str, inputs: Inputs, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    kdir = workdir(tmp_path, "k", inputs)
    ours = run_inprocess(args, kdir, capsys, monkeypatch)
    assert ours.rc == rc, ours.err
    assert ours.out == ""
    assert ours.err.count("\n") == 1 and ours.err.startswith("ocspkit: ") and message in ours.err, ours.err
    assert not ours.files


def test_pem_and_stdin_input(inputs: Inputs, tmp_path: Path) -> None:
    """PEM responses and requests are read too, and '-' is stdin."""
    kdir = workdir(tmp_path, "k", inputs)
    pem = load_response((inputs.dir / "resp.der").read_bytes()).pem()
    ours = run_subprocess(["-respin", "-", "-CAfile", "root.pem", *NAMES, "-no_nonce"], kdir, stdin=pem)
    assert ours.rc == 0 and ours.err == "Response verify OK\n" and "rev.pem: revoked" in ours.out
    (kdir / "req.pem").write_bytes(load_request((inputs.dir / "req.der").read_bytes()).pem())
    ours = run_subprocess(["-reqin", "req.pem", "-reqout", "back.der"], kdir)
    assert ours.rc == 0 and ours.files["back.der"] == (inputs.dir / "req.der").read_bytes()


def test_key_with_passphrase(inputs: Inputs, openssl_bin: str, tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    """-passin pass:/env:/file: for an encrypted -rkey, as openssl reads it."""
    kdir = workdir(tmp_path, "k", inputs)
    result = run([openssl_bin, "pkcs8", "-topk8", "-in", "r.key", "-out", "enc.key", "-passout", "pass:secret"],
                 cwd=kdir)
    assert result.returncode == 0, result.stderr
    (kdir / "pw.txt").write_text("secret\n")
    monkeypatch.setenv("OCSPKIT_TEST_PW", "secret")
    for passin in ("pass:secret", "env:OCSPKIT_TEST_PW", "file:pw.txt"):
        args = [*SIGN[:6], "-rkey", "enc.key", "-passin", passin, "-reqin", "req.der", "-respout", "p.der"]
        ours = run_inprocess(args, kdir, capsys, monkeypatch)
        assert ours.rc == 0, ours.err
        (kdir / "p.der").unlink()
    ours = run_inprocess([*SIGN[:6], "-rkey", "enc.key", "-passin", "pass:wrong", "-reqin", "req.der"], kdir, capsys,
                         monkeypatch)
    assert ours.rc == 1 and ours.err.startswith("ocspkit: Unable to load responder private key")


def test_parse_helpers() -> None:
    """s2i_ASN1_INTEGER and BN_bn2hex, as the index lookup uses them."""
    assert [_common.serial_number(s) for s in ("12", "0x1F", "0X1f", "-5", "-0x10")] == [12, 31, 31, -5, -16]
    from ocspkit.responder import index

    assert [index.serial_hex(n) for n in (0, 1, 255, 256, -10)] == ["00", "01", "FF", "0100", "-0A"]
    assert summary.time_text(dt.datetime(2024, 1, 2, 3, 4, 5, 500000, tzinfo=UTC)) == "Jan  2 03:04:05.5 2024 GMT"
    assert index._split("a\\\tb\tc") == ["a\tb", "c"]


def test_crypto_reads_combined_files(inputs: Inputs) -> None:
    """The responder key is found in a file that holds the certificate first (-rsigner both.pem)."""
    key = _common.load_key(str(inputs.dir / "rboth.pem"), "responder private key")
    assert key.asn1.dump() == crypto.load_private_key(inputs.pki.responder.key_pem).asn1.dump()


def test_text_octets_that_are_not_utf8() -> None:
    """ocspkit.text keeps octets OpenSSL copies through (not UTF-8) as surrogate escapes: the
    openssl-compatible mode writes them as those octets, where a strict stdout would fail."""
    import io

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", write_through=True)
    _common.write_text(out, "ok\n")
    _common.write_text(out, "CPS: http://x/\udcff\udce9\n")
    assert raw.getvalue() == b"ok\nCPS: http://x/\xff\xe9\n"
