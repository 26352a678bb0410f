"""Date lines in the digits and calendars of scripts the seeds do not have
(headers.date_digits), and the formats they print: made-up header lines in many
languages, and near misses (phone numbers, prices, versions, scores, ISBNs,
pagination, two-digit years) that must stay no date."""

from __future__ import annotations

import datetime

import pytest

from curation.record import Record, replay
from curation.rules import load_rules
from curation.steps import extract_metadata, headers

RULES = load_rules()
COMPILED = headers.metadata_rules(RULES[headers.RULES_FILE])

# (language, line, date, time): a line a page prints under its headline.
DATE_LINES = [
    # Arabic-Indic digits, time included (the hour class of the formats is ASCII)
    ("ar", "١٢/٠٣/٢٠٢٤ ١٤:٣٠", "2024-03-12", "14:30"),
    ("ar", "نشر في ١٢/٠٣/٢٠٢٤", "2024-03-12", None),
    ("ar", "١٢ مارس ٢٠٢٤ - ٢٣:٠٥", "2024-03-12", "23:05"),
    # Extended Arabic-Indic (Persian, Urdu)
    ("fa", "۱۲/۰۳/۲۰۲۴ - ۱۴:۳۰", "2024-03-12", "14:30"),
    ("ur", "۱۲ مارچ ۲۰۲۴", "2024-03-12", None),
    # Devanagari (Hindi, Marathi), Bengali
    ("hi", "१२ मार्च २०२४, १४:३० IST", "2024-03-12", "14:30"),
    ("mr", "१२ मार्च २०२४", "2024-03-12", None),
    ("bn", "১২ মার্চ ২০২৪ ১৮:৪৫", "2024-03-12", "18:45"),
    # Thai digits, a Buddhist-era year and the word for "o'clock" abbreviated
    ("th", "๑๒ มีนาคม ๒๕๖๗ ๑๔:๓๐ น.", "2024-03-12", "14:30"),
    ("th", "12 มีนาคม 2567", "2024-03-12", None),
    ("th", "12 มีนาคม 2024", "2024-03-12", None),  # a common-era year stays
    ("th", "วันที่ 12 มีนาคม 2567 เวลา 14:30 น.", "2024-03-12", "14:30"),
    # Lao digits and era, Khmer and Myanmar digits
    ("lo", "໑໒ ມີນາ ໒໕໖໗", "2024-03-12", None),
    ("km", "១២ មីនា ២០២៤", "2024-03-12", None),
    ("my", "၁၂ မတ် ၂၀၂၄", "2024-03-12", None),
    # Full-width digits (Chinese, Japanese, Korean pages)
    ("zh", "２０２４年３月１２日 １４：３０", "2024-03-12", "14:30"),
    ("ja", "２０２４年３月１２日 １４時３０分", "2024-03-12", "14:30"),
    ("ko", "２０２４. ３. １２. １４:３０", "2024-03-12", "14:30"),
    # Vietnamese: numbers after their units' words
    ("vi", "ngày 12 tháng 3 năm 2024", "2024-03-12", None),
    ("vi", "Thứ Ba, ngày 12 tháng 3 năm 2024", "2024-03-12", None),
    ("vi", "12/03/2024 14:30", "2024-03-12", "14:30"),
    # The word for "hours" abbreviated after the time, its dot no sentence's end
    ("es", "12 de marzo de 2024 10:20 h.", "2024-03-12", "10:20"),
    ("es", "12/03/2024 10:20 hs.", "2024-03-12", "10:20"),
    ("bg", "12.03.2024 14:30 ч.", "2024-03-12", "14:30"),
    ("cs", "12. 3. 2024 14:30 hod.", "2024-03-12", "14:30"),
    # Folha de S.Paulo: dots for spaces around an abbreviated month
    ("pt", "21.dez.2018 às 12h55", "2018-12-21", "12:55"),
    # Thai abbreviated months, full stops between their letters (dateparser 1.5.0
    # reads "มี.ค." and "มีค" as January): read by its own month table
    ("th", "15 มี.ค. 2567", "2024-03-15", None),
    ("th", "วันที่ 1 ธ.ค. 2566 เวลา 10:30 น.", "2023-12-01", "10:30"),
    ("th", "5 เม.ย. 2024 14:30 น.", "2024-04-05", "14:30"),
    ("th", "๑๒ มิ.ย. ๒๕๖๗", "2024-06-12", None),
    ("th", "15 มีค 2567", "2024-03-15", None),  # the table's own form, no stops
    # Words for a.m. and p.m. of other scripts, after the time or before it
    ("ar", "12 مارس 2024 الساعة 10:30 م", "2024-03-12", "22:30"),
    ("ar", "١٢/٠٣/٢٠٢٤ ١٠:٣٠ ص", "2024-03-12", "10:30"),
    ("ar", "12/03/2024 10:30 مساءً", "2024-03-12", "22:30"),
    ("ar", "12/03/2024 10:30 مباشر", "2024-03-12", "10:30"),  # a word, not "م"
    ("el", "12 Μαρτίου 2024 10:30 μμ", "2024-03-12", "22:30"),
    ("zh", "2024年3月12日 下午3:30", "2024-03-12", "15:30"),
    ("ko", "2024. 3. 12. 오후 3:30", "2024-03-12", "15:30"),
    ("ja", "2024年3月12日 午前9時5分", "2024-03-12", "09:05"),
]


@pytest.mark.parametrize(("language", "line", "date", "time"), DATE_LINES)
def test_date_line(language: str, line: str, date: str, time: str | None) -> None:
    found = headers.read_date_line(line, (language,), COMPILED)
    assert [(d.date, d.time) for d in found][:1] == [(date, time)], line


# Near misses: numbers in the shape of a date or a time that are none.
NOT_DATES = [
    ("ar", "هاتف ٠٤ ١٢٣ ٤٥٦٧"),  # a phone number in Arabic-Indic digits
    ("ar", "السعر ١٢٫٥٠ درهم"),  # a price
    ("ar", "النتيجة ٢:١"),  # a score
    ("fa", "تلفن ۰۲۱-۱۲۳۴۵۶۷۸"),
    ("hi", "संस्करण ३.१२.४"),  # a version number
    ("en", "Final score 2:1 (1:0)"),
    ("en", "ISBN 978-3-16-148410-0"),
    ("en", "Call +971 4 123 4567"),
    ("en", "Price: $12.50"),
    ("en", "Version 1.2.45"),
    ("en", "Page 3 of 12, 2024"),  # dateparser skips "of": no unit words
    ("en", "Page 3 of 12 in 2024"),
    ("de", "12.03.24"),  # two-digit years are never read
    ("de", "Stand 12.03.24 14:30"),
    ("th", "โทร. ๐๒ ๑๒๓ ๔๕๖๗"),  # a Thai phone number
    # A Thai sentence (no full stop in Thai) that mentions a date: four runs between
    # spaces, but ten words' worth of Thai letters.
    ("th", "ทั้งนี้ การประชุม กนง. ครั้งถัดไปจะมีขึ้นในวันที่ 10 เมษายน 2567"),
    ("zh", "据新华社报道，两国部长于2024年3月12日在北京举行会谈并签署了合作协议"),
    ("ja", "価格 １２，５００円"),  # a full-width price
    ("es", "Llegaron a las 10:20 h. y se fueron a las 12:00 tras la reunión del consejo."),
    # Abbreviations with full stops between letters that name no month, and a
    # sentence's end glued to the next one: never a month
    ("en", "Posted 5 U.S. 2024"),
    ("en", "Sales fell 15 Dec.The 2024 figures"),
    ("th", "ระยะทาง 15 ก.ม. 2567"),  # 15 km
    ("fr", "Le 3 av.J.-C. 2024"),
]


@pytest.mark.parametrize(("language", "line"), NOT_DATES)
def test_not_a_date(language: str, line: str) -> None:
    assert headers.read_date_line(line, (language,), COMPILED) == []
    assert headers.match_paragraph(line, "header", (language,), COMPILED) is None


def test_date_digits_keeps_every_offset() -> None:
    samples = ["١٢/٠٣/٢٠٢٤ ١٤:٣٠", "๑๒ มีนาคม ๒๕๖๗", "２０２４年３月", "x²①٣", "Room 2567"]
    for text in samples:
        ascii_text = headers.date_digits(text, COMPILED)
        assert len(ascii_text) == len(text)
        assert not any(c.isdecimal() and not c.isascii() for c in ascii_text)
    # Only decimal digits (category Nd): a superscript or a circled number stays.
    assert headers.date_digits("x²①٣", COMPILED) == "x²①3"
    # The Buddhist era only in a line of a script that counts years in it.
    assert headers.date_digits("Room 2567", COMPILED) == "Room 2567"
    assert headers.date_digits("ห้อง 2567", COMPILED) == "ห้อง 2024"
    assert headers.date_digits("ปี 2024", COMPILED) == "ปี 2024"


def test_publisher_keeps_its_digits() -> None:
    # The date is read in ASCII digits, the publisher's name as printed.
    found = headers.match_paragraph("قناة ٢٤ · ١٢/٠٣/٢٠٢٤ ١٤:٣٠", "header", ("ar",), COMPILED)
    assert found is not None
    assert (found.rule, found.source, found.date, found.time) == (
        "publisher_dateline",
        "قناة ٢٤",
        "2024-03-12",
        "14:30",
    )


def test_updated_folha_line() -> None:
    line = "21.dez.2018 às 12h55 Atualizado: 21.dez.2018 às 14h00"
    found = headers.read_date_line(line, ("pt",), COMPILED)
    assert [(d.kind, d.date, d.time) for d in found] == [
        ("plain", "2018-12-21", "12:55"),
        ("updated", "2018-12-21", "14:00"),
    ]


BODY = (
    "وقالت الوزارة في بيان إن الاجتماع تناول سبل تعزيز التعاون بين البلدين في مجالات "
    "الطاقة والنقل والتعليم، وإن الجانبين اتفقا على عقد جولة جديدة من المحادثات قريبا.\n\n"
    "وأضاف البيان أن الوفدين ناقشا أيضا الأوضاع الإقليمية وسبل دعم الاستقرار في المنطقة، "
    "مؤكدا أن العلاقات بين البلدين تشهد تطورا ملحوظا في السنوات الأخيرة على كل الأصعدة."
)


def test_whole_step_reads_and_removes_an_arabic_date_line() -> None:
    text = f"وزير الخارجية يلتقي نظيره في العاصمة\n\n١٢/٠٣/٢٠٢٤ ١٤:٣٠\n\n{BODY}"
    sidecar = {"title": None, "source": None, "date": None, "languages": ["ar"]}
    record = Record("000_0000000000000000", 0, text, declared=sidecar)
    (out,) = extract_metadata.STEP.run(record, RULES)
    assert out.date == "2024-03-12"
    assert "١٢/٠٣/٢٠٢٤" not in out.text
    assert out.text.endswith(BODY)
    assert replay(text, out.provenance) == out.text


BURMESE_BODY = (
    "နိုင်ငံနှစ်ခုရဲ့ ဝန်ကြီးများဟာ သောကြာနေ့က ရန်ကုန်မြို့မှာ တွေ့ဆုံခဲ့ကြပြီး ဒစ်ဂျစ်တယ် ကုန်သွယ်ရေးနဲ့ "
    "အချက်အလက် အခြေခံအဆောက်အအုံ ကဏ္ဍတွေမှာ ပူးပေါင်းဆောင်ရွက်မှုကို တိုးချဲ့ဖို့ သဘောတူခဲ့ကြပါတယ်။\n\n"
    "ပူးတွဲထုတ်ပြန်ချက်အရ နောက်လမှာ နောက်ထပ် ဆွေးနွေးပွဲတစ်ခု ကျင်းပမှာဖြစ်ပြီး ကုန်သွယ်ရေး "
    "သဘောတူညီချက်အသစ်ကို လက်မှတ်ရေးထိုးဖို့ မျှော်လင့်ထားကြောင်း သိရပါတယ်။"
)


def test_burmese_page_keeps_its_own_headline_and_date() -> None:
    # Burmese prose ends in "။": the body is found, and the date under the headline
    # is the article's, not the date of a related link in the rail after it.
    head = ["ဒစ်ဂျစ်တယ် ပူးပေါင်းဆောင်ရွက်မှု အသစ်", "၁၂ မတ် ၂၀၂၄"]
    rail = ["ရေနံဈေးနှုန်း ဆက်လက်ကျဆင်း", "၁၅ မတ် ၂၀၂၄", "အားကစားသတင်း အနှစ်ချုပ်", "၁၄ မတ် ၂၀၂၄"]
    text = "\n\n".join([*head, BURMESE_BODY, *rail])
    sidecar = {"title": None, "source": None, "date": None, "languages": ["my"]}
    record = Record("000_0000000000000000", 0, text, declared=sidecar)
    (out,) = extract_metadata.STEP.run(record, RULES)
    assert (out.title, out.date) == (head[0], "2024-03-12")
    assert BURMESE_BODY in out.text
    assert replay(text, out.provenance) == out.text


MERIDIEM_KEYS = {"am_after": "am", "pm_after": "pm", "am_before": "am", "pm_before": "pm"}


@pytest.mark.parametrize("key", sorted(MERIDIEM_KEYS))
def test_meridiem_words_are_dateparsers(key: str) -> None:
    """Every word for a.m. or p.m. of the rules file is one in dateparser's data."""
    import importlib
    import pkgutil

    import dateparser.data.date_translation_data as data

    known: set[str] = set()
    for module in pkgutil.iter_modules(data.__path__):
        info = importlib.import_module(f"{data.__name__}.{module.name}").info
        known.update(info.get(MERIDIEM_KEYS[key], ()))
    listed = RULES[headers.RULES_FILE]["dates"][key]
    assert set(listed) <= known


def test_a_dotted_month_is_read_only_by_the_month_table() -> None:
    # dateparser alone reads Thai "มี.ค." (March) as January.
    assert headers._dateparser_date("15 มี.ค. 2024", ("th",), True) == datetime.date(2024, 1, 15)
    assert headers.parse_date("15 มี.ค. 2024", ("th",), COMPILED) == "2024-03-15"
    # The page's language, found only when asked, decides too.
    assert headers.parse_date("15 ต.ค. 2024", (), COMPILED, lambda: ("th",)) == "2024-10-15"
    assert headers.parse_date("15 ต.ค. 2024", (), COMPILED) is None


def test_a_dotted_word_the_table_lacks_stays_unread() -> None:
    # dateparser reads "ม.ย." as June; the table holds no such abbreviation (June's is
    # "มิ.ย."), so it is no month.
    assert headers._dateparser_date("15 ม.ย. 2024", ("th",), True) == datetime.date(2024, 6, 15)
    assert headers.parse_date("15 ม.ย. 2024", ("th",), COMPILED) is None


# Bikram Sambat dates (Nepal): a year of that era in digits is no common-era year and
# cannot be converted without the era's calendar: left unread, never read decades ahead.
BIKRAM_SAMBAT_LINES = [
    "२०८१/०४/१५ गते",
    "वि.सं. २०८१-०४-१५",
    "बि.सं. 2081.04.15",
    "२०८१ साउन १५ गते ११:२०",
    "पुस १५, २०८१",
]


@pytest.mark.parametrize("line", BIKRAM_SAMBAT_LINES)
def test_bikram_sambat_year_is_unread(line: str) -> None:
    assert headers.read_date_line(line, ("ne",), COMPILED) == []
    assert headers.match_paragraph(line, "header", ("ne",), COMPILED) is None


def test_common_era_date_beside_a_bikram_sambat_one_is_read() -> None:
    # A page printing both: the common-era year, 57 years behind the other, stays.
    found = headers.read_date_line("साउन १५, २०८१ | July 30, 2024", ("ne",), COMPILED)
    assert [d.date for d in found] == ["2024-07-30"]
    # A Hindi line without a mark of the era keeps its year, and a word that merely
    # begins like a month ("पुस्तक", a book) is no mark.
    for line in ("१२ मार्च २०२४", "पुस्तक मेला | १२ मार्च २०२४"):
        assert [d.date for d in headers.read_date_line(line, ("hi",), COMPILED)] == ["2024-03-12"]
