"""The merchant's order pages that read: the list (filtered, paginated; its
results alone for htmx), packing slips, the CSV and one order's page.

Pages that act (order.services and friends) are in dashboard.orders.actions
and dashboard.orders.returns; on a refusal they draw the order's page again
through order_page_render, with the merchant's input and the reason."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dashboard.orders import forms
from dashboard.orders.selectors import (
    order_page,
    orders_listed,
    orders_matching,
    orders_to_pack,
)
from order.carriers import CARRIER_CHOICES
from order.exports import orders_csv_write
from order.models import Order

LIST_TEMPLATE = "oscar/dashboard/orders/order_list.html"
RESULTS_TEMPLATE = "oscar/dashboard/orders/partials/_order_results.html"
DETAIL_TEMPLATE = "oscar/dashboard/orders/order_detail.html"
SLIPS_TEMPLATE = "oscar/dashboard/orders/packing_slips.html"

#: The list's query parameters a bulk action carries back to it.
LIST_PARAMS = (*forms.OrderFilterForm.base_fields, "page")


@require_GET
def order_list_view(request: HttpRequest) -> HttpResponse:
    form = forms.OrderFilterForm(request.GET or None)
    orders = orders_listed(orders_matching(**form.filters()))
    page = Paginator(orders, settings.OSCAR_DASHBOARD_ITEMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    kept = list_params(request.GET)
    context = {
        "form": form,
        "page_obj": page,
        "orders": page.object_list,
        "filtered": bool(form.filters()),
        # The filters alone: for the page links, the CSV of every match and
        # the bulk form's hidden fields.
        "filter_items": [(k, v) for k, v in kept if k != "page"],
        "filter_query": urlencode([(k, v) for k, v in kept if k != "page"]),
        "list_items": kept,
    }
    response = render(
        request, RESULTS_TEMPLATE if request.htmx else LIST_TEMPLATE, context
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def list_params(data) -> list[tuple[str, str]]:
    """The list's filters and page as given, empty ones left out."""
    return [
        (name, value)
        for name in LIST_PARAMS
        for value in data.getlist(name)
        if value.strip()
    ]


def list_url(data=None) -> str:
    """The order list, with the filters and page of `data` (a QueryDict)."""
    query = urlencode(list_params(data)) if data is not None else ""
    url = reverse("dashboard:order-list")
    return f"{url}?{query}" if query else url


def _asked(request: HttpRequest):
    """What a read was asked: a link's query, or the list's bulk form (a POST,
    so its CSRF token stays out of addresses)."""
    return request.POST if request.method == "POST" else request.GET


@require_http_methods(["GET", "POST"])
def packing_slips_view(request: HttpRequest) -> HttpResponse:
    """Printable packing slips for the orders named (`order=<number>`, many
    times): one order to a printed page."""
    asked = _asked(request)
    numbers = [n for n in asked.getlist("order") if n.strip()]
    if not numbers:
        messages.error(request, _("Choose the orders to print packing slips for."))
        return redirect(list_url(asked))
    orders = orders_to_pack(numbers=numbers)
    if not orders:
        raise Http404(_("None of these orders exist."))
    return render(request, SLIPS_TEMPLATE, {"orders": orders})


@require_http_methods(["GET", "POST"])
def orders_export_view(request: HttpRequest) -> HttpResponse:
    """The orders named (`order=<number>`, many times) as CSV, or with none
    named every order the list's filters match."""
    asked = _asked(request)
    numbers = [n for n in asked.getlist("order") if n.strip()]
    if numbers:
        orders = Order.objects.filter(number__in=numbers).order_by(
            "-date_placed", "-pk"
        )
    else:
        form = forms.OrderFilterForm(asked)
        if not form.is_valid():
            # The list shows what is wrong with the filters.
            return redirect(list_url(asked))
        orders = orders_matching(**form.filters())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    orders_csv_write(orders=orders, out=response)
    return response


@require_GET
def order_detail_view(request: HttpRequest, number: str) -> HttpResponse:
    return order_page_render(request, number)


def order_page_render(
    request: HttpRequest, number: str, *, bound: dict | None = None
) -> HttpResponse:
    """The order's page: its summary, lines, shipments, returns, refunds and
    timeline, and a form for each action its state allows. An action that was
    refused passes its bound form in `bound` (by its name in the page's
    context, or a return's step by its prefix), so the merchant's input stays."""
    bound = bound or {}
    try:
        page = order_page(number=number)
    except Order.DoesNotExist as missing:
        raise Http404(_("No order %(number)s.") % {"number": number}) from missing
    lines = [row.line for row in page.lines]
    context = {
        "page": page,
        "order": page.order,
        "actions": page.actions,
        "cancel_form": forms.CancelForm(),
        "note_form": forms.NoteForm(),
        "refund_form": forms.RefundForm(lines=lines, refundable=page.refundable_units),
        "shipment_form": forms.ShipmentForm(
            lines=lines, to_ship=page.to_ship, carriers=CARRIER_CHOICES
        ),
        "returns": [
            (return_request, return_forms(return_request, bound))
            for return_request in page.returns
        ],
        **{name: form for name, form in bound.items() if name.endswith("_form")},
    }
    return render(request, DETAIL_TEMPLATE, context)


RETURN_STEP_FORMS = {
    "approve": forms.ReturnApproveForm,
    "reject": forms.ReturnRejectForm,
    "receive": forms.ReturnReceiveForm,
    "refund": forms.ReturnRefundForm,
}


def return_forms(return_request, bound: dict) -> dict:
    """The forms of one return's steps by step; the bound one of a step that
    was just refused."""
    prefixes = {
        step: forms.return_prefix(return_request.pk, step) for step in RETURN_STEP_FORMS
    }
    return {
        step: bound.get(prefix) or RETURN_STEP_FORMS[step](prefix=prefix)
        for step, prefix in prefixes.items()
    }
