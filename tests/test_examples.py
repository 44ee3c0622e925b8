"""Every script in examples/ runs and exits 0 (documentation that runs), in a virtual environment
holding exactly the requirements it states, so a missing one cannot hide behind the test suite's
own environment (examples/fastapi_responder.py once needed httpx without saying so).

The environments are made once per distinct set of requirements, with the pinned versions of
constraints.txt; the pip installs use the same package index as README's commands.
"""

from __future__ import annotations

import ast
import os
import subprocess
import venv
from pathlib import Path
from typing import Callable, Dict, Tuple

import pytest
from conftest import ROOT, vectors_dir

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.py") if not p.name.startswith("_"))
Requirements = Tuple[str, ...]


def stated_requirements(script: Path) -> Requirements:
    """The example's ``REQUIRES = (...)``, read without running it."""
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["REQUIRES"]:
            value = ast.literal_eval(node.value)
            assert isinstance(value, tuple) and all(isinstance(r, str) for r in value)
            return value
    raise AssertionError(f"{script.name} states no REQUIRES")


def _pip_argument(requirement: str) -> str:
    """ocspkit itself comes from this checkout (editable), with its extras; the rest from the index."""
    if requirement == "ocspkit" or requirement.startswith("ocspkit["):
        return f"{ROOT}{requirement[len('ocspkit'):]}"
    return requirement


@pytest.fixture(scope="session")
def environment(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Requirements], Path]:
    """The python of a fresh virtual environment with exactly ``requirements`` installed."""
    made: Dict[Requirements, Path] = {}

    def make(requirements: Requirements) -> Path:
        key = tuple(sorted(requirements))
        if key not in made:
            directory = tmp_path_factory.mktemp("venv")
            venv.EnvBuilder(with_pip=True).create(directory)
            python = directory / "bin" / "python"
            editable = [a for r in key for a in ("-e", _pip_argument(r)) if r.startswith("ocspkit")]
            others = [_pip_argument(r) for r in key if not r.startswith("ocspkit")]
            subprocess.run(
                [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-c",
                 str(ROOT / "constraints.txt"), *editable, *others],
                check=True, capture_output=True, timeout=600,
            )
            made[key] = python
        return made[key]

    return make


def run_example(python: Path, script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["OCSPKIT_VECTORS"] = str(vectors_dir())
    return subprocess.run([str(python), str(script), *args], capture_output=True, text=True, timeout=180,
                          check=False, env=env, cwd=str(script.parent))


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs_with_exactly_its_requirements(
    script: Path, environment: Callable[[Requirements], Path]
) -> None:
    result = run_example(environment(stated_requirements(script)), script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_a_missing_requirement_is_named(environment: Callable[[Requirements], Path]) -> None:
    """An example checks its requirements first: run where one is missing, it says which and how
    to install it, instead of a ModuleNotFoundError traceback."""
    script = ROOT / "examples" / "fastapi_responder.py"
    assert "fastapi" in stated_requirements(script) and "httpx" in stated_requirements(script)
    result = run_example(environment(("ocspkit",)), script)
    assert result.returncode == 2
    assert result.stderr == "this example needs fastapi, httpx, which are not installed: " \
                            "pip install ocspkit fastapi httpx\n"
    assert "Traceback" not in result.stderr


# Example projects: a directory with its own pytest.ini is a test suite of someone else's,
# written with ocspkit's pytest plugin, which it opts in to in its pytest.ini; it runs in its own
# directory (its own rootdir, so ocspkit's addopts do not apply), in an environment
# made from its requirements.txt, and must pass.
PROJECTS = sorted(p.parent for p in (ROOT / "examples").glob("*/pytest.ini"))


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_example_project_passes(project: Path, environment: Callable[[Requirements], Path]) -> None:
    lines = (project / "requirements.txt").read_text(encoding="utf-8").split()
    python = environment(tuple(lines))
    # Not PYTEST_ADDOPTS either: CI's --cov options are for ocspkit's suite (no pytest-cov here).
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTEST_ADDOPTS")}
    result = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-W", "error", "-p", "no:cacheprovider"],
        cwd=str(project), capture_output=True, text=True, timeout=300, check=False, env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "failed" not in result.stdout

