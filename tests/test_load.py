"""Example-based tests of the load API: input forms, strict DER mode, errors that are always
refused, error objects, and the read-only views.

Messages are built byte by byte with :func:`tlv` so the offsets in the assertions can be checked by
hand against the layout comments; each helper asserts the tag it expects at the offset it names.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import read_vector

import ocspkit
from ocspkit import (
    CertStatus,
    NonceForm,
    OCSPError,
    OCSPTypeError,
    ParseError,
    ResponderIDType,
    ResponseStatus,
    RevocationReason,
    UnsuccessfulResponse,
    asn1,
    load_request,
    load_response,
)
from ocspkit.extensions import Extension, Extensions, read_nonce
from ocspkit.testing import TestPKI, make_scenario

UTC = dt.timezone.utc

# --- bytes surgery ------------------------------------------------------------------------------


def length(n: int) -> bytes:
    """A DER length: short form below 128, else the minimal long form."""
    if n < 0x80:
        return bytes([n])
    octets = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


def tlv(tag: int, content: bytes = b"") -> bytes:
    """One DER TLV (single-octet tag)."""
    return bytes([tag]) + length(len(content)) + content


def seq(*parts: bytes) -> bytes:
    return tlv(0x30, b"".join(parts))


def oid(dotted: str) -> bytes:
    """An OBJECT IDENTIFIER TLV from a dotted string."""
    arcs = [int(a) for a in dotted.split(".")]
    body = bytearray()
    for arc in [arcs[0] * 40 + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(reversed(chunk))
    return tlv(0x06, bytes(body))


SHA1 = "1.3.14.3.2.26"
OID_BASIC = "1.3.6.1.5.5.7.48.1.1"
OID_NONCE = "1.3.6.1.5.5.7.48.1.2"
SHA256_RSA = "1.2.840.113549.1.1.11"
SHA1_RSA = "1.2.840.113549.1.1.5"

# --- a minimal request ------------------------------------------------------------------------
#
#   @0  30 42                 OCSPRequest
#   @2  30 40                 tbsRequest
#   @4  30 3e                 requestList
#   @6  30 3c                 Request
#   @8  30 3a                 reqCert (CertID)
#   @10 30 09                 hashAlgorithm
#   @12 06 05 2b0e03021a      sha1
#   @19 05 00                 parameters NULL
#   @21 04 14 'a'*20          issuerNameHash
#   @43 04 14 'b'*20          issuerKeyHash
#   @65 02 01 05              serialNumber
#   @68                       requestExtensions [2] when present:
#   @68 a2 ..  @70 30 .. (Extensions)  @72 30 .. (Extension)  @74 06 09 nonce  @85 critical/extnValue

NULL = tlv(0x05)
SERIAL_5 = tlv(0x02, b"\x05")


def cert_id(
    serial: bytes = SERIAL_5,
    alg_oid: bytes = oid(SHA1),
    params: bytes = NULL,
    tail: bytes = b"",
) -> bytes:
    return seq(seq(alg_oid, params), tlv(0x04, b"a" * 20), tlv(0x04, b"b" * 20), serial, tail)


def extension(extn_oid: str, value: bytes, critical: bytes = b"") -> bytes:
    return seq(oid(extn_oid), critical, tlv(0x04, value))


def request(*, cid: bytes | None = None, exts: bytes | None = None, tbs_head: bytes = b"") -> bytes:
    tbs = tbs_head + seq(seq(cid if cid is not None else cert_id()))
    if exts is not None:
        tbs += tlv(0xA2, seq(exts))
    return seq(seq(tbs))


def at(data: bytes, offset: int, tag: int) -> int:
    """``offset``, after checking that the hand-computed layout has ``tag`` there."""
    assert data[offset] == tag, f"layout: expected tag {tag:#x} at {offset}, got {data[offset]:#x}"
    return offset


REQ = request()
SERIAL_PATH = "tbs_request.request_list[0].req_cert.serial_number"

# --- a minimal response -------------------------------------------------------------------------
#
#   @0   30 6e                OCSPResponse
#   @2   0a 01 00             responseStatus successful
#   @5   a0 69                responseBytes [0]
#   @7   30 67                ResponseBytes
#   @9   06 09 ...            id-pkix-ocsp-basic
#   @20  04 5a                response OCTET STRING
#   @22  30 58                BasicOCSPResponse
#   @24  30 43                tbsResponseData
#   @26  a2 03 04 01 6b       responderID byKey
#   @31  18 0f ...            producedAt
#   @48  30 2b                responses
#   @50  30 29                SingleResponse
#   @52  30 14                certID
#   @54  30 09 (@56 OID, @63 NULL)
#   @65  04 01 aa   @68 04 01 bb   @71 02 01 05
#   @74  80 00                certStatus good
#   @76  18 0f ...            thisUpdate
#   @93  30 0d ...            signatureAlgorithm sha256WithRSAEncryption, NULL
#   @108 03 02 00 ff          signature

T2020 = b"20200101000000Z"
BASIC_PATH = "response_bytes.response.parsed"
SINGLE_PATH = BASIC_PATH + ".tbs_response_data.responses[0]"


def single_response(status: bytes = tlv(0x80), this_update: bytes = T2020, tail: bytes = b"") -> bytes:
    cid = seq(seq(oid(SHA1), NULL), tlv(0x04, b"\xaa"), tlv(0x04, b"\xbb"), SERIAL_5)
    return seq(cid, status, tlv(0x18, this_update), tail)


def response(
    *,
    status: int = 0,
    single: bytes | None = None,
    signature: bytes = tlv(0x03, b"\x00\xff"),
    response_type: str = OID_BASIC,
    rd_head: bytes = b"",
    rd_tail: bytes = b"",
) -> bytes:
    rd = seq(
        rd_head,
        tlv(0xA2, tlv(0x04, b"k")),
        tlv(0x18, T2020),
        seq(single if single is not None else single_response()),
        rd_tail,
    )
    basic = seq(rd, seq(oid(SHA256_RSA), NULL), signature)
    return seq(tlv(0x0A, bytes([status])), tlv(0xA0, seq(oid(response_type), tlv(0x04, basic))))


RESP = response()


def test_layouts_are_as_documented() -> None:
    assert len(REQ) == 68
    assert at(REQ, 65, 0x02) and REQ[65:68] == b"\x02\x01\x05"
    assert len(RESP) == 112
    assert at(RESP, 71, 0x02) and at(RESP, 74, 0x80) and at(RESP, 76, 0x18) and at(RESP, 108, 0x03)
    assert load_request(REQ, strict=True).deviations == ()
    assert load_response(RESP, strict=True).deviations == ()


# --- input forms --------------------------------------------------------------------------------


@pytest.mark.parametrize("der", [REQ, read_vector("cryptography/req-ext-nonce.der")], ids=["built", "vector"])
def test_request_input_forms(der: bytes) -> None:
    pem = load_request(der).pem()
    assert pem.startswith(b"-----BEGIN OCSP REQUEST-----\n")
    forms = [der, bytearray(der), memoryview(der), pem, pem.decode("ascii"), b"\n  " + pem]
    for form in forms:
        loaded = load_request(form)
        assert loaded.dump() == der
        assert isinstance(loaded.dump(), bytes)


@pytest.mark.parametrize("der", [RESP, read_vector("cryptography/resp-sha256.der")], ids=["built", "vector"])
def test_response_input_forms(der: bytes) -> None:
    pem = load_response(der).pem()
    assert pem.startswith(b"-----BEGIN OCSP RESPONSE-----\n")
    lines = pem.split(b"\n")
    assert all(len(line) <= 64 for line in lines)
    crlf = pem.replace(b"\n", b"\r\n")
    for form in [der, bytearray(der), memoryview(der), pem, pem.decode("ascii"), crlf]:
        assert load_response(form).dump() == der


def test_asn1_load_accepts_the_same_forms() -> None:
    cid = cert_id()
    for form in (cid, bytearray(cid), memoryview(cid)):
        assert asn1.load(asn1.CertID, form).dump() == cid


def test_pem_with_wrong_label() -> None:
    req_pem = load_request(REQ).pem()
    resp_pem = load_response(RESP).pem()
    with pytest.raises(ParseError, match="OCSP RESPONSE"):
        load_response(req_pem)
    with pytest.raises(ParseError, match="OCSP REQUEST"):
        load_request(resp_pem)
    cert_pem = resp_pem.replace(b"OCSP RESPONSE", b"CERTIFICATE")
    with pytest.raises(ParseError, match="CERTIFICATE"):
        load_response(cert_pem)


@pytest.mark.parametrize(
    "body",
    [b"MEIwQDA+MDwwOjAJBgUrDgMCGgUABBRh!!!", b"MEIw=QDA+", b"M", b"MEIwQDA+\xc3\xa9"],
    ids=["bad-char", "misplaced-pad", "bad-length", "non-ascii"],
)
def test_pem_with_bad_base64(body: bytes) -> None:
    pem = b"-----BEGIN OCSP REQUEST-----\n" + body + b"\n-----END OCSP REQUEST-----\n"
    with pytest.raises(ParseError, match="base64"):
        load_request(pem)


def test_pem_without_end_line_and_annotated_pem() -> None:
    with pytest.raises(ParseError, match="END"):
        load_request(b"-----BEGIN OCSP REQUEST-----\nMEIw\n")
    annotated = b"-----BEGIN OCSP REQUEST-----\nProc-Type: 4,ENCRYPTED\n\nMEIw\n-----END OCSP REQUEST-----\n"
    with pytest.raises(ParseError):
        load_request(annotated)


def test_pem_with_empty_body() -> None:
    with pytest.raises(ParseError):
        load_request(b"-----BEGIN OCSP REQUEST-----\n-----END OCSP REQUEST-----\n")


@pytest.mark.parametrize(
    "value",
    [None, 0, 1.5, ["\x30\x00"], {"a": 1}, object()],
    ids=["None", "int", "float", "list", "dict", "object"],
)
def test_wrong_argument_types(value: object) -> None:
    for load in (load_request, load_response):
        with pytest.raises(OCSPTypeError) as info:
            load(value)  # type: ignore[arg-type]
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value, OCSPError)
        assert not isinstance(info.value, ParseError)
    with pytest.raises(OCSPTypeError):
        asn1.load(asn1.CertID, value)  # type: ignore[arg-type]


def test_files_by_path(tmp_path: Path) -> None:
    """load_request / load_response read a file given as os.PathLike or as a str that is not PEM
    text, as certificates and keys are read (a str starting with -----BEGIN is PEM text)."""
    pki = TestPKI("ec")
    request = ocspkit.RequestBuilder().add_cert(pki.issue_leaf().certificate, pki.intermediate.certificate).build()
    scenario = make_scenario("good", pki, request=request)
    assert scenario.request_der is not None and scenario.request_pem is not None
    for load, der, pem in ((load_response, scenario.response_der, scenario.response_pem),
                           (load_request, scenario.request_der, scenario.request_pem)):
        (tmp_path / "m.der").write_bytes(der)
        (tmp_path / "m.pem").write_bytes(pem)
        for source in (tmp_path / "m.der", str(tmp_path / "m.der"), tmp_path / "m.pem", str(tmp_path / "m.pem"),
                       pem.decode("ascii")):
            assert load(source).dump() == der  # type: ignore[operator]
        for missing in (tmp_path / "nosuch.der", "not PEM at all", "a\x00b"):
            with pytest.raises(ParseError, match=r"cannot read the OCSP (response|request) file"):
                load(missing)  # type: ignore[operator]


def test_empty_input() -> None:
    for load in (load_request, load_response):
        for empty in (b"", bytearray(), memoryview(b"")):
            with pytest.raises(ParseError) as info:
                load(empty)
            assert info.value.offset == 0
    with pytest.raises(ParseError):
        asn1.load(asn1.SingleResponse, b"")


@pytest.mark.parametrize("trailer", [b"\x00", b"\x00\x00", b"\x30\x00", REQ])
@pytest.mark.parametrize("strict", [False, True])
def test_trailing_bytes_refused(trailer: bytes, strict: bool) -> None:
    with pytest.raises(ParseError):
        load_request(REQ + trailer, strict=strict)
    with pytest.raises(ParseError):
        load_response(RESP + trailer, strict=strict)
    with pytest.raises(ParseError):
        asn1.load(asn1.CertID, cert_id() + trailer, strict=strict)


def test_trailing_bytes_in_vectors_refused() -> None:
    der = read_vector("go/ocspResponseWithoutCert.der")
    assert load_response(der, strict=True).dump() == der
    with pytest.raises(ParseError):
        load_response(der + b"\x05\x00")
    with pytest.raises(ParseError):
        load_response(der[:-1])


# --- strict mode: BER accepted leniently, refused strictly ----------------------------------------


def check_deviation(load, data: bytes, code: str, path: str, offset: int | None):  # type: ignore[no-untyped-def]
    """Lenient load records exactly one deviation ``code`` at ``path``/``offset``; strict refuses it there."""
    loaded = load(data)
    assert loaded.dump() == data
    assert [(d.code, d.path, d.offset) for d in loaded.deviations] == [(code, path, offset)]
    assert loaded.deviations[0].message
    with pytest.raises(ParseError) as info:
        load(data, strict=True)
    assert info.value.path == path
    assert info.value.offset == offset
    assert "not DER" in str(info.value)
    return loaded


def test_explicit_default_version_irreg_req() -> None:
    der = read_vector("bouncycastle/pkix-irregReq.der")
    # 30 82 10 a5 | @4 tbsRequest 30 54 | @6 version a0 03 02 01 00
    assert der[4:11] == bytes.fromhex("3054a003020100")
    loaded = check_deviation(load_request, der, "explicit_default", "tbs_request.version", 6)
    assert loaded.version == 0
    # What the signature covers: the bytes as received, version included, not a re-encoding.
    assert loaded.tbs_request_bytes == der[4 : 4 + 2 + 0x54]
    assert loaded.is_signed


def test_non_minimal_integer_serial_vector() -> None:
    der = read_vector("boringssl/ocsp_unittest/request-invalid-serial.der")
    assert der[65:69] == b"\x02\x02\x00\x05"
    loaded = check_deviation(load_request, der, "integer_not_minimal", SERIAL_PATH, 65)
    assert loaded.cert_ids[0].serial_number == 5


def test_non_minimal_integer_serial_built() -> None:
    der = request(cid=cert_id(serial=tlv(0x02, b"\xff\xff")))  # -1 written in two octets
    loaded = check_deviation(load_request, der, "integer_not_minimal", SERIAL_PATH, at(der, 65, 0x02))
    assert loaded.cert_ids[0].serial_number == -1


def test_non_minimal_length_of_a_primitive() -> None:
    # serialNumber 02 81 01 05: long form for a length below 128 (all enclosing lengths grow by 1)
    der = request(cid=cert_id(serial=b"\x02\x81\x01\x05"))
    loaded = check_deviation(load_request, der, "length_not_minimal", SERIAL_PATH, at(der, 65, 0x02))
    assert loaded.cert_ids[0].serial_number == 5


def test_non_minimal_length_of_the_outer_sequence() -> None:
    der = b"\x30\x81\x42" + REQ[2:]
    check_deviation(load_request, der, "length_not_minimal", "", 0)
    # A leading zero octet in a long-form length is not minimal either.
    der = b"\x30\x82\x00\x42" + REQ[2:]
    check_deviation(load_request, der, "length_not_minimal", "", 0)


def test_non_minimal_length_of_an_explicit_tag() -> None:
    # responderID byKey: a2 81 03 04 01 6b (@26)
    single = single_response()
    rd = seq(b"\xa2\x81\x03\x04\x01k", tlv(0x18, T2020), seq(single))
    basic = seq(rd, seq(oid(SHA256_RSA), NULL), tlv(0x03, b"\x00\xff"))
    der = seq(tlv(0x0A, b"\x00"), tlv(0xA0, seq(oid(OID_BASIC), tlv(0x04, basic))))
    # the explicit tag's header is kept on the chosen alternative, hence ".by_key"
    path = BASIC_PATH + ".tbs_response_data.responder_id.by_key"
    loaded = check_deviation(load_response, der, "length_not_minimal", path, at(der, 26, 0xA2))
    assert loaded.responder_id.key_hash == b"k"


def test_indefinite_length_request() -> None:
    tbs = b"\x30\x80" + REQ[4:] + b"\x00\x00"  # tbsRequest at @2, indefinite
    der = seq(tbs)
    loaded = check_deviation(load_request, der, "indefinite_length", "tbs_request", 2)
    assert loaded.cert_ids[0].serial_number == 5
    assert loaded.dump() == der


def test_indefinite_length_request_signed_bytes_are_as_received() -> None:
    """tbs_request_bytes is documented as 'tbsRequest exactly as received'."""
    tbs = b"\x30\x80" + REQ[4:] + b"\x00\x00"
    der = seq(tbs)
    loaded = load_request(der)
    assert loaded.tbs_request_bytes == tbs


def test_indefinite_length_response_signed_bytes_are_as_received() -> None:
    """tbs_response_data_bytes is documented as 'tbsResponseData exactly as received'."""
    rd_def = RESP[24:93]
    assert rd_def[:2] == b"\x30\x43"
    rd = b"\x30\x80" + rd_def[2:] + b"\x00\x00"
    basic = seq(rd, RESP[93:112])
    der = seq(tlv(0x0A, b"\x00"), tlv(0xA0, seq(oid(OID_BASIC), tlv(0x04, basic))))
    loaded = check_deviation(
        load_response, der, "indefinite_length", BASIC_PATH + ".tbs_response_data", at(der, 24, 0x30)
    )
    assert loaded.basic.tbs_response_data_bytes == rd


def test_explicit_default_in_a_tbs_request_of_length_128_signed_bytes() -> None:
    """A tbsRequest whose length octets end in 0x80 (here 30 81 80) with an explicit DEFAULT.

    The signature covers the received bytes (version included, 131 octets), but asn1crypto's
    dump() re-encodes any value whose header ends in 0x80 and drops the DEFAULT.
    """
    version = tlv(0xA0, tlv(0x02, b"\x00"))
    serial = tlv(0x02, b"\x01" * 60)
    tbs = tlv(0x30, version + seq(seq(cert_id(serial=serial))))
    assert tbs[:3] == b"\x30\x81\x80"
    der = seq(tbs)
    # @0 30 81 83 | @3 tbsRequest 30 81 80 | @6 version a0 03 02 01 00
    loaded = check_deviation(load_request, der, "explicit_default", "tbs_request.version", 6)
    assert loaded.tbs_request_bytes == tbs


def exts_request(critical: bytes, value: bytes = tlv(0x04, b"N" * 8)) -> bytes:
    return request(exts=extension(OID_NONCE, value, critical))


def test_explicit_critical_false() -> None:
    der = exts_request(b"\x01\x01\x00")
    path = "tbs_request.request_extensions[0].critical"
    loaded = check_deviation(load_request, der, "explicit_default", path, at(der, 85, 0x01))
    ext = loaded.extensions.get("nonce")
    assert ext is not None and ext.critical is False
    assert loaded.nonce == b"N" * 8


def test_boolean_true_as_0x01() -> None:
    der = exts_request(b"\x01\x01\x01")
    path = "tbs_request.request_extensions[0].critical"
    loaded = check_deviation(load_request, der, "boolean_not_canonical", path, at(der, 85, 0x01))
    ext = loaded.extensions.get("nonce")
    assert ext is not None and ext.critical is True
    # The canonical TRUE is DER.
    assert load_request(exts_request(b"\x01\x01\xff"), strict=True).extensions[0].critical


THIS_UPDATE_PATH = SINGLE_PATH + ".this_update"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"20200101000000.50Z", dt.datetime(2020, 1, 1, 0, 0, 0, 500000, tzinfo=UTC)),
        (b"20200101000000,5Z", dt.datetime(2020, 1, 1, 0, 0, 0, 500000, tzinfo=UTC)),
        (b"20200101000000+0100", dt.datetime(2019, 12, 31, 23, 0, 0, tzinfo=UTC)),
        (b"20200101000000-0130", dt.datetime(2020, 1, 1, 1, 30, 0, tzinfo=UTC)),
        (b"202001010000Z", dt.datetime(2020, 1, 1, tzinfo=UTC)),
    ],
    ids=["trailing-zero-fraction", "comma-fraction", "plus-offset", "minus-offset", "no-seconds"],
)
def test_non_der_generalized_time(text: bytes, expected: dt.datetime) -> None:
    der = response(single=single_response(this_update=text))
    loaded = check_deviation(load_response, der, "time_not_der", THIS_UPDATE_PATH, at(der, 76, 0x18))
    assert loaded.responses[0].this_update == expected


def test_generalized_time_without_zone_is_not_der() -> None:
    der = response(single=single_response(this_update=b"20200101000000"))
    check_deviation(load_response, der, "time_not_der", THIS_UPDATE_PATH, at(der, 76, 0x18))


def test_fractional_seconds_without_trailing_zeros_are_der() -> None:
    # X.690 11.7: DER allows a fraction of a second as long as it has no trailing zeros.
    der = response(single=single_response(this_update=b"20200101000000.25Z"))
    loaded = load_response(der, strict=True)
    assert loaded.deviations == ()
    assert loaded.responses[0].this_update == dt.datetime(2020, 1, 1, 0, 0, 0, 250000, tzinfo=UTC)


@pytest.mark.parametrize(
    "name",
    [
        "certvalidator/multitasking-ocsp/ocsp-resp-alice.der",
        "certvalidator/multitasking-ocsp/ocsp-resp-interm.der",
    ],
)
def test_certvalidator_fractional_times(name: str) -> None:
    der = read_vector(name)
    assert b"\x18\x16" in der  # 22-character GeneralizedTime: YYYYMMDDHHMMSS.ffffffZ
    loaded = load_response(der, strict=True)
    assert loaded.deviations == ()
    single = loaded.responses[0]
    assert single.this_update.microsecond != 0
    assert loaded.produced_at.microsecond != 0
    assert single.next_update is not None
    assert single.next_update - single.this_update == dt.timedelta(minutes=10)


def test_generalized_time_with_trailing_newline_is_not_der() -> None:
    """GeneralizedTime contents ``20200101000000Z\\n``: the DER pattern ends in ``$``, which also
    matches before a final newline, so strict mode accepts a time that is not DER."""
    der = response(single=single_response(this_update=b"20200101000000Z\n"))
    with pytest.raises(ParseError) as info:
        load_response(der, strict=True)
    assert info.value.path == THIS_UPDATE_PATH
    assert info.value.offset == 76


MD5 = "1.2.840.113549.2.5"
BAD_NULL = b"\x05\x81\x00"  # NULL with a non-minimal length


def test_non_der_algorithm_parameters_in_a_request() -> None:
    # CertID hashAlgorithm md5 with parameters 05 81 00; asn1crypto types md5's parameters as Any.
    der = request(cid=cert_id(alg_oid=oid(MD5), params=BAD_NULL))
    assert der[22:25] == BAD_NULL  # @10 AlgorithmIdentifier | @12 OID (10 octets) | @22 parameters
    path = "tbs_request.request_list[0].req_cert.hash_algorithm.parameters"
    check_deviation(load_request, der, "length_not_minimal", path, 22)


@pytest.mark.parametrize("where", ["signature-algorithm", "certid-md5"])
def test_non_der_algorithm_parameters_inside_the_basic_response(where: str) -> None:
    """AlgorithmIdentifier parameters NULL written 05 81 00 inside BasicOCSPResponse.

    For sha1WithRSAEncryption and md5 asn1crypto types the parameters as Any. The walk reads
    ``.native`` of responseBytes.response before walking into it, which parses every Any and moves
    its header into the parsed value, so the walk then sees an empty header: strict mode accepts
    the message and lenient mode records nothing. The same bytes in a request are caught (see
    above), as are sha256WithRSAEncryption's parameters (typed Null) in a response.
    """
    if where == "signature-algorithm":
        basic = seq(RESP[24:93], tlv(0x30, oid(SHA1_RSA) + BAD_NULL), tlv(0x03, b"\x00\xff"))
        der = seq(tlv(0x0A, b"\x00"), tlv(0xA0, seq(oid(OID_BASIC), tlv(0x04, basic))))
        offset = 106  # RESP's layout with 1 more octet: @93 30 0e | @95 06 09 ... | @106 parameters
        path = BASIC_PATH + ".signature_algorithm.parameters"
    else:
        cid = seq(seq(oid(MD5), BAD_NULL), tlv(0x04, b"\xaa"), tlv(0x04, b"\xbb"), SERIAL_5)
        der = response(single=seq(cid, tlv(0x80), tlv(0x18, T2020)))
        offset = 66  # RESP's layout: @54 AlgorithmIdentifier | @56 OID (10 octets) | @66 parameters
        path = SINGLE_PATH + ".cert_id.hash_algorithm.parameters"
    assert der[offset : offset + 3] == BAD_NULL
    check_deviation(load_response, der, "length_not_minimal", path, offset)


def test_trailing_bytes_inside_the_response_octet_string() -> None:
    """responseBytes.response holds a BasicOCSPResponse followed by 05 00.

    asn1crypto parses an OCTET STRING's value without its strict flag, so the bytes after the
    BasicOCSPResponse are silently ignored, even with strict=True.
    """
    basic = RESP[22:112] + b"\x05\x00"
    der = seq(tlv(0x0A, b"\x00"), tlv(0xA0, seq(oid(OID_BASIC), tlv(0x04, basic))))
    with pytest.raises(ParseError):
        load_response(der, strict=True)


def test_trailing_bytes_inside_a_known_extension_value() -> None:
    """acceptableResponses extnValue: SEQUENCE { id-pkix-ocsp-basic } followed by 05 00."""
    value = seq(oid(OID_BASIC)) + b"\x05\x00"
    der = request(exts=extension("1.3.6.1.5.5.7.48.1.4", value))
    with pytest.raises(ParseError):
        load_request(der, strict=True)


# --- always refused ------------------------------------------------------------------------------


def refused(load, data: bytes, path: str | None, offset: int | None) -> ParseError:  # type: ignore[no-untyped-def]
    """Both modes refuse ``data`` with the same ParseError location."""
    errors = []
    for strict in (False, True):
        with pytest.raises(ParseError) as info:
            load(data, strict=strict)
        errors.append(info.value)
        assert info.value.path == path
        assert info.value.offset == offset
    assert str(errors[0]) == str(errors[1])
    return errors[0]


def test_zero_length_integer() -> None:
    der = request(cid=cert_id(serial=b"\x02\x00"))
    err = refused(load_request, der, SERIAL_PATH, at(der, 65, 0x02))
    assert "zero-length" in str(err)
    with pytest.raises(ParseError):
        asn1.load(asn1.CertID, cert_id(serial=b"\x02\x00"))


def test_zero_length_enumerated() -> None:
    err = refused(load_response, b"\x30\x02\x0a\x00", "response_status", 2)
    assert "zero-length" in str(err)
    der = read_vector("bouncycastle/pkix-invalidResp.der")
    refused(load_response, der, "response_status", at(der, 4, 0x0A))


def test_zero_length_revocation_reason() -> None:
    revoked = tlv(0xA1, tlv(0x18, T2020) + tlv(0xA0, b"\x0a\x00"))
    der = response(single=single_response(status=revoked))
    path = SINGLE_PATH + ".cert_status.revoked.revocation_reason"
    # 21 more octets than RESP: the OCSPResponse length becomes 30 81 83, shifting all by 1.
    # revoked [1] @75, revocationTime @77, [0] @94 (an explicit tag and its inner header are one unit)
    assert der[:3] == b"\x30\x81\x83"
    refused(load_response, der, path, at(der, 94, 0xA0))


def test_null_with_content() -> None:
    der = request(cid=cert_id(params=b"\x05\x01\x00"))
    path = "tbs_request.request_list[0].req_cert.hash_algorithm.parameters"
    refused(load_request, der, path, at(der, 19, 0x05))
    good = tlv(0x80, b"\x00")
    der = response(single=single_response(status=good))
    refused(load_response, der, SINGLE_PATH + ".cert_status.good", at(der, 74, 0x80))


def test_boolean_of_length_two() -> None:
    der = exts_request(b"\x01\x02\xff\xff")
    refused(load_request, der, "tbs_request.request_extensions[0].critical", at(der, 85, 0x01))


def test_boolean_of_length_zero() -> None:
    der = exts_request(b"\x01\x00")
    refused(load_request, der, "tbs_request.request_extensions[0].critical", at(der, 85, 0x01))


def test_elements_after_the_last_field() -> None:
    der = request(cid=cert_id(tail=NULL))  # CertID { ..., serialNumber, NULL }: NULL at @68
    err = refused(load_request, der, "tbs_request.request_list[0].req_cert", at(der, 68, 0x05))
    assert "2 unexpected bytes" in str(err)
    der = response(single=single_response(tail=tlv(0xA0, tlv(0x18, T2020)) + NULL))
    # 21 more octets than RESP: the OCSPResponse length becomes 30 81 83, shifting all by 1.
    # SingleResponse: ..., thisUpdate @77..93, nextUpdate [0] @94..112, NULL @113
    assert der[:3] == b"\x30\x81\x83"
    refused(load_response, der, SINGLE_PATH, at(der, 113, 0x05))
    der = seq(REQ[2:], NULL)  # OCSPRequest { tbsRequest, NULL }
    refused(load_request, der, "", at(der, 68, 0x05))


def test_elements_after_the_field_inside_an_explicit_tag() -> None:
    """requestorName [1] { GeneralName, NULL }: the junk is inside the [1] wrapper at @13.

    It is refused, but the error names path ``tbs_request`` at offset 77: the last two octets of
    the serialNumber of the 79-byte input.
    """
    requestor = tlv(0xA1, tlv(0x82, b"x.com") + NULL)  # @4 a1 09 | @6 82 05 x.com | @13 05 00
    der = request(tbs_head=requestor)
    assert len(der) == 79
    refused(load_request, der, "tbs_request.requestor_name", at(der, 13, 0x05))


def test_oid_with_non_minimal_arc() -> None:
    bad_sha1 = b"\x06\x06\x2b\x80\x0e\x03\x02\x1a"  # arc 14 written 80 0e
    der = request(cid=cert_id(alg_oid=bad_sha1))
    path = "tbs_request.request_list[0].req_cert.hash_algorithm.algorithm"
    err = refused(load_request, der, path, at(der, 12, 0x06))
    assert "minimally" in str(err)


def test_oid_truncated_or_empty() -> None:
    for bad in (b"\x06\x02\x2b\x8e", b"\x06\x00"):
        der = request(cid=cert_id(alg_oid=bad))
        path = "tbs_request.request_list[0].req_cert.hash_algorithm.algorithm"
        refused(load_request, der, path, at(der, 12, 0x06))


@pytest.mark.parametrize("content", [b"\x08\xff", b"\xff\x00", b"\x03", b""], ids=["8", "255", "alone", "empty"])
def test_bit_string_unused_bits(content: bytes) -> None:
    # Request signature: @68 [0] a0 | @70 Signature 30 | @72 AlgorithmIdentifier (15) | @87 BIT STRING
    sig = tlv(0xA0, seq(seq(oid(SHA256_RSA), NULL), tlv(0x03, content)))
    der = seq(REQ[2:], sig)
    refused(load_request, der, "optional_signature.signature", at(der, 87, 0x03))
    # In a response asn1crypto already fails while parsing the OCTET STRING's value.
    der = response(signature=tlv(0x03, content))
    for strict in (False, True):
        with pytest.raises(ParseError):
            load_response(der, strict=strict)


def test_bit_string_nonzero_padding_is_a_deviation() -> None:
    der = response(signature=b"\x03\x02\x04\xff")
    check_deviation(load_response, der, "bit_string_padding", BASIC_PATH + ".signature", 108)


@pytest.mark.parametrize("status", [4, 7, 17, -1])
def test_undefined_response_status(status: int) -> None:
    der = seq(tlv(0x0A, status.to_bytes(1, "big", signed=True)))
    err = refused(load_response, der, "response_status", 2)
    assert str(status) in str(err)


def test_undefined_response_status_with_response_bytes() -> None:
    der = bytearray(RESP)
    der[4] = 4
    refused(load_response, bytes(der), "response_status", 2)


def test_undefined_status_vector() -> None:
    der = read_vector("cryptography/resp-unknown-response-status.der")
    assert der == bytes.fromhex("30030a0107")
    refused(load_response, der, "response_status", 2)


def test_successful_without_response_bytes() -> None:
    refused(load_response, bytes.fromhex("30030a0100"), "response_bytes", None)
    der = read_vector("cryptography/resp-successful-no-response-bytes.der")
    refused(load_response, der, "response_bytes", None)


def test_unknown_response_type() -> None:
    der = response(response_type=OID_NONCE)
    err = refused(load_response, der, "response_bytes.response_type", None)
    assert OID_NONCE in str(err)
    refused(
        load_response,
        read_vector("cryptography/resp-response-type-unknown-oid.der"),
        "response_bytes.response_type",
        None,
    )


def test_request_version_v2() -> None:
    der = request(tbs_head=tlv(0xA0, tlv(0x02, b"\x01")))
    err = refused(load_request, der, "tbs_request.version", None)
    assert "version" in str(err)
    refused(load_request, read_vector("cryptography/req-invalid-version.der"), "tbs_request.version", None)


def test_response_data_version_v2() -> None:
    der = response(rd_head=tlv(0xA0, tlv(0x02, b"\x01")))
    path = "response_bytes.response.tbs_response_data.version"
    refused(load_response, der, path, None)
    refused(load_response, read_vector("cryptography/resp-invalid-version.der"), path, None)


def test_wrong_universal_tag_and_truncations() -> None:
    for bad in (REQ[:-1], REQ[:2], b"\x31" + REQ[1:], b"\x30\x43" + REQ[2:], b"\x30"):
        for strict in (False, True):
            with pytest.raises(ParseError):
                load_request(bad, strict=strict)


# --- unknown critical extensions ------------------------------------------------------------------


def test_unknown_critical_extension_in_request() -> None:
    der = request(exts=extension("1.2.3.4", b"\x05\x00", b"\x01\x01\xff"))
    with pytest.raises(ParseError) as info:
        load_request(der)
    assert info.value.path == "tbs_request.request_extensions[0]"
    assert "1.2.3.4" in str(info.value)
    loaded = load_request(der, allow_unknown_critical=True, strict=True)
    ext = loaded.extensions.get("1.2.3.4")
    assert ext is not None and ext.critical and not ext.known
    assert ext.raw_value == b"\x05\x00"
    # Not critical: loads without the flag.
    assert load_request(request(exts=extension("1.2.3.4", b"\x05\x00"))).extensions[0].oid == "1.2.3.4"


def test_critical_extension_vectors() -> None:
    for name, path in [
        (
            "boringssl/ocsp_unittest/has_critical_single_extension.resp.der",
            "tbs_response_data.responses[0].single_extensions[0]",
        ),
        (
            "boringssl/ocsp_unittest/has_critical_response_extension.resp.der",
            "tbs_response_data.response_extensions[0]",
        ),
    ]:
        der = read_vector(name)
        with pytest.raises(ParseError) as info:
            load_response(der)
        assert info.value.path is not None and info.value.path.endswith(path)
        loaded = load_response(der, allow_unknown_critical=True)
        assert loaded.dump() == der
    # A critical CT SCT list is known, so it loads.
    assert load_response(read_vector("boringssl/ocsp_unittest/has_critical_ct_extension.resp.der"))


# --- errors ---------------------------------------------------------------------------------------


def test_parse_error_is_a_value_error_with_location() -> None:
    der = request(cid=cert_id(serial=b"\x02\x00"))
    with pytest.raises(ValueError) as info:
        load_request(der)
    err = info.value
    assert isinstance(err, ParseError) and isinstance(err, OCSPError)
    assert f"(at {SERIAL_PATH}, offset 65)" in str(err)
    assert err.message in str(err)
    assert ParseError("x").path is None and ParseError("x").offset is None
    assert str(ParseError("x")) == "x"
    assert str(ParseError("x", offset=0)) == "x (at offset 0)"
    assert str(ParseError("x", path="a.b")) == "x (at a.b)"
    assert str(ParseError("x", path="a", offset=3)) == "x (at a, offset 3)"


def test_parse_error_for_a_trailing_byte_mentions_the_type() -> None:
    with pytest.raises(ParseError, match="OCSPRequest"):
        load_request(REQ + b"\x00")


# --- views ----------------------------------------------------------------------------------------

UNSUCCESSFUL = [
    (1, ResponseStatus.MALFORMED_REQUEST, "malformedRequest"),
    (2, ResponseStatus.INTERNAL_ERROR, "internalError"),
    (3, ResponseStatus.TRY_LATER, "tryLater"),
    (5, ResponseStatus.SIG_REQUIRED, "sigRequired"),
    (6, ResponseStatus.UNAUTHORIZED, "unauthorized"),
]


@pytest.mark.parametrize(("value", "status", "asn1_name"), UNSUCCESSFUL)
def test_unsuccessful_response_views(value: int, status: ResponseStatus, asn1_name: str) -> None:
    der = seq(tlv(0x0A, bytes([value])))
    loaded = load_response(der, strict=True)
    assert loaded.response_status is status
    assert not loaded.successful
    assert loaded.response_type is None
    assert repr(loaded) == f"<OCSPResponse {asn1_name}>"
    for attribute in ("basic", "responses", "responder_id", "produced_at", "certs", "extensions", "nonce"):
        with pytest.raises(UnsuccessfulResponse) as info:
            getattr(loaded, attribute)
        assert info.value.status is status
        assert isinstance(info.value, OCSPError)
    with pytest.raises(UnsuccessfulResponse):
        loaded.find(load_request(REQ).cert_ids[0])


def test_unsuccessful_vectors() -> None:
    for name, status in [
        ("cryptography/resp-unauthorized.der", ResponseStatus.UNAUTHORIZED),
        ("go/errorResponse.der", ResponseStatus.MALFORMED_REQUEST),
        ("rustcrypto/ocsp-try-later.der", ResponseStatus.TRY_LATER),
    ]:
        loaded = load_response(read_vector(name))
        assert loaded.response_status is status
        with pytest.raises(UnsuccessfulResponse) as info:
            loaded.basic  # noqa: B018
        assert info.value.status is status


def test_unsuccessful_status_with_response_bytes() -> None:
    """tryLater (3) but responseBytes present: RFC 6960 4.2.1 says responseBytes is not set for
    error statuses, and ``basic`` is documented to raise UnsuccessfulResponse for them."""
    der = bytearray(RESP)
    der[4] = 3
    loaded = load_response(bytes(der))
    assert loaded.response_status is ResponseStatus.TRY_LATER
    with pytest.raises(UnsuccessfulResponse) as info:
        loaded.basic  # noqa: B018
    assert info.value.status is ResponseStatus.TRY_LATER
    with pytest.raises(UnsuccessfulResponse):
        loaded.responses  # noqa: B018
    assert repr(loaded) == "<OCSPResponse tryLater>"


def test_response_views_and_reprs() -> None:
    der = read_vector("boringssl/ocsp_unittest/revoke_response_reason.resp.der")
    loaded = load_response(der, strict=True)
    assert loaded.successful
    assert loaded.response_type == OID_BASIC
    assert repr(loaded) == "<OCSPResponse successful, 1 response(s)>"
    basic = loaded.basic
    assert basic.version == 0
    assert isinstance(repr(basic), str)
    single = loaded.responses[0]
    assert single.cert_status is CertStatus.REVOKED
    assert repr(single) == "<SingleResponse revoked serial=5>"
    assert single.revocation_time == dt.datetime(2017, 2, 1, tzinfo=UTC)
    assert int(single.revocation_reason) == 1
    assert single.cert_id.serial_number == 5
    assert repr(single.cert_id).startswith("<CertID sha1 serial=5 name=449B1C5B")
    rid = loaded.responder_id
    assert rid.type is ResponderIDType.BY_NAME
    assert rid.key_hash is None
    assert repr(rid) == "<ResponderID by_name Common Name: Test Intermediate CA>"
    assert basic.tbs_response_data_bytes in der
    assert len(loaded.extensions) == 0 and len(single.extensions) == 0
    assert repr(loaded.extensions) == "<Extensions []>"
    assert single.revocation_reason is RevocationReason.KEY_COMPROMISE

    by_key = load_response(RESP)
    assert by_key.responder_id.type is ResponderIDType.BY_KEY
    assert by_key.responder_id.key_hash == b"k"
    assert by_key.responder_id.name is None
    assert repr(by_key.responder_id) == "<ResponderID by_key 6B>"
    assert repr(by_key.responses[0]) == "<SingleResponse good serial=5>"
    assert by_key.responses[0].revocation_time is None
    assert by_key.responses[0].revocation_reason is None
    assert by_key.responses[0].next_update is None
    assert by_key.basic.signature == b"\xff"
    assert by_key.basic.certs == ()
    assert by_key.nonce is None and by_key.basic.nonce_form is None


def test_negative_serial_repr() -> None:
    der = request(cid=cert_id(serial=tlv(0x02, b"\xfe")))
    loaded = load_request(der, strict=True)
    assert loaded.cert_ids[0].serial_number == -2
    assert "serial=-2" in repr(loaded.requests[0])


def test_request_views_and_reprs() -> None:
    loaded = load_request(read_vector("rustcrypto/ocsp-signed-req.der"), strict=True)
    assert repr(loaded).startswith("<OCSPRequest ") and repr(loaded).endswith(" signed>")
    assert loaded.is_signed and loaded.signature and loaded.signature_algorithm is not None
    for req in loaded.requests:
        assert repr(req).startswith("<Request <CertID ")
        assert isinstance(req.extensions, Extensions)
    plain = load_request(REQ)
    assert repr(plain) == "<OCSPRequest 1 request(s)>"
    assert not plain.is_signed
    assert plain.signature is None and plain.signature_algorithm is None and plain.certs == ()
    assert plain.requestor_name is None
    assert plain.version == 0
    assert plain.nonce is None and plain.nonce_form is None
    assert len(plain.extensions) == 0
    assert plain.tbs_request_bytes == REQ[2:]


def test_extensions_lookup() -> None:
    der = read_vector("rustcrypto/ocsp-multiple-exts-res.der")
    loaded = load_response(der)
    exts = loaded.extensions
    assert isinstance(exts, Extensions)
    assert "nonce" in exts
    assert OID_NONCE in exts
    nonce = exts.get("nonce")
    assert nonce is not None
    assert exts.get(OID_NONCE) is nonce
    assert nonce in exts
    assert 42 not in exts
    assert exts.get("no_such_extension") is None
    assert "1.2.3.4.5.6" not in exts
    assert isinstance(nonce, Extension)
    assert nonce.name == "nonce" and nonce.oid == OID_NONCE and nonce.known
    assert repr(nonce).startswith("<Extension nonce")
    assert nonce.value == loaded.nonce
    assert nonce.dump() in der
    assert next(iter(exts)) is exts[0]
    assert exts[-1] is list(exts)[-1]
    assert repr(exts).startswith("<Extensions [")


def test_extension_lookup_of_unknown_oid() -> None:
    der = read_vector("cryptography/req-ext-unknown-oid.der")
    exts = load_request(der).extensions
    unknown = [e for e in exts if not e.known]
    assert unknown
    ext = unknown[0]
    assert exts.get(ext.oid) is ext
    assert ext.name == ext.oid
    assert ext.value == ext.raw_value
    assert repr(ext) == f"<Extension {ext.oid}>"


def test_read_nonce_forms() -> None:
    assert read_nonce(b"\x04\x03abc") == (b"abc", NonceForm.WRAPPED)
    assert read_nonce(b"\x04\x00") == (b"", NonceForm.WRAPPED)
    long_nonce = b"x" * 200
    assert read_nonce(b"\x04\x81\xc8" + long_nonce) == (long_nonce, NonceForm.WRAPPED)
    assert read_nonce(b"abc") == (b"abc", NonceForm.RAW)
    assert read_nonce(b"") == (b"", NonceForm.RAW)
    assert read_nonce(b"\x04") == (b"\x04", NonceForm.RAW)
    assert read_nonce(b"\x04\x05abc") == (b"\x04\x05abc", NonceForm.RAW)  # length mismatch
    assert read_nonce(b"\x04\x02abc") == (b"\x04\x02abc", NonceForm.RAW)
    assert read_nonce(b"\x04\x80ab\x00\x00") == (b"\x04\x80ab\x00\x00", NonceForm.RAW)
    assert read_nonce(b"\x03\x03abc") == (b"\x03\x03abc", NonceForm.RAW)


def test_request_with_raw_nonce() -> None:
    raw = bytes(range(16))  # not an OCTET STRING TLV
    der = request(exts=extension(OID_NONCE, raw))
    loaded = load_request(der, strict=True)
    assert loaded.nonce == raw
    assert loaded.nonce_form is NonceForm.RAW
    ext = loaded.extensions.get("nonce")
    assert ext is not None and ext.raw_value == raw and ext.value == raw


def test_request_with_wrapped_nonce() -> None:
    der = exts_request(b"")
    loaded = load_request(der, strict=True)
    assert loaded.nonce == b"N" * 8
    assert loaded.nonce_form is NonceForm.WRAPPED
    assert loaded.extensions.get("nonce").raw_value == tlv(0x04, b"N" * 8)  # type: ignore[union-attr]


def test_response_with_raw_nonce_vector() -> None:
    der = read_vector("rustcrypto/ocsp-multiple-exts-res.der")
    loaded = load_response(der)
    ext = loaded.extensions.get("nonce")
    assert ext is not None
    assert (loaded.nonce, loaded.basic.nonce_form) == read_nonce(ext.raw_value)
