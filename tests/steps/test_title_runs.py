"""A run of short lines with no sentence end right before the article's text is a list
of links (teasers' headlines, a share bar), not headings of that text: jusText's
heading rule ("a short paragraph close before good text") has HTML's <h1>-<h6> to know
a heading, plain text has only the shape, and a heading heads one paragraph. Near
misses that stay: a subheading, a kicker over a subheading, the article's bulleted
or numbered lists."""

from __future__ import annotations

import pytest

from curation.record import apply_changes
from curation.rules import load_rules
from curation.steps import strip_boilerplate

BOILERPLATE = load_rules()["boilerplate"]
P = "\n\n"


def strip(text: str, languages: tuple[str, ...]) -> str:
    return apply_changes(text, strip_boilerplate.boilerplate_changes(text, BOILERPLATE, languages))


# Per language: a menu, the article's paragraphs (long prose), five teasers' headlines
# of a related box (under a share bar), a subheading, a footer.
PAGES = {
    "en": (
        ["Home", "World", "Business", "Sport", "Culture", "Sign In", "Newsletters"],
        [
            "The city council voted on Tuesday to build three hundred new flats along the "
            "river, after two years of talks with the owners of the land and with the "
            "people who live in the houses that stand there now.",
            "The council said that the first of the buildings would be ready in the spring "
            "of next year, and that the rents would be lower than those of the flats that "
            "private firms have built in the same part of the city in the last ten years.",
            "Some of the people who live there said that they had not been asked about the "
            "plan, and that they would go to court if the council did not listen to them "
            "before the work on the first of the buildings begins in the autumn.",
        ],
        [
            "More from our partners",
            "Ten cheap ideas for your garden",
            "How to paint a small kitchen",
            "Seven tips for moving house",
            "Why rents keep rising",
        ],
        "What happens next",
        ["About Us", "Contact", "Privacy Policy", "Terms of Use", "Advertise", "Careers"],
    ),
    "es": (
        ["Inicio", "Mundo", "Economía", "Deportes", "Cultura", "Entrar", "Boletines"],
        [
            "El ayuntamiento aprobó el martes la construcción de trescientos pisos nuevos a "
            "lo largo del río, después de dos años de negociaciones con los dueños de los "
            "terrenos y con los vecinos que viven en las casas que hay allí.",
            "El ayuntamiento dijo que el primero de los edificios estará listo en la "
            "primavera del año que viene, y que los alquileres serán más bajos que los de "
            "los pisos que las empresas han construido en la misma zona de la ciudad.",
            "Algunos de los vecinos dijeron que no se les había preguntado por el plan, y "
            "que irán a los tribunales si el ayuntamiento no los escucha antes de que "
            "empiecen las obras del primero de los edificios en el otoño.",
        ],
        [
            "Más de nuestros socios",
            "Diez ideas baratas para tu jardín",
            "Cómo pintar una cocina pequeña",
            "Siete consejos para mudarse de casa",
            "Por qué siguen subiendo los alquileres",
        ],
        "Lo que viene ahora",
        ["Quiénes somos", "Contacto", "Privacidad", "Aviso legal", "Publicidad", "Empleo"],
    ),
    "ru": (
        ["Главная", "Мир", "Экономика", "Спорт", "Культура", "Войти", "Рассылки"],
        [
            "Городской совет во вторник проголосовал за строительство трёхсот новых квартир "
            "вдоль реки, после двух лет переговоров с владельцами земли и с людьми, которые "
            "живут в домах, что стоят там сейчас. Это было самое большое решение совета за "
            "последние годы, и за него проголосовали почти все его члены.",
            "В совете сказали, что первый из домов будет готов весной следующего года, и что "
            "плата за квартиры будет ниже, чем в тех домах, которые частные фирмы построили "
            "в этой же части города за последние десять лет.",
            "Некоторые из жителей сказали, что их не спросили о плане, и что они пойдут в "
            "суд, если совет не выслушает их до того, как осенью начнётся работа на первом "
            "из домов.",
        ],
        [
            "Ещё от наших партнёров",
            "Десять дешёвых идей для сада",
            "Как покрасить маленькую кухню",
            "Семь советов для переезда",
            "Почему аренда всё дорожает",
        ],
        "Что будет дальше",
        ["О нас", "Контакты", "Конфиденциальность", "Условия", "Реклама", "Вакансии"],
    ),
    "ko": (
        [
            "홈 | 세계 | 경제",
            "스포츠 | 문화 | 여행",
            "로그인 | 뉴스레터 | 구독",
            "정치 | 사회 | 과학",
        ],
        [
            "시 의회는 화요일에 강을 따라 새 아파트 삼백 채를 짓기로 의결했다. 이는 땅 주인들과 "
            "그리고 지금 그곳의 집에 사는 주민들과 이 년 동안 협상을 한 뒤의 일이다. 이것은 최근 "
            "몇 년 동안 의회가 내린 가장 큰 결정이었고 거의 모든 의원이 찬성했다.",
            "의회는 첫 번째 건물이 내년 봄에 완공될 것이며 임대료는 지난 십 년 동안 같은 지역에 "
            "민간 회사들이 지은 아파트의 임대료보다 낮을 것이라고 말했다. 의회는 또한 그 아파트의 "
            "절반은 젊은 가족들에게 먼저 돌아갈 것이라고 덧붙였다.",
            "그곳에 사는 일부 주민들은 이 계획에 대해 질문을 받은 적이 없다고 말했으며 가을에 첫 "
            "번째 건물의 공사가 시작되기 전에 의회가 그들의 말을 듣지 않으면 소송을 내겠다고 했다.",
        ],
        [
            "기사 보내기",
            "페이스북 공유",
            "트위터 공유",
            "카카오톡 공유",
            "뉴스 듣기",
        ],
        "앞으로의 일정",
        [
            "회사 소개 | 연락처 | 제보",
            "개인정보 처리방침 | 이용 약관 | 저작권",
            "광고 안내 | 채용 정보 | 고객 센터",
            "사이트맵 | 공지 사항 | 도움말",
        ],
    ),
}


SHARE = "Facebook | Twitter | WhatsApp | E-mail"


def page(language: str, middle: list[str]) -> str:
    menu, prose, _, subheading, footer = PAGES[language]
    return P.join([*menu, prose[0], SHARE, *middle, prose[1], subheading, prose[2], *footer])


@pytest.mark.parametrize("language", sorted(PAGES))
def test_a_run_of_title_lines_before_the_text_is_no_heading(language: str) -> None:
    _, prose, titles, subheading, _ = PAGES[language]
    kept = strip(page(language, titles), (language,)).split(P)
    # The last, right before the text, is taken for its heading by the second pass
    # (a line bad by its context alone right before good text), as before.
    for line in titles[:-1]:
        assert line not in kept
    for paragraph in [*prose, subheading]:
        assert paragraph in kept


@pytest.mark.parametrize("language", sorted(PAGES))
def test_a_heading_and_a_kicker_stay(language: str) -> None:
    _, prose, titles, subheading, _ = PAGES[language]
    kept = strip(page(language, titles[-2:]), (language,)).split(P)
    for paragraph in [*prose, subheading, *titles[-2:]]:
        assert paragraph in kept


@pytest.mark.parametrize("language", sorted(PAGES))
@pytest.mark.parametrize("marks", [["* "] * 5, ["• "] * 5, ["1. ", "2. ", "3. ", "4. ", "5. "]])
def test_the_articles_bulleted_or_numbered_list_stays(language: str, marks: list[str]) -> None:
    _, prose, titles, subheading, _ = PAGES[language]
    items = [mark + title for mark, title in zip(marks, titles, strict=True)]
    kept = strip(page(language, items), (language,)).split(P)
    for paragraph in [*prose, subheading, *items]:
        assert paragraph in kept
