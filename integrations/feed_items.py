"""What the channel feeds list: one item per product a shopper can buy on its own
(standalone products and the public variants of parents; a parent is the group
its variants share, not an item), with its price and availability as the partner
Strategy gives them.

Products are read in chunks of `CHUNK_SIZE`, each in a fixed number of queries
(the products, then their images, stock records, attribute values and variants
with theirs), so generating a feed costs the same few queries per chunk whatever
a product holds, and memory stays bounded for a large catalogue.
"""

import html
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.html import strip_tags
from oscar.core.loading import get_class

from catalogue.models import Product, ProductAttributeValue
from catalogue.product_selectors import offer_for_product
from catalogue.product_variants import variant_params

Selector = get_class("partner.strategy", "Selector")
logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
TITLE_MAX, DESCRIPTION_MAX = 150, 5000  # Google's and Meta's limits
GTIN_LENGTHS = {8, 12, 13, 14}
SPACES = re.compile(r"\s+")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class FeedItem:
    id: str
    title: str
    description: str
    link: str  # absolute
    image_link: str  # absolute
    amount: Decimal
    currency: str
    is_available: bool
    brand: str
    gtin: str  # "" when not known
    mpn: str  # "" when not known
    item_group_id: str  # the parent's id for a variant, else ""

    @property
    def price(self) -> str:
        """As both channels write it: "12.50 GBP"."""
        return f"{self.amount.quantize(CENT)} {self.currency}"


def feed_items_iterate(*, chunk_size: int = CHUNK_SIZE) -> Iterator[FeedItem]:
    """Every item the channels may list, in product id order. A product with no
    price from the Strategy or no picture is left out: both channels refuse an
    item without them (and forbid placeholder pictures)."""
    strategy = Selector().strategy()
    base_url = settings.SHOP_BASE_URL.rstrip("/")
    left_out = 0
    after = 0
    while True:
        products = _chunk_load(after=after, size=chunk_size)
        if not products:
            break
        after = products[-1].pk
        for product in products:
            for item in _items(product, strategy=strategy, base_url=base_url):
                if item is None:
                    left_out += 1
                else:
                    yield item
    if left_out:
        logger.info("Feeds leave out %d products without a price or picture", left_out)


def _chunk_load(*, after: int, size: int) -> list[Product]:
    products = list(
        Product.objects.browsable()
        .filter(pk__gt=after)
        .select_related("product_class")
        .order_by("pk")[:size]
    )
    values = ProductAttributeValue.objects.select_related(
        "attribute", "value_option"
    ).order_by("attribute_id")
    prefetch_related_objects(
        products,
        "images",
        "stockrecords",
        Prefetch(
            "attribute_values", queryset=values, to_attr="_prefetched_attribute_values"
        ),
        Prefetch(
            "children",
            queryset=Product.objects.public().order_by("pk"),
            to_attr="_prefetched_public_children",
        ),
        "_prefetched_public_children__images",
        "_prefetched_public_children__stockrecords",
        Prefetch(
            "_prefetched_public_children__attribute_values",
            queryset=values,
            to_attr="_prefetched_attribute_values",
        ),
    )
    for product in products:
        # A variant's attribute values merge in its parent's (Oscar's
        # Product.get_attribute_values reads them from this attribute).
        product._prefetched_parent_attribute_values = (
            product._prefetched_attribute_values
        )
    return products


def _items(product: Product, *, strategy, base_url: str) -> Iterator[FeedItem | None]:
    if not product.is_parent:
        link = base_url + product.get_absolute_url()
        yield _item(product, strategy=strategy, base_url=base_url, link=link)
        return
    parent_url = base_url + product.get_absolute_url()
    for child in product.get_public_children():
        params = variant_params(product=product, child_id=child.pk)
        link = f"{parent_url}?{urlencode(params)}" if params else parent_url
        yield _item(child, strategy=strategy, base_url=base_url, link=link)


def _item(product: Product, *, strategy, base_url: str, link: str) -> FeedItem | None:
    offer = offer_for_product(product=product, strategy=strategy)
    image = _first_image(product)
    if offer.amount is None or not offer.currency or image is None:
        return None
    values = {
        value.attribute.code: value.value_as_text
        for value in product.get_attribute_values()
    }
    upc = (product.upc or "").strip()
    gtin = str(values.get("gtin") or "").strip()
    if not gtin and upc.isdigit() and len(upc) in GTIN_LENGTHS:
        gtin = upc
    parent = product.parent if product.is_child else None
    description = _plain(product.description) or (
        _plain(parent.description) if parent else ""
    )
    title = SPACES.sub(" ", product.get_title() or "").strip()  # plain text already
    return FeedItem(
        id=str(product.pk),
        title=title[:TITLE_MAX],
        description=(description or title)[:DESCRIPTION_MAX],
        link=link,
        image_link=_absolute(image.original.url, base_url),
        amount=offer.amount,
        currency=offer.currency,
        is_available=offer.is_available,
        # Goods with no maker's brand are sold under the shop's own label.
        brand=str(values.get("brand") or "").strip() or settings.OSCAR_SHOP_NAME,
        gtin=gtin,
        mpn=str(values.get("mpn") or "").strip(),
        item_group_id=str(parent.pk) if parent else "",
    )


def _first_image(product: Product):
    """The product's first picture, else (for a variant) its parent's."""
    images = list(product.images.all())
    if not images and product.is_child:
        images = list(product.parent.images.all())
    return images[0] if images else None


def _plain(text: str | None) -> str:
    """Descriptions are HTML; the channels take plain text."""
    return SPACES.sub(" ", html.unescape(strip_tags(text or ""))).strip()


def _absolute(url: str, base_url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return base_url + url
