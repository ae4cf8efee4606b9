import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Review
from tests.factories import ArticleFactory, ReviewFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def test_page_names_the_clinician_once_a_clinical_review_is_recorded(client):
    article = ArticleFactory()
    ReviewFactory(article=article, reviewed_on=datetime.date(2026, 1, 5))
    ReviewFactory(
        article=article,
        kind=Review.Kind.CLINICAL,
        reviewed_on=datetime.date(2026, 2, 9),
        reviewer_name="Dr Example Person",
        reviewer_role="Consultant neurologist",
    )

    text = page_text(client.get(article.get_absolute_url()))

    assert "Reviewed by Dr Example Person, Consultant neurologist, on 9 February 2026." in text
    assert "not yet been reviewed by a clinician" not in text
    assert "Page last reviewed: 9 February 2026 (clinical review)" in text
    assert "Next review due: 9 February 2029" in text


def test_an_editor_can_bring_the_next_review_forward(client):
    article = ArticleFactory(review_due_on=datetime.date(2027, 6, 1))
    ReviewFactory(article=article, reviewed_on=datetime.date(2026, 1, 5))

    assert "Next review due: 1 June 2027" in page_text(client.get(article.get_absolute_url()))


def test_an_unreviewed_page_says_so_and_shows_no_dates(client):
    article = ArticleFactory()

    text = page_text(client.get(article.get_absolute_url()))

    assert "This page has not yet been reviewed by a clinician." in text
    assert "Page last reviewed" not in text


def changelist(client, **params):
    response = client.get(reverse("admin:articles_article_changelist"), params)
    return {article.title for article in response.context["cl"].result_list}


def test_admin_filters_articles_due_or_overdue_for_review(admin_client):
    today = timezone.localdate()
    overdue = ArticleFactory(title="Overdue")
    ReviewFactory(article=overdue, reviewed_on=today - datetime.timedelta(days=3 * 366))
    due_soon = ArticleFactory(title="Due soon", review_due_on=today + datetime.timedelta(days=30))
    ReviewFactory(article=due_soon, reviewed_on=today)
    fresh = ArticleFactory(title="Fresh")
    ReviewFactory(article=fresh, reviewed_on=today)
    ArticleFactory(title="Never")

    assert changelist(admin_client, review="overdue") == {"Overdue", "Never"}
    assert changelist(admin_client, review="due") == {"Overdue", "Due soon", "Never"}
    assert changelist(admin_client, review="never") == {"Never"}


def test_changelist_shows_when_each_review_is_due(admin_client):
    article = ArticleFactory(title="Reviewed")
    ReviewFactory(article=article, reviewed_on=datetime.date(2026, 3, 1))

    body = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert "1 March 2029" in body


def test_a_clinical_review_needs_the_reviewers_role_name(db):
    from django.core.exceptions import ValidationError

    review = Review(
        article=ArticleFactory(),
        reviewed_on=datetime.date(2026, 1, 1),
        kind=Review.Kind.CLINICAL,
        reviewer_name="Dr Example",
    )

    with pytest.raises(ValidationError, match="role"):
        review.full_clean()


def test_a_published_article_is_never_shown_as_reviewed_without_a_review(client):
    article = ArticleFactory(status=Article.Status.PUBLISHED)

    assert "Reviewed by" not in page_text(client.get(article.get_absolute_url()))


def test_a_review_after_the_editors_date_sets_the_next_one(client):
    article = ArticleFactory(review_due_on=datetime.date(2026, 1, 1))
    ReviewFactory(article=article, reviewed_on=datetime.date(2026, 1, 5))

    assert article.next_review_due() == datetime.date(2029, 1, 5)
    assert article not in Article.objects.review_due_by(datetime.date(2026, 6, 1))
    assert article in Article.objects.review_due_by(datetime.date(2029, 1, 5))


def test_the_changelist_and_the_page_agree_on_the_next_review(admin_client, client):
    article = ArticleFactory(title="Agreed", review_due_on=datetime.date(2026, 1, 1))
    ReviewFactory(article=article, reviewed_on=datetime.date(2026, 1, 5))

    listing = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()
    page = page_text(client.get(article.get_absolute_url()))

    assert "5 January 2029" in listing and "1 January 2026" not in listing
    assert "Next review due: 5 January 2029" in page
