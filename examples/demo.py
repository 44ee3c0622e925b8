"""ocspkit in one screen: a test PKI, an OCSP request for two certificates, a signed answer, verified.

Everything happens in-process: no network, no openssl. Run: python examples/demo.py
"""

from __future__ import annotations

import datetime as dt

from _requirements import check_requirements  # examples/_requirements.py

REQUIRES = ("ocspkit",)  # pip install ocspkit
check_requirements(REQUIRES)

import ocspkit
from ocspkit.request import RequestBuilder
from ocspkit.response import ResponseBuilder
from ocspkit.testing import TestPKI


def show_request(request: ocspkit.OCSPRequest) -> None:
    print(f"OCSP request: {len(request.dump())} bytes, signed: {request.is_signed}")
    for cert_id in request.cert_ids:
        print(f"  CertID {cert_id.hash_algorithm} serial {cert_id.serial_number:X}")
        print(f"    issuerNameHash {cert_id.issuer_name_hash.hex().upper()}")
        print(f"    issuerKeyHash  {cert_id.issuer_key_hash.hex().upper()}")
    print(f"  nonce {request.nonce.hex().upper() if request.nonce else '-'}")


def show_response(response: ocspkit.OCSPResponse) -> None:
    print(f"OCSP response: {len(response.dump())} bytes, status {response.response_status.asn1_name}")
    rid = response.responder_id
    print(f"  responder {rid.name.human_friendly if rid.name else rid.key_hash.hex().upper()}")
    print(f"  producedAt {response.produced_at:%Y-%m-%d %H:%M:%S} UTC, nonce "
          f"{response.nonce.hex().upper() if response.nonce else '-'}")
    for single in response.responses:
        line = f"  serial {single.cert_id.serial_number:X}: {single.cert_status.name.lower()}"
        if single.revocation_time:
            reason = single.revocation_reason.asn1_name if single.revocation_reason else "no reason"
            line += f" at {single.revocation_time:%Y-%m-%d %H:%M:%S} ({reason})"
        print(line)
        print(f"    thisUpdate {single.this_update:%Y-%m-%d %H:%M:%S}, nextUpdate "
              f"{single.next_update:%Y-%m-%d %H:%M:%S}" if single.next_update else "")
    print(f"  signed with {response.basic.signature_algorithm.signature_algo}/"
          f"{response.basic.signature_algorithm.hash_algo}, {len(response.certs)} certificate(s) included")


def main() -> None:
    now = dt.datetime.now(dt.timezone.utc)
    pki = TestPKI()  # root -> intermediate -> leaves, plus a delegated OCSP responder
    alice = pki.issue_leaf("alice.example")
    mallory = pki.issue_leaf("mallory.example")

    # The client: one request for two certificates, with a 32-byte nonce (RFC 8954).
    issuer = pki.intermediate.certificate
    request = (
        RequestBuilder()
        .add_cert(alice.certificate, issuer)
        .add_cert(mallory.certificate, issuer)
        .with_nonce()
        .build()
    )
    show_request(request)
    print()

    # The responder: reads the request bytes, answers each CertID, echoes the nonce, signs.
    received = ocspkit.load_request(request.dump())
    builder = ResponseBuilder().with_nonce(received)
    for cert_id in received.cert_ids:
        if cert_id.serial_number == mallory.serial_number:
            builder = builder.add_response(
                cert_id, "revoked", revocation_time=now - dt.timedelta(hours=2),
                revocation_reason=ocspkit.RevocationReason.KEY_COMPROMISE,
                next_update=now + dt.timedelta(days=1),
            )
        else:
            builder = builder.add_response(cert_id, "good", next_update=now + dt.timedelta(days=1))
    response = builder.sign(pki.responder.private_key, pki.responder.certificate, now=now)

    # The client again: parse what came back and find each certificate's answer.
    answer = ocspkit.load_response(response.dump())
    show_response(answer)
    print()
    # check_status believes the answer only if the signature, the responder's authorization
    # (RFC 6960 4.2.2.2), the CertID, the validity window and the nonce all hold.
    for name, leaf in (("alice", alice), ("mallory", mallory)):
        status = ocspkit.check_status(answer, leaf.certificate, issuer, request=request, now=now)
        print(f"{name}: {status.status.name.lower()} (verified, responder {status.verdict.authorization.value})")
    print()
    print(ocspkit.verify_response(answer, trusted=[pki.root.certificate], untrusted=[issuer], now=now))
    print()
    print(answer.pem().decode("ascii"), end="")


if __name__ == "__main__":
    main()
