"""Headers, datelines and footers: where a page prints an article's title, publisher and date.

Shared by :mod:`curation.steps.split_articles`, which splits a page before each
headline + dateline block, and :mod:`curation.steps.extract_metadata`, which moves
headers and footers out of the text into the record's fields. The formats are data,
in ``curation/rules/metadata.toml``; this module compiles them and reads what they
capture: dates with dateparser under fixed settings, times by hand.

Text comes in the layout every step after ``repair_layout`` keeps: one paragraph
per line, paragraphs separated by ``"\\n\\n"``. A format is matched against one
whole paragraph (or the start of the first), never searched for in running text.

>>> from curation.rules import load_rules
>>> rules = metadata_rules(load_rules()["metadata"])
>>> match_paragraph("Ren Min Ri Bao\\N{MIDDLE DOT} 2025-11-10 22:48", "header", (), rules)
... # doctest: +NORMALIZE_WHITESPACE
Metadata(rule='publisher_dateline', length=32, source='Ren Min Ri Bao',
         date='2025-11-10', time='22:48')
>>> match_paragraph("On October 22, 2021 the ministers met.", "header", (), rules) is None
True
>>> is_headline("Digital Silk Road brings partners closer", rules)
True
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dateparser.data import language_order
from dateparser.date import DateDataParser

from curation import patterns
from curation.errors import UnboundedPattern
from curation.rules import RulesFile

RULES_FILE = "metadata"
PARAGRAPH_SEPARATOR = "\n\n"

# Fixed dateparser settings: nothing may depend on the clock, the machine's time
# zone or locale. Only complete dates are read (REQUIRE_PARTS), so RELATIVE_BASE and
# PREFER_DAY_OF_MONTH never fill in a missing part; they are set all the same, so a
# dateparser whose defaults change cannot reach the clock.
_BASE_SETTINGS: Mapping[str, Any] = {
    "RELATIVE_BASE": datetime.datetime(2000, 1, 1),
    "PREFER_DAY_OF_MONTH": "first",
    "PREFER_DATES_FROM": "current_period",
    "RETURN_AS_TIMEZONE_AWARE": False,
    # Not "local": the machine's zone must not matter. TO_TIMEZONE stays unset (no
    # conversion: a date is kept as printed).
    "TIMEZONE": "UTC",
    "REQUIRE_PARTS": ["day", "month", "year"],
    # Absolute dates only: "tomorrow 2022" or "3 days ago" is no publication date.
    "PARSERS": ["absolute-time"],
    "STRICT_PARSING": False,
    "NORMALIZE": True,
}
# With the record's declared languages, day/month order comes from their locale
# ("03/04/2022" is 3 April in de, March 4 in en).
_DECLARED_LANGUAGE_SETTINGS = {**_BASE_SETTINGS, "PREFER_LOCALE_DATE_ORDER": True}
# Without them, day first: most of the world writes it so, and a US-style date is
# read right when the sidecar says "en".
_ANY_LANGUAGE_SETTINGS = {
    **_BASE_SETTINGS,
    "PREFER_LOCALE_DATE_ORDER": False,
    "DATE_ORDER": "DMY",
}
_DATEPARSER_LANGUAGES = frozenset(language_order)
_ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_PLACEHOLDER = patterns.compile(r"\{([a-z][a-z_]*)\}")
# "17:37", "22h48", "15時20分", "15시 20분" (a unit and a space), "9時5分".
_TIME_PARTS = patterns.compile(r"(\d{1,2})\D{1,2}(\d{1,2})")
_AFTERNOON = patterns.compile(r"[Pp]\.?[Mm]")
_MORNING = patterns.compile(r"[Aa]\.?[Mm]")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph's span in the text: ``text[start:end]``, separators excluded."""

    start: int
    end: int


def paragraph_spans(text: str) -> tuple[Paragraph, ...]:
    r"""The paragraphs of ``text``, split at ``"\n\n"`` (there is always at least one).

    Removing a run of whole paragraphs with the separators between them leaves the
    other paragraphs' spans as they were, which keeps the steps idempotent.

    >>> paragraph_spans("Title\n\nBody.")
    (Paragraph(start=0, end=5), Paragraph(start=7, end=12))
    """
    spans = []
    start = 0
    for piece in text.split(PARAGRAPH_SEPARATOR):
        spans.append(Paragraph(start, start + len(piece)))
        start += len(piece) + len(PARAGRAPH_SEPARATOR)
    return tuple(spans)


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a header or footer paragraph (or a head fragment) says.

    ``length`` is how many characters the match covers from the paragraph's start
    (the whole paragraph, or the fragment before the prose).
    """

    rule: str
    length: int
    source: str | None = None
    date: str | None = None
    time: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Format:
    rule: str
    where: frozenset[str]
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class MetadataRules:
    """``metadata.toml`` compiled: see that file for what each value means."""

    formats: tuple[Format, ...]
    max_metadata_chars: int
    headline: Mapping[str, Any]
    byline: re.Pattern[str]
    unspaced: re.Pattern[str]
    internal_break: re.Pattern[str]
    cjk_break: re.Pattern[str]
    split_rules: frozenset[str]
    min_articles: int
    min_year: int
    max_year: int
    extra_months: tuple[tuple[re.Pattern[str], int], ...]


class RulesError(ValueError):
    """``metadata.toml`` passed its schema but a pattern in it cannot be built."""


def _label_alternatives(words: Sequence[str]) -> str:
    # Longest first, so "published on" wins over "published"; then alphabetical,
    # so the order of the list in the file does not matter.
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return "(?i:" + "|".join(r"\s".join(map(re.escape, w.split())) for w in ordered) + ")"


def _expand(pattern: str, fragments: Mapping[str, str], depth: int = 0) -> str:
    if depth > 8:
        raise RulesError(f"fragments refer to each other in a loop: {pattern!r}")

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            raise RulesError(f"unknown fragment {{{name}}} in pattern {pattern!r}")
        return "(?:" + _expand(fragments[name], fragments, depth + 1) + ")"

    return _PLACEHOLDER.sub(substitute, pattern)


@functools.lru_cache(maxsize=8)
def metadata_rules(rules_file: RulesFile) -> MetadataRules:
    """Compile ``metadata.toml`` once per rules file (keyed by its name and digest)."""
    data = rules_file.data
    fragments: dict[str, str] = {}
    for name, value in data["fragments"].items():
        fragments[name] = value if isinstance(value, str) else "|".join(value)
    for name, words in data["labels"].items():
        fragments[f"{name}_label"] = _label_alternatives(words)
    formats = []
    for entry in data["formats"]:
        source = _expand(entry["pattern"], fragments)
        try:
            pattern = patterns.compile(source)
        except (re.error, UnboundedPattern) as error:
            raise RulesError(f"format {entry['rule']!r}: {error} in {source!r}") from error
        formats.append(Format(entry["rule"], frozenset(entry["where"]), pattern))
    headline = data["headline"]
    closing = re.escape(headline["closing_marks"])
    ends = re.escape(headline["internal_sentence_end"])
    extra_months = tuple(
        (
            patterns.compile(rf"(?<![^\W\d_]){re.escape(e['name'])}(?![^\W\d_])", re.IGNORECASE),
            e["month"],
        )
        for e in data.get("extra_month_names", ())
    )
    return MetadataRules(
        formats=tuple(formats),
        max_metadata_chars=data["metadata_paragraph"]["max_chars"],
        headline=headline,
        # "Foto: dpa", "文/张三", "By Anna Petrova and Li Wei": a byline label before a
        # colon or a slash, or before names only. Not "Von Berlin bis München: ...".
        # Only ever asked whether it matches: "\n?\Z" is "$" in a form RE2 can run.
        byline=patterns.compile(
            rf"{fragments['byline_label']}"
            rf"(?:\s?[:：/]|\s(?:{_expand('{author}', fragments)})\n?\Z|\n?\Z)"
        ),
        unspaced=patterns.compile(f"[{headline['unspaced_characters']}]"),
        # "said. The", "global.” Pe", "global.”Pe": the letter after is checked
        # for upper case in code (re has no Unicode case classes).
        internal_break=patterns.compile(rf"[{ends}]+(?:[{closing}]*\s+|[{closing}]+)(?=\w)"),
        cjk_break=patterns.compile(f"[{re.escape(headline['internal_cjk_sentence_end'])}](?=.)"),
        split_rules=frozenset(data["split"]["dateline_rules"]),
        min_articles=data["split"]["min_articles"],
        min_year=data["dates"]["min_year"],
        max_year=data["dates"]["max_year"],
        extra_months=extra_months,
    )


def declared_languages(declared: Mapping[str, object]) -> tuple[str, ...]:
    """The sidecar's languages that dateparser knows, in the sidecar's order."""
    languages = declared.get("languages")
    if not isinstance(languages, list | tuple):
        return ()
    return tuple(
        dict.fromkeys(x for x in languages if isinstance(x, str) and x in _DATEPARSER_LANGUAGES)
    )


@functools.lru_cache(maxsize=4096)
def _dateparser_date(candidate: str, languages: tuple[str, ...]) -> datetime.date | None:
    if languages:
        parser = DateDataParser(
            languages=list(languages),
            use_given_order=True,
            settings=_DECLARED_LANGUAGE_SETTINGS,
        )
    else:
        parser = DateDataParser(settings=_ANY_LANGUAGE_SETTINGS)
    try:
        found = parser.get_date_data(candidate)["date_obj"]
    except (ValueError, OverflowError):  # e.g. a day that the month does not have
        return None
    return found.date() if found is not None else None


def parse_date(candidate: str, languages: tuple[str, ...], rules: MetadataRules) -> str | None:
    """An ISO date (YYYY-MM-DD) for a date captured by a format, or None.

    Declared languages first, then every language dateparser knows; then the extra
    month names of the rules file. Only ever called on a captured candidate.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> parse_date("Iul-16-2022", ("ro",), rules), parse_date("Noi-16-2022", ("ro",), rules)
    ('2022-07-16', '2022-11-16')
    """
    attempts = [(candidate, languages)] if languages else []
    attempts.append((candidate, ()))
    replaced = candidate
    for pattern, month in rules.extra_months:
        replaced = pattern.sub(_ENGLISH_MONTHS[month - 1], replaced)
    if replaced != candidate:
        attempts.append((replaced, ("en",)))
    for text, attempt_languages in attempts:
        found = _dateparser_date(text, attempt_languages)
        if found is not None:
            if rules.min_year <= found.year <= rules.max_year:
                return found.isoformat()
            return None
    return None


def parse_time(candidate: str) -> str | None:
    """``HH:MM`` on a 24-hour clock for a time captured by a format, or None.

    >>> parse_time("17:37"), parse_time("5.07 p.m."), parse_time("12:15 AM"), parse_time("22h48")
    ('17:37', '17:07', '00:15', '22:48')
    >>> parse_time("15時20分"), parse_time("15시 20분"), parse_time("14:35 Uhr")
    ('15:20', '15:20', '14:35')
    """
    parts = _TIME_PARTS.search(candidate)
    if parts is None:
        return None
    hour, minute = int(parts.group(1)), int(parts.group(2))
    suffix = candidate[parts.end() :]
    if _AFTERNOON.search(suffix) or _MORNING.search(suffix):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if _AFTERNOON.search(suffix) else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _metadata_from(
    rule: str, match: re.Match[str], languages: tuple[str, ...], rules: MetadataRules
) -> Metadata | None:
    groups = match.groupdict()
    source = date = time = None
    author = (groups.get("author") or "").strip() or None
    if groups.get("publisher") is not None:
        source = groups["publisher"].strip()
        if not source:
            return None
    if groups.get("date") is not None:
        date = parse_date(groups["date"], languages, rules)
        if date is None:
            return None  # the pattern saw a date's shape, dateparser no date
    if groups.get("time") is not None:
        time = parse_time(groups["time"])
        if time is None:
            return None
    # The date of an update must be a date too, but it is not the publication date:
    # the paragraph is metadata and leaves the text, and no field takes its value.
    if (
        groups.get("updated") is not None
        and parse_date(groups["updated"], languages, rules) is None
    ):
        return None
    if groups.get("updated_time") is not None and parse_time(groups["updated_time"]) is None:
        return None
    return Metadata(rule, match.end(), source, date, time, author)


def match_paragraph(
    paragraph: str, where: str, languages: tuple[str, ...], rules: MetadataRules
) -> Metadata | None:
    """What ``paragraph`` states, if it is a header or footer paragraph as a whole.

    ``where`` is ``"header"`` or ``"footer"``: only the formats allowed there are
    tried, in the order of the rules file.
    """
    if len(paragraph) > rules.max_metadata_chars:
        return None
    for fmt in rules.formats:
        if where in fmt.where:
            match = fmt.pattern.fullmatch(paragraph)
            if match is not None:
                found = _metadata_from(fmt.rule, match, languages, rules)
                if found is not None:
                    return found
    return None


def match_head_fragment(
    paragraph: str, languages: tuple[str, ...], rules: MetadataRules
) -> Metadata | None:
    """A label and date at the start of ``paragraph`` with prose after them, or None.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> match_head_fragment("date 2020-12-20 Chinese and Russian media met.", ("en",), rules)
    Metadata(rule='labelled_date_fragment', length=16, source=None, date='2020-12-20', time=None)
    """
    for fmt in rules.formats:
        if "head_fragment" in fmt.where:
            match = fmt.pattern.match(paragraph)
            if match is not None and match.end() < len(paragraph):
                found = _metadata_from(fmt.rule, match, languages, rules)
                if found is not None:
                    return found
    return None


def _word_count(text: str) -> int:
    return len(text.split())


def is_headline(paragraph: str, rules: MetadataRules) -> bool:
    """Whether ``paragraph`` has the shape of a headline: short, one phrase, no full stop.

    Whether it *is* the title also depends on what follows it (a dateline, or a
    body paragraph): that is for the caller to check.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> is_headline("The ministers met in Moscow on Friday.", rules)
    False
    >>> is_headline("数字丝绸之路对合作共赢的价值", rules), is_headline("World News", rules)
    (True, False)
    >>> is_headline("By Anna Petrova", rules)
    False
    >>> is_headline("Von Berlin bis München: Die Bahn baut um", rules)
    True
    """
    limits = rules.headline
    if not paragraph or paragraph != paragraph.strip() or "\n" in paragraph:
        return False
    if len(paragraph) > limits["max_chars"] or _word_count(paragraph) > limits["max_words"]:
        return False
    unspaced = len(rules.unspaced.findall(paragraph))
    if unspaced < limits["min_unspaced_chars"] and _word_count(paragraph) < limits["min_words"]:
        return False
    ending = paragraph.rstrip(limits["closing_marks"])
    if not ending or ending[-1] in limits["sentence_final"]:
        return False
    if rules.byline.match(paragraph):
        return False
    if rules.cjk_break.search(ending):
        return False
    return not any(paragraph[m.end()].isupper() for m in rules.internal_break.finditer(paragraph))


def reads_as_body(paragraph: str, headline: str, rules: MetadataRules) -> bool:
    """Whether ``paragraph`` reads as the body under ``headline``: sentences, and longer.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> reads_as_body("Trade grew again, and both sides expect more.", "Trade grows", rules)
    True
    """
    limits = rules.headline
    ending = paragraph.rstrip(limits["closing_marks"])
    return (
        bool(ending)
        and ending[-1] in limits["sentence_final"]
        and len(paragraph) >= limits["body_min_ratio"] * len(headline)
    )


def article_starts(text: str, languages: tuple[str, ...], rules: MetadataRules) -> list[int]:
    """Offsets where an article starts: a headline paragraph followed by a dateline.

    Only the datelines of ``[split] dateline_rules`` count. Blocks do not overlap.
    """
    paragraphs = paragraph_spans(text)
    starts: list[int] = []
    index = 0
    while index + 1 < len(paragraphs):
        headline = paragraphs[index]
        dateline = paragraphs[index + 1]
        if is_headline(text[headline.start : headline.end], rules):
            found = match_paragraph(text[dateline.start : dateline.end], "header", languages, rules)
            if found is not None and found.rule in rules.split_rules:
                starts.append(headline.start)
                index += 2
                continue
        index += 1
    return starts
