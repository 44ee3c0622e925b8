"""Requests and responses as openssl ocsp reads them (d2i_OCSP_REQUEST, d2i_OCSP_RESPONSE).

openssl prints (-req_text, -resp_text) and acts on what it reads; ocspkit's loaders refuse a few
things openssl reads (an explicit v2, an unknown critical extension, a responseStatus RFC 6960
does not define) and accept one it refuses (a non-minimal INTEGER). So the text is printed from
the bytes by ocspkit.text, which reads what openssl reads, and the library's views are used
for everything else: where ocspkit refuses what openssl reads, printing works and verifying or
checking statuses fails with one line.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Optional, Tuple, TypeVar

from .. import asn1
from .._der import to_der
from .._writers import length_der
from ..enums import response_status_str
from ..errors import OCSPError
from ..oid import OCSPResponseTypeOID
from ..request import OCSPRequest, load_request
from ..response import OCSPResponse, load_response
from ._common import REQUEST_PEM, RESPONSE_PEM, fail, one_line, read_file, text_module

__all__ = ["Request", "Response", "read_request", "read_response"]

_V = TypeVar("_V")

_VOID = "Void"


def _illegal_integer(contents: bytes) -> Optional[str]:
    """Why OpenSSL's c2i_ibuf refuses an INTEGER / ENUMERATED, or None."""
    if not contents:
        return "an empty INTEGER"
    if len(contents) == 1:
        return None
    negative = contents[0] & 0x80
    pad = contents[0] == 0 or (contents[0] == 0xFF and any(contents[1:]))
    if pad and negative == contents[1] & 0x80:
        return "an INTEGER with a redundant leading octet (OpenSSL's \"illegal padding\")"
    return None


def _status_int(contents: bytes) -> int:
    """What apps/ocsp.c holds in ``int i = OCSP_response_status(resp)``: ASN1_ENUMERATED_get
    (a C long; 0xffffffff beyond 8 octets of magnitude, -1 outside a long), cut to a C int."""
    value = int.from_bytes(contents, "big", signed=True)
    if (abs(value).bit_length() + 7) // 8 > 8:
        value = 0xFFFFFFFF
    elif not -(1 << 63) <= value < 1 << 63:
        value = -1
    return (value + (1 << 31)) % (1 << 32) - (1 << 31)


class _Unreadable(ValueError):
    """What d2i_OCSP_RESPONSE refuses; ``padding`` when it is the responseStatus's encoding."""

    def __init__(self, message: str, padding: bool = False) -> None:
        super().__init__(message)
        self.padding = padding


@dataclasses.dataclass
class Request:
    """A request: ``der`` as read with -reqin (None once rebuilt), and ocspkit's view of it."""

    der: Optional[bytes]
    view: Optional[OCSPRequest]
    refused: Optional[OCSPError] = None  # why load_request refused what openssl reads
    path: str = ""

    def text(self) -> str:
        """OCSP_REQUEST_print: the request as -req_text prints it."""
        printer = text_module()
        return str(printer.request_text(self.der if self.der is not None else self.view))

    def encoded(self) -> bytes:
        """The DER to send or write (-reqout): as read, or as rebuilt."""
        if self.der is not None:
            return self.der
        assert self.view is not None
        return self.view.dump()

    def usable(self) -> OCSPRequest:
        """The view, for anything but printing and copying the request."""
        if self.view is None:
            fail(f"Cannot use the OCSP request from {self.path} (ocspkit only prints it)", self.refused)
        return self.view


def _der_and_view(
    data: bytes, label: str, what: str, load: Callable[[bytes], _V], failure: str
) -> Tuple[bytes, Optional[_V], Optional[OCSPError]]:
    """The DER of ``data`` (or a PEM block ``label``; else ``failure``), ocspkit's view of it, and
    why the loader refused it (the view is then None: openssl may still read it)."""
    try:
        der = to_der(data, (label,), what)
    except OCSPError as exc:
        fail(failure, exc)
    try:
        return der, load(der), None
    except OCSPError as exc:
        return der, None, exc


def read_request(path: str) -> Request:
    """-reqin: what d2i_OCSP_REQUEST reads (else "Error reading OCSP request"), and the view."""
    data = read_file(path, "OCSP request")
    failure = f"Error reading OCSP request from {path}"
    der, view, refused = _der_and_view(data, REQUEST_PEM, "OCSP request", load_request, failure)
    if view is None or view.deviations:
        # Whether openssl reads it: ocspkit.text reads exactly that (and refuses what openssl
        # refuses, such as a non-minimal INTEGER the loader accepted with a deviation).
        try:
            text_module().request_text(der)
        except OCSPError as exc:
            fail(failure, exc if view is not None else refused)
    return Request(der, view, refused, path)


@dataclasses.dataclass
class Response:
    """A response as d2i_OCSP_RESPONSE reads it: its DER, responseStatus and responseType (the
    outer SEQUENCE; the BasicOCSPResponse inside is only decoded when needed, as openssl does),
    and ocspkit's view when load_response accepts it."""

    der: bytes
    status: int
    response_type: Optional[str]
    view: Optional[OCSPResponse]
    refused: Optional[OCSPError] = None  # why load_response refused it
    status_contents: bytes = b""  # the responseStatus ENUMERATED's contents octets
    from_file: bool = True  # print from ``der`` (else from the view ocspkit made)
    _basic_problem: Optional[str] = dataclasses.field(default=None, init=False)
    _basic_checked: bool = dataclasses.field(default=False, init=False)

    @classmethod
    def of(cls, view: OCSPResponse) -> Response:
        """A response ocspkit made (-index), printed from its view."""
        return cls(view.dump(), int(view.response_status), view.response_type, view, from_file=False)

    def error_line(self) -> Optional[str]:
        """apps/ocsp.c's ``Responder Error: %s (%d)`` line, or None for a successful status."""
        if self.status == 0:
            return None
        return f"Responder Error: {response_status_str(self.status)} ({self.status})\n"

    def text(self) -> str:
        """OCSP_RESPONSE_print: all of it, or what it prints before OCSP_response_get1_basic
        fails (the status, and ``Response Type: Basic OCSP Response`` without a newline)."""
        printer = text_module()
        if not self.from_file:
            return str(printer.response_text(self.view))
        try:
            return str(printer.response_text(self.der))
        except OCSPError:
            # The BasicOCSPResponse is what openssl cannot read: print the rest, from a
            # response with the same responseStatus and no responseBytes.
            status = b"\x0a" + length_der(len(self.status_contents)) + self.status_contents
            head = str(printer.response_text(b"\x30" + length_der(len(status)) + status))
            if self.response_type is None:
                return head
            return f"{head}    Response Type: {printer.oid_name(self.response_type)}"

    def basic_problem(self) -> Optional[str]:
        """Why OCSP_response_get1_basic would fail ("Error parsing response"), or None."""
        if not self._basic_checked:
            self._basic_checked = True
            self._basic_problem = self._find_basic_problem()
        return self._basic_problem

    def _find_basic_problem(self) -> Optional[str]:
        if self.response_type is None:
            return "the response has no BasicOCSPResponse"
        if self.response_type != OCSPResponseTypeOID.BASIC:
            return f"responseType {self.response_type} is not id-pkix-ocsp-basic (not basic response)"
        if self.view is not None and not self.view.deviations:
            return None
        try:
            text_module().response_text(self.der)
        except OCSPError as exc:
            return f"the BasicOCSPResponse cannot be read: {self.refused or exc}"
        return None

    def usable(self) -> OCSPResponse:
        """The view, to verify the response and read its statuses."""
        if self.view is None:
            fail("Cannot verify this response or read its statuses (ocspkit only prints it)", self.refused)
        return self.view


def _outer_response(der: bytes) -> Tuple[bytes, Optional[str]]:
    """The contents of responseStatus, and responseType, as d2i_OCSP_RESPONSE reads them;
    _Unreadable if it cannot."""
    try:
        tree = asn1.OCSPResponse.load(der, strict=True)
        status = bytes(tree["response_status"].contents)
        response_bytes = tree["response_bytes"]
        response_type = None
        if response_bytes.__class__.__name__ != _VOID:
            response_type = str(response_bytes["response_type"].dotted)
            bytes(response_bytes["response"].contents)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise _Unreadable(f"malformed OCSPResponse: {one_line(exc)}") from None
    problem = _illegal_integer(status)
    if problem is not None:
        raise _Unreadable(f"responseStatus: {problem}", padding=True)
    return status, response_type


def read_response(data: bytes, failure: str) -> Response:
    """A response file (-respin) or HTTP body: ``failure`` (openssl's message) if openssl
    cannot read it."""
    der, view, refused = _der_and_view(data, RESPONSE_PEM, "OCSP response", load_response, failure)
    try:
        status, response_type = _outer_response(der)
    except _Unreadable as exc:
        fail(failure, exc if exc.padding or refused is None else refused)
    return Response(der, _status_int(status), response_type, view, refused, status)
