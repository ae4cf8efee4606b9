"""Whose request this is, as far as an address says: for sign-in limits and feedback limits."""

from django.conf import settings


def client_ip(request):
    """The reader's address as our own proxy reports it, never the proxy's address.

    The proxy appends the address it was connected from to X-Forwarded-For; entries before
    that came from the client and prove nothing. Without a trusted proxy in front, the
    connecting address is the reader's.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote in settings.TRUSTED_PROXIES and forwarded:
        return forwarded.split(",")[-1].strip()
    return remote
