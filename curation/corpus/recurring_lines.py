"""Lines that recur across several seeds of one site are that site's chrome: they go.

A site prints its navigation, footer, section menu, credits and disclaimers on every
page, in whatever language and words; no phrase list knows them all, but the corpus
does: the same line on three pages of one site, or on a tenth of a large site's
pages, is the site's template, not an article's text. This pass removes such lines.

It has two phases, and the counts are complete before any record is edited:

1. **Count** (:meth:`StripRecurringLines.count`, over the input as it is read, before
   any step): for each site, how many distinct seeds it has, and for each candidate
   line (and each paragraph of several lines), in how many of the site's distinct
   seeds it occurs. Counting the raw seeds makes the counts independent of how the
   record steps change (a step's new version cannot move them) and costs one more
   read of the input, not a second run of the steps.
2. **Strip** (:meth:`StripRecurringLines.process`, the corpus pass proper, after the
   record steps): every line of a cleaned record whose count reaches the thresholds of
   ``curation/rules/recurring_lines.toml`` is removed, recorded in the provenance under
   the rule ``recurring_across_site``; a record left without text is dropped
   (``empty_after_recurring_lines``).

A seed's *site* is the host of its declared ``url`` (lowercased, a leading ``www.``
dropped), else its declared ``source`` (casefolded); a seed with neither belongs to
no site and is left alone. The declared values are used in both phases (the sidecar,
or the bulk input's metadata), never what a step extracted, so both phases agree.

Lines are compared by their letters and digits only (NFKC, casefolded):
wrapping, hyphenation, spacing and punctuation do not hide a repeat, and a raw line
matches the line a step made of it (``repair_layout`` joining a wrapped footer, say).

What is kept across the corpus: per distinct candidate line of a site, an 8-byte key
(BLAKE2b of the site and the line) and a 4-byte count, in sorted numpy arrays
(:class:`KeyCounts`); per site, its number of seeds; while counting only, per seed,
12 bytes for each of its URL, its text and its paragraphs wider than any candidate
(dedup_near's :class:`~curation.corpus.dedup_near.BandIndex`), which recognise the
same page given twice or a version of it. Never a text. Counts are sums, so they are
the same whatever the batch size or the number of jobs; the seeds arrive in id order
whatever the order of the files, so which of two versions of a page is counted is
fixed too. The decision on a line depends only on the counts and the line.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import math
import unicodedata
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from curation import patterns
from curation.corpus.dedup_near import BandIndex
from curation.record import AnyRecord, Change, Record, StoredRecord
from curation.rules import RulesFile
from curation.steps.classify_paragraphs import GOOD, classifier_rules, classify, display_width

if TYPE_CHECKING:  # the build module that wires passes imports both: no import cycle
    from curation.pipeline import StepReport

NAME = "strip_recurring_lines"
VERSION = 2
STEP_ID = f"{NAME}_v{VERSION}"
RECURRING_ACROSS_SITE = "recurring_across_site"
EMPTY_AFTER_RECURRING_LINES = "empty_after_recurring_lines"

# 64-bit keys: a key stands for one (site, line). Two lines of a five-million-seed
# corpus (some 2e8 distinct lines) share a key with chance about 1e-3 overall, and a
# shared key only adds one line's count to another's.
KEY_SIZE = 8

# Line ends as normalize_unicode reads them in raw text; cleaned text has only "\n".
_LINE_END = patterns.compile(r"\r\n?|[\n\x0b\x0c\x85\N{LINE SEPARATOR}\N{PARAGRAPH SEPARATOR}]")
_OTHER_LINE_END = patterns.compile(r"[\r\x0b\x0c\x85\N{LINE SEPARATOR}\N{PARAGRAPH SEPARATOR}]")


class PhasesOutOfOrder(RuntimeError):
    """A record was stripped before every seed was counted, or counted after: a caller's bug."""


@dataclass(frozen=True, slots=True)
class RecurringRules:
    """``[recurring]`` of ``recurring_lines.toml`` (see the file for every reason)."""

    max_width: int
    min_seeds: int
    min_share: Fraction
    prose_min_seeds: int
    prose_min_share: Fraction

    @classmethod
    def from_rules(cls, rules: RulesFile) -> RecurringRules:
        table = rules["recurring"]
        return cls(
            max_width=int(table["max_width"]),
            min_seeds=int(table["min_seeds"]),
            # Exact shares: 0.1 × 30 must be 3, not 3.0000000000000004 (which rounds up to 4).
            min_share=Fraction(str(table["min_share"])),
            prose_min_seeds=int(table["prose_min_seeds"]),
            prose_min_share=Fraction(str(table["prose_min_share"])),
        )

    def needed(self, site_seeds: int, prose: bool) -> int:
        """How many of a site's seeds a line must occur in to go.

        >>> from curation.rules import load_rules
        >>> rules = RecurringRules.from_rules(load_rules()["recurring_lines"])
        >>> [rules.needed(n, prose=False) for n in (3, 30, 31, 30_000)]
        [3, 3, 4, 3000]
        >>> [rules.needed(n, prose=True) for n in (3, 10, 30_000)]
        [5, 5, 15000]
        """
        least, share = (
            (self.prose_min_seeds, self.prose_min_share)
            if prose
            else (self.min_seeds, self.min_share)
        )
        return max(least, math.ceil(share * site_seeds))


def site_of(declared: Mapping[str, object]) -> str | None:
    """The site a seed belongs to, from its declared ``url``, else its declared ``source``.

    >>> site_of({"url": "https://WWW.Example.com:8080/a/b?c=1", "source": "Example"})
    'host:example.com'
    >>> site_of({"url": None, "source": "  Agence  France-Presse "})
    'source:agence france-presse'
    >>> site_of({"url": None, "source": None}) is None
    True
    """
    url = declared.get("url")
    if isinstance(url, str):
        try:
            host = urllib.parse.urlsplit(url.strip()).hostname
        except ValueError:  # e.g. an unclosed IPv6 bracket: no host to read
            host = None
        if host:
            # www.example.com and example.com are one site; other subdomains
            # (m., sport.) may have templates of their own and stay apart.
            return "host:" + _unicode_host(host.rstrip(".")).removeprefix("www.")
    source = declared.get("source")
    if isinstance(source, str):
        name = " ".join(unicodedata.normalize("NFKC", source).casefold().split())
        if name:
            return "source:" + name
    return None


def _unicode_host(host: str) -> str:
    """``host`` with its punycode labels decoded, so an internationalized domain is one
    site however its URLs spell it (``xn--e1afmkfd.xn--p1ai`` is ``пример.рф``).

    >>> _unicode_host("www.xn--e1afmkfd.xn--p1ai")
    'www.пример.рф'
    >>> _unicode_host("xn--broken-")
    'xn--broken-'
    """
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError):  # not valid punycode: kept as written
                label = label.encode("ascii").decode("idna")
        labels.append(unicodedata.normalize("NFKC", label).casefold())
    return ".".join(labels)


# Everything but letters and digits (Python's \w without the underscore). Combining
# marks go too: a line with or without optional diacritics (Arabic harakat) is one line.
_NOT_LETTER_OR_DIGIT = patterns.compile(r"[\W_]+")


def comparable(text: str) -> str:
    """What two lines are compared by: letters and digits, NFKC, casefolded.

    >>> comparable("Home | News ›  Sport")
    'homenewssport'
    >>> comparable("Все права защищены.") == comparable("ВСЕ ПРАВА\\nзащищены")
    True
    >>> comparable("版权所有 © 2024"), comparable("حقوق النشر محفوظة")
    ('版权所有2024', 'حقوقالنشرمحفوظة')
    """
    return _NOT_LETTER_OR_DIGIT.sub("", unicodedata.normalize("NFKC", text).casefold())


def line_key(site: str, line: str) -> int:
    """The 64-bit key of a line (already :func:`comparable`) of a site."""
    # surrogatepass: a lone surrogate must not make the pass raise; it is hashed as is.
    data = f"{site}\x00{line}".encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=KEY_SIZE).digest(), "little")


def paragraphs(text: str) -> list[list[tuple[int, int]]]:
    """The ``(start, end)`` spans of the lines of each paragraph (lines between blank lines).

    >>> paragraphs("a\\nb\\n\\nc\\r\\n")
    [[(0, 1), (2, 3)], [(5, 6)]]
    """
    if _OTHER_LINE_END.search(text) is None:  # cleaned text, most raw text: "\n" only
        lines, position = [], 0
        for line in text.split("\n"):
            lines.append((position, position + len(line)))
            position += len(line) + 1
    else:
        starts = itertools.chain((0,), (m.end() for m in _LINE_END.finditer(text)))
        ends = itertools.chain((m.start() for m in _LINE_END.finditer(text)), (len(text),))
        lines = list(zip(starts, ends, strict=True))
    result: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for start, end in lines:
        if text[start:end].strip():
            current.append((start, end))
        elif current:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


@dataclass(frozen=True, slots=True)
class Unit:
    """A line, or a paragraph of several lines, that may recur: its lines and its words."""

    lines: tuple[int, ...]  # indices into its paragraph's lines
    text: str  # its lines joined by spaces, stripped
    letters: str  # comparable(text)


def units(text: str, spans: Sequence[tuple[int, int]], max_width: int) -> tuple[list[Unit], Unit]:
    """The candidate units of one paragraph: the whole (if it has several lines), then
    each line; a unit without letters or digits, or wider than ``max_width``, is none.
    Also the whole paragraph, candidate or not (its ``letters`` only when it fits).

    >>> candidates, whole = units("Home\\nNews\\n", [(0, 4), (5, 9)], 400)
    >>> [u.letters for u in candidates], whole.letters
    (['homenews', 'home', 'news'], 'homenews')
    """
    texts = [text[start:end].strip() for start, end in spans]
    # Only what may be a candidate is folded: the wide paragraphs of an article are
    # most of its text, and a line of a candidate paragraph is narrower still.
    fits = [_fits(t, max_width) for t in texts]
    letters = [comparable(t) if fit else "" for t, fit in zip(texts, fits, strict=True)]
    whole = Unit(tuple(range(len(spans))), " ".join(texts), "".join(letters))
    pieces = [whole] if len(spans) > 1 and all(fits) else []
    pieces += [Unit((i,), texts[i], letters[i]) for i in range(len(spans)) if fits[i]]
    return [u for u in pieces if u.letters and _fits(u.text, max_width)], whole


def _fits(text: str, max_width: int) -> bool:
    """Whether ``text`` is at most ``max_width`` columns wide (each character one or two)."""
    if len(text) > max_width:
        return False
    if 2 * len(text) <= max_width or max(text, default=" ") < "\u1100":
        return True  # no character before U+1100 is wide (see display_width)
    return display_width(text) <= max_width


class KeyCounts:
    """How often each 64-bit key was added: sorted numpy runs of (key, count).

    A dict would cost about 100 bytes a key; here a key and its count take 12. Added
    keys wait in a buffer; a full buffer becomes a run, and runs of like size merge
    (as in a binary counter), so there are at most about log2(keys) runs. After
    :meth:`freeze` there is one run, looked up by binary search.

    >>> counts = KeyCounts(buffer_size=2)
    >>> for keys in ([5, 1], [1, 9], [1]):
    ...     counts.add(np.array(keys, dtype=np.uint64))
    >>> counts.freeze()
    >>> counts.counts(np.array([1, 5, 7], dtype=np.uint64)).tolist()
    [3, 1, 0]
    """

    def __init__(self, buffer_size: int = 1 << 16) -> None:
        self._buffer_size = buffer_size
        self._buffer: list[np.ndarray] = []
        self._buffered = 0
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        """Distinct keys counted (once frozen)."""
        return sum(len(keys) for keys, _ in self._runs)

    def add(self, keys: np.ndarray) -> None:
        self._buffer.append(keys)
        self._buffered += len(keys)
        if self._buffered >= self._buffer_size:
            self._flush()

    def freeze(self) -> None:
        """Merge everything into one run; call once every key has been added."""
        self._flush()
        while len(self._runs) > 1:
            self._merge_last_two()

    def counts(self, keys: np.ndarray) -> np.ndarray:
        """The count of each key (0 for a key never added); only once frozen."""
        if not self._runs:
            return np.zeros(len(keys), dtype=np.uint32)
        (run_keys, run_counts), *rest = self._runs
        assert not rest and not self._buffer, "KeyCounts.counts before freeze"
        at = np.searchsorted(run_keys, keys)
        found = at < len(run_keys)
        found[found] = run_keys[at[found]] == keys[found]
        result = np.zeros(len(keys), dtype=np.uint32)
        result[found] = run_counts[at[found]]
        return result

    def _flush(self) -> None:
        if not self._buffer:
            return
        keys = np.concatenate(self._buffer)
        self._buffer, self._buffered = [], 0
        self._runs.append(self._summed(keys, np.ones(len(keys), dtype=np.uint32)))
        while len(self._runs) > 1 and len(self._runs[-1][0]) >= len(self._runs[-2][0]):
            self._merge_last_two()

    def _merge_last_two(self) -> None:
        newer_keys, newer_counts = self._runs.pop()
        older_keys, older_counts = self._runs.pop()
        self._runs.append(
            self._summed(
                np.concatenate((older_keys, newer_keys)),
                np.concatenate((older_counts, newer_counts)),
            )
        )

    @staticmethod
    def _summed(keys: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Distinct keys, sorted, each with the sum of its counts."""
        if not len(keys):
            return keys, counts
        order = np.argsort(keys, kind="stable")
        keys, counts = keys[order], counts[order]
        distinct, starts = np.unique(keys, return_index=True)
        return distinct, np.add.reduceat(counts, starts).astype(np.uint32)


def _digest(text: str) -> int:
    data = text.encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=KEY_SIZE).digest(), "little")


class StripRecurringLines:
    """The ``strip_recurring_lines`` corpus pass; one instance serves one build.

    Count every seed first (:meth:`count_corpus`, or :meth:`count` on each batch and
    then :meth:`finish_counting`), then run it as a corpus pass (:meth:`process`).
    """

    name = NAME
    version = VERSION
    rewrites = True  # record_key is the stripped record: the dedup passes see it
    description = (
        "remove lines that recur in several seeds of the same site (url host, else source): "
        "at least min_seeds of them and min_share of the site's seeds (recurring_lines.toml)"
    )

    def __init__(self, rules: RulesFile, boilerplate: RulesFile) -> None:
        self.rules = RecurringRules.from_rules(rules)
        self._classifier = classifier_rules(boilerplate)
        self._keys = KeyCounts()
        self._site_seeds: dict[int, int] = {}
        # Keys of the URLs, texts and wide paragraphs of the pages counted (membership only).
        self._pages = BandIndex()
        self._finished = False

    def count_corpus(self, batches: Iterable[Sequence[Record]]) -> None:
        """Phase 1 over the whole input: every seed, as read (before any step)."""
        for batch in batches:
            self.count(batch)
        self.finish_counting()

    def count(self, batch: Sequence[Record]) -> None:
        """Count the lines of each seed of ``batch``, once per distinct page of its site."""
        if self._finished:
            raise PhasesOutOfOrder("count() after finish_counting(): the counts are closed")
        for record in batch:
            site = site_of(record.declared)
            if site is None:
                continue
            text = record.text
            keys: set[int] = set()
            # The same page given twice (one URL, one text, or versions sharing a
            # paragraph too wide to be a candidate: an article's own, never a
            # template's) is one page of its site: three copies of an article must
            # not make its own lines "recurring".
            copies: list[int] = []
            url = record.declared.get("url")
            if isinstance(url, str):
                copies.append(line_key(site, "\x00url\x00" + url.strip()))
            # Casefolded, spaces collapsed: what tells copies apart needs no finer fold.
            copies.append(line_key(site, "\x00text\x00" + " ".join(text.casefold().split())))
            for lines in paragraphs(text):
                candidates, whole = units(text, lines, self.rules.max_width)
                keys.update(line_key(site, unit.letters) for unit in candidates)
                if not _fits(whole.text, self.rules.max_width):
                    wide = " ".join(whole.text.casefold().split())
                    copies.append(line_key(site, "\x00long\x00" + wide))
            copy_keys = np.array(copies, dtype=np.uint64)
            if len(self._pages.positions(copy_keys)):
                continue
            self._pages.add(copy_keys, 0)
            site_digest = _digest(site)
            self._site_seeds[site_digest] = self._site_seeds.get(site_digest, 0) + 1
            if keys:
                self._keys.add(np.array(sorted(keys), dtype=np.uint64))

    def finish_counting(self) -> None:
        """Close the counts: from now on :meth:`process` may edit records."""
        self._keys.freeze()
        self._pages = BandIndex()  # only needed while counting
        self._finished = True

    def site_seeds(self, site: str) -> int:
        """How many distinct seeds of ``site`` were counted."""
        return self._site_seeds.get(_digest(site), 0)

    def record_key(self, record: AnyRecord) -> AnyRecord:
        """The per-record work of phase 2, which may run anywhere: ``record`` stripped.

        A stored record (:class:`~curation.record.StoredRecord`, a build's cache hit)
        without a site, or that loses no line, is left as it is.
        """
        if not isinstance(record, StoredRecord):
            return self.strip(record)
        if site_of(record.declared) is None:
            return record
        whole = record.record()
        stripped = self.strip(whole)
        return record if stripped is whole else stripped

    def process(
        self, batch: Sequence[AnyRecord], report: StepReport, keys: Sequence[Any] | None = None
    ) -> list[AnyRecord]:
        """Phase 2: strip the recurring lines of each record; drop a record left empty.

        ``keys``, if given, are the records already stripped (:meth:`record_key`).
        """
        if not self._finished:
            raise PhasesOutOfOrder(
                "strip_recurring_lines ran before every seed was counted "
                "(call count_corpus on the input first)"
            )
        kept: list[AnyRecord] = []
        for index, record in enumerate(batch):
            stripped = self.record_key(record) if keys is None else keys[index]
            if stripped is not record:
                # This pass's edits, after the steps' (a stored record's are not at hand).
                assert isinstance(stripped, Record)
                edits = (
                    stripped.provenance[len(record.provenance) :]
                    if isinstance(record, Record)
                    else [e for e in stripped.provenance if e.step == STEP_ID]
                )
                for edit in edits:
                    report.rules[edit.rule] += 1
                    report.rule_chars_removed[edit.rule] += len(edit.before) - len(edit.after)
            if not stripped.text.strip():
                report.drops[EMPTY_AFTER_RECURRING_LINES] += 1
                continue
            kept.append(stripped)
        return kept

    def strip(self, record: Record) -> Record:
        """``record`` without the lines that recur across its site."""
        site = site_of(record.declared)
        if site is None:
            return record
        site_seeds = self.site_seeds(site)
        if site_seeds < self.rules.min_seeds:
            return record
        needed = self.rules.needed(site_seeds, prose=False)
        needed_prose = self.rules.needed(site_seeds, prose=True)
        title = comparable(record.title) if record.title else None
        text = record.text
        spans = paragraphs(text)
        candidates = [
            (index, unit)
            for index, lines in enumerate(spans)
            for unit in units(text, lines, self.rules.max_width)[0]
        ]
        keys = np.array([line_key(site, u.letters) for _, u in candidates], dtype=np.uint64)
        counts = self._keys.counts(keys).tolist()
        removed = [[False] * len(lines) for lines in spans]
        for (index, unit), count in zip(candidates, counts, strict=True):
            if (
                count < needed
                or unit.letters == title  # the record's own headline, also printed as a teaser
                or any(removed[index][i] for i in unit.lines)  # its paragraph already goes
                or (count < needed_prose and self._is_prose(unit.text, record.language))
            ):
                continue
            for i in unit.lines:
                removed[index][i] = True
        return record.with_changes(STEP_ID, list(_deletions(text, spans, removed)))

    def _is_prose(self, text: str, language: str | None) -> bool:
        """Whether the paragraph classifier calls ``text`` good prose on its own."""
        return classify([text], language, self._classifier)[0].initial == GOOD


def _runs(flags: Sequence[bool]) -> Iterator[tuple[int, int]]:
    """``(first, last)`` of each run of true flags.

    >>> list(_runs([True, True, False, True]))
    [(0, 1), (3, 3)]
    """
    index = 0
    for value, group in itertools.groupby(flags):
        size = len(list(group))
        if value:
            yield index, index + size - 1
        index += size


def _deletions(
    text: str, spans: Sequence[Sequence[tuple[int, int]]], removed: Sequence[Sequence[bool]]
) -> Iterator[Change]:
    """Changes that delete the removed lines with one line break or paragraph break each,
    so the text left keeps its layout (paragraphs one blank line apart, no blank edges)."""
    whole = [all(flags) for flags in removed]
    for first, last in _runs(whole):
        if last + 1 < len(spans):  # up to the next paragraph: the break after goes too
            yield Change(spans[first][0][0], spans[last + 1][0][0], "", RECURRING_ACROSS_SITE)
        elif first > 0:  # the last paragraphs: the break before them goes
            yield Change(spans[first - 1][-1][1], len(text), "", RECURRING_ACROSS_SITE)
        else:
            yield Change(0, len(text), "", RECURRING_ACROSS_SITE)
    for lines, flags in zip(spans, removed, strict=True):
        if all(flags):
            continue
        for first, last in _runs(flags):
            if last + 1 < len(lines):
                yield Change(lines[first][0], lines[last + 1][0], "", RECURRING_ACROSS_SITE)
            else:
                yield Change(lines[first - 1][1], lines[last][1], "", RECURRING_ACROSS_SITE)
