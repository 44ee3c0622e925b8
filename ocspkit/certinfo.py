"""Facts about X.509 certificates that OCSP and its verification need, read once per certificate.

:class:`CertFacts` (:func:`cert_facts`) is what building and matching OCSP messages needs: the
certificate's DER, its subject Name, serial number and subjectPublicKey bits, and the
issuerNameHash / issuerKeyHash of the CertIDs it issues (RFC 6960 4.1.1), whose SHA-1 key hash
is also the byKey responder ID (RFC 6960 4.2.1). It is remembered, so that a certificate met
again is not read again.

:mod:`ocspkit.crypto` is imported where it is used, not at the top: loading and building
messages import this module, and printing a message or building a request must not load the
crypto engine (``tests/test_lazy_import.py``).
"""

from __future__ import annotations

import threading
from typing import Any, Dict, Tuple

from ._der import received

__all__ = ["CertFacts", "cert_facts"]

_LOCK = threading.Lock()


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
            from .crypto import hash_digest

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
    from .crypto import load_certificate

    facts = CertFacts(load_certificate(cert))
    with _LOCK:
        if len(_FACTS) >= 256:
            _FACTS.clear()
        _FACTS[key] = (cert, facts)
    return facts
