"""Who may send feedback: the rules a POST passes before anything in it is read or kept.

The article page comes from the shared page cache, the same bytes for everyone, so its form
carries no CSRF token and the site sets no cookie. In their place: the browser's own
Sec-Fetch-Site, Origin or Referer header must say the form came from our own pages, the
shared cache counts each reader's sends (by address, an IPv6 address by its /64), a hidden
box catches bots that fill in every field, the site stores no more than a day's cap from
everyone together, and the body's declared size is checked first.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from articles import limits
from articles.accounts.addresses import client_ip, limit_key
from articles.models.feedback import TEXT_MAX_LENGTH, Feedback
from articles.numbers import declared_length

# The hidden box (templates/includes/feedback_trap.html): people never see it, simple bots
# fill it in.
TRAP_FIELD = "leave_this_empty"
# Four bytes a character at most in UTF-8, three times that form-encoded, and the other fields.
MAX_BODY_BYTES = TEXT_MAX_LENGTH * 12 + 2_048


@dataclass
class Refusal:
    status: int
    title: str
    explanation: str
    retry_after: int = 0


def refusal(request):
    """Why this POST is refused, or None. Reads headers and the shared cache first; the
    body only for the trap, and the database only for the day's count, last."""
    length = declared_length(request)
    if length is None or length > MAX_BODY_BYTES:
        return Refusal(
            413,
            gettext("Your message is too long"),
            ngettext(
                "Please keep it under %(count)s character and send it again.",
                "Please keep it under %(count)s characters and send it again.",
                TEXT_MAX_LENGTH,
            )
            % {"count": number_format(TEXT_MAX_LENGTH, force_grouping=True)},
        )
    if not same_site(request):
        return Refusal(
            403,
            gettext("This form can only be sent from our own pages"),
            gettext("Please open the page on this site and send your feedback from there."),
        )
    too_many = over_the_limit(limit_key(client_ip(request)))
    if too_many:
        return too_many
    if request.POST.get(TRAP_FIELD):
        return Refusal(
            400,
            gettext("Your feedback was not sent"),
            gettext(
                "Something filled in a box that people never see, so we took it for an "
                "automatic program. If you are a person, please go back and send it again."
            ),
        )
    return full_for_today()


def same_site(request):
    """Whether the browser says the form came from one of our own pages: Sec-Fetch-Site
    where it sends it, else Origin, else Referer (the site's Referrer-Policy sends it to
    our own pages only). A request that says none of them is refused: no reader's
    browser sends such a form."""
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    ours = f"{request.scheme}://{request.get_host()}".lower()
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return origin.lower() == ours
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    return f"{referer.scheme}://{referer.netloc}".lower() == ours


def full_for_today():
    """Whether the site has stored its cap of feedback for today, from everyone together.
    Counted in the database, so every server shares it; concurrent sends may pass it by
    a few."""
    today = timezone.localdate()
    if Feedback.objects.filter(received_on=today).count() < settings.FEEDBACK_DAILY_CAP:
        return None
    midnight = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time(), timezone.get_current_timezone()
    )
    return Refusal(
        429,
        gettext("Thank you: we have had a lot of feedback today"),
        gettext("We cannot keep any more until tomorrow. Please try again then."),
        retry_after=max(1, int((midnight - timezone.now()).total_seconds())),
    )


def over_the_limit(address):
    """Counts this reader's sends in the shared cache, per minute and per day."""
    windows = [(settings.FEEDBACK_PER_MINUTE, 60), (settings.FEEDBACK_PER_DAY, 24 * 3600)]
    for limit, seconds in windows:
        if limits.count("feedback", address, seconds) > limit:
            return Refusal(
                429,
                gettext("Thank you: we have had a lot of feedback from you"),
                gettext("Please try again in a minute.")
                if seconds == 60
                else gettext("Please try again tomorrow."),
                retry_after=seconds,
            )
    return None
