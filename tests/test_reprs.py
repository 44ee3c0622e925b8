"""Every public object has a short, informative repr (and a str) that never raises.

A repr is what a developer sees in a traceback, a debugger or a log line: ``repr(CertificateStatus)``
once dumped whole certificates as bytes (kilobytes), and builders and the responder printed
``<... object at 0x...>``. Each object below is made the way a user makes it; its repr must name
the class, say something about the object, and stay under REPR_LIMIT characters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import pytest

import ocspkit
from ocspkit import crypto, lint
from ocspkit import http as ocsp_http
from ocspkit.responder import Issuer, MemoryStore, Responder, SQLiteStore
from ocspkit.testing import TestPKI, make_scenario

REPR_LIMIT = 200  # a log line's worth


def _catalog(tmp_path: Path) -> Dict[str, Any]:
    pki = TestPKI("ec")
    leaf = pki.issue_leaf("repr.example")
    request = ocspkit.RequestBuilder().add_cert(leaf.certificate, pki.intermediate.certificate).with_nonce()
    built = request.build()
    builder = ocspkit.ResponseBuilder().add_response(
        leaf.cert_id(), "revoked", revocation_time=pki.now, revocation_reason=1).with_nonce(built)
    response = builder.sign(pki.responder.private_key, pki.responder.certificate, now=pki.now)
    status = ocspkit.check_status(response.dump(), leaf.certificate, pki.intermediate.certificate, request=built,
                                  now=pki.now)
    store = MemoryStore()
    store.add(leaf.serial_number, subject="/CN=" + "long-subject." * 20)
    store.revoke(leaf.serial_number, when=pki.now, reason=ocspkit.RevocationReason.KEY_COMPROMISE)
    issuer = Issuer(pki.intermediate.certificate, pki.responder.private_key, store,
                    signer_certificate=pki.responder.certificate, label="repr CA")
    responder = Responder(issuer)
    scenario = make_scenario("revoked", pki=pki)
    findings = lint.lint(response)
    url = "http://ocsp.example/" + "x" * 300
    return {
        "TestPKI": pki, "CertifiedKey": leaf, "PKIFiles": pki.write(tmp_path / "pki"),
        "PrivateKey": leaf.private_key, "PublicKey": leaf.private_key.public_key,
        "CertID": leaf.cert_id(), "RequestBuilder": request, "OCSPRequest": built,
        "ResponseBuilder": builder, "OCSPResponse": response, "BasicOCSPResponse": response.basic,
        "SingleResponse": response.responses[0], "ResponderID": response.responder_id,
        "Extensions": response.extensions, "Extension": next(iter(response.extensions)),
        "CertificateStatus": status, "Verdict": status.verdict, "Check": status.checks[0],
        "TrustedCertificate": ocspkit.verify.TrustedCertificate(pki.root.certificate),
        "Finding": findings[0], "Rule": next(iter(lint.RULES.values())),
        "OCSPURL": ocsp_http.parse_url("http://ocsp.example/x"),
        "HTTPReply": ocsp_http.HTTPReply(200, "OK", (("Content-Type", "application/ocsp-response"),),
                                         response.dump(), "GET", url),
        "MemoryStore": store, "CertificateRecord": store.lookup(leaf.serial_number), "Issuer": issuer,
        "Responder": responder, "Answer": responder.respond(built.dump(), now=pki.now),
        "Reply": responder.handle("POST", "/", {"Content-Type": "application/ocsp-request"}, built.dump(),
                                  now=pki.now),
        "SQLiteStore": SQLiteStore(str(tmp_path / "ocsp.db")),
        "Scenario": scenario, "Expected": scenario.expected,
    }


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Any]:
    return _catalog(tmp_path_factory.mktemp("reprs"))


NAMES = [
    "TestPKI", "CertifiedKey", "PKIFiles", "PrivateKey", "PublicKey", "CertID", "RequestBuilder", "OCSPRequest",
    "ResponseBuilder", "OCSPResponse", "BasicOCSPResponse", "SingleResponse", "ResponderID", "Extensions",
    "Extension", "CertificateStatus", "Verdict", "Check", "TrustedCertificate", "Finding", "Rule", "OCSPURL",
    "HTTPReply", "MemoryStore", "CertificateRecord", "Issuer", "Responder", "Answer", "Reply", "SQLiteStore",
    "Scenario", "Expected",
]


@pytest.mark.parametrize("name", NAMES)
def test_repr_is_short_and_informative(catalog: Dict[str, Any], name: str) -> None:
    obj = catalog[name]
    text = repr(obj)
    assert type(obj).__name__ in text
    assert "object at 0x" not in text, text
    assert len(text) <= REPR_LIMIT, f"{len(text)} characters: {text[:300]}"
    assert str(obj)  # never raises either


def test_reprs_say_what_matters(catalog: Dict[str, Any]) -> None:
    assert repr(catalog["CertificateStatus"]) == (
        f"<CertificateStatus REVOKED (KEY_COMPROMISE) serial={catalog['CertifiedKey'].serial_number:X} "
        "signer DELEGATED>")
    assert repr(catalog["Answer"]).startswith("<Answer SUCCESSFUL [REVOKED] ")
    assert repr(catalog["Reply"]).startswith("<Reply 200 application/ocsp-response ")
    assert repr(catalog["Issuer"]) == (
        "<Issuer repr CA signed by delegated responder, responder ID by name, MemoryStore>")
    assert repr(catalog["Responder"]) == "<Responder for 1 issuer(s): repr CA>"
    assert repr(catalog["MemoryStore"]) == "<MemoryStore 1 record(s)>"
    assert repr(catalog["RequestBuilder"]) == "<RequestBuilder 1 CertID(s), 1 extension(s)>"
    assert repr(catalog["ResponseBuilder"]) == "<ResponseBuilder 1 response(s), 1 extension(s), responder ID by name>"
    assert repr(catalog["Scenario"]) == "<Scenario 'revoked': REVOKED>"
    record = repr(catalog["CertificateRecord"])
    assert record.startswith(f"<CertificateRecord 0x{catalog['CertifiedKey'].serial_number:04X} revoked "
                             "(keyCompromise) at ") and record.endswith("...>")
    assert repr(catalog["Verdict"]).startswith("<Verdict DELEGATED signer=<Certificate ")


def test_crypto_keys_show_no_key_material(catalog: Dict[str, Any]) -> None:
    key = catalog["PrivateKey"]
    assert repr(key) == "<PrivateKey ec secp256r1>"
    assert crypto.load_private_key(key) is key
