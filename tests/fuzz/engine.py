"""The fuzzing loop (one per worker process), the reproducer files, and the summary."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import multiprocessing
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .corpus import Corpus
from .mutators import Mutator, resign
from .oracles import SignedParts, TamperOracle
from .targets import Finding, Runner, TargetStats


@dataclasses.dataclass
class Options:
    timeout: float = 5.0
    slow: float = 1.0
    show_rate: float = 0.05
    max_per_group: int = 20
    progress: float = 15.0
    #: Share of the inputs from an item with a known signer key whose signed part is mutated
    #: and signed again (:func:`fuzz.mutators.resign`).
    resign_rate: float = 0.3


@dataclasses.dataclass
class Group:
    group: str
    category: str
    count: int
    example: Finding
    files: List[str]
    targets: Dict[str, int]


@dataclasses.dataclass
class WorkerResult:
    worker: int
    inputs: int
    seconds: float
    loaded_responses: int
    loaded_requests: int
    verified: int
    unreadable: int
    groups: Dict[str, Group]
    stats: Dict[str, TargetStats]


def worker_rng(seed: int, worker: int) -> random.Random:
    """The random source of worker ``worker`` in a run with master seed ``seed``."""
    return random.Random(f"ocspkit-fuzz/{seed}/{worker}")


def input_name(data: bytes, findings: Sequence[Finding]) -> str:
    first = findings[0]
    return f"{first.category}-{group_id(first.group)}-{hashlib.sha256(data).hexdigest()[:12]}"


def group_id(group: str) -> str:
    return hashlib.sha1(group.encode("utf-8", "replace")).hexdigest()[:8]


def save_reproducer(out: Path, data: bytes, findings: Sequence[Finding], info: Dict[str, Any]) -> Path:
    """``NAME.bin`` (the input) and ``NAME.json`` (how it was made, what failed)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / (input_name(data, findings) + ".bin")
    path.write_bytes(data)
    sidecar = {**info, "findings": [f.to_json() for f in findings]}
    path.with_suffix(".json").write_text(json.dumps(sidecar, indent=1), encoding="utf-8")
    return path


class Signer:
    """Signs the harness's mutants with the generated items' keys (loaded once each)."""

    def __init__(self) -> None:
        self._keys: Dict[bytes, Any] = {}

    def __call__(self, key_der: bytes, tbs: bytes, algorithm_der: bytes) -> bytes:
        from asn1crypto import algos

        from ocspkit import crypto

        if key_der not in self._keys:
            self._keys[key_der] = crypto.load_private_key(key_der)
        signature: bytes = crypto.sign(self._keys[key_der], tbs, algos.SignedDigestAlgorithm.load(algorithm_der))
        return signature


def signed_to_json(signed: Sequence[Tuple[str, SignedParts]]) -> List[Dict[str, str]]:
    return [{"kind": kind, "tbs": p.tbs.hex(), "algorithm": p.algorithm.hex(), "signature": p.signature.hex()}
            for kind, p in signed]


def signed_from_json(values: Sequence[Dict[str, str]]) -> List[Tuple[str, SignedParts]]:
    return [(v["kind"], SignedParts(bytes.fromhex(v["tbs"]), bytes.fromhex(v["algorithm"]), 0,
                                    bytes.fromhex(v["signature"]))) for v in values]


# The corpus and oracle, set by the parent before forking (workers inherit them).
_SHARED: Dict[str, Any] = {}


def share(corpus: Corpus, oracle: TamperOracle) -> None:
    _SHARED["corpus"], _SHARED["oracle"] = corpus, oracle


def fuzz_worker(worker: int, seed: int, inputs: Optional[int], seconds: Optional[float], out: str,
                options: Options) -> WorkerResult:
    """Fuzz ``inputs`` inputs (or for ``seconds``) with the worker's own random source, in a
    scratch directory of its own that is removed when it returns."""
    with tempfile.TemporaryDirectory(prefix=f"ocspkit-fuzz-w{worker}-") as scratch:
        return _fuzz(worker, seed, inputs, seconds, out, options, Path(scratch))


def _fuzz(worker: int, seed: int, inputs: Optional[int], seconds: Optional[float], out: str,
          options: Options, workdir: Path) -> WorkerResult:
    warnings.simplefilter("ignore")
    corpus: Corpus = _SHARED["corpus"]
    oracle: TamperOracle = _SHARED["oracle"]
    out_dir = Path(out)
    runner = Runner(corpus.items, oracle, workdir, timeout=options.timeout, slow=options.slow,
                    show_rate=options.show_rate)
    mutator = Mutator(corpus.donors)
    signer = Signer()
    rng = worker_rng(seed, worker)
    groups: Dict[str, Group] = {}
    start = time.perf_counter()
    deadline = None if seconds is None else start + seconds
    next_report = start + options.progress
    done = loaded_responses = loaded_requests = 0
    while (inputs is None or done < inputs) and (deadline is None or time.perf_counter() < deadline):
        input_seed = rng.getrandbits(64)
        local = random.Random(input_seed)
        origin = local.randrange(len(corpus.items))
        item = corpus.items[origin]
        signed: List[Tuple[str, SignedParts]] = []
        made = None
        if item.key and local.random() < options.resign_rate:
            try:
                made = resign(item.data, item.kind, local, mutator, functools.partial(signer, item.key))
            except Exception as exc:  # the harness's own signing failed: say so, fuzz on
                print(f"[worker {worker}] cannot sign a mutant of {item.name}: {exc!r}", file=sys.stderr)
        if made is not None:
            data, ops, parts = made
            signed = [(item.kind, parts)]
        else:
            data, ops = mutator.mutate(item.data, local)
        findings = runner.run_input(data, origin, local, signed=signed)
        loaded_responses += runner.loaded == "response"
        loaded_requests += runner.loaded == "request"
        if findings:
            save = False
            for finding in findings:
                group = groups.get(finding.group)
                if group is None:
                    group = groups[finding.group] = Group(finding.group, finding.category, 0, finding, [], {})
                group.count += 1
                group.targets[finding.target] = group.targets.get(finding.target, 0) + 1
                save = save or len(group.files) < options.max_per_group
            if save:
                info = {
                    "seed": seed, "worker": worker, "input_index": done, "input_seed": input_seed,
                    "origin": item.to_json(), "ops": ops, "harness_signed": signed_to_json(signed),
                }
                path = str(save_reproducer(out_dir, data, findings, info))
                for finding in findings:
                    files = groups[finding.group].files
                    if path not in files and len(files) < options.max_per_group:
                        files.append(path)
        done += 1
        now = time.perf_counter()
        if now >= next_report:
            next_report = now + options.progress
            count = sum(g.count for g in groups.values())
            print(f"[worker {worker}] {done} inputs, {done / (now - start):.0f}/s, {count} findings in "
                  f"{len(groups)} groups", file=sys.stderr, flush=True)
    return WorkerResult(worker, done, time.perf_counter() - start, loaded_responses, loaded_requests,
                        runner.verified, oracle.unreadable, groups, runner.stats)


def run(corpus: Corpus, oracle: TamperOracle, *, seed: int, jobs: int, inputs: Optional[int],
        seconds: Optional[float], out: Path, options: Options) -> Tuple[List[WorkerResult], float]:
    """All workers; returns their results and the wall time."""
    share(corpus, oracle)
    # Import every target module now, so all workers run the same code (colleagues edit the tree).
    import ocspkit.cli
    import ocspkit.lint
    import ocspkit.text  # noqa: F401
    plan: List[Tuple[int, int, Optional[int], Optional[float], str, Options]] = []
    for worker in range(jobs):
        count = None if inputs is None else inputs // jobs + (1 if worker < inputs % jobs else 0)
        plan.append((worker, seed, count, seconds, str(out), options))
    start = time.perf_counter()
    if jobs == 1:
        results = [fuzz_worker(*plan[0])]
    else:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs) as pool:
            results = pool.starmap(fuzz_worker, plan)
    return results, time.perf_counter() - start


def merge(results: Sequence[WorkerResult]) -> Tuple[Dict[str, Group], Dict[str, TargetStats]]:
    groups: Dict[str, Group] = {}
    stats: Dict[str, TargetStats] = {}
    for result in results:
        for key, group in result.groups.items():
            mine = groups.get(key)
            if mine is None:
                groups[key] = dataclasses.replace(group, files=list(group.files), targets=dict(group.targets))
                continue
            mine.count += group.count
            mine.files += group.files
            for target, n in group.targets.items():
                mine.targets[target] = mine.targets.get(target, 0) + n
        for name, s in result.stats.items():
            total = stats.setdefault(name, TargetStats())
            total.calls += s.calls
            total.ok += s.ok
            total.ocsp_errors += s.ocsp_errors
            total.seconds += s.seconds
    return groups, stats


def report(results: Sequence[WorkerResult], wall: float, out: Path, *, seed: int, verbose: bool = True) -> int:
    """Print the summary; returns the exit status (1 when anything was found)."""
    groups, stats = merge(results)
    inputs = sum(r.inputs for r in results)
    verified = sum(r.verified for r in results)
    loaded_r = sum(r.loaded_responses for r in results)
    loaded_q = sum(r.loaded_requests for r in results)
    print(f"\n=== ocspkit fuzz summary (seed {seed}, {len(results)} job(s)) ===")
    print(f"inputs tried: {inputs} in {wall:.1f} s = {inputs / max(wall, 1e-9):.0f} inputs/s "
          f"({', '.join(f'worker {r.worker}: {r.inputs / max(r.seconds, 1e-9):.0f}/s' for r in results)})")
    print(f"loaded: {loaded_r} as responses ({100 * loaded_r / max(inputs, 1):.0f}%), {loaded_q} as requests; "
          f"{verified} mutated messages verified (and were judged by the tampering oracle)")
    if verbose:
        print("per target: calls, ok, OCSPError, mean ms")
        for name, s in stats.items():
            print(f"  {name:34s} {s.calls:8d} {s.ok:8d} {s.ocsp_errors:8d} {1000 * s.seconds / max(s.calls, 1):8.2f}")
    exit_status = 0
    titles = (("foreign", "foreign exceptions"), ("slow", "slow inputs"), ("tampered", "tampered verified"),
              ("harness", "harness errors"))
    for category, title in titles:
        mine = sorted((g for g in groups.values() if g.category == category), key=lambda g: -g.count)
        total = sum(g.count for g in mine)
        print(f"{title}: {total}" + (f" in {len(mine)} group(s)" if mine else ""))
        if mine:
            exit_status = 1
        for group in mine:
            example = group.example
            targets = ", ".join(f"{t} x{n}" for t, n in sorted(group.targets.items(), key=lambda kv: -kv[1]))
            print(f"  [{group.count}] {group.group}")
            print(f"      e.g. {example.exc_type}: {example.message}")
            print(f"      targets: {targets}")
            if group.files:
                print(f"      reproducer: {group.files[0]}" + (f" (+{len(group.files) - 1} more)"
                                                             if len(group.files) > 1 else ""))
    print(f"reproducers in {out} (replay one: python tests/fuzz/run.py --replay FILE)")
    return exit_status
