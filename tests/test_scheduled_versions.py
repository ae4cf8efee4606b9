"""An approved change to a live article can wait for a set time: readers keep the live
version until then, and the first request after it gets the new one, with nothing to run."""

import datetime
import itertools

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.caching.pages import CLOCK_SKEW_SECONDS
from articles.models import Article, Publication, Section, WorkingCopy
from articles.publishing import schedule
from articles.search import search
from tests.admin_forms import (
    approve,
    article_versions,
    change_form_data,
    change_url,
    inline_prefix,
    sign_off_url,
    unrendered,
)
from tests.factories import ArticleFactory
from tests.test_sign_off import DISCARD, NEW_TEXT, edit, publisher, reader_page
from tests.transactions import (
    held_at_save,
    run_in_thread,
    wait_until_another_transaction_waits_for_a_lock,
)

pytestmark = pytest.mark.django_db


def in_the_form(moment):
    """A local time as approve() takes it, to type into the go-live boxes (with seconds)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S")


def past_the_clock_skew():
    """A moment after which a page rendered now may be kept (pages rendered within the
    hosts' clock skew of a change are not)."""
    return timezone.now() + datetime.timedelta(seconds=CLOCK_SKEW_SECONDS + 0.1)


def approved_for(clinical_reviewer, article, moment, note=""):
    response = approve(clinical_reviewer, article, note=note, go_live_at=in_the_form(moment))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Publication.objects.waiting().get(article=article)


def test_an_approved_change_goes_live_at_its_time_with_nothing_to_run(
    client, editor, clinical_reviewer, seed_article, django_capture_on_commit_callbacks
):
    url = seed_article.get_absolute_url()
    card = f"{url}bedside-card/"
    client.get(url)
    client.get(url)  # started a page-cache generation, then stored the live page
    assert client.get(url)["X-Cache"] == "HIT"
    edit(editor, seed_article, _submit="1")
    go_live = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=6)

    with django_capture_on_commit_callbacks(execute=True):
        waiting = approved_for(clinical_reviewer, seed_article, go_live, note="Clearer stretches")

    # Until then readers keep the live version, everywhere, and the page says nothing new.
    # (Pages rendered this soon after a change are not kept: the clock moves past that.)
    with time_machine.travel(past_the_clock_skew(), tick=False):
        page = reader_page(client, seed_article)
        assert NEW_TEXT not in page and "Clearer stretches" not in page
        assert client.get(url)["X-Cache"] == "HIT"  # stored afresh, to expire at go_live
        assert not search("wombats")
        status = clinical_reviewer.get(sign_off_url(seed_article)).content.decode()
        assert "Approved, goes live at" in status and "Cancel the scheduled change" in status
        assert WorkingCopy.objects.get(article=seed_article).state == WorkingCopy.State.SCHEDULED

    # The first request after the time puts it live; nobody ran anything.
    with time_machine.travel(go_live + datetime.timedelta(seconds=1), tick=False):
        page = reader_page(client, seed_article)
        assert NEW_TEXT in page and "Clearer stretches" in page
        assert client.get(card).status_code == 200
        assert search("wombats")
        waiting.refresh_from_db()
        assert waiting.went_live_at >= go_live
        assert not WorkingCopy.objects.filter(article=seed_article).exists()
    comments = [v.revision.comment for v in article_versions(seed_article)]
    assert comments[0] == "Went live as approved: Clearer stretches"
    assert any(comment.startswith("Approved, goes live at") for comment in comments)
    # Once, whatever asks next.
    assert schedule.go_live_due() == 0


def test_an_edit_after_the_approval_waits_for_its_own_review(
    client, editor, clinical_reviewer, seed_article
):
    edit(editor, seed_article, _submit="1")
    go_live = timezone.now() + datetime.timedelta(hours=1)
    waiting = approved_for(clinical_reviewer, seed_article, go_live)
    page = editor.get(change_url(seed_article))
    assert "Approved, goes live at" in page.content.decode()
    later = edit_text(editor, seed_article, "A later edit nobody has reviewed.")
    assert later.status_code == 302

    assert schedule.go_live_due(go_live + datetime.timedelta(seconds=1)) == 1

    waiting.refresh_from_db()
    assert waiting.went_live_at is not None
    page = reader_page(client, seed_article)
    assert NEW_TEXT in page and "A later edit" not in page
    copy = WorkingCopy.objects.get(article=seed_article)
    assert copy.state == WorkingCopy.State.EDITING
    assert (
        "A later edit nobody has reviewed."
        in editor.get(change_url(seed_article)).content.decode()
    )


def edit_text(client, article, text):
    page = unrendered(client, change_url(article))
    data = change_form_data(page, publish=False)
    data[f"{inline_prefix(page, Section)}-0-body"] = text
    return client.post(change_url(article), data)


def test_a_reviewer_cancels_a_scheduled_change_and_an_editor_cannot(
    client, editor, clinical_reviewer, seed_article
):
    edit(editor, seed_article, _submit="1")
    go_live = timezone.now() + datetime.timedelta(hours=1)
    approved_for(clinical_reviewer, seed_article, go_live)
    articles = editor.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Approved, goes live at" in articles

    assert editor.post(sign_off_url(seed_article), {"_cancel_scheduled": "1"}).status_code == 403
    assert Publication.objects.waiting().filter(article=seed_article).exists()
    cancelled = clinical_reviewer.post(sign_off_url(seed_article), {"_cancel_scheduled": "1"})

    assert cancelled.status_code == 302
    assert not Publication.objects.waiting().exists()
    assert WorkingCopy.objects.get(article=seed_article).state == WorkingCopy.State.SUBMITTED
    assert schedule.go_live_due(go_live + datetime.timedelta(seconds=1)) == 0
    assert NEW_TEXT not in reader_page(client, seed_article)
    # Approved again for later: an editor's discard drops only the copy (an editor cannot
    # undo an approval); a reviewer's drops the approved change too.
    approved_for(clinical_reviewer, seed_article, go_live)
    assert editor.post(sign_off_url(seed_article), DISCARD).status_code == 302
    assert Publication.objects.waiting().exists()
    edit(editor, seed_article, _submit="1")
    assert clinical_reviewer.post(sign_off_url(seed_article), DISCARD).status_code == 302
    assert not Publication.objects.waiting().exists()


def test_publishing_now_replaces_a_change_waiting_for_its_time(
    client, clinical_reviewer, seed_article
):
    edit(clinical_reviewer, seed_article)
    approved_for(clinical_reviewer, seed_article, timezone.now() + datetime.timedelta(hours=1))
    # The reviewer changes the copy again, then publishes it at once.
    edit_text(clinical_reviewer, seed_article, "Approved and published at once.")

    assert approve(clinical_reviewer, seed_article).status_code == 302

    assert "Approved and published at once." in reader_page(client, seed_article)
    assert not Publication.objects.waiting().exists()


def test_a_time_in_the_past_is_refused(editor, clinical_reviewer, seed_article):
    edit(editor, seed_article, _submit="1")

    past = in_the_form(timezone.now() - datetime.timedelta(minutes=5))
    response = approve(clinical_reviewer, seed_article, go_live_at=past)

    assert response.status_code == 200
    assert "Choose a time in the future" in response.content.decode()
    assert not Publication.objects.waiting().exists()


def test_a_change_that_can_no_longer_apply_goes_back_to_its_editor(
    client, editor, clinical_reviewer, seed_article
):
    edit(editor, seed_article, _submit="1", slug="taken-later")
    go_live = timezone.now() + datetime.timedelta(hours=1)
    approved_for(clinical_reviewer, seed_article, go_live)
    ArticleFactory(slug="taken-later")  # another article takes the address meanwhile

    assert schedule.go_live_due(go_live + datetime.timedelta(seconds=1)) == 0

    assert not Publication.objects.waiting().exists()
    assert client.get(seed_article.get_absolute_url()).status_code == 200  # the live version
    assert NEW_TEXT not in reader_page(client, seed_article)
    copy = WorkingCopy.objects.get(article=seed_article)
    assert copy.state == WorkingCopy.State.SENT_BACK
    assert "could not be applied" in copy.review_comment
    assert "could not be applied" in editor.get(sign_off_url(seed_article)).content.decode()
    # The editor's changes wait in the draft, to fix and submit again.
    assert NEW_TEXT in editor.get(change_url(seed_article)).content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_time_put_the_change_live_once(
    client, seed_article, django_user_model
):
    editor = publisher(django_user_model, "ed")
    edit(editor, seed_article, _submit="1")
    go_live = timezone.now() + datetime.timedelta(hours=1)
    approved_for(publisher(django_user_model, "ria"), seed_article, go_live)
    due = go_live + datetime.timedelta(seconds=1)
    results = {}

    with held_at_save(Article, "first") as (held, release):
        one = run_in_thread("first", results, lambda: schedule.go_live_due(due))
        assert held.wait(timeout=30)
        two = run_in_thread("second", results, lambda: schedule.go_live_due(due))
        blocked = wait_until_another_transaction_waits_for_a_lock()
        assert two.is_alive(), "the second request finished while the first was open"
        release.set()
        one.join(timeout=30)
        two.join(timeout=30)

    assert (results["first"], results["second"]) == (1, 0)
    assert blocked
    assert NEW_TEXT in reader_page(client, seed_article)
    comments = [v.revision.comment for v in article_versions(seed_article)]
    assert comments.count("Went live as approved") == 1


def test_the_hand_written_due_query_agrees_with_the_rule(seed_article):
    now = timezone.now()
    for offset, went_live in itertools.product((-60, 0, 60), (None, now)):
        article = ArticleFactory()
        Publication.objects.create(
            article=article, published_at=now + datetime.timedelta(seconds=offset),
            went_live_at=went_live,
        )  # fmt: skip
    by_rule = Publication.objects.waiting().filter(published_at__lte=now)

    assert sorted(schedule.due_articles(now)) == sorted(by_rule.values_list("article", flat=True))
    assert len(schedule.due_articles(now)) == 2


def test_an_approved_address_change_is_put_live_by_a_visit_to_the_new_address(
    client, editor, clinical_reviewer, seed_article
):
    edit(editor, seed_article, _submit="1", slug="night-cramps-in-the-calf")
    go_live = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=2)
    approved_for(clinical_reviewer, seed_article, go_live)
    assert client.get("/articles/night-cramps-in-the-calf/").status_code == 404

    # Nothing else has asked since: the new address's own request makes the switch.
    with time_machine.travel(go_live + datetime.timedelta(seconds=1), tick=False):
        assert client.get("/articles/night-cramps-in-the-calf/").status_code == 200
        assert client.get(f"/articles/{seed_article.slug}/").status_code == 301


def test_a_scheduled_change_linking_an_article_deleted_since_goes_live_without_the_link(
    client, admin_client, editor, clinical_reviewer, seed_article
):
    other = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, title="Draft link")
    seed_article.related_articles.add(other)
    edit(editor, seed_article, _submit="1")  # the draft links to the other article
    go_live = timezone.now() + datetime.timedelta(hours=1)
    approved_for(clinical_reviewer, seed_article, go_live)
    delete = reverse("admin:articles_article_delete", args=[other.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302

    assert schedule.go_live_due(go_live + datetime.timedelta(seconds=1)) == 1

    assert not Publication.objects.waiting().exists()
    assert not seed_article.related_articles.exists()
    assert NEW_TEXT in reader_page(client, seed_article)
    assert client.get(f"{seed_article.get_absolute_url()}bedside-card/").status_code == 200
    assert client.get(reverse("articles:index")).status_code == 200
    assert not WorkingCopy.objects.filter(article=seed_article).exists()


def test_a_later_go_live_with_no_whole_time_is_refused_not_published(
    client, editor, clinical_reviewer, seed_article
):
    """A date box left half filled is sent empty: with "At the date and time below"
    chosen, that is an error to fix, never "now"."""
    edit(editor, seed_article, _submit="1")
    page = clinical_reviewer.get(sign_off_url(seed_article))
    data = {
        "_approve": "Approve and publish", "note": "", "when": "later", "go_live_at": "",
        "reviewed": page.context["approve_form"]["reviewed"].value(),
    }  # fmt: skip

    refused = clinical_reviewer.post(sign_off_url(seed_article), data)

    assert refused.status_code == 200
    assert "Enter the whole date and time, or choose Now." in refused.content.decode()
    assert NEW_TEXT not in reader_page(client, seed_article)
    assert not Publication.objects.filter(article=seed_article, published_by__isnull=False)


def test_browsers_keep_a_page_no_longer_than_until_its_scheduled_change(
    client, editor, clinical_reviewer, seed_article, django_capture_on_commit_callbacks
):
    edit(editor, seed_article, _submit="1")
    with django_capture_on_commit_callbacks(execute=True):
        approved_for(
            clinical_reviewer, seed_article, timezone.now() + datetime.timedelta(minutes=2)
        )

    ages = []
    with time_machine.travel(past_the_clock_skew(), tick=False):
        for _ in range(4):  # rendered, then stored, then from the page cache
            response = client.get(seed_article.get_absolute_url())
            ages.append(int(response["Cache-Control"].split("max-age=")[1].split(",")[0]))

    assert response["X-Cache"] == "HIT"
    assert all(0 < age <= 120 for age in ages), ages
