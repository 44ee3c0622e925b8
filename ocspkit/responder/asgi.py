"""The responder as an ASGI 3 application: :class:`ASGIApp` serves a
:class:`~ocspkit.responder.core.Responder` under uvicorn (:func:`ocspkit.responder.server.run`),
or mounted in Starlette / FastAPI::

    from fastapi import FastAPI
    from ocspkit.responder.asgi import ASGIApp

    ocsp = ASGIApp(responder, presign=True)
    app = FastAPI(lifespan=ocsp.lifespan_context)   # mounted apps get no lifespan events of their own
    app.mount("/ocsp", ocsp)                        # GET /ocsp/<base64>, POST /ocsp

The adapter only moves bytes: every HTTP decision (status codes, cache headers, /health,
/metrics) is the core's :meth:`Responder.handle`. What it adds is what only the I/O side can do:

- the path handed to the core is relative to where the app is mounted, and still
  percent-encoded (``raw_path`` when the server gives it);
- a POST body is refused from its Content-Length, or read chunk by chunk and abandoned as soon
  as it is over ``responder.max_request_size``: at most the limit plus one chunk is ever held.
  Such a reply (413) carries ``Connection: close``, so the server drops the rest of the body
  and a client that stalls mid-body does not keep the connection;
- lifespan events: startup optionally pre-signs (:meth:`Responder.presign`), shutdown releases
  the thread pool if there is one.

Nothing here needs Starlette: the app speaks plain ASGI 3.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import logging
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List, MutableMapping, Optional, Tuple

from .core import Responder
from .reply import Reply

__all__ = ["ASGIApp", "make_app", "mount", "relative_path"]

log = logging.getLogger("ocspkit.responder")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class _Disconnected(Exception):
    """The client went away before its request was read."""


class ASGIApp:
    """An ASGI 3 application answering OCSP over HTTP with ``responder``.

    ``threaded``: run :meth:`Responder.handle` in a thread pool of ``max_workers`` threads
    instead of on the event loop. The default is on the event loop: answering takes well under
    a millisecond (a pre-signed answer, or one EC / RSA-2048 signature) and under uvicorn it
    served more requests per second than the pool, whose hand-off costs more than it frees
    (measured in docs/responder.md, "Event loop or threads"). Choose the pool when a status
    store blocks (a database on the network) or signatures are slow (RSA-4096, an HSM).

    ``presign``: on lifespan startup, sign answers for every known serial ahead of requests
    (RFC 5019 2.1.1), with ``presign_hashes`` CertID hashes.
    """

    def __init__(
        self,
        responder: Responder,
        *,
        threaded: bool = False,  # on the loop: 22k vs 17k req/s pre-signed, 6.2k vs 4.3k EC-signed (uvicorn)
        max_workers: Optional[int] = None,
        presign: bool = False,
        presign_hashes: Tuple[str, ...] = ("sha1",),  # RFC 5019 2.1.1: clients use SHA-1 CertIDs
    ) -> None:
        if not isinstance(responder, Responder):
            raise TypeError(f"responder must be an ocspkit.responder.Responder, got {type(responder).__name__}")
        self.responder = responder
        self.threaded = threaded
        self.max_workers = max_workers
        self.presign = presign
        self.presign_hashes = presign_hashes
        self._executor: Optional[concurrent.futures.ThreadPoolExecutor] = None

    # --- lifespan ----------------------------------------------------------------------------

    async def startup(self) -> None:
        """What lifespan startup does: create the thread pool (``threaded``) and pre-sign
        (``presign``). Idempotent."""
        if self.threaded:
            self._pool()
        if self.presign:
            loop = asyncio.get_running_loop()
            count = await loop.run_in_executor(
                self._executor, functools.partial(self.responder.presign, hash_algorithms=self.presign_hashes)
            )
            log.info("pre-signed %d answers", count, extra={"ocsp_event": "presign"})

    def _pool(self) -> concurrent.futures.ThreadPoolExecutor:
        if self._executor is None:
            self._executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=self.max_workers, thread_name_prefix="ocspkit-responder"
            )
        return self._executor

    async def shutdown(self) -> None:
        """What lifespan shutdown does: let running answers finish and release the thread pool."""
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.get_running_loop().run_in_executor(None, functools.partial(executor.shutdown, wait=True))

    @contextlib.asynccontextmanager
    async def lifespan_context(self, app: Any = None) -> AsyncIterator[None]:
        """Startup and shutdown as an async context manager, for a host application's lifespan
        (``FastAPI(lifespan=ocsp.lifespan_context)``): Starlette does not send lifespan events
        to mounted applications."""
        await self.startup()
        try:
            yield
        finally:
            await self.shutdown()

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            kind = message["type"]
            if kind == "lifespan.startup":
                try:
                    await self.startup()
                except Exception as exc:  # lifespan boundary: the server reports it and does not start
                    self.responder.metrics.internal_error()
                    log.exception("responder startup failed", extra={"ocsp_event": "startup_failed"})
                    await send({"type": "lifespan.startup.failed", "message": f"{type(exc).__name__}: {exc}"})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif kind == "lifespan.shutdown":
                try:
                    await self.shutdown()
                except Exception as exc:  # pragma: no cover - shutting an executor down does not fail
                    self.responder.metrics.internal_error()
                    log.exception("responder shutdown failed", extra={"ocsp_event": "shutdown_failed"})
                    await send({"type": "lifespan.shutdown.failed", "message": f"{type(exc).__name__}: {exc}"})
                    return
                await send({"type": "lifespan.shutdown.complete"})
                return

    # --- HTTP --------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await self._lifespan(receive, send)
            return
        if kind != "http":
            # A websocket has nothing to ask an OCSP responder: close it (ASGI websocket.close).
            if kind == "websocket":
                await send({"type": "websocket.close", "code": 1003})
            return
        method = str(scope["method"]).upper()
        headers: List[Tuple[bytes, bytes]] = list(scope.get("headers") or ())
        path = relative_path(scope)
        body = b""
        body_length: Optional[int] = None
        complete = True  # the body was read to its end (or there was none to read)
        if method == "POST":
            limit = self.responder.max_request_size
            declared = _content_length(headers)
            if declared is not None and declared > limit:
                body_length, complete = declared, False  # refused unread (no 100 Continue is sent)
            else:
                try:
                    body, seen = await _read_body(receive, limit)
                except _Disconnected:
                    return
                if seen > limit:
                    body_length, complete = seen, False
        reply = await self._handle(method, path, headers, body, body_length)
        await _send_reply(send, method, reply, close=not complete)

    async def _handle(
        self, method: str, path: str, headers: List[Tuple[bytes, bytes]], body: bytes, body_length: Optional[int]
    ) -> Reply:
        pairs = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers]
        call = functools.partial(self.responder.handle, method, path, pairs, body, body_length=body_length)
        if not self.threaded:
            return call()
        # Without lifespan events (mounted without lifespan_context) the pool starts on first use.
        return await asyncio.get_running_loop().run_in_executor(self._pool(), call)


def make_app(responder: Responder, **options: Any) -> ASGIApp:
    """``ASGIApp(responder, **options)``: the ASGI application for ``responder``."""
    return ASGIApp(responder, **options)


def mount(host: Any, prefix: str, app: ASGIApp) -> None:
    """Mount ``app`` at ``prefix`` in a Starlette or FastAPI application ``host`` so that the
    prefix itself answers too: ``host.mount(prefix, app)`` alone serves ``prefix/...`` and
    redirects ``prefix`` (307), and OCSP clients (``openssl ocsp -url``) POST to the URL as
    written in the certificate's AIA extension without following redirects. Uses only
    ``host.mount`` and ``host.add_route``."""
    prefix = "/" + prefix.strip("/")
    if prefix == "/":
        raise ValueError("mount at a prefix such as /ocsp; serve the app itself to answer at /")
    host.mount(prefix, app)
    host.add_route(prefix, app, methods=["GET", "HEAD", "POST"], include_in_schema=False)


def relative_path(scope: Scope) -> str:
    """The request's path relative to where the app is mounted, percent-encoded as received,
    with the query string.

    Servers and frameworks disagree on what ``path`` holds under a ``root_path``: current
    uvicorn (``--root-path``) and Starlette's ``Mount`` put the full path in ``path`` (and
    ``raw_path``) with the mount point in ``root_path``; older versions put only the part
    below the mount point in ``path``. Both are handled: the mount point is removed when the
    path starts with it.
    """
    root = str(scope.get("root_path") or "").rstrip("/")
    path = str(scope.get("path") or "/")
    raw_bytes = scope.get("raw_path")
    relative: Optional[str] = None
    if isinstance(raw_bytes, (bytes, bytearray)) and raw_bytes:
        raw = bytes(raw_bytes).decode("latin-1").split("?", 1)[0]  # some clients leave the query in
        if not root:
            relative = raw
        elif _under(raw, root):
            relative = raw[len(root):]
        elif not _under(path, root):
            relative = raw  # an older server: raw_path and path are both below the mount point
        # else: the mount point is spelled differently in raw_path (percent-encoded): use path
    if relative is None:
        # path is decoded; the core decodes once more, which changes nothing in base64 text.
        relative = path[len(root):] if root and _under(path, root) else path
    if not relative.startswith("/"):
        relative = "/" + relative
    query = scope.get("query_string") or b""
    if query:
        relative += "?" + bytes(query).decode("latin-1")
    return relative


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root + "/")


def _content_length(headers: List[Tuple[bytes, bytes]]) -> Optional[int]:
    for name, value in headers:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # servers refuse such requests before they get here
    return None


async def _read_body(receive: Receive, limit: int) -> Tuple[bytes, int]:
    """The body, and the number of bytes seen. Reading stops as soon as more than ``limit``
    bytes have arrived (the bytes are then dropped): never more than limit + one chunk is held."""
    chunks: List[bytes] = []
    seen = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body") or b""
        seen += len(chunk)
        if seen > limit:
            return b"", seen
        if chunk:
            chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), seen


async def _send_reply(send: Send, method: str, reply: Reply, *, close: bool) -> None:
    headers: List[Tuple[bytes, bytes]] = []
    names: Dict[str, bool] = {}
    for name, value in reply.headers:
        names[name.lower()] = True
        headers.append((name.lower().encode("latin-1"), value.encode("latin-1")))
    if "content-length" not in names and method != "HEAD" and reply.status not in (204, 304):
        headers.append((b"content-length", str(len(reply.body)).encode("ascii")))
    if close:
        # The rest of the body is still on its way: the server must not read it as the next request.
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body})
