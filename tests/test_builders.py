"""The builders take ocspkit.extensions' Extension objects, and their lazily read views equal a
fresh load of the bytes they wrote."""

from __future__ import annotations

import datetime as dt

import pytest
from test_fast_path import request_summary, response_summary

import ocspkit
from ocspkit import extensions as ext
from ocspkit.asn1 import OID
from ocspkit.testing import TestPKI

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 3, 31, 23, 59, 59, tzinfo=UTC)


def test_request_builder_takes_extension_objects(pki: TestPKI) -> None:
    cid = ocspkit.CertID.from_issuer(pki.intermediate.cert_der, 99)
    locator = ext.service_locator({"common_name": "Issuer"}, "http://OCSP.Example/Path", critical=True)
    accept = ext.acceptable_responses()
    request = (
        ocspkit.RequestBuilder()
        .add_cert_id(cid, service_locator=locator)
        .add_cert_id(cid, service_locator=({"common_name": "Issuer"}, "http://OCSP.Example/Path"))
        .with_extension(accept)
        .with_extension(accept, critical=True, replace=True)
        .build()
    )
    first, second = request.requests
    assert first.extensions[0].dump() == locator.dump()
    assert first.extensions[0].critical
    # The (issuer, url) pair writes the same value, non-critical, the URL verbatim.
    assert second.extensions[0].raw_value == locator.raw_value
    assert b"http://OCSP.Example/Path" in second.extensions[0].raw_value
    assert [(e.oid, e.critical, e.raw_value) for e in request.extensions] == [(OID.RESPONSE, True, accept.raw_value)]
    with pytest.raises(ValueError, match="service locator"):
        ocspkit.RequestBuilder().add_cert_id(cid, service_locator=accept)
    with pytest.raises(ocspkit.OCSPTypeError):
        ocspkit.RequestBuilder().with_extension(OID.RESPONSE)
    assert request_summary(request) == request_summary(ocspkit.load_request(request.dump(), strict=True))


def test_response_builder_takes_extension_objects(pki: TestPKI) -> None:
    cid = ocspkit.CertID.from_issuer(pki.intermediate.cert_der, 99)
    crl = ext.crl_id(url="http://crl.example/ca.crl", number=7, time=NOW)
    cutoff = ext.archive_cutoff(NOW)
    response = (
        ocspkit.ResponseBuilder()
        .add_response(cid, "revoked", revocation_time=NOW, revocation_reason=4, this_update=NOW,
                      extensions=[crl, cutoff, (OID.CRL_REASON, b"\x0a\x01\x04", False)], invalidity_date=NOW)
        .with_extension(crl)
        .sign(pki.responder.key_der, pki.responder.cert_der, now=NOW)
    )
    single = response.responses[0]
    assert [e.dump() for e in single.extensions][:2] == [crl.dump(), cutoff.dump()]
    assert [e.oid for e in single.extensions] == [OID.CRL, OID.ARCHIVE_CUTOFF, OID.CRL_REASON, OID.INVALIDITY_DATE]
    assert response.extensions[0].dump() == crl.dump()
    assert single.revocation_time == NOW and single.this_update == NOW
    loaded = ocspkit.load_response(response.dump(), strict=True)
    assert response_summary(response) == response_summary(loaded)


def test_built_response_view_reads_its_own_bytes(pki: TestPKI) -> None:
    """sign() returns a view that reads the BasicOCSPResponse on first use: same as a fresh load."""
    cid = ocspkit.CertID.from_issuer(pki.intermediate.cert_der, 5, "sha256")
    for by in ("name", "key"):
        response = (
            ocspkit.ResponseBuilder()
            .add_response(cid, "good", this_update=NOW, next_update=NOW + dt.timedelta(hours=1))
            .add_response(cid, "unknown", this_update=NOW)
            .with_responder_id(by)
            .with_nonce(b"\x01" * 16)
            .with_certificates([pki.responder.cert_der, pki.intermediate.cert_der])
            .sign(pki.responder.key_der, pki.responder.cert_der, now=NOW)
        )
        assert repr(response) == "<OCSPResponse successful, 2 response(s)>"
        assert response_summary(response) == response_summary(ocspkit.load_response(response.dump(), strict=True))
        assert response.certs[1].dump() == pki.intermediate.cert_der
