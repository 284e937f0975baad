"""Checkout over the API: shipping methods, a quote, and payment with the demo
gateway, Stripe (localstripe, with the Payment Sheet's customer and ephemeral
key) and PayPal (the fake), each placing one order through the same services as
the web checkout, however often the client sends it."""

import uuid

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test.factories import UserFactory
from rest_framework.test import APIClient

from order.models import Order
from payment.gateways import stripe_api
from payment.models import Payment
from tests.api.test_basket import basket_started, signed_in
from tests.factories import product_in_stock, uk_shipped_to
from tests.payment import paypal_fake
from tests.payment.conftest import fake_paypal, paypal_settings  # noqa: F401, F811
from tests.payment.test_stripe import card

pytestmark = pytest.mark.django_db

Country = get_model("address", "Country")
UserAddress = get_model("address", "UserAddress")

ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "line1": "12 St James's Square",
    "line4": "London",
    "postcode": "SW1Y 4JH",
    "country": "GB",
}


@pytest.fixture
def teapot():
    uk_shipped_to()
    return product_in_stock(title="Stoneware Teapot", price="34.50", num_in_stock=5)


@pytest.fixture
def api_with_teapot(teapot):
    api = APIClient()
    basket_started(api)
    api.post(reverse("api:basket-lines"), {"product_id": teapot.pk}, format="json")
    return api


def pay(api, **fields):
    body = {
        "shipping_address": ADDRESS,
        "shipping_method_code": "free-shipping",
        "email": "ada@example.com",
        "gateway": "demo",
        "card_number": "4242 4242 4242 4242",
        **fields,
    }
    body = {name: value for name, value in body.items() if value is not None}
    return api.post(reverse("api:checkout-payments"), body, format="json")


def test_shipping_methods_and_the_quote_show_what_will_be_charged(api_with_teapot):
    methods = api_with_teapot.get(
        reverse("api:checkout-shipping-methods"), {"country": "GB"}
    )
    quote = api_with_teapot.post(
        reverse("api:checkout-quote"),
        {"shipping_address": ADDRESS, "shipping_method_code": "free-shipping"},
        format="json",
    )

    assert [method["code"] for method in methods.json()] == ["free-shipping"]
    assert quote.status_code == 200
    assert quote.json()["total_incl_tax"] == "34.50"
    assert quote.json()["currency"] == "GBP"


def test_a_country_the_shop_does_not_ship_to_is_refused(api_with_teapot):
    methods = api_with_teapot.get(
        reverse("api:checkout-shipping-methods"), {"country": "ZZ"}
    )
    paid = pay(api_with_teapot, shipping_address={**ADDRESS, "country": "US"})

    assert methods.status_code == 400
    assert paid.status_code == 400
    assert paid.json()["errors"][0]["attr"] == "shipping_address.country"
    assert not Payment.objects.exists()


def test_paying_with_the_demo_card_places_the_order(
    api_with_teapot, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = pay(api_with_teapot)

    assert response.status_code == 201
    body = response.json()
    order = Order.objects.get()
    assert body["status"] == "succeeded"
    assert body["order"]["number"] == order.number
    assert str(order.total_incl_tax) == body["order"]["total_incl_tax"] == "34.50"
    assert order.guest_email == "ada@example.com"
    assert len(mailoutbox) == 1


def test_the_demo_card_that_asks_is_confirmed_then_placed(api_with_teapot):
    started = pay(api_with_teapot, card_number="4000002500003155").json()
    confirm_url = reverse(
        "api:checkout-payment-confirm", kwargs={"payment_id": started["id"]}
    )

    confirmed = api_with_teapot.post(confirm_url, {"approved": True}, format="json")

    assert started["status"] == "requires_action"
    assert started["order"] is None
    assert confirmed.json()["order"]["number"] == Order.objects.get().number


def test_a_declined_card_places_nothing_and_says_so(api_with_teapot):
    response = pay(api_with_teapot, card_number="4000000000000002")

    assert response.json()["status"] == "failed"
    assert "declined" in response.json()["message"]
    assert not Order.objects.exists()


def test_a_total_other_than_the_one_shown_charges_nothing(api_with_teapot):
    response = pay(api_with_teapot, total="30.00")

    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "price_changed"
    assert not Payment.objects.exists()


def test_the_same_payment_sent_twice_charges_once(api_with_teapot):
    key = str(uuid.uuid4())

    first = api_with_teapot.post(
        reverse("api:checkout-payments"),
        {
            "shipping_address": ADDRESS,
            "shipping_method_code": "free-shipping",
            "email": "ada@example.com",
            "gateway": "demo",
            "card_number": "4242424242424242",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    again = api_with_teapot.post(
        reverse("api:checkout-payments"),
        {
            "shipping_address": ADDRESS,
            "shipping_method_code": "free-shipping",
            "email": "ada@example.com",
            "gateway": "demo",
            "card_number": "4242424242424242",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    without_key = pay(api_with_teapot)

    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["order"] == first.json()["order"]
    assert without_key.status_code == 404  # the basket was ordered
    assert Payment.objects.filter(status=Payment.SUCCEEDED).count() == 1
    assert Order.objects.count() == 1


def test_another_client_cannot_see_or_confirm_a_payment(api_with_teapot):
    started = pay(api_with_teapot, card_number="4000002500003155").json()
    other = APIClient()
    basket_started(other)

    seen = other.get(
        reverse("api:checkout-payment", kwargs={"payment_id": started["id"]})
    )
    confirmed = other.post(
        reverse("api:checkout-payment-confirm", kwargs={"payment_id": started["id"]}),
        {"approved": True},
        format="json",
    )

    assert seen.status_code == confirmed.status_code == 404
    assert Payment.objects.get().status == Payment.REQUIRES_ACTION


def test_a_signed_in_customer_pays_to_a_saved_address(teapot):
    customer = UserFactory()
    saved = UserAddress.objects.create(
        user=customer,
        first_name="Ada",
        last_name="Lovelace",
        line1="12 St James's Square",
        line4="London",
        postcode="SW1Y 4JH",
        country_id="GB",
    )
    api = APIClient()
    signed_in(api, customer)
    api.post(reverse("api:basket-lines"), {"product_id": teapot.pk}, format="json")

    others = pay(api, shipping_address=None, address_id=saved.pk + 1000)
    response = api.post(
        reverse("api:checkout-payments"),
        {
            "address_id": saved.pk,
            "shipping_method_code": "free-shipping",
            "gateway": "demo",
            "card_number": "4242424242424242",
        },
        format="json",
    )

    assert others.status_code == 404
    order = Order.objects.get()
    assert response.json()["order"]["number"] == order.number
    assert order.user == customer
    assert order.shipping_address.postcode == "SW1Y 4JH"


def test_stripe_answers_with_what_the_payment_sheet_needs(
    api_with_teapot, stripe_keys, django_capture_on_commit_callbacks
):
    started = pay(api_with_teapot, gateway="stripe", card_number=None)
    body = started.json()
    payment = Payment.objects.get()
    client = stripe_api._client()
    intent = client.v1.payment_intents.retrieve(payment.reference)

    assert started.status_code == 201, body
    sheet = body["stripe"]
    assert sheet["payment_intent_client_secret"] == intent.client_secret
    assert sheet["customer"] == intent.customer
    assert sheet["ephemeral_key"].startswith("ek_test_")
    assert sheet["publishable_key"] == "pk_test_shop"
    assert intent.amount == 3450

    # The app's Payment Sheet confirms the intent with the shopper's card.
    client.v1.payment_intents.update(
        payment.reference, params={"payment_method": card("4242424242424242")}
    )
    client.v1.payment_intents.confirm(payment.reference)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api_with_teapot.post(
            reverse("api:checkout-payment-confirm", kwargs={"payment_id": payment.pk}),
            {},
            format="json",
        )

    assert confirmed.json()["status"] == "succeeded"
    assert confirmed.json()["order"]["number"] == Order.objects.get().number


def test_paypal_answers_with_its_approval_page_and_places_the_order_after(
    api_with_teapot,
    paypal_settings,  # noqa: F811
    fake_paypal,  # noqa: F811
):
    started = pay(
        api_with_teapot,
        gateway="paypal",
        card_number=None,
        return_url="https://app.example.com/paid",
        cancel_url="https://app.example.com/cancelled",
    ).json()

    paypal_fake.shopper_at_paypal(started["approval_url"])
    confirmed = api_with_teapot.post(
        reverse("api:checkout-payment-confirm", kwargs={"payment_id": started["id"]}),
        {},
        format="json",
    )

    assert started["status"] == "requires_action"
    assert confirmed.json()["order"]["number"] == Order.objects.get().number
    paypal_order = fake_paypal.order(Payment.objects.get().reference)
    assert len(fake_paypal.captures_of(paypal_order["id"])) == 1


def test_a_gateway_the_shop_does_not_take_is_refused(api_with_teapot):
    response = pay(
        api_with_teapot,
        gateway="paypal",
        card_number=None,
        return_url="https://app.example.com/paid",
        cancel_url="https://app.example.com/cancelled",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "gateway"
