"""Search in the admin: the synonyms editors keep for readers' own words, and what
readers searched for (the last 30 days), to see what to add or write next."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path

from articles.models import Synonym
from articles.numbers import WholeNumberIds
from articles.search import log


@admin.register(Synonym)
class SynonymAdmin(WholeNumberIds, admin.ModelAdmin):
    list_display = ["words", "language", "note"]
    list_filter = ["language"]
    search_fields = ["words", "note"]
    fields = ["words", "language", "note"]

    def get_urls(self):
        report = self.admin_site.admin_view(self.searches_view)
        return [
            path("readers-searches/", report, name="articles_synonym_searches"),
            *super().get_urls(),
        ]

    def searches_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        top, unfound = log.report()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"What readers searched for, the last {log.KEPT_DAYS} days",
            "top": top,
            "unfound": unfound,
            "may_add": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/articles/synonym/searches.html", context)
