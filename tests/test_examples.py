"""Every script in examples/ runs and exits 0 (documentation that runs)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(script: object) -> None:
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


# Example projects: a directory with its own pytest.ini is a test suite of someone else's,
# written with ocspkit's pytest plugin; it runs in its own directory (its own rootdir, so
# ocspkit's addopts, which turn the plugin off for this suite, do not apply) and must pass.
PROJECTS = sorted(p.parent for p in (ROOT / "examples").glob("*/pytest.ini"))


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_example_project_passes(project: object) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-W", "error", "-p", "no:cacheprovider"],
        cwd=str(project), capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "failed" not in result.stdout
