"""Structured logs for the responder: the core logs each request to the ``ocspkit.responder``
logger with its fields in ``extra`` (``ocsp_event``, ``http_method``, ``http_status``,
``ocsp_status``, ``cert_statuses``, ``source``, ``reason``, ``duration_ms``);
:class:`JSONFormatter` writes each record as one JSON object per line."""

from __future__ import annotations

import datetime as _dt
import json
import logging
import sys
from typing import Any, Dict, Optional, TextIO

__all__ = ["FIELDS", "JSONFormatter", "configure_logging"]

#: The ``extra`` fields the responder puts on its records.
FIELDS = ("ocsp_event", "http_method", "http_status", "ocsp_status", "cert_statuses", "source", "reason",
          "duration_ms")


class JSONFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, the responder's
    fields when present, and the exception text when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: Dict[str, Any] = {
            "time": _dt.datetime.fromtimestamp(record.created, _dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, separators=(",", ":"))


def configure_logging(level: str = "info", fmt: str = "text", stream: Optional[TextIO] = None) -> logging.Handler:
    """Send ``ocspkit.*`` records to ``stream`` (default stderr) as ``"text"`` or ``"json"``
    lines at ``level``; returns the handler (remove it to undo)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if fmt == "json":
        handler.setFormatter(JSONFormatter())
    elif fmt == "text":
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    else:
        raise ValueError(f'log format is "text" or "json", got {fmt!r}')
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}")
    logger = logging.getLogger("ocspkit")
    logger.addHandler(handler)
    logger.setLevel(numeric)
    return handler
