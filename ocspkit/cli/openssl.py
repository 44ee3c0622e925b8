"""openssl ocsp's command line: its options (OpenSSL 3.0), read in order as apps/lib/opt.c reads them.

Each option sets the engine's state (cli.engine.Ocsp) as ocsp_main's option loop does; unknown
options, and options openssl has that ocspkit does not implement, end the command with one line.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from typing import Any, Callable, Dict, Optional, Sequence

from .._defaults import DEFAULT_TIMEOUT
from ._common import HASHES, PROG, fail, hash_name, parse_seconds
from .engine import Ocsp

__all__ = ["run_openssl"]

# Digests OpenSSL knows that ocspkit does not compute CertIDs with: named so the error says so.
_OTHER_DIGESTS = {
    "md4", "md5", "md5-sha1", "mdc2", "ripemd", "ripemd160", "rmd160", "sm3", "whirlpool", "blake2b512",
    "blake2s256", "sha3-224", "sha3-256", "sha3-384", "sha3-512", "sha512-224", "sha512-256",
    "shake128", "shake256",
}


@dataclasses.dataclass(frozen=True)
class _Opt:
    """One option: the kind of its value, its -help line, and what it does to the engine."""

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


def run_openssl(argv: Sequence[str]) -> int:
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
