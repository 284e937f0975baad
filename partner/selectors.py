"""Reads of stock and tax rates for pages and checks that do not write."""

import time
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from partner.models import StockRecord, StockReservation, TaxRate


def stock_reserved(
    *,
    stockrecord_ids,
    except_basket: int | None = None,
    now: datetime | None = None,
    including_expired: bool = False,
) -> dict[int, int]:
    """Units held by unexpired reservations (other than `except_basket`'s; with
    `including_expired`, also those the beat task has not released yet), by stock
    record; records with none are left out."""
    reservations = StockReservation.objects.filter(
        stockrecord_id__in=list(stockrecord_ids)
    )
    if not including_expired:
        reservations = reservations.filter(expires_at__gt=now or timezone.now())
    if except_basket is not None:
        reservations = reservations.exclude(basket_id=except_basket)
    return dict(
        reservations.values("stockrecord_id")
        .annotate(total=Sum("quantity"))
        .values_list("stockrecord_id", "total")
    )


def stock_available(
    *, stockrecord_ids, except_basket: int | None = None
) -> dict[int, int]:
    """Available to sell by stock record: on hand - allocated - unexpired
    reservations (other than `except_basket`'s). Two queries. (A stock record's
    `net_stock_level`, which pages show, also counts reservations that expired
    but are not released yet: at most a minute longer.)"""
    ids = list(stockrecord_ids)
    held = stock_reserved(stockrecord_ids=ids, except_basket=except_basket)
    return {
        record.pk: (record.num_in_stock or 0)
        - (record.num_allocated or 0)
        - held.get(record.pk, 0)
        for record in StockRecord.objects.filter(pk__in=ids).only(
            "pk", "num_in_stock", "num_allocated"
        )
    }


TAX_RATES_KEY = "partner:tax-rates"
TAX_RATES_MEMO_SECONDS = 5.0
_tax_rates_memo: tuple[float, dict[str, Decimal]] | None = None


def tax_rates_current() -> dict[str, Decimal]:
    """The merchant's tax rates by country (partner.TaxRate), or while none is
    set, the environment's (SHOP_TAX_RATES). Every price on a page asks, so
    they are kept in the cache (forgotten when one changes) and, for a few
    seconds, in this process: a change reaches every process within
    TAX_RATES_MEMO_SECONDS."""
    global _tax_rates_memo
    now = time.monotonic()
    if (
        _tax_rates_memo is not None
        and now - _tax_rates_memo[0] < TAX_RATES_MEMO_SECONDS
    ):
        return _tax_rates_memo[1]
    rates = cache.get(TAX_RATES_KEY)
    if rates is None:
        rates = dict(TaxRate.objects.values_list("country", "rate"))
        rates = rates or dict(settings.SHOP_TAX_RATES)
        cache.set(TAX_RATES_KEY, rates, 3600)
    _tax_rates_memo = (now, rates)
    return rates


def tax_rates_forget(**kwargs) -> None:
    global _tax_rates_memo
    _tax_rates_memo = None
    cache.delete(TAX_RATES_KEY)
