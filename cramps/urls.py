from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from articles import health
from articles.api.views import api, guide
from articles.editing.views import StaffImageUploadView, StaffMarkdownifyView
from articles.offline.views import service_worker
from articles.seo.sitemaps import SITEMAPS
from articles.urls import public
from articles.views import robots_txt, serve_upload

UPLOAD_NAME = r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}(?:-[0-9]{1,5}x[0-9]{1,5})?"

handler404 = "articles.views.page_not_found"
handler500 = "articles.views.server_error"

admin.site.site_header = f"{settings.SITE_NAME} editors"
admin.site.site_title = f"{settings.SITE_NAME} editors"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The paths django-markdownx's editor calls, answered by our staff-only views.
    path("markdownx/upload/", StaffImageUploadView.as_view(), name="markdownx_upload"),
    path("markdownx/markdownify/", StaffMarkdownifyView.as_view(), name="markdownx_markdownify"),
    # An index of sitemap files, one per section, each paged by its sitemap's limit.
    path(
        "sitemap.xml",
        public(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", public(robots_txt), name="robots_txt"),
    # At the root, so that it may answer for every page (a worker's scope is its folder).
    path("sw.js", service_worker, name="service_worker"),
    # The open content API, and its page for developers.
    path("api/v1/", api.urls),
    path("api/", public(guide), name="api_guide"),
    path("healthz", health.liveness, name="healthz"),
    path("readyz", health.readiness, name="readyz"),
    # Reader pages in every language: English at its addresses, others under /<code>/.
    *i18n_patterns(path("", include("articles.urls")), prefix_default_language=False),
]

if settings.SERVE_MEDIA:
    # Uploads are only ever JPEG or PNG files re-encoded by the upload view; nothing else
    # under media/ is served, so no file there can become a page.
    urlpatterns += [
        # A UUID, then the size the upload view writes (older uploads have none).
        re_path(
            rf"^media/{settings.MARKDOWNX_MEDIA_PATH}(?P<name>{UPLOAD_NAME})\.(?P<ext>jpg|png)$",
            serve_upload,
            name="upload",
        ),
    ]
