"""A client's side: verify a response before believing it, and see why a bad one is refused.

A delegated responder answers for two certificates. The client asks `check_status` for each
(signature, authorization, CertID, validity and nonce in one call), then shows the verdict of
`verify_response` against a root, and three responses that fail: a forged one (signed with a
key the CA never certified), a responder certificate without id-kp-OCSPSigning, and a response
read a day after its nextUpdate.
Run: python examples/verify_a_response.py
"""

from __future__ import annotations

import datetime as dt

from _requirements import check_requirements  # examples/_requirements.py

REQUIRES = ("ocspkit",)  # pip install ocspkit
check_requirements(REQUIRES)

import ocspkit
from ocspkit.testing import TestPKI, make_certificate


def main() -> None:
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    pki = TestPKI(now=now)
    issuer = pki.intermediate.certificate
    good, revoked = pki.issue_leaf("good.example"), pki.issue_leaf("revoked.example")

    request = ocspkit.RequestBuilder().add_cert(good.certificate, issuer).add_cert(revoked.certificate, issuer)
    request = request.with_nonce().build()

    def answer(signer_key: object, signer_cert: object, age: dt.timedelta = dt.timedelta(0)) -> bytes:
        builder = ocspkit.ResponseBuilder().with_nonce(request)
        this_update = now - age
        for cert_id in request.cert_ids:
            status = "revoked" if cert_id.serial_number == revoked.serial_number else "good"
            extra = {"revocation_time": now - dt.timedelta(days=2)} if status == "revoked" else {}
            builder = builder.add_response(
                cert_id, status, this_update=this_update, next_update=this_update + dt.timedelta(hours=12), **extra
            )
        return builder.sign(signer_key, signer_cert).dump()

    wire = answer(pki.responder.private_key, pki.responder.certificate)

    # The one call: the status only if every check holds. The issuer is the trust anchor.
    for cert in (good, revoked):
        status = ocspkit.check_status(wire, cert.certificate, issuer, request=request, now=now)
        print(f"{cert.certificate.subject.native['common_name']}: {status.status.name}"
              f" (authorized as {status.verdict.authorization.value}, nonce {status.nonce.name})")

    # OCSP_basic_verify against a root, with the whole verdict.
    verdict = ocspkit.verify_response(wire, trusted=[pki.root.certificate], untrusted=[issuer], now=now)
    print(verdict)

    # Three responses that must not be believed.
    stranger = ocspkit.crypto.generate_private_key("rsa")
    forged_cert = make_certificate(
        subject=pki.responder.certificate.subject, public_key=stranger, issuer_key=stranger,
        serial_number=7, not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=1),
        extended_key_usage=("ocsp_signing",),
    )
    no_eku = make_certificate(
        subject={"common_name": "not a responder"}, public_key=stranger, issuer_key=pki.intermediate.private_key,
        issuer=issuer, serial_number=8, not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=1),
    )
    cases = {
        "forged": answer(stranger, forged_cert),
        "no OCSPSigning": answer(stranger, no_eku),
        "expired": answer(pki.responder.private_key, pki.responder.certificate, age=dt.timedelta(hours=36)),
    }
    for label, bad in cases.items():
        try:
            ocspkit.check_status(bad, good.certificate, issuer, request=request, now=now)
        except ocspkit.VerificationError as exc:
            print(f"{label}: refused, {type(exc).__name__}: {exc}")
        else:
            raise SystemExit(f"{label}: accepted, which is a bug")


if __name__ == "__main__":
    main()
