"""The catalogue's cache keys.

- The catalogue version: every cached listing fragment's key includes it, and any
  change to what listings show bumps it, so nothing stale is served.
- A product's stamp: a product page's key includes it (with the catalogue
  version), and any change to the product, its variants, stock records, images,
  attribute values or categories renews it (`catalogue.receivers`, after commit).
  Stamps are random, so a stamp the cache has evicted comes back as a new one and
  never matches a page stored under the old.
"""

import uuid

from django.core.cache import cache

VERSION_KEY = "catalogue:version"
PRODUCT_STAMP_KEY = "catalogue:product-stamp:{pk}"
# Beyond this many products in one change, bump the catalogue version instead of
# renewing each stamp (a bulk import invalidates every page anyway).
STAMPS_RENEWED_AT_MOST = 500


def catalogue_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def catalogue_version_bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)


def product_page_versions(product_id: int) -> tuple[int, str]:
    """The catalogue version and the product's stamp, read in one round trip."""
    version, stamps = product_stamps([product_id])
    return version, stamps[product_id]


def product_stamps(product_ids) -> tuple[int, dict[int, str]]:
    """The catalogue version and these products' stamps, read in one round
    trip (a stamp the cache has lost is made anew)."""
    keys = {pk: PRODUCT_STAMP_KEY.format(pk=pk) for pk in set(product_ids)}
    found = cache.get_many([VERSION_KEY, *keys.values()])
    version = found.get(VERSION_KEY) or catalogue_version()
    stamps = {}
    for pk, key in keys.items():
        stamp = found.get(key)
        if stamp is None:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            stamp = cache.get(key)
        stamps[pk] = stamp
    return version, stamps


def product_stamps_renew(product_ids) -> None:
    ids = set(product_ids)
    if len(ids) > STAMPS_RENEWED_AT_MOST:
        catalogue_version_bump()
        return
    cache.set_many(
        {PRODUCT_STAMP_KEY.format(pk=pk): uuid.uuid4().hex for pk in ids},
        timeout=None,
    )
