from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="index"),
    path("search/", views.search_results, name="search"),
    path("diary/", views.DiaryView.as_view(), name="diary"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path(
        "articles/<slug:slug>/bedside-card/",
        views.BedsideCardView.as_view(),
        name="bedside_card",
    ),
]
