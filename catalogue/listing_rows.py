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
    ProductListing,
    ProductListingCategory,
    ProductListingFacet,
)

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


@dataclass(frozen=True)
class _Offer:
    price: Decimal | None
    currency: str
    available: bool
    low: bool


def listing_rows_build(
    *, products: list[Product], categories: dict[str, tuple[int, str]]
) -> ListingRows:
    """Rows for `products` (browsable ones, with their relations prefetched)."""
    strategy = Selector().strategy()
    thumbnails: dict[str, str] = {}
    rows = ListingRows()
    for product in products:
        offers = _offers(product, strategy)
        facets = _facet_values(product)
        category_ids, category_names = _categories(product, categories)
        keywords = " ".join(
            [product.product_class.name if product.product_class else ""]
            + category_names
            + sorted({value for _, value in facets})
            + _text_attribute_values(product)
        )
        listing = ProductListing(
            product_id=product.pk,
            title=product.get_title(),
            url=product.get_absolute_url(),
            product_type=product.product_class.name if product.product_class else "",
            description=strip_tags(product.description or "")[:5000],
            keywords=keywords[:5000],
            date_created=product.date_created,
            image_url=_thumbnail_url(product, thumbnails),
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


def _offers(product: Product, strategy) -> list[_Offer]:
    items = [product] if not product.is_parent else list(product.children.all())
    offers = []
    for item in items:
        if not item.is_public:
            continue
        info = strategy.fetch_for_product(item)
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


def _facet_values(product: Product) -> set[tuple[str, str]]:
    wanted = set(settings.SHOP_LISTING_FACETS)
    items = [product, *product.children.all()] if product.is_parent else [product]
    values = set()
    for item in items:
        for attribute_value in item.attribute_values.all():
            code = attribute_value.attribute.code
            if code not in wanted:
                continue
            value = attribute_value.value_as_text
            if value:
                values.add((code, str(value).strip()))
    return values


def _text_attribute_values(product: Product) -> list[str]:
    return [
        str(value.value_as_text)
        for value in product.attribute_values.all()
        if value.attribute.type in ("text", "option") and value.value_as_text
    ]


def _categories(
    product: Product, categories: dict[str, tuple[int, str]]
) -> tuple[set[int], list[str]]:
    ids, names = set(), []
    for category in product.categories.all():
        path = category.path
        for end in range(CATEGORY_STEPLEN, len(path) + 1, CATEGORY_STEPLEN):
            ancestor = categories.get(path[:end])
            if ancestor and ancestor[0] not in ids:
                ids.add(ancestor[0])
                names.append(ancestor[1])
    return ids, names


def _thumbnail_url(product: Product, memo: dict[str, str]) -> str:
    images = sorted(product.images.all(), key=lambda image: image.display_order)
    if not images:
        return ""
    name = images[0].original.name
    if name not in memo:
        try:
            thumbnail = get_thumbnailer().generate_thumbnail(
                images[0].original, size="400x400", crop="center", upscale=False
            )
            memo[name] = thumbnail.url
        except Exception:  # noqa: BLE001 - a broken image must not stop the listing
            memo[name] = images[0].original.url
    return memo[name]
