"""The responder service as an operator runs it: ``python -m ocspkit serve`` and the
openssl-compatible ``python -m ocspkit -index ... -port 0`` in subprocesses, asked by
``openssl ocsp``, by ocspkit's own HTTP client and by raw sockets.

One ``ocspkit serve --config responder.toml`` process (module scope) answers for two issuers with
different signers and stores:

* issuer A: signed by a delegated responder (id-kp-OCSPSigning), statuses from an index.txt
  written by hand, re-read every 0.2 s;
* issuer B: signed by the CA key itself, statuses from a SQLite store filled with
  ``ocspkit store add`` / ``ocspkit store revoke`` subprocesses.

Both test PKIs number their certificates the same way (from 1000), and the leaves are issued in
another order, so one serial number is good under A and revoked under B: an answer taken from the
wrong issuer's store shows.

Every process listens on 127.0.0.1 with port 0 (the port is read from the ``ACCEPT`` line; the
openssl-compatible ``-port`` mode listens on every interface, as ``openssl ocsp -port`` does, and
is only ever asked through 127.0.0.1). Every wait has a timeout, and every process is stopped in a
``finally`` or a fixture's teardown.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import email.utils
import hashlib
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import _openssl_cli
import pytest
from _http_helpers import Reply, fetch, get_path, read_reply
from _interop_helpers import index_line, openssl_time, parse_single_responses, summary_status
from conftest import ROOT

import ocspkit
from ocspkit.enums import CertStatus, ResponseStatus, RevocationReason
from ocspkit.http import check_certificate, fetch_reply
from ocspkit.request import RequestBuilder
from ocspkit.testing import CertifiedKey, TestPKI

UTC = dt.timezone.utc
START_TIMEOUT = 20.0  # a Python process importing, pre-signing and binding
TIMEOUT = 10.0  # any single exchange, any CLI call
STOP_TIMEOUT = 5.0  # a graceful shutdown ("promptly")
RELOAD_TIMEOUT = 5.0  # an index.txt change seen (check_interval is 0.2 s here)
TEN_MB = 10 * 1024 * 1024
OCSP_REQUEST = {"Content-Type": "application/ocsp-request"}
A_REVOKED_AT = dt.datetime(2024, 3, 2, 1, 2, 3, tzinfo=UTC)
B_REVOKED_AT = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
A_VALIDITY = dt.timedelta(hours=12)
B_VALIDITY = dt.timedelta(days=1)
ACCEPT = re.compile(r"^ACCEPT (\S+):(\d+) PID=(\d+)$", re.M)
# No proxy for anything here: the servers are on loopback.
CLEAN_ENV = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
SERVE_ENV = dict(CLEAN_ENV, PYTHONPATH=str(ROOT))


# --------------------------------------------------------------------------------------------
# Processes


def ocspkit_cli(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m ocspkit ARGS`` to completion (the admin commands), with a time limit."""
    return subprocess.run(
        [sys.executable, "-m", "ocspkit", *[str(a) for a in args]], cwd=str(cwd), env=SERVE_ENV,
        capture_output=True, text=True, timeout=TIMEOUT * 3, check=False,
    )


def openssl(openssl_bin: str, *args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return _openssl_cli.run([openssl_bin, *args], cwd=cwd, timeout=TIMEOUT * 3)


class Service:
    """A long-running process (``python -m ocspkit ...`` or ``openssl ocsp -port 0 ...``) found
    through the ``ACCEPT host:port`` line it prints once it listens. Output goes to files (a pipe
    nobody reads would fill up and stall the server)."""

    def __init__(self, argv: Sequence[object], directory: Path, name: str, *, env: Optional[Dict[str, str]] = None,
                 expect_pid: bool = True) -> None:
        self.out_path = directory / f"{name}.out"
        self.err_path = directory / f"{name}.err"
        with self.out_path.open("wb") as out, self.err_path.open("wb") as err:
            self.process = subprocess.Popen([str(a) for a in argv], stdout=out, stderr=err, cwd=str(directory),
                                            env=env or SERVE_ENV)
        self.host = "127.0.0.1"  # the only address ever asked
        self.port = 0
        self.bound = ""
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                m = ACCEPT.search(self.stdout()) if expect_pid else re.search(r"ACCEPT (\S+):(\d+)", self.stdout())
                if m:
                    self.bound, self.port = m.group(1), int(m.group(2))
                    if expect_pid:
                        assert int(m.group(3)) == self.process.pid, self.output()
                    return
                if self.process.poll() is not None:
                    raise AssertionError(f"{name} exited with {self.process.returncode}: {self.output()}")
                if time.monotonic() > deadline:
                    raise AssertionError(f"{name} did not listen within {START_TIMEOUT}s: {self.output()}")
                time.sleep(0.02)
        except BaseException:
            self.kill()
            raise

    @classmethod
    def ocspkit(cls, args: Sequence[object], directory: Path, name: str) -> Service:
        return cls([sys.executable, "-m", "ocspkit", *args], directory, name)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def stdout(self) -> str:
        return self.out_path.read_text(errors="replace")

    def stderr(self) -> str:
        return self.err_path.read_text(errors="replace")

    def output(self) -> str:
        return self.stdout() + self.stderr()

    def wait(self, timeout: float = STOP_TIMEOUT) -> int:
        return self.process.wait(timeout)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Signal the process and wait for it (killed if it does not go within STOP_TIMEOUT)."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"still running {STOP_TIMEOUT}s after signal {sig}: {self.output()}") from None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(TIMEOUT)


@contextlib.contextmanager
def running(service: Service) -> Iterator[Service]:
    try:
        yield service
    finally:
        service.kill()


# --------------------------------------------------------------------------------------------
# The site: two issuers, their files, the configuration, the running service


@dataclasses.dataclass
class Issuer:
    name: str  # "a" or "b": also its directory
    pki: TestPKI
    signer: CertifiedKey  # who signs its answers: the delegated responder (A) or the CA (B)
    leaves: Dict[str, CertifiedKey]  # good, revoked, unknown (never recorded), live (changed by tests)
    revoked_at: dt.datetime
    reason: str  # the RFC 5280 name openssl prints
    reason_code: RevocationReason
    validity: dt.timedelta

    @property
    def ca(self) -> CertifiedKey:
        return self.pki.intermediate

    def path(self, what: str) -> str:
        """Relative to the site directory, where every process runs."""
        return f"{self.name}/{what}.pem"

    def request(self, leaf: str, *, nonce: bool = False) -> bytes:
        builder = RequestBuilder().add_cert(self.leaves[leaf].cert_der, self.ca.cert_der)
        return (builder.with_nonce() if nonce else builder).build().dump()


@dataclasses.dataclass
class Site:
    directory: Path
    a: Issuer
    b: Issuer
    service: Optional[Service] = None

    @property
    def issuers(self) -> Tuple[Issuer, Issuer]:
        return self.a, self.b

    @property
    def server(self) -> Service:
        assert self.service is not None
        return self.service

    def index_rows(self, *, live_revoked: bool = False) -> str:
        """Issuer A's index.txt, by hand: the good and live leaves V, the revoked one R."""
        a = self.a
        rows = [
            index_line("V", a.leaves["good"].serial_number, a.pki.not_after, "/CN=good.a.example"),
            index_line("R", a.leaves["revoked"].serial_number, a.pki.not_after, "/CN=revoked.a.example",
                       revoked=a.revoked_at, reason="keyCompromise"),
        ]
        if live_revoked:
            rows.append(index_line("R", a.leaves["live"].serial_number, a.pki.not_after, "/CN=live.a.example",
                                   revoked=A_REVOKED_AT, reason="cessationOfOperation"))
        else:
            rows.append(index_line("V", a.leaves["live"].serial_number, a.pki.not_after, "/CN=live.a.example"))
        return "".join(rows)

    def write_index(self, text: str, name: str = "a/index.txt") -> None:
        """Replace the file at once, as ``openssl ca`` does (index.txt.new renamed over it)."""
        target = self.directory / name
        temporary = target.with_name(target.name + ".new")
        temporary.write_text(text)
        os.replace(temporary, target)


CONFIG = """\
[server]
host = "127.0.0.1"
port = 8080

[responder]
presign = true

[[issuer]]
label = "Issuer A"
ca = "a/ca.pem"
signer_certificate = "a/responder.pem"   # a delegated responder (id-kp-OCSPSigning)
signer_key = "a/responder.key"
validity = "12h"
store = { type = "index", path = "a/index.txt", check_interval = 0.2 }

[[issuer]]
label = "Issuer B"
ca = "b/ca.pem"
signer_key = "b/ca.key"                  # the CA signs its own answers
validity = "1d"
store = { type = "sqlite", path = "b/ocsp.db", issuer = "ca-b" }
"""


def make_issuer(name: str, order: Sequence[str], revoked_at: dt.datetime, reason: RevocationReason,
                validity: dt.timedelta) -> Issuer:
    pki = TestPKI("ec")
    leaves = {leaf: pki.issue_leaf(f"{leaf}.{name}.example") for leaf in order}
    signer = pki.responder if name == "a" else pki.intermediate
    return Issuer(name, pki, signer, leaves, revoked_at, reason.asn1_name, reason, validity)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    directory = tmp_path_factory.mktemp("responder-cli")
    # Same serial numbers in both PKIs, in another order: serial N is good under A, revoked under B.
    a = make_issuer("a", ("good", "revoked", "unknown", "live"), A_REVOKED_AT, RevocationReason.KEY_COMPROMISE,
                    A_VALIDITY)
    b = make_issuer("b", ("revoked", "good", "unknown", "live"), B_REVOKED_AT, RevocationReason.AFFILIATION_CHANGED,
                    B_VALIDITY)
    assert a.leaves["good"].serial_number == b.leaves["revoked"].serial_number
    site = Site(directory, a, b)
    for issuer in (a, b):
        (directory / issuer.name).mkdir()
        (directory / issuer.path("ca")).write_bytes(issuer.ca.cert_pem)
        for leaf, certified in issuer.leaves.items():
            (directory / issuer.path(leaf)).write_bytes(certified.cert_pem)
    (directory / "a/responder.pem").write_bytes(a.pki.responder.cert_pem)
    (directory / "a/responder.key").write_bytes(a.pki.responder.key_pem)
    (directory / "b/ca.key").write_bytes(b.ca.key_pem)
    site.write_index(site.index_rows())
    site.write_index(site.index_rows(), "a/index-port.txt")  # for the -port tests: never changed
    # Issuer B's store, filled by the admin commands as an operator would.
    db = ["--db", "b/ocsp.db", "--issuer", "ca-b"]
    for args in (["add", *db, "b/good.pem", "b/live.pem"],
                 ["revoke", *db, "b/revoked.pem", "--reason", "affiliationChanged", "--time", "2024-05-06T07:08:09Z"]):
        done = ocspkit_cli("store", *args, cwd=directory)
        assert done.returncode == 0, done.stderr
    (directory / "responder.toml").write_text(CONFIG)
    site.service = Service.ocspkit(["serve", "--config", "responder.toml", "--port", "0"], directory, "serve")
    try:
        yield site
    finally:
        code = site.server.stop()
    assert code == 0, site.server.output()
    assert "Traceback" not in site.server.stderr(), site.server.stderr()


# --------------------------------------------------------------------------------------------
# Clients


def status_of(server: Service, issuer: Issuer, leaf: str) -> ocspkit.CertificateStatus:
    """A cacheable GET (no nonce: the pre-signed path), checked against the issuer."""
    reply = fetch(server, "GET", get_path(issuer.request(leaf)))
    assert reply.status == 200, reply
    return ocspkit.check_status(reply.body, issuer.leaves[leaf].cert_der, issuer.ca.cert_der)


def metrics(server: Service) -> Dict[str, float]:
    reply = fetch(server, "GET", "/metrics")
    assert reply.status == 200
    values = {}
    for line in reply.body.decode().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {what}")
        time.sleep(0.05)


def openssl_check(openssl_bin: str, site: Site, url: str, issuer: Issuer, certs: Sequence[str], vafile: str,
                  *extra: str) -> subprocess.CompletedProcess[str]:
    """``openssl ocsp -issuer ca.pem -cert ... -VAfile ... -url URL -text``: the reference command."""
    args: List[str] = ["ocsp", "-issuer", issuer.path("ca")]
    for cert in certs:
        args += ["-cert", issuer.path(cert)]
    return openssl(openssl_bin, *args, "-VAfile", vafile, "-url", url, "-text", "-timeout", "10", *extra,
                   cwd=site.directory)


# --------------------------------------------------------------------------------------------
# 1. The issue's must-pass: openssl ocsp -VAfile against `ocspkit serve`, two issuers, two signers


@pytest.mark.parametrize("issuer_name", ["a", "b"])
@pytest.mark.parametrize("leaf", ["good", "revoked", "unknown"])
def test_openssl_reference_command_two_issuers(site: Site, openssl_bin: str, issuer_name: str, leaf: str) -> None:
    issuer = site.a if issuer_name == "a" else site.b
    vafile = "a/responder.pem" if issuer is site.a else "b/ca.pem"  # the certificate that signs
    done = openssl_check(openssl_bin, site, site.server.url, issuer, [leaf], vafile)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Response verify OK" in done.stderr, done.stderr
    fields = summary_status(done.stdout, issuer.path(leaf))
    assert fields["status"] == leaf
    # -text: the response as openssl reads it.
    assert "OCSP Response Status: successful (0x0)" in done.stdout
    signer_cn = "ocspkit Test OCSP Responder" if issuer is site.a else "ocspkit Test Intermediate CA"
    assert f"Responder Id: CN = {signer_cn}" in done.stdout
    (single,) = parse_single_responses(done.stdout)
    assert int(single["Serial Number"], 16) == issuer.leaves[leaf].serial_number
    assert single["Cert Status"] == leaf
    # Each issuer's own validity: nextUpdate - thisUpdate is 12 h for A, a day for B.
    this_update = dt.datetime.strptime(single["This Update"], "%b %d %H:%M:%S %Y GMT")
    next_update = dt.datetime.strptime(single["Next Update"], "%b %d %H:%M:%S %Y GMT")
    assert next_update - this_update == issuer.validity
    if leaf == "revoked":
        assert fields["Reason"] == issuer.reason
        assert fields["Revocation Time"] == openssl_time(issuer.revoked_at)
        assert single["Revocation Reason"].startswith(issuer.reason)
    else:
        assert "Reason" not in fields and "Revocation Time" not in fields
    # The signer's certificate is the one in the response (-text prints it).
    assert issuer.signer.cert_pem.decode().strip() in done.stdout
    if issuer is site.a:
        # Another certificate as -VAfile does not do: the delegated responder is what was trusted.
        # (For B the CA signs, and openssl trusts the -issuer certificate as a signer anyway.)
        refused = openssl_check(openssl_bin, site, site.server.url, issuer, [leaf], "b/ca.pem")
        assert "Response Verify Failure" in refused.stderr, refused.stdout + refused.stderr
        assert refused.returncode != 0


def test_openssl_one_request_per_issuer_several_certificates(site: Site, openssl_bin: str) -> None:
    # Three CertIDs of one issuer in one request: three answers, in order.
    for issuer, vafile in ((site.a, "a/responder.pem"), (site.b, "b/ca.pem")):
        done = openssl_check(openssl_bin, site, site.server.url, issuer, ["good", "revoked", "unknown"], vafile)
        assert done.returncode == 0 and "Response verify OK" in done.stderr, done.stdout + done.stderr
        for leaf in ("good", "revoked", "unknown"):
            assert summary_status(done.stdout, issuer.path(leaf))["status"] == leaf


# --------------------------------------------------------------------------------------------
# 2. Our client against `ocspkit serve`: GET and POST, cache headers, 304


CACHE_CONTROL = re.compile(r"^max-age=(\d+), public, no-transform, must-revalidate$")


@pytest.mark.parametrize("issuer_name", ["a", "b"])
def test_client_get_cache_headers_and_304(site: Site, issuer_name: str) -> None:
    issuer = site.a if issuer_name == "a" else site.b
    request = ocspkit.load_request(issuer.request("good"))  # one SHA-1 CertID, no nonce: cacheable
    asked = dt.datetime.now(UTC)
    reply = fetch_reply(request, site.server.url, method="GET", proxy="", timeout=TIMEOUT)
    assert reply.method == "GET" and reply.status == 200 and reply.fallback is None
    assert reply.content_type == "application/ocsp-response"
    checked = ocspkit.check_status(reply.body, issuer.leaves["good"].cert_der, issuer.ca.cert_der)
    assert checked.status is CertStatus.GOOD
    single = ocspkit.load_response(reply.body).responses[0]
    assert single.next_update is not None and single.next_update - single.this_update == issuer.validity
    # RFC 5019 6.2: exactly these directives, max-age the seconds left until nextUpdate.
    cache_control = reply.header("Cache-Control")
    assert cache_control is not None
    m = CACHE_CONTROL.match(cache_control)
    assert m, cache_control
    max_age = int(m.group(1))
    assert abs(max_age - (single.next_update - asked).total_seconds()) <= 5
    assert 0 < max_age <= issuer.validity.total_seconds()
    assert reply.header("Expires") == email.utils.format_datetime(single.next_update, usegmt=True)
    assert reply.header("Last-Modified") == email.utils.format_datetime(single.this_update, usegmt=True)
    etag = reply.header("ETag")
    assert etag == '"' + hashlib.sha1(reply.body).hexdigest() + '"'
    assert reply.header("Date") is not None
    # The same URL again (our client's encoding of the request) with If-None-Match: 304, no body.
    path = urllib.parse.urlsplit(reply.url).path
    again = fetch(site.server, "GET", path, headers={"If-None-Match": etag})
    assert again.status == 304 and again.body == b""
    assert again.headers["etag"] == etag and again.headers["expires"] == reply.header("Expires")
    revalidated = CACHE_CONTROL.match(again.headers["cache-control"])
    assert revalidated and max_age - 2 <= int(revalidated.group(1)) <= max_age  # counted down meanwhile
    assert fetch(site.server, "GET", path, headers={"If-None-Match": '"something-else"'}).status == 200
    # POST: the same answer, without cache headers (RFC 5019 6.2 is about GET).
    posted = fetch_reply(request, site.server.url, method="POST", proxy="", timeout=TIMEOUT)
    assert posted.method == "POST" and posted.status == 200
    assert ocspkit.check_status(posted.body, issuer.leaves["good"].cert_der, issuer.ca.cert_der).status \
        is CertStatus.GOOD
    for name in ("Cache-Control", "Expires", "ETag", "Last-Modified"):
        assert posted.header(name) is None, name


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("issuer_name", ["a", "b"])
def test_client_fetch_reply_every_status(site: Site, issuer_name: str, method: str) -> None:
    issuer = site.a if issuer_name == "a" else site.b
    for leaf, expected in (("good", CertStatus.GOOD), ("revoked", CertStatus.REVOKED),
                           ("unknown", CertStatus.UNKNOWN)):
        request = ocspkit.load_request(issuer.request(leaf, nonce=True))
        reply = fetch_reply(request, site.server.url, method=method, proxy="", timeout=TIMEOUT)
        assert reply.method == method
        checked = ocspkit.check_status(reply.body, issuer.leaves[leaf].cert_der, issuer.ca.cert_der, request=request)
        assert checked.status is expected, leaf
        for name in ("Cache-Control", "Expires", "ETag", "Last-Modified"):  # a nonce: not for caches
            assert reply.header(name) is None, name
        if expected is CertStatus.REVOKED:
            assert checked.revocation_time == issuer.revoked_at
            assert checked.revocation_reason is issuer.reason_code


def test_check_certificate_follows_the_aia_url(site: Site) -> None:
    # Leaves whose authorityInfoAccess names the running service (known only once it listens),
    # recorded in issuer B's store with the admin commands while the service runs.
    b = site.b
    leaves = {name: b.pki.issue_leaf(f"aia-{name}.b.example", ocsp_url=site.server.url)
              for name in ("good", "revoked", "unknown")}
    for name, leaf in leaves.items():
        (site.directory / f"b/aia-{name}.pem").write_bytes(leaf.cert_pem)
    db = ["--db", "b/ocsp.db", "--issuer", "ca-b"]
    for args in (["add", *db, "b/aia-good.pem"], ["revoke", *db, "b/aia-revoked.pem", "--reason", "superseded"]):
        done = ocspkit_cli("store", *args, cwd=site.directory)
        assert done.returncode == 0, done.stderr
    assert ocspkit.http.ocsp_urls(leaves["good"].cert_der) == [site.server.url]
    for method in ("auto", "GET", "POST"):
        for name, expected in (("good", CertStatus.GOOD), ("revoked", CertStatus.REVOKED),
                               ("unknown", CertStatus.UNKNOWN)):
            status = check_certificate(leaves[name].cert_der, b.ca.cert_der, method=method, proxy="",
                                       timeout=TIMEOUT, require_nonce=True)
            assert status.status is expected, (method, name)
            if expected is CertStatus.REVOKED:
                assert status.revocation_reason is RevocationReason.SUPERSEDED
    # url= instead of the AIA, for issuer A (a leaf without AIA), trusting the root: the chain of
    # the delegated responder is checked too.
    a = site.a
    status = check_certificate(a.leaves["revoked"].cert_der, a.ca.cert_der, url=site.server.url, proxy="",
                               trusted=[a.pki.root.cert_der], untrusted=[a.ca.cert_der], timeout=TIMEOUT)
    assert status.status is CertStatus.REVOKED
    assert status.revocation_reason is RevocationReason.KEY_COMPROMISE
    assert status.revocation_time == A_REVOKED_AT


# --------------------------------------------------------------------------------------------
# 3. Store changes seen live; /health and /metrics


def test_store_revoke_seen_live(site: Site) -> None:
    b, server = site.b, site.server
    assert status_of(server, b, "live").status is CertStatus.GOOD  # pre-signed at start
    done = ocspkit_cli("store", "revoke", "--db", "b/ocsp.db", "--issuer", "ca-b", "b/live.pem",
                       "--reason", "cessationOfOperation", "--time", "2024-06-01T00:00:00Z", cwd=site.directory)
    assert done.returncode == 0, done.stderr
    # The very next request: the SQLite generation moved, the pre-signed answer is dropped.
    status = status_of(server, b, "live")
    assert status.status is CertStatus.REVOKED
    assert status.revocation_reason is RevocationReason.CESSATION_OF_OPERATION
    assert status.revocation_time == dt.datetime(2024, 6, 1, tzinfo=UTC)
    listed = ocspkit_cli("store", "list", "--db", "b/ocsp.db", "--issuer", "ca-b", cwd=site.directory)
    assert re.search(rf"^0x{b.leaves['live'].serial_number:04X}\s+revoked\s", listed.stdout, re.M), listed.stdout
    # The other issuer's answers are untouched (its serial numbers are the same numbers).
    assert status_of(server, site.a, "live").status is CertStatus.GOOD
    assert status_of(server, site.a, "good").status is CertStatus.GOOD


def test_index_txt_change_seen_and_corrupt_copy_ignored(site: Site) -> None:
    a, server = site.a, site.server
    assert status_of(server, a, "live").status is CertStatus.GOOD
    try:
        site.write_index(site.index_rows(live_revoked=True))
        wait_for(lambda: status_of(server, a, "live").status is CertStatus.REVOKED, RELOAD_TIMEOUT,
                 "the revocation in the new index.txt")
        status = status_of(server, a, "live")
        assert status.revocation_reason is RevocationReason.CESSATION_OF_OPERATION
        # A corrupt index.txt (a row with one field makes OpenSSL refuse the whole file): the
        # server logs it and keeps answering from the last good copy, even for rows the corrupt
        # copy changes (it would revoke the good leaf).
        good = site.a.leaves["good"].serial_number
        corrupt = site.index_rows(live_revoked=True).replace(
            index_line("V", good, a.pki.not_after, "/CN=good.a.example"),
            index_line("R", good, a.pki.not_after, "/CN=good.a.example", revoked=A_REVOKED_AT, reason="superseded"),
        ) + "this is not an index row\n"
        assert corrupt.count("R\t") == 3
        (site.directory / "a/index.txt").write_text(corrupt)  # in place, not renamed: seen too
        # The store looks at the file when asked (at most every check_interval): keep asking.
        wait_for(lambda: status_of(server, a, "good").status is CertStatus.GOOD
                 and "keeping the copy read before" in server.stderr(), RELOAD_TIMEOUT,
                 "the warning about the corrupt index.txt")
        assert "Problem with index file" in server.stderr()
        for _ in range(3):
            assert status_of(server, a, "good").status is CertStatus.GOOD
            assert status_of(server, a, "live").status is CertStatus.REVOKED
            assert status_of(server, a, "revoked").status is CertStatus.REVOKED
            time.sleep(0.25)  # past check_interval: the file is looked at again, and refused again
        assert server.stderr().count("keeping the copy read before") == 1  # logged once per version
        # The store still answers (from its last good copy): the service is healthy, and says so.
        health = fetch(server, "GET", "/health")
        assert health.status == 200 and health.body.startswith(b"ok\nwarning: Issuer A: serving the last good copy: ")
        assert b"Problem with index file" in health.body
    finally:
        site.write_index(site.index_rows(live_revoked=True))
    assert server.process.poll() is None


def test_health_and_metrics_reflect_traffic(site: Site) -> None:
    server = site.server
    # A good index.txt again (an earlier test corrupted it): the warning goes once it is re-read.
    wait_for(lambda: fetch(server, "GET", "/health").body == b"ok\n", RELOAD_TIMEOUT, "a clean /health")
    health = fetch(server, "GET", "/health")
    assert (health.status, health.body) == (200, b"ok\n")
    assert fetch(server, "HEAD", "/health").body == b""
    before = metrics(server)
    status_of(server, site.b, "good")
    status_of(server, site.b, "good")  # the same answer again, from the cache
    fetch(server, "GET", get_path(site.a.request("revoked")))
    fetch(server, "POST", "/", site.a.request("unknown", nonce=True), OCSP_REQUEST)
    fetch(server, "POST", "/", site.b.request("revoked", nonce=True), OCSP_REQUEST)
    fetch(server, "POST", "/", b"\x30\x03abc", OCSP_REQUEST)
    fetch(server, "POST", "/", site.a.request("good"), {"Content-Type": "text/plain"})
    fetch(server, "DELETE", "/")
    after = metrics(server)

    def delta(name: str) -> float:
        return after.get(name, 0.0) - before.get(name, 0.0)

    assert delta('ocspkit_http_requests_total{method="GET",code="200"}') == 3  # /health, /metrics not counted
    assert delta('ocspkit_http_requests_total{method="POST",code="200"}') == 3
    assert delta('ocspkit_http_requests_total{method="POST",code="415"}') == 1
    assert delta('ocspkit_http_requests_total{method="OTHER",code="405"}') == 1
    assert delta('ocspkit_responses_total{status="successful"}') == 5
    assert delta('ocspkit_responses_total{status="malformed_request"}') == 2
    assert delta('ocspkit_cert_statuses_total{status="good"}') == 2
    assert delta('ocspkit_cert_statuses_total{status="revoked"}') == 2
    assert delta('ocspkit_cert_statuses_total{status="unknown"}') == 1
    # The three GETs without a nonce are cacheable: each a hit or a miss (a miss when a store
    # changed since the answer was signed); the second of two identical ones is a hit.
    assert delta("ocspkit_cache_hits_total") + delta("ocspkit_cache_misses_total") == 3
    assert delta("ocspkit_cache_hits_total") >= 1
    assert delta("ocspkit_signatures_total") >= 2  # the two nonces
    assert delta("ocspkit_store_errors_total") == 0
    assert delta("ocspkit_request_duration_seconds_count") == 8
    # The request log (INFO, on stderr), one line per OCSP request.
    assert re.search(r"^.*POST / -> 200 successful", server.stderr(), re.M), server.stderr()[-2000:]


# --------------------------------------------------------------------------------------------
# 4. The openssl-compatible mode: ocspkit -index ... -port 0 -nrequest N


PORT_ARGS = ("-index", "a/index-port.txt", "-CA", "a/ca.pem", "-rsigner", "a/responder.pem",
             "-rkey", "a/responder.key")


def openssl_port(openssl_bin: str, site: Site, name: str, *args: str) -> Service:
    """``openssl ocsp -index ... -port 0 ...``: the reference responder, on the same files."""
    return Service([openssl_bin, "ocsp", *PORT_ARGS, "-port", "0", *args], site.directory, name, env=CLEAN_ENV)


def summaries(text: str, site: Site, leaves: Sequence[str]) -> Dict[str, Dict[str, str]]:
    """The status lines of each certificate, without the times that depend on the moment of signing."""
    result = {}
    for leaf in leaves:
        fields = summary_status(text, site.a.path(leaf))
        fields.pop("This Update")
        if "Next Update" in fields:
            fields["Next Update"] = "present"
        result[leaf] = fields
    return result


def test_openssl_mode_answers_as_openssl_and_stops_after_nrequest(site: Site, openssl_bin: str) -> None:
    leaves = ("good", "revoked", "unknown")
    ours = Service.ocspkit([*PORT_ARGS, "-port", "0", "-nrequest", "3"], site.directory, "port-mode")
    with running(ours):
        assert ours.bound == "0.0.0.0"  # openssl ocsp -port listens on every interface; asked on loopback
        # 1: openssl's own client, the three certificates in one request.
        mine = openssl_check(openssl_bin, site, ours.url, site.a, leaves, "a/responder.pem")
        assert mine.returncode == 0 and "Response verify OK" in mine.stderr, mine.stdout + mine.stderr
        # 2, 3: our client, GET and POST.
        got = fetch_reply(site.a.request("revoked"), ours.url, method="GET", proxy="", timeout=TIMEOUT)
        checked = ocspkit.check_status(got.body, site.a.leaves["revoked"].cert_der, site.a.ca.cert_der)
        assert checked.status is CertStatus.REVOKED and checked.next_update is None  # no -ndays: none
        assert got.header("Cache-Control") == "no-cache"  # no nextUpdate: nothing to cache until
        request = site.a.request("good", nonce=True)
        posted = fetch_reply(request, ours.url, method="POST", proxy="", timeout=TIMEOUT)
        assert ocspkit.check_status(posted.body, site.a.leaves["good"].cert_der, site.a.ca.cert_der,
                                    request=request).status is CertStatus.GOOD
        # -nrequest 3: it exits by itself, successfully.
        assert ours.wait(TIMEOUT) == 0, ours.output()
    assert "Traceback" not in ours.stderr()
    theirs = openssl_port(openssl_bin, site, "openssl-port", "-nrequest", "2")
    with running(theirs):
        reference = openssl_check(openssl_bin, site, theirs.url, site.a, leaves, "a/responder.pem")
        assert reference.returncode == 0 and "Response verify OK" in reference.stderr, reference.stderr
        their_got = fetch_reply(site.a.request("revoked"), theirs.url, method="GET", proxy="", timeout=TIMEOUT)
        assert theirs.wait(TIMEOUT) == 0
    # The certs field: the responder's certificate once, as openssl sends it (it was there twice:
    # 2058 bytes against openssl's 1264).
    ours_certs = ocspkit.load_response(got.body).basic.certs_der
    assert ours_certs == ocspkit.load_response(their_got.body).basic.certs_der == (site.a.signer.cert_der,)
    assert summaries(mine.stdout, site, leaves) == summaries(reference.stdout, site, leaves)
    assert summaries(mine.stdout, site, leaves)["revoked"] == {
        "status": "revoked", "Reason": "keyCompromise", "Revocation Time": openssl_time(A_REVOKED_AT)}


def test_openssl_mode_ndays_resp_key_id_resp_no_certs(site: Site, openssl_bin: str) -> None:
    options = ("-ndays", "1", "-resp_key_id", "-resp_no_certs")
    ours = Service.ocspkit([*PORT_ARGS, *options, "-port", "0", "-nrequest", "2"], site.directory, "port-options")
    with running(ours):
        mine = openssl_check(openssl_bin, site, ours.url, site.a, ["revoked"], "a/responder.pem")
        # No certificates in the response: without -VAfile openssl cannot find the signer.
        blind = openssl(openssl_bin, "ocsp", "-issuer", "a/ca.pem", "-cert", "a/revoked.pem", "-url", ours.url,
                        "-timeout", "10", cwd=site.directory)
        assert ours.wait(TIMEOUT) == 0, ours.output()
    assert mine.returncode == 0 and "Response verify OK" in mine.stderr, mine.stdout + mine.stderr
    assert "Response Verify Failure" in blind.stderr and blind.returncode == 1, blind.stdout + blind.stderr
    theirs = openssl_port(openssl_bin, site, "openssl-port-options", *options, "-nrequest", "1")
    with running(theirs):
        reference = openssl_check(openssl_bin, site, theirs.url, site.a, ["revoked"], "a/responder.pem")
        assert theirs.wait(TIMEOUT) == 0
    assert reference.returncode == 0, reference.stderr
    for text in (mine.stdout, reference.stdout):
        assert "BEGIN CERTIFICATE" not in text and "\nCertificate:\n" not in text  # -resp_no_certs
        (single,) = parse_single_responses(text)
        this_update = dt.datetime.strptime(single["This Update"], "%b %d %H:%M:%S %Y GMT")
        next_update = dt.datetime.strptime(single["Next Update"], "%b %d %H:%M:%S %Y GMT")
        assert next_update - this_update == dt.timedelta(days=1)  # -ndays 1
    # -resp_key_id: byKey, the SHA-1 of the responder's public key, the same value openssl writes.
    key_id = re.search(r"Responder Id: ([0-9A-F]{40})$", mine.stdout, re.M)
    assert key_id, mine.stdout
    assert key_id.group(0) in reference.stdout
    assert summaries(mine.stdout, site, ["revoked"]) == summaries(reference.stdout, site, ["revoked"])


# --------------------------------------------------------------------------------------------
# 5. Clean shutdown, and configuration errors


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_promptly_on_signal(site: Site, sig: signal.Signals) -> None:
    # The one-issuer command line this time: issuer B, the CA signing, its SQLite store.
    # (--rmd is given: without it `ocspkit serve --ca` crashes, see test_serve_one_issuer_defaults.)
    service = Service.ocspkit(["serve", "--ca", "b/ca.pem", "--rkey", "b/ca.key", "--db", "b/ocsp.db",
                               "--issuer-label", "ca-b", "--validity", "1h", "--rmd", "SHA-384", "--port", "0"],
                              site.directory, f"serve-{sig.name}")
    with running(service):
        assert service.bound == "127.0.0.1"  # the default host: loopback
        reply = fetch(service, "GET", get_path(site.b.request("good")))
        status = ocspkit.check_status(reply.body, site.b.leaves["good"].cert_der, site.b.ca.cert_der)
        assert status.status is CertStatus.GOOD
        assert status.next_update is not None and status.this_update is not None
        assert status.next_update - status.this_update == dt.timedelta(hours=1)  # --validity 1h
        assert ocspkit.load_response(reply.body).basic.signature_algorithm["algorithm"].native == "sha384_ecdsa"
        # An idle keep-alive connection does not hold the shutdown.
        with socket.create_connection((service.host, service.port), timeout=TIMEOUT) as idle:
            request = site.b.request("revoked")
            idle.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(request) + request)
            answer = read_reply(idle)
            assert answer.status == 200 and answer.ocsp().responses[0].cert_status is CertStatus.REVOKED
            started = time.monotonic()
            code = service.stop(sig)
            elapsed = time.monotonic() - started
    # run() returns the signal's number after a graceful shutdown (it does not re-raise it, as
    # uvicorn alone would); `ocspkit serve` then exits 0, for SIGTERM and SIGINT alike.
    assert code == 0, service.output()
    assert elapsed < STOP_TIMEOUT
    assert f"stopped by signal {int(sig)}" in service.stderr()
    assert "Traceback" not in service.stderr() and "KeyboardInterrupt" not in service.stderr()
    with pytest.raises(OSError):
        socket.create_connection((service.host, service.port), timeout=1).close()


def test_serve_one_issuer_defaults(site: Site) -> None:
    # docs/responder-config.md's first two examples, as written (no --rmd).
    for name, args, issuer in (
        ("serve-index", ["--ca", "a/ca.pem", "--rsigner", "a/responder.pem", "--rkey", "a/responder.key",
                         "--index", "a/index-port.txt"], site.a),
        ("serve-db", ["--ca", "b/ca.pem", "--rkey", "b/ca.key", "--db", "b/ocsp.db", "--issuer-label", "ca-b",
                      "--http", "asgi"], site.b),  # uvicorn's own HTTP protocol running the ASGI app
    ):
        with running(Service.ocspkit(["serve", *args, "--port", "0"], site.directory, name)) as service:
            assert status_of(service, issuer, "revoked").status is CertStatus.REVOKED
            assert service.stop() == 0


BAD_CONFIGS = {
    "missing-config": (None, "cannot read the configuration"),
    "missing-ca": (CONFIG.replace('ca = "b/ca.pem"', 'ca = "b/nothing.pem"'), "b/nothing.pem"),
    "garbage-key": (CONFIG.replace('signer_key = "b/ca.key"', 'signer_key = "b/ca.pem"'), "issuer #2"),
    "wrong-key": (CONFIG.replace('signer_key = "b/ca.key"', 'signer_key = "a/responder.key"'),
                  "the signer key does not belong to the CA certificate"),
    "typo": (CONFIG.replace('validity = "1d"', 'validty = "1d"'), "unknown keys ['validty']"),
    "bad-toml": (CONFIG + "[[issuer\n", "not valid TOML"),
}
BAD_COMMAND_LINES = {
    "cli-garbage-key": (["--ca", "b/ca.pem", "--rkey", "b/ca.pem", "--db", "b/ocsp.db"], "private key"),
    "cli-wrong-key": (["--ca", "b/ca.pem", "--rkey", "a/responder.key", "--db", "b/ocsp.db"], "does not belong"),
    "cli-missing-ca": (["--ca", "b/missing.pem", "--rkey", "b/ca.key", "--db", "b/ocsp.db"], "b/missing.pem"),
    "cli-request-timeout": (["--ca", "b/ca.pem", "--rkey", "b/ca.key", "--db", "b/ocsp.db", "--request-timeout", "0"],
                            "--request-timeout must be positive"),
}


def serve_with_bad_setup(site: Site, case: str) -> subprocess.CompletedProcess[str]:
    if case in BAD_COMMAND_LINES:
        args = [*BAD_COMMAND_LINES[case][0], "--issuer-label", "ca-b", "--rmd", "sha256"]
    else:
        text = BAD_CONFIGS[case][0]
        config = site.directory / f"bad-{case}.toml"
        if text is not None:
            config.write_text(text)
        args = ["--config", config.name]
    return ocspkit_cli("serve", *args, "--port", "0", cwd=site.directory)


@pytest.mark.parametrize("case", [*sorted(BAD_CONFIGS), *sorted(BAD_COMMAND_LINES)])
def test_serve_configuration_error_exits_1(site: Site, case: str) -> None:
    expected = {**BAD_CONFIGS, **BAD_COMMAND_LINES}[case][1]
    done = serve_with_bad_setup(site, case)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "ACCEPT" not in done.stdout and "Traceback" not in done.stderr, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ocspkit: ") and expected in lines[0], done.stderr


# --------------------------------------------------------------------------------------------
# 6. Hostile input against the process (the full set is in test_responder_http.py)


def malformed(reply: Reply) -> bool:
    return reply.status == 200 and reply.ocsp().response_status is ResponseStatus.MALFORMED_REQUEST


def test_hostile_input_smoke(site: Site) -> None:
    server = site.server
    before = metrics(server)
    # Connections that open and close without a byte, with FIN and with RST.
    for abortive in (False, True, False, True):
        sock = socket.create_connection((server.host, server.port), timeout=TIMEOUT)
        if abortive:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()
    # Random bytes POSTed: malformedRequest, never a crash.
    rng = random.Random(6960)
    for size in (1, 2, 100, 5000, 60000):
        body = bytes(rng.getrandbits(8) for _ in range(size))
        for content in (body, b"\x30" + body[1:]):
            reply = fetch(server, "POST", "/", content, OCSP_REQUEST)
            assert malformed(reply), size
            assert reply.headers["cache-control"] == "no-store"
    # A 10 MB body: refused from its Content-Length (only 64 KiB is sent), and again when pushed whole.
    with socket.create_connection((server.host, server.port), timeout=TIMEOUT) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                     b"Content-Length: %d\r\n\r\n" % TEN_MB + b"\x30" * 65536)
        reply = read_reply(sock)
        assert reply.status == 413 and reply.headers["connection"] == "close"
        assert reply.ocsp().response_status is ResponseStatus.MALFORMED_REQUEST
    with socket.create_connection((server.host, server.port), timeout=TIMEOUT) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                     b"Content-Length: %d\r\n\r\n" % TEN_MB)
        failures: List[BaseException] = []

        def push() -> None:
            piece = b"\x30" * 65536
            try:
                for _ in range(TEN_MB // len(piece)):
                    sock.sendall(piece)
            except OSError:
                pass  # the server closed after its 413: expected
            except BaseException as exc:  # pragma: no cover - reported below
                failures.append(exc)

        pusher = threading.Thread(target=push, daemon=True)
        pusher.start()
        try:
            reply = read_reply(sock)
            assert reply.status == 413
        finally:
            pusher.join(TIMEOUT)
        assert not pusher.is_alive() and not failures
    # Still serving, right, for both issuers.
    for issuer in site.issuers:
        for leaf, expected in (("good", CertStatus.GOOD), ("revoked", CertStatus.REVOKED)):
            request = issuer.request(leaf, nonce=True)
            reply = fetch(server, "POST", "/", request, OCSP_REQUEST)
            assert ocspkit.check_status(reply.body, issuer.leaves[leaf].cert_der, issuer.ca.cert_der,
                                        request=request).status is expected
    after = metrics(server)
    assert after['ocspkit_http_requests_total{method="POST",code="413"}'] \
        - before.get('ocspkit_http_requests_total{method="POST",code="413"}', 0.0) == 2
    assert server.process.poll() is None
    assert "Traceback" not in server.stderr()
