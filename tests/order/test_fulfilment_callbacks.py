"""Carriers' and fulfilment services' callbacks: verified, stored once by event
id, acted on once (tasks run in-process here; tests/order/
test_fulfilment_worker.py runs them on a real worker)."""

import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from order import states
from order.models import FulfilmentCallback, Order, Shipment
from tests.order.orders import order_paid, products
from tests.order.test_fulfilment import ship

pytestmark = pytest.mark.django_db

SECRET = "fulfil-test-secret"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.FULFILMENT_WEBHOOK_SECRET = SECRET


def signed(payload: dict, *, secret: str = SECRET) -> dict:
    """The request a provider sends: the JSON and its signature."""
    body = json.dumps(payload)
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return {
        "data": body,
        "content_type": "application/json",
        "HTTP_X_FULFILMENT_SIGNATURE": digest,
    }


def post(client, request: dict, provider: str = "acme"):
    url = reverse("fulfilment-callback", kwargs={"provider": provider})
    return client.post(url, **request)


def shipped(order, event_id: str = "evt-1", **fields) -> dict:
    return {
        "event_id": event_id,
        "type": "shipped",
        "order_number": order.number,
        "carrier": "Royal Mail",
        "tracking_number": "AB123456789GB",
        **fields,
    }


@pytest.fixture
def order():
    teapot, cups = products("34.50", "8.00")
    return order_paid((teapot, 1), (cups, 3))


def unchanged(order) -> bool:
    order.refresh_from_db()
    return (
        order.status == states.PAID
        and not Shipment.objects.exists()
        and set(order.lines.values_list("num_allocated", flat=True)) == {1, 3}
    )


def test_a_shipped_callback_ships_everything_left(
    client, order, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, signed(shipped(order, shipment_reference="3PL-1")))

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == states.SHIPPED
    shipment = order.shipments.get()
    assert shipment.tracking_url.endswith("/AB123456789GB")
    assert sum(item.quantity for item in shipment.lines.all()) == 4
    callback = FulfilmentCallback.objects.get()
    assert (callback.provider, callback.event_id) == ("acme", "evt-1")
    assert callback.processed_at is not None
    assert callback.outcome == f"shipped {shipment.number}"
    assert order.timeline.last().actor == "acme"
    (email,) = mailoutbox
    assert shipment.tracking_url in email.body


def test_a_shipped_callback_with_lines_ships_those(
    client, order, django_capture_on_commit_callbacks
):
    teapot_line, cups_line = order.lines.order_by("pk")
    lines = [
        {"sku": cups_line.partner_sku, "quantity": 2},
        {"line_id": teapot_line.pk, "quantity": 1},
    ]

    with django_capture_on_commit_callbacks(execute=True):
        post(client, signed(shipped(order, lines=lines)))

    order.refresh_from_db()
    assert order.status == states.PARTIALLY_SHIPPED
    assert sorted(
        order.shipments.get().lines.values_list("line_id", "quantity")
    ) == sorted([(teapot_line.pk, 1), (cups_line.pk, 2)])


def test_a_callback_replayed_three_times_changes_the_order_once(
    client, order, mailoutbox, django_capture_on_commit_callbacks
):
    request = signed(shipped(order))

    with django_capture_on_commit_callbacks(execute=True):
        responses = [post(client, request) for _ in range(3)]

    assert [response.status_code for response in responses] == [200] * 3
    assert FulfilmentCallback.objects.count() == 1
    order.refresh_from_db()
    assert order.status == states.SHIPPED
    assert order.shipments.count() == 1
    assert order.timeline.filter(new_status=states.SHIPPED).count() == 1
    assert order.lines.first().stockrecord.num_in_stock == 9
    assert len(mailoutbox) == 1


def test_one_shipment_reported_under_two_event_ids_ships_once(
    client, order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for event_id in ("evt-1", "evt-2"):
            post(
                client,
                signed(shipped(order, event_id=event_id, shipment_reference="3PL-9")),
            )

    order.refresh_from_db()
    assert order.shipments.count() == 1
    assert order.status == states.SHIPPED
    outcomes = set(FulfilmentCallback.objects.values_list("outcome", flat=True))
    assert outcomes == {f"shipped {order.number}-1"}


def test_a_delivered_callback_delivers_the_shipment_it_names(
    client, order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, signed(shipped(order, shipment_reference="3PL-1")))
        response = post(
            client,
            signed(
                {
                    "event_id": "evt-2",
                    "type": "delivered",
                    "order_number": order.number,
                    "shipment_reference": "3PL-1",
                    "delivered_at": "2030-03-01T10:00:00",
                }
            ),
        )

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == states.DELIVERED
    shipment = order.shipments.get()
    assert shipment.delivered_at == datetime(2030, 3, 1, 10, tzinfo=UTC)
    assert FulfilmentCallback.objects.get(event_id="evt-2").outcome == (
        f"delivered {shipment.number}"
    )


def test_a_delivered_callback_without_a_shipment_delivers_them_all(
    client, order, django_capture_on_commit_callbacks
):
    ship(order, 1, 1)
    ship(order, 0, 2)
    payload = {"event_id": "evt-3", "type": "delivered", "order_number": order.number}

    with django_capture_on_commit_callbacks(execute=True):
        post(client, signed(payload))

    order.refresh_from_db()
    assert order.status == states.DELIVERED
    assert set(order.shipments.values_list("status", flat=True)) == {Shipment.DELIVERED}


def test_a_bad_signature_is_refused_changes_nothing_and_is_logged(
    client, order, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.WARNING, logger="order.webhooks"):
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, signed(shipped(order), secret="not-ours"))

    assert response.status_code == 400
    assert not FulfilmentCallback.objects.exists()
    assert unchanged(order)
    assert "Fulfilment callback from acme refused: bad signature" in caplog.text


def test_without_a_secret_every_callback_is_refused(
    client, order, settings, django_capture_on_commit_callbacks
):
    settings.FULFILMENT_WEBHOOK_SECRET = ""

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, signed(shipped(order), secret=""))

    assert response.status_code == 400
    assert not FulfilmentCallback.objects.exists()
    assert unchanged(order)


def test_an_unknown_order_is_refused_clearly_changes_nothing_and_is_logged(
    client, order, caplog, django_capture_on_commit_callbacks
):
    payload = {**shipped(order), "order_number": "999999"}

    with caplog.at_level(logging.WARNING, logger="order.webhooks"):
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, signed(payload))

    assert response.status_code == 404
    assert response.content.decode() == "No order 999999 here."
    assert not FulfilmentCallback.objects.exists()
    assert unchanged(order)
    assert "Fulfilment callback evt-1 from acme refused: no order 999999" in (
        caplog.text
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "lost"}, 'type must be "shipped" or "delivered".'),
        ({"event_id": ""}, "event_id is missing."),
        ({"lines": {"sku": "X"}}, "lines must be a list."),
        ({"lines": [{"quantity": 1}]}, "Each of lines needs a line_id or a sku."),
        ({"lines": [{"sku": "X", "quantity": "2"}]}, "needs a whole quantity."),
        ({"delivered_at": "yesterday"}, "delivered_at is not an ISO 8601"),
    ],
)
def test_a_body_we_do_not_understand_is_refused(client, order, change, message):
    response = post(client, signed({**shipped(order), **change}))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FulfilmentCallback.objects.exists()


def test_a_callback_that_can_not_be_acted_on_is_kept_with_why_and_logged(
    client, order, caplog, django_capture_on_commit_callbacks
):
    cups_line = order.lines.order_by("pk").last()
    payload = shipped(order, lines=[{"line_id": cups_line.pk, "quantity": 5}])

    with caplog.at_level(logging.WARNING, logger="order.webhooks"):
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, signed(payload))

    assert response.status_code == 200
    callback = FulfilmentCallback.objects.get()
    assert callback.processed_at is not None
    assert callback.outcome == (
        "refused: Only 3 of “Product 2” are left to ship, not 5."
    )
    assert unchanged(order)
    assert "Fulfilment callback evt-1 from acme not acted on" in caplog.text


def test_an_unknown_sku_is_kept_with_why(
    client, order, django_capture_on_commit_callbacks
):
    payload = shipped(order, lines=[{"sku": "NOPE", "quantity": 1}])

    with django_capture_on_commit_callbacks(execute=True):
        post(client, signed(payload))

    assert FulfilmentCallback.objects.get().outcome == (
        f"refused: Order {order.number} has no line NOPE."
    )
    assert unchanged(order)


def test_a_delivery_before_any_shipment_is_kept_with_why(
    client, order, django_capture_on_commit_callbacks
):
    payload = {"event_id": "evt-4", "type": "delivered", "order_number": order.number}

    with django_capture_on_commit_callbacks(execute=True):
        post(client, signed(payload))

    assert FulfilmentCallback.objects.get().outcome == (
        f"refused: Order {order.number} has not shipped yet."
    )
    assert Order.objects.get(pk=order.pk).status == states.PAID
