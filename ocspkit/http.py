"""OCSP over HTTP (RFC 6960 Appendix A, RFC 5019 / RFC 9919): OpenSSL's ``ocsp_ht`` and
``OCSP_parse_url``, as sans-I/O pieces plus one small blocking client.

Sans-I/O (bytes and values in, bytes and values out; no sockets):

* :func:`parse_url` -> :class:`OCSPURL` (OCSP_parse_url);
* :func:`get_url` builds the GET URL, :func:`post_body` the POST body and headers, and
  :func:`use_get` applies the RFC 5019 / RFC 9919 rule choosing between them;
* :func:`classify_reply` accepts an HTTP reply (status, headers, body) or raises
  :class:`~ocspkit.errors.TransportError`;
* :func:`ocsp_urls` lists a certificate's OCSP responders (AuthorityInfoAccess, id-ad-ocsp).

The client, on the standard library only (sockets and :mod:`http.client`'s reply parser):

* :func:`fetch_reply` / :func:`fetch` send one request (GET or POST, falling back from GET to
  POST), with a total deadline, a response size limit, an explicit redirect policy and the
  proxies of the environment; every failure is a :class:`~ocspkit.errors.TransportError`;
* :func:`check_certificate` is the whole client: the responder from the certificate, a request
  with a nonce, the exchange, and :func:`ocspkit.check_status` on the answer.

See ``docs/http.md``.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import http.client
import io
import ipaddress
import math
import re
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import crypto
from ._defaults import DEFAULT_TIMEOUT as _DEFAULT_TIMEOUT
from ._deps import ASN1_ERRORS, RESOLVER_ERRORS
from ._der import to_der
from ._version import __version__
from .certid import DEFAULT_CERTID_HASH
from .errors import OCSPTypeError, OCSPValueError, ParseError, TransportError
from .request import OCSPRequest, RequestBuilder
from .validity import DEFAULT_LEEWAY, Seconds
from .verify import CertificateStatus, VerifyFlags, check_status

__all__ = [
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_TIMEOUT",
    "GET_LIMIT",
    "OCSPURL",
    "OCSP_REQUEST_MEDIA_TYPE",
    "OCSP_RESPONSE_MEDIA_TYPE",
    "HTTPReply",
    "check_certificate",
    "classify_reply",
    "fetch",
    "fetch_reply",
    "get_url",
    "ocsp_urls",
    "parse_url",
    "post_body",
    "use_get",
]

#: RFC 6960 A.1: the Content-Type of a POSTed request.
OCSP_REQUEST_MEDIA_TYPE = "application/ocsp-request"
#: RFC 6960 A.2: the Content-Type of every reply.
OCSP_RESPONSE_MEDIA_TYPE = "application/ocsp-response"

#: RFC 5019 5 / RFC 9919 6: a request whose whole GET URL (scheme, "://", host, path and the
#: encoded request) is at most this many bytes MUST be sent with GET, a longer one SHOULD be POSTed.
GET_LIMIT = 255

#: Seconds for the whole exchange (name resolution, connect, TLS, send, reply, redirects, and the
#: POST after a refused GET): 10. Defined in ocspkit._defaults, which the command line reads
#: without importing this module.
DEFAULT_TIMEOUT = _DEFAULT_TIMEOUT

#: The largest response body read: OpenSSL's limit for OCSP (OSSL_HTTP_DEFAULT_MAX_RESP_LEN,
#: 100 KiB, which ``openssl ocsp`` passes). Real responses are 1-5 KB, certificates included.
DEFAULT_MAX_RESPONSE_SIZE = 100 * 1024

#: No redirects, as OpenSSL's OCSP client (OSSL_HTTP_transfer without a redirection URL): a
#: responder has no reason to redirect, and every hop tells another host what is being checked.
DEFAULT_MAX_REDIRECTS = 0

_DEFAULT_PORTS = {"http": 80, "https": 443}
_REDIRECTS = (301, 302, 303, 307, 308)
_READ_CHUNK = 64 * 1024

# RFC 3986 3.2.2: a registered name, as DNS uses it (letters, digits, "-", "." and the "_"
# some internal names carry); percent-encoding and sub-delims name no real host and are refused.
_REG_NAME = re.compile(r"[A-Za-z0-9._~-]+")
_PORT = re.compile(r"[0-9]{1,5}")
# RFC 9110 5.6.2: a header name is a token.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_CONTENT_LENGTH = re.compile(r"[0-9]{1,18}")  # RFC 9110 8.6; 19 digits and more exceed any size limit
# Headers a caller may not set: they frame the message, which is this module's job.
_RESERVED_HEADERS = ("content-length", "transfer-encoding", "connection")


# ------------------------------------------------------------------------------------------------
# URLs (OCSP_parse_url)


@dataclasses.dataclass(frozen=True)
class OCSPURL:
    """An OCSP responder URL, split as OpenSSL's ``OCSP_parse_url`` splits it.

    ``scheme`` and ``host`` are lower case; ``host`` is an IPv6 address without its brackets;
    ``port`` is always set (80 or 443 by default); ``path`` starts with ``/`` and keeps the
    query (the fragment is dropped: it is never sent). ``str()`` gives the URL back, normalized.
    """

    scheme: str
    host: str
    port: int
    path: str
    use_ssl: bool

    @property
    def netloc(self) -> str:
        """``host[:port]`` as written in a URL and in the Host header (RFC 9110 7.2): IPv6 in
        brackets, the port only when it is not the scheme's default."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.port == _DEFAULT_PORTS[self.scheme]:
            return host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        """The normalized URL."""
        return f"{self.scheme}://{self.netloc}{self.path}"

    def __str__(self) -> str:
        return self.url


def parse_url(url: Union[str, OCSPURL]) -> OCSPURL:
    """Split an ``http://`` or ``https://`` URL (OCSP_parse_url).

    Accepted: ``scheme://host[:port][/path][?query][#fragment]`` with a registered name, an IPv4
    address or an IPv6 literal in brackets as host. Refused with
    :class:`~ocspkit.errors.OCSPValueError` (the URL is the caller's, or comes from a certificate
    and is checked before use): other schemes, user information (``user@``; OpenSSL drops it
    silently, ocspkit does not send credentials it was not asked to), an empty or malformed host, an
    empty port or one outside 1-65535, and any character outside printable ASCII (a space, CR or LF
    in a URL from a certificate would otherwise reach the request line). Unlike OpenSSL, the scheme
    is required and case-insensitive (RFC 3986 3.1) and the host is lower-cased.
    """
    if isinstance(url, OCSPURL):
        return url
    if not isinstance(url, str):
        raise OCSPTypeError(f"a URL must be a str, got {type(url).__name__}")
    return _split_url(url, OCSPValueError)[0]


def _split_url(url: str, error: type, *, userinfo: bool = False) -> Tuple[OCSPURL, Optional[str]]:
    """The URL and its user information (only when ``userinfo``); ``error`` is raised otherwise."""

    def fail(reason: str) -> Exception:
        shown = url if len(url) <= 200 else url[:200] + "..."
        exc: Exception = error(f"unusable OCSP URL {shown!r}: {reason}")
        return exc

    if any(not 0x21 <= ord(c) <= 0x7E for c in url):
        raise fail("only printable ASCII without spaces may appear in a URL (RFC 3986 2)")
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if not sep or scheme not in _DEFAULT_PORTS:
        raise fail("expected http://host[:port][/path] or https://...")
    end = len(rest)
    for delimiter in "/?#":
        index = rest.find(delimiter)
        if index != -1:
            end = min(end, index)
    authority, path = rest[:end], rest[end:]
    path = path.partition("#")[0]
    if not path.startswith("/"):
        path = "/" + path  # "" or "?query"
    info: Optional[str] = None
    if "@" in authority:
        if not userinfo:
            raise fail("user information (user@host) is not supported")
        info, _, authority = authority.rpartition("@")
    if authority.startswith("["):
        close = authority.find("]")
        if close == -1:
            raise fail("an IPv6 address needs its closing ']'")
        host, port_text = authority[1:close], authority[close + 1 :]
        if "%" in host:
            raise fail("IPv6 zone identifiers are not supported")
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise fail(f"{host!r} is not an IPv6 address") from None
        if port_text and not port_text.startswith(":"):
            raise fail("unexpected text after the IPv6 address")
        port_text = port_text[1:]
    else:
        host, _, port_text = authority.partition(":")
        if not host:
            raise fail("the host is empty")
        if not _REG_NAME.fullmatch(host):
            raise fail(f"{host!r} is not a host name or an IPv4 address")
    port = _DEFAULT_PORTS[scheme]
    if ":" in authority.rpartition("]")[2]:  # "host:" is refused, as OpenSSL refuses it
        if not _PORT.fullmatch(port_text) or not 1 <= int(port_text) <= 65535:
            raise fail(f"the port {port_text!r} is not a number from 1 to 65535")
        port = int(port_text)
    return OCSPURL(scheme, host.lower(), port, path, scheme == "https"), info


# ------------------------------------------------------------------------------------------------
# Encoding a request (RFC 6960 A.1, RFC 5019 5 / RFC 9919 6)


def _request_der(request: Any) -> bytes:
    """The DER of a request: an OCSPRequest (its bytes as received) or DER/PEM bytes, unparsed."""
    if isinstance(request, OCSPRequest):
        return request.dump()
    if isinstance(request, (bytes, bytearray, memoryview)):
        der = to_der(request, ("OCSP REQUEST",), "OCSP request")
        if not der:
            raise OCSPValueError("the OCSP request is empty")
        return der
    raise OCSPTypeError(f"request must be an ocspkit.OCSPRequest or DER/PEM bytes, got {type(request).__name__}")


def _encoded(der: bytes) -> str:
    # RFC 9919 6: base64 of RFC 4648 section 4 (the standard alphabet, with padding), nothing else
    # in the string, then URL-encoded per RFC 3986: of that alphabet only "+", "/" and "=" are not
    # unreserved characters, and 2.1 asks for upper-case hex digits.
    text = base64.b64encode(der).decode("ascii")
    return text.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")


def get_url(request: Any, base_url: Union[str, OCSPURL]) -> str:
    """The GET URL of ``request`` (RFC 6960 A.1): ``{url}/{url-encoding of base-64 of the DER}``.

    ``request`` is an :class:`~ocspkit.OCSPRequest` or its DER/PEM bytes. The encoded request is
    appended to the base URL's path with exactly one ``/`` between (``http://h/ocsp`` and
    ``http://h/ocsp/`` give the same URL). A base URL with a query cannot take a request after its
    path: :class:`~ocspkit.errors.OCSPValueError` (POST it instead).
    """
    target = parse_url(base_url)
    return f"{target.scheme}://{target.netloc}{_get_path(_request_der(request), target)}"


def _get_path(der: bytes, target: OCSPURL) -> str:
    if "?" in target.path:
        raise OCSPValueError(f"cannot append a GET request to {target.url}: the URL has a query (use POST)")
    path = target.path if target.path.endswith("/") else target.path + "/"
    return path + _encoded(der)


def post_body(request: Any) -> Tuple[bytes, Dict[str, str]]:
    """The body and headers of a POST (RFC 6960 A.1): the DER, ``Content-Type:
    application/ocsp-request`` and ``Accept: application/ocsp-response``.

    Host, Content-Length and Connection belong to the HTTP client that sends it.
    """
    der = _request_der(request)
    return der, {"Content-Type": OCSP_REQUEST_MEDIA_TYPE, "Accept": OCSP_RESPONSE_MEDIA_TYPE}


def use_get(request: Any, base_url: Union[str, OCSPURL], limit: int = GET_LIMIT) -> bool:
    """Whether ``request`` goes by GET to ``base_url``: RFC 5019 5 / RFC 9919 6.

    Both say: "When sending requests that are less than or equal to 255 bytes in total (after
    encoding) including the scheme and delimiters (http://), server name and base64-encoded
    OCSPRequest structure, clients MUST use the GET method", larger ones SHOULD be POSTed. So the
    length measured is that of the whole URL :func:`get_url` returns (normalized: a default port
    is not written), and ``<=`` the limit means GET. (RFC 6960 A.1 says "less than 255 bytes" MAY
    use GET; the profile's MUST is the stricter reading, and the one followed.) A base URL with a
    query never takes GET.
    """
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise OCSPTypeError(f"limit must be an int, got {type(limit).__name__}")
    target = parse_url(base_url)
    if "?" in target.path:
        return False
    return len(get_url(request, target)) <= limit


# ------------------------------------------------------------------------------------------------
# Classifying a reply (RFC 6960 A.2)


def _header_pairs(headers: Any) -> List[Tuple[str, str]]:
    """Headers as (name, value) pairs, from a mapping, an email/http.client message or pairs."""
    items = headers.items() if hasattr(headers, "items") else headers
    pairs: List[Tuple[str, str]] = []
    try:
        for name, value in items:
            if isinstance(name, (bytes, bytearray)):
                name = bytes(name).decode("latin-1")
            if isinstance(value, (bytes, bytearray)):
                value = bytes(value).decode("latin-1")
            if not isinstance(name, str) or not isinstance(value, str):
                raise TypeError
            pairs.append((name, value))
    except (TypeError, ValueError):
        raise OCSPTypeError("headers must be a mapping or (name, value) pairs of str") from None
    return pairs


def _values(pairs: Sequence[Tuple[str, str]], name: str) -> List[str]:
    return [value.strip() for key, value in pairs if key.strip().lower() == name]


def _refuse_status(status: int, reason: str, pairs: Sequence[Tuple[str, str]]) -> Optional[str]:
    if status == 200:
        return None
    text = f"HTTP {status}" + (f" {reason}" if reason else "")
    if status in _REDIRECTS:
        location = _values(pairs, "location")
        text += f" redirect to {location[0]!r}" if location else " redirect without a Location"
    return text


def _refuse_content_type(pairs: Sequence[Tuple[str, str]]) -> Optional[str]:
    # RFC 6960 A.2: "The Content-Type header has the value application/ocsp-response"; media types
    # compare case-insensitively and may carry parameters (RFC 9110 8.3.1). OpenSSL 3 refuses a
    # reply without the header too (HTTP_R_MISSING_CONTENT_TYPE).
    found = _values(pairs, "content-type")
    if not found:
        return f"the reply has no Content-Type (expected {OCSP_RESPONSE_MEDIA_TYPE})"
    types = {value.split(";", 1)[0].strip().lower() for value in found}
    if types != {OCSP_RESPONSE_MEDIA_TYPE}:
        shown = ", ".join(repr(v[:80]) for v in found)
        return f"unexpected Content-Type {shown}, expected {OCSP_RESPONSE_MEDIA_TYPE}"
    return None


def _declared_length(pairs: Sequence[Tuple[str, str]], label: str, status: int) -> Optional[int]:
    """The Content-Length (None without one or with chunked framing); refuses what cannot be read."""
    codings = [c.strip().lower() for v in _values(pairs, "transfer-encoding") for c in v.split(",") if c.strip()]
    if codings:
        # RFC 9112 6.1: chunked must be the final coding; ocspkit asks for no other.
        if codings != ["chunked"]:
            raise TransportError(f"{label}: unsupported Transfer-Encoding {', '.join(codings)}", http_status=status)
        return None  # RFC 9112 6.3: Transfer-Encoding overrides Content-Length
    encodings = {c.strip().lower() for v in _values(pairs, "content-encoding") for c in v.split(",") if c.strip()}
    if encodings - {"identity"}:
        raise TransportError(f"{label}: unsupported Content-Encoding {', '.join(sorted(encodings))}",
                             http_status=status)
    lengths = {item.strip() for v in _values(pairs, "content-length") for item in v.split(",")}
    if not lengths:
        return None
    # RFC 9112 6.3: differing or malformed lengths make the framing unrecoverable.
    if len(lengths) != 1 or not all(_CONTENT_LENGTH.fullmatch(n) for n in lengths):
        shown = ", ".join(sorted(lengths))
        shown = shown if len(shown) <= 60 else f"{shown[:60]}... ({len(shown)} characters)"
        raise TransportError(f"{label}: invalid Content-Length {shown}", http_status=status)
    return int(lengths.pop())


def _check_size(length: int, max_size: int, label: str, status: int) -> None:
    if length > max_size:
        raise TransportError(f"{label}: the response is {length} bytes, over the limit of {max_size}",
                             http_status=status)


def _check_max_size(max_size: int) -> int:
    if isinstance(max_size, bool) or not isinstance(max_size, int):
        raise OCSPTypeError(f"max_size must be an int, got {type(max_size).__name__}")
    if max_size < 1:
        raise OCSPValueError(f"max_size must be at least 1, got {max_size}")
    return max_size


def classify_reply(
    status: int, headers: Any, body: Any, *, max_size: int = DEFAULT_MAX_RESPONSE_SIZE, reason: str = ""
) -> bytes:
    """The response bytes of an HTTP reply, or :class:`~ocspkit.errors.TransportError`.

    ``headers`` is a mapping, an ``http.client``/``email`` message or (name, value) pairs (names
    compare case-insensitively, repeated headers count). Refused, in this order: a status other
    than 200 (``http_status`` carries it; a redirect names its Location); a Content-Type other
    than ``application/ocsp-response`` (parameters and letter case aside; none at all is refused,
    as OpenSSL 3 refuses it); a Transfer-Encoding other than chunked or a Content-Encoding other
    than identity; a malformed or contradictory Content-Length; a body larger than ``max_size``
    or than the Content-Length says, or shorter; an empty body. The bytes are not parsed:
    :func:`ocspkit.load_response` does that (a ParseError there means the body is not a response).
    """
    if isinstance(status, bool) or not isinstance(status, int):
        raise OCSPTypeError(f"status must be an int, got {type(status).__name__}")
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise OCSPTypeError(f"body must be bytes, got {type(body).__name__}")
    max_size = _check_max_size(max_size)
    data = bytes(body)
    pairs = _header_pairs(headers)
    refused = _refuse_status(status, reason, pairs) or _refuse_content_type(pairs)
    if refused is not None:
        raise TransportError(refused, http_status=status)
    declared = _declared_length(pairs, "the reply", status)
    if declared is not None:
        _check_size(declared, max_size, "the reply", status)
        if declared != len(data):
            raise TransportError(f"the reply's Content-Length is {declared} but its body has {len(data)} bytes",
                                 http_status=status)
    _check_size(len(data), max_size, "the reply", status)
    if not data:
        raise TransportError("the reply has an empty body", http_status=status)
    return data


# ------------------------------------------------------------------------------------------------
# A certificate's responders (RFC 5280 4.2.2.1)


def ocsp_urls(cert: Any) -> List[str]:
    """The OCSP responder URLs of ``cert``: the uniformResourceIdentifier accessLocations of its
    id-ad-ocsp AuthorityInfoAccess entries (RFC 5280 4.2.2.1), in the certificate's order; ``[]``
    without any. The strings are as written (IA5String, not IRI-decoded); check them with
    :func:`parse_url` before use (``ldap://`` and malformed ones are listed too).

    ``cert`` is anything :func:`ocspkit.crypto.load_certificate` reads; a malformed extension is
    a :class:`~ocspkit.errors.ParseError`.
    """
    certificate = crypto.load_certificate(cert)
    raws: List[Any] = []
    try:  # asn1crypto parses the extension lazily: each read below may meet hostile bytes
        aia = certificate.authority_information_access_value
        for description in aia or ():
            if description["access_method"].native != "ocsp":
                continue
            location = description["access_location"]
            if location.name != "uniform_resource_identifier":
                continue
            value = location.chosen
            raws.append(value.contents if value.method == 0 else value._merge_chunks())
    except ASN1_ERRORS as exc:
        raise ParseError(f"malformed AuthorityInfoAccess extension: {exc}", path="tbsCertificate.extensions") from None
    return [bytes(raw or b"").decode("latin-1") for raw in raws]


# ------------------------------------------------------------------------------------------------
# The client: connections under one deadline


class _Deadline:
    """The end of the whole exchange; every blocking step gets the time left."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.end = time.monotonic() + timeout

    def left(self, what: str) -> float:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise TransportError(f"timed out after {self.timeout:g} s ({what})")
        return remaining


class _SocketReader(io.RawIOBase):
    """The read side of a connection for http.client: each read gets the time left."""

    def __init__(self, sock: socket.socket, deadline: _Deadline, what: str) -> None:
        super().__init__()
        self._sock = sock
        self._deadline = deadline
        self._what = what

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._sock.settimeout(self._deadline.left(self._what))
        try:
            return self._sock.recv_into(buffer)
        except socket.timeout:
            raise TransportError(f"timed out after {self._deadline.timeout:g} s ({self._what})") from None


class _Connection:
    """What http.client.HTTPResponse needs of a socket (``makefile``), deadline-bound."""

    def __init__(self, sock: socket.socket, deadline: _Deadline, what: str) -> None:
        self.sock = sock
        self.deadline = deadline
        self.what = what

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_SocketReader(self.sock, self.deadline, self.what))

    def sendall(self, data: bytes) -> None:
        self.sock.settimeout(self.deadline.left("sending the request"))
        try:
            self.sock.sendall(data)
        except socket.timeout:
            raise TransportError(f"timed out after {self.deadline.timeout:g} s (sending the request)") from None


def _addresses(host: str, port: int, deadline: _Deadline) -> List[Tuple[int, Any]]:
    """(family, sockaddr) pairs for host: IP literals directly, names through the resolver in a
    helper thread, so that a slow DNS answer is bounded by the deadline too."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        if address.version == 6:
            return [(socket.AF_INET6, (host, port, 0, 0))]
        return [(socket.AF_INET, (host, port))]
    outcome: Dict[str, Any] = {}

    def resolve() -> None:
        try:
            outcome["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except RESOLVER_ERRORS as exc:  # gaierror, UnicodeError for labels IDNA refuses
            outcome["error"] = exc
        except BaseException as exc:  # not swallowed: handed to the caller's thread, raised there
            outcome["bug"] = exc

    worker = threading.Thread(target=resolve, name=f"ocspkit-resolve-{host}", daemon=True)
    worker.start()
    worker.join(deadline.left(f"resolving {host}"))
    if worker.is_alive():
        raise TransportError(f"timed out after {deadline.timeout:g} s (resolving {host})")
    if "bug" in outcome:
        raise outcome["bug"]
    if "error" in outcome:
        raise TransportError(f"cannot resolve {host}: {outcome['error']}")
    infos = outcome.get("infos") or []
    pairs = [(info[0], info[4]) for info in infos if info[0] in (socket.AF_INET, socket.AF_INET6)]
    if not pairs:
        raise TransportError(f"cannot resolve {host}: no address")
    return pairs


def _connect(host: str, port: int, deadline: _Deadline) -> socket.socket:
    """A TCP connection to the first address of host that accepts within the deadline."""
    problems: List[str] = []
    for family, address in _addresses(host, port, deadline):
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(deadline.left(f"connecting to {host}:{port}"))
            sock.connect(address)
        except socket.timeout:
            sock.close()
            raise TransportError(f"timed out after {deadline.timeout:g} s (connecting to {host}:{port})") from None
        except BaseException as exc:  # close the socket whatever happened; only OSError is handled
            sock.close()
            if not isinstance(exc, OSError):
                raise
            problems.append(f"{address[0]}: {exc.strerror or exc}")
            continue
        return sock
    if len(problems) == 1:
        problems = [problems[0].split(": ", 1)[1]]
    raise TransportError(f"cannot connect to {host}:{port}: {'; '.join(problems)}")


def _start_tls(sock: socket.socket, host: str, context: Optional[ssl.SSLContext], deadline: _Deadline) -> socket.socket:
    context = context or ssl.create_default_context()
    tls = context.wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
    try:
        # CPython bounds the whole handshake by the socket timeout, not each read.
        tls.settimeout(deadline.left(f"TLS handshake with {host}"))
        tls.do_handshake()
    except BaseException:  # cleanup, then re-raise: the caller maps ssl/socket errors
        tls.close()
        raise
    return tls


@dataclasses.dataclass(frozen=True)
class _Proxy:
    host: str
    port: int
    authorization: Optional[str]

    @property
    def netloc(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def _parse_proxy(text: str, error: type) -> _Proxy:
    """``[http://][user:password@]host[:port][/]``, port 80 by default (as OpenSSL and urllib read it)."""
    if "://" not in text:
        text = "http://" + text
    if not text.lower().startswith("http://"):
        raise error(f"unsupported proxy {text!r}: only http:// proxies are supported")
    parsed, info = _split_url(text, error, userinfo=True)
    authorization = None
    if info is not None:
        user, _, password = info.partition(":")
        credentials = f"{urllib.parse.unquote(user)}:{urllib.parse.unquote(password)}"
        authorization = "Basic " + base64.b64encode(credentials.encode("utf-8")).decode("ascii")
    return _Proxy(parsed.host, parsed.port, authorization)


def _proxy_for(target: OCSPURL, proxy: Union[_Proxy, str, None]) -> Optional[_Proxy]:
    """The proxy for ``target``: the explicit one, none (``""``), or the environment's (None)."""
    if isinstance(proxy, _Proxy):
        return proxy
    if proxy == "":
        return None
    # http_proxy / https_proxy (lower case first, as curl and OpenSSL read them) and no_proxy.
    candidate = urllib.request.getproxies().get(target.scheme)
    if not candidate:
        return None
    if urllib.request.proxy_bypass(target.netloc):  # host[:port], an IPv6 host in brackets
        return None
    return _parse_proxy(candidate, TransportError)


@dataclasses.dataclass(frozen=True)
class HTTPReply:
    """An accepted reply of :func:`fetch_reply`."""

    #: The HTTP status (always 200: anything else is a TransportError).
    status: int
    #: The reason phrase.
    reason: str
    #: The reply's headers, in order, repeated ones included.
    headers: Tuple[Tuple[str, str], ...]
    #: The response bytes (DER of an OCSPResponse if the responder is sane; not parsed here).
    body: bytes
    #: "GET" or "POST": how the request that got this reply was sent.
    method: str
    #: The URL of that request (for GET it holds the encoded request; after redirects, the last one).
    url: str
    #: The URLs redirected from, in order.
    redirects: Tuple[str, ...] = ()
    #: Why GET was given up for POST (the GET's error), when that happened.
    fallback: Optional[str] = None

    def header(self, name: str) -> Optional[str]:
        """The first value of the header ``name`` (case-insensitive), or None."""
        found = _values(self.headers, name.lower())
        return found[0] if found else None

    @property
    def content_type(self) -> Optional[str]:
        return self.header("content-type")

    def __repr__(self) -> str:
        shown = self.url if len(self.url) <= 80 else self.url[:77] + "..."
        return f"<HTTPReply {self.status} {self.method} {shown} {len(self.body)} bytes>"


class _Refused(TransportError):
    """The responder answered, but not with an OCSP response (a status or Content-Type the
    client refuses): the kind of failure after which GET may be retried as POST."""


@dataclasses.dataclass(frozen=True)
class _Settings:
    deadline: _Deadline
    max_size: int
    max_redirects: int
    proxy: Union[_Proxy, str, None]  # explicit, "" (direct) or None (the environment's)
    headers: Tuple[Tuple[str, str], ...]
    ssl_context: Optional[ssl.SSLContext]


def _label(method: str, url: str) -> str:
    shown = url if len(url) <= 120 else url[:100] + "..." + url[-12:]
    return f"{method} {shown}"


def _user_agent() -> str:
    return f"ocspkit/{__version__}"


def _request_head(method: str, target: str, host: str, body: Optional[bytes], settings: _Settings,
                  proxy_authorization: Optional[str]) -> bytes:
    headers: List[Tuple[str, str]] = [("Host", host), ("User-Agent", _user_agent()),
                                      ("Accept", OCSP_RESPONSE_MEDIA_TYPE)]
    if body is not None:
        headers += [("Content-Type", OCSP_REQUEST_MEDIA_TYPE), ("Content-Length", str(len(body)))]
    if proxy_authorization is not None:
        headers.append(("Proxy-Authorization", proxy_authorization))
    # One request per connection: the framing of the reply is never in doubt.
    headers.append(("Connection", "close"))
    for name, value in settings.headers:  # the caller's replace ours of the same name
        headers = [h for h in headers if h[0].lower() != name.lower()]
        headers.append((name, value))
    lines = [f"{method} {target} HTTP/1.1", *(f"{n}: {v}" for n, v in headers), "", ""]
    return "\r\n".join(lines).encode("latin-1")


def _read_head(conn: _Connection, method: str) -> http.client.HTTPResponse:
    sock_like: Any = conn
    reply = http.client.HTTPResponse(sock_like, method=method)
    reply.begin()
    return reply


def _tunnel(sock: socket.socket, target: OCSPURL, proxy: _Proxy, deadline: _Deadline) -> None:
    """CONNECT host:port through an HTTP proxy (RFC 9110 9.3.6)."""
    authority = f"[{target.host}]:{target.port}" if ":" in target.host else f"{target.host}:{target.port}"
    lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}"]
    if proxy.authorization is not None:
        lines.append(f"Proxy-Authorization: {proxy.authorization}")
    conn = _Connection(sock, deadline, f"waiting for the proxy {proxy.netloc}")
    conn.sendall(("\r\n".join([*lines, "", ""])).encode("latin-1"))
    reply = _read_head(conn, "CONNECT")
    if not 200 <= reply.status < 300:
        raise TransportError(
            f"the proxy {proxy.netloc} refused CONNECT {authority}: HTTP {reply.status} {reply.reason}",
            http_status=reply.status,
        )


def _read_body(reply: http.client.HTTPResponse, declared: Optional[int], max_size: int, label: str) -> bytes:
    chunks: List[bytes] = []
    total = 0
    while True:
        piece = reply.read(min(_READ_CHUNK, max_size + 1 - total))
        if not piece:
            break
        chunks.append(piece)
        total += len(piece)
        if total > max_size:  # never more than max_size + 1 bytes read
            raise TransportError(f"{label}: the response body is over the limit of {max_size} bytes",
                                 http_status=reply.status)
    if declared is not None and total < declared:
        raise TransportError(f"{label}: the connection closed after {total} of {declared} bytes",
                             http_status=reply.status)
    return b"".join(chunks)


def _exchange_once(
    method: str, target: OCSPURL, body: Optional[bytes], settings: _Settings
) -> Tuple[http.client.HTTPResponse, List[Tuple[str, str]], bytes]:
    """One request on one connection: the reply head, its headers, and the body (read only for a
    200 with the right Content-Type and a size within the limit)."""
    label = _label(method, target.url)
    deadline = settings.deadline
    sock: Optional[socket.socket] = None
    try:
        proxy = _proxy_for(target, settings.proxy)
        if proxy is None:
            sock = _connect(target.host, target.port, deadline)
        else:
            sock = _connect(proxy.host, proxy.port, deadline)
            if target.use_ssl:
                _tunnel(sock, target, proxy, deadline)
        if target.use_ssl:
            sock = _start_tls(sock, target.host, settings.ssl_context, deadline)
        forward = proxy is not None and not target.use_ssl
        # Through a plain-HTTP proxy the request-target is the absolute URI (RFC 9112 3.2.2).
        head = _request_head(
            method, target.url if forward else target.path, target.netloc, body, settings,
            proxy.authorization if forward and proxy is not None else None,
        )
        conn = _Connection(sock, deadline, "waiting for the reply")
        conn.sendall(head + (body or b""))
        reply = _read_head(conn, method)
        pairs = _header_pairs(reply.getheaders())
        if reply.status in _REDIRECTS:
            return reply, pairs, b""
        refused = _refuse_status(reply.status, reply.reason, pairs) or _refuse_content_type(pairs)
        if refused is not None:
            raise _Refused(f"{label}: {refused}", http_status=reply.status)
        declared = _declared_length(pairs, label, reply.status)
        if declared is not None and declared > settings.max_size:  # refused before reading
            raise TransportError(f"{label}: the Content-Length {declared} is over the limit of "
                                 f"{settings.max_size} bytes", http_status=reply.status)
        return reply, pairs, _read_body(reply, declared, settings.max_size, label)
    except TransportError as exc:
        if str(exc).startswith(label):
            raise
        raise type(exc)(f"{label}: {exc}", http_status=exc.http_status) from None
    except socket.timeout:
        raise TransportError(f"{label}: timed out after {deadline.timeout:g} s") from None
    except ssl.SSLError as exc:
        raise TransportError(f"{label}: TLS: {exc}") from None
    except http.client.RemoteDisconnected:
        raise TransportError(f"{label}: the server closed the connection without a reply") from None
    except http.client.IncompleteRead:
        # http.client raises it for a chunked body cut short and for a malformed chunk size alike.
        raise TransportError(f"{label}: the chunked body is truncated or malformed") from None
    except http.client.HTTPException as exc:
        raise TransportError(f"{label}: malformed HTTP reply: {type(exc).__name__}: {str(exc)[:120]}") from None
    except OSError as exc:
        raise TransportError(f"{label}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeError, EOFError, OverflowError) as exc:
        raise TransportError(f"{label}: malformed HTTP reply: {type(exc).__name__}: {str(exc)[:120]}") from None
    finally:
        if sock is not None:
            sock.close()


def _exchange(method: str, base: OCSPURL, der: bytes, settings: _Settings) -> HTTPReply:
    """One request, following redirects as allowed."""
    target = dataclasses.replace(base, path=_get_path(der, base)) if method == "GET" else base
    body: Optional[bytes] = der if method == "POST" else None
    seen = [target.url]
    while True:
        reply, pairs, data = _exchange_once(method, target, body, settings)
        label = _label(method, target.url)
        if reply.status not in _REDIRECTS:
            try:  # the same rules as for any reply, on the whole of it
                classify_reply(reply.status, pairs, data, max_size=settings.max_size, reason=reply.reason)
            except TransportError as exc:
                raise TransportError(f"{label}: {exc}", http_status=exc.http_status) from None
            return HTTPReply(reply.status, reply.reason, tuple(pairs), data, method, target.url, tuple(seen[:-1]))
        location = _values(pairs, "location")
        if len(seen) - 1 >= settings.max_redirects:
            refused = _refuse_status(reply.status, reply.reason, pairs)
            if settings.max_redirects == 0:
                raise _Refused(f"{label}: {refused} (redirects are not followed: max_redirects=0)",
                               http_status=reply.status)
            raise TransportError(f"{label}: {refused}: more than {settings.max_redirects} redirects",
                                 http_status=reply.status)
        if not location:
            raise TransportError(f"{label}: HTTP {reply.status} redirect without a Location", http_status=reply.status)
        try:
            new = _split_url(urllib.parse.urljoin(target.url, location[0]), TransportError)[0]
        except ValueError as exc:
            raise TransportError(f"{label}: bad redirect Location {location[0][:120]!r}: {exc}",
                                 http_status=reply.status) from None
        except TransportError as exc:
            raise TransportError(f"{label}: bad redirect Location: {exc}", http_status=reply.status) from None
        # Same scheme only: no downgrade from https, and no change of the caller's choice either.
        if new.scheme != target.scheme:
            raise TransportError(f"{label}: redirect from {target.scheme} to {new.scheme} refused "
                                 "(only same-scheme redirects are followed)", http_status=reply.status)
        if new.url in seen:
            raise TransportError(f"{label}: redirect loop back to {new.url[:120]}", http_status=reply.status)
        if reply.status == 303:  # RFC 9110 15.4.4: the answer is elsewhere, fetched with GET as it is
            method, body = "GET", None
        target = new
        seen.append(target.url)


def _check_number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise OCSPTypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise OCSPValueError(f"{name} must be a positive number of seconds, got {value}")
    return float(value)


def _extra_headers(headers: Any) -> Tuple[Tuple[str, str], ...]:
    if headers is None:
        return ()
    pairs = _header_pairs(headers)
    for name, value in pairs:
        if not _TOKEN.fullmatch(name):
            raise OCSPValueError(f"invalid header name {name!r}")
        if any(c in value for c in "\r\n\0"):
            raise OCSPValueError(f"the value of header {name} contains CR, LF or NUL")
        if name.lower() in _RESERVED_HEADERS:
            raise OCSPValueError(f"the {name} header frames the message and cannot be set")
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise OCSPValueError(f"the value of header {name} is not Latin-1") from None
    return tuple((name, value.strip()) for name, value in pairs)


def fetch_reply(
    request: Any,
    url: Union[str, OCSPURL],
    *,
    method: str = "auto",
    timeout: float = DEFAULT_TIMEOUT,
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    proxy: Optional[str] = None,
    headers: Any = None,
    ssl_context: Optional[ssl.SSLContext] = None,
    get_limit: int = GET_LIMIT,
) -> HTTPReply:
    """Send ``request`` to the responder at ``url`` and return its accepted reply.

    ``method``: ``"auto"`` uses GET when :func:`use_get` says so (RFC 5019 5 / RFC 9919 6) and POST
    otherwise; when the GET gets an answer that is not an OCSP response (an HTTP error status, an
    unfollowed redirect, a wrong Content-Type) the request is POSTed instead, within the same
    deadline (``HTTPReply.fallback`` says why). Not after a timeout or a connection failure: the
    same server would fail the POST the same way. ``"GET"`` / ``"POST"`` force one method.

    ``timeout`` bounds the whole call (resolution, connect, TLS, sending, every read, redirects and
    the fallback). At most ``max_response_size`` + 1 bytes of body are read, and a Content-Length
    above the limit is refused before reading. ``max_redirects`` (default 0, as OpenSSL) allows
    that many same-scheme redirects; a loop is refused. ``proxy``: None takes ``http_proxy`` /
    ``https_proxy`` / ``no_proxy`` from the environment (:func:`urllib.request.getproxies` and
    :func:`urllib.request.proxy_bypass`), ``""`` connects directly, ``"http://[user:pw@]host:port"``
    uses that proxy for every URL; http URLs go to the proxy with their absolute URI, https URLs
    through a CONNECT tunnel. ``headers`` adds or replaces request headers (not Content-Length,
    Transfer-Encoding or Connection). ``ssl_context`` verifies https servers (default:
    :func:`ssl.create_default_context`).

    Every failure is a :class:`~ocspkit.errors.TransportError` (``http_status`` set when a server
    answered): DNS, refused or reset connections, timeouts, TLS, malformed HTTP, statuses,
    Content-Type, sizes, truncation, redirects. Bad arguments are OCSPTypeError / OCSPValueError,
    raised before any I/O.
    """
    der = _request_der(request)
    target = parse_url(url)
    if method not in ("auto", "GET", "POST"):
        raise OCSPValueError(f"method must be 'auto', 'GET' or 'POST', got {method!r}")
    seconds = _check_number(timeout, "timeout")
    max_size = _check_max_size(max_response_size)
    if isinstance(max_redirects, bool) or not isinstance(max_redirects, int):
        raise OCSPTypeError(f"max_redirects must be an int, got {type(max_redirects).__name__}")
    if max_redirects < 0:
        raise OCSPValueError(f"max_redirects must not be negative, got {max_redirects}")
    if proxy is not None and not isinstance(proxy, str):
        raise OCSPTypeError(f"proxy must be a str or None, got {type(proxy).__name__}")
    if method == "GET" and "?" in target.path:
        raise OCSPValueError(f"cannot GET {target.url}: the URL has a query (use POST)")
    chosen = method if method != "auto" else ("GET" if use_get(der, target, get_limit) else "POST")
    settings = _Settings(
        _Deadline(seconds), max_size, max_redirects,
        _parse_proxy(proxy, OCSPValueError) if proxy else proxy, _extra_headers(headers), ssl_context,
    )
    try:
        return _exchange(chosen, target, der, settings)
    except _Refused as refused:
        if method != "auto" or chosen == "POST":
            raise TransportError(str(refused), http_status=refused.http_status) from None
        first = str(refused)
    # RFC 5019 5 / RFC 9919 6 ask responders to serve GET; not all do. POST, RFC 6960's other way.
    try:
        reply = _exchange("POST", target, der, settings)
    except TransportError as exc:
        raise TransportError(f"{exc} (after {first})", http_status=exc.http_status) from None
    return dataclasses.replace(reply, fallback=first)


def fetch(
    request: Any,
    url: Union[str, OCSPURL],
    *,
    method: str = "auto",
    timeout: float = DEFAULT_TIMEOUT,
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    proxy: Optional[str] = None,
    headers: Any = None,
    ssl_context: Optional[ssl.SSLContext] = None,
    get_limit: int = GET_LIMIT,
) -> bytes:
    """The response bytes for ``request`` from ``url``: :func:`fetch_reply` ``.body``."""
    return fetch_reply(
        request, url, method=method, timeout=timeout, max_response_size=max_response_size,
        max_redirects=max_redirects, proxy=proxy, headers=headers, ssl_context=ssl_context, get_limit=get_limit,
    ).body


# ------------------------------------------------------------------------------------------------
# The whole client


def check_certificate(
    cert: Any,
    issuer: Any,
    *,
    url: Union[str, OCSPURL, None] = None,
    trusted: Any = None,
    untrusted: Any = (),
    flags: Union[VerifyFlags, int] = VerifyFlags.NONE,
    nonce: Any = True,
    require_nonce: bool = False,
    hash_algorithm: str = DEFAULT_CERTID_HASH,
    now: Optional[_dt.datetime] = None,
    leeway: Seconds = DEFAULT_LEEWAY,
    max_age: Optional[Seconds] = None,
    timeout: float = DEFAULT_TIMEOUT,
    method: str = "auto",
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    proxy: Optional[str] = None,
    headers: Any = None,
    ssl_context: Optional[ssl.SSLContext] = None,
) -> CertificateStatus:
    """Ask ``cert``'s OCSP responder about it and return the checked status.

    1. The responder: ``url``, else the http(s) OCSP URLs of ``cert``'s AuthorityInfoAccess
       (:func:`ocsp_urls`), tried in order while they fail with a TransportError (each with its
       own ``timeout``). None usable: :class:`~ocspkit.errors.TransportError` (a client that
       soft-fails on "could not ask" catches one class).
    2. The request: one CertID hashed with ``hash_algorithm`` and, by default, a nonce
       (``nonce=False`` for none, bytes or a length for a given one).
    3. :func:`fetch_reply` (GET or POST, see there).
    4. :func:`ocspkit.check_status` with ``trusted``, ``untrusted``, ``flags``, ``now``,
       ``leeway``, ``max_age``: the status only if signature, authorization, CertID, validity and
       nonce hold; otherwise its VerificationError, UnsuccessfulResponse or ParseError.

    The nonce (RFC 5019 4 / RFC 9919 5): one is sent, a response without one is accepted and
    judged on time alone (responders that pre-sign cannot echo it; OpenSSL's client only warns),
    a different one is refused (:class:`~ocspkit.errors.NonceMismatch`). ``require_nonce=True``
    refuses a response without the nonce too.
    """
    if url is not None:
        candidates = [parse_url(url)]
    else:
        listed = ocsp_urls(cert)
        candidates = []
        skipped: List[str] = []
        for text in listed:
            try:
                candidates.append(parse_url(text))
            except OCSPValueError as exc:
                skipped.append(str(exc))
        if not candidates:
            detail = "; ".join(skipped) if skipped else "it has no id-ad-ocsp AuthorityInfoAccess entry"
            raise TransportError(f"no OCSP responder URL for the certificate: {detail}")
    # SHA-1 CertIDs by default: what deployed (pre-signing) responders index and RFC 5019 2.1.1
    # mandates; RFC 9919 3.1.1 moves new clients to SHA-256, so hash_algorithm="sha256" where served.
    builder = RequestBuilder().add_cert(cert, issuer, hash_algorithm)
    # A nonce by default, as OpenSSL's client sends one; a response without it is still accepted
    # below (RFC 5019 4 / RFC 9919 5), one with another nonce never is.
    if nonce is not False and nonce is not None:
        builder = builder.with_nonce(nonce)
    request = builder.build()
    failures: List[TransportError] = []
    for candidate in candidates:
        try:
            reply = fetch_reply(
                request, candidate, method=method, timeout=timeout, max_response_size=max_response_size,
                max_redirects=max_redirects, proxy=proxy, headers=headers, ssl_context=ssl_context,
            )
        except TransportError as exc:
            failures.append(exc)
            continue
        return check_status(
            reply.body, cert, issuer, request=request, trusted=trusted, untrusted=untrusted, flags=flags,
            now=now, leeway=leeway, max_age=max_age, allow_missing_nonce=not require_nonce,
        )
    if len(failures) == 1:
        raise failures[0]
    raise TransportError(
        f"every OCSP responder failed ({len(failures)}): " + " | ".join(str(f) for f in failures),
        http_status=failures[-1].http_status,
    )

