"""The fuzz harness (tests/fuzz) works, and can fail: deterministic mutations, each oracle fires
on a known case and stays quiet on a harmless one. Fast: an EC test PKI, a few dozen inputs."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
from fuzz import engine, mutators, oracles, tlv
from fuzz.corpus import Corpus, Item
from fuzz.targets import CaptureCLI, Runner

import ocspkit
from ocspkit.testing import TestPKI, make_scenario


@pytest.fixture(scope="module")
def pki() -> Any:
    with TestPKI("ec") as made:
        yield made


@pytest.fixture(scope="module")
def world(pki: Any) -> Dict[str, Any]:
    """A good response (the corpus), a revoked one signed by the same responder (not in it),
    and the oracle proven over the corpus."""
    leaf = pki.issue_leaf("fuzz.example", private_key=pki.shared_leaf_key)
    good = make_scenario("good", pki, cert=leaf, certs="chain")
    other = make_scenario("revoked", pki, cert=leaf, certs="chain")
    root, issuer = bytes(pki.root.cert_der), bytes(pki.intermediate.cert_der)
    item = Item("good", "response", bytes(good.response_der), trusted=(root,), untrusted=(issuer,),
                now=good.now, status=(bytes(leaf.cert_der), issuer, b""))
    certs = [root, issuer, bytes(pki.responder.cert_der), bytes(leaf.cert_der)]
    corpus = Corpus([item], [item.data], certs)
    return {"item": item, "corpus": corpus, "oracle": corpus.oracle(), "other": bytes(other.response_der),
            "kwargs": {"trusted": [pki.root.certificate], "untrusted": [pki.intermediate.certificate],
                       "now": good.now}}


def _runner(world: Dict[str, Any], tmp_path: Path, **options: Any) -> Runner:
    return Runner([world["item"]], world["oracle"], tmp_path, **options)


# --- mutations -----------------------------------------------------------------------------------


def test_mutations_are_deterministic_and_change_the_bytes(world: Dict[str, Any]) -> None:
    data = world["item"].data
    first = [mutators.Mutator([data]).mutate(data, random.Random(seed)) for seed in range(60)]
    again = [mutators.Mutator([data]).mutate(data, random.Random(seed)) for seed in range(60)]
    assert first == again
    outputs = [out for out, _ in first]
    assert sum(out != data for out in outputs) >= 55
    assert len(set(outputs)) >= 50
    assert all(ops for _, ops in first)


def test_the_tree_reencodes_exactly_and_each_asn1_mutation_applies(world: Dict[str, Any]) -> None:
    data = world["item"].data
    tree = tlv.parse_tree(data)
    assert tree is not None and tree.encode() == data
    mutator = mutators.Mutator([data])
    for name, mutation, _ in mutators.TREE_MUTATIONS:
        changed = False
        for seed in range(40):
            tree = tlv.parse_tree(data)
            assert tree is not None
            rng = random.Random(seed)
            if mutation(rng, tree, list(tlv.walk(tree)), mutator) and tree.encode() != data:
                changed = True
                break
        assert changed, name


def test_asn1_mutations_make_what_they_say() -> None:
    data = tlv.tlv(0x30, tlv.tlv(0x04, b"\x01" * 10) + tlv.tlv(0x02, b"\x05") + tlv.tlv(0x18, b"20240101000000Z"))
    tree = tlv.parse_tree(data)
    assert tree is not None
    nodes = list(tlv.walk(tree))
    assert mutators.constructed_string(random.Random(1), tree, nodes, mutators.Mutator([]))
    assert b"\x24" in tree.encode()  # the OCTET STRING is now constructed
    tree = tlv.parse_tree(data)
    assert tree is not None
    assert mutators.huge_integer(random.Random(5), tree, list(tlv.walk(tree)), mutators.Mutator([]))
    assert len(tree.encode()) != len(data)
    wrapped, name = mutators.pem_wrap(random.Random(0), data)
    assert name.startswith("pem") and b"-----BEGIN" in wrapped


# --- the foreign and slow oracles ----------------------------------------------------------------


def test_a_foreign_exception_is_found_and_an_ocsp_error_is_not(world: Dict[str, Any], tmp_path: Path) -> None:
    runner = _runner(world, tmp_path, timeout=2.0, slow=1.0)

    def foreign() -> None:
        raise KeyError("boom")

    def expected() -> None:
        raise ocspkit.ParseError("malformed")

    assert runner.call("foreign", foreign) == (False, None)
    assert runner.call("expected", expected) == (False, None)
    assert runner.call("fine", lambda: 42) == (True, 42)
    assert [(f.category, f.target, f.exc_type) for f in runner.findings] == [("foreign", "foreign", "KeyError")]
    assert runner.findings[0].frame == "<outside ocspkit>"
    assert "KeyError" in runner.findings[0].traceback


def test_the_innermost_ocspkit_frame_names_the_culprit() -> None:
    with pytest.raises(ocspkit.ParseError) as caught:
        ocspkit.load_response(b"\x30\x03\x0a\x01")
    frame = oracles.innermost_frame(caught.value.__traceback__)
    assert frame.startswith("ocspkit/") and ".py:" in frame


def test_a_slow_target_is_found(world: Dict[str, Any], tmp_path: Path) -> None:
    runner = _runner(world, tmp_path, timeout=0.5, slow=0.1)
    start = time.perf_counter()
    runner.call("sleepy", lambda: time.sleep(0.25))  # over the threshold twice: slow
    runner.call("hangs", lambda: time.sleep(30))  # the time limit ends it
    runner.call("quick", lambda: None)
    assert time.perf_counter() - start < 3
    assert [(f.category, f.target, f.exc_type) for f in runner.findings] == [
        ("slow", "sleepy", "Slow"), ("slow", "hangs", "Timeout")]


def test_the_cli_target_captures_output_and_exit_codes(tmp_path: Path) -> None:
    path = tmp_path / "garbage.der"
    path.write_bytes(b"\x30\x80garbage")
    cli = CaptureCLI()
    assert cli(["-respin", str(path), "-resp_text", "-noverify", "-no-CAfile", "-no-CApath", "-no-CAstore"]) != 0
    assert cli(["show", str(path)]) != 0
    assert cli(["show", "--no-such-option"]) == 2  # argparse's SystemExit(2) is an exit, not a failure


# --- the tampering oracle ------------------------------------------------------------------------


def _verify(world: Dict[str, Any], data: bytes) -> Tuple[Any, Any]:
    view = ocspkit.load_response(data)
    return view, ocspkit.verify_response(view, **world["kwargs"])


def test_an_unmutated_response_is_not_tampered(world: Dict[str, Any]) -> None:
    data = world["item"].data
    view, verdict = _verify(world, data)
    assert world["oracle"].check_response(data, view, verdict) == []


def test_a_response_signed_again_by_a_trusted_key_is_tampered(world: Dict[str, Any]) -> None:
    """Another content, signed by the same (trusted) responder but not in the corpus: ocspkit is
    right to verify it, and the oracle is right to say it is not the corpus's signed data, which
    is what a mutation that verifies would look like."""
    view, verdict = _verify(world, world["other"])
    reasons = world["oracle"].check_response(world["other"], view, verdict)
    assert reasons and "not those of any proven response" in reasons[0]


class _Basic:
    def __init__(self, tbs: bytes, unused: int, signature: bytes) -> None:
        self.tbs_response_data_bytes, self.signature_unused_bits, self.signature = tbs, unused, signature


class _View:
    def __init__(self, basic: _Basic) -> None:
        self.basic = basic


class _Verdict:
    def __init__(self, chain: List[Any]) -> None:
        self.chain = chain


class _Cert:
    def __init__(self, der: bytes) -> None:
        self.der = der

    def dump(self) -> bytes:
        return self.der


def test_changed_signed_bytes_or_certificates_are_tampered(world: Dict[str, Any]) -> None:
    data = world["item"].data
    parts = oracles.response_parts(data)
    assert parts is not None
    oracle = world["oracle"]
    flipped = bytearray(parts.tbs)
    flipped[-1] ^= 1
    # ocspkit reporting (and having verified) changed tbs bytes
    reasons = oracle.check_response(data, _View(_Basic(bytes(flipped), 0, parts.signature)), _Verdict([]))
    assert any("not those of any proven" in r for r in reasons)
    # ocspkit reporting the genuine bytes while the message holds others (a parser differential)
    mutated = data.replace(parts.tbs, bytes(flipped))
    reasons = oracle.check_response(mutated, _View(_Basic(parts.tbs, 0, parts.signature)), _Verdict([]))
    assert reasons == ["ocspkit verified other signed bytes than the message holds as encoded (harness reader)"]
    # a chain certificate whose signatureAlgorithm was changed (parameters added)
    cert = parts.certs[0]
    cert_tree = tlv.parse_tree(cert)
    assert cert_tree is not None and cert_tree.nodes[0].kids is not None
    algorithm = cert_tree.nodes[0].kids[1]
    assert algorithm.kids is not None
    algorithm.kids.append(tlv.Node.leaf(0x05, b""))
    reasons = oracle.check_response(data, _View(_Basic(parts.tbs, 0, parts.signature)),
                                    _Verdict([_Cert(cert_tree.encode())]))
    assert reasons and "signatureAlgorithm" in reasons[0]
    # the genuine certificate, with a non-minimal (BER) header: not tampering
    assert cert[1] == 0x82
    ber = b"\x30\x84\x00\x00" + cert[2:]
    assert oracle.check_response(data, _View(_Basic(parts.tbs, 0, parts.signature)), _Verdict([_Cert(ber)])) == []


def _child(node: tlv.Node, *path: int) -> tlv.Node:
    for index in path:
        assert node.kids is not None
        node = node.kids[index]
    return node


def test_unsigned_changes_are_not_tampered(world: Dict[str, Any]) -> None:
    """The envelope in indefinite-length BER with a constructed OCTET STRING, and an extra
    certificate nobody uses: ocspkit verifies both, the oracle sees no tampering."""
    data = world["item"].data
    tree = tlv.parse_tree(data)
    assert tree is not None
    top = tree.nodes[0]
    top.indefinite = True
    response_bytes = _child(top, 1, 0)
    value = _child(response_bytes, 1).content()
    pieces = tlv.tlv(0x04, value[:100]) + tlv.tlv(0x04, value[100:])
    assert response_bytes.kids is not None
    response_bytes.kids[1] = tlv.Node.opaque(b"\x24\x80" + pieces + b"\x00\x00")
    ber = tree.encode()
    view, verdict = _verify(world, ber)
    assert view.deviations
    assert world["oracle"].check_response(ber, view, verdict) == []

    tree = tlv.parse_tree(data)
    assert tree is not None
    basic = _child(tree.nodes[0], 1, 0, 1, 0)  # responseBytes.response's BasicOCSPResponse
    certs_seq = _child(basic, 3, 0)  # [0] EXPLICIT SEQUENCE OF Certificate
    root_tree = tlv.parse_tree(world["corpus"].certs[0])
    assert certs_seq.kids is not None and root_tree is not None
    certs_seq.kids.append(root_tree.nodes[0])
    extra = tree.encode()
    view, verdict = _verify(world, extra)
    assert len(view.certs) == len(ocspkit.load_response(data).certs) + 1
    assert world["oracle"].check_response(extra, view, verdict) == []


def test_a_mutant_the_harness_signed_again_verifies_and_is_not_tampered(pki: Any, world: Dict[str, Any]) -> None:
    item = world["item"]
    key = bytes(pki.responder.key_der)
    signer = engine.Signer()
    oracle = world["oracle"]
    for seed in range(200):
        made = mutators.resign(item.data, "response", random.Random(seed), mutators.Mutator([item.data]),
                               lambda tbs, algorithm: signer(key, tbs, algorithm))
        assert made is not None
        data, ops, parts = made
        assert ops[-1] == "resigned"
        try:
            view, verdict = _verify(world, data)
        except ocspkit.OCSPError:
            continue
        oracle.sign_for_input([("response", parts)])
        assert oracle.check_response(data, view, verdict) == []
        oracle.sign_for_input([])  # unknown to the oracle: it is not the corpus's signed data
        assert oracle.check_response(data, view, verdict)
        return
    pytest.fail("no re-signed mutant verified")


# --- the whole loop ------------------------------------------------------------------------------


def test_one_input_runs_every_target_and_a_short_run_reports(world: Dict[str, Any], tmp_path: Path) -> None:
    runner = _runner(world, tmp_path)
    assert runner.run_input(world["item"].data, 0, everything=True) == []
    assert runner.stats["verify_response"].ok == 1 and runner.stats["check_status"].ok == 1
    assert runner.verified == 2
    engine.share(world["corpus"], world["oracle"])
    options = engine.Options(progress=1e9)
    first = engine.fuzz_worker(0, 7, 12, None, str(tmp_path / "out"), options)
    again = engine.fuzz_worker(0, 7, 12, None, str(tmp_path / "out"), options)
    assert first.inputs == again.inputs == 12
    assert first.stats["load_response"].ok == again.stats["load_response"].ok
    assert engine.report([first], 1.0, tmp_path / "out", seed=7, verbose=False) in (0, 1)
