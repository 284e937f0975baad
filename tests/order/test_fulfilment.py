"""Shipping an order, in parts or whole: stock, statuses, timeline and the
shopper's emails with the tracking link; refusals change nothing."""

import logging

import pytest
from oscar.core.loading import get_model

from order import states
from order.carriers import tracking_url
from order.fulfilment import (
    ShipmentLineRequest,
    ShipmentRefused,
    shipment_create,
)
from order.lifecycle import IllegalTransition
from order.models import Order, OrderEvent, Shipment
from order.selectors import shippable_quantities
from order.services import order_cancel
from tests.order.orders import customer, order_paid, products

pytestmark = pytest.mark.django_db

ShippingEvent = get_model("order", "ShippingEvent")

TRACKING = "https://www.royalmail.com/track-your-item#/tracking-results/"


def ship(order, *quantities, **options):
    """Ship `quantities` of the order's lines, in line order (0: none)."""
    lines = order.lines.order_by("pk")
    return shipment_create(
        order_id=order.pk,
        lines=[
            ShipmentLineRequest(line.pk, quantity)
            for line, quantity in zip(lines, quantities, strict=False)
            if quantity
        ],
        **options,
    )


def stock(order) -> list[tuple[int, int]]:
    """(on hand, allocated) of each line's stock record."""
    return [
        (line.stockrecord.num_in_stock, line.stockrecord.num_allocated)
        for line in order.lines.order_by("pk").select_related("stockrecord")
    ]


def line_statuses(order) -> list[str]:
    return list(order.lines.order_by("pk").values_list("status", flat=True))


def test_part_of_an_order_ships_with_its_tracking_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    teapot, cups = products("34.50", "8.00")
    order = order_paid((teapot, 1), (cups, 3))
    merchant = customer("sam@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        shipment = ship(
            order,
            1,
            1,
            carrier="Royal Mail",
            tracking_number="AB123456789GB",
            user=merchant,
        )

    order.refresh_from_db()
    assert shipment.number == f"{order.number}-1"
    assert shipment.carrier == "royal-mail"
    assert shipment.tracking_url == TRACKING + "AB123456789GB"
    assert [(item.line.title, item.quantity) for item in shipment.lines.all()] == [
        ("Product 1", 1),
        ("Product 2", 1),
    ]
    assert stock(order) == [(9, 0), (9, 2)]
    first, second = order.lines.order_by("pk")
    assert shippable_quantities(order) == {first.pk: 0, second.pk: 2}
    assert line_statuses(order) == [states.LINE_SHIPPED, states.LINE_PARTIALLY_SHIPPED]
    assert order.status == states.PARTIALLY_SHIPPED
    assert order.fulfilment_state == states.FULFILMENT_PARTIAL
    event = order.timeline.get(kind=OrderEvent.SHIPMENT)
    assert (event.old_status, event.new_status) == (states.PAID, order.status)
    assert event.user == merchant and event.customer_visible
    assert event.data["tracking_url"] == shipment.tracking_url
    assert event.data["shipment_id"] == shipment.pk
    assert event.data["carrier"] == "Royal Mail"
    assert event.data["tracking_number"] == "AB123456789GB"
    (email,) = mailoutbox
    assert email.to == ["ada@example.com"]
    assert order.number in email.subject and "Part of" in email.subject
    assert shipment.tracking_url in email.body
    assert "Product 2 - quantity: 1" in email.body
    assert shipment.tracking_url in email.alternatives[0][0]
    assert ShippingEvent.objects.get(order=order).event_type.code == "shipped"


def test_the_rest_ships_and_the_order_is_shipped(
    mailoutbox, django_capture_on_commit_callbacks
):
    teapot, cups = products("34.50", "8.00")
    order = order_paid((teapot, 1), (cups, 3))
    ship(order, 1, 1, carrier="DPD", tracking_number="1550")

    with django_capture_on_commit_callbacks(execute=True):
        shipment = ship(order, 0, 2, carrier="Royal Mail", tracking_number="XY9GB")

    order.refresh_from_db()
    assert shipment.number == f"{order.number}-2"
    assert [(item.line.title, item.quantity) for item in shipment.lines.all()] == [
        ("Product 2", 2)
    ]
    assert stock(order) == [(9, 0), (7, 0)]
    assert set(shippable_quantities(order).values()) == {0}
    assert line_statuses(order) == [states.LINE_SHIPPED, states.LINE_SHIPPED]
    assert order.status == states.SHIPPED
    assert order.fulfilment_state == states.FULFILMENT_SHIPPED
    assert [
        (event.kind, event.new_status, event.data.get("shipment_number"))
        for event in order.timeline.all()
    ] == [
        (OrderEvent.PAYMENT, states.PAID, None),
        (OrderEvent.SHIPMENT, states.PARTIALLY_SHIPPED, f"{order.number}-1"),
        (OrderEvent.SHIPMENT, states.SHIPPED, shipment.number),
    ]
    (email,) = mailoutbox
    assert email.subject == f"The rest of your order {order.number} is on its way"
    assert TRACKING + "XY9GB" in email.body
    assert "Product 2 - quantity: 2" in email.body
    assert TRACKING + "XY9GB" in email.alternatives[0][0]


def test_a_second_part_of_a_partly_shipped_order_is_emailed_too(
    mailoutbox, django_capture_on_commit_callbacks
):
    (cups,) = products("8.00")
    order = order_paid((cups, 3))
    ship(order, 1)

    with django_capture_on_commit_callbacks(execute=True):
        shipment = ship(order, 1, carrier="evri", tracking_number="H00")

    order.refresh_from_db()
    assert order.status == states.PARTIALLY_SHIPPED
    assert stock(order) == [(8, 1)]
    event = order.timeline.filter(kind=OrderEvent.SHIPMENT).last()
    assert event.new_status == "" and event.email_code == "ORDER_PARTIALLY_SHIPPED"
    (email,) = mailoutbox
    assert shipment.tracking_url == tracking_url("Evri", "H00") != ""
    assert shipment.tracking_url in email.body


def test_a_whole_order_ships_from_paid_straight_to_shipped(
    mailoutbox, django_capture_on_commit_callbacks
):
    (teapot,) = products("34.50")
    order = order_paid((teapot, 2))

    with django_capture_on_commit_callbacks(execute=True):
        ship(order, 2, carrier="Parcel Co", tracking_number="P-1")

    order.refresh_from_db()
    assert order.status == states.SHIPPED
    assert stock(order) == [(8, 0)]
    shipment = order.shipments.get()
    assert (shipment.carrier, shipment.tracking_url) == ("Parcel Co", "")
    (email,) = mailoutbox
    assert email.subject == f"Your order {order.number} is on its way"
    assert "Carrier: Parcel Co" in email.body and "Tracking number: P-1" in email.body


def test_shipping_more_than_is_left_is_refused_and_changes_nothing(caplog):
    teapot, cups = products("34.50", "8.00")
    order = order_paid((teapot, 1), (cups, 3))
    ship(order, 0, 2)
    before = (stock(order), line_statuses(order), order.timeline.count())

    with caplog.at_level(logging.WARNING, logger="order.fulfilment"):
        with pytest.raises(ShipmentRefused) as refused:
            ship(order, 1, 2)

    assert str(refused.value) == "Only 1 of “Product 2” is left to ship, not 2."
    assert f"Shipment of order {order.number} refused" in caplog.text
    assert (stock(order), line_statuses(order), order.timeline.count()) == before
    assert Shipment.objects.filter(order=order).count() == 1
    assert Order.objects.get(pk=order.pk).status == states.PARTIALLY_SHIPPED


@pytest.mark.parametrize(
    ("requests", "message"),
    [
        ([], "Choose the lines and quantities to ship."),
        ([(0, 0)], "The quantity of “Product 1” to ship must be more than zero."),
        ([(0, -1)], "The quantity of “Product 1” to ship must be more than zero."),
        ([(None, 1)], "is not part of order"),
    ],
)
def test_bad_lines_are_refused_and_change_nothing(requests, message):
    (teapot,) = products("34.50")
    order = order_paid((teapot, 2))
    other = order_paid((teapot, 1))
    line_id = order.lines.get().pk
    wanted = [
        ShipmentLineRequest(line_id if index == 0 else other.lines.get().pk, quantity)
        for index, quantity in requests
    ]

    with pytest.raises(ShipmentRefused) as refused:
        shipment_create(order_id=order.pk, lines=wanted)

    assert message in str(refused.value)
    assert stock(order) == [(10, 3)]
    assert not Shipment.objects.exists()


def test_a_cancelled_order_can_not_ship():
    (teapot,) = products("34.50")
    order = order_paid((teapot, 2))
    line_id = order.lines.get().pk
    order_cancel(order_id=order.pk, reason="Changed my mind")

    with pytest.raises(IllegalTransition) as illegal:
        shipment_create(order_id=order.pk, lines=[ShipmentLineRequest(line_id, 2)])

    assert "is Cancelled, so it can't become Shipped" in str(illegal.value)
    assert not Shipment.objects.exists()
    assert stock(order) == [(10, 0)]


def test_the_same_reference_finds_the_shipment_made_before():
    (cups,) = products("8.00")
    order = order_paid((cups, 3))
    first = ship(order, 1, reference="3PL-77", carrier="UPS", tracking_number="1Z")

    again = ship(order, 1, reference="3PL-77", carrier="UPS", tracking_number="1Z")

    assert again == first
    assert order.shipments.count() == 1
    assert stock(order) == [(9, 2)]
    assert order.timeline.filter(kind=OrderEvent.SHIPMENT).count() == 1


@pytest.mark.parametrize(
    ("carrier", "number", "url"),
    [
        ("royal-mail", "AB 1", TRACKING + "AB%201"),
        ("DPD", "15", "https://www.dpd.co.uk/apps/tracking/?reference=15"),
        (
            "dhl",
            "9",
            "https://www.dhl.com/gb-en/home/tracking/tracking-parcel.html"
            "?submit=1&tracking-id=9",
        ),
        ("UPS", "1Z", "https://www.ups.com/track?tracknum=1Z"),
        ("Fed Ex", "7", "https://www.fedex.com/fedextrack/?trknbr=7"),
        ("EVRI", "H1", "https://www.evri.com/track/parcel/H1/details"),
        ("other", "X", ""),
        ("Parcel Co", "X", ""),
        ("ups", "", ""),
    ],
)
def test_tracking_links_of_the_known_carriers(carrier, number, url):
    assert tracking_url(carrier, number) == url
