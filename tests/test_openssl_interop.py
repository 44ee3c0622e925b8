"""Client and server messages against the openssl CLI, both directions.

1. ocspkit reads what a running ``openssl ocsp -index ... -port 0`` responder answers (POST and
   GET, N CertIDs, every index.txt status and reason, CA-signed and delegated, by name and key).
2. ocspkit reads what ``openssl ocsp -reqout`` writes (N certs, nonce options, per-cert hashes,
   signed with -signer/-signkey/-sign_other).
3. A signing matrix (RSA PKCS#1 v1.5 SHA-1..SHA-512, RSA-PSS, ECDSA P-256/384/521), both
   messages, both directions: openssl reads and verifies what ocspkit signs, ocspkit reads and
   verifies what openssl signs. The openssl CLI never verifies request signatures (apps/ocsp.c
   does not call OCSP_request_verify), so libcrypto's OCSP_request_verify is called directly,
   and pyca ``cryptography`` checks them too.

What tests/test_build_interop.py already covers (byte equality of one unsigned request, one
RSA-SHA256 request read by -req_text, RSA responses verified by -reqin/-verify_other) is not
repeated here.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import urllib.parse
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import pytest
from _interop_helpers import (
    OCSP_NOVERIFY,
    OPENSSL_SIGNATURE_NAMES,
    generalized_time,
    index_line,
    libcrypto_request_verify,
    libcrypto_version,
    openssl_time,
    parse_request_text,
    parse_single_responses,
    summary_status,
)
from _openssl_cli import OpenSSLResponder, ok, req_text, resp_text, run, version_text
from asn1crypto import ocsp as asn1_ocsp

import ocspkit
from ocspkit import (
    CertID,
    CertStatus,
    NonceCheck,
    NonceForm,
    RequestBuilder,
    ResponseBuilder,
    RevocationReason,
    crypto,
)
from ocspkit.testing import CertifiedKey, TestPKI, make_certificate

UTC = dt.timezone.utc
BASIC_OID = "1.3.6.1.5.5.7.48.1.1"
HASH_SIZES = {"sha1": 20, "sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64}


def utcnow() -> dt.datetime:
    return dt.datetime.now(UTC).replace(microsecond=0)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def tamper_signature(der: bytes, signature: bytes) -> bytes:
    """``der`` with the last octet of ``signature`` flipped (the signature appears once)."""
    assert der.count(signature) == 1
    bad = signature[:-1] + bytes([signature[-1] ^ 0x01])
    return der.replace(signature, bad)


# --------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def pki_dir(pki: TestPKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("openssl-pki")
    write(d / "root.pem", pki.root.cert_pem)
    for name, item in (("int", pki.intermediate), ("responder", pki.responder)):
        write(d / f"{name}.pem", item.cert_pem)
        write(d / f"{name}.key", item.key_pem)
    return d


@pytest.fixture
def start_responder(
    openssl_bin: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Callable[..., OpenSSLResponder]:
    """Start ``openssl ocsp -port 0 ARGS``; every responder started is terminated at teardown."""
    started: List[OpenSSLResponder] = []

    def stop_all() -> None:
        for responder in started:
            responder.stop()

    request.addfinalizer(stop_all)

    def start(*args: Any) -> OpenSSLResponder:
        workdir = tmp_path / f"responder{len(started)}"
        workdir.mkdir()
        responder = OpenSSLResponder(openssl_bin, workdir, [str(a) for a in args])
        started.append(responder)
        return responder

    return start


def test_libcrypto_matches_the_cli(openssl_bin: str) -> None:
    """The libcrypto used for OCSP_request_verify is the one the openssl CLI uses."""
    cli = version_text().split()[1]
    assert cli in libcrypto_version()


# --------------------------------------------------------------------------------------------
# 1. ocspkit reads a running `openssl ocsp` responder


@dataclasses.dataclass(frozen=True)
class IndexCase:
    """One CertID asked about, the index.txt row behind it, and what the answer must be."""

    label: str
    row: Optional[str]  # index.txt type V/R/E, or None: not in the index
    status: Optional[CertStatus]  # None: openssl leaves the CertID out of the response
    reason_field: Optional[str] = None  # the reason as written in index.txt
    argument: Optional[str] = None  # index.txt's third revocation sub-field
    reason: Optional[RevocationReason] = None
    invalidity: Optional[dt.datetime] = None
    hold_instruction: bool = False
    other_issuer: bool = False


def index_cases(now: dt.datetime) -> List[IndexCase]:
    invalidity = now - dt.timedelta(days=40, hours=3)
    return [
        IndexCase("good", "V", CertStatus.GOOD),
        IndexCase("keyCompromise", "R", CertStatus.REVOKED, "keyCompromise", reason=RevocationReason.KEY_COMPROMISE),
        IndexCase("cACompromise", "R", CertStatus.REVOKED, "CACompromise", reason=RevocationReason.CA_COMPROMISE),
        IndexCase("superseded", "R", CertStatus.REVOKED, "superseded", reason=RevocationReason.SUPERSEDED),
        IndexCase("affiliationChanged", "R", CertStatus.REVOKED, "affiliationChanged",
                  reason=RevocationReason.AFFILIATION_CHANGED),
        IndexCase("cessationOfOperation", "R", CertStatus.REVOKED, "cessationOfOperation",
                  reason=RevocationReason.CESSATION_OF_OPERATION),
        IndexCase("certificateHold", "R", CertStatus.REVOKED, "certificateHold",
                  reason=RevocationReason.CERTIFICATE_HOLD),
        IndexCase("removeFromCRL", "R", CertStatus.REVOKED, "removeFromCRL", reason=RevocationReason.REMOVE_FROM_CRL),
        IndexCase("unspecified", "R", CertStatus.REVOKED, "unspecified", reason=RevocationReason.UNSPECIFIED),
        IndexCase("no-reason", "R", CertStatus.REVOKED),
        IndexCase("serial-zero", "R", CertStatus.REVOKED, "affiliationChanged",
                  reason=RevocationReason.AFFILIATION_CHANGED),
        # openssl ca -crl_compromise: keyCompromise with an invalidity date singleExtension.
        IndexCase("keyTime", "R", CertStatus.REVOKED, "keyTime", generalized_time(invalidity),
                  reason=RevocationReason.KEY_COMPROMISE, invalidity=invalidity),
        # openssl ca -crl_hold: certificateHold with a holdInstructionCode singleExtension.
        IndexCase("holdInstruction", "R", CertStatus.REVOKED, "holdInstruction", "holdInstructionReject",
                  reason=RevocationReason.CERTIFICATE_HOLD, hold_instruction=True),
        # apps/ocsp.c make_ocsp_response answers V and R rows only: an E row gets no SingleResponse.
        IndexCase("expired-row", "E", None),
        IndexCase("not-in-index", None, CertStatus.UNKNOWN),
        IndexCase("other-issuer", "V", CertStatus.UNKNOWN, other_issuer=True),
    ]


@dataclasses.dataclass
class IndexSetup:
    cases: List[IndexCase]
    cert_ids: List[CertID]
    revoked_at: Dict[str, dt.datetime]
    index: Path


def make_index(pki: TestPKI, directory: Path, now: dt.datetime, hash_algorithm: str = "sha1") -> IndexSetup:
    """index.txt for index_cases(): real leaves for the first two rows, bare serials after."""
    issuer = pki.intermediate.certificate
    expires = now + dt.timedelta(days=300)
    cases = index_cases(now)
    lines, cert_ids, revoked_at = [], [], {}
    leaves = [pki.issue_leaf(f"{cases[i].label}.example") for i in range(2)]
    for i, case in enumerate(cases):
        if i < len(leaves):
            serial = leaves[i].serial_number
            cert_id = CertID.from_cert(leaves[i].certificate, issuer, hash_algorithm)
        else:
            # Bare serials: one 20 octets wide with its top bit set, and zero (index.txt "00").
            special = {"superseded": (0x9A << 152) + 0x5E0000 + i, "serial-zero": 0}
            serial = special.get(case.label, 0x5E0000 + i * 0x1111)
            cert_id = CertID.from_issuer(pki.root.certificate if case.other_issuer else issuer, serial, hash_algorithm)
        if case.row is not None:
            revoked = now - dt.timedelta(days=10 + i, minutes=7 * i, seconds=i)
            if case.row == "R":
                revoked_at[case.label] = revoked
            lines.append(index_line(case.row, serial, expires, f"/CN={case.label}.example",
                                    revoked if case.row == "R" else None, case.reason_field, case.argument))
        cert_ids.append(cert_id)
    index = directory / "index.txt"
    index.write_text("".join(lines), encoding="ascii")
    return IndexSetup(cases, cert_ids, revoked_at, index)


def assert_matches_openssl_text(response: ocspkit.OCSPResponse, text: str) -> None:
    """ocspkit's reading of a response equals `openssl ocsp -resp_text`'s, field by field."""
    assert f"Produced At: {openssl_time(response.produced_at)}" in text
    blocks = parse_single_responses(text)
    assert len(blocks) == len(response.responses)
    for single, block in zip(response.responses, blocks):
        cid = single.cert_id
        assert block["Hash Algorithm"] == cid.hash_algorithm
        assert block["Issuer Name Hash"] == cid.issuer_name_hash.hex().upper()
        assert block["Issuer Key Hash"] == cid.issuer_key_hash.hex().upper()
        assert int(block["Serial Number"], 16) == cid.serial_number
        assert block["Cert Status"] == single.cert_status.name.lower()
        assert block["This Update"] == openssl_time(single.this_update)
        if single.next_update is None:
            assert "Next Update" not in block
        else:
            assert block["Next Update"] == openssl_time(single.next_update)
        if single.revocation_time is not None:
            assert block["Revocation Time"] == openssl_time(single.revocation_time)
        if single.revocation_reason is None:
            assert "Revocation Reason" not in block
        else:
            reason = single.revocation_reason
            assert block["Revocation Reason"] == f"{reason.asn1_name} (0x{int(reason):x})"
        invalidity = single.extensions.get("invalidity_date")
        if invalidity is not None:
            assert block["Invalidity Date"] == openssl_time(invalidity.value.native)


@pytest.mark.parametrize("by", ["name", "key"], ids=["by-name", "by-key"])
@pytest.mark.parametrize("signer", ["ca", "delegated"])
def test_running_responder_post(
    pki: TestPKI, pki_dir: Path, tmp_path: Path, start_responder: Callable[..., OpenSSLResponder],
    openssl_bin: str, signer: str, by: str,
) -> None:
    now = utcnow()
    setup = make_index(pki, tmp_path, now)
    key = pki.intermediate if signer == "ca" else pki.responder
    stem = "int" if signer == "ca" else "responder"
    args: List[Any] = ["-index", setup.index, "-CA", pki_dir / "int.pem", "-rsigner", pki_dir / f"{stem}.pem",
                       "-rkey", pki_dir / f"{stem}.key", "-nrequest", 1, "-nmin", 5]
    if by == "key":
        args.append("-resp_key_id")
    if signer == "delegated":
        args += ["-rother", pki_dir / "int.pem"]
    responder = start_responder(*args)

    builder = RequestBuilder()
    for cert_id in setup.cert_ids:
        builder = builder.add_cert_id(cert_id)
    request = builder.with_nonce().build()
    before = utcnow()
    status, headers, body = responder.post(request.dump())
    after = utcnow() + dt.timedelta(seconds=1)
    assert status == 200
    assert headers.get("Content-type", headers.get("Content-Type")) == "application/ocsp-response"
    assert responder.wait() == 0, responder.output()  # -nrequest 1: served one request and left cleanly

    response = ocspkit.load_response(body, strict=True)
    assert response.response_status is ocspkit.ResponseStatus.SUCCESSFUL
    assert response.response_type == BASIC_OID
    assert not response.deviations

    # Who signed, and with which certificates.
    if by == "name":
        assert response.responder_id.type is ocspkit.ResponderIDType.BY_NAME
        assert response.responder_id.name == key.certificate.subject
    else:
        assert response.responder_id.type is ocspkit.ResponderIDType.BY_KEY
        assert response.responder_id.key_hash == crypto.key_hash(key.certificate)
    expected_certs = [key.cert_der] + ([pki.intermediate.cert_der] if signer == "delegated" else [])
    assert [c.dump() for c in response.certs] == expected_certs
    basic = response.basic
    crypto.verify_signature(key.certificate, basic.signature, basic.tbs_response_data_bytes, basic.signature_algorithm)
    assert basic.signature_algorithm["algorithm"].native == "sha256_rsa"

    # The nonce comes back exactly as sent.
    assert ocspkit.check_nonce(request, response) is NonceCheck.EQUAL
    assert ocspkit.check_nonce(request, response, exact=True) is NonceCheck.EQUAL
    assert response.nonce == request.nonce and response.basic.nonce_form is NonceForm.WRAPPED

    # Times: producedAt and thisUpdate are "now"; -nmin 5 puts nextUpdate five minutes later.
    assert before - dt.timedelta(seconds=1) <= response.produced_at <= after
    for single in response.responses:
        assert before - dt.timedelta(seconds=1) <= single.this_update <= response.produced_at
        assert single.next_update is not None
        span = single.next_update - single.this_update
        assert dt.timedelta(minutes=5) <= span <= dt.timedelta(minutes=5, seconds=1)

    # One SingleResponse per CertID, in request order, except the E row that openssl skips.
    expected = [(c, i) for c, i in zip(setup.cases, setup.cert_ids) if c.status is not None]
    assert [s.cert_id for s in response.responses] == [i for _, i in expected]
    for case, cert_id in zip(setup.cases, setup.cert_ids):
        found = response.find(cert_id)
        if case.status is None:
            assert found is None, case.label
            continue
        assert found is not None, case.label
        assert found.cert_status is case.status, case.label
        if case.status is CertStatus.REVOKED:
            assert found.revocation_time == setup.revoked_at[case.label], case.label
            assert found.revocation_reason is case.reason, case.label
        else:
            assert found.revocation_time is None and found.revocation_reason is None, case.label
        invalidity = found.extensions.get("invalidity_date")
        hold = found.extensions.get("2.5.29.23")  # id-ce-holdInstructionCode
        if case.invalidity is not None:
            assert invalidity is not None and invalidity.value.native == case.invalidity, case.label
            assert not invalidity.critical
        else:
            assert invalidity is None, case.label
        if case.hold_instruction:
            # holdInstructionReject, 1.2.840.10040.2.3, as the extnValue's OBJECT IDENTIFIER.
            assert hold is not None and hold.raw_value == bytes.fromhex("06072a8648ce380203"), case.label
        else:
            assert hold is None, case.label

    # The same bytes, as openssl reads them.
    resp_file = write(tmp_path / "resp.der", body)
    text = ok(resp_text(resp_file))
    assert_matches_openssl_text(response, text)
    if by == "key":
        assert f"Responder Id: {crypto.key_hash(key.certificate).hex().upper()}" in text
    else:
        assert f"Responder Id: CN = {key.certificate.subject.native['common_name']}" in text


def test_responder_id_name_is_the_signer_subject(
    pki: TestPKI, pki_dir: Path, tmp_path: Path, openssl_bin: str
) -> None:
    """ResponderID.name is documented as "the asn1crypto Name for byName": its DER, and so
    Name.sha1/.sha256 (what issuer/responder matching hashes), must be the responder's subject."""
    setup = make_index(pki, tmp_path, utcnow())
    request = RequestBuilder().add_cert_id(setup.cert_ids[0]).build()
    out = tmp_path / "resp.der"
    ok(run([openssl_bin, "ocsp", "-index", setup.index, "-CA", pki_dir / "int.pem", "-rsigner",
            pki_dir / "responder.pem", "-rkey", pki_dir / "responder.key",
            "-reqin", write(tmp_path / "req.der", request.dump()), "-respout", out]))
    name = ocspkit.load_response(out.read_bytes()).responder_id.name
    subject = pki.responder.certificate.subject
    assert name == subject  # asn1crypto's equality compares the normalised RDNs: this holds
    assert name.dump() == subject.dump() and name.sha1 == subject.sha1, (
        "BUG: ResponderID.name returns the explicitly tagged CHOICE alternative: its dump() is "
        f"{name.dump()[:2].hex()}... ([1] EXPLICIT wrapper) instead of the Name's DER "
        f"{subject.dump()[:2].hex()}..., so Name.sha1/.sha256 and DER comparisons with the signer's "
        "subject fail"
    )


def _get_path(der: bytes) -> str:
    # RFC 6960 A.1: GET {url}/{url-encoding of base-64 encoding of the DER encoding of the OCSPRequest}
    return "/" + urllib.parse.quote(base64.b64encode(der).decode("ascii"), safe="")


def test_running_responder_get_and_post_agree(
    pki: TestPKI, pki_dir: Path, tmp_path: Path, start_responder: Callable[..., OpenSSLResponder]
) -> None:
    setup = make_index(pki, tmp_path, utcnow())
    responder = start_responder("-index", setup.index, "-CA", pki_dir / "int.pem", "-rsigner",
                                pki_dir / "responder.pem", "-rkey", pki_dir / "responder.key", "-nrequest", 2,
                                "-resp_no_certs")
    builder = RequestBuilder()
    for cert_id in setup.cert_ids:
        builder = builder.add_cert_id(cert_id)
    # A request whose base64 needs percent-encoding ('+', '/', '='), so the escaping is exercised.
    for attempt in range(200):
        request = builder.with_nonce(16 + attempt % 3).build()  # three lengths: every base64 padding
        b64 = base64.b64encode(request.dump()).decode()
        if {"+", "/"} <= set(b64) and b64.endswith("="):
            break
    else:
        raise AssertionError("no request with '+', '/' and '=' in its base64 after 200 tries")
    path = _get_path(request.dump())
    assert "%2B" in path and "%2F" in path and "%3D" in path

    answers = []
    for status, headers, body in (responder.get(path), responder.post(request.dump())):
        assert status == 200
        assert headers.get("Content-type", headers.get("Content-Type")) == "application/ocsp-response"
        answers.append(ocspkit.load_response(body, strict=True))
    assert responder.wait() == 0, responder.output()
    log = responder.output()
    assert "1st line: GET /" in log and "1st line: POST /" in log

    by_get, by_post = answers
    for response in answers:
        assert ocspkit.check_nonce(request, response, exact=True) is NonceCheck.EQUAL
        assert response.nonce == request.nonce
        assert response.certs == ()  # -resp_no_certs
        basic = response.basic
        crypto.verify_signature(pki.responder.certificate, basic.signature, basic.tbs_response_data_bytes,
                                basic.signature_algorithm)
    assert [(s.cert_id, s.cert_status, s.revocation_time, s.revocation_reason) for s in by_get.responses] == [
        (s.cert_id, s.cert_status, s.revocation_time, s.revocation_reason) for s in by_post.responses
    ]
    assert len(by_get.responses) == len(setup.cert_ids) - 1  # the E row


@pytest.mark.parametrize("rcid", [None, "sha256"], ids=["same-hash", "rcid-sha256"])
def test_running_responder_certid_hashes(
    pki: TestPKI, pki_dir: Path, tmp_path: Path, start_responder: Callable[..., OpenSSLResponder],
    openssl_bin: str, rcid: Optional[str],
) -> None:
    """CertIDs in four hashes in one request, answered in the same hash each. With -rcid openssl
    3.0 re-hashes the CertID but loses the serial (apps/ocsp.c: OCSP_cert_to_id(resp_md, NULL,
    ca_cert) has no subject, so serialNumber is 0): ocspkit must then find no match, even
    hash-agile, rather than pair a status with the wrong certificate."""
    now = utcnow()
    issuer = pki.intermediate.certificate
    good, revoked = pki.issue_leaf("hash-good.example"), pki.issue_leaf("hash-revoked.example")
    revoked_at = now - dt.timedelta(days=3)
    index = tmp_path / "index.txt"
    index.write_text(
        index_line("V", good.serial_number, now + dt.timedelta(days=30), "/CN=hash-good.example")
        + index_line("R", revoked.serial_number, now + dt.timedelta(days=30), "/CN=hash-revoked.example",
                     revoked_at, "keyCompromise"),
        encoding="ascii",
    )
    args: List[Any] = ["-index", index, "-CA", pki_dir / "int.pem", "-rsigner", pki_dir / "responder.pem",
                       "-rkey", pki_dir / "responder.key", "-nrequest", 1]
    if rcid:
        args += ["-rcid", rcid]
    responder = start_responder(*args)
    hashes = ["sha1", "sha224", "sha256", "sha384", "sha512"]
    wanted = [(leaf, h) for h in hashes for leaf in (good, revoked)]
    builder = RequestBuilder()
    for leaf, h in wanted:
        builder = builder.add_cert(leaf.certificate, issuer, h)
    request = builder.with_nonce().build()
    _, _, body = responder.post(request.dump())
    assert responder.wait() == 0, responder.output()
    response = ocspkit.load_response(body)
    assert len(response.responses) == len(wanted)
    for (leaf, h), cert_id, single in zip(wanted, request.cert_ids, response.responses):
        expected = CertStatus.GOOD if leaf is good else CertStatus.REVOKED
        assert single.cert_status is expected
        if leaf is revoked:
            assert single.revocation_time == revoked_at
            assert single.revocation_reason is RevocationReason.KEY_COMPROMISE
        if rcid is None:
            assert single.cert_id == cert_id == CertID.from_cert(leaf.certificate, issuer, h)
            assert response.find(cert_id) is single
            assert response.find(CertID.from_cert(leaf.certificate, issuer, "sha1"), issuer) is not None
        else:
            assert single.cert_id == CertID.from_issuer(issuer, 0, rcid)
            assert single.cert_id.issued_by(issuer)
            assert response.find(cert_id) is None
            assert response.find(cert_id, issuer) is None
    text = ok(resp_text(write(tmp_path / "resp.der", body)))
    assert_matches_openssl_text(response, text)


# --------------------------------------------------------------------------------------------
# 2. ocspkit reads what `openssl ocsp -reqout` writes


SHA1_X3 = [("cert", 0, "sha1"), ("cert", 1, "sha1"), ("cert", 2, "sha1")]
REQOUT_VARIANTS: Dict[str, Tuple[List[str], List[Tuple[str, int, str]], bool]] = {
    # id: (arguments after -issuer; what each CertID is for: ("cert", leaf, hash) / ("serial", n, hash); nonce?)
    "three-certs-nonce": (["-cert", "{0}", "-cert", "{1}", "-cert", "{2}", "-nonce"], SHA1_X3, True),
    "three-certs-no_nonce": (["-cert", "{0}", "-cert", "{1}", "-cert", "{2}", "-no_nonce"], SHA1_X3, False),
    # openssl adds a nonce unless told -no_nonce.
    "three-certs-default-nonce": (["-cert", "{0}", "-cert", "{1}", "-cert", "{2}"], SHA1_X3, True),
    # A digest option applies to every later -cert/-serial until the next one.
    "per-cert-hash-and-serials": (
        ["-cert", "{0}", "-sha256", "-cert", "{1}", "-cert", "{2}", "-sha512", "-serial", "0x9F00000000000000000001",
         "-sha384", "-serial", "4660", "-sha224", "-serial", "-1234", "-serial", "0", "-no_nonce"],
        [("cert", 0, "sha1"), ("cert", 1, "sha256"), ("cert", 2, "sha256"),
         ("serial", 0x9F00000000000000000001, "sha512"), ("serial", 4660, "sha384"), ("serial", -1234, "sha224"),
         ("serial", 0, "sha224")],
        False,
    ),
}


@pytest.mark.parametrize("variant", list(REQOUT_VARIANTS))
def test_openssl_reqout_is_read(
    pki: TestPKI, pki_dir: Path, tmp_path: Path, openssl_bin: str, variant: str
) -> None:
    raw_args, expected, with_nonce = REQOUT_VARIANTS[variant]
    leaves = [pki.issue_leaf(f"reqout{i}.example") for i in range(3)]
    paths = [str(write(tmp_path / f"leaf{i}.pem", leaf.cert_pem)) for i, leaf in enumerate(leaves)]
    args = [a.format(*paths) for a in raw_args]
    out = tmp_path / "req.der"
    ok(run([openssl_bin, "ocsp", "-issuer", pki_dir / "int.pem", *args, "-reqout", out]))
    der = out.read_bytes()

    request = ocspkit.load_request(der, strict=True)
    issuer = pki.intermediate.certificate
    expected_ids = [
        CertID.from_cert(leaves[n].certificate, issuer, h) if what == "cert" else CertID.from_issuer(issuer, n, h)
        for what, n, h in expected
    ]
    assert list(request.cert_ids) == expected_ids
    assert request.dump() == der and not request.deviations
    assert request.version == 0
    assert not request.is_signed and request.signature_algorithm is None and request.signature is None
    assert request.certs == () and request.requestor_name is None

    text = parse_request_text(ok(req_text(out)))
    assert [(i["hash"], i["serial"]) for i in text["ids"]] == [
        (c.hash_algorithm, c.serial_number) for c in expected_ids
    ]
    assert [(i["name_hash"], i["key_hash"]) for i in text["ids"]] == [
        (c.issuer_name_hash.hex().upper(), c.issuer_key_hash.hex().upper()) for c in expected_ids
    ]
    if with_nonce:
        # OCSP_request_add1_nonce(req, NULL, -1): 16 random octets wrapped in an OCTET STRING.
        assert request.nonce is not None and len(request.nonce) == 16
        assert request.nonce_form is NonceForm.WRAPPED
        assert text["nonce_hex"] == "0410" + request.nonce.hex().upper()
        assert [e.name for e in request.extensions] == ["nonce"]
    else:
        assert request.nonce is None and text["nonce_hex"] is None
        assert len(request.extensions) == 0

    # ocspkit writes the same bytes from the same inputs.
    rebuilt = RequestBuilder()
    for cert_id in request.cert_ids:
        rebuilt = rebuilt.add_cert_id(cert_id)
    if with_nonce:
        assert request.nonce is not None
        rebuilt = rebuilt.with_nonce(request.nonce)
    assert rebuilt.build().dump() == der


@dataclasses.dataclass(frozen=True)
class KeyKind:
    name: str
    algorithm: str
    curve: str = ""

    def generate(self) -> crypto.PrivateKey:
        if self.algorithm == "ec":
            return crypto.generate_private_key("ec", curve=self.curve)
        return crypto.generate_private_key("rsa", bit_size=2048)


KINDS = {k.name: k for k in (KeyKind("rsa", "rsa"), KeyKind("p256", "ec", "secp256r1"),
                              KeyKind("p384", "ec", "secp384r1"), KeyKind("p521", "ec", "secp521r1"))}


@dataclasses.dataclass
class KindPKI:
    """Under the TestPKI root: a CA, a delegated responder and a client of one key kind, and three
    leaves issued by that CA; every file openssl needs in ``dir``."""

    kind: KeyKind
    ca: CertifiedKey
    responder: CertifiedKey
    client: CertifiedKey
    leaves: List[CertifiedKey]
    dir: Path


_SERIALS = iter(range(0x7000, 0x8000))


def _issue(pki: TestPKI, key: crypto.PrivateKey, name: str, issuer: CertifiedKey, **options: Any) -> CertifiedKey:
    cert = make_certificate(
        subject={"common_name": name}, public_key=key.public_key, issuer_key=issuer.private_key,
        issuer=issuer.certificate, serial_number=next(_SERIALS), not_before=pki.not_before,
        not_after=pki.not_after, **options,
    )
    return CertifiedKey(cert, key)


@pytest.fixture(scope="module")
def kind_pki(pki: TestPKI, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], KindPKI]:
    cache: Dict[str, KindPKI] = {}
    leaf_key = crypto.generate_private_key("ec", curve="secp256r1")  # leaf keys never sign here

    def get(name: str) -> KindPKI:
        if name not in cache:
            kind = KINDS[name]
            root = CertifiedKey(pki.root.certificate, pki.root.private_key)
            ca = _issue(pki, kind.generate(), f"{name} CA", root, ca=True, path_length=0)
            responder = _issue(pki, kind.generate(), f"{name} OCSP Responder", ca,
                               extended_key_usage=("ocsp_signing",), ocsp_nocheck=True)
            client = _issue(pki, kind.generate(), f"{name} OCSP client", ca)
            leaves = [_issue(pki, leaf_key, f"{name} leaf {i}", ca) for i in range(3)]
            d = tmp_path_factory.mktemp(f"kind-{name}")
            write(d / "root.pem", pki.root.cert_pem)
            for stem, item in (("ca", ca), ("responder", responder), ("client", client)):
                write(d / f"{stem}.pem", item.cert_pem)
                write(d / f"{stem}.key", item.key_pem)
            for i, leaf in enumerate(leaves):
                write(d / f"leaf{i}.pem", leaf.cert_pem)
            cache[name] = KindPKI(kind, ca, responder, client, leaves, d)
        return cache[name]

    return get


SIGNED_REQUEST_OPTIONS = ["signer-only", "sign_other", "no_certs"]


@pytest.mark.parametrize("option", SIGNED_REQUEST_OPTIONS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_openssl_signed_request_is_read(
    kind_pki: Callable[[str], KindPKI], tmp_path: Path, openssl_bin: str, kind: str, option: str
) -> None:
    """-signer/-signkey (+ -sign_other, -no_certs): cert_ids, nonce, signer certs and a signature
    that verifies over tbsRequest as received."""
    k = kind_pki(kind)
    chain = write(tmp_path / "chain.pem", k.ca.cert_pem + k.leaves[0].cert_pem)
    extras: Dict[str, List[object]] = {"signer-only": [], "sign_other": ["-sign_other", chain],
                                       "no_certs": ["-no_certs"]}
    extra = extras[option]
    out = tmp_path / "signed-req.der"
    ok(run([openssl_bin, "ocsp", "-issuer", k.dir / "ca.pem", "-cert", k.dir / "leaf0.pem", "-cert",
            k.dir / "leaf1.pem", "-sha256", "-cert", k.dir / "leaf2.pem", "-nonce", "-signer", k.dir / "client.pem",
            "-signkey", k.dir / "client.key", *extra, "-reqout", out]))
    der = out.read_bytes()
    request = ocspkit.load_request(der, strict=True)

    issuer = k.ca.certificate
    assert list(request.cert_ids) == [
        CertID.from_cert(k.leaves[0].certificate, issuer), CertID.from_cert(k.leaves[1].certificate, issuer),
        CertID.from_cert(k.leaves[2].certificate, issuer, "sha256"),
    ]
    assert request.is_signed
    text = parse_request_text(ok(req_text(out)))
    assert request.nonce is not None and text["nonce_hex"] == "0410" + request.nonce.hex().upper()
    sig_name = request.signature_algorithm["algorithm"].native
    assert text["signature_algorithm"] == OPENSSL_SIGNATURE_NAMES[sig_name]
    # OCSP_request_sign(..., dgst=NULL): the key's default digest, SHA-256 for RSA and every EC curve.
    assert sig_name == ("sha256_rsa" if kind == "rsa" else "sha256_ecdsa")
    assert request.requestor_name is not None and request.requestor_name.name == "directory_name"
    assert request.requestor_name.chosen == k.client.certificate.subject
    assert text["requestor"] == f"DirName:CN = {kind} OCSP client"
    expected_certs = {
        "signer-only": [k.client.cert_der],
        "sign_other": [k.client.cert_der, k.ca.cert_der, k.leaves[0].cert_der],
        "no_certs": [],
    }[option]
    assert [c.dump() for c in request.certs] == expected_certs

    assert request.signature is not None
    crypto.verify_signature(k.client.certificate, request.signature, request.tbs_request_bytes,
                            request.signature_algorithm)
    with pytest.raises(ocspkit.SignatureError):
        bad = ocspkit.load_request(tamper_signature(der, request.signature))
        assert bad.signature is not None
        crypto.verify_signature(k.client.certificate, bad.signature, bad.tbs_request_bytes, bad.signature_algorithm)

    if kind == "rsa":
        # PKCS#1 v1.5 is deterministic: ocspkit signing the same request gives openssl's bytes.
        builder = RequestBuilder()
        for cert_id in request.cert_ids:
            builder = builder.add_cert_id(cert_id)
        ours = builder.with_nonce(request.nonce).sign(
            k.client.private_key, k.client.certificate, hash_algorithm="sha256",
            extra_certs=[k.ca.certificate, k.leaves[0].certificate] if option == "sign_other" else (),
            include_certs=option != "no_certs",
        )
        assert ours.dump() == der


# --------------------------------------------------------------------------------------------
# 3. The signing matrix


@dataclasses.dataclass(frozen=True)
class Alg:
    id: str
    kind: str
    hash: str
    pss: bool = False

    @property
    def native(self) -> str:
        if self.pss:
            return "rsassa_pss"
        return f"{self.hash}_{'rsa' if self.kind == 'rsa' else 'ecdsa'}"

    @property
    def openssl_name(self) -> str:
        return OPENSSL_SIGNATURE_NAMES[self.native]

    @property
    def openssl_sign_args(self) -> List[str]:
        """How `openssl ocsp` signs a response this way (PSS salt = hash length, as ocspkit)."""
        args = ["-rmd", self.hash]
        if self.pss:
            args += ["-rsigopt", "rsa_padding_mode:pss", "-rsigopt", "rsa_pss_saltlen:digest"]
        return args


ALGS = [
    Alg("rsa-pkcs1-sha1", "rsa", "sha1"),
    Alg("rsa-pkcs1-sha224", "rsa", "sha224"),
    Alg("rsa-pkcs1-sha256", "rsa", "sha256"),
    Alg("rsa-pkcs1-sha384", "rsa", "sha384"),
    Alg("rsa-pkcs1-sha512", "rsa", "sha512"),
    Alg("rsa-pss-sha256", "rsa", "sha256", pss=True),
    Alg("rsa-pss-sha512", "rsa", "sha512", pss=True),
    Alg("ecdsa-p256-sha256", "p256", "sha256"),
    Alg("ecdsa-p384-sha384", "p384", "sha384"),
    Alg("ecdsa-p521-sha512", "p521", "sha512"),
]
ALG_IDS = [a.id for a in ALGS]


def assert_algorithm(algorithm: Any, alg: Alg) -> None:
    """The SignedDigestAlgorithm is alg's: name, and for PSS RFC 4055 parameters."""
    assert algorithm["algorithm"].native == alg.native
    if alg.pss:
        params = algorithm["parameters"]
        assert params["hash_algorithm"]["algorithm"].native == alg.hash
        assert params["mask_gen_algorithm"]["algorithm"].native == "mgf1"
        assert params["mask_gen_algorithm"]["parameters"]["algorithm"].native == alg.hash
        assert params["salt_length"].native == HASH_SIZES[alg.hash]


def assert_openssl_pss_text(text: str, alg: Alg) -> None:
    if alg.pss:
        assert f"Hash Algorithm: {alg.hash}" in text
        assert f"Mask Algorithm: mgf1 with {alg.hash}" in text
        assert f"Salt Length: 0x{HASH_SIZES[alg.hash]:X}" in text


def pyca_verify(cert_der: bytes, signature: bytes, data: bytes, alg: Alg) -> None:
    """pyca cryptography's verdict (a test-only oracle; raises InvalidSignature)."""
    from cryptography import x509 as pyca_x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding

    digest = getattr(hashes, alg.hash.upper())()
    key: Any = pyca_x509.load_der_x509_certificate(cert_der).public_key()
    if alg.kind != "rsa":
        key.verify(signature, data, ec.ECDSA(digest))
    elif alg.pss:
        key.verify(signature, data, padding.PSS(padding.MGF1(digest), HASH_SIZES[alg.hash]), digest)
    else:
        key.verify(signature, data, padding.PKCS1v15(), digest)


def matrix_request(k: KindPKI, unknown_serial: int) -> RequestBuilder:
    builder = RequestBuilder()
    for leaf in k.leaves:
        builder = builder.add_cert(leaf.certificate, k.ca.certificate)
    return builder.add_cert_id(CertID.from_issuer(k.ca.certificate, unknown_serial)).with_nonce()


UNKNOWN_SERIAL = 0x0DDBA11


@pytest.mark.parametrize("alg", ALGS, ids=ALG_IDS)
def test_matrix_openssl_reads_our_signed_request(
    kind_pki: Callable[[str], KindPKI], pki: TestPKI, tmp_path: Path, openssl_bin: str, alg: Alg
) -> None:
    k = kind_pki(alg.kind)
    request = matrix_request(k, UNKNOWN_SERIAL).sign(
        k.client.private_key, k.client.certificate, hash_algorithm=alg.hash, pss=alg.pss, extra_certs=[k.ca.certificate]
    )
    assert_algorithm(request.signature_algorithm, alg)
    der = request.dump()
    path = write(tmp_path / "req.der", der)

    output = ok(req_text(path))
    text = parse_request_text(output)
    assert text["text"].count("Certificate ID:") == 4
    assert [i["serial"] for i in text["ids"]] == [leaf.serial_number for leaf in k.leaves] + [UNKNOWN_SERIAL]
    assert request.nonce is not None and len(request.nonce) == 32
    assert text["nonce_hex"] == "0420" + request.nonce.hex().upper()
    assert text["signature_algorithm"] == alg.openssl_name
    assert_openssl_pss_text(text["text"], alg)
    assert text["requestor"] == f"DirName:CN = {alg.kind} OCSP client"
    assert output.count("-----BEGIN CERTIFICATE-----") == 2  # signer, then the extra CA cert

    # OpenSSL's own OCSP_request_verify: signer found by requestorName among the request's certs,
    # signature over tbsRequest, chain client -> CA (from the request) -> root (trusted).
    result, errors = libcrypto_request_verify(der, [pki.root.cert_der])
    assert result == 1, errors
    assert libcrypto_request_verify(der, [pki.intermediate.cert_der])[0] != 1  # a wrong trust anchor
    assert libcrypto_request_verify(der, [pki.intermediate.cert_der], OCSP_NOVERIFY)[0] == 1  # chain unchecked
    assert request.signature is not None
    tampered = tamper_signature(der, request.signature)
    result, errors = libcrypto_request_verify(tampered, [pki.root.cert_der])
    assert result != 1 and any("signature" in e for e in errors), errors

    # pyca cryptography over tbsRequest as asn1crypto (not ocspkit) finds it in the bytes.
    parsed = asn1_ocsp.OCSPRequest.load(der)
    tbs = parsed["tbs_request"].dump()
    assert der.find(tbs) > 0
    pyca_verify(k.client.cert_der, parsed["optional_signature"]["signature"].native, tbs, alg)


@pytest.mark.parametrize("by", ["name", "key"], ids=["by-name", "by-key"])
@pytest.mark.parametrize("signer", ["ca", "delegated"])
@pytest.mark.parametrize("alg", ALGS, ids=ALG_IDS)
def test_matrix_openssl_verifies_our_response(
    kind_pki: Callable[[str], KindPKI], tmp_path: Path, openssl_bin: str, alg: Alg, signer: str, by: str
) -> None:
    k = kind_pki(alg.kind)
    now = utcnow()
    this_update = now - dt.timedelta(minutes=1)
    next_update = now + dt.timedelta(hours=12)
    revoked_at = now - dt.timedelta(days=5, hours=1, seconds=17)
    request = matrix_request(k, UNKNOWN_SERIAL).build()
    ids = request.cert_ids
    key = k.ca if signer == "ca" else k.responder
    builder = (
        ResponseBuilder()
        .add_response(ids[0], "good", this_update=this_update, next_update=next_update)
        .add_response(ids[1], "revoked", this_update=this_update, next_update=next_update,
                      revocation_time=revoked_at, revocation_reason=RevocationReason.KEY_COMPROMISE)
        .add_response(ids[2], "revoked", this_update=this_update, next_update=next_update, revocation_time=revoked_at)
        .add_response(ids[3], "unknown", this_update=this_update, next_update=next_update)
        .with_nonce(request)
        .with_responder_id(by)
    )
    if signer == "delegated":
        builder = builder.with_certificates([k.responder.certificate, k.ca.certificate])
    response = builder.sign(key.private_key, key.certificate, hash_algorithm=alg.hash, pss=alg.pss, now=now)
    assert_algorithm(response.basic.signature_algorithm, alg)
    resp_file = write(tmp_path / "resp.der", response.dump())
    req_file = write(tmp_path / "req.der", request.dump())

    # The client view: -issuer/-cert/-serial and the per-certificate status lines.
    leaf_paths = [str(k.dir / f"leaf{i}.pem") for i in range(3)]
    serial_arg = f"0x{UNKNOWN_SERIAL:X}"
    output = ok(run([openssl_bin, "ocsp", "-respin", resp_file, "-CAfile", k.dir / "root.pem", "-issuer",
                     k.dir / "ca.pem", "-cert", leaf_paths[0], "-cert", leaf_paths[1], "-cert", leaf_paths[2],
                     "-serial", serial_arg, "-no_nonce"]))
    assert "Response verify OK" in output
    assert "WARNING" not in output
    statuses = [summary_status(output, name) for name in (*leaf_paths, serial_arg)]
    assert [s["status"] for s in statuses] == ["good", "revoked", "revoked", "unknown"]
    for s in statuses:
        assert s["This Update"] == openssl_time(this_update)
        assert s["Next Update"] == openssl_time(next_update)
    assert statuses[1]["Reason"] == "keyCompromise"
    assert "Reason" not in statuses[2]
    for s in statuses[1:3]:
        assert s["Revocation Time"] == openssl_time(revoked_at)

    # The strict view: no -issuer (no TRUSTOTHER retry), the nonce checked against our request.
    output = ok(run([openssl_bin, "ocsp", "-respin", resp_file, "-reqin", req_file, "-CAfile", k.dir / "root.pem",
                     "-resp_text"]))
    assert "Response verify OK" in output
    assert "WARNING" not in output and "Nonce Verify error" not in output
    assert f"Signature Algorithm: {alg.openssl_name}" in output
    assert_openssl_pss_text(output, alg)
    if by == "key":
        assert f"Responder Id: {crypto.key_hash(key.certificate).hex().upper()}" in output
    else:
        assert f"Responder Id: CN = {key.certificate.subject.native['common_name']}" in output
    assert_matches_openssl_text(response, output)


@pytest.mark.parametrize("alg", ALGS, ids=ALG_IDS)
def test_matrix_openssl_refuses_our_tampered_response(
    kind_pki: Callable[[str], KindPKI], tmp_path: Path, openssl_bin: str, alg: Alg
) -> None:
    """The negative control: the same checks fail once one signature bit flips."""
    k = kind_pki(alg.kind)
    request = matrix_request(k, UNKNOWN_SERIAL).build()
    response = (ResponseBuilder().add_response(request.cert_ids[0]).with_nonce(request)
                .with_certificates([k.responder.certificate, k.ca.certificate])
                .sign(k.responder.private_key, k.responder.certificate, hash_algorithm=alg.hash, pss=alg.pss))
    bad = tamper_signature(response.dump(), response.basic.signature)
    resp_file = write(tmp_path / "resp.der", bad)
    result = run([openssl_bin, "ocsp", "-respin", resp_file, "-reqin", write(tmp_path / "req.der", request.dump()),
                  "-CAfile", k.dir / "root.pem"])
    assert result.returncode != 0
    assert "Response Verify Failure" in result.stderr and "Response verify OK" not in result.stderr
    loaded = ocspkit.load_response(bad)
    with pytest.raises(ocspkit.SignatureError):
        crypto.verify_signature(k.responder.certificate, loaded.basic.signature, loaded.basic.tbs_response_data_bytes,
                                loaded.basic.signature_algorithm)


def openssl_response(
    openssl_bin: str, k: KindPKI, directory: Path, request: ocspkit.OCSPRequest, sign_args: Sequence[str],
    revoked_at: dt.datetime,
) -> bytes:
    """What `openssl ocsp -index ... -reqin ... -respout` (the responder, one shot) answers."""
    index = directory / "index.txt"
    expires = revoked_at + dt.timedelta(days=100)
    index.write_text(
        index_line("V", k.leaves[0].serial_number, expires, "/CN=leaf0")
        + index_line("R", k.leaves[1].serial_number, expires, "/CN=leaf1", revoked_at, "keyCompromise")
        + index_line("R", k.leaves[2].serial_number, expires, "/CN=leaf2", revoked_at),
        encoding="ascii",
    )
    out = directory / "openssl-resp.der"
    ok(run([openssl_bin, "ocsp", "-index", index, "-CA", k.dir / "ca.pem", "-rsigner", k.dir / "responder.pem",
            "-rkey", k.dir / "responder.key", "-reqin", write(directory / "req.der", request.dump()),
            "-respout", out, "-ndays", 1, *sign_args]))
    return out.read_bytes()


@pytest.mark.parametrize("alg", ALGS, ids=ALG_IDS)
def test_matrix_ocspkit_verifies_openssl_response(
    kind_pki: Callable[[str], KindPKI], tmp_path: Path, openssl_bin: str, alg: Alg
) -> None:
    """The other direction: openssl's responder signs in each algorithm, ocspkit reads and verifies."""
    k = kind_pki(alg.kind)
    revoked_at = utcnow() - dt.timedelta(days=2, seconds=5)
    request = matrix_request(k, UNKNOWN_SERIAL).build()
    der = openssl_response(openssl_bin, k, tmp_path, request, alg.openssl_sign_args, revoked_at)
    response = ocspkit.load_response(der, strict=True)
    basic = response.basic
    assert_algorithm(basic.signature_algorithm, alg)
    crypto.verify_signature(k.responder.certificate, basic.signature, basic.tbs_response_data_bytes,
                            basic.signature_algorithm)
    pyca_verify(k.responder.cert_der, basic.signature, basic.tbs_response_data_bytes, alg)
    assert [s.cert_status for s in response.responses] == [CertStatus.GOOD, CertStatus.REVOKED, CertStatus.REVOKED,
                                                           CertStatus.UNKNOWN]
    assert response.responses[1].revocation_reason is RevocationReason.KEY_COMPROMISE
    assert response.responses[2].revocation_reason is None
    assert response.responses[1].revocation_time == revoked_at
    assert ocspkit.check_nonce(request, response, exact=True) is NonceCheck.EQUAL
    with pytest.raises(ocspkit.SignatureError):
        bad = ocspkit.load_response(tamper_signature(der, basic.signature)).basic
        crypto.verify_signature(k.responder.certificate, bad.signature, bad.tbs_response_data_bytes,
                                bad.signature_algorithm)


@pytest.mark.parametrize("rmd", ["sha256", "sha384"])
def test_ocspkit_verifies_openssl_pss_with_default_salt_length(
    kind_pki: Callable[[str], KindPKI], tmp_path: Path, openssl_bin: str, rmd: str
) -> None:
    """`-rsigopt rsa_padding_mode:pss` alone is how most people ask openssl for PSS; OpenSSL 3.0
    then signs with the largest salt the key allows (RSA_PSS_SALTLEN_MAX: 2048-bit key, SHA-256
    -> 222 octets). RFC 4055 leaves saltLength to the signer and OpenSSL verifies any value."""
    k = kind_pki("rsa")
    request = matrix_request(k, UNKNOWN_SERIAL).build()
    der = openssl_response(openssl_bin, k, tmp_path, request,
                           ["-rmd", rmd, "-rsigopt", "rsa_padding_mode:pss"], utcnow() - dt.timedelta(days=1))
    basic = ocspkit.load_response(der).basic
    salt = basic.signature_algorithm["parameters"]["salt_length"].native
    assert salt == 256 - HASH_SIZES[rmd] - 2  # what openssl wrote: emLen - hLen - 2
    # openssl itself accepts its response...
    output = ok(run([openssl_bin, "ocsp", "-respin", tmp_path / "openssl-resp.der", "-reqin", tmp_path / "req.der",
                     "-CAfile", k.dir / "root.pem", "-verify_other", k.dir / "ca.pem"]))
    assert "Response verify OK" in output
    # ...and so does pyca.
    from cryptography import x509 as pyca_x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    digest = getattr(hashes, rmd.upper())()
    pyca_x509.load_der_x509_certificate(k.responder.cert_der).public_key().verify(  # type: ignore[union-attr,call-arg]
        basic.signature, basic.tbs_response_data_bytes, padding.PSS(padding.MGF1(digest), salt), digest  # type: ignore[arg-type]
    )
    try:
        crypto.verify_signature(k.responder.certificate, basic.signature, basic.tbs_response_data_bytes,
                                basic.signature_algorithm)
    except ocspkit.OCSPError as exc:
        raise AssertionError(
            f"BUG: ocspkit cannot verify an RSASSA-PSS signature that OpenSSL and pyca verify "
            f"(saltLength {salt} with {rmd}, the OpenSSL 3.0 default for `-rsigopt rsa_padding_mode:pss`): "
            f"{type(exc).__name__}: {exc}"
        ) from exc
