"""ocspkit.http: the sans-I/O pieces against independent oracles (libcrypto's OSSL_HTTP_parse_url,
what ``openssl ocsp`` sends, ``openssl base64``, RFC 9919's example, ``openssl x509 -ocsp_uri``),
the client against a live ``openssl ocsp`` responder, and against hostile servers and proxies run
in this process on 127.0.0.1 (every failure must be a TransportError, within its deadline).

OpenSSL 3.0's ``openssl ocsp`` always POSTs (it has no ``-method``); for GET, its responder is the
oracle: it logs the request line it received and answers only if the path decodes to the request.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import dataclasses
import datetime as dt
import os
import re
import select
import socket
import ssl
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import pytest
from _interop_helpers import index_line
from _openssl_cli import OpenSSLResponder, run
from conftest import libcrypto_cdll, manifest_entries, vectors_dir

import ocspkit
from ocspkit import http as ocsp_http
from ocspkit.enums import CertStatus, NonceCheck
from ocspkit.errors import (
    NonceMismatch,
    OCSPTypeError,
    OCSPValueError,
    ParseError,
    TransportError,
    UnsuccessfulResponse,
)
from ocspkit.http import OCSPURL, classify_reply, get_url, ocsp_urls, parse_url, post_body, use_get
from ocspkit.testing import TestPKI

OCSP_TYPE = "application/ocsp-response"
SLACK = 1.5  # seconds a deadline may be overrun by a loaded test machine


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests talk to 127.0.0.1 directly unless a test sets a proxy itself."""
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="module")
def ec_pki() -> TestPKI:
    return TestPKI("ec")


@pytest.fixture(scope="module")
def request_der(ec_pki: TestPKI) -> bytes:
    leaf = ec_pki.issue_leaf("request.example")
    return ocspkit.RequestBuilder().add_cert(leaf.certificate, ec_pki.intermediate.certificate).build().dump()


# ================================================================================================
# parse_url (OCSP_parse_url)


GOOD_URLS = [
    ("http://ocsp.example.com", ("http", "ocsp.example.com", 80, "/", False), "http://ocsp.example.com/"),
    ("https://ocsp.example.com", ("https", "ocsp.example.com", 443, "/", True), "https://ocsp.example.com/"),
    ("HTTP://OCSP.Example.COM:8080/a/b", ("http", "ocsp.example.com", 8080, "/a/b", False),
     "http://ocsp.example.com:8080/a/b"),
    ("http://h/p?x=1&y=%2F#frag", ("http", "h", 80, "/p?x=1&y=%2F", False), "http://h/p?x=1&y=%2F"),
    ("http://h?q", ("http", "h", 80, "/?q", False), "http://h/?q"),
    ("http://h#f", ("http", "h", 80, "/", False), "http://h/"),
    ("http://h:80/", ("http", "h", 80, "/", False), "http://h/"),
    ("https://h:443", ("https", "h", 443, "/", True), "https://h/"),
    ("http://h:443/", ("http", "h", 443, "/", False), "http://h:443/"),
    ("http://192.0.2.1:2560/", ("http", "192.0.2.1", 2560, "/", False), "http://192.0.2.1:2560/"),
    ("http://[::1]/", ("http", "::1", 80, "/", False), "http://[::1]/"),
    ("https://[2001:DB8::1]:8443/ocsp", ("https", "2001:db8::1", 8443, "/ocsp", True), "https://[2001:db8::1]:8443/ocsp"),
    ("http://[::ffff:192.0.2.1]:1/", ("http", "::ffff:192.0.2.1", 1, "/", False), "http://[::ffff:192.0.2.1]:1/"),
    ("http://h:65535//double//slash", ("http", "h", 65535, "//double//slash", False), "http://h:65535//double//slash"),
    ("http://under_score.local./x", ("http", "under_score.local.", 80, "/x", False), "http://under_score.local./x"),
]

BAD_URLS = [
    ("", "expected http://"),
    ("ocsp.example.com", "expected http://"),
    ("ocsp.example.com:80/x", "expected http://"),  # OpenSSL takes it as http; ocspkit wants the scheme
    ("ftp://h/", "expected http://"),
    ("ldap://ldap.example.com/cn=x", "expected http://"),
    ("http:/h/", "expected http://"),
    ("http://", "the host is empty"),
    ("http:///path", "the host is empty"),
    ("http://:80/", "the host is empty"),
    ("http://user@h/", "user information"),
    ("http://user:pw@h/", "user information"),
    ("http://evil.example\\@good.example/", "user information"),
    ("http://h:0/", "port '0'"),
    ("http://h:65536/", "port '65536'"),
    ("http://h:99999/", "port '99999'"),
    ("http://h:/", "port ''"),
    ("http://h:8a/", "port '8a'"),
    ("http://h:-1/", "port '-1'"),
    ("http://h:+80/", "port '+80'"),
    ("http://[::1/", "closing ']'"),
    ("http://[::1]x/", "unexpected text after the IPv6 address"),
    ("http://[nope]/", "is not an IPv6 address"),
    ("http://[192.0.2.1]/", "is not an IPv6 address"),
    ("http://[fe80::1%25eth0]/", "zone identifiers"),
    ("http://h%2F/", "is not a host name"),
    ("http://h!x/", "is not a host name"),
    ("http://h h/", "printable ASCII"),
    ("http://h/a b", "printable ASCII"),
    ("http://h/\r\nX-Injected: 1", "printable ASCII"),
    ("http://h/\x00", "printable ASCII"),
    ("http://h\u00e9.example/", "printable ASCII"),
    (" http://h/", "printable ASCII"),
]


@pytest.mark.parametrize(("url", "fields", "normalized"), GOOD_URLS, ids=[u[0] for u in GOOD_URLS])
def test_parse_url_accepts(url: str, fields: Tuple[Any, ...], normalized: str) -> None:
    parsed = parse_url(url)
    assert dataclasses.astuple(parsed) == fields
    assert str(parsed) == parsed.url == normalized
    assert parse_url(normalized) == parsed  # normalizing is idempotent
    assert parse_url(parsed) is parsed


@pytest.mark.parametrize(("url", "message"), BAD_URLS, ids=[repr(u[0]) for u in BAD_URLS])
def test_parse_url_refuses(url: str, message: str) -> None:
    with pytest.raises(OCSPValueError, match=re.escape(message)) as info:
        parse_url(url)
    assert isinstance(info.value, ValueError) and isinstance(info.value, ocspkit.OCSPError)


def test_parse_url_types_and_netloc() -> None:
    for wrong in (None, b"http://h/", 1):
        with pytest.raises(OCSPTypeError):
            parse_url(wrong)  # type: ignore[arg-type]
    assert parse_url("http://[::1]:8080/").netloc == "[::1]:8080"
    assert parse_url("https://h:443/").netloc == "h"
    url = parse_url("http://h/x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        url.port = 1  # type: ignore[misc]
    assert OCSPURL("http", "h", 80, "/x", False) == url
    with pytest.raises(OCSPValueError) as info:
        parse_url("ftp://" + "x" * 300)
    assert "x" * 300 not in str(info.value)  # long URLs are cut in messages


class _LibcryptoURL:
    """libcrypto's OSSL_HTTP_parse_url (OCSP_parse_url is a macro over it in OpenSSL 3)."""

    def __init__(self) -> None:
        lib = libcrypto_cdll("OSSL_HTTP_parse_url")
        self.lib = lib
        out = ctypes.POINTER(ctypes.c_void_p)
        lib.OSSL_HTTP_parse_url.argtypes = [
            ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), out, out, out, ctypes.POINTER(ctypes.c_int),
            out, out, out,
        ]
        lib.OSSL_HTTP_parse_url.restype = ctypes.c_int
        lib.CRYPTO_free.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        lib.CRYPTO_free.restype = None
        lib.ERR_clear_error.argtypes = []
        lib.ERR_clear_error.restype = None

    def parse(self, url: str) -> Optional[Tuple[bool, str, int, str]]:
        """(use_ssl, host, port, path) as OCSP_parse_url gives them, or None when it fails."""
        use_ssl, port_num = ctypes.c_int(), ctypes.c_int()
        user, host, port, path = (ctypes.c_void_p() for _ in range(4))
        ok = self.lib.OSSL_HTTP_parse_url(
            url.encode("latin-1"), ctypes.byref(use_ssl), ctypes.byref(user), ctypes.byref(host),
            ctypes.byref(port), ctypes.byref(port_num), ctypes.byref(path), None, None,
        )
        try:
            if not ok:
                return None
            text = [ctypes.string_at(p.value).decode("latin-1") if p.value else "" for p in (host, path)]
            return bool(use_ssl.value), text[0], port_num.value, text[1]
        finally:
            for pointer in (user, host, port, path):
                if pointer.value:
                    self.lib.CRYPTO_free(pointer, b"test_http", 0)
            self.lib.ERR_clear_error()


# Where ocspkit deliberately differs from OpenSSL 3.0 (docs/http.md lists the same).
OPENSSL_ACCEPTS_OCSPKIT_REFUSES = {
    "": "no scheme: OpenSSL assumes http, and takes an empty host",
    "ocsp.example.com": "no scheme: OpenSSL assumes http",
    "ocsp.example.com:80/x": "no scheme: OpenSSL assumes http",
    "http://": "OpenSSL returns an empty host",
    "http:///path": "OpenSSL returns an empty host",
    "http://:80/": "OpenSSL returns an empty host",
    "http://user@h/": "OpenSSL drops user information silently",
    "http://user:pw@h/": "OpenSSL drops user information silently",
    "http://evil.example\\@good.example/": "OpenSSL drops user information silently",
    "http://h:0/": "OpenSSL turns port 0 into the default port",
    "http://[nope]/": "OpenSSL does not check the IPv6 literal",
    "http://[192.0.2.1]/": "OpenSSL does not check the IPv6 literal",
    "http://[fe80::1%25eth0]/": "OpenSSL does not check the IPv6 literal",
    "http://h%2F/": "OpenSSL does not check the host's characters",
    "http://h!x/": "OpenSSL does not check the host's characters",
    "http://h h/": "OpenSSL passes spaces through",
    "http://h/a b": "OpenSSL passes spaces through",
    "http://h\u00e9.example/": "OpenSSL passes bytes above 0x7E through",
}
OCSPKIT_ACCEPTS_OPENSSL_REFUSES = {
    "HTTP://OCSP.Example.COM:8080/a/b": "RFC 3986 3.1: the scheme is case-insensitive; OpenSSL 3.0 wants lower case",
}


def test_parse_url_matches_libcrypto() -> None:
    """parse_url (OCSP_parse_url) against libcrypto's own parser on every URL above: the same
    scheme, host, port and path, except for the documented differences."""
    libcrypto = _LibcryptoURL()
    seen_differences = set()
    for url, _fields, _normalized in GOOD_URLS:
        ours = parse_url(url)
        theirs = libcrypto.parse(url)
        if url in OCSPKIT_ACCEPTS_OPENSSL_REFUSES:
            assert theirs is None, url
            seen_differences.add(url)
            continue
        assert theirs is not None, url
        use_ssl, host, port, path = theirs
        # OpenSSL keeps the brackets of an IPv6 literal and the host's letter case.
        assert (use_ssl, host.strip("[]").lower(), port, path) == (ours.use_ssl, ours.host, ours.port, ours.path), url
    for url, _message in BAD_URLS:
        if "\x00" in url or " http" in url:
            continue  # a C string ends at NUL; a leading space is refused by both
        theirs = libcrypto.parse(url)
        if url in OPENSSL_ACCEPTS_OCSPKIT_REFUSES:
            assert theirs is not None, url
            seen_differences.add(url)
        else:
            assert theirs is None, (url, theirs)
    assert libcrypto.parse(" http://h/") is None
    assert seen_differences == set(OPENSSL_ACCEPTS_OCSPKIT_REFUSES) | set(OCSPKIT_ACCEPTS_OPENSSL_REFUSES)


# ================================================================================================
# GET and POST encodings (RFC 6960 A.1, RFC 5019 5 / RFC 9919 6)

RFC9919_EXAMPLE = (
    "http://ocsp.example.com/MEowSDBGMEQwQjAKBggqhkiG9w0CBQQQ7sp6GTKpL2dA"
    "deGaW267owQQqInESWQD0mGeBArSgv%2FBWQIQLJx%2Fg9xF8oySYzol80Mbpg%3D%3D"
)


def test_get_url_reproduces_the_rfc_9919_example() -> None:
    """RFC 9919 6 (and RFC 5019 5) show a GET URL; its request, encoded again, gives it back."""
    encoded = RFC9919_EXAMPLE.rsplit("/", 1)[1]
    der = base64.b64decode(urllib.parse.unquote(encoded), validate=True)
    assert get_url(der, "http://ocsp.example.com") == RFC9919_EXAMPLE
    assert get_url(der, "http://ocsp.example.com/") == RFC9919_EXAMPLE
    assert use_get(der, "http://ocsp.example.com")


def test_get_url_paths(request_der: bytes) -> None:
    encoded = get_url(request_der, "http://h").rsplit("/", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9%]+", encoded)
    assert set(re.findall(r"%..", encoded)) <= {"%2B", "%2F", "%3D"}
    assert base64.b64decode(urllib.parse.unquote(encoded)) == request_der
    # One "/" between the base URL's path and the request, whether the base ends in one or not.
    assert get_url(request_der, "http://h/ocsp") == f"http://h/ocsp/{encoded}"
    assert get_url(request_der, "http://h/ocsp/") == f"http://h/ocsp/{encoded}"
    assert get_url(request_der, "http://h/a/b//") == f"http://h/a/b//{encoded}"
    assert get_url(request_der, "https://[::1]:8443") == f"https://[::1]:8443/{encoded}"
    assert get_url(request_der, "http://h#fragment") == f"http://h/{encoded}"
    assert get_url(request_der, parse_url("http://H:80/x")) == f"http://h/x/{encoded}"
    with pytest.raises(OCSPValueError, match="query"):
        get_url(request_der, "http://h/ocsp?x=1")
    # The request as a view, as DER in any bytes-like form, and as PEM: the same URL.
    view = ocspkit.load_request(request_der)
    for form in (view, bytearray(request_der), memoryview(request_der), view.pem()):
        assert get_url(form, "http://h/ocsp") == f"http://h/ocsp/{encoded}"
    for wrong in ("MEow", None, 42):
        with pytest.raises(OCSPTypeError):
            get_url(wrong, "http://h/")
    with pytest.raises(OCSPValueError, match="empty"):
        get_url(b"", "http://h/")
    with pytest.raises(ParseError):
        get_url(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "http://h/")


def test_get_url_base64_matches_openssl(ec_pki: TestPKI, openssl_bin: str, tmp_path: Path) -> None:
    """The encoded request is `openssl base64 -A` of the DER, URL-encoded, for requests of every
    length modulo 3 (so with "", "=" and "==" padding) and with the "+" and "/" characters."""
    builder = ocspkit.RequestBuilder().add_cert(ec_pki.intermediate.certificate, ec_pki.root.certificate)
    seen_padding, seen_escapes = set(), set()
    for length in range(16, 40):
        der = builder.with_nonce(bytes(range(200, 200 + length))).build().dump()
        (tmp_path / "r.der").write_bytes(der)
        theirs = run([openssl_bin, "base64", "-A", "-in", tmp_path / "r.der"]).stdout.strip()
        ours = get_url(der, "http://h/").rsplit("/", 1)[1]
        assert urllib.parse.unquote(ours) == theirs
        assert ours == theirs.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
        seen_padding.add(len(theirs) - len(theirs.rstrip("=")))
        seen_escapes.update(re.findall(r"%..", ours))
    assert seen_padding == {0, 1, 2}
    assert seen_escapes == {"%2B", "%2F", "%3D"}


def test_post_body(request_der: bytes) -> None:
    body, headers = post_body(request_der)
    assert body == request_der
    assert headers == {"Content-Type": "application/ocsp-request", "Accept": "application/ocsp-response"}
    assert post_body(ocspkit.load_request(request_der))[0] == request_der


def test_use_get_measures_the_whole_url(request_der: bytes) -> None:
    """RFC 5019 5 / RFC 9919 6: GET when the whole URL (scheme, delimiters, server name, path and
    encoded request) is at most 255 bytes; POST beyond."""
    shortest = len(get_url(request_der, "http://h/"))
    assert shortest < 255
    pad = 255 - shortest
    exactly = "http://h/" + "p" * (pad - 1)  # the padded path takes a "/" before the request
    assert len(get_url(request_der, exactly)) == 255
    assert use_get(request_der, exactly)
    assert not use_get(request_der, exactly + "p")
    assert use_get(request_der, exactly + "p", limit=256)
    assert not use_get(request_der, "http://h/?x")  # a query cannot take a request after the path
    # The default port is not written, so it does not count.
    assert use_get(request_der, exactly.replace("http://h/", "http://h:80/"))
    assert not use_get(request_der, exactly.replace("http://h/", "http://h:8/"))
    with pytest.raises(OCSPTypeError):
        use_get(request_der, "http://h/", limit="255")  # type: ignore[arg-type]


# ================================================================================================
# classify_reply (RFC 6960 A.2)

DER = bytes.fromhex("30030a0101")  # a malformedRequest OCSPResponse: any bytes will do here


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"Content-Type": OCSP_TYPE}, DER),
        ({"content-type": "Application/OCSP-Response"}, DER),
        ({"Content-Type": "application/ocsp-response; charset=binary"}, DER),
        ({"Content-Type": " application/ocsp-response ;x=y"}, DER),
        ([("Content-Type", OCSP_TYPE), ("Content-Type", OCSP_TYPE)], DER),
        ({"Content-Type": OCSP_TYPE, "Content-Length": "5"}, DER),
        ({"Content-Type": OCSP_TYPE, "Content-Length": "5, 5"}, DER),
        ({"Content-Type": OCSP_TYPE, "Content-Length": "999", "Transfer-Encoding": "chunked"}, DER),
        ({"Content-Type": OCSP_TYPE, "Content-Encoding": "identity"}, DER),
        ([(b"Content-Type", b"application/ocsp-response")], bytearray(DER)),
        ({"Content-Type": OCSP_TYPE}, b"not DER at all"),  # load_response judges the bytes, not this
    ],
)
def test_classify_reply_accepts(headers: Any, body: bytes) -> None:
    assert classify_reply(200, headers, body) == bytes(body)


@pytest.mark.parametrize(
    ("status", "headers", "body", "max_size", "message"),
    [
        (500, {"Content-Type": OCSP_TYPE}, DER, 100, "HTTP 500"),
        (404, {}, b"", 100, "HTTP 404"),
        (204, {"Content-Type": OCSP_TYPE}, b"", 100, "HTTP 204"),
        (302, {"Location": "http://elsewhere/"}, b"", 100, "redirect to 'http://elsewhere/'"),
        (301, {}, b"", 100, "redirect without a Location"),
        (200, {}, DER, 100, "no Content-Type"),
        (200, {"Content-Type": "text/html"}, DER, 100, "unexpected Content-Type 'text/html'"),
        (200, {"Content-Type": "application/ocsp-request"}, DER, 100, "unexpected Content-Type"),
        (200, {"Content-Type": "application/ocsp-responsex"}, DER, 100, "unexpected Content-Type"),
        (200, [("Content-Type", OCSP_TYPE), ("Content-Type", "text/plain")], DER, 100, "unexpected Content-Type"),
        (200, {"Content-Type": OCSP_TYPE, "Content-Length": "abc"}, DER, 100, "invalid Content-Length abc"),
        (200, {"Content-Type": OCSP_TYPE, "Content-Length": "-5"}, DER, 100, "invalid Content-Length"),
        (200, [("Content-Type", OCSP_TYPE), ("Content-Length", "5"), ("Content-Length", "6")], DER, 100,
         "invalid Content-Length"),
        (200, {"Content-Type": OCSP_TYPE, "Content-Length": "4"}, DER, 100, "Content-Length is 4 but"),
        (200, {"Content-Type": OCSP_TYPE, "Content-Length": "101"}, b"x" * 101, 100, "101 bytes, over the limit"),
        (200, {"Content-Type": OCSP_TYPE, "Content-Length": "99999999999"}, DER, 100, "over the limit"),
        # Past Python's 4300-digit int() limit: refused, not a ValueError, and not echoed whole.
        (200, {"Content-Type": OCSP_TYPE, "Content-Length": "9" * 5000}, DER, 100, "... (5000 characters)"),
        (200, {"Content-Type": OCSP_TYPE}, b"x" * 101, 100, "over the limit of 100"),
        (200, {"Content-Type": OCSP_TYPE, "Transfer-Encoding": "gzip, chunked"}, DER, 100, "Transfer-Encoding"),
        (200, {"Content-Type": OCSP_TYPE, "Content-Encoding": "gzip"}, DER, 100, "Content-Encoding gzip"),
        (200, {"Content-Type": OCSP_TYPE}, b"", 100, "empty body"),
    ],
)
def test_classify_reply_refuses(status: int, headers: Any, body: bytes, max_size: int, message: str) -> None:
    with pytest.raises(TransportError, match=re.escape(message)) as info:
        classify_reply(status, headers, body, max_size=max_size)
    assert info.value.http_status == status


def test_classify_reply_misuse() -> None:
    with pytest.raises(OCSPTypeError):
        classify_reply("200", {}, DER)  # type: ignore[arg-type]
    with pytest.raises(OCSPTypeError):
        classify_reply(200, {"Content-Type": OCSP_TYPE}, "text")
    with pytest.raises(OCSPTypeError):
        classify_reply(200, [("Content-Type",)], DER)
    with pytest.raises(OCSPTypeError):
        classify_reply(200, 5, DER)
    with pytest.raises(OCSPValueError):
        classify_reply(200, {"Content-Type": OCSP_TYPE}, DER, max_size=0)
    with pytest.raises(OCSPTypeError):
        classify_reply(200, {"Content-Type": OCSP_TYPE}, DER, max_size=True)
    assert classify_reply(200, {"Content-Type": OCSP_TYPE}, DER, max_size=5) == DER


# ================================================================================================
# ocsp_urls (AuthorityInfoAccess)


def test_ocsp_urls_from_test_pki() -> None:
    url = "http://ocsp.example.test:8080/intermediate?x=1"
    pki = TestPKI("ec", ocsp_url=url)
    leaf = pki.issue_leaf("aia.example")
    assert ocsp_urls(leaf.certificate) == [url]
    for form in (leaf.cert_der, leaf.cert_pem, leaf.cert_pem.decode("ascii")):
        assert ocsp_urls(form) == [url]
    assert ocsp_urls(pki.root.certificate) == []
    assert ocsp_urls(pki.intermediate.cert_der) == []
    assert ocsp_urls(pki.issue_leaf("no-aia.example", ocsp_url=None).certificate) == []
    ldap = pki.issue_leaf("ldap.example", ocsp_url="ldap://ldap.example.test/cn=ocsp")
    assert ocsp_urls(ldap.certificate) == ["ldap://ldap.example.test/cn=ocsp"]  # listed, refused by parse_url
    with pytest.raises(OCSPTypeError):
        ocsp_urls(42)


def _certificate_with_aia(pki: TestPKI, descriptions: Any) -> bytes:
    """A leaf of ``pki`` with the given AuthorityInfoAccess entries (signature left stale: only the
    extension is read)."""
    from asn1crypto import x509

    cert = pki.issue_leaf("aia.example", ocsp_url="http://placeholder.example/").certificate
    tbs = cert["tbs_certificate"]
    extensions = [
        x509.Extension({"extn_id": "authority_information_access", "critical": False,
                        "extn_value": x509.AuthorityInfoAccessSyntax(descriptions)})
        if extension["extn_id"].native == "authority_information_access" else extension
        for extension in tbs["extensions"]
    ]
    fields = ("version", "serial_number", "signature", "issuer", "validity", "subject", "subject_public_key_info")
    tbs = x509.TbsCertificate({**{k: tbs[k] for k in fields}, "extensions": extensions})
    return bytes(x509.Certificate({"tbs_certificate": tbs, "signature_algorithm": cert["signature_algorithm"],
                                   "signature_value": cert["signature_value"]}).dump())


def test_ocsp_urls_order_kinds_and_hostile_extensions(ec_pki: TestPKI, openssl_bin: str, tmp_path: Path) -> None:
    descriptions = [
        {"access_method": "ca_issuers", "access_location": {"uniform_resource_identifier": "http://ca.example/i.crt"}},
        {"access_method": "ocsp", "access_location": {"uniform_resource_identifier": "http://first.example/"}},
        {"access_method": "ocsp", "access_location": {"dns_name": "not-a-uri.example"}},
        {"access_method": "ocsp", "access_location": {"uniform_resource_identifier": "http://second.example:81/x"}},
    ]
    der = _certificate_with_aia(ec_pki, descriptions)
    assert ocsp_urls(der) == ["http://first.example/", "http://second.example:81/x"]
    (tmp_path / "c.der").write_bytes(der)
    theirs = run([openssl_bin, "x509", "-noout", "-ocsp_uri", "-inform", "DER", "-in", tmp_path / "c.der"])
    assert theirs.stdout.split() == ["http://first.example/", "http://second.example:81/x"]
    # An IRI stays as written: asn1crypto's .native would decode %-escapes and punycode.
    iri = "http://xn--bcher-kva.example/%C3%A9"
    assert ocsp_urls(_certificate_with_aia(ec_pki, [
        {"access_method": "ocsp", "access_location": {"uniform_resource_identifier": iri}}])) == [iri]
    # Malformed extension values (same lengths, so the certificate around them still parses).
    url = b"http://first.example/"
    at = der.index(b"\x86" + bytes([len(url)]) + url)
    for offset, byte in ((0, 0x89), (1, len(url) + 9), (-12, 0x31), (-10, 0x05)):  # tags and a length
        patched = bytearray(der)
        patched[at + offset] = byte
        with pytest.raises(ParseError, match="AuthorityInfoAccessSyntax"):
            ocsp_urls(bytes(patched))


CERTIFICATE_VECTORS = manifest_entries("certificate")


@pytest.mark.parametrize("entry", CERTIFICATE_VECTORS, ids=[e["file"] for e in CERTIFICATE_VECTORS])
def test_ocsp_urls_of_vectors_match_openssl(entry: Dict[str, Any], openssl_bin: str) -> None:
    path = vectors_dir() / entry["file"]
    form = "DER" if path.suffix == ".der" else "PEM"
    theirs = run([openssl_bin, "x509", "-noout", "-ocsp_uri", "-inform", form, "-in", path])
    if entry["openssl_observed"].get("openssl_parse") != "ok":
        assert theirs.returncode != 0
        with contextlib.suppress(ParseError):
            assert isinstance(ocsp_urls(path.read_bytes()), list)  # ocspkit reads what OpenSSL refuses
        return
    assert theirs.returncode == 0, theirs.stderr
    assert ocsp_urls(path.read_bytes()) == theirs.stdout.split()


def test_some_vectors_have_ocsp_urls() -> None:
    found = [ocsp_urls((vectors_dir() / e["file"]).read_bytes()) for e in CERTIFICATE_VECTORS
             if e["openssl_observed"].get("openssl_parse") == "ok"]
    assert sum(1 for urls in found if urls) >= 5
    assert all(parse_url(url).scheme == "http" for urls in found for url in urls)


# ================================================================================================
# In-process servers (127.0.0.1 only; every one stops with the test)


def read_request(conn: socket.socket, limit: int = 1 << 20) -> Tuple[bytes, bytes]:
    """An HTTP request's head (request line and headers) and body (by Content-Length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            return data, b""
        data += piece
        if len(data) > limit:
            break
    head, _, body = data.partition(b"\r\n\r\n")
    match = re.search(rb"\r\ncontent-length:\s*(\d+)", head, re.I)
    length = int(match.group(1)) if match else 0
    while len(body) < length:
        piece = conn.recv(65536)
        if not piece:
            break
        body += piece
    return head, body


def header(head: bytes, name: str) -> Optional[str]:
    match = re.search(rb"\r\n" + name.encode() + rb":\s*([^\r\n]*)", head, re.I)
    return match.group(1).decode("latin-1") if match else None


Handler = Callable[["Server", socket.socket, bytes, bytes], None]


class Server:
    """A TCP server on 127.0.0.1: each connection's request is read and recorded, then ``handler``
    answers it, in a daemon thread. ``close`` ends everything (handlers wait on ``stopping``)."""

    def __init__(self, handler: Handler, *, tls: Optional[ssl.SSLContext] = None, read: bool = True,
                 host: str = "127.0.0.1") -> None:
        self.handler = handler
        self.tls = tls
        self.read = read
        self.netloc_host = f"[{host}]" if ":" in host else host
        self.listener = socket.create_server((host, 0), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.requests: List[Tuple[bytes, bytes]] = []
        self.errors: List[BaseException] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._sockets: List[socket.socket] = []
        self._threads: List[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def url(self, path: str = "/", scheme: str = "http") -> str:
        return f"{scheme}://{self.netloc_host}:{self.port}{path}"

    @property
    def methods(self) -> List[str]:
        return [head.split(b" ", 1)[0].decode() for head, _ in self.requests]

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self._lock:
                self._sockets.append(conn)
                thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
                self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(10)
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
                with self._lock:
                    self._sockets.append(conn)
            head, body = read_request(conn) if self.read else (b"", b"")
            with self._lock:
                self.requests.append((head, body))
            self.handler(self, conn, head, body)
        except (OSError, ValueError):
            pass  # the client hung up, as it is entitled to
        except Exception as exc:  # reported by close(), never raised in a thread
            self.errors.append(exc)
        finally:
            conn.close()

    def close(self) -> None:
        self.stopping.set()
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() at once on Linux
        self._acceptor.join(5)
        self.listener.close()
        with self._lock:
            sockets, threads = list(self._sockets), list(self._threads)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        for thread in threads:
            thread.join(5)
        assert not self.errors, self.errors


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    servers: List[Server] = []

    def start(handler: Handler, **options: Any) -> Server:
        server = Server(handler, **options)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def http_reply(status: int = 200, reason: str = "OK", headers: Sequence[Tuple[str, str]] = (),
               body: bytes = b"", *, content_type: Optional[str] = OCSP_TYPE, length: bool = True,
               version: str = "HTTP/1.1") -> bytes:
    lines = [f"{version} {status} {reason}"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    if length:
        lines.append(f"Content-Length: {len(body)}")
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join([*lines, "", ""])).encode("latin-1") + body


def answer(data: bytes) -> Handler:
    def handler(server: Server, conn: socket.socket, head: bytes, body: bytes) -> None:
        conn.sendall(data)

    return handler


def hold(server: Server, conn: socket.socket, head: bytes, body: bytes) -> None:
    """Read the request and never answer (until the test ends)."""
    server.stopping.wait(30)


# ================================================================================================
# The client against in-process servers


def test_fetch_get_then_the_exact_request_bytes(serve: Callable[..., Server], request_der: bytes) -> None:
    server = serve(answer(http_reply(body=DER, headers=[("X-Extra", "1")])))
    reply = ocsp_http.fetch_reply(request_der, server.url("/ocsp"), headers={"X-Client": "yes"})
    assert (reply.status, reply.reason, reply.body, reply.method) == (200, "OK", DER, "GET")
    assert reply.url == get_url(request_der, server.url("/ocsp"))
    assert reply.header("x-extra") == "1" and reply.content_type == OCSP_TYPE and reply.header("nope") is None
    assert reply.redirects == () and reply.fallback is None
    head, body = server.requests[0]
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0] == f"GET {reply.url.split(str(server.port), 1)[1]} HTTP/1.1"
    assert lines[1:] == [
        f"Host: 127.0.0.1:{server.port}", f"User-Agent: ocspkit/{ocspkit.__version__}",
        "Accept: application/ocsp-response", "Connection: close", "X-Client: yes",
    ]
    assert body == b""
    assert ocsp_http.fetch(request_der, server.url("/ocsp")) == DER


def test_fetch_post(serve: Callable[..., Server], request_der: bytes) -> None:
    server = serve(answer(http_reply(body=DER)))
    reply = ocsp_http.fetch_reply(request_der, server.url("/a?b=c"), headers=[("User-Agent", "custom")])
    assert reply.method == "POST"  # a URL with a query cannot take GET
    head, body = server.requests[0]
    assert body == request_der
    lines = head.decode("latin-1").split("\r\n")
    assert lines == [
        "POST /a?b=c HTTP/1.1", f"Host: 127.0.0.1:{server.port}", "Accept: application/ocsp-response",
        "Content-Type: application/ocsp-request", f"Content-Length: {len(request_der)}", "Connection: close",
        "User-Agent: custom",
    ]
    assert ocsp_http.fetch_reply(request_der, server.url("/"), method="POST").method == "POST"
    view = ocspkit.load_request(request_der)
    assert ocsp_http.fetch_reply(view, server.url("/" + "x" * 200)).method == "POST"  # a GET URL over 255
    assert ocsp_http.fetch_reply(request_der, server.url("/"), get_limit=10).method == "POST"
    assert ocsp_http.fetch_reply(request_der, server.url("/" + "x" * 200), method="GET").method == "GET"


def test_fetch_argument_checks(request_der: bytes) -> None:
    url = "http://127.0.0.1:9/"
    cases: List[Tuple[Dict[str, Any], type]] = [
        ({"method": "PUT"}, OCSPValueError), ({"method": "get"}, OCSPValueError),
        ({"timeout": 0}, OCSPValueError), ({"timeout": -1}, OCSPValueError),
        ({"timeout": float("inf")}, OCSPValueError), ({"timeout": float("nan")}, OCSPValueError),
        ({"timeout": "1"}, OCSPTypeError), ({"timeout": True}, OCSPTypeError),
        ({"max_response_size": 0}, OCSPValueError), ({"max_response_size": 1.5}, OCSPTypeError),
        ({"max_redirects": -1}, OCSPValueError), ({"max_redirects": 1.0}, OCSPTypeError),
        ({"proxy": 8080}, OCSPTypeError), ({"proxy": "https://proxy.example:3128"}, OCSPValueError),
        ({"proxy": "http://proxy.example:0"}, OCSPValueError),
        ({"headers": {"Bad Name": "x"}}, OCSPValueError), ({"headers": {"X": "a\r\nInjected: 1"}}, OCSPValueError),
        ({"headers": {"Content-Length": "1"}}, OCSPValueError),
        ({"headers": {"connection": "keep-alive"}}, OCSPValueError),
        ({"headers": {"X": "\u20ac"}}, OCSPValueError), ({"headers": 5}, OCSPTypeError),
    ]
    for options, error in cases:
        with pytest.raises(error):
            ocsp_http.fetch_reply(request_der, url, **options)
    with pytest.raises(OCSPValueError, match="query"):
        ocsp_http.fetch_reply(request_der, "http://127.0.0.1:9/?x", method="GET")
    with pytest.raises(OCSPValueError):
        ocsp_http.fetch(request_der, "ftp://127.0.0.1/")
    with pytest.raises(OCSPTypeError):
        ocsp_http.fetch("not a request", url)


def test_server_never_answers(serve: Callable[..., Server], request_der: bytes) -> None:
    server = serve(hold)
    for method in ("GET", "POST"):
        started = time.monotonic()
        with pytest.raises(TransportError, match=r"timed out after 0.5 s") as info:
            ocsp_http.fetch(request_der, server.url(), timeout=0.5, method=method)
        elapsed = time.monotonic() - started
        assert 0.45 <= elapsed < 0.5 + SLACK, elapsed
        assert info.value.http_status is None
    # auto: the GET timed out, so there is no POST after it.
    with pytest.raises(TransportError, match="timed out"):
        ocsp_http.fetch(request_der, server.url(), timeout=0.3)
    time.sleep(0.2)
    assert server.methods == ["GET", "POST", "GET"]


def test_total_deadline_covers_a_trickling_server(serve: Callable[..., Server], request_der: bytes) -> None:
    """One byte every 50 ms never trips a per-read timeout; the total deadline stops it."""

    def trickle(server: Server, conn: socket.socket, head: bytes, body: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nX-Slow: ")
        while not server.stopping.wait(0.05):
            conn.sendall(b"a")

    def trickle_body(server: Server, conn: socket.socket, head: bytes, body: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: 100000\r\n\r\n")
        while not server.stopping.wait(0.05):
            conn.sendall(b"0")

    for handler in (trickle, trickle_body):
        server = serve(handler)
        started = time.monotonic()
        with pytest.raises(TransportError, match=r"timed out after 0\.6 s"):
            ocsp_http.fetch(request_der, server.url(), timeout=0.6)
        assert time.monotonic() - started < 0.6 + SLACK


def test_server_that_closes_or_resets(serve: Callable[..., Server], request_der: bytes) -> None:
    def close_at_once(server: Server, conn: socket.socket, head: bytes, body: bytes) -> None:
        conn.close()

    def reset(server: Server, conn: socket.socket, head: bytes, body: bytes) -> None:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        conn.close()

    server = serve(close_at_once)
    with pytest.raises(TransportError, match="closed the connection without a reply"):
        ocsp_http.fetch(request_der, server.url())
    unread = serve(close_at_once, read=False)
    with pytest.raises(TransportError):
        ocsp_http.fetch(request_der, unread.url(), method="POST")
    resetting = serve(reset)
    with pytest.raises(TransportError) as info:
        ocsp_http.fetch(request_der, resetting.url())
    assert "reset" in str(info.value).lower() or "without a reply" in str(info.value)
    # Nobody listening: the port stays bound (without listen()) while the client connects, so no
    # other test, worker or process can take it in between, and the connection is refused.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        with pytest.raises(TransportError, match=f"cannot connect to 127.0.0.1:{port}: .*refused"):
            ocsp_http.fetch(request_der, f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"SSH-2.0-OpenSSH_9.6\r\n", "malformed HTTP reply: BadStatusLine"),
        (bytes(range(256)) * 4, "malformed HTTP reply"),
        (b"HTTP/1.1 abc OK\r\n\r\n", "malformed HTTP reply"),
        (b"HTTP/1.1 2000 OK\r\n\r\n", "malformed HTTP reply"),
        (b"HTTP/1.1 200 OK\r\n" + b"X-" + b"a" * 70000 + b": 1\r\n\r\n", "malformed HTTP reply: LineTooLong"),
        (b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\n", "more than 100 headers"),
        (b"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\n", "empty body"),
        (b"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: 100\r\n\r\n" + DER,
         "closed after 5 of 100 bytes"),
        (b"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nTransfer-Encoding: chunked\r\n\r\n"
         b"5\r\n" + DER + b"\r\n10\r\nabc", "chunked body"),
        (b"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nTransfer-Encoding: chunked\r\n\r\n"
         b"zz\r\n", "chunked body"),
        (http_reply(body=DER, headers=[("Content-Encoding", "gzip")]), "Content-Encoding gzip"),
        (b"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: x\r\n\r\n" + DER,
         "invalid Content-Length x"),
        (http_reply(body=b""), "empty body"),
        (http_reply(body=DER, content_type=None), "no Content-Type"),
    ],
    ids=["ssh", "binary", "status-text", "status-2000", "long-line", "many-headers", "no-end-of-head",
         "truncated", "truncated-chunk", "bad-chunk", "gzip", "bad-length", "empty", "no-type"],
)
def test_garbage_replies(serve: Callable[..., Server], request_der: bytes, data: bytes, message: str) -> None:
    server = serve(answer(data))
    with pytest.raises(TransportError, match=re.escape(message)):
        ocsp_http.fetch(request_der, server.url(), method="POST", timeout=5)


def test_status_and_content_type_errors(serve: Callable[..., Server], request_der: bytes) -> None:
    server = serve(answer(http_reply(500, "Internal Server Error", body=b"oops", content_type="text/plain")))
    with pytest.raises(TransportError, match=r"POST .*: HTTP 500 Internal Server Error") as info:
        ocsp_http.fetch(request_der, server.url(), method="POST")
    assert info.value.http_status == 500
    html = serve(answer(http_reply(body=b"<html></html>", content_type="text/html; charset=utf-8")))
    with pytest.raises(TransportError, match="unexpected Content-Type 'text/html; charset=utf-8'") as info:
        ocsp_http.fetch(request_der, html.url(), method="GET")
    assert info.value.http_status == 200
    assert html.methods == ["GET"]
    # auto: GET refused, then POST, refused too; the error tells both.
    with pytest.raises(TransportError, match=r"^POST .*Content-Type.* \(after GET .*Content-Type") as info:
        ocsp_http.fetch(request_der, html.url())
    assert html.methods == ["GET", "GET", "POST"]


def test_get_falls_back_to_post(serve: Callable[..., Server], request_der: bytes) -> None:
    def get_unsupported(server: Server, conn: socket.socket, head: bytes, body: bytes) -> None:
        if head.startswith(b"GET "):
            conn.sendall(http_reply(405, "Method Not Allowed", content_type="text/plain", body=b"no"))
        else:
            conn.sendall(http_reply(body=DER))

    server = serve(get_unsupported)
    reply = ocsp_http.fetch_reply(request_der, server.url("/ocsp"))
    assert (reply.method, reply.body, reply.url) == ("POST", DER, server.url("/ocsp"))
    assert reply.fallback is not None and "HTTP 405 Method Not Allowed" in reply.fallback
    assert server.methods == ["GET", "POST"]
    assert server.requests[1][1] == request_der
    # A forced GET does not fall back.
    with pytest.raises(TransportError, match="HTTP 405") as info:
        ocsp_http.fetch(request_der, server.url(), method="GET")
    assert info.value.http_status == 405 and type(info.value) is TransportError


def test_response_size_limits(serve: Callable[..., Server], request_der: bytes) -> None:
    huge_length = serve(answer(b"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\n"
                               b"Content-Length: 10000000000\r\n\r\n" + DER))
    started = time.monotonic()
    with pytest.raises(TransportError, match="Content-Length 10000000000 is over the limit of 102400"):
        ocsp_http.fetch(request_der, huge_length.url())
    assert time.monotonic() - started < SLACK

    def endless(server: Server, conn: socket.socket, head: bytes, body: bytes, chunked: bool = False) -> None:
        sent = 0
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\n"
                     + (b"Transfer-Encoding: chunked\r\n" if chunked else b"") + b"\r\n")
        block = b"0" * 65536
        while not server.stopping.is_set() and sent < 64 << 20:
            conn.sendall(b"10000\r\n" + block + b"\r\n" if chunked else block)
            sent += len(block)

    for handler in (endless, lambda *a: endless(*a, chunked=True)):
        server = serve(handler)
        started = time.monotonic()
        with pytest.raises(TransportError, match="the response body is over the limit of 1000 bytes"):
            ocsp_http.fetch(request_der, server.url(), max_response_size=1000)
        assert time.monotonic() - started < SLACK
    exact = serve(answer(http_reply(body=b"x" * 1000, length=False, version="HTTP/1.0")))
    assert ocsp_http.fetch(request_der, exact.url(), max_response_size=1000) == b"x" * 1000
    over = serve(answer(http_reply(body=b"x" * 1001, length=False, version="HTTP/1.0")))
    with pytest.raises(TransportError, match="over the limit of 1000"):
        ocsp_http.fetch(request_der, over.url(), max_response_size=1000)


def test_chunked_and_other_framings(serve: Callable[..., Server], request_der: bytes) -> None:
    chunked = (b"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"2\r\n" + DER[:2] + b"\r\n3;ext=1\r\n" + DER[2:] + b"\r\n0\r\nTrailer: x\r\n\r\n")
    continued = b"HTTP/1.1 100 Continue\r\n\r\n" + http_reply(body=DER)
    until_close = http_reply(body=DER, length=False, version="HTTP/1.0")
    both = (b"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: 999\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n5\r\n" + DER + b"\r\n0\r\n\r\n")
    for data in (chunked, continued, until_close, both):
        server = serve(answer(data))
        assert ocsp_http.fetch(request_der, server.url()) == DER


def test_redirects(serve: Callable[..., Server], request_der: bytes) -> None:
    def moved(server: Server, conn: socket.socket, head: bytes, body: bytes) -> None:
        target = head.split(b" ")[1].decode()
        if target.startswith("/old"):
            conn.sendall(http_reply(307, "Temporary Redirect", [("Location", "/new" + target[4:])], content_type=None))
        else:
            conn.sendall(http_reply(body=DER))

    server = serve(moved)
    # Not followed by default (OpenSSL follows none either); the GET refused, the POST too.
    with pytest.raises(TransportError, match=r"HTTP 307 Temporary Redirect redirect to '/new.*max_redirects=0") as info:
        ocsp_http.fetch(request_der, server.url("/old"))
    assert info.value.http_status == 307 and server.methods == ["GET", "POST"]
    reply = ocsp_http.fetch_reply(request_der, server.url("/old"), max_redirects=1)
    assert reply.method == "GET" and reply.body == DER
    assert reply.redirects == (get_url(request_der, server.url("/old")),)
    assert reply.url == get_url(request_der, server.url("/new"))
    reply = ocsp_http.fetch_reply(request_der, server.url("/old"), max_redirects=1, method="POST")
    assert reply.method == "POST" and reply.url == server.url("/new") and server.requests[-1][1] == request_der

    def see_other(server: Server, conn: socket.socket, head: bytes, body: bytes) -> None:
        if head.startswith(b"POST"):
            conn.sendall(http_reply(303, "See Other", [("Location", "/cached/answer")], content_type=None))
        else:
            conn.sendall(http_reply(body=DER))

    other = serve(see_other)
    reply = ocsp_http.fetch_reply(request_der, other.url(), method="POST", max_redirects=2)
    assert (reply.method, reply.url) == ("GET", other.url("/cached/answer"))
    assert other.requests[-1][0].startswith(b"GET /cached/answer HTTP/1.1")


def test_bad_redirects(serve: Callable[..., Server], request_der: bytes) -> None:
    def loop(server: Server, conn: socket.socket, head: bytes, body: bytes) -> None:
        target = head.split(b" ")[1]
        where = "/b" if target.startswith(b"/a") else "/a"
        conn.sendall(http_reply(302, "Found", [("Location", where)], content_type=None))

    def onward(server: Server, conn: socket.socket, head: bytes, body: bytes) -> None:
        number = int(re.search(rb"/(\d+)", head).group(1)) if re.search(rb"/(\d+)", head) else 0  # type: ignore[union-attr]
        conn.sendall(http_reply(301, "Moved", [("Location", f"/{number + 1}")], content_type=None))

    looping = serve(loop)
    with pytest.raises(TransportError, match="redirect loop back to") as info:
        ocsp_http.fetch(request_der, looping.url("/a"), max_redirects=5, method="POST")
    assert info.value.http_status == 302
    endless = serve(onward)
    with pytest.raises(TransportError, match="more than 3 redirects"):
        ocsp_http.fetch(request_der, endless.url("/0"), max_redirects=3, method="POST")
    assert len(endless.requests) == 4
    for location, message in [
        ("https://127.0.0.1/", "redirect from http to https refused"),
        ("ftp://127.0.0.1/", "bad redirect Location"),
        ("http://user@127.0.0.1/", "bad redirect Location"),
        ("http://[::1/", "bad redirect Location"),
        (None, "redirect without a Location"),
    ]:
        extra = [("Location", location)] if location is not None else []
        server = serve(answer(http_reply(302, "Found", extra, content_type=None)))
        with pytest.raises(TransportError, match=re.escape(message)):
            ocsp_http.fetch(request_der, server.url(), max_redirects=2, method="POST")


def test_every_failure_is_a_transport_error(serve: Callable[..., Server], request_der: bytes) -> None:
    """A server answering random bytes of random lengths, many times: never another exception."""
    import random

    generator = random.Random(6960)
    pieces = [
        b"HTTP/1.1 200 OK\r\n", b"HTTP/1.0 302 x\r\nLocation: /\r\n", b"Content-Type: application/ocsp-response\r\n",
        b"Content-Length: 3\r\n", b"Transfer-Encoding: chunked\r\n", b"\r\n", b"5\r\nabc", b"\x00\xff",
        b"HTTP/1.1 100 Continue\r\n\r\n", b"Content-Length: -1\r\n", b"Location: http://[\r\n",
    ]
    outcomes = set()
    for _ in range(120):
        data = b"".join(generator.choice(pieces) for _ in range(generator.randrange(0, 8)))
        server = serve(answer(data))
        try:
            ocsp_http.fetch(request_der, server.url(), timeout=2, max_redirects=generator.randrange(0, 2))
            outcomes.add("ok")
        except TransportError as exc:
            outcomes.add(type(exc).__name__)
        server.close()
    assert "TransportError" in outcomes


def test_ipv6_literal(serve: Callable[..., Server], request_der: bytes) -> None:
    try:
        with socket.create_server(("::1", 0), family=socket.AF_INET6):
            pass
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    server = serve(answer(http_reply(body=DER)), host="::1")
    reply = ocsp_http.fetch_reply(request_der, server.url("/v6"))
    assert reply.url.startswith(f"http://[::1]:{server.port}/v6/") and reply.body == DER
    assert header(server.requests[0][0], "Host") == f"[::1]:{server.port}"


def test_name_resolution(serve: Callable[..., Server], request_der: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    server = serve(answer(http_reply(body=DER)))
    assert ocsp_http.fetch(request_der, f"http://localhost:{server.port}/") == DER  # through the resolver
    release = threading.Event()
    real = socket.getaddrinfo

    def slow(host: str, *args: Any, **kwargs: Any) -> Any:
        if host.endswith(".invalid"):
            release.wait(10)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    try:
        started = time.monotonic()
        with pytest.raises(TransportError, match=r"timed out after 0.4 s \(resolving slow.invalid\)"):
            ocsp_http.fetch(request_der, "http://slow.invalid/", timeout=0.4)
        assert time.monotonic() - started < 0.4 + SLACK
    finally:
        release.set()
    with pytest.raises(TransportError, match=r"cannot resolve nothing\.invalid"):
        ocsp_http.fetch(request_der, "http://nothing.invalid/", timeout=5)
    with pytest.raises(TransportError, match="cannot resolve"):
        ocsp_http.fetch(request_der, "http://" + "a" * 70 + ".example/", timeout=5)  # a label IDNA refuses


# ------------------------------------------------------------------------------------------------
# Proxies


def test_http_proxy_from_the_environment(serve: Callable[..., Server], request_der: bytes,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = serve(answer(http_reply(body=DER)))
    monkeypatch.setenv("http_proxy", f"http://user%40x:p%3Ass@127.0.0.1:{proxy.port}")
    # The target name does not resolve: only the proxy can reach it.
    reply = ocsp_http.fetch_reply(request_der, "http://ocsp.example.invalid/ca1")
    head = proxy.requests[0][0].decode("latin-1")
    assert head.split("\r\n")[0] == f"GET {reply.url} HTTP/1.1"  # the absolute URI (RFC 9112 3.2.2)
    assert reply.url.startswith("http://ocsp.example.invalid/ca1/")
    assert header(proxy.requests[0][0], "Host") == "ocsp.example.invalid"
    assert header(proxy.requests[0][0], "Proxy-Authorization") == "Basic " + base64.b64encode(b"user@x:p:ss").decode()
    ocsp_http.fetch(request_der, "http://ocsp.example.invalid:8080/", method="POST")
    head, body = proxy.requests[1]
    assert head.startswith(b"POST http://ocsp.example.invalid:8080/ HTTP/1.1\r\n") and body == request_der
    # no_proxy: direct (the proxy is dead, so only a direct connection succeeds).
    origin = serve(answer(http_reply(body=DER)))
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("no_proxy", "localhost,127.0.0.1")
    assert ocsp_http.fetch(request_der, origin.url()) == DER
    monkeypatch.delenv("no_proxy")
    with pytest.raises(TransportError, match=r"cannot connect to 127\.0\.0\.1:9\b"):
        ocsp_http.fetch(request_der, origin.url())
    assert ocsp_http.fetch(request_der, origin.url(), proxy="") == DER  # "" ignores the environment
    # An explicit proxy, without scheme; an environment proxy that cannot be used.
    assert ocsp_http.fetch(request_der, "http://elsewhere.invalid/", proxy=f"127.0.0.1:{proxy.port}") == DER
    monkeypatch.setenv("http_proxy", "socks5://127.0.0.1:1080")
    with pytest.raises(TransportError, match="only http:// proxies"):
        ocsp_http.fetch(request_der, origin.url())
    # https_proxy is for https URLs only.
    monkeypatch.delenv("http_proxy")
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")
    assert ocsp_http.fetch(request_der, origin.url()) == DER


def relay(server: Server, conn: socket.socket, head: bytes, body: bytes) -> None:
    """A CONNECT proxy: the tunnel to the requested 127.0.0.1 port, bytes both ways."""
    authority = head.split(b" ")[1].decode()
    host, _, port = authority.rpartition(":")
    if host != "127.0.0.1":
        conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        return
    with socket.create_connection((host, int(port)), timeout=5) as upstream:
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        ends = [conn, upstream]
        while not server.stopping.is_set():
            readable, _, _ = select.select(ends, [], [], 0.05)
            for end in readable:
                data = end.recv(65536)
                if not data:
                    return
                (upstream if end is conn else conn).sendall(data)


# ------------------------------------------------------------------------------------------------
# TLS


@dataclasses.dataclass
class TLSFiles:
    server: ssl.SSLContext
    client: ssl.SSLContext


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    """A CA and a server certificate for 127.0.0.1 / localhost (pyca/cryptography, test-only)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    directory = tmp_path_factory.mktemp("tls")
    now = dt.datetime.now(dt.timezone.utc)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("test TLS CA")).issuer_name(name("test TLS CA"))
          .public_key(ca_key.public_key()).serial_number(1).not_valid_before(now - dt.timedelta(hours=1))
          .not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(name("localhost")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(2).not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (directory / "ca.pem").write_bytes(ca.public_bytes(pem))
    (directory / "server.pem").write_bytes(leaf.public_bytes(pem) + key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(directory / "server.pem")
    client = ssl.create_default_context(cafile=str(directory / "ca.pem"))
    return TLSFiles(server, client)


def test_https(serve: Callable[..., Server], request_der: bytes, tls: TLSFiles) -> None:
    server = serve(answer(http_reply(body=DER)), tls=tls.server)
    for method in ("GET", "POST"):
        reply = ocsp_http.fetch_reply(request_der, server.url(scheme="https"), method=method, ssl_context=tls.client)
        assert (reply.method, reply.body) == (method, DER)
    assert header(server.requests[0][0], "Host") == f"127.0.0.1:{server.port}"
    with pytest.raises(TransportError, match=r"TLS: .*CERTIFICATE_VERIFY_FAILED"):
        ocsp_http.fetch(request_der, server.url(scheme="https"))  # the system's roots do not know the test CA
    plain = serve(answer(http_reply(body=DER)), read=False)
    with pytest.raises(TransportError, match="TLS"):
        ocsp_http.fetch(request_der, plain.url(scheme="https"), ssl_context=tls.client)
    silent = serve(hold, read=False)
    started = time.monotonic()
    with pytest.raises(TransportError, match="timed out"):
        ocsp_http.fetch(request_der, silent.url(scheme="https"), ssl_context=tls.client, timeout=0.5)
    assert time.monotonic() - started < 0.5 + SLACK


def test_https_through_a_connect_tunnel(serve: Callable[..., Server], request_der: bytes, tls: TLSFiles,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    origin = serve(answer(http_reply(body=DER)), tls=tls.server)
    proxy = serve(relay)
    monkeypatch.setenv("https_proxy", f"http://u:p@127.0.0.1:{proxy.port}")
    reply = ocsp_http.fetch_reply(request_der, origin.url("/ocsp", scheme="https"), ssl_context=tls.client)
    assert (reply.method, reply.body) == ("GET", DER)
    connect = proxy.requests[0][0].decode("latin-1").split("\r\n")
    assert connect == [f"CONNECT 127.0.0.1:{origin.port} HTTP/1.1", f"Host: 127.0.0.1:{origin.port}",
                       "Proxy-Authorization: Basic " + base64.b64encode(b"u:p").decode()]
    # Inside the tunnel, the origin-form target and no proxy credentials.
    assert origin.requests[0][0].startswith(b"GET /ocsp/")
    assert header(origin.requests[0][0], "Proxy-Authorization") is None
    with pytest.raises(TransportError, match=r"refused CONNECT ocsp.example.invalid:443: HTTP 403") as info:
        ocsp_http.fetch(request_der, "https://ocsp.example.invalid/", ssl_context=tls.client)
    assert info.value.http_status == 403


# ================================================================================================
# check_certificate against an in-process responder


def ocsp_responder(pki: TestPKI, statuses: Dict[int, str], *, nonce: Any = "echo",
                   wrap: Callable[[bytes], bytes] = lambda der: http_reply(body=der)) -> Handler:
    """An OCSP responder built from ResponseBuilder, signing with the PKI's delegated responder."""

    def handler(server: Server, conn: socket.socket, head: bytes, body: bytes) -> None:
        method, target = head.split(b" ")[:2]
        der = body if method == b"POST" else base64.b64decode(urllib.parse.unquote(target.rsplit(b"/", 1)[1].decode()))
        request = ocspkit.load_request(der)
        now = dt.datetime.now(dt.timezone.utc)
        builder = ocspkit.ResponseBuilder()
        for cert_id in request.cert_ids:
            status = statuses.get(cert_id.serial_number, "unknown")
            extra: Dict[str, Any] = {}
            if status == "revoked":
                extra = {"revocation_time": now - dt.timedelta(days=1), "revocation_reason": 1}
            builder = builder.add_response(cert_id, status, next_update=now + dt.timedelta(hours=1), **extra)
        if nonce == "echo":
            builder = builder.with_nonce(request)
        elif nonce is not None:
            builder = builder.with_nonce(nonce)
        response = builder.sign(pki.responder.private_key, pki.responder.certificate)
        conn.sendall(wrap(response.dump()))

    return handler


@pytest.fixture(scope="module")
def aia_pki() -> TestPKI:
    return TestPKI("ec")


def decode_get(head: bytes) -> ocspkit.OCSPRequest:
    """The request of a recorded GET (the last path segment, URL-decoded, base64-decoded)."""
    encoded = head.split(b" ")[1].rsplit(b"/", 1)[1].decode("ascii")
    return ocspkit.load_request(base64.b64decode(urllib.parse.unquote(encoded), validate=True))


def test_check_certificate_through_the_aia(serve: Callable[..., Server], aia_pki: TestPKI) -> None:
    pki = aia_pki
    current: Dict[str, Handler] = {}
    server = serve(lambda *args: current["handler"](*args))
    good = pki.issue_leaf("good.example", ocsp_url=server.url("/ocsp"))
    revoked = pki.issue_leaf("revoked.example", ocsp_url=server.url("/ocsp"))
    unknown = pki.issue_leaf("unknown.example", ocsp_url=server.url("/ocsp"))
    current["handler"] = ocsp_responder(pki, {good.serial_number: "good", revoked.serial_number: "revoked"})
    issuer = pki.intermediate.certificate
    status = ocsp_http.check_certificate(good.certificate, issuer)
    assert status.status is CertStatus.GOOD and status.good and status.nonce is NonceCheck.EQUAL
    sent = decode_get(server.requests[-1][0])
    assert sent.cert_ids[0].hash_algorithm == "sha1" and len(sent.nonce or b"") == 32
    status = ocsp_http.check_certificate(revoked.cert_pem, pki.intermediate.cert_pem, method="POST")
    assert status.revoked and int(status.revocation_reason) == 1
    status = ocsp_http.check_certificate(unknown.certificate, issuer, trusted=[pki.root.certificate])
    assert status.status is CertStatus.UNKNOWN
    status = ocsp_http.check_certificate(good.certificate, issuer, hash_algorithm="sha256", nonce=False)
    assert status.good and status.nonce is NonceCheck.BOTH_ABSENT
    sent = decode_get(server.requests[-1][0])
    assert sent.cert_ids[0].hash_algorithm == "sha256" and sent.nonce is None
    assert server.methods == ["GET", "POST", "GET", "GET"]
    assert all(head.split(b" ")[1].startswith(b"/ocsp") for head, _ in server.requests)
    # An explicit URL wins over the AIA.
    no_aia = pki.issue_leaf("no-aia.example", ocsp_url=None)
    current["handler"] = ocsp_responder(pki, {no_aia.serial_number: "good"})
    assert ocsp_http.check_certificate(no_aia.certificate, issuer, url=server.url("/elsewhere")).good
    assert server.requests[-1][0].startswith(b"GET /elsewhere/")


def test_check_certificate_nonces(serve: Callable[..., Server], aia_pki: TestPKI) -> None:
    """RFC 5019 4 / RFC 9919 5: a response without the nonce is judged on time alone; a wrong
    nonce is refused; require_nonce=True refuses a missing one too."""
    pki = aia_pki
    leaf = pki.issue_leaf("nonce.example")
    issuer = pki.intermediate.certificate
    silent = serve(ocsp_responder(pki, {leaf.serial_number: "good"}, nonce=None))
    status = ocsp_http.check_certificate(leaf.certificate, issuer, url=silent.url())
    assert status.good and status.nonce is NonceCheck.REQUEST_ONLY
    with pytest.raises(NonceMismatch, match="has none"):
        ocsp_http.check_certificate(leaf.certificate, issuer, url=silent.url(), require_nonce=True)
    wrong = serve(ocsp_responder(pki, {leaf.serial_number: "good"}, nonce=b"\x01" * 32))
    with pytest.raises(NonceMismatch, match="differs"):
        ocsp_http.check_certificate(leaf.certificate, issuer, url=wrong.url())
    given = serve(ocsp_responder(pki, {leaf.serial_number: "good"}))
    status = ocsp_http.check_certificate(leaf.certificate, issuer, url=given.url(), nonce=b"\x07" * 16)
    assert status.response.nonce == b"\x07" * 16 and status.nonce is NonceCheck.EQUAL


def test_check_certificate_failures(serve: Callable[..., Server], aia_pki: TestPKI,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    pki = aia_pki
    issuer = pki.intermediate.certificate
    with pytest.raises(TransportError, match="no OCSP responder URL for the certificate: it has no id-ad-ocsp"):
        ocsp_http.check_certificate(pki.issue_leaf("none.example", ocsp_url=None).certificate, issuer)
    ldap = pki.issue_leaf("ldap.example", ocsp_url="ldap://ldap.example/cn=ocsp")
    with pytest.raises(TransportError, match=r"no OCSP responder URL.*ldap://ldap\.example/cn=ocsp"):
        ocsp_http.check_certificate(ldap.certificate, issuer)
    leaf = pki.issue_leaf("fail.example")
    # Garbage in a 200 application/ocsp-response: the parser's ParseError, not a TransportError.
    garbage = serve(answer(http_reply(body=b"garbage")))
    with pytest.raises(ParseError):
        ocsp_http.check_certificate(leaf.certificate, issuer, url=garbage.url())
    try_later = serve(answer(http_reply(body=ocspkit.unsuccessful_response(ocspkit.ResponseStatus.TRY_LATER).dump())))
    with pytest.raises(UnsuccessfulResponse):
        ocsp_http.check_certificate(leaf.certificate, issuer, url=try_later.url())
    broken = serve(answer(http_reply(500, "Boom", content_type="text/plain")))
    with pytest.raises(TransportError, match="HTTP 500 Boom") as info:
        ocsp_http.check_certificate(leaf.certificate, issuer, url=broken.url(), method="POST")
    assert info.value.http_status == 500
    # Several responders in the AIA: the next one is asked when one fails to answer.
    good = serve(ocsp_responder(pki, {leaf.serial_number: "good"}))
    monkeypatch.setattr(ocsp_http, "ocsp_urls", lambda cert: ["ldap://x/", broken.url(), good.url("/second")])
    assert ocsp_http.check_certificate(leaf.certificate, issuer, method="POST").good
    assert good.requests[-1][0].startswith(b"POST /second ")
    monkeypatch.setattr(ocsp_http, "ocsp_urls", lambda cert: [broken.url(), broken.url("/again")])
    with pytest.raises(TransportError, match=r"every OCSP responder failed \(2\): .*HTTP 500.* \| .*/again"):
        ocsp_http.check_certificate(leaf.certificate, issuer, method="POST")
    with pytest.raises(OCSPValueError):
        ocsp_http.check_certificate(leaf.certificate, issuer, url="gopher://x/")


# ================================================================================================
# Against OpenSSL: what `openssl ocsp` sends, and its responder


@dataclasses.dataclass
class OpenSSLPKI:
    dir: Path
    pki: TestPKI
    good: Any
    revoked: Any
    unknown: Any


@pytest.fixture(scope="module")
def openssl_pki(tmp_path_factory: pytest.TempPathFactory) -> OpenSSLPKI:
    d = tmp_path_factory.mktemp("http-openssl")
    pki = TestPKI("ec")
    good, revoked, unknown = (pki.issue_leaf(f"{n}.example") for n in ("good", "revoked", "unknown"))
    for name, data in {"ca.pem": pki.intermediate.cert_pem, "r.pem": pki.responder.cert_pem,
                       "r.key": pki.responder.key_pem, "good.pem": good.cert_pem}.items():
        (d / name).write_bytes(data)
    (d / "index.txt").write_text(
        index_line("V", good.serial_number, pki.not_after, "/CN=good.example")
        + index_line("R", revoked.serial_number, pki.not_after, "/CN=revoked.example",
                     pki.now - dt.timedelta(hours=1), "keyCompromise")
    )
    return OpenSSLPKI(d, pki, good, revoked, unknown)


@contextlib.contextmanager
def openssl_responder(openssl_bin: str, setup: OpenSSLPKI, requests: int) -> Iterator[OpenSSLResponder]:
    responder = OpenSSLResponder(openssl_bin, setup.dir, ["-index", "index.txt", "-CA", "ca.pem", "-rsigner",
                                                          "r.pem", "-rkey", "r.key", "-ndays", "1", "-nrequest",
                                                          str(requests)])
    try:
        yield responder
    finally:
        responder.stop()


def test_check_certificate_against_openssl_responder(openssl_bin: str, openssl_pki: OpenSSLPKI) -> None:
    """good / revoked / unknown from `openssl ocsp -index`, asked by GET and by POST."""
    setup = openssl_pki
    issuer = setup.pki.intermediate.certificate
    expected = [(setup.good, CertStatus.GOOD), (setup.revoked, CertStatus.REVOKED), (setup.unknown, CertStatus.UNKNOWN)]
    with openssl_responder(openssl_bin, setup, 7) as responder:
        url = f"http://127.0.0.1:{responder.port}"
        for method in ("GET", "POST"):
            for leaf, status in expected:
                result = ocsp_http.check_certificate(leaf.certificate, issuer, url=url, method=method,
                                                     trusted=[setup.pki.root.certificate])
                assert result.status is status, (method, leaf)
                assert result.nonce is NonceCheck.EQUAL  # openssl echoes the nonce it decoded
        result = ocsp_http.check_certificate(setup.revoked.certificate, issuer, url=url, hash_algorithm="sha256")
        assert result.revoked and int(result.revocation_reason) == 1
        assert responder.wait() == 0
    log = responder.output()
    first_lines = re.findall(r"1st line: (\S+) (\S+) HTTP/1.1", log)
    assert [m for m, _ in first_lines] == ["GET"] * 3 + ["POST"] * 3 + ["GET"]
    assert all(path == "/" for m, path in first_lines if m == "POST")


def test_get_path_is_what_openssl_responder_decodes(openssl_bin: str, openssl_pki: OpenSSLPKI) -> None:
    """The GET request line byte for byte as the responder logs it, and its answer carries the
    nonce and CertID of the request it decoded (so it decoded exactly our bytes)."""
    setup = openssl_pki
    issuer = setup.pki.intermediate.certificate
    requests = [
        ocspkit.RequestBuilder().add_cert(setup.good.certificate, issuer, "sha1").with_nonce(n).build()
        for n in (16, 17, 18, 32)
    ]
    with openssl_responder(openssl_bin, setup, len(requests)) as responder:
        base = f"http://127.0.0.1:{responder.port}/"
        for request in requests:
            reply = ocsp_http.fetch_reply(request, base, method="GET")
            response = ocspkit.load_response(reply.body)
            assert response.nonce == request.nonce
            assert response.responses[0].cert_id == request.cert_ids[0]
        assert responder.wait() == 0
    logged = re.findall(r"1st line: GET (\S+) HTTP/1.1", responder.output())
    assert logged == [get_url(request, base)[len(base) - 1:] for request in requests]


def record_openssl_request(openssl_bin: str, setup: OpenSSLPKI, server: Server, url: str, der: bytes) -> bytes:
    (setup.dir / "req-sent.der").write_bytes(der)
    result = run([openssl_bin, "ocsp", "-reqin", setup.dir / "req-sent.der", "-url", url, "-timeout", "10"])
    assert "code=500" in result.stderr, result.stderr
    return server.requests[-1][0] + b"\r\n\r\n" + server.requests[-1][1]


def test_post_matches_what_openssl_sends(openssl_bin: str, openssl_pki: OpenSSLPKI, serve: Callable[..., Server],
                                         request_der: bytes) -> None:
    """`openssl ocsp -reqin -url` against a recording server, and fetch(method="POST") against the
    same: the same request-target (path prefix and query kept), Content-Type and body."""
    server = serve(answer(http_reply(500, "Nope", content_type="text/plain")))
    for path in ("/", "/prefix/x", "/ocsp?issuer=1"):
        url = server.url(path)
        theirs = record_openssl_request(openssl_bin, openssl_pki, server, url, request_der)
        with pytest.raises(TransportError, match="HTTP 500 Nope"):
            ocsp_http.fetch(request_der, url, method="POST")
        ours = server.requests[-1][0] + b"\r\n\r\n" + server.requests[-1][1]

        def parts(raw: bytes) -> Tuple[bytes, bytes, Optional[str], Optional[str], bytes]:
            head, _, body = raw.partition(b"\r\n\r\n")
            method, target, _version = head.split(b"\r\n")[0].split(b" ")
            return method, target, header(head, "Content-Type"), header(head, "Content-Length"), body

        assert parts(ours) == parts(theirs) == (b"POST", path.encode(), "application/ocsp-request",
                                                str(len(request_der)), request_der)
        # OpenSSL 3.0 speaks HTTP/1.0 and leaves the port out of Host; ocspkit writes RFC 9110's Host.
        assert theirs.startswith(f"POST {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n".encode())
        assert header(ours.partition(b"\r\n\r\n")[0], "Host") == f"127.0.0.1:{server.port}"


def test_check_certificate_example_runs_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """The example's demo (its own responder thread) runs in-process too, for coverage."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "examples" / "check_a_certificate_online.py"
    monkeypatch.syspath_prepend(str(path.parent))  # its examples/_requirements.py, as when run as a script
    spec = importlib.util.spec_from_file_location("check_a_certificate_online", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([]) == 0
