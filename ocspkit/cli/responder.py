"""The responder subcommands: sign (one response from index.txt, offline) and serve (the HTTP service)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Any, Iterator, List, Optional, Sequence, Tuple

from ._common import fail, load_cert, load_certs, load_key, pass_phrase, pss_only, signing_digest
from .options import add_output, add_signing_options, new_job

__all__ = ["add_serve", "add_sign", "cmd_serve", "cmd_sign"]


def add_sign(sub: Any) -> None:
    """The ``sign`` command's parser."""
    p = sub.add_parser("sign", help="sign a response offline from a request and an index file", description=(
        "Answer a request from an OpenSSL CA database (index.txt) and sign the response, as "
        "'openssl ocsp -index -CA -rsigner -rkey -reqin -respout' does."))
    p.add_argument("--index", required=True, metavar="FILE", help="certificate status index (index.txt)")
    p.add_argument("--CA", "--ca", dest="ca", required=True, metavar="FILE", help="CA certificate(s) answered for")
    p.add_argument("--rsigner", required=True, metavar="FILE", help="responder certificate")
    p.add_argument("--rkey", metavar="FILE", help="responder key (default: the --rsigner file)")
    add_signing_options(p)
    p.add_argument("--reqin", required=True, metavar="FILE", help="the request (DER or PEM)")
    p.add_argument("-o", "--out", metavar="FILE", help="where to write the response (default: stdout)")
    p.add_argument("--ndays", type=int, metavar="N", help="nextUpdate N days ahead (default: no nextUpdate)")
    p.add_argument("--nmin", type=int, metavar="N", help="nextUpdate N more minutes ahead")
    p.add_argument("--rcid", metavar="ALG", help="CertID hash algorithm of the answers (default: as asked)")
    add_output(p)
    p.set_defaults(func=cmd_sign)


def cmd_sign(ns: argparse.Namespace) -> int:
    """``ocspkit sign``: answer a request from index.txt, as ``openssl ocsp -index ... -reqin`` does."""
    job = new_job()
    job.index, job.ca, job.rsigner, job.rkey, job.passin, job.rother = (
        ns.index, ns.ca, ns.rsigner, ns.rkey, ns.passin, ns.rother,
    )
    job.reqin = ns.reqin
    job.add_nonce = 0
    job.respout = ns.out or "-"
    job.pem_out = ns.pem
    job.resp_text = ns.text
    if ns.text and job.respout == "-" and not ns.pem:
        fail("--text with DER on stdout would mix them: give --out FILE or --pem")
    if ns.ndays is not None:
        job.ndays = ns.ndays
    if ns.nmin is not None:
        job.set_nmin(str(ns.nmin))
    if ns.rmd is not None:
        job.set_digest_name("rmd", ns.rmd)
    if ns.rcid is not None:
        job.set_digest_name("rcid", ns.rcid)
    job.resp_no_certs, job.resp_key_id = ns.resp_no_certs, ns.resp_key_id
    return job.run()


def add_serve(sub: Any) -> None:
    """The ``serve`` command's parser."""
    p = sub.add_parser("serve", help="run the OCSP responder service (HTTP, RFC 6960 / RFC 5019)", description=(
        "Serve OCSP over HTTP with uvicorn (pip install 'ocspkit[server]'): GET and POST, RFC 5019 cache "
        "headers, /health and /metrics. Several issuers with their own signers and stores come from --config "
        "(TOML or JSON: 'ocspkit serve --help-config' lists its keys); one issuer from the options below. "
        "openssl's 'ocspkit -index ... -CA ... -rsigner ... -port N' starts the same service. It prints "
        "'ACCEPT host:port' once it listens; SIGINT or SIGTERM stop it. A refusal at start is one 'ocspkit:' "
        "line and exit status 1."))
    p.add_argument("--config", metavar="FILE", help="responder configuration (TOML or JSON; see --help-config)")
    p.add_argument("--help-config", action=_HelpConfig, help="describe the configuration file's keys and exit")
    p.add_argument("--ca", metavar="FILE", help="the CA certificate(s) answered for")
    p.add_argument("--index", metavar="FILE", help="status store: OpenSSL's CA database (index.txt)")
    p.add_argument("--db", metavar="FILE", help="status store: an ocspkit SQLite database (see 'ocspkit store')")
    p.add_argument("--issuer-label", default="default", metavar="LABEL", help="the issuer's label in --db")
    p.add_argument("--rsigner", metavar="FILE", help="delegated responder certificate (default: the CA signs)")
    p.add_argument("--rkey", metavar="FILE", help="signing key (default: the --rsigner file)")
    add_signing_options(p)
    p.add_argument("--validity", default="1d", metavar="DURATION",
                   help="nextUpdate - thisUpdate, e.g. 12h, 7d, or 'none' (default 1d)")
    p.add_argument("--unknown", choices=("unknown", "revoked"), default="unknown",
                   help="what serials the store does not know get (revoked: RFC 6960 extended revoke)")
    p.add_argument("--host", metavar="ADDR", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, metavar="N", help="port to listen on (default 8080; 0 picks a free one)")
    p.add_argument("--nrequest", type=int, metavar="N", help="stop after N requests")
    p.add_argument("--no-presign", action="store_true", help="do not sign known serials at start")
    p.add_argument("--http", choices=("ocspkit", "asgi"), default="ocspkit",
                   help="HTTP layer under uvicorn: ocspkit's own protocol (default, fastest) or the ASGI app "
                   "through uvicorn's protocol")
    p.add_argument("--request-timeout", type=float, default=10.0, metavar="SECONDS",
                   help="close a connection that has not sent a whole request in this time (default 10)")
    p.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    p.add_argument("--log-format", default="text", choices=("text", "json"))
    p.set_defaults(func=cmd_serve)


class _HelpConfig(argparse.Action):
    """``serve --help-config``: the configuration file's keys (ocspkit.responder.config.REFERENCE)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: Optional[str] = None) -> None:
        super().__init__(option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
        option_string: Optional[str] = None,
    ) -> None:
        from ..responder.config import REFERENCE  # lazy: the responder package only for serve

        sys.stdout.write(REFERENCE)
        parser.exit()


def cmd_serve(ns: argparse.Namespace) -> int:
    """``ocspkit serve``: run the responder service until SIGINT or SIGTERM."""
    # lazy: the responder package, and the service, only for serve
    from ..responder.logs import configure_logging
    from .index_responder import presign_responses, run_server

    with _held_logs(ns.log_level) as held:
        responder, settings = _serve_setup(ns)
        if not ns.request_timeout > 0:
            fail("serve: --request-timeout must be positive")
        if settings.presign and not ns.no_presign:
            presign_responses(responder)
    # Logging starts once the service is ready to run, so a refusal stays one line on stderr.
    handler = configure_logging(ns.log_level, ns.log_format)
    for record in held:
        handler.handle(record)
    host = ns.host if ns.host is not None else settings.host
    port = ns.port if ns.port is not None else settings.port
    nrequest = ns.nrequest if ns.nrequest is not None else settings.limit_max_requests
    return run_server(responder, host, port, nrequest, presign=False, http=ns.http,
                      request_timeout=ns.request_timeout)


@contextlib.contextmanager
def _held_logs(level: str) -> Iterator[List[Any]]:
    """Hold the ``ocspkit`` log records of the service's start (configuration, stores, pre-signing)
    at ``level``. If the start fails, its one ``ocspkit:`` line says why (a store that cannot be
    read logs the same words) and they are dropped; if it works, the caller sets logging up and
    replays them. Without this, Python's last-resort handler would print them bare."""
    import logging  # lazy: only the service logs

    records: List[logging.LogRecord] = []

    class Hold(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("ocspkit")
    hold, before = Hold(), logger.level
    numeric = logging.getLevelName(level.upper())
    logger.setLevel(numeric if isinstance(numeric, int) else logging.INFO)
    logger.addHandler(hold)
    try:
        yield records
    except BaseException:
        logger.setLevel(before)
        raise
    finally:
        logger.removeHandler(hold)


def _serve_setup(ns: argparse.Namespace) -> Tuple[Any, Any]:
    """``serve``'s responder and settings, from --config or from the one-issuer options."""
    # lazy: the responder package only for serve
    from ..responder import Issuer, Responder, load_config, make_store
    from ..responder.config import ServerSettings, parse_duration

    if ns.config is not None:
        if ns.index or ns.db or ns.ca or ns.rsigner or ns.rkey:
            fail("serve: give either --config or the --ca/--rkey/--index/--db options, not both")
        responder, settings = load_config(ns.config)
    else:
        if ns.ca is None or (ns.index is None) == (ns.db is None):
            fail("serve: give --config FILE, or --ca with --index or --db (see ocspkit serve --help)")
        signer = load_cert(ns.rsigner, "responder certificate") if ns.rsigner else None
        if ns.rkey is None and ns.rsigner is None:
            fail("serve: --rkey is needed (the CA's key, or with --rsigner the responder's)")
        key = load_key(ns.rkey or ns.rsigner, "responder private key", pass_phrase(ns.passin))
        rother = load_certs(ns.rother, "responder other certificates") if ns.rother else []
        store = make_store({"type": "index", "path": ns.index} if ns.index else
                           {"type": "sqlite", "path": ns.db, "issuer": ns.issuer_label})
        validity = parse_duration(ns.validity, "--validity")
        digest = signing_digest(ns.rmd, "--rmd")
        issuers = [
            Issuer(ca, key, store, signer_certificate=signer, responder_id="key" if ns.resp_key_id else "name",
                   certificates=() if ns.resp_no_certs else ((signer or ca, *rother) if rother else None),
                   validity=validity, hash_algorithm=digest, unknown_status=ns.unknown, pss=pss_only(key))
            for ca in load_certs(ns.ca, "CA certificates")
        ]
        responder, settings = Responder(issuers), ServerSettings()
    return responder, settings
