"""The interface's own words in the reader's language: the Russian catalogue
(locale/ru/LC_MESSAGES) is whole, compiled and holds every word the templates and Python
mark for translation; Russian pages speak Russian around the articles' own text, with
Russian plurals, numbers and dates; English pages are unchanged."""

import ast
import datetime
import gettext
import html
import io
import re
import tokenize
from dataclasses import dataclass
from functools import cache
from itertools import takewhile
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.html import strip_tags
from django.utils.translation.template import templatize

from tests.constants import SEED_SLUG

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "ru" / "LC_MESSAGES"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
PYTHON = Path(settings.BASE_DIR) / "articles"
PLACEHOLDER = re.compile(r"%\(\w+\)s")
TAG = re.compile(r"<[^>]*>")
# The translation functions, each with the position of its message context (None: none).
CONTEXT_AT = {
    "_": None, "gettext": None, "gettext_lazy": None, "ngettext": None, "ngettext_lazy": None,
    "pgettext": 0, "pgettext_lazy": 0, "npgettext": 0, "npgettext_lazy": 0,
}  # fmt: skip


@dataclass(frozen=True)
class Entry:
    context: str | None
    msgid: str
    msgid_plural: str | None
    forms: tuple[str, ...]  # one msgstr, or one for each plural form

    @property
    def key(self):
        return self.context, self.msgid


@cache
def po_text():
    return (CATALOGUE / "django.po").read_text(encoding="utf-8")


@cache
def catalogue():
    """The .po's entries, its header left out (C escapes read as Python's)."""
    entries = []
    for block in po_text().strip().split("\n\n"):
        fields, name = {}, None
        for line in block.splitlines():
            if line.startswith('"'):
                fields[name] += ast.literal_eval(line)
            elif not line.startswith("#"):
                name, _, quoted = line.partition(" ")
                fields[name] = ast.literal_eval(quoted)
        if fields.get("msgid"):
            forms = [text for name, text in fields.items() if name.startswith("msgstr")]
            context, plural = fields.get("msgctxt"), fields.get("msgid_plural")
            entries.append(Entry(context, fields["msgid"], plural, tuple(forms)))
    return entries


def marked(name, args):
    """The (context, msgid) of a call to translation function `name` with these arguments."""
    at = CONTEXT_AT[name]
    return (None, args[0]) if at is None else (args[at], args[at + 1])


def marked_in_template(path):
    """What a template marks for translation: templatize turns it into the calls that
    makemessages reads, one call to a line, the rest blanked out."""
    source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for line in source.splitlines():
        tokens = list(tokenize.generate_tokens(io.StringIO(line.strip()).readline))
        for at, token in enumerate(tokens[:-1]):
            if token.string in CONTEXT_AT and tokens[at + 1].string == "(":
                call = takewhile(lambda one: one.string != ")", tokens[at + 2 :])
                args = [
                    ast.literal_eval(one.string) for one in call if one.type == tokenize.STRING
                ]
                yield marked(token.string, args)


def marked_in_python(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in CONTEXT_AT:
            args = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
            if args and isinstance(args[0], str):
                yield marked(node.func.id, args)


def reader_templates():
    return [path for path in TEMPLATES.rglob("*.html") if "admin" not in path.parts]


def test_every_entry_of_the_russian_catalogue_is_translated_keeping_its_placeholders():
    entries = catalogue()
    plural_forms = int(re.search(r"nplurals=(\d+)", po_text())[1])

    assert entries
    assert not re.search(r"^#,.*\bfuzzy\b", po_text(), re.MULTILINE)
    for entry in entries:
        assert all(form.strip() for form in entry.forms), entry.msgid
        english = entry.msgid_plural or entry.msgid
        if entry.msgid_plural:
            assert len(entry.forms) == plural_forms, entry.msgid
        for form in entry.forms:
            # The numbers and services (settings, as placeholders) and links stay, whole.
            assert set(PLACEHOLDER.findall(form)) == set(PLACEHOLDER.findall(english)), form
            assert sorted(TAG.findall(form)) == sorted(TAG.findall(english)), form


def test_the_compiled_catalogue_is_the_catalogue_as_written():
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        # What Python's gettext (and so Django) reads: {msgid or (msgid, form): msgstr},
        # a context written before its msgid with \x04.
        read = gettext.GNUTranslations(compiled)._catalog
    written = {}
    for entry in catalogue():
        msgid = f"{entry.context}\x04{entry.msgid}" if entry.context else entry.msgid
        if entry.msgid_plural:
            written.update({(msgid, n): form for n, form in enumerate(entry.forms)})
        else:
            written[msgid] = entry.forms[0]

    # A translation changed or added without `make messages` after it fails here.
    assert {key: text for key, text in read.items() if key != ""} == written


def test_every_word_marked_for_translation_is_in_the_catalogue():
    found = {(key, path.name) for path in reader_templates() for key in marked_in_template(path)}
    found |= {
        (key, path.name)
        for path in PYTHON.rglob("*.py")
        if "migrations" not in path.parts
        for key in marked_in_python(path)
    }
    known = {entry.key for entry in catalogue()}

    assert {"base.html", "care_card_call.html", "views.py", "guard.py"} <= {
        name for _, name in found
    }
    assert sorted((name, key) for key, name in found if key not in known) == []


def test_russian_counts_numbers_and_dates_take_russian_forms():
    day = datetime.date(2026, 12, 7)
    with translation.override("ru"):
        counts = [
            translation.ngettext(
                "Show the %(counter)s everyday cause", "Show the %(counter)s everyday causes", n
            )
            % {"counter": n}
            for n in (1, 3, 5, 21)
        ]
        assert counts == [
            "Показать 1 повседневную причину",
            "Показать 3 повседневные причины",
            "Показать 5 повседневных причин",
            "Показать 21 повседневную причину",
        ]
        assert number_format(1000, force_grouping=True) == "1\xa0000"
        assert date_format(day, "j E Y") == "7 декабря 2026"
    with translation.override("en-gb"):
        assert number_format(1000, force_grouping=True) == "1,000"
        assert date_format(day, "j E Y") == "7 December 2026"


def english_phrases():
    """The catalogue's English, in the pieces between its placeholders that hold two words
    or more (single words such as "Yes" may be anyone's)."""
    for entry in catalogue():
        for english in filter(None, (entry.msgid, entry.msgid_plural)):
            for piece in PLACEHOLDER.split(strip_tags(english)):
                piece = " ".join(html.unescape(piece).split())
                if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 2:
                    yield piece


def english_left(body):
    """The interface's English phrases on a page: in its text or its attributes (not the
    structured data, whose words are not the interface's)."""
    body = re.sub(r"<script.*?</script>", "", body, flags=re.DOTALL)
    words = " ".join([strip_tags(body), *re.findall(r'="([^"]*)"', body)])
    text = " ".join(html.unescape(words).split())
    return sorted(
        {one for one in english_phrases() if re.search(rf"(?<!\w){re.escape(one)}(?!\w)", text)}
    )


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.mark.django_db
def test_a_russian_article_and_the_pages_around_it_speak_russian(client, translations):
    russian = next(one for one in translations if one.slug == SEED_SLUG)
    url = russian.get_absolute_url()

    body = page(client, url)
    assert '<html lang="ru">' in body
    assert '<meta property="og:locale" content="ru_RU">' in body
    for words in [
        "Перейти к основному содержанию", "Поиск по сайту", ">Найти</button>",
        "Дневник судорог для печати", "даёт общую информацию", "Распечатайте эти шаги",
        "Эта страница была полезной?",
        'Немедленно звоните <a href="tel:999">999</a> или поезжайте в отделение неотложной '
        "помощи (A&amp;E).",
        "Попросите срочный приём",
        'врача общей практики (GP) или позвоните в NHS 111 по номеру <a href="tel:111">111</a>.',
        "(проверено 7 декабря 2026)",
    ]:  # fmt: skip
        assert words in body
    assert "Декабрь" not in body
    assert english_left(body) == []

    form = page(client, f"{url}feedback/")
    assert "больше 1\xa0000 символов." in form
    results = page(client, f"/ru/search/?q={'судороги'}")
    assert re.search(r"\d+ результат\w* по запросу «судороги»", results)
    for other in (form, results, page(client, f"{url}bedside-card/"), page(client, "/ru/")):
        assert english_left(other) == []


@pytest.mark.django_db
def test_the_russian_search_diary_and_missing_pages_speak_russian(client):
    search = page(client, "/ru/search/?q=судорога")
    assert "<h1>Поиск</h1>" in search
    assert 'placeholder="Например: судорога ночью"' in search
    assert "По запросу «судорога» ничего не найдено." in search
    missing = page(client, "/ru/no-such-page/", status=404)
    assert '<html lang="ru">' in missing and "<h1>Страница не найдена</h1>" in missing
    diary = page(client, "/ru/diary/")
    assert "<h1>Дневник судорог</h1>" in diary

    for body in (search, missing, diary):
        assert english_left(body) == []


@pytest.mark.django_db
def test_english_pages_keep_their_english_words(client, seed_article):
    body = page(client, seed_article.get_absolute_url())

    assert '<html lang="en-GB">' in body
    assert '<meta property="og:locale" content="en_GB">' in body
    for words in [
        "Skip to main content", ">Search</button>", "Is this page useful?",
        'Call <a href="tel:999">999</a> now or go to A&amp;E.',
        "(checked 7 December 2026)",
    ]:  # fmt: skip
        assert words in body
    text = strip_tags(re.sub(r"<script.*?</script>", "", body, flags=re.DOTALL))
    assert not re.search(r"[\u0400-\u04ff]", text)  # Cyrillic
