"""What the shopper's order page shows beside Oscar's lines and totals: the
timeline the shopper may see, shipments and their tracking, returns, refunds,
and the actions open to them (cancel, ask for a return). One tag for the
account's order page and the guest's, so both show the same."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from order import carriers
from order.forms import ReturnRequestForm
from order.models import Order, OrderEvent, Refund, ReturnRequest
from order.refunds import refunded_total
from order.selectors import (
    order_cancellable,
    return_window_closes,
    return_window_open,
    returnable_quantities,
)

register = template.Library()

#: What an event without a new status tells the shopper happened.
KIND_TITLES = {
    OrderEvent.SHIPMENT: gettext_lazy("Shipped"),
    OrderEvent.DELIVERY: gettext_lazy("Delivered"),
    OrderEvent.RETURN: gettext_lazy("Return"),
    OrderEvent.REFUND: gettext_lazy("Refund"),
    OrderEvent.PAYMENT: gettext_lazy("Payment"),
    OrderEvent.CANCELLATION: gettext_lazy("Cancelled"),
    OrderEvent.NOTE: gettext_lazy("Message from us"),
    OrderEvent.STATUS: gettext_lazy("Update"),
}


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    title: str
    detail: str = ""


@dataclass
class ShopperOrder:
    lines: list
    timeline: list[TimelineEntry]
    shipments: list
    returns: list
    refunds: list
    can_cancel: bool
    cancel_url: str
    return_url: str
    return_form: ReturnRequestForm | None
    return_window_closes: datetime | None


@register.simple_tag(takes_context=True)
def order_for_shopper(context, order: Order) -> ShopperOrder:
    """Everything the shopper's order page shows of the order's life. A return
    form bound by a refused request (the view's `return_form`) is shown again
    as it was posted."""
    lines = list(order.lines.select_related("product").prefetch_related("attributes"))
    shipments = list(order.shipments.prefetch_related("lines__line"))
    window_open = return_window_open(order)
    form = None
    if isinstance(context.get("return_form"), ReturnRequestForm):
        form = context["return_form"]
    elif window_open:
        form = ReturnRequestForm(lines=lines, returnable=returnable_quantities(order))
    return ShopperOrder(
        lines=lines,
        timeline=order_timeline(order),
        shipments=shipments,
        returns=list(order.returns.prefetch_related("lines__line")),
        refunds=list(
            order.refunds.filter(status=Refund.SUCCEEDED).select_related(
                "return_request"
            )
        ),
        can_cancel=order_cancellable(order, by_shopper=True, shipped=bool(shipments)),
        cancel_url=_action_url(order, "cancel"),
        return_url=_action_url(order, "return"),
        return_form=form,
        return_window_closes=return_window_closes(order) if window_open else None,
    )


def order_timeline(order: Order) -> list[TimelineEntry]:
    """What happened to the order and when, as the shopper may see it: the
    events marked customer_visible (never internal notes), without who acted
    (never a member of staff's name)."""
    entries = [TimelineEntry(when=order.date_placed, title=_("Order placed"))]
    for event in order.timeline.filter(customer_visible=True):
        entries.append(
            TimelineEntry(
                when=event.created_at,
                title=event.new_status or str(KIND_TITLES.get(event.kind, "")),
                detail=event.message,
            )
        )
    return entries


def _action_url(order: Order, action: str) -> str:
    if order.user_id:
        return reverse(f"order:{action}", kwargs={"order_number": order.number})
    return reverse(
        f"order:guest-{action}",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


@register.filter
def carrier_name(code: str) -> str:
    """The carrier a shipment keeps by its code, as the shopper reads it."""
    return carriers.carrier_name(code)


@register.filter
def order_refunded(order: Order) -> Decimal:
    """All that was refunded on the order so far (for its emails)."""
    return refunded_total(order)


@register.filter
def return_status_class(return_request: ReturnRequest) -> str:
    """A badge colour for the return's status."""
    return {
        ReturnRequest.REQUESTED: "secondary",
        ReturnRequest.APPROVED: "info",
        ReturnRequest.REJECTED: "danger",
        ReturnRequest.RECEIVED: "info",
        ReturnRequest.REFUNDED: "success",
    }.get(return_request.status, "secondary")
