import pytest
from django.urls import get_resolver, resolve, reverse
from django.urls.resolvers import URLResolver

from articles import views

ROUTES = [
    ("articles:index", {}, "/"),
    ("articles:search", {}, "/search/"),
    ("articles:feed", {}, "/feed/"),
    ("sitemap", {}, "/sitemap.xml"),
    ("sitemap_section", {"section": "articles"}, "/sitemap-articles.xml"),
    ("robots_txt", {}, "/robots.txt"),
    ("healthz", {}, "/healthz"),
    ("readyz", {}, "/readyz"),
    ("articles:diary", {}, "/diary/"),
    ("articles:article_detail", {"slug": "night-calf-cramps"}, "/articles/night-calf-cramps/"),
    (
        "articles:bedside_card",
        {"slug": "night-calf-cramps"},
        "/articles/night-calf-cramps/bedside-card/",
    ),
    ("articles:feedback", {"slug": "night-calf-cramps"}, "/articles/night-calf-cramps/feedback/"),
    (
        "articles:feedback_thanks",
        {"slug": "night-calf-cramps"},
        "/articles/night-calf-cramps/feedback/thanks/",
    ),
    ("markdownx_markdownify", {}, "/markdownx/markdownify/"),
    ("markdownx_upload", {}, "/markdownx/upload/"),
    ("api_guide", {}, "/api/"),
    ("service_worker", {}, "/sw.js"),
    ("articles:offline", {}, "/offline/"),
    ("articles:manifest", {}, "/manifest.webmanifest"),
    ("api:articles", {}, "/api/v1/"),
    (
        "api:article",
        {"language": "ru", "slug": "night-calf-cramps"},
        "/api/v1/articles/ru/night-calf-cramps/",
    ),
    ("api:openapi-json", {}, "/api/v1/openapi.json"),
]
# Names that only reverse: their address answers under another name. django-ninja finds
# the API's root by this one; the list of articles is served there.
REVERSE_ONLY = [("api:api-root", {}, "/api/v1/")]


def project_route_names(resolver=None, namespace=""):
    """Every named route outside the admin, with its namespace."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                names |= project_route_names(pattern, inner)
        elif pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


@pytest.mark.parametrize(("name", "kwargs", "path"), ROUTES)
def test_url_names_round_trip(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert match.view_name == name
    assert match.captured_kwargs == kwargs


def test_every_named_route_is_covered_above():
    assert project_route_names() == {name for name, _, _ in ROUTES + REVERSE_ONLY}
    for name, kwargs, path in REVERSE_ONLY:
        assert reverse(name, kwargs=kwargs) == path


def test_article_route_uses_the_detail_view():
    assert resolve("/articles/x/").func.view_class is views.ArticleDetailView
