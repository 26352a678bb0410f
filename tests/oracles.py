"""Algorithms that faster ones replaced, kept as they were to check the new ones against.

Each function here is the code of the commit before its replacement (bc9345e), with
only its imports changed. A test compares old and new on real text and on generated
text (``tests/steps/test_fast_paths.py``, ``tests/property/test_fast_paths_properties.py``):
the faster code must give the same answer on every input, not on most.
"""

from __future__ import annotations

from curation.steps.headers import MetadataRules, _ends_sentence
from curation.steps.strip_boilerplate import (
    BoilerplateRules,
    _cut_head,
    _cut_tail,
    _fold,
    _is_link_text,
    _Paragraph,
)


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
