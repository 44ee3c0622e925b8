"""The pytest plugin (``ocspkit.testing.plugin``) in separate test projects made by pytester,
and the in-process responder it serves, judged by ``openssl ocsp -url``.

The plugin is opt-in: installing ocspkit registers no ``pytest11`` entry point, so a project that
does not ask for it (ocspkit's own suite among them) never loads it. The projects here opt in the
ways docs/testing.md gives, and one that does not is shown to have no fixtures.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
from _openssl_cli import run

import ocspkit
from ocspkit import CertStatus, RevocationReason
from ocspkit.request import RequestBuilder
from ocspkit.testing import InProcessResponder, TestPKI

pytest_plugins = ["pytester"]

PLUGIN = "ocspkit.testing.plugin"
OPT_IN = ("-p", PLUGIN)  # on the command line


@pytest.fixture(autouse=True, scope="module")
def crypto_backend_loaded() -> None:
    """ocspkit imports oscrypto on first use, and pytester's in-process runs drop every module first
    imported during the run: were oscrypto first loaded in one, ocspkit.crypto would keep the
    dropped copy while later imports make a second, whose exceptions it does not catch (a failure
    that depends on which tests ran before, as under pytest -n). Load it before any run here."""
    from ocspkit import _oscrypto_compat

    _oscrypto_compat.load_oscrypto()

# A test project of someone else's: it uses the fixtures, nothing of ocspkit's suite.
PROJECT_TESTS = '''
import datetime as dt
import urllib.request

import pytest

import ocspkit
from ocspkit.request import RequestBuilder

SEEN = []


def test_pki_is_one_per_session(ocsp_pki):
    SEEN.append(ocsp_pki)
    assert ocsp_pki.key_algorithm == "ec"
    assert ocsp_pki.trust_file.read_bytes() == ocsp_pki.root.cert_pem


def test_pki_is_the_same_object(ocsp_pki):
    assert SEEN == [ocsp_pki]


def test_leaves_are_fresh(ocsp_leaf, ocsp_pki):
    SEEN.append(ocsp_leaf.serial_number)
    assert ocsp_leaf.issuer is ocsp_pki.intermediate  # a CertifiedKey, as scenario.issuer
    assert ocsp_leaf.certificate.subject_alt_name_value.native == ["localhost", "127.0.0.1"]


def test_leaves_are_fresh_again(ocsp_leaf):
    assert ocsp_leaf.serial_number != SEEN[-1]


@pytest.mark.parametrize("name", ["good", "revoked", "expired", "bad-signature", "try-later"])
def test_scenarios(ocsp_scenario, name):
    scenario = ocsp_scenario(name)
    if scenario.expected.valid:
        assert scenario.check_status().status is scenario.expected.status
    else:
        with pytest.raises(scenario.expected.error_class):
            scenario.check_status()


def test_scenario_about_my_leaf(ocsp_scenario, ocsp_leaf):
    scenario = ocsp_scenario("revoked", cert=ocsp_leaf, reason="key_compromise")
    status = ocspkit.check_status(scenario.response_der, ocsp_leaf.certificate, scenario.issuer.certificate)
    assert status.revoked and status.revocation_reason.name == "KEY_COMPROMISE"


def post(url, request):
    http_request = urllib.request.Request(
        url, data=request.dump(), headers={"Content-Type": "application/ocsp-request"}
    )
    with urllib.request.urlopen(http_request, timeout=10) as reply:
        return reply.read()


def test_responder(ocsp_responder, ocsp_pki):
    leaf = ocsp_responder.issue_leaf("localhost")
    assert leaf.certificate.ocsp_urls == [ocsp_responder.url]
    request = RequestBuilder().add_cert(leaf.certificate, ocsp_pki.intermediate.certificate).with_nonce().build()
    issuer = ocsp_pki.intermediate.certificate
    assert ocspkit.check_status(post(ocsp_responder.url, request), leaf.certificate, issuer, request=request).good
    ocsp_responder.set_status(leaf, "revoked", reason=1)
    answer = ocspkit.check_status(post(ocsp_responder.url, request), leaf.certificate, issuer, request=request)
    assert answer.revoked
    assert len(ocsp_responder.requests) == 2


def test_responder_is_fresh_per_test(ocsp_responder):
    assert ocsp_responder.requests == []
'''


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_project=PROJECT_TESTS)
    return pytester


def test_the_fixtures_in_a_separate_project(project: pytest.Pytester) -> None:
    """A fresh interpreter: the plugin comes from the command line's -p, nothing else."""
    result = project.runpytest_subprocess(*OPT_IN, "-p", "no:cacheprovider", "-W", "error")
    result.assert_outcomes(passed=12)


def test_the_fixtures_in_process(project: pytest.Pytester) -> None:
    # In this process the plugin module may be imported already (test_enums.py imports every module
    # of ocspkit), so -p cannot have its asserts rewritten: pytest warns, which says nothing of
    # the fixtures. Every other warning is still an error.
    result = project.runpytest(*OPT_IN, "-p", "no:cacheprovider", "-W", "error",
                               "-W", "ignore::pytest.PytestAssertRewriteWarning")
    result.assert_outcomes(passed=12)


def test_the_fixtures_are_listed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_x="def test_x(): pass")
    result = pytester.runpytest("--fixtures", *OPT_IN, "-p", "no:cacheprovider")
    for name in ("ocsp_pki", "ocsp_leaf", "ocsp_scenario", "ocsp_responder"):
        result.stdout.fnmatch_lines([f"{name}*"])
    result.stdout.fnmatch_lines(["*test PKI for the whole session*"])
    help_text = pytester.runpytest(*OPT_IN, "--help").stdout.str()
    assert "--ocsp-key-algorithm" in help_text


def test_installing_ocspkit_loads_no_plugin() -> None:
    """No pytest11 entry point: pytest loads nothing of ocspkit's into a suite that did not ask."""
    from importlib.metadata import distribution

    assert [e for e in distribution("ocspkit").entry_points if e.group == "pytest11"] == []


USES_A_FIXTURE = """
def test_x(ocsp_pki, ocsp_scenario):
    assert ocsp_scenario("good").check_status().good
"""


@pytest.mark.parametrize("form", ["none", "command-line", "pytest.ini", "pyproject.toml", "conftest.py"])
def test_a_project_opts_in(pytester: pytest.Pytester, form: str) -> None:
    """A project's tests in a fresh interpreter: without opting in, a plugin fixture is not found;
    each form docs/testing.md gives loads the plugin."""
    pytester.makepyfile(test_x=USES_A_FIXTURE)
    args = ["-p", "no:cacheprovider", "-W", "error"]
    if form == "command-line":
        args += OPT_IN
    elif form == "pytest.ini":
        pytester.makefile(".ini", pytest=f"[pytest]\naddopts = -p {PLUGIN}\n")
    elif form == "pyproject.toml":
        pytester.makepyprojecttoml(f'[tool.pytest.ini_options]\naddopts = "-p {PLUGIN}"\n')
    elif form == "conftest.py":
        pytester.makeconftest(f"pytest_plugins = [{PLUGIN!r}]\n")
    result = pytester.runpytest_subprocess(*args)
    if form == "none":
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(["*fixture 'ocsp_pki' not found*"])
    else:
        result.assert_outcomes(passed=1)


RSA_TEST = """
def test_rsa(ocsp_pki, ocsp_scenario):
    assert ocsp_pki.key_algorithm == "rsa"
    assert ocsp_pki.root.private_key.algorithm == "rsa"
    assert ocsp_scenario("good").check_status().good
"""


def test_the_key_algorithm_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_rsa=RSA_TEST)
    pytester.runpytest(*OPT_IN, "--ocsp-key-algorithm=rsa", "-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_the_key_algorithm_ini_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_rsa=RSA_TEST)
    pytester.makeini("[pytest]\nocsp_key_algorithm = rsa\n")
    pytester.runpytest(*OPT_IN, "-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_bad_key_algorithm_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_x="def test_x(ocsp_pki): pass")
    pytester.makeini("[pytest]\nocsp_key_algorithm = dsa\n")
    result = pytester.runpytest(*OPT_IN, "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ocsp_key_algorithm is ec or rsa*"])


def test_a_project_overrides_the_pki(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
import pytest
from ocspkit.testing import TestPKI

@pytest.fixture(scope="session")
def ocsp_pki():
    return TestPKI("ec", ocsp_url="http://ocsp.example/")
"""
    )
    pytester.makepyfile(
        test_x="""
def test_x(ocsp_pki, ocsp_leaf, ocsp_scenario):
    assert ocsp_leaf.certificate.ocsp_urls == ["http://ocsp.example/"]
    assert ocsp_scenario("unknown").pki is ocsp_pki
"""
    )
    pytester.runpytest(*OPT_IN, "-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_ocspkit_testing_does_not_need_pytest() -> None:
    code = (
        "import sys; sys.modules['pytest'] = None\n"
        "import ocspkit.testing as t\n"
        "s = t.make_scenario('revoked', reason='superseded')\n"
        "assert s.check_status().revoked\n"
        "with t.TestPKI('ec').serve() as url: assert url.startswith('http://127.0.0.1:')\n"
        "assert 'ocspkit.testing.plugin' not in sys.modules\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


# ------------------------------------------------------------------------------------------------
# The in-process responder, judged by openssl ocsp -url


@pytest.fixture(scope="module")
def pki() -> TestPKI:
    return TestPKI("ec")


@pytest.fixture
def responder(pki: TestPKI) -> Iterator[InProcessResponder]:
    served = pki.serve()
    with served:
        yield served
    assert not served.running


def openssl_url(openssl_bin: str, pki: TestPKI, url: str, cert: Path, *extra: str) -> Tuple[int, str, str]:
    args = [
        openssl_bin, "ocsp", "-url", url, "-CAfile", str(pki.trust_file), "-no-CApath", "-no-CAstore",
        "-verify_other", str(pki.issuer_file), "-issuer", str(pki.issuer_file), "-cert", str(cert), *extra,
    ]
    result = run(args)
    status = re.search(rf"^{re.escape(str(cert))}: (.*)$", result.stdout, re.M)
    return result.returncode, result.stdout + result.stderr, status.group(1) if status else ""


def test_openssl_asks_the_responder(responder: InProcessResponder, pki: TestPKI, openssl_bin: str) -> None:
    url = responder.url
    leaf = responder.issue_leaf("localhost")
    assert leaf.certificate.ocsp_urls == [url]
    with leaf.cert_file() as cert:
        code, output, status = openssl_url(openssl_bin, pki, url, cert)
        assert (code, status) == (0, "good"), output
        assert "Response verify OK" in output and "WARNING" not in output  # the nonce came back

        responder.set_status(leaf, "revoked", reason="key_compromise")
        code, output, status = openssl_url(openssl_bin, pki, url, cert)
        assert (code, status) == (0, "revoked"), output
        assert "Reason: keyCompromise" in output

        responder.set_status(leaf, "unknown")
        assert openssl_url(openssl_bin, pki, url, cert)[2] == "unknown"
        responder.set_status(leaf, "good")
        assert openssl_url(openssl_bin, pki, url, cert)[2] == "good"

        # SHA-256 CertIDs are answered in SHA-256 (RFC 6960 4.2.2), and without a nonce.
        code, output, status = openssl_url(openssl_bin, pki, url, cert, "-no_nonce")
        assert (code, status) == (0, "good"), output

        responder.answer_with("try-later")
        code, output, _ = openssl_url(openssl_bin, pki, url, cert)
        assert code == 1 and "Responder Error: trylater (3)" in output

        responder.answer_with(pki.scenario("bad-signature", cert=leaf))
        code, output, status = openssl_url(openssl_bin, pki, url, cert, "-no_nonce")
        assert code == 1 and "signature failure" in output

        responder.answer_with(None)
        assert openssl_url(openssl_bin, pki, url, cert)[2] == "good"
    assert responder.request_count == 8
    assert all(r.cert_ids[0].serial_number == leaf.serial_number for r in responder.requests)


def test_openssl_with_sha256_certids(responder: InProcessResponder, pki: TestPKI, openssl_bin: str) -> None:
    leaf = responder.issue_leaf("sha256.example")
    with leaf.cert_file() as cert:
        args = [openssl_bin, "ocsp", "-url", responder.url, "-CAfile", str(pki.trust_file), "-no-CApath",
                "-no-CAstore", "-verify_other", str(pki.issuer_file), "-issuer", str(pki.issuer_file), "-sha256",
                "-cert", str(cert)]
        result = run(args)
    assert result.returncode == 0, result.stderr
    assert ": good" in result.stdout
    assert responder.requests[-1].cert_ids[0].hash_algorithm == "sha256"


def fetch(url: str, request: ocspkit.OCSPRequest, method: str = "POST") -> bytes:
    if method == "GET":  # RFC 6960 A.1: the base64 of the DER, URL-encoded, after the URL
        path = urllib.parse.quote(base64.b64encode(request.dump()).decode(), safe="")
        http_request = urllib.request.Request(url + path)
    else:
        http_request = urllib.request.Request(
            url, data=request.dump(), headers={"Content-Type": "application/ocsp-request"}
        )
    with urllib.request.urlopen(http_request, timeout=10) as reply:
        assert reply.headers["Content-Type"] == "application/ocsp-response"
        return bytes(reply.read())


def test_statuses_change_while_it_runs(responder: InProcessResponder, pki: TestPKI) -> None:
    leaf = pki.issue_leaf("later.example")  # issued after the responder started: good too
    issuer = pki.intermediate.certificate
    request = RequestBuilder().add_cert(leaf.certificate, issuer).with_nonce().build()
    plain = RequestBuilder().add_cert(leaf.certificate, issuer).build()

    def status(method: str = "POST", req: ocspkit.OCSPRequest = request) -> ocspkit.CertificateStatus:
        der = fetch(responder.url, req, method)
        return ocspkit.check_status(der, leaf.certificate, issuer, request=req if req.nonce else None)

    assert status().good
    assert status("GET", plain).good
    when = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(days=1)
    responder.revoke(leaf, RevocationReason.SUPERSEDED, when)
    answer = status()
    assert answer.revoked and answer.revocation_time == when
    assert answer.revocation_reason is RevocationReason.SUPERSEDED
    assert status("GET", plain).revoked  # the pre-signed answer was dropped with the change
    responder.set_status(leaf.cert_pem, "revoked")  # a certificate in any form
    assert status().revoked
    responder.set_status(leaf.certificate, "good")
    assert status().good
    responder.set_status(leaf.serial_number, CertStatus.UNKNOWN)
    assert status().status is CertStatus.UNKNOWN
    # A serial the PKI never issued is unknown.
    never = RequestBuilder().add_cert_id(ocspkit.CertID.from_issuer(issuer, 999_999)).build()
    assert ocspkit.load_response(fetch(responder.url, never)).responses[0].cert_status is CertStatus.UNKNOWN
    with pytest.raises(ocspkit.OCSPValueError):
        responder.set_status(leaf, "good", reason=1)
    with pytest.raises(ocspkit.OCSPValueError):
        responder.answer_with("later")

    responder.answer_with(ocspkit.ResponseStatus.INTERNAL_ERROR)
    with pytest.raises(ocspkit.UnsuccessfulResponse):
        status()
    responder.answer_with(pki.scenario("expired", cert=leaf).response_der)
    with pytest.raises(ocspkit.StaleResponse):
        status("POST", plain)

    assert responder.request_count == 10
    responder.revoke(leaf)
    responder.clear()
    assert responder.requests == [] and responder.request_count == 0
    assert status().good  # the statuses were reset too


def test_repeated_gets_are_recorded_and_answer_with_applies_at_once(responder: InProcessResponder,
                                                                      pki: TestPKI) -> None:
    # The service keeps whole GET replies for a second; the test responder must not, or a repeated
    # GET would go unrecorded and answer_with() would wait for the next second.
    leaf = pki.issue_leaf("repeat.example")
    plain = RequestBuilder().add_cert(leaf.certificate, pki.intermediate.certificate).build()
    for _ in range(3):
        assert ocspkit.check_status(fetch(responder.url, plain, "GET"), leaf.certificate,
                                    pki.intermediate.certificate).good
    responder.answer_with("try-later")
    assert ocspkit.load_response(fetch(responder.url, plain, "GET")).response_status is ocspkit.ResponseStatus.TRY_LATER
    assert responder.request_count == 4


def test_garbage_is_answered_malformed_request(responder: InProcessResponder) -> None:
    http_request = urllib.request.Request(
        responder.url, data=b"\x30\x03\x02\x01\x00", headers={"Content-Type": "application/ocsp-request"}
    )
    with urllib.request.urlopen(http_request, timeout=10) as reply:
        assert ocspkit.load_response(reply.read()).response_status is ocspkit.ResponseStatus.MALFORMED_REQUEST
    assert responder.request_count == 1 and responder.requests == []


def test_signed_by_the_ca_and_by_key(pki: TestPKI) -> None:
    served = InProcessResponder(pki, signer="ca", responder_id="key", validity=None)
    assert repr(served) == "<InProcessResponder not started>"
    with pytest.raises(RuntimeError, match="not started"):
        served.url  # noqa: B018
    with served as url:
        assert repr(served) == f"<InProcessResponder {url}>"
        leaf = served.issue_leaf("ca.example")
        request = RequestBuilder().add_cert(leaf.certificate, pki.intermediate.certificate).build()
        response = ocspkit.load_response(fetch(url, request))
        assert response.responder_id.key_hash == ocspkit.crypto.key_hash(pki.intermediate.certificate.public_key)
        assert response.responses[0].next_update is None
        result = ocspkit.check_status(response, leaf.certificate, pki.intermediate.certificate)
        assert result.verdict.authorization is ocspkit.Authorization.ISSUER
    served.stop()  # idempotent
    with pytest.raises(ocspkit.OCSPValueError):
        InProcessResponder(pki, signer="root")


def test_a_fixed_clock(pki: TestPKI) -> None:
    then = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(hours=5)
    served = pki.serve(clock=lambda: then)
    with served as url:
        leaf = served.issue_leaf("clock.example")
        served.revoke(leaf)
        request = RequestBuilder().add_cert(leaf.certificate, pki.intermediate.certificate).build()
        response = ocspkit.load_response(fetch(url, request))
    single = response.responses[0]
    assert response.produced_at == then == single.this_update == single.revocation_time


def test_many_clients_at_once(responder: InProcessResponder, pki: TestPKI) -> None:
    from concurrent.futures import ThreadPoolExecutor

    leaves = [pki.issue_leaf(f"c{i}.example", private_key=pki.shared_leaf_key) for i in range(8)]
    for leaf in leaves[::2]:
        responder.revoke(leaf)
    issuer = pki.intermediate.certificate

    def ask(leaf: object) -> CertStatus:
        cert = leaf.certificate  # type: ignore[attr-defined]
        request = RequestBuilder().add_cert(cert, issuer).with_nonce().build()
        return ocspkit.check_status(fetch(responder.url, request), cert, issuer, request=request).status

    with ThreadPoolExecutor(8) as pool:
        statuses: List[CertStatus] = list(pool.map(ask, leaves))
    assert statuses == [CertStatus.REVOKED, CertStatus.GOOD] * 4
