#!/usr/bin/env python
"""HTTP benchmark of ``ocspkit serve`` next to ``openssl ocsp -port``: same machine, same PKI.

Run from the repository root (needs ``openssl`` and ``wrk`` on PATH; ``apt-get install -y wrk``)::

    python benchmarks/serve_bench.py              # full run (about 8 minutes)
    python benchmarks/serve_bench.py --quick      # smoke run (under a minute)
    python benchmarks/serve_bench.py --json out.json

Both responders are started as a user would start them, each a fresh process per measurement:
``openssl ocsp -index index.txt -CA ca.pem -rsigner r.pem -rkey r.key -port N -ndays 1`` and
``python -m ocspkit serve --ca ca.pem --index index.txt --rsigner r.pem --rkey r.key --host 127.0.0.1
--port N --rmd sha256 --log-level warning``.
With two or more CPUs the server runs on CPU 0 and wrk on CPU 1 (``taskset``). wrk sends
``Connection: close`` to both, because openssl's responder answers HTTP/1.0 and closes every
connection. Requests rotate over the serials of the index. The script reports requests per second,
p50/p99 latency and server CPU time per request for each side, and the ratios ocspkit / openssl.

Targets come from the issue tracker and are only printed: the script never fails because of
speed, and a missing tool is reported as ``n/a``. Nothing here is imported by the test suite.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

NONCE_LENGTH = 32  # RFC 8954 2.1: what clients should send
SERIALS = 100  # certificates in index.txt; requests rotate over them
REVOKED_EVERY = 10  # every 10th serial is revoked, so both sides also answer "revoked"
CHECK_SERIAL_INDEX = 0  # the serial whose answers are checked before timing (a "V" line)
SERVER_CPU = "0"
CLIENT_CPU = "1"


# name -> (server, keep-alive). openssl's responder answers HTTP/1.0 and closes every connection,
# so the like-for-like comparison is with "Connection: close" on both sides; ocspkit with
# keep-alive is measured too, for information (what a client that keeps its connection gets).
SIDE_DEFS = {
    "openssl": ("openssl", False),
    "ocspkit": ("ocspkit", False),
    "ocspkit keep-alive": ("ocspkit", True),
}


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    key: str  # "rsa" or "ec"
    kind: str  # "presigned" (GET, no nonce) or "live" (POST, a new nonce per request)
    target: Optional[float]  # ocspkit / openssl req/s must be >= this; None: for information
    sides: Tuple[str, ...] = tuple(SIDE_DEFS)


CASES = (
    Case("A", "pre-signed RSA-2048", "rsa", "presigned", 3.0),
    Case("B", "live-signed RSA-2048", "rsa", "live", 0.9),
    Case("C", "pre-signed P-256", "ec", "presigned", 1.0),
    Case("D", "live-signed P-256", "ec", "live", None),
)
QUICK_CASES = ("A", "B", "C")


# --------------------------------------------------------------------------------------------
# Small helpers


def log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _run(cmd: Sequence[str], cwd: Optional[Path] = None, input: Optional[bytes] = None) -> str:
    proc = subprocess.run(list(cmd), cwd=cwd, input=input, capture_output=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-500:]}")
    return proc.stdout.decode(errors="replace")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cpu_times() -> Tuple[float, float]:
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    with open("/proc/stat") as handle:
        fields = [float(x) for x in handle.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)
    return sum(fields) - idle, sum(fields)


def machine_busy(seconds: float = 0.3) -> Optional[float]:
    """Share of all CPUs (0..1) busy over ``seconds`` while this script is idle: other load."""
    try:
        busy0, total0 = _cpu_times()
        time.sleep(seconds)
        busy1, total1 = _cpu_times()
    except OSError:
        return None
    return (busy1 - busy0) / (total1 - total0) if total1 > total0 else None


def process_tree_cpu(pid: int) -> Optional[float]:
    """User + system CPU seconds of ``pid`` and its live descendants (from /proc)."""
    try:
        tick = os.sysconf("SC_CLK_TCK")
        parents: Dict[int, int] = {}
        times: Dict[int, float] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    text = handle.read()
            except OSError:
                continue
            rest = text[text.rindex(")") + 2:].split()
            parents[int(entry)] = int(rest[1])
            times[int(entry)] = (float(rest[11]) + float(rest[12])) / tick
    except (OSError, ValueError):
        return None
    if pid not in times:
        return None
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0.0)
        todo.extend(child for child, parent in parents.items() if parent == current)
    return total


# --------------------------------------------------------------------------------------------
# The PKI: made with the openssl command line, used by both responders


@dataclass
class Pki:
    key: str
    label: str
    directory: Path
    serials: List[int]
    revoked: List[int]
    ca_der: bytes = b""
    get_paths: List[str] = field(default_factory=list)  # "/" + url-encoded base64 request, per serial
    nonce_templates: List[Tuple[bytes, bytes]] = field(default_factory=list)  # DER before / after the nonce
    requests_match_openssl: Optional[bool] = None

    def path(self, name: str) -> Path:
        return self.directory / name


def make_pki(key: str, root: Path) -> Pki:
    """A root CA, a delegated OCSP responder (id-kp-OCSPSigning, RFC 6960 4.2.2.2) and an
    index.txt with SERIALS certificates, all RSA-2048 or all P-256."""
    directory = root / key
    directory.mkdir(parents=True)
    if key == "rsa":
        newkey, label = ["-newkey", "rsa:2048"], "RSA-2048"
    else:
        newkey, label = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"], "P-256"
    _run(["openssl", "req", "-x509", *newkey, "-nodes", "-sha256", "-keyout", "ca.key", "-out", "ca.pem",
          "-days", "30", "-subj", f"/CN=serve_bench {label} CA",
          "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
         cwd=directory)
    _run(["openssl", "req", *newkey, "-nodes", "-sha256", "-keyout", "r.key", "-out", "r.csr",
          "-subj", f"/CN=serve_bench {label} OCSP responder"], cwd=directory)
    (directory / "r.ext").write_text(
        "basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=OCSPSigning\n"
    )
    _run(["openssl", "x509", "-req", "-in", "r.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-sha256",
          "-set_serial", "0x1000", "-days", "30", "-extfile", "r.ext", "-out", "r.pem"], cwd=directory)
    serials = [0x2000 + i for i in range(1, SERIALS + 1)]
    revoked = serials[REVOKED_EVERY - 1::REVOKED_EVERY]
    lines = []
    for n, serial in enumerate(serials, 1):
        # OpenSSL's CA database: status, expiry, revocation[,reason], serial (hex), file, subject.
        if serial in revoked:
            lines.append(f"R\t351231235959Z\t250101000000Z,keyCompromise\t{serial:04X}\tunknown\t/CN=leaf {n}\n")
        else:
            lines.append(f"V\t351231235959Z\t\t{serial:04X}\tunknown\t/CN=leaf {n}\n")
    (directory / "index.txt").write_text("".join(lines))
    (directory / "index.txt.attr").write_text("unique_subject = no\n")
    pki = Pki(key, label, directory, serials, revoked)
    _make_requests(pki)
    return pki


def _make_requests(pki: Pki) -> None:
    """One request per serial: without a nonce (GET) and with a 32-byte nonce (POST), SHA-1
    CertIDs (RFC 5019 2.1.1; what openssl ocsp -issuer writes). Built with ocspkit's
    RequestBuilder and checked byte for byte against openssl ocsp -reqout for one serial."""
    from ocspkit import crypto
    from ocspkit.certid import CertID
    from ocspkit.request import RequestBuilder

    ca = crypto.load_certificate(pki.path("ca.pem").read_bytes())
    pki.ca_der = ca.dump()
    marker = bytes(range(0xA0, 0xA0 + NONCE_LENGTH))
    for serial in pki.serials:
        cert_id = CertID.from_issuer(ca, serial, "sha1")
        plain = RequestBuilder().add_cert_id(cert_id).build().dump()
        with_nonce = RequestBuilder().add_cert_id(cert_id).with_nonce(marker).build().dump()
        at = with_nonce.index(marker)
        pki.nonce_templates.append((with_nonce[:at], with_nonce[at + NONCE_LENGTH:]))
        encoded = urllib.parse.quote(base64.b64encode(plain).decode("ascii"), safe="")  # RFC 6960 A.1
        pki.get_paths.append("/" + encoded)
    first = pki.serials[0]
    _run(["openssl", "ocsp", "-issuer", "ca.pem", "-serial", hex(first), "-no_nonce", "-reqout", "req.der"],
         cwd=pki.directory)
    ours = RequestBuilder().add_cert_id(CertID.from_issuer(ca, first, "sha1")).build().dump()
    pki.requests_match_openssl = pki.path("req.der").read_bytes() == ours


# --------------------------------------------------------------------------------------------
# The servers


@dataclass
class Server:
    side: str
    proc: subprocess.Popen  # type: ignore[type-arg]
    port: int
    log_path: Path
    started: float

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def server_command(side: str, pki: Pki, port: int, log_level: str) -> List[str]:
    if side == "openssl":
        # -ndays 1: a nextUpdate one day on, as ocspkit serve's default --validity 1d writes.
        return ["openssl", "ocsp", "-index", "index.txt", "-CA", "ca.pem", "-rsigner", "r.pem", "-rkey", "r.key",
                "-port", str(port), "-ndays", "1"]
    return [sys.executable, "-m", "ocspkit", "serve", "--ca", "ca.pem", "--index", "index.txt",
            "--rsigner", "r.pem", "--rkey", "r.key", "--host", "127.0.0.1", "--port", str(port),
            "--rmd", "sha256",  # the signature digest of both sides (openssl's default; ocspkit's too)
            "--log-level", log_level]


def start_server(side: str, pki: Pki, pin: bool, log_level: str, logs: Path, timeout: float = 60.0) -> Server:
    port = free_port()
    cmd = server_command(side, pki, port, log_level)
    if pin:
        cmd = ["taskset", "-c", SERVER_CPU, *cmd]
    log_path = logs / f"{side}-{pki.key}-{port}.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=pki.directory, stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
    server = Server(side, proc, port, log_path, time.perf_counter())
    # Ready when it answers a whole OCSP request. A bare TCP connect would not do: openssl 3.0's
    # responder spins forever on a connection closed before a request arrives (see README).
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            tail = server.log_tail()
            log(f"{side} exited with {proc.returncode}; the end of its output:\n{tail}")
            last = tail.strip().splitlines()[-1] if tail.strip() else "no output"
            raise RuntimeError(f"{side} exited with {proc.returncode}: {last}")
        try:
            status, _, _ = fetch(port, "GET", pki.get_paths[0], timeout=5)
            if status == 200:
                return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_server(server)
            log(f"{side} did not answer within {timeout:.0f} s; the end of its output:\n{server.log_tail()}")
            raise RuntimeError(f"{side} did not answer within {timeout:.0f} s")
        time.sleep(0.05)


def stop_server(server: Server) -> None:
    if server.proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.proc.pid, signal.SIGTERM)
        try:
            server.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.proc.pid, signal.SIGKILL)
            server.proc.wait(timeout=5)


def fetch(port: int, method: str, path: str, body: Optional[bytes] = None,
          timeout: float = 10) -> Tuple[int, Dict[str, str], bytes]:
    """One request on a new connection, ``Connection: close`` (openssl's responder closes anyway)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Connection": "close"}
        if body is not None:
            headers["Content-Type"] = "application/ocsp-request"
        conn.request(method, path, body=body, headers=headers)
        reply = conn.getresponse()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
    finally:
        conn.close()


def nonce_body(pki: Pki, index: int) -> Tuple[bytes, bytes]:
    nonce = os.urandom(NONCE_LENGTH)
    before, after = pki.nonce_templates[index % len(pki.nonce_templates)]
    return before + nonce + after, nonce


def one_request(pki: Pki, kind: str, index: int, port: int) -> Tuple[int, bytes, Optional[bytes]]:
    if kind == "presigned":
        status, _, data = fetch(port, "GET", pki.get_paths[index % len(pki.get_paths)])
        return status, data, None
    body, nonce = nonce_body(pki, index)
    status, _, data = fetch(port, "POST", "/", body)
    return status, data, nonce


def check_answer(pki: Pki, kind: str, port: int) -> Dict[str, Any]:
    """Ask once for a good and once for a revoked serial and check both answers: successful,
    the right serial and status, the nonce echoed (live), signed by the delegated responder
    (ocspkit.verify_response with the CA as trust anchor). Returns a summary of the answer."""
    from ocspkit import load_response, verify_response
    from ocspkit.enums import CertStatus, ResponseStatus

    summary: Dict[str, Any] = {}
    for index in (CHECK_SERIAL_INDEX, REVOKED_EVERY - 1):
        serial = pki.serials[index]
        status, data, nonce = one_request(pki, kind, index, port)
        problems = []
        if status != 200:
            problems.append(f"HTTP {status}")
        try:
            response = load_response(data)
            if response.response_status is not ResponseStatus.SUCCESSFUL:
                problems.append(f"responseStatus {response.response_status.name}")
            else:
                single = response.responses[0]
                expected = CertStatus.REVOKED if serial in pki.revoked else CertStatus.GOOD
                if single.cert_id.serial_number != serial:
                    problems.append(f"answered serial {single.cert_id.serial_number:#x}, asked {serial:#x}")
                if single.cert_status is not expected:
                    problems.append(f"status {single.cert_status.name}, expected {expected.name}")
                if nonce is not None and response.nonce != nonce:
                    problems.append("nonce not echoed")
                if nonce is None and response.nonce is not None:
                    problems.append("a nonce in an answer to a request without one")
                verify_response(response, trusted=[pki.ca_der])
                if index == CHECK_SERIAL_INDEX:
                    summary = {
                        "bytes": len(data),
                        "signature": response.basic.signature_algorithm["algorithm"].native,
                        "certs": len(response.certs),
                        "next_update": single.next_update is not None,
                    }
        except Exception as exc:  # anything wrong with the answer is reported, not raised
            problems.append(f"{type(exc).__name__}: {exc}")
        if problems:
            summary["problems"] = [*summary.get("problems", []), f"serial {serial:#x}: " + "; ".join(problems)]
    return summary


def warm_up(pki: Pki, kind: str, port: int, seconds: float) -> int:
    """Sequential requests of the measured kind, each on its own connection, for ``seconds``."""
    deadline = time.monotonic() + seconds
    count = 0
    while time.monotonic() < deadline or count < len(pki.serials):
        one_request(pki, kind, count, port)
        count += 1
    return count


# --------------------------------------------------------------------------------------------
# wrk


def _lua_bytes(data: bytes) -> str:
    return '"' + "".join(f"\\{b}" for b in data) + '"'


def wrk_script(pki: Pki, kind: str, keep_alive: bool, out: Path) -> str:
    lines = [
        "-- generated by benchmarks/serve_bench.py",
        "-- wrk's default resolve() opens and closes a probe connection without sending a request;",
        "-- openssl 3.0's responder then spins on that connection forever. Resolve without probing.",
        "function wrk.resolve(host, service)",
        "  wrk.addrs = wrk.lookup(host, service)",
        "end",
        "local close = " + ("false" if keep_alive else "true"),
        "local n = 0",
    ]
    if kind == "presigned":
        lines.append("local paths = {")
        lines.extend(f'  "{p}",' for p in pki.get_paths)
        lines += [
            "}",
            "local headers = {}",
            'if close then headers["Connection"] = "close" end',
            "function request()",
            "  n = n + 1",
            '  return wrk.format("GET", paths[(n % #paths) + 1], headers)',
            "end",
        ]
    else:
        lines.append("local before, after = {}, {}")
        for i, (b, a) in enumerate(pki.nonce_templates, 1):
            lines.append(f"before[{i}] = {_lua_bytes(b)}; after[{i}] = {_lua_bytes(a)}")
        lines += [
            f"local nonce_length = {NONCE_LENGTH}",
            'local headers = {["Content-Type"] = "application/ocsp-request"}',
            'if close then headers["Connection"] = "close" end',
            "local chars = {}",
            "function init(args)",
            "  math.randomseed(os.time() + math.floor(os.clock() * 1000000))",
            "end",
            "function request()",
            "  n = n + 1",
            "  local i = (n % #before) + 1",
            "  for k = 1, nonce_length do chars[k] = string.char(math.random(0, 255)) end",
            '  return wrk.format("POST", "/", headers, before[i] .. table.concat(chars) .. after[i])',
            "end",
        ]
    lines += [
        "function done(summary, latency, requests)",
        f'  local f = io.open("{out}", "w")',
        "  local e = summary.errors",
        '  f:write(string.format(\'{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, \' ..',
        '    \'"write": %d, "status": %d, "timeout": %d, "mean_us": %f, "max_us": %d, \' ..',
        '    \'"p50_us": %d, "p90_us": %d, "p99_us": %d, "p999_us": %d}\',',
        "    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,",
        "    latency.mean, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(99),",
        "    latency:percentile(99.9)))",
        "  f:close()",
        "end",
    ]
    return "\n".join(lines) + "\n"


def run_wrk(port: int, script: Path, connections: int, duration: float, pin: bool, out: Path) -> Dict[str, Any]:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", "--timeout", "10s", "-s", str(script),
           f"http://127.0.0.1:{port}/"]
    if pin:
        cmd = ["taskset", "-c", CLIENT_CPU, *cmd]
    proc = subprocess.run(cmd, capture_output=True, timeout=duration + 60, check=False)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-300:]}")
    result: Dict[str, Any] = json.loads(out.read_text())
    out.unlink()
    return result


# --------------------------------------------------------------------------------------------
# Measurements


@dataclass
class Run:
    side: str
    rps: float
    p50_ms: float
    p99_ms: float
    p999_ms: float
    bytes_per_response: float
    errors: Dict[str, int]
    cpu_us_per_request: Optional[float]
    other_load: Optional[float]
    warmup_requests: int
    startup_s: float

    def as_json(self) -> Dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class SideResult:
    runs: List[Run] = field(default_factory=list)
    check: Dict[str, Any] = field(default_factory=dict)
    error: Optional[str] = None

    @property
    def best(self) -> Optional[Run]:
        return max(self.runs, key=lambda r: r.rps) if self.runs else None


@dataclass
class CaseResult:
    case: Case
    sides: Dict[str, SideResult]

    def ratio(self, attr: str, side: str = "ocspkit") -> Optional[float]:
        """ocspkit's figure / openssl's (``side`` picks which ocspkit run), best run of each."""
        kit, ssl = self.sides.get(side), self.sides.get("openssl")
        if kit is None or ssl is None or kit.best is None or ssl.best is None:
            return None
        a, b = getattr(kit.best, attr), getattr(ssl.best, attr)
        return None if a is None or b in (None, 0) else a / b

    def verdict(self, side: str = "ocspkit") -> str:
        if self.case.target is None:
            return "information"
        ratio = self.ratio("rps", side)
        if ratio is None:
            return "n/a"
        return "MET" if ratio >= self.case.target else "NOT MET"


def measure_side(case: Case, side: str, pki: Pki, args: argparse.Namespace, work: Path,
                 check: bool) -> Tuple[Run, Dict[str, Any]]:
    server_name, keep_alive = SIDE_DEFS[side]
    slug = side.replace(" ", "-")
    script = work / f"{case.id}-{slug}.lua"
    out = work / f"{case.id}-{slug}.json"
    script.write_text(wrk_script(pki, case.kind, keep_alive, out))
    other = machine_busy()
    started = time.perf_counter()
    server = start_server(server_name, pki, args.pin, args.log_level, work)
    startup = time.perf_counter() - started
    try:
        summary = check_answer(pki, case.kind, server.port) if check else {}
        warm = warm_up(pki, case.kind, server.port, args.warmup)
        cpu0 = process_tree_cpu(server.proc.pid)
        raw = run_wrk(server.port, script, args.connections, args.duration, args.pin, out)
        cpu1 = process_tree_cpu(server.proc.pid)
        if server.proc.poll() is not None:
            raise RuntimeError(f"{server_name} exited during the run:\n{server.log_tail()}")
    finally:
        stop_server(server)
    requests = raw["requests"]
    seconds = raw["duration_us"] / 1e6
    errors = {k: raw[k] for k in ("connect", "read", "write", "status", "timeout") if raw[k]}
    cpu = None if cpu0 is None or cpu1 is None or not requests else (cpu1 - cpu0) / requests * 1e6
    run = Run(side, requests / seconds if seconds else 0.0, raw["p50_us"] / 1000, raw["p99_us"] / 1000,
              raw["p999_us"] / 1000, raw["bytes"] / requests if requests else 0.0, errors, cpu, other, warm, startup)
    return run, summary


def run_case(case: Case, pki: Pki, args: argparse.Namespace, work: Path) -> CaseResult:
    result = CaseResult(case, {side: SideResult() for side in case.sides})
    for repeat in range(args.repeats):
        # Alternate which side goes first, so a drift in the machine's load hits both alike.
        order = case.sides if repeat % 2 == 0 else tuple(reversed(case.sides))
        for side in order:
            side_result = result.sides[side]
            if side_result.error is not None:
                continue
            try:
                check = repeat == 0 and not SIDE_DEFS[side][1]  # one check per server is enough
                run, summary = measure_side(case, side, pki, args, work, check=check)
            except Exception as exc:  # a side that cannot run is n/a, the rest goes on
                side_result.error = f"{type(exc).__name__}: {exc}"
                log(f"  {case.id} {side}: n/a ({side_result.error.splitlines()[0]})")
                continue
            if repeat == 0:
                side_result.check = summary
            side_result.runs.append(run)
            log(f"  {case.id} {side} run {repeat + 1}/{args.repeats}: {run.rps:,.0f} req/s, "
                f"p99 {run.p99_ms:.2f} ms")
    return result


# --------------------------------------------------------------------------------------------
# Output


def environment(args: argparse.Namespace, tools: Dict[str, Optional[str]]) -> Dict[str, Any]:
    cpu_model = "unknown"
    with contextlib.suppress(OSError):
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        if match:
            cpu_model = match.group(1).strip()
    env: Dict[str, Any] = {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "cpu": f"{cpu_model}, {os.cpu_count()} CPUs",
        "openssl_cli": tools.get("openssl_version") or "not found",
        "wrk": tools.get("wrk_version") or "not found",
        "ocspkit": f"{_version('ocspkit')} ({_git_state()})",
        "uvicorn": _version("uvicorn"),
        "httptools": _version("httptools"),
        "uvloop": _version("uvloop"),
        "asn1crypto": _version("asn1crypto"),
        "oscrypto": _version("oscrypto"),
        "pinning": (f"server on CPU {SERVER_CPU}, wrk on CPU {CLIENT_CPU} (taskset)" if args.pin
                    else "none (" + args.pin_reason + ")"),
        "load": (f"wrk -t1 -c{args.connections} -d{args.duration:g}s, after {args.warmup:g} s of sequential "
                 f"warmup requests; best of {args.repeats} run(s) per side, each on a fresh server process"),
        "ocspkit_log_level": args.log_level,
    }
    with contextlib.suppress(OSError):
        env["loadavg"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return env


def _git_state() -> str:
    """The repository's commit, and whether the working tree differs from it."""
    try:
        commit = _run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT).strip()
        dirty = _run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO_ROOT).strip()
    except (OSError, RuntimeError):
        return "not a git checkout"
    return f"git {commit}" + (", with uncommitted changes" if dirty else "")


def detect_tools() -> Dict[str, Optional[str]]:
    tools: Dict[str, Optional[str]] = {}
    if shutil.which("openssl"):
        with contextlib.suppress(Exception):
            tools["openssl_version"] = _run(["openssl", "version"]).strip()
    if shutil.which("wrk"):
        proc = subprocess.run(["wrk", "-v"], capture_output=True, check=False)
        text = (proc.stdout + proc.stderr).decode(errors="replace").strip().splitlines()
        tools["wrk_version"] = text[0] if text else "wrk"
    return tools


def _fmt_rps(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def _fmt_ratio(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def print_case(result: CaseResult, args: argparse.Namespace) -> None:
    case = result.case
    what = ("GET, no nonce: ocspkit answers from its pre-signed cache, openssl signs every answer"
            if case.kind == "presigned" else
            f"POST with a fresh {NONCE_LENGTH}-byte nonce per request: both sides sign every answer")
    print(f"\n{case.id}  {case.title}")
    print(f"   {what}; {SERIALS} serials in rotation; {args.connections} connections")
    print(f"   {'':19} {'req/s':>8} {'p50':>9} {'p99':>9} {'p99.9':>9} {'CPU/req':>8} {'bytes/resp':>10}  errors")
    for side in case.sides:
        side_result = result.sides[side]
        best = side_result.best
        label = side + ("" if SIDE_DEFS[side][1] else ", close")
        if best is None:
            print(f"   {label:19} n/a ({(side_result.error or 'no run').splitlines()[0]})")
            continue
        cpu = "n/a" if best.cpu_us_per_request is None else f"{best.cpu_us_per_request:.0f} us"
        errors = ", ".join(f"{k} {v}" for k, v in best.errors.items()) or "0"
        print(f"   {label:19} {best.rps:>8,.0f} {best.p50_ms:>6.2f} ms {best.p99_ms:>6.2f} ms {best.p999_ms:>6.2f} ms "
              f"{cpu:>8} {best.bytes_per_response:>10.0f}  {errors}")
        if len(side_result.runs) > 1:
            print(f"   {'':19} runs: " + ", ".join(f"{r.rps:,.0f}" for r in side_result.runs) + " req/s")
    checks = {s: result.sides[s].check for s in case.sides if result.sides[s].check}
    for side, check in checks.items():
        for problem in check.get("problems", []):
            print(f"   answer check {side}: {problem}  <-- DIFFERS")
    if checks and not any(c.get("problems") for c in checks.values()):
        first = next(iter(checks.values()))
        sizes = ", ".join(f"{s} {c.get('bytes')} B" for s, c in checks.items())
        print(f"   answers checked: successful, right serial and status (good and revoked), "
              f"{'nonce echoed, ' if case.kind == 'live' else ''}signature verified up to the CA; "
              f"{first.get('signature')}, {first.get('certs')} certificate, nextUpdate "
              f"{'set' if first.get('next_update') else 'absent'}; {sizes}")
    for side in case.sides:
        if side == "openssl" or result.sides[side].best is None:
            continue
        line = (f"   {side} / openssl: req/s {_fmt_ratio(result.ratio('rps', side))}, "
                f"p50 {_fmt_ratio(result.ratio('p50_ms', side))}, p99 {_fmt_ratio(result.ratio('p99_ms', side))}, "
                f"CPU/req {_fmt_ratio(result.ratio('cpu_us_per_request', side))}")
        if case.target is not None:
            line += f"; target req/s >= {case.target:.1f}x: {result.verdict(side)}"
            if SIDE_DEFS[side][1]:
                line += " (not like-for-like)"
        print(line)
    busy = [r.other_load for s in result.sides.values() for r in s.runs if r.other_load is not None]
    if busy and max(busy) > 0.1:
        print(f"   note: other processes kept up to {max(busy):.0%} of the CPUs busy just before a run; "
              "req/s and latency are noisy (CPU/req much less so)")


def print_summary(results: List[CaseResult]) -> None:
    print("\nSummary: req/s, best run of each; ratios ocspkit / openssl (higher is better for ocspkit)")
    print("   like-for-like: both sides with Connection: close. keep-alive: ocspkit with keep-alive against")
    print("   openssl, which cannot keep a connection (information, not like-for-like)")
    print(f"   {'id':3} {'measurement':22} {'openssl':>8} {'ocspkit':>8} {'ratio':>7} {'target':>7}  {'verdict':8}"
          f"  {'keep-alive':>10} {'ratio':>7}  verdict")
    for result in results:
        ssl = result.sides["openssl"].best if "openssl" in result.sides else None
        kit = result.sides["ocspkit"].best if "ocspkit" in result.sides else None
        ka = result.sides.get("ocspkit keep-alive")
        ka_best = ka.best if ka is not None else None
        target = "-" if result.case.target is None else f">= {result.case.target:.1f}x"
        print(f"   {result.case.id:3} {result.case.title:22} {_fmt_rps(ssl.rps if ssl else None):>8} "
              f"{_fmt_rps(kit.rps if kit else None):>8} {_fmt_ratio(result.ratio('rps')):>7} {target:>7}  "
              f"{result.verdict():8}  {_fmt_rps(ka_best.rps if ka_best else None):>10} "
              f"{_fmt_ratio(result.ratio('rps', 'ocspkit keep-alive')):>7}  {result.verdict('ocspkit keep-alive')}")


# --------------------------------------------------------------------------------------------


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke run: cases A-C, short runs, one repeat")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--only", metavar="IDS", help="comma-separated case ids, e.g. A,C")
    parser.add_argument("--duration", type=float, help="seconds per wrk run (default 10, quick 3)")
    parser.add_argument("--warmup", type=float, help="seconds of warmup requests per server (default 2, quick 0.5)")
    parser.add_argument("--repeats", type=int, help="runs per side, best kept (default 3, quick 1)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--log-level", default="warning", choices=("debug", "info", "warning", "error"),
                        help="ocspkit serve --log-level (default warning: no line per request)")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the server and wrk to CPUs")
    parser.add_argument("--keep", metavar="DIR", help="keep the PKI, wrk scripts and server logs in DIR")
    args = parser.parse_args(argv)
    if args.duration is None:
        args.duration = 3.0 if args.quick else 10.0
    if args.warmup is None:
        args.warmup = 0.5 if args.quick else 2.0
    if args.repeats is None:
        args.repeats = 1 if args.quick else 3
    ids = [c.id for c in CASES]
    if args.only:
        args.cases = [i.strip().upper() for i in args.only.split(",") if i.strip()]
        unknown = [i for i in args.cases if i not in ids]
        if unknown:
            parser.error(f"unknown case id(s) {', '.join(unknown)}; known: {', '.join(ids)}")
    else:
        args.cases = list(QUICK_CASES) if args.quick else ids
    args.pin, args.pin_reason = True, ""
    if args.no_pin:
        args.pin, args.pin_reason = False, "--no-pin"
    elif not shutil.which("taskset"):
        args.pin, args.pin_reason = False, "taskset not found"
    elif (os.cpu_count() or 1) < 2:
        args.pin, args.pin_reason = False, "fewer than 2 CPUs"
    return args


@contextlib.contextmanager
def work_directory(keep: Optional[str]) -> Iterator[Path]:
    if keep:
        path = Path(keep).resolve()
        path.mkdir(parents=True, exist_ok=True)
        yield path
    else:
        with tempfile.TemporaryDirectory(prefix="serve_bench-") as tmp:
            yield Path(tmp)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    tools = detect_tools()
    env = environment(args, tools)
    print("ocspkit serve vs openssl ocsp -port: requests per second and latency")
    print(f"run: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M:%S} UTC, {'quick' if args.quick else 'full'}")
    for key, value in env.items():
        print(f"   {key:18} {value}")
    busy = machine_busy(1.0)
    env["other_load_at_start"] = busy
    if busy is not None:
        print(f"   {'other load':18} {busy:.0%} of all CPUs busy before the run"
              + ("  <-- the machine is not idle: numbers will be noisy" if busy > 0.1 else ""))
    missing = [name for name, key in (("openssl", "openssl_version"), ("wrk", "wrk_version")) if not tools.get(key)]
    results: List[CaseResult] = []
    report: Dict[str, Any] = {"environment": env, "mode": "quick" if args.quick else "full",
                              "settings": {"connections": args.connections, "duration_s": args.duration,
                                           "warmup_s": args.warmup, "repeats": args.repeats, "serials": SERIALS,
                                           "nonce_length": NONCE_LENGTH, "log_level": args.log_level},
                              "results": []}
    if missing:
        print(f"\nn/a: {' and '.join(missing)} not found on PATH (Debian: apt-get install -y {' '.join(missing)}); "
              "nothing measured")
        report["unavailable"] = f"{', '.join(missing)} not found"
    else:
        with work_directory(args.keep) as work:
            pkis: Dict[str, Pki] = {}
            for key in sorted({c.key for c in CASES if c.id in args.cases}):
                pkis[key] = make_pki(key, work / "pki")
                if not pkis[key].requests_match_openssl:
                    print(f"   note: ocspkit's {key} request differs from openssl ocsp -reqout's")
            print(f"   {'PKI':18} openssl CLI: root CA, delegated responder (OCSPSigning), index.txt with "
                  f"{SERIALS} serials ({SERIALS // REVOKED_EVERY} revoked); one per key type")
            print(f"   {'requests':18} SHA-1 CertIDs, one per request; built with ocspkit.RequestBuilder, "
                  "byte-identical to openssl ocsp -reqout: "
                  + ("yes" if all(p.requests_match_openssl for p in pkis.values()) else "NO"))
            for case in CASES:
                if case.id not in args.cases:
                    continue
                log(f"{case.id} {case.title} ...")
                result = run_case(case, pkis[case.key], args, work)
                results.append(result)
                print_case(result, args)
                sys.stdout.flush()
        print_summary(results)
    elapsed = time.perf_counter() - began
    print(f"\nTotal time {elapsed:.0f} s. Targets are information: this script never fails on speed.")
    for result in results:
        report["results"].append({
            "id": result.case.id, "title": result.case.title,
            "key": result.case.key, "kind": result.case.kind,
            "connection": {side: "keep-alive" if SIDE_DEFS[side][1] else "close" for side in result.case.sides},
            "target_rps_ratio": result.case.target,
            "verdict": result.verdict(), "verdict_keep_alive": result.verdict("ocspkit keep-alive"),
            "ratios": {side: {k: result.ratio(k, side) for k in ("rps", "p50_ms", "p99_ms", "cpu_us_per_request")}
                       for side in result.case.sides if side != "openssl"},
            "sides": {side: {"best": r.best.as_json() if r.best else None, "runs": [x.as_json() for x in r.runs],
                             "check": r.check, "error": r.error} for side, r in result.sides.items()},
        })
    report["elapsed_s"] = elapsed
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str) + "\n")
        print(f"JSON written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
