"""Extensions in OCSP messages (RFC 6960 4.4): read-only views, the nonce reader, and constructors.

Every extension keeps its raw ``extnValue`` bytes; known OIDs also give a typed ``value``
(an asn1crypto object from :mod:`ocspkit.asn1`), unknown ones give the raw bytes.

The constructors (:func:`crl_id`, :func:`acceptable_responses`, :func:`archive_cutoff`,
:func:`service_locator`, :func:`invalidity_date`, :func:`certificate_issuer`) return the same
:class:`Extension` views, each typed for the message part the RFC puts it in. They write what
OpenSSL's OCSP_crlID_new, OCSP_accept_responses_new, OCSP_archive_cutoff_new and
OCSP_url_svcloc_new write for the same arguments; times are aware datetimes, written in UTC as
GeneralizedTime without fractions (``YYYYMMDDHHMMSSZ``).
"""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Any, Callable, Iterable, Iterator, List, Optional, Sequence, Tuple

from asn1crypto import core, x509

from . import asn1 as _asn1
from ._der import received
from ._util import to_generalized_time
from ._writers import extension_der, generalized_time
from .asn1 import OID
from .enums import NamedMember
from .errors import OCSPTypeError, OCSPValueError, ParseError

__all__ = [
    "Extension",
    "Extensions",
    "NonceForm",
    "acceptable_responses",
    "archive_cutoff",
    "certificate_issuer",
    "crl_id",
    "invalidity_date",
    "read_nonce",
    "refuse_unknown_critical",
    "service_locator",
]


class NonceForm(NamedMember, enum.Enum):
    """How a nonce extension's value was encoded."""

    WRAPPED = "wrapped"  #: extnValue holds an OCTET STRING holding the nonce (RFC 6960 4.4.1)
    RAW = "raw"  #: extnValue holds the nonce bytes directly (some responders; OpenSSL accepts)


# Names for the OIDs that matter, as asn1crypto's _map would give them in any context.
_NAMES = {
    OID.NONCE: "nonce",
    OID.CRL: "crl_id",
    OID.RESPONSE: "acceptable_responses",
    OID.ARCHIVE_CUTOFF: "archive_cutoff",
    OID.SERVICE_LOCATOR: "service_locator",
    OID.PREF_SIG_ALGS: "preferred_signature_algorithms",
    OID.EXTENDED_REVOKE: "extended_revoke",
    OID.CRL_REASON: "crl_reason",
    OID.INVALIDITY_DATE: "invalidity_date",
    OID.CERTIFICATE_ISSUER: "certificate_issuer",
    OID.SCT_LIST: "signed_certificate_timestamp_list",
}


class Extension:
    """One extension: ``oid``, ``name``, ``critical``, ``raw_value`` and a typed ``value``."""

    __slots__ = ("_asn1",)

    def __init__(self, asn1: Any) -> None:
        self._asn1 = asn1

    @property
    def asn1(self) -> Any:
        """The asn1crypto Extension object."""
        return self._asn1

    @property
    def oid(self) -> str:
        """The extension's OID, dotted."""
        return str(self._asn1["extn_id"].dotted)

    @property
    def name(self) -> str:
        """A short name (``nonce``, ``crl_reason``, ...) or the dotted OID when unknown."""
        return _NAMES.get(self.oid, self.oid)

    @property
    def known(self) -> bool:
        """Whether ocspkit knows this OID in this message's context."""
        return bool(self._asn1["extn_id"].native != self.oid)

    @property
    def critical(self) -> bool:
        """The critical flag (DEFAULT FALSE)."""
        return bool(self._asn1["critical"].native)

    @property
    def raw_value(self) -> bytes:
        """The contents of extnValue, exactly as received."""
        return bytes(self._asn1["extn_value"].contents)

    @property
    def value(self) -> Any:
        """The typed value: an asn1crypto object for known OIDs, the nonce bytes for a nonce,
        else the raw bytes."""
        if self.oid == OID.NONCE:
            return read_nonce(self.raw_value)[0]
        parsed = self._asn1["extn_value"]._parsed
        return parsed[0] if parsed is not None else self.raw_value

    def dump(self) -> bytes:
        """The DER of this extension as received."""
        return received(self._asn1)

    def __repr__(self) -> str:
        crit = ", critical" if self.critical else ""
        return f"<Extension {self.name}{crit}>"


class Extensions(Sequence[Extension]):
    """An ordered, read-only collection of extensions with lookup by name or OID."""

    __slots__ = ("_items",)

    def __init__(self, asn1: Any) -> None:
        items: Tuple[Extension, ...] = ()
        if asn1 is not None and not isinstance(asn1, core.Void):
            items = tuple(Extension(e) for e in asn1)
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: Any) -> Any:
        return self._items[index]

    def __iter__(self) -> Iterator[Extension]:
        return iter(self._items)

    def get(self, key: str) -> Optional[Extension]:
        """The first extension whose name or dotted OID is ``key``, or None."""
        for ext in self._items:
            if key in (ext.name, ext.oid):
                return ext
        return None

    def index_of(self, key: str, after: int = -1) -> int:
        """The position of the first extension after position ``after`` whose name or dotted OID
        is ``key``, or -1 when there is none (OCSP_REQUEST_get_ext_by_NID / _by_OBJ).

        As in OpenSSL, a negative ``after`` searches from the start, and passing the last answer
        back as ``after`` walks through repeated extensions. Extensions (RFC 6960 4.4, RFC 5280
        4.2) is an ordered SEQUENCE, so positions are those of the message.
        """
        if not isinstance(key, str):
            raise OCSPTypeError(f"key must be an extension name or dotted OID, got {type(key).__name__}")
        for index in range(_first_position(after), len(self._items)):
            ext = self._items[index]
            if key in (ext.name, ext.oid):
                return index
        return -1

    def index_of_critical(self, critical: bool, after: int = -1) -> int:
        """The position of the first extension after position ``after`` whose critical flag is
        ``critical``, or -1 (OCSP_REQUEST_get_ext_by_critical).

        The flag is the ``critical BOOLEAN DEFAULT FALSE`` of RFC 5280 4.2 (used by RFC 6960 4.4);
        a negative ``after`` searches from the start.
        """
        if not isinstance(critical, bool):
            raise OCSPTypeError(f"critical must be a bool, got {type(critical).__name__}")
        for index in range(_first_position(after), len(self._items)):
            if self._items[index].critical is critical:
                return index
        return -1

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            return self.get(key) is not None
        return key in self._items

    def __repr__(self) -> str:
        return f"<Extensions {[e.name for e in self._items]}>"


def _first_position(after: int) -> int:
    # OpenSSL's X509v3_get_ext_by_*: "lastpos" below 0 means from the start.
    if not isinstance(after, int) or isinstance(after, bool):
        raise OCSPTypeError(f"after must be an int, got {type(after).__name__}")
    return max(after, -1) + 1


def read_nonce(raw_value: bytes) -> Tuple[bytes, NonceForm]:
    """Decode a nonce extnValue: the RFC 6960 wrapped form, else the raw form OpenSSL accepts.

    The value is taken as wrapped when it is exactly one DER OCTET STRING TLV; otherwise the
    whole value is the nonce (OpenSSL's OCSP_check_nonce compares either way).
    """
    if len(raw_value) >= 2 and raw_value[0] == 0x04:
        length_octet = raw_value[1]
        if length_octet < 0x80:
            if 2 + length_octet == len(raw_value):
                return raw_value[2:], NonceForm.WRAPPED
        else:
            n = length_octet & 0x7F
            if 0 < n <= 4 and len(raw_value) >= 2 + n:
                length = int.from_bytes(raw_value[2 : 2 + n], "big")
                if 2 + n + length == len(raw_value):
                    return raw_value[2 + n :], NonceForm.WRAPPED
    return raw_value, NonceForm.RAW


def refuse_unknown_critical(extension_types: Tuple[Any, ...]) -> Callable[[Any, str], None]:
    """A load-time check (``_der.load_tree``'s ``on_extension``) that refuses a critical
    extension of one of ``extension_types`` whose OID is not known in its context."""

    def check(extension: Any, path: str) -> None:
        if not isinstance(extension, extension_types):
            return
        extn_id = extension["extn_id"]
        if extension["critical"].native and extn_id.native == extn_id.dotted:
            # RFC 5280 4.2 / RFC 6960 4.4: an unrecognised critical extension must be refused.
            raise ParseError(f"unrecognised critical extension {extn_id.dotted}", path=path)

    return check


# --- constructors ------------------------------------------------------------------------------


def _extension(cls: Any, oid: str, value: Any, critical: bool) -> Extension:
    """An Extension view of a new extension of class ``cls``, read back as a parsed one would be."""
    if not isinstance(critical, bool):
        raise OCSPTypeError(f"critical must be a bool, got {type(critical).__name__}")
    return Extension(cls.load(extension_der(oid, value, critical)))


def _generalized_time(value: Any, what: str) -> core.GeneralizedTime:
    """GeneralizedTime for an aware datetime: UTC, whole seconds, ``YYYYMMDDHHMMSSZ``.

    RFC 6960 4.2.2.1 / RFC 5280 4.1.2.5.2: GeneralizedTime in Zulu time without fractional
    seconds. Naive datetimes are refused: they name no instant (design principle 5).
    """
    if not isinstance(value, _dt.datetime):
        raise OCSPTypeError(f"{what} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise OCSPValueError(f"{what} must be a timezone-aware datetime (naive datetimes are ambiguous)")
    return core.GeneralizedTime(value.astimezone(_dt.timezone.utc).replace(microsecond=0))


def _ia5(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise OCSPTypeError(f"{what} must be a str, got {type(value).__name__}")
    if not value.isascii():
        raise OCSPValueError(f"{what} must be ASCII: it is written as an IA5String, got {value!r}")
    return value


def _uri(url: Any) -> Any:
    """A uniformResourceIdentifier GeneralName holding ``url`` verbatim, as OpenSSL writes it.

    asn1crypto's URI type would normalise the text (lower-case scheme and host); the IA5String
    is written as given instead (RFC 5280 4.2.1.6: uniformResourceIdentifier [6] IA5String).
    """
    text = _ia5(url, "url")
    if not text:
        raise OCSPValueError("url must not be empty")
    return x509.GeneralName.load(core.IA5String(text, implicit=6).dump())


def _name(value: Any, what: str) -> Any:
    if isinstance(value, dict):
        return x509.Name.build(value)
    if isinstance(value, x509.Name):
        return value
    raise OCSPTypeError(f"{what} must be an asn1crypto Name or a dict of Name attributes, got {type(value).__name__}")


def crl_id(
    url: Optional[str] = None,
    number: Optional[int] = None,
    time: Optional[_dt.datetime] = None,
    *,
    critical: bool = False,
) -> Extension:
    """The CRL References extension, id-pkix-ocsp-crl (RFC 6960 4.4.2; OCSP_crlID_new).

    CrlID ::= SEQUENCE { crlUrl [0] EXPLICIT IA5String OPTIONAL, crlNum [1] EXPLICIT INTEGER
    OPTIONAL, crlTime [2] EXPLICIT GeneralizedTime OPTIONAL }: the URL of the CRL a revoked
    certificate was found on, the CRL number (RFC 5280 5.2.3, 0..MAX) and the time the CRL was
    issued. At least one must be given. A singleExtensions entry (RFC 6960 4.4.2), for
    ``ResponseBuilder.add_response``; the URL is written as given.
    """
    if url is None and number is None and time is None:
        raise OCSPValueError("a CrlID needs at least one of url, number, time (RFC 6960 4.4.2)")
    fields: dict = {}  # type: ignore[type-arg]
    if url is not None:
        fields["crl_url"] = _ia5(url, "url")
    if number is not None:
        if not isinstance(number, int) or isinstance(number, bool):
            raise OCSPTypeError(f"number must be an int, got {type(number).__name__}")
        if number < 0:
            # RFC 5280 5.2.3: CRLNumber ::= INTEGER (0..MAX).
            raise OCSPValueError(f"a CRL number is non-negative (RFC 5280 5.2.3), got {number}")
        fields["crl_num"] = number
    if time is not None:
        fields["crl_time"] = _generalized_time(time, "time")
    return _extension(_asn1.SingleResponseExtension, OID.CRL, _asn1.CrlID(fields), critical)


def acceptable_responses(*oids: str, critical: bool = False) -> Extension:
    """The Acceptable Response Types extension, id-pkix-ocsp-response (RFC 6960 4.4.3;
    OCSP_accept_responses_new).

    AcceptableResponses ::= SEQUENCE OF OBJECT IDENTIFIER, the dotted response-type OIDs the
    client accepts, in order; none given means id-pkix-ocsp-basic alone, the one type RFC 6960
    4.2.1 defines and every client "SHALL be capable of receiving" (4.4.3). A requestExtensions
    entry. Unlike OpenSSL, which silently drops OIDs it has no name for, every OID is written.
    """
    values: List[str] = []
    for oid in oids or (OID.BASIC,):
        if not isinstance(oid, str):
            raise OCSPTypeError(f"response types are dotted OIDs (str), got {type(oid).__name__}")
        try:
            values.append(_asn1.ResponseType(oid).dotted)
        except ValueError as error:
            raise OCSPValueError(f"not an OBJECT IDENTIFIER: {oid!r}") from error
    return _extension(_asn1.RequestExtension, OID.RESPONSE, _asn1.AcceptableResponses(values), critical)


def archive_cutoff(when: _dt.datetime, *, critical: bool = False) -> Extension:
    """The Archive Cutoff extension, id-pkix-ocsp-archive-cutoff (RFC 6960 4.4.4;
    OCSP_archive_cutoff_new).

    ArchiveCutoff ::= GeneralizedTime: the responder keeps revocation information for
    certificates that expired at or after ``when`` (producedAt minus the retention interval).
    A singleExtensions entry (RFC 6960 4.4.4). ``when`` is an aware datetime.
    """
    return _extension(_asn1.SingleResponseExtension, OID.ARCHIVE_CUTOFF, _generalized_time(when, "when"), critical)


def service_locator(
    issuer: Any, *urls: str, locator: Any = None, critical: bool = False
) -> Extension:
    """The Service Locator extension, id-pkix-ocsp-service-locator (RFC 6960 4.4.6;
    OCSP_url_svcloc_new).

    ServiceLocator ::= SEQUENCE { issuer Name, locator AuthorityInfoAccessSyntax }: ``issuer``
    is the issuer Name of the certificate asked about (an asn1crypto Name or a dict of
    attributes); ``urls`` become id-ad-ocsp access descriptions with the URL written verbatim,
    byte for byte what OpenSSL writes. ``locator`` instead copies an asn1crypto
    AuthorityInfoAccessSyntax (e.g. the certificate's AIA extension value, as 4.4.6 describes).
    A singleRequestExtensions entry. RFC 6960 makes ``locator`` mandatory (RFC 2560 had it
    optional, and OpenSSL omits it without URLs), so one of ``urls`` / ``locator`` is required.
    """
    name = _name(issuer, "issuer")
    if locator is not None and urls:
        raise OCSPValueError("give urls or locator, not both")
    if locator is None:
        if not urls:
            raise OCSPValueError("a ServiceLocator needs a locator: give at least one URL (RFC 6960 4.4.6)")
        access = [
            x509.AccessDescription({"access_method": "ocsp", "access_location": _uri(url)}) for url in urls
        ]
        locator = x509.AuthorityInfoAccessSyntax(access)
    elif not isinstance(locator, x509.AuthorityInfoAccessSyntax):
        raise OCSPTypeError(
            f"locator must be an asn1crypto AuthorityInfoAccessSyntax, got {type(locator).__name__}"
        )
    elif len(locator) == 0:
        # RFC 5280 4.2.2.1: AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription.
        raise OCSPValueError("locator must hold at least one AccessDescription (RFC 5280 4.2.2.1)")
    value = _asn1.ServiceLocator({"issuer": name, "locator": locator})
    return _extension(_asn1.SingleRequestExtension, OID.SERVICE_LOCATOR, value, critical)


def invalidity_date(when: _dt.datetime, *, critical: bool = False) -> Extension:
    """The Invalidity Date CRL entry extension (RFC 5280 5.3.2), usable as a singleExtensions
    entry (RFC 6960 4.4.5): when the key was known or suspected compromised. Non-critical by
    default, as RFC 5280 5.3.2 has it; ``when`` is an aware datetime."""
    return _extension(
        _asn1.SingleResponseExtension, OID.INVALIDITY_DATE, _generalized_time(when, "when"), critical
    )


def certificate_issuer(*names: Any, critical: bool = True) -> Extension:
    """The Certificate Issuer CRL entry extension (RFC 5280 5.3.3), usable as a singleExtensions
    entry (RFC 6960 4.4.5): who issued the certificate, for indirect CRLs.

    ``names`` are asn1crypto GeneralName objects, or Names / dicts of attributes (written as
    directoryName). Critical by default: RFC 5280 5.3.3 says issuers MUST mark it critical.
    """
    if not names:
        # RFC 5280 4.2.1.6: GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName.
        raise OCSPValueError("certificate_issuer needs at least one name (RFC 5280 4.2.1.6)")
    general = []
    for name in names:
        if isinstance(name, x509.GeneralName):
            general.append(name)
        else:
            general.append(x509.GeneralName(name="directory_name", value=_name(name, "name")))
    return _extension(
        _asn1.SingleResponseExtension, OID.CERTIFICATE_ISSUER, x509.GeneralNames(general), critical
    )


def extension_entry(oid: Any, value: Any = None, critical: Optional[bool] = None) -> Tuple[str, bytes]:
    """``(dotted OID, Extension DER)`` for the builders' ``with_extension`` / ``extensions=``.

    ``oid`` is a dotted OID with ``value`` the extnValue contents (DER bytes or an asn1crypto
    value), or an :class:`Extension` (from :func:`crl_id`, a parsed message, ...) whose OID,
    value and critical flag are taken as they are; ``critical`` overrides its flag.
    """
    if isinstance(oid, Extension):
        flag = oid.critical if critical is None else critical
        return oid.oid, extension_der(oid.oid, oid.raw_value, flag)
    if value is None:
        raise OCSPTypeError("with a dotted OID, give the extension's value too")
    return oid, extension_der(oid, value, bool(critical))


def _as_triple(item: Any) -> Tuple[Any, Any, Optional[bool]]:
    """An ``extensions=`` item as extension_entry's arguments."""
    if isinstance(item, Extension):
        return item, None, None
    oid, value, critical = item
    return oid, value, critical


def single_extensions_der(extensions: Iterable[Any] = (), invalidity_date: Optional[_dt.datetime] = None) -> bytes:
    """The concatenated singleExtensions of a SingleResponse: ``extensions`` (Extension objects
    or ``(oid, value, critical)`` tuples), then invalidityDate (RFC 5280 5.3.2) when given.

    The builders' and the responder's input made into DER with :func:`extension_entry` (so it
    lives here, with the Extension views it accepts, rather than in :mod:`ocspkit._writers`).
    """
    exts = [extension_entry(*_as_triple(item))[1] for item in extensions]
    if invalidity_date is not None:
        exts.append(extension_entry(OID.INVALIDITY_DATE, generalized_time(to_generalized_time(invalidity_date)))[1])
    return b"".join(exts)
