"""CertID (RFC 6960 4.1.1): build from certificates or hashes, compare, match across hash algorithms.

OpenSSL equivalents: OCSP_cert_to_id, OCSP_cert_id_new, OCSP_id_get0_info, OCSP_id_cmp,
OCSP_id_issuer_cmp, OCSP_CERTID_dup.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from asn1crypto import algos, core

from . import asn1
from ._util import hash_name
from ._writers import integer_der, tlv
from .certinfo import cert_facts
from .errors import OCSPTypeError, OCSPValueError
from .oid import SUPPORTED_HASHES

__all__ = ["ALGORITHM_DER", "DEFAULT_CERTID_HASH", "CertID"]

# SHA-1: what nearly every deployed responder expects and what RFC 5019 2.1.1 mandates for
# lightweight responders; pass hash_algorithm="sha256" for responders that accept it.
DEFAULT_CERTID_HASH = "sha1"


class CertID:
    """A frozen CertID: hash algorithm, issuerNameHash, issuerKeyHash and serialNumber.

    Equality and hashing are exact (OpenSSL's OCSP_id_cmp). :meth:`matches` also accepts a CertID
    in another hash algorithm when the issuer certificate is known.
    """

    __slots__ = ("_asn1", "_der", "_hash", "_key_hash", "_name_hash", "_serial")

    def __init__(self, asn1_cert_id: Any) -> None:
        if not isinstance(asn1_cert_id, asn1.CertID):
            raise OCSPTypeError("CertID() takes an ocspkit.asn1.CertID; use CertID.from_cert()")
        self._asn1: Any = asn1_cert_id
        self._der: Optional[bytes] = None
        self._hash = hash_name(asn1_cert_id["hash_algorithm"])
        self._name_hash = bytes(asn1_cert_id["issuer_name_hash"].native)
        self._key_hash = bytes(asn1_cert_id["issuer_key_hash"].native)
        self._serial = int(asn1_cert_id["serial_number"].native)

    @classmethod
    def _make(cls, hash_algorithm: str, name_hash: bytes, key_hash: bytes, serial: int, der: bytes) -> CertID:
        """A CertID from decoded fields and its DER (the fast readers, :mod:`ocspkit._readers`,
        and the builders)."""
        self = object.__new__(cls)
        self._hash = hash_algorithm
        self._name_hash = name_hash
        self._key_hash = key_hash
        self._serial = serial
        self._der = der
        self._asn1 = None
        return self

    # --- constructors ----------------------------------------------------------------------

    @classmethod
    def from_hashes(
        cls,
        issuer_name_hash: bytes,
        issuer_key_hash: bytes,
        serial_number: int,
        hash_algorithm: str = DEFAULT_CERTID_HASH,
    ) -> CertID:
        """A CertID from its four fields (OCSP_cert_id_new with precomputed hashes)."""
        if not isinstance(serial_number, int) or isinstance(serial_number, bool):
            raise OCSPTypeError(f"serial_number must be an int, got {type(serial_number).__name__}")
        for label, value in (("issuer_name_hash", issuer_name_hash), ("issuer_key_hash", issuer_key_hash)):
            if not isinstance(value, (bytes, bytearray)):
                raise OCSPTypeError(f"{label} must be bytes, got {type(value).__name__}")
        name = _asn1_hash_name(hash_algorithm)
        name_hash, key_hash = bytes(issuer_name_hash), bytes(issuer_key_hash)
        # Explicit NULL parameters, as OpenSSL writes them (byte-identical requests).
        der = tlv(0x30, ALGORITHM_DER[name] + tlv(0x04, name_hash) + tlv(0x04, key_hash) + integer_der(serial_number))
        return cls._make(name, name_hash, key_hash, serial_number, der)

    @classmethod
    def from_issuer(
        cls, issuer: Any, serial_number: int, hash_algorithm: str = DEFAULT_CERTID_HASH
    ) -> CertID:
        """A CertID for ``serial_number`` issued by ``issuer`` (OCSP_cert_id_new)."""
        name = _asn1_hash_name(hash_algorithm)
        name_hash, key_hash = _issuer_hashes(issuer, name)
        return cls.from_hashes(name_hash, key_hash, serial_number, name)

    @classmethod
    def from_cert(cls, cert: Any, issuer: Any, hash_algorithm: str = DEFAULT_CERTID_HASH) -> CertID:
        """The CertID of ``cert`` issued by ``issuer`` (OCSP_cert_to_id)."""
        return cls.from_issuer(issuer, cert_facts(cert).serial_number, hash_algorithm)

    # --- fields ----------------------------------------------------------------------------

    @property
    def asn1(self) -> Any:
        """The asn1crypto tree (an :class:`ocspkit.asn1.CertID`)."""
        if self._asn1 is None:
            self._asn1 = asn1.CertID.load(self.dump())
        return self._asn1

    @property
    def hash_algorithm(self) -> str:
        """``sha1``, ``sha256``, ... or the dotted OID of an unknown algorithm."""
        return self._hash

    @property
    def issuer_name_hash(self) -> bytes:
        """Hash of the issuer's DER-encoded Name."""
        return self._name_hash

    @property
    def issuer_key_hash(self) -> bytes:
        """Hash of the issuer's subjectPublicKey BIT STRING value."""
        return self._key_hash

    @property
    def serial_number(self) -> int:
        """The certificate's serial number (any size, negative too)."""
        return self._serial

    def dump(self) -> bytes:
        """DER, exactly as received for parsed CertIDs."""
        if self._der is None:
            self._der = bytes(self._asn1.dump())
        return self._der

    # --- comparison (OCSP_id_cmp / OCSP_id_issuer_cmp) -------------------------------------

    def _key(self) -> tuple:  # type: ignore[type-arg]
        return (self._hash, self._name_hash, self._key_hash, self._serial)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CertID):
            return NotImplemented
        return (
            self._serial == other._serial
            and self._key_hash == other._key_hash
            and self._name_hash == other._name_hash
            and self._hash == other._hash
        )

    def __hash__(self) -> int:
        return hash(self._key())

    def same_issuer(self, other: CertID) -> bool:
        """Same hash algorithm, issuerNameHash and issuerKeyHash (OCSP_id_issuer_cmp)."""
        return self._key()[:3] == other._key()[:3]

    def issued_by(self, issuer: Any) -> bool:
        """Whether this CertID names ``issuer`` (recomputing the hashes in this CertID's algorithm)."""
        if self._hash not in SUPPORTED_HASHES:
            return False
        return _issuer_hashes(issuer, self._hash) == (self._name_hash, self._key_hash)

    def matches(self, other: CertID, issuer: Optional[Any] = None) -> bool:
        """Hash-agile match: equal, or the same serial and both naming ``issuer`` in their own hashes.

        Without ``issuer`` this is exact equality.
        """
        if self == other:
            return True
        if issuer is None or self.serial_number != other.serial_number:
            return False
        return self.issued_by(issuer) and other.issued_by(issuer)

    # --- copies (OCSP_CERTID_dup) ----------------------------------------------------------

    def copy(self) -> CertID:
        """An equal CertID over its own asn1crypto tree, read back from :meth:`dump`
        (OCSP_CERTID_dup).

        CertIDs are frozen, so sharing one is always safe; ``copy`` is for code that wants to
        change the raw ``asn1`` tree of the result without touching this one. The RFC 6960 4.1.1
        fields and the encoding are the same as this CertID's.
        """
        return CertID(asn1.CertID.load(self.dump()))

    def __copy__(self) -> CertID:
        # Frozen (design principle 6): a shallow copy is the object itself, as for a tuple.
        return self

    def __deepcopy__(self, memo: Dict[int, Any]) -> CertID:
        return self.copy()

    def __repr__(self) -> str:
        return (
            f"<CertID {self.hash_algorithm} serial={self.serial_number:X} "
            f"name={self.issuer_name_hash.hex().upper()} key={self.issuer_key_hash.hex().upper()}>"
        )


# AlgorithmIdentifier DER of each CertID hash, with explicit NULL parameters as OpenSSL writes.
ALGORITHM_DER = {
    name: algos.DigestAlgorithm({"algorithm": name, "parameters": core.Null()}).dump() for name in SUPPORTED_HASHES
}

def _issuer_hashes(issuer: Any, algorithm: str) -> Tuple[bytes, bytes]:
    return cert_facts(issuer).issuer_hashes(algorithm)


def _asn1_hash_name(name: str) -> str:
    if not isinstance(name, str):
        raise OCSPTypeError(f"hash_algorithm must be a str, got {type(name).__name__}")
    normal = name.lower().replace("-", "")
    if normal not in SUPPORTED_HASHES:
        raise OCSPValueError(f"unsupported CertID hash {name!r}; use one of {', '.join(SUPPORTED_HASHES)}")
    return normal
