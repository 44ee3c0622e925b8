"""HTTP/1.1 for the responder, straight onto :meth:`Responder.handle`: an asyncio protocol on
httptools that uvicorn runs in place of its own (``uvicorn.Config(http=...)``).

Why
    Under uvicorn's own protocols every request goes through the ASGI cycle (a scope, a task,
    receive / send coroutines, header lists built and read twice). For a responder that is most
    of the time of a request: a pre-signed P-256 answer takes the core about 10 µs and uvicorn
    about 60 µs more per connection. This protocol keeps uvicorn for what it does well (the
    socket, the event loop, signals, graceful shutdown, ``limit_max_requests`` and
    ``limit_concurrency``, lifespan events) and replaces only the HTTP layer, for a
    :class:`~ocspkit.responder.core.Responder` served at the root. :func:`run` uses it by
    default (``http="auto"``); ``http="asgi"`` selects the ASGI path, which mounted applications
    and ``threaded=True`` always use.

What it does (every OCSP decision stays :meth:`Responder.handle`'s)
    - requests are answered in order, on the event loop, as soon as they are complete
      (keep-alive and pipelining work; a client that does not read its replies is paused);
    - the request target may be up to ``MAX_TARGET`` bytes (else 414), the head up to
      ``MAX_HEAD`` bytes and ``MAX_HEADERS`` fields (else 431), a parse error gets 400;
    - a POST body over ``responder.max_request_size`` is refused (413) from its Content-Length
      before it is read, or as soon as the chunks seen pass the limit: never more than the limit
      plus one read is held. ``Expect: 100-continue`` is answered only for a body that fits;
    - after a refusal the reply is sent, the sending side shut, and what the client still sends
      is dropped for at most ``DRAIN_SECONDS`` (closing on unread bytes would send a reset, and
      a reset can destroy the reply before the client reads it);
    - a connection that has not delivered a whole request ``request_timeout`` seconds after it
      began (a silent or a slow client) is closed, with 408 when part of a request came; an idle
      keep-alive connection is closed after uvicorn's ``timeout_keep_alive``. One timer per
      server checks the deadlines every ``SWEEP_SECONDS``, so a timeout may be that much late;
    - HTTP/1.0 clients get ``Connection: keep-alive`` when they asked for it; absolute-form
      targets (a proxy's) are reduced to their path and query (RFC 9112 3.2.2).
"""

from __future__ import annotations

import asyncio
import http
from typing import Any, ClassVar, Dict, List, Optional, Tuple, Type

from ..errors import UnsupportedError
from .core import Responder, origin_form
from .reply import Reply

__all__ = ["ResponderProtocol", "available", "protocol_for"]

httptools: Any
try:  # the server extra
    import httptools
except ImportError:  # pragma: no cover - the test extra installs it
    httptools = None

MAX_TARGET = 65536  # what http.server (the ThreadedServer) accepts in a request line
MAX_HEAD = 65536  # the whole head (request line and fields), as above
MAX_HEADERS = 100  # http.server's limit on header fields
DRAIN_SECONDS = 1.0  # the client's time to read a refusal while its body is still arriving
DRAIN_BYTES = 64 << 20  # a backstop: the time bound is the one that matters


class _ClosedParser:
    """Stands for the parser of a closed connection (nothing is fed to it any more)."""

    def feed_data(self, data: bytes) -> None:  # pragma: no cover - asyncio sends nothing after connection_lost
        pass


_CLOSED_PARSER: Any = _ClosedParser()

_STATUS_LINES: Dict[int, bytes] = {
    status.value: b"HTTP/1.1 %d %s\r\n" % (status.value, status.phrase.encode("ascii")) for status in http.HTTPStatus
}


def available() -> bool:
    """Whether this protocol can run here (httptools, from the ``server`` extra, is installed)."""
    return httptools is not None


def _status_line(status: int) -> bytes:
    line = _STATUS_LINES.get(status)
    return line if line is not None else b"HTTP/1.1 %d Unknown\r\n" % status


def _plain(status: int, text: str, *extra: Tuple[str, str]) -> Reply:
    body = (text + "\n").encode("utf-8")
    headers = (("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))), *extra)
    return Reply(status, headers, body)


class _HeadCache:
    """The encoded status line and fields of replies, which repeat: the core returns the same
    :class:`Reply` object for a GET within the second (kept by identity, holding the reply so
    that the identity cannot be reused), and the replies it signs differ only in their bodies
    (kept by status, fields and body length). Each table holds at most ``size`` entries."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self.entries: Dict[int, Tuple[Reply, bytes]] = {}
        self.by_value: Dict[Tuple[int, Tuple[Tuple[str, str], ...], int], bytes] = {}

    def head(self, reply: Reply) -> bytes:
        found = self.entries.get(id(reply))
        if found is not None and found[0] is reply:
            return found[1]
        if reply.answer is not None and reply.answer.source == "cache":
            # Its fields (ETag, Expires, ...) are its own: kept by identity only, not by value.
            head = _encode_head(reply)
            if len(self.entries) >= self.size:
                self.entries.clear()
            self.entries[id(reply)] = (reply, head)
            return head
        key = (reply.status, reply.headers, len(reply.body))  # the length: a reply without Content-Length
        known = self.by_value.get(key)
        if known is not None:
            return known
        head = _encode_head(reply)
        if len(self.by_value) >= self.size:
            self.by_value.clear()
        self.by_value[key] = head
        return head


def _encode_head(reply: Reply) -> bytes:
    lines = [_status_line(reply.status)]
    has_length = False
    for name, value in reply.headers:
        if not has_length and name.lower() == "content-length":
            has_length = True
        lines.append(f"{name}: {value}\r\n".encode("latin-1"))
    if not has_length and reply.status not in (204, 304) and reply.status >= 200:
        lines.append(b"Content-Length: %d\r\n" % len(reply.body))
    return b"".join(lines)


class ResponderProtocol(asyncio.Protocol):
    """One HTTP/1.1 connection to :attr:`responder`. Made by uvicorn through a subclass from
    :func:`protocol_for`, with uvicorn's keyword arguments (``config``, ``server_state``,
    ``app_state``, ``_loop``); uvicorn's ``timeout_keep_alive`` and ``limit_concurrency`` apply,
    and ``server_state`` (connections, request count, the Date header) is kept as uvicorn's own
    protocols keep it."""

    responder: ClassVar[Responder]
    request_timeout: ClassVar[float] = 10.0  # a whole request within this, from its first byte or the connection
    heads: ClassVar[_HeadCache]

    def __init__(self, config: Any, server_state: Any, app_state: Any = None, _loop: Any = None) -> None:
        if httptools is None:  # pragma: no cover - protocol_for refuses first
            raise RuntimeError("httptools is not installed")
        self.loop: asyncio.AbstractEventLoop = _loop or asyncio.get_running_loop()
        self.state = server_state
        self.keep_alive_timeout = float(getattr(config, "timeout_keep_alive", 5))
        self.limit_concurrency: Optional[int] = getattr(config, "limit_concurrency", None)
        self.parser = httptools.HttpRequestParser(self)
        self.transport: Optional[asyncio.Transport] = None
        self.deadline = 0.0
        self.idle = True  # no byte of a pending request has arrived
        self.closing = False  # close after the reply being made (shutdown, or the client asked)
        self.draining = False  # a refusal was sent: the rest of the input is dropped
        self.drained = 0
        self.reading_paused = False
        self._reset()

    def _reset(self) -> None:
        self.fresh = True  # nothing of a request yet: on_message_begin has nothing to reset
        self.target: List[bytes] = []
        self.target_size = 0
        self.headers: List[Tuple[bytes, bytes]] = []
        self.head_size = 0
        self.headers_done = False
        self.declared: Optional[int] = None
        self.expect_continue = False
        self.body: List[bytes] = []
        self.body_size = 0
        self.refusal: Optional[Reply] = None

    # --- asyncio.Protocol ----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.state.connections.add(self)
        self._move_deadline(self.request_timeout)
        sweeper = getattr(self.state, "ocspkit_sweeper", None)
        if sweeper is None or sweeper.loop is not self.loop:
            sweeper = _Sweeper(self.loop, self.state)
            self.state.ocspkit_sweeper = sweeper
        sweeper.start()

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self.state.connections.discard(self)
        self.transport = None
        # The parser holds this protocol's callbacks: break the cycle so the connection is freed
        # now, by reference counting, rather than by a later garbage collection.
        self.parser = _CLOSED_PARSER

    def eof_received(self) -> Optional[bool]:
        return None  # the client is done sending: close (a reply being made has been written)

    def pause_writing(self) -> None:
        # The client is not reading its replies: stop reading its requests until it does.
        if self.transport is not None and not self.reading_paused:
            self.reading_paused = True
            self.transport.pause_reading()

    def resume_writing(self) -> None:
        if self.transport is not None and self.reading_paused:
            self.reading_paused = False
            self.transport.resume_reading()

    def data_received(self, data: bytes) -> None:
        if self.draining:
            self.drained += len(data)
            if self.drained > DRAIN_BYTES and self.transport is not None:
                self.transport.close()
            return
        if self.idle:
            self.idle = False
            self._move_deadline(self.request_timeout)
        if not self.headers_done:
            self.head_size += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            # Upgrade or CONNECT: the request so far is answered (the core refuses the method or
            # answers the OCSP request); nothing after it is read.
            if not self.draining and not self.idle:
                self._answer_now(close=True)
            self._finish_refusal()
            return
        except httptools.HttpParserError as exc:
            if not self.draining:
                self._refuse(_plain(400, f"bad request: {exc}"))
        if self.draining:
            self._finish_refusal()
        elif not self.headers_done and not self.idle and self.head_size > MAX_HEAD:
            self._refuse(_plain(431, "request header fields too large"))
            self._finish_refusal()

    # --- httptools callbacks -------------------------------------------------------------------

    def on_message_begin(self) -> None:
        if not self.fresh:
            self._reset()
        self.fresh = False
        if self.idle:
            self.idle = False
            self._move_deadline(self.request_timeout)

    def on_url(self, url: bytes) -> None:
        self.target_size += len(url)
        if self.target_size > MAX_TARGET:
            if self.refusal is None:
                self.refusal = _plain(414, "request target too long")
            return
        self.target.append(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        if len(self.headers) >= MAX_HEADERS:
            if self.refusal is None:
                self.refusal = _plain(431, "too many header fields")
            return
        lowered = name.lower()
        if lowered == b"content-length":
            try:
                self.declared = int(value)
            except ValueError:  # pragma: no cover - llhttp refuses it first
                self.declared = None
        elif lowered == b"expect" and value.strip().lower() == b"100-continue":
            self.expect_continue = True
        self.headers.append((lowered, value))

    def on_headers_complete(self) -> None:
        self.headers_done = True
        if self.draining:
            return
        if self.refusal is None and self.head_size > MAX_HEAD and self._head_length() > MAX_HEAD:
            self.refusal = _plain(431, "request header fields too large")  # a head that came in one read
        if self.refusal is not None:
            self._refuse(self.refusal)
            return
        if self.parser.get_method() == b"POST":
            limit = self.responder.max_request_size
            if self.declared is not None and self.declared > limit:
                # RFC 9110 15.5.14: refused from the Content-Length, unread (no 100 Continue).
                self._refuse(self._core_reply(b"", self.declared))
                return
        if self.expect_continue and self.transport is not None:
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def _head_length(self) -> int:
        """The length of the request target and of the fields kept, as "name: value\\r\\n" lines
        (asked only when more than MAX_HEAD bytes came before the head was complete)."""
        return self.target_size + sum(len(name) + len(value) + 4 for name, value in self.headers)

    def on_body(self, body: bytes) -> None:
        if self.draining:
            return
        self.body_size += len(body)
        if self.body_size > self.responder.max_request_size:
            self.body = []
            if self.parser.get_method() == b"POST":
                self._refuse(self._core_reply(b"", self.body_size))
            else:  # a body on GET or HEAD, which nobody reads
                self._refuse(_plain(413, "request body too large"))
            return
        self.body.append(body)

    def on_message_complete(self) -> None:
        if self.draining:
            return
        self._answer_now(close=not self.parser.should_keep_alive())

    # --- replies -------------------------------------------------------------------------------

    def _core_reply(self, body: bytes, body_length: Optional[int] = None) -> Reply:
        method = self.parser.get_method().decode("latin-1")
        path = origin_form(b"".join(self.target).decode("latin-1"))
        headers: Any = self.headers  # (bytes, bytes) pairs, which handle() reads too
        return self.responder.handle(method, path, headers, body, body_length=body_length)

    def _answer_now(self, *, close: bool) -> None:
        self.state.total_requests += 1
        limit = self.limit_concurrency
        if limit is not None and len(self.state.connections) > limit:
            # uvicorn's limit_concurrency: past it, 503 rather than a queue that grows.
            reply = _plain(503, "busy", ("Retry-After", "1"))
            close = True
        else:
            reply = self._core_reply(b"".join(self.body) if self.body else b"")
        self._write(reply, close=close or self.closing)
        self.body = []  # the rest is reset when the next request begins
        if self.transport is None or self.transport.is_closing():
            return
        self.idle = True
        self._move_deadline(self.keep_alive_timeout)

    def _write(self, reply: Reply, *, close: bool, end: bool = True) -> None:
        """Send ``reply``; with ``close``, say Connection: close and (``end``) close the transport."""
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        parts = [self.heads.head(reply), _default_headers(self.state)]
        if close:
            parts.append(b"Connection: close\r\n\r\n")
        elif self.parser.get_http_version() == "1.0":
            parts.append(b"Connection: keep-alive\r\n\r\n")
        else:
            parts.append(b"\r\n")
        parts.append(reply.body)
        transport.write(b"".join(parts))
        if close and end:
            transport.close()

    def _refuse(self, reply: Reply) -> None:
        """Send ``reply`` with Connection: close and drop the rest of the input (see
        :meth:`_finish_refusal`)."""
        self.state.total_requests += 1
        self.draining = True
        self._write(reply, close=True, end=False)  # the transport stays open for the drain

    def _finish_refusal(self) -> None:
        """After a refusal, or the end of what this connection can carry: shut the sending side
        once the reply is out and drop the input for at most DRAIN_SECONDS."""
        self.draining = True
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if transport.can_write_eof():
            transport.write_eof()
            self.idle = False
            self._move_deadline(DRAIN_SECONDS)
        else:  # pragma: no cover - TCP transports can half-close
            transport.close()

    # --- timeouts and shutdown -----------------------------------------------------------------

    def _move_deadline(self, delay: float) -> None:
        """The connection closes ``delay`` seconds from now (give or take SWEEP_SECONDS) unless
        the deadline moves again. No timer per connection: the server's sweeper looks."""
        self.deadline = self.loop.time() + delay

    def _expire(self) -> None:
        """Close the connection if its deadline has passed (called by the sweeper)."""
        transport = self.transport
        if transport is None or transport.is_closing() or self.loop.time() < self.deadline:
            return
        if not self.idle and not self.draining:
            # Part of a request came, not all of it, in time (RFC 9110 15.5.9).
            self._refuse(_plain(408, "request timeout"))
        transport.close()

    def shutdown(self) -> None:
        """uvicorn's graceful shutdown: close now when no request is half-read, else after its reply."""
        self.closing = True
        if self.transport is not None and (self.idle or self.draining):
            self.transport.close()


SWEEP_SECONDS = 0.25  # how late a timeout may be: one timer per server instead of one per connection


class _Sweeper:
    """Closes the connections of one server whose deadline has passed, every SWEEP_SECONDS
    while there are connections (a timer per connection would cost each request a timer)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, state: Any) -> None:
        self.loop = loop
        self.state = state
        self.handle: Optional[asyncio.TimerHandle] = None

    def start(self) -> None:
        if self.handle is None:
            self.handle = self.loop.call_later(SWEEP_SECONDS, self.sweep)

    def sweep(self) -> None:
        self.handle = None
        for connection in list(self.state.connections):
            if isinstance(connection, ResponderProtocol):
                connection._expire()
        if self.state.connections:
            self.start()


def _default_headers(state: Any) -> bytes:
    """uvicorn's default fields (Date, and any ``headers`` of its config), encoded once per
    change: uvicorn replaces the list every second."""
    fields = getattr(state, "default_headers", None)
    if not fields:
        return b""
    cached = _DEFAULT_HEADERS.get("fields")
    if cached is not None and cached[0] is fields:
        return cached[1]
    encoded = b"".join(b"%s: %s\r\n" % (bytes(name).title(), bytes(value)) for name, value in fields)
    _DEFAULT_HEADERS["fields"] = (fields, encoded)
    return encoded


_DEFAULT_HEADERS: Dict[str, Tuple[Any, bytes]] = {}


def protocol_for(responder: Responder, *, request_timeout: float = 10.0) -> Type[ResponderProtocol]:
    """A :class:`ResponderProtocol` class bound to ``responder``, for ``uvicorn.Config(http=...)``.

    ``request_timeout``: seconds a connection has to deliver a whole request, from its opening
    or from a request's first byte (a silent or slow client is then closed, with 408 when part of
    a request came).

    :raises ocspkit.errors.UnsupportedError: httptools (the ``server`` extra) is not installed.
    """
    if httptools is None:
        raise UnsupportedError("the responder's HTTP protocol needs httptools: pip install 'ocspkit[server]'")
    if not isinstance(responder, Responder):
        raise TypeError(f"responder must be an ocspkit.responder.Responder, got {type(responder).__name__}")
    if not request_timeout > 0:
        raise ValueError("request_timeout must be positive")
    attributes: Dict[str, Any] = {
        "responder": responder,
        "request_timeout": float(request_timeout),
        "heads": _HeadCache(),
    }
    return type("BoundResponderProtocol", (ResponderProtocol,), attributes)

