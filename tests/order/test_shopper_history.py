"""The customer's order history (customer:order-list): their own orders only,
each with its number, date, status in plain words, total and a link; a page at
a time; something to do when there are none."""

import pytest
from django.urls import reverse
from oscar.apps.customer.views import OrderHistoryView

from order import states
from order.services import order_transition
from tests.order.orders import customer, order_paid, products

pytestmark = pytest.mark.django_db

#: Queries for a page of the history, however many orders it lists.
QUERY_BUDGET = 14


@pytest.fixture
def ada():
    return customer()


def test_the_history_lists_only_my_orders(client, ada):
    teapot, cups = products("20.00", "4.50")
    mine = order_paid((teapot, 1), user=ada)
    processing = order_paid((cups, 2), user=ada)
    order_transition(order_id=processing.pk, new_status=states.PROCESSING)
    theirs = order_paid((teapot, 1), user=customer("bob@example.com"))
    guests = order_paid((cups, 1))
    client.force_login(ada)

    response = client.get(reverse("customer:order-list"))

    page = response.content.decode()
    assert response.status_code == 200
    assert [order.number for order in response.context["orders"]] == [
        processing.number,
        mine.number,
    ]
    assert reverse("customer:order", args=[mine.number]) in page
    assert mine.date_placed.strftime("%-d %b %Y") in page
    assert '<td class="order-status">Paid</td>' in page
    assert '<td class="order-status">Processing</td>' in page
    assert "£20.00" in page and "£9.00" in page
    assert theirs.number not in page and guests.number not in page


def test_the_history_is_paginated(client, ada, monkeypatch):
    monkeypatch.setattr(OrderHistoryView, "paginate_by", 2)
    [teapot] = products("20.00")
    numbers = [order_paid((teapot, 1), user=ada).number for _ in range(3)]
    client.force_login(ada)

    first = client.get(reverse("customer:order-list"))
    second = client.get(reverse("customer:order-list"), {"page": 2})

    assert [o.number for o in first.context["orders"]] == numbers[:0:-1]
    assert [o.number for o in second.context["orders"]] == numbers[:1]
    assert "Page 1 of 2" in first.content.decode()


def test_the_history_stays_within_its_query_budget(
    client, ada, django_assert_max_num_queries
):
    [teapot] = products("20.00")
    for _ in range(3):
        order_paid((teapot, 1), user=ada)
    client.force_login(ada)

    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(reverse("customer:order-list"))

    assert len(response.context["orders"]) == 3


def test_no_orders_yet_invites_the_customer_to_shop(client, ada):
    order_paid((products("20.00")[0], 1), user=customer("bob@example.com"))
    client.force_login(ada)

    response = client.get(reverse("customer:order-list"))

    page = response.content.decode()
    assert "You haven't placed any orders." in page
    assert reverse("catalogue:index") in page


def test_the_history_needs_a_signed_in_customer(client):
    response = client.get(reverse("customer:order-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("customer:login"))
