"""No message the CLI prints shows a token: redacted in one place, curation.redaction.

Tokens pasted where they do not belong (``--repo-id``, a stray argument, a path)
are echoed by error messages; every line the CLI prints, on stdout and stderr,
argparse's own errors included, passes through :func:`curation.redaction.redact`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest

from curation.cli import main
from curation.redaction import redact
from tests.test_build import SEEDS

HUB_TOKEN = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
BASE64_SECRET = "Zm9vYmFyQmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg7"


@pytest.fixture(autouse=True)
def no_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))  # no login token either
    monkeypatch.setenv("CURATION_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit:  # argparse's usage errors
            code = int(exit.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("secret", [HUB_TOKEN, BASE64_SECRET], ids=["hub_token", "base64"])
def test_a_token_pasted_as_repo_id_is_not_echoed(secret: str, tmp_path: Path) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run("publish", "--repo-id", secret, "--dry-run")
    assert code == 2
    assert "--repo-id: not ORG/NAME: '***'" in err
    assert secret not in out + err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_the_environment_token_is_cut_out_whatever_its_shape(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HF_TOKEN", "plain-secret-value")
    code, out, err = run("publish", "--repo-id", "plain-secret-value")
    assert code == 2
    assert "plain-secret-value" not in out + err and "'***'" in err


def test_argparse_errors_are_redacted_too() -> None:
    code, out, err = run("check", HUB_TOKEN)
    assert code == 2
    assert "unrecognized arguments: ***" in err
    assert HUB_TOKEN not in out + err


def test_stdout_is_redacted_and_digests_are_kept(tmp_path: Path) -> None:
    """A folder named like a token is cut out of the success line; sha256 digests are not."""
    seeds = tmp_path / HUB_TOKEN / "seeds"
    shutil.copytree(SEEDS, seeds)
    code, out, err = run("check", "--no-cache", "--seeds", str(seeds))
    assert code == 0, err
    assert f"{tmp_path}/***/seeds/: 5 seeds, no problems" in out
    assert HUB_TOKEN not in out + err
    # A damaged seed: the message quotes two sha256 digests, which stay readable.
    first = sorted(seeds.glob("*.txt"))[0]
    first.write_bytes(first.read_bytes() + b"!")
    declared = json.loads(first.with_suffix(".json").read_text(encoding="utf-8"))["sha256"]
    code, out, err = run("check", "--no-cache", "--seeds", str(seeds))
    assert code == 2
    assert declared in err and hashlib.sha256(first.read_bytes()).hexdigest() in err


@pytest.mark.parametrize(
    "text",
    [
        "ghp_" + "A1b2" * 9,
        "github_pat_11ABCDEFG0123456789_abcdefghij",
        "glpat-" + "xY9" * 8,
        "AKIA" + "ABCDEFGHIJ234567",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "sk-" + "proj" * 6,
    ],
)
def test_known_token_shapes_are_redacted(text: str) -> None:
    assert redact(f"value: {text}.", known=[]) == "value: ***."


@pytest.mark.parametrize(
    "text",
    [
        "3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea",  # sha256
        "e5fe832c02a6f8babbd95bca65dd8a7c6c1b1234",  # a git commit
        "seeds/000_1d9f1a65aeae1940.txt",
        "/home/Alice/Projects2024/curation/seeds/005_0123456789abcdef.json#title",
        "normalize_unicode_v2/characters bidi_control ftfy_fix_encoding+restore_byte_a0",
        "https://huggingface.co/datasets/example-org/china-russia-digital-cooperation",
    ],
)
def test_what_the_tool_reports_is_not_taken_for_a_token(text: str) -> None:
    assert redact(text, known=[]) == text


def test_the_traceback_of_a_bug_is_redacted_and_exits_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unexpected exception quoting the token: its traceback is printed redacted."""
    monkeypatch.setenv("HF_TOKEN", "plain-secret-value")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the server said: bad token plain-secret-value")

    monkeypatch.setattr("curation.contribute.check.check", broken)
    code, out, err = run("check", "--no-cache")
    assert code == 1
    assert "Traceback (most recent call last)" in err
    assert "RuntimeError: the server said: bad token ***" in err
    assert "unexpected error, a bug in curation" in err
    assert "plain-secret-value" not in out + err


def test_a_system_error_is_one_redacted_line_naming_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Disk full or permission denied is not a bug: one line, no traceback, exit 1."""

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device", f"/tmp/{HUB_TOKEN}/x")

    monkeypatch.setattr("curation.contribute.check.check", full)
    code, out, err = run("check", "--no-cache")
    assert code == 1
    assert err == "curation check: [Errno 28] No space left on device: '/tmp/***/x'\n"
    assert out == ""
