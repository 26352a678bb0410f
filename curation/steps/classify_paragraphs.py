"""Tell a page's article from its chrome by what each paragraph is, not by its words.

A pasted web page is a column of paragraphs: menus, teasers, share buttons and
footers around the article. This module labels each paragraph ``good`` (the
article) or ``bad`` (chrome) the way jusText does (Pomikálek, *Removing
Boilerplate and Duplicate Content from Web Corpora*, 2011; ``justext/core.py``):

1. **Context-free**: from the paragraph alone. Long paragraphs full of the
   language's stopwords are prose (``good``); long ones with few stopwords are
   lists of names and headlines (``bad``); short ones cannot tell (``short``),
   those in between are ``neargood``. Plain text has no links, so jusText's link
   density is replaced by shapes that only navigation has: several short items
   joined by ``|``, ``›``, ``»`` or ``/`` (``menu``); a short line of
   capitalised words without a sentence end (``short_link_like``); a copyright
   sign (``copyright``). Two kinds of line have no shape of their own and are
   left to their neighbours: a line of program code (``code``: braces,
   semicolons, calls), which is short and stopword-free like a menu, and a
   fragment of one or two columns (a formula's symbol, a list number).
2. **Context**: a short paragraph takes the class of its neighbours (between two
   good ones it is good: a one-line quote, a subheading; between two bad ones,
   chrome); a ``neargood`` one is kept next to a good one. A short line right
   before the article's text, within ``max_heading_distance``, is a heading.

Stopwords come from jusText's lists for about 100 languages (shipped in the
``justext`` package), chosen by the page's language (the sidecar's, else
py3langid on the page's longer paragraphs). Scripts written without spaces have
no words to count; there the share of the language's function characters (的,
了, の, は ...) stands for the stopword density. A language without either list
is judged by length alone.

Every threshold is in ``rules/boilerplate.toml`` (``[classifier]``) with its
reason. Everything here is linear in the number of paragraphs.

>>> from curation.rules import load_rules
>>> rules = classifier_rules(load_rules()["boilerplate"])
>>> prose = ("The minister said on Monday that the talks had been useful and that "
...          "both sides would meet again in the spring, when the new figures are in.")
>>> [v.label for v in classify(["Home | World | Sport | Weather", prose, prose], "en", rules)]
['bad', 'good', 'good']
"""

from __future__ import annotations

import bisect
import functools
import importlib.resources
import itertools
import re
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from curation import patterns
from curation.rules import RulesFile
from curation.steps.base import remembered, text_digest

GOOD = "good"
BAD = "bad"
SHORT = "short"
NEAR_GOOD = "neargood"

# Rule names under which strip_boilerplate removes what the classifier calls chrome.
MENU = "menu"
COPYRIGHT = "copyright"
SHORT_LINK_LIKE = "short_link_like"
FEW_STOPWORDS = "few_stopwords"
REPEATED_LINE = "repeated_line"
# A box of lines printed again as the same run of lines where it is chrome (a newsletter
# prompt in the article's column and again in the footer): see mark_repeated_blocks.
REPEATED_BLOCK = "repeated_block"
SHORT_OUTSIDE_BODY = "short_between_chrome"
NEAR_GOOD_OUTSIDE_BODY = "near_good_between_chrome"
BEFORE_BODY = "before_body"
# A label-like line kept as an entry of a list inside the article: kept, but it
# brings no prose to the article's span (see body_span).
INSIDE_BODY = "inside body"
AFTER_BODY = "after_article_end"
# The value under a field's label that went as chrome ("Authors:" / a name): see
# strip_boilerplate's _mark_field_values.
FIELD_VALUE = "field_value"
# A run of cards (a live feed, teasers, a gallery, comments): see listing_spans.
LISTING = "listing"
# Everything before the headline extract_metadata found is the page's head.
BEFORE_HEADLINE = "before_headline"
# A paragraph a phrase rule of strip_boilerplate removed: bad context for its neighbours.
ANOTHER_RULE = "another rule"
# Context-free reasons of short paragraphs with no shape of their own.
FRAGMENT = "fragment"
# A paragraph wider than length_high ending with a full stop in a script without
# spaces (see _initial).
SENTENCE = "sentence"
# A sentence of names and figures: ends like a sentence, with fewer stopwords than
# prose but more than a list has (see _initial). Kept only next to the article's
# prose, and it lends no support to its neighbours.
SPARSE_SENTENCE = "sparse sentence"
# A short line of nouns in a script without capitals: a link's label there (see
# _caseless_label); it heads the text after it only with good text before it.
CASELESS_LABEL = "caseless label"
# A paragraph neargood by its width alone, in a language with no stoplist nor function
# characters: kept only next to the article's long paragraphs (see _prove_by_width).
WIDTH_ONLY = "no stoplist"
CODE = "code"
# A cell of a table of figures (see table_lines): like a line of code, its neighbours
# decide, and it is no chrome by its own shape.
TABLE = "table"
# Context-free reasons of lines that have the shape of the article's own text though
# they are short and stopword-free: a line of a code listing, a cell of a table.
LISTING_SHAPES = (CODE, TABLE)
# The heading of the article's numbered section found again after a wall (see
# resume_numbered_sections).
NUMBERED_SECTION = "numbered section"
# The heading of a section that the article's own contents list names, found after the
# span (see resume_contents_sections).
CONTENTS_SECTION = "contents section"
# Why a paragraph bad by its neighbours alone is kept once it lies inside the article's
# span (see revise_inside_body).
INSIDE_ARTICLE = "inside article"
# Lines bad only for looking like a link label, by their neighbours, or for holding few
# stopwords (a list of names, a recipe's ingredients): inside the article's span, a
# short run of them between its paragraphs is an entry of a list or a table (see
# revise_inside_body). A line repeated on the page is not among them: the
# "Advertisement" printed between an article's paragraphs is a template's.
IN_BODY_LIGHT = (SHORT_LINK_LIKE, SHORT_OUTSIDE_BODY, FEW_STOPWORDS)
# The reasons of a bad label that its neighbours alone decided.
CONTEXT_ONLY = (SHORT_OUTSIDE_BODY, NEAR_GOOD_OUTSIDE_BODY)
# Every rule name under which strip_boilerplate removes what the classifier finds.
RULE_NAMES = (
    MENU,
    COPYRIGHT,
    SHORT_LINK_LIKE,
    FEW_STOPWORDS,
    REPEATED_LINE,
    REPEATED_BLOCK,
    SHORT_OUTSIDE_BODY,
    NEAR_GOOD_OUTSIDE_BODY,
    BEFORE_BODY,
    AFTER_BODY,
    BEFORE_HEADLINE,
    LISTING,
    FIELD_VALUE,
)


@dataclass(frozen=True, slots=True)
class ClassifierRules:
    """``[classifier]`` of ``boilerplate.toml``, compiled once per rules file."""

    length_low: int
    length_high: int
    stopwords_low: float
    stopwords_high: float
    function_low: float
    function_high: float
    max_heading_distance: int
    chrome_min_cost: int
    wrap_min_width: int
    min_chrome_paragraphs: int
    chrome_only_min_share: float
    list_entry_max_lines: int
    list_intro_marks: str
    list_intro_min_words: int
    listing_min_code_lines: int
    listing_min_code_share: float
    contents_min_entries: int
    contents_min_share: float
    contents_min_key_letters: int
    sparse_sentence_share: float
    sparse_sentence_min_stopwords: int
    table_min_rows: int
    table_max_columns: int
    table_label_max_width: int
    table_unit_max_letters: int
    table_unit_max_words: int
    field_marks: str
    # [listing]'s stamps: a time, a date or a counter is a card's stamp, no table's figure.
    stamp_patterns: tuple[re.Pattern[str], ...]
    stamp_min_numbers: int
    enumeration_mark: re.Pattern[str]
    section_number_mark: re.Pattern[str]
    enumeration_min_items: int
    list_item_mark: re.Pattern[str]
    headline_run_min_share: float
    heading_min_words: int
    repeated_line_min_count: int
    repeated_block_min_lines: int
    tail_box_max_share: float
    restated_ngram: int
    restated_min_share: float
    bar_notice_max_paragraphs: int
    preview_notice_max_paragraphs: int
    # [truncated_teaser]'s ellipses: the marks a page's budget cut ends a paragraph with.
    ellipses: tuple[str, ...]
    form_required_mark: re.Pattern[str]
    form_min_marked_labels: int
    title_case_min_share: float
    title_case_max_words: int
    menu_separators: re.Pattern[str]
    # A character every match of menu_separators holds (see _required_characters).
    menu_separators_required: re.Pattern[str] | None
    menu_min_items: int
    menu_item_max_width: int
    copyright_signs: str
    copyright_head_columns: int
    fragment_max_width: int
    formula_symbols: str
    continuation_marks: str
    code_marks: re.Pattern[str]
    code_marks_required: re.Pattern[str] | None
    # code_marks' top-level alternatives, each compiled alone (see patterns.alternatives).
    code_mark_shapes: tuple[re.Pattern[str], ...]
    link_address: re.Pattern[str]
    sentence_end: str
    closing: str
    language_sample_chars: int
    stoplists: Mapping[str, str]
    function_characters: Mapping[str, frozenset[str]]


@functools.lru_cache(maxsize=8)
def classifier_rules(rules: RulesFile) -> ClassifierRules:
    """Compile the ``[classifier]`` table of ``boilerplate.toml``."""
    table = rules["classifier"]
    punctuation = rules["punctuation"]
    separators = "".join(re.escape(ch) for ch in table["menu_separators"])
    menu_separators = rf"\s[{separators}]\s|[›»·•]"
    return ClassifierRules(
        length_low=int(table["length_low"]),
        length_high=int(table["length_high"]),
        stopwords_low=float(table["stopwords_low"]),
        stopwords_high=float(table["stopwords_high"]),
        function_low=float(table["function_characters_low"]),
        function_high=float(table["function_characters_high"]),
        max_heading_distance=int(table["max_heading_distance"]),
        chrome_min_cost=int(table["chrome_min_cost"]),
        wrap_min_width=int(table["wrap_min_width"]),
        min_chrome_paragraphs=int(table["min_chrome_paragraphs"]),
        chrome_only_min_share=float(table["chrome_only_min_share"]),
        list_entry_max_lines=int(table["list_entry_max_lines"]),
        list_intro_marks=str(table["list_intro_marks"]),
        list_intro_min_words=int(table["list_intro_min_words"]),
        listing_min_code_lines=int(table["listing_min_code_lines"]),
        listing_min_code_share=float(table["listing_min_code_share"]),
        contents_min_entries=int(table["contents_min_entries"]),
        contents_min_share=float(table["contents_min_share"]),
        contents_min_key_letters=int(table["contents_min_key_letters"]),
        sparse_sentence_share=float(table["sparse_sentence_share"]),
        sparse_sentence_min_stopwords=int(table["sparse_sentence_min_stopwords"]),
        table_min_rows=int(table["table_min_rows"]),
        table_max_columns=int(table["table_max_columns"]),
        table_label_max_width=int(table["table_label_max_width"]),
        table_unit_max_letters=int(table["table_unit_max_letters"]),
        table_unit_max_words=int(table["table_unit_max_words"]),
        field_marks=str(table["field_marks"]),
        stamp_patterns=tuple(patterns.compile(p) for p in rules["listing"]["stamp_patterns"]),
        stamp_min_numbers=int(rules["listing"]["stamp_min_numbers"]),
        enumeration_mark=patterns.compile(str(table["enumeration_mark"])),
        section_number_mark=patterns.compile(str(table["section_number_mark"])),
        enumeration_min_items=int(table["enumeration_min_items"]),
        list_item_mark=patterns.compile(str(table["list_item_mark"])),
        headline_run_min_share=float(table["headline_run_min_share"]),
        heading_min_words=int(table["heading_min_words"]),
        repeated_line_min_count=int(table["repeated_line_min_count"]),
        repeated_block_min_lines=int(table["repeated_block_min_lines"]),
        tail_box_max_share=float(table["tail_box_max_share"]),
        restated_ngram=int(table["restated_ngram"]),
        restated_min_share=float(table["restated_min_share"]),
        bar_notice_max_paragraphs=int(table["bar_notice_max_paragraphs"]),
        preview_notice_max_paragraphs=int(table["preview_notice_max_paragraphs"]),
        ellipses=tuple(str(mark) for mark in rules["truncated_teaser"]["ellipses"]),
        form_required_mark=patterns.compile(str(table["form_required_mark"])),
        form_min_marked_labels=int(table["form_min_marked_labels"]),
        title_case_min_share=float(table["title_case_min_share"]),
        title_case_max_words=int(table["title_case_max_words"]),
        # A separator stands between spaces ("News | Sport"), or is one of the
        # arrows that never stand inside a word ("News›Sport").
        menu_separators=patterns.compile(menu_separators),
        menu_separators_required=_required_characters(menu_separators),
        menu_min_items=int(table["menu_min_items"]),
        menu_item_max_width=int(table["menu_item_max_width"]),
        copyright_signs=str(table["copyright_signs"]),
        copyright_head_columns=int(table["copyright_head_columns"]),
        fragment_max_width=int(table["fragment_max_width"]),
        formula_symbols=str(table["formula_symbols"]),
        continuation_marks=str(table["continuation_marks"]),
        code_marks=patterns.compile(str(table["code_marks"])),
        code_marks_required=_required_characters(str(table["code_marks"])),
        code_mark_shapes=patterns.alternatives(str(table["code_marks"])),
        link_address=patterns.compile(str(table["link_address"])),
        sentence_end=punctuation["sentence_end"] + punctuation["sentence_end_before_space"],
        closing=punctuation["closing"],
        language_sample_chars=int(table["language_sample_chars"]),
        stoplists=MappingProxyType(dict(table["stoplists"])),
        function_characters=MappingProxyType(
            {code: frozenset(chars) for code, chars in table["function_characters"].items()}
        ),
    )


def _required_characters(pattern: str) -> re.Pattern[str] | None:
    """One character of those every match of ``pattern`` holds (see
    :func:`curation.patterns.required_characters`), or None when no small set is known.
    A paragraph without any has no match, and a search for one character of a set reads
    each character once: ``code_marks``, an alternation of seven shapes tried at every
    position, takes some ten times as long on a paragraph of prose, which holds none.

    >>> required = _required_characters(r"=>|[{};]")
    >>> required.search("a = b") is not None, required.search("a -> b") is None
    (True, True)
    """
    required = patterns.required_characters(pattern)
    if required is None:
        return None
    return patterns.compile("[" + "".join(re.escape(ch) for ch in sorted(required)) + "]")


@functools.lru_cache(maxsize=32)
def stoplist(name: str) -> frozenset[str]:
    """jusText's stoplist ``name`` (e.g. ``"English"``), casefolded; read once.

    >>> "the" in stoplist("English"), "und" in stoplist("German")
    (True, True)
    """
    resource = importlib.resources.files("justext") / "stoplists" / f"{name}.txt"
    words = resource.read_text(encoding="utf-8").split()
    return frozenset(word.casefold() for word in words)


def display_width(text: str) -> int:
    """Columns in a monospaced font: East Asian wide characters count twice.

    >>> display_width("Search"), display_width("跨境光缆")
    (6, 8)
    """
    # No assigned character below U+1100 (Hangul Jamo, the first wide block) is wide:
    # Latin, Cyrillic, Arabic and Indic text skip the Unicode database lookup.
    if not could_be_wide(text):
        return len(text)
    # Each distinct character is asked once: a line has far fewer of them than characters.
    return len(text) + sum(
        count
        for ch, count in Counter(text).items()
        if ch >= "\u1100" and unicodedata.east_asian_width(ch) in "WF"
    )


# A character at or above U+1100, where the wide ones start (see could_be_wide).
_FROM_FIRST_WIDE = patterns.compile("[\u1100-\U0010ffff]")


def could_be_wide(text: str) -> bool:
    """Whether ``text`` holds a character at or above U+1100 (Hangul Jamo, the first
    block with wide characters): ``not text.isascii() and max(text) >= "\u1100"``, by one
    search for a character class in C instead of ``max`` making a string of each
    character (a seventh of the time on the benchmark's paragraphs). An ASCII text
    (the empty one too) is answered by a flag of the string, without reading it.

    >>> could_be_wide("Search"), could_be_wide("Поиск"), could_be_wide("跨境"), could_be_wide("")
    (False, False, True, False)
    """
    return not text.isascii() and _FROM_FIRST_WIDE.search(text) is not None


def width_at_least(text: str, columns: int) -> bool:
    """``display_width(text) >= columns``, without the width when the length decides: a
    character takes one or two columns, so a text of ``columns`` characters or more is
    that wide, and one of fewer than half as many is not.

    >>> width_at_least("Search", 6), width_at_least("跨境光缆", 8), width_at_least("跨境", 5)
    (True, True, False)
    """
    if len(text) >= columns:
        return True
    if 2 * len(text) < columns:
        return False
    return display_width(text) >= columns


_WORD = patterns.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Features:
    """What the classifier measured on one paragraph; shown by ``curation review``."""

    width: int
    words: int
    letter_words: int  # words with a letter in them (not "2024", "14:10"); see measure
    # Share of words in the stoplist (or of characters among the function
    # characters, for scripts without spaces); None when the language has no list.
    stopword_density: float | None
    title_case_share: float
    sentence_end: bool
    menu_items: int
    copyright: bool
    # A line of program code ("if (x) {", "return a;"): see code_marks in boilerplate.toml.
    code: bool = False
    # A copyright sign that opens the paragraph, or follows a word: a notice ("© 2019
    # Example Media. All rights reserved ...", "Copyright © ..."), however long.
    copyright_notice: bool = False

    def describe(self) -> str:
        """One line for a reviewer.

        >>> Features(40, 7, 7, 0.25, 0.5, True, 0, False).describe()
        'width 40, words 7, stopwords 0.25, title-case 0.50, sentence end'
        >>> Features(16, 3, 3, 0.0, 0.0, False, 0, False, code=True).describe()
        'width 16, words 3, stopwords 0.00, title-case 0.00, code'
        """
        parts = [f"width {self.width}", f"words {self.words}"]
        if self.stopword_density is not None:
            parts.append(f"stopwords {self.stopword_density:.2f}")
        parts.append(f"title-case {self.title_case_share:.2f}")
        if self.sentence_end:
            parts.append("sentence end")
        if self.menu_items:
            parts.append(f"menu of {self.menu_items}")
        if self.copyright:
            parts.append("copyright sign")
        if self.code:
            parts.append("code")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The classifier's decision on one paragraph, and why.

    ``initial`` is the context-free class, ``label`` the final one (``good`` or
    ``bad``); ``reason`` names what decided a ``bad`` label (a rule name of
    strip_boilerplate), or what kept a paragraph.
    """

    features: Features
    initial: str
    label: str
    reason: str
    # Bad by its neighbours alone, but shaped like the article's own text: a short
    # sentence or a line of code (see _shaped_like_article). It is no wall for the
    # article's span (body_span weighs it nothing) and stays inside it
    # (revise_inside_body).
    article_shaped: bool = False
    # The context-free reason (``code``, ``table``, ``fragment``, ``short_link_like``
    # ...): what the paragraph is by its own shape, which ``reason`` no longer says
    # once its neighbours decided. A cell of a table is one whatever its neighbours
    # made of it (see stamp_keys).
    shape: str = ""


@dataclass(frozen=True, slots=True)
class Language:
    """How stopword density is measured for a page: by words or by characters."""

    words: frozenset[str] | None
    characters: frozenset[str] | None


def page_language(
    paragraphs: Sequence[str], declared: Sequence[str], rules: ClassifierRules
) -> str | None:
    """The page's language: the first declared one the rules know, else py3langid's guess
    on the page's longer paragraphs (the article's, mostly; menus mislead it).

    >>> from curation.rules import load_rules
    >>> rules = classifier_rules(load_rules()["boilerplate"])
    >>> page_language(["Die Minister trafen sich am Montag in Berlin und sprachen über den "
    ...                "Handel zwischen beiden Ländern."], (), rules)
    'de'
    """
    for code in declared:
        base = code.split("-")[0].casefold()
        if base in rules.stoplists or base in rules.function_characters:
            return base
    long = [p for p in paragraphs if width_at_least(p, rules.length_low)]
    sample = "\n".join(long or paragraphs)[: rules.language_sample_chars]
    if not any(ch.isalpha() for ch in sample):
        return None
    # Imported here: the model is loaded on first use only (0.6 s).
    from curation.steps.identify_language import model_label

    return model_label(sample)


def language_lists(language: str | None, rules: ClassifierRules) -> Language:
    if language is None:
        return Language(None, None)
    if language in rules.function_characters:
        return Language(None, rules.function_characters[language])
    if language in rules.stoplists:
        return Language(stoplist(rules.stoplists[language]), None)
    return Language(None, None)


# How many paragraphs' features are remembered (see measured): strip_boilerplate
# classifies again most paragraphs that extract_metadata classified (the page less its
# header lines), and a site's chrome ("Share", "Home | News") recurs from page to page.
# By the paragraph's digest, so no text is held: some 390 bytes an entry, 1.6 MB in
# each cleaning process when full (measured after 600 benchmark pages).
MEASURED_PARAGRAPHS = 4096
_measured: OrderedDict[tuple[bytes, Language, int], tuple[ClassifierRules, Features]] = (
    OrderedDict()
)


def measured(paragraph: str, language: Language, rules: ClassifierRules) -> Features:
    """:func:`measure`, remembered by the paragraph's digest (:data:`MEASURED_PARAGRAPHS`
    of them, the least recently asked dropped first): the features are a function of
    the paragraph, the language's lists and the rules alone.

    The rules are compiled objects that do not hash (they hold mappings): they are told
    apart by identity, and the memo keeps each one it names alive, so that no other can
    take its identity while an answer for it is remembered.
    """
    key = (text_digest(paragraph), language, id(rules))
    held, features = remembered(
        _measured, key, MEASURED_PARAGRAPHS, lambda: (rules, measure(paragraph, language, rules))
    )
    return features if held is rules else measure(paragraph, language, rules)


def measure(paragraph: str, language: Language, rules: ClassifierRules) -> Features:
    """The features of one paragraph (see :class:`Features`)."""
    text = paragraph.strip()
    words = _WORD.findall(text)
    # The characters that take two columns (see display_width), found once for the
    # width, the letter words and the function characters: nothing below U+1100 is
    # wide, so most texts have none and skip the Unicode database.
    if not could_be_wide(text):
        counts: Counter[str] | None = None
        wide: frozenset[str] | set[str] = frozenset()
        width = len(text)
        # Nothing wide: each token not all digits is one word.
        letter_words = len(words) - sum(map(str.isdigit, words))
    else:
        counts = Counter(text)
        wide = {ch for ch in counts if ch >= "\u1100" and unicodedata.east_asian_width(ch) in "WF"}
        width = len(text) + sum(counts[ch] for ch in wide)
        # A token holds one word, or in a script without spaces about one per two
        # characters ("数字丝绸之路" is three); a token of digits ("2024") holds none.
        # (max(1, wide // 2) written out: an ASCII word, a Latin name among Chinese, has
        # no wide character and is one word without its characters being looked up.)
        letter_words = 0
        for w in words:
            if w.isascii():
                letter_words += not w.isdigit()
            elif not w.isdigit():
                wide_in_word = sum(map(wide.__contains__, w))
                letter_words += wide_in_word // 2 if wide_in_word > 1 else 1
    density: float | None = None
    if language.characters is not None:
        # Counted by distinct character: each is asked once. Only the letters of the
        # script without spaces count: a Latin name or acronym in a Chinese sentence
        # ("DeepMind希望DNC可以推动…") is a word among its characters, not thirteen
        # characters without a single function character among them.
        # The wide characters are a few of the distinct ones: read those (the sums are
        # of integers, the same in any order).
        letters = [(ch, counts[ch]) for ch in wide if ch.isalpha()] if counts is not None else []
        total = sum(count for _, count in letters)
        if total:
            found = sum(count for ch, count in letters if ch in language.characters)
            density = found / total
        else:
            density = 0.0
    elif language.words is not None:
        if words:
            # Counted in C (map over the words), the same integer as a loop would count.
            found_words = sum(map(language.words.__contains__, map(str.casefold, words)))
            density = found_words / len(words)
        else:
            density = 0.0
    initials = [w[0] for w in words]
    upper = sum(map(str.isupper, initials))
    cased = upper + sum(map(str.islower, initials))
    title_share = upper / cased if cased else 0.0
    core = text.rstrip(rules.closing)
    # No separator, no split: the paragraph is its one item.
    required = rules.menu_separators_required
    items = (
        [i for i in rules.menu_separators.split(text) if i.strip()]
        if required is None or required.search(text) is not None
        else [text]
        if text.strip()
        else []
    )
    is_menu = (
        len(items) >= rules.menu_min_items
        and sum(1 for i in items if any(ch.isalpha() for ch in i)) >= rules.menu_min_items - 1
        and all(display_width(i.strip()) <= rules.menu_item_max_width for i in items)
    )
    return Features(
        width=width,
        words=len(words),
        letter_words=letter_words,
        stopword_density=None if density is None else round(density, 4),
        title_case_share=round(title_share, 4),
        sentence_end=bool(core) and core[-1] in rules.sentence_end,
        menu_items=len(items) if is_menu else 0,
        copyright=any(sign in text for sign in rules.copyright_signs),
        code=_has_code_marks(text, rules),
        copyright_notice=_opens_with_sign(text, rules),
    )


def _has_code_marks(text: str, rules: ClassifierRules) -> bool:
    """Whether ``text`` holds a mark of program code (``code_marks``) outside the links'
    addresses in it (``link_address``): "void(0)" in a button's "javascript:void(0)" is
    the address of a link, not a call.

    >>> from curation.rules import load_rules
    >>> rules = classifier_rules(load_rules()["boilerplate"])
    >>> _has_code_marks("return f(x);", rules), _has_code_marks("保存javascript:void(0)", rules)
    (True, False)
    >>> _has_code_marks('fetch("https://example.org/a?b=1;c=2", {', rules)
    True
    """
    required = rules.code_marks_required
    if required is not None and required.search(text) is None:
        return False
    if ":" in text:
        text = rules.link_address.sub(" ", text)
    # Each shape alone (see patterns.alternatives): the same answer as code_marks' search.
    return any(shape.search(text) is not None for shape in rules.code_mark_shapes)


def _opens_with_sign(text: str, rules: ClassifierRules) -> bool:
    """Whether a copyright sign stands within the first ``copyright_head_columns`` of
    ``text``: at its start, or after a word ("Copyright", "版权所有").

    >>> from curation.rules import load_rules
    >>> rules = classifier_rules(load_rules()["boilerplate"])
    >>> _opens_with_sign("© 2019 Example Media.", rules), _opens_with_sign("版权所有 © 2019", rules)
    (True, True)
    >>> _opens_with_sign("A photograph printed with the sign © is protected.", rules)
    False
    """
    positions = [text.find(sign) for sign in rules.copyright_signs if sign in text]
    return bool(positions) and display_width(text[: min(positions)]) <= rules.copyright_head_columns


def _initial(features: Features, language: Language, rules: ClassifierRules) -> tuple[str, str]:
    """jusText's context-free class, with text-only stand-ins for link density."""
    if features.width == 0:
        return SHORT, "empty"
    if features.menu_items:
        return BAD, MENU
    if features.copyright and (features.width < rules.length_high or features.copyright_notice):
        return BAD, COPYRIGHT
    if features.width <= rules.fragment_max_width:
        # A symbol of a formula, a list number or a bullet on a line of its own: too
        # little to have a shape; its neighbours decide.
        return SHORT, FRAGMENT
    if features.width < rules.length_low:
        if features.code:
            # A line of a code listing has no stopwords and no sentence end, but
            # looks like nothing chrome is; the lines around it decide.
            return SHORT, CODE
        if not features.sentence_end and 0 < features.letter_words <= rules.title_case_max_words:
            if features.title_case_share >= rules.title_case_min_share:
                if features.words <= rules.title_case_max_words:
                    return BAD, SHORT_LINK_LIKE
            elif _caseless_label(features, language, rules):
                return SHORT, CASELESS_LABEL
        return SHORT, "short"
    density = features.stopword_density
    if density is None:
        # No list for the language: length alone, as jusText would with every word
        # counted a stopword (Thai ends no sentence with a mark, so none is asked for).
        if features.width > rules.length_high:
            return GOOD, "long"
        return NEAR_GOOD, WIDTH_ONLY
    low, high = (
        (rules.function_low, rules.function_high)
        if language.characters is not None
        else (rules.stopwords_low, rules.stopwords_high)
    )
    if density >= high:
        return (
            (GOOD, "stopwords") if features.width > rules.length_high else (NEAR_GOOD, "stopwords")
        )
    if density >= low:
        return NEAR_GOOD, "stopwords"
    if features.code:
        return SHORT, CODE
    if (
        language.characters is not None
        and features.sentence_end
        and features.width > rules.length_high
    ):
        # Official news in Chinese is written in nouns (国家卫生健康委依托短缺药品信息
        # 监测系统...): few function characters, but a long paragraph (long enough
        # to be judged alone, as jusText's length_high) that ends with a full stop is
        # prose, which no menu, list of headlines or names is.
        return NEAR_GOOD, SENTENCE
    if (
        features.sentence_end
        and density >= rules.sparse_sentence_share * low
        # A sentence has several function words; a list of names holds one or two
        # by chance (jusText's lists, drawn from word frequencies, hold some capital
        # cities). Scripts without spaces count characters: their leads are long.
        and (
            language.characters is not None
            or round(density * features.words) >= rules.sparse_sentence_min_stopwords
        )
    ):
        # A news lead or a closing line full of names, places and figures ("Madrid,
        # 14 March (EFE). The Spanish airline Iberia..."; "新华社北京11月17日电 记者17日从国家
        # 卫生健康委获悉..."): a sentence with some of the language's stopwords, which
        # no list of names or headlines is. Neargood: it stays next to the article.
        return NEAR_GOOD, SPARSE_SENTENCE
    return BAD, FEW_STOPWORDS


def _caseless_label(features: Features, language: Language, rules: ClassifierRules) -> bool:
    """Whether a short line in a script without capitals and without spaces (Chinese,
    Japanese) reads like a link's label: a few words' worth of characters with fewer
    function characters than prose has ("新浪微博", "アクセスランキング"): nouns, no
    particle between them. In a cased script the label shows its capitals ("Sign in",
    "US & Canada": ``short_link_like``); a caseless one shows none.

    Such a line is no chrome by its shape alone (a subheading, a step's label, a name
    under a photo are nouns too): it stays short, judged by its neighbours, but it is
    no heading of the text after it unless good text stands before it too (a
    subheading), as a title-case label is not (see _classify_blocks).

    >>> from curation.rules import load_rules
    >>> rules = classifier_rules(load_rules()["boilerplate"])
    >>> zh = language_lists("zh", rules)
    >>> lines = ["新浪微博", "他说了这些话"]
    >>> [_caseless_label(measure(line, zh, rules), zh, rules) for line in lines]
    [True, False]
    """
    return (
        language.characters is not None
        and features.stopword_density is not None
        and features.stopword_density < rules.function_low
    )


def _neighbours(classes: Sequence[str], ignore_near_good: bool, step: int) -> list[str | None]:
    """For each paragraph, the class of the nearest one in direction ``step`` that is
    good or bad (or neargood, unless ignored); None at the document's edge. Linear."""
    result: list[str | None] = [None] * len(classes)
    last: str | None = None
    indices = range(len(classes)) if step > 0 else range(len(classes) - 1, -1, -1)
    for index in indices:
        result[index] = last
        c = classes[index]
        if c in (GOOD, BAD) or (c == NEAR_GOOD and not ignore_near_good):
            last = c
    return result


def _either_side(first: str | None, second: str | None) -> tuple[str, str]:
    """An edge of the document takes the class of the other side (both edges: good):
    a text that starts with its article keeps its short first lines."""
    first = first or second or GOOD
    second = second or first
    return first, second


def classify(
    paragraphs: Sequence[str],
    language: str | None,
    rules: ClassifierRules,
    chrome: Sequence[bool] = (),
) -> list[Verdict]:
    """A :class:`Verdict` for each paragraph (see the module's docstring).

    ``chrome[i]`` marks a paragraph another rule already removed: it counts as bad
    context for its neighbours.

    A paragraph hard-wrapped into lines (a line that stops mid-sentence, the next
    going on in lowercase), or a sentence set in pieces (see :func:`_continues`),
    is judged as one block: each line of it alone would be short. Its lines share
    one :class:`Verdict` object.
    """
    chrome = list(chrome) + [False] * (len(paragraphs) - len(chrome))
    blocks: list[list[int]] = []
    for index, paragraph in enumerate(paragraphs):
        if (
            blocks
            and _continues(paragraphs[blocks[-1][-1]], paragraph, rules)
            and not (chrome[index] or chrome[blocks[-1][-1]])
        ):
            blocks[-1].append(index)
        else:
            blocks.append([index])
    texts = [" ".join(paragraphs[i].strip() for i in block) for block in blocks]
    verdicts = _classify_blocks(
        texts, language_lists(language, rules), rules, [chrome[b[0]] for b in blocks]
    )
    result: list[Verdict] = []
    for block, verdict in zip(blocks, verdicts, strict=True):
        result.extend([verdict] * len(block))
    return result


def _continues(line: str, following: str, rules: ClassifierRules, broken: bool = False) -> bool:
    """Whether ``following`` goes on with the sentence ``line`` left open.

    Two ways a sentence is cut into lines: a hard wrap (a wide line, the next going
    on in lowercase), and inline pieces each put on a line of their own: a formula
    printed one symbol a line, "When" / "a" / "≠" / "0" / ", there are two
    solutions". A fragment (see :func:`_is_fragment`) joins the open sentence, and
    after it a line that goes on in lowercase or with a comma joins too.

    >>> from curation.rules import load_rules
    >>> rules = classifier_rules(load_rules()["boilerplate"])
    >>> _continues("When", "a", rules), _continues("a", ", there are two", rules)
    (True, True)
    >>> _continues("Home", "News", rules), _continues("Sport", "weather", rules)
    (False, False)
    >>> _continues("×", "Inside the museum", rules)
    False
    >>> _continues("The talks ended.", "1", rules)
    False
    """
    end = line.rstrip()
    start = following.lstrip()
    if (
        not end
        or not start
        or end[-1] in rules.sentence_end
        or end.rstrip(rules.closing)[-1:] in tuple(rules.sentence_end)
    ):
        return False
    if _is_fragment(start, rules) or start[0] in rules.continuation_marks:
        return True
    # After a fragment only what goes on with the sentence joins: "×" then "Inside
    # the museum" is a close button and a headline.
    return start[0].islower() and (
        _is_fragment(end, rules) or width_at_least(end, rules.wrap_min_width)
    )


def _is_fragment(paragraph: str, rules: ClassifierRules) -> bool:
    """A piece of a sentence on a line of its own: one or two columns holding a letter,
    a digit or a formula's symbol ("A", "2", "="). A menu's separator ("›", "|") or a
    button's sign ("×", "▶") is none: it stands between labels, not inside a sentence.

    >>> from curation.rules import load_rules
    >>> rules = classifier_rules(load_rules()["boilerplate"])
    >>> [_is_fragment(p, rules) for p in ["A", "=", "12", "›", "×", "News"]]
    [True, True, True, False, False, False]
    """
    text = paragraph.strip()
    return (
        bool(text)
        and display_width(text) <= rules.fragment_max_width
        and all(ch.isalnum() or ch in rules.formula_symbols for ch in text)
    )


def _classify_blocks(
    paragraphs: Sequence[str],
    lists: Language,
    rules: ClassifierRules,
    chrome: Sequence[bool],
) -> list[Verdict]:
    features = [measured(p, lists, rules) for p in paragraphs]
    initial = [_initial(f, lists, rules) for f in features]
    # A short line printed again and again on one page is a template's: the
    # "Save", "More like this", "Good Morning America" of every teaser card.
    keys = [line_key(paragraph) for paragraph in paragraphs]
    counts = Counter(keys)
    for index, key in enumerate(keys):
        if (
            key
            and counts[key] >= rules.repeated_line_min_count
            and features[index].width < rules.length_low
            # "}" or "=" again and again is a listing's or a formula's, not a template's.
            and initial[index][1] not in (FRAGMENT, *LISTING_SHAPES)
            # A number, year, date or time printed again and again is a recurring
            # value of a table or a list (the year column of a filmography), not a
            # template's label: a template's lines are words ("Save", "Read more").
            and features[index].letter_words > 0
        ):
            initial[index] = (BAD, REPEATED_LINE)
    for index in listing_lines(features, initial, rules):
        initial[index] = (SHORT, CODE)
    for index in table_lines(paragraphs, features, initial, rules):
        initial[index] = (SHORT, TABLE)
    contents = contents_lines(paragraphs, features, initial, rules)
    classes = [c for c, _ in initial]
    reasons = [r for _, r in initial]
    for index, removed in enumerate(chrome):
        if removed:
            classes[index], reasons[index] = BAD, ANOTHER_RULE
    cf_classes = list(classes)

    # Prose in medium paragraphs: two neighbouring neargood paragraphs that both end
    # a sentence (only short ones between) are prose together, though neither is
    # long enough alone; news in Chinese or Japanese is written so. Headline lists
    # do not end their lines with a full stop.
    open_run: int | None = None
    for index, c in enumerate(classes):
        if c == SHORT:
            continue
        if c == NEAR_GOOD and features[index].sentence_end and reasons[index] != SPARSE_SENTENCE:
            if open_run is not None:
                for j in (open_run, index):
                    classes[j], reasons[j] = GOOD, "prose run"
            open_run = index
        else:
            open_run = None

    if GOOD not in classes:
        _pool_prose(features, classes, reasons, lists, rules)
    _prove_by_width(classes, reasons)

    # A sentence of names and figures is the article's only right against its prose:
    # the paragraph next to it, not one across a heading or a label, reads as prose
    # by its own shape (a lead under the dateline, a price and a date closing the
    # article). A newsletter prompt among the footer's links is no lead: it is bad
    # from here on, for its neighbours too.
    sparse = [reasons[i] == SPARSE_SENTENCE for i in range(len(classes))]
    for index in range(len(classes)):
        if sparse[index] and GOOD not in (
            _prose_or_bad(cf_classes, sparse, index - 1),
            _prose_or_bad(cf_classes, sparse, index + 1),
        ):
            classes[index], reasons[index] = BAD, NEAR_GOOD_OUTSIDE_BODY

    # Headings: a short paragraph with good text close after it (jusText's first pass,
    # which has <h1>-<h6> to know a heading; here: words, and no sentence end; a bare
    # date, time or count is no heading).
    # A heading heads one paragraph: a run of more than list_entry_max_lines such
    # lines in a row is a list of links (teasers' headlines, a share bar), none of
    # them a heading, though the last ones stand within reach of the text below. A
    # bulleted or numbered item is the article's list, as it was.
    next_good_distance = _distance_to_next_good(classes, features)
    marked = [
        bool(rules.list_item_mark.match(p) or rules.enumeration_mark.match(p)) for p in paragraphs
    ]
    in_long_run = _in_title_run(classes, features, marked, rules.list_entry_max_lines)
    for index, c in enumerate(classes):
        if (
            c == SHORT
            and not features[index].sentence_end
            and features[index].letter_words >= rules.heading_min_words
            and reasons[index] != CASELESS_LABEL
            and next_good_distance[index] <= rules.max_heading_distance
            and not in_long_run[index]
        ):
            classes[index], reasons[index] = NEAR_GOOD, "heading"

    # Short paragraphs take their neighbours' class.
    prev_gb = _neighbours(classes, True, 1)
    next_gb = _neighbours(classes, True, -1)
    prev_any = _neighbours(classes, False, 1)
    next_any = _neighbours(classes, False, -1)
    revised = list(classes)
    for index, c in enumerate(classes):
        if c != SHORT:
            continue
        before, after = _either_side(prev_gb[index], next_gb[index])
        if before == after == GOOD:
            revised[index], reasons[index] = GOOD, "between good"
        elif before == after == BAD:
            revised[index], reasons[index] = BAD, SHORT_OUTSIDE_BODY
        elif (before == BAD and prev_any[index] == NEAR_GOOD) or (
            after == BAD and next_any[index] == NEAR_GOOD
        ):
            revised[index], reasons[index] = GOOD, "next to neargood"
        else:
            revised[index], reasons[index] = BAD, SHORT_OUTSIDE_BODY
    classes = revised

    # Neargood paragraphs stay unless both neighbours are bad; jusText revises them in
    # order, so one turned good counts for the next. A line bad only for looking like
    # a link label, or short and judged by its own neighbours, is no neighbour here:
    # in a table or a list of entries each entry's name and year stand between the
    # descriptions, and must not outvote them.
    weak = [reasons[i] in (SHORT_LINK_LIKE, SHORT_OUTSIDE_BODY) for i in range(len(classes))]
    seen = [BAD if w else c for c, w in zip(classes, weak, strict=True)]
    next_gb = _neighbours([SHORT if w else c for c, w in zip(seen, weak, strict=True)], True, -1)
    previous: str | None = None
    for index, c in enumerate(classes):
        if c == NEAR_GOOD:
            before, after = _either_side(previous, next_gb[index])
            if sparse[index]:
                before = after = GOOD  # a lead (the others are bad already)
            if before == after == BAD:
                classes[index] = BAD
                reasons[index] = NEAR_GOOD_OUTSIDE_BODY
            else:
                classes[index] = GOOD
        if classes[index] in (GOOD, BAD) and not weak[index]:
            # A sparse sentence kept for its neighbour lends no support to the next
            # one: a run of them after the article (references, teasers) does not
            # ride on its last paragraph.
            previous = BAD if sparse[index] else classes[index]

    # Entries of a list inside the article: a link-like line, or a short line judged
    # by its neighbours, whose nearest neighbours that are not such lines are good
    # on both sides.
    light = [weak[i] or reasons[i] == SHORT_OUTSIDE_BODY for i in range(len(classes))]
    masked = [SHORT if light[i] else classes[i] for i in range(len(classes))]
    prev_strong = _neighbours(masked, True, 1)
    next_strong = _neighbours(masked, True, -1)
    run_length = [0] * len(classes)  # length of the run of light lines each is in
    start = 0
    for index in range(len(classes) + 1):
        if index == len(classes) or not light[index]:
            for j in range(start, index):
                run_length[j] = index - start
            start = index + 1
    for index in range(len(classes)):
        if (
            light[index]
            and run_length[index] <= rules.list_entry_max_lines
            and classes[index] == BAD
            and prev_strong[index] == GOOD
            and next_strong[index] == GOOD
            and not chrome[index]
        ):
            classes[index], reasons[index] = GOOD, INSIDE_BODY

    # More headings: a line taken for chrome by its context alone, right before good
    # text, is the heading of that text.
    # A line shaped like a link label between good paragraphs is a subheading.
    next_good_distance = _distance_to_next_good(classes, features)
    prev_gb = _neighbours(classes, True, 1)
    for index, c in enumerate(classes):
        if (
            c == BAD
            and (
                # A sentence is no heading, whatever its stopwords.
                (
                    cf_classes[index] != BAD
                    and not sparse[index]
                    and initial[index][1] != CASELESS_LABEL
                )
                # A link label heads good text only after good text: a subheading.
                or (
                    (reasons[index] == SHORT_LINK_LIKE or initial[index][1] == CASELESS_LABEL)
                    and prev_gb[index] == GOOD
                )
            )
            and next_good_distance[index] == 0
            and not (chrome and chrome[index])
        ):
            classes[index], reasons[index] = GOOD, "heading"
    return [
        Verdict(
            features[i],
            initial[i][0],
            classes[i],
            reasons[i],
            article_shaped=(
                classes[i] == BAD
                and not chrome[i]
                and (
                    i in contents
                    or (
                        reasons[i] in CONTEXT_ONLY
                        and (
                            initial[i][1] in LISTING_SHAPES
                            or _shaped_like_article(features[i], lists, rules)
                        )
                    )
                )
            ),
            shape=initial[i][1],
        )
        for i in range(len(classes))
    ]


def _pool_prose(
    features: Sequence[Features],
    classes: list[str],
    reasons: list[str],
    lists: Language,
    rules: ClassifierRules,
) -> None:
    """Prose written a clause a line, in a text where no paragraph reads as prose by
    itself: a blog that breaks its lines where a sentence would take a comma, with no
    full stop at all, so that no line is long enough to be judged alone nor ends like a
    sentence (see the prose run above). A run of consecutive lines none of which is
    chrome by its shape, wider together than ``length_high``, whose stopword (or
    function character) density pooled over the run reaches the high threshold, is
    prose: its lines at the low density or more are good. A menu, a list of headlines
    or names pooled stays far below (nouns, no particles); the rule runs only where
    nothing else on the page is good, so a page with an article in paragraphs is judged
    as before.

    Only in scripts written without spaces (Chinese, Japanese), measured by function
    characters: there a line of a clause holds a dozen characters or more to count, and
    the style is common. In a script with spaces, a run of short lines with no sentence
    end is a list (a changelog, a box of headlines, a block of notices), whose words'
    stopword share swings with the list's own wording ("Added ...", "We urge you
    ..."); it stays left to its neighbours, and a page of it to itself."""
    if lists.characters is None:
        return
    low, high = rules.function_low, rules.function_high
    run: list[int] = []
    for index in range(len(classes) + 1):
        if index < len(classes) and classes[index] in (SHORT, NEAR_GOOD) and features[index].width:
            run.append(index)
            continue
        width = sum(features[i].width for i in run)
        pooled = sum((features[i].stopword_density or 0.0) * features[i].width for i in run)
        if width > rules.length_high and pooled >= high * width:
            for i in run:
                if (features[i].stopword_density or 0.0) >= low:
                    classes[i], reasons[i] = GOOD, "pooled prose"
        run = []


def _prove_by_width(classes: list[str], reasons: list[str]) -> None:
    """Paragraphs neargood by their width alone (:data:`WIDTH_ONLY`: a language with
    neither a stoplist nor function characters, such as Thai) stay neargood only in a
    run of paragraphs that holds one good paragraph (wider than ``length_high``, or
    prose by a rule above), with no short line or chrome between: the article's
    paragraphs of middling width stand next to its long ones.

    Without a list, width is all that tells a medium paragraph from a headline; the
    related stories, teasers and footer notices after an article are 70-200 columns
    wide, each between short labels (a tag, a section name, a button), never next
    to a long paragraph. A text without a good paragraph keeps its neargood ones: it
    has no prose to hold them against.

    >>> classes = [GOOD, NEAR_GOOD, SHORT, NEAR_GOOD, NEAR_GOOD, BAD, NEAR_GOOD]
    >>> reasons = ["long", WIDTH_ONLY, "short", WIDTH_ONLY, WIDTH_ONLY, MENU, WIDTH_ONLY]
    >>> _prove_by_width(classes, reasons)
    >>> classes
    ['good', 'neargood', 'short', 'bad', 'bad', 'bad', 'bad']
    """
    if GOOD not in classes:
        return
    start = 0
    for index in range(len(classes) + 1):
        if index < len(classes) and classes[index] in (GOOD, NEAR_GOOD):
            continue
        run = range(start, index)
        if not any(classes[j] == GOOD for j in run):
            for j in run:
                if reasons[j] == WIDTH_ONLY:
                    classes[j], reasons[j] = BAD, NEAR_GOOD_OUTSIDE_BODY
        start = index + 1


def _prose_or_bad(cf_classes: Sequence[str], sparse: Sequence[bool], index: int) -> str:
    """GOOD if paragraph ``index`` is prose by its own shape (context-free good or
    neargood, not a sparse sentence itself), else BAD (also past the document's edge)."""
    if not 0 <= index < len(cf_classes) or sparse[index]:
        return BAD
    return GOOD if cf_classes[index] in (GOOD, NEAR_GOOD) else BAD


def _shaped_like_article(features: Features, lists: Language, rules: ClassifierRules) -> bool:
    """Whether a short paragraph has the shape of the article's own text, though too short
    to be judged alone: a sentence (a sentence end, ``heading_min_words`` words with
    letters, and the language's stopwords at jusText's low density or more: "Insert
    your plant into the hole.") or a line of program code or of a table drawn in text.

    Such lines stand between the entries of a list of steps, the rows of a table or
    the blocks of a code listing inside an article; chrome between chrome is labels,
    headlines and names, which end no sentence and carry no code marks.
    """
    if features.code:
        return True
    if not features.sentence_end or features.letter_words < rules.heading_min_words:
        return False
    density = features.stopword_density
    if density is None:
        return True  # no list for the language: a sentence is all there is to ask
    low = rules.function_low if lists.characters is not None else rules.stopwords_low
    return density >= low


def first_article_run(verdicts: Sequence[Verdict], rules: ClassifierRules, start: int = 0) -> range:
    """The article's paragraphs on a page whose headline is known: the first run after
    the headline (from ``start``) with at least ``headline_run_min_share`` of the
    prose of the page's best run (see :func:`body_span`), else the best run.

    Under its headline an article comes first; a block of teasers further down, each
    a paragraph of prose, can sum to more prose than a short article and win the
    best run, though nothing but chrome stands between the headline and the article.

    >>> from curation.steps.classify_paragraphs import Features
    >>> def good(width):
    ...     return Verdict(Features(width, 9, 9, 0.5, 0.1, True, 0, False), GOOD, GOOD, "")
    >>> wall = Verdict(Features(600, 80, 80, 0.0, 1.0, False, 0, False), BAD, BAD, MENU)
    >>> rules = classifier_rules(__import__("curation.rules").rules.load_rules()["boilerplate"])
    >>> verdicts = [good(500), wall, good(400), good(400)]
    >>> body_span(verdicts, rules), first_article_run(verdicts, rules)
    (range(2, 4), range(0, 1))
    """
    best = body_span(verdicts, rules, start)
    if not best:
        return best
    best_prose = _net_prose(verdicts, best, rules)
    needed = rules.headline_run_min_share * best_prose
    # Kadane's segments: each time the running sum falls to zero a new run starts;
    # the best sub-run of the first segment that reaches ``needed`` is the article.
    running, run_start = 0, start
    segment_best, segment_range = 0, range(start, start)
    for index in range(start, best.start):
        if running <= 0:
            if segment_best >= needed:
                return segment_range
            running, run_start = 0, index
            segment_best, segment_range = 0, range(index, index)
        weight = _weight(verdicts[index], rules)
        if weight > 0 or index == start or verdicts[index] is not verdicts[index - 1]:
            running += weight
        if running > segment_best:
            segment_best, segment_range = running, range(run_start, index + 1)
    if segment_best >= needed and segment_range.stop <= best.start:
        return segment_range
    return best


def _net_prose(verdicts: Sequence[Verdict], span: range, rules: ClassifierRules) -> int:
    total = 0
    for index in span:
        weight = _weight(verdicts[index], rules)
        if weight > 0 or index == span.start or verdicts[index] is not verdicts[index - 1]:
            total += weight
    return total


def last_long_paragraph(verdicts: Sequence[Verdict], body: range) -> int | None:
    """The index of the span's last paragraph that is prose by its own shape
    (context-free ``good``), where the article's own text ends and a box under it may
    start; None if the span has none."""
    return next((i for i in reversed(body) if verdicts[i].initial == GOOD), None)


def end_before_prompts(verdicts: Sequence[Verdict], body: range, rules: ClassifierRules) -> range:
    """``body`` ended before the first block of links after its last paragraph that is
    prose by its own shape (context-free ``good``), when nothing after that block is
    and at most ``list_entry_max_lines`` other blocks stand between them.

    Under an article a page sets its comments' head and rules, a sign-up call, a
    paywall's notice: a block of links ("Comment", "Tags", "Close"), then a prompt or two
    as wide as a paragraph ("Please be respectful and use appropriate language ..."),
    which a prose span takes in when they outweigh the block. A run of more than
    ``list_entry_max_lines`` blocks bad by their shape or their neighbours (not shaped
    like the article's text) is no entry of a list inside the article (see
    :func:`revise_inside_body`) but a block of links; what lies after it with no long
    paragraph of prose is the page's, not the article's end.

    >>> from curation.steps.classify_paragraphs import Features
    >>> long = Verdict(Features(400, 70, 70, 0.5, 0.1, True, 0, False), GOOD, GOOD, "stopwords")
    >>> medium = Verdict(Features(120, 20, 20, 0.5, 0.1, True, 0, False), NEAR_GOOD, GOOD, "")
    >>> def links(count):  # lines of their own, each its own block
    ...     label = Features(8, 1, 1, 0.0, 1.0, False, 0, False)
    ...     return [Verdict(label, BAD, BAD, SHORT_LINK_LIKE) for _ in range(count)]
    >>> rules = classifier_rules(__import__("curation.rules").rules.load_rules()["boilerplate"])
    >>> end_before_prompts([long, medium, *links(4), medium], range(0, 7), rules)
    range(0, 2)
    >>> end_before_prompts([long, medium, *links(3), medium], range(0, 6), rules)
    range(0, 6)
    >>> end_before_prompts([long, *links(4), long], range(0, 6), rules)
    range(0, 6)
    """
    last = last_long_paragraph(verdicts, body)
    if last is None:
        return body
    wall, blocks, kept = last + 1, 0, 0
    for index in range(last + 1, body.stop):
        verdict = verdicts[index]
        if verdict.label != BAD or verdict.article_shaped:
            if index == last + 1 or verdict is not verdicts[index - 1]:
                kept += 1
            if kept > rules.list_entry_max_lines:
                # A longer tail is kept for its neighbours beyond the block: a list
                # (references), whose last lines, once the block is gone, would have
                # only each other and go on a second run.
                return body
            wall, blocks = index + 1, 0
            continue
        if index == wall or verdict is not verdicts[index - 1]:
            blocks += 1
        if blocks > rules.list_entry_max_lines:
            return range(body.start, wall)
    return body


def end_before_echoes(
    paragraphs: Sequence[str], verdicts: Sequence[Verdict], body: range, rules: ClassifierRules
) -> range:
    """``body`` ended before a box of prompts and buttons that stands under its last
    paragraph that is prose by its own shape (context-free ``good``), found by the words
    the box prints twice.

    A box under an article says what its button does, then names the button ("Select
    the text and press the Report button ..." / "Report an error"); it prints a prompt
    twice ("Want to see fewer ads?" / "Become a Member." / "Want to see fewer ads?
    Become a Member."), or a name in its byline and again in its author box. Each line
    is a short sentence or a label its neighbours make prose, so the article's span
    takes it in. An article's own lines after its last long paragraph (its closing
    sentences, a list, a signature) print no short line twice. So a line after that
    paragraph, of at least ``heading_min_words`` words and no wider than a short
    paragraph (narrower than ``length_low``), printed again there as a line of its own
    or inside another line (whole words, casefolded; a run of characters in a script
    without spaces) is an echo; the span ends before the first line of an echo, and
    before the lines right before it that are not prose by their shape (the box's
    title: "Error in the article?"). The box opens with such a line: an echo before
    the tail's first line that is no prose by its shape does not count (a tag under the
    article repeating words of its last paragraph cuts the tags, not the paragraph). A
    heading's words opening the paragraph it heads are no echo: the paragraph right
    after a line does not count for it. Only the span is searched: the tags under it
    name what the article is about, in its own words.

    The box is the page's only while it is smaller than the article it stands under:
    the lines cut (each block once, by width) must stay under ``tail_box_max_share``
    of the span's width, or the span is left as it was (a product page's sections of
    short paragraphs after one long introduction, repeating their own names).

    >>> from curation.steps.classify_paragraphs import Features
    >>> rules = classifier_rules(__import__("curation.rules").rules.load_rules()["boilerplate"])
    >>> def verdict(text, initial):
    ...     features = Features(len(text), len(text.split()), len(text.split()), 0.4, 0.1,
    ...                         text.endswith((".", "?")), 0, False)
    ...     return Verdict(features, initial, GOOD, "")
    >>> page = ["The rescue teams said on Thursday that the search would go on. " * 6,
    ...         "It was not clear when the road would open again.",
    ...         "Error in the article?",
    ...         "Select the text and press the Report an error button to tell the editor.",
    ...         "Report an error"]
    >>> verdicts = [verdict(page[0], GOOD), verdict(page[1], NEAR_GOOD), verdict(page[2], SHORT),
    ...             verdict(page[3], NEAR_GOOD), verdict(page[4], SHORT)]
    >>> end_before_echoes(page, verdicts, range(0, 5), rules)
    range(0, 2)
    >>> end_before_echoes(page[:4] + ["Send"], verdicts, range(0, 5), rules)
    range(0, 5)
    """
    last = last_long_paragraph(verdicts, body)
    if last is None:
        return body
    cut = _echo_cut(paragraphs, verdicts, range(last + 1, body.stop), rules)
    if cut is None:
        return body
    return end_before_box(paragraphs, verdicts, body, cut, rules)


def _echo_cut(
    paragraphs: Sequence[str],
    verdicts: Sequence[Verdict],
    after: range,
    rules: ClassifierRules,
    titles_only: bool = False,
) -> int | None:
    """Where a box found by its echoes starts in ``after`` (the lines under the
    article's last long paragraph; see :func:`end_before_echoes`), or None; with
    ``titles_only``, see :func:`_over_labels`."""
    tail = [i for i in after if paragraphs[i].strip()]
    words = {i: tuple(_WORD.findall(paragraphs[i].casefold())) for i in tail}
    # Each short line, by its run of words, or of characters in a script without
    # spaces (no word boundaries there): found again by looking its runs up in the
    # other lines, linear in the tail's words for each length a short line has.
    shorts: dict[tuple[str, ...], list[int]] = {}
    for line in tail:
        features = verdicts[line].features
        if features.letter_words >= rules.heading_min_words and features.width < rules.length_low:
            key = " ".join(words[line])
            wide = display_width(key) > len(key)
            shorts.setdefault(tuple(key) if wide else words[line], []).append(line)
    lengths = {len(key) for key in shorts}
    heads = {line: following for line, following in itertools.pairwise(tail)}
    echoes: set[int] = set()
    for other in tail:
        units = (words[other], tuple(" ".join(words[other])))
        found = {
            line
            for sequence in units
            for size in lengths
            for start in range(len(sequence) - size + 1)
            for line in shorts.get(sequence[start : start + size], ())
        }
        for line in found:
            # A heading's words opening the paragraph it heads are no echo.
            if other != line and heads.get(line) != other and verdicts[other] is not verdicts[line]:
                echoes.update((line, other))
    echoes.update(_restated(tail, words, verdicts, rules))
    # The box opens with a label; the article's paragraphs before it stay, whatever a
    # label under them repeats of their words (a tag naming what the article is about).
    labels = [i for i in tail if _label_shaped(verdicts[i])]
    echoes = {i for i in echoes if labels and i >= labels[0]}
    if not echoes:
        return None
    return _over_labels(verdicts, min(echoes), after.start, titles_only)


def _restated(
    tail: Sequence[int],
    words: Mapping[int, tuple[str, ...]],
    verdicts: Sequence[Verdict],
    rules: ClassifierRules,
) -> set[int]:
    """The pairs of lines of ``tail`` (see :func:`_echo_cut`), one right after the other,
    that say one thing in two wordings: a prompt a template prints twice, once for
    each way to act on it ("Select the text and press Ctrl+Enter to send it to the
    editor!" / "Select the text and press the Report button to send it to the
    editor!"), or once for a phone and once for a computer.

    Each is a sentence as wide as a short paragraph (``neargood`` by its shape, with a
    sentence end: a prompt speaks to the reader), and the two share at least
    ``restated_min_share`` of the shorter one's runs of ``restated_ngram`` words (of
    characters, in a script without spaces). An article's closing sentences each say
    something new; a sentence that restates the one before shares its names and a
    phrase, not most of its phrases.
    """
    size = rules.restated_ngram

    def runs(line: int) -> set[tuple[str, ...]]:
        key = " ".join(words[line])
        units = tuple(key) if display_width(key) > len(key) else words[line]
        return {units[i : i + size] for i in range(len(units) - size + 1)}

    def prompt_shaped(line: int) -> bool:
        verdict = verdicts[line]
        return verdict.initial == NEAR_GOOD and verdict.features.sentence_end

    restated: set[int] = set()
    for line, following in itertools.pairwise(tail):
        if not (prompt_shaped(line) and prompt_shaped(following)):
            continue
        if verdicts[line] is verdicts[following]:
            continue  # two lines of one block
        first, second = runs(line), runs(following)
        shorter = min(len(first), len(second))
        if shorter and len(first & second) >= rules.restated_min_share * shorter:
            restated.update((line, following))
    return restated


def _over_labels(
    verdicts: Sequence[Verdict], cut: int, start: int, titles_only: bool = False
) -> int:
    """``cut`` moved up over the lines right before it that are no prose by their
    shape (a box's title: "Error in the article?"), not before ``start``; with
    ``titles_only``, not over a line that ends like a sentence (an article's short
    closing sentence: "The talks will go on next week.")."""
    while (
        cut > start
        and _label_shaped(verdicts[cut - 1])
        and not (titles_only and verdicts[cut - 1].features.sentence_end)
    ):
        cut -= 1
    return cut


def start_after_echoes(
    paragraphs: Sequence[str], verdicts: Sequence[Verdict], body: range, rules: ClassifierRules
) -> range:
    """``body`` started after a bar of buttons above its first paragraph that is prose by
    its own shape (context-free ``good``), found by a button the page printed already
    among its chrome before the span.

    A page prints its share bar ("Share", "Save", "Print") in its head and again right
    above the article, often with a notice beside it (how to reprint the article, "see
    here for details"); the notice is as wide as a short paragraph, and the buttons
    between it and the article are kept for their neighbours, so the span starts at
    the notice. The article's own lines before its first long paragraph (a lead, a
    dateline, a subheading) print no short line of the page's chrome. So a short
    line (narrower than ``length_low``) before that paragraph that is no prose by its
    shape and ends no sentence (a button names an action), printed, the same line
    (spaces collapsed, casefolded), among the chrome before the span (a line labelled
    ``bad``: not an entry of the article's own table of contents), is a button of
    such a bar; the span starts after the last such button and the labels right after
    it (see :func:`_label_shaped`). A button is wider than a fragment
    (``fragment_max_width``: a drop capital, a list number are no labels), and what the
    bar cuts holds at most ``bar_notice_max_paragraphs`` paragraphs as wide as a
    short paragraph (``neargood``): a notice beside the bar, not the article's lead
    paragraphs over an advertisement's label the head printed too.

    >>> from curation.steps.classify_paragraphs import Features
    >>> rules = classifier_rules(__import__("curation.rules").rules.load_rules()["boilerplate"])
    >>> def verdict(width, initial, label=GOOD):
    ...     return Verdict(Features(width, 2, 2, 0.4, 0.1, False, 0, False), initial, label, "")
    >>> page = ["Share", "Home", "To reprint this article, see our terms for reuse here.",
    ...         "Share", "Print", "The rescue teams said on Thursday ..."]
    >>> verdicts = [verdict(5, SHORT, BAD), verdict(4, SHORT, BAD), verdict(70, NEAR_GOOD),
    ...             verdict(5, SHORT), verdict(5, SHORT), verdict(400, GOOD)]
    >>> start_after_echoes(page, verdicts, range(2, 6), rules)
    range(5, 6)
    >>> start_after_echoes(page[:3] + ["Like", "Print"] + page[5:], verdicts, range(2, 6), rules)
    range(2, 6)
    """
    first_long = next((i for i in body if verdicts[i].initial == GOOD), None)
    if first_long is None:
        return body
    chrome = {
        line_key(paragraphs[i])
        for i in range(body.start)
        if verdicts[i].label == BAD
        and paragraphs[i].strip()
        and verdicts[i].features.width < rules.length_low
    }
    buttons = [
        i
        for i in range(body.start, first_long)
        if rules.fragment_max_width < verdicts[i].features.width < rules.length_low
        and _label_shaped(verdicts[i])
        and not verdicts[i].features.sentence_end
        and line_key(paragraphs[i]) in chrome
    ]
    if not buttons:
        return body
    start = buttons[-1] + 1
    while start < first_long and _label_shaped(verdicts[start]):
        start += 1
    notices = sum(
        1
        for i in range(body.start, start)
        if verdicts[i].initial == NEAR_GOOD
        and (i == body.start or verdicts[i] is not verdicts[i - 1])
    )
    if notices > rules.bar_notice_max_paragraphs:
        return body
    return range(start, body.stop)


def end_before_form(
    paragraphs: Sequence[str], verdicts: Sequence[Verdict], body: range, rules: ClassifierRules
) -> range:
    """``body`` ended before a form under the article (a comment form, a sign-up form),
    found by its fields marked as required.

    A form names its fields in short lines and marks the ones it needs with an
    asterisk standing apart at the line's end ("Name *", "Nombre (*):", "Required
    fields are marked *"): a convention of web forms in every language and script,
    not a word of any. An article's own text does not end one short line after
    another with a lone asterisk; a footnote's mark opens its line ("* Names
    changed") or sits on a word inside a sentence. So ``form_min_marked_labels``
    short lines (narrower than ``length_low``) so marked, each at most
    ``list_entry_max_lines`` lines after the one before, are a form; it ends the
    article when at most ``list_entry_max_lines`` paragraphs that are prose by their
    own shape (context-free ``good``: a notice under the form, "Remember that you are
    responsible for what you write ...") follow its first field, so that a form set
    inside an article ends nothing.

    Its head (the thread's title, the rules for comments, "Leave a Reply") stands
    between the article's last long paragraph before the form and its first field,
    as wide as the article's closing paragraphs: the form starts at its first field,
    or at its note on the mark right before that ("Required fields are marked *"),
    or at the line right under that paragraph whose words the form prints again
    (the rules' title in a box to tick: "Terms of use" / "I accept the terms of
    use"; see :func:`end_before_echoes`), and at the labels right before that (lines
    that are no prose by their shape and end no sentence). An article's own closing
    paragraphs and short closing sentences, with no words the form repeats, stay. The
    form is the page's while it is smaller than the article (see
    :func:`end_before_box`).

    >>> from curation.steps.classify_paragraphs import Features
    >>> rules = classifier_rules(__import__("curation.rules").rules.load_rules()["boilerplate"])
    >>> def verdict(text, initial):
    ...     features = Features(len(text), len(text.split()), len(text.split()), 0.4, 0.1,
    ...                         text.endswith((".", "?")), 0, False)
    ...     return Verdict(features, initial, GOOD, "")
    >>> page = ["The rescue teams said on Thursday that the search would go on. " * 6,
    ...         "It was not clear when the road would open again.",
    ...         "Leave a Reply", "Name *", "Email *", "Post Comment"]
    >>> verdicts = [verdict(page[0], GOOD), verdict(page[1], NEAR_GOOD)] + [
    ...     verdict(line, SHORT) for line in page[2:]]
    >>> end_before_form(page, verdicts, range(0, 6), rules)
    range(0, 2)
    >>> end_before_form(page[:4] + ["Email"] + page[5:], verdicts, range(0, 6), rules)
    range(0, 6)
    """
    form = _form_start(paragraphs, verdicts, body, rules)
    if form is None:
        return body
    prose = sum(
        1
        for i in range(form, body.stop)
        if verdicts[i].initial == GOOD and verdicts[i] is not verdicts[i - 1]
    )
    last = last_long_paragraph(verdicts, range(body.start, form))
    if prose > rules.list_entry_max_lines or last is None:
        return body
    after = range(last + 1, body.stop)
    # The form's note on its mark ("Required fields are marked *") may be as wide as
    # a sentence: it is the form's all the same.
    while form > after.start and rules.form_required_mark.search(paragraphs[form - 1].strip()):
        form -= 1
    cut = _over_labels(verdicts, form, after.start, titles_only=True)
    echo = _echo_cut(paragraphs, verdicts, after, rules, titles_only=True)
    if echo is not None:
        cut = min(cut, echo)
    return end_before_box(paragraphs, verdicts, body, cut, rules)


def _form_start(
    paragraphs: Sequence[str], verdicts: Sequence[Verdict], body: range, rules: ClassifierRules
) -> int | None:
    """The first field of the first form in ``body`` (see :func:`end_before_form`):
    the first of ``form_min_marked_labels`` short lines marked as required, each at
    most ``list_entry_max_lines`` lines after the one before; None if there is none."""
    run: list[int] = []
    for index in body:
        short = verdicts[index].features.width < rules.length_low
        if not (short and rules.form_required_mark.search(paragraphs[index].strip())):
            continue
        if run and index - run[-1] > rules.list_entry_max_lines:
            run = []
        run.append(index)
        if len(run) >= rules.form_min_marked_labels:
            return run[0]
    return None


def end_at_preview_cut(
    paragraphs: Sequence[str], verdicts: Sequence[Verdict], body: range, rules: ClassifierRules
) -> range:
    """``body`` ended after a paragraph cut off with an ellipsis ("The decision
    was…"), when no paragraph after the cut is prose by its own shape (context-free
    ``good``).

    A page that shows a paying member's article to everyone else prints its first
    paragraphs and cuts the next at a budget of characters; under the cut comes the
    notice that the rest is for members and a call to sign up: sentences as wide as
    a short paragraph, kept for their neighbours. The cut is no sentence's end (the
    ellipsis follows a word, not a full stop or a closing quote), and no article's
    own text goes on after it with nothing but a notice or two: an ellipsis a writer
    puts in ("And then...") has more of the article after it, a long paragraph or
    more than ``preview_notice_max_paragraphs`` as wide as a short one. What follows
    the cut is the page's, while it is smaller than the article (see
    :func:`end_before_box`).

    >>> from curation.steps.classify_paragraphs import Features
    >>> rules = classifier_rules(__import__("curation.rules").rules.load_rules()["boilerplate"])
    >>> def verdict(text, initial):
    ...     features = Features(len(text), len(text.split()), len(text.split()), 0.4, 0.1,
    ...                         text.endswith((".", "?")), 0, False)
    ...     return Verdict(features, initial, GOOD, "")
    >>> page = ["The talks in Geneva went on late into the night, the ministers said. " * 5,
    ...         "Whether the deal holds depends on…",
    ...         "This article is for subscribers. Sign up to read on."]
    >>> verdicts = [verdict(page[0], GOOD), verdict(page[1], SHORT), verdict(page[2], NEAR_GOOD)]
    >>> end_at_preview_cut(page, verdicts, range(0, 3), rules)
    range(0, 2)
    >>> end_at_preview_cut(page, [*verdicts[:2], verdict(page[0], GOOD)], range(0, 3), rules)
    range(0, 3)
    """
    last = last_long_paragraph(verdicts, body)
    if last is None:
        return body
    for index in range(last, body.stop - 1):
        text = paragraphs[index].rstrip()
        mark = next((m for m in rules.ellipses if text.endswith(m)), None)
        if mark is None:
            continue
        # A run of marks ("……", "....") is one cut; a sentence's end before the
        # marks ("Really?...") is a writer's trail-off.
        before = text[: -len(mark)].rstrip("".join(rules.ellipses) + " ")
        if not before or before[-1] in rules.sentence_end + rules.closing:
            continue
        notices = sum(
            1
            for i in range(index + 1, body.stop)
            if verdicts[i].initial == NEAR_GOOD and verdicts[i] is not verdicts[i - 1]
        )
        if notices > rules.preview_notice_max_paragraphs:
            return body
        return end_before_box(paragraphs, verdicts, body, index + 1, rules)
    return body


def end_before_box(
    paragraphs: Sequence[str],
    verdicts: Sequence[Verdict],
    body: range,
    cut: int,
    rules: ClassifierRules,
) -> range:
    """``body`` ended at ``cut``, where a box under the article starts, while the box is
    smaller than the article: what it cuts (each block once, by width) under
    ``tail_box_max_share`` of the span's width; else ``body`` as it was.

    >>> from curation.steps.classify_paragraphs import Features
    >>> rules = classifier_rules(__import__("curation.rules").rules.load_rules()["boilerplate"])
    >>> def verdict(width):
    ...     return Verdict(Features(width, 9, 9, 0.4, 0.1, True, 0, False), GOOD, GOOD, "")
    >>> verdicts = [verdict(300), verdict(100), verdict(100)]
    >>> end_before_box(["a", "b", "c"], verdicts, range(0, 3), 1, rules)
    range(0, 1)
    >>> end_before_box(["a", "b", "c"], verdicts[::-1], range(0, 3), 1, rules)
    range(0, 3)
    """
    box, span = (
        _width(paragraphs, verdicts, range(cut, body.stop)),
        _width(paragraphs, verdicts, body),
    )
    if box >= rules.tail_box_max_share * span:
        return body
    return range(body.start, cut)


def _label_shaped(verdict: Verdict) -> bool:
    """Whether a paragraph is no prose by its shape: short and no sentence (see
    ``Verdict.article_shaped``), or bad on its own."""
    return verdict.initial not in (GOOD, NEAR_GOOD) and not verdict.article_shaped


def _width(paragraphs: Sequence[str], verdicts: Sequence[Verdict], span: range) -> int:
    """The width of the blocks of ``span`` (the lines of one block share a verdict)."""
    return sum(
        verdicts[i].features.width
        for i in span
        if paragraphs[i].strip() and (i == span.start or verdicts[i] is not verdicts[i - 1])
    )


def widen_over_article_shaped(verdicts: Sequence[Verdict], body: range, start: int = 0) -> range:
    """``body`` widened over the article-shaped lines right before and after it (not
    before ``start``): an article's last short sentence ("The lesson, as always: you
    are what you search.") or a code listing at its end weighs nothing in body_span,
    so the best run stops short of it.

    >>> from curation.steps.classify_paragraphs import Features
    >>> line = Features(30, 6, 6, 0.5, 0.2, True, 0, False)
    >>> prose = Verdict(line, GOOD, GOOD, "stopwords")
    >>> shaped = Verdict(line, SHORT, BAD, SHORT_OUTSIDE_BODY, article_shaped=True)
    >>> chrome = Verdict(line, BAD, BAD, SHORT_LINK_LIKE)
    >>> widen_over_article_shaped([shaped, prose, shaped, shaped, chrome, shaped], range(1, 2))
    range(0, 4)
    """
    if not body:
        return body
    low, high = body.start, body.stop
    while low > start and verdicts[low - 1].article_shaped:
        low -= 1
    while high < len(verdicts) and verdicts[high].article_shaped:
        high += 1
    # An entry of the article's own contents that is chrome by its shape (a heading,
    # "Conclusion") is the article's only as the heading of a section: after the span,
    # with no section of the span's under it, it opens nothing (and a second run, the
    # contents gone, would not keep it).
    while high > body.stop and verdicts[high - 1].reason not in CONTEXT_ONLY:
        high -= 1
    return range(low, high)


# How many lines' keys are remembered (see line_key): the passes over one page ask for
# each of its lines' keys (stamp_keys, resume_contents_sections, mark_repeated_blocks,
# the echoes' tests), and a page has a few dozen lines; the benchmark's longest some
# hundreds. Held by the line itself (a hash the string keeps once computed): at most
# some 2 MB for the lines and their keys when full.
LINE_KEYS = 2048


@functools.lru_cache(maxsize=LINE_KEYS)
def line_key(line: str) -> str:
    """A line as it is compared with the page's other lines: spaces collapsed, casefolded.
    Remembered (:data:`LINE_KEYS` lines, the least recently asked dropped first): a pure
    function of the line."""
    return " ".join(line.split()).casefold()


def _relabeled(verdict: Verdict, label: str, reason: str) -> Verdict:
    """``verdict`` with another label and reason, its features and shapes kept."""
    return Verdict(verdict.features, verdict.initial, label, reason, shape=verdict.shape)


def resume_numbered_sections(
    paragraphs: Sequence[str], verdicts: Sequence[Verdict], body: range, rules: ClassifierRules
) -> tuple[range, list[Verdict]]:
    """``body`` widened to where the article's numbered sections go on after a wall,
    and the verdicts with those sections' headings good (``numbered section``).

    A listicle ("1. Take the blankets off the bed", "2. Check the peep hole" ...) may
    be cut by a gallery or a block of teasers set inside it, a wall the article's
    span does not cross; its next section after the wall still carries the next
    number. When the span's numbered paragraphs end on a count of at least
    ``enumeration_min_items`` in order (..., "4.", "5."), the first paragraph after
    the span numbered one more ("6.") reopens the article there: the span reaches to
    the end of the run of prose it opens (weighed as in :func:`body_span`). A numbering that
    starts again before it (a "Most read" list counting "1.", "2." ...) ends the
    search: its "6." is that list's. What lies between keeps its own verdicts; the
    section's own paragraphs, bad by the wall before them, are inside the span now
    (see :func:`revise_inside_body`).

    A document numbers its sections on more than one level ("17.", "17.1.", "17.2.",
    "18.", see ``section_number_mark``): the number that goes on from one is the next
    at its own level or at any level above it, or the first below it (see
    :func:`_numbering_goes_on`); the search goes on from section to section while the
    numbering does. A section with no prose under it (a list of references, the
    authors' addresses) is the document's when the next section's number closes it:
    its lines bad only by their shape as a label or by few stopwords are good, and so
    is the closing heading.

    >>> from curation.rules import load_rules
    >>> rules = classifier_rules(load_rules()["boilerplate"])
    >>> prose = ("The talks were useful, the minister said, and they would go on in May, "
    ...          "when the two sides meet again in the capital to look at what is left "
    ...          "of the plan and at what they can still agree on before the summer.")
    >>> page = []
    >>> for number, heading in enumerate(["the unions want", "the bosses say", "is next"], 1):
    ...     page += [f"{number}. What {heading}", f"{prose} ({number})"]
    >>> page += ["Photo", "Getty Images", "Share"] * 20 + ["4. What the court said", prose]
    >>> verdicts = classify(page, "en", rules)
    >>> body = body_span(verdicts, rules)
    >>> widened, revised = resume_numbered_sections(page, verdicts, body, rules)
    >>> body, widened, revised[66].reason
    (range(0, 6), range(0, 68), 'numbered section')
    """
    chain = [
        number
        for index in body
        if (number := _section_number(paragraphs[index], rules)) is not None
    ]
    last = chain[-rules.enumeration_min_items :]
    if len(last) < rules.enumeration_min_items or not all(
        _numbering_goes_on(before, after) for before, after in itertools.pairwise(last)
    ):
        return body, list(verdicts)
    current, stop = last[-1], body.stop
    revised: dict[int, Verdict] = {}

    def keep(verdict: Verdict) -> None:
        revised[id(verdict)] = _relabeled(verdict, GOOD, NUMBERED_SECTION)

    index = body.stop
    while index < len(paragraphs):
        number = _section_number(paragraphs[index], rules)
        if number is None:
            index += 1
            continue
        if not _numbering_goes_on(current, number):
            break  # another numbering: not the article's
        end = _section_end(verdicts, rules, index)
        if end == index + 1:
            # A heading with no prose under it: the document's only if the next
            # section's number closes it.
            end = next(
                (
                    j
                    for j in range(index + 1, len(paragraphs))
                    if _section_number(paragraphs[j], rules) is not None
                ),
                index + 1,
            )
            closing = _section_number(paragraphs[end], rules) if end < len(paragraphs) else None
            if closing is None or not _numbering_goes_on(number, closing):
                break
            for j in range(index + 1, end):
                if verdicts[j].label == BAD and verdicts[j].reason in IN_BODY_LIGHT + CONTEXT_ONLY:
                    keep(verdicts[j])
            # The closing heading is the document's too: without it a second run would
            # find the section closed by nothing.
            keep(verdicts[end])
            stop = max(stop, end + 1)
        keep(verdicts[index])
        current, stop = number, max(stop, end)
        for j in range(index + 1, end):
            inner = _section_number(paragraphs[j], rules)
            if inner is not None and _numbering_goes_on(current, inner):
                current = inner
        index = end
    return range(body.start, stop), [revised.get(id(v), v) for v in verdicts]


def resume_contents_sections(
    paragraphs: Sequence[str], verdicts: Sequence[Verdict], body: range, rules: ClassifierRules
) -> tuple[range, list[Verdict]]:
    """``body`` widened to the sections after it that the article's own contents list
    names, and the verdicts with their headings good (``contents section``).

    A long article opens with its contents: a run of short lines, its sections'
    headings, each printed again further down where its section starts. Its last
    section ("Conclusion": a heading and a paragraph) may stand alone before the
    footer, too short a run of prose to outweigh the chrome after it. Inside the span,
    a run of at least ``enumeration_min_items`` consecutive lines narrower than
    ``length_low``, each printed again after the run in the run's order (compared with
    spaces collapsed, casefolded), of which at least ``enumeration_min_items`` are
    printed again inside the span, is the article's contents; each of its next entries
    printed after the span reopens the article there, to the end of the run of prose
    under it (as in :func:`resume_numbered_sections`). A heading with no prose under
    it ends the search: a menu printed at the page's head and again in its footer has
    none. Matching whole lines, in order, it holds in any language.

    >>> from curation.rules import load_rules
    >>> rules = classifier_rules(load_rules()["boilerplate"])
    >>> prose = ("The talks were useful, the minister said, and they would go on in May, "
    ...          "when the two sides meet again in the capital to look at what is left "
    ...          "of the plan and at what they can still agree on before the summer.")
    >>> headings = ["Background", "The talks", "The plan", "Conclusion"]
    >>> page = [prose, *headings]
    >>> for heading in headings[:3]:
    ...     page += [heading, prose, prose]
    >>> page += ["Photo", "Getty Images", "Share"] * 20 + ["Conclusion", prose, "Home"]
    >>> verdicts = classify(page, "en", rules)
    >>> body = body_span(verdicts, rules)
    >>> widened, revised = resume_contents_sections(page, verdicts, body, rules)
    >>> body, widened, revised[74].reason
    (range(0, 14), range(0, 76), 'contents section')
    """
    unchanged = (body, list(verdicts))
    keys = [line_key(paragraph) for paragraph in paragraphs]
    where: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        if key:
            where.setdefault(key, []).append(index)

    def again(key: str, after: int) -> int | None:
        """Where ``key`` is printed next after ``after``."""
        positions = where[key]
        at = bisect.bisect_right(positions, after)
        return positions[at] if at < len(positions) else None

    index = body.start
    while index < body.stop:
        start = index
        while (
            index < body.stop
            and keys[index]
            and not width_at_least(paragraphs[index].strip(), rules.length_low)
            and again(keys[index], index) is not None
        ):
            index += 1
        entries = range(start, index)
        index += 1
        if len(entries) < rules.enumeration_min_items:
            continue
        cursor, inside, past = entries.stop - 1, 0, []
        for entry in entries:
            found = again(keys[entry], cursor)
            if found is None:
                break
            cursor = found
            if found < body.stop:
                inside += 1
            else:
                past.append(found)
        if inside < rules.enumeration_min_items or not past:
            continue
        stop, revised = body.stop, list(verdicts)
        for heading in past:
            if heading < stop:
                continue
            end = _section_end(verdicts, rules, heading)
            if end == heading + 1:
                break  # a heading with no prose under it
            verdict = verdicts[heading]
            revised[heading] = _relabeled(verdict, GOOD, CONTENTS_SECTION)
            stop = end
        return range(body.start, stop), revised
    return unchanged


def keep_section_headings(
    paragraphs: Sequence[str], verdicts: Sequence[Verdict], body: range, rules: ClassifierRules
) -> list[Verdict]:
    """The verdicts with the article's subsection headings inside ``body`` good
    (``numbered section``).

    Inside a document's span a subsection's heading ("12.4. OPTIONS preflight") is a
    short label among the lines of a code listing or a table, and goes with them as a
    link label would. A number of more than one level (``section_number_mark``) that
    goes on from the number before it in the span (see :func:`_numbering_goes_on`:
    "12.3" -> "12.4") is the document's own heading; a list of links numbers its items
    on one level ("1.", "2."), and is left to :func:`revise_inside_body`. Only a heading
    bad as a label, by few stopwords or by its neighbours is kept.

    >>> from curation.rules import load_rules
    >>> rules = classifier_rules(load_rules()["boilerplate"])
    >>> page = ["12.3. Form", "POST /oauth", "12.4. Preflight", "12.6. Later", "1.1. Hello"]
    >>> verdicts = [Verdict(measure(line, language_lists("en", rules), rules), BAD, BAD,
    ...                     SHORT_LINK_LIKE) for line in page]
    >>> [v.reason for v in keep_section_headings(page, verdicts, range(5), rules)]
    ['short_link_like', 'short_link_like', 'numbered section', 'short_link_like', 'short_link_like']
    """
    revised = list(verdicts)
    previous: tuple[int, ...] | None = None
    for index in body:
        number = _section_number(paragraphs[index], rules)
        if number is None:
            continue
        verdict = verdicts[index]
        if (
            previous is not None
            and len(number) > 1
            and _numbering_goes_on(previous, number)
            and verdict.label == BAD
            and verdict.reason in IN_BODY_LIGHT + CONTEXT_ONLY
            and all(  # a line of its own, not one of a block's
                verdicts[j] is not verdict for j in (index - 1, index + 1) if 0 <= j < len(verdicts)
            )
        ):
            revised[index] = _relabeled(verdict, GOOD, NUMBERED_SECTION)
        previous = number
    return revised


# The stop between the levels of a section number that section_number_mark matched
# (a full stop, or its full-width form).
_LEVEL_STOP = patterns.compile(r"[.．]")


def _section_number(paragraph: str, rules: ClassifierRules) -> tuple[int, ...] | None:
    """The section number ``paragraph`` opens with, one int per level ("17.1." is
    (17, 1), "6." is (6,)), or None."""
    match = rules.section_number_mark.match(paragraph) or rules.enumeration_mark.match(paragraph)
    if match is None:
        return None
    return tuple(int(level) for level in _LEVEL_STOP.split(match.group("number")))


def _numbering_goes_on(before: tuple[int, ...], after: tuple[int, ...]) -> bool:
    """Whether the section number ``after`` goes on from ``before``: the next number at
    ``before``'s level or at any level above it ("17.1" -> "17.2" or "18"), or the
    first number below it ("17" -> "17.1").

    >>> goes_on = _numbering_goes_on
    >>> goes_on((17, 1), (17, 2)), goes_on((17, 2), (18,)), goes_on((17,), (17, 1))
    (True, True, True)
    >>> goes_on((17, 1), (17, 3)), goes_on((17, 2), (1,)), goes_on((5,), (5,))
    (False, False, False)
    """
    if after == (*before, 1):
        return True
    level = len(after) - 1
    return (
        level < len(before)
        and after[:level] == before[:level]
        and after[level] == before[level] + 1
    )


def _section_end(verdicts: Sequence[Verdict], rules: ClassifierRules, heading: int) -> int:
    """Where the section under the numbered ``heading`` ends: the end of the best run of
    prose after it, before the chrome after it outweighs it. The wall before the
    heading made its neighbours bad, so a paragraph counts as prose by its own shape
    (context-free good or neargood), chrome by its weight in :func:`body_span`."""
    best, best_stop, running = 0, heading + 1, 0
    for index in range(heading + 1, len(verdicts)):
        verdict = verdicts[index]
        if verdict is verdicts[index - 1] and index > heading + 1:
            weight = 0  # one block, weighed once
        elif verdict.initial in (GOOD, NEAR_GOOD) and verdict.reason not in (LISTING, ANOTHER_RULE):
            weight = verdict.features.width
        else:
            weight = min(_weight(verdict, rules), -rules.chrome_min_cost)
        running += weight
        if running <= 0:
            break
        if running > best:
            best, best_stop = running, index + 1
    return best_stop


def revise_inside_body(
    verdicts: Sequence[Verdict],
    body: range,
    rules: ClassifierRules,
    paragraphs: Sequence[str] = (),
) -> list[Verdict]:
    """The verdicts once the article's span is known: inside it, what was chrome only by
    its neighbours is the article's, where it has the article's shape.

    jusText judges a short paragraph by its neighbours because it cannot tell alone;
    between the steps of a how-to, the rows of a table or the blocks of a code
    listing, those neighbours are the list's labels, and a page's worth of sentences
    goes with them. Once body_span has found the article's run of prose, inside it:

    - a paragraph bad by its neighbours alone (``short_between_chrome``,
      ``near_good_between_chrome``) that is a sentence, a line of code, or
      ``neargood`` (long enough to have shown stopwords) is good;
    - then a run of at most ``list_entry_max_lines`` lines bad only for looking like
      a link label, by their neighbours, or for holding few stopwords (see
      ``IN_BODY_LIGHT``), between good ones on both sides, is an entry of a list or a
      table, and is good; so is a longer run whose items are numbered in order (see
      :func:`enumerated`), after at most one line that introduces them ("The
      rankings were as follows:"), when ``paragraphs`` (the texts of ``verdicts``)
      are given.

    Chrome by its own shape (a menu, a copyright line, a list of names) or taken by
    a phrase rule stays chrome; outside the span nothing changes. Lines of one block
    keep sharing one verdict.
    """
    revised: dict[int, Verdict] = {}

    def replace(verdict: Verdict, reason: str) -> None:
        revised[id(verdict)] = _relabeled(verdict, GOOD, reason)

    for index in body:
        verdict = verdicts[index]
        if verdict.label == BAD and (
            verdict.article_shaped or verdict.reason == NEAR_GOOD_OUTSIDE_BODY
        ):
            replace(verdict, INSIDE_ARTICLE)
    labels = [revised.get(id(v), v).label for v in verdicts]
    light = [
        index in body and labels[index] == BAD and verdicts[index].reason in IN_BODY_LIGHT
        for index in range(len(verdicts))
    ]
    index = body.start
    while index < body.stop:
        if not light[index]:
            index += 1
            continue
        end = index
        while end < body.stop and light[end]:
            end += 1
        between = index > body.start and end < body.stop and labels[end] == GOOD
        # The list a sentence of the article introduces goes on to the article's next
        # paragraph; the lines before that sentence are judged as a run of their own.
        intro = next(
            (
                j
                for j in range(max(index - 1, body.start), end)
                if paragraphs
                and (j >= index or labels[j] == GOOD)
                and introduces_list(paragraphs[j], verdicts[j].features, rules)
            ),
            end,
        )
        if between and intro < end:
            for j in range(max(intro, index), end):
                replace(verdicts[j], INSIDE_BODY)
        blocks = {id(verdicts[j]) for j in range(index, intro)}
        if (
            (
                len(blocks) <= rules.list_entry_max_lines
                or _numbered_list(paragraphs, verdicts, range(index, intro), rules)
            )
            and index > body.start
            and intro < body.stop
            and labels[index - 1] == GOOD
            and (labels[intro] == GOOD or (between and intro < end))
        ):
            for j in range(index, intro):
                replace(verdicts[j], INSIDE_BODY)
        index = end
    return [revised.get(id(verdict), verdict) for verdict in verdicts]


def introduces_list(paragraph: str, features: Features, rules: ClassifierRules) -> bool:
    """Whether ``paragraph`` is a sentence that opens a list: it ends with a colon
    (``list_intro_marks``), has ``list_intro_min_words`` words or more, a stopword
    when its language has a list, and is not in Title Case. A link list's label
    ("Related:", "Read more:", "Other Stories:") is none.

    >>> from curation.rules import load_rules
    >>> rules = classifier_rules(load_rules()["boilerplate"])
    >>> english = language_lists("en", rules)
    >>> def opens(line, language=english):
    ...     return introduces_list(line, measure(line, language, rules), rules)
    >>> opens("We are running three experiments:")
    True
    >>> opens("Las tres pruebas son las siguientes:", language_lists("es", rules))
    True
    >>> opens("Read more:"), opens("Other Stories You May Like:")
    (False, False)
    >>> opens("We ran three experiments."), opens("We are running three experiments")
    (False, False)
    >>> opens("この記事では次の三つを試しています：", language_lists("ja", rules))
    True
    """
    text = paragraph.rstrip()
    if not text or text[-1] not in rules.list_intro_marks:
        return False
    if features.letter_words < rules.list_intro_min_words or features.stopword_density == 0:
        return False
    return features.title_case_share < rules.title_case_min_share


def _numbered_list(
    paragraphs: Sequence[str], verdicts: Sequence[Verdict], run: range, rules: ClassifierRules
) -> bool:
    """Whether the blocks of ``run`` are a numbered list, after at most one line that
    introduces it."""
    if not paragraphs:
        return False
    items = [paragraphs[j] for j in run if j == run.start or verdicts[j] is not verdicts[j - 1]]
    return enumerated(items, rules) or enumerated(items[1:], rules)


def listing_lines(
    features: Sequence[Features], initial: Sequence[tuple[str, str]], rules: ClassifierRules
) -> list[int]:
    """The lines of code listings and of tables drawn in text that have no code mark of
    their own: a listing's keywords and brackets ("SELECT", "FROM", "),"), a table's
    cells, which read as link labels or as a template's repeated lines.

    A listing is a run of short paragraphs (narrower than ``length_low``) with at
    least ``listing_min_code_lines`` lines of code among them, making at least
    ``listing_min_code_share`` of the run. Lines chrome by a shape only chrome has (a
    menu, a copyright sign) stay what they are.

    >>> from curation.rules import load_rules
    >>> rules = classifier_rules(load_rules()["boilerplate"])
    >>> lines = ["SELECT", "avg(n) AS mean", "FROM", "series;", "Share"]
    >>> features = [measure(line, Language(None, None), rules) for line in lines]
    >>> listing_lines(features, [_initial(f, Language(None, None), rules) for f in features], rules)
    [0, 2, 4]
    >>> menu = [measure(line, Language(None, None), rules) for line in ["Home", "News", "Sport"]]
    >>> listing_lines(menu, [_initial(f, Language(None, None), rules) for f in menu], rules)
    []
    """
    found: list[int] = []
    start = 0
    for index in range(len(features) + 1):
        if index < len(features) and 0 < features[index].width < rules.length_low:
            continue
        run = range(start, index)
        code = sum(1 for j in run if features[j].code)
        if code >= rules.listing_min_code_lines and code >= rules.listing_min_code_share * len(run):
            found.extend(
                j for j in run if not features[j].code and initial[j][1] not in (MENU, COPYRIGHT)
            )
        start = index + 1
    return found


def is_figure(features: Features) -> bool:
    """A cell of figures: digits and their signs, no word with a letter ("63",
    "16.6%", "4.2.3", "2017", "٢٠١٧").

    >>> lists = Language(None, None)
    >>> rules = classifier_rules(__import__("curation.rules").rules.load_rules()["boilerplate"])
    >>> [is_figure(measure(cell, lists, rules)) for cell in ["16.6%", "4.2.3", "April 2014", "—"]]
    [True, True, False, False]
    """
    return features.words > 0 and features.letter_words == 0


def is_quantity(paragraph: str, features: Features, rules: ClassifierRules) -> bool:
    """A cell of figures, or of figures with their unit: a number first, and at most
    ``table_unit_max_words`` words of at most ``table_unit_max_letters`` letters each
    ("71.1 MB", "13.4 MB (-81%)", "5 km/h", "1,2 Mrd", "71 公斤"). A short name before
    a number ("tal" / "16", a user's name and their count, read as one block) is a
    label with its figure, not a figure with its unit, and so is a month before a year
    ("May 2014", a release history's label). A table of sizes, distances or prices
    prints its figures so; a word as long as a label's makes the cell a label or a
    template's counter ("11 Comments"). A word after a stamp's number (a year, a clock
    time: ``[listing] stamp_patterns``) is a date's or a time's ("2014 r.", "10:21 h"),
    a card's stamp, not a unit.

    >>> lists = Language(None, None)
    >>> rules = classifier_rules(__import__("curation.rules").rules.load_rules()["boilerplate"])
    >>> cells = ["71.1 MB", "13.4 MB (-81%)", "71 公斤", "16.6%", "11 Comments", "May 2014",
    ...          "MB", "tal 16"]
    >>> [is_quantity(cell, measure(cell, lists, rules), rules) for cell in cells]
    [True, True, True, True, False, False, False, False]
    """
    if is_figure(features):
        return True
    words = _WORD.findall(paragraph)
    if not words or not words[0].isdigit():
        return False
    units = [word for word in words if not word.isdigit()]
    return (
        len(units) <= rules.table_unit_max_words
        and all(sum(map(str.isalpha, word)) <= rules.table_unit_max_letters for word in units)
        and not any(pattern.search(paragraph) for pattern in rules.stamp_patterns)
    )


def table_lines(
    paragraphs: Sequence[str],
    features: Sequence[Features],
    initial: Sequence[tuple[str, str]],
    rules: ClassifierRules,
) -> list[int]:
    """The cells of tables of figures printed one cell a line: a release history
    ("4.2.3" / "April 2014" / "4.1.6" / "May 2014" ...), a ranking of names with
    their counts and shares ("Herbert Dürr" / "63" / "16.6%" ...).

    A cell of figures may carry a short unit ("71.1 MB": see :func:`is_quantity`).
    Each cell is a short label or a figure, like a menu's entries; what no menu,
    footer or list of headlines has is the rhythm of a table's rows: within a run
    of short paragraphs (narrower than ``length_low``), a cell of figures (see
    :func:`is_figure`) comes back at least every ``table_max_columns`` lines, after
    a label, in at least ``table_min_rows`` rows, and the labels are names, not
    headlines (their median at most ``table_label_max_width`` columns). A pager
    ("1", "2", "3") has figures but no labels between them; a ranked list of
    headlines ("1", "Markets rally on...") has labels as wide as headlines.

    The table runs from its first row's label to its last figure. Its lines are left
    to their neighbours, as a code listing's are (see :func:`listing_lines`): between
    the article's paragraphs they are the article's. Lines chrome by a shape only
    chrome has (a menu, a copyright sign) stay what they are.

    >>> from curation.rules import load_rules
    >>> rules = classifier_rules(load_rules()["boilerplate"])
    >>> lines = ["Release", "Date", "4.2.3", "April 2014", "4.1.6", "April 2014",
    ...          "4.2.4", "May 2014", "4.2.5", "June 2014", "4.3", "July 2014", "Share"]
    >>> features = [measure(line, Language(None, None), rules) for line in lines]
    >>> initial = [_initial(f, Language(None, None), rules) for f in features]
    >>> table_lines(lines, features, initial, rules)
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    >>> pager = "1 2 3 4 5 6".split()
    >>> features = [measure(line, Language(None, None), rules) for line in pager]
    >>> initial = [_initial(f, Language(None, None), rules) for f in features]
    >>> table_lines(pager, features, initial, rules)
    []
    """
    found: list[int] = []
    start = 0
    for index in range(len(features) + 1):
        if index < len(features) and 0 < features[index].width < rules.length_low:
            continue
        run = range(start, index)
        # A time, a date or a counter ("18:51", "3/50") is a card's stamp (see
        # stamp_keys): a run of them with headlines is a listing, not a table.
        figures = [
            j
            for j in run
            if is_quantity(paragraphs[j], features[j], rules)
            and not (
                len(_NUMBER.findall(paragraphs[j])) >= rules.stamp_min_numbers
                and any(p.search(paragraphs[j]) for p in rules.stamp_patterns)
            )
        ]
        stretch: list[int] = []
        for position, figure in enumerate(figures):
            stretch.append(figure)
            if position + 1 == len(figures) or figures[position + 1] - figure > (
                rules.table_max_columns
            ):
                found.extend(_table(stretch, run, paragraphs, features, initial, rules))
                stretch = []
        start = index + 1
    return found


def _table(
    figures: Sequence[int],
    run: range,
    paragraphs: Sequence[str],
    features: Sequence[Features],
    initial: Sequence[tuple[str, str]],
    rules: ClassifierRules,
) -> list[int]:
    """The lines of the table whose cells of figures are ``figures`` (none if they make
    no table: see :func:`table_lines`)."""
    figure_set = set(figures)
    rows = [f for f in figures if f - 1 in run and f - 1 not in figure_set]
    if len(rows) < rules.table_min_rows:
        return []
    # A row holds fewer cells of figures than table_max_columns; a longer run of them
    # is a chart's axis ("100", "80", "60" ...; "'17", "'18", "'19" ...).
    longest = run_of_figures = 0
    for j in range(figures[0], figures[-1] + 1):
        run_of_figures = run_of_figures + 1 if j in figure_set else 0
        longest = max(longest, run_of_figures)
    if longest >= rules.table_max_columns:
        return []
    labels = [j for j in range(figures[0], figures[-1]) if j not in figure_set]
    widths = sorted(features[j].width for j in labels)
    if not widths or widths[len(widths) // 2] > rules.table_label_max_width:
        return []
    # Labels that end with a colon ("Comments:", "Kudos:") name the fields of a
    # record (a story's statistics, a product's specifications), each printed with
    # its value: the page's metadata, which a table prints once, in its header.
    if 2 * sum(1 for j in labels if paragraphs[j].rstrip()[-1:] in rules.field_marks) >= len(
        labels
    ):
        return []
    # The first row opens with as many labels as the rows inside the table have.
    gaps = [b - a - 1 for a, b in itertools.pairwise(figures)]
    first = figures[0]
    for _ in range(max(gaps)):
        if first - 1 not in run or first - 1 in figure_set:
            break
        first -= 1
    return [j for j in range(first, figures[-1] + 1) if initial[j][1] not in (MENU, COPYRIGHT)]


def enumerated(paragraphs: Sequence[str], rules: ClassifierRules) -> bool:
    """Whether ``paragraphs`` are the items of a numbered list: at least
    ``enumeration_min_items`` of them, each opening with the number after the one
    before ("1. Finland", "2. Norway", "3. Australia"), in any script's digits.

    >>> rules = classifier_rules(__import__("curation.rules").rules.load_rules()["boilerplate"])
    >>> enumerated(["1. Finland", "2. Norway", "3. Australia"], rules)
    True
    >>> enumerated(["١. فنلندا", "٢. النرويج", "٣. أستراليا"], rules)
    True
    >>> enumerated(["1. Finland", "3. Norway", "4. Australia"], rules)
    False
    """
    if len(paragraphs) < rules.enumeration_min_items:
        return False
    previous: int | None = None
    for paragraph in paragraphs:
        match = rules.enumeration_mark.match(paragraph.strip())
        if match is None:
            return False
        number = int(match.group("number"))
        if previous is not None and number != previous + 1:
            return False
        previous = number
    return True


_TRAILING_BRACKET = patterns.compile(r"\s*[\[(（【][^\[\]()（）【】]{0,40}[\])）】]\s*\Z")


def _heading_key(text: str) -> str:
    """A heading as a table of contents lists it: its letters, casefolded, without a
    section number or a bracketed tail ("3.1 Firefox", "Firefox[edit]": "firefox").

    >>> _heading_key("3.1 Firefox"), _heading_key("Firefox[edit]"), _heading_key("第二章 经济")
    ('firefox', 'firefox', '第二章经济')
    """
    text = _TRAILING_BRACKET.sub("", text)
    return "".join(ch for ch in text.casefold() if ch.isalpha())


def contents_lines(
    paragraphs: Sequence[str],
    features: Sequence[Features],
    initial: Sequence[tuple[str, str]],
    rules: ClassifierRules,
) -> set[int]:
    """The lines of the article's own table of contents, and the headings it lists.

    A table of contents is a run of short lines, each a label, like a menu; what tells
    it from one is that its entries come back further down as the article's headings,
    each with prose right after it, and nowhere else on the page. Within a run of
    short paragraphs (narrower than ``length_low``), an entry is matched when its
    heading key (see :func:`_heading_key`), held by exactly two short lines of the
    page, comes back later as a short line with prose (context-free ``good`` or
    ``neargood``) within ``max_heading_distance`` after it, as jusText finds
    headings. When the headings matched open at least ``contents_min_entries``
    sections (prose between them: see :func:`_sections`) and the matched entries make
    at least ``contents_min_share`` of the stretch from the first matched entry to
    the last, that stretch and the headings it lists are the article's.

    A box of links printed again further down the page (a "Most Popular" list inside
    the article) matches its copy, but its entries there open no sections of their
    own; a label printed again and again ("News", an agency's name) is held by more
    than two lines. Linear: headings are looked up by key.
    """
    # Columns between each paragraph and the next one that reads as prose by itself.
    to_prose = [float("inf")] * len(paragraphs)
    distance = float("inf")
    for index in range(len(paragraphs) - 1, -1, -1):
        to_prose[index] = distance
        distance = (
            0.0 if initial[index][0] in (GOOD, NEAR_GOOD) else distance + features[index].width
        )
    # How many paragraphs that read as prose by themselves come before each one.
    prose_before = [0] * (len(paragraphs) + 1)
    for index in range(len(paragraphs)):
        prose_before[index + 1] = prose_before[index] + (initial[index][0] in (GOOD, NEAR_GOOD))
    # A contents entry and its heading are the only two short lines with their key: a
    # label printed again and again ("News", an agency's name) is a template's.
    keys = [
        _heading_key(paragraph) if 0 < features[index].width < rules.length_low else ""
        for index, paragraph in enumerate(paragraphs)
    ]
    counts = Counter(keys)
    headings: dict[str, list[int]] = {}
    for index in range(len(paragraphs)):
        key = keys[index]
        if (
            counts[key] == 2
            and len(key) >= rules.contents_min_key_letters
            and to_prose[index] <= rules.max_heading_distance
            and initial[index][1] not in (MENU, COPYRIGHT)
        ):
            headings.setdefault(key, []).append(index)
    found: set[int] = set()
    if not headings:
        return found
    start = 0
    for index in range(len(paragraphs) + 1):
        if index < len(paragraphs) and 0 < features[index].width < rules.length_low:
            continue
        matched: list[tuple[int, int]] = []  # (entry, the heading it lists)
        for entry in range(start, index):
            later = [h for h in headings.get(keys[entry], ()) if h >= index]
            if later:
                matched.append((entry, later[0]))
        if _sections(sorted(h for _, h in matched), prose_before) >= rules.contents_min_entries:
            stretch = range(matched[0][0], matched[-1][0] + 1)
            if len(matched) >= rules.contents_min_share * len(stretch):
                found.update(j for j in stretch if initial[j][1] not in (MENU, COPYRIGHT))
                found.update(heading for _, heading in matched)
        start = index + 1
    return found


def _sections(headings: Sequence[int], prose_before: Sequence[int]) -> int:
    """How many sections the sorted ``headings`` open: headings with no prose between
    them (a section and its first subsection; the copies of one box of links printed
    again further down) open one.

    >>> _sections([3, 4, 9], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2])
    2
    """
    sections = 0
    previous: int | None = None
    for heading in headings:
        if previous is None or prose_before[heading] > prose_before[previous]:
            sections += 1
        previous = heading
    return sections


def _in_title_run(
    classes: Sequence[str], features: Sequence[Features], marked: Sequence[bool], max_lines: int
) -> list[bool]:
    """Whether each paragraph is in a run of more than ``max_lines`` short paragraphs in
    a row with no sentence end and no list item's bullet or number (``marked``): a list
    of headlines or of buttons, not a heading.

    >>> f = [Features(30, 5, 5, 0.0, 0.8, False, 0, False)] * 5
    >>> f.append(Features(30, 5, 5, 0.0, 0.8, True, 0, False))
    >>> _in_title_run([SHORT] * 6, f, [False] * 6, 3), _in_title_run([SHORT] * 6, f, [False] * 6, 5)
    ([True, True, True, True, True, False], [False, False, False, False, False, False])
    >>> _in_title_run([SHORT] * 6, f, [False, False, True, False, False, False], 3)
    [False, False, False, False, False, False]
    """
    result = [False] * len(classes)
    start = 0
    for index in range(len(classes) + 1):
        if (
            index < len(classes)
            and classes[index] == SHORT
            and not features[index].sentence_end
            and not marked[index]
        ):
            continue
        if index - start > max_lines:
            result[start:index] = [True] * (index - start)
        start = index + 1
    return result


def _distance_to_next_good(classes: Sequence[str], features: Sequence[Features]) -> list[float]:
    """Width of the text between each paragraph and the next good one (inf if none)."""
    result = [float("inf")] * len(classes)
    distance = float("inf")
    for index in range(len(classes) - 1, -1, -1):
        result[index] = distance
        if classes[index] == GOOD:
            distance = 0.0
        else:
            distance += features[index].width
    return result


def _weight(verdict: Verdict, rules: ClassifierRules) -> int:
    """What a paragraph adds to (prose) or takes from (chrome) a span of the page."""
    if verdict.label == GOOD and verdict.reason != INSIDE_BODY:
        return verdict.features.width
    if verdict.reason == LISTING:
        # A card's teaser is no wall of its own width: each line of a listing costs
        # the least a line of chrome does, so the article goes on after a gallery of
        # a few cards set inside it, but not after fifty (see listing_spans).
        return -rules.chrome_min_cost
    if verdict.article_shaped:
        # A short sentence or a line of code between list labels: the article's
        # text, though its neighbours made it bad. It neither brings prose nor walls
        # the article off (revise_inside_body keeps it inside the span).
        return 0
    return -max(verdict.features.width, rules.chrome_min_cost)


def body_span(verdicts: Sequence[Verdict], rules: ClassifierRules, start: int = 0) -> range:
    """The article's paragraphs: the run from ``start`` on with the most prose in it
    net of the chrome between (a maximum-sum subarray, found in one pass; the first
    best run wins a tie). Empty when no run holds more prose than chrome.

    A menu of fifty one-word links costs fifty times ``chrome_min_cost``, so the
    body does not reach across it; a box of three related headlines inside the
    article costs less than the article's second half brings, so the body spans it
    (and the box's own verdicts decide its lines).

    >>> from curation.rules import load_rules
    >>> rules = classifier_rules(load_rules()["boilerplate"])
    >>> prose = "The talks were useful, the minister said, and they would go on in May."
    >>> verdicts = classify(["Home", "News", "Sport", prose, prose, "Share", "Print"], "en", rules)
    >>> body_span(verdicts, rules)
    range(3, 5)
    """
    best, best_range = 0, range(start, start)
    running, run_start = 0, start
    for index in range(start, len(verdicts)):
        if running <= 0:
            running, run_start = 0, index
        # The lines of one block (a wrapped paragraph, a sentence set in pieces) share
        # one verdict, measured on the whole block. Chrome costs once per block: a
        # code listing or a formula set in twenty lines is no wall twenty times over.
        # Prose counts on each line, as before blocks were joined: a paragraph
        # hard-wrapped into lines is the printed body text.
        weight = _weight(verdicts[index], rules)
        if weight > 0 or index == start or verdicts[index] is not verdicts[index - 1]:
            running += weight
        if running > best:
            best, best_range = running, range(run_start, index + 1)
    return best_range


# --- where the article ends: a listing of cards after (or inside) it ---------------
#
# A news page goes on after its article with other stories in cards: a live feed
# ("14:32" / headline / teaser, again and again), a block of teasers each with its
# date, a photo gallery counting "3/50", a stream of teasers each closed by the same
# template lines ("Save" / "More like this"), a comment thread. Each card holds a
# little prose, and together they outweigh the chrome between them, so the run of
# most prose (see body_span) reaches across them. What no article has is the
# *rhythm*: the same stamp every few paragraphs, and between two stamps one card:
# a label (a headline, a name) and at most a paragraph or two of prose. A wall of
# chrome alone is no evidence (articles hold image captions, ads and boxes); a
# rhythm of at least ``min_items`` such cards is.


_NUMBER = patterns.compile(r"\d+")
# The kind of every date, time or counter stamp (see stamp_keys); the other kinds are
# the lines a template prints again and again.
STAMP = "stamp"
# A count in a template line ("11 Comments", "Valoración: -5"): its sign goes with it.
# The lookahead finds the same matches as "[-+−]?\d+" alone (a match starts with a sign
# or a digit), and lets the engine pass over the other characters without trying the
# rest at each: a third less time on the benchmark's lines.
_SIGNED_NUMBER = patterns.compile(r"(?=[-+\N{MINUS SIGN}\d])[-+\N{MINUS SIGN}]?\d+")
# One digit: a line without one has no number to mask (see stamp_keys).
_DIGIT = patterns.compile(r"\d")


@dataclass(frozen=True, slots=True)
class ListingRules:
    """``[listing]`` of ``boilerplate.toml``, compiled once per rules file."""

    stamp_patterns: tuple[re.Pattern[str], ...]
    stamp_max_words: int
    stamp_min_numbers: int
    label_not_first: str
    repeated_min_count: int
    min_items: int
    item_max_paragraphs: int
    item_max_prose: int
    bridge_min_card_share: float
    bridge_max_paragraphs: int
    bridge_max_card_lengths: int


@functools.lru_cache(maxsize=8)
def listing_rules(rules: RulesFile) -> ListingRules:
    """Compile the ``[listing]`` table of ``boilerplate.toml``."""
    table = rules["listing"]
    return ListingRules(
        stamp_patterns=tuple(patterns.compile(p) for p in table["stamp_patterns"]),
        stamp_max_words=int(table["stamp_max_words"]),
        stamp_min_numbers=int(table["stamp_min_numbers"]),
        label_not_first=str(table["label_not_first"]),
        repeated_min_count=int(rules["classifier"]["repeated_line_min_count"]),
        min_items=int(table["min_items"]),
        item_max_paragraphs=int(table["item_max_paragraphs"]),
        item_max_prose=int(table["item_max_prose"]),
        bridge_min_card_share=float(table["bridge_min_card_share"]),
        bridge_max_paragraphs=int(table["bridge_max_paragraphs"]),
        bridge_max_card_lengths=int(table["bridge_max_card_lengths"]),
    )


def stamp_keys(
    paragraphs: Sequence[str],
    verdicts: Sequence[Verdict],
    rules: ClassifierRules,
    listing: ListingRules,
) -> list[str | None]:
    """For each paragraph, the kind of stamp it is, or None.

    A stamp is a short line that marks a card: a date, a time or a counter with
    hardly a word besides (``"14:32"``, ``"April 26, 2014 -- Updated 1358 GMT"``,
    ``"3/50"``), all of one kind ``"stamp"``; or a short line the page prints again
    and again (each teaser's ``"Save"``), its own kind. A template line is printed
    again with its counts changed ("11 Comments", "200 Comments"; "Rating: 3",
    "Rating: -5"): lines that differ only in their numbers are one kind, unless
    their numbers count up one by one ("Step 1", "Step 2", "Step 3"): those are an
    article's numbered headings.

    >>> from curation.rules import load_rules
    >>> rules = load_rules()["boilerplate"]
    >>> c, l = classifier_rules(rules), listing_rules(rules)
    >>> lines = ["14:32", "The talks went on.", "Save", "Save", "Save", "3/50",
    ...          "In 2014 the talks began"]
    >>> stamp_keys(lines, classify(lines, "en", c), c, l)
    ['stamp', None, 'save', 'save', 'save', 'stamp', None]
    >>> lines = ["11 Comments", "Step 1", "200 Comments", "Step 2", "3 Comments", "Step 3"]
    >>> stamp_keys(lines, classify(lines, "en", c), c, l)
    ['0 comments', None, '0 comments', None, '0 comments', None]
    """
    folded = [line_key(p) for p in paragraphs]
    # A line without a digit is its own mask (most lines of prose, labels and menus).
    masked = [_SIGNED_NUMBER.sub("0", text) if _DIGIT.search(text) else text for text in folded]
    counts = Counter(masked)
    enumerations = _enumerations(folded, masked)
    keys: list[str | None] = []
    for text, key, verdict in zip(folded, masked, verdicts, strict=True):
        features = verdict.features
        if (
            not text
            or features.width >= rules.length_low
            or verdict.reason in (FRAGMENT, *LISTING_SHAPES, ANOTHER_RULE)
            or verdict.shape in LISTING_SHAPES
            or features.menu_items
            or len(text) == 1
            or features.code
        ):
            # A line a phrase rule took (an ad's label, a share button) stands between
            # an article's paragraphs as often as between cards: it marks no card.
            # Nor does a menu printed again at the page's head and foot, nor a symbol
            # or a letter alone on its line, which a formula set a symbol a line
            # repeats ("A", "=", "i"), whatever block of the sentence it joined (a
            # two-letter word is a button: the Arabic "رد", reply), nor a line of
            # code or of a table drawn in text printed again ("2 │ f", "SELECT").
            keys.append(None)
        elif (
            features.letter_words <= listing.stamp_max_words
            and len(_NUMBER.findall(text)) >= listing.stamp_min_numbers
            and any(pattern.search(text) for pattern in listing.stamp_patterns)
        ):
            keys.append(STAMP)
        elif (
            counts[key] >= listing.repeated_min_count
            and key not in enumerations
            and any(ch.isalpha() for ch in text)
        ):
            keys.append(key)
        else:
            keys.append(None)
    return keys


def _enumerations(folded: Sequence[str], masked: Sequence[str]) -> set[str]:
    """The masked lines (see :func:`stamp_keys`) whose copies count up one by one in the
    page's order: "Step 1", "Step 2", "Step 3" (a list's or a chapter's numbers), not a
    template's counts. Lines with the same numbers ("Page 1 of 2" twice) count up not.

    >>> sorted(_enumerations(["step 1", "step 2", "step 3", "2 comments", "11 comments"],
    ...                      ["step 0", "step 0", "step 0", "0 comments", "0 comments"]))
    ['step 0']
    """
    last: dict[str, int | None] = {}
    counting: dict[str, bool] = {}
    for text, key in zip(folded, masked, strict=True):
        if text == key:
            continue  # no number in it
        match = _SIGNED_NUMBER.search(text)
        number = int(match.group().replace("\N{MINUS SIGN}", "-")) if match else None
        if key in last:
            previous = last[key]
            counting[key] = counting[key] and previous is not None and number == previous + 1
        else:
            counting[key] = True
        last[key] = number
    return {key for key, counts_up in counting.items() if counts_up}


def _is_label(
    paragraph: str, verdict: Verdict, rules: ClassifierRules, listing: ListingRules
) -> bool:
    """A card's label: a headline or a name, no longer than a headline and not a
    sentence. A line in brackets is a credit or a caption ("(Artist: ...)"), a menu
    is the page's navigation: no labels."""
    features = verdict.features
    text = paragraph.strip()
    return (
        0 < features.width < rules.length_high
        and not features.sentence_end
        and features.letter_words >= 1
        and verdict.reason not in (FRAGMENT, *LISTING_SHAPES)
        and not features.menu_items
        and text[:1] not in listing.label_not_first
    )


def listing_spans(
    paragraphs: Sequence[str],
    verdicts: Sequence[Verdict],
    rules: ClassifierRules,
    listing: ListingRules,
) -> list[range]:
    """The runs of cards on the page (see the comment above :data:`LISTING`).

    A card is what lies between two stamps of one kind at most
    ``item_max_paragraphs`` apart: a label (a short line that is no sentence and no
    stamp: a headline, a name), or prose, or both, but at most ``item_max_prose``
    columns of prose. ``min_items`` cards in a row, at least half of them with a
    label, are a listing (a transcript's times before paragraphs of prose are none);
    it runs from its first stamp to the end of its last card, and its last stamp's
    card too, up to the next bad paragraph.

    A comment thread holds a long comment now and then: between two stamps of the
    run, more paragraphs or more prose than a card holds. Such a stretch is bridged,
    and the run goes on across it, when it opens like the run's cards (its first line
    after the stamp is a label: the commenter's name, the teaser's headline, as in at
    least half of the run's cards), spans at most ``bridge_max_paragraphs`` and at
    most ``bridge_max_card_lengths`` times the run's longest card, and the run's cards
    make at least ``bridge_min_card_share`` of its stretches. An article's sections between two
    photo credits open with prose, not with a label, and a diary of long dated
    entries has no short cards among them. Linear in the number of paragraphs.
    """
    keys = stamp_keys(paragraphs, verdicts, rules, listing)
    by_key: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        if key is not None:
            by_key.setdefault(key, []).append(index)
    spans: list[range] = []
    for positions in by_key.values():
        stretches = [
            _Stretch(
                here,
                there,
                _card(paragraphs, here, there, keys, verdicts, rules, listing),
                _head_label(paragraphs, here, there, keys, verdicts, rules, listing),
            )
            for here, there in itertools.pairwise(positions)
        ]
        for run in _runs(stretches, listing):
            span = _listing_span(run, paragraphs, keys, verdicts, rules, listing)
            if span is not None:
                spans.append(span)
    return sorted(spans, key=lambda span: (span.start, span.stop))


@dataclass(frozen=True, slots=True)
class _Stretch:
    """What lies between two stamps of one kind: a card (whether it has a label, and its
    prose's width) or None, and whether its first line after the stamp is a label."""

    here: int
    there: int
    card: tuple[bool, int] | None
    head_label: bool


def _runs(stretches: Sequence[_Stretch], listing: ListingRules) -> list[list[_Stretch]]:
    """The runs of consecutive cards, each bridged over the stretches that are too long
    for a card but open with a label and span at most ``bridge_max_paragraphs`` and at
    most ``bridge_max_card_lengths`` times the run's longest card (see
    :func:`listing_spans`), where its cards make at least ``bridge_min_card_share`` of
    the stretches from its first card to its last, and at least half of them open with
    a label too; else the cards alone, cut where a stretch is none. Such stretches
    before the first card and after the last (a thread that opens or closes with a long
    comment) are the run's too."""
    runs: list[list[_Stretch]] = []
    segment: list[_Stretch] = []
    for stretch in [*stretches, None]:
        if stretch is not None and (
            stretch.card is not None
            or (
                stretch.head_label and stretch.there - stretch.here <= listing.bridge_max_paragraphs
            )
        ):
            segment.append(stretch)
            continue
        for piece in _pieces(segment, listing):
            runs.extend(_bridged(piece, listing))
        segment = []
    return runs


def _pieces(segment: list[_Stretch], listing: ListingRules) -> list[list[_Stretch]]:
    """``segment`` cut at its long stretches that span more than
    ``bridge_max_card_lengths`` times its longest card."""
    longest = max((s.there - s.here for s in segment if s.card is not None), default=0)
    pieces: list[list[_Stretch]] = [[]]
    for stretch in segment:
        if (
            stretch.card is None
            and stretch.there - stretch.here > listing.bridge_max_card_lengths * longest
        ):
            pieces.append([])
        else:
            pieces[-1].append(stretch)
    return [piece for piece in pieces if piece]


def _bridged(segment: list[_Stretch], listing: ListingRules) -> list[list[_Stretch]]:
    """``segment`` as one run, if its cards keep the rhythm (see :func:`_runs`), else
    its runs of cards alone."""
    cards = [i for i, s in enumerate(segment) if s.card is not None]
    if (
        cards
        and len(cards) >= listing.bridge_min_card_share * (cards[-1] - cards[0] + 1)
        and 2 * sum(segment[i].head_label for i in cards) >= len(cards)
    ):
        return [segment]
    runs: list[list[_Stretch]] = []
    run: list[_Stretch] = []
    for item in segment:
        if item.card is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append(item)
    if run:
        runs.append(run)
    return runs


def _listing_span(
    run: Sequence[_Stretch],
    paragraphs: Sequence[str],
    keys: Sequence[str | None],
    verdicts: Sequence[Verdict],
    rules: ClassifierRules,
    listing: ListingRules,
) -> range | None:
    """The paragraphs of a run of cards that starts and ends with a card, or None when it
    is no listing (fewer than ``min_items`` cards, fewer than half with a label)."""
    cards = [s.card for s in run if s.card is not None]
    # A bridged stretch opens with its label.
    labelled = sum(card[0] for card in cards) + (len(run) - len(cards))
    widest = max(card[1] for card in cards)
    # The run's longest card in paragraphs, and in prose: the last card is no longer.
    longest = max(s.there - s.here for s in run if s.card is not None)
    label_last = sum(  # cards that end with their label (a headline over its date line)
        keys[s.there - 1] is None
        and _is_label(paragraphs[s.there - 1], verdicts[s.there - 1], rules, listing)
        for s in run
    )
    last = run[-1].there
    end = _card_end(last, longest, widest, paragraphs, keys, verdicts, rules, listing)
    # The last stamp opens a card too, when something follows it.
    if len(run) + (end > last + 1) < listing.min_items or 2 * labelled < len(run):
        return None
    start = _listing_start(
        run[0].here,
        2 * label_last >= len(run),
        widest,
        longest,
        last,
        paragraphs,
        keys,
        verdicts,
        rules,
        listing,
    )
    return range(start, end)


def _head_label(
    paragraphs: Sequence[str],
    here: int,
    there: int,
    keys: Sequence[str | None],
    verdicts: Sequence[Verdict],
    rules: ClassifierRules,
    listing: ListingRules,
) -> bool:
    """Whether the first line between stamps ``here`` and ``there`` that is no stamp is a
    label (see :func:`_is_label`): a line of another template kind may be one (see
    :func:`_card`)."""
    for index in range(here + 1, there):
        if keys[index] is None:
            return _is_label(paragraphs[index], verdicts[index], rules, listing)
        if _is_template_label(index, paragraphs, keys, verdicts, rules, listing):
            return True
    return False


def _is_template_label(
    index: int,
    paragraphs: Sequence[str],
    keys: Sequence[str | None],
    verdicts: Sequence[Verdict],
    rules: ClassifierRules,
    listing: ListingRules,
) -> bool:
    """Whether a line printed again and again (not a date, time or counter stamp) has a
    label's shape: a name every anonymous comment shows, a source under every teaser."""
    return keys[index] not in (None, STAMP) and _is_label(
        paragraphs[index], verdicts[index], rules, listing
    )


def _card(
    paragraphs: Sequence[str],
    here: int,
    there: int,
    keys: Sequence[str | None],
    verdicts: Sequence[Verdict],
    rules: ClassifierRules,
    listing: ListingRules,
) -> tuple[bool, int] | None:
    """Whether the paragraphs between stamps ``here`` and ``there`` are a card (None if
    not): whether it has a label, and its prose's width."""
    if there - here > listing.item_max_paragraphs:
        return None
    prose = 0
    label = own_label = False
    for index in range(here + 1, there):
        verdict = verdicts[index]
        if keys[index] is not None:
            # A line of another template kind may be the card's label all the same:
            # the "Anonymous" of each anonymous comment. But a stretch of template
            # lines alone (a refrain between the copies of a song's first line) is no
            # card.
            label = label or _is_template_label(index, paragraphs, keys, verdicts, rules, listing)
            continue
        if _is_label(paragraphs[index], verdict, rules, listing):
            label = own_label = True
        elif _is_prose(verdict) and verdict is not verdicts[index - 1]:
            prose += verdict.features.width
    if prose > listing.item_max_prose or not (prose or own_label):
        return None
    return label, prose


def _is_prose(verdict: Verdict) -> bool:
    """Prose by its own shape or by its context, or a sentence: what a card's teaser
    is (a Chinese teaser is a sentence shorter than ``length_low``)."""
    return (
        verdict.initial in (GOOD, NEAR_GOOD)
        or (verdict.label == GOOD and verdict.reason != INSIDE_BODY)
        or verdict.features.sentence_end
    )


def _listing_start(
    first: int,
    label_last: bool,
    widest: int,
    longest: int,
    last: int,
    paragraphs: Sequence[str],
    keys: Sequence[str | None],
    verdicts: Sequence[Verdict],
    rules: ClassifierRules,
    listing: ListingRules,
) -> int:
    """Where a listing whose first stamp is ``first`` begins: the first card may start
    before its stamp. Where the cards end with their label (a headline over its date
    line), the label right before the first stamp is the first card's; where a stamp
    closes each card (a teaser, then "Save"), what lies between the chrome before the
    first stamp and the stamp is the first card, if it is one; its label may be shaped
    like chrome itself (a commenter's name in capitals), when chrome stands right
    before it and the card holds no more prose than the run's ``widest`` card. With
    the article's prose right before the first stamp, the listing starts at the
    stamp.

    A thread's first comment may be a long one, as its later ones are (see
    :func:`listing_spans`): more prose than a card holds, and the article's prose
    before it is no chrome. When a line the page prints again and again with a label's
    shape opens it, one that stands among the run's cards too (up to its ``last``
    stamp: the "Anonymous" of each comment), spanning no more than a stretch the run would bridge
    (``bridge_max_paragraphs``, ``bridge_max_card_lengths`` times its ``longest``
    card), the listing starts at that line: the thread's template opens no paragraph of
    the article."""
    before = first - 1
    bridged = min(listing.bridge_max_paragraphs, listing.bridge_max_card_lengths * longest)
    if (
        label_last
        and before >= 0
        and keys[before] is None
        and _is_label(paragraphs[before], verdicts[before], rules, listing)
    ):
        return before
    reach = max(listing.item_max_paragraphs, bridged)
    for index in range(before, max(first - reach, -1), -1):
        if _is_chrome(verdicts[index]) or keys[index] is not None:
            card = _card(paragraphs, index, first, keys, verdicts, rules, listing)
            if index < before and card is not None and card[0]:
                return index + 1
            own = _card(paragraphs, index - 1, first, keys, verdicts, rules, listing)
            if (
                index < before
                and (
                    _is_template_label(index, paragraphs, keys, verdicts, rules, listing)
                    or (
                        keys[index] is None
                        # A line a phrase rule took is the page's, not a card's label.
                        and verdicts[index].reason != ANOTHER_RULE
                        and _is_label(paragraphs[index], verdicts[index], rules, listing)
                    )
                )
                and (index == 0 or _is_chrome(verdicts[index - 1]) or keys[index - 1] is not None)
                and own is not None
                and own[1] <= widest
            ):
                return index
            if (
                index < before
                and first - index <= bridged
                and _is_template_label(index, paragraphs, keys, verdicts, rules, listing)
                # Asked once per run, and only of a long first card under a label.
                and any(keys[j] == keys[index] for j in range(first, last + 1))
            ):
                return index  # a long first comment under its template label
            break
    return first


def _is_chrome(verdict: Verdict) -> bool:
    """Chrome by its own shape, or taken by a phrase rule (not by its context alone,
    which a card's own lines often are)."""
    return verdict.initial == BAD or verdict.reason == ANOTHER_RULE


def _card_end(
    stamp: int,
    longest: int,
    widest: int,
    paragraphs: Sequence[str],
    keys: Sequence[str | None],
    verdicts: Sequence[Verdict],
    rules: ClassifierRules,
    listing: ListingRules,
) -> int:
    """Where the last card, the one ``stamp`` opens, ends: at the next stamp or line
    of chrome, and before it grows longer (in paragraphs) or holds more prose than the
    run's largest card: the article may go on right after it."""
    prose = 0
    index = stamp + 1
    while index < len(verdicts) and index - stamp < longest:
        verdict = verdicts[index]
        if keys[index] is not None or _is_chrome(verdict):
            break
        if not _is_label(paragraphs[index], verdict, rules, listing) and _is_prose(verdict):
            prose += verdict.features.width
        if prose > widest:
            break
        index += 1
    return index


def mark_listings(
    paragraphs: Sequence[str],
    verdicts: Sequence[Verdict],
    rules: ClassifierRules,
    listing: ListingRules,
) -> list[Verdict]:
    """``verdicts`` with every paragraph of a listing (see :func:`listing_spans`) bad,
    for the reason :data:`LISTING`, but those a phrase rule removed."""
    result = list(verdicts)
    replaced: dict[int, Verdict] = {}  # the lines of one block share one new verdict
    for span in listing_spans(paragraphs, verdicts, rules, listing):
        for index in span:
            verdict = verdicts[index]
            if verdict.reason == ANOTHER_RULE:
                continue  # removed by a phrase rule, under its own name
            if id(verdict) not in replaced:
                replaced[id(verdict)] = _relabeled(verdict, BAD, LISTING)
            result[index] = replaced[id(verdict)]
    return result


# --- a box printed twice ---------------------------------------------------------------
#
# A page prints some boxes twice: a newsletter sign-up in the article's column and again
# in the footer, a "report an error" prompt under the article and in the sidebar. Next to
# the article a box's prompts, sentences as wide as a paragraph, pass for its prose; in
# the footer the same lines stand among chrome. The copy among chrome says what the
# other is: one template's box. An article prints no run of several lines twice where
# one copy is chrome, and a song's refrain is short lines, each copy among the song's.


def mark_repeated_blocks(
    paragraphs: Sequence[str], verdicts: Sequence[Verdict], rules: ClassifierRules
) -> list[Verdict]:
    """``verdicts`` with the good lines of a box printed twice bad, for the reason
    :data:`REPEATED_BLOCK`, when another copy of the box is chrome.

    A box is a run of at least ``repeated_block_min_lines`` consecutive lines (empty
    ones aside; compared with their spaces collapsed, casefolded) that the page prints
    again as the same run, the copies apart, holding a line as wide as a paragraph
    (``length_low``: a prompt's sentence; short labels printed twice are a menu, chrome
    already, or a refrain) and none that is prose by its own shape (context-free
    ``good``: the article's paragraphs). When every line of one copy is labelled bad,
    the good lines of the other copies are bad too. Lines of one block keep sharing one
    verdict. Linear in the number of paragraphs.

    >>> from curation.rules import load_rules
    >>> rules = classifier_rules(load_rules()["boilerplate"])
    >>> prose = ("The talks were useful, the minister said, and they would go on in May, "
    ...          "when the two sides meet again in the capital to look at what is left "
    ...          "of the plan and at what they can still agree on before the summer.")
    >>> box = ["Get our letters by mail!",
    ...        "We will send you one of them about once a week and you can stop them at any time",
    ...        "Confirm", "You are on the list now!",
    ...        "To make sure that the choice was your own, please confirm it in the mail we sent."]
    >>> menus = ["Home | News | Sport", "Weather | Travel | Books", "Home › World"]
    >>> page = [prose, prose, *box, *menus, *box, "© 2024 Daily News", *menus]
    >>> verdicts = classify(page, "en", rules)
    >>> [verdicts[i].label for i in (3, 6)], [verdicts[i].label for i in (11, 14)]
    (['good', 'good'], ['bad', 'bad'])
    >>> marked = mark_repeated_blocks(page, verdicts, rules)
    >>> [marked[i].label for i in (0, 1, 3, 6)], marked[3].reason
    (['good', 'good', 'bad', 'bad'], 'repeated_block')
    """
    size = rules.repeated_block_min_lines
    lines = [index for index, paragraph in enumerate(paragraphs) if paragraph.strip()]
    keys = [line_key(paragraphs[index]) for index in lines]
    copies: dict[tuple[str, ...], list[int]] = {}
    for position in range(len(lines) - size + 1):
        copies.setdefault(tuple(keys[position : position + size]), []).append(position)
    result = list(verdicts)
    replaced: dict[int, Verdict] = {}  # the lines of one block share one new verdict
    for positions in copies.values():
        if positions[-1] - positions[0] < size:
            continue  # one copy (or one line printed again and again, copies overlapping)
        windows = [lines[position : position + size] for position in positions]
        if (
            any(verdicts[index].initial == GOOD for window in windows for index in window)
            or not any(
                width_at_least(paragraphs[index].strip(), rules.length_low) for index in windows[0]
            )
            or not any(all(verdicts[index].label == BAD for index in window) for window in windows)
        ):
            continue
        for window in windows:
            for index in window:
                verdict = verdicts[index]
                if verdict.label != GOOD:
                    continue
                if id(verdict) not in replaced:
                    replaced[id(verdict)] = _relabeled(verdict, BAD, REPEATED_BLOCK)
                result[index] = replaced[id(verdict)]
    return result
