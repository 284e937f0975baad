"""Test data built on Oscar's factories."""

from decimal import Decimal

from oscar.test.factories import create_product

from catalogue.models import Category, ProductCategory


def category_create(*, name: str, parent: Category | None = None) -> Category:
    if parent is None:
        return Category.add_root(name=name, slug=name.lower().replace(" ", "-"))
    return parent.add_child(name=name, slug=name.lower().replace(" ", "-"))


def product_in_stock(
    *,
    title: str,
    price: str = "19.99",
    num_in_stock: int = 10,
    category: Category | None = None,
    upc: str | None = None,
):
    product = create_product(
        title=title,
        upc=upc,
        price=Decimal(price),
        num_in_stock=num_in_stock,
        partner_name="Warehouse",
    )
    if category is not None:
        ProductCategory.objects.create(product=product, category=category)
    return product
