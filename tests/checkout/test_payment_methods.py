"""Which payment methods the checkout offers: the demo card only where it is
allowed (development, or SHOP_DEMO_PAYMENTS), and a clear word when none is set
up, so a shop in production never gives goods away for the test card."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from order.models import Order
from payment.gateways.demo import SUCCEEDS
from payment.models import Payment
from tests.checkout.test_checkout_flow import checkout_to_payment

pytestmark = pytest.mark.django_db

NO_METHOD = "This shop can&#x27;t take payments yet: no payment method has been set up"


@pytest.fixture
def production(settings):
    """DEBUG off, no SHOP_DEMO_PAYMENTS, no Stripe or PayPal keys."""
    settings.SHOP_DEMO_PAYMENTS = False
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = ""
    settings.PAYPAL_CLIENT_ID = settings.PAYPAL_CLIENT_SECRET = ""


def test_with_no_payment_method_the_checkout_says_so_and_shows_no_card_form(
    client, teapot, production
):
    html = checkout_to_payment(client, teapot).content.decode()

    assert NO_METHOD in html
    assert 'name="number"' not in html
    assert "STRIPE_SECRET_KEY" not in html  # the set-up hint is for staff


def test_the_test_card_places_nothing_where_the_demo_gateway_is_off(
    client, teapot, production
):
    checkout_to_payment(client, teapot)

    preview = client.post(reverse("checkout:preview"), {"number": SUCCEEDS})
    placed = client.post(
        reverse("checkout:preview"), {"number": SUCCEEDS, "action": "place_order"}
    )

    for response in (preview, placed):
        assert response["Location"] == reverse("checkout:payment-details")
    assert not Payment.objects.exists() and not Order.objects.exists()
    page = client.get(reverse("checkout:payment-details"), follow=True)
    assert NO_METHOD in page.content.decode()


def test_staff_are_told_what_to_set(client, teapot, production):
    staff = User.objects.create_user("kim", "kim@example.com", "pw", is_staff=True)
    client.force_login(staff)

    html = checkout_to_payment(client, teapot).content.decode()

    assert NO_METHOD in html and "STRIPE_PUBLISHABLE_KEY" in html


def test_with_paypal_alone_the_checkout_offers_paypal_and_no_card(
    client, teapot, production, settings
):
    settings.PAYPAL_CLIENT_ID, settings.PAYPAL_CLIENT_SECRET = "id", "secret"

    html = checkout_to_payment(client, teapot).content.decode()

    assert "Pay with PayPal" in html and "Or pay with PayPal" not in html
    assert 'name="number"' not in html and NO_METHOD not in html
    preview = client.get(reverse("checkout:preview")).content.decode()
    assert "Pay with PayPal" in preview and 'id="place-order"' not in preview


def test_demo_payments_switched_on_take_the_test_card(
    client, teapot, production, settings
):
    settings.SHOP_DEMO_PAYMENTS = True
    checkout_to_payment(client, teapot)

    client.post(reverse("checkout:preview"), {"number": SUCCEEDS})
    placed = client.post(
        reverse("checkout:preview"), {"number": SUCCEEDS, "action": "place_order"}
    )

    assert placed["Location"] == reverse("checkout:thank-you")
    assert Order.objects.count() == 1
