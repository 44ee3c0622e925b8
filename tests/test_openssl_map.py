"""docs/openssl-map.md is true: one row per OpenSSL function, each naming an ocspkit attribute that
imports and a test that exists and mentions it.

Row form (nothing else may start a table row with a backquote):

    | `OCSP_fn` | `ocspkit.dotted.name` | `tests/test_x.py::test_name` |
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
from conftest import ROOT

MAP = ROOT / "docs" / "openssl-map.md"

# The functions this issue maps, in the order the issue lists them.
THIS_ISSUE = [
    "d2i_OCSP_REQUEST_bio", "i2d_OCSP_REQUEST_bio", "d2i_OCSP_RESPONSE_bio", "i2d_OCSP_RESPONSE_bio",
    "PEM_read_bio_OCSP_REQUEST", "PEM_write_bio_OCSP_REQUEST", "PEM_read_bio_OCSP_RESPONSE",
    "PEM_write_bio_OCSP_RESPONSE", "OCSP_REQUEST_sign", "OCSP_request_sign", "OCSP_BASICRESP_sign",
    "OCSP_basic_sign", "OCSP_check_validity", "OCSP_CERTID_dup", "OCSP_CERTSTATUS_dup",
    "OCSP_request_add0_id", "OCSP_request_set1_name", "OCSP_request_add1_cert", "OCSP_response_status",
    "OCSP_response_get1_basic", "OCSP_resp_count", "OCSP_resp_get0", "OCSP_resp_find",
    "OCSP_single_get0_status", "OCSP_resp_find_status", "OCSP_request_add1_nonce", "OCSP_basic_add1_nonce",
    "OCSP_check_nonce", "OCSP_copy_nonce", "OCSP_crlID_new", "OCSP_accept_responses_new",
    "OCSP_archive_cutoff_new", "OCSP_url_svcloc_new", "OCSP_cert_to_id", "OCSP_cert_id_new",
    "OCSP_id_issuer_cmp", "OCSP_id_cmp", "OCSP_response_status_str", "OCSP_cert_status_str",
    "OCSP_crl_reason_str", "OCSP_request_onereq_count", "OCSP_request_onereq_get0", "OCSP_onereq_get0_id",
    "OCSP_id_get0_info", "OCSP_request_is_signed", "OCSP_response_create", "OCSP_basic_add1_status",
    "OCSP_basic_add1_cert", "OCSP_REQUEST_get_ext_count", "OCSP_REQUEST_get_ext_by_NID",
    "OCSP_REQUEST_get_ext_by_OBJ", "OCSP_REQUEST_get_ext_by_critical", "OCSP_REQUEST_get_ext",
    "OCSP_REQUEST_delete_ext", "OCSP_REQUEST_get1_ext_d2i", "OCSP_REQUEST_add1_ext_i2d", "OCSP_REQUEST_add_ext",
]

# The functions the verification issue maps.
VERIFICATION = ["OCSP_basic_verify", "OCSP_BASICRESP_verify", "OCSP_request_verify", "OCSP_REQUEST_verify"]
THIS_ISSUE += VERIFICATION

# The functions the text issue maps (the OCSP_*_str ones have rows from the first list).
PRINTING = ["OCSP_REQUEST_print", "OCSP_RESPONSE_print"]
THIS_ISSUE += PRINTING

# The function the HTTP issue maps.
HTTP = ["OCSP_parse_url"]
THIS_ISSUE += HTTP

# Functions that belong to later issues: listed in prose, no row yet.
LATER: List[str] = []

ROW = re.compile(
    r"^\| `(?P<function>[A-Za-z0-9_]+)` \| `(?P<name>ocspkit(?:\.[A-Za-z_][A-Za-z0-9_]*)+)` \| "
    r"`(?P<file>tests/[A-Za-z0-9_/]+\.py)::(?P<test>[A-Za-z_][A-Za-z0-9_]*)` \|$"
)

Row = Tuple[str, str, str, str]


def read_rows(text: str) -> List[Row]:
    """The table rows: every line that starts like a row must have exactly the row form."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("| `"):
            continue
        match = ROW.match(line)
        assert match, f"docs/openssl-map.md line {number} is not in the row form: {line!r}"
        rows.append((match["function"], match["name"], match["file"], match["test"]))
    return rows


ROWS = read_rows(MAP.read_text(encoding="utf-8"))


def resolve(dotted: str) -> Any:
    """The object at a dotted path: the longest importable module prefix, then attributes."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            target = getattr(target, attribute)  # AttributeError names what is missing
        return target
    raise ModuleNotFoundError(dotted)


_TREES: Dict[Path, Tuple[str, ast.Module]] = {}


def find_test(file: str, name: str) -> Optional[str]:
    """The source of a top-level function, or of a method of a top-level class, named ``name``."""
    path = ROOT / file
    if path not in _TREES:
        source = path.read_text(encoding="utf-8")
        _TREES[path] = (source, ast.parse(source, filename=str(path)))
    source, tree = _TREES[path]
    candidates: List[ast.stmt] = []
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef):
            candidates.extend(statement.body)
        else:
            candidates.append(statement)
    for node in candidates:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return ast.get_source_segment(source, node)
    return None


def test_every_function_of_this_issue_has_exactly_one_row() -> None:
    functions = [row[0] for row in ROWS]
    duplicates = sorted({f for f in functions if functions.count(f) > 1})
    assert duplicates == [], f"functions with more than one row: {duplicates}"
    assert sorted(set(THIS_ISSUE) - set(functions)) == [], "functions without a row"
    assert sorted(set(functions) - set(THIS_ISSUE) - set(LATER)) == [], "rows for functions nobody listed"
    assert len(THIS_ISSUE) == len(set(THIS_ISSUE)) == 57 + len(VERIFICATION) + len(PRINTING) + len(HTTP)


def test_later_functions_are_listed_without_rows() -> None:
    text = MAP.read_text(encoding="utf-8")
    if not LATER:
        assert "## Coming with later issues" not in text, "nothing is coming later: the section goes"
        return
    assert "## Coming with later issues" in text
    later_section = text.split("## Coming with later issues", 1)[1].split("\n## ", 1)[0]
    for function in LATER:
        assert re.search(rf"\b{function}\b", later_section), f"{function} is not listed as coming later"
        assert function not in {row[0] for row in ROWS}, f"{function} has a row already"


def test_the_table_has_no_fourth_column() -> None:
    header = [line for line in MAP.read_text(encoding="utf-8").splitlines() if line.startswith("| OpenSSL")]
    assert header == ["| OpenSSL | ocspkit | test |"]


@pytest.mark.parametrize(("function", "name", "file", "test"), ROWS, ids=[row[0] for row in ROWS])
def test_row(function: str, name: str, file: str, test: str) -> None:
    assert function in THIS_ISSUE
    # The ocspkit name imports as a dotted path (module or class attribute).
    resolved = resolve(name)
    assert resolved is not None, f"{name} resolved to None"
    # The test exists: a top-level def, or a method of a top-level class, in that file.
    assert (ROOT / file).is_file(), f"{file} does not exist"
    source = find_test(file, test)
    assert source is not None, f"{file}::{test} does not exist"
    assert test.startswith("test"), f"{test} would not be collected by pytest"
    # And it plausibly exercises the name: its source mentions the final attribute.
    attribute = name.rsplit(".", 1)[1]
    assert re.search(rf"(?<![A-Za-z0-9_]){re.escape(attribute)}(?![A-Za-z0-9_])", source), (
        f"{file}::{test} never mentions {attribute}"
    )


def test_the_checks_catch_mistakes() -> None:
    # The parser refuses a fourth column and a mangled test reference.
    with pytest.raises(AssertionError):
        read_rows("| `OCSP_id_cmp` | `ocspkit.CertID.__eq__` | `tests/test_api_map.py::test_x` | note |")
    with pytest.raises(AssertionError):
        read_rows("| `OCSP_id_cmp` | `ocspkit.CertID.__eq__` | `tests/test_api_map.py:test_x` |")
    assert read_rows("| OpenSSL | ocspkit | test |\n| --- | --- | --- |") == []
    # resolve() finds modules, module attributes and class attributes, and fails loudly otherwise.
    assert resolve("ocspkit.asn1.CertStatus.copy") is resolve("ocspkit.asn1").CertStatus.copy
    assert resolve("ocspkit.OCSPRequest.dump") is resolve("ocspkit.request.OCSPRequest").dump
    with pytest.raises(AttributeError):
        resolve("ocspkit.CertID.no_such_attribute")
    with pytest.raises(ModuleNotFoundError):
        resolve("no_such_package.thing")
    # find_test() sees top-level functions and methods of top-level classes only.
    assert find_test("tests/test_openssl_map.py", "test_row") is not None
    assert find_test("tests/test_openssl_map.py", "no_such_test") is None
    assert find_test("tests/test_api_map.py", "release") is not None  # a method of LibCrypto
    assert find_test("tests/test_api_map.py", "own") is not None
    assert find_test("tests/test_api_map.py", "_declare") is not None
