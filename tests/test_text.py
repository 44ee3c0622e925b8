"""ocspkit.text against ``openssl ocsp -req_text`` / ``-resp_text``, run live, line for line.

1. Every request and response of ../shared/vectors: what openssl prints (OCSP part, embedded
   certificates and their PEM blocks) equals what :func:`ocspkit.text.request_text` /
   :func:`~ocspkit.text.response_text` print, but for the documented deliberate differences,
   each matched exactly (:func:`compare`). Where openssl cannot read a file, ocspkit refuses it
   too (or prints exactly the part openssl printed before giving up); where openssl stops at
   ``Responder Error:``, :func:`~ocspkit.text.responder_error_text` is that line.
2. Messages ocspkit builds itself (every reason, every extension constructor, nonces, byKey,
   several certificates, RSA, RSA-PSS and ECDSA signatures) and certificates openssl makes with
   many extensions and key types, against openssl's printing.
3. :func:`~ocspkit.text.to_json`: plain JSON values only, every field, consistent with the text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import pytest
from asn1crypto import core, pem, x509
from conftest import manifest_entries, read_vector, vectors_dir

import ocspkit
from ocspkit import enums, text
from ocspkit import extensions as ext
from ocspkit.testing import TestPKI

CLI_TIMEOUT = 30.0
NOW = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)

# --------------------------------------------------------------------------------------------
# The deliberate differences, and nothing else

# OpenSSL 3.0's object table names id-pkix-ocsp 8 and 9 wrongly; ocspkit prints RFC 6960's.
RENAMED = {"Preferred Signature Algorithms": "Extended OCSP Status", "Extended Revoke": "valid"}
# OpenSSL 3.0 and 3.1 have no text for reasons 9 and 10; ocspkit prints OpenSSL 3.2's.
REASONS = {
    "    Revocation Reason: privilegeWithdrawn (0x9)": "    Revocation Reason: (UNKNOWN) (0x9)",
    "    Revocation Reason: aACompromise (0xa)": "    Revocation Reason: (UNKNOWN) (0xa)",
}
_HEADER = re.compile(r"^( +)(Preferred Signature Algorithms|Extended Revoke): (critical)?$")
_LIST_ITEM = re.compile(r"(?:^|, )(Preferred Signature Algorithms|Extended Revoke)(?=, |$)")


def deliberate(ours: str) -> Optional[str]:
    """What OpenSSL 3.0 prints for one of ocspkit's lines that differs on purpose, else None."""
    if ours in REASONS:
        return REASONS[ours]
    header = _HEADER.match(ours)
    if header:  # an extension's name line (X509V3_extensions_print)
        return f"{header.group(1)}{RENAMED[header.group(2)]}: {header.group(3) or ''}"
    if _LIST_ITEM.search(ours):  # the OID as an item of a value list (acceptable responses)
        return _LIST_ITEM.sub(lambda m: m.group(0).replace(m.group(1), RENAMED[m.group(1)]), ours)
    return None


def compare(theirs: str, ours: str) -> List[str]:
    """Assert ``ours`` is ``theirs`` line for line but for deliberate differences; return the
    lines of ``ours`` that differ on purpose."""
    their_lines, our_lines = theirs.split("\n"), ours.split("\n")
    assert len(our_lines) == len(their_lines), _diff(theirs, ours)
    differing = []
    for number, (their_line, our_line) in enumerate(zip(their_lines, our_lines), 1):
        if their_line == our_line:
            continue
        assert deliberate(our_line) == their_line, f"line {number} differs:\n{_diff(theirs, ours)}"
        differing.append(our_line)
    return differing


def _diff(theirs: str, ours: str) -> str:
    import difflib

    lines = difflib.unified_diff(theirs.splitlines(True), ours.splitlines(True), "openssl", "ocspkit", n=2)
    return "".join(list(lines)[:60])


def ocsp_part(output: str) -> str:
    """The text up to the first embedded certificate."""
    index = output.find("\nCertificate:\n")
    return output if index < 0 else output[: index + 1]


PEM_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----\n.*?-----END CERTIFICATE-----\n", re.S)


def test_compare_allows_only_the_listed_differences() -> None:
    assert deliberate("        Extended Revoke: ") == "        valid: "
    assert deliberate("            Preferred Signature Algorithms: critical") == (
        "            Extended OCSP Status: critical"
    )
    assert deliberate("            Basic OCSP Response, Preferred Signature Algorithms") == (
        "            Basic OCSP Response, Extended OCSP Status"
    )
    assert deliberate("    Revocation Reason: aACompromise (0xa)") == "    Revocation Reason: (UNKNOWN) (0xa)"
    assert deliberate("    Revocation Reason: keyCompromise (0x1)") is None
    assert deliberate("        Extended Revoked: ") is None
    assert deliberate("        Extended Revoke: x") is None
    with pytest.raises(AssertionError):
        compare("a\nb\n", "a\nc\n")
    with pytest.raises(AssertionError):
        compare("a\n", "a\n\n")
    assert compare("x\n        valid: \n", "x\n        Extended Revoke: \n") == ["        Extended Revoke: "]


# --------------------------------------------------------------------------------------------
# Running openssl


def openssl(openssl_bin: str, *args: object) -> Tuple[int, str, str]:
    """``openssl ocsp ARGS``: exit status, stdout and stderr (bytes kept by surrogateescape)."""
    done = subprocess.run(
        [openssl_bin, "ocsp", *(str(a) for a in args)], capture_output=True, timeout=CLI_TIMEOUT, check=False
    )
    decode = lambda data: data.decode("utf-8", "surrogateescape")  # noqa: E731
    return done.returncode, decode(done.stdout), decode(done.stderr)


def openssl_text(openssl_bin: str, path: Path, kind: str, *extra: str) -> Tuple[int, str, str]:
    if kind == "ocsp-request":
        return openssl(openssl_bin, "-reqin", path, "-req_text", "-noverify", *extra)
    return openssl(openssl_bin, "-respin", path, "-resp_text", "-noverify", *extra)


def ours(kind: str, data: Any) -> str:
    return text.request_text(data) if kind == "ocsp-request" else text.response_text(data)


def check_against_openssl(openssl_bin: str, path: Path, kind: str) -> List[str]:
    """openssl's text for a file it reads equals ocspkit's (from bytes and from the view)."""
    code, stdout, stderr = openssl_text(openssl_bin, path, kind)
    assert code == 0, stderr
    data = path.read_bytes()
    mine = ours(kind, data)
    differing = compare(ocsp_part(stdout), ocsp_part(mine))
    assert PEM_BLOCK.findall(mine) == PEM_BLOCK.findall(stdout)
    differing += compare(stdout[len(ocsp_part(stdout)) :], mine[len(ocsp_part(mine)) :])
    return differing


# --------------------------------------------------------------------------------------------
# 1. The vectors

VECTORS = manifest_entries("ocsp-request", "ocsp-response")


def test_vectors_are_there() -> None:
    kinds = [entry["kind"] for entry in VECTORS]
    assert kinds.count("ocsp-request") >= 20 and kinds.count("ocsp-response") >= 80


def _load(kind: str, data: bytes, **options: Any) -> Any:
    return (ocspkit.load_request if kind == "ocsp-request" else ocspkit.load_response)(data, **options)


@pytest.mark.parametrize("entry", VECTORS, ids=[e["file"] for e in VECTORS])
def test_vector_text_matches_openssl(entry: Dict[str, Any], openssl_bin: str) -> None:
    kind = entry["kind"]
    path = vectors_dir() / entry["file"]
    data = read_vector(entry["file"])
    code, stdout, stderr = openssl_text(openssl_bin, path, kind)
    observed = entry["openssl_observed"]
    assert code == observed["openssl_rc"]
    error = re.match(r"Responder Error: (.*) \((-?\d+)\)\n$", stdout)

    if code == 0:
        # openssl reads and prints it: so does ocspkit, line for line (the OCSP part, then each
        # embedded certificate in X509_print's layout and its PEM block).
        assert observed["openssl_parse"] == "ok"
        differing = check_against_openssl(openssl_bin, path, kind)
        assert not differing, "no vector uses the OIDs or reasons ocspkit names differently"
        try:
            view = _load(kind, data, allow_unknown_critical=True)
        except ocspkit.ParseError:
            # ocspkit refuses (an explicit v2); the text above came from the bytes.
            assert entry["file"].endswith("invalid-version.der")
        else:
            assert ours(kind, view) == ours(kind, data)
    elif error is not None:
        # A status other than successful: openssl prints one line and exits 1 (apps/ocsp.c);
        # with -ignore_err it goes on with OCSP_RESPONSE_print.
        assert observed["openssl_parse"] == "ok"
        assert text.responder_error_text(data) == stdout
        # (then it fails again, looking for the basic response an error response lacks)
        full = openssl_text(openssl_bin, path, kind, "-ignore_err")[1]
        assert compare(full, stdout + text.response_text(data)) == []
        assert int(error.group(2)) == observed["response_status"]["code"]
        try:
            view = ocspkit.load_response(data)
        except ocspkit.ParseError:
            # ocspkit refuses statuses RFC 6960 does not define (4, 7, 17, ...): bytes only.
            assert int(error.group(2)) not in [int(s) for s in ocspkit.ResponseStatus]
        else:
            assert not view.successful
            assert text.responder_error_text(view) == stdout
            assert text.response_text(view) == text.response_text(data)
    else:
        # openssl cannot read or decode it. ocspkit's loaders refuse it too, or accept it
        # leniently with a recorded deviation that strict loading refuses...
        assert observed["openssl_parse"] != "ok"
        assert "Error reading" in stderr or "Error parsing" in stderr
        try:
            view = _load(kind, data)
        except ocspkit.ParseError:
            pass
        else:
            assert [d.code for d in view.deviations] == ["integer_not_minimal"]
            with pytest.raises(ocspkit.ParseError):
                _load(kind, data, strict=True)
        # ... and the text either is exactly what openssl printed before it gave up, or none.
        try:
            printed = ours(kind, data)
        except ocspkit.ParseError:
            pass
        else:
            assert printed == stdout


# --------------------------------------------------------------------------------------------
# 2. What ocspkit builds, and certificates openssl makes


@pytest.fixture(scope="module", params=["rsa", "ec"])
def test_pki(request: Any) -> TestPKI:
    return TestPKI(request.param, now=NOW)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_built_response_every_reason_and_extension(test_pki: TestPKI, tmp_path: Path, openssl_bin: str) -> None:
    leaf = test_pki.issue_leaf()
    intermediate = test_pki.intermediate.certificate
    cert_ids = [ocspkit.CertID.from_cert(leaf.certificate, intermediate, h) for h in ("sha1", "sha256", "sha512")]
    builder = ocspkit.ResponseBuilder()
    for reason in ocspkit.RevocationReason:
        builder = builder.add_response(
            cert_ids[0],
            "revoked",
            revocation_time=NOW,
            revocation_reason=reason,
            this_update=NOW,
            next_update=NOW + dt.timedelta(days=7),
        )
    builder = builder.add_response(cert_ids[1], "revoked", revocation_time=NOW, this_update=NOW)
    builder = builder.add_response(
        cert_ids[2],
        "unknown",
        this_update=NOW,
        extensions=[
            ext.crl_id("http://crl.example/ca.crl", 42, NOW),
            ext.crl_id(number=0),
            ext.archive_cutoff(NOW - dt.timedelta(days=365)),
            ext.invalidity_date(NOW - dt.timedelta(hours=1)),
            ext.certificate_issuer({"common_name": "Indirect CA", "organization_name": "Ex, Ample"}),
            ("2.5.29.23", core.ObjectIdentifier("1.2.840.10040.2.2").dump(), False),  # hold instruction
            ("2.5.29.21", b"\x0a\x01\x05", False),  # a CRL reason as an extension
            ("1.3.6.1.5.5.7.48.1.9", b"\x05\x00", False),  # extended revoke, as a single extension
            ("1.2.3.4.5", b"\x04\x05a\nb\rc", True),  # unknown: printed as raw octets
        ],
    )
    builder = builder.add_response(cert_ids[0], this_update=NOW, invalidity_date=NOW)
    builder = (
        builder.with_nonce(bytes(range(64)))
        .with_extended_revoke()
        .with_extension("1.3.6.1.5.5.7.48.1.8", b"\x30\x00")
        .with_responder_id("key")
        .with_certificates([test_pki.responder.certificate, intermediate, test_pki.root.certificate])
    )
    response = builder.sign(test_pki.responder.private_key, test_pki.responder.certificate, now=NOW)
    path = _write(tmp_path, "response.der", response.dump())
    differing = check_against_openssl(openssl_bin, path, "ocsp-response")
    # Exactly the deliberate differences: reasons 9 and 10, and id-pkix-ocsp 8 and 9 by name.
    assert sorted(differing) == sorted(
        [
            "    Revocation Reason: privilegeWithdrawn (0x9)",
            "    Revocation Reason: aACompromise (0xa)",
            "            Extended Revoke: ",
            "        Extended Revoke: ",
            "        Preferred Signature Algorithms: ",
        ]
    )
    assert text.response_text(response) == text.response_text(response.dump())
    assert text.response_text(response.pem()) == text.response_text(response)
    assert len(PEM_BLOCK.findall(text.response_text(response))) == 3


def test_undefined_reason_from_bytes(test_pki: TestPKI, tmp_path: Path, openssl_bin: str) -> None:
    """Reason 7 (unused in RFC 5280): ocspkit's loader refuses it, OpenSSL prints (UNKNOWN), and
    so does response_text given the bytes."""
    leaf = test_pki.issue_leaf()
    cert_id = ocspkit.CertID.from_cert(leaf.certificate, test_pki.intermediate.certificate)
    der = bytearray(
        ocspkit.ResponseBuilder()
        .add_response(cert_id, "revoked", revocation_time=NOW, revocation_reason=8, this_update=NOW)
        .sign(test_pki.responder.private_key, test_pki.responder.certificate, now=NOW)
        .dump()
    )
    at = der.index(b"\xa0\x03\x0a\x01\x08") + 4
    der[at] = 7
    with pytest.raises(ocspkit.ParseError):
        ocspkit.load_response(bytes(der))
    path = _write(tmp_path, "reason7.der", bytes(der))
    assert check_against_openssl(openssl_bin, path, "ocsp-response") == []
    assert "    Revocation Reason: (UNKNOWN) (0x7)\n" in text.response_text(bytes(der))


def test_built_response_signatures(test_pki: TestPKI, tmp_path: Path, openssl_bin: str) -> None:
    leaf = test_pki.issue_leaf()
    cert_id = ocspkit.CertID.from_cert(leaf.certificate, test_pki.intermediate.certificate)
    paddings = (False, True) if test_pki.key_algorithm == "rsa" else (False,)  # RSA-PSS needs RSA
    for pss, hash_algorithm in [(pss, h) for pss in paddings for h in ("sha256", "sha384")]:
        response = (
            ocspkit.ResponseBuilder()
            .add_response(cert_id, this_update=NOW, next_update=NOW + dt.timedelta(days=1))
            .with_nonce(b"\x01" * 32)
            .sign(
                test_pki.intermediate.private_key,
                test_pki.intermediate.certificate,
                now=NOW,
                pss=pss,
                hash_algorithm=hash_algorithm,
            )
        )
        path = _write(tmp_path, f"{hash_algorithm}-{pss}.der", response.dump())
        assert check_against_openssl(openssl_bin, path, "ocsp-response") == []
        if pss:
            assert "    Signature Algorithm: rsassaPss\n    Signature Value:        \n" in text.response_text(response)


def test_built_requests(test_pki: TestPKI, tmp_path: Path, openssl_bin: str) -> None:
    leaf = test_pki.issue_leaf()
    intermediate = test_pki.intermediate.certificate
    cert_ids = [ocspkit.CertID.from_cert(leaf.certificate, intermediate, h) for h in ("sha1", "sha256", "sha384")]
    cert_ids += [ocspkit.CertID.from_issuer(intermediate, serial) for serial in (0, 127, 128, -1, -129, 2**400 + 7)]
    locator = x509.AuthorityInfoAccessSyntax(
        [
            {"access_method": "ca_issuers", "access_location": {"uniform_resource_identifier": "http://ca/x.crt"}},
            {"access_method": "ocsp", "access_location": {"dns_name": "ocsp.example"}},
        ]
    )
    builder = ocspkit.RequestBuilder()
    for cert_id in cert_ids:
        builder = builder.add_cert_id(cert_id)
    builder = (
        builder.add_cert_id(
            cert_ids[0], service_locator=ext.service_locator({"common_name": "CA"}, "http://a", "http://b")
        )
        .add_cert_id(cert_ids[1], service_locator=ext.service_locator({"country_name": "US"}, locator=locator))
        .with_nonce(bytes(range(100)))
        .with_acceptable_responses("1.3.6.1.5.5.7.48.1.1", "1.3.6.1.5.5.7.48.1.8", "1.2.3.4")
        .with_preferred_signature_algorithms("sha256_rsa", "sha256_ecdsa")
        .with_extension("1.2.3.4", b"\x0c\x03abc")
    )
    names = [
        x509.GeneralName(name="uniform_resource_identifier", value="http://requestor/"),
        x509.GeneralName(name="rfc822_name", value="me@example.com"),
        x509.GeneralName(name="dns_name", value="host.example"),
        x509.GeneralName(name="ip_address", value="10.1.2.3"),
        x509.GeneralName(name="registered_id", value="1.2.3.4"),
        x509.GeneralName(name="directory_name", value=x509.Name.build({"common_name": "a+b", "country_name": "DE"})),
    ]
    expected = [
        "        Preferred Signature Algorithms: ",
        "            Basic OCSP Response, Preferred Signature Algorithms, 1.2.3.4",
    ]
    for index, name in enumerate(names):
        request = builder.with_requestor_name(name).build()
        path = _write(tmp_path, f"request{index}.der", request.dump())
        assert sorted(check_against_openssl(openssl_bin, path, "ocsp-request")) == sorted(expected)
    signed = builder.sign(
        test_pki.responder.private_key,
        test_pki.responder.certificate,
        extra_certs=[intermediate, test_pki.root.certificate],
        pss=test_pki.key_algorithm == "rsa",
    )
    path = _write(tmp_path, "signed.der", signed.dump())
    assert sorted(check_against_openssl(openssl_bin, path, "ocsp-request")) == sorted(expected)
    assert len(PEM_BLOCK.findall(text.request_text(signed))) == 3


# A certificate with many extensions, names that need escaping and unusual serials, from openssl
# itself, to check the X509_print part (X509v3 extensions, names, keys) beyond the vectors.
CERT_CONFIG = """
[req]
distinguished_name = dn
prompt = no
utf8 = yes
[dn]
C = DE
O = Ex+ample, "Org"
OU = x;y<z>\\\\b
CN = caf\\C3\\A9 / test
emailAddress = a@b.example
[v3]
basicConstraints = critical,CA:TRUE,pathlen:3
keyUsage = critical, digitalSignature, keyCertSign, cRLSign, encipherOnly, decipherOnly
extendedKeyUsage = serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning, 1.2.3.4.5
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always,issuer:always
subjectAltName = @alt
issuerAltName = URI:http://issuer.example/, email:issuer@example.com
authorityInfoAccess = OCSP;URI:http://ocsp.example/, caIssuers;URI:http://ca.example/ca.crt, OCSP;IP:10.0.0.1
subjectInfoAccess = caRepository;URI:http://repo.example/
crlDistributionPoints = crldp1, crldp2
freshestCRL = URI:http://delta.example/d.crl
certificatePolicies = ia5org, 1.2.3.4, @pol1, 2.5.29.32.0
nameConstraints = critical, permitted;DNS:.example.com, permitted;IP:192.168.0.0/255.255.0.0, \
excluded;email:bad.example, excluded;IP:2001:db8::/ffff:ffff::, permitted;dirName:nc_dn
policyConstraints = requireExplicitPolicy:1, inhibitPolicyMapping:2
inhibitAnyPolicy = 5
policyMappings = 1.2.3.4:1.2.3.5, 2.5.29.32.0:1.3.6.1.5.5.7.2.1
tlsfeature = status_request, status_request_v2
nsCertType = client, server, email, objsign, sslCA, emailCA, objCA
nsComment = "A comment"
nsBaseUrl = http://base/
1.3.6.1.5.5.7.48.1.5 = ASN1:NULL
1.3.6.1.5.5.7.48.1.9 = ASN1:NULL
1.2.3.4.5.6 = critical, DER:01:02:41:42:0a:7f
2.5.29.16 = DER:30:22:80:0F:32:30:32:34:30:31:30:31:30:30:30:30:30:30:5A:\
81:0F:32:30:32:35:30:31:30:31:30:30:30:30:30:30:5A
[alt]
DNS.1 = www.example.com
IP.1 = 127.0.0.1
IP.2 = 2001:db8::1
email.1 = me@example.com
URI.1 = https://example.com/path?q=1
RID.1 = 1.2.3.4
dirName.1 = alt_dn
otherName.1 = 1.3.6.1.4.1.311.20.2.3;UTF8:upn@example.com
otherName.2 = 1.2.3.4.5;UTF8:other value
[alt_dn]
CN = Alt Name
O = Alt/Org
[nc_dn]
C = US
O = NC Org
[crldp1]
fullname = URI:http://crl.example/a.crl, URI:ldap://ldap.example/cn=crl
reasons = keyCompromise, CACompromise, superseded
CRLissuer = dirName:alt_dn
[crldp2]
relativename = rel_dn
[rel_dn]
CN = Relative CRL
[pol1]
policyIdentifier = 1.3.6.1.4.1.99.1
CPS.1 = "http://cps.example/"
userNotice.1 = @notice
userNotice.2 = @notice2
[notice]
explicitText = "Explicit notice text"
organization = "Org Name"
noticeNumbers = 1, 2, 3
[notice2]
explicitText = "Only text"
"""

# (name, openssl req key options, extra options)
CERT_KINDS: Sequence[Tuple[str, Sequence[str], Sequence[str]]] = (
    ("rsa-extensions", ("-newkey", "rsa:2048"), ("-extensions", "v3", "-set_serial", "0x00ff00ff00ff00ff00")),
    (
        "rsa-pss-signed",
        ("-newkey", "rsa:1024"),
        ("-sigopt", "rsa_padding_mode:pss", "-set_serial", "0x7fffffffffffffff"),
    ),
    ("rsa-pss-key", ("-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:1024"), ("-set_serial", "-5")),
    (
        "rsa-pss-key-restricted",
        (
            "-newkey",
            "rsa-pss",
            "-pkeyopt",
            "rsa_keygen_bits:1024",
            "-pkeyopt",
            "rsa_pss_keygen_md:sha256",
            "-pkeyopt",
            "rsa_pss_keygen_mgf1_md:sha384",
            "-pkeyopt",
            "rsa_pss_keygen_saltlen:32",
        ),
        (),
    ),
    ("ec-p384", ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp384r1"), ("-set_serial", "0x8000000000000000")),
    ("ec-secp256k1", ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1"), ("-set_serial", "0")),
    ("ed25519", ("-newkey", "ed25519"), ()),
    ("ed448", ("-newkey", "ed448"), ()),
    ("dsa", ("-newkey", "dsa:{dsa_params}"), ("-sha256",)),
)


def test_openssl_certificates(tmp_path: Path, openssl_bin: str) -> None:
    config = _write(tmp_path, "cert.cnf", CERT_CONFIG.encode())
    dsa_params = tmp_path / "dsa-params.pem"
    genparam = [openssl_bin, "genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:1024"]
    done = subprocess.run(
        [*genparam, "-out", str(dsa_params)],
        capture_output=True,
        timeout=CLI_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pki = TestPKI("ec", now=NOW)
    cert_id = ocspkit.CertID.from_issuer(pki.intermediate.certificate, 1)
    certs = []
    for name, key_options, options in CERT_KINDS:
        out = tmp_path / f"{name}.pem"
        key = tmp_path / f"{name}.key"
        key_options = [option.format(dsa_params=dsa_params) for option in key_options]
        command = [openssl_bin, "req", "-x509", *key_options, "-nodes", "-keyout", key, "-out", out]
        done = subprocess.run(
            [*command, "-config", config, "-days", "30", *options],
            capture_output=True,
            timeout=CLI_TIMEOUT,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        certs.append(x509.Certificate.load(pem.unarmor(out.read_bytes())[2]))
    response = (
        ocspkit.ResponseBuilder()
        .add_response(cert_id, this_update=NOW)
        .with_certificates(certs)
        .sign(pki.responder.private_key, pki.responder.certificate, now=NOW)
    )
    path = _write(tmp_path, "certs.der", response.dump())
    # The one deliberate difference: id-pkix-ocsp 9 named as an extension of the certificate.
    assert check_against_openssl(openssl_bin, path, "ocsp-response") == ["            Extended Revoke: "]
    printed = text.response_text(response)
    for cert in certs:
        assert text.certificate_text(cert) in printed
        pem_block = text.x509.certificate_pem(cert.dump())
        assert text.certificate_text(cert.dump(), pem=False) + pem_block == text.certificate_text(cert)


# --------------------------------------------------------------------------------------------
# The public helpers


def test_strings_and_names() -> None:
    assert text.response_status_str is enums.response_status_str
    assert text.cert_status_str is enums.cert_status_str
    assert text.crl_reason_str is enums.crl_reason_str
    assert text.oid_name("1.3.6.1.5.5.7.48.1.1") == "Basic OCSP Response"
    assert text.oid_name("1.3.6.1.5.5.7.48.1.2") == "OCSP Nonce"
    assert text.oid_name("1.3.6.1.5.5.7.48.1.8") == "Preferred Signature Algorithms"
    assert text.oid_name("1.3.6.1.5.5.7.48.1.9") == "Extended Revoke"
    assert text.oid_name("2.5.29.23") == "Hold Instruction Code"
    assert text.oid_name("1.2.3.4.5") == "1.2.3.4.5"
    assert set(text.CORRECTED_NAMES) == {"1.3.6.1.5.5.7.48.1.8", "1.3.6.1.5.5.7.48.1.9"}
    for new, old in text.CORRECTED_NAMES.values():
        assert RENAMED[new] == old
    with pytest.raises(ocspkit.OCSPTypeError):
        text.oid_name(None)  # type: ignore[arg-type]


def test_wrong_input() -> None:
    for function in (text.request_text, text.response_text, text.responder_error_text, text.to_json):
        with pytest.raises(ocspkit.OCSPTypeError):
            function(42)  # type: ignore[arg-type]
    with pytest.raises(ocspkit.OCSPTypeError):
        text.certificate_text("not a certificate")
    for function in (text.request_text, text.response_text, text.responder_error_text):
        with pytest.raises(ocspkit.ParseError):
            function(b"\x30\x03\x02\x01")
        with pytest.raises(ocspkit.ParseError):
            function(b"")


def test_responder_error_text() -> None:
    assert text.responder_error_text(ocspkit.unsuccessful_response(3)) == "Responder Error: trylater (3)\n"
    assert text.responder_error_text(b"\x30\x03\x0a\x01\x07") == "Responder Error: (UNKNOWN) (7)\n"
    assert text.response_text(b"\x30\x03\x0a\x01\x07") == (
        "OCSP Response Data:\n    OCSP Response Status: (UNKNOWN) (0x7)\n"
    )
    good = read_vector("cryptography/resp-sha256.der")
    assert text.responder_error_text(good) is None


def test_damaged_input_raises_parse_error_only() -> None:
    """Flipped and replaced octets in every vector: the printers return text or raise
    ParseError, never anything else (errors only from ocspkit.errors)."""
    import random

    rng = random.Random(6960)
    samples = [(e["kind"], read_vector(e["file"])) for e in manifest_entries("ocsp-request", "ocsp-response")]
    samples += [("certificate", read_vector(e["file"])) for e in manifest_entries("certificate")]
    samples = [(kind, data) for kind, data in samples if not data.startswith(b"-----")]
    printed = refused = 0
    for _ in range(1500):
        kind, data = rng.choice(samples)
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            if kind == "certificate":
                text.certificate_text(bytes(damaged))
            else:
                ours(kind, bytes(damaged))
            printed += 1
        except ocspkit.ParseError:
            refused += 1
        if kind != "certificate":
            try:
                message = _load(kind, bytes(damaged), allow_unknown_critical=True)
            except ocspkit.ParseError:
                continue
            text.to_json(message)
            ours(kind, message)
    assert printed > 100 and refused > 100


# --------------------------------------------------------------------------------------------
# 3. JSON

JSON_TYPES = (str, int, bool, type(None))


def _plain(value: Any, path: str = "$") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), path
            _plain(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _plain(item, f"{path}[{index}]")
    else:
        assert isinstance(value, JSON_TYPES) and not isinstance(value, float), f"{path}: {type(value).__name__}"


CERT_ID_KEYS = {
    "hash_algorithm", "hash_algorithm_oid", "issuer_name_hash", "issuer_key_hash", "serial_number", "serial_number_int"
}  # fmt: skip
EXTENSION_KEYS = {"oid", "name", "critical", "value_hex", "value", "text"}
SINGLE_KEYS = {
    "cert_id", "cert_status", "revocation_time", "revocation_reason", "revocation_reason_code", "this_update",
    "next_update", "extensions",
}  # fmt: skip
BASIC_KEYS = {
    "version", "responder_id", "produced_at", "responses", "extensions", "nonce", "signature_algorithm", "signature",
    "certs",
}  # fmt: skip
CERT_KEYS = {
    "subject", "issuer", "serial_number", "not_before", "not_after", "signature_algorithm", "public_key_algorithm",
    "extensions", "pem",
}  # fmt: skip
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def _check_cert_id(value: Dict[str, Any], cert_id: ocspkit.CertID) -> None:
    assert set(value) == CERT_ID_KEYS
    assert value["issuer_name_hash"] == cert_id.issuer_name_hash.hex().upper()
    assert value["issuer_key_hash"] == cert_id.issuer_key_hash.hex().upper()
    assert value["serial_number_int"] == cert_id.serial_number
    assert int(value["serial_number"], 16) == cert_id.serial_number


def _check_extensions(values: List[Dict[str, Any]], extensions: Any) -> None:
    assert [v["oid"] for v in values] == [e.oid for e in extensions]
    for value, extension in zip(values, extensions):
        assert set(value) == EXTENSION_KEYS
        assert value["critical"] is extension.critical
        assert bytes.fromhex(value["value_hex"]) == extension.raw_value
        assert value["name"] == text.oid_name(extension.oid)


def _check_certs(values: List[Dict[str, Any]], printed: str) -> None:
    for value in values:
        assert set(value) == CERT_KEYS
        assert value["pem"] in printed
        assert ISO.match(value["not_before"]) and ISO.match(value["not_after"])


def check_json(message: Any) -> Dict[str, Any]:
    value = text.to_json(message)
    _plain(value)
    assert json.loads(text.to_json_text(message)) == value
    assert text.to_json_text(message) == json.dumps(value, indent=2)
    if isinstance(message, ocspkit.OCSPRequest):
        assert value["type"] == "ocsp-request"
        assert value["signed"] is message.is_signed
        assert value["nonce"] == (None if message.nonce is None else message.nonce.hex().upper())
        for item, request in zip(value["requests"], message.requests):
            _check_cert_id(item["cert_id"], request.cert_id)
            _check_extensions(item["extensions"], request.extensions)
        _check_extensions(value["extensions"], message.extensions)
        _check_certs(value["certs"], text.request_text(message))
        assert len(value["certs"]) == len(message.certs)
        return value
    assert value["type"] == "ocsp-response"
    assert value["response_status_code"] == int(message.response_status)
    assert value["response_status"] == message.response_status.asn1_name
    if not message.successful:
        assert value["basic"] is None
        return value
    basic = value["basic"]
    assert set(basic) == BASIC_KEYS
    assert ISO.match(basic["produced_at"])
    assert basic["signature"] == message.basic.signature.hex().upper()
    assert basic["responder_id"]["type"] == message.responder_id.type.value
    assert len(basic["responses"]) == len(message.responses)
    for item, single in zip(basic["responses"], message.responses):
        assert set(item) == SINGLE_KEYS
        _check_cert_id(item["cert_id"], single.cert_id)
        _check_extensions(item["extensions"], single.extensions)
        assert item["cert_status"] == single.cert_status.name.lower()
        assert ISO.match(item["this_update"])
        assert (item["revocation_reason_code"] is None) is (single.revocation_reason is None)
        assert text.to_json(single) == item
        assert text.to_json(single.cert_id) == item["cert_id"]
    _check_extensions(basic["extensions"], message.extensions)
    _check_certs(basic["certs"], text.response_text(message))
    assert text.to_json(message.basic) == basic
    return value


@pytest.mark.parametrize("entry", VECTORS, ids=[e["file"] for e in VECTORS])
def test_vector_json(entry: Dict[str, Any]) -> None:
    try:
        message = _load(entry["kind"], read_vector(entry["file"]), allow_unknown_critical=True)
    except ocspkit.ParseError:
        return
    value = check_json(message)
    assert [d["code"] for d in value["deviations"]] == [d.code for d in message.deviations]


def test_json_values(test_pki: TestPKI) -> None:
    leaf = test_pki.issue_leaf()
    cert_id = ocspkit.CertID.from_cert(leaf.certificate, test_pki.intermediate.certificate)
    response = (
        ocspkit.ResponseBuilder()
        .add_response(
            cert_id,
            "revoked",
            revocation_time=NOW,
            revocation_reason=ocspkit.RevocationReason.AA_COMPROMISE,
            this_update=NOW,
            extensions=[
                ext.crl_id("http://crl/", 7, NOW),
                ext.archive_cutoff(NOW),
                ext.certificate_issuer({"common_name": "CA"}),
            ],
        )
        .with_nonce(b"\xab" * 16)
        .with_responder_id("key")
        .sign(test_pki.responder.private_key, test_pki.responder.certificate, now=NOW)
    )
    value = check_json(response)["basic"]
    single = value["responses"][0]
    assert single["revocation_reason"] == "aACompromise" and single["revocation_reason_code"] == 10
    assert single["revocation_time"] == "2024-01-02T03:04:05Z"
    crl, cutoff, issuer = (e["value"] for e in single["extensions"])
    assert crl == {"url": "http://crl/", "number": 7, "time": "2024-01-02T03:04:05Z"}
    assert cutoff == "2024-01-02T03:04:05Z"
    assert issuer == ["DirName:CN = CA"]
    assert value["nonce"] == "AB" * 16
    assert value["extensions"][0]["value"] == {"nonce": "AB" * 16, "form": "wrapped"}
    assert value["responder_id"] == {
        "type": "by_key",
        "name": None,
        "key_hash": response.responder_id.key_hash.hex().upper(),
    }
    assert value["signature_algorithm"]["oid"] == response.basic.signature_algorithm["algorithm"].dotted

    request = (
        ocspkit.RequestBuilder()
        .add_cert_id(cert_id, service_locator=ext.service_locator({"common_name": "CA"}, "http://a"))
        .with_acceptable_responses()
        .with_preferred_signature_algorithms("sha256_rsa")
        .with_requestor_name({"common_name": "me"})
        .sign(test_pki.responder.private_key, test_pki.responder.certificate)
    )
    value = check_json(request)
    assert value["requestor_name"] == {"type": "directory_name", "value": "CN = me"}
    assert value["signature"]["algorithm"]["oid"] == request.signature_algorithm["algorithm"].dotted
    locator = value["requests"][0]["extensions"][0]["value"]
    assert locator == {"issuer": "CN = CA", "locator": [{"method": "1.3.6.1.5.5.7.48.1", "location": "URI:http://a"}]}
    accepted, preferred = value["extensions"]
    assert accepted["value"] == ["1.3.6.1.5.5.7.48.1.1"]
    assert preferred["name"] == "Preferred Signature Algorithms" and preferred["value"] == ["1.2.840.113549.1.1.11"]

    check_json(ocspkit.unsuccessful_response(ocspkit.ResponseStatus.SIG_REQUIRED))
    fractional = ocspkit.load_response(read_vector("certvalidator/multitasking-ocsp/ocsp-resp-alice.der"))
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$", check_json(fractional)["basic"]["produced_at"])
