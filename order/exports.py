"""Orders as CSV, for the merchant's spreadsheet or accounts: one row per
order, read in chunks so a large export holds few rows in memory at a time."""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from order.models import Order

ORDER_CSV_COLUMNS = (
    _("Order number"),
    _("Date placed"),
    _("Customer email"),
    _("Status"),
    _("Payment"),
    _("Fulfilment"),
    _("Total"),
    _("Currency"),
    _("Lines"),
)

#: A cell starting with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def orders_csv_rows(*, orders: QuerySet[Order]) -> Iterator[list[str]]:
    """The header, then a row per order (two queries per 2,000 orders)."""
    yield [str(title) for title in ORDER_CSV_COLUMNS]
    listed = (
        orders.select_related("user")
        .annotate(csv_lines=Count("lines"))
        .iterator(chunk_size=2000)
    )
    for order in listed:
        yield [
            order.number,
            timezone.localtime(order.date_placed).strftime("%Y-%m-%d %H:%M"),
            _text(order.email or ""),
            order.status,
            order.get_payment_state_display(),
            order.get_fulfilment_state_display(),
            str(order.total_incl_tax),
            order.currency,
            str(order.csv_lines),
        ]


def orders_csv_write(*, orders: QuerySet[Order], out) -> None:
    """Write the orders as CSV to `out` (a file or an HttpResponse)."""
    writer = csv.writer(out)
    rows: Iterable[list[str]] = orders_csv_rows(orders=orders)
    writer.writerows(rows)


def _text(value: str) -> str:
    """What a shopper typed, kept from being run as a spreadsheet formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
