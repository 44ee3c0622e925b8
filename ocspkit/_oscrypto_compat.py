"""Load oscrypto, working around its libcrypto version detection on OpenSSL >= 3.0.10.

Why
    oscrypto 1.3.0 finds out which libcrypto it talks to by searching the string returned by
    ``OpenSSL_version(0)`` (e.g. ``"OpenSSL 3.0.19 27 Jan 2026"``) with the regular expression
    ``\\b(\\d\\.\\d\\.\\d[a-z]*)\\b``. That pattern only accepts one digit per component, so any
    release with a two-digit component (3.0.10 and later, 3.1.10, 3.10.0, ...) does not match
    and importing ``oscrypto.asymmetric`` fails with
    ``LibraryNotFoundError('Error detecting the version of libcrypto')`` although the library
    loaded fine.

What
    :func:`load_oscrypto` installs, for the duration of the first oscrypto import only, a
    :data:`sys.meta_path` finder that handles exactly two modules,
    ``oscrypto._openssl._libcrypto_cffi`` and ``oscrypto._openssl._libcrypto_ctypes`` (only one of
    them is imported, depending on whether cffi is available). Their loader compiles the
    module's own source file after replacing that one regular-expression literal with
    ``\\b(\\d+\\.\\d+\\.\\d+[a-z]*)\\b``. Nothing else in the module, and no other module, is
    changed; the file on disk and its ``.pyc`` cache are left untouched. The finder removes
    itself from :data:`sys.meta_path` as soon as both candidates have been handled, and in any
    case once the oscrypto import attempt is over.

How to see whether it applied
    :data:`APPLIED` lists the names of the modules that were patched in this process
    (:data:`UNCHANGED` those that were inspected but did not contain the literal), and an INFO
    record is logged on the ``ocspkit.crypto`` logger. :func:`ocspkit.crypto.backend_info`
    reports the same.

When it stops applying
    If oscrypto's source no longer contains the exact literal (a fixed oscrypto release), the
    module is loaded unmodified and the step does nothing. If oscrypto was already imported
    before ocspkit loaded it (by other code in the process), the step cannot apply either; in
    that case whatever the earlier import produced is used as is.

RSASSA-PSS salt length on OpenSSL 3
    oscrypto's ``rsa_pss_sign`` / ``rsa_pss_verify`` only set the PSS salt length for libcrypto
    older than 3.0. With OpenSSL 3 the library defaults then apply: signing uses the *maximum*
    salt length (222 bytes for RSA-2048/SHA-256) and verifying accepts any salt length. Both
    contradict the RFC 4055 parameters ocspkit writes (saltLength = hash length).
    :func:`rsa_pss_sign` and :func:`rsa_pss_verify` therefore drive the same libcrypto calls
    oscrypto uses (through oscrypto's own bindings) and additionally set the salt length to the
    hash length, when oscrypto runs on OpenSSL >= 3; on every other backend they simply call
    oscrypto's functions. :func:`derive_public_key_info` similarly lets libcrypto compute the
    public half of an Ed25519/Ed448 private key, which oscrypto cannot load.
    These helpers are the only code in ocspkit that reaches below oscrypto's public API.

Signing many messages with one key
    oscrypto sets up a libcrypto signing context for every signature, through several layers
    of Python. A responder signs thousands of answers a second with one key, and that set-up
    cost is a tenth of an RSA-2048 signature. :func:`fast_signer` gives, for one key, a function
    that hashes with :mod:`hashlib` and calls ``EVP_PKEY_sign`` on a context made once per
    thread (through :mod:`ctypes`, on the libcrypto oscrypto loaded). It is used only where
    oscrypto runs on OpenSSL >= 3, for RSASSA-PKCS1-v1_5, RSASSA-PSS (salt = hash length) and
    ECDSA, and only after a self-test: its signature of a probe must equal oscrypto's (PKCS#1
    v1.5 is deterministic) or verify with oscrypto (PSS, ECDSA). Anywhere else it returns None
    and oscrypto signs; ``OCSPKIT_FAST_SIGNING=0`` in the environment turns it off.
    :func:`describe` reports whether it is available (``fast_signing``).
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib
import importlib.machinery
import importlib.util
import logging
import os
import sys
import threading
import weakref
from types import CodeType, ModuleType
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

from ._deps import FFI_ERRORS, engine_error_types
from .errors import BackendError

__all__ = [
    "APPLIED",
    "NEW_LITERAL",
    "OLD_LITERAL",
    "TARGET_MODULES",
    "UNCHANGED",
    "derive_public_key_info",
    "describe",
    "engine_errors",
    "fast_signer",
    "install",
    "libcrypto_version",
    "load_oscrypto",
    "pss_salt_workaround_active",
    "rsa_pss_sign",
    "rsa_pss_verify",
    "uninstall",
]

logger = logging.getLogger("ocspkit.crypto")

#: The modules whose source is inspected (and patched when the literal is found).
TARGET_MODULES: Tuple[str, ...] = (
    "oscrypto._openssl._libcrypto_cffi",
    "oscrypto._openssl._libcrypto_ctypes",
)

#: The exact text of the broken literal as it appears in oscrypto 1.3.0's source.
OLD_LITERAL = r"'\\b(\\d\\.\\d\\.\\d[a-z]*)\\b'"

#: Its replacement: the same pattern, accepting multi-digit version components.
NEW_LITERAL = r"'\\b(\\d+\\.\\d+\\.\\d+[a-z]*)\\b'"

#: Names of the modules patched in this process.
APPLIED: List[str] = []

#: Names of target modules that were inspected but did not contain :data:`OLD_LITERAL`.
UNCHANGED: List[str] = []

_lock = threading.RLock()
_finder: Optional[_VersionPatternFinder] = None
_loaded: Optional[Tuple[ModuleType, ModuleType]] = None


class _VersionPatternLoader(importlib.machinery.SourceFileLoader):
    """Source loader that swaps the version regular expression before compiling."""

    def get_code(self, fullname: str) -> Optional[CodeType]:
        source = self.get_source(fullname)
        _mark_handled(fullname)
        if source is None or OLD_LITERAL not in source:
            if fullname not in UNCHANGED:
                UNCHANGED.append(fullname)
            logger.debug(
                "%s does not contain oscrypto's old libcrypto version pattern; loaded unmodified",
                fullname,
            )
            return super().get_code(fullname)
        patched = source.replace(OLD_LITERAL, NEW_LITERAL)
        code = compile(patched, self.path, "exec", dont_inherit=True)
        if fullname not in APPLIED:
            APPLIED.append(fullname)
        logger.info(
            "ocspkit patched %s (%s): libcrypto version pattern now accepts multi-digit components",
            fullname,
            self.path,
        )
        return code


class _VersionPatternFinder:
    """Meta path finder handling only :data:`TARGET_MODULES`, each at most once. (A finder is any
    object with ``find_spec``; importlib.abc, which imports importlib.resources, tempfile and
    shutil, would add 10 ms to every command that loads a certificate.)"""

    def __init__(self) -> None:
        self.handled: set[str] = set()

    def find_spec(
        self,
        fullname: str,
        path: Optional[Sequence[str]],
        target: Optional[ModuleType] = None,
    ) -> Optional[importlib.machinery.ModuleSpec]:
        if fullname not in TARGET_MODULES or fullname in self.handled:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            # Not a plain source file (zip import, frozen, ...): leave it to the normal machinery.
            return None
        loader = _VersionPatternLoader(fullname, spec.origin)
        return importlib.util.spec_from_file_location(fullname, spec.origin, loader=loader)


def _mark_handled(fullname: str) -> None:
    finder = _finder
    if finder is None:
        return
    finder.handled.add(fullname)
    if finder.handled.issuperset(TARGET_MODULES):
        uninstall()


def install() -> bool:
    """Put the finder on :data:`sys.meta_path` (first position); return True if it was added.

    Does nothing when it is already installed or when a target module was already imported
    (then it is too late to patch it).
    """
    global _finder
    with _lock:
        if _finder is not None:
            return False
        if any(name in sys.modules for name in TARGET_MODULES):
            logger.debug("oscrypto's libcrypto module is already imported; not patching it")
            return False
        _finder = _VersionPatternFinder()
        sys.meta_path.insert(0, _finder)
        return True


def uninstall() -> None:
    """Remove the finder from :data:`sys.meta_path` (no-op when it is not installed)."""
    global _finder
    with _lock:
        finder, _finder = _finder, None
        if finder is not None:
            # Compare by identity: a finder must never be removed by equality with another.
            sys.meta_path[:] = [f for f in sys.meta_path if f is not finder]


def _patch_state() -> str:
    if APPLIED:
        return "ocspkit's version-string compatibility patch was applied to " + ", ".join(APPLIED)
    if UNCHANGED:
        return (
            "ocspkit's version-string compatibility patch was not applied (the old version "
            "pattern is not in " + ", ".join(UNCHANGED) + ")"
        )
    return "ocspkit's version-string compatibility patch was not applied"


def load_oscrypto() -> Tuple[ModuleType, ModuleType]:
    """Import and return ``(oscrypto.asymmetric, oscrypto.keys)``, patched when needed.

    The first call installs the finder described in the module docstring, imports oscrypto and
    removes the finder again; later calls return the cached modules.

    :raises ocspkit.errors.BackendError: oscrypto is missing or cannot load the system libcrypto
        (the message names the cause and whether the compatibility patch was applied).
    """
    global _loaded
    if _loaded is not None:
        return _loaded
    with _lock:
        if _loaded is not None:
            return _loaded
        install()
        try:
            asymmetric = importlib.import_module("oscrypto.asymmetric")
            keys = importlib.import_module("oscrypto.keys")
        except ImportError as exc:
            if exc.name == "oscrypto":
                raise BackendError(f"oscrypto is not installed: {exc}") from exc
            raise BackendError(
                f"oscrypto could not be imported: {type(exc).__name__}: {exc}; {_patch_state()}"
            ) from exc
        except engine_error_types() as exc:  # LibraryNotFoundError, OSError, FFIEngineError, ...
            raise BackendError(
                f"oscrypto could not load the system libcrypto: {type(exc).__name__}: {exc}; {_patch_state()}"
            ) from exc
        finally:
            uninstall()
        _loaded = (asymmetric, keys)
        return _loaded


# --------------------------------------------------------------------------------------------
# Helpers reaching below oscrypto's public API (see "RSASSA-PSS salt length" above).

_EVP_PKEY_RSA = 6  # NID_rsaEncryption
_EVP_PKEY_CTRL_RSA_PADDING = 0x1001
_EVP_PKEY_CTRL_RSA_PSS_SALTLEN = 0x1002
_RSA_PKCS1_PSS_PADDING = 6
_ALL_OPERATIONS = -1
_DIGEST_SIZES = {"sha1": 20, "sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64}


def libcrypto_version() -> Optional[Tuple[str, Tuple[Any, ...]]]:
    """Return ``(version, version_info)`` of the libcrypto oscrypto uses, or None off OpenSSL."""
    load_oscrypto()
    import oscrypto

    if oscrypto.backend() != "openssl":
        return None
    from oscrypto._openssl import _libcrypto

    return str(_libcrypto.libcrypto_version), tuple(_libcrypto.libcrypto_version_info)


def pss_salt_workaround_active() -> bool:
    """True when :func:`rsa_pss_sign` / :func:`rsa_pss_verify` use the libcrypto path."""
    version = libcrypto_version()
    return version is not None and version[1] >= (3,)


def _pss_operation(
    key: Any, data: bytes, hash_algorithm: str, signature: Optional[bytes], salt_length: Optional[int] = None
) -> Any:
    from oscrypto._ffi import buffer_from_bytes, bytes_from_buffer, deref, new, null, unwrap
    from oscrypto._openssl._libcrypto import handle_openssl_error, libcrypto

    evp_md = getattr(libcrypto, "EVP_" + hash_algorithm)()
    md_ctx = libcrypto.EVP_MD_CTX_new()
    if not md_ctx:
        handle_openssl_error(0)
    try:
        pkey_ctx_pointer = new(libcrypto, "EVP_PKEY_CTX **")
        init = libcrypto.EVP_DigestSignInit if signature is None else libcrypto.EVP_DigestVerifyInit
        handle_openssl_error(init(md_ctx, pkey_ctx_pointer, evp_md, null(), key.evp_pkey))
        pkey_ctx = unwrap(pkey_ctx_pointer)
        for command, value in (
            (_EVP_PKEY_CTRL_RSA_PADDING, _RSA_PKCS1_PSS_PADDING),
            (_EVP_PKEY_CTRL_RSA_PSS_SALTLEN, _DIGEST_SIZES[hash_algorithm] if salt_length is None else salt_length),
        ):
            res = libcrypto.EVP_PKEY_CTX_ctrl(pkey_ctx, _EVP_PKEY_RSA, _ALL_OPERATIONS, command, value, null())
            handle_openssl_error(res)
        handle_openssl_error(libcrypto.EVP_DigestUpdate(md_ctx, data, len(data)))
        if signature is None:
            size = key.byte_size
            buffer = buffer_from_bytes(size)
            length = new(libcrypto, "size_t *", size)
            handle_openssl_error(libcrypto.EVP_DigestSignFinal(md_ctx, buffer, length))
            return bytes_from_buffer(buffer, deref(length))
        res = libcrypto.EVP_DigestVerifyFinal(md_ctx, signature, len(signature))
        return res == 1
    finally:
        libcrypto.EVP_MD_CTX_free(md_ctx)
        # A failed verification leaves entries on the thread's error queue; drop them so they
        # are not reported as the cause of some later, unrelated failure.
        _clear_errors(libcrypto)


def rsa_pss_sign(private_key: Any, data: bytes, hash_algorithm: str) -> bytes:
    """RSASSA-PSS sign with MGF1(hash) and salt length = hash length (``oscrypto`` key)."""
    asymmetric, _ = load_oscrypto()
    if not pss_salt_workaround_active():
        return bytes(asymmetric.rsa_pss_sign(private_key, data, hash_algorithm))
    return bytes(_pss_operation(private_key, data, hash_algorithm, None))


def rsa_pss_verify(
    public_key: Any, signature: bytes, data: bytes, hash_algorithm: str, salt_length: Optional[int] = None
) -> None:
    """RSASSA-PSS verify with MGF1(hash) and exactly ``salt_length`` octets of salt (default: the
    hash length), as the signature's RFC 4055 parameters declare.

    :raises oscrypto.errors.SignatureError: the signature does not verify.
    """
    asymmetric, _ = load_oscrypto()
    if not pss_salt_workaround_active():
        asymmetric.rsa_pss_verify(public_key, signature, data, hash_algorithm)
        return
    from oscrypto.errors import SignatureError as EngineSignatureError

    if not _pss_operation(public_key, data, hash_algorithm, signature, salt_length):
        raise EngineSignatureError("Signature is invalid")


def derive_public_key_info(private_key_info: Any) -> Any:
    """Let libcrypto compute the PublicKeyInfo of a private key oscrypto cannot load.

    Returns an ``asn1crypto.keys.PublicKeyInfo``, or None when oscrypto does not run on
    OpenSSL >= 3 or libcrypto cannot handle the key.
    """
    asymmetric, _ = load_oscrypto()
    version = libcrypto_version()
    if version is None or version[1] < (3,):
        return None
    from oscrypto._ffi import buffer_from_bytes, buffer_pointer, is_null, null
    from oscrypto._openssl._libcrypto import libcrypto

    der = private_key_info.dump()
    buffer = buffer_from_bytes(der)
    evp_pkey = libcrypto.d2i_AutoPrivateKey(null(), buffer_pointer(buffer), len(der))
    if is_null(evp_pkey):
        _clear_errors(libcrypto)
        return None
    # oscrypto's PrivateKey takes ownership of evp_pkey (freed in __del__) and derives the
    # public key with i2d_PUBKEY, which works for every key type libcrypto knows.
    engine_key = asymmetric.PrivateKey(evp_pkey, private_key_info)
    try:
        return engine_key.public_key.asn1
    except engine_error_types() as exc:  # an OSError from libcrypto: report "cannot derive"
        logger.debug("libcrypto cannot derive the public key: %s: %s", type(exc).__name__, exc)
        return None


def engine_errors() -> ModuleType:
    """Return the ``oscrypto.errors`` module (loading oscrypto first)."""
    load_oscrypto()
    return importlib.import_module("oscrypto.errors")


def describe() -> dict[str, Any]:
    """Describe the engine: oscrypto version, backend, libcrypto version and patch state."""
    error: Optional[str] = None
    try:
        load_oscrypto()
    except BackendError as exc:
        error = str(exc)
    info: dict[str, Any] = {
        "engine": "oscrypto",
        "available": error is None,
        "compat_patch_applied": bool(APPLIED),
        "compat_patched_modules": list(APPLIED),
        "compat_unchanged_modules": list(UNCHANGED),
    }
    if error is not None:
        info["error"] = error
        return info
    oscrypto = importlib.import_module("oscrypto")
    version = libcrypto_version()
    info.update(
        oscrypto_version=str(oscrypto.__version__),
        backend=str(oscrypto.backend()),
        ffi=str(oscrypto.ffi()),
        libcrypto_version=None if version is None else version[0],
        pss_salt_length_workaround=pss_salt_workaround_active(),
        fast_signing=_fast_signing_library() is not None,
    )
    return info


# --- fast signing (see the module docstring) ------------------------------------------------

_RSA_PKCS1_PADDING = 1
_FAST_SIGNING: List[Any] = []  # [ctypes library or None], decided once


def _fast_signing_library() -> Any:
    """The libcrypto oscrypto loaded, through ctypes with the prototypes fast_signer calls; None
    where fast signing does not apply (not OpenSSL >= 3, turned off, or the symbols missing)."""
    if _FAST_SIGNING:
        return _FAST_SIGNING[0]
    library = _load_fast_signing_library()
    _FAST_SIGNING.append(library)
    return library


def _load_fast_signing_library() -> Any:
    if os.environ.get("OCSPKIT_FAST_SIGNING", "1").strip().lower() in ("0", "no", "false", "off"):
        return None
    load_oscrypto()
    oscrypto = importlib.import_module("oscrypto")
    version = libcrypto_version()
    if oscrypto.backend() != "openssl" or version is None or version[1] < (3,):
        return None
    module = sys.modules.get("oscrypto._openssl._libcrypto_cffi") or sys.modules.get(
        "oscrypto._openssl._libcrypto_ctypes"
    )
    path = getattr(module, "libcrypto_path", None)
    if not path:
        return None
    try:
        lib = ctypes.CDLL(path)  # the library already loaded: dlopen returns the same handle
        functions = [(getattr(lib, name), prototype) for name, prototype in _PROTOTYPES.items()]
    except FFI_ERRORS as exc:  # no such library, or a symbol it lacks: the plain oscrypto path, said once
        logger.debug("fast signing unavailable: %s: %s", type(exc).__name__, exc)
        return None
    for function, (restype, argtypes) in functions:
        function.restype = restype
        function.argtypes = argtypes
    return lib


_POINTER, _SIZE_P = ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t)
# The libcrypto functions fast_signer calls: (restype, argtypes).
_PROTOTYPES: Dict[str, Tuple[Any, List[Any]]] = {
    "EVP_get_digestbyname": (_POINTER, [ctypes.c_char_p]),
    "EVP_PKEY_CTX_new": (_POINTER, [_POINTER, _POINTER]),
    "EVP_PKEY_CTX_free": (None, [_POINTER]),
    "EVP_PKEY_sign_init": (ctypes.c_int, [_POINTER]),
    "EVP_PKEY_CTX_set_signature_md": (ctypes.c_int, [_POINTER, _POINTER]),
    "EVP_PKEY_CTX_set_rsa_padding": (ctypes.c_int, [_POINTER, ctypes.c_int]),
    "EVP_PKEY_CTX_set_rsa_pss_saltlen": (ctypes.c_int, [_POINTER, ctypes.c_int]),
    "EVP_PKEY_get_size": (ctypes.c_int, [_POINTER]),
    "EVP_PKEY_sign": (ctypes.c_int, [_POINTER, ctypes.c_char_p, _SIZE_P, ctypes.c_char_p, ctypes.c_size_t]),
    "ERR_get_error": (ctypes.c_ulong, []),
}


def _address(engine_pointer: Any) -> int:
    """The address in an oscrypto EVP_PKEY pointer, whichever FFI oscrypto uses."""
    if isinstance(engine_pointer, (ctypes._Pointer, ctypes.c_void_p)):
        value = ctypes.cast(engine_pointer, ctypes.c_void_p).value
    else:
        from oscrypto._ffi import ffi

        value = int(ffi.cast("uintptr_t", engine_pointer))
    if not value:
        raise ValueError("a null EVP_PKEY")
    return int(value)


def fast_signer(engine_key: Any, scheme: str, hash_algorithm: str) -> Optional[Callable[[bytes], bytes]]:
    """A function signing data with the oscrypto private key ``engine_key`` (``scheme``:
    ``"pkcs1v15"``, ``"pss"`` or ``"ecdsa"``), the same signatures oscrypto makes, or None where
    that cannot be done faster than oscrypto does it (see the module docstring). The function
    raises OSError when libcrypto fails."""
    lib = _fast_signing_library()
    digest = getattr(hashlib, hash_algorithm, None) if hash_algorithm in _DIGEST_SIZES else None
    if lib is None or digest is None or scheme not in ("pkcs1v15", "pss", "ecdsa"):
        return None
    try:
        sign = _make_fast_signer(lib, engine_key, scheme, hash_algorithm, digest)
        # Once per key material, scheme and hash in a process: a key loaded again (another
        # object, the same key) behaves as it did (issue 15: two extra signatures per message).
        tested = (bytes(engine_key.public_key.asn1.dump()), scheme, hash_algorithm)
        if tested not in _SELF_TESTED:
            _self_test(sign, engine_key, scheme, hash_algorithm)
            _SELF_TESTED.add(tested)
    except (*FFI_ERRORS, *engine_error_types()) as exc:  # libcrypto or oscrypto refused: oscrypto signs
        logger.debug("fast signing not used for this key: %s: %s", type(exc).__name__, exc)
        return None
    return sign


def _make_fast_signer(
    lib: Any, engine_key: Any, scheme: str, hash_algorithm: str, digest: Callable[..., Any]
) -> Callable[[bytes], bytes]:
    pkey = _address(engine_key.evp_pkey)
    md = lib.EVP_get_digestbyname(hash_algorithm.upper().encode("ascii"))
    size = lib.EVP_PKEY_get_size(pkey)
    if not md or size <= 0:
        raise ValueError(f"libcrypto has no {hash_algorithm} or no size for the key")
    contexts: List[int] = []  # every thread's context, freed with the signer
    local = threading.local()
    lock = threading.Lock()

    def new_context() -> int:
        ctx = lib.EVP_PKEY_CTX_new(pkey, None)
        if not ctx:
            raise OSError("EVP_PKEY_CTX_new failed")
        steps = [lib.EVP_PKEY_sign_init(ctx), lib.EVP_PKEY_CTX_set_signature_md(ctx, md)]
        if scheme == "pkcs1v15":
            steps.append(lib.EVP_PKEY_CTX_set_rsa_padding(ctx, _RSA_PKCS1_PADDING))
        elif scheme == "pss":
            steps.append(lib.EVP_PKEY_CTX_set_rsa_padding(ctx, _RSA_PKCS1_PSS_PADDING))
            steps.append(lib.EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, _DIGEST_SIZES[hash_algorithm]))  # RFC 4055
        if any(step != 1 for step in steps):
            lib.EVP_PKEY_CTX_free(ctx)
            _clear_errors(lib)
            raise OSError("setting up the signing context failed")
        with lock:
            contexts.append(ctx)
        # The signature buffer and its length, one pair per thread, made once with the context.
        local.ctx = ctx
        local.buffer = ctypes.create_string_buffer(size)
        local.length = ctypes.c_size_t(size)
        local.length_ref = ctypes.byref(local.length)
        return int(ctx)

    def sign(data: bytes) -> bytes:
        hashed = digest(data).digest()
        ctx = getattr(local, "ctx", None) or new_context()
        length = local.length
        length.value = size  # in: the buffer's size; out: the signature's
        buffer = local.buffer
        if lib.EVP_PKEY_sign(ctx, buffer, local.length_ref, hashed, len(hashed)) != 1:
            _clear_errors(lib)
            raise OSError("EVP_PKEY_sign failed")
        raw: bytes = buffer.raw
        return raw[: length.value]

    sign.engine_key = engine_key  # type: ignore[attr-defined]  # keeps the key (and its EVP_PKEY) alive
    weakref.finalize(sign, _free_contexts, lib, contexts)
    return sign


def _free_contexts(lib: Any, contexts: List[int]) -> None:
    for ctx in contexts:
        lib.EVP_PKEY_CTX_free(ctx)
    contexts.clear()


def _clear_errors(lib: Any) -> None:
    """Empty libcrypto's error queue for this thread (``lib``: oscrypto's binding or ctypes)."""
    while lib.ERR_get_error():
        pass


# (public key DER, scheme, hash) whose fast signatures passed the self-test in this process.
_SELF_TESTED: Set[Tuple[bytes, str, str]] = set()


def forget_self_tests() -> None:
    """Run the self-test again for the next fast signer of every key (crypto.clear_key_cache)."""
    _SELF_TESTED.clear()


def _self_test(sign: Callable[[bytes], bytes], engine_key: Any, scheme: str, hash_algorithm: str) -> None:
    """Raise unless ``sign`` makes the signatures oscrypto makes (or accepts) for this key."""
    asymmetric, _ = load_oscrypto()
    probe = b"ocspkit fast signing self-test"
    signature = sign(probe)
    if scheme == "pkcs1v15":
        if signature != asymmetric.rsa_pkcs1v15_sign(engine_key, probe, hash_algorithm):
            raise ValueError("the PKCS#1 v1.5 signature differs from oscrypto's")
    elif scheme == "pss":
        rsa_pss_verify(engine_key.public_key, signature, probe, hash_algorithm)
    else:
        asymmetric.ecdsa_verify(engine_key.public_key, signature, probe, hash_algorithm)
