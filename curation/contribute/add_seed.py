"""``curation add-seed``: copy a new text into ``seeds/`` with its sidecar, or say why not.

Everything is checked before anything is written, and every problem is reported
at once. A new seed is refused when its file

- is outside the repository checkout, a symbolic link, over the size limit, not
  UTF-8 text (UTF-16 with a byte-order mark is converted: see
  :mod:`curation.contribute.incoming_text`), empty or binary;
- is identical to a seed already in the corpus, or a near-duplicate of one
  (:mod:`curation.contribute.near_duplicates`);
- would only become one *after cleaning*: the pipeline runs on the new text in
  memory, and each record it would publish is compared with the records the
  corpus publishes (the same normal form as ``dedup_exact``, and the same
  near-duplicate measure);
- would publish nothing (every record dropped by a step);
- reads confidently as a language that ``--language`` does not name.

Metadata that the pipeline extracts (languages, date, publisher, title) is
optional. What it cannot know is required: where the text came from (``--url``,
or ``--provenance`` when there is no URL) and the license statement that comes
with it (``--license``). In an interactive terminal the CLI asks for what is
missing; otherwise it is an error.

Files are written into a staging folder first and moved into ``seeds/`` at the
end (text, sidecar, then ``.last-id``), journaled
(:mod:`curation.contribute.seed_moves`): a failed, interrupted or killed
``add-seed`` leaves ``seeds/`` as it was, at once or after the next command.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import shutil
import tempfile
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curation.cache import RecordCache, load_checked_rules
from curation.contribute.cleaned_text import (
    CorpusMemos,
    PublishedTexts,
    clean_seed,
    count_recurring_lines,
    published_texts,
    readable_seed_records,
)
from curation.contribute.declared_language import detect_language, language_mismatch
from curation.contribute.incoming_text import PreparedText, read_submission
from curation.contribute.near_duplicates import (
    NEAR_DUPLICATE_THRESHOLD,
    SignatureScan,
)
from curation.contribute.seed_ids import (
    LAST_ID_FILE,
    last_id_text,
    new_seed_id,
    next_number,
    read_last_number,
    seed_number,
)
from curation.contribute.seed_moves import move_into_seeds
from curation.corpus.recurring_lines import StripRecurringLines
from curation.errors import InvalidInput, Problem
from curation.fault_injection import fault_point
from curation.progress import Progress
from curation.record import Record
from curation.recovery import writing
from curation.rules import RuleSet
from curation.seeds import (
    Seed,
    discover_seeds,
    seed_record,
    sidecar_validator,
    sidecar_value_problems,
)
from curation.steps.identify_language import LanguageGuess, load_model_with

# A function that shows a question and returns the answer (raises EOFError when
# there is no one to answer). The CLI passes one only in an interactive terminal.
Ask = Callable[[str], str]

# Sidecar field -> the add-seed option that sets it, to name the option in errors.
OPTION_OF_FIELD = {
    "languages": "--language",
    "source": "--source",
    "date": "--date",
    "url": "--url",
    "title": "--title",
    "provenance": "--provenance",
    "license": "--license",
    "contributor": "--contributor",
}

LICENSE_REQUIRED = (
    "required: the license statement that comes with the text, copied from the source "
    "(e.g. 'CC BY 4.0', or the site's terms of use); if the source states none, say so "
    "(e.g. 'No license stated; © Example News')"
)
SOURCE_REQUIRED = (
    "required: where the text came from, the address of the page (--url) or, when "
    "there is none, a description (--provenance 'PDF of the printed issue, page 3')"
)

QUESTIONS = {
    "url": "Web address (URL) the text was published at (press Enter if there is none): ",
    "provenance": "Then describe where the text came from (e.g. 'PDF of the printed issue'): ",
    "license": "License statement of the source (copy it; if none is stated, say so): ",
}
MAX_ASKS = 3


@dataclass(frozen=True)
class SeedMetadata:
    """What the contributor states about the text; None means not stated."""

    languages: tuple[str, ...] | None = None
    source: str | None = None
    date: str | None = None
    url: str | None = None
    title: str | None = None
    provenance: str | None = None
    license: str | None = None
    contributor: str | None = None

    def cleaned(self) -> SeedMetadata:
        """Surrounding spaces removed; empty answers are 'not stated'."""
        changes: dict[str, Any] = {}
        for name in ("source", "date", "url", "title", "provenance", "license", "contributor"):
            value = getattr(self, name)
            changes[name] = value.strip() or None if isinstance(value, str) else value
        if self.languages is not None:
            codes = tuple(c.strip() for c in self.languages if c.strip())
            changes["languages"] = codes or None
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class AddedSeed:
    """What add-seed did, for the CLI to say."""

    seed_id: str
    text_path: Path
    sidecar_path: Path
    sidecar: dict[str, Any]
    conversions: tuple[str, ...]
    language: LanguageGuess
    records: int
    compared_with: str  # where the corpus's cleaned texts came from: "dist" or "rebuilt"


def _ask_until_answered(ask: Ask, question: str) -> str | None:
    for _ in range(MAX_ASKS):
        try:
            answer = ask(question).strip()
        except EOFError:
            return None
        if answer:
            return answer
        if question == QUESTIONS["url"]:
            return None  # "no URL" is an answer: a description is asked for next
    return None


def ask_for_missing(metadata: SeedMetadata, ask: Ask) -> SeedMetadata:
    """Ask for the required fields that are missing (where from, license)."""
    if not metadata.url and not metadata.provenance:
        url = _ask_until_answered(ask, QUESTIONS["url"])
        metadata = dataclasses.replace(metadata, url=url)
        if not url:
            provenance = _ask_until_answered(ask, QUESTIONS["provenance"])
            metadata = dataclasses.replace(metadata, provenance=provenance)
    if not metadata.license:
        metadata = dataclasses.replace(
            metadata, license=_ask_until_answered(ask, QUESTIONS["license"])
        )
    return metadata


def required_problems(metadata: SeedMetadata) -> list[Problem]:
    problems = []
    if not metadata.url and not metadata.provenance:
        problems.append(Problem("--url/--provenance", SOURCE_REQUIRED))
    if not metadata.license:
        problems.append(Problem("--license", LICENSE_REQUIRED))
    return problems


def provenance_with_conversions(provenance: str | None, conversions: tuple[str, ...]) -> str | None:
    """The sidecar's provenance, with what add-seed changed in the bytes appended.

    >>> provenance_with_conversions("Sent by the author", ("converted 3 CRLF line ends to LF",))
    'Sent by the author; add-seed converted 3 CRLF line ends to LF'
    """
    if not conversions:
        return provenance
    note = "add-seed " + "; ".join(conversions)
    return f"{provenance}; {note}" if provenance else note


def make_sidecar(
    seed_id: str, prepared: PreparedText, metadata: SeedMetadata, today: datetime.date
) -> dict[str, Any]:
    """The sidecar, with its keys in the schema's order (like the existing ones)."""
    return {
        "id": seed_id,
        "sha256": prepared.sha256,
        "languages": list(metadata.languages) if metadata.languages else None,
        "source": metadata.source,
        "date": metadata.date,
        "url": metadata.url,
        "title": metadata.title,
        "license": metadata.license,
        "provenance": provenance_with_conversions(metadata.provenance, prepared.conversions),
        "contributor": metadata.contributor,
        "date_added": today.isoformat(),
    }


def sidecar_problems(sidecar: dict[str, Any]) -> list[Problem]:
    """Schema errors, each named by the option that set the field."""
    problems = []
    for error in sorted(sidecar_validator().iter_errors(sidecar), key=lambda e: str(e.path)):
        field = str(error.absolute_path[0]) if error.absolute_path else ""
        problems.append(Problem(OPTION_OF_FIELD.get(field, field or "sidecar"), error.message))
    for field, message in sidecar_value_problems(sidecar):
        problems.append(Problem(OPTION_OF_FIELD.get(field, field), message))
    if sidecar["date"] and not problems:
        try:
            datetime.date.fromisoformat(sidecar["date"])
        except ValueError as error:
            problems.append(Problem("--date", f"{sidecar['date']!r} is not a date: {error}"))
    return problems


def _duplicate_problems(
    where: str,
    candidate: Record,
    prepared: PreparedText,
    existing: list[Record],
    digests: dict[str, str],
    corpus: PublishedTexts,
    rules: RuleSet,
    cache: RecordCache | None,
    recurring: StripRecurringLines,
) -> tuple[list[Problem], int]:
    """Exact, near and after-cleaning duplicates of the candidate, and its record count."""
    for seed_id, digest in digests.items():
        if digest == prepared.sha256:
            return [
                Problem(
                    where,
                    f"identical to seed {seed_id} (same sha256): the text is already in the corpus",
                )
            ], 0
    problems = []
    # Signatures of the corpus's texts from the last add-seed or review, digests from
    # the last build (curation.cache): without them, every add-seed would compute one
    # of each per seed and per published record.
    memos = CorpusMemos(cache, rules)
    fingerprint = memos.fingerprint

    raw_index = SignatureScan(fingerprint(r.seed_id, r.text) for r in existing)
    reported: set[str] = set()
    for neighbour in raw_index.near_duplicates(fingerprint(candidate.seed_id, prepared.text)):
        reported.add(neighbour.key)
        problems.append(
            Problem(
                where,
                f"near-duplicate of seed {neighbour.key}: similarity "
                f"{neighbour.similarity:.2f}, the limit is {NEAR_DUPLICATE_THRESHOLD} "
                "(Jaccard index of character 5-grams; see CONTRIBUTING.md)",
                "if it is a corrected or longer version of that seed, edit that seed instead",
            )
        )
    cleaned = clean_seed(candidate, rules, cache, recurring)
    if not cleaned.records:
        reasons = ", ".join(f"{step}: {reason}" for step, reason in cleaned.drops) or "no records"
        problems.append(
            Problem(where, f"the build would publish nothing from this file ({reasons})")
        )
    published_index = SignatureScan(
        fingerprint(t.record_id, t.text) for t in corpus.texts if t.seed_id not in reported
    )
    by_digest: dict[bytes, str] = {}
    for text in corpus.texts:
        by_digest.setdefault(memos.digest(text.text), text.record_id)
    for record in cleaned.records:
        same = by_digest.get(memos.digest(record.text))
        if same is not None and same.rsplit("-", 1)[0] not in reported:
            problems.append(
                Problem(
                    where,
                    f"after cleaning, its record {record.part} would be the same text as "
                    f"record {same}, which the corpus already publishes (dedup_exact would "
                    "drop it)",
                    "`curation review` on that seed shows its published text",
                )
            )
            continue
        for neighbour in published_index.near_duplicates(fingerprint(record.id, record.text)):
            problems.append(
                Problem(
                    where,
                    f"after cleaning, its record {record.part} would be a near-duplicate of "
                    f"record {neighbour.key}: similarity {neighbour.similarity:.2f}, the "
                    f"limit is {NEAR_DUPLICATE_THRESHOLD}",
                    "the texts differ mostly in what the pipeline removes (boilerplate, "
                    "layout): it is the same article",
                )
            )
    memos.save()
    return problems, len(cleaned.records)


def add_seed(
    path: Path,
    metadata: SeedMetadata,
    *,
    seeds_dir: Path,
    dist_dir: Path,
    today: datetime.date,
    ask: Ask | None = None,
    rules: RuleSet | None = None,
    cache: RecordCache | None = None,
    progress: Progress | None = None,
) -> AddedSeed:
    """Add the text file at ``path`` as a new seed; raise :class:`InvalidInput` to refuse it.

    Holds the repository's lock, and first finishes or undoes what a stopped command
    left (:mod:`curation.recovery`), so that the number it takes is free. With a
    ``cache`` (:mod:`curation.cache`), only the seeds it has no entry for are
    cleaned (when ``dist/`` is not current), the new one among them.
    """
    if not seeds_dir.is_dir():
        raise InvalidInput([Problem(str(seeds_dir), "the seeds folder does not exist")])
    # The language model, kept decoded in the cache (curation.cache.LanguageModelMemo):
    # decompressing it and finding its trie took a tenth of an add-seed.
    model = load_model_with(cache.language_model_memo().load) if cache else nullcontext()
    with writing("add-seed", seeds_dir, dist_dir), model:
        return _add_seed(
            path,
            metadata,
            seeds_dir=seeds_dir,
            dist_dir=dist_dir,
            today=today,
            ask=ask,
            rules=rules,
            cache=cache,
            progress=progress or Progress(),
        )


def _add_seed(
    path: Path,
    metadata: SeedMetadata,
    *,
    seeds_dir: Path,
    dist_dir: Path,
    today: datetime.date,
    ask: Ask | None,
    rules: RuleSet | None,
    cache: RecordCache | None,
    progress: Progress,
) -> AddedSeed:
    fault_point("add_seed.started")
    repository = seeds_dir.resolve().parent
    prepared = read_submission(path, repository, seeds_dir)
    metadata = metadata.cleaned()
    if ask is not None:
        metadata = ask_for_missing(metadata, ask).cleaned()
    problems = required_problems(metadata)

    rules = rules or load_checked_rules(cache)
    seeds, _folder_problems = discover_seeds(seeds_dir)  # `curation check` reports those
    last, last_problems = read_last_number(seeds_dir)
    if last_problems:
        raise InvalidInput(problems + last_problems)
    number = next_number(seeds, last)
    seed_id = new_seed_id(number, prepared.sha256)
    taken = [s.id for s in seeds if seed_number(s.id) == number]
    if taken or any(seeds_dir.glob(f"{seed_id}.*")):  # only if seeds/ changes under our feet
        raise InvalidInput(
            [Problem(str(seeds_dir / f"{seed_id}.txt"), f"seed number {number} is taken: {taken}")]
        )
    sidecar = make_sidecar(seed_id, prepared, metadata, today)
    problems += sidecar_problems(sidecar)
    if problems:  # the metadata is wrong: say so before the slower duplicate checks
        raise InvalidInput(problems)

    where = str(path)
    new_seed = Seed(seed_id, seeds_dir / f"{seed_id}.txt", seeds_dir / f"{seed_id}.json")
    candidate = seed_record(new_seed, prepared.text, sidecar)
    progress.phase("read seeds")
    known_valid = cache.valid_sidecars() if cache else ()
    existing, digests, _seed_problems = readable_seed_records(seeds, known_valid)
    # Counted with the new seed among them, as the next build will count it.
    recurring = count_recurring_lines([*existing, candidate], rules)
    corpus = published_texts(existing, digests, dist_dir, rules, cache, progress, recurring)
    progress.phase("compare with the corpus")
    duplicates, records = _duplicate_problems(
        where, candidate, prepared, existing, digests, corpus, rules, cache, recurring
    )
    problems += duplicates
    guess = detect_language(prepared.text, rules)
    mismatch = language_mismatch(
        "--language",
        metadata.languages,
        guess,
        rules,
        "name every language the text is in (ISO 639-1), or leave --language out",
    )
    if mismatch:
        problems.append(mismatch)
    if problems:
        raise InvalidInput(problems)

    staging = Path(tempfile.mkdtemp(prefix=".add-seed-", dir=repository))
    try:
        (staging / new_seed.text_path.name).write_bytes(prepared.data)
        (staging / new_seed.sidecar_path.name).write_text(
            json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
            newline="\n",  # the same bytes on every platform
        )
        (staging / LAST_ID_FILE).write_text(
            last_id_text(seed_number(seed_id)), encoding="utf-8", newline="\n"
        )
        fault_point("add_seed.staged")
        move_into_seeds(
            staging,
            seeds_dir,
            [new_seed.text_path.name, new_seed.sidecar_path.name, LAST_ID_FILE],
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return AddedSeed(
        seed_id=seed_id,
        text_path=new_seed.text_path,
        sidecar_path=new_seed.sidecar_path,
        sidecar=sidecar,
        conversions=prepared.conversions,
        language=guess,
        records=records,
        compared_with=corpus.origin,
    )
