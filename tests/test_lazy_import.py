"""What ``import ocspkit`` and each command line import (issue 15, 2.4).

The package resolves its flat API on first use (PEP 562), and the command line imports what a
command needs when it needs it, so that printing a message or building a request does not pay for
HTTP, TLS, verification, lint or the responder. Nothing here is timed (benchmarks/cli_bench.py
measures): each check runs in a fresh interpreter and looks at ``sys.modules``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import pytest
from conftest import ROOT

import ocspkit

# Modules no printing or request-building command may import.
HEAVY = ("ocspkit.http", "ocspkit.lint", "ocspkit.responder", "ocspkit.verify", "ssl", "http.client",
         "urllib.request", "socketserver", "sqlite3", "secrets", "oscrypto")


def loaded_after(code: str, cwd: Path = ROOT, watch: Sequence[str] = HEAVY) -> Dict[str, bool]:
    """Run ``code`` in a fresh interpreter; which of ``watch`` (and their submodules) it imported."""
    probe = textwrap.dedent(code) + textwrap.dedent(f"""
        import json as _json, sys as _sys
        _watch = {list(watch)!r}
        _sys.__stdout__.write(_json.dumps({{name: any(m == name or m.startswith(name + ".") for m in _sys.modules)
                                           for name in _watch}}))
    """)
    done = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result: Dict[str, bool] = json.loads(done.stdout.splitlines()[-1])
    return result


def run_main(args: Sequence[str], expect: int = 0) -> str:
    """Code that runs ``ocspkit.cli.main(args)`` with its output discarded and checks the status."""
    return f"""
        import io, sys
        from ocspkit.cli import main
        out, sys.stdout = sys.stdout, io.StringIO()
        status = main({list(args)!r})
        sys.stdout = out
        assert status == {expect}, status
    """


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good response with its certificates, and a request for the same certificate."""
    from ocspkit.request import RequestBuilder
    from ocspkit.testing import TestPKI, make_scenario

    directory = tmp_path_factory.mktemp("lazy")
    scenario = make_scenario("good", TestPKI("ec"))
    scenario.write(directory)
    request = RequestBuilder().add_cert(scenario.cert.certificate, scenario.issuer.certificate).build()
    (directory / "request.der").write_bytes(request.dump())
    return directory


# ------------------------------------------------------------------------------------------------
# The package: exactly __all__, lazily


def type_checking_imports() -> Dict[str, List[str]]:
    """The ``if TYPE_CHECKING:`` imports of ocspkit/__init__.py: module -> names."""
    tree = ast.parse((ROOT / "ocspkit" / "__init__.py").read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    imports: Dict[str, List[str]] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
        imports.setdefault(node.module, []).extend(alias.name for alias in node.names)
    return imports


def test_the_lazy_table_is_what_the_type_checker_sees() -> None:
    exports = {module: sorted(names) for module, names in ocspkit._EXPORTS.items()}  # type: ignore[attr-defined]
    assert exports == {module: sorted(names) for module, names in type_checking_imports().items()}
    assert sorted(ocspkit._MODULE_OF) == sorted(set(ocspkit.__all__) - {"__version__"})  # type: ignore[attr-defined]


def test_every_name_of_all_resolves_to_its_module_object() -> None:
    import importlib

    for module, names in type_checking_imports().items():
        source = importlib.import_module(f"ocspkit.{module}")
        for name in names:
            assert getattr(ocspkit, name) is getattr(source, name), name
    assert len(ocspkit.__all__) == len(set(ocspkit.__all__))
    assert set(ocspkit.__all__) <= set(dir(ocspkit))
    namespace: Dict[str, object] = {}
    exec("from ocspkit import *", namespace)  # the star import is what is checked
    assert set(namespace) - {"__builtins__"} == set(ocspkit.__all__)
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        ocspkit.no_such_name  # type: ignore[attr-defined]  # noqa: B018


def test_import_ocspkit_imports_nothing_else() -> None:
    assert loaded_after("import ocspkit", watch=(
        "ocspkit.certid", "ocspkit.crypto", "ocspkit.text", "asn1crypto", "oscrypto", *HEAVY,
    )) == dict.fromkeys(("ocspkit.certid", "ocspkit.crypto", "ocspkit.text", "asn1crypto", "oscrypto", *HEAVY),
                        False)


def test_names_and_submodules_resolve_on_first_use() -> None:
    probe = """
        import sys, ocspkit
        assert "ocspkit.verify" not in sys.modules
        from ocspkit import VerifyFlags
        assert VerifyFlags is sys.modules["ocspkit.verify"].VerifyFlags
        assert ocspkit.check_certificate is sys.modules["ocspkit.http"].check_certificate
        assert ocspkit.lint.lint is sys.modules["ocspkit.lint"].lint  # a submodule, as the eager import bound it
        assert ocspkit._der.load_tree is sys.modules["ocspkit._der"].load_tree
        assert set(ocspkit.__all__) <= set(dir(ocspkit))
    """
    assert loaded_after(probe, watch=("ocspkit.http", "ocspkit.lint")) == {"ocspkit.http": True, "ocspkit.lint": True}


# ------------------------------------------------------------------------------------------------
# The command line


def test_import_cli_stays_light() -> None:
    assert loaded_after("import ocspkit.cli", watch=(*HEAVY, "ocspkit.crypto", "ocspkit.text")) == dict.fromkeys(
        (*HEAVY, "ocspkit.crypto", "ocspkit.text"), False)


@pytest.mark.parametrize(("args", "prints"), [
    (("-respin", "response.der", "-resp_text", "-noverify"), True),
    (("ocsp", "-respin", "response.der", "-noverify"), False),
    (("-reqin", "request.der", "-req_text"), True),
    (("show", "response.der"), True),
    (("show", "request.der", "--format", "json"), True),
], ids=lambda value: " ".join(value) if isinstance(value, tuple) else None)
def test_printing_imports_neither_verification_nor_http(files: Path, args: Sequence[str], prints: bool) -> None:
    loaded = loaded_after(run_main(args), files, watch=(*HEAVY, "ocspkit.crypto", "ocspkit.text"))
    assert loaded == {**dict.fromkeys(HEAVY, False), "ocspkit.crypto": False, "ocspkit.text": prints}


@pytest.mark.parametrize("args", [
    ("-issuer", "issuer.pem", "-cert", "cert.pem", "-reqout", "out.der", "-no_nonce"),
    ("-issuer", "issuer.pem", "-cert", "cert.pem", "-reqout", "out.der"),
    ("request", "--issuer", "issuer.pem", "--cert", "cert.pem", "-o", "out.der"),
], ids=lambda args: " ".join(args))
def test_building_a_request_imports_neither_verification_nor_http(files: Path, args: Sequence[str]) -> None:
    assert loaded_after(run_main(args), files) == dict.fromkeys(HEAVY, False)


def test_verifying_imports_verify_but_not_http(files: Path) -> None:
    args = ("-respin", "response.der", "-CAfile", "root.pem", "-issuer", "issuer.pem", "-cert", "cert.pem")
    loaded = loaded_after(run_main(args), files, watch=("ocspkit.verify", "ocspkit.http", "ocspkit.lint",
                                                        "ocspkit.responder"))
    assert loaded == {"ocspkit.verify": True, "ocspkit.http": False, "ocspkit.lint": False,
                      "ocspkit.responder": False}


def test_store_commands_are_listed_and_loaded_only_when_asked(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ocspkit.cli import main

    assert main(["--help"]) == 0
    assert "store" in capsys.readouterr().out
    assert loaded_after(run_main(["store", "list", "--db", "none.db"], expect=1), files,
                        watch=("ocspkit.responder",)) == {"ocspkit.responder": True}


# ------------------------------------------------------------------------------------------------
# ocspkit.testing: its modules in one order, and the heavy ones on first use

# Lowest first: at import time, a module imports only modules before it in this order.
TESTING_ORDER = ("_values", "pki", "scenarios", "responder", "plugin", "__init__")


def _testing_imports(name: str) -> List[Tuple[str, List[str], str, int]]:
    """The package-relative imports of ocspkit/testing/NAME.py: (module, names, where, line), where
    is "module" (import time), "type-checking" or "function"."""
    path = ROOT / "ocspkit" / "testing" / f"{name}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: List[Tuple[str, List[str], str, int]] = []

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and ast.unparse(child.test) == "TYPE_CHECKING":
                visit(child, "type-checking")
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, "function")
            elif isinstance(child, ast.ImportFrom) and child.level == 1:
                found.append((child.module or "", [a.name for a in child.names], where, child.lineno))
            else:
                visit(child, where)

    visit(tree, "module")
    return found


@pytest.mark.parametrize("name", TESTING_ORDER)
def test_testing_modules_import_only_downwards_and_no_private_names(name: str) -> None:
    """No import cycle in ocspkit.testing: at import time each module imports only the modules
    below it; one above it only inside a function, to stay lazy (a ``# lazy:`` comment says why),
    or for annotations; and no module takes another's private names."""
    lines = (ROOT / "ocspkit" / "testing" / f"{name}.py").read_text(encoding="utf-8").splitlines()
    for module, names, where, line in _testing_imports(name):
        assert module in TESTING_ORDER, (name, module)
        assert not [n for n in names if n.startswith("_")], (name, module, names)
        if where == "module":
            assert TESTING_ORDER.index(module) < TESTING_ORDER.index(name), (name, module)
        elif where == "function" and TESTING_ORDER.index(module) > TESTING_ORDER.index(name):
            assert "# lazy: " in lines[line - 1], (name, line, lines[line - 1])


def test_a_test_pki_imports_neither_scenarios_nor_the_responder() -> None:
    watch = ("ocspkit.testing.scenarios", "ocspkit.testing.responder", "ocspkit.verify", "ocspkit.responder")
    assert loaded_after("from ocspkit.testing import TestPKI", watch=watch) == dict.fromkeys(watch, False)
    probe = """
        import sys
        import ocspkit.testing as testing
        from ocspkit.testing import TestPKI, make_scenario
        assert make_scenario is sys.modules["ocspkit.testing.scenarios"].make_scenario
        assert testing.scenarios is sys.modules["ocspkit.testing.scenarios"]
        assert "ocspkit.testing.responder" not in sys.modules
        assert TestPKI("ec").scenario("good").check_status().good
        namespace = {}
        exec("from ocspkit.testing import *", namespace)
        assert set(namespace) - {"__builtins__"} == set(testing.__all__) <= set(dir(testing))
        assert namespace["InProcessResponder"] is sys.modules["ocspkit.testing.responder"].InProcessResponder
    """
    assert loaded_after(probe, watch=watch) == dict.fromkeys(watch, True)
