"""The merchant's order list: filters by status, payment, fulfilment and the
day placed, search by order number or email, pages, empty states, the results
alone for htmx, and a number of queries that doesn't grow with the orders."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from order import states
from order.models import Order
from tests.dashboard.orders.pages import page_text
from tests.order.orders import customer, order_paid, products

pytestmark = pytest.mark.django_db

LIST = reverse("dashboard:order-list")


def listed(response) -> list[str]:
    return [order.number for order in response.context["orders"]]


def placed_on(order, day: str) -> None:
    moment = timezone.make_aware(datetime.fromisoformat(f"{day} 12:00"))
    Order.objects.filter(pk=order.pk).update(date_placed=moment)


@pytest.fixture
def three_orders(teapot_and_cups):
    """A paid guest order, a processing one by bob@example.com and a cancelled
    one, placed on three days in a row."""
    teapot, cups = teapot_and_cups
    paid = order_paid((teapot, 1))
    processing = order_paid((cups, 2), user=customer("bob@example.com"))
    cancelled = order_paid((cups, 1))
    Order.objects.filter(pk=processing.pk).update(status=states.PROCESSING)
    Order.objects.filter(pk=cancelled.pk).update(
        status=states.CANCELLED,
        payment_state=states.PAYMENT_REFUNDED,
        fulfilment_state=states.FULFILMENT_CANCELLED,
    )
    for order, day in (
        (paid, "2026-03-01"),
        (processing, "2026-03-02"),
        (cancelled, "2026-03-03"),
    ):
        placed_on(order, day)
    return paid, processing, cancelled


def test_the_list_shows_every_order_newest_first(merchant, three_orders):
    paid, processing, cancelled = three_orders

    response = merchant.get(LIST)

    assert response.status_code == 200
    assert listed(response) == [cancelled.number, processing.number, paid.number]
    text = page_text(response)
    assert "bob@example.com" in text
    assert "£20.00" in text


def test_the_status_filter_keeps_orders_in_that_status(merchant, three_orders):
    _paid, processing, _cancelled = three_orders

    response = merchant.get(LIST, {"status": states.PROCESSING})

    assert listed(response) == [processing.number]


def test_payment_and_fulfilment_filters(merchant, three_orders):
    paid, processing, cancelled = three_orders

    refunded = merchant.get(LIST, {"payment_state": states.PAYMENT_REFUNDED})
    unshipped = merchant.get(LIST, {"fulfilment_state": states.FULFILMENT_UNFULFILLED})

    assert listed(refunded) == [cancelled.number]
    assert listed(unshipped) == [processing.number, paid.number]


def test_dates_placed_from_and_to_include_both_days(merchant, three_orders):
    paid, processing, cancelled = three_orders

    both = merchant.get(LIST, {"date_from": "2026-03-02", "date_to": "2026-03-03"})
    since = merchant.get(LIST, {"date_from": "2026-03-03"})
    until = merchant.get(LIST, {"date_to": "2026-03-01"})

    assert listed(both) == [cancelled.number, processing.number]
    assert listed(since) == [cancelled.number]
    assert listed(until) == [paid.number]


def test_dates_the_wrong_way_round_are_explained(merchant, three_orders):
    response = merchant.get(LIST, {"date_from": "2026-03-03", "date_to": "2026-03-01"})

    assert "“Placed from” must be on or before “Placed to”." in page_text(response)
    assert len(listed(response)) == 3


def test_search_by_order_number(merchant, three_orders):
    _paid, processing, _cancelled = three_orders

    response = merchant.get(LIST, {"q": processing.number})

    assert listed(response) == [processing.number]


def test_search_by_a_guests_or_an_accounts_email(merchant, three_orders):
    paid, processing, cancelled = three_orders

    guest = merchant.get(LIST, {"q": "ADA@example.com"})
    account = merchant.get(LIST, {"q": "bob@"})

    assert listed(guest) == [cancelled.number, paid.number]
    assert listed(account) == [processing.number]


def test_filters_combine(merchant, three_orders):
    paid, _processing, _cancelled = three_orders

    response = merchant.get(LIST, {"q": "ada@example.com", "status": states.PAID})

    assert listed(response) == [paid.number]


def test_no_orders_yet_says_so(merchant):
    response = merchant.get(LIST)

    assert "No orders yet." in page_text(response)


def test_no_match_offers_every_order_again(merchant, three_orders):
    response = merchant.get(LIST, {"q": "nobody@example.com"})

    text = page_text(response)
    assert "No orders match these filters." in text
    assert "Show every order" in text


def test_pages_keep_the_filters(merchant, three_orders, settings):
    settings.OSCAR_DASHBOARD_ITEMS_PER_PAGE = 1
    paid, _processing, cancelled = three_orders

    first = merchant.get(LIST, {"q": "ada@example.com"})
    second = merchant.get(LIST, {"q": "ada@example.com", "page": "2"})

    assert listed(first) == [cancelled.number]
    assert listed(second) == [paid.number]
    assert "?q=ada%40example.com&amp;page=2" in first.content.decode()


def test_htmx_gets_the_results_alone(merchant, three_orders):
    response = merchant.get(LIST, {"status": states.PAID}, HTTP_HX_REQUEST="true")

    text = page_text(response)
    assert text.lstrip().startswith('<div id="order-results">')
    assert "order-filters" not in text
    assert "HX-Request" in response["Vary"]


def test_the_list_makes_the_same_queries_for_many_orders(
    merchant, django_assert_max_num_queries
):
    teapot, cups = products("20.00", "5.00", stock=100)
    for n in range(12):
        order_paid((teapot, 1), (cups, 1), user=customer(f"c{n}@example.com"))
    merchant.get(LIST)  # the session and the like, read once

    # The session, the merchant, the count and the page of orders.
    with django_assert_max_num_queries(4):
        response = merchant.get(LIST, {"status": states.PAID})

    assert len(listed(response)) == 12


def test_a_day_is_the_shops_day(merchant, order, settings):
    late = timezone.now().replace(hour=23, minute=30) - timedelta(days=1)
    Order.objects.filter(pk=order.pk).update(date_placed=late)
    day = timezone.localtime(late).date().isoformat()

    response = merchant.get(LIST, {"date_from": day, "date_to": day})

    assert listed(response) == [order.number]
