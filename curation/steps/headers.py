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
         date='2025-11-10', time='22:48', author=None, updated=None)
>>> match_paragraph("On October 22, 2021 the ministers met.", "header", (), rules) is None
True
>>> is_headline("Digital Silk Road brings partners closer", rules)
True
"""

from __future__ import annotations

import datetime
import functools
import itertools
import re
import unicodedata
from collections.abc import (
    Callable,
    Collection,
    Container,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from curation import patterns
from curation.errors import UnboundedPattern
from curation.rules import RulesFile

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

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
# A time before now, said relative to now ("2 hours ago", "před 2 hodinami", "3 часа
# назад", "2小时前"): no date can be read from it without the clock, but a line that
# says it is a date line all the same. Asked of the fixed base, never of the clock.
_RELATIVE_SETTINGS: Mapping[str, Any] = {
    "RELATIVE_BASE": _BASE_SETTINGS["RELATIVE_BASE"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "TIMEZONE": "UTC",
    "PARSERS": ["relative-time"],
    "STRICT_PARSING": False,
    "NORMALIZE": True,
}


@functools.cache
def _dateparser_languages() -> frozenset[str]:
    """The languages dateparser knows. dateparser is imported on the first record that
    asks (with its data, a tenth of a second), not with this module: the steps'
    modules are imported by every build, and a rebuild's writing process, which
    cleans nothing the record cache has, never asks."""
    from dateparser.data import language_order

    return frozenset(language_order)


def _date_data_parser(**options: Any) -> DateDataParser:
    """``dateparser.date.DateDataParser(**options)``, dateparser imported on first use."""
    from dateparser.date import DateDataParser

    return DateDataParser(**options)


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

_MONTH_KEYS = tuple(name.lower() for name in _ENGLISH_MONTHS)
# A word as a date's month may print it: letters and the vowel signs of Indic and
# Southeast Asian scripts (combining marks, no word characters: see the `month`
# fragment of the rules file), maybe abbreviated with a full stop between its
# letters: Thai "มี.ค." (March), "เม.ย." (April).
_LETTER = r"[^\W\d_]"
_LETTER_OR_SIGN = r"(?:[^\W\d_]|[\u0900-\u0eff\u1000-\u109f\u1780-\u17ff])"
_MONTH_WORD = patterns.compile(rf"{_LETTER}{_LETTER_OR_SIGN}*(?:\.{_LETTER}{_LETTER_OR_SIGN}*)*")
_PLACEHOLDER = patterns.compile(r"\{([a-z][a-z_]*)\}")
# "17:37", "22h48", "15時20分", "15시 20분" (a unit and a space), "9時5分".
_TIME_PARTS = patterns.compile(r"(\d{1,2})\D{1,3}(\d{1,2})")
# What makes the word "copyright" a notice's sign: the sign itself or a year after it.
_SIGN_OR_YEAR = patterns.compile(r"©|\([cC]\)|\d")
_TRAILING_YEARS = patterns.compile(r"\s\d{4}(?:\s?[-–—]\s?\d{4})?\s*$")
_AFTERNOON = patterns.compile(r"[Pp]\.?[Mm]")
_MORNING = patterns.compile(r"[Aa]\.?[Mm]")
# Any decimal digit, of any script (Python's ``\\d`` is Unicode category Nd), and a
# four-digit number standing alone (a year).
_DIGIT = patterns.compile(r"\d")
_FOUR_DIGITS = patterns.compile(r"(?<!\d)\d{4}(?!\d)")
# A letter alone before a full stop is an initial or part of an abbreviation ("N.
# Korea", "N.Y.C.", "Д. А. Медведев"), not the end of a sentence.
_INITIAL = patterns.compile(r"(?<![^\W\d_])[^\W\d_]\.$")


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
    # The date of a later update, printed with or instead of the publication date:
    # taken only when the page prints no publication date.
    updated: str | None = None


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
    min_body_chars: int
    min_year: int
    max_year: int
    common_languages: int
    # A letter of a script whose pages count years in the Buddhist era, and how many
    # years that era runs ahead of the common one.
    buddhist_script: re.Pattern[str]
    buddhist_offset: int
    # A word that marks a text dating in the Bikram Sambat era, and how many years
    # that era runs ahead of the common one.
    bikram_sambat_mark: re.Pattern[str]
    bikram_sambat_offsets: frozenset[int]
    extra_months: tuple[tuple[re.Pattern[str], int], ...]
    # A word for "p.m." or "a.m." in another script than the Latin one, before or
    # after a time ([dates] am_after ... pm_before).
    afternoon: re.Pattern[str]
    morning: re.Pattern[str]
    body: Mapping[str, Any]
    zones: Mapping[str, Any]
    # A date or a time anywhere in a line (header and footer zone lines only).
    date_search: re.Pattern[str]
    time_search: re.Pattern[str]
    # A time right after a date: "March 3, 2015 at 10:20", "24.03.2015 - 14H30".
    time_after: re.Pattern[str]
    date_label: re.Pattern[str]
    update_label: re.Pattern[str]
    # Any label word of [labels] (they are removed before a line's residue is counted).
    any_label: re.Pattern[str]
    # A line that is a label alone ("Source:", "来源：", "By"): its value is on the next line.
    label_alone: re.Pattern[str]
    copyright: re.Pattern[str]
    copyright_before: re.Pattern[str]
    rights: re.Pattern[str]
    wire: tuple[re.Pattern[str], ...]
    max_agency_words: int
    site_name: Mapping[str, Any]
    # The words that start a byline ("By", "Par", "Von"), the whole of a piece of text:
    # a name a chrome line credits with them is a person's (see site_name).
    author_label: re.Pattern[str]


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
    dates = data["dates"]
    for where in ("after", "before"):
        fragments[f"meridiem_{where}"] = _label_alternatives(
            [*dates[f"am_{where}"], *dates[f"pm_{where}"]]
        )
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
    opening = re.escape(headline["opening_marks"])
    ends = re.escape(headline["internal_sentence_end"])
    extra_months = tuple(
        (
            patterns.compile(rf"(?<![^\W\d_]){re.escape(e['name'])}(?![^\W\d_])", re.IGNORECASE),
            e["month"],
        )
        for e in data.get("extra_month_names", ())
    )
    labels = {name: fragments[f"{name}_label"] for name in data["labels"]}
    # A label word stands apart from letters around it: "data" is not read in "database".
    bounded = {name: rf"(?<![^\W\d_]){label}(?![^\W\d_])" for name, label in labels.items()}
    # A searched date leaves out the weekday: the date reads without it, and any word
    # before a month ("Updated March 5, 2015") would pass for one.
    date = _expand("{date}", {**fragments, "weekday": "(?!)"})
    time = _expand("{time}", fragments)
    gap = _expand("{date_time_gap}", fragments)
    # Not inside a longer number, and not glued to a word before a written month:
    # "Nolan22 Dec 2016651" holds no date.
    date_search = rf"(?<!\d)(?:(?<![^\W\d_])|(?=\d))(?:{date})(?!\d)"
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
        # "said. The", "global.” Pe", "global.”Pe", "election. (Thomas", "Genève. «
        # Photo": the letter after is checked for upper case in code (re has no
        # Unicode case classes).
        internal_break=patterns.compile(
            rf"[{ends}]+(?:[{closing}]*\s+|[{closing}]+)(?:[{opening}]\s?)*(?=\w)"
        ),
        cjk_break=patterns.compile(f"[{re.escape(headline['internal_cjk_sentence_end'])}](?=.)"),
        split_rules=frozenset(data["split"]["dateline_rules"]),
        min_articles=data["split"]["min_articles"],
        min_body_chars=data["split"]["min_body_chars"],
        min_year=data["dates"]["min_year"],
        max_year=data["dates"]["max_year"],
        common_languages=data["dates"]["common_languages"],
        buddhist_script=patterns.compile(f"[{data['dates']['buddhist_era_scripts']}]"),
        buddhist_offset=data["dates"]["buddhist_era_offset"],
        bikram_sambat_mark=patterns.compile(
            # A whole word: not "पुस" in "पुस्तक" (a book), whose vowel signs and
            # virama are marks, no word characters.
            rf"(?<![^\W\d_]|[\u0900-\u097f]){_label_alternatives(dates['bikram_sambat_marks'])}"
            rf"(?![^\W\d_]|[\u0900-\u097f])"
        ),
        bikram_sambat_offsets=frozenset(dates["bikram_sambat_offsets"]),
        extra_months=extra_months,
        afternoon=patterns.compile(
            rf"(?<![^\W\d_]){_label_alternatives([*dates['pm_after'], *dates['pm_before']])}"
            rf"(?![^\W\d_])"
        ),
        morning=patterns.compile(
            rf"(?<![^\W\d_]){_label_alternatives([*dates['am_after'], *dates['am_before']])}"
            rf"(?![^\W\d_])"
        ),
        body=data["body"],
        zones=data["zones"],
        date_search=patterns.compile(date_search),
        time_search=patterns.compile(rf"(?<!\d)(?:{time})(?!\d)"),
        time_after=patterns.compile(rf"(?:{gap})(?:{time})(?!\d)"),
        date_label=patterns.compile(bounded["date"]),
        update_label=patterns.compile(bounded["update"]),
        any_label=patterns.compile("|".join(bounded[name] for name in sorted(bounded))),
        label_alone=patterns.compile(
            "(?:" + "|".join(labels[n] for n in ("date", "update", "source", "author")) + ")"
            r"\s?[:：]?"
        ),
        copyright=patterns.compile(_expand(data["credits"]["copyright"], fragments)),
        copyright_before=patterns.compile(_expand(data["credits"]["copyright_before"], fragments)),
        rights=patterns.compile(bounded["rights"]),
        wire=tuple(patterns.compile(_expand(p, fragments)) for p in data["credits"]["wire"]),
        max_agency_words=data["credits"]["max_agency_words"],
        site_name=data["site_name"],
        author_label=patterns.compile(labels["author"]),
    )


def declared_languages(declared: Mapping[str, object]) -> tuple[str, ...]:
    """The sidecar's languages that dateparser knows, in the sidecar's order."""
    languages = declared.get("languages")
    if not isinstance(languages, list | tuple):
        return ()
    return tuple(
        dict.fromkeys(x for x in languages if isinstance(x, str) and x in _dateparser_languages())
    )


def body_languages(
    languages: tuple[str, ...], body: Sequence[str], rules: MetadataRules
) -> tuple[str, ...]:
    """The page's languages for dates: the declared ones, else the one py3langid
    identifies in the body when dateparser knows it, else none. A relative time ("2
    hours ago") is read in these only, an absolute date also in the most used
    languages (:func:`parse_date`).

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> body_languages((), ["Die Minister trafen sich am Montag in Berlin."], rules)
    ('de',)
    >>> body_languages(("ru",), [], rules), body_languages((), [], rules)
    (('ru',), ())
    """
    if languages:
        return languages
    sample = " ".join(body)[: rules.site_name["language_sample_chars"]]
    if not any(ch.isalpha() for ch in sample):
        return ()
    # Imported here: the model is loaded on first use only.
    from curation.steps.identify_language import model_label

    return declared_languages({"languages": [model_label(sample)]})


# The page's own languages for dates, asked only when needed (:func:`body_languages`
# behind a cache, usually: identifying them is a model run).
PageLanguages = Callable[[], tuple[str, ...]]


def no_page_languages() -> tuple[str, ...]:
    """The page's languages when no one asks for them: none."""
    return ()


@functools.lru_cache(maxsize=64)
def _common_languages(count: int, declared: tuple[str, ...]) -> tuple[str, ...]:
    """dateparser's ``count`` most used languages and the declared ones, in its order."""
    from dateparser.data import language_order

    wanted = set(language_order[:count]) | set(declared)
    return tuple(x for x in language_order if x in wanted)


@functools.lru_cache(maxsize=4096)
def _dateparser_date(
    candidate: str, languages: tuple[str, ...], declared: bool
) -> datetime.date | None:
    # Declared languages are tried in their order, each with its locale's day/month
    # order; other languages in dateparser's order, day first.
    parser = _date_data_parser(
        languages=list(languages),
        use_given_order=declared,
        settings=_DECLARED_LANGUAGE_SETTINGS if declared else _ANY_LANGUAGE_SETTINGS,
    )
    try:
        found = parser.get_date_data(candidate)["date_obj"]
    except (ValueError, OverflowError):  # e.g. a day that the month does not have
        return None
    return found.date() if found is not None else None


@functools.lru_cache(maxsize=16)
def _relative_parser(languages: tuple[str, ...]) -> DateDataParser:
    # Built once per language list: building one loads every locale it may try.
    return _date_data_parser(
        languages=list(languages) or None,
        use_given_order=bool(languages),
        settings=_RELATIVE_SETTINGS,
    )


@functools.lru_cache(maxsize=4096)
def _relative_past(line: str, languages: tuple[str, ...]) -> bool:
    parser = _relative_parser(languages)
    try:
        found = parser.get_date_data(line)["date_obj"]
    except (ValueError, OverflowError):
        return False
    return found is not None and found < _RELATIVE_SETTINGS["RELATIVE_BASE"]


def is_relative_date(line: str, languages: tuple[str, ...], rules: MetadataRules) -> bool:
    """Whether ``line`` is only a time gone by, said relative to the reading: "1 day ago",
    "před 2 hodinami", "منذ ساعتين". Such a line under a headline dates it, though no
    date can be read from it (the step never reads the clock). A short line only
    (``[zones] max_relative_date_words``); counts and labels are no times.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> [is_relative_date(x, (), rules) for x in ("1 day ago", "vor 3 Stunden", "2小时前")]
    [True, True, True]
    >>> [is_relative_date(x, (), rules) for x in ("2192 Shares", "in 2 days", "Alex Perry")]
    [False, False, False]
    """
    words = line.split()
    if not words or len(words) > rules.zones["max_relative_date_words"]:
        return False
    if len(line) > rules.max_metadata_chars:
        return False
    return _relative_past(date_digits(" ".join(words), rules), languages)


def date_digits(text: str, rules: MetadataRules) -> str:
    """``text`` with every decimal digit written as its ASCII digit and every year of
    the Buddhist era as its year of the common era; each character keeps its place.

    Pages print dates and times in their script's digits: Arabic-Indic "١٢/٠٣/٢٠٢٤",
    Persian "۱۴:۳۰", Devanagari "१२ मार्च", Thai "๑๒", full-width "２０２４年". Every
    format of the rules file then reads them as it reads ASCII digits, and the
    offsets of a match are the line's own (each digit stays one character). Only
    category Nd: a superscript "²" or a circled "①" is no digit of a date.

    Thai and Lao pages count years in the Buddhist era (``[dates]
    buddhist_era_offset`` years ahead): in a text holding a letter of those scripts
    (``buddhist_era_scripts``), a four-digit number that is a year of the era between
    ``min_year`` and ``max_year`` becomes its common-era year. The ranges do not meet:
    a common-era year printed on the same page (2024) is no Buddhist-era year of
    those bounds, and is kept. A text that dates in the Bikram Sambat era of Nepal
    (``bikram_sambat_marks``) has its years of that era left unread
    (:func:`_without_bikram_sambat_years`).

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> date_digits("١٢/٠٣/٢٠٢٤ ١٤:٣٠", rules), date_digits("２０２４年３月", rules)
    ('12/03/2024 14:30', '2024年3月')
    >>> date_digits("๑๒ มีนาคม ๒๕๖๗", rules), date_digits("Room 2567, 12 March 2024", rules)
    ('12 มีนาคม 2024', 'Room 2567, 12 March 2024')
    """
    if not text.isascii():
        text = _DIGIT.sub(lambda digit: str(unicodedata.decimal(digit.group())), text)
    if text.isascii():
        return text
    if rules.bikram_sambat_mark.search(text):
        text = _without_bikram_sambat_years(text, rules)
    if not rules.buddhist_script.search(text):
        return text
    offset = rules.buddhist_offset

    def common_era(year: re.Match[str]) -> str:
        value = int(year.group()) - offset
        return str(value) if rules.min_year <= value <= rules.max_year else year.group()

    return _FOUR_DIGITS.sub(common_era, text)


def _without_bikram_sambat_years(text: str, rules: MetadataRules) -> str:
    """``text``, which dates in the Bikram Sambat era, with each four-digit year of
    that era written "0000": no date reads it. A year that another year of the text
    runs ahead of by the era's offset is a common-era one, and is kept.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> _without_bikram_sambat_years("2081/04/15 गते", rules)
    '0000/04/15 गते'
    >>> _without_bikram_sambat_years("साउन 15, 2081 | July 30, 2024", rules)
    'साउन 15, 0000 | July 30, 2024'
    """
    years = {int(year.group()) for year in _FOUR_DIGITS.finditer(text)}

    def unread(year: re.Match[str]) -> str:
        value = int(year.group())
        if any(value + offset in years for offset in rules.bikram_sambat_offsets):
            return year.group()
        return "0000"

    return _FOUR_DIGITS.sub(unread, text)


def parse_date(
    candidate: str,
    languages: tuple[str, ...],
    rules: MetadataRules,
    page_languages: PageLanguages = no_page_languages,
) -> str | None:
    """An ISO date (YYYY-MM-DD) for a date captured by a format, or None.

    Declared languages first; then, day first, dateparser's most used languages
    (``[dates] common_languages`` of the rules file) with the declared ones; then the
    page's own (``page_languages``, asked only then: identifying them costs a model
    run); then the extra month names of the rules file. In each language list, a
    word that names a month in dateparser's own month table decides the month
    (:func:`_checked_date`). Only ever called on a captured candidate. The result
    is what dateparser, trying every language it knows in its own order, would find
    in those languages: not every language is tried, because each one tried loads
    its locale for good (all 205 take 35 MiB a process) and a captured string that
    is no date is tried in all of them.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> parse_date("Iul-16-2022", ("ro",), rules), parse_date("Noi-16-2022", ("ro",), rules)
    ('2022-07-16', '2022-11-16')
    >>> swahili = "16 Julai 2022"
    >>> parse_date(swahili, (), rules), parse_date(swahili, (), rules, lambda: ("sw",))
    (None, '2022-07-16')
    """

    def attempts() -> Iterator[datetime.date | None]:
        if languages:
            yield _checked_date(candidate, languages, True)
        common = _common_languages(rules.common_languages, languages)
        yield _checked_date(candidate, common, False)
        page = tuple(x for x in page_languages() if x not in common)
        if page:
            yield _checked_date(candidate, page, False)
        replaced = candidate
        for pattern, month in rules.extra_months:
            replaced = pattern.sub(_ENGLISH_MONTHS[month - 1], replaced)
        if replaced != candidate:
            yield _dateparser_date(replaced, ("en",), True)

    found = next((date for date in attempts() if date is not None), None)
    if found is None or not rules.min_year <= found.year <= rules.max_year:
        return None
    return found.isoformat()


@functools.lru_cache(maxsize=4096)
def _table_month(word: str, languages: tuple[str, ...]) -> int | None:
    """The month that ``word`` names in dateparser's own data of ``languages`` (its
    month names and abbreviations), its full stops left out on both sides, when
    every one of them that lists it agrees; else None."""
    from dateparser.languages.loader import default_loader

    key = word.replace(".", "").casefold()
    found = set()
    for language in languages:
        info = default_loader.get_locale(language).info
        for number, name in enumerate(_MONTH_KEYS, 1):
            if any(n.replace(".", "").casefold() == key for n in info.get(name, ())):
                found.add(number)
    return found.pop() if len(found) == 1 else None


def _checked_date(
    candidate: str, languages: tuple[str, ...], declared: bool
) -> datetime.date | None:
    """dateparser's date for ``candidate`` in ``languages``, its month held to the
    languages' own month table.

    dateparser 1.5.0 reads Thai abbreviated months wrong: "มี.ค." (March, written
    with full stops between its letters) and "มีค" (its form in dateparser's data)
    both come out as January. So a word of the candidate that names a month in
    the table decides the month: a word written with full stops between its letters
    is read only there (by its form without them; a word the table does not know
    leaves the candidate unread, so "U.S." or a sentence's end never becomes a
    month), and a word without them overrules dateparser's month when they
    differ. The candidate is then read with the month's English name.
    """
    words = _MONTH_WORD.findall(candidate)
    dotted = [w for w in words if "." in w]
    months = {w: _table_month(w, languages) for w in words}
    if dotted and any(months[w] is None for w in dotted):
        return None
    found = None if dotted else _dateparser_date(candidate, languages, declared)
    named = {w: m for w, m in months.items() if m is not None}
    if not named or (found is not None and all(m == found.month for m in named.values())):
        return found
    if len(set(named.values())) > 1:
        return None
    replaced = candidate
    for word, month in named.items():
        replaced = replaced.replace(word, _ENGLISH_MONTHS[month - 1])
    return _dateparser_date(replaced, ("en",), True)


def parse_time(candidate: str, rules: MetadataRules | None = None) -> str | None:
    """``HH:MM`` on a 24-hour clock for a time captured by a format, or None.

    With ``rules``, a word for "a.m." or "p.m." of another script before or after
    the time counts too (``[dates] am_after`` ... ``pm_before``).

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
    rest = f"{candidate[: parts.start()]} {suffix}"
    afternoon = bool(_AFTERNOON.search(suffix)) or (
        rules is not None and rules.afternoon.search(rest) is not None
    )
    morning = bool(_MORNING.search(suffix)) or (
        rules is not None and rules.morning.search(rest) is not None
    )
    if afternoon or morning:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if afternoon else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _metadata_from(
    rule: str,
    match: re.Match[str],
    printed: str,
    languages: tuple[str, ...],
    rules: MetadataRules,
    page_languages: PageLanguages,
) -> Metadata | None:
    # Dates and times are read in ``match``'s text, its digits ASCII (date_digits);
    # names as ``printed``: a publisher's digits are its own.
    groups = match.groupdict()

    def as_printed(name: str) -> str | None:
        return None if groups.get(name) is None else printed[match.start(name) : match.end(name)]

    source = date = time = updated = None
    author = (as_printed("author") or "").strip() or None
    publisher = as_printed("publisher")
    if publisher is not None:
        source = publisher.strip()
        if not source:
            return None
    if groups.get("date") is not None:
        date = parse_date(groups["date"], languages, rules, page_languages)
        if date is None:
            return None  # the pattern saw a date's shape, dateparser no date
    if groups.get("time") is not None:
        time = parse_time(groups["time"], rules)
        if time is None:
            return None
    # The date of an update must be a date too, but it is not the publication date:
    # it is kept apart, for a page that prints no publication date at all.
    if groups.get("updated") is not None:
        updated = parse_date(groups["updated"], languages, rules, page_languages)
        if updated is None:
            return None
    if groups.get("updated_time") is not None and parse_time(groups["updated_time"], rules) is None:
        return None
    return Metadata(rule, match.end(), source, date, time, author, updated)


def match_paragraph(
    paragraph: str,
    where: str,
    languages: tuple[str, ...],
    rules: MetadataRules,
    page_languages: PageLanguages = no_page_languages,
) -> Metadata | None:
    """What ``paragraph`` states, if it is a header or footer paragraph as a whole.

    ``where`` is ``"header"`` or ``"footer"``: only the formats allowed there are
    tried, in the order of the rules file. ``languages`` and ``page_languages`` are
    :func:`parse_date`'s.
    """
    if len(paragraph) > rules.max_metadata_chars:
        return None
    readable = date_digits(paragraph, rules)
    for fmt in rules.formats:
        if where in fmt.where:
            match = fmt.pattern.fullmatch(readable)
            if match is not None:
                found = _metadata_from(fmt.rule, match, paragraph, languages, rules, page_languages)
                if found is not None:
                    return found
    return None


def match_head_fragment(
    paragraph: str,
    languages: tuple[str, ...],
    rules: MetadataRules,
    page_languages: PageLanguages = no_page_languages,
) -> Metadata | None:
    """A label and date at the start of ``paragraph`` with prose after them, or None.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> match_head_fragment("date 2020-12-20 Chinese and Russian media met.", ("en",), rules)
    ... # doctest: +NORMALIZE_WHITESPACE
    Metadata(rule='labelled_date_fragment', length=16, source=None, date='2020-12-20',
             time=None, author=None, updated=None)
    """
    readable = date_digits(paragraph, rules)
    for fmt in rules.formats:
        if "head_fragment" in fmt.where:
            match = fmt.pattern.match(readable)
            if match is not None and match.end() < len(paragraph):
                found = _metadata_from(fmt.rule, match, paragraph, languages, rules, page_languages)
                if found is not None:
                    return found
    return None


def _word_count(text: str) -> int:
    return len(text.split())


def is_headline(paragraph: str, rules: MetadataRules, one_phrase: bool = True) -> bool:
    """Whether ``paragraph`` has the shape of a headline: short, one phrase, no full stop.

    Whether it *is* the title also depends on what follows it (a dateline, or a
    body paragraph): that is for the caller to check. ``one_phrase=False`` lets a
    full stop inside it pass ("West Ham hrozí gigantům. Součka je snadné
    přehlédnout"): a headline of two phrases, which only other evidence (the page
    printing it twice) tells from a teaser.

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
    >>> is_headline("N. Korea slams S. Korea for joint drill", rules)  # initials
    True
    >>> is_headline("How Winter Wreaks Havoc Under N.Y.C.", rules)
    True
    >>> is_headline("The minister visits the Wall. (Thomas Coex/AFP/Getty Images)", rules)
    False
    >>> text = "West Ham hrozí gigantům. Součka je snadné přehlédnout"
    >>> is_headline(text, rules), is_headline(text, rules, one_phrase=False)
    (False, True)
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
    if not ending or (ending[-1] in limits["sentence_final"] and not _INITIAL.search(ending)):
        return False
    if rules.byline.match(paragraph):
        return False
    if not one_phrase:
        return True
    if rules.cjk_break.search(ending):
        return False
    return not any(
        paragraph[m.end()].isupper() and not _INITIAL.search(paragraph[: m.start() + 1])
        for m in rules.internal_break.finditer(paragraph)
    )


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


def _cased_initials(words: Sequence[str]) -> tuple[int, int]:
    """How many of ``words`` (a paragraph's, split) start with a capital, and how many
    in lower case."""
    initials = list(map(itemgetter(0), words))
    return sum(map(str.isupper, initials)), sum(map(str.islower, initials))


def _ends_sentence(paragraph: str, rules: MetadataRules, final: bool = False) -> bool:
    """Whether ``paragraph`` ends like a sentence, or (unless ``final``) breaks into one."""
    headline = rules.headline
    ending = paragraph.rstrip(headline["closing_marks"])
    if bool(ending) and ending[-1] in headline["sentence_final"]:
        return True
    if final:
        return False
    if rules.cjk_break.search(ending):
        return True
    return any(
        m.end() < len(paragraph) and paragraph[m.end()].isupper()
        for m in rules.internal_break.finditer(paragraph)
    )


def _matches_at_least(pattern: re.Pattern[str], text: str, count: int) -> bool:
    """``len(pattern.findall(text)) >= count``, read only up to the ``count``-th match (a
    paragraph in Chinese has hundreds of the characters written without spaces, and
    prose needs a few dozen), with no list of them made.

    >>> _matches_at_least(patterns.compile("[的是]"), "是的，是的", 4)
    True
    >>> _matches_at_least(patterns.compile("[的是]"), "是的，是的", 5)
    False
    """
    if count <= 0:
        return True
    return next(itertools.islice(pattern.finditer(text), count - 1, None), None) is not None


def is_prose(paragraph: str, rules: MetadataRules, weak: bool = False) -> bool:
    """Whether ``paragraph`` is a paragraph of an article's prose, not a line of chrome.

    Long, ending like a sentence (or breaking into a second one), and, in cased
    scripts, mostly lower-case words. ``weak`` asks only for a shorter sentence
    (see ``[body]`` in the rules file).

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> is_prose("The two sides agreed to expand cooperation in digital trade and "
    ...          "satellite navigation over the next five years.", rules)
    True
    >>> is_prose("Sign up for our newsletter.", rules)
    False
    >>> is_prose("双方同意在未来五年内扩大在数字贸易、跨境数据和卫星导航领域的合作。", rules)
    True
    """
    limits = rules.body
    words = paragraph.split()
    min_words, min_unspaced = (
        (limits["min_weak_words"], limits["min_weak_unspaced_chars"])
        if weak
        else (limits["min_words"], limits["min_unspaced_chars"])
    )
    # Long enough in words, or in characters of a script written without spaces: the
    # characters are counted only when the words are too few (most paragraphs of a
    # page have enough, and the count reads the whole paragraph).
    if len(words) < min_words and not _matches_at_least(rules.unspaced, paragraph, min_unspaced):
        return False
    # A short paragraph must end like a sentence: "22. Oktober 2021, um 17:37"
    # breaks after "22." but is no sentence.
    if not _ends_sentence(paragraph, rules, final=weak):
        return False
    upper, lower = _cased_initials(words)
    if upper + lower < 4:
        return True
    return bool(lower / (upper + lower) >= limits["min_lowercase_share"])


def prose_flags(paragraphs: Sequence[str], rules: MetadataRules) -> list[bool]:
    """:func:`is_prose` of each paragraph (not ``weak``): asked once per paragraph of a
    page, though the body finder and the readers of the zones around it all ask it
    (about a third of the questions were asked before, of a page's longest paragraphs).

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> prose_flags(["Home", "The two sides agreed to expand cooperation in trade over "
    ...              "the next five years."], rules)
    [False, True]
    """
    return [is_prose(paragraph, rules) for paragraph in paragraphs]


def find_body(
    paragraphs: Sequence[str], rules: MetadataRules, prose: Sequence[bool] | None = None
) -> tuple[int, int] | None:
    """The first and last paragraph (indexes) of the article body, or None if no prose.

    The body is the first run of prose paragraphs (:func:`is_prose`) with at least
    ``[body] min_run_share`` of the characters of the largest run, where prose
    paragraphs at most ``max_gap`` paragraphs apart belong to one run; earlier prose
    within ``max_lead_gap`` (up to a date line) and shorter sentences (at its end
    within the same gap, right before its start) extend it. Everything before it is
    the header zone, everything after it the footer zone. Kept small and separate
    so that a richer body finder can take its place.

    ``prose``, if given, is :func:`is_prose` of each paragraph (:func:`prose_flags`),
    which the caller asks again of the zones around the body.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> prose = "The two sides agreed to expand cooperation in trade over the next five years."
    >>> find_body(["Home", "News", "Trade grows", prose, prose, "Share", "About us"], rules)
    (3, 4)
    """
    if prose is None:
        prose = prose_flags(paragraphs, rules)
    gap = rules.body["max_gap"]
    runs: list[tuple[int, int, int]] = []  # (first, last, characters)
    for index, paragraph in enumerate(paragraphs):
        if not prose[index]:
            continue
        if runs and index - runs[-1][1] - 1 <= gap:
            runs[-1] = (runs[-1][0], index, runs[-1][2] + len(paragraph))
        else:
            runs.append((index, index, len(paragraph)))
    if not runs:
        return None
    # The article comes before its comments and related stories: the first run
    # nearly as large as the largest is the body.
    largest = max(size for _, _, size in runs)
    share = rules.body["min_run_share"]
    first, end, _ = next(run for run in runs if run[2] >= share * largest)
    # The article's lead may stand further up, above a large picture, a quote box
    # or a code listing: earlier prose within `max_lead_gap` belongs to the body.
    lead_gap = rules.body["max_lead_gap"]
    moved = True
    while moved:
        moved = False
        for index in range(first - 1, max(first - lead_gap - 2, -1), -1):
            line = paragraphs[index]
            if prose[index]:
                first, moved = index, True
                break
            # A date line marks where the article starts: what is above it is
            # the header (a standfirst, a headline that reads like a sentence).
            if len(line) <= rules.max_metadata_chars and rules.date_search.search(line):
                break
    while first > 0 and is_prose(paragraphs[first - 1], rules, weak=True):
        first -= 1
    extended = True
    while extended:
        extended = False
        for index in range(end + 1, min(end + gap + 2, len(paragraphs))):
            if is_prose(paragraphs[index], rules, weak=True):
                end, extended = index, True
                break
    return first, end


@dataclass(frozen=True, slots=True)
class DateLine:
    """A header or footer line that holds a date, as :func:`read_date_line` reads it.

    ``kind`` is ``"published"`` (after a publication-date label), ``"updated"``
    (after an update label) or ``"plain"`` (no label); ``pure`` says that the line
    holds nothing but dates, times, labels and separators, so it may leave the text.
    """

    kind: str
    date: str
    time: str | None
    pure: bool


def _letters_words(text: str) -> int:
    return sum(1 for w in text.split() if any(c.isalpha() for c in w))


def _ends_a_date(ending: str, last: re.Match[str], rules: MetadataRules) -> bool:
    """Whether the mark that ends ``ending`` is the last character of its last date
    (``last``) or of a time: the dot that many languages print after a date's day or
    year or a word for "year" ("2017. március 11.", "11. 3. 2017.", "11 марта 2017
    г."), or of a 12-hour time ("10:20 a.m."), ends no sentence."""
    return last.end() == len(ending) or any(
        time.end() == len(ending) for time in rules.time_search.finditer(ending)
    )


def read_date_line(
    line: str,
    languages: tuple[str, ...],
    rules: MetadataRules,
    page_languages: PageLanguages = no_page_languages,
) -> list[DateLine]:
    """Every date of a header or footer line, if the line is a date line; else ``[]``.

    A date line holds a date anywhere, with or without a label; what is left of it
    without its dates, times and labels is short, and it does not end like a
    sentence. Never called on the body's paragraphs.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> [(d.kind, d.date, d.time) for d in read_date_line(
    ...     "Written on March 3, 2015 at 10:20 | Updated March 5, 2015", ("en",), rules)]
    [('plain', '2015-03-03', '10:20'), ('updated', '2015-03-05', None)]
    >>> read_date_line("On March 3, 2015 the ministers met in Geneva.", ("en",), rules)
    []
    """
    if len(line) > rules.max_metadata_chars or "\n" in line:
        return []
    line = date_digits(line, rules)
    ending = line.rstrip(rules.headline["closing_marks"])
    matches = list(rules.date_search.finditer(line))
    if not matches or not ending:
        return []
    if ending[-1] in rules.headline["sentence_final"].replace(":", "") and not _ends_a_date(
        ending, matches[-1], rules
    ):
        return []
    residue = line
    found: list[DateLine] = []
    labelled = False
    for index, match in enumerate(matches):
        date = parse_date(match.group(0), languages, rules, page_languages)
        if date is None:
            continue
        before = line[matches[index - 1].end() if index else 0 : match.start()]
        after_end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
        after = line[match.end() : after_end]
        updates = [m.end() for m in rules.update_label.finditer(before)]
        published = [m.end() for m in rules.date_label.finditer(before)]
        kind = "plain"
        if updates or published:
            labelled = True
            updated = max(updates, default=-1) >= max(published, default=-1)
            kind = "updated" if updated else "published"
        # The time printed next to the date: right after it, or right before it.
        time = None
        time_after = rules.time_after.match(after)
        time_before = list(rules.time_search.finditer(before))
        printed = rules.time_search.search(time_after.group(0)) if time_after else None
        if printed is not None:
            time = parse_time(printed.group(0), rules)
        elif time_before:
            # "9:22 PM EST, Mon November 6, 2023": a weekday at most between them.
            between = before[time_before[-1].end() :].strip(" ,-–—|·•@").split()
            if not between or (len(between) == 1 and not rules.any_label.search(between[0])):
                time = parse_time(time_before[-1].group(0), rules)
        found.append(DateLine(kind, date, time, pure=False))
    if not found:
        return []
    residue = rules.date_search.sub(" ", line)
    residue = rules.time_search.sub(" ", residue)
    residue = rules.any_label.sub(" ", residue)
    # In a script without spaces between words, a run's characters count as words.
    unspaced = len(rules.unspaced.findall(residue))
    per_word = rules.zones["residue_unspaced_chars_per_word"]
    words = _letters_words(rules.unspaced.sub("", residue)) + -(-unspaced // per_word)
    limit = rules.zones["max_labelled_residue_words" if labelled else "max_residue_words"]
    if words > limit:
        return []
    return [DateLine(d.kind, d.date, d.time, pure=words == 0) for d in found]


# Pieces of a chrome line: words (letters, digits and the marks inside names and
# domain names: "Sott.net", "AT&T", "O'Reilly") between spaces and separators.
_CHROME_TOKEN = patterns.compile(r"[^\W_](?:[\w.&'’-]{0,60}[^\W_])?")
_DOMAIN = patterns.compile(
    r"(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,4}[a-z]{2,18})", re.IGNORECASE
)
_WORD = patterns.compile(r"[^\W\d_]{2,40}")
# What separates a credit from what stands before it in a line: "InsideGov — By Graphiq".
_CREDIT_SEPARATOR = patterns.compile(r"[|·•—–/]|\s-\s")
# A number right before or after a word: "November 26", "26. März".
_NUMBER_BEFORE = patterns.compile(r"\d[.,]?\s?$")
_NUMBER_AFTER = patterns.compile(r"\s?\d")
# A web or e-mail address, a handle or a domain: "https://x.org/a", "a@b.es", "@x".
_ADDRESS = patterns.compile(r"[\w.:/@%?=&~+-]*[./@][\w.:/@%?=&~+-]*")
# The same found in two bounded pieces that Python's re runs (see _without_addresses):
# an address's first mark and the rest of its run, and, read backwards, what comes
# before that mark.
_ADDRESS_TAIL = patterns.compile(r"[./@][\w.:/@%?=&~+-]*")
_ADDRESS_HEAD = patterns.compile(r"[\w:%?=&~+-]*")


def _without_addresses(text: str) -> str:
    """``_ADDRESS.sub(" ", text)``: each address in ``text`` replaced by a space.

    An address is a run of its characters holding a mark (``.``, ``/`` or ``@``):
    ``_ADDRESS`` takes such a run whole, from its first character. RE2 runs it, and
    answers through Python for each match (a sentence's last word and its full stop
    are one); here the first mark and the rest of the run are one match of a pattern
    Python's re runs, and the start of the run is read backwards from the mark.

    >>> _without_addresses("See https://x.org/a or write to a@b.es. Thanks")
    'See   or write to   Thanks'
    """
    pieces: list[str] = []
    last = 0
    reverse = ""
    for match in _ADDRESS_TAIL.finditer(text):
        if not reverse:
            reverse = text[::-1]
        head = _ADDRESS_HEAD.match(reverse, len(text) - match.start())
        start = match.start() - (head.end() - head.start() if head is not None else 0)
        pieces.append(text[last:start])
        pieces.append(" ")
        last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _name_shaped(token: str, common: Container[str]) -> bool:
    """A word a name is made of: capitalised or with a capital inside, not a common word."""
    if not any(ch.isalpha() for ch in token) or any(ch.isdigit() for ch in token):
        return False
    inner_capital = any(ch.isupper() for ch in token[1:])
    if not (token[0].isupper() or inner_capital):
        return False
    return inner_capital or token.casefold() not in common


def _line_names(line: str, common: Container[str], max_words: int) -> dict[str, int]:
    """The domain names in ``line``, and every run of up to ``max_words`` name-shaped
    words, each with where it starts in the line (the first time)."""
    keys: dict[str, int] = {}
    run: list[tuple[str, int]] = []

    def close_run() -> None:
        for size in range(1, min(len(run), max_words) + 1):
            for start in range(len(run) - size + 1):
                name = " ".join(token for token, _ in run[start : start + size])
                keys.setdefault(name, run[start][1])
        run.clear()

    previous_end = 0
    for match in _CHROME_TOKEN.finditer(line):
        token = match.group(0)
        if line[previous_end : match.start()].strip():
            close_run()  # a separator, not a space, between two words
        previous_end = match.end()
        domain = _DOMAIN.fullmatch(token)
        # Before an "@" it is the user's name of an e-mail address ("jane.doe@site.com").
        if domain is not None and "." in token.strip(".") and not line.startswith("@", match.end()):
            close_run()
            keys.setdefault(domain.group(1), match.start())
        elif _name_shaped(token, common):
            run.append((token, match.start()))
        else:
            close_run()
    close_run()
    return keys


def _letters(name: str) -> str:
    """A name's letters and digits, folded: "The Seattle Times" -> "theseattletimes"."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def _domain_labels(domain: str, generic: Collection[str] = ()) -> set[str]:
    """The labels of a domain that can be a site's name: "m.heraldsun.com.au" ->
    {"heraldsun"}, "www.bbc.com" -> {"bbc"} (not the suffix, not one- or two-letter
    labels such as "m", "en", not the ``generic`` ones such as "www", "com")."""
    labels = domain.casefold().split(".")[:-1]
    # A label of digits only is a file's or a page's number ("318674.php"), no name.
    return {
        label for label in labels if len(label) > 2 and label not in generic and not label.isdigit()
    }


def _menu_case(line: str, max_words: int) -> bool:
    """Whether ``line`` is a short line written all in lower case: a menu set in lower
    case by its style sheet ("acervo folha", "guia folha"), which says nothing about
    how the language writes its words.

    >>> _menu_case("acervo folha", 4), _menu_case("Acervo Folha", 4)
    (True, False)
    >>> _menu_case("the site of the paper uses cookies to count its readers", 4)
    False
    """
    # The word count first (a line of prose has too many), then the cases counted in C.
    # Split at most max_words times: the pieces are all the words when there are no
    # more than that, and one piece more (the rest of the line) when there are.
    return (
        len(line.split(None, max_words)) <= max_words
        and any(map(str.islower, line))
        and not any(map(str.isupper, line))
    )


class _PageWords:
    r"""The words a page writes in lower case (its common words), outside addresses and
    menus set in lower case, as a set to ask about: worked out at the first question.

    Addresses are written in lower case whatever they name ("mozilla.org",
    "@mozilla"): only the words of the rest tell a common word. So are menus that a
    style sheet sets in lower case ("acervo folha"): they do not either. Only a
    capitalised word of a chrome line is ever asked about (:func:`_name_shaped`), and
    most pages have none to ask (nine in ten of the benchmark's: no chrome line with
    such a word): reading the whole page for words was a third of extract_metadata's
    own time (the paragraph classifier's aside), spent for nothing there.
    The set is what it was when made at once: it depends on the page alone.

    >>> words = _PageWords("Read more at the.guardian.com\nacervo folha\nThe news of the day", 4)
    >>> "news" in words, "the" in words, "guardian" in words, "folha" in words
    (True, True, False, False)
    """

    __slots__ = ("_max_menu_words", "_page", "_words")

    def __init__(self, page: str, max_menu_words: int) -> None:
        self._page = page
        self._max_menu_words = max_menu_words
        self._words: set[str] | None = None

    def words(self) -> set[str]:
        if self._words is None:
            prose = "\n".join(
                line
                for line in _without_addresses(self._page).splitlines()
                if not _menu_case(line, self._max_menu_words)
            )
            self._words = set(filter(str.islower, _WORD.findall(prose)))
        return self._words

    def __contains__(self, word: object) -> bool:
        return word in self.words()


def _named_inside(line: str, start: int, end: int) -> bool:
    """Whether the name between ``start`` and ``end`` of ``line`` is capitalised inside
    a phrase: after other words, in a line that writes some word in lower case ("Inside
    the Guardian", "Make Medium yours"), so its capital is not the line's first letter
    nor Title Case ("Social Login", "Login with Facebook"). A word next to a number is
    a month or a weekday, which some languages capitalise ("on November 26").

    >>> _named_inside("Inside the Guardian", 11, 19), _named_inside("Social Login", 7, 12)
    (True, False)
    >>> _named_inside("Login with Facebook", 0, 5), _named_inside("Snow on November 26", 8, 16)
    (False, False)
    """
    if _NUMBER_BEFORE.search(line, 0, start) or _NUMBER_AFTER.match(line, end):
        return False
    return any(ch.isalpha() for ch in line[:start]) and any(
        word[:1].islower() for word in _CHROME_TOKEN.findall(line)
    )


def _acronym_expansion(acronym: str, lines: Iterable[str], rules: MetadataRules) -> str | None:
    """The words an acronym stands for, where ``lines`` spell them out: as many
    capitalised words in a row as the acronym has letters, their initials its letters
    ("MNT" / "Get the most out of Medical News Today", "ТАСС" / "Телеграфное Агентство
    Советского Союза"). A copyright notice is not read: it gives a company's legal name
    ("© 2016 Cable News Network"), not the name the site goes by.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> _acronym_expansion("ACLU", ["Donate", "American Civil Liberties Union"], rules)
    'American Civil Liberties Union'
    >>> _acronym_expansion("CNN", ["© 2016 Cable News Network. All Rights Reserved."], rules)
    """
    letters = acronym.casefold()
    size = len(letters)
    for line in lines:
        if rules.copyright.search(line) or rules.rights.search(line):
            continue
        words: list[re.Match[str]] = list(_CHROME_TOKEN.finditer(line))
        for start in range(len(words) - size + 1):
            window = words[start : start + size]
            adjacent = all(
                not line[a.end() : b.start()].strip() for a, b in itertools.pairwise(window)
            )
            shaped = all(w.group(0)[:1].isupper() and not w.group(0).isupper() for w in window)
            initials = "".join(w.group(0)[:1] for w in window).casefold()
            if adjacent and shaped and initials == letters:
                return " ".join(w.group(0) for w in window)
    return None


def _spelled_by(letters: str, label: str, limits: Mapping[str, Any]) -> bool:
    """Whether a domain's ``label`` spells the name whose letters are ``letters``: the
    same letters, or the end of them, that covers most of the name ("theseattletimes" /
    "seattletimes"), not a word at its end ("worthyourtime" / "time").

    >>> limits = {"min_domain_cover": 0.6}
    >>> _spelled_by("theseattletimes", "seattletimes", limits)
    True
    >>> _spelled_by("worthyourtime", "time", limits), _spelled_by("bbcnews", "bbc", limits)
    (False, False)
    """
    if letters == label:
        return True
    return letters.endswith(label) and len(label) >= limits["min_domain_cover"] * len(letters)


def _name_evidence(
    folded: str,
    form: str,
    inside: Collection[str],
    capitals: Mapping[str, bool],
    masthead: Collection[str],
) -> bool:
    """Whether the way the chrome prints a candidate says it is a name: printed as one
    in some line (``inside``: "Subscribe to Herald Sun", "Yahoo!ニュース"), a capital
    inside a word ("eHow", "BuzzFeed"), capitals only ("CNN"), the shape of an address
    ("sott.net"), or printed in the masthead, where a site names itself first. A word
    capitalised only as a line's first word or in a line in Title Case ("Login with
    Facebook", "Social Login") has none: any word is so printed.

    >>> _name_evidence("login", "Login", set(), {}, set())
    False
    >>> _name_evidence("ehow", "eHow", set(), {}, set())
    True
    >>> _name_evidence("nikkei", "Nikkei", set(), {}, {"nikkei"})
    True
    """
    if folded in inside or capitals.get(folded, False) or folded in masthead:
        return True
    if "." in folded and _DOMAIN.fullmatch(folded):
        return True
    return any(ch.isupper() for word in form.split() for ch in word[1:])


def _among_uncased(line: str, start: int, end: int) -> bool:
    """Whether the name between ``start`` and ``end`` of ``line`` stands among words
    of a script without capitals ("Yahoo!ニュース", "스타일 Yahoo"): its capital is its
    own, not a line's first letter nor Title Case.

    >>> _among_uncased("Yahoo!ニュース", 0, 5), _among_uncased("Yahoo News", 0, 5)
    (True, False)
    >>> _among_uncased("Yahoo", 0, 5)
    False
    """
    rest = [ch for ch in line[:start] + line[end:] if ch.isalpha()]
    return bool(rest) and all(ch.lower() == ch.upper() for ch in rest)


def _addressed_runs(
    lines: Sequence[str], labels: Collection[str], rules: MetadataRules
) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """Runs of capitalised words of ``lines`` whose letters a domain label of the page
    spells (see :func:`_spelled_by`), common words or not: (folded, as printed, where
    first printed). A site's name made of common words ("The Independent", "Le Monde",
    "Die Zeit") is no run of name-shaped words, and its address ("independent.co.uk",
    "lemonde.fr") is what tells it from any capitalised phrase.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> [run[1] for run in _addressed_runs(["The Independent Books", "Le Monde"],
    ...                                    {"independent", "lemonde"}, rules)]
    ['The Independent', 'Independent', 'Le Monde']
    >>> list(_addressed_runs(["an independent paper", "Independents' Day"], {"independent"}, rules))
    []
    """
    limits = rules.site_name
    if not labels:
        return
    for number, line in enumerate(lines):
        if len(line) > limits["max_line_chars"] or rules.date_search.search(line):
            continue
        run: list[re.Match[str]] = []
        runs: list[list[re.Match[str]]] = []
        previous_end = 0
        for match in _CHROME_TOKEN.finditer(line):
            token = match.group(0)
            if line[previous_end : match.start()].strip() or not (
                token[:1].isupper() and token.isalpha()
            ):
                runs.append(run)
                run = []
            previous_end = match.end()
            if token[:1].isupper() and token.isalpha():
                run.append(match)
        runs.append(run)
        for words in runs:
            for size in range(min(len(words), limits["max_words"]), 0, -1):
                for start in range(len(words) - size + 1):
                    window = words[start : start + size]
                    form = " ".join(w.group(0) for w in window)
                    letters = _letters(form)
                    if any(_spelled_by(letters, label, limits) for label in labels):
                        yield form.casefold(), form, (number, window[0].start())


def _initials(name: str) -> str:
    """The capitals that open the words of ``name``: "Cable News Network" -> "CNN";
    words in lower case ("de", "of") have none.

    >>> _initials("Cable News Network"), _initials("Zweites Deutsches Fernsehen")
    ('CNN', 'ZDF')
    >>> _initials("Bank of America")
    'BA'
    """
    return "".join(word[0] for word in name.split() if word[:1].isupper())


def _opens_with(name: str, initials: str) -> bool:
    """Whether ``name`` opens with ``initials`` as a word of its own or the first part of
    a word written in camel case: "CNN", "CNN Español", "CNNMoney"; not "CNNX" (a
    longer acronym) nor "Cnn".

    >>> [_opens_with(n, "CNN") for n in ("CNN", "CNN Español", "CNNMoney", "CNNX", "Cnn")]
    [True, True, True, False, False]
    """
    if not name.startswith(initials):
        return False
    rest = name[len(initials) :]
    return not rest or not rest[0].isalpha() or (rest[0].isupper() and rest[1:2].islower())


def _credited_names(lines: Iterable[str], common: Container[str], rules: MetadataRules) -> set[str]:
    """The names (folded) that a line credits with a byline's word: the name after
    "By", "Par", "Von" ... (``[labels] author``) at the start of a line or after a
    separator: "By Devindra Hardawar", "InsideGov — By Graphiq". Not after other words:
    "Powered by WordPress", "Branded Content by TIME" name the site or its software.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> sorted(_credited_names(["By Jane Doe", "InsideGov — By Graphiq", "Powered by Wix"],
    ...                        {"by"}, rules))
    ['graphiq', 'jane', 'jane doe']
    """
    limits = rules.site_name
    names: set[str] = set()
    for line in lines:
        if len(line) > limits["max_line_chars"]:
            continue
        for key, at in _line_names(line, common, limits["max_words"]).items():
            piece = _CREDIT_SEPARATOR.split(line[:at])[-1].strip()
            if piece and rules.author_label.fullmatch(piece):
                names.add(key.casefold())
    return names


def site_name(
    lines: Sequence[str],
    masthead: Sequence[str],
    page: str,
    rules: MetadataRules,
    holders: Sequence[str] = (),
    is_common: Callable[[str], bool] = lambda word: False,
    exclude: Sequence[str] = (),
    headline: str | None = None,
    body: str = "",
) -> str | None:
    """The site's own name, as its chrome repeats it, or None when nothing recurs enough.

    ``lines`` are the page's lines outside the article's body, ``masthead`` its first
    lines, ``page`` the whole text (a word the page writes in lower case is a common
    word, not a name). ``holders`` are the names that copyright notices of the chrome
    give; ``is_common`` says whether a single word is a common word of the page's
    language ("Share", "Menu", "March": buttons and dates, not names). A name that
    a domain printed in the chrome spells ("Mozilla" and "mozilla.org"), or that a
    copyright notice gives, scores more. ``exclude`` are names that are something
    else (the authors that bylines name), and their words. A name that the article's
    ``headline`` holds is what the article is about ("Make your Firefox your own"
    on mozilla.org, "Node.js and CPU profiling" on a blog), which its page repeats
    in menus and related links as often as the site's own name: it is left out,
    unless a domain of the chrome spells it or a copyright notice gives it (a site
    writing about itself: "Lifehacker" on lifehacker.com). See ``[site_name]`` in
    ``metadata.toml``.

    How a name is printed counts too. A common word that the chrome capitalises
    inside a phrase, in several lines ("Inside the Guardian", "Make Medium yours"),
    is a name, unless the article's ``body`` writes it (then it is what the article
    is about: "Amazon"); a button never is so written ("Login with Facebook"). Menus
    set all in lower case ("acervo folha") are no evidence that a word is common. Of
    names printed as often, the first in reading order wins. An acronym that the
    chrome spells out outside a copyright notice is named by its words ("MNT" /
    "Medical News Today"), unless the site's address spells the acronym ("lsm.lv").
    A name in a script without capitals ("ဘီဘီစီ") yields to one of ``min_score`` that
    the chrome writes as a word and the page's address spells ("BBC" / "bbc.com").

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> chrome = ["CNN values your feedback", "Your CNN account", "More from CNN", "Menu"]
    >>> site_name(chrome, chrome[:1], "your feedback and more from the menu", rules)
    'CNN'
    >>> site_name(["Menu", "Share", "Menu", "Share", "Menu"], ["Menu"], "the menu, share", rules)
    >>> chrome = ["Share", "Share to Facebook", "Share on X", "Mozilla", "mozilla.org"]
    >>> site_name(chrome, [], "", rules, (), lambda word: word.casefold() == "share")
    'Mozilla'
    >>> chrome = ["Get the new Firefox", "Firefox for Android", "Firefox Nightly", "Mozilla",
    ...           "About Mozilla", "Donate to Mozilla"]
    >>> site_name(chrome, [], "", rules), site_name(chrome, [], "", rules, headline="Firefox 3")
    ('Firefox', 'Mozilla')
    """
    limits = rules.site_name
    generic = limits["generic_domain_labels"]
    # Addresses are written in lower case whatever they name ("mozilla.org",
    # "@mozilla"): only the words of the rest tell a common word. So are menus that a
    # style sheet sets in lower case ("acervo folha"): they do not either.
    common = _PageWords(page, limits["max_menu_words"])
    first_form: dict[str, str] = {}
    # Where a name is first printed, in reading order (line, then column): of two
    # names printed as often, the first ("Yahoo! JAPAN") is the site's.
    first_seen: dict[str, tuple[int, int]] = {}
    scores: dict[str, int] = {}
    masthead_keys: set[str] = set()
    domains: set[str] = set()
    # Whether the chrome capitalises the name inside a phrase ("Inside the Guardian"):
    # a common word so written is a name ("Guardian", "Medium"), a button is not
    # ("Login with Facebook", "Social Login"). See below.
    # Whether the chrome prints the name in capitals only: an acronym or a logo
    # ("CNN", "TIME"), which no word list tells from a common word ("US", "IT" and
    # "AS" are words too: two letters are not enough).
    capitals: dict[str, bool] = {}
    chrome = [*masthead, *lines]
    excluded = {" ".join(name.split()).casefold() for name in exclude}
    # The words of a person's name too ("Devindra Hardawar" in "Devindra has ..."),
    # not of a credit that names the outlet after a comma ("Eli Watkins, CNN").
    excluded |= {word for name in excluded if "," not in name for word in name.split()}
    # So are the names that a chrome line credits with a byline's word ("By Devindra
    # Hardawar" under the article, "InsideGov — By Graphiq" in an advertiser's box): a
    # person's or a sponsor's, printed as often as the site's own in some pages.
    for name in _credited_names(chrome, common, rules):
        excluded.add(name)
        excluded.update(name.split())
    counted: set[str] = set()
    for number, line in enumerate(chrome):
        if len(line) > limits["max_line_chars"]:
            continue
        if rules.date_search.search(line):
            continue  # a date line: its month, its time zone ("0203 GMT") are no names
        # A line printed again and again (a button: "Undo", "Reply") counts once: a
        # site's name recurs in different lines, a template's label in the same one.
        seen = " ".join(line.split()).casefold()
        if number >= len(masthead) and seen in counted:
            continue
        counted.add(seen)
        keys = {
            k: at
            for k, at in _line_names(line, common, limits["max_words"]).items()
            if k.casefold() not in excluded
        }
        for key, at in keys.items():
            folded = key.casefold()
            if "." in folded and _DOMAIN.fullmatch(folded):
                domains.update(_domain_labels(folded, generic))
            first_form.setdefault(folded, key)
            first_seen.setdefault(folded, (number, at))
            # Letters only: "U.S", "U.K." are abbreviations of common words, no logo.
            capitals[folded] = (
                capitals.get(folded, True)
                and key.isupper()
                and len(key) > 2
                and all(word.isalpha() for word in key.split())
            )
            if number < len(masthead):
                masthead_keys.add(folded)
            else:
                scores[folded] = scores.get(folded, 0) + 1
    for folded in masthead_keys:
        scores[folded] = scores.get(folded, 0) + limits["masthead_bonus"]
    # Capitalised inside a phrase in lines of every length (a long line is prose-like
    # chrome, "Welcome to ... On Medium, smart voices ..."), in several of them: once
    # is any proper noun in a related headline ("... lietoti Latvijā?").
    evidence: dict[str, set[str]] = {}
    # Printed as a name: capitalised inside a phrase, or among the words of a script
    # without capitals ("Yahoo!ニュース"), where no capital is a line's first letter.
    printed: set[str] = set()
    for line in chrome:
        if rules.date_search.search(line):
            continue
        for key, at in _line_names(line, common, limits["max_words"]).items():
            folded = key.casefold()
            if folded not in scores:
                continue
            if _named_inside(line, at, at + len(key)):
                evidence.setdefault(folded, set()).add(" ".join(line.split()).casefold())
                printed.add(folded)
            elif _among_uncased(line, at, at + len(key)):
                printed.add(folded)
    named = {
        k
        for k, lines_ in evidence.items()
        if len(_letters(k)) > 2 and len(lines_) >= limits["min_named_lines"]
    }
    held: set[str] = set()
    for holder in holders:
        # A holder of several words ("The Washington Post") is no run of name-shaped
        # words when "the" is a common word: it is counted here.
        folded = " ".join(holder.split()).casefold()
        if folded in held:
            continue  # a notice printed twice is counted as a line, not as two notices
        held.add(folded)
        if folded not in first_form:
            first_form[folded] = holder
            first_seen[folded] = (len(chrome), 0)
            distinct = {" ".join(line.split()).casefold() for line in chrome}
            scores[folded] = sum(1 for line in distinct if folded in line) - 1
        scores[folded] += limits["copyright_bonus"]
    # A name of common words ("The Independent", "Le Monde") is no run of name-shaped
    # words either; the page's address spelling it names the site. Counted by the
    # distinct lines that print it.
    printed_runs: dict[str, set[str]] = {}
    for folded, form, seen_at in _addressed_runs(chrome, domains, rules):
        if folded in excluded or (folded in first_form and folded not in printed_runs):
            continue
        first_form.setdefault(folded, form)
        first_seen.setdefault(folded, seen_at)
        printed_runs.setdefault(folded, set()).add(" ".join(chrome[seen_at[0]].split()).casefold())
    for folded, printed_in in printed_runs.items():
        scores[folded] = len(printed_in)
    # What each candidate scored before the bonuses for an address: an address's own
    # mentions go over to the name it spells (below).
    mentions = dict(scores)
    spelled_names: set[str] = set()
    for folded in list(scores):
        tail = folded.split()[-1] if folded.split() else ""
        if "." in folded and _DOMAIN.fullmatch(folded):
            # A domain names a site by a label of some length: three letters spell a
            # name the chrome prints ("BBC" / "bbc.com") but alone are as often an
            # abbreviation of a name in another script ("yna.co.kr" / "연합뉴스").
            spelled = any(
                len(label) >= limits["min_domain_name_letters"]
                for label in _domain_labels(folded, generic)
            )
        elif "." in tail and _DOMAIN.fullmatch(tail):
            # A name that ends in a domain of the chrome: "ARD-aktuell / tagesschau.de".
            spelled = bool(_domain_labels(tail, generic) & domains)
        else:
            letters = _letters(folded)
            spelled = any(_spelled_by(letters, label, limits) for label in domains)
        if spelled:
            scores[folded] += limits["domain_bonus"]
            spelled_names.add(folded)
        elif folded not in held and not _name_evidence(
            folded, first_form[folded], printed, capitals, masthead_keys
        ):
            # Capitalised only where any word is (a line's first word, a line in Title
            # Case: "Login with Facebook", "Social Login", a tag "Midoriya Izuku"), and
            # printed nowhere a site names itself first: nothing says it is a name.
            del scores[folded]
        elif len(_letters(folded)) < 2 or (
            # A copyright notice's name is no button, though made of common words
            # ("Royal Road"); nor is a common word the chrome writes as a name.
            folded not in held
            and folded not in named
            and not capitals.get(folded, False)
            and all(map(is_common, folded.split()))
        ):
            del scores[folded]
    # A name and the address that spells it ("The Independent" / "independent.co.uk")
    # are one candidate printed in two forms: the name counts the address's mentions
    # too, and is the form published.
    addresses = [k for k in mentions if "." in k and _DOMAIN.fullmatch(k)]
    for folded in spelled_names:
        if folded not in scores or folded in addresses:
            continue
        letters = _letters(folded)
        scores[folded] += sum(
            mentions[address]
            for address in addresses
            if any(
                _spelled_by(letters, label, limits) for label in _domain_labels(address, generic)
            )
        )
    # A copyright notice names the owner ("Cable News Network"); the chrome prints the
    # brand its initials make ("CNNMoney"): the notice is a mention of the brand, the
    # one word that opens with them (not the phrases around it: "CNNMoney Sponsors").
    for holder in held:
        initials = _initials(first_form.get(holder, holder))
        if holder not in scores or len(initials) < limits["min_holder_initials"]:
            continue
        for folded in list(scores):
            form = first_form[folded]
            if folded not in held and " " not in form and _opens_with(form, initials):
                scores[folded] += scores[holder]
    if named - held - spelled_names:
        # A common word written as a name is a name, but a name that the article
        # itself writes is what the article is about ("Amazon", "Latvija"): a site
        # rarely names itself in the stories it prints. Unless its address spells it
        # ("Wikipedia" / "en.wikipedia.org", which its articles cite).
        told = f" {' '.join(_CHROME_TOKEN.findall(body.casefold()))} "
        for folded in list(scores):
            if folded not in named or folded in held or folded in spelled_names:
                continue
            if capitals.get(folded, False) or not all(map(is_common, folded.split())):
                continue
            if f" {' '.join(_CHROME_TOKEN.findall(folded))} " in told:
                del scores[folded]
    if headline is not None:
        # Compared word by word: "Firefox" is in "Make your Firefox your own", not in
        # "Firefoxes".
        about = " ".join(_CHROME_TOKEN.findall(headline.casefold()))
        for folded in list(scores):
            letters = _letters(folded)
            if folded in held or any(_spelled_by(letters, label, limits) for label in domains):
                continue
            name = " ".join(_CHROME_TOKEN.findall(folded))
            if name and f" {name} " in f" {about} ":
                del scores[folded]
    if not scores:
        return None
    # Of names printed as often, the first in reading order; of two that start at the
    # same place, the longer ("Royal Road", not "Royal").
    best = min(scores, key=lambda k: (-scores[k], first_seen[k], -len(k.split()), k))
    if scores[best] < limits["min_score"]:
        return None
    if not any(ch.lower() != ch.upper() for ch in first_form[best]):
        # A name in a script without capitals ("ဘီဘီစီ", "연합뉴스") beside one that the
        # chrome prints and the page's address spells ("BBC" / bbc.com): the site's
        # pages in every language share the address's name, and the source groups a
        # site's records (strip_recurring_lines). Not a bare address ("facebook.com"
        # in a share link): a name that the chrome writes as a word.
        addressed = [
            k
            for k in spelled_names
            if scores.get(k, 0) >= limits["min_score"] and not _DOMAIN.fullmatch(k)
        ]
        if addressed:
            best = min(addressed, key=lambda k: (-scores[k], first_seen[k], -len(k.split()), k))
    name = first_form[best]
    acronym = name.isalpha() and name.isupper() and len(name) <= limits["max_acronym_letters"]
    if acronym and best not in domains:
        # An acronym that the chrome spells out is named by its words: "Medical News
        # Today" for "MNT", as the site's own lines write it; unless the site's address
        # spells the acronym ("LSM" on lsm.lv): that is the name it goes by.
        return _acronym_expansion(name, chrome, rules) or name
    return name


def read_copyright(
    line: str, rules: MetadataRules, name_before: bool = False
) -> tuple[str, bool] | None:
    """The outlet a copyright notice names, and whether the line is nothing else.

    ``name_before`` also reads a name before the sign ("Royal Road® © 2024"): a
    weaker reading ("All rights reserved © 2024" in a language whose rights words
    the rules file lacks has the same shape), taken only where a name must recur
    elsewhere too (:func:`site_name`).

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> read_copyright("Copyright © 2015 Heise Medien", rules)
    ('Heise Medien', True)
    >>> read_copyright("Atlas.cz 1999 – 2021 © Economia, a.s. | O nás", rules)
    ('Economia', False)
    >>> read_copyright("The photo is © the author and may not be reused.", rules) is None
    True
    >>> read_copyright("Copyright Policy", rules) is None
    True
    """
    if len(line) > rules.max_metadata_chars:
        return None
    ending = line.rstrip(rules.headline["closing_marks"])
    match = rules.copyright.search(line)
    if match is None or not ending:
        return _copyright_before(line, rules) if name_before else None
    sign = line[match.start() : match.start("publisher")]
    if not _SIGN_OR_YEAR.search(sign) and rules.rights.search(line) is None:
        # The word alone, with no sign, year or rights words: a link's label ("Copyright
        # Notice", "Copyright Policy"), not a notice ("Copyright Folha de S.Paulo.
        # Todos os direitos reservados.").
        return _copyright_before(line, rules) if name_before else None
    outlet = match.group("publisher")
    rights = rules.rights.search(outlet)
    if rights is not None:
        outlet = outlet[: rights.start()]
    # "© Le Quotidien 2024": the year may follow the name.
    outlet = _TRAILING_YEARS.sub("", outlet).strip(" -–—")
    if not outlet:
        # "topicseed, 2018-2019 © All rights reserved": the name stands before the sign.
        return _copyright_before(line, rules) if name_before else None
    if _letters_words(outlet) > rules.zones["max_outlet_words"] + 2:
        return None
    if outlet.split()[0][:1].islower():
        return None  # "© the author": a sentence, not an outlet
    rest = line[: match.start()] + line[match.end() :]
    rest = rules.rights.sub(" ", rest)
    pure = _letters_words(rest) == 0
    return outlet, pure


def _copyright_before(line: str, rules: MetadataRules) -> tuple[str, bool] | None:
    """The name before a copyright sign that nothing but years and rights follow:
    "Royal Road® © 2024", "topicseed, 2018-2019 © All rights reserved".

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> _copyright_before("Royal Road® © 2024", rules)
    ('Royal Road', True)
    >>> _copyright_before("Photo taken in 2019 © Reuters", rules) is None
    True

    Sentences after the rights words are another notice ("... © All rights reserved.
    Operated by X Ltd, a company registered in ..."): the notice ends with them.

    >>> _copyright_before("topicseed, 2018-2019 © All rights reserved. Operated by X Ltd.", rules)
    ('topicseed', False)
    >>> _copyright_before("Photo by Jane © 2019. Operated by X Ltd.", rules) is None
    True
    """
    notice = line
    rights = rules.rights.search(line)
    if rights is not None and line[rights.end() :].lstrip(".").strip():
        notice = line[: rights.end()]
    match = rules.copyright_before.fullmatch(notice)
    if match is None:
        return None
    rest = rules.rights.sub(" ", notice[match.end("publisher") :])
    if (
        _letters_words(rest)
        or _letters_words(match.group("publisher")) > rules.zones["max_outlet_words"]
    ):
        return None
    return match.group("publisher").strip(), notice == line


def read_wire_credit(paragraph: str, rules: MetadataRules) -> tuple[str, int, int] | None:
    """The agency of a wire dateline that opens ``paragraph``, and the credit's span.

    The dateline stays in the text (it is the story's first words); only its agency
    is read.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> read_wire_credit("WASHINGTON (Reuters) - The Senate voted on Tuesday.", rules)
    ('Reuters', 11, 20)
    >>> read_wire_credit("МОСКВА, 5 марта. /ТАСС/. Стороны договорились.", rules)
    ('ТАСС', 17, 23)
    >>> read_wire_credit("Washington (state) - a region of forests.", rules) is None
    True
    """
    for pattern in rules.wire:
        match = pattern.match(paragraph)
        if match is None or match.end() >= len(paragraph):
            continue
        place = match.group("place")
        # A wire dateline's place is in capitals, where the script has case.
        if place is not None and (place.lower() == place.upper()) is False and not place.isupper():
            continue
        agency = match.group("agency").strip()
        if len(agency.split()) > rules.max_agency_words or agency[:1].islower():
            continue
        start = match.start("agency")
        # The span takes the brackets or slashes around the agency along.
        if start > 0 and paragraph[start - 1] in "(/":
            return agency, start - 1, match.end("agency") + 1
        return agency, start, match.end("agency")
    return None
