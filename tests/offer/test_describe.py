"""An offer in plain words: each kind of deal, its days and hours, who may use
it and its limits, for saved offers and for an unsaved one alike."""

from datetime import datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from offer.describe import offer_describe
from offer.models import Benefit, Condition, ConditionalOffer, CustomerGroup, Range
from tests.factories import product_in_stock
from voucher.models import Voucher

pytestmark = pytest.mark.django_db

COUNT, VALUE = Condition.COUNT, Condition.VALUE


def shop_time(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def whole_shop() -> Range:
    found, _ = Range.objects.get_or_create(
        name="All products", defaults={"includes_all_products": True}
    )
    return found


def offer_of(
    *,
    condition: tuple[str, str],
    benefit: tuple[str, str | None],
    product_range: Range | None = None,
    benefit_range: Range | None = None,
    benefit_fields: dict | None = None,
    **fields,
) -> ConditionalOffer:
    """A saved offer: `condition` and `benefit` as (type, value) on the range
    (the whole shop unless given)."""
    product_range = product_range or whole_shop()
    return ConditionalOffer.objects.create(
        name=fields.pop("name", "An offer"),
        condition=Condition.objects.create(
            range=product_range, type=condition[0], value=Decimal(condition[1])
        ),
        benefit=Benefit.objects.create(
            range=benefit_range,
            type=benefit[0],
            value=None if benefit[1] is None else Decimal(benefit[1]),
            **(benefit_fields or {}),
        ),
        **fields,
    )


def test_a_set_price_on_saturday_mornings_for_signed_in_customers():
    kitchen = Range.objects.create(name="Kitchen")
    offer = offer_of(
        product_range=kitchen,
        condition=(COUNT, "3"),
        benefit=(Benefit.FIXED_PRICE, "20.00"),
        valid_weekdays=[6],
        valid_from_time=time(9),
        valid_until_time=time(12),
        start_datetime=shop_time(2026, 12, 1),
        end_datetime=shop_time(2026, 12, 24),
        audience=ConditionalOffer.SIGNED_IN,
        max_global_applications=100,
        max_user_applications=1,
    )

    words = offer_describe(offer=offer)

    assert words == (
        "Any 3 from Kitchen for £20.00. Every Saturday, 09:00–12:00, from "
        "1 December 2026 to 24 December 2026. Signed-in customers only. "
        "100 uses in all, once per customer."
    )


def test_percentage_off_everything_says_no_more_than_that():
    offer = offer_of(
        condition=(COUNT, "1"),
        benefit=(Benefit.PERCENTAGE, "10.00"),
        benefit_range=whole_shop(),
    )

    assert offer_describe(offer=offer) == "10% off everything."


def test_percentage_off_a_range_with_a_minimum_spend():
    kitchen = Range.objects.create(name="Kitchen")
    offer = offer_of(
        product_range=kitchen,
        condition=(VALUE, "50.00"),
        benefit=(Benefit.PERCENTAGE, "12.50"),
        benefit_range=kitchen,
    )

    assert offer_describe(offer=offer) == (
        "12.5% off anything from Kitchen when you spend £50.00 or more on Kitchen."
    )


def test_an_amount_off_the_order_over_a_spend_with_a_budget():
    everything = whole_shop()
    offer = offer_of(
        product_range=everything,
        condition=(VALUE, "30.00"),
        benefit=(Benefit.FIXED, "5.00"),
        benefit_range=everything,
        max_discount=Decimal("500.00"),
        max_user_applications=2,
    )

    assert offer_describe(offer=offer) == (
        "£5.00 off your order when you spend £30.00 or more. "
        "Up to £500.00 off in all, twice per customer."
    )


def test_buy_three_get_the_cheapest_free():
    mugs = Range.objects.create(name="Mugs")
    offer = offer_of(
        product_range=mugs,
        condition=(COUNT, "3"),
        benefit=(Benefit.MULTIBUY, None),
        benefit_range=mugs,
    )

    assert offer_describe(offer=offer) == (
        "Buy any 3 from Mugs and get the cheapest one free."
    )


def test_tiers_name_each_spend_and_its_discount():
    everything = whole_shop()
    offer = offer_of(
        product_range=everything,
        condition=(VALUE, "50.00"),
        benefit=(Benefit.TIERED, None),
        benefit_range=everything,
        benefit_fields={
            "tiers": [
                {"threshold": "100.00", "discount": "15.00"},
                {"threshold": "50.00", "discount": "5.00"},
            ]
        },
    )

    assert offer_describe(offer=offer) == (
        "Spend £50.00 and get £5.00 off, spend £100.00 and get £15.00 off."
    )


@pytest.mark.parametrize(
    ("benefit", "words"),
    [
        (
            (Benefit.SHIPPING_FIXED_PRICE, "0.00"),
            "Free shipping when you spend £50.00 or more.",
        ),
        (
            (Benefit.SHIPPING_ABSOLUTE, "2.50"),
            "£2.50 off shipping when you spend £50.00 or more.",
        ),
        (
            (Benefit.SHIPPING_PERCENTAGE, "50.00"),
            "50% off shipping when you spend £50.00 or more.",
        ),
    ],
)
def test_shipping_discounts_over_a_spend(benefit, words):
    offer = offer_of(condition=(VALUE, "50.00"), benefit=benefit)

    assert offer_describe(offer=offer) == words


def test_free_shipping_on_every_order_every_day_in_the_evening():
    offer = offer_of(
        condition=(COUNT, "1"),
        benefit=(Benefit.SHIPPING_FIXED_PRICE, "0.00"),
        valid_from_time=time(18),
        exclusive=False,
    )

    assert offer_describe(offer=offer) == (
        "Free shipping on every order. Every day, from 18:00 until midnight. "
        "Combines with other offers."
    )


def test_a_free_gift_over_a_spend_on_a_brand_until_an_end_time():
    gift = product_in_stock(title="Tea towel", price="4.50")
    acme = Range.objects.create(name="Acme", brand="Acme")
    offer = offer_of(
        product_range=acme,
        condition=(VALUE, "30.00"),
        benefit=(Benefit.FREE_GIFT, None),
        benefit_fields={"gift_product": gift},
        end_datetime=shop_time(2026, 12, 24, 18, 30),
    )

    assert offer_describe(offer=offer) == (
        "A free Tea towel when you spend £30.00 or more on Acme. "
        "Until 24 December 2026, 18:30."
    )


def test_a_voucher_offer_for_customer_groups_names_its_code_and_groups():
    trade = CustomerGroup.objects.create(name="Trade")
    vip = CustomerGroup.objects.create(name="VIP")
    offer = offer_of(
        condition=(COUNT, "1"),
        benefit=(Benefit.PERCENTAGE, "15.00"),
        benefit_range=whole_shop(),
        offer_type=ConditionalOffer.VOUCHER,
        audience=ConditionalOffer.GROUPS,
    )
    offer.customer_groups.set([vip, trade])
    voucher = Voucher.objects.create(
        name="Trade",
        code="TRADE15",
        start_datetime=shop_time(2026, 1, 1),
        end_datetime=shop_time(2027, 1, 1),
    )
    voucher.offers.add(offer)

    assert offer_describe(offer=offer) == (
        "15% off everything. With the voucher code TRADE15. "
        "Only for customers in Trade or VIP."
    )


def test_a_first_order_offer_on_weekdays():
    offer = offer_of(
        condition=(COUNT, "1"),
        benefit=(Benefit.FIXED, "10.00"),
        benefit_range=whole_shop(),
        valid_weekdays=[5, 1, 2, 3, 4],
        audience=ConditionalOffer.FIRST_ORDER,
    )

    assert offer_describe(offer=offer) == (
        "£10.00 off your order. Every Monday, Tuesday, Wednesday, Thursday and "
        "Friday. Only on a signed-in customer's first order."
    )


def test_an_unsaved_offer_reads_as_it_will_once_saved():
    kitchen = Range(name="Kitchen")
    trade = CustomerGroup.objects.create(name="Trade")
    offer = ConditionalOffer(
        name="Unsaved",
        condition=Condition(range=kitchen, type=COUNT, value=3),
        benefit=Benefit(type=Benefit.FIXED_PRICE, value=Decimal("20.00")),
        offer_type=ConditionalOffer.VOUCHER,
        audience=ConditionalOffer.GROUPS,
    )

    words = offer_describe(
        offer=offer, customer_groups=[trade], voucher_codes=["KITCHEN3"]
    )

    assert words == (
        "Any 3 from Kitchen for £20.00. With the voucher code KITCHEN3. "
        "Only for customers in Trade."
    )
