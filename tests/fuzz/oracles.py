"""The oracles: foreign exceptions, slow inputs (SIGALRM), and tampered messages that verify.

Tampering rule (see README.md, "The tampering rule"): a successful verification of a mutated
message is *tampered* when

1. the signed bytes and signature ocspkit reports (``tbs_response_data_bytes`` /
   ``tbs_request_bytes``, ``signature_unused_bits``, ``signature``) are not, byte for byte, the
   tbs and signature of a *proven* message: one of the unmutated corpus whose signature was
   checked, before fuzzing, against the key of some corpus certificate;
2. or the harness's own reader (:mod:`fuzz.tlv`, not ocspkit's parser) finds other signed bytes
   or another signature in the message as encoded than the ones ocspkit reports;
3. or what the view presents (responder ID, producedAt, every SingleResponse, extensions, nonce;
   for a request the CertIDs, requestorName, extensions) differs from what the same signed bytes
   present when loaded alone, in a canonical DER envelope;
4. or a certificate of the chain the verdict says it checked is not a corpus certificate: its
   tbsCertificate, signatureAlgorithm and signature value must all be byte-identical to those of
   a certificate of the unmutated corpus (only the outer Certificate header may differ);
5. or (check_status) the SingleResponse the status comes from is not one of the signed ones.

Changes to unsigned parts (the outer envelope re-encoded as BER, responseStatus/responseType
encodings, the ``certs`` field gaining or losing certificates, the order of certificates) are
therefore not tampering, as long as the verdict does not rest on a certificate that was changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import signal
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple, TypeVar

from . import tlv

T = TypeVar("T")

# --- foreign exceptions --------------------------------------------------------------------------


def _ocspkit_root() -> str:
    import ocspkit

    return str(Path(ocspkit.__file__).resolve().parent)


OCSPKIT_DIR = _ocspkit_root()


def is_foreign(exc: BaseException) -> bool:
    """Whether ``exc`` breaks the contract: anything but an OCSPError (subclasses included)."""
    from ocspkit.errors import OCSPError

    return not isinstance(exc, OCSPError)


def innermost_frame(tb: Optional[TracebackType]) -> str:
    """``ocspkit/module.py:LINE (function)`` of the innermost traceback frame inside ocspkit,
    or ``<outside ocspkit>``."""
    found = "<outside ocspkit>"
    while tb is not None:
        code = tb.tb_frame.f_code
        filename = str(Path(code.co_filename).resolve()) if not code.co_filename.startswith("<") else ""
        if filename.startswith(OCSPKIT_DIR):
            rel = "ocspkit" + filename[len(OCSPKIT_DIR):]
            found = f"{rel}:{tb.tb_lineno} ({code.co_name})"
        tb = tb.tb_next
    return found


def format_exception(exc: BaseException, limit: int = 40) -> str:
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    if len(lines) > limit:  # RecursionError: keep the start and the end
        lines = [*lines[: limit // 2], f"  ... {len(lines) - limit} lines left out ...\n", *lines[-limit // 2 :]]
    return "".join(lines)


def short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- time limits ---------------------------------------------------------------------------------


class TargetTimeout(BaseException):
    """Raised by SIGALRM inside a target; a BaseException, so ``except Exception`` cannot eat it."""


def _alarm(signum: int, frame: Any) -> None:
    raise TargetTimeout()


def run_with_timeout(fn: Callable[[], T], seconds: float) -> Tuple[T, float]:
    """``fn()`` and how long it took; :class:`TargetTimeout` after ``seconds`` (Linux, main thread)."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.perf_counter()
    try:
        result = fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return result, time.perf_counter() - start


# --- signed parts, read by the harness -----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SignedParts:
    """The signed part of a message and its signature, exactly as encoded."""

    tbs: bytes
    algorithm: bytes
    unused_bits: int
    signature: bytes
    certs: Tuple[bytes, ...] = ()

    @property
    def key(self) -> bytes:
        return signed_key(self.tbs, self.unused_bits, self.signature)


def signed_key(tbs: bytes, unused_bits: int, signature: bytes) -> bytes:
    return hashlib.sha256(tbs).digest() + hashlib.sha256(bytes([unused_bits & 0xFF]) + signature).digest()


def _signature_parts(buf: bytes, fields: Sequence[tlv.TLV], tbs: bytes) -> Optional[SignedParts]:
    if len(fields) < 2:
        return None
    bits = tlv.bit_string_value(buf, fields[1])
    if bits is None:
        return None
    certs: Tuple[bytes, ...] = ()
    if len(fields) > 2 and fields[2].is_(tlv.CONTEXT, 0) and fields[2].constructed:
        inner = tlv.children(buf, fields[2])
        if inner:
            certs = tuple(c.raw(buf) for c in tlv.children(buf, inner[0]))
    return SignedParts(tbs, fields[0].raw(buf), bits[0], bits[1], certs)


def response_parts(data: bytes) -> Optional[SignedParts]:
    """tbsResponseData, signatureAlgorithm, signature and certs of a response (DER, BER or PEM),
    found by position (tags are not trusted), or None when the message does not have them."""
    found = _inside_second_field(data)
    if found is None:
        return None
    der, _, inside = found  # inside responseBytes: responseType, response
    if len(inside) < 2:
        return None
    value = tlv.string_value(der, inside[1])
    basic = None if value is None else tlv.read_tlv(value)
    if value is None or basic is None or not basic.constructed:
        return None
    parts = tlv.children(value, basic)
    if len(parts) < 3:
        return None
    return _signature_parts(value, parts[1:], parts[0].raw(value))


def request_parts(data: bytes) -> Optional[SignedParts]:
    """tbsRequest and optionalSignature's parts of a signed request, or None."""
    found = _inside_second_field(data)
    if found is None:
        return None
    der, fields, signature = found  # inside optionalSignature: the Signature's fields
    return _signature_parts(der, signature, fields[0].raw(der))


def _inside_second_field(data: bytes) -> Optional[Tuple[bytes, List[tlv.TLV], List[tlv.TLV]]]:
    """(DER, the outer SEQUENCE's fields, the elements of the constructed value its second field
    wraps), by position: a response's responseBytes, a request's optionalSignature. None when the
    message does not have that shape."""
    der = tlv.unpem(data)
    top = None if der is None else tlv.read_tlv(der)
    if der is None or top is None or not top.constructed:
        return None
    fields = tlv.children(der, top)
    if len(fields) < 2 or not fields[1].constructed:
        return None
    wrapped = tlv.children(der, fields[1])
    if not wrapped or not wrapped[0].constructed:
        return None
    return der, fields, tlv.children(der, wrapped[0])


CertKey = Tuple[bytes, bytes, bytes]


def cert_key(der: bytes) -> Optional[CertKey]:
    """(tbsCertificate, signatureAlgorithm, signature BIT STRING value) as encoded, or None."""
    top = tlv.read_tlv(der)
    if top is None or not top.constructed:
        return None
    parts = tlv.children(der, top)
    if len(parts) < 3:
        return None
    bits = tlv.bit_string_value(der, parts[2])
    if bits is None:
        return None
    return parts[0].raw(der), parts[1].raw(der), bytes([bits[0]]) + bits[1]


def canonical_response(parts: SignedParts, certs: bytes = b"") -> bytes:
    """A DER response holding ``parts``' tbs and signature (and ``certs``, the encoded [0] field)."""
    signature = tlv.tlv(0x03, bytes([parts.unused_bits]) + parts.signature)
    basic = tlv.tlv(0x30, parts.tbs + parts.algorithm + signature + certs)
    response_bytes = tlv.tlv(0x30, tlv.tlv(0x06, tlv.encode_oid("1.3.6.1.5.5.7.48.1.1")) + tlv.tlv(0x04, basic))
    return tlv.tlv(0x30, b"\x0a\x01\x00" + tlv.tlv(0xA0, response_bytes))


def canonical_request(parts: SignedParts, certs: bytes = b"") -> bytes:
    signature = tlv.tlv(0x30, parts.algorithm + tlv.tlv(0x03, bytes([parts.unused_bits]) + parts.signature) + certs)
    return tlv.tlv(0x30, parts.tbs + tlv.tlv(0xA0, signature))


# --- what a view presents ------------------------------------------------------------------------


def _extensions_fp(extensions: Iterable[Any]) -> Tuple[Any, ...]:
    return tuple((e.oid, e.critical, e.raw_value) for e in extensions)


def _cert_id_fp(cert_id: Any) -> Tuple[Any, ...]:
    return (cert_id.hash_algorithm, cert_id.issuer_name_hash, cert_id.issuer_key_hash, cert_id.serial_number)


def single_fingerprint(single: Any) -> Tuple[Any, ...]:
    return (
        _cert_id_fp(single.cert_id), int(single.cert_status), single.revocation_time,
        None if single.revocation_reason is None else int(single.revocation_reason),
        single.this_update, single.next_update, _extensions_fp(single.extensions),
    )


def response_fingerprint(response: Any) -> Tuple[Any, ...]:
    basic = response.basic
    return (
        basic.version, basic.responder_id.dump(), basic.produced_at,
        tuple(single_fingerprint(s) for s in basic.responses), _extensions_fp(basic.extensions), basic.nonce,
    )


def request_fingerprint(request: Any) -> Tuple[Any, ...]:
    name = request.requestor_name
    return (
        None if name is None else bytes(name.dump()),
        tuple((_cert_id_fp(r.cert_id), _extensions_fp(r.extensions)) for r in request.requests),
        _extensions_fp(request.extensions), request.nonce,
    )


# --- the tampering oracle ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Reference:
    """A proven signed message: what its signed bytes present, loaded alone."""

    kind: str
    origin: str
    fingerprint: Optional[Tuple[Any, ...]]
    singles: FrozenSet[Tuple[Any, ...]] = frozenset()


class TamperOracle:
    """Holds the proven signed messages and the corpus certificates; judges successful
    verifications of mutated messages."""

    def __init__(self, references: Dict[bytes, Reference], certs: Iterable[CertKey]) -> None:
        self.references = references
        self.certs: Set[CertKey] = set(certs)
        self._by_tbs: Dict[bytes, List[CertKey]] = {}
        for key in self.certs:
            self._by_tbs.setdefault(key[0], []).append(key)
        self.unreadable = 0  # verified messages the harness's reader could not take apart
        #: Signed parts the harness itself signed for the current input (:func:`fuzz.mutators.resign`),
        #: by :attr:`SignedParts.key`, with their kind: as good as proven, for that input only.
        self.harness_signed: Dict[bytes, Tuple[str, SignedParts]] = {}
        self._harness_references: Dict[bytes, Reference] = {}

    def sign_for_input(self, signed: Iterable[Tuple[str, SignedParts]]) -> None:
        """Set the signed parts the harness made for the next input (replacing the last ones)."""
        self.harness_signed = {parts.key: (kind, parts) for kind, parts in signed}
        self._harness_references = {}

    def _reference(self, key: bytes) -> Optional[Reference]:
        found = self.references.get(key)
        if found is not None or key not in self.harness_signed:
            return found
        if key not in self._harness_references:
            from ocspkit import load_request, load_response

            kind, parts = self.harness_signed[key]
            fingerprint: Optional[Tuple[Any, ...]] = None
            singles: FrozenSet[Tuple[Any, ...]] = frozenset()
            try:
                if kind == "response":
                    view = load_response(canonical_response(parts))
                    fingerprint = response_fingerprint(view)
                    singles = frozenset(single_fingerprint(s) for s in view.basic.responses)
                else:
                    fingerprint = request_fingerprint(load_request(canonical_request(parts)))
            except Exception:
                fingerprint = None
            self._harness_references[key] = Reference(kind, "a harness-signed mutant", fingerprint, singles)
        return self._harness_references[key]

    # The library-facing accessors are duck-typed so the unit tests can feed fakes.

    def check_response(self, data: bytes, response: Any, verdict: Any, single: Any = None) -> List[str]:
        basic = response.basic
        reported = (basic.tbs_response_data_bytes, basic.signature_unused_bits, basic.signature)
        own = [response_parts(der) for der in tlv.unpem_all(data)]
        return self._check(data, "response", reported, own, response, verdict, single)

    def check_request(self, data: bytes, request: Any, verdict: Any) -> List[str]:
        reported = (request.tbs_request_bytes, request.signature_unused_bits, request.signature or b"")
        own = [request_parts(der) for der in tlv.unpem_all(data)]
        return self._check(data, "request", reported, own, request, verdict, None)

    def _check(self, data: bytes, kind: str, reported: Tuple[bytes, int, bytes],
               readings: Sequence[Optional[SignedParts]], view: Any, verdict: Any, single: Any) -> List[str]:
        reasons: List[str] = []
        tbs, unused, signature = reported
        reference = self._reference(signed_key(tbs, unused, signature))
        if reference is None or reference.kind != kind:
            reasons.append(
                f"the {kind}'s signed bytes ({len(tbs)} octets, sha256 {hashlib.sha256(tbs).hexdigest()[:16]}) "
                f"and signature are not those of any proven {kind} of the corpus"
            )
        # Rule 2. With several PEM blocks, any block holding what ocspkit verified will do.
        own = [r for r in readings if r is not None]
        if not own:
            self.unreadable += 1
        elif all((r.tbs, r.unused_bits, r.signature) != (tbs, unused, signature) for r in own):
            what = "signed bytes" if all(r.tbs != tbs for r in own) else "signature"
            reasons.append(f"ocspkit verified other {what} than the message holds as encoded (harness reader)")
        if reference is not None and reference.fingerprint is not None:
            try:
                shown = response_fingerprint(view) if kind == "response" else request_fingerprint(view)
            except Exception:  # the views target reports accessors that raise
                shown = None
            if shown is not None and shown != reference.fingerprint:
                reasons.append(f"the view presents other content than the signed bytes of {reference.origin}")
            if single is not None:
                try:
                    single_fp: Optional[Tuple[Any, ...]] = single_fingerprint(single)
                except Exception:
                    single_fp = None
                if single_fp is not None and single_fp not in reference.singles:
                    reasons.append("check_status answered from a SingleResponse that is not among the signed ones")
        for position, cert in enumerate(getattr(verdict, "chain", ()) or ()):
            problem = self.cert_problem(bytes(cert.dump()))
            if problem:
                reasons.append(f"chain[{position}] was changed by the mutation: {problem}")
        return reasons

    def cert_problem(self, der: bytes) -> Optional[str]:
        """None for a corpus certificate (up to its outer header), else what differs."""
        key = cert_key(der)
        if key is None:
            return "the harness cannot take it apart (not a SEQUENCE of three readable fields)"
        if key in self.certs:
            return None
        same_tbs = self._by_tbs.get(key[0])
        if not same_tbs:
            return "its tbsCertificate, as encoded, is not that of any corpus certificate"
        if all(k[1] != key[1] for k in same_tbs):
            return "its signatureAlgorithm differs from the corpus certificate's (and from its tbsCertificate's)"
        return "its signature value differs from the corpus certificate's"


def build_references(messages: Sequence[Tuple[str, str, bytes]], certs: Sequence[bytes],
                     verify: Callable[[bytes, bytes, bytes, bytes], bool],
                     load: Callable[[str, bytes], Any]) -> Dict[bytes, Reference]:
    """Prove the signature of each ``(origin, kind, data)`` message against every certificate in
    ``certs`` (``verify(cert, signature, tbs, algorithm)``) and record what the proven signed
    bytes present when loaded alone (``load(kind, der)``; None when they cannot be loaded)."""
    references: Dict[bytes, Reference] = {}
    for origin, kind, data in messages:
        parts = response_parts(data) if kind == "response" else request_parts(data)
        if parts is None or parts.key in references or parts.unused_bits:
            continue
        candidates = list(parts.certs) + [c for c in certs if c not in parts.certs]
        if not any(verify(cert, parts.signature, parts.tbs, parts.algorithm) for cert in candidates):
            continue
        fingerprint: Optional[Tuple[Any, ...]] = None
        singles: FrozenSet[Tuple[Any, ...]] = frozenset()
        try:
            view = load(kind, canonical_response(parts) if kind == "response" else canonical_request(parts))
            if kind == "response":
                fingerprint = response_fingerprint(view)
                singles = frozenset(single_fingerprint(s) for s in view.basic.responses)
            else:
                fingerprint = request_fingerprint(view)
        except Exception:
            fingerprint = None
        references[parts.key] = Reference(kind, origin, fingerprint, singles)
    return references


def eprint(*args: Any) -> None:
    print(*args, file=sys.stderr, flush=True)
