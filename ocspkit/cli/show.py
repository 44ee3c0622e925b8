"""The show subcommand: a request or response as text, JSON or lint findings."""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from typing import Any, Optional

from ..errors import OCSPError
from ..request import load_request
from ..response import load_response
from ._common import REQUEST_PEM, RESPONSE_PEM, fail, one_line, read_file, text_module, write_text

__all__ = ["add_show", "cmd_show", "severity"]


def add_show(sub: Any) -> None:
    """The ``show`` command's parser."""
    p = sub.add_parser("show", help="print a request or response as text, JSON or lint findings",
                       description="Print an OCSP request or response (DER or PEM): openssl's -req_text / "
                       "-resp_text layout, JSON, or lint findings (exit 1 if any is an error).")
    p.add_argument("file", metavar="FILE", help="the request or response ('-' for stdin)")
    p.add_argument("--format", choices=("text", "json", "lint"), default="text", help="default: text")
    p.add_argument("--type", choices=("auto", "request", "response"), default="auto",
                   help="what FILE holds (default: detect)")
    p.set_defaults(func=cmd_show)


def cmd_show(ns: argparse.Namespace) -> int:
    """``ocspkit show``: print a request or response as text (openssl's layout), JSON or lint findings."""
    data = read_file(ns.file, "OCSP message")
    found = _sniff(data, ns.file)
    if ns.type != "auto" and found is not None and found != ns.type:
        fail(f"{ns.file} holds an OCSP {found}, not an OCSP {ns.type} (--type auto, the default, reads either)")
    kind = ns.type if ns.type != "auto" else found or _detect(data)
    message: Any
    try:
        message = load_request(data) if kind == "request" else load_response(data)
    except OCSPError as exc:
        fail(f"Error reading OCSP {kind} from {ns.file}", exc)
    out = sys.stdout
    # write_text: octets that are not UTF-8 (kept as surrogate escapes) go out as the octets,
    # also on a stdout that refuses surrogates (PYTHONIOENCODING=utf-8:strict), as -resp_text does.
    if ns.format == "text":
        text = text_module()
        write_text(out, text.request_text(message) if kind == "request" else text.response_text(message))
        return 0
    if ns.format == "json":
        rendered = text_module().to_json_text(message)
        write_text(out, rendered if rendered.endswith("\n") else rendered + "\n")
        return 0
    try:
        lint = importlib.import_module("ocspkit.lint")
    except ImportError as exc:
        fail("lint output needs ocspkit.lint, which this installation lacks", exc)
    findings = lint.lint(message)
    for finding in findings:
        clause = getattr(finding, "clause", None)
        path = getattr(finding, "path", None)
        line = f"{severity(finding)}: {finding.code}: {one_line(finding.message)}"
        if clause:
            line += f" [{clause}]"
        if path:
            line += f" (at {path})"
        write_text(out, line + "\n")
    if not findings:
        out.write(f"{ns.file}: no findings\n")
    return 1 if any(severity(f) == "error" for f in findings) else 0


_PEM_KINDS = {REQUEST_PEM: "request", RESPONSE_PEM: "response"}


def _sniff(data: bytes, path: str) -> Optional[str]:
    """"request" or "response", from the content alone (so that a message the loaders refuse is
    reported as what it is): a PEM block's label, else the first element in the outer SEQUENCE
    (an OCSPResponse starts with its responseStatus ENUMERATED, an OCSPRequest with its
    tbsRequest SEQUENCE, RFC 6960 4.1.1 / 4.2.1); None when neither shows."""
    if not data.strip():
        fail(f"not an OCSP request or response: {path} is empty")
    if data[:1] != b"\x30":
        found = re.search(rb"-----BEGIN ([A-Z0-9 ]+)-----", data)
        if found is None:
            return None
        label = found.group(1).decode("ascii")
        if label not in _PEM_KINDS:
            fail(f"not an OCSP request or response: {path} holds a PEM block labelled {label!r} "
                 f"(expected {REQUEST_PEM} or {RESPONSE_PEM})")
        return _PEM_KINDS[label]
    if len(data) < 3:
        return None
    length = data[1]
    start = 2 if length < 0x80 else 2 + (length & 0x7F)  # short, long or indefinite (0x80) form
    return {0x0A: "response", 0x30: "request"}.get(data[start]) if start < len(data) else None


def _detect(data: bytes) -> str:
    """What the loaders accept, when the content does not say (``_sniff``)."""
    try:
        load_response(data)
        return "response"
    except OCSPError as response_error:
        try:
            load_request(data)
            return "request"
        except OCSPError:
            fail("not an OCSP request or response", response_error)


def severity(finding: Any) -> str:
    """A lint finding's severity as ``show --format lint`` prints it: ``error``, ``warning`` ..."""
    severity = getattr(finding, "severity", "")
    return str(getattr(severity, "value", getattr(severity, "name", severity))).lower()
