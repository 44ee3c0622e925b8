"""The targets: every consumer of untrusted bytes in ocspkit, one call each, and the runner that
applies the oracles to each call (foreign exception, slow, tampered-verified).

:meth:`Runner.run_input` runs every target on one input. The byte consumers always run; the
view consumers (printers on views, JSON, repr/str of every view, verification) only when a load
succeeded, so the many inputs that do not parse cost little.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import random
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from . import oracles
from .corpus import Item
from .oracles import SignedParts, TamperOracle, TargetTimeout

#: The CLI's openssl-style printing paths. ``-no-CA*`` keep it from reading the system trust store
#: (about 150 ms per call even with -noverify), which would bound the harness at a few inputs/s.
CLI_RESPONSE = ("-respin", "{file}", "-resp_text", "-noverify", "-no-CAfile", "-no-CApath", "-no-CAstore")
CLI_REQUEST = ("-reqin", "{file}", "-req_text")
CLI_SHOW = ("show", "{file}")


@dataclasses.dataclass
class Finding:
    """One oracle failure on one input."""

    category: str  # "foreign", "slow", "tampered" (or "harness": a bug of the harness itself)
    target: str
    exc_type: str
    message: str
    frame: str
    traceback: str = ""
    seconds: float = 0.0

    @property
    def group(self) -> str:
        """What findings are grouped by: exception type + innermost ocspkit frame (foreign), the
        frame the time limit caught (slow), target + reason (tampered)."""
        if self.category == "foreign":
            return f"{self.exc_type} at {self.frame}"
        if self.category == "slow":
            return f"slow at {self.frame}"
        if self.category == "tampered":
            return f"tampered {self.target}: {self.message}"
        return f"harness error {self.exc_type} at {self.frame}"

    def to_json(self) -> Dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class TargetStats:
    calls: int = 0
    ok: int = 0
    ocsp_errors: int = 0
    seconds: float = 0.0


class CaptureCLI:
    """Runs ``ocspkit.cli.main`` with stdout/stderr captured like a UTF-8 terminal's (strict
    stdout, backslashreplace stderr, both with a binary ``buffer``)."""

    def __call__(self, argv: List[str]) -> int:
        from ocspkit import cli

        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
        err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = cli.main(argv)
            except SystemExit as exc:  # an int (or None) code is how a CLI exits
                if exc.code is not None and not isinstance(exc.code, int):
                    raise
                status = exc.code or 0
            out.flush()
            err.flush()
        return status


def _certificates(ders: Tuple[bytes, ...]) -> List[Any]:
    from asn1crypto import x509

    return [x509.Certificate.load(d) for d in ders]


class _Prepared:
    """An item's verification arguments as parsed objects (parsed once per worker)."""

    def __init__(self, item: Item) -> None:
        self.kwargs: Dict[str, Any] = {
            "trusted": _certificates(item.trusted), "untrusted": _certificates(item.untrusted),
            "flags": item.flags, "now": item.now,
        }
        self.status: Optional[Tuple[Any, Any, Optional[bytes]]] = None
        if item.status is not None:
            cert, issuer = _certificates(item.status[:2])
            self.status = (cert, issuer, item.status[2] or None)


def walk_response(response: Any) -> int:
    """repr() and str() of the response and every view reachable from it, and their fields."""
    seen = [response, response.response_status, response.successful, response.response_type]
    if response.successful:
        basic = response.basic
        responder = basic.responder_id
        seen += [basic, basic.version, responder, responder.type, responder.name, responder.name_der,
                 responder.key_hash, basic.produced_at, basic.nonce, basic.nonce_form, basic.signature_algorithm,
                 basic.signature, basic.signature_unused_bits, basic.certs_der]
        seen += list(basic.certs)
        seen += _extensions(basic.extensions)
        for single in basic.responses:
            cert_id = single.cert_id
            seen += [single, cert_id, cert_id.hash_algorithm, cert_id.issuer_name_hash, cert_id.issuer_key_hash,
                     cert_id.serial_number, single.cert_status, single.revocation_time, single.revocation_reason,
                     single.this_update, single.next_update]
            seen += _extensions(single.extensions)
        if basic.responses:
            response.find(basic.responses[0].cert_id)
    return _show(seen)


def walk_request(request: Any) -> int:
    seen = [request, request.version, request.requestor_name, request.nonce, request.nonce_form, request.is_signed]
    seen += _extensions(request.extensions)
    for entry in request.requests:
        cert_id = entry.cert_id
        seen += [entry, cert_id, cert_id.hash_algorithm, cert_id.issuer_name_hash, cert_id.issuer_key_hash,
                 cert_id.serial_number]
        seen += _extensions(entry.extensions)
    if request.is_signed:
        seen += [request.signature_algorithm, request.signature, request.signature_unused_bits]
        seen += list(request.certs)
    return _show(seen)


def _extensions(extensions: Any) -> List[Any]:
    out: List[Any] = [extensions]
    for extension in extensions:
        out += [extension, extension.oid, extension.name, extension.critical, extension.known, extension.raw_value,
                extension.value]
    return out


def _show(values: List[Any]) -> int:
    """repr() and str() of the objects among ``values`` (plain values, e.g. an int of 3000
    octets whose str() Python itself refuses, were only read)."""
    total = 0
    for value in values:
        if type(value).__module__.split(".")[0] in ("ocspkit", "asn1crypto"):
            total += len(repr(value)) + len(str(value))
    return total


class Runner:
    """Runs the targets on inputs, applies the oracles and keeps per-target statistics."""

    def __init__(self, items: List[Item], oracle: TamperOracle, workdir: Path, *, timeout: float = 5.0,
                 slow: float = 1.0, show_rate: float = 0.05, max_slow_per_input: int = 2) -> None:
        self.items = items
        self.oracle = oracle
        self.timeout = timeout
        self.slow = slow
        self.show_rate = show_rate
        self.max_slow_per_input = max_slow_per_input
        self.cli = CaptureCLI()
        self.file = workdir / "input.bin"
        self.stats: Dict[str, TargetStats] = {}
        self.verified = 0
        self._prepared: Dict[int, _Prepared] = {}
        self.findings: List[Finding] = []
        self._slow_here = 0
        self._slow_groups: Dict[str, int] = {}
        #: What the last input loaded as: "response", "request" or "".
        self.loaded = ""
        self._known_slow = False

    def prepared(self, index: int) -> _Prepared:
        if index not in self._prepared:
            self._prepared[index] = _Prepared(self.items[index])
        return self._prepared[index]

    # --- one call -----------------------------------------------------------------------------

    def call(self, name: str, fn: Callable[[], Any]) -> Tuple[bool, Any]:
        """(True, result) or (False, None); records foreign exceptions and slow calls."""
        if self._slow_here >= self.max_slow_per_input:
            return False, None
        stats = self.stats.setdefault(name, TargetStats())
        stats.calls += 1
        start = time.perf_counter()
        try:
            result, elapsed = oracles.run_with_timeout(fn, self._limit())
        except TargetTimeout as exc:
            stats.seconds += time.perf_counter() - start
            self._slow(Finding(
                "slow", name, "Timeout", f"no answer after {self._limit():g} s",
                oracles.innermost_frame(exc.__traceback__), oracles.format_exception(exc), self._limit(),
            ))
            return False, None
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            elapsed = time.perf_counter() - start
            stats.seconds += elapsed
            if oracles.is_foreign(exc):
                self.findings.append(Finding(
                    "foreign", name, type(exc).__name__, oracles.short(str(exc)),
                    oracles.innermost_frame(exc.__traceback__), oracles.format_exception(exc), elapsed,
                ))
            else:
                stats.ocsp_errors += 1
            if elapsed > self.slow:
                self._confirm_slow(name, fn, elapsed)
            return False, None
        stats.seconds += elapsed
        stats.ok += 1
        if elapsed > self.slow:
            self._confirm_slow(name, fn, elapsed)
        return True, result

    def _confirm_slow(self, name: str, fn: Callable[[], Any], first: float) -> None:
        """Run again with the threshold as the time limit: a second overrun is a finding, and
        where the alarm caught it is its frame (a busy machine's hiccup does not repeat)."""
        try:
            oracles.run_with_timeout(fn, self.slow)
        except TargetTimeout as exc:
            self._slow(Finding(
                "slow", name, "Slow", f"{first:.2f} s, and over {self.slow:g} s again",
                oracles.innermost_frame(exc.__traceback__), oracles.format_exception(exc), first,
            ))
        except KeyboardInterrupt:
            raise
        except BaseException:
            pass

    def _limit(self) -> float:
        """The time limit per call: ``timeout``, or twice the slow threshold once some slowness
        is known (it has repeated :attr:`KNOWN` times), so a known defect does not eat the run."""
        return min(self.timeout, 2 * self.slow) if self._known_slow else self.timeout

    #: A slow group seen this many times is known: its inputs stop at the first slow call.
    KNOWN = 3

    def _slow(self, finding: Finding) -> None:
        self.findings.append(finding)
        self._slow_here += 1
        count = self._slow_groups[finding.group] = self._slow_groups.get(finding.group, 0) + 1
        if count >= self.KNOWN:
            self._known_slow = True
            self._slow_here = self.max_slow_per_input  # the rest of this input is skipped

    # --- one input ----------------------------------------------------------------------------

    def run_input(self, data: bytes, origin: int, rng: Optional[random.Random] = None,
                  everything: bool = False, signed: Sequence[Tuple[str, SignedParts]] = ()) -> List[Finding]:
        """Every target on ``data`` (mutated from item ``origin``; ``signed``: the signed parts
        the harness made for it, see :func:`fuzz.mutators.resign`); the findings."""
        import ocspkit
        import ocspkit.lint

        self.oracle.sign_for_input(signed)
        self.findings = []
        self._slow_here = 0
        call = self.call
        ok_resp, response = call("load_response", lambda: ocspkit.load_response(data))
        call("load_response(strict)", lambda: ocspkit.load_response(data, strict=True))
        ok_req, request = call("load_request", lambda: ocspkit.load_request(data))
        self.loaded = "response" if ok_resp else "request" if ok_req else ""
        call("load_request(strict)", lambda: ocspkit.load_request(data, strict=True))
        call("response_text(bytes)", lambda: ocspkit.response_text(data))
        call("request_text(bytes)", lambda: ocspkit.request_text(data))
        call("lint(bytes)", lambda: ocspkit.lint.lint(data))

        self.file.write_bytes(data)
        path = str(self.file)
        call("cli -respin -resp_text", lambda: self.cli([a.format(file=path) for a in CLI_RESPONSE]))
        call("cli -reqin -req_text", lambda: self.cli([a.format(file=path) for a in CLI_REQUEST]))
        # ``show`` builds every subcommand's argparse parser (about 4 ms): on what loads, and a sample.
        if everything or ok_resp or ok_req or (rng is not None and rng.random() < self.show_rate):
            call("cli show", lambda: self.cli([a.format(file=path) for a in CLI_SHOW]))

        prepared = self.prepared(origin)
        if ok_resp:
            call("response_text(view)", lambda: ocspkit.response_text(response))
            call("to_json/to_json_text(response)", lambda: ocspkit.to_json_text(response))
            call("repr/str(response views)", lambda: walk_response(response))
            ok, verdict = call("verify_response", lambda: _with_str(
                ocspkit.verify_response(response, **prepared.kwargs)))
            if ok:
                self._tampered("verify_response", lambda: self.oracle.check_response(data, response, verdict))
            if prepared.status is not None:
                cert, issuer, request_der = prepared.status
                ok, status = call("check_status", lambda: ocspkit.check_status(
                    response, cert, issuer, request=request_der, **prepared.kwargs))
                if ok:
                    self._tampered("check_status", lambda: self.oracle.check_response(
                        data, response, status.verdict, status.single_response))
        if ok_req:
            call("request_text(view)", lambda: ocspkit.request_text(request))
            call("to_json/to_json_text(request)", lambda: ocspkit.to_json_text(request))
            call("repr/str(request views)", lambda: walk_request(request))
            ok, verdict = call("verify_request", lambda: _with_str(ocspkit.verify_request(request, **prepared.kwargs)))
            if ok:
                self._tampered("verify_request", lambda: self.oracle.check_request(data, request, verdict))
        return self.findings

    def _tampered(self, target: str, check: Callable[[], List[str]]) -> None:
        self.verified += 1
        try:
            reasons = check()
        except Exception as exc:  # a bug of the harness: reported apart, never as tampering
            self.findings.append(Finding("harness", target, type(exc).__name__, oracles.short(str(exc)),
                                          oracles.innermost_frame(exc.__traceback__), oracles.format_exception(exc)))
            return
        for reason in reasons:
            self.findings.append(Finding("tampered", target, "Tampered", reason, "<verdict>"))


def _with_str(verdict: Any) -> Any:
    str(verdict)
    return verdict
