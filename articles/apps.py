from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Patient information"


class EditorsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the site with two-step sign-in and guarded library URLs."""

    default = False  # named in INSTALLED_APPS; "articles" still means ArticlesConfig
    default_site = "articles.accounts.site.EditorsAdminSite"
