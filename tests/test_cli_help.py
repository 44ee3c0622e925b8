"""Every help text works for an installed package (issue 15, 3.7): none points to docs/*.md (a
``pip install`` has no docs directory), and every pointer to another help text (``ocspkit -help``,
``ocspkit serve --help-config``, ``ocspkit store revoke --help`` ...) names one that exists. The
configuration reference that ``serve --help-config`` prints names every key the loader accepts.
"""

from __future__ import annotations

import argparse
import re
from typing import Any, Dict, Iterator, List, Sequence, Tuple

from ocspkit import cli
from ocspkit.cli.subcommands import COMMANDS, build_parser
from ocspkit.responder import config

# A pointer to another help text: "ocspkit [words] --help", "-help" or "--help-config".
POINTER = re.compile(r"\bocspkit((?: [a-z][a-z-]*)*) (--help-config|--help|-help)\b")
# What an installed package lacks: the repository's docs, by path or by file name.
DOCS = re.compile(r"docs/|\b[\w-]+\.md\b")


def commands(parser: argparse.ArgumentParser, path: Tuple[str, ...] = ()) -> Iterator[Tuple[str, ...]]:
    """Every command path of the parser, subcommands of subcommands included (store revoke ...)."""
    yield path
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, (*path, name))


def help_of(argv: Sequence[str], capsys: Any) -> str:
    assert cli.main(list(argv)) == 0, argv
    captured = capsys.readouterr()
    assert captured.err == "", argv
    assert captured.out, argv
    return " ".join(captured.out.split())  # argparse wraps lines: pointers are matched unwrapped


ALL_COMMANDS = list(commands(build_parser()))


def every_help(capsys: Any) -> Dict[str, str]:
    """Each help text, by the command line that prints it."""
    texts = {}
    for path in ALL_COMMANDS:
        for flag in ("--help", "-help") if path else ("--help",):
            argv = [*path, flag]
            texts[" ".join(argv)] = help_of(argv, capsys)
    for argv in (["-help"], ["ocsp", "-help"], ["serve", "--help-config"]):
        texts[" ".join(argv)] = help_of(argv, capsys)
    return texts


def test_every_command_has_both_helps(capsys: Any) -> None:
    assert {path[0] for path in ALL_COMMANDS if path} == set(COMMANDS)
    assert ("store", "revoke") in ALL_COMMANDS
    for path in ALL_COMMANDS:
        if path:
            assert help_of([*path, "-help"], capsys) == help_of([*path, "--help"], capsys)


def test_no_help_text_points_to_docs(capsys: Any) -> None:
    found: List[str] = []
    for argv, text in every_help(capsys).items():
        found.extend(f"{argv}: {match.group(0)}" for match in DOCS.finditer(text))
    assert not found


def test_every_pointer_resolves(capsys: Any) -> None:
    texts = every_help(capsys)
    pointers = set()
    for argv, text in texts.items():
        for match in POINTER.finditer(text):
            pointers.add((argv, (*match.group(1).split(), match.group(2))))
    assert pointers, "no pointer found: the pattern no longer matches the help texts"
    for argv, target in sorted(pointers):
        shown = " ".join(target)
        assert shown in texts or cli.main(list(target)) == 0, f"{argv} points to 'ocspkit {shown}'"
        capsys.readouterr()
    # The pointers the help texts are expected to make, each found.
    made = {target for _, target in pointers}
    assert {("-help",), ("serve", "--help-config"), ("store", "revoke", "--help")} <= made


def test_an_unsupported_option_points_to_help(capsys: Any) -> None:
    assert cli.main(["-multi", "2"]) == 1
    err = capsys.readouterr().err
    assert "-help lists the options it supports" in err
    assert not DOCS.search(err)


def test_the_configuration_reference_names_every_key(capsys: Any) -> None:
    text = help_of(["serve", "--help-config"], capsys)
    assert text == " ".join(config.REFERENCE.split())
    keys = (set(config._ISSUER_KEYS) | set(config._RESPONDER_KEYS) | {"host", "port", "limit_max_requests"}
            | {"type", "path", "issuer", "check_interval"})
    missing = sorted(key for key in keys if not re.search(rf"\b{key} =", config.REFERENCE))
    assert not missing
    for section in ("[server]", "[responder]", "[[issuer]]"):
        assert section in config.REFERENCE
