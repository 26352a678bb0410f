"""Everything a review shows about one seed, gathered without writing anything.

The seed goes through the record steps in memory (the same pipeline and rules as
``curation build``), then loses the lines that recur across its site's seeds
(``strip_recurring_lines``, counted over the whole corpus as the build counts
it). Its records are compared with what the rest of the corpus publishes (from
``dist/`` when it is current, rebuilt otherwise) and its raw text with the other
seeds' raw texts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curation.cache import RecordCache, load_checked_rules
from curation.contribute.cleaned_text import (
    CorpusMemos,
    clean_seed,
    count_recurring_lines,
    published_texts,
    readable_seed_records,
)
from curation.contribute.declared_language import detect_language
from curation.contribute.near_duplicates import Fingerprint, Neighbour, SignatureScan
from curation.corpus.recurring_lines import STEP_ID as RECURRING_STEP_ID
from curation.errors import InvalidInput, Problem
from curation.record import Record
from curation.review.edit_trace import EditTrace, trace_edits
from curation.review.paragraph_verdicts import ParagraphVerdict, paragraph_verdicts
from curation.rules import RuleSet
from curation.seeds import Seed, discover_seeds, load_seed, sidecar_validator
from curation.steps import PIPELINE
from curation.steps.identify_language import LanguageGuess, load_model_with

# How many of the most similar texts a review lists, even far below the threshold:
# enough to see what the corpus holds nearby, few enough to read.
NEIGHBOURS_SHOWN = 5


@dataclass(frozen=True)
class RecordReview:
    record: Record
    trace: EditTrace
    neighbours: list[Neighbour]  # published records of other seeds, most similar first
    same_text_as: str | None  # a record of another seed with the same text (dedup_exact)
    # strip_boilerplate's decision on each paragraph it saw, and why
    paragraphs: list[ParagraphVerdict] = field(default_factory=list)


@dataclass(frozen=True)
class SeedReview:
    seed: Seed
    raw: str
    sha256: str
    sidecar: dict[str, Any]
    records: list[RecordReview]
    drops: list[tuple[str, str]]
    raw_language: LanguageGuess
    raw_neighbours: list[Neighbour]  # other seeds' raw texts, most similar first
    corpus_origin: str  # where the other seeds' published texts came from

    @property
    def rules_fired(self) -> Counter[tuple[str, str]]:
        """(step, rule) -> how many edits, over every record (shared edits counted once)."""
        seen: set[tuple[int, int, str, str, str]] = set()
        counts: Counter[tuple[str, str]] = Counter()
        for review in self.records:
            for edit in review.record.provenance:
                key = (edit.start, edit.end, edit.step, edit.rule, edit.before)
                if key not in seen:
                    seen.add(key)
                    counts[(edit.step, edit.rule)] += 1
        return counts


@dataclass(frozen=True)
class SameSeed:
    """True for the record ids of one seed (its other parts are not its neighbours)."""

    seed_id: str

    def __call__(self, record_id: str) -> bool:
        return record_id.startswith(f"{self.seed_id}-")


def step_order() -> list[str]:
    """The ids of whatever edits a record's text, in the order the build runs them."""
    return [step.id for step in PIPELINE] + [RECURRING_STEP_ID]


def resolve_seed_ids(requested: list[str], seeds: Sequence[Seed]) -> list[Seed]:
    """Seeds by id, or by the path of their text or sidecar; every unknown one is reported."""
    by_id = {seed.id: seed for seed in seeds}
    chosen, problems = [], []
    for name in requested:
        seed_id = Path(name).stem if name.endswith((".txt", ".json")) else name
        if seed_id in by_id:
            if by_id[seed_id] not in chosen:
                chosen.append(by_id[seed_id])
        else:
            problems.append(
                Problem(name, "no such seed", "seed ids are the file names in seeds/ without .txt")
            )
    if problems:
        raise InvalidInput(problems)
    return chosen


def review_seeds(
    requested: list[str] | None,
    seeds_dir: Path,
    dist_dir: Path,
    rules: RuleSet | None = None,
    cache: RecordCache | None = None,
) -> list[SeedReview]:
    """Reviews of the requested seeds (every seed when ``requested`` is None).

    With a ``cache`` (:mod:`curation.cache`), seeds cleaned before are not cleaned again,
    and the language model is read decoded from it, as the build reads it.
    """
    if cache is None:
        return _review_seeds(requested, seeds_dir, dist_dir, rules, cache)
    with load_model_with(cache.language_model_memo().load):
        return _review_seeds(requested, seeds_dir, dist_dir, rules, cache)


def _review_seeds(
    requested: list[str] | None,
    seeds_dir: Path,
    dist_dir: Path,
    rules: RuleSet | None,
    cache: RecordCache | None,
) -> list[SeedReview]:
    rules = rules or load_checked_rules(cache)
    seeds, _folder_problems = discover_seeds(seeds_dir)  # `curation check` reports those
    chosen = seeds if requested is None else resolve_seed_ids(requested, seeds)
    validator = sidecar_validator()
    problems: list[Problem] = []
    loaded = []
    for seed in chosen:
        text, sidecar, digest, seed_problems = load_seed(seed, validator)
        problems += seed_problems
        loaded.append((seed, text, sidecar, digest))
    if problems:
        raise InvalidInput(problems)

    known_valid = cache.valid_sidecars() if cache else ()
    records, digests, _ = readable_seed_records(seeds, known_valid)
    recurring = count_recurring_lines(records, rules)
    corpus = published_texts(records, digests, dist_dir, rules, cache, recurring=recurring)
    memos = CorpusMemos(cache, rules)
    raw_index = SignatureScan(memos.fingerprint(r.seed_id, r.text) for r in records)
    published_index = SignatureScan(memos.fingerprint(t.record_id, t.text) for t in corpus.texts)
    first_with_digest: dict[bytes, str] = {}
    for published in corpus.texts:
        first_with_digest.setdefault(memos.digest(published.text), published.record_id)
    by_id = {record.seed_id: record for record in records}

    reviews = []
    for seed, text, sidecar, digest in loaded:
        assert text is not None and sidecar is not None
        cleaned = clean_seed(by_id[seed.id], rules, cache, recurring)
        record_reviews = []
        for record in cleaned.records:
            neighbours = published_index.nearest(
                Fingerprint.of(record.id, record.text),
                NEIGHBOURS_SHOWN,
                skip=SameSeed(seed.id),
            )
            same = first_with_digest.get(memos.digest(record.text))
            record_reviews.append(
                RecordReview(
                    record,
                    trace_edits(text, record.provenance),
                    neighbours,
                    same if same and not same.startswith(f"{seed.id}-") else None,
                    paragraph_verdicts(text, record, rules),
                )
            )
        reviews.append(
            SeedReview(
                seed=seed,
                raw=text,
                sha256=digest,
                sidecar=sidecar,
                records=record_reviews,
                drops=list(cleaned.drops),
                raw_language=detect_language(text, rules),
                raw_neighbours=raw_index.nearest(Fingerprint.of(seed.id, text), NEIGHBOURS_SHOWN),
                corpus_origin=corpus.origin,
            )
        )
    memos.save()
    return reviews
