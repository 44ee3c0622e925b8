"""Lint OCSP messages: every deviation from DER, RFC 6960 and the RFC 5019 / RFC 9919 profile, in one pass.

>>> for finding in lint(response_der, profile="rfc5019", now=now):
...     print(finding)
ERROR rfc5019.no_next_update response_bytes.response.parsed.tbs_response_data.responses[0] ...

:func:`lint` reads a request or a response (a parsed view, or DER / PEM bytes) with the same
lenient parser as :func:`ocspkit.load_response` / :func:`ocspkit.load_request`, but where loading
refuses a message it still understands (an unknown critical extension, a version other than v1,
a successful status without responseBytes, an unknown responseType) lint reports the problem
instead. Only bytes that cannot be parsed at all raise :class:`ocspkit.errors.ParseError`.

Every :class:`Finding` carries a stable ``code`` (listed in :data:`RULES` and docs/lint.md), a
:class:`Severity`, a human message naming the values, the clause of the standard it enforces and,
where known, the field ``path`` (the dotted asn1crypto path that ParseError and ``.deviations``
use) and the byte ``offset`` of the field in the message.

Severities follow the wording of the clause:

* ``ERROR``: not DER (X.690), or against an RFC's MUST / SHALL / MUST NOT or its ASN.1, or a value
  that cannot be true (thisUpdate after producedAt), or a signature that does not verify;
* ``WARNING``: against a SHOULD / SHOULD NOT / RECOMMENDED, or something conforming clients
  will treat as unreliable (an expired response, a SHA-1 signature);
* ``NOTICE``: allowed, but worth knowing: profile advice, redundancy, MAY-level choices.

With ``profile="rfc5019"`` the checks of RFC 5019 and of RFC 9919 (which obsoletes it) are added
to those of RFC 6960; where the profile tightens a rule (nextUpdate, fractional seconds, the
responder's id-pkix-ocsp-nocheck) its ``rfc5019.*`` finding replaces the generic one.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as _dt
import enum
import types
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple
from urllib.parse import quote

from asn1crypto import core

from . import asn1
from ._deps import ASN1_ERRORS
from ._der import Deviation, Walker, first_child, load_tree, received, to_der, unused_bits
from ._util import hash_name, int_text, to_utc
from .asn1 import OID
from .certinfo import CertInfo, cert_info
from .enums import NamedMember
from .errors import OCSPError, OCSPTypeError, OCSPValueError, ParseError, SignatureError
from .extensions import NonceForm, read_nonce
from .nonce import RFC8954_MAX_NONCE_LENGTH, nonce_length_ok
from .oid import ExtensionOID
from .request import PEM_LABEL as _REQUEST_LABEL
from .request import OCSPRequest
from .response import PEM_LABEL as _RESPONSE_LABEL
from .response import OCSPResponse

__all__ = ["PROFILES", "RULES", "Finding", "Rule", "Severity", "lint"]

#: The profiles :func:`lint` knows: plain RFC 6960, and the lightweight profile of RFC 5019 as
#: updated by RFC 9919 (which adds its rules to RFC 6960's).
PROFILES = ("rfc6960", "rfc5019")


class Severity(NamedMember, enum.IntEnum):
    """How bad a finding is; ordered, so ``finding.severity >= Severity.WARNING`` filters."""

    NOTICE = 1  #: allowed, but worth knowing (profile advice, MAY-level choices, redundancy)
    WARNING = 2  #: against a SHOULD / RECOMMENDED, or treated as unreliable by conforming clients
    ERROR = 3  #: not DER, against a MUST / SHALL or the ASN.1, impossible values, bad signatures


@dataclasses.dataclass(frozen=True)
class Rule:
    """One lint rule: its stable ``code``, ``severity``, the ``clause`` it enforces, a one-line
    ``summary`` and the ``profile`` it belongs to (None: every profile)."""

    code: str
    severity: Severity
    clause: str
    summary: str
    profile: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class Finding:
    """One deviation found by :func:`lint`.

    ``code`` is a key of :data:`RULES`; ``clause`` the standard and section enforced (e.g.
    ``"RFC 6960 4.2.2.1"``, ``"X.690 10.1"``); ``path`` the dotted field path in the message
    (``"response_bytes.response.parsed.tbs_response_data.responses[0].this_update"``) or None
    for the message as a whole; ``offset`` the byte offset of that field's first octet in the
    DER, when known.
    """

    code: str
    severity: Severity
    message: str
    clause: str
    path: Optional[str] = None
    offset: Optional[int] = None

    def __repr__(self) -> str:
        where = f" at {self.path}" if self.path else ""
        return f"<Finding {self.severity} {self.code}{where}>"

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f" {self.path}"
        if self.offset is not None:
            where += f" (offset {self.offset})"
        return f"{self.severity.name} {self.code}{where}: {self.message} [{self.clause}]"


_E, _W, _N = Severity.ERROR, Severity.WARNING, Severity.NOTICE

# RFC 5019 and RFC 9919 number the same text differently (9919 inserts a section 2).
_P_REQ = "RFC 5019 2.1.1; RFC 9919 3.1.1"
_P_SIGNED_REQ = "RFC 5019 2.1.2; RFC 9919 3.1.2"
_P_RESP = "RFC 5019 2.2.1; RFC 9919 3.2.1"
_P_SIGNED_RESP = "RFC 5019 2.2.2; RFC 9919 3.2.2"
_P_TIMES = "RFC 5019 2.2.4; RFC 9919 3.2.4"
_P5019 = "rfc5019"

_RULES: Tuple[Rule, ...] = (
    # --- DER (X.690): what ocspkit._der records while loading --------------------------------
    Rule("der.explicit_default", _E, "X.690 11.5", "a DEFAULT value (version v1, critical FALSE) is encoded"),
    Rule("der.integer_not_minimal", _E, "X.690 8.3.2", "an INTEGER has redundant leading octets"),
    Rule("der.length_not_minimal", _E, "X.690 10.1", "a length is not in the shortest form"),
    Rule("der.indefinite_length", _E, "X.690 10.1", "an indefinite length (BER only)"),
    Rule("der.boolean_not_canonical", _E, "X.690 11.1", "TRUE is not encoded as 0xFF"),
    Rule(
        "der.time_not_der", _E, "X.690 11.7, 11.8",
        "a time is not YYYYMMDDHHMMSS[.f]Z (local time, no seconds, trailing zeros)",
    ),
    Rule("der.bit_string_padding", _E, "X.690 11.2.1", "BIT STRING padding bits are not zero"),
    Rule("der.set_not_sorted", _E, "X.690 11.6", "SET OF elements are not in DER order"),
    Rule("der.constructed_primitive", _E, "X.690 10.2", "a string or primitive type in constructed form"),
    Rule("der.tag_not_minimal", _E, "X.690 8.1.2", "a tag number in the high-tag-number form where one octet fits"),
    Rule("der.other", _E, "X.690 10, 11", "any other BER-not-DER encoding the loader records"),
    # --- message structure -------------------------------------------------------------------
    Rule("version.unsupported", _E, "RFC 6960 4.1.1, 4.2.1", "a version other than v1, the only one defined"),
    Rule("response.missing_bytes", _E, "RFC 6960 4.2.1", "a successful response without responseBytes"),
    Rule("response.bytes_with_error_status", _E, "RFC 6960 4.2.1", "an error status with responseBytes"),
    Rule("response.unknown_type", _E, "RFC 6960 4.2.1", "a responseType other than id-pkix-ocsp-basic"),
    Rule("response.no_single_responses", _E, "RFC 6960 4.2.2.3", "a successful response answering for no certificate"),
    Rule("response.duplicate_cert_id", _N, "RFC 6960 4.2.2.3", "two SingleResponses for one CertID, same status"),
    Rule("response.conflicting_status", _W, "RFC 6960 4.2.2.3", "two SingleResponses for one CertID disagree"),
    Rule("request.empty", _E, "RFC 6960 2.1, 4.1.1", "a request asking about no certificate"),
    Rule("request.duplicate_cert_id", _N, "RFC 6960 4.1.1", "one CertID asked twice"),
    Rule("request.signed_without_requestor_name", _E, "RFC 6960 4.1.2", "a signed request without requestorName"),
    Rule("responder_id.key_hash_length", _E, "RFC 6960 4.2.1", "a byKey KeyHash that is not a 20-octet SHA-1 hash"),
    # --- CertID ------------------------------------------------------------------------------
    Rule("certid.unknown_hash", _W, "RFC 6960 4.1.1", "a CertID hash algorithm ocspkit does not know"),
    Rule("certid.hash_length", _E, "RFC 6960 4.1.1", "issuerNameHash / issuerKeyHash not as long as the hash"),
    Rule("serial.not_positive", _W, "RFC 5280 4.1.2.2", "a serial number that is zero or negative"),
    Rule("serial.too_long", _W, "RFC 5280 4.1.2.2", "a serial number longer than 20 octets"),
    # --- times -------------------------------------------------------------------------------
    Rule("time.fractional_seconds", _W, "RFC 5280 4.1.2.5.2", "a GeneralizedTime with fractional seconds"),
    Rule("time.no_next_update", _N, "RFC 6960 4.2.2.1", "no nextUpdate: newer information is always available"),
    Rule("time.this_update_after_produced_at", _E, "RFC 6960 4.2.2.1", "thisUpdate is later than producedAt"),
    Rule("time.next_update_before_this_update", _E, "RFC 6960 4.2.2.1", "nextUpdate is earlier than thisUpdate"),
    Rule("time.revoked_after_this_update", _W, "RFC 6960 4.2.2.1", "revocationTime is later than thisUpdate"),
    Rule("time.produced_at_in_future", _W, "RFC 6960 4.2.2.1", "producedAt is later than now"),
    Rule("time.this_update_in_future", _W, "RFC 6960 4.2.2.1", "thisUpdate is later than now: unreliable"),
    Rule("time.next_update_in_past", _W, "RFC 6960 4.2.2.1", "nextUpdate is earlier than now: unreliable"),
    # --- revocation --------------------------------------------------------------------------
    Rule("reason.unspecified", _W, "RFC 5280 5.3.1", "the reason unspecified (0) instead of no reason"),
    Rule("reason.remove_from_crl", _W, "RFC 5280 5.3.1", "removeFromCRL (8), a delta-CRL reason, in a revoked status"),
    Rule(
        "revoked.non_issued_reason", _E, "RFC 6960 2.2",
        "a non-issued certificate (revoked at 1970-01-01) without certificateHold",
    ),
    Rule(
        "revoked.non_issued_without_extended_revoke", _E, "RFC 6960 2.2, 4.4.8",
        "revoked at 1970-01-01 without the extended revoke extension",
    ),
    Rule(
        "revoked.non_issued_crl_extensions", _E, "RFC 6960 2.2",
        "revoked at 1970-01-01 with CRL references or CRL entry extensions",
    ),
    # --- nonce -------------------------------------------------------------------------------
    Rule(
        "nonce.raw", _E, "RFC 6960 4.4.1; RFC 9654 2.1",
        "the nonce extnValue is not an OCTET STRING holding the nonce",
    ),
    Rule("nonce.empty", _E, "RFC 8954 2.1; RFC 9654 2.1", "a nonce of zero octets"),
    Rule("nonce.too_long", _E, "RFC 9654 2.1", "a nonce longer than 128 octets"),
    Rule("nonce.over_32", _W, "RFC 8954 2.1", "a nonce longer than 32 octets: RFC 8954 responders refuse it"),
    Rule("nonce.short", _W, "RFC 8954 2.1", "a nonce shorter than 16 octets: responders may ignore it"),
    Rule("nonce.misplaced", _W, "RFC 6960 4.4.1", "a nonce among singleRequestExtensions / singleExtensions"),
    # --- extensions --------------------------------------------------------------------------
    Rule("ext.empty", _E, "RFC 5280 4.1", "an Extensions SEQUENCE with no extension (SIZE (1..MAX))"),
    Rule("ext.duplicate", _E, "RFC 5280 4.2; RFC 6960 4.4", "one extension twice in the same Extensions"),
    Rule(
        "ext.unknown_critical", _E, "RFC 5280 4.2; RFC 6960 4.4",
        "a critical extension not known in its place: clients must refuse it",
    ),
    Rule("ext.unknown", _N, "RFC 6960 4.4", "a non-critical extension clients will ignore"),
    Rule("ext.critical", _W, "RFC 6960 4.4", "an OCSP extension marked critical"),
    Rule("ext.misplaced", _W, "RFC 6960 4.4", "a known extension in a part of the message RFC 6960 does not put it"),
    Rule("ext.extended_revoke_misplaced", _E, "RFC 6960 4.4.8", "extended revoke among singleExtensions"),
    Rule("ext.extended_revoke_critical", _E, "RFC 6960 4.4.8", "extended revoke marked critical"),
    Rule("ext.certificate_issuer_not_critical", _E, "RFC 5280 5.3.3", "certificateIssuer not marked critical"),
    # --- signature ---------------------------------------------------------------------------
    Rule("sig.sha1", _W, "RFC 6194; RFC 9155", "a SHA-1 signature: collisions are practical"),
    Rule("sig.broken_hash", _E, "RFC 6149; RFC 6150; RFC 6151", "an MD2 / MD4 / MD5 signature"),
    Rule("sig.unknown_algorithm", _W, "RFC 6960 4.3", "a signature algorithm ocspkit does not know"),
    Rule(
        "sig.parameters", _E, "RFC 3279 2.2; RFC 4055 5; RFC 5758 3; RFC 8410 3",
        "signature AlgorithmIdentifier parameters that are not NULL (RSA) / absent (ECDSA, DSA, EdDSA)",
    ),
    Rule("sig.unused_bits", _E, "RFC 6960 4.2.1", "the signature BIT STRING declares unused bits"),
    Rule("sig.key_mismatch", _E, "RFC 6960 4.2.1", "the signature algorithm does not fit the signer's key"),
    Rule("sig.invalid", _E, "RFC 6960 4.1.2, 4.2.1", "the signature does not verify with the signer's certificate"),
    # --- the responder's certificate ---------------------------------------------------------
    Rule("signer.not_included", _N, "RFC 6960 4.2.2.2", "a responder other than the CA without its certificate"),
    Rule("signer.no_ocsp_signing", _E, "RFC 6960 4.2.2.2", "a delegated responder without id-kp-OCSPSigning"),
    Rule(
        "signer.not_issued_by_ca", _W, "RFC 6960 4.2.2.2",
        "a delegated responder not issued by the CA of the CertIDs",
    ),
    Rule("signer.no_nocheck", _N, "RFC 6960 4.2.2.2.1", "a delegated responder without id-pkix-ocsp-nocheck"),
    Rule("signer.nocheck_critical", _W, "RFC 6960 4.2.2.2.1", "id-pkix-ocsp-nocheck marked critical"),
    Rule(
        "signer.not_valid_at_produced_at", _W, "RFC 5280 4.1.2.5",
        "producedAt outside the signer certificate's validity",
    ),
    Rule("certs.duplicate", _N, "RFC 6960 4.2.1", "one certificate included twice"),
    # --- RFC 5019 / RFC 9919 ------------------------------------------------------------------
    Rule("rfc5019.request_count", _E, _P_REQ, "not exactly one Request in requestList", _P5019),
    Rule("rfc5019.certid_hash", _E, _P_REQ, "a CertID hashed with neither SHA-256 nor SHA-1", _P5019),
    Rule("rfc5019.certid_sha1", _N, "RFC 9919 3.1.1, 3.2.1", "a SHA-1 CertID: transition to SHA-256", _P5019),
    Rule("rfc5019.single_request_extensions", _E, _P_REQ, "singleRequestExtensions present", _P5019),
    Rule("rfc5019.request_extensions", _W, _P_REQ, "requestExtensions present", _P5019),
    Rule("rfc5019.signed_request", _W, _P_SIGNED_REQ, "a signed request", _P5019),
    Rule("rfc5019.requestor_name", _W, _P_SIGNED_REQ, "an unsigned request with requestorName", _P5019),
    Rule(
        "rfc5019.request_needs_post", _N, "RFC 5019 5; RFC 9919 6",
        "the request cannot be sent with GET (255 bytes), so the response cannot be cached",
        _P5019,
    ),
    Rule("rfc5019.multiple_responses", _N, _P_RESP, "more than one SingleResponse", _P5019),
    Rule("rfc5019.response_extensions", _W, _P_RESP, "responseExtensions present", _P5019),
    Rule(
        "rfc5019.responder_by_name", _W, _P_SIGNED_RESP,
        "a byName responder ID (byKey: SHOULD in 5019, MUST in 9919)",
        _P5019,
    ),
    Rule(
        "rfc5019.signer_cert_missing", _E, _P_SIGNED_RESP,
        "a delegated responder's certificate is not in certs",
        _P5019,
    ),
    Rule(
        "rfc5019.signer_no_nocheck", _W, _P_SIGNED_RESP,
        "the responder certificate lacks id-pkix-ocsp-nocheck",
        _P5019,
    ),
    Rule(
        "rfc5019.signer_revocation_pointers", _W, _P_SIGNED_RESP,
        "the responder certificate has an OCSP AIA or CRL distribution points",
        _P5019,
    ),
    Rule(
        "rfc5019.unneeded_certs", _N, "RFC 5019 1; RFC 9919 1",
        "certificates the client does not need (size)",
        _P5019,
    ),
    Rule("rfc5019.no_next_update", _E, _P_TIMES, "no nextUpdate", _P5019),
    Rule("rfc5019.fractional_seconds", _E, _P_TIMES, "a GeneralizedTime with fractional seconds", _P5019),
)

#: Every rule by code, read-only. Codes are stable: a code is never reused for another rule.
RULES: Mapping[str, Rule] = types.MappingProxyType({rule.code: rule for rule in _RULES})

# Where RFC 6960 (and RFC 6962 for SCTs, RFC 5280 5.3 for CRL entry extensions) puts each
# extension: (the contexts it belongs in, the clause).
_REQUEST, _SINGLE_REQUEST, _RESPONSE, _SINGLE = "request", "single request", "response", "single response"
_PLACES: Dict[str, Tuple[Tuple[str, ...], str]] = {
    OID.NONCE: ((_REQUEST, _RESPONSE), "RFC 6960 4.4.1"),
    OID.CRL: ((_SINGLE,), "RFC 6960 4.4.2"),
    OID.RESPONSE: ((_REQUEST,), "RFC 6960 4.4.3"),
    OID.ARCHIVE_CUTOFF: ((_SINGLE,), "RFC 6960 4.4.4"),
    OID.CRL_REASON: ((_SINGLE,), "RFC 6960 4.4.5"),
    OID.INVALIDITY_DATE: ((_SINGLE,), "RFC 6960 4.4.5"),
    OID.CERTIFICATE_ISSUER: ((_SINGLE,), "RFC 6960 4.4.5"),
    OID.SERVICE_LOCATOR: ((_SINGLE_REQUEST,), "RFC 6960 4.4.6"),
    OID.PREF_SIG_ALGS: ((_REQUEST,), "RFC 6960 4.4.7"),
    OID.EXTENDED_REVOKE: ((_RESPONSE,), "RFC 6960 4.4.8"),
    OID.SCT_LIST: ((_SINGLE,), "RFC 6962 3.3"),
}
_CRL_ENTRY = (OID.CRL_REASON, OID.INVALIDITY_DATE, OID.CERTIFICATE_ISSUER)

# The rule of each ocspkit._der Deviation code (a code added there later reads as der.other).
_DER_CODES = {
    "explicit_default": "der.explicit_default",
    "integer_not_minimal": "der.integer_not_minimal",
    "length_not_minimal": "der.length_not_minimal",
    "indefinite_length": "der.indefinite_length",
    "boolean_not_canonical": "der.boolean_not_canonical",
    "time_not_der": "der.time_not_der",
    "bit_string_padding": "der.bit_string_padding",
    "set_not_sorted": "der.set_not_sorted",
    "constructed_primitive": "der.constructed_primitive",
    "tag_not_minimal": "der.tag_not_minimal",
}

_UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)  # RFC 6960 2.2: the revocationTime of non-issued certificates
_NONCE_MAX = 128  # RFC 9654 2.1: Nonce ::= OCTET STRING(SIZE(1..128))
_NONCE_MIN_ACCEPTED = 16  # RFC 8954 2.1: responders MUST accept 16 octets and more, MAY ignore shorter
_SERIAL_MAX_OCTETS = 20  # RFC 5280 4.1.2.2
_KEY_HASH_LENGTH = 20  # RFC 6960 4.2.1: KeyHash is a SHA-1 hash
_GET_LIMIT = 255  # RFC 5019 5: requests up to 255 bytes (URL included) MUST use GET
_BROKEN_HASHES = ("md2", "md4", "md5")
_SIGNATURE_FAMILIES = ("rsa", "ecdsa", "dsa")


def lint(message: Any, *, profile: str = "rfc6960", now: Optional[_dt.datetime] = None) -> Tuple[Finding, ...]:
    """Every deviation of an OCSP request or response from DER, RFC 6960 and (with
    ``profile="rfc5019"``) the lightweight profile of RFC 5019 / RFC 9919.

    ``message`` is an :class:`~ocspkit.request.OCSPRequest` or :class:`~ocspkit.response.OCSPResponse`
    view, or DER / PEM bytes of either (which one is decided by the first field inside the outer
    SEQUENCE: an ENUMERATED responseStatus, or a tbsRequest SEQUENCE). ``now`` (an aware
    datetime) adds the checks against the clock: producedAt / thisUpdate in the future, nextUpdate
    in the past. Returns the findings in the order of the bytes they concern.

    :raises ocspkit.errors.ParseError: the bytes are not a parsable OCSP request or response.
    :raises ocspkit.errors.OCSPTypeError: ``message`` or ``now`` is of the wrong type.
    :raises ocspkit.errors.OCSPValueError: unknown ``profile``, or a naive ``now``.
    """
    if profile not in PROFILES:
        raise OCSPValueError(f"profile must be one of {', '.join(PROFILES)}, got {profile!r}")
    moment = None if now is None else to_utc(now, "now")
    der = _message_der(message)
    spec = asn1.OCSPRequest if _inner_tag(der) == 0x30 else asn1.OCSPResponse
    tree, deviations = load_tree(spec, der, strict=False)
    linter = _Linter(der, tree, profile == _P5019, moment)
    linter.encoding(deviations)
    linter.encoding(linter.walk_again())
    if spec is asn1.OCSPResponse:
        linter.response()
    else:
        linter.request()
    return linter.result()


def _message_der(message: Any) -> bytes:
    if isinstance(message, (OCSPRequest, OCSPResponse)):
        return message.dump()
    if isinstance(message, (bytes, bytearray, memoryview, str)):
        return to_der(message, (_RESPONSE_LABEL, _REQUEST_LABEL), "OCSP message")
    raise OCSPTypeError(
        f"lint takes an OCSPRequest, an OCSPResponse or DER / PEM bytes, got {type(message).__name__}"
    )


def _inner_tag(der: bytes) -> Optional[int]:
    """The tag of the first element inside the outer SEQUENCE, or None (left to the parser)."""
    if len(der) < 3 or der[0] != 0x30:
        return None
    length = der[1]
    start = 2 + (length & 0x7F if length & 0x80 and length != 0x80 else 0)
    return der[start] if start < len(der) else None


class _Offsets(Walker):
    """The validating walk of ocspkit._der, remembering the offset of every path it visits."""

    def __init__(self) -> None:
        super().__init__(False, None)
        self.offsets: Dict[str, int] = {}

    def walk(self, value: Any, path: str, offset: int) -> None:
        self.offsets.setdefault(path, offset)
        super().walk(value, path, offset)

    def walk_sequence_of(self, value: Any, path: str, content_offset: int) -> None:
        # asn1crypto's SetOf subclasses SequenceOf, which Walker.walk tests first, so its SET OF
        # order check (X.690 11.6) is never reached there; reach it here.
        if isinstance(value, core.SetOf):
            self.walk_set_of(value, path, content_offset)
        else:
            super().walk_sequence_of(value, path, content_offset)


def _absent(value: Any) -> bool:
    return value is None or isinstance(value, core.Void)


def _stamp(value: _dt.datetime) -> str:
    text = value.strftime("%Y-%m-%d %H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text + "Z"


def _digest_size(name: str) -> Optional[int]:
    from .crypto import hash_digest  # lazily: loading and printing do not load the signature seam

    try:
        return len(hash_digest(name, b""))
    except OCSPError:
        return None


def _digest(name: str, data: bytes) -> Optional[bytes]:
    from .crypto import hash_digest  # lazily: loading and printing do not load the signature seam

    try:
        return hash_digest(name, data)
    except OCSPError:
        return None


@dataclasses.dataclass(frozen=True)
class _CertIDFacts:
    path: str
    hash: str  # hashlib name, or the dotted OID when unknown
    name_hash: bytes
    key_hash: bytes
    serial: int
    der: bytes


@dataclasses.dataclass(frozen=True)
class _Signer:
    """What the lint reads of a certificate (its remembered facts, :mod:`ocspkit.certinfo`)."""

    info: CertInfo
    path: str


class _Linter:
    def __init__(self, der: bytes, tree: Any, lightweight: bool, now: Optional[_dt.datetime]) -> None:
        self.der = der
        self.tree = tree
        self.lightweight = lightweight
        self.now = now
        self.findings: List[Tuple[Finding, int]] = []
        self._offsets: Optional[Dict[str, int]] = None
        self._seen: Set[Tuple[str, str, Optional[int]]] = set()

    # --- reporting ---------------------------------------------------------------------------

    def walk_again(self) -> List[Deviation]:
        """Walk the tree a second time for the offset of every path, and for the deviations the
        loader's walk misses (unsorted SET OF); the first walk, in load_tree, validated it."""
        walker = _Offsets()
        try:
            # A fresh tree: asn1crypto re-encodes a Sequence once its absent DEFAULT fields have
            # been read (the first walk did), dropping the headers the offsets come from.
            tree = type(self.tree).load(self.der, strict=True)
        except ASN1_ERRORS:  # pragma: no cover - load_tree loaded these very bytes
            tree = None
        if tree is not None:
            # load_tree's walk validated the bytes, so no ParseError; but this walk spends two
            # frames a level where that one spent one, so hostile nesting may exhaust the stack
            # here first: the findings then go without offsets.
            with contextlib.suppress(ParseError, RecursionError):
                walker.walk(tree, "", 0)
        self._offsets = walker.offsets
        return walker.deviations

    def offset_of(self, path: Optional[str]) -> Optional[int]:
        if path is None or self._offsets is None:
            return None
        return self._offsets.get(path)

    def contents_offset(self, path: str, skip: int) -> Optional[int]:
        """The offset ``skip`` octets into the contents of the definite-length TLV at ``path``."""
        start = self.offset_of(path)
        if start is None or start + 1 >= len(self.der):
            return None
        length = self.der[start + 1]
        header = 2 + (length & 0x7F if length & 0x80 else 0)
        return start + header + skip

    def received(self, path: str, value: Any) -> bytes:
        """The encoding of the field at ``path`` exactly as received (asn1crypto's ``dump()``
        would parse an ``Any`` and may re-encode what it parsed). Taken from the value itself, not
        from its offset in the message: inside a constructed (BER) OCTET STRING the parsed value
        is the segments joined, which an offset into the message does not address."""
        return received(value)

    def emit(
        self,
        code: str,
        message: str,
        path: Optional[str],
        *,
        offset: Optional[int] = None,
        clause: Optional[str] = None,
    ) -> None:
        rule = RULES[code]
        if offset is None:
            offset = self.offset_of(path)
        # The message itself has the empty path in ocspkit._der; a Finding says None.
        finding = Finding(code, rule.severity, message, clause or rule.clause, path or None, offset)
        self.findings.append((finding, len(self.findings)))

    def pick(self, generic: str, lightweight: str) -> str:
        """The profile's rule where it tightens a generic one."""
        return lightweight if self.lightweight else generic

    def result(self) -> Tuple[Finding, ...]:
        ordered = sorted(
            self.findings, key=lambda item: (item[0].offset is None, item[0].offset or 0, item[1])
        )
        return tuple(finding for finding, _ in ordered)

    def encoding(self, deviations: Sequence[Deviation]) -> None:
        for deviation in deviations:
            key = (deviation.code, deviation.path, deviation.offset)
            if key in self._seen:
                continue  # recorded by both walks
            self._seen.add(key)
            code = _DER_CODES.get(deviation.code, "der.other")
            self.emit(code, deviation.message, deviation.path, offset=deviation.offset)

    # --- shared pieces -----------------------------------------------------------------------

    def version(self, value: Any, path: str) -> None:
        if _absent(value):
            return
        number = int.from_bytes(value.contents, "big", signed=True)
        if number != 0:
            # RFC 6960 4.1.1 / 4.2.1: Version ::= INTEGER { v1(0) }, the only version defined.
            self.emit(
                "version.unsupported",
                f"version {int_text(number)} (v{int_text(number + 1)}); RFC 6960 defines only v1 (0)",
                path,
            )

    def cert_id(self, value: Any, path: str) -> _CertIDFacts:
        algorithm = value["hash_algorithm"]
        name = hash_name(algorithm)
        name_hash = bytes(value["issuer_name_hash"].native)
        key_hash = bytes(value["issuer_key_hash"].native)
        serial_value = value["serial_number"]
        serial = int(serial_value.native)
        facts = _CertIDFacts(path, name, name_hash, key_hash, serial, received(value))
        size = _digest_size(name)
        if size is None:
            self.emit(
                "certid.unknown_hash",
                f"CertID hash algorithm {algorithm['algorithm'].dotted} is unknown: no responder "
                "can match it against its certificates",
                f"{path}.hash_algorithm",
            )
        else:
            for field, digest in (("issuer_name_hash", name_hash), ("issuer_key_hash", key_hash)):
                if len(digest) != size:
                    # RFC 6960 4.1.1: the hashes are made with hashAlgorithm.
                    self.emit(
                        "certid.hash_length",
                        f"{field} is {len(digest)} octets, but a {name} hash is {size}",
                        f"{path}.{field}",
                    )
        self.serial(serial, f"{path}.serial_number")
        return facts

    def serial(self, serial: int, path: str) -> None:
        # RFC 5280 4.1.2.2: serial numbers are positive and at most 20 octets; certificate users
        # SHOULD handle the others gracefully, so these are warnings about the certificate. The
        # octets counted are the value's (a 160-bit serial passes, though DER needs a 21st octet
        # for its sign), as zlint and most CAs read the rule.
        if serial <= 0:
            self.emit("serial.not_positive", f"serial number {int_text(serial)} is not positive", path)
        octets = (abs(serial).bit_length() + 7) // 8
        if octets > _SERIAL_MAX_OCTETS:
            self.emit("serial.too_long", f"serial number is {octets} octets long, more than {_SERIAL_MAX_OCTETS}", path)

    def time(self, value: Any, path: str) -> Optional[_dt.datetime]:
        if _absent(value):
            return None
        native = value.native
        if not isinstance(native, _dt.datetime):
            return None
        contents = bytes(value.contents)
        if b"." in contents or b"," in contents:
            code = self.pick("time.fractional_seconds", "rfc5019.fractional_seconds")
            # RFC 5280 4.1.2.5.2 (and RFC 5019 2.2.4 for OCSP): no fractional seconds.
            self.emit(code, f"{contents.decode('ascii', 'replace')} has fractional seconds", path)
        if native.tzinfo is None:
            return native.replace(tzinfo=_UTC)  # a local time (already reported as not DER)
        return native.astimezone(_UTC)

    def signature_algorithm(self, algorithm: Any, path: str) -> Tuple[Optional[str], Optional[str]]:
        """Check a signature AlgorithmIdentifier; return (family, hash) when known."""
        name = str(algorithm["algorithm"].native)
        dotted = str(algorithm["algorithm"].dotted)
        family: Optional[str] = None
        digest: Optional[str] = None
        if name == "rsassa_pss":
            family = "pss"
            try:
                digest = str(algorithm["parameters"]["hash_algorithm"]["algorithm"].native)
            except ASN1_ERRORS:
                digest = None
        elif name in ("ed25519", "ed448"):
            family = "eddsa"
        elif "_" in name and name.rsplit("_", 1)[1] in _SIGNATURE_FAMILIES:
            digest, family = name.rsplit("_", 1)
        if family is None:
            self.emit(
                "sig.unknown_algorithm",
                f"signature algorithm {dotted}" + ("" if name == dotted else f" ({name})") + " is unknown to ocspkit",
                f"{path}.algorithm",
            )
            return None, None
        if digest in _BROKEN_HASHES:
            # RFC 6149 / 6150 / 6151: MD2, MD4 and MD5 are unfit for signatures (and RFC 6960 4.3
            # names none of them among the algorithms clients process).
            self.emit("sig.broken_hash", f"{name} signature: {digest} is broken for signatures", f"{path}.algorithm")
        elif digest == "sha1":
            # RFC 6960 4.3 still has clients process SHA-1 signatures, but SHA-1 collisions are
            # practical (RFC 6194; RFC 9155 deprecates SHA-1 signatures in TLS).
            self.emit("sig.sha1", f"{name} signature: SHA-1 is deprecated for signatures", f"{path}.algorithm")
        params = algorithm["parameters"]
        params_der = b"" if _absent(params) else self.received(f"{path}.parameters", params)
        if family == "rsa" and params_der != b"\x05\x00":
            # RFC 3279 2.2.1 / RFC 4055 5: PKCS #1 v1.5 signature parameters MUST be NULL.
            shown = "absent" if not params_der else params_der.hex().upper()
            self.emit(
                "sig.parameters",
                f"{name} parameters are {shown}, must be NULL",
                f"{path}.parameters" if params_der else path,
                clause="RFC 3279 2.2.1; RFC 4055 5",
            )
        elif family in ("ecdsa", "dsa", "eddsa") and params_der:
            # RFC 5758 3.2 (ECDSA), RFC 3279 2.2.2 (DSA), RFC 8410 3 (EdDSA): parameters absent.
            clause = {"ecdsa": "RFC 5758 3.2", "dsa": "RFC 3279 2.2.2", "eddsa": "RFC 8410 3"}[family]
            self.emit(
                "sig.parameters",
                f"{name} parameters must be absent, found {params_der.hex().upper()}",
                f"{path}.parameters",
                clause=clause,
            )
        return family, digest

    def extensions(self, value: Any, path: str, context: str) -> List[Any]:
        """Check one Extensions; return its Extension values."""
        if _absent(value):
            return []
        items = list(value)
        if not items:
            # RFC 5280 4.1: Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension.
            self.emit("ext.empty", f"{context} Extensions present but empty", path)
        seen: Dict[str, int] = {}
        for index, ext in enumerate(items):
            ext_path = f"{path}[{index}]"
            oid = str(ext["extn_id"].dotted)
            critical = bool(ext["critical"].native)
            if oid in seen:
                # RFC 5280 4.2 (extensions model of RFC 6960 4.4): one instance per extension.
                self.emit("ext.duplicate", f"extension {oid} appears again (first at [{seen[oid]}])", ext_path)
            else:
                seen[oid] = index
            place = _PLACES.get(oid)
            if place is None:
                if critical:
                    # RFC 5280 4.2: a critical extension that is not recognised MUST be refused.
                    self.emit(
                        "ext.unknown_critical",
                        f"critical extension {oid} is unknown among {context} extensions: clients must refuse "
                        "the message",
                        ext_path,
                    )
                else:
                    self.emit("ext.unknown", f"extension {oid} is unknown among {context} extensions", ext_path)
                continue
            contexts, clause = place
            known_here = context in contexts
            if not known_here:
                if oid == OID.EXTENDED_REVOKE:
                    # RFC 6960 4.4.8: placed in responseExtensions, MUST NOT be in singleExtensions.
                    self.emit("ext.extended_revoke_misplaced", f"extended revoke among {context} extensions", ext_path)
                elif oid == OID.NONCE:
                    self.emit(
                        "nonce.misplaced",
                        f"a nonce among {context} extensions is not the message nonce (RFC 6960 4.4.1 puts it in "
                        "requestExtensions / responseExtensions)",
                        ext_path,
                    )
                else:
                    self.emit(
                        "ext.misplaced",
                        f"extension {oid} belongs in {' / '.join(c + ' extensions' for c in contexts)}, "
                        f"found among {context} extensions",
                        ext_path,
                        clause=clause,
                    )
            if critical and not known_here:
                # Out of its place it means nothing a client recognises (RFC 5280 4.2).
                self.emit(
                    "ext.unknown_critical",
                    f"critical extension {oid} is not recognised among {context} extensions: clients must refuse "
                    "the message",
                    ext_path,
                )
            elif oid == OID.EXTENDED_REVOKE:
                if critical:
                    # RFC 6960 4.4.8: "This extension MUST NOT be marked critical."
                    self.emit("ext.extended_revoke_critical", "extended revoke is marked critical", ext_path)
            elif oid == OID.CERTIFICATE_ISSUER:
                if not critical:
                    # RFC 5280 5.3.3: "this extension MUST always be critical".
                    self.emit("ext.certificate_issuer_not_critical", "certificateIssuer is not critical", ext_path)
            elif critical:
                # RFC 6960 4.4: "The critical flag SHOULD NOT be set for any of them."
                self.emit("ext.critical", f"extension {oid} is marked critical", ext_path)
            if oid == OID.NONCE and context in (_REQUEST, _RESPONSE):
                self.nonce(bytes(ext["extn_value"].contents), f"{ext_path}.extn_value")
            elif oid == OID.CRL_REASON and context == _SINGLE:
                reason = ext["extn_value"].parsed
                self.reason(reason.native, f"{ext_path}.extn_value")
            elif oid in (OID.INVALIDITY_DATE, OID.ARCHIVE_CUTOFF) and context == _SINGLE:
                self.time(ext["extn_value"].parsed, f"{ext_path}.extn_value")
            elif oid == OID.CRL and context == _SINGLE:
                crl_time = ext["extn_value"].parsed["crl_time"]
                self.time(crl_time, f"{ext_path}.extn_value")
        return items

    def nonce(self, raw: bytes, path: str) -> None:
        value, form = read_nonce(raw)
        if form is NonceForm.RAW:
            # RFC 6960 4.4.1 as clarified by RFC 8954 / RFC 9654 2.1: extnValue holds the DER of
            # Nonce ::= OCTET STRING, not the nonce octets themselves.
            self.emit(
                "nonce.raw",
                f"the nonce extnValue ({len(raw)} octets) is the bare nonce, not an OCTET STRING holding it",
                path,
            )
        elif raw[1] & 0x80 and (len(value) < 0x80 or raw[2] == 0):
            # X.690 10.1, inside extnValue (which the loader does not parse for a nonce).
            self.emit(
                "der.length_not_minimal",
                f"the nonce OCTET STRING length {len(value)} is not minimally encoded",
                path,
                offset=self.contents_offset(path, 1),
            )
        length = len(value)
        if length == 0:
            self.emit("nonce.empty", "the nonce is empty (at least 1 octet)", path)
        elif length > _NONCE_MAX:
            self.emit("nonce.too_long", f"the nonce is {length} octets, more than {_NONCE_MAX}", path)
        elif not nonce_length_ok(value):
            # RFC 8954 2.1: SIZE(1..32); responders following it answer malformedRequest.
            self.emit(
                "nonce.over_32",
                f"the nonce is {length} octets: RFC 8954 responders refuse more than {RFC8954_MAX_NONCE_LENGTH} "
                "(RFC 9654 allows 128)",
                path,
            )
        elif length < _NONCE_MIN_ACCEPTED:
            self.emit(
                "nonce.short",
                f"the nonce is {length} octets: responders may ignore nonces shorter than {_NONCE_MIN_ACCEPTED} "
                "(clients use 32)",
                path,
            )

    def reason(self, reason: Any, path: str) -> None:
        if reason == "unspecified":
            # RFC 5280 5.3.1: the reason code SHOULD be absent rather than unspecified (0).
            self.emit("reason.unspecified", "revocation reason unspecified (0): leave the reason out instead", path)
        elif reason == "remove_from_crl":
            self.emit(
                "reason.remove_from_crl",
                "revocation reason removeFromCRL (8) only has a meaning in delta CRLs",
                path,
            )

    def signer_info(self, der: bytes) -> Optional[CertInfo]:
        """The certificate's facts (:func:`ocspkit.certinfo.cert_info`), or None when the
        certificate is unusable."""
        try:
            return cert_info(der)
        except OCSPError:  # ParseError (unreadable), UnsupportedError (a key the engine cannot use)
            return None

    def verify(
        self, signer: _Signer, signature: bytes, data: bytes, algorithm_der: bytes, path: str, clause: str
    ) -> None:
        from .crypto import verify_signature  # lazily: linting alone does not load the signature seam

        try:
            verify_signature(signer.info.public_key, signature, data, algorithm_der)
        except SignatureError as error:
            self.emit(
                "sig.invalid",
                f"the signature does not verify with the key of {signer.path} ({signer.info.label}): {error}",
                path,
                clause=clause,
            )
        except OCSPError:
            pass  # an algorithm or key the engine cannot handle: reported as unknown, if at all

    def key_fits(self, info: Any, family: Optional[str], path: str) -> bool:
        wanted = {"rsa": "rsa", "pss": "rsa", "ecdsa": "ec", "dsa": "dsa"}.get(family or "")
        if wanted is None or info.key_algorithm == wanted:
            return True
        self.emit(
            "sig.key_mismatch",
            f"a {family} signature cannot come from the {info.key_algorithm} key of {info.label}",
            path,
        )
        return False

    # --- requests ----------------------------------------------------------------------------

    def request(self) -> None:
        der = self.der
        tbs = self.tree["tbs_request"]
        self.version(tbs["version"], "tbs_request.version")
        requests = list(tbs["request_list"])
        if not requests:
            self.emit("request.empty", "requestList is empty: it asks about no certificate", "tbs_request.request_list")
        if self.lightweight and len(requests) != 1:
            # RFC 5019 2.1.1: exactly one Request.
            self.emit(
                "rfc5019.request_count",
                f"{len(requests)} Requests; the profile allows exactly one",
                "tbs_request.request_list",
            )
        seen: Dict[bytes, int] = {}
        for index, entry in enumerate(requests):
            path = f"tbs_request.request_list[{index}]"
            facts = self.cert_id(entry["req_cert"], f"{path}.req_cert")
            if facts.der in seen:
                self.emit("request.duplicate_cert_id", f"the CertID of [{seen[facts.der]}] is asked again", path)
            else:
                seen[facts.der] = index
            if self.lightweight:
                self.lightweight_cert_id(facts, request=True)
            single_ext = entry["single_request_extensions"]
            self.extensions(single_ext, f"{path}.single_request_extensions", _SINGLE_REQUEST)
            if self.lightweight and not _absent(single_ext):
                # RFC 5019 2.1.1: "Clients MUST NOT include the singleRequestExtensions structure."
                self.emit(
                    "rfc5019.single_request_extensions",
                    "singleRequestExtensions present",
                    f"{path}.single_request_extensions",
                )
        extensions = self.extensions(tbs["request_extensions"], "tbs_request.request_extensions", _REQUEST)
        if self.lightweight and not _absent(tbs["request_extensions"]):
            names = ", ".join(str(e["extn_id"].native) for e in extensions) or "none"
            # RFC 5019 2.1.1: SHOULD NOT include requestExtensions (if any, only the nonce).
            self.emit(
                "rfc5019.request_extensions",
                f"requestExtensions present ({names}); the profile asks for none (at most a nonce)",
                "tbs_request.request_extensions",
            )
        name = tbs["requestor_name"]
        signature = self.tree["optional_signature"]
        signed = not _absent(signature)
        if signed:
            self.request_signature(signature, name, der)
        elif self.lightweight and not _absent(name):
            # RFC 5019 2.1.2: unsigned requests SHOULD NOT include requestorName.
            self.emit("rfc5019.requestor_name", "an unsigned request with requestorName", "tbs_request.requestor_name")
        if self.lightweight:
            self.get_size(der)

    def request_signature(self, signature: Any, name: Any, der: bytes) -> None:
        path = "optional_signature"
        if _absent(name):
            # RFC 6960 4.1.2: "If the request is signed, the requestor SHALL specify its name".
            self.emit("request.signed_without_requestor_name", "a signed request without requestorName", path)
        if self.lightweight:
            self.emit("rfc5019.signed_request", "the profile asks for unsigned requests", path)
        family, _ = self.signature_algorithm(signature["signature_algorithm"], f"{path}.signature_algorithm")
        bits = unused_bits(signature["signature"])
        if bits:
            self.emit("sig.unused_bits", f"the signature BIT STRING declares {bits} unused bit(s)", f"{path}.signature")
        certs = signature["certs"]
        if _absent(name) or _absent(certs) or name.name != "directory_name":
            return
        name_der = self.received("tbs_request.requestor_name.directory_name", name.chosen)
        name_der = first_child(name_der) if name_der[:1] == b"\xa4" else name_der
        for index, cert in enumerate(certs):
            info = self.signer_info(received(cert))
            if info is not None and info.same_subject(name_der):
                if self.key_fits(info, family, f"{path}.signature_algorithm") and not bits:
                    # RFC 6960 4.1.2: the signature is computed over tbsRequest.
                    self.verify(
                        _Signer(info, f"{path}.certs[{index}]"),
                        bytes(signature["signature"].native),
                        first_child(der),
                        self.received(f"{path}.signature_algorithm", signature["signature_algorithm"]),
                        f"{path}.signature",
                        "RFC 6960 4.1.2",
                    )
                return

    def get_size(self, der: bytes) -> None:
        encoded = quote(base64.b64encode(der).decode("ascii"), safe="")
        # RFC 5019 5: the whole URL ("http://" + host + "/" + request) within 255 bytes for GET.
        shortest = len("http://a/") + len(encoded)
        if shortest > _GET_LIMIT:
            self.emit(
                "rfc5019.request_needs_post",
                f"the GET URL would be at least {shortest} bytes (over {_GET_LIMIT}): the request goes by POST, "
                "which HTTP caches do not serve",
                None,
            )

    def lightweight_cert_id(self, facts: _CertIDFacts, *, request: bool) -> None:
        if facts.hash == "sha1":
            self.emit(
                "rfc5019.certid_sha1",
                "SHA-1 CertID: RFC 9919 has clients use SHA-256 (SHA-1 for old clients only)",
                f"{facts.path}.hash_algorithm",
            )
        elif facts.hash != "sha256" and request:
            # RFC 5019 2.1.1 (SHA-1) / RFC 9919 3.1.1 (SHA-256): no other CertID hash.
            self.emit(
                "rfc5019.certid_hash",
                f"CertID hashed with {facts.hash}; the profile uses SHA-256 (or SHA-1)",
                f"{facts.path}.hash_algorithm",
            )

    # --- responses ---------------------------------------------------------------------------

    def response(self) -> None:
        status = self.tree["response_status"].native
        response_bytes = self.tree["response_bytes"]
        if status != "successful":
            if not _absent(response_bytes):
                # RFC 6960 4.2.1: "If the value of responseStatus is one of the error conditions,
                # the responseBytes field is not set."
                self.emit(
                    "response.bytes_with_error_status",
                    f"responseStatus {status} with responseBytes",
                    "response_bytes",
                )
            return
        if _absent(response_bytes):
            # RFC 6960 4.2.1: a successful response carries responseBytes.
            self.emit("response.missing_bytes", "responseStatus successful without responseBytes", "response_status")
            return
        response_type = response_bytes["response_type"]
        if response_type.native != "basic_ocsp_response":
            # RFC 6960 4.2.1: id-pkix-ocsp-basic is the one response type defined (RFC 5019 2.2.1:
            # responders MUST generate it).
            self.emit(
                "response.unknown_type",
                f"responseType {response_type.dotted} is not id-pkix-ocsp-basic: nothing more can be checked",
                "response_bytes.response_type",
            )
            return
        self.basic(response_bytes["response"].parsed, bytes(response_bytes["response"]))

    def basic(self, basic: Any, basic_der: bytes) -> None:
        base = "response_bytes.response.parsed"
        tbs = basic["tbs_response_data"]
        tp = f"{base}.tbs_response_data"
        self.version(tbs["version"], f"{tp}.version")
        produced_at = self.time(tbs["produced_at"], f"{tp}.produced_at")
        if self.now is not None and produced_at is not None and produced_at > self.now:
            self.emit(
                "time.produced_at_in_future",
                f"producedAt {_stamp(produced_at)} is after now ({_stamp(self.now)})",
                f"{tp}.produced_at",
            )
        singles = list(tbs["responses"])
        extensions = self.extensions(tbs["response_extensions"], f"{tp}.response_extensions", _RESPONSE)
        extension_oids = {str(e["extn_id"].dotted) for e in extensions}
        if not singles:
            # RFC 6960 4.2.2.3: a SingleResponse for each certificate in the request.
            self.emit(
                "response.no_single_responses",
                "responses is empty: the response answers for no certificate",
                f"{tp}.responses",
            )
        elif self.lightweight and len(singles) > 1:
            self.emit(
                "rfc5019.multiple_responses",
                f"{len(singles)} SingleResponses; the profile expects one (more only for pre-production)",
                f"{tp}.responses",
            )
        if self.lightweight and not _absent(tbs["response_extensions"]):
            names = ", ".join(str(e["extn_id"].native) for e in extensions) or "none"
            # RFC 5019 2.2.1: "The responder SHOULD NOT include responseExtensions."
            self.emit(
                "rfc5019.response_extensions",
                f"responseExtensions present ({names})",
                f"{tp}.response_extensions",
            )
        cert_ids: List[_CertIDFacts] = []
        statuses: Dict[bytes, Tuple[int, str]] = {}
        for index, single in enumerate(singles):
            path = f"{tp}.responses[{index}]"
            facts = self.cert_id(single["cert_id"], f"{path}.cert_id")
            cert_ids.append(facts)
            status = str(single["cert_status"].name)
            if facts.der in statuses:
                first, first_status = statuses[facts.der]
                if first_status != status:
                    self.emit(
                        "response.conflicting_status",
                        f"this SingleResponse says {status}, [{first}] says {first_status} for the same CertID",
                        path,
                    )
                else:
                    self.emit("response.duplicate_cert_id", f"[{first}] already answers for this CertID", path)
            else:
                statuses[facts.der] = (index, status)
            if self.lightweight:
                self.lightweight_cert_id(facts, request=False)
            self.single(single, path, produced_at, extension_oids)
        self.response_signature(basic, base, basic_der, cert_ids, produced_at)

    def single(self, single: Any, path: str, produced_at: Optional[_dt.datetime], response_oids: Any) -> None:
        this_update = self.time(single["this_update"], f"{path}.this_update")
        next_update = self.time(single["next_update"], f"{path}.next_update")
        single_ext = self.extensions(single["single_extensions"], f"{path}.single_extensions", _SINGLE)
        if this_update is not None and produced_at is not None and this_update > produced_at:
            # RFC 6960 4.2.2.1: thisUpdate is when the status was known correct, producedAt when
            # the response was signed: the status cannot be known after the signature.
            self.emit(
                "time.this_update_after_produced_at",
                f"thisUpdate {_stamp(this_update)} is after producedAt {_stamp(produced_at)}",
                f"{path}.this_update",
            )
        if next_update is None:
            code = self.pick("time.no_next_update", "rfc5019.no_next_update")
            # RFC 6960 4.2.2.1: allowed (newer information is always available), but RFC 5019
            # 2.2.4: "Responders MUST always include this value to aid in response caching."
            self.emit(code, "no nextUpdate: the response cannot be cached", path)
        elif this_update is not None and next_update < this_update:
            self.emit(
                "time.next_update_before_this_update",
                f"nextUpdate {_stamp(next_update)} is before thisUpdate {_stamp(this_update)}",
                f"{path}.next_update",
            )
        if self.now is not None:
            # RFC 6960 4.2.2.1: such responses "SHOULD be considered unreliable".
            if this_update is not None and this_update > self.now:
                self.emit(
                    "time.this_update_in_future",
                    f"thisUpdate {_stamp(this_update)} is after now ({_stamp(self.now)})",
                    f"{path}.this_update",
                )
            if next_update is not None and next_update < self.now:
                self.emit(
                    "time.next_update_in_past",
                    f"nextUpdate {_stamp(next_update)} is before now ({_stamp(self.now)}): the response is stale",
                    f"{path}.next_update",
                )
        status = single["cert_status"]
        if status.name != "revoked":
            return
        info = status.chosen
        revoked_path = f"{path}.cert_status.revoked"
        revoked_at = self.time(info["revocation_time"], f"{revoked_path}.revocation_time")
        reason = info["revocation_reason"]
        reason_name = None if _absent(reason) else reason.native
        self.reason(reason_name, f"{revoked_path}.revocation_reason")
        if revoked_at is not None and this_update is not None and revoked_at > this_update:
            self.emit(
                "time.revoked_after_this_update",
                f"revocationTime {_stamp(revoked_at)} is after thisUpdate {_stamp(this_update)}",
                f"{revoked_path}.revocation_time",
            )
        if revoked_at == _EPOCH:
            # RFC 6960 2.2: a non-issued certificate is revoked with certificateHold at
            # 1970-01-01, with the extended revoke extension and no CRL references / entry
            # extensions.
            if reason_name != "certificate_hold":
                self.emit(
                    "revoked.non_issued_reason",
                    f"revoked at 1970-01-01 (the non-issued marker) with reason {reason_name or 'absent'}, "
                    "not certificateHold",
                    revoked_path,
                )
            if OID.EXTENDED_REVOKE not in response_oids:
                self.emit(
                    "revoked.non_issued_without_extended_revoke",
                    "revoked at 1970-01-01 (the non-issued marker) but responseExtensions lack extended revoke",
                    revoked_path,
                )
            crl_like = [
                str(e["extn_id"].native) for e in single_ext if str(e["extn_id"].dotted) in (OID.CRL, *_CRL_ENTRY)
            ]
            if crl_like:
                self.emit(
                    "revoked.non_issued_crl_extensions",
                    f"a non-issued certificate's SingleResponse carries {', '.join(crl_like)}",
                    f"{path}.single_extensions",
                )

    # --- the response's signature and signer -------------------------------------------------

    def response_signature(
        self,
        basic: Any,
        base: str,
        basic_der: bytes,
        cert_ids: Sequence[_CertIDFacts],
        produced_at: Optional[_dt.datetime],
    ) -> None:
        family, _ = self.signature_algorithm(basic["signature_algorithm"], f"{base}.signature_algorithm")
        bits = unused_bits(basic["signature"])
        if bits:
            self.emit("sig.unused_bits", f"the signature BIT STRING declares {bits} unused bit(s)", f"{base}.signature")
        rid = basic["tbs_response_data"]["responder_id"]
        rid_path = f"{base}.tbs_response_data.responder_id"
        by_name = rid.name == "by_name"
        name_der = first_child(self.received(rid_path, rid)) if by_name else b""
        key_hash = b"" if by_name else bytes(rid.chosen.native)
        if by_name and self.lightweight:
            self.emit(
                "rfc5019.responder_by_name",
                "byName responder ID; the profile uses byKey (smaller, and required of RFC 9919 responders)",
                rid_path,
            )
        if not by_name and len(key_hash) != _KEY_HASH_LENGTH:
            self.emit(
                "responder_id.key_hash_length",
                f"byKey KeyHash is {len(key_hash)} octets, a SHA-1 hash is {_KEY_HASH_LENGTH}",
                f"{rid_path}.by_key",
            )
            key_hash = b""
        certs = [] if _absent(basic["certs"]) else list(basic["certs"])
        signers: List[_Signer] = []
        seen: Dict[bytes, int] = {}
        for index, cert in enumerate(certs):
            cert_path = f"{base}.certs[{index}]"
            der = received(cert)
            if der in seen:
                self.emit("certs.duplicate", f"the certificate of certs[{seen[der]}] is included again", cert_path)
                continue
            seen[der] = index
            tbs = cert["tbs_certificate"]
            self.serial(int(tbs["serial_number"].native), f"{cert_path}.tbs_certificate.serial_number")
            info = self.signer_info(der)
            if info is not None:
                signers.append(_Signer(info, cert_path))
        signer = None
        for candidate in signers:
            if (by_name and candidate.info.same_subject(name_der)) or (
                key_hash and candidate.info.facts.key_sha1 == key_hash
            ):
                signer = candidate
                break
        if signer is None:
            issuer = self.names_issuer(name_der, key_hash, cert_ids)
            if issuer is False:
                if self.lightweight:
                    # RFC 5019 2.2.2: a delegate's certificate MUST be in certs.
                    self.emit(
                        "rfc5019.signer_cert_missing",
                        "the responder is not the CA of the CertIDs and its certificate is not in certs",
                        rid_path,
                    )
                else:
                    self.emit(
                        "signer.not_included",
                        "the responder is not the CA of the CertIDs and its certificate is not in certs: only "
                        "clients that already trust it can verify the response",
                        rid_path,
                    )
            elif issuer and certs and self.lightweight:
                self.emit(
                    "rfc5019.unneeded_certs",
                    f"{len(certs)} certificate(s) in a response signed by the CA itself",
                    f"{base}.certs",
                )
            return
        info = signer.info
        if self.key_fits(info, family, f"{base}.signature_algorithm") and not bits:
            # RFC 6960 4.2.1: the signature is computed over the DER of ResponseData.
            self.verify(
                signer,
                bytes(basic["signature"].native),
                first_child(basic_der),
                self.received(f"{base}.signature_algorithm", basic["signature_algorithm"]),
                f"{base}.signature",
                "RFC 6960 4.2.1",
            )
        if produced_at is not None and not info.not_before <= produced_at <= info.not_after:
            self.emit(
                "signer.not_valid_at_produced_at",
                f"producedAt {_stamp(produced_at)} is outside {info.label}'s validity "
                f"({_stamp(info.not_before)} to {_stamp(info.not_after)})",
                signer.path,
            )
        is_issuer = self.issues(info, cert_ids)
        if is_issuer is not False:
            if is_issuer and self.lightweight and certs:
                self.emit(
                    "rfc5019.unneeded_certs",
                    f"{len(certs)} certificate(s) in a response signed by the CA itself",
                    f"{base}.certs",
                )
            return
        self.delegate(signer, cert_ids, len(certs), f"{base}.certs")

    def names_issuer(self, name_der: bytes, key_hash: bytes, cert_ids: Sequence[_CertIDFacts]) -> Optional[bool]:
        """Whether the responder ID names the CA of some CertID: None when it cannot be told."""
        known = False
        for facts in cert_ids:
            if name_der:
                digest = _digest(facts.hash, name_der)
                if digest is None:
                    continue
                known = True
                if digest == facts.name_hash:
                    return True
            elif key_hash and facts.hash == "sha1":
                known = True
                if key_hash == facts.key_hash:
                    return True
        return False if known else None

    def issues(self, info: Any, cert_ids: Sequence[_CertIDFacts]) -> Optional[bool]:
        """Whether the certificate is the CA of some CertID: None when no CertID hash is known."""
        known = False
        for facts in cert_ids:
            try:
                name_hash, key_hash = info.facts.issuer_hashes(facts.hash)
            except OCSPError:
                continue
            known = True
            if name_hash == facts.name_hash and key_hash == facts.key_hash:
                return True
        return False if known else None

    def delegate(self, signer: _Signer, cert_ids: Sequence[_CertIDFacts], cert_count: int, certs_path: str) -> None:
        info = signer.info
        path = signer.path
        if info.eku is None or OID.KP_OCSP_SIGNING not in info.eku:
            # RFC 6960 4.2.2.2: a delegated responder's certificate MUST include id-kp-OCSPSigning.
            self.emit(
                "signer.no_ocsp_signing",
                f"the responder {info.label} is not the CA and has no id-kp-OCSPSigning in extKeyUsage",
                path,
            )
        issued = False
        for facts in cert_ids:
            digest = _digest(facts.hash, info.issuer_der)
            if digest is not None and digest == facts.name_hash:
                issued = True
        if cert_ids and not issued:
            self.emit(
                "signer.not_issued_by_ca",
                f"the responder {info.label} is not issued by the CA of the CertIDs: only a locally trusted "
                "responder could sign this",
                path,
            )
        nocheck = None
        pointers = []
        cert_extensions = info.cert["tbs_certificate"]["extensions"]
        for ext in () if _absent(cert_extensions) else cert_extensions:
            oid = str(ext["extn_id"].dotted)
            if oid == OID.NOCHECK:
                nocheck = ext
            elif oid == ExtensionOID.CRL_DISTRIBUTION_POINTS:
                pointers.append("cRLDistributionPoints")
            elif oid == ExtensionOID.AUTHORITY_INFORMATION_ACCESS and any(
                d["access_method"].native == "ocsp" for d in ext["extn_value"].parsed
            ):
                pointers.append("an OCSP authorityInfoAccess")
        if nocheck is None:
            code = self.pick("signer.no_nocheck", "rfc5019.signer_no_nocheck")
            self.emit(
                code,
                f"the responder {info.label} has no id-pkix-ocsp-nocheck: clients must check its own revocation",
                path,
            )
        elif nocheck["critical"].native:
            self.emit("signer.nocheck_critical", "id-pkix-ocsp-nocheck is marked critical", path)
        if self.lightweight and pointers:
            self.emit(
                "rfc5019.signer_revocation_pointers",
                f"the responder certificate carries {' and '.join(pointers)}",
                path,
            )
        if self.lightweight and cert_count > 1:
            self.emit(
                "rfc5019.unneeded_certs",
                f"{cert_count} certificates; the client needs the responder's only",
                certs_path,
            )
