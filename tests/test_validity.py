"""ocspkit.validity: the rules at their boundaries, then agreement with OpenSSL.

Oracles:

* ``openssl ocsp -respin R -issuer int.pem -cert leaf.pem -noverify -validity_period N
  -status_age M`` prints "WARNING: Status times invalid." and one reason per broken rule
  ("status not yet valid", "status too old", "status expired", "nextupdate before thisupdate").
  It reads the real clock, so those cases keep a minute away from every boundary;
* OpenSSL's OCSP_check_validity, called through ctypes in the system libcrypto within one second
  of ``time()``, checks the boundaries themselves (exactly N, N+1 s, ...).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

import pytest
from _openssl_cli import run
from conftest import libcrypto_cdll

import ocspkit
from ocspkit import asn1, crypto
from ocspkit.errors import OCSPTypeError, StaleResponse, VerificationError
from ocspkit.request import RequestBuilder
from ocspkit.response import ResponseBuilder
from ocspkit.testing import CertifiedKey, TestPKI
from ocspkit.validity import DEFAULT_LEEWAY, RULES, check_single_response_validity, check_validity

UTC = dt.timezone.utc
T = dt.datetime(2030, 6, 15, 12, 0, 0, tzinfo=UTC)  # a fixed "now" for the table tests
S = dt.timedelta(seconds=1)
US = dt.timedelta(microseconds=1)

REASONS = {  # OpenSSL's reason strings (crypto/ocsp/ocsp_err.c) -> ocspkit's rule tags
    "status not yet valid": "this_update_in_future",
    "status too old": "too_old",
    "status expired": "next_update_in_past",
    "nextupdate before thisupdate": "next_update_before_this_update",
}


def rules_broken(
    this_update: dt.datetime, next_update: Optional[dt.datetime] = None, **kwargs: Any
) -> Tuple[str, ...]:
    """The rules check_validity reports (empty when it passes)."""
    try:
        check_validity(this_update, next_update, **kwargs)
    except StaleResponse as error:
        info: Any = error
        assert info.rule == info.rules[0]
        return tuple(info.rules)
    return ()


# --- the rules, at their boundaries -----------------------------------------------------------------

TABLE = [
    # (id, thisUpdate - now, nextUpdate - now or None, kwargs, rules broken)
    ("now", dt.timedelta(0), None, {}, ()),
    ("future-exactly-leeway", 300 * S, None, {}, ()),
    ("future-leeway+1us", 300 * S + US, None, {}, ("this_update_in_future",)),
    ("future-leeway+1s", 301 * S, None, {}, ("this_update_in_future",)),
    ("future-leeway-1s", 299 * S, None, {}, ()),
    ("leeway0-now", dt.timedelta(0), None, {"leeway": 0}, ()),
    ("leeway0-1us-ahead", US, None, {"leeway": 0}, ("this_update_in_future",)),
    ("big-leeway", dt.timedelta(hours=1), None, {"leeway": dt.timedelta(hours=1)}, ()),
    ("old-no-max-age", -dt.timedelta(days=3650), None, {}, ()),  # OpenSSL too: maxsec -1
    ("max-age-1s-younger", -3599 * S, None, {"max_age": 3600}, ()),
    ("max-age-exactly", -3600 * S, None, {"max_age": 3600}, ("too_old",)),  # OpenSSL: <= fails
    ("max-age+1s", -3601 * S, None, {"max_age": 3600}, ("too_old",)),
    ("max-age-0-now", dt.timedelta(0), None, {"max_age": 0}, ("too_old",)),
    ("max-age-0-future", S, None, {"max_age": 0}, ()),
    ("next-future", -60 * S, 3600 * S, {}, ()),
    ("next-now", -60 * S, dt.timedelta(0), {}, ()),  # within the leeway
    ("next-leeway-1s-ago", -3600 * S, -299 * S, {}, ()),
    ("next-exactly-leeway-ago", -3600 * S, -300 * S, {}, ("next_update_in_past",)),  # <= fails
    ("next-leeway+1s-ago", -3600 * S, -301 * S, {}, ("next_update_in_past",)),
    ("next-leeway0-now", -60 * S, dt.timedelta(0), {"leeway": 0}, ("next_update_in_past",)),
    ("next-leeway0-1us-ahead", -60 * S, US, {"leeway": 0}, ()),
    ("next-equals-this", 60 * S, 60 * S, {}, ()),
    ("next-1s-before-this", 60 * S, 59 * S, {}, ("next_update_before_this_update",)),
    ("next-1us-before-this", 60 * S, 60 * S - US, {}, ("next_update_before_this_update",)),
    ("all-but-age", 400 * S, -400 * S, {},
     ("this_update_in_future", "next_update_in_past", "next_update_before_this_update")),
    ("age-and-expired", -7200 * S, -3600 * S, {"max_age": 3600}, ("too_old", "next_update_in_past")),
]


@pytest.mark.parametrize(("this_offset", "next_offset", "kwargs", "expected"),
                         [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_rules_at_the_boundaries(
    this_offset: dt.timedelta, next_offset: Optional[dt.timedelta], kwargs: Dict[str, Any],
    expected: Tuple[str, ...],
) -> None:
    next_update = None if next_offset is None else T + next_offset
    assert rules_broken(T + this_offset, next_update, now=T, **kwargs) == expected


def test_leeway_and_max_age_as_seconds_or_timedelta() -> None:
    for leeway in (300, 300.0, dt.timedelta(minutes=5)):
        assert rules_broken(T + 300 * S, now=T, leeway=leeway) == ()
        assert rules_broken(T + 301 * S, now=T, leeway=leeway) == ("this_update_in_future",)
    assert rules_broken(T + 0.5 * S, now=T, leeway=0.5) == ()
    assert rules_broken(T + 0.6 * S, now=T, leeway=0.5) == ("this_update_in_future",)
    for max_age in (60, 60.0, dt.timedelta(minutes=1)):
        assert rules_broken(T - 59 * S, now=T, max_age=max_age) == ()
        assert rules_broken(T - 60 * S, now=T, max_age=max_age) == ("too_old",)
    assert dt.timedelta(seconds=300) == DEFAULT_LEEWAY


def test_huge_durations_do_not_overflow() -> None:
    assert rules_broken(T + dt.timedelta(days=3650), now=T, leeway=dt.timedelta.max) == ()
    assert rules_broken(T - dt.timedelta(days=3650), now=T, max_age=dt.timedelta.max) == ()
    assert rules_broken(dt.datetime(1, 1, 2, tzinfo=UTC), dt.datetime(9999, 1, 1, tzinfo=UTC),
                        now=dt.datetime(9999, 12, 31, tzinfo=UTC), max_age=10**13, leeway=10**13) == ()


def test_time_zones_are_instants() -> None:
    plus5 = dt.timezone(dt.timedelta(hours=5))
    minus8 = dt.timezone(dt.timedelta(hours=-8))
    this_update = (T + 300 * S).astimezone(plus5)  # 17:05 at +05:00 is 12:05 UTC
    assert this_update.hour == 17
    assert rules_broken(this_update, now=T.astimezone(minus8)) == ()
    assert rules_broken(this_update + S, now=T.astimezone(minus8)) == ("this_update_in_future",)
    # A non-UTC nextUpdate "earlier on the clock" than a UTC thisUpdate is still later in time.
    assert rules_broken(T, (T + S).astimezone(minus8), now=T) == ()
    assert rules_broken(T, (T - S).astimezone(plus5), now=T) == ("next_update_before_this_update",)


def test_stale_response_error() -> None:
    with pytest.raises(StaleResponse) as info:
        check_validity(T + 400 * S, T - 400 * S, now=T)
    error: Any = info.value
    assert isinstance(info.value, VerificationError) and isinstance(info.value, ocspkit.OCSPError)
    assert error.reason == "validity"
    assert error.rule == "this_update_in_future"
    assert error.rules == ("this_update_in_future", "next_update_in_past", "next_update_before_this_update")
    text = str(error)
    assert "thisUpdate 2030-06-15T12:06:40Z is 400s in the future" in text
    assert "leeway of 300s" in text and "now 2030-06-15T12:00:00Z" in text
    assert "nextUpdate 2030-06-15T11:53:20Z passed 400s ago" in text
    assert "precedes thisUpdate 2030-06-15T12:06:40Z" in text
    with pytest.raises(StaleResponse, match=r"is 3600\.5s old, not less than the max_age of 3600s") as info:
        check_validity(T - 3600.5 * S, now=T, max_age=3600)
    assert info.value.rule == "too_old"  # type: ignore[attr-defined]
    assert "2030-06-15T10:59:59.5Z" in str(info.value)
    assert set(RULES) == set(REASONS.values())


def test_default_now_is_the_clock() -> None:
    current = dt.datetime.now(UTC)
    check_validity(current - dt.timedelta(minutes=1), current + dt.timedelta(hours=1))
    with pytest.raises(StaleResponse, match="in the future"):
        check_validity(current + dt.timedelta(hours=1))
    with pytest.raises(StaleResponse, match="passed"):
        check_validity(current - dt.timedelta(days=2), current - dt.timedelta(days=1))


@pytest.mark.parametrize("field", ["this_update", "next_update", "now"])
def test_naive_datetimes_are_refused(field: str) -> None:
    values: Dict[str, Any] = {"this_update": T, "next_update": T + S, "now": T}
    values[field] = values[field].replace(tzinfo=None)
    with pytest.raises(ocspkit.OCSPValueError, match="timezone-aware") as info:
        check_validity(values["this_update"], values["next_update"], now=values["now"])
    assert isinstance(info.value, ValueError)
    assert not isinstance(info.value, ocspkit.VerificationError)  # API misuse, not a verdict


@pytest.mark.parametrize("field", ["this_update", "next_update", "now"])
@pytest.mark.parametrize("wrong", ["2030-06-15T12:00:00Z", 1_900_000_000, dt.date(2030, 6, 15)])
def test_wrong_time_types(field: str, wrong: object) -> None:
    values: Dict[str, Any] = {"this_update": T, "next_update": T + S, "now": T}
    values[field] = wrong
    with pytest.raises(OCSPTypeError):
        check_validity(values["this_update"], values["next_update"], now=values["now"])


@pytest.mark.parametrize("name", ["leeway", "max_age"])
def test_bad_durations(name: str) -> None:
    wrongs: List[Any] = ["300", True, [300]]
    for wrong in wrongs:
        with pytest.raises(OCSPTypeError):
            check_validity(T, now=T, **{name: wrong})
    bads: List[Any] = [-1, -0.5, -S, float("nan"), float("inf"), 1e300]
    for bad in bads:
        with pytest.raises(ValueError):
            check_validity(T, now=T, **{name: bad})


# --- SingleResponse convenience ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def leaf(pki: TestPKI) -> CertifiedKey:
    return pki.issue_leaf("validity.example")


@pytest.fixture(scope="module")
def cert_id(pki: TestPKI, leaf: CertifiedKey) -> ocspkit.CertID:
    return RequestBuilder().add_cert(leaf.certificate, pki.intermediate.certificate).build().cert_ids[0]


def signed(
    pki: TestPKI, cert_id: ocspkit.CertID, this_update: dt.datetime, next_update: Optional[dt.datetime],
    now: dt.datetime,
) -> ocspkit.OCSPResponse:
    return (ResponseBuilder().add_response(cert_id, this_update=this_update, next_update=next_update)
            .sign(pki.responder.private_key, pki.responder.certificate, now=now))


def test_check_single_response_validity(pki: TestPKI, cert_id: ocspkit.CertID) -> None:
    response = signed(pki, cert_id, T - 60 * S, T + 3600 * S, T)
    single = response.responses[0]
    check_single_response_validity(single, now=T)
    check_single_response_validity(single, now=T + 3899 * S)
    with pytest.raises(StaleResponse) as info:
        check_single_response_validity(single, now=T + 3900 * S)
    assert info.value.rule == "next_update_in_past"  # type: ignore[attr-defined]
    with pytest.raises(StaleResponse, match="max_age"):
        check_single_response_validity(single, now=T, max_age=60)
    check_single_response_validity(single, now=T + 3900 * S, leeway=dt.timedelta(hours=1))
    for wrong in (response, response.basic, None, T):
        with pytest.raises(OCSPTypeError):
            check_single_response_validity(wrong, now=T)  # type: ignore[arg-type]


# --- agreement with openssl ocsp ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def files(pki: TestPKI, leaf: CertifiedKey, tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("validity")
    (d / "int.pem").write_bytes(pki.intermediate.cert_pem)
    (d / "leaf.pem").write_bytes(leaf.cert_pem)
    return d


def openssl_rules(openssl_bin: str, files: Path, response_der: bytes, options: List[str]) -> Tuple[str, ...]:
    """The rules ``openssl ocsp`` reports broken for the leaf's status, in OpenSSL's order."""
    (files / "resp.der").write_bytes(response_der)
    r = run([openssl_bin, "ocsp", "-respin", files / "resp.der", "-issuer", files / "int.pem",
             "-cert", files / "leaf.pem", "-noverify", *options])
    assert r.returncode == 0, r.stderr
    assert "good\n\tThis Update: " in r.stdout, r.stdout  # the status was printed, so the checks ran
    found = tuple(rule for reason, rule in REASONS.items() if reason in r.stdout)
    assert ("WARNING: Status times invalid." in r.stdout) == bool(found), r.stdout
    return found


Offset = Optional[int]
CLI_CASES: List[Tuple[str, int, Offset, int, Offset, Tuple[str, ...]]] = [
    # (id, thisUpdate - now, nextUpdate - now, -validity_period, -status_age, rules)
    ("current", -60, 3600, 300, None, ()),
    ("this-within-leeway", 200, 3600, 300, None, ()),
    ("this-beyond-leeway", 400, 3600, 300, None, ("this_update_in_future",)),
    ("this-within-wide-leeway", 3000, 7200, 3600, None, ()),
    ("leeway-0-this-ahead", 60, 3600, 0, None, ("this_update_in_future",)),
    ("no-next-young", -1800, None, 300, 3600, ()),
    ("no-next-too-old", -7200, None, 300, 3600, ("too_old",)),
    ("no-next-old-no-max", -86400 * 30, None, 300, None, ()),
    ("status-age-1", -60, 3600, 300, 1, ("too_old",)),  # the CLI refuses -status_age 0
    ("next-within-leeway", -7200, -200, 300, None, ()),
    ("next-beyond-leeway", -7200, -400, 300, None, ("next_update_in_past",)),
    ("leeway-0-next-passed", -7200, -60, 0, None, ("next_update_in_past",)),
    ("next-before-this", 100, 50, 300, None, ("next_update_before_this_update",)),
    ("three-at-once", 400, -400, 300, None,
     ("this_update_in_future", "next_update_in_past", "next_update_before_this_update")),
    ("all-four", -7200, -7300, 300, 3600, ("too_old", "next_update_in_past", "next_update_before_this_update")),
]


@pytest.mark.parametrize(("this_s", "next_s", "nsec", "maxsec", "expected"),
                         [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES])
def test_agrees_with_openssl_ocsp(
    this_s: int, next_s: Offset, nsec: int, maxsec: Offset, expected: Tuple[str, ...],
    pki: TestPKI, cert_id: ocspkit.CertID, files: Path, openssl_bin: str,
) -> None:
    # Every case keeps 50 s or more from a boundary, so the second openssl reads the clock in
    # cannot change its answer.
    now = dt.datetime.now(UTC).replace(microsecond=0)
    this_update = now + this_s * S
    next_update = None if next_s is None else now + next_s * S
    response = signed(pki, cert_id, this_update, next_update, now)
    options = ["-validity_period", str(nsec)] + ([] if maxsec is None else ["-status_age", str(maxsec)])
    theirs = openssl_rules(openssl_bin, files, response.dump(), options)
    ours = rules_broken(this_update, next_update, leeway=nsec, max_age=maxsec)
    assert ours == theirs == expected
    single = response.responses[0]
    assert single.this_update == this_update and single.next_update == next_update


@pytest.mark.parametrize(("this_s", "expected"), [(240, ()), (360, ("this_update_in_future",))])
def test_default_leeway_is_openssls_default_validity_period(
    this_s: int, expected: Tuple[str, ...], pki: TestPKI, cert_id: ocspkit.CertID, files: Path, openssl_bin: str
) -> None:
    now = dt.datetime.now(UTC).replace(microsecond=0)
    response = signed(pki, cert_id, now + this_s * S, now + 3600 * S, now)
    assert openssl_rules(openssl_bin, files, response.dump(), []) == expected
    assert rules_broken(now + this_s * S, now + 3600 * S) == expected


def response_with_exact_times(
    pki: TestPKI, cert_id: ocspkit.CertID, this_update: dt.datetime, next_update: dt.datetime
) -> bytes:
    """A signed response whose GeneralizedTimes keep fractions of a second (ResponseBuilder writes
    whole seconds, as RFC 5280 profiles them; other responders do not)."""
    from asn1crypto import core

    single = asn1.SingleResponse({
        "cert_id": cert_id.asn1,
        "cert_status": asn1.CertStatus(name="good", value=core.Null()),
        "this_update": this_update,
        "next_update": next_update,
    })
    tbs = asn1.ResponseData({
        "responder_id": asn1.ResponderID(name="by_name", value=pki.responder.certificate.subject),
        "produced_at": this_update.replace(microsecond=0),
        "responses": [single],
    })
    algorithm = crypto.signature_algorithm(pki.responder.private_key, "sha256")
    basic = asn1.BasicOCSPResponse({
        "tbs_response_data": tbs,
        "signature_algorithm": algorithm,
        "signature": crypto.sign(pki.responder.private_key, tbs.dump(), algorithm),
        "certs": [pki.responder.certificate],
    })
    return bytes(asn1.OCSPResponse({
        "response_status": 0,
        "response_bytes": {"response_type": asn1.OID.BASIC, "response": core.ParsableOctetString(basic.dump())},
    }).dump())


def test_fractional_seconds_divergence(
    pki: TestPKI, cert_id: ocspkit.CertID, files: Path, openssl_bin: str
) -> None:
    # OpenSSL compares nextUpdate with thisUpdate by ASN1_STRING_cmp: the shorter string is
    # "smaller" whatever the dates, so a whole-second nextUpdate an hour after a thisUpdate with a
    # fraction "precedes" it. ocspkit compares the instants: nothing is wrong here.
    now = dt.datetime.now(UTC).replace(microsecond=0)
    this_update = now - 60 * S + dt.timedelta(microseconds=500000)
    next_update = now + 3600 * S
    der = response_with_exact_times(pki, cert_id, this_update, next_update)
    response = ocspkit.load_response(der)
    single = response.responses[0]
    assert single.this_update == this_update and single.next_update == next_update
    assert openssl_rules(openssl_bin, files, der, []) == ("next_update_before_this_update",)
    check_single_response_validity(single)
    # Same lengths on both sides: OpenSSL compares the digits and agrees with the instants.
    same = response_with_exact_times(pki, cert_id, this_update, next_update + dt.timedelta(microseconds=500000))
    assert openssl_rules(openssl_bin, files, same, []) == ()
    earlier = response_with_exact_times(pki, cert_id, this_update, this_update - dt.timedelta(microseconds=100000))
    assert openssl_rules(openssl_bin, files, earlier, []) == ("next_update_before_this_update",)
    assert rules_broken(this_update, this_update - dt.timedelta(microseconds=100000)) == (
        "next_update_before_this_update",)


# --- the boundaries against OCSP_check_validity itself ------------------------------------------------


class LibCrypto:
    """OCSP_check_validity from the system libcrypto, on GeneralizedTime strings."""

    def __init__(self, lib: Any) -> None:
        p = ctypes.c_void_p
        self.lib = lib
        lib.ASN1_GENERALIZEDTIME_new.restype, lib.ASN1_GENERALIZEDTIME_new.argtypes = p, []
        lib.ASN1_GENERALIZEDTIME_free.restype, lib.ASN1_GENERALIZEDTIME_free.argtypes = None, [p]
        lib.ASN1_GENERALIZEDTIME_set_string.restype = ctypes.c_int
        lib.ASN1_GENERALIZEDTIME_set_string.argtypes = [p, ctypes.c_char_p]
        lib.OCSP_check_validity.restype = ctypes.c_int
        lib.OCSP_check_validity.argtypes = [p, p, ctypes.c_long, ctypes.c_long]
        lib.ERR_get_error.restype, lib.ERR_get_error.argtypes = ctypes.c_ulong, []
        lib.ERR_reason_error_string.restype = ctypes.c_char_p
        lib.ERR_reason_error_string.argtypes = [ctypes.c_ulong]
        lib.ERR_clear_error.restype, lib.ERR_clear_error.argtypes = None, []

    def _time(self, text: str) -> int:
        handle = self.lib.ASN1_GENERALIZEDTIME_new()
        assert handle and self.lib.ASN1_GENERALIZEDTIME_set_string(handle, text.encode()) == 1, text
        return int(handle)

    def check_validity(
        self, this_text: str, next_text: Optional[str], nsec: int, maxsec: int
    ) -> Tuple[bool, Tuple[str, ...]]:
        this_handle = self._time(this_text)
        next_handle = None if next_text is None else self._time(next_text)
        try:
            self.lib.ERR_clear_error()
            ok = self.lib.OCSP_check_validity(this_handle, next_handle, nsec, maxsec) == 1
            reasons = []
            while code := self.lib.ERR_get_error():
                reasons.append((self.lib.ERR_reason_error_string(code) or b"").decode())
            return ok, tuple(REASONS[r] for r in reasons)
        finally:
            self.lib.ASN1_GENERALIZEDTIME_free(this_handle)
            if next_handle is not None:
                self.lib.ASN1_GENERALIZEDTIME_free(next_handle)


@pytest.fixture(scope="session")
def libcrypto() -> LibCrypto:
    # Linux only: elsewhere the unversioned libcrypto may be another library (macOS aborts the
    # process on its LibreSSL stub). The command-line tests above run everywhere.
    return LibCrypto(libcrypto_cdll("OCSP_check_validity"))


def gt(value: dt.datetime, fraction: str = "") -> str:
    return value.strftime("%Y%m%d%H%M%S") + fraction + "Z"


Num = Union[int, float]
BOUNDARY_CASES: List[Tuple[str, Num, Optional[Num], int, int]] = [
    # (id, thisUpdate - t_now, nextUpdate - t_now, nsec, maxsec (-1: off)), in seconds
    ("this-exactly-nsec", 300, None, 300, -1),
    ("this-nsec+1", 301, None, 300, -1),
    ("this-nsec-1", 299, None, 300, -1),
    ("nsec0-this-now", 0, None, 0, -1),
    ("nsec0-this+1", 1, None, 0, -1),
    ("this-exactly-maxsec", -3600, None, 300, 3600),
    ("this-maxsec-1", -3599, None, 300, 3600),
    ("this-maxsec+1", -3601, None, 300, 3600),
    ("maxsec0-now", 0, None, 300, 0),
    ("maxsec0-this+1", 1, None, 300, 0),
    ("next-exactly-nsec-ago", -7200, -300, 300, -1),
    ("next-nsec-1-ago", -7200, -299, 300, -1),
    ("next-nsec+1-ago", -7200, -301, 300, -1),
    ("nsec0-next-now", -60, 0, 0, -1),
    ("nsec0-next+1", -60, 1, 0, -1),
    ("next-equals-this", 10, 10, 300, -1),
    ("next-1s-before-this", 10, 9, 300, -1),
    ("all", 400, -400, 300, 100),
]


@pytest.mark.parametrize(("this_s", "next_s", "nsec", "maxsec"), [c[1:] for c in BOUNDARY_CASES],
                         ids=[c[0] for c in BOUNDARY_CASES])
def test_boundaries_agree_with_ocsp_check_validity(
    this_s: Num, next_s: Optional[Num], nsec: int, maxsec: int, libcrypto: LibCrypto
) -> None:
    for _attempt in range(5):
        # Start early in a second and check the second did not change: OpenSSL reads time() once,
        # in whole seconds, and the times below are built from that same second.
        fraction = time.time() % 1
        if fraction > 0.5:
            time.sleep(1.0 - fraction + 0.01)
        t_now = int(time.time())
        now = dt.datetime.fromtimestamp(t_now, UTC)
        this_update = now + dt.timedelta(seconds=this_s)
        next_update = None if next_s is None else now + dt.timedelta(seconds=next_s)
        ok, theirs = libcrypto.check_validity(gt(this_update), None if next_update is None else gt(next_update),
                                              nsec, maxsec)
        if int(time.time()) == t_now:
            break
    else:  # pragma: no cover - five seconds in a row lost
        pytest.fail("could not call OCSP_check_validity within one second")
    ours = rules_broken(this_update, next_update, leeway=nsec, max_age=None if maxsec < 0 else maxsec, now=now)
    assert ours == theirs
    assert ok is (ours == ())


def test_string_comparison_quirk_in_ocsp_check_validity(libcrypto: LibCrypto) -> None:
    # Far from the clock's boundaries: only the nextUpdate/thisUpdate comparison is at stake.
    now = dt.datetime.now(UTC).replace(microsecond=0)
    this_update, next_update = now - 60 * S, now + 3600 * S
    assert libcrypto.check_validity(gt(this_update, ".5"), gt(next_update), 300, -1) == (
        False, ("next_update_before_this_update",))
    assert rules_broken(this_update + dt.timedelta(microseconds=500000), next_update) == ()
    assert libcrypto.check_validity(gt(this_update, ".5"), gt(next_update, ".5"), 300, -1) == (True, ())
