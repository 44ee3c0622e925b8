"""The state ``openssl ocsp``'s options set, and the setters both modes share: what the engine runs.

Apart from the engine (:mod:`ocspkit.cli.engine`), so that the steps the engine calls
(summary, trust, the -index responder) can name the state they read without importing the
engine that imports them.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, FrozenSet, List, Optional, Tuple

from .._defaults import DEFAULT_TIMEOUT
from ..certid import DEFAULT_CERTID_HASH, CertID
from ..errors import OCSPError
from ._common import (
    DEFAULT_VALIDITY_PERIOD,
    HASHES,
    UTC,
    fail,
    hash_name,
    load_cert,
    serial_number,
)

__all__ = ["OcspOptions"]




class OcspOptions:
    """The state ``openssl ocsp``'s options set (the subcommands set the same): what
    :class:`ocspkit.cli.engine.Ocsp` runs."""

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
        self.nsec = DEFAULT_VALIDITY_PERIOD
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

    # --- what the options do as they are read ----------------------------------------------

    def set_issuer(self, path: str) -> None:
        """-issuer: the issuer of the -cert / -serial options that follow (and a certificate that may
        help verify the response)."""
        self.issuer = load_cert(path, "issuer certificate")
        self.issuers.append(self.issuer)

    def set_digest(self, name: str) -> None:
        """-sha1, -sha256, ...: the CertID hash of the -cert / -serial options that follow."""
        if self.trailing_md:
            fail("Digest must be before -cert or -serial")
        hashed = hash_name(name)
        if hashed is None:
            fail(f"Unsupported CertID digest {name}", f"ocspkit computes CertIDs with {', '.join(HASHES)}")
        self.cert_id_md = hashed
        self.trailing_md = True

    def add_cert(self, path: str) -> None:
        """-cert: ask about this certificate (a CertID from it and the last -issuer)."""
        cert = load_cert(path, "certificate")
        if self.issuer is None:
            fail("No issuer certificate specified")
        try:
            self.ids.append(CertID.from_cert(cert, self.issuer, self.cert_id_md or DEFAULT_CERTID_HASH))
        except OCSPError as exc:
            fail("Error Creating OCSP request", exc)
        self.names.append(path)
        self.certs.append((path, cert))
        self.trailing_md = False

    def add_serial(self, text: str) -> None:
        """-serial: ask about this serial number of the last -issuer."""
        if self.issuer is None:
            fail("No issuer certificate specified")
        serial = serial_number(text)
        try:
            self.ids.append(CertID.from_issuer(self.issuer, serial, self.cert_id_md or DEFAULT_CERTID_HASH))
        except OCSPError as exc:
            fail("Error Creating OCSP request", exc)
        self.names.append(text)
        self.trailing_md = False

    def set_url(self, url: str) -> None:
        """-url: the responder's host, port, path and scheme."""
        from .transport import parse_url  # lazy: only -url speaks HTTP

        self.host, self.port, self.path, self.use_ssl = parse_url(url)

    def add_header(self, arg: str) -> None:
        """-header name=value."""
        name, sep, value = arg.partition("=")
        if not sep:
            fail("Missing = in header key=value")
        self.headers.append((name, value))

    def set_nmin(self, arg: str) -> None:
        """-nmin: minutes to nextUpdate (-ndays defaults to 0 then)."""
        self.nmin = int(arg)
        if self.ndays == -1:
            self.ndays = 0

    def set_attime(self, arg: str) -> None:
        """-attime: the time to verify at, in seconds since the epoch."""
        try:
            self.attime = _dt.datetime.fromtimestamp(int(arg), UTC)
        except (OverflowError, OSError, ValueError) as exc:
            fail(f"-attime {arg} is out of range", exc)

    def set_digest_name(self, attr: str, arg: str) -> None:
        """-rmd / -rcid (``attr``): a digest name ocspkit knows, kept as given."""
        if hash_name(arg) is None:
            fail(f"Unsupported digest {arg}", f"ocspkit supports {', '.join(HASHES)}")
        setattr(self, attr, arg)
