"""Changes of an order's lifecycle that a merchant, the shopper or the payment
asks for: a move by hand, payment received, cancellation. Each locks the order,
checks the move (order.states) and records it (order.lifecycle)."""

from django.db import transaction
from django.utils.translation import gettext as _

from order import states
from order.lifecycle import (
    IllegalTransition,
    OrderNotCancellable,
    order_event_record,
    order_locked,
    order_transition_locked,
)
from order.models import Order, OrderEvent
from order.refunds import order_refund_locked
from order.selectors import order_cancellable
from partner.services import StockLine, stock_allocation_cancel

__all__ = ["IllegalTransition", "OrderNotCancellable", "CANCELLED"]

# Kept for callers from before the state machine.
CANCELLED = states.CANCELLED


def order_transition(  # noqa: PLR0913 - a move's facts, by name
    *,
    order_id: int,
    new_status: str,
    user=None,
    actor: str = "",
    reason: str = "",
    unless_there: bool = False,
) -> Order:
    """Move an order to `new_status` (a merchant's "mark processing", a delivery
    reported by hand): locked, checked, recorded. Raises IllegalTransition; with
    `unless_there`, an order already in `new_status` is left as it is (a client
    asking again)."""
    with transaction.atomic():
        order = order_locked(order_id)
        if unless_there and order.status == new_status:
            return order
        order_transition_locked(
            order=order, new_status=new_status, user=user, actor=actor, reason=reason
        )
    return order


def order_paid(*, order_id: int, reference: str = "", gateway: str = "") -> Order:
    """The order's payment was taken: Pending payment becomes Paid, once."""
    with transaction.atomic():
        order = order_locked(order_id)
        if order.status != states.PENDING_PAYMENT:
            return order
        order_transition_locked(
            order=order,
            new_status=states.PAID,
            actor=gateway or _("the shop"),
            kind=OrderEvent.PAYMENT,
            reason=_("Payment received"),
            data={"reference": reference, "gateway": gateway},
        )
        order.payment_state = states.PAYMENT_PAID
        order.save(update_fields=["payment_state"])
    return order


def order_cancel(
    *,
    order_id: int,
    reason: str = "",
    user=None,
    actor: str = "",
    by_shopper: bool = False,
    refund_key: str = "",
) -> Order:
    """Cancel an order that has not started shipping: by the shopper before it
    is processed, by the merchant any time before a shipment. Its stock
    allocations go back, the payment is refunded in full (or voided when none
    was taken), and the shopper is emailed; once however often (or however
    concurrently) it is asked. Raises OrderNotCancellable, changing nothing."""
    with transaction.atomic():
        order = order_locked(order_id)
        if order.status == states.CANCELLED:
            return order
        if not order_cancellable(order, by_shopper=by_shopper):
            raise OrderNotCancellable(order, states.CANCELLED)
        lines = list(order.lines.select_for_update().order_by("pk"))
        stock_allocation_cancel(
            lines=[
                StockLine(line.stockrecord_id, line.num_allocated)
                for line in lines
                if line.stockrecord_id and line.num_allocated
            ]
        )
        for line in lines:
            line.num_allocated = 0
            line.allocation_cancelled = True
            line.status = states.LINE_CANCELLED
            line.save(update_fields=["num_allocated", "allocation_cancelled", "status"])
        if order.payment_state == states.PAYMENT_PENDING:
            order.payment_state = states.PAYMENT_VOIDED
        else:
            order_refund_locked(
                order=order,
                key=refund_key or f"cancel-{order.pk}",
                everything=True,
                reason=_("Order cancelled"),
                user=user,
                during_cancellation=True,
            )
        order.fulfilment_state = states.FULFILMENT_CANCELLED
        order.save(update_fields=["payment_state", "fulfilment_state"])
        order_transition_locked(
            order=order,
            new_status=states.CANCELLED,
            user=user,
            actor=_("the shopper") if by_shopper else actor,
            kind=OrderEvent.CANCELLATION,
            reason=reason,
        )
    return order


def order_note_add(
    *, order_id: int, message: str, user=None, customer_visible: bool = False
) -> OrderEvent:
    """A merchant's note on the order's timeline: for the staff only, or shown
    to the shopper on their order page (never emailed)."""
    message = message.strip()
    if not message:
        raise ValueError(_("A note needs some text."))
    with transaction.atomic():
        order = order_locked(order_id)
        return order_event_record(
            order=order,
            kind=OrderEvent.NOTE,
            message=message,
            user=user,
            customer_visible=customer_visible,
        )
