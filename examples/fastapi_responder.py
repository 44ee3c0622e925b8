"""An OCSP responder inside a FastAPI application.

The classic hand-written FastAPI responder parses the request itself and signs "revoked" for every
certificate of one fixed issuer. With ocspkit the application mounts the responder's ASGI app at
/ocsp (beside its own routes) and a status store says what each serial is: here the user's
certificate is revoked (keyCompromise), the issuer's other certificates are good, serials the store
has never seen are unknown, and CertIDs of other issuers get "unauthorized". Requests in GET or
POST, nonces, many CertIDs, cache headers, /ocsp/health and /ocsp/metrics come with it.

Run without arguments for a self-contained demo (a test PKI, the app in-process through httpx's
ASGI transport, requests answered and verified, then exit):

    python examples/fastapi_responder.py

Requires ocspkit, fastapi and httpx (REQUIRES below, checked first); --serve also needs the server
extra (pip install 'ocspkit[server]'). Or serve it on a port and ask openssl:

    python examples/fastapi_responder.py --serve --port 8000 --dir /tmp/ocsp-demo
    openssl ocsp -issuer /tmp/ocsp-demo/ca.cert.pem -cert /tmp/ocsp-demo/user.cert.pem \\
        -VAfile /tmp/ocsp-demo/responder.cert.pem -url http://localhost:8000/ocsp -text
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import sys
import tempfile
import urllib.parse
from pathlib import Path
from typing import Any, Dict, Tuple

from _requirements import check_requirements  # examples/_requirements.py

REQUIRES = ("ocspkit", "fastapi", "httpx")  # pip install ocspkit fastapi httpx
check_requirements(REQUIRES)

from fastapi import FastAPI

import ocspkit
from ocspkit.request import RequestBuilder
from ocspkit.responder import MemoryStore
from ocspkit.responder.asgi import ASGIApp, mount
from ocspkit.responder.core import Issuer, Responder
from ocspkit.testing import CertifiedKey, TestPKI


def build_app(pki: TestPKI) -> Tuple[FastAPI, Dict[str, CertifiedKey]]:
    """The FastAPI application, and the certificates it knows about."""
    user = pki.issue_leaf("user.example")
    other = pki.issue_leaf("other.example")
    store = MemoryStore()
    store.add(other.serial_number)
    store.add(user.serial_number)
    store.revoke(user.serial_number, when=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1),
                 reason=ocspkit.RevocationReason.KEY_COMPROMISE)
    responder = Responder(
        Issuer(
            certificate=pki.intermediate.cert_der,  # the CA whose certificates are answered for
            signer_key=pki.responder.key_der,  # signed by its delegated OCSP responder (RFC 6960 4.2.2.2)
            signer_certificate=pki.responder.cert_der,
            store=store,
        )
    )
    ocsp = ASGIApp(responder, presign=True)  # sign every known serial's answer at startup (RFC 5019 2.1.1)
    app = FastAPI(title="ocspkit in FastAPI", lifespan=ocsp.lifespan_context)  # mounts get no lifespan

    @app.get("/")
    def index() -> Dict[str, Any]:
        return {"service": "ocsp", "url": "/ocsp", "certificates": store_listing(store)}

    mount(app, "/ocsp", ocsp)  # POST /ocsp and GET /ocsp/<base64 request> (RFC 6960 A.1)
    return app, {"user": user, "other": other, "issuer": pki.intermediate, "responder": pki.responder}


def store_listing(store: MemoryStore) -> Dict[str, str]:
    return {f"{record.serial_number:X}": "revoked" if record.revoked else "valid" for record in store}


async def demo() -> None:
    import httpx

    pki = TestPKI("ec")  # EC keys: the demo starts in a blink (RSA-2048 works the same)
    app, certs = build_app(pki)
    user, issuer = certs["user"], certs["issuer"]
    request = RequestBuilder().add_cert(user.cert_der, issuer.cert_der).with_nonce().build()

    # In-process, through httpx's ASGI transport; the lifespan pre-signs the responder's answers.
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://demo")
    async with app.router.lifespan_context(app), client:
        print("GET /:", (await client.get("/")).json())
        reply = await client.post("/ocsp", content=request.dump(), headers={"Content-Type": "application/ocsp-request"})
        print(f"POST /ocsp: HTTP {reply.status_code}, {reply.headers['content-type']}, {len(reply.content)} bytes")
        status = ocspkit.check_status(reply.content, user.cert_der, issuer.cert_der, request=request)
        print(f"  user.example: {status.status.name.lower()}, reason {status.revocation_reason.name.lower()}, "
              f"revoked at {status.revocation_time:%Y-%m-%d %H:%M:%S} UTC; signature, signer and nonce checked")

        # GET carries the request (without a nonce) in the path, and the answer is cacheable (RFC 5019).
        plain = RequestBuilder().add_cert(certs["other"].cert_der, issuer.cert_der).build().dump()
        path = "/ocsp/" + urllib.parse.quote(base64.b64encode(plain).decode("ascii"), safe="")
        reply = await client.get(path)
        status = ocspkit.check_status(reply.content, certs["other"].cert_der, issuer.cert_der)
        print(f"GET /ocsp/...: HTTP {reply.status_code}, other.example: {status.status.name.lower()}, "
              f"Cache-Control: {reply.headers['cache-control']}")
        again = await client.get(path, headers={"If-None-Match": reply.headers["etag"]})
        print(f"  again with If-None-Match: HTTP {again.status_code}")
        print("GET /ocsp/health:", (await client.get("/ocsp/health")).text.strip())
        counted = [line for line in (await client.get("/ocsp/metrics")).text.splitlines()
                   if line.startswith("ocspkit_http_requests_total")]
        print("GET /ocsp/metrics:", "; ".join(counted))
    print("Serve it for openssl: python examples/fastapi_responder.py --serve --port 8000 --dir /tmp/ocsp-demo")


def serve(port: int, directory: Path) -> None:
    check_requirements(("ocspkit[server]",), "--serve")
    from ocspkit.responder.server import run

    pki = TestPKI("ec")
    app, certs = build_app(pki)
    directory.mkdir(parents=True, exist_ok=True)
    for name, cert in (("ca", certs["issuer"]), ("user", certs["user"]), ("other", certs["other"]),
                       ("responder", certs["responder"])):
        (directory / f"{name}.cert.pem").write_bytes(cert.cert_pem)
    print(f"openssl ocsp -issuer {directory}/ca.cert.pem -cert {directory}/user.cert.pem "
          f"-VAfile {directory}/responder.cert.pem -url http://localhost:{port}/ocsp -text", flush=True)
    run(app, "127.0.0.1", port)  # prints "ACCEPT 127.0.0.1:8000 PID=..."; Ctrl-C stops it


def main(argv: Any = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="serve over HTTP instead of the in-process demo")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "ocsp-demo",
                        help="where --serve writes ca.cert.pem, user.cert.pem, responder.cert.pem")
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.port, args.dir)
    else:
        asyncio.run(demo())
    return 0


if __name__ == "__main__":
    sys.exit(main())
