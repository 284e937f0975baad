"""Which open site offers a product's page and a listing's cards name
(`offers_for_products`), and the digest cached listings are keyed by."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from catalogue.models import Product
from offer.models import Benefit, Condition, ConditionalOffer, Range
from offer.selectors import (
    offer_badges_digest,
    offers_for_product,
    offers_for_products,
)
from offer.site_offers import site_offers_forget, site_offers_open
from tests.factories import category_create, product_in_stock
from tests.offer.offers import offer_create

pytestmark = pytest.mark.django_db


def ten_percent_off(name: str, **fields) -> ConditionalOffer:
    """10% off one item of the range (every product unless `product_range`)."""
    return offer_create(
        name=name,
        condition=(Condition.COUNT, "1"),
        benefit=(Benefit.PERCENTAGE, "10"),
        **fields,
    )


def named(product_ids: list[int]) -> dict[int, list[str]]:
    site_offers_forget()  # the offers as they are now, not as first cached
    return {
        pk: [offer.name for offer in offers]
        for pk, offers in offers_for_products(product_ids=product_ids).items()
    }


def test_a_category_offer_covers_its_subcategories_products_only():
    kitchen = category_create(name="Kitchen")
    teapots = category_create(name="Teapots", parent=kitchen)
    teapot = product_in_stock(title="Teapot", category=teapots)
    rake = product_in_stock(title="Rake", category=category_create(name="Garden"))
    kitchen_range = Range.objects.create(name="Kitchen")
    kitchen_range.included_categories.add(kitchen)
    ten_percent_off("Kitchen week", product_range=kitchen_range)

    assert named([teapot.pk, rake.pk]) == {teapot.pk: ["Kitchen week"]}


def test_a_brand_offer_covers_that_brand_s_products_in_any_case():
    acme = product_in_stock(title="Acme kettle", attributes={"brand": "Acme"})
    other = product_in_stock(title="Other kettle", attributes={"brand": "Other"})
    ten_percent_off(
        "Acme days", product_range=Range.objects.create(name="Acme", brand="ACME")
    )

    assert named([acme.pk, other.pk]) == {acme.pk: ["Acme days"]}


def test_an_all_products_offer_leaves_out_its_excluded_products():
    teapot = product_in_stock(title="Teapot")
    mug = product_in_stock(title="Mug")
    all_but_mugs = Range.objects.create(name="All but mugs", includes_all_products=True)
    all_but_mugs.excluded_products.add(mug)
    ten_percent_off("Almost everything", product_range=all_but_mugs)

    assert named([teapot.pk, mug.pk]) == {teapot.pk: ["Almost everything"]}


def test_an_offer_on_a_variant_is_named_for_its_parent():
    child = product_in_stock(title="Jumper M")
    parent = Product.objects.create(
        structure=Product.PARENT, title="Jumper", product_class=child.product_class
    )
    Product.objects.filter(pk=child.pk).update(structure=Product.CHILD, parent=parent)
    jumpers = Range.objects.create(name="Jumpers")
    jumpers.add_product(child)
    ten_percent_off("Jumpers for winter", product_range=jumpers)

    assert named([parent.pk]) == {parent.pk: ["Jumpers for winter"]}


def test_offers_not_open_to_everyone_now_are_not_named():
    teapot = product_in_stock(title="Teapot")
    now = timezone.now()
    ten_percent_off("Members only", audience=ConditionalOffer.SIGNED_IN)
    ten_percent_off("Paused", status=ConditionalOffer.SUSPENDED)
    ten_percent_off("Last winter", end_datetime=now - timedelta(days=1))
    ten_percent_off("Next spring", start_datetime=now + timedelta(days=1))
    ten_percent_off("Open to all")

    assert named([teapot.pk]) == {teapot.pk: ["Open to all"]}


def test_offers_come_highest_priority_first():
    teapot = product_in_stock(title="Teapot")
    ten_percent_off("Low", priority=1)
    ten_percent_off("High", priority=9)
    ten_percent_off("Middle", priority=5)

    assert named([teapot.pk]) == {teapot.pk: ["High", "Middle", "Low"]}


def test_a_product_page_s_offers_come_from_the_same_selector():
    teapot = product_in_stock(title="Teapot")
    ten_percent_off("Teapot week")

    assert [offer.name for offer in offers_for_product(product=teapot)] == [
        "Teapot week"
    ]


def test_one_query_names_the_offers_of_every_product_whatever_their_number(
    django_assert_num_queries,
):
    products = [product_in_stock(title=f"Product {n}") for n in range(12)]
    kitchen = category_create(name="Kitchen")
    for n in range(20):
        product_range = Range.objects.create(name=f"Range {n}", brand=f"Brand {n}")
        product_range.included_categories.add(kitchen)
        product_range.add_product(products[n % len(products)])
        ten_percent_off(f"Offer {n}", product_range=product_range)
    site_offers_open()  # loaded once for every page, then cached

    with django_assert_num_queries(1):
        found = offers_for_products(product_ids=[p.pk for p in products])

    assert found[products[0].pk][0].name == "Offer 0"
    assert sorted(len(offers) for offers in found.values()) == [1] * 4 + [2] * 8


def test_the_digest_stays_through_an_order_s_usage_and_moves_with_what_shows():
    ten_percent_off("Spring sale")
    offer = ConditionalOffer.objects.get(name="Spring sale")
    before = offer_badges_digest()

    offer.record_usage({"freq": 1, "discount": Decimal("2.00")})
    site_offers_forget()
    assert offer_badges_digest() == before

    offer.name = "Spring sale: 10% off"
    offer.save()
    site_offers_forget()
    renamed = offer_badges_digest()
    assert renamed != before

    offer.status = ConditionalOffer.SUSPENDED
    offer.save()
    site_offers_forget()
    assert offer_badges_digest() not in (before, renamed)


def test_the_digest_moves_when_an_offer_ends_by_the_clock():
    end = timezone.now() + timedelta(hours=1)
    ten_percent_off("Happy hour", end_datetime=end)
    during = offer_badges_digest()

    with time_machine.travel(end + timedelta(seconds=1), tick=False):
        after = offer_badges_digest()  # the cached site offers, read anew

    assert after != during
    assert after == offer_badges_digest(now=end + timedelta(seconds=1))
