"""Products the product page tests share."""

import pytest

from catalogue.models import (
    AttributeOption,
    AttributeOptionGroup,
    Product,
    ProductAttribute,
    ProductClass,
)
from tests.catalogue.product_pages import (
    COLOURS,
    SIZES,
    image_add,
    parent_create,
)
from tests.factories import category_create, product_in_stock


@pytest.fixture
def clothing() -> ProductClass:
    product_class = ProductClass.objects.create(
        name="Clothing", slug="clothing", track_stock=True
    )
    for code, name, labels in (("size", "Size", SIZES), ("colour", "Colour", COLOURS)):
        group = AttributeOptionGroup.objects.create(name=name, code=f"test-{code}")
        for label in labels:
            AttributeOption.objects.create(group=group, option=label)
        ProductAttribute.objects.create(
            product_class=product_class,
            code=code,
            name=name,
            type=ProductAttribute.OPTION,
            option_group=group,
        )
    ProductAttribute.objects.create(
        product_class=product_class, code="material", name="Material", type="text"
    )
    return product_class


@pytest.fixture
def jumper(clothing) -> Product:
    return parent_create(
        clothing,
        variants=[
            ("S", "Navy", "60.00", 20),
            ("M", "Navy", "60.00", 3),
            ("L", "Navy", "65.00", 0),
            ("M", "Oat", "62.00", 12),
            ("XL", "Oat", "65.00", 0),
        ],
    )


@pytest.fixture
def teapot() -> Product:
    teapot = product_in_stock(
        title="Stoneware Teapot",
        price="34.50",
        num_in_stock=40,
        upc="TEAPOT",
        category=category_create(name="Kitchen"),
    )
    image_add(teapot, caption="The teapot from the side")
    image_add(teapot, colour="#aa5533", caption="The teapot from above")
    return teapot
