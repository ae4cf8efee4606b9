"""The admin's home page in Chromium, as an editor and as a clinical reviewer: no WCAG 2.2
AA violations, and every link of the work reached with the keyboard."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Feedback, WorkingCopy
from articles.search import log
from tests.browsing import axe_violations, focus_walk, number_focusable, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def home_as(browser, live_server, launch_content, settings):
    """The admin's home page, with work waiting, signed in as a new editor, or as a
    clinical reviewer (`publishes`)."""
    # The test server speaks plain http behind a pretend proxy: its forms post from there.
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    main = launch_content[0]
    WorkingCopy.objects.create(
        article=main, state=WorkingCopy.State.SUBMITTED, submitted_at=timezone.now()
    )
    Feedback.objects.create(article=main, kind=Feedback.Kind.PROBLEM, text="A broken link.")
    log.record("charlie horse", found=False)
    pages = []

    def home_as(username, publishes):
        page = signed_in_page(browser, live_server, username, publishes=publishes)
        pages.append(page)
        page.goto(live_server.url + reverse("admin:index"))
        assert page.locator("#work-queue").count() == 1, page.url
        return page

    yield home_as
    for page in pages:
        page.context.close()


@pytest.mark.parametrize("publishes", [False, True], ids=["editor", "clinical reviewer"])
def test_the_home_page_has_no_wcag_22_aa_violations(home_as, publishes):
    assert axe_violations(home_as("someone", publishes)) == []


def test_the_keyboard_reaches_every_link_of_the_work_with_visible_focus(home_as):
    page = home_as("reviewer", publishes=True)
    expected = number_focusable(page, within=".work")
    assert expected >= 4  # the queue, the report, the synonym, the searches report

    page.keyboard.press("Tab")
    reached, invisible = focus_walk(page, 200)

    assert reached == {str(index) for index in range(expected)}
    assert invisible == []


def test_the_review_queue_link_opens_the_sign_off_page(home_as, launch_content):
    page = home_as("reviewer", publishes=True)

    with page.expect_navigation():
        page.get_by_role("link", name=f"Review {launch_content[0].title}").click()

    assert page.url.endswith(
        reverse("admin:articles_article_signoff", args=[launch_content[0].pk])
    )
