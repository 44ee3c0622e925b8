"""The ``ocspkit`` command line: ``main``, which runs openssl ocsp's options or a subcommand.

``main(argv)`` runs one command and returns its exit status. Two ways in:

* ``ocspkit -issuer ca.pem -cert leaf.pem -url http://ocsp.example/`` (any first argument that
  starts with ``-``), or ``ocspkit ocsp ...``: the options of ``openssl ocsp`` (OpenSSL 3.0),
  with openssl's meaning, output, files and exit status (:mod:`ocspkit.cli.openssl`). The
  engine (:mod:`ocspkit.cli.engine`) follows ``apps/ocsp.c``'s ``ocsp_main`` step by step, so
  an existing command line works with ``openssl ocsp`` replaced by ``ocspkit``.
* ``ocspkit request|send|check|show|verify|sign|serve|store ...``: argparse subcommands with
  ``--help`` (:mod:`ocspkit.cli.subcommands`), which set up the same engine (``show`` prints a
  message as text, JSON or lint findings).

Errors are one line on stderr, ``ocspkit: <message>``, and a non-zero exit status (openssl's,
in the openssl-compatible mode). See ``docs/cli.md``, which maps the modules of this package.
"""

from __future__ import annotations

# A command imports what it needs when it needs it: scripts run ocspkit in loops, and printing a
# response or building a request must not pay for HTTP (sockets, TLS, urllib), verification
# (oscrypto), lint or the responder. tests/test_lazy_import.py checks what stays out.
import sys
from typing import Optional, Sequence

from ..errors import OCSPError
from ._common import PROG, CLIError, ParserExit, cli_words, one_line

__all__ = ["PROG", "CLIError", "main"]


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run ``ocspkit ARGV`` (default: sys.argv[1:]) and return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    openssl = bool(args) and (args[0] == "ocsp" or (args[0].startswith("-") and args[0] not in (
        "-h", "--help", "--version")))
    try:
        # Each mode imports its own modules, so that openssl's options load no argparse parser.
        if openssl:
            from .openssl import run_openssl

            return run_openssl(args[1:] if args[0] == "ocsp" else args)
        from .subcommands import run_subcommand

        return run_subcommand(args)
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
