"""The open site offers, kept for pricing and for the pages that name them.

Every basket is priced with the site offers, and every listing and product
page names them, so they are read from the database once and kept: in the
cache for a few minutes (forgotten whenever an offer, range, condition or
benefit changes, `offer.apps`), and by each process while the cache's version
of them lasts, so a request does not unpickle hundreds of offers. Offers kept
by a process are shared by its requests and never changed; callers that
change offers (the checkout records their usage) get copies of their own.
"""

import copy
import functools
import uuid
from datetime import datetime

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from offer.models import ConditionalOffer

SITE_OFFERS_KEY = "offer:site-offers"  # (version, offers)
SITE_OFFERS_VERSION_KEY = "offer:site-offers:version"
SITE_OFFERS_SECONDS = 300
# What pricing reads of an offer, loaded with it so that applying offers to a
# basket asks nothing more of the database per offer.
OFFER_RELATIONS = ("condition__range", "benefit__range", "benefit__gift_product")
OFFER_SETS = tuple(
    f"{part}__range__{relation}"
    for part in ("condition", "benefit")
    for relation in ("classes", "included_categories", "excluded_categories")
) + ("customer_groups", "combinations", "in_combination")


def site_offers_open(*, now: datetime | None = None, fresh: bool = False) -> list:
    """The site offers open now (in priority order), with their conditions,
    benefits and ranges. The list is kept in the cache for a few minutes and
    forgotten whenever an offer, range, condition or benefit is saved
    (`offer.apps`); it holds offers that have not ended yet, also those not
    yet started, so an offer opens at its start to the second, and each is
    checked against the clock (dates, days and hours) on every call. `fresh`
    reads them from the database (and renews the cache): what an order is
    priced with, so an offer that ran out a moment ago is not applied.

    Each process keeps the list it last took from the cache and uses it again
    while the cache's version of it is the same (one short read), instead of
    unpickling every offer with its ranges on each request: hundreds of
    offers took longer to unpickle than pricing a basket with them. Those
    offers are shared by the process's requests: they are read, never changed
    (pricing keeps what it works out from them, such as their proxies, on
    them). A fresh list is the caller's own: copies of the cached offers when
    the offers' rows in the database (every column, one query) are those
    cached, else of everything read again."""
    offers = _site_offers_cached()
    if fresh and offers is not None and not _rows_current(offers):
        offers = None
    if offers is None:
        offers = list(
            _site_offers_query()
            .select_related(*OFFER_RELATIONS)
            .prefetch_related(*OFFER_SETS)
        )
        version = uuid.uuid4().hex
        cache.set_many(
            {SITE_OFFERS_KEY: (version, offers), SITE_OFFERS_VERSION_KEY: version},
            SITE_OFFERS_SECONDS,
        )
        _site_offers_keep(version, offers)
    now = now or timezone.now()
    offers = [offer for offer in offers if offer.is_available(test_date=now)]
    return [_copy(offer) for offer in offers] if fresh else offers


def _site_offers_query():
    return ConditionalOffer.objects.filter(
        Q(end_datetime__isnull=True) | Q(end_datetime__gte=timezone.now()),
        offer_type=ConditionalOffer.SITE,
        status=ConditionalOffer.OPEN,
    ).order_by("-priority", "pk")


_rows_here: tuple[list | None, list] = (None, [])  # (kept offers, their rows)


def _rows_current(offers: list) -> bool:
    """Whether the open site offers in the database are the kept `offers`,
    with every column as kept. The kept offers never change, so their rows
    are worked out once."""
    global _rows_here
    if _rows_here[0] is not offers:
        _rows_here = (offers, [_row(offer) for offer in offers])
    return list(_site_offers_query().values_list(*_columns())) == _rows_here[1]


@functools.cache
def _columns() -> list[str]:
    """An offer's columns, its id first."""
    return [field.attname for field in ConditionalOffer._meta.concrete_fields]


def _row(offer) -> tuple:
    return tuple(getattr(offer, name) for name in _columns())


def _copy(offer):
    """A shallow copy, as Django's pickling makes it: its own fields, sharing
    its condition, benefit and ranges (whose changes forget the cache)."""
    copied = offer.__class__.__new__(offer.__class__)
    copied.__dict__ = offer.__dict__.copy()
    copied._state = copy.copy(offer._state)
    copied._state.fields_cache = offer._state.fields_cache.copy()
    return copied


_offers_by_id_here: tuple[str | None, dict] = (None, {})  # (version, offers)


def offers_by_id(*, ids, fresh: bool = False) -> dict:
    """Offers by id (a basket's voucher offers), loaded as the site offers
    are, as copies of their own for the caller. Each process keeps those it
    has read while the cached site offers' version lasts (any change to an
    offer, condition, benefit or range forgets it); `fresh` checks the kept
    ones' rows against the database first, as the checkout needs."""
    global _offers_by_id_here
    version = cache.get(SITE_OFFERS_VERSION_KEY)
    kept = {}
    if version is not None and _offers_by_id_here[0] == version:
        kept = _offers_by_id_here[1]
    found = {pk: kept[pk] for pk in set(ids) if pk in kept}
    if fresh and found:
        rows = ConditionalOffer.objects.filter(pk__in=found).values_list(*_columns())
        current = {row[0]: row for row in rows}
        found = {pk: o for pk, o in found.items() if current.get(pk) == _row(o)}
    missing = set(ids) - set(found)
    if missing:
        loaded = ConditionalOffer.objects.filter(pk__in=missing)
        loaded = loaded.select_related(*OFFER_RELATIONS).prefetch_related(*OFFER_SETS)
        found.update((offer.pk, offer) for offer in loaded)
        if version is not None:
            _offers_by_id_here = (version, {**kept, **found})
    return {pk: _copy(offer) for pk, offer in found.items()}


_site_offers_here: tuple[str, list] | None = None  # (version, offers) in this process


def _site_offers_cached() -> list | None:
    version = cache.get(SITE_OFFERS_VERSION_KEY)
    if version is None:
        return None
    if _site_offers_here is not None and _site_offers_here[0] == version:
        return _site_offers_here[1]
    found = cache.get(SITE_OFFERS_KEY)
    if found is None or found[0] != version:
        return None
    _site_offers_keep(*found)
    return found[1]


def _site_offers_keep(version: str, offers: list) -> None:
    global _site_offers_here
    _site_offers_here = (version, offers)


def site_offers_forget(**kwargs) -> None:
    cache.delete_many([SITE_OFFERS_KEY, SITE_OFFERS_VERSION_KEY])
