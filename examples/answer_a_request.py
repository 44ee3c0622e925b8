"""A responder's side, offline: read a request, answer every CertID, echo the nonce.

A client asks about two certificates (one with a SHA-256 CertID); the responder answers each
CertID in the request's own hash algorithm, with single extensions, signs with its delegated
responder key by key hash, and the client finds its answers (hash-agile) and checks the nonce.
Run: python examples/answer_a_request.py
"""

from __future__ import annotations

import datetime as dt

from _requirements import check_requirements  # examples/_requirements.py

REQUIRES = ("ocspkit",)  # pip install ocspkit
check_requirements(REQUIRES)

import ocspkit
from ocspkit.extensions import archive_cutoff, crl_id
from ocspkit.testing import TestPKI


def main() -> None:
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    pki = TestPKI()
    issuer = pki.intermediate.cert_der
    good, revoked = pki.issue_leaf("good.example"), pki.issue_leaf("revoked.example")

    # The client's request, as bytes on the wire.
    wire = (
        ocspkit.RequestBuilder()
        .add_cert(good.cert_der, issuer)
        .add_cert(revoked.cert_der, issuer, "sha256")
        .with_nonce()
        .build()
        .dump()
    )

    # The responder: every CertID gets a SingleResponse (RFC 6960 4.2.2).
    request = ocspkit.load_request(wire)
    revoked_serials = {revoked.serial_number: (now - dt.timedelta(days=3), ocspkit.RevocationReason.KEY_COMPROMISE)}
    builder = ocspkit.ResponseBuilder().with_nonce(request).with_responder_id("key")
    for cert_id in request.cert_ids:
        common = {"this_update": now, "next_update": now + dt.timedelta(hours=12)}
        if cert_id.serial_number in revoked_serials:
            when, reason = revoked_serials[cert_id.serial_number]
            builder = builder.add_response(
                cert_id, "revoked", revocation_time=when, revocation_reason=reason, invalidity_date=when,
                extensions=[crl_id(url="http://crl.example/int.crl", number=42)], **common,
            )
        else:
            builder = builder.add_response(cert_id, "good", extensions=[archive_cutoff(now - dt.timedelta(days=365))],
                                           **common)
    answer_wire = builder.sign(pki.responder.key_der, pki.responder.cert_der).dump()

    # The client reads the answer.
    answer = ocspkit.load_response(answer_wire)
    print(f"response: {answer.response_status.asn1_name}, responder key hash {answer.responder_id.key_hash.hex()}")
    print(f"nonce check: {ocspkit.check_nonce(request, answer).name}")
    for cert in (good, revoked):
        # A SHA-1 CertID of our own finds the SHA-256 answer too, given the issuer (hash-agile).
        mine = ocspkit.CertID.from_cert(cert.cert_der, issuer)
        single = answer.find(mine, issuer)
        assert single is not None
        status = single.cert_status.name.lower()
        line = f"serial {mine.serial_number:X}: {status} (CertID {single.cert_id.hash_algorithm})"
        if single.revocation_reason is not None:
            line += f", {single.revocation_reason.asn1_name} at {single.revocation_time:%Y-%m-%d %H:%M}Z"
        print(line)
        for extension in single.extensions:
            print(f"    {extension.name}")


if __name__ == "__main__":
    main()
