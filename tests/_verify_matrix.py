"""The PKIs, responses and the `openssl ocsp -respin` oracle behind tests/test_verify_openssl.py.

Everything is made by the openssl CLI: keys (``genpkey``), requests (``req``), certificates
(``ca``, with explicit ``-startdate``/``-enddate`` so validity is independent of the clock),
OCSP requests and responses (``ocsp -reqout`` / ``ocsp -index ... -respout``) and trust
settings (``x509 -addtrust``). A few variants are derived from openssl's responses by editing
their DER with asn1crypto (a flipped octet, another responderID, no SingleResponse): an edit that
must keep the signature valid is re-signed with ``openssl dgst -sign``. Nothing here calls
ocspkit: the oracle is openssl's answer.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from _openssl_cli import OpenSSL, run
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509

UTC = dt.timezone.utc

# Validity periods, as `openssl ca -startdate/-enddate` GeneralizedTime strings.
START = "20200101000000Z"
END = "20390101000000Z"
EXPIRED_END = "20250101000000Z"  # the expired responder's notAfter
FUTURE_START = "20350101000000Z"  # the not-yet-valid responder's notBefore

# The instant every case is checked at (openssl -attime / ocspkit now=): inside START..END,
# after EXPIRED_END and before FUTURE_START.
ATTIME = dt.datetime(2030, 6, 15, 12, 0, 0, tzinfo=UTC)


def stamp(text: str) -> dt.datetime:
    """A ``YYYYMMDDHHMMSSZ`` string as an aware datetime."""
    return dt.datetime.strptime(text, "%Y%m%d%H%M%SZ").replace(tzinfo=UTC)


CA_CONFIG = """\
[ca]
default_ca = CA_default

[CA_default]
database = {db}
new_certs_dir = {dir}
serial = {serial}
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
preserve = yes

[policy_any]
commonName = supplied

[root_ext]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash

[ca_ext]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ca_pathlen0_ext]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ca_no_certsign_ext]
basicConstraints = critical,CA:true
keyUsage = critical,digitalSignature,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[responder_ext]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[responder_no_akid_ext]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
subjectKeyIdentifier = hash
# OpenSSL 3 `ca` adds an authorityKeyIdentifier unless told not to.
authorityKeyIdentifier = none

[ca_ku_only_ext]
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[responder_no_eku_ext]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[responder_server_eku_ext]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[responder_critical_ext]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55555.1.1 = critical,ASN1:NULL

[leaf_ext]
basicConstraints = CA:false
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""

KEY_ARGS = {
    "rsa": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    "rsa-pss": ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
    "p256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    "p384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    "p521": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
}


@dataclasses.dataclass(frozen=True)
class CertSpec:
    """One certificate: its file stem, subject CN, issuer stem (None: self-signed), the
    extension section of CA_CONFIG, key type, validity and (optionally) another stem's key."""

    name: str
    cn: str
    issuer: Optional[str]
    ext: str
    key: str = "rsa"
    start: str = START
    end: str = END
    same_key_as: Optional[str] = None


# The PKIs. Serials are unique across all CAs (one `openssl ca` database), so that database is
# also the responder's index.txt.
CERTS: Tuple[CertSpec, ...] = (
    # Hierarchy A: Root CA -> Intermediate CA -> responders and leaves.
    CertSpec("root", "Root CA", None, "root_ext"),
    CertSpec("int", "Intermediate CA", "root", "ca_ext"),
    CertSpec("resp", "Delegated Responder", "int", "responder_ext"),
    CertSpec("noeku", "Responder Without EKU", "int", "responder_no_eku_ext"),
    CertSpec("servereku", "Responder With TLS EKU", "int", "responder_server_eku_ext"),
    CertSpec("expired", "Expired Responder", "int", "responder_ext", end=EXPIRED_END),
    CertSpec("future", "Future Responder", "int", "responder_ext", start=FUTURE_START),
    CertSpec("critical", "Responder With Critical Ext", "int", "responder_critical_ext"),
    CertSpec("resp_p256", "Responder P-256", "int", "responder_ext", key="p256"),
    CertSpec("resp_p384", "Responder P-384", "int", "responder_ext", key="p384"),
    CertSpec("resp_p521", "Responder P-521", "int", "responder_ext", key="p521"),
    CertSpec("resp_pss", "Responder RSA-PSS Key", "int", "responder_ext", key="rsa-pss"),
    # The same subject as "resp" but for the case (X509_NAME_cmp compares canonical forms).
    CertSpec("decoy", "delegated responder", "int", "responder_ext"),
    CertSpec("leaf1", "Leaf One", "int", "leaf_ext"),
    CertSpec("leaf2", "Leaf Two", "int", "leaf_ext"),
    # The intermediate again (same name, same key), expired: a renewed CA certificate.
    CertSpec("int_old", "Intermediate CA", "root", "ca_ext", end=EXPIRED_END, same_key_as="int"),
    # Same names, other keys: an impostor of the intermediate and a re-keyed responder; and a
    # responder without authorityKeyIdentifier, whose issuer is found by name alone.
    CertSpec("int_fake", "Intermediate CA", "root", "ca_ext"),
    CertSpec("resp_rekey", "Delegated Responder", "int", "responder_ext"),
    CertSpec("resp_noakid", "Responder Without AKID", "int", "responder_no_akid_ext"),
    # A self-signed responder: authorized only by explicit trust (or -VAfile).
    CertSpec("selfresp", "Self-Signed Responder", None, "responder_ext"),
    # Issued by the root directly: a responder for another CA than the intermediate, a leaf.
    CertSpec("rootresp", "Root Delegated Responder", "root", "responder_ext"),
    CertSpec("rootleaf", "Root Leaf", "root", "leaf_ext"),
    # An EC P-384 CA under the root, signing for its own leaf.
    CertSpec("ecint", "EC Intermediate CA", "root", "ca_ext", key="p384"),
    CertSpec("ecleaf", "EC Leaf", "ecint", "leaf_ext", key="p256"),
    # Chain defects: a CA without keyCertSign, a leaf used as a CA, pathLenConstraint 0.
    CertSpec("nocertsign", "CA Without CertSign", "root", "ca_no_certsign_ext"),
    CertSpec("nocertsign_resp", "Responder Under No-CertSign CA", "nocertsign", "responder_ext"),
    CertSpec("leafca_resp", "Responder Under A Leaf", "leaf1", "responder_ext"),
    CertSpec("pl0", "Pathlen Zero CA", "root", "ca_pathlen0_ext"),
    CertSpec("pl0sub", "Sub CA Under Pathlen Zero", "pl0", "ca_ext"),
    CertSpec("pl0resp", "Responder Under Sub CA", "pl0sub", "responder_ext"),
    CertSpec("kuca", "KeyUsage-Only CA", "root", "ca_ku_only_ext"),
    CertSpec("kuca_resp", "Responder Under KeyUsage-Only CA", "kuca", "responder_ext"),
    # Hierarchy B, independent: Other Root CA -> its responder and leaf.
    CertSpec("oroot", "Other Root CA", None, "root_ext"),
    CertSpec("oresp", "Other Delegated Responder", "oroot", "responder_ext"),
    CertSpec("oleaf", "Other Leaf", "oroot", "leaf_ext"),
)


def build_certificates(ossl: OpenSSL, specs: Sequence[CertSpec] = CERTS) -> None:
    """Keys, CSRs and certificates for ``specs``, in order; ``index.txt`` is the CA database."""
    d = ossl.dir
    (d / "index.txt").write_text("", encoding="ascii")
    (d / "serial").write_text("1000\n", encoding="ascii")
    (d / "newcerts").mkdir()
    (d / "ca.cnf").write_text(
        CA_CONFIG.format(db=d / "index.txt", dir=d / "newcerts", serial=d / "serial"), encoding="ascii"
    )
    # Key generation dominates the set-up time: every key at once, on a few threads.
    with ThreadPoolExecutor(max_workers=8) as pool:
        outputs = [
            pool.submit(ossl, "genpkey", *KEY_ARGS[spec.key], "-out", f"{spec.name}.key")
            for spec in specs if not spec.same_key_as
        ]
        for future in outputs:
            future.result()
    for spec in specs:
        key = f"{spec.same_key_as}.key" if spec.same_key_as else f"{spec.name}.key"
        ossl("req", "-new", "-key", key, "-subj", f"/CN={spec.cn}", "-out", f"{spec.name}.csr")
        if spec.same_key_as:
            (d / f"{spec.name}.key").write_bytes((d / key).read_bytes())
        issuer = ["-selfsign", "-keyfile", key] if spec.issuer is None else [
            "-cert", f"{spec.issuer}.pem", "-keyfile", f"{spec.issuer}.key"
        ]
        ossl(
            "ca", "-config", "ca.cnf", "-batch", "-notext", *issuer, "-in", f"{spec.name}.csr",
            "-out", f"{spec.name}.pem", "-startdate", spec.start, "-enddate", spec.end, "-extensions", spec.ext,
        )


def concat(ossl: OpenSSL, out: str, *names: str) -> str:
    """A PEM bundle of ``names`` (stems or file names), in that order."""
    data = b"".join(ossl.path(n if "." in n else f"{n}.pem").read_bytes() for n in names)
    ossl.path(out).write_bytes(data)
    return out


# --------------------------------------------------------------------------------------------
# Requests and responses


@dataclasses.dataclass(frozen=True)
class ResponseSpec:
    """``openssl ocsp -index`` answering a request for ``certs`` [(issuer, cert, digest)].

    OCSP_cert_to_id hashes the *cert's* issuer name with the *issuer's* key: a pair whose cert
    another CA issued gives a CertID that names no CA at all."""

    name: str
    signer: str
    certs: Tuple[Tuple[str, str, str], ...]
    ca: Tuple[str, ...]  # the -CA certificates (CertIDs of other issuers get status unknown)
    options: Tuple[str, ...] = ()  # -resp_key_id, -resp_no_certs, -rmd X, -rsigopt X, ...
    rother: Tuple[str, ...] = ()


def make_request(ossl: OpenSSL, name: str, certs: Sequence[Tuple[str, str, str]]) -> str:
    args: List[str] = []
    last_issuer = None
    for issuer, cert, digest in certs:
        if issuer != last_issuer:
            args += ["-issuer", f"{issuer}.pem"]
            last_issuer = issuer
        args += [f"-{digest}", "-cert", f"{cert}.pem"]
    out = f"{name}.req.der"
    ossl("ocsp", *args, "-no_nonce", "-reqout", out)
    return out


def make_response(ossl: OpenSSL, spec: ResponseSpec) -> Path:
    req = make_request(ossl, spec.name, spec.certs)
    ca = concat(ossl, f"{spec.name}.ca.pem", *spec.ca)
    args: List[str] = list(spec.options)
    if spec.rother:
        args += ["-rother", concat(ossl, f"{spec.name}.rother.pem", *spec.rother)]
    out = f"{spec.name}.resp.der"
    ossl(
        "ocsp", "-index", "index.txt", "-rsigner", f"{spec.signer}.pem", "-rkey", f"{spec.signer}.key",
        "-CA", ca, "-reqin", req, "-respout", out, "-ndays", "1", *args,
    )
    return ossl.path(out)


def _basic(der: bytes) -> Any:
    return asn1_ocsp.OCSPResponse.load(der)["response_bytes"]["response"].parsed


def _wrap(basic: Any) -> bytes:
    return bytes(asn1_ocsp.OCSPResponse({
        "response_status": "successful",
        "response_bytes": {"response_type": "basic_ocsp_response", "response": basic},
    }).dump())


def flip_last_octet(der: bytes, part: bytes, within: Optional[bytes] = None) -> bytes:
    """``der`` with the last octet of ``part`` flipped; ``part`` is looked for inside ``within``
    (itself found once in ``der``) when given, so the edit lands where it is meant to."""
    base = 0
    if within is not None:
        assert der.count(within) == 1
        base = der.find(within)
        region = within
    else:
        region = der
    offset = region.find(part)
    assert offset >= 0, "part not found"
    at = base + offset + len(part) - 1
    return der[:at] + bytes([der[at] ^ 0x01]) + der[at + 1:]


def tamper_tbs(der: bytes) -> bytes:
    """Flip the last octet of the first CertID (its serialNumber) inside tbsResponseData."""
    basic = _basic(der)
    tbs = bytes(basic["tbs_response_data"].dump())
    cert_id = bytes(basic["tbs_response_data"]["responses"][0]["cert_id"].dump())
    return flip_last_octet(der, cert_id, tbs)


def tamper_signature(der: bytes) -> bytes:
    """Flip the last octet of the signature BIT STRING (it follows tbsResponseData)."""
    basic = _basic(der)
    tbs = bytes(basic["tbs_response_data"].dump())
    signature = bytes(basic["signature"].dump())  # the BIT STRING TLV
    start = der.find(tbs) + len(tbs)
    return der[:start] + flip_last_octet(der[start:], signature)


def name_der(ossl: OpenSSL, cert: str) -> bytes:
    return bytes(load_pem_cert(ossl.path(f"{cert}.pem").read_bytes()).subject.dump())


def cert_der(ossl: OpenSSL, cert: str) -> bytes:
    return bytes(load_pem_cert(ossl.path(f"{cert}.pem").read_bytes()).dump())


def load_pem_cert(data: bytes) -> Any:
    body = re.search(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", data, re.S)
    assert body is not None
    return asn1_x509.Certificate.load(base64.b64decode(b"".join(body.group(1).split())))


def key_sha1(ossl: OpenSSL, cert: str) -> bytes:
    """RFC 6960 byKey: SHA-1 of the subjectPublicKey BIT STRING value (without unused-bits)."""
    spki = load_pem_cert(ossl.path(f"{cert}.pem").read_bytes())["tbs_certificate"]["subject_public_key_info"]
    return hashlib.sha1(spki["public_key"].contents[1:]).digest()


def rebuild(
    der: bytes,
    *,
    responder_id: Optional[Any] = None,
    responses: Optional[List[Any]] = None,
    resign: Optional[Callable[[bytes], bytes]] = None,
    certs: Optional[List[bytes]] = None,
) -> bytes:
    """A copy of a response with another responderID and/or SingleResponses; the signature is
    kept as is (then invalid), or made anew over the new tbsResponseData by ``resign``. ``certs``
    (DER) replaces the certificates, which the signature does not cover."""
    basic = _basic(der)
    tbs = basic["tbs_response_data"]
    fields: Dict[str, Any] = {
        "responder_id": tbs["responder_id"] if responder_id is None else responder_id,
        "produced_at": tbs["produced_at"],
        "responses": tbs["responses"] if responses is None else responses,
    }
    if tbs["response_extensions"].native is not None:
        fields["response_extensions"] = tbs["response_extensions"]
    new_tbs = asn1_ocsp.ResponseData(fields)
    signature = basic["signature"].native if resign is None else resign(bytes(new_tbs.dump()))
    out: Dict[str, Any] = {
        "tbs_response_data": new_tbs,
        "signature_algorithm": basic["signature_algorithm"],
        "signature": signature,
    }
    if certs is not None:
        out["certs"] = [asn1_x509.Certificate.load(c) for c in certs]
    elif basic["certs"].native is not None:
        out["certs"] = basic["certs"]
    return _wrap(asn1_ocsp.BasicOCSPResponse(out))


def subject(ossl: OpenSSL, cert: str) -> Any:
    """The subject Name of ``cert`` (a stem), as asn1crypto reads it."""
    return asn1_x509.Name.load(name_der(ossl, cert))


def by_name(name: Any) -> Any:
    return asn1_ocsp.ResponderId(name="by_name", value=name)


def by_key(key_hash: bytes) -> Any:
    return asn1_ocsp.ResponderId(name="by_key", value=key_hash)


def rsa_sha256_signer(ossl: OpenSSL, key: str) -> Callable[[bytes], bytes]:
    """Sign bytes with ``openssl dgst -sha256 -sign KEY`` (PKCS#1 v1.5, for sha256WithRSA)."""

    def sign(data: bytes) -> bytes:
        tbs = ossl.path("resign.tbs.der")
        sig = ossl.path("resign.sig")
        tbs.write_bytes(data)
        ossl("dgst", "-sha256", "-sign", f"{key}.key", "-out", sig.name, tbs.name)
        return sig.read_bytes()

    return sign


# --------------------------------------------------------------------------------------------
# The oracle: openssl ocsp -respin


@dataclasses.dataclass(frozen=True)
class OpenSSLVerdict:
    ok: bool
    reasons: Tuple[str, ...]  # the reasons of the OCSP routines' errors in the queue, in order
    verify_error: Optional[str]  # the text after "Verify error:" (certificate verify error)
    output: str
    command: str


# <pid>:error:<code>:<library>:<function>:<reason>:<file>:<line>:<data>
ERROR_LINE = re.compile(
    r"^[0-9A-F]+:error:[0-9A-F]+:(?P<library>[^:]*):[^:]*:(?P<reason>[^:]+):[^:]*:\d+:(?P<data>.*)$", re.M
)


def openssl_verify(
    binary: str,
    directory: Path,
    response: Path,
    trusted: Optional[Path],
    untrusted: Optional[Path],
    vafile: bool,
    options: Sequence[str],
    attime: dt.datetime,
) -> OpenSSLVerdict:
    """``openssl ocsp -respin`` with only what the case names: no -issuer (apps/ocsp.c would
    retry OCSP_basic_verify with the issuers as TRUSTOTHER), no default CA path or store."""
    args: List[str] = [binary, "ocsp", "-respin", str(response), "-no-CApath", "-no-CAstore"]
    args += ["-CAfile", str(trusted)] if trusted is not None else ["-no-CAfile"]
    if untrusted is not None:
        args += ["-VAfile" if vafile else "-verify_other", str(untrusted)]
    args += ["-attime", str(int(attime.timestamp())), *options]
    result = run(args, cwd=str(directory))
    output = result.stdout + result.stderr
    command = " ".join(a.replace(str(directory) + "/", "") for a in args[1:])
    if "Response verify OK" in output:
        assert result.returncode == 0, output
        return OpenSSLVerdict(True, (), None, output, command)
    assert "Response Verify Failure" in output, f"openssl did not verify at all:\n{command}\n{output}"
    reasons = []
    verify_error = None
    for m in ERROR_LINE.finditer(output):
        if m["library"] != "OCSP routines":
            continue  # the provider's and X509's own errors under OCSP_R_SIGNATURE_FAILURE etc.
        reasons.append(m["reason"])
        if m["data"].startswith("Verify error:"):
            verify_error = m["data"][len("Verify error:"):].strip()
    return OpenSSLVerdict(False, tuple(reasons), verify_error, output, command)
