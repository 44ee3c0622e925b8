"""Defaults shared by modules that must not import each other: the command line reads the HTTP
timeout without importing :mod:`ocspkit.http` (sockets, TLS, urllib), which a command that only
prints or builds a message does not need. :mod:`ocspkit.http` re-exports them."""

from __future__ import annotations

__all__ = ["DEFAULT_TIMEOUT"]

#: Seconds for the whole exchange (name resolution, connect, TLS, send, reply, redirects, and the
#: POST after a refused GET): long enough for a slow responder across the world, short enough that
#: a dead one does not stall the caller. OpenSSL's client has no default (it waits forever).
DEFAULT_TIMEOUT = 10.0
