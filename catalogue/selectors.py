"""Reads of the catalogue for the storefront listings.

The listings read the database directly (Oscar's haystack views need a search
index, and its "simple" backend lists nothing). Prices for sorting come from the
stock records, the same rows the partner Strategy prices from.
"""

from django.db.models import Min, Q, QuerySet
from django.db.models.functions import Coalesce

from catalogue.models import Category, Product

SORTS = {
    "relevance": ("-date_created", "-pk"),
    "newest": ("-date_created", "-pk"),
    "price-asc": ("sort_price", "pk"),
    "price-desc": ("-sort_price", "-pk"),
    "title-asc": ("title", "pk"),
}
SORT_LABELS = {
    "relevance": "Relevance",
    "newest": "Newest",
    "price-asc": "Price: low to high",
    "price-desc": "Price: high to low",
    "title-asc": "Name: A to Z",
}
MAX_QUERY_LENGTH = 200


def products_browsable() -> QuerySet[Product]:
    """Public products a shopper can open: standalone ones and variant parents."""
    return (
        Product.objects.browsable()
        .select_related("product_class")
        .prefetch_related("images", "stockrecords", "children__stockrecords")
    )


def products_sorted(*, queryset: QuerySet[Product], sort: str) -> QuerySet[Product]:
    order = SORTS.get(sort, SORTS["relevance"])
    if any("sort_price" in field for field in order):
        queryset = queryset.annotate(
            sort_price=Coalesce(
                Min("stockrecords__price"), Min("children__stockrecords__price")
            )
        )
    return queryset.order_by(*order)


def products_in_category(*, category: Category) -> QuerySet[Product]:
    categories = category.get_descendants_and_self()
    ids = Product.objects.filter(categories__in=categories).values("pk")
    return products_browsable().filter(pk__in=ids)


def products_matching(*, query: str) -> QuerySet[Product]:
    """Products whose title, UPC or description contains every word of `query`."""
    words = query[:MAX_QUERY_LENGTH].split()
    queryset = products_browsable()
    if not words:
        return queryset.none()
    for word in words[:10]:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(upc__iexact=word)
            | Q(description__icontains=word)
        )
    return queryset


def products_newest(*, limit: int) -> list[Product]:
    return list(products_browsable().order_by("-date_created", "-pk")[:limit])


def categories_featured(*, limit: int) -> list[Category]:
    return list(Category.get_root_nodes().filter(is_public=True)[:limit])
