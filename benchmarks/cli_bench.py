#!/usr/bin/env python
"""Wall time of one ``ocspkit`` command line next to the same ``openssl ocsp`` command line.

Run from the repository root::

    python benchmarks/cli_bench.py              # 30 runs of each command (about 30 s)
    python benchmarks/cli_bench.py --quick      # 8 runs of each (a few seconds)
    python benchmarks/cli_bench.py --runs 100 --json out.json
    python benchmarks/cli_bench.py --importtime # also list the slowest imports of each command

Scripts call ``openssl ocsp`` (and so ``ocspkit``) in loops, so what counts is a whole process:
interpreter start, imports, the work, exit. Each command is started as a subprocess N times,
round-robin with the others so that a busy spell of the machine hits them alike, and the best and
median wall times are printed with the ratios ocspkit / openssl. ocspkit runs twice: through its
console script (``.venv/bin/ocspkit``) and as ``python -m ocspkit``. The target (issue 15, 2.4) is
only printed: the script never fails because of speed. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
TARGET = 5.0  # ocspkit <= 5x openssl ocsp's wall time (issue 15, 2.4)
DEFAULT_RUNS = 30
QUICK_RUNS = 8


@dataclass
class Case:
    key: str
    title: str
    args: Tuple[str, ...]  # openssl ocsp's options, the same for every side
    output: Optional[str] = None  # a file the command writes, compared between the sides
    target: bool = True


CASES = (
    Case("print-response", "print a response: -respin F -resp_text -noverify",
         ("-respin", "response.der", "-resp_text", "-noverify")),
    Case("print-request", "print a request: -reqin F -req_text", ("-reqin", "request.der", "-req_text")),
    Case("build-request", "build a request: -issuer -cert -reqout F -no_nonce",
         ("-issuer", "issuer.pem", "-cert", "cert.pem", "-reqout", "out.der", "-no_nonce"), output="out.der"),
)


@dataclass
class Side:
    name: str
    argv: Tuple[str, ...]  # the command, before openssl ocsp's options
    available: Optional[str] = None  # why not, when it cannot run


@dataclass
class Timing:
    samples: List[float] = field(default_factory=list)  # seconds per run

    @property
    def best(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def sides() -> List[Side]:
    python = sys.executable
    script = Path(python).with_name("ocspkit")
    openssl = shutil.which("openssl")
    found = [
        Side("openssl ocsp", (openssl, "ocsp") if openssl else (), None if openssl else "no openssl on PATH"),
        Side("ocspkit", (str(script),), None if script.exists() else f"no console script at {script} "
             "(pip install -e .)"),
        Side("python -m ocspkit", (python, "-m", "ocspkit")),
    ]
    return found


def make_inputs(directory: Path, openssl: Optional[Side]) -> None:
    """A good response with its certificates (ocspkit.testing), and a request openssl wrote."""
    sys.path.insert(0, str(REPO_ROOT))
    from ocspkit.testing import make_scenario

    scenario = make_scenario("good")
    scenario.write(directory)
    command = ("-issuer", "issuer.pem", "-cert", "cert.pem", "-reqout", "request.der", "-no_nonce")
    if openssl is not None and openssl.available is None:
        subprocess.run((*openssl.argv, *command), cwd=directory, check=True, capture_output=True)
    else:  # the same request, from ocspkit
        subprocess.run((sys.executable, "-m", "ocspkit", *command), cwd=directory, env=ENV, check=True,
                       capture_output=True)


# The environment of every command: set by main(). By default Python may cache bytecode, in a
# directory of the temporary one (PYTHONPYCACHEPREFIX), whatever PYTHONDONTWRITEBYTECODE says: an
# installed package has its .pyc files (pip compiles them), and compiling ocspkit's sources on
# every run would measure the compiler.
ENV: Dict[str, str] = dict(os.environ)


def run_once(argv: Sequence[str], cwd: Path) -> Tuple[float, subprocess.CompletedProcess[bytes]]:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=ENV, stdin=subprocess.DEVNULL, capture_output=True)
    return time.perf_counter() - start, done


def check(case: Case, results: Dict[str, Tuple[subprocess.CompletedProcess[bytes], Optional[bytes]]]) -> List[str]:
    """Every side exits 0 and prints (or writes) what openssl prints (or writes)."""
    problems = []
    reference = results.get("openssl ocsp")
    for name, (done, written) in results.items():
        if done.returncode != 0:
            problems.append(f"{name} exited {done.returncode}: {done.stderr.decode(errors='replace').strip()[:200]}")
        elif reference is not None and name != "openssl ocsp":
            if done.stdout != reference[0].stdout:
                problems.append(f"{name}: stdout differs from openssl's")
            if written != reference[1]:
                problems.append(f"{name}: {case.output} differs from openssl's")
    return problems


def importtime(side: Side, case: Case, cwd: Path, top: int = 8) -> List[str]:
    """The slowest imports (cumulative) of one run of ``case``, from ``python -X importtime``."""
    if side.name == "openssl ocsp":
        return []
    argv = (sys.executable, "-X", "importtime", "-m", "ocspkit", *case.args)
    done = subprocess.run(argv, cwd=cwd, env=ENV, stdin=subprocess.DEVNULL, capture_output=True)
    rows = []
    for line in done.stderr.decode(errors="replace").splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line[len("import time:"):].split("|", 2)
            if cumulative.strip().isdigit():
                rows.append((int(cumulative), name.rstrip()))
    rows.sort(reverse=True)
    return [f"        {us / 1000:7.1f} ms  {name.strip()}" for us, name in rows[:top]]


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, help=f"runs of each command (default {DEFAULT_RUNS}; --quick {QUICK_RUNS})")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_RUNS} runs of each command")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    parser.add_argument("--importtime", action="store_true", help="list the slowest imports of each ocspkit command")
    parser.add_argument("--no-pyc-cache", action="store_true",
                        help="run the commands in this environment as it is (with PYTHONDONTWRITEBYTECODE=1, "
                        "every run compiles ocspkit's sources that have no .pyc)")
    ns = parser.parse_args(argv)
    runs = ns.runs or (QUICK_RUNS if ns.quick else DEFAULT_RUNS)
    out = print

    everyone = sides()
    openssl = everyone[0]
    runnable = [side for side in everyone if side.available is None]
    version = subprocess.run((*openssl.argv[:1], "version"), capture_output=True, text=True).stdout.strip() \
        if openssl.available is None else "n/a"
    environment = {
        "python": f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "openssl": version,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "runs": runs,
        "bytecode": "as the environment says" if ns.no_pyc_cache else "cached (PYTHONPYCACHEPREFIX in the temporary "
        "directory)",
    }
    out("ocspkit command line vs openssl ocsp: wall time per invocation (subprocess)")
    for key, value in environment.items():
        out(f"  {key:<14}{value}")
    for side in everyone:
        if side.available is not None:
            out(f"  unavailable   {side.name}: {side.available}")
    out()

    results: List[Dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="ocspkit-cli-bench-") as tmp:
        cwd = Path(tmp)
        if not ns.no_pyc_cache:
            ENV.pop("PYTHONDONTWRITEBYTECODE", None)
            ENV["PYTHONPYCACHEPREFIX"] = str(cwd / "pycache")
        make_inputs(cwd, openssl)
        # For information: what any Python command pays before it imports anything of its own.
        baseline = Case("python-startup", "python -c pass (information)", (), target=False)
        startup = Timing()
        for _ in range(runs):
            startup.samples.append(run_once((sys.executable, "-c", "pass"), cwd)[0])
        for case in CASES:
            timings = {side.name: Timing() for side in runnable}
            last: Dict[str, Tuple[subprocess.CompletedProcess[bytes], Optional[bytes]]] = {}
            for side in runnable:  # warmup (page cache, .pyc files) and the output check
                run_once((*side.argv, *case.args), cwd)
                done = run_once((*side.argv, *case.args), cwd)[1]
                written = (cwd / case.output).read_bytes() if case.output and (cwd / case.output).exists() else None
                if case.output:
                    (cwd / case.output).unlink(missing_ok=True)
                last[side.name] = (done, written)
            problems = check(case, last)
            for index in range(runs):
                order = runnable[index % len(runnable):] + runnable[:index % len(runnable)]
                for side in order:
                    timings[side.name].samples.append(run_once((*side.argv, *case.args), cwd)[0])
            reference = timings.get("openssl ocsp")
            out(f"[{case.key}] {case.title}")
            out(f"    {'command':<20}{'best':>10}{'median':>10}   ratio to openssl (best / median)")
            entry: Dict[str, Any] = {"case": case.key, "args": list(case.args), "sides": {}, "problems": problems}
            worst: Optional[float] = None
            for side in runnable:
                timing = timings[side.name]
                ratio = ""
                if reference is not None and side.name != "openssl ocsp":
                    best_ratio = timing.best / reference.best
                    ratio = f"{best_ratio:.2f}x / {timing.median / reference.median:.2f}x"
                    worst = best_ratio if worst is None else max(worst, best_ratio)
                out(f"    {side.name:<20}{fmt_ms(timing.best):>10}{fmt_ms(timing.median):>10}   {ratio}")
                entry["sides"][side.name] = {"best_s": timing.best, "median_s": timing.median,
                                             "samples_s": timing.samples}
            met = None if worst is None else worst <= TARGET
            entry["worst_ratio"], entry["met"] = worst, met
            verdict = {True: "MET", False: "NOT MET", None: "n/a"}[met]
            shown = "n/a" if worst is None else f"{worst:.2f}x"
            out(f"    target: ocspkit <= {TARGET:g}x openssl ocsp (best, slower of the two ways) -> {shown}  {verdict}")
            if reference is not None:
                floor = startup.best / reference.best
                entry["python_startup_ratio"] = floor
                out(f"    floor: 'python -c pass' alone takes {floor:.2f}x openssl ocsp's time here")
            for problem in problems:
                out(f"    output check: {problem}")
            if ns.importtime:
                out("    slowest imports of python -m ocspkit (cumulative, -X importtime inflates them):")
                for line in importtime(runnable[-1], case, cwd):
                    out(line)
            out()
            results.append(entry)
        out(f"[{baseline.key}] {baseline.title}")
        out(f"    {'python':<20}{fmt_ms(startup.best):>10}{fmt_ms(startup.median):>10}")
        out()

    out("Summary (best of each; target: ocspkit <= 5x openssl ocsp, issue 15 2.4)")
    for entry in results:
        verdict = {True: "MET", False: "NOT MET", None: "n/a"}[entry["met"]]
        shown = "n/a" if entry["worst_ratio"] is None else f"{entry['worst_ratio']:.2f}x"
        out(f"    {entry['case']:<16}{shown:>8}  {verdict}")
    if ns.json:
        Path(ns.json).write_text(json.dumps({
            "environment": environment, "target": TARGET, "results": results,
            "python_startup": {"best_s": startup.best, "median_s": startup.median, "samples_s": startup.samples},
        }, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
