"""A mobile app's shopper from first search to order history, over the API
only: search, an anonymous basket with a voucher, registration that keeps the
basket, a card payment through Stripe's Payment Sheet (localstripe), a
warehouse shipping it with a merchant token, and the order in the customer's
history with its timeline."""

import uuid

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from catalogue.services import listing_refresh
from order.models import Order
from payment.gateways import stripe_api
from payment.models import Payment
from tests.api.merchant_clients import with_token
from tests.api.test_checkout import ADDRESS
from tests.checkout.test_vouchers import single_use_voucher
from tests.factories import product_in_stock, uk_shipped_to
from tests.payment.test_stripe import card

pytestmark = pytest.mark.django_db

Country = get_model("address", "Country")


@pytest.fixture
def shop():
    uk_shipped_to()
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50", num_in_stock=5)
    product_in_stock(title="Linen Apron", price="18.00")
    listing_refresh(product_ids=[])
    single_use_voucher("FIVEOFF")
    return teapot


def test_search_basket_voucher_register_pay_and_see_the_order(
    shop, stripe_keys, mailoutbox, django_capture_on_commit_callbacks
):
    api = APIClient()

    # Found by a misspelt search, put in an anonymous basket with a voucher.
    found = api.get(reverse("api:search"), {"q": "teapott"}).json()
    [hit] = found["results"]
    token = api.post(reverse("api:basket")).json()["token"]
    api.credentials(HTTP_X_BASKET_TOKEN=token)
    api.post(reverse("api:basket-lines"), {"product_id": hit["id"]}, format="json")
    discounted = api.post(
        reverse("api:basket-vouchers"), {"code": "fiveoff"}, format="json"
    ).json()

    # Registering with the basket's token keeps the basket for the account.
    registered = api.post(
        reverse("api:register"),
        {"email": "grace@example.com", "password": "a long safe pass 42"},
        format="json",
    )
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {registered.json()['access']}")
    basket = api.get(reverse("api:basket")).json()

    assert hit["id"] == shop.pk
    assert discounted["totals"]["total_incl_tax"] == "29.50"
    assert registered.status_code == 201
    assert [line["product_id"] for line in basket["lines"]] == [shop.pk]
    assert basket["vouchers"] == ["FIVEOFF"]
    assert basket["totals"]["total_incl_tax"] == "29.50"

    # The app's Payment Sheet takes the card; the app then confirms the payment.
    started = api.post(
        reverse("api:checkout-payments"),
        {
            "shipping_address": ADDRESS,
            "shipping_method_code": "free-shipping",
            "gateway": "stripe",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    payment = Payment.objects.get()
    client = stripe_api._client()
    client.v1.payment_intents.update(
        payment.reference, params={"payment_method": card("4242424242424242")}
    )
    client.v1.payment_intents.confirm(payment.reference)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api.post(
            reverse("api:checkout-payment-confirm", kwargs={"payment_id": payment.pk}),
            {},
            format="json",
        )

    assert started.status_code == 201, started.json()
    assert client.v1.payment_intents.retrieve(payment.reference).amount == 2950
    assert confirmed.json()["status"] == "succeeded"
    order = Order.objects.get()
    assert order.user.email == "grace@example.com"
    assert str(order.total_incl_tax) == "29.50"

    # The warehouse ships it over the merchant API.
    warehouse = APIClient()
    with_token(warehouse, "orders:write")
    with django_capture_on_commit_callbacks(execute=True):
        shipped = warehouse.post(
            reverse("api:merchant-order-shipments", args=[order.number]),
            {
                "lines": [{"line_id": order.lines.get().pk, "quantity": 1}],
                "carrier": "Royal Mail",
                "tracking_number": "AB123456789GB",
            },
            format="json",
        )

    # The order is in the customer's history, in full, and each step emailed.
    history = api.get(reverse("api:my-orders")).json()
    detail = api.get(reverse("api:my-order", args=[order.number])).json()

    assert shipped.status_code == 201
    assert [o["number"] for o in history["results"]] == [order.number]
    assert detail["status"] == "Shipped"
    assert [line["quantity"] for line in detail["lines"]] == [1]
    assert [event["new_status"] for event in detail["timeline"]] == ["Shipped"]
    assert api.get(reverse("api:basket")).json()["lines"] == []
    assert {tuple(email.to) for email in mailoutbox} == {("grace@example.com",)}
    assert sum(order.number in email.body for email in mailoutbox) >= 2
