"""The editors' admin in a real browser: the Insert image dialog and the article
list, with the browser fixtures of tests/conftest.py."""

import pytest
from django.urls import reverse

from tests.browsing import DESKTOP, axe_violations, editor_account, signed_in_as
from tests.constants import FORWARDED_HTTPS
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LONG_TITLE = "Night-time calf cramps in pregnancy: what helps, what to avoid and when to ask"


def open_insert_image(page):
    page.locator("#id_lead").focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Insert image"
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Insert an image")
    dialog.wait_for()
    return dialog


def test_the_insert_image_dialog_opens_without_an_error_box(editor_page):
    page, _ = editor_page

    dialog = open_insert_image(page)

    error = dialog.locator(".insert-image-error")
    assert error.count() == 1 and not error.is_visible()
    assert page.evaluate("document.activeElement.id") == "insert-image-file"
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)


def test_the_insert_image_dialog_shows_its_error_box_only_with_a_message(editor_page):
    page, _ = editor_page
    dialog = open_insert_image(page)

    # Insert with no file chosen: refused, and said in the box.
    dialog.get_by_role("button", name="Insert image").click()

    alert = dialog.get_by_role("alert")
    assert alert.is_visible() and "Choose an image file first" in alert.inner_text()


def test_the_insert_image_dialog_is_used_by_keyboard_alone(editor_page):
    page, _ = editor_page
    dialog = open_insert_image(page)
    reached = []
    for _ in range(4):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent")
        )

    assert reached == ["insert-image-alt", "insert-image-decorative", "Insert image", "Cancel"]
    page.keyboard.press("Enter")  # Cancel
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.textContent") == "Insert image"


@pytest.fixture
def article_list(browser, live_server, launch_content):
    """The admin's article list at 1280 by 800, as a signed-in editor, with a long title."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    ArticleFactory(title=LONG_TITLE)
    user = get_user_model().objects.create_user("ed", password="x" * 20, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles").exclude(
            codename__in=["publish_article", "record_clinical_review"]
        )
    )
    context = browser.new_context(viewport=DESKTOP, extra_http_headers=FORWARDED_HTTPS)
    signed_in_as(context, live_server, user)
    page = context.new_page()
    page.goto(live_server.url + reverse("admin:articles_article_changelist"))
    assert page.locator("#result_list").count() == 1, page.url
    yield page
    context.close()


def test_the_article_list_fits_a_1280px_window(article_list):
    page = article_list

    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    table = page.locator("#result_list").bounding_box()
    scroller = page.evaluate(
        "(() => { const box = document.querySelector('.results');"
        " return box.scrollWidth - box.clientWidth; })()"
    )

    assert overflow <= 0
    assert scroller <= 0  # nor inside the list's own box
    assert table["x"] + table["width"] <= DESKTOP["width"]


def test_the_article_list_gives_titles_room(article_list):
    title = article_list.locator("#result_list tbody th a", has_text=LONG_TITLE)

    # Its lines, as the browser broke them: readable in three at most.
    assert title.evaluate("link => link.getClientRects().length") <= 3


def test_the_article_list_has_no_wcag_22_aa_violations(article_list):
    violations = axe_violations(article_list)
    assert violations == [], "\n".join(violations)


@pytest.fixture
def editor_with_changes(browser, live_server, launch_content, settings):
    """An editor's browser, with JavaScript off, and the article's unpublished changes."""
    from tests.accounts import signed_in
    from tests.test_sign_off import edit

    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    user = editor_account()
    article = launch_content[0]
    assert edit(signed_in(user), article).status_code == 302
    context = browser.new_context(
        viewport=DESKTOP, extra_http_headers=FORWARDED_HTTPS, java_script_enabled=False
    )
    signed_in_as(context, live_server, user)
    page = context.new_page()
    page.goto(live_server.url + reverse("admin:articles_article_signoff", args=[article.pk]))
    yield page, article
    context.close()


def test_discard_asks_first_without_javascript(editor_with_changes):
    from articles.models import WorkingCopy

    page, article = editor_with_changes
    page.get_by_role("button", name="Discard the unpublished changes…").click()

    assert page.get_by_role("heading", name="Discard these changes?").is_visible()
    assert WorkingCopy.objects.filter(article=article).exists()
    page.get_by_role("link", name="No, keep them").click()
    assert WorkingCopy.objects.filter(article=article).exists()

    page.get_by_role("button", name="Discard the unpublished changes…").click()
    page.get_by_role("button", name="Yes, discard the changes").click()
    assert "The unpublished changes were discarded." in page.content()
    assert not WorkingCopy.objects.filter(article=article).exists()
