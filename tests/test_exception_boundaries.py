"""Honest exception boundaries (issue 14, section 3).

ocspkit catches only what its dependencies are known to raise (ocspkit._deps), around their own
calls: hostile input still becomes ParseError / BackendError, but an ocspkit bug must escape as
itself instead of being reported as "malformed input". Each test injects such a bug into
ocspkit's own code with monkeypatch (never into a dependency) and checks that it propagates; the
responder, which must keep serving, logs it with its traceback, counts it, and answers
internalError. A static test keeps new broad catches out of ocspkit/.
"""

from __future__ import annotations

import ast
import datetime as dt
import logging
from pathlib import Path
from typing import Any, Dict, List, NoReturn, Optional, Set, Tuple

import pytest

import ocspkit
from ocspkit import _deps, _der, _oscrypto_compat, asn1, certinfo, crypto, lint
from ocspkit.enums import ResponseStatus
from ocspkit.errors import BackendError, OCSPError, ParseError
from ocspkit.request import RequestBuilder
from ocspkit.responder import Issuer, MemoryStore, Responder
from ocspkit.responder.core import Responder as CoreResponder
from ocspkit.testing import TestPKI, make_scenario

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 6, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


class InjectedBug(ZeroDivisionError):
    """What the injected ocspkit bugs raise: a type no boundary has any reason to name."""


def bug(*args: Any, **kwargs: Any) -> NoReturn:
    raise InjectedBug("an ocspkit bug")


@pytest.fixture(scope="module")
def pki() -> TestPKI:
    return TestPKI("ec", now=NOW)


# --------------------------------------------------------------------------------------------
# Loading: the validating walk


def _ber(der: bytes) -> bytes:
    """``der`` with its outer length in a non-minimal long form: valid BER that is not DER, so
    load_response takes the general path (asn1crypto and the walk) rather than the fast one."""
    assert der[0] == 0x30
    if der[1] < 0x80:
        return b"\x30\x81" + der[1:]
    size = der[1] & 0x7F
    return b"\x30" + bytes((0x80 | (size + 1), 0)) + der[2:]


def test_hostile_bytes_are_still_parse_errors_with_a_path() -> None:
    # ResponderID byName whose CN is a UTF8String that is not UTF-8: asn1crypto raises
    # UnicodeDecodeError in .native, which the walk reports where it happened.
    atv = bytes.fromhex("300806035504030c01ff")
    der = b"\xa1\x0e\x30\x0c\x31\x0a" + atv
    with pytest.raises(ParseError) as info:
        asn1.load(asn1.ResponderID, der)
    assert info.value.path is not None and info.value.path.endswith(".value.utf8_string")
    assert info.value.offset == len(der) - 3
    assert "malformed ResponderID" in str(info.value)
    # An undefined responseStatus: asn1crypto's KeyError from Enumerated.native is not needed
    # (the walk checks the value first), but load() itself still maps asn1crypto's ValueError.
    with pytest.raises(ParseError, match="malformed OCSPResponse"):
        ocspkit.load_response(b"\x30\x03\x0a\x01")


@pytest.mark.parametrize("method", ["check_primitive", "walk_sequence", "check_headers"])
def test_a_walker_bug_escapes_load_response(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    der = make_scenario("good", now=NOW).response_der
    ber = _ber(bytes(der))
    assert ocspkit.load_response(ber).dump() == ber  # the general path reads it
    monkeypatch.setattr(_der.Walker, method, bug)
    with pytest.raises(InjectedBug):
        ocspkit.load_response(ber)


def test_a_walker_attribute_error_is_not_malformed_input(monkeypatch: pytest.MonkeyPatch) -> None:
    # AttributeError is one of ASN1_ERRORS (asn1crypto's lazy-parse corner), yet one raised by
    # the walk's own code is a bug: only the walk's reads into asn1crypto are wrapped.
    def broken(value: Any) -> List[Tuple[str, Any]]:
        raise AttributeError("'Walker' object has no attribute 'oops'")

    assert asn1.load(asn1.CertID, _cert_id())["serial_number"].native == 7
    monkeypatch.setattr(_der, "_fields_of", broken)
    with pytest.raises(AttributeError, match="oops"):
        asn1.load(asn1.CertID, _cert_id())


def _cert_id() -> bytes:
    sha1 = bytes.fromhex("300906052b0e03021a0500")
    return _der_seq(sha1 + b"\x04\x14" + b"\x01" * 20 + b"\x04\x14" + b"\x02" * 20 + b"\x02\x01\x07")


def _der_seq(contents: bytes) -> bytes:
    assert len(contents) < 0x80
    return b"\x30" + bytes((len(contents),)) + contents


def test_a_bug_in_an_extension_check_escapes(monkeypatch: pytest.MonkeyPatch, pki: TestPKI) -> None:
    from ocspkit import request as request_module

    request = RequestBuilder().add_cert(pki.issue_leaf("x.example").certificate, pki.intermediate.certificate)
    ber = _ber(request.with_nonce().build().dump())
    monkeypatch.setattr(request_module, "refuse_unknown_critical", lambda types: bug)
    with pytest.raises(InjectedBug):
        ocspkit.load_request(ber)


# --------------------------------------------------------------------------------------------
# Verification and the crypto seam


def test_a_bug_reading_a_certificate_escapes_verification(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = make_scenario("good", now=NOW)
    monkeypatch.setattr(certinfo, "_CERTS", {})
    monkeypatch.setattr(certinfo.CertInfo, "_check_ca", bug)
    with pytest.raises(InjectedBug):
        ocspkit.verify_response(scenario.response_der, trusted=scenario.pki.root.certificate, now=NOW)


def test_a_bug_describing_a_pss_algorithm_escapes(monkeypatch: pytest.MonkeyPatch) -> None:
    key = crypto.generate_private_key("rsa", bit_size=2048)
    algorithm = crypto.signature_algorithm(key, "sha256", pss=True)
    signature = crypto.sign(key, b"data", algorithm)
    crypto.verify_signature(key.public_key, signature, b"data", algorithm)
    monkeypatch.setattr(crypto, "_DESCRIPTIONS", {})
    monkeypatch.setattr(crypto, "_check_pss_parameters", bug)
    with pytest.raises(InjectedBug):
        crypto.verify_signature(key.public_key, signature, b"data", algorithm)
    with pytest.raises(InjectedBug):  # a new key object: crypto.sign above left its signer with `key`
        crypto.signer(crypto.PrivateKey(key.asn1, key._engine), algorithm)


def test_a_bug_in_the_signing_function_is_not_a_backend_error(monkeypatch: pytest.MonkeyPatch) -> None:
    key = crypto.generate_private_key("ec")
    monkeypatch.setattr(_oscrypto_compat, "fast_signer", lambda *args: bug)
    with pytest.raises(InjectedBug):
        crypto.signer(key)(b"data")
    # What libcrypto raises is still the engine's failure.
    def failing(data: bytes) -> bytes:
        raise OSError("EVP_PKEY_sign failed")

    monkeypatch.setattr(_oscrypto_compat, "fast_signer", lambda *args: failing)
    with pytest.raises(BackendError):  # a new key object: signers are kept per key object
        crypto.signer(crypto.PrivateKey(key.asn1, key._engine))(b"data")


def test_a_bug_in_the_fast_signer_set_up_is_not_a_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    key = crypto.generate_private_key("ec")
    if _oscrypto_compat._fast_signing_library() is None:
        pytest.skip("fast signing does not apply on this libcrypto")
    monkeypatch.setattr(_oscrypto_compat, "_make_fast_signer", bug)
    with pytest.raises(InjectedBug):
        _oscrypto_compat.fast_signer(key._engine, "ecdsa", "sha256")


def test_lint_lets_a_verifier_bug_escape(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = make_scenario("good", now=NOW)
    assert lint.lint(scenario.response_der) is not None
    monkeypatch.setattr(certinfo, "_CERTS", {})
    monkeypatch.setattr(certinfo.CertInfo, "_check_ca", bug)
    with pytest.raises(InjectedBug):
        lint.lint(scenario.response_der)


# --------------------------------------------------------------------------------------------
# The responder: a keep-serving boundary logs, counts and answers internalError


def _responder(pki: TestPKI) -> Tuple[Responder, bytes]:
    leaf = pki.issue_leaf("served.example")
    store = MemoryStore()
    store.add(leaf.serial_number)
    issuer = Issuer(pki.intermediate.certificate, pki.responder.private_key, store,
                    signer_certificate=pki.responder.certificate)
    request = RequestBuilder().add_cert(leaf.certificate, pki.intermediate.certificate).build().dump()
    return Responder(issuer, clock=lambda: NOW), request


def _internal_error_records(caplog: pytest.LogCaptureFixture) -> List[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "ocsp_event", None) == "internal_error"]


def test_responder_core_bug_is_logged_counted_and_answered(
    monkeypatch: pytest.MonkeyPatch, pki: TestPKI, caplog: pytest.LogCaptureFixture
) -> None:
    responder, request = _responder(pki)
    assert responder.respond(request).status is ResponseStatus.SUCCESSFUL
    monkeypatch.setattr(CoreResponder, "_respond", bug)
    with caplog.at_level(logging.ERROR, logger="ocspkit.responder"):
        answer = responder.respond(request)
        reply = responder.handle("POST", "/", {"Content-Type": "application/ocsp-request"}, request)
    assert answer.status is ResponseStatus.INTERNAL_ERROR
    assert ocspkit.load_response(answer.der).response_status is ResponseStatus.INTERNAL_ERROR
    assert reply.status == 200 and reply.answer is not None
    assert reply.answer.status is ResponseStatus.INTERNAL_ERROR
    records = _internal_error_records(caplog)
    assert len(records) == 2
    for record in records:
        assert record.exc_info is not None and record.exc_info[0] is InjectedBug  # the traceback
    assert responder.metrics.internal_errors == 2
    metrics = responder.handle("GET", "/metrics").body.decode()
    assert "# TYPE ocspkit_internal_errors_total counter" in metrics
    assert "\nocspkit_internal_errors_total 2\n" in metrics


def test_responder_http_handler_bug_is_logged_counted_and_answered(
    monkeypatch: pytest.MonkeyPatch, pki: TestPKI, caplog: pytest.LogCaptureFixture
) -> None:
    responder, request = _responder(pki)
    monkeypatch.setattr(CoreResponder, "_handle", bug)
    with caplog.at_level(logging.ERROR, logger="ocspkit.responder"):
        reply = responder.handle("POST", "/", {"Content-Type": "application/ocsp-request"}, request)
    assert reply.status == 200 and reply.answer is not None
    assert reply.answer.status is ResponseStatus.INTERNAL_ERROR
    assert ocspkit.load_response(reply.body).response_status is ResponseStatus.INTERNAL_ERROR
    (record,) = _internal_error_records(caplog)
    assert record.exc_info is not None and record.exc_info[0] is InjectedBug
    assert responder.metrics.internal_errors == 1
    monkeypatch.undo()
    assert "\nocspkit_internal_errors_total 1\n" in responder.handle("GET", "/metrics").body.decode()


def test_metrics_start_at_zero() -> None:
    from ocspkit.responder.metrics import Metrics

    metrics = Metrics()
    assert "\nocspkit_internal_errors_total 0\n" in metrics.render()
    metrics.internal_error()
    assert "\nocspkit_internal_errors_total 1\n" in metrics.render()


def test_testing_responder_skips_only_undecodable_requests(monkeypatch: pytest.MonkeyPatch, pki: TestPKI) -> None:
    from ocspkit.testing import responder as testing_responder

    server = testing_responder.InProcessResponder(pki)
    server._core.received.append(b"\x30\x03garbage")
    assert server.requests == []  # undecodable: left out
    monkeypatch.setattr(testing_responder, "load_request", bug)
    with pytest.raises(InjectedBug):
        server.requests  # noqa: B018


# --------------------------------------------------------------------------------------------
# The named tuples


def test_the_named_tuples() -> None:
    assert issubclass(UnicodeDecodeError, _deps.ASN1_ERRORS)  # via ValueError
    assert RecursionError in _deps.ASN1_ERRORS
    assert Exception not in _deps.ASN1_ERRORS and BaseException not in _deps.ASN1_ERRORS
    engine = _deps.engine_error_types()
    from oscrypto import errors

    for cls in (errors.SignatureError, errors.AsymmetricKeyError, errors.LibraryNotFoundError, OSError):
        assert issubclass(cls, engine)
    assert not issubclass(InjectedBug, engine) and not issubclass(InjectedBug, _deps.ASN1_ERRORS)
    assert not any(cls in (Exception, BaseException) for cls in engine + _deps.pyca_error_types())
    assert issubclass(UnicodeError, _deps.RESOLVER_ERRORS)


# --------------------------------------------------------------------------------------------
# Static: no new broad catches


#: The broad catches ocspkit keeps, by file and function, and why: keep-serving boundaries (they
#: log the traceback and count it), and hand-offs that re-raise elsewhere.
ALLOWED: Dict[Tuple[str, str], str] = {
    ("ocspkit/responder/core.py", "_answer"): "keep serving: one request's failure is answered internalError",
    ("ocspkit/responder/core.py", "handle"): "keep serving: the HTTP handling of one request",
    ("ocspkit/responder/asgi.py", "_lifespan"): "ASGI lifespan: report startup/shutdown failure to the server",
    ("ocspkit/http.py", "resolve"): "the resolver thread hands any other exception to the caller's thread",
}


def _name(node: Optional[ast.expr]) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _is_broad(node: Optional[ast.expr]) -> bool:
    if node is None:  # bare except:
        return True
    if isinstance(node, ast.Tuple):
        return any(_is_broad(element) for element in node.elts)
    return _name(node) in ("Exception", "BaseException")


def _reraises(handler: ast.ExceptHandler) -> bool:
    """A cleanup handler: it ends with a bare ``raise`` (or re-raises what it did not handle)."""
    return any(isinstance(node, ast.Raise) and node.exc is None for node in ast.walk(handler))


def _owner(functions: List[Tuple[int, int, str]], line: int) -> str:
    """The innermost function around ``line``."""
    inside = [f for f in functions if f[0] <= line <= f[1]]
    return max(inside)[2] if inside else "<module>"


def broad_catches() -> List[Tuple[str, str, int, bool]]:
    """(file, function, line, re-raises) of every broad catch in ocspkit/."""
    found: List[Tuple[str, str, int, bool]] = []
    for path in sorted((ROOT / "ocspkit").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions: List[Tuple[int, int, str]] = [
            (node.lineno, node.end_lineno or node.lineno, node.name)
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and _is_broad(node.type):
                found.append((relative, _owner(functions, node.lineno), node.lineno, _reraises(node)))
            elif (
                isinstance(node, ast.Call)
                and _name(node.func) == "suppress"
                and any(_is_broad(arg) for arg in node.args)
            ):
                found.append((relative, _owner(functions, node.lineno), node.lineno, False))
    return found


def test_no_broad_catch_outside_the_allow_list() -> None:
    unexplained = [
        f"{file}:{line} in {function}"
        for file, function, line, reraises in broad_catches()
        if not reraises and (file, function) not in ALLOWED
    ]
    assert not unexplained, (
        "broad catches hide ocspkit bugs as malformed input: catch the named exceptions of "
        "ocspkit._deps around the dependency's call instead, or add a keep-serving boundary to "
        f"ALLOWED with its reason: {unexplained}"
    )


def test_the_allow_list_is_current() -> None:
    present: Set[Tuple[str, str]] = {(file, function) for file, function, _, _ in broad_catches()}
    assert set(ALLOWED) <= present, set(ALLOWED) - present


def test_the_static_check_sees_what_it_must() -> None:
    source = "def f():\n    try:\n        g()\n    except Exception:\n        pass\n"
    tree = ast.parse(source)
    handler = next(n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler))
    assert _is_broad(handler.type) and not _reraises(handler)
    tree = ast.parse("try:\n    g()\nexcept (ValueError, BaseException):\n    raise\n")
    handler = next(n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler))
    assert _is_broad(handler.type) and _reraises(handler)
    assert not _is_broad(ast.parse("x = (ValueError, OCSPError)").body[0].value)  # type: ignore[attr-defined]


def test_only_ocsp_errors_escape_hostile_bytes() -> None:
    """The boundary still holds for hostile input: a few mutations of a real response."""
    der = bytes(make_scenario("good", now=NOW).response_der)
    escaped: List[str] = []
    for position in range(0, len(der), max(1, len(der) // 97)):
        for value in (0x00, 0x80, 0xFF):
            data = der[:position] + bytes((value,)) + der[position + 1 :]
            try:
                ocspkit.load_response(data)
            except OCSPError:
                continue
            except Exception as exc:  # the point of the test: anything but OCSPError is a defect
                escaped.append(f"{position}:{value:02x} {type(exc).__name__}: {exc}")
    assert not escaped, escaped
