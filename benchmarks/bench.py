#!/usr/bin/env python
"""Side-by-side benchmark of ocspkit against pyca/cryptography, asn1crypto.ocsp and ocspbuilder.

Run from the repository root::

    python benchmarks/bench.py              # full run (about two minutes)
    python benchmarks/bench.py --quick      # smoke run (well under 20 s)
    python benchmarks/bench.py --json out.json --profile

Every implementation gets the same inputs; the time reported is the best of several repeats
(after a warmup and a calibration run), divided by the number of calls per repeat. Ratios are
ocspkit / peer, so below 1.0 means ocspkit is faster. Targets come from the issue tracker and
are only printed: the script never fails because of speed. A peer that is not installed, cannot
be imported or raises on the input is shown as ``n/a (reason)``.

Nothing here is imported by the test suite. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import enum
import gc
import io
import json
import math
import os
import platform
import pstats
import re
import ssl
import statistics
import sys
import sysconfig
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

REPO_ROOT = Path(__file__).resolve().parent.parent
IMPLS = ("ocspkit", "cryptography", "asn1crypto", "ocspbuilder")
BASELINE = "cryptography"  # every target is a ratio ocspkit / cryptography
MANY_SIZES = (10, 100, 1000)
LINEARITY_TOLERANCE = 1.5  # marginal cost per item 100->1000 may be at most this times that of 10->100

Fn = Callable[[], Any]


# --------------------------------------------------------------------------------------------
# Timing


@dataclass
class Timing:
    best: float  # seconds per call, best repeat
    median: float  # seconds per call, median repeat
    loops: int  # calls per repeat
    samples: List[float]  # seconds per call, every repeat

    def as_json(self) -> Dict[str, Any]:
        return {"best_s": self.best, "median_s": self.median, "loops": self.loops, "samples_s": self.samples}


def _clock(fn: Fn, loops: int) -> float:
    gc.collect()
    start = time.perf_counter()
    for _ in range(loops):
        fn()
    return time.perf_counter() - start


def measure(fn: Fn, min_time: float, repeats: int) -> Timing:
    """Warm up, find a loop count that runs for at least ``min_time``, keep the best of ``repeats``.

    Garbage collection stays enabled (unlike timeit's default): allocation-heavy pure-Python code
    pays for it in real use, so hiding it would flatter the pure-Python implementations.
    """
    fn()  # warmup (imports, caches, first-call costs)
    loops = 1
    while True:
        elapsed = _clock(fn, loops)  # calibration; the last one doubles as a second warmup
        if elapsed >= min_time:
            break
        loops = max(loops * 2, math.ceil(loops * min_time * 1.2 / max(elapsed, 1e-7)))
    samples = [_clock(fn, loops) / loops for _ in range(repeats)]
    return Timing(min(samples), statistics.median(samples), loops, samples)


def fmt_time(seconds: Optional[float]) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(ratio: Optional[float]) -> str:
    return "-" if ratio is None else f"{ratio:.2f}x"


# --------------------------------------------------------------------------------------------
# Cases


@dataclass
class Target:
    max_ratio: float  # ocspkit / cryptography must be <= this
    reference: str = ""  # what the issue tracker says about another peer, e.g. "asn1crypto 13x"
    ref_impl: Optional[str] = None  # the peer the reference is about (its ratio is measured too)


@dataclass
class Case:
    key: str
    title: str
    impls: Dict[str, Union[Fn, str]]  # a callable, or the reason it is n/a
    target: Optional[Target] = None
    summarize: Optional[Callable[[Any], Any]] = None  # raw output -> comparable summary
    notes: List[str] = field(default_factory=list)
    group: str = ""  # "floor" for the informational primitive rows


@dataclass
class Result:
    case: Case
    timings: Dict[str, Union[Timing, str]]
    summaries: Dict[str, Any]
    ratio: Optional[float] = None  # ocspkit / cryptography
    met: Optional[bool] = None
    ref_ratio: Optional[float] = None  # ref_impl / cryptography, measured

    def best(self, impl: str) -> Optional[float]:
        timing = self.timings.get(impl)
        return timing.best if isinstance(timing, Timing) else None


def _norm(value: Any) -> Any:
    """A comparable form of a field value read by any of the libraries."""
    if isinstance(value, enum.Enum):  # before int: ocspkit's statuses are IntEnums
        return value.name.lower()
    if value is None or isinstance(value, (str, bytes, int, float, dt.datetime)):
        return value
    if isinstance(value, (tuple, list)):
        return tuple(_norm(v) for v in value)
    name = getattr(value, "name", None)  # enums (statuses) and pyca hash objects
    if isinstance(name, str):
        return name.lower()
    return repr(value)


def run_case(case: Case, min_time: float, repeats: int, log: Callable[[str], None]) -> Result:
    timings: Dict[str, Union[Timing, str]] = {}
    summaries: Dict[str, Any] = {}
    for impl in IMPLS:
        fn = case.impls.get(impl, "not measured")
        if isinstance(fn, str):
            timings[impl] = fn
            continue
        try:
            raw = fn()
        except Exception as exc:
            timings[impl] = f"error: {type(exc).__name__}: {exc}"[:160]
            log("x")
            continue
        try:
            summaries[impl] = case.summarize(raw) if case.summarize else _norm(raw)
        except Exception as exc:  # the output check failed: report it, still time the call
            summaries[impl] = f"output check failed: {type(exc).__name__}: {exc}"[:160]
        try:
            timings[impl] = measure(fn, min_time, repeats)
        except Exception as exc:
            timings[impl] = f"error: {type(exc).__name__}: {exc}"[:160]
        log(".")
    result = Result(case, timings, summaries)
    own, base = result.best("ocspkit"), result.best(BASELINE)
    if own is not None and base is not None:
        result.ratio = own / base
        if case.target is not None:
            result.met = result.ratio <= case.target.max_ratio
    if case.target is not None and case.target.ref_impl:
        ref = result.best(case.target.ref_impl)
        if ref is not None and base is not None:
            result.ref_ratio = ref / base
    return result


# --------------------------------------------------------------------------------------------
# Libraries


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def load_libraries() -> Tuple[SimpleNamespace, Dict[str, str]]:
    """Import every library; return them and, for those that failed, why."""
    lib = SimpleNamespace(ocspkit=None, pyca=None, asn1=None, oscrypto=None, ocspbuilder=None)
    missing: Dict[str, str] = {}

    try:
        import ocspkit
        import ocspkit.crypto
        import ocspkit.testing
    except Exception:  # running from a checkout without `pip install -e .`
        sys.path.insert(0, str(REPO_ROOT))
        import ocspkit
        import ocspkit.crypto
        import ocspkit.testing
    lib.ocspkit = ocspkit
    try:
        # ocspkit's compatibility step must run before anything else imports oscrypto.
        from ocspkit import _oscrypto_compat

        asymmetric, _keys = _oscrypto_compat.load_oscrypto()
        lib.oscrypto = asymmetric
    except Exception as exc:
        missing["oscrypto"] = f"oscrypto does not load: {exc}"

    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
        from cryptography.x509 import ocsp as pyca_ocsp

        lib.pyca = SimpleNamespace(
            x509=x509, ocsp=pyca_ocsp, hashes=hashes, serialization=serialization, ec=ec, padding=padding, rsa=rsa
        )
    except Exception as exc:
        missing["cryptography"] = f"not importable: {type(exc).__name__}: {exc}"

    try:
        from asn1crypto import ocsp as asn1_ocsp
        from asn1crypto import x509 as asn1_x509

        lib.asn1 = SimpleNamespace(ocsp=asn1_ocsp, x509=asn1_x509)
    except Exception as exc:
        missing["asn1crypto"] = f"not importable: {type(exc).__name__}: {exc}"

    if "oscrypto" in missing:
        missing["ocspbuilder"] = missing["oscrypto"]
    else:
        try:
            import ocspbuilder

            lib.ocspbuilder = ocspbuilder
        except ModuleNotFoundError as exc:
            missing["ocspbuilder"] = f"not installed ({exc.name}); pip install ocspbuilder"
        except Exception as exc:
            missing["ocspbuilder"] = f"import failed: {type(exc).__name__}: {exc}"
    return lib, missing


def environment(lib: SimpleNamespace) -> Dict[str, Any]:
    env: Dict[str, Any] = {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "python_ssl_openssl": ssl.OPENSSL_VERSION,
        "packages": {
            name: _version(name) for name in ("ocspkit", "cryptography", "asn1crypto", "oscrypto", "ocspbuilder")
        },
    }
    try:
        from cryptography.hazmat.backends.openssl import backend

        env["cryptography_openssl"] = backend.openssl_version_text()
    except Exception as exc:
        env["cryptography_openssl"] = f"unknown ({type(exc).__name__})"
    info = lib.ocspkit.crypto.backend_info()
    env["oscrypto_libcrypto"] = info.get("libcrypto_version") or info.get("error", "unknown")
    env["oscrypto_compat_patch_applied"] = info.get("compat_patch_applied")
    return env


# --------------------------------------------------------------------------------------------
# Inputs


def vectors_dir() -> Path:
    env = os.environ.get("OCSPKIT_VECTORS")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "vectors"


def read_vector(relative: str) -> Union[bytes, str]:
    """The vector's bytes, or a reason string when it cannot be read (files are only read)."""
    path = vectors_dir() / relative
    try:
        return path.read_bytes()
    except OSError as exc:
        return f"vector {path} not readable: {exc.strerror or exc}"


@dataclass
class Pki:
    """One test PKI in every library's own types, all created outside the timed regions."""

    label: str
    der: Dict[str, bytes]  # leaf, issuer, responder (certificates), key (PKCS#8)
    kit: Dict[str, Any]  # asn1crypto certificates loaded by ocspkit + ocspkit PrivateKey
    pyca: Optional[Dict[str, Any]] = None
    builder: Optional[Dict[str, Any]] = None  # separate asn1crypto objects + oscrypto key for ocspbuilder
    pyca_error: str = ""
    builder_error: str = ""


def make_pki(lib: SimpleNamespace, key_algorithm: str) -> Pki:
    ocspkit = lib.ocspkit
    test_pki = ocspkit.testing.TestPKI(key_algorithm)
    leaf = test_pki.issue_leaf()
    der = {
        "leaf": leaf.cert_der,
        "issuer": test_pki.intermediate.cert_der,
        "responder": test_pki.responder.cert_der,
        "key": test_pki.responder.key_der,
        "root": test_pki.root.cert_der,
    }
    load_cert = ocspkit.crypto.load_certificate
    kit = {name: load_cert(der[name]) for name in ("leaf", "issuer", "responder")}
    kit["key"] = ocspkit.crypto.load_private_key(der["key"])  # loaded once, as repeat signers do
    label = "RSA-2048" if key_algorithm == "rsa" else "P-256"
    pki = Pki(label, der, kit)
    if lib.pyca is not None:
        try:
            load = lib.pyca.x509.load_der_x509_certificate
            pki.pyca = {name: load(der[name]) for name in ("leaf", "issuer", "responder")}
            pki.pyca["key"] = lib.pyca.serialization.load_der_private_key(der["key"], None)
        except Exception as exc:
            pki.pyca_error = f"cannot load the test PKI: {type(exc).__name__}: {exc}"
    if lib.ocspbuilder is not None:
        try:
            load = lib.asn1.x509.Certificate.load
            pki.builder = {name: load(der[name]) for name in ("leaf", "issuer", "responder")}
            pki.builder["key"] = lib.oscrypto.load_private_key(der["key"])
        except Exception as exc:
            pki.builder_error = f"cannot load the test PKI: {type(exc).__name__}: {exc}"
    return pki


def build_many(lib: SimpleNamespace, pki: Pki, count: int, this_update: dt.datetime) -> bytes:
    """A response with ``count`` SingleResponses (distinct serials), built and signed by ocspkit."""
    ocspkit = lib.ocspkit
    next_update = this_update + dt.timedelta(days=7)
    builder = ocspkit.ResponseBuilder()
    for serial in range(1, count + 1):
        cert_id = ocspkit.CertID.from_issuer(pki.kit["issuer"], 0x10000 + serial)
        builder = builder.add_response(cert_id, "good", this_update=this_update, next_update=next_update)
    return bytes(builder.sign(pki.kit["key"], pki.kit["responder"]).dump())


# --------------------------------------------------------------------------------------------
# The measurements


def _na(lib: SimpleNamespace, missing: Dict[str, str]) -> Dict[str, str]:
    """n/a reasons of the peers that are not available at all."""
    reasons = {}
    if lib.pyca is None:
        reasons["cryptography"] = missing.get("cryptography", "not installed; pip install cryptography")
    if lib.asn1 is None:
        reasons["asn1crypto"] = missing.get("asn1crypto", "not installed")
    if lib.ocspbuilder is None:
        reasons["ocspbuilder"] = missing.get("ocspbuilder", "not installed; pip install ocspbuilder")
    return {k: f"n/a ({v})" for k, v in reasons.items()}


def parse_response_cases(lib: SimpleNamespace, na: Dict[str, str]) -> List[Case]:
    cases = []
    for key, vector in (("1a", "cryptography/resp-sha256.der"), ("1b", "asn1crypto/ocsp_response.der")):
        der = read_vector(vector)
        title = f"Parse response, read status/serial/thisUpdate/nextUpdate [{vector}]"
        target = Target(5.0, "asn1crypto 13x", "asn1crypto")
        if isinstance(der, str):
            cases.append(Case(key, title, dict.fromkeys(IMPLS, f"n/a ({der})"), target))
            continue
        cases.append(Case(key, f"{title} ({len(der)} B)", _parse_response_impls(lib, na, der), target))
    # 1c: the same as 1b with ocspkit's memory of validated certificates wiped before every parse,
    # so the embedded certificate is walked each time (the first response from a new responder).
    der = read_vector("asn1crypto/ocsp_response.der")
    if not isinstance(der, str):
        impls = _parse_response_impls(lib, na, der)
        warm = impls["ocspkit"]
        clear = lib.ocspkit._readers.clear_cache

        def cold() -> Any:
            clear()
            return warm()  # type: ignore[operator]

        impls["ocspkit"] = cold
        notes = [
            "ocspkit walks an embedded certificate once and remembers it by its bytes; here that "
            "memory is cleared before every parse (no target: the first response of a responder)."
        ]
        title = "Parse response, cold: certificate walked every time [asn1crypto/ocsp_response.der]"
        cases.append(Case("1c", f"{title} ({len(der)} B)", impls, None, None, notes))
    return cases


def _parse_response_impls(lib: SimpleNamespace, na: Dict[str, str], der: bytes) -> Dict[str, Union[Fn, str]]:
    load_response = lib.ocspkit.load_response

    def kit() -> Any:
        single = load_response(der).responses[0]
        return single.cert_status, single.cert_id.serial_number, single.this_update, single.next_update

    impls: Dict[str, Union[Fn, str]] = {"ocspkit": kit, **na}
    if lib.pyca is not None:
        load = lib.pyca.ocsp.load_der_ocsp_response

        def pyca() -> Any:
            resp = load(der)
            return resp.certificate_status, resp.serial_number, resp.this_update_utc, resp.next_update_utc

        impls["cryptography"] = pyca
    if lib.asn1 is not None:
        load_asn1 = lib.asn1.ocsp.OCSPResponse.load

        def asn1() -> Any:
            basic = load_asn1(der)["response_bytes"]["response"].parsed
            single = basic["tbs_response_data"]["responses"][0]
            return (
                single["cert_status"].name,
                single["cert_id"]["serial_number"].native,
                single["this_update"].native,
                single["next_update"].native,
            )

        impls["asn1crypto"] = asn1
    impls["ocspbuilder"] = "n/a (ocspbuilder only builds messages; it has no parser)"
    return impls


def parse_request_case(lib: SimpleNamespace, na: Dict[str, str]) -> Case:
    vector = "cryptography/req-sha1.der"
    der = read_vector(vector)
    title = f"Parse request, read its CertID [{vector}]"
    target = Target(10.0, "asn1crypto 23x", "asn1crypto")
    if isinstance(der, str):
        return Case("2", title, dict.fromkeys(IMPLS, f"n/a ({der})"), target)
    load_request = lib.ocspkit.load_request

    def kit() -> Any:
        cid = load_request(der).cert_ids[0]
        return cid.hash_algorithm, cid.issuer_name_hash, cid.issuer_key_hash, cid.serial_number

    impls: Dict[str, Union[Fn, str]] = {"ocspkit": kit, **na}
    if lib.pyca is not None:
        load = lib.pyca.ocsp.load_der_ocsp_request

        def pyca() -> Any:
            req = load(der)
            return req.hash_algorithm, req.issuer_name_hash, req.issuer_key_hash, req.serial_number

        impls["cryptography"] = pyca
    if lib.asn1 is not None:
        load_asn1 = lib.asn1.ocsp.OCSPRequest.load

        def asn1() -> Any:
            cid = load_asn1(der)["tbs_request"]["request_list"][0]["req_cert"]
            return (
                cid["hash_algorithm"]["algorithm"].native,
                cid["issuer_name_hash"].native,
                cid["issuer_key_hash"].native,
                cid["serial_number"].native,
            )

        impls["asn1crypto"] = asn1
    impls["ocspbuilder"] = "n/a (ocspbuilder only builds messages; it has no parser)"
    return Case("2", f"{title} ({len(der)} B)", impls, target)


def _response_summary(lib: SimpleNamespace) -> Callable[[Any], Any]:
    """Summary of a built response: status, serial, cert count and (with pyca) signature validity."""

    def summarize(der: bytes) -> Any:
        basic = lib.asn1.ocsp.OCSPResponse.load(der)["response_bytes"]["response"].parsed
        single = basic["tbs_response_data"]["responses"][0]
        certs = basic["certs"]
        summary: Tuple[Any, ...] = (
            single["cert_status"].name,
            single["cert_id"]["serial_number"].native,
            0 if certs.__class__.__name__ == "Void" else len(certs),
        )
        if lib.pyca is not None:
            summary += (_pyca_verify(lib, der),)
        return summary

    return summarize


def _pyca_verify(lib: SimpleNamespace, der: bytes) -> str:
    p = lib.pyca
    try:
        resp = p.ocsp.load_der_ocsp_response(der)
    except Exception as exc:
        message = str(exc)
        where = re.findall(r'"([^"]+)"', message)  # pyca lists the path of the refused field
        detail = f"refuses {where[-1]}" if where else f"{type(exc).__name__}: {message[:90]}"
        return f"cryptography cannot parse it: {detail}"
    public_key = resp.certificates[0].public_key()
    try:
        if isinstance(public_key, p.rsa.RSAPublicKey):
            public_key.verify(
                resp.signature, resp.tbs_response_bytes, p.padding.PKCS1v15(), resp.signature_hash_algorithm
            )
        else:
            public_key.verify(resp.signature, resp.tbs_response_bytes, p.ec.ECDSA(resp.signature_hash_algorithm))
    except Exception:
        return "BAD SIGNATURE (cryptography)"
    return "signature ok (cryptography)"


def sign_response_case(
    lib: SimpleNamespace, na: Dict[str, str], pki: Union[Pki, str], key_algorithm: str, times: Tuple[Any, Any]
) -> Case:
    key = "3a" if key_algorithm == "rsa" else "3b"
    label = "RSA-2048" if key_algorithm == "rsa" else "P-256"
    title = f"Build + sign a response, 1 SingleResponse, {label}, CertID creation included"
    target = (
        Target(1.0, "ocspbuilder 4.6x", "ocspbuilder")
        if key_algorithm == "rsa"
        else Target(1.5, "ocspbuilder 13.5x", "ocspbuilder")
    )
    if isinstance(pki, str):
        return Case(key, title, dict.fromkeys(IMPLS, f"n/a ({pki})"), target)
    this_update, next_update = times
    ocspkit = lib.ocspkit
    kit_pki = pki.kit

    def kit() -> Any:
        cert_id = ocspkit.CertID.from_cert(kit_pki["leaf"], kit_pki["issuer"])
        builder = ocspkit.ResponseBuilder().add_response(
            cert_id, "good", this_update=this_update, next_update=next_update
        )
        return builder.sign(kit_pki["key"], kit_pki["responder"]).dump()

    impls: Dict[str, Union[Fn, str]] = {"ocspkit": kit, **na}
    if lib.pyca is not None:
        impls["cryptography"] = _pyca_sign(lib, pki, this_update, next_update)
    impls["asn1crypto"] = "n/a (asn1crypto has structures only; ocspbuilder is its builder)"
    if lib.ocspbuilder is not None:
        impls["ocspbuilder"] = _ocspbuilder_sign(lib, pki, this_update, next_update)
    notes = [
        "Every implementation computes the CertID from the leaf + issuer inside the timed region, "
        "signs with SHA-256, embeds the responder certificate and serializes to DER.",
        "ocspbuilder: delegated responders need .certificate_issuer, which also adds a certificateIssuer "
        "single extension; asn1crypto caches the name/key hashes on reused certificate objects.",
    ]
    summarize = _response_summary(lib) if lib.asn1 is not None else None
    return Case(key, title, impls, target, summarize, notes)


def _pyca_sign(lib: SimpleNamespace, pki: Pki, this_update: Any, next_update: Any) -> Union[Fn, str]:
    if pki.pyca is None:
        return f"n/a ({pki.pyca_error})"
    p, c = lib.pyca, pki.pyca
    der_encoding = p.serialization.Encoding.DER
    good, by_name = p.ocsp.OCSPCertStatus.GOOD, p.ocsp.OCSPResponderEncoding.NAME

    def pyca() -> Any:
        builder = (
            p.ocsp.OCSPResponseBuilder()
            .add_response(
                cert=c["leaf"],
                issuer=c["issuer"],
                algorithm=p.hashes.SHA1(),
                cert_status=good,
                this_update=this_update,
                next_update=next_update,
                revocation_time=None,
                revocation_reason=None,
            )
            .responder_id(by_name, c["responder"])
            .certificates([c["responder"]])
        )
        return builder.sign(c["key"], p.hashes.SHA256()).public_bytes(der_encoding)

    return pyca


def _ocspbuilder_sign(lib: SimpleNamespace, pki: Pki, this_update: Any, next_update: Any) -> Union[Fn, str]:
    if pki.builder is None:
        return f"n/a ({pki.builder_error})"
    response_builder, b = lib.ocspbuilder.OCSPResponseBuilder, pki.builder

    def ocspbuilder() -> Any:
        builder = response_builder("successful", b["leaf"], "good")
        builder.certificate_issuer = b["issuer"]  # the responder is delegated, not the issuer
        builder.this_update = this_update
        builder.next_update = next_update
        return builder.build(b["key"], b["responder"]).dump()

    return ocspbuilder


def build_request_case(lib: SimpleNamespace, na: Dict[str, str], pki: Union[Pki, str]) -> Case:
    title = "Build a request with a nonce (CertID SHA-1 from leaf + issuer), to DER"
    target = Target(5.0, "ocspbuilder 67x", "ocspbuilder")
    if isinstance(pki, str):
        return Case("4", title, dict.fromkeys(IMPLS, f"n/a ({pki})"), target)
    ocspkit, k = lib.ocspkit, pki.kit

    def kit() -> Any:
        return ocspkit.RequestBuilder().add_cert(k["leaf"], k["issuer"]).with_nonce().build().dump()

    impls: Dict[str, Union[Fn, str]] = {"ocspkit": kit, **na}
    if lib.pyca is not None:
        if pki.pyca is None:
            impls["cryptography"] = f"n/a ({pki.pyca_error})"
        else:
            p, c = lib.pyca, pki.pyca
            der_encoding = p.serialization.Encoding.DER

            def pyca() -> Any:
                builder = (
                    p.ocsp.OCSPRequestBuilder()
                    .add_certificate(c["leaf"], c["issuer"], p.hashes.SHA1())
                    .add_extension(p.x509.OCSPNonce(os.urandom(32)), critical=False)
                )
                return builder.build().public_bytes(der_encoding)

            impls["cryptography"] = pyca
    impls["asn1crypto"] = "n/a (asn1crypto has structures only; ocspbuilder is its builder)"
    if lib.ocspbuilder is not None:
        if pki.builder is None:
            impls["ocspbuilder"] = f"n/a ({pki.builder_error})"
        else:
            request_builder, b = lib.ocspbuilder.OCSPRequestBuilder, pki.builder

            def ocspbuilder() -> Any:
                return request_builder(b["leaf"], b["issuer"]).build().dump()

            impls["ocspbuilder"] = ocspbuilder

    def summarize(der: bytes) -> Any:
        req = ocspkit.load_request(der)
        return req.cert_ids[0].serial_number, req.cert_ids[0].hash_algorithm, req.nonce is not None

    notes = ["Nonces: ocspkit and cryptography 32 random bytes, ocspbuilder its fixed default of 16."]
    return Case("4", title, impls, target, summarize, notes)


def many_cases(lib: SimpleNamespace, na: Dict[str, str], many: Dict[int, Union[bytes, str]]) -> List[Case]:
    cases = []
    for count in MANY_SIZES:
        der = many[count]
        key = "5" if count == MANY_SIZES[-1] else f"5/N={count}"
        title = f"Parse a response with N={count} SingleResponses, read every status"
        target = Target(5.0, "asn1crypto 17x", "asn1crypto") if key == "5" else None
        if isinstance(der, str):
            cases.append(Case(key, title, dict.fromkeys(IMPLS, f"n/a ({der})"), target))
            continue
        cases.append(Case(key, f"{title} ({len(der)} B)", _many_impls(lib, na, der), target))
    return cases


def _many_impls(lib: SimpleNamespace, na: Dict[str, str], der: bytes) -> Dict[str, Union[Fn, str]]:
    load_response = lib.ocspkit.load_response

    def kit() -> Any:
        return [single.cert_status for single in load_response(der).responses]

    impls: Dict[str, Union[Fn, str]] = {"ocspkit": kit, **na}
    if lib.pyca is not None:
        load = lib.pyca.ocsp.load_der_ocsp_response

        def pyca() -> Any:
            return [single.certificate_status for single in load(der).responses]

        impls["cryptography"] = pyca
    if lib.asn1 is not None:
        load_asn1 = lib.asn1.ocsp.OCSPResponse.load

        def asn1() -> Any:
            basic = load_asn1(der)["response_bytes"]["response"].parsed
            return [single["cert_status"].name for single in basic["tbs_response_data"]["responses"]]

        impls["asn1crypto"] = asn1
    impls["ocspbuilder"] = "n/a (ocspbuilder only builds messages; it has no parser)"
    return impls


def verify_case(lib: SimpleNamespace, na: Dict[str, str], der: Union[bytes, str], pki: Union[Pki, str]) -> Case:
    title = (
        "Parse + verify an RSA-2048 response with its embedded responder cert "
        "[ocspkit: load_response + verify_response, the full OCSP_basic_verify]"
    )
    target = Target(2.0, "asn1crypto + oscrypto 6.8x", "asn1crypto")
    if isinstance(der, str) or isinstance(pki, str):
        reason = der if isinstance(der, str) else pki
        return Case("6", title, dict.fromkeys(IMPLS, f"n/a ({reason})"), target)
    ocspkit = lib.ocspkit
    if not hasattr(ocspkit, "verify_response"):
        return Case("6", title, dict.fromkeys(IMPLS, "n/a (this ocspkit has no verify_response)"), target)
    trusted, untrusted = [pki.der["root"]], [pki.der["issuer"]]
    load_response, verify_response = ocspkit.load_response, ocspkit.verify_response

    def kit() -> Any:
        verdict = verify_response(load_response(der), trusted=trusted, untrusted=untrusted)
        return f"verified ({verdict.authorization.value})"

    impls: Dict[str, Union[Fn, str]] = {"ocspkit": kit, **na}
    if lib.pyca is not None:
        p = lib.pyca
        load = p.ocsp.load_der_ocsp_response
        pkcs1v15 = p.padding.PKCS1v15()

        def pyca() -> Any:
            resp = load(der)
            resp.certificates[0].public_key().verify(
                resp.signature, resp.tbs_response_bytes, pkcs1v15, resp.signature_hash_algorithm
            )
            return "verified (delegated)"

        impls["cryptography"] = pyca
    if lib.asn1 is not None and lib.oscrypto is not None:
        load_asn1, asymmetric = lib.asn1.ocsp.OCSPResponse.load, lib.oscrypto

        def asn1() -> Any:
            basic = load_asn1(der)["response_bytes"]["response"].parsed
            public_key = asymmetric.load_public_key(basic["certs"][0].public_key)
            asymmetric.rsa_pkcs1v15_verify(
                public_key,
                basic["signature"].native,
                basic["tbs_response_data"].dump(),
                basic["signature_algorithm"].hash_algo,
            )
            return "verified (delegated)"

        impls["asn1crypto"] = asn1
    impls["ocspbuilder"] = "n/a (ocspbuilder has no parser or verifier)"
    notes = [
        "asn1crypto column: asn1crypto.ocsp parse + oscrypto rsa_pkcs1v15_verify (the ocspbuilder stack).",
        "ocspkit does more than its peers here: it finds the signer by responder ID, checks the "
        "signer's chain (responder <- intermediate <- root, validity, CA constraints) and its "
        "RFC 6960 4.2.2.2 authorization; cryptography and oscrypto check only the signature.",
        "ocspkit remembers certificates it has read and certificate signatures it has verified, by "
        "their DER, so after warmup the chain costs no signature checks; the response signature "
        "is checked on every call.",
    ]
    return Case("6", title, impls, target, None, notes)


def floor_cases(lib: SimpleNamespace, na: Dict[str, str], pkis: Dict[str, Union[Pki, str]]) -> List[Case]:
    """Informational: the raw signature primitives each stack sits on (no target)."""
    data = os.urandom(1024)
    cases = []
    for key, kind, label in (("F1", "rsa", "RSA-2048 PKCS#1 v1.5"), ("F2", "ec", "P-256 ECDSA")):
        pki = pkis[kind]
        title = f"Floor: sign 1 KiB, {label} SHA-256 [ocspkit.crypto.sign over oscrypto vs pyca]"
        if isinstance(pki, str):
            cases.append(Case(key, title, dict.fromkeys(IMPLS, f"n/a ({pki})"), group="floor"))
            continue
        impls: Dict[str, Union[Fn, str]] = dict.fromkeys(IMPLS, "n/a (same engine as ocspkit)")
        impls.update(na)
        sign, private_key = lib.ocspkit.crypto.sign, pki.kit["key"]
        impls["ocspkit"] = lambda sign=sign, private_key=private_key: sign(private_key, data)
        if lib.pyca is not None and pki.pyca is not None:
            p, pyca_key = lib.pyca, pki.pyca["key"]
            if kind == "rsa":
                impls["cryptography"] = lambda p=p, k=pyca_key: k.sign(data, p.padding.PKCS1v15(), p.hashes.SHA256())
            else:
                impls["cryptography"] = lambda p=p, k=pyca_key: k.sign(data, p.ec.ECDSA(p.hashes.SHA256()))
        cases.append(Case(key, title, impls, summarize=lambda _: "signature", group="floor"))
    return cases


# --------------------------------------------------------------------------------------------
# Reporting


class Printer:
    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stdout

    def __call__(self, text: str = "") -> None:
        print(text, file=self.stream, flush=True)


def print_environment(out: Printer, env: Dict[str, Any], missing: Dict[str, str], mode: str) -> None:
    out("== Environment ==")
    out(f"  Python              {env['python']} on {env['platform']} ({env['machine']}, {env['cpu_count']} CPUs)")
    out(f"  Python ssl OpenSSL  {env['python_ssl_openssl']}")
    out(f"  oscrypto libcrypto  {env['oscrypto_libcrypto']} (compat patch applied: "
        f"{env['oscrypto_compat_patch_applied']})")
    out(f"  cryptography uses   {env['cryptography_openssl']}")
    out("  packages            " + ", ".join(f"{k} {v}" for k, v in env["packages"].items()))
    for name, reason in missing.items():
        out(f"  unavailable         {name}: {reason}")
    out(f"  mode                {mode}")
    out()


def print_result(out: Printer, result: Result) -> None:
    case = result.case
    out(f"[{case.key}] {case.title}")
    out(f"    {'impl':<14}{'best/call':>12}{'median':>12}{'calls x reps':>16}   ocspkit / impl")
    own = result.best("ocspkit")
    for impl in IMPLS:
        timing = result.timings[impl]
        if isinstance(timing, str):
            shown = timing if timing.startswith("n/a") else f"n/a ({timing})"
            out(f"    {impl:<14}{shown}")
            continue
        ratio = "" if own is None else fmt_ratio(own / timing.best)
        reps = f"{timing.loops} x {len(timing.samples)}"
        out(f"    {impl:<14}{fmt_time(timing.best):>12}{fmt_time(timing.median):>12}{reps:>16}   {ratio}")
    if case.target is not None:
        verdict = {True: "MET", False: "NOT MET", None: "n/a"}[result.met]
        line = f"    target: ocspkit <= {case.target.max_ratio:g}x {BASELINE} -> {fmt_ratio(result.ratio)}  {verdict}"
        if case.target.reference:
            line += f"   (tracker: {case.target.reference}; measured now: {case.target.ref_impl} "
            line += f"{fmt_ratio(result.ref_ratio)})"
        out(line)
    reference = result.summaries.get("ocspkit")
    differing = [impl for impl, summary in result.summaries.items() if summary != reference]
    if differing:
        out(f"    output check: ocspkit -> {_short(reference)}")
        for impl in differing:
            out(f"    output check: {impl} DIFFERS -> {_short(result.summaries[impl])}")
    for note in case.notes:
        out(f"    note: {note}")
    out()


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def linearity(results: Dict[str, Result]) -> Dict[str, Any]:
    """Per-item times over N and the verdict for ocspkit (and the peers, for comparison)."""
    keys = {count: ("5" if count == MANY_SIZES[-1] else f"5/N={count}") for count in MANY_SIZES}
    table: Dict[str, Any] = {}
    for impl in ("ocspkit", "cryptography", "asn1crypto"):
        times = {n: results[k].best(impl) if k in results else None for n, k in keys.items()}
        if any(t is None for t in times.values()):
            table[impl] = None
            continue
        small, mid, large = (times[n] for n in MANY_SIZES)
        assert small is not None and mid is not None and large is not None
        (n0, n1, n2) = MANY_SIZES
        low = (mid - small) / (n1 - n0)
        high = (large - mid) / (n2 - n1)
        growth = high / low if low > 0 else float("inf")
        table[impl] = {
            "total_s": {str(n): times[n] for n in MANY_SIZES},
            "per_item_s": {str(n): times[n] / n for n in MANY_SIZES},  # type: ignore[operator]
            "marginal_per_item_s": {f"{n0}-{n1}": low, f"{n1}-{n2}": high},
            "marginal_growth": growth,
            "linear": growth <= LINEARITY_TOLERANCE,
        }
    return table


def print_linearity(out: Printer, table: Dict[str, Any]) -> None:
    n0, n1, n2 = MANY_SIZES
    out("== Linearity in N (measurement 5): per-item time = total / N; marginal = extra time per extra item ==")
    header = "".join(f"{'N=' + str(n):>12}" for n in MANY_SIZES)
    out(f"    {'impl':<14}{header}{'marg ' + str(n0) + '-' + str(n1):>16}{'marg ' + str(n1) + '-' + str(n2):>16}"
        f"{'growth':>9}  verdict")
    for impl, row in table.items():
        if row is None:
            out(f"    {impl:<14}n/a")
            continue
        cells = "".join(f"{fmt_time(row['per_item_s'][str(n)]):>12}" for n in MANY_SIZES)
        marg = row["marginal_per_item_s"]
        verdict = "linear" if row["linear"] else f"NOT linear (marginal cost grows > {LINEARITY_TOLERANCE:g}x)"
        out(f"    {impl:<14}{cells}{fmt_time(marg[f'{n0}-{n1}']):>16}{fmt_time(marg[f'{n1}-{n2}']):>16}"
            f"{row['marginal_growth']:>8.2f}x  {verdict}")
    out()


def print_summary(out: Printer, results: List[Result], lin: Dict[str, Any]) -> None:
    out("== Targets (ratio = ocspkit time / cryptography time; lower is better) ==")
    out(f"    {'id':<5}{'measurement':<44}{'ocspkit':>11}{'pyca':>11}{'ratio':>9}{'target':>9}  "
        f"{'status':<9}tracker ref -> measured now")
    short = {
        "1a": "parse response (resp-sha256.der)",
        "1b": "parse response (asn1crypto ocsp_response)",
        "2": "parse request, read CertID",
        "3a": "build + sign response, RSA-2048",
        "3b": "build + sign response, P-256",
        "4": "build request with nonce",
        "5": f"parse {MANY_SIZES[-1]} SingleResponses, read statuses",
        "6": "parse + verify RSA (load + verify_response)",
    }
    for result in results:
        case = result.case
        if case.target is None:
            continue
        verdict = {True: "MET", False: "NOT MET", None: "n/a"}[result.met]
        ref = ""
        if case.target.reference:
            ref = f"{case.target.reference} -> {fmt_ratio(result.ref_ratio)}"
        limit = f"<= {case.target.max_ratio:g}x"
        out(f"    {case.key:<5}{short.get(case.key, case.title)[:43]:<44}{fmt_time(result.best('ocspkit')):>11}"
            f"{fmt_time(result.best(BASELINE)):>11}{fmt_ratio(result.ratio):>9}{limit:>9}  {verdict:<9}{ref}")
    row = lin.get("ocspkit")
    if row is not None:
        verdict = "MET" if row["linear"] else "NOT MET"
        out(f"    {'5':<5}{'linear in N (ocspkit marginal cost growth)':<44}{'':>11}{'':>11}"
            f"{row['marginal_growth']:>8.2f}x{'<= ' + format(LINEARITY_TOLERANCE, 'g') + 'x':>9}  {verdict}")
    out()


# --------------------------------------------------------------------------------------------
# Profiling


def profile_ocspkit(out: Printer, result: Result, seconds: float) -> str:
    fn = result.case.impls.get("ocspkit")
    best = result.best("ocspkit")
    if not callable(fn) or best is None:
        return ""
    loops = max(1, int(seconds / best))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(loops):
        fn()
    profiler.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("cumulative").print_stats(15)
    text = buffer.getvalue()
    for prefix in (sysconfig.get_paths()["purelib"] + os.sep, str(REPO_ROOT) + os.sep):
        text = text.replace(prefix, "")
    out(f"== cProfile, ocspkit side of [{result.case.key}] ({loops} calls), top 15 by cumulative time ==")
    out(text.strip("\n"))
    out()
    return text


# --------------------------------------------------------------------------------------------
# Main


def build_cases(lib: SimpleNamespace, missing: Dict[str, str], out: Printer) -> List[Case]:
    na = _na(lib, missing)
    pkis: Dict[str, Union[Pki, str]] = {}
    for kind in ("rsa", "ec"):
        try:
            pkis[kind] = make_pki(lib, kind)
        except Exception as exc:
            pkis[kind] = f"cannot create the {kind} test PKI: {type(exc).__name__}: {exc}"
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    times = (now, now + dt.timedelta(days=7))

    many: Dict[int, Union[bytes, str]] = {}
    verify_der: Union[bytes, str]
    rsa = pkis["rsa"]
    if isinstance(rsa, str):
        many = dict.fromkeys(MANY_SIZES, rsa)
        verify_der = rsa
    else:
        for count in MANY_SIZES:
            try:
                many[count] = build_many(lib, rsa, count, now)
            except Exception as exc:
                many[count] = f"ocspkit could not build the input: {type(exc).__name__}: {exc}"
        try:
            verify_der = bytes(
                lib.ocspkit.ResponseBuilder()
                .add_response(lib.ocspkit.CertID.from_cert(rsa.kit["leaf"], rsa.kit["issuer"]), "good",
                              this_update=times[0], next_update=times[1])
                .sign(rsa.kit["key"], rsa.kit["responder"])
                .dump()
            )
        except Exception as exc:
            verify_der = f"ocspkit could not build the input: {type(exc).__name__}: {exc}"

    return [
        *parse_response_cases(lib, na),
        parse_request_case(lib, na),
        sign_response_case(lib, na, rsa, "rsa", times),
        sign_response_case(lib, na, pkis["ec"], "ec", times),
        build_request_case(lib, na, rsa),
        *many_cases(lib, na, many),
        verify_case(lib, na, verify_der, rsa),
        *floor_cases(lib, na, pkis),
    ]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fast smoke run (short timings, 3 repeats)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="unmet",
        choices=("unmet", "all"),
        help="after the run, cProfile ocspkit's side of every case whose target is not met (or all)",
    )
    parser.add_argument("--only", metavar="IDS", help="comma-separated case ids to run, e.g. 1a,3a,5")
    args = parser.parse_args(argv)

    min_time, repeats = (0.02, 3) if args.quick else (0.2, 7)
    mode = f"{'quick' if args.quick else 'full'}: best of {repeats} repeats of >= {min_time:g} s each, after warmup"
    out = Printer()
    started = time.perf_counter()

    lib, missing = load_libraries()
    env = environment(lib)
    print_environment(out, env, missing, mode)

    cases = build_cases(lib, missing, out)
    if args.only:
        wanted = {key.strip() for key in args.only.split(",")}
        cases = [c for c in cases if c.key in wanted or c.key.split("/")[0] in wanted]

    results: List[Result] = []
    for case in cases:
        sys.stderr.write(f"  running [{case.key}] ")
        sys.stderr.flush()
        result = run_case(case, min_time, repeats, lambda s: (sys.stderr.write(s), sys.stderr.flush()))
        sys.stderr.write("\n")
        results.append(result)

    out("== Results (best time per call; ratio column = ocspkit / that implementation) ==")
    out()
    for result in results:
        print_result(out, result)
    by_key = {r.case.key: r for r in results}
    lin = linearity(by_key)
    if any(row is not None for row in lin.values()):
        print_linearity(out, lin)
    print_summary(out, results, lin)

    profiles: Dict[str, str] = {}
    if args.profile:
        nonlinear = not (lin.get("ocspkit") or {}).get("linear", True)
        for result in results:
            unmet = result.met is False or (result.case.key == "5" and nonlinear)
            if args.profile == "all" or unmet:
                profiles[result.case.key] = profile_ocspkit(out, result, 0.3 if args.quick else 2.0)

    elapsed = time.perf_counter() - started
    out(f"(total run time {elapsed:.1f} s)")

    if args.json:
        document = {
            "environment": env,
            "unavailable": missing,
            "mode": {"quick": args.quick, "min_time_s": min_time, "repeats": repeats},
            "results": [
                {
                    "id": r.case.key,
                    "title": r.case.title,
                    "group": r.case.group or "target",
                    "impls": {
                        impl: (t.as_json() if isinstance(t, Timing) else {"n/a": t}) for impl, t in r.timings.items()
                    },
                    "ratios_ocspkit_over": {
                        impl: r.best("ocspkit") / t.best  # type: ignore[operator]
                        for impl, t in r.timings.items()
                        if isinstance(t, Timing) and r.best("ocspkit") is not None
                    },
                    "target": None
                    if r.case.target is None
                    else {
                        "max_ratio_vs_cryptography": r.case.target.max_ratio,
                        "ratio": r.ratio,
                        "met": r.met,
                        "tracker_reference": r.case.target.reference or None,
                        "reference_measured_ratio": r.ref_ratio,
                    },
                    "notes": r.case.notes,
                }
                for r in results
            ],
            "linearity": lin,
            "profiles": profiles,
            "run_time_s": elapsed,
        }
        Path(args.json).write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
        out(f"(results written to {args.json})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
