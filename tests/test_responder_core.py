"""The responder's sans-I/O core (ocspkit.responder.core): OCSP rules and HTTP behaviour.

Every answer the core signs is read back by ocspkit's own verifier with an independent trust
anchor (check_status / verify_response) and, for the main cases, by ``openssl ocsp -respin``.
A fixed clock (NOW) anchors every certificate and answer.
"""

from __future__ import annotations

import base64
import datetime as dt
import urllib.parse
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from _openssl_cli import openssl

import ocspkit
from ocspkit._writers import oid_der
from ocspkit.enums import CertStatus, ResponseStatus, RevocationReason
from ocspkit.errors import OCSPTypeError, OCSPValueError, StoreError
from ocspkit.request import RequestBuilder
from ocspkit.responder import CertificateRecord, Issuer, MemoryStore, Responder
from ocspkit.response import ResponseBuilder, load_response
from ocspkit.testing import CertifiedKey, TestPKI

NOW = dt.datetime(2026, 6, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def pki() -> TestPKI:
    return TestPKI("ec", now=NOW)


@pytest.fixture(scope="module")
def other_pki() -> TestPKI:
    return TestPKI("ec", now=NOW)


@pytest.fixture(scope="module")
def leaves(pki: TestPKI) -> Dict[str, CertifiedKey]:
    return {name: pki.issue_leaf(f"{name}.example") for name in ("good", "revoked", "hold", "unknown", "expired")}


def make_store(leaves: Dict[str, CertifiedKey]) -> MemoryStore:
    store = MemoryStore()
    store.add(leaves["good"].serial_number)
    store.revoke(leaves["revoked"].serial_number, when=NOW - dt.timedelta(days=2),
                 reason=RevocationReason.KEY_COMPROMISE, invalidity_date=NOW - dt.timedelta(days=3))
    store.revoke(leaves["hold"].serial_number, when=NOW - dt.timedelta(days=1),
                 reason=RevocationReason.CERTIFICATE_HOLD, hold_instruction="1.2.840.10040.2.2")
    store.put(CertificateRecord(leaves["expired"].serial_number, "E", not_after=NOW - dt.timedelta(days=1)))
    return store


@pytest.fixture()
def store(leaves: Dict[str, CertifiedKey]) -> MemoryStore:
    return make_store(leaves)


def delegated(pki: TestPKI, store: Any, **options: Any) -> Issuer:
    return Issuer(pki.intermediate.certificate, pki.responder.private_key, store,
                  signer_certificate=pki.responder.certificate, **options)


@pytest.fixture()
def responder(pki: TestPKI, store: MemoryStore) -> Responder:
    return Responder(delegated(pki, store), clock=lambda: NOW)


def request_for(pki: TestPKI, *leaves: CertifiedKey, nonce: Any = None, hash_algorithm: str = "sha1") -> bytes:
    builder = RequestBuilder()
    for leaf in leaves:
        builder = builder.add_cert(leaf.certificate, pki.intermediate.certificate, hash_algorithm=hash_algorithm)
    if nonce is not None:
        builder = builder.with_nonce(nonce)
    return builder.build().dump()


def status_of(der: bytes, pki: TestPKI, leaf: CertifiedKey, request: Optional[bytes] = None) -> Any:
    return ocspkit.check_status(der, leaf.certificate, pki.intermediate.certificate, trusted=[pki.root.certificate],
                                request=request, now=NOW)


def get_path(der: bytes, prefix: str = "/") -> str:
    return prefix + urllib.parse.quote(base64.b64encode(der).decode(), safe="")


# --- OCSP answers -----------------------------------------------------------------------------


def test_statuses_verify_with_ocspkit(pki: TestPKI, leaves: Dict[str, CertifiedKey], responder: Responder) -> None:
    for name, expected in (("good", CertStatus.GOOD), ("revoked", CertStatus.REVOKED), ("hold", CertStatus.REVOKED),
                           ("unknown", CertStatus.UNKNOWN), ("expired", CertStatus.GOOD)):
        request = request_for(pki, leaves[name])
        answer = responder.respond(request)
        assert answer.status is ResponseStatus.SUCCESSFUL
        assert answer.cert_statuses == (expected,)
        result = status_of(answer.der, pki, leaves[name], request)
        assert result.status is expected, name
    single = load_response(responder.respond(request_for(pki, leaves["revoked"])).der).responses[0]
    assert single.revocation_reason is RevocationReason.KEY_COMPROMISE
    assert single.revocation_time == NOW - dt.timedelta(days=2)
    assert single.extensions.get("2.5.29.24") is not None  # invalidityDate
    hold = load_response(responder.respond(request_for(pki, leaves["hold"])).der).responses[0]
    assert hold.revocation_reason is RevocationReason.CERTIFICATE_HOLD
    assert hold.extensions.get("2.5.29.23") is not None  # holdInstructionCode


def test_every_cert_id_answered_in_its_hash(pki: TestPKI, leaves: Dict[str, CertifiedKey],
                                            responder: Responder) -> None:
    # RFC 6960 4.2.2: a SingleResponse per CertID, in the request's hash algorithm.
    builder = RequestBuilder()
    for name, algorithm in (("good", "sha256"), ("revoked", "sha1"), ("unknown", "sha512"), ("good", "sha384")):
        builder = builder.add_cert(leaves[name].certificate, pki.intermediate.certificate, hash_algorithm=algorithm)
    request = builder.build()
    answer = responder.respond(request.dump())
    response = load_response(answer.der)
    assert [s.cert_id for s in response.responses] == list(request.cert_ids)
    assert [s.cert_id.dump() for s in response.responses] == [c.dump() for c in request.cert_ids]
    assert answer.cert_statuses == (CertStatus.GOOD, CertStatus.REVOKED, CertStatus.UNKNOWN, CertStatus.GOOD)
    ocspkit.verify_response(response, trusted=[pki.root.certificate], untrusted=[pki.intermediate.certificate],
                            now=NOW)


def test_next_update_and_times(pki: TestPKI, leaves: Dict[str, CertifiedKey], store: MemoryStore) -> None:
    responder = Responder(delegated(pki, store, validity=dt.timedelta(hours=6)), clock=lambda: NOW)
    single = load_response(responder.respond(request_for(pki, leaves["good"])).der).responses[0]
    assert single.this_update == NOW and single.next_update == NOW + dt.timedelta(hours=6)
    responder = Responder(delegated(pki, store, validity=None), clock=lambda: NOW)
    assert load_response(responder.respond(request_for(pki, leaves["good"])).der).responses[0].next_update is None


@pytest.mark.parametrize("kind", ["default", "none", "signer-and-chain", "chain-only"])
def test_issuer_certificates_are_the_certs_field(pki: TestPKI, leaves: Dict[str, CertifiedKey], store: MemoryStore,
                                                 kind: str) -> None:
    """Issuer.certificates has one meaning: exactly the certificates each response carries (None:
    the signer's alone). The signer was once added in front of any list, so a caller passing
    (signer, *extras), as openssl's -rsigner/-rother do, sent the signer twice."""
    signer, chain = pki.responder.cert_der, pki.intermediate.cert_der
    given: Any = {"default": None, "none": (), "signer-and-chain": (signer, chain), "chain-only": (chain,)}[kind]
    expected = {"default": (signer,), "none": (), "signer-and-chain": (signer, chain), "chain-only": (chain,)}[kind]
    issuer = Issuer(pki.intermediate.certificate, pki.responder.private_key, store,
                    signer_certificate=pki.responder.certificate, certificates=given)
    answer = Responder(issuer).respond(request_for(pki, leaves["good"]))
    assert load_response(answer.der).basic.certs_der == expected


def test_ca_signs_itself_by_key(pki: TestPKI, leaves: Dict[str, CertifiedKey], store: MemoryStore) -> None:
    issuer = Issuer(pki.intermediate.certificate, pki.intermediate.private_key, store, responder_id="key",
                    certificates=())
    responder = Responder(issuer, clock=lambda: NOW)
    response = load_response(responder.respond(request_for(pki, leaves["good"])).der)
    assert response.responder_id.key_hash is not None and response.certs == ()
    verdict = ocspkit.verify_response(response, trusted=[pki.root.certificate],
                                      untrusted=[pki.intermediate.certificate], now=NOW)
    assert verdict.authorization is ocspkit.Authorization.ISSUER


def test_two_issuers_two_signers(pki: TestPKI, other_pki: TestPKI, leaves: Dict[str, CertifiedKey]) -> None:
    other_leaf = other_pki.issue_leaf("other.example")
    other_store = MemoryStore()
    other_store.revoke(other_leaf.serial_number, when=NOW - dt.timedelta(hours=1), reason=4)
    responder = Responder(
        [delegated(pki, make_store(leaves)),
         Issuer(other_pki.intermediate.certificate, other_pki.intermediate.private_key, other_store)],
        clock=lambda: NOW,
    )
    der = responder.respond(request_for(pki, leaves["good"])).der
    assert status_of(der, pki, leaves["good"]).status is CertStatus.GOOD
    der = responder.respond(request_for(other_pki, other_leaf)).der
    assert status_of(der, other_pki, other_leaf).status is CertStatus.REVOKED
    # One response has one signer: CertIDs of both issuers cannot share it.
    mixed = (RequestBuilder().add_cert(leaves["good"].certificate, pki.intermediate.certificate)
             .add_cert(other_leaf.certificate, other_pki.intermediate.certificate).build().dump())
    assert responder.respond(mixed).status is ResponseStatus.UNAUTHORIZED


def test_unserved_issuer_unauthorized(pki: TestPKI, other_pki: TestPKI, responder: Responder,
                                      leaves: Dict[str, CertifiedKey]) -> None:
    stranger = other_pki.issue_leaf()
    assert responder.respond(request_for(other_pki, stranger)).status is ResponseStatus.UNAUTHORIZED
    # A served CertID next to an unserved one: the whole request is refused (RFC 6960 2.3).
    mixed = (RequestBuilder().add_cert(leaves["good"].certificate, pki.intermediate.certificate)
             .add_cert(stranger.certificate, other_pki.intermediate.certificate).build().dump())
    assert responder.respond(mixed).status is ResponseStatus.UNAUTHORIZED


def test_extended_revoke(pki: TestPKI, leaves: Dict[str, CertifiedKey], store: MemoryStore) -> None:
    responder = Responder(delegated(pki, store, unknown_status="revoked"), clock=lambda: NOW)
    response = load_response(responder.respond(request_for(pki, leaves["unknown"])).der)
    single = response.responses[0]
    # RFC 6960 2.2: certificateHold, revocationTime 1970-01-01, and the extended revoke extension.
    assert single.cert_status is CertStatus.REVOKED
    assert single.revocation_reason is RevocationReason.CERTIFICATE_HOLD
    assert single.revocation_time == dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    assert response.extensions.get("1.3.6.1.5.5.7.48.1.9") is not None
    # ... while known serials keep their status and no extension.
    good = load_response(responder.respond(request_for(pki, leaves["good"])).der)
    assert good.extensions.get("1.3.6.1.5.5.7.48.1.9") is None


@pytest.mark.parametrize(("status", "expected"), [("unknown", CertStatus.UNKNOWN), ("revoked", CertStatus.REVOKED)])
def test_expired_status(pki: TestPKI, leaves: Dict[str, CertifiedKey], store: MemoryStore, status: str,
                        expected: CertStatus) -> None:
    responder = Responder(delegated(pki, store, expired_status=status), clock=lambda: NOW)
    assert responder.respond(request_for(pki, leaves["expired"])).cert_statuses == (expected,)


# --- nonces and signed requests ---------------------------------------------------------------


@pytest.mark.parametrize("length", [1, 16, 32])
def test_nonce_echoed(pki: TestPKI, leaves: Dict[str, CertifiedKey], responder: Responder, length: int) -> None:
    request = request_for(pki, leaves["good"], nonce=bytes(range(1, length + 1)))
    answer = responder.respond(request)
    assert answer.source == "signed" and not answer.cacheable
    assert load_response(answer.der).nonce == bytes(range(1, length + 1))
    assert status_of(answer.der, pki, leaves["good"], request).status is CertStatus.GOOD


@pytest.mark.parametrize("length", [0, 33, 128])
def test_nonce_length_refused(pki: TestPKI, leaves: Dict[str, CertifiedKey], responder: Responder, length: int) -> None:
    # RFC 8954 2.1: 1..32 octets.
    request = (RequestBuilder().add_cert(leaves["good"].certificate, pki.intermediate.certificate)
               .with_extension("1.3.6.1.5.5.7.48.1.2", b"\x04" + bytes([length]) + b"\x07" * length).build())
    assert responder.respond(request.dump()).status is ResponseStatus.MALFORMED_REQUEST


def test_nonce_lengths_configurable(pki: TestPKI, leaves: Dict[str, CertifiedKey], store: MemoryStore) -> None:
    responder = Responder(delegated(pki, store), nonce_lengths=(16, 64), clock=lambda: NOW)
    short = request_for(pki, leaves["good"], nonce=b"x" * 8)
    assert responder.respond(short).status is ResponseStatus.MALFORMED_REQUEST
    assert responder.respond(request_for(pki, leaves["good"], nonce=b"x" * 64)).status is ResponseStatus.SUCCESSFUL


def test_signed_requests(pki: TestPKI, leaves: Dict[str, CertifiedKey], store: MemoryStore) -> None:
    client = pki.issue_leaf("client.example")
    builder = RequestBuilder().add_cert(leaves["good"].certificate, pki.intermediate.certificate)
    signed = builder.sign(client.private_key, client.certificate).dump()
    unsigned = builder.build().dump()
    strict = Responder(delegated(pki, store), require_signed_requests=True, request_trust=[pki.root.certificate],
                       clock=lambda: NOW)
    assert strict.respond(unsigned).status is ResponseStatus.SIG_REQUIRED
    # The client's chain needs the intermediate: the request carries only the client certificate.
    with_chain = builder.sign(client.private_key, client.certificate,
                              extra_certs=[pki.intermediate.certificate]).dump()
    assert strict.respond(with_chain).status is ResponseStatus.SUCCESSFUL
    assert strict.respond(signed).status is ResponseStatus.UNAUTHORIZED
    # Without anchors, the signature alone is checked; a corrupted one is refused.
    lenient = Responder(delegated(pki, store), clock=lambda: NOW)
    assert lenient.respond(signed).status is ResponseStatus.SUCCESSFUL
    broken = bytearray(signed)
    signature = ocspkit.load_request(signed).signature
    assert signature is not None
    broken[signed.index(signature) + len(signature) - 1] ^= 1
    assert lenient.respond(bytes(broken)).status is ResponseStatus.UNAUTHORIZED


# --- malformed requests and limits ------------------------------------------------------------


@pytest.mark.parametrize(
    "body", [b"", b"\x00", b"garbage", b"\x30\x03\x02\x01", b"\x30\x00", b"-----BEGIN OCSP REQUEST-----"]
)
def test_malformed(responder: Responder, body: bytes) -> None:
    assert responder.respond(body).status is ResponseStatus.MALFORMED_REQUEST


def test_truncations_never_raise(pki: TestPKI, leaves: Dict[str, CertifiedKey], responder: Responder) -> None:
    request = request_for(pki, leaves["good"], leaves["revoked"], nonce=b"n" * 16)
    for cut in range(len(request)):
        assert responder.respond(request[:cut]).status is ResponseStatus.MALFORMED_REQUEST


def test_limits(pki: TestPKI, leaves: Dict[str, CertifiedKey], store: MemoryStore) -> None:
    many = request_for(pki, *([leaves["good"]] * 50))
    small = Responder(delegated(pki, store), max_cert_ids=10, clock=lambda: NOW)
    assert small.respond(many).status is ResponseStatus.MALFORMED_REQUEST
    tiny = Responder(delegated(pki, store), max_request_size=100, clock=lambda: NOW)
    assert tiny.respond(many).status is ResponseStatus.MALFORMED_REQUEST
    answer = Responder(delegated(pki, store), clock=lambda: NOW).respond(many)
    assert answer.status is ResponseStatus.SUCCESSFUL and len(answer.cert_statuses) == 50


def test_misuse(pki: TestPKI, store: MemoryStore, responder: Responder) -> None:
    with pytest.raises(OCSPValueError):
        Responder([])
    with pytest.raises(OCSPTypeError):
        Responder(["not an issuer"])  # type: ignore[list-item]
    with pytest.raises(OCSPValueError):
        delegated(pki, store, responder_id="hash")
    with pytest.raises(OCSPValueError):
        delegated(pki, store, validity=dt.timedelta(0))
    with pytest.raises(OCSPTypeError):
        delegated(pki, object())
    with pytest.raises(OCSPValueError):  # the key is not the signer's
        Responder(Issuer(pki.intermediate.certificate, pki.root.private_key, store))
    with pytest.raises(OCSPValueError):
        responder.respond(b"", now=dt.datetime(2026, 1, 1))
    with pytest.raises(OCSPTypeError):
        responder.respond("text")  # type: ignore[arg-type]


# --- the store: errors, changes, pre-signing --------------------------------------------------


class FlakyStore(MemoryStore):
    def __init__(self, error: Optional[StoreError] = None) -> None:
        super().__init__()
        self.error = error

    def lookup(self, serial_number: int) -> Optional[CertificateRecord]:
        if self.error is not None:
            raise self.error
        return super().lookup(serial_number)


class BrokenStore(MemoryStore):
    def lookup(self, serial_number: int) -> Optional[CertificateRecord]:
        raise RuntimeError("a bug in a third-party store")


def test_store_errors_keep_serving(pki: TestPKI, leaves: Dict[str, CertifiedKey]) -> None:
    store = FlakyStore(StoreError("index unreadable"))
    store.add(leaves["good"].serial_number)
    responder = Responder(delegated(pki, store), clock=lambda: NOW)
    request = request_for(pki, leaves["good"])
    assert responder.respond(request).status is ResponseStatus.INTERNAL_ERROR
    store.error = StoreError("database locked", retryable=True)
    assert responder.respond(request).status is ResponseStatus.TRY_LATER
    assert responder.handle("GET", "/health").status == 200  # generation still readable
    store.error = None
    assert responder.respond(request).status is ResponseStatus.SUCCESSFUL
    broken = Responder(delegated(pki, BrokenStore()), clock=lambda: NOW)
    assert broken.respond(request).status is ResponseStatus.INTERNAL_ERROR
    assert "store_errors_total 2" in responder.handle("GET", "/metrics").body.decode()


def test_cache_follows_the_store(pki: TestPKI, leaves: Dict[str, CertifiedKey], store: MemoryStore) -> None:
    clock = [NOW]
    responder = Responder(delegated(pki, store, validity=dt.timedelta(hours=4)), clock=lambda: clock[0])
    request = request_for(pki, leaves["good"])
    first = responder.respond(request)
    assert first.source == "signed" and first.cacheable
    again = responder.respond(request)
    assert again.source == "cache" and again.der == first.der
    # A revocation is seen at once: the store's generation changed.
    store.revoke(leaves["good"].serial_number, when=NOW, reason=1)
    revoked = responder.respond(request)
    assert revoked.source == "signed" and revoked.cert_statuses == (CertStatus.REVOKED,)
    store.unrevoke(leaves["good"].serial_number)
    assert responder.respond(request).cert_statuses == (CertStatus.GOOD,)
    # Refreshed once half of thisUpdate..nextUpdate has passed (refresh=0.5).
    clock[0] = NOW + dt.timedelta(hours=1, minutes=59)
    assert responder.respond(request).source == "cache"
    clock[0] = NOW + dt.timedelta(hours=2)
    fresh = responder.respond(request)
    assert fresh.source == "signed" and fresh.this_update == NOW + dt.timedelta(hours=2)


def test_presign(pki: TestPKI, leaves: Dict[str, CertifiedKey], store: MemoryStore) -> None:
    responder = Responder(delegated(pki, store), clock=lambda: NOW)
    assert responder.presign(hash_algorithms=("sha1", "sha256")) == 2 * len(store)
    for name in ("good", "revoked", "expired"):
        for algorithm in ("sha1", "sha256"):
            answer = responder.respond(request_for(pki, leaves[name], hash_algorithm=algorithm))
            assert answer.source == "cache", (name, algorithm)
    assert responder.respond(request_for(pki, leaves["unknown"])).source == "signed"
    responder.clear_cache()
    assert responder.respond(request_for(pki, leaves["good"])).source == "signed"


def test_cache_is_bounded(pki: TestPKI, store: MemoryStore) -> None:
    responder = Responder(delegated(pki, store), cache_size=3, clock=lambda: NOW)
    for serial in range(1, 10):
        store.add(serial)
    responder.presign()
    assert len(responder._cache) == 3


# --- HTTP ---------------------------------------------------------------------------------------


def header(reply: Any, name: str) -> Optional[str]:
    return next((v for k, v in reply.headers if k.lower() == name.lower()), None)


def test_get_cache_headers_and_304(pki: TestPKI, leaves: Dict[str, CertifiedKey], responder: Responder) -> None:
    der = request_for(pki, leaves["good"])
    reply = responder.handle("GET", get_path(der))
    assert reply.status == 200 and header(reply, "content-type") == "application/ocsp-response"
    assert status_of(reply.body, pki, leaves["good"]).status is CertStatus.GOOD
    single = load_response(reply.body).responses[0]
    assert single.next_update is not None
    # RFC 5019 6.2
    assert header(reply, "cache-control") == (
        f"max-age={int((single.next_update - NOW).total_seconds())}, public, no-transform, must-revalidate"
    )
    assert header(reply, "expires") == "Tue, 02 Jun 2026 12:00:00 GMT"
    assert header(reply, "last-modified") == "Mon, 01 Jun 2026 12:00:00 GMT"
    etag = header(reply, "etag")
    assert etag is not None and etag.startswith('"')
    for match in (etag, f"W/{etag}", f'"x", {etag}', "*"):
        cached = responder.handle("GET", get_path(der), {"If-None-Match": match})
        assert cached.status == 304 and cached.body == b"" and header(cached, "etag") == etag
    assert responder.handle("GET", get_path(der), {"If-None-Match": '"other"'}).status == 200
    head = responder.handle("HEAD", get_path(der))
    assert head.status == 200 and head.body == b"" and header(head, "content-length") == str(len(reply.body))
    # A later GET: max-age counts down to nextUpdate.
    later = responder.handle("GET", get_path(der), now=NOW + dt.timedelta(hours=1))
    assert header(later, "cache-control", ).startswith("max-age=82800,")  # type: ignore[union-attr]


def test_get_encodings(pki: TestPKI, leaves: Dict[str, CertifiedKey], responder: Responder) -> None:
    der = request_for(pki, leaves["revoked"])
    b64 = base64.b64encode(der).decode()
    for path in ("/" + b64, "/" + urllib.parse.quote(b64, safe=""), "//" + urllib.parse.quote(b64, safe=""),
                 "/" + base64.urlsafe_b64encode(der).decode().rstrip("=")):
        reply = responder.handle("GET", path)
        assert reply.status == 200 and reply.answer is not None, path
        assert reply.answer.cert_statuses == (CertStatus.REVOKED,), path
    prefixed = Responder(responder.signers[0].issuer, path_prefix="/ocsp/", clock=lambda: NOW)
    assert prefixed.handle("GET", get_path(der, "/ocsp/")).answer.cert_statuses == (CertStatus.REVOKED,)  # type: ignore[union-attr]
    assert prefixed.handle("GET", get_path(der, "/other/")).answer.status is ResponseStatus.MALFORMED_REQUEST  # type: ignore[union-attr]


@pytest.mark.parametrize("path", ["/", "/%%%", "/!!!!", "/" + "A" * 200000, "/AAAA", "/%FF%FE"])
def test_malformed_get(responder: Responder, path: str) -> None:
    reply = responder.handle("GET", path)
    assert reply.status == 200 and reply.answer is not None
    assert reply.answer.status is ResponseStatus.MALFORMED_REQUEST
    assert load_response(reply.body).response_status is ResponseStatus.MALFORMED_REQUEST
    assert header(reply, "cache-control") == "no-store"


def test_post(pki: TestPKI, leaves: Dict[str, CertifiedKey], responder: Responder) -> None:
    der = request_for(pki, leaves["good"], leaves["revoked"], nonce=b"abcdefgh")
    for content_type in ("application/ocsp-request", "Application/OCSP-Request; charset=binary", None):
        headers = {} if content_type is None else {"Content-Type": content_type}
        reply = responder.handle("POST", "/", headers, der)
        assert reply.status == 200 and reply.answer is not None
        assert reply.answer.cert_statuses == (CertStatus.GOOD, CertStatus.REVOKED)
        assert header(reply, "cache-control") is None  # a nonce: not for caches
    wrong = responder.handle("POST", "/", [("Content-Type", "text/plain")], der)
    assert wrong.status == 415 and load_response(wrong.body).response_status is ResponseStatus.MALFORMED_REQUEST
    # Field names in any case, as bytes (the servers' form) or str; a repeated field is one
    # value joined with ", " (RFC 9110 5.3), which is then not application/ocsp-request.
    for form in ([(b"content-type", b"application/ocsp-request")], [(b"Content-TYPE", b"application/ocsp-request")],
                 [("CONTENT-TYPE", "application/ocsp-request"), (b"x-other-12ch", b"text/plain")]):
        assert responder.handle("POST", "/", form, der).status == 200, form
    twice = [(b"content-type", b"application/ocsp-request"), ("Content-Type", "application/ocsp-request")]
    assert responder.handle("POST", "/", twice, der).status == 415
    big = responder.handle("POST", "/", {}, b"\x30" + b"\x00" * responder.max_request_size)
    assert big.status == 413
    assert responder.handle("PUT", "/", {}, der).status == 405
    assert header(responder.handle("DELETE", "/"), "allow") == "GET, HEAD, POST"


def test_health_and_metrics(pki: TestPKI, leaves: Dict[str, CertifiedKey], store: MemoryStore) -> None:
    responder = Responder(delegated(pki, store), clock=lambda: NOW)
    assert responder.handle("GET", "/health").body == b"ok\n"
    der = request_for(pki, leaves["good"])
    for _ in range(3):
        responder.handle("GET", get_path(der))
    responder.handle("POST", "/", {}, b"junk")
    text = responder.handle("GET", "/metrics").body.decode()
    assert 'ocspkit_http_requests_total{method="GET",code="200"} 3' in text
    assert 'ocspkit_responses_total{status="successful"} 3' in text
    assert 'ocspkit_responses_total{status="malformed_request"} 1' in text
    assert 'ocspkit_cert_statuses_total{status="good"} 3' in text
    assert "ocspkit_cache_hits_total 2" in text and "ocspkit_signatures_total 1" in text
    assert 'ocspkit_request_duration_seconds_bucket{le="+Inf"} 4' in text
    assert "ocspkit_request_duration_seconds_count 4" in text
    # The same counts by name, as dictionaries; IntEnums that are equal (SUCCESSFUL == GOOD == 0)
    # are counted apart.
    assert responder.metrics.ocsp_statuses == {"successful": 3, "malformed_request": 1}
    assert responder.metrics.cert_statuses == {"good": 3}

    class Unreadable(MemoryStore):
        @property
        def generation(self) -> object:
            raise StoreError("gone")

    sick = Responder(delegated(pki, Unreadable()), clock=lambda: NOW)
    reply = sick.handle("GET", "/health")
    assert reply.status == 503 and b"gone" in reply.body


def test_logs(pki: TestPKI, leaves: Dict[str, CertifiedKey], responder: Responder, caplog: Any) -> None:
    import logging

    with caplog.at_level(logging.INFO, logger="ocspkit.responder"):
        responder.handle("GET", get_path(request_for(pki, leaves["revoked"])))
    record = next(r for r in caplog.records if getattr(r, "ocsp_event", None) == "request")
    assert record.http_status == 200 and record.ocsp_status == "successful"  # type: ignore[attr-defined]
    assert record.cert_statuses == ["revoked"]  # type: ignore[attr-defined]
    import json

    from ocspkit.responder.logs import JSONFormatter

    entry = json.loads(JSONFormatter().format(record))
    assert entry["ocsp_status"] == "successful" and entry["cert_statuses"] == ["revoked"]


# --- openssl reads what the core writes ---------------------------------------------------------


def openssl_verify(tmp: Path, pki: TestPKI, leaf: CertifiedKey, response: bytes, request: Optional[bytes],
                   at: dt.datetime) -> str:
    files: Dict[str, bytes] = {
        "root.pem": pki.root.cert_pem, "issuer.pem": pki.intermediate.cert_pem, "leaf.pem": leaf.cert_pem,
        "resp.der": response,
    }
    for name, data in files.items():
        (tmp / name).write_bytes(data)
    args: List[str] = ["ocsp", "-respin", "resp.der", "-CAfile", "root.pem", "-issuer", "issuer.pem",
                       "-cert", "leaf.pem", "-attime", str(int(at.timestamp()))]
    if request is not None:
        # -cert builds a request of openssl's own (with a nonce of its own), so the nonce is
        # left to ocspkit's check and openssl judges the signature, chain and status.
        args.append("-no_nonce")
    done = openssl(*args, cwd=tmp)
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def live_pki() -> TestPKI:
    """openssl checks thisUpdate / nextUpdate against the real clock: a PKI of today."""
    return TestPKI("rsa")


@pytest.mark.parametrize("name", ["good", "revoked", "unknown"])
def test_openssl_accepts(tmp_path: Path, live_pki: TestPKI, name: str) -> None:
    leaves = {n: live_pki.issue_leaf(f"{n}.example") for n in ("good", "revoked", "hold", "unknown", "expired")}
    store = make_store(leaves)  # revocation times relative to the fixed NOW: in the past either way
    responder = Responder(delegated(live_pki, store))
    request = request_for(live_pki, leaves[name], nonce=b"0123456789abcdef")
    output = openssl_verify(tmp_path, live_pki, leaves[name], responder.respond(request).der, request, live_pki.now)
    assert "Response verify OK" in output
    assert f"leaf.pem: {name}" in output
    if name == "revoked":
        assert "Reason: keyCompromise" in output


def test_health_says_when_a_store_serves_a_stale_copy(pki: TestPKI, store: MemoryStore) -> None:
    class Stale(MemoryStore):
        last_error = StoreError("Problem with index file: index.txt: wrong number of fields")

    responder = Responder([delegated(pki, store), Issuer(pki.intermediate.certificate, pki.intermediate.private_key,
                                                          Stale(), label="stale CA")], clock=lambda: NOW)
    reply = responder.handle("GET", "/health")
    assert reply.status == 200
    assert reply.body == b"ok\nwarning: stale CA: serving the last good copy: Problem with index file: " \
                         b"index.txt: wrong number of fields\n"


def test_get_reply_cache(pki: TestPKI, leaves: Dict[str, CertifiedKey], store: MemoryStore) -> None:
    clock = [NOW]
    responder = Responder(delegated(pki, store), clock=lambda: clock[0])
    path = get_path(request_for(pki, leaves["good"]))
    first = responder.handle("GET", path)
    again = responder.handle("GET", path)
    assert again is first  # the whole reply, kept for this second
    assert responder.metrics.cache_hits == 1 and responder.metrics.signed == 1
    # Conditional requests and HEAD take the full path.
    assert responder.handle("GET", path, {"If-None-Match": header(first, "etag") or ""}).status == 304
    assert responder.handle("HEAD", path).body == b""
    # A new second: the same pre-signed answer, a new max-age.
    clock[0] = NOW + dt.timedelta(seconds=1)
    later = responder.handle("GET", path)
    assert later is not first and later.body == first.body
    assert header(later, "cache-control", ).startswith("max-age=86399,")  # type: ignore[union-attr]
    # A store change is seen at once, by the reply cache too.
    store.revoke(leaves["good"].serial_number, when=NOW, reason=1)
    revoked = responder.handle("GET", path)
    assert revoked.answer is not None and revoked.answer.cert_statuses == (CertStatus.REVOKED,)
    assert responder.handle("GET", path) is revoked
    responder.clear_cache()
    assert responder.handle("GET", path) is not revoked
    text = responder.handle("GET", "/metrics").body.decode()
    assert 'ocspkit_http_requests_total{method="GET",code="200"} 6' in text


def test_configure_logging(pki: TestPKI, leaves: Dict[str, CertifiedKey], responder: Responder) -> None:
    import io
    import json
    import logging

    from ocspkit.responder.logs import configure_logging

    for fmt in ("json", "text"):
        stream = io.StringIO()
        handler = configure_logging("info", fmt, stream)
        try:
            responder.handle("GET", get_path(request_for(pki, leaves["revoked"])))
            try:
                raise RuntimeError("boom")
            except RuntimeError:
                logging.getLogger("ocspkit.responder").exception("with a traceback")
        finally:
            logging.getLogger("ocspkit").removeHandler(handler)
            logging.getLogger("ocspkit").setLevel(logging.NOTSET)
        lines = stream.getvalue().splitlines()
        if fmt == "json":
            entries = [json.loads(line) for line in lines if line.startswith("{")]
            assert entries[0]["cert_statuses"] == ["revoked"] and entries[0]["http_status"] == 200
            assert "RuntimeError: boom" in entries[1]["exception"]
        else:
            assert " INFO ocspkit.responder: GET /" in lines[0] and lines[0].endswith("-> 200 successful")
    with pytest.raises(ValueError):
        configure_logging("info", "xml")
    with pytest.raises(ValueError):
        configure_logging("loud", "text")
    assert logging.getLogger("ocspkit").handlers == []  # a refusal leaves nothing attached


# --------------------------------------------------------------------------------------------
# The core writes answers with its own encoder (pieces per signer made once); RSASSA-PKCS1-v1_5
# signatures are deterministic, so each answer must equal, byte for byte, what the public
# ResponseBuilder makes from the same facts.


@pytest.fixture(scope="module")
def rsa_pki() -> TestPKI:
    return TestPKI("rsa", now=NOW)


@pytest.mark.parametrize("responder_id", ["name", "key"])
@pytest.mark.parametrize("certificates", [None, (), "chain"])
def test_core_encoding_equals_response_builder(rsa_pki: TestPKI, responder_id: str, certificates: Any) -> None:
    leaves = {name: rsa_pki.issue_leaf(f"{name}.rsa.example") for name in ("good", "revoked", "hold", "never")}
    store = MemoryStore()
    store.add(leaves["good"].serial_number)
    revoked_at, invalid_from = NOW - dt.timedelta(days=2), NOW - dt.timedelta(days=3)
    store.revoke(leaves["revoked"].serial_number, when=revoked_at, reason=RevocationReason.KEY_COMPROMISE,
                 invalidity_date=invalid_from)
    store.revoke(leaves["hold"].serial_number, when=revoked_at, reason=RevocationReason.CERTIFICATE_HOLD,
                 hold_instruction="1.2.840.10040.2.2")
    extra = (rsa_pki.responder.certificate, rsa_pki.root.certificate) if certificates == "chain" else certificates
    issuer = Issuer(rsa_pki.intermediate.certificate, rsa_pki.responder.private_key, store,
                    signer_certificate=rsa_pki.responder.certificate, responder_id=responder_id,
                    certificates=extra, unknown_status="revoked", validity=dt.timedelta(hours=6))
    responder = Responder(issuer, clock=lambda: NOW)
    order = ("good", "revoked", "hold", "never")
    request = ocspkit.load_request(request_for(rsa_pki, *(leaves[n] for n in order), nonce=b"n" * 16,
                                               hash_algorithm="sha256"))
    answer = responder.respond(request)
    assert answer.source == "signed"

    builder = ResponseBuilder()
    next_update = NOW + dt.timedelta(hours=6)
    for name, cert_id in zip(order, request.cert_ids):
        if name == "good":
            builder = builder.add_response(cert_id, "good", this_update=NOW, next_update=next_update)
        elif name == "revoked":
            builder = builder.add_response(cert_id, "revoked", this_update=NOW, next_update=next_update,
                                           revocation_time=revoked_at, revocation_reason=1,
                                           invalidity_date=invalid_from)
        elif name == "hold":
            builder = builder.add_response(cert_id, "revoked", this_update=NOW, next_update=next_update,
                                           revocation_time=revoked_at, revocation_reason=6,
                                           extensions=[("2.5.29.23", oid_der("1.2.840.10040.2.2"), False)])
        else:  # RFC 6960 2.2: a never-issued serial, "revoked" with certificateHold since 1970
            builder = builder.add_response(cert_id, "revoked", this_update=NOW, next_update=next_update,
                                           revocation_time=dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc),
                                           revocation_reason=6)
    builder = builder.with_nonce(request).with_extended_revoke().with_responder_id(responder_id)
    if extra is not None:
        builder = builder.with_certificates(extra)  # Issuer.certificates: exactly the certs field
    expected = builder.sign(rsa_pki.responder.private_key, rsa_pki.responder.certificate, now=NOW)
    assert answer.der == expected.dump()
    # and the answer is one openssl-independent verification accepts
    if extra != ():  # without certificates the signer cannot be found from the response alone
        assert status_of(answer.der, rsa_pki, leaves["good"], request.dump()).status is CertStatus.GOOD
