"""Site-wide response headers, the page's language, editors' idle sessions, and the answer
readers get when the database is down."""

import logging
import re

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from articles import languages
from articles.helplines import help_lines
from articles.publishing import schedule

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class CrossOriginResourcePolicyMiddleware:
    """Other sites may not embed our responses (Django sets the opener policy itself),
    except the open API's (settings.CORS_URLS_REGEX), which are for them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open = re.compile(settings.CORS_URLS_REGEX)

    def __call__(self, request):
        response = self.get_response(request)
        policy = "cross-origin" if self.open.match(request.path_info) else "same-origin"
        response.setdefault("Cross-Origin-Resource-Policy", policy)
        return response


class LanguageFromAddressMiddleware:
    """The page's language from its address alone (articles.languages), active while the
    page is made, so that its addresses resolve and reverse in that language. Unlike
    Django's LocaleMiddleware, it never reads Accept-Language or a cookie, nor varies on
    them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = languages.of_address(request.path_info)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.setdefault("Content-Language", languages.tag(language))
        return response


class StaffSessionIdleMiddleware:
    """A signed-in session ends after settings.STAFF_SESSION_IDLE without a request.

    Django's own expiry does the work: each request moves it that far ahead, so the session
    store drops a session nobody used for that long. Renewed at most once a minute, which
    spares a write for every request of a busy change page. Requests without a session
    cookie (readers') never open the session, so their pages stay the same for everyone.
    """

    RENEW_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # After the view, so that the sign-in that starts a session starts its clock too.
        session = request.session
        if session.session_key is not None and request.user.is_authenticated:
            idle = settings.STAFF_SESSION_IDLE.total_seconds()
            if not idle - self.RENEW_EVERY_SECONDS < session.get_expiry_age() <= idle:
                session.set_expiry(settings.STAFF_SESSION_IDLE)
        return response


class DatabaseUnavailableMiddleware:
    """A plain 503 with Retry-After, never a 500 or a traceback, while the database is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # Lost or refused connections only; a data or integrity error is a bug, not an outage.
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.error("Database unavailable: %s", exception)
        body = render_to_string(
            "500.html",
            {
                "heading": gettext("Sorry, this page is not available right now"),
                "message": gettext("We are fixing a problem. Please try again in a minute."),
                "HELP": help_lines(),
                "PAGE_LANGUAGE": languages.tag(languages.current()),
            },
        )
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


class ScheduledChangesMiddleware:
    """Before a view reads anything, put live the approved changes whose time has come.

    Below the page cache, so it runs only for pages the cache cannot answer: a cached page
    that shows a changing article expires at the time of the change. Views that ask in
    their own first query (checks_schedule) save the query here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(getattr(view_func, "view_class", None), "checks_schedule", False):
            schedule.go_live_due()
        return None
