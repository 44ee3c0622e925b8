"""The signature-only checks, OCSP_BASICRESP_verify and OCSP_REQUEST_verify, against the openssl CLI.

OpenSSL 3 no longer exports these two (they became internal ASN1_item_verify calls), so the
oracle is ``openssl dgst -verify`` over the tbs bytes as received: the same check, done by
libcrypto on bytes ocspkit only slices out. Messages are signed with RSA (PKCS#1 v1.5, SHA-256
and SHA-384) and ECDSA P-256; each is checked intact, with the signer's key, with another key,
and with one bit of the signed bytes flipped.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any, Callable, List, Tuple

import pytest

import ocspkit
from ocspkit.testing import TestPKI

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def pkis() -> Tuple[TestPKI, TestPKI]:
    return TestPKI("rsa", now=NOW), TestPKI("ec", now=NOW)


def _openssl_dgst_verify(
    openssl: str, tmp: Path, cert_pem: bytes, data: bytes, signature: bytes, hash_name: str
) -> bool:
    """``openssl dgst -<hash> -verify <key> -signature <sig> <data>``: True for "Verified OK"."""
    (tmp / "cert.pem").write_bytes(cert_pem)
    key = subprocess.run(
        [openssl, "x509", "-in", str(tmp / "cert.pem"), "-pubkey", "-noout"],
        capture_output=True, check=True,
    ).stdout
    (tmp / "key.pem").write_bytes(key)
    (tmp / "data.bin").write_bytes(data)
    (tmp / "sig.bin").write_bytes(signature)
    result = subprocess.run(
        [openssl, "dgst", f"-{hash_name}", "-verify", str(tmp / "key.pem"), "-signature",
         str(tmp / "sig.bin"), str(tmp / "data.bin")],
        capture_output=True, text=True, check=False,
    )
    return result.returncode == 0 and "Verified OK" in result.stdout


def _ocspkit_ok(check: Callable[[Any], None], key: Any) -> bool:
    try:
        check(key)
    except ocspkit.SignatureError:
        return False
    return True


def _flip(der: bytes, start: int, end: int) -> bytes:
    """Flip one bit in the middle of der[start:end]."""
    out = bytearray(der)
    out[(start + end) // 2] ^= 0x04
    return bytes(out)


CASES: List[Tuple[str, str, str]] = [("rsa", "sha256", "rsa"), ("rsa", "sha384", "rsa"), ("ec", "sha256", "ec")]


@pytest.mark.parametrize(("kind", "hash_name", "label"), CASES, ids=[f"{k}-{h}" for k, h, _ in CASES])
def test_basic_response_verify_signature_matches_openssl(
    pkis: Tuple[TestPKI, TestPKI], tmp_path: Path, openssl_bin: str, kind: str, hash_name: str, label: str
) -> None:
    """BasicOCSPResponse.verify_signature (OCSP_BASICRESP_verify) agrees with openssl dgst."""
    pki = pkis[0] if kind == "rsa" else pkis[1]
    other = pkis[1] if kind == "rsa" else pkis[0]
    leaf = pki.issue_leaf()
    cert_id = ocspkit.CertID.from_cert(leaf.certificate, pki.intermediate.certificate)
    response = (
        ocspkit.ResponseBuilder()
        .add_response(cert_id, "good", this_update=NOW)
        .sign(pki.responder.private_key, pki.responder.certificate, hash_algorithm=hash_name)
    )
    der = response.dump()
    basic = ocspkit.load_response(der).basic
    tbs = basic.tbs_response_data_bytes
    start = der.index(tbs)
    variants = [
        ("intact", der, pki.responder, True),
        ("other key", der, other.responder, False),
        ("tbs flipped", _flip(der, start, start + len(tbs)), pki.responder, False),
    ]
    for name, data, signer, expected in variants:
        view = ocspkit.load_response(data).basic
        ours = _ocspkit_ok(view.verify_signature, signer.certificate)
        theirs = _openssl_dgst_verify(
            openssl_bin, tmp_path, signer.cert_pem, view.tbs_response_data_bytes, view.signature, hash_name
        )
        assert ours == theirs == expected, name


@pytest.mark.parametrize(("kind", "hash_name", "label"), CASES, ids=[f"{k}-{h}" for k, h, _ in CASES])
def test_request_verify_signature_matches_openssl(
    pkis: Tuple[TestPKI, TestPKI], tmp_path: Path, openssl_bin: str, kind: str, hash_name: str, label: str
) -> None:
    """OCSPRequest.verify_signature (OCSP_REQUEST_verify) agrees with openssl dgst."""
    pki = pkis[0] if kind == "rsa" else pkis[1]
    other = pkis[1] if kind == "rsa" else pkis[0]
    leaf = pki.issue_leaf()
    requester = pki.issue_leaf("requester.example")
    request = (
        ocspkit.RequestBuilder()
        .add_cert(leaf.certificate, pki.intermediate.certificate)
        .sign(requester.private_key, requester.certificate, hash_algorithm=hash_name)
    )
    der = request.dump()
    tbs = request.tbs_request_bytes
    start = der.index(tbs)
    variants = [
        ("intact", der, requester, True),
        ("other key", der, other.responder, False),
        ("tbs flipped", _flip(der, start, start + len(tbs)), requester, False),
    ]
    for name, data, signer, expected in variants:
        view = ocspkit.load_request(data)
        ours = _ocspkit_ok(view.verify_signature, signer.certificate)
        assert view.signature is not None
        theirs = _openssl_dgst_verify(
            openssl_bin, tmp_path, signer.cert_pem, view.tbs_request_bytes, view.signature, hash_name
        )
        assert ours == theirs == expected, name


def test_unsigned_request_has_no_signature_to_verify(pkis: Tuple[TestPKI, TestPKI]) -> None:
    pki = pkis[0]
    request = ocspkit.RequestBuilder().add_cert(pki.issue_leaf().certificate, pki.intermediate.certificate).build()
    with pytest.raises(ocspkit.SignatureError, match="not signed"):
        ocspkit.load_request(request.dump()).verify_signature(pki.responder.certificate)


def test_verify_request_matches_libcrypto_ocsp_request_verify(pkis: Tuple[TestPKI, TestPKI]) -> None:
    """verify_request (OCSP_request_verify) gives libcrypto's own answer on the same bytes, store
    and flags: a chain through the request's certificates, a missing intermediate, another trust
    anchor, a flipped signature, and NOVERIFY."""
    from _interop_helpers import OCSP_NOVERIFY, libcrypto_request_verify

    pki, other = pkis
    leaf = pki.issue_leaf()
    requester = pki.issue_leaf("requester.example")
    builder = ocspkit.RequestBuilder().add_cert(leaf.certificate, pki.intermediate.certificate)
    with_chain = builder.sign(
        requester.private_key, requester.certificate, extra_certs=[pki.intermediate.certificate]
    ).dump()
    without_chain = builder.sign(requester.private_key, requester.certificate).dump()
    tbs = ocspkit.load_request(with_chain).tbs_request_bytes
    flipped = bytearray(with_chain)
    flipped[-10] ^= 0x01  # inside the last certificate: the requester's own signature is intact
    signature_flipped = bytearray(with_chain)
    start = with_chain.index(tbs) + len(tbs)
    signature_flipped[start + 40] ^= 0x01  # inside the signature BIT STRING, after the algorithm
    cases = [
        ("chain through the request's certificates", with_chain, [pki.root.cert_der], 0),
        ("intermediate missing", without_chain, [pki.root.cert_der], 0),
        ("another trust anchor", with_chain, [other.root.cert_der], 0),
        ("signature flipped", bytes(signature_flipped), [pki.root.cert_der], 0),
        ("NOVERIFY, another trust anchor", with_chain, [other.root.cert_der], OCSP_NOVERIFY),
    ]
    seen = set()
    for name, der, trusted, flags in cases:
        theirs, errors = libcrypto_request_verify(der, trusted, flags)
        try:
            verdict = ocspkit.verify_request(der, trusted=trusted, flags=flags)
        except ocspkit.VerificationError:
            ours = False
        else:
            ours = True
            assert verdict.authorization in (ocspkit.Authorization.CHAIN, ocspkit.Authorization.NOT_CHECKED)
        assert ours == (theirs == 1), (name, errors)
        seen.add(ours)
    assert seen == {True, False}  # the cases exercise both answers
