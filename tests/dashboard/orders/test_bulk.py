"""Bulk actions on the orders ticked in the list: mark processing (those that
can't move are named with the reason, the others move), packing slips and the
CSV of the ticked orders."""

import pytest
from django.urls import reverse

from order import states
from order.models import Order, OrderEvent
from tests.dashboard.orders.pages import messages_of
from tests.order.orders import order_paid

pytestmark = pytest.mark.django_db

BULK = reverse("dashboard:order-bulk-processing")


@pytest.fixture
def paid_orders(teapot_and_cups):
    teapot, cups = teapot_and_cups
    return [order_paid((teapot, 1)), order_paid((cups, 2)), order_paid((cups, 1))]


def status_of(order) -> str:
    return Order.objects.get(pk=order.pk).status


def test_bulk_mark_processing_moves_the_orders_ticked(merchant, paid_orders):
    first, second, third = paid_orders

    response = merchant.post(BULK, {"order": [first.number, second.number]})

    assert response.status_code == 302
    assert status_of(first) == status_of(second) == states.PROCESSING
    assert status_of(third) == states.PAID
    event = first.timeline.latest("pk")
    assert (event.kind, event.new_status, event.user.username) == (
        OrderEvent.STATUS,
        states.PROCESSING,
        "merchant",
    )
    assert messages_of(response) == [
        f"2 orders marked processing: {first.number}, {second.number}."
    ]


def test_an_order_that_cant_move_is_named_and_the_rest_move(merchant, paid_orders):
    first, cancelled, third = paid_orders
    Order.objects.filter(pk=cancelled.pk).update(status=states.CANCELLED)
    events = cancelled.timeline.count()

    response = merchant.post(
        BULK, {"order": [first.number, cancelled.number, third.number]}
    )

    assert status_of(first) == status_of(third) == states.PROCESSING
    assert status_of(cancelled) == states.CANCELLED
    assert cancelled.timeline.count() == events
    success, refusal = messages_of(response)
    assert success == (f"2 orders marked processing: {first.number}, {third.number}.")
    assert refusal == (
        f"Order {cancelled.number} is Cancelled, so it can't become Processing. "
        "It can't change any more."
    )


def test_bulk_mark_processing_goes_back_to_the_list_as_filtered(merchant, paid_orders):
    response = merchant.post(
        BULK,
        {"order": [paid_orders[0].number], "status": states.PAID, "page": "2"},
    )

    assert response["Location"] == (
        reverse("dashboard:order-list") + "?status=Paid&page=2"
    )


def test_bulk_mark_processing_without_orders_asks_for_some(merchant, paid_orders):
    response = merchant.post(BULK, {})

    assert messages_of(response) == ["Choose the orders to mark processing."]
    assert {status_of(order) for order in paid_orders} == {states.PAID}


def test_bulk_mark_processing_is_post_only(merchant, paid_orders):
    response = merchant.get(BULK, {"order": paid_orders[0].number})

    assert response.status_code == 405
    assert status_of(paid_orders[0]) == states.PAID


def test_packing_slips_of_the_orders_ticked(merchant, paid_orders):
    first, _second, third = paid_orders

    response = merchant.post(
        reverse("dashboard:order-packing-slips"),
        {"order": [third.number, first.number]},
    )

    assert response.status_code == 200
    assert [order.number for order in response.context["orders"]] == [
        third.number,
        first.number,
    ]


def test_packing_slips_without_orders_go_back_to_the_list(merchant, paid_orders):
    response = merchant.post(reverse("dashboard:order-packing-slips"), {})

    assert response.status_code == 302
    assert messages_of(response) == ["Choose the orders to print packing slips for."]


def test_csv_of_the_orders_ticked(merchant, paid_orders):
    first, _second, third = paid_orders

    response = merchant.post(
        reverse("dashboard:order-export"),
        {"order": [first.number, third.number], "status": states.PROCESSING},
    )

    rows = response.content.decode().splitlines()
    assert [row.split(",")[0] for row in rows[1:]] == [third.number, first.number]
