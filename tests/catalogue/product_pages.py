"""Building products and reading product pages, for the product page tests."""

import io
import json
import re
import uuid
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.test.factories import create_stockrecord
from PIL import Image

from catalogue.models import (
    Category,
    Product,
    ProductAttributeValue,
    ProductCategory,
    ProductClass,
)
from tests.factories import category_create

QUERY_BUDGET = 12


PAGE_WEIGHT_BUDGET = 150_000


SIZES = ("XS", "S", "M", "L", "XL")


COLOURS = ("Navy", "Oat")


# --- Building products ------------------------------------------------------


def parent_create(
    product_class: ProductClass,
    *,
    variants: list[tuple[str, str, str, int]],
    upc: str = "JUMPER",
) -> Product:
    """A jumper with one variant per (size, colour, price, stock)."""
    parent = Product.objects.create(
        structure=Product.PARENT,
        title="Harbour merino jumper",
        upc=upc,
        product_class=product_class,
        description="<p>Soft merino, knitted in Scotland.</p>",
    )
    material = product_class.attributes.get(code="material")
    ProductAttributeValue.objects.create(
        product=parent, attribute=material, value_text="merino"
    )
    knitwear = Category.objects.filter(name="Knitwear").first()
    if knitwear is None:
        knitwear = category_create(name="Knitwear", parent=category_create(name="Wear"))
    ProductCategory.objects.create(product=parent, category=knitwear)
    for size, colour, price, stock in variants:
        child = Product.objects.create(
            structure=Product.CHILD,
            parent=parent,
            title=f"Harbour merino jumper {size} {colour}",
            upc=f"{upc}-{size}-{colour}",
        )
        for code, label in (("size", size), ("colour", colour)):
            attribute = product_class.attributes.get(code=code)
            ProductAttributeValue.objects.create(
                product=child,
                attribute=attribute,
                value_option=attribute.option_group.options.get(option=label),
            )
        create_stockrecord(
            child, price=Decimal(price), num_in_stock=stock, partner_name="Warehouse"
        )
    return parent


def child_of(parent: Product, size: str, colour: str) -> Product:
    return parent.children.get(upc=f"JUMPER-{size}-{colour}")


def image_add(product: Product, *, colour: str = "#1f5f4a", caption: str = "") -> None:
    """A JPEG under a new name: sorl remembers thumbnails by name in the cache,
    which outlives each test's media folder."""
    buffer = io.BytesIO()
    Image.new("RGB", (800, 800), colour).save(buffer, format="JPEG")
    product.images.create(
        original=SimpleUploadedFile(f"{uuid.uuid4().hex}.jpg", buffer.getvalue()),
        caption=caption,
        display_order=product.images.count(),
    )


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def structured_data(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def meta(html: str, prop: str) -> str:
    match = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', html)
    assert match, f"no {prop} meta tag"
    return match.group(1)


def hidden_child_id(html: str) -> str | None:
    match = re.search(r'name="child_id" value="(\d+)"', html)
    return match.group(1) if match else None


# --- A standalone product ---------------------------------------------------
