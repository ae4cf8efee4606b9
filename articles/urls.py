from django.conf import settings
from django.urls import path
from django.views.decorators.cache import cache_control

from articles import views
from articles.feedback import views as feedback
from articles.offline import views as offline
from articles.seo.feeds import LatestArticlesFeed

app_name = "articles"

# Reader pages are the same for everyone, so a CDN or proxy may keep them briefly.
public = cache_control(public=True, max_age=settings.PUBLIC_CACHE_SECONDS)

urlpatterns = [
    path("", public(views.ArticleListView.as_view()), name="index"),
    path("search/", public(views.search_results), name="search"),
    path("diary/", public(views.DiaryView.as_view()), name="diary"),
    # What the service worker shows offline for a page never saved, and the manifest.
    path("offline/", public(offline.OfflineView.as_view()), name="offline"),
    path("manifest.webmanifest", public(offline.manifest), name="manifest"),
    path("feed/", public(LatestArticlesFeed()), name="feed"),
    path(
        "articles/<slug:slug>/",
        public(views.ArticleDetailView.as_view()),
        name="article_detail",
    ),
    # Its own cache headers: the form and thanks are shared, what a POST gets is not.
    path("articles/<slug:slug>/feedback/", feedback.feedback, name="feedback"),
    path("articles/<slug:slug>/feedback/thanks/", feedback.thanks, name="feedback_thanks"),
    path(
        "articles/<slug:slug>/bedside-card/",
        public(views.BedsideCardView.as_view()),
        name="bedside_card",
    ),
]
