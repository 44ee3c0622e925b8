"""Helpers for the openssl interop tests: OpenSSL's CA database (index.txt) format, openssl's text
layouts, and libcrypto's own OCSP_request_verify (the CLI never verifies request signatures,
libcrypto does). Running the CLI, and a running ``openssl ocsp`` responder: tests/_openssl_cli.py.

Nothing here comes from ocspkit's code paths under test: times, names and the index format are
written out by hand from OpenSSL's documented behaviour.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# asn1crypto's names for signature algorithms -> the names openssl prints.
OPENSSL_SIGNATURE_NAMES = {
    "sha1_rsa": "sha1WithRSAEncryption",
    "sha224_rsa": "sha224WithRSAEncryption",
    "sha256_rsa": "sha256WithRSAEncryption",
    "sha384_rsa": "sha384WithRSAEncryption",
    "sha512_rsa": "sha512WithRSAEncryption",
    "rsassa_pss": "rsassaPss",
    "sha1_ecdsa": "ecdsa-with-SHA1",
    "sha224_ecdsa": "ecdsa-with-SHA224",
    "sha256_ecdsa": "ecdsa-with-SHA256",
    "sha384_ecdsa": "ecdsa-with-SHA384",
    "sha512_ecdsa": "ecdsa-with-SHA512",
}


# --------------------------------------------------------------------------------------------
# Times


def openssl_time(value: dt.datetime) -> str:
    """ASN1_GENERALIZEDTIME_print's layout: ``Jan  2 03:04:05 2024 GMT``."""
    value = value.astimezone(dt.timezone.utc)
    return (
        f"{MONTHS[value.month - 1]} {value.day:2d} {value.hour:02d}:{value.minute:02d}:{value.second:02d} "
        f"{value.year} GMT"
    )


def utc_time(value: dt.datetime) -> str:
    """UTCTime text as `openssl ca` writes it in index.txt: ``YYMMDDHHMMSSZ``."""
    return value.astimezone(dt.timezone.utc).strftime("%y%m%d%H%M%SZ")


def generalized_time(value: dt.datetime) -> str:
    """GeneralizedTime text: ``YYYYMMDDHHMMSSZ`` (index.txt's keyTime / CAkeyTime argument)."""
    return value.astimezone(dt.timezone.utc).strftime("%Y%m%d%H%M%SZ")


# --------------------------------------------------------------------------------------------
# OpenSSL's CA database


def index_line(
    status: str,
    serial: int,
    expires: dt.datetime,
    subject: str,
    revoked: Optional[dt.datetime] = None,
    reason: Optional[str] = None,
    argument: Optional[str] = None,
) -> str:
    """One index.txt row: type, expiry, revocation field, hex serial, file name, subject DN,
    tab separated. The revocation field is ``YYMMDDHHMMSSZ[,reason[,argument]]``."""
    if status not in ("V", "R", "E"):
        raise ValueError(status)
    revocation = ""
    if status == "R":
        assert revoked is not None
        revocation = utc_time(revoked)
        if reason is not None:
            revocation += f",{reason}"
            if argument is not None:
                revocation += f",{argument}"
    serial_hex = f"{serial:X}"
    if len(serial_hex) % 2:
        serial_hex = "0" + serial_hex  # openssl ca writes whole octets
    return "\t".join((status, utc_time(expires), revocation, serial_hex, "unknown", subject)) + "\n"


# --------------------------------------------------------------------------------------------
# openssl's text output


def parse_single_responses(text: str) -> List[Dict[str, str]]:
    """The SingleResponse blocks of ``openssl ocsp -resp_text`` as dicts of their lines."""
    body = re.sub(r"\\\n\s*", "", text.split("Responses:\n", 1)[1])  # rejoin wrapped hex strings
    # The blocks end where the response extensions / signature begin.
    body = re.split(r"\n    (?:Response Extensions:|Signature Algorithm:)", body, maxsplit=1)[0]
    blocks = []
    for chunk in body.split("Certificate ID:")[1:]:
        fields: Dict[str, str] = {}
        lines = chunk.splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"\s*([A-Za-z ]+?): ?(.*)$", line)
            if not m:
                continue
            key, value = m.group(1), m.group(2).strip()
            if key in ("Invalidity Date", "Hold Instruction Code") and not value:
                value = lines[i + 1].strip()
            fields.setdefault(key, value)
        blocks.append(fields)
    return blocks


def parse_request_text(text: str) -> Dict[str, Any]:
    """The fields of ``openssl ocsp -req_text`` before any embedded certificate."""
    head = text.split("\nCertificate:\n", 1)[0]
    head = re.sub(r"\\\n\s*", "", head)  # openssl wraps long hex strings with a trailing backslash
    ids = []
    for chunk in head.split("Certificate ID:")[1:]:
        ids.append(
            {
                "hash": re.search(r"Hash Algorithm: (\S+)", chunk).group(1),  # type: ignore[union-attr]
                "name_hash": re.search(r"Issuer Name Hash: (\S+)", chunk).group(1),  # type: ignore[union-attr]
                "key_hash": re.search(r"Issuer Key Hash: (\S+)", chunk).group(1),  # type: ignore[union-attr]
                "serial": int(re.search(r"Serial Number: (\S+)", chunk).group(1), 16),  # type: ignore[union-attr]
            }
        )
    nonce = re.search(r"OCSP Nonce: ?\n\s+([0-9A-F]+)", head)
    sig = re.search(r"Signature Algorithm: (\S+)", head)
    requestor = re.search(r"Requestor Name: (.+)", head)
    return {
        "ids": ids,
        "nonce_hex": nonce.group(1) if nonce else None,
        "signature_algorithm": sig.group(1) if sig else None,
        "requestor": requestor.group(1).strip() if requestor else None,
        "text": head,
    }


def summary_status(text: str, name: str) -> Dict[str, str]:
    """The lines openssl prints for ``-cert NAME`` / ``-serial NAME`` after verification."""
    m = re.search(rf"^{re.escape(name)}: (.+)\n((?:\t.+\n)*)", text, re.M)
    if m is None:
        raise AssertionError(f"no status line for {name!r} in:\n{text}")
    fields = {"status": m.group(1).strip()}
    for line in m.group(2).splitlines():
        key, _, value = line.strip().partition(": ")
        fields[key] = value
    return fields


# --------------------------------------------------------------------------------------------
# libcrypto's OCSP_request_verify, through ctypes

OCSP_NOVERIFY = 0x10  # include/openssl/ocsp.h: skip the signer's chain check
_libcrypto: Any = None


def _lib() -> Any:
    global _libcrypto
    if _libcrypto is None:
        name = ctypes.util.find_library("crypto")
        if name is None:
            raise RuntimeError("libcrypto not found: it is needed to verify OCSP request signatures")
        lib = ctypes.CDLL(name)
        vp = ctypes.c_void_p
        pp = ctypes.POINTER(ctypes.c_char_p)
        for fn, res, args in (
            ("d2i_OCSP_REQUEST", vp, [vp, pp, ctypes.c_long]),
            ("d2i_X509", vp, [vp, pp, ctypes.c_long]),
            ("X509_STORE_new", vp, []),
            ("X509_STORE_add_cert", ctypes.c_int, [vp, vp]),
            ("OCSP_request_verify", ctypes.c_int, [vp, vp, vp, ctypes.c_ulong]),
            ("OCSP_REQUEST_free", None, [vp]),
            ("X509_free", None, [vp]),
            ("X509_STORE_free", None, [vp]),
            ("ERR_get_error", ctypes.c_ulong, []),
            ("ERR_error_string_n", None, [ctypes.c_ulong, ctypes.c_char_p, ctypes.c_size_t]),
            ("OpenSSL_version", ctypes.c_char_p, [ctypes.c_int]),
        ):
            getattr(lib, fn).restype = res
            getattr(lib, fn).argtypes = args
        _libcrypto = lib
    return _libcrypto


def libcrypto_version() -> str:
    """OpenSSL_version(OPENSSL_VERSION) of the libcrypto the helpers call."""
    return str(_lib().OpenSSL_version(0).decode())


def _errors(lib: Any) -> List[str]:
    out: List[str] = []
    while True:  # drain the whole queue: oscrypto reads the same thread's queue later
        code = lib.ERR_get_error()
        if not code:
            return out
        buf = ctypes.create_string_buffer(256)
        lib.ERR_error_string_n(code, buf, len(buf))
        out.append(buf.value.decode(errors="replace"))


def _d2i(fn: Any, der: bytes) -> Any:
    buf = ctypes.c_char_p(der)
    return fn(None, ctypes.byref(buf), len(der))


def libcrypto_request_verify(request_der: bytes, trusted_der: Sequence[bytes], flags: int = 0) -> Tuple[int, List[str]]:
    """OpenSSL's OCSP_request_verify: the signer is looked up among the request's certs by
    requestorName, its signature over tbsRequest checked, and (unless OCSP_NOVERIFY) its chain
    built to ``trusted_der`` with the request's certs as untrusted intermediates.

    Returns (OpenSSL's return value, 1 meaning verified; the error queue's messages).
    """
    lib = _lib()
    _errors(lib)
    req = _d2i(lib.d2i_OCSP_REQUEST, request_der)
    store = lib.X509_STORE_new()
    try:
        if not req:
            return -100, ["d2i_OCSP_REQUEST failed", *_errors(lib)]
        for der in trusted_der:
            cert = _d2i(lib.d2i_X509, der)
            assert cert, "d2i_X509 failed"
            lib.X509_STORE_add_cert(store, cert)
            lib.X509_free(cert)
        result = int(lib.OCSP_request_verify(req, None, store, flags))
        return result, _errors(lib)
    finally:
        if req:
            lib.OCSP_REQUEST_free(req)
        lib.X509_STORE_free(store)
        _errors(lib)
