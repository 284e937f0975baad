"""Reads of orders for shoppers and merchants: where the shopper follows an
order, what is left to ship, when the goods arrived, and what can still be
returned."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from order import states
from order.models import (
    Order,
    OrderEvent,
    Refund,
    RefundLine,
    ReturnLine,
    ReturnRequest,
    Shipment,
    ShipmentLine,
)


def order_status_path(order: Order) -> str:
    """Where the shopper follows the order: their account's order page, or for a
    guest the order page behind a link signed with the order's verification
    hash (an order number alone opens nothing)."""
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def shippable_quantities(order: Order) -> dict[int, int]:
    """Units left to ship, by order line id (0 for a line shipped, cancelled or
    refunded before it shipped)."""
    return {
        line_id: left or 0
        for line_id, left in order.lines.values_list("pk", "num_allocated")
    }


def order_cancellable(
    order: Order, *, by_shopper: bool, shipped: bool | None = None
) -> bool:
    """Whether the order may still be cancelled: by the shopper before it is
    processed, by the merchant any time before a shipment. `shipped` saves the
    query when the caller has the order's shipments at hand; order_cancel asks
    again with the order locked."""
    allowed = states.SHOPPER_CANCELLABLE if by_shopper else states.MERCHANT_CANCELLABLE
    if shipped is None:
        shipped = order.shipments.exists()
    return order.status in allowed and not shipped


def order_delivered_at(order: Order) -> datetime | None:
    """When the order's goods last arrived: its last shipment's delivery (or,
    for one not yet delivered, its leaving), or for an order marked Delivered
    by hand without shipments, when that was recorded."""
    return (
        Order.objects.filter(pk=order.pk)
        .annotate(last_delivery=last_delivery_expression())
        .values_list("last_delivery", flat=True)
        .get()
    )


@dataclass(frozen=True)
class LineCounts:
    """How a line's units stand, for returns: `returnable` is what a new return
    may hold."""

    bought: int
    shipped: int
    returning: int
    refunded: int

    @property
    def returnable(self) -> int:
        # Units refunded before they shipped never left (order.refunds releases
        # unshipped units first), so refunds only bite into what was kept.
        kept = min(self.shipped, self.bought - self.refunded)
        return max(0, kept - self.returning)


def line_counts(order: Order) -> dict[int, LineCounts]:
    """Bought, shipped, in returns (not rejected) and refunded outside a return,
    by order line id. A return's own refund is counted once, as the return."""
    shipped = units_by_line(
        ShipmentLine.objects.filter(shipment__order=order), "quantity"
    )
    returning = units_by_line(
        ReturnLine.objects.filter(return_request__order=order).exclude(
            return_request__status=ReturnRequest.REJECTED
        ),
        "quantity",
    )
    refunded = units_by_line(
        RefundLine.objects.filter(
            refund__order=order,
            refund__status=Refund.SUCCEEDED,
            refund__return_request__isnull=True,
        ),
        "quantity",
    )
    return {
        line.pk: LineCounts(
            bought=line.quantity,
            shipped=shipped.get(line.pk, 0),
            returning=returning.get(line.pk, 0),
            refunded=refunded.get(line.pk, 0),
        )
        for line in order.lines.all()
    }


def returnable_quantities(order: Order) -> dict[int, int]:
    """Units of each line (by id) a new return may hold: shipped, not already in
    a return that was not rejected, not refunded."""
    return {pk: counts.returnable for pk, counts in line_counts(order).items()}


def return_window_closes(order: Order) -> datetime | None:
    """When the shopper can no longer ask for a return: ORDER_RETURN_WINDOW_DAYS
    after the goods last arrived (a shipment not yet delivered counts from when
    it left), the moment order.fulfilment completes the order. None before
    anything shipped."""
    last = order_delivered_at(order)
    if last is None:
        return None
    return last + timedelta(days=settings.ORDER_RETURN_WINDOW_DAYS)


def return_window_open(order: Order) -> bool:
    """Whether the shopper may ask for a return now: the order has shipped and
    the return window has not closed."""
    if order.status not in states.RETURNABLE:
        return False
    closes = return_window_closes(order)
    return closes is not None and timezone.now() <= closes


# --- Building blocks ----------------------------------------------------------


def units_by_line(queryset, field: str) -> dict[int, int]:
    rows = queryset.values("line_id").annotate(units=Sum(field))
    return {row["line_id"]: row["units"] for row in rows}


def last_delivery_expression():
    """When an order's goods last arrived (see order_delivered_at), as an
    expression over the order's rows."""
    shipments = (
        Shipment.objects.filter(order=OuterRef("pk"))
        .values("order")
        .annotate(last=Max(Coalesce("delivered_at", "shipped_at")))
        .values("last")
    )
    marked = (
        OrderEvent.objects.filter(order=OuterRef("pk"), new_status=states.DELIVERED)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return Coalesce(Subquery(shipments), Subquery(marked))
