"""What an example needs, checked before it imports it: a missing package is named, with its pip command.

Each example lists its pip requirements in ``REQUIRES`` and calls :func:`check_requirements`
first; tests/test_examples.py runs every example in a virtual environment holding exactly those
requirements (and what they depend on), so the list cannot fall behind the code.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import sys
from typing import Sequence, Tuple

# The modules an extra of ocspkit brings (pyproject.toml's [project.optional-dependencies]).
_EXTRA_MODULES = {"server": ("uvicorn", "httptools")}


def modules_of(requirement: str) -> Tuple[str, ...]:
    """The importable modules a pip requirement provides: ``httpx`` -> httpx,
    ``ocspkit[server]`` -> ocspkit, uvicorn, httptools."""
    match = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[([a-z,]+)\])?", requirement)
    if match is None:
        raise ValueError(f"not a requirement this checker reads: {requirement!r}")
    modules = [match.group(1).replace("-", "_").lower()]
    for extra in (match.group(2) or "").split(","):
        modules.extend(_EXTRA_MODULES.get(extra, ()))
    return tuple(modules)


def check_requirements(requirements: Sequence[str], what: str = "this example") -> None:
    """Exit with status 2 and one line naming what to install when a requirement is missing."""
    missing = [r for r in requirements if any(importlib.util.find_spec(m) is None for m in modules_of(r))]
    if missing:
        command = "pip install " + " ".join(shlex.quote(r) for r in requirements)
        sys.stderr.write(f"{what} needs {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} "
                         f"not installed: {command}\n")
        raise SystemExit(2)
