"""The paragraph classifier in scripts whose measures differ from a Latin page's: Thai
(no stoplist, no spaces between words), Japanese (no capitals: a link's label shows no
title case), and a link's address left in a label (no code, whatever its brackets).
Handmade pages in languages the seeds do not have."""

from __future__ import annotations

from curation.record import apply_changes
from curation.rules import load_rules
from curation.steps import strip_boilerplate
from curation.steps.classify_paragraphs import (
    BAD,
    CASELESS_LABEL,
    classifier_rules,
    classify,
    language_lists,
    measure,
)

RULES = load_rules()
BOILERPLATE = RULES["boilerplate"]
CLASSIFIER = classifier_rules(BOILERPLATE)
P = "\n\n"


def strip(text: str, languages: tuple[str, ...]) -> str:
    return apply_changes(text, strip_boilerplate.boilerplate_changes(text, BOILERPLATE, languages))


def _menus(sections: list[str]) -> list[str]:
    return [" | ".join(sections[i:] + sections[:i]) for i in range(len(sections))]


# --- Thai: neargood by width alone ---------------------------------------------------

THAI_SECTIONS = ["หน้าแรก", "ข่าว", "การเมือง", "เศรษฐกิจ", "กีฬา", "บันเทิง"]
THAI_ARTICLE = [
    # Long (wider than length_high): prose by its width alone.
    "เมื่อวันอังคารที่ผ่านมา รัฐบาลประกาศว่าจะปรับขึ้นค่าแรงขั้นต่ำร้อยละสี่ในปีหน้า "
    "หลังจากการเจรจากับสหภาพแรงงานและนายจ้างเป็นเวลาหลายเดือน ฝ่ายนายจ้างขอให้ปรับขึ้น"
    "น้อยกว่านี้เพราะเศรษฐกิจยังอ่อนแอ ส่วนสหภาพแรงงานกล่าวว่าการปรับขึ้นครั้งนี้ยังไม่พอ"
    "กับค่าครองชีพที่สูงขึ้นมากในช่วงสองปีที่ผ่านมา",
    # Middling (between length_low and length_high), next to the long ones.
    "ผู้นำสหภาพแรงงานกล่าวว่าจะจัดการชุมนุมใหญ่ในเดือนมีนาคม หากรัฐบาลไม่รับฟังข้อเรียกร้องของคนงานทั่วประเทศ",
    "นักเศรษฐศาสตร์หลายคนเห็นว่าการปรับขึ้นค่าแรงจะช่วยให้คนงานมีรายได้พอใช้จ่าย "
    "แต่ก็อาจทำให้ธุรกิจขนาดเล็กต้องลดจำนวนพนักงานลง โดยเฉพาะร้านค้าและร้านอาหาร"
    "ในต่างจังหวัดที่มีกำไรไม่มากนัก รัฐบาลจึงเตรียมมาตรการลดหย่อนภาษีให้กับธุรกิจ"
    "เหล่านี้ในปีแรก",
]
# After the article: related headlines (middling width) between tags and buttons, a
# donation notice, the footer.
THAI_TAIL = [
    "เรื่องที่เกี่ยวข้อง",
    "นายกรัฐมนตรีเดินทางเยือนญี่ปุ่นเพื่อหารือเรื่องการค้าและการลงทุนระหว่างสองประเทศ",
    "ข่าว",
    "แรงงาน",
    "ราคาน้ำมันในตลาดโลกปรับตัวสูงขึ้นต่อเนื่องเป็นสัปดาห์ที่สามติดต่อกัน นักวิเคราะห์คาดว่าจะยังสูงอยู่",
    "✕",
    "การสนับสนุนจากคุณคือการร่วมสร้างและรักษาสื่อเสรี ร่วมบริจาคให้กับมูลนิธิของเราได้ทุกวันผ่านบัญชีธนาคาร",
    "ติดตามเราได้ที่:",
    "เกี่ยวกับเรา",
    "ติดต่อเรา",
]


def _thai_page() -> str:
    menus = _menus(THAI_SECTIONS)
    return P.join([*menus, *THAI_ARTICLE, *THAI_TAIL, *menus[:3]])


def test_thai_article_keeps_its_middling_paragraph_next_to_its_long_ones() -> None:
    verdicts = classify(P.join(THAI_ARTICLE).split(P), "th", CLASSIFIER)
    assert [v.initial for v in verdicts] == ["good", "neargood", "good"]
    assert all(v.label == "good" for v in verdicts)


def test_thai_headlines_between_tags_after_the_article_go() -> None:
    """Thai has no stoplist: a related headline of middling width is neargood by its
    width alone, and with it the tags around it were kept. Away from the article's
    long paragraphs (a short line between) it is no prose."""
    assert strip(_thai_page(), ("th",)) == P.join(THAI_ARTICLE)


def test_thai_headline_is_bad_when_no_long_paragraph_stands_next_to_it() -> None:
    paragraphs = _thai_page().split(P)
    verdicts = classify(paragraphs, "th", CLASSIFIER)
    headline = paragraphs.index(THAI_TAIL[1])
    assert verdicts[headline].initial == "neargood"
    assert verdicts[headline].label == BAD
    # The middling paragraph of the article is the same kind, and stays.
    middle = paragraphs.index(THAI_ARTICLE[1])
    assert verdicts[middle].features.width < CLASSIFIER.length_high
    assert verdicts[middle].label == "good"


def test_thai_middling_paragraph_between_captions_inside_the_article_stays() -> None:
    """Near-miss: a middling paragraph between two photo credits has no long neighbour,
    but it lies inside the article's span, between its long paragraphs: it stays, and
    the credits with it (entries between the article's paragraphs)."""
    caption = "ภาพโดย สมชาย ใจดี"
    article = [THAI_ARTICLE[0], caption, THAI_ARTICLE[1], caption, THAI_ARTICLE[2]]
    menus = _menus(THAI_SECTIONS)
    page = P.join([*menus, *article, *THAI_TAIL, *menus[:3]])
    assert strip(page, ("th",)) == P.join(article)


def test_thai_text_without_a_long_paragraph_keeps_its_middling_ones() -> None:
    """Negative: with no paragraph wide enough to be prose by itself, there is nothing to
    hold the middling ones against; they stay neargood (and good between themselves)."""
    paragraphs = [THAI_ARTICLE[1], THAI_TAIL[1]]
    verdicts = classify(paragraphs, "th", CLASSIFIER)
    assert [v.initial for v in verdicts] == ["neargood", "neargood"]
    assert [v.label for v in verdicts] == ["good", "good"]


# --- Japanese: a link's label without capitals --------------------------------------

JA_SECTIONS = ["トップ", "速報", "政治", "経済", "国際", "スポーツ"]
JA_SHARE = ["ツイート", "フェイスブック", "ブックマーク", "メール送信", "印刷"]
JA_ARTICLE = [
    "政府は火曜日、来年の最低賃金を四パーセント引き上げると発表した。労働組合と経営者との"
    "数か月にわたる話し合いの末の決定で、経営者側は景気の弱さを理由により小さな引き上げ"
    "を求めていた。",
    # A subheading of nouns between the article's paragraphs: a caseless label too.
    "今後の見通し",
    "組合は八パーセントの引き上げを求めており、政府が耳を傾けなければ春にも抗議を続ける"
    "と述べている。最大の組合はすでに三月の第一週にストライキを行うと発表した。",
]


def test_japanese_share_labels_right_before_the_article_go() -> None:
    """The share buttons above a Japanese article are nouns without particles: before,
    each read as a heading of the article (a short line with good text close after it)
    and stayed; a cased script's labels show their capitals and went."""
    menus = _menus(JA_SECTIONS)
    page = P.join([*menus, *JA_SHARE, *JA_ARTICLE, *menus[:4]])
    assert strip(page, ("ja",)) == P.join(JA_ARTICLE)


def test_japanese_labels_are_caseless_labels_and_sentences_are_not() -> None:
    lists = language_lists("ja", CLASSIFIER)
    labels = [*JA_SHARE, JA_ARTICLE[1]]
    verdicts = classify([*labels, "それは、まだ分からないと彼は言った。"], "ja", CLASSIFIER)
    assert [v.initial for v in verdicts] == ["short"] * (len(labels) + 1)
    assert all(measure(line, lists, CLASSIFIER).stopword_density == 0.0 for line in JA_SHARE)
    paragraphs = [*JA_SHARE, *JA_ARTICLE]
    reasons = [v.reason for v in classify(paragraphs, "ja", CLASSIFIER)]
    # Between the article's two paragraphs the subheading is good; the labels before
    # the article, with no good text before them, are not.
    assert reasons[len(JA_SHARE) + 1] != CASELESS_LABEL
    assert [v.label for v in classify(paragraphs, "ja", CLASSIFIER)][len(JA_SHARE) :] == [
        "good"
    ] * 3


# --- a link's address is no code -----------------------------------------------------

GREEK_SECTIONS = ["Αρχική", "Ειδήσεις", "Πολιτική", "Οικονομία", "Αθλητισμός", "Πολιτισμός"]
# Buttons whose link has no destination: the copy pastes the label and the address.
GREEK_BUTTONS = [
    "Αποθήκευσηjavascript:void(0)",
    "Εκτύπωσηjavascript:void(0)",
    "Κοινοποίησηjavascript:void(0)",
    "Σχόλιαjavascript:void(0)",
]
GREEK_ARTICLE = [
    "Η κυβέρνηση ανακοίνωσε την Τρίτη ότι ο κατώτατος μισθός θα αυξηθεί κατά τέσσερα τοις "
    "εκατό τον επόμενο χρόνο, μετά από μήνες συζητήσεων με τα συνδικάτα και τους εργοδότες, "
    "οι οποίοι ζητούσαν μικρότερη αύξηση λόγω της αδύναμης οικονομίας.",
    "Τα συνδικάτα είχαν ζητήσει αύξηση οκτώ τοις εκατό και δήλωσαν ότι θα συνεχίσουν τις "
    "κινητοποιήσεις την άνοιξη, αν η κυβέρνηση δεν τα ακούσει, με απεργία τον Μάρτιο.",
]


def test_a_link_address_carries_no_code_mark() -> None:
    lists = language_lists("el", CLASSIFIER)
    assert not any(measure(line, lists, CLASSIFIER).code for line in GREEK_BUTTONS)
    # Near-misses: code around an address is code still.
    assert measure('fetch("https://example.org/a?b=1", {', lists, CLASSIFIER).code
    assert measure("αποθήκευση(0);", lists, CLASSIFIER).code


def test_buttons_with_a_link_address_before_the_article_go() -> None:
    """A line with a code mark is left to its neighbours and spared from being chrome by
    its shape; the buttons' "void(0)" made them code, and code right before the article
    is the article's."""
    menus = _menus(GREEK_SECTIONS)
    page = P.join([*menus, *GREEK_BUTTONS, *GREEK_ARTICLE, *menus[:4]])
    assert strip(page, ("el",)) == P.join(GREEK_ARTICLE)
