"""ocspkit.nonce against OpenSSL: the ``openssl ocsp`` command line and OCSP_check_nonce itself.

Two oracles, neither written here:

* ``openssl ocsp -respin R -reqin Q -CAfile root.pem -verify_other int.pem`` prints
  "Nonce Verify error" (and fails) for MISMATCH, "WARNING: no nonce in response" for REQUEST_ONLY
  and nothing about nonces for EQUAL, BOTH_ABSENT and RESPONSE_ONLY;
* OpenSSL's OCSP_check_nonce, called through ctypes in the system libcrypto, returns the five
  values themselves (1, 2, 3, -1, 0), so those three silent outcomes are told apart too.

ocspkit's ``openssl_outcome`` must equal OpenSSL's answer everywhere. Its ``outcome`` equals it
too, except where one side carries the nonce wrapped and the other raw: OpenSSL compares the
extnValue octets and says MISMATCH, ocspkit compares nonces and says EQUAL (a documented choice).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
from _openssl_cli import req_text, run
from conftest import MANIFEST, libcrypto_cdll, read_vector

import ocspkit
from ocspkit._writers import wrapped_nonce
from ocspkit.asn1 import OID
from ocspkit.enums import NonceCheck
from ocspkit.errors import NonceMismatch, OCSPTypeError, UnsuccessfulResponse, VerificationError
from ocspkit.extensions import NonceForm
from ocspkit.nonce import (
    RFC8954_MAX_NONCE_LENGTH,
    NonceComparison,
    check_nonce,
    compare_nonces,
    copy_nonce,
    make_nonce,
    nonce_length_ok,
    require_nonce,
)
from ocspkit.request import OCSPRequest, RequestBuilder
from ocspkit.response import OCSPResponse, ResponseBuilder, unsuccessful_response
from ocspkit.testing import CertifiedKey, TestPKI

NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
N = bytes(range(1, 17))  # the nonce of the "N" messages
M = bytes(range(101, 133))  # another nonce, 32 octets

# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def leaf(pki: TestPKI) -> CertifiedKey:
    return pki.issue_leaf("nonce.example")


@pytest.fixture(scope="module")
def files(pki: TestPKI, leaf: CertifiedKey, tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("nonce")
    (d / "root.pem").write_bytes(pki.root.cert_pem)
    (d / "int.pem").write_bytes(pki.intermediate.cert_pem)
    (d / "leaf.pem").write_bytes(leaf.cert_pem)
    return d


@pytest.fixture(scope="module")
def request_builder(pki: TestPKI, leaf: CertifiedKey) -> RequestBuilder:
    return RequestBuilder().add_cert(leaf.certificate, pki.intermediate.certificate)


@pytest.fixture(scope="module")
def response_builder(request_builder: RequestBuilder) -> ResponseBuilder:
    cert_id = request_builder.build().cert_ids[0]
    return ResponseBuilder().add_response(cert_id, next_update=NOW + dt.timedelta(hours=1))


def sign(pki: TestPKI, builder: ResponseBuilder) -> OCSPResponse:
    return builder.sign(pki.responder.private_key, pki.responder.certificate, now=NOW)


# --- the oracles ---------------------------------------------------------------------------------


class LibCrypto:
    """OCSP_check_nonce from the system libcrypto, over DER as ocspkit wrote or read it."""

    def __init__(self, lib: Any) -> None:
        p = ctypes.c_void_p
        self.lib = lib
        for name in ("d2i_OCSP_REQUEST", "d2i_OCSP_RESPONSE"):
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = p, [p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_long]
        lib.OCSP_response_get1_basic.restype, lib.OCSP_response_get1_basic.argtypes = p, [p]
        lib.OCSP_check_nonce.restype, lib.OCSP_check_nonce.argtypes = ctypes.c_int, [p, p]
        for name in ("OCSP_REQUEST_free", "OCSP_RESPONSE_free", "OCSP_BASICRESP_free"):
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = None, [p]

    def _d2i(self, name: str, der: bytes) -> int:
        cursor = ctypes.c_char_p(der)
        obj = getattr(self.lib, name)(None, ctypes.byref(cursor), len(der))
        assert obj, f"{name} refused the input"
        return int(obj)

    def check_nonce(self, request_der: bytes, response_der: bytes) -> NonceCheck:
        req = self._d2i("d2i_OCSP_REQUEST", request_der)
        resp = self._d2i("d2i_OCSP_RESPONSE", response_der)
        basic = self.lib.OCSP_response_get1_basic(resp)
        try:
            assert basic, "not a basic response"
            return NonceCheck(self.lib.OCSP_check_nonce(req, basic))
        finally:
            self.lib.OCSP_BASICRESP_free(basic)
            self.lib.OCSP_RESPONSE_free(resp)
            self.lib.OCSP_REQUEST_free(req)


@pytest.fixture(scope="session")
def libcrypto() -> LibCrypto:
    return LibCrypto(libcrypto_cdll("OCSP_check_nonce"))


def openssl_nonce_verdict(
    openssl_bin: str, files: Path, request_der: bytes, response_der: bytes
) -> Tuple[str, Any]:
    """What ``openssl ocsp`` says about the nonce: "mismatch", "request_only" or "silent"."""
    (files / "q.der").write_bytes(request_der)
    (files / "r.der").write_bytes(response_der)
    r = run([openssl_bin, "ocsp", "-respin", files / "r.der", "-reqin", files / "q.der",
             "-CAfile", files / "root.pem", "-verify_other", files / "int.pem"])
    out = r.stdout + r.stderr
    if "Nonce Verify error" in out:
        assert r.returncode == 1  # apps/ocsp.c stops there
        return "mismatch", r
    if "WARNING: no nonce in response" in out:
        return "request_only", r
    return "silent", r


CLI_CLASS = {
    NonceCheck.MISMATCH: "mismatch",
    NonceCheck.REQUEST_ONLY: "request_only",
    NonceCheck.EQUAL: "silent",
    NonceCheck.BOTH_ABSENT: "silent",
    NonceCheck.RESPONSE_ONLY: "silent",
}

# --- the matrix: every request form against every response form ----------------------------------

# name -> (extnValue of the nonce extension or None, which nonce it carries)
REQUEST_FORMS: Dict[str, Tuple[Optional[bytes], Optional[bytes]]] = {
    "none": (None, None),
    "wrapped-N": (wrapped_nonce(N), N),
    "raw-N": (N, N),
    "wrapped-M": (wrapped_nonce(M), M),
    "raw-M": (M, M),
}
RESPONSE_FORMS: Dict[str, Tuple[Optional[bytes], Optional[bytes]]] = {
    "none": (None, None),
    "wrapped-N": (wrapped_nonce(N), N),
    "raw-N": (N, N),
    "wrapped-M": (wrapped_nonce(M), M),
    # A responder that wrapped the request's whole extnValue once more.
    "double-wrapped-N": (wrapped_nonce(wrapped_nonce(N)), N),
}


def build_request(builder: RequestBuilder, value: Optional[bytes]) -> OCSPRequest:
    return builder.build() if value is None else builder.with_extension(OID.NONCE, value).build()


def build_response(pki: TestPKI, builder: ResponseBuilder, value: Optional[bytes]) -> OCSPResponse:
    return sign(pki, builder if value is None else builder.with_extension(OID.NONCE, value))


# The pairs ocspkit calls EQUAL: the same nonce, whichever form carries it. A response that wraps
# the request's whole extnValue once more (double-wrapped) still echoes a wrapped request's bytes;
# for a raw request it is wrapped twice over, and stays a mismatch.
SAME_NONCE = {
    ("wrapped-N", "wrapped-N"), ("wrapped-N", "raw-N"), ("wrapped-N", "double-wrapped-N"),
    ("raw-N", "wrapped-N"), ("raw-N", "raw-N"),
    ("wrapped-M", "wrapped-M"), ("raw-M", "wrapped-M"),
}


def expected_ours(q: str, r: str) -> NonceCheck:
    if q == "none":
        return NonceCheck.BOTH_ABSENT if r == "none" else NonceCheck.RESPONSE_ONLY
    if r == "none":
        return NonceCheck.REQUEST_ONLY
    return NonceCheck.EQUAL if (q, r) in SAME_NONCE else NonceCheck.MISMATCH


@pytest.fixture(scope="module")
def matrix(
    pki: TestPKI, request_builder: RequestBuilder, response_builder: ResponseBuilder
) -> Dict[Tuple[str, str], Tuple[OCSPRequest, OCSPResponse]]:
    requests = {k: build_request(request_builder, v) for k, (v, _) in REQUEST_FORMS.items()}
    responses = {k: build_response(pki, response_builder, v) for k, (v, _) in RESPONSE_FORMS.items()}
    return {(q, r): (requests[q], responses[r]) for q in requests for r in responses}


PAIRS = [(q, r) for q in REQUEST_FORMS for r in RESPONSE_FORMS]


@pytest.mark.parametrize(("q", "r"), PAIRS, ids=[f"{q}|{r}" for q, r in PAIRS])
def test_matrix_against_openssl(
    q: str, r: str, matrix: Dict[Tuple[str, str], Tuple[OCSPRequest, OCSPResponse]],
    libcrypto: LibCrypto, openssl_bin: str, files: Path,
) -> None:
    request, response = matrix[(q, r)]
    q_value, q_nonce = REQUEST_FORMS[q]
    r_value, r_nonce = RESPONSE_FORMS[r]
    comparison = compare_nonces(request, response)

    # OpenSSL's five-valued answer, from OCSP_check_nonce itself.
    openssl = libcrypto.check_nonce(request.dump(), response.dump())
    assert comparison.openssl_outcome is openssl
    assert check_nonce(request, response, exact=True) is openssl
    # The command line agrees with it, and the signature (not the subject here) verifies.
    verdict, run = openssl_nonce_verdict(openssl_bin, files, request.dump(), response.dump())
    assert verdict == CLI_CLASS[openssl], run.stderr
    if verdict != "mismatch":
        assert "Response verify OK" in run.stderr, run.stderr

    # ocspkit's answer: compares the nonces, whatever form carries them.
    assert comparison.outcome is expected_ours(q, r)
    assert check_nonce(request, response) is comparison.outcome
    if comparison.outcome is not openssl:
        # The only disagreement: the same nonce, in two different encodings.
        assert (comparison.outcome, openssl) == (NonceCheck.EQUAL, NonceCheck.MISMATCH)
        assert q_value != r_value and (q, r) in SAME_NONCE
    assert comparison.agrees_with_openssl is (comparison.outcome is openssl)

    # What was seen on each side.
    assert comparison.request_value == q_value and comparison.response_value == r_value
    if q_value is None:
        assert comparison.request_form is None and comparison.request_nonce is None
    else:
        assert comparison.request_form is (NonceForm.RAW if q.startswith("raw") else NonceForm.WRAPPED)
        assert comparison.request_nonce == q_nonce
    if r_value is None:
        assert comparison.response_form is None and comparison.response_nonce is None
    elif r.startswith("raw"):
        assert comparison.response_form is NonceForm.RAW and comparison.response_nonce == N
    elif r.startswith("double"):
        # Read as wrapped: the nonce is the request's whole extnValue.
        assert comparison.response_form is NonceForm.WRAPPED
        assert comparison.response_nonce == wrapped_nonce(N)
    else:
        assert comparison.response_form is NonceForm.WRAPPED and comparison.response_nonce == r_nonce


def test_five_outcomes_have_openssl_numbers() -> None:
    assert {c.name: int(c) for c in NonceCheck} == {
        "MISMATCH": 0, "EQUAL": 1, "BOTH_ABSENT": 2, "RESPONSE_ONLY": 3, "REQUEST_ONLY": -1,
    }


def test_basic_response_and_nonce_bytes_accepted(
    matrix: Dict[Tuple[str, str], Tuple[OCSPRequest, OCSPResponse]],
) -> None:
    request, response = matrix[("wrapped-N", "wrapped-N")]
    assert check_nonce(request, response.basic) is NonceCheck.EQUAL
    # The nonce bytes a client kept, instead of the request: taken as sent wrapped.
    assert check_nonce(N, response) is NonceCheck.EQUAL
    assert check_nonce(bytearray(N), response) is NonceCheck.EQUAL
    assert check_nonce(M, response) is NonceCheck.MISMATCH
    assert check_nonce(None, response) is NonceCheck.RESPONSE_ONLY
    assert check_nonce(None, matrix[("none", "none")][1]) is NonceCheck.BOTH_ABSENT
    raw = compare_nonces(N, matrix[("raw-N", "raw-N")][1])
    assert (raw.outcome, raw.openssl_outcome) == (NonceCheck.EQUAL, NonceCheck.MISMATCH)
    assert raw.request_form is NonceForm.WRAPPED and raw.response_form is NonceForm.RAW


def test_first_nonce_extension_counts_as_in_openssl(
    pki: TestPKI, request_builder: RequestBuilder, response_builder: ResponseBuilder, libcrypto: LibCrypto
) -> None:
    request = request_builder.with_nonce(N).with_extension(OID.NONCE, wrapped_nonce(M)).build()
    assert [e.name for e in request.extensions] == ["nonce", "nonce"]
    for echoed, expected in ((N, NonceCheck.EQUAL), (M, NonceCheck.MISMATCH)):
        response = sign(pki, response_builder.with_nonce(echoed))
        assert check_nonce(request, response) is expected
        assert libcrypto.check_nonce(request.dump(), response.dump()) is expected


def test_nonce_in_single_extensions_is_not_the_response_nonce(libcrypto: LibCrypto) -> None:
    # Go's vector carries a nonce among the singleExtensions and none among responseExtensions.
    response = ocspkit.load_response(read_vector("go/ocspResponseWithExtension.der"))
    assert response.responses[0].extensions.get("nonce") is not None
    request = ocspkit.load_request(read_vector("asn1crypto/ocsp_request.der"))
    assert check_nonce(request, response) is NonceCheck.REQUEST_ONLY
    assert libcrypto.check_nonce(request.dump(), response.dump()) is NonceCheck.REQUEST_ONLY


# --- real vectors ---------------------------------------------------------------------------------


def manifest(file: str) -> Dict[str, Any]:
    return next(e for e in MANIFEST if e["file"] == file)


def manifest_nonce(file: str, section: str) -> bytes:
    ext = next(e for e in manifest(file)["expect"][section] if e["oid"] == OID.NONCE)
    return bytes.fromhex(ext["nonce"])


def test_asn1crypto_pair_is_request_only(openssl_bin: str, files: Path, libcrypto: LibCrypto) -> None:
    # MANIFEST: the request carries an OCSP Nonce (openssl_observed), the response no extensions.
    assert manifest("asn1crypto/ocsp_request.der")["openssl_observed"]["request_extensions"] == [
        {"name": "OCSP Nonce", "critical": False}
    ]
    assert manifest("asn1crypto/ocsp_response.der")["expect"]["response_extensions"] is None
    request = ocspkit.load_request(read_vector("asn1crypto/ocsp_request.der"))
    response = ocspkit.load_response(read_vector("asn1crypto/ocsp_response.der"))
    comparison = compare_nonces(request, response)
    assert comparison.outcome is comparison.openssl_outcome is NonceCheck.REQUEST_ONLY
    assert comparison.request_form is NonceForm.WRAPPED
    assert comparison.request_nonce == bytes.fromhex("299F08687FCA4C9A613DFF8B675687A7")
    assert comparison.response_form is None and comparison.response_nonce is None
    assert libcrypto.check_nonce(request.dump(), response.dump()) is NonceCheck.REQUEST_ONLY
    verdict, run = openssl_nonce_verdict(openssl_bin, files, request.dump(), response.dump())
    assert verdict == "request_only", run.stderr  # (verification then fails: not our PKI)
    with pytest.raises(NonceMismatch, match="response has none"):
        require_nonce(request, response)
    require_nonce(request, response, allow_missing=True)


def test_rustcrypto_nonce_request_against_rustcrypto_response(
    openssl_bin: str, files: Path, libcrypto: LibCrypto
) -> None:
    request = ocspkit.load_request(read_vector("rustcrypto/ocsp-multiple-requests-nonce-req.der"))
    response = ocspkit.load_response(read_vector("rustcrypto/ocsp-multiple-exts-res.der"))
    assert manifest("rustcrypto/ocsp-multiple-requests-nonce-req.der")["expect"]["nonce_present"] is True
    comparison = compare_nonces(request, response)
    assert comparison.request_form is comparison.response_form is NonceForm.WRAPPED
    assert len(comparison.request_nonce or b"") == 32
    assert comparison.response_nonce == manifest_nonce("rustcrypto/ocsp-multiple-exts-res.der",
                                                       "response_extensions")
    assert comparison.outcome is comparison.openssl_outcome is NonceCheck.MISMATCH
    assert libcrypto.check_nonce(request.dump(), response.dump()) is NonceCheck.MISMATCH
    verdict, run = openssl_nonce_verdict(openssl_bin, files, request.dump(), response.dump())
    assert verdict == "mismatch", run.stderr
    with pytest.raises(NonceMismatch, match="differs from the request nonce"):
        require_nonce(request, response)


@pytest.mark.parametrize("file", ["rustcrypto/ocsp-multiple-requests-nonce-req.der",
                                  "rustcrypto/ocsp-multiple-exts-clean-req.der",
                                  "cryptography/req-ext-nonce.der"])
def test_answering_a_vector_request_with_copy_nonce(
    file: str, pki: TestPKI, response_builder: ResponseBuilder, openssl_bin: str, files: Path,
    libcrypto: LibCrypto,
) -> None:
    request = ocspkit.load_request(read_vector(file))
    value = copy_nonce(request)
    assert value is not None
    expect = manifest(file)["expect"]
    if "request_extensions" in expect:
        assert request.nonce == manifest_nonce(file, "request_extensions")
        stated = next(e for e in expect["request_extensions"] if e["oid"] == OID.NONCE).get("extn_value")
        if stated:
            assert value == bytes.fromhex(stated)
    # Our own leaf's status, with the vector's nonce: the signature verifies against our PKI.
    response = sign(pki, response_builder.with_extension(OID.NONCE, value, replace=True))
    assert check_nonce(request, response) is check_nonce(request, response, exact=True) is NonceCheck.EQUAL
    assert libcrypto.check_nonce(request.dump(), response.dump()) is NonceCheck.EQUAL
    verdict, run = openssl_nonce_verdict(openssl_bin, files, request.dump(), response.dump())
    assert verdict == "silent" and "Response verify OK" in run.stderr, run.stderr
    require_nonce(request, response, strict=True)


def test_vector_requests_without_nonce(libcrypto: LibCrypto, openssl_bin: str, files: Path) -> None:
    request = ocspkit.load_request(read_vector("go/ocspRequest.der"))
    assert copy_nonce(request) is None
    for file, expected in (("asn1crypto/ocsp_response.der", NonceCheck.BOTH_ABSENT),
                           ("rustcrypto/ocsp-multiple-exts-res.der", NonceCheck.RESPONSE_ONLY)):
        response = ocspkit.load_response(read_vector(file))
        assert check_nonce(request, response) is check_nonce(request, response, exact=True) is expected
        assert libcrypto.check_nonce(request.dump(), response.dump()) is expected
        verdict, run = openssl_nonce_verdict(openssl_bin, files, request.dump(), response.dump())
        assert verdict == "silent", run.stderr


def _vector_messages() -> Tuple[List[Tuple[str, bytes]], List[Tuple[str, bytes]]]:
    requests, responses = [], []
    for entry in MANIFEST:
        if entry["kind"] not in ("ocsp-request", "ocsp-response") or entry["expect"].get("must_parse") is False:
            continue
        if (entry.get("openssl_observed") or {}).get("openssl_rc") != 0:
            continue
        data = read_vector(entry["file"])
        try:
            if entry["kind"] == "ocsp-request":
                requests.append((entry["file"], ocspkit.load_request(data, allow_unknown_critical=True).dump()))
            elif ocspkit.load_response(data, allow_unknown_critical=True).successful:
                responses.append((entry["file"], data))
        except ocspkit.OCSPError:
            continue
    return requests, responses


def test_every_vector_pair_agrees_with_openssl(libcrypto: LibCrypto) -> None:
    requests, responses = _vector_messages()
    assert len(requests) >= 5 and len(responses) >= 10
    seen = set()
    for q_name, q_der in requests:
        request = ocspkit.load_request(q_der, allow_unknown_critical=True)
        for r_name, r_der in responses:
            response = ocspkit.load_response(r_der, allow_unknown_critical=True)
            comparison = compare_nonces(request, response)
            openssl = libcrypto.check_nonce(q_der, r_der)
            assert comparison.openssl_outcome is openssl, (q_name, r_name)
            assert comparison.outcome is openssl, (q_name, r_name)  # every vector nonce is wrapped
            seen.add(openssl)
    assert seen == {NonceCheck.MISMATCH, NonceCheck.BOTH_ABSENT, NonceCheck.RESPONSE_ONLY, NonceCheck.REQUEST_ONLY}


# --- copy_nonce and the builder -------------------------------------------------------------------


@pytest.mark.parametrize("form", ["wrapped", "raw"])
def test_copy_nonce_echoes_what_openssl_compares(
    form: str, pki: TestPKI, request_builder: RequestBuilder, response_builder: ResponseBuilder,
    libcrypto: LibCrypto, openssl_bin: str, files: Path,
) -> None:
    value = wrapped_nonce(N) if form == "wrapped" else N
    request = request_builder.with_extension(OID.NONCE, value).build()
    assert copy_nonce(request) == value
    copied = sign(pki, response_builder.with_extension(OID.NONCE, copy_nonce(request) or b""))
    assert libcrypto.check_nonce(request.dump(), copied.dump()) is NonceCheck.EQUAL
    assert openssl_nonce_verdict(openssl_bin, files, request.dump(), copied.dump())[0] == "silent"
    # ResponseBuilder.with_nonce(request) echoes the extension value as received, wrapped or
    # raw, so OpenSSL's octet-for-octet comparison holds in both forms.
    echoed = sign(pki, response_builder.with_nonce(request))
    assert libcrypto.check_nonce(request.dump(), echoed.dump()) is NonceCheck.EQUAL
    assert compare_nonces(request, echoed).openssl_outcome is NonceCheck.EQUAL
    assert check_nonce(request, echoed, exact=True) is NonceCheck.EQUAL
    assert openssl_nonce_verdict(openssl_bin, files, request.dump(), echoed.dump())[0] == "silent"


def test_copy_nonce_types() -> None:
    with pytest.raises(OCSPTypeError):
        copy_nonce(b"not a request")  # type: ignore[arg-type]


# --- require_nonce ---------------------------------------------------------------------------------


def test_require_nonce_outcomes(matrix: Dict[Tuple[str, str], Tuple[OCSPRequest, OCSPResponse]]) -> None:
    def pair(q: str, r: str) -> Tuple[OCSPRequest, OCSPResponse]:
        return matrix[(q, r)]

    require_nonce(*pair("wrapped-N", "wrapped-N"))  # EQUAL
    require_nonce(*pair("none", "none"), strict=True)  # BOTH_ABSENT
    require_nonce(*pair("none", "wrapped-N"))  # RESPONSE_ONLY, not strict
    require_nonce(*pair("wrapped-N", "raw-N"))  # same nonce, other form

    with pytest.raises(NonceMismatch) as info:
        require_nonce(*pair("wrapped-N", "wrapped-M"))
    assert isinstance(info.value, VerificationError) and info.value.reason == "nonce"
    error: Any = info.value
    assert error.outcome is NonceCheck.MISMATCH
    assert isinstance(error.comparison, NonceComparison)
    assert N.hex().upper() in str(error) and M.hex().upper() in str(error)
    assert "16 octets, wrapped form" in str(error) and "32 octets, wrapped form" in str(error)

    with pytest.raises(NonceMismatch, match="response has none") as info:
        require_nonce(*pair("raw-N", "none"))
    assert info.value.outcome is NonceCheck.REQUEST_ONLY  # type: ignore[attr-defined]
    assert "raw form" in str(info.value)
    require_nonce(*pair("raw-N", "none"), allow_missing=True)

    with pytest.raises(NonceMismatch, match="request had none") as info:
        require_nonce(*pair("none", "raw-N"), strict=True)
    assert info.value.outcome is NonceCheck.RESPONSE_ONLY  # type: ignore[attr-defined]

    with pytest.raises(NonceMismatch, match="another form") as info:
        require_nonce(*pair("wrapped-N", "raw-N"), exact=True)
    assert info.value.outcome is NonceCheck.MISMATCH  # type: ignore[attr-defined]
    assert info.value.comparison.outcome is NonceCheck.EQUAL  # type: ignore[attr-defined]
    with pytest.raises(NonceMismatch):
        require_nonce(*pair("wrapped-N", "wrapped-M"), allow_missing=True)


def test_long_nonces_are_shortened_in_messages(pki: TestPKI, response_builder: ResponseBuilder) -> None:
    long_nonce = bytes(range(64))  # RFC 9654 allows up to 128 octets
    response = sign(pki, response_builder.with_nonce(long_nonce))
    with pytest.raises(NonceMismatch) as info:
        require_nonce(N, response)
    assert long_nonce.hex().upper()[:76] + "... (64 octets, wrapped form)" in str(info.value)
    assert long_nonce.hex().upper() not in str(info.value)
    require_nonce(long_nonce, response)


def test_comparison_ok_property(matrix: Dict[Tuple[str, str], Tuple[OCSPRequest, OCSPResponse]]) -> None:
    assert compare_nonces(*matrix[("none", "wrapped-N")]).ok
    assert not compare_nonces(*matrix[("wrapped-N", "none")]).ok
    assert not compare_nonces(*matrix[("wrapped-N", "wrapped-M")]).ok


def test_argument_errors(matrix: Dict[Tuple[str, str], Tuple[OCSPRequest, OCSPResponse]]) -> None:
    request, response = matrix[("wrapped-N", "wrapped-N")]
    with pytest.raises(OCSPTypeError):
        check_nonce(42, response)  # type: ignore[arg-type]
    with pytest.raises(OCSPTypeError):
        check_nonce("nonce", response)  # type: ignore[arg-type]
    with pytest.raises(OCSPTypeError):
        check_nonce(request, None)  # type: ignore[arg-type]
    with pytest.raises(OCSPTypeError):
        check_nonce(request, request)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must not be empty"):
        check_nonce(b"", response)
    # An error response has no BasicOCSPResponse, hence no nonce to compare (openssl ocsp stops
    # before its nonce check too).
    with pytest.raises(UnsuccessfulResponse):
        check_nonce(request, unsuccessful_response(ocspkit.ResponseStatus.TRY_LATER))


# --- make_nonce and nonce_length_ok ----------------------------------------------------------------


def test_make_nonce() -> None:
    first, second = make_nonce(), make_nonce()
    assert len(first) == RFC8954_MAX_NONCE_LENGTH == 32 and first != second
    assert len(make_nonce(1)) == 1 and len(make_nonce(16)) == 16
    for bad in (0, 33, 128, -1):
        with pytest.raises(ValueError, match="RFC 8954"):
            make_nonce(bad)
    for wrong in (True, 32.0, "32", None):
        with pytest.raises(OCSPTypeError):
            make_nonce(wrong)  # type: ignore[arg-type]


def test_make_nonce_goes_into_a_request_openssl_reads(
    pki: TestPKI, request_builder: RequestBuilder, response_builder: ResponseBuilder, openssl_bin: str,
    files: Path,
) -> None:
    nonce = make_nonce()
    request = request_builder.with_nonce(nonce).build()
    (files / "made.der").write_bytes(request.dump())
    r = req_text(files / "made.der")
    assert r.returncode == 0, r.stderr
    # OpenSSL prints the whole extnValue: the OCTET STRING header 04 20, then the nonce.
    assert ("0420" + nonce.hex().upper()) in r.stdout.replace("\n", "").replace(" ", "")
    assert compare_nonces(request, sign(pki, response_builder.with_nonce(request))).request_nonce == nonce


@pytest.mark.parametrize(
    ("length", "kwargs", "ok"),
    [
        (0, {}, False),  # RFC 8954 2.1: 0 octets is malformedRequest
        (1, {}, True),
        (16, {}, True),
        (32, {}, True),
        (33, {}, False),  # more than 32: malformedRequest under RFC 8954
        (33, {"maximum": 128}, True),  # RFC 9654
        (128, {"maximum": 128}, True),
        (129, {"maximum": 128}, False),
        (15, {"minimum": 16}, False),  # RFC 8954 2.1: responders MAY ignore nonces under 16
        (16, {"minimum": 16}, True),
    ],
)
def test_nonce_length_ok(length: int, kwargs: Dict[str, int], ok: bool) -> None:
    assert nonce_length_ok(b"\x01" * length, **kwargs) is ok
    assert nonce_length_ok(bytearray(length), **kwargs) is ok


def test_nonce_length_ok_arguments() -> None:
    with pytest.raises(OCSPTypeError):
        nonce_length_ok("abc")  # type: ignore[arg-type]
    with pytest.raises(OCSPTypeError):
        nonce_length_ok(b"abc", maximum=32.0)  # type: ignore[arg-type]
    with pytest.raises(OCSPTypeError):
        nonce_length_ok(b"abc", minimum=True)
    with pytest.raises(ValueError):
        nonce_length_ok(b"abc", minimum=10, maximum=5)
    with pytest.raises(ValueError):
        nonce_length_ok(b"abc", minimum=-1)

