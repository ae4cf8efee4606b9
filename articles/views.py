from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.generic import DetailView, ListView, TemplateView

from articles import search
from articles.models import Article


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().with_contents()


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().with_parts()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = Article.objects.published().formerly_at(kwargs["slug"]).first()
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(moved.get_absolute_url())


class BedsideCardView(ArticleDetailView):
    template_name = "articles/bedside_card.html"

    def get_queryset(self):
        return super().get_queryset().with_relief_steps()


class DiaryView(TemplateView):
    template_name = "articles/diary.html"
    extra_context = {"rows": range(10)}


def search_results(request):
    query = request.GET.get("q", "")
    response = render(
        request,
        "articles/search_results.html",
        {"query": query[: search.MAX_QUERY_LENGTH], "results": search.search(query)},
    )
    # Results pages are endless and thin: keep them out of search engines.
    response["X-Robots-Tag"] = "noindex"
    return response


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
