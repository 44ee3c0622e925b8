"""The OCSP responder service: a sans-I/O core (:class:`Responder`), status stores, a
configuration file, an ASGI app and servers on top. See docs/responder.md."""

from __future__ import annotations

from .admin import add_store_commands
from .asgi import ASGIApp, make_app, mount
from .config import ConfigError, ServerSettings, load_config, make_store, responder_from_config
from .core import Issuer, Responder
from .index import IndexRow, IndexTxtStore, ParsedIndex, RevocationInfo, parse_index, read_index, unpack_revinfo
from .metrics import Metrics
from .reply import Answer, Reply
from .server import ThreadedServer, run, serve_in_thread
from .sqlite import ImportReport, SQLiteStore
from .store import CertificateRecord, MemoryStore, RecordState, StatusStore

__all__ = [
    "ASGIApp",
    "Answer",
    "CertificateRecord",
    "ConfigError",
    "ImportReport",
    "IndexRow",
    "IndexTxtStore",
    "Issuer",
    "MemoryStore",
    "Metrics",
    "ParsedIndex",
    "RecordState",
    "Reply",
    "Responder",
    "RevocationInfo",
    "SQLiteStore",
    "ServerSettings",
    "StatusStore",
    "ThreadedServer",
    "add_store_commands",
    "load_config",
    "make_app",
    "make_store",
    "mount",
    "parse_index",
    "read_index",
    "responder_from_config",
    "run",
    "serve_in_thread",
    "unpack_revinfo",
]
