"""CertID (RFC 6960 4.1.1): build from certificates or hashes, compare, match across hash algorithms.

OpenSSL equivalents: OCSP_cert_to_id, OCSP_cert_id_new, OCSP_id_get0_info, OCSP_id_cmp,
OCSP_id_issuer_cmp, OCSP_CERTID_dup.
"""

from __future__ import annotations

from typing import Any, Optional

from asn1crypto import algos, core, x509

from . import asn1
from ._util import hash_name
from .errors import OCSPTypeError

__all__ = ["DEFAULT_CERTID_HASH", "CertID"]

# SHA-1: what nearly every deployed responder expects and what RFC 5019 2.1.1 mandates for
# lightweight responders; pass hash_algorithm="sha256" for responders that accept it.
DEFAULT_CERTID_HASH = "sha1"

_SUPPORTED = ("sha1", "sha224", "sha256", "sha384", "sha512")


def _digest(algorithm: str, data: bytes) -> bytes:
    from .crypto import hash_digest

    return hash_digest(algorithm, data)


def _issuer_key_bytes(issuer: x509.Certificate) -> bytes:
    # RFC 6960 4.1.1: the hash of the value of the BIT STRING subjectPublicKey, excluding the
    # tag, length and number of unused bits.
    return bytes(issuer["tbs_certificate"]["subject_public_key_info"]["public_key"].contents[1:])


class CertID:
    """A frozen CertID: hash algorithm, issuerNameHash, issuerKeyHash and serialNumber.

    Equality and hashing are exact (OpenSSL's OCSP_id_cmp). :meth:`matches` also accepts a CertID
    in another hash algorithm when the issuer certificate is known.
    """

    __slots__ = ("_asn1",)

    def __init__(self, asn1_cert_id: Any) -> None:
        if not isinstance(asn1_cert_id, asn1.CertID):
            raise OCSPTypeError("CertID() takes an ocspkit.asn1.CertID; use CertID.from_cert()")
        self._asn1 = asn1_cert_id

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
        algorithm = algos.DigestAlgorithm({"algorithm": _asn1_hash_name(hash_algorithm)})
        # Explicit NULL parameters, as OpenSSL writes them (byte-identical requests).
        algorithm["parameters"] = core.Null()
        return cls(
            asn1.CertID(
                {
                    "hash_algorithm": algorithm,
                    "issuer_name_hash": bytes(issuer_name_hash),
                    "issuer_key_hash": bytes(issuer_key_hash),
                    "serial_number": serial_number,
                }
            )
        )

    @classmethod
    def from_issuer(
        cls, issuer: Any, serial_number: int, hash_algorithm: str = DEFAULT_CERTID_HASH
    ) -> CertID:
        """A CertID for ``serial_number`` issued by ``issuer`` (OCSP_cert_id_new)."""
        from .crypto import load_certificate

        issuer_cert = load_certificate(issuer)
        name_hash = _digest(hash_algorithm, issuer_cert["tbs_certificate"]["subject"].dump())
        key_hash = _digest(hash_algorithm, _issuer_key_bytes(issuer_cert))
        return cls.from_hashes(name_hash, key_hash, serial_number, hash_algorithm)

    @classmethod
    def from_cert(cls, cert: Any, issuer: Any, hash_algorithm: str = DEFAULT_CERTID_HASH) -> CertID:
        """The CertID of ``cert`` issued by ``issuer`` (OCSP_cert_to_id)."""
        from .crypto import load_certificate

        subject = load_certificate(cert)
        return cls.from_issuer(issuer, subject.serial_number, hash_algorithm)

    # --- fields ----------------------------------------------------------------------------

    @property
    def asn1(self) -> Any:
        """The asn1crypto tree (an :class:`ocspkit.asn1.CertID`)."""
        return self._asn1

    @property
    def hash_algorithm(self) -> str:
        """``sha1``, ``sha256``, ... or the dotted OID of an unknown algorithm."""
        return hash_name(self._asn1["hash_algorithm"])

    @property
    def issuer_name_hash(self) -> bytes:
        """Hash of the issuer's DER-encoded Name."""
        return bytes(self._asn1["issuer_name_hash"].native)

    @property
    def issuer_key_hash(self) -> bytes:
        """Hash of the issuer's subjectPublicKey BIT STRING value."""
        return bytes(self._asn1["issuer_key_hash"].native)

    @property
    def serial_number(self) -> int:
        """The certificate's serial number (any size, negative too)."""
        return int(self._asn1["serial_number"].native)

    def dump(self) -> bytes:
        """DER, exactly as received for parsed CertIDs."""
        return bytes(self._asn1.dump())

    # --- comparison (OCSP_id_cmp / OCSP_id_issuer_cmp) -------------------------------------

    def _key(self) -> tuple:  # type: ignore[type-arg]
        return (self.hash_algorithm, self.issuer_name_hash, self.issuer_key_hash, self.serial_number)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CertID):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def same_issuer(self, other: CertID) -> bool:
        """Same hash algorithm, issuerNameHash and issuerKeyHash (OCSP_id_issuer_cmp)."""
        return self._key()[:3] == other._key()[:3]

    def issued_by(self, issuer: Any) -> bool:
        """Whether this CertID names ``issuer`` (recomputing the hashes in this CertID's algorithm)."""
        from .crypto import load_certificate

        if self.hash_algorithm not in _SUPPORTED:
            return False
        issuer_cert = load_certificate(issuer)
        return (
            _digest(self.hash_algorithm, issuer_cert["tbs_certificate"]["subject"].dump()) == self.issuer_name_hash
            and _digest(self.hash_algorithm, _issuer_key_bytes(issuer_cert)) == self.issuer_key_hash
        )

    def matches(self, other: CertID, issuer: Optional[Any] = None) -> bool:
        """Hash-agile match: equal, or the same serial and both naming ``issuer`` in their own hashes.

        Without ``issuer`` this is exact equality.
        """
        if self == other:
            return True
        if issuer is None or self.serial_number != other.serial_number:
            return False
        return self.issued_by(issuer) and other.issued_by(issuer)

    def __repr__(self) -> str:
        return (
            f"<CertID {self.hash_algorithm} serial={self.serial_number:X} "
            f"name={self.issuer_name_hash.hex().upper()} key={self.issuer_key_hash.hex().upper()}>"
        )


def _asn1_hash_name(name: str) -> str:
    if not isinstance(name, str):
        raise OCSPTypeError(f"hash_algorithm must be a str, got {type(name).__name__}")
    normal = name.lower().replace("-", "")
    if normal not in _SUPPORTED:
        raise ValueError(f"unsupported CertID hash {name!r}; use one of {', '.join(_SUPPORTED)}")
    return normal
