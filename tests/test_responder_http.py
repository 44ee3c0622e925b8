"""The responder over HTTP: the ASGI app (in-process, and mounted in FastAPI), uvicorn in a
subprocess and the standard-library ThreadedServer, each asked by ordinary clients, by
``openssl ocsp``, and by hostile ones (garbage, truncated DER, oversized and lying bodies, silent
and half-sent connections, thousands of CertIDs, crowds), with the server still answering after
each. Loopback only; every wait has a timeout and every server stops by itself.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import datetime as dt
import email.utils
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, MutableMapping, Optional, Tuple

import _openssl_cli
import httpx
import pytest
from _http_helpers import Reply, fetch, get_path, read_reply
from _interop_helpers import summary_status
from conftest import ROOT

import ocspkit
from ocspkit.certid import CertID
from ocspkit.enums import CertStatus, ResponseStatus
from ocspkit.errors import StoreError, UnsupportedError
from ocspkit.request import RequestBuilder
from ocspkit.responder import MemoryStore
from ocspkit.responder.asgi import ASGIApp, make_app, mount, relative_path
from ocspkit.responder.core import Issuer, Responder
from ocspkit.responder.server import ThreadedServer, format_accept, run, serve_in_thread
from ocspkit.testing import CertifiedKey, TestPKI

TIMEOUT = 10.0  # any single exchange
START_TIMEOUT = 30.0  # a uvicorn subprocess importing and binding
LIMIT = 256 * 1024  # max_request_size of the servers under test: room for ~4000 SHA-1 CertIDs
MAX_CERT_IDS = 1000
IDLE = 2.0  # the servers' keep-alive / socket timeout: idle connections go after this
TEN_MB = 10 * 1024 * 1024
OCSP_REQUEST = {"Content-Type": "application/ocsp-request"}
REVOKED_AT = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)


# --------------------------------------------------------------------------------------------
# The PKI, the responder, and the files openssl and the uvicorn subprocess read


@dataclasses.dataclass
class World:
    pki: TestPKI
    good: CertifiedKey
    revoked: CertifiedKey
    unknown: CertifiedKey  # issued, but the store has never heard of it
    directory: Path

    @property
    def issuer(self) -> CertifiedKey:
        return self.pki.intermediate

    def store(self) -> MemoryStore:
        store = MemoryStore()
        store.add(self.good.serial_number)
        store.revoke(self.revoked.serial_number, when=REVOKED_AT, reason=ocspkit.RevocationReason.KEY_COMPROMISE)
        return store

    def responder(self, **options: Any) -> Responder:
        issuer = Issuer(self.issuer.cert_der, self.pki.responder.key_der, self.store(),
                        signer_certificate=self.pki.responder.cert_der)
        return Responder(issuer, **options)

    def request(self, leaf: CertifiedKey, *, nonce: bool = False) -> bytes:
        builder = RequestBuilder().add_cert(leaf.cert_der, self.issuer.cert_der)
        return (builder.with_nonce() if nonce else builder).build().dump()

    def many(self, count: int) -> bytes:
        """A request for ``count`` CertIDs: the good, revoked and unknown serials, then made-up ones."""
        base = CertID.from_cert(self.good.cert_der, self.issuer.cert_der)
        serials = [self.good.serial_number, self.revoked.serial_number, self.unknown.serial_number]
        serials += [10**9 + i for i in range(count - len(serials))]
        builder = RequestBuilder()
        for serial in serials[:count]:
            builder = builder.add_cert_id(CertID.from_hashes(base.issuer_name_hash, base.issuer_key_hash, serial))
        return builder.build().dump()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    pki = TestPKI("ec")
    directory = tmp_path_factory.mktemp("responder-http")
    result = World(pki, pki.issue_leaf("good.example"), pki.issue_leaf("revoked.example"),
                   pki.issue_leaf("unknown.example"), directory)
    (directory / "ca.pem").write_bytes(pki.intermediate.cert_pem)
    (directory / "responder.pem").write_bytes(pki.responder.cert_pem)
    (directory / "responder.key").write_bytes(pki.responder.key_pem)
    for name in ("good", "revoked", "unknown"):
        (directory / f"{name}.pem").write_bytes(getattr(result, name).cert_pem)
    config = {"good": [result.good.serial_number], "revoked": [[result.revoked.serial_number, 1]],
              "revoked_at": REVOKED_AT.isoformat()}
    (directory / "config.json").write_text(json.dumps(config))
    return result


# --------------------------------------------------------------------------------------------
# The servers under test: uvicorn in a subprocess (ocspkit.responder.server.run) and ThreadedServer

SERVER_SCRIPT = r"""
import datetime, json, sys
from pathlib import Path
from ocspkit.responder import MemoryStore
from ocspkit.responder.core import Issuer, Responder
from ocspkit.responder.server import run

directory, options = Path(sys.argv[1]), json.loads(sys.argv[2])
config = json.loads((directory / "config.json").read_text())
store = MemoryStore()
for serial in config["good"]:
    store.add(serial)
for serial, reason in config["revoked"]:
    store.revoke(serial, when=datetime.datetime.fromisoformat(config["revoked_at"]), reason=reason)
issuer = Issuer((directory / "ca.pem").read_bytes(), (directory / "responder.key").read_bytes(), store,
                signer_certificate=(directory / "responder.pem").read_bytes())
responder = Responder(issuer, **options.pop("responder", {}))
stopped = run(responder, "127.0.0.1", 0, log_level="warning", **options)
print("STOPPED", stopped, flush=True)
"""


class UvicornProcess:
    """``ocspkit.responder.server.run`` in a subprocess, found through its ACCEPT line."""

    def __init__(self, world: World, name: str, **options: Any) -> None:
        self.out_path = world.directory / f"{name}.out"
        self.err_path = world.directory / f"{name}.err"
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        with self.out_path.open("wb") as out, self.err_path.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-c", SERVER_SCRIPT, str(world.directory), json.dumps(options)],
                stdout=out, stderr=err, cwd=str(ROOT), env=env,
            )
        self.host = "127.0.0.1"
        self.pid = self.process.pid
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            m = re.search(r"^ACCEPT (\S+):(\d+) PID=(\d+)$", self.output(), re.M)
            if m:
                assert m.group(1) == "127.0.0.1" and int(m.group(3)) == self.pid
                self.port = int(m.group(2))
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"the uvicorn responder did not start: {self.output()}")
            time.sleep(0.02)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def output(self) -> str:
        return self.out_path.read_text(errors="replace") + self.err_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> Tuple[Optional[int], str]:
        """Signal it and wait for the graceful exit: (returncode, output)."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            self.process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
        return self.process.returncode, self.output()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(TIMEOUT)


@dataclasses.dataclass
class Served:
    kind: str
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"


SERVER_OPTIONS: Dict[str, Any] = {"max_request_size": LIMIT, "max_cert_ids": MAX_CERT_IDS}


@pytest.fixture(scope="module", params=["uvicorn", "uvicorn-asgi", "threaded"])
def server(request: pytest.FixtureRequest, world: World) -> Iterator[Served]:
    # "uvicorn": run()'s default, uvicorn with ocspkit's HTTP protocol (ResponderProtocol);
    # "uvicorn-asgi": uvicorn's own HTTP protocol running the ASGI app; "threaded": ThreadedServer.
    if request.param != "threaded":
        options: Dict[str, Any] = {"http": "asgi"} if request.param == "uvicorn-asgi" else {"request_timeout": IDLE}
        process = UvicornProcess(world, request.param, responder=SERVER_OPTIONS, keep_alive_timeout=IDLE, **options)
        try:
            yield Served(request.param, process.host, process.port)
        finally:
            code, output = process.stop()
        assert code == 0 and "STOPPED 15" in output, output  # graceful on SIGTERM, run() returned
    else:
        with serve_in_thread(world.responder(**SERVER_OPTIONS), timeout=IDLE) as threaded:
            yield Served("threaded", threaded.host, threaded.port)


# --------------------------------------------------------------------------------------------
# Clients


def post(server: Served, body: bytes, content_type: str = "application/ocsp-request") -> Reply:
    return fetch(server, "POST", "/", body, {"Content-Type": content_type})


def assert_serving(server: Served, world: World) -> None:
    """The server still answers, and answers right."""
    assert fetch(server, "GET", "/health").body == b"ok\n"
    reply = post(server, world.request(world.good))
    assert reply.status == 200 and reply.ocsp().responses[0].cert_status is CertStatus.GOOD


@contextlib.contextmanager
def connect(server: Served) -> Iterator[socket.socket]:
    sock = socket.create_connection((server.host, server.port), timeout=TIMEOUT)
    try:
        yield sock
    finally:
        sock.close()


class Conversation:
    """Several replies read from one connection through one buffer: a reader per reply would
    lose whatever its buffer read ahead of the next one."""

    def __init__(self, sock: socket.socket) -> None:
        self._file = sock.makefile("rb")

    def makefile(self, *args: Any) -> Any:
        return self  # http.client reads through this object, which its close() leaves open

    def readline(self, limit: int = -1) -> bytes:
        return self._file.readline(limit)

    def read(self, size: int = -1) -> bytes:
        return self._file.read(size)

    def readinto(self, buffer: Any) -> int:
        return self._file.readinto(buffer)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


def closed_by_peer(sock: socket.socket, within: float) -> bool:
    """Whether the server closes ``sock`` within ``within`` seconds (EOF or reset)."""
    sock.settimeout(within)
    try:
        while True:
            if not sock.recv(65536):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


class Sender(threading.Thread):
    """Sends ``total`` bytes in 64 KiB pieces in the background, stopping quietly when the server
    closes the connection; ``sent`` says how far it got."""

    def __init__(self, sock: socket.socket, total: int, chunked: bool = False, finish: bool = True) -> None:
        super().__init__(daemon=True)
        self.sock, self.total, self.chunked, self.finish, self.sent = sock, total, chunked, finish, 0

    def run(self) -> None:
        piece = b"\x30" * 65536
        try:
            while self.sent < self.total:
                data = b"%x\r\n%s\r\n" % (len(piece), piece) if self.chunked else piece
                self.sock.sendall(data)
                self.sent += len(piece)
            if self.chunked and self.finish:
                self.sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass


def metrics(server: Served) -> Dict[str, float]:
    text = fetch(server, "GET", "/metrics").body.decode()
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


# --------------------------------------------------------------------------------------------
# GET, POST, HEAD, cache headers, /health, /metrics (both servers)


def test_post_get_head(server: Served, world: World) -> None:
    for leaf, status in ((world.good, CertStatus.GOOD), (world.revoked, CertStatus.REVOKED),
                         (world.unknown, CertStatus.UNKNOWN)):
        request = world.request(leaf, nonce=True)
        reply = post(server, request)
        assert reply.status == 200
        assert "etag" not in reply.headers and "expires" not in reply.headers  # a nonce: not for caches
        checked = ocspkit.check_status(reply.body, leaf.cert_der, world.issuer.cert_der,
                                       request=ocspkit.load_request(request))
        assert checked.status is status
        got = fetch(server, "GET", get_path(world.request(leaf)))
        assert got.status == 200
        assert ocspkit.check_status(got.body, leaf.cert_der, world.issuer.cert_der).status is status
        head = fetch(server, "HEAD", get_path(world.request(leaf)))
        assert head.status == 200 and head.body == b""
        assert head.headers["content-length"] == got.headers["content-length"] == str(len(got.body))
        assert head.headers["etag"] == got.headers["etag"]
    revoked = ocspkit.check_status(fetch(server, "GET", get_path(world.request(world.revoked))).body,
                                   world.revoked.cert_der, world.issuer.cert_der)
    assert revoked.revocation_reason == ocspkit.RevocationReason.KEY_COMPROMISE
    assert revoked.revocation_time == REVOKED_AT


def test_cache_headers_and_if_none_match(server: Served, world: World) -> None:
    path = get_path(world.request(world.good))
    asked = dt.datetime.now(dt.timezone.utc)
    reply = fetch(server, "GET", path)
    single = reply.ocsp().responses[0]
    assert single.next_update is not None
    # RFC 5019 6.2: Cache-Control max-age (no later than nextUpdate), public, no-transform, must-revalidate.
    directives = [d.strip() for d in reply.headers["cache-control"].split(",")]
    assert {"public", "no-transform", "must-revalidate"} <= set(directives)
    max_age = int(next(d for d in directives if d.startswith("max-age=")).split("=")[1])
    assert abs(max_age - (single.next_update - asked).total_seconds()) <= 5
    assert max_age <= (single.next_update - single.this_update).total_seconds()
    # RFC 5019 6.2: Expires is nextUpdate, Last-Modified thisUpdate, ETag a hash of the response.
    assert reply.headers["expires"] == email.utils.format_datetime(single.next_update, usegmt=True)
    assert reply.headers["last-modified"] == email.utils.format_datetime(single.this_update, usegmt=True)
    etag = reply.headers["etag"]
    assert etag == '"' + hashlib.sha1(reply.body).hexdigest() + '"'
    assert "date" in reply.headers
    # RFC 9110 13.1.2: If-None-Match with the tag (weak comparison, lists, "*") gives 304, no body.
    for header in (etag, "W/" + etag, f'"nope", {etag}', "*"):
        again = fetch(server, "GET", path, headers={"If-None-Match": header})
        assert again.status == 304 and again.body == b"", header
        assert again.headers["etag"] == etag
    assert fetch(server, "GET", path, headers={"If-None-Match": '"other"'}).status == 200
    # A POST answer (even without a nonce) carries none of them.
    assert "cache-control" not in post(server, world.request(world.good)).headers


def test_health_and_metrics_count_what_was_sent(server: Served, world: World) -> None:
    health = fetch(server, "GET", "/health")
    assert (health.status, health.body) == (200, b"ok\n")
    assert fetch(server, "HEAD", "/health").body == b""
    before = metrics(server)
    for _ in range(3):
        post(server, world.request(world.good, nonce=True))
    post(server, world.request(world.revoked))
    fetch(server, "GET", get_path(world.request(world.unknown)))
    fetch(server, "GET", get_path(world.request(world.unknown)))
    post(server, b"\x30\x03garbage")
    post(server, world.request(world.good), "text/plain")
    after = metrics(server)

    def delta(name: str) -> float:
        return after.get(name, 0.0) - before.get(name, 0.0)

    assert delta('ocspkit_http_requests_total{method="POST",code="200"}') == 5
    assert delta('ocspkit_http_requests_total{method="POST",code="415"}') == 1
    assert delta('ocspkit_http_requests_total{method="GET",code="200"}') == 2  # /health, /metrics not counted
    assert delta('ocspkit_responses_total{status="successful"}') == 6
    assert delta('ocspkit_responses_total{status="malformed_request"}') == 2
    assert delta('ocspkit_cert_statuses_total{status="good"}') == 3
    assert delta('ocspkit_cert_statuses_total{status="revoked"}') == 1
    assert delta('ocspkit_cert_statuses_total{status="unknown"}') == 2
    assert delta("ocspkit_request_duration_seconds_count") == 8
    assert delta("ocspkit_signatures_total") >= 3  # the nonces, at least
    for name in ("ocspkit_cache_hits_total", "ocspkit_cache_misses_total", "ocspkit_store_errors_total",
                 'ocspkit_request_duration_seconds_bucket{le="+Inf"}', "ocspkit_request_duration_seconds_sum"):
        assert name in after


# --------------------------------------------------------------------------------------------
# Hostile input (both servers): the right answer, and the server still serving


def malformed(reply: Reply) -> bool:
    return reply.ocsp().response_status is ResponseStatus.MALFORMED_REQUEST


def test_random_bytes_and_truncated_der(server: Served, world: World) -> None:
    rng = __import__("random").Random(6960)
    for size in (1, 2, 100, 5000, LIMIT):
        body = bytes(rng.getrandbits(8) for _ in range(size))
        reply = post(server, body)
        assert reply.status == 200 and malformed(reply), size
        reply = post(server, b"\x30" + body[1:])
        assert reply.status == 200 and malformed(reply), size
    request = world.request(world.good, nonce=True)
    for cut in (1, 2, 10, len(request) // 2, len(request) - 1):
        reply = post(server, request[:cut])
        assert reply.status == 200 and malformed(reply), cut
    reply = post(server, b"")
    assert reply.status == 200 and malformed(reply)
    assert_serving(server, world)


def test_wrong_content_type_and_method(server: Served, world: World) -> None:
    for content_type in ("text/plain", "application/json", "application/ocsp-response"):
        reply = post(server, world.request(world.good), content_type)
        assert reply.status == 415 and malformed(reply)  # RFC 6960 A.1: application/ocsp-request
    reply = post(server, world.request(world.good), "Application/OCSP-Request; charset=binary")
    assert reply.status == 200 and not malformed(reply)
    for method in ("PUT", "DELETE", "PATCH"):
        reply = fetch(server, method, "/", b"x")
        assert reply.status == 405 and reply.headers["allow"] == "GET, HEAD, POST"
    assert_serving(server, world)


def test_malformed_get_paths(server: Served, world: World) -> None:
    good = base64.b64encode(world.request(world.good)).decode()
    for path in ("/", "/%", "/%ZZ%", "/!!!!", "/" + good[:-7], "/" + good + "!", "/..%2F..%2Fetc%2Fpasswd",
                 "/" + base64.b64encode(os.urandom(300)).decode(), "/" + "A" * 1001, "/MA==", "/%00"):
        reply = fetch(server, "GET", path)
        assert reply.status == 200 and malformed(reply), path
    # A request line of ~100 KB: refused one way or another (414 / 400 / malformedRequest), never a crash.
    huge = fetch(server, "GET", "/" + "QUFB" * 25000)
    assert huge.status in (200, 400, 414)
    # GET with the percent-encoding left off, URL-safe base64 and padding dropped: all accepted.
    for path in ("/" + good, "/" + good.replace("+", "-").replace("/", "_").rstrip("=")):
        reply = fetch(server, "GET", path)
        assert reply.status == 200 and not malformed(reply), path
    assert_serving(server, world)


def test_oversized_body_refused_from_content_length(server: Served, world: World) -> None:
    # Content-Length says 10 MB; only 64 KiB is ever sent, and the 413 comes anyway: the server
    # decided without reading the body.
    for declared in (TEN_MB, LIMIT + 1):
        with connect(server) as sock:
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                         b"Content-Length: %d\r\n\r\n" % declared + b"\x30" * 65536)
            reply = read_reply(sock)
            assert reply.status == 413 and malformed(reply)
            assert reply.headers["connection"] == "close"
            assert closed_by_peer(sock, TIMEOUT)
    # Content-Length that lies the other way (100 bytes sent of 10 MB declared): same, at once.
    with connect(server) as sock:
        started = time.monotonic()
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % TEN_MB + b"\x30" * 100)
        assert read_reply(sock).status == 413
        assert time.monotonic() - started < IDLE
    # Expect: 100-continue with an oversized body: the 413 comes instead of 100 Continue.
    with connect(server) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n" % TEN_MB)
        assert read_reply(sock).status == 413
    assert_serving(server, world)


def test_content_length_beyond_any_integer(server: Served, world: World) -> None:
    # 5000 digits: more than Python turns into an int (sys.get_int_max_str_digits), which made the
    # threaded server's handler raise ValueError. Every server answers with an HTTP error instead.
    with connect(server) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                     b"Content-Length: " + b"9" * 5000 + b"\r\n\r\n" + b"\x30" * 100)
        assert read_reply(sock).status in (400, 413)
    assert_serving(server, world)


def test_oversized_body_sent_whole(server: Served, world: World) -> None:
    # A real client pushing 10 MB (with Content-Length, then chunked) still reads the 413, not a reset.
    def chunks() -> Iterator[bytes]:
        for _ in range(TEN_MB // 65536):
            yield b"\x30" * 65536

    with httpx.Client(timeout=TIMEOUT) as client:
        for content in (b"\x30" * TEN_MB, chunks()):
            reply = client.post(server.url, content=content, headers=OCSP_REQUEST)
            assert reply.status_code == 413
    assert_serving(server, world)


def test_oversized_chunked_body_refused_midway(server: Served, world: World) -> None:
    # Chunked, no length anywhere: the server stops at the limit. The sender sends the limit plus
    # 256 KiB and never the last chunk; the 413 arrives regardless.
    with connect(server) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        sender = Sender(sock, LIMIT + 256 * 1024, chunked=True, finish=False)
        sender.start()
        reply = read_reply(sock)
        sender.join(TIMEOUT)
        assert reply.status == 413 and reply.headers["connection"] == "close"
    # A small chunked body is a request like any other.
    request = world.request(world.good)
    with connect(server) as sock:
        pieces = [request[:5], request[5:40], request[40:]]
        body = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n" + body)
        reply = read_reply(sock)
        assert reply.status == 200 and reply.ocsp().responses[0].cert_status is CertStatus.GOOD
    assert_serving(server, world)


def test_content_length_shorter_than_body(server: Served, world: World) -> None:
    # Content-Length says 50 and 10 MB follow: the first 50 bytes are a (malformed) request, the
    # rest is not HTTP. The threaded server answers the first and then refuses the rest (414: a
    # request line without end); uvicorn's parser sees the garbage in the same read and refuses
    # the connection at once (400). Either way the connection is dropped and the server is fine.
    with connect(server) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                     b"Content-Length: 50\r\n\r\n")
        sender = Sender(sock, TEN_MB)
        sender.start()
        replies = []
        conversation = Conversation(sock)
        with contextlib.suppress(http.client.HTTPException, OSError):
            for _ in range(2):
                replies.append(read_reply(conversation))
        assert replies, "no answer at all"
        for reply in replies:
            assert reply.status in (400, 414) or (reply.status == 200 and malformed(reply)), reply
        if server.kind == "threaded":
            assert [r.status for r in replies] == [200, 414]
        assert closed_by_peer(sock, TIMEOUT)
        sender.join(TIMEOUT)
        assert not sender.is_alive()
    assert_serving(server, world)


def test_thousands_of_cert_ids(server: Served, world: World) -> None:
    over_size = world.many(5000)  # 320 KB: over max_request_size
    assert len(over_size) > LIMIT
    assert post(server, over_size).status == 413
    over_count = world.many(2000)  # 128 KB: within the size, over max_cert_ids
    assert len(over_count) <= LIMIT
    reply = post(server, over_count)
    assert reply.status == 200 and malformed(reply)
    within = world.many(MAX_CERT_IDS)
    reply = post(server, within)
    assert reply.status == 200
    asked = ocspkit.load_request(within).cert_ids
    answered = reply.ocsp().responses
    assert [s.cert_id.dump() for s in answered] == [c.dump() for c in asked]  # every CertID, in order
    statuses = [s.cert_status for s in answered]
    assert statuses[:3] == [CertStatus.GOOD, CertStatus.REVOKED, CertStatus.UNKNOWN]
    assert set(statuses[3:]) == {CertStatus.UNKNOWN}
    assert_serving(server, world)


def test_silent_and_half_sent_connections(server: Served, world: World) -> None:
    with contextlib.ExitStack() as stack:
        silent = [stack.enter_context(connect(server)) for _ in range(5)]
        half = [stack.enter_context(connect(server)) for _ in range(5)]
        for i, sock in enumerate(half):
            sock.sendall([b"GET /hea", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Le",
                          b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n\x30\x10"][i % 3])
        # Meanwhile the server answers everyone else, promptly.
        started = time.monotonic()
        for _ in range(20):
            assert_serving(server, world)
        assert time.monotonic() - started < IDLE
        if server.kind != "uvicorn-asgi":
            # Every read has a timeout (ocspkit's protocol: request_timeout): the silent and the
            # stalled are dropped.
            for sock in silent + half:
                assert closed_by_peer(sock, IDLE + TIMEOUT)
        else:
            # uvicorn holds a connection until its client sends a request or leaves (there is no
            # header timeout; limit_concurrency bounds how many); it never stops the others.
            assert not closed_by_peer(silent[0], 0.2)
    assert_serving(server, world)


def test_connections_closed_early(server: Served, world: World) -> None:
    for i in range(100):
        sock = socket.create_connection((server.host, server.port), timeout=TIMEOUT)
        if i % 2:
            # An abortive close (RST) rather than FIN.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        if i % 3 == 0:
            request = world.request(world.good, nonce=True)
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(request) + request)
        sock.close()  # before reading anything
    assert_serving(server, world)


def test_idle_keep_alive_connection_is_closed(server: Served, world: World) -> None:
    with connect(server) as sock:
        request = world.request(world.good)
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(request) + request)
        assert read_reply(sock).status == 200
        started = time.monotonic()
        assert closed_by_peer(sock, IDLE + TIMEOUT)
        assert time.monotonic() - started < IDLE + 3


def test_many_concurrent_connections(server: Served, world: World) -> None:
    clients, rounds = 40, 10
    requests = {leaf.serial_number: (world.request(leaf, nonce=True), status) for leaf, status in (
        (world.good, CertStatus.GOOD), (world.revoked, CertStatus.REVOKED), (world.unknown, CertStatus.UNKNOWN))}
    barrier = threading.Barrier(clients, timeout=TIMEOUT)
    failures: List[str] = []

    def client(index: int) -> None:
        try:
            conn = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
            try:
                barrier.wait()
                for round_ in range(rounds):
                    request, status = list(requests.values())[(index + round_) % 3]
                    conn.request("POST", "/", body=request, headers=OCSP_REQUEST)  # one keep-alive connection
                    response = conn.getresponse()
                    answer = ocspkit.load_response(response.read())
                    if response.status != 200 or answer.responses[0].cert_status is not status:
                        failures.append(f"client {index}: {response.status} {answer.response_status}")
            finally:
                conn.close()
        except Exception as exc:
            failures.append(f"client {index}: {exc!r}")

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 3)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert_serving(server, world)


# --------------------------------------------------------------------------------------------
# openssl ocsp against both servers


@pytest.mark.parametrize("name, status", [("good", "good"), ("revoked", "revoked"), ("unknown", "unknown")])
def test_openssl_ocsp_client(server: Served, world: World, openssl_bin: str, name: str, status: str) -> None:
    d = world.directory
    result = _openssl_cli.run([openssl_bin, "ocsp", "-issuer", d / "ca.pem", "-cert", d / f"{name}.pem", "-VAfile",
                           d / "responder.pem", "-url", server.url, "-text", "-timeout", "10"], timeout=TIMEOUT * 3)
    assert result.returncode == 0, result.stderr
    assert "Response verify OK" in result.stderr + result.stdout
    fields = summary_status(result.stdout, str(d / f"{name}.pem"))
    assert fields["status"] == status
    if status == "revoked":
        assert fields["Reason"] == "keyCompromise"
        assert fields["Revocation Time"] == "May  6 07:08:09 2024 GMT"


# --------------------------------------------------------------------------------------------
# uvicorn: bounded memory, signals, -nrequest, the ACCEPT line, the missing extra


def rss_kib(pid: int) -> Tuple[int, int]:
    """(VmRSS, VmHWM) of a process, in KiB."""
    text = Path(f"/proc/{pid}/status").read_text()
    values = {m.group(1): int(m.group(2)) for m in re.finditer(r"^(VmRSS|VmHWM):\s+(\d+) kB", text, re.M)}
    return values["VmRSS"], values["VmHWM"]


# The growth allowed while 20 bodies of 10 MB and 3000 requests go by. The server holds at most
# max_request_size (256 KiB) plus one chunk of a body, and uvicorn pauses reading past 64 KiB per
# connection, so five bodies in flight at once need under 2 MB; the rest is allocator slack.
# Measured: about 1 MB over a ~38 MB baseline (peak, VmHWM). The same run against a responder
# whose limit lets the bodies in (a server that buffers them) peaks 62 MB over the baseline.
RSS_GROWTH_BOUND_KIB = 16 * 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmRSS from /proc")
def test_uvicorn_memory_stays_bounded(world: World) -> None:
    process = UvicornProcess(world, "uvicorn-rss", responder=SERVER_OPTIONS)
    server = Served("uvicorn", process.host, process.port)
    try:
        for _ in range(200):  # warm up: imports, caches, the first signatures
            assert_serving(server, world)
        baseline, _ = rss_kib(process.pid)

        def big(index: int) -> None:
            with connect(server) as sock:
                chunked = index % 2 == 1
                head = b"Transfer-Encoding: chunked" if chunked else b"Content-Length: %d" % TEN_MB
                sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                             + head + b"\r\n\r\n")
                sender = Sender(sock, TEN_MB, chunked=chunked)
                sender.start()
                with contextlib.suppress(OSError, http.client.HTTPException):
                    assert read_reply(sock).status == 413
                sender.join(TIMEOUT)

        for batch in range(4):  # 20 bodies of 10 MB, five at a time
            threads = [threading.Thread(target=big, args=(batch * 5 + i,), daemon=True) for i in range(5)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(TIMEOUT * 2)
        requests = [world.request(world.good), world.request(world.revoked, nonce=True), b"\x30\x82garbage"]
        conn = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
        try:
            for i in range(3000):
                if i % 4 == 3:
                    conn.request("GET", get_path(requests[0]))
                else:
                    conn.request("POST", "/", body=requests[i % 3], headers=OCSP_REQUEST)
                response = conn.getresponse()
                response.read()
                assert response.status == 200
        finally:
            conn.close()
        assert_serving(server, world)
        rss, peak = rss_kib(process.pid)
        assert peak - baseline < RSS_GROWTH_BOUND_KIB, (baseline, rss, peak)
        assert rss - baseline < RSS_GROWTH_BOUND_KIB, (baseline, rss, peak)
    finally:
        code, output = process.stop()
    assert code == 0, output


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_uvicorn_graceful_shutdown_on_signal(world: World, sig: int) -> None:
    process = UvicornProcess(world, f"uvicorn-{int(sig)}")
    server = Served("uvicorn", process.host, process.port)
    try:
        assert_serving(server, world)
        with connect(server) as idle:  # an open keep-alive connection does not hold the shutdown
            request = world.request(world.good)
            idle.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(request) + request)
            assert read_reply(idle).status == 200
            started = time.monotonic()
            code, output = process.stop(sig)
            assert time.monotonic() - started < 5
    finally:
        process.kill()
    assert code == 0, output
    assert f"STOPPED {int(sig)}" in output
    with pytest.raises(OSError):
        socket.create_connection((server.host, server.port), timeout=1).close()


def test_uvicorn_limit_max_requests(world: World) -> None:
    process = UvicornProcess(world, "uvicorn-nrequest", limit_max_requests=3)  # openssl ocsp -nrequest 3
    server = Served("uvicorn", process.host, process.port)
    try:
        for _ in range(3):
            assert post(server, world.request(world.good)).status == 200
        process.process.wait(TIMEOUT)  # it exits by itself
    finally:
        code, output = process.stop()
    assert code == 0 and "STOPPED None" in output, output


def test_run_in_process_with_ready_callback(world: World) -> None:
    # run() in a thread (no signal handlers there): ready(host, port) is called once it listens;
    # limit_max_requests ends it.
    ready: List[Tuple[str, int]] = []
    done = threading.Event()
    outcome: List[Any] = []

    def serve() -> None:
        try:
            outcome.append(run(world.responder(), "127.0.0.1", 0, ready=lambda h, p: ready.append((h, p)),
                               limit_max_requests=2, log_level="error", presign=True, threaded=True))
        except BaseException as exc:
            outcome.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not ready and time.monotonic() < deadline and not done.is_set():
        time.sleep(0.01)
    assert ready and ready[0][0] == "127.0.0.1" and ready[0][1] > 0, outcome
    server = Served("uvicorn", *ready[0])
    assert post(server, world.request(world.revoked)).ocsp().responses[0].cert_status is CertStatus.REVOKED
    assert fetch(server, "GET", "/health").status == 200
    assert done.wait(TIMEOUT)
    thread.join(TIMEOUT)
    assert outcome == [None]


def test_run_prints_accept_line_like_openssl(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    line = format_accept("127.0.0.1", 8888)
    assert re.fullmatch(r"ACCEPT 127\.0\.0\.1:8888 PID=\d+", line)
    assert format_accept("::", 8888).startswith("ACCEPT [::]:8888 PID=")  # openssl's form for IPv6
    # The regex tests/_interop_helpers.py uses for openssl ocsp's line reads ours too.
    m = re.search(r"ACCEPT (\S+):(\d+)", format_accept("::1", 80))
    assert m is not None and (m.group(1), m.group(2)) == ("[::1]", "80")


def test_run_without_uvicorn(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn now raises ImportError
    with pytest.raises(UnsupportedError, match=r"pip install 'ocspkit\[server\]'"):
        run(world.responder(), port=0)


# --------------------------------------------------------------------------------------------
# ThreadedServer specifics


def test_threaded_server_starts_and_stops_fast(world: World) -> None:
    responder = world.responder()
    started = time.monotonic()
    server = ThreadedServer(responder)
    assert server.port > 0 and server.url == f"http://127.0.0.1:{server.port}/"
    assert "stopped" in repr(server)
    server.start()
    assert time.monotonic() - started < 0.5 and "running" in repr(server)
    served = Served("threaded", server.host, server.port)
    with connect(served) as idle, connect(served) as silent:
        request = world.request(world.good)
        idle.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(request) + request)
        assert read_reply(idle).status == 200
        silent.sendall(b"GET /he")
        started = time.monotonic()
        server.stop()  # with a keep-alive connection and a half-sent one open
        assert time.monotonic() - started < 1.0
        assert closed_by_peer(idle, 1.0) and closed_by_peer(silent, 1.0)
    server.stop()  # idempotent
    assert not server.running
    with pytest.raises(OSError):
        socket.create_connection((server.host, server.port), timeout=1).close()
    with pytest.raises(RuntimeError):
        server.start()
    with pytest.raises(TypeError):
        ThreadedServer(object())  # type: ignore[arg-type]


def test_threaded_server_connection_cap(world: World) -> None:
    with serve_in_thread(world.responder(), max_connections=2, timeout=IDLE) as threaded:
        served = Served("threaded", threaded.host, threaded.port)
        with connect(served) as first, connect(served) as second:
            first.sendall(b"GET /h")
            second.sendall(b"GET /h")
            time.sleep(0.2)  # both accepted and waiting in their threads
            busy = fetch(served, "GET", "/health")
            assert busy.status == 503 and busy.headers["retry-after"] == "1"
            # The server names each connection's thread after the client's port.
            threads = {f"ocspkit-responder-{sock.getsockname()[1]}" for sock in (first, second)}
        # A place is free once the closed connection's thread has ended, which on a loaded machine
        # can come after a probe's own connection was answered (and the probe's thread then still
        # holds the other place): wait for those two threads, not for one 200.
        deadline = time.monotonic() + TIMEOUT
        while any(t.name in threads for t in threading.enumerate()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert_serving(served, world)


def test_threaded_server_http_details(world: World) -> None:
    with serve_in_thread(world.responder(), timeout=IDLE) as threaded:
        served = Served("threaded", threaded.host, threaded.port)
        request = world.request(world.good)
        # Expect: 100-continue within the limit: 100 Continue, then the answer.
        with connect(served) as sock:
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n"
                         % len(request))
            assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
            sock.sendall(request)
            assert read_reply(sock).status == 200
        # absolute-form request targets (RFC 9112 3.2.2), POST and GET.
        with connect(served) as sock:
            target = f"http://127.0.0.1:{threaded.port}"
            conversation = Conversation(sock)
            sock.sendall(f"POST {target}/ HTTP/1.1\r\nHost: x\r\nContent-Length: {len(request)}\r\n\r\n".encode()
                         + request)
            assert not malformed(read_reply(conversation))
            sock.sendall(f"GET {target}{get_path(request)} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            assert not malformed(read_reply(conversation, "GET"))
        # Broken framing: 400 / 501, and the connection is closed.
        for head in (b"Content-Length: abc", b"Content-Length: -5", b"Transfer-Encoding: gzip",
                     b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", b"Transfer-Encoding: chunked\r\n\r\n5\r\nabcdefgh"):
            with connect(served) as sock:
                message = b"POST / HTTP/1.1\r\nHost: x\r\n" + head
                sock.sendall(message + (b"" if message.endswith((b"\n", b"h")) else b"\r\n\r\n"))
                reply = read_reply(sock)
                assert reply.status in (400, 501), head
                assert closed_by_peer(sock, TIMEOUT)
        # A GET with a body is answered and the connection closed (the body is never parsed as a request).
        with connect(served) as sock:
            sock.sendall(f"GET {get_path(request)} HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nGET ".encode())
            assert read_reply(sock, "GET").status == 200
            assert closed_by_peer(sock, TIMEOUT)
        # HTTP/1.0 without keep-alive: one answer, then closed.
        with connect(served) as sock:
            sock.sendall(b"GET /health HTTP/1.0\r\n\r\n")
            assert read_reply(sock, "GET").status == 200
            assert closed_by_peer(sock, TIMEOUT)
        assert_serving(served, world)


def test_threaded_server_ipv6(world: World) -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        server = ThreadedServer(world.responder(), "::1", 0)
    except OSError:
        pytest.skip("no IPv6 loopback")
    with server:
        assert server.url == f"http://[::1]:{server.port}/"
        with httpx.Client(timeout=TIMEOUT) as client:
            assert client.get(server.url + "health").text == "ok\n"


# --------------------------------------------------------------------------------------------
# The ASGI app, in-process


def asgi_client(app: Any, **options: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, **options), base_url="http://testserver",
                             timeout=TIMEOUT)


def run_async(coroutine: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coroutine, TIMEOUT * 3))


def test_asgi_app_directly(world: World) -> None:
    app = make_app(world.responder())
    request = world.request(world.revoked)

    async def scenario() -> None:
        async with asgi_client(app) as client:
            reply = await client.post("/", content=request, headers=OCSP_REQUEST)
            assert reply.status_code == 200
            assert ocspkit.check_status(reply.content, world.revoked.cert_der, world.issuer.cert_der).revoked
            got = await client.get(get_path(request))
            assert got.status_code == 200 and got.headers["etag"] and "max-age=" in got.headers["cache-control"]
            head = await client.head(get_path(request))
            assert head.status_code == 200 and head.content == b""
            assert head.headers["content-length"] == str(len(got.content))
            assert (await client.get(get_path(request), headers={"If-None-Match": got.headers["etag"]})).status_code \
                == 304
            health = await client.get("/health")
            assert health.text == "ok\n" and health.headers["content-length"] == "3"
            assert "ocspkit_http_requests_total" in (await client.get("/metrics")).text
            assert (await client.put("/", content=b"x")).status_code == 405
            assert (await client.post("/", content=request, headers={"Content-Type": "text/plain"})).status_code == 415
            big = await client.post("/", content=b"\x30" * (app.responder.max_request_size + 1), headers=OCSP_REQUEST)
            assert big.status_code == 413 and big.headers["connection"] == "close"
            # Query strings are ignored by the GET decoding; percent-encoding is decoded once.
            assert (await client.get(get_path(request) + "?x=1")).status_code == 200

    run_async(scenario())


def test_asgi_mounted_in_fastapi(world: World) -> None:
    from fastapi import FastAPI

    ocsp = ASGIApp(world.responder(), presign=True)
    app = FastAPI(lifespan=ocsp.lifespan_context)

    @app.get("/hello")
    def hello() -> Dict[str, str]:
        return {"hello": "world"}

    mount(app, "/ocsp", ocsp)
    request = world.request(world.good)

    async def scenario(client: httpx.AsyncClient, prefix: str) -> None:
        for path in ("/ocsp", "/ocsp/"):  # the mount point itself answers too (no 307)
            reply = await client.post(prefix + path, content=request, headers=OCSP_REQUEST)
            assert reply.status_code == 200 and reply.headers["content-type"] == "application/ocsp-response"
            assert ocspkit.load_response(reply.content).responses[0].cert_status is CertStatus.GOOD
        reply = await client.get(prefix + "/ocsp" + get_path(request))
        assert reply.status_code == 200 and "public" in reply.headers["cache-control"]
        assert ocspkit.check_status(reply.content, world.good.cert_der, world.issuer.cert_der).good
        assert (await client.head(prefix + "/ocsp" + get_path(request))).content == b""
        assert (await client.get(prefix + "/ocsp/health")).text == "ok\n"
        assert "ocspkit_cache_hits_total" in (await client.get(prefix + "/ocsp/metrics")).text
        assert (await client.get(prefix + "/hello")).json() == {"hello": "world"}
        malformed_get = await client.get(prefix + "/ocsp/not-base64!")
        assert ocspkit.load_response(malformed_get.content).response_status is ResponseStatus.MALFORMED_REQUEST

    async def main() -> None:
        async with app.router.lifespan_context(app):
            assert ocsp.responder.metrics.signed == len(list(ocsp.responder.signers[0].issuer.store))  # pre-signed
            async with asgi_client(app) as client:
                await scenario(client, "")
            hits = ocsp.responder.metrics.cache_hits
            assert hits >= 3
            # Behind a proxy that strips a prefix and tells the app (root_path), as uvicorn --root-path does.
            async with asgi_client(app, root_path="/behind") as client:
                await scenario(client, "/behind")

    run_async(main())


def test_relative_path() -> None:
    b64 = "MEIwQDA%2BMDwwOjAJBgUrDgMCGgUABBQ%3D"
    cases: List[Tuple[Dict[str, Any], str]] = [
        # (scope, expected): current Starlette Mount and uvicorn --root-path: full path + root_path.
        ({"path": "/ocsp/" + urllib.parse.unquote(b64), "raw_path": b"/ocsp/" + b64.encode(), "root_path": "/ocsp"},
         "/" + b64),
        # no raw_path: the decoded path.
        ({"path": "/ocsp/abc", "root_path": "/ocsp"}, "/abc"),
        # older servers / Starlette: path below the mount point, raw_path too.
        ({"path": "/abc", "raw_path": b"/abc", "root_path": "/ocsp"}, "/abc"),
        # the mount point percent-encoded in raw_path: fall back to the decoded path.
        ({"path": "/ocsp/abc", "raw_path": b"/o%63sp/abc", "root_path": "/ocsp"}, "/abc"),
        ({"path": "/", "raw_path": b"/", "root_path": ""}, "/"),
        ({"path": "/ocsp", "raw_path": b"/ocsp", "root_path": "/ocsp"}, "/"),
        ({"path": "/ocspx/abc", "raw_path": b"/ocspx/abc", "root_path": "/ocsp"}, "/ocspx/abc"),
        ({"path": "/health", "raw_path": b"/health?x=1", "root_path": "", "query_string": b"x=1"}, "/health?x=1"),
        ({"path": "", "root_path": ""}, "/"),
    ]
    for scope, expected in cases:
        assert relative_path(scope) == expected, scope


def http_scope(method: str = "POST", headers: Optional[List[Tuple[bytes, bytes]]] = None) -> Dict[str, Any]:
    return {"type": "http", "method": method, "path": "/", "raw_path": b"/", "root_path": "", "query_string": b"",
            "headers": headers if headers is not None else [(b"content-type", b"application/ocsp-request")]}


def call(app: Any, scope: Dict[str, Any], receive: Callable[[], Any]) -> List[Dict[str, Any]]:
    sent: List[Dict[str, Any]] = []

    async def send(message: Dict[str, Any]) -> None:
        sent.append(message)

    run_async(app(scope, receive, send))
    return sent


def test_asgi_body_limits(world: World) -> None:
    app = ASGIApp(world.responder(max_request_size=100_000))
    chunk = b"\x30" * 65536
    received = []

    async def endless() -> Dict[str, Any]:
        received.append(1)
        return {"type": "http.request", "body": chunk, "more_body": True}

    # An endless chunked body: read until past the limit (two 64 KiB chunks), then refused.
    sent = call(app, http_scope(), endless)
    assert len(received) == 2
    assert sent[0]["status"] == 413 and (b"connection", b"close") in sent[0]["headers"]

    # Content-Length over the limit: refused without one receive().
    async def never() -> Dict[str, Any]:
        raise AssertionError("the body was read")

    sent = call(app, http_scope(headers=[(b"content-length", b"10485760")]), never)
    assert sent[0]["status"] == 413

    # The client leaves mid-body: nothing is sent.
    messages: Iterator[Dict[str, Any]] = iter(
        [{"type": "http.request", "body": b"\x30\x10", "more_body": True}, {"type": "http.disconnect"}])

    async def leaves() -> Dict[str, Any]:
        return next(messages)

    assert call(app, http_scope(), leaves) == []

    # A body in many small chunks is put together.
    request = world.request(world.good)
    pieces = iter([{"type": "http.request", "body": request[i:i + 7], "more_body": i + 7 < len(request)}
                   for i in range(0, len(request), 7)])

    async def small() -> Dict[str, Any]:
        return next(pieces)

    sent = call(app, http_scope(), small)
    assert sent[0]["status"] == 200
    assert ocspkit.load_response(sent[1]["body"]).responses[0].cert_status is CertStatus.GOOD


def lifespan(app: Any, *kinds: str) -> List[Dict[str, Any]]:
    incoming = iter([{"type": kind} for kind in kinds])

    async def receive() -> Dict[str, Any]:
        return next(incoming)

    return call(app, {"type": "lifespan"}, receive)


def test_asgi_lifespan_presign_and_thread_pool(world: World) -> None:
    app = ASGIApp(world.responder(), presign=True, threaded=True, max_workers=2)
    responder = app.responder

    async def scenario() -> None:
        incoming: asyncio.Queue[Dict[str, Any]] = asyncio.Queue()
        outgoing: List[Dict[str, Any]] = []

        async def send(message: MutableMapping[str, Any]) -> None:
            outgoing.append(dict(message))

        task = asyncio.ensure_future(app({"type": "lifespan"}, incoming.get, send))
        await incoming.put({"type": "lifespan.startup"})
        while not outgoing:
            await asyncio.sleep(0.01)
        assert outgoing == [{"type": "lifespan.startup.complete"}]
        assert responder.metrics.signed == 2  # the good and the revoked serial, SHA-1 CertIDs
        async with asgi_client(app) as client:
            reply = await client.post("/", content=world.request(world.revoked), headers=OCSP_REQUEST)
            assert ocspkit.load_response(reply.content).responses[0].cert_status is CertStatus.REVOKED
        assert responder.metrics.cache_hits == 1 and responder.metrics.signed == 2  # served pre-signed
        await incoming.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(task, TIMEOUT)
        assert outgoing[-1] == {"type": "lifespan.shutdown.complete"}

    run_async(scenario())

    # A failing startup (the store cannot be read for pre-signing) is reported, not raised.
    class BrokenStore(MemoryStore):
        def __iter__(self) -> Any:
            raise StoreError("the index is gone")

    broken = ASGIApp(Responder(Issuer(world.issuer.cert_der, world.pki.responder.key_der, BrokenStore(),
                                      signer_certificate=world.pki.responder.cert_der)), presign=True)
    sent = lifespan(broken, "lifespan.startup")
    assert sent[0]["type"] == "lifespan.startup.failed" and "the index is gone" in sent[0]["message"]


def test_asgi_thread_pool_without_lifespan_and_other_scopes(world: World) -> None:
    app = ASGIApp(world.responder(), threaded=True)

    async def scenario() -> None:
        async with asgi_client(app) as client:  # no lifespan: the pool starts on first use
            reply = await client.post("/", content=world.request(world.good, nonce=True), headers=OCSP_REQUEST)
            assert reply.status_code == 200
        await app.shutdown()
        await app.shutdown()  # idempotent

    run_async(scenario())

    async def connect_ws() -> Dict[str, Any]:
        return {"type": "websocket.connect"}

    assert call(app, {"type": "websocket", "path": "/"}, connect_ws) == [{"type": "websocket.close", "code": 1003}]
    with pytest.raises(TypeError):
        ASGIApp(object())  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        mount(object(), "/", app)
