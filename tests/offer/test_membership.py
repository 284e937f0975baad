"""Range membership for all of a basket's ranges at once gives Oscar's answer
(`Range.all_products`) for every kind of range, in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.test.factories import ProductClassFactory, create_product

from catalogue.models import ProductCategory
from offer.membership import range_membership_batch
from offer.models import Range
from tests.factories import category_create, product_in_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    """Products in a small tree of categories, of two classes and brands, and a
    parent with two variants."""
    kitchen = category_create(name="Kitchen")
    teaware = category_create(name="Teaware", parent=kitchen)
    garden = category_create(name="Garden")
    products = {
        "teapot": product_in_stock(
            title="Teapot", category=teaware, attributes={"brand": "Acme"}
        ),
        "pan": product_in_stock(title="Pan", category=kitchen),
        "spade": product_in_stock(
            title="Spade", category=garden, attributes={"brand": "ACME"}
        ),
        "candle": product_in_stock(title="Candle", product_class="Gifts"),
    }
    parent = create_product(title="Apron", structure="parent", product_class="Clothing")
    ProductCategory.objects.create(product=parent, category=kitchen)
    parent.attr.brand = "Loom"
    parent.attr.save()
    for size in ("S", "M"):
        products[f"apron-{size}"] = create_product(
            title=f"Apron {size}", parent=parent, structure="child", price=12
        )
    return {"kitchen": kitchen, "teaware": teaware, "garden": garden}, products


def ranges_of_every_kind(categories, products) -> list[Range]:
    everything = Range.objects.create(name="All but", includes_all_products=True)
    everything.excluded_products.add(products["pan"])
    everything.excluded_categories.add(categories["garden"])
    listed = Range.objects.create(name="Listed")
    listed.add_product(products["teapot"])
    listed.add_product(products["apron-S"].parent)  # its variants come with it
    by_class = Range.objects.create(name="Gifts and aprons")
    by_class.classes.add(products["candle"].product_class)
    by_class.classes.add(products["apron-S"].parent.product_class)
    by_category = Range.objects.create(name="Kitchen")
    by_category.included_categories.add(categories["kitchen"])
    by_category.excluded_products.add(products["apron-M"])
    by_brand = Range.objects.create(name="Acme", brand="acme")
    by_parent_brand = Range.objects.create(name="Loom", brand="Loom")
    unrelated = Range.objects.create(name="Nothing")
    unrelated.classes.add(ProductClassFactory(name="Unused"))
    return [everything, listed, by_class, by_category, by_brand, by_parent_brand]


def test_every_kind_of_range_agrees_with_oscar(shelf):
    categories, products = shelf
    ranges = ranges_of_every_kind(categories, products)
    basket_products = list(products.values())

    known = range_membership_batch(ranges=ranges, products=basket_products)

    expected = {
        (found.pk, product.pk): found.all_products().filter(pk=product.pk).exists()
        for found in ranges
        for product in basket_products
    }
    assert known == expected
    in_brand = {p.title for p in basket_products if known[(ranges[4].pk, p.pk)]}
    assert in_brand == {"Teapot", "Spade"}  # the brand, in any case


def test_the_answer_costs_the_same_queries_for_one_range_or_many(shelf):
    categories, products = shelf
    ranges = ranges_of_every_kind(categories, products)
    loaded = list(
        Range.objects.filter(pk__in=[found.pk for found in ranges]).prefetch_related(
            "classes", "included_categories", "excluded_categories"
        )
    )
    basket_products = list(products.values())

    with CaptureQueriesContext(connection) as one:
        range_membership_batch(ranges=loaded[:1], products=basket_products)
    with CaptureQueriesContext(connection) as all_of_them:
        range_membership_batch(ranges=loaded, products=basket_products)

    assert len(all_of_them) == 1
    assert len(one) <= len(all_of_them)
