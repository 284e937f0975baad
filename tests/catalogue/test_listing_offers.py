"""Listing cards name the open site offers that cover their product: on a
category, the catalogue, search results and the home page; in a fixed number of
queries; renewed in the cache when an offer changes what shows, and only then."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.cache import catalogue_version_bump
from catalogue.models import Product
from offer.models import Benefit, Condition, ConditionalOffer, Range
from tests.factories import category_create, product_in_stock
from tests.offer.offers import offer_create

pytestmark = pytest.mark.django_db

CARD = re.compile(
    r'<h3 class="card-product__title">([^<]+)</h3>(.*?)</article>', re.DOTALL
)
BADGE = re.compile(r'<li class="offer-badge offer-badge--card"[^>]*>([^<]+)</li>')


@pytest.fixture
def kitchen():
    kitchen = category_create(name="Kitchen")
    product_in_stock(
        title="Acme kettle", category=kitchen, attributes={"brand": "Acme"}
    )
    product_in_stock(title="Stoneware teapot", category=kitchen)
    product_in_stock(title="Enamel mug", category=kitchen)
    return kitchen


def ten_percent_off(name: str, **fields) -> ConditionalOffer:
    """10% off one item of the range (every product unless `product_range`)."""
    return offer_create(
        name=name,
        condition=(Condition.COUNT, "1"),
        benefit=(Benefit.PERCENTAGE, "10"),
        **fields,
    )


def badges(client, url: str) -> dict[str, list[str]]:
    """Each card's title and the offers its badges name."""
    html = unescape(client.get(url).content.decode())
    return {title: BADGE.findall(card) for title, card in CARD.findall(html)}


def test_cards_name_category_brand_and_all_products_offers(
    client, kitchen, django_capture_on_commit_callbacks
):
    mug = product_titled("Enamel mug")
    with django_capture_on_commit_callbacks(execute=True):
        by_category = Range.objects.create(name="Kitchen")
        by_category.included_categories.add(kitchen)
        ten_percent_off("Kitchen week", product_range=by_category, priority=3)
        by_brand = Range.objects.create(name="Acme", brand="Acme")
        ten_percent_off("Acme days", product_range=by_brand, priority=2)
        all_but_mugs = Range.objects.create(name="All", includes_all_products=True)
        all_but_mugs.excluded_products.add(mug)
        ten_percent_off("All but mugs", product_range=all_but_mugs, priority=1)

    assert badges(client, kitchen.get_absolute_url()) == {
        "Acme kettle": ["Kitchen week", "Acme days"],  # two at most, highest first
        "Stoneware teapot": ["Kitchen week", "All but mugs"],
        "Enamel mug": ["Kitchen week"],
    }


def test_offers_not_open_to_every_shopper_now_have_no_badge(
    client, kitchen, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        ten_percent_off("Members only", audience=ConditionalOffer.SIGNED_IN)
        ten_percent_off("Paused", status=ConditionalOffer.SUSPENDED)
        ten_percent_off("Last winter", end_datetime=now - timedelta(days=1))

    assert badges(client, kitchen.get_absolute_url()) == {
        "Acme kettle": [],
        "Stoneware teapot": [],
        "Enamel mug": [],
    }


@pytest.mark.parametrize(
    "url", ["/", "/catalogue/", "/search/?q=teapot", "/catalogue/?in_stock=1"]
)
def test_every_listing_shows_the_badges(
    client, kitchen, url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ten_percent_off("10% off everything")

    assert badges(client, url)["Stoneware teapot"] == ["10% off everything"]


def test_a_badge_comes_and_goes_on_the_cached_listing_with_its_offer(
    client, kitchen, django_capture_on_commit_callbacks
):
    url = kitchen.get_absolute_url()
    assert badges(client, url)["Stoneware teapot"] == []  # now in the cache

    with django_capture_on_commit_callbacks(execute=True):
        offer = ten_percent_off("Teapot week")
    assert badges(client, url)["Stoneware teapot"] == ["Teapot week"]

    with django_capture_on_commit_callbacks(execute=True):
        offer.status = ConditionalOffer.SUSPENDED
        offer.save()
    assert badges(client, url)["Stoneware teapot"] == []


def test_a_badge_follows_a_change_of_the_offer_s_range(
    client, kitchen, django_capture_on_commit_callbacks
):
    url = kitchen.get_absolute_url()
    teapots = Range.objects.create(name="Teapots")
    teapots.add_product(product_titled("Stoneware teapot"))
    with django_capture_on_commit_callbacks(execute=True):
        offer = ten_percent_off("Pot luck", product_range=teapots)
    assert badges(client, url)["Stoneware teapot"] == ["Pot luck"]

    with django_capture_on_commit_callbacks(execute=True):
        teapots.add_product(product_titled("Enamel mug"))
    assert badges(client, url)["Enamel mug"] == ["Pot luck"]

    with django_capture_on_commit_callbacks(execute=True):
        offer.condition.range = Range.objects.create(name="Acme", brand="Acme")
        offer.condition.save()
    assert badges(client, url) == {
        "Acme kettle": ["Pot luck"],
        "Stoneware teapot": [],
        "Enamel mug": [],
    }


def test_a_badge_goes_when_its_offer_ends_by_the_clock(
    client, kitchen, django_capture_on_commit_callbacks
):
    url = kitchen.get_absolute_url()
    end = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        ten_percent_off("Happy hour", end_datetime=end)
    assert badges(client, url)["Stoneware teapot"] == ["Happy hour"]

    with time_machine.travel(end + timedelta(seconds=1), tick=False):
        assert badges(client, url)["Stoneware teapot"] == []


def test_an_order_using_an_offer_keeps_the_cached_listing(
    client, kitchen, django_capture_on_commit_callbacks
):
    url = kitchen.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        offer = ten_percent_off("10% off everything")
    client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        offer.record_usage({"freq": 1, "discount": Decimal("2.00")})
    with CaptureQueriesContext(connection) as queries:
        assert badges(client, url)["Stoneware teapot"] == ["10% off everything"]

    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "catalogue_productlisting" not in read  # served from the cache


def test_a_listing_costs_the_same_queries_with_one_offer_or_twenty(
    client, kitchen, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    url = kitchen.get_absolute_url()

    def listing_queries() -> int:
        client.get(url)  # what every page shares (menu, site offers) now cached
        catalogue_version_bump()  # this listing rendered again, not read from cache
        with django_assert_max_num_queries(7) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    with django_capture_on_commit_callbacks(execute=True):
        by_category = Range.objects.create(name="Kitchen")
        by_category.included_categories.add(kitchen)
        ten_percent_off("Offer 0", product_range=by_category)
    one = listing_queries()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(1, 20):
            product_range = Range.objects.create(name=f"Range {n}", brand=f"B{n}")
            product_range.included_categories.add(kitchen)
            ten_percent_off(f"Offer {n}", product_range=product_range)

    assert listing_queries() == one
    assert len(badges(client, url)["Enamel mug"]) == 2


def product_titled(title: str) -> Product:
    return Product.objects.get(title=title)
