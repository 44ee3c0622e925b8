"""ocspkit.responder.protocol: the HTTP/1.1 protocol uvicorn runs for ``ocspkit serve``, driven
in-process on an asyncio loop in a thread (uvicorn's own config and server state), by raw sockets
and http.client. What every server must do (GET/POST/HEAD, cache headers, oversized bodies,
hostile input, openssl as a client) is in test_responder_http.py, which runs this protocol under
uvicorn; here are the HTTP details that are this protocol's own. Loopback only; every wait has a
timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
import threading
import time
from typing import Any, Iterator, List

import pytest
import uvicorn
from _http_helpers import fetch, get_path, read_reply
from uvicorn.server import ServerState

import ocspkit
from ocspkit.enums import CertStatus, ResponseStatus
from ocspkit.errors import UnsupportedError
from ocspkit.request import RequestBuilder
from ocspkit.responder import MemoryStore
from ocspkit.responder import protocol as protocol_module
from ocspkit.responder.core import Issuer, Responder
from ocspkit.responder.protocol import ResponderProtocol, available, protocol_for
from ocspkit.responder.server import run
from ocspkit.testing import TestPKI

TIMEOUT = 10.0
LIMIT = 4096  # max_request_size here: small, so that refusals are cheap to provoke
REQUEST_TIMEOUT = 1.0


@dataclasses.dataclass
class World:
    pki: TestPKI
    good: Any
    revoked: Any

    def responder(self) -> Responder:
        store = MemoryStore()
        store.add(self.good.serial_number)
        store.revoke(self.revoked.serial_number, when=self.pki.now, reason=1)
        issuer = Issuer(self.pki.intermediate.cert_der, self.pki.responder.key_der, store,
                        signer_certificate=self.pki.responder.cert_der)
        return Responder(issuer, max_request_size=LIMIT)

    def request(self, leaf: Any, nonce: bool = False) -> bytes:
        builder = RequestBuilder().add_cert(leaf.cert_der, self.pki.intermediate.cert_der)
        return (builder.with_nonce() if nonce else builder).build().dump()


@pytest.fixture(scope="module")
def world() -> World:
    pki = TestPKI("ec")
    return World(pki, pki.issue_leaf("good.example"), pki.issue_leaf("revoked.example"))


@dataclasses.dataclass
class Running:
    host: str
    port: int
    state: ServerState
    loop: asyncio.AbstractEventLoop

    def connect(self) -> socket.socket:
        return socket.create_connection((self.host, self.port), timeout=TIMEOUT)

    def shutdown_connections(self) -> None:
        """What uvicorn's graceful shutdown does to every connection."""
        done = threading.Event()

        def shut() -> None:
            for connection in list(self.state.connections):
                connection.shutdown()
            done.set()

        self.loop.call_soon_threadsafe(shut)
        assert done.wait(TIMEOUT)


@contextlib.contextmanager
def serving(responder: Responder, **config: Any) -> Iterator[Running]:
    """The protocol on 127.0.0.1, port 0, on a loop in a daemon thread (stopped on exit)."""
    cls = protocol_for(responder, request_timeout=config.pop("request_timeout", REQUEST_TIMEOUT))
    uvicorn_config = uvicorn.Config(app=None, timeout_keep_alive=config.pop("keep_alive", 5), **config)
    state = ServerState()
    state.default_headers = [(b"date", b"Sat, 21 Nov 2026 10:00:00 GMT")]
    loop = asyncio.new_event_loop()
    ready: List[Any] = []
    started = threading.Event()

    async def start() -> None:
        server = await loop.create_server(
            lambda: cls(config=uvicorn_config, server_state=state, app_state={}, _loop=loop), "127.0.0.1", 0)
        ready.append(server)
        started.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop)
    assert started.wait(TIMEOUT)
    server = ready[0]
    port = server.sockets[0].getsockname()[1]
    try:
        yield Running("127.0.0.1", port, state, loop)
    finally:
        async def stop() -> None:
            server.close()
            for connection in list(state.connections):
                if connection.transport is not None:
                    connection.transport.close()
            await asyncio.sleep(0)

        asyncio.run_coroutine_threadsafe(stop(), loop).result(TIMEOUT)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(TIMEOUT)
        loop.close()


@pytest.fixture()
def running(world: World) -> Iterator[Running]:
    with serving(world.responder()) as r:
        yield r


def post_bytes(body: bytes, *, version: str = "1.1", extra: bytes = b"") -> bytes:
    return (b"POST / HTTP/%s\r\nHost: x\r\nContent-Type: application/ocsp-request\r\nContent-Length: %d\r\n%s\r\n"
            % (version.encode(), len(body), extra)) + body


def read_all(sock: socket.socket, within: float = TIMEOUT) -> bytes:
    sock.settimeout(within)
    chunks = []
    with contextlib.suppress(ConnectionResetError):
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks)


def closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
        return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def status(reply: Any) -> CertStatus:
    return ocspkit.load_response(reply.body).responses[0].cert_status


# --------------------------------------------------------------------------------------------


def test_answers_get_post_head_and_counts_requests(running: Running, world: World) -> None:
    posted = fetch(running, "POST", "/", world.request(world.good), {"Content-Type": "application/ocsp-request"})
    assert status(posted) is CertStatus.GOOD
    reply = fetch(running, "GET", get_path(world.request(world.revoked)))
    assert reply.status == 200 and status(reply) is CertStatus.REVOKED
    assert reply.headers["date"] == "Sat, 21 Nov 2026 10:00:00 GMT"  # uvicorn's default headers
    assert "max-age=" in reply.headers["cache-control"]
    head = fetch(running, "HEAD", get_path(world.request(world.revoked)))
    assert head.status == 200 and head.body == b"" and head.headers["content-length"] == reply.headers["content-length"]
    again = fetch(running, "GET", get_path(world.request(world.revoked)))  # the whole-reply cache: same bytes
    assert again.body == reply.body and again.headers["etag"] == reply.headers["etag"]
    assert fetch(running, "GET", "/health").body == b"ok\n"
    assert fetch(running, "DELETE", "/").status == 405
    assert running.state.total_requests == 6


def test_keep_alive_and_pipelining(running: Running, world: World) -> None:
    with running.connect() as sock:
        requests = [world.request(world.good), world.request(world.revoked, nonce=True), world.request(world.good)]
        sock.sendall(b"".join(post_bytes(r) for r in requests))  # three at once: answered in order
        file = sock.makefile("rb")
        statuses = []
        for _ in requests:
            reply = read_reply(_Reader(file))
            statuses.append(status(reply))
        assert statuses == [CertStatus.GOOD, CertStatus.REVOKED, CertStatus.GOOD]
        assert not closed_within(sock, 0.2)  # still open: keep-alive


class _Reader:
    """Several replies read from one connection through one buffer (http.client reads through
    makefile() and closes what it got when done)."""

    def __init__(self, file: Any) -> None:
        self.file = file

    def makefile(self, *args: Any) -> Any:
        return self

    def readline(self, limit: int = -1) -> bytes:
        return bytes(self.file.readline(limit))

    def read(self, size: int = -1) -> bytes:
        return bytes(self.file.read(size))

    def readinto(self, buffer: Any) -> int:
        return int(self.file.readinto(buffer))

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_http_1_0(running: Running, world: World) -> None:
    request = world.request(world.good)
    with running.connect() as sock:  # HTTP/1.0 without keep-alive: one request, then closed
        sock.sendall(post_bytes(request, version="1.0"))
        data = read_all(sock)
        assert data.startswith(b"HTTP/1.1 200 OK\r\n") and b"\r\nConnection: close\r\n" in data
    with running.connect() as sock:  # HTTP/1.0 asking for keep-alive gets it, and says so
        sock.sendall(post_bytes(request, version="1.0", extra=b"Connection: keep-alive\r\n"))
        reply = read_reply(sock)
        assert reply.status == 200 and reply.headers["connection"] == "keep-alive"
        assert not closed_within(sock, 0.2)


def test_connection_close_closes_after_the_reply(running: Running, world: World) -> None:
    with running.connect() as sock:
        sock.sendall(post_bytes(world.request(world.good), extra=b"Connection: close\r\n"))
        data = read_all(sock)
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"Connection: close" in head
    assert ocspkit.load_response(body).responses[0].cert_status is CertStatus.GOOD


@pytest.mark.parametrize("case, expected", [
    (b"GET /" + b"A" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    (b"GET /health HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(101)) + b"\r\n", 431),
    (b"GET /health HTTP/1.1\r\nX-Big: " + b"y" * 70000 + b"\r\n\r\n", 431),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40, 400),  # a TLS ClientHello
    (b"GET /health HTTP/1.1\r\nContent-Length: 12x\r\n\r\n", 400),
    (b"GET /health HTTP/1.1\r\nContent-Length: 100000\r\n\r\n" + b"z" * 5000, 413),  # a body on a GET, too big
])
def test_refusals_then_close(running: Running, world: World, case: bytes, expected: int) -> None:
    with running.connect() as sock:
        sock.sendall(case)
        data = read_all(sock)
    assert data.startswith(b"HTTP/1.1 %d " % expected), data[:100]
    assert b"Connection: close" in data.partition(b"\r\n\r\n")[0]
    assert fetch(running, "GET", "/health").status == 200  # and the server goes on


def test_a_small_head_with_a_large_body_in_one_read_is_not_431(world: World) -> None:
    # The head is measured only when more than MAX_HEAD bytes came before it was complete; a
    # request whose body arrives in the same read as its head is judged by its head alone.
    responder = world.responder()
    responder.max_request_size = 200_000
    request = world.request(world.good)
    padded = request + b"\x00" * 100_000  # trailing bytes: malformedRequest, but not a head refusal
    with serving(responder) as running, running.connect() as sock:
        sock.sendall(post_bytes(padded, extra=b"Connection: close\r\n"))
        data = read_all(sock)
    assert data.startswith(b"HTTP/1.1 200 "), data[:100]
    body = data.partition(b"\r\n\r\n")[2]
    assert ocspkit.load_response(body).response_status is ResponseStatus.MALFORMED_REQUEST


def test_repeated_replies_share_an_encoded_head_with_their_own_length(running: Running, world: World) -> None:
    with running.connect() as sock:
        for leaf in (world.good, world.revoked, world.good):
            sock.sendall(post_bytes(world.request(leaf, nonce=True)))
            reply = read_reply(sock)
            assert int(reply.headers["content-length"]) == len(reply.body)
            assert status(reply) is (CertStatus.GOOD if leaf is world.good else CertStatus.REVOKED)


def test_oversized_post_refused_before_reading_and_expect_continue(running: Running, world: World) -> None:
    with running.connect() as sock:  # Content-Length over the limit: 413 at once, no 100 Continue
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                     b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % (LIMIT + 1))
        reply = read_reply(sock)
        assert reply.status == 413
        assert ocspkit.load_response(reply.body).response_status is ResponseStatus.MALFORMED_REQUEST
    request = world.request(world.good)
    with running.connect() as sock:  # a body that fits: 100 Continue, then the answer
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                     b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(request))
        sock.settimeout(TIMEOUT)
        interim = sock.recv(25)
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(request)
        assert status(read_reply(sock)) is CertStatus.GOOD


def test_chunked_body_over_the_limit_refused_midway(running: Running) -> None:
    with running.connect() as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        piece = b"0" * 1000
        sent = 0
        with contextlib.suppress(OSError):
            for _ in range(20):
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
        reply = read_reply(sock)
        assert reply.status == 413
        assert closed_within(sock, TIMEOUT)  # dropped after the drain period


def test_absolute_form_and_upgrade(running: Running, world: World) -> None:
    path = get_path(world.request(world.good))
    with running.connect() as sock:
        sock.sendall(b"GET http://ocsp.example" + path.encode() + b" HTTP/1.1\r\nHost: ocsp.example\r\n\r\n")
        assert status(read_reply(sock, "GET")) is CertStatus.GOOD
    with running.connect() as sock:  # CONNECT: refused by the core (405), then the connection ends
        sock.sendall(b"CONNECT ocsp.example:443 HTTP/1.1\r\nHost: ocsp.example\r\n\r\n")
        data = read_all(sock)
        assert data.startswith(b"HTTP/1.1 405 ")
    with running.connect() as sock:  # an Upgrade: the request is answered, nothing after it read
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
        data = read_all(sock)
        assert data.startswith(b"HTTP/1.1 200 ") and data.endswith(b"ok\n")


def test_silent_idle_and_half_sent_connections(world: World) -> None:
    with serving(world.responder(), keep_alive=0.5) as running:
        with running.connect() as silent, running.connect() as half, running.connect() as idle:
            half.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n\x30")
            idle.sendall(post_bytes(world.request(world.good)))
            assert read_reply(idle).status == 200
            started = time.monotonic()
            assert closed_within(idle, TIMEOUT)  # keep-alive timeout
            assert time.monotonic() - started < REQUEST_TIMEOUT + 2
            assert closed_within(silent, TIMEOUT)  # request timeout, without a word
            half_reply = read_all(half)
            assert half_reply.startswith(b"HTTP/1.1 408 ")  # part of a request came: 408
            assert fetch(running, "GET", "/health").status == 200
        deadline = time.monotonic() + TIMEOUT  # every connection gone from uvicorn's state
        while running.state.connections and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not running.state.connections


def test_limit_concurrency(world: World) -> None:
    with serving(world.responder(), limit_concurrency=2) as running:
        with running.connect() as first, running.connect() as second, running.connect() as third:
            time.sleep(0.1)  # all three accepted
            third.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            busy = read_reply(third, "GET")
            assert busy.status == 503 and busy.headers["retry-after"] == "1"
            del first, second
        assert fetch(running, "GET", "/health").status == 200


def test_client_that_does_not_read_is_paused(world: World) -> None:
    # Thousands of pipelined GETs whose replies the client does not read at first: the server
    # stops reading until the replies drain, then answers every one, in order.
    with serving(world.responder()) as running:
        request = b"GET " + get_path(world.request(world.good)).encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n"
        count = 3000
        with running.connect() as sock:
            sender = threading.Thread(target=lambda: sock.sendall(request * count), daemon=True)
            sender.start()
            time.sleep(0.5)
            file = sock.makefile("rb")
            for _ in range(count):
                assert read_reply(_Reader(file), "GET").status == 200
            sender.join(TIMEOUT)


def test_shutdown_closes_idle_connections_and_finishes_busy_ones(running: Running, world: World) -> None:
    request = world.request(world.good)
    with running.connect() as idle, running.connect() as busy:
        idle.sendall(post_bytes(request))
        assert read_reply(idle).status == 200
        busy.sendall(post_bytes(request)[:30])  # a request under way
        time.sleep(0.1)
        running.shutdown_connections()
        assert closed_within(idle, TIMEOUT)
        busy.sendall(post_bytes(request)[30:])
        data = read_all(busy)
        assert data.startswith(b"HTTP/1.1 200 ") and b"Connection: close" in data


def test_protocol_for_arguments(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    assert available()
    cls = protocol_for(world.responder())
    assert issubclass(cls, ResponderProtocol) and cls.request_timeout == 10.0
    with pytest.raises(TypeError, match="Responder"):
        protocol_for("not a responder")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="positive"):
        protocol_for(world.responder(), request_timeout=0)
    monkeypatch.setattr(protocol_module, "httptools", None)
    assert not available()
    with pytest.raises(UnsupportedError, match="httptools"):
        protocol_for(world.responder())


def test_run_http_argument(world: World) -> None:
    with pytest.raises(ValueError, match="http must be"):
        run(world.responder(), http="h2")
    with pytest.raises(ValueError, match="threaded=True needs http='asgi'"):
        run(world.responder(), http="ocspkit", threaded=True)
    with pytest.raises(ValueError, match="ASGI application needs http='asgi'"):
        run(lambda scope, receive, send: None, http="ocspkit")


def test_unknown_status_codes_still_get_a_status_line() -> None:
    assert protocol_module._status_line(299) == b"HTTP/1.1 299 Unknown\r\n"
    assert protocol_module._status_line(200) == b"HTTP/1.1 200 OK\r\n"
