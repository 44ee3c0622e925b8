"""An OCSP responder for a :class:`~ocspkit.testing.TestPKI`, in-process, on a free loopback port.

::

    responder = pki.serve()
    with responder as url:                       # http://127.0.0.1:PORT/
        leaf = responder.issue_leaf("localhost") # its AIA names the responder
        ...                                      # the client under test asks: "good"
        responder.set_status(leaf, "revoked", reason="key_compromise")
        ...                                      # now it hears "revoked"
        responder.answer_with(pki.scenario("bad-signature"))  # every answer: that response
        responder.answer_with("try-later")       # every answer: tryLater
        responder.requests                       # what the client sent, parsed

It is :class:`ocspkit.responder.Responder` (the service's sans-I/O core: nonces echoed, CertIDs in
the request's hash, GET and POST, RFC 5019 caching headers) on
:class:`ocspkit.responder.server.ThreadedServer` (the standard library's HTTP server in a daemon
thread), with a status store that says "good" for every certificate the PKI's intermediate issued
until a test says otherwise, and "unknown" for anything else.
"""

from __future__ import annotations

import datetime as _dt
import threading
from typing import Any, Callable, List, Optional, Set, Tuple, Union

from ..enums import CertStatus, ResponseStatus, RevocationReason
from ..errors import OCSPError, OCSPValueError
from ..request import OCSPRequest, load_request
from ..responder.core import Answer, Issuer, Responder
from ..responder.server import ThreadedServer
from ..responder.store import CertificateRecord, MemoryStore
from ..response import load_response, unsuccessful_response
from ._values import UNSUCCESSFUL, cert_status, revocation_reason
from .pki import CertifiedKey, TestPKI
from .scenarios import Scenario

__all__ = ["InProcessResponder"]

_UTC = _dt.timezone.utc


class _PKIStore(MemoryStore):
    """A MemoryStore that knows every certificate the PKI's intermediate issued: good unless a
    record says otherwise, or unless marked unknown."""

    def __init__(self, pki: TestPKI) -> None:
        super().__init__()
        self._pki = pki
        self._unknown: Set[int] = set()

    def lookup(self, serial_number: int) -> Optional[CertificateRecord]:
        record = super().lookup(serial_number)
        if record is not None or serial_number in self._unknown:
            return record
        if serial_number in self._pki.issued_serials:
            return CertificateRecord(serial_number)
        return None

    @property
    def generation(self) -> object:
        # New leaves change what lookup says, as records do.
        return (super().generation, len(self._pki.issued_serials))

    def forget(self, serial_number: int) -> None:
        """Make a serial unknown (even one the PKI issued)."""
        self._unknown.add(serial_number)
        self.remove(serial_number)

    def put(self, record: CertificateRecord) -> None:
        self._unknown.discard(record.serial_number)
        super().put(record)


class _Responder(Responder):
    """The core, recording requests and answering as a test asks."""

    def __init__(self, issuer: Issuer, **options: Any) -> None:
        super().__init__(issuer, **options)
        self.received: List[bytes] = []
        self.fixed: Optional[Answer] = None
        self.lock = threading.Lock()

    # Every answer, to respond() and to HTTP alike, goes through _answer: the one place to record
    # the request and to answer as the test asks.
    def _answer(self, request: Union[bytes, OCSPRequest], moment: _dt.datetime) -> Tuple[Answer, Any]:
        with self.lock:
            self.received.append(request.dump() if isinstance(request, OCSPRequest) else bytes(request))
            fixed = self.fixed
        if fixed is not None:
            return fixed, None
        return super()._answer(request, moment)

    def _cached_reply(self, path: str, headers: Any, now: Optional[_dt.datetime]) -> None:
        """No whole-reply cache here: every request is recorded, and answer_with() applies at once."""
        return None


def _serial(cert: Any) -> int:
    if isinstance(cert, CertifiedKey):
        return cert.serial_number
    if isinstance(cert, int) and not isinstance(cert, bool):
        return cert
    serial = getattr(cert, "serial_number", None)
    if isinstance(serial, int):
        return serial
    from .. import crypto

    return int(crypto.load_certificate(cert).serial_number)


class InProcessResponder:
    """An OCSP responder for ``pki``'s intermediate, served over HTTP on ``host``:``port``
    (default: a free loopback port) in a background thread.

    ``with responder as url:`` starts it and gives its URL (``http://127.0.0.1:PORT/``); leaving
    the block stops it (also :meth:`start` / :meth:`stop`). Options: ``signer`` "responder"
    (default: the delegated responder) or "ca"; ``responder_id`` "name" or "key"; ``validity``
    nextUpdate - thisUpdate (default a day; None for no nextUpdate); ``clock`` a function giving
    the current time (default: the real clock); other keywords go to
    :class:`ocspkit.responder.Responder` (``nonce_lengths``, ``require_signed_requests`` ...).
    """

    def __init__(
        self,
        pki: TestPKI,
        *,
        signer: str = "responder",
        responder_id: str = "name",
        validity: Optional[_dt.timedelta] = _dt.timedelta(days=1),  # RFC 5019 2.2.4 wants a nextUpdate
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Optional[Callable[[], _dt.datetime]] = None,
        **responder_options: Any,
    ) -> None:
        if signer not in ("responder", "ca"):
            raise OCSPValueError(f'signer is "responder" or "ca", got {signer!r}')
        self.pki = pki
        self.store = _PKIStore(pki)
        signing = pki.responder if signer == "responder" else pki.intermediate
        issuer = Issuer(
            certificate=pki.intermediate.certificate,
            signer_key=signing.private_key,
            store=self.store,
            signer_certificate=signing.certificate if signer == "responder" else None,
            responder_id=responder_id,
            validity=validity,
        )
        self._core = _Responder(issuer, clock=clock, **responder_options)
        #: The sans-I/O core (:class:`ocspkit.responder.Responder`).
        self.responder: Responder = self._core
        self._host = host
        self._port = port
        self._server: Optional[ThreadedServer] = None

    # -- running --------------------------------------------------------------------------------

    def start(self) -> str:
        """Start serving (once); return the URL."""
        if self._server is None:
            self._server = ThreadedServer(self.responder, self._host, self._port)
            self._server.start()
        return self.url

    def stop(self) -> None:
        """Stop serving; idempotent."""
        if self._server is not None:
            self._server.stop()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT/``: POST requests here, GET below it (RFC 6960 A.1)."""
        if self._server is None:
            raise RuntimeError("the responder is not started: use `with responder as url:` or start()")
        return self._server.url

    @property
    def running(self) -> bool:
        return self._server is not None and self._server.running

    def __repr__(self) -> str:
        where = self._server.url if self._server is not None else "not started"
        return f"<InProcessResponder {where}>"

    # -- what it says ---------------------------------------------------------------------------

    def set_status(
        self,
        cert: Any,
        status: Union[CertStatus, str],
        *,
        reason: Union[RevocationReason, str, int, None] = None,
        revocation_time: Optional[_dt.datetime] = None,
    ) -> None:
        """What the responder says of ``cert`` (a CertifiedKey, a certificate or a serial number)
        from now on: "good", "revoked" (with ``reason`` and ``revocation_time``, default now) or
        "unknown". Takes effect for the next request."""
        serial = _serial(cert)
        value = cert_status(status)
        if value is CertStatus.REVOKED:
            if revocation_time is None:
                clock = self.responder.clock
                revocation_time = clock() if clock is not None else _dt.datetime.now(_UTC)
            self.store.revoke(serial, when=revocation_time, reason=revocation_reason(reason))
            return
        if reason is not None or revocation_time is not None:
            raise OCSPValueError("reason and revocation_time go with status='revoked'")
        if value is CertStatus.GOOD:
            self.store.put(CertificateRecord(serial))
        else:
            self.store.forget(serial)

    def revoke(
        self,
        cert: Any,
        reason: Union[RevocationReason, str, int, None] = None,
        when: Optional[_dt.datetime] = None,
    ) -> None:
        """``set_status(cert, "revoked", reason=reason, revocation_time=when)``."""
        self.set_status(cert, CertStatus.REVOKED, reason=reason, revocation_time=when)

    def answer_with(self, response: Union[Scenario, bytes, str, ResponseStatus, None]) -> None:
        """Answer every request with one response from now on: a :class:`Scenario` (its bytes), DER
        bytes, or an error status ("try-later", "internal-error", ... or a ResponseStatus).
        ``None`` goes back to answering from the statuses."""
        if response is None:
            fixed = None
        else:
            if isinstance(response, Scenario):
                der = bytes(response.response_der)
            elif isinstance(response, (bytes, bytearray)):
                der = bytes(response)
            elif isinstance(response, str):
                if response not in UNSUCCESSFUL:
                    raise OCSPValueError(f"an error status is one of {', '.join(UNSUCCESSFUL)}, got {response!r}")
                der = unsuccessful_response(UNSUCCESSFUL[response]).dump()
            else:
                der = unsuccessful_response(response).dump()
            parsed = load_response(der)
            fixed = Answer(der, parsed.response_status, source="fixed", reason="answer_with")
        with self._core.lock:
            self._core.fixed = fixed

    def issue_leaf(self, common_name: str = "localhost", **options: Any) -> CertifiedKey:
        """A new leaf of the PKI whose authorityInfoAccess names this responder (started first),
        with ``subject_alt_names`` defaulting to the common name; good until told otherwise."""
        options.setdefault("ocsp_url", self.start())
        options.setdefault("subject_alt_names", [common_name])
        options.setdefault("private_key", self.pki.shared_leaf_key)
        return self.pki.issue_leaf(common_name, **options)

    # -- what it heard --------------------------------------------------------------------------

    @property
    def requests(self) -> List[OCSPRequest]:
        """Every request received so far (parsed; undecodable ones are left out), oldest first."""
        with self._core.lock:
            received = list(self._core.received)
        parsed = []
        for der in received:
            try:
                parsed.append(load_request(der))
            except OCSPError:  # a test may send garbage on purpose; the responder answered it
                continue
        return parsed

    @property
    def request_count(self) -> int:
        """How many OCSP requests (decodable or not) reached the responder."""
        with self._core.lock:
            return len(self._core.received)

    def clear(self) -> None:
        """Forget the requests received and the statuses set; answer from the statuses again."""
        with self._core.lock:
            self._core.received.clear()
            self._core.fixed = None
        for record in list(self.store):
            self.store.remove(record.serial_number)
        self.store._unknown.clear()
        self.responder.clear_cache()

