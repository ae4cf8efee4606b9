"""Whose request this is, as far as an address says: for sign-in limits and feedback limits."""

import ipaddress
import logging

from django.conf import settings

log = logging.getLogger(__name__)

# What one home or phone is given in IPv6: any address in it is the same reader's to use.
IPV6_READER_PREFIX = 64
_told_of_untrusted_proxy = False


def client_ip(request):
    """The reader's address as our own proxy reports it, never the proxy's address.

    The proxy appends the address it was connected from to X-Forwarded-For; entries before
    that came from the client and prove nothing. Only the proxies in TRUSTED_PROXIES are
    believed (none unless configured): without one in front, the connecting address is
    the reader's.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and from_trusted_proxy(remote):
        named = forwarded.split(",")[-1].strip()
        if parsed(named):
            return named
    elif forwarded and not settings.TRUSTED_PROXIES:
        tell_of_untrusted_proxy(remote)
    return remote


def tell_of_untrusted_proxy(remote):
    """Once a process: behind a proxy nobody named, every reader shares its address, and so
    its limits."""
    global _told_of_untrusted_proxy
    if not _told_of_untrusted_proxy:
        _told_of_untrusted_proxy = True
        log.warning(
            "X-Forwarded-For from %s ignored: no proxy is trusted. If it is this site's own "
            "proxy, name it in DJANGO_TRUSTED_PROXIES, or every reader shares its limits.",
            remote,
        )


def limit_key(address):
    """What a per-reader limit counts for `address`: an IPv4 address itself, an IPv6 one's
    /64. Not for logs: the address stays the address."""
    ip = parsed(address)
    if ip is None or ip.version == 4:
        return address
    if ip.ipv4_mapped:  # a dual-stack server's spelling of an IPv4 reader
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network((ip, IPV6_READER_PREFIX), strict=False))


def from_trusted_proxy(address):
    ip = parsed(address)
    return ip is not None and any(
        ip in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES
    )


def parsed(address):
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None
