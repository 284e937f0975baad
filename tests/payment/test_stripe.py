"""Stripe through its real SDK, against localstripe on loopback."""

from decimal import Decimal

import pytest

from basket.models import Basket
from payment import ordering, services
from payment.gateways import stripe_api
from payment.gateways.stripe_api import StripeGateway
from payment.models import Payment
from tests.checkout.test_order_place import basket_with, checkout_choices
from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db


def card(number: str) -> str:
    """A payment method as Stripe's Payment Element would make it in the page."""
    method = stripe_api._client().v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        }
    )
    return method.id


def start(basket, **details) -> Payment:
    return services.payment_start(
        basket_id=basket.pk,
        gateway=StripeGateway(),
        checkout=checkout_choices(),
        details=details,
    )


@pytest.fixture
def teapot():
    return product_in_stock(title="Stoneware Teapot", price="34.50", num_in_stock=5)


def intent(reference: str):
    return stripe_api._client().v1.payment_intents.retrieve(reference)


def test_a_card_payment_succeeds_for_the_server_total(stripe_settings, teapot):
    basket = basket_with(teapot, 2)

    payment = start(basket, payment_method=card("4242424242424242"))

    assert payment.status == Payment.SUCCEEDED
    stripe_intent = intent(payment.reference)
    assert (stripe_intent.amount, stripe_intent.currency) == (6900, "gbp")
    assert stripe_intent.metadata["payment_id"] == str(payment.pk)
    order = ordering.payment_order_place(payment_id=payment.pk)
    assert order.total_incl_tax == Decimal("69.00")


def test_without_a_card_the_page_gets_a_client_secret(stripe_settings, teapot):
    payment = start(basket_with(teapot))

    assert payment.status == Payment.CREATED
    assert payment.client_secret.startswith(payment.reference)


def test_starting_twice_makes_one_payment_intent(stripe_settings, teapot):
    basket = basket_with(teapot)

    first = start(basket)
    second = start(Basket.objects.get(pk=basket.pk))

    assert second.pk == first.pk and second.reference == first.reference
    assert Payment.objects.count() == 1


def test_a_declined_card_fails_with_stripe_s_message(stripe_settings, teapot):
    basket = basket_with(teapot)

    # Stripe's test card that attaches but whose charge is declined.
    payment = start(basket, payment_method=card("4000000000000341"))

    assert payment.status == Payment.FAILED
    assert payment.message
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN


def test_a_card_asking_for_3d_secure_waits_for_the_shopper(stripe_settings, teapot):
    basket = basket_with(teapot)

    payment = start(basket, payment_method=card("4000002500003155"))

    assert payment.status == Payment.REQUIRES_ACTION
    assert payment.client_secret
    assert Basket.objects.get(pk=basket.pk).status == Basket.FROZEN
