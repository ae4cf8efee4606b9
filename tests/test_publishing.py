import datetime
import itertools

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from articles.caching import rendered
from articles.models import Article, Stage
from tests.admin_forms import change_form_data, unrendered
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def test_published_means_live_now():
    now = timezone.now()
    live = ArticleFactory(publish_at=now - HOUR)
    ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    ArticleFactory(publish_at=now + HOUR)  # scheduled
    ArticleFactory(publish_at=now - 2 * HOUR, unpublish_at=now - HOUR)  # taken down

    assert list(Article.objects.published(now=now)) == [live]


def test_a_scheduled_article_goes_live_at_its_time_with_nothing_flipped():
    now = timezone.now()
    scheduled = ArticleFactory(publish_at=now + HOUR, unpublish_at=now + 3 * HOUR)

    assert scheduled not in Article.objects.published(now=now)
    assert scheduled in Article.objects.published(now=now + 2 * HOUR)
    assert scheduled not in Article.objects.published(now=now + 4 * HOUR)


def test_publication_state_reads_as_an_editor_would_say_it():
    now = timezone.now()

    assert ArticleFactory(status=Article.Status.DRAFT).publication_state(now) == "Draft"
    assert ArticleFactory(publish_at=now - HOUR).publication_state(now) == "Published"
    scheduled = ArticleFactory(publish_at=now + HOUR).publication_state(now)
    assert scheduled.startswith("Scheduled for ")
    taken_down = ArticleFactory(publish_at=now - 2 * HOUR, unpublish_at=now - HOUR)
    assert taken_down.publication_state(now) == "Taken down"


def test_readers_cannot_see_a_scheduled_article_anywhere(client):
    scheduled = ArticleFactory(title="Coming soon", publish_at=timezone.now() + HOUR)

    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert "Coming soon" not in client.get(reverse("articles:index")).content.decode()


def test_a_taken_down_article_is_gone_for_readers(client):
    now = timezone.now()
    article = ArticleFactory(publish_at=now - 2 * HOUR, unpublish_at=now - HOUR)

    assert client.get(article.get_absolute_url()).status_code == 404


def test_publishing_without_a_time_goes_live_now(admin_client, client):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    data = change_form_data(unrendered(admin_client, url)) | {
        "status": Article.Status.PUBLISHED,
        "_publish": "Save and publish",
    }

    assert admin_client.post(url, data).status_code == 302

    draft.refresh_from_db()
    assert draft.publish_at <= timezone.now()
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_plain_save_with_status_published_keeps_a_draft_from_readers(admin_client, client):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    data = change_form_data(unrendered(admin_client, url), publish=False)

    assert admin_client.post(url, data | {"status": Article.Status.PUBLISHED}).status_code == 302

    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_taking_down_before_going_live_is_a_form_error(admin_client):
    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(unrendered(admin_client, url))
    data["unpublish_at_0"], data["unpublish_at_1"] = "2001-01-01", "10:00"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Take it down after it goes live" in response.content.decode()


def test_the_database_refuses_a_published_article_without_a_go_live_time():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(publish_at=None)


def test_changelist_shows_each_articles_state(admin_client):
    ArticleFactory(title="Soon", publish_at=timezone.now() + 24 * HOUR)
    ArticleFactory(title="Rough", status=Article.Status.DRAFT, publish_at=None)

    body = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert "Scheduled for" in body and "Draft" in body


def preview_url(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


def test_staff_preview_a_draft_as_readers_will_see_it(admin_client):
    draft = ArticleFactory(title="Work in progress", status=Article.Status.DRAFT, publish_at=None)

    response = admin_client.get(preview_url(draft))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Work in progress</h1>" in body
    assert "Readers cannot see this article yet." in body
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_change_page_offers_a_preview(admin_client):
    article = ArticleFactory()

    body = admin_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()

    assert preview_url(article) in body


def test_readers_cannot_preview(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)

    response = client.get(preview_url(draft))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_rights_on_articles_cannot_preview(client, django_user_model):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    client.force_login(django_user_model.objects.create_user("temp", is_staff=True))

    assert client.get(preview_url(draft)).status_code == 403


def test_view_on_site_opens_the_preview_until_the_article_is_live(admin_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    live = ArticleFactory()
    admin = admin_site_article_admin()

    assert admin.view_on_site(draft) == preview_url(draft)
    assert admin.view_on_site(live) == live.get_absolute_url()


def admin_site_article_admin():
    from django.contrib import admin

    return admin.site._registry[Article]


def test_the_python_and_the_sql_rule_agree_on_every_stage(rf):
    now = timezone.now()
    # The article page's hand-written first query (articles.caching.rendered) too.
    request = rf.get("/articles/any/")
    request.resolver_match = resolve(reverse("articles:article_detail", args=["any"]))
    times = {"none": None, "past": now - HOUR, "future": now + HOUR, "now": now}
    stages = set()
    for status in Article.Status.values:
        for go_live, take_down in itertools.product(times, repeat=2):
            publish_at, unpublish_at = times[go_live], times[take_down]
            if status == Article.Status.PUBLISHED and publish_at is None:
                continue  # the database refuses it
            if publish_at and unpublish_at and unpublish_at <= publish_at:
                continue  # likewise
            article = ArticleFactory(
                status=status, publish_at=publish_at, unpublish_at=unpublish_at
            )
            in_sql = [s for s in Stage if Article.objects.in_stage(s, now).filter(pk=article.pk)]
            assert in_sql == [article.stage(now)], (status, go_live, take_down)
            in_published = Article.objects.published(now).filter(pk=article.pk).exists()
            assert in_published == article.is_live(now), (status, go_live, take_down)
            read = rendered.read(request, article.slug, now)
            assert (read is not None) == in_published, (status, go_live, take_down)
            # The next go-live or take-down: in Python (stored pages) as in SQL (the cache).
            in_sql = Article.objects.filter(pk=article.pk).next_scheduled_change(now)
            assert article.next_stage_change(now) == in_sql, (status, go_live, take_down)
            stages.add(article.stage(now))
    assert stages == set(Stage)  # the grid reaches every stage


def test_the_admin_list_filters_by_where_articles_stand_for_readers(admin_client):
    now = timezone.now()
    ArticleFactory(title="Live one", publish_at=now - HOUR)
    ArticleFactory(title="Scheduled one", publish_at=now + HOUR)
    ArticleFactory(title="Gone one", publish_at=now - 2 * HOUR, unpublish_at=now - HOUR)
    ArticleFactory(title="Draft one", status=Article.Status.DRAFT, publish_at=None)
    changelist = reverse("admin:articles_article_changelist")

    listed = {
        stage: [
            a.title
            for a in admin_client.get(changelist, {"state": stage}).context["cl"].result_list
        ]
        for stage in Stage.values
    }

    assert listed == {
        "draft": ["Draft one"],
        "scheduled": ["Scheduled one"],
        "live": ["Live one"],
        "taken_down": ["Gone one"],
    }
