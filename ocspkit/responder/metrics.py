"""Prometheus-style counters for the responder: requests, statuses, latency (text exposition
format 0.0.4, rendered by hand: no client library needed)."""

from __future__ import annotations

import bisect
import threading
from typing import Any, Dict, List, Tuple

from ..enums import CertStatus, ResponseStatus
from .reply import Reply

__all__ = ["Metrics"]

# Latency buckets in seconds: pre-signed answers take well under a millisecond, live RSA-2048
# signatures about one, and anything past a second is an outage.
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


_METHODS = frozenset(("GET", "POST", "HEAD"))


class Metrics:
    """Counters a responder keeps; :meth:`render` gives the Prometheus text format."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Dict[Tuple[str, int], int] = {}
        # (ResponseStatus, member) and (CertStatus, member) -> count; see ocsp_statuses / cert_statuses.
        self.statuses: Dict[Tuple[type, Any], int] = {}
        self.buckets: List[int] = [0] * len(BUCKETS)
        self.latency_count = 0
        self.latency_sum = 0.0
        self.cache_hits = 0
        self.cache_misses = 0
        self.signed = 0
        self.store_errors = 0
        self.internal_errors = 0

    def internal_error(self) -> None:
        """Count one error of ocspkit's own code caught where the service keeps serving (its
        traceback is logged there; the request was answered internalError)."""
        with self._lock:
            self.internal_errors += 1

    def observe(self, method: str, reply: Reply, seconds: float) -> None:
        """Count one handled HTTP request."""
        key = (method if method in _METHODS else "OTHER", reply.status)
        answer = reply.answer
        bucket = bisect.bisect_left(BUCKETS, seconds)  # the first bound >= seconds
        with self._lock:
            requests = self.requests
            requests[key] = requests.get(key, 0) + 1
            if answer is not None:
                # Counted by (enum, member); render() names them (Enum.name is slow to read, and
                # ResponseStatus.SUCCESSFUL == CertStatus.GOOD == 0 as IntEnums).
                counts = self.statuses
                status = (ResponseStatus, answer.status)
                counts[status] = counts.get(status, 0) + 1
                for cert in answer.cert_statuses:
                    found = (CertStatus, cert)
                    counts[found] = counts.get(found, 0) + 1
            self.latency_count += 1
            self.latency_sum += seconds
            if bucket < len(BUCKETS):
                self.buckets[bucket] += 1

    @property
    def ocsp_statuses(self) -> Dict[str, int]:
        """OCSP responses counted, by responseStatus name in lower case (``successful``)."""
        return self._named(ResponseStatus)

    @property
    def cert_statuses(self) -> Dict[str, int]:
        """SingleResponses counted, by certStatus name in lower case (``good``)."""
        return self._named(CertStatus)

    def _named(self, enum: type) -> Dict[str, int]:
        with self._lock:
            return self._named_unlocked(enum)

    def _named_unlocked(self, enum: type) -> Dict[str, int]:
        return {member.name.lower(): count for (kind, member), count in self.statuses.items() if kind is enum}

    def render(self) -> str:
        """The counters in the Prometheus text exposition format."""
        with self._lock:
            lines = [
                "# HELP ocspkit_http_requests_total HTTP requests handled, by method and HTTP status.",
                "# TYPE ocspkit_http_requests_total counter",
            ]
            for (method, status), count in sorted(self.requests.items()):
                lines.append(f'ocspkit_http_requests_total{{method="{method}",code="{status}"}} {count}')
            lines += [
                "# HELP ocspkit_responses_total OCSP responses, by responseStatus.",
                "# TYPE ocspkit_responses_total counter",
            ]
            for name, count in sorted(self._named_unlocked(ResponseStatus).items()):
                lines.append(f'ocspkit_responses_total{{status="{name}"}} {count}')
            lines += [
                "# HELP ocspkit_cert_statuses_total SingleResponses, by certStatus.",
                "# TYPE ocspkit_cert_statuses_total counter",
            ]
            for name, count in sorted(self._named_unlocked(CertStatus).items()):
                lines.append(f'ocspkit_cert_statuses_total{{status="{name}"}} {count}')
            lines += [
                "# HELP ocspkit_request_duration_seconds Time to answer a request inside the responder.",
                "# TYPE ocspkit_request_duration_seconds histogram",
            ]
            running = 0
            for bound, count in zip(BUCKETS, self.buckets):
                running += count
                lines.append(f'ocspkit_request_duration_seconds_bucket{{le="{bound}"}} {running}')
            lines.append(f'ocspkit_request_duration_seconds_bucket{{le="+Inf"}} {self.latency_count}')
            lines.append(f"ocspkit_request_duration_seconds_sum {self.latency_sum:.6f}")
            lines.append(f"ocspkit_request_duration_seconds_count {self.latency_count}")
            for name, value, text in (
                ("cache_hits", self.cache_hits, "Answers served from pre-signed responses."),
                ("cache_misses", self.cache_misses, "Cacheable requests that needed a new signature."),
                ("signatures", self.signed, "Responses signed."),
                ("store_errors", self.store_errors, "Status store failures (answered internalError/tryLater)."),
                ("internal_errors", self.internal_errors,
                 "Errors of ocspkit itself caught to keep serving (traceback logged; answered internalError)."),
            ):
                lines += [f"# HELP ocspkit_{name}_total {text}", f"# TYPE ocspkit_{name}_total counter",
                          f"ocspkit_{name}_total {value}"]
        return "\n".join(lines) + "\n"
