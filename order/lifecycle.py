"""The primitives of the order's lifecycle: the order row locked, a move of its
status checked against order.states and recorded on its timeline with who, when
and why. Every service that changes an order's state (order.services,
order.fulfilment, order.returns, order.refunds) goes through these, inside its
own transaction and with the order row locked.
"""

from django.utils.translation import gettext as _
from oscar.apps.order.signals import order_status_changed
from oscar.core.loading import get_model

from order import states
from order.emails import order_event_email_queue
from order.models import Order, OrderEvent

OrderStatusChange = get_model("order", "OrderStatusChange")


class IllegalTransition(Exception):
    """The order can't make this move from where it is; nothing was changed."""

    def __init__(self, order: Order, new_status: str):
        allowed = states.ORDER_TRANSITIONS.get(order.status, ())
        if allowed:
            then = _("From there it can become: %(allowed)s.") % {
                "allowed": ", ".join(allowed)
            }
        else:
            then = _("It can't change any more.")
        super().__init__(
            _("Order %(number)s is %(status)s, so it can't become %(new)s. ")
            % {"number": order.number, "status": order.status, "new": new_status}
            + then
        )


class OrderNotCancellable(IllegalTransition):
    """The order has started shipping (or, for the shopper, being processed)."""


def order_locked(order_id: int) -> Order:
    """The order, its row locked until the transaction ends: every change to an
    order's state starts here, so concurrent changes queue instead of racing."""
    return Order.objects.select_for_update().get(pk=order_id)


def order_event_record(  # noqa: PLR0913 - an event's facts, by name
    *,
    order: Order,
    kind: str,
    message: str = "",
    user=None,
    actor: str = "",
    data: dict | None = None,
    old_status: str = "",
    new_status: str = "",
    customer_visible: bool = False,
    email_code: str = "",
) -> OrderEvent:
    """Write one entry of the order's timeline. With an `email_code`, the
    shopper is emailed about it (once, by a task queued after commit)."""
    event = OrderEvent.objects.create(
        order=order,
        kind=kind,
        message=message,
        user=user if user is not None and user.is_authenticated else None,
        actor=actor,
        data=data or {},
        old_status=old_status,
        new_status=new_status,
        customer_visible=customer_visible or bool(email_code),
        email_code=email_code,
    )
    if email_code:
        order_event_email_queue(event_id=event.pk)
    return event


def order_transition_locked(  # noqa: PLR0913 - a move's facts, by name
    *,
    order: Order,
    new_status: str,
    user=None,
    actor: str = "",
    reason: str = "",
    kind: str = OrderEvent.STATUS,
    data: dict | None = None,
    email_code: str | None = None,
) -> OrderEvent:
    """Move an order whose row the caller holds locked (order_locked) to
    `new_status`, or raise IllegalTransition having changed nothing. Records the
    move on the timeline and in Oscar's status changes, announces it with Oscar's
    order_status_changed signal, and emails the shopper about the moves they
    care about (order.states.CUSTOMER_VISIBLE) unless `email_code` says
    otherwise ("" for none)."""
    old_status = order.status
    if not states.transition_allowed(old_status, new_status):
        raise IllegalTransition(order, new_status)
    order.status = new_status
    order.save(update_fields=["status"])
    OrderStatusChange.objects.create(
        order=order, old_status=old_status, new_status=new_status
    )
    if email_code is None:
        email_code = (
            status_email_code(new_status)
            if new_status in states.CUSTOMER_VISIBLE
            else ""
        )
    event = order_event_record(
        order=order,
        kind=kind,
        message=reason,
        user=user,
        actor=actor,
        data=data,
        old_status=old_status,
        new_status=new_status,
        customer_visible=new_status in states.CUSTOMER_VISIBLE,
        email_code=email_code,
    )
    order_status_changed.send(
        sender=Order, order=order, old_status=old_status, new_status=new_status
    )
    return event


def status_email_code(status: str) -> str:
    """The email template's code for a move to `status`: ORDER_SHIPPED and so on."""
    return "ORDER_" + status.upper().replace(" ", "_")
