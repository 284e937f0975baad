"""Each kind of offer a merchant runs, on baskets built by hand with known
totals: percentage and fixed amount off (whole basket, a category, a brand),
"3 for £20", the cheapest of three free, tiered spend discounts, free shipping
over a threshold and a free gift."""

from decimal import Decimal

import pytest

from basket.models import Basket
from offer.models import Benefit, Condition, Range
from shipping.models import OrderAndItemCharges
from shipping.repository import Repository
from tests.factories import category_create, product_in_stock
from tests.offer.offers import basket_of, discounts, offer_create, priced

pytestmark = pytest.mark.django_db

COUNT, VALUE = Condition.COUNT, Condition.VALUE


@pytest.fixture
def kitchen():
    return category_create(name="Kitchen")


@pytest.fixture
def goods(kitchen):
    """Two kitchen products at £10 and £8, a garden one at £6 (of the brand
    Acme)."""
    return (
        product_in_stock(title="Teapot", price="10.00", category=kitchen),
        product_in_stock(title="Jug", price="8.00", category=kitchen),
        product_in_stock(title="Trowel", price="6.00", attributes={"brand": "Acme"}),
    )


def in_category(category) -> Range:
    found = Range.objects.create(name=f"All of {category.name}")
    found.included_categories.add(category)
    return found


def test_percentage_off_a_category_discounts_only_its_items(goods, kitchen):
    teapot, jug, trowel = goods
    offer_create(
        name="10% off kitchen",
        product_range=in_category(kitchen),
        condition=(COUNT, "1"),
        benefit=(Benefit.PERCENTAGE, "10"),
    )

    basket = priced(basket_of((teapot, 2), (jug, 1), (trowel, 1)))

    assert discounts(basket) == {"10% off kitchen": Decimal("2.80")}  # of £28
    assert basket.total_incl_tax == Decimal("31.20")


def test_fixed_amount_off_the_whole_basket_over_a_minimum_spend(goods):
    teapot, jug, trowel = goods
    offer_create(
        name="£5 off £30",
        condition=(VALUE, "30.00"),
        benefit=(Benefit.FIXED, "5.00"),
        max_basket_applications=1,
    )

    under = priced(basket_of((teapot, 2), (trowel, 1)))  # £26
    over = priced(basket_of((teapot, 2), (jug, 1), (trowel, 1)))  # £34

    assert discounts(under) == {}
    assert discounts(over) == {"£5 off £30": Decimal("5.00")}
    assert over.total_incl_tax == Decimal("29.00")


def test_percentage_off_a_brand(goods):
    teapot, _jug, trowel = goods
    offer_create(
        name="Acme week",
        product_range=Range.objects.create(name="Acme", brand="ACME"),
        condition=(COUNT, "1"),
        benefit=(Benefit.PERCENTAGE, "50"),
    )

    basket = priced(basket_of((teapot, 1), (trowel, 2)))

    assert discounts(basket) == {"Acme week": Decimal("6.00")}
    assert basket.total_incl_tax == Decimal("16.00")


def test_three_for_twenty(goods, kitchen):
    teapot, jug, trowel = goods
    offer_create(
        name="Any 3 kitchen for £20",
        product_range=in_category(kitchen),
        condition=(COUNT, "3"),
        benefit=(Benefit.FIXED_PRICE, "20.00"),
    )

    basket = priced(basket_of((teapot, 2), (jug, 1), (trowel, 1)))

    # Teapot, teapot and jug (£28) for £20; the trowel at its price.
    assert discounts(basket) == {"Any 3 kitchen for £20": Decimal("8.00")}
    assert basket.total_incl_tax == Decimal("26.00")


def test_buy_three_get_the_cheapest_free(goods):
    teapot, jug, trowel = goods
    offer_create(
        name="3 for 2",
        condition=(COUNT, "3"),
        benefit=(Benefit.MULTIBUY, None),
    )

    basket = priced(basket_of((teapot, 1), (jug, 1), (trowel, 1)))

    assert discounts(basket) == {"3 for 2": Decimal("6.00")}
    assert basket.total_incl_tax == Decimal("18.00")


@pytest.mark.parametrize(
    ("quantity", "discount"),
    [(4, None), (5, Decimal("5.00")), (9, Decimal("5.00")), (10, Decimal("15.00"))],
)
def test_tiered_discount_gives_the_highest_tier_reached(goods, quantity, discount):
    teapot = goods[0]  # £10 each
    offer_create(
        name="Spend more, save more",
        condition=(VALUE, "50.00"),
        benefit=(Benefit.TIERED, None),
        benefit_fields={
            "tiers": [
                {"threshold": "100.00", "discount": "15.00"},
                {"threshold": "50.00", "discount": "5.00"},
            ]
        },
    )

    basket = priced(basket_of((teapot, quantity)))

    expected = {"Spend more, save more": discount} if discount else {}
    assert discounts(basket) == expected
    assert basket.total_incl_tax == quantity * Decimal("10.00") - (
        discount or Decimal("0")
    )


def test_free_shipping_over_a_threshold(goods):
    teapot = goods[0]
    offer_create(
        name="Free delivery over £50",
        condition=(VALUE, "50.00"),
        benefit=(Benefit.SHIPPING_FIXED_PRICE, "0.00"),
    )

    OrderAndItemCharges.objects.create(
        code="standard", name="Standard", price_per_order=Decimal("4.95")
    )

    def shipping_charge(basket):
        method = Repository().get_default_shipping_method(basket=basket)
        return method.calculate(basket).incl_tax

    assert shipping_charge(priced(basket_of((teapot, 4)))) == Decimal("4.95")
    assert shipping_charge(priced(basket_of((teapot, 5)))) == Decimal("0.00")


def test_a_free_gift_is_put_in_the_basket_and_taken_out_again(goods):
    teapot, _jug, trowel = goods
    gift = product_in_stock(title="Tea towel", price="4.50")
    offer_create(
        name="Free tea towel over £30",
        condition=(VALUE, "30.00"),
        benefit=(Benefit.FREE_GIFT, None),
        benefit_fields={"gift_product": gift},
    )

    basket = priced(basket_of((teapot, 3)))

    gift_line = basket.all_lines().get(product=gift)
    assert gift_line.quantity == 1
    assert discounts(basket) == {"Free tea towel over £30": Decimal("4.50")}
    assert basket.total_incl_tax == Decimal("30.00")  # the gift costs nothing

    # Below £30 (the gift itself does not count towards it): it goes again.
    teapot_line = basket.all_lines().get(product=teapot)
    teapot_line.quantity = 2
    teapot_line.save()
    basket.reset_offer_applications()
    priced(basket)

    assert not basket.all_lines().filter(product=gift).exists()
    assert basket.total_incl_tax == Decimal("20.00")


def test_a_gift_out_of_stock_is_not_added(goods):
    teapot = goods[0]
    gift = product_in_stock(title="Tea towel", price="4.50", num_in_stock=0)
    offer_create(
        name="Free tea towel",
        condition=(VALUE, "10.00"),
        benefit=(Benefit.FREE_GIFT, None),
        benefit_fields={"gift_product": gift},
    )

    basket = priced(basket_of((teapot, 1)))

    assert [line.product for line in basket.all_lines()] == [teapot]
    assert basket.total_incl_tax == Decimal("10.00")


def test_a_gift_the_shopper_added_themselves_is_not_made_free(goods):
    """The gift comes as its own line: the one the shopper put in the basket
    is paid for."""
    teapot = goods[0]
    gift = product_in_stock(title="Tea towel", price="4.50")
    offer_create(
        name="Free tea towel",
        condition=(VALUE, "10.00"),
        benefit=(Benefit.FREE_GIFT, None),
        benefit_fields={"gift_product": gift},
    )

    basket = priced(basket_of((teapot, 1), (gift, 2)))

    assert basket.all_lines().filter(product=gift).count() == 2
    assert basket.total_incl_tax == Decimal("19.00")  # £10 + 2 × £4.50


def test_a_gift_that_sold_out_since_is_taken_out(
    goods, django_capture_on_commit_callbacks
):
    teapot = goods[0]
    gift = product_in_stock(title="Tea towel", price="4.50", num_in_stock=1)
    offer_create(
        name="Free tea towel",
        condition=(VALUE, "10.00"),
        benefit=(Benefit.FREE_GIFT, None),
        benefit_fields={"gift_product": gift},
    )
    basket = priced(basket_of((teapot, 1)))
    assert basket.all_lines().filter(product=gift).exists()

    # As the dashboard and the stock API write stock: saved, announced on commit.
    record = gift.stockrecords.get()
    record.num_in_stock = 0
    with django_capture_on_commit_callbacks(execute=True):
        record.save()
    again = Basket.objects.get(pk=basket.pk)
    again.strategy = basket.strategy
    priced(again)

    assert [line.product for line in again.all_lines()] == [teapot]
    assert again.total_incl_tax == Decimal("10.00")
