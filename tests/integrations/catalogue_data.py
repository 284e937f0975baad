"""Products with pictures and variants, for the feed tests."""

import io
import uuid
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.test.factories import create_stockrecord
from PIL import Image

from catalogue.models import (
    Product,
    ProductAttribute,
    ProductAttributeValue,
    ProductClass,
    ProductImage,
)
from tests.factories import product_in_stock


def picture_add(product: Product) -> ProductImage:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 120), (31, 95, 74)).save(buffer, format="PNG")
    upload = SimpleUploadedFile(
        f"{uuid.uuid4().hex[:8]}.png", buffer.getvalue(), content_type="image/png"
    )
    return ProductImage.objects.create(product=product, original=upload)


def pictured_product(*, title: str, price: str = "12.50", **kwargs) -> Product:
    """A standalone product in stock with one picture."""
    product = product_in_stock(title=title, price=price, **kwargs)
    picture_add(product)
    return product


def jumper_with_sizes(
    *, sizes: dict[str, tuple[str, int]], brand: str = "Harbour Knits"
) -> Product:
    """A pictured parent with one variant per size: {size: (price, stock)}."""
    clothing, _ = ProductClass.objects.get_or_create(
        name="Clothing", defaults={"track_stock": True}
    )
    size_attribute, _ = ProductAttribute.objects.get_or_create(
        product_class=clothing,
        code="size",
        defaults={"name": "Size", "type": ProductAttribute.TEXT},
    )
    brand_attribute, _ = ProductAttribute.objects.get_or_create(
        product_class=clothing,
        code="brand",
        defaults={"name": "Brand", "type": ProductAttribute.TEXT},
    )
    parent = Product.objects.create(
        structure=Product.PARENT,
        title="Harbour merino jumper",
        product_class=clothing,
        description="<p>Soft merino &amp; knitted in Scotland.</p>",
    )
    ProductAttributeValue.objects.create(
        product=parent, attribute=brand_attribute, value_text=brand
    )
    picture_add(parent)
    for size, (price, stock) in sizes.items():
        child = Product.objects.create(
            structure=Product.CHILD, parent=parent, title=f"Harbour jumper {size}"
        )
        ProductAttributeValue.objects.create(
            product=child, attribute=size_attribute, value_text=size
        )
        create_stockrecord(
            child, price=Decimal(price), num_in_stock=stock, partner_name="Warehouse"
        )
    return parent
