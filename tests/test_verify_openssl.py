"""verify_response against `openssl ocsp -respin`, case by case (the issue's "Must pass" matrix).

The PKIs and the responses are made by the openssl CLI (tests/_verify_matrix.py): the CA signs;
a delegated responder with and without id-kp-OCSPSigning; responders issued by another CA;
expired and not-yet-valid responders; tbsResponseData and signature tampered; wrong responder
IDs; CertIDs of another issuer; several SingleResponses with mixed issuers and hashes; by name
and by key; RSA PKCS#1 v1.5, RSA-PSS and ECDSA signatures. Every case is checked by both

    openssl ocsp -respin R -CAfile T [-verify_other U | -VAfile U] -attime A <flags>
    ocspkit.verify_response(R, trusted=T, untrusted=U, flags=<flags>, now=A)

and the outcomes must be equal: both verified, or both failed for the same reason (OpenSSL's
error reason mapped to ocspkit's exception class, and for a chain error OpenSSL's X509 verify
error string equal to ``ChainError.openssl_error``). Each case also states what RFC 6960 4.2.2.2
and OCSP_basic_verify predict (``expect``): the authorization of a verdict, or the failure; that
is checked against openssl's live answer, so a case that stops testing what it says fails too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any, Dict, Optional, Tuple, Type, Union

import pytest
from _verify_matrix import (
    ATTIME,
    CERTS,
    EXPIRED_END,
    FUTURE_START,
    OpenSSL,
    OpenSSLVerdict,
    ResponseSpec,
    build_certificates,
    by_key,
    by_name,
    cert_der,
    concat,
    key_sha1,
    make_response,
    openssl_verify,
    rebuild,
    rsa_sha256_signer,
    stamp,
    subject,
    tamper_signature,
    tamper_tbs,
)
from asn1crypto import x509 as asn1_x509

import ocspkit
from ocspkit import (
    Authorization,
    CertIDMismatch,
    ChainError,
    ResponderNotAuthorized,
    SignatureError,
    SignerNotFound,
    VerificationError,
    VerifyFlags,
)

ISSUER = Authorization.ISSUER
DELEGATED = Authorization.DELEGATED
TRUSTED_RESPONDER = Authorization.TRUSTED_RESPONDER
EXPLICIT = Authorization.EXPLICIT_TRUST
NOT_CHECKED = Authorization.NOT_CHECKED

# openssl ocsp option -> ocspkit flag (-partial_chain is an X509 verify option in apps/ocsp.c,
# X509_V_FLAG_PARTIAL_CHAIN on the store; OCSP_PARTIAL_CHAIN sets the same flag on the context).
FLAGS: Dict[str, VerifyFlags] = {
    "-no_intern": VerifyFlags.NOINTERN,
    "-no_signature_verify": VerifyFlags.NOSIGS,
    "-no_chain": VerifyFlags.NOCHAIN,
    "-no_cert_verify": VerifyFlags.NOVERIFY,
    "-no_explicit": VerifyFlags.NOEXPLICIT,
    "-no_cert_checks": VerifyFlags.NOCHECKS,
    "-trust_other": VerifyFlags.TRUSTOTHER,
    "-partial_chain": VerifyFlags.PARTIAL_CHAIN,
}

# The reason strings of OpenSSL's error queue (crypto/ocsp/ocsp_err.c) -> ocspkit's classes.
REASONS: Dict[str, Type[VerificationError]] = {
    "signer certificate not found": SignerNotFound,
    "signature failure": SignatureError,
    "certificate verify error": ChainError,
    "response contains no revocation data": CertIDMismatch,
    "root ca not trusted": ResponderNotAuthorized,
    "missing ocspsigning usage": ResponderNotAuthorized,
}

# --------------------------------------------------------------------------------------------
# The responses: what `openssl ocsp -index` answers, then variants derived from them.

I = "int"  # noqa: E741 - the intermediate CA's stem, used in most CertIDs
LEAF1 = (I, "leaf1", "sha1")
LEAF2 = (I, "leaf2", "sha1")
OLEAF = ("oroot", "oleaf", "sha1")
KEY_ID = ("-resp_key_id",)
NO_CERTS = ("-resp_no_certs",)

RESPONSES: Tuple[ResponseSpec, ...] = (
    # The CA signs.
    ResponseSpec("ca", I, (LEAF1,), (I,)),
    ResponseSpec("ca-key", I, (LEAF1,), (I,), KEY_ID),
    ResponseSpec("ca-nocerts", I, (LEAF1,), (I,), NO_CERTS),
    ResponseSpec("ca-sha256-id", I, ((I, "leaf1", "sha256"),), (I,)),
    ResponseSpec("root", "root", (("root", "rootleaf", "sha1"),), ("root",)),
    ResponseSpec("ecca", "ecint", (("ecint", "ecleaf", "sha256"),), ("ecint",), ("-rmd", "sha384")),
    # A delegated responder (id-kp-OCSPSigning, issued by the CA): with and without the CA in the
    # response, by name and by key, without certificates.
    ResponseSpec("del", "resp", (LEAF1,), (I,)),
    ResponseSpec("del-key", "resp", (LEAF1,), (I,), KEY_ID),
    ResponseSpec("del-int", "resp", (LEAF1,), (I,), rother=(I,)),
    ResponseSpec("del-key-int", "resp", (LEAF1,), (I,), KEY_ID, rother=(I,)),
    ResponseSpec("del-nocerts", "resp", (LEAF1,), (I,), NO_CERTS),
    ResponseSpec("del-key-nocerts", "resp", (LEAF1,), (I,), (*KEY_ID, *NO_CERTS)),
    # Signers the CA did not delegate to.
    ResponseSpec("noeku", "noeku", (LEAF1,), (I,), rother=(I,)),
    ResponseSpec("servereku", "servereku", (LEAF1,), (I,), rother=(I,)),
    ResponseSpec("rootresp", "rootresp", (LEAF1,), (I,)),
    ResponseSpec("foreign", "oresp", (LEAF1,), (I,)),
    ResponseSpec("other-del", "oresp", (OLEAF,), ("oroot",)),
    # Validity.
    ResponseSpec("expired", "expired", (LEAF1,), (I,), rother=(I,)),
    ResponseSpec("future", "future", (LEAF1,), (I,), rother=(I,)),
    # CertIDs: another issuer's (status unknown), several, mixed issuers, mixed hashes.
    ResponseSpec("other-id", "resp", (OLEAF,), (I,), rother=(I,)),
    ResponseSpec("other-id-ca", I, (OLEAF,), (I,)),
    # -issuer oroot -cert leaf1: the intermediate's name hash with the other root's key hash.
    ResponseSpec("chimera-id", "resp", (("oroot", "leaf1", "sha1"),), (I,), rother=(I,)),
    ResponseSpec("multi", "resp", (LEAF1, LEAF2), (I,), rother=(I,)),
    ResponseSpec("multi-ca", I, (LEAF1, LEAF2), (I,)),
    ResponseSpec("mixed", I, (LEAF1, OLEAF), (I, "oroot")),
    ResponseSpec("mixed-del", "resp", (LEAF1, OLEAF), (I, "oroot"), rother=(I,)),
    ResponseSpec("mixed-hash", "resp", (LEAF1, (I, "leaf2", "sha256")), (I,), rother=(I,)),
    ResponseSpec("mixed-hash-ca", I, ((I, "leaf1", "sha256"), LEAF2), (I,)),
    ResponseSpec("mixed-hash-issuers", "resp", (LEAF1, ("oroot", "oleaf", "sha256")), (I, "oroot"), rother=(I,)),
    ResponseSpec("mixed-hash-issuers-3", I, (LEAF1, (I, "leaf2", "sha256"), OLEAF), (I, "oroot")),
    ResponseSpec("sha256-id", "resp", ((I, "leaf1", "sha256"),), (I,), rother=(I,)),
    ResponseSpec("sha384-id", "resp", ((I, "leaf1", "sha384"),), (I,), rother=(I,)),
    ResponseSpec("sha512-id", "resp", ((I, "leaf1", "sha512"),), (I,), rother=(I,)),
    # Signature algorithms.
    ResponseSpec("rsa-sha1", "resp", (LEAF1,), (I,), ("-rmd", "sha1"), rother=(I,)),
    ResponseSpec("rsa-sha384", "resp", (LEAF1,), (I,), ("-rmd", "sha384"), rother=(I,)),
    ResponseSpec("rsa-sha512", "resp", (LEAF1,), (I,), ("-rmd", "sha512"), rother=(I,)),
    ResponseSpec("rsa-pss", "resp", (LEAF1,), (I,), ("-rsigopt", "rsa_padding_mode:pss"), rother=(I,)),
    ResponseSpec("rsa-pss-sha384-digest-salt", "resp", (LEAF1,), (I,),
                 ("-rmd", "sha384", "-rsigopt", "rsa_padding_mode:pss", "-rsigopt", "rsa_pss_saltlen:digest"),
                 rother=(I,)),
    ResponseSpec("pss-key", "resp_pss", (LEAF1,), (I,), rother=(I,)),
    ResponseSpec("p256", "resp_p256", (LEAF1,), (I,), rother=(I,)),
    ResponseSpec("p256-key", "resp_p256", (LEAF1,), (I,), KEY_ID, rother=(I,)),
    ResponseSpec("p256-sha512", "resp_p256", (LEAF1,), (I,), ("-rmd", "sha512"), rother=(I,)),
    ResponseSpec("p384", "resp_p384", (LEAF1,), (I,), ("-rmd", "sha384"), rother=(I,)),
    ResponseSpec("p384-sha1", "resp_p384", (LEAF1,), (I,), ("-rmd", "sha1"), rother=(I,)),
    ResponseSpec("p521", "resp_p521", (LEAF1,), (I,), ("-rmd", "sha512"), rother=(I,)),
    # Chain defects.
    ResponseSpec("critical", "critical", (LEAF1,), (I,), rother=(I,)),
    ResponseSpec("nocertsign", "nocertsign_resp", (("nocertsign", "nocertsign_resp", "sha1"),), ("nocertsign",),
                 rother=("nocertsign",)),
    ResponseSpec("leafca", "leafca_resp", (("leaf1", "leafca_resp", "sha1"),), ("leaf1",), rother=("leaf1", I)),
    ResponseSpec("pathlen", "pl0resp", (("pl0sub", "pl0resp", "sha1"),), ("pl0sub",), rother=("pl0sub", "pl0")),
    ResponseSpec("kuca", "kuca_resp", (("kuca", "kuca_resp", "sha1"),), ("kuca",), rother=("kuca",)),
    ResponseSpec("noakid", "resp_noakid", (LEAF1,), (I,)),
    ResponseSpec("selfresp", "selfresp", (LEAF1,), (I,)),
)

NOBODY = asn1_x509.Name.build({"common_name": "Nobody"})


def derive(ossl: OpenSSL, responses: Dict[str, Path]) -> None:
    """The variants openssl will not write: tampered, other responderIDs, no SingleResponse."""

    def put(name: str, der: bytes) -> None:
        responses[name] = ossl.path(f"{name}.resp.der")
        responses[name].write_bytes(der)

    def der(name: str) -> bytes:
        return responses[name].read_bytes()

    for name in ("del-int", "ca", "p256", "p384", "pss-key", "ecca"):
        put(f"{name}+tbs", tamper_tbs(der(name)))
    for name in ("del-int", "ca", "p256", "p384", "p521", "rsa-pss", "pss-key", "ecca", "del-key-int"):
        put(f"{name}+sig", tamper_signature(der(name)))
    put("rid-nobody", rebuild(der("del-int"), responder_id=by_name(NOBODY)))
    put("rid-names-ca", rebuild(der("del-int"), responder_id=by_name(subject(ossl, I))))
    put("rid-names-noeku", rebuild(der("del-int"), responder_id=by_name(subject(ossl, "noeku"))))
    put("rid-key-of-ca", rebuild(der("del-key-int"), responder_id=by_key(key_sha1(ossl, I))))
    put("rid-unknown-key", rebuild(der("del-key-int"), responder_id=by_key(bytes(range(20)))))
    put("rid-short-key", rebuild(der("del-key-int"), responder_id=by_key(key_sha1(ossl, "resp")[:19])))
    put("rid-key-of-ca+resigned", rebuild(
        der("del-key-int"), responder_id=by_key(key_sha1(ossl, I)), resign=rsa_sha256_signer(ossl, "resp")
    ))
    # The certificates are outside tbsResponseData: reordered, the signature still holds.
    put("decoy-first-in-response", rebuild(
        der("del"), certs=[cert_der(ossl, "decoy"), cert_der(ossl, "resp"), cert_der(ossl, I)]
    ))
    put("decoy-second-in-response", rebuild(
        der("del"), certs=[cert_der(ossl, "resp"), cert_der(ossl, "decoy"), cert_der(ossl, I)]
    ))
    put("empty", rebuild(der("del-int"), responses=[], resign=rsa_sha256_signer(ossl, "resp")))
    put("empty-ca", rebuild(der("ca"), responses=[], resign=rsa_sha256_signer(ossl, I)))


# Trust files beyond the certificates themselves: `openssl x509 -addtrust/-addreject`.
TRUST_FILES = {
    "root-trusted": ("root", "-addtrust", "OCSPSigning"),
    "oroot-trusted": ("oroot", "-addtrust", "OCSPSigning"),
    "int-trusted": ("int", "-addtrust", "OCSPSigning"),
    "resp-trusted": ("resp", "-addtrust", "OCSPSigning"),
    "selfresp-trusted": ("selfresp", "-addtrust", "OCSPSigning"),
    "root-rejected": ("root", "-addreject", "OCSPSigning"),
    "root-serverauth": ("root", "-addtrust", "serverAuth"),
    "oroot-rejected": ("oroot", "-addreject", "OCSPSigning"),
    "oroot-anyeku": ("oroot", "-addtrust", "anyExtendedKeyUsage"),
    "oroot-serverauth": ("oroot", "-addtrust", "serverAuth"),
}


@dataclasses.dataclass
class Matrix:
    ossl: OpenSSL
    responses: Dict[str, Path]


@pytest.fixture(scope="module")
def matrix(openssl_bin: str, tmp_path_factory: pytest.TempPathFactory) -> Matrix:
    ossl = OpenSSL(openssl_bin, tmp_path_factory.mktemp("verify-matrix"))
    build_certificates(ossl, CERTS)
    for name, (cert, option, purpose) in TRUST_FILES.items():
        ossl("x509", "-in", f"{cert}.pem", option, purpose, "-out", f"{name}.pem")
    responses = {spec.name: make_response(ossl, spec) for spec in RESPONSES}
    derive(ossl, responses)
    return Matrix(ossl, responses)


# --------------------------------------------------------------------------------------------
# The cases


Expect = Union[Authorization, Type[VerificationError]]


@dataclasses.dataclass(frozen=True)
class Case:
    """One verification: the response, -CAfile stems, -verify_other (or -VAfile) stems, openssl
    options, the -attime instant, and what RFC 6960 / OCSP_basic_verify predict."""

    id: str
    response: str
    trusted: Tuple[str, ...]
    expect: Expect
    untrusted: Tuple[str, ...] = ()
    options: Tuple[str, ...] = ()
    vafile: bool = False
    attime: dt.datetime = ATTIME
    chain_error: Optional[str] = None  # the expected X509 verify error string, for ChainError


def case(
    name: str, response: str, trusted: Union[str, Tuple[str, ...]], expect: Expect, *,
    untrusted: Union[str, Tuple[str, ...]] = (), options: Union[str, Tuple[str, ...]] = (), vafile: bool = False,
    attime: dt.datetime = ATTIME, chain_error: Optional[str] = None,
) -> Any:
    def tup(value: Union[str, Tuple[str, ...]]) -> Tuple[str, ...]:
        return (value,) if isinstance(value, str) else value

    if chain_error is not None:
        assert expect is ChainError
    return pytest.param(
        Case(name, response, tup(trusted), expect, tup(untrusted), tup(options), vafile, attime, chain_error), id=name
    )


NO_ISSUER = "unable to get local issuer certificate"
ROOT = "root"
SECOND = dt.timedelta(seconds=1)

# The find-signer-canonical-name and issuer-choice cases found places where ocspkit first chose
# differently from OpenSSL 3.0.19 (exact bytes before canonical names; signatures rather than
# validity to pick among same-named issuers); ocspkit now follows OpenSSL there.

CASES = [
    # --- the CA signs ---------------------------------------------------------------------
    case("ca/by-name", "ca", ROOT, ISSUER),
    case("ca/by-key", "ca-key", ROOT, ISSUER),
    case("ca/sha256-certid", "ca-sha256-id", ROOT, ISSUER),
    case("ca/no-certs/verify_other", "ca-nocerts", ROOT, ISSUER, untrusted=I),
    case("ca/no-certs/nothing-else", "ca-nocerts", ROOT, SignerNotFound),
    case("ca/no-certs/VAfile", "ca-nocerts", ROOT, TRUSTED_RESPONDER, untrusted=I, vafile=True),
    case("ca/no-certs/VAfile/other-root-trusted", "ca-nocerts", "oroot", TRUSTED_RESPONDER, untrusted=I,
         vafile=True),
    case("ca/no-certs/VAfile/nothing-trusted", "ca-nocerts", (), TRUSTED_RESPONDER, untrusted=I, vafile=True),
    case("ca/trusted-signer-only", "ca", I, ChainError, chain_error=NO_ISSUER),
    case("ca/trusted-signer-only/partial_chain", "ca", I, ISSUER, options="-partial_chain"),
    case("ca/other-root", "ca", "oroot", ChainError, chain_error=NO_ISSUER),
    case("ca/other-root/no_cert_verify", "ca", "oroot", NOT_CHECKED, options="-no_cert_verify"),
    case("ca/no_intern", "ca", ROOT, SignerNotFound, options="-no_intern"),
    case("ca/no_intern/verify_other", "ca", ROOT, ISSUER, untrusted=I, options="-no_intern"),
    case("ca/by-key/no_intern/verify_other", "ca-key", ROOT, ISSUER, untrusted=I, options="-no_intern"),
    case("ca/trust_other/other-root", "ca", "oroot", TRUSTED_RESPONDER, untrusted=I, options="-trust_other"),
    case("ca/trust_other/signer-in-response", "ca", "oroot", ChainError, untrusted="leaf2",
         options="-trust_other", chain_error=NO_ISSUER),
    case("ca/no_explicit", "ca", ROOT, ISSUER, options="-no_explicit"),
    case("ca/no_cert_checks", "ca", ROOT, NOT_CHECKED, options="-no_cert_checks"),
    case("ca/no_signature_verify", "ca", ROOT, ISSUER, options="-no_signature_verify"),
    case("ca/no_chain", "ca", ROOT, ISSUER, options="-no_chain"),
    case("ca/explicit-root", "ca", "root-trusted", ISSUER),
    # -verify_other is searched for the signer first: an expired copy of the CA's certificate there
    # is the signer, though the response carries the valid one.
    case("ca/renewed-ca-supplied/expired-copy", "ca", ROOT, ChainError, untrusted="int_old",
         chain_error="certificate has expired"),
    case("ca/root-signs", "root", ROOT, ISSUER),
    case("ca/root-signs/partial_chain", "root", ROOT, ISSUER, options="-partial_chain"),
    case("ca/root-signs/untrusted-self-signed", "root", I, ChainError, chain_error="self-signed certificate"),
    case("ca/ec-p384-ca-signs", "ecca", ROOT, ISSUER),
    # --- a delegated responder ----------------------------------------------------------------
    case("delegated/ca-missing", "del", ROOT, ChainError, chain_error=NO_ISSUER),
    case("delegated/ca-in-verify_other", "del", ROOT, DELEGATED, untrusted=I),
    case("delegated/ca-in-response", "del-int", ROOT, DELEGATED),
    case("delegated/by-key/ca-in-verify_other", "del-key", ROOT, DELEGATED, untrusted=I),
    case("delegated/by-key/ca-in-response", "del-key-int", ROOT, DELEGATED),
    case("delegated/no-certs/verify_other", "del-nocerts", ROOT, DELEGATED, untrusted=("resp", I)),
    case("delegated/no-certs/signer-missing", "del-nocerts", ROOT, SignerNotFound, untrusted=I),
    case("delegated/by-key/no-certs/verify_other", "del-key-nocerts", ROOT, DELEGATED, untrusted=(I, "resp")),
    case("delegated/by-key/no-certs/signer-missing", "del-key-nocerts", ROOT, SignerNotFound, untrusted=I),
    case("delegated/no-certs/VAfile", "del-nocerts", ROOT, TRUSTED_RESPONDER, untrusted="resp", vafile=True),
    case("delegated/no-certs/VAfile/nothing-trusted", "del-nocerts", (), TRUSTED_RESPONDER, untrusted="resp",
         vafile=True),
    case("delegated/VAfile-without-signer", "del-int", ROOT, DELEGATED, untrusted=I, vafile=True),
    case("delegated/VAfile-without-signer/other-root", "del-int", "oroot", ChainError, untrusted=I, vafile=True,
         chain_error=NO_ISSUER),
    case("delegated/no_intern", "del-int", ROOT, SignerNotFound, options="-no_intern"),
    case("delegated/no_intern/verify_other", "del-int", ROOT, DELEGATED, untrusted=("resp", I),
         options="-no_intern"),
    case("delegated/no_chain/ca-in-response", "del-int", ROOT, ChainError, options="-no_chain",
         chain_error=NO_ISSUER),
    case("delegated/no_chain/ca-in-verify_other", "del", ROOT, ChainError, untrusted=I, options="-no_chain",
         chain_error=NO_ISSUER),
    case("delegated/no_chain/ca-trusted", "del-int", (ROOT, I), DELEGATED, options="-no_chain"),
    case("delegated/trusted-ca-only", "del", I, ChainError, chain_error="unable to get issuer certificate"),
    case("delegated/trusted-ca-only/partial_chain", "del", I, DELEGATED, options="-partial_chain"),
    case("delegated/trusted-signer-only/partial_chain", "del", "resp", ResponderNotAuthorized,
         options="-partial_chain"),
    case("delegated/trusted-signer-only", "del", "resp", ChainError, untrusted=I, chain_error=NO_ISSUER),
    case("delegated/explicit-signer/partial_chain", "del", "resp-trusted", EXPLICIT, options="-partial_chain"),
    case("delegated/no_explicit", "del-int", ROOT, DELEGATED, options="-no_explicit"),
    case("delegated/no_cert_checks", "del-int", ROOT, NOT_CHECKED, options="-no_cert_checks"),
    case("delegated/no_cert_verify/other-root", "del-int", "oroot", NOT_CHECKED, options="-no_cert_verify"),
    case("delegated/no_signature_verify", "del-int", ROOT, DELEGATED, options="-no_signature_verify"),
    case("delegated/trust_other/other-root", "del-int", "oroot", TRUSTED_RESPONDER, untrusted="resp",
         options="-trust_other"),
    case("delegated/trust_other+no_intern", "del-int", ROOT, TRUSTED_RESPONDER, untrusted="resp",
         options=("-trust_other", "-no_intern")),
    case("delegated/no_intern/signer-supplied-ca-in-response", "del-int", ROOT, DELEGATED, untrusted="resp",
         options="-no_intern"),
    case("delegated/explicit-root", "del-int", "root-trusted", DELEGATED),
    # Trust settings on the anchor do not matter to the chain (X509_TRUST_COMPAT), only to the
    # explicit-trust fallback.
    case("delegated/root-rejects-ocsp", "del-int", "root-rejected", DELEGATED),
    case("delegated/root-trusts-serverauth-only", "del-int", "root-serverauth", DELEGATED),
    case("delegated/other-root", "del-int", "oroot", ChainError, chain_error=NO_ISSUER),
    case("delegated/both-roots", "del-int", ("oroot", ROOT), DELEGATED),
    # --- signers the CA did not delegate to ---------------------------------------------------
    case("no-eku", "noeku", ROOT, ResponderNotAuthorized),
    case("no-eku/explicit-root", "noeku", "root-trusted", EXPLICIT),
    case("no-eku/explicit-root/no_explicit", "noeku", "root-trusted", ResponderNotAuthorized,
         options="-no_explicit"),
    case("no-eku/explicit-ca/partial_chain", "noeku", "int-trusted", EXPLICIT, options="-partial_chain"),
    case("no-eku/explicit-ca-under-root", "noeku", (ROOT, "int-trusted"), ResponderNotAuthorized),
    case("no-eku/explicit-other-root", "noeku", "oroot-trusted", ChainError, chain_error=NO_ISSUER),
    case("no-eku/no_cert_checks", "noeku", ROOT, NOT_CHECKED, options="-no_cert_checks"),
    case("no-eku/no_cert_verify", "noeku", ROOT, NOT_CHECKED, options="-no_cert_verify"),
    case("no-eku/VAfile", "noeku", ROOT, TRUSTED_RESPONDER, untrusted="noeku", vafile=True),
    case("tls-eku", "servereku", ROOT, ResponderNotAuthorized),
    case("tls-eku/explicit-root", "servereku", "root-trusted", EXPLICIT),
    case("root-responder-for-ca", "rootresp", ROOT, ResponderNotAuthorized),
    case("root-responder-for-ca/explicit-root", "rootresp", "root-trusted", EXPLICIT),
    case("root-responder-for-ca/no_cert_checks", "rootresp", ROOT, NOT_CHECKED, options="-no_cert_checks"),
    case("other-ca-responder", "foreign", (ROOT, "oroot"), ResponderNotAuthorized),
    case("other-ca-responder/explicit-other-root", "foreign", "oroot-trusted", EXPLICIT),
    case("other-ca-responder/explicit-other-root/no_explicit", "foreign", "oroot-trusted", ResponderNotAuthorized,
         options="-no_explicit"),
    case("other-ca-responder/explicit-root-only", "foreign", "root-trusted", ChainError, chain_error=NO_ISSUER),
    case("other-ca-responder/other-root-rejects-ocsp", "foreign", "oroot-rejected", ResponderNotAuthorized),
    case("other-ca-responder/other-root-trusts-any-eku", "foreign", "oroot-anyeku", ResponderNotAuthorized),
    case("other-ca-responder/other-root-trusts-serverauth", "foreign", "oroot-serverauth", ResponderNotAuthorized),
    case("other-ca-responder/VAfile", "foreign", ROOT, TRUSTED_RESPONDER, untrusted="oresp", vafile=True),
    case("other-ca-responder/own-certid", "other-del", "oroot", DELEGATED),
    case("self-signed-responder", "selfresp", ROOT, ChainError, chain_error="self-signed certificate"),
    case("self-signed-responder/trusted", "selfresp", "selfresp", ResponderNotAuthorized),
    case("self-signed-responder/explicit", "selfresp", "selfresp-trusted", EXPLICIT),
    case("self-signed-responder/explicit/no_explicit", "selfresp", "selfresp-trusted", ResponderNotAuthorized,
         options="-no_explicit"),
    case("self-signed-responder/VAfile", "selfresp", ROOT, TRUSTED_RESPONDER, untrusted="selfresp", vafile=True),
    # --- validity at -attime ------------------------------------------------------------------
    case("expired", "expired", ROOT, ChainError, chain_error="certificate has expired"),
    case("expired/before-notafter", "expired", ROOT, DELEGATED, attime=stamp(EXPIRED_END) - SECOND),
    case("expired/at-notafter", "expired", ROOT, ChainError, attime=stamp(EXPIRED_END),
         chain_error="certificate has expired"),
    case("expired/a-year-before", "expired", ROOT, DELEGATED, attime=stamp(EXPIRED_END) - dt.timedelta(days=365)),
    case("expired/no_cert_verify", "expired", ROOT, NOT_CHECKED, options="-no_cert_verify"),
    case("expired/no_cert_checks", "expired", ROOT, ChainError, options="-no_cert_checks",
         chain_error="certificate has expired"),
    case("expired/VAfile", "expired", ROOT, TRUSTED_RESPONDER, untrusted="expired", vafile=True),
    case("not-yet-valid", "future", ROOT, ChainError, chain_error="certificate is not yet valid"),
    case("not-yet-valid/at-notbefore", "future", ROOT, DELEGATED, attime=stamp(FUTURE_START)),
    case("not-yet-valid/before-notbefore", "future", ROOT, ChainError, attime=stamp(FUTURE_START) - SECOND,
         chain_error="certificate is not yet valid"),
    case("not-yet-valid/no_cert_verify", "future", ROOT, NOT_CHECKED, options="-no_cert_verify"),
    case("whole-chain/before-all", "del-int", ROOT, ChainError, attime=dt.datetime(2019, 6, 1, tzinfo=dt.timezone.utc),
         chain_error="certificate is not yet valid"),
    case("whole-chain/after-all", "del-int", ROOT, ChainError, attime=dt.datetime(2041, 6, 1, tzinfo=dt.timezone.utc),
         chain_error="certificate has expired"),
    # --- tbsResponseData tampered ---------------------------------------------------------------
    case("tampered-tbs/delegated", "del-int+tbs", ROOT, SignatureError),
    case("tampered-tbs/delegated/no_signature_verify", "del-int+tbs", ROOT, DELEGATED,
         options="-no_signature_verify"),
    case("tampered-tbs/delegated/no_signature_verify/other-root", "del-int+tbs", "oroot", ChainError,
         options="-no_signature_verify", chain_error=NO_ISSUER),
    case("tampered-tbs/ca", "ca+tbs", ROOT, SignatureError),
    case("tampered-tbs/ec-p256", "p256+tbs", ROOT, SignatureError),
    case("tampered-tbs/ec-p384", "p384+tbs", ROOT, SignatureError),
    case("tampered-tbs/rsa-pss-key", "pss-key+tbs", ROOT, SignatureError),
    case("tampered-tbs/ec-ca", "ecca+tbs", ROOT, SignatureError),
    # --- signature tampered -------------------------------------------------------------------
    case("tampered-sig/delegated", "del-int+sig", ROOT, SignatureError),
    case("tampered-sig/delegated/by-key", "del-key-int+sig", ROOT, SignatureError),
    case("tampered-sig/delegated/no_signature_verify", "del-int+sig", ROOT, DELEGATED,
         options="-no_signature_verify"),
    case("tampered-sig/delegated/no_cert_verify", "del-int+sig", ROOT, SignatureError, options="-no_cert_verify"),
    case("tampered-sig/delegated/VAfile", "del-int+sig", ROOT, SignatureError, untrusted="resp", vafile=True),
    case("tampered-sig/ca", "ca+sig", ROOT, SignatureError),
    case("tampered-sig/ec-p256", "p256+sig", ROOT, SignatureError),
    case("tampered-sig/ec-p384", "p384+sig", ROOT, SignatureError),
    case("tampered-sig/ec-p521", "p521+sig", ROOT, SignatureError),
    case("tampered-sig/rsa-pss-padding", "rsa-pss+sig", ROOT, SignatureError),
    case("tampered-sig/rsa-pss-key", "pss-key+sig", ROOT, SignatureError),
    case("tampered-sig/ec-ca", "ecca+sig", ROOT, SignatureError),
    # --- wrong responder ID -------------------------------------------------------------------
    case("responder-id/unknown-name", "rid-nobody", ROOT, SignerNotFound),
    case("responder-id/unknown-name/everything-supplied", "rid-nobody", ROOT, SignerNotFound,
         untrusted=("resp", I, ROOT)),
    case("responder-id/unknown-key", "rid-unknown-key", ROOT, SignerNotFound),
    case("responder-id/key-hash-19-octets", "rid-short-key", ROOT, SignerNotFound),
    case("responder-id/names-the-ca", "rid-names-ca", ROOT, SignatureError),
    case("responder-id/names-the-ca/no_signature_verify", "rid-names-ca", ROOT, ISSUER,
         options="-no_signature_verify"),
    case("responder-id/key-of-the-ca", "rid-key-of-ca", ROOT, SignatureError),
    case("responder-id/key-of-the-ca/no_signature_verify", "rid-key-of-ca", ROOT, ISSUER,
         options="-no_signature_verify"),
    case("responder-id/key-of-the-ca/resigned-by-responder", "rid-key-of-ca+resigned", ROOT, SignatureError),
    case("responder-id/names-no-eku-responder", "rid-names-noeku", ROOT, SignatureError, untrusted="noeku"),
    case("responder-id/names-no-eku-responder/no_signature_verify", "rid-names-noeku", ROOT,
         ResponderNotAuthorized, untrusted="noeku", options="-no_signature_verify"),
    # X509_find_by_subject takes the first certificate whose subject equals the responderID under
    # X509_NAME_cmp, which compares canonical encodings: "CN=delegated responder" is a match.
    case("find-signer-canonical-name/subject-case-variant-first-supplied", "del", ROOT, SignatureError,
         untrusted=("decoy", "resp", I)),
    case("responder-id/case-variant-subject-second", "del", ROOT, DELEGATED, untrusted=("resp", "decoy", I)),
    case("responder-id/case-variant-subject-supplied/signer-in-response", "del-int", ROOT, SignatureError,
         untrusted="decoy"),
    case("find-signer-canonical-name/subject-case-variant-first-in-response", "decoy-first-in-response",
         ROOT, SignatureError),
    case("responder-id/case-variant-subject-second/in-response", "decoy-second-in-response", ROOT, DELEGATED),
    # A re-keyed responder certificate (same subject, other key) among the supplied ones: found
    # first by name, not by key.
    case("responder-id/rekeyed-subject-supplied/by-name", "del-int", ROOT, SignatureError, untrusted="resp_rekey"),
    case("responder-id/rekeyed-subject-supplied/by-key", "del-key-int", ROOT, DELEGATED, untrusted="resp_rekey"),
    # --- CertIDs ------------------------------------------------------------------------------
    case("certid/other-issuer/delegated", "other-id", (ROOT, "oroot"), ResponderNotAuthorized),
    case("certid/other-issuer/delegated/explicit-root", "other-id", "root-trusted", EXPLICIT),
    case("certid/other-issuer/delegated/no_cert_checks", "other-id", ROOT, NOT_CHECKED, options="-no_cert_checks"),
    case("certid/other-issuer/ca", "other-id-ca", ROOT, ResponderNotAuthorized),
    case("certid/other-issuer/ca/no_explicit", "other-id-ca", ROOT, ResponderNotAuthorized,
         options="-no_explicit"),
    case("certid/name-of-one-ca-key-of-another", "chimera-id", (ROOT, "oroot"), ResponderNotAuthorized),
    case("certid/two-same-issuer/delegated", "multi", ROOT, DELEGATED),
    case("certid/two-same-issuer/ca", "multi-ca", ROOT, ISSUER),
    case("certid/mixed-issuers/ca", "mixed", ROOT, ResponderNotAuthorized),
    case("certid/mixed-issuers/ca/explicit-root", "mixed", "root-trusted", EXPLICIT),
    case("certid/mixed-issuers/ca/no_cert_checks", "mixed", ROOT, NOT_CHECKED, options="-no_cert_checks"),
    case("certid/mixed-issuers/delegated", "mixed-del", ROOT, ResponderNotAuthorized),
    case("certid/mixed-hashes/delegated", "mixed-hash", ROOT, DELEGATED),
    case("certid/mixed-hashes/ca", "mixed-hash-ca", ROOT, ISSUER),
    case("certid/mixed-hashes-and-issuers/delegated", "mixed-hash-issuers", ROOT, ResponderNotAuthorized),
    case("certid/mixed-hashes-and-issuers/ca", "mixed-hash-issuers-3", ROOT, ResponderNotAuthorized),
    case("certid/sha256/delegated", "sha256-id", ROOT, DELEGATED),
    case("certid/sha384/delegated", "sha384-id", ROOT, DELEGATED),
    case("certid/sha512/delegated", "sha512-id", ROOT, DELEGATED),
    case("certid/none/delegated", "empty", ROOT, CertIDMismatch),
    case("certid/none/ca", "empty-ca", ROOT, CertIDMismatch),
    case("certid/none/no_cert_checks", "empty", ROOT, NOT_CHECKED, options="-no_cert_checks"),
    case("certid/none/no_cert_verify", "empty", ROOT, NOT_CHECKED, options="-no_cert_verify"),
    case("certid/none/other-root", "empty", "oroot", ChainError, chain_error=NO_ISSUER),
    # --- signature algorithms -----------------------------------------------------------------
    case("alg/rsa-sha1", "rsa-sha1", ROOT, DELEGATED),
    case("alg/rsa-sha256", "del-int", ROOT, DELEGATED),
    case("alg/rsa-sha384", "rsa-sha384", ROOT, DELEGATED),
    case("alg/rsa-sha512", "rsa-sha512", ROOT, DELEGATED),
    case("alg/rsa-pss-padding-sha256", "rsa-pss", ROOT, DELEGATED),
    case("alg/rsa-pss-padding-sha384-digest-salt", "rsa-pss-sha384-digest-salt", ROOT, DELEGATED),
    case("alg/rsa-pss-key", "pss-key", ROOT, DELEGATED),
    case("alg/ecdsa-p256-sha256", "p256", ROOT, DELEGATED),
    case("alg/ecdsa-p256-sha256/by-key", "p256-key", ROOT, DELEGATED),
    case("alg/ecdsa-p256-sha512", "p256-sha512", ROOT, DELEGATED),
    case("alg/ecdsa-p384-sha384", "p384", ROOT, DELEGATED),
    case("alg/ecdsa-p384-sha1", "p384-sha1", ROOT, DELEGATED),
    case("alg/ecdsa-p521-sha512", "p521", ROOT, DELEGATED),
    case("alg/ecdsa-p384-ca-sha384", "ecca", ROOT, ISSUER),
    # --- chain defects ------------------------------------------------------------------------
    case("chain/unhandled-critical-extension", "critical", ROOT, ChainError,
         chain_error="unhandled critical extension"),
    case("chain/unhandled-critical-extension/no_cert_verify", "critical", ROOT, NOT_CHECKED,
         options="-no_cert_verify"),
    case("chain/leaf-as-ca", "leafca", ROOT, ChainError, chain_error="invalid CA certificate"),
    case("chain/path-length-exceeded", "pathlen", ROOT, ChainError, chain_error="path length constraint exceeded"),
    case("chain/keyusage-only-ca", "kuca", ROOT, ChainError, chain_error="invalid CA certificate"),
    case("chain/path-length/sub-ca-trusted/partial_chain", "pathlen", "pl0sub", DELEGATED,
         options="-partial_chain"),
    case("chain/ca-without-keycertsign", "nocertsign", ROOT, ChainError, chain_error="invalid CA certificate"),
    case("chain/ca-without-keycertsign/no_cert_verify", "nocertsign", ROOT, NOT_CHECKED,
         options="-no_cert_verify"),
    # A renewed CA certificate (same name and key): OpenSSL's issuer lookup prefers the one valid
    # at -attime, wherever it is in the list.
    case("chain/renewed-ca/valid-first", "del", ROOT, DELEGATED, untrusted=(I, "int_old")),
    case("issuer-choice-by-validity/renewed-ca-expired-first-supplied", "del", ROOT, DELEGATED,
         untrusted=("int_old", I)),
    case("chain/renewed-ca/expired-only", "del", ROOT, ChainError, untrusted="int_old",
         chain_error="certificate has expired"),
    case("issuer-choice-by-validity/renewed-ca-expired-first-trusted", "del", (ROOT, "int_old", I),
         DELEGATED),
    # Another CA certificate with the intermediate's name and another key: the responder's
    # authorityKeyIdentifier rules it out; without one, OpenSSL takes the first by name and the
    # responder's certificate signature then fails.
    case("chain/same-name-other-key/akid-decides", "del", ROOT, DELEGATED, untrusted=("int_fake", I)),
    case("chain/same-name-other-key/no-akid/real-first", "noakid", ROOT, DELEGATED, untrusted=(I, "int_fake")),
    case("issuer-choice-by-signature/same-name-other-key-no-akid-impostor-first", "noakid", ROOT, ChainError,
         untrusted=("int_fake", I), chain_error="certificate signature failure"),
    case("chain/same-name-other-key/no-akid/impostor-only", "noakid", ROOT, ChainError, untrusted="int_fake",
         chain_error="certificate signature failure"),
]


# --------------------------------------------------------------------------------------------
# The test


def files(matrix: Matrix, stems: Tuple[str, ...], kind: str) -> Optional[Path]:
    if not stems:
        return None
    return matrix.ossl.path(concat(matrix.ossl, f"{kind}-{'+'.join(stems)}.pem", *stems))


def openssl_class(verdict: OpenSSLVerdict, options: Tuple[str, ...]) -> Type[VerificationError]:
    """ocspkit's class for openssl's failure: one class for all the reasons openssl gave."""
    classes = set()
    for reason in verdict.reasons:
        assert reason in REASONS, f"an OpenSSL error reason this test does not map: {reason!r}\n{verdict.output}"
        classes.add(REASONS[reason])
    if not classes:
        # OCSP_basic_verify with OCSP_NOEXPLICIT returns 0 for an unauthorized signer without
        # pushing an error (the only silent failure; "missing ocspsigning usage" is pushed for a
        # CA-issued signer without the EKU).
        assert "-no_explicit" in options, f"openssl failed without a reason:\n{verdict.output}"
        return ResponderNotAuthorized
    assert len(classes) == 1, f"OpenSSL gave reasons of several kinds: {verdict.reasons}"
    return classes.pop()


@pytest.mark.parametrize("case", CASES)
def test_verdict_equals_openssl(matrix: Matrix, case: Case) -> None:
    trusted = files(matrix, case.trusted, "trusted")
    untrusted = files(matrix, case.untrusted, "untrusted")
    response = matrix.responses[case.response]
    theirs = openssl_verify(
        matrix.ossl.binary, matrix.ossl.dir, response, trusted, untrusted, case.vafile, case.options, case.attime
    )

    flags = VerifyFlags.NONE
    for option in case.options:
        flags |= FLAGS[option]
    if case.vafile:
        flags |= VerifyFlags.TRUSTOTHER
    ours: Union[ocspkit.Verdict, VerificationError]
    try:
        ours = ocspkit.verify_response(
            response.read_bytes(),
            # TRUSTED CERTIFICATE blocks (x509 -addtrust) keep their trust settings.
            trusted=ocspkit.load_trusted_certificates(trusted) if trusted else (),
            untrusted=untrusted.read_bytes() if untrusted else (),
            flags=flags,
            now=case.attime,
        )
    except VerificationError as exc:
        ours = exc

    # 1. ocspkit's outcome is openssl's.
    where = f"openssl {theirs.command}\n{theirs.output}"
    if theirs.ok:
        assert not isinstance(ours, VerificationError), (
            f"DISAGREEMENT: openssl verified, ocspkit raised {type(ours).__name__}: {ours}\n{where}"
        )
    else:
        expected = openssl_class(theirs, case.options)
        assert isinstance(ours, VerificationError), (
            f"DISAGREEMENT: openssl failed ({expected.__name__}), ocspkit verified:\n{ours}\n{where}"
        )
        assert isinstance(ours, expected), (
            f"DISAGREEMENT: openssl failed with {expected.__name__}, ocspkit raised {type(ours).__name__}: "
            f"{ours}\n{where}"
        )
        if expected is ChainError:
            assert isinstance(ours, ChainError)
            assert ours.openssl_error == theirs.verify_error, (
                f"DISAGREEMENT: chain error {ours.openssl_error!r}, openssl {theirs.verify_error!r}: {ours}\n{where}"
            )

    # 2. The case tests what it says: openssl answers as RFC 6960 / OCSP_basic_verify predict,
    # and ocspkit's verdict names the authorization.
    if isinstance(case.expect, Authorization):
        assert theirs.ok, f"the case expects {case.expect.name}, openssl failed:\n{where}"
        assert isinstance(ours, ocspkit.Verdict)
        assert ours.authorization is case.expect, f"{ours.authorization} != {case.expect}\n{ours}"
    else:
        assert not theirs.ok, f"the case expects {case.expect.__name__}, openssl verified:\n{where}"
        assert openssl_class(theirs, case.options) is case.expect, where
        if case.chain_error is not None:
            assert theirs.verify_error == case.chain_error, where


def test_the_matrix_covers_every_flag_and_axis() -> None:
    """The issue's list, by construction: every flag, VAfile, explicit trust, both responder ID
    forms, every failure class and every authorization appear in some case."""
    cases = [p.values[0] for p in CASES]
    options = {o for c in cases for o in c.options}
    assert options == set(FLAGS)
    assert any(c.vafile for c in cases)
    assert {c.expect for c in cases} >= {*Authorization} - {Authorization.CHAIN}
    assert {c.expect for c in cases} >= {*REASONS.values()}
    assert any("trusted" in s for c in cases for s in c.trusted)
    assert any("key" in c.response for c in cases)
    assert len({c.id for c in cases}) == len(cases)
    assert 80 <= len(cases) <= 200
