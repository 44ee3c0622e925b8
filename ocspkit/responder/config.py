"""The responder's configuration file (TOML or JSON): issuers with their signers and stores,
request limits, and where to listen.

.. code-block:: toml

    [server]
    host = "0.0.0.0"
    port = 8080

    [responder]
    nonce_lengths = [1, 32]
    require_signed_requests = false
    presign = true

    [[issuer]]
    label = "Intermediate CA"
    ca = "intermediate.pem"
    signer_certificate = "ocsp-responder.pem"   # omit: the CA key signs
    signer_key = "ocsp-responder.key"
    responder_id = "key"
    validity = "1d"
    store = { type = "sqlite", path = "ocsp.db" }

Relative paths are relative to the file. :data:`REFERENCE` (``ocspkit serve --help-config``)
lists every key.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

from .. import crypto
from ..errors import OCSPError, OCSPValueError
from .core import Issuer, Responder
from .index import IndexTxtStore
from .sqlite import SQLiteStore
from .store import StatusStore

__all__ = [
    "REFERENCE", "ConfigError", "ServerSettings", "load_config", "make_store", "parse_duration",
    "responder_from_config",
]

#: Every key of the configuration file, with its default, as ``ocspkit serve --help-config`` prints
#: it (an installed package has no docs/ directory; tests check that no key is missing).
REFERENCE = """\
The configuration file of 'ocspkit serve --config FILE': TOML (Python 3.11+, or the tomli
package) or JSON (a file named *.json, the same tables as objects). Relative paths are relative
to the file; unknown keys are refused. Only ca, signer_key and store are required; the values
below are the defaults, where there is one.

[server]                           # where to listen; --host, --port, --nrequest win
host = "127.0.0.1"                 # "0.0.0.0": every interface
port = 8080                        # 0 picks a free port
limit_max_requests = 100000        # stop after that many requests (default: never)

[responder]
nonce_lengths = [1, 32]            # RFC 8954 2.1; other lengths get malformedRequest
require_signed_requests = false    # true: unsigned requests get sigRequired
request_trust = []                 # anchors signed requests must chain to (empty: signature only)
max_request_size = 65536           # bytes
max_cert_ids = 1000                # CertIDs in one request
cache_size = 100000                # pre-signed answers kept
refresh = 0.5                      # re-sign once this part of thisUpdate..nextUpdate has passed
presign = true                     # sign every known serial at start (--no-presign: false)
path_prefix = "/"                  # where the responder lives, for GET

[[issuer]]                         # one table per CA answered for, at least one
label = "Issuing CA"               # in logs and /health (default: the CA's subject)
ca = "ca.pem"                      # the CA certificate
signer_key = "ocsp.key"            # the CA's key, or the delegated responder's
signer_certificate = "ocsp.pem"    # a delegated responder (id-kp-OCSPSigning); omitted: the CA signs
key_password_env = "OCSP_KEY_PASS" # the environment variable holding the key's pass phrase
responder_id = "name"              # or "key" (--resp-key-id)
validity = "1d"                    # nextUpdate - thisUpdate: 90s, 15m, 12h, 7d, 1w, or "none"
include_certificates = true        # false: no certificates in responses (--resp-no-certs)
extra_certificates = []            # more certificates after the signer's (--rother)
hash_algorithm = "sha256"          # signature digest (--rmd)
pss = false                        # RSASSA-PSS signatures
unknown_status = "unknown"         # or "revoked", RFC 6960 2.2 extended revoke (--unknown)
expired_status = "good"            # what index.txt E rows get: "good", "unknown" or "revoked"
store = { type = "sqlite", path = "ocsp.db", issuer = "default" }
# or  { type = "index", path = "index.txt", check_interval = 1.0 }: OpenSSL's CA database,
#     re-read when it changes (checked every check_interval seconds)

Each issuer has its own signer and store. A CertID of an issuer not served gets unauthorized.
A store that cannot be read gives internalError (tryLater for a locked database) and /health
answers 503; a corrupt new copy of an index.txt is logged and the last good copy kept.
"""


class ConfigError(OCSPValueError):
    """The configuration file cannot be read or says something ocspkit cannot do."""


@dataclasses.dataclass(frozen=True)
class ServerSettings:
    """Where ``ocspkit serve`` listens, from the ``[server]`` table."""

    host: str = "127.0.0.1"  # loopback unless asked: a responder is exposed on purpose
    port: int = 8080
    limit_max_requests: Optional[int] = None
    presign: bool = True  # sign every known serial at start, so the first requests are fast


_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: Any, what: str = "duration") -> Optional[_dt.timedelta]:
    """``"90s"``, ``"15m"``, ``"12h"``, ``"7d"``, ``"1w"`` or a number of seconds; None / "none"
    / false stay None (no nextUpdate)."""
    if value is None or value is False or (isinstance(value, str) and value.strip().lower() in ("none", "")):
        return None
    if isinstance(value, bool):
        raise ConfigError(f"{what}: expected a duration such as '1d', got {value!r}")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if match is None:
            raise ConfigError(f"{what}: expected a duration such as '90s', '15m', '12h', '7d', got {value!r}")
        seconds = int(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise ConfigError(f"{what} must be positive")
    return _dt.timedelta(seconds=seconds)


def _read(path: Path) -> Dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the configuration {path}: {exc.strerror or exc}") from None
    if path.suffix.lower() == ".json":
        try:
            loaded = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ConfigError(f"{path}: not valid JSON: {exc}") from None
    else:
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - Python < 3.11
            try:
                import tomli as tomllib
            except ImportError:
                raise ConfigError(f"{path}: TOML needs Python 3.11 or the tomli package; or write JSON") from None
        try:
            loaded = tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if not isinstance(loaded, dict):
        raise ConfigError(f"{path}: the top level must be a table")
    return loaded


def _path(base: Path, value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{what} must be a file path")
    path = Path(os.path.expanduser(value))
    return str(path if path.is_absolute() else base / path)


def make_store(spec: Any, base: Path = Path("."), *, label: Optional[str] = None) -> StatusStore:
    """A status store from its description: ``{"type": "index", "path": ...}``,
    ``{"type": "sqlite", "path": ..., "issuer": label}`` or a string ``"index:PATH"`` /
    ``"sqlite:PATH"``."""
    if isinstance(spec, str):
        kind, sep, rest = spec.partition(":")
        if not sep:
            raise ConfigError(f"store {spec!r}: expected 'index:PATH' or 'sqlite:PATH'")
        spec = {"type": kind, "path": rest}
    if not isinstance(spec, Mapping):
        raise ConfigError("store must be a table with type and path")
    kind = str(spec.get("type", "")).lower()
    path = _path(base, spec.get("path"), "store path")
    unknown = set(spec) - {"type", "path", "issuer", "check_interval"}
    if unknown:
        raise ConfigError(f"store: unknown keys {sorted(unknown)}")
    if kind in ("index", "index.txt", "openssl"):
        options: Dict[str, Any] = {}
        if "check_interval" in spec:
            options["check_interval"] = float(spec["check_interval"])
        return IndexTxtStore(path, **options)
    if kind == "sqlite":
        return SQLiteStore(path, issuer=str(spec.get("issuer", label or "default")))
    raise ConfigError(f"store type {kind!r}: expected 'index' or 'sqlite'")


_ISSUER_KEYS = {
    "label", "ca", "signer_certificate", "signer_key", "key_password_env", "responder_id", "include_certificates",
    "extra_certificates", "validity", "hash_algorithm", "pss", "unknown_status", "expired_status", "store",
}
_RESPONDER_KEYS = {
    "nonce_lengths", "require_signed_requests", "request_trust", "max_request_size", "max_cert_ids",
    "cache_size", "refresh", "path_prefix", "presign",
}


def _issuer(base: Path, table: Any, number: int) -> Issuer:
    try:
        return _issuer_from(base, table, f"issuer #{number}")
    except ConfigError:
        raise
    except OCSPError as exc:
        raise ConfigError(f"issuer #{number}: {exc}") from None


def _issuer_from(base: Path, table: Any, where: str) -> Issuer:
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where} must be a table")
    unknown = set(table) - _ISSUER_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
    if "ca" not in table or "store" not in table:
        raise ConfigError(f"{where}: 'ca' and 'store' are required")
    label = table.get("label")
    ca = crypto.load_certificate(_path(base, table["ca"], f"{where} ca"))
    signer_cert = None
    if table.get("signer_certificate"):
        signer_cert = crypto.load_certificate(_path(base, table["signer_certificate"], f"{where} signer_certificate"))
    if "signer_key" not in table:
        raise ConfigError(f"{where}: 'signer_key' is required (the CA's key, or the delegated responder's)")
    password = None
    if table.get("key_password_env"):
        password = os.environ.get(str(table["key_password_env"]))
        if password is None:
            raise ConfigError(f"{where}: environment variable {table['key_password_env']} is not set")
    key = crypto.load_private_key(_path(base, table["signer_key"], f"{where} signer_key"), password)
    certificates: Optional[List[Any]] = None
    extras = [crypto.load_certificate(_path(base, p, f"{where} extra_certificates")) for p in
              table.get("extra_certificates", [])]
    if table.get("include_certificates", True) is False:
        certificates = []
    elif extras:
        certificates = [signer_cert or ca, *extras]  # Issuer.certificates is the whole certs field
    validity = parse_duration(table.get("validity", "1d"), f"{where} validity")
    return Issuer(
            ca, key, make_store(table["store"], base, label=label), signer_certificate=signer_cert,
            responder_id=str(table.get("responder_id", "name")), certificates=certificates, validity=validity,
            hash_algorithm=str(table.get("hash_algorithm", "sha256")), pss=bool(table.get("pss", False)),
            unknown_status=str(table.get("unknown_status", "unknown")),
            expired_status=str(table.get("expired_status", "good")), label=label,
        )


def load_config(path: Any) -> tuple[Responder, ServerSettings]:
    """Read a configuration file: the :class:`~ocspkit.responder.Responder` it describes and the
    :class:`ServerSettings` of its ``[server]`` table. Every problem is a :class:`ConfigError`."""
    file = Path(path)
    data = _read(file)
    base = file.resolve().parent
    unknown = set(data) - {"server", "responder", "issuer"}
    if unknown:
        raise ConfigError(f"{file}: unknown sections {sorted(unknown)}")
    issuers = data.get("issuer")
    if not isinstance(issuers, list) or not issuers:
        raise ConfigError(f"{file}: at least one [[issuer]] table is needed")
    options = dict(data.get("responder", {}))
    bad = set(options) - _RESPONDER_KEYS
    if bad:
        raise ConfigError(f"{file}: [responder] unknown keys {sorted(bad)}")
    server_table = dict(data.get("server", {}))
    bad = set(server_table) - {"host", "port", "limit_max_requests"}
    if bad:
        raise ConfigError(f"{file}: [server] unknown keys {sorted(bad)}")
    presign = bool(options.pop("presign", True))
    if "nonce_lengths" in options:
        lengths = options["nonce_lengths"]
        if not (isinstance(lengths, list) and len(lengths) == 2 and all(isinstance(n, int) for n in lengths)):
            raise ConfigError(f"{file}: nonce_lengths must be [min, max]")
        options["nonce_lengths"] = (lengths[0], lengths[1])
    if "request_trust" in options:
        options["request_trust"] = [crypto.load_certificate(_path(base, p, "request_trust"))
                                    for p in options["request_trust"]]
    built = [_issuer(base, table, number) for number, table in enumerate(issuers, 1)]
    try:
        responder = Responder(built, **options)
    except (OCSPError, TypeError) as exc:
        raise ConfigError(f"{file}: {exc}") from None
    try:
        settings = ServerSettings(
            host=str(server_table.get("host", "127.0.0.1")), port=int(server_table.get("port", 8080)),
            limit_max_requests=server_table.get("limit_max_requests"), presign=presign,
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{file}: [server] {exc}") from None
    return responder, settings


def responder_from_config(path: Any) -> Responder:
    """The :class:`~ocspkit.responder.Responder` a configuration file describes."""
    return load_config(path)[0]
