"""Writes of the catalogue: keeping the denormalised listing in step with products.

`listing_refresh` rebuilds the listing rows of some products (a save in the
dashboard, a stock change); `listing_rebuild` rebuilds them all in chunks (after a
bulk import such as `seed_demo`). Both are idempotent.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Q

from catalogue.cache import catalogue_version_bump
from catalogue.listing_rows import ListingRows, listing_rows_build, listing_source_load
from catalogue.models import (
    Category,
    Product,
    ProductListing,
    ProductListingCategory,
    ProductListingFacet,
    SearchWord,
)

CHUNK = 1000
VISIBLE_FIELDS = (
    "product_id",
    "title",
    "url",
    "product_type",
    "description",
    "keywords",
    "price",
    "currency",
    "price_varies",
    "stock_status",
    "is_available",
    "image_url",
    "popularity",
)


def listing_refresh(*, product_ids: Iterable[int]) -> int:
    """Rebuild the listing rows of these products (variants count as their parent).

    Returns the number of rows written; products that are no longer browsable lose
    their row.
    """
    ids = set(product_ids)
    if not ids:
        return 0
    ids |= set(
        Product.objects.filter(pk__in=ids, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    before = _visible_state(ids)
    written = _refresh_chunk(ids=ids, categories=_category_paths())
    if _visible_state(ids) != before:
        # Only a change a shopper can see invalidates cached listings: a sale that
        # takes stock from 40 to 39 does not, one that sells the last unit does.
        transaction.on_commit(catalogue_version_bump)
    return written


def listing_rebuild() -> int:
    """Rebuild every listing row and drop rows of products gone or hidden."""
    categories = _category_paths()
    ids = list(
        Product.objects.filter(parent__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    written = 0
    for start in range(0, len(ids), CHUNK):
        written += _refresh_chunk(
            ids=set(ids[start : start + CHUNK]), categories=categories
        )
    ProductListing.objects.exclude(
        Q(product__parent__isnull=True) & Q(product__is_public=True)
    ).delete()
    listing_statistics_update()
    transaction.on_commit(catalogue_version_bump)
    return written


def _visible_state(ids: set[int]) -> tuple:
    """What listings show of these products: their rows, facets and categories."""
    rows = ProductListing.objects.filter(pk__in=ids).order_by("pk")
    return (
        list(rows.values_list(*VISIBLE_FIELDS)),
        sorted(
            ProductListingFacet.objects.filter(listing_id__in=ids).values_list(
                "listing_id", "key", "value"
            )
        ),
        sorted(
            ProductListingCategory.objects.filter(listing_id__in=ids).values_list(
                "listing_id", "category_id"
            )
        ),
    )


def listing_statistics_update() -> None:
    """Fresh planner statistics after a bulk rebuild, so facet counts stay fast."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in (
            "catalogue_productlisting",
            "catalogue_productlistingfacet",
            "catalogue_productlistingcategory",
        ):
            cursor.execute(f"ANALYZE {table}")


def _category_paths() -> dict[str, tuple[int, str]]:
    """Every category by its tree path: (id, name); ancestors are path prefixes."""
    return {
        path: (pk, name)
        for pk, path, name in Category.objects.values_list("pk", "path", "name")
    }


def _refresh_chunk(*, ids: set[int], categories: dict[str, tuple[int, str]]) -> int:
    rows = listing_rows_build(
        source=listing_source_load(ids=ids), categories=categories
    )
    with transaction.atomic():
        ProductListing.objects.filter(pk__in=ids).exclude(
            pk__in=[row.product_id for row in rows.listings]
        ).delete()
        _rows_save(rows)
    return len(rows.listings)


def _rows_save(rows: ListingRows) -> None:
    ids = [row.product_id for row in rows.listings]
    ProductListing.objects.bulk_create(
        rows.listings,
        update_conflicts=True,
        unique_fields=["product"],
        update_fields=[
            field.name
            for field in ProductListing._meta.concrete_fields
            if field.name not in ("product", "search_vector")
        ],
        batch_size=500,
    )
    ProductListingCategory.objects.filter(listing_id__in=ids).delete()
    ProductListingCategory.objects.bulk_create(rows.categories, batch_size=2000)
    ProductListingFacet.objects.filter(listing_id__in=ids).delete()
    ProductListingFacet.objects.bulk_create(rows.facets, batch_size=2000)
    SearchWord.objects.bulk_create(
        [SearchWord(word=word) for word in sorted(rows.words)],
        ignore_conflicts=True,
        batch_size=2000,
    )
    if connection.vendor == "postgresql" and ids:
        _search_vectors_update(ids)


def _search_vectors_update(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE catalogue_productlisting SET search_vector =
                setweight(to_tsvector('english', title), 'A')
                || setweight(to_tsvector('english', keywords), 'B')
                || setweight(to_tsvector('english', description), 'C')
            WHERE product_id = ANY(%s)
            """,
            [ids],
        )
