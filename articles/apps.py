from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django_otp.plugins.otp_totp import apps as totp_apps

# The libraries' configs below are named in INSTALLED_APPS; `default = False` (and importing
# their modules, not their classes) keeps "articles" meaning ArticlesConfig.


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Content"


class EditorsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the site with two-step sign-in and guarded library URLs."""

    default = False
    default_site = "articles.dashboard.site.DashboardAdminSite"


class SignInSecurityConfig(axes_apps.AppConfig):
    """django-axes' lockout records, under a name editors understand (not "Axes")."""

    default = False
    verbose_name = "Sign-in security"


class TwoStepSignInConfig(totp_apps.DefaultConfig):
    """django-otp's authenticator apps (TOTP devices), not "Otp_Totp"."""

    default = False
    verbose_name = "Two-step sign-in"
