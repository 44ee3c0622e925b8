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

The chain check covers what OCSP needs, as OpenSSL's ``X509_verify_cert`` does it for an OCSP
signer: signatures, validity at ``now``, basicConstraints CA and pathLenConstraint, keyUsage
keyCertSign, critical extensions OpenSSL does not know. It is not a general RFC 5280 path
validator: no name constraints, no policies, no CRLs, and the responder certificate's own
revocation status is not checked (``Verdict.nocheck`` tells whether the responder says it need
not be). ``docs/verification.md`` has the details.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import threading
from collections.abc import Iterable
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple, Union

from asn1crypto import pem, x509

from . import crypto
from ._deps import ASN1_ERRORS
from ._der import check_whole_octets, received, unarmor, unused_bits
from ._fast import CertFacts
from ._util import int_text, to_utc
from .asn1 import OID, X509CertAux
from .certid import CertID
from .enums import CertStatus, NamedMember, NonceCheck, ResponderIDType
from .errors import (
    CertIDMismatch,
    ChainError,
    OCSPError,
    OCSPTypeError,
    OCSPValueError,
    ParseError,
    ResponderNotAuthorized,
    SignatureError,
    SignerNotFound,
    StaleResponse,
    UnsuccessfulResponse,
    UnsupportedError,
    VerificationError,
)
from .nonce import compare_nonces, require_nonce
from .oid import ExtensionOID
from .request import OCSPRequest, load_request
from .response import BasicOCSPResponse, OCSPResponse, SingleResponse, load_response
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


# Short attribute names for labels, as OpenSSL prints Names (RFC 4514 3 and OpenSSL's own).
_SHORT = {
    "common_name": "CN", "organization_name": "O", "organizational_unit_name": "OU",
    "country_name": "C", "locality_name": "L", "state_or_province_name": "ST",
    "domain_component": "DC", "serial_number": "serialNumber", "email_address": "emailAddress",
}


def _name_text(name: Any) -> str:
    """A Name the way ``openssl x509 -subject`` prints it: ``C = US, O = Example, CN = Leaf``."""
    try:
        parts = []
        for rdn in name.chosen:
            for attribute in rdn:
                kind = attribute["type"]
                label = _SHORT.get(kind.native, kind.dotted if kind.native == kind.dotted else kind.native)
                value = attribute["value"].native
                parts.append(f"{label} = {value if isinstance(value, str) else attribute['value'].dump().hex()}")
        return ", ".join(parts) or "(empty name)"
    except ASN1_ERRORS:  # an unreadable Name still gets a label
        return "<unreadable name>"


def _describe_cert(cert: Any) -> str:
    try:
        subject = cert.subject
    except ASN1_ERRORS:
        return "<certificate>"
    return _name_text(subject)


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
        chain = " <- ".join(_describe_cert(c) for c in self.chain) or "(none)"
        lines = [
            f"verified: authorized as {self.authorization.value}",
            f"signer: {_describe_cert(self.signer)} (from the {self.signer_source} certificates)"
            + (", id-pkix-ocsp-nocheck" if self.nocheck else ""),
            f"chain: {chain}",
        ]
        lines += [f"  {check}" for check in self.checks]
        return "\n".join(lines)

    def __repr__(self) -> str:
        # Short, and never the dataclass repr: that would repr the asn1crypto certificates, whose
        # repr re-encodes a certificate received with an indefinite length (see _der.received)
        # and raises ValueError on a GeneralizedTime without "Z". str() gives every check.
        return (f"<Verdict {self.authorization} signer={_cert_repr(self.signer)} from {self.signer_source}, "
                f"chain of {len(self.chain)}, {len(self.checks)} checks>")


def _cert_repr(cert: Any) -> str:
    """A certificate in a repr, by its subject (never asn1crypto's repr, see Verdict.__repr__)."""
    return f"<Certificate {_describe_cert(cert)}>"


# --- certificates, read once ------------------------------------------------------------------

# OpenSSL X509_supported_extension(): a critical extension outside this set fails the chain.
_KNOWN_CRITICAL = frozenset({
    ExtensionOID.NETSCAPE_CERT_TYPE,
    ExtensionOID.KEY_USAGE,
    ExtensionOID.SUBJECT_ALTERNATIVE_NAME,
    ExtensionOID.BASIC_CONSTRAINTS,
    ExtensionOID.CERTIFICATE_POLICIES,
    ExtensionOID.CRL_DISTRIBUTION_POINTS,
    ExtensionOID.EXTENDED_KEY_USAGE,
    ExtensionOID.IP_ADDRESS_BLOCKS,
    ExtensionOID.AUTONOMOUS_SYSTEM_IDS,
    OID.NOCHECK,
    ExtensionOID.POLICY_CONSTRAINTS,
    ExtensionOID.PROXY_CERT_INFO,
    ExtensionOID.NAME_CONSTRAINTS,  # OpenSSL enforces them; ocspkit does not, see the docs
    ExtensionOID.POLICY_MAPPINGS,
    ExtensionOID.INHIBIT_ANY_POLICY,
})
_NS_ANY_CA = 0x07  # netscape-cert-type bits sslCA | smimeCA | objCA (NS_ANY_CA)


def _parse_time(value: Any) -> _dt.datetime:
    native = value.native
    if native.tzinfo is None:
        native = native.replace(tzinfo=_UTC)
    return native.astimezone(_UTC)  # type: ignore[no-any-return]


class _Cert:
    """What verification needs of a certificate, read once per DER (see :func:`_cert`)."""

    __slots__ = (
        "_anchor",
        "_public_key",
        "akid_keyid",
        "akid_serial",
        "algorithms_match",
        "ca_kind",
        "cert",
        "critical_unknown",
        "der",
        "eku",
        "facts",
        "issuer",
        "issuer_der",
        "issuer_key",
        "key_algorithm",
        "key_usage",
        "label",
        "nocheck",
        "not_after",
        "not_before",
        "path_len",
        "self_issued",
        "self_signed",
        "signed_with",
        "ski",
        "spki",
        "spki_der",
        "subject_key",
    )

    def __init__(self, cert: Any, der: bytes) -> None:
        tbs = cert["tbs_certificate"]
        self.cert = cert
        self.der = der
        self.facts = CertFacts(cert)
        self.issuer = tbs["issuer"]
        self.issuer_der = received(self.issuer)
        # Names compared as OpenSSL's X509_NAME_cmp does, on a canonical form (RFC 5280 7.1):
        # asn1crypto's normalized ``hashable``, computed once per certificate.
        self.subject_key = _name_key(tbs["subject"])
        self.issuer_key = _name_key(self.issuer)
        self.spki = tbs["subject_public_key_info"]
        self.spki_der = received(self.spki)
        # RFC 5280 4.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier as the
        # signature field in the sequence tbsCertificate"; compared as encoded, as received.
        self.algorithms_match = received(cert["signature_algorithm"]) == received(tbs["signature"])
        algorithm = self.spki["algorithm"]["algorithm"].native
        self.key_algorithm = "rsa" if algorithm == "rsassa_pss" else str(algorithm)
        try:
            self.signed_with: Optional[str] = crypto._description(cert["signature_algorithm"])[1]
        except OCSPError:  # an algorithm ocspkit cannot verify: the signature check says so later
            self.signed_with = None
        self.label = _name_text(tbs["subject"])
        validity = tbs["validity"]
        self.not_before = _parse_time(validity["not_before"])
        self.not_after = _parse_time(validity["not_after"])
        self._public_key: Optional[crypto.PublicKey] = None
        self._anchor: Optional[_Anchor] = None
        bc = cert.basic_constraints_value
        ku = cert.key_usage_value
        self.key_usage = None if ku is None else frozenset(ku.native)
        eku = cert.extended_key_usage_value
        self.eku = None if eku is None else frozenset(oid.dotted for oid in eku)
        self.ski = cert.key_identifier
        akid = cert.authority_key_identifier_value
        self.akid_keyid = None if akid is None else akid["key_identifier"].native
        self.akid_serial = None if akid is None else akid["authority_cert_serial_number"].native
        self.nocheck = cert.ocsp_no_check_value is not None
        self.critical_unknown = tuple(
            ext["extn_id"].dotted
            for ext in (tbs["extensions"] if tbs["extensions"].native is not None else ())
            if ext["critical"].native and ext["extn_id"].dotted not in _KNOWN_CRITICAL
        )
        self.path_len: Optional[int] = None
        self.self_issued = self.issuer_der == self.facts.subject_der or self.issuer_key == self.subject_key
        # OpenSSL EXFLAG_SS: self-issued, and the AKID (if any) does not point to another key.
        self.self_signed = self.self_issued and (
            self.akid_keyid is None or self.ski is None or self.akid_keyid == self.ski
        )
        self.ca_kind = self._check_ca(bc, tbs, cert)

    def _check_ca(self, bc: Any, tbs: Any, cert: Any) -> int:
        """OpenSSL's check_ca(): 0 not a CA, 1 basicConstraints cA, 3 a v1 self-signed root,
        4 keyUsage with keyCertSign but no basicConstraints, 5 a Netscape CA type."""
        if self.key_usage is not None and "key_cert_sign" not in self.key_usage:
            return 0  # RFC 5280 4.2.1.3: a key that may not sign certificates is no CA key
        if bc is not None:
            if bc["ca"].native:
                self.path_len = bc["path_len_constraint"].native
                return 1
            return 0
        if tbs["version"].native == "v1" and self.self_signed:
            return 3
        if self.key_usage is not None:
            return 4
        for ext in tbs["extensions"] if tbs["extensions"].native is not None else ():
            if ext["extn_id"].dotted == ExtensionOID.NETSCAPE_CERT_TYPE:
                bits = ext["extn_value"].contents
                # The DER of a BIT STRING: tag, length, unused-bits octet, then bits 0-7.
                if len(bits) >= 4 and bits[0] == 0x03 and bits[3] & _NS_ANY_CA:
                    return 5
        return 0

    @property
    def public_key(self) -> crypto.PublicKey:
        key = self._public_key
        if key is None:
            key = self._public_key = crypto.load_public_key(self.spki)
        return key

    @property
    def anchor(self) -> _Anchor:
        """This certificate as a plain trust anchor (no trust settings), made once."""
        anchor = self._anchor
        if anchor is None:
            anchor = self._anchor = _Anchor(self, TrustedCertificate(self.cert))
        return anchor

    def same_subject(self, name_der: bytes, name_key: Optional[str] = None) -> bool:
        """Whether the subject equals a Name given as DER, with its :func:`_name_key` if known
        (byte-equal, else equal after RFC 5280 7.1 normalization)."""
        if self.facts.subject_der == name_der:
            return True
        if name_key is None:
            name_key = _name_key_of_der(name_der)
        return name_key is not None and name_key == self.subject_key


def _name_key(name: Any) -> Optional[str]:
    try:
        return str(name.hashable)
    except ASN1_ERRORS:  # an unreadable Name matches nothing but its own bytes
        return None


_NAME_KEYS: Dict[bytes, Optional[str]] = {}


def _name_key_of_der(der: bytes) -> Optional[str]:
    """:func:`_name_key` of a Name's DER, remembered (responder IDs repeat)."""
    if der in _NAME_KEYS:
        return _NAME_KEYS[der]
    try:
        name = x509.Name.load(der)
    except ASN1_ERRORS:
        name = None
    key = None if name is None else _name_key(name)
    with _LOCK:
        if len(_NAME_KEYS) >= _CERTS_MAX:
            _NAME_KEYS.clear()
        _NAME_KEYS[der] = key
    return key


_CERTS: Dict[bytes, _Cert] = {}
_LOCK = threading.Lock()
_CERTS_MAX = 512  # responders, their issuers and roots: a client meets few; bounded all the same


def _cert(source: Any) -> _Cert:
    """The :class:`_Cert` of a certificate (DER bytes or anything crypto.load_certificate takes),
    remembered by its DER."""
    if _is_der(source):  # PEM, paths and objects go through loading
        der = source
        cert = None
    else:
        cert = crypto.load_certificate(source)
        der = received(cert)
    found = _CERTS.get(der)
    if found is not None:
        return found
    if cert is None:
        cert = crypto.load_certificate(der)
    try:
        # asn1crypto parses lazily: read every field now (load_certificate did for bytes, not for
        # an asn1crypto object passed in), so that _Cert's reads cannot fail on hostile bytes and
        # whatever _Cert raises is an ocspkit bug.
        cert.native  # noqa: B018
    except ASN1_ERRORS as exc:
        raise ParseError(f"cannot read the certificate {_describe_cert(cert)}: {exc}") from exc
    info = _Cert(cert, der)
    with _LOCK:
        if len(_CERTS) >= _CERTS_MAX:
            _CERTS.clear()
        _CERTS[der] = info
    return info


# (child DER, issuer SubjectPublicKeyInfo DER) pairs whose signature verified: a certificate's
# signature never changes, so checking it once per process is enough.
_SIGNED: Set[Tuple[bytes, bytes]] = set()


def _signed_by(child: _Cert, issuer: _Cert) -> bool:
    key = (child.der, issuer.spki_der)
    if key in _SIGNED:
        return True
    cert = child.cert
    try:
        if unused_bits(cert["signature_value"]):
            return False  # not whole octets: no signature (OpenSSL: invalid bit string bits left)
        crypto.verify_signature(
            issuer.public_key, cert["signature_value"].native, received(cert["tbs_certificate"]),
            cert["signature_algorithm"],
        )
    except (SignatureError, UnsupportedError, ParseError, ValueError):
        return False
    with _LOCK:
        if len(_SIGNED) >= 4 * _CERTS_MAX:
            _SIGNED.clear()
        _SIGNED.add(key)
    return True


# --- trust ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class TrustedCertificate:
    """A trust anchor with OpenSSL's auxiliary trust settings (``openssl x509 -addtrust`` /
    ``-addreject``, written as a ``TRUSTED CERTIFICATE`` PEM block).

    ``trust`` and ``reject`` are sets of dotted purpose OIDs. A chain whose last certificate
    trusts id-kp-OCSPSigning (:meth:`for_ocsp_signing`) authorizes any response it leads to
    (OpenSSL's explicit trust; turned off by ``NOEXPLICIT``). ``alias`` is the friendly name.
    """

    certificate: Any
    trust: frozenset = frozenset()  # type: ignore[type-arg]
    reject: frozenset = frozenset()  # type: ignore[type-arg]
    alias: Optional[str] = None

    @classmethod
    def for_ocsp_signing(cls, certificate: Any) -> TrustedCertificate:
        """``certificate`` explicitly trusted for OCSP signing (``-addtrust OCSPSigning``)."""
        return cls(crypto.load_certificate(certificate), frozenset({OID.KP_OCSP_SIGNING}))

    def __repr__(self) -> str:
        # Not the dataclass repr, for the certificate's sake: see Verdict.__repr__.
        return (
            f"TrustedCertificate(certificate={_cert_repr(self.certificate)}, trust={self.trust!r}, "
            f"reject={self.reject!r}, alias={self.alias!r})"
        )

    @property
    def has_aux(self) -> bool:
        """Whether the anchor carries trust settings (a ``TRUSTED CERTIFICATE`` with
        ``-addtrust`` or ``-addreject``)."""
        return bool(self.trust or self.reject)

    def explicitly_trusts(self, purpose: str) -> bool:
        """OpenSSL's obj_trust(): trusted for ``purpose`` and not rejected for it."""
        return purpose not in self.reject and purpose in self.trust


def _trusted_from_pem_block(der: bytes, origin: str) -> TrustedCertificate:
    try:
        cert = x509.Certificate.load(der)
        cert_der = received(cert)
        rest = der[len(cert_der):]
        cert = crypto.load_certificate(cert_der)
        aux = X509CertAux.load(rest, strict=True) if rest else None
        trust = frozenset() if aux is None or aux["trust"].native is None else frozenset(
            o.dotted for o in aux["trust"]
        )
        reject = frozenset() if aux is None or aux["reject"].native is None else frozenset(
            o.dotted for o in aux["reject"]
        )
        alias = None if aux is None else aux["alias"].native
    except OCSPError:  # load_certificate's ParseError: a ValueError, which ASN1_ERRORS names
        raise
    except ASN1_ERRORS as exc:
        raise ParseError(f"cannot parse the TRUSTED CERTIFICATE{origin}: {exc}") from exc
    return TrustedCertificate(cert, trust, reject, alias)


def load_trusted_certificates(source: Any) -> List[TrustedCertificate]:
    """Trust anchors from ``source``: a PEM bundle (bytes, str or a file path) whose
    ``CERTIFICATE`` and ``TRUSTED CERTIFICATE`` blocks are read (the latter with their OpenSSL
    trust settings), DER bytes, a certificate object, a :class:`TrustedCertificate`, or an
    iterable of these."""
    if isinstance(source, TrustedCertificate):
        return [source]
    data: Optional[bytes] = None
    origin = ""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, str) and "-----BEGIN" in source:
        data = source.encode("ascii", "replace")
    elif isinstance(source, str) or hasattr(source, "__fspath__"):
        path = str(source) if isinstance(source, str) else str(source.__fspath__())
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise ParseError(f"cannot read the trusted certificates in {path}: {exc.strerror or exc}") from exc
        origin = f" in {path}"
    if data is not None:
        if pem.detect(data):
            result: List[TrustedCertificate] = []
            try:
                blocks = list(unarmor(data))  # asn1crypto's pem.unarmor, in linear time
            except ASN1_ERRORS as exc:
                raise ParseError(f"malformed PEM{origin}: {exc}") from exc
            for kind, _headers, der in blocks:
                if kind == "TRUSTED CERTIFICATE":
                    result.append(_trusted_from_pem_block(der, origin))
                elif kind in ("CERTIFICATE", "X509 CERTIFICATE"):
                    result.append(TrustedCertificate(crypto.load_certificate(der)))
            if not result:
                raise ParseError(f"no CERTIFICATE or TRUSTED CERTIFICATE block found{origin}")
            return result
        return [TrustedCertificate(c) for c in crypto.load_certificates(data)]
    if isinstance(source, Iterable) and not isinstance(source, (str, x509.Certificate)):
        out: List[TrustedCertificate] = []
        for item in source:
            out.extend(load_trusted_certificates(item))
        return out
    return [TrustedCertificate(c) for c in crypto.load_certificates(source)]


class _Anchor:
    __slots__ = ("direct", "info", "trusted")

    def __init__(self, info: _Cert, trusted: TrustedCertificate, direct: bool = False) -> None:
        self.info = info
        self.trusted = trusted
        # A direct anchor is a certificate the caller names as the issuer (check_status): like
        # an RFC 5280 trust anchor it is a name and a key, so its own extensions and AKID are not
        # held against it (BoringSSL and Go treat the issuer the same way).
        self.direct = direct


def _is_der(item: Any) -> bool:
    return isinstance(item, bytes) and item[:1] == b"\x30"


def _items(source: Any) -> List[Any]:
    """One source or an iterable of sources, as a list of sources."""
    if source is None:
        return []
    if isinstance(source, (bytes, bytearray, memoryview, str, x509.Certificate, TrustedCertificate)):
        return [source]
    if hasattr(source, "__fspath__") or not isinstance(source, Iterable):
        return [source]
    return list(source)


def _anchors(trusted: Any) -> List[_Anchor]:
    anchors: List[_Anchor] = []
    for item in _items(trusted):
        # The common forms (DER bytes, certificate objects) hit the per-DER cache directly.
        if _is_der(item) or isinstance(item, x509.Certificate):
            anchors.append(_cert(item).anchor)
        else:
            anchors.extend(_Anchor(_cert(t.certificate), t) for t in load_trusted_certificates(item))
    return anchors


def _untrusted(certs: Any) -> List[_Cert]:
    out: List[_Cert] = []
    for item in _items(certs):
        if _is_der(item) or isinstance(item, x509.Certificate):
            out.append(_cert(item))
        else:
            out.extend(_cert(c) for c in crypto.load_certificates(item))
    return out


# --- the chain (X509_verify_cert as OCSP uses it) ----------------------------------------------


def _fail(cls: type, message: str, checks: List[Check]) -> VerificationError:
    error: VerificationError = cls(message)
    error.checks = tuple(checks)
    return error


def _issued(child: _Cert, parent: _Cert, direct: bool = False) -> bool:
    """OpenSSL's X509_check_issued(): parent's subject is child's issuer and child's AKID
    (if any) points at parent (RFC 5280 4.2.1.1); the signature is checked separately."""
    if not parent.same_subject(child.issuer_der, child.issuer_key):
        return False
    if direct:
        return True
    # OpenSSL's check_sig_alg_match: the child's signature algorithm fits the parent's key type.
    if child.signed_with is not None and parent.key_algorithm != child.signed_with:
        return False
    if child.akid_keyid is not None and parent.ski is not None and child.akid_keyid != parent.ski:
        return False
    return child.akid_serial is None or child.akid_serial == parent.facts.serial_number


class _ChainFailure(Exception):
    def __init__(self, openssl: str, message: str) -> None:
        self.openssl = openssl
        super().__init__(message)


def _stamp(value: _dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%SZ")


# Chains that passed, by everything that decided them, with the window of time in which they
# hold (the latest notBefore to the earliest notAfter): a client verifying responses from one
# responder repeats the same chain, and rebuilding it gives the same answer.
_CHAINS: Dict[Tuple[Any, ...], Tuple[List[_Cert], int, _dt.datetime, _dt.datetime]] = {}


def _chain_for(
    signer: _Cert,
    anchors: List[_Anchor],
    untrusted: List[_Cert],
    now: _dt.datetime,
    partial: bool,
) -> Tuple[List[_Cert], _Anchor]:
    """:func:`_build_chain`, remembered."""
    key = (
        signer.der,
        tuple((a.info.der, a.direct, a.trusted.trust, a.trusted.reject) for a in anchors),
        tuple(c.der for c in untrusted),
        partial,
    )
    found = _CHAINS.get(key)
    if found is not None:
        chain, index, start, end = found
        if start <= now < end:
            return chain, anchors[index]
    chain, anchor = _build_chain(signer, anchors, untrusted, now, partial)
    start = max(c.not_before for c in chain)
    end = min(c.not_after for c in chain)
    with _LOCK:
        if len(_CHAINS) >= _CERTS_MAX:
            _CHAINS.clear()
        _CHAINS[key] = (chain, anchors.index(anchor), start, end)
    return chain, anchor


def _build_chain(
    signer: _Cert,
    anchors: List[_Anchor],
    untrusted: List[_Cert],
    now: _dt.datetime,
    partial: bool,
) -> Tuple[List[_Cert], _Anchor]:
    """The signer's chain to a trust anchor, checked; raises _ChainFailure with OpenSSL's
    verify error string and a message naming the certificate.

    As X509_verify_cert builds it: each issuer is looked for among the trusted certificates
    first, then among ``untrusted``; once a trusted issuer is found only trusted ones are looked
    for. The chain ends at a trusted self-signed certificate, or (PARTIAL_CHAIN, or a direct
    anchor) at any trusted one.
    """
    by_der = {a.info.der: a for a in anchors}
    chain = [signer]
    anchor = by_der.get(signer.der)
    if anchor is not None and not (signer.self_signed or partial or anchor.direct):
        anchor = None  # a trusted signer that is not self-signed still needs its issuer
    in_store = False
    while anchor is None:
        current = chain[-1]
        if len(chain) > 100:
            raise _ChainFailure("certificate chain too long", "the signer's chain is longer than 100 certificates")
        if current.self_signed:
            if len(chain) == 1:
                raise _ChainFailure(
                    "self-signed certificate",
                    f"the signer {current.label} is self-signed and is not one of the trusted certificates",
                )
            raise _ChainFailure(
                "self-signed certificate in certificate chain",
                f"the chain ends in {current.label}, which is self-signed but not among the trusted certificates",
            )
        found = _pick_issuer(current, [a.info for a in anchors], chain, now, direct_ok=True, by_der=by_der)
        if found is not None:
            chain.append(found)
            in_store = True
            trusted = by_der[found.der]
            if found.self_signed or partial or trusted.direct:
                anchor = trusted
            continue
        if in_store:
            raise _ChainFailure(
                "unable to get issuer certificate",
                f"{current.label} is trusted but is not self-signed, and its issuer is not among the "
                "trusted certificates (pass its root, or use PARTIAL_CHAIN)",
            )
        found = _pick_issuer(current, untrusted, chain, now)
        if found is None:
            raise _ChainFailure(
                "unable to get local issuer certificate",
                f"no trusted or supplied certificate issued {current.label} (its issuer is "
                f"{_name_text(current.issuer)}); pass that CA in trusted= or untrusted=",
            )
        chain.append(found)
        if found.der in by_der and (found.self_signed or partial):
            anchor = by_der[found.der]
    _check_chain(chain, anchor, now)
    return chain, anchor


def _pick_issuer(
    child: _Cert,
    candidates: Sequence[_Cert],
    chain: Sequence[_Cert],
    now: _dt.datetime,
    direct_ok: bool = False,
    by_der: Optional[Dict[bytes, _Anchor]] = None,
) -> Optional[_Cert]:
    """OpenSSL's find_issuer: of the candidates that issued ``child`` (by name, AKID and key
    type; signatures are checked later, in _check_chain), the first valid at ``now``, else the
    one that expires last."""
    fallback: Optional[_Cert] = None
    for candidate in candidates:
        if candidate in chain:
            continue
        direct = direct_ok and by_der is not None and by_der[candidate.der].direct
        if not _issued(child, candidate, direct):
            continue
        if candidate.not_before <= now < candidate.not_after:
            return candidate
        if fallback is None or candidate.not_after > fallback.not_after:
            fallback = candidate
    return fallback


def _check_chain(chain: List[_Cert], anchor: _Anchor, now: _dt.datetime) -> None:
    """OpenSSL's check_chain_extensions, check_trust and internal_verify, in that order."""
    last = len(chain) - 1
    plen = 0
    for i, cert in enumerate(chain):
        direct = i == last and anchor.direct
        if cert.critical_unknown and not direct:
            raise _ChainFailure(
                "unhandled critical extension",
                f"{cert.label} has a critical extension ocspkit (like OpenSSL) does not handle: "
                + ", ".join(cert.critical_unknown),
            )
        if i > 0 and not direct:
            # RFC 5280 4.2.1.9: every issuing certificate must be a CA; OpenSSL is strict for
            # intermediates and accepts a v1 self-signed root or keyUsage-only CA as the anchor.
            if cert.ca_kind == 0 or (i < last and cert.ca_kind != 1):
                raise _ChainFailure(
                    "invalid CA certificate",
                    f"{cert.label} issues {chain[i - 1].label} but is not a valid CA certificate "
                    "(basicConstraints cA with keyCertSign in keyUsage, RFC 5280 4.2.1.9 / 4.2.1.3)",
                )
            if i > 1 and cert.path_len is not None and plen > cert.path_len:
                raise _ChainFailure(
                    "path length constraint exceeded",
                    f"{cert.label} allows {int_text(cert.path_len)} intermediate(s) below it (pathLenConstraint), "
                    f"the chain has {plen}",
                )
        if i > 0 and not cert.self_issued:
            plen += 1
    # Trust settings of the anchor play no part here, for requests either: OpenSSL sets the
    # "OCSP helper" purpose first, which fixes the trust to "compatible", so its later
    # X509_TRUST_OCSP_REQUEST does not take (verified against libcrypto 3.0 in the tests).
    for i in range(last, -1, -1):
        cert = chain[i]
        if i < last and not cert.algorithms_match:
            # RFC 5280 4.1.1.2: the two AlgorithmIdentifiers must match; OpenSSL's X509_verify
            # refuses a certificate whose two differ before looking at its signature.
            raise _ChainFailure(
                "certificate signature failure",
                f"the signatureAlgorithm of {cert.label} differs from its tbsCertificate.signature "
                "(RFC 5280 4.1.1.2)",
            )
        if i < last and not _signed_by(cert, chain[i + 1]):
            raise _ChainFailure(
                "certificate signature failure",
                f"the signature on {cert.label} does not verify with the key of {chain[i + 1].label}",
            )
        if cert.not_before > now:
            raise _ChainFailure(
                "certificate is not yet valid",
                f"{cert.label} is not valid before {_stamp(cert.not_before)} (now {_stamp(now)})",
            )
        if cert.not_after <= now:
            raise _ChainFailure(
                "certificate has expired",
                f"{cert.label} expired at {_stamp(cert.not_after)} (now {_stamp(now)})",
            )


# --- the signer and the authorization --------------------------------------------------------


def _find_by_responder_id(certs: Sequence[_Cert], basic: BasicOCSPResponse) -> Optional[_Cert]:
    """ocsp_find_signer_sk: the first certificate the responderID names (RFC 6960 4.2.2.3)."""
    rid = basic.responder_id
    if rid.type is ResponderIDType.BY_NAME:
        # X509_find_by_subject: the first certificate whose subject equals the Name, compared
        # in canonical form (so a case variant earlier in the list wins, as in OpenSSL).
        name_der = rid.name_der or b""
        name_key = _name_key_of_der(name_der) if certs else None
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
        return f"byName {_name_text(name)}"
    return f"byKey {(rid.key_hash or b'').hex().upper()}"


def _names_issuer(info: _Cert, cert_id: CertID) -> Optional[bool]:
    """ocsp_match_issuerid for one CertID: None when its hash algorithm is unknown."""
    try:
        name_hash, key_hash = info.facts.issuer_hashes(cert_id.hash_algorithm)
    except (OCSPError, ValueError):
        return None
    return name_hash == cert_id.issuer_name_hash and key_hash == cert_id.issuer_key_hash


def _match_all(info: _Cert, cert_ids: Sequence[CertID]) -> Optional[bool]:
    for cert_id in cert_ids:
        matched = _names_issuer(info, cert_id)
        if not matched:
            return matched
    return True


def _authorize(
    singles: Sequence[SingleResponse], chain: List[_Cert], checks: List[Check]
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


def _message_certs(certs_der: Sequence[bytes]) -> List[_Cert]:
    return [_cert(der) for der in certs_der]


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
    return _verify_basic(_basic_of(response), _anchors(trusted), _untrusted(untrusted), _flags(flags), _now(now))


def _verify_basic(
    basic: BasicOCSPResponse,
    anchors: List[_Anchor],
    untrusted: List[_Cert],
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
    signer: _Cert,
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
    signer: _Cert,
    source: str,
    anchors: List[_Anchor],
    untrusted: List[_Cert],
    message_certs: List[_Cert],
    flags: VerifyFlags,
    now: _dt.datetime,
    checks: List[Check],
    singles: Optional[Sequence[SingleResponse]] = None,
) -> Verdict:
    def verdict(authorization: Authorization, chain: Sequence[_Cert]) -> Verdict:
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
        helpers: List[_Cert] = []
    elif basic is None:
        helpers = message_certs  # OCSP_request_verify builds with the request's certificates only
    else:
        helpers = message_certs + untrusted
    try:
        chain, anchor = _chain_for(signer, anchors, helpers, now, bool(int(flags) & _PARTIAL_CHAIN))
    except _ChainFailure as exc:
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
    anchors = _anchors(trusted)
    extra = _untrusted(untrusted)
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
    message_certs = [_cert(c) for c in request.certs]
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
            f"{_name_text(x509.Name.load(name_der))} as its subject (pass it in untrusted=)",
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
    subject = _cert(cert)
    issuer_info = _cert(issuer)
    if not issuer_info.same_subject(subject.issuer_der, subject.issuer_key):
        raise OCSPValueError(
            f"{issuer_info.label} is not the issuer of {subject.label} (whose issuer is {_name_text(subject.issuer)})"
        )
    moment = _now(now)
    verify_flags = _flags(flags)
    if trusted is None:
        anchors = [_Anchor(issuer_info, TrustedCertificate(issuer_info.cert), direct=True)]
    else:
        anchors = _anchors(trusted)
    # The issuer helps find the signer (CA-signed responses often carry no certificates; OpenSSL's
    # app retries with -issuer the same way) and build the chain; the caller's certificates first.
    extra = [*_untrusted(untrusted), issuer_info]
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
            f"producedAt {_stamp(produced)} is outside the validity of {subject.label} "
            f"({_stamp(subject.not_before)} to {_stamp(subject.not_after)})",
            checks,
        )
        error.rule = "produced_at_outside_certificate_validity"  # type: ignore[attr-defined]
        error.rules = (error.rule,)  # type: ignore[attr-defined]
        raise error
    checks.append(Check("produced_at", "passed", f"{_stamp(produced)}, within the certificate's validity"))
    try:
        check_validity(single.this_update, single.next_update, leeway=leeway, max_age=max_age, now=moment)
    except StaleResponse as exc:
        exc.checks = tuple(checks)
        raise
    checks.append(Check("validity", "passed", f"thisUpdate/nextUpdate current at {_stamp(moment)}"))

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


def _answers_for(cert_id: CertID, subject: _Cert, issuer: _Cert) -> bool:
    if cert_id.serial_number != subject.facts.serial_number:
        return False
    return bool(_names_issuer(issuer, cert_id))
