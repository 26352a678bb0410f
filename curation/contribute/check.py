"""``curation check``: everything wrong with ``seeds/``, in one pass, fast enough for a commit hook.

What is checked, per seed and across seeds:

- the folder: only ``<id>.txt`` / ``<id>.json`` pairs (and the files in
  :data:`curation.seeds.ALLOWED_EXTRA_FILES`), no links, ids well formed;
- ids: no number used twice, ``.last-id`` present and not behind
  (:mod:`curation.contribute.seed_ids`);
- each text: UTF-8, not empty, not binary, at most :data:`~curation.seeds.MAX_SEED_BYTES`,
  with at least one letter (:func:`curation.seeds.load_seed`, the validator the
  build uses too, so that a folder `check` accepts is one `build` accepts);
- the folder holds at least one seed;
- each sidecar: valid JSON, valid against ``schema/sidecar.schema.json`` (unknown
  fields included), its ``id`` and ``sha256`` match the file, and it says where the
  text came from (``url`` or ``provenance``);
- the declared ``languages`` against the detected one
  (:mod:`curation.contribute.declared_language`);
- duplicates: identical files, and near-duplicates at or above
  :data:`~curation.contribute.near_duplicates.NEAR_DUPLICATE_THRESHOLD`.

The pipeline is not run: a check of a thousand seeds takes seconds, a build
minutes. Duplicates that only appear after cleaning are ``curation add-seed``'s
business (it runs the pipeline on the one new seed), and ``dedup_exact`` drops
exact ones at build time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from curation.cache import RecordCache, cache_dir, load_checked_rules
from curation.contribute.check_cache import CheckCache
from curation.contribute.declared_language import detect_language, language_mismatch
from curation.contribute.near_duplicates import (
    NEAR_DUPLICATE_THRESHOLD,
    Fingerprint,
    exact_similarity,
    near_duplicate_pairs,
)
from curation.contribute.seed_ids import id_problems
from curation.errors import InvalidInput, Problem
from curation.progress import Progress
from curation.rules import RuleSet
from curation.seeds import (
    discover_seeds,
    duplicate_problem,
    load_seed,
    no_seeds_problem,
    sidecar_validator,
)


@dataclass(frozen=True)
class CheckResult:
    seeds: int
    problems: list[Problem]


def provenance_problem(sidecar_path: Path, sidecar: dict[str, object]) -> Problem | None:
    """Every seed must say where its text came from: a URL, or a description."""
    if sidecar.get("url") or sidecar.get("provenance"):
        return None
    return Problem(
        f"{sidecar_path}#provenance",
        "neither url nor provenance: the sidecar must say where the text came from",
        "put the page's address in `url`, or describe the source in `provenance` "
        "(e.g. 'PDF of the printed issue, page 3')",
    )


def check_seeds(
    seeds_dir: Path,
    rules: RuleSet | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> CheckResult:
    """Every problem in ``seeds_dir``; none means the build will accept it.

    ``use_cache``: reuse language guesses and signatures of unchanged texts
    (:mod:`curation.contribute.check_cache`).
    """
    # Sidecars and rules files the last build found valid (curation.cache): the build
    # skips their schema checks, and so does check, to the same verdict.
    records_cache = RecordCache.from_environment(use_cache)
    rules = rules or load_checked_rules(records_cache)
    progress = progress or Progress()
    cache = CheckCache(cache_dir() if use_cache else None, rules)
    progress.phase("list seeds")
    seeds, problems = discover_seeds(seeds_dir)
    empty = no_seeds_problem(seeds_dir, seeds)
    if empty:
        problems.append(empty)
    problems += id_problems(seeds, seeds_dir)
    validator = sidecar_validator()
    known_valid = records_cache.valid_sidecars() if records_cache else ()
    first_with_digest: dict[str, str] = {}
    fingerprints: list[Fingerprint] = []
    text_sha256: dict[str, str] = {}  # of each fingerprint's seed, by seed id
    progress.phase("check seeds", len(seeds))
    for seed in seeds:
        text, sidecar, digest, seed_problems = load_seed(seed, validator, known_valid)
        progress.advance(1, len(text.encode("utf-8", "surrogatepass")) if text else 0)
        problems += seed_problems
        duplicate = duplicate_problem(
            seed,
            digest,
            first_with_digest,
            "remove this file and its sidecar (its number stays retired)",
        )
        if duplicate:
            problems.append(duplicate)
            continue
        if sidecar is not None:
            missing_source = provenance_problem(seed.sidecar_path, sidecar)
            if missing_source:
                problems.append(missing_source)
        if text is None:
            continue
        cached = cache.get(digest)
        if cached is None:
            fingerprint = Fingerprint.of(seed.id, text)
            guess = detect_language(text, rules)
            cache.put(digest, guess, fingerprint.values)
        else:
            guess, values = cached
            fingerprint = Fingerprint(seed.id, text, values)
        fingerprints.append(fingerprint)
        text_sha256[seed.id] = digest
        if sidecar is not None:
            mismatch = language_mismatch(
                f"{seed.sidecar_path}#languages",
                sidecar["languages"],
                guess,
                rules,
                "correct `languages` (ISO 639-1 codes, every language the text is in), "
                "or set it to null and let the pipeline decide",
            )
            if mismatch:
                problems.append(mismatch)
    progress.phase("compare near-duplicates")

    def similarity(first: Fingerprint, second: Fingerprint) -> float:
        return cache.similarity(
            text_sha256[first.key],
            text_sha256[second.key],
            lambda: exact_similarity(first, second),
        )

    for later, neighbour in near_duplicate_pairs(fingerprints, similarity):
        problems.append(
            Problem(
                str(seeds_dir / f"{later}.txt"),
                f"near-duplicate of seed {neighbour.key}: similarity {neighbour.similarity:.2f} "
                f"(the limit is {NEAR_DUPLICATE_THRESHOLD}; Jaccard index of character "
                "5-grams, see curation/contribute/near_duplicates.py)",
                "keep one of the two: remove the other text and its sidecar "
                "(its number stays retired)",
            )
        )
    cache.save()
    return CheckResult(len(seeds), problems)


def check(seeds_dir: Path, use_cache: bool = True, progress: Progress | None = None) -> CheckResult:
    """Like :func:`check_seeds`, but raise :class:`InvalidInput` when anything is wrong."""
    result = check_seeds(seeds_dir, use_cache=use_cache, progress=progress)
    if result.problems:
        raise InvalidInput(result.problems)
    return result
