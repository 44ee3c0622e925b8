"""The exceptions ocspkit's dependencies are known to raise, named once: asn1crypto, oscrypto, pyca.

Project rule: catch only these, only around the dependency's own call. What such a call raises
becomes an ocspkit error (ParseError for bytes, BackendError for the engine, ...); anything else,
raised by ocspkit's own code, is an ocspkit bug and propagates as it is, so that it is never
reported as "malformed input".

The members were established from the dependencies' sources (asn1crypto 1.5.1, oscrypto 1.3.0)
and from what mutated OCSP messages and certificates made them raise; each is listed with the
functions that raise it. A hostile input that makes a dependency raise something not listed here
escapes as that foreign exception: add it here, with a comment, never widen a catch to
``Exception``.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Optional, Tuple, Type

__all__ = [
    "ASN1_ERRORS",
    "ENGINE_BASE_ERRORS",
    "FFI_ERRORS",
    "RESOLVER_ERRORS",
    "asn1_message",
    "engine_error_types",
    "pyca_error_types",
]

Errors = Tuple[Type[BaseException], ...]

#: What asn1crypto raises on hostile bytes (``load``, lazy child access, ``.native``, ``.parsed``,
#: ``.chosen``, ``.dump()``, the ``*_value`` properties of x509/keys) and on values it refuses to
#: encode (constructors, ``__setitem__``).
ASN1_ERRORS: Errors = (
    # core._parse_build ("Extra data"), parser._parse ("Insufficient data", "Indefinite-length
    # recursion limit exceeded"), core._build (class/tag mismatch, "Unknown element"),
    # Sequence._parse_children (missing field), Choice.validate, AbstractTime._parsed_time and
    # datetime() (impossible dates, offsets of 24 h or more), BitString._as_chunk (unused bits),
    # and every constructor's range checks. Also its subclasses UnicodeDecodeError / UnicodeError:
    # AbstractString.__unicode__ (UTF8String, BMPString, UniversalString, IA5String),
    # TeletexString's codec, _iri / the "idna" codec for dNSName, rfc822Name and URIs; and
    # int -> str past sys.get_int_max_str_digits() (ObjectIdentifier.dotted of a huge arc).
    ValueError,
    # Asn1Value.load / load() of a non-bytes value; Sequence._make_value and the constructors
    # for a value of the wrong type (building, ``__setitem__``); explicit/implicit tag checks.
    TypeError,
    # Enumerated.native for a value outside its _map (an undefined responseStatus, CRLReason, ...);
    # keys.PublicKeyInfo._public_key_spec for an unknown algorithm OID; Sequence.__getitem__ /
    # Choice.__getitem__ for an index beyond the children parsed.
    KeyError,
    # BitString._as_chunk (and so .native / bytes()) reads contents[0] of a zero-length BIT STRING.
    IndexError,
    # A value parsed without a spec whose universal type asn1crypto does not implement (core.Real,
    # core.InstanceOf, ...: tag 9 inside an ANY or a generic Sequence) has no ``native``
    # (Asn1Value defines none), so Sequence.native / Any.native on it raise AttributeError.
    AttributeError,
    # util.int_to_bytes(width=...) (int.to_bytes) when a value does not fit its fixed width:
    # IntegerOctetString.set, keys.ECPointBitString.from_coords, algos.DSASignature.to_p1363.
    OverflowError,
    # .native, .dump(force=True) and repr recurse once per level of definite-length nesting (the
    # parser's own limit only covers indefinite lengths). Catch it before the rest to report
    # "nested too deeply".
    RecursionError,
)

#: The built-in exceptions of oscrypto's calls (besides its own classes, see engine_error_types()).
ENGINE_BASE_ERRORS: Errors = (
    # _openssl._libcrypto.handle_openssl_error raises OSError with libcrypto's message (sign,
    # verify, generate, load); ctypes / cffi raise OSError when dlopen fails; ocspkit's own ctypes
    # fast signer (_oscrypto_compat) raises OSError when EVP_PKEY_sign fails.
    OSError,
    # oscrypto's argument checks: an unknown hash for the key type, key sizes, curve names
    # (ValueError), ``type_name`` messages (TypeError).
    ValueError,
    TypeError,
    # oscrypto.keys and oscrypto.asymmetric parse keys and certificates with asn1crypto and let
    # its errors through unchanged.
    *ASN1_ERRORS,
)

#: What ctypes raises around ocspkit's own libcrypto calls (_oscrypto_compat's fast signer).
FFI_ERRORS: Errors = (
    OSError,  # ctypes.CDLL when dlopen fails
    AttributeError,  # CDLL.__getattr__: a symbol this libcrypto does not export
    ctypes.ArgumentError,  # a Python value the declared argtypes cannot convert
)

#: What ``socket.getaddrinfo`` raises for a name it cannot resolve.
RESOLVER_ERRORS: Errors = (
    OSError,  # socket.gaierror (a subclass): unknown name, no address, resolver failure
    UnicodeError,  # the "idna" codec refuses the host name (an empty or over-long label, ...)
)

_ENGINE_ERRORS: Optional[Errors] = None


def engine_error_types() -> Errors:
    """Everything oscrypto is known to raise: :data:`ENGINE_BASE_ERRORS` and oscrypto's own
    classes (``oscrypto.errors``: SignatureError from ``*_verify``, AsymmetricKeyError and
    IncompleteAsymmetricKeyError from ``load_*_key``, LibraryNotFoundError from loading the
    library; ``oscrypto._ffi.FFIEngineError`` when the FFI cannot be set up).

    Resolved when first needed (``import ocspkit`` must not import oscrypto), with import
    statements: importing ``oscrypto.errors`` does not load libcrypto, and ``oscrypto._ffi`` (which
    fixes the FFI oscrypto uses) is only looked up once something imported it. Without oscrypto,
    just the built-in ones."""
    global _ENGINE_ERRORS
    if _ENGINE_ERRORS is not None:
        return _ENGINE_ERRORS
    try:
        from oscrypto import errors
    except ImportError:  # no oscrypto: load_oscrypto says so
        return ENGINE_BASE_ERRORS
    found: Errors = (
        errors.SignatureError,
        errors.AsymmetricKeyError,  # IncompleteAsymmetricKeyError is a subclass
        errors.LibraryNotFoundError,
    )
    ffi = sys.modules.get("oscrypto._ffi")
    if ffi is None:  # FFIEngineError is raised by modules that import it from oscrypto._ffi
        return found + ENGINE_BASE_ERRORS
    _ENGINE_ERRORS = (*found, ffi.FFIEngineError, *ENGINE_BASE_ERRORS)
    return _ENGINE_ERRORS


def pyca_error_types() -> Errors:
    """What pyca/cryptography's export calls (``private_bytes``, ``public_bytes``,
    ``public_key``) raise: ValueError / TypeError for encodings and formats a key type does not
    support, and ``cryptography.exceptions.UnsupportedAlgorithm`` when it is loaded (a pyca
    object cannot exist without it: ocspkit never imports cryptography itself)."""
    module = sys.modules.get("cryptography.exceptions")
    unsupported = getattr(module, "UnsupportedAlgorithm", None)
    extra: Errors = (unsupported,) if isinstance(unsupported, type) else ()
    return (ValueError, TypeError, *extra)


def asn1_message(exc: BaseException) -> str:
    """asn1crypto's message on one line (it appends "while parsing ..." lines), or the type name."""
    return " ".join(str(exc).split()) or type(exc).__name__
