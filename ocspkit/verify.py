"""Verification of signed OCSP messages: OpenSSL's ``crypto/ocsp/ocsp_vfy.c`` with a verdict.

:func:`verify_response` is ``OCSP_basic_verify``, step for step:

1. **Find the signer** (``ocsp_find_signer``): the certificate the responderID names (RFC 6960
   4.2.2.3: byName, or byKey as the SHA-1 of the subjectPublicKey bits), first among the
   caller's ``untrusted`` certificates, then, unless ``NOINTERN``, among the response's own.
2. **Check the signature** over tbsResponseData exactly as received (unless ``NOSIGS``).
3. **Check the signer's chain** to a ``trusted`` certificate at ``now`` (unless ``NOVERIFY``,
   or ``TRUSTOTHER`` with a signer taken from ``untrusted``): the response's certificates and
   ``untrusted`` help build it (``NOCHAIN``: neither does); ``PARTIAL_CHAIN`` lets any trusted
   certificate end it.
4. **Authorize** (unless ``NOCHECKS``; RFC 6960 4.2.2.2): the signer is the CA named by every
   CertID, or is issued directly by that CA and carries id-kp-OCSPSigning; otherwise (unless
   ``NOEXPLICIT``) the chain's last certificate must be explicitly trusted for OCSP signing (a
   ``TRUSTED CERTIFICATE`` with ``-addtrust OCSPSigning``, or :class:`TrustedCertificate`).

Success returns a :class:`Verdict` that says how the response was authorized and lists every
check that ran; failure raises a :class:`~ocspkit.errors.VerificationError` subclass whose
message says what to do, with ``.checks`` holding the checks that passed before it.

:func:`verify_request` is ``OCSP_request_verify``; :func:`check_status` is the one call most
users want: the status of one certificate, returned only when the signature, the authorization,
the CertID, the nonce and the validity window all hold.

What this module builds on, one concept each: :mod:`ocspkit.certinfo` (what a certificate
says, read once), :mod:`ocspkit.trust` (:class:`TrustedCertificate`, and the trust anchors and
untrusted certificates a call is given) and :mod:`ocspkit.chain` (the signer's chain, as
OpenSSL's ``X509_verify_cert`` checks it for an OCSP signer: what OCSP needs, not a general
RFC 5280 path validator; ``Verdict.nocheck`` tells whether the responder says its own
revocation need not be checked). :class:`TrustedCertificate` and
:func:`load_trusted_certificates` live in :mod:`ocspkit.trust` and are importable from here
too. ``docs/verification.md`` has the details.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
from typing import Any, List, Optional, Sequence, Tuple, Union

from asn1crypto import x509

from . import crypto
from ._deps import ASN1_ERRORS
from ._der import check_whole_octets
from ._util import to_utc
from .asn1 import OID
from .certid import CertID
from .certinfo import CertInfo, cert_info, cert_repr, describe_cert, name_key_of_der, name_text, time_text
from .chain import ChainFailure, chain_for
from .enums import CertStatus, NamedMember, NonceCheck, ResponderIDType
from .errors import (
    CertIDMismatch,
    ChainError,
    OCSPError,
    OCSPTypeError,
    OCSPValueError,
    ResponderNotAuthorized,
    SignatureError,
    SignerNotFound,
    StaleResponse,
    UnsuccessfulResponse,
    UnsupportedError,
    VerificationError,
)
from .nonce import compare_nonces, require_nonce
from .request import OCSPRequest, load_request
from .response import BasicOCSPResponse, OCSPResponse, SingleResponse, load_response
from .trust import Anchor, TrustedCertificate, load_trusted_certificates, trust_anchors, untrusted_certs
from .validity import DEFAULT_LEEWAY, Seconds, check_validity

__all__ = [
    "Authorization",
    "CertificateStatus",
    "Check",
    "TrustedCertificate",
    "Verdict",
    "VerifyFlags",
    "check_status",
    "load_trusted_certificates",
    "verify_request",
    "verify_response",
]

_UTC = _dt.timezone.utc


class VerifyFlags(NamedMember, enum.IntFlag):
    """OpenSSL's ``OCSP_*`` verification flags, with OpenSSL's values (``openssl ocsp`` option).

    ``NOCASIGN`` and ``NODELEGATED`` are defined by OpenSSL but never read by
    ``OCSP_basic_verify`` or ``OCSP_request_verify``; ocspkit accepts them and, like OpenSSL,
    ignores them (a delegated responder is refused by *not* trusting it, not by a flag).
    """

    NONE = 0
    #: Do not look for the signer among the message's own certificates (-no_intern).
    NOINTERN = 0x2
    #: Do not check the signature (-no_signature_verify).
    NOSIGS = 0x4
    #: Do not use the message's certificates, nor ``untrusted``, to build the chain (-no_chain).
    NOCHAIN = 0x8
    #: Do not check the signer's chain, nor authorize it (-no_cert_verify).
    NOVERIFY = 0x10
    #: Do not fall back on explicit OCSP-signing trust of the chain's root (-no_explicit).
    NOEXPLICIT = 0x20
    #: Defined by OpenSSL, never read: accepted and ignored.
    NOCASIGN = 0x40
    #: Defined by OpenSSL, never read: accepted and ignored.
    NODELEGATED = 0x80
    #: Check the chain but not the RFC 6960 4.2.2.2 authorization (-no_cert_checks).
    NOCHECKS = 0x100
    #: A signer found in ``untrusted`` is trusted as is: no chain, no authorization (-trust_other,
    #: and what -VAfile sets).
    TRUSTOTHER = 0x200
    #: Any trusted certificate may end the chain, not only a self-signed one (-partial_chain).
    PARTIAL_CHAIN = 0x1000


# The flags as plain ints: IntFlag's operators run in Python, these in C (verification is hot).
_NOINTERN, _NOSIGS, _NOCHAIN, _NOVERIFY, _NOEXPLICIT, _NOCHECKS, _TRUSTOTHER, _PARTIAL_CHAIN = (
    int(flag) for flag in (
        VerifyFlags.NOINTERN, VerifyFlags.NOSIGS, VerifyFlags.NOCHAIN, VerifyFlags.NOVERIFY,
        VerifyFlags.NOEXPLICIT, VerifyFlags.NOCHECKS, VerifyFlags.TRUSTOTHER, VerifyFlags.PARTIAL_CHAIN,
    )
)


class Authorization(NamedMember, str, enum.Enum):
    """How a verified message's signer was accepted."""

    #: The signer is the CA that issued the certificates the CertIDs name (RFC 6960 4.2.2.2).
    ISSUER = "issuer"
    #: The signer was issued directly by that CA and carries id-kp-OCSPSigning (RFC 6960 4.2.2.2).
    DELEGATED = "delegated"
    #: The signer was found among the caller's ``untrusted`` certificates with TRUSTOTHER
    #: (``openssl ocsp -VAfile``): trusted as configured, no chain or authorization checked.
    TRUSTED_RESPONDER = "trusted_responder"
    #: The signer's chain ends in a certificate explicitly trusted for OCSP signing.
    EXPLICIT_TRUST = "explicit_trust"
    #: The signer's chain leads to a trust anchor (requests, which need no authorization).
    CHAIN = "chain"
    #: NOVERIFY or NOCHECKS: the caller turned authorization off.
    NOT_CHECKED = "not_checked"


@dataclasses.dataclass(frozen=True)
class Check:
    """One verification step: ``name`` (``find_signer``, ``signature``, ``chain``,
    ``authorization``, ``cert_id``, ``produced_at``, ``validity``, ``nonce``), its ``outcome``
    (``"passed"``, or ``"skipped"`` when a flag or a missing input turned it off) and ``detail``:
    what it found, or why it was skipped. A failed check is never in a verdict: it raises."""

    name: str
    outcome: str
    detail: str

    @property
    def passed(self) -> bool:
        """Whether the check ran and passed."""
        return self.outcome == "passed"

    def __str__(self) -> str:
        return f"{self.name}: {self.outcome} - {self.detail}"


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What verification established. Only ever returned on success."""

    #: How the signer was accepted.
    authorization: Authorization
    #: The signer's certificate (asn1crypto ``x509.Certificate``).
    signer: Any
    #: Where the signer was found: ``"untrusted"`` (the caller's certificates) or ``"message"``.
    signer_source: str
    #: The chain that was checked, signer first, trust anchor last; empty when none was built.
    chain: Tuple[Any, ...]
    #: Whether the signer carries id-pkix-ocsp-nocheck (RFC 6960 4.2.2.2.1): clients may trust
    #: it for its lifetime without checking its own revocation (which ocspkit never does).
    nocheck: bool
    #: Every check, in the order it ran (skipped ones included, with the reason).
    checks: Tuple[Check, ...]
    #: The flags in force.
    flags: VerifyFlags
    #: The time the chain was checked at.
    now: _dt.datetime

    def __str__(self) -> str:
        chain = " <- ".join(describe_cert(c) for c in self.chain) or "(none)"
        lines = [
            f"verified: authorized as {self.authorization.value}",
            f"signer: {describe_cert(self.signer)} (from the {self.signer_source} certificates)"
            + (", id-pkix-ocsp-nocheck" if self.nocheck else ""),
            f"chain: {chain}",
        ]
        lines += [f"  {check}" for check in self.checks]
        return "\n".join(lines)

    def __repr__(self) -> str:
        # Short, and never the dataclass repr: that would repr the asn1crypto certificates, whose
        # repr re-encodes a certificate received with an indefinite length (see _der.received)
        # and raises ValueError on a GeneralizedTime without "Z". str() gives every check.
        return (f"<Verdict {self.authorization} signer={cert_repr(self.signer)} from {self.signer_source}, "
                f"chain of {len(self.chain)}, {len(self.checks)} checks>")


def _fail(cls: type, message: str, checks: List[Check]) -> VerificationError:
    error: VerificationError = cls(message)
    error.checks = tuple(checks)
    return error




# --- the signer and the authorization --------------------------------------------------------


def _find_by_responder_id(certs: Sequence[CertInfo], basic: BasicOCSPResponse) -> Optional[CertInfo]:
    """ocsp_find_signer_sk: the first certificate the responderID names (RFC 6960 4.2.2.3)."""
    rid = basic.responder_id
    if rid.type is ResponderIDType.BY_NAME:
        # X509_find_by_subject: the first certificate whose subject equals the Name, compared
        # in canonical form (so a case variant earlier in the list wins, as in OpenSSL).
        name_der = rid.name_der or b""
        name_key = name_key_of_der(name_der) if certs else None
        for info in certs:
            if info.same_subject(name_der, name_key):
                return info
        return None
    key_hash = rid.key_hash or b""
    if len(key_hash) != 20:  # RFC 6960 4.2.1: KeyHash is a SHA-1 hash
        return None
    for info in certs:
        if info.facts.key_sha1 == key_hash:
            return info
    return None


def _responder_id_text(basic: BasicOCSPResponse) -> str:
    rid = basic.responder_id
    if rid.type is ResponderIDType.BY_NAME:
        try:
            name = x509.Name.load(rid.name_der or b"")
        except ASN1_ERRORS:
            return "byName <unreadable name>"
        return f"byName {name_text(name)}"
    return f"byKey {(rid.key_hash or b'').hex().upper()}"


def _names_issuer(info: CertInfo, cert_id: CertID) -> Optional[bool]:
    """ocsp_match_issuerid for one CertID: None when its hash algorithm is unknown."""
    try:
        name_hash, key_hash = info.facts.issuer_hashes(cert_id.hash_algorithm)
    except (OCSPError, ValueError):
        return None
    return name_hash == cert_id.issuer_name_hash and key_hash == cert_id.issuer_key_hash


def _match_all(info: CertInfo, cert_ids: Sequence[CertID]) -> Optional[bool]:
    for cert_id in cert_ids:
        matched = _names_issuer(info, cert_id)
        if not matched:
            return matched
    return True


def _authorize(
    singles: Sequence[SingleResponse], chain: List[CertInfo], checks: List[Check]
) -> Tuple[Optional[Authorization], str]:
    """ocsp_check_issuer over ``singles``: (ISSUER or DELEGATED, detail), or (None, why not)."""
    if not singles:
        raise _fail(
            CertIDMismatch,
            "the response contains no revocation data (no SingleResponse), so it answers for no certificate",
            checks,
        )
    ids = [s.cert_id for s in singles]
    first = ids[0]
    mixed = False
    for other in ids[1:]:
        if not first.same_issuer(other):
            if other.hash_algorithm == first.hash_algorithm:
                return None, (
                    "the SingleResponses name different issuers, so no single responder can be "
                    "authorized for all of them (RFC 6960 4.2.2.2)"
                )
            mixed = True  # other hash algorithms: every CertID is matched on its own
    candidates = ids if mixed else ids[:1]
    signer = chain[0]
    if len(chain) > 1:
        parent = chain[1]
        matched = _match_all(parent, candidates)
        if matched is None:
            raise _fail(
                ResponderNotAuthorized,
                f"cannot match the CertID issuer: unknown hash algorithm {first.hash_algorithm}",
                checks,
            )
        if matched:
            # RFC 6960 4.2.2.2: a delegated responder carries id-kp-OCSPSigning in its EKU.
            if signer.eku is not None and OID.KP_OCSP_SIGNING in signer.eku:
                return Authorization.DELEGATED, (
                    f"delegated responder {signer.label}, issued by the CA {parent.label}, with id-kp-OCSPSigning"
                )
            return None, (
                f"the signer {signer.label} is issued by the CA the CertIDs name ({parent.label}) but has no "
                "id-kp-OCSPSigning in its extendedKeyUsage (RFC 6960 4.2.2.2), so it is not a delegated responder"
            )
    matched = _match_all(signer, candidates)
    if matched is None:
        raise _fail(
            ResponderNotAuthorized,
            f"cannot match the CertID issuer: unknown hash algorithm {first.hash_algorithm}",
            checks,
        )
    if matched:
        return Authorization.ISSUER, f"the signer {signer.label} is the CA the CertIDs name"
    issuer_hint = " and its issuer" if len(chain) > 1 else ""
    return None, (
        f"the signer {signer.label}{issuer_hint} is not the CA the CertIDs name, nor a responder "
        "that CA delegated to (RFC 6960 4.2.2.2)"
    )


# --- public entry points -----------------------------------------------------------------------


def _flags(flags: Union[VerifyFlags, int]) -> VerifyFlags:
    if isinstance(flags, bool) or not isinstance(flags, int):
        raise OCSPTypeError(f"flags must be VerifyFlags or an int, got {type(flags).__name__}")
    if flags < 0:
        raise OCSPValueError(f"flags must not be negative, got {flags}")
    return VerifyFlags(flags)  # bits OpenSSL does not define are kept, and ignored as OpenSSL does


def _now(now: Optional[_dt.datetime]) -> _dt.datetime:
    # The edge: without now= the chain is checked against the present, as OpenSSL's
    # X509_verify_cert does unless -attime is given.
    return _dt.datetime.now(_UTC) if now is None else to_utc(now, "now")


def _basic_of(response: Any) -> BasicOCSPResponse:
    if isinstance(response, BasicOCSPResponse):
        return response
    if not isinstance(response, OCSPResponse):
        response = load_response(response)
    if not response.successful:
        raise UnsuccessfulResponse(response.response_status)
    basic: BasicOCSPResponse = response.basic
    return basic


def _message_certs(certs_der: Sequence[bytes]) -> List[CertInfo]:
    return [cert_info(der) for der in certs_der]


def verify_response(
    response: Any,
    *,
    trusted: Any = (),
    untrusted: Any = (),
    flags: Union[VerifyFlags, int] = VerifyFlags.NONE,
    now: Optional[_dt.datetime] = None,
) -> Verdict:
    """Verify a response's signature and authorization: OpenSSL's ``OCSP_basic_verify``.

    ``response`` is an :class:`~ocspkit.OCSPResponse`, a :class:`~ocspkit.BasicOCSPResponse`
    or DER/PEM bytes. ``trusted`` holds the trust anchors (``openssl ocsp -CAfile``): anything
    :func:`load_trusted_certificates` reads. ``untrusted`` holds other certificates
    (``-verify_other``; OpenSSL's ``certs``): searched first for the signer, and used to build
    the chain. ``flags`` are :class:`VerifyFlags`. ``now`` (an aware datetime; default the
    current time) is when the chain must be valid (``-attime``).

    Returns a :class:`Verdict`. Raises :class:`~ocspkit.errors.SignerNotFound`,
    :class:`~ocspkit.errors.SignatureError`, :class:`~ocspkit.errors.ChainError` (``.reason``
    ``chain``, ``.openssl_error`` OpenSSL's verify error string) or
    :class:`~ocspkit.errors.ResponderNotAuthorized`; ``.checks`` on the exception lists the
    checks that passed first. A response that is not ``successful`` raises
    :class:`~ocspkit.errors.UnsuccessfulResponse`; malformed bytes ParseError.

    This function does not look at thisUpdate/nextUpdate, nonces or which certificate the
    response is about: :func:`check_status` does all of it.
    """
    return _verify_basic(
        _basic_of(response), trust_anchors(trusted), untrusted_certs(untrusted), _flags(flags), _now(now)
    )


def _verify_basic(
    basic: BasicOCSPResponse,
    anchors: List[Anchor],
    untrusted: List[CertInfo],
    flags: VerifyFlags,
    now: _dt.datetime,
    checks: Optional[List[Check]] = None,
    singles: Optional[Sequence[SingleResponse]] = None,
) -> Verdict:
    """OCSP_basic_verify; ``singles`` (check_status) limits the authorization to the
    SingleResponses that answer for the certificate asked about."""
    checks = [] if checks is None else checks
    message_certs = _message_certs(basic.certs_der)
    # ocsp_find_signer: the caller's certificates first, then the response's.
    signer = _find_by_responder_id(untrusted, basic)
    source = "untrusted"
    if signer is None and not int(flags) & _NOINTERN:
        signer = _find_by_responder_id(message_certs, basic)
        source = "message"
    if signer is None:
        where = "the untrusted certificates" + (
            "" if int(flags) & _NOINTERN else f" or the {len(message_certs)} in the response"
        )
        raise _fail(
            SignerNotFound,
            f"signer certificate not found: no certificate in {where} matches the responder ID, "
            f"{_responder_id_text(basic)} (pass the responder's certificate in untrusted=)",
            checks,
        )
    checks.append(Check("find_signer", "passed", f"{signer.label}, from the {source} certificates"))
    if source == "untrusted" and int(flags) & _TRUSTOTHER:
        flags |= VerifyFlags.NOVERIFY  # OpenSSL: a signer the caller supplied is trusted as is
    _check_signature(
        signer, basic.signature, basic.signature_unused_bits, basic.tbs_response_data_bytes,
        basic.signature_algorithm_der, "response", flags, checks,
    )
    return _finish(basic, signer, source, anchors, untrusted, message_certs, flags, now, checks, singles)


def _check_signature(
    signer: CertInfo,
    signature: bytes,
    unused: int,
    data: bytes,
    algorithm: Any,
    what: str,
    flags: VerifyFlags,
    checks: List[Check],
) -> None:
    """The signature over the tbs bytes as received (OCSP_BASICRESP_verify / OCSP_REQUEST_verify)."""
    if int(flags) & _NOSIGS:
        checks.append(Check("signature", "skipped", "NOSIGS"))
        return
    try:
        check_whole_octets(unused, what)
        crypto.verify_signature(signer.public_key, signature, data, algorithm)
    except (SignatureError, UnsupportedError) as exc:
        raise _fail(
            SignatureError,
            f"signature failure: the {what} signature does not verify with the key of {signer.label} ({exc})",
            checks,
        ) from exc
    checks.append(Check("signature", "passed", f"verified with the key of {signer.label}"))


def _finish(
    basic: Optional[BasicOCSPResponse],
    signer: CertInfo,
    source: str,
    anchors: List[Anchor],
    untrusted: List[CertInfo],
    message_certs: List[CertInfo],
    flags: VerifyFlags,
    now: _dt.datetime,
    checks: List[Check],
    singles: Optional[Sequence[SingleResponse]] = None,
) -> Verdict:
    def verdict(authorization: Authorization, chain: Sequence[CertInfo]) -> Verdict:
        return Verdict(
            authorization, signer.cert, source, tuple(c.cert for c in chain), signer.nocheck,
            tuple(checks), flags, now,
        )

    if int(flags) & _NOVERIFY:
        why = "TRUSTOTHER: the signer came from the untrusted certificates" if source == "untrusted" and (
            int(flags) & _TRUSTOTHER) else "NOVERIFY"
        checks.append(Check("chain", "skipped", why))
        checks.append(Check("authorization", "skipped", why))
        trusted_responder = source == "untrusted" and bool(int(flags) & _TRUSTOTHER)
        return verdict(Authorization.TRUSTED_RESPONDER if trusted_responder else Authorization.NOT_CHECKED, ())
    if int(flags) & _NOCHAIN:
        helpers: List[CertInfo] = []
    elif basic is None:
        helpers = message_certs  # OCSP_request_verify builds with the request's certificates only
    else:
        helpers = message_certs + untrusted
    try:
        chain, anchor = chain_for(signer, anchors, helpers, now, bool(int(flags) & _PARTIAL_CHAIN))
    except ChainFailure as exc:
        error = _fail(ChainError, f"certificate verify error: {exc.openssl}: {exc}", checks)
        error.openssl_error = exc.openssl  # type: ignore[attr-defined]
        raise error from None
    checks.append(Check("chain", "passed", " <- ".join(c.label for c in chain) + " (trusted)"))
    if basic is None:
        return verdict(Authorization.CHAIN, chain)
    if int(flags) & _NOCHECKS:
        checks.append(Check("authorization", "skipped", "NOCHECKS"))
        return verdict(Authorization.NOT_CHECKED, chain)
    authorization, detail = _authorize(basic.responses if singles is None else singles, chain, checks)
    if authorization is not None:
        checks.append(Check("authorization", "passed", detail))
        return verdict(authorization, chain)
    if int(flags) & _NOEXPLICIT:
        raise _fail(ResponderNotAuthorized, f"responder not authorized: {detail} (NOEXPLICIT)", checks)
    if not anchor.trusted.explicitly_trusts(OID.KP_OCSP_SIGNING):
        raise _fail(
            ResponderNotAuthorized,
            f"responder not authorized: {detail}, and the chain's trust anchor {anchor.info.label} is not "
            "explicitly trusted for OCSP signing",
            checks,
        )
    checks.append(Check(
        "authorization", "passed",
        f"{detail}; but the chain's trust anchor {anchor.info.label} is explicitly trusted for OCSP signing",
    ))
    return verdict(Authorization.EXPLICIT_TRUST, chain)


def verify_request(
    request: Any,
    *,
    trusted: Any = (),
    untrusted: Any = (),
    flags: Union[VerifyFlags, int] = VerifyFlags.NONE,
    now: Optional[_dt.datetime] = None,
) -> Verdict:
    """Verify a signed request: OpenSSL's ``OCSP_request_verify``.

    The requestorName must be a directoryName (RFC 6960 4.1.2); the signer is the certificate
    with that subject, first among the request's own certificates (unless ``NOINTERN``), then
    ``untrusted``. Its signature over tbsRequest as received is checked (unless ``NOSIGS``), then
    its chain to ``trusted`` at ``now`` built with the request's certificates only (none with
    ``NOCHAIN``; skipped with ``NOVERIFY``, or with ``TRUSTOTHER`` and a signer from
    ``untrusted``). Returns a :class:`Verdict` (authorization ``CHAIN``, ``TRUSTED_RESPONDER``
    or ``NOT_CHECKED``); raises as :func:`verify_response` does, and
    :class:`~ocspkit.errors.SignerNotFound` for an unsigned request.
    """
    if not isinstance(request, OCSPRequest):
        request = load_request(request)
    flags = _flags(flags)
    moment = _now(now)
    anchors = trust_anchors(trusted)
    extra = untrusted_certs(untrusted)
    checks: List[Check] = []
    if not request.is_signed:
        raise _fail(SignerNotFound, "the request is not signed", checks)
    name_der = _requestor_directory_name(request)
    if name_der is None:
        raise _fail(
            SignerNotFound,
            "the request's requestorName is absent or not a directoryName, so no signer can be found "
            "(OpenSSL: unsupported requestorName type)",
            checks,
        )
    message_certs = [cert_info(c) for c in request.certs]
    signer = None
    source = "message"
    if not int(flags) & _NOINTERN:
        signer = next((c for c in message_certs if c.same_subject(name_der)), None)
    if signer is None:
        signer = next((c for c in extra if c.same_subject(name_der)), None)
        source = "untrusted"
    if signer is None:
        raise _fail(
            SignerNotFound,
            "signer certificate not found: no certificate has the requestorName "
            f"{name_text(x509.Name.load(name_der))} as its subject (pass it in untrusted=)",
            checks,
        )
    checks.append(Check("find_signer", "passed", f"{signer.label}, from the {source} certificates"))
    if source == "untrusted" and int(flags) & _TRUSTOTHER:
        flags |= VerifyFlags.NOVERIFY
    _check_signature(
        signer, request.signature or b"", request.signature_unused_bits, request.tbs_request_bytes,
        request.signature_algorithm, "request", flags, checks,
    )
    return _finish(None, signer, source, anchors, extra, message_certs, flags, moment, checks)


def _requestor_directory_name(request: OCSPRequest) -> Optional[bytes]:
    name = request.requestor_name
    if name is None or getattr(name, "name", None) != "directory_name":
        return None
    # directoryName is [4] EXPLICIT Name: compare the Name itself, without the tag.
    return bytes(name.chosen.untag().dump())


# --- the one call ------------------------------------------------------------------------------

_SEVERITY = {CertStatus.GOOD: 0, CertStatus.UNKNOWN: 1, CertStatus.REVOKED: 2}


@dataclasses.dataclass(frozen=True)
class CertificateStatus:
    """The checked status of one certificate, from :func:`check_status`."""

    #: GOOD, REVOKED or UNKNOWN.
    status: CertStatus
    #: The SingleResponse the status came from.
    single_response: SingleResponse
    #: How the response was verified.
    verdict: Verdict
    #: The whole response.
    response: OCSPResponse
    #: The nonce comparison, when a request was given.
    nonce: Optional[NonceCheck]

    @property
    def good(self) -> bool:
        """Whether the status is GOOD."""
        return self.status is CertStatus.GOOD

    @property
    def revoked(self) -> bool:
        """Whether the status is REVOKED."""
        return self.status is CertStatus.REVOKED

    @property
    def revocation_time(self) -> Optional[_dt.datetime]:
        return self.single_response.revocation_time

    @property
    def revocation_reason(self) -> Any:
        return self.single_response.revocation_reason

    @property
    def this_update(self) -> _dt.datetime:
        return self.single_response.this_update

    @property
    def next_update(self) -> Optional[_dt.datetime]:
        return self.single_response.next_update

    @property
    def checks(self) -> Tuple[Check, ...]:
        """Every check that ran, the verification's first."""
        return self.verdict.checks

    def __repr__(self) -> str:
        # Short: the dataclass repr held the whole response and the verdict's certificates.
        detail = ""
        if self.status is CertStatus.REVOKED:
            reason = self.revocation_reason
            detail = f" ({reason if reason is not None else 'no reason'})"
        return (f"<CertificateStatus {self.status}{detail} serial={self.single_response.cert_id.serial_number:X} "
                f"signer {self.verdict.authorization}>")


def check_status(
    response: Any,
    cert: Any,
    issuer: Any,
    *,
    request: Any = None,
    trusted: Any = None,
    untrusted: Any = (),
    flags: Union[VerifyFlags, int] = VerifyFlags.NONE,
    now: Optional[_dt.datetime] = None,
    leeway: Seconds = DEFAULT_LEEWAY,
    max_age: Optional[Seconds] = None,
    allow_missing_nonce: bool = False,
) -> CertificateStatus:
    """The status of ``cert`` from ``response``, returned only when every check holds.

    ``response`` is an :class:`~ocspkit.OCSPResponse` or DER/PEM bytes; ``cert`` the
    certificate asked about and ``issuer`` its issuer (anything
    :func:`ocspkit.crypto.load_certificate` reads). In order:

    1. the response is successful (else :class:`~ocspkit.errors.UnsuccessfulResponse`);
    2. it verifies (:func:`verify_response`). By default (``trusted=None``) ``issuer`` is the
       trust anchor, as a client that knows the issuer treats it: the CA itself or a responder it
       delegated to may sign. Pass ``trusted=`` (roots) to check the issuer's chain as well;
    3. a SingleResponse names ``cert`` (:class:`~ocspkit.errors.CertIDMismatch` otherwise); of
       several, the most severe status wins (revoked, then unknown, then good);
    4. producedAt lies within ``cert``'s validity period, and thisUpdate/nextUpdate are current
       at ``now`` within ``leeway`` and ``max_age``
       (:class:`~ocspkit.errors.StaleResponse`, see :func:`ocspkit.check_validity`);
    5. with ``request``, the response echoes its nonce (:class:`~ocspkit.errors.NonceMismatch`;
       ``allow_missing_nonce=True`` accepts a response without one, as RFC 5019 responders
       send).
    """
    if not isinstance(response, OCSPResponse):
        response = load_response(response)
    if not response.successful:
        raise UnsuccessfulResponse(response.response_status)
    basic = response.basic
    subject = cert_info(cert)
    issuer_info = cert_info(issuer)
    if not issuer_info.same_subject(subject.issuer_der, subject.issuer_key):
        raise OCSPValueError(
            f"{issuer_info.label} is not the issuer of {subject.label} (whose issuer is {name_text(subject.issuer)})"
        )
    moment = _now(now)
    verify_flags = _flags(flags)
    if trusted is None:
        anchors = [Anchor(issuer_info, TrustedCertificate(issuer_info.cert), direct=True)]
    else:
        anchors = trust_anchors(trusted)
    # The issuer helps find the signer (CA-signed responses often carry no certificates; OpenSSL's
    # app retries with -issuer the same way) and build the chain; the caller's certificates first.
    extra = [*untrusted_certs(untrusted), issuer_info]
    # The SingleResponses for this certificate first (as BoringSSL and Go look for them): a
    # response about other certificates is a CertIDMismatch whoever signed it.
    checks: List[Check] = []
    matching = [s for s in basic.responses if _answers_for(s.cert_id, subject, issuer_info)]
    serial = f"{subject.facts.serial_number:X}"
    if not matching:
        raise _fail(
            CertIDMismatch,
            f"the response has no SingleResponse for {subject.label} (serial {serial}) issued by "
            f"{issuer_info.label}; it answers for serial(s) "
            + (", ".join(f"{s.cert_id.serial_number:X}" for s in basic.responses[:8]) or "none"),
            checks,
        )
    single = max(matching, key=lambda s: _SEVERITY.get(s.cert_status, 1))
    checks.append(Check("cert_id", "passed", f"{len(matching)} SingleResponse(s) for serial {serial}"))
    # RFC 6960 4.2.2.2: the signer must be authorized for this certificate's issuer; answers
    # about other issuers in the same response do not concern this call.
    verdict = _verify_basic(basic, anchors, extra, verify_flags, moment, checks, matching)

    produced = basic.produced_at
    if not subject.not_before <= produced <= subject.not_after:
        error = _fail(
            StaleResponse,
            f"producedAt {time_text(produced)} is outside the validity of {subject.label} "
            f"({time_text(subject.not_before)} to {time_text(subject.not_after)})",
            checks,
        )
        error.rule = "produced_at_outside_certificate_validity"  # type: ignore[attr-defined]
        error.rules = (error.rule,)  # type: ignore[attr-defined]
        raise error
    checks.append(Check("produced_at", "passed", f"{time_text(produced)}, within the certificate's validity"))
    try:
        check_validity(single.this_update, single.next_update, leeway=leeway, max_age=max_age, now=moment)
    except StaleResponse as exc:
        exc.checks = tuple(checks)
        raise
    checks.append(Check("validity", "passed", f"thisUpdate/nextUpdate current at {time_text(moment)}"))

    nonce: Optional[NonceCheck] = None
    if request is not None:
        if not isinstance(request, OCSPRequest):
            request = load_request(request)
        try:
            require_nonce(request, response, allow_missing=allow_missing_nonce)
        except VerificationError as exc:
            exc.checks = tuple(checks)
            raise
        nonce = compare_nonces(request, response).outcome
        checks.append(Check("nonce", "passed", nonce.name))
    else:
        checks.append(Check("nonce", "skipped", "no request given"))
    final = dataclasses.replace(verdict, checks=tuple(checks))
    return CertificateStatus(single.cert_status, single, final, response, nonce)


def _answers_for(cert_id: CertID, subject: CertInfo, issuer: CertInfo) -> bool:
    if cert_id.serial_number != subject.facts.serial_number:
        return False
    return bool(_names_issuer(issuer, cert_id))
