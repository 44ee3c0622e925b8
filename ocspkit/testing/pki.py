"""A small X.509 certificate builder and a zero-argument test PKI (root, intermediate, OCSP
responder, leaves), built on asn1crypto and :mod:`ocspkit.crypto`.

Every certificate and key comes as bytes (DER / PEM, as :class:`Blob`, which is ``bytes`` that
can also write itself to a path or a temporary file), as asn1crypto / :class:`ocspkit.crypto`
objects, and as files (``write_*`` methods and ``*_file()`` context managers).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import functools
import ipaddress
import itertools
import os
import shutil
import tempfile as _tempfile
import threading
import weakref
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    FrozenSet,
    Iterable,
    Iterator,
    List,
    Optional,
    Sequence,
    Set,
    Tuple,
    Union,
)

from asn1crypto import core, x509

from .. import crypto
from .._der import pem_armor
from .._util import to_generalized_time
from ..certid import DEFAULT_CERTID_HASH, CertID

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from .responder import InProcessResponder
    from .scenarios import Scenario

__all__ = ["CONVENIENCES", "Blob", "CertifiedKey", "PKIFiles", "TestPKI", "make_certificate"]


class Conveniences:
    """What :meth:`TestPKI.scenario` and :meth:`TestPKI.serve` hand over to: the modules above
    this one (scenarios, the responder), which this module, the lowest of ocspkit.testing, does
    not import. The package (``ocspkit/testing/__init__.py``, which Python runs before any
    module of it) sets both, importing those modules only when they are first called."""

    make_scenario: Callable[..., Scenario]
    serve: Callable[..., InProcessResponder]


CONVENIENCES = Conveniences()

PathLike = Union[str, "os.PathLike[str]"]

_UTC = _dt.timezone.utc


def _time(value: _dt.datetime) -> Any:
    # RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
    value = to_generalized_time(value)
    return x509.Time(name="utc_time" if value.year < 2050 else "general_time", value=value)


def _general_name(value: str) -> x509.GeneralName:
    try:
        return x509.GeneralName(name="ip_address", value=str(ipaddress.ip_address(value)))
    except ValueError:
        return x509.GeneralName(name="dns_name", value=value)


def make_certificate(
    *,
    subject: Any,
    public_key: Any,
    issuer_key: crypto.PrivateKey,
    issuer: Optional[x509.Certificate] = None,
    serial_number: int,
    not_before: _dt.datetime,
    not_after: _dt.datetime,
    ca: bool = False,
    path_length: Optional[int] = None,
    key_usage: Optional[Iterable[str]] = None,
    extended_key_usage: Optional[Iterable[str]] = None,
    ocsp_nocheck: bool = False,
    ocsp_url: Optional[str] = None,
    hash_algorithm: str = "sha256",
    subject_alt_names: Iterable[str] = (),
) -> x509.Certificate:
    """Build and sign an X.509 v3 certificate.

    ``subject`` is an asn1crypto Name or a dict such as ``{"common_name": "leaf"}``;
    ``public_key`` anything :func:`ocspkit.crypto.load_public_key` reads; ``issuer`` None makes
    the certificate self-signed. Extensions: basicConstraints (critical), keyUsage (critical),
    extKeyUsage, subject and authority key identifiers, id-pkix-ocsp-nocheck, AIA OCSP URL and
    subjectAltName (``subject_alt_names``: DNS names, or IP addresses where they parse as one).
    """
    name = x509.Name.build(subject) if isinstance(subject, dict) else subject
    spki = crypto.load_public_key(public_key).asn1
    issuer_name = name if issuer is None else issuer.subject
    issuer_spki = spki if issuer is None else issuer.public_key
    if key_usage is None:
        key_usage = ("key_cert_sign", "crl_sign", "digital_signature") if ca else ("digital_signature",)
    extensions: List[dict] = [  # type: ignore[type-arg]
        {"extn_id": "basic_constraints", "critical": True,
         "extn_value": {"ca": ca, "path_len_constraint": path_length} if ca else {"ca": False}},
        {"extn_id": "key_usage", "critical": True, "extn_value": set(key_usage)},
        {"extn_id": "key_identifier", "critical": False, "extn_value": crypto.key_hash(spki)},
        {"extn_id": "authority_key_identifier", "critical": False,
         "extn_value": {"key_identifier": crypto.key_hash(issuer_spki)}},
    ]
    if extended_key_usage:
        extensions.append(
            {"extn_id": "extended_key_usage", "critical": False, "extn_value": list(extended_key_usage)}
        )
    if ocsp_nocheck:
        # RFC 6960 4.2.2.2.1: the extension value is NULL.
        extensions.append({"extn_id": "ocsp_no_check", "critical": False, "extn_value": core.Null()})
    if ocsp_url:
        extensions.append(
            {"extn_id": "authority_information_access", "critical": False,
             "extn_value": [{"access_method": "ocsp",
                             "access_location": {"uniform_resource_identifier": ocsp_url}}]}
        )
    alt_names = [_general_name(n) for n in subject_alt_names]
    if alt_names:
        extensions.append({"extn_id": "subject_alt_name", "critical": False, "extn_value": alt_names})
    algorithm = crypto.signature_algorithm(issuer_key, hash_algorithm)
    tbs = x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": serial_number,
            "signature": algorithm,
            "issuer": issuer_name,
            "validity": {"not_before": _time(not_before), "not_after": _time(not_after)},
            "subject": name,
            "subject_public_key_info": spki,
            "extensions": extensions,
        }
    )
    signature = crypto.sign(issuer_key, tbs.dump(), algorithm)
    return x509.Certificate(
        {"tbs_certificate": tbs, "signature_algorithm": algorithm, "signature_value": signature}
    )


def write_file(path: PathLike, data: bytes, append: bool = False) -> Path:
    """Write (or with ``append``, add) ``data`` to ``path``; return it as a Path."""
    target = Path(path)
    with target.open("ab" if append else "wb") as fh:
        fh.write(data)
    return target


class Blob(bytes):
    """Bytes (a certificate, key or OCSP message, DER or PEM) that can also put themselves in a
    file. A ``Blob`` *is* ``bytes``: compare it, slice it, pass it anywhere bytes go."""

    __slots__ = ()

    def write_to_path(self, path: PathLike, append: bool = False) -> Path:
        """Write (or with ``append``, add) these bytes to ``path``; return it as a Path."""
        return write_file(path, self, append)

    @contextlib.contextmanager
    def tempfile(self, suffix: str = "", dir: Optional[PathLike] = None) -> Iterator[Path]:
        """A temporary file holding these bytes, removed when the ``with`` block ends::

            with leaf.cert_pem.tempfile(".pem") as path:
                subprocess.run(["openssl", "x509", "-in", path, "-noout"])
        """
        fd, name = _tempfile.mkstemp(suffix=suffix, prefix="ocspkit-", dir=dir)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(self)
            yield Path(name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)


def pem_blob(der: bytes, label: str) -> Blob:
    """``der`` PEM-armored under ``label``, as a Blob."""
    return Blob(pem_armor(der, label))


_ENCODINGS = ("pem", "der")


def _check_encoding(encoding: str) -> str:
    if encoding not in _ENCODINGS:
        raise ValueError(f'encoding is "pem" or "der", got {encoding!r}')
    return encoding


@dataclasses.dataclass(frozen=True)
class CertifiedKey:
    """A certificate with its private key, in every form a test may want.

    ``chain`` holds the issuing certificates, nearest first (empty for a root); ``issued_by`` the
    CertifiedKey that issued it, which :attr:`issuer` returns: everywhere in the testing API an
    issuer is a CertifiedKey (``leaf.issuer.cert_pem``, ``scenario.issuer.key_pem``). Bytes come
    as :class:`Blob` (``bytes`` with ``write_to_path`` / ``tempfile``); files from ``write_*``
    (a path you choose) or the ``*_file()`` context managers (a temporary file, removed after).
    """

    certificate: x509.Certificate
    private_key: crypto.PrivateKey
    chain: Tuple[x509.Certificate, ...] = ()
    issued_by: Optional[CertifiedKey] = dataclasses.field(default=None, repr=False, compare=False)

    # -- bytes ----------------------------------------------------------------------------------

    @property
    def cert_der(self) -> Blob:
        """The certificate, DER."""
        return Blob(self.certificate.dump())

    @property
    def cert_pem(self) -> Blob:
        """The certificate, PEM."""
        return pem_blob(self.cert_der, "CERTIFICATE")

    @property
    def key_der(self) -> Blob:
        """The private key, PKCS#8 DER (unencrypted)."""
        return Blob(self.private_key.asn1.dump())

    @property
    def key_pem(self) -> Blob:
        """The private key, PKCS#8 PEM (unencrypted)."""
        return pem_blob(self.key_der, "PRIVATE KEY")

    @property
    def chain_pem(self) -> Blob:
        """The certificate followed by its issuers (nearest first), PEM: what a TLS server sends."""
        return Blob(b"".join(pem_armor(bytes(c.dump()), "CERTIFICATE") for c in (self.certificate, *self.chain)))

    @property
    def key_and_chain_pem(self) -> Blob:
        """The private key then :attr:`chain_pem`: one file for ``ssl.SSLContext.load_cert_chain``."""
        return Blob(self.key_pem + self.chain_pem)

    # -- facts ----------------------------------------------------------------------------------

    @property
    def serial_number(self) -> int:
        """The certificate's serial number."""
        return int(self.certificate.serial_number)

    @property
    def common_name(self) -> Optional[str]:
        """The subject's commonName, if any."""
        value = self.certificate.subject.native.get("common_name")
        return None if value is None else str(value)

    @property
    def issuer(self) -> Optional[CertifiedKey]:
        """The CertifiedKey that issued this certificate (a :class:`TestPKI` sets it), None for a
        root or when only :attr:`chain` was given; its certificate is ``issuer.certificate``."""
        return self.issued_by

    def cert_id(self, hash_algorithm: str = DEFAULT_CERTID_HASH) -> CertID:
        """The OCSP CertID of this certificate (RFC 6960 4.1.1), under its issuer (itself for a root)."""
        issuer = self.chain[0] if self.chain else self.certificate
        return CertID.from_cert(self.certificate, issuer, hash_algorithm)

    # -- files ----------------------------------------------------------------------------------

    def write_cert(self, path: PathLike, encoding: str = "pem") -> Path:
        """Write the certificate to ``path`` (``encoding`` "pem" or "der")."""
        return write_file(path, self.cert_pem if _check_encoding(encoding) == "pem" else self.cert_der)

    def write_key(self, path: PathLike, encoding: str = "pem") -> Path:
        """Write the private key (PKCS#8, unencrypted) to ``path``."""
        return write_file(path, self.key_pem if _check_encoding(encoding) == "pem" else self.key_der)

    def write_chain(self, path: PathLike) -> Path:
        """Write :attr:`chain_pem` to ``path``."""
        return write_file(path, self.chain_pem)

    def write_key_and_chain(self, path: PathLike) -> Path:
        """Write :attr:`key_and_chain_pem` to ``path``."""
        return write_file(path, self.key_and_chain_pem)

    def cert_file(self, encoding: str = "pem") -> contextlib.AbstractContextManager[Path]:
        """``with leaf.cert_file() as path:`` a temporary file with the certificate."""
        if _check_encoding(encoding) == "pem":
            return self.cert_pem.tempfile(".pem")
        return self.cert_der.tempfile(".der")

    def key_file(self, encoding: str = "pem") -> contextlib.AbstractContextManager[Path]:
        """``with leaf.key_file() as path:`` a temporary file with the private key."""
        if _check_encoding(encoding) == "pem":
            return self.key_pem.tempfile(".key")
        return self.key_der.tempfile(".der")

    def chain_file(self) -> contextlib.AbstractContextManager[Path]:
        """``with leaf.chain_file() as path:`` a temporary file with :attr:`chain_pem`."""
        return self.chain_pem.tempfile(".pem")

    def key_and_chain_file(self) -> contextlib.AbstractContextManager[Path]:
        """``with leaf.key_and_chain_file() as path: ctx.load_cert_chain(path)``."""
        return self.key_and_chain_pem.tempfile(".pem")

    def __repr__(self) -> str:
        return f"<CertifiedKey {self.common_name!r} serial {self.serial_number} {self.private_key!r}>"


@dataclasses.dataclass(frozen=True)
class PKIFiles:
    """Where :meth:`TestPKI.write` put the PKI: PEM files for ``openssl``, servers and clients."""

    directory: Path
    root: Path  #: the root CA certificate: the trust anchor (``-CAfile``)
    intermediate: Path  #: the CA that issues leaves (``-issuer``)
    ca_chain: Path  #: intermediate then root (``-verify_other``, a TLS server's extra certs)
    responder: Path  #: the delegated OCSP responder's certificate (``-rsigner``, ``-VAfile``)
    responder_key: Path  #: its private key (``-rkey``)

    def __repr__(self) -> str:
        return f"<PKIFiles in {self.directory}>"


_KEY_ALGORITHMS = {"rsa": "rsa", "ec": "ec", "ecdsa": "ec"}


class TestPKI:
    """A root CA, an intermediate CA that issues leaves, and a delegated OCSP responder for the
    intermediate (id-kp-OCSPSigning + id-pkix-ocsp-nocheck). Zero arguments give RSA-2048.

    ``key_algorithm`` is ``"rsa"`` or ``"ec"`` (P-256; ``"ecdsa"`` is accepted too: EC keys are
    made in a millisecond, RSA-2048 ones in about 150 ms); ``now`` anchors validity (default:
    the current time); certificates are valid from a day before ``now`` for ``validity_days``.
    ``ocsp_url`` goes into the leaves' authorityInfoAccess.

    Two more responders, made on first use, sign the scenarios a client must refuse:
    :attr:`unauthorized_responder` (id-kp-OCSPSigning, but issued by the root: not delegated by the
    intermediate) and :attr:`responder_without_eku` (issued by the intermediate, no
    id-kp-OCSPSigning). Files: :attr:`trust_file`, :attr:`issuer_file`, :attr:`ca_chain_file`
    live in a temporary directory removed by :meth:`close` (or when the PKI is collected);
    :meth:`write` puts everything in a directory of yours.
    """

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        key_algorithm: str = "rsa",
        *,
        now: Optional[_dt.datetime] = None,
        validity_days: int = 365,  # a year: long enough for any test run, short enough to be fake
        ocsp_url: Optional[str] = None,
    ) -> None:
        if key_algorithm not in _KEY_ALGORITHMS:
            raise ValueError(f'key_algorithm is "rsa" or "ec", got {key_algorithm!r}')
        self.key_algorithm = _KEY_ALGORITHMS[key_algorithm]
        self.now = to_generalized_time(now or _dt.datetime.now(_UTC))
        self.not_before = self.now - _dt.timedelta(days=1)
        self.not_after = self.now + _dt.timedelta(days=validity_days)
        self.ocsp_url = ocsp_url
        self._serials = itertools.count(1000)
        self._lock = threading.Lock()
        self._intermediate_serials: Set[int] = set()
        self._directory: Optional[Path] = None
        self._finalizer: Optional[weakref.finalize] = None  # type: ignore[type-arg]
        self.root = self._issue({"common_name": "ocspkit Test Root CA"}, None, ca=True)
        self.intermediate = self._issue(
            {"common_name": "ocspkit Test Intermediate CA"}, self.root, ca=True, path_length=0
        )
        self.responder = self._issue(
            {"common_name": "ocspkit Test OCSP Responder"},
            self.intermediate,
            extended_key_usage=("ocsp_signing",),
            ocsp_nocheck=True,
        )

    def __repr__(self) -> str:
        return f"<TestPKI {self.key_algorithm} now={self.now.isoformat()}>"

    # -- issuing --------------------------------------------------------------------------------

    def _new_key(self) -> crypto.PrivateKey:
        if self.key_algorithm == "ec":
            return crypto.generate_private_key("ec", curve="secp256r1")
        return crypto.generate_private_key("rsa", bit_size=2048)

    def next_serial(self) -> int:
        """A serial number this PKI has not used (for CertIDs of certificates never issued)."""
        with self._lock:
            return next(self._serials)

    def _issue(
        self,
        subject: Any,
        issuer: Optional[CertifiedKey],
        private_key: Optional[crypto.PrivateKey] = None,
        **options: Any,
    ) -> CertifiedKey:
        key = private_key if private_key is not None else self._new_key()
        options.setdefault("not_before", self.not_before)
        options.setdefault("not_after", self.not_after)
        cert = make_certificate(
            subject=subject,
            public_key=key,
            issuer_key=key if issuer is None else issuer.private_key,
            issuer=None if issuer is None else issuer.certificate,
            serial_number=self.next_serial(),
            **options,
        )
        chain = () if issuer is None else (issuer.certificate, *issuer.chain)
        if issuer is not None and issuer is getattr(self, "intermediate", None):
            with self._lock:
                self._intermediate_serials.add(int(cert.serial_number))
        return CertifiedKey(cert, key, chain, issued_by=issuer)

    def issue_leaf(
        self, common_name: str = "leaf.example", *, private_key: Optional[crypto.PrivateKey] = None, **options: Any
    ) -> CertifiedKey:
        """A new end-entity certificate issued by the intermediate (with the AIA OCSP URL, if set).

        ``private_key`` reuses a key (key generation is the slow part with RSA); other options go
        to :func:`make_certificate`: ``subject_alt_names=["localhost", "127.0.0.1"]`` for a TLS
        server, ``not_before`` / ``not_after``, ``extended_key_usage``, ``ocsp_url`` ...
        """
        options.setdefault("ocsp_url", self.ocsp_url)
        return self._issue({"common_name": common_name}, self.intermediate, private_key, **options)

    @functools.cached_property
    def unauthorized_responder(self) -> CertifiedKey:
        """An OCSP signing certificate the intermediate did not delegate to: it has
        id-kp-OCSPSigning but the root issued it, so it may not answer for the intermediate's
        certificates (RFC 6960 4.2.2.2). Made on first use."""
        return self._issue(
            {"common_name": "ocspkit Test Unauthorized Responder"},
            self.root,
            extended_key_usage=("ocsp_signing",),
            ocsp_nocheck=True,
        )

    @functools.cached_property
    def responder_without_eku(self) -> CertifiedKey:
        """A certificate the intermediate issued without id-kp-OCSPSigning: it may not sign OCSP
        responses for the intermediate (RFC 6960 4.2.2.2). Made on first use."""
        return self._issue({"common_name": "ocspkit Test Responder Without EKU"}, self.intermediate)

    @functools.cached_property
    def shared_leaf_key(self) -> crypto.PrivateKey:
        """One key for the leaves the scenario factory and the plugin issue (made on first use)."""
        return self._new_key()

    @property
    def issued_serials(self) -> FrozenSet[int]:
        """The serial numbers of every certificate the intermediate has issued so far (what the
        in-process responder answers "good" for unless told otherwise)."""
        with self._lock:
            return frozenset(self._intermediate_serials)

    def chain(self) -> Sequence[x509.Certificate]:
        """The intermediate and the root, leaf-side first."""
        return (self.intermediate.certificate, self.root.certificate)

    # -- bytes and files ------------------------------------------------------------------------

    @property
    def trust_pem(self) -> Blob:
        """The root certificate, PEM: what a client trusts (``cafile`` / ``-CAfile``)."""
        return self.root.cert_pem

    @property
    def ca_chain_pem(self) -> Blob:
        """The intermediate then the root, PEM."""
        return self.intermediate.chain_pem

    def _file(self, name: str, data: bytes) -> Path:
        with self._lock:
            if self._directory is None:
                self._directory = Path(_tempfile.mkdtemp(prefix="ocspkit-pki-"))
                self._finalizer = weakref.finalize(self, shutil.rmtree, str(self._directory), True)
            path = self._directory / name
            if not path.exists():
                write_file(path, data)
            return path

    @property
    def trust_file(self) -> Path:
        """A PEM file with the root certificate (in this PKI's temporary directory)."""
        return self._file("root.pem", self.trust_pem)

    @property
    def issuer_file(self) -> Path:
        """A PEM file with the intermediate, the leaves' issuer (``openssl ocsp -issuer``)."""
        return self._file("intermediate.pem", self.intermediate.cert_pem)

    @property
    def ca_chain_file(self) -> Path:
        """A PEM file with the intermediate then the root."""
        return self._file("ca-chain.pem", self.ca_chain_pem)

    def write(self, directory: PathLike) -> PKIFiles:
        """Write the PKI's certificates (and the responder's key) to ``directory`` (created if
        needed): root.pem, intermediate.pem, ca-chain.pem, responder.pem, responder.key."""
        base = Path(directory)
        base.mkdir(parents=True, exist_ok=True)
        return PKIFiles(
            directory=base,
            root=self.root.write_cert(base / "root.pem"),
            intermediate=self.intermediate.write_cert(base / "intermediate.pem"),
            ca_chain=write_file(base / "ca-chain.pem", self.ca_chain_pem),
            responder=self.responder.write_cert(base / "responder.pem"),
            responder_key=self.responder.write_key(base / "responder.key"),
        )

    def close(self) -> None:
        """Remove the temporary files made for :attr:`trust_file` and friends."""
        with self._lock:
            if self._finalizer is not None:
                self._finalizer()
            self._directory = None
            self._finalizer = None

    def __enter__(self) -> TestPKI:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- OCSP -----------------------------------------------------------------------------------

    def scenario(self, name: str, **options: Any) -> Scenario:
        """An OCSP situation on demand: ``pki.scenario("revoked", reason="key_compromise")``.
        See :func:`ocspkit.testing.make_scenario` for the names and options."""
        return CONVENIENCES.make_scenario(name, self, **options)

    def serve(self, **options: Any) -> InProcessResponder:
        """An OCSP responder for this PKI on a free loopback port: ``with pki.serve() as url:``.
        See :class:`ocspkit.testing.InProcessResponder`."""
        return CONVENIENCES.serve(self, **options)
