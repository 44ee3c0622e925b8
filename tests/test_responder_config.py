"""The responder's configuration file (ocspkit.responder.config): TOML and JSON, several issuers
with their own signers and stores, and a ConfigError for every mistake."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import ocspkit
from ocspkit.enums import CertStatus, ResponseStatus
from ocspkit.request import RequestBuilder
from ocspkit.responder import ConfigError, load_config, make_store, responder_from_config
from ocspkit.responder.config import parse_duration
from ocspkit.responder.index import IndexTxtStore
from ocspkit.responder.sqlite import SQLiteStore
from ocspkit.testing import TestPKI

NOW = dt.datetime(2026, 6, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def pkis() -> Any:
    return TestPKI("ec", now=NOW), TestPKI("ec", now=NOW)


def setup(tmp: Path, pkis: Any) -> Dict[str, Any]:
    one, two = pkis
    leaf1, leaf2 = one.issue_leaf("one.example"), two.issue_leaf("two.example")
    files = {
        "ca1.pem": one.intermediate.cert_pem, "ca1.key": one.intermediate.key_pem,
        "ca2.pem": two.intermediate.cert_pem, "ocsp2.pem": two.responder.cert_pem, "ocsp2.key": two.responder.key_pem,
    }
    for name, data in files.items():
        (tmp / name).write_bytes(data)
    (tmp / "ca1").mkdir()
    expiry = "301231235959Z"
    (tmp / "ca1" / "index.txt").write_text(
        f"R\t{expiry}\t260501000000Z,keyCompromise\t{leaf1.serial_number:X}\tunknown\t/CN=one.example\n"
    )
    db = SQLiteStore(tmp / "ocsp.db", issuer="ca2")
    db.add(leaf2.serial_number)
    db.close()
    return {"one": one, "two": two, "leaf1": leaf1, "leaf2": leaf2}


TOML = """
[server]
host = "127.0.0.2"
port = 9999

[responder]
nonce_lengths = [8, 32]
presign = false
max_cert_ids = 5

[[issuer]]
label = "one"
ca = "ca1.pem"
signer_key = "ca1.key"
responder_id = "key"
validity = "12h"
store = { type = "index", path = "ca1/index.txt", check_interval = 0 }

[[issuer]]
label = "two"
ca = "ca2.pem"
signer_certificate = "ocsp2.pem"
signer_key = "ocsp2.key"
include_certificates = true
store = "sqlite:ocsp.db"
"""


def ask(responder: Any, pki: TestPKI, leaf: Any, nonce: Any = None) -> Any:
    builder = RequestBuilder().add_cert(leaf.certificate, pki.intermediate.certificate)
    if nonce is not None:
        builder = builder.with_nonce(nonce)
    return responder.respond(builder.build().dump(), now=NOW)


def test_toml_two_issuers(tmp_path: Path, pkis: Any) -> None:
    env = setup(tmp_path, pkis)
    table = 'store = { type = "sqlite", path = "ocsp.db", issuer = "ca2" }'
    (tmp_path / "responder.toml").write_text(TOML.replace('store = "sqlite:ocsp.db"', table))
    responder, settings = load_config(tmp_path / "responder.toml")
    assert (settings.host, settings.port, settings.presign) == ("127.0.0.2", 9999, False)
    assert responder.nonce_lengths == (8, 32) and responder.max_cert_ids == 5
    first = ask(responder, env["one"], env["leaf1"])
    assert first.cert_statuses == (CertStatus.REVOKED,)
    response = ocspkit.load_response(first.der)
    assert response.responder_id.key_hash is not None
    assert response.responses[0].next_update == NOW + dt.timedelta(hours=12)
    result = ocspkit.check_status(first.der, env["leaf1"].certificate, env["one"].intermediate.certificate,
                                  trusted=[env["one"].root.certificate], now=NOW)
    assert result.status is CertStatus.REVOKED
    second = ask(responder, env["two"], env["leaf2"])
    result = ocspkit.check_status(second.der, env["leaf2"].certificate, env["two"].intermediate.certificate,
                                  trusted=[env["two"].root.certificate], now=NOW)
    assert result.status is CertStatus.GOOD
    assert result.verdict.authorization is ocspkit.Authorization.DELEGATED
    assert ask(responder, env["two"], env["leaf2"], nonce=b"short").status is ResponseStatus.MALFORMED_REQUEST


def test_json_and_label_default(tmp_path: Path, pkis: Any) -> None:
    env = setup(tmp_path, pkis)
    config = {
        "issuer": [
            # The SQLite issuer label defaults to the issuer's label.
            {"label": "ca2", "ca": "ca2.pem", "signer_certificate": "ocsp2.pem", "signer_key": "ocsp2.key",
             "validity": "none", "store": {"type": "sqlite", "path": "ocsp.db"}},
        ]
    }
    (tmp_path / "responder.json").write_text(json.dumps(config))
    responder = responder_from_config(tmp_path / "responder.json")
    answer = ask(responder, env["two"], env["leaf2"])
    assert answer.cert_statuses == (CertStatus.GOOD,)
    assert ocspkit.load_response(answer.der).responses[0].next_update is None


@pytest.mark.parametrize("extra", [[], ["ca2.pem"]], ids=["signer-only", "signer-and-extra"])
def test_extra_certificates_follow_the_signer_once(tmp_path: Path, pkis: Any, extra: List[str]) -> None:
    env = setup(tmp_path, pkis)
    config = {"issuer": [{"label": "ca2", "ca": "ca2.pem", "signer_certificate": "ocsp2.pem",
                          "signer_key": "ocsp2.key", "extra_certificates": extra,
                          "store": {"type": "sqlite", "path": "ocsp.db"}}]}
    (tmp_path / "responder.json").write_text(json.dumps(config))
    answer = ask(responder_from_config(tmp_path / "responder.json"), env["two"], env["leaf2"])
    two = env["two"]
    expected = (two.responder.cert_der, *([two.intermediate.cert_der] if extra else []))
    assert ocspkit.load_response(answer.der).basic.certs_der == expected


def test_make_store(tmp_path: Path, pkis: Any) -> None:
    setup(tmp_path, pkis)
    assert isinstance(make_store(f"index:{tmp_path}/ca1/index.txt"), IndexTxtStore)
    assert isinstance(make_store({"type": "sqlite", "path": "ocsp.db"}, tmp_path), SQLiteStore)
    for spec in ("nonsense", {"type": "ldap", "path": "x"}, {"type": "index", "path": ""}, 42,
                 {"type": "index", "path": "x", "colour": "red"}):
        with pytest.raises(ConfigError):
            make_store(spec, tmp_path)


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("15m", 900), ("12h", 43200), ("7d", 604800),
                                                ("1w", 604800), (3600, 3600), ("120", 120)])
def test_durations(text: Any, seconds: int) -> None:
    assert parse_duration(text) == dt.timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["none", None, False, ""])
def test_no_duration(text: Any) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize("text", ["1y", "-5m", 0, "soon", True])
def test_bad_durations(text: Any) -> None:
    with pytest.raises(ConfigError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t + "\n[extra]\n", "unknown sections"),
        (lambda t: t.replace('label = "one"', 'label = "one"\ncolour = "red"'), "unknown keys"),
        (lambda t: t.replace("max_cert_ids = 5", "max_certs = 5"), "[responder] unknown keys"),
        (lambda t: t.replace("port = 9999", "port = 9999\nworkers = 4"), "[server] unknown keys"),
        (lambda t: t.replace('ca = "ca1.pem"', 'ca = "missing.pem"'), "issuer #1"),
        (lambda t: t.replace('signer_key = "ca1.key"', 'signer_key = "ocsp2.key"'), "does not belong"),
        (lambda t: t.replace('signer_key = "ca1.key"\n', ""), "'signer_key' is required"),
        (lambda t: t.replace('validity = "12h"', 'validity = "soon"'), "validity"),
        (lambda t: t.replace('responder_id = "key"', 'responder_id = "hash"'), "responder_id"),
        (lambda t: t.replace("nonce_lengths = [8, 32]", "nonce_lengths = [8]"), "nonce_lengths"),
        (lambda t: t.replace("nonce_lengths = [8, 32]", "nonce_lengths = [32, 8]"), "nonce_lengths"),
        (lambda t: t.replace("port = 9999", 'port = "http"'), "[server]"),
        (lambda t: t[: t.index("[[issuer]]")], "at least one [[issuer]]"),
        (lambda t: "this is = not toml [", "not valid TOML"),
        (lambda t: t.replace('signer_key = "ocsp2.key"',
                             'signer_key = "ocsp2.key"\nkey_password_env = "NO_SUCH_VAR_X"'), "NO_SUCH_VAR_X"),
    ],
)
def test_config_errors(tmp_path: Path, pkis: Any, edit: Any, message: str) -> None:
    setup(tmp_path, pkis)
    (tmp_path / "responder.toml").write_text(edit(TOML))
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "responder.toml")
    assert message in str(info.value)
    assert isinstance(info.value, ocspkit.OCSPError)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.toml")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        load_config(tmp_path / "bad.json")
    (tmp_path / "list.json").write_text("[1, 2]")
    with pytest.raises(ConfigError, match="top level"):
        load_config(tmp_path / "list.json")
