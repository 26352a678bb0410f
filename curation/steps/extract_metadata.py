"""Read an article's title, date, source and author from the page around it.

Pages print the title, the publisher, the date and the author around the article,
among navigation, share buttons and footers: a headline, a dateline under it
(``(People's Daily Online) 17:37, October 22, 2021``), a byline, a date line
(``Stand: 28.03.2024 14:35 Uhr``, ``Oct 18, 2019 · 8 min read``), a label with its
value on the next line (``Source:`` / ``Xinhua``, ``来源：`` / ``新华网``), a wire
dateline opening the story (``WASHINGTON (Reuters) - ...``), a copyright footer
(``© 2015 Outlet``). This step runs before ``strip_boilerplate``, on the whole page.

Where it looks: :func:`~curation.steps.headers.find_body` finds the article's
body (the densest run of prose paragraphs); the lines before it are the header
zone, the lines after it the footer zone. Only zone lines are read (a date in the
body's prose never is), and in the body only the start of its first paragraph (a
labelled date, a wire credit).

* **title**: the headline-shaped line above the body that shares most content
  words with it (``[zones]`` in ``curation/rules/metadata.toml``); a site name
  after it ("Headline | Outlet") is a source.
* **date**: the formats of the rules file, then any date in a short zone line
  (dateparser, in the sidecar's languages); a date after a publication label wins
  over a date alone, which wins over an update's date; the header over the footer,
  nearest the body first. Its time is the one printed with it.
* **source**: a label or a dateline, then a wire credit, then the outlet after the
  headline, then the holder of a copyright notice.
* **author**: a byline.

What it removes: the headline and the pure metadata lines it read (datelines, date
lines, bylines, labels), each named for the format that matched (``headline``,
``date_line``, ``copyright_notice``...). A line that says more than what was read
("Oct 18, 2019 · 8 min read", a wire dateline) stays; the value read from it is
recorded by an edit that replaces the line (or the credit) by itself, so every
value's line is in the provenance. A line of prose is never removed.

The sidecar wins: when it states a title, source or date and the text says
something else, the record keeps the sidecar's value and gets a
``metadata_disagreement`` warning naming both; the header still leaves the text.
Two different values of the strongest kind in the text give
``text_metadata_conflict`` (the first is kept). Nothing is resolved silently.

A record is read once: a record whose provenance holds this step's edits is
returned as it is (see :func:`run`), which keeps the step idempotent.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from curation.record import Change, Record
from curation.rules import RuleSet, RulesFile
from curation.steps.base import Step, StepOutput
from curation.steps.headers import (
    RULES_FILE,
    Metadata,
    MetadataRules,
    Paragraph,
    body_languages,
    declared_languages,
    find_body,
    is_headline,
    is_prose,
    is_relative_date,
    match_head_fragment,
    match_paragraph,
    metadata_rules,
    paragraph_spans,
    prose_flags,
    read_copyright,
    read_date_line,
    read_wire_credit,
    site_name,
)
from curation.steps.split_articles import SPLIT_RULE
from curation.steps.strip_boilerplate import RULES_FILE as BOILERPLATE_RULES
from curation.steps.strip_boilerplate import classify_text
from curation.word_frequency import available_languages, zipf_frequency

NAME = "extract_metadata"
# 12: dates in any script's digits, Buddhist-era years, more formats; the body's headings.
# 13: the article ends before a comment form (classify_text's boundaries).
# 14: a site name in a script without capitals yields to one that the chrome prints
# and the page's address spells.
# 15: Thai month abbreviations with full stops ("มี.ค."), read by dateparser's own month
# table, which overrules its month; a.m. and p.m. words of other scripts; Bikram Sambat
# years left unread; the word "copyright" alone is no notice.
# 16: a site's name of common words that the page's address spells ("The Independent" /
# independent.co.uk); a name counts the mentions of the address that spells it, and a
# copyright notice of the owner whose initials open it ("CNNMoney" / "Cable News Network").
VERSION = 16
STEP_ID = f"{NAME}_v{VERSION}"

HEADLINE_RULE = "headline"
DISAGREEMENT = "metadata_disagreement"
CONFLICT = "text_metadata_conflict"

SPLIT_NOTE = (
    " (this record is one article of a seed that was split into several;"
    " the sidecar describes the whole seed)"
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One value the page prints for a field, and where: the line it was read from.

    ``rank`` orders the kinds of evidence (lower is stronger: a labelled or
    dateline date before a bare one, before an update); ``distance`` is how far the
    line is from the body, in paragraphs (the header zone before the footer zone).
    """

    field: str
    value: str
    rank: int
    distance: int
    time: str | None = None


@dataclass
class Found:
    """What the header and footer zones of one text say, and the changes that record it."""

    changes: list[Change] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def titles(self) -> list[str]:
        return [c.value for c in self.candidates if c.field == "title"]

    def best(self, name: str) -> list[Candidate]:
        """The candidates for ``name`` of the strongest kind, nearest the body first."""
        mine = sorted(
            (c for c in self.candidates if c.field == name), key=lambda c: (c.rank, c.distance)
        )
        return [c for c in mine if c.rank == mine[0].rank] if mine else []


def same(a: str, b: str) -> bool:
    """Equal up to case and spacing: "People's Daily online" is "People's Daily Online"."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


# Evidence ranks (lower wins). A date: printed as a dateline or after a
# publication label; then alone; then only as the date of an update.
_PUBLISHED, _PLAIN, _UPDATED = 0, 1, 2
# A source: a label or a dateline; a wire credit; the outlet after a headline; the
# site's name as its chrome repeats it; a copyright notice (the site's owner, which
# may be a group rather than the outlet).
_LABELLED, _WIRE, _TITLE_OUTLET, _SITE_NAME, _COPYRIGHT = 0, 1, 2, 3, 4
WIRE_RULE = "wire_credit"
# Punctuation around a word, dropped before it is compared.
_WORD_EDGES = ".,;:!?\"'()[]{}«»„“”‘’—–-|/…"
COPYRIGHT_RULE = "copyright_notice"
TITLE_LINE_RULE = "title_line_outlet"
DATE_LINE_RULE = "date_line"


def _from_metadata(found: Found, match: Metadata, distance: int) -> None:
    """Candidates from a line that a format of the rules file matched as a whole."""
    if match.source is not None:
        found.candidates.append(Candidate("source", match.source, _LABELLED, distance))
    if match.author is not None:
        found.candidates.append(Candidate("author", match.author, _LABELLED, distance))
    if match.date is not None:
        rank = _PLAIN if match.rule == "bare_date" else _PUBLISHED
        found.candidates.append(Candidate("date", match.date, rank, distance, match.time))
    if match.updated is not None:
        found.candidates.append(Candidate("date", match.updated, _UPDATED, distance))


def _split_outlet(line: str, rules: MetadataRules) -> tuple[str, str | None]:
    """A headline line's headline and the outlet it names after a separator, if any."""
    zones = rules.zones
    for separator in zones["outlet_separators"]:
        head, found, outlet = line.rpartition(separator)
        if not found or not head.strip() or not outlet.strip():
            continue
        outlet = outlet.strip()
        short = len(outlet.split()) <= zones["max_outlet_words"] and len(outlet) < len(head)
        # "Caption - Heinrich Aikawa/Instituto Lula": a photo credit, not an outlet.
        credit = any(mark in outlet for mark in zones["credit_marks"])
        named = short and not outlet[:1].islower() and not credit
        if named and (is_headline(head.strip(), rules) or rules.unspaced.search(head)):
            return head.strip(), outlet
    return line, None


def _title_score(line: str, body: str, rules: MetadataRules) -> tuple[float, int]:
    """The share and the number of the line's content words whose stem the body holds.

    Content words are those of ``[zones] min_content_word_chars`` characters or
    more (a stand-in for "not a function word" in any language), compared by their
    first ``stem_chars`` characters, so that inflection ("закупівлями" in a
    headline, "закупівлях" in the text) does not hide a shared word; in unspaced
    scripts each character counts.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> text = "Нефть выросла на 3 % в 2024 году."
    >>> share, count = _title_score("Цены на нефть растут в 2024", text, rules)  # нефть
    >>> round(share, 2), count
    (0.33, 1)
    """
    zones = rules.zones
    tokens: list[str] = []
    for word in line.casefold().split():
        word = word.strip(_WORD_EDGES)
        if rules.unspaced.search(word):
            tokens.extend(c for c in word if rules.unspaced.match(c))
        elif len(word) >= zones["min_content_word_chars"] and any(c.isalpha() for c in word):
            tokens.append(word[: zones["stem_chars"]])
    if not tokens:
        return 0.0, 0
    text = body.casefold()
    shared = sum(1 for t in tokens if t in text)
    return shared / len(tokens), shared


def find_metadata(
    text: str,
    languages: tuple[str, ...],
    known_title: str | None,
    rules: MetadataRules,
    article_start: Callable[[], int | None] | None = None,
    article_span: Callable[[], range] | None = None,
) -> Found:
    r"""What the header and footer zones of ``text`` say, and the changes that record it.

    The body is found first (:func:`~curation.steps.headers.find_body`); the lines
    before it (the header zone) and after it (the footer zone) are read, the body's
    prose never is, except for a wire credit or a labelled date opening its first
    paragraph. Pure metadata lines that were read leave the text; a line that says
    more (a wire dateline, "Oct 18, 2019 · 8 min read") stays, and the value read
    from it is recorded by an edit that replaces the credit or the line by itself.

    ``known_title`` is the record's title before this step (the sidecar's, usually):
    a headline is taken only if it is that title or no title is known, unless a
    dateline follows it.

    ``article_start`` gives, when asked, the paragraph where a second opinion
    (the paragraph classifier: :func:`classifier_start`) starts the article. It is
    asked only when no headline stands above the body found here: chrome that
    reads as prose ("The author chose to make this story unlisted, which means
    ...") can pass for the body's first paragraph and hide the headline under it.
    The headline is then looked for above the later start; the zones where dates
    and sources are read stay as they are.

    ``article_span`` gives, when asked, the paragraphs that the classifier keeps as
    the article. It is asked only when the site's name must be read from the chrome
    (:func:`~curation.steps.headers.site_name`): the body found here is the first run
    of prose, and an article that goes on past a code listing, a table or a gallery
    leaves its later sections, captions and subheadings in the footer zone, where
    the names it is about ("Samus", "GUI", "console.log") recur as often as the
    site's. Those paragraphs are no chrome there.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> text = ("Digital ties grow\n\nXinhua | 2021-10-22\n\nThe ministers met in Moscow on "
    ...         "Friday and agreed to expand their cooperation in digital trade.")
    >>> found = find_metadata(text, ("en",), None, rules)
    >>> found.titles, [(c.field, c.value) for c in found.candidates if c.field != "title"]
    (['Digital ties grow'], [('source', 'Xinhua'), ('date', '2021-10-22')])
    >>> [(c.start, c.end, c.rule) for c in sorted(found.changes)]
    [(0, 19, 'headline'), (19, 40, 'publisher_dateline')]
    """
    spans = paragraph_spans(text)
    paragraphs = [text[p.start : p.end] for p in spans]
    count = len(paragraphs)
    prose = prose_flags(paragraphs, rules)
    body = find_body(paragraphs, rules, prose)
    first, last = body if body is not None else (count, count)
    if body is None:
        # No prose: every line is a header line, but a headline needs a body under it.
        header, footer = list(range(count)), []
    else:
        first = _past_opening_metadata(paragraphs, first, last, languages, rules, prose)
        header, footer = list(range(first)), list(range(last + 1, count))
    found = Found()
    removed: dict[int, str] = {}
    claimed: set[int] = set()

    @functools.cache
    def languages_from(start: int) -> tuple[str, ...]:
        # The page's languages, identified in the body from ``start`` on once, and only
        # when a date is in none of the most used languages or a time may be relative.
        return body_languages(languages, paragraphs[start:], rules)

    def page_languages() -> tuple[str, ...]:
        return languages_from(first)

    def distance(index: int) -> int:
        return first - index if index < first else index - last + count

    def read_zone(indexes: list[int], where: str) -> None:
        zone = set(indexes)
        for index in indexes:
            if index in claimed:
                continue
            line = paragraphs[index]
            if not line or prose[index]:
                continue
            match = match_paragraph(line, where, languages, rules, page_languages)
            if match is None and index + 1 in zone and rules.label_alone.fullmatch(line):
                # "Source:" / "Xinhua", "By" / "Jane Doe": the value on the next line.
                joined = f"{line} {paragraphs[index + 1]}"
                match = match_paragraph(joined, where, languages, rules, page_languages)
                if match is not None:
                    claimed.add(index + 1)
                    removed[index + 1] = match.rule
            if match is not None:
                _from_metadata(found, match, distance(index))
                removed[index] = match.rule
                claimed.add(index)
                continue
            dates = read_date_line(line, languages, rules, page_languages)
            if dates:
                for date in dates:
                    rank = {"published": _PUBLISHED, "updated": _UPDATED}.get(date.kind, _PLAIN)
                    found.candidates.append(
                        Candidate("date", date.date, rank, distance(index), date.time)
                    )
                claimed.add(index)
                if all(d.pure for d in dates):
                    removed[index] = DATE_LINE_RULE
                else:
                    span = spans[index]
                    found.changes.append(Change(span.start, span.end, line, DATE_LINE_RULE))
                continue
            if where == "header":
                # "Published: 2021-03-04 10:20 Officials met ...": only the label and
                # the date go, the prose stays.
                fragment = match_head_fragment(line, languages, rules, page_languages)
                if fragment is not None:
                    start = spans[index].start
                    found.changes.append(Change(start, start + fragment.length, "", fragment.rule))
                    _from_metadata(found, fragment, distance(index))
                    claimed.add(index)
                    continue
            if where == "footer":
                notice = read_copyright(line, rules)
                if notice is not None:
                    outlet, pure = notice
                    found.candidates.append(
                        Candidate("source", outlet, _COPYRIGHT, distance(index))
                    )
                    claimed.add(index)
                    if pure:
                        removed[index] = COPYRIGHT_RULE
                    else:
                        span = spans[index]
                        found.changes.append(Change(span.start, span.end, line, COPYRIGHT_RULE))

    read_zone(header, "header")
    read_zone(footer, "footer")
    if body is not None:
        _read_title(found, paragraphs, first, known_title, removed, claimed, rules, languages_from)
        if not found.titles and article_start is not None:
            start = article_start()
            if start is not None and first < start < count:
                _read_title(
                    found, paragraphs, start, known_title, removed, claimed, rules, languages_from
                )
        outlet_line = _read_title_outlet(found, paragraphs, header, claimed | set(removed), rules)
        if outlet_line is not None:
            # The line stays (strip_boilerplate decides about it); the read is recorded.
            span = spans[outlet_line]
            found.changes.append(
                Change(span.start, span.end, paragraphs[outlet_line], TITLE_LINE_RULE)
            )
        # The first body paragraph may open with a labelled date ("date 2020-12-20
        # Chinese and Russian ...": only the label and date go) or a wire dateline
        # ("WASHINGTON (Reuters) - ...": it stays, its agency is read).
        opening = spans[first]
        fragment = match_head_fragment(paragraphs[first], languages, rules, page_languages)
        if fragment is not None:
            found.changes.append(
                Change(opening.start, opening.start + fragment.length, "", fragment.rule)
            )
            _from_metadata(found, fragment, 0)
        credit = read_wire_credit(paragraphs[first], rules)
        if credit is not None and (fragment is None or credit[1] >= fragment.length):
            agency, start, end = (credit[0], opening.start + credit[1], opening.start + credit[2])
            found.changes.append(Change(start, end, text[start:end], WIRE_RULE))
            found.candidates.append(Candidate("source", agency, _WIRE, 0))
        if not any(c.field == "source" and c.rank < _SITE_NAME for c in found.candidates):
            chrome = [paragraphs[i] for i in (*header, *footer)]
            notices = (read_copyright(line, rules, name_before=True) for line in chrome)
            holders = [notice[0] for notice in notices if notice is not None]
            article = range(first, last + 1)
            kept = article_span() if article_span is not None else article
            inside = set(article) | set(kept)
            masthead_end = min(first, rules.site_name["masthead_lines"])
            masthead = [paragraphs[i] for i in range(masthead_end) if i not in inside]
            outside = [
                paragraphs[i] for i in (*header, *footer) if i >= masthead_end and i not in inside
            ]
            common = _common_words(languages, paragraphs[first : last + 1], rules)
            authors = [c.value for c in found.candidates if c.field == "author"]
            titles = [known_title] if known_title is not None else found.titles
            name = site_name(
                outside,
                masthead,
                text,
                rules,
                holders,
                common,
                authors,
                titles[0] if titles else None,
                "\n\n".join(paragraphs[i] for i in sorted(inside)),
            )
            if name is not None:
                found.candidates.append(Candidate("source", name, _SITE_NAME, count))
    found.changes.extend(_removals(spans, removed))
    return found


def _past_opening_metadata(
    paragraphs: Sequence[str],
    first: int,
    last: int,
    languages: tuple[str, ...],
    rules: MetadataRules,
    prose: Sequence[bool] | None = None,
) -> int:
    """Where the body starts when what opens it is the header's last prose: a byline or
    a date line between its first paragraph and the next one ends the header.

    A photo caption with its credit glued on ("... near Lost Hills.David McNew—Getty
    Images") or a standfirst reads as prose, and a byline and a date line under it
    are short enough to pass for a gap inside the body (``[body] max_gap``): the
    body would open with the caption and its byline and date would go unread. A page
    prints its byline and date over its article, never between its paragraphs (an
    update may stand there: it is not read so).

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> lines = ["Kaupungin kirjasto avattiin uudelleen remontin jälkeen, ja kävijöitä oli "
    ...          "ensimmäisenä päivänä enemmän kuin koskaan ennen sen historiassa", "14.03.2024",
    ...          "Kirjasto oli ollut suljettuna puolitoista vuotta, kun sen katto ja "
    ...          "ilmanvaihto uusittiin kokonaan kaupungin varoilla."]
    >>> _past_opening_metadata(lines, 0, 2, ("fi",), rules)
    2
    """
    if prose is None:
        prose = prose_flags(paragraphs, rules)
    end = min(last, first + rules.body["max_gap"] + 1)
    for index in range(first + 1, end + 1):
        line = paragraphs[index]
        if not line:
            continue
        if prose[index]:
            return first
        # An update ("Updated: 2021-10-22") may stand between paragraphs: a live
        # story prints it where the new text starts. A byline or a date does not.
        match = match_paragraph(line, "header", languages, rules)
        if match is not None:
            read = match.date is not None or match.author is not None or match.source is not None
        else:
            read = any(date.kind != "updated" for date in read_date_line(line, languages, rules))
        if read:
            after = index + 1
            while after <= last and not (paragraphs[after] and prose[after]):
                after += 1
            return after if after <= last else first
    return first


def classifier_start(
    text: str, boilerplate: RulesFile, languages: Sequence[str] = ()
) -> int | None:
    r"""The paragraph where the paragraph classifier starts the article, after the phrase
    rules (share buttons, consent prompts) marked what they know (see
    :func:`~curation.steps.strip_boilerplate.classify_text`), or None if it finds no
    article. It weighs each paragraph's shape and its neighbours, so a sentence of
    chrome among menus and share buttons does not start the article. The classifier
    without the phrase rules' marks starts it too early on such pages.

    >>> from curation.rules import load_rules
    >>> prose = "The talks were useful, the minister said, and they would go on in May."
    >>> chrome = "Read this story and many more on our app, which you can get for free now."
    >>> text = "\n\n".join(["Home", chrome, "Share", "Tweet", "Save", "Trade grows", prose, prose])
    >>> classifier_start(text, load_rules()["boilerplate"], ("en",))
    6
    """
    _, classified = classify_text(text, boilerplate, languages)
    return classified.body.start if classified.body else None


def _common_words(
    languages: tuple[str, ...], body: Sequence[str], rules: MetadataRules
) -> Callable[[str], bool]:
    """Whether a word is common in the page's language, by wordfreq: the first declared
    language wordfreq knows, else the one py3langid identifies in the body. A page
    in a language wordfreq does not know has no common words here.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> common = _common_words(("en",), [], rules)
    >>> common("share"), common("mozilla")
    (True, False)
    """
    known = available_languages() & set(rules.site_name["common_word_languages"])
    threshold = rules.site_name["common_word_zipf"]
    declared = next((code for code in languages if code in known), None)
    if declared is not None:
        return lambda word: zipf_frequency(word, declared) >= threshold
    if not body:
        return lambda word: False
    # The body's language is identified when a word is first asked about, not before:
    # site_name asks only about names it has not settled otherwise (about one page in
    # ten of the benchmark's), and py3langid takes some 3 ms on any sample.
    sample = " ".join(body)[: rules.site_name["language_sample_chars"]]

    @functools.cache
    def language() -> str | None:
        if not any(ch.isalpha() for ch in sample):
            return None
        # Imported here: the model is loaded on first use only.
        from curation.steps.identify_language import model_label

        label = model_label(sample)
        return label if label in known else None

    def is_common(word: str) -> bool:
        chosen = language()
        return chosen is not None and zipf_frequency(word, chosen) >= threshold

    return is_common


def _read_title(
    found: Found,
    paragraphs: list[str],
    first: int,
    known_title: str | None,
    removed: dict[int, str],
    claimed: set[int],
    rules: MetadataRules,
    languages_from: Callable[[int], tuple[str, ...]],
) -> None:
    """The headline: a headline-shaped line of the header zone that the page marks as one.

    Three kinds of evidence, strongest first; the first kind that finds a line wins:

    1. **dated**: a headline-shaped line with a metadata line read just under it
       (a byline, a date line, a time said relative to now such as "1 day ago":
       within ``[zones] dated_headline_window`` lines),
       anywhere in the header zone. A page prints its headline over its byline and
       date, however many share buttons and video carousels stand between them
       and the text.
    2. **repeated**: a headline-shaped line that the header prints again, alone or
       as one part of a line ("Section|Headline", "Headline - Outlet": the tab
       title and the breadcrumb repeat it).
    3. **near**: among the last ``title_lookback`` unread lines before the body;
       unless those share at most one content word with the body and a line
       further up shares many (:func:`_far_options`).

    A line of the first two kinds must share ``min_title_overlap`` of its content
    words with the body's opening (a headline names what the article is about);
    among the lines of one kind the one sharing most wins (the nearest the body on
    a tie: a caption of names shares fewer than the headline above it). A headline
    with no dateline after it is taken only while no other title is known. A
    headline may end in a question or exclamation mark ("How does the brain ...?").
    """
    zones = rules.zones
    body = " ".join(paragraphs[first : first + 10])
    metadata = {i for i in (*claimed, *removed) if i < first}
    shaped: dict[int, int] = {}  # index -> content words shared with the body
    shares: dict[int, float] = {}
    # Lines of two phrases ("Result. What it means"): a headline only if printed twice.
    two_phrases: set[int] = set()
    for index in range(first):
        line = paragraphs[index]
        if index in claimed or index in removed or not line:
            continue
        if _in_wrapped_paragraph(index, paragraphs, metadata, rules):
            continue
        head, _ = _split_outlet(line, rules)
        plain = head.rstrip("?!") or head
        if (
            opens_like_a_headline(head, rules)
            and is_headline(plain, rules, one_phrase=False)
            and _enough_words(head, rules)
            and not rules.date_search.search(line)
            and not any(separator in line for separator in zones["menu_separators"])
        ):
            shares[index], shaped[index] = _title_score(head, body, rules)
            if not is_headline(plain, rules):
                two_phrases.add(index)
    related = [
        i
        for i in shaped
        if shares[i] >= zones["min_title_overlap"] and shaped[i] >= zones["min_title_shared_words"]
    ]
    window = zones["dated_headline_window"]

    def dated_line(line: str) -> bool:
        # The page's language (``languages_from``: identified once, only when asked):
        # dateparser tries every language it knows on a line in none, 40 ms a line.
        page = languages_from(first)
        return bool(page) and is_relative_date(line, page, rules)

    dated = [
        i
        for i in related
        if i not in two_phrases
        and _dated(i, first, window, paragraphs, metadata, dated_line) is not None
    ]
    printed: Counter[str] = Counter()
    for line in paragraphs[:first]:
        printed.update(_line_parts(line, rules))
    # Printed twice: on its own line and again (its own line's count is one).
    repeated = {i for i in related if printed[" ".join(paragraphs[i].split()).casefold()] > 1}
    one_phrase = {i: count for i, count in shaped.items() if i not in two_phrases}
    near = _near_options(first, paragraphs, one_phrase, shares, claimed, rules)
    options = dated or sorted(repeated) or _far_options(near, one_phrase, shares, rules)
    if not options:
        return
    index = min(options, key=lambda i: (-shaped[i], first - i))
    gap = first - index
    head, outlet = _split_outlet(paragraphs[index], rules)
    # A headline wrapped onto a second line: "Una solución no violenta para la
    # cuestión" / "mapuche". The rest is short, starts in lower case and is not
    # a sentence; together they are still a headline.
    wrapped = (
        index + 1 < first
        and index + 1 not in claimed
        and index + 1 not in removed
        and _continues_headline(head, paragraphs[index + 1], rules)
    )
    if wrapped:
        head = f"{head} {paragraphs[index + 1]}"
    dateline = any(i in removed for i in range(index + 1, first))
    if known_title is not None and not same(known_title, head) and not dateline:
        return
    found.candidates.append(Candidate("title", head, 0, gap))
    if outlet is not None:
        found.candidates.append(Candidate("source", outlet, _TITLE_OUTLET, gap))
    removed[index] = HEADLINE_RULE
    if wrapped:
        removed[index + 1] = HEADLINE_RULE


def opens_like_a_headline(line: str, rules: MetadataRules) -> bool:
    """Whether ``line`` opens as a headline does: not with a list's mark, and not with a
    word in lower case (see ``[headline] list_marks``). Scripts without case open
    every line alike.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> lines = ["Xbox One X review", "drive is great for movie fans", "+ Player skins return",
    ...          "iPhone sales fall", "«Nadie quiso escuchar»", "3 ways to save", "数字丝绸之路"]
    >>> [opens_like_a_headline(line, rules) for line in lines]
    [True, False, False, True, True, True, True]
    """
    text = line.lstrip()
    if not text or text[0] in rules.headline["list_marks"]:
        return False
    first = text.split()[0].lstrip(rules.headline["opening_marks"])
    return not (first[:1].islower() and not any(map(str.isupper, first)))


def _in_wrapped_paragraph(
    index: int, paragraphs: Sequence[str], read: set[int], rules: MetadataRules
) -> bool:
    """Whether line ``index`` is a line of a paragraph hard-wrapped into lines, not a headline.

    A wide line that stops mid-sentence and a next line that goes on in lower case
    are one paragraph cut at the page's width ("Los pueblos indígenas reclaman por
    derechos que permanecen" / "incumplidos, por eso es más eficiente ..."): neither
    is a headline. A headline wrapped onto a short last line ("... para la cuestión"
    / "mapuche") is read by :func:`_continues_headline`; a short line before a
    lower-case one ("Tech" / "iPhone sales fall") is a menu item, not a wrap; a
    line read as metadata (the indexes in ``read``: "by Jane Doe, July 10, 2015"
    under a headline) is no part of a paragraph.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> lines = ["Los pueblos indígenas reclaman por derechos que permanecen",
    ...          "incumplidos, por eso es más eficiente canalizar la protesta que reprimirla",
    ...          "Una solución no violenta para la cuestión", "mapuche"]
    >>> [_in_wrapped_paragraph(i, lines, set(), rules) for i in range(4)]
    [True, True, False, False]
    >>> lines = ["The Deck of Cards That Made Tarot A Global Phenomenon", "by Laura Topolsky"]
    >>> _in_wrapped_paragraph(0, lines, {1}, rules)
    False
    >>> lines = ["Abdullah Ocalan, el líder kurdo, desembarcó en Italia en noviembre de",
    ...          "1998 y pidió asilo político. Arrastraba un pedido de captura de Turquía."]
    >>> _in_wrapped_paragraph(0, lines, set(), rules)
    True
    >>> lines = ["Twitter Lite se estrena en 11 países de América Latina", "2 min de lectura"]
    >>> _in_wrapped_paragraph(0, lines, set(), rules)
    False
    """
    zones = rules.zones

    def wraps_into(upper: str, lower: str, tail_words: int) -> bool:
        end = upper.rstrip(rules.headline["closing_marks"])
        return (
            len(upper) >= zones["min_wrapped_line_chars"]
            and bool(end)
            and end[-1] not in rules.headline["sentence_final"]
            # In lower case, or a sentence going on after a number: "... desembarcó
            # en Italia en noviembre de" / "1998 y pidió asilo político. ..." (not
            # "3 min read" or "1 day ago" under a headline).
            and (lower[:1].islower() or (lower[:1].isdigit() and is_prose(lower, rules)))
            and len(lower.split()) > tail_words
        )

    tail = zones["max_wrapped_headline_words"]
    line = paragraphs[index]
    if index > 0 and index - 1 not in read and wraps_into(paragraphs[index - 1], line, tail):
        return True
    following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
    return index + 1 not in read and wraps_into(line, following, tail)


def _enough_words(head: str, rules: MetadataRules) -> bool:
    """Whether a headline has ``[headline] min_words`` words with letters in them (or is
    written without spaces): "« Vorige | Nächste »" has two, and arrows.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> _enough_words("« Vorige | Nächste »", rules), _enough_words("数字丝绸之路对合作共赢", rules)
    (False, True)
    """
    limits = rules.headline
    if len(rules.unspaced.findall(head)) >= limits["min_unspaced_chars"]:
        return True
    words = sum(1 for word in head.split() if any(c.isalpha() for c in word))
    return bool(words >= limits["min_words"])


def _near_options(
    first: int,
    paragraphs: list[str],
    shaped: dict[int, int],
    shares: dict[int, float],
    claimed: set[int],
    rules: MetadataRules,
) -> list[int]:
    """Headline-shaped lines among the last ``title_lookback`` unread lines before the body:
    the one right above it (with only metadata lines read between), and those that
    share words with the body."""
    options: list[int] = []
    seen = 0
    adjacent = True
    index = first - 1
    while index >= 0 and seen < rules.zones["title_lookback"]:
        if index not in claimed and paragraphs[index]:
            seen += 1
            if index in shaped and (adjacent or shares[index] >= rules.zones["min_title_overlap"]):
                options.append(index)
            adjacent = False
        index -= 1
    return options


def _far_options(
    near: list[int], shaped: dict[int, int], shares: dict[int, float], rules: MetadataRules
) -> list[int]:
    """The near options, unless they name the article only by chance and a line further
    up names it plainly.

    A line right above the body is taken for the headline on its position alone, but
    chrome stands there too: a widget's line ("Block for <site>"), the first line of a
    paragraph cut at the page's width, the caption of a gallery's last picture. Such a
    line shares at most one content word with the body (chance: the site's name, a
    common word), and where it does, the headline-shaped line of the header zone that
    shares ``[zones] min_far_title_shared_words`` or more, and the largest part of its
    words (``min_title_overlap`` at least), stands further up, over a spec table, a tag
    list or a rail of related links: it is the headline. Among such lines the one whose
    words the body holds most fully wins (a related story's link shares a few words,
    the headline nearly all); the nearest the body on a tie.
    """
    zones = rules.zones
    if any(shaped[i] >= zones["min_title_shared_words"] for i in near):
        return near
    far = [
        i
        for i in shaped
        if shaped[i] >= zones["min_far_title_shared_words"]
        and shares[i] >= zones["min_title_overlap"]
    ]
    if not far:
        return near
    return [max(far, key=lambda i: (shares[i], i))]


def _dated(
    index: int,
    first: int,
    window: int,
    paragraphs: list[str],
    metadata: set[int],
    dated_line: Callable[[str], bool] = lambda line: False,
) -> int | None:
    """The metadata line (a byline, a date line) read within ``window`` non-empty lines
    under line ``index``, above the body, if there is one; ``dated_line`` says whether
    a line not read is a date line all the same (a time said relative to now)."""
    seen = 0
    for below in range(index + 1, first):
        if not paragraphs[below]:
            continue
        if below in metadata or dated_line(paragraphs[below]):
            return below
        seen += 1
        if seen >= window:
            return None
    return None


def _line_parts(line: str, rules: MetadataRules) -> set[str]:
    """A line, and its parts between the separators of a title line, compared folded.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> sorted(_line_parts("Economy|Debt Rises - The Times", rules))
    ['debt rises', 'economy', 'economy|debt rises', 'economy|debt rises - the times', 'the times']
    """
    parts = {" ".join(line.split()).casefold()}
    pieces = [line]
    for separator in (*rules.zones["outlet_separators"], "|"):
        pieces = [p for piece in pieces for p in piece.split(separator)]
    for separator in rules.zones["outlet_separators"]:
        head, found, _ = line.partition(separator)
        if found:
            parts.add(" ".join(head.split()).casefold())
    parts.update(" ".join(p.split()).casefold() for p in pieces if p.strip())
    return parts


def _continues_headline(head: str, line: str, rules: MetadataRules) -> bool:
    """Whether ``line`` is the rest of the headline ``head``, wrapped onto a line of its own.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> _continues_headline("Una solución no violenta para la cuestión", "mapuche", rules)
    True
    >>> _continues_headline("Una solución no violenta", "Compartir", rules)
    False
    """
    words = line.split()
    return (
        bool(words)
        and len(words) <= rules.zones["max_wrapped_headline_words"]
        and line[0].islower()
        and is_headline(f"{head} {line}", rules)
    )


def _read_title_outlet(
    found: Found,
    paragraphs: list[str],
    header: list[int],
    claimed: set[int],
    rules: MetadataRules,
) -> int | None:
    """The outlet after the headline where the page prints "Headline - Outlet" again.

    A page's title line (the browser tab's, often copied along) repeats the
    headline with the site's name after a separator. Returns that line's index.
    """
    titles = found.titles
    if not titles:
        return None
    for index in header:
        line = paragraphs[index]
        if index in claimed or not line.casefold().startswith(titles[0].casefold()):
            continue
        head, outlet = _split_outlet(line, rules)
        if outlet is not None and same(head, titles[0]):
            found.candidates.append(Candidate("source", outlet, _TITLE_OUTLET, len(paragraphs)))
            return index
    return None


def _removals(spans: Sequence[Paragraph], removed: dict[int, str]) -> list[Change]:
    """Changes that remove whole paragraphs, each with one separator next to it."""
    count = len(spans)
    changes = []
    for index in sorted(removed):
        span = spans[index]
        if index + 1 < count:
            # The separator after a paragraph goes with it ...
            changes.append(Change(span.start, spans[index + 1].start, "", removed[index]))
        elif all(i in removed for i in range(index)):
            changes.append(Change(span.start, span.end, "", removed[index]))
        else:
            # ... except at the end, where the one before it goes; the paragraphs
            # removed just before it then keep theirs.
            keep = index - 1
            while keep in removed:
                keep -= 1
            for moved in range(keep + 1, index):
                rule = removed[moved]
                changes.remove(Change(spans[moved].start, spans[moved + 1].start, "", rule))
                changes.append(Change(spans[moved - 1].end, spans[moved].end, "", rule))
            changes.append(Change(spans[index - 1].end, span.end, "", removed[index]))
    return changes


def _first_distinct(values: Sequence[str]) -> tuple[str | None, list[str]]:
    """The first value, and the later ones that differ from it."""
    if not values:
        return None, []
    first = values[0]
    others: list[str] = []
    for value in values[1:]:
        if not same(value, first) and not any(same(value, o) for o in others):
            others.append(value)
    return first, others


def _is_split_part(record: Record) -> bool:
    return record.part > 0 or any(edit.rule == SPLIT_RULE for edit in record.provenance)


def resolve_fields(record: Record, found: Found) -> Record:
    """Fill the record's fields from what the text says; warn where sources disagree."""
    note = SPLIT_NOTE if _is_split_part(record) else ""
    updates: dict[str, str] = {}
    warnings: list[tuple[str, str]] = []
    chosen: dict[str, Candidate] = {}
    for name in ("title", "source", "date", "author"):
        best = found.best(name)
        text_value, conflicting = _first_distinct([c.value for c in best])
        if text_value is None:
            continue
        chosen[name] = best[0]
        for other in conflicting:
            message = f'{name}: the text says "{text_value}" and also "{other}"; kept the first'
            warnings.append((CONFLICT, message))
        declared = record.declared.get(name)
        current = getattr(record, name)
        if declared is not None and not same(str(declared), text_value):
            warnings.append(
                (DISAGREEMENT, f'{name}: sidecar says "{declared}", text says "{text_value}"{note}')
            )
        elif declared is None and current is None:
            updates[name] = text_value
        elif declared is None and not same(current, text_value):
            warnings.append(
                (DISAGREEMENT, f'{name}: record says "{current}", text says "{text_value}"')
            )
    date = updates.get("date", record.date)
    printed = chosen.get("date")
    if printed is not None and printed.time is not None:
        # A time belongs to the date printed with it; under another date it is wrong.
        if date is not None and same(printed.value, date):
            if record.time is None:
                updates["time"] = printed.time
        else:
            warnings.append(
                (
                    DISAGREEMENT,
                    f'time: "{printed.time}" is printed with the date "{printed.value}", '
                    f'not the kept date "{date}"; not kept',
                )
            )
    record = record.replace(**updates) if updates else record
    for code, message in warnings:
        record = record.warn(STEP_ID, code, message)
    return record


def run(record: Record, rules: RuleSet) -> StepOutput:
    # A record is read once: after a first run its header and footer lines are gone
    # or recorded, and the lines that then border the body are not the page's.
    if any(edit.step == STEP_ID for edit in record.provenance):
        return (record,)
    compiled = metadata_rules(rules[RULES_FILE])
    languages = declared_languages(record.declared)

    def article_start() -> int | None:
        return classifier_start(record.text, rules[BOILERPLATE_RULES], languages)

    def article_span() -> range:
        return classify_text(record.text, rules[BOILERPLATE_RULES], languages)[1].body

    found = find_metadata(
        record.text, languages, record.title, compiled, article_start, article_span
    )
    record = record.with_changes(STEP_ID, found.changes)
    return (resolve_fields(record, found),)


STEP = Step(
    NAME,
    VERSION,
    "title, author, publisher, date and time from the lines before and after the article's "
    "body into the record's fields; metadata lines read leave the text; the sidecar's values "
    "win, disagreements are warned",
    run,
    (RULES_FILE, BOILERPLATE_RULES),
)
