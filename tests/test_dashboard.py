"""The admin's home page: each role's work, each item a link to where it is dealt with, in
a fixed number of queries. Through the real admin, as each role."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Feedback, Publication, Review, Section, WorkingCopy
from articles.search import log
from tests.accounts import member_of
from tests.admin_forms import (
    change_form_data,
    change_url,
    inline_prefix,
    sign_off_url,
    unrendered,
)
from tests.factories import ArticleFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")


def save(client, article, **extra):
    """Save a change to the article's first section, as the change page's buttons do."""
    page = unrendered(client, change_url(article))
    data = change_form_data(page, publish=False)
    data[f"{inline_prefix(page, Section)}-0-body"] = "Wombats stretch their calves slowly."
    data.update(extra)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context and response.context["errors"]


def links(response):
    return response.content.decode()


def test_an_editor_sees_their_unpublished_changes_linked_to_the_change_page(editor, seed_article):
    save(editor, seed_article)

    home = editor.get(HOME)

    assert home.status_code == 200
    assert "no-store" in home["Cache-Control"]
    assert "Your unpublished changes" in page_text(home)
    assert f'href="{change_url(seed_article)}"' in links(home)
    assert "You have no unpublished changes" not in page_text(home)


def test_another_editors_changes_are_not_listed_as_yours(editor, seed_article):
    save(member_of("Editors", username="someone-else"), seed_article)

    assert "You have no unpublished changes" in page_text(editor.get(HOME))


def test_a_change_sent_back_shows_with_its_comment_and_who_sent_it(
    editor, clinical_reviewer, seed_article
):
    save(editor, seed_article, _submit="1")
    sent = clinical_reviewer.post(
        sign_off_url(seed_article), {"_send_back": "1", "comment": "Check the dose wording."}
    )
    assert sent.status_code == 302

    text = page_text(editor.get(HOME))

    assert "Sent back to you" in text
    assert "Check the dose wording." in text
    assert "sent back by clinical_reviewers" in text
    assert "Nothing was sent back to you" not in text


def test_a_reviewer_sees_the_queue_with_how_long_each_has_waited_linked_to_sign_off(
    editor, clinical_reviewer, seed_article
):
    save(editor, seed_article, _submit="1")
    WorkingCopy.objects.filter(article=seed_article).update(
        submitted_at=timezone.now() - datetime.timedelta(days=2, hours=3)
    )

    home = clinical_reviewer.get(HOME)

    assert f'href="{sign_off_url(seed_article)}"' in links(home)
    assert "2 days, 3 hours" in page_text(home)
    # The editor sees the queue too, linked to the change page they can work on.
    assert f'href="{sign_off_url(seed_article)}"' not in links(editor.get(HOME))


def test_reviews_due_and_never_reviewed_are_listed_for_reviewers_most_overdue_first(
    clinical_reviewer, editor
):
    today = timezone.localdate()
    never = ArticleFactory(title="Never reviewed")
    overdue = ArticleFactory(title="Overdue")
    Review.objects.create(article=overdue, reviewed_on=today - datetime.timedelta(days=3 * 366))
    soon = ArticleFactory(title="Soon", review_due_on=today + datetime.timedelta(days=10))
    Review.objects.create(article=soon, reviewed_on=today - datetime.timedelta(days=30))
    fine = ArticleFactory(title="Reviewed last month")
    Review.objects.create(article=fine, reviewed_on=today - datetime.timedelta(days=30))

    text = page_text(clinical_reviewer.get(HOME))

    # The list of reviews only: the translations' list, below it, names every live article.
    reviews = text[text.index("Reviews due") : text.index("Translations to do")]
    assert reviews.index("Never reviewed") < reviews.index("Overdue") < reviews.index("Soon")
    assert "never reviewed" in reviews and "overdue since" in reviews and "due on" in reviews
    assert "Reviewed last month" not in reviews
    home = links(clinical_reviewer.get(HOME))
    for article in (never, overdue, soon):
        assert f'href="{change_url(article)}"' in home
    assert "Reviews due" not in page_text(editor.get(HOME))


def test_reader_reports_not_yet_handled_link_to_where_they_are_handled(
    clinical_reviewer, seed_article
):
    report = Feedback.objects.create(
        article=seed_article, kind=Feedback.Kind.PROBLEM, text="The link to NHS 111 is broken."
    )
    Feedback.objects.create(
        article=seed_article, kind=Feedback.Kind.PROBLEM, text="Already dealt with.",
        handled_at=timezone.now(),
    )  # fmt: skip

    home = clinical_reviewer.get(HOME)

    assert "The link to NHS 111 is broken." in page_text(home)
    assert "Already dealt with." not in page_text(home)
    handle = reverse("admin:articles_feedback_change", args=[report.pk])
    assert f'href="{handle}"' in links(home)
    assert clinical_reviewer.get(handle).status_code == 200


def test_searches_that_found_nothing_this_week_offer_a_synonym_in_one_click(editor, db):
    log.record("charlie horse", found=False)
    log.record("charlie horse", found=False)
    log.record("calf cramp", found=True)

    home = editor.get(HOME)

    add = reverse("admin:articles_synonym_add") + "?words=charlie%20horse%2C%20"
    assert f'href="{add}"' in links(home)
    assert "calf cramp" not in page_text(home)
    form = editor.get(add)
    assert form.context["adminform"].form.initial["words"] == "charlie horse, "


def test_what_goes_live_next_is_listed_soonest_first(editor, seed_article):
    later = timezone.now() + datetime.timedelta(days=2)
    new = ArticleFactory(title="A new article", publish_at=timezone.now() + datetime.timedelta(1))
    Publication.objects.create(article=seed_article, published_at=later, went_live_at=None)

    text = page_text(editor.get(HOME))

    going = text[text.index("Going live next") :]
    assert going.index("A new article") < going.index(seed_article.title)
    assert "new article" in going and "approved changes" in going
    assert f'href="{change_url(new)}"' in links(editor.get(HOME))


def test_someone_with_no_right_on_articles_sees_none_of_the_work(client, django_user_model):
    from tests.accounts import signed_in

    user = django_user_model.objects.create_user("visitor", password="x" * 20, is_staff=True)
    home = signed_in(user).get(HOME)
    text = page_text(home)

    assert home.status_code == 200 and "Your work" in text  # the page, not a refusal

    for heading in ("Your unpublished changes", "Waiting for clinical review", "Reviews due",
                    "Reader reports", "Searches that found nothing"):  # fmt: skip
        assert heading not in text


def many_articles(user, start, count):
    """`count` more published articles, each with some of the work the home page lists,
    the drafts among it `user`'s."""
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            title=f"Article {n}",
            slug=f"article-{n}",
            summary="s" * 60,
            status=Article.Status.PUBLISHED,
            publish_at=now - datetime.timedelta(days=1),
        )
        for n in range(start, start + count)
    )
    states = [WorkingCopy.State.SUBMITTED, WorkingCopy.State.EDITING, WorkingCopy.State.SENT_BACK]
    copies = WorkingCopy.objects.bulk_create(
        WorkingCopy(article=article, state=states[n % 3], submitted_at=now)
        for n, article in enumerate(articles)
    )
    WorkingCopy.edited_by.through.objects.bulk_create(
        WorkingCopy.edited_by.through(workingcopy=copy, user=user) for copy in copies
    )
    Feedback.objects.bulk_create(
        Feedback(article=article, kind=Feedback.Kind.PROBLEM, text="Wrong.")
        for article in articles
    )
    Publication.objects.bulk_create(
        Publication(
            article=article, published_at=now + datetime.timedelta(hours=1), went_live_at=None
        )
        for article in articles
    )
    for n in range(start, start + count, 10):
        log.record(f"unfound query {n}", found=False)


def queries_for_home(client):
    client.get(HOME)  # the session and permissions, cached for the second request
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_the_home_page_costs_the_same_queries_for_ten_articles_as_for_a_thousand(
    clinical_reviewer,
):
    many_articles(clinical_reviewer.user, 0, 10)
    with_ten = queries_for_home(clinical_reviewer)
    many_articles(clinical_reviewer.user, 10, 990)

    home = clinical_reviewer.get(HOME)
    # Every list is full, with a link to the rest.
    for more in ("All articles", "The whole review queue", "All reviews due",
                 "All reports to handle"):  # fmt: skip
        assert more in page_text(home)
    assert queries_for_home(clinical_reviewer) == with_ten
