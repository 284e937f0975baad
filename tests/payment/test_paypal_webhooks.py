"""PayPal's webhooks: verified by asking (a fake) PayPal, stored once by event
id, acted on once, whether or not the shopper comes back."""

from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from basket.models import Basket
from order.models import Order
from partner.models import StockReservation
from payment.gateways.paypal import PayPalGateway
from payment.models import Payment, WebhookEvent
from tests.checkout.test_checkout_flow import checkout_to_payment
from tests.checkout.test_order_place import basket_with
from tests.concurrency import all_at_once
from tests.payment.paypal_fake import shopper_at_paypal, webhook_request
from tests.payment.test_paypal import start
from tests.processes import require_postgres_and_redis


def post(client, request: dict):
    return client.post(reverse("paypal-webhook"), **request)


@pytest.fixture
def approved(paypal_settings, teapot):
    """A payment the shopper approved at PayPal before closing the tab."""
    payment = start(basket_with(teapot))
    shopper_at_paypal(payment.action_url)
    return payment


@pytest.mark.django_db
def test_an_event_for_another_webhook_is_refused_and_changes_nothing(
    client, approved, fake_paypal
):
    event = fake_paypal.event("CHECKOUT.ORDER.APPROVED", approved.reference)

    response = post(client, webhook_request(event, webhook_id="WH-SOMEONE-ELSE"))

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
    assert Payment.objects.get().status == Payment.REQUIRES_ACTION
    assert not fake_paypal.captures_of(approved.reference)


@pytest.mark.django_db
def test_an_event_changed_on_the_way_is_refused(client, approved, fake_paypal):
    event = fake_paypal.event("CHECKOUT.ORDER.APPROVED", approved.reference)
    request = webhook_request(event)
    request["data"] = request["data"].replace("APPROVED", "COMPLETED")

    assert post(client, request).status_code == 400
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_an_event_without_its_transmission_headers_is_refused(
    client, approved, fake_paypal
):
    request = webhook_request(
        fake_paypal.event("CHECKOUT.ORDER.APPROVED", approved.reference)
    )
    del request["HTTP_PAYPAL_TRANSMISSION_SIG"]

    assert post(client, request).status_code == 400
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_an_approval_the_shopper_never_came_back_from_is_captured_and_placed(
    client, approved, fake_paypal, mailoutbox, django_capture_on_commit_callbacks
):
    request = webhook_request(
        fake_paypal.event("CHECKOUT.ORDER.APPROVED", approved.reference)
    )

    with django_capture_on_commit_callbacks(execute=True):
        responses = [post(client, request) for _ in range(3)]

    assert [r.status_code for r in responses] == [200] * 3
    assert WebhookEvent.objects.get().processed_at is not None
    approved.refresh_from_db()
    assert approved.status == Payment.SUCCEEDED
    assert Order.objects.get() == approved.order
    assert len(fake_paypal.captures_of(approved.reference)) == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_capture_completed_notice_places_the_order_once(
    client, approved, fake_paypal, django_capture_on_commit_callbacks
):
    # Captured at PayPal, the answer lost on the way back to the shop.
    PayPalGateway().payment_confirm(payment=approved, details={})
    completed = fake_paypal.event("PAYMENT.CAPTURE.COMPLETED", approved.reference)

    with django_capture_on_commit_callbacks(execute=True):
        post(client, webhook_request(completed))
        post(client, webhook_request(completed))

    approved.refresh_from_db()
    assert approved.status == Payment.SUCCEEDED
    assert Order.objects.get() == approved.order


@pytest.mark.django_db
def test_a_denied_capture_fails_the_payment_and_frees_the_basket(
    client, approved, fake_paypal, django_capture_on_commit_callbacks
):
    denied = fake_paypal.event("PAYMENT.CAPTURE.DENIED", approved.reference)

    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, webhook_request(denied)).status_code == 200

    approved.refresh_from_db()
    assert approved.status == Payment.FAILED
    assert "PayPal declined the payment" in approved.message
    assert Basket.objects.get(pk=approved.basket_id).status == Basket.OPEN
    assert not StockReservation.objects.exists()
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_when_paypal_cannot_verify_now_the_event_waits_for_its_redelivery(
    client, approved, fake_paypal, paypal_settings
):
    request = webhook_request(
        fake_paypal.event("CHECKOUT.ORDER.APPROVED", approved.reference)
    )
    paypal_settings.PAYPAL_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    assert post(client, request).status_code == 503
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_return_and_webhooks_at_once_capture_once_and_place_one_order(
    client, teapot, paypal_settings, fake_paypal, mailoutbox
):
    require_postgres_and_redis()
    checkout_to_payment(client, teapot)
    started = client.post(reverse("checkout:preview"), {"action": "paypal"})
    back = shopper_at_paypal(started["Location"])
    payment = Payment.objects.get()
    approval = webhook_request(
        fake_paypal.event("CHECKOUT.ORDER.APPROVED", payment.reference)
    )

    def shopper_returns():
        shopper = Client()
        shopper.cookies = client.cookies
        assert shopper.get(back)["Location"] == reverse("checkout:thank-you")

    def paypal_notifies():
        assert post(Client(), approval).status_code == 200

    outcomes = all_at_once([shopper_returns] + [paypal_notifies] * 3)

    assert outcomes == Counter(ok=4)
    completed = webhook_request(
        fake_paypal.event("PAYMENT.CAPTURE.COMPLETED", payment.reference)
    )
    assert all_at_once([lambda: post(Client(), completed)] * 3) == Counter(ok=3)
    assert len(fake_paypal.captures_of(payment.reference)) == 1
    assert Order.objects.count() == 1
    payment.refresh_from_db()
    assert payment.status == Payment.SUCCEEDED and payment.order is not None
    assert WebhookEvent.objects.count() == 2
    assert all(event.processed_at for event in WebhookEvent.objects.all())
    assert len(mailoutbox) == 1
