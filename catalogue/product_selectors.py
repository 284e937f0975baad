"""Reads for the product page.

`product_for_page` loads a product with everything its page shows in a fixed number
of queries, however many variants it has. The offers turn what the partner Strategy
(`request.strategy`) says about the product or its variants into what the page
shows: which price, which stock message. Nothing here computes a price or decides
availability; the Strategy does. Choosing a variant is `catalogue.product_variants`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from oscar.core.loading import get_model
from oscar.core.thumbnails import get_thumbnailer

from catalogue.cache import product_stamps
from catalogue.models import (
    Category,
    Option,
    Product,
    ProductAttributeValue,
    ProductCategory,
)

ProductAlert = get_model("customer", "ProductAlert")
BASKET_LINE_PRODUCT_KEY = "catalogue:basket-line-product:{pk}:{version}:{stamp}"
ProductReview = get_model("reviews", "ProductReview")

IN_STOCK, LOW, OUT = "in_stock", "low", "out"  # the listing's stock statuses
MAIN_IMAGE_SIZE = "600x600"
THUMBNAIL_SIZE = "96x96"


# --- Loading ----------------------------------------------------------------


def product_for_page(*, pk: int) -> Product:
    """The product with its images, attribute values (with attribute and option),
    stock records, public variants with theirs, first public category path and
    number of approved reviews: six queries for a parent, four for a standalone
    product, whatever the number of variants; one for a variant (its page redirects
    to its parent's). Raises Product.DoesNotExist."""
    product = _products_annotated().get(pk=pk)
    if product.is_child:
        return product
    values = ProductAttributeValue.objects.select_related(
        "attribute", "value_option"
    ).order_by("attribute_id")
    lookups = [
        "images",
        Prefetch(
            "attribute_values", queryset=values, to_attr="_prefetched_attribute_values"
        ),
    ]
    if product.is_parent:
        lookups += [
            Prefetch(
                "children",
                queryset=Product.objects.public().order_by("pk"),
                to_attr="_prefetched_public_children",
            ),
            "_prefetched_public_children__stockrecords",
            Prefetch(
                "_prefetched_public_children__attribute_values",
                queryset=values,
                to_attr="_prefetched_attribute_values",
            ),
        ]
    else:
        lookups.append("stockrecords")
    prefetch_related_objects([product], *lookups)
    # Oscar's Product.get_attribute_values() on a variant merges in its parent's
    # values from this attribute; they are the ones just loaded.
    product._prefetched_parent_attribute_values = product._prefetched_attribute_values
    product.num_approved_reviews = product.approved_review_count
    return product


def _products_annotated() -> QuerySet[Product]:
    first_category = (
        ProductCategory.objects.filter(
            product=OuterRef("pk"),
            category__is_public=True,
            category__ancestors_are_public=True,
        )
        .order_by("pk")
        .values("category__path")[:1]
    )
    approved_reviews = (
        ProductReview.objects.filter(
            product=OuterRef("pk"), status=ProductReview.APPROVED
        )
        .order_by()
        .values("product")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return _with_option_flags(
        Product.objects.select_related("product_class", "parent")
    ).annotate(
        category_path=Subquery(first_category),
        approved_review_count=Coalesce(
            Subquery(approved_reviews, output_field=IntegerField()), 0
        ),
    )


def _with_option_flags(products: QuerySet[Product]) -> QuerySet[Product]:
    """Annotated for Product.has_options, which Oscar's basket form asks."""
    return products.annotate(
        has_product_class_options=Exists(
            Option.objects.filter(productclass=OuterRef("product_class"))
        ),
        has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
    )


def product_for_basket(*, pk: int) -> Product:
    """The product an addition names (a parent when a variant is chosen), read
    as a basket line's (`products_for_basket_lines`), so the line it is added
    as takes it as it is. Raises Product.DoesNotExist.

    While the product stays as it was, an addition reads it from the cache.
    """
    product = products_for_basket_lines([pk]).get(pk)
    if product is None:
        raise Product.DoesNotExist(f"No product {pk}")
    return product


def products_for_basket_lines(ids, *, fresh: bool = False) -> dict[int, Product]:
    """The products of basket lines, by id, with what the basket page, the
    Strategy and the offers read from them: product class, parent (with its
    class and images), images, stock records with their partner, and the
    option flags. Each is marked `read_for_basket_line`.

    Each is kept in the cache under its stamp, which a change to the product,
    its stock records or images, or its parent (whose title and images show on
    its variants' lines) renews (`catalogue.receivers`). So pricing a basket
    reads its products in two cache round trips while they stay as they were,
    and only the missing ones from the database. `fresh` reads them all from
    the database, as the checkout does. Stock allocation reads the stock
    records afresh under lock either way.
    """
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    if fresh:
        return _basket_line_products_read(ids)
    version, stamps = product_stamps(ids)
    keys = {
        pk: BASKET_LINE_PRODUCT_KEY.format(pk=pk, version=version, stamp=stamps[pk])
        for pk in ids
    }
    found = cache.get_many(keys.values())
    products = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in ids if pk not in products]
    if missing:
        loaded = _basket_line_products_read(missing)
        cache.set_many(
            {keys[pk]: product for pk, product in loaded.items()},
            settings.SHOP_PAGE_CACHE_SECONDS,
        )
        products.update(loaded)
    return products


def _basket_line_products_read(ids: list[int]) -> dict[int, Product]:
    products = {
        product.pk: product
        for product in _with_option_flags(
            Product.objects.select_related("product_class", "parent__product_class")
        )
        .prefetch_related("images", "stockrecords__partner", "parent__images")
        .filter(pk__in=ids)
    }
    for product in products.values():
        product.read_for_basket_line = True
    return products


def product_breadcrumbs(*, product: Product) -> list[Category]:
    """The product's first public category and its ancestors, root first."""
    path = product.category_path
    if not path:
        return []
    steplen = Category.steplen
    prefixes = [path[:end] for end in range(steplen, len(path) + 1, steplen)]
    return list(Category.objects.filter(path__in=prefixes).order_by("depth"))


def product_alert_active(*, product: Product, user) -> bool:
    """Whether a signed-in shopper already waits for this product to be back."""
    if not user.is_authenticated:
        return False
    return ProductAlert.objects.filter(
        product=product, user=user, status=ProductAlert.ACTIVE
    ).exists()


# --- Images -----------------------------------------------------------------


@dataclass(frozen=True)
class GalleryImage:
    url: str
    width: int
    height: int
    thumbnail_url: str
    alt: str


def product_gallery(*, product: Product) -> list[GalleryImage]:
    """The product's images, scaled by Oscar's thumbnailer (sorl, remembered in its
    key-value store), main size and thumbnail size. A picture whose file is broken
    or missing is left out."""
    thumbnailer = get_thumbnailer()
    scaled = []
    for image in product.images.all():
        try:
            main = thumbnailer.generate_thumbnail(
                image.original, size=MAIN_IMAGE_SIZE, upscale=False
            )
            thumbnail = thumbnailer.generate_thumbnail(
                image.original, size=THUMBNAIL_SIZE, crop="center"
            )
        except Exception:  # noqa: BLE001 - a broken file must not break the page
            continue
        if main.size and thumbnail.size:  # sorl gives no size for a missing file
            scaled.append((image, main, thumbnail))
    gallery = []
    for number, (image, main, thumbnail) in enumerate(scaled, start=1):
        caption = image.caption or product.get_title()
        alt = caption if len(scaled) == 1 else f"{caption} ({number}/{len(scaled)})"
        gallery.append(
            GalleryImage(
                url=main.url,
                width=main.width,
                height=main.height,
                thumbnail_url=thumbnail.url,
                alt=alt,
            )
        )
    return gallery


# --- What the Strategy says -------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """What the partner Strategy says about buying one product."""

    product: Product
    amount: Decimal | None  # what the shopper pays; None when it has no price
    currency: str
    is_available: bool
    stock_status: str  # IN_STOCK, LOW or OUT
    stock_message: str


@dataclass(frozen=True)
class PriceRange:
    """A parent's prices and availability before a variant is chosen."""

    low: Decimal | None
    high: Decimal | None
    currency: str
    is_available: bool
    offer_count: int
    stock_status: str
    stock_message: str


def offer_for_product(*, product: Product, strategy) -> Offer:
    info = strategy.fetch_for_product(product)
    price, availability = info.price, info.availability
    amount = None
    if price.exists:
        amount = price.incl_tax if price.is_tax_known else price.excl_tax
    is_available = amount is not None and availability.is_available_to_buy
    if amount is None:
        status, message = OUT, _("Unavailable")
    elif not is_available:
        status, message = OUT, _("Out of stock")
    else:
        status, message = _stock_level(availability, info.stockrecord)
    return Offer(
        product=product,
        amount=amount,
        currency=price.currency or "",
        is_available=is_available,
        stock_status=status,
        stock_message=message,
    )


def _stock_level(availability, stockrecord) -> tuple[str, str]:
    left = getattr(availability, "num_available", None)
    if left is None or stockrecord is None:
        return IN_STOCK, _("In stock")
    threshold = stockrecord.low_stock_threshold
    if threshold is None:
        threshold = settings.SHOP_LOW_STOCK_THRESHOLD
    if left <= threshold:
        return LOW, ngettext("Only %(n)d left", "Only %(n)d left", left) % {"n": left}
    return IN_STOCK, _("In stock")


def offers_for_variants(*, product: Product, strategy) -> list[Offer]:
    return [
        offer_for_product(product=child, strategy=strategy)
        for child in product.get_public_children()
    ]


def price_range_for_parent(
    *, product: Product, offers: Sequence[Offer], strategy
) -> PriceRange:
    """The lowest and highest price of the variants one can buy (of all, when none
    can be bought), and the parent's availability as the Strategy has it."""
    is_available = strategy.fetch_for_parent(product).availability.is_available_to_buy
    candidates = [offer for offer in offers if offer.is_available] or list(offers)
    priced = [offer for offer in candidates if offer.amount is not None]
    amounts = [offer.amount for offer in priced]
    return PriceRange(
        low=min(amounts) if amounts else None,
        high=max(amounts) if amounts else None,
        currency=priced[0].currency if priced else "",
        is_available=is_available,
        offer_count=len(offers),
        stock_status=IN_STOCK if is_available else OUT,
        stock_message=_("In stock") if is_available else _("Out of stock"),
    )
