"""Facts about X.509 certificates that OCSP and its verification need, read once per certificate.

Two records, each remembered so that a certificate met again is not read again:

- :class:`CertFacts` (:func:`cert_facts`) is what building and matching OCSP messages needs:
  the certificate's DER, its subject Name, serial number and subjectPublicKey bits, and the
  issuerNameHash / issuerKeyHash of the CertIDs it issues (RFC 6960 4.1.1), whose SHA-1 key
  hash is also the byKey responder ID (RFC 6960 4.2.1).
- :class:`CertInfo` (:func:`cert_info`) adds what checking a chain and authorizing a responder
  need, read from the certificate the way OpenSSL's ``x509v3_cache_extensions``
  (``crypto/x509/v3_purp.c``) reads it: keyUsage (RFC 5280 4.2.1.3), extendedKeyUsage
  (4.2.1.12), basicConstraints (4.2.1.9), the key identifiers (4.2.1.1, 4.2.1.2), the validity
  period (4.1.2.5), the names in canonical form (7.1), the critical extensions OpenSSL does not
  know, and id-pkix-ocsp-nocheck (RFC 6960 4.2.2.2.1).

:mod:`ocspkit.crypto` is imported where it is used, not at the top: loading and building
messages import this module, and printing a message or building a request must not load the
crypto engine (``tests/test_lazy_import.py``).
"""

from __future__ import annotations

import datetime as _dt
import threading
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple

from asn1crypto import x509

from ._deps import ASN1_ERRORS
from ._der import received
from .asn1 import OID
from .errors import OCSPError, ParseError
from .oid import ExtensionOID

if TYPE_CHECKING:
    from .crypto import PublicKey  # lazily: loading and printing do not load the signature seam

__all__ = [
    "CertFacts",
    "CertInfo",
    "cert_facts",
    "cert_info",
    "cert_repr",
    "describe_cert",
    "is_der",
    "name_key_of_der",
    "name_text",
    "time_text",
]

_UTC = _dt.timezone.utc
_LOCK = threading.Lock()
_CERTS_MAX = 512  # responders, their issuers and roots: a client meets few; bounded all the same


# --- labels -------------------------------------------------------------------------------------

# Short attribute names for labels, as OpenSSL prints Names (RFC 4514 3 and OpenSSL's own).
_SHORT = {
    "common_name": "CN", "organization_name": "O", "organizational_unit_name": "OU",
    "country_name": "C", "locality_name": "L", "state_or_province_name": "ST",
    "domain_component": "DC", "serial_number": "serialNumber", "email_address": "emailAddress",
}


def name_text(name: Any) -> str:
    """A Name the way ``openssl x509 -subject`` prints it: ``C = US, O = Example, CN = Leaf``."""
    try:
        parts = []
        for rdn in name.chosen:
            for attribute in rdn:
                kind = attribute["type"]
                label = _SHORT.get(kind.native, kind.dotted if kind.native == kind.dotted else kind.native)
                try:
                    value = attribute["value"].native
                except ASN1_ERRORS:  # a value that loaded but does not decode: its octets
                    value = None
                parts.append(f"{label} = {value if isinstance(value, str) else attribute['value'].dump().hex()}")
        return ", ".join(parts) or "(empty name)"
    except ASN1_ERRORS:  # an unreadable Name still gets a label
        return "<unreadable name>"


def describe_cert(cert: Any) -> str:
    """A certificate's label: its subject as :func:`name_text` prints it (``<certificate>`` when
    unreadable)."""
    try:
        subject = cert.subject
    except ASN1_ERRORS:
        return "<certificate>"
    return name_text(subject)


def cert_repr(cert: Any) -> str:
    """A certificate in a repr, by its subject (never asn1crypto's repr: see
    ocspkit.verify.Verdict.__repr__)."""
    return f"<Certificate {describe_cert(cert)}>"


def time_text(value: _dt.datetime) -> str:
    """A UTC time in a message, to the second: ``2026-01-31 12:00:00Z``."""
    return value.strftime("%Y-%m-%d %H:%M:%SZ")


def is_der(item: Any) -> bool:
    """Whether ``item`` is bytes that start as a DER SEQUENCE (a certificate, not PEM or a path)."""
    return isinstance(item, bytes) and item[:1] == b"\x30"


# --- what OCSP needs -----------------------------------------------------------------------------


class CertFacts:
    """What OCSP needs of a certificate, read once: its DER, subject Name DER, serial number,
    subjectPublicKey bits (RFC 6960 4.1.1) and their SHA-1 (the byKey responder ID, 4.2.1)."""

    __slots__ = ("_issuer_hashes", "der", "key_bits", "key_sha1", "serial_number", "subject_der")

    def __init__(self, cert: Any) -> None:
        tbs = cert["tbs_certificate"]
        self.der = received(cert)
        self.subject_der = received(tbs["subject"])
        self.serial_number: int = tbs["serial_number"].native
        self.key_bits = bytes(tbs["subject_public_key_info"]["public_key"].contents[1:])
        self._issuer_hashes: Dict[str, Tuple[bytes, bytes]] = {}
        self.key_sha1 = self.issuer_hashes("sha1")[1]

    def issuer_hashes(self, algorithm: str) -> Tuple[bytes, bytes]:
        """(issuerNameHash, issuerKeyHash) of CertIDs this certificate issues (RFC 6960 4.1.1):
        the hashes of its DER subject Name and of its subjectPublicKey bits, remembered."""
        found = self._issuer_hashes.get(algorithm)
        if found is None:
            from .crypto import hash_digest  # lazily: loading and printing do not load the signature seam

            found = (hash_digest(algorithm, self.subject_der), hash_digest(algorithm, self.key_bits))
            self._issuer_hashes[algorithm] = found
        return found


# Certificates given as asn1crypto objects are remembered by identity (the entry keeps the
# object alive, so its id cannot be reused); bytes are remembered by value.
_FACTS: Dict[Any, Tuple[Any, CertFacts]] = {}


def cert_facts(cert: Any) -> CertFacts:
    """:class:`CertFacts` of ``cert`` (anything ``crypto.load_certificate`` takes), remembered."""
    by_value = isinstance(cert, bytes)
    key = cert if by_value else id(cert)
    entry = _FACTS.get(key)
    if entry is not None and (by_value or entry[0] is cert):
        return entry[1]
    from .crypto import load_certificate  # lazily: loading and printing do not load the signature seam

    facts = CertFacts(load_certificate(cert))
    with _LOCK:
        if len(_FACTS) >= 256:
            _FACTS.clear()
        _FACTS[key] = (cert, facts)
    return facts


# --- what verification needs ----------------------------------------------------------------------

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
    OID.NOCHECK,  # id-pkix-ocsp-nocheck
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


class CertInfo:
    """What verification needs of a certificate, read once per DER (see :func:`cert_info`).

    ``cert`` is the asn1crypto certificate, ``der`` its bytes as received and ``facts`` its
    :class:`CertFacts`; ``label`` is its subject as :func:`name_text` prints it. The rest is
    what chain building (:mod:`ocspkit.chain`) and the responder's authorization
    (:mod:`ocspkit.verify`) decide on: ``issuer`` / ``issuer_der`` and the canonical
    ``subject_key`` / ``issuer_key`` of the names (RFC 5280 7.1), ``ski`` and the AKID's
    ``akid_keyid`` / ``akid_serial`` (RFC 5280 4.2.1.2, 4.2.1.1), ``key_usage`` and ``eku``
    (None when absent; RFC 5280 4.2.1.3, 4.2.1.12), ``not_before`` / ``not_after`` (aware UTC),
    ``ca_kind`` (OpenSSL's check_ca) and ``path_len`` (RFC 5280 4.2.1.9), ``self_issued`` /
    ``self_signed``, ``critical_unknown`` (critical extensions OpenSSL does not handle),
    ``nocheck`` (RFC 6960 4.2.2.2.1), ``spki`` / ``spki_der`` / ``key_algorithm``, the key
    type ``signed_with`` (None when ocspkit cannot verify the algorithm), and
    ``algorithms_match`` (RFC 5280 4.1.1.2). ``anchor`` is :mod:`ocspkit.trust`'s memo of this
    certificate as a plain trust anchor (:func:`ocspkit.trust.plain_anchor`), kept here so that
    it goes when the certificate is forgotten.
    """

    __slots__ = (
        "_public_key",
        "akid_keyid",
        "akid_serial",
        "algorithms_match",
        "anchor",
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
        from .crypto import signature_key_algorithm  # lazily: loading and printing do not load the signature seam

        try:
            self.signed_with: Optional[str] = signature_key_algorithm(cert["signature_algorithm"])
        except OCSPError:  # an algorithm ocspkit cannot verify: the signature check says so later
            self.signed_with = None
        self.label = name_text(tbs["subject"])
        validity = tbs["validity"]
        self.not_before = _parse_time(validity["not_before"])
        self.not_after = _parse_time(validity["not_after"])
        self._public_key: Optional[PublicKey] = None
        self.anchor: Any = None
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
    def public_key(self) -> PublicKey:
        """The subject public key, loaded on first use (:func:`ocspkit.crypto.load_public_key`)."""
        key = self._public_key
        if key is None:
            from .crypto import load_public_key  # lazily: loading and printing do not load the signature seam

            key = self._public_key = load_public_key(self.spki)
        return key

    def same_subject(self, name_der: bytes, name_key: Optional[str] = None) -> bool:
        """Whether the subject equals a Name given as DER, with its :func:`name_key_of_der` if known
        (byte-equal, else equal after RFC 5280 7.1 normalization)."""
        if self.facts.subject_der == name_der:
            return True
        if name_key is None:
            name_key = name_key_of_der(name_der)
        return name_key is not None and name_key == self.subject_key


def _name_key(name: Any) -> Optional[str]:
    """A Name in canonical form (RFC 5280 7.1, asn1crypto's ``hashable``), None when unreadable."""
    try:
        return str(name.hashable)
    except ASN1_ERRORS:  # an unreadable Name matches nothing but its own bytes
        return None


_NAME_KEYS: Dict[bytes, Optional[str]] = {}


def name_key_of_der(der: bytes) -> Optional[str]:
    """A Name's DER in canonical form (RFC 5280 7.1), as :attr:`CertInfo.subject_key` holds
    it; None when unreadable. Remembered (responder IDs repeat)."""
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


_CERTS: Dict[bytes, CertInfo] = {}


def cert_info(source: Any) -> CertInfo:
    """The :class:`CertInfo` of a certificate (DER bytes or anything crypto.load_certificate takes),
    remembered by its DER."""
    if is_der(source):  # PEM, paths and objects go through loading
        der = source
        cert = None
    else:
        from .crypto import load_certificate  # lazily: loading and printing do not load the signature seam

        cert = load_certificate(source)
        der = received(cert)
    found = _CERTS.get(der)
    if found is not None:
        return found
    if cert is None:
        from .crypto import load_certificate  # lazily: loading and printing do not load the signature seam

        cert = load_certificate(der)
    try:
        # asn1crypto parses lazily: read every field now (load_certificate did for bytes, not for
        # an asn1crypto object passed in), so that CertInfo's reads cannot fail on hostile bytes and
        # whatever CertInfo raises is an ocspkit bug.
        cert.native  # noqa: B018
    except ASN1_ERRORS as exc:
        raise ParseError(f"cannot read the certificate {describe_cert(cert)}: {exc}") from exc
    info = CertInfo(cert, der)
    with _LOCK:
        if len(_CERTS) >= _CERTS_MAX:
            _CERTS.clear()
        _CERTS[der] = info
    return info

