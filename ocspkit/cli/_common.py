"""What every command shares: its error line, files and streams, keys and certificates, option values.

A failure anywhere in the command line is a :class:`CLIError` (``fail``), which ``main`` prints as
one line, ``ocspkit: <message>``, with the library's Python words (``trusted=``, ``force=True``)
replaced by the options of the mode in use (``cli_words``). Files, certificates and keys are read
with openssl's error messages; digest names, serial numbers, seconds and pass phrase arguments are
read as openssl reads them.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import math
import os
import sys
from typing import IO, TYPE_CHECKING, Any, List, NoReturn, Optional

from .._util import parse_serial
from ..errors import OCSPError, OCSPValueError
from ..oid import SUPPORTED_HASHES

if TYPE_CHECKING:
    from ..crypto import PrivateKey

PROG = "ocspkit"
REQUEST_PEM = "OCSP REQUEST"
RESPONSE_PEM = "OCSP RESPONSE"
UTC = _dt.timezone.utc
# The digests ocspkit computes CertIDs and signs with.
HASHES = tuple(SUPPORTED_HASHES)  # the CertID and signing digests ocspkit computes
# OpenSSL's MAX_VALIDITY_PERIOD (apps/ocsp.c): the default -validity_period, 5 minutes.
DEFAULT_VALIDITY_PERIOD = 300


class CLIError(Exception):
    """A failure reported as one line on stderr (``ocspkit: <message>``) with exit ``status``."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


class ParserExit(Exception):
    """argparse wants to exit (``--help``): leave main() with this status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def one_line(text: object) -> str:
    """``text`` on one line: runs of white space (newlines included) become one space."""
    return " ".join(str(text).split())


# The library's hints name its Python parameters and VerifyFlags; the command line says the same
# with its options, spelled as the mode in use spells them ({name}: openssl ocsp's spelling, else
# the subcommands'). Matched on the library's own words: tests/test_cli_messages.py pins them.
_PYTHON_WORDS = (
    ("; pass that CA in trusted= or untrusted=", "; give that CA with {CAfile} (trusted) or {verify_other}"),
    (" (pass the responder's certificate in untrusted=)", " (give the responder's certificate with {verify_other})"),
    (" (pass its root, or use PARTIAL_CHAIN)", " (give its root with {CAfile} too, or {partial_chain})"),
    (" (NOEXPLICIT)", " ({no_explicit})"),
    ("; force=True changes it anyway", "; --force changes it anyway"),
    ("; force=True does it anyway", "; --force does it anyway"),
    ("; replace=True lets the index win", "; --replace lets the index win"),
)
_SPELLINGS = {  # (openssl ocsp, subcommands)
    "CAfile": ("-CAfile", "--CAfile"),
    "verify_other": ("-verify_other", "--verify-other"),
    "partial_chain": ("-partial_chain", "--partial-chain"),
    "no_explicit": ("-no_explicit", "--no-explicit"),
}


def cli_words(message: str, subcommand: bool) -> str:
    """``message`` (from the library) with its Python words replaced by the command line's."""
    for python, ours in _PYTHON_WORDS:
        if python in message:
            message = message.replace(python, ours.format(**{k: v[subcommand] for k, v in _SPELLINGS.items()}))
    return message


def fail(message: str, detail: object = None) -> NoReturn:
    """End the command with ``message`` (and ``: detail`` on one line), exit status 1."""
    raise CLIError(message if detail is None else f"{message}: {one_line(detail)}")


# ------------------------------------------------------------------------------------------------
# Files and streams


def _stdout_bytes(data: bytes) -> None:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # pragma: no cover - a text-only stdout replacement
        raise CLIError("cannot write binary output to this stdout: use an output file")
    buffer.write(data)
    buffer.flush()


def write_text(out: IO[str], text: str) -> None:
    """Write printed text. ocspkit.text keeps octets that are not UTF-8 as surrogate escapes
    (where OpenSSL copies octets through): they go out as those octets, as openssl writes them."""
    try:
        out.write(text)
    except UnicodeEncodeError:
        buffer = getattr(out, "buffer", None)
        if buffer is None:
            raise
        out.flush()
        buffer.write(text.encode("utf-8", "surrogateescape"))
        buffer.flush()


def text_module() -> Any:
    """ocspkit.text, imported when text output is asked for."""
    try:
        return importlib.import_module("ocspkit.text")
    except ImportError as exc:
        fail("text output needs ocspkit.text, which this installation lacks", exc)


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def read_file(path: str, what: str) -> bytes:
    """The bytes of ``path`` (``-`` is stdin), or a CLIError naming ``what``."""
    try:
        if path == "-":
            return bytes(sys.stdin.buffer.read())
        return _read_bytes(path)
    except OSError as exc:
        fail(f"Can't open \"{path}\" for reading ({what})", exc.strerror or exc)


def write_file(path: str, data: bytes, what: str) -> None:
    """Write ``data`` to ``path`` (``-`` is stdout)."""
    if path == "-":
        _stdout_bytes(data)
        return
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        fail(f"Can't open \"{path}\" for writing ({what})", exc.strerror or exc)


# ------------------------------------------------------------------------------------------------
# Certificates and keys


def _read_input(path: str, what: str) -> bytes:
    """The bytes of a certificate or key file; failures say "Unable to load <what>", as openssl."""
    try:
        return bytes(sys.stdin.buffer.read()) if path == "-" else _read_bytes(path)
    except OSError as exc:
        fail(f"Unable to load {what} from {path}", exc.strerror or exc)


def load_cert(path: str, what: str) -> Any:
    """The certificate in ``path`` (PEM or DER; ``-`` is stdin), or "Unable to load <what>"."""
    from ..crypto import load_certificate  # lazy: the crypto engine only when a file is read

    data = _read_input(path, what)
    try:
        return load_certificate(data)
    except OCSPError as exc:
        fail(f"Unable to load {what} from {path}", exc)


def load_certs(path: str, what: str) -> List[Any]:
    """Every certificate in ``path`` (a PEM bundle, or DER), or "Unable to load <what>"."""
    from ..crypto import load_certificates  # lazy: the crypto engine only when a file is read

    data = _read_input(path, what)
    try:
        return list(load_certificates(data))
    except OCSPError as exc:
        fail(f"Unable to load {what} from {path}", exc)


def load_key(path: str, what: str, password: Optional[str] = None) -> PrivateKey:
    """A private key from a PEM or DER file; a PEM file may hold certificates too (OpenSSL
    reads the key of ``-rsigner both.pem`` / ``-signer both.pem`` from the same file)."""
    from ..crypto import load_private_key  # lazy: the crypto engine only when a file is read

    data = _read_input(path, what)
    try:
        return load_private_key(data, password)
    except OCSPError as exc:
        fail(f"Unable to load {what} from {path}", exc)


def pss_only(key: PrivateKey) -> bool:
    """Whether ``key`` may only sign RSASSA-PSS (an RSA-PSS key, as ``openssl genpkey -algorithm
    RSA-PSS`` makes): openssl then signs with PSS, and so does the command line."""
    return bool(getattr(key.asn1, "algorithm", None) == "rsassa_pss")


def pass_phrase(source: Optional[str]) -> Optional[str]:
    """OpenSSL's pass phrase arguments: ``pass:``, ``env:``, ``file:``, ``fd:``, ``stdin``."""
    if source is None:
        return None
    try:
        if source.startswith("pass:"):
            return source[5:]
        if source.startswith("env:"):
            value = os.environ.get(source[4:])
            if value is None:
                fail("Error getting password", f"no environment variable {source[4:]}")
            return value
        if source.startswith("file:"):
            with open(source[5:], encoding="utf-8") as handle:
                lines = handle.read().splitlines()
            return lines[0] if lines else ""
        if source.startswith("fd:"):
            with os.fdopen(int(source[3:]), "r", closefd=False) as handle:
                return handle.readline().rstrip("\r\n")
        if source == "stdin":
            return sys.stdin.readline().rstrip("\r\n")
    except (OSError, ValueError) as exc:
        fail("Error getting password", exc)
    fail("Error getting password", f"invalid password argument {source!r} (use pass:, env:, file:, fd: or stdin)")


# ------------------------------------------------------------------------------------------------
# Option values: digest names, serial numbers, seconds


def hash_name(name: str) -> Optional[str]:
    """A digest name as ocspkit spells it (``SHA256`` / ``sha-256`` -> ``sha256``), or None."""
    lowered = name.lower()
    if lowered in HASHES:
        return lowered
    compact = lowered.replace("-", "")
    return compact if compact in HASHES else None


def signing_digest(rmd: Optional[str], option: str = "-rmd") -> str:
    """The responder's signature digest: ``rmd`` (``-rmd`` / ``--rmd``), else SHA-256,
    EVP_DigestSignInit's default for RSA and EC keys; an unknown name ends the command."""
    if rmd is None:
        return "sha256"
    named = hash_name(rmd)
    if named is None:
        fail(f"Unsupported digest {option} {rmd}", f"ocspkit signs with {', '.join(HASHES)}")
    return named


def serial_number(text: str) -> int:
    """A -serial / --serial value, as OpenSSL's s2i_ASN1_INTEGER reads it (ocspkit._util.parse_serial):
    decimal, or hex after ``0x``; anything else ends the command."""
    try:
        return parse_serial(text)
    except OCSPValueError as exc:
        fail(str(exc))


def parse_seconds(text: str, option: str) -> float:
    """A timeout as every networked command takes it: seconds, a positive (fractional) number."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        fail(f"Invalid number of seconds \"{text[:40]}\" for option {option}: give a positive number, such as 10 "
             "or 0.5")
    return seconds
