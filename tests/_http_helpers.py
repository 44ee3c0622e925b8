"""A raw HTTP client for the responder tests (http.client, one connection per exchange), so the
servers are judged by a client that is not ocspkit.http."""

from __future__ import annotations

import base64
import dataclasses
import http.client
import socket
import urllib.parse
from typing import Dict, Optional, Protocol

import ocspkit

TIMEOUT = 10.0  # any single exchange


class Listening(Protocol):
    host: str
    port: int


@dataclasses.dataclass
class Reply:
    status: int
    headers: Dict[str, str]
    body: bytes

    def ocsp(self) -> ocspkit.OCSPResponse:
        assert self.headers.get("content-type") == "application/ocsp-response", self.headers
        return ocspkit.load_response(self.body)


def fetch(server: Listening, method: str, path: str = "/", body: Optional[bytes] = None,
          headers: Optional[Dict[str, str]] = None) -> Reply:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        conn.close()


def read_reply(sock: socket.socket, method: str = "POST") -> Reply:
    """The reply on a socket a test wrote a request to by hand."""
    response = http.client.HTTPResponse(sock, method=method)
    try:
        response.begin()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        response.close()


def get_path(der: bytes) -> str:
    """RFC 6960 A.1: GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}."""
    return "/" + urllib.parse.quote(base64.b64encode(der).decode("ascii"), safe="")
