"""One save for one change, through the admin as an editor: a claim may cite a source added in
the same save; a refused save lists its problems at the top of the page, each linked to its
box, with the folded part that holds it open; an article is never related to itself."""

import re
import uuid

import pytest
from django.urls import reverse

from articles.models import Article, Cause, PreventionTip, Source
from articles.publishing.signoff import draft_of
from tests.admin_forms import add_row, change_form_data, change_url, inline_prefix, unrendered
from tests.factories import ArticleFactory, CauseFactory, PreventionTipFactory, SourceFactory

pytestmark = pytest.mark.django_db

NEW_SOURCE = {
    "title": "Nocturnal leg cramps",
    "publisher": "BMJ",
    "url": "https://www.bmj.com/nocturnal-leg-cramps",
    "accessed_on": "2026-11-30",
}


@pytest.fixture
def article():
    """A published article with two sources, a tip citing the first and a cause the second."""
    article = ArticleFactory(title="Cramps")
    nhs = SourceFactory(article=article, position=1, publisher="NHS", title="Leg cramps")
    mayo = SourceFactory(article=article, position=2, publisher="Mayo Clinic", title="Cramps")
    PreventionTipFactory(article=article, position=1, body="Stretch.", source_ids=[nhs.pk])
    CauseFactory(article=article, position=1, name="Tired muscles", source_ids=[mayo.pk])
    return article


def opened(client, article):
    """The change page as the editor opens it, and the POST data that saves it unchanged."""
    page = unrendered(client, change_url(article))
    return page, change_form_data(page, publish=False)


def saved_draft(article):
    return draft_of(article)


def formset_of(response, model):
    return next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is model
    )


def test_a_new_tip_cites_a_source_added_in_the_same_save(editor, article):
    page, data = opened(editor, article)
    add_row(data, page, Source, **NEW_SOURCE)  # no number given: it comes next, 3
    add_row(data, page, PreventionTip, body="Keep bedcovers loose.", backed_by="3")

    response = editor.post(change_url(article), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    draft = saved_draft(article)
    new_source = draft.sources.get(title=NEW_SOURCE["title"])
    assert new_source.position == 3
    tip = PreventionTip.objects.get(article=draft, body="Keep bedcovers loose.")
    assert tip.source_ids == [new_source.pk]


def test_a_saved_cause_cites_a_new_source_by_the_number_the_editor_gave_it(editor, article):
    page, data = opened(editor, article)
    add_row(data, page, Source, position="7", **NEW_SOURCE)
    data[f"{inline_prefix(page, Cause)}-0-backed_by"] = "2, 7"

    response = editor.post(change_url(article), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    draft = saved_draft(article)
    cause = Cause.objects.get(article=draft)
    mayo, new_source = draft.sources.get(position=2), draft.sources.get(position=7)
    assert cause.source_ids == sorted([mayo.pk, new_source.pk])
    # The saved page shows the numbers back, with what they stand for.
    shown = editor.get(change_url(article)).content.decode()
    assert 'value="2, 7"' in shown
    assert "7. BMJ: Nocturnal leg cramps" in shown


def test_a_number_neither_saved_nor_added_is_refused_and_nothing_is_saved(editor, article):
    page, data = opened(editor, article)
    add_row(data, page, Source, **NEW_SOURCE)
    add_row(data, page, PreventionTip, body="Keep bedcovers loose.", backed_by="4")

    response = editor.post(change_url(article), data)

    assert response.status_code == 200
    [error] = formset_of(response, PreventionTip).forms[1].errors["backed_by"]
    assert "no source 4" in error
    assert "numbered 1, 2, 3" in error  # the new one counts
    assert not Source.objects.filter(title=NEW_SOURCE["title"]).exists()
    assert not PreventionTip.objects.filter(body="Keep bedcovers loose.").exists()


def test_a_claim_citing_a_new_source_with_errors_saves_neither(editor, article):
    page, data = opened(editor, article)
    add_row(data, page, Source, **{**NEW_SOURCE, "url": "not an address"})
    add_row(data, page, PreventionTip, body="Keep bedcovers loose.", backed_by="3")

    response = editor.post(change_url(article), data)

    assert response.status_code == 200
    assert not Source.objects.filter(title=NEW_SOURCE["title"]).exists()
    assert not PreventionTip.objects.filter(body="Keep bedcovers loose.").exists()
    problems = [message for _, message, _ in response.context["error_summary"]]
    assert any("valid URL" in message for message in problems), problems
    assert not any("no source 3" in message for message in problems), problems


def test_a_number_a_new_source_takes_from_a_deleted_one_is_refused_as_unclear(editor, article):
    page, data = opened(editor, article)
    sources = inline_prefix(page, Source)
    data[f"{sources}-1-DELETE"] = "on"  # source 2 goes, and the new one is given 2
    add_row(data, page, Source, position="2", **NEW_SOURCE)
    add_row(data, page, PreventionTip, body="Keep bedcovers loose.", backed_by="2")

    response = editor.post(change_url(article), data)

    assert response.status_code == 200
    problems = [message for _, message, _ in response.context["error_summary"]]
    assert any("save the new numbering first" in message for message in problems), problems
    assert not Source.objects.filter(title=NEW_SOURCE["title"]).exists()


def test_an_unchanged_save_keeps_every_claims_sources(editor, article):
    _, data = opened(editor, article)

    assert editor.post(change_url(article), data).status_code == 302

    draft = saved_draft(article)
    nhs, mayo = draft.sources.get(position=1), draft.sources.get(position=2)
    assert PreventionTip.objects.get(article=draft).source_ids == [nhs.pk]
    assert Cause.objects.get(article=draft).source_ids == [mayo.pk]


def test_a_new_article_cites_the_sources_added_with_it(editor):
    url = reverse("admin:articles_article_add")
    page = unrendered(editor, url)
    data = change_form_data(page, publish=False)
    data.update(
        title="Cramps in pregnancy",
        slug="cramps-in-pregnancy",
        summary="What helps with calf cramps in pregnancy, and when to ask a midwife.",
    )
    data.update(lead="Cramps are common in pregnancy.", status="draft")
    add_row(data, page, Source, **NEW_SOURCE)
    add_row(data, page, PreventionTip, body="Stretch before bed.", backed_by="1")

    response = editor.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    draft = Article.rows.get(draft_of__slug="cramps-in-pregnancy")
    tip = PreventionTip.objects.get(article=draft)
    assert tip.source_ids == [draft.sources.get().pk]


def test_a_refused_save_lists_each_problem_at_the_top_linked_to_its_box(editor, article):
    page, data = opened(editor, article)
    tips = inline_prefix(page, PreventionTip)
    data[f"{tips}-0-backed_by"] = "9"
    data["slug"] = "Not an address!"

    response = editor.post(change_url(article), data)

    html = response.content.decode()
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert '<div class="error-summary" role="alert"' in html
    assert "There is a problem" in summary
    links = dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary))
    assert f"id_{tips}-0-backed_by" in links
    assert links[f"id_{tips}-0-backed_by"].startswith(
        "Prevention tip “Stretch.”, sources (numbers): This article has no source 9."
    )
    assert "id_slug" in links
    [part] = [
        name
        for name, options in page.context["adminform"].fieldsets
        if "slug" in options["fields"]
    ]
    assert links["id_slug"].startswith(f"{part}, Web address: Use only lower-case letters")
    for anchor in links:
        assert f'id="{anchor}"' in html
    # The summary comes before the form's first box.
    assert html.index("error-summary") < html.index('id="id_title"')


def test_a_newer_save_by_someone_else_is_told_in_full_at_the_top(editor, article):
    _, data = opened(editor, article)
    data["loaded_edit_token"] = str(uuid.uuid4())  # opened before another save

    response = editor.post(change_url(article), data)

    [(where, _, anchor)] = response.context["error_summary"]
    assert (where, anchor) == ("", "")
    summary = response.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    assert "saved this article" in summary
    assert f'href="{change_url(article)}" target="_blank"' in summary  # its link kept


def test_the_folded_part_that_holds_an_error_is_drawn_open(editor, article):
    page, data = opened(editor, article)
    tips = inline_prefix(page, PreventionTip)
    data[f"{tips}-0-backed_by"] = "9"

    html = editor.post(change_url(article), data).content.decode()

    group = html[html.index(f'id="{tips}-group"') :]
    group = group[: group.index("</fieldset>")]
    assert re.search(r"<details[^>]* open", group[: group.index("<summary")]) or (
        "<details" not in group[: group.index(f'id="{tips}-heading"')]
    )
    row = group[group.index(f'id="{tips}-0"') :]
    assert re.match(r'id="[^"]+"><details class="part" open>', row)
    # An untouched part stays folded.
    causes = inline_prefix(page, Cause)
    other = html[html.index(f'id="{causes}-group"') :]
    assert re.search(r"<details>\s*<summary>", other[: other.index(f'id="{causes}-heading"')])


def test_a_refused_sources_row_is_drawn_unfolded(editor, article):
    page, data = opened(editor, article)
    sources = inline_prefix(page, Source)
    data[f"{sources}-0-url"] = "not an address"

    html = editor.post(change_url(article), data).content.decode()

    group = html[html.index(f'id="{sources}-group"') :]
    assert "<details" not in group[: group.index(f'id="{sources}-heading"')]
    assert f'href="#id_{sources}-0-url"' in html


def test_the_related_articles_box_never_offers_the_article_itself(editor, article):
    other = ArticleFactory(title="Restless legs")
    page, data = opened(editor, article)

    offered = set(page.context["adminform"].form.fields["related_articles"].queryset)
    assert other in offered
    assert article not in offered

    data["related_articles"] = [str(article.pk)]
    response = editor.post(change_url(article), data)

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["related_articles"]
    assert "not related to itself" in error
    assert not Article.rows.filter(related_articles=article).exists()
