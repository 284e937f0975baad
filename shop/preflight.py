"""Start-up checks: the shop refuses to start on a database or cache it can't reach.

Each failure is one line naming the variable to fix, not a traceback.
"""

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, connections

from shop.config import ConfigError


def check_database() -> str | None:
    try:
        connection.ensure_connection()
    except Exception as exc:  # noqa: BLE001 - any driver error means "down"
        return _first_line(exc)
    return None


def check_cache() -> str | None:
    try:
        cache.set("healthz", "ok", 5)
        if cache.get("healthz") != "ok":
            return "the cache did not return what was stored"
    except Exception as exc:  # noqa: BLE001 - any client error means "down"
        return _first_line(exc)
    return None


def check_services() -> None:
    """Check at start, then close what the check opened: gunicorn's `--preload`
    forks workers from this process, and a connection must never be shared."""
    try:
        _check_services()
    finally:
        connections.close_all()
        for backend in caches.all(initialized_only=True):
            backend.close()


def _check_services() -> None:
    problem = check_database()
    if problem:
        raise ConfigError(
            "DATABASE_URL", f"names a database that can't be reached: {problem}"
        )
    if settings.REDIS_URL:
        problem = check_cache()
        if problem:
            raise ConfigError(
                "REDIS_URL", f"names a Redis that can't be reached: {problem}"
            )


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__
