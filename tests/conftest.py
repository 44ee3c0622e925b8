"""Shared fixtures: where the vectors live, MANIFEST.json, and the Hypothesis profiles.

The vectors are never copied into this repository: they are read from ``../shared/vectors``
(beside the checkout) or from ``$OCSPKIT_VECTORS``. A missing directory fails the tests that need
it (it is not skipped: a skipped test would hide a feature nobody checked).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, List

import _openssl_cli
import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent


def vectors_dir() -> Path:
    """The vectors directory: $OCSPKIT_VECTORS, else ../shared/vectors beside the checkout."""
    env = os.environ.get("OCSPKIT_VECTORS")
    return Path(env) if env else ROOT.parent / "shared" / "vectors"


def load_manifest() -> List[Dict[str, Any]]:
    path = vectors_dir() / "MANIFEST.json"
    if not path.is_file():
        raise RuntimeError(
            f"test vectors not found at {path}: set OCSPKIT_VECTORS or place shared/vectors beside the checkout"
        )
    with path.open(encoding="utf-8") as fh:
        return list(json.load(fh))


MANIFEST = load_manifest()


# Hypothesis profiles, chosen by $HYPOTHESIS_PROFILE (or pytest's --hypothesis-profile):
# "thorough" runs every property with the number of examples its test states (.ci/run sets it),
# "quick", the default for a local run, a tenth of that number (at least 10).
_EXAMPLES_SCALE = {"quick": 0.1, "thorough": 1.0}
settings.register_profile("quick", deadline=None)
settings.register_profile("thorough", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


def examples(thorough: int) -> int:
    """``max_examples`` for a property whose thorough count is ``thorough``, in the loaded profile
    (read when the test module is collected; a profile other than these two runs the full count)."""
    scale = _EXAMPLES_SCALE.get(settings.get_current_profile_name(), 1.0)
    return max(10, round(thorough * scale)) if scale < 1 else thorough


def manifest_entries(*kinds: str) -> List[Dict[str, Any]]:
    """MANIFEST entries of the given kinds, for parametrize (ids are the file paths)."""
    return [e for e in MANIFEST if e["kind"] in kinds]


def read_vector(name: str) -> bytes:
    """The bytes of one vector file, by its MANIFEST ``file`` path."""
    return (vectors_dir() / name).read_bytes()


@pytest.fixture(scope="session")
def openssl_bin() -> str:
    """Path of the openssl CLI (the reference oracle, see _openssl_cli.py), recent enough for the
    tests; .ci/run installs it when absent."""
    return _openssl_cli.require()


@pytest.fixture(scope="module")
def pki() -> Any:
    """A fresh ocspkit.testing.TestPKI per test module (root, intermediate, responder, leaves)."""
    from ocspkit.testing import TestPKI

    return TestPKI()


def libcrypto_cdll(purpose: str) -> ctypes.CDLL:
    """The system libcrypto (the one oscrypto uses), for tests that call OpenSSL's C functions.

    Only on Linux: elsewhere the unversioned libcrypto may be another library (macOS aborts the
    process when one loads its LibreSSL stub); the command-line tests run everywhere.
    """
    if not sys.platform.startswith("linux"):
        pytest.skip(f"the ctypes {purpose} oracle is set up for Linux only")
    name = ctypes.util.find_library("crypto")
    if name is None:
        raise RuntimeError("libcrypto not found; oscrypto needs it, so this should not happen")
    return ctypes.CDLL(name)
