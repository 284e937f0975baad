"""Writing demo products and the rows that hang off them, in bulk.

`bulk_create` skips `Product.save()`, so every field it or `clean()` would fill in
is set here: structure, slug, product class (none for a variant), public and
discountable. Variants get the stock records; parents get none, as Oscar's
`_clean_parent` requires. Dates are filled in by the fields' auto_now(_add).
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db.models import Model
from oscar.core.loading import get_model
from oscar.core.utils import slugify

from catalogue.demo.data import CURRENCY
from catalogue.demo.generate import ProductSpec, VariantSpec
from catalogue.demo.images import demo_image_name
from catalogue.demo.structure import Structure
from catalogue.models import (
    Product,
    ProductAttributeValue,
    ProductCategory,
    ProductImage,
)

StockRecord = get_model("partner", "StockRecord")

BATCH_SIZE = 1000
LOW_STOCK_THRESHOLD = 5


@dataclass
class Written:
    """How many rows of each kind one write added."""

    browsable: int = 0
    variants: int = 0
    attribute_values: int = 0
    product_categories: int = 0
    stock_records: int = 0
    images: int = 0

    def __iadd__(self, other: "Written") -> "Written":
        for field in fields(self):
            name = field.name
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def products_write(*, specs: Sequence[ProductSpec], structure: Structure) -> Written:
    """Insert `specs`, none of which exist yet, with everything that hangs off them."""
    parents = _bulk_create(Product, [_browsable_row(spec, structure) for spec in specs])
    browsable = list(zip(specs, parents, strict=True))
    variants = [
        (spec, variant, _variant_row(variant, parent))
        for spec, parent in browsable
        for variant in spec.variants
    ]
    _bulk_create(Product, [row for _, _, row in variants])
    values = [
        *(
            value
            for spec, product in browsable
            for value in _values(structure, spec.department, spec.attributes, product)
        ),
        *(
            value
            for spec, variant, product in variants
            for value in _values(
                structure, spec.department, variant.attributes, product
            )
        ),
    ]
    categories = [
        ProductCategory(
            product_id=product.pk,
            category_id=structure.leaf_category_ids[(spec.department, spec.leaf)],
        )
        for spec, product in browsable
    ]
    stock_records = [
        *(
            _stock_row(structure, product, spec.price, spec.num_in_stock)
            for spec, product in browsable
            if not spec.variants
        ),
        *(
            _stock_row(structure, product, spec.price, variant.num_in_stock)
            for spec, variant, product in variants
        ),
    ]
    images = [
        ProductImage(
            product_id=product.pk,
            original=demo_image_name(department=spec.department, colour=spec.colour),
            caption=spec.title[:200],
            display_order=0,
        )
        for spec, product in browsable
    ]
    _bulk_create(ProductAttributeValue, values)
    _bulk_create(ProductCategory, categories)
    _bulk_create(StockRecord, stock_records)
    _bulk_create(ProductImage, images)
    return Written(
        browsable=len(browsable),
        variants=len(variants),
        attribute_values=len(values),
        product_categories=len(categories),
        stock_records=len(stock_records),
        images=len(images),
    )


def _browsable_row(spec: ProductSpec, structure: Structure) -> Product:
    return Product(
        structure=Product.PARENT if spec.variants else Product.STANDALONE,
        upc=spec.upc,
        title=spec.title,
        slug=slugify(spec.title),
        description=spec.description,
        product_class_id=structure.product_class_ids[spec.department],
        is_public=True,
        is_discountable=True,
    )


def _variant_row(variant: VariantSpec, parent: Product) -> Product:
    """A child: no product class and no categories, it takes its parent's."""
    return Product(
        structure=Product.CHILD,
        parent_id=parent.pk,
        upc=variant.upc,
        title=variant.title,
        slug=slugify(variant.title),
        product_class_id=None,
        is_public=True,
        is_discountable=True,
    )


def _values(
    structure: Structure,
    department: str,
    attributes: dict[str, object],
    product: Product,
) -> Iterator[ProductAttributeValue]:
    """Attribute values in the column Oscar reads for each attribute's type."""
    for code, value in attributes.items():
        attribute = structure.attributes[(department, code)]
        if attribute.type == attribute.OPTION:
            column = {
                "value_option_id": structure.option_ids[
                    (attribute.option_group_id, value)
                ]
            }
        else:
            column = {f"value_{attribute.type}": value}
        yield ProductAttributeValue(
            attribute_id=attribute.pk, product_id=product.pk, **column
        )


def _stock_row(
    structure: Structure, product: Product, price: Decimal, num_in_stock: int
) -> StockRecord:
    return StockRecord(
        product_id=product.pk,
        partner_id=structure.partner_id,
        partner_sku=product.upc,
        price_currency=CURRENCY,
        price=price,
        num_in_stock=num_in_stock,
        num_allocated=0,
        low_stock_threshold=LOW_STOCK_THRESHOLD,
    )


def _bulk_create(model: type[Model], rows: list[Model]) -> list[Model]:
    return model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
