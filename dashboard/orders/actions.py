"""The merchant's actions on orders: each view reads the form, calls one order
service and goes back to the order's page (or the list) with what happened.
A refusal changes nothing: the page is drawn again with the merchant's input
and the service's reason, and the attempt is logged."""

import logging
from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dashboard.orders import forms
from dashboard.orders.views import list_url, order_page_render
from order import states
from order.lifecycle import IllegalTransition
from order.models import Order
from order.refunds import RefundFailed, RefundLineRequest, RefundRefused, order_refund
from order.services import order_cancel, order_note_add, order_transition

logger = logging.getLogger(__name__)


def refused(
    request: HttpRequest, number: str, action: str, reason, bound: dict | None = None
) -> HttpResponse:
    """The order's page again, with why `action` was refused and the `bound`
    forms as the merchant filled them in."""
    logger.warning(
        "Dashboard: %s on order %s by %s refused: %s",
        action,
        number,
        request.user,
        reason,
    )
    messages.error(request, str(reason))
    return order_page_render(request, number, bound=bound)


def order_page_redirect(number: str) -> HttpResponse:
    return redirect("dashboard:order-detail", number=number)


def order_or_404(number: str) -> Order:
    return get_object_or_404(Order.objects.only("pk", "number"), number=number)


@require_POST
def orders_bulk_processing_view(request: HttpRequest) -> HttpResponse:
    """Mark the chosen orders Processing: those that can move do; those that
    can't are named with the reason."""
    numbers = [n for n in request.POST.getlist("order") if n.strip()]
    if not numbers:
        messages.error(request, _("Choose the orders to mark processing."))
        return redirect(list_url(request.POST))
    moved, refusals = [], []
    orders = Order.objects.filter(number__in=numbers).order_by("number")
    for order_id, number in orders.values_list("pk", "number"):
        try:
            order_transition(
                order_id=order_id, new_status=states.PROCESSING, user=request.user
            )
        except IllegalTransition as error:
            logger.warning(
                "Dashboard: order %s not marked processing: %s", number, error
            )
            refusals.append(str(error))
        else:
            moved.append(number)
    if moved:
        messages.success(
            request,
            ngettext(
                "%(count)d order marked processing: %(numbers)s.",
                "%(count)d orders marked processing: %(numbers)s.",
                len(moved),
            )
            % {"count": len(moved), "numbers": ", ".join(moved)},
        )
    for refusal in refusals:
        messages.error(request, refusal)
    return redirect(list_url(request.POST))


@require_POST
def processing_view(request: HttpRequest, number: str) -> HttpResponse:
    order = order_or_404(number)
    try:
        order_transition(
            order_id=order.pk, new_status=states.PROCESSING, user=request.user
        )
    except IllegalTransition as error:
        return refused(request, number, "mark processing", error)
    messages.success(
        request, _("Order %(number)s is being processed.") % {"number": number}
    )
    return order_page_redirect(number)


@require_POST
def cancel_view(request: HttpRequest, number: str) -> HttpResponse:
    order = order_or_404(number)
    form = forms.CancelForm(request.POST)
    if not form.is_valid():
        return refused(
            request,
            number,
            "cancel",
            _("Say why the order is cancelled."),
            bound={"cancel_form": form},
        )
    try:
        order_cancel(
            order_id=order.pk, reason=form.cleaned_data["reason"], user=request.user
        )
    except (IllegalTransition, RefundRefused, RefundFailed) as error:
        return refused(request, number, "cancel", error, bound={"cancel_form": form})
    messages.success(request, _("Order %(number)s is cancelled.") % {"number": number})
    return order_page_redirect(number)


@require_POST
def note_view(request: HttpRequest, number: str) -> HttpResponse:
    """A note on the order's timeline, for the staff or for the shopper too."""
    order = order_or_404(number)
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        return refused(
            request,
            number,
            "note",
            _("A note needs some text."),
            bound={"note_form": form},
        )
    order_note_add(
        order_id=order.pk,
        message=form.cleaned_data["message"],
        customer_visible=form.cleaned_data["customer_visible"],
        user=request.user,
    )
    messages.success(request, _("Note added."))
    return order_page_redirect(number)


@require_POST
def refund_view(request: HttpRequest, number: str) -> HttpResponse:
    """Refund lines, an amount and shipping, once per form drawn (its key)."""
    order = order_or_404(number)
    form = forms.RefundForm(request.POST, lines=order.lines.order_by("pk"))
    if not form.is_valid():
        return refused(
            request,
            number,
            "refund",
            _("Check the refund's figures."),
            bound={"refund_form": form},
        )
    data = form.cleaned_data
    try:
        refund = order_refund(
            order_id=order.pk,
            key=data["key"],
            lines=[
                RefundLineRequest(line_id, quantity)
                for line_id, quantity in form.line_quantities().items()
            ],
            amount=data["amount"],
            shipping=data["shipping"] or Decimal(0),
            reason=data["reason"],
            user=request.user,
        )
    except (RefundRefused, RefundFailed) as error:
        return refused(request, number, "refund", error, bound={"refund_form": form})
    messages.success(
        request,
        _("Refunded %(amount)s %(currency)s.")
        % {"amount": refund.amount, "currency": refund.currency},
    )
    return order_page_redirect(number)
