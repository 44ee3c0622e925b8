"""The statuses openssl ocsp prints for each -cert / -serial (apps/ocsp.c print_ocsp_summary)."""

from __future__ import annotations

import datetime as _dt
from typing import IO, TYPE_CHECKING

from ..enums import CertStatus, cert_status_str, crl_reason_str
from ..errors import StaleResponse
from ..response import BasicOCSPResponse
from ..validity import check_validity
from ._common import PROG, UTC, one_line

if TYPE_CHECKING:
    from .engine import Ocsp

__all__ = ["print_summary", "time_text"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# OpenSSL's reason strings for what OCSP_check_validity refuses (ocsp_err.c).
_VALIDITY_REASONS = {
    "this_update_in_future": "status not yet valid",
    "too_old": "status too old",
    "next_update_in_past": "status expired",
    "next_update_before_this_update": "nextupdate before thisupdate",
}


def time_text(value: _dt.datetime) -> str:
    """ASN1_GENERALIZEDTIME_print's layout: ``Nov 20 23:37:46 2026 GMT`` (fractions kept)."""
    value = value.astimezone(UTC)
    fraction = f".{value.microsecond:06d}".rstrip("0") if value.microsecond else ""
    return (
        f"{_MONTHS[value.month - 1]} {value.day:2d} {value.hour:02d}:{value.minute:02d}:{value.second:02d}"
        f"{fraction} {value.year} GMT"
    )


def print_summary(job: Ocsp, out: IO[str], basic: BasicOCSPResponse) -> bool:
    """print_ocsp_summary: one block per -cert / -serial of ``job``; False if one has no status."""
    if not job.names:
        return True
    ok = True
    for name, cert_id in zip(job.names, job.ids):
        out.write(f"{name}: ")
        single = basic.find(cert_id)  # OCSP_resp_find_status: the first exact CertID match
        if single is None:
            out.write("ERROR: No Status found.\n")
            ok = False
            continue
        try:
            check_validity(single.this_update, single.next_update, leeway=job.nsec, max_age=job.maxage)
        except StaleResponse as exc:
            reasons = ", ".join(_VALIDITY_REASONS.get(rule, rule) for rule in exc.rules or (exc.rule or "",))
            out.write("WARNING: Status times invalid.\n")
            out.write(f"{PROG}: {reasons}: {one_line(exc)}\n")
        out.write(f"{cert_status_str(int(single.cert_status))}\n")
        out.write(f"\tThis Update: {time_text(single.this_update)}\n")
        if single.next_update is not None:
            out.write(f"\tNext Update: {time_text(single.next_update)}\n")
        if single.cert_status is not CertStatus.REVOKED:
            continue
        if single.revocation_reason is not None:
            out.write(f"\tReason: {crl_reason_str(int(single.revocation_reason))}\n")
        if single.revocation_time is not None:
            out.write(f"\tRevocation Time: {time_text(single.revocation_time)}\n")
    return ok
