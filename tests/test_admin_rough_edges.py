"""The admin without rough edges, through the real admin as an editor and as a
clinical reviewer: one way of writing times, a go-live time that does not depend on the
browser, approvals that say when they go live, plain preview banners, a discard that asks
first, an article list that fits, and a sign-off page that speaks to reviewers."""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article, Publication, WorkingCopy
from articles.times import moment
from tests.accounts import sign_in_again
from tests.admin_forms import approve, article_versions, change_url, sign_off_url
from tests.factories import ArticleFactory, ReviewFactory
from tests.test_sign_off import DISCARD, NEW_TEXT, edit

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
SHOUTING = "DO NOT stretch a torn muscle."


def written(moment):
    """`moment` as the admin should write it: "6 December 2026, 23:43 GMT"."""
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%B %Y, %H:%M} {local.tzname()}"


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def preview_url(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


def text(response):
    return response.content.decode().replace("&#x27;", "'")


def submitted_draft(editor, title="Later one"):
    """A new article, never published, submitted by an editor for review."""
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, title=title)
    assert edit(editor, draft, _submit="1").status_code == 302
    return draft


def next_year_at(month, day, hour, minute):
    """A London time next year: always in the future, in winter or summer as asked."""
    return datetime.datetime(timezone.now().year + 1, month, day, hour, minute, tzinfo=LONDON)


# 1. The Insert image dialog's error box


def test_the_insert_image_error_box_stays_hidden_until_it_has_a_message(editor):
    page = text(editor.get(reverse("admin:articles_article_add")))
    stylesheet = (Path(settings.BASE_DIR) / "static/css/admin.css").read_text()
    script = (Path(settings.BASE_DIR) / "static/js/editor.js").read_text()

    assert "css/admin.css" in page and "js/editor.js" in page
    # The admin's .errornote shows itself as a block: the hidden attribute must win.
    assert 'class="errornote insert-image-error" role="alert" hidden' in script
    rule = re.search(r"\.insert-image-error\[hidden\]\s*{([^}]*)}", stylesheet)
    assert rule and "display: none !important" in rule.group(1)


# 2. One date and time format everywhere in the admin


def test_the_admin_writes_every_time_one_way_with_its_zone():
    winter = datetime.datetime(2026, 12, 6, 23, 43, tzinfo=datetime.UTC)
    summer = datetime.datetime(2026, 7, 1, 12, 5, tzinfo=datetime.UTC)

    assert moment(winter) == "6 December 2026, 23:43 GMT"
    assert moment(summer) == "1 July 2026, 13:05 BST"
    local = timezone.localtime(winter)
    assert date_format(local, "SHORT_DATETIME_FORMAT") == date_format(local, "DATETIME_FORMAT")
    assert date_format(winter.date(), "DATE_FORMAT") == "6 December 2026"


def test_the_history_the_sign_off_page_and_the_list_write_times_alike(
    editor, clinical_reviewer, seed_article
):
    ReviewFactory(article=ArticleFactory(), reviewed_on=datetime.date(2026, 3, 1))
    edit(editor, seed_article, _submit="1")
    copy = WorkingCopy.objects.get(article=seed_article)
    latest = article_versions(seed_article)[0].revision

    history = text(clinical_reviewer.get(history_url(seed_article)))
    sign_off = text(clinical_reviewer.get(sign_off_url(seed_article)))
    queue = text(clinical_reviewer.get(reverse("admin:articles_article_queue")))
    listing = text(clinical_reviewer.get(reverse("admin:articles_article_changelist")))

    assert written(latest.date_created) in history
    assert f"last saved {written(copy.updated_at)}" in sign_off
    assert written(copy.submitted_at) in queue
    assert "1 March 2029" in listing  # the next review, as a date
    for page in (history, sign_off, queue, listing):
        assert not re.search(r"\d (a|p)\.m\.|\d\d:\d\d on \d|\b\d+ [A-Z][a-z]{2} \d{4}", page)


def test_an_approval_message_writes_its_time_the_same_way(editor, clinical_reviewer, seed_article):
    edit(editor, seed_article, _submit="1")
    when = next_year_at(1, 15, 9, 30)

    approve(clinical_reviewer, seed_article, go_live_at=when.replace(tzinfo=None).isoformat())

    page = text(clinical_reviewer.get(sign_off_url(seed_article)))
    assert f"Approved, goes live at {written(when)}" in page
    assert "9:30 a.m." not in page and "09:30 on" not in page


# 3. A go-live time that does not depend on the browser's language


def test_the_go_live_time_is_two_boxes_with_their_formats_said(editor, clinical_reviewer):
    draft = submitted_draft(editor)

    page = text(clinical_reviewer.get(sign_off_url(draft)))

    assert 'type="datetime-local"' not in page
    assert 'name="go_live_at_0"' in page and 'name="go_live_at_1"' in page
    assert "Date (dd/mm/yyyy):" in page and "Time (HH:MM, 24-hour):" in page
    assert 'aria-label="Go live at: Date (dd/mm/yyyy)"' in page
    assert "Go live at, Europe/London time (GMT or BST)" in page


@pytest.mark.parametrize(
    ("day", "hour"), [((1, 20), (23, 15)), ((7, 14), (18, 30))], ids=["winter", "summer"]
)
def test_a_go_live_time_typed_in_uk_order_is_london_time(
    editor, clinical_reviewer, seed_article, day, hour
):
    edit(editor, seed_article, _submit="1")
    when = next_year_at(*day, *hour)
    page = clinical_reviewer.get(sign_off_url(seed_article))
    data = {
        "_approve": "1", "when": "later", "note": "", "reviewer_role": "GP",
        "reviewed": page.context["approve_form"]["reviewed"].value(),
        "go_live_at_0": f"{when:%d/%m/%Y}", "go_live_at_1": f"{when:%H:%M}",
    }  # fmt: skip

    assert clinical_reviewer.post(sign_off_url(seed_article), data).status_code == 302

    waiting = Publication.objects.waiting().get(article=seed_article)
    assert waiting.published_at == when


@pytest.mark.parametrize(
    ("date", "time", "said"),
    [
        ("12/31/{year}", "18:30", "Enter the date as dd/mm/yyyy"),  # a US browser's order
        ("31/12/{year}", "6.30pm", "Enter the time as HH:MM on the 24-hour clock"),
        ("31/12/{year}", "25:00", "Enter the time as HH:MM on the 24-hour clock"),
        ("31/12/{year}", "", "Enter the time as HH:MM"),
        ("", "18:30", "Enter the date as dd/mm/yyyy"),
        ("", "", "Enter the whole date and time, or choose Now."),
        ("30/02/{year}", "18:30", "Enter the date as dd/mm/yyyy"),
    ],
)
def test_a_go_live_time_the_form_cannot_read_is_a_form_error_and_publishes_nothing(
    editor, clinical_reviewer, seed_article, date, time, said
):
    edit(editor, seed_article, _submit="1")
    page = clinical_reviewer.get(sign_off_url(seed_article))
    year = timezone.now().year + 1
    data = {
        "_approve": "1", "when": "later", "note": "", "reviewer_role": "GP",
        "reviewed": page.context["approve_form"]["reviewed"].value(),
        "go_live_at_0": date.format(year=year), "go_live_at_1": time,
    }  # fmt: skip

    refused = clinical_reviewer.post(sign_off_url(seed_article), data)

    assert refused.status_code == 200
    assert said in text(refused)
    assert not Publication.objects.filter(article=seed_article, published_by__isnull=False)
    assert WorkingCopy.objects.get(article=seed_article).state == WorkingCopy.State.SUBMITTED


def test_a_go_live_time_the_clocks_skip_is_a_form_error(editor, clinical_reviewer, seed_article):
    edit(editor, seed_article, _submit="1")
    # 01:30 on the last Sunday of March does not happen in London: the clocks go forward.
    march_end = datetime.date(timezone.now().year + 1, 3, 31)
    sunday = march_end - datetime.timedelta(days=(march_end.weekday() + 1) % 7)
    page = clinical_reviewer.get(sign_off_url(seed_article))
    data = {
        "_approve": "1", "when": "later", "note": "", "reviewer_role": "GP",
        "reviewed": page.context["approve_form"]["reviewed"].value(),
        "go_live_at_0": f"{sunday:%d/%m/%Y}", "go_live_at_1": "01:30",
    }  # fmt: skip

    refused = clinical_reviewer.post(sign_off_url(seed_article), data)

    assert refused.status_code == 200
    assert "Europe/London" in text(refused)
    assert not Publication.objects.waiting().exists()


# 4. An approval for later says so until its time


def test_a_new_article_approved_for_later_reads_approved_until_it_goes_live(
    editor, clinical_reviewer
):
    draft = submitted_draft(editor)
    go_live = (timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)

    approve(clinical_reviewer, draft, go_live_at=go_live.astimezone(LONDON).isoformat()[:16])

    said = f"Approved, goes live at {written(go_live)}"
    history = text(clinical_reviewer.get(history_url(draft)))
    sign_off = text(clinical_reviewer.get(sign_off_url(draft)))
    assert said in history and said in sign_off
    assert "<td>Published</td>" not in history and "<td>Published</td>" not in sign_off

    with time_machine.travel(go_live + datetime.timedelta(minutes=1), tick=False):
        sign_in_again(clinical_reviewer)
        history = text(clinical_reviewer.get(history_url(draft)))
        sign_off = text(clinical_reviewer.get(sign_off_url(draft)))

    assert f"Published at {written(go_live)}" in history
    assert f"Published at {written(go_live)}" in sign_off
    assert "Approved, goes live at" not in history


def test_a_change_to_a_live_article_approved_for_later_is_recorded_with_its_time(
    editor, clinical_reviewer, seed_article
):
    edit(editor, seed_article, _submit="1")
    when = next_year_at(2, 3, 7, 45)

    approve(clinical_reviewer, seed_article, go_live_at=when.replace(tzinfo=None).isoformat())

    history = text(clinical_reviewer.get(history_url(seed_article)))
    status = text(editor.get(change_url(seed_article)))
    assert f"Approved, goes live at {written(when)}" in history
    assert f"Approved, goes live at {written(when)}" in status


# 5. Plain preview banners


def test_the_preview_of_unpublished_changes_says_readers_still_see_the_live_version(
    editor, seed_article
):
    edit(editor, seed_article)

    page = text(editor.get(preview_url(seed_article)))

    assert NEW_TEXT in page
    assert "Preview of changes not yet approved. Readers still see the live version." in page
    assert "(unpublished changes)" not in page and "readers cannot see this yet" not in page


def test_the_preview_of_a_never_published_article_says_readers_cannot_see_it(editor):
    draft = submitted_draft(editor)

    page = text(editor.get(preview_url(draft)))

    assert "Preview. Readers cannot see this article yet." in page
    assert "Draft (unpublished changes)" not in page


def test_the_preview_of_the_live_version_says_so(editor, seed_article):
    page = text(editor.get(preview_url(seed_article)))

    assert "Preview of the live version: this is what readers see." in page


# 6. Discarding asks first


def test_discard_asks_first_and_a_get_never_discards(editor, seed_article):
    edit(editor, seed_article)
    assert editor.get(sign_off_url(seed_article), {"_discard": "1"}).status_code == 200

    asked = editor.post(sign_off_url(seed_article), {"_discard": "1"})

    page = text(asked)
    assert asked.status_code == 200
    assert "Discard these changes?" in page and "This cannot be undone" in page
    assert 'name="confirm" value="yes"' in page
    assert (
        f'href="{sign_off_url(seed_article)}" class="button cancel-link">No, keep them</a>' in page
    )
    assert WorkingCopy.objects.filter(article=seed_article).exists()


def test_confirmed_discard_drops_the_changes(editor, client, seed_article):
    edit(editor, seed_article)

    assert editor.post(sign_off_url(seed_article), DISCARD).status_code == 302

    assert not WorkingCopy.objects.filter(article=seed_article).exists()
    assert NEW_TEXT not in text(editor.get(preview_url(seed_article)))


def test_asking_to_discard_nothing_says_so(editor, seed_article):
    response = editor.post(sign_off_url(seed_article), {"_discard": "1"}, follow=True)

    assert "There are no unpublished changes." in text(response)
    assert "Discard these changes?" not in text(response)


# 7. The article list


def test_the_article_list_has_few_columns_and_says_where_changes_stand(editor, seed_article):
    edit(editor, seed_article, _submit="1")

    listing = editor.get(reverse("admin:articles_article_changelist"))

    columns = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', text(listing))
    assert columns == ["article", "state", "review_due", "reader_reports"]
    # Each heading over its own column.
    for column, heading in [("article", "Title"), ("state", "State")]:
        cell = re.search(
            rf'<th scope="col" class="[^"]*column-{column}.*?</th>', text(listing), re.S
        )
        assert f">{heading}</a>" in cell[0], column
    assert "Published<br>Changes: Waiting for clinical review" in text(listing)


# 8. The sign-off page speaks to reviewers; Approve is the primary action


def test_the_content_checks_speak_to_the_reviewer_on_the_sign_off_page(
    editor, clinical_reviewer, seed_article
):
    assert edit(editor, seed_article, lead=SHOUTING, _submit="1").status_code == 302

    sign_off = text(clinical_reviewer.get(sign_off_url(seed_article)))
    change_page = text(editor.get(change_url(seed_article)))

    assert "“DO NOT” is in capitals" in sign_off
    assert "warnings for the editor: you can approve the change with them, or send it back" in (
        sign_off
    )
    assert "you can still save" not in sign_off
    assert "you can still save" in change_page


def test_approve_is_the_primary_button_and_discard_the_quietest(
    editor, clinical_reviewer, seed_article
):
    edit(editor, seed_article, _submit="1")

    page = text(clinical_reviewer.get(sign_off_url(seed_article)))

    buttons = dict(
        re.findall(r'<input type="submit" name="(_\w+)"[^>]*?(?:class="([^"]*)")?>', page)
    )
    assert buttons["_approve"] == "default"
    assert buttons["_send_back"] == "sign-off-secondary"
    assert buttons["_discard"] == "sign-off-discard"
    assert page.index('name="_approve"') < page.index('name="_send_back"')
    assert page.index('name="_send_back"') < page.index('name="_discard"')


def test_a_save_says_what_became_of_it_and_not_that_it_was_changed(editor, seed_article):
    saved = edit(editor, seed_article)
    told = [str(message) for message in saved.wsgi_request._messages]

    assert any(message.startswith("Saved as unpublished changes") for message in told)
    assert not any("was changed successfully" in message for message in told)


def test_a_draft_saved_is_still_told_it_was_saved(editor):
    # Nothing else speaks of a draft's save: the admin's own message stays.
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    saved = edit(editor, draft)

    told = [str(message) for message in saved.wsgi_request._messages]
    assert any("was changed successfully" in message for message in told)


def test_the_sign_off_form_has_the_admins_form_styles(editor, clinical_reviewer, seed_article):
    edit(editor, seed_article, _submit="1")

    page = clinical_reviewer.get(sign_off_url(seed_article)).content.decode()

    assert "admin/css/forms.css" in page and "admin/css/widgets.css" in page
    assert 'class="sign-off-form"' in page
