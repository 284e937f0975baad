"""The order page's shipping actions: a parcel of the units chosen with its
carrier and tracking number (order.fulfilment.shipment_create), and its
delivery (shipment_delivered). Refusals say why and change nothing."""

import pytest

from order import states
from order.fulfilment import ShipmentLineRequest, shipment_create
from order.models import Order, Shipment
from tests.dashboard.orders.pages import messages_of, order_url, page_text
from tests.order.orders import order_paid

pytestmark = pytest.mark.django_db


def ship_fields(order, units: dict, **fields) -> dict:
    data = {"carrier": "royal-mail", "tracking_number": "RM123456GB"}
    for line in order.lines.all():
        data[f"ship_{line.pk}"] = str(units.get(line, 0))
    return {**data, **fields}


def test_ship_everything_with_a_carrier_and_tracking(merchant, order):
    teapot_line, cups_line = order.lines.order_by("pk")

    response = merchant.post(
        order_url("order-shipment-create", order),
        ship_fields(order, {teapot_line: 1, cups_line: 3}),
    )

    shipment = Shipment.objects.get()
    assert response.status_code == 302
    assert (shipment.carrier, shipment.tracking_number) == ("royal-mail", "RM123456GB")
    assert "RM123456GB" in shipment.tracking_url
    assert shipment.created_by.username == "merchant"
    assert Order.objects.get(pk=order.pk).status == states.SHIPPED
    assert messages_of(response) == [f"Shipment {shipment.number} created."]


def test_ship_some_of_the_lines(merchant, order):
    _teapot_line, cups_line = order.lines.order_by("pk")

    merchant.post(
        order_url("order-shipment-create", order),
        ship_fields(order, {cups_line: 2}, carrier="", tracking_number=""),
    )

    shipment = Shipment.objects.get()
    assert [(item.line, item.quantity) for item in shipment.lines.all()] == [
        (cups_line, 2)
    ]
    assert Order.objects.get(pk=order.pk).status == states.PARTIALLY_SHIPPED


def test_the_ship_form_offers_what_is_left_to_ship(merchant, order):
    _teapot_line, cups_line = order.lines.order_by("pk")
    shipment_create(order_id=order.pk, lines=[ShipmentLineRequest(cups_line.pk, 1)])

    form = merchant.get(order_url("order-detail", order)).context["shipment_form"]

    assert {line.pk: form[name].value() for line, name in form.line_fields} == {
        order.lines.order_by("pk").first().pk: 1,
        cups_line.pk: 2,
    }
    assert ("royal-mail", "Royal Mail") in form.fields["carrier"].choices


def test_shipping_more_than_is_left_says_so_and_changes_nothing(merchant, order):
    teapot_line, _cups_line = order.lines.order_by("pk")

    response = merchant.post(
        order_url("order-shipment-create", order),
        ship_fields(order, {teapot_line: 2}),
    )

    assert response.status_code == 200
    assert f"Only 1 of “{teapot_line.title}” is left to ship, not 2." in page_text(
        response
    )
    assert not Shipment.objects.exists()
    assert Order.objects.get(pk=order.pk).status == states.PAID
    assert response.context["shipment_form"]["tracking_number"].value() == (
        "RM123456GB"
    )


def test_shipping_nothing_is_refused(merchant, order):
    response = merchant.post(
        order_url("order-shipment-create", order), ship_fields(order, {})
    )

    assert "Choose the lines and quantities to ship." in page_text(response)
    assert not Shipment.objects.exists()


def test_a_cancelled_order_cant_ship(merchant, order):
    teapot_line, _cups_line = order.lines.order_by("pk")
    Order.objects.filter(pk=order.pk).update(status=states.CANCELLED)

    response = merchant.post(
        order_url("order-shipment-create", order),
        ship_fields(order, {teapot_line: 1}),
    )

    assert f"Order {order.number} is Cancelled, so it can't become Shipped." in (
        page_text(response)
    )
    assert not Shipment.objects.exists()


def test_mark_a_shipment_delivered(merchant, order):
    shipment = shipment_create(
        order_id=order.pk,
        lines=[
            ShipmentLineRequest(line.pk, line.quantity) for line in order.lines.all()
        ],
    )

    response = merchant.post(
        order_url("order-shipment-delivered", order, shipment_id=shipment.pk)
    )

    shipment.refresh_from_db()
    assert response.status_code == 302
    assert shipment.status == Shipment.DELIVERED
    assert Order.objects.get(pk=order.pk).status == states.DELIVERED
    assert messages_of(response) == [f"Shipment {shipment.number} delivered."]


def test_a_shipment_of_another_order_is_not_found(merchant, order, teapot_and_cups):
    teapot, _cups = teapot_and_cups
    other = order_paid((teapot, 1))
    line = other.lines.get()
    shipment = shipment_create(
        order_id=other.pk, lines=[ShipmentLineRequest(line.pk, 1)]
    )

    response = merchant.post(
        order_url("order-shipment-delivered", order, shipment_id=shipment.pk)
    )

    shipment.refresh_from_db()
    assert response.status_code == 404
    assert shipment.status == Shipment.SHIPPED
