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
import datetime as _dt
import importlib
import os
import re
import sys
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    FrozenSet,
    Iterator,
    List,
    NoReturn,
    Optional,
    Sequence,
    Tuple,
)

from .._defaults import DEFAULT_TIMEOUT
from .._der import pem_armor, to_der
from .._writers import length_der, oid_der
from ..certid import CertID
from ..enums import CertStatus, NonceCheck, ResponseStatus, cert_status_str, crl_reason_str, response_status_str
from ..errors import OCSPError, StaleResponse, TransportError
from ..request import OCSPRequest, RequestBuilder, load_request
from ..response import BasicOCSPResponse, OCSPResponse, ResponseBuilder, load_response, unsuccessful_response
from ._common import (
    HASHES,
    PROG,
    REQUEST_PEM,
    RESPONSE_PEM,
    UTC,
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
    parse_serial,
    pass_phrase,
    pss_only,
    read_file,
    signing_digest,
    text_module,
    write_file,
    write_text,
)

if TYPE_CHECKING:
    from ..crypto import PrivateKey
    from ..verify import TrustedCertificate

__all__ = ["main"]


# OpenSSL's MAX_VALIDITY_PERIOD (apps/ocsp.c): the default -validity_period, 5 minutes.
_DEFAULT_VALIDITY_PERIOD = 300
# OCSP_request_add1_nonce(req, NULL, -1) writes 16 random octets (OCSP_DEFAULT_NONCE_LENGTH);
# the openssl-compatible mode writes what openssl writes.
_OPENSSL_NONCE_LENGTH = 16
# Digests OpenSSL knows that ocspkit does not compute CertIDs with: named so the error says so.
_OTHER_DIGESTS = {
    "md4", "md5", "md5-sha1", "mdc2", "ripemd", "ripemd160", "rmd160", "sm3", "whirlpool", "blake2b512",
    "blake2s256", "sha3-224", "sha3-256", "sha3-384", "sha3-512", "sha512-224", "sha512-256",
    "shake128", "shake256",
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# OpenSSL's reason strings for what OCSP_check_validity refuses (ocsp_err.c).
_VALIDITY_REASONS = {
    "this_update_in_future": "status not yet valid",
    "too_old": "status too old",
    "next_update_in_past": "status expired",
    "next_update_before_this_update": "nextupdate before thisupdate",
}
_HOLD_INSTRUCTION_CODE = "2.5.29.23"  # id-ce-holdInstructionCode (RFC 5280 5.3.2, historic)


def _time_text(value: _dt.datetime) -> str:
    """ASN1_GENERALIZEDTIME_print's layout: ``Nov 20 23:37:46 2026 GMT`` (fractions kept)."""
    value = value.astimezone(UTC)
    fraction = f".{value.microsecond:06d}".rstrip("0") if value.microsecond else ""
    return (
        f"{_MONTHS[value.month - 1]} {value.day:2d} {value.hour:02d}:{value.minute:02d}:{value.second:02d}"
        f"{fraction} {value.year} GMT"
    )



# ------------------------------------------------------------------------------------------------
# OpenSSL's CA database (index.txt), as apps/lib/apps.c load_index / index_index read it


def _read_index(path: str) -> Any:
    """load_index: the file, read as ``openssl ocsp -index`` reads it (ocspkit.responder.index)."""
    from ..errors import StoreError
    from ..responder.index import read_index

    try:
        return read_index(path)
    except StoreError as exc:
        text = str(exc)
        if text.startswith("Problem with index file: "):
            where, _, detail = text[len("Problem with index file: "):].partition(": ")
            fail(f"Problem with index file: {where}", detail)
        fail(text)


# ------------------------------------------------------------------------------------------------
# HTTP: ocspkit.http's client, POST as openssl ocsp sends


def _http_send(
    host: str, port: Optional[str], path: str, use_ssl: bool, body: bytes,
    headers: Sequence[Tuple[str, str]], timeout: float, method: str = "POST",
) -> bytes:
    """Send a DER request (RFC 6960 A.1; POST as openssl ocsp does, or GET / auto) and return the
    body of the reply; TransportError otherwise."""
    from ..http import fetch

    netloc = host
    if port is not None:
        if ":" in host and not host.startswith("["):
            netloc = f"[{host}]"
        netloc += f":{port}"
    url = f"{'https' if use_ssl else 'http'}://{netloc}{path if path.startswith('/') else '/' + path}"
    try:
        return fetch(body, url, method=method, timeout=timeout, headers=list(headers))
    except OCSPError as exc:
        if isinstance(exc, TransportError):
            raise
        raise TransportError(f"{url}: {exc}") from None


def _parse_url(url: str) -> Tuple[str, Optional[str], str, bool]:
    """OSSL_HTTP_parse_url: host, port, path (default ``/``) and whether it is https."""
    import urllib.parse

    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        fail(f"Error parsing URL {url}", exc)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        fail(f"Error parsing URL {url}", "expected http://host[:port][/path] or https://...")
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return host, None if port is None else str(port), path, parts.scheme.lower() == "https"


# ------------------------------------------------------------------------------------------------
# Trust store (setup_verify: -CAfile, -CApath, -CAstore and OpenSSL's defaults)

_DIR_CACHE: Dict[Tuple[str, float], List[TrustedCertificate]] = {}


def _load_dir(path: str) -> List[TrustedCertificate]:
    """The certificates of an OpenSSL hashed directory (``<hash>.<n>`` files, as c_rehash names
    them); unreadable files are skipped, as X509_LOOKUP_hash_dir skips them."""
    try:
        key = (os.path.realpath(path), os.stat(path).st_mtime)
    except OSError:
        return []
    if key not in _DIR_CACHE:
        from ..verify import load_trusted_certificates

        hashed_name = re.compile(r"^[0-9a-f]{8}\.[0-9]+$")
        found: List[TrustedCertificate] = []
        for name in sorted(os.listdir(path)):
            if hashed_name.match(name):
                try:
                    found.extend(load_trusted_certificates(os.path.join(path, name)))
                except (OCSPError, OSError):
                    continue
        _DIR_CACHE[key] = found
    return _DIR_CACHE[key]


def _default_paths() -> Tuple[str, str]:
    import ssl

    paths = ssl.get_default_verify_paths()
    cafile = os.environ.get(paths.openssl_cafile_env) or paths.openssl_cafile
    capath = os.environ.get(paths.openssl_capath_env) or paths.openssl_capath
    return cafile, capath


# ------------------------------------------------------------------------------------------------
# Messages as openssl reads them (d2i_OCSP_REQUEST, d2i_OCSP_RESPONSE, OCSP_response_get1_basic)
#
# openssl prints (-req_text, -resp_text) and acts on what it reads; ocspkit's loaders refuse a few
# things openssl reads (an explicit v2, an unknown critical extension, a responseStatus RFC 6960
# does not define) and accept one it refuses (a non-minimal INTEGER). So the text is printed from
# the bytes by ocspkit.text, which reads what openssl reads, and the library's views are used
# for everything else: where ocspkit refuses what openssl reads, printing works and verifying or
# checking statuses fails with one line.

_BASIC = "1.3.6.1.5.5.7.48.1.1"  # id-pkix-ocsp-basic
_VOID = "Void"


def _illegal_integer(contents: bytes) -> Optional[str]:
    """Why OpenSSL's c2i_ibuf refuses an INTEGER / ENUMERATED, or None."""
    if not contents:
        return "an empty INTEGER"
    if len(contents) == 1:
        return None
    negative = contents[0] & 0x80
    pad = contents[0] == 0 or (contents[0] == 0xFF and any(contents[1:]))
    if pad and negative == contents[1] & 0x80:
        return "an INTEGER with a redundant leading octet (OpenSSL's \"illegal padding\")"
    return None


def _status_int(contents: bytes) -> int:
    """What apps/ocsp.c holds in ``int i = OCSP_response_status(resp)``: ASN1_ENUMERATED_get
    (a C long; 0xffffffff beyond 8 octets of magnitude, -1 outside a long), cut to a C int."""
    value = int.from_bytes(contents, "big", signed=True)
    if (abs(value).bit_length() + 7) // 8 > 8:
        value = 0xFFFFFFFF
    elif not -(1 << 63) <= value < 1 << 63:
        value = -1
    return (value + (1 << 31)) % (1 << 32) - (1 << 31)


class _Unreadable(ValueError):
    """What d2i_OCSP_RESPONSE refuses; ``padding`` when it is the responseStatus's encoding."""

    def __init__(self, message: str, padding: bool = False) -> None:
        super().__init__(message)
        self.padding = padding


@dataclasses.dataclass
class _Request:
    """A request: ``der`` as read with -reqin (None once rebuilt), and ocspkit's view of it."""

    der: Optional[bytes]
    view: Optional[OCSPRequest]
    refused: Optional[OCSPError] = None  # why load_request refused what openssl reads
    path: str = ""

    def text(self) -> str:
        printer = text_module()
        return str(printer.request_text(self.der if self.der is not None else self.view))

    def encoded(self) -> bytes:
        if self.der is not None:
            return self.der
        assert self.view is not None
        return self.view.dump()

    def usable(self) -> OCSPRequest:
        """The view, for anything but printing and copying the request."""
        if self.view is None:
            fail(f"Cannot use the OCSP request from {self.path} (ocspkit only prints it)", self.refused)
        return self.view


def _read_request(path: str) -> _Request:
    """-reqin: what d2i_OCSP_REQUEST reads (else "Error reading OCSP request"), and the view."""
    data = read_file(path, "OCSP request")
    failure = f"Error reading OCSP request from {path}"
    try:
        der = to_der(data, (REQUEST_PEM,), "OCSP request")
    except OCSPError as exc:
        fail(failure, exc)
    view: Optional[OCSPRequest] = None
    refused: Optional[OCSPError] = None
    try:
        view = load_request(der)
    except OCSPError as exc:
        refused = exc
    if view is None or view.deviations:
        # Whether openssl reads it: ocspkit.text reads exactly that (and refuses what openssl
        # refuses, such as a non-minimal INTEGER the loader accepted with a deviation).
        try:
            text_module().request_text(der)
        except OCSPError as exc:
            fail(failure, exc if view is not None else refused)
    return _Request(der, view, refused, path)


@dataclasses.dataclass
class _Response:
    """A response as d2i_OCSP_RESPONSE reads it: its DER, responseStatus and responseType (the
    outer SEQUENCE; the BasicOCSPResponse inside is only decoded when needed, as openssl does),
    and ocspkit's view when load_response accepts it."""

    der: bytes
    status: int
    response_type: Optional[str]
    view: Optional[OCSPResponse]
    refused: Optional[OCSPError] = None  # why load_response refused it
    status_contents: bytes = b""  # the responseStatus ENUMERATED's contents octets
    from_file: bool = True  # print from ``der`` (else from the view ocspkit made)
    _basic_problem: Optional[str] = dataclasses.field(default=None, init=False)
    _basic_checked: bool = dataclasses.field(default=False, init=False)

    @classmethod
    def of(cls, view: OCSPResponse) -> _Response:
        return cls(view.dump(), int(view.response_status), view.response_type, view, from_file=False)

    def error_line(self) -> Optional[str]:
        """apps/ocsp.c's ``Responder Error: %s (%d)`` line, or None for a successful status."""
        if self.status == 0:
            return None
        return f"Responder Error: {response_status_str(self.status)} ({self.status})\n"

    def text(self) -> str:
        """OCSP_RESPONSE_print: all of it, or what it prints before OCSP_response_get1_basic
        fails (the status, and ``Response Type: Basic OCSP Response`` without a newline)."""
        printer = text_module()
        if not self.from_file:
            return str(printer.response_text(self.view))
        try:
            return str(printer.response_text(self.der))
        except OCSPError:
            # The BasicOCSPResponse is what openssl cannot read: print the rest, from a
            # response with the same responseStatus and no responseBytes.
            status = b"\x0a" + length_der(len(self.status_contents)) + self.status_contents
            head = str(printer.response_text(b"\x30" + length_der(len(status)) + status))
            if self.response_type is None:
                return head
            return f"{head}    Response Type: {printer.oid_name(self.response_type)}"

    def basic_problem(self) -> Optional[str]:
        """Why OCSP_response_get1_basic would fail ("Error parsing response"), or None."""
        if not self._basic_checked:
            self._basic_checked = True
            self._basic_problem = self._find_basic_problem()
        return self._basic_problem

    def _find_basic_problem(self) -> Optional[str]:
        if self.response_type is None:
            return "the response has no BasicOCSPResponse"
        if self.response_type != _BASIC:
            return f"responseType {self.response_type} is not id-pkix-ocsp-basic (not basic response)"
        if self.view is not None and not self.view.deviations:
            return None
        try:
            text_module().response_text(self.der)
        except OCSPError as exc:
            return f"the BasicOCSPResponse cannot be read: {self.refused or exc}"
        return None

    def usable(self) -> OCSPResponse:
        """The view, to verify the response and read its statuses."""
        if self.view is None:
            fail("Cannot verify this response or read its statuses (ocspkit only prints it)", self.refused)
        return self.view


def _outer_response(der: bytes) -> Tuple[bytes, Optional[str]]:
    """The contents of responseStatus, and responseType, as d2i_OCSP_RESPONSE reads them;
    _Unreadable if it cannot."""
    from .. import asn1 as _asn1

    try:
        tree = _asn1.OCSPResponse.load(der, strict=True)
        status = bytes(tree["response_status"].contents)
        response_bytes = tree["response_bytes"]
        response_type = None
        if response_bytes.__class__.__name__ != _VOID:
            response_type = str(response_bytes["response_type"].dotted)
            bytes(response_bytes["response"].contents)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise _Unreadable(f"malformed OCSPResponse: {one_line(exc)}") from None
    problem = _illegal_integer(status)
    if problem is not None:
        raise _Unreadable(f"responseStatus: {problem}", padding=True)
    return status, response_type


def _read_response(data: bytes, failure: str) -> _Response:
    """A response file (-respin) or HTTP body: ``failure`` (openssl's message) if openssl
    cannot read it."""
    try:
        der = to_der(data, (RESPONSE_PEM,), "OCSP response")
    except OCSPError as exc:
        fail(failure, exc)
    view: Optional[OCSPResponse] = None
    refused: Optional[OCSPError] = None
    try:
        view = load_response(der)
    except OCSPError as exc:
        refused = exc
    try:
        status, response_type = _outer_response(der)
    except _Unreadable as exc:
        fail(failure, exc if exc.padding or refused is None else refused)
    return _Response(der, _status_int(status), response_type, view, refused, status)


# ------------------------------------------------------------------------------------------------
# The engine: apps/ocsp.c ocsp_main, after option parsing


class _Ocsp:
    """The state ``openssl ocsp``'s options set, and what ocsp_main does with it."""

    def __init__(self, subcommand: bool = False) -> None:
        self.subcommand = subcommand  # a subcommand's options (--CAfile), not openssl's (-CAfile)
        self.outfile: Optional[str] = None
        # openssl ocsp waits for ever without -timeout; every ocspkit command waits the library's
        # default (10 s, ocspkit.http.DEFAULT_TIMEOUT), which a command line may lower or raise.
        self.timeout: float = DEFAULT_TIMEOUT
        self.method = "POST"  # what openssl ocsp -url sends; 'send --method' chooses
        self.host: Optional[str] = None
        self.port: Optional[str] = None
        self.path = "/"
        self.use_ssl = False
        self.ignore_err = False
        self.noverify = False
        self.add_nonce = 1  # 0 -no_nonce, 1 default (built requests), 2 -nonce (any request)
        self.resp_no_certs = False
        self.resp_key_id = False
        self.sign_no_certs = False
        # Names of the VerifyFlags set (-no_intern: "NOINTERN", ...): ocspkit.verify, with its
        # crypto, is imported only when a response is verified.
        self.flags: FrozenSet[str] = frozenset()
        self.partial_chain = False
        self.badsig = False
        self.req_text = False
        self.resp_text = False
        self.reqin: Optional[str] = None
        self.respin: Optional[str] = None
        self.signfile: Optional[str] = None
        self.keyfile: Optional[str] = None
        self.sign_certfile: Optional[str] = None
        self.verify_certfile: Optional[str] = None
        self.cafile: Optional[str] = None
        self.capath: Optional[str] = None
        self.castore: Optional[str] = None
        self.no_cafile = False
        self.no_capath = False
        self.no_castore = False
        self.attime: Optional[_dt.datetime] = None
        self.nsec = _DEFAULT_VALIDITY_PERIOD
        self.maxage: Optional[int] = None
        self.reqout: Optional[str] = None
        self.respout: Optional[str] = None
        self.issuer: Optional[Any] = None
        self.issuers: List[Any] = []
        self.certs: List[Tuple[str, Any]] = []  # (file, certificate) of each -cert, for their AIA URLs
        self.cert_id_md: Optional[str] = None
        self.trailing_md = False
        self.ids: List[CertID] = []
        self.names: List[str] = []
        self.index: Optional[str] = None
        self.ca: Optional[str] = None
        self.nmin = 0
        self.ndays = -1
        self.nrequest: Optional[int] = None
        self.rsigner: Optional[str] = None
        self.rkey: Optional[str] = None
        self.passin: Optional[str] = None
        self.rother: Optional[str] = None
        self.rmd: Optional[str] = None
        self.rcid: Optional[str] = None
        self.headers: List[Tuple[str, str]] = []
        # Subcommands only (not reachable from openssl's options):
        self.pem_out = False  # write -reqout / -respout as PEM
        self.ids_are_request = True  # False: -cert/-serial name statuses, build no request (verify)

    # --- what -issuer, -cert, -serial and the digest options do as they are read -------------

    def set_issuer(self, path: str) -> None:
        self.issuer = load_cert(path, "issuer certificate")
        self.issuers.append(self.issuer)

    def set_digest(self, name: str) -> None:
        if self.trailing_md:
            fail("Digest must be before -cert or -serial")
        hashed = hash_name(name)
        if hashed is None:
            fail(f"Unsupported CertID digest {name}", f"ocspkit computes CertIDs with {', '.join(HASHES)}")
        self.cert_id_md = hashed
        self.trailing_md = True

    def add_cert(self, path: str) -> None:
        cert = load_cert(path, "certificate")
        if self.issuer is None:
            fail("No issuer certificate specified")
        try:
            self.ids.append(CertID.from_cert(cert, self.issuer, self.cert_id_md or "sha1"))
        except OCSPError as exc:
            fail("Error Creating OCSP request", exc)
        self.names.append(path)
        self.certs.append((path, cert))
        self.trailing_md = False

    def add_serial(self, text: str) -> None:
        if self.issuer is None:
            fail("No issuer certificate specified")
        serial = parse_serial(text)
        try:
            self.ids.append(CertID.from_issuer(self.issuer, serial, self.cert_id_md or "sha1"))
        except OCSPError as exc:
            fail("Error Creating OCSP request", exc)
        self.names.append(text)
        self.trailing_md = False

    # --- ocsp_main --------------------------------------------------------------------------

    def run(self) -> int:
        if self.trailing_md:
            fail("Digest must be before -cert or -serial")
        building = bool(self.ids) and self.ids_are_request
        if not building and self.reqin is None and self.respin is None and not (self.port and self.index):
            fail("nothing to do: give -cert or -serial with -issuer, -reqin or -respin (-help lists the options)")
        out, close = self._open_out()
        try:
            return self._run(out, building)
        finally:
            if close:
                out.close()

    def _open_out(self) -> Tuple[IO[str], bool]:
        if self.outfile is None or self.outfile == "-":
            return sys.stdout, False
        try:
            return open(self.outfile, "w", encoding="utf-8", errors="surrogateescape"), True
        except OSError as exc:
            fail(f"Can't open \"{self.outfile}\" for writing", exc.strerror or exc)

    def _run(self, out: IO[str], building: bool) -> int:
        err = sys.stderr
        request: Optional[_Request] = None
        builder: Optional[RequestBuilder] = None
        if building:
            builder = RequestBuilder()
            for cert_id in self.ids:
                builder = builder.add_cert_id(cert_id)
        add_nonce = self.add_nonce if (building or self.add_nonce == 2) else 0
        if builder is None and self.reqin is not None:
            request = _read_request(self.reqin)
        if builder is None and request is None and self.port is not None:
            return self._serve()
        responder = self._load_responder()
        index = None
        if self.index is not None:
            if responder is None:
                fail("Responder mode requires certificate, key, and CA.")
            index = _read_index(self.index)
        has_request = builder is not None or request is not None
        if not has_request and (self.signfile or self.reqout or self.host or add_nonce or index is not None):
            fail("Need an OCSP request for this operation!")
        if builder is not None or (request is not None and (add_nonce or self.signfile)):
            view = None if request is None else request.usable()
            request = _Request(None, self._finish_request(builder, view, bool(add_nonce)))
        if self.req_text and request is not None:
            write_text(out, request.text())
            out.flush()
        if self.reqout is not None and request is not None:
            der = request.encoded()
            write_file(self.reqout, pem_armor(der, REQUEST_PEM) if self.pem_out else der, "OCSP request")

        response: _Response
        if index is not None:
            assert request is not None and responder is not None
            response = _Response.of(_make_response(self, request.usable(), index, *responder))
        elif self.host is not None:
            assert request is not None
            try:
                body = _http_send(
                    self.host, self.port, self.path, self.use_ssl, request.encoded(), self.headers, self.timeout,
                    self.method,
                )
            except OCSPError as exc:
                fail("Error querying OCSP responder", exc)
            response = _read_response(body, "Error querying OCSP responder")
        elif self.respin is not None:
            data = read_file(self.respin, "OCSP response")
            response = _read_response(data, f"Error reading OCSP response from {self.respin}")
        else:
            return 0

        if self.respout is not None:
            der = response.der
            write_file(self.respout, pem_armor(der, RESPONSE_PEM) if self.pem_out else der, "OCSP response")
        error_line = response.error_line()
        if error_line is not None:
            out.write(error_line)
            out.flush()
            if not self.ignore_err:
                return 1
        if self.resp_text:
            write_text(out, response.text())
            out.flush()
        if index is not None:
            return 0

        # OpenSSL's defaults are read only to verify (loading them ignores errors, so skipping
        # them changes nothing else); -CAfile / -CApath / -CAstore fail here as openssl fails.
        trusted = self._trust_store(defaults=not self.noverify)
        untrusted = load_certs(self.verify_certfile, "validator certificates") if self.verify_certfile else []
        problem = response.basic_problem()
        if problem is not None:
            fail("Error parsing response", problem)
        if response.view is None and self.noverify and not self.names:
            return 0  # openssl reads it and has nothing more to do with it
        basic = response.usable().basic
        ret = 0
        if not self.noverify:
            if request is not None:
                # OpenSSL compares octet for octet
                from ..nonce import check_nonce

                nonce = check_nonce(request.usable(), basic, exact=True)
                if nonce is NonceCheck.REQUEST_ONLY:
                    err.write("WARNING: no nonce in response\n")
                elif nonce is NonceCheck.MISMATCH:
                    err.write("Nonce Verify error\n")
                    err.flush()
                    return 1
            failure = self._verify(basic, trusted, untrusted)
            if failure is not None:
                err.write("Response Verify Failure\n")
                err.write(f"{PROG}: {one_line(cli_words(str(failure), self.subcommand))}\n")
                ret = 1
            else:
                err.write("Response verify OK\n")
            err.flush()
        if (request is not None or not self.ids_are_request) and not self._summary(out, basic):
            ret = 1
        out.flush()
        return ret

    def _finish_request(
        self, builder: Optional[RequestBuilder], request: Optional[OCSPRequest], add_nonce: bool
    ) -> OCSPRequest:
        """Add the nonce, then sign (OCSP_request_add1_nonce, OCSP_request_sign), as openssl does."""
        if builder is None:
            assert request is not None
            if request.is_signed and not self.signfile:
                fail("cannot add a nonce to a signed request without signing it again (-signer)")
            builder = _builder_from(request, keep_requestor=not self.signfile)
        if add_nonce:
            builder = builder.with_nonce(_OPENSSL_NONCE_LENGTH)
        if not self.signfile:
            return builder.build()
        signer = load_cert(self.signfile, "signer certificate")
        others = load_certs(self.sign_certfile, "signer certificates") if self.sign_certfile else []
        key = load_key(self.keyfile or self.signfile, "signer private key")
        try:
            return builder.sign(
                key, signer, extra_certs=others, include_certs=not self.sign_no_certs, pss=pss_only(key)
            )
        except OCSPError as exc:
            fail("Error signing OCSP request", exc)

    def _serve(self) -> int:
        """-port: run the responder service (ocspkit.responder) on the -index / -CA / -rsigner
        options, as ``openssl ocsp -port`` does; -nrequest stops it after that many requests."""
        if self.index is None:
            fail("Responder mode requires certificate, key, and CA.")
        responder = self._load_responder()
        if responder is None:
            fail("Responder mode requires certificate, key, and CA.")
        rsigner, key, ca_certs, rother = responder
        from ..responder import Issuer, Responder
        from ..responder.index import IndexTxtStore

        _read_index(self.index)  # openssl ocsp -port refuses to start on a bad index
        store = IndexTxtStore(self.index)
        validity = None if self.ndays == -1 else _dt.timedelta(days=self.ndays, minutes=self.nmin)
        digest = signing_digest(self.rmd)
        issuers = [
            Issuer(
                ca, key, store, signer_certificate=rsigner, responder_id="key" if self.resp_key_id else "name",
                certificates=() if self.resp_no_certs else (rsigner, *rother), validity=validity,
                hash_algorithm=digest, pss=pss_only(key),
            )
            for ca in ca_certs
        ]
        try:
            port = int(self.port or "")
        except ValueError:
            fail(f"Invalid port {self.port}")
        # openssl ocsp -port listens on every interface.
        return _run_server(Responder(issuers), "0.0.0.0", port, self.nrequest, presign=False)

    def _load_responder(self) -> Optional[Tuple[Any, PrivateKey, List[Any], List[Any]]]:
        """-rsigner, -rkey (default: the -rsigner file), -CA, -rother, -passin."""
        if self.rsigner is None:
            return None
        rsigner = load_cert(self.rsigner, "responder certificate")
        if self.ca is None:
            fail("Responder mode requires certificate, key, and CA.")
        ca_certs = load_certs(self.ca, "CA certificates")
        rother = load_certs(self.rother, "responder other certificates") if self.rother else []
        key = load_key(self.rkey or self.rsigner, "responder private key", pass_phrase(self.passin))
        return rsigner, key, ca_certs, rother

    def _trust_store(self, defaults: bool = True) -> List[TrustedCertificate]:
        """setup_verify: -CAfile / -CApath / -CAstore, each else OpenSSL's default unless -no-*
        (or not ``defaults``)."""
        if self.cafile is None and self.capath is None and self.castore is None and not defaults:
            return []
        from ..verify import load_trusted_certificates

        default_file, default_dir = _default_paths() if defaults else ("", "")
        store: List[TrustedCertificate] = []
        if self.cafile is not None:
            try:
                store.extend(load_trusted_certificates(self.cafile))
            except OCSPError as exc:
                fail(f"Error loading file {self.cafile}", exc)
        elif defaults and not self.no_cafile and os.path.isfile(default_file):
            # X509_LOOKUP_load_file on the default file: errors are ignored
            with contextlib.suppress(OCSPError):
                store.extend(load_trusted_certificates(default_file))
        if self.capath is not None:
            if not os.path.isdir(self.capath):
                fail(f"Error loading directory {self.capath}", "not a directory")
            store.extend(_load_dir(self.capath))
        elif defaults and not self.no_capath and os.path.isdir(default_dir):
            store.extend(_load_dir(default_dir))
        if self.castore is not None:
            location = self.castore[5:] if self.castore.startswith("file:") else self.castore
            if os.path.isdir(location):
                store.extend(_load_dir(location))
            else:
                try:
                    store.extend(load_trusted_certificates(location))
                except OCSPError as exc:
                    fail(f"Error loading store URI {self.castore}", exc)
        return store

    def _verify(
        self, basic: BasicOCSPResponse, trusted: List[TrustedCertificate], untrusted: List[Any]
    ) -> Optional[OCSPError]:
        """OCSP_basic_verify, then (as apps/ocsp.c) again with the -issuer certificates as
        untrusted ones; the first failure, or None.

        The second try never trusts the -issuer certificates: they help find the signer and build
        its chain, which must still lead to -CAfile / -CApath / -CAstore. OpenSSL passed
        OCSP_TRUSTOTHER there until March 2026 (openssl/openssl#30323: "certificates given via
        -issuer [were] implicitly trusted regardless of verify_flags"), so that a response
        signed by any certificate given with -issuer verified; ocspkit follows the fix.
        """
        from ..verify import VerifyFlags, verify_response

        given = VerifyFlags.NONE
        for name in sorted(self.flags):
            given |= VerifyFlags[name]
        extra = VerifyFlags.PARTIAL_CHAIN if self.partial_chain else VerifyFlags.NONE
        try:
            verify_response(basic, trusted=trusted, untrusted=untrusted, flags=given | extra, now=self.attime)
            return None
        except OCSPError as exc:
            first = exc
        if self.issuers:
            # -trust_other speaks of -verify_other's certificates (tried above), never of -issuer's.
            flags = (given & ~VerifyFlags.TRUSTOTHER) | extra
            try:
                verify_response(basic, trusted=trusted, untrusted=self.issuers, flags=flags, now=self.attime)
                return None
            except OCSPError:
                pass
        return first

    def _summary(self, out: IO[str], basic: BasicOCSPResponse) -> bool:
        """print_ocsp_summary: one block per -cert / -serial; False if one has no status."""
        if not self.names:
            return True
        from ..validity import check_validity

        ok = True
        for name, cert_id in zip(self.names, self.ids):
            out.write(f"{name}: ")
            single = basic.find(cert_id)  # OCSP_resp_find_status: the first exact CertID match
            if single is None:
                out.write("ERROR: No Status found.\n")
                ok = False
                continue
            try:
                check_validity(single.this_update, single.next_update, leeway=self.nsec, max_age=self.maxage)
            except StaleResponse as exc:
                reasons = ", ".join(_VALIDITY_REASONS.get(rule, rule) for rule in exc.rules or (exc.rule or "",))
                out.write("WARNING: Status times invalid.\n")
                out.write(f"{PROG}: {reasons}: {one_line(exc)}\n")
            out.write(f"{cert_status_str(int(single.cert_status))}\n")
            out.write(f"\tThis Update: {_time_text(single.this_update)}\n")
            if single.next_update is not None:
                out.write(f"\tNext Update: {_time_text(single.next_update)}\n")
            if single.cert_status is not CertStatus.REVOKED:
                continue
            if single.revocation_reason is not None:
                out.write(f"\tReason: {crl_reason_str(int(single.revocation_reason))}\n")
            if single.revocation_time is not None:
                out.write(f"\tRevocation Time: {_time_text(single.revocation_time)}\n")
        return ok


def _builder_from(request: OCSPRequest, keep_requestor: bool) -> RequestBuilder:
    """A builder holding what ``request`` asks (to add a nonce to, or sign, a request read with
    -reqin): its CertIDs, service locators, extensions and (unless re-signed) requestorName."""
    builder = RequestBuilder()
    for single in request.requests:
        locator = None
        for extension in single.extensions:
            if extension.name != "service_locator":
                fail(f"cannot rebuild a request whose singleRequestExtensions hold {extension.name}")
            locator = extension
        builder = builder.add_cert_id(single.cert_id, service_locator=locator)
    for extension in request.extensions:
        builder = builder.with_extension(extension)
    if keep_requestor and request.requestor_name is not None:
        builder = builder.with_requestor_name(request.requestor_name)
    return builder


def _make_response(
    job: _Ocsp, request: OCSPRequest, index: Any, rsigner: Any, key: PrivateKey,
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
                (_HOLD_INSTRUCTION_CODE, oid_der(info.hold_instruction), False)]
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


# ------------------------------------------------------------------------------------------------
# The openssl-compatible option parser (apps/lib/opt.c semantics)


@dataclasses.dataclass(frozen=True)
class _Opt:
    kind: str  # "-" flag, "s" string, "<" input file, ">" output file, "p" positive int,
    #            "n" non-negative int, "u" unsigned long, "M" intmax
    help: str
    apply: Callable[[_Ocsp, str], None]


def _flag(name: str, value: Any = True) -> Callable[[_Ocsp, str], None]:
    return lambda job, _arg: setattr(job, name, value)


def _field(name: str, convert: Callable[[str], Any] = str) -> Callable[[_Ocsp, str], None]:
    return lambda job, arg: setattr(job, name, convert(arg))


def _add_flag(flag: str) -> Callable[[_Ocsp, str], None]:
    """Set the VerifyFlags member named ``flag``."""

    def apply(job: _Ocsp, _arg: str) -> None:
        job.flags |= {flag}

    return apply


def _set_text(job: _Ocsp, _arg: str) -> None:
    job.req_text = job.resp_text = True


def _set_vafile(job: _Ocsp, arg: str) -> None:
    job.verify_certfile = arg
    job.flags |= {"TRUSTOTHER"}


def _set_url(job: _Ocsp, arg: str) -> None:
    job.host, job.port, job.path, job.use_ssl = _parse_url(arg)


def _set_header(job: _Ocsp, arg: str) -> None:
    name, sep, value = arg.partition("=")
    if not sep:
        fail("Missing = in header key=value")
    job.headers.append((name, value))


def _set_nmin(job: _Ocsp, arg: str) -> None:
    job.nmin = int(arg)
    if job.ndays == -1:
        job.ndays = 0


def _set_attime(job: _Ocsp, arg: str) -> None:
    try:
        job.attime = _dt.datetime.fromtimestamp(int(arg), UTC)
    except (OverflowError, OSError, ValueError) as exc:
        fail(f"-attime {arg} is out of range", exc)


def _set_digest_name(attr: str) -> Callable[[_Ocsp, str], None]:
    def apply(job: _Ocsp, arg: str) -> None:
        if hash_name(arg) is None:
            fail(f"Unsupported digest {arg}", f"ocspkit supports {', '.join(HASHES)}")
        setattr(job, attr, arg)

    return apply


def _nonce(job: _Ocsp, _arg: str) -> None:
    job.add_nonce = 2


def _no_nonce(job: _Ocsp, _arg: str) -> None:
    job.add_nonce = 0


def _noop(_job: _Ocsp, _arg: str) -> None:
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
    "nmin": _Opt("p", "Number of minutes before next update", _set_nmin),
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
    "rmd": _Opt("s", "Digest Algorithm to use in signature of OCSP response", _set_digest_name("rmd")),
    "header": _Opt("s", "key=value header to add", _set_header),
    "rcid": _Opt("s", "Use specified algorithm for cert id in response", _set_digest_name("rcid")),
    # Client
    "url": _Opt("s", "Responder URL", _set_url),
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
    "attime": _Opt("M", "verification epoch time", _set_attime),
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
    job = _Ocsp()
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
    group.add_argument("--validity-period", type=int, default=_DEFAULT_VALIDITY_PERIOD, metavar="SECONDS",
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


def _apply_names(job: _Ocsp, ns: argparse.Namespace) -> None:
    if ns.hash:
        job.cert_id_md = ns.hash
    for kind, value in ns.items:
        if kind == "issuer":
            job.set_issuer(value)
        elif kind == "cert":
            job.add_cert(value)
        else:
            job.add_serial(value)


def _apply_request_options(job: _Ocsp, ns: argparse.Namespace) -> None:
    job.add_nonce = 1 if ns.nonce else 0
    job.signfile, job.keyfile, job.sign_certfile = ns.signer, ns.signkey, ns.sign_other
    job.sign_no_certs = ns.no_certs


def _apply_trust_options(job: _Ocsp, ns: argparse.Namespace) -> None:
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
        _set_attime(job, str(ns.attime))
    if ns.validity_period < 0:
        fail("--validity-period must not be negative")
    job.nsec = ns.validity_period
    if ns.status_age is not None and ns.status_age <= 0:
        fail("--status-age must be positive")
    job.maxage = ns.status_age


def _cmd_request(ns: argparse.Namespace) -> int:
    job = _Ocsp(subcommand=True)
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


def _aia_url(job: _Ocsp) -> str:
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
    job = _Ocsp(subcommand=True)
    _apply_names(job, ns)
    _set_url(job, ns.url if ns.url is not None else _aia_url(job))
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
        _set_header(job, header)
    job.timeout = parse_seconds(ns.timeout, "--timeout") if ns.timeout is not None else DEFAULT_TIMEOUT
    job.method = ns.method
    job.reqout, job.respout, job.pem_out = ns.reqout, ns.respout, ns.pem
    job.req_text = job.resp_text = ns.text
    job.noverify = ns.noverify
    return job.run()


def _cmd_verify(ns: argparse.Namespace) -> int:
    job = _Ocsp(subcommand=True)
    job.respin = ns.response
    job.ids_are_request = False
    _apply_names(job, ns)
    _apply_trust_options(job, ns)
    job.reqin = ns.reqin
    job.add_nonce = 0
    job.resp_text = ns.text
    return job.run()


def _cmd_sign(ns: argparse.Namespace) -> int:
    job = _Ocsp(subcommand=True)
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
        _set_nmin(job, str(ns.nmin))
    if ns.rmd is not None:
        _set_digest_name("rmd")(job, ns.rmd)
    if ns.rcid is not None:
        _set_digest_name("rcid")(job, ns.rcid)
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


def _run_server(
    responder: Any, host: str, port: int, nrequest: Optional[int], *, presign: bool, **options: Any
) -> int:
    """Start the service (uvicorn) and block until it stops; pre-sign known serials first.
    ``options`` go to :func:`ocspkit.responder.server.run` (``http``, ``request_timeout``)."""
    from ..responder.server import run

    if presign:
        _presign(responder)
    run(responder, host=host, port=port, limit_max_requests=nrequest, **options)
    return 0


def _presign(responder: Any) -> None:
    count = responder.presign()
    sys.stderr.write(f"{PROG}: pre-signed {count} responses\n")
    sys.stderr.flush()


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
            _presign(responder)
    # Logging starts once the service is ready to run, so a refusal stays one line on stderr.
    handler = configure_logging(ns.log_level, ns.log_format)
    for record in held:
        handler.handle(record)
    host = ns.host if ns.host is not None else settings.host
    port = ns.port if ns.port is not None else settings.port
    nrequest = ns.nrequest if ns.nrequest is not None else settings.limit_max_requests
    return _run_server(responder, host, port, nrequest, presign=False, http=ns.http,
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
