"""The signer's certificate chain: OpenSSL's ``X509_verify_cert`` as OCSP uses it.

:func:`chain_for` builds the chain from a message's signer to a trust anchor
(:mod:`ocspkit.trust`) and checks it, as ``X509_verify_cert`` does for an OCSP signer (purpose
"OCSP helper"): each issuer found by name, authorityKeyIdentifier and key type (RFC 5280
4.2.1.1), then signatures (and RFC 5280 4.1.1.2's matching AlgorithmIdentifiers), validity at
``now``, basicConstraints cA and pathLenConstraint (RFC 5280 4.2.1.9), keyUsage keyCertSign
(4.2.1.3), and critical extensions OpenSSL does not know. A failure raises
:class:`ChainFailure` with OpenSSL's verify error string.

It is not a general RFC 5280 path validator: no name constraints, no policies, no CRLs, and the
responder certificate's own revocation status is not checked (``Verdict.nocheck`` tells whether
the responder says it need not be). ``docs/verification.md`` has the details.
"""

from __future__ import annotations

import datetime as _dt
import threading
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from . import crypto
from ._der import received, unused_bits
from ._util import int_text
from .certinfo import CertInfo, name_text, time_text
from .errors import ParseError, SignatureError, UnsupportedError
from .trust import Anchor

__all__ = ["ChainFailure", "chain_for"]

_LOCK = threading.Lock()
_CHAINS_MAX = 512  # a client meets few responders; bounded all the same
_SIGNED_MAX = 2048


class ChainFailure(Exception):
    """The chain does not hold: ``openssl`` is OpenSSL's verify error string ("certificate has
    expired", ...), the message names the certificate and says what to do."""

    def __init__(self, openssl: str, message: str) -> None:
        self.openssl = openssl
        super().__init__(message)


# Chains that passed, by everything that decided them, with the window of time in which they
# hold (the latest notBefore to the earliest notAfter): a client verifying responses from one
# responder repeats the same chain, and rebuilding it gives the same answer.
_CHAINS: Dict[Tuple[Any, ...], Tuple[List[CertInfo], int, _dt.datetime, _dt.datetime]] = {}


def chain_for(
    signer: CertInfo,
    anchors: List[Anchor],
    untrusted: List[CertInfo],
    now: _dt.datetime,
    partial: bool,
) -> Tuple[List[CertInfo], Anchor]:
    """The signer's chain to one of ``anchors`` at ``now``, checked, and the anchor it ends at
    (``untrusted`` helps build it; ``partial`` is PARTIAL_CHAIN): see :func:`_build_chain`.
    Raises :class:`ChainFailure`. Remembered, with the window of time in which the chain holds."""
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
        if len(_CHAINS) >= _CHAINS_MAX:
            _CHAINS.clear()
        _CHAINS[key] = (chain, anchors.index(anchor), start, end)
    return chain, anchor


def _build_chain(
    signer: CertInfo,
    anchors: List[Anchor],
    untrusted: List[CertInfo],
    now: _dt.datetime,
    partial: bool,
) -> Tuple[List[CertInfo], Anchor]:
    """The signer's chain to a trust anchor, checked; raises ChainFailure with OpenSSL's
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
            raise ChainFailure("certificate chain too long", "the signer's chain is longer than 100 certificates")
        if current.self_signed:
            if len(chain) == 1:
                raise ChainFailure(
                    "self-signed certificate",
                    f"the signer {current.label} is self-signed and is not one of the trusted certificates",
                )
            raise ChainFailure(
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
            raise ChainFailure(
                "unable to get issuer certificate",
                f"{current.label} is trusted but is not self-signed, and its issuer is not among the "
                "trusted certificates (pass its root, or use PARTIAL_CHAIN)",
            )
        found = _pick_issuer(current, untrusted, chain, now)
        if found is None:
            raise ChainFailure(
                "unable to get local issuer certificate",
                f"no trusted or supplied certificate issued {current.label} (its issuer is "
                f"{name_text(current.issuer)}); pass that CA in trusted= or untrusted=",
            )
        chain.append(found)
        if found.der in by_der and (found.self_signed or partial):
            anchor = by_der[found.der]
    _check_chain(chain, anchor, now)
    return chain, anchor


def _pick_issuer(
    child: CertInfo,
    candidates: Sequence[CertInfo],
    chain: Sequence[CertInfo],
    now: _dt.datetime,
    direct_ok: bool = False,
    by_der: Optional[Dict[bytes, Anchor]] = None,
) -> Optional[CertInfo]:
    """OpenSSL's find_issuer: of the candidates that issued ``child`` (by name, AKID and key
    type; signatures are checked later, in _check_chain), the first valid at ``now``, else the
    one that expires last."""
    fallback: Optional[CertInfo] = None
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


def _check_chain(chain: List[CertInfo], anchor: Anchor, now: _dt.datetime) -> None:
    """OpenSSL's check_chain_extensions, check_trust and internal_verify, in that order."""
    last = len(chain) - 1
    plen = 0
    for i, cert in enumerate(chain):
        direct = i == last and anchor.direct
        if cert.critical_unknown and not direct:
            raise ChainFailure(
                "unhandled critical extension",
                f"{cert.label} has a critical extension ocspkit (like OpenSSL) does not handle: "
                + ", ".join(cert.critical_unknown),
            )
        if i > 0 and not direct:
            # RFC 5280 4.2.1.9: every issuing certificate must be a CA; OpenSSL is strict for
            # intermediates and accepts a v1 self-signed root or keyUsage-only CA as the anchor.
            if cert.ca_kind == 0 or (i < last and cert.ca_kind != 1):
                raise ChainFailure(
                    "invalid CA certificate",
                    f"{cert.label} issues {chain[i - 1].label} but is not a valid CA certificate "
                    "(basicConstraints cA with keyCertSign in keyUsage, RFC 5280 4.2.1.9 / 4.2.1.3)",
                )
            if i > 1 and cert.path_len is not None and plen > cert.path_len:
                raise ChainFailure(
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
            raise ChainFailure(
                "certificate signature failure",
                f"the signatureAlgorithm of {cert.label} differs from its tbsCertificate.signature "
                "(RFC 5280 4.1.1.2)",
            )
        if i < last and not _signed_by(cert, chain[i + 1]):
            raise ChainFailure(
                "certificate signature failure",
                f"the signature on {cert.label} does not verify with the key of {chain[i + 1].label}",
            )
        if cert.not_before > now:
            raise ChainFailure(
                "certificate is not yet valid",
                f"{cert.label} is not valid before {time_text(cert.not_before)} (now {time_text(now)})",
            )
        if cert.not_after <= now:
            raise ChainFailure(
                "certificate has expired",
                f"{cert.label} expired at {time_text(cert.not_after)} (now {time_text(now)})",
            )


def _issued(child: CertInfo, parent: CertInfo, direct: bool = False) -> bool:
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


# (child DER, issuer SubjectPublicKeyInfo DER) pairs whose signature verified: a certificate's
# signature never changes, so checking it once per process is enough.
_SIGNED: Set[Tuple[bytes, bytes]] = set()


def _signed_by(child: CertInfo, issuer: CertInfo) -> bool:
    """OpenSSL's X509_verify in internal_verify: whether the signature on ``child`` verifies with
    the key of ``issuer`` (remembered once it does)."""
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
        if len(_SIGNED) >= _SIGNED_MAX:
            _SIGNED.clear()
        _SIGNED.add(key)
    return True

