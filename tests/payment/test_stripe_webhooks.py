"""Stripe's webhooks: verified, stored once by event id, acted on once."""

import hashlib
import hmac
import json
import random
import time
import urllib.parse
import urllib.request
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from order.models import Order
from payment.models import Payment, WebhookEvent
from tests.checkout.test_order_place import basket_with
from tests.concurrency import all_at_once
from tests.factories import product_in_stock
from tests.payment.test_stripe import card, start
from tests.processes import require_postgres_and_redis

SECRET = "whsec_test_shop"


def signed(event: dict, *, secret: str = SECRET, at: int | None = None) -> dict:
    """The request Stripe would send: the JSON and its Stripe-Signature."""
    payload = json.dumps(event)
    timestamp = int(time.time()) if at is None else at
    digest = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return {
        "data": payload,
        "content_type": "application/json",
        "HTTP_STRIPE_SIGNATURE": f"t={timestamp},v1={digest}",
    }


def event(kind: str, intent_id: str, number: int = 1) -> dict:
    return {
        "id": f"evt_{kind.replace('.', '_')}_{intent_id}_{number}",
        "object": "event",
        "type": kind,
        "data": {"object": {"id": intent_id, "object": "payment_intent"}},
    }


def post(client, request: dict):
    return client.post(reverse("stripe-webhook"), **request)


@pytest.fixture
def open_payment(stripe_settings):
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50", num_in_stock=5)
    payment = start(basket_with(teapot))
    assert payment.status == Payment.CREATED
    return payment


@pytest.mark.django_db
def test_a_bad_signature_is_refused_and_changes_nothing(client, open_payment):
    request = signed(
        event("payment_intent.succeeded", open_payment.reference), secret="whsec_wrong"
    )

    assert post(client, request).status_code == 400
    assert not WebhookEvent.objects.exists()
    open_payment.refresh_from_db()
    assert open_payment.status == Payment.CREATED


@pytest.mark.django_db
def test_a_stale_timestamp_is_refused(client, open_payment):
    request = signed(
        event("payment_intent.succeeded", open_payment.reference),
        at=int(time.time()) - 600,
    )

    assert post(client, request).status_code == 400
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_success_places_the_order_once_however_often_it_is_sent(
    client, open_payment, mailoutbox, django_capture_on_commit_callbacks
):
    request = signed(event("payment_intent.succeeded", open_payment.reference))

    with django_capture_on_commit_callbacks(execute=True):
        responses = [post(client, request) for _ in range(5)]

    assert [r.status_code for r in responses] == [200] * 5
    assert WebhookEvent.objects.get().processed_at is not None
    open_payment.refresh_from_db()
    assert open_payment.status == Payment.SUCCEEDED
    assert Order.objects.get() == open_payment.order
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_late_failure_does_not_undo_a_success(
    client, open_payment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, signed(event("payment_intent.succeeded", open_payment.reference)))
        post(
            client,
            signed(event("payment_intent.payment_failed", open_payment.reference)),
        )

    open_payment.refresh_from_db()
    assert open_payment.status == Payment.SUCCEEDED
    assert Order.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_duplicates_and_siblings_delivered_at_once_in_any_order_act_once(
    stripe_settings, mailoutbox
):
    require_postgres_and_redis()
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50", num_in_stock=5)
    payment = start(basket_with(teapot))
    siblings = [
        event("payment_intent.created", payment.reference),
        event("payment_intent.succeeded", payment.reference),
        event("charge.succeeded", payment.reference),
    ]
    deliveries = [signed(sibling) for sibling in siblings for _ in range(5)]
    random.Random(7).shuffle(deliveries)

    outcomes = all_at_once(
        [lambda request=request: post(Client(), request) for request in deliveries]
    )

    assert outcomes == Counter(ok=15)
    assert WebhookEvent.objects.count() == 3
    assert Order.objects.count() == 1
    payment.refresh_from_db()
    assert payment.status == Payment.SUCCEEDED and payment.order is not None
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_localstripe_s_own_signed_webhook_places_the_order(
    stripe_settings, localstripe_url, shop_url, mailoutbox
):
    require_postgres_and_redis()
    urllib.request.urlopen(
        f"{localstripe_url}/_config/webhooks/shop",
        data=urllib.parse.urlencode(
            {"url": f"{shop_url}{reverse('stripe-webhook')}", "secret": SECRET}
        ).encode(),
        timeout=5,
    )
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50", num_in_stock=5)

    # Paid in the page; the shopper never comes back to the shop.
    payment = start(basket_with(teapot), payment_method=card("4242424242424242"))

    # The email goes after the order's commit, so it may come a moment later.
    deadline = time.monotonic() + 15
    while not mailoutbox and time.monotonic() < deadline:
        time.sleep(0.2)
    payment.refresh_from_db()
    assert payment.order is not None
    assert WebhookEvent.objects.get(type="payment_intent.succeeded").processed_at
    assert len(mailoutbox) == 1
