"""The trust store and the verification, as openssl ocsp sets them up (setup_verify, OCSP_basic_verify)."""

from __future__ import annotations

import contextlib
import os
import re
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from ..errors import OCSPError
from ..response import BasicOCSPResponse
from ._common import fail

if TYPE_CHECKING:
    from ..verify import TrustedCertificate
    from .state import OcspOptions as Ocsp

__all__ = ["trust_store", "verify_basic"]

# -CApath and OpenSSL's default directory, read once per directory and modification time.
_DIR_CACHE: Dict[Tuple[str, float], List[TrustedCertificate]] = {}


def _load_dir(path: str) -> List[TrustedCertificate]:
    """The certificates of an OpenSSL hashed directory (``<hash>.<n>`` files, as c_rehash names
    them); unreadable files are skipped, as X509_LOOKUP_hash_dir skips them."""
    try:
        key = (os.path.realpath(path), os.stat(path).st_mtime)
    except OSError:
        return []
    if key not in _DIR_CACHE:
        from ..verify import load_trusted_certificates  # lazy: oscrypto's engine only when a response is verified

        hashed_name = re.compile(r"^[0-9a-f]{8}\.[0-9]+$")
        found: List[TrustedCertificate] = []
        for name in sorted(os.listdir(path)):
            if hashed_name.match(name):
                try:
                    found.extend(load_trusted_certificates(os.path.join(path, name)))
                except (OCSPError, OSError):
                    continue
        _DIR_CACHE[key] = found
    return _DIR_CACHE[key]


def _default_paths() -> Tuple[str, str]:
    """OpenSSL's default certificates file and directory (SSL_CERT_FILE / SSL_CERT_DIR first)."""
    import ssl  # lazy: only to verify, as openssl reads its defaults only then

    paths = ssl.get_default_verify_paths()
    cafile = os.environ.get(paths.openssl_cafile_env) or paths.openssl_cafile
    capath = os.environ.get(paths.openssl_capath_env) or paths.openssl_capath
    return cafile, capath


def trust_store(job: Ocsp, defaults: bool = True) -> List[TrustedCertificate]:
    """setup_verify: ``job``'s -CAfile / -CApath / -CAstore, each else OpenSSL's default unless
    -no-* (or not ``defaults``)."""
    if job.cafile is None and job.capath is None and job.castore is None and not defaults:
        return []
    from ..verify import load_trusted_certificates  # lazy: oscrypto's engine only when a response is verified

    default_file, default_dir = _default_paths() if defaults else ("", "")
    store: List[TrustedCertificate] = []
    if job.cafile is not None:
        try:
            store.extend(load_trusted_certificates(job.cafile))
        except OCSPError as exc:
            fail(f"Error loading file {job.cafile}", exc)
    elif defaults and not job.no_cafile and os.path.isfile(default_file):
        # X509_LOOKUP_load_file on the default file: errors are ignored
        with contextlib.suppress(OCSPError):
            store.extend(load_trusted_certificates(default_file))
    if job.capath is not None:
        if not os.path.isdir(job.capath):
            fail(f"Error loading directory {job.capath}", "not a directory")
        store.extend(_load_dir(job.capath))
    elif defaults and not job.no_capath and os.path.isdir(default_dir):
        store.extend(_load_dir(default_dir))
    if job.castore is not None:
        location = job.castore[5:] if job.castore.startswith("file:") else job.castore
        if os.path.isdir(location):
            store.extend(_load_dir(location))
        else:
            try:
                store.extend(load_trusted_certificates(location))
            except OCSPError as exc:
                fail(f"Error loading store URI {job.castore}", exc)
    return store

def verify_basic(
    job: Ocsp, basic: BasicOCSPResponse, trusted: List[TrustedCertificate], untrusted: List[Any]
) -> Optional[OCSPError]:
    """OCSP_basic_verify with ``job``'s flags, then (as apps/ocsp.c) again with the -issuer certificates as
    untrusted ones; the first failure, or None.

    The second try never trusts the -issuer certificates: they help find the signer and build
    its chain, which must still lead to -CAfile / -CApath / -CAstore. OpenSSL passed
    OCSP_TRUSTOTHER there until March 2026 (openssl/openssl#30323: "certificates given via
    -issuer [were] implicitly trusted regardless of verify_flags"), so that a response
    signed by any certificate given with -issuer verified; ocspkit follows the fix.
    """
    from ..verify import VerifyFlags, verify_response  # lazy: oscrypto's engine only when a response is verified

    given = VerifyFlags.NONE
    for name in sorted(job.flags):
        given |= VerifyFlags[name]
    extra = VerifyFlags.PARTIAL_CHAIN if job.partial_chain else VerifyFlags.NONE
    try:
        verify_response(basic, trusted=trusted, untrusted=untrusted, flags=given | extra, now=job.attime)
        return None
    except OCSPError as exc:
        first = exc
    if job.issuers:
        # -trust_other speaks of -verify_other's certificates (tried above), never of -issuer's.
        flags = (given & ~VerifyFlags.TRUSTOTHER) | extra
        try:
            verify_response(basic, trusted=trusted, untrusted=job.issuers, flags=flags, now=job.attime)
            return None
        except OCSPError:
            pass
    return first
