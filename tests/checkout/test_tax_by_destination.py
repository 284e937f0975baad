"""The checkout prices for where the order goes: the preview, the order, the
charge and the mini-basket carry the destination's tax (partner.tax)."""

import pytest
from django.urls import reverse

from catalogue.demo.countries import demo_countries_ensure
from order.models import Order
from payment.models import Payment
from tests.basket.conftest import mini_basket_text
from tests.checkout.test_checkout_flow import checkout_to_payment, place_order

BERLIN = {"line1": "Unter den Linden 1", "line4": "Berlin", "postcode": "10117"}
BOSTON = {
    "line1": "1 Beacon Street",
    "line4": "Boston",
    "state": "MA",
    "postcode": "02108",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "address", "total", "tax"),
    [
        ("GB", None, "34.50", "5.75"),
        ("DE", BERLIN, "34.21", "5.46"),
        ("US", BOSTON, "28.75", "0.00"),
    ],
)
def test_the_order_and_the_charge_carry_the_destination_s_tax(
    client, teapot, country, address, total, tax, django_capture_on_commit_callbacks
):
    demo_countries_ensure()
    kwargs = {"country": country, "address": address} if address else {}
    checkout_to_payment(client, teapot, **kwargs)

    preview = client.post(reverse("checkout:preview"), {"number": "4242424242424242"})
    with django_capture_on_commit_callbacks(execute=True):
        place_order(client, "4242 4242 4242 4242")

    assert f"£{total}" in preview.content.decode()
    order = Order.objects.get()
    assert (str(order.total_incl_tax), str(order.total_tax)) == (total, tax)
    assert str(order.lines.get().line_price_incl_tax) == total
    assert str(Payment.objects.get().amount) == total


@pytest.mark.django_db
def test_the_mini_basket_follows_the_destination_once_it_is_known(client, teapot):
    demo_countries_ensure()
    client.post(f"/basket/add/{teapot.pk}/", {"quantity": 1})
    assert "£34.50" in mini_basket_text(client.get("/basket/").content.decode())

    checkout_to_payment(client, teapot, country="DE", address=BERLIN)

    assert "£68.42" in mini_basket_text(client.get("/basket/").content.decode())
