"""A small X.509 certificate builder and a zero-argument test PKI (root, intermediate, OCSP
responder, leaves), built on asn1crypto and :mod:`ocspkit.crypto`."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import itertools
from typing import Any, Iterable, List, Optional, Sequence

from asn1crypto import core, x509

from .. import crypto
from .._der import pem_armor
from .._util import to_generalized_time

__all__ = ["CertifiedKey", "TestPKI", "make_certificate"]

_UTC = _dt.timezone.utc


def _time(value: _dt.datetime) -> Any:
    # RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
    value = to_generalized_time(value)
    return x509.Time(name="utc_time" if value.year < 2050 else "general_time", value=value)


def make_certificate(
    *,
    subject: Any,
    public_key: Any,
    issuer_key: crypto.PrivateKey,
    issuer: Optional[x509.Certificate] = None,
    serial_number: int,
    not_before: _dt.datetime,
    not_after: _dt.datetime,
    ca: bool = False,
    path_length: Optional[int] = None,
    key_usage: Optional[Iterable[str]] = None,
    extended_key_usage: Optional[Iterable[str]] = None,
    ocsp_nocheck: bool = False,
    ocsp_url: Optional[str] = None,
    hash_algorithm: str = "sha256",
) -> x509.Certificate:
    """Build and sign an X.509 v3 certificate.

    ``subject`` is an asn1crypto Name or a dict such as ``{"common_name": "leaf"}``;
    ``public_key`` anything :func:`ocspkit.crypto.load_public_key` reads; ``issuer`` None makes
    the certificate self-signed. Extensions: basicConstraints (critical), keyUsage (critical),
    extKeyUsage, subject and authority key identifiers, id-pkix-ocsp-nocheck, AIA OCSP URL.
    """
    name = x509.Name.build(subject) if isinstance(subject, dict) else subject
    spki = crypto.load_public_key(public_key).asn1
    issuer_name = name if issuer is None else issuer.subject
    issuer_spki = spki if issuer is None else issuer.public_key
    if key_usage is None:
        key_usage = ("key_cert_sign", "crl_sign", "digital_signature") if ca else ("digital_signature",)
    extensions: List[dict] = [  # type: ignore[type-arg]
        {"extn_id": "basic_constraints", "critical": True,
         "extn_value": {"ca": ca, "path_len_constraint": path_length} if ca else {"ca": False}},
        {"extn_id": "key_usage", "critical": True, "extn_value": set(key_usage)},
        {"extn_id": "key_identifier", "critical": False, "extn_value": crypto.key_hash(spki)},
        {"extn_id": "authority_key_identifier", "critical": False,
         "extn_value": {"key_identifier": crypto.key_hash(issuer_spki)}},
    ]
    if extended_key_usage:
        extensions.append(
            {"extn_id": "extended_key_usage", "critical": False, "extn_value": list(extended_key_usage)}
        )
    if ocsp_nocheck:
        # RFC 6960 4.2.2.2.1: the extension value is NULL.
        extensions.append({"extn_id": "ocsp_no_check", "critical": False, "extn_value": core.Null()})
    if ocsp_url:
        extensions.append(
            {"extn_id": "authority_information_access", "critical": False,
             "extn_value": [{"access_method": "ocsp",
                             "access_location": {"uniform_resource_identifier": ocsp_url}}]}
        )
    algorithm = crypto.signature_algorithm(issuer_key, hash_algorithm)
    tbs = x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": serial_number,
            "signature": algorithm,
            "issuer": issuer_name,
            "validity": {"not_before": _time(not_before), "not_after": _time(not_after)},
            "subject": name,
            "subject_public_key_info": spki,
            "extensions": extensions,
        }
    )
    signature = crypto.sign(issuer_key, tbs.dump(), algorithm)
    return x509.Certificate(
        {"tbs_certificate": tbs, "signature_algorithm": algorithm, "signature_value": signature}
    )


@dataclasses.dataclass(frozen=True)
class CertifiedKey:
    """A certificate with its private key, in every form a test may want."""

    certificate: x509.Certificate
    private_key: crypto.PrivateKey

    @property
    def cert_der(self) -> bytes:
        """The certificate, DER."""
        return bytes(self.certificate.dump())

    @property
    def cert_pem(self) -> bytes:
        """The certificate, PEM."""
        return pem_armor(self.cert_der, "CERTIFICATE")

    @property
    def key_der(self) -> bytes:
        """The private key, PKCS#8 DER (unencrypted)."""
        return bytes(self.private_key.asn1.dump())

    @property
    def key_pem(self) -> bytes:
        """The private key, PKCS#8 PEM (unencrypted)."""
        return pem_armor(self.key_der, "PRIVATE KEY")

    @property
    def serial_number(self) -> int:
        """The certificate's serial number."""
        return int(self.certificate.serial_number)


class TestPKI:
    """A root CA, an intermediate CA that issues leaves, and a delegated OCSP responder for the
    intermediate (id-kp-OCSPSigning + id-pkix-ocsp-nocheck). Zero arguments give RSA-2048.

    ``key_algorithm`` is ``"rsa"`` or ``"ec"``; ``now`` anchors validity (default: the current
    time); certificates are valid from a day before ``now`` for ``validity_days``.
    """

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        key_algorithm: str = "rsa",
        *,
        now: Optional[_dt.datetime] = None,
        validity_days: int = 365,  # a year: long enough for any test run, short enough to be fake
        ocsp_url: Optional[str] = None,
    ) -> None:
        self.key_algorithm = key_algorithm
        self.now = to_generalized_time(now or _dt.datetime.now(_UTC))
        self.not_before = self.now - _dt.timedelta(days=1)
        self.not_after = self.now + _dt.timedelta(days=validity_days)
        self.ocsp_url = ocsp_url
        self._serials = itertools.count(1000)
        self.root = self._issue({"common_name": "ocspkit Test Root CA"}, None, ca=True)
        self.intermediate = self._issue(
            {"common_name": "ocspkit Test Intermediate CA"}, self.root, ca=True, path_length=0
        )
        self.responder = self._issue(
            {"common_name": "ocspkit Test OCSP Responder"},
            self.intermediate,
            extended_key_usage=("ocsp_signing",),
            ocsp_nocheck=True,
        )

    def _new_key(self) -> crypto.PrivateKey:
        if self.key_algorithm == "ec":
            return crypto.generate_private_key("ec", curve="secp256r1")
        return crypto.generate_private_key("rsa", bit_size=2048)

    def _issue(self, subject: Any, issuer: Optional[CertifiedKey], **options: Any) -> CertifiedKey:
        key = self._new_key()
        cert = make_certificate(
            subject=subject,
            public_key=key,
            issuer_key=key if issuer is None else issuer.private_key,
            issuer=None if issuer is None else issuer.certificate,
            serial_number=next(self._serials),
            not_before=self.not_before,
            not_after=self.not_after,
            **options,
        )
        return CertifiedKey(cert, key)

    def issue_leaf(self, common_name: str = "leaf.example", **options: Any) -> CertifiedKey:
        """A new end-entity certificate issued by the intermediate (with the AIA OCSP URL, if set)."""
        options.setdefault("ocsp_url", self.ocsp_url)
        return self._issue({"common_name": common_name}, self.intermediate, **options)

    def chain(self) -> Sequence[x509.Certificate]:
        """The intermediate and the root, leaf-side first."""
        return (self.intermediate.certificate, self.root.certificate)
