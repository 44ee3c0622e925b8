"""Servers for the responder: :func:`run` (uvicorn, the production server) and
:class:`ThreadedServer` / :func:`serve_in_thread` (the standard library only, for tests and
fixtures).

Both are thin: every HTTP decision is :meth:`Responder.handle`'s. What they add is the socket
side: binding (port 0 picks a free port and reports it), body limits enforced before a body is
read, timeouts so a silent client cannot hold the server, and a clean, fast shutdown.

::

    from ocspkit.responder.server import run, serve_in_thread

    run(responder, "0.0.0.0", 8080)           # prints "ACCEPT 0.0.0.0:8080 PID=1234", as openssl ocsp does

    with serve_in_thread(responder) as server: # a free port on 127.0.0.1, in a daemon thread
        urllib.request.urlopen(server.url + "health")
"""

from __future__ import annotations

import contextlib
import http.server
import logging
import os
import signal
import socket
import socketserver
import sys
import threading
import time
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, Union

from ..errors import UnsupportedError
from .asgi import ASGIApp
from .core import Responder, origin_form
from .protocol import protocol_for
from .reply import Reply

__all__ = ["ThreadedServer", "format_accept", "run", "serve_in_thread"]

log = logging.getLogger("ocspkit.responder")
_http_log = logging.getLogger("ocspkit.responder.http")

_INSTALL_HINT = "the responder server needs uvicorn: pip install 'ocspkit[server]'"


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def format_accept(host: str, port: int) -> str:
    """The line :func:`run` prints once it listens: ``ACCEPT 127.0.0.1:8080 PID=1234``, the
    form of ``openssl ocsp -port`` (which prints ``ACCEPT [::]:8888 PID=1234`` on stdout)."""
    return f"ACCEPT {_host_for_url(host)}:{port} PID={os.getpid()}"


def _bind(host: str, port: int, backlog: int) -> socket.socket:
    """One listening TCP socket for (host, port): one socket, so port 0 means one port even
    where ``host`` has several addresses (asyncio would bind each to its own free port)."""
    infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, _, _, _, address = infos[0]
    dualstack = family == socket.AF_INET6 and host in ("::", "") and socket.has_dualstack_ipv6()
    return socket.create_server(address[:2], family=family, backlog=backlog, dualstack_ipv6=dualstack)


# --------------------------------------------------------------------------------------------
# uvicorn


def run(
    responder: Union[Responder, ASGIApp, Callable[..., Any]],
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    limit_max_requests: Optional[int] = None,
    log_level: Union[str, int] = "info",
    access_log: bool = False,
    ready: Optional[Callable[[str, int], None]] = None,
    keep_alive_timeout: float = 5.0,
    graceful_timeout: Optional[float] = 10.0,
    limit_concurrency: Optional[int] = None,
    backlog: int = 2048,
    presign: bool = False,
    threaded: bool = False,
    http: str = "auto",
    request_timeout: float = 10.0,
) -> Optional[int]:
    """Serve ``responder`` over HTTP with uvicorn until SIGINT / SIGTERM (or
    ``limit_max_requests``), then shut down gracefully. Blocks; returns the signal number that
    stopped it, or None.

    ``port`` 0 picks a free port. Once the socket listens and the lifespan startup (``presign``)
    is done, ``ready(host, port)`` is called with the actual port; without ``ready`` the line
    ``ACCEPT host:port PID=n`` (:func:`format_accept`, the form ``openssl ocsp -port`` prints) is
    written to stdout. ``limit_max_requests`` is ``openssl ocsp -nrequest``: exit after that many
    requests. ``keep_alive_timeout`` closes idle keep-alive connections; ``graceful_timeout``
    bounds the wait for requests in progress at shutdown; ``limit_concurrency`` answers 503 past
    that many connections and tasks. ``responder`` may also be an :class:`ASGIApp` already
    configured, or any ASGI 3 application (a FastAPI app with the responder mounted in it):
    then ``presign`` / ``threaded`` are not used.

    ``http`` chooses the HTTP layer under uvicorn: ``"ocspkit"`` is
    :class:`~ocspkit.responder.protocol.ResponderProtocol`, which hands each request straight to
    :meth:`Responder.handle` (several times the requests per second of the ASGI path, see
    docs/responder.md); ``"asgi"`` is uvicorn's own protocol running :class:`ASGIApp`.
    ``"auto"`` (the default) is ``"ocspkit"`` for a :class:`Responder` served on the event
    loop, and ``"asgi"`` for an ASGI application or ``threaded=True``. ``request_timeout`` (the
    ocspkit protocol only) closes a connection that has not delivered a whole request that many
    seconds after it opened or after the request's first byte.

    Raises :class:`ocspkit.errors.UnsupportedError` when uvicorn is not installed (the
    ``server`` extra), OSError when the address cannot be bound. A lifespan startup that fails
    (pre-signing from a store that cannot be read) makes uvicorn exit: SystemExit(3).
    """
    try:
        import uvicorn
    except ImportError as exc:
        raise UnsupportedError(_INSTALL_HINT) from exc

    if http not in ("auto", "ocspkit", "asgi"):
        raise ValueError(f"http must be 'auto', 'ocspkit' or 'asgi', not {http!r}")
    protocol: Any = "auto"  # uvicorn's choice: httptools when installed, else h11
    if isinstance(responder, Responder) and (http == "ocspkit" or (http == "auto" and not threaded)):
        if threaded:
            raise ValueError("threaded=True needs http='asgi': the ocspkit protocol answers on the event loop")
        protocol = protocol_for(responder, request_timeout=request_timeout)
    elif http == "ocspkit":
        raise ValueError("http='ocspkit' serves a Responder; an ASGI application needs http='asgi'")
    # The ASGI app is there in every case: its lifespan events run presign.
    app = ASGIApp(responder, presign=presign, threaded=threaded) if isinstance(responder, Responder) else responder
    sock = _bind(host, port, backlog)
    bound_port = int(sock.getsockname()[1])
    announce = ready if ready is not None else (lambda h, p: print(format_accept(h, p), flush=True))
    stopped_by: List[int] = []

    class _Server(uvicorn.Server):
        async def startup(self, sockets: Optional[List[socket.socket]] = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                log.info("listening on %s:%d", host, bound_port, extra={"ocsp_event": "listening"})
                announce(host, bound_port)

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            # uvicorn re-raises the signal after its graceful shutdown (KeyboardInterrupt, or
            # death by SIGTERM); a responder that shut down as asked has done its job: return.
            if threading.current_thread() is not threading.main_thread():
                yield
                return

            def handle(sig: int, frame: Any) -> None:
                stopped_by.append(sig)
                self.handle_exit(sig, frame)

            previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

    config = uvicorn.Config(
        app,
        lifespan="on",  # startup runs presign; a failure there stops the server before it serves
        log_level=log_level,
        access_log=access_log,
        timeout_keep_alive=keep_alive_timeout,  # type: ignore[arg-type]  # int in its annotation, any number works
        timeout_graceful_shutdown=graceful_timeout,  # type: ignore[arg-type]
        limit_max_requests=limit_max_requests,
        limit_concurrency=limit_concurrency,
        backlog=backlog,
        server_header=False,
        http=protocol,
    )
    server = _Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    if stopped_by:
        log.info("stopped by signal %d", stopped_by[0], extra={"ocsp_event": "stopped"})
        return stopped_by[0]
    return None


# --------------------------------------------------------------------------------------------
# The standard library's threading HTTP server


# Closing a socket with unread bytes in it sends a reset, and a reset can destroy the reply the
# client has not read yet. So after a refusal (413, 414, 400), the server stops sending and drops
# what still arrives, for at most a second (the client's time to read the reply) and 64 MiB,
# holding nothing: the time bound is the one that matters, the byte bound a backstop.
_DRAIN_SECONDS = 1.0
_DRAIN_BYTES = 64 << 20


class _Handler(http.server.BaseHTTPRequestHandler):
    """One connection: HTTP/1.1 keep-alive, a socket timeout on every read, bodies bounded."""

    protocol_version = "HTTP/1.1"
    server_version = "ocspkit"
    sys_version = ""
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(code)d %(message)s\n"
    # Headers and body leave in one write (buffered, flushed per reply) with Nagle off: two small
    # writes would meet the client's delayed ACK and cost 40 ms a request on keep-alive.
    wbufsize = -1
    disable_nagle_algorithm = True
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # Every read (request line, headers, body) times out: a silent client is dropped.
        self.connection.settimeout(self.server.owner.timeout)
        self._linger_on_close = False

    def handle(self) -> None:
        try:
            super().handle()
        finally:
            if self._linger_on_close:
                self._linger()

    def send_error(self, code: int, message: Optional[str] = None, explain: Optional[str] = None) -> None:
        # An error closes the connection, maybe with the client still sending (a request line
        # of 64 KiB, a broken body): close gently, so the error is read rather than reset away.
        self._linger_on_close = True
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: Any) -> None:
        _http_log.debug("%s - " + format, self.address_string(), *args)

    def handle_expect_100(self) -> bool:
        # A body over the limit is refused before the client sends it: no 100 Continue.
        if self.command == "POST" and self.headers.get("Transfer-Encoding") is None:
            length = _parse_length(self.headers.get("Content-Length"))
            if length is not None and length > self.server.owner.responder.max_request_size:
                return True
        accepted = super().handle_expect_100()
        self.wfile.flush()  # the 100 Continue must leave now, not with the reply
        return accepted

    def do_POST(self) -> None:
        self._serve()

    do_GET = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

    def _serve(self) -> None:
        responder = self.server.owner.responder
        limit = responder.max_request_size
        method = self.command
        path = origin_form(self.path)
        body = b""
        body_length: Optional[int] = None
        complete = True
        encoding = self.headers.get("Transfer-Encoding")
        declared = self.headers.get("Content-Length")
        if encoding is not None:
            if encoding.strip().lower() != "chunked":
                self.send_error(501, "only the chunked transfer coding is supported")  # RFC 9112 6.1
                self.close_connection = True
                return
            if method != "POST":
                self.close_connection = True  # a body nobody reads: do not parse it as the next request
            else:
                chunked = self._read_chunked(limit)
                if chunked is None:
                    return
                body, seen = chunked
                if seen > limit:
                    body_length, complete = seen, False
        elif declared is not None:
            length = _parse_length(declared)
            if length is None:
                self.send_error(400, "bad Content-Length")
                self.close_connection = True
                return
            if method != "POST":
                if length:
                    self.close_connection = True
            elif length > limit:
                body_length, complete = length, False  # refused unread
            else:
                data = self._read_exact(length)
                if data is None:
                    return
                body = data
        reply = responder.handle(method, path, list(self.headers.items()), body, body_length=body_length)
        self._send_reply(method, reply, close=not complete)
        if not complete:
            self._linger_on_close = True  # the rest of the body is still coming

    def _read_exact(self, length: int) -> Optional[bytes]:
        data = self.rfile.read(length)
        if len(data) < length:  # the client went away (or the timeout struck) mid-body
            self.close_connection = True
            return None
        return data

    def _read_chunked(self, limit: int) -> Optional[Tuple[bytes, int]]:
        """RFC 9112 7.1: the chunks, stopping once more than ``limit`` bytes were announced."""
        chunks: List[bytes] = []
        seen = 0
        while True:
            line = self.rfile.readline(1026)
            if not line.endswith(b"\n"):
                return self._bad_chunk()
            size_text = line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                return self._bad_chunk()
            if size < 0 or size_text.startswith((b"-", b"+", b"0x", b"0X")):
                return self._bad_chunk()
            if size == 0:
                break
            seen += size
            if seen > limit:
                return b"", seen
            data = self._read_exact(size)
            if data is None or self.rfile.readline(3) not in (b"\r\n", b"\n"):
                return self._bad_chunk()
            chunks.append(data)
        for _ in range(100):  # the trailer section: at most 100 lines, like http.client's headers
            trailer = self.rfile.readline(65537)
            if trailer in (b"\r\n", b"\n", b""):
                break
        else:
            return self._bad_chunk()
        return b"".join(chunks), seen

    def _bad_chunk(self) -> Optional[Tuple[bytes, int]]:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.send_error(400, "bad chunked body")
        return None

    def _send_reply(self, method: str, reply: Reply, *, close: bool) -> None:
        self.send_response(reply.status)
        has_length = False
        for name, value in reply.headers:
            has_length = has_length or name.lower() == "content-length"
            self.send_header(name, value)
        if not has_length and method != "HEAD" and reply.status not in (204, 304):
            self.send_header("Content-Length", str(len(reply.body)))
        if close:
            self.send_header("Connection", "close")  # sets close_connection
        self.end_headers()
        if reply.body and method != "HEAD":
            self.wfile.write(reply.body)
        self.wfile.flush()

    def _linger(self) -> None:
        """Close after a refused body without resetting the connection under the client's
        reading of the reply: stop sending, then drop what still arrives, briefly."""
        sock = self.connection
        try:
            self.wfile.flush()
            sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + _DRAIN_SECONDS
            dropped = 0
            while dropped < _DRAIN_BYTES:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                sock.settimeout(left)
                data = sock.recv(65536)
                if not data:
                    break
                dropped += len(data)
        except OSError:
            pass
        self.close_connection = True


def _parse_length(value: Optional[str]) -> Optional[int]:
    if value is None:
        return None
    text = value.strip()
    if not text.isdigit() or not text.isascii():  # RFC 9110 8.6: 1*DIGIT, no sign, no list
        return None
    # More than 18 digits is over any request size (and int() refuses past 4300): too large, 413.
    return int(text) if len(text) <= 18 else 10**18


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() closes connections and joins their threads itself
    request_queue_size = 128  # the listen backlog (socketserver's default of 5 drops bursts)

    def __init__(self, address: Tuple[str, int], owner: ThreadedServer) -> None:
        self.owner = owner
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self._active: Dict[Any, threading.Thread] = {}
        self._active_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can take seconds: not needed.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._active_lock:
            busy = len(self._active) >= self.owner.max_connections
            if not busy:
                thread = threading.Thread(
                    target=self.process_request_thread, args=(request, client_address),
                    name=f"ocspkit-responder-{client_address[1] if len(client_address) > 1 else ''}", daemon=True,
                )
                self._active[request] = thread
        if busy:
            # RFC 9110 15.6.4: over capacity; the client may try again shortly.
            with contextlib.suppress(OSError):
                request.settimeout(1.0)
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                                b"Content-Length: 5\r\nRetry-After: 1\r\nConnection: close\r\n\r\nbusy\n")
            self.shutdown_request(request)
            return
        thread.start()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._active_lock:
                self._active.pop(request, None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that resets or vanishes is not the server's error: no traceback on stderr.
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            _http_log.debug("connection from %s ended: %s", client_address, exc)
        else:
            self.owner.responder.metrics.internal_error()
            _http_log.exception("error serving %s", client_address)

    def close_connections(self) -> List[threading.Thread]:
        """Shut every open connection down (blocked reads return at once); their threads."""
        with self._active_lock:
            items = list(self._active.items())
        for request, _ in items:
            with contextlib.suppress(OSError):
                request.shutdown(socket.SHUT_RDWR)
        return [thread for _, thread in items]


class ThreadedServer:
    """The responder on the standard library's threading HTTP server, in a background thread.

    For tests and fixtures: it starts in milliseconds (the socket is bound in the constructor,
    so :attr:`port` is known at once, even with port 0) and stops in well under a second. Each
    connection has its own daemon thread; HTTP/1.1 keep-alive; every socket read times out after
    ``timeout`` seconds, so a client that connects and sends nothing, or half a request line,
    is dropped then and never holds the server; past ``max_connections`` open connections, new
    ones get 503. A POST body over ``responder.max_request_size`` is refused (413) from its
    Content-Length without reading it, or as soon as its chunks pass the limit; the connection
    is then closed. Use it as a context manager, or call :meth:`start` and :meth:`stop`::

        with ThreadedServer(responder) as server:
            ocspkit.http.fetch(server.url, request)   # server.url is "http://127.0.0.1:PORT/"

    Not the production server: that is :func:`run` (uvicorn), about twice as fast on pre-signed
    answers (docs/responder.md).
    """

    def __init__(
        self,
        responder: Responder,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        timeout: float = 5.0,  # a silent connection is dropped after this; far above a real client's pauses
        max_connections: int = 64,  # threads are cheap but not free; fixtures rarely need more than a few
        poll_interval: float = 0.05,  # how often the accept loop looks for stop(): bounds the stop time
    ) -> None:
        if not isinstance(responder, Responder):
            raise TypeError(f"responder must be an ocspkit.responder.Responder, got {type(responder).__name__}")
        self.responder = responder
        self.timeout = timeout
        self.max_connections = max_connections
        self.poll_interval = poll_interval
        self._httpd = _HTTPServer((host, port), self)
        self.host = host
        self.port = int(self._httpd.server_address[1])
        self._thread: Optional[threading.Thread] = None
        self._stopped = False

    @property
    def url(self) -> str:
        """The responder's URL, e.g. ``http://127.0.0.1:8080/`` (POST here, GET below it)."""
        return f"http://{_host_for_url(self.host)}:{self.port}/"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> ThreadedServer:
        """Start serving in a daemon thread; returns self."""
        if self._stopped:
            raise RuntimeError("a stopped ThreadedServer cannot be started again; make a new one")
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": self.poll_interval},
                name=f"ocspkit-responder:{self.port}", daemon=True,
            )
            self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Stop accepting, close every open connection and wait (up to ``timeout`` seconds) for
        their threads. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread is not None:
            self._httpd.shutdown()  # returns once the accept loop has ended (<= poll_interval)
            self._thread.join(timeout)
        self._httpd.server_close()
        deadline = time.monotonic() + timeout
        for thread in self._httpd.close_connections():
            thread.join(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> ThreadedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<ThreadedServer {self.url} {'running' if self.running else 'stopped'}>"


@contextlib.contextmanager
def serve_in_thread(
    responder: Responder, host: str = "127.0.0.1", port: int = 0, **options: Any
) -> Iterator[ThreadedServer]:
    """``with serve_in_thread(responder) as server:`` a running :class:`ThreadedServer`
    (``server.url``, ``server.port``), stopped on exit. ``options`` are ThreadedServer's."""
    server = ThreadedServer(responder, host, port, **options)
    server.start()
    try:
        yield server
    finally:
        server.stop()
