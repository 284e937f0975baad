"""Pricing a basket costs the same queries with 200 offers as with 5, and what
makes it fast (the cached offers reused by a process, a fresh read that copies
them) keeps the checkout's view of the offers current."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from basket.models import Basket
from bench.harness.offers_measure import offers_open
from bench.harness.offers_seed import offers_seed
from offer.models import Benefit, Condition, ConditionalOffer
from offer.services import basket_offers_price
from offer.site_offers import site_offers_forget, site_offers_open
from partner.strategy import Selector
from tests.bench.catalogue import catalogue_small
from tests.checkout.test_vouchers import single_use_voucher
from tests.factories import product_in_stock
from tests.offer.offers import basket_of, discounts, offer_create, priced

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    """A 20-line basket over four departments and three brands, and 200 site
    offers of every kind and rule (the offers benchmark's); the first 5 are a
    small shop's, aimed at the basket."""
    catalogue_small(departments=("Kitchen", "Garden", "Pantry", "Home"))
    return offers_seed(many=200, few=5, vouchers=0, lines=20, seed=1858)


def _pricing_queries(seeded, *, fresh: bool) -> int:
    """Queries of one pricing of the basket, loaded with its lines as the
    basket middleware has it (from the database at the checkout), after one
    pricing that filled the cache."""
    user = get_user_model().objects.get(pk=seeded.user_id)
    counts = []
    for _ in range(2):
        basket = Basket.objects.get(pk=seeded.basket_id)
        basket.strategy = Selector().strategy(user=user)
        if fresh:
            basket.lines_read_fresh()
        list(basket.all_lines())
        with CaptureQueriesContext(connection) as queries:
            basket_offers_price(basket=basket, user=user, fresh=fresh)
        counts.append(len(queries))
    return counts[-1]


@pytest.mark.parametrize("fresh", [False, True], ids=["basket page", "checkout"])
def test_200_offers_cost_the_queries_of_5(seeded, fresh):
    assert seeded.lines == 20
    offers_open(seeded=seeded, open_ids=seeded.site_offer_ids[: seeded.few])
    with_few = _pricing_queries(seeded, fresh=fresh)

    offers_open(seeded=seeded, open_ids=seeded.site_offer_ids)
    with_many = _pricing_queries(seeded, fresh=fresh)

    assert with_many == with_few
    # The basket's vouchers, the shopper's audience facts and once-per-customer
    # uses, range membership; and the offers' rows, read when fresh.
    assert with_few <= 4 + fresh


def test_a_process_reuses_the_cached_offers_and_a_fresh_read_copies_them():
    offer_create(
        name="10% off",
        condition=(Condition.COUNT, "1"),
        benefit=(Benefit.PERCENTAGE, "10"),
    )
    cached = site_offers_open()

    assert site_offers_open()[0] is cached[0]
    fresh = site_offers_open(fresh=True)
    assert fresh[0] is not cached[0]  # the checkout's own
    assert fresh[0].condition is cached[0].condition  # loaded once

    site_offers_forget()
    assert site_offers_open()[0] is not cached[0]


def test_the_checkout_sees_an_offer_used_up_without_a_save():
    """Usage written straight to the offer's row (no signal forgets the cached
    offers): the basket page may still show the offer, the checkout does not
    give it."""
    teapot = product_in_stock(title="Teapot", price="20.00")
    offer = offer_create(
        name="10% off, twice",
        condition=(Condition.COUNT, "1"),
        benefit=(Benefit.PERCENTAGE, "10"),
        max_global_applications=2,
    )
    assert discounts(priced(basket_of((teapot, 1)))) == {
        "10% off, twice": Decimal("2.00")
    }

    ConditionalOffer.objects.filter(pk=offer.pk).update(num_applications=2)
    basket = basket_of((teapot, 1))
    basket_offers_price(basket=basket, fresh=True)

    assert discounts(basket) == {}


def test_the_checkout_sees_a_voucher_offer_used_up_without_a_save():
    """The same for a voucher's offer, kept by the process like the site
    offers: the checkout checks its row."""
    teapot = product_in_stock(title="Teapot", price="20.00")
    voucher = single_use_voucher("TWICE")
    offer = voucher.offers.get()
    ConditionalOffer.objects.filter(pk=offer.pk).update(max_global_applications=2)
    site_offers_open()  # the version the process keeps voucher offers under

    def priced_with_voucher(*, fresh: bool):
        basket = basket_of((teapot, 1))
        basket.vouchers.add(voucher)
        basket_offers_price(basket=basket, user=AnonymousUser(), fresh=fresh)
        return discounts(basket)

    assert priced_with_voucher(fresh=False) == {"TWICE: £5 off": Decimal("5.00")}

    ConditionalOffer.objects.filter(pk=offer.pk).update(num_applications=2)

    assert priced_with_voucher(fresh=True) == {}


def test_remembered_discounts_follow_the_basket():
    """What each offer gives on its own ranks offers of one priority and is
    remembered between pricings; a change to the lines it reads is seen."""
    teapot = product_in_stock(title="Teapot", price="20.00")
    offer_create(
        name="25% off",
        condition=(Condition.COUNT, "1"),
        benefit=(Benefit.PERCENTAGE, "25"),
    )
    offer_create(
        name="3 for £30",
        condition=(Condition.COUNT, "3"),
        benefit=(Benefit.FIXED_PRICE, "30.00"),
    )
    basket = basket_of((teapot, 1))
    assert discounts(priced(basket)) == {"25% off": Decimal("5.00")}

    line = basket.all_lines()[0]
    line.quantity = 3
    line.save()

    assert discounts(priced(basket_of_again(basket))) == {"3 for £30": Decimal("30.00")}


def basket_of_again(basket) -> Basket:
    again = Basket.objects.get(pk=basket.pk)
    again.strategy = Selector().strategy()
    return again


def test_pricing_again_with_a_gift_added_reads_range_membership_once():
    """The gift an offer puts in the basket is known to the ranges with the
    basket's products, so the pricing after the gift arrives asks nothing more
    of them, nor reads the lines it had again; and the gift is priced free."""
    teapot = product_in_stock(title="Teapot", price="40.00")
    towel = product_in_stock(title="Tea towel", price="4.50")
    offer_create(
        name="Free tea towel over £30",
        condition=(Condition.VALUE, "30.00"),
        benefit=(Benefit.FREE_GIFT, None),
        benefit_fields={"gift_product": towel},
        exclusive=False,
    )
    offer_create(
        name="10% off",
        condition=(Condition.COUNT, "1"),
        benefit=(Benefit.PERCENTAGE, "10"),
        exclusive=False,
    )
    basket = basket_of((teapot, 1))
    teapot_line = list(basket.all_lines())[0]

    with CaptureQueriesContext(connection) as queries:
        priced(basket)

    membership = [q for q in queries if "offer_rangeproduct" in q["sql"]]
    assert len(membership) == 1
    lines = list(basket.all_lines())
    assert len(lines) == 2  # the gift came in: priced twice
    assert lines[0] is teapot_line
    assert discounts(basket) == {
        "Free tea towel over £30": Decimal("4.50"),
        "10% off": Decimal("4.00"),
    }
