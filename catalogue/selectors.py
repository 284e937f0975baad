"""Reads for the storefront listings: the category, catalogue and search pages, the
home page and search suggestions, all from the denormalised `ProductListing`, with
the site offers each card names."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from oscar.templatetags.currency_filters import currency

from catalogue.listing_query import PAGE_SIZE, PRICE_BANDS, ListingQuery
from catalogue.models import (
    Category,
    ProductAttribute,
    ProductListing,
    ProductListingCategory,
    ProductListingFacet,
)
from catalogue.search import listings_matching, search_tokens, tokens_corrected
from offer.selectors import offers_for_products

ORDERINGS = {
    "newest": ("-date_created", "-pk"),
    "price-asc": ("price", "pk"),
    "price-desc": ("-price", "-pk"),
    "title-asc": ("title", "pk"),
}
BROWSE_ORDER = ("-popularity", "-date_created", "-pk")
CARD_FIELDS = (
    "product_id",
    "title",
    "url",
    "price",
    "currency",
    "price_varies",
    "stock_status",
    "image_url",
    "product_type",
)
# Badges on a card, highest priority first: a card names an offer, its page
# names them all.
BADGES_PER_CARD = 2


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool
    params: str  # the listing's query string with this value toggled
    label: str = ""

    def __post_init__(self):
        self.label = self.label or self.value


@dataclass
class Facet:
    key: str
    label: str
    values: list[FacetValue]


@dataclass
class ListingPage:
    page: Page
    facets: list[Facet]
    price_bands: list[FacetValue]
    corrected_query: str = ""
    messages: list[str] = field(default_factory=list)


@dataclass
class ListingScope:
    """The products a listing shows before it is paged: `searched` is the
    category or search (what facet counts are taken over), `filtered` has the
    shopper's filters applied, `ordering` is the sort."""

    searched: QuerySet
    filtered: QuerySet
    ordering: tuple[str, ...]
    corrected_query: str = ""
    messages: list[str] = field(default_factory=list)


def listing_scope(
    *, query: ListingQuery, category: Category | None = None
) -> ListingScope:
    """A category (and its subcategories), a search, or the whole catalogue, with
    a typo corrected when the search as typed finds nothing."""
    messages = list(query.problems)
    scope = ProductListing.objects.all()
    if category is not None:
        scope = scope.filter(pk__in=_in_category(category.pk))
    corrected = ""
    if query.q:
        tokens = search_tokens(query.q)
        if not tokens:
            messages.append("Type a word or two to search for.")
        matches = listings_matching(scope, tokens)
        if tokens and not matches.exists():
            better = tokens_corrected(tokens)
            if better != tokens:
                corrected = " ".join(better)
                matches = listings_matching(scope, better)
        scope = matches
    return ListingScope(
        searched=scope,
        filtered=_filtered(scope, query),
        ordering=_ordering(query),
        corrected_query=corrected,
        messages=messages,
    )


def listing_facets(
    *, listing: ListingScope, query: ListingQuery
) -> tuple[list[Facet], list[FacetValue]]:
    """The facets with their counts and the price bands of a listing."""
    return _facets(listing.searched, query), _price_bands(listing.searched, query)


def listing_page(
    *,
    query: ListingQuery,
    category: Category | None = None,
    now: datetime | None = None,
) -> ListingPage:
    """One page of a listing with its facet counts, for a category (and its
    subcategories), a search, or the whole catalogue; its cards carry the site
    offers open at `now` (see `listing_badges_attach`)."""
    listing = listing_scope(query=query, category=category)
    messages = listing.messages
    paginator = Paginator(
        listing.filtered.order_by(*listing.ordering).only(*CARD_FIELDS), PAGE_SIZE
    )
    number = query.page
    if number > paginator.num_pages:
        if number > 1:
            messages.append("That page is past the end of the list; here is page 1.")
        number = 1
    page = paginator.page(number)
    page.object_list = listing_badges_attach(list(page.object_list), now=now)
    facets, price_bands = listing_facets(listing=listing, query=query)
    return ListingPage(
        page=page,
        facets=facets,
        price_bands=price_bands,
        corrected_query=listing.corrected_query,
        messages=messages,
    )


def listings_newest(*, limit: int, now: datetime | None = None) -> list[ProductListing]:
    return listing_badges_attach(
        list(ProductListing.objects.only(*CARD_FIELDS).order_by(*BROWSE_ORDER)[:limit]),
        now=now,
    )


def categories_featured(*, limit: int) -> list[Category]:
    return list(
        Category.objects.filter(depth=1, is_public=True).order_by("path")[:limit]
    )


def suggestions(
    *, text: str, limit: int = 6
) -> tuple[list[ProductListing], list[Category]]:
    """Products and categories for the search box's dropdown."""
    tokens = search_tokens(text)
    if not tokens:
        return [], []
    products = list(
        listings_matching(ProductListing.objects.all(), tokens)
        .only("product_id", "title", "url", "price", "currency", "price_varies")
        .order_by("-rank", *BROWSE_ORDER)[:limit]
    )
    categories = Category.objects.filter(is_public=True)
    for token in tokens:
        categories = categories.filter(name__icontains=token)
    return products, list(categories.order_by("depth", "name")[:4])


def listing_badges_attach(
    items: list[ProductListing], *, now: datetime | None
) -> list[ProductListing]:
    """Give each card its `offer_badges`: the open site offers covering it, for
    everyone, at most `BADGES_PER_CARD`. One query for the whole page whatever
    the number of offers; `now` is the moment the cached page's key was worked
    out for, so the page and its key agree on which offers are open."""
    named = offers_for_products(product_ids=[item.pk for item in items], now=now)
    for item in items:
        item.offer_badges = named.get(item.pk, [])[:BADGES_PER_CARD]
    return items


def _in_category(category_id: int) -> QuerySet:
    return ProductListingCategory.objects.filter(category_id=category_id).values(
        "listing_id"
    )


def _ordering(query: ListingQuery) -> tuple[str, ...]:
    if query.sort in ORDERINGS:
        return ORDERINGS[query.sort]
    if query.q:
        return ("-rank", *BROWSE_ORDER)
    return BROWSE_ORDER


def _filtered(
    scope: QuerySet, query: ListingQuery, *, except_facet: str = "", bands: bool = True
) -> QuerySet:
    if query.in_stock:
        scope = scope.filter(is_available=True)
    if bands and query.price_bands:
        scope = scope.filter(_bands_q(query.price_bands))
    for key, values in query.facets.items():
        if key == except_facet:
            continue
        scope = scope.filter(
            pk__in=ProductListingFacet.objects.filter(key=key, value__in=values).values(
                "listing_id"
            )
        )
    return scope


def _bands_q(slugs: list[str]) -> Q:
    condition = Q(pk__in=[])
    for slug, low, high in PRICE_BANDS:
        if slug in slugs:
            condition |= _band_q(low, high)
    return condition


def _band_q(low, high) -> Q:
    condition = Q(price__isnull=False)
    if low is not None:
        condition &= Q(price__gte=low)
    if high is not None:
        condition &= Q(price__lt=high)
    return condition


def _facets(scope: QuerySet, query: ListingQuery) -> list[Facet]:
    """Counts per facet value. A facet's own selection doesn't narrow its counts
    (choosing "Navy" still shows how many are "Green"); the others' do."""
    counts: dict[str, dict[str, int]] = {}
    selected_keys = [key for key in settings.SHOP_LISTING_FACETS if key in query.facets]
    others = [key for key in settings.SHOP_LISTING_FACETS if key not in query.facets]
    groups = [(others, "")] + [([key], key) for key in selected_keys]
    for keys, except_facet in groups:
        if not keys:
            continue
        ids = _filtered(scope, query, except_facet=except_facet).values("pk")
        rows = (
            ProductListingFacet.objects.filter(listing_id__in=ids, key__in=keys)
            .values_list("key", "value")
            .annotate(n=Count("listing_id"))
        )
        for key, value, n in rows:
            counts.setdefault(key, {})[value] = n
    labels = _facet_labels()
    facets = []
    for key in settings.SHOP_LISTING_FACETS:
        chosen = set(query.facets.get(key, []))
        values = counts.get(key, {})
        for missing in chosen - set(values):
            values[missing] = 0
        if not values:
            continue
        facets.append(
            Facet(
                key=key,
                label=labels.get(key, key.replace("_", " ").capitalize()),
                values=[
                    FacetValue(
                        value=value,
                        count=n,
                        selected=value in chosen,
                        params=query.params(**{key: sorted(chosen ^ {value})}),
                    )
                    for value, n in sorted(values.items(), key=_facet_sort)
                ],
            )
        )
    return facets


def _facet_sort(item: tuple[str, int]):
    value, _ = item
    return (
        (0, float(value)) if value.replace(".", "", 1).isdigit() else (1, value.lower())
    )


def _facet_labels() -> dict[str, str]:
    labels = {}
    for code, name in ProductAttribute.objects.filter(
        code__in=settings.SHOP_LISTING_FACETS
    ).values_list("code", "name"):
        labels.setdefault(code, name)
    return labels


def _price_bands(scope: QuerySet, query: ListingQuery) -> list[FacetValue]:
    filtered = _filtered(scope, query, bands=False)
    counts = filtered.aggregate(
        **{
            f"band_{index}": Count("pk", filter=_band_q(low, high))
            for index, (_, low, high) in enumerate(PRICE_BANDS)
        }
    )
    chosen = set(query.price_bands)
    bands = []
    for index, (slug, low, high) in enumerate(PRICE_BANDS):
        count = counts[f"band_{index}"]
        if not count and slug not in chosen:
            continue
        bands.append(
            FacetValue(
                value=slug,
                count=count,
                selected=slug in chosen,
                params=query.params(price=sorted(chosen ^ {slug})),
                label=_band_label(low, high),
            )
        )
    return bands


def _band_label(low, high) -> str:
    if low is None:
        return f"Under {currency(high)}"
    if high is None:
        return f"{currency(low)} and over"
    return f"{currency(low)} to {currency(high)}"
