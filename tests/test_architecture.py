"""The layout docs/architecture.md describes is the layout the code has.

The layers are read from the ``layers`` block of docs/architecture.md, so the page and this test
cannot drift apart. Every module of the package must be in exactly one layer; a module may import
(at the top, inside a function, or for type checking only) modules of its own layer or of lower
ones, never of a higher one; the imports that run (not those for type checking only) make no
cycle; and no module imports a name with a leading underscore from another module (private
modules, ``_der`` say, are fine: it is their public names that are shared).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ocspkit"
DOC = ROOT / "docs" / "architecture.md"

# importer, imported module, line, the name imported ("" for a module), whether only for type checking
Edge = Tuple[str, str, int, str, bool]


def modules() -> Dict[str, Path]:
    """Dotted module name -> file, for every module of the package (``ocspkit.text.ocsp``)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def layers() -> List[List[str]]:
    """The layers, lowest first, each a list of module patterns (``text``, ``responder.*``)."""
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```layers\n(.*?)```", text, re.S)
    assert block is not None, "docs/architecture.md has no ```layers block"
    result = []
    for line in block.group(1).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            _, _, names = line.partition(":")
            result.append(names.split())
    return result


def matches(module: str, pattern: str) -> bool:
    """``pattern`` is a module name relative to the package (``text``), ``name.*`` for a
    subpackage and its modules, or ``ocspkit`` for the package itself."""
    if pattern == "ocspkit":
        return module == "ocspkit"
    relative = module[len("ocspkit."):] if module.startswith("ocspkit.") else None
    if relative is None:
        return False
    if pattern.endswith(".*"):
        return relative == pattern[:-2] or relative.startswith(pattern[:-1])
    return relative == pattern


def layer_of(module: str, table: List[List[str]]) -> List[int]:
    return [index for index, patterns in enumerate(table) for pattern in patterns if matches(module, pattern)]


def type_checking_lines(tree: ast.Module) -> Set[int]:
    """The lines of imports under ``if TYPE_CHECKING:`` (for annotations only)."""
    lines: Set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            lines.update(n.lineno for child in node.body for n in ast.walk(child) if isinstance(n, ast.stmt))
    return lines


def imports(name: str, path: Path, known: Dict[str, Path]) -> Iterator[Edge]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = type_checking_lines(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        only = node.lineno in typing_only if isinstance(node, (ast.Import, ast.ImportFrom)) else False
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "ocspkit":
                    yield name, alias.name, node.lineno, "", only
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "ocspkit":
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in known:
                    yield name, submodule, node.lineno, "", only
                else:
                    yield name, source, node.lineno, alias.name, only


def all_edges() -> List[Edge]:
    known = modules()
    return [edge for name, path in known.items() for edge in imports(name, path, known)]


def test_every_module_is_in_one_layer() -> None:
    table = layers()
    misplaced = {m: layer_of(m, table) for m in modules() if len(layer_of(m, table)) != 1}
    assert not misplaced, f"modules in no layer or in several (docs/architecture.md): {misplaced}"
    unused = [p for patterns in table for p in patterns if not any(matches(m, p) for m in modules())]
    assert not unused, f"layer entries that match no module: {unused}"


def test_imports_go_down_the_layers() -> None:
    table = layers()
    upward = []
    for importer, imported, line, _, _ in all_edges():
        if imported not in modules():
            continue
        (low,), (high,) = layer_of(imported, table), layer_of(importer, table)
        if low > high:
            upward.append(f"{importer}:{line} imports {imported} (layer {low} above {high})")
    assert not upward, "\n".join(upward)


def test_no_import_cycles() -> None:
    # Imports that run (at the top or inside a function) make no cycle. Imports for annotations
    # only are held to the layers (above) but may point back within a layer: TestPKI.serve()
    # returns an InProcessResponder, made by a module above pki.py.
    graph: Dict[str, Set[str]] = {}
    for importer, imported, _, _, typing_only in all_edges():
        if imported != importer and imported in modules() and not typing_only:
            graph.setdefault(importer, set()).add(imported)
    cycles = strongly_connected(graph)
    assert not cycles, f"import cycles: {cycles}"


def test_no_private_names_cross_modules() -> None:
    crossing = [
        f"{importer}:{line} imports {name} from {imported}"
        for importer, imported, line, name, _ in all_edges()
        if name.startswith("_") and not name.startswith("__") and imported != importer
    ]
    assert not crossing, "\n".join(crossing)


def test_every_module_says_what_it_holds() -> None:
    silent = [name for name, path in modules().items() if not ast.get_docstring(ast.parse(path.read_text("utf-8")))]
    assert not silent, f"modules without a docstring: {silent}"


def strongly_connected(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """The strongly connected components of more than one node (Tarjan, iterative)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
])
def test_the_cycle_finder_finds_cycles(graph: Dict[str, Set[str]], expected: List[List[str]]) -> None:
    assert strongly_connected(graph) == expected


def test_one_version() -> None:
    # _version.py is the module every layer may import; pyproject.toml must say the same.
    import ocspkit
    from ocspkit._version import __version__

    declared = re.search(r'^version = "([^"]+)"$', (ROOT / "pyproject.toml").read_text("utf-8"), re.M)
    assert declared is not None and declared.group(1) == __version__ == ocspkit.__version__
