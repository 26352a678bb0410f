"""What a cleaning step is.

A step is a named, versioned, pure and deterministic function of one record (and
the rules). Most steps are *text* steps: a function ``str -> list[Change]`` that
says which spans of the text to replace and why; :func:`text_step` wraps it so the
record gets the new text and the changes land in its provenance. Steps that split
or drop records return several records or a :class:`Drop` with a reason.

Published behaviour never changes under a step id: a step that changes what it does
bumps ``version`` (``repair_layout_v1`` -> ``repair_layout_v2``).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from curation.record import Change, Record
from curation.rules import RuleSet


@dataclass(frozen=True, slots=True)
class Drop:
    """A record-level decision to remove a record, with a stable snake_case reason."""

    record: Record
    reason: str


StepOutput = Sequence[Record] | Drop


@dataclass(frozen=True, slots=True)
class Step:
    """A pipeline step: ``run(record, rules)`` returns the record(s) that replace it."""

    name: str
    version: int
    description: str
    run: Callable[[Record, RuleSet], StepOutput]
    rules_files: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.name}_v{self.version}"


TextFunction = Callable[[str, Record, RuleSet], Sequence[Change]]


def text_step(
    name: str,
    version: int,
    description: str,
    find_changes: TextFunction,
    rules_files: tuple[str, ...] = (),
) -> Step:
    """Make a :class:`Step` from a function that only proposes changes to the text.

    ``find_changes(text, record, rules)`` reads the record for context (its declared
    languages, say) but must not depend on anything else.
    """
    step_id = f"{name}_v{version}"

    def run(record: Record, rules: RuleSet) -> StepOutput:
        return (record.with_changes(step_id, find_changes(record.text, record, rules)),)

    return Step(name, version, description, run, rules_files)


def text_digest(text: str) -> bytes:
    """A text's identity for a memo: 128 bits of BLAKE2b over its UTF-8 (lone
    surrogates, which a str may hold, kept), with its length.

    A step may remember what a pure function of a text found, by this digest: the
    memo holds no text, and the same text always gets the same answer.
    """
    data = text.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).digest() + len(data).to_bytes(8, "big")


_Key = TypeVar("_Key", bound=Hashable)
_Value = TypeVar("_Value")


def remembered(
    memo: OrderedDict[_Key, _Value], key: _Key, limit: int, compute: Callable[[], _Value]
) -> _Value:
    """``memo[key]``, made by ``compute()`` when missing; past ``limit`` entries the least
    recently asked is dropped. For the memos of a step's pure work: an answer that is a
    function of its key alone (a text's digest, the rules), so a hit is what ``compute``
    would give."""
    found = memo.get(key)
    if found is None:
        found = memo[key] = compute()
        if len(memo) > limit:
            memo.popitem(last=False)
    else:
        memo.move_to_end(key)
    return found
