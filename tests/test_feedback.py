"""Readers' feedback: "Is this page useful?", problem reports, their guard, and the admin
where editors read and handle them at review time."""

import csv
import datetime
import io
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.feedback.guard import TRAP_FIELD
from articles.feedback.views import forget_old
from articles.models import Feedback, Review
from tests.factories import ArticleFactory
from tests.pages import warm

pytestmark = pytest.mark.django_db

SAME_SITE = {"Origin": "https://testserver", "Sec-Fetch-Site": "same-origin"}


def send(client, article, data, headers=SAME_SITE, **extra):
    return client.post(
        reverse("articles:feedback", args=[article.slug]), data, headers=headers, **extra
    )


def test_a_yes_is_kept_and_counted_on_the_articles_admin_page(client, admin_client, seed_article):
    response = send(client, seed_article, {"useful": "yes"})

    assert response.status_code == 302
    assert response["Location"] == reverse("articles:feedback_thanks", args=[seed_article.slug])
    assert "Thank you for your feedback" in client.get(response["Location"]).content.decode()
    [kept] = Feedback.objects.all()
    assert (kept.article, kept.kind, kept.text) == (seed_article, Feedback.Kind.USEFUL, "")
    assert kept.received_on == timezone.localdate()
    assert kept.publication == seed_article.publications.filter(went_live_at__isnull=False).first()
    page = admin_client.get(reverse("admin:articles_article_change", args=[seed_article.pk]))
    assert page.context["reader_feedback"]["useful"] == 1
    assert "Yes: <strong>1</strong>" in page.content.decode()


def test_a_no_asks_what_was_wrong_and_the_comment_reaches_the_admin(
    client, admin_client, seed_article
):
    answered = send(client, seed_article, {"useful": "no"})
    form_page = client.get(answered["Location"])
    assert "What was wrong or missing?" in form_page.content.decode()
    assert "Do not include personal or medical details" in form_page.content.decode()

    reported = send(
        client, seed_article, {"text": "It does not say how long a <b>cramp</b> lasts."}
    )

    assert reported.status_code == 302
    assert sorted(Feedback.objects.values_list("kind", flat=True)) == ["not_useful", "problem"]
    listing = admin_client.get(reverse("admin:articles_feedback_changelist")).content.decode()
    assert "It does not say how long a &lt;b&gt;cramp&lt;/b&gt; lasts." in listing
    page = admin_client.get(reverse("admin:articles_article_change", args=[seed_article.pk]))
    html = page.content.decode()
    assert "It does not say how long a &lt;b&gt;cramp&lt;/b&gt; lasts." in html
    assert "<b>cramp</b>" not in html  # never rendered as HTML
    assert page.context["reader_feedback"]["to_handle"] == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ],
)
def test_a_cross_site_post_is_refused_with_a_clear_page(client, seed_article, headers):
    response = send(client, seed_article, {"useful": "yes"}, headers=headers)

    assert response.status_code == 403
    assert "can only be sent from our own pages" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert not Feedback.objects.exists()


def test_a_flood_from_one_address_is_refused_per_minute_and_per_day(
    client, seed_article, settings
):
    settings.FEEDBACK_PER_MINUTE = 3
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client connects from our proxy
    for _ in range(3):
        assert send(client, seed_article, {"useful": "yes"}).status_code == 302

    refused = send(client, seed_article, {"useful": "yes"})

    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "a lot of feedback from you" in refused.content.decode()
    assert Feedback.objects.count() == 3
    # Another reader, through the same trusted proxy, is counted on their own.
    other = send(client, seed_article, {"useful": "yes"}, HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert other.status_code == 302

    settings.FEEDBACK_PER_MINUTE, settings.FEEDBACK_PER_DAY = 100, 2  # one sent already
    for expected in (302, 429):
        response = send(
            client, seed_article, {"useful": "yes"}, HTTP_X_FORWARDED_FOR="198.51.100.4"
        )
        assert response.status_code == expected


def test_one_ipv6_64_is_one_reader_and_each_ipv4_address_is_its_own(
    client, seed_article, settings
):
    settings.FEEDBACK_PER_MINUTE = 2

    def status(address):
        return send(client, seed_article, {"useful": "yes"}, REMOTE_ADDR=address).status_code

    # A home or a phone is given a whole /64: a fresh address in it is the same reader.
    assert [status(a) for a in ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe")] == [
        302
    ] * 2
    assert status("2001:db8:1:2:abcd::9") == 429
    assert status("2001:db8:1:3::1") == 302  # the next /64 is someone else
    # IPv4 neighbours are different readers, also when a dual-stack server writes them as
    # IPv6 (all of IPv4 lies in one /64 there).
    assert [status("198.51.100.7"), status("::ffff:198.51.100.7")] == [302, 302]
    assert status("198.51.100.7") == 429
    assert status("::ffff:198.51.100.8") == 302


def test_past_the_daily_cap_the_reader_is_thanked_and_nothing_is_stored(
    client, seed_article, settings
):
    settings.FEEDBACK_DAILY_CAP = 3
    today = timezone.localdate()
    Feedback.objects.create(
        article=seed_article, kind="useful", received_on=today - datetime.timedelta(days=1)
    )  # yesterday's count for yesterday
    for n in range(3):
        sent = send(client, seed_article, {"useful": "no"}, REMOTE_ADDR=f"198.51.100.{n + 1}")
        assert sent.status_code == 302

    refused = send(client, seed_article, {"text": "Past the cap."}, REMOTE_ADDR="198.51.100.99")

    assert refused.status_code == 429
    assert "we have had a lot of feedback today" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600
    assert Feedback.objects.filter(received_on=today).count() == 3
    assert not Feedback.objects.filter(text="Past the cap.").exists()
    tomorrow = timezone.localtime().replace(hour=9) + datetime.timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        again = send(client, seed_article, {"text": "A new day."}, REMOTE_ADDR="198.51.100.99")
    assert again.status_code == 302
    assert Feedback.objects.filter(text="A new day.").exists()


def test_feedback_ids_say_nothing_of_how_many_came_before(client, editor, seed_article):
    for text in ("First.", "Second."):
        send(client, seed_article, {"text": text})

    ids = list(Feedback.objects.values_list("pk", flat=True))
    assert len(ids) == 2
    assert all(isinstance(pk, uuid.UUID) and pk.version == 4 for pk in ids)
    change = reverse("admin:articles_feedback_change", args=[ids[0]])
    assert str(ids[0]) in change
    assert editor.get(change).status_code == 200
    assert change in editor.get(reverse("admin:articles_feedback_changelist")).content.decode()


@pytest.mark.parametrize(
    ("referer", "status"),
    [
        ("https://testserver/articles/night-calf-cramps/", 302),
        ("https://evil.example/articles/night-calf-cramps/", 403),
        ("http://testserver/articles/night-calf-cramps/", 403),  # not https: another origin
        ("https://testserver.evil.example/", 403),
        ("not an address", 403),
    ],
)
def test_without_origin_or_fetch_metadata_the_referer_must_be_our_own(
    client, seed_article, referer, status
):
    response = send(client, seed_article, {"useful": "yes"}, headers={"Referer": referer})

    assert response.status_code == status
    assert Feedback.objects.exists() == (status == 302)


def test_a_post_that_says_nothing_of_where_it_came_from_is_refused(client, seed_article):
    response = send(client, seed_article, {"useful": "yes"}, headers={})

    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_over_long_text_gets_a_form_error_and_an_over_long_body_a_clear_page(client, seed_article):
    too_long = send(client, seed_article, {"text": "x" * 1_001})
    assert too_long.status_code == 400
    assert "keep it under 1,000 characters" in too_long.content.decode()
    assert "x" * 1_001 in too_long.content.decode()  # what they wrote is still there

    huge = send(client, seed_article, {"text": "x" * 20_000})
    assert huge.status_code == 413
    assert "Your message is too long" in huge.content.decode()

    empty = send(client, seed_article, {"text": "   "})
    assert empty.status_code == 400
    assert "in a few words" in empty.content.decode()
    assert not Feedback.objects.exists()


def test_a_bot_that_fills_the_hidden_box_is_refused(client, seed_article):
    form_url = reverse("articles:feedback", args=[seed_article.slug])
    for page in (seed_article.get_absolute_url(), form_url):  # both forms have the box
        assert f'name="{TRAP_FIELD}"' in client.get(page).content.decode()

    response = send(client, seed_article, {"text": "Great post!", TRAP_FIELD: "http://spam"})

    assert response.status_code == 400
    assert "automatic program" in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_article_page_still_sets_no_cookie_and_comes_from_the_page_cache(client, seed_article):
    url = seed_article.get_absolute_url()
    fresh = client.get(url)
    cached = warm(client, url)

    html = cached.content.decode()
    assert "Is this page useful?" in html
    assert f'action="{reverse("articles:feedback", args=[seed_article.slug])}"' in html
    assert "csrfmiddlewaretoken" not in html
    for response in (fresh, cached):
        assert not response.cookies
        assert "public" in response["Cache-Control"]
    # The form and the thanks are shared pages too, and answering sets no cookie either.
    form_url = reverse("articles:feedback", args=[seed_article.slug])
    assert warm(client, form_url).status_code == 200
    assert not send(client, seed_article, {"useful": "yes"}).cookies


def test_nothing_that_identifies_a_reader_is_stored(client, seed_article):
    send(
        client, seed_article, {"text": "Out of date."},
        HTTP_X_FORWARDED_FOR="198.51.100.23", HTTP_USER_AGENT="Reader's Browser/1.0",
    )  # fmt: skip

    stored = {field.name for field in Feedback._meta.concrete_fields}
    assert stored == {
        "id", "article", "publication", "kind", "text", "received_on", "handled_at",
        "handled_by", "handled_note",
    }  # fmt: skip
    row = Feedback.objects.values().get()
    assert "198.51.100.23" not in str(row) and "Browser" not in str(row)
    assert isinstance(row["received_on"], datetime.date)  # the day, not the moment


def test_old_feedback_is_deleted_after_the_retention_setting(seed_article, settings):
    settings.FEEDBACK_RETENTION_DAYS = 30
    today = timezone.localdate()
    old = Feedback.objects.create(
        article=seed_article, kind="useful", received_on=today - datetime.timedelta(days=31)
    )
    kept = Feedback.objects.create(
        article=seed_article, kind="useful", received_on=today - datetime.timedelta(days=30)
    )

    assert forget_old() == 1

    assert list(Feedback.objects.all()) == [kept]
    assert not Feedback.objects.filter(pk=old.pk).exists()


def test_the_first_feedback_of_a_day_deletes_what_is_past_keeping(client, seed_article):
    Feedback.objects.create(article=seed_article, kind="useful", received_on="2020-01-01")

    send(client, seed_article, {"useful": "yes"})

    assert Feedback.objects.filter(received_on="2020-01-01").count() == 0
    assert Feedback.objects.count() == 1


def test_editors_mark_a_report_handled_with_a_note_and_cannot_change_the_readers_words(
    editor, seed_article
):
    report = Feedback.objects.create(article=seed_article, kind="problem", text="No dosage.")
    url = reverse("admin:articles_feedback_change", args=[report.pk])
    assert editor.get(url).status_code == 200

    response = editor.post(
        url, {"handled": "on", "handled_note": "Added a line.", "text": "Edited by an editor"}
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.text == "No dosage."
    assert report.handled_note == "Added a line."
    assert report.handled_at is not None and report.handled_by is not None
    assert editor.get(reverse("admin:articles_feedback_add")).status_code == 403
    delete = reverse("admin:articles_feedback_delete", args=[report.pk])
    assert editor.get(delete).status_code == 403


def test_the_article_list_shows_and_filters_articles_with_reports_to_handle(
    admin_client, launch_content
):
    reported, quiet = launch_content
    Feedback.objects.create(article=reported, kind="problem", text="Hard to read.")
    Feedback.objects.create(
        article=reported, kind="problem", text="Done.", handled_at=timezone.now()
    )
    Feedback.objects.create(article=quiet, kind="not_useful")

    listing = admin_client.get(
        reverse("admin:articles_article_changelist"), {"reports": "to_handle"}
    )

    assert list(listing.context["cl"].result_list) == [reported]
    assert listing.context["cl"].result_list[0].reports_to_handle == 1


def test_comments_since_the_last_review_only(admin_client, seed_article):
    Review.objects.filter(article=seed_article).delete()
    Review.objects.create(
        article=seed_article, reviewed_on=timezone.localdate() - datetime.timedelta(days=10),
        kind=Review.Kind.EDITORIAL, reviewer_name="Editorial team",
    )  # fmt: skip
    Feedback.objects.create(
        article=seed_article, kind="problem", text="Before the review.",
        received_on=timezone.localdate() - datetime.timedelta(days=20),
    )  # fmt: skip
    Feedback.objects.create(article=seed_article, kind="problem", text="After the review.")

    page = admin_client.get(reverse("admin:articles_article_change", args=[seed_article.pk]))

    assert [report.text for report in page.context["reader_feedback"]["latest"]] == [
        "After the review."
    ]


def test_comments_export_as_csv_with_formulas_defused(admin_client, seed_article):
    Feedback.objects.create(article=seed_article, kind="problem", text='=HYPERLINK("x")')
    Feedback.objects.create(article=seed_article, kind="problem", text="Plain words, please.")

    response = admin_client.post(
        reverse("admin:articles_feedback_changelist"),
        {
            "action": "export_csv",
            "_selected_action": Feedback.objects.values_list("pk", flat=True),
        },
    )

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Received", "Article", "Answer", "What the reader wrote"]
    assert {row[3] for row in rows[1:]} == {'\'=HYPERLINK("x")', "Plain words, please."}


def test_a_draft_takes_no_feedback(client):
    draft = ArticleFactory(status="draft", publish_at=None)
    assert send(client, draft, {"useful": "yes"}).status_code == 404
    assert client.get(reverse("articles:feedback", args=[draft.slug])).status_code == 404
