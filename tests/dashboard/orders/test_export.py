"""The orders as CSV: the columns a merchant's spreadsheet needs, every order
the filters match (or those ticked), in few queries, and a shopper's email that
looks like a formula kept from running."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from order import states
from order.models import Order
from tests.order.orders import customer, order_paid, products

pytestmark = pytest.mark.django_db

EXPORT = reverse("dashboard:order-export")
HEADER = [
    "Order number",
    "Date placed",
    "Customer email",
    "Status",
    "Payment",
    "Fulfilment",
    "Total",
    "Currency",
    "Lines",
]


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_has_a_row_per_order_with_its_facts(merchant, order):
    placed = timezone.make_aware(datetime(2026, 3, 1, 9, 30))
    Order.objects.filter(pk=order.pk).update(
        date_placed=placed, fulfilment_state=states.FULFILMENT_PARTIAL
    )

    response = merchant.get(EXPORT)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="orders.csv"'
    assert rows_of(response) == [
        HEADER,
        [
            order.number,
            timezone.localtime(placed).strftime("%Y-%m-%d %H:%M"),
            "ada@example.com",
            "Paid",
            "Paid",
            "Partially shipped",
            "35.00",
            "GBP",
            "2",
        ],
    ]


def test_the_csv_holds_every_order_the_filters_match(merchant, teapot_and_cups):
    teapot, cups = teapot_and_cups
    guest = order_paid((teapot, 1))
    bob = order_paid((cups, 1), user=customer("bob@example.com"))
    Order.objects.filter(pk=bob.pk).update(status=states.PROCESSING)

    by_status = merchant.get(EXPORT, {"status": states.PROCESSING})
    by_email = merchant.get(EXPORT, {"q": "ada@example.com"})

    assert [(row[0], row[2]) for row in rows_of(by_status)[1:]] == [
        (bob.number, "bob@example.com")
    ]
    assert [row[0] for row in rows_of(by_email)[1:]] == [guest.number]


def test_bad_filters_go_back_to_the_list_to_be_explained(merchant, order):
    response = merchant.get(
        EXPORT, {"date_from": "2026-03-03", "date_to": "2026-03-01"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("dashboard:order-list"))


def test_an_email_like_a_formula_is_kept_from_running(merchant, order):
    Order.objects.filter(pk=order.pk).update(guest_email="=cmd@example.com")

    response = merchant.get(EXPORT)

    assert rows_of(response)[1][2] == "'=cmd@example.com"


def test_the_csv_makes_the_same_queries_for_many_orders(
    merchant, django_assert_max_num_queries
):
    teapot, cups = products("20.00", "5.00", stock=100)
    for n in range(15):
        order_paid((teapot, 1), (cups, 2), user=customer(f"c{n}@example.com"))

    # The session, the merchant and the orders (their lines counted, their
    # accounts joined).
    with django_assert_max_num_queries(3):
        response = merchant.get(EXPORT)

    assert len(rows_of(response)) == 16
    assert {row[8] for row in rows_of(response)[1:]} == {"2"}
