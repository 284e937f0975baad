"""A free gift goes through the checkout: the basket page shows it as free,
and the order holds it as a line discounted by its offer, its stock
allocated like any other line."""

from decimal import Decimal

import pytest

from offer.models import Benefit, Condition
from tests.checkout.test_order_place import place
from tests.factories import product_in_stock
from tests.offer.offers import basket_of, offer_create, priced

pytestmark = pytest.mark.django_db


@pytest.fixture
def towel_with_teapots():
    towel = product_in_stock(title="Tea towel", price="4.50", num_in_stock=3)
    offer_create(
        name="Free tea towel over £30",
        condition=(Condition.VALUE, "30.00"),
        benefit=(Benefit.FREE_GIFT, None),
        benefit_fields={"gift_product": towel},
    )
    return towel


def test_the_basket_page_shows_the_gift_as_free(client, teapot, towel_with_teapots):
    client.post(f"/basket/add/{teapot.pk}/", {"quantity": 1})  # £34.50

    html = client.get("/basket/").content.decode()

    assert "Tea towel" in html and "Free gift" in html
    assert "&minus;£4.50" in html


def test_the_order_holds_the_gift_discounted_and_its_stock_allocated(
    teapot, towel_with_teapots
):
    basket = priced(basket_of((teapot, 1)))

    order = place(basket)

    lines = {line.title: line for line in order.lines.all()}
    assert set(lines) == {"Stoneware Teapot", "Tea towel"}
    assert order.total_incl_tax == Decimal("34.50")
    discount = order.discounts.get()
    assert (discount.offer_name, discount.amount) == (
        "Free tea towel over £30",
        Decimal("4.50"),
    )
    assert towel_with_teapots.stockrecords.get().num_allocated == 1
