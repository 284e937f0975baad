"""Stock: held for a shopper while they pay, allocated when their order is placed.

Available to sell = on hand - allocated - the unexpired reservations of other
baskets. Every write here locks the stock records it reads, in primary-key order
(two checkouts holding the same SKUs in another order wait for each other instead
of deadlocking), and checks availability in the same transaction as it writes, so
two shoppers can never both take the last unit. Saving a stock record announces
the change (post_save), which refreshes its listing row and product page.

Products whose class does not track stock are never short and change nothing here,
as in Oscar.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partner.models import StockRecord, StockReservation
from partner.selectors import stock_reserved


@dataclass(frozen=True)
class StockLine:
    stockrecord_id: int
    quantity: int


@dataclass(frozen=True)
class Shortfall:
    stockrecord_id: int
    title: str
    wanted: int
    available: int

    @property
    def message(self) -> str:
        if self.available <= 0:
            return _("%(title)s is no longer available.") % {"title": self.title}
        return ngettext(
            "%(title)s: only %(n)d is left.",
            "%(title)s: only %(n)d are left.",
            self.available,
        ) % {"title": self.title, "n": self.available}


class StockUnavailable(Exception):
    """Too few units of one or more lines; nothing was changed."""

    def __init__(self, shortfalls: Sequence[Shortfall]):
        self.shortfalls = list(shortfalls)
        super().__init__(" ".join(shortfall.message for shortfall in self.shortfalls))


def stock_reserve(
    *, basket_id: int, lines: Sequence[StockLine], minutes: int | None = None
) -> datetime:
    """Hold these lines for the basket for `minutes` (SHOP_STOCK_RESERVATION_MINUTES),
    replacing whatever it held before; returns when the hold ends. Raises
    StockUnavailable, holding nothing new, when too few units are left."""
    minutes = settings.SHOP_STOCK_RESERVATION_MINUTES if minutes is None else minutes
    now = timezone.now()
    expires_at = now + timedelta(minutes=minutes)
    wanted = _merged(lines)
    with transaction.atomic():
        records = _locked([*wanted, *_held_by(basket_id)])
        held = stock_reserved(stockrecord_ids=wanted, now=now, except_basket=basket_id)
        _check(records, wanted, held)
        StockReservation.objects.filter(basket_id=basket_id).delete()
        StockReservation.objects.bulk_create(
            StockReservation(
                basket_id=basket_id,
                stockrecord_id=pk,
                quantity=quantity,
                expires_at=expires_at,
            )
            for pk, quantity in wanted.items()
            if _tracks_stock(records[pk])
        )
        _reserved_recount(records)
    return expires_at


def stock_allocate(*, lines: Sequence[StockLine], basket_id: int | None = None) -> None:
    """Allocate the lines of an order being placed, in the caller's transaction:
    the basket's own reservation is used up, other baskets' are respected. Raises
    StockUnavailable, allocating nothing, when too few units are left."""
    wanted = _merged(lines)
    with transaction.atomic():
        own = _held_by(basket_id) if basket_id is not None else []
        records = _locked([*wanted, *own])
        held = stock_reserved(stockrecord_ids=wanted, except_basket=basket_id)
        _check(records, wanted, held)
        for pk, quantity in wanted.items():
            if _tracks_stock(records[pk]):
                records[pk].num_allocated = (records[pk].num_allocated or 0) + quantity
        if basket_id is not None:
            StockReservation.objects.filter(basket_id=basket_id).delete()
        _reserved_recount(records, changed=wanted)


def stock_allocation_cancel(*, lines: Sequence[StockLine]) -> None:
    """Give back the allocations of an order that will not ship."""
    wanted = _merged(lines)
    with transaction.atomic():
        records = _locked(wanted)
        for pk, quantity in wanted.items():
            record = records[pk]
            if _tracks_stock(record):
                record.num_allocated = max(0, (record.num_allocated or 0) - quantity)
        _reserved_recount(records, changed=wanted)


def stock_allocation_consume(*, lines: Sequence[StockLine]) -> None:
    """Units of an order that left the warehouse: no longer on hand, no longer
    allocated."""
    wanted = _merged(lines)
    with transaction.atomic():
        records = _locked(wanted)
        for pk, quantity in wanted.items():
            record = records[pk]
            if _tracks_stock(record):
                record.num_in_stock = max(0, (record.num_in_stock or 0) - quantity)
                record.num_allocated = max(0, (record.num_allocated or 0) - quantity)
        _reserved_recount(records, changed=wanted)


def stock_restock(*, lines: Sequence[StockLine]) -> None:
    """Units that came back (a return put back on the shelf): on hand again."""
    wanted = _merged(lines)
    with transaction.atomic():
        records = _locked(wanted)
        for pk, quantity in wanted.items():
            record = records[pk]
            if _tracks_stock(record):
                record.num_in_stock = (record.num_in_stock or 0) + quantity
        _reserved_recount(records, changed=wanted)


def stock_reservation_release(*, basket_id: int) -> int:
    """Let go of what a basket holds (the shopper left payment); returns how many
    reservations ended."""
    with transaction.atomic():
        records = _locked(_held_by(basket_id))
        deleted, _ = StockReservation.objects.filter(basket_id=basket_id).delete()
        _reserved_recount(records)
    return deleted


def stock_reservations_release_expired(*, now: datetime | None = None) -> int:
    """End the reservations whose time is up; returns how many."""
    now = now or timezone.now()
    expired = StockReservation.objects.filter(expires_at__lte=now)
    # Records counting reserved units are recounted too, which heals a count
    # left behind by a reservation deleted with its basket.
    ids = {
        *expired.values_list("stockrecord_id", flat=True),
        *StockRecord.objects.filter(num_reserved__gt=0).values_list("pk", flat=True),
    }
    with transaction.atomic():
        records = _locked(ids)
        deleted, _ = expired.filter(stockrecord_id__in=list(records)).delete()
        _reserved_recount(records)
    return deleted


# --- Helpers ----------------------------------------------------------------


def _merged(lines: Iterable[StockLine]) -> dict[int, int]:
    """Quantities by stock record, in primary-key order (the locking order)."""
    merged: dict[int, int] = {}
    for line in lines:
        if line.quantity <= 0:
            raise ValueError(f"Quantity must be positive, not {line.quantity}")
        merged[line.stockrecord_id] = merged.get(line.stockrecord_id, 0) + line.quantity
    return dict(sorted(merged.items()))


def _held_by(basket_id: int) -> list[int]:
    return list(
        StockReservation.objects.filter(basket_id=basket_id).values_list(
            "stockrecord_id", flat=True
        )
    )


def _locked(ids: Iterable[int]) -> dict[int, StockRecord]:
    """The stock records, locked in primary-key order until the transaction ends."""
    ids = set(ids)
    records = (
        StockRecord.objects.select_for_update(of=("self",))
        .select_related("product__product_class", "product__parent__product_class")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    found = {record.pk: record for record in records}
    missing = ids.difference(found)
    if missing:
        raise StockRecord.DoesNotExist(f"No stock records {sorted(missing)}")
    return found


def _check(
    records: dict[int, StockRecord], wanted: dict[int, int], held: dict[int, int]
) -> None:
    shortfalls = []
    for pk, quantity in wanted.items():
        record = records[pk]
        if not _tracks_stock(record):
            continue
        on_hand = (record.num_in_stock or 0) - (record.num_allocated or 0)
        available = on_hand - held.get(pk, 0)
        if quantity > available:
            shortfalls.append(
                Shortfall(
                    stockrecord_id=pk,
                    title=record.product.get_title(),
                    wanted=quantity,
                    available=max(0, available),
                )
            )
    if shortfalls:
        raise StockUnavailable(shortfalls)


def _reserved_recount(records: dict[int, StockRecord], changed=()) -> None:
    """Set each locked record's count of reserved units from its reservations
    (so the count heals itself, whatever removed a reservation) and save the
    records whose numbers changed, which announces them."""
    reserved = stock_reserved(stockrecord_ids=records, including_expired=True)
    for pk, record in records.items():
        count = reserved.get(pk, 0)
        if count != record.num_reserved or pk in changed:
            record.num_reserved = count
            record.save(
                update_fields=[
                    "num_in_stock",
                    "num_allocated",
                    "num_reserved",
                    "date_updated",
                ]
            )


def _tracks_stock(record: StockRecord) -> bool:
    return record.product.get_product_class().track_stock
