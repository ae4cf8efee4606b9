"""A refused save of the article's change page in a real browser: the summary of
its problems at the top, each link leading to its box, and the folded part holding it open,
with the browser fixtures of tests/conftest.py."""

import pytest
from django.urls import reverse

from tests.browsing import DESKTOP, axe_violations, signed_in_as
from tests.constants import FORWARDED_HTTPS

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TIP_SOURCES = "#id_prevention_tips-0-backed_by"


def cite_a_missing_source(page):
    """Open the first prevention tip, cite a source the article lacks, and save."""
    page.locator("#prevention_tips-heading").click()
    page.locator("#prevention_tips-0 > details.part > summary").click()
    page.locator(TIP_SOURCES).fill("99")
    with page.expect_navigation():
        page.locator(".save-bar input[name=_save]").click()


def test_a_refused_save_is_summarised_at_the_top_with_no_wcag_22_aa_violations(editor_page):
    page, _ = editor_page

    cite_a_missing_source(page)

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    assert summary.is_visible()
    assert summary.get_by_role("link").first.inner_text().startswith("Prevention tip")
    assert summary.bounding_box()["y"] < page.locator("#id_title").bounding_box()["y"]
    assert not page.get_by_text("Please correct the error below.").is_visible()
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)


def test_a_summary_link_moves_focus_to_its_box_in_the_open_part(editor_page):
    page, _ = editor_page
    cite_a_missing_source(page)

    page.get_by_role("alert").get_by_role("link").first.click()

    assert page.evaluate("document.activeElement.id") == TIP_SOURCES[1:]
    assert page.locator(TIP_SOURCES).is_visible()
    assert page.locator(TIP_SOURCES).input_value() == "99"


def test_a_summary_link_reaches_its_box_by_keyboard(editor_page):
    page, _ = editor_page
    cite_a_missing_source(page)
    link = page.get_by_role("alert").get_by_role("link").first

    link.focus()
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == TIP_SOURCES[1:]


def test_without_javascript_the_part_with_the_error_is_open_and_the_link_leads_to_it(
    browser, live_server, launch_content, settings
):
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("ed", password="x" * 20, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles").exclude(
            codename__in=["publish_article", "record_clinical_review"]
        )
    )
    context = browser.new_context(
        viewport=DESKTOP, java_script_enabled=False, extra_http_headers=FORWARDED_HTTPS
    )
    signed_in_as(context, live_server, user)
    page = context.new_page()
    url = reverse("admin:articles_article_change", args=[launch_content[0].pk])
    page.goto(live_server.url + url)
    try:
        cite_a_missing_source(page)

        assert page.locator("#prevention_tips-0 > details.part[open]").count() == 1
        assert page.locator(TIP_SOURCES).is_visible()
        page.get_by_role("alert").get_by_role("link").first.click()
        assert page.evaluate("document.activeElement.id") == TIP_SOURCES[1:]
    finally:
        context.close()


def test_a_source_added_and_cited_in_one_save_is_saved_with_the_tip(editor_page):
    from articles.models import PreventionTip
    from articles.publishing.signoff import draft_of

    page, article = editor_page
    number = article.sources.count() + 1
    page.locator("#sources-heading").click()
    page.locator("#sources-group").get_by_role("button", name="Add another Source").click()
    row = page.locator(f"#sources-{number - 1}")
    row.locator("input[name$=-title]").fill("Nocturnal leg cramps")
    row.locator("input[name$=-publisher]").fill("BMJ")
    row.locator("input[name$=-url]").fill("https://www.bmj.com/nocturnal-leg-cramps")
    row.locator("input[name$=-accessed_on]").fill("2026-11-30")
    page.locator("#prevention_tips-heading").click()
    page.locator("#prevention_tips-0 > details.part > summary").click()
    page.locator(TIP_SOURCES).fill(f"{page.locator(TIP_SOURCES).input_value()}, {number}")
    with page.expect_navigation():
        page.locator(".save-bar input[name=_save]").click()

    assert page.get_by_role("alert").filter(has_text="There is a problem").count() == 0
    draft = draft_of(article)
    new_source = draft.sources.get(title="Nocturnal leg cramps")
    assert new_source.position == number
    tip = PreventionTip.objects.get(article=draft, position=1)
    assert new_source.pk in tip.source_ids
