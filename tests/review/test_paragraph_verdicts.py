"""`curation review` shows, for each paragraph, strip_boilerplate's decision and the
features that decided it -- the same decision the build made."""

from __future__ import annotations

from curation.contribute.cleaned_text import clean_seed
from curation.record import Record
from curation.review.edit_trace import trace_edits
from curation.review.html_page import _paragraphs_table
from curation.review.markdown_summary import _paragraph_lines
from curation.review.paragraph_verdicts import boilerplate_input, paragraph_verdicts
from curation.review.seed_review import RecordReview
from curation.rules import load_rules
from curation.steps import strip_boilerplate

RULES = load_rules()
P = "\n\n"
ARTICLE = [
    "The government said on Tuesday that it would raise the minimum wage by four per "
    "cent next year, after months of talks with the unions and the employers, who had "
    "asked for a smaller rise because of the weak economy.",
    "The unions had asked for eight per cent and said they would go on with their "
    "protests in the spring if the government did not listen to them, and the largest "
    "of them has already called a strike for the first week of March.",
]
MENUS = [
    "Politics | Business | Sport | Culture",
    "Science | Travel | Opinion | Video",
    "World | Europe | Asia | Africa",
    "Markets | Companies | Tech | Jobs",
    "Football | Tennis | Golf | Cricket",
    "Film | Music | Books | Art",
    "About us | Contact | Careers | Help",
]
PAGE = P.join(
    [
        *MENUS,
        "Home",
        "World",
        "Business",
        "Sign In",
        *ARTICLE,
        "Most Read",
        "Storm Warning For Coast",
    ]
)


def _cleaned() -> Record:
    (record,) = clean_seed(
        Record("000_0000000000000000", 0, PAGE, declared={"languages": ["en"]}), RULES
    ).records
    return record


def test_verdicts_match_what_the_build_removed() -> None:
    record = _cleaned()
    rows = paragraph_verdicts(PAGE, record, RULES)
    assert [r.text for r in rows if r.kept] == ARTICLE
    removed = {r.text: r.rule for r in rows if not r.kept}
    assert removed["Sign In"] == "short_link_like"
    # Every rule the review names is one the build recorded for that text.
    step_edits = {
        (e.before.strip(), e.rule) for e in record.provenance if e.step == strip_boilerplate.STEP_ID
    }
    assert {(text, rule) for text, rule in removed.items()} <= step_edits
    sign_in = next(r for r in rows if r.text == "Sign In")
    assert "title-case 1.00" in sign_in.features and sign_in.label == "bad"
    assert all(r.label == "good" and r.in_body for r in rows if r.kept)


def test_input_is_rebuilt_from_the_provenance() -> None:
    record = _cleaned()
    received = boilerplate_input(PAGE, record)
    assert strip_boilerplate.STEP.run(received, RULES)[0].text == record.text  # type: ignore[index]


def test_page_and_summary_show_the_features() -> None:
    record = _cleaned()
    rows = paragraph_verdicts(PAGE, record, RULES)
    review = RecordReview(record, trace_edits(PAGE, record.provenance), [], None, rows)
    html = _paragraphs_table(review)
    assert "short_link_like" in html and "title-case" in html and "Sign In" in html
    markdown = "\n".join(_paragraph_lines(record.id, rows))
    # Markdown-escaped, as every value in the summary is: it renders as short_link_like.
    assert r"short\_link\_like" in markdown and "| # | rule |" in markdown
    assert _paragraph_lines(record.id, [r for r in rows if r.kept]) == []
