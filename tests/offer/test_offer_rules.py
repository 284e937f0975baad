"""Which offers a basket gets: combination and exclusivity, priority, the
schedule (start and end to the second, days and hours in the shop's time zone)
and the audience (signed-in customers, first orders, customer groups)."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from offer.models import Benefit, Condition, CustomerGroup
from order.models import Order
from tests.factories import product_in_stock
from tests.offer.offers import basket_of, discounts, offer_create, priced

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def teapot():
    return product_in_stock(title="Teapot", price="20.00")


def percent_off(name: str, percent: str, **fields):
    return offer_create(
        name=name,
        condition=(Condition.COUNT, "1"),
        benefit=(Benefit.PERCENTAGE, percent),
        **fields,
    )


def amount_off(name: str, amount: str, **fields):
    return offer_create(
        name=name,
        condition=(Condition.COUNT, "1"),
        benefit=(Benefit.FIXED, amount),
        max_basket_applications=1,
        **fields,
    )


# --- Combination and exclusivity ---------------------------------------------


def test_of_two_exclusive_offers_of_one_priority_the_bigger_discount_wins(teapot):
    # The smaller is the older offer: Oscar would apply it first.
    percent_off("10% off", "10")
    percent_off("25% off", "25")

    basket = priced(basket_of((teapot, 2)))

    assert discounts(basket) == {"25% off": Decimal("10.00")}


def test_a_higher_priority_exclusive_offer_wins_over_a_bigger_one(teapot):
    percent_off("25% off", "25")
    percent_off("10% off, first", "10", priority=5)

    basket = priced(basket_of((teapot, 2)))

    assert discounts(basket) == {"10% off, first": Decimal("4.00")}


def test_combinable_offers_both_apply_to_the_same_items(teapot):
    percent_off("10% off", "10", exclusive=False)
    amount_off("£3 off", "3.00", exclusive=False)

    basket = priced(basket_of((teapot, 1)))

    assert discounts(basket) == {"10% off": Decimal("2.00"), "£3 off": Decimal("3.00")}
    assert basket.total_incl_tax == Decimal("15.00")


def test_an_exclusive_offer_keeps_combinable_ones_off_its_items(teapot):
    percent_off("25% off", "25", priority=1)
    amount_off("£3 off", "3.00", exclusive=False)

    basket = priced(basket_of((teapot, 1)))

    assert discounts(basket) == {"25% off": Decimal("5.00")}


def test_the_same_basket_is_always_priced_the_same_way(teapot):
    for percent in ("10", "15", "15", "5"):
        percent_off(f"{percent}% off #{Condition.objects.count()}", percent)

    winners = {tuple(discounts(priced(basket_of((teapot, 1))))) for _ in range(3)}

    assert winners == {("15% off #1",)}  # the older of the two biggest


def test_an_offer_naming_its_combinations_shares_items_with_those_only(
    teapot, django_capture_on_commit_callbacks
):
    first = percent_off("10% off", "10", exclusive=False, priority=3)
    partner = amount_off("£3 off", "3.00", exclusive=False, priority=2)
    amount_off("£1 off", "1.00", exclusive=False, priority=1)
    priced(basket_of((teapot, 1)))  # the offers are now in the cache

    with django_capture_on_commit_callbacks(execute=True):
        first.combinations.add(partner)
    basket = priced(basket_of((teapot, 1)))

    assert discounts(basket) == {"10% off": Decimal("2.00"), "£3 off": Decimal("3.00")}


# --- Schedule ------------------------------------------------------------------

START = datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)
END = datetime(2026, 12, 24, 18, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("moment", "applies"),
    [
        (START - timedelta(seconds=1), False),
        (START, True),
        (END, True),
        (END + timedelta(seconds=1), False),
    ],
)
def test_an_offer_opens_at_its_start_and_closes_after_its_end(teapot, moment, applies):
    with time_machine.travel(START - timedelta(days=1), tick=False):
        percent_off("Advent", "10", start_datetime=START, end_datetime=END)
        basket = basket_of((teapot, 1))
        priced(basket)  # the open offers are now in the cache

    with time_machine.travel(moment, tick=False):
        basket.reset_offer_applications()
        assert bool(discounts(priced(basket))) is applies


@pytest.mark.parametrize(
    ("moment", "applies"),
    [
        (datetime(2026, 7, 4, 8, 59, 59), False),  # a Saturday, before 9
        (datetime(2026, 7, 4, 9, 0), True),
        (datetime(2026, 7, 4, 11, 59, 59), True),
        (datetime(2026, 7, 4, 12, 0), False),
        (datetime(2026, 7, 5, 10, 0), False),  # a Sunday
    ],
)
def test_days_and_hours_are_read_in_the_shops_time_zone(teapot, moment, applies):
    percent_off(
        "Saturday morning",
        "10",
        valid_weekdays=[6],
        valid_from_time=time(9, 0),
        valid_until_time=time(12, 0),
    )
    basket = basket_of((teapot, 1))

    # In July London is an hour ahead of UTC: 09:00 there is 08:00 UTC.
    with time_machine.travel(moment.replace(tzinfo=LONDON), tick=False):
        assert bool(discounts(priced(basket))) is applies


# --- Audience ------------------------------------------------------------------


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password="x"
    )


def test_an_offer_for_signed_in_customers(teapot, customer):
    percent_off("Members", "10", audience="signed_in")
    basket = basket_of((teapot, 1))

    assert discounts(priced(basket, AnonymousUser())) == {}
    basket.reset_offer_applications()
    assert discounts(priced(basket, customer)) == {"Members": Decimal("2.00")}


def test_a_first_order_offer_is_gone_once_the_customer_has_ordered(teapot, customer):
    percent_off("Welcome", "10", audience="first_order")
    basket = basket_of((teapot, 1))

    assert discounts(priced(basket, customer)) == {"Welcome": Decimal("2.00")}

    Order.objects.create(
        number="100001", user=customer, basket=None, total_incl_tax=1, total_excl_tax=1
    )
    basket.reset_offer_applications()
    assert discounts(priced(basket, customer)) == {}
    basket.reset_offer_applications()
    assert discounts(priced(basket, AnonymousUser())) == {}


def test_a_customer_group_offer_goes_to_members_only(
    teapot, customer, django_user_model
):
    trade = CustomerGroup.objects.create(name="Trade")
    trade.members.add(customer)
    offer = percent_off("Trade price", "30", audience="groups")
    offer.customer_groups.add(trade)
    stranger = django_user_model.objects.create_user(username="bo", email="b@x.org")
    basket = basket_of((teapot, 1))

    assert discounts(priced(basket, customer)) == {"Trade price": Decimal("6.00")}
    basket.reset_offer_applications()
    assert discounts(priced(basket, stranger)) == {}
