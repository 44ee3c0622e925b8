"""The client subcommands: request (build a request), send or check (ask a responder), verify (a response)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Dict, List

from .._defaults import DEFAULT_TIMEOUT
from ..errors import OCSPError
from ._common import fail, parse_seconds
from .options import (
    add_names,
    add_output,
    add_request_options,
    add_trust_options,
    apply_names,
    apply_request_options,
    apply_trust_options,
    new_job,
)

if TYPE_CHECKING:
    from .engine import Ocsp

__all__ = ["add_request", "add_send", "add_verify", "cmd_request", "cmd_send", "cmd_verify"]


def add_request(sub: Any) -> None:
    """The ``request`` command's parser."""
    p = sub.add_parser("request", help="build an OCSP request", description=(
        "Build an OCSP request for certificates or serial numbers (openssl ocsp -issuer -cert -reqout). "
        "DER (or --pem) to --out, or to stdout."))
    add_names(p)
    add_request_options(p)
    p.add_argument("-o", "--out", metavar="FILE", help="where to write the request (default: stdout)")
    add_output(p)
    p.set_defaults(func=cmd_request)


def cmd_request(ns: argparse.Namespace) -> int:
    """``ocspkit request``: build a request, as ``openssl ocsp -issuer ... -cert ... -reqout`` does."""
    job = new_job()
    apply_names(job, ns)
    if not job.ids:
        fail("nothing to ask: give --issuer and at least one --cert or --serial")
    apply_request_options(job, ns)
    job.reqout = ns.out or "-"
    job.pem_out = ns.pem
    job.req_text = ns.text
    if ns.text and job.reqout == "-":
        job.outfile = None
        if not ns.pem:
            fail("--text with DER on stdout would mix them: give --out FILE or --pem")
    return job.run()


def add_send(sub: Any, name: str) -> None:
    """The ``send`` command's parser, under ``name`` (``send``, or its alias ``check``)."""
    p = sub.add_parser(name, help="send a request to a responder and verify the answer", description=(
        "Build (or read) a request, send it to URL, verify the response and print each certificate's "
        "status, as 'openssl ocsp -url URL -issuer ... -cert ...' does (same output and exit status). "
        "Without URL, the responder named in the certificates' AuthorityInfoAccess extension."))
    p.add_argument("url", metavar="URL", nargs="?",
                   help="the responder, http://host[:port]/path or https://... (default: the OCSP URL in "
                   "each --cert's AuthorityInfoAccess; they must all name the same one)")
    add_names(p)
    add_request_options(p)
    p.add_argument("--reqin", metavar="FILE", help="send this request (DER or PEM) instead of building one")
    p.add_argument("--header", action="append", default=[], metavar="NAME=VALUE", help="add an HTTP header")
    p.add_argument("--timeout", metavar="SECONDS",
                   help=f"bound on the whole exchange in seconds, fractions allowed (default: {DEFAULT_TIMEOUT:g})")
    p.add_argument("--method", choices=("POST", "GET", "auto"), default="POST",
                   help="POST (default, as openssl ocsp), GET (RFC 6960 A.1, a base64 URL), or auto: GET "
                   "when the URL stays within 255 bytes (RFC 5019 5), else POST, and POST if the GET fails")
    p.add_argument("--reqout", metavar="FILE", help="also save the request")
    p.add_argument("--respout", metavar="FILE", help="also save the response")
    p.add_argument("--noverify", action="store_true", help="print statuses without verifying the response")
    add_trust_options(p)
    add_output(p)
    p.set_defaults(func=cmd_send)


def _aia_url(job: Ocsp) -> str:
    """The responder every --cert names in its AuthorityInfoAccess (RFC 5280 4.2.2.1), as
    ocspkit.check_certificate finds it: the first OCSP URL of each. Certificates that name
    different responders, or none, are refused rather than guessed at."""
    from ..http import ocsp_urls  # lazy: sockets, TLS and urllib.request only for send

    if not job.certs:
        fail("send: give the responder's URL (with --serial or --reqin there is no certificate to read it from)")
    urls: Dict[str, List[str]] = {}
    for path, cert in job.certs:
        try:
            found = ocsp_urls(cert)
        except OCSPError as exc:
            fail(f"send: cannot read the OCSP URL of {path}", exc)
        if not found:
            fail(f"send: {path} names no OCSP responder (no id-ad-ocsp in its AuthorityInfoAccess): give the URL")
        urls.setdefault(found[0], []).append(path)
    if len(urls) > 1:
        named = "; ".join(f"{url} ({', '.join(paths)})" for url, paths in urls.items())
        fail(f"send: the certificates name different responders: {named}; send them separately or give the URL")
    return next(iter(urls))


def cmd_send(ns: argparse.Namespace) -> int:
    """``ocspkit send`` (``check``): send a request and verify the answer, as ``openssl ocsp -url`` does."""
    job = new_job()
    apply_names(job, ns)
    job.set_url(ns.url if ns.url is not None else _aia_url(job))
    apply_request_options(job, ns)
    apply_trust_options(job, ns)
    if ns.reqin is not None:
        if job.ids:
            fail("give either --reqin or --cert/--serial, not both")
        job.reqin = ns.reqin
        job.add_nonce = 0  # a request read from a file is sent as it is
    elif not job.ids:
        fail("nothing to ask: give --issuer and --cert/--serial, or --reqin")
    for header in ns.header:
        job.add_header(header)
    job.timeout = parse_seconds(ns.timeout, "--timeout") if ns.timeout is not None else DEFAULT_TIMEOUT
    job.method = ns.method
    job.reqout, job.respout, job.pem_out = ns.reqout, ns.respout, ns.pem
    job.req_text = job.resp_text = ns.text
    job.noverify = ns.noverify
    return job.run()


def add_verify(sub: Any) -> None:
    """The ``verify`` command's parser."""
    p = sub.add_parser("verify", help="verify a response and print statuses", description=(
        "Verify a response as 'openssl ocsp -respin FILE' does: 'Response verify OK' or 'Response Verify "
        "Failure' on stderr, each --cert / --serial status on stdout, openssl's exit status. With --reqin, "
        "the nonce is checked too."))
    p.add_argument("response", metavar="RESPONSE", help="the response file (DER or PEM)")
    add_names(p)
    p.add_argument("--reqin", metavar="FILE", help="the request it answers (its nonce is checked)")
    p.add_argument("--text", action="store_true", help="also print the response as text")
    add_trust_options(p)
    p.set_defaults(func=cmd_verify)


def cmd_verify(ns: argparse.Namespace) -> int:
    """``ocspkit verify``: verify a response and print statuses, as ``openssl ocsp -respin`` does."""
    job = new_job()
    job.respin = ns.response
    job.ids_are_request = False
    apply_names(job, ns)
    apply_trust_options(job, ns)
    job.reqin = ns.reqin
    job.add_nonce = 0
    job.resp_text = ns.text
    return job.run()
