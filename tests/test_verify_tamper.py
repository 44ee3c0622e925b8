"""Flipping any single byte of a valid signed response never yields a verified result.

Four responses are built with ocspkit.ResponseBuilder on ocspkit.testing PKIs (root ->
intermediate -> leaf, and a delegated responder of the intermediate):

* ``ca-rsa``: signed by the intermediate itself (the CA of the leaf), RSA, no certificates;
* ``delegated-rsa``: signed by the delegated responder, its certificate embedded, byName;
* ``delegated-ec-p256``: the same on a P-256 PKI (ECDSA signatures, DER inside the BIT STRING);
* ``by-key-rsa``: the delegated responder named byKey, its certificate embedded, with a nonce and a
  second SingleResponse (revoked, another serial) besides the leaf's.

For every byte offset of each (all of them) and the masks 0x01, 0x80 and 0xff, the mutated bytes go
to ``verify_response(m, trusted=[root], untrusted=[intermediate])``, to ``check_status(m, leaf,
intermediate)`` (the issuer as the anchor) and to ``check_status(..., trusted=[root])``: each must
raise an OCSPError (ParseError, UnsuccessfulResponse, a VerificationError, ...), never return, and
never raise anything else.

Why no mutation may verify -- the fixtures are designed so that every byte is covered by a check:

* tbsResponseData: the signature is checked over the bytes as received;
* signatureAlgorithm: any change names another algorithm (a PKCS#1 v1.5 DigestInfo carries the hash,
  an ECDSA key only takes ECDSA), an unknown one, non-NULL RSA parameters (RFC 4055 2.1) or breaks
  the encoding;
* the signature BIT STRING: its value is the signature; its header frames the message; its
  unused-bits octet must be 0, as OpenSSL's ASN1_item_verify requires ("invalid bit string bits
  left"): a signature is a whole number of octets. The fixtures are re-signed until each signature's
  last octet is even, so a 0x00 -> 0x01 flip of that octet leaves the octets a reader that masks the
  padding bits would use unchanged: that flip must be refused by the check, not by luck;
* certs: the CA-signed response carries none (an embedded copy of the CA certificate would be
  ignored, the signer being found among the caller's certificates first, so its bytes would be
  uncovered). The delegated responses carry only the responder's certificate, which is the signer
  (found in the response, byName or byKey): its tbsCertificate is covered by the intermediate's
  signature, its signatureAlgorithm and signature as above (its signature also ends in an even
  octet), and a change to its subject or key loses the signer;
* the OCSPResponse framing (responseStatus, responseType, the OCTET STRING and [0] headers): any
  change makes it unsuccessful, another type, or malformed (trailing or missing bytes included).

So no flip is exempt. A hypothesis property adds random multi-byte corruption, truncation,
insertion, deletion and extension, with the same expectation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
from asn1crypto import ocsp as ref_ocsp
from hypothesis import given, settings
from hypothesis import strategies as st

import ocspkit
from ocspkit import Authorization, CertID, CertStatus, OCSPError, ResponseBuilder
from ocspkit.testing import TestPKI, make_certificate

MASKS = (0x01, 0x80, 0xFF)
NAMES = ("ca-rsa", "delegated-rsa", "delegated-ec-p256", "by-key-rsa")


@dataclasses.dataclass(frozen=True)
class Signed:
    """A valid signed response and what verifies it."""

    name: str
    der: bytes
    root: bytes
    intermediate: bytes
    leaf: bytes
    now: dt.datetime
    authorization: Authorization
    embeds_signer: bool

    def calls(self) -> List[Tuple[str, Callable[[bytes], Any]]]:
        """The verifying calls, each taking the response bytes."""
        root, intermediate, leaf, now = self.root, self.intermediate, self.leaf, self.now
        return [
            (
                "verify_response(trusted=[root], untrusted=[intermediate])",
                lambda m: ocspkit.verify_response(m, trusted=[root], untrusted=[intermediate], now=now),
            ),
            ("check_status(leaf, intermediate)", lambda m: ocspkit.check_status(m, leaf, intermediate, now=now)),
            (
                "check_status(leaf, intermediate, trusted=[root])",
                lambda m: ocspkit.check_status(m, leaf, intermediate, trusted=[root], now=now),
            ),
        ]


def _signature_octets(der: bytes) -> bytes:
    """The response's signature BIT STRING contents, unused-bits octet first (stock asn1crypto)."""
    basic = ref_ocsp.OCSPResponse.load(der)["response_bytes"]["response"].parsed
    return bytes(basic["signature"].contents)


def _sign_even(builder: ResponseBuilder, key: Any, cert: Any, now: dt.datetime) -> Tuple[bytes, dt.datetime]:
    """Sign, moving producedAt a second at a time (RSA) or re-signing (ECDSA), until the signature's
    last octet is even (see the module docstring)."""
    for step in range(64):
        at = now + dt.timedelta(seconds=step)
        der = bytes(builder.sign(key, cert, now=at).dump())
        if _signature_octets(der)[-1] % 2 == 0:
            return der, at
    raise AssertionError("no signature with an even last octet in 64 tries")


def _responder(pki: TestPKI) -> bytes:
    """A delegated responder certificate for ``pki.intermediate`` (id-kp-OCSPSigning, the key of
    ``pki.responder``) whose signature ends in an even octet."""
    for serial in itertools.count(7000):
        cert = make_certificate(
            subject={"common_name": "ocspkit Tamper Test Responder"},
            public_key=pki.responder.certificate.public_key,
            issuer_key=pki.intermediate.private_key,
            issuer=pki.intermediate.certificate,
            serial_number=serial,
            not_before=pki.not_before,
            not_after=pki.not_after,
            extended_key_usage=("ocsp_signing",),
            ocsp_nocheck=True,
        )
        if bytes(cert["signature_value"].contents)[-1] % 2 == 0:
            return bytes(cert.dump())
    raise AssertionError("unreachable")


def _build(name: str, pki: TestPKI) -> Signed:
    leaf = pki.issue_leaf(f"{name}.example")
    now = pki.now
    builder = ResponseBuilder().add_response(
        CertID.from_issuer(pki.intermediate.cert_der, leaf.serial_number),
        "good",
        this_update=now,
        next_update=now + dt.timedelta(hours=1),
    )
    if name == "ca-rsa":
        der, at = _sign_even(builder.with_certificates(()), pki.intermediate.key_der, pki.intermediate.cert_der, now)
        authorization, embeds = Authorization.ISSUER, False
    else:
        responder = _responder(pki)
        if name == "by-key-rsa":
            builder = (
                builder.add_response(
                    CertID.from_issuer(pki.intermediate.cert_der, leaf.serial_number + 1000),
                    "revoked",
                    revocation_time=now - dt.timedelta(hours=1),
                    revocation_reason=1,
                    this_update=now,
                    next_update=now + dt.timedelta(hours=1),
                )
                .with_nonce(b"\x5a" * 16)
                .with_responder_id("key")
            )
        der, at = _sign_even(builder, pki.responder.key_der, responder, now)
        authorization, embeds = Authorization.DELEGATED, True
    return Signed(
        name, der, pki.root.cert_der, pki.intermediate.cert_der, leaf.cert_der, at, authorization, embeds
    )


@pytest.fixture(scope="module")
def signed(pki: TestPKI) -> Dict[str, Signed]:
    ec = TestPKI("ec")
    return {name: _build(name, ec if name.endswith("p256") else pki) for name in NAMES}


# --- where a byte is ---------------------------------------------------------------------------------


def _header(d: bytes, p: int) -> Tuple[int, int]:
    """(content start, end) of the DER element at ``p`` (definite lengths: the fixtures are DER)."""
    length = d[p + 1]
    q = p + 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(d[q : q + count], "big")
        q += count
    return q, q + length


def _signed_parts(d: bytes, start: int, what: str) -> List[Tuple[int, int, str]]:
    """The parts of a SEQUENCE {tbs, signatureAlgorithm, signature BIT STRING, ...} at ``start``."""
    content, _ = _header(d, start)
    tbs_end = _header(d, content)[1]
    algorithm_end = _header(d, tbs_end)[1]
    bits, bits_end = _header(d, algorithm_end)
    return [
        (start, content, f"{what} header"),
        (content, tbs_end, f"{what} tbs"),
        (tbs_end, algorithm_end, f"{what} signatureAlgorithm"),
        (algorithm_end, bits, f"{what} signature header"),
        (bits, bits + 1, f"{what} signature unused-bits octet"),
        (bits + 1, bits_end, f"{what} signature value"),
    ]


def _regions(d: bytes) -> List[Tuple[int, int, str]]:
    """Every byte of a response, by the part it belongs to."""
    p = _header(d, 0)[0]  # OCSPResponse
    p = _header(d, p)[1]  # past responseStatus
    p = _header(d, p)[0]  # [0] responseBytes
    p = _header(d, p)[0]  # ResponseBytes
    p = _header(d, p)[1]  # past responseType
    basic = _header(d, p)[0]  # the OCTET STRING's contents: BasicOCSPResponse
    basic_end = _header(d, basic)[1]
    regions = [(0, basic, "OCSPResponse framing")]
    parts = _signed_parts(d, basic, "response")
    regions += parts
    certs = parts[-1][1]
    if certs < basic_end:
        first, certs_end = _header(d, _header(d, certs)[0])
        regions.append((certs, first, "certs framing"))
        for index in itertools.count():
            if first >= certs_end:
                break
            regions += _signed_parts(d, first, f"certs[{index}]")
            first = _header(d, first)[1]
    return regions


def _where(regions: List[Tuple[int, int, str]], offset: int) -> str:
    return next(label for start, end, label in regions if start <= offset < end)


# --- the checks ----------------------------------------------------------------------------------------


def _escape(call: Callable[[bytes], Any], mutated: bytes) -> Optional[str]:
    """None when the call raises an OCSPError, else what it did instead."""
    try:
        result = call(mutated)
    except OCSPError:
        return None
    except Exception as exc:  # anything else is a finding, reported with the others
        return f"raised {type(exc).__name__} (not an OCSPError): {exc}"
    if isinstance(result, ocspkit.CertificateStatus):
        return f"returned status {result.status.name}"
    return f"returned {type(result).__name__}"


@pytest.mark.parametrize("name", NAMES)
def test_fixture_verifies_and_every_byte_is_mapped(signed: Dict[str, Signed], name: str) -> None:
    """Each unmutated response verifies in every call (so refusals below come from the mutation),
    with the signer the design says, and every byte belongs to a known part."""
    fx = signed[name]
    for label, call in fx.calls():
        result = call(fx.der)
        verdict = result.verdict if isinstance(result, ocspkit.CertificateStatus) else result
        if isinstance(result, ocspkit.CertificateStatus):
            assert result.status is CertStatus.GOOD, label
        assert verdict.authorization is fx.authorization, f"{label}: {verdict}"
        # The embedded responder certificate is the signer, so its bytes are all checked.
        assert verdict.signer_source == ("message" if fx.embeds_signer else "untrusted"), f"{label}: {verdict}"
    assert _signature_octets(fx.der)[0] == 0 and _signature_octets(fx.der)[-1] % 2 == 0
    regions = _regions(fx.der)
    assert [r[0] for r in regions[1:]] == [r[1] for r in regions[:-1]], regions
    assert regions[0][0] == 0 and regions[-1][1] == len(fx.der)
    assert any(label.startswith("certs[0]") for _, _, label in regions) is fx.embeds_signer


@pytest.mark.parametrize("mask", MASKS, ids=[f"xor{m:02x}" for m in MASKS])
@pytest.mark.parametrize("name", NAMES)
def test_every_single_byte_flip_is_refused(signed: Dict[str, Signed], name: str, mask: int) -> None:
    """Every offset, XOR ``mask``: every call raises an OCSPError."""
    fx = signed[name]
    regions = _regions(fx.der)
    calls = fx.calls()
    escapes = []
    for offset in range(len(fx.der)):
        mutated = bytearray(fx.der)
        mutated[offset] ^= mask
        for label, call in calls:
            escape = _escape(call, bytes(mutated))
            if escape is not None:
                escapes.append(f"offset {offset} ({_where(regions, offset)}): {label} {escape}")
    assert not escapes, (
        f"{len(escapes)} mutation(s) of {fx.name} ({len(fx.der)} bytes, xor {mask:#04x}) not refused:\n"
        + "\n".join(escapes[:40])
    )


def _corruptions(original: bytes) -> st.SearchStrategy[bytes]:
    """Random multi-byte XOR, truncation, insertion, deletion and extension of ``original``."""
    n = len(original)

    def xor(flips: Dict[int, int]) -> bytes:
        out = bytearray(original)
        for offset, value in flips.items():
            out[offset] ^= value
        return bytes(out)

    return st.one_of(
        st.dictionaries(st.integers(0, n - 1), st.integers(1, 255), min_size=2, max_size=12).map(xor),
        st.integers(0, n - 1).map(lambda k: original[:k]),
        st.binary(min_size=1, max_size=32).map(lambda tail: original + tail),
        st.tuples(st.integers(0, n), st.binary(min_size=1, max_size=8)).map(
            lambda t: original[: t[0]] + t[1] + original[t[0] :]
        ),
        st.tuples(st.integers(0, n - 1), st.integers(1, 16)).map(
            lambda t: original[: t[0]] + original[t[0] + t[1] :]
        ),
    )


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data())
def test_random_corruption_is_refused(signed: Dict[str, Signed], name: str, data: st.DataObject) -> None:
    """Multi-byte corruption, truncation, insertion, deletion, extension: still refused."""
    fx = signed[name]
    mutated = data.draw(_corruptions(fx.der), label="mutated")
    assert mutated != fx.der
    for label, call in fx.calls():
        escape = _escape(call, mutated)
        assert escape is None, f"{fx.name}: {label} {escape}"
