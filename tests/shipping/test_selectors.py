"""The basket says how much more ships free."""

import pytest

from tests.basket.conftest import basket_add
from tests.checkout.test_shipping import flat_rate
from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db


def test_the_basket_says_how_much_more_ships_free_until_it_does(client):
    flat_rate()  # free from £50
    basket_add(client, product_in_stock(title="Teapot", price="37.50"))

    below = client.get("/basket/").content.decode()
    basket_add(client, product_in_stock(title="Cups", price="12.50"))
    reached = client.get("/basket/").content.decode()

    assert "Add £12.50 more for free shipping." in below
    assert "more for free shipping" not in reached


def test_no_hint_without_a_free_over_threshold(client):
    flat_rate(free_shipping_threshold=None)
    basket_add(client, product_in_stock(title="Teapot", price="37.50"))

    assert "more for free shipping" not in client.get("/basket/").content.decode()
