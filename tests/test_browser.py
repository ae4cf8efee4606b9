"""Reader pages in a real browser: Debian's Chromium driven by Playwright, checked by axe-core.

Run by `make test` like everything else. Where Chromium is missing these tests skip with a
message saying how to install it, except in CI (CI=true), where that is a failure.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from articles import languages
from tests.browsing import (
    DESKTOP,
    PHONE,
    axe_violations,
    focus_walk,
    number_focusable,
    signed_in_page,
)
from tests.uploads import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def reader_pages(slug, language="en-gb"):
    """The reader pages, in `language` (the seed loads both launch articles in Russian too,
    at the same addresses under /ru/)."""
    with translation.override(language):
        search = reverse("articles:search")
        return {
            "home": reverse("articles:index"),
            "article": reverse("articles:article_detail", args=[slug]),
            "second article": reverse("articles:article_detail", args=["cramp-or-something-else"]),
            "search": search + ("?q=судороги+икры" if language == "ru" else "?q=cramp+calf"),
            "search for a warning sign": search
            + ("?q=боль+в+груди" if language == "ru" else "?q=chest+pain"),
            "404": reverse("articles:index") + "no-such-page/",
            "diary": reverse("articles:diary"),
            "bedside card": reverse("articles:bedside_card", args=[slug]),
            "feedback form": reverse("articles:feedback", args=[slug]) + "?answer=no",
            "feedback thanks": reverse("articles:feedback_thanks", args=[slug]),
        }


PAGE_NAMES = list(reader_pages("x"))
# Every check of a reader page runs on each language's edition of it, in one test (one
# load of the seed).
LANGUAGES = [code for code, _ in settings.LANGUAGES]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_no_wcag_22_aa_violations_at_phone_and_desktop_widths(open_page, launch_content, name):
    found = {}
    for language in LANGUAGES:
        path = reader_pages(launch_content[0].slug, language)[name]
        # Other languages' pages share the layout and the styles: a phone's width is
        # enough for what their words change (lang, lengths, wrapping).
        for viewport in (PHONE, DESKTOP) if language == settings.LANGUAGE_CODE else (PHONE,):
            page = open_page(path, viewport)
            assert page.evaluate("document.documentElement.lang") == languages.tag(language)
            for scheme in ("light", "dark"):
                # The same page in the other scheme: the media query changes, nothing
                # reloads.
                page.emulate_media(color_scheme=scheme)
                violations = axe_violations(page)
                if violations:
                    found[f"{path} {viewport['width']}px {scheme}"] = violations

    assert found == {}


def test_the_developers_page_is_accessible_and_fits_a_phone(open_page, db):
    # In English only: the API's page for developers is not translated.
    found = {}
    for viewport in (PHONE, DESKTOP):
        page = open_page(reverse("api_guide"), viewport)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            if violations := axe_violations(page):
                found[f"{viewport['width']}px {scheme}"] = violations
    overflow = open_page(reverse("api_guide"), PHONE).evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )

    assert found == {}
    assert overflow <= 0


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_nothing_scrolls_sideways_on_a_320px_phone(open_page, launch_content, name):
    for language in LANGUAGES:
        page = open_page(reader_pages(launch_content[0].slug, language)[name], PHONE)

        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )

        assert overflow <= 0, language


@pytest.mark.parametrize("name", ["home", "article", "search", "diary", "feedback form"])
def test_keyboard_reaches_everything_with_visible_focus(open_page, launch_content, name):
    for language in LANGUAGES:
        page = open_page(reader_pages(launch_content[0].slug, language)[name])
        expected = number_focusable(page)

        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
        reached, invisible = focus_walk(page, expected + 3)

        assert reached == {str(index) for index in range(expected)}, language
        assert invisible == [], language


def test_skip_link_moves_focus_to_the_main_content(open_page, launch_content):
    page = open_page(reader_pages(launch_content[0].slug)["article"])

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main-content"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_a_reader_says_no_and_reports_a_problem_with_the_keyboard_and_no_javascript(
    open_page, launch_content, viewport
):
    from articles.models import Feedback

    page = open_page(reader_pages(launch_content[0].slug)["article"], viewport, javascript=False)
    page.get_by_role("button", name="No", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # (axe needs JavaScript: it checks this page in the test of every reader page.)
    assert page.get_by_role("heading", level=1).inner_text() == "Report a problem with this page"

    page.get_by_label("What was wrong or missing?").focus()
    page.keyboard.type("It does not say whether cramps can wake children.")
    page.keyboard.press("Tab")  # to Send
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for your feedback"
    assert page.context.cookies() == []
    assert sorted(Feedback.objects.values_list("kind", "text")) == [
        ("not_useful", ""),
        ("problem", "It does not say whether cramps can wake children."),
    ]


def test_the_article_reads_in_full_without_javascript(open_page, launch_content):
    page = open_page(reader_pages(launch_content[0].slug)["article"], javascript=False)

    assert page.locator("h1").inner_text() == launch_content[0].title
    assert page.locator("ol.steps > li").count() == len(launch_content[0].relief_steps())
    assert page.locator(".quick-help__steps > li").count() == 3
    assert page.locator(".get-help > li").count() == 2
    assert page.get_by_text("Immediate action required:").count() == 1
    assert page.locator(".care-card").count() == 3


def test_search_works_from_the_header_with_the_keyboard(open_page, launch_content):
    page = open_page(reverse("articles:index"))

    page.get_by_label("Search this site").fill("neurologist")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "/search/?q=neurologist" in page.url
    assert page.get_by_role("link", name=launch_content[0].title).count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_printing_hides_navigation_and_shows_link_addresses(open_page, launch_content, language):
    page = open_page(reader_pages(launch_content[0].slug, language)["article"])
    page.emulate_media(media="print")

    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".contents").is_visible()
    assert not page.locator(".editions").is_visible()
    link_after = page.evaluate(
        """getComputedStyle(document.querySelector('.sources a'), '::after').content"""
    )
    assert launch_content[0].sources.first().url in link_after


def test_the_bedside_card_prints_on_one_a4_page_with_both_urgent_cards(open_page, launch_content):
    page = open_page(reader_pages(launch_content[0].slug)["bedside card"])
    page.emulate_media(media="print")

    pdf = page.pdf(format="A4")

    # Each page is a /Type /Page object; the page tree is /Type /Pages.
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1
    assert page.locator(".care-card--urgent").is_visible()
    assert page.locator(".care-card--emergency").is_visible()


def test_the_bedside_card_prints_the_day_it_is_printed(open_page, launch_content):
    import datetime

    path = reader_pages(launch_content[0].slug)["bedside card"]
    page = open_page(path)
    blank = open_page(path, javascript=False)

    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")

    today = datetime.date.today()
    assert page.locator("[data-printed-on]").inner_text() == f"{today.day} {today:%B %Y}"
    assert page.get_by_role("button", name="Print this card").is_visible()
    # Without JavaScript: a line to write the date on, and the browser's own Print.
    assert blank.locator("[data-printed-on]").inner_text().startswith("____")
    assert not blank.get_by_role("button", name="Print this card").is_visible()
    blank.emulate_media(media="print")
    assert blank.locator(".bedside-card__source").is_visible()


# A reader in pain, on a phone: the first relief step and when to get help in the first
# screen, little to read before the first care card, and plain words.
PHONE_390 = {"width": 390, "height": 844}
FIRST_SCREEN = ".quick-help__steps > li:first-child, .get-help__emergency, .get-help__urgent"
# The words a reader sees (text in a closed disclosure is not seen) before the first card.
WORDS_BEFORE_FIRST_CARD = """() => {
  const card = document.querySelector('.care-card');
  const walker = document.createTreeWalker(document.querySelector('article'),
                                           NodeFilter.SHOW_TEXT);
  let words = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (card.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) break;
    if (node.parentElement.checkVisibility()) words += (node.data.match(/\\w+/g) || []).length;
  }
  return words;
}"""


@pytest.mark.parametrize("which", [0, 1])
def test_help_comes_first_on_a_phone(open_page, launch_content, which):
    from articles.editing.writing import read_html, reading_age_of

    page = open_page(launch_content[which].get_absolute_url(), PHONE_390)

    bottoms = page.eval_on_selector_all(
        FIRST_SCREEN, "els => els.map(e => e.getBoundingClientRect().bottom)"
    )
    assert len(bottoms) == (3 if which == 0 else 2)
    assert max(bottoms) <= PHONE_390["height"]
    assert page.evaluate(WORDS_BEFORE_FIRST_CARD) <= 1000
    assert reading_age_of(read_html(page.inner_html("article"))).age <= 11


def test_a_folded_list_opens_with_the_keyboard(open_page, launch_content):
    page = open_page(launch_content[0].get_absolute_url(), PHONE_390)
    causes = page.locator("details.fold").first

    assert not causes.locator(".cause-list").is_visible()
    causes.locator("summary").focus()
    page.keyboard.press("Enter")
    assert causes.locator(".cause-list").is_visible()


def test_tab_leaves_every_markdown_box_on_the_editors_page(editor_page):
    page, _ = editor_page
    lead = page.locator("#id_lead")
    before = lead.input_value()
    lead.focus()

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") != "id_lead"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "id_lead"
    assert lead.input_value() == before  # no tab character typed into the text


def test_enter_in_a_field_only_saves_it_never_submits_or_publishes(editor_page):
    from articles.models import WorkingCopy

    page, article = editor_page
    page.locator("#id_summary").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    copy = WorkingCopy.objects.get(article=article)
    assert copy.state == WorkingCopy.State.EDITING


def test_a_change_is_reviewed_approved_for_a_time_and_goes_live_then(
    browser, live_server, launch_content, open_page, settings, request
):
    """The sign-off walk, in the browser, as an editor and as a clinical reviewer."""
    import datetime

    import time_machine
    from django.utils import timezone
    from reversion.models import Version

    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    article = launch_content[0]
    change = live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    sign_off = live_server.url + reverse("admin:articles_article_signoff", args=[article.pk])
    reader = article.get_absolute_url()
    new_text = "Wombats stretch their calves slowly."
    editor = signed_in_page(browser, live_server, "ed", publishes=False)
    reviewer = signed_in_page(browser, live_server, "ria", publishes=True)

    # The editor changes the live article and saves: readers keep the live version.
    editor.goto(change)
    editor.locator("#sections-0 summary").click()  # the section's row opens
    editor.locator("textarea[name='sections-0-body']").fill(new_text)
    with editor.expect_navigation():
        editor.click("input[name=_save]")
    assert "Saved as unpublished changes" in editor.content()
    assert new_text not in open_page(reader).content()

    # Submitted, sent back with a comment the editor sees, fixed and submitted again.
    editor.goto(change)
    with editor.expect_navigation():
        editor.click("input[name=_submit]")
    reviewer.goto(live_server.url + reverse("admin:articles_article_queue"))
    with reviewer.expect_navigation():
        reviewer.get_by_role("link", name=article.title).first.click()
    reviewer.fill("textarea[name=comment]", "Say which calf muscle.")
    with reviewer.expect_navigation():
        reviewer.click("input[name=_send_back]")
    editor.goto(change)
    assert "Say which calf muscle." in editor.content()
    editor.locator("#sections-0 summary").click()
    editor.locator("textarea[name='sections-0-body']").fill(new_text + " The calf muscle.")
    with editor.expect_navigation():
        editor.click("input[name=_submit]")

    # The reviewer reads every change on the sign-off page, then approves it to go live a
    # minute from now (ahead of however long the page takes on a busy machine), with their
    # role and a note for readers.
    go_live = timezone.localtime() + datetime.timedelta(minutes=1)
    reviewer.goto(sign_off)
    assert "muscle." in reviewer.locator("#changes").inner_text()
    violations = axe_violations(reviewer)  # the changes, the checks and the forms
    assert violations == [], "\n".join(violations)
    reviewer.fill("input[name=reviewer_role]", "Consultant neurologist")
    reviewer.fill("textarea[name=note]", "Clearer advice on stretching")
    reviewer.check("input[name=when][value=later]")
    reviewer.fill("input[name=go_live_at_0]", go_live.strftime("%d/%m/%Y"))
    reviewer.fill("input[name=go_live_at_1]", go_live.strftime("%H:%M:%S"))
    with reviewer.expect_navigation():
        reviewer.click("input[name=_approve]")
    assert "Approved, goes live at" in reviewer.content()
    assert new_text not in open_page(reader).content()

    # Its time comes: the server's clock (this process's) moves on, rather than the test
    # waiting for it.
    clock = time_machine.travel(go_live + datetime.timedelta(seconds=1), tick=True)
    clock.start()
    request.addfinalizer(clock.stop)
    page = open_page(reader).content()
    assert new_text in page and "Clearer advice on stretching" in page
    assert "Reviewed by ria, Consultant neurologist" in page

    # Restoring the first version makes unpublished changes: readers keep what was approved.
    first = Version.objects.get_for_object(article).last()
    editor.goto(
        live_server.url + reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    )
    with editor.expect_navigation():
        editor.get_by_role("button", name="Restore this version as unpublished changes").click()
    assert "now the article's unpublished changes" in editor.content()
    assert new_text in open_page(reader).content()


# The change page: light, guided, and no traps.

PREVIEW_PATH = "/markdownx/markdownify/"


def test_the_change_page_asks_for_no_preview_as_it_opens_and_one_when_typing_pauses(
    browser, live_server, launch_content, settings
):
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    page = signed_in_page(browser, live_server, "writer", publishes=False)
    previews = []
    page.on(
        "request",
        lambda request: previews.append(request) if PREVIEW_PATH in request.url else None,
    )
    page.goto(
        live_server.url + reverse("admin:articles_article_change", args=[launch_content[0].pk])
    )
    page.wait_for_load_state("networkidle")
    assert len(previews) <= 2  # the limit; the server draws them all, so it is 0
    assert previews == []
    assert "Reading age about" in page.locator("#id_lead").locator("xpath=..").inner_text()

    with page.expect_response(lambda response: PREVIEW_PATH in response.url):
        page.locator("#id_lead").press("End")
        page.locator("#id_lead").type(" Drink water.", delay=20)
    page.wait_for_timeout(800)  # longer than the pause the script waits for
    assert len(previews) == 1
    assert (
        "Drink water."
        in page.locator("#id_lead").locator("xpath=..").locator(".markdownx-preview").inner_text()
    )


def test_a_new_row_shows_its_preview_and_reading_age_as_soon_as_it_is_written(editor_page):
    page, _ = editor_page
    page.locator("#prevention_tips-heading").click()  # opens the folded group
    page.get_by_role("button", name="Add another Prevention tip").click()
    new_row = page.locator("#prevention_tips-group .part-row.dynamic-prevention_tips").last
    body = new_row.locator("textarea.markdownx-editor").first
    with page.expect_response(lambda response: PREVIEW_PATH in response.url):
        body.fill(
            "**Stretch your calves before bed.** Stand facing a wall and lean in gently "
            "until you feel the stretch, then hold it for a few seconds."
        )
    preview = new_row.locator(".markdownx-preview").first
    preview.locator("strong").wait_for()
    assert "Stretch your calves before bed." in preview.locator("strong").inner_text()
    assert "Reading age about" in preview.inner_text()
    assert new_row.get_by_role("button", name="Insert image").first.is_visible()


def test_insert_image_works_with_the_keyboard_and_asks_for_alt_text(editor_page, settings):
    page, _ = editor_page
    lead = page.locator("#id_lead")
    before = lead.input_value()
    lead.focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Insert image"
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Insert an image")
    assert dialog.is_visible()
    assert page.evaluate("document.activeElement.id") == "insert-image-file"
    limit = f"{settings.MARKDOWNX_UPLOAD_MAX_SIZE // 1024 // 1024} MB"  # as the server says
    assert dialog.get_by_label(f"Image file: JPEG or PNG, up to {limit}", exact=True).count() == 1
    dialog.locator("#insert-image-file").set_input_files(
        files=[
            {
                "name": "stretch.png",
                "mimeType": "image/png",
                "buffer": image_bytes("PNG", (40, 30)),
            }
        ]
    )
    dialog.get_by_text("Uploaded stretch.png").wait_for()

    page.keyboard.press("Tab")  # to the alt text
    page.keyboard.press("Enter")  # Insert, with no alt text: refused, nothing written
    assert "alt text" in dialog.get_by_role("alert").inner_text()
    assert lead.input_value() == before

    page.keyboard.type("Standing calf stretch against a wall")
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    value = lead.input_value()
    assert value.startswith(before)
    assert "![Standing calf stretch against a wall](/media/uploads/" in value
    assert value.rstrip().endswith("-40x30.png)")
    assert page.evaluate("document.activeElement.id") == "id_lead"


def test_a_refused_upload_says_why_beside_the_box_and_leaves_the_text_alone(editor_page):
    page, _ = editor_page
    lead = page.locator("#id_lead")
    before = lead.input_value()
    # A text file renamed .png, dropped into the box as a file manager would.
    page.evaluate(
        """() => {
          const transfer = new DataTransfer();
          transfer.items.add(new File(["just some notes"], "photo.png", {type: "image/png"}));
          document.querySelector("#id_lead").dispatchEvent(
            new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }"""
    )
    dialog = page.get_by_role("dialog", name="Insert an image")
    dialog.get_by_role("alert").get_by_text("not a JPEG or PNG image").wait_for()
    message = lead.locator("xpath=..").locator(".editor-message")
    assert message.inner_text() == "This file is not a JPEG or PNG image."
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert lead.input_value() == before
    assert "Invalid response" not in lead.input_value()


def test_the_change_page_has_no_wcag_22_aa_violations(editor_page):
    page, _ = editor_page
    page.locator("#prevention_tips-heading").click()
    page.locator("#prevention_tips-group details.part summary").first.click()
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)

    page.get_by_role("button", name="Insert image").first.click()  # and its dialog
    page.get_by_role("dialog", name="Insert an image").wait_for()
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)


def test_save_is_in_view_without_scrolling_to_the_bottom(editor_page):
    page, _ = editor_page
    save = page.locator(".save-bar input[name=_save]")
    for position in ("top", "middle"):
        if position == "middle":
            page.locator("#prevention_tips-heading").scroll_into_view_if_needed()
        box = save.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP["height"]
    # A field scrolled to with the keyboard is not hidden behind the bar (WCAG 2.4.11).
    page.locator("#id_review_due_on").focus()
    field = page.locator("#id_review_due_on").bounding_box()
    assert field["y"] + field["height"] <= save.bounding_box()["y"]


def test_the_web_address_filled_from_a_long_title_ends_on_a_whole_word(editor_page):
    page, _ = editor_page
    page.goto(page.url.split("/admin/")[0] + reverse("admin:articles_article_add"))
    title = (
        "Night-time calf cramps in older adults: what causes them, what helps during a "
        "cramp, how to prevent them and when to see a doctor about them"
    )
    page.locator("#id_title").fill(title)
    page.locator("#id_title").press("End")  # a key, as typing ends, fills the address
    page.locator("#id_summary").focus()
    slug = page.locator("#id_slug").input_value()
    assert 0 < len(slug) <= 100
    words = title.lower().replace(":", "").replace(",", "").split()
    assert slug.split("-")[-1] in words, slug
