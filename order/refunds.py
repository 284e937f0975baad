"""Giving money back: full or partial, by lines and quantities, by an amount,
plus shipping, through the gateway that took the payment.

Never more than was captured, line by line never more units than were bought,
and once per key: the dashboard's form carries a key made when it was drawn, so
a double click (or two tabs) refunds once, and the gateway gets the same key, so
a retry after a lost answer refunds once there too. Everything happens with the
order row locked; a refused refund changes nothing and is logged.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from oscar.core.loading import get_model

from order import states
from order.lifecycle import order_event_record, order_locked, order_transition_locked
from order.models import Order, OrderEvent, Refund, RefundLine
from order.selectors import units_by_line
from partner.services import StockLine, stock_allocation_cancel
from payment.gateways import GatewayError, gateway_for
from payment.models import Payment

logger = logging.getLogger(__name__)

Line = get_model("order", "Line")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
Source = get_model("payment", "Source")

CENT = Decimal("0.01")


class RefundRefused(Exception):
    """The refund asked for is not possible (nothing, negative, more than was
    captured or bought); nothing was changed."""


class RefundFailed(Exception):
    """The gateway refused the refund or could not be reached; nothing was
    recorded, and asking again with the same key is safe."""


@dataclass(frozen=True)
class RefundLineRequest:
    line_id: int
    quantity: int


def order_refund(  # noqa: PLR0913 - what to refund, by name
    *,
    order_id: int,
    key: str,
    lines: Sequence[RefundLineRequest] = (),
    amount: Decimal | None = None,
    shipping: Decimal = Decimal(0),
    reason: str = "",
    user=None,
    return_request=None,
) -> Refund:
    """Refund `lines` (their price as charged, discounts taken off), an extra
    `amount` and `shipping` of an order, once per `key`. Raises RefundRefused
    (bad input) or RefundFailed (the gateway), changing nothing either way."""
    with transaction.atomic():
        order = order_locked(order_id)
        return order_refund_locked(
            order=order,
            key=key,
            lines=lines,
            amount=amount,
            shipping=shipping,
            reason=reason,
            user=user,
            return_request=return_request,
        )


def order_refund_locked(  # noqa: PLR0913 - what to refund, by name
    *,
    order: Order,
    key: str,
    lines: Sequence[RefundLineRequest] = (),
    amount: Decimal | None = None,
    shipping: Decimal = Decimal(0),
    everything: bool = False,
    reason: str = "",
    user=None,
    return_request=None,
    during_cancellation: bool = False,
) -> Refund | None:
    """order_refund for a caller holding the order row locked. With
    `everything`, what is left of the payment (None when nothing is)."""
    existing = Refund.objects.filter(key=key).first()
    if existing is not None:
        if existing.order_id != order.pk:
            _refuse(order, _("This refund was already made for another order."))
        return existing
    payment = refund_payment(order)
    left = refundable(order, payment)
    if everything:
        if left <= 0:
            return None
        priced, goods, shipping = [], left, Decimal(0)
    else:
        priced = _priced_lines(order, lines)
        goods = sum((value for _line, _qty, value in priced), Decimal(0))
        goods += _checked_amount(order, amount)
        shipping = _checked_shipping(order, shipping)
    total = goods + shipping
    if total <= 0:
        _refuse(order, _("Choose what to refund: lines, an amount or the shipping."))
    if payment is None:
        _refuse(order, _("No payment was taken for this order: nothing to refund."))
    if total > left:
        _refuse(
            order,
            _(
                "At most %(left)s %(currency)s can be refunded: %(captured)s was "
                "captured and %(refunded)s has been refunded already."
            )
            % {
                "left": left,
                "currency": order.currency,
                "captured": payment.amount,
                "refunded": refunded_total(order).quantize(CENT),
            },
        )
    refund = _gateway_refund(order, payment, total, key)
    refund.shipping_amount = shipping
    refund.reason = reason[:255]
    refund.created_by = user if user is not None and user.is_authenticated else None
    refund.return_request = return_request
    refund.save()
    RefundLine.objects.bulk_create(
        RefundLine(refund=refund, line=line, quantity=quantity, amount=value)
        for line, quantity, value in priced
    )
    _payment_events_record(order, refund, priced)
    if return_request is None:
        # A return's units came back from the shopper; the ones still to ship
        # stay to ship.
        _lines_unshipped_release(order, priced)
    _order_refund_states(order, refund, user=user, quiet=during_cancellation)
    return refund


def refund_payment(order: Order) -> Payment | None:
    """The payment that paid for the order (the one refunds go back through)."""
    return (
        Payment.objects.filter(order=order, status=Payment.SUCCEEDED)
        .order_by("pk")
        .first()
    )


def refunded_total(order: Order) -> Decimal:
    return order.refunds.filter(status=Refund.SUCCEEDED).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal(0)


def refundable(order: Order, payment: Payment | None = None) -> Decimal:
    """What can still be given back: what was captured less what was refunded."""
    payment = payment if payment is not None else refund_payment(order)
    if payment is None:
        return Decimal(0)
    return max(Decimal(0), payment.amount - refunded_total(order))


def line_refunded_quantities(order: Order) -> dict[int, int]:
    """Units refunded so far, by order line id."""
    return units_by_line(_refunded_lines(order), "quantity")


# --- Helpers ----------------------------------------------------------------


def _refunded_lines(order: Order):
    return RefundLine.objects.filter(
        refund__order=order, refund__status=Refund.SUCCEEDED
    )


def _refuse(order: Order, message: str):
    logger.warning("Refund on order %s refused: %s", order.number, message)
    raise RefundRefused(message)


def _priced_lines(order, requests) -> list[tuple]:
    """(line, quantity, amount) for each line asked for, checked against what
    was bought and refunded already; the last unit of a line takes what is left
    of its price, so the parts add up to the whole."""
    wanted: dict[int, int] = {}
    for request in requests:
        wanted[request.line_id] = wanted.get(request.line_id, 0) + request.quantity
    lines = {line.pk: line for line in order.lines.filter(pk__in=wanted)}
    done = line_refunded_quantities(order)
    spent = units_by_line(_refunded_lines(order), "amount")
    priced = []
    for line_id, quantity in wanted.items():
        line = lines.get(line_id)
        if line is None:
            _refuse(
                order, _("Line %(id)s is not part of this order.") % {"id": line_id}
            )
        if quantity <= 0:
            _refuse(order, _("Quantities to refund must be more than zero."))
        left = line.quantity - done.get(line_id, 0)
        if quantity > left:
            _refuse(
                order,
                ngettext(
                    "Only %(left)d of “%(title)s” can be refunded: %(bought)d "
                    "bought, %(done)d refunded already.",
                    "Only %(left)d of “%(title)s” can be refunded: %(bought)d "
                    "bought, %(done)d refunded already.",
                    left,
                )
                % {
                    "left": left,
                    "title": line.title,
                    "bought": line.quantity,
                    "done": done.get(line_id, 0),
                },
            )
        paid = line.line_price_incl_tax  # after its discounts, as charged
        if quantity == left:
            value = paid - spent.get(line_id, Decimal(0))
        else:
            value = (paid * quantity / line.quantity).quantize(CENT, ROUND_HALF_UP)
        priced.append((line, quantity, value))
    return priced


def _checked_amount(order: Order, amount: Decimal | None) -> Decimal:
    if amount is None:
        return Decimal(0)
    if amount < 0:
        _refuse(order, _("A refund can't be a negative amount."))
    if amount != amount.quantize(CENT):
        _refuse(order, _("Amounts are in whole pence (two decimal places)."))
    return amount


def _checked_shipping(order: Order, shipping: Decimal) -> Decimal:
    shipping = _checked_amount(order, shipping)
    done = order.refunds.filter(status=Refund.SUCCEEDED).aggregate(
        total=Sum("shipping_amount")
    )["total"] or Decimal(0)
    left = order.shipping_incl_tax - done
    if shipping > left:
        _refuse(
            order,
            _("At most %(left)s of shipping can be refunded.") % {"left": left},
        )
    return shipping


def _gateway_refund(order, payment, total: Decimal, key: str) -> Refund:
    if payment is None:
        _refuse(order, _("No payment was taken for this order: nothing to refund."))
    try:
        # The gateway's own id of the payment keeps the key unique at the
        # gateway, whichever database (staging, production) asks.
        result = gateway_for(payment.gateway).refund(
            payment=payment, amount=total, key=f"{payment.reference}-{key}"[:255]
        )
    except GatewayError as exc:
        logger.exception("Refund on order %s: gateway unreachable", order.number)
        raise RefundFailed(
            _("The payment gateway could not be reached; nothing was refunded.")
        ) from exc
    if result.status != Payment.SUCCEEDED:
        logger.error("Refund on order %s refused: %s", order.number, result.message)
        raise RefundFailed(
            _("The payment gateway refused the refund: %(message)s")
            % {"message": result.message or _("no reason given")}
        )
    return Refund(
        order=order,
        payment=payment,
        key=key,
        amount=total,
        currency=payment.currency,
        status=Refund.SUCCEEDED,
        reference=result.reference,
    )


def _payment_events_record(order: Order, refund: Refund, priced) -> None:
    """Oscar's record of money moving: a payment event with its lines, and the
    payment source's refunded amount."""
    event_type, _created = PaymentEventType.objects.get_or_create(
        code="refunded", defaults={"name": "Refunded"}
    )
    event = PaymentEvent.objects.create(
        order=order,
        amount=refund.amount,
        reference=refund.reference,
        event_type=event_type,
    )
    PaymentEventQuantity.objects.bulk_create(
        PaymentEventQuantity(event=event, line=line, quantity=quantity)
        for line, quantity, _value in priced
    )
    source = order.sources.filter(reference=refund.payment.reference).first()
    if source is not None:
        source.refund(refund.amount, reference=refund.reference, status="succeeded")


def _lines_unshipped_release(order: Order, priced) -> None:
    """Units refunded before they shipped will not ship: their stock goes back,
    and a line with nothing left to ship is cancelled."""
    released = []
    for line, quantity, _value in priced:
        units = min(quantity, line.num_allocated or 0)
        if units <= 0:
            continue
        if line.stockrecord_id:
            released.append(StockLine(line.stockrecord_id, units))
        line.num_allocated -= units
        fields = ["num_allocated"]
        if line.num_allocated == 0 and not line.shipment_lines.exists():
            line.status = states.LINE_CANCELLED
            fields.append("status")
        line.save(update_fields=fields)
    if released:
        stock_allocation_cancel(lines=released)


def _order_refund_states(order: Order, refund: Refund, *, user, quiet: bool) -> None:
    """The payment summary follows the money; after shipping, the lifecycle does
    too (Partially refunded, then Refunded)."""
    whole = refundable(order, refund.payment) <= 0
    order.payment_state = (
        states.PAYMENT_REFUNDED if whole else states.PAYMENT_PARTIALLY_REFUNDED
    )
    order.save(update_fields=["payment_state"])
    message = _("Refunded %(amount)s %(currency)s") % {
        "amount": refund.amount,
        "currency": refund.currency,
    }
    if refund.reason:
        message += f": {refund.reason}"
    data = _refund_event_data(refund)
    target = states.REFUNDED if whole else states.PARTIALLY_REFUNDED
    if (
        not quiet
        and order.status in states.AFTER_SHIPPING
        and states.transition_allowed(order.status, target)
    ):
        order_transition_locked(
            order=order,
            new_status=target,
            user=user,
            kind=OrderEvent.REFUND,
            reason=message,
            data=data,
            email_code="ORDER_REFUNDED" if whole else "REFUND_ISSUED",
        )
        return
    order_event_record(
        order=order,
        kind=OrderEvent.REFUND,
        message=message,
        user=user,
        data=data,
        customer_visible=True,
        email_code="" if quiet else "REFUND_ISSUED",
    )


def _refund_event_data(refund: Refund) -> dict:
    """What the shopper's email about the refund shows: the amount, the lines
    and shipping it covers, and the return it pays for, if any."""
    return {
        "refund_id": refund.pk,
        "amount": str(refund.amount),
        "currency": refund.currency,
        "shipping": str(refund.shipping_amount) if refund.shipping_amount else "",
        "return_number": refund.return_request.number if refund.return_request else "",
        "lines": [
            {
                "line_id": item.line_id,
                "title": item.line.title,
                "quantity": item.quantity,
                "amount": str(item.amount),
            }
            for item in refund.lines.select_related("line").order_by("pk")
        ],
    }
