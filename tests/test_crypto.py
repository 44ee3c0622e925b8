"""Tests for ocspkit.crypto and ocspkit._oscrypto_compat, cross-checked against openssl and pyca."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pathlib
import subprocess
import sys
from typing import Any, ContextManager, Dict, List, Optional, Tuple

import cryptography
import pytest
from _openssl_cli import check_bytes as openssl  # openssl ARGS, which must exit 0: its stdout
from asn1crypto import algos, keys, x509
from cryptography import x509 as pyca_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.utils import CryptographyDeprecationWarning

import ocspkit
from ocspkit import _oscrypto_compat, crypto
from ocspkit.errors import BackendError, OCSPTypeError, ParseError, SignatureError, UnsupportedError

DATA = b"the bytes of a tbsResponseData\x00\x01\x02" * 7
PROJECT_ROOT = pathlib.Path(ocspkit.__file__).resolve().parent.parent


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


# cryptography 51 deprecates DSA: loading a DSA key warns from that release on. The warning is
# expected there, so it is asserted (pytest.warns fails if it stops coming) rather than silenced;
# with an older cryptography, no warning may come either (-W error turns one into a failure).
PYCA_DEPRECATES_DSA = int(cryptography.__version__.split(".")[0]) >= 51


def expect_pyca_deprecation(key_name: str) -> ContextManager[Any]:
    """The warnings loading a ``key_name`` key with pyca must give: DSA's deprecation, or none."""
    if key_name == "dsa" and PYCA_DEPRECATES_DSA:
        return pytest.warns(CryptographyDeprecationWarning, match="DSA is deprecated")
    return contextlib.nullcontext()


class KeyFiles:
    """A private key generated with openssl, with its public key and a self-signed cert."""

    def __init__(self, directory: pathlib.Path, name: str, genpkey_args: List[str]) -> None:
        self.name = name
        self.private = directory / f"{name}.pem"
        self.public = directory / f"{name}.pub.pem"
        openssl("genpkey", *genpkey_args, "-out", self.private)
        openssl("pkey", "-in", self.private, "-pubout", "-out", self.public)
        self.public_der = openssl("pkey", "-in", self.private, "-pubout", "-outform", "DER")
        # PKCS#8 DER (openssl pkey -outform DER writes the traditional format for some types)
        self.private_der = openssl("pkcs8", "-topk8", "-nocrypt", "-in", self.private, "-outform", "DER")

    def pyca_private(self) -> Any:
        with expect_pyca_deprecation(self.name):
            return serialization.load_pem_private_key(self.private.read_bytes(), password=None)

    def pyca_public(self) -> Any:
        with expect_pyca_deprecation(self.name):
            return serialization.load_pem_public_key(self.public.read_bytes())


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return tmp_path_factory.mktemp("crypto")


@pytest.fixture(scope="module")
def keyfiles(workdir: pathlib.Path) -> Dict[str, KeyFiles]:
    openssl(
        "genpkey",
        "-genparam",
        "-algorithm",
        "DSA",
        "-pkeyopt",
        "dsa_paramgen_bits:2048",
        "-out",
        workdir / "dsaparam.pem",
    )
    specs = {
        "rsa": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        "rsa2": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        "p256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        "p384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        "p521": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
        "dsa": ["-paramfile", str(workdir / "dsaparam.pem")],
        "ed25519": ["-algorithm", "ED25519"],
        "ed448": ["-algorithm", "ED448"],
    }
    return {name: KeyFiles(workdir, name, args) for name, args in specs.items()}


@pytest.fixture(scope="module")
def data_file(workdir: pathlib.Path) -> pathlib.Path:
    path = workdir / "data.bin"
    path.write_bytes(DATA)
    return path


def make_cert(workdir: pathlib.Path, key: KeyFiles, digest: Optional[str], pss: bool = False, cn: str = "x") -> bytes:
    out = workdir / f"{key.name}-{digest}-{pss}-{cn}.der"
    args: List[Any] = ["req", "-x509", "-new", "-key", key.private, "-subj", f"/CN={cn}"]
    args += ["-days", "1", "-outform", "DER", "-out", out]
    if digest:
        args.append(f"-{digest}")
    if pss:
        args += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest"]
    openssl(*args)
    return out.read_bytes()


def pem_cert(der: bytes) -> bytes:
    from asn1crypto import pem

    return bytes(pem.armor("CERTIFICATE", der))


# --------------------------------------------------------------------------------------------
# Interoperability: every supported algorithm, both directions, openssl and pyca

CASES: List[Tuple[str, str, bool]] = [
    ("rsa", "sha1", False),
    ("rsa", "sha224", False),
    ("rsa", "sha256", False),
    ("rsa", "sha384", False),
    ("rsa", "sha512", False),
    ("rsa", "sha256", True),
    ("rsa", "sha384", True),
    ("rsa", "sha512", True),
    ("p256", "sha256", False),
    ("p384", "sha384", False),
    ("p521", "sha512", False),
    ("p256", "sha1", False),
    ("dsa", "sha256", False),
    ("dsa", "sha1", False),
]
CASE_IDS = [f"{k}-{h}{'-pss' if p else ''}" for k, h, p in CASES]
PSS_SIGOPTS = ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest"]
PYCA_HASHES = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


def pyca_sign(key: Any, data: bytes, hash_name: str, pss: bool) -> bytes:
    h = PYCA_HASHES[hash_name]()
    if isinstance(key, rsa.RSAPrivateKey):
        pad: Any = (
            padding.PSS(mgf=padding.MGF1(h), salt_length=padding.PSS.DIGEST_LENGTH) if pss else padding.PKCS1v15()
        )
        return bytes(key.sign(data, pad, h))
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return bytes(key.sign(data, ec.ECDSA(h)))
    # DSA: not named through pyca's dsa module, whose attributes warn from cryptography 51 on.
    return bytes(key.sign(data, h))


def pyca_verify(key: Any, signature: bytes, data: bytes, hash_name: str, pss: bool) -> None:
    h = PYCA_HASHES[hash_name]()
    if isinstance(key, rsa.RSAPublicKey):
        pad: Any = (
            padding.PSS(mgf=padding.MGF1(h), salt_length=padding.PSS.DIGEST_LENGTH) if pss else padding.PKCS1v15()
        )
        key.verify(signature, data, pad, h)
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, data, ec.ECDSA(h))
    else:
        key.verify(signature, data, h)


@pytest.mark.parametrize(("key_name", "hash_name", "pss"), CASES, ids=CASE_IDS)
def test_crypto_signature_verifies_with_openssl(
    keyfiles: Dict[str, KeyFiles],
    workdir: pathlib.Path,
    data_file: pathlib.Path,
    key_name: str,
    hash_name: str,
    pss: bool,
) -> None:
    kf = keyfiles[key_name]
    key = crypto.load_private_key(kf.private)
    algorithm = crypto.signature_algorithm(key, hash_name, pss=pss)
    signature = crypto.sign(key, DATA, algorithm)
    sig_file = workdir / f"crypto-{key_name}-{hash_name}-{pss}.sig"
    sig_file.write_bytes(signature)
    args: List[Any] = ["dgst", f"-{hash_name}", "-verify", kf.public, "-signature", sig_file]
    openssl(*args, *(PSS_SIGOPTS if pss else []), data_file)
    # and with our own verifier, from the public key file
    crypto.verify_signature(kf.public, signature, DATA, algorithm)


@pytest.mark.parametrize(("key_name", "hash_name", "pss"), CASES, ids=CASE_IDS)
def test_openssl_signature_verifies_with_crypto(
    keyfiles: Dict[str, KeyFiles],
    workdir: pathlib.Path,
    data_file: pathlib.Path,
    key_name: str,
    hash_name: str,
    pss: bool,
) -> None:
    kf = keyfiles[key_name]
    sig_file = workdir / f"openssl-{key_name}-{hash_name}-{pss}.sig"
    args: List[Any] = ["dgst", f"-{hash_name}", "-sign", kf.private, "-out", sig_file]
    openssl(*args, *(PSS_SIGOPTS if pss else []), data_file)
    signature = sig_file.read_bytes()
    algorithm = crypto.signature_algorithm(crypto.load_public_key(kf.public), hash_name, pss=pss)
    crypto.verify_signature(kf.public, signature, DATA, algorithm)
    with pytest.raises(SignatureError):
        crypto.verify_signature(kf.public, signature, DATA + b"!", algorithm)


@pytest.mark.parametrize(("key_name", "hash_name", "pss"), CASES, ids=CASE_IDS)
def test_pyca_cross_check_both_directions(
    keyfiles: Dict[str, KeyFiles], key_name: str, hash_name: str, pss: bool
) -> None:
    kf = keyfiles[key_name]
    pyca_key = kf.pyca_private()
    key = crypto.load_private_key(pyca_key)
    algorithm = crypto.signature_algorithm(key, hash_name, pss=pss)

    ours = crypto.sign(key, DATA, algorithm)
    pyca_verify(pyca_key.public_key(), ours, DATA, hash_name, pss)

    theirs = pyca_sign(pyca_key, DATA, hash_name, pss)
    crypto.verify_signature(pyca_key.public_key(), theirs, DATA, algorithm)


def test_pss_signature_uses_hash_length_salt(keyfiles: Dict[str, KeyFiles]) -> None:
    # oscrypto alone would use the maximum salt length on OpenSSL 3; pyca with an explicit
    # salt length of 32 (and not 222) accepts only a hash-length salt.
    pyca_public = keyfiles["rsa"].pyca_public()
    signature = crypto.sign(
        keyfiles["rsa"].private,
        DATA,
        crypto.signature_algorithm(crypto.load_private_key(keyfiles["rsa"].private), "sha256", pss=True),
    )
    h = hashes.SHA256()
    pyca_public.verify(signature, DATA, padding.PSS(mgf=padding.MGF1(h), salt_length=32), h)


def test_pss_verification_rejects_other_salt_lengths(keyfiles: Dict[str, KeyFiles]) -> None:
    pyca_key = keyfiles["rsa"].pyca_private()
    h = hashes.SHA256()
    max_salt = pyca_key.sign(DATA, padding.PSS(mgf=padding.MGF1(h), salt_length=64), h)
    algorithm = crypto.signature_algorithm(crypto.load_private_key(pyca_key), "sha256", pss=True)
    with pytest.raises(SignatureError):
        crypto.verify_signature(pyca_key.public_key(), max_salt, DATA, algorithm)


def test_pss_absent_parameters_mean_sha1_defaults(
    keyfiles: Dict[str, KeyFiles], workdir: pathlib.Path, data_file: pathlib.Path
) -> None:
    kf = keyfiles["rsa"]
    sig_file = workdir / "pss-sha1.sig"
    openssl("dgst", "-sha1", "-sign", kf.private, "-out", sig_file, *PSS_SIGOPTS, data_file)
    bare = algos.SignedDigestAlgorithm({"algorithm": "rsassa_pss"})
    crypto.verify_signature(kf.public, sig_file.read_bytes(), DATA, bare)


def test_md5_rsa_verify_only(keyfiles: Dict[str, KeyFiles], workdir: pathlib.Path, data_file: pathlib.Path) -> None:
    kf = keyfiles["rsa"]
    sig_file = workdir / "md5.sig"
    openssl("dgst", "-md5", "-sign", kf.private, "-out", sig_file, data_file)
    md5_rsa = algos.SignedDigestAlgorithm({"algorithm": "md5_rsa"})
    crypto.verify_signature(kf.public, sig_file.read_bytes(), DATA, md5_rsa)
    with pytest.raises(UnsupportedError, match="MD5"):
        crypto.sign(kf.private, DATA, md5_rsa)


# --------------------------------------------------------------------------------------------
# Failures

NEGATIVE = [
    ("rsa", "sha256", False),
    ("rsa", "sha256", True),
    ("p256", "sha256", False),
    ("p384", "sha384", False),
    ("dsa", "sha256", False),
]


@pytest.mark.parametrize(("key_name", "hash_name", "pss"), NEGATIVE)
def test_bad_signatures_raise_signature_error(
    keyfiles: Dict[str, KeyFiles], key_name: str, hash_name: str, pss: bool
) -> None:
    kf = keyfiles[key_name]
    key = crypto.load_private_key(kf.private)
    algorithm = crypto.signature_algorithm(key, hash_name, pss=pss)
    signature = crypto.sign(key, DATA, algorithm)
    other_signature = crypto.sign(key, DATA + b"other", algorithm)

    flipped_data = bytearray(DATA)
    flipped_data[10] ^= 0x01
    flipped_sig = bytearray(signature)
    flipped_sig[len(flipped_sig) // 2] ^= 0x40
    for bad_sig, data in [
        (other_signature, DATA),
        (signature, bytes(flipped_data)),
        (bytes(flipped_sig), DATA),
        (b"", DATA),
        (b"\x30\x03\x02\x01", DATA),
        (b"garbage" * 3, DATA),
        (os.urandom(len(signature)), DATA),
        (signature[:-1], DATA),
        (signature + b"\x00", DATA),
    ]:
        with pytest.raises(SignatureError):
            crypto.verify_signature(kf.public, bad_sig, data, algorithm)

    wrong_key = {"rsa": "rsa2", "p256": "p384", "p384": "p256", "dsa": "rsa"}[key_name]
    with pytest.raises(SignatureError):
        crypto.verify_signature(keyfiles[wrong_key].public, signature, DATA, algorithm)


def test_key_type_mismatch(keyfiles: Dict[str, KeyFiles]) -> None:
    rsa_key = crypto.load_private_key(keyfiles["rsa"].private)
    ec_key = crypto.load_private_key(keyfiles["p256"].private)
    ecdsa = crypto.signature_algorithm(ec_key, "sha256")
    with pytest.raises(ValueError, match="ec key"):
        crypto.sign(rsa_key, DATA, ecdsa)
    signature = crypto.sign(ec_key, DATA, ecdsa)
    with pytest.raises(SignatureError):
        crypto.verify_signature(rsa_key.public_key, signature, DATA, ecdsa)
    with pytest.raises(ValueError, match="PSS"):
        crypto.signature_algorithm(ec_key, "sha256", pss=True)
    with pytest.raises(UnsupportedError, match="sha512"):
        crypto.signature_algorithm(crypto.load_private_key(keyfiles["dsa"].private), "sha512")
    with pytest.raises(UnsupportedError, match="md4"):
        crypto.signature_algorithm(rsa_key, "md4")


@pytest.mark.parametrize(("key_name", "label"), [("ed25519", "Ed25519"), ("ed448", "Ed448")])
def test_eddsa_is_unsupported_and_says_so(
    keyfiles: Dict[str, KeyFiles],
    workdir: pathlib.Path,
    data_file: pathlib.Path,
    key_name: str,
    label: str,
) -> None:
    kf = keyfiles[key_name]
    key = crypto.load_private_key(kf.private)
    assert key.algorithm == key_name
    assert key.curve is None
    # the public half is derived by libcrypto and matches openssl's
    assert key.public_key_info.dump() == kf.public_der
    algorithm = crypto.signature_algorithm(key)
    assert algorithm["algorithm"].native == key_name
    with pytest.raises(UnsupportedError, match=label):
        crypto.sign(key, DATA)
    with pytest.raises(UnsupportedError, match=label):
        crypto.sign(kf.private, DATA, algorithm)

    sig_file = workdir / f"{key_name}.sig"
    openssl("pkeyutl", "-sign", "-inkey", kf.private, "-rawin", "-in", data_file, "-out", sig_file)
    with pytest.raises(UnsupportedError, match=label):
        crypto.verify_signature(kf.public, sig_file.read_bytes(), DATA, algorithm)
    # an Ed25519 key offered for an RSA signature: still "unsupported", naming the key type
    rsa_alg = crypto.signature_algorithm(crypto.load_private_key(keyfiles["rsa"].private))
    with pytest.raises(UnsupportedError, match=label):
        crypto.verify_signature(kf.public, b"\x00" * 64, DATA, rsa_alg)
    with pytest.raises(UnsupportedError, match=label):
        crypto.generate_private_key(key_name)


def test_eddsa_pyca_keys_are_unsupported() -> None:
    for private in (ed25519.Ed25519PrivateKey.generate(), ed448.Ed448PrivateKey.generate()):
        label = "Ed25519" if isinstance(private, ed25519.Ed25519PrivateKey) else "Ed448"
        key = crypto.load_private_key(private)
        assert key.public_key_info.dump() == private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        with pytest.raises(UnsupportedError, match=label):
            crypto.sign(private, DATA)
        with pytest.raises(UnsupportedError, match=label):
            crypto.verify_signature(private.public_key(), private.sign(DATA), DATA, crypto.signature_algorithm(key))


def test_unknown_signature_oid(keyfiles: Dict[str, KeyFiles]) -> None:
    unknown = algos.SignedDigestAlgorithm({"algorithm": "1.2.3.4.5"})
    with pytest.raises(UnsupportedError, match=r"1\.2\.3\.4\.5"):
        crypto.verify_signature(keyfiles["rsa"].public, b"\x00" * 256, DATA, unknown)
    with pytest.raises(UnsupportedError, match=r"1\.2\.3\.4\.5"):
        crypto.sign(keyfiles["rsa"].private, DATA, unknown)
    sha3 = algos.SignedDigestAlgorithm({"algorithm": "sha3_256_ecdsa"})
    with pytest.raises(UnsupportedError, match=r"2\.16\.840\.1\.101\.3\.4\.3\.10"):
        crypto.verify_signature(keyfiles["p256"].public, b"\x00" * 64, DATA, sha3)


def pss_algorithm(
    hash_name: str = "sha256",
    mgf_hash: Optional[str] = None,
    salt: Optional[int] = None,
    trailer: Any = None,
) -> Any:
    params: Dict[str, Any] = {
        "hash_algorithm": {"algorithm": hash_name},
        "mask_gen_algorithm": {
            "algorithm": "mgf1",
            "parameters": {"algorithm": mgf_hash or hash_name},
        },
        "salt_length": hashlib.new(hash_name).digest_size if salt is None else salt,
    }
    if trailer is not None:
        params["trailer_field"] = trailer
    return algos.SignedDigestAlgorithm({"algorithm": "rsassa_pss", "parameters": algos.RSASSAPSSParams(params)})


@pytest.mark.parametrize(
    ("algorithm", "message"),
    [
        (pss_algorithm(salt=5000), r"salt length 5000"),
        (pss_algorithm(mgf_hash="sha1"), r"MGF1 over sha1 and the message hash sha256"),
        (pss_algorithm(trailer=2), r"trailer field 2"),
        (pss_algorithm(hash_name="md5"), r"hash algorithm md5"),
    ],
    ids=["salt5000", "mgf-sha1", "trailer2", "md5"],
)
def test_unsupported_pss_parameters(keyfiles: Dict[str, KeyFiles], algorithm: Any, message: str) -> None:
    signature = crypto.sign(
        keyfiles["rsa"].private,
        DATA,
        crypto.signature_algorithm(crypto.load_private_key(keyfiles["rsa"].private), "sha256", pss=True),
    )
    with pytest.raises(UnsupportedError, match=message):
        crypto.verify_signature(keyfiles["rsa"].public, signature, DATA, algorithm)


@pytest.mark.parametrize("salt", [0, 20, 32, 64, 222])
def test_pss_verifies_with_the_declared_salt_length(keyfiles: Dict[str, KeyFiles], salt: int) -> None:
    """RFC 4055 3.1: the parameters declare the salt length; pyca signs with exactly that many
    octets (OpenSSL 3.0's default for PSS is the maximum, 222 for RSA-2048 with SHA-256)."""
    pyca_key = serialization.load_pem_private_key(keyfiles["rsa"].private.read_bytes(), None)
    assert isinstance(pyca_key, rsa.RSAPrivateKey)
    h = hashes.SHA256()
    signature = pyca_key.sign(DATA, padding.PSS(mgf=padding.MGF1(h), salt_length=salt), h)
    crypto.verify_signature(keyfiles["rsa"].public, signature, DATA, pss_algorithm(salt=salt))
    other = 20 if salt != 20 else 32
    with pytest.raises(SignatureError):
        crypto.verify_signature(keyfiles["rsa"].public, signature, DATA, pss_algorithm(salt=other))
    if salt == 32:
        crypto.verify_signature(
            keyfiles["rsa"].public, crypto.sign(keyfiles["rsa"].private, DATA, pss_algorithm()), DATA, pss_algorithm()
        )
    else:
        with pytest.raises(UnsupportedError, match="salt as long as the hash"):
            crypto.sign(keyfiles["rsa"].private, DATA, pss_algorithm(salt=salt))


def test_engine_errors_never_leak(keyfiles: Dict[str, KeyFiles]) -> None:
    # a PSS signature checked as PKCS#1 v1.5 and an RSA-PSS key object from openssl
    key = crypto.load_private_key(keyfiles["rsa"].private)
    pss = crypto.signature_algorithm(key, "sha256", pss=True)
    pkcs1 = crypto.signature_algorithm(key, "sha256")
    with pytest.raises(SignatureError):
        crypto.verify_signature(key, crypto.sign(key, DATA, pss), DATA, pkcs1)
    with pytest.raises(SignatureError):
        crypto.verify_signature(key, b"\xff" * 300, DATA, pkcs1)


# --------------------------------------------------------------------------------------------
# AlgorithmIdentifier encodings, compared with what openssl writes into certificates


@pytest.mark.parametrize(
    ("key_name", "hash_name", "pss"),
    [
        ("rsa", "sha256", False),
        ("rsa", "sha384", False),
        ("rsa", "sha512", False),
        ("rsa", "sha1", False),
        ("rsa", "sha256", True),
        ("rsa", "sha384", True),
        ("rsa", "sha512", True),
        ("p256", "sha256", False),
        ("p384", "sha384", False),
        ("p521", "sha512", False),
        ("dsa", "sha256", False),
        ("ed25519", None, False),
        ("ed448", None, False),
    ],
)
def test_signature_algorithm_matches_openssl(
    keyfiles: Dict[str, KeyFiles],
    workdir: pathlib.Path,
    key_name: str,
    hash_name: Optional[str],
    pss: bool,
) -> None:
    kf = keyfiles[key_name]
    cert = x509.Certificate.load(make_cert(workdir, kf, hash_name, pss))
    expected = cert["signature_algorithm"].dump()
    key = crypto.load_private_key(kf.private)
    assert crypto.signature_algorithm(key, hash_name or "sha256", pss=pss).dump() == expected
    public = crypto.load_public_key(cert)
    assert crypto.signature_algorithm(public, hash_name or "sha256", pss=pss).dump() == expected
    if key_name not in ("ed25519", "ed448"):
        # openssl's own certificate signature verifies with the parsed AlgorithmIdentifier
        crypto.verify_signature(
            cert,
            cert["signature_value"].native,
            cert["tbs_certificate"].dump(),
            cert["signature_algorithm"],
        )


def test_default_hash_is_sha256(keyfiles: Dict[str, KeyFiles]) -> None:
    key = crypto.load_private_key(keyfiles["rsa"].private)
    assert crypto.signature_algorithm(key)["algorithm"].native == "sha256_rsa"
    signature = crypto.sign(key, DATA)
    algorithm = crypto.signature_algorithm(key)
    crypto.verify_signature(keyfiles["rsa"].public, signature, DATA, algorithm)
    ec_key = crypto.load_private_key(keyfiles["p384"].private)
    assert crypto.sign(ec_key, DATA, hash_algorithm="sha384")
    assert crypto.signature_algorithm(ec_key, "SHA-384")["algorithm"].native == "sha384_ecdsa"


# --------------------------------------------------------------------------------------------
# Key and certificate loading


def test_private_key_input_forms(keyfiles: Dict[str, KeyFiles], workdir: pathlib.Path) -> None:
    import oscrypto.asymmetric

    for name in ("rsa", "p256", "p384", "dsa"):
        kf = keyfiles[name]
        traditional = openssl("pkey", "-in", kf.private, "-traditional")
        expected_header = {"rsa": b"RSA", "dsa": b"DSA"}.get(name, b"EC")
        assert traditional.startswith(b"-----BEGIN " + expected_header + b" PRIVATE KEY-----")
        encrypted_traditional = openssl("pkey", "-in", kf.private, "-traditional", "-aes256", "-passout", "pass:xyz")
        assert b"Proc-Type: 4,ENCRYPTED" in encrypted_traditional
        encrypted_pkcs8 = openssl("pkey", "-in", kf.private, "-aes256", "-passout", "pass:xyz")
        assert encrypted_pkcs8.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
        encrypted_der = openssl("pkcs8", "-topk8", "-in", kf.private, "-passout", "pass:xyz", "-outform", "DER")
        # A PEM bundle with a certificate beside the key, as `openssl ocsp -rsigner both.pem` reads.
        cert = pem_cert(make_cert(workdir, kf, "sha256", cn=f"bundle-{name}"))

        sources: List[Tuple[Any, Any]] = [
            (kf.private.read_bytes(), None),
            (kf.private_der, None),
            (openssl("pkey", "-in", kf.private, "-traditional", "-outform", "DER"), None),
            (str(kf.private), None),
            (kf.private, None),
            (kf.private.read_text(), None),
            (traditional, None),
            (encrypted_traditional, "xyz"),
            (encrypted_pkcs8, "xyz"),
            (encrypted_pkcs8, b"xyz"),
            (encrypted_der, "xyz"),
            (cert + kf.private.read_bytes(), None),
            (kf.private.read_bytes() + cert, None),
            (cert + encrypted_traditional, "xyz"),
            (keys.PrivateKeyInfo.load(kf.private_der), None),
            (oscrypto.asymmetric.load_private_key(kf.private_der), None),
            (kf.pyca_private(), None),
        ]
        for source, password in sources:
            key = crypto.load_private_key(source, password)
            assert key.algorithm == {"p256": "ec", "p384": "ec"}.get(name, name)
            assert key.public_key_info.dump() == kf.public_der, (name, type(source))
            assert crypto.load_private_key(key) is key
        key = crypto.load_private_key(kf.private)
        if name == "p256":
            assert (key.curve, key.bit_size) == ("secp256r1", 256)
        elif name == "p384":
            assert (key.curve, key.bit_size) == ("secp384r1", 384)
        else:
            assert (key.curve, key.bit_size) == (None, 2048)
        assert isinstance(key.asn1, keys.PrivateKeyInfo)
        assert isinstance(key.public_key_info, keys.PublicKeyInfo)

    # a generic genpkey -aes256 file with a password
    enc_file = workdir / "enc.pem"
    openssl(
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-aes256",
        "-pass",
        "pass:xyz",
        "-out",
        enc_file,
    )
    assert crypto.load_private_key(enc_file, "xyz").algorithm == "ec"


def test_private_key_errors(keyfiles: Dict[str, KeyFiles], workdir: pathlib.Path) -> None:
    enc = openssl("pkey", "-in", keyfiles["rsa"].private, "-aes256", "-passout", "pass:xyz")
    with pytest.raises(ParseError, match="wrong password"):
        crypto.load_private_key(enc, "not-xyz")
    with pytest.raises(ParseError, match="password is required"):
        crypto.load_private_key(enc)
    with pytest.raises(ParseError, match=r"cannot read key file .*missing\.pem"):
        crypto.load_private_key(workdir / "missing.pem")
    with pytest.raises(ParseError, match="cannot read key file"):
        crypto.load_private_key(str(workdir))
    for garbage in (
        b"garbage",
        b"\x30\x03\x02\x01\x00",
        b"",
        keyfiles["rsa"].public_der,
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    ):
        with pytest.raises(ParseError):
            crypto.load_private_key(garbage)
    garbage_file = workdir / "garbage.pem"
    garbage_file.write_bytes(b"not a key")
    with pytest.raises(ParseError, match=r"garbage\.pem"):
        crypto.load_private_key(garbage_file)
    with pytest.raises(OCSPTypeError):
        crypto.load_private_key(12345)
    with pytest.raises(TypeError):
        crypto.load_private_key(keyfiles["rsa"].private, password=1)
    x25519 = openssl("genpkey", "-algorithm", "X25519")
    with pytest.raises(UnsupportedError, match="x25519"):
        crypto.load_private_key(x25519)


def test_wrappers_are_immutable(keyfiles: Dict[str, KeyFiles]) -> None:
    key = crypto.load_private_key(keyfiles["rsa"].private)
    with pytest.raises(AttributeError):
        key.algorithm = "ec"  # type: ignore[misc]
    public = key.public_key
    with pytest.raises(AttributeError):
        public.bit_size = 1  # type: ignore[misc]
    assert public == crypto.load_public_key(keyfiles["rsa"].public)
    assert hash(public) == hash(crypto.load_public_key(keyfiles["rsa"].public_der))
    assert "BEGIN" not in repr(key) and "rsa" in repr(key)


def test_public_key_input_forms(keyfiles: Dict[str, KeyFiles], workdir: pathlib.Path) -> None:
    import oscrypto.asymmetric

    for name in ("rsa", "p256", "p521", "dsa", "ed25519"):
        kf = keyfiles[name]
        cert_der = make_cert(workdir, kf, None if name.startswith("ed") else "sha256")
        pyca_cert = pyca_x509.load_der_x509_certificate(cert_der)
        sources: List[Any] = [
            kf.public.read_bytes(),
            kf.public_der,
            str(kf.public),
            kf.public,
            kf.public.read_text(),
            keys.PublicKeyInfo.load(kf.public_der),
            x509.Certificate.load(cert_der),
            cert_der,
            pem_cert(cert_der),
            kf.pyca_public(),
            kf.pyca_private(),
            pyca_cert,
            crypto.load_private_key(kf.private),
            crypto.load_private_key(kf.private).public_key,
        ]
        if not name.startswith("ed"):
            sources += [
                oscrypto.asymmetric.load_public_key(kf.public_der),
                oscrypto.asymmetric.load_private_key(kf.private_der),
                oscrypto.asymmetric.load_certificate(cert_der),
            ]
        for source in sources:
            public = crypto.load_public_key(source)
            assert public.asn1.dump() == kf.public_der, (name, type(source))
    rsa_pkcs1 = openssl("rsa", "-in", keyfiles["rsa"].private, "-RSAPublicKey_out")
    assert rsa_pkcs1.startswith(b"-----BEGIN RSA PUBLIC KEY-----")
    assert crypto.load_public_key(rsa_pkcs1).asn1.dump() == keyfiles["rsa"].public_der

    bad_pem = b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
    for garbage in (b"garbage", b"\x30\x00", bad_pem):
        with pytest.raises(ParseError):
            crypto.load_public_key(garbage)
    with pytest.raises(ParseError, match="cannot read public key file"):
        crypto.load_public_key(workdir / "missing.pub")
    with pytest.raises(TypeError):
        crypto.load_public_key(3.5)


def test_certificate_loading(keyfiles: Dict[str, KeyFiles], workdir: pathlib.Path) -> None:
    import oscrypto.asymmetric

    ders = [make_cert(workdir, keyfiles[n], "sha256", cn=n) for n in ("rsa", "p256", "dsa")]
    der = ders[0]
    path = workdir / "one.pem"
    path.write_bytes(pem_cert(der))
    der_path = workdir / "one.der"
    der_path.write_bytes(der)
    for source in (
        der,
        pem_cert(der),
        pem_cert(der).decode(),
        path,
        str(der_path),
        x509.Certificate.load(der),
        pyca_x509.load_der_x509_certificate(der),
        oscrypto.asymmetric.load_certificate(der),
    ):
        cert = crypto.load_certificate(source)
        assert isinstance(cert, x509.Certificate)
        assert cert.dump() == der, type(source)

    bundle = pem_cert(ders[0]) + keyfiles["rsa"].private.read_bytes() + pem_cert(ders[1])
    bundle += b"some text between blocks\n" + pem_cert(ders[2])
    bundle_path = workdir / "bundle.pem"
    bundle_path.write_bytes(bundle)
    for source in (bundle, bundle_path):
        assert [c.dump() for c in crypto.load_certificates(source)] == ders
    assert crypto.load_certificate(bundle).dump() == ders[0]
    mixed = [ders[0], pyca_x509.load_der_x509_certificate(ders[1]), (bundle_path,)]
    assert [c.dump() for c in crypto.load_certificates(mixed)] == ders[:2] + ders
    assert [c.dump() for c in crypto.load_certificates(der)] == [der]

    for bad in (b"garbage", der[:-10], keyfiles["rsa"].private.read_bytes(), b"\x30\x00"):
        with pytest.raises(ParseError):
            crypto.load_certificate(bad)
    with pytest.raises(ParseError):
        crypto.load_certificates(keyfiles["rsa"].private.read_bytes())
    with pytest.raises(ParseError, match="cannot read certificate file"):
        crypto.load_certificate(workdir / "missing.pem")
    with pytest.raises(TypeError):
        crypto.load_certificate(42)
    with pytest.raises(TypeError):
        crypto.load_certificates(42)


# --------------------------------------------------------------------------------------------
# Hashes, key hash, random bytes, key generation


def test_hash_digest() -> None:
    for name in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512"):
        assert crypto.hash_digest(name, DATA) == hashlib.new(name, DATA).digest()
    assert crypto.hash_digest("SHA-256", DATA) == hashlib.sha256(DATA).digest()
    with pytest.raises(UnsupportedError, match="sha3_256"):
        crypto.hash_digest("sha3_256", DATA)
    with pytest.raises(UnsupportedError, match="whirlpool"):
        crypto.hash_digest("whirlpool", DATA)


@pytest.mark.parametrize("key_name", ["rsa", "p256", "p521", "dsa", "ed25519"])
def test_key_hash_matches_independent_computations(
    keyfiles: Dict[str, KeyFiles], workdir: pathlib.Path, key_name: str
) -> None:
    kf = keyfiles[key_name]
    info = keys.PublicKeyInfo.load(kf.public_der)
    ours = crypto.key_hash(info)
    assert len(ours) == 20
    pyca_digest = pyca_x509.SubjectKeyIdentifier.from_public_key(kf.pyca_public()).digest
    assert ours == pyca_digest
    cert_der = make_cert(workdir, kf, None if key_name == "ed25519" else "sha256", cn="kh")
    cert_pem = workdir / f"kh-{key_name}.pem"
    cert_pem.write_bytes(pem_cert(cert_der))
    ocspid = openssl("x509", "-in", cert_pem, "-noout", "-ocspid").decode()
    line = next(ln for ln in ocspid.splitlines() if "Public key OCSP hash" in ln)
    assert ours.hex().upper() == line.split(":")[1].strip()
    # other accepted inputs
    assert crypto.key_hash(x509.Certificate.load(cert_der)) == ours
    assert crypto.key_hash(kf.public) == ours
    assert crypto.key_hash(crypto.load_private_key(kf.private)) == ours


def test_random_bytes() -> None:
    assert len(crypto.random_bytes(32)) == 32
    assert crypto.random_bytes(16) != crypto.random_bytes(16)
    assert crypto.random_bytes(0) == b""
    with pytest.raises(ValueError):
        crypto.random_bytes(-1)


@pytest.mark.parametrize(
    ("algorithm", "kwargs", "hash_name"),
    [
        ("rsa", {"bit_size": 2048}, "sha256"),
        ("ec", {"curve": "secp384r1"}, "sha384"),
        ("ec", {}, "sha256"),
    ],
)
def test_generate_private_key(
    workdir: pathlib.Path,
    data_file: pathlib.Path,
    algorithm: str,
    kwargs: Dict[str, Any],
    hash_name: str,
) -> None:
    key = crypto.generate_private_key(algorithm, **kwargs)
    assert key.algorithm == algorithm
    if algorithm == "ec":
        assert key.curve == kwargs.get("curve", "secp256r1")
    pub_file = workdir / f"gen-{algorithm}-{hash_name}.pub.pem"
    from asn1crypto import pem

    pub_file.write_bytes(pem.armor("PUBLIC KEY", key.public_key_info.dump()))
    sig_file = workdir / f"gen-{algorithm}-{hash_name}.sig"
    sig_file.write_bytes(crypto.sign(key, DATA, hash_algorithm=hash_name))
    openssl("dgst", f"-{hash_name}", "-verify", pub_file, "-signature", sig_file, data_file)


def test_generate_private_key_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        crypto.generate_private_key("elgamal")
    with pytest.raises(ValueError):
        crypto.generate_private_key("ec", curve="secp999r1")


# --------------------------------------------------------------------------------------------
# Caching


def test_loaded_keys_are_cached_per_source(
    keyfiles: Dict[str, KeyFiles], workdir: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asymmetric, oscrypto_keys = _oscrypto_compat.load_oscrypto()
    calls = {"private": 0, "public": 0, "parse": 0}

    def counting(name: str, func: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return func(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(asymmetric, "load_private_key", counting("private", asymmetric.load_private_key))
    monkeypatch.setattr(asymmetric, "load_public_key", counting("public", asymmetric.load_public_key))
    monkeypatch.setattr(oscrypto_keys, "parse_private", counting("parse", oscrypto_keys.parse_private))
    crypto.clear_key_cache()

    key_file = workdir / "cached.pem"
    key_file.write_bytes(keyfiles["rsa"].private.read_bytes())
    pem_bytes = keyfiles["p256"].private.read_bytes()
    pyca_key = keyfiles["p384"].pyca_private()
    info = keys.PrivateKeyInfo.load(keyfiles["dsa"].private_der)

    for source in (key_file, pem_bytes, pyca_key, info):
        before = dict(calls)
        first = crypto.sign(source, DATA)
        second = crypto.sign(source, DATA)
        assert first and second
        assert calls["private"] == before["private"] + 1, type(source)
        assert crypto.load_private_key(source) is crypto.load_private_key(source)
    assert calls["private"] == 4
    assert calls["parse"] == 2  # the file and the PEM bytes

    # a changed file is reloaded
    key_file.write_bytes(keyfiles["rsa2"].private.read_bytes())
    os.utime(key_file, ns=(1, 1))
    reloaded = crypto.load_private_key(key_file)
    assert calls["private"] == 5
    assert reloaded.public_key_info.dump() == keyfiles["rsa2"].public_der
    # a different password is a different cache entry (and the wrong one still fails)
    enc = openssl("pkey", "-in", keyfiles["rsa"].private, "-aes256", "-passout", "pass:xyz")
    crypto.load_private_key(enc, "xyz")
    with pytest.raises(ParseError):
        crypto.load_private_key(enc, "abc")

    # public keys used for verification are cached too
    key = crypto.load_private_key(keyfiles["rsa"].private)
    algorithm = crypto.signature_algorithm(key)
    signature = crypto.sign(key, DATA, algorithm)
    cert = x509.Certificate.load(make_cert(workdir, keyfiles["rsa"], "sha256", cn="cache"))
    before_public = calls["public"]
    for _ in range(3):
        crypto.verify_signature(keyfiles["rsa"].public, signature, DATA, algorithm)
        crypto.verify_signature(cert, signature, DATA, algorithm)
    assert calls["public"] == before_public + 1  # same SubjectPublicKeyInfo, same cache entry
    crypto.clear_key_cache()
    crypto.verify_signature(cert, signature, DATA, algorithm)
    assert calls["public"] == before_public + 2


# --------------------------------------------------------------------------------------------
# The oscrypto compatibility step


def test_compat_patch_state_matches_oscrypto_source() -> None:
    import oscrypto

    _oscrypto_compat.load_oscrypto()
    if oscrypto.backend() != "openssl":
        pytest.skip("the version-pattern patch only concerns the OpenSSL backend")
    module = f"oscrypto._openssl._libcrypto_{oscrypto.ffi()}"
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    source = pathlib.Path(spec.origin).read_text(encoding="utf-8")
    if _oscrypto_compat.OLD_LITERAL in source:
        assert module in _oscrypto_compat.APPLIED
    else:
        assert module not in _oscrypto_compat.APPLIED
    # the finder is gone once oscrypto is loaded
    assert not any(type(f).__name__ == "_VersionPatternFinder" for f in sys.meta_path)
    info = crypto.backend_info()
    assert info["available"] is True
    assert info["compat_patch_applied"] == bool(_oscrypto_compat.APPLIED)
    assert info["libcrypto_version"]
    assert info["oscrypto_version"] == oscrypto.__version__


def test_compat_patch_in_fresh_process_logs_and_records() -> None:
    code = """
import logging, sys
logging.basicConfig(level=logging.DEBUG, stream=sys.stdout, format="%(name)s %(message)s")
import ocspkit.crypto as crypto
assert not any(m == "oscrypto" or m.startswith("oscrypto.") for m in sys.modules), "eager"
from ocspkit import _oscrypto_compat as compat
info = crypto.backend_info()
print("APPLIED", compat.APPLIED, "UNCHANGED", compat.UNCHANGED, info["available"])
assert compat._finder is None and not any(
    type(f).__name__ == "_VersionPatternFinder" for f in sys.meta_path)
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert "APPLIED" in result.stdout and "True" in result.stdout.splitlines()[-1]
    if "APPLIED ['oscrypto._openssl" in result.stdout:
        assert "ocspkit.crypto ocspkit patched oscrypto._openssl._libcrypto_" in result.stdout


def test_compat_patch_also_handles_ctypes() -> None:
    code = """
import oscrypto
oscrypto.use_ctypes()
from ocspkit import crypto, _oscrypto_compat as compat
key = crypto.generate_private_key("ec")
alg = crypto.signature_algorithm(key)
crypto.verify_signature(key, crypto.sign(key, b"x", alg), b"x", alg)
rsa = crypto.generate_private_key("rsa")
pss = crypto.signature_algorithm(rsa, "sha256", pss=True)
crypto.verify_signature(rsa, crypto.sign(rsa, b"x", pss), b"x", pss)
print(oscrypto.ffi(), compat.APPLIED + compat.UNCHANGED)
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ctypes")


def test_load_failure_becomes_backend_error() -> None:
    code = """
import oscrypto
oscrypto.use_openssl("/dev/null", "/dev/null")
from ocspkit import crypto
from ocspkit.errors import BackendError
info = crypto.backend_info()
assert info["available"] is False and "could not load" in info["error"], info
try:
    crypto.load_private_key(b"whatever")
except BackendError as exc:
    assert exc.__cause__ is not None
    print("BackendError:", exc)
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert "BackendError: oscrypto could not load the system libcrypto:" in result.stdout
    assert "compatibility patch was" in result.stdout


def test_without_the_patch_the_failure_is_explained() -> None:
    code = """
from ocspkit import _oscrypto_compat as compat
from ocspkit.errors import BackendError
compat.OLD_LITERAL = "text that is not in oscrypto"
try:
    compat.load_oscrypto()
except BackendError as exc:
    print("BackendError:", exc)
else:
    print("loaded", compat.UNCHANGED)
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    if _oscrypto_compat.APPLIED:
        # this machine needs the patch: without it oscrypto fails, and the message says why
        assert "Error detecting the version of libcrypto" in result.stdout
        assert "patch was not applied" in result.stdout
    else:
        assert result.stdout.startswith("loaded")


def test_load_failure_in_process_is_chained(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulate a libcrypto that cannot be loaded without disturbing the oscrypto already
    # imported here: forget the cached modules and make the import raise.
    from oscrypto.errors import LibraryNotFoundError

    def failing_import(name: str) -> Any:
        raise LibraryNotFoundError("Error detecting the version of libcrypto")

    monkeypatch.setattr(_oscrypto_compat, "_loaded", None)
    monkeypatch.setattr(_oscrypto_compat.importlib, "import_module", failing_import)
    with pytest.raises(BackendError, match="could not load the system libcrypto") as info:
        _oscrypto_compat.load_oscrypto()
    assert isinstance(info.value.__cause__, LibraryNotFoundError)
    assert "Error detecting the version of libcrypto" in str(info.value)
    assert "compatibility patch was" in str(info.value)

    def missing(name: str) -> Any:
        raise ModuleNotFoundError("No module named 'oscrypto'", name="oscrypto")

    monkeypatch.setattr(_oscrypto_compat.importlib, "import_module", missing)
    with pytest.raises(BackendError, match="oscrypto is not installed"):
        _oscrypto_compat.load_oscrypto()
    assert not any(type(f).__name__ == "_VersionPatternFinder" for f in sys.meta_path)


def test_rsassa_pss_only_keys(workdir: pathlib.Path, data_file: pathlib.Path) -> None:
    kf = KeyFiles(workdir, "rsapss", ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"])
    key = crypto.load_private_key(kf.private)
    assert key.algorithm == "rsa" and key.asn1.algorithm == "rsassa_pss"
    with pytest.raises(ValueError, match="pss=True"):
        crypto.signature_algorithm(key)
    algorithm = crypto.signature_algorithm(key, "sha256", pss=True)
    sig_file = workdir / "rsapss.sig"
    sig_file.write_bytes(crypto.sign(key, DATA, algorithm))
    openssl("dgst", "-sha256", "-verify", kf.public, "-signature", sig_file, *PSS_SIGOPTS, data_file)
    crypto.verify_signature(kf.public, sig_file.read_bytes(), DATA, algorithm)


# --------------------------------------------------------------------------------------------
# crypto.signer and the fast signing path (_oscrypto_compat.fast_signer): the signatures above
# (every CASE, checked by openssl) already go through it; these pin down when it applies.


def _oscrypto_signature(key: Any, data: bytes, scheme: str, hash_name: str) -> bytes:
    asymmetric, _ = _oscrypto_compat.load_oscrypto()
    if scheme == "pkcs1v15":
        return bytes(asymmetric.rsa_pkcs1v15_sign(key._engine, data, hash_name))
    raise AssertionError(scheme)


def test_fast_signing_is_used_on_openssl_3() -> None:
    info = crypto.backend_info()
    version = _oscrypto_compat.libcrypto_version()
    expected = info.get("backend") == "openssl" and version is not None and version[1] >= (3,)
    assert info["fast_signing"] is expected


@pytest.mark.parametrize(("key_name", "hash_name", "pss"), [c for c in CASES if c[0] != "dsa"], ids=[
    i for c, i in zip(CASES, CASE_IDS) if c[0] != "dsa"])
def test_signer_matches_oscrypto_and_pyca(
    keyfiles: Dict[str, KeyFiles], key_name: str, hash_name: str, pss: bool
) -> None:
    kf = keyfiles[key_name]
    key = crypto.load_private_key(kf.private)
    algorithm = crypto.signature_algorithm(key, hash_name, pss=pss)
    sign = crypto.signer(key, algorithm)
    scheme = "pss" if pss else "ecdsa" if key.algorithm == "ec" else "pkcs1v15"
    fast = _oscrypto_compat.fast_signer(key._engine, scheme, hash_name)
    assert (fast is not None) is crypto.backend_info()["fast_signing"]
    for data in (b"", DATA, DATA * 50):
        signature = sign(data)
        if scheme == "pkcs1v15":  # deterministic: the very bytes oscrypto makes
            assert signature == _oscrypto_signature(key, data, scheme, hash_name)
        pyca_verify(kf.pyca_public(), signature, data, hash_name, pss)
        crypto.verify_signature(kf.public, signature, data, algorithm)


def test_fast_signer_declines_what_it_does_not_do(
    keyfiles: Dict[str, KeyFiles], monkeypatch: pytest.MonkeyPatch
) -> None:
    rsa_key = crypto.load_private_key(keyfiles["rsa"].private)
    dsa_key = crypto.load_private_key(keyfiles["dsa"].private)
    assert _oscrypto_compat.fast_signer(dsa_key._engine, "dsa", "sha256") is None
    assert _oscrypto_compat.fast_signer(rsa_key._engine, "pkcs1v15", "md5") is None
    assert _oscrypto_compat.fast_signer(rsa_key._engine, "pkcs1v15", "sha3_256") is None
    # A self-test that fails (a libcrypto that signs differently) leaves the signing to oscrypto.
    def broken(*args: Any) -> None:
        raise ValueError("differs")

    monkeypatch.setattr(_oscrypto_compat, "_self_test", broken)
    crypto.clear_key_cache()  # the self-test runs once per key: forget that this one passed
    rsa_key = crypto.load_private_key(keyfiles["rsa"].private)  # and a new key object, no signers yet
    assert _oscrypto_compat.fast_signer(rsa_key._engine, "pkcs1v15", "sha256") is None
    assert crypto.sign(rsa_key, DATA) == _oscrypto_signature(rsa_key, DATA, "pkcs1v15", "sha256")
    crypto.clear_key_cache()


def test_signer_reports_libcrypto_failures_as_backend_errors(keyfiles: Dict[str, KeyFiles],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(data: bytes) -> bytes:
        raise OSError("EVP_PKEY_sign failed")

    def fresh_key() -> crypto.PrivateKey:  # signers are kept per key object: a new one makes a new signer
        crypto.clear_key_cache()
        return crypto.load_private_key(keyfiles["p256"].private)

    monkeypatch.setattr(_oscrypto_compat, "fast_signer", lambda *args: failing)
    with pytest.raises(BackendError, match="libcrypto could not produce"):
        crypto.signer(fresh_key())(DATA)
    monkeypatch.setattr(_oscrypto_compat, "fast_signer", lambda *args: None)
    asymmetric, _ = _oscrypto_compat.load_oscrypto()
    monkeypatch.setattr(asymmetric, "ecdsa_sign", failing)
    with pytest.raises(BackendError, match="oscrypto could not produce"):
        crypto.signer(fresh_key())(DATA)
    crypto.clear_key_cache()


def test_signers_and_self_tests_are_made_once_per_key(
    keyfiles: Dict[str, KeyFiles], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One-shot callers (crypto.sign, ResponseBuilder.sign: a response per request) got a new
    signer, and so the fast path's two-signature self-test, for every message: 3x slower signing.
    The signer is kept with the key, the self-test result with the key material."""
    from ocspkit.testing import TestPKI

    pki = TestPKI("ec")  # made first: issuing its certificates signs with its CA keys
    leaf = pki.issue_leaf()
    runs: List[str] = []
    real = _oscrypto_compat._self_test

    def counted(sign: Any, engine_key: Any, scheme: str, hash_algorithm: str) -> None:
        runs.append(scheme)
        real(sign, engine_key, scheme, hash_algorithm)

    monkeypatch.setattr(_oscrypto_compat, "_self_test", counted)
    crypto.clear_key_cache()
    key = crypto.load_private_key(keyfiles["rsa"].private)
    assert crypto.signer(key) is crypto.signer(key) is crypto.signer(keyfiles["rsa"].private)
    for _ in range(5):
        crypto.sign(key, DATA)
    for _ in range(5):
        ocspkit.ResponseBuilder().add_response(leaf.cert_id(), "good").sign(pki.responder.private_key,
                                                                           pki.responder.certificate)
    # The same key material in a new key object: a new signer, but no new self-test.
    again = crypto.PrivateKey(key.asn1, key._engine)
    assert crypto.signer(again) is not crypto.signer(key)
    expected = ["pkcs1v15", "ecdsa"] if crypto.backend_info()["fast_signing"] else []
    assert runs == expected
    signature = crypto.sign(again, DATA)
    pyca_verify(keyfiles["rsa"].pyca_public(), signature, DATA, "sha256", False)
    crypto.clear_key_cache()


def test_signer_from_many_threads(keyfiles: Dict[str, KeyFiles]) -> None:
    # Each thread gets its own libcrypto context; every signature is the deterministic one.
    import concurrent.futures

    key = crypto.load_private_key(keyfiles["rsa2"].private)
    sign = crypto.signer(key)
    messages = [DATA + bytes([i]) for i in range(64)]
    expected = [_oscrypto_signature(key, m, "pkcs1v15", "sha256") for m in messages]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        assert list(pool.map(sign, messages)) == expected


def test_fast_signing_can_be_turned_off(keyfiles: Dict[str, KeyFiles]) -> None:
    code = (
        "import sys, ocspkit.crypto as c\n"
        "key = c.load_private_key(open(sys.argv[1], 'rb').read())\n"
        "public = open(sys.argv[2], 'rb').read()\n"
        "c.verify_signature(public, c.sign(key, b'data'), b'data', c.signature_algorithm(key))\n"
        "print(c.backend_info()['fast_signing'])\n"
    )
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), OCSPKIT_FAST_SIGNING="0")
    result = subprocess.run([sys.executable, "-W", "error", "-c", code, str(keyfiles["p256"].private),
                             str(keyfiles["p256"].public)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_ec_key_size_is_its_curves_not_its_numbers() -> None:
    # asn1crypto's PrivateKeyInfo.bit_size counts the bits of the private number: about one P-384
    # key in 256 has a number under 2**376 and was reported as a 376-bit key. Find such keys
    # (P-384 and P-256 both) and check the size reported is the curve's.
    for curve, size in ((ec.SECP384R1(), 384), (ec.SECP256R1(), 256)):
        for _ in range(4096):
            key = ec.generate_private_key(curve)
            if key.private_numbers().private_value.bit_length() <= size - 8:
                break
        else:  # pragma: no cover - one in 256 keys: 4096 tries miss with probability e**-16
            pytest.fail("no short private number found")
        der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        loaded = crypto.load_private_key(der)
        assert loaded.bit_size == size
        assert crypto.load_public_key(loaded.public_key.asn1.dump()).bit_size == size
