"""Stock levels and prices set in bulk by SKU, as an ERP sends them: every row
is checked with the stock records locked (in primary-key order, as in
partner.services, so a bulk update and a checkout wait for each other instead
of deadlocking), and either every row is applied or, when any row is wrong,
none is and all the wrong rows are named.

Stock on hand may not go below what is allocated to orders not yet shipped:
reservations and allocations stay as they are, so what is available to sell
becomes on hand - allocated - reserved. Saving a record announces the change
(post_save), which refreshes its listing row and product page.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from partner.models import StockRecord
from partner.services import _locked, _tracks_stock


@dataclass(frozen=True)
class StockLevel:
    sku: str
    num_in_stock: int
    partner: str = ""  # the partner's code, when several stock the SKU


@dataclass(frozen=True)
class PriceChange:
    sku: str
    price: Decimal
    partner: str = ""


@dataclass(frozen=True)
class RowError:
    index: int
    field: str
    code: str
    message: str


class RowsRefused(Exception):
    """One or more rows can't be applied; nothing was changed."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__("; ".join(f"row {e.index}: {e.message}" for e in errors))


def stock_levels_set(*, levels: Sequence[StockLevel]) -> list[StockRecord]:
    """Set units on hand by SKU; the stock records in the rows' order. Raises
    RowsRefused (unknown or ambiguous SKU, a SKU twice, negative stock, stock
    below allocated), changing nothing."""
    with transaction.atomic():
        records, errors = _records_locked(levels)
        for index, level in enumerate(levels):
            record = records.get(index)
            if level.num_in_stock < 0:
                errors.append(
                    RowError(
                        index,
                        "num_in_stock",
                        "negative_stock",
                        _("Stock on hand can't be negative."),
                    )
                )
            elif record is not None and _tracks_stock(record):
                allocated = record.num_allocated or 0
                if level.num_in_stock < allocated:
                    errors.append(
                        RowError(
                            index,
                            "num_in_stock",
                            "below_allocated",
                            _(
                                "%(sku)s has %(n)d units allocated to orders not "
                                "shipped yet; stock on hand can't be less."
                            )
                            % {"sku": level.sku, "n": allocated},
                        )
                    )
        _refuse(errors)
        for index, level in enumerate(levels):
            record = records[index]
            if record.num_in_stock != level.num_in_stock:
                record.num_in_stock = level.num_in_stock
                record.save(update_fields=["num_in_stock", "date_updated"])
    return [records[index] for index in range(len(levels))]


def prices_set(*, prices: Sequence[PriceChange]) -> list[StockRecord]:
    """Set catalogue prices by SKU (in each stock record's currency); the stock
    records in the rows' order. Raises RowsRefused (unknown or ambiguous SKU, a
    SKU twice, a negative price or one with more than two decimal places),
    changing nothing."""
    with transaction.atomic():
        records, errors = _records_locked(prices)
        for index, change in enumerate(prices):
            price = change.price
            if not price.is_finite() or price.as_tuple().exponent < -2:  # noqa: PLR2004
                errors.append(
                    RowError(
                        index,
                        "price",
                        "price_invalid",
                        _("A price has at most two decimal places."),
                    )
                )
            elif price < 0:
                errors.append(
                    RowError(
                        index,
                        "price",
                        "negative_price",
                        _("A price can't be negative."),
                    )
                )
        _refuse(errors)
        for index, change in enumerate(prices):
            record = records[index]
            if record.price != change.price:
                record.price = change.price
                record.save(update_fields=["price", "date_updated"])
    return [records[index] for index in range(len(prices))]


def _records_locked(rows) -> tuple[dict[int, StockRecord], list[RowError]]:
    """The locked stock record of each row (by the row's index), and the rows
    whose SKU names none, several, or one another row already named."""
    candidates: dict[str, list[tuple[int, str]]] = {}
    for pk, sku, partner in StockRecord.objects.filter(
        partner_sku__in={row.sku for row in rows}
    ).values_list("pk", "partner_sku", "partner__code"):
        candidates.setdefault(sku, []).append((pk, partner))
    chosen: dict[int, int] = {}
    seen: dict[int, int] = {}
    errors = []
    for index, row in enumerate(rows):
        found = [
            pk
            for pk, partner in candidates.get(row.sku, [])
            if not row.partner or partner == row.partner
        ]
        if not found:
            errors.append(
                RowError(
                    index,
                    "sku",
                    "unknown_sku",
                    _("No stock record has the SKU %(sku)s%(of)s.")
                    % {
                        "sku": row.sku,
                        "of": _(" for partner %s") % row.partner if row.partner else "",
                    },
                )
            )
        elif len(found) > 1:
            errors.append(
                RowError(
                    index,
                    "partner",
                    "sku_ambiguous",
                    _("Several partners stock %(sku)s; say which (partner).")
                    % {"sku": row.sku},
                )
            )
        elif found[0] in seen:
            errors.append(
                RowError(
                    index,
                    "sku",
                    "duplicate_sku",
                    _("%(sku)s is already in row %(row)d.")
                    % {"sku": row.sku, "row": seen[found[0]]},
                )
            )
        else:
            seen[found[0]] = index
            chosen[index] = found[0]
    locked = _locked(chosen.values())
    return {index: locked[pk] for index, pk in chosen.items()}, errors


def _refuse(errors: list[RowError]) -> None:
    if errors:
        raise RowsRefused(sorted(errors, key=lambda error: error.index))
