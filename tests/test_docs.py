"""The docs cannot drift: every command has help and a README entry; CI runs the README's tests."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from curation.cli import make_parser

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = make_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_readme_opens_with_the_build_and_the_test_command() -> None:
    first_block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert first_block is not None
    assert README.index(first_block.group(0)) < README.index("\n## ")
    commands = first_block.group(1).strip().splitlines()
    assert len(commands) == 2
    assert commands[0].endswith("nox -s build")
    assert commands[1].endswith("nox -s tests")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_has_help_and_docs(name: str) -> None:
    parser = subcommands()[name]
    assert parser.description, f"`curation {name}` has no description"
    for action in parser._actions:
        if action.dest != "help":
            assert action.help, f"`curation {name}` option {action.option_strings} has no help"
    assert f"curation {name}" in README, f"README does not document `curation {name}`"


def test_every_nox_session_is_documented() -> None:
    noxfile = (REPO / "noxfile.py").read_text(encoding="utf-8")
    sessions = re.findall(r"@nox\.session\([^)]*\)\ndef (\w+)", noxfile)
    assert sessions
    for session in sessions:
        assert f"`{session}`" in README, f"README does not document nox session {session}"
