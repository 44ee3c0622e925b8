"""Read-only views of Extensions in OCSP messages (RFC 6960 4.4), and the nonce reader.

Every extension keeps its raw ``extnValue`` bytes; known OIDs also give a typed ``value``
(an asn1crypto object from :mod:`ocspkit.asn1`), unknown ones give the raw bytes.
"""

from __future__ import annotations

import enum
from typing import Any, Callable, Iterator, Optional, Sequence, Tuple, Union

from asn1crypto import core

from .asn1 import OID
from .errors import ParseError

__all__ = ["Extension", "Extensions", "NonceForm", "make_extension", "read_nonce", "refuse_unknown_critical"]


class NonceForm(enum.Enum):
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
        return bytes(self._asn1.dump())

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

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            return self.get(key) is not None
        return key in self._items

    def __repr__(self) -> str:
        return f"<Extensions {[e.name for e in self._items]}>"


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


def nonce_of(extensions: Extensions) -> Union[Tuple[bytes, NonceForm], Tuple[None, None]]:
    """(nonce, form) of the nonce extension in ``extensions``, or (None, None)."""
    ext = extensions.get("nonce")
    if ext is None:
        return None, None
    return read_nonce(ext.raw_value)


def make_extension(cls: Any, oid: str, value: Any, critical: bool = False) -> Any:
    """An asn1crypto extension of class ``cls`` (one of ocspkit.asn1's Extension classes);
    ``value`` is the extnValue contents as DER bytes or an asn1crypto value."""
    der = value if isinstance(value, bytes) else value.dump()
    return cls({"extn_id": oid, "critical": critical, "extn_value": core.ParsableOctetString(der)})


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
