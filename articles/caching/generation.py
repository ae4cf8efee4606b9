"""Content generations: every cached page carries the one it was rendered in.

Only the write path (articles.publishing.changes) starts a new generation.
"""

import hashlib
import logging
import os
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)


def _release():
    """A fingerprint of what shapes every page besides the content: the templates, the site
    settings and, where the deploy sets it, CRAMPS_RELEASE. A new release starts afresh."""
    digest = hashlib.sha256(os.environ.get("CRAMPS_RELEASE", "").encode())
    for template in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        digest.update(template.read_bytes())
    digest.update(f"{settings.SITE_NAME}|{settings.EMERGENCY_NUMBER}".encode())
    return digest.hexdigest()[:16]


GENERATION_KEY = f"pages:generation:{_release()}"


def invalidate_pages():
    """Make every cached page stale, once the current transaction has committed."""
    transaction.on_commit(_new_generation)


def _new_generation():
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # the cache is down: nothing is served from it either
        log.warning("Could not start a new page-cache generation", exc_info=True)
