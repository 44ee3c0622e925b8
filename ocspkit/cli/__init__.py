"""The ``ocspkit`` command line: subcommands, and ``openssl ocsp``'s own options.

``main(argv)`` runs one command and returns its exit status. Two ways in:

* ``ocspkit -issuer ca.pem -cert leaf.pem -url http://ocsp.example/`` (any first argument that
  starts with ``-``), or ``ocspkit ocsp ...``: the options of ``openssl ocsp`` (OpenSSL 3.0),
  with openssl's meaning, output, files and exit status. The engine below follows
  ``apps/ocsp.c``'s ``ocsp_main`` step by step, so an existing command line works with
  ``openssl ocsp`` replaced by ``ocspkit``.
* ``ocspkit request|send|check|show|verify|sign|serve ...``: argparse subcommands with
  ``--help``, which set up the same engine (``show`` prints a message as text, JSON or lint
  findings).

Errors are one line on stderr, ``ocspkit: <message>``, and a non-zero exit status (openssl's,
in the openssl-compatible mode). See ``docs/cli.md``.
"""

from __future__ import annotations

# A command imports what it needs when it needs it: scripts run ocspkit in loops, and printing a
# response or building a request must not pay for HTTP (sockets, TLS, urllib), verification
# (oscrypto), lint or the responder. tests/test_lazy_import.py checks what stays out.
import argparse
import contextlib
import dataclasses
import importlib
import re
import sys
from typing import (
    Any,
    Callable,
    Dict,
    Iterator,
    List,
    NoReturn,
    Optional,
    Sequence,
    Tuple,
)

from .._defaults import DEFAULT_TIMEOUT
from ..errors import OCSPError
from ..request import load_request
from ..response import load_response
from ._common import (
    HASHES,
    PROG,
    REQUEST_PEM,
    RESPONSE_PEM,
    CLIError,
    ParserExit,
    cli_words,
    fail,
    hash_name,
    load_cert,
    load_certs,
    load_key,
    one_line,
    parse_seconds,
    pass_phrase,
    pss_only,
    read_file,
    signing_digest,
    text_module,
    write_text,
)
from .engine import DEFAULT_VALIDITY_PERIOD, Ocsp
from .index_responder import presign_responses, run_server

__all__ = ["main"]


# Digests OpenSSL knows that ocspkit does not compute CertIDs with: named so the error says so.
_OTHER_DIGESTS = {
    "md4", "md5", "md5-sha1", "mdc2", "ripemd", "ripemd160", "rmd160", "sm3", "whirlpool", "blake2b512",
    "blake2s256", "sha3-224", "sha3-256", "sha3-384", "sha3-512", "sha512-224", "sha512-256",
    "shake128", "shake256",
}
# The openssl-compatible option parser (apps/lib/opt.c semantics)


@dataclasses.dataclass(frozen=True)
class _Opt:
    kind: str  # "-" flag, "s" string, "<" input file, ">" output file, "p" positive int,
    #            "n" non-negative int, "u" unsigned long, "M" intmax
    help: str
    apply: Callable[[Ocsp, str], None]


def _flag(name: str, value: Any = True) -> Callable[[Ocsp, str], None]:
    return lambda job, _arg: setattr(job, name, value)


def _field(name: str, convert: Callable[[str], Any] = str) -> Callable[[Ocsp, str], None]:
    return lambda job, arg: setattr(job, name, convert(arg))


def _add_flag(flag: str) -> Callable[[Ocsp, str], None]:
    """Set the VerifyFlags member named ``flag``."""

    def apply(job: Ocsp, _arg: str) -> None:
        job.flags |= {flag}

    return apply


def _set_text(job: Ocsp, _arg: str) -> None:
    job.req_text = job.resp_text = True


def _set_vafile(job: Ocsp, arg: str) -> None:
    job.verify_certfile = arg
    job.flags |= {"TRUSTOTHER"}


def _digest_name(attr: str) -> Callable[[Ocsp, str], None]:
    return lambda job, arg: job.set_digest_name(attr, arg)


def _nonce(job: Ocsp, _arg: str) -> None:
    job.add_nonce = 2


def _no_nonce(job: Ocsp, _arg: str) -> None:
    job.add_nonce = 0


def _noop(_job: Ocsp, _arg: str) -> None:
    return None


_OPTIONS: Dict[str, _Opt] = {
    # General
    "help": _Opt("-", "Display this summary", _noop),
    "ignore_err": _Opt("-", "Ignore an unsuccessful response status and continue", _flag("ignore_err")),
    "CAfile": _Opt("<", "Trusted certificates file", _field("cafile")),
    "CApath": _Opt("<", "Trusted certificates directory (hashed names, as c_rehash makes)", _field("capath")),
    "CAstore": _Opt("s", "Trusted certificates store: a file or directory (or file: URI)", _field("castore")),
    "no-CAfile": _Opt("-", "Do not load the default certificates file", _flag("no_cafile")),
    "no-CApath": _Opt("-", "Do not load certificates from the default certificates directory", _flag("no_capath")),
    "no-CAstore": _Opt("-", "Do not load certificates from the default certificates store", _flag("no_castore")),
    # Responder
    "timeout": _Opt("f", f"Timeout of the whole exchange with the OCSP responder, in seconds (default "
                    f"{DEFAULT_TIMEOUT:g}; openssl waits for ever)", _field("timeout", float)),
    "resp_no_certs": _Opt("-", "Don't include any certificates in response", _flag("resp_no_certs")),
    "no_certs": _Opt("-", "Don't include any certificates in signed request", _flag("sign_no_certs")),
    "badsig": _Opt("-", "Corrupt last byte of the response signature (for test)", _flag("badsig")),
    "CA": _Opt("<", "CA certificate", _field("ca")),
    "nmin": _Opt("p", "Number of minutes before next update", lambda job, arg: job.set_nmin(arg)),
    "nrequest": _Opt("p", "Number of requests to accept (default unlimited)",
                     _field("nrequest", int)),
    "reqin": _Opt("s", "File with the DER-encoded request (PEM accepted too)", _field("reqin")),
    "signer": _Opt("<", "Certificate to sign OCSP request with", _field("signfile")),
    "sign_other": _Opt("<", "Additional certificates to include in signed request", _field("sign_certfile")),
    "index": _Opt("<", "Certificate status index file", _field("index")),
    "ndays": _Opt("p", "Number of days before next update", _field("ndays", int)),
    "rsigner": _Opt("<", "Responder certificate to sign responses with", _field("rsigner")),
    "rkey": _Opt("<", "Responder key to sign responses with", _field("rkey")),
    "passin": _Opt("s", "Responder key pass phrase source (pass:, env:, file:, fd:, stdin)", _field("passin")),
    "rother": _Opt("<", "Other certificates to include in response", _field("rother")),
    "rmd": _Opt("s", "Digest Algorithm to use in signature of OCSP response", _digest_name("rmd")),
    "header": _Opt("s", "key=value header to add", lambda job, arg: job.add_header(arg)),
    "rcid": _Opt("s", "Use specified algorithm for cert id in response", _digest_name("rcid")),
    # Client
    "url": _Opt("s", "Responder URL", lambda job, arg: job.set_url(arg)),
    "host": _Opt("s", "TCP/IP hostname:port to connect to", _field("host")),
    "port": _Opt("n", "Port to run responder on", _field("port")),
    "path": _Opt("s", "Path to use in OCSP request", _field("path")),
    "out": _Opt(">", "Output filename", _field("outfile")),
    "noverify": _Opt("-", "Don't verify response at all", _flag("noverify")),
    "nonce": _Opt("-", "Add OCSP nonce to request", _nonce),
    "no_nonce": _Opt("-", "Don't add OCSP nonce to request", _no_nonce),
    "no_signature_verify": _Opt("-", "Don't check signature on response", _add_flag("NOSIGS")),
    "resp_key_id": _Opt("-", "Identify response by signing certificate key ID", _flag("resp_key_id")),
    "no_cert_verify": _Opt("-", "Don't check signing certificate", _add_flag("NOVERIFY")),
    "text": _Opt("-", "Print text form of request and response", _set_text),
    "req_text": _Opt("-", "Print text form of request", _flag("req_text")),
    "resp_text": _Opt("-", "Print text form of response", _flag("resp_text")),
    "no_chain": _Opt("-", "Don't chain verify response", _add_flag("NOCHAIN")),
    "no_cert_checks": _Opt("-", "Don't do additional checks on signing certificate", _add_flag("NOCHECKS")),
    "no_explicit": _Opt("-", "Do not explicitly check the chain, just verify the root",
                        _add_flag("NOEXPLICIT")),
    "trust_other": _Opt("-", "Don't verify additional certificates", _add_flag("TRUSTOTHER")),
    "no_intern": _Opt("-", "Don't search certificates contained in response for signer",
                      _add_flag("NOINTERN")),
    "respin": _Opt("s", "File with the DER-encoded response (PEM accepted too)", _field("respin")),
    "VAfile": _Opt("<", "Validator certificates file", _set_vafile),
    "verify_other": _Opt("<", "Additional certificates to search for signer", _field("verify_certfile")),
    "cert": _Opt("<", "Certificate to check", lambda job, arg: job.add_cert(arg)),
    "serial": _Opt("s", "Serial number to check", lambda job, arg: job.add_serial(arg)),
    "validity_period": _Opt("u", "Maximum validity discrepancy in seconds", _field("nsec", int)),
    "signkey": _Opt("s", "Private key to sign OCSP request with", _field("keyfile")),
    "reqout": _Opt("s", "Output file for the DER-encoded request", _field("reqout")),
    "respout": _Opt("s", "Output file for the DER-encoded response", _field("respout")),
    "issuer": _Opt("<", "Issuer certificate", lambda job, arg: job.set_issuer(arg)),
    "status_age": _Opt("p", "Maximum status age in seconds", _field("maxage", int)),
    # Validation
    "attime": _Opt("M", "verification epoch time", lambda job, arg: job.set_attime(arg)),
    "partial_chain": _Opt("-", "accept chains anchored by intermediate trust-store CAs", _flag("partial_chain")),
    "trusted_first": _Opt("-", "search trust store first (default)", _noop),
    "issuer_checks": _Opt("-", "(deprecated)", _noop),
    "no_alt_chains": _Opt("-", "(deprecated)", _noop),
}
# Options openssl ocsp 3.0 knows that ocspkit does not implement: refused with a clear message.
_UNSUPPORTED = {
    "multi", "rsigopt", "proxy", "no_proxy", "policy", "purpose", "verify_name", "verify_depth",
    "auth_level", "verify_hostname", "verify_email", "verify_ip", "ignore_critical", "crl_check",
    "crl_check_all", "policy_check", "explicit_policy", "inhibit_any", "inhibit_map", "x509_strict",
    "extended_crl", "use_deltas", "policy_print", "check_ss_sig", "suiteB_128_only", "suiteB_128",
    "suiteB_192", "no_check_time", "allow_proxy_certs", "provider-path", "provider", "propquery",
}


def _check_value(name: str, kind: str, value: str) -> str:
    """opt_next's checks of numeric option values."""
    if kind == "f":
        return str(parse_seconds(value, f"-{name}"))
    if kind in ("p", "n", "u", "M"):
        if not re.fullmatch(r"[+-]?\d{1,40}", value.strip()):  # 40 digits: beyond any C long
            fail(f"Invalid number \"{value}\" for option -{name}")
        number = int(value)
        if kind == "p" and number <= 0:
            fail(f"Non-positive number \"{value}\" for option -{name}")
        if kind in ("n", "u") and number < 0:
            fail(f"Negative number \"{value}\" for option -{name}")
        return str(number)
    return value


def _openssl_help() -> str:
    lines = [
        f"Usage: {PROG} [ocsp] [options]   (the options of openssl ocsp 3.0: the same meaning, output, files and "
        "exit status)",
        f"'{PROG} --help' lists the subcommands (request, send, show, verify, sign, serve, store).",
        "",
    ]
    for name, opt in _OPTIONS.items():
        arg = {"-": "", "s": " val", "<": " infile", ">": " outfile", "p": " +int", "n": " nonneg",
               "u": " ulong", "M": " intmax", "f": " seconds"}[opt.kind]
        lines.append(f" -{name + arg:<23} {opt.help}")
    lines.append(f" -{'sha1, -sha256, ...':<23} CertID digest for the following -cert / -serial "
                 f"({', '.join(HASHES)})")
    return "\n".join(lines) + "\n"


def _run_openssl(argv: Sequence[str]) -> int:
    """``openssl ocsp ARGV``, the options read in order as opt_next reads them."""
    job = Ocsp()
    args = list(argv)
    i = 0
    while i < len(args):
        token = args[i]
        i += 1
        if token == "--":
            if i < len(args):
                fail(f"Extra argument {args[i]!r} (options start with -; -help lists them)")
            break
        if not token.startswith("-") or token == "-":
            fail(f"Extra argument {token!r} (options start with -; -help lists them)")
        name = token[2:] if token.startswith("--") else token[1:]
        value: Optional[str] = None
        if "=" in name:
            name, value = name.split("=", 1)
        opt = _OPTIONS.get(name)
        if opt is None:
            if name in _UNSUPPORTED:
                fail(f"Option -{name} of openssl ocsp is not supported by ocspkit (-help lists the options it "
                     "supports)")
            if hash_name(name) is not None or name.lower() in _OTHER_DIGESTS:
                if value is not None:
                    fail(f"Option -{name} takes no value")
                job.set_digest(name)
                continue
            fail(f"Unknown option or message digest: {name} (-help lists the options)")
        if name == "help":
            sys.stdout.write(_openssl_help())
            return 0
        if opt.kind == "-":
            if value is not None:
                fail(f"Option -{name} takes no value")
            opt.apply(job, "")
            continue
        if value is None:
            if i >= len(args):
                fail(f"Option -{name} needs a value")
            value = args[i]
            i += 1
        opt.apply(job, _check_value(name, opt.kind, value))
    return job.run()


# ------------------------------------------------------------------------------------------------
# Subcommands


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors as one line (``ocspkit <cmd>: error: ...``, exit 2) and exits
    turned into return values (main() returns, it never calls sys.exit). Help is also ``-help``,
    as openssl spells it (the subcommands take openssl's single-dash spellings too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", "-help", action="help", help="show this help and exit")

    def error(self, message: str) -> NoReturn:
        command = self.prog.partition(" ")[2]
        raise CLIError(f"{command + ': ' if command else ''}{message} (see {self.prog} --help)", 2)

    def exit(self, status: int = 0, message: Optional[str] = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise ParserExit(status)


class _HelpConfig(argparse.Action):
    """``serve --help-config``: the configuration file's keys (ocspkit.responder.config.REFERENCE)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: Optional[str] = None) -> None:
        super().__init__(option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
        option_string: Optional[str] = None,
    ) -> None:
        from ..responder.config import REFERENCE

        sys.stdout.write(REFERENCE)
        parser.exit()


class _Ordered(argparse.Action):
    """--issuer / --cert / --serial, kept in command-line order (an issuer applies to the
    certificates after it, as openssl's -issuer does)."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
        option_string: Optional[str] = None,
    ) -> None:
        items = list(getattr(namespace, self.dest, None) or [])
        items.append((self.const, values))
        setattr(namespace, self.dest, items)


def _add_names(parser: argparse.ArgumentParser, required: bool = False) -> None:
    group = parser.add_argument_group("certificates to ask about (in order; -issuer applies to what follows)")
    group.add_argument("--issuer", "-issuer", action=_Ordered, const="issuer", dest="items", metavar="FILE",
                       help="issuer certificate (PEM or DER) of the following --cert / --serial")
    group.add_argument("--cert", "-cert", action=_Ordered, const="cert", dest="items", metavar="FILE",
                       help="certificate to ask about (repeatable)")
    group.add_argument("--serial", "-serial", action=_Ordered, const="serial", dest="items", metavar="N",
                       help="serial number to ask about: decimal, or hex after 0x, as every ocspkit command takes it "
                       "(repeatable)")
    group.add_argument("--hash", default=None, metavar="ALG", choices=HASHES,
                       help="CertID hash algorithm: sha1 (default, RFC 5019), sha224, sha256, sha384, sha512")
    parser.set_defaults(items=[])


def _add_request_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("request options")
    nonce = group.add_mutually_exclusive_group()
    nonce.add_argument("--nonce", dest="nonce", action="store_true", default=True,
                       help="add a 16-octet nonce, as openssl does (default)")
    nonce.add_argument("--no-nonce", dest="nonce", action="store_false", help="add no nonce")
    group.add_argument("--signer", metavar="FILE", help="sign the request with this certificate")
    group.add_argument("--signkey", metavar="FILE", help="the signer's private key (default: the --signer file)")
    group.add_argument("--sign-other", metavar="FILE", help="more certificates to include in a signed request")
    group.add_argument("--no-certs", action="store_true", help="include no certificates in a signed request")


def _add_trust_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("verification (openssl ocsp's meaning)")
    group.add_argument("--CAfile", "-CAfile", dest="cafile", metavar="FILE", help="trusted certificates file")
    group.add_argument("--CApath", "-CApath", dest="capath", metavar="DIR", help="trusted certificates directory")
    group.add_argument("--no-default-trust", action="store_true",
                       help="do not load the system's default trusted certificates (-no-CAfile -no-CApath)")
    group.add_argument("--verify-other", metavar="FILE", help="more certificates to search for the signer")
    group.add_argument("--VAfile", dest="vafile", metavar="FILE",
                       help="responder certificates trusted as they are (-VAfile)")
    group.add_argument("--trust-other", action="store_true", help="trust --verify-other signers as they are")
    group.add_argument("--no-intern", action="store_true", help="do not look for the signer in the response")
    group.add_argument("--no-signature-verify", action="store_true", help="do not check the signature")
    group.add_argument("--no-cert-verify", action="store_true", help="check neither chain nor authorization")
    group.add_argument("--no-chain", action="store_true", help="build the chain from trusted certificates only")
    group.add_argument("--no-cert-checks", action="store_true", help="check the chain, not the authorization")
    group.add_argument("--no-explicit", action="store_true", help="no explicit OCSP-signing trust")
    group.add_argument("--partial-chain", action="store_true", help="any trusted certificate may end the chain")
    group.add_argument("--attime", type=int, metavar="EPOCH", help="check the chain at this time (seconds)")
    group.add_argument("--validity-period", type=int, default=DEFAULT_VALIDITY_PERIOD, metavar="SECONDS",
                       help="tolerance for thisUpdate/nextUpdate (default 300)")
    group.add_argument("--status-age", type=int, metavar="SECONDS", help="maximum age of thisUpdate")


def _add_signing_options(parser: argparse.ArgumentParser) -> None:
    """How a responder signs (``sign`` and ``serve``): openssl ocsp's -passin, -rother, -rmd,
    -resp_no_certs and -resp_key_id."""
    parser.add_argument("--passin", metavar="ARG", help="key pass phrase: pass:, env:, file:, fd:, stdin")
    parser.add_argument("--rother", metavar="FILE", help="more certificates to include in responses")
    parser.add_argument("--rmd", metavar="ALG", help="signature digest (default sha256)")
    parser.add_argument("--resp-no-certs", action="store_true", help="include no certificates")
    parser.add_argument("--resp-key-id", action="store_true", help="responder ID by key hash")


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pem", action="store_true", help="write PEM instead of DER")
    parser.add_argument("--text", action="store_true", help="also print the message as openssl's -text does")


def _apply_names(job: Ocsp, ns: argparse.Namespace) -> None:
    if ns.hash:
        job.cert_id_md = ns.hash
    for kind, value in ns.items:
        if kind == "issuer":
            job.set_issuer(value)
        elif kind == "cert":
            job.add_cert(value)
        else:
            job.add_serial(value)


def _apply_request_options(job: Ocsp, ns: argparse.Namespace) -> None:
    job.add_nonce = 1 if ns.nonce else 0
    job.signfile, job.keyfile, job.sign_certfile = ns.signer, ns.signkey, ns.sign_other
    job.sign_no_certs = ns.no_certs


def _apply_trust_options(job: Ocsp, ns: argparse.Namespace) -> None:
    job.cafile, job.capath = ns.cafile, ns.capath
    if ns.no_default_trust:
        job.no_cafile = job.no_capath = job.no_castore = True
    job.verify_certfile = ns.vafile or ns.verify_other
    for attr, flag in (
        ("trust_other", "TRUSTOTHER"), ("no_intern", "NOINTERN"), ("no_signature_verify", "NOSIGS"),
        ("no_cert_verify", "NOVERIFY"), ("no_chain", "NOCHAIN"), ("no_cert_checks", "NOCHECKS"),
        ("no_explicit", "NOEXPLICIT"),
    ):
        if getattr(ns, attr):
            job.flags |= {flag}
    if ns.vafile:
        job.flags |= {"TRUSTOTHER"}
    job.partial_chain = ns.partial_chain
    if ns.attime is not None:
        job.set_attime(str(ns.attime))
    if ns.validity_period < 0:
        fail("--validity-period must not be negative")
    job.nsec = ns.validity_period
    if ns.status_age is not None and ns.status_age <= 0:
        fail("--status-age must be positive")
    job.maxage = ns.status_age


def _cmd_request(ns: argparse.Namespace) -> int:
    job = Ocsp(subcommand=True)
    _apply_names(job, ns)
    if not job.ids:
        fail("nothing to ask: give --issuer and at least one --cert or --serial")
    _apply_request_options(job, ns)
    job.reqout = ns.out or "-"
    job.pem_out = ns.pem
    job.req_text = ns.text
    if ns.text and job.reqout == "-":
        job.outfile = None
        if not ns.pem:
            fail("--text with DER on stdout would mix them: give --out FILE or --pem")
    return job.run()


def _aia_url(job: Ocsp) -> str:
    """The responder every --cert names in its AuthorityInfoAccess (RFC 5280 4.2.2.1), as
    ocspkit.check_certificate finds it: the first OCSP URL of each. Certificates that name
    different responders, or none, are refused rather than guessed at."""
    from ..http import ocsp_urls

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


def _cmd_send(ns: argparse.Namespace) -> int:
    job = Ocsp(subcommand=True)
    _apply_names(job, ns)
    job.set_url(ns.url if ns.url is not None else _aia_url(job))
    _apply_request_options(job, ns)
    _apply_trust_options(job, ns)
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


def _cmd_verify(ns: argparse.Namespace) -> int:
    job = Ocsp(subcommand=True)
    job.respin = ns.response
    job.ids_are_request = False
    _apply_names(job, ns)
    _apply_trust_options(job, ns)
    job.reqin = ns.reqin
    job.add_nonce = 0
    job.resp_text = ns.text
    return job.run()


def _cmd_sign(ns: argparse.Namespace) -> int:
    job = Ocsp(subcommand=True)
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


_PEM_KINDS = {REQUEST_PEM: "request", RESPONSE_PEM: "response"}


def _sniff(data: bytes, path: str) -> Optional[str]:
    """"request" or "response", from the content alone (so that a message the loaders refuse is
    reported as what it is): a PEM block's label, else the first element in the outer SEQUENCE
    (an OCSPResponse starts with its responseStatus ENUMERATED, an OCSPRequest with its
    tbsRequest SEQUENCE, RFC 6960 4.1.1 / 4.2.1); None when neither shows."""
    if not data.strip():
        fail(f"not an OCSP request or response: {path} is empty")
    if data[:1] != b"\x30":
        found = re.search(rb"-----BEGIN ([A-Z0-9 ]+)-----", data)
        if found is None:
            return None
        label = found.group(1).decode("ascii")
        if label not in _PEM_KINDS:
            fail(f"not an OCSP request or response: {path} holds a PEM block labelled {label!r} "
                 f"(expected {REQUEST_PEM} or {RESPONSE_PEM})")
        return _PEM_KINDS[label]
    if len(data) < 3:
        return None
    length = data[1]
    start = 2 if length < 0x80 else 2 + (length & 0x7F)  # short, long or indefinite (0x80) form
    return {0x0A: "response", 0x30: "request"}.get(data[start]) if start < len(data) else None


def _detect(data: bytes) -> str:
    """What the loaders accept, when the content does not say (``_sniff``)."""
    try:
        load_response(data)
        return "response"
    except OCSPError as response_error:
        try:
            load_request(data)
            return "request"
        except OCSPError:
            fail("not an OCSP request or response", response_error)


def _severity(finding: Any) -> str:
    severity = getattr(finding, "severity", "")
    return str(getattr(severity, "value", getattr(severity, "name", severity))).lower()


def _cmd_show(ns: argparse.Namespace) -> int:
    data = read_file(ns.file, "OCSP message")
    found = _sniff(data, ns.file)
    if ns.type != "auto" and found is not None and found != ns.type:
        fail(f"{ns.file} holds an OCSP {found}, not an OCSP {ns.type} (--type auto, the default, reads either)")
    kind = ns.type if ns.type != "auto" else found or _detect(data)
    message: Any
    try:
        message = load_request(data) if kind == "request" else load_response(data)
    except OCSPError as exc:
        fail(f"Error reading OCSP {kind} from {ns.file}", exc)
    out = sys.stdout
    # write_text: octets that are not UTF-8 (kept as surrogate escapes) go out as the octets,
    # also on a stdout that refuses surrogates (PYTHONIOENCODING=utf-8:strict), as -resp_text does.
    if ns.format == "text":
        text = text_module()
        write_text(out, text.request_text(message) if kind == "request" else text.response_text(message))
        return 0
    if ns.format == "json":
        rendered = text_module().to_json_text(message)
        write_text(out, rendered if rendered.endswith("\n") else rendered + "\n")
        return 0
    try:
        lint = importlib.import_module("ocspkit.lint")
    except ImportError as exc:
        fail("lint output needs ocspkit.lint, which this installation lacks", exc)
    findings = lint.lint(message)
    for finding in findings:
        clause = getattr(finding, "clause", None)
        path = getattr(finding, "path", None)
        line = f"{_severity(finding)}: {finding.code}: {one_line(finding.message)}"
        if clause:
            line += f" [{clause}]"
        if path:
            line += f" (at {path})"
        write_text(out, line + "\n")
    if not findings:
        out.write(f"{ns.file}: no findings\n")
    return 1 if any(_severity(f) == "error" for f in findings) else 0


@contextlib.contextmanager
def _held_logs(level: str) -> Iterator[List[Any]]:
    """Hold the ``ocspkit`` log records of the service's start (configuration, stores, pre-signing)
    at ``level``. If the start fails, its one ``ocspkit:`` line says why (a store that cannot be
    read logs the same words) and they are dropped; if it works, the caller sets logging up and
    replays them. Without this, Python's last-resort handler would print them bare."""
    import logging

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


def _cmd_serve(ns: argparse.Namespace) -> int:
    from ..responder.logs import configure_logging

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


def _serve_setup(ns: argparse.Namespace) -> Tuple[Any, Any]:
    """``serve``'s responder and settings, from --config or from the one-issuer options."""
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


def _build_parser(command: Optional[str] = None) -> _Parser:
    """The subcommands' parser. With ``command`` (the first argument), the ``store`` commands are
    added only if they can be asked for: they import the responder package, which nothing else
    needs."""
    parser = _Parser(
        prog=PROG,
        description="OCSP requests and responses from the command line (RFC 6960). Any first argument "
        "starting with '-' (or the word 'ocsp') selects the openssl-compatible mode: the options of "
        "'openssl ocsp', same meaning, output and exit status.",
        epilog="Each command describes itself: 'ocspkit request --help' (or -help), and so on. "
        "'ocspkit -help' lists the openssl-compatible options. Errors are one line on stderr, 'ocspkit: ...'; "
        "the exit status is openssl's (0 done, 1 failure), 2 for a usage error.",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("request", help="build an OCSP request", description=(
        "Build an OCSP request for certificates or serial numbers (openssl ocsp -issuer -cert -reqout). "
        "DER (or --pem) to --out, or to stdout."))
    _add_names(p)
    _add_request_options(p)
    p.add_argument("-o", "--out", metavar="FILE", help="where to write the request (default: stdout)")
    _add_output(p)
    p.set_defaults(func=_cmd_request)

    for name in ("send", "check"):
        p = sub.add_parser(name, help="send a request to a responder and verify the answer", description=(
            "Build (or read) a request, send it to URL, verify the response and print each certificate's "
            "status, as 'openssl ocsp -url URL -issuer ... -cert ...' does (same output and exit status). "
            "Without URL, the responder named in the certificates' AuthorityInfoAccess extension."))
        p.add_argument("url", metavar="URL", nargs="?",
                       help="the responder, http://host[:port]/path or https://... (default: the OCSP URL in "
                       "each --cert's AuthorityInfoAccess; they must all name the same one)")
        _add_names(p)
        _add_request_options(p)
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
        _add_trust_options(p)
        _add_output(p)
        p.set_defaults(func=_cmd_send)

    p = sub.add_parser("show", help="print a request or response as text, JSON or lint findings",
                       description="Print an OCSP request or response (DER or PEM): openssl's -req_text / "
                       "-resp_text layout, JSON, or lint findings (exit 1 if any is an error).")
    p.add_argument("file", metavar="FILE", help="the request or response ('-' for stdin)")
    p.add_argument("--format", choices=("text", "json", "lint"), default="text", help="default: text")
    p.add_argument("--type", choices=("auto", "request", "response"), default="auto",
                   help="what FILE holds (default: detect)")
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser("verify", help="verify a response and print statuses", description=(
        "Verify a response as 'openssl ocsp -respin FILE' does: 'Response verify OK' or 'Response Verify "
        "Failure' on stderr, each --cert / --serial status on stdout, openssl's exit status. With --reqin, "
        "the nonce is checked too."))
    p.add_argument("response", metavar="RESPONSE", help="the response file (DER or PEM)")
    _add_names(p)
    p.add_argument("--reqin", metavar="FILE", help="the request it answers (its nonce is checked)")
    p.add_argument("--text", action="store_true", help="also print the response as text")
    _add_trust_options(p)
    p.set_defaults(func=_cmd_verify)

    p = sub.add_parser("sign", help="sign a response offline from a request and an index file", description=(
        "Answer a request from an OpenSSL CA database (index.txt) and sign the response, as "
        "'openssl ocsp -index -CA -rsigner -rkey -reqin -respout' does."))
    p.add_argument("--index", required=True, metavar="FILE", help="certificate status index (index.txt)")
    p.add_argument("--CA", "--ca", dest="ca", required=True, metavar="FILE", help="CA certificate(s) answered for")
    p.add_argument("--rsigner", required=True, metavar="FILE", help="responder certificate")
    p.add_argument("--rkey", metavar="FILE", help="responder key (default: the --rsigner file)")
    _add_signing_options(p)
    p.add_argument("--reqin", required=True, metavar="FILE", help="the request (DER or PEM)")
    p.add_argument("-o", "--out", metavar="FILE", help="where to write the response (default: stdout)")
    p.add_argument("--ndays", type=int, metavar="N", help="nextUpdate N days ahead (default: no nextUpdate)")
    p.add_argument("--nmin", type=int, metavar="N", help="nextUpdate N more minutes ahead")
    p.add_argument("--rcid", metavar="ALG", help="CertID hash algorithm of the answers (default: as asked)")
    _add_output(p)
    p.set_defaults(func=_cmd_sign)

    if command not in _COMMANDS or command == "store":
        from ..responder.admin import add_store_commands

        add_store_commands(sub)

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
    _add_signing_options(p)
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
    p.set_defaults(func=_cmd_serve)
    return parser


_COMMANDS = ("request", "send", "check", "show", "verify", "sign", "serve", "store")


def _run_subcommand(argv: Sequence[str]) -> int:
    parser = _build_parser(argv[0] if argv else None)
    ns = parser.parse_args(list(argv))
    if getattr(ns, "command", None) is None:
        # Status 1, as 'openssl ocsp' without options exits.
        raise CLIError(
            f"give a command ({', '.join(_COMMANDS)}) or openssl ocsp options "
            f"(see {PROG} --help)", 1
        )
    result: int = ns.func(ns)
    return result


# ------------------------------------------------------------------------------------------------


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run ``ocspkit ARGV`` (default: sys.argv[1:]) and return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    openssl = bool(args) and (args[0] == "ocsp" or (args[0].startswith("-") and args[0] not in (
        "-h", "--help", "--version")))
    try:
        if openssl:
            return _run_openssl(args[1:] if args[0] == "ocsp" else args)
        return _run_subcommand(args)
    except ParserExit as exc:
        return exc.status
    except CLIError as exc:
        _report(cli_words(str(exc), not openssl))
        return exc.status
    except (OCSPError, OSError) as exc:
        _report(cli_words(str(exc), not openssl) or type(exc).__name__)
        return 1


def _report(message: str) -> None:
    sys.stdout.flush()
    sys.stderr.write(f"{PROG}: {one_line(message)}\n")
    sys.stderr.flush()
