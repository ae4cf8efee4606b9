"""How many times a reader did something in a window of time, counted in the shared cache
under a keyed hash of their address: not even the cache holds the address."""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

WINDOW_NAMES = {60: "%Y%m%d%H%M", 24 * 3600: "%Y%m%d"}


def count(what, reader, seconds):
    """Count one more of `what` by `reader` (an address, or what a limit counts for one)
    in the current minute or day (`seconds`: 60 or a day); the count so far, this one
    included."""
    digest = hmac.new(settings.SECRET_KEY.encode(), reader.encode(), hashlib.sha256)
    key = f"{what}:{digest.hexdigest()[:32]}:{timezone.now().strftime(WINDOW_NAMES[seconds])}"
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls: this is the first of a new window
        cache.set(key, 1, timeout=seconds)
        return 1
