"""A TLS client that checks the server's certificate with OCSP after the handshake: the server
runs in a thread with a leaf of the test PKI, the OCSP responder in-process beside it."""

from __future__ import annotations

import socket
import ssl
import threading
from typing import Iterator, Tuple

import pytest
from ocsp_client import RevocationCheckError, check_online


@pytest.fixture
def tls_server(ocsp_responder) -> Iterator[Tuple[int, object]]:
    """A one-connection-at-a-time TLS server for 'localhost' whose certificate names the responder."""
    leaf = ocsp_responder.issue_leaf("localhost")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with leaf.key_and_chain_file() as path:
        context.load_cert_chain(path)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            connection.settimeout(5)
            try:
                with context.wrap_socket(connection, server_side=True) as tls:
                    tls.sendall(b"hello\n")
            except (ssl.SSLError, OSError):
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], leaf
    stop.set()
    thread.join(5)
    listener.close()


def connect(port: int, ocsp_pki) -> bytes:
    """Handshake with the server, trusting the test root; check its certificate with OCSP."""
    context = ssl.create_default_context(cadata=ocsp_pki.trust_pem.decode())
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
            context.wrap_socket(raw, server_hostname="localhost") as tls:
        peer = tls.getpeercert(binary_form=True)
        status = check_online(peer, ocsp_pki.intermediate.certificate, [ocsp_pki.root.certificate])
        if not status.good:
            raise RevocationCheckError("revoked", f"the server's certificate is {status.status}")
        return tls.recv(100)


def test_tls_with_a_good_certificate(tls_server, ocsp_pki):
    port, _ = tls_server
    assert connect(port, ocsp_pki) == b"hello\n"


def test_tls_with_a_revoked_certificate(tls_server, ocsp_pki, ocsp_responder):
    port, leaf = tls_server
    ocsp_responder.set_status(leaf, "revoked", reason="key_compromise")
    with pytest.raises(RevocationCheckError, match="revoked"):
        connect(port, ocsp_pki)


def test_tls_when_the_responder_fails(tls_server, ocsp_pki, ocsp_responder):
    port, _ = tls_server
    ocsp_responder.answer_with("try-later")
    with pytest.raises(RevocationCheckError, match="responder-error"):
        connect(port, ocsp_pki)
