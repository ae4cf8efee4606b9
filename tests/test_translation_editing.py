"""Editing a translation in the admin: what changed in its source since the version it was
made from, the two side by side, the editors' list of translations to do, the article
list's filter, and a reading age that is not given in a language its formula does not fit.
On both databases."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.editing.checks import page_problems
from articles.editing.writing import notes_html
from articles.models import Article, Publication, Section
from articles.publishing.drafts import Snapshot, open_draft
from articles.publishing.publish import go_live, lock, record_launch
from articles.publishing.translations import start_translation
from articles.times import day
from tests.accounts import signed_in
from tests.admin_forms import unrendered
from tests.factories import ArticleFactory, SectionFactory
from tests.pages import page_text
from tests.test_editions import catch_up, translate

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")
LIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def english():
    article = ArticleFactory(title="Calf cramps at night", slug="calf-cramps")
    SectionFactory(article=article, position=1, heading="What helps", body="Stretch your calf.")
    SectionFactory(
        article=article, position=2, heading="When to get help", body="See a GP if it recurs."
    )
    record_launch(article)
    return article


def publish(page, change):
    """`change` made to the page's draft, approved and given to readers by the one publish
    step."""
    draft = open_draft(page)
    change(draft)
    with transaction.atomic():
        go_live(lock(page), Publication(article=page), snapshot=Snapshot.of_rows(draft))


def rewrite(heading, body):
    """A change to a draft: the section with `heading` says `body`."""
    return lambda draft: draft.sections.filter(heading=heading).update(body=body)


def source_changes(page):
    return reverse("admin:articles_article_source_changes", args=[page.pk])


def side_by_side(page):
    return reverse("admin:articles_article_side_by_side", args=[page.pk])


def translations_to_do(client):
    """The home page's "Translations to do", as text and as HTML."""
    body = client.get(HOME).content.decode()
    section = re.search(
        r'<section[^>]*aria-labelledby="work-translations".*?</section>', body, re.S
    )
    return section[0]


def test_the_translators_diff_shows_what_the_source_changed_since_the_pin_and_nothing_else(
    editor, english
):
    russian = translate(english)
    assert "Nothing to carry over" in page_text(editor.get(source_changes(russian)))

    publish(english, rewrite("What helps", "Stretch your calf and hold it for a minute."))
    # Changes readers of the English page do not have yet are not the translator's.
    rewrite("When to get help", "Unapproved words.")(open_draft(english))
    body = editor.get(source_changes(russian)).content.decode()

    diff = body[body.index('<div class="version-diff">') :]
    assert "What helps" in diff
    assert "<ins>" in diff and "hold it for a minute." in diff
    assert "When to get help" not in diff and "Unapproved words" not in diff
    assert 'lang="en-GB"' in body


def test_side_by_side_shows_each_part_next_to_its_translation_in_its_language(editor, english):
    russian = start_translation(english, "ru", editor.user)
    draft = open_draft(russian)
    draft.sections.filter(heading="What helps").update(
        heading="Что помогает", body="Растяните икру."
    )
    Section.objects.create(article=draft, position=3, heading="Только по-русски", body="Текст.")

    body = editor.get(side_by_side(russian)).content.decode()

    rows = re.findall(
        r"<tr>\s*<th scope=\"row\">(.*?)</th>\s*<td (.*?)</td>\s*<td (.*?)</td>", body, re.S
    )
    cells = [(label, source, translation) for label, source, translation in rows]
    assert ("Heading", 'lang="en-GB">What helps', 'lang="ru">Что помогает') in cells
    assert (
        "Body",
        'lang="en-GB"><p>Stretch your calf.</p>',
        'lang="ru"><p>Растяните икру.</p>',
    ) in cells
    assert "(only in the translation)" in body and "Только по-русски" in body
    assert "the unpublished changes" in body


def test_a_translation_behind_its_source_is_on_the_home_page_until_its_catch_up_is_signed_off(
    editor, english
):
    russian = translate(english)
    assert "Ночные судороги в икрах" not in translations_to_do(editor)

    publish(english, rewrite("What helps", "Stretch and hold."))
    listed = translations_to_do(editor)

    assert "Ночные судороги в икрах" in listed
    assert f'href="{source_changes(russian)}"' in listed
    newest = Publication.objects.filter(article=english).newest()
    assert f"changed on {day(timezone.localtime(newest.went_live_at))}" in listed

    catch_up(russian)
    assert "Ночные судороги в икрах" not in translations_to_do(editor)


def test_a_live_article_missing_a_language_is_listed_with_the_translate_tool(editor, english):
    ArticleFactory(title="Notes nobody reads yet", status=Article.Status.DRAFT, publish_at=None)

    listed = translations_to_do(editor)

    translate_url = reverse("admin:articles_article_translate", args=[english.pk])
    assert "Calf cramps at night" in listed and f'href="{translate_url}"' in listed
    assert '<span lang="ru">Русский</span> edition yet' in listed
    assert "Notes nobody reads yet" not in listed
    translate(english)
    assert "Calf cramps at night" not in translations_to_do(editor)


def test_the_article_list_filters_translations_behind_and_articles_missing_a_language(
    editor, english
):
    russian = translate(english)
    other = ArticleFactory(title="Restless legs")
    record_launch(other)
    publish(english, rewrite("What helps", "Stretch and hold."))

    behind = page_text(editor.get(LIST, {"translation": "stale"}))
    missing = page_text(editor.get(LIST, {"translation": "missing"}))

    assert russian.title in behind and "Русский" in behind
    assert "Restless legs" not in behind and "Calf cramps at night" not in behind
    assert "Restless legs" in missing
    assert "Calf cramps at night" not in missing and russian.title not in missing


def test_the_change_page_of_a_translation_behind_links_to_what_changed_and_side_by_side(
    editor, english
):
    russian = translate(english)
    change = reverse("admin:articles_article_change", args=[russian.pk])
    assert unrendered(editor, change).context["translation"].news is None

    publish(english, rewrite("What helps", "Stretch and hold."))
    body = editor.get(change).content.decode()

    # The Translation fieldset, from its caught-up box's help to the end of the page.
    fieldset = body[max(0, body.index("This translation now says") - 2000) :]
    assert f'href="{source_changes(russian)}"' in fieldset
    assert f'href="{side_by_side(russian)}"' in body


def test_reading_age_is_not_measured_in_russian(english):
    russian = translate(english, lead="Растяните икру и держите её минуту. " * 10)

    problems = page_problems(russian.pk)

    assert any("Reading age cannot be measured in Russian" in p for p in problems)
    assert not any("Reading age" in p for p in page_problems(english.pk))
    # Nor under a box's preview: no English figure for Russian text.
    notes = notes_html(russian.lead)
    assert "Reading age about" not in notes and "not in English" in notes
    assert "Reading age about" in notes_html("Stretch your calf and hold it for a minute. " * 3)


def test_the_translation_pages_answer_only_those_who_may_change_the_article(
    client, editor, english, django_user_model
):
    russian = translate(english)
    users = django_user_model.objects
    staff = signed_in(users.create_user("staff", password="x" * 20, is_staff=True))
    viewer = users.create_user("viewer", password="x" * 20, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    viewer = signed_in(viewer)

    for url in (source_changes(russian), side_by_side(russian)):
        assert client.get(url)["Location"].startswith(reverse("admin:login"))
        assert staff.get(url).status_code == 403
        assert viewer.get(url).status_code == 403
        assert editor.get(url).status_code == 200
        assert editor.post(url).status_code == 405
    for url in (source_changes(english), side_by_side(english)):
        assert editor.get(url).status_code == 404  # no translation
