"""The one seam between ocspkit and the cryptographic engine (oscrypto over the system libcrypto).

Everything that signs, verifies, hashes or loads keys and certificates goes through this module;
no other ocspkit module imports oscrypto. oscrypto is imported lazily, on first use, through
:func:`ocspkit._oscrypto_compat.load_oscrypto` (which also applies a small, documented
compatibility step for OpenSSL >= 3.0.10).

Supported signature algorithms (sign and verify unless noted):

* RSA PKCS#1 v1.5 with SHA-1, SHA-224, SHA-256, SHA-384, SHA-512 (MD5: verify only)
* RSASSA-PSS (RFC 4055) with SHA-1 ... SHA-512, MGF1 with the same hash, salt length = hash
  length, trailer field 1
* ECDSA with SHA-1 ... SHA-512 on the curves libcrypto knows (P-256, P-384, P-521, ...)
* DSA with SHA-1, SHA-224, SHA-256

Ed25519 and Ed448 keys and signatures are recognised but raise
:class:`~ocspkit.errors.UnsupportedError`: oscrypto has no EdDSA.

Loaded keys are cached by the caller's objects (the bytes value, the file path with its mtime
and size, the asn1crypto value, or the foreign key object itself), so repeated signing with the
same source does not re-parse it; :func:`clear_key_cache` empties the cache.
"""

from __future__ import annotations

import collections
import hashlib
import os
import re
import sys
import threading
import weakref
from typing import Any, Callable, Dict, Hashable, Iterable, List, Optional, Tuple

from asn1crypto import algos, core, keys, pem, x509

from . import _oscrypto_compat
from ._deps import ASN1_ERRORS, engine_error_types, pyca_error_types
from ._der import armor_one_line, pem_block, unarmor
from ._util import int_text
from .errors import BackendError, OCSPTypeError, OCSPValueError, ParseError, SignatureError, UnsupportedError
from .oid import SUPPORTED_HASHES

__all__ = [
    "PrivateKey",
    "PublicKey",
    "backend_info",
    "clear_key_cache",
    "generate_private_key",
    "hash_digest",
    "key_hash",
    "load_certificate",
    "load_certificates",
    "load_private_key",
    "load_public_key",
    "random_bytes",
    "sign",
    "signature_algorithm",
    "signature_key_algorithm",
    "signer",
    "signing_algorithm",
    "verify_signature",
]

#: Digest sizes in bytes of the hash algorithms :func:`hash_digest` computes.
_HASH_SIZES: Dict[str, int] = {
    "md5": 16,
    "sha1": 20,
    "sha224": 28,
    "sha256": 32,
    "sha384": 48,
    "sha512": 64,
}
_DSA_HASHES = ("sha1", "sha224", "sha256")
_EDDSA_NAMES = {"ed25519": "Ed25519", "ed448": "Ed448"}
_EDDSA_BITS = {"ed25519": 256, "ed448": 448}
# The size of a named curve's order (SEC 2, FIPS 186-4 D.1.2): a key's size is its curve's, not
# the length of its private number (about one P-384 key in 256 has a number under 2**376).
_CURVE_BITS = {"secp192r1": 192, "secp224r1": 224, "secp256r1": 256, "secp256k1": 256, "secp384r1": 384,
               "secp521r1": 521}

# Signature algorithm name (asn1crypto) -> (scheme, key algorithm, hash).
_SCHEMES: Dict[str, Tuple[str, str, str]] = {}
for _h in ("md5", *SUPPORTED_HASHES):
    _SCHEMES[f"{_h}_rsa"] = ("pkcs1v15", "rsa", _h)
for _h in SUPPORTED_HASHES:
    _SCHEMES[f"{_h}_ecdsa"] = ("ecdsa", "ec", _h)
for _h in _DSA_HASHES:
    _SCHEMES[f"{_h}_dsa"] = ("dsa", "dsa", _h)
del _h

_LABELS = {"pkcs1v15": "RSA PKCS#1 v1.5", "pss": "RSASSA-PSS", "ecdsa": "ECDSA", "dsa": "DSA"}


# --------------------------------------------------------------------------------------------
# Engine access


def _engine() -> Tuple[Any, Any]:
    """``(oscrypto.asymmetric, oscrypto.keys)``, loaded on first use."""
    return _oscrypto_compat.load_oscrypto()


def backend_info() -> Dict[str, Any]:
    """Describe the crypto engine; never raises.

    Keys: ``engine`` ("oscrypto"), ``available`` (bool), ``oscrypto_version``, ``backend``
    ("openssl", "mac", "win"), ``ffi`` ("cffi"/"ctypes"), ``libcrypto_version`` (None off
    OpenSSL), ``compat_patch_applied`` (bool) with ``compat_patched_modules`` /
    ``compat_unchanged_modules``, ``pss_salt_length_workaround`` (bool), and ``error`` when the
    engine is not available.
    """
    return _oscrypto_compat.describe()


# --------------------------------------------------------------------------------------------
# Hashes and random bytes


def _normalize_hash(name: str) -> str:
    if not isinstance(name, str):
        raise OCSPTypeError(f"a hash algorithm name must be a str, not {type(name).__name__}")
    return name.lower().replace("-", "")


def hash_digest(algorithm: str, data: bytes) -> bytes:
    """Return the digest of ``data`` with ``algorithm``.

    ``algorithm`` is one of "sha1", "sha224", "sha256", "sha384", "sha512" (case and a dash,
    as in "SHA-256", are tolerated) or "md5" (only to read old CertIDs).

    :raises ocspkit.errors.UnsupportedError: for any other algorithm.
    """
    name = _normalize_hash(algorithm)
    if name not in _HASH_SIZES:
        raise UnsupportedError(f"unsupported hash algorithm {algorithm!r}")
    if name == "md5":
        return hashlib.md5(bytes(data), usedforsecurity=False).digest()
    return hashlib.new(name, bytes(data)).digest()


def random_bytes(n: int) -> bytes:
    """Return ``n`` cryptographically strong random bytes (for nonces and serial numbers)."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise OCSPValueError(f"n must be a non-negative int, not {n!r}")
    return os.urandom(n)  # what secrets.token_bytes does, without importing secrets (random, hmac)


# --------------------------------------------------------------------------------------------
# Key wrappers


class _Frozen:
    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} objects are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} objects are immutable")


def _key_properties(info: Any, what: str) -> Tuple[str, int, Optional[str]]:
    """``(algorithm, bit_size, curve)`` of an asn1crypto PrivateKeyInfo / PublicKeyInfo."""
    try:
        name = info.algorithm
    except ASN1_ERRORS as exc:
        raise ParseError(f"malformed {what}: {exc}") from exc
    if name in _EDDSA_NAMES:
        return name, _EDDSA_BITS[name], None
    if name not in ("rsa", "rsassa_pss", "ec", "dsa"):
        raise UnsupportedError(f"{what}s of type {name} cannot be used for signatures")
    curve: Optional[str] = None
    try:
        if name == "ec":
            kind, named = info.curve
            if kind != "named":
                raise UnsupportedError(f"EC {what}s with {kind} curve parameters are not supported")
            curve = str(named)
        bit_size = _CURVE_BITS.get(curve) or int(info.bit_size) if curve else int(info.bit_size)
    except ASN1_ERRORS as exc:  # keys.PublicKeyInfo.curve / .bit_size on parameters or keys it cannot read
        raise UnsupportedError(f"cannot use this {name} {what}: {exc}") from exc
    return ("rsa" if name == "rsassa_pss" else name), bit_size, curve


class PublicKey(_Frozen):
    """A public key loaded for verification; obtain one with :func:`load_public_key`.

    Attributes: ``algorithm`` ("rsa", "ec", "dsa", "ed25519" or "ed448"; RSASSA-PSS-only keys
    are "rsa"), ``bit_size`` (256 for Ed25519, 448 for Ed448), ``curve`` (asn1crypto curve
    name such as "secp256r1" for EC keys, else None) and ``asn1`` (the
    ``asn1crypto.keys.PublicKeyInfo``). Instances are immutable and compare equal when their
    SubjectPublicKeyInfo encodings are equal.
    """

    __slots__ = ("_engine", "algorithm", "asn1", "bit_size", "curve")

    algorithm: str
    bit_size: int
    curve: Optional[str]
    asn1: Any
    _engine: Any

    def __init__(self, asn1: Any, engine_key: Any = None) -> None:
        """Wrap a PublicKeyInfo (and optionally the oscrypto key already loaded from it)."""
        algorithm, bit_size, curve = _key_properties(asn1, "public key")
        object.__setattr__(self, "asn1", asn1)
        object.__setattr__(self, "algorithm", algorithm)
        object.__setattr__(self, "bit_size", bit_size)
        object.__setattr__(self, "curve", curve)
        object.__setattr__(self, "_engine", engine_key)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PublicKey):
            return NotImplemented
        return bool(self.asn1.dump() == other.asn1.dump())

    def __hash__(self) -> int:
        return hash(self.asn1.dump())

    def __repr__(self) -> str:
        detail = self.curve or f"{self.bit_size} bits"
        return f"<PublicKey {self.algorithm} {detail}>"


class PrivateKey(_Frozen):
    """A private key loaded for signing; obtain one with :func:`load_private_key`.

    Attributes: ``algorithm``, ``bit_size`` and ``curve`` as for :class:`PublicKey`, ``asn1``
    (the ``asn1crypto.keys.PrivateKeyInfo``) and ``public_key_info`` (the matching
    ``asn1crypto.keys.PublicKeyInfo``). The oscrypto key is held internally. Instances are
    immutable; their repr shows no key material.
    """

    __slots__ = ("_engine", "_public_info", "_signers", "algorithm", "asn1", "bit_size", "curve")

    algorithm: str
    bit_size: int
    curve: Optional[str]
    asn1: Any
    _engine: Any
    _public_info: Any
    _signers: Dict[Hashable, Callable[[bytes], bytes]]  # signer(): one function per algorithm

    def __init__(self, asn1: Any, engine_key: Any = None, public_key_info: Any = None) -> None:
        """Wrap a PrivateKeyInfo and the oscrypto key loaded from it (None for EdDSA keys)."""
        algorithm, bit_size, curve = _key_properties(asn1, "private key")
        object.__setattr__(self, "asn1", asn1)
        object.__setattr__(self, "algorithm", algorithm)
        object.__setattr__(self, "bit_size", bit_size)
        object.__setattr__(self, "curve", curve)
        object.__setattr__(self, "_engine", engine_key)
        object.__setattr__(self, "_public_info", public_key_info)
        object.__setattr__(self, "_signers", {})

    @property
    def public_key_info(self) -> Any:
        """The ``asn1crypto.keys.PublicKeyInfo`` of this key's public half.

        :raises ocspkit.errors.UnsupportedError: for an Ed25519/Ed448 key whose public half is
            not in the input and libcrypto cannot derive it.
        """
        if self._public_info is None:
            if self._engine is not None:
                info = self._engine.public_key.asn1
            else:
                info = _oscrypto_compat.derive_public_key_info(self.asn1)
                if info is None:
                    name = _EDDSA_NAMES.get(self.algorithm, self.algorithm)
                    raise UnsupportedError(
                        f"the public half of this {name} private key cannot be derived by the oscrypto engine"
                    )
            object.__setattr__(self, "_public_info", info)
        return self._public_info

    @property
    def public_key(self) -> PublicKey:
        """The public half as a :class:`PublicKey`."""
        engine_public = self._engine.public_key if self._engine is not None else None
        return PublicKey(self.public_key_info, engine_public)

    def __repr__(self) -> str:
        detail = self.curve or f"{self.bit_size} bits"
        return f"<PrivateKey {self.algorithm} {detail}>"


# --------------------------------------------------------------------------------------------
# Cache of loaded keys, keyed by the caller's objects

_CACHE_SIZE = 64
_cache_lock = threading.Lock()
_lru: collections.OrderedDict[Hashable, Tuple[object, Any]] = collections.OrderedDict()
_weak_cache: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def clear_key_cache() -> None:
    """Forget every cached key (e.g. after rotating key files or to drop key material), and which
    keys passed the fast signing path's self-test. A :class:`PrivateKey` still held keeps the
    signing functions :func:`signer` made for it; load the key again for new ones."""
    with _cache_lock:
        _lru.clear()
        _weak_cache.clear()
    _oscrypto_compat.forget_self_tests()


def _token(kind: str, *parts: bytes) -> Tuple[str, bytes]:
    # A digest, so the cache holds neither key bytes nor passwords as dictionary keys.
    h = hashlib.sha256(kind.encode())
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return kind, h.digest()


def _cache_get(token: Hashable) -> Any:
    with _cache_lock:
        entry = _lru.get(token)
        if entry is None:
            return None
        _lru.move_to_end(token)
        return entry[1]


def _cache_put(token: Hashable, value: Any, pin: object = None) -> None:
    with _cache_lock:
        _lru[token] = (pin, value)
        _lru.move_to_end(token)
        while len(_lru) > _CACHE_SIZE:
            _lru.popitem(last=False)


def _object_get(kind: str, obj: object) -> Any:
    with _cache_lock:
        try:
            hit = _weak_cache.get(obj)
        except TypeError:  # not weak-referenceable (or unhashable)
            hit = None
        if hit is not None and kind in hit:
            return hit[kind]
    entry = _cache_get((kind, id(obj)))
    # The entry pins the object, so its id cannot have been reused while the entry exists.
    return entry[1] if entry is not None and entry[0] is obj else None


def _object_put(kind: str, obj: object, value: Any) -> None:
    with _cache_lock:
        try:
            _weak_cache.setdefault(obj, {})[kind] = value
            return
        except TypeError:
            pass
    _cache_put((kind, id(obj)), (obj, value), pin=obj)


# --------------------------------------------------------------------------------------------
# Source helpers


def _password_bytes(password: object) -> Optional[bytes]:
    if password is None or isinstance(password, bytes):
        return password
    if isinstance(password, str):
        return password.encode("utf-8")
    raise OCSPTypeError(f"password must be bytes, str or None, not {type(password).__name__}")


def _pem_text(source: object) -> Optional[bytes]:
    """PEM text passed as a str (rather than a path) as bytes, else None."""
    if isinstance(source, str) and source.lstrip().startswith("-----BEGIN"):
        return source.encode("utf-8")
    return None


def _as_path(source: object) -> Optional[str]:
    if isinstance(source, (str, os.PathLike)):
        return os.fsdecode(os.fspath(source))
    return None


def _stat(path: str, what: str) -> os.stat_result:
    try:
        return os.stat(path)
    except OSError as exc:
        raise ParseError(f"cannot read {what} file {path}: {exc.strerror or exc}") from exc


def _read(path: str, what: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ParseError(f"cannot read {what} file {path}: {exc.strerror or exc}") from exc


def _path_token(kind: str, path: str, st: os.stat_result, *extra: bytes) -> Tuple[str, bytes]:
    stamp = f"{st.st_dev}:{st.st_ino}:{st.st_mtime_ns}:{st.st_size}".encode()
    return _token(kind, os.path.abspath(path).encode("utf-8", "surrogateescape"), stamp, *extra)


def _pyca_serialization(obj: object) -> Any:
    # A pyca/cryptography key or certificate cannot exist without cryptography's serialization
    # enums having been imported; look them up instead of importing cryptography here.
    for name in (
        "cryptography.hazmat.primitives.serialization",
        "cryptography.hazmat.primitives._serialization",
    ):
        module = sys.modules.get(name)
        if module is not None and hasattr(module, "Encoding"):
            return module
    raise OCSPTypeError(f"cannot export {type(obj).__name__}: cryptography's serialization is not loaded")


def _is_bytes(source: object) -> bool:
    return isinstance(source, (bytes, bytearray, memoryview))


def _source_bytes(source: object) -> Optional[bytes]:
    """The bytes of a bytes-like source or of PEM text, else None."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    return _pem_text(source)


# --------------------------------------------------------------------------------------------
# Private keys


def _private_from_info(info: Any, public_info: Any = None) -> PrivateKey:
    # Every source form ends here, so one key reached through different forms (a path, its
    # bytes, the PrivateKeyInfo) is loaded into the engine only once.
    try:
        der = info.dump()
    except ASN1_ERRORS as exc:
        raise ParseError(f"malformed private key: {exc}") from exc
    token = _token("private-der", der)
    cached = _cache_get(token)
    if cached is None:
        cached = _load_private_info(info, public_info)
        _cache_put(token, cached)
    return cached  # type: ignore[no-any-return]


def _load_private_info(info: Any, public_info: Any) -> PrivateKey:
    algorithm, _, _ = _key_properties(info, "private key")
    if algorithm in _EDDSA_NAMES:
        return PrivateKey(info, None, public_info)
    return PrivateKey(info, _engine_key("private key", info, algorithm), public_info)


# The label of a PEM private key block of any kind (PKCS#8, encrypted PKCS#8, traditional
# RSA/EC/DSA). The block is found by _der.pem_block, in time linear in the input.
_KEY_LABEL = re.compile(r"(?:[A-Z0-9]+ )*PRIVATE KEY")


def _private_from_bytes(data: bytes, password: Optional[bytes], origin: str) -> PrivateKey:
    _, keys_module = _engine()
    if pem.detect(data):
        # A PEM file may hold certificates beside the key, in any order (openssl's -rsigner
        # both.pem): the key is its first private key block (else the engine refuses the first
        # block). The engine reads PEM with asn1crypto, in time quadratic in the number of base64
        # lines: it gets the block as read here (in linear time), its base64 on one line.
        block = pem_block(data, lambda label: _KEY_LABEL.fullmatch(label) is not None)
        if block is not None:
            data = data[block.start : block.end]
        try:
            data = armor_one_line(*next(unarmor(data)))
        except ValueError as exc:  # no BEGIN and END line, or bad base64 (binascii.Error)
            raise ParseError(f"cannot parse the private key{origin}: malformed PEM: {exc}") from None
    try:
        info = keys_module.parse_private(data, password)
    except engine_error_types() as exc:
        if _looks_encrypted(data):
            reason = "a password is required"
            if password is not None:
                reason = "wrong password or corrupt data"
            raise ParseError(f"cannot decrypt the encrypted private key{origin} ({reason}): {exc}") from exc
        raise ParseError(f"cannot parse the private key{origin}: {exc}") from exc
    return _private_from_info(info)


def _looks_encrypted(data: bytes) -> bool:
    if pem.detect(data):
        return b"ENCRYPTED" in data.split(b"-----END", 1)[0]
    try:
        encrypted = keys.EncryptedPrivateKeyInfo.load(data, strict=True)
        encrypted.native  # noqa: B018
    except ASN1_ERRORS:
        return False
    return True


def _private_from_pyca(obj: Any) -> PrivateKey:
    ser = _pyca_serialization(obj)
    try:
        der = obj.private_bytes(
            encoding=ser.Encoding.DER,
            format=ser.PrivateFormat.PKCS8,
            encryption_algorithm=ser.NoEncryption(),
        )
        public_der = None
        if hasattr(obj, "public_key"):
            public_der = obj.public_key().public_bytes(
                encoding=ser.Encoding.DER, format=ser.PublicFormat.SubjectPublicKeyInfo
            )
    except pyca_error_types() as exc:
        raise UnsupportedError(f"cannot export the {type(obj).__name__} private key: {exc}") from exc
    public_info = keys.PublicKeyInfo.load(public_der) if public_der is not None else None
    try:
        info = keys.PrivateKeyInfo.load(der)
    except ASN1_ERRORS as exc:
        raise ParseError(f"cannot parse the exported {type(obj).__name__}: {exc}") from exc
    return _private_from_info(info, public_info)


def load_private_key(source: object, password: Optional[object] = None) -> PrivateKey:
    """Load a private key for :func:`sign`.

    ``source`` may be: PEM or DER bytes (PKCS#8, traditional "BEGIN RSA/EC/DSA PRIVATE KEY",
    encrypted PKCS#8 or encrypted traditional PEM, decrypted with ``password``; a PEM file may
    hold certificates beside the key, whose first private key block is read), PEM text as a
    str, a file path (str or os.PathLike), an ``asn1crypto.keys.PrivateKeyInfo``, an oscrypto
    private key, a pyca/cryptography private key, or a :class:`PrivateKey` (returned as is).
    ``password`` may be bytes or str (UTF-8).

    Loaded keys are cached by source, so loading the same source again does not re-parse it.

    :raises ocspkit.errors.ParseError: unreadable file, malformed bytes, wrong or missing
        password.
    :raises ocspkit.errors.UnsupportedError: a key type that cannot sign (X25519, explicit EC
        parameters, ...).
    :raises ocspkit.errors.BackendError: oscrypto cannot load here.
    :raises ocspkit.errors.OCSPTypeError: an unsupported source type (also a TypeError).
    """
    if isinstance(source, PrivateKey):
        return source
    pw = _password_bytes(password)
    pw_parts = (b"1" + pw,) if pw is not None else (b"0",)
    asymmetric, _ = _engine()

    if isinstance(source, asymmetric.PrivateKey):
        return PrivateKey(source.asn1, source)

    data = _source_bytes(source)
    if data is not None:
        token = _token("private-bytes", data, *pw_parts)
        cached = _cache_get(token)
        if cached is None:
            cached = _private_from_bytes(data, pw, "")
            _cache_put(token, cached)
        return cached  # type: ignore[no-any-return]

    path = _as_path(source)
    if path is not None:
        token = _path_token("private-path", path, _stat(path, "key"), *pw_parts)
        cached = _cache_get(token)
        if cached is None:
            cached = _private_from_bytes(_read(path, "key"), pw, f" in {path}")
            _cache_put(token, cached)
        return cached  # type: ignore[no-any-return]

    if isinstance(source, keys.PrivateKeyInfo):
        return _private_from_info(source)

    if hasattr(source, "private_bytes"):
        cached = _object_get("private", source)
        if cached is None:
            cached = _private_from_pyca(source)
            _object_put("private", source, cached)
        return cached  # type: ignore[no-any-return]

    raise OCSPTypeError(f"cannot load a private key from a {type(source).__name__}")


# --------------------------------------------------------------------------------------------
# Public keys and certificates


def _public_from_info(info: Any) -> PublicKey:
    # As for private keys: one SubjectPublicKeyInfo is loaded into the engine only once,
    # whichever form (file, bytes, certificate, PublicKeyInfo) it arrived in.
    try:
        der = info.dump()
    except ASN1_ERRORS as exc:
        raise ParseError(f"malformed public key: {exc}") from exc
    token = _token("public-der", der)
    cached = _cache_get(token)
    if cached is None:
        cached = _load_public_info(info)
        _cache_put(token, cached)
    return cached  # type: ignore[no-any-return]


def _load_public_info(info: Any) -> PublicKey:
    algorithm, _, _ = _key_properties(info, "public key")
    if algorithm in _EDDSA_NAMES:
        return PublicKey(info)
    return PublicKey(info, _engine_key("public key", info, algorithm))


def _engine_key(kind: str, info: Any, algorithm: str) -> Any:
    """The oscrypto key object for a private or public key ``info``, errors made ocspkit's."""
    asymmetric, _ = _engine()
    errors = _oscrypto_compat.engine_errors()
    load = asymmetric.load_private_key if kind == "private key" else asymmetric.load_public_key
    try:
        return load(info)
    except errors.AsymmetricKeyError as exc:
        raise UnsupportedError(f"oscrypto cannot use this {algorithm} {kind}: {exc}") from exc
    except engine_error_types() as exc:
        raise ParseError(f"cannot load the {algorithm} {kind}: {exc}") from exc


def _parse_certificate(der: bytes, origin: str) -> Any:
    try:
        cert = x509.Certificate.load(der, strict=True)
        cert.native  # noqa: B018 -- parse every field now, so malformed input fails here
    except ASN1_ERRORS as exc:
        raise ParseError(f"cannot parse the certificate{origin}: {exc}") from exc
    return cert


def _parse_public_key_info(der: bytes, origin: str) -> Any:
    try:
        info = keys.PublicKeyInfo.load(der, strict=True)
        info.native  # noqa: B018 -- parse every field now, so malformed input fails here
    except ASN1_ERRORS as exc:
        raise ParseError(f"cannot parse the public key{origin}: {exc}") from exc
    return info


def _pem_blocks(data: bytes, origin: str) -> List[Tuple[str, bytes]]:
    try:
        blocks = list(unarmor(data))  # asn1crypto's pem.unarmor, in linear time
    except ASN1_ERRORS as exc:  # asn1crypto.pem raises ValueError (and base64's binascii.Error, one)
        raise ParseError(f"malformed PEM{origin}: {exc}") from exc
    return [(kind, der) for kind, _headers, der in blocks]


def _public_info_from_bytes(data: bytes, origin: str) -> Any:
    if pem.detect(data):
        for kind, der in _pem_blocks(data, origin):
            if kind == "PUBLIC KEY":
                return _parse_public_key_info(der, origin)
            if kind == "RSA PUBLIC KEY":
                try:
                    rsa = keys.RSAPublicKey.load(der, strict=True)
                    rsa.native  # noqa: B018
                    return keys.PublicKeyInfo.wrap(rsa, "rsa")
                except ASN1_ERRORS as exc:
                    raise ParseError(f"cannot parse the RSA public key{origin}: {exc}") from exc
            if kind in ("CERTIFICATE", "X509 CERTIFICATE"):
                return _parse_certificate(der, origin).public_key
        raise ParseError(f"no PUBLIC KEY or CERTIFICATE block found{origin}")
    try:
        return _parse_certificate(data, origin).public_key
    except ParseError:
        return _parse_public_key_info(data, origin)


def _pyca_der(obj: Any, what: str) -> Tuple[str, bytes]:
    """Export a pyca object: ``("certificate", der)`` or ``("public", spki_der)``."""
    ser = _pyca_serialization(obj)
    try:
        if hasattr(obj, "tbs_certificate_bytes"):
            return "certificate", bytes(obj.public_bytes(ser.Encoding.DER))
        if hasattr(obj, "private_bytes") and hasattr(obj, "public_key"):
            obj = obj.public_key()
        der = obj.public_bytes(encoding=ser.Encoding.DER, format=ser.PublicFormat.SubjectPublicKeyInfo)
        return "public", bytes(der)
    except pyca_error_types() as exc:
        raise UnsupportedError(f"cannot export the {type(obj).__name__} {what}: {exc}") from exc


def load_public_key(source: object) -> PublicKey:
    """Load a public key for :func:`verify_signature`.

    ``source`` may be: PEM or DER bytes of a SubjectPublicKeyInfo ("PUBLIC KEY"), a PKCS#1
    "RSA PUBLIC KEY" or a certificate (its key is used), PEM text as a str, a file path, an
    ``asn1crypto.keys.PublicKeyInfo``, an ``asn1crypto.x509.Certificate``, an oscrypto public
    key, private key or certificate, a pyca/cryptography public key, private key or
    certificate, a :class:`PublicKey` (returned as is) or a :class:`PrivateKey` (its public
    half). Loaded keys are cached by source.

    :raises ocspkit.errors.ParseError: unreadable file or malformed bytes.
    :raises ocspkit.errors.UnsupportedError: a key type that cannot verify signatures.
    :raises ocspkit.errors.OCSPTypeError: an unsupported source type (also a TypeError).
    """
    if isinstance(source, PublicKey):
        return source
    if isinstance(source, PrivateKey):
        return source.public_key
    asymmetric, _ = _engine()
    if isinstance(source, asymmetric.PublicKey):
        return PublicKey(source.asn1, source)
    if isinstance(source, (asymmetric.PrivateKey, asymmetric.Certificate)):
        engine_public = source.public_key
        return PublicKey(engine_public.asn1, engine_public)

    info: Any = None
    data = _source_bytes(source)
    if data is not None:
        token = _token("public-bytes", data)
        cached = _cache_get(token)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        key = _public_from_info(_public_info_from_bytes(data, ""))
        _cache_put(token, key)
        return key

    path = _as_path(source)
    if path is not None:
        token = _path_token("public-path", path, _stat(path, "public key"))
        cached = _cache_get(token)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        key = _public_from_info(_public_info_from_bytes(_read(path, "public key"), f" in {path}"))
        _cache_put(token, key)
        return key

    if isinstance(source, keys.PublicKeyInfo):
        info = source
    elif isinstance(source, x509.Certificate):
        try:
            info = source.public_key
        except ASN1_ERRORS as exc:
            raise ParseError(f"malformed certificate: {exc}") from exc
    elif hasattr(source, "public_bytes") or hasattr(source, "private_bytes"):
        cached = _object_get("public", source)
        if cached is None:
            kind, der = _pyca_der(source, "public key")
            if kind == "certificate":
                der_info = _parse_certificate(der, "").public_key
            else:
                der_info = _parse_public_key_info(der, "")
            cached = _public_from_info(der_info)
            _object_put("public", source, cached)
        return cached  # type: ignore[no-any-return]
    else:
        raise OCSPTypeError(f"cannot load a public key from a {type(source).__name__}")

    return _public_from_info(info)


def _certificates_from_bytes(data: bytes, origin: str) -> List[Any]:
    if pem.detect(data):
        certs = [
            _parse_certificate(der, origin)
            for kind, der in _pem_blocks(data, origin)
            if kind in ("CERTIFICATE", "X509 CERTIFICATE")
        ]
        if not certs:
            raise ParseError(f"no CERTIFICATE block found{origin}")
        return certs
    return [_parse_certificate(data, origin)]


def _certificates_from_single(source: object) -> Optional[List[Any]]:
    """Certificates from one (non-iterable) source, or None if it is not one."""
    if isinstance(source, x509.Certificate):
        return [source]
    data = _source_bytes(source)
    if data is not None:
        return _certificates_from_bytes(data, "")
    path = _as_path(source)
    if path is not None:
        return _certificates_from_bytes(_read(path, "certificate"), f" in {path}")
    asymmetric, _ = _engine()
    if isinstance(source, asymmetric.Certificate):
        return [source.asn1]
    if hasattr(source, "tbs_certificate_bytes") and hasattr(source, "public_bytes"):
        _, der = _pyca_der(source, "certificate")
        return [_parse_certificate(der, "")]
    return None


def load_certificate(source: object) -> Any:
    """Load one certificate as an ``asn1crypto.x509.Certificate``.

    ``source`` may be PEM or DER bytes, PEM text as a str, a file path, an asn1crypto
    Certificate (returned as is), an oscrypto Certificate or a pyca/cryptography Certificate.
    For PEM input holding several certificates the first one is returned (like ``openssl
    x509``); use :func:`load_certificates` for bundles.

    :raises ocspkit.errors.ParseError: unreadable file or malformed bytes.
    :raises ocspkit.errors.OCSPTypeError: an unsupported source type (also a TypeError).
    """
    certs = _certificates_from_single(source)
    if certs is None:
        raise OCSPTypeError(f"cannot load a certificate from a {type(source).__name__}")
    return certs[0]


def load_certificates(source: object) -> List[Any]:
    """Load every certificate of ``source`` as a list of ``asn1crypto.x509.Certificate``.

    ``source`` is anything :func:`load_certificate` accepts (a PEM bundle yields every
    CERTIFICATE block, other blocks are skipped) or an iterable of such sources.

    :raises ocspkit.errors.ParseError: unreadable file, malformed bytes, or PEM without any
        certificate.
    :raises ocspkit.errors.OCSPTypeError: an unsupported source type (also a TypeError).
    """
    certs = _certificates_from_single(source)
    if certs is not None:
        return certs
    if isinstance(source, Iterable):
        result: List[Any] = []
        for item in source:
            result.extend(load_certificates(item))
        return result
    raise OCSPTypeError(f"cannot load certificates from a {type(source).__name__}")


def key_hash(public_key_info: object) -> bytes:
    """SHA-1 of the subjectPublicKey BIT STRING value (RFC 6960 CertID.issuerKeyHash, byKey).

    The hash covers the key bytes without the BIT STRING tag, length and unused-bits octet (the
    same definition as the RFC 5280 method-1 subject key identifier). ``public_key_info`` is an
    ``asn1crypto.keys.PublicKeyInfo``, or anything :func:`load_public_key` accepts.
    """
    if isinstance(public_key_info, keys.PublicKeyInfo):
        info: Any = public_key_info
    elif isinstance(public_key_info, x509.Certificate):
        info = public_key_info.public_key
    else:
        info = load_public_key(public_key_info).asn1
    try:
        contents = info["public_key"].contents
    except ASN1_ERRORS as exc:
        raise ParseError(f"malformed public key: {exc}") from exc
    if not contents:
        raise ParseError("malformed public key: empty BIT STRING")
    return hashlib.sha1(contents[1:]).digest()


def generate_private_key(algorithm: str = "rsa", *, bit_size: int = 2048, curve: str = "secp256r1") -> PrivateKey:
    """Generate a new key pair with oscrypto and return its private key.

    ``algorithm`` is "rsa" or "dsa" (sized by ``bit_size``) or "ec" (on ``curve``: "secp256r1",
    "secp384r1" or "secp521r1").

    :raises ValueError: an unknown algorithm or an invalid size or curve.
    :raises ocspkit.errors.UnsupportedError: Ed25519/Ed448 (oscrypto has no EdDSA).
    :raises ocspkit.errors.BackendError: libcrypto failed to generate the key.
    """
    name = algorithm.lower()
    if name in _EDDSA_NAMES:
        raise UnsupportedError(f"{_EDDSA_NAMES[name]} keys cannot be generated by the oscrypto engine")
    if name not in ("rsa", "ec", "dsa"):
        raise OCSPValueError(f"unknown key algorithm {algorithm!r} (use 'rsa', 'ec' or 'dsa')")
    asymmetric, _ = _engine()
    try:
        if name == "ec":
            _, private = asymmetric.generate_pair("ec", curve=curve)
        else:
            _, private = asymmetric.generate_pair(name, bit_size=bit_size)
    except (ValueError, TypeError):
        raise  # oscrypto's argument checks: an invalid size or curve (documented above)
    except engine_error_types() as exc:
        raise BackendError(f"oscrypto could not generate the {name} key: {exc}") from exc
    return PrivateKey(private.asn1, private)


# --------------------------------------------------------------------------------------------
# Signature algorithms


def _pss_algorithm(hash_name: str) -> Any:
    digest_algorithm = {"algorithm": hash_name, "parameters": core.Null()}
    return algos.SignedDigestAlgorithm(
        {
            "algorithm": "rsassa_pss",
            "parameters": algos.RSASSAPSSParams(
                {
                    "hash_algorithm": digest_algorithm,
                    "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": digest_algorithm},
                    "salt_length": _HASH_SIZES[hash_name],
                    "trailer_field": "trailer_field_bc",
                }
            ),
        }
    )


# Default hash SHA-256: openssl's default and the CA/Browser Forum baseline; SHA-1 is deprecated.
def signature_algorithm(key: PrivateKey | PublicKey, hash_algorithm: str = "sha256", *, pss: bool = False) -> Any:
    """Return the ``asn1crypto.algos.SignedDigestAlgorithm`` for signing with ``key``.

    RSA: sha*WithRSAEncryption with NULL parameters, or (``pss=True``) RSASSA-PSS with RFC 4055
    parameters (MGF1 with the same hash, salt length = hash length, trailer field 1), encoded
    as openssl encodes them. EC: ecdsa-with-SHA*, DSA: dsa-with-sha1/sha224/sha256, both
    without parameters. Ed25519/Ed448: the bare OID (``hash_algorithm`` is ignored).

    :raises ValueError: ``pss=True`` for a non-RSA key, or PKCS#1 v1.5 for an RSASSA-PSS key.
    :raises ocspkit.errors.UnsupportedError: a hash the key type cannot sign with.
    """
    if not isinstance(key, (PrivateKey, PublicKey)):
        raise OCSPTypeError(f"key must be a PrivateKey or PublicKey, not {type(key).__name__}")
    algorithm = key.algorithm
    if pss and algorithm != "rsa":
        raise OCSPValueError(f"PSS padding applies to RSA keys only, not {algorithm} keys")
    if algorithm in _EDDSA_NAMES:
        return algos.SignedDigestAlgorithm({"algorithm": algorithm})
    hash_name = _normalize_hash(hash_algorithm)
    if hash_name not in SUPPORTED_HASHES:
        raise UnsupportedError(f"cannot sign with the hash algorithm {hash_algorithm!r}")
    if algorithm == "rsa":
        if pss:
            return _pss_algorithm(hash_name)
        if key.asn1.algorithm == "rsassa_pss":
            raise OCSPValueError("this RSA key is restricted to RSASSA-PSS; pass pss=True")
        return algos.SignedDigestAlgorithm({"algorithm": f"{hash_name}_rsa", "parameters": core.Null()})
    if algorithm == "ec":
        return algos.SignedDigestAlgorithm({"algorithm": f"{hash_name}_ecdsa"})
    if hash_name not in _DSA_HASHES:
        raise UnsupportedError(f"DSA signatures with {hash_name} are not supported")
    return algos.SignedDigestAlgorithm({"algorithm": f"{hash_name}_dsa"})


_ALGORITHMS: Dict[Tuple[int, str, bool], Tuple[Any, Any, bytes]] = {}
_ALGORITHMS_LOCK = threading.Lock()


def signing_algorithm(private_key: Any, hash_algorithm: str, pss: bool) -> Tuple[Any, bytes]:
    """(SignedDigestAlgorithm, its DER) for signing with ``private_key``: the
    :func:`signature_algorithm` the builders and the responder sign with, remembered per key
    (a builder signing many messages with one key chooses and encodes it once)."""
    cache_key = (id(private_key), hash_algorithm, pss)
    found = _ALGORITHMS.get(cache_key)
    if found is None or found[0] is not private_key:
        algorithm = signature_algorithm(private_key, hash_algorithm, pss=pss)
        found = (private_key, algorithm, bytes(algorithm.dump()))
        with _ALGORITHMS_LOCK:
            if len(_ALGORITHMS) >= 256:
                _ALGORITHMS.clear()
            _ALGORITHMS[cache_key] = found
    return found[1], found[2]


def _check_pss_parameters(parameters: Any, malformed: type[Exception]) -> Tuple[str, int]:
    """Validate RFC 4055 RSASSA-PSS-params; return the hash name and the salt length.

    What asn1crypto raises reading them becomes ``malformed``."""
    try:
        if isinstance(parameters, core.Void) or parameters is None:
            parameters = algos.RSASSAPSSParams({})  # absent: every field takes its default
        hash_name = parameters["hash_algorithm"]["algorithm"].native
        mgf = parameters["mask_gen_algorithm"]
        mgf_name = mgf["algorithm"].native
        # Only MGF1's parameters are an AlgorithmIdentifier (asn1crypto parses them by the OID).
        mgf_hash = mgf["parameters"]["algorithm"].native if mgf_name == "mgf1" else None
        salt_length = parameters["salt_length"].native
        trailer = parameters["trailer_field"].native
    except ASN1_ERRORS as exc:
        raise malformed(f"malformed RSASSA-PSS parameters: {exc}") from exc
    if hash_name not in SUPPORTED_HASHES:
        raise UnsupportedError(f"RSASSA-PSS with the hash algorithm {hash_name} is not supported")
    if mgf_name != "mgf1":
        raise UnsupportedError(f"RSASSA-PSS with the mask generation function {mgf_name} is not supported (only MGF1)")
    if mgf_hash != hash_name:
        raise UnsupportedError(
            f"RSASSA-PSS with MGF1 over {mgf_hash} and the message hash {hash_name} is not "
            "supported (the MGF1 hash must equal the message hash)"
        )
    if not isinstance(salt_length, int) or not 0 <= salt_length <= 1024:
        # RFC 4055 3.1: saltLength INTEGER DEFAULT 20; no key ocspkit signs with fits more.
        shown = int_text(salt_length) if isinstance(salt_length, int) else salt_length
        raise UnsupportedError(f"RSASSA-PSS salt length {shown} is not supported")
    if trailer not in ("trailer_field_bc", 1):
        shown = int_text(trailer) if isinstance(trailer, int) else trailer
        raise UnsupportedError(f"RSASSA-PSS trailer field {shown} is not supported (only 1)")
    return str(hash_name), salt_length


def _describe(algorithm: Any, malformed: type[Exception]) -> Tuple[str, str, str, str]:
    """``(scheme, key algorithm, hash, label)`` of a signature AlgorithmIdentifier."""
    try:
        oid = algorithm["algorithm"]
        name, dotted = oid.native, oid.dotted
    except ASN1_ERRORS as exc:
        raise malformed(f"malformed signature algorithm identifier: {exc}") from exc
    if name in _EDDSA_NAMES:
        return "eddsa", name, "", _EDDSA_NAMES[name]
    if name in _SCHEMES:
        scheme, key_algorithm, hash_name = _SCHEMES[name]
        return scheme, key_algorithm, hash_name, f"{_LABELS[scheme]} with {hash_name}"
    if name == "rsassa_pss":
        try:
            parameters = algorithm["parameters"]
        except ASN1_ERRORS as exc:
            raise malformed(f"malformed RSASSA-PSS parameters: {exc}") from exc
        hash_name = _check_pss_parameters(parameters, malformed)[0]
        return "pss", "rsa", hash_name, f"RSASSA-PSS with {hash_name}"
    shown = dotted if name == dotted else f"{dotted} ({name})"
    raise UnsupportedError(f"unsupported signature algorithm {shown}")


# hash_algorithm defaults to SHA-256 for the same reason as in signature_algorithm.
def sign(
    key: object,
    data: bytes,
    algorithm: Optional[Any] = None,
    hash_algorithm: str = "sha256",
) -> bytes:
    """Sign ``data`` with ``key`` and return the signature bytes.

    ``key`` is anything :func:`load_private_key` accepts (unencrypted; load encrypted keys
    first). ``algorithm`` is a SignedDigestAlgorithm (default:
    ``signature_algorithm(key, hash_algorithm)``). ECDSA and DSA signatures are DER-encoded
    Ecdsa-Sig-Value / Dss-Sig-Value, as X.509 and OCSP carry them.

    :raises ValueError: ``algorithm`` is for another key type than ``key``.
    :raises ocspkit.errors.UnsupportedError: Ed25519/Ed448, MD5, unknown algorithms.
    :raises ocspkit.errors.BackendError: the engine failed to sign.
    """
    return signer(key, algorithm, hash_algorithm)(data)


def signer(key: object, algorithm: Optional[Any] = None, hash_algorithm: str = "sha256") -> Callable[[bytes], bytes]:
    """:func:`sign` with the key and algorithm checked once: a function from the data to the
    signature bytes, for a signer that signs many messages (a responder). Raises what
    :func:`sign` raises, the argument errors when it is made, BackendError when it is called.

    The function is made once per key and algorithm and kept with the :class:`PrivateKey` (which
    :func:`load_private_key` caches by source), so callers that sign one message per call
    (:func:`sign`, ``ResponseBuilder.sign``) check the key, set up libcrypto and run the fast
    path's self-test once, not for every message."""
    private_key = load_private_key(key)
    if algorithm is None:
        cache_key: Hashable = ("default", hash_algorithm)
    else:
        cache_key = bytes(algorithm) if isinstance(algorithm, (bytes, bytearray)) else bytes(algorithm.dump())
    made = private_key._signers.get(cache_key)
    if made is not None:
        return made
    if private_key.algorithm in _EDDSA_NAMES:
        raise UnsupportedError(
            f"{_EDDSA_NAMES[private_key.algorithm]} signatures are not supported by the oscrypto engine"
        )
    if algorithm is None:
        algorithm = signature_algorithm(private_key, hash_algorithm)
    scheme, key_algorithm, hash_name, label = _describe(algorithm, ValueError)
    if scheme == "eddsa":
        raise UnsupportedError(f"{label} signatures are not supported by the oscrypto engine")
    if key_algorithm != private_key.algorithm:
        raise OCSPValueError(f"a {label} signature needs a {key_algorithm} key, not {private_key!r}")
    if hash_name == "md5":
        raise UnsupportedError("MD5 signatures are not produced (MD5 is accepted for verification)")
    if scheme == "pss" and _check_pss_parameters(algorithm["parameters"], ValueError)[1] != _HASH_SIZES[hash_name]:
        raise UnsupportedError("RSASSA-PSS signatures are produced with a salt as long as the hash only")
    asymmetric, _ = _engine()
    engine_key = private_key._engine
    produce: Optional[Callable[[bytes], Any]] = _oscrypto_compat.fast_signer(engine_key, scheme, hash_name)
    engine = "libcrypto"
    if produce is None:  # DSA, another backend, or a key the fast path's self-test refused
        engine = "oscrypto"
        operation: Callable[[Any, bytes, str], Any] = {
            "pkcs1v15": asymmetric.rsa_pkcs1v15_sign,
            "pss": _oscrypto_compat.rsa_pss_sign,
            "ecdsa": asymmetric.ecdsa_sign,
        }.get(scheme, asymmetric.dsa_sign)
        def produce(data: bytes) -> Any:
            return operation(engine_key, data, hash_name)

    def sign_data(data: bytes) -> bytes:
        payload = bytes(data)
        try:
            return bytes(produce(payload))
        except engine_error_types() as exc:  # OSError from libcrypto, oscrypto's own errors
            raise BackendError(f"{engine} could not produce the {label} signature: {exc}") from exc

    private_key._signers[cache_key] = sign_data
    return sign_data


# What a signature AlgorithmIdentifier means, by its DER: (scheme, key algorithm, hash, label,
# PSS salt length). Messages from one signer repeat one algorithm, so it is read once.
_DESCRIPTIONS: Dict[bytes, Tuple[str, str, str, str, int]] = {}


def _description(algorithm: Any) -> Tuple[str, str, str, str, int]:
    if isinstance(algorithm, (bytes, bytearray)):
        der = bytes(algorithm)
    else:
        try:
            der = bytes(algorithm.dump())
        except ASN1_ERRORS as exc:
            raise SignatureError(f"malformed signature algorithm identifier: {exc}") from exc
    found = _DESCRIPTIONS.get(der)
    if found is not None:
        return found
    if isinstance(algorithm, (bytes, bytearray)):
        try:
            algorithm = algos.SignedDigestAlgorithm.load(der, strict=True)
        except ASN1_ERRORS as exc:
            raise SignatureError(f"malformed signature algorithm identifier: {exc}") from exc
    scheme, key_algorithm, hash_name, label = _describe(algorithm, SignatureError)
    salt_length = _check_pss_parameters(algorithm["parameters"], SignatureError)[1] if scheme == "pss" else 0
    found = (scheme, key_algorithm, hash_name, label, salt_length)
    with _cache_lock:
        if len(_DESCRIPTIONS) >= 256:
            _DESCRIPTIONS.clear()
        _DESCRIPTIONS[der] = found
    return found


def signature_key_algorithm(algorithm: Any) -> str:
    """The key algorithm (``"rsa"``, ``"ec"``, ``"dsa"``, ``"ed25519"``, ``"ed448"``) that
    signs with the signature ``algorithm`` (a SignedDigestAlgorithm or its DER), read as
    :func:`verify_signature` reads it: what OpenSSL's check_sig_alg_match compares with an
    issuer's key type.

    :raises ocspkit.errors.SignatureError: a malformed AlgorithmIdentifier.
    :raises ocspkit.errors.UnsupportedError: an algorithm ocspkit cannot verify.
    """
    return _description(algorithm)[1]


def verify_signature(public_key: object, signature: bytes, data: bytes, algorithm: Any) -> None:
    """Check that ``signature`` over ``data`` verifies with ``public_key`` under ``algorithm``.

    ``public_key`` is anything :func:`load_public_key` accepts; ``algorithm`` is the
    signature's ``asn1crypto.algos.SignedDigestAlgorithm`` or its DER. Returns None on success.

    :raises ocspkit.errors.SignatureError: the signature is wrong, malformed, or made for
        another key type than ``public_key``.
    :raises ocspkit.errors.UnsupportedError: Ed25519/Ed448, unknown OIDs, RSASSA-PSS parameters
        other than MGF1(same hash) and trailer field 1 (any declared salt length is verified).
    """
    scheme, key_algorithm, hash_name, label, salt_length = _description(algorithm)
    if scheme == "eddsa":
        raise UnsupportedError(f"{label} signatures are not supported by the oscrypto engine")
    key = load_public_key(public_key)
    if key.algorithm in _EDDSA_NAMES:
        raise UnsupportedError(f"{_EDDSA_NAMES[key.algorithm]} signatures are not supported by the oscrypto engine")
    if key.algorithm != key_algorithm:
        raise SignatureError(f"a {label} signature cannot be verified with {key!r}")
    if not _is_bytes(signature) or not _is_bytes(data):
        raise OCSPTypeError("signature and data must be bytes")
    asymmetric, _ = _engine()
    errors = _oscrypto_compat.engine_errors()
    sig = bytes(signature)
    message = bytes(data)
    try:
        if scheme == "pkcs1v15":
            asymmetric.rsa_pkcs1v15_verify(key._engine, sig, message, hash_name)
        elif scheme == "pss":
            # The salt length the parameters declare (OpenSSL 3 signs with the maximum by default).
            _oscrypto_compat.rsa_pss_verify(key._engine, sig, message, hash_name, salt_length)
        elif scheme == "ecdsa":
            asymmetric.ecdsa_verify(key._engine, sig, message, hash_name)
        else:
            asymmetric.dsa_verify(key._engine, sig, message, hash_name)
    except errors.SignatureError as exc:
        raise SignatureError(f"the {label} signature does not verify") from exc
    except OSError as exc:
        raise SignatureError(f"the {label} signature does not verify: {exc}") from exc
    except engine_error_types() as exc:
        raise BackendError(f"oscrypto could not verify the {label} signature: {exc}") from exc
