"""Test data built on Oscar's factories.

Listing rows are refreshed by signals after commit, and a test's transaction never
commits, so the helpers here refresh them directly.
"""

from decimal import Decimal

from oscar.core.loading import get_model
from oscar.test.factories import create_product

from catalogue.models import (
    Category,
    ProductAttribute,
    ProductCategory,
)
from catalogue.services import listing_refresh


def uk_shipped_to():
    """The United Kingdom, a country the shop ships to."""
    Country = get_model("address", "Country")
    return Country.objects.get_or_create(
        iso_3166_1_a2="GB",
        defaults={"name": "United Kingdom", "is_shipping_country": True},
    )[0]


def category_create(*, name: str, parent: Category | None = None) -> Category:
    slug = name.lower().replace(" ", "-")
    if parent is None:
        return Category.add_root(name=name, slug=slug)
    return parent.add_child(name=name, slug=slug)


def product_in_stock(
    *,
    title: str,
    price: str = "19.99",
    num_in_stock: int = 10,
    category: Category | None = None,
    upc: str | None = None,
    description: str = "",
    attributes: dict[str, str] | None = None,
    product_class: str = "Goods",
):  # noqa: PLR0913
    """A standalone product with one stock record, its listing row refreshed."""
    product = create_product(
        title=title,
        upc=upc,
        price=Decimal(price),
        num_in_stock=num_in_stock,
        partner_name="Warehouse",
        product_class=product_class,
        description=description,
    )
    for code, value in (attributes or {}).items():
        ProductAttribute.objects.get_or_create(
            product_class=product.product_class,
            code=code,
            defaults={"name": code.capitalize(), "type": ProductAttribute.TEXT},
        )
        setattr(product.attr, code, value)
    if attributes:
        product.attr.invalidate()
        for code, value in attributes.items():
            setattr(product.attr, code, value)
        product.attr.save()
    if category is not None:
        ProductCategory.objects.create(product=product, category=category)
    listing_refresh(product_ids=[product.pk])
    return product
