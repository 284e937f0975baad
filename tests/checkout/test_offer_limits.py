"""An offer's limits (uses overall, per customer) hold under concurrent
checkouts: exactly as many discounted orders as allowed, the rest refused
before anything is written, and the offer's usage counted right."""

from collections import Counter
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from order.models import Order
from tests.checkout.test_order_place import basket_again, basket_with, place
from tests.concurrency import all_at_once
from tests.factories import product_in_stock
from tests.processes import require_postgres_and_redis

Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")


def limited_offer(**limits) -> ConditionalOffer:
    """£5 off any basket, as a site offer with these limits."""
    everything = Range.objects.create(name="Everything", includes_all_products=True)
    return ConditionalOffer.objects.create(
        name="First five",
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(
            range=everything, type=Condition.COUNT, value=1
        ),
        benefit=Benefit.objects.create(
            range=everything, type=Benefit.FIXED, value=Decimal("5.00")
        ),
        **limits,
    )


def discounted_orders() -> int:
    return Order.objects.filter(discounts__offer_name="First five").count()


@pytest.mark.django_db(transaction=True)
def test_fifty_checkouts_for_an_offer_limited_to_five_uses_make_five():
    require_postgres_and_redis()
    offer = limited_offer(max_global_applications=5)
    teapot = product_in_stock(title="Stoneware Teapot", num_in_stock=100)
    basket_ids = [basket_with(teapot).pk for _ in range(50)]

    outcomes = all_at_once([lambda pk=pk: place(basket_again(pk)) for pk in basket_ids])

    offer.refresh_from_db()
    # A checkout priced once the offer ran out pays the full price instead.
    assert set(outcomes) <= {"ok", "OfferUnavailable"} and outcomes["ok"] >= 5
    assert discounted_orders() == 5
    assert (offer.num_applications, offer.num_orders) == (5, 5)
    assert offer.total_discount == Decimal("25.00")
    assert teapot.stockrecords.get().num_allocated == 5


@pytest.mark.django_db(transaction=True)
def test_an_unlimited_offer_counts_every_concurrent_use():
    require_postgres_and_redis()
    offer = limited_offer()
    teapot = product_in_stock(title="Stoneware Teapot", num_in_stock=100)
    basket_ids = [basket_with(teapot).pk for _ in range(20)]

    outcomes = all_at_once([lambda pk=pk: place(basket_again(pk)) for pk in basket_ids])

    offer.refresh_from_db()
    assert outcomes == Counter(ok=20)
    assert (offer.num_applications, offer.total_discount) == (20, Decimal("100.00"))


@pytest.mark.django_db
def test_a_basket_priced_after_the_offer_ran_out_pays_the_full_price():
    limited_offer(max_global_applications=1)
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50")

    first = place(basket_with(teapot))
    second = place(basket_with(teapot))

    assert (first.total_incl_tax, second.total_incl_tax) == (
        Decimal("29.50"),
        Decimal("34.50"),
    )


@pytest.mark.django_db(transaction=True)
def test_fifty_checkouts_for_an_offer_with_a_25_pound_budget_make_five():
    require_postgres_and_redis()
    offer = limited_offer(max_discount=Decimal("25.00"))  # five times £5
    teapot = product_in_stock(title="Stoneware Teapot", num_in_stock=100)
    basket_ids = [basket_with(teapot).pk for _ in range(50)]

    outcomes = all_at_once([lambda pk=pk: place(basket_again(pk)) for pk in basket_ids])

    offer.refresh_from_db()
    assert set(outcomes) <= {"ok", "OfferUnavailable"} and outcomes["ok"] >= 5
    assert discounted_orders() == 5
    assert offer.total_discount == Decimal("25.00")


def one_customer_s_concurrent_orders(customer, *, count: int = 10) -> Counter:
    """`count` checkouts of one customer's baskets at once, each holding a
    teapot; what each ended in."""
    from oscar.apps.shipping.methods import Free

    from checkout.services import order_place
    from tests.checkout.test_order_place import address

    teapot = product_in_stock(title="Stoneware Teapot", num_in_stock=100)
    baskets = [basket_with(teapot) for _ in range(count)]
    for basket in baskets:
        basket.owner = customer
        basket.save()

    def attempt(pk):
        return lambda: order_place(
            basket=basket_again(pk),
            shipping_method=Free(),
            shipping_address=address(),
            user=customer,
        )

    return all_at_once([attempt(basket.pk) for basket in baskets])


@pytest.mark.django_db(transaction=True)
def test_an_offer_once_per_customer_gives_one_of_ten_concurrent_orders(
    django_user_model,
):
    require_postgres_and_redis()
    limited_offer(max_user_applications=1)
    ada = django_user_model.objects.create_user(username="ada", email="ada@x.org")

    outcomes = one_customer_s_concurrent_orders(ada)

    assert set(outcomes) <= {"ok", "OfferUnavailable"} and outcomes["ok"] >= 1
    assert discounted_orders() == 1


@pytest.mark.django_db(transaction=True)
def test_a_first_order_offer_gives_one_of_a_customer_s_concurrent_orders(
    django_user_model,
):
    require_postgres_and_redis()
    limited_offer(audience=ConditionalOffer.FIRST_ORDER)
    ada = django_user_model.objects.create_user(username="ada", email="ada@x.org")

    outcomes = one_customer_s_concurrent_orders(ada)

    assert set(outcomes) <= {"ok", "OfferUnavailable"} and outcomes["ok"] >= 1
    assert discounted_orders() == 1
