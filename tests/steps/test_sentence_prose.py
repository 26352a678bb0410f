"""In scripts without spaces, a long paragraph (wider than length_high) that ends with a
full stop is prose even
with few function characters (official news in Chinese is written in nouns), while
menus and headline lists, which end no sentence, stay chrome; in scripts with spaces
the stopword density alone still decides."""

from __future__ import annotations

import pytest

from curation.record import apply_changes
from curation.rules import load_rules
from curation.steps import strip_boilerplate
from curation.steps.classify_paragraphs import (
    BAD,
    FEW_STOPWORDS,
    NEAR_GOOD,
    SENTENCE,
    classifier_rules,
    classify,
)

RULES = load_rules()
BOILERPLATE = RULES["boilerplate"]
CLASSIFIER = classifier_rules(BOILERPLATE)
P = "\n\n"

# Paragraphs of nouns, as news agencies write them: below function_characters_low.
# (Japanese writes its particles in kana, which are function characters: its prose
# measures well above the threshold anyway.)
NOUN_PROSE = {
    "zh": "新华社北京11月17日电 记者17日从国家卫生健康委获悉，近阶段，相关部门持续依托"
    "短缺药品供应保障工作会商联动机制，深入优化短缺药品实时监测预警与分级应对体系，"
    "全力保障人民群众临床用药需求，国家医保局、工业和信息化部同步部署短缺药品生产供应"
    "监测。",
    "zh-Hant": "中央社台北3月14日電 行政院院會通過國家重點產業發展綱要草案，涵蓋半導體、"
    "人工智慧、綠能科技、生技醫藥四大關鍵領域長期規劃，預計2030年總投資規模新台幣一兆元，"
    "行政院長並指示經濟部、國科會、環境部、衛福部各部會加速推動相關法規修正與預算編列。",
}
# The same nouns, as a headline or a list of names: no full stop.
NOUN_HEADLINES = {
    "zh": "短缺药品保供稳价 全力保障临床用药需求 国家卫生健康委 工业和信息化部 国家医保局 联合部署",
    "zh-Hant": "行政院通過國家重點產業發展綱要 半導體 人工智慧 綠能科技 生技醫藥 中長期規劃",
}


def base(language: str) -> str:
    return language.split("-")[0]


@pytest.mark.parametrize("language", sorted(NOUN_PROSE))
def test_long_sentence_of_nouns_is_neargood(language: str) -> None:
    (verdict,) = classify([NOUN_PROSE[language]], base(language), CLASSIFIER)
    assert verdict.features.width > CLASSIFIER.length_high
    assert verdict.features.stopword_density is not None
    assert verdict.features.stopword_density < CLASSIFIER.function_low
    assert (verdict.initial, verdict.reason) == (NEAR_GOOD, SENTENCE)


@pytest.mark.parametrize("language", sorted(NOUN_PROSE))
def test_shorter_sentence_of_nouns_is_left_to_the_density(language: str) -> None:
    """Near-miss: a sentence of nouns narrower than length_high is too short to be
    judged by its full stop (a caption, a teaser)."""
    first_sentence = NOUN_PROSE[language].split("，")[0] + "。"
    (verdict,) = classify([first_sentence], base(language), CLASSIFIER)
    assert verdict.features.width < CLASSIFIER.length_high
    assert verdict.reason != SENTENCE


@pytest.mark.parametrize("language", sorted(NOUN_HEADLINES))
def test_headline_list_of_nouns_stays_chrome(language: str) -> None:
    """Near-miss: the same nouns without a full stop are a headline or a list of names."""
    (verdict,) = classify([NOUN_HEADLINES[language]], base(language), CLASSIFIER)
    assert (verdict.initial, verdict.reason) == (BAD, FEW_STOPWORDS)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Omicron Sigma "
            "Tau Upsilon Phi Chi Psi Omega.",
        ),
        (
            "ru",
            "Москва Петербург Новосибирск Екатеринбург Казань Челябинск Омск Самара Уфа "
            "Ростов Красноярск Пермь.",
        ),
        (
            "ar",
            "القاهرة الإسكندرية الجيزة الأقصر أسوان بورسعيد السويس دمياط المنصورة طنطا "
            "الزقازيق الفيوم.",
        ),
    ],
)
def test_scripts_with_spaces_are_judged_by_stopwords(language: str, text: str) -> None:
    """Near-miss: a list of names ending with a full stop in a script with spaces
    is still few_stopwords; the full stop spares only scripts without spaces."""
    (verdict,) = classify([text], language, CLASSIFIER)
    assert (verdict.initial, verdict.reason) == (BAD, FEW_STOPWORDS)


def test_agency_article_in_nouns_keeps_its_lead() -> None:
    """A page of an agency's article in nouns: its lead stays, the chrome goes."""
    menus = ["首页 | 新闻 | 财经", "体育 | 文化 | 科技", "首页 › 国际"] * 4
    article = [
        NOUN_PROSE["zh"],
        "据了解，短缺药品信息监测共享正在多维度推进。国家卫生健康委依托全国公立医疗卫生"
        "机构短缺药品信息直报系统开展短缺药品监测预警与分级应对。工业和信息化部对临床必需"
        "易短缺药品的生产供应情况开展动态监测与分析预警。",
        "同时，多环节发挥短缺药品清单抓手作用。国家医保局密切监测国家短缺药品清单和临床"
        "必需易短缺药品重点监测清单内药品的挂网采购情况，推动各地按规定及时挂网，"
        "并指导各地医疗机构合理储备和使用短缺药品、及时上报短缺信息。",
    ]
    text = P.join([*menus, *article, *menus])
    changes = strip_boilerplate.boilerplate_changes(text, BOILERPLATE, ("zh",))
    assert apply_changes(text, changes) == P.join(article)
