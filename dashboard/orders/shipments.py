"""The merchant's shipping actions: a parcel of some or all that is left to
ship, and a parcel's delivery; each calls one order.fulfilment service."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dashboard.orders import forms
from dashboard.orders.actions import order_or_404, order_page_redirect, refused
from order import fulfilment
from order.carriers import CARRIER_CHOICES
from order.lifecycle import IllegalTransition
from order.models import Shipment


@require_POST
def shipment_create_view(request: HttpRequest, number: str) -> HttpResponse:
    """One parcel: the quantities chosen, the carrier and tracking number."""
    order = order_or_404(number)
    lines = order.lines.order_by("pk")
    form = forms.ShipmentForm(
        request.POST,
        lines=lines,
        to_ship={line.pk: line.num_allocated for line in lines},
        carriers=CARRIER_CHOICES,
    )
    if not form.is_valid():
        return refused(
            request,
            number,
            "ship",
            _("Check the shipment's details."),
            bound={"shipment_form": form},
        )
    try:
        shipment = fulfilment.shipment_create(
            order_id=order.pk,
            lines=[
                fulfilment.ShipmentLineRequest(line_id, quantity)
                for line_id, quantity in form.line_quantities().items()
            ],
            carrier=form.cleaned_data["carrier"],
            tracking_number=form.cleaned_data["tracking_number"],
            user=request.user,
        )
    except (fulfilment.ShipmentRefused, IllegalTransition) as error:
        return refused(request, number, "ship", error, bound={"shipment_form": form})
    messages.success(
        request, _("Shipment %(number)s created.") % {"number": shipment.number}
    )
    return order_page_redirect(number)


@require_POST
def shipment_delivered_view(
    request: HttpRequest, number: str, shipment_id: int
) -> HttpResponse:
    shipment = get_object_or_404(Shipment, pk=shipment_id, order__number=number)
    try:
        fulfilment.shipment_delivered(shipment_id=shipment.pk, user=request.user)
    except (fulfilment.ShipmentRefused, IllegalTransition) as error:
        return refused(request, number, "mark delivered", error)
    messages.success(
        request, _("Shipment %(number)s delivered.") % {"number": shipment.number}
    )
    return order_page_redirect(number)
