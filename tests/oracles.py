"""Algorithms that faster ones replaced, kept as they were to check the new ones against.

Each function here is the code of the commit before its replacement (bc9345e, or
fe50d69 for those after the second rule below), with only its imports changed. Tests
compare old and new on real text and on generated text (``tests/steps/test_fast_paths.py``,
``tests/property/test_fast_paths_properties.py``, and their ``metadata`` twins): the
faster code must give the same answer on every input, not on most.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence

from curation.steps.classify_paragraphs import (
    _WORD,
    ClassifierRules,
    Features,
    Language,
    _opens_with_sign,
    display_width,
)
from curation.steps.headers import MetadataRules, _ends_sentence
from curation.steps.identify_language import model_label
from curation.steps.strip_boilerplate import (
    BoilerplateRules,
    EdgeRule,
    _cut_head,
    _cut_tail,
    _fold,
    _is_link_text,
    _is_teaser,
    _Paragraph,
)
from curation.steps.strip_boilerplate import display_width as strip_display_width
from curation.word_frequency import available_languages, zipf_frequency


def whole_paragraph_rule(paragraph: str, compiled: BoilerplateRules) -> str | None:
    """strip_boilerplate.whole_paragraph_rule: every pattern tried on every paragraph."""
    stripped = paragraph.strip()
    if not stripped:
        return None
    rule = compiled.literals.get(_fold(stripped).strip(compiled.decoration))
    if rule is not None:
        return rule
    for rule, pattern in compiled.whole_patterns:
        if pattern.fullmatch(stripped):
            return rule
    for rule, pattern in compiled.link_prefixes:
        match = pattern.fullmatch(stripped)
        if match is not None and _is_link_text(match.group("headline"), compiled):
            return rule
    tokens = [t for t in compiled.tokens.split(_fold(stripped)) if t]
    for rule, words, min_words in compiled.word_lists:
        if len(tokens) >= min_words and all(t in words for t in tokens):
            return rule
    return None


def strip_edges(text: str, paragraph: _Paragraph, compiled: BoilerplateRules) -> None:
    """strip_boilerplate._strip_edges: every tail rule searched in every window."""
    cut = True
    while cut and paragraph.lo < paragraph.hi:
        cut = False
        for rule in (*compiled.tail, compiled.teaser):
            start = _cut_tail(text, paragraph.lo, paragraph.hi, rule, compiled)
            if start is not None:
                paragraph.cuts.append((start, paragraph.hi, rule.rule))
                paragraph.hi = start
                cut = True
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


def cut_tail(text: str, lo: int, hi: int, rule: EdgeRule, compiled: BoilerplateRules) -> int | None:
    """strip_boilerplate._cut_tail at 1ce824c: a search from each position after the last
    match's start, every match read to the paragraph's end."""
    if rule.suffixes is not None and not text.endswith(rule.suffixes, lo, hi):
        return None
    window_start = max(lo, hi - compiled.window)
    position = window_start
    while position < hi:
        match = rule.pattern.search(text, position, hi)
        if match is None:
            return None
        position = match.start() + 1
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


def has_code_marks(text: str, rules: ClassifierRules) -> bool:
    """classify_paragraphs._has_code_marks at 1ce824c: the whole code_marks alternation
    searched at once."""
    required = rules.code_marks_required
    if required is not None and required.search(text) is None:
        return False
    if ":" in text:
        text = rules.link_address.sub(" ", text)
    return rules.code_marks.search(text) is not None


def width_at_most(text: str, columns: int) -> bool:
    """The test strip_boilerplate's width_at_most replaced (1ce824c): the width counted."""
    return strip_display_width(text) <= columns


def _cased_words(paragraph: str) -> list[str]:
    return [w for w in paragraph.split() if w[:1].isupper() or w[:1].islower()]


def is_prose(paragraph: str, rules: MetadataRules, weak: bool = False) -> bool:
    """headers.is_prose: the cased words listed, then counted in Python."""
    limits = rules.body
    words = paragraph.split()
    unspaced = len(rules.unspaced.findall(paragraph))
    min_words, min_unspaced = (
        (limits["min_weak_words"], limits["min_weak_unspaced_chars"])
        if weak
        else (limits["min_words"], limits["min_unspaced_chars"])
    )
    if len(words) < min_words and unspaced < min_unspaced:
        return False
    if not _ends_sentence(paragraph, rules, final=weak):
        return False
    cased = _cased_words(paragraph)
    if len(cased) < 4:
        return True
    lower = sum(1 for w in cased if w[:1].islower())
    return bool(lower / len(cased) >= limits["min_lowercase_share"])


# ---------------------------------------------------------------------------
# Replaced at fe50d69 (issue 9, extract_metadata's throughput): the code of that
# commit, imports changed only. Compared in tests/steps/test_metadata_fast_paths.py and
# tests/property/test_metadata_fast_paths_properties.py.


def measure(paragraph: str, language: Language, rules: ClassifierRules) -> Features:
    """classify_paragraphs.measure: a Counter of the text for the width, another for the
    function characters, and one per token for its words."""
    text = paragraph.strip()
    words = _WORD.findall(text)
    density: float | None = None
    if language.characters is not None:
        # Counted by distinct character: each is asked once. Only the letters of the
        # script without spaces count: a Latin name or acronym in a Chinese sentence
        # ("DeepMind希望DNC可以推动…") is a word among its characters, not thirteen
        # characters without a single function character among them.
        letters = [
            (ch, count)
            for ch, count in Counter(text).items()
            if ch.isalpha() and ch >= "\u1100" and unicodedata.east_asian_width(ch) in "WF"
        ]
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
    items = [i for i in rules.menu_separators.split(text) if i.strip()]
    is_menu = (
        len(items) >= rules.menu_min_items
        and sum(1 for i in items if any(ch.isalpha() for ch in i)) >= rules.menu_min_items - 1
        and all(display_width(i.strip()) <= rules.menu_item_max_width for i in items)
    )
    return Features(
        width=display_width(text),
        words=len(words),
        letter_words=_letter_words(text, words),
        stopword_density=None if density is None else round(density, 4),
        title_case_share=round(title_share, 4),
        sentence_end=bool(core) and core[-1] in rules.sentence_end,
        menu_items=len(items) if is_menu else 0,
        copyright=any(sign in text for sign in rules.copyright_signs),
        # Since strip_boilerplate_v6 (the `unspaced` branch), code marks inside a link's
        # address ("javascript:void(0)") do not count: the published rule, kept here.
        code=rules.code_marks.search(rules.link_address.sub(" ", text)) is not None,
        copyright_notice=_opens_with_sign(text, rules),
    )


def _letter_words(text: str, words: Sequence[str]) -> int:
    """How many words the ``\\w+`` tokens ``words`` of ``text`` hold, digits-only tokens
    left out (see :func:`_word_count`).

    >>> _letter_words("In 2024 数字丝绸之路", ["In", "2024", "数字丝绸之路"])
    4
    """
    if text.isascii() or max(text) < "\u1100":
        # Nothing wide: each token not all digits is one word (see _word_count).
        return len(words) - sum(map(str.isdigit, words))
    return sum(_word_count(w) for w in words if not w.isdigit())


def _word_count(token: str) -> int:
    """How many words a ``\\w+`` token holds: one, or in a script without spaces
    about one per two characters ("数字丝绸之路" is three).

    >>> _word_count("Wirtschaft"), _word_count("数字丝绸之路")
    (1, 3)
    """
    if token.isascii() or max(token) < "\u1100":
        return 1  # nothing wide (see display_width)
    return max(1, (display_width(token) - len(token)) // 2)


def common_words(
    languages: tuple[str, ...], body: Sequence[str], rules: MetadataRules
) -> Callable[[str], bool]:
    """extract_metadata._common_words: the body's language identified on every call."""
    known = available_languages() & set(rules.site_name["common_word_languages"])
    language = next((code for code in languages if code in known), None)
    if language is None and body:
        sample = " ".join(body)[: rules.site_name["language_sample_chars"]]
        if any(ch.isalpha() for ch in sample):
            label = model_label(sample)
            language = label if label in known else None
    if language is None:
        return lambda word: False
    threshold = rules.site_name["common_word_zipf"]
    chosen = language
    return lambda word: zipf_frequency(word, chosen) >= threshold


def page_language(
    paragraphs: Sequence[str], declared: Sequence[str], rules: ClassifierRules
) -> str | None:
    """classify_paragraphs.page_language: every paragraph's width counted."""
    for code in declared:
        base = code.split("-")[0].casefold()
        if base in rules.stoplists or base in rules.function_characters:
            return base
    long = [p for p in paragraphs if display_width(p) >= rules.length_low]
    sample = "\n".join(long or paragraphs)[: rules.language_sample_chars]
    if not any(ch.isalpha() for ch in sample):
        return None
    return model_label(sample)


def menu_case(line: str, max_words: int) -> bool:
    """headers._menu_case: the cases asked character by character, then the words."""
    return (
        any(ch.islower() for ch in line)
        and not any(ch.isupper() for ch in line)
        and len(line.split()) <= max_words
    )


# ---------------------------------------------------------------------------
# Replaced after 2af1178 (branch fastboot, extract_metadata's own work): the code of 2af1178,
# imports changed only. Compared in tests/steps/test_metadata_fast_paths.py.


def find_body(paragraphs: Sequence[str], rules: MetadataRules) -> tuple[int, int] | None:
    """headers.find_body: is_prose asked of a paragraph each time it is looked at."""
    gap = rules.body["max_gap"]
    runs: list[tuple[int, int, int]] = []  # (first, last, characters)
    for index, paragraph in enumerate(paragraphs):
        if not is_prose(paragraph, rules):
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
            if is_prose(line, rules):
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
