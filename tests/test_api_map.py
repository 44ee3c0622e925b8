"""The ocspkit names of docs/openssl-map.md, each checked against the OpenSSL function it maps.

The oracle is OpenSSL itself, never code written here: libcrypto's OCSP functions called through
ctypes on the bytes ocspkit writes or reads (the same functions, not a re-implementation), the
``openssl ocsp`` command line, and asn1crypto's independent ``asn1crypto.ocsp`` module.

The ctypes oracle is set up for Linux, where the system libcrypto is the one ``openssl`` uses;
elsewhere the tests that need it are skipped (the command-line ones still run).
"""

from __future__ import annotations

import copy
import ctypes
import ctypes.util
import datetime as dt
import re
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import pytest
from _openssl_cli import req_text, resp_text, run
from asn1crypto import core, x509
from asn1crypto import ocsp as asn1crypto_ocsp
from conftest import libcrypto_cdll, manifest_entries, read_vector

import ocspkit
from ocspkit import asn1
from ocspkit.asn1 import OID
from ocspkit.certid import CertID
from ocspkit.enums import (
    OPENSSL_UNKNOWN,
    CertStatus,
    ResponseStatus,
    RevocationReason,
    cert_status_str,
    crl_reason_str,
    response_status_str,
)
from ocspkit.errors import OCSPTypeError, OCSPValueError, ParseError, UnsuccessfulResponse
from ocspkit.extensions import (
    Extension,
    Extensions,
    acceptable_responses,
    archive_cutoff,
    certificate_issuer,
    crl_id,
    invalidity_date,
    read_nonce,
    service_locator,
)
from ocspkit.request import OCSPRequest, RequestBuilder, load_request
from ocspkit.response import OCSPResponse, ResponseBuilder, load_response, unsuccessful_response
from ocspkit.testing import CertifiedKey, TestPKI

UTC = dt.timezone.utc
NOW = dt.datetime.now(UTC).replace(microsecond=0)
N = bytes(range(1, 17))
M = bytes(range(101, 133))
PRIVATE_OID = "1.3.6.1.4.1.55555.7"  # an OID nobody knows: OpenSSL has no NID for it

P = ctypes.c_void_p
INT = ctypes.c_int
LONG = ctypes.c_long
CHARP = ctypes.c_char_p
BIO_CTRL_INFO = 3  # BIO_get_mem_data
OCSP_NOINTERN = 0x2
OCSP_NOVERIFY = 0x10

# --- the libcrypto oracle --------------------------------------------------------------------------

_KINDS = ("OCSP_REQUEST", "OCSP_RESPONSE", "OCSP_BASICRESP", "OCSP_CERTID", "X509", "X509_NAME", "X509_EXTENSION")

_SIGNATURES: Dict[str, Tuple[Any, List[Any]]] = {
    "ERR_clear_error": (None, []),
    "BIO_s_mem": (P, []),
    "BIO_new": (P, [P]),
    "BIO_new_mem_buf": (P, [CHARP, INT]),
    "BIO_free": (INT, [P]),
    "BIO_ctrl": (LONG, [P, INT, LONG, P]),
    "ASN1_d2i_bio": (P, [P, P, P, P]),
    "ASN1_i2d_bio": (INT, [P, P, P]),
    "PEM_ASN1_read_bio": (P, [P, CHARP, P, P, P, P]),
    "PEM_ASN1_write_bio": (INT, [P, CHARP, P, P, P, P, INT, P, P]),
    "OCSP_REQUEST_new": (P, []),
    "OCSP_request_add0_id": (P, [P, P]),
    "OCSP_request_set1_name": (INT, [P, P]),
    "OCSP_request_add1_nonce": (INT, [P, CHARP, INT]),
    "OCSP_request_onereq_count": (INT, [P]),
    "OCSP_request_onereq_get0": (P, [P, INT]),
    "OCSP_onereq_get0_id": (P, [P]),
    "OCSP_request_is_signed": (INT, [P]),
    "OCSP_request_verify": (INT, [P, P, P, ctypes.c_ulong]),
    "OCSP_REQUEST_get_ext_count": (INT, [P]),
    "OCSP_REQUEST_get_ext_by_NID": (INT, [P, INT, INT]),
    "OCSP_REQUEST_get_ext_by_OBJ": (INT, [P, P, INT]),
    "OCSP_REQUEST_get_ext_by_critical": (INT, [P, INT, INT]),
    "OCSP_REQUEST_get_ext": (P, [P, INT]),
    "OCSP_REQUEST_delete_ext": (P, [P, INT]),
    "OCSP_REQUEST_get1_ext_d2i": (P, [P, INT, ctypes.POINTER(INT), ctypes.POINTER(INT)]),
    "OCSP_REQUEST_add1_ext_i2d": (INT, [P, INT, P, INT, ctypes.c_ulong]),
    "OCSP_REQUEST_add_ext": (INT, [P, P, INT]),
    "OCSP_response_status": (INT, [P]),
    "OCSP_response_get1_basic": (P, [P]),
    "OCSP_response_create": (P, [INT, P]),
    "OCSP_resp_count": (INT, [P]),
    "OCSP_resp_get0": (P, [P, INT]),
    "OCSP_resp_find": (INT, [P, P, INT]),
    "OCSP_resp_get0_certs": (P, [P]),
    "OCSP_SINGLERESP_get0_id": (P, [P]),
    "OCSP_single_get0_status": (INT, [P, ctypes.POINTER(INT), ctypes.POINTER(P), ctypes.POINTER(P), ctypes.POINTER(P)]),
    "OCSP_resp_find_status": (
        INT, [P, P, ctypes.POINTER(INT), ctypes.POINTER(INT), ctypes.POINTER(P), ctypes.POINTER(P), ctypes.POINTER(P)]
    ),
    "OCSP_basic_add1_nonce": (INT, [P, CHARP, INT]),
    "OCSP_BASICRESP_get_ext_by_NID": (INT, [P, INT, INT]),
    "OCSP_BASICRESP_get_ext": (P, [P, INT]),
    "OCSP_id_cmp": (INT, [P, P]),
    "OCSP_id_issuer_cmp": (INT, [P, P]),
    "OCSP_id_get0_info": (INT, [ctypes.POINTER(P), ctypes.POINTER(P), ctypes.POINTER(P), ctypes.POINTER(P), P]),
    "OCSP_CERTID_dup": (P, [P]),
    "OCSP_crlID_new": (P, [CHARP, ctypes.POINTER(LONG), CHARP]),
    "OCSP_accept_responses_new": (P, [ctypes.POINTER(CHARP)]),
    "OCSP_archive_cutoff_new": (P, [CHARP]),
    "OCSP_url_svcloc_new": (P, [P, ctypes.POINTER(CHARP)]),
    "OCSP_response_status_str": (CHARP, [LONG]),
    "OCSP_cert_status_str": (CHARP, [LONG]),
    "OCSP_crl_reason_str": (CHARP, [LONG]),
    "OpenSSL_version_num": (ctypes.c_ulong, []),
    "X509V3_EXT_i2d": (P, [INT, INT, P]),
    "ASN1_GENERALIZEDTIME_new": (P, []),
    "ASN1_GENERALIZEDTIME_set_string": (INT, [P, CHARP]),
    "ASN1_GENERALIZEDTIME_free": (None, [P]),
    "ASN1_OCTET_STRING_free": (None, [P]),
    "ASN1_STRING_get0_data": (P, [P]),
    "ASN1_STRING_length": (INT, [P]),
    "ASN1_INTEGER_get": (LONG, [P]),
    "ASN1_OBJECT_free": (None, [P]),
    "OBJ_txt2nid": (INT, [CHARP]),
    "OBJ_txt2obj": (P, [CHARP, INT]),
    "OBJ_obj2txt": (INT, [CHARP, INT, P, INT]),
    "OPENSSL_sk_new_null": (P, []),
    "OPENSSL_sk_push": (INT, [P, P]),
    "OPENSSL_sk_num": (INT, [P]),
    "OPENSSL_sk_value": (P, [P, INT]),
    "OPENSSL_sk_free": (None, [P]),
    "OPENSSL_sk_pop_free": (None, [P, P]),
}


class LibCrypto:
    """The system libcrypto's OCSP functions over DER; objects made here are freed by release()."""

    def __init__(self, lib: Any) -> None:
        self.lib = lib
        self._owned: List[Tuple[Callable[[int], None], int]] = []
        for kind in _KINDS:
            _declare(lib, f"d2i_{kind}", P, [P, ctypes.POINTER(CHARP), LONG])
            _declare(lib, f"i2d_{kind}", INT, [P, ctypes.POINTER(P)])
            _declare(lib, f"{kind}_free", None, [P])
        for name, (restype, argtypes) in _SIGNATURES.items():
            _declare(lib, name, restype, argtypes)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.lib, name)

    # --- ownership -------------------------------------------------------------------------

    def own(self, kind: str, handle: Any) -> int:
        assert handle, f"libcrypto returned NULL for a {kind}"
        self._owned.append((getattr(self.lib, f"{kind}_free"), int(handle)))
        return int(handle)

    def release(self) -> None:
        while self._owned:
            free, handle = self._owned.pop()
            free(handle)
        self.lib.ERR_clear_error()

    def pointer(self, name: str) -> P:
        return ctypes.cast(getattr(self.lib, name), P)

    # --- DER -------------------------------------------------------------------------------

    def d2i(self, kind: str, der: bytes, *, owned: bool = True) -> int:
        cursor = CHARP(der)
        handle = getattr(self.lib, f"d2i_{kind}")(None, ctypes.byref(cursor), len(der))
        assert handle, f"d2i_{kind} refused the input"
        return self.own(kind, handle) if owned else int(handle)

    def i2d(self, kind: str, handle: Any) -> bytes:
        fn = getattr(self.lib, f"i2d_{kind}")
        length = fn(handle, None)
        assert length > 0, f"i2d_{kind} failed"
        buffer = ctypes.create_string_buffer(length)
        cursor = P(ctypes.addressof(buffer))
        assert fn(handle, ctypes.byref(cursor)) == length
        return buffer.raw

    # --- BIO and PEM: what the d2i_*_bio / i2d_*_bio / PEM_*_bio_* macros expand to ----------

    def _mem_bio(self, data: Optional[bytes] = None) -> int:
        if data is None:
            return int(self.lib.BIO_new(self.lib.BIO_s_mem()))
        return int(self.lib.BIO_new_mem_buf(data, len(data)))

    def _bio_data(self, bio: int) -> bytes:
        start = P()
        length = self.lib.BIO_ctrl(bio, BIO_CTRL_INFO, 0, ctypes.byref(start))
        return ctypes.string_at(start, length)

    def d2i_bio(self, kind: str, der: bytes) -> Optional[int]:
        """d2i_<kind>_bio: ASN1_d2i_bio(<kind>_new, d2i_<kind>, bio, NULL)."""
        bio = self._mem_bio(der)
        try:
            handle = self.lib.ASN1_d2i_bio(self.pointer(f"{kind}_new"), self.pointer(f"d2i_{kind}"), bio, None)
        finally:
            self.lib.BIO_free(bio)
        return self.own(kind, handle) if handle else None

    def i2d_bio(self, kind: str, handle: int) -> bytes:
        """i2d_<kind>_bio: ASN1_i2d_bio(i2d_<kind>, bio, object)."""
        bio = self._mem_bio()
        try:
            assert self.lib.ASN1_i2d_bio(self.pointer(f"i2d_{kind}"), bio, handle) == 1
            return self._bio_data(bio)
        finally:
            self.lib.BIO_free(bio)

    def pem_read(self, kind: str, label: str, pem: bytes) -> Optional[int]:
        """PEM_read_bio_<kind>: PEM_ASN1_read_bio(d2i_<kind>, label, bio, NULL, NULL, NULL)."""
        bio = self._mem_bio(pem)
        try:
            handle = self.lib.PEM_ASN1_read_bio(self.pointer(f"d2i_{kind}"), label.encode(), bio, None, None, None)
        finally:
            self.lib.BIO_free(bio)
        if not handle:
            self.lib.ERR_clear_error()
            return None
        return self.own(kind, handle)

    def pem_write(self, kind: str, label: str, handle: int) -> bytes:
        """PEM_write_bio_<kind>: PEM_ASN1_write_bio(i2d_<kind>, label, bio, object, no encryption)."""
        bio = self._mem_bio()
        try:
            assert self.lib.PEM_ASN1_write_bio(
                self.pointer(f"i2d_{kind}"), label.encode(), bio, handle, None, None, 0, None, None
            ) == 1
            return self._bio_data(bio)
        finally:
            self.lib.BIO_free(bio)

    # --- small readers ---------------------------------------------------------------------

    def string(self, handle: Any) -> bytes:
        """The octets of an ASN1_STRING (OCTET STRING, GeneralizedTime, IA5String)."""
        return ctypes.string_at(self.lib.ASN1_STRING_get0_data(handle), self.lib.ASN1_STRING_length(handle))

    def obj_text(self, handle: Any) -> str:
        buffer = ctypes.create_string_buffer(128)
        assert self.lib.OBJ_obj2txt(buffer, 128, handle, 1) > 0
        return buffer.value.decode()

    def nid(self, oid: str) -> int:
        nid = int(self.lib.OBJ_txt2nid(oid.encode()))
        assert nid > 0, f"OpenSSL has no NID for {oid}"
        return nid

    def extension_der(self, handle: Any) -> bytes:
        return self.i2d("X509_EXTENSION", handle)


def _declare(lib: Any, name: str, restype: Any, argtypes: List[Any]) -> None:
    fn = getattr(lib, name)
    fn.restype, fn.argtypes = restype, argtypes


def _strings(values: Sequence[str]) -> Any:
    """A NULL-terminated char* array, as OCSP_accept_responses_new / OCSP_url_svcloc_new take."""
    return (CHARP * (len(values) + 1))(*[v.encode() for v in values], None)


@pytest.fixture(scope="session")
def libcrypto_session() -> LibCrypto:
    return LibCrypto(libcrypto_cdll("libcrypto"))


@pytest.fixture
def lc(libcrypto_session: LibCrypto) -> Iterator[LibCrypto]:
    yield libcrypto_session
    libcrypto_session.release()


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def leaves(pki: TestPKI) -> List[CertifiedKey]:
    return [pki.issue_leaf(f"map{i}.example") for i in range(3)]


@pytest.fixture(scope="module")
def files(pki: TestPKI, leaves: List[CertifiedKey], tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("map")
    (d / "root.pem").write_bytes(pki.root.cert_pem)
    (d / "int.pem").write_bytes(pki.intermediate.cert_pem)
    for i, leaf in enumerate(leaves):
        (d / f"leaf{i}.pem").write_bytes(leaf.cert_pem)
    return d


@pytest.fixture(scope="module")
def cert_ids(pki: TestPKI, leaves: List[CertifiedKey]) -> List[CertID]:
    issuer = pki.intermediate.certificate
    return [CertID.from_cert(leaf.certificate, issuer, h) for leaf, h in zip(leaves, ("sha1", "sha256", "sha384"))]


def gt(value: dt.datetime) -> bytes:
    return value.astimezone(UTC).strftime("%Y%m%d%H%M%SZ").encode()


def signed_response(pki: TestPKI, cert_ids: List[CertID], **kwargs: Any) -> OCSPResponse:
    ids = cert_ids
    builder = (
        ResponseBuilder()
        .add_response(ids[0], CertStatus.GOOD, this_update=NOW, next_update=NOW + dt.timedelta(hours=6))
        .add_response(ids[1], "revoked", revocation_time=NOW - dt.timedelta(days=3),
                      revocation_reason=RevocationReason.KEY_COMPROMISE, this_update=NOW)
        .add_response(ids[2], CertStatus.UNKNOWN, this_update=NOW - dt.timedelta(minutes=1))
        .add_response(ids[1].copy(), CertStatus.REVOKED, revocation_time=NOW - dt.timedelta(days=1))
    )
    for name, value in kwargs.items():
        builder = getattr(builder, name)(value)
    return builder.sign(pki.responder.private_key, pki.responder.certificate, now=NOW)


# --- d2i / i2d / PEM, requests and responses ---------------------------------------------------------


def _vectors(kind: str) -> List[Tuple[str, bytes]]:
    found = []
    for entry in manifest_entries(kind):
        data = read_vector(entry["file"])
        try:
            loader = load_request if kind == "ocsp-request" else load_response
            if loader(data, strict=True, allow_unknown_critical=True).dump() == data:
                found.append((entry["file"], data))
        except ParseError:
            continue
    return found


REQUEST_VECTORS = _vectors("ocsp-request")
RESPONSE_VECTORS = _vectors("ocsp-response")


@pytest.fixture(scope="module")
def built_request(pki: TestPKI, cert_ids: List[CertID]) -> OCSPRequest:
    builder = RequestBuilder()
    for cid in cert_ids:
        builder = builder.add_cert_id(cid)
    return builder.with_nonce(N).sign(pki.responder.private_key, pki.responder.certificate)


@pytest.mark.parametrize("name", ["built", *[n for n, _ in REQUEST_VECTORS]])
def test_request_der_io_matches_libcrypto(name: str, built_request: OCSPRequest, lc: LibCrypto) -> None:
    der = built_request.dump() if name == "built" else dict(REQUEST_VECTORS)[name]
    ours = ocspkit.load_request(der, allow_unknown_critical=True)  # d2i_OCSP_REQUEST_bio
    handle = lc.d2i_bio("OCSP_REQUEST", der)
    assert handle is not None
    # i2d_OCSP_REQUEST_bio of what OpenSSL read gives the bytes ocspkit keeps and dumps.
    assert lc.i2d_bio("OCSP_REQUEST", handle) == ours.dump() == der
    assert lc.OCSP_request_onereq_count(handle) == len(ours.requests)
    # Both refuse a truncated message.
    assert lc.d2i_bio("OCSP_REQUEST", der[:-1]) is None
    with pytest.raises(ParseError):
        load_request(der[:-1])


@pytest.mark.parametrize("name", ["built", "unsuccessful", *[n for n, _ in RESPONSE_VECTORS]])
def test_response_der_io_matches_libcrypto(
    name: str, pki: TestPKI, cert_ids: List[CertID], lc: LibCrypto
) -> None:
    if name == "built":
        der = signed_response(pki, cert_ids).dump()
    elif name == "unsuccessful":
        der = unsuccessful_response(ResponseStatus.TRY_LATER).dump()
    else:
        der = dict(RESPONSE_VECTORS)[name]
    ours = ocspkit.load_response(der, allow_unknown_critical=True)  # d2i_OCSP_RESPONSE_bio
    handle = lc.d2i_bio("OCSP_RESPONSE", der)
    assert handle is not None
    assert lc.i2d_bio("OCSP_RESPONSE", handle) == ours.dump() == der  # i2d_OCSP_RESPONSE_bio
    assert lc.OCSP_response_status(handle) == ours.response_status
    assert lc.d2i_bio("OCSP_RESPONSE", der[:-1]) is None
    with pytest.raises(ParseError):
        load_response(der[:-1])


def test_request_pem_matches_libcrypto(built_request: OCSPRequest, lc: LibCrypto) -> None:
    der = built_request.dump()
    handle = lc.d2i("OCSP_REQUEST", der)
    # PEM_write_bio_OCSP_REQUEST writes what OCSPRequest.pem() writes, byte for byte.
    theirs = lc.pem_write("OCSP_REQUEST", "OCSP REQUEST", handle)
    assert built_request.pem() == theirs
    # PEM_read_bio_OCSP_REQUEST reads ours; load_request reads theirs.
    read = lc.pem_read("OCSP_REQUEST", "OCSP REQUEST", built_request.pem())
    assert read is not None and lc.i2d("OCSP_REQUEST", read) == der
    assert ocspkit.load_request(theirs).dump() == der
    assert load_request(theirs.decode("ascii")).pem() == theirs
    # Both insist on the label.
    wrong = theirs.replace(b"OCSP REQUEST", b"OCSP RESPONSE")
    assert lc.pem_read("OCSP_REQUEST", "OCSP REQUEST", wrong) is None
    with pytest.raises(ParseError):
        load_request(wrong)


def test_response_pem_matches_libcrypto(pki: TestPKI, cert_ids: List[CertID], lc: LibCrypto) -> None:
    for response in (signed_response(pki, cert_ids), unsuccessful_response(ResponseStatus.UNAUTHORIZED)):
        der = response.dump()
        handle = lc.d2i("OCSP_RESPONSE", der)
        theirs = lc.pem_write("OCSP_RESPONSE", "OCSP RESPONSE", handle)  # PEM_write_bio_OCSP_RESPONSE
        assert response.pem() == theirs
        read = lc.pem_read("OCSP_RESPONSE", "OCSP RESPONSE", response.pem())  # PEM_read_bio_OCSP_RESPONSE
        assert read is not None and lc.i2d("OCSP_RESPONSE", read) == der
        assert ocspkit.load_response(theirs).dump() == der
        wrong = theirs.replace(b"OCSP RESPONSE", b"OCSP REQUEST")
        assert lc.pem_read("OCSP_RESPONSE", "OCSP RESPONSE", wrong) is None
        with pytest.raises(ParseError):
            load_response(wrong)


# --- signing -------------------------------------------------------------------------------------------


def test_signed_request_verifies_in_libcrypto(
    pki: TestPKI, cert_ids: List[CertID], files: Path, lc: LibCrypto, openssl_bin: str
) -> None:
    builder = RequestBuilder().add_cert_id(cert_ids[0]).with_nonce(N)
    signer = pki.responder
    # OCSP_request_sign + OCSP_request_add1_cert: the signer's certificate and extra_certs ride along.
    request = builder.sign(signer.private_key, signer.certificate, extra_certs=[pki.intermediate.certificate])
    assert [c.dump() for c in request.certs] == [signer.certificate.dump(), pki.intermediate.certificate.dump()]
    handle = lc.d2i("OCSP_REQUEST", request.dump())
    assert lc.OCSP_request_is_signed(handle) == 1 and request.is_signed
    # OCSP_request_verify finds the signer among the request's certs by requestorName and
    # checks the signature (OCSP_NOVERIFY: no chain building, the trust question is not asked here).
    assert lc.OCSP_request_verify(handle, None, None, OCSP_NOVERIFY) == 1
    (files / "signed-req.der").write_bytes(request.dump())
    text = req_text(files / "signed-req.der").stdout
    assert text.count("-----BEGIN CERTIFICATE-----") == 2
    assert "Requestor Name: DirName:CN = ocspkit Test OCSP Responder" in text

    # OCSP_REQUEST_sign: the bare signature, no certificates (include_certs=False); OpenSSL then
    # needs the signer's certificate from outside (certs argument, OCSP_NOINTERN).
    bare = builder.sign(signer.key_pem, signer.cert_pem, hash_algorithm="sha384", include_certs=False)
    assert bare.certs == () and bare.signature_algorithm["algorithm"].native == "sha384_rsa"
    handle = lc.d2i("OCSP_REQUEST", bare.dump())
    stack = lc.OPENSSL_sk_new_null()
    try:
        assert lc.OPENSSL_sk_push(stack, lc.d2i("X509", signer.cert_der)) == 1
        assert lc.OCSP_request_verify(handle, stack, None, OCSP_NOVERIFY | OCSP_NOINTERN) == 1
        # A changed signature does not verify.
        tampered = bytearray(bare.dump())
        tampered[-1] ^= 1
        assert lc.OCSP_request_verify(lc.d2i("OCSP_REQUEST", bytes(tampered)), stack, None,
                                      OCSP_NOVERIFY | OCSP_NOINTERN) == 0
    finally:
        lc.OPENSSL_sk_free(stack)


@pytest.mark.parametrize(("hash_algorithm", "pss", "printed"), [
    ("sha1", False, "sha1WithRSAEncryption"),
    ("sha256", False, "sha256WithRSAEncryption"),
    ("sha512", False, "sha512WithRSAEncryption"),
    ("sha256", True, "rsassaPss"),
])
def test_response_signature_verifies_in_openssl(
    hash_algorithm: str, pss: bool, printed: str, pki: TestPKI, cert_ids: List[CertID], files: Path,
    openssl_bin: str,
) -> None:
    # OCSP_BASICRESP_sign: the signature over tbsResponseData with a chosen digest.
    response = ResponseBuilder().add_response(cert_ids[0], next_update=NOW + dt.timedelta(hours=1)).sign(
        pki.responder.private_key, pki.responder.certificate, hash_algorithm=hash_algorithm, pss=pss, now=NOW
    )
    path = files / f"resp-{hash_algorithm}-{pss}.der"
    path.write_bytes(response.dump())
    r = run([openssl_bin, "ocsp", "-respin", str(path), "-CAfile", str(files / "root.pem"),
             "-verify_other", str(files / "int.pem"), "-resp_text"])
    assert r.returncode == 0, r.stderr
    assert "Response verify OK" in r.stdout + r.stderr
    assert f"Signature Algorithm: {printed}" in r.stdout


# --- responses: status, basic, singles -----------------------------------------------------------------


def test_response_entries_match_libcrypto(pki: TestPKI, cert_ids: List[CertID], lc: LibCrypto) -> None:
    response = signed_response(pki, cert_ids)  # ResponseBuilder.add_response: OCSP_basic_add1_status
    handle = lc.d2i("OCSP_RESPONSE", response.dump())
    assert lc.OCSP_response_status(handle) == response.response_status == ResponseStatus.SUCCESSFUL
    basic_handle = lc.own("OCSP_BASICRESP", lc.OCSP_response_get1_basic(handle))
    basic = response.basic  # OCSP_response_get1_basic
    assert lc.i2d("OCSP_BASICRESP", basic_handle) == basic.asn1.dump()
    # OCSP_resp_count / OCSP_resp_get0
    assert lc.OCSP_resp_count(basic_handle) == len(basic.responses) == 4
    for index, single in enumerate(basic.responses):
        theirs = lc.OCSP_resp_get0(basic_handle, index)
        assert lc.i2d("OCSP_CERTID", lc.OCSP_SINGLERESP_get0_id(theirs)) == single.cert_id.dump()
        # OCSP_single_get0_status: status, reason (-1 when absent) and the three times.
        reason, revoked, this_update, next_update = INT(-1), P(), P(), P()  # reason stays -1 unless revoked
        status = lc.OCSP_single_get0_status(theirs, ctypes.byref(reason), ctypes.byref(revoked),
                                            ctypes.byref(this_update), ctypes.byref(next_update))
        assert status == single.cert_status
        assert cert_status_str(status) == single.cert_status.openssl_name
        assert reason.value == (-1 if single.revocation_reason is None else single.revocation_reason)
        assert (lc.string(revoked) if revoked.value else None) == (
            None if single.revocation_time is None else gt(single.revocation_time))
        assert lc.string(this_update) == gt(single.this_update)
        assert (lc.string(next_update) if next_update.value else None) == (
            None if single.next_update is None else gt(single.next_update))
    # OCSP_resp_find: the first entry for a CertID after "last"; BasicOCSPResponse.find gives it.
    for cid in cert_ids:
        cid_handle = lc.d2i("OCSP_CERTID", cid.dump())
        index = lc.OCSP_resp_find(basic_handle, cid_handle, -1)
        assert basic.find(cid) is basic.responses[index]
        # OCSP_resp_find_status: the status of that first entry; OCSPResponse.find gives it.
        status, reason = INT(), INT()
        assert lc.OCSP_resp_find_status(basic_handle, cid_handle, ctypes.byref(status), ctypes.byref(reason),
                                        None, None, None) == 1
        found = response.find(cid)
        assert found is not None and found.cert_status == status.value
    other = CertID.from_hashes(b"\x00" * 20, b"\x00" * 20, 1)
    assert lc.OCSP_resp_find(basic_handle, lc.d2i("OCSP_CERTID", other.dump()), -1) == -1
    assert basic.find(other) is None and response.find(other) is None


def test_unsuccessful_responses_match_libcrypto(pki: TestPKI, cert_ids: List[CertID], lc: LibCrypto) -> None:
    for status in ResponseStatus:
        if status is ResponseStatus.SUCCESSFUL:
            # OCSP_response_create(successful, basic) wraps a basic response: sign() does it.
            response = signed_response(pki, cert_ids)
            basic = lc.own("OCSP_BASICRESP",
                           lc.OCSP_response_get1_basic(lc.d2i("OCSP_RESPONSE", response.dump())))
            created = lc.own("OCSP_RESPONSE", lc.OCSP_response_create(0, basic))
        else:
            response = ocspkit.unsuccessful_response(status)  # OCSP_response_create(status, NULL)
            created = lc.own("OCSP_RESPONSE", lc.OCSP_response_create(int(status), None))
            handle = lc.d2i("OCSP_RESPONSE", response.dump())
            assert not lc.OCSP_response_get1_basic(handle)
            with pytest.raises(UnsuccessfulResponse):
                response.basic  # noqa: B018 - OCSP_response_get1_basic gives NULL
            lc.ERR_clear_error()
        assert lc.i2d("OCSP_RESPONSE", created) == response.dump()
        assert lc.OCSP_response_status(created) == response.response_status == status


def test_response_certificates_match_libcrypto(pki: TestPKI, cert_ids: List[CertID], lc: LibCrypto) -> None:
    chain = [pki.responder.certificate, pki.intermediate.certificate]
    # ResponseBuilder.with_certificates: the certs OCSP_basic_add1_cert adds one by one.
    for certs in (chain, [], None):
        builder = ResponseBuilder().add_response(cert_ids[0])
        if certs is not None:
            builder = builder.with_certificates(certs)
        response = builder.sign(pki.responder.private_key, pki.responder.certificate, now=NOW)
        expected = [pki.responder.certificate] if certs is None else certs
        assert [c.dump() for c in response.certs] == [c.dump() for c in expected]
        basic = lc.own("OCSP_BASICRESP", lc.OCSP_response_get1_basic(lc.d2i("OCSP_RESPONSE", response.dump())))
        stack = lc.OCSP_resp_get0_certs(basic)
        theirs = [lc.i2d("X509", lc.OPENSSL_sk_value(stack, i)) for i in range(lc.OPENSSL_sk_num(stack))]
        assert theirs == [c.dump() for c in expected]


# --- requests: entries, CertIDs, requestor name, nonces ------------------------------------------------


def test_request_entries_match_libcrypto(pki: TestPKI, cert_ids: List[CertID], lc: LibCrypto) -> None:
    builder = RequestBuilder()
    theirs = lc.own("OCSP_REQUEST", lc.OCSP_REQUEST_new())
    for cid in cert_ids:
        builder = builder.add_cert_id(cid)  # OCSP_request_add0_id
        assert lc.OCSP_request_add0_id(theirs, lc.d2i("OCSP_CERTID", cid.dump(), owned=False))
    request = builder.build()
    assert lc.i2d("OCSP_REQUEST", theirs) == request.dump()
    assert not request.is_signed and lc.OCSP_request_is_signed(theirs) == 0  # OCSP_request_is_signed
    handle = lc.d2i("OCSP_REQUEST", request.dump())
    assert lc.OCSP_request_onereq_count(handle) == len(request.requests) == 3  # OCSP_request_onereq_count
    for index, one in enumerate(request.requests):  # OCSP_request_onereq_get0
        cid_handle = lc.OCSP_onereq_get0_id(lc.OCSP_request_onereq_get0(handle, index))
        assert lc.i2d("OCSP_CERTID", cid_handle) == one.cert_id.dump()  # OCSP_onereq_get0_id
        # OCSP_id_get0_info: the four fields.
        name_hash, md, key_hash, serial = P(), P(), P(), P()
        assert lc.OCSP_id_get0_info(ctypes.byref(name_hash), ctypes.byref(md), ctypes.byref(key_hash),
                                    ctypes.byref(serial), cid_handle) == 1
        cid = one.cert_id
        assert lc.string(name_hash) == cid.issuer_name_hash
        assert lc.string(key_hash) == cid.issuer_key_hash
        assert lc.ASN1_INTEGER_get(serial) == cid.serial_number
        assert lc.obj_text(md) == {"sha1": "1.3.14.3.2.26", "sha256": "2.16.840.1.101.3.4.2.1",
                                   "sha384": "2.16.840.1.101.3.4.2.2"}[cid.hash_algorithm]
    signed = builder.sign(pki.responder.private_key, pki.responder.certificate)
    assert signed.is_signed and lc.OCSP_request_is_signed(lc.d2i("OCSP_REQUEST", signed.dump())) == 1


def test_requestor_name_matches_libcrypto(cert_ids: List[CertID], lc: LibCrypto) -> None:
    base = RequestBuilder().add_cert_id(cert_ids[0])
    name = x509.Name.build({"country_name": "DE", "common_name": "client.example"})
    for given in (name, {"country_name": "DE", "common_name": "client.example"},
                  x509.GeneralName(name="directory_name", value=name)):
        ours = base.with_requestor_name(given).build()  # OCSP_request_set1_name
        theirs = lc.d2i("OCSP_REQUEST", base.build().dump())
        assert lc.OCSP_request_set1_name(theirs, lc.d2i("X509_NAME", name.dump())) == 1
        assert lc.i2d("OCSP_REQUEST", theirs) == ours.dump()
        assert ours.requestor_name.chosen.untag().dump() == name.dump()
    with pytest.raises(OCSPTypeError):
        base.with_requestor_name("CN=client")


def test_nonce_extensions_match_libcrypto(pki: TestPKI, cert_ids: List[CertID], lc: LibCrypto) -> None:
    base = RequestBuilder().add_cert_id(cert_ids[0])
    # OCSP_request_add1_nonce(req, N, len): the same request as RequestBuilder.with_nonce(N).
    theirs = lc.d2i("OCSP_REQUEST", base.build().dump())
    assert lc.OCSP_request_add1_nonce(theirs, N, len(N)) == 1
    request = base.with_nonce(N).build()
    assert lc.i2d("OCSP_REQUEST", theirs) == request.dump()
    assert request.nonce == N
    # OCSP_basic_add1_nonce(bs, M, len): the same extension as ResponseBuilder.with_nonce(M).
    plain = ResponseBuilder().add_response(cert_ids[0]).sign(pki.responder.private_key,
                                                              pki.responder.certificate, now=NOW)
    basic = lc.own("OCSP_BASICRESP", lc.OCSP_response_get1_basic(lc.d2i("OCSP_RESPONSE", plain.dump())))
    assert lc.OCSP_basic_add1_nonce(basic, M, len(M)) == 1
    index = lc.OCSP_BASICRESP_get_ext_by_NID(basic, lc.nid(OID.NONCE), -1)
    with_nonce = ResponseBuilder().add_response(cert_ids[0]).with_nonce(M).sign(
        pki.responder.private_key, pki.responder.certificate, now=NOW)
    ext = with_nonce.extensions.get("nonce")
    assert ext is not None and lc.extension_der(lc.OCSP_BASICRESP_get_ext(basic, index)) == ext.dump()
    assert with_nonce.nonce == M


# --- CertID ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("hash_algorithm", ["sha1", "sha256", "sha512"])
def test_cert_id_constructors_match_openssl(
    hash_algorithm: str, pki: TestPKI, leaves: List[CertifiedKey], files: Path, openssl_bin: str
) -> None:
    issuer = pki.intermediate.certificate
    # OCSP_cert_to_id: openssl ocsp -issuer I -cert C
    out = files / f"to-id-{hash_algorithm}.der"
    r = run([openssl_bin, "ocsp", "-issuer", str(files / "int.pem"), f"-{hash_algorithm}",
             "-cert", str(files / "leaf0.pem"), "-no_nonce", "-reqout", str(out)])
    assert r.returncode == 0, r.stderr
    theirs = load_request(out.read_bytes()).cert_ids[0]
    ours = CertID.from_cert(leaves[0].cert_pem, pki.intermediate.cert_pem, hash_algorithm)
    assert ours == theirs and ours.dump() == theirs.dump()
    assert CertID.from_cert(leaves[0].certificate, issuer, hash_algorithm).dump() == theirs.dump()
    # OCSP_cert_id_new: openssl ocsp -issuer I -serial S
    serial = 0x1234567890ABCDEF1234
    out = files / f"id-new-{hash_algorithm}.der"
    r = run([openssl_bin, "ocsp", "-issuer", str(files / "int.pem"), f"-{hash_algorithm}",
             "-serial", hex(serial), "-no_nonce", "-reqout", str(out)])
    assert r.returncode == 0, r.stderr
    theirs = load_request(out.read_bytes()).cert_ids[0]
    ours = CertID.from_issuer(issuer, serial, hash_algorithm)
    assert ours.serial_number == serial and ours.dump() == theirs.dump()
    assert RequestBuilder().add_cert_id(ours).build().dump() == out.read_bytes()


def test_cert_id_comparisons_match_libcrypto(pki: TestPKI, leaves: List[CertifiedKey], lc: LibCrypto) -> None:
    issuer = pki.intermediate.certificate
    other_issuer = pki.root.certificate
    ids = [
        CertID.from_cert(leaves[0].certificate, issuer),
        CertID.from_cert(leaves[0].certificate, issuer).copy(),
        CertID.from_cert(leaves[1].certificate, issuer),
        CertID.from_cert(leaves[0].certificate, issuer, "sha256"),
        CertID.from_issuer(other_issuer, leaves[0].serial_number),
    ]
    handles = [lc.d2i("OCSP_CERTID", cid.dump()) for cid in ids]
    for a, ha in zip(ids, handles):
        for b, hb in zip(ids, handles):
            # OCSP_id_cmp: 0 when equal, like CertID.__eq__.
            assert a.__eq__(b) is (a == b) is (lc.OCSP_id_cmp(ha, hb) == 0)
            assert (hash(a) == hash(b)) or a != b
            # OCSP_id_issuer_cmp: algorithm, name hash and key hash, like CertID.same_issuer.
            assert a.same_issuer(b) is (lc.OCSP_id_issuer_cmp(ha, hb) == 0)
    assert ids[0] == ids[1] and ids[0] != ids[2] and ids[0].same_issuer(ids[2])
    assert not ids[0].same_issuer(ids[3]) and not ids[0].same_issuer(ids[4])
    assert ids[0].__eq__("not a CertID") is NotImplemented


def test_cert_id_copy(cert_ids: List[CertID], lc: LibCrypto) -> None:
    cid = cert_ids[1]
    duplicate = cid.copy()  # OCSP_CERTID_dup
    assert duplicate == cid and duplicate is not cid and hash(duplicate) == hash(cid)
    assert duplicate.dump() == cid.dump() == lc.i2d("OCSP_CERTID", lc.own(
        "OCSP_CERTID", lc.OCSP_CERTID_dup(lc.d2i("OCSP_CERTID", cid.dump()))))
    # The copy's asn1crypto tree is its own: changing it leaves the original alone.
    assert duplicate.asn1 is not cid.asn1
    duplicate.asn1["serial_number"] = 7
    assert cid.asn1["serial_number"].native == cid.serial_number != 7
    # Frozen: copy.copy shares (like a tuple), copy.deepcopy makes an equal, separate CertID.
    assert copy.copy(cid) is cid and cid.__copy__() is cid
    deep = copy.deepcopy(cid)
    assert deep == cid and deep is not cid and deep.asn1 is not cid.asn1
    assert cid.__deepcopy__({}) == cid
    assert copy.deepcopy([cid, cid]) == [cid, cid]


def test_cert_status_copy(pki: TestPKI, cert_ids: List[CertID]) -> None:
    response = signed_response(pki, cert_ids)
    for single in response.responses:
        original = single.asn1["cert_status"]
        duplicate = original.copy()  # OCSP_CERTSTATUS_dup: ocspkit.asn1.CertStatus.copy
        assert isinstance(duplicate, asn1.CertStatus)
        assert duplicate.dump() == original.dump() and duplicate.name == original.name
        assert duplicate is not original
    revoked = response.responses[1].asn1["cert_status"]
    duplicate = revoked.copy()
    duplicate.chosen["revocation_reason"] = "superseded"
    assert revoked.chosen["revocation_reason"].native == "key_compromise"
    assert asn1crypto_ocsp.CertStatus.load(duplicate.dump()).chosen["revocation_reason"].native == "superseded"


# --- OpenSSL's strings ----------------------------------------------------------------------------------


def test_strings_match_libcrypto(lc: LibCrypto) -> None:
    # OpenSSL 3.2 added privilegeWithdrawn (9) and aACompromise (10) to its table (openssl/openssl
    # PR 21743); earlier versions print "(UNKNOWN)" for them. ocspkit gives the current table.
    before_3_2 = lc.OpenSSL_version_num() < 0x30200000
    for value in range(-3, 14):
        assert response_status_str(value) == lc.OCSP_response_status_str(value).decode()
        assert cert_status_str(value) == lc.OCSP_cert_status_str(value).decode()
        theirs = lc.OCSP_crl_reason_str(value).decode()
        if before_3_2 and value in (9, 10):
            assert theirs == OPENSSL_UNKNOWN
            assert crl_reason_str(value) == ("privilegeWithdrawn", "aACompromise")[value - 9]
        else:
            assert crl_reason_str(value) == theirs
    for big in (2**31, -(2**31), 2**62):
        assert crl_reason_str(big) == response_status_str(big) == cert_status_str(big) == OPENSSL_UNKNOWN
    assert [response_status_str(s) for s in ResponseStatus] == [
        "successful", "malformedrequest", "internalerror", "trylater", "sigrequired", "unauthorized"]
    assert [cert_status_str(s) for s in CertStatus] == ["good", "revoked", "unknown"]
    assert [crl_reason_str(r) for r in RevocationReason] == [
        "unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
        "cessationOfOperation", "certificateHold", "removeFromCRL", "privilegeWithdrawn", "aACompromise"]
    # 4 (status) and 7 (reason) are unused numbers; OpenSSL has no text for them.
    assert response_status_str(4) == crl_reason_str(7) == OPENSSL_UNKNOWN == "(UNKNOWN)"
    for status in ResponseStatus:
        assert status.openssl_name == response_status_str(status) == status.asn1_name.lower()
    for reason in RevocationReason:
        assert reason.openssl_name == crl_reason_str(int(reason)) == reason.asn1_name
    for cert_status in CertStatus:
        assert cert_status.openssl_name == cert_status_str(cert_status)
    for bad in (True, "1", 1.0, None):
        for fn in (response_status_str, cert_status_str, crl_reason_str):
            with pytest.raises(OCSPTypeError):
                fn(bad)  # type: ignore[arg-type]


def _printed() -> List[str]:
    """Response vectors both openssl and ocspkit read (the others are the vector tests' business)."""
    names = []
    for entry in manifest_entries("ocsp-response"):
        if entry.get("openssl_observed", {}).get("openssl_parse") != "ok":
            continue
        try:
            load_response(read_vector(entry["file"]), allow_unknown_critical=True)
        except ParseError:
            continue
        names.append(entry["file"])
    return names


@pytest.mark.parametrize("name", _printed())
def test_strings_match_openssl_text(name: str, files: Path, openssl_bin: str) -> None:
    der = read_vector(name)
    response = load_response(der, allow_unknown_critical=True)
    path = files / "printed.der"
    path.write_bytes(der)
    text = resp_text(path).stdout
    if not response.successful:
        # apps/ocsp.c stops at an error status: "Responder Error: %s (%d)" with OCSP_response_status_str.
        status = re.findall(r"Responder Error: (\S+) \((\d+)\)", text)
        assert status == [(response_status_str(response.response_status), str(int(response.response_status)))]
        assert response.response_status.openssl_name == status[0][0]
        return
    status = re.findall(r"OCSP Response Status: (\S+) \(0x([0-9a-f]+)\)", text)
    assert status == [(response_status_str(response.response_status), f"{int(response.response_status):x}")]
    assert response.response_status.openssl_name == status[0][0]
    assert re.findall(r"Cert Status: (\S+)", text) == [s.cert_status.openssl_name for s in response.responses]
    reasons = [s.revocation_reason for s in response.responses if s.revocation_reason is not None]
    assert re.findall(r"Revocation Reason: (\S+) \(0x([0-9a-f]+)\)", text) == [
        (r.openssl_name, f"{int(r):x}") for r in reasons]
    assert all(r not in (9, 10) for r in reasons)  # no vector has a reason OpenSSL 3.0 cannot name


# --- extension constructors (OCSP_crlID_new, OCSP_accept_responses_new, ...) ---------------------------


CRL_TIME = dt.datetime(2024, 5, 6, 7, 8, 9, 654321, tzinfo=dt.timezone(dt.timedelta(hours=2)))


@pytest.mark.parametrize(("url", "number", "time"), [
    ("http://crl.example/ca.crl", None, None),
    (None, 12345, None),
    (None, None, CRL_TIME),
    ("http://crl.example/CA.crl", 0, CRL_TIME),
    ("ldap://dir.example/cn=CA?certificateRevocationList", 2**40, dt.datetime(2050, 1, 1, tzinfo=UTC)),
])
def test_crl_id_matches_openssl(
    url: Optional[str], number: Optional[int], time: Optional[dt.datetime], lc: LibCrypto
) -> None:
    ours = crl_id(url, number, time)
    assert isinstance(ours, Extension) and ours.oid == OID.CRL and ours.name == "crl_id" and not ours.critical
    count = LONG(number) if number is not None else None
    theirs = lc.OCSP_crlID_new(url.encode() if url else None, None if count is None else ctypes.byref(count),
                               gt(time) if time else None)
    assert lc.extension_der(lc.own("X509_EXTENSION", theirs)) == ours.dump()
    # asn1crypto reads the value the same way, and the typed value is CrlID.
    native = asn1crypto_ocsp.CrlId.load(ours.raw_value).native
    utc_time = None if time is None else time.astimezone(UTC).replace(microsecond=0)
    assert native == {"crl_url": url, "crl_num": number, "crl_time": utc_time}
    assert ours.value.native == native
    if time is not None:  # GeneralizedTime in UTC, whole seconds
        assert ours.raw_value.endswith(b"\x18\x0f" + gt(time))


def test_acceptable_responses_matches_openssl(lc: LibCrypto) -> None:
    cases = [(), (OID.BASIC,), (OID.BASIC, OID.NONCE)]
    for oids in cases:
        ours = acceptable_responses(*oids)
        theirs = lc.own("X509_EXTENSION", lc.OCSP_accept_responses_new(_strings(list(oids or (OID.BASIC,)))))
        assert lc.extension_der(theirs) == ours.dump()
        assert ours.oid == OID.RESPONSE and not ours.critical
        assert [o.dotted for o in ours.value] == list(oids or (OID.BASIC,))
        assert asn1crypto_ocsp.AcceptableResponses.load(ours.raw_value).dump() == ours.raw_value
    # OpenSSL drops OIDs it has no NID for; ocspkit writes every OID it is given.
    assert [o.dotted for o in acceptable_responses(OID.BASIC, PRIVATE_OID).value] == [OID.BASIC, PRIVATE_OID]
    assert acceptable_responses(critical=True).critical
    # The request builder's own method writes the same extension.
    request = RequestBuilder().add_cert_id(CertID.from_hashes(b"1" * 20, b"2" * 20, 3)).with_acceptable_responses()
    found = request.build().extensions.get("acceptable_responses")
    assert found is not None and found.dump() == acceptable_responses().dump()


def test_archive_cutoff_matches_openssl(lc: LibCrypto) -> None:
    when = dt.datetime(2019, 12, 31, 23, 0, 0, 999999, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    ours = archive_cutoff(when)
    theirs = lc.own("X509_EXTENSION", lc.OCSP_archive_cutoff_new(b"20200101040000Z"))
    assert lc.extension_der(theirs) == ours.dump()
    assert ours.value.native == dt.datetime(2020, 1, 1, 4, 0, 0, tzinfo=UTC)
    independent = asn1crypto_ocsp.SingleResponseExtension(
        {"extn_id": "archive_cutoff", "critical": False,
         "extn_value": core.GeneralizedTime(dt.datetime(2020, 1, 1, 4, tzinfo=UTC))})
    assert independent.dump() == ours.dump()


@pytest.mark.parametrize("urls", [
    ("http://ocsp.example/",),
    ("HTTP://OCSP.Example.COM/Path?Q=1", "http://backup.example:8080"),
])
def test_service_locator_matches_openssl(urls: Tuple[str, ...], pki: TestPKI, lc: LibCrypto) -> None:
    issuer = pki.intermediate.certificate.subject
    ours = service_locator(issuer, *urls)
    name = lc.d2i("X509_NAME", issuer.dump())
    theirs = lc.own("X509_EXTENSION", lc.OCSP_url_svcloc_new(name, _strings(list(urls))))
    # Byte for byte what OpenSSL writes, URLs verbatim.
    assert lc.extension_der(theirs) == ours.dump()
    assert ours.oid == OID.SERVICE_LOCATOR and not ours.critical
    assert ours.value["issuer"].dump() == issuer.dump()
    assert [ad["access_location"].chosen.contents.decode() for ad in ours.value["locator"]] == list(urls)
    assert all(ad["access_method"].native == "ocsp" for ad in ours.value["locator"])
    parsed = asn1crypto_ocsp.ServiceLocator.load(ours.raw_value)
    assert parsed["issuer"].dump() == issuer.dump() and len(parsed["locator"]) == len(urls)
    # A dict of attributes for the issuer, and a certificate's AIA copied as the locator.
    assert service_locator({"common_name": "ocspkit Test Intermediate CA"}, *urls).dump() == ours.dump()
    aia = x509.AuthorityInfoAccessSyntax([
        {"access_method": "ca_issuers", "access_location": {"uniform_resource_identifier": "http://ca.example/i.crt"}},
        {"access_method": "ocsp", "access_location": {"uniform_resource_identifier": "http://ocsp.example/"}},
    ])
    copied = service_locator(issuer, locator=aia)
    assert copied.value["locator"].dump() == aia.dump()


def test_crl_entry_extensions_match_asn1crypto() -> None:
    when = dt.datetime(2023, 3, 4, 5, 6, 7, 500, tzinfo=UTC)
    ours = invalidity_date(when)
    independent = asn1crypto_ocsp.SingleResponseExtension(
        {"extn_id": "invalidity_date", "critical": False,
         "extn_value": core.GeneralizedTime(when.replace(microsecond=0))})
    assert ours.dump() == independent.dump() and ours.name == "invalidity_date" and not ours.critical
    assert ours.value.native == when.replace(microsecond=0)
    name = x509.Name.build({"common_name": "Indirect CRL Issuer"})
    uri = x509.GeneralName(name="uniform_resource_identifier", value="http://issuer.example/")
    ours = certificate_issuer(name, uri)
    independent = asn1crypto_ocsp.SingleResponseExtension(
        {"extn_id": "certificate_issuer", "critical": True,
         "extn_value": x509.GeneralNames([x509.GeneralName(name="directory_name", value=name), uri])})
    assert ours.dump() == independent.dump() and ours.critical and ours.name == "certificate_issuer"
    assert certificate_issuer({"common_name": "Indirect CRL Issuer"}, critical=False).critical is False


def test_invalidity_date_matches_openssl(lc: LibCrypto) -> None:
    when = dt.datetime(2023, 3, 4, 5, 6, 7, tzinfo=UTC)
    value = lc.ASN1_GENERALIZEDTIME_new()
    try:
        assert lc.ASN1_GENERALIZEDTIME_set_string(value, gt(when)) == 1
        theirs = lc.own("X509_EXTENSION", lc.X509V3_EXT_i2d(lc.nid(OID.INVALIDITY_DATE), 0, value))
    finally:
        lc.ASN1_GENERALIZEDTIME_free(value)
    assert lc.extension_der(theirs) == invalidity_date(when).dump()


def test_constructors_refuse_bad_arguments() -> None:
    naive = dt.datetime(2020, 1, 1)
    empty = x509.AuthorityInfoAccessSyntax([])
    issuer = {"common_name": "x"}
    # (function, args, kwargs); the functions are Any here because the arguments are wrong on purpose.
    wrong_types: List[Tuple[Any, Tuple[Any, ...], Dict[str, Any]]] = [
        (archive_cutoff, ("20200101000000Z",), {}), (crl_id, (b"http://x",), {}), (crl_id, (), {"number": "1"}),
        (crl_id, (), {"number": True}), (crl_id, ("http://x",), {"critical": 1}), (acceptable_responses, (1,), {}),
        (service_locator, ("CN=issuer", "http://x"), {}), (service_locator, (issuer, 5), {}),
        (service_locator, (issuer,), {"locator": ["http://x"]}), (certificate_issuer, ("CN=x",), {}),
    ]
    for fn, args, kwargs in wrong_types:
        with pytest.raises(OCSPTypeError):
            fn(*args, **kwargs)
    wrong_values: List[Tuple[Any, Tuple[Any, ...], Dict[str, Any]]] = [
        (crl_id, (), {"time": naive}), (archive_cutoff, (naive,), {}), (invalidity_date, (naive,), {}),
        (crl_id, (), {}), (crl_id, (), {"number": -1}), (crl_id, ("http://\u00e4.example/",), {}),
        (acceptable_responses, ("not an oid",), {}), (service_locator, (issuer,), {}),
        (service_locator, (issuer, ""), {}), (service_locator, (issuer, "http://x"), {"locator": empty}),
        (service_locator, (issuer,), {"locator": empty}), (certificate_issuer, (), {}),
    ]
    for fn, args, kwargs in wrong_values:
        with pytest.raises(OCSPValueError):
            fn(*args, **kwargs)
    # Both are Python's own errors too: misuse of the API, never an OCSP verdict about a message.
    assert issubclass(OCSPTypeError, TypeError) and issubclass(OCSPValueError, ValueError)


def test_builders_take_the_constructed_extensions(
    pki: TestPKI, cert_ids: List[CertID], files: Path, openssl_bin: str
) -> None:
    single_extensions = [
        crl_id("http://crl.example/ca.crl", 7, NOW - dt.timedelta(hours=1)),
        archive_cutoff(NOW - dt.timedelta(days=365)),
        invalidity_date(NOW - dt.timedelta(days=4)),
        certificate_issuer({"common_name": "Indirect CRL Issuer"}),
    ]
    response = ResponseBuilder().add_response(
        cert_ids[1], "revoked", revocation_time=NOW - dt.timedelta(days=2),
        extensions=[(e.oid, e.raw_value, e.critical) for e in single_extensions],
    ).sign(pki.responder.private_key, pki.responder.certificate, now=NOW)
    got = response.responses[0].extensions
    assert [e.dump() for e in got] == [e.dump() for e in single_extensions]
    assert [e.name for e in got] == ["crl_id", "archive_cutoff", "invalidity_date", "certificate_issuer"]
    path = files / "ext-resp.der"
    path.write_bytes(response.dump())
    text = resp_text(path).stdout
    assert "crlUrl: http://crl.example/ca.crl" in text and "crlNum: 07" in text
    assert "OCSP Archive Cutoff:" in text and "Invalidity Date:" in text
    assert "X509v3 Certificate Issuer: critical" in text and "DirName:/CN=Indirect CRL Issuer" in text

    locator = service_locator(pki.intermediate.certificate.subject, "http://OCSP.example/")
    accept = acceptable_responses(critical=True)
    request = (RequestBuilder().add_cert_id(cert_ids[0], service_locator=locator.value)
               .with_extension(accept.oid, accept.value, critical=accept.critical).build())
    assert request.requests[0].extensions[0].dump() == locator.dump()
    assert request.extensions[0].dump() == accept.dump()
    path = files / "ext-req.der"
    path.write_bytes(request.dump())
    text = req_text(path).stdout
    assert "OCSP Service Locator:" in text and "URI:http://OCSP.example/" in text
    assert "Acceptable OCSP Responses: critical" in text and "Basic OCSP Response" in text


# --- the OCSP_REQUEST_*_ext family ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_builder(cert_ids: List[CertID]) -> RequestBuilder:
    return RequestBuilder().add_cert_id(cert_ids[0])


@pytest.fixture(scope="module")
def ext_request(base_builder: RequestBuilder) -> OCSPRequest:
    accept = acceptable_responses(OID.BASIC, critical=True)
    return (base_builder.with_nonce(N)
            .with_extension(accept.oid, accept.value, critical=True)
            .with_extension(PRIVATE_OID, core.Null(), critical=False)
            .with_extension(OID.NONCE, asn1.Nonce(M))  # a second nonce: lookups walk past the first
            .build())


def test_extension_lookups_match_libcrypto(ext_request: OCSPRequest, lc: LibCrypto) -> None:
    exts = ext_request.extensions
    assert isinstance(exts, Extensions)
    handle = lc.d2i("OCSP_REQUEST", ext_request.dump())
    count = lc.OCSP_REQUEST_get_ext_count(handle)
    assert exts.__len__() == len(exts) == count == 4  # OCSP_REQUEST_get_ext_count
    positions = range(-3, count + 2)
    # OCSP_REQUEST_get_ext_by_NID: by name; OCSP_REQUEST_get_ext_by_OBJ: by dotted OID.
    for name, oid in (("nonce", OID.NONCE), ("acceptable_responses", OID.RESPONSE), ("crl_id", OID.CRL)):
        for after in positions:
            by_nid = lc.OCSP_REQUEST_get_ext_by_NID(handle, lc.nid(oid), after)
            assert exts.index_of(name, after) == by_nid
    for oid in (OID.NONCE, OID.RESPONSE, OID.CRL, PRIVATE_OID):
        obj = lc.OBJ_txt2obj(oid.encode(), 1)
        try:
            for after in positions:
                assert exts.index_of(oid, after) == lc.OCSP_REQUEST_get_ext_by_OBJ(handle, obj, after)
        finally:
            lc.ASN1_OBJECT_free(obj)
    assert exts.index_of("nonce") == 0 and exts.index_of("nonce", 0) == 3 and exts.index_of("nonce", 3) == -1
    # OCSP_REQUEST_get_ext_by_critical
    for critical in (True, False):
        for after in positions:
            theirs = lc.OCSP_REQUEST_get_ext_by_critical(handle, int(critical), after)
            assert exts.index_of_critical(critical, after) == theirs
    # OCSP_REQUEST_get_ext: the extension at a position, the same DER.
    for index in range(count):
        assert exts.__getitem__(index) is exts[index]
        assert lc.extension_der(lc.OCSP_REQUEST_get_ext(handle, index)) == exts[index].dump()
    lookups: Any = exts
    for name, args in (("index_of", (1,)), ("index_of", ("nonce", "0")), ("index_of", ("nonce", True)),
                       ("index_of_critical", (1,)), ("index_of_critical", (True, None))):
        with pytest.raises(OCSPTypeError):
            getattr(lookups, name)(*args)


def test_extension_values_match_libcrypto(ext_request: OCSPRequest, lc: LibCrypto) -> None:
    handle = lc.d2i("OCSP_REQUEST", ext_request.dump())
    # OCSP_REQUEST_get1_ext_d2i: the decoded value. For acceptable responses, the OIDs.
    critical, index = INT(), INT(-1)
    stack = lc.OCSP_REQUEST_get1_ext_d2i(handle, lc.nid(OID.RESPONSE), ctypes.byref(critical), ctypes.byref(index))
    try:
        theirs = [lc.obj_text(lc.OPENSSL_sk_value(stack, i)) for i in range(lc.OPENSSL_sk_num(stack))]
    finally:
        lc.OPENSSL_sk_pop_free(stack, lc.pointer("ASN1_OBJECT_free"))
    ext = ext_request.extensions[index.value]
    assert [o.dotted for o in ext.value] == theirs == [OID.BASIC]
    assert bool(critical.value) is ext.critical is True
    # For the nonce OpenSSL decodes the whole extnValue (the OCTET STRING included); ocspkit's
    # Extension.value is the nonce inside, and raw_value is what OpenSSL gives.
    index = INT(-1)
    octets = lc.OCSP_REQUEST_get1_ext_d2i(handle, lc.nid(OID.NONCE), ctypes.byref(critical), ctypes.byref(index))
    try:
        nonce = ext_request.extensions[index.value]
        assert lc.string(octets) == nonce.raw_value and nonce.value == read_nonce(nonce.raw_value)[0] == N
    finally:
        lc.ASN1_OCTET_STRING_free(octets)
    # Unknown OIDs have no typed value: the raw extnValue.
    private = ext_request.extensions.get(PRIVATE_OID)
    assert private is not None and private.value == private.raw_value == b"\x05\x00"


def test_extension_editing_matches_libcrypto(
    base_builder: RequestBuilder, ext_request: OCSPRequest, lc: LibCrypto
) -> None:
    # OCSP_REQUEST_add1_ext_i2d: an extension from a value; RequestBuilder.with_extension(oid, value).
    theirs = lc.d2i("OCSP_REQUEST", base_builder.build().dump())
    stack = lc.OPENSSL_sk_new_null()
    try:
        lc.OPENSSL_sk_push(stack, lc.OBJ_txt2obj(OID.BASIC.encode(), 1))
        assert lc.OCSP_REQUEST_add1_ext_i2d(theirs, lc.nid(OID.RESPONSE), stack, 1, 0) == 1
    finally:
        lc.OPENSSL_sk_pop_free(stack, lc.pointer("ASN1_OBJECT_free"))
    ours = base_builder.with_extension(OID.RESPONSE, asn1.AcceptableResponses([OID.BASIC]), critical=True).build()
    assert lc.i2d("OCSP_REQUEST", theirs) == ours.dump()
    # OCSP_REQUEST_add_ext: a whole extension; with_extension(ext.oid, ext.raw_value, critical=ext.critical).
    ext = crl_id("http://crl.example/ca.crl", 3)
    theirs = lc.d2i("OCSP_REQUEST", base_builder.build().dump())
    assert lc.OCSP_REQUEST_add_ext(theirs, lc.d2i("X509_EXTENSION", ext.dump()), -1) == 1
    ours = base_builder.with_extension(ext.oid, ext.raw_value, critical=ext.critical).build()
    assert lc.i2d("OCSP_REQUEST", theirs) == ours.dump()
    assert ours.extensions[0].raw_value == ext.raw_value
    # OCSP_REQUEST_delete_ext: drop the one acceptable-responses extension; without_extension(oid).
    theirs = lc.d2i("OCSP_REQUEST", ext_request.dump())
    position = ext_request.extensions.index_of(OID.RESPONSE)
    lc.own("X509_EXTENSION", lc.OCSP_REQUEST_delete_ext(theirs, position))
    accept = ext_request.extensions[position]
    ours = (base_builder.with_nonce(N).with_extension(accept.oid, accept.value, critical=True)
            .with_extension(PRIVATE_OID, core.Null()).with_extension(OID.NONCE, asn1.Nonce(M))
            .without_extension(OID.RESPONSE).build())
    assert lc.i2d("OCSP_REQUEST", theirs) == ours.dump()
    assert ours.extensions.get(OID.RESPONSE) is None and len(ours.extensions) == 3
