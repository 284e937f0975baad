"""Delivery of shipments and the order's completion once the return window has
passed."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from order import states
from order.fulfilment import (
    orders_complete,
    shipment_delivered,
)
from order.models import OrderEvent, ReturnRequest, Shipment
from order.selectors import order_delivered_at
from order.services import order_transition
from shop.celery import app
from tests.order.orders import order_paid, products
from tests.order.test_fulfilment import line_statuses, ship

pytestmark = pytest.mark.django_db


def test_the_last_shipment_delivered_delivers_the_order(
    mailoutbox, django_capture_on_commit_callbacks
):
    (teapot,) = products("34.50")
    order = order_paid((teapot, 2))
    shipment = ship(order, 2, carrier="Royal Mail", tracking_number="AB1")
    arrived = timezone.now() - timedelta(hours=2)

    with django_capture_on_commit_callbacks(execute=True):
        shipment_delivered(shipment_id=shipment.pk, actor="acme", delivered_at=arrived)

    order.refresh_from_db()
    shipment.refresh_from_db()
    assert (shipment.status, shipment.delivered_at) == (Shipment.DELIVERED, arrived)
    assert line_statuses(order) == [states.LINE_DELIVERED]
    assert order.status == states.DELIVERED
    assert order.fulfilment_state == states.FULFILMENT_DELIVERED
    event = order.timeline.last()
    assert (event.kind, event.old_status, event.new_status) == (
        OrderEvent.DELIVERY,
        states.SHIPPED,
        states.DELIVERED,
    )
    assert event.who == "acme" and event.data["shipment_id"] == shipment.pk
    (email,) = mailoutbox
    assert email.subject == f"Your order {order.number} has been delivered"
    assert "Product 1 - quantity: 2" in email.body
    assert order_delivered_at(order) == arrived


def test_a_delivery_reported_again_changes_nothing(
    mailoutbox, django_capture_on_commit_callbacks
):
    (teapot,) = products("34.50")
    order = order_paid((teapot, 1))
    shipment = ship(order, 1)
    with django_capture_on_commit_callbacks(execute=True):
        shipment_delivered(shipment_id=shipment.pk)
    events = order.timeline.count()
    delivered_at = Shipment.objects.get(pk=shipment.pk).delivered_at

    with django_capture_on_commit_callbacks(execute=True):
        again = shipment_delivered(
            shipment_id=shipment.pk, delivered_at=timezone.now() + timedelta(days=1)
        )

    assert again.delivered_at == delivered_at
    assert order.timeline.count() == events
    assert len(mailoutbox) == 1


def test_a_delivered_part_leaves_the_order_partly_shipped_until_the_rest_arrives(
    mailoutbox, django_capture_on_commit_callbacks
):
    teapot, cups = products("34.50", "8.00")
    order = order_paid((teapot, 1), (cups, 3))
    first = ship(order, 1, 1)

    with django_capture_on_commit_callbacks(execute=True):
        shipment_delivered(shipment_id=first.pk)

    order.refresh_from_db()
    assert order.status == states.PARTIALLY_SHIPPED
    assert order.fulfilment_state == states.FULFILMENT_PARTIAL
    # The teapot has all arrived; two cups are still to ship.
    assert line_statuses(order) == [
        states.LINE_DELIVERED,
        states.LINE_PARTIALLY_SHIPPED,
    ]
    event = order.timeline.last()
    assert (event.kind, event.new_status, event.email_code) == (
        OrderEvent.DELIVERY,
        "",
        "",
    )
    assert event.customer_visible
    assert not mailoutbox

    with django_capture_on_commit_callbacks(execute=True):
        shipment_delivered(shipment_id=ship(order, 0, 2).pk)

    order.refresh_from_db()
    assert order.status == states.DELIVERED
    assert line_statuses(order) == [states.LINE_DELIVERED, states.LINE_DELIVERED]
    assert [email.subject for email in mailoutbox] == [
        f"The rest of your order {order.number} is on its way",
        f"Your order {order.number} has been delivered",
    ]


def test_a_delivered_order_is_completed_once_its_return_window_has_passed(settings):
    settings.ORDER_RETURN_WINDOW_DAYS = 30
    (teapot,) = products("34.50")
    order = order_paid((teapot, 1))
    start = timezone.now()
    shipment_delivered(shipment_id=ship(order, 1).pk)

    with time_machine.travel(start + timedelta(days=29), tick=False):
        early = orders_complete()
    order.refresh_from_db()
    assert (early, order.status) == (0, states.DELIVERED)

    with time_machine.travel(start + timedelta(days=30, minutes=1), tick=False):
        completed = orders_complete()

    order.refresh_from_db()
    assert (completed, order.status) == (1, states.COMPLETED)
    event = order.timeline.last()
    assert (event.old_status, event.new_status) == (states.DELIVERED, states.COMPLETED)
    assert event.email_code == "" and not event.customer_visible
    assert orders_complete(now=start + timedelta(days=31)) == 0


def test_an_open_return_keeps_the_order_from_completing(settings):
    settings.ORDER_RETURN_WINDOW_DAYS = 30
    (teapot,) = products("34.50")
    order = order_paid((teapot, 1))
    shipment_delivered(shipment_id=ship(order, 1).pk)
    asked = ReturnRequest.objects.create(order=order, number=f"{order.number}-R1")
    later = timezone.now() + timedelta(days=45)

    assert orders_complete(now=later) == 0
    order.refresh_from_db()
    assert order.status == states.DELIVERED

    asked.status = ReturnRequest.REJECTED
    asked.save()
    assert orders_complete(now=later) == 1


def test_an_order_delivered_by_hand_completes_from_when_that_was_recorded():
    (teapot,) = products("34.50")
    order = order_paid((teapot, 1))
    order_transition(order_id=order.pk, new_status=states.SHIPPED)
    order_transition(order_id=order.pk, new_status=states.DELIVERED)

    assert orders_complete(now=timezone.now() + timedelta(days=1)) == 0
    assert orders_complete(now=timezone.now() + timedelta(days=31)) == 1


def test_completion_runs_daily_on_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["orders-complete"]

    assert entry["task"] in app.tasks
    assert entry["schedule"].remaining_estimate(timezone.now()) <= timedelta(days=1)
    assert app.tasks[entry["task"]].apply().get() == 0
