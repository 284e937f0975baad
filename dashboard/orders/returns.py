"""The merchant's steps on a shopper's return: approve or reject it, receive
the goods (back in stock or not), refund it. Each calls one order.returns
service; a refused step changes nothing and says why on the order's page."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dashboard.orders import forms
from dashboard.orders.actions import order_page_redirect, refused
from dashboard.orders.selectors import returns_to_act_on
from order.models import ReturnRequest
from order.refunds import RefundFailed, RefundRefused
from order.returns import (
    ReturnRefused,
    return_approve,
    return_receive,
    return_refund,
    return_reject,
)

REFUSALS = (ReturnRefused, RefundRefused, RefundFailed)


@require_GET
def return_list_view(request: HttpRequest) -> HttpResponse:
    """The returns queue: what waits for the merchant (to approve, to receive,
    to refund), oldest first, or the returns of one status."""
    status = request.GET.get("status", "")
    if status not in dict(ReturnRequest.STATUSES):
        status = ""
    page = Paginator(
        returns_to_act_on(status=status), settings.OSCAR_DASHBOARD_ITEMS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "oscar/dashboard/orders/return_list.html",
        {
            "page_obj": page,
            "paginator": page.paginator,
            "returns": page.object_list,
            "status": status,
            "statuses": ReturnRequest.STATUSES,
            "next_step": {
                ReturnRequest.REQUESTED: _("Approve or reject"),
                ReturnRequest.APPROVED: _("Receive the goods"),
                ReturnRequest.RECEIVED: _("Refund"),
            },
        },
    )


def _return_step(  # noqa: PLR0913 - one step's parts, by name
    request: HttpRequest,
    number: str,
    return_id: int,
    *,
    step: str,
    form_class,
    service,
    done: str,
) -> HttpResponse:
    return_request = get_object_or_404(
        ReturnRequest, pk=return_id, order__number=number
    )
    form = form_class(request.POST, prefix=forms.return_prefix(return_request.pk, step))
    bound = {form.prefix: form}
    if not form.is_valid():
        reason = " ".join(error for errors in form.errors.values() for error in errors)
        return refused(request, number, f"return {step}", reason, bound)
    try:
        service(return_request.pk, form.cleaned_data)
    except REFUSALS as error:
        return refused(request, number, f"return {step}", error, bound)
    messages.success(request, done % {"number": return_request.number})
    return order_page_redirect(number)


@require_POST
def return_approve_view(request: HttpRequest, number: str, return_id: int):
    return _return_step(
        request,
        number,
        return_id,
        step="approve",
        form_class=forms.ReturnApproveForm,
        service=lambda pk, data: return_approve(
            return_id=pk, user=request.user, note=data["note"]
        ),
        done=_("Return %(number)s approved."),
    )


@require_POST
def return_reject_view(request: HttpRequest, number: str, return_id: int):
    return _return_step(
        request,
        number,
        return_id,
        step="reject",
        form_class=forms.ReturnRejectForm,
        service=lambda pk, data: return_reject(
            return_id=pk, user=request.user, note=data["note"]
        ),
        done=_("Return %(number)s rejected."),
    )


@require_POST
def return_receive_view(request: HttpRequest, number: str, return_id: int):
    return _return_step(
        request,
        number,
        return_id,
        step="receive",
        form_class=forms.ReturnReceiveForm,
        service=lambda pk, data: return_receive(
            return_id=pk, restock=data["restock"], user=request.user
        ),
        done=_("Return %(number)s received."),
    )


@require_POST
def return_refund_view(request: HttpRequest, number: str, return_id: int):
    return _return_step(
        request,
        number,
        return_id,
        step="refund",
        form_class=forms.ReturnRefundForm,
        service=lambda pk, data: return_refund(
            return_id=pk,
            key=data["key"],
            shipping=data["shipping"] or Decimal(0),
            user=request.user,
        ),
        done=_("Return %(number)s refunded."),
    )
