"""Orders for integrations: the list by status and date, an order in full, and
shipments recorded through order.fulfilment, with the caller on the timeline."""

import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.merchant.auth import MerchantRateThrottle
from order.models import OrderEvent, Shipment
from tests.api.merchant_clients import with_token
from tests.order.orders import customer, order_paid, products

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def two_orders():
    teapot, cups = products("20.00", "4.50")
    ada = customer()
    return order_paid((teapot, 1), user=ada), order_paid((cups, 3), user=ada)


def test_orders_are_listed_newest_first_within_a_query_budget(
    api, two_orders, django_assert_max_num_queries
):
    first, second = two_orders
    with_token(api, "orders:read")

    with django_assert_max_num_queries(6):
        body = api.get(reverse("api:merchant-orders")).json()

    assert [o["number"] for o in body["results"]] == [second.number, first.number]
    assert body["results"][0]["email"] == "ada@example.com"


def test_orders_filter_by_status_and_refuse_a_bad_date(api, two_orders):
    with_token(api, "orders:read")
    url = reverse("api:merchant-orders")

    none_shipped = api.get(url, {"status": "Shipped"}).json()
    bad = api.get(url, {"placed_since": "yesterday"})

    assert none_shipped["results"] == []
    assert bad.status_code == 400


def test_reading_orders_needs_the_scope(api, two_orders):
    with_token(api, "catalogue:read")

    assert api.get(reverse("api:merchant-orders")).status_code == 403


def test_a_shipment_moves_the_order_on_and_is_on_its_timeline(
    api, two_orders, django_capture_on_commit_callbacks
):
    order, _ = two_orders
    line = order.lines.get()
    with_token(api, "orders:write", "orders:read")
    url = reverse("api:merchant-order-shipments", args=[order.number])
    body = {
        "lines": [{"line_id": line.pk, "quantity": 1}],
        "carrier": "Royal Mail",
        "tracking_number": "AB123456789GB",
        "reference": "wms-1",
    }

    response = api.post(
        url, body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    again = api.post(url, body, format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "Shipped"
    assert again.status_code == 201 and Shipment.objects.count() == 1
    event = OrderEvent.objects.get(order=order, kind=OrderEvent.SHIPMENT)
    assert event.actor == "integration ERP" and event.email_code == "ORDER_SHIPPED"
    assert event.data["tracking_number"] == "AB123456789GB"


def test_too_many_units_are_refused_and_nothing_ships(api, two_orders):
    order, _ = two_orders
    line = order.lines.get()
    with_token(api, "orders:write")

    response = api.post(
        reverse("api:merchant-order-shipments", args=[order.number]),
        {"lines": [{"line_id": line.pk, "quantity": 5}]},
        format="json",
    )

    assert response.status_code == 400
    assert not Shipment.objects.exists()


def test_writing_needs_the_write_scope_and_an_unknown_order_is_404(api, two_orders):
    order, _ = two_orders
    with_token(api, "orders:read")
    url = reverse("api:merchant-order-shipments", args=[order.number])

    assert api.post(url, {"lines": []}, format="json").status_code == 403
    with_token(api, "orders:read", "orders:write")
    assert api.get(reverse("api:merchant-order", args=["nope"])).status_code == 404


def test_the_shopper_is_emailed_the_tracking_link(
    api, mailoutbox, django_capture_on_commit_callbacks
):
    [teapot] = products("20.00")
    order = order_paid((teapot, 1), user=customer())
    with_token(api, "orders:write")

    with django_capture_on_commit_callbacks(execute=True):
        api.post(
            reverse("api:merchant-order-shipments", args=[order.number]),
            {
                "lines": [{"line_id": order.lines.get().pk, "quantity": 1}],
                "carrier": "Royal Mail",
                "tracking_number": "AB123456789GB",
            },
            format="json",
        )

    [email] = mailoutbox
    assert email.to == ["ada@example.com"] and "AB123456789GB" in email.body


def test_an_order_is_marked_processing_once_with_the_caller_on_its_timeline(
    api, two_orders
):
    order, _ = two_orders
    with_token(api, "orders:write")
    url = reverse("api:merchant-order-status", args=[order.number])

    first = api.post(url, {"status": "Processing"}, format="json")
    again = api.post(url, {"status": "Processing"}, format="json")

    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == "Processing"
    [moved] = OrderEvent.objects.filter(order=order, new_status="Processing")
    assert moved.actor == "integration ERP"


def test_a_cancellation_needs_a_reason_and_puts_the_stock_back(api, two_orders):
    order, _ = two_orders
    record = order.lines.get().stockrecord
    allocated = record.num_allocated
    with_token(api, "orders:write")
    url = reverse("api:merchant-order-status", args=[order.number])

    no_reason = api.post(url, {"status": "Cancelled"}, format="json")
    cancelled = api.post(
        url, {"status": "Cancelled", "reason": "Customer rang"}, format="json"
    )

    assert no_reason.status_code == 400
    assert no_reason.json()["errors"][0]["attr"] == "reason"
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "Cancelled"
    record.refresh_from_db()
    assert record.num_allocated == allocated - 1
    event = OrderEvent.objects.get(order=order, kind=OrderEvent.CANCELLATION)
    assert event.actor == "integration ERP" and event.message == "Customer rang"


def test_a_move_the_lifecycle_forbids_is_409_and_changes_nothing(api, two_orders):
    order, _ = two_orders
    line = order.lines.get()
    with_token(api, "orders:write")
    api.post(
        reverse("api:merchant-order-shipments", args=[order.number]),
        {"lines": [{"line_id": line.pk, "quantity": 1}]},
        format="json",
    )
    url = reverse("api:merchant-order-status", args=[order.number])

    cancel = api.post(url, {"status": "Cancelled", "reason": "late"}, format="json")
    shipped = api.post(url, {"status": "Shipped"}, format="json")

    assert cancel.status_code == 409
    assert cancel.json()["errors"][0]["code"] == "order_status_refused"
    assert shipped.status_code == 400
    order.refresh_from_db()
    assert order.status == "Shipped"


def test_each_merchant_token_has_its_own_rate(api, two_orders, monkeypatch):
    monkeypatch.setitem(MerchantRateThrottle.THROTTLE_RATES, "merchant", "3/min")
    url = reverse("api:merchant-orders")
    with_token(api, "orders:read")
    hot = [api.get(url).status_code for _ in range(4)]
    with_token(api, "orders:read")

    assert hot == [200, 200, 200, 429]
    assert api.get(url).status_code == 200
