"""Notes on an order's timeline: for the staff, or shown to the shopper too;
never emailed."""

import pytest
from django.test import Client

from order.models import OrderEvent
from tests.dashboard.orders.pages import messages_of, order_url, page_text
from tests.order.test_shopper_page import guest_confirmed

pytestmark = pytest.mark.django_db


def shopper_page(order) -> str:
    """The guest's order page behind the signed link, email confirmed."""
    page = guest_confirmed(Client(), order)
    assert page.status_code == 200
    return page_text(page)


def test_a_staff_note_is_on_the_timeline_but_not_the_shopper_s_page(
    merchant, order, mailoutbox
):
    response = merchant.post(
        order_url("order-note", order), {"message": "Customer rang about gift wrap"}
    )

    note = order.timeline.get(kind=OrderEvent.NOTE)
    assert messages_of(response) == ["Note added."]
    assert (note.message, note.user.username) == (
        "Customer rang about gift wrap",
        "merchant",
    )
    assert not note.customer_visible
    assert "Customer rang about gift wrap" in page_text(
        merchant.get(order_url("order-detail", order))
    )
    assert "gift wrap" not in shopper_page(order)
    assert mailoutbox == []


def test_a_note_for_the_shopper_shows_on_their_order_page(merchant, order):
    merchant.post(
        order_url("order-note", order),
        {"message": "Packed with extra care", "customer_visible": "on"},
    )

    assert order.timeline.get(kind=OrderEvent.NOTE).customer_visible
    assert "Packed with extra care" in shopper_page(order)


def test_an_empty_note_is_refused_and_adds_nothing(merchant, order):
    response = merchant.post(order_url("order-note", order), {"message": "   "})

    assert response.status_code == 200
    assert "A note needs some text." in page_text(response)
    assert not order.timeline.filter(kind=OrderEvent.NOTE).exists()
