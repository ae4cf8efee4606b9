"""Endpoints for load balancers: is the process alive, and can it serve readers."""

import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def liveness(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readiness(request):
    """503 without the database. Without the cache the site still serves, more slowly, so
    the host stays in rotation and reports itself degraded."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    if not checks["database"]:
        return JsonResponse({"status": "unavailable", **checks}, status=503)
    return JsonResponse({"status": "ok" if checks["cache"] else "degraded", **checks})


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _cache_ok():
    key, value = f"readyz:{uuid.uuid4().hex}", "ok"
    try:
        cache.set(key, value, timeout=10)
        found = cache.get(key)
        cache.delete(key)
        return found == value
    except Exception:
        return False
