"""The statuses openssl ocsp prints for each -cert / -serial (apps/ocsp.c print_ocsp_summary)."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from ..enums import CertStatus, cert_status_str, crl_reason_str
from ..errors import StaleResponse
from ..response import BasicOCSPResponse
from ..text.times import datetime_print
from ..validity import check_validity
from ._common import PROG, one_line

if TYPE_CHECKING:
    from .state import OcspOptions as Ocsp

__all__ = ["print_summary", "time_text"]

time_text = datetime_print  # the time lines of the summary: ASN1_GENERALIZEDTIME_print's layout
# OpenSSL's reason strings for what OCSP_check_validity refuses (ocsp_err.c).
_VALIDITY_REASONS = {
    "this_update_in_future": "status not yet valid",
    "too_old": "status too old",
    "next_update_in_past": "status expired",
    "next_update_before_this_update": "nextupdate before thisupdate",
}


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
