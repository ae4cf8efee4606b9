import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article, PreventionTip, Section
from tests.admin_forms import change_form_data, inline_prefix, unrendered

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_changelist_and_add_page_opens(admin_client, admin_user, model, seed_article):
    from django.test import RequestFactory

    opts = model._meta
    request = RequestFactory().get("/")
    request.user = admin_user
    # Some admins (django-axes' logs) are read-only by design.
    can_add = admin.site._registry[model].has_add_permission(request)
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")

    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(add).status_code == (200 if can_add else 403)


def test_article_changelist_searches_section_text(admin_client, seed_article):
    url = reverse("admin:articles_article_changelist")

    found = admin_client.get(url, {"q": "idiopathic"})
    missing = admin_client.get(url, {"q": "no-such-word-anywhere"})

    assert seed_article.title in found.content.decode()
    assert seed_article.title not in missing.content.decode()


def test_article_change_page_holds_every_part_with_the_markdown_editor(admin_client, seed_article):
    response = admin_client.get(change_url(seed_article))
    body = response.content.decode()

    assert response.status_code == 200
    inlines = {inline.formset.model._meta.model_name for inline in
               response.context["inline_admin_formsets"]}  # fmt: skip
    assert inlines == {
        "section", "cause", "relieftechnique", "preventiontip", "callout", "source",
    }  # fmt: skip
    assert "markdownx-editor" in body
    assert "markdownx-preview" in body
    assert "View on site" in body


def test_staff_edit_of_a_section_shows_on_the_public_page(admin_client, client, seed_article):
    page = unrendered(admin_client, change_url(seed_article))
    data = change_form_data(page)
    prefix = inline_prefix(page, Section)
    data[f"{prefix}-0-body"] = "Freshly edited by an editor."

    response = admin_client.post(change_url(seed_article), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    public = client.get(seed_article.get_absolute_url()).content.decode()
    assert "Freshly edited by an editor." in public


@pytest.mark.database
def test_swapping_two_positions_saves_in_one_go(admin_client, client, seed_article):
    page = unrendered(admin_client, change_url(seed_article))
    data = change_form_data(page)
    prefix = inline_prefix(page, PreventionTip)
    first, second = seed_article.prevention_tips.values_list("body", flat=True)[:2]
    data[f"{prefix}-0-position"], data[f"{prefix}-1-position"] = 2, 1

    response = admin_client.post(change_url(seed_article), data)

    assert response.status_code == 302
    tips = list(seed_article.prevention_tips.values_list("body", flat=True)[:2])
    assert tips == [second, first]


@pytest.mark.database
def test_deleting_a_row_frees_its_position_for_another(admin_client, seed_article):
    page = unrendered(admin_client, change_url(seed_article))
    data = change_form_data(page)
    prefix = inline_prefix(page, PreventionTip)
    tips_before = seed_article.prevention_tips.count()
    data[f"{prefix}-0-DELETE"] = "on"
    data[f"{prefix}-1-position"] = 1

    response = admin_client.post(change_url(seed_article), data)

    assert response.status_code == 302
    assert seed_article.prevention_tips.count() == tips_before - 1
    assert seed_article.prevention_tips.first().position == 1


@pytest.mark.database
def test_two_rows_with_one_position_get_a_form_error_and_nothing_is_saved(
    admin_client, seed_article
):
    page = unrendered(admin_client, change_url(seed_article))
    data = change_form_data(page)
    prefix = inline_prefix(page, Section)
    data[f"{prefix}-1-position"] = data[f"{prefix}-0-position"]
    data["title"] = "A changed title that must not be saved"

    response = admin_client.post(change_url(seed_article), data)

    assert response.status_code == 200
    assert "is already used by another row" in response.content.decode()
    seed_article.refresh_from_db()
    assert seed_article.title != "A changed title that must not be saved"


@pytest.mark.database
def test_a_new_row_may_take_a_position_an_existing_row_gives_up(admin_client, seed_article):
    page = unrendered(admin_client, change_url(seed_article))
    data = change_form_data(page)
    prefix = inline_prefix(page, PreventionTip)
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-0-position"] = 50
    data[f"{prefix}-{total}-position"] = 1
    data[f"{prefix}-{total}-body"] = "A new first tip."
    data[f"{prefix}-TOTAL_FORMS"] = total + 1

    response = admin_client.post(change_url(seed_article), data)

    assert response.status_code == 302
    assert seed_article.prevention_tips.first().body == "A new first tip."


INLINE_PREFIXES = [
    "sections", "causes", "relief_techniques", "prevention_tips", "callouts", "sources",
]  # fmt: skip


def test_a_new_row_without_a_position_goes_at_the_end(admin_client, client, seed_article):
    page = unrendered(admin_client, change_url(seed_article))
    data = change_form_data(page)
    prefix = inline_prefix(page, Section)
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for row in (total, total + 1):
        data[f"{prefix}-{row}-heading"] = f"Added row {row}"
        data[f"{prefix}-{row}-position"] = ""
    data[f"{prefix}-TOTAL_FORMS"] = total + 2

    response = admin_client.post(change_url(seed_article), data)

    assert response.status_code == 302
    added = list(seed_article.sections.values_list("heading", "position"))[-2:]
    assert added == [(f"Added row {total}", total + 1), (f"Added row {total + 1}", total + 2)]


def test_a_blank_body_is_reported_on_its_own_field_not_as_a_position_error(
    admin_client, seed_article
):
    page = unrendered(admin_client, change_url(seed_article))
    data = change_form_data(page)
    data[f"{inline_prefix(page, PreventionTip)}-0-body"] = ""

    response = admin_client.post(change_url(seed_article), data)

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert "already used" not in response.content.decode()


def test_a_duplicate_slug_is_a_form_error(admin_client, seed_article):
    empty_inlines = {}
    for prefix in INLINE_PREFIXES:
        empty_inlines |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    data = {"title": "Copy", "slug": seed_article.slug, "summary": "A summary.", "status": "draft"}

    response = admin_client.post(reverse("admin:articles_article_add"), data | empty_inlines)

    assert response.status_code == 200
    assert "Another article already has this web address." in response.content.decode()
    assert Article.objects.count() == 1


def test_every_field_an_editor_sees_explains_itself(admin_client, seed_article):
    response = admin_client.get(change_url(seed_article))
    forms = [response.context["adminform"].form] + [
        inline.formset.empty_form for inline in response.context["inline_admin_formsets"]
    ]
    unexplained = [
        f"{form._meta.model.__name__}.{name}"
        for form in forms
        for name, field in form.fields.items()
        if name not in {"id", "article", "DELETE"}
        and not field.widget.is_hidden
        and not field.help_text
    ]

    assert unexplained == []


def test_line_breaks_from_browsers_are_stored_as_one_kind(admin_client, seed_article):
    from tests.admin_forms import save_through_admin

    save_through_admin(
        admin_client, seed_article, lambda d, p: d.update(lead="First line.\r\nSecond line.")
    )

    seed_article.refresh_from_db()
    assert seed_article.lead == "First line.\nSecond line."


def test_a_browsers_line_breaks_alone_change_nothing(admin_client, seed_article):
    """Browsers send every box's line breaks as CR LF: a save that changes one sentence
    records that change only, and leaves the other parts as they were."""
    from django.contrib.admin.models import LogEntry

    from articles.models import PreventionTip, Section
    from tests.admin_forms import change_form_data, change_url, inline_prefix

    page = unrendered(admin_client, change_url(seed_article))  # the page and its draft
    tips_before = dict(PreventionTip.objects.values_list("pk", "updated_at"))
    data = {
        key: value.replace("\n", "\r\n") if isinstance(value, str) else value
        for key, value in change_form_data(page).items()
    }
    data[f"{inline_prefix(page, Section)}-0-body"] = "One new sentence."

    assert admin_client.post(change_url(seed_article), data).status_code == 302

    assert dict(PreventionTip.objects.values_list("pk", "updated_at")) == tips_before
    message = LogEntry.objects.filter(object_id=str(seed_article.pk)).first().get_change_message()
    assert "Lead" not in message and "prevention tip" not in message
