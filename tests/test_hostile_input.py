"""Hostile input (issue 14, section 2): one regression test (or parametrized group) per defect
class, each failing before its fix.

1. integers beyond Python's int-to-str limit (sys.get_int_max_str_digits) in every printer;
2. deeply nested indefinite lengths in the text printer's own BER reader;
3. repr() / str() of the views with names that loaded but do not decode;
4. times without a zone re-encoded by asn1crypto (it re-encodes indefinite-length values);
5. PEM detection in time linear in the input, for every loader;
6. trailing bytes inside a constructed (BER) OCTET STRING;
7. a certificate whose signatureAlgorithm differs from its tbsCertificate.signature.

Every hostile input is made here from a message ocspkit.testing builds, by DER surgery.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest
from _openssl_cli import run
from asn1crypto import algos, x509

import ocspkit
import ocspkit.text
from ocspkit import cli, crypto, lint
from ocspkit._der import first_child, tlv_end
from ocspkit._writers import tlv as _tlv
from ocspkit.certid import CertID
from ocspkit.errors import ChainError, OCSPError, ParseError
from ocspkit.request import RequestBuilder
from ocspkit.response import ResponseBuilder
from ocspkit.testing import CertifiedKey, TestPKI, make_scenario

ROOT = Path(__file__).resolve().parent.parent
UTC = dt.timezone.utc

# --------------------------------------------------------------------------------------------
# DER surgery


def _elements(data: bytes) -> List[Tuple[int, bytes]]:
    """(tag, contents) of each definite-length element of ``data`` (low tag numbers only)."""
    out = []
    pos = 0
    while pos < len(data):
        tag, first = data[pos], data[pos + 1]
        pos += 2
        if first & 0x80:
            count = first & 0x7F
            length = int.from_bytes(data[pos : pos + count], "big")
            pos += count
        else:
            length = first
        out.append((tag, data[pos : pos + length]))
        pos += length
    assert pos == len(data), "not a sequence of definite-length elements"
    return out


def _splice(data: bytes, old: bytes, new: bytes) -> bytes:
    """``data`` with the element ``old`` (a whole TLV, found inside definite-length elements and
    the OCTET STRINGs that wrap DER) replaced by ``new``, every enclosing length re-encoded."""
    assert old in data
    out = b""
    for tag, contents in _elements(data):
        element = _tlv(tag, contents)
        if element == old:
            out += new
        elif old in contents:
            out += _tlv(tag, _splice(contents, old, new))
        else:
            out += element
    return out


def _huge(octets: int = 5000) -> int:
    """A positive integer of ``octets`` octets: about 12000 decimal digits, beyond Python's
    default int-to-str limit of 4300."""
    return int.from_bytes(b"\x7f" + b"\xab" * (octets - 1), "big")


def _integer_contents(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 8) // 8, "big", signed=True)


def _first_match(pattern: bytes, data: bytes) -> bytes:
    found = re.search(pattern, data, re.S)
    assert found is not None
    return found.group(0)


@pytest.fixture(scope="module")
def ec_pki() -> TestPKI:
    return TestPKI("ec")


def _cert_id(pki: TestPKI, serial: int) -> CertID:
    return CertID.from_issuer(pki.intermediate.certificate, serial)


def _response(pki: TestPKI, builder: Any = None, serial: int = 5) -> bytes:
    """A response signed by the delegated responder; ``builder`` a ResponseBuilder to finish."""
    builder = builder if builder is not None else ResponseBuilder().add_response(_cert_id(pki, serial))
    return builder.sign(pki.responder.private_key, pki.responder.certificate).dump()


def _survive(call: Callable[[], Any]) -> Any:
    """The result of ``call``, or the OCSPError it raised; any other exception fails the test."""
    try:
        return call()
    except OCSPError as error:
        str(error)
        repr(error)
        return error


def _everything_on(data: bytes, kind: str) -> List[Any]:
    """Every consumer of a message (as bytes, and as a view when it loads): loaders lenient and
    strict, text, JSON, lint, repr and str of each view. Returns what each gave."""
    load = ocspkit.load_request if kind == "request" else ocspkit.load_response
    text = ocspkit.request_text if kind == "request" else ocspkit.response_text
    results = [
        _survive(lambda: load(data)),
        _survive(lambda: load(data, strict=True)),
        _survive(lambda: load(data, allow_unknown_critical=True)),
        _survive(lambda: text(data)),
        _survive(lambda: lint.lint(data)),
    ]
    if kind == "response":
        results.append(_survive(lambda: ocspkit.text.responder_error_text(data)))
    view = results[0]
    if isinstance(view, OCSPError):
        return results
    results += [
        _survive(lambda: text(view)),
        _survive(lambda: ocspkit.to_json(view)),
        _survive(lambda: ocspkit.to_json_text(view)),
        _survive(lambda: [str(finding) for finding in lint.lint(view)]),
    ]
    for item in _views(view):
        results += [repr(item), str(item)]
    return results


def _views(view: Any) -> List[Any]:
    """``view`` and every view reachable from it."""
    items: List[Any] = [view, *view.deviations]
    if isinstance(view, ocspkit.OCSPRequest):
        items += [view.extensions, *view.extensions]
        for request in view.requests:
            items += [request, request.cert_id, request.extensions, *request.extensions]
        return items
    if view.successful:
        basic = view.basic
        items += [basic, basic.responder_id, basic.extensions, *basic.extensions]
        for single in basic.responses:
            items += [single, single.cert_id, single.extensions, *single.extensions]
    return items


def _no_long_numbers(results: List[Any]) -> None:
    """No text made from the hostile integer is unbounded decimal (hex is fine)."""
    for result in results:
        view = isinstance(result, (ocspkit.OCSPRequest, ocspkit.OCSPResponse))
        text = ocspkit.to_json_text(result) if view else str(result)
        assert not re.search(r"\d{1000}", text), text[:200]


# --------------------------------------------------------------------------------------------
# 1. Integers beyond Python's int-to-str limit


def _request_serial(pki: TestPKI) -> bytes:
    return RequestBuilder().add_cert_id(_cert_id(pki, _huge())).build().dump()


def _request_version(pki: TestPKI) -> bytes:
    der = RequestBuilder().add_cert_id(_cert_id(pki, 5)).build().dump()
    tbs = _tlv(0x30, _elements(_elements(der)[0][1])[0][1])
    version = _tlv(0xA0, _tlv(0x02, _integer_contents(_huge())))
    return _splice(der, tbs, _tlv(0x30, version + _elements(tbs)[0][1]))


def _response_serial(pki: TestPKI) -> bytes:
    return _response(pki, serial=_huge())


def _response_version(pki: TestPKI) -> bytes:
    der = _response(pki)
    data = ocspkit.load_response(der).basic.tbs_response_data_bytes
    version = _tlv(0xA0, _tlv(0x02, _integer_contents(_huge())))
    return _splice(der, data, _tlv(0x30, version + _elements(data)[0][1]))


def _response_status(pki: TestPKI) -> bytes:
    return _tlv(0x30, _tlv(0x0A, _integer_contents(_huge())))


def _revocation_reason(pki: TestPKI) -> bytes:
    when = dt.datetime.now(UTC) - dt.timedelta(hours=1)
    builder = ResponseBuilder().add_response(
        _cert_id(pki, 5), "revoked", revocation_time=when, revocation_reason=1
    )
    der = _response(pki, builder)
    reason = _first_match(rb"\xa0\x03\x0a\x01\x01", der)
    return _splice(der, reason, _tlv(0xA0, _tlv(0x0A, _integer_contents(_huge()))))


def _crl_number(pki: TestPKI) -> bytes:
    # CrlID (RFC 6960 4.4.2) with a huge crlNum, as a singleExtension.
    crl_id = _tlv(0x30, _tlv(0xA1, _tlv(0x02, _integer_contents(_huge()))))
    builder = ResponseBuilder().add_response(
        _cert_id(pki, 5), extensions=[("1.3.6.1.5.5.7.48.1.3", crl_id, False)]
    )
    return _response(pki, builder)


HUGE_INTEGERS: Dict[str, Tuple[Callable[[TestPKI], bytes], str]] = {
    "request-serial": (_request_serial, "request"),
    "request-version": (_request_version, "request"),
    "response-serial": (_response_serial, "response"),
    "response-version": (_response_version, "response"),
    "response-status": (_response_status, "response"),
    "revocation-reason": (_revocation_reason, "response"),
    "crl-number": (_crl_number, "response"),
}


@pytest.mark.parametrize("case", list(HUGE_INTEGERS))
def test_huge_integers_are_printed_bounded(case: str, ec_pki: TestPKI, tmp_path: Path, capsys: Any) -> None:
    """A 5000-octet serial, version, status, reason or CRL number: loading (and its ParseError
    message), text, JSON, lint and repr give a result or an OCSPError, and print the integer
    bounded (hex, or decimal cut short and saying so), never a bare ValueError."""
    assert sys.get_int_max_str_digits() in (0, 4300) or sys.get_int_max_str_digits() < 12000
    make, kind = HUGE_INTEGERS[case]
    data = make(ec_pki)
    results = _everything_on(data, kind)
    _no_long_numbers(results)
    view = results[0]
    if case.endswith("serial"):
        assert not isinstance(view, OCSPError), view
        document = ocspkit.to_json(view)
        cert_id = (document["requests"] if kind == "request" else document["basic"]["responses"])[0]["cert_id"]
        assert cert_id["serial_number_int"] is None  # beyond what JSON readers can take
        assert cert_id["serial_number"].startswith("7FABAB")
    elif case in ("request-version", "response-version", "response-status", "revocation-reason"):
        assert isinstance(view, ParseError), view
        assert len(str(view)) < 500
        assert "0x7FABABAB" in str(view)
    # The command line prints it too (openssl mode: -reqin / -respin with -req_text / -resp_text).
    path = tmp_path / "message.der"
    path.write_bytes(data)
    args = ["-reqin", str(path), "-req_text"]
    if kind == "response":
        args = ["-respin", str(path), "-resp_text", "-noverify"]
    capsys.readouterr()
    cli.main(args)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Exceeds the limit" not in captured.out + captured.err


# --------------------------------------------------------------------------------------------
# 2. Deeply nested indefinite lengths in the printer's BER reader

DEEP = b"\x30\x80" * 3000 + b"\x00\x00" * 3000


@pytest.mark.parametrize(
    "oid",
    [
        "2.5.29.32",  # certificatePolicies: no meaning in a response, so it loads (raw)
        "1.3.6.1.5.5.7.48.1.3",  # CrlID: load_response refuses it, the printer reads it as OpenSSL does
    ],
)
def test_deeply_nested_indefinite_lengths_print(oid: str, ec_pki: TestPKI, tmp_path: Path, capsys: Any) -> None:
    """An extension whose value nests 3000 indefinite lengths: the printer says it cannot decode
    it (OpenSSL's fallback: the octets as a string) instead of raising RecursionError."""
    der = _response(ec_pki, ResponseBuilder().add_response(_cert_id(ec_pki, 5)).with_extension(oid, DEEP))
    text = ocspkit.response_text(der)
    assert "Response Extensions:" in text
    assert "Signature Algorithm" in text
    view = _survive(lambda: ocspkit.load_response(der))
    if not isinstance(view, OCSPError):
        document = ocspkit.to_json(view)
        assert document["basic"]["extensions"][0]["value"] is None
        ocspkit.to_json_text(view)
    _everything_on(der, "response")
    request = RequestBuilder().add_cert_id(_cert_id(ec_pki, 5)).with_extension(oid, DEEP).build()
    assert "Request Extensions:" in ocspkit.request_text(request.dump())
    _everything_on(request.dump(), "request")
    path = tmp_path / "deep.der"
    path.write_bytes(der)
    capsys.readouterr()
    rc = cli.main(["-respin", str(path), "-resp_text", "-noverify"])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert "Response Extensions:" in captured.out


# --------------------------------------------------------------------------------------------
# 3. repr() and str() of the views never raise

_CN = bytes.fromhex("0603550403")  # commonName
_UNKNOWN_TYPE = bytes.fromhex("06032a0304")  # 1.2.3.4: an attribute type nobody defines


def _name(attribute_type: bytes, value: bytes) -> bytes:
    return _tlv(0x30, _tlv(0x31, _tlv(0x30, attribute_type + value)))


HOSTILE_NAMES = {
    # Values of unknown attribute types are ANY: they load, and asn1crypto decodes them on demand.
    "not-utf8": _name(_UNKNOWN_TYPE, _tlv(0x0C, b"\xff\xfeA")),
    "bit-string-111-unused-bits": _name(_UNKNOWN_TYPE, _tlv(0x03, b"\x6f\x00")),
    "odd-bmp-string": _name(_UNKNOWN_TYPE, _tlv(0x1E, b"\x00A\x00")),
    "garbage": _name(_UNKNOWN_TYPE, _tlv(0x04, b"\xff" * 3)),
    "non-printable-printable-string": _name(_CN, _tlv(0x13, b"\xff\x00")),
}


@pytest.mark.parametrize("hostile", list(HOSTILE_NAMES))
def test_repr_and_str_of_views_never_raise(hostile: str, ec_pki: TestPKI) -> None:
    """Names accepted at load (as responder ID, requestor name, signer subject) that asn1crypto
    cannot decode: repr() and str() of every view, verdict and status still work."""
    name = HOSTILE_NAMES[hostile]
    good = _response(ec_pki)
    old_name = ocspkit.load_response(good).basic.responder_id.name_der
    der = _splice(good, _tlv(0xA1, old_name), _tlv(0xA1, name))
    for strict in (False, True):
        view = ocspkit.load_response(der, strict=strict)
        for item in _views(view):
            assert repr(item) and str(item)
        assert re.search(r"by_name (1\.2\.3\.4 ?[:=] |Common Name: )", repr(view.basic.responder_id))
    error = _survive(lambda: ocspkit.verify_response(der, trusted=[ec_pki.root.certificate]))
    assert isinstance(error, OCSPError)
    _everything_on(der, "response")
    # A requestor name (GeneralName directoryName [4]).
    request = RequestBuilder().add_cert_id(_cert_id(ec_pki, 5)).with_requestor_name(x509.Name.load(name)).build()
    for item in _views(ocspkit.load_request(request.dump())):
        assert repr(item) and str(item)
    _everything_on(request.dump(), "request")
    # A responder whose own subject is the hostile name: the response verifies, and the verdict,
    # the status and every check print.
    responder = _issue(ec_pki, x509.Name.load(name))
    leaf = ec_pki.issue_leaf()
    builder = ResponseBuilder().add_response(
        CertID.from_cert(leaf.certificate, ec_pki.intermediate.certificate), "good",
        next_update=dt.datetime.now(UTC) + dt.timedelta(hours=1),
    )
    signed = builder.sign(responder.private_key, responder.certificate).dump()
    outcome = _survive(
        lambda: ocspkit.check_status(
            signed, leaf.certificate, ec_pki.intermediate.certificate, trusted=[ec_pki.root.certificate]
        )
    )
    assert repr(outcome) and str(outcome)
    if not isinstance(outcome, OCSPError):
        assert repr(outcome.verdict) and str(outcome.verdict)
        assert all(str(check) for check in outcome.verdict.checks)


def _issue(pki: TestPKI, subject: Any) -> CertifiedKey:
    from ocspkit.testing import make_certificate

    key = crypto.generate_private_key("ec", curve="secp256r1")
    cert = make_certificate(
        subject=subject, public_key=key, issuer_key=pki.intermediate.private_key,
        issuer=pki.intermediate.certificate, serial_number=pki.next_serial(),
        not_before=pki.not_before, not_after=pki.not_after, extended_key_usage=("ocsp_signing",),
    )
    return CertifiedKey(cert, key, (pki.intermediate.certificate, pki.root.certificate))


# --------------------------------------------------------------------------------------------
# 4. Times without a zone, inside indefinite-length values


def test_zoneless_times_in_indefinite_lengths_are_never_re_encoded(ec_pki: TestPKI) -> None:
    """asn1crypto's dump() re-encodes every value with an indefinite length, from its native
    value: a GeneralizedTime without "Z" (a naive datetime) raised ValueError("Must be timezone
    aware"), and the bytes were not those received. Loading keeps them as received."""
    der = _response(ec_pki, ResponseBuilder().add_response(_cert_id(ec_pki, 5), "good",
                                                           next_update=dt.datetime.now(UTC)))
    view = ocspkit.load_response(der)
    single = view.basic.responses[0].dump()
    time = _first_match(rb"\x18\x0f\d{14}Z", single)
    contents = _elements(single)[0][1].replace(time, _tlv(0x18, time[2:-1]), 1)  # no "Z"
    indefinite = b"\x30\x80" + contents + b"\x00\x00"  # X.690 8.1.3.6
    hostile = _splice(der, single, indefinite)
    loaded = ocspkit.load_response(hostile)
    assert loaded.basic.responses[0].dump() == indefinite  # as received, not re-encoded
    assert loaded.basic.responses[0].this_update.tzinfo is not None
    assert {d.code for d in loaded.deviations} >= {"indefinite_length", "time_not_der"}
    with pytest.raises(ParseError):
        ocspkit.load_response(hostile, strict=True)
    for result in _everything_on(hostile, "response"):
        assert not isinstance(result, ValueError) or isinstance(result, ParseError)
    assert "This Update:" in ocspkit.response_text(hostile)
    assert ocspkit.to_json(loaded)["basic"]["responses"][0]["this_update"] is not None
    # The same with the whole BasicOCSPResponse and the ResponderID in indefinite lengths.
    basic = _tlv(0x30, _elements(_elements(_elements(hostile)[0][1])[1][1])[0][1])
    assert basic in hostile
    ocspkit.load_response(_splice(hostile, basic, b"\x30\x80" + _elements(basic)[0][1] + b"\x00\x00"))
    # A responder certificate in an indefinite length, with a notAfter without "Z": its signature
    # is checked over its tbsCertificate as received, the response verifies, and the verdict,
    # the status (whose reprs name certificates) and the text print.
    tbs, algorithm, _ = _elements(_elements(bytes(ec_pki.responder.certificate.dump()))[0][1])
    fields = _elements(tbs[1])
    not_before = _elements(fields[4][1])[0]
    fields[4] = (0x30, _tlv(*not_before) + _tlv(0x18, b"20400101000000"))
    new_tbs = _tlv(0x30, b"".join(_tlv(tag, contents) for tag, contents in fields))
    signature = crypto.sign(ec_pki.intermediate.private_key, new_tbs, _ECDSA_SHA256)
    responder = b"\x30\x80" + new_tbs + _tlv(*algorithm) + _tlv(0x03, b"\x00" + signature) + b"\x00\x00"
    leaf = ec_pki.issue_leaf()
    signed = (
        ResponseBuilder()
        .add_response(CertID.from_cert(leaf.certificate, ec_pki.intermediate.certificate), "good",
                      next_update=dt.datetime.now(UTC) + dt.timedelta(hours=1))
        .with_certificates([responder])
        .sign(ec_pki.responder.private_key, responder)
        .dump()
    )
    assert ocspkit.load_response(signed).basic.certs_der == (responder,)
    status = ocspkit.check_status(signed, leaf.certificate, ec_pki.intermediate.certificate,
                                  trusted=[ec_pki.root.certificate])
    assert status.good
    assert repr(status) and str(status) and str(status.verdict)
    assert "Certificate:" in ocspkit.response_text(signed)
    _everything_on(signed, "response")


# --------------------------------------------------------------------------------------------
# 5. PEM detection in linear time

# The loaders run on 2 MB of hostile PEM in a child process with a 60 s limit. This is not a
# timing assertion: linear code finishes in well under a second, the quadratic scan it replaces
# needed 2.3 s for 60 KB (about 40 minutes for 2 MB), so the limit only separates "linear" from
# "orders of magnitude too slow" and no machine is slow enough to blur the two.
_PEM_SCRIPT = textwrap.dedent(
    """
    import sys
    from ocspkit import crypto, load_request, load_response, verify
    from ocspkit.errors import OCSPError

    size = int(sys.argv[1])

    def repeat(line):
        return line * (size // len(line))

    inputs = {
        "response": repeat(b"-----BEGIN OCSP RESPONSE-----\\n"),
        "response-str": repeat(b"-----BEGIN OCSP RESPONSE-----\\n").decode(),
        "response-labels": repeat(b"-----BEGIN A-----\\n-----BEGIN B-----\\n"),
        "response-body": b"-----BEGIN OCSP RESPONSE-----\\n" + repeat(b"QUFB" * 16 + b"\\n"),
        "request": repeat(b"-----BEGIN OCSP REQUEST-----\\n"),
        "key": repeat(b"-----BEGIN PRIVATE KEY-----\\n"),
        "key-labels": repeat(b"-----BEGIN A PRIVATE KEY-----\\n-----BEGIN B PRIVATE KEY-----\\n"),
        "key-body": b"-----BEGIN PRIVATE KEY-----\\n" + repeat(b"QUFB" * 16 + b"\\n"),
        "key-body-ended": b"-----BEGIN PRIVATE KEY-----\\n" + repeat(b"QUFB" * 16 + b"\\n")
        + b"-----END PRIVATE KEY-----\\n",
        "key-rfc4716-style": b"---- BEGIN PRIVATE KEY ----\\n" + repeat(b"QUFB" * 16 + b"\\n"),
        "certificate": repeat(b"-----BEGIN CERTIFICATE-----\\n"),
        "certificate-body-ended": b"-----BEGIN CERTIFICATE-----\\n" + repeat(b"QUFB" * 16 + b"\\n")
        + b"-----END CERTIFICATE-----\\n",
    }
    loaders = {
        "response": load_response, "response-str": load_response, "response-labels": load_response,
        "response-body": load_response, "request": load_request,
        "certificate": crypto.load_certificates, "certificate-body-ended": crypto.load_certificates,
    }
    for name, data in inputs.items():
        readers = (loaders.get(name, crypto.load_private_key), crypto.load_private_key, crypto.load_public_key,
                   crypto.load_certificates, verify.load_trusted_certificates)
        for loader in readers:
            try:
                loader(data)
            except OCSPError:
                pass
            else:
                raise SystemExit(f"{name}: {loader.__name__} accepted hostile PEM")
    print("linear")
    """
)


def test_pem_detection_is_linear(tmp_path: Path) -> None:
    """Every PEM reader on 2 MB of BEGIN lines without END lines (one label, many labels, one
    BEGIN line and a long body) refuses with an OCSPError and finishes (see the comment above)."""
    script = tmp_path / "pem_linear.py"
    script.write_text(_PEM_SCRIPT)
    try:
        result = subprocess.run(
            [sys.executable, str(script), str(2 * 1024 * 1024)], capture_output=True, text=True,
            timeout=60, check=False, cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("PEM detection took more than 60 s on 2 MB: it is not linear")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "linear"


def test_pem_still_reads_what_it_read(ec_pki: TestPKI) -> None:
    """The linear scan reads the blocks the regular expression read: leading whitespace, CRLF,
    a key after certificates, and refuses the wrong label or a missing END line."""
    der = _response(ec_pki)
    pem = ocspkit.load_response(der).pem()
    assert ocspkit.load_response(b"\r\n  " + pem.replace(b"\n", b"\r\n")).dump() == der
    assert ocspkit.load_response(pem.decode()).dump() == der
    with pytest.raises(ParseError, match="END"):
        ocspkit.load_response(pem.split(b"-----END")[0])
    with pytest.raises(ParseError, match="labelled"):
        ocspkit.load_request(pem)
    key = crypto.load_private_key(ec_pki.responder.key_and_chain_pem)
    assert key.asn1.dump() == crypto.load_private_key(ec_pki.responder.key_pem).asn1.dump()
    mixed = ec_pki.responder.cert_pem + ec_pki.responder.key_pem
    assert crypto.load_private_key(mixed).asn1.dump() == key.asn1.dump()


# --------------------------------------------------------------------------------------------
# 6. Trailing bytes inside a constructed responseBytes OCTET STRING


def _octet_strings(basic: bytes, trailing: bytes) -> Dict[str, bytes]:
    half = len(basic) // 2
    return {
        "primitive": _tlv(0x04, basic + trailing),
        # X.690 8.7.3.2: a constructed OCTET STRING of primitive segments, indefinite length.
        "constructed": b"\x24\x80" + _tlv(0x04, basic[:half]) + _tlv(0x04, basic[half:] + trailing) + b"\x00\x00",
        "constructed-extra-segment": b"\x24\x80" + _tlv(0x04, basic[:half]) + _tlv(0x04, basic[half:])
        + (_tlv(0x04, trailing) if trailing else b"") + b"\x00\x00",
    }


@pytest.mark.parametrize("form", ["primitive", "constructed", "constructed-extra-segment"])
def test_trailing_bytes_in_response_bytes_are_refused(form: str) -> None:
    """One rule for both forms: the BasicOCSPResponse must fill the OCTET STRING exactly, so
    trailing bytes are refused (and the response no longer verifies); without them the
    constructed form still loads and verifies."""
    scenario = make_scenario("good", TestPKI("ec"))
    basic = ocspkit.load_response(scenario.response_der).basic.dump()
    wrapped = _tlv(0x04, basic)
    for trailing in (b"\x05\x00", b"\x00"):
        hostile = _splice(scenario.response_der, wrapped, _octet_strings(basic, trailing)[form])
        for strict in (False, True):
            with pytest.raises(ParseError):
                ocspkit.load_response(hostile, strict=strict)
        with pytest.raises(ParseError):
            ocspkit.check_status(hostile, scenario.cert.certificate, scenario.issuer.certificate,
                                 trusted=scenario.trusted, now=scenario.now)
        with pytest.raises(ParseError):
            ocspkit.verify_response(hostile, trusted=scenario.trusted, now=scenario.now)
    clean = _splice(scenario.response_der, wrapped, _octet_strings(basic, b"")[form])
    assert ocspkit.load_response(clean).basic.dump() == basic
    status = ocspkit.check_status(clean, scenario.cert.certificate, scenario.issuer.certificate,
                                  trusted=scenario.trusted, now=scenario.now)
    assert status.good


# --------------------------------------------------------------------------------------------
# 7. signatureAlgorithm different from tbsCertificate.signature (RFC 5280 4.1.1.2)


def _with_algorithms(cert: Any, issuer_key: Any, tbs_algorithm: bytes, outer_algorithm: bytes, signing: Any) -> bytes:
    """``cert`` with the given AlgorithmIdentifiers in tbsCertificate.signature and
    signatureAlgorithm, its tbsCertificate signed by ``issuer_key`` with ``signing`` (so the
    signature verifies under the outer algorithm)."""
    tbs, _, _ = _elements(_elements(bytes(cert.dump()))[0][1])
    fields = _elements(tbs[1])
    fields[2] = (fields[2][0], _elements(tbs_algorithm)[0][1])
    new_tbs = _tlv(0x30, b"".join(_tlv(tag, contents) for tag, contents in fields))
    signature = crypto.sign(issuer_key, new_tbs, signing)
    return _tlv(0x30, new_tbs + outer_algorithm + _tlv(0x03, b"\x00" + signature))


_ECDSA_SHA256 = algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"})
_ECDSA_SHA384 = algos.SignedDigestAlgorithm({"algorithm": "sha384_ecdsa"})
_ECDSA_SHA256_NULL = _tlv(0x30, _elements(_ECDSA_SHA256.dump())[0][1] + b"\x05\x00")

MISMATCHES = {
    # The outer AlgorithmIdentifier gains NULL parameters; the tbsCertificate keeps none.
    "parameters-added": (_ECDSA_SHA256.dump(), _ECDSA_SHA256_NULL),
    # tbsCertificate.signature names SHA-384; the certificate is signed (and says) SHA-256.
    "other-algorithm": (_ECDSA_SHA384.dump(), _ECDSA_SHA256.dump()),
}


@pytest.mark.parametrize("which", ["responder", "intermediate"])
@pytest.mark.parametrize("mismatch", list(MISMATCHES))
def test_signature_algorithm_mismatch_is_refused(
    which: str, mismatch: str, tmp_path: Path, openssl_bin: str
) -> None:
    """RFC 5280 4.1.1.2: a certificate whose signatureAlgorithm differs from its
    tbsCertificate.signature fails the chain (ChainError) in verify_response, verify_request and
    check_status, as it fails OpenSSL's X509_verify ("Response Verify Failure")."""
    pki = TestPKI("ec")
    tbs_algorithm, outer_algorithm = MISMATCHES[mismatch]
    issuer_key = (pki.intermediate if which == "responder" else pki.root).private_key
    original = (pki.responder if which == "responder" else pki.intermediate).certificate
    bad = _with_algorithms(original, issuer_key, tbs_algorithm, outer_algorithm, _ECDSA_SHA256)
    responder = bad if which == "responder" else pki.responder.certificate
    intermediate = bad if which == "intermediate" else pki.intermediate.certificate
    leaf = pki.issue_leaf()
    now = dt.datetime.now(UTC)
    builder = ResponseBuilder().add_response(
        CertID.from_cert(leaf.certificate, pki.intermediate.certificate), "good",
        this_update=now - dt.timedelta(minutes=5), next_update=now + dt.timedelta(hours=1),
    ).with_certificates([responder])
    response = builder.sign(pki.responder.private_key, responder).dump()
    # OCSP_request_verify builds the chain from the request's own certificates.
    request = RequestBuilder().add_cert(leaf.certificate, pki.intermediate.certificate).sign(
        pki.responder.private_key, responder, extra_certs=[intermediate]
    ).dump()
    trusted = [pki.root.certificate]

    def refused(call: Callable[[], Any]) -> None:
        with pytest.raises(ChainError) as caught:
            call()
        message = str(caught.value)
        assert "signatureAlgorithm" in message and "tbsCertificate.signature" in message, message
        assert "certificate signature failure" in message  # OpenSSL's verify error, as below

    refused(lambda: ocspkit.verify_response(response, trusted=trusted, untrusted=[intermediate]))
    refused(lambda: ocspkit.verify_request(request, trusted=trusted, untrusted=[intermediate]))
    refused(lambda: ocspkit.check_status(response, leaf.certificate, intermediate, trusted=trusted))
    # The control: the same messages with the certificate as issued verify.
    good = (pki.responder if which == "responder" else pki.intermediate).certificate
    fixed_response = _splice(response, bad, bytes(good.dump())) if which == "responder" else response
    fixed_intermediate = pki.intermediate.certificate
    ocspkit.verify_response(fixed_response, trusted=trusted, untrusted=[fixed_intermediate])
    # The oracle: openssl refuses the same response, and accepts the control.
    for name, data in (("root.pem", pki.root.cert_pem), ("leaf.pem", leaf.cert_pem)):
        (tmp_path / name).write_bytes(data)
    for label, message, other in (
        ("hostile", response, intermediate),
        ("control", fixed_response, fixed_intermediate),
    ):
        (tmp_path / "response.der").write_bytes(message)
        (tmp_path / "other.pem").write_bytes(_pem(other if isinstance(other, bytes) else bytes(other.dump())))
        result = run([
            openssl_bin, "ocsp", "-respin", tmp_path / "response.der", "-CAfile", tmp_path / "root.pem",
            "-no-CApath", "-no-CAstore", "-verify_other", tmp_path / "other.pem", "-issuer",
            tmp_path / "other.pem", "-cert", tmp_path / "leaf.pem", "-no_nonce",
        ])
        output = result.stdout + result.stderr
        if label == "hostile":
            assert "Response Verify Failure" in output, output
            assert "Verify error: certificate signature failure" in output, output
            assert result.returncode != 0
        else:
            assert "Response verify OK" in output, output


def _pem(der: bytes) -> bytes:
    from ocspkit._der import pem_armor

    return pem_armor(der, "CERTIFICATE")


# --------------------------------------------------------------------------------------------
# Found by the in-project fuzz run (tests/fuzz, seed 20261207): lint on a response whose
# responseBytes OCTET STRING is constructed, in nested segments that split the BasicOCSPResponse's
# own header. lint sliced fields out of the message by offsets, which do not address the joined
# segments: an IndexError from _der.tlv_end, or, here, a false "signer.not_included".


def _nested_segments(response_der: bytes) -> bytes:
    basic = ocspkit.load_response(response_der).basic.dump()
    inner = b"\x24\x80" + _tlv(0x04, basic[2:4]) + _tlv(0x04, basic[4:]) + b"\x00\x00"
    octets = b"\x24\x80" + _tlv(0x04, basic[:2]) + inner + b"\x00\x00"  # X.690 8.7.3.2
    response_bytes = _tlv(0x30, _tlv(0x06, bytes.fromhex("2b0601050507300101")) + octets)
    return _tlv(0x30, b"\x0a\x01\x00" + _tlv(0xA0, response_bytes))


@pytest.mark.parametrize("name", ["good", "revoked", "nonce-wrong"])
def test_lint_reads_fields_inside_constructed_strings_as_received(name: str) -> None:
    primitive = bytes(make_scenario(name).response_der)
    nested = _nested_segments(primitive)
    assert ocspkit.load_response(nested).basic.dump() == ocspkit.load_response(primitive).basic.dump()
    plain = {f.code for f in lint.lint(primitive)}
    ber = {f.code for f in lint.lint(nested)}
    assert ber == plain | {"der.constructed_primitive", "der.indefinite_length"}


@pytest.mark.parametrize("data", [b"\x1f\x81", b"\x30", b"\x30\x85\x01", b"\x30\x05\x02\x01", b"\x30\x80\x02\x01"])
def test_tlv_slicing_is_total(data: bytes) -> None:
    """tlv_end / first_child on bytes that are not a whole TLV: ParseError, never IndexError."""
    with pytest.raises(ParseError):
        tlv_end(data, 0)
    with pytest.raises(ParseError):
        first_child(data)
