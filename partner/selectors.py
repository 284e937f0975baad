"""Reads of stock for pages and checks that do not write."""

from datetime import datetime

from django.db.models import Sum
from django.utils import timezone

from partner.models import StockRecord, StockReservation


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
