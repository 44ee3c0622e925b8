"""Trust settings: trusted certificates with OpenSSL's trust settings, and the trust anchors and
untrusted certificates a verification is given.

A :class:`TrustedCertificate` is a certificate with the settings ``openssl x509 -addtrust`` /
``-addreject`` write into a ``TRUSTED CERTIFICATE`` PEM block (OpenSSL's X509_CERT_AUX, read
as ``crypto/x509/x509_trust.c`` reads it); :func:`load_trusted_certificates` reads them from a
file, PEM, DER or objects. :func:`trust_anchors` and :func:`untrusted_certs` turn what a caller
passes as ``trusted=`` and ``untrusted=`` into the :class:`Anchor` and
:class:`~ocspkit.certinfo.CertInfo` records that :mod:`ocspkit.chain` builds with.

Trust settings decide one thing: whether the last certificate of a responder's chain is
explicitly trusted for OCSP signing, the "local configuration of OCSP signing authority" of
RFC 6960 4.2.2.2 (see :mod:`ocspkit.verify`). They play no part in building or checking a
chain, as in OpenSSL 3.0 (``docs/verification.md``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, List, Optional

from asn1crypto import pem, x509

from . import crypto
from ._deps import ASN1_ERRORS
from ._der import received, unarmor
from .asn1 import OID, X509CertAux
from .certinfo import CertInfo, cert_info, cert_repr, is_der
from .errors import OCSPError, ParseError

__all__ = [
    "Anchor",
    "TrustedCertificate",
    "load_trusted_certificates",
    "plain_anchor",
    "trust_anchors",
    "untrusted_certs",
]


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
        # Not the dataclass repr, for the certificate's sake: see ocspkit.verify.Verdict.__repr__.
        return (
            f"TrustedCertificate(certificate={cert_repr(self.certificate)}, trust={self.trust!r}, "
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


# --- what a verification is given ----------------------------------------------------------------


class Anchor:
    """A trust anchor as chain building uses it: the certificate's :class:`CertInfo` (``info``)
    and its :class:`TrustedCertificate` (``trusted``, with the trust settings), and whether it
    is ``direct``."""

    __slots__ = ("direct", "info", "trusted")

    def __init__(self, info: CertInfo, trusted: TrustedCertificate, direct: bool = False) -> None:
        self.info = info
        self.trusted = trusted
        # A direct anchor is a certificate the caller names as the issuer (check_status): like
        # an RFC 5280 trust anchor it is a name and a key, so its own extensions and AKID are not
        # held against it (BoringSSL and Go treat the issuer the same way).
        self.direct = direct


def plain_anchor(info: CertInfo) -> Anchor:
    """``info``'s certificate as a plain trust anchor (no trust settings), made once per
    certificate (kept in ``info.anchor``)."""
    anchor: Optional[Anchor] = info.anchor
    if anchor is None:
        anchor = info.anchor = Anchor(info, TrustedCertificate(info.cert))
    return anchor


def _items(source: Any) -> List[Any]:
    """One source or an iterable of sources, as a list of sources."""
    if source is None:
        return []
    if isinstance(source, (bytes, bytearray, memoryview, str, x509.Certificate, TrustedCertificate)):
        return [source]
    if hasattr(source, "__fspath__") or not isinstance(source, Iterable):
        return [source]
    return list(source)


def trust_anchors(trusted: Any) -> List[Anchor]:
    """The trust anchors in ``trusted`` (``openssl ocsp -CAfile``): one source or an iterable of
    sources, each anything :func:`load_trusted_certificates` reads."""
    anchors: List[Anchor] = []
    for item in _items(trusted):
        # The common forms (DER bytes, certificate objects) hit the per-DER cache directly.
        if is_der(item) or isinstance(item, x509.Certificate):
            anchors.append(plain_anchor(cert_info(item)))
        else:
            anchors.extend(Anchor(cert_info(t.certificate), t) for t in load_trusted_certificates(item))
    return anchors


def untrusted_certs(certs: Any) -> List[CertInfo]:
    """The certificates in ``certs`` (``-verify_other``, OpenSSL's ``certs``): one source or an
    iterable of sources, each anything :func:`ocspkit.crypto.load_certificates` reads."""
    out: List[CertInfo] = []
    for item in _items(certs):
        if is_der(item) or isinstance(item, x509.Certificate):
            out.append(cert_info(item))
        else:
            out.extend(cert_info(c) for c in crypto.load_certificates(item))
    return out

