"""Counts of what anonymous shoppers do, kept in Redis and written in batches.

A product view or basket addition by an anonymous shopper is one HINCRBY in Redis,
not a task and a database write per event. The beat task `counters_flush_task`
adds the counts to Oscar's ProductRecord every `SHOP_ANALYTICS_FLUSH_SECONDS`.
Signed-in shoppers' events also update their own records, so they still go one by
one through a task (`analytics.receivers`).

A flush renames the live counts aside before reading them, so events arriving
meanwhile start a new batch, and deletes the batch once its counts are committed;
a batch left aside by a flush that died is written by the next one. (A flush that
dies between its commit and the delete counts that batch twice: an accepted
over-count, never a lost one.) Without Redis (`SHOP_ANALYTICS_BUFFER` off, the
embedded default) every event goes through the task.
"""

import functools
import logging

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from oscar.apps.analytics.models import ProductRecord

from catalogue.models import Product

logger = logging.getLogger(__name__)

# Counter name -> the ProductRecord field it adds to.
FIELDS = {"views": "num_views", "basket_additions": "num_basket_additions"}


@functools.cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def buffer_client() -> redis.Redis | None:
    """The Redis that buffers behaviour (counts here, events in
    personalisation.events); None without one."""
    if not settings.SHOP_ANALYTICS_BUFFER or not settings.REDIS_URL:
        return None
    return _redis(settings.REDIS_URL)


def _key(name: str) -> str:
    # The cache's key prefix keeps shops (and tests) sharing a Redis apart.
    return cache.make_key(f"analytics:{name}")


def counter_add(name: str, product_id: int) -> bool:
    """Count one event for this product; False when there is no buffer and the
    caller must record it some other way."""
    client = buffer_client()
    if client is None:
        return False
    client.hincrby(_key(name), str(product_id), 1)
    return True


def counters_flush() -> int:
    """Add the buffered counts to the product records; returns how many product
    counts were written."""
    client = buffer_client()
    if client is None:
        return 0
    lock = client.lock(_key("flush-lock"), timeout=300)
    if not lock.acquire(blocking=False):
        return 0  # another flush is running
    try:
        return sum(_batch_flush(client, name, field) for name, field in FIELDS.items())
    finally:
        lock.release()


def _batch_flush(client: redis.Redis, name: str, field: str) -> int:
    live, aside = _key(name), _key(f"{name}:flushing")
    if not client.exists(aside):
        try:
            client.rename(live, aside)
        except redis.ResponseError:
            return 0  # nothing counted since the last flush
    counts = {
        int(product_id): int(count)
        for product_id, count in client.hgetall(aside).items()
    }
    existing = set(Product.objects.filter(pk__in=counts).values_list("pk", flat=True))
    with transaction.atomic():
        for product_id in sorted(existing):  # a fixed order: no deadlocks
            _count_add(product_id, field, counts[product_id])
    client.delete(aside)
    if len(existing) < len(counts):
        logger.info(
            "Dropped %s counts of %d deleted products",
            name,
            len(counts) - len(existing),
        )
    return len(existing)


def _count_add(product_id: int, field: str, count: int) -> None:
    records = ProductRecord.objects.filter(product_id=product_id)
    if records.update(**{field: F(field) + count}):
        return
    try:
        with transaction.atomic():
            ProductRecord.objects.create(product_id=product_id, **{field: count})
    except IntegrityError:  # created meanwhile by a signed-in shopper's event
        records.update(**{field: F(field) + count})
