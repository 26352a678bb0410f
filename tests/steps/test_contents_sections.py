"""A long article opens with its contents, its sections' headings each printed again
where its section starts; its last section, a heading and one paragraph before the
footer, is found again after a wall of chrome by the contents list's next entry
(resume_contents_sections). A heading with no prose under it, and a menu printed at
the page's head and foot, stay out. Made-up articles in three scripts."""

from __future__ import annotations

import pytest

from curation.record import apply_changes
from curation.rules import load_rules
from curation.steps import strip_boilerplate

RULES = load_rules()
BOILERPLATE = RULES["boilerplate"]
P = "\n\n"

# language: (menu, section headings (the last one the closing section's), a
# paragraph of prose, the wall of chrome (share buttons, tags), footer)
ARTICLES = {
    "en": (
        ["Home", "Topics", "Infrastructure", "Mobile", "Security", "Jobs"],
        ["Glossary", "Architecture", "Data model", "Ownership", "Conclusion"],
        "The framework runs each task on a worker that the team owning the task "
        "chose, retries it when it fails and keeps a record of every attempt, so "
        "that the people who wrote the task can see what went wrong and when it did.",
        ["// Tags", "Scheduling", "Queues", "// Copy link", "Link copied", "Subscribe"],
        ["About", "Careers", "Privacy", "Terms", "© 2024 Example Inc."],
    ),
    "de": (
        ["Start", "Themen", "Infrastruktur", "Mobil", "Sicherheit", "Jobs"],
        ["Begriffe", "Aufbau", "Datenmodell", "Zuständigkeit", "Fazit"],
        "Das System führt jede Aufgabe auf einem Rechner aus, den das zuständige Team "
        "gewählt hat, wiederholt sie, wenn sie scheitert, und hält jeden Versuch fest, "
        "damit die Autoren der Aufgabe sehen können, was wann schiefgegangen ist.",
        [
            "// Schlagworte",
            "Planung",
            "Warteschlangen",
            "// Link kopieren",
            "Kopiert",
            "Abonnieren",
        ],
        ["Über uns", "Karriere", "Datenschutz", "Impressum", "© 2024 Beispiel GmbH"],
    ),
    "ru": (
        ["Главная", "Темы", "Инфраструктура", "Мобильные", "Безопасность", "Вакансии"],
        ["Термины", "Архитектура", "Модель данных", "Ответственность", "Заключение"],
        "Система запускает каждую задачу на машине, которую выбрала команда, отвечающая "
        "за эту задачу, повторяет её при сбое и записывает каждую попытку, чтобы авторы "
        "задачи видели, что и когда пошло не так.",
        [
            "// Теги",
            "Планирование",
            "Очереди",
            "// Копировать ссылку",
            "Скопировано",
            "Подписаться",
        ],
        ["О нас", "Карьера", "Конфиденциальность", "Условия", "© 2024 Пример"],
    ),
    "el": (
        ["Αρχική", "Θέματα", "Υποδομή", "Κινητά", "Ασφάλεια", "Θέσεις εργασίας"],
        ["Ορολογία", "Αρχιτεκτονική", "Μοντέλο δεδομένων", "Ευθύνη", "Συμπεράσματα"],
        "Το σύστημα εκτελεί κάθε εργασία σε ένα μηχάνημα που διάλεξε η ομάδα που είναι "
        "υπεύθυνη για αυτήν, την ξαναδοκιμάζει όταν αποτυγχάνει και καταγράφει κάθε "
        "προσπάθεια, ώστε οι συντάκτες της να βλέπουν τι πήγε στραβά και πότε.",
        [
            "// Ετικέτες",
            "Προγραμματισμός",
            "Ουρές",
            "// Αντιγραφή συνδέσμου",
            "Αντιγράφηκε",
            "Εγγραφή",
        ],
        ["Σχετικά", "Καριέρα", "Απόρρητο", "Όροι", "© 2024 Παράδειγμα"],
    ),
}


def _page(language: str, closing: list[str]) -> tuple[list[str], list[str]]:
    """The page, with ``closing`` after the wall, and the article before the wall."""
    menu, headings, prose, wall, footer = ARTICLES[language]
    article = [prose, *headings]
    for heading in headings[:-1]:
        article += [heading, prose, prose]
    return [*menu, *article, *wall * 4, *closing, *footer, *menu], article


def strip(text: str, language: str) -> str:
    return apply_changes(
        text, strip_boilerplate.boilerplate_changes(text, BOILERPLATE, (language,))
    )


@pytest.mark.parametrize("language", sorted(ARTICLES))
def test_the_last_section_the_contents_name_stays(language: str) -> None:
    """ "Conclusion" and its paragraph after the wall: the article's; the wall between
    and the footer still go."""
    _, headings, prose, _, _ = ARTICLES[language]
    page, article = _page(language, [headings[-1], prose])
    assert strip(P.join(page), language) == P.join([*article, headings[-1], prose])


@pytest.mark.parametrize("language", sorted(ARTICLES))
def test_a_contents_entry_with_no_prose_under_it_goes(language: str) -> None:
    """Near-misses: the contents' entry after the wall with no prose under it, and a
    heading named by no contents list with prose under it, stay out."""
    _, headings, prose, _, _ = ARTICLES[language]
    page, article = _page(language, [headings[-1]])
    assert strip(P.join(page), language) == P.join(article)
    page, article = _page(language, [headings[-1] + "!", prose])
    assert headings[-1] + "!" not in strip(P.join(page), language)
