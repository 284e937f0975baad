"""A basket's lines read their products from the catalogue's cache: one query
for the lines, one more for their options if they have any; a saved change to a
product or its stock shows at once; the checkout reads them from the database."""

from decimal import Decimal
from unittest.mock import patch

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.test.factories import OptionFactory, ProductClassFactory, ProductFactory

from basket.models import Basket
from catalogue.models import ProductImage
from catalogue.product_selectors import product_for_basket
from partner.models import Partner, StockRecord
from tests.factories import product_in_stock
from tests.offer.offers import basket_of

pytestmark = pytest.mark.django_db


def _again(basket: Basket) -> Basket:
    again = Basket.objects.get(pk=basket.pk)
    again.strategy = basket.strategy
    return again


def _variant(parent, *, title: str, price: str):
    child = ProductFactory(
        parent=parent,
        product_class=None,
        structure="child",
        title=title,
        stockrecords=[],
    )
    StockRecord.objects.create(
        product=child,
        partner=Partner.objects.get_or_create(name="Shop")[0],
        partner_sku=f"sku-{child.pk}",
        price=Decimal(price),
        num_in_stock=10,
    )
    return child


@pytest.fixture
def basket():
    parent = ProductFactory(
        structure="parent",
        title="Mug",
        product_class=ProductClassFactory(name="Mugs"),
        stockrecords=[],
    )
    red = _variant(parent, title="", price="8.00")
    teapot = product_in_stock(title="Teapot", price="20.00")
    return basket_of((teapot, 1), (red, 2))


def _read(basket: Basket) -> list:
    """What a page reads of each line: title, image, price, availability."""
    return [
        (
            line.product.get_title(),
            str(line.product.primary_image()),
            line.unit_price_incl_tax,
            line.purchase_info.availability.is_available_to_buy,
            line.stockrecord.partner.name,
        )
        for line in basket.all_lines()
    ]


def test_lines_without_options_and_their_products_cost_one_query_once_cached(
    basket,
):
    first = _read(_again(basket))  # fills the cache

    again = _again(basket)
    with CaptureQueriesContext(connection) as queries:
        second = _read(again)

    assert second == first
    assert [title for title, *_ in second] == ["Teapot", "Mug"]
    tables = [query["sql"].split(" FROM ")[1].split()[0] for query in queries]
    assert tables == ['"basket_line"']


def test_a_lines_options_are_read_with_it(basket):
    engraving = OptionFactory(name="Engraving", code="engraving")
    pen = product_in_stock(title="Pen", price="5.00")
    pen.product_options.add(engraving)
    basket.add_product(pen, 1, [{"option": engraving, "value": "To Ann"}])
    _read(_again(basket))

    again = _again(basket)
    with CaptureQueriesContext(connection) as queries:
        options = [
            [(a.option.code, a.value) for a in line.attributes.all()]
            for line in again.all_lines()
        ]

    assert options == [[], [], [("engraving", "To Ann")]]
    assert len(queries) == 3  # the lines, their options, the options' kinds


def test_filtering_and_counting_the_lines_work_as_on_any_queryset(basket):
    lines = _again(basket).all_lines()

    teapot = lines.get(product__title="Teapot")

    assert teapot.product.get_title() == "Teapot"
    assert teapot.stockrecord.price == Decimal("20.00")
    assert lines.count() == 2
    assert list(lines.values_list("quantity", flat=True)) == [1, 2]


def test_a_saved_price_change_shows_on_the_next_read(
    basket, django_capture_on_commit_callbacks
):
    _read(_again(basket))
    record = StockRecord.objects.get(product__title="Teapot")
    record.price = Decimal("25.00")
    with django_capture_on_commit_callbacks(execute=True):
        record.save()

    prices = [price for _, _, price, *_ in _read(_again(basket))]

    assert prices == [Decimal("25.00"), Decimal("8.00")]


def test_a_change_to_a_variants_parent_shows_on_its_line(
    basket, django_capture_on_commit_callbacks
):
    _read(_again(basket))
    parent = basket.all_lines()[1].product.parent
    parent.title = "Tall mug"
    with django_capture_on_commit_callbacks(execute=True):
        parent.save()

    titles = [title for title, *_ in _read(_again(basket))]

    assert titles == ["Teapot", "Tall mug"]


def test_the_checkout_reads_the_products_from_the_database(basket):
    _read(_again(basket))
    # A change the cache was not told of (written past the shop's models).
    StockRecord.objects.filter(product__title="Teapot").update(price=Decimal("30.00"))

    cached, fresh = _again(basket), _again(basket)
    fresh.lines_read_fresh()

    assert _read(cached)[0][2] == Decimal("20.00")
    assert _read(fresh)[0][2] == Decimal("30.00")


def test_a_new_parent_image_shows_on_its_variants_line(
    basket, django_capture_on_commit_callbacks
):
    before = _read(_again(basket))[1][1]
    parent = basket.all_lines()[1].product.parent
    with django_capture_on_commit_callbacks(execute=True):
        ProductImage.objects.create(product=parent, original="images/mug.jpg")

    after = _read(_again(basket))[1][1]

    assert "is_missing" in before
    assert after == "Image of 'Mug'"


def test_a_product_read_for_the_addition_is_the_new_lines_as_it_is(basket):
    cup = product_in_stock(title="Cup", price="4.00")
    product = product_for_basket(pk=cup.pk)
    again = _again(basket)
    list(again.all_lines())

    with patch.object(cache, "get_many", wraps=cache.get_many) as reads:
        again.add_product(product, 1)
        with CaptureQueriesContext(connection) as queries:
            shown = _read(again)

    assert reads.call_count == 0
    assert len(queries) == 0
    assert shown[-1][0] == "Cup" and shown[-1][2] == Decimal("4.00")
    assert _read(_again(basket)) == shown


def test_the_lines_and_an_additions_product_are_read_in_one_cache_read(basket):
    cup = product_in_stock(title="Cup", price="4.00")
    _read(_again(basket))
    product_for_basket(pk=cup.pk)  # all in the cache
    again = _again(basket)

    with patch.object(cache, "get_many", wraps=cache.get_many) as reads:
        product = again.lines_read_with_product(cup.pk)
        lines = [line.product.get_title() for line in again.all_lines()]

    # The stamps, then the products: the lines' and the cup together.
    assert reads.call_count == 2
    assert (product.pk, product.read_for_basket_line) == (cup.pk, True)
    assert lines == ["Teapot", "Mug"]
    assert again.lines_read_with_product(0) is None  # lines read: asked alone
