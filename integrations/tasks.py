"""The feeds' task and its debounced trigger: a burst of catalogue changes (an
import, a bulk price update) queues one regeneration, a few minutes later."""

from celery import shared_task
from django.core.cache import cache
from django.db import OperationalError

from integrations import feeds

FEEDS_PENDING_KEY = "integrations:feeds-pending"
FEEDS_DELAY_SECONDS = 300


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def feeds_generate_task() -> int:
    """Rewrite both feeds; safe to run again. Run by beat hourly and after
    catalogue changes."""
    # Cleared first: a change made while this runs queues the next run.
    cache.delete(FEEDS_PENDING_KEY)
    return feeds.feeds_generate()


def feeds_generate_soon() -> None:
    """Queue a regeneration in FEEDS_DELAY_SECONDS unless one is queued already."""
    # Kept a little past the delay, in case the queued run never clears it.
    if cache.add(FEEDS_PENDING_KEY, 1, timeout=FEEDS_DELAY_SECONDS + 60):
        feeds_generate_task.apply_async(countdown=FEEDS_DELAY_SECONDS)
