"""OCSP situations on demand: a good answer, a revoked one, an expired one, one signed by a
responder nobody authorized, a broken signature, a wrong nonce, BER, every error status...

::

    from ocspkit.testing import TestPKI

    pki = TestPKI("ec")
    scenario = pki.scenario("revoked", reason="key_compromise")
    scenario.response_der          # the OCSP response (bytes), to staple or to serve
    scenario.cert, scenario.issuer # the certificate it is about and its issuer (CertifiedKey)
    scenario.expected.error        # None: a client must accept it; else the ocspkit exception name
    with scenario.files() as files:  # response.der, cert.pem, issuer.pem, root.pem (+ request.der)
        ...

Sans-I/O with a fixed clock: every time in a response is placed relative to ``now`` (default:
the current time), so the same call with the same ``now`` describes the same situation. Each
scenario states what it intends (:class:`Expected`): what :func:`ocspkit.check_status` returns or
raises, and what ``openssl ocsp -respin`` prints (:class:`OpenSSLExpectation`), both for a client
that trusts the PKI's root and knows the issuer. :data:`SCENARIOS` lists every name, and
:data:`VARIANTS` every name with the options that matter (each revocation reason).

The responses are assembled here (not with :class:`ocspkit.ResponseBuilder`, which only writes
what RFC 6960 allows): fractional seconds, foreign responder IDs, BER lengths and broken
signatures need the bytes in hand.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple, Type

from .. import crypto, errors
from .._util import to_utc
from .._writers import tlv as _tlv
from ..asn1 import OID
from ..certid import CertID
from ..enums import CertStatus, ResponseStatus, RevocationReason, response_status_str
from ..errors import OCSPError, OCSPValueError
from ..request import OCSPRequest, RequestBuilder, load_request
from ..response import OCSPResponse, load_response, unsuccessful_response
from ..verify import CertificateStatus, Verdict, check_status, verify_response
from ._values import UNSUCCESSFUL, cert_status, revocation_reason
from .pki import Blob, CertifiedKey, PathLike, TestPKI, pem_blob, write_file

__all__ = [
    "SCENARIOS",
    "VARIANTS",
    "Expected",
    "OpenSSLExpectation",
    "Scenario",
    "ScenarioFactory",
    "ScenarioFiles",
    "ScenarioInfo",
    "make_scenario",
]

_UTC = _dt.timezone.utc

# The validity window of a current answer: thisUpdate now, nextUpdate a day later, as
# `openssl ocsp -ndays 1` writes and RFC 5019 responders pre-produce.
DEFAULT_VALIDITY = _dt.timedelta(days=1)
# How far a stale answer is off: an hour, far beyond the five minutes of leeway both OpenSSL
# (MAX_VALIDITY_PERIOD) and ocspkit (DEFAULT_LEEWAY) allow for clock skew.
_OFF = _dt.timedelta(hours=1)


# ------------------------------------------------------------------------------------------------
# What a scenario intends


@dataclasses.dataclass(frozen=True)
class OpenSSLExpectation:
    """What ``openssl ocsp -respin response.der -CAfile root.pem -issuer issuer.pem -cert
    cert.pem`` prints for a scenario (see :meth:`Scenario.openssl_args`).

    ``verified``: True for "Response verify OK", False for "Response Verify Failure", None when
    openssl stops before verifying (an error status, a nonce that differs). ``status``: the status
    it prints for the certificate ("good", "revoked", "unknown"), None when it prints none (no
    SingleResponse for it, or it stopped early). ``message``: text that must appear in its output
    (an error reason such as "signature failure", a warning such as "status expired"), or None.
    ``exit_code``: its exit status.

    OpenSSL prints the status even after a failed verification, and exits 0 with a warning for a
    stale answer or a missing nonce: that is why ``status`` alone says nothing about acceptance.
    """

    verified: Optional[bool]
    status: Optional[str]
    message: Optional[str]
    exit_code: int


@dataclasses.dataclass(frozen=True)
class Expected:
    """What a scenario intends.

    ``status``: what :func:`ocspkit.check_status` (and any correct client) concludes, or None
    when the response must be refused. ``error``: the name of the :mod:`ocspkit.errors` class
    ``check_status`` raises (``"StaleResponse"``, ``"SignatureError"`` ...), or None.
    ``revocation_reason``: the reason a revoked answer carries. ``openssl``: what the
    reference implementation says.
    """

    status: Optional[CertStatus]
    error: Optional[str]
    revocation_reason: Optional[RevocationReason]
    openssl: OpenSSLExpectation

    @property
    def valid(self) -> bool:
        """Whether a client may rely on the response (it verifies, is current and matches)."""
        return self.error is None

    @property
    def error_class(self) -> Optional[Type[OCSPError]]:
        """The exception class named by :attr:`error`."""
        if self.error is None:
            return None
        cls: Type[OCSPError] = getattr(errors, self.error)
        return cls


@dataclasses.dataclass(frozen=True)
class ScenarioInfo:
    """One entry of :data:`SCENARIOS`: a name, what it shows, and the preset behind it."""

    name: str
    description: str
    #: Options preset by the name (internal knobs and public options alike).
    preset: Mapping[str, Any]
    #: The defect a client must notice (None: the response is fine).
    defect: Optional[str] = None


def _info(name: str, description: str, defect: Optional[str] = None, **preset: Any) -> ScenarioInfo:
    return ScenarioInfo(name, description, preset, defect)


_CATALOG: Tuple[ScenarioInfo, ...] = (
    _info("good", "a current, correctly signed answer: good"),
    _info("revoked", "revoked an hour ago; reason= any CRLReason (default: no reasonCode)", status="revoked"),
    _info("unknown", "the responder does not know the certificate", status="unknown"),
    _info("expired", "nextUpdate an hour in the past", "expired", timing="expired"),
    _info("not-yet-valid", "thisUpdate an hour in the future", "not-yet-valid", timing="not-yet-valid"),
    _info("no-next-update", "no nextUpdate (newer information is always available, RFC 6960 4.2.2.1)",
          timing="no-next-update"),
    _info("ca-signed", "signed by the issuing CA itself", signer="ca"),
    _info("delegated", "signed by a responder the CA delegated to (id-kp-OCSPSigning, ocsp-nocheck)",
          signer="responder"),
    _info("unauthorized-signer", "signed by an OCSP signing certificate the CA did not delegate to "
          "(the root issued it)", "unauthorized", signer="unauthorized"),
    _info("responder-without-eku", "signed by a certificate of the CA without id-kp-OCSPSigning",
          "no-eku", signer="no-eku"),
    _info("bad-signature", "the signature does not verify (one octet flipped)", "bad-signature",
          bad_signature=True),
    _info("wrong-responder-id", "the responder ID names a responder nobody knows", "wrong-responder-id",
          wrong_responder_id=True),
    _info("other-certid", "the only SingleResponse is about another certificate", "certid-mismatch",
          other_certid=True),
    _info("multiple", "several SingleResponses: the certificate's among two others (revoked, unknown)",
          others=("revoked", "unknown")),
    _info("sha256-certid", "CertIDs with SHA-256 hashes", certid_hash="sha256"),
    _info("responder-id-by-key", "the responder identified by the SHA-1 of its key", responder_id="key"),
    _info("nonce", "the request carries a nonce and the response echoes it", nonce="echo"),
    _info("nonce-missing", "the request carries a nonce, the response none", "nonce-missing", nonce="missing"),
    _info("nonce-wrong", "the response carries another nonce than the request", "nonce-wrong", nonce="wrong"),
    _info("fractional-seconds", "producedAt, thisUpdate and nextUpdate with fractional seconds "
          "(valid DER, which RFC 5280 forbids in certificates)", timing="fractional"),
    _info("ber-indefinite-length", "the envelope (OCSPResponse, responseBytes, BasicOCSPResponse) in "
          "indefinite-length BER", envelope="indefinite"),
    _info("ber-long-form-length", "the envelope with lengths in non-minimal long form (BER)",
          envelope="long-form"),
    _info("ber-constructed-octet-string", "responseBytes.response as a constructed OCTET STRING (BER)",
          envelope="constructed"),
    *(
        _info(name, f"responseStatus {status.name.lower()} ({int(status)}): no responseBytes",
              "unsuccessful", response_status=status)
        for name, status in UNSUCCESSFUL.items()
    ),
)

#: Every scenario name, with what it shows.
SCENARIOS: Mapping[str, ScenarioInfo] = {info.name: info for info in _CATALOG}

#: Every scenario worth checking on its own: ``(id, name, options)``, each revocation reason
#: included (``("revoked-keyCompromise", "revoked", {"reason": RevocationReason.KEY_COMPROMISE})``).
VARIANTS: Tuple[Tuple[str, str, Mapping[str, Any]], ...] = (
    *((name, name, {}) for name in SCENARIOS),
    *((f"revoked-{reason.asn1_name}", "revoked", {"reason": reason}) for reason in RevocationReason),
)

# The defects: what check_status raises, and what openssl does (verified, prints a status,
# message, exit status). "status" True means openssl prints the scenario's status (with -cert:
# scenarios without a request). The messages of its summary (validity warnings, "No Status
# found") are printed with -cert only.
_DEFECTS: Dict[Optional[str], Tuple[Optional[str], Optional[bool], bool, Optional[str], int]] = {
    None: (None, True, True, None, 0),
    "expired": ("StaleResponse", True, True, "status expired", 0),
    "not-yet-valid": ("StaleResponse", True, True, "status not yet valid", 0),
    "unauthorized": ("ResponderNotAuthorized", False, True, "root ca not trusted", 1),
    "no-eku": ("ResponderNotAuthorized", False, True, "missing ocspsigning usage", 1),
    "bad-signature": ("SignatureError", False, True, "signature failure", 1),
    "wrong-responder-id": ("SignerNotFound", False, True, "signer certificate not found", 1),
    "certid-mismatch": ("CertIDMismatch", True, False, "No Status found", 1),
    "nonce-missing": ("NonceMismatch", True, True, "WARNING: no nonce in response", 0),
    "nonce-wrong": ("NonceMismatch", None, False, "Nonce Verify error", 1),
    "unsuccessful": ("UnsuccessfulResponse", None, False, "Responder Error", 1),
}

_SUMMARY_MESSAGES = ("status expired", "status not yet valid", "No Status found")

_PUBLIC_OPTIONS = (
    "cert", "request", "status", "reason", "revocation_time", "certid_hash", "responder_id", "certs",
    "hash_algorithm", "validity", "signer",
)


# ------------------------------------------------------------------------------------------------
# The scenario


@dataclasses.dataclass(frozen=True)
class ScenarioFiles:
    """Where :meth:`Scenario.write` put a scenario (PEM certificates, DER messages)."""

    directory: Path
    response: Path  #: response.der
    request: Optional[Path]  #: request.der, when the scenario has a request
    cert: Path  #: cert.pem: the certificate asked about
    issuer: Path  #: issuer.pem: its issuer
    root: Path  #: root.pem: the trust anchor
    chain: Path  #: chain.pem: the certificate, its issuer and the root


@dataclasses.dataclass(frozen=True)
class Scenario:
    """One OCSP situation: the response (and request), who it is about, and what it intends.

    Judge it as the scenario intends with :meth:`check_status` (ocspkit) or
    :meth:`openssl_args` (the reference); hand ``response_der`` to the code under test.
    """

    name: str
    description: str
    #: The OCSP response, DER (BER for the ``ber-*`` scenarios).
    response_der: Blob
    #: The request it answers (nonce scenarios, or the one you passed), DER; else None.
    request_der: Optional[Blob]
    #: The certificate the response is about, with its key.
    cert: CertifiedKey
    #: Its issuer.
    issuer: CertifiedKey
    #: The PKI (its root is the trust anchor).
    pki: TestPKI = dataclasses.field(repr=False, compare=False)
    #: The moment the scenario is meant to be judged at.
    now: _dt.datetime
    #: What a client should conclude, and what OpenSSL says.
    expected: Expected
    #: The hash of the response's CertIDs ("sha1" unless asked otherwise).
    certid_hash: str = "sha1"
    #: Who signed (None for an error status).
    signer: Optional[CertifiedKey] = dataclasses.field(default=None, repr=False)

    def __repr__(self) -> str:
        # Short: the dataclass repr held the response, the request and the PKI.
        outcome = self.expected.error or str(self.expected.status)
        return f"<Scenario {self.name!r}: {outcome}>"

    @property
    def response_pem(self) -> Blob:
        """The response, PEM (``-----BEGIN OCSP RESPONSE-----``)."""
        return pem_blob(self.response_der, "OCSP RESPONSE")

    @property
    def request_pem(self) -> Optional[Blob]:
        """The request, PEM, or None."""
        return None if self.request_der is None else pem_blob(self.request_der, "OCSP REQUEST")

    @property
    def response(self) -> OCSPResponse:
        """The response, parsed by :func:`ocspkit.load_response` (leniently: BER is fine)."""
        return load_response(self.response_der)

    @property
    def request(self) -> Optional[OCSPRequest]:
        """The request, parsed, or None."""
        return None if self.request_der is None else load_request(self.request_der)

    @property
    def cert_id(self) -> CertID:
        """The CertID of :attr:`cert` in the scenario's hash."""
        return CertID.from_cert(self.cert.certificate, self.issuer.certificate, self.certid_hash)

    @property
    def trusted(self) -> Tuple[Any, ...]:
        """The trust anchors the scenario is judged with: the PKI's root."""
        return (self.pki.root.certificate,)

    # -- judging ----------------------------------------------------------------------------------

    def check_status(self, **options: Any) -> CertificateStatus:
        """:func:`ocspkit.check_status` as a client that trusts the root, knows the issuer and
        sent :attr:`request_der` would call it, at :attr:`now`. Returns the status when the
        scenario is valid and raises ``expected.error`` otherwise; ``options`` override."""
        arguments: Dict[str, Any] = {"request": self.request_der, "trusted": self.trusted, "now": self.now}
        arguments.update(options)
        return check_status(self.response_der, self.cert.certificate, self.issuer.certificate, **arguments)

    def verify_response(self, **options: Any) -> Verdict:
        """:func:`ocspkit.verify_response` (OCSP_basic_verify: signature, signer, authorization)
        with the root trusted and the issuer as an untrusted certificate, at :attr:`now`."""
        arguments: Dict[str, Any] = {
            "trusted": self.trusted, "untrusted": (self.issuer.certificate,), "now": self.now,
        }
        arguments.update(options)
        return verify_response(self.response_der, **arguments)

    def openssl_args(self, files: ScenarioFiles, openssl: str = "openssl") -> List[str]:
        """The ``openssl ocsp`` command line that judges this scenario as intended: the root as
        the only trust anchor (``-CAfile``, no default store), the issuer as an untrusted
        certificate, ``-attime`` at :attr:`now`; then either the certificate named (``-issuer``,
        ``-cert``: openssl prints its status) or, when the scenario has a request, ``-reqin`` (openssl
        checks the nonce; it ignores ``-reqin`` when ``-cert`` is given, so prints no status).

        OpenSSL checks thisUpdate/nextUpdate against the wall clock, not ``-attime``: judge
        scenarios made for the current time.
        """
        args = [
            openssl, "ocsp", "-respin", str(files.response), "-CAfile", str(files.root),
            "-no-CApath", "-no-CAstore", "-verify_other", str(files.issuer),
            "-attime", str(int(self.now.timestamp())), "-no_nonce",
        ]
        if files.request is not None:
            return [*args, "-reqin", str(files.request)]
        # The CertID hash comes before -cert: openssl takes it for the -cert options after it.
        return [*args, "-issuer", str(files.issuer), f"-{self.certid_hash}", "-cert", str(files.cert)]

    # -- files ------------------------------------------------------------------------------------

    def write(self, directory: PathLike) -> ScenarioFiles:
        """Write response.der (+ request.der), cert.pem, issuer.pem, root.pem and chain.pem to
        ``directory`` (created if needed)."""
        base = Path(directory)
        base.mkdir(parents=True, exist_ok=True)
        request = None
        if self.request_der is not None:
            request = self.request_der.write_to_path(base / "request.der")
        return ScenarioFiles(
            directory=base,
            response=self.response_der.write_to_path(base / "response.der"),
            request=request,
            cert=self.cert.write_cert(base / "cert.pem"),
            issuer=self.issuer.write_cert(base / "issuer.pem"),
            root=self.pki.root.write_cert(base / "root.pem"),
            chain=write_file(base / "chain.pem", self.cert.chain_pem),
        )

    @contextlib.contextmanager
    def files(self) -> Iterator[ScenarioFiles]:
        """``with scenario.files() as files:`` the scenario in a temporary directory."""
        directory = tempfile.mkdtemp(prefix=f"ocspkit-{self.name}-")
        try:
            yield self.write(directory)
        finally:
            shutil.rmtree(directory, ignore_errors=True)


# ------------------------------------------------------------------------------------------------
# DER (and BER) assembly


def _ber(tag: int, contents: bytes, form: str) -> bytes:
    """A constructed TLV in the envelope's form: DER, indefinite length, or long-form length."""
    if form == "indefinite":
        return bytes((tag, 0x80)) + contents + b"\x00\x00"  # X.690 8.1.3.6
    if form == "long-form":
        return bytes((tag, 0x84)) + len(contents).to_bytes(4, "big") + contents  # X.690 8.1.3.5, not minimal
    return _tlv(tag, contents)


def _octet_string(contents: bytes, form: str) -> bytes:
    if form == "constructed":
        # X.690 8.7.3: a constructed OCTET STRING of primitive segments, indefinite length.
        half = len(contents) // 2
        return b"\x24\x80" + _tlv(0x04, contents[:half]) + _tlv(0x04, contents[half:]) + b"\x00\x00"
    if form == "long-form":
        return b"\x04\x84" + len(contents).to_bytes(4, "big") + contents
    return _tlv(0x04, contents)


def _oid(dotted: str) -> bytes:
    from asn1crypto import core

    return bytes(core.ObjectIdentifier(dotted).dump())


def _time(value: _dt.datetime, fractional: bool) -> bytes:
    """GeneralizedTime: ``YYYYMMDDHHMMSSZ``, or with the fraction of a second (no trailing zeros,
    as X.690 11.7 has it) when ``fractional``."""
    text = value.strftime("%Y%m%d%H%M%S")
    if fractional and value.microsecond:
        text += "." + f"{value.microsecond:06d}".rstrip("0")
    return _tlv(0x18, (text + "Z").encode("ascii"))


@dataclasses.dataclass(frozen=True)
class _Single:
    cert_id: CertID
    status: CertStatus
    revocation_time: Optional[_dt.datetime] = None
    reason: Optional[RevocationReason] = None


@dataclasses.dataclass(frozen=True)
class _Plan:
    singles: Tuple[_Single, ...]
    produced_at: _dt.datetime
    this_update: _dt.datetime
    next_update: Optional[_dt.datetime]
    fractional: bool
    signer: CertifiedKey
    responder_id: bytes  # the ResponderID's DER, with its [1] / [2] tag
    nonce: Optional[bytes]  # the nonce extension's extnValue
    certs: Tuple[bytes, ...]
    hash_algorithm: str
    bad_signature: bool
    envelope: str


def _single_der(single: _Single, plan: _Plan) -> bytes:
    if single.status is CertStatus.GOOD:
        status = b"\x80\x00"  # good [0] IMPLICIT NULL
    elif single.status is CertStatus.UNKNOWN:
        status = b"\x82\x00"  # unknown [2] IMPLICIT UnknownInfo
    else:
        assert single.revocation_time is not None
        info = _time(single.revocation_time, False)
        if single.reason is not None:
            info += _tlv(0xA0, bytes((0x0A, 1, int(single.reason))))  # revocationReason [0] EXPLICIT CRLReason
        status = _tlv(0xA1, info)  # revoked [1] IMPLICIT RevokedInfo
    next_update = b"" if plan.next_update is None else _tlv(0xA0, _time(plan.next_update, plan.fractional))
    return _tlv(0x30, single.cert_id.dump() + status + _time(plan.this_update, plan.fractional) + next_update)


def _assemble(plan: _Plan) -> bytes:
    """An OCSPResponse carrying a BasicOCSPResponse (RFC 6960 4.2.1), signed over the DER of
    tbsResponseData; only the envelope around it may be BER."""
    extensions = b""
    if plan.nonce is not None:
        nonce = _tlv(0x30, _oid(OID.NONCE) + _tlv(0x04, plan.nonce))
        extensions = _tlv(0xA1, _tlv(0x30, nonce))  # responseExtensions [1] EXPLICIT
    tbs = _tlv(
        0x30,
        plan.responder_id
        + _time(plan.produced_at, plan.fractional)
        + _tlv(0x30, b"".join(_single_der(s, plan) for s in plan.singles))
        + extensions,
    )
    key = plan.signer.private_key
    algorithm, algorithm_der = crypto.signing_algorithm(key, plan.hash_algorithm, False)
    signature = crypto.sign(key, tbs, algorithm)
    if plan.bad_signature:
        signature = signature[:-1] + bytes((signature[-1] ^ 0x01,))
    form = plan.envelope
    certs = _ber(0xA0, _ber(0x30, b"".join(plan.certs), form), form) if plan.certs else b""
    basic = _ber(0x30, tbs + algorithm_der + _tlv(0x03, b"\x00" + signature) + certs, form)
    response_bytes = _ber(0x30, _oid(OID.BASIC) + _octet_string(basic, form), form)
    return _ber(0x30, b"\x0a\x01\x00" + _ber(0xA0, response_bytes, form), form)


# ------------------------------------------------------------------------------------------------
# The factory


def _whole_seconds(value: Optional[_dt.datetime]) -> _dt.datetime:
    if value is None:
        return _dt.datetime.now(_UTC).replace(microsecond=0)
    return to_utc(value, "now").replace(microsecond=0)


class ScenarioFactory:
    """Makes scenarios from one PKI with one clock: ``factory("revoked", reason=1)``.

    ``now`` (default: the current time, read at each call) is when the scenarios are meant to be
    judged; it must lie inside the PKI's validity. Leaves made for scenarios share
    :attr:`TestPKI.shared_leaf_key <ocspkit.testing.TestPKI.shared_leaf_key>` (fast with RSA too).
    """

    def __init__(self, pki: Optional[TestPKI] = None, *, now: Optional[_dt.datetime] = None) -> None:
        self.now = None if now is None else to_utc(now, "now")
        self.pki = pki if pki is not None else TestPKI("ec", now=self.now)

    def __call__(self, name: str, **options: Any) -> Scenario:
        options.setdefault("now", self.now)
        return make_scenario(name, self.pki, **options)

    def leaf(self, common_name: str = "leaf.example", **options: Any) -> CertifiedKey:
        """A new leaf of the PKI (sharing the scenario key unless ``private_key=`` is given)."""
        options.setdefault("private_key", self.pki.shared_leaf_key)
        return self.pki.issue_leaf(common_name, **options)

    def all(self, **options: Any) -> Iterator[Scenario]:
        """Every variant of :data:`VARIANTS`, made with ``options``."""
        for _, name, preset in VARIANTS:
            yield self(name, **{**preset, **options})


def make_scenario(name: str, pki: Optional[TestPKI] = None, **options: Any) -> Scenario:
    """The scenario ``name`` (one of :data:`SCENARIOS`) for ``pki`` (default: a new EC PKI).

    Options, all optional:

    ``now``
        When the scenario is meant to be judged (default: the current time). Times in the
        response are placed relative to it.
    ``cert``
        The certificate asked about: a :class:`CertifiedKey` of the PKI's intermediate (default:
        a new leaf).
    ``request``
        The client's OCSP request (DER/PEM or :class:`ocspkit.OCSPRequest`): its nonce is echoed
        (or left out, or altered, as the scenario says) and its CertID hash followed.
    ``status``, ``reason``, ``revocation_time``
        The certificate's status ("good", "revoked", "unknown"); for revoked, the CRLReason
        (``RevocationReason``, its number, or a name like ``"key_compromise"`` /
        ``"keyCompromise"``) and when (default: an hour before ``now``).
    ``certid_hash``
        "sha1" (default: what OpenSSL and most clients send) or "sha256", "sha384", "sha512".
    ``signer``
        "responder" (default: the delegated responder) or "ca" (the issuing CA); not with the
        scenarios whose point is the signer.
    ``responder_id``
        "name" (default) or "key".
    ``certs``
        Certificates in the response: "signer" (default), "chain" (the signer and the CAs below
        the root) or "none".
    ``hash_algorithm``
        The signature's hash (default "sha256").
    ``validity``
        nextUpdate - thisUpdate (default one day).

    A scenario's name fixes what it is about: an option that contradicts it (``status`` for
    "revoked", ``signer`` for "unauthorized-signer" ...) is refused with OCSPValueError.
    """
    info = SCENARIOS.get(name)
    if info is None:
        raise OCSPValueError(f"unknown scenario {name!r}; the names are: {', '.join(SCENARIOS)}")
    unknown = set(options) - {"now", *_PUBLIC_OPTIONS}
    if unknown:
        raise TypeError(f"unknown scenario option(s): {', '.join(sorted(unknown))}")
    given = {k: v for k, v in options.items() if v is not None}
    for key, value in given.items():
        if key in info.preset and value != info.preset[key] and not (key == "status" and cert_status(value) is
                                                                     cert_status(info.preset[key])):
            raise OCSPValueError(f"the {name} scenario fixes {key}={info.preset[key]!r}")
    settings: Dict[str, Any] = {**info.preset, **given}
    if pki is None:
        pki = TestPKI("ec", now=options.get("now"))
    now = _whole_seconds(options.get("now"))
    if not pki.not_before + _dt.timedelta(hours=2) <= now <= pki.not_after - DEFAULT_VALIDITY - _OFF:
        raise OCSPValueError(
            f"now ({now.isoformat()}) must lie well inside the PKI's validity "
            f"({pki.not_before.isoformat()} to {pki.not_after.isoformat()}): make the PKI with TestPKI(now=...)"
        )

    cert = settings.get("cert")
    if cert is None:
        cert = pki.issue_leaf(f"{name}.example", private_key=pki.shared_leaf_key)
    elif not isinstance(cert, CertifiedKey):
        raise TypeError(f"cert must be a CertifiedKey of the PKI, got {type(cert).__name__}")
    issuer = pki.intermediate
    if bytes(cert.certificate.issuer.dump()) != bytes(issuer.certificate.subject.dump()):
        raise OCSPValueError("cert must be issued by the PKI's intermediate CA")

    request = settings.get("request")
    if request is not None and not isinstance(request, OCSPRequest):
        request = load_request(request)
    certid_hash = settings.get("certid_hash")
    if certid_hash is None:
        certid_hash = request.cert_ids[0].hash_algorithm if request is not None and request.cert_ids else "sha1"
    cert_id = CertID.from_cert(cert.certificate, issuer.certificate, certid_hash)
    nonce_mode = settings.get("nonce", "echo")  # fixed by the nonce scenarios
    if request is None and name in ("nonce", "nonce-missing", "nonce-wrong"):
        request = RequestBuilder().add_cert_id(cert_id).with_nonce().build()
    request_nonce = None
    if request is not None:
        extension = request.extensions.get(OID.NONCE)
        request_nonce = None if extension is None else bytes(extension.raw_value)
        if nonce_mode != "echo" and request_nonce is None:
            raise OCSPValueError(f"the {name} scenario needs a request with a nonce")

    status = cert_status(settings.get("status", CertStatus.GOOD))
    reason = revocation_reason(settings.get("reason"))
    if reason is not None and status is not CertStatus.REVOKED:
        raise OCSPValueError("reason goes with status='revoked'")
    revocation_time = settings.get("revocation_time")
    revocation_time = now - _OFF if revocation_time is None else to_utc(revocation_time, "revocation_time")
    response_status = settings.get("response_status", ResponseStatus.SUCCESSFUL)

    defect = info.defect
    error, verified, prints_status, message, exit_code = _DEFECTS[defect]
    if defect == "unsuccessful":
        message = f"Responder Error: {response_status_str(response_status)} ({int(response_status)})"
    if request is not None:  # judged with -reqin, without -cert: no status, no summary
        prints_status = False
        if message in _SUMMARY_MESSAGES:
            message, exit_code = None, 0
    expected = Expected(
        status=status if error is None else None,
        error=error,
        revocation_reason=reason if status is CertStatus.REVOKED else None,
        openssl=OpenSSLExpectation(verified, status.openssl_name if prints_status else None, message, exit_code),
    )
    request_der = None if request is None else Blob(request.dump())

    def scenario(response_der: bytes, signer: Optional[CertifiedKey] = None) -> Scenario:
        return Scenario(
            name=name, description=info.description, response_der=Blob(response_der), request_der=request_der,
            cert=cert, issuer=issuer, pki=pki, now=now, expected=expected, certid_hash=certid_hash, signer=signer,
        )

    if response_status is not ResponseStatus.SUCCESSFUL:
        return scenario(unsuccessful_response(response_status).dump())

    signer_option = settings.get("signer", "responder")
    if "signer" in given and signer_option not in ("responder", "ca"):
        raise OCSPValueError(f'signer is "responder" or "ca", got {signer_option!r}')
    signer = {
        "responder": pki.responder,
        "ca": pki.intermediate,
        "unauthorized": pki.unauthorized_responder,
        "no-eku": pki.responder_without_eku,
    }[signer_option]
    certs_option = settings.get("certs", "signer")
    if certs_option == "signer":
        certs: Tuple[bytes, ...] = (signer.cert_der,)
    elif certs_option == "chain":
        certs = (signer.cert_der, *(bytes(c.dump()) for c in signer.chain[:-1]))
    elif certs_option == "none":
        if signer is not pki.intermediate:
            # Only the CA is known to the client without the response carrying its certificate.
            raise OCSPValueError('certs="none" goes with the CA as the signer (signer="ca", "ca-signed")')
        certs = ()
    else:
        raise OCSPValueError(f'certs is "signer", "chain" or "none", got {certs_option!r}')

    responder_id_kind = settings.get("responder_id", "name")
    if responder_id_kind not in ("name", "key"):
        raise OCSPValueError(f'responder_id is "name" or "key", got {responder_id_kind!r}')
    if settings.get("wrong_responder_id"):
        # Nobody's name, or a key hash no certificate has (a SHA-1 of a name, not of a key).
        from asn1crypto import x509

        nobody = bytes(x509.Name.build({"common_name": "ocspkit Test Nobody"}).dump())
        responder_id = _tlv(0xA1, nobody) if responder_id_kind == "name" else _tlv(
            0xA2, _tlv(0x04, crypto.hash_digest("sha1", nobody))
        )
    elif responder_id_kind == "name":
        responder_id = _tlv(0xA1, bytes(signer.certificate.subject.dump()))  # byName [1] EXPLICIT Name
    else:
        responder_id = _tlv(0xA2, _tlv(0x04, crypto.key_hash(signer.certificate.public_key)))  # byKey [2]

    timing = settings.get("timing")
    validity = settings.get("validity", DEFAULT_VALIDITY)
    if not isinstance(validity, _dt.timedelta) or validity <= _dt.timedelta(0):
        raise OCSPValueError("validity must be a positive timedelta")
    produced_at = this_update = now
    next_update: Optional[_dt.datetime] = now + validity
    if timing == "expired":
        produced_at = this_update = now - 2 * _OFF
        next_update = now - _OFF
    elif timing == "not-yet-valid":
        this_update = now + _OFF
        next_update = this_update + validity
    elif timing == "no-next-update":
        next_update = None
    elif timing == "fractional":
        produced_at = now - _dt.timedelta(milliseconds=500)
        this_update = now - _dt.timedelta(milliseconds=750)
        next_update = now + validity + _dt.timedelta(milliseconds=125)

    single = _Single(cert_id, status, revocation_time if status is CertStatus.REVOKED else None,
                     reason if status is CertStatus.REVOKED else None)
    singles: Tuple[_Single, ...] = (single,)
    if settings.get("other_certid"):
        singles = (dataclasses.replace(single, cert_id=CertID.from_issuer(
            issuer.certificate, pki.next_serial(), certid_hash)),)
    for other in settings.get("others", ()):
        other_status = cert_status(other)
        singles += (_Single(
            CertID.from_issuer(issuer.certificate, pki.next_serial(), certid_hash),
            other_status,
            revocation_time if other_status is CertStatus.REVOKED else None,
            RevocationReason.SUPERSEDED if other_status is CertStatus.REVOKED else None,
        ),)

    response_nonce = request_nonce
    if nonce_mode == "missing":
        response_nonce = None
    elif nonce_mode == "wrong" and request_nonce is not None:
        # Same length, other value: an OCTET STRING of fresh random octets.
        length = max(1, len(request_nonce) - 2)
        response_nonce = _tlv(0x04, os.urandom(length))

    plan = _Plan(
        singles=singles,
        produced_at=produced_at,
        this_update=this_update,
        next_update=next_update,
        fractional=timing == "fractional",
        signer=signer,
        responder_id=responder_id,
        nonce=response_nonce,
        certs=certs,
        hash_algorithm=settings.get("hash_algorithm", "sha256"),
        bad_signature=bool(settings.get("bad_signature")),
        envelope=settings.get("envelope", "der"),
    )
    return scenario(_assemble(plan), signer)
