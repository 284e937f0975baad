"""The feeds' tasks. A catalogue change (a save of a product or stock record)
only marks the feeds stale; beat looks every FEEDS_CHECK_SECONDS and rewrites
them once for a whole burst of changes (an import, a bulk price update), and
rewrites them hourly anyway. Nothing waits on the broker with a countdown, so
a worker's queue drains and a delayed task can't be redelivered twice."""

from celery import shared_task
from django.core.cache import cache
from django.db import OperationalError

from integrations import feeds

FEEDS_STALE_KEY = "integrations:feeds-stale"
FEEDS_CHECK_SECONDS = 300


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def feeds_generate_task() -> int:
    """Rewrite both feeds; safe to run again. Run by beat hourly."""
    # Cleared first: a change made while this runs marks them stale again.
    cache.delete(FEEDS_STALE_KEY)
    return feeds.feeds_generate()


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def feeds_refresh_task() -> int:
    """Rewrite the feeds when the catalogue changed since they were made; run
    by beat every FEEDS_CHECK_SECONDS. Returns the items written (0: none)."""
    if not cache.delete(FEEDS_STALE_KEY):
        return 0
    return feeds.feeds_generate()


def feeds_mark_stale() -> None:
    cache.set(FEEDS_STALE_KEY, 1, timeout=None)
