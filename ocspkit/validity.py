"""Is a status current? thisUpdate / nextUpdate against the clock (OpenSSL's OCSP_check_validity).

The rules, in OpenSSL's order (``rule`` is the tag :class:`~ocspkit.errors.StaleResponse` carries):

``this_update_in_future``
    thisUpdate is more than ``leeway`` after now (OpenSSL: "status not yet valid").
``too_old``
    ``max_age`` is given and thisUpdate is ``max_age`` or more before now ("status too old").
``next_update_in_past``
    nextUpdate is present and ``leeway`` or more before now ("status expired").
``next_update_before_this_update``
    nextUpdate is present and earlier than thisUpdate ("nextupdate before thisupdate").

The boundaries are OpenSSL's (X509_cmp_time counts "equal" as "earlier"): thisUpdate exactly
``leeway`` ahead passes, thisUpdate exactly ``max_age`` old fails, nextUpdate exactly ``leeway``
ago fails, nextUpdate equal to thisUpdate passes. Unlike OpenSSL, which works in whole seconds of
``time()`` and compares nextUpdate with thisUpdate as strings (ASN1_STRING_cmp: shorter first, so
``...00Z`` "precedes" ``...59.5Z`` of an earlier second), ocspkit compares aware datetimes as
instants, to the microsecond.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import List, Optional, Tuple, Union

from ._util import to_utc
from .errors import OCSPTypeError, OCSPValueError, StaleResponse
from .response import SingleResponse

__all__ = [
    "DEFAULT_LEEWAY",
    "RULES",
    "check_single_response_validity",
    "check_validity",
]

# The tolerance for clock skew between responder and client: OpenSSL's own default for
# ``openssl ocsp -validity_period`` (MAX_VALIDITY_PERIOD, 5 minutes); RFC 5019 4 lets clients
# configure "a small tolerance period" and leaves its size to the deployment.
DEFAULT_LEEWAY = _dt.timedelta(seconds=300)

#: The rule tags, in the order they are checked (OpenSSL's order).
RULES = (
    "this_update_in_future",
    "too_old",
    "next_update_in_past",
    "next_update_before_this_update",
)

Seconds = Union[_dt.timedelta, int, float]


def _duration(value: Seconds, what: str) -> _dt.timedelta:
    """A non-negative timedelta from a timedelta or a number of seconds."""
    if isinstance(value, _dt.timedelta):
        delta = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise OCSPValueError(f"{what} must be a finite number of seconds, got {value!r}")
        try:
            delta = _dt.timedelta(seconds=value)
        except OverflowError:
            raise OCSPValueError(f"{what} of {value!r} seconds is out of range") from None
    else:
        raise OCSPTypeError(f"{what} must be a timedelta or a number of seconds, got {type(value).__name__}")
    if delta < _dt.timedelta(0):
        raise OCSPValueError(f"{what} must not be negative, got {value!r} (use None to turn max_age off)")
    return delta


def _stamp(value: _dt.datetime) -> str:
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text + "Z"


def _secs(delta: _dt.timedelta) -> str:
    return f"{delta.total_seconds():g}s"


def _broken_rules(
    this_update: _dt.datetime,
    next_update: Optional[_dt.datetime],
    leeway: _dt.timedelta,
    max_age: Optional[_dt.timedelta],
    now: _dt.datetime,
) -> List[Tuple[str, str]]:
    """(rule, message) for every rule broken, in OpenSSL's order. Differences, not sums, are
    compared, so no leeway or max_age can overflow the datetime range."""
    broken: List[Tuple[str, str]] = []
    ahead = this_update - now
    # RFC 6960 3.2 (5) / RFC 5019 4: thisUpdate is when the status was known to be correct, so it
    # cannot lie in the future beyond clock skew. OpenSSL: thisupd > now + nsec fails.
    if ahead > leeway:
        broken.append((
            "this_update_in_future",
            f"thisUpdate {_stamp(this_update)} is {_secs(ahead)} in the future, more than the leeway "
            f"of {_secs(leeway)} (now {_stamp(now)})",
        ))
    # RFC 6960 3.2 (5): thisUpdate must be "sufficiently recent". OpenSSL: thisupd <= now - maxsec
    # fails (the boundary itself is too old).
    if max_age is not None and -ahead >= max_age:
        broken.append((
            "too_old",
            f"thisUpdate {_stamp(this_update)} is {_secs(-ahead)} old, not less than the max_age of "
            f"{_secs(max_age)} (now {_stamp(now)})",
        ))
    if next_update is not None:
        past = now - next_update
        # RFC 6960 3.2 (6) / RFC 5019 4: nextUpdate must not have passed; RFC 5019 4 allows a small
        # tolerance for clock differences. OpenSSL: nextupd <= now - nsec fails.
        if past >= leeway:
            broken.append((
                "next_update_in_past",
                f"nextUpdate {_stamp(next_update)} passed {_secs(past)} ago, not less than the leeway "
                f"of {_secs(leeway)} (now {_stamp(now)})",
            ))
        # RFC 5019 4: the current time must fall between thisUpdate and nextUpdate, impossible when
        # nextUpdate precedes thisUpdate. OpenSSL: ASN1_STRING_cmp(nextupd, thisupd) < 0 fails.
        if next_update < this_update:
            broken.append((
                "next_update_before_this_update",
                f"nextUpdate {_stamp(next_update)} precedes thisUpdate {_stamp(this_update)}",
            ))
    return broken


def check_validity(
    this_update: _dt.datetime,
    next_update: Optional[_dt.datetime] = None,
    *,
    leeway: Seconds = DEFAULT_LEEWAY,
    max_age: Optional[Seconds] = None,
    now: Optional[_dt.datetime] = None,
) -> None:
    """OCSP_check_validity: raise :class:`~ocspkit.errors.StaleResponse` unless the times are current.

    ``leeway`` (OpenSSL's ``nsec``, default 5 minutes) tolerates clock skew; ``max_age``
    (OpenSSL's ``maxsec``; None, the default, is OpenSSL's -1: off) bounds the age of thisUpdate,
    which matters for responses without nextUpdate. Both are timedeltas or seconds. Times are
    aware datetimes in any zone; naive ones raise ValueError, other types
    :class:`~ocspkit.errors.OCSPTypeError`. The rules and their boundaries are in the module
    docstring. The exception's ``.rule`` is the first rule broken and ``.rules`` all of them, in
    order; its message names them with the values.
    """
    this_utc = to_utc(this_update, "this_update")
    next_utc = None if next_update is None else to_utc(next_update, "next_update")
    leeway_delta = _duration(leeway, "leeway")
    max_age_delta = None if max_age is None else _duration(max_age, "max_age")
    # The one place ocspkit reads the clock by default: checking a status against the present is
    # this function's whole purpose, and OpenSSL's OCSP_check_validity reads time() the same way.
    # Callers replaying old responses, or testing, pass now=.
    moment = _dt.datetime.now(_dt.timezone.utc) if now is None else to_utc(now, "now")
    broken = _broken_rules(this_utc, next_utc, leeway_delta, max_age_delta, moment)
    if broken:
        error = StaleResponse("; ".join(message for _, message in broken))
        error.rule = broken[0][0]
        error.rules = tuple(rule for rule, _ in broken)
        raise error


def check_single_response_validity(
    single: SingleResponse,
    *,
    leeway: Seconds = DEFAULT_LEEWAY,
    max_age: Optional[Seconds] = None,
    now: Optional[_dt.datetime] = None,
) -> None:
    """:func:`check_validity` on a SingleResponse's thisUpdate and nextUpdate (what
    OCSP_resp_find_status then OCSP_check_validity do)."""
    if not isinstance(single, SingleResponse):
        raise OCSPTypeError(f"single must be an ocspkit SingleResponse, got {type(single).__name__}")
    check_validity(single.this_update, single.next_update, leeway=leeway, max_age=max_age, now=now)
