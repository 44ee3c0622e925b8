"""ocsp_main (apps/ocsp.c): what both modes run on the options their state holds.

openssl's options (cli.openssl) and the subcommands (cli.subcommands) set up an :class:`Ocsp` (its
state and setters are :class:`~ocspkit.cli.state.OcspOptions`) and
call :meth:`Ocsp.run`: build or read a request, add a nonce and sign it, print and save it, get a
response (sign it from an index, send the request, or read a file), print and save it, verify it
and print each certificate's status, with openssl's output and exit status.
"""

from __future__ import annotations

import sys
from typing import IO, Optional, Tuple

from .._der import pem_armor
from ..enums import NonceCheck
from ..errors import OCSPError
from ..request import OCSPRequest, RequestBuilder
from ._common import (
    PROG,
    REQUEST_PEM,
    RESPONSE_PEM,
    cli_words,
    fail,
    load_cert,
    load_certs,
    load_key,
    one_line,
    pss_only,
    read_file,
    write_file,
    write_text,
)
from .index_responder import load_index, load_responder, make_response, serve_index
from .messages import Request, Response, read_request, read_response
from .state import OcspOptions

__all__ = ["Ocsp"]

# OCSP_request_add1_nonce(req, NULL, -1) writes 16 random octets (OCSP_DEFAULT_NONCE_LENGTH);
# the openssl-compatible mode writes what openssl writes.
_OPENSSL_NONCE_LENGTH = 16


class Ocsp(OcspOptions):
    """What ocsp_main does with the options of :class:`~ocspkit.cli.state.OcspOptions`."""

    # --- ocsp_main --------------------------------------------------------------------------

    def run(self) -> int:
        """ocsp_main, once every option is read: do what they ask; the exit status."""
        if self.trailing_md:
            fail("Digest must be before -cert or -serial")
        building = bool(self.ids) and self.ids_are_request
        if not building and self.reqin is None and self.respin is None and not (self.port and self.index):
            fail("nothing to do: give -cert or -serial with -issuer, -reqin or -respin (-help lists the options)")
        out, close = self._open_out()
        try:
            return self._run(out, building)
        finally:
            if close:
                out.close()

    def _open_out(self) -> Tuple[IO[str], bool]:
        if self.outfile is None or self.outfile == "-":
            return sys.stdout, False
        try:
            return open(self.outfile, "w", encoding="utf-8", errors="surrogateescape"), True
        except OSError as exc:
            fail(f"Can't open \"{self.outfile}\" for writing", exc.strerror or exc)

    def _run(self, out: IO[str], building: bool) -> int:
        err = sys.stderr
        request: Optional[Request] = None
        builder: Optional[RequestBuilder] = None
        if building:
            builder = RequestBuilder()
            for cert_id in self.ids:
                builder = builder.add_cert_id(cert_id)
        add_nonce = self.add_nonce if (building or self.add_nonce == 2) else 0
        if builder is None and self.reqin is not None:
            request = read_request(self.reqin)
        if builder is None and request is None and self.port is not None:
            return serve_index(self)
        responder = load_responder(self)
        index = None
        if self.index is not None:
            if responder is None:
                fail("Responder mode requires certificate, key, and CA.")
            index = load_index(self.index)
        has_request = builder is not None or request is not None
        if not has_request and (self.signfile or self.reqout or self.host or add_nonce or index is not None):
            fail("Need an OCSP request for this operation!")
        if builder is not None or (request is not None and (add_nonce or self.signfile)):
            view = None if request is None else request.usable()
            request = Request(None, self._finish_request(builder, view, bool(add_nonce)))
        if self.req_text and request is not None:
            write_text(out, request.text())
            out.flush()
        if self.reqout is not None and request is not None:
            der = request.encoded()
            write_file(self.reqout, pem_armor(der, REQUEST_PEM) if self.pem_out else der, "OCSP request")

        response: Response
        if index is not None:
            assert request is not None and responder is not None
            response = Response.of(make_response(self, request.usable(), index, *responder))
        elif self.host is not None:
            assert request is not None
            from .transport import http_send  # lazy: only -url speaks HTTP

            try:
                body = http_send(
                    self.host, self.port, self.path, self.use_ssl, request.encoded(), self.headers, self.timeout,
                    self.method,
                )
            except OCSPError as exc:
                fail("Error querying OCSP responder", exc)
            response = read_response(body, "Error querying OCSP responder")
        elif self.respin is not None:
            data = read_file(self.respin, "OCSP response")
            response = read_response(data, f"Error reading OCSP response from {self.respin}")
        else:
            return 0

        if self.respout is not None:
            der = response.der
            write_file(self.respout, pem_armor(der, RESPONSE_PEM) if self.pem_out else der, "OCSP response")
        error_line = response.error_line()
        if error_line is not None:
            out.write(error_line)
            out.flush()
            if not self.ignore_err:
                return 1
        if self.resp_text:
            write_text(out, response.text())
            out.flush()
        if index is not None:
            return 0

        from .trust import trust_store, verify_basic  # lazy: building a request verifies nothing

        # OpenSSL's defaults are read only to verify (loading them ignores errors, so skipping
        # them changes nothing else); -CAfile / -CApath / -CAstore fail here as openssl fails.
        trusted = trust_store(self, defaults=not self.noverify)
        untrusted = load_certs(self.verify_certfile, "validator certificates") if self.verify_certfile else []
        problem = response.basic_problem()
        if problem is not None:
            fail("Error parsing response", problem)
        if response.view is None and self.noverify and not self.names:
            return 0  # openssl reads it and has nothing more to do with it
        basic = response.usable().basic
        ret = 0
        if not self.noverify:
            if request is not None:
                # OpenSSL compares octet for octet
                from ..nonce import check_nonce  # lazy: only to verify (it imports secrets)

                nonce = check_nonce(request.usable(), basic, exact=True)
                if nonce is NonceCheck.REQUEST_ONLY:
                    err.write("WARNING: no nonce in response\n")
                elif nonce is NonceCheck.MISMATCH:
                    err.write("Nonce Verify error\n")
                    err.flush()
                    return 1
            failure = verify_basic(self, basic, trusted, untrusted)
            if failure is not None:
                err.write("Response Verify Failure\n")
                err.write(f"{PROG}: {one_line(cli_words(str(failure), self.subcommand))}\n")
                ret = 1
            else:
                err.write("Response verify OK\n")
            err.flush()
        if request is not None or not self.ids_are_request:
            from .summary import print_summary  # lazy: printing or building a message prints no statuses

            if not print_summary(self, out, basic):
                ret = 1
        out.flush()
        return ret

    def _finish_request(
        self, builder: Optional[RequestBuilder], request: Optional[OCSPRequest], add_nonce: bool
    ) -> OCSPRequest:
        """Add the nonce, then sign (OCSP_request_add1_nonce, OCSP_request_sign), as openssl does."""
        if builder is None:
            assert request is not None
            if request.is_signed and not self.signfile:
                fail("cannot add a nonce to a signed request without signing it again (-signer)")
            builder = _builder_from(request, keep_requestor=not self.signfile)
        if add_nonce:
            builder = builder.with_nonce(_OPENSSL_NONCE_LENGTH)
        if not self.signfile:
            return builder.build()
        signer = load_cert(self.signfile, "signer certificate")
        others = load_certs(self.sign_certfile, "signer certificates") if self.sign_certfile else []
        key = load_key(self.keyfile or self.signfile, "signer private key")
        try:
            return builder.sign(
                key, signer, extra_certs=others, include_certs=not self.sign_no_certs, pss=pss_only(key)
            )
        except OCSPError as exc:
            fail("Error signing OCSP request", exc)


def _builder_from(request: OCSPRequest, keep_requestor: bool) -> RequestBuilder:
    """A builder holding what ``request`` asks (to add a nonce to, or sign, a request read with
    -reqin): its CertIDs, service locators, extensions and (unless re-signed) requestorName."""
    builder = RequestBuilder()
    for single in request.requests:
        locator = None
        for extension in single.extensions:
            if extension.name != "service_locator":
                fail(f"cannot rebuild a request whose singleRequestExtensions hold {extension.name}")
            locator = extension
        builder = builder.add_cert_id(single.cert_id, service_locator=locator)
    for extension in request.extensions:
        builder = builder.with_extension(extension)
    if keep_requestor and request.requestor_name is not None:
        builder = builder.with_requestor_name(request.requestor_name)
    return builder
