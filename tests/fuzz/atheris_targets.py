"""Coverage-guided fuzzing with atheris (libFuzzer for Python), for those who have it.

    pip install atheris          # needs a clang with libFuzzer; not a dependency of ocspkit
    python tests/fuzz/atheris_targets.py --write-seeds /tmp/ocsp-seeds   # the corpus as files
    python tests/fuzz/atheris_targets.py /tmp/ocsp-seeds -max_len=65536 -timeout=5

Every input goes through the same targets and oracles as ``run.py`` (:class:`fuzz.targets.Runner`);
a foreign exception, a slow call or a tampered message that verifies becomes an uncaught
``FuzzFinding``, which libFuzzer reports as a crash and saves (``crash-<sha1>``); replay it with
``python tests/fuzz/run.py --replay crash-<sha1>``. Without atheris, :func:`main` says how to
install it and exits 0.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any, List, Optional, Sequence

_TESTS = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)
if str(_TESTS) not in sys.path:
    sys.path.insert(0, str(_TESTS))

INSTALL = (
    "atheris is not installed, so there is nothing to run.\n"
    "  pip install atheris     (Linux or macOS, needs clang with libFuzzer; see https://github.com/google/atheris)\n"
    "then: python tests/fuzz/atheris_targets.py --write-seeds DIR && python tests/fuzz/atheris_targets.py DIR\n"
    "The dependency-free harness needs nothing: python tests/fuzz/run.py --inputs 20000 --jobs 2"
)


class FuzzFinding(Exception):
    """Raised out of :func:`test_one_input` so that libFuzzer records the input."""


_STATE: dict = {}  # type: ignore[type-arg]


def setup() -> None:
    """Build the corpus, the tampering oracle and a runner whose origin trusts every corpus
    certificate (libFuzzer's inputs come from no particular corpus item)."""
    from fuzz import corpus as corpus_mod
    from fuzz.targets import Runner
    from ocspkit import VerifyFlags

    warnings.simplefilter("ignore")
    corpus = corpus_mod.build_corpus()
    certs = tuple(corpus.certs)
    origin = corpus_mod.Item("atheris", "response", b"", trusted=certs, untrusted=certs,
                             flags=int(VerifyFlags.PARTIAL_CHAIN))
    workdir = Path(tempfile.mkdtemp(prefix="ocspkit-atheris-"))
    _STATE["corpus"] = corpus
    _STATE["runner"] = Runner([origin], corpus.oracle(), workdir)


def test_one_input(data: bytes) -> None:
    """The libFuzzer entry point: every target on ``data``; a finding raises FuzzFinding."""
    runner = _STATE["runner"]
    findings = runner.run_input(bytes(data), 0, everything=True)
    if findings:
        first = findings[0]
        raise FuzzFinding(f"{first.category}: {first.group} (target {first.target})\n{first.traceback}")


def write_seeds(directory: Path) -> int:
    from fuzz import corpus as corpus_mod

    corpus = corpus_mod.build_corpus()
    directory.mkdir(parents=True, exist_ok=True)
    for index, data in enumerate(corpus.donors):
        (directory / f"seed-{index:04d}.der").write_bytes(data)
    print(f"wrote {len(corpus.donors)} seeds to {directory}")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    args: List[str] = list(sys.argv if argv is None else [sys.argv[0], *argv])
    if len(args) == 3 and args[1] == "--write-seeds":
        return write_seeds(Path(args[2]))
    try:
        atheris_module: Any = importlib.import_module("atheris")
    except ImportError:
        print(INSTALL)
        return 0
    with atheris_module.instrument_imports(include=["ocspkit"]):
        import ocspkit
        import ocspkit.cli
        import ocspkit.lint
        import ocspkit.text  # noqa: F401
    setup()
    atheris_module.Setup(args, test_one_input)
    atheris_module.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main())
