"""The fast path: a single-pass reader for DER OCSP messages.

asn1crypto's generic machinery (plus :mod:`ocspkit._der`'s validating walk) costs hundreds of
microseconds per message. Nearly every message on the wire is plain DER in a handful of shapes,
so :func:`ocspkit.load_response` and :func:`ocspkit.load_request` first try readers written
for those shapes (in response.py and request.py, on the primitives here). The readers accept a
strict subset of what the general path accepts, with the same results:

- any byte that is not DER, or any shape they were not written for, raises :class:`Slow`, and
  the caller starts over on the general path, which decides (ParseError with path and offset,
  or a result with ``deviations``). The fast path never produces an error of its own.
- sub-structures that are not on the hot path and repeat from message to message (the
  responder's Name, embedded certificates, signature AlgorithmIdentifiers, the values of known
  extensions) are validated by the general walk once and remembered by their bytes
  (:func:`validated`), so a responder's certificate is walked once per process, not per
  response.

The writing side is :mod:`ocspkit._writers`.
"""

from __future__ import annotations

import datetime as _dt
import re
import threading
from typing import Any, Dict, Optional, Tuple

from ._util import oid_arcs_bounded
from .errors import OCSPError

__all__ = [
    "ExtensionContext",
    "Slow",
    "header",
    "integer",
    "time_value",
    "validated",
]

UTC = _dt.timezone.utc


class Slow(Exception):
    """Not a shape the fast path handles: start over on the general path."""


def header(d: bytes, p: int, end: int, tag: int) -> Tuple[int, int]:
    """(contents start, contents end) of the DER TLV with one-octet ``tag`` at ``d[p]``.

    Raises :class:`Slow` for another tag, a non-minimal or indefinite length, or a value that
    runs past ``end``.
    """
    if p + 2 > end or d[p] != tag:
        raise Slow
    n = d[p + 1]
    if n < 0x80:
        s = p + 2
        e = s + n
    elif n == 0x81:
        n = d[p + 2]
        if n < 0x80:
            raise Slow
        s = p + 3
        e = s + n
    elif n == 0x82:
        n = (d[p + 2] << 8) | d[p + 3]
        if n < 0x100:
            raise Slow
        s = p + 4
        e = s + n
    elif n == 0x83:
        n = (d[p + 2] << 16) | (d[p + 3] << 8) | d[p + 4]
        if n < 0x10000:
            raise Slow
        s = p + 5
        e = s + n
    else:
        raise Slow
    if e > end:
        raise Slow
    return s, e


def integer(d: bytes, s: int, e: int) -> int:
    """The value of INTEGER contents ``d[s:e]``; Slow unless minimally encoded (X.690 8.3.2)."""
    if e - s > 1:
        first, second = d[s], d[s + 1]
        if (first == 0 and second < 0x80) or (first == 0xFF and second >= 0x80):
            raise Slow
    elif e == s:
        raise Slow
    return int.from_bytes(d[s:e], "big", signed=True)


# GeneralizedTime as DER writes it (X.690 11.7): YYYYMMDDHHMMSSZ, no fraction. Fractions, local
# times, year 0 and seconds = 60 go to the general path.
_GT_DER = re.compile(rb"(?!0000)\d{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])[0-5]\d[0-5]\dZ")


def time_value(d: bytes, p: int, end: int) -> Tuple[bytes, int]:
    """(the 15 octets ``YYYYMMDDHHMMSSZ``, end offset) of a DER GeneralizedTime at ``d[p]``."""
    if p + 17 > end or d[p] != 0x18 or d[p + 1] != 15 or _GT_DER.fullmatch(d, p + 2, p + 17) is None:
        raise Slow
    raw = d[p + 2 : p + 17]
    if raw[6:8] > b"28":
        check_day(raw)
    return raw, p + 17


def check_day(raw: bytes) -> None:
    """Slow unless the day of ``YYYYMMDD...`` exists in its month (the general path refuses it)."""
    try:
        _dt.date(int(raw[0:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        raise Slow from None


def to_datetime(raw: bytes) -> _dt.datetime:
    """The aware UTC datetime of ``YYYYMMDDHHMMSSZ`` octets checked by :func:`time_value`."""
    return _dt.datetime(
        int(raw[0:4]), int(raw[4:6]), int(raw[6:8]), int(raw[8:10]), int(raw[10:12]), int(raw[12:14]), tzinfo=UTC
    )


def object_identifier_ok(d: bytes, s: int, e: int) -> bool:
    """Whether OBJECT IDENTIFIER contents ``d[s:e]`` are well formed (X.690 8.19.2) and each arc
    printable (:func:`ocspkit._util.oid_arcs_bounded`), as the general walk requires."""
    if e == s or d[e - 1] & 0x80 or not oid_arcs_bounded(d[s:e]):
        return False
    previous = 0
    for i in range(s, e):
        if d[i] == 0x80 and not previous & 0x80:
            return False
        previous = d[i]
    return True


# --- remembered validation of repeating sub-structures -------------------------------------

_VALIDATED: Dict[Tuple[Any, bytes], bool] = {}
_VALIDATED_MAX = 1024  # about 1.5 MB of certificates at most; cleared when full
_LOCK = threading.Lock()


def validated(spec: Any, der: bytes) -> None:
    """Check ``der`` is a DER ``spec`` with the general walk (strict), remembering success.

    Raises :class:`Slow` when it is not (the general path then reports it in full).
    """
    key = (spec, der)
    if key in _VALIDATED:
        return
    from ._der import load_tree

    try:
        load_tree(spec, der, strict=True)
    except OCSPError:
        raise Slow from None
    with _LOCK:
        if len(_VALIDATED) >= _VALIDATED_MAX:
            _VALIDATED.clear()
        _VALIDATED[key] = True


def clear_cache() -> None:
    """Forget every remembered validation (for benchmarks measuring a cold start)."""
    with _LOCK:
        _VALIDATED.clear()


class ExtensionContext:
    """How the fast path reads Extensions in one context (requestExtensions, singleExtensions, ...).

    ``extension_class`` is the asn1crypto Extension of the context, ``id_class`` its OID class
    (whose ``_map`` lists the OIDs known there). Known values with a structure are validated
    (and remembered) by the general walk; the nonce and other raw values are taken as they are.
    """

    def __init__(self, extension_class: Any, id_class: Any) -> None:
        from asn1crypto import core

        from .asn1 import OID

        self.extension_class = extension_class
        self.nonce_oid = core.ObjectIdentifier(OID.NONCE).contents
        specs = extension_class._oid_specs
        #: OID contents -> None (raw value), "null" (a NULL value) or "walk" (validate the value)
        self.known: Dict[bytes, Optional[str]] = {}
        for dotted, name in id_class._map.items():
            spec = specs.get(name)
            kind = None if spec is None else ("null" if issubclass(spec, core.Null) else "walk")
            self.known[core.ObjectIdentifier(dotted).contents] = kind

    def read(self, d: bytes, s: int, e: int, allow_critical: bool) -> Optional[bytes]:
        """Check the Extensions TLV ``d[s:e]``; return the first nonce's extnValue contents."""
        ls, le = header(d, s, e, 0x30)
        if le != e:
            raise Slow
        nonce = None
        known = self.known
        while ls < le:
            xs, xe = header(d, ls, le, 0x30)
            os_, oe = header(d, xs, xe, 0x06)
            p = oe
            critical = d[p] == 0x01
            if critical:
                # DER: critical is encoded only when TRUE (DEFAULT FALSE), as 0xFF (X.690 11.1).
                if d[p + 1] != 1 or d[p + 2] != 0xFF:
                    raise Slow
                p += 3
            vs, ve = header(d, p, xe, 0x04)
            if ve != xe:
                raise Slow
            oid = d[os_:oe]
            if oid in known:
                kind = known[oid]
                if kind is None:
                    if nonce is None and oid == self.nonce_oid:
                        nonce = d[vs:ve]
                elif kind == "null":
                    if ve - vs != 2 or d[vs] != 0x05 or d[vs + 1]:
                        raise Slow
                else:
                    validated(self.extension_class, d[ls:xe])
            elif (critical and not allow_critical) or not object_identifier_ok(d, os_, oe):
                raise Slow  # the general path refuses it, naming the OID
            ls = xe
        return nonce
