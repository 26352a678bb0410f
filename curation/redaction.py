"""Secrets cut out of everything the CLI prints.

A token can reach a message by many roads: pasted as ``--repo-id`` and echoed in
"not ORG/NAME", quoted by the Hub in an error, held in a path or a URL. Rather than
guard each message, :mod:`curation.cli` passes everything it prints through
:func:`redact`, which replaces

- the tokens huggingface_hub would use here (``HF_TOKEN``, the login's token),
  whatever they look like;
- anything shaped like a token: Hugging Face ``hf_…``, GitHub, GitLab, Slack, AWS
  and OpenAI-style keys, JSON web tokens, and long base64-like strings that mix
  upper case, lower case and digits.

Lower-case hexadecimal is left alone on purpose: it is what the tool itself reports
(sha256 digests, git commits, seed ids), and a message without them is useless.
"""

from __future__ import annotations

import io
import os
import re
import sys
from typing import TextIO

# Environment variables huggingface_hub reads a token from.
TOKEN_VARIABLES = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")

REDACTED = "***"

# Token formats with a published prefix, then the generic shape of a random secret.
# The generic one needs 32 characters (a 192-bit secret in base64) with upper case,
# lower case and a digit, so that words, paths, ids and hex digests do not match.
_TOKEN_SHAPES = re.compile(
    r"hf_[A-Za-z0-9]{8,}"
    r"|(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}"
    r"|github_pat_[A-Za-z0-9_]{20,}"
    r"|glpat-[A-Za-z0-9_-]{20,}"
    r"|xox[abprs]-[A-Za-z0-9-]{10,}"
    r"|sk-[A-Za-z0-9_-]{20,}"
    r"|(?:AKIA|ASIA)[0-9A-Z]{16}"
    r"|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
    r"|(?<![A-Za-z0-9+_-])(?=[A-Za-z0-9+_-]*[A-Z])(?=[A-Za-z0-9+_-]*[a-z])"
    r"(?=[A-Za-z0-9+_-]*[0-9])[A-Za-z0-9+_-]{32,}=*"
)

# Very short values are not tokens, and replacing them would mangle messages.
_MIN_SECRET_LENGTH = 8


def secrets() -> list[str]:
    """Every token huggingface_hub could use here, longest first, to cut out of messages.

    The login's token is looked up only once huggingface_hub is loaded: only it reads
    that token, and `curation check` (a commit hook) must not pay for importing it.
    """
    found = [os.environ.get(name, "") for name in TOKEN_VARIABLES]
    if "huggingface_hub" in sys.modules:
        try:
            from huggingface_hub import get_token

            found.append(get_token() or "")
        except Exception:  # a broken token file must not hide the real error
            pass
    return sorted({s for s in found if len(s) >= _MIN_SECRET_LENGTH}, key=len, reverse=True)


def redact(text: str, known: list[str] | None = None) -> str:
    """``text`` with every token (``known``, default :func:`secrets`) replaced by ``***``.

    >>> redact("401 for token hf_abcdefghijklmnop: bad", known=[])
    '401 for token ***: bad'
    >>> redact("not ORG/NAME: 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg'", known=[])
    "not ORG/NAME: '***'"
    >>> redact("sha256 3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea", known=[])
    'sha256 3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea'
    """
    for secret in secrets() if known is None else known:
        text = text.replace(secret, REDACTED)
    return _TOKEN_SHAPES.sub(REDACTED, text)


class RedactingStream(io.TextIOBase):
    """A text stream that writes to ``target`` what it is given, secrets cut out.

    The secrets are looked up at the first write (after the command has loaded what
    it needs), not at every write.
    """

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self._target = target
        self._secrets: list[str] | None = None

    @property
    def unredacted(self) -> TextIO:
        """The stream underneath, for output that is data rather than a message."""
        return self._target

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self._secrets is None:
            self._secrets = secrets()
        self._target.write(redact(text, self._secrets))
        return len(text)

    def flush(self) -> None:
        self._target.flush()

    def isatty(self) -> bool:
        return bool(self._target.isatty())

    def fileno(self) -> int:
        """The target's descriptor (what a child process writes to is not redacted)."""
        return self._target.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]  # TextIOBase declares it read-only
        return self._target.encoding
