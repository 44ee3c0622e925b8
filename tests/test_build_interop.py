"""What ocspkit builds, judged by others: MANIFEST's exact request bytes and the openssl CLI."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from _openssl_cli import req_text, run
from conftest import ROOT, manifest_entries, read_vector, vectors_dir

import ocspkit
from ocspkit.request import RequestBuilder
from ocspkit.response import ResponseBuilder, unsuccessful_response
from ocspkit.testing import TestPKI

NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


@pytest.fixture(scope="module")
def files(pki: TestPKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("pki")
    (d / "root.pem").write_bytes(pki.root.cert_pem)
    (d / "int.pem").write_bytes(pki.intermediate.cert_pem)
    (d / "responder.pem").write_bytes(pki.responder.cert_pem)
    return d


# Every request whose source states it was built from a cert and issuer without a nonce.
EXACT = [
    e for e in manifest_entries("ocsp-request", "ocsp-response")
    if e["expect"].get("built_from") and e["expect"].get("exact_bytes")
] + [e for e in manifest_entries("ocsp-response") if "create_ocsp_request" in e["expect"]][:1]


@pytest.mark.parametrize("entry", EXACT, ids=[e["file"] for e in EXACT])
def test_request_bytes_equal_the_sources(entry: dict) -> None:  # type: ignore[type-arg]
    spec = entry["expect"].get("built_from") or entry["expect"]["create_ocsp_request"]
    expected_file = entry["file"] if "built_from" in entry["expect"] else spec["expected_request"]
    assert not spec.get("nonce", False)
    built = RequestBuilder().add_cert(
        read_vector(spec["cert"]), read_vector(spec["issuer"]), spec.get("hash", "sha1")
    ).build()
    expected = ocspkit.load_request(read_vector(expected_file))
    if expected.deviations:
        # BoringSSL copies the certificate's non-minimal serial (0x0005) into the CertID; ocspkit
        # writes DER, so it writes the same CertID with the minimal INTEGER.
        assert [d.code for d in expected.deviations] == ["integer_not_minimal"]
        assert built.cert_ids == expected.cert_ids
        assert not built.deviations
    else:
        assert built.dump() == expected.dump()


def test_request_bytes_equal_openssl(pki: TestPKI, files: Path, openssl_bin: str) -> None:
    leaf = pki.issue_leaf("same.example")
    (files / "leaf.pem").write_bytes(leaf.cert_pem)
    out = files / "openssl-req.der"
    r = run([openssl_bin, "ocsp", "-issuer", str(files / "int.pem"), "-cert", str(files / "leaf.pem"),
             "-no_nonce", "-reqout", str(out)])
    assert r.returncode == 0, r.stderr
    ours = RequestBuilder().add_cert(leaf.certificate, pki.intermediate.certificate).build()
    assert ours.dump() == out.read_bytes()


def test_openssl_reads_our_request(pki: TestPKI, files: Path, openssl_bin: str) -> None:
    leaves = [pki.issue_leaf(f"n{i}.example") for i in range(3)]
    builder = RequestBuilder()
    for i, leaf in enumerate(leaves):
        builder = builder.add_cert(leaf.certificate, pki.intermediate.certificate, ("sha1", "sha256", "sha384")[i])
    request = builder.with_nonce(16).sign(pki.responder.key_pem, pki.responder.cert_pem)
    path = files / "ours-req.der"
    path.write_bytes(request.dump())
    r = req_text(path)
    assert r.returncode == 0, r.stderr
    ocsp_part = r.stdout.split("Certificate:\n")[0]  # before the embedded signer certificate
    serials = re.findall(r"Serial Number: ([0-9A-F]+)", ocsp_part)
    assert [int(s, 16) for s in serials] == [leaf.serial_number for leaf in leaves]
    assert re.findall(r"Hash Algorithm: (\w+)", r.stdout) == ["sha1", "sha256", "sha384"]
    assert request.nonce is not None and request.nonce.hex().upper() in r.stdout.replace("\n", "")
    assert "Requestor Name: DirName:CN = ocspkit Test OCSP Responder" in r.stdout
    assert "Signature Algorithm: sha256WithRSAEncryption" in r.stdout
    # The signature holds over tbsRequest as sent, checked with the signer's key.
    from ocspkit import crypto

    crypto.verify_signature(pki.responder.certificate, request.signature or b"",
                            request.tbs_request_bytes, request.signature_algorithm)


@pytest.mark.parametrize("signer", ["responder", "intermediate"])
@pytest.mark.parametrize("by", ["name", "key"])
def test_openssl_verifies_our_response(
    pki: TestPKI, files: Path, openssl_bin: str, signer: str, by: str
) -> None:
    good, revoked, unknown = (pki.issue_leaf(f"{signer}-{by}-{i}.example") for i in range(3))
    issuer = pki.intermediate.certificate
    request = (RequestBuilder().add_cert(good.certificate, issuer).add_cert(revoked.certificate, issuer)
               .add_cert(unknown.certificate, issuer).with_nonce().build())
    ids = request.cert_ids
    key = getattr(pki, signer)
    response = (
        ResponseBuilder()
        .add_response(ids[0], "good", next_update=NOW + dt.timedelta(days=1))
        .add_response(ids[1], "revoked", revocation_time=NOW - dt.timedelta(days=2),
                      revocation_reason=ocspkit.RevocationReason.SUPERSEDED,
                      next_update=NOW + dt.timedelta(days=1))
        .add_response(ids[2], "unknown", next_update=NOW + dt.timedelta(days=1))
        .with_nonce(request)
        .with_responder_id(by)
        .sign(key.private_key, key.certificate, now=NOW)
    )
    (files / "req.der").write_bytes(request.dump())
    (files / "resp.der").write_bytes(response.dump())
    for i, leaf in enumerate((good, revoked, unknown)):
        (files / f"leaf{i}.pem").write_bytes(leaf.cert_pem)
    r = run([openssl_bin, "ocsp", "-respin", str(files / "resp.der"), "-reqin", str(files / "req.der"),
             "-CAfile", str(files / "root.pem"), "-verify_other", str(files / "int.pem"), "-resp_text"])
    assert r.returncode == 0, r.stderr
    assert "Response verify OK" in r.stderr + r.stdout
    assert re.findall(r"Cert Status: (\w+)", r.stdout) == ["good", "revoked", "unknown"]
    assert "Revocation Reason: superseded (0x4)" in r.stdout
    if by == "key":
        from ocspkit import crypto

        assert f"Responder Id: {crypto.key_hash(key.certificate.public_key).hex().upper()}" in r.stdout
    else:
        assert f"Responder Id: CN = {key.certificate.subject.native['common_name']}" in r.stdout


def test_unsuccessful_responses_match_the_vectors() -> None:
    for status in ("malformedRequest", "internalError", "tryLater", "sigRequired", "unauthorized"):
        value = next(s for s in ocspkit.ResponseStatus if s.asn1_name == status)
        assert unsuccessful_response(value).dump() == read_vector(f"cryptography/builder-unsuccessful-{status}.der")


def test_test_pki_passes_openssl(pki: TestPKI, files: Path, openssl_bin: str) -> None:
    leaf = pki.issue_leaf("chain.example")
    (files / "chain-leaf.pem").write_bytes(leaf.cert_pem)
    r = run([openssl_bin, "verify", "-CAfile", str(files / "root.pem"), "-untrusted", str(files / "int.pem"),
             str(files / "chain-leaf.pem"), str(files / "responder.pem")])
    assert r.returncode == 0, r.stdout + r.stderr
    text = run([openssl_bin, "x509", "-in", str(files / "responder.pem"), "-noout", "-text"]).stdout
    assert "OCSP Signing" in text
    assert "OCSP No Check" in text


def test_ec_pki_and_response(files: Path, openssl_bin: str, tmp_path: Path) -> None:
    pki = TestPKI("ec")
    leaf = pki.issue_leaf()
    (tmp_path / "root.pem").write_bytes(pki.root.cert_pem)
    (tmp_path / "int.pem").write_bytes(pki.intermediate.cert_pem)
    cert_id = ocspkit.CertID.from_cert(leaf.certificate, pki.intermediate.certificate)
    response = ResponseBuilder().add_response(cert_id).sign(pki.responder.private_key, pki.responder.certificate)
    (tmp_path / "resp.der").write_bytes(response.dump())
    r = run([openssl_bin, "ocsp", "-respin", str(tmp_path / "resp.der"), "-CAfile", str(tmp_path / "root.pem"),
             "-verify_other", str(tmp_path / "int.pem"), "-resp_text"])
    assert r.returncode == 0, r.stderr
    assert "Response verify OK" in r.stderr + r.stdout
    assert "ecdsa-with-SHA256" in r.stdout


def test_demo_runs() -> None:
    r = run([sys.executable, str(ROOT / "examples" / "demo.py")], cwd=str(ROOT))
    assert r.returncode == 0, r.stderr
    assert "alice: good" in r.stdout
    assert "mallory: revoked" in r.stdout
    pem = r.stdout[r.stdout.index("-----BEGIN OCSP RESPONSE-----"):]
    assert ocspkit.load_response(pem.encode()).responses[1].revocation_reason is ocspkit.RevocationReason.KEY_COMPROMISE


def test_vectors_dir_is_outside_the_repository() -> None:
    assert ROOT not in vectors_dir().resolve().parents
