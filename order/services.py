"""Changes to placed orders."""

from django.db import transaction
from oscar.core.loading import get_model

from order.models import Order
from partner.services import StockLine, stock_allocation_cancel

OrderNote = get_model("order", "OrderNote")
OrderStatusChange = get_model("order", "OrderStatusChange")

CANCELLED = "Cancelled"


class OrderNotCancellable(Exception):
    """The order has started shipping; it can no longer be cancelled."""


def order_cancel(*, order_id: int, reason: str = "", user=None) -> Order:
    """Cancel an order that has not started shipping: its stock allocations go
    back, once however often (or however concurrently) it is asked, and the
    change is recorded with who and why. Raises OrderNotCancellable."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status == CANCELLED:
            return order
        if order.shipping_events.exists():
            raise OrderNotCancellable(f"Order {order.number} has started shipping")
        stock_allocation_cancel(
            lines=[
                StockLine(line.stockrecord_id, line.quantity)
                for line in order.lines.all()
                if line.stockrecord_id
            ]
        )
        OrderStatusChange.objects.create(
            order=order, old_status=order.status, new_status=CANCELLED
        )
        order.status = CANCELLED
        order.save(update_fields=["status"])
        OrderNote.objects.create(
            order=order,
            user=user if user is not None and user.is_authenticated else None,
            note_type=OrderNote.SYSTEM,
            message=f"Cancelled{': ' + reason if reason else ''}",
        )
    return order
