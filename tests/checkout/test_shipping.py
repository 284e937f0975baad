"""Shipping methods a merchant sets up in the dashboard."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from checkout.services import order_place
from shipping.repository import Repository, configured_methods
from tests.checkout.test_checkout_flow import checkout_to_payment
from tests.checkout.test_order_place import address, basket_again, basket_with
from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db

Country = get_model("address", "Country")
OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")


def flat_rate(**fields) -> OrderAndItemCharges:
    """£4.95 an order, free from £50, unless told otherwise."""
    defaults = {
        "name": "Standard",
        "price_per_order": Decimal("4.95"),
        "free_shipping_threshold": Decimal("50.00"),
    }
    return OrderAndItemCharges.objects.create(**{**defaults, **fields})


def codes(basket, shipping_addr=None) -> list[str]:
    methods = Repository().get_shipping_methods(basket, shipping_addr=shipping_addr)
    return [method.code for method in methods]


def test_without_any_method_set_up_shipping_is_free():
    basket = basket_with(product_in_stock(title="Teapot"))

    assert codes(basket) == ["free-shipping"]


def test_a_flat_rate_is_charged_below_its_threshold_and_free_above():
    flat_rate()
    teapot = product_in_stock(title="Teapot", price="34.50", num_in_stock=10)

    small = order_place(
        basket=basket_with(teapot),
        shipping_method=Repository().get_shipping_methods(basket_with(teapot))[0],
        shipping_address=address(),
    )
    large_basket = basket_with(teapot, 2)
    large = order_place(
        basket=basket_again(large_basket.pk),
        shipping_method=Repository().get_shipping_methods(large_basket)[0],
        shipping_address=address(),
    )

    assert (small.shipping_incl_tax, small.total_incl_tax) == (
        Decimal("4.95"),
        Decimal("39.45"),
    )
    assert large.shipping_incl_tax == Decimal("0.00")


def test_a_method_for_some_countries_only_reaches_those():
    uk_only = flat_rate(name="UK tracked")
    uk_only.countries.add(Country.objects.get_or_create(iso_3166_1_a2="GB")[0])
    basket = basket_with(product_in_stock(title="Teapot"))
    france = address()
    france.country = Country.objects.create(iso_3166_1_a2="FR", name="France")

    assert codes(basket, address()) == ["uk-tracked"]
    assert codes(basket, france) == []


def test_the_shopper_chooses_between_methods_and_an_unknown_one_is_refused(
    client, teapot
):
    flat_rate()
    flat_rate(name="Next day", free_shipping_threshold=None)
    page = checkout_to_payment(client, teapot)
    html = page.content.decode()
    assert "Standard" in html and "Next day" in html

    refused = client.post(reverse("checkout:shipping-method"), {"method_code": "gold"})
    chosen = client.post(
        reverse("checkout:shipping-method"), {"method_code": "next-day"}
    )

    assert "Your submitted shipping method is not permitted" in refused.content.decode()
    assert chosen["Location"] == reverse("checkout:payment-method")


def test_a_change_in_the_dashboard_shows_at_once(django_assert_num_queries):
    basket = basket_with(product_in_stock(title="Teapot"))
    assert codes(basket) == ["free-shipping"]

    method = flat_rate()
    assert codes(basket) == ["standard"]
    method.countries.add(Country.objects.create(iso_3166_1_a2="FR", name="France"))
    assert codes(basket, address()) == []
    with django_assert_num_queries(0):
        configured_methods()  # kept in the cache until the next change
