"""The subcommands' argparse: the Parser class and the option groups several commands share.

Each ``add_*`` adds a group of options to a subcommand's parser; the matching ``apply_*`` sets an
engine (cli.engine.Ocsp) from the parsed namespace, as the same openssl ocsp options would.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, NoReturn, Optional

from ._common import DEFAULT_VALIDITY_PERIOD, HASHES, CLIError, ParserExit, fail

if TYPE_CHECKING:
    from .engine import Ocsp

__all__ = [
    "Parser",
    "add_names",
    "add_output",
    "add_request_options",
    "add_signing_options",
    "add_trust_options",
    "apply_names",
    "apply_request_options",
    "apply_trust_options",
    "new_job",
]


class Parser(argparse.ArgumentParser):
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
        """A usage error: one line, exit status 2."""
        command = self.prog.partition(" ")[2]
        raise CLIError(f"{command + ': ' if command else ''}{message} (see {self.prog} --help)", 2)

    def exit(self, status: int = 0, message: Optional[str] = None) -> NoReturn:
        """Leave main() with ``status`` (after --help, --version)."""
        if message:
            sys.stderr.write(message)
        raise ParserExit(status)


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


def new_job() -> Ocsp:
    """A new engine for a subcommand (its messages spell options as the subcommands do: --CAfile)."""
    from .engine import Ocsp  # lazy: show and --help build every parser but run no engine

    return Ocsp(subcommand=True)


def add_names(parser: argparse.ArgumentParser, required: bool = False) -> None:
    """--issuer, --cert, --serial (kept in order, as openssl reads -issuer) and --hash."""
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


def add_request_options(parser: argparse.ArgumentParser) -> None:
    """How a request is made: --nonce / --no-nonce, and --signer, --signkey, --sign-other, --no-certs."""
    group = parser.add_argument_group("request options")
    nonce = group.add_mutually_exclusive_group()
    nonce.add_argument("--nonce", dest="nonce", action="store_true", default=True,
                       help="add a 16-octet nonce, as openssl does (default)")
    nonce.add_argument("--no-nonce", dest="nonce", action="store_false", help="add no nonce")
    group.add_argument("--signer", metavar="FILE", help="sign the request with this certificate")
    group.add_argument("--signkey", metavar="FILE", help="the signer's private key (default: the --signer file)")
    group.add_argument("--sign-other", metavar="FILE", help="more certificates to include in a signed request")
    group.add_argument("--no-certs", action="store_true", help="include no certificates in a signed request")


def add_trust_options(parser: argparse.ArgumentParser) -> None:
    """How a response is verified: openssl ocsp's -CAfile, -verify_other, -no_intern ... spelled --CAfile ..."""
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


def add_signing_options(parser: argparse.ArgumentParser) -> None:
    """How a responder signs (``sign`` and ``serve``): openssl ocsp's -passin, -rother, -rmd,
    -resp_no_certs and -resp_key_id."""
    parser.add_argument("--passin", metavar="ARG", help="key pass phrase: pass:, env:, file:, fd:, stdin")
    parser.add_argument("--rother", metavar="FILE", help="more certificates to include in responses")
    parser.add_argument("--rmd", metavar="ALG", help="signature digest (default sha256)")
    parser.add_argument("--resp-no-certs", action="store_true", help="include no certificates")
    parser.add_argument("--resp-key-id", action="store_true", help="responder ID by key hash")


def add_output(parser: argparse.ArgumentParser) -> None:
    """--pem and --text, for the commands that write a message."""
    parser.add_argument("--pem", action="store_true", help="write PEM instead of DER")
    parser.add_argument("--text", action="store_true", help="also print the message as openssl's -text does")


def apply_names(job: Ocsp, ns: argparse.Namespace) -> None:
    """Set ``job`` up from add_names's options, in command-line order."""
    if ns.hash:
        job.cert_id_md = ns.hash
    for kind, value in ns.items:
        if kind == "issuer":
            job.set_issuer(value)
        elif kind == "cert":
            job.add_cert(value)
        else:
            job.add_serial(value)


def apply_request_options(job: Ocsp, ns: argparse.Namespace) -> None:
    """Set ``job`` up from add_request_options's options."""
    job.add_nonce = 1 if ns.nonce else 0
    job.signfile, job.keyfile, job.sign_certfile = ns.signer, ns.signkey, ns.sign_other
    job.sign_no_certs = ns.no_certs


def apply_trust_options(job: Ocsp, ns: argparse.Namespace) -> None:
    """Set ``job`` up from add_trust_options's options (VerifyFlags by name, as openssl's options set them)."""
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
