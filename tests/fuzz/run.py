"""Fuzz ocspkit: ``python tests/fuzz/run.py --inputs N | --seconds S [--seed SEED] [--jobs J] [--out DIR]``,
or re-run every target on one saved input: ``python tests/fuzz/run.py --replay FILE``.

See tests/fuzz/README.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

_TESTS = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)  # the package's own directory: its modules are imported as fuzz.*
if str(_TESTS) not in sys.path:
    sys.path.insert(0, str(_TESTS))

from fuzz import corpus as corpus_mod  # noqa: E402
from fuzz import engine  # noqa: E402
from fuzz.oracles import SignedParts  # noqa: E402
from fuzz.targets import Runner  # noqa: E402


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tests/fuzz/run.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--inputs", type=int, metavar="N", help="how many inputs to try (over all jobs)")
    what.add_argument("--seconds", type=float, metavar="S", help="fuzz for S seconds")
    what.add_argument("--replay", nargs="+", metavar="FILE", help="run every target on saved input(s)")
    p.add_argument("--seed", type=int, help="master seed (default: a random one, printed)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--out", type=Path, help="where failing inputs go (default: a new temporary directory)")
    p.add_argument("--max-per-group", type=int, default=20, help="reproducers kept per finding group and worker")
    p.add_argument("--timeout", type=float, default=5.0, help="time limit per target call, seconds (default 5)")
    p.add_argument("--slow", type=float, default=1.0, help="a call slower than this is slow (default 1 s)")
    p.add_argument("--show-rate", type=float, default=0.05,
                   help="share of unparsable inputs also given to 'ocspkit show' (default 0.05)")
    p.add_argument("--resign-rate", type=float, default=0.3,
                   help="share of inputs from items with a known key whose tbs is mutated and signed again")
    p.add_argument("--cache", type=Path, help="the generated corpus cache (default ~/.cache/ocspkit-fuzz/...)")
    p.add_argument("--rebuild-corpus", action="store_true", help="generate the TestPKI part of the corpus again")
    p.add_argument("--quiet", action="store_true", help="no per-target table")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    if args.replay:
        return replay(args.replay, args)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    print(f"ocspkit fuzz: seed {seed} (reproduce with --seed {seed} --jobs {args.jobs})", flush=True)
    start = time.perf_counter()
    corpus = corpus_mod.build_corpus(args.cache, rebuild=args.rebuild_corpus)
    oracle = corpus.oracle()
    print(f"corpus: {len(corpus.items)} items ({corpus_mod.describe(corpus)}), {len(corpus.donors)} splice donors, "
          f"{len(corpus.certs)} certificates, {len(oracle.references)} proven signed messages "
          f"[{time.perf_counter() - start:.1f} s]", flush=True)
    out = args.out or Path(tempfile.mkdtemp(prefix="ocspkit-fuzz-findings-"))
    out.mkdir(parents=True, exist_ok=True)
    options = engine.Options(timeout=args.timeout, slow=args.slow, show_rate=args.show_rate,
                             max_per_group=args.max_per_group, resign_rate=args.resign_rate)
    results, wall = engine.run(corpus, oracle, seed=seed, jobs=max(1, args.jobs), inputs=args.inputs,
                               seconds=args.seconds, out=out, options=options)
    return engine.report(results, wall, out, seed=seed, verbose=not args.quiet)


def replay(files: List[str], args: argparse.Namespace) -> int:
    """Every target on each file, verbosely: tracebacks of foreign exceptions, slow calls,
    tampering reasons. The origin's verification settings come from the file's .json sidecar."""
    warnings.simplefilter("ignore")
    corpus = corpus_mod.build_corpus(args.cache)
    oracle = corpus.oracle()
    status = 0
    for name in files:
        path = Path(name)
        data = path.read_bytes()
        sidecar = path.with_suffix(".json")
        origin = corpus_mod.Item("(no sidecar: no trust anchors)", "response", b"")
        signed: List[Tuple[str, SignedParts]] = []
        if sidecar.is_file():
            info = json.loads(sidecar.read_text(encoding="utf-8"))
            origin = corpus_mod.Item.from_json(info["origin"])
            signed = engine.signed_from_json(info.get("harness_signed", []))
            print(f"== {path} ({len(data)} bytes), mutated from {origin.name} by {', '.join(info.get('ops', []))}")
        else:
            print(f"== {path} ({len(data)} bytes)")
        with tempfile.TemporaryDirectory(prefix="ocspkit-fuzz-replay-") as workdir:
            runner = Runner([origin], oracle, Path(workdir), timeout=args.timeout, slow=args.slow)
            findings = runner.run_input(data, 0, everything=True, signed=signed)
        for target, stats in runner.stats.items():
            verdict = "ok" if stats.ok else "OCSPError" if stats.ocsp_errors else "FAILED"
            print(f"  {target:34s} {verdict}")
        for finding in findings:
            status = 1
            print(f"\n-- {finding.category}: {finding.group} (target {finding.target})")
            print(f"   {finding.exc_type}: {finding.message}")
            if finding.traceback:
                print(finding.traceback.rstrip())
        if not findings:
            print("  no finding: every target returned or raised an OCSPError in time")
    return status


if __name__ == "__main__":
    sys.exit(main())
