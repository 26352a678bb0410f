"""Strip site chrome: search boxes, "Related Stories" lists, editor credits, source
trailers, truncated teasers, cookie banners, breadcrumbs, share buttons and the like.

Every rule is anchored to paragraph structure, never to a free match inside prose:

whole paragraphs
    a paragraph that is nothing but a phrase of chrome ("Related Stories",
    "Search documents", "Читайте также", "分享到：微信 微博"), a link label with the
    linked headline ("Lesen Sie auch: EZB hält Leitzins stabil"), or a paragraph of
    a form that only chrome has: a cookie banner, a breadcrumb trail, a copyright
    line, a newsletter prompt, a tag list, a page number;
the tail (or head) of a paragraph
    a labelled trailer such as "(Web editor: Hongyu, Bianji)", "(文章来源:人民日报)" or
    "… Источник: ТАСС", and a search snippet cut off with " ..." after the
    paragraph's last sentence end. Tail rules run again and again from the end, so
    stacked trailers all go; what is left of the paragraph stays, byline notes such
    as "(作者为…教授)" included. At the head, a news agency's dateline
    ("(세종=연합뉴스) 김민수 기자 =", "Madrid, 14 mar (EFE).-");
position in the document
    ``search_query``: on a copied search-results page, the short first paragraph
    right before the search box's label is the query the user typed.
    ``consent_buttons``: the short button labels right after a cookie banner.
    Link lists: the headline-like paragraphs (and short questions) right after a
    "Related Stories" or "Read also" heading, wherever it stands.
    ``related_headline``: short, headline-like paragraphs after the article's last
    paragraph of prose, next to a paragraph another rule removed, are links to
    other articles. A subheading inside the article is never in that tail.
    ``photo_caption``: a photo's credit alone on its line ("Erin Schaff/Pool/Getty
    Images", "Photo: Anna Berg/AFP", "| Efe"), and the one-sentence caption right
    above it.

All phrases, labels, patterns and thresholds are data in ``rules/boilerplate.toml``.
Posting times and datelines ("(People's Daily Online) 17:37, October 22, 2021") are
left for ``extract_metadata``.

The step expects ``repair_layout``'s format -- one paragraph per line, paragraphs
separated by ``"\\n\\n"`` -- and keeps it: a removed paragraph takes one adjacent
separator with it, a removed fragment the whitespace before (or after) it.

>>> from curation.record import apply_changes
>>> from curation.rules import load_rules
>>> rules = load_rules()["boilerplate"]
>>> text = "The talks ended.\\n\\n(Web editor: Hongyu, Bianji)\\n\\nRelated Stories"
>>> apply_changes(text, boilerplate_changes(text, rules))
'The talks ended.'
>>> text = "A sentence. (Source: Xinhua)\\n\\nEditors said related stories would follow."
>>> apply_changes(text, boilerplate_changes(text, rules))
'A sentence.\\n\\nEditors said related stories would follow.'
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from types import MappingProxyType

from curation import patterns
from curation.errors import UnboundedPattern
from curation.record import Change, Record
from curation.rules import RuleSet, RulesFile
from curation.steps.base import remembered, text_digest, text_step
from curation.steps.classify_paragraphs import (
    AFTER_BODY,
    BAD,
    BEFORE_BODY,
    BEFORE_HEADLINE,
    FIELD_VALUE,
    GOOD,
    LISTING_SHAPES,
    NEAR_GOOD,
    REPEATED_LINE,
    ClassifierRules,
    Verdict,
    body_span,
    classifier_rules,
    classify,
    end_at_preview_cut,
    end_before_box,
    end_before_echoes,
    end_before_form,
    end_before_prompts,
    first_article_run,
    keep_section_headings,
    last_long_paragraph,
    listing_rules,
    mark_listings,
    mark_repeated_blocks,
    page_language,
    resume_contents_sections,
    resume_numbered_sections,
    revise_inside_body,
    start_after_echoes,
    widen_over_article_shaped,
)

NAME = "strip_boilerplate"
# 14: a preview cut and the values of removed field labels go (v13 on one branch); a list
# that a sentence of the article introduces stays (v13 on another).
# 15: photo captions and credits go (photo_caption).
# 16 (15 on another branch): a document's numbering is followed over more than one level
# and more than one section; a section with no prose closed by the next number stays, and
# so does a subsection's heading inside the span, and a section the article's contents
# list names after the span.
# 17: no related headline is taken from a text that ends no paragraph before its tail
# with a sentence mark (Thai, Lao: their short paragraphs went as headlines); and, in
# boilerplate.toml, every Unicode Sentence_Terminal ends a sentence (Urdu's, Amharic's,
# Burmese's, Khmer's, Armenian's full stops: such paragraphs never ended like one).
VERSION = 17
STEP_ID = f"{NAME}_v{VERSION}"
RULES_FILE = "boilerplate"

PARAGRAPH_SEPARATOR = "\n\n"

# The step, and the rule, under which extract_metadata (which runs before this step)
# takes the headline out of the text.
METADATA_STEP = "extract_metadata_v"
HEADLINE_RULE = "headline"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font: East Asian wide characters count twice.

    Thresholds are in columns so that one threshold serves Chinese and English:
    a Chinese character carries about as much as a short English word.

    >>> display_width("Search"), display_width("跨境光缆")
    (6, 8)
    """
    if text.isascii():
        return len(text)  # no ASCII character is wide
    # Each distinct character is looked up once.
    return len(text) + sum(
        count for ch, count in Counter(text).items() if unicodedata.east_asian_width(ch) in "WF"
    )


def width_at_most(text: str, columns: int) -> bool:
    """``display_width(text) <= columns``, without the width when the length decides: a
    character takes one column or two, so a text of more than ``columns`` characters is
    wider, and one of at most half as many is not (most labels and headlines asked about
    are read so, without counting their characters).

    >>> width_at_most("Search", 6), width_at_most("跨境光缆", 7), width_at_most("跨境", 4)
    (True, False, True)
    """
    if len(text) > columns:
        return False
    if 2 * len(text) <= columns:
        return True
    return display_width(text) <= columns


def _any_of(phrases: Sequence[str]) -> str:
    """A regex alternation of literal phrases, longest first so none is cut short."""
    return "|".join(re.escape(p) for p in sorted(phrases, key=lambda p: (-len(p), p)))


def _char_class(characters: str) -> str:
    return "".join(re.escape(ch) for ch in characters)


def _fold(text: str) -> str:
    """Casefolded for comparison, with Turkish dotted capital I folded like plain I.

    ``"İ".casefold()`` is "i" plus a combining dot, so "İLGİLİ HABERLER" and
    "İlgili Haberler" would fold differently.

    >>> _fold("İLGİLİ HABERLER") == _fold("İlgili Haberler") == "ilgili haberler"
    True
    """
    return text.casefold().replace("i\N{COMBINING DOT ABOVE}", "i")


@dataclass(frozen=True, slots=True)
class EdgeRule:
    """A fragment at the tail (or head) of a paragraph, and the rule that removes it."""

    rule: str
    pattern: re.Pattern[str]
    after_sentence_end: bool = False
    # When set, the paragraph must end with one of these for the rule to be tried:
    # a cheap test that spares the regex search on almost every paragraph.
    suffixes: tuple[str, ...] | None = None
    # Characters every match holds one of (``patterns.required_characters``), or None:
    # a window with none of them is not searched (see _strip_edges).
    required: frozenset[str] | None = None
    # A match holds one of the rule's labels and a colon after it (``[[tail]] labels``):
    # the rule is not tried where no label of any such rule is (see _strip_edges).
    labelled: bool = False


@dataclass(frozen=True, slots=True)
class BoilerplateRules:
    """``boilerplate.toml``, compiled once per rules file (see :func:`compile_rules`)."""

    literals: Mapping[str, str]
    whole_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    # The fewest and most characters each whole pattern's match spans, in the same order.
    whole_widths: tuple[tuple[int, int], ...]
    # For each whole pattern, a search that finds something in every text the pattern
    # matches whole, cheaper than the pattern where it finds nothing; or None (see
    # _whole_screen).
    whole_screens: tuple[re.Pattern[str] | None, ...]
    # The whole patterns that Python's engine runs alone, joined into one alternation,
    # with the fewest and most characters any of them spans, and the indices of the
    # others: a paragraph none of the joined ones matches is tried on the others only
    # (see whole_paragraph_rule). None when no pattern can be joined.
    whole_joined: tuple[re.Pattern[str], int, int] | None
    whole_unjoined: tuple[int, ...]
    link_prefixes: tuple[tuple[str, re.Pattern[str]], ...]
    # Every link prefix's label, case-insensitively: a paragraph that opens with none
    # is no link (see whole_paragraph_rule).
    link_labels: re.Pattern[str]
    sentence_break: re.Pattern[str]
    word_lists: tuple[tuple[str, frozenset[str], int], ...]
    # Every word of every word list.
    listed_words: frozenset[str]
    tail: tuple[EdgeRule, ...]
    # Any label of a labelled tail rule, and its colon.
    tail_labels: re.Pattern[str]
    head: tuple[EdgeRule, ...]
    teaser: EdgeRule
    # The tail rules and the teaser in the order they are tried, each with the index of
    # its required set in ``edge_required`` (-1: none), and those sets, each a search
    # for one of its characters (see _strip_edges).
    edge_rules: tuple[tuple[EdgeRule, int], ...]
    edge_required: tuple[re.Pattern[str], ...]
    # ``edge_rules`` in runs of neighbours that share a required set (the set's index,
    # and the run's rules in order): a set not in the window refuses its run at once.
    edge_runs: tuple[tuple[int, tuple[EdgeRule, ...]], ...]
    teaser_min_width_without_space: int
    boundary: frozenset[str]
    # One character of ``boundary``: where a rule that must follow a sentence end may start.
    boundary_mark: re.Pattern[str]
    decoration: str
    tokens: re.Pattern[str]
    window: int
    query_rule: str
    query_before: frozenset[str]
    query_max_width: int
    headline_rule: str
    headline_min_width: int
    headline_max_width: int
    headline_not_final: frozenset[str]
    sentence_final: frozenset[str]
    headline_opening: frozenset[str]
    headline_closing: str
    metadata: tuple[re.Pattern[str], ...]
    link_list_headings: frozenset[str]
    link_list_final: frozenset[str]
    article_end_headings: frozenset[str]
    button_rule: str
    button_rules: frozenset[str]
    button_max_width: int
    button_max_words: int
    button_max_count: int
    caption: PhotoCaptionRules


@dataclass(frozen=True, slots=True)
class PhotoCaptionRules:
    """``[photo_caption]`` of ``boilerplate.toml``: how a photo's credit ends a caption."""

    rule: str
    label_marks: frozenset[str]
    bars: frozenset[str]
    chain_joiners: frozenset[str]
    list_joiners: frozenset[str]
    max_credit_words: int
    max_credit_width: int
    max_caseless_width: int
    max_label_width: int
    max_caption_width: int
    min_chain_words: int


@functools.lru_cache(maxsize=8)
def compile_rules(rules: RulesFile) -> BoilerplateRules:
    """Build the regexes and lookup tables of ``boilerplate.toml``."""
    punctuation = rules["punctuation"]
    limits = rules["limits"]
    sentence_end: str = punctuation["sentence_end"]
    end_before_space: str = punctuation["sentence_end_before_space"]
    closing: str = punctuation["closing"]
    pairs: Sequence[str] = punctuation["bracket_pairs"]
    openers = "".join(pair[0] for pair in pairs)
    closers = "".join(pair[1] for pair in pairs)
    value_max = int(limits["trailer_value_max_chars"])

    # A run of text with no sentence end and no bracket in it: ".", "!" and "?"
    # inside "3.7" or "U.S.A" do not end it.
    no_sentence_end = (
        rf"(?:[^{_char_class(sentence_end + end_before_space + openers + closers)}\n]"
        rf"|[{_char_class(end_before_space)}](?!\s))"
    )
    bracketed_value = rf"[^{_char_class(openers + closers)}\n]{{1,{value_max}}}"
    colon = r"\s*[:：]\s*"

    def tail_pattern(fragment: str) -> re.Pattern[str]:
        # Searched only in the last window_chars of a paragraph (see _cut_tail).
        return patterns.compile(
            rf"(?P<space>\s*)(?P<fragment>{fragment})\Z", max_input=int(limits["window_chars"])
        )

    def head_pattern(fragment: str) -> re.Pattern[str]:
        return patterns.compile(
            rf"(?P<fragment>{fragment})(?P<space>\s*)", max_input=int(limits["window_chars"])
        )

    tail: list[EdgeRule] = []
    tail_labels: list[str] = []
    for entry in rules["tail"]:
        if "labels" in entry:
            tail_labels.extend(entry["labels"])
            labels = f"(?i:{_any_of(entry['labels'])})"
            tail.append(
                EdgeRule(
                    entry["id"],
                    tail_pattern(
                        rf"[{_char_class(openers)}]\s*{labels}{colon}{bracketed_value}"
                        rf"[{_char_class(closers)}]"
                    ),
                    suffixes=tuple(closers),
                    labelled=True,
                )
            )
            bare_value = (
                rf"{no_sentence_end}{{1,{value_max}}}"
                rf"[{_char_class(sentence_end + end_before_space)}]?"
            )
            tail.append(
                EdgeRule(
                    entry["id"], tail_pattern(labels + colon + bare_value), True, labelled=True
                )
            )
        else:
            fragment = entry.get("pattern") or f"(?i:{_any_of(entry['literals'])})"
            tail.append(
                EdgeRule(
                    entry["id"], tail_pattern(fragment), entry.get("after_sentence_end", False)
                )
            )
    head = tuple(
        EdgeRule(
            entry["id"], head_pattern(entry.get("pattern") or f"(?i:{_any_of(entry['literals'])})")
        )
        for entry in rules.get("head", ())
    )

    teaser = rules["truncated_teaser"]
    teaser_pattern = patterns.compile(
        rf"(?P<space>\s*)(?P<fragment>(?![{_char_class(closing)}]){no_sentence_end}+?)"
        rf"(?P<gap>\s*)(?:{_any_of(teaser['ellipses'])})\Z",
        max_input=int(limits["window_chars"]),
    )

    literals: dict[str, str] = {}
    whole_patterns: list[tuple[str, re.Pattern[str]]] = []
    link_prefixes: list[tuple[str, re.Pattern[str]]] = []
    link_labels: list[str] = []
    word_lists: list[tuple[str, frozenset[str], int]] = []
    decoration: str = punctuation["decoration"]
    for entry in rules["whole_paragraph"]:
        for literal in entry.get("literals", ()):
            # The first entry that lists a phrase names it; a test keeps phrases unique.
            literals.setdefault(_fold(literal).strip(decoration), entry["id"])
        for pattern in entry.get("patterns", ()):
            whole_patterns.append((entry["id"], patterns.compile(pattern)))
        if "link_prefixes" in entry:
            # "Lesen Sie auch: EZB hält Leitzins stabil": the label, a separator, and
            # the linked headline (checked in Python).
            link_labels.extend(entry["link_prefixes"])
            link_prefixes.append(
                (
                    entry["id"],
                    patterns.compile(
                        rf"(?i:{_any_of(entry['link_prefixes'])})"
                        r"(?:\s*[:：»→|]|\s[-–—])\s*(?P<headline>\S.*)"
                    ),
                )
            )
        if "words" in entry:
            words = frozenset(_fold(word) for word in entry["words"])
            word_lists.append((entry["id"], words, int(entry["min_words"])))
    # Hyphens split tokens only outside words: "E-Mail" is one token.
    token_separators = _char_class(decoration.replace("-", ""))

    tail_rules = tuple(_with_required(rule) for rule in tail)
    teaser_rule = _with_required(
        EdgeRule(teaser["id"], teaser_pattern, True, tuple(teaser["ellipses"]))
    )
    # The rules share a few required sets (most a colon): each is searched for once.
    required_sets = sorted(
        {rule.required for rule in (*tail_rules, teaser_rule) if rule.required is not None},
        key=sorted,
    )

    joinable = [i for i, (_, pattern) in enumerate(whole_patterns) if _joinable(pattern)]

    query = rules["search_query"]
    headline = rules["related_headline"]
    buttons = rules["consent_buttons"]
    caption = rules["photo_caption"]
    # Where a rule that must follow a sentence end may start (see _tail_matches).
    boundary = sentence_end + end_before_space + closing + closers
    edge_rules = tuple(
        (rule, -1 if rule.required is None else required_sets.index(rule.required))
        for rule in (*tail_rules, teaser_rule)
    )
    return BoilerplateRules(
        literals=MappingProxyType(literals),
        whole_patterns=tuple(whole_patterns),
        whole_widths=tuple(
            patterns.match_widths(pattern.pattern, pattern.flags) for _, pattern in whole_patterns
        ),
        whole_screens=tuple(_whole_screen(pattern) for _, pattern in whole_patterns),
        whole_joined=_joined([pattern for _, pattern in whole_patterns], joinable),
        whole_unjoined=tuple(i for i in range(len(whole_patterns)) if i not in joinable),
        link_prefixes=tuple(link_prefixes),
        # Each link prefix pattern opens with "(?i:" and its labels: the same test.
        link_labels=patterns.compile(f"(?i:{_any_of(link_labels)})" if link_labels else "(?!)"),
        # A sentence end inside a text, with more text after it.
        # (Closing quotes are not spaces, so after "[.!?](?=\s)" only "\s+\S" can follow.)
        sentence_break=patterns.compile(
            rf"[{_char_class(sentence_end)}][{_char_class(closing)}]*\s*\S"
            rf"|[{_char_class(end_before_space)}]\s+\S"
        ),
        word_lists=tuple(word_lists),
        listed_words=frozenset(word for _, words, _ in word_lists for word in words),
        tail=tail_rules,
        # Left to RE2 (no max_input): one pass of its automaton over the window reads
        # every label at once, where re tries each of them at each position.
        tail_labels=patterns.compile(
            f"(?i:{_any_of(tail_labels)}){colon}" if tail_labels else "(?!)"
        ),
        head=head,
        teaser=teaser_rule,
        edge_rules=edge_rules,
        edge_runs=tuple(
            (required_at, tuple(rule for rule, _ in run))
            for required_at, run in itertools.groupby(edge_rules, key=itemgetter(1))
        ),
        edge_required=tuple(
            patterns.compile(f"[{_char_class(''.join(sorted(required)))}]")
            for required in required_sets
        ),
        teaser_min_width_without_space=int(teaser["min_width_without_space"]),
        boundary=frozenset(boundary),
        boundary_mark=patterns.compile(f"[{_char_class(''.join(sorted(set(boundary))))}]"),
        decoration=decoration,
        tokens=patterns.compile(rf"(?:[\s,，、/{token_separators}]|(?<!\w)-|-(?!\w))+"),
        window=int(limits["window_chars"]),
        query_rule=query["id"],
        query_before=frozenset(query["before"]),
        query_max_width=int(query["max_width"]),
        headline_rule=headline["id"],
        headline_min_width=int(headline["min_width"]),
        headline_max_width=int(headline["max_width"]),
        headline_not_final=frozenset(
            sentence_end + end_before_space + headline["not_final"] + closers
        ),
        sentence_final=frozenset(sentence_end + end_before_space),
        headline_opening=frozenset(headline["opening"]),
        # Closing quotes, not brackets: '"No limits."' ends like a sentence.
        headline_closing="".join(ch for ch in closing if ch not in closers),
        metadata=tuple(patterns.compile(p) for p in headline["metadata_patterns"]),
        link_list_headings=frozenset(headline["link_list_headings"]),
        link_list_final=frozenset(headline["link_list_final"]),
        article_end_headings=frozenset(headline["article_end_headings"]),
        button_rule=buttons["id"],
        button_rules=frozenset(buttons["after"]),
        button_max_width=int(buttons["max_width"]),
        button_max_words=int(buttons["max_words"]),
        button_max_count=int(buttons["max_count"]),
        caption=PhotoCaptionRules(
            rule=caption["id"],
            label_marks=frozenset(caption["label_marks"]),
            bars=frozenset(caption["bars"]),
            chain_joiners=frozenset(caption["chain_joiners"]),
            list_joiners=frozenset(caption["list_joiners"]),
            max_credit_words=int(caption["max_credit_words"]),
            max_credit_width=int(caption["max_credit_width"]),
            max_caseless_width=int(caption["max_caseless_width"]),
            max_label_width=int(caption["max_label_width"]),
            max_caption_width=int(caption["max_caption_width"]),
            min_chain_words=int(caption["min_chain_words"]),
        ),
    )


# Any characters but a newline, at most some number of them, greedily: the head of a
# whole pattern that finds its phrase anywhere in a paragraph's first characters.
_ANY_HEAD = patterns.compile(r"\.\{0,[0-9]+\}(?![?+])")


def _whole_screen(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A search that rules out a whole pattern ``.{0,N}REST`` (a phrase anywhere in the
    paragraph's first N characters: "... All rights reserved.") before its fullmatch
    runs, or None when no cheaper one is known.

    Python's engine tries ``REST`` at each of the N + 1 places the head can end; where
    ``REST`` needs no rare character (its required set is unknown or holds a space) the
    pattern's own pre-check passes on every paragraph, and a paragraph of prose costs
    some N tries of every alternative of the phrase. ``(?:REST)+`` is unbounded, so
    RE2 runs it: one pass over the text. Exact as a screen: a text the pattern matches
    whole has ``REST`` matching at the place the head ended, so the search finds it.
    (A top-level ``|`` in the pattern only adds alternatives to ``REST``: the screen
    finds more, never less.)

    >>> from curation import patterns
    >>> screen = _whole_screen(patterns.compile(".{0,240}(?i:all rights reserved)[.]*"))
    >>> screen.search("© 2024 Example. All Rights Reserved.") is not None
    True
    >>> screen.search("The talks ended on Monday.") is None
    True
    >>> _whole_screen(patterns.compile(".{0,160}[©ⓒ].{0,160}")) is None  # © is its own test
    True
    """
    head = _ANY_HEAD.match(pattern.pattern)
    if head is None:
        return None
    rest = pattern.pattern[head.end() :]
    required = patterns.required_characters(rest, pattern.flags)
    if required is not None and not any(ch.isspace() for ch in required):
        return None
    try:
        return patterns.compile(f"(?:{rest})+", pattern.flags)
    except UnboundedPattern:
        return None  # no engine here runs it in linear time: the pattern runs alone


def _joinable(pattern: re.Pattern[str]) -> bool:
    """Whether a whole pattern can stand as one alternative of an alternation that Python's
    engine runs: it runs on Python's engine itself (bounded), holds no group (whose
    names or numbers could clash) and sets no flag for the whole pattern."""
    return (
        patterns.engine(pattern) == "re"
        and pattern.groups == 0
        and pattern.flags == re.UNICODE
        and patterns.match_widths(pattern.pattern)[1] < patterns.UNBOUNDED_WIDTH
    )


def _joined(
    whole_patterns: Sequence[re.Pattern[str]], joinable: Sequence[int]
) -> tuple[re.Pattern[str], int, int] | None:
    """The joinable whole patterns (see :func:`_joinable`) as one alternation, and the
    fewest and most characters any of them spans; None when there are none, or when the
    alternation would not run on Python's engine.

    Exact as a screen: ``(?:A)|(?:B)`` matches a text whole exactly when one of its
    alternatives does (the engine backtracks into the next alternative when one stops
    short of the end), so a paragraph it does not match whole is matched whole by none
    of them. One call to the engine, in C, tries them all, where the loop made a call
    for each.

    >>> from curation import patterns
    >>> joined = _joined([patterns.compile("Home"), patterns.compile("(?i:share)")], [0, 1])
    >>> [joined[0].fullmatch(text) is not None for text in ("SHARE", "Home page")], joined[1:]
    ([True, False], (4, 5))
    """
    if not joinable:
        return None
    chosen = [whole_patterns[i] for i in joinable]
    alternation = patterns.compile("|".join(f"(?:{pattern.pattern})" for pattern in chosen))
    if patterns.engine(alternation) != "re":
        return None
    widths = [patterns.match_widths(pattern.pattern) for pattern in chosen]
    return alternation, min(low for low, _ in widths), max(high for _, high in widths)


def _with_required(rule: EdgeRule) -> EdgeRule:
    required = patterns.required_characters(rule.pattern.pattern, rule.pattern.flags)
    return replace(rule, required=None if required is None else frozenset(required))


@dataclass
class _Paragraph:
    """One paragraph of the input and what the rules decided about it.

    ``lo:hi`` is what is left after the head and tail cuts; ``rule`` is set when
    the rest goes too (then ``lo:hi`` is removed under that rule, or is empty).
    """

    start: int
    end: int
    lo: int
    hi: int
    cuts: list[tuple[int, int, str]] = field(default_factory=list)
    rule: str | None = None

    @property
    def removed(self) -> bool:
        return self.rule is not None or (self.lo == self.hi and bool(self.cuts))


def _paragraphs(text: str) -> Iterator[_Paragraph]:
    position = 0
    for piece in text.split(PARAGRAPH_SEPARATOR):
        end = position + len(piece)
        yield _Paragraph(position, end, position, end)
        position = end + len(PARAGRAPH_SEPARATOR)


def _cut_tail(
    text: str, lo: int, hi: int, rule: EdgeRule, compiled: BoilerplateRules
) -> int | None:
    """Where a fragment matched by ``rule`` at the end of ``text[lo:hi]`` starts, with the
    whitespace before it; ``None`` when the rule does not apply."""
    if rule.suffixes is not None and not text.endswith(rule.suffixes, lo, hi):
        return None
    window_start = max(lo, hi - compiled.window)
    for match in _tail_matches(text, lo, hi, window_start, rule, compiled):
        start = match.start("fragment")
        if match.start() == window_start > lo:
            continue  # it may start before the window: too long to be a trailer
        before = text[lo : match.start()]
        if not match.group("space") and before and before[-1].isalnum() and text[start].isalnum():
            continue  # inside a word ("Resource: ...")
        if rule.after_sentence_end and before and before[-1] not in compiled.boundary:
            continue
        if rule is compiled.teaser and not _is_teaser(match, compiled):
            continue
        return match.start()
    return None


def _tail_matches(
    text: str, lo: int, hi: int, window_start: int, rule: EdgeRule, compiled: BoilerplateRules
) -> Iterator[re.Match[str]]:
    """The matches of ``rule`` in ``text[window_start:hi]``, one per start position, in the
    order of their starts: each the match a search from that position finds.

    A search from each position after the last match's start (how they were read at
    first) finds matches at every position of a fragment that runs to the paragraph's
    end, each read to that end: a teaser's window of 400 characters took some 80,000
    steps. A rule that must follow a sentence end (``after_sentence_end``) has its
    matches refused by :func:`_cut_tail` unless they start at the paragraph's start or
    after a ``boundary`` character; only those positions are tried here, each with
    ``match``, which finds there what a search reaching it finds (a search tries the
    positions in turn, each as ``match`` does; these patterns have no lookbehind, and
    ``\\Z`` is ``hi`` for both). The start of the window, when it is not the
    paragraph's, is refused by _cut_tail too (a match there may start before it).
    """
    if not rule.after_sentence_end:
        position = window_start
        while position < hi:
            match = rule.pattern.search(text, position, hi)
            if match is None:
                return
            position = match.start() + 1
            yield match
        return
    if window_start == lo < hi:
        match = rule.pattern.match(text, lo, hi)
        if match is not None:
            yield match
    for mark in compiled.boundary_mark.finditer(text, window_start, hi - 1):
        match = rule.pattern.match(text, mark.end(), hi)
        if match is not None:
            yield match


def _is_teaser(match: re.Match[str], compiled: BoilerplateRules) -> bool:
    fragment = match.group("fragment")
    if not any(ch.isalnum() for ch in fragment):
        return False
    return bool(match.group("gap")) or (
        display_width(fragment) >= compiled.teaser_min_width_without_space
    )


def _cut_head(
    text: str, lo: int, hi: int, rule: EdgeRule, compiled: BoilerplateRules
) -> int | None:
    """Where a fragment matched by ``rule`` at the start of ``text[lo:hi]`` ends, with the
    whitespace after it; ``None`` when the rule does not apply."""
    window_end = min(hi, lo + compiled.window)
    match = rule.pattern.match(text, lo, window_end)
    if match is None or match.end() == lo:
        return None
    if match.end() == window_end < hi:
        return None  # it may run on past the window: too long to be chrome
    end = match.end("fragment")
    if not match.group("space") and end < hi and text[end - 1].isalnum() and text[end].isalnum():
        return None  # inside a word
    return match.end()


def _strip_edges(text: str, paragraph: _Paragraph, compiled: BoilerplateRules) -> None:
    """Cut head and tail fragments until none is left (so the step is idempotent)."""
    cut = True
    while cut and paragraph.lo < paragraph.hi:
        cut = False
        # A tail rule reads the paragraph's last ``window`` characters, and a match
        # holds one of its required characters: a rule with none of them there is
        # not tried (the test its pattern makes first, made once for a run of rules
        # that share the set: a search for a character class, which has no context to
        # read, finds the same in the window as in the text between its bounds). Nor
        # is a labelled rule where no label of any of them is, nor a rule whose
        # endings the paragraph does not end with (the first test of _cut_tail). Each
        # of these tests only refuses, so their order changes no answer: the cheapest
        # come first (the set, for its whole run; the endings; the labels'
        # alternation, searched once for the paragraph when a rule first asks).
        window_start = max(paragraph.lo, paragraph.hi - compiled.window)
        labels: bool | None = None
        for required_at, rules in compiled.edge_runs:
            if (
                required_at >= 0
                and compiled.edge_required[required_at].search(text, window_start, paragraph.hi)
                is None
            ):
                continue
            for rule in rules:
                if rule.suffixes is not None and not text.endswith(
                    rule.suffixes, paragraph.lo, paragraph.hi
                ):
                    continue
                if rule.labelled:
                    if labels is None:
                        window = text[window_start : paragraph.hi]
                        labels = compiled.tail_labels.search(window) is not None
                    if not labels:
                        continue
                start = _cut_tail(text, paragraph.lo, paragraph.hi, rule, compiled)
                if start is not None:
                    paragraph.cuts.append((start, paragraph.hi, rule.rule))
                    paragraph.hi = start
                    cut = True
                    break
            if cut:
                break
        if cut:
            continue
        for rule in compiled.head:
            end = _cut_head(text, paragraph.lo, paragraph.hi, rule, compiled)
            if end is not None:
                paragraph.cuts.append((paragraph.lo, end, rule.rule))
                paragraph.lo = end
                cut = True
                break


def whole_paragraph_rule(paragraph: str, compiled: BoilerplateRules) -> str | None:
    """The rule under which ``paragraph`` as a whole is chrome, or ``None``."""
    stripped = paragraph.strip()
    if not stripped:
        return None
    folded = _fold(stripped)
    rule = compiled.literals.get(folded.strip(compiled.decoration))
    if rule is not None:
        return rule
    # A pattern whose matches are all shorter or longer than the paragraph is not run.
    size = len(stripped)
    tried: Sequence[int] = range(len(compiled.whole_patterns))
    joined = compiled.whole_joined
    if joined is not None and not (
        joined[1] <= size <= joined[2] and joined[0].fullmatch(stripped) is not None
    ):
        # None of the joined patterns matches: only the others are tried, in order.
        tried = compiled.whole_unjoined
    for index in tried:
        rule, pattern = compiled.whole_patterns[index]
        fewest, most = compiled.whole_widths[index]
        screen = compiled.whole_screens[index]
        if (
            fewest <= size <= most
            and (screen is None or screen.search(stripped) is not None)
            and pattern.fullmatch(stripped)
        ):
            return rule
    if compiled.link_labels.match(stripped):
        for rule, pattern in compiled.link_prefixes:
            match = pattern.fullmatch(stripped)
            if match is not None and _is_link_text(match.group("headline"), compiled):
                return rule
    # Every token must be a listed word: the first one that is not ends the reading
    # (a paragraph of prose, after a word or two).
    tokens: list[str] = []
    for token in _tokens(folded, compiled.tokens):
        if token not in compiled.listed_words:
            return None
        tokens.append(token)
    for rule, words, min_words in compiled.word_lists:
        if len(tokens) >= min_words and all(t in words for t in tokens):
            return rule
    return None


# How many paragraphs' whole-paragraph rules are remembered (see
# remembered_paragraph_rule): strip_boilerplate reads again most paragraphs that
# extract_metadata had classify_text read, and a site's chrome recurs from page to page.
# By the paragraph's digest (no text held): some 270 bytes an entry, 1.1 MB when full
# (measured after 600 benchmark pages).
RULED_PARAGRAPHS = 4096
_ruled: OrderedDict[tuple[bytes, int], tuple[BoilerplateRules, str | None]] = OrderedDict()


def remembered_paragraph_rule(paragraph: str, compiled: BoilerplateRules) -> str | None:
    """:func:`whole_paragraph_rule`, remembered by the paragraph's digest
    (:data:`RULED_PARAGRAPHS` of them, the least recently asked dropped first).

    The compiled rules do not hash (they hold mappings): they are told apart by
    identity, and the memo keeps each one it names alive, so that no other can take its
    identity while an answer for it is remembered.
    """
    key = (text_digest(paragraph), id(compiled))
    held, rule = remembered(
        _ruled, key, RULED_PARAGRAPHS, lambda: (compiled, whole_paragraph_rule(paragraph, compiled))
    )
    return rule if held is compiled else whole_paragraph_rule(paragraph, compiled)


def _tokens(text: str, separators: re.Pattern[str]) -> Iterator[str]:
    """The non-empty pieces of ``text`` between matches of ``separators`` (which are never
    empty), one at a time: ``[t for t in separators.split(text) if t]``, read lazily.

    >>> list(_tokens(", share | e-mail,", patterns.compile(r"[\\s,|]+")))
    ['share', 'e-mail']
    """
    last = 0
    for match in separators.finditer(text):
        if match.start() > last:
            yield text[last : match.start()]
        last = match.end()
    if last < len(text):
        yield text[last:]


def _is_link_text(text: str, compiled: BoilerplateRules) -> bool:
    """Whether ``text`` can be the headline of a link: short, and one sentence at most.

    >>> from curation.rules import load_rules
    >>> compiled = compile_rules(load_rules()["boilerplate"])
    >>> _is_link_text("Wie stark steigen die Mieten?", compiled)
    True
    >>> _is_link_text("Die Preise steigen. Die Löhne auch.", compiled)
    False
    """
    return (
        width_at_most(text, compiled.headline_max_width)
        and any(ch.isalnum() for ch in text)
        and compiled.sentence_break.search(text) is None
    )


def _is_short_unfinished(text: str, max_width: int, compiled: BoilerplateRules) -> bool:
    """Short, with a letter in it, and not ending like a sentence or a clause."""
    core = text.strip().rstrip(compiled.headline_closing)
    return (
        bool(core)
        and width_at_most(text.strip(), max_width)
        and any(ch.isalnum() for ch in core)
        and core[-1] not in compiled.headline_not_final
    )


# A full stop inside a text, with more text after it: "。" or "．" anywhere, "." before
# a space (so "3.7" and "U.S.A" do not count).
# "\.\s+\S" is "\.(?=\s)\S*\s*\S" without the lookahead, which RE2 cannot run.
_FULL_STOP_BREAK = patterns.compile(r"[。．]\S*\s*\S|\.\s+\S")


def is_headline_like(text: str, compiled: BoilerplateRules) -> bool:
    """Could ``text`` be the headline of another article in a list of links?

    >>> from curation.rules import load_rules
    >>> compiled = compile_rules(load_rules()["boilerplate"])
    >>> is_headline_like("China, Pakistan strive to build a shared future", compiled)
    True
    >>> is_headline_like("(作者为中国传媒大学新闻学院教授)", compiled)
    False
    >>> is_headline_like("Ora postării: Iul-16-2022", compiled)
    False
    >>> is_headline_like("当地政府正研擬對策。（編輯：林家嘉）1130314", compiled)
    False
    """
    stripped = text.strip()
    return (
        _is_short_unfinished(stripped, compiled.headline_max_width, compiled)
        and display_width(stripped) >= compiled.headline_min_width
        and stripped[0] not in compiled.headline_opening
        and not _is_metadata(stripped, compiled)
        # A full stop with more text after it is prose that lost its last full stop
        # to a trailer ("...對策。（編輯：林家嘉）1130314"), not a headline. "?" and
        # "!" are left out: "Ile zarabiają Polacy? Nowe dane GUS" is a headline.
        and _FULL_STOP_BREAK.search(stripped) is None
    )


def _is_metadata(text: str, compiled: BoilerplateRules) -> bool:
    return any(pattern.search(text) for pattern in compiled.metadata)


def _mark_search_query(text: str, paragraphs: list[_Paragraph], compiled: BoilerplateRules) -> None:
    for index in range(len(paragraphs) - 1):
        paragraph, following = paragraphs[index], paragraphs[index + 1]
        if paragraph.removed or not text[paragraph.lo : paragraph.hi].strip():
            continue
        if following.rule in compiled.query_before and _is_short_unfinished(
            text[paragraph.lo : paragraph.hi], compiled.query_max_width, compiled
        ):
            paragraph.rule = compiled.query_rule
            continue
        return  # the first paragraph that stays ends the document's head


def _mark_related_headlines(
    text: str, paragraphs: list[_Paragraph], compiled: BoilerplateRules
) -> None:
    """Remove headline-like paragraphs from the tail, if the tail holds removed chrome
    and the text before the tail ends a paragraph like a sentence somewhere.

    A headline is told from prose by its end (no full stop), which says nothing in a
    text that never ends a paragraph with a sentence mark: Thai and Lao end a sentence
    with a space, so every short paragraph of theirs would pass for a headline and the
    article's last paragraphs would go.
    """
    headlines: list[_Paragraph] = []
    anchored = False
    for index in range(len(paragraphs) - 1, -1, -1):
        paragraph = paragraphs[index]
        rest = text[paragraph.lo : paragraph.hi]
        if paragraph.removed:
            anchored = True
        elif is_headline_like(rest, compiled):
            headlines.append(paragraph)
        elif rest.strip() and not _is_dateline(rest, compiled):
            # The last paragraph of prose: the tail lies after it.
            break
    else:
        return  # no prose at all: nothing to tell a headline from the article
    if (
        anchored
        and any(
            not kept.removed
            and _ends_like_sentence(text[kept.lo : kept.hi], compiled)
            # "14 มี.ค. 2567 15:20 น.": an abbreviation's full stop ends no sentence.
            and not _is_dateline(text[kept.lo : kept.hi], compiled)
            for kept in paragraphs[: index + 1]
        )
    ):
        for paragraph in headlines:
            paragraph.rule = compiled.headline_rule


def _is_dateline(text: str, compiled: BoilerplateRules) -> bool:
    """Short, with a year or a clock time in it: a dateline or a posting time. A longer
    paragraph that mentions a year is prose all the same."""
    return width_at_most(text.strip(), compiled.headline_max_width) and _is_metadata(text, compiled)


def _ends_like_sentence(text: str, compiled: BoilerplateRules) -> bool:
    """Whether ``text`` ends with a sentence mark, closing quotes aside.

    >>> from curation.rules import load_rules
    >>> compiled = compile_rules(load_rules()["boilerplate"])
    >>> _ends_like_sentence('He said "no limits."', compiled), _ends_like_sentence("完。", compiled)
    (True, True)
    >>> _ends_like_sentence("การดำเนินการจะเริ่มในฤดูร้อน", compiled)
    False
    """
    core = text.strip().rstrip(compiled.headline_closing)
    return bool(core) and core[-1] in compiled.sentence_final


def _is_name(word: str, rules: PhotoCaptionRules) -> bool:
    """A word that may be part of a name: it opens with a capital letter ("Getty",
    "AHMAD"), or it is of a script without capitals and short ("共同通信")."""
    first = word[0]
    if first.isupper() or first.istitle():
        return True
    return first.isalpha() and not first.islower() and width_at_most(word, rules.max_caseless_width)


# Marks that join the letters of one name: "O'Neil", "Post-Dispatch", "AT&T".
_INSIDE_NAME = "'’&-"


def _credit_run(line: str, rules: PhotoCaptionRules) -> tuple[int, int, bool] | None:
    """The run of names that ends ``line`` with no punctuation after it: where it
    starts, how many words it has, and whether its names are chained
    ("Erin Schaff/Pool/Getty Images", "McNew—Getty Images"). ``None`` when the line
    does not end with a name, or ends with a run too long to be a credit."""
    position = len(line)
    start: int | None = None
    words = 0
    chained = pending = False
    while True:
        begin = position
        while begin > 0 and (line[begin - 1].isalnum() or line[begin - 1] in _INSIDE_NAME):
            begin -= 1
        while begin < position and not line[begin].isalnum():
            begin += 1
        word = line[begin:position]
        if not word or not _is_name(word, rules):
            break
        start, words, chained = begin, words + 1, chained or pending
        if words > rules.max_credit_words:
            return None
        before = begin
        while before > 0 and line[before - 1] == " ":
            before -= 1
        if before == 0:
            break
        mark = line[before - 1]
        if mark in rules.chain_joiners and (mark == "/" or before == begin):
            # "Schaff/Pool", "Schaff / Pool"; a dash only unspaced ("McNew—Getty"):
            # spaced, it is a quotation's attribution ("… — John Smith").
            position, pending = before - 1, True
        elif mark in rules.list_joiners:
            position, pending = before - 1, False
        elif before < begin and mark.isalnum():
            position, pending = before, False
        else:
            break
        while position > 0 and line[position - 1] == " ":
            position -= 1
    if start is None or not width_at_most(line[start:], rules.max_credit_width):
        return None
    return start, words, chained


def is_photo_credit(line: str, compiled: BoilerplateRules) -> bool:
    """Whether ``line`` is a photo's credit alone on its line: a chain of names
    ("Erin Schaff/Pool/Getty Images"), a label and a chain ("Photo: Anna Berg/AFP"), or
    a bar and names ("| Efe").

    >>> from curation.rules import load_rules
    >>> compiled = compile_rules(load_rules()["boilerplate"])
    >>> is_photo_credit("Erin Schaff/Pool/Getty Images", compiled)
    True
    >>> is_photo_credit("Chapter 1: Greetings of a Cryptid", compiled)
    False
    """
    rules = compiled.caption
    stripped = line.strip()
    if not stripped or "\n" in stripped:
        return False
    run = _credit_run(stripped, rules)
    if run is None:
        return False
    start, words, chained = run
    before = stripped[:start].rstrip().lstrip("".join(rules.bars)).lstrip()
    if not before:
        # "| Efe": a bar sets the names apart; alone, a chain of them is a credit and a
        # shorter one a term ("Input/Output", "TCP/IP").
        return stripped[0] in rules.bars or (chained and words >= rules.min_chain_words)
    # A label, one word of letters: "Photograph: Universal/Everett/Rex". Its names must
    # be chained: "Update: Apple Responds" is a subheading.
    return (
        chained
        and before[-1] in rules.label_marks
        and len(before) > 1
        and all(ch.isalpha() for ch in before[:-1])
        and width_at_most(before[:-1], rules.max_label_width)
    )


def _mark_photo_captions(
    text: str, paragraphs: Sequence[_Paragraph], compiled: BoilerplateRules
) -> None:
    """Remove photos' credits alone on their lines (see :func:`is_photo_credit`), and
    the caption right above one: the photo's block is its caption, then its credit.

    The line above is taken for a caption when it is one sentence, ended (a subheading
    above a photo stays), and no wider than a caption (``max_caption_width``): a photo
    without a caption has its credit under a paragraph of the article, and that
    paragraph is longer than a sentence more often than not. It is the price of the
    rule: a one-sentence paragraph right above an uncaptioned photo's credit goes too.
    """
    rules = compiled.caption
    kept = [p for p in paragraphs if not p.removed and text[p.lo : p.hi].strip()]
    for index, paragraph in enumerate(kept):
        if not is_photo_credit(text[paragraph.lo : paragraph.hi], compiled):
            continue
        paragraph.rule = rules.rule
        if index == 0:
            continue
        above = kept[index - 1]
        caption = text[above.lo : above.hi].strip()
        if (
            above.rule is None
            and caption[-1] in compiled.boundary
            and width_at_most(caption, rules.max_caption_width)
            and compiled.sentence_break.search(caption) is None
        ):
            above.rule = rules.rule


def _mark_consent_buttons(
    text: str, paragraphs: list[_Paragraph], compiled: BoilerplateRules
) -> None:
    """Remove the buttons of a cookie banner: a few short labels right after it.

    A banner's buttons ("Alle akzeptieren", "Einstellungen", "Mehr erfahren") are
    each a paragraph of a word or three; the phrase lists cannot hold every label in
    every language, and some ("Einstellungen") are also headings when alone.
    """
    count = 0
    for paragraph in paragraphs:
        rest = text[paragraph.lo : paragraph.hi].strip()
        if paragraph.removed:
            count = compiled.button_max_count if paragraph.rule in compiled.button_rules else count
            continue
        if (
            count > 0
            and rest
            and width_at_most(rest, compiled.button_max_width)
            and len(rest.split()) <= compiled.button_max_words
            and rest[-1] not in compiled.headline_not_final
        ):
            paragraph.rule = compiled.button_rule
            count -= 1
        else:
            count = 0


def _mark_link_lists(
    text: str,
    paragraphs: list[_Paragraph],
    compiled: BoilerplateRules,
    headline_at: int | None = None,
) -> None:
    """Remove the links listed under a "Related Stories" heading, wherever it stands.

    After a paragraph removed as such a heading, the paragraphs that read like
    headlines of other articles go, up to the first one that does not: headline-like
    ones (see :func:`is_headline_like`) and short one-sentence questions or
    exclamations ("Wie stark steigen die Mieten?"), which a list of links holds and
    an article's tail rule would keep. Paragraphs removed by other rules are passed.

    A list ends where the article's headline stood (``headline_at``, the offset
    extract_metadata took it out at): a box of links in the page's head, its heading
    printed over it, stands before the headline, and what follows the headline is
    the article, though its first lines are short and read like headlines (a blog
    written a line a clause, without a full stop).
    """
    in_list = False
    for paragraph in paragraphs:
        if headline_at is not None and paragraph.start >= headline_at:
            in_list, headline_at = False, None
        rest = text[paragraph.lo : paragraph.hi]
        if paragraph.removed:
            in_list = in_list or paragraph.rule in compiled.link_list_headings
            continue
        if not in_list:
            continue
        core = rest.strip().rstrip(compiled.headline_closing)
        if is_headline_like(rest, compiled) or (
            core
            and core[-1] in compiled.link_list_final
            and _is_link_text(rest.strip(), compiled)
            and rest.strip()[0] not in compiled.headline_opening
        ):
            paragraph.rule = compiled.headline_rule
        else:
            in_list = False


def _paragraph_changes(
    paragraph: _Paragraph, separator: tuple[int, int] | None
) -> Iterator[Change]:
    if not paragraph.removed:
        for start, end, rule in paragraph.cuts:
            yield Change(start, end, "", rule)
        return
    pieces = sorted(paragraph.cuts)
    if paragraph.lo < paragraph.hi:
        assert paragraph.rule is not None
        pieces.append((paragraph.lo, paragraph.hi, paragraph.rule))
        pieces.sort()
    if separator is not None:
        # The separator joins the piece it touches, so the changes stay disjoint.
        if separator[1] == paragraph.start:
            first = pieces[0]
            pieces[0] = (separator[0], first[1], first[2])
        else:
            last = pieces[-1]
            pieces[-1] = (last[0], separator[1], last[2])
    for start, end, rule in pieces:
        yield Change(start, end, "", rule)


@dataclass(frozen=True, slots=True)
class Classified:
    """The classifier's view of a text: each paragraph's verdict, and where the body is."""

    language: str | None
    verdicts: tuple[Verdict, ...]
    headline_paragraph: int | None  # index of the first paragraph after the headline
    body: range  # the article's paragraphs


# How many classified texts are remembered (see classify_text): extract_metadata
# classifies every text of a batch before strip_boilerplate classifies them again. A
# batch is 256 seeds with --jobs 1 (more records once split_articles has split some),
# a piece of 32 records in the processes of --jobs N (curation.pipeline); 384 covers
# the first with half its seeds split. A text is remembered by its digest, so the memo
# holds no text, only offsets and verdicts, but as Python objects: 27 MiB for 1,024 of
# the benchmark's pages, so some 10 MiB in each cleaning process when full.
CLASSIFIED_TEXTS = 384
_ClassifiedKey = tuple[bytes, RulesFile, tuple[str, ...], int | None]
_classified: OrderedDict[_ClassifiedKey, tuple[tuple[_Paragraph, ...], Classified]] = OrderedDict()


def classify_text(
    text: str,
    rules: RulesFile,
    languages: Sequence[str] = (),
    headline_at: int | None = None,
) -> tuple[list[_Paragraph], Classified]:
    """The phrase rules' and the classifier's decision on every paragraph of ``text``.

    ``headline_at`` is where the page's headline stood (extract_metadata took it
    out): the paragraphs before it are the page's head, chrome.

    extract_metadata asks this of each text, and strip_boilerplate asks it again of
    the same text when extract_metadata took nothing out of it and found no
    headline: the answer is a function of the arguments alone, so the second call
    gets a copy of what the first found instead of classifying again.
    """

    def classify() -> tuple[tuple[_Paragraph, ...], Classified]:
        paragraphs, classified = _classify_text(text, rules, languages, headline_at)
        return tuple(paragraphs), classified

    key = (text_digest(text), rules, tuple(languages), headline_at)
    found = remembered(_classified, key, CLASSIFIED_TEXTS, classify)
    # The caller may mark its paragraphs; the remembered ones stay as they were found.
    # (Built field by field: dataclasses.replace reads the class's fields on every call.)
    return [_Paragraph(p.start, p.end, p.lo, p.hi, list(p.cuts), p.rule) for p in found[0]], found[
        1
    ]


def _classify_text(
    text: str,
    rules: RulesFile,
    languages: Sequence[str] = (),
    headline_at: int | None = None,
) -> tuple[list[_Paragraph], Classified]:
    compiled = compile_rules(rules)
    paragraphs = list(_paragraphs(text))
    for paragraph in paragraphs:
        _strip_edges(text, paragraph, compiled)
        if paragraph.lo < paragraph.hi:
            paragraph.rule = remembered_paragraph_rule(text[paragraph.lo : paragraph.hi], compiled)
    _mark_search_query(text, paragraphs, compiled)
    _mark_consent_buttons(text, paragraphs, compiled)
    _mark_link_lists(text, paragraphs, compiled, headline_at)
    _mark_related_headlines(text, paragraphs, compiled)
    _mark_photo_captions(text, paragraphs, compiled)

    classifier = classifier_rules(rules)
    pieces = [text[p.lo : p.hi] for p in paragraphs]
    language = page_language(pieces, languages, classifier)
    verdicts = classify(pieces, language, classifier, [p.removed for p in paragraphs])
    verdicts = mark_listings(pieces, verdicts, classifier, listing_rules(rules))
    verdicts = mark_repeated_blocks(pieces, verdicts, classifier)
    first = _first_after(paragraphs, headline_at)
    if first is not None and (
        _body_before(verdicts, first) or _inside_body(verdicts, first, classifier)
    ):
        first = None
    # Under a headline the article comes first (first_article_run); without one, the
    # run with the most prose is the article.
    span = (
        body_span(verdicts, classifier)
        if first is None
        else first_article_run(verdicts, classifier, first)
    )
    body = widen_over_article_shaped(
        verdicts, end_before_prompts(verdicts, span, classifier), first or 0
    )
    body = start_after_echoes(pieces, verdicts, body, classifier)
    body = end_before_echoes(pieces, verdicts, body, classifier)
    body = end_before_form(pieces, verdicts, body, classifier)
    body = end_at_preview_cut(pieces, verdicts, body, classifier)
    body = _end_before_link_list(paragraphs, pieces, verdicts, body, compiled, classifier)
    body, verdicts = resume_numbered_sections(pieces, verdicts, body, classifier)
    body, verdicts = resume_contents_sections(pieces, verdicts, body, classifier)
    verdicts = keep_section_headings(pieces, verdicts, body, classifier)
    verdicts = revise_inside_body(verdicts, body, classifier, pieces)
    # A text with hardly any paragraph shaped like chrome (whether a phrase rule took
    # it or not) is a clean text, or one cleaned already: the classifier leaves it
    # alone, so that a second run changes nothing and a short signature or subheading
    # at its edge stays.
    # Chrome is counted by its shape or by its context: navigation in a script
    # without capital letters has no link-label shape, only chrome around it.
    # Counted once per block: a formula or a code listing set one symbol or one
    # statement a line is one thing on the page, not twenty (see chrome_shapes).
    shapes = chrome_shapes(verdicts)
    if not body and _all_chrome(verdicts, paragraphs, classifier):
        # A part split off a page with nothing but chrome in it (its footer, a block
        # of teasers): it has no body to set chrome against, and none to keep.
        for verdict, paragraph in zip(verdicts, paragraphs, strict=True):
            if not paragraph.removed and paragraph.lo < paragraph.hi:
                paragraph.rule = verdict.reason if verdict.label == BAD else AFTER_BODY
    elif body and shapes >= classifier.min_chrome_paragraphs:
        for index, (verdict, paragraph) in enumerate(zip(verdicts, paragraphs, strict=True)):
            if paragraph.removed or paragraph.lo == paragraph.hi:
                continue
            if first is not None and index < first:
                paragraph.rule = BEFORE_HEADLINE
            elif index < body.start:
                paragraph.rule = verdict.reason if verdict.label == BAD else BEFORE_BODY
            elif index >= body.stop:
                paragraph.rule = verdict.reason if verdict.label == BAD else AFTER_BODY
            elif verdict.label == BAD:
                paragraph.rule = verdict.reason
        _mark_field_values(pieces, paragraphs, verdicts, classifier)
    # With no body found the classifier has nothing to set chrome against: a short
    # clean text keeps what the phrase rules left.
    return paragraphs, Classified(language, tuple(verdicts), first, body)


def _mark_field_values(
    pieces: Sequence[str],
    paragraphs: Sequence[_Paragraph],
    verdicts: Sequence[Verdict],
    rules: ClassifierRules,
) -> None:
    """Remove the value printed on the line under a field's label that went as chrome.

    A page prints its record's fields as a label ending with a colon on one line and
    the value on the next ("Authors:" / "Anna Ūdre (editor)", "Fuente:" / "Reuters",
    "作者：" / a name). The label is chrome by its shape; the value, a short line of
    its own, takes its verdict from the article's first or last paragraph beside it
    and stays. A label the classifier removed takes its value along: the value is
    short, no sentence (context-free ``short`` or ``bad``, no sentence end) and not
    a line of code or a table's cell. A label inside the article that stays
    ("Ingredients:" before its list) and a sentence under a removed label (a
    summary, the article's lead) stay.
    """
    for index in range(1, len(paragraphs)):
        label, paragraph, verdict = paragraphs[index - 1], paragraphs[index], verdicts[index]
        if paragraph.removed or paragraph.lo == paragraph.hi or not label.removed:
            continue
        # A value taken here is no label for the line after it: one line per label.
        if label.rule == FIELD_VALUE:
            continue
        head = pieces[index - 1].rstrip()
        if not head or head[-1] not in rules.field_marks:
            continue
        if verdicts[index - 1].features.width >= rules.length_low:
            continue
        if verdict.initial in (GOOD, NEAR_GOOD) or verdict.features.sentence_end:
            continue
        if verdict.article_shaped or verdict.shape in LISTING_SHAPES:
            continue
        paragraph.rule = FIELD_VALUE


def _end_before_link_list(
    paragraphs: Sequence[_Paragraph],
    pieces: Sequence[str],
    verdicts: Sequence[Verdict],
    body: range,
    compiled: BoilerplateRules,
    rules: ClassifierRules,
) -> range:
    """``body`` ended at a link list's heading ("Related Stories", "Похожие новости")
    that a phrase rule (one of ``article_end_headings``) removed after the article's
    last paragraph that is prose by its own shape (context-free ``good``).

    The list's teasers under the heading are headlines (the link-list rule takes
    them) and their leads, a sentence or two each: as wide as the article's closing
    paragraphs, and kept for their neighbours as those are. With no long paragraph
    after the heading, the article has ended: the rest is the list's, while it is a
    box smaller than the article (see ``end_before_box``). A list's heading between
    the article's long paragraphs (a "Read also" box set inside it) ends nothing.
    """
    last = last_long_paragraph(verdicts, body)
    if last is None:
        return body
    for index in range(last + 1, body.stop):
        paragraph = paragraphs[index]
        if paragraph.removed and paragraph.rule in compiled.article_end_headings:
            return end_before_box(pieces, verdicts, body, index, rules)
    return body


def chrome_shapes(verdicts: Sequence[Verdict]) -> int:
    """How many blocks of the text are shaped like chrome, by their own shape or by their
    context: the lines of one block (a wrapped paragraph, a formula printed a symbol a
    line) share one verdict and count once, and a block bad by its context alone that
    is shaped like the article's text (a sentence, a line of code or of a formula; see
    ``Verdict.article_shaped``) does not count.

    >>> from curation.steps.classify_paragraphs import Features
    >>> line = Verdict(Features(4, 1, 1, 0.0, 1.0, False, 0, False), BAD, BAD, "menu")
    >>> chrome_shapes([line, line, line]), chrome_shapes([line, line, line][:1] * 1)
    (1, 1)
    """
    count = 0
    previous: Verdict | None = None
    for verdict in verdicts:
        if verdict is not previous and (
            verdict.initial == BAD or (verdict.label == BAD and not verdict.article_shaped)
        ):
            count += 1
        previous = verdict
    return count


def _inside_body(verdicts: Sequence[Verdict], first: int, rules: ClassifierRules) -> bool:
    """Whether the line taken for the headline stands inside the article's run of prose,
    with at least a long paragraph's worth (``length_high``) of its prose before it:
    then it is one of the article's subheadings (or a line of it), and what comes
    before it is the article's beginning, not the page's head. A teaser or a lead
    right before a real headline is shorter than that."""
    body = body_span(verdicts, rules)
    if not body.start < first < body.stop:
        return False
    before = 0
    for index in range(body.start, first):
        verdict = verdicts[index]
        if verdict.label == GOOD and (index == body.start or verdict is not verdicts[index - 1]):
            before += verdict.features.width
    return before > rules.length_high


def _all_chrome(
    verdicts: Sequence[Verdict], paragraphs: Sequence[_Paragraph], rules: ClassifierRules
) -> bool:
    """Whether a text with no body is chrome through and through: no good paragraph,
    at least ``min_chrome_paragraphs`` shaped like chrome, and those at least
    ``chrome_only_min_share`` of its paragraphs. A poem, a list or a table of short
    lines has few shapes of chrome among its lines; a few sentences between chrome
    that the phrase rules took stay (the rules named what they took)."""
    lines = [
        (verdict, paragraph)
        for verdict, paragraph in zip(verdicts, paragraphs, strict=True)
        if paragraph.start < paragraph.end
    ]
    if not lines or any(verdict.label == GOOD for verdict, _ in lines):
        return False
    # A line repeated on the page is no shape here: a refrain, a table's recurring cell.
    shaped = sum(
        1 for verdict, _ in lines if verdict.initial == BAD and verdict.reason != REPEATED_LINE
    )
    return shaped >= rules.min_chrome_paragraphs and shaped >= rules.chrome_only_min_share * len(
        lines
    )


def _first_after(paragraphs: Sequence[_Paragraph], offset: int | None) -> int | None:
    """Index of the first paragraph that starts at or after ``offset``."""
    if offset is None:
        return None
    for index, paragraph in enumerate(paragraphs):
        if paragraph.start >= offset:
            return index
    return None


def _body_before(verdicts: Sequence[Verdict], first: int) -> bool:
    """Whether more of the good text lies before paragraph ``first`` than from it on: then
    the line taken for the headline was not the article's, and its place proves nothing."""
    before = sum(v.features.width for v in verdicts[:first] if v.label == GOOD)
    after = sum(v.features.width for v in verdicts[first:] if v.label == GOOD)
    return before > after


def boilerplate_changes(
    text: str,
    rules: RulesFile,
    languages: Sequence[str] = (),
    headline_at: int | None = None,
) -> list[Change]:
    """The removals of chrome from ``text``, one :class:`Change` per fragment or paragraph."""
    paragraphs, _ = classify_text(text, rules, languages, headline_at)

    changes: list[Change] = []
    kept_before = False
    for index, paragraph in enumerate(paragraphs):
        separator = None
        if paragraph.removed:
            # A removed paragraph takes the separator before it, unless nothing before
            # it stays: then the one after it, so the text does not start with "\n\n".
            if kept_before:
                separator = (paragraph.start - len(PARAGRAPH_SEPARATOR), paragraph.start)
            elif index + 1 < len(paragraphs):
                separator = (paragraph.end, paragraph.end + len(PARAGRAPH_SEPARATOR))
        else:
            kept_before = True
        changes.extend(_paragraph_changes(paragraph, separator))
    return changes


def headline_offset(record: Record) -> int | None:
    """Where the headline that extract_metadata took out stood in the record's text.

    extract_metadata's edits are the last batch of the provenance, in its input's
    offsets; the removals before the headline shift it to the text as it is now.
    """
    edits = record.provenance
    index = len(edits)
    while index > 0 and edits[index - 1].step.startswith(METADATA_STEP):
        index -= 1
    shift = 0
    for edit in edits[index:]:
        if edit.rule == HEADLINE_RULE:
            return max(edit.start - shift, 0)
        shift += len(edit.before) - len(edit.after)
    return None


def declared_languages(record: Record) -> tuple[str, ...]:
    languages = record.declared.get("languages")
    if not isinstance(languages, list | tuple):
        return ()
    return tuple(code for code in languages if isinstance(code, str) and code)


def find_changes(text: str, record: Record, rules: RuleSet) -> list[Change]:
    return boilerplate_changes(
        text, rules[RULES_FILE], declared_languages(record), headline_offset(record)
    )


STEP = text_step(
    NAME,
    VERSION,
    "site chrome: search boxes and queries, related-article lists and headlines, "
    "editor credits, source trailers, truncated teasers",
    find_changes,
    rules_files=(RULES_FILE,),
)
