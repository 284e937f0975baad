"""The web checkout with Stripe's keys set: the Payment Element on the preview,
confirmed in the page (here, as the page would, through Stripe's API), and the
order placed when the shopper comes back."""

import pytest
from django.urls import reverse

from order.models import Order
from payment.gateways import stripe_api
from payment.models import Payment
from tests.checkout.test_checkout_flow import checkout_to_payment
from tests.payment.test_stripe import card

pytestmark = pytest.mark.django_db


def confirm_in_the_page(payment: Payment, number: str) -> None:
    """What Stripe.js does when the shopper presses "Place order"."""
    client = stripe_api._client()
    client.v1.payment_intents.update(
        payment.reference, params={"payment_method": card(number)}
    )
    client.v1.payment_intents.confirm(payment.reference)


def test_the_preview_holds_the_payment_element_for_the_server_total(
    client,
    teapot,
    stripe_keys,
):
    page = checkout_to_payment(client, teapot)

    html = page.content.decode()
    payment = Payment.objects.get()
    assert page.redirect_chain[-1][0] == reverse("checkout:preview")
    assert (payment.gateway, str(payment.amount)) == ("stripe", "34.50")
    assert f'data-client-secret="{payment.client_secret}"' in html
    assert 'data-publishable-key="pk_test_shop"' in html
    assert '<script src="https://js.stripe.com/v3/"></script>' in html
    assert "Payment details to go here" not in html
    assert "By card: enter it below; it goes straight to Stripe." in html


def test_coming_back_after_paying_places_the_order(
    client,
    teapot,
    stripe_keys,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    checkout_to_payment(client, teapot)
    payment = Payment.objects.get()
    confirm_in_the_page(payment, "4242424242424242")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            reverse("checkout:stripe-return"), {"payment_intent": payment.reference}
        )

    assert response["Location"] == reverse("checkout:thank-you")
    assert Payment.objects.get().order == Order.objects.get()
    assert len(mailoutbox) == 1


def test_coming_back_without_paying_says_so(client, teapot, stripe_keys):
    checkout_to_payment(client, teapot)
    payment = Payment.objects.get()

    response = client.get(
        reverse("checkout:stripe-return"), {"payment_intent": payment.reference}
    )

    assert response["Location"] == reverse("checkout:payment-details")
    assert Payment.objects.get().status == Payment.FAILED
    assert not Order.objects.exists()


def test_another_session_cannot_use_the_return_address(client, teapot, stripe_keys):
    checkout_to_payment(client, teapot)
    payment = Payment.objects.get()
    confirm_in_the_page(payment, "4242424242424242")
    client.cookies.clear()

    response = client.get(
        reverse("checkout:stripe-return"), {"payment_intent": payment.reference}
    )

    assert response.status_code == 404
    assert not Order.objects.exists()


def test_when_stripe_cannot_be_asked_the_shopper_waits_instead_of_an_error(
    client, teapot, stripe_keys
):
    checkout_to_payment(client, teapot)
    payment = Payment.objects.get()
    stripe_keys.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    response = client.get(
        reverse("checkout:stripe-return"), {"payment_intent": payment.reference}
    )

    assert response.status_code == 200
    assert "Your payment is being processed" in response.content.decode()
    assert Payment.objects.get().status == Payment.CREATED
