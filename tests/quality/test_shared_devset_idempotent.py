"""strip_boilerplate run twice changes nothing, on every real page of the team's shared
development set (``../shared/devset/cases/*/input.txt``, beside the repository).

The property tests check idempotence on generated text; a real page has shapes no
generator draws (an article's own contents, a comment thread, a table a cell a line),
and a rule that keeps a line for what stands around it can drop it once what stood
around it is gone. The pages are not in this repository (see ``pages/README.md`` for
those that are), so without ``../shared`` the test is skipped, not passed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from curation.record import apply_changes
from curation.rules import load_rules
from curation.steps import strip_boilerplate

CASES = Path(__file__).resolve().parents[2].parent / "shared" / "devset" / "cases"
PAGES = sorted(CASES.glob("*/input.txt")) if CASES.is_dir() else []


def _strip(text: str) -> str:
    rules = load_rules()["boilerplate"]
    return apply_changes(text, strip_boilerplate.boilerplate_changes(text, rules, (), None))


@pytest.mark.skipif(not PAGES, reason=f"no shared development set at {CASES}")
@pytest.mark.parametrize("page", PAGES, ids=[p.parent.name for p in PAGES])
def test_strip_boilerplate_is_idempotent_on_a_real_page(page: Path) -> None:
    once = _strip(page.read_text(encoding="utf-8"))
    assert _strip(once) == once
