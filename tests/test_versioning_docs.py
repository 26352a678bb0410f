"""The versioning rule reads the same in the card (from the code), README and CONTRIBUTING."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from curation.release.versioning import VERSIONING_RULE

REPO = Path(__file__).resolve().parent.parent


def _bumps(text: str) -> list[str]:
    return re.findall(r"\b(PATCH|MINOR|MAJOR)\b[^\n]*?(\d\.\d\.\d) → (\d\.\d\.\d)", text)


@pytest.mark.parametrize("document", ["README.md", "CONTRIBUTING.md"])
def test_rule_is_documented(document: str) -> None:
    text = (REPO / document).read_text(encoding="utf-8")
    assert _bumps(text) == _bumps(VERSIONING_RULE)
    assert "TensorFlow Datasets" in text
