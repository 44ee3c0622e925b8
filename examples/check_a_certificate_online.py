"""Ask a certificate's OCSP responder whether it is revoked, and believe the answer only once verified.

`ocspkit.http.check_certificate` does the whole client's job: the responder URL from the
certificate's AuthorityInfoAccess, a request with a nonce, GET when the URL fits in 255 bytes and
POST otherwise (RFC 5019 5 / RFC 9919 6), a bounded exchange, then `check_status` on the answer
(signature, responder authorization, CertID, validity window, nonce).

Run:
    python examples/check_a_certificate_online.py CERT.pem ISSUER.pem [--url URL] [--CAfile ROOTS.pem]
    python examples/check_a_certificate_online.py
The second form is a self-contained demo: a test PKI whose certificates name a small responder
this script runs on 127.0.0.1 (built from ResponseBuilder), asked about three certificates.
Exit status: 0 good, 1 revoked or unknown, 2 no trustworthy answer.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import http.server
import sys
import threading
import urllib.parse
from typing import Any, Dict, Iterator, List, Optional

from _requirements import check_requirements  # examples/_requirements.py

REQUIRES = ("ocspkit",)  # pip install ocspkit
check_requirements(REQUIRES)

import ocspkit
from ocspkit.http import check_certificate, fetch_reply, ocsp_urls
from ocspkit.testing import TestPKI


def describe(name: str, status: ocspkit.CertificateStatus) -> str:
    line = f"{name}: {status.status.name.lower()} (thisUpdate {status.this_update:%Y-%m-%d %H:%M:%SZ}"
    if status.next_update is not None:
        line += f", nextUpdate {status.next_update:%Y-%m-%d %H:%M:%SZ}"
    line += f"; signed by {status.verdict.authorization.value}"
    if status.nonce is not None:
        line += f", nonce {status.nonce.name}"
    line += ")"
    if status.revoked:
        reason = status.revocation_reason.name if status.revocation_reason is not None else "unspecified"
        line += f"\n  revoked at {status.revocation_time:%Y-%m-%d %H:%M:%SZ}, reason {reason}"
    return line


# ------------------------------------------------------------------------------------------------
# The demo: a responder for a test PKI, on 127.0.0.1


@contextlib.contextmanager
def demo_responder(pki_holder: Dict[str, object], statuses: Dict[int, str]) -> Iterator[str]:
    """An OCSP responder on 127.0.0.1 answering GET and POST (RFC 6960 A.1) for ``statuses``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            encoded = self.path.rsplit("/", 1)[1]
            self.answer(base64.b64decode(urllib.parse.unquote(encoded)))

        def do_POST(self) -> None:
            self.answer(self.rfile.read(int(self.headers.get("Content-Length", "0"))))

        def answer(self, der: bytes) -> None:
            pki = pki_holder["pki"]
            assert isinstance(pki, TestPKI)
            try:
                request = ocspkit.load_request(der)
            except ocspkit.ParseError:
                body = ocspkit.unsuccessful_response(ocspkit.ResponseStatus.MALFORMED_REQUEST).dump()
            else:
                now = dt.datetime.now(dt.timezone.utc)
                builder = ocspkit.ResponseBuilder().with_nonce(request)
                for cert_id in request.cert_ids:
                    status = statuses.get(cert_id.serial_number, "unknown")
                    extra: Dict[str, Any] = {}
                    if status == "revoked":
                        extra = {"revocation_time": now - dt.timedelta(days=3),
                                 "revocation_reason": ocspkit.RevocationReason.KEY_COMPROMISE}
                    builder = builder.add_response(cert_id, status, next_update=now + dt.timedelta(hours=12), **extra)
                body = builder.sign(pki.responder.private_key, pki.responder.certificate).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/ocsp-response")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/ocsp"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def demo() -> int:
    holder: Dict[str, object] = {}
    statuses: Dict[int, str] = {}
    with demo_responder(holder, statuses) as url:
        pki = TestPKI("ec", ocsp_url=url)  # every leaf's AIA names the responder above
        holder["pki"] = pki
        issuer = pki.intermediate.certificate
        leaves = {name: pki.issue_leaf(f"{name}.example") for name in ("good", "revoked", "unknown")}
        statuses[leaves["good"].serial_number] = "good"
        statuses[leaves["revoked"].serial_number] = "revoked"
        print(f"responder named in each certificate's AuthorityInfoAccess: {ocsp_urls(leaves['good'].certificate)}")
        for name, leaf in leaves.items():
            # proxy="": the demo responder is on 127.0.0.1, whatever http_proxy says.
            status = check_certificate(leaf.certificate, issuer, trusted=[pki.root.certificate], proxy="")
            print(describe(f"{name}.example", status))
        # The pieces underneath: how the request travelled.
        request = ocspkit.RequestBuilder().add_cert(leaves["good"].certificate, issuer).build()
        for method in ("auto", "POST"):
            reply = fetch_reply(request, url, method=method, proxy="")
            print(f"method={method}: sent by {reply.method}, {reply.status} {reply.reason}, "
                  f"{reply.content_type}, {len(reply.body)} bytes")
    return 0


# ------------------------------------------------------------------------------------------------
# The client


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("cert", nargs="?", help="the certificate to check (PEM or DER)")
    parser.add_argument("issuer", nargs="?", help="its issuer's certificate (PEM or DER)")
    parser.add_argument("--url", help="the responder (default: from the certificate's AuthorityInfoAccess)")
    parser.add_argument("--CAfile", dest="cafile", help="trusted roots (default: the issuer is the trust anchor)")
    parser.add_argument("--method", choices=("auto", "GET", "POST"), default="auto")
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--no-nonce", action="store_true", help="send no nonce (lets HTTP caches answer)")
    args = parser.parse_args(argv)
    if args.cert is None:
        return demo()
    if args.issuer is None:
        parser.error("give both CERT and ISSUER, or nothing for the demo")
    trusted = ocspkit.load_trusted_certificates(args.cafile) if args.cafile else None
    try:
        status = check_certificate(args.cert, args.issuer, url=args.url, trusted=trusted, method=args.method,
                                   timeout=args.timeout, nonce=not args.no_nonce)
    except ocspkit.OCSPError as exc:
        print(f"{args.cert}: no trustworthy answer: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    print(describe(args.cert, status))
    return 0 if status.good else 1


if __name__ == "__main__":
    sys.exit(main())
