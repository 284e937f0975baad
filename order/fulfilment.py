"""Getting the goods to the shopper: shipments (all of an order or part of it),
their delivery, and the order's completion once the return window has passed.

A line's `num_allocated` is what is still to ship: a shipment takes its units
off it and off the stock record (on hand and allocated), so the stock numbers
and the order agree at every step. The order follows (Partially shipped,
Shipped, Delivered, Completed), each step on its timeline with who did it, and
the shopper is emailed with the carrier and the tracking link. Everything
happens with the order row locked; a refused shipment changes nothing and is
logged. A fulfilment service's own shipment id (`reference`) makes a repeated
report of the same shipment find the one already made.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from oscar.core.loading import get_model

from order import carriers, states
from order.lifecycle import (
    IllegalTransition,
    order_event_record,
    order_locked,
    order_transition_locked,
)
from order.models import Order, OrderEvent, ReturnRequest, Shipment, ShipmentLine
from order.selectors import last_delivery_expression
from partner.services import StockLine, stock_allocation_consume

logger = logging.getLogger(__name__)

Line = get_model("order", "Line")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventType = get_model("order", "ShippingEventType")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")

#: Orders that may ship (some or the rest of their lines).
SHIPPABLE = (states.PAID, states.PROCESSING, states.PARTIALLY_SHIPPED)


class ShipmentRefused(Exception):
    """The shipment asked for is not possible (no lines, a line not of this
    order, nothing or more than is left to ship); nothing was changed."""


@dataclass(frozen=True)
class ShipmentLineRequest:
    line_id: int
    quantity: int


def shipment_create(  # noqa: PLR0913 - what was shipped, by name
    *,
    order_id: int,
    lines: Sequence[ShipmentLineRequest],
    carrier: str = "",
    tracking_number: str = "",
    user=None,
    actor: str = "",
    reference: str = "",
) -> Shipment:
    """Record that these lines and quantities left with `carrier`: the stock is
    consumed, the lines and the order move on (Partially shipped or Shipped)
    and the shopper is emailed the tracking link. With a `reference` already
    recorded for this order, the shipment made then is returned and nothing
    changes. Raises IllegalTransition (the order can't ship: not paid,
    cancelled, shipped) or ShipmentRefused (bad lines), changing nothing."""
    with transaction.atomic():
        order = order_locked(order_id)
        if reference:
            existing = shipment_by_reference(order=order, reference=reference)
            if existing is not None:
                return existing
        if order.status not in SHIPPABLE:
            logger.warning(
                "Shipment of order %s refused: it is %s", order.number, order.status
            )
            raise IllegalTransition(order, states.SHIPPED)
        order_lines = {
            line.pk: line for line in order.lines.select_for_update().order_by("pk")
        }
        wanted = _lines_checked(order, order_lines, lines)
        code = carriers.carrier_code(carrier)
        shipment = Shipment.objects.create(
            order=order,
            number=f"{order.number}-{order.shipments.count() + 1}",
            carrier=code,
            tracking_number=tracking_number.strip(),
            tracking_url=carriers.tracking_url(code, tracking_number),
            reference=reference,
            created_by=user if user is not None and user.is_authenticated else None,
            shipped_at=timezone.now(),
        )
        ShipmentLine.objects.bulk_create(
            ShipmentLine(shipment=shipment, line=line, quantity=quantity)
            for line, quantity in wanted
        )
        stock_allocation_consume(
            lines=[
                StockLine(line.stockrecord_id, quantity)
                for line, quantity in wanted
                if line.stockrecord_id
            ]
        )
        for line, quantity in wanted:
            line.num_allocated -= quantity
            line.status = (
                states.LINE_SHIPPED
                if line.num_allocated == 0
                else states.LINE_PARTIALLY_SHIPPED
            )
            line.save(update_fields=["num_allocated", "status"])
        _oscar_shipping_event(order, "shipped", shipment, wanted)
        everything = not any(line.num_allocated for line in order_lines.values())
        _order_shipped(order, shipment, wanted, everything, user, actor, reference)
    return shipment


def shipment_delivered(
    *,
    shipment_id: int,
    user=None,
    actor: str = "",
    delivered_at: datetime | None = None,
) -> Shipment:
    """The carrier delivered this shipment (once, however often it is said):
    its lines are Delivered when nothing of them is left on the way, and the
    order is Delivered (the shopper emailed) when every unit has shipped and
    every shipment arrived."""
    order_id = Shipment.objects.values_list("order_id", flat=True).get(pk=shipment_id)
    with transaction.atomic():
        order = order_locked(order_id)
        shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
        if shipment.status == Shipment.DELIVERED:
            return shipment
        shipment.status = Shipment.DELIVERED
        shipment.delivered_at = delivered_at or timezone.now()
        shipment.save(update_fields=["status", "delivered_at"])
        shipped = list(shipment.lines.select_related("line").order_by("line_id"))
        _lines_delivered([item.line for item in shipped])
        _oscar_shipping_event(
            order,
            "delivered",
            shipment,
            [(item.line, item.quantity) for item in shipped],
        )
        whole = (
            not order.shipments.exclude(status=Shipment.DELIVERED).exists()
            and not order.lines.filter(num_allocated__gt=0).exists()
        )
        _order_delivered(order, shipment, whole, user, actor)
    return shipment


def orders_complete(*, now: datetime | None = None) -> int:
    """Complete the Delivered orders whose return window
    (ORDER_RETURN_WINDOW_DAYS after the last delivery) has passed and that have
    no return under way; returns how many. The shopper is not emailed."""
    now = now or timezone.now()
    closed_before = now - timedelta(days=settings.ORDER_RETURN_WINDOW_DAYS)
    due = (
        Order.objects.filter(status=states.DELIVERED)
        .annotate(last_delivery=last_delivery_expression())
        .filter(last_delivery__lt=closed_before)
        .exclude(returns__status__in=ReturnRequest.OPEN)
        .values_list("pk", flat=True)
    )
    completed = 0
    for order_id in list(due):
        with transaction.atomic():
            order = order_locked(order_id)
            # Looked at again under the lock: a return may have just been asked for.
            if (
                order.status != states.DELIVERED
                or order.returns.filter(status__in=ReturnRequest.OPEN).exists()
            ):
                continue
            order_transition_locked(
                order=order,
                new_status=states.COMPLETED,
                actor=_("the shop"),
                reason=_("The return window has closed"),
            )
            completed += 1
    return completed


def shipment_by_reference(*, order: Order, reference: str) -> Shipment | None:
    """The order's shipment known by this name: our number ("100042-1") or the
    fulfilment service's own id."""
    return (
        order.shipments.filter(Q(number=reference) | Q(reference=reference))
        .order_by("pk")
        .first()
    )


# --- Helpers ----------------------------------------------------------------


def _refuse(order: Order, message: str):
    logger.warning("Shipment of order %s refused: %s", order.number, message)
    raise ShipmentRefused(message)


def _lines_checked(order: Order, order_lines: dict, requests) -> list[tuple]:
    """(line, quantity) for each line asked for, in line order, each checked
    against what is left to ship."""
    wanted: dict[int, int] = {}
    for request in requests:
        line = order_lines.get(request.line_id)
        if line is None:
            _refuse(
                order,
                _("Line %(id)s is not part of order %(number)s.")
                % {"id": request.line_id, "number": order.number},
            )
        if request.quantity <= 0:
            _refuse(
                order,
                _("The quantity of “%(title)s” to ship must be more than zero.")
                % {"title": line.title},
            )
        wanted[line.pk] = wanted.get(line.pk, 0) + request.quantity
    if not wanted:
        _refuse(order, _("Choose the lines and quantities to ship."))
    checked = []
    for line_id in sorted(wanted):
        line, quantity = order_lines[line_id], wanted[line_id]
        left = line.num_allocated or 0
        if left == 0:
            _refuse(
                order,
                _("“%(title)s” has nothing left to ship.") % {"title": line.title},
            )
        if quantity > left:
            _refuse(
                order,
                ngettext(
                    "Only %(left)d of “%(title)s” is left to ship, not %(asked)d.",
                    "Only %(left)d of “%(title)s” are left to ship, not %(asked)d.",
                    left,
                )
                % {"left": left, "title": line.title, "asked": quantity},
            )
        checked.append((line, quantity))
    return checked


def _shipment_data(shipment: Shipment, wanted=()) -> dict:
    """What the timeline and the shopper's email say about a shipment."""
    data = {
        "shipment_id": shipment.pk,
        "shipment_number": shipment.number,
        "carrier": carriers.carrier_name(shipment.carrier),
        "tracking_number": shipment.tracking_number,
        "tracking_url": shipment.tracking_url,
    }
    if wanted:
        data["lines"] = [
            {"line_id": line.pk, "title": line.title, "quantity": quantity}
            for line, quantity in wanted
        ]
    return data


def _order_shipped(  # noqa: PLR0913 - the shipment's facts
    order, shipment, wanted, everything: bool, user, actor: str, reference: str
) -> None:
    """The order's lifecycle and summary follow the shipment; one timeline
    entry, with an email carrying the tracking link."""
    data = {**_shipment_data(shipment, wanted), "reference": reference}
    units = sum(quantity for _line, quantity in wanted)
    message = ngettext(
        "Shipment %(number)s: %(units)d item",
        "Shipment %(number)s: %(units)d items",
        units,
    ) % {"number": shipment.number, "units": units}
    if shipment.carrier:
        message += _(" with %(carrier)s") % {"carrier": data["carrier"]}
    if shipment.tracking_number:
        message += _(" (tracking %(number)s)") % {"number": shipment.tracking_number}
    order.fulfilment_state = (
        states.FULFILMENT_SHIPPED if everything else states.FULFILMENT_PARTIAL
    )
    order.save(update_fields=["fulfilment_state"])
    target = states.SHIPPED if everything else states.PARTIALLY_SHIPPED
    if order.status != target:
        order_transition_locked(
            order=order,
            new_status=target,
            user=user,
            actor=actor,
            reason=message,
            kind=OrderEvent.SHIPMENT,
            data=data,
        )
        return
    # Another part of a partly shipped order.
    order_event_record(
        order=order,
        kind=OrderEvent.SHIPMENT,
        message=message,
        user=user,
        actor=actor,
        data=data,
        customer_visible=True,
        email_code="ORDER_PARTIALLY_SHIPPED",
    )


def _lines_delivered(lines) -> None:
    """A line is Delivered once nothing of it is left to ship and every
    shipment that carried it arrived (a line already being returned stays so)."""
    for line in Line.objects.select_for_update().filter(
        pk__in=[line.pk for line in lines]
    ):
        arrived = (
            not line.num_allocated
            and not line.shipment_lines.exclude(
                shipment__status=Shipment.DELIVERED
            ).exists()
        )
        if arrived and states.LINE_DELIVERED in states.LINE_TRANSITIONS.get(
            line.status, ()
        ):
            line.status = states.LINE_DELIVERED
            line.save(update_fields=["status"])


def _order_delivered(order, shipment, whole: bool, user, actor: str) -> None:
    """One timeline entry for the delivery; when the whole order has arrived,
    it is Delivered and the shopper is emailed."""
    data = {
        **_shipment_data(shipment),
        "delivered_at": shipment.delivered_at.isoformat(),
    }
    message = _("Shipment %(number)s delivered") % {"number": shipment.number}
    if whole:
        order.fulfilment_state = states.FULFILMENT_DELIVERED
        order.save(update_fields=["fulfilment_state"])
        if states.transition_allowed(order.status, states.DELIVERED):
            order_transition_locked(
                order=order,
                new_status=states.DELIVERED,
                user=user,
                actor=actor,
                reason=message,
                kind=OrderEvent.DELIVERY,
                data=data,
            )
            return
    order_event_record(
        order=order,
        kind=OrderEvent.DELIVERY,
        message=message,
        user=user,
        actor=actor,
        data=data,
        customer_visible=True,
        # An order refunded in part on the way still hears that it arrived.
        email_code="ORDER_DELIVERED" if whole else "",
    )


def _oscar_shipping_event(order, code: str, shipment, wanted) -> None:
    """Oscar's record of goods moving, shown on its dashboard's order page."""
    event_type, _created = ShippingEventType.objects.get_or_create(
        code=code, defaults={"name": code.capitalize()}
    )
    notes = shipment.number
    if shipment.tracking_number:
        notes += f" ({carriers.carrier_name(shipment.carrier)} "
        notes += f"{shipment.tracking_number})"
    event = ShippingEvent.objects.create(
        order=order, event_type=event_type, notes=notes
    )
    # Quantities checked already (Oscar's save would check each line again).
    ShippingEventQuantity.objects.bulk_create(
        ShippingEventQuantity(event=event, line=line, quantity=quantity)
        for line, quantity in wanted
    )
