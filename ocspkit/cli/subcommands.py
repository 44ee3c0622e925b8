"""The subcommands' parser (ocspkit --help): which commands there are, and running the one asked for."""

from __future__ import annotations

from typing import Optional, Sequence

from .. import __version__
from . import client, responder, show
from ._common import PROG, CLIError
from .options import Parser

__all__ = ["COMMANDS", "build_parser", "run_subcommand"]


def build_parser(command: Optional[str] = None) -> Parser:
    """The subcommands' parser. With ``command`` (the first argument), the ``store`` commands are
    added only if they can be asked for: they import the responder package, which nothing else
    needs."""
    parser = Parser(
        prog=PROG,
        description="OCSP requests and responses from the command line (RFC 6960). Any first argument "
        "starting with '-' (or the word 'ocsp') selects the openssl-compatible mode: the options of "
        "'openssl ocsp', same meaning, output and exit status.",
        epilog="Each command describes itself: 'ocspkit request --help' (or -help), and so on. "
        "'ocspkit -help' lists the openssl-compatible options. Errors are one line on stderr, 'ocspkit: ...'; "
        "the exit status is openssl's (0 done, 1 failure), 2 for a usage error.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    client.add_request(sub)
    for name in ("send", "check"):
        client.add_send(sub, name)
    show.add_show(sub)
    client.add_verify(sub)
    responder.add_sign(sub)
    if command not in COMMANDS or command == "store":
        from ..responder.admin import add_store_commands  # lazy: the responder package only for store

        add_store_commands(sub)
    responder.add_serve(sub)
    return parser


COMMANDS = ("request", "send", "check", "show", "verify", "sign", "serve", "store")


def run_subcommand(argv: Sequence[str]) -> int:
    """Parse ``argv`` as ``ocspkit COMMAND ...`` and run the command; its exit status."""
    parser = build_parser(argv[0] if argv else None)
    ns = parser.parse_args(list(argv))
    if getattr(ns, "command", None) is None:
        # Status 1, as 'openssl ocsp' without options exits.
        raise CLIError(
            f"give a command ({', '.join(COMMANDS)}) or openssl ocsp options "
            f"(see {PROG} --help)", 1
        )
    result: int = ns.func(ns)
    return result
