"""The product page names the open site offers that cover the product."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from tests.catalogue.product_pages import QUERY_BUDGET, html_of
from tests.factories import product_in_stock

Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")

pytestmark = pytest.mark.django_db


def site_offer(name: str, *, covers=None, **fields) -> ConditionalOffer:
    """10% off `covers` (every product when None)."""
    covered = Range.objects.create(
        name=f"Range of {name}", includes_all_products=covers is None
    )
    for product in covers or ():
        covered.add_product(product)
    return ConditionalOffer.objects.create(
        name=name,
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(
            range=covered, type=Condition.COUNT, value=1
        ),
        benefit=Benefit.objects.create(
            range=covered, type=Benefit.PERCENTAGE, value=Decimal("10")
        ),
        **fields,
    )


def offers_on_page(client, product) -> str:
    return html_of(client.get(product.get_absolute_url()))


def test_the_page_names_the_offers_covering_the_product_and_no_others(
    client, django_capture_on_commit_callbacks
):
    teapot = product_in_stock(title="Stoneware Teapot")
    mug = product_in_stock(title="Mug")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        site_offer("10% off everything")
        site_offer("Teapot week", covers=[teapot])
        site_offer("Mug madness", covers=[mug])
        site_offer("Last winter", end_datetime=now - timedelta(days=1))

    html = offers_on_page(client, teapot)

    assert 'class="offer-badge"' in html
    assert "10% off everything" in html and "Teapot week" in html
    assert "Mug madness" not in html and "Last winter" not in html


def test_an_offer_on_a_variant_is_named_on_its_parent_s_page(
    client, django_capture_on_commit_callbacks
):
    from catalogue.models import Product

    parent = Product.objects.create(
        structure=Product.PARENT,
        title="Jumper",
        product_class=product_in_stock(title="Any").product_class,
    )
    child = product_in_stock(title="Jumper M")
    Product.objects.filter(pk=child.pk).update(structure=Product.CHILD, parent=parent)
    with django_capture_on_commit_callbacks(execute=True):
        site_offer("Jumpers for winter", covers=[child])

    assert "Jumpers for winter" in offers_on_page(client, parent)


def test_the_page_costs_the_same_queries_with_one_offer_or_ten(
    client, django_assert_max_num_queries, settings
):
    settings.SHOP_PAGE_CACHE_SECONDS = 0  # every visit renders
    teapot = product_in_stock(title="Stoneware Teapot")

    def page_queries() -> int:
        client.get(teapot.get_absolute_url())  # thumbnails, site offers cached
        with django_assert_max_num_queries(QUERY_BUDGET) as captured:
            html_of(client.get(teapot.get_absolute_url()))
        return len(captured)

    from offer.site_offers import site_offers_forget

    site_offer("One", covers=[teapot])
    site_offers_forget()
    one = page_queries()
    for index in range(9):
        site_offer(f"More {index}", covers=[teapot])
    site_offers_forget()

    assert page_queries() == one


def test_ranges_by_category_class_and_exclusion_are_followed(
    client, django_capture_on_commit_callbacks
):
    from tests.factories import category_create

    kitchen = category_create(name="Kitchen")
    teapots = category_create(name="Teapots", parent=kitchen)
    teapot = product_in_stock(title="Stoneware Teapot", category=teapots)
    with django_capture_on_commit_callbacks(execute=True):
        by_category = site_offer("Kitchen sale", covers=[])
        by_category.condition.range.included_categories.add(kitchen)
        by_class = site_offer("Goods week", covers=[])
        by_class.condition.range.classes.add(teapot.product_class)
        everything_but = site_offer("All but teapots")
        everything_but.condition.range.excluded_products.add(teapot)

    html = offers_on_page(client, teapot)

    assert "Kitchen sale" in html and "Goods week" in html
    assert "All but teapots" not in html


def test_the_page_promises_free_delivery_from_the_lowest_threshold(client, settings):
    from tests.checkout.test_shipping import flat_rate

    settings.SHOP_PAGE_CACHE_SECONDS = 0
    teapot = product_in_stock(title="Stoneware Teapot")
    assert "Free delivery over" not in offers_on_page(client, teapot)

    flat_rate(name="Standard", free_shipping_threshold=Decimal("50.00"))
    flat_rate(name="Express", free_shipping_threshold=Decimal("120.00"))

    assert "Free delivery over £50.00" in offers_on_page(client, teapot)
