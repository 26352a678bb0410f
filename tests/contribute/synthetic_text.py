"""Synthetic test texts: made up here, from fixed vocabularies and seeded random choices.

Nothing in this module comes from a real article; the words are common words of
each language, strung into news-like sentences so that texts have the length and
the spread of shingles of real ones. Same arguments, same text, on every machine.
"""

from __future__ import annotations

import random

_ENGLISH_WORDS = (
    "the government minister said trade between both countries grew by a third last year "
    "while officials in the capital announced new agreements on energy transport digital "
    "networks data centres ports and railways during a visit that lasted three days and "
    "included talks with business leaders scientists students and journalists from several "
    "regions where investment in infrastructure has become a central question for local "
    "authorities who expect more jobs better services and lower prices for households"
)
ENGLISH = _ENGLISH_WORDS.split()

_GERMAN_WORDS = (
    "die regierung teilte am dienstag mit dass der handel zwischen beiden ländern im "
    "vergangenen jahr um ein drittel gewachsen sei während vertreter der wirtschaft neue "
    "abkommen über energie verkehr digitale netze rechenzentren häfen und eisenbahnen "
    "begrüßten kritiker warnen jedoch vor abhängigkeiten bei netzwerktechnik und fordern "
    "strenge prüfungen für alle beteiligten unternehmen in den betroffenen regionen"
)
GERMAN = _GERMAN_WORDS.split()

# Common Han characters; a "sentence" is a run of them ended by a full stop.
CHINESE = (
    "中国俄罗斯两国政府经济贸易合作发展数字技术网络能源交通港口铁路投资企业人民"
    "市场城市地区国家会议代表领导学生记者科学研究新闻报道年月日增长协议建设服务"
)


def sentence(rng: random.Random, words: list[str]) -> str:
    chosen = [rng.choice(words) for _ in range(rng.randint(12, 20))]
    return " ".join(chosen).capitalize() + "."


def article(seed: int, sentences: int = 14, words: list[str] = ENGLISH) -> list[str]:
    """A list of sentences; join them with spaces for a paragraph."""
    rng = random.Random(seed)
    return [sentence(rng, words) for _ in range(sentences)]


def chinese_sentence(rng: random.Random) -> str:
    return "".join(rng.choice(CHINESE) for _ in range(rng.randint(15, 30))) + "。"


def chinese_article(seed: int, sentences: int = 14) -> list[str]:
    rng = random.Random(seed)
    return [chinese_sentence(rng) for _ in range(sentences)]


def rewrite(sentences: list[str], count: int, seed: int, chinese: bool = False) -> list[str]:
    """The same article with ``count`` sentences (spread over it) replaced by new ones."""
    rng = random.Random(seed)
    changed = list(sentences)
    step = max(1, len(sentences) // max(count, 1))
    for index in range(0, step * count, step):
        changed[index] = chinese_sentence(rng) if chinese else sentence(rng, ENGLISH)
    return changed


def wrap(text: str, width: int, hyphenate: bool = False) -> str:
    """Hard-wrap at ``width`` characters, as a PDF extraction does (optionally splitting words)."""
    lines, line = [], ""
    for word in text.split(" "):
        if len(line) + len(word) + 1 > width and line:
            if hyphenate and len(word) > 6:
                lines.append(f"{line} {word[:3]}-")
                line = word[3:]
                continue
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


# Written for these tests; not from any publication. A language the seeds do not have.
GERMAN_NEWS = (
    "Berlin und Peking wollen beim Ausbau digitaler Infrastruktur enger zusammenarbeiten\n"
    "\n"
    "Die Regierungen beider Länder wollen den Bau von Rechenzentren und Glasfasernetzen\n"
    "gemeinsam voranbringen. Das teilte das Wirtschaftsministerium am Dienstag nach\n"
    "einem Treffen der zuständigen Staatssekretäre mit. Geplant sind gemeinsame Stan-\n"
    "dards für den Datenaustausch zwischen Häfen und Bahnunternehmen.\n"
    "\n"
    "Kritiker warnen vor neuen Abhängigkeiten bei Netzwerktechnik und fordern strenge\n"
    "Sicherheitsprüfungen für alle beteiligten Unternehmen. Eine Entscheidung über die\n"
    "Finanzierung soll im Herbst fallen.\n"
)

UKRAINIAN_NEWS = (
    "Київ і Варшава домовилися про спільне будівництво центрів обробки даних\n"
    "\n"
    "Уряди обох країн планують разом розвивати оптоволоконні мережі та цифрові\n"
    "сервіси для прикордонних регіонів. Про це повідомило міністерство економіки\n"
    "після зустрічі заступників міністрів у вівторок. Рішення щодо фінансування\n"
    "очікують восени, а перші проєкти можуть стартувати вже наступного року.\n"
)
