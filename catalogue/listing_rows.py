"""Building listing rows from products: prices and stock from the partner Strategy,
facet values from attributes, the image thumbnail, the search vocabulary."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.html import strip_tags
from oscar.core.loading import get_class
from oscar.core.thumbnails import get_thumbnailer

from catalogue.models import (
    Product,
    ProductAttributeValue,
    ProductCategory,
    ProductImage,
    ProductListing,
    ProductListingCategory,
    ProductListingFacet,
)
from partner.models import StockRecord

Selector = get_class("partner.strategy", "Selector")

WORD = re.compile(r"[^\W\d_]{3,30}")
CATEGORY_STEPLEN = 4
Status = ProductListing.StockStatus


@dataclass
class ListingRows:
    listings: list[ProductListing] = field(default_factory=list)
    categories: list[ProductListingCategory] = field(default_factory=list)
    facets: list[ProductListingFacet] = field(default_factory=list)
    words: set[str] = field(default_factory=set)


@dataclass
class ListingSource:
    """Browsable products and what their rows need, grouped by product id.

    Loaded with plain queries rather than prefetch_related, whose per-instance
    querysets cost more than the rest of the rebuild together.
    """

    products: list[Product]
    children: dict[int, list[Product]]
    stockrecords: dict[int, list[StockRecord]]
    values: dict[int, list[ProductAttributeValue]]
    images: dict[int, object]  # the first image's file
    category_paths: dict[int, list[str]]


def listing_source_load(*, ids: set[int]) -> ListingSource:
    products = list(
        Product.objects.filter(pk__in=ids, parent__isnull=True, is_public=True)
        .select_related("product_class")
        .order_by()
    )
    browsable = [product.pk for product in products]
    by_pk = {product.pk: product for product in products}
    children = list(
        Product.objects.filter(parent_id__in=browsable, is_public=True).order_by("pk")
    )
    for child in children:
        child.parent = by_pk[child.parent_id]  # the Strategy reads the parent's type
    every_id = browsable + [child.pk for child in children]
    return ListingSource(
        products=products,
        children=_grouped(children, "parent_id"),
        stockrecords=_grouped(
            StockRecord.objects.filter(product_id__in=every_id).order_by("pk"),
            "product_id",
        ),
        values=_grouped(
            ProductAttributeValue.objects.filter(product_id__in=every_id)
            .select_related("attribute", "value_option")
            .order_by("pk"),
            "product_id",
        ),
        images={
            image.product_id: image.original
            for image in ProductImage.objects.filter(product_id__in=browsable)
            .only("product_id", "original", "display_order")
            .order_by("product_id", "-display_order", "-pk")
        },
        category_paths=_grouped_values(
            ProductCategory.objects.filter(product_id__in=browsable).values_list(
                "product_id", "category__path"
            )
        ),
    )


def _grouped(rows, key: str) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def _grouped_values(pairs) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


@dataclass(frozen=True)
class _Offer:
    price: Decimal | None
    currency: str
    available: bool
    low: bool


def listing_rows_build(
    *, source: ListingSource, categories: dict[str, tuple[int, str]]
) -> ListingRows:
    """Rows for the browsable products of `source`."""
    strategy = Selector().strategy()
    thumbnails: dict[str, str] = {}
    rows = ListingRows()
    for product in source.products:
        offers = _offers(product, source, strategy)
        facets = _facet_values(product, source)
        category_ids, category_names = _categories(
            source.category_paths.get(product.pk, []), categories
        )
        keywords = " ".join(
            [product.product_class.name if product.product_class else ""]
            + category_names
            + sorted({value for _, value in facets})
            + _text_attribute_values(source.values.get(product.pk, []))
        )
        listing = ProductListing(
            product_id=product.pk,
            title=product.get_title(),
            url=product.get_absolute_url(),
            product_type=product.product_class.name if product.product_class else "",
            description=strip_tags(product.description or "")[:5000],
            keywords=keywords[:5000],
            date_created=product.date_created,
            image_url=_thumbnail_url(source.images.get(product.pk), thumbnails),
            **_price_and_stock(offers),
        )
        rows.listings.append(listing)
        rows.categories += [
            ProductListingCategory(listing_id=product.pk, category_id=category_id)
            for category_id in category_ids
        ]
        rows.facets += [
            ProductListingFacet(listing_id=product.pk, key=key, value=value[:128])
            for key, value in sorted(facets)
        ]
        rows.words |= {
            word.lower() for word in WORD.findall(f"{listing.title} {keywords}")
        }
    return rows


def _offers(product: Product, source: ListingSource, strategy) -> list[_Offer]:
    items = source.children.get(product.pk, []) if product.is_parent else [product]
    offers = []
    for item in items:
        records = source.stockrecords.get(item.pk, [])
        # The first stock record, as Oscar's UseFirstStockRecord chooses.
        info = strategy.fetch_for_product(
            item, stockrecord=records[0] if records else None
        )
        price = info.price
        amount = None
        if price.exists:
            amount = price.incl_tax if price.is_tax_known else price.excl_tax
        available = info.availability.is_available_to_buy
        record = info.stockrecord
        low = bool(
            available
            and record is not None
            and record.net_stock_level <= _low_threshold(record)
        )
        offers.append(_Offer(amount, price.currency or "", available, low))
    return offers


def _low_threshold(record) -> int:
    if record.low_stock_threshold is not None:
        return record.low_stock_threshold
    return settings.SHOP_LOW_STOCK_THRESHOLD


def _price_and_stock(offers: list[_Offer]) -> dict:
    available = [offer for offer in offers if offer.available]
    priced = [offer for offer in (available or offers) if offer.price is not None]
    prices = {offer.price for offer in priced}
    if not available:
        status = Status.OUT
    elif all(offer.low for offer in available):
        status = Status.LOW
    else:
        status = Status.IN_STOCK
    return {
        "price": min(prices) if prices else None,
        "currency": priced[0].currency if priced else "",
        "price_varies": len(prices) > 1,
        "is_available": bool(available),
        "stock_status": status,
    }


def _facet_values(product: Product, source: ListingSource) -> set[tuple[str, str]]:
    wanted = set(settings.SHOP_LISTING_FACETS)
    items = [product, *source.children.get(product.pk, [])]
    values = set()
    for item in items:
        for attribute_value in source.values.get(item.pk, []):
            code = attribute_value.attribute.code
            if code not in wanted:
                continue
            value = attribute_value.value_as_text
            if value:
                values.add((code, str(value).strip()))
    return values


def _text_attribute_values(values: list[ProductAttributeValue]) -> list[str]:
    return [
        str(value.value_as_text)
        for value in values
        if value.attribute.type in ("text", "option") and value.value_as_text
    ]


def _categories(
    paths: list[str], categories: dict[str, tuple[int, str]]
) -> tuple[set[int], list[str]]:
    ids, names = set(), []
    for path in paths:
        for end in range(CATEGORY_STEPLEN, len(path) + 1, CATEGORY_STEPLEN):
            ancestor = categories.get(path[:end])
            if ancestor and ancestor[0] not in ids:
                ids.add(ancestor[0])
                names.append(ancestor[1])
    return ids, names


def _thumbnail_url(original, memo: dict[str, str]) -> str:
    if not original:
        return ""
    name = original.name
    if name not in memo:
        try:
            thumbnail = get_thumbnailer().generate_thumbnail(
                original, size="400x400", crop="center", upscale=False
            )
            memo[name] = thumbnail.url
        except Exception:  # noqa: BLE001 - a broken image must not stop the listing
            memo[name] = original.url
    return memo[name]
