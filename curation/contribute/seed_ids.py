"""Seed ids: ``<running number>_<16 hex digits>``, numbers never reused.

A new seed gets the number after the highest one *ever* used, not after the
highest one in ``seeds/`` today: a removed seed's number stays retired, so a
record id (``<seed id>-<part>``) never names two different texts in two versions
of the dataset. The highest number ever used is kept in ``seeds/.last-id``, a
tracked file of one line (``004``). Because every pull request that adds a seed
changes that line, two pull requests that took the same number conflict in git,
and the second one is re-run with ``curation add-seed`` after a rebase instead of
merging a collision.

The hex part of a new seed is the start of its file's sha256. Seeds from before
this rule (000–004) keep their ids: an id is never renamed, and a seed whose text
is corrected later keeps its id while its sha256 changes, so the hex part is not
checked against the file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from curation.errors import Problem
from curation.seeds import SEED_ID, Seed

LAST_ID_FILE = ".last-id"
_LAST_ID_LINE = re.compile(r"^([0-9]{3,})\n?$")
# Numbers are written with at least three digits (000, 001, ... 999, 1000).
NUMBER_DIGITS = 3


def seed_number(seed_id: str) -> int:
    """The running number of a seed id.

    >>> seed_number("004_b57d5ccfbe06e458")
    4
    """
    return int(seed_id.split("_", 1)[0])


def new_seed_id(number: int, sha256: str) -> str:
    """The id of a new seed: its number, then the first 16 hex digits of its sha256.

    >>> new_seed_id(5, "0123456789abcdef" * 4)
    '005_0123456789abcdef'
    """
    seed_id = f"{number:0{NUMBER_DIGITS}d}_{sha256[:16]}"
    assert SEED_ID.match(seed_id), seed_id
    return seed_id


def read_last_number(seeds_dir: Path) -> tuple[int | None, list[Problem]]:
    """The number in ``seeds/.last-id``; None (and no problem) when the file is absent."""
    path = seeds_dir / LAST_ID_FILE
    if path.is_symlink() or (path.exists() and not path.is_file()):
        return None, [Problem(str(path), "must be a regular file holding one number, e.g. 004")]
    if not path.exists():
        return None, []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        text = ""
    match = _LAST_ID_LINE.match(text)
    if match is None:
        return None, [
            Problem(
                str(path),
                f"must hold one number of at least three digits and nothing else, "
                f"found {text[:40]!r}",
                "write the highest seed number ever used, e.g. `004`",
            )
        ]
    return int(match.group(1)), []


def last_id_text(number: int) -> str:
    return f"{number:0{NUMBER_DIGITS}d}\n"


def id_problems(seeds: Sequence[Seed], seeds_dir: Path) -> list[Problem]:
    """Numbers used twice, and a ``.last-id`` that is missing or behind the seeds."""
    problems: list[Problem] = []
    by_number: dict[int, list[str]] = defaultdict(list)
    for seed in seeds:
        by_number[seed_number(seed.id)].append(seed.id)
    for number, ids in sorted(by_number.items()):
        if len(ids) > 1:
            for seed_id in ids:
                others = ", ".join(i for i in ids if i != seed_id)
                problems.append(
                    Problem(
                        str(seeds_dir / f"{seed_id}.txt"),
                        f"seed number {number:0{NUMBER_DIGITS}d} is also used by {others}: "
                        "ids collide (two pull requests took the same number?)",
                        "keep the seed that was merged first; remove the other one and its "
                        "sidecar and add its text again with `curation add-seed`",
                    )
                )
    last, problems_last = read_last_number(seeds_dir)
    problems += problems_last
    highest = max(by_number, default=None)
    path = seeds_dir / LAST_ID_FILE
    if last is None and not problems_last and highest is not None:
        problems.append(
            Problem(
                str(path),
                "missing: it records the highest seed number ever used, so that numbers "
                "of removed seeds are never given out again",
                f"create it holding the highest number ever used (at least "
                f"{highest:0{NUMBER_DIGITS}d}): `echo {highest:0{NUMBER_DIGITS}d} > {path}`",
            )
        )
    elif last is not None and highest is not None and highest > last:
        problems.append(
            Problem(
                str(path),
                f"says {last:0{NUMBER_DIGITS}d} but seed number {highest:0{NUMBER_DIGITS}d} "
                "exists: a seed was added without `curation add-seed`",
                f"write {highest:0{NUMBER_DIGITS}d} into it",
            )
        )
    return problems


def next_number(seeds: Sequence[Seed], last: int | None) -> int:
    """One more than the highest number ever used (``.last-id``) or present."""
    highest = max((seed_number(s.id) for s in seeds), default=-1)
    return max(highest, last if last is not None else -1) + 1
