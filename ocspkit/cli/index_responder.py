"""openssl ocsp's responder mode: answers from index.txt, one request at a time (-index) or served (-port).

-index answers the request with make_ocsp_response's rules, from OpenSSL's CA database; -port
runs ocspkit.responder's HTTP service on the same database (run_server, which the serve command
starts too).
"""

from __future__ import annotations

import datetime as _dt
import sys
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from .._writers import oid_der
from ..certid import CertID
from ..enums import CertStatus, ResponseStatus
from ..errors import OCSPError, StoreError
from ..oid import CRLEntryExtensionOID
from ..request import OCSPRequest
from ..response import OCSPResponse, ResponseBuilder, load_response, unsuccessful_response
from ._common import (
    HASHES,
    PROG,
    UTC,
    fail,
    hash_name,
    load_cert,
    load_certs,
    load_key,
    pass_phrase,
    pss_only,
    signing_digest,
)

if TYPE_CHECKING:
    from ..crypto import PrivateKey
    from .state import OcspOptions as Ocsp

__all__ = ["load_index", "load_responder", "make_response", "presign_responses", "run_server", "serve_index"]



def load_index(path: str) -> Any:
    """load_index: the file, read as ``openssl ocsp -index`` reads it (ocspkit.responder.index)."""
    from ..responder.index import read_index  # lazy: the responder package only for -index

    try:
        return read_index(path)
    except StoreError as exc:
        text = str(exc)
        if text.startswith("Problem with index file: "):
            where, _, detail = text[len("Problem with index file: "):].partition(": ")
            fail(f"Problem with index file: {where}", detail)
        fail(text)


def load_responder(job: Ocsp) -> Optional[Tuple[Any, PrivateKey, List[Any], List[Any]]]:
    """``job``'s -rsigner, -rkey (default: the -rsigner file), -CA, -rother, -passin; None without
    -rsigner."""
    if job.rsigner is None:
        return None
    rsigner = load_cert(job.rsigner, "responder certificate")
    if job.ca is None:
        fail("Responder mode requires certificate, key, and CA.")
    ca_certs = load_certs(job.ca, "CA certificates")
    rother = load_certs(job.rother, "responder other certificates") if job.rother else []
    key = load_key(job.rkey or job.rsigner, "responder private key", pass_phrase(job.passin))
    return rsigner, key, ca_certs, rother


def make_response(
    job: Ocsp, request: OCSPRequest, index: Any, rsigner: Any, key: PrivateKey,
    ca_certs: List[Any], rother: List[Any],
) -> OCSPResponse:
    """apps/ocsp.c make_ocsp_response: answer every CertID of ``request`` from ``index``."""
    cert_ids = request.cert_ids
    if not cert_ids:
        return unsuccessful_response(ResponseStatus.MALFORMED_REQUEST)
    now = _dt.datetime.now(UTC).replace(microsecond=0)  # X509_gmtime_adj: whole seconds
    next_update = None
    if job.ndays != -1:
        next_update = now + _dt.timedelta(days=job.ndays, minutes=job.nmin)
    rcid = None if job.rcid is None else hash_name(job.rcid)
    builder = ResponseBuilder()
    added = 0
    for cert_id in cert_ids:
        if cert_id.hash_algorithm not in HASHES:
            return unsuccessful_response(ResponseStatus.INTERNAL_ERROR)
        ca = next((c for c in ca_certs if cert_id.issued_by(c)), None)
        row = index.lookup(cert_id.serial_number)
        answer_id = cert_id
        if ca is not None and rcid is not None:
            # OpenSSL 3.0 writes serial number 0 here (OCSP_cert_to_id without the subject); the
            # serial asked about is what RFC 6960 4.2.1 requires, so ocspkit writes that.
            answer_id = CertID.from_issuer(ca, cert_id.serial_number, rcid)
        times: Dict[str, Any] = {"this_update": now, "next_update": next_update}
        if ca is None or row is None:
            builder = builder.add_response(answer_id, CertStatus.UNKNOWN, **times)
        elif row.type[:1] == "V":
            builder = builder.add_response(answer_id, CertStatus.GOOD, **times)
        elif row.type[:1] == "R":
            info = row.revocation_info()
            if info.complaint is not None:
                sys.stderr.write(info.complaint + "\n")
            if info.time is None:
                return unsuccessful_response(ResponseStatus.INTERNAL_ERROR)
            extensions = [] if info.hold_instruction is None else [
                (CRLEntryExtensionOID.HOLD_INSTRUCTION_CODE, oid_der(info.hold_instruction), False)]
            builder = builder.add_response(
                answer_id, CertStatus.REVOKED, revocation_time=info.time, revocation_reason=info.reason,
                invalidity_date=info.invalidity_date, extensions=extensions, **times,
            )
        else:
            continue  # 'E' (expired) and other rows: OpenSSL adds no SingleResponse at all
        added += 1
    if not added:
        # OpenSSL signs a response without SingleResponses; RFC 6960 4.2.1 needs at least one.
        return unsuccessful_response(ResponseStatus.INTERNAL_ERROR)
    builder = builder.with_nonce(request)  # OCSP_copy_nonce: the request's nonce as received
    if job.resp_key_id:
        builder = builder.with_responder_id("key")
    builder = builder.with_certificates([] if job.resp_no_certs else [rsigner, *rother])
    digest = signing_digest(job.rmd)
    try:
        response = builder.sign(key, rsigner, hash_algorithm=digest, now=now, pss=pss_only(key))
    except OCSPError as exc:
        fail("Error signing OCSP response", exc)
    if job.badsig:
        response = _corrupt_signature(response)
    return response


def _corrupt_signature(response: OCSPResponse) -> OCSPResponse:
    """-badsig (corrupt_signature): flip the lowest bit of the signature's last octet."""
    der = response.dump()
    signature = response.basic.signature
    at = der.rfind(signature) + len(signature) - 1
    return load_response(der[:at] + bytes([der[at] ^ 1]) + der[at + 1 :])


def serve_index(job: Ocsp) -> int:
    """-port: run the responder service (ocspkit.responder) on ``job``'s -index / -CA / -rsigner
    options, as ``openssl ocsp -port`` does; -nrequest stops it after that many requests."""
    if job.index is None:
        fail("Responder mode requires certificate, key, and CA.")
    responder = load_responder(job)
    if responder is None:
        fail("Responder mode requires certificate, key, and CA.")
    rsigner, key, ca_certs, rother = responder
    # lazy: the responder package only for -port
    from ..responder import Issuer, Responder
    from ..responder.index import IndexTxtStore

    load_index(job.index)  # openssl ocsp -port refuses to start on a bad index
    store = IndexTxtStore(job.index)
    validity = None if job.ndays == -1 else _dt.timedelta(days=job.ndays, minutes=job.nmin)
    digest = signing_digest(job.rmd)
    issuers = [
        Issuer(
            ca, key, store, signer_certificate=rsigner, responder_id="key" if job.resp_key_id else "name",
            certificates=() if job.resp_no_certs else (rsigner, *rother), validity=validity,
            hash_algorithm=digest, pss=pss_only(key),
        )
        for ca in ca_certs
    ]
    try:
        port = int(job.port or "")
    except ValueError:
        fail(f"Invalid port {job.port}")
    # openssl ocsp -port listens on every interface.
    return run_server(Responder(issuers), "0.0.0.0", port, job.nrequest, presign=False)


def run_server(
    responder: Any, host: str, port: int, nrequest: Optional[int], *, presign: bool, **options: Any
) -> int:
    """Start the service (uvicorn) and block until it stops; pre-sign known serials first.
    ``options`` go to :func:`ocspkit.responder.server.run` (``http``, ``request_timeout``)."""
    from ..responder.server import run  # lazy: uvicorn only to serve

    if presign:
        presign_responses(responder)
    run(responder, host=host, port=port, limit_max_requests=nrequest, **options)
    return 0


def presign_responses(responder: Any) -> None:
    """Sign the responses for every serial the stores know, and say how many on stderr."""
    count = responder.presign()
    sys.stderr.write(f"{PROG}: pre-signed {count} responses\n")
    sys.stderr.flush()
