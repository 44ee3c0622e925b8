"""HTTP as openssl ocsp -url speaks it: the URL's parts, and one exchange through ocspkit.http."""

from __future__ import annotations

import urllib.parse
from typing import Optional, Sequence, Tuple

from ..errors import OCSPError, TransportError
from ._common import fail

__all__ = ["http_send", "parse_url"]


def http_send(
    host: str, port: Optional[str], path: str, use_ssl: bool, body: bytes,
    headers: Sequence[Tuple[str, str]], timeout: float, method: str = "POST",
) -> bytes:
    """Send a DER request (RFC 6960 A.1; POST as openssl ocsp does, or GET / auto) and return the
    body of the reply; TransportError otherwise."""
    from ..http import fetch  # lazy: sockets, TLS and urllib.request only when a request is sent

    netloc = host
    if port is not None:
        if ":" in host and not host.startswith("["):
            netloc = f"[{host}]"
        netloc += f":{port}"
    url = f"{'https' if use_ssl else 'http'}://{netloc}{path if path.startswith('/') else '/' + path}"
    try:
        return fetch(body, url, method=method, timeout=timeout, headers=list(headers))
    except OCSPError as exc:
        if isinstance(exc, TransportError):
            raise
        raise TransportError(f"{url}: {exc}") from None


def parse_url(url: str) -> Tuple[str, Optional[str], str, bool]:
    """OSSL_HTTP_parse_url: host, port, path (default ``/``) and whether it is https."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        fail(f"Error parsing URL {url}", exc)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        fail(f"Error parsing URL {url}", "expected http://host[:port][/path] or https://...")
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return host, None if port is None else str(port), path, parts.scheme.lower() == "https"
