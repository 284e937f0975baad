"""Returns from an order still partly waiting to ship: what arrived can go
back and be refunded while the rest of the order carries on."""

from decimal import Decimal

import pytest
from django.utils import timezone

from order import states
from order.fulfilment import ShipmentLineRequest, shipment_create, shipment_delivered
from order.models import Order
from order.returns import (
    ReturnLineRequest,
    return_approve,
    return_receive,
    return_refund,
    return_request_create,
)
from order.selectors import (
    return_window_open,
    returnable_quantities,
    shippable_quantities,
)
from tests.order.orders import order_paid, products

pytestmark = pytest.mark.django_db


def test_a_broken_first_parcel_is_returned_and_refunded_while_the_rest_waits():
    teapot, cups = products("20.00", "5.00", stock=10)
    order = order_paid((teapot, 1), (cups, 3))
    pot_line, cup_line = order.lines.order_by("pk")
    parcel = shipment_create(
        order_id=order.pk, lines=[ShipmentLineRequest(pot_line.pk, 1)]
    )
    shipment_delivered(shipment_id=parcel.pk, delivered_at=timezone.now())
    order.refresh_from_db()
    assert order.status == states.PARTIALLY_SHIPPED
    assert return_window_open(order)
    assert returnable_quantities(order) == {pot_line.pk: 1, cup_line.pk: 0}

    request = return_request_create(
        order_id=order.pk, lines=[ReturnLineRequest(pot_line.pk, 1, "damaged")]
    )
    return_approve(return_id=request.pk)
    return_receive(return_id=request.pk, restock=False)
    refund = return_refund(return_id=request.pk, key="broken-teapot")

    order = Order.objects.get(pk=order.pk)
    assert refund.amount == Decimal("20.00")
    assert (order.status, order.payment_state) == (
        states.PARTIALLY_SHIPPED,
        states.PAYMENT_PARTIALLY_REFUNDED,
    )
    # The cups still to ship were not touched by the teapot's refund.
    assert shippable_quantities(order) == {pot_line.pk: 0, cup_line.pk: 3}
    assert cups.stockrecords.get().num_allocated == 3

    shipment_create(order_id=order.pk, lines=[ShipmentLineRequest(cup_line.pk, 3)])

    assert Order.objects.get(pk=order.pk).status == states.SHIPPED


def test_refunding_a_returned_unit_leaves_the_units_still_to_ship():
    [cups] = products("5.00", stock=10)
    order = order_paid((cups, 3))
    [line] = order.lines.all()
    parcel = shipment_create(order_id=order.pk, lines=[ShipmentLineRequest(line.pk, 1)])
    shipment_delivered(shipment_id=parcel.pk, delivered_at=timezone.now())
    request = return_request_create(
        order_id=order.pk, lines=[ReturnLineRequest(line.pk, 1, "damaged")]
    )
    return_approve(return_id=request.pk)
    return_receive(return_id=request.pk, restock=True)

    return_refund(return_id=request.pk, key="one-cup")

    order = Order.objects.get(pk=order.pk)
    record = cups.stockrecords.get()
    assert shippable_quantities(order) == {line.pk: 2}
    assert (record.num_in_stock, record.num_allocated) == (10, 2)
    assert order.lines.get().status == states.LINE_PARTIALLY_SHIPPED
