"""Split a page that holds several articles into one record per article.

Aggregator, search-results and front pages print a header block for each item: a
headline paragraph and, right before or after it, a dated header paragraph (a
dateline naming the publisher and the date, ``Ren Min Ri Bao· 2025-11-10 22:48``; a
bare or labelled date, ``Published: 2024-03-05``; a date and time). Which
paragraphs count is decided by the formats :mod:`curation.steps.extract_metadata`
reads (``curation/rules/metadata.toml``), so a new date format serves both steps.

A page is split before each header block when it has at least ``[split]
min_articles`` of them and either

* at least that many are *publisher* datelines (``[split] dateline_rules``): only
  an item of a list of articles names its outlet under its headline; or
* no paragraph of prose comes before the first block, and every block puts its
  date on the same side of its headline: the page opens with an article header,
  so each later header, printed alike, opens another article. A timeline inside
  one article (sub-headings with dates under them) comes after the article's own
  prose and is left alone.

One block is the header of a single article: nothing is split. A block with no
body (a list of related headlines with their dates) still becomes a part; once its
header is read into the part's fields it is empty and ``drop_empty`` drops it.

Each part becomes a record of its own, numbered 0, 1, ... in text order (its id is
``<seed_id>-<part>``), with the parent's sidecar, url and license. Its text is the
parent's with everything before and after its span deleted, under the rule
``split_article``, so the provenance of every part replays from the raw seed. Text
before the first block stays with the first article when it is page chrome
(navigation, a search box: ``strip_boilerplate`` removes it there); when it holds
prose (a page's own introduction) it is kept as a part of its own, with a
``split_preamble`` warning, rather than dropped or glued onto the first article.

The parts' headers stay in their text: ``extract_metadata`` moves them into each
part's fields next.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

from curation.record import Change, Record
from curation.rules import RuleSet
from curation.steps.base import Step, StepOutput
from curation.steps.headers import (
    PARAGRAPH_SEPARATOR,
    RULES_FILE,
    MetadataRules,
    body_languages,
    declared_languages,
    is_headline,
    match_paragraph,
    metadata_rules,
    paragraph_spans,
    read_copyright,
)

NAME = "split_articles"
VERSION = 4  # 4: datelines in any script's digits; a copyright notice is no article's body
STEP_ID = f"{NAME}_v{VERSION}"

SPLIT_RULE = "split_article"
PREAMBLE_WARNING = "split_preamble"


@dataclass(frozen=True, slots=True)
class HeaderBlock:
    """An article's header: a headline and a dated paragraph next to it."""

    start: int  # offset of the block's first paragraph
    by_publisher: bool  # the dated paragraph names the outlet (a ``dateline_rules`` format)
    end: int = 0  # offset just after the block's last paragraph
    date_first: bool = False  # the dated paragraph stands above the headline


def _is_sentence(paragraph: str, rules: MetadataRules) -> bool:
    """A paragraph that ends like a sentence and is more than a label: prose, maybe short."""
    limits = rules.headline
    ending = paragraph.rstrip(limits["closing_marks"])
    words = max(len(paragraph.split()), sum(map(len, rules.unspaced.findall(paragraph))) // 2)
    return bool(ending) and ending[-1] in limits["sentence_final"] and words >= limits["min_words"]


def _reads_as_prose(paragraph: str, rules: MetadataRules) -> bool:
    """A paragraph of running text: a sentence longer than any headline's half.

    Stricter than :func:`_is_sentence`: a cookie notice or a one-line teaser before
    the first header does not make the page an article with a timeline in it.
    """
    return _is_sentence(paragraph, rules) and len(paragraph) > rules.headline["max_chars"] // 2


def header_blocks(
    text: str, languages: tuple[str, ...], rules: MetadataRules, min_blocks: int = 0
) -> list[HeaderBlock]:
    """Every headline with a dated header paragraph right after (or else right before) it.

    Blocks do not overlap: a dated paragraph belongs to the headline above it first.
    A page with fewer than ``min_blocks`` blocks gives ``[]``, found early: each block
    has a headline of its own, so once the headlines left are too few, their
    neighbours are not read for dates (a date is the costly test, and most pages
    have one headline or none).
    """
    # The paragraphs of paragraph_spans, split once, without a Paragraph for each.
    paragraphs = text.split(PARAGRAPH_SEPARATOR)
    starts = list(
        itertools.accumulate(
            (len(p) + len(PARAGRAPH_SEPARATOR) for p in paragraphs[:-1]), initial=0
        )
    )
    headlines = [is_headline(paragraph, rules) for paragraph in paragraphs]
    headlines_left = sum(headlines)
    if headlines_left < min_blocks:
        return []
    blocks: list[HeaderBlock] = []
    used = -1  # index of the last paragraph that belongs to a block
    dated_rules: dict[int, str | None] = {}

    @functools.cache
    def page_languages() -> tuple[str, ...]:
        # Asked only for a date in none of the most used languages (a model run).
        prose = [paragraph for paragraph in paragraphs if _reads_as_prose(paragraph, rules)]
        return body_languages(languages, prose, rules)

    def dated_rule(index: int) -> str | None:
        if not 0 <= index < len(paragraphs) or index <= used:
            return None
        # A paragraph is asked up to three times (as a headline, and beside the
        # headlines before and after it); its answer does not change.
        if index not in dated_rules:
            found = match_paragraph(paragraphs[index], "header", languages, rules, page_languages)
            dated_rules[index] = (
                found.rule if found is not None and found.date is not None else None
            )
        return dated_rules[index]

    for index, headline in enumerate(headlines):
        if not headline:
            continue
        headlines_left -= 1
        # A date line has a headline's shape too: it heads no block.
        if index > used and dated_rule(index) is None:
            for dated, first in ((index + 1, index), (index - 1, index - 1)):
                rule = dated_rule(dated)
                if rule is not None:
                    last = max(index, dated)
                    by_publisher = rule in rules.split_rules
                    end = starts[last] + len(paragraphs[last])
                    blocks.append(HeaderBlock(starts[first], by_publisher, end, dated < index))
                    used = last
                    break
        if len(blocks) + headlines_left < min_blocks:
            return []
    return blocks


def article_starts(text: str, languages: tuple[str, ...], rules: MetadataRules) -> list[int]:
    """Offsets where the articles of a page of several start; ``[]`` for a single article.

    Only a header with a body under it opens an article: ``[split] min_body_chars``
    of sentences, or any sentence under a dateline that names its publisher (an
    aggregator's item, whose snippet may be short). Headlines with their dates and at
    most a teaser between them are a list of links to other pages (chrome that
    ``strip_boilerplate`` removes), not articles.
    """
    found = header_blocks(text, languages, rules, min_blocks=rules.min_articles)
    ends = [block.start for block in found[1:]] + [len(text)] if found else []
    blocks = [
        block
        for block, next_start in zip(found, ends, strict=True)
        if _sentence_chars(text[block.end : next_start], rules)
        >= (1 if block.by_publisher else rules.min_body_chars)
    ]
    if len(blocks) < rules.min_articles:
        return []
    by_publisher = sum(block.by_publisher for block in blocks)
    if by_publisher < rules.min_articles and len({block.date_first for block in blocks}) > 1:
        # A page of articles prints every header alike; a date above one headline and
        # below another is an article's own header beside a related-story link.
        return []
    opens_with_header = not any(
        _reads_as_prose(text[p.start : p.end], rules)
        for p in paragraph_spans(text[: blocks[0].start])
    )
    if by_publisher >= rules.min_articles or opens_with_header:
        return [block.start for block in blocks]
    return []


def _sentence_chars(text: str, rules: MetadataRules) -> int:
    """How many characters of ``text`` are in paragraphs that read as sentences.

    A character of a script written without spaces counts twice: it carries about
    as much as a short word. A copyright notice ("Copyright Folha de S.Paulo. Todos
    os direitos reservados. É proibida a reprodução...") reads as sentences but is
    the page's footer: under the last of a list of dated links it is no article.
    """
    paragraphs = [text[p.start : p.end] for p in paragraph_spans(text)]
    return sum(
        len(paragraph) + sum(map(len, rules.unspaced.findall(paragraph)))
        for paragraph in paragraphs
        if _is_sentence(paragraph, rules) and read_copyright(paragraph, rules) is None
    )


def _preamble_is_prose(preamble: str, rules: MetadataRules) -> bool:
    return any(_is_sentence(preamble[p.start : p.end], rules) for p in paragraph_spans(preamble))


def article_spans(starts: list[int], length: int) -> list[tuple[int, int]]:
    r"""The ``(start, end)`` of each part, given where the articles start.

    Spans leave out the ``"\n\n"`` between parts; text before the first article is
    a part of its own.

    >>> article_spans([0, 20, 45], 60)
    [(0, 18), (20, 43), (45, 60)]
    >>> article_spans([12, 40], 60)
    [(0, 10), (12, 38), (40, 60)]
    """
    starts = [0, *starts] if starts and starts[0] > 0 else list(starts)
    ends = [start - len(PARAGRAPH_SEPARATOR) for start in starts[1:]] + [length]
    return list(zip(starts, ends, strict=True))


def split_record(record: Record, spans: list[tuple[int, int]], preamble: bool) -> list[Record]:
    """One record per span: the parent with the text outside the span deleted."""
    parts = []
    for part, (start, end) in enumerate(spans):
        changes = [
            Change(a, b, "", SPLIT_RULE) for a, b in ((0, start), (end, len(record.text))) if a < b
        ]
        child = record.with_changes(STEP_ID, changes).replace(part=part)
        if preamble and part == 0:
            child = child.warn(
                STEP_ID,
                PREAMBLE_WARNING,
                "text before the first article header of a split page, kept as a part of its own",
            )
        parts.append(child)
    return parts


def run(record: Record, rules: RuleSet) -> StepOutput:
    compiled = metadata_rules(rules[RULES_FILE])
    starts = article_starts(record.text, declared_languages(record.declared), compiled)
    if len(starts) < compiled.min_articles:
        return (record,)
    # Page chrome before the first header goes with the first article, where
    # strip_boilerplate finds it before the headline; an introduction in prose is
    # a part of its own.
    preamble = starts[0] > 0 and _preamble_is_prose(record.text[: starts[0]], compiled)
    if not preamble:
        starts[0] = 0
    spans = article_spans(starts, len(record.text))
    return tuple(split_record(record, spans, preamble=preamble))


STEP = Step(
    NAME,
    VERSION,
    "a page with several headline + dateline blocks becomes one record per article",
    run,
    (RULES_FILE,),
)
