"""The corpus: the OCSP requests and responses among the shared vectors, and messages made with
``ocspkit.testing`` (RSA and EC PKIs, CA-signed and delegated, by name and by key, with
certificates and chains, nonces, BER envelopes, signed requests ...), each with the verification
settings under which its unmutated form verifies (when one does).

The vectors are read where they live (``$OCSPKIT_VECTORS`` or ``../shared/vectors``), never
copied. The generated part is random (keys, signatures), so it is made once and cached (default
``~/.cache/ocspkit-fuzz/generated-v1.json``, or ``$OCSPKIT_FUZZ_CACHE``): with the cache, one seed
gives the same inputs on every run.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import datetime as _dt
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from . import oracles

ROOT = Path(__file__).resolve().parents[2]

RESPONSE_KINDS = ("ocsp-response", "fuzz-seed-ocsp-response")
REQUEST_KINDS = ("ocsp-request",)
#: Fragments (a SingleResponse, a CertID, a ResponseData): splice material only.
FRAGMENT_KINDS = ("fuzz-seed-ocsp-single-response", "fuzz-seed-ocsp-cert-id", "fuzz-seed-ocsp-response-data")
CACHE_VERSION = 2

_CERT_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----\s*(.*?)\s*-----END CERTIFICATE-----", re.DOTALL)


def vectors_dir() -> Path:
    env = os.environ.get("OCSPKIT_VECTORS")
    return Path(env) if env else ROOT.parent / "shared" / "vectors"


def default_cache() -> Path:
    env = os.environ.get("OCSPKIT_FUZZ_CACHE")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "ocspkit-fuzz" / f"generated-v{CACHE_VERSION}.json"


@dataclasses.dataclass
class Item:
    """One corpus message and how its origin is verified (DER certificates throughout)."""

    name: str
    kind: str  # "response" or "request"
    data: bytes
    trusted: Tuple[bytes, ...] = ()
    untrusted: Tuple[bytes, ...] = ()
    flags: int = 0
    now: Optional[_dt.datetime] = None
    #: check_status(cert, issuer, request=...) applies: (cert, issuer, request or b"").
    status: Optional[Tuple[bytes, bytes, bytes]] = None
    #: How the unmutated message verifies: "full", "nochecks", "noverify" or "fails".
    baseline: str = "fails"
    #: The signer's private key (PKCS#8 DER; generated items only): mutants of the signed part
    #: are signed again with it, so the checks after the signature see hostile content too.
    key: bytes = b""

    def to_json(self) -> Dict[str, Any]:
        return {
            "name": self.name, "kind": self.kind, "data": self.data.hex(),
            "trusted": [c.hex() for c in self.trusted], "untrusted": [c.hex() for c in self.untrusted],
            "flags": self.flags, "now": None if self.now is None else self.now.isoformat(),
            "status": None if self.status is None else [b.hex() for b in self.status], "baseline": self.baseline,
            "key": self.key.hex(),
        }

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> Item:
        return cls(
            d["name"], d["kind"], bytes.fromhex(d["data"]), tuple(bytes.fromhex(c) for c in d["trusted"]),
            tuple(bytes.fromhex(c) for c in d["untrusted"]), int(d["flags"]),
            None if d["now"] is None else _dt.datetime.fromisoformat(d["now"]),
            None if d["status"] is None else (
                bytes.fromhex(d["status"][0]), bytes.fromhex(d["status"][1]), bytes.fromhex(d["status"][2])),
            d.get("baseline", "fails"), bytes.fromhex(d.get("key", "")),
        )


@dataclasses.dataclass
class Corpus:
    items: List[Item]
    #: Splice material: every item's bytes, then the fragments.
    donors: List[bytes]
    #: Every certificate of the unmutated corpus (DER).
    certs: List[bytes]

    def oracle(self) -> oracles.TamperOracle:
        """The tampering oracle for this corpus (proves every signed message first)."""
        from ocspkit import crypto, load_request, load_response

        keys: Dict[bytes, Any] = {}

        def verify(cert: bytes, signature: bytes, tbs: bytes, algorithm: bytes) -> bool:
            if cert not in keys:
                try:
                    keys[cert] = crypto.load_public_key(cert)
                except Exception:
                    keys[cert] = None
            if keys[cert] is None:
                return False
            try:
                crypto.verify_signature(keys[cert], signature, tbs, algorithm)
            except Exception:
                return False
            return True

        def load(kind: str, der: bytes) -> Any:
            return load_response(der) if kind == "response" else load_request(der)

        messages = [(item.name, item.kind, item.data) for item in self.items]
        references = oracles.build_references(messages, self.certs, verify, load)
        cert_keys = [k for k in (oracles.cert_key(c) for c in self.certs) if k is not None]
        return oracles.TamperOracle(references, cert_keys)


# --- the vectors ---------------------------------------------------------------------------------


def _certs_in(data: bytes) -> List[bytes]:
    """DER certificates in a certificate file or PEM bundle (read by the harness)."""
    if b"-----BEGIN" in data:
        out = []
        for match in _CERT_PEM.finditer(data):
            with contextlib.suppress(binascii.Error, ValueError):
                out.append(base64.b64decode(re.sub(rb"\s+", b"", match.group(1)), validate=True))
        return out
    return [data]


def _message_certs(kind: str, data: bytes) -> List[bytes]:
    """The certificates a message carries that ocspkit can read (fuzz seeds carry broken ones)."""
    from ocspkit import crypto

    parts = oracles.response_parts(data) if kind == "response" else oracles.request_parts(data)
    out = []
    for der in parts.certs if parts else ():
        try:
            crypto.load_certificate(der)
        except Exception:
            continue
        out.append(der)
    return out


def _produced_at(data: bytes) -> Optional[_dt.datetime]:
    try:
        from ocspkit import load_response

        produced: _dt.datetime = load_response(data).produced_at
        return produced
    except Exception:
        return None


def _find_baseline(item: Item, pool: Sequence[bytes]) -> None:
    """Settle ``item``'s verification settings: the strictest of a few that verifies the
    unmutated message (all settings use certificates of the item's own source only)."""
    from ocspkit import VerifyFlags, verify_request, verify_response

    verify = verify_response if item.kind == "response" else verify_request
    now = _produced_at(item.data) if item.kind == "response" else None
    pool_t = tuple(pool)
    attempts = (
        ("full", pool_t, pool_t, int(VerifyFlags.PARTIAL_CHAIN)),
        ("nochecks", pool_t, pool_t, int(VerifyFlags.PARTIAL_CHAIN | VerifyFlags.NOCHECKS)),
        ("noverify", (), pool_t, int(VerifyFlags.NOVERIFY)),
    )
    for label, trusted, untrusted, flags in attempts:
        try:
            verify(item.data, trusted=list(trusted), untrusted=list(untrusted), flags=flags, now=now)
        except Exception:
            continue
        item.trusted, item.untrusted, item.flags, item.now, item.baseline = trusted, untrusted, flags, now, label
        return
    item.trusted, item.untrusted, item.flags, item.now, item.baseline = pool_t, pool_t, attempts[0][3], now, "fails"


def _find_status(item: Item, pool: Sequence[bytes]) -> None:
    """check_status applies when a certificate of the source and its issuer are answered for."""
    if item.kind != "response" or item.baseline == "fails":
        return
    from ocspkit import CertID, load_response

    try:
        response = load_response(item.data)
        ids = [s.cert_id for s in response.responses]
    except Exception:
        return
    for cert in pool:
        for issuer in pool:
            for cert_id in ids:
                try:
                    if CertID.from_cert(cert, issuer, cert_id.hash_algorithm) == cert_id:
                        item.status = (cert, issuer, b"")
                        return
                except Exception:
                    continue


def vector_items(directory: Optional[Path] = None) -> Tuple[List[Item], List[bytes], List[bytes]]:
    """(items, fragments, certificates) from the vectors, in MANIFEST order."""
    directory = directory or vectors_dir()
    manifest = json.loads((directory / "MANIFEST.json").read_text(encoding="utf-8"))
    source_certs: Dict[str, List[bytes]] = {}
    for entry in manifest:
        if entry["kind"] in ("certificate", "annotated-pem-bundle"):
            data = (directory / entry["file"]).read_bytes()
            source_certs.setdefault(entry["file"].split("/")[0], []).extend(_certs_in(data))
    items: List[Item] = []
    fragments: List[bytes] = []
    certs: List[bytes] = [c for group in source_certs.values() for c in group]
    for entry in manifest:
        kind = "response" if entry["kind"] in RESPONSE_KINDS else "request" if entry["kind"] in REQUEST_KINDS else None
        data_path = directory / entry["file"]
        if entry["kind"] in FRAGMENT_KINDS:
            fragments.append(data_path.read_bytes())
        if kind is None:
            continue
        data = data_path.read_bytes()
        embedded = _message_certs(kind, data)
        certs.extend(embedded)
        pool = _unique([*source_certs.get(entry["file"].split("/")[0], []), *embedded])
        item = Item(f"vector:{entry['file']}", kind, data)
        _find_baseline(item, pool)
        _find_status(item, pool)
        items.append(item)
    return items, fragments, _unique(certs)


def _unique(values: Iterable[bytes]) -> List[bytes]:
    seen: Dict[bytes, None] = {}
    for value in values:
        seen.setdefault(value, None)
    return list(seen)


# --- generated with ocspkit.testing --------------------------------------------------------------


def generate_items(now: Optional[_dt.datetime] = None) -> List[Item]:
    """Responses and requests made with TestPKI / make_scenario, RSA and EC."""
    from ocspkit import RequestBuilder, VerifyFlags
    from ocspkit.testing import SCENARIOS, TestPKI, make_scenario

    now = (now or _dt.datetime.now(_dt.timezone.utc)).replace(microsecond=0)
    items: List[Item] = []
    for algorithm in ("ec", "rsa"):
        pki = TestPKI(algorithm, now=now - _dt.timedelta(days=2))
        leaf = pki.issue_leaf("leaf.example", private_key=pki.shared_leaf_key)
        root, issuer = bytes(pki.root.cert_der), bytes(pki.intermediate.cert_der)
        variants: List[Tuple[str, Dict[str, Any]]] = [(name, {}) for name in SCENARIOS]
        variants += [
            ("revoked", {"reason": "key_compromise"}), ("good", {"certs": "chain"}),
            ("ca-signed", {"certs": "none", "responder_id": "key"}), ("multiple", {"certid_hash": "sha256"}),
            ("nonce", {"responder_id": "key", "certs": "chain"}), ("good", {"hash_algorithm": "sha512"}),
        ]
        for name, options in variants:
            try:
                scenario = make_scenario(name, pki, now=now, cert=leaf, **options)
            except Exception:
                continue
            label = ",".join(f"{k}={v}" for k, v in options.items())
            request = bytes(scenario.request_der) if scenario.request_der is not None else b""
            items.append(Item(
                f"gen:{algorithm}:{name}" + (f"[{label}]" if label else ""), "response", bytes(scenario.response_der),
                trusted=(root,), untrusted=(issuer,), now=now,
                status=(bytes(leaf.cert_der), issuer, request),
                key=b"" if scenario.signer is None else bytes(scenario.signer.key_der),
            ))
        # Requests: signed by a leaf (its chain included, or not), unsigned with several CertIDs.
        other = pki.issue_leaf("other.example", private_key=pki.shared_leaf_key)
        base = RequestBuilder().add_cert(leaf.certificate, pki.intermediate.certificate)
        requests = [
            ("signed-nonce-chain", base.with_nonce().sign(leaf.private_key, leaf.certificate,
                                                          extra_certs=[pki.intermediate.certificate])),
            ("signed", base.sign(leaf.private_key, leaf.certificate)),
            ("signed-two", base.add_cert(other.certificate, pki.intermediate.certificate).sign(
                leaf.private_key, leaf.certificate, extra_certs=[pki.intermediate.certificate],
                hash_algorithm="sha384")),
            ("unsigned-two-nonce", base.add_cert(other.certificate, pki.intermediate.certificate).with_nonce().build()),
        ]
        if algorithm == "rsa":
            requests.append(("signed-pss", base.sign(leaf.private_key, leaf.certificate, pss=True,
                                                     extra_certs=[pki.intermediate.certificate])))
        for name, request_view in requests:
            items.append(Item(f"gen:{algorithm}:request-{name}", "request", bytes(request_view.dump()),
                              trusted=(root,), untrusted=(issuer,), now=now, flags=int(VerifyFlags.NONE),
                              key=bytes(leaf.key_der) if request_view.is_signed else b""))
        pki.close()
    return items


def load_generated(cache: Optional[Path] = None, *, rebuild: bool = False) -> List[Item]:
    cache = cache or default_cache()
    if not rebuild and cache.is_file():
        try:
            payload = json.loads(cache.read_text(encoding="utf-8"))
            if payload.get("version") == CACHE_VERSION:
                return [Item.from_json(d) for d in payload["items"]]
        except (ValueError, KeyError, TypeError):
            pass
    items = generate_items()
    cache.parent.mkdir(parents=True, exist_ok=True)
    # A temporary file of this process's own, then an atomic rename: runs that build the cache at
    # the same time (CI jobs, several checkouts on one machine) never read or write a torn file.
    fd, tmp = tempfile.mkstemp(prefix=cache.name + ".", suffix=".tmp", dir=cache.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps({"version": CACHE_VERSION, "items": [i.to_json() for i in items]}))
        os.replace(tmp, cache)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return items


def _settle_generated(items: Sequence[Item]) -> None:
    from ocspkit import verify_request, verify_response

    for item in items:
        verify = verify_response if item.kind == "response" else verify_request
        try:
            verify(item.data, trusted=list(item.trusted), untrusted=list(item.untrusted), flags=item.flags,
                   now=item.now)
            item.baseline = "full"
        except Exception:
            item.baseline = "fails"


def build_corpus(cache: Optional[Path] = None, *, rebuild: bool = False, vectors: Optional[Path] = None,
                 generated: bool = True) -> Corpus:
    items, fragments, certs = vector_items(vectors)
    if generated:
        made = load_generated(cache, rebuild=rebuild)
        _settle_generated(made)
        items.extend(made)
        for item in made:
            certs.extend([*item.trusted, *item.untrusted, *_message_certs(item.kind, item.data)])
            if item.status:
                certs.extend(item.status[:2])
    donors = [item.data for item in items] + fragments
    return Corpus(items, donors, _unique(certs))


def describe(corpus: Corpus) -> str:
    counts: Dict[str, int] = {}
    for item in corpus.items:
        key = f"{item.kind}/{item.baseline}"
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))


