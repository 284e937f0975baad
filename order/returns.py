"""Returns (RMA): a shopper asks to send back some of what they received, the
merchant approves or rejects the request, receives the goods (back on the shelf
or not) and refunds them.

A return moves one way: requested -> approved | rejected; approved -> received;
received -> refunded. Only units that shipped can be returned, never more than
were bought, and never twice: units in a return that was not rejected, or
refunded without one, are no longer returnable. Every step happens with the
order row and the return locked, is recorded on the order's timeline and emailed
to the shopper; a refused step changes nothing and is logged.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from order import states
from order.lifecycle import order_event_record, order_locked
from order.models import (
    Order,
    OrderEvent,
    Refund,
    ReturnLine,
    ReturnRequest,
)
from order.refunds import RefundLineRequest, order_refund_locked
from order.selectors import (
    LineCounts,
    line_counts,
    return_window_closes,
    units_by_line,
)
from partner.services import StockLine, stock_restock

logger = logging.getLogger(__name__)

REASON_CODES = frozenset(code for code, _label in ReturnLine.REASONS)


class ReturnRefused(Exception):
    """The return, or this step of it, is not possible; nothing was changed."""


@dataclass(frozen=True)
class ReturnLineRequest:
    line_id: int
    quantity: int
    reason: str = "other"


# --- The shopper's request -----------------------------------------------------


def return_request_create(
    *,
    order_id: int,
    lines: Sequence[ReturnLineRequest],
    reason: str = "",
    user=None,
) -> ReturnRequest:
    """Ask to return `lines` of an order (by its customer, or a guest through
    the order's signed link: the caller checks who asks). Lines asking for no
    units are left out. Raises ReturnRefused, changing nothing, when the order
    has not shipped, the return window has closed, nothing is asked for, or a
    line asks for more units than can be returned."""
    with transaction.atomic():
        order = order_locked(order_id)
        _order_returnable_check(order)
        wanted = _lines_checked(order, lines)
        return_request = ReturnRequest.objects.create(
            order=order, number=_number_next(order), reason=reason
        )
        ReturnLine.objects.bulk_create(
            ReturnLine(
                return_request=return_request,
                line_id=line_id,
                quantity=quantity,
                reason=line_reason,
            )
            for line_id, (quantity, line_reason) in wanted.items()
        )
        by_shopper = user is None or user.pk == order.user_id
        _event_record(
            order,
            return_request,
            message=_("Return %(number)s requested") % {"number": return_request.number}
            + (f": {reason}" if reason else ""),
            user=user,
            actor=_("the shopper") if by_shopper else "",
            email_code="RETURN_REQUESTED",
        )
    logger.info("Return %s requested on order %s", return_request, order.number)
    return return_request


# --- The merchant's steps ----------------------------------------------------


def return_approve(*, return_id: int, user=None, note: str = "") -> ReturnRequest:
    """The merchant agrees to take the goods back; the shopper is told (with the
    note: where to send them, say)."""
    return _decide(return_id, ReturnRequest.APPROVED, user=user, note=note)


def return_reject(*, return_id: int, user=None, note: str = "") -> ReturnRequest:
    """The merchant won't take the goods back; the note tells the shopper why.
    The units become returnable again."""
    return _decide(return_id, ReturnRequest.REJECTED, user=user, note=note)


def return_receive(*, return_id: int, restock: bool, user=None) -> ReturnRequest:
    """The goods arrived back. With `restock` they go back on hand for sale
    (not when they came back damaged, say). The lines become Partially returned
    or Returned."""
    with transaction.atomic():
        order, return_request = _locked(return_id)
        _status_require(order, return_request, ReturnRequest.APPROVED, _("received"))
        return_lines = list(return_request.lines.select_related("line"))
        return_request.status = ReturnRequest.RECEIVED
        return_request.received_at = timezone.now()
        return_request.restock = restock
        return_request.save(update_fields=["status", "received_at", "restock"])
        if restock:
            stock_restock(
                lines=[
                    StockLine(item.line.stockrecord_id, item.quantity)
                    for item in return_lines
                    if item.line.stockrecord_id
                ]
            )
        _line_statuses_update(order, [item.line for item in return_lines])
        message = (
            _("Return %(number)s received, back in stock")
            if restock
            else _("Return %(number)s received")
        ) % {"number": return_request.number}
        _event_record(
            order,
            return_request,
            message=message,
            user=user,
            email_code="RETURN_RECEIVED",
            restock=restock,
        )
    return return_request


def return_refund(
    *, return_id: int, key: str, shipping: Decimal = Decimal(0), user=None
) -> Refund:
    """Refund a received return's lines (and `shipping`, if the merchant pays
    that back too) through the order's gateway, once per `key`: asked again
    with the same key, the refund already made is returned. Raises ReturnRefused
    for a return not received, or order.refunds' RefundRefused / RefundFailed,
    changing nothing."""
    with transaction.atomic():
        order, return_request = _locked(return_id)
        existing = Refund.objects.filter(key=key).first()
        if existing is not None:
            if existing.return_request_id != return_request.pk:
                _refuse(order, _("This refund was already made for something else."))
            return existing
        _status_require(order, return_request, ReturnRequest.RECEIVED, _("refunded"))
        refund = order_refund_locked(
            order=order,
            key=key,
            lines=[
                RefundLineRequest(item.line_id, item.quantity)
                for item in return_request.lines.all()
            ],
            shipping=shipping,
            reason=_("Return %(number)s") % {"number": return_request.number},
            user=user,
            return_request=return_request,
        )
        return_request.status = ReturnRequest.REFUNDED
        return_request.save(update_fields=["status"])
    return refund


# --- Helpers ----------------------------------------------------------------


def _refuse(order: Order, message: str):
    logger.warning("Return on order %s refused: %s", order.number, message)
    raise ReturnRefused(message)


def _order_returnable_check(order: Order) -> None:
    if order.status not in states.RETURNABLE:
        if order.status in (states.CANCELLED, states.REFUNDED):
            message = _("Order %(number)s is %(status)s: nothing can be returned.")
        else:
            message = _(
                "Order %(number)s hasn't shipped yet (it is %(status)s): items can "
                "be returned once they have been delivered."
            )
        _refuse(order, message % {"number": order.number, "status": order.status})
    closes = return_window_closes(order)
    if closes is None or timezone.now() > closes:
        _refuse(
            order,
            _(
                "Returns for order %(number)s closed on %(date)s, %(days)d days "
                "after delivery."
            )
            % {
                "number": order.number,
                "date": date_format(timezone.localtime(closes), "DATE_FORMAT")
                if closes
                else "",
                "days": settings.ORDER_RETURN_WINDOW_DAYS,
            },
        )


def _lines_checked(
    order: Order, requests: Sequence[ReturnLineRequest]
) -> dict[int, tuple[int, str]]:
    """{line id: (units, reason)} asked for, each checked against what can be
    returned; a line named twice adds up (its first reason kept)."""
    wanted: dict[int, tuple[int, str]] = {}
    for request in requests:
        if request.quantity < 0:
            _refuse(order, _("Quantities to return can't be negative."))
        if request.reason not in REASON_CODES:
            _refuse(
                order,
                _("“%(reason)s” is not a reason for a return. Choose one of: %(all)s.")
                % {
                    "reason": request.reason,
                    "all": ", ".join(str(label) for _c, label in ReturnLine.REASONS),
                },
            )
        if request.quantity == 0:
            continue
        units, reason = wanted.get(request.line_id, (0, request.reason))
        wanted[request.line_id] = (units + request.quantity, reason)
    if not wanted:
        _refuse(order, _("Choose at least one item to return."))
    counts = line_counts(order)
    titles = dict(order.lines.values_list("pk", "title"))
    for line_id, (quantity, _reason) in wanted.items():
        if line_id not in counts:
            _refuse(
                order,
                _("Line %(id)s is not part of order %(number)s.")
                % {"id": line_id, "number": order.number},
            )
        if quantity > counts[line_id].returnable:
            _refuse(
                order, _too_many_message(titles[line_id], quantity, counts[line_id])
            )
    return wanted


def _too_many_message(title: str, quantity: int, counts: LineCounts) -> str:
    """Names the product, how many can be returned and why no more."""
    why = [_("%(n)d bought") % {"n": counts.bought}]
    if counts.shipped < counts.bought:
        why.append(_("%(n)d shipped") % {"n": counts.shipped})
    if counts.returning:
        why.append(_("%(n)d already in a return") % {"n": counts.returning})
    if counts.refunded:
        why.append(_("%(n)d refunded") % {"n": counts.refunded})
    return _(
        "You asked to return %(asked)d of “%(title)s”, but at most %(allowed)d can "
        "be returned (%(why)s)."
    ) % {
        "asked": quantity,
        "title": title,
        "allowed": counts.returnable,
        "why": ", ".join(why),
    }


def _number_next(order: Order) -> str:
    """R<order number>-<n>, n counting the order's returns (the order row is
    locked, so two requests can't take the same n)."""
    return f"R{order.number}-{order.returns.count() + 1}"


def _locked(return_id: int) -> tuple[Order, ReturnRequest]:
    """The return's order and the return, both rows locked (order first, as
    every order change does, so they queue instead of deadlocking)."""
    order_id = ReturnRequest.objects.values_list("order_id", flat=True).get(
        pk=return_id
    )
    order = order_locked(order_id)
    return order, ReturnRequest.objects.select_for_update().get(pk=return_id)


def _status_require(
    order: Order, return_request: ReturnRequest, needed: str, step: str
) -> None:
    if return_request.status == needed:
        return
    _refuse(
        order,
        _(
            "Return %(number)s is %(status)s, so it can't be %(step)s: only a "
            "return that is %(needed)s can."
        )
        % {
            "number": return_request.number,
            "status": return_request.get_status_display().lower(),
            "step": step,
            "needed": dict(ReturnRequest.STATUSES)[needed].lower(),
        },
    )


def _decide(return_id: int, status: str, *, user, note: str) -> ReturnRequest:
    """Approve or reject a requested return, with the merchant's note."""
    approved = status == ReturnRequest.APPROVED
    with transaction.atomic():
        order, return_request = _locked(return_id)
        _status_require(
            order,
            return_request,
            ReturnRequest.REQUESTED,
            _("approved") if approved else _("rejected"),
        )
        return_request.status = status
        return_request.decided_at = timezone.now()
        return_request.merchant_note = note
        return_request.save(update_fields=["status", "decided_at", "merchant_note"])
        message = (
            _("Return %(number)s approved")
            if approved
            else _("Return %(number)s rejected")
        ) % {"number": return_request.number}
        _event_record(
            order,
            return_request,
            message=f"{message}: {note}" if note else message,
            user=user,
            email_code="RETURN_APPROVED" if approved else "RETURN_REJECTED",
        )
    return return_request


def _event_record(  # noqa: PLR0913 - an event's facts, by name
    order: Order,
    return_request: ReturnRequest,
    *,
    message: str,
    user,
    email_code: str,
    actor: str = "",
    **extra,
) -> OrderEvent:
    """A step of the return on the order's timeline, with what the email needs
    (the return's number, lines and note) in its data."""
    lines = [
        {
            "line_id": item.line_id,
            "title": item.line.title,
            "quantity": item.quantity,
            "reason": item.reason,
            "reason_label": str(item.get_reason_display()),
        }
        for item in return_request.lines.select_related("line").order_by("pk")
    ]
    return order_event_record(
        order=order,
        kind=OrderEvent.RETURN,
        message=message,
        user=user,
        actor=actor,
        data={
            "return_id": return_request.pk,
            "return_number": return_request.number,
            "status": return_request.status,
            "reason": return_request.reason,
            "note": return_request.merchant_note,
            "lines": lines,
            **extra,
        },
        customer_visible=True,
        email_code=email_code,
    )


def _line_statuses_update(order: Order, lines) -> None:
    """Partially returned or Returned, by the units received back so far; a line
    whose status can't make that move (order.states) keeps it."""
    received = units_by_line(
        ReturnLine.objects.filter(
            return_request__order=order,
            return_request__status__in=(
                ReturnRequest.RECEIVED,
                ReturnRequest.REFUNDED,
            ),
        ),
        "quantity",
    )
    for line in lines:
        units = received.get(line.pk, 0)
        status = (
            states.LINE_RETURNED
            if units >= line.quantity
            else states.LINE_PARTIALLY_RETURNED
        )
        if status != line.status and status in line.available_statuses():
            line.set_status(status)
