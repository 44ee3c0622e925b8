"""The responder's sans-I/O core: OCSP request bytes in, signed response bytes out, and HTTP
(method, path, headers, body) in, (status, headers, body) out.

Nothing here opens a socket or reads a clock the caller did not hand in (``now=``; the
``clock`` given to :class:`Responder` is the default). The ASGI app
(:mod:`ocspkit.responder.asgi`) and the threaded server (:mod:`ocspkit.responder.server`) are thin
adapters over :meth:`Responder.handle`.

Rules enforced here, with their clauses:

- every CertID of a request gets a SingleResponse, in the request's hash algorithm (RFC 6960 4.2.2);
- a CertID of an issuer not served gets ``unauthorized`` (RFC 6960 2.3);
- undecodable requests get ``malformedRequest`` (RFC 6960 2.3), and so do nonces outside the
  allowed lengths (RFC 8954 2.1: 1..32 octets by default);
- a store that cannot be read gets ``internalError`` (or ``tryLater`` when it says retrying may
  help) and the responder keeps serving (RFC 6960 2.3);
- signed requests are verified; with ``require_signed_requests``, unsigned ones get
  ``sigRequired`` (RFC 6960 2.3);
- GET answers carry RFC 5019 6.2 cache headers and honour If-None-Match (RFC 9110 13.1.2).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as _dt
import email.utils
import logging
import threading
import time
import urllib.parse
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from .. import asn1, crypto
from .._util import to_generalized_time
from .._writers import (
    basic_response_der,
    cert_status_der,
    certs_der,
    extension_der,
    generalized_time,
    oid_der,
    responder_id_der,
    response_data_der,
    single_response_der,
)
from ..certid import CertID
from ..certinfo import cert_facts
from ..enums import CertStatus, ResponseStatus, RevocationReason
from ..errors import OCSPError, OCSPTypeError, OCSPValueError, StoreError, VerificationError
from ..extensions import single_extensions_der
from ..oid import SUPPORTED_HASHES, CRLEntryExtensionOID
from ..request import OCSPRequest, read_request_der
from ..response import unsuccessful_response
from .metrics import Metrics
from .reply import Answer, Reply
from .store import CertificateRecord, RecordState, StatusStore

__all__ = ["Answer", "Issuer", "Reply", "Responder"]

_UTC = _dt.timezone.utc
log = logging.getLogger("ocspkit.responder")

_EXTENDED_REVOKE_DER = extension_der(asn1.OID.EXTENDED_REVOKE, b"\x05\x00")  # RFC 6960 4.4.8: NULL
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_OCSP_REQUEST = "application/ocsp-request"
_OCSP_RESPONSE = "application/ocsp-response"
_ERROR_DER = {status: unsuccessful_response(status).dump() for status in ResponseStatus if status.value != 0}


def _utc(value: Optional[_dt.datetime] = None) -> _dt.datetime:
    if value is None:
        return _dt.datetime.now(_UTC).replace(microsecond=0)
    if value.tzinfo is None or value.utcoffset() != _dt.timedelta(0):
        raise OCSPValueError("now must be an aware UTC datetime")
    # RFC 6960 4.2.2.1 / RFC 5019 2.2.4: GeneralizedTime without fractions.
    return value.astimezone(_UTC).replace(microsecond=0)


@dataclasses.dataclass(frozen=True)
class Issuer:
    """One CA this responder answers for, and how it signs.

    ``certificate`` is the CA certificate (anything :func:`ocspkit.crypto.load_certificate`
    reads). ``signer_key`` signs; ``signer_certificate`` is the delegated responder certificate
    (RFC 6960 4.2.2.2), or None when the CA signs itself. ``responder_id`` is ``"name"`` or
    ``"key"`` (RFC 6960 4.2.1). ``certificates`` are exactly the certificates each response
    carries (the certs field of RFC 6960 4.2.1), in order: None (the default) means the signer's
    certificate alone, as ``openssl ocsp`` sends it; ``()`` none (``-resp_no_certs``); a list is
    that list, so ``[signer, *chain]`` is ``-rother``'s signer-then-extras (the signer is not
    added again). ``validity`` is nextUpdate -
    thisUpdate, or None for no nextUpdate. ``unknown_status`` is what serials the store does
    not know get: ``"unknown"`` (RFC 6960 2.2) or ``"revoked"`` (the extended revoke of RFC 6960
    2.2 / 4.4.8). ``expired_status`` is what index ``E`` rows get.
    """

    certificate: Any
    signer_key: Any
    store: StatusStore
    signer_certificate: Any = None
    responder_id: str = "name"  # byName: what openssl ocsp writes unless -resp_key_id
    certificates: Optional[Sequence[Any]] = None
    validity: Optional[_dt.timedelta] = _dt.timedelta(days=1)  # RFC 5019 2.2.4 wants a nextUpdate
    hash_algorithm: str = "sha256"  # of the signature; SHA-1 signatures are deprecated (RFC 9155)
    pss: bool = False
    unknown_status: str = "unknown"
    expired_status: str = "good"  # RFC 6960 2.2: good means "not revoked"; expiry is the client's check
    label: Optional[str] = None

    def __post_init__(self) -> None:
        if self.responder_id not in ("name", "key"):
            raise OCSPValueError('responder_id is "name" or "key"')
        if self.unknown_status not in ("unknown", "revoked"):
            raise OCSPValueError('unknown_status is "unknown" or "revoked"')
        if self.expired_status not in ("good", "unknown", "revoked"):
            raise OCSPValueError('expired_status is "good", "unknown" or "revoked"')
        if self.validity is not None and self.validity <= _dt.timedelta(0):
            raise OCSPValueError("validity must be positive (or None for no nextUpdate)")
        for name in ("lookup", "generation"):
            if name not in dir(self.store):  # dir(): reading .generation could already fail
                raise OCSPTypeError(f"store must be a StatusStore, got {type(self.store).__name__}")

    def __repr__(self) -> str:
        # Not the dataclass repr, which printed the certificates and key as asn1crypto bytes.
        signer = "delegated responder" if self.signer_certificate is not None else "the CA"
        return (f"<Issuer {self.label or '(no label)'} signed by {signer}, responder ID by {self.responder_id}, "
                f"{type(self.store).__name__}>")


class _Signer:
    """An Issuer made ready: loaded certificates and key, CertID hashes, certificates to include."""

    def __init__(self, issuer: Issuer) -> None:
        self.issuer = issuer
        self.ca = crypto.load_certificate(issuer.certificate)
        self.key = crypto.load_private_key(issuer.signer_key)
        self.cert = self.ca if issuer.signer_certificate is None else crypto.load_certificate(issuer.signer_certificate)
        if crypto.load_public_key(self.cert).asn1.dump() != self.key.public_key_info.dump():
            raise OCSPValueError(
                f"the signer key does not belong to {'the CA' if issuer.signer_certificate is None else 'the signer'} "
                "certificate"
            )
        facts = cert_facts(self.ca)
        self.hashes = {name: facts.issuer_hashes(name) for name in SUPPORTED_HASHES}
        if issuer.certificates is None:
            include: Tuple[Any, ...] = (self.cert,)
        else:
            include = tuple(crypto.load_certificate(c) for c in issuer.certificates)
        self.include_der = tuple(bytes(c.dump()) for c in include)  # the certificates in each response
        self.certs_field = certs_der(self.include_der)
        self.label = issuer.label or self.ca.subject.human_friendly
        # What every response of this signer repeats, encoded once (RFC 6960 4.2.1): the
        # ResponderID, the signature AlgorithmIdentifier, and the key checked once for signing.
        self.responder_id_der = responder_id_der(cert_facts(self.cert), issuer.responder_id)
        algorithm, self.algorithm_der = crypto.signing_algorithm(self.key, issuer.hash_algorithm, issuer.pss)
        self.sign_tbs = crypto.signer(self.key, algorithm)


@dataclasses.dataclass
class _Cached:
    answer: Answer
    generation: object
    refresh_at: _dt.datetime
    hit: Answer  # the answer as served from the cache (source="cache"), made once
    key: bytes  # its key in Responder._cache: the CertID DER



class _Refused(Exception):
    """A request refused with an unsuccessful status (internal to the core)."""

    def __init__(self, status: ResponseStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Responder:
    """An OCSP responder for one or more issuers, sans I/O.

    ``issuers`` each have their own signer and status store. ``nonce_lengths`` are the allowed
    nonce lengths (RFC 8954 2.1: 1..32). ``require_signed_requests`` answers unsigned requests
    ``sigRequired``; ``request_trust`` are the anchors signed requests must chain to (empty: the
    signature alone is checked, with the signer taken from the request's certificates).
    ``max_request_size`` bounds a request's bytes, ``max_cert_ids`` its CertIDs. Answers for
    single-CertID requests without a nonce are pre-signed and kept (``cache_size`` of them) until
    ``refresh`` of their validity has passed or the store changes. ``clock`` gives the time when
    a call has no ``now=``.
    """

    def __init__(
        self,
        issuers: Union[Issuer, Iterable[Issuer]],
        *,
        nonce_lengths: Tuple[int, int] = (1, 32),  # RFC 8954 2.1
        require_signed_requests: bool = False,  # RFC 6960 4.1.2: signing requests is optional
        request_trust: Sequence[Any] = (),
        max_request_size: int = 65536,  # 64 KiB: ~800 CertIDs; real requests are a few hundred bytes
        max_cert_ids: int = 1000,  # bounds the work one request can ask for
        cache_size: int = 100_000,  # pre-signed answers kept: ~2 KB each, ~200 MB at most
        refresh: float = 0.5,  # re-sign once half of thisUpdate..nextUpdate has passed
        no_next_update_max_age: _dt.timedelta = _dt.timedelta(minutes=5),  # cache life without nextUpdate
        path_prefix: str = "/",
        clock: Optional[Callable[[], _dt.datetime]] = None,
        metrics: Optional[Metrics] = None,
    ) -> None:
        issuers = [issuers] if isinstance(issuers, Issuer) else list(issuers)
        if not issuers:
            raise OCSPValueError("a responder needs at least one Issuer")
        for issuer in issuers:
            if not isinstance(issuer, Issuer):
                raise OCSPTypeError(f"issuers must be ocspkit.responder.Issuer objects, got {type(issuer).__name__}")
        low, high = nonce_lengths
        if not 0 <= low <= high:
            raise OCSPValueError("nonce_lengths must be (min, max) with 0 <= min <= max")
        if not 0 < refresh <= 1:
            raise OCSPValueError("refresh must be in (0, 1]")
        self.signers = [_Signer(issuer) for issuer in issuers]
        self._by_hashes: Dict[Tuple[str, bytes, bytes], _Signer] = {}
        for signer in self.signers:
            for name, (name_hash, key_hash) in signer.hashes.items():
                self._by_hashes.setdefault((name, name_hash, key_hash), signer)
        self.nonce_lengths = (low, high)
        self.require_signed_requests = require_signed_requests
        self.request_trust = tuple(crypto.load_certificate(c) for c in request_trust)
        self.max_request_size = max_request_size
        self.max_cert_ids = max_cert_ids
        self.cache_size = cache_size
        self.refresh = refresh
        self.no_next_update_max_age = no_next_update_max_age
        self.path_prefix = "/" + path_prefix.strip("/") + ("/" if path_prefix.strip("/") else "")
        self._health_routes = frozenset(("/health", self.path_prefix + "health"))
        self._metrics_routes = frozenset(("/metrics", self.path_prefix + "metrics"))
        self.clock = clock
        self.metrics = metrics if metrics is not None else Metrics()
        self._cache: Dict[bytes, _Cached] = {}
        # Whole GET replies of the current second, by path: a hit skips decoding, parsing and headers.
        self._replies: Dict[str, Tuple[_dt.datetime, _Signer, _Cached, Reply]] = {}
        self._replies_second: Optional[_dt.datetime] = None
        self._time_memo: Optional[Tuple[_dt.datetime, Optional[_dt.datetime], bytes, bytes]] = None
        self._lock = threading.Lock()

    # --- time --------------------------------------------------------------------------------

    def __repr__(self) -> str:
        return f"<Responder for {len(self.signers)} issuer(s): {', '.join(s.label for s in self.signers)}>"

    def _now(self, now: Optional[_dt.datetime]) -> _dt.datetime:
        if now is None and self.clock is not None:
            now = self.clock()
        return _utc(now)

    # --- OCSP --------------------------------------------------------------------------------

    def respond(self, request: Union[bytes, OCSPRequest], *, now: Optional[_dt.datetime] = None) -> Answer:
        """Answer one OCSP request (DER bytes or a parsed request) with a response. Never
        raises for a bad request: every refusal is an unsuccessful response."""
        if not isinstance(request, (bytes, bytearray, memoryview, OCSPRequest)):
            raise OCSPTypeError(f"request must be bytes or an OCSPRequest, got {type(request).__name__}")
        return self._answer(request, self._now(now))[0]

    def _answer(
        self, request: Union[bytes, OCSPRequest], moment: _dt.datetime
    ) -> Tuple[Answer, Optional[Tuple[_Signer, _Cached]]]:
        """:meth:`respond`, and the pre-signed entry (with its signer) a cacheable answer came from."""
        try:
            return self._respond(request, moment)
        except _Refused as refused:
            return self._error(refused.status, refused.reason), None
        except StoreError as exc:
            self.metrics.store_errors += 1
            log.warning("status store failed: %s", exc, extra={"ocsp_event": "store_error"})
            status = ResponseStatus.TRY_LATER if exc.retryable else ResponseStatus.INTERNAL_ERROR
            return self._error(status, f"store: {exc}"), None
        except Exception as exc:  # keep-serving boundary: an ocspkit bug, logged, counted, internalError
            self.metrics.internal_error()
            log.exception("internal error answering a request", extra={"ocsp_event": "internal_error"})
            return self._error(ResponseStatus.INTERNAL_ERROR, f"internal: {type(exc).__name__}: {exc}"), None

    def _error(self, status: ResponseStatus, reason: str) -> Answer:
        return Answer(_ERROR_DER[status], status, reason=reason)

    def _parse(self, request: Union[bytes, OCSPRequest]) -> OCSPRequest:
        if isinstance(request, OCSPRequest):
            return request
        data = bytes(request)
        if len(data) > self.max_request_size:
            raise _Refused(ResponseStatus.MALFORMED_REQUEST, f"request of {len(data)} bytes is over the limit")
        if not data.startswith(b"\x30"):
            # RFC 6960 4.1.1: an OCSPRequest is a DER SEQUENCE (no PEM or text over the wire).
            raise _Refused(ResponseStatus.MALFORMED_REQUEST, "not a DER OCSPRequest")
        try:
            return read_request_der(data)  # DER: the body was checked to start with a SEQUENCE
        except OCSPError as exc:
            raise _Refused(ResponseStatus.MALFORMED_REQUEST, f"undecodable request: {exc}") from None

    def _respond(
        self, request: Union[bytes, OCSPRequest], now: _dt.datetime
    ) -> Tuple[Answer, Optional[Tuple[_Signer, _Cached]]]:
        parsed = self._parse(request)
        cert_ids = parsed.cert_ids
        if not cert_ids:
            raise _Refused(ResponseStatus.MALFORMED_REQUEST, "no CertIDs")  # RFC 6960 4.1.1: SEQUENCE OF Request
        if len(cert_ids) > self.max_cert_ids:
            raise _Refused(ResponseStatus.MALFORMED_REQUEST, f"{len(cert_ids)} CertIDs is over the limit")
        nonce = parsed.nonce
        if nonce is not None:
            low, high = self.nonce_lengths
            length = len(nonce)
            if not low <= length <= high:  # RFC 8954 2.1
                raise _Refused(ResponseStatus.MALFORMED_REQUEST, f"nonce of {length} octets (allowed {low}..{high})")
        if parsed.is_signed:
            self._check_signature(parsed, now)
        elif self.require_signed_requests:
            raise _Refused(ResponseStatus.SIG_REQUIRED, "unsigned request")  # RFC 6960 2.3
        signer: Optional[_Signer] = None
        for cert_id in cert_ids:
            found = self._by_hashes.get((cert_id.hash_algorithm, cert_id.issuer_name_hash, cert_id.issuer_key_hash))
            if found is None:
                raise _Refused(ResponseStatus.UNAUTHORIZED, "a CertID of an issuer not served")  # RFC 6960 2.3
            if signer is not None and found is not signer:
                # One response has one signer (RFC 6960 4.2.1); issuers signing differently cannot share it.
                raise _Refused(ResponseStatus.UNAUTHORIZED, "CertIDs of issuers with different signers")
            signer = found
        assert signer is not None
        cacheable = nonce is None and len(cert_ids) == 1
        if cacheable:
            return self._cached(signer, cert_ids[0], now)
        return self._sign(signer, cert_ids, now, parsed, cacheable=False), None

    def _check_signature(self, request: OCSPRequest, now: _dt.datetime) -> None:
        from ..verify import VerifyFlags, verify_request  # lazily: only signed requests need it

        flags = VerifyFlags.NONE if self.request_trust else VerifyFlags.NOVERIFY
        try:
            verify_request(request, trusted=self.request_trust, flags=flags, now=now)
        except VerificationError as exc:
            # RFC 6960 2.3: the requester is not authorized to make this query.
            raise _Refused(ResponseStatus.UNAUTHORIZED, f"request signature: {exc}") from None

    def _cached(
        self, signer: _Signer, cert_id: CertID, now: _dt.datetime
    ) -> Tuple[Answer, Optional[Tuple[_Signer, _Cached]]]:
        key = cert_id.dump()
        generation = signer.issuer.store.generation
        entry = self._cache.get(key)
        if entry is not None and entry.generation == generation and now < entry.refresh_at:
            produced = entry.answer.produced_at
            if produced is None or produced <= now:
                self.metrics.cache_hits += 1
                return entry.hit, (signer, entry)
        self.metrics.cache_misses += 1
        answer = self._sign(signer, (cert_id,), now, None, cacheable=True)
        if answer.status is ResponseStatus.SUCCESSFUL:
            return answer, (signer, self._remember(key, answer, generation))
        return answer, None

    def _remember(self, key: bytes, answer: Answer, generation: object) -> _Cached:
        assert answer.this_update is not None
        if answer.next_update is not None:
            life = (answer.next_update - answer.this_update) * self.refresh
        else:
            life = self.no_next_update_max_age
        entry = _Cached(answer, generation, answer.this_update + life, dataclasses.replace(answer, source="cache"), key)
        with self._lock:
            if key not in self._cache and len(self._cache) >= self.cache_size:
                self._cache.pop(next(iter(self._cache)))  # the oldest entry (dicts keep insertion order)
            self._cache[key] = entry
        return entry

    def presign(self, *, now: Optional[_dt.datetime] = None, hash_algorithms: Sequence[str] = ("sha1",)) -> int:
        """Sign answers for every serial every store knows, ahead of requests (RFC 5019 2.1.1:
        pre-produced responses), in each of ``hash_algorithms`` (SHA-1: RFC 5019 2.1.1 CertIDs).
        Returns how many were signed. Store errors propagate (StoreError)."""
        moment = self._now(now)
        count = 0
        for signer in self.signers:
            store = signer.issuer.store
            generation = store.generation
            for record in list(store):
                for name in hash_algorithms:
                    cert_id = CertID.from_issuer(signer.ca, record.serial_number, name)
                    answer = self._sign(signer, (cert_id,), moment, None, cacheable=True)
                    if answer.status is ResponseStatus.SUCCESSFUL:
                        self._remember(cert_id.dump(), answer, generation)
                        count += 1
        return count

    def clear_cache(self) -> None:
        """Forget every pre-signed answer."""
        with self._lock:
            self._cache.clear()
            self._replies.clear()

    def _status_of(self, signer: _Signer, serial: int) -> Tuple[CertStatus, Dict[str, Any]]:
        record = signer.issuer.store.lookup(serial)
        if record is None:
            if signer.issuer.unknown_status == "revoked":
                # RFC 6960 2.2: a never-issued serial is "revoked" with certificateHold and
                # revocationTime 1970-01-01, and the extended-revoke extension (4.4.8).
                return CertStatus.REVOKED, {
                    "revocation_time": _dt.datetime(1970, 1, 1, tzinfo=_UTC),
                    "revocation_reason": RevocationReason.CERTIFICATE_HOLD,
                }
            return CertStatus.UNKNOWN, {}
        if not isinstance(record, CertificateRecord):
            raise StoreError(f"the store returned {type(record).__name__}, not a CertificateRecord")
        if record.state == RecordState.REVOKED:
            extra: Dict[str, Any] = {
                "revocation_time": record.revocation_time,
                "revocation_reason": record.revocation_reason,
                "invalidity_date": record.invalidity_date,
            }
            if record.hold_instruction is not None:
                extra["extensions"] = [
                    (CRLEntryExtensionOID.HOLD_INSTRUCTION_CODE, oid_der(record.hold_instruction), False)
                ]
            return CertStatus.REVOKED, extra
        if record.state == RecordState.EXPIRED and signer.issuer.expired_status != "good":
            if signer.issuer.expired_status == "unknown":
                return CertStatus.UNKNOWN, {}
            return CertStatus.REVOKED, {"revocation_time": record.not_after or _dt.datetime(1970, 1, 1, tzinfo=_UTC)}
        return CertStatus.GOOD, {}

    def _sign(
        self,
        signer: _Signer,
        cert_ids: Sequence[CertID],
        now: _dt.datetime,
        request: Optional[OCSPRequest],
        *,
        cacheable: bool,
    ) -> Answer:
        issuer = signer.issuer
        next_update = None if issuer.validity is None else now + issuer.validity
        now_der, next_der = self._time_ders(now, next_update)
        singles: List[bytes] = []
        statuses: List[CertStatus] = []
        extended_revoke = False
        for cert_id in cert_ids:
            status, extra = self._status_of(signer, cert_id.serial_number)
            revoked_at = extra.get("revocation_time")
            if status is CertStatus.REVOKED and issuer.unknown_status == "revoked" and revoked_at == _EPOCH:
                extended_revoke = True
            single_extensions = (
                single_extensions_der(extra.get("extensions", ()), extra.get("invalidity_date")) if extra else b""
            )
            status_der = cert_status_der(
                status,
                b"" if revoked_at is None else generalized_time(to_generalized_time(revoked_at)),
                extra.get("revocation_reason"),
            )
            # RFC 6960 4.2.2: answer in the request's hash algorithm; the CertID is echoed as received.
            singles.append(single_response_der(cert_id.dump(), status_der, now_der, next_der, single_extensions))
            statuses.append(status)
        extensions = b""
        if request is not None and request._nonce is not None:
            # RFC 8954 / OCSP_copy_nonce: the extension value echoed as received (the fast reader
            # kept it; parsing the request's extensions again is not needed).
            extensions += extension_der(asn1.OID.NONCE, request._nonce)
        if extended_revoke:
            extensions += _EXTENDED_REVOKE_DER  # RFC 6960 4.4.8
        tbs = response_data_der(signer.responder_id_der, now_der, b"".join(singles), extensions)
        der, _ = basic_response_der(tbs, signer.algorithm_der, signer.sign_tbs(tbs), signer.certs_field)
        self.metrics.signed += 1
        return Answer(
            der, ResponseStatus.SUCCESSFUL, tuple(statuses), now, now, next_update,
            cacheable=cacheable, source="signed",
        )

    def _time_ders(self, now: _dt.datetime, next_update: Optional[_dt.datetime]) -> Tuple[bytes, bytes]:
        """GeneralizedTime TLVs of producedAt / thisUpdate and nextUpdate (``b""``: none), kept
        for the last moment asked: answers made within one second share them."""
        memo = self._time_memo
        if memo is not None and memo[0] == now and memo[1] == next_update:
            return memo[2], memo[3]
        now_der = generalized_time(to_generalized_time(now))
        next_der = b"" if next_update is None else generalized_time(to_generalized_time(next_update))
        self._time_memo = (now, next_update, now_der, next_der)
        return now_der, next_der

    # --- HTTP --------------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        headers: Union[Mapping[str, str], Sequence[Tuple[str, str]]] = (),
        body: bytes = b"",
        *,
        now: Optional[_dt.datetime] = None,
        body_length: Optional[int] = None,
    ) -> Reply:
        """Answer one HTTP request (RFC 6960 Appendix A, RFC 5019 5 and 6): GET and HEAD with
        the request in the path, POST with it in the body; ``/health`` and ``/metrics``.
        ``path`` is the raw (still percent-encoded) path and query. ``body_length`` is for
        adapters that stop reading a body once it is over :attr:`max_request_size` (or refuse it
        from its Content-Length): the length seen or declared, in place of ``len(body)``, so the
        reply is the 413 a whole body would get without anyone buffering it. Never raises."""
        started = time.perf_counter()
        verb = method.upper()
        if verb == "GET" and self._replies:
            reply = self._cached_reply(path, headers, now)
            if reply is not None:
                self.metrics.observe(verb, reply, time.perf_counter() - started)
                if log.isEnabledFor(logging.INFO):
                    self._log(method, path, reply, time.perf_counter() - started)
                return reply
        try:
            size = len(body) if body_length is None else body_length
            reply = self._handle(verb, path, headers, body, now, size)
        except Exception:  # keep-serving boundary: an ocspkit bug, logged, counted, internalError
            self.metrics.internal_error()
            log.exception("internal error handling %s %s", method, path[:200], extra={"ocsp_event": "internal_error"})
            reply = _ocsp_reply(200, self._error(ResponseStatus.INTERNAL_ERROR, "internal"), method)
        elapsed = time.perf_counter() - started
        if reply.answer is None and reply.status != 405:
            return reply  # /health and /metrics are not OCSP traffic: neither counted nor logged
        self.metrics.observe(verb, reply, elapsed)
        if log.isEnabledFor(logging.INFO):
            self._log(method, path, reply, elapsed)
        return reply

    def _log(self, method: str, path: str, reply: Reply, elapsed: float) -> None:
        answer = reply.answer
        log.info(
            "%s %s -> %d %s", method, path[:80], reply.status,
            answer.status.name.lower() if answer else "-",
            extra={
                "ocsp_event": "request",
                "http_method": method,
                "http_status": reply.status,
                "ocsp_status": answer.status.name.lower() if answer else None,
                "cert_statuses": [s.name.lower() for s in answer.cert_statuses] if answer else [],
                "source": answer.source if answer else None,
                "reason": answer.reason if answer else None,
                "duration_ms": round(elapsed * 1000, 3),
            },
        )

    def _cached_reply(
        self, path: str, headers: Union[Mapping[str, str], Sequence[Tuple[str, str]]], now: Optional[_dt.datetime]
    ) -> Optional[Reply]:
        """The whole HTTP reply to a GET of this very path made earlier in the same second (its
        max-age counts whole seconds), while its pre-signed answer and its store are unchanged.
        Conditional requests (If-None-Match) take the full path."""
        found = self._replies.get(path)
        if found is None:
            return None
        second, signer, cached, reply = found
        moment = self._now(now)
        if second != moment or moment >= cached.refresh_at or self._cache.get(cached.key) is not cached:
            return None
        items = _header_items(headers)
        for name, _ in items:
            if (name.decode("latin-1") if isinstance(name, bytes) else name).lower() == "if-none-match":
                return None
        if signer.issuer.store.generation != cached.generation:
            return None
        self.metrics.cache_hits += 1
        return reply

    def _keep_reply(self, path: str, moment: _dt.datetime, reply: Reply, hit: Tuple[_Signer, _Cached]) -> None:
        with self._lock:
            if self._replies_second != moment or len(self._replies) >= self.cache_size:
                self._replies.clear()  # the replies of one second at most
                self._replies_second = moment
            self._replies[path] = (moment, hit[0], hit[1], reply)

    def _handle(
        self, method: str, path: str, raw_headers: Union[Mapping[str, str], Sequence[Tuple[str, str]]], body: bytes,
        now: Optional[_dt.datetime], size: int,
    ) -> Reply:
        route = path.split("?", 1)[0]
        if route in self._health_routes:
            return self._health(method)
        if route in self._metrics_routes:
            return Reply(200, (("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),),
                         self.metrics.render().encode() if method != "HEAD" else b"")
        if method == "POST":
            content_type = (_header_value(raw_headers, "content-type") or "").split(";", 1)[0].strip().lower()
            if content_type and content_type != _OCSP_REQUEST:
                # RFC 6960 A.1: requests are application/ocsp-request.
                answer = self._error(ResponseStatus.MALFORMED_REQUEST, f"content type {content_type!r}")
                return _ocsp_reply(415, answer, method)
            if size > self.max_request_size:
                return _ocsp_reply(413, self._error(ResponseStatus.MALFORMED_REQUEST, "body over the limit"), method)
            return _ocsp_reply(200, self._answer(body, self._now(now))[0], method)
        if method in ("GET", "HEAD"):
            headers = _header_map(raw_headers)
            der = self._decode_get(route)
            if der is None:
                answer = self._error(ResponseStatus.MALFORMED_REQUEST, "malformed GET path")
                return _ocsp_reply(200, answer, method)
            moment = self._now(now)
            answer, hit = self._answer(der, moment)
            reply = self._get_reply(answer, method, headers, moment)
            if method == "GET" and reply.status == 200 and hit is not None and "if-none-match" not in headers:
                self._keep_reply(path, moment, reply, hit)
            return reply
        return Reply(405, (("Allow", "GET, HEAD, POST"), ("Content-Type", "text/plain; charset=utf-8")),
                     b"method not allowed\n")

    def _health(self, method: str) -> Reply:
        problems = []
        notes = []
        for signer in self.signers:
            try:
                _ = signer.issuer.store.generation
            except StoreError as exc:
                problems.append(f"{signer.label}: {exc}")
            # A store answering from its last good copy (IndexTxtStore.last_error): still healthy, but said.
            stale = getattr(signer.issuer.store, "last_error", None)
            if stale is not None:
                notes.append(f"warning: {signer.label}: serving the last good copy: {stale}\n")
        if problems:
            body = "".join(f"store error: {p}\n" for p in problems).encode()
        else:
            body = ("ok\n" + "".join(notes)).encode()
        return Reply(200 if not problems else 503, (("Content-Type", "text/plain; charset=utf-8"),),
                     b"" if method == "HEAD" else body)

    def _decode_get(self, route: str) -> Optional[bytes]:
        """RFC 6960 A.1: GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}."""
        if not route.startswith(self.path_prefix):
            return None
        encoded = route[len(self.path_prefix):]
        if not encoded or len(encoded) > self.max_request_size * 2:
            return None
        text = urllib.parse.unquote(encoded)
        text = text.lstrip("/")  # a doubled slash between the prefix and the request
        # Be lenient in what is accepted: a '+' some clients leave unencoded, the URL-safe
        # alphabet, and padding dropped.
        text = text.replace(" ", "+").replace("-", "+").replace("_", "/")
        text += "=" * (-len(text) % 4)
        try:
            der = base64.b64decode(text.encode("ascii"), validate=True)
        except (binascii.Error, ValueError, UnicodeEncodeError):
            return None
        return der or None

    def _get_reply(self, answer: Answer, method: str, headers: Dict[str, str], now: _dt.datetime) -> Reply:
        if answer.status is not ResponseStatus.SUCCESSFUL or not answer.cacheable:
            return _ocsp_reply(200, answer, method)
        cache_headers = [("ETag", answer.etag)]
        assert answer.produced_at is not None
        cache_headers.append(("Last-Modified", _http_date(answer.produced_at)))  # RFC 5019 6.2
        if answer.next_update is not None:
            max_age = max(0, int((answer.next_update - now).total_seconds()))
            cache_headers.append(("Expires", _http_date(answer.next_update)))  # RFC 5019 6.2: nextUpdate
            # RFC 5019 6.2: max-age no later than nextUpdate; public, no-transform, must-revalidate.
            cache_headers.append(("Cache-Control", f"max-age={max_age}, public, no-transform, must-revalidate"))
        else:
            cache_headers.append(("Cache-Control", "no-cache"))
        match = headers.get("if-none-match")
        if match is not None and _etag_matches(match, answer.etag):
            return Reply(304, tuple(cache_headers), b"", answer)  # RFC 9110 15.4.5
        reply = _ocsp_reply(200, answer, method)
        return Reply(reply.status, reply.headers + tuple(cache_headers), reply.body, answer)


def origin_form(target: str) -> str:
    """A request target as a path and query: an absolute-form target (a proxy's,
    ``http://host/path?query``, RFC 9112 3.2.2) loses its scheme and authority."""
    if target.startswith("/"):
        return target
    parts = urllib.parse.urlsplit(target)
    return (parts.path or "/") + ("?" + parts.query if parts.query else "")


def _header_items(headers: Any) -> Iterable[Tuple[Any, Any]]:
    # Lists and tuples first: the ABC check of Mapping is slow, and servers pass lists.
    if isinstance(headers, (list, tuple)):
        return headers
    return headers.items() if isinstance(headers, Mapping) else headers


def _header_value(headers: Union[Mapping[str, str], Sequence[Tuple[str, str]]], wanted: str) -> Optional[str]:
    """The value of the field ``wanted`` (lower case), repeated fields joined with ", " as
    :func:`_header_map` joins them (RFC 9110 5.3), or None; without building the whole map."""
    found: Optional[str] = None
    encoded = wanted.encode("latin-1")
    for name, value in _header_items(headers):
        if name != encoded:  # the servers' form, lower-case bytes, is the usual match
            if isinstance(name, bytes):
                if len(name) != len(encoded) or name.lower() != encoded:
                    continue
            elif str(name).lower() != wanted:
                continue
        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        found = text if found is None else found + ", " + text
    return found


def _header_map(headers: Union[Mapping[str, str], Sequence[Tuple[str, str]]]) -> Dict[str, str]:
    items = _header_items(headers)
    out: Dict[str, str] = {}
    for name, value in items:
        key = (name.decode("latin-1") if isinstance(name, bytes) else str(name)).lower()
        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        out[key] = out[key] + ", " + text if key in out else text
    return out


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    # RFC 9110 13.1.2: weak comparison; W/ prefixes do not count.
    tags = [t.strip() for t in header.split(",")]
    return any((t[2:] if t.startswith("W/") else t) == etag for t in tags)


def _http_date(when: _dt.datetime) -> str:
    return email.utils.format_datetime(when.astimezone(_UTC), usegmt=True)


def _ocsp_reply(status: int, answer: Answer, method: str) -> Reply:
    headers: Tuple[Tuple[str, str], ...] = (
        ("Content-Type", _OCSP_RESPONSE),
        ("Content-Length", str(len(answer.der))),
    )
    if answer.status is not ResponseStatus.SUCCESSFUL:
        headers += (("Cache-Control", "no-store"),)  # errors are not for caches
    return Reply(status, headers, b"" if method.upper() == "HEAD" else answer.der, answer)
