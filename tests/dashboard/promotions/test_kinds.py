"""Each kind of promotion on the New promotion page is saved as the Range,
Condition, Benefit and offer Oscar prices with, and the created offer really
discounts a basket."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.test.factories import create_product

from offer.models import Benefit, Condition, ConditionalOffer, CustomerGroup, Range
from tests.dashboard.promotions.helpers import (
    counts,
    priced,
    promotion_post,
    shipping_charge,
    tiers,
)
from tests.factories import product_in_stock
from voucher.models import Voucher

pytestmark = pytest.mark.django_db


def test_percentage_off_a_category_makes_a_range_of_it_and_discounts_its_items(
    merchant, goods, kitchen
):
    teapot, jug, trowel = goods

    response = promotion_post(
        merchant, "percentage", target="category", category=kitchen.pk, percent="10"
    )

    offer = ConditionalOffer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:offer-detail", args=[offer.pk])
    assert counts() == {
        "Range": 1,
        "Condition": 1,
        "Benefit": 1,
        "ConditionalOffer": 1,
        "Voucher": 0,
    }
    kitchen_range = Range.objects.get()
    assert kitchen_range.name == "Kitchen"
    assert list(kitchen_range.included_categories.all()) == [kitchen]
    assert (offer.condition.type, offer.condition.value) == (Condition.COUNT, 1)
    assert offer.condition.range == kitchen_range
    assert (offer.benefit.type, offer.benefit.value) == (Benefit.PERCENTAGE, 10)
    assert offer.benefit.range == kitchen_range
    assert (offer.offer_type, offer.exclusive) == (ConditionalOffer.SITE, True)
    basket = priced((teapot, 2), (jug, 1), (trowel, 1))
    assert basket.total_incl_tax == Decimal("31.20")  # 10% off £28 of kitchen


def test_an_amount_off_the_whole_shop_over_a_spend_reuses_the_whole_shop_range(
    merchant, goods
):
    teapot = goods[0]
    everything = Range.objects.create(name="Everything", includes_all_products=True)

    promotion_post(merchant, "amount", amount="5", spend="30")

    offer = ConditionalOffer.objects.get()
    assert list(Range.objects.all()) == [everything]
    assert (offer.condition.type, offer.condition.value) == (Condition.VALUE, 30)
    assert (offer.benefit.type, offer.benefit.value) == (Benefit.FIXED, 5)
    assert offer.condition.range == offer.benefit.range == everything
    assert offer.max_basket_applications == 1
    assert priced((teapot, 3)).total_incl_tax == Decimal("25.00")
    assert priced((teapot, 2)).total_incl_tax == Decimal("20.00")  # under £30


def test_the_whole_shop_gets_a_range_when_there_is_none(merchant, goods):
    promotion_post(merchant, "percentage", percent="10")

    created = Range.objects.get()
    assert (created.name, created.includes_all_products) == ("All products", True)
    assert priced((goods[1], 1)).total_incl_tax == Decimal("7.20")


def test_an_amount_off_a_brand_matches_it_in_any_case(merchant, goods):
    teapot, _jug, trowel = goods

    promotion_post(merchant, "amount", target="brand", brand="acme", amount="2")

    brand_range = Range.objects.get()
    assert (brand_range.name, brand_range.brand) == ("acme", "acme")
    assert priced((teapot, 1), (trowel, 1)).total_incl_tax == Decimal("14.00")


def test_three_from_a_category_for_twenty(merchant, goods, kitchen):
    teapot, jug, trowel = goods

    promotion_post(
        merchant,
        "set-price",
        target="category",
        category=kitchen.pk,
        items="3",
        set_price="20",
    )

    offer = ConditionalOffer.objects.get()
    assert (offer.condition.type, offer.condition.value) == (Condition.COUNT, 3)
    assert offer.condition.range.name == "Kitchen"
    assert (offer.benefit.type, offer.benefit.value) == (Benefit.FIXED_PRICE, 20)
    assert offer.benefit.range is None  # Oscar uses the condition's range
    assert offer.max_basket_applications is None  # each full set
    basket = priced((teapot, 2), (jug, 1), (trowel, 1))
    assert basket.total_incl_tax == Decimal("26.00")  # £20 + the trowel


def test_buy_three_from_a_range_get_the_cheapest_free(merchant, goods):
    teapot, jug, _trowel = goods
    teaware = Range.objects.create(name="Teaware")
    teaware.included_products.add(teapot, jug)

    promotion_post(
        merchant, "multibuy", target="range", product_range=teaware.pk, items="3"
    )

    offer = ConditionalOffer.objects.get()
    assert Range.objects.count() == 1
    assert (offer.condition.type, offer.condition.value) == (Condition.COUNT, 3)
    assert (offer.benefit.type, offer.benefit.range) == (Benefit.MULTIBUY, teaware)
    assert offer.benefit.value is None
    assert priced((teapot, 2), (jug, 1)).total_incl_tax == Decimal("20.00")


def test_tiers_spend_fifty_get_five_spend_a_hundred_get_fifteen(merchant, goods):
    teapot = goods[0]

    promotion_post(merchant, "tiered", **tiers(("100", "15"), ("50", "5")))

    offer = ConditionalOffer.objects.get()
    assert (offer.condition.type, offer.condition.value) == (Condition.VALUE, 50)
    assert offer.benefit.type == Benefit.TIERED
    assert offer.benefit.tiers == [
        {"threshold": "50.00", "discount": "5.00"},
        {"threshold": "100.00", "discount": "15.00"},
    ]
    assert priced((teapot, 4)).total_incl_tax == Decimal("40.00")
    assert priced((teapot, 6)).total_incl_tax == Decimal("55.00")
    assert priced((teapot, 10)).total_incl_tax == Decimal("85.00")


def test_free_shipping_over_a_spend(merchant, goods):
    teapot = goods[0]

    promotion_post(merchant, "shipping", shipping_deal="free", spend="50")

    offer = ConditionalOffer.objects.get()
    assert (offer.condition.type, offer.condition.value) == (Condition.VALUE, 50)
    assert (offer.benefit.type, offer.benefit.value) == (
        Benefit.SHIPPING_FIXED_PRICE,
        0,
    )
    assert offer.benefit.range is None
    assert shipping_charge(priced((teapot, 4))) == Decimal("4.95")
    assert shipping_charge(priced((teapot, 5))) == Decimal("0.00")


@pytest.mark.parametrize(
    ("deal", "value", "benefit_type", "charge"),
    [
        ("amount", {"amount": "2"}, Benefit.SHIPPING_ABSOLUTE, Decimal("2.95")),
        ("percent", {"percent": "20"}, Benefit.SHIPPING_PERCENTAGE, Decimal("3.96")),
    ],
)
def test_an_amount_or_a_percentage_off_shipping_on_every_order(
    merchant, goods, deal, value, benefit_type, charge
):
    promotion_post(merchant, "shipping", shipping_deal=deal, **value)

    offer = ConditionalOffer.objects.get()
    assert offer.benefit.type == benefit_type
    assert (offer.condition.type, offer.condition.value) == (Condition.COUNT, 1)
    assert shipping_charge(priced((goods[0], 1))) == charge


def test_a_free_gift_over_a_spend_is_put_in_the_basket(merchant, goods):
    teapot = goods[0]
    gift = product_in_stock(title="Tea towel", price="4.50")

    promotion_post(merchant, "gift", gift_product=gift.pk, spend="30")

    offer = ConditionalOffer.objects.get()
    assert (offer.benefit.type, offer.benefit.gift_product) == (Benefit.FREE_GIFT, gift)
    assert (offer.condition.type, offer.condition.value) == (Condition.VALUE, 30)
    basket = priced((teapot, 3))
    assert basket.all_lines().filter(product=gift).count() == 1
    assert basket.total_incl_tax == Decimal("30.00")


def test_a_parent_product_is_refused_as_a_gift(merchant):
    parent = create_product(title="T-shirt", structure="parent")
    before = counts()

    response = promotion_post(merchant, "gift", gift_product=parent.pk)

    assert response.context["form"].errors["gift_product"] == [
        "The gift must be a product a shopper can buy: in stock, not a parent"
    ]
    assert counts() == before


def test_the_gift_lookup_offers_products_a_shopper_can_buy(merchant):
    towel = product_in_stock(title="Tea towel")
    parent = create_product(title="Tea towel set", structure="parent")
    variant = create_product(title="Blue tea towel set", parent=parent, price=5)
    create_product(title="Tea towel, never stocked")

    response = merchant.get(reverse("dashboard:promotion-gift-lookup"), {"q": "tea"})

    found = {result["id"] for result in response.json()["results"]}
    assert found == {towel.pk, variant.pk}


def test_a_voucher_offer_gets_its_code_normalised_linked_and_applied(merchant, goods):
    teapot = goods[0]
    today = timezone.localtime()

    response = promotion_post(
        merchant,
        "percentage",
        percent="15",
        offer_type=ConditionalOffer.VOUCHER,
        voucher_code=" spring-15 ",
        start_datetime=f"{today - timedelta(days=1):%Y-%m-%dT%H:%M}",
        end_datetime=f"{today + timedelta(days=30):%Y-%m-%dT%H:%M}",
    )

    offer = ConditionalOffer.objects.get()
    voucher = Voucher.objects.get()
    assert response.status_code == 302
    assert offer.offer_type == ConditionalOffer.VOUCHER
    assert (voucher.code, voucher.name) == ("SPRING-15", "Winter deal")
    assert list(voucher.offers.all()) == [offer]
    assert (voucher.start_datetime, voucher.end_datetime) == (
        offer.start_datetime,
        offer.end_datetime,
    )
    assert priced((teapot, 2)).total_incl_tax == Decimal("20.00")  # no code
    assert priced((teapot, 2), voucher=voucher).total_incl_tax == Decimal("17.00")


def test_schedule_audience_and_limits_are_kept_in_shop_time(merchant, goods):
    trade = CustomerGroup.objects.create(name="Trade")

    promotion_post(
        merchant,
        "percentage",
        percent="10",
        start_datetime="2026-07-01T09:00",
        end_datetime="2026-07-31T18:00",
        valid_weekdays=["6", "7"],
        valid_from_time="09:00",
        valid_until_time="12:00",
        audience=ConditionalOffer.GROUPS,
        customer_groups=[trade.pk],
        max_global_applications="100",
        max_discount="500",
        max_user_applications="1",
        priority="5",
        exclusive="combines",
    )

    offer = ConditionalOffer.objects.get()
    # London is an hour ahead of UTC in July.
    assert offer.start_datetime == datetime(2026, 7, 1, 8, tzinfo=UTC)
    assert offer.end_datetime == datetime(2026, 7, 31, 17, tzinfo=UTC)
    assert offer.valid_weekdays == [6, 7]
    assert (offer.valid_from_time, offer.valid_until_time) == (time(9), time(12))
    assert list(offer.customer_groups.all()) == [trade]
    assert (
        offer.audience,
        offer.max_global_applications,
        offer.max_discount,
        offer.max_user_applications,
        offer.priority,
        offer.exclusive,
    ) == (ConditionalOffer.GROUPS, 100, Decimal("500.00"), 1, 5, False)


def test_the_success_message_says_the_offer_in_plain_words(merchant, goods, kitchen):
    response = promotion_post(
        merchant,
        "set-price",
        target="category",
        category=kitchen.pk,
        items="3",
        set_price="20",
        max_user_applications="1",
    )

    page = merchant.get(response["Location"])
    assert "Any 3 from Kitchen for £20.00. Once per customer." in page.content.decode()
