"""What a shopper asked a listing for, parsed from the URL, with a message for
anything that could not be used (the page still renders)."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.http import QueryDict

SORTS = {
    "relevance": "Relevance",
    "newest": "Newest",
    "price-asc": "Price: low to high",
    "price-desc": "Price: high to low",
    "title-asc": "Name: A to Z",
}
# Price bands offered as a facet: (slug, lower bound, upper bound).
PRICE_BANDS = [
    ("0-10", None, Decimal(10)),
    ("10-25", Decimal(10), Decimal(25)),
    ("25-50", Decimal(25), Decimal(50)),
    ("50-100", Decimal(50), Decimal(100)),
    ("100-250", Decimal(100), Decimal(250)),
    ("250-", Decimal(250), None),
]
MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000
MAX_VALUES_PER_FACET = 20
PAGE_SIZE = 24


@dataclass
class ListingQuery:
    q: str = ""
    sort: str = "relevance"
    page: int = 1
    in_stock: bool = False
    price_bands: list[str] = field(default_factory=list)
    facets: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        # Templates that show "the search" (the header's search box) get its text.
        return self.q

    @property
    def cache_key(self) -> str:
        facets = "&".join(
            f"{k}={'|'.join(sorted(v))}" for k, v in sorted(self.facets.items())
        )
        return (
            f"q={self.q}&s={self.sort}&p={self.page}&i={int(self.in_stock)}"
            f"&b={'|'.join(sorted(self.price_bands))}&{facets}"
        )

    @property
    def in_stock_toggle_params(self) -> str:
        return self.params(in_stock="" if self.in_stock else "1")

    def params(self, **changes) -> str:
        """This query as a URL query string, with `changes` applied, page reset."""
        data = QueryDict(mutable=True)
        values = {
            "q": self.q,
            "sort": self.sort if self.sort != "relevance" else "",
            "in_stock": "1" if self.in_stock else "",
            "price": self.price_bands,
            **{key: values for key, values in self.facets.items()},
        }
        values.update(changes)
        for key, value in values.items():
            if isinstance(value, list):
                data.setlist(key, value)
            elif value:
                data[key] = value
        return data.urlencode()


def listing_query_parse(params: QueryDict) -> ListingQuery:
    query = ListingQuery()
    raw_q = " ".join(params.get("q", "").split())
    if len(raw_q) > MAX_QUERY_LENGTH:
        query.problems.append(
            f"Your search was shortened to its first {MAX_QUERY_LENGTH} characters."
        )
    query.q = raw_q[:MAX_QUERY_LENGTH]

    sort = params.get("sort", "relevance")
    if sort not in SORTS:
        query.problems.append("That sort order isn't available; showing by relevance.")
        sort = "relevance"
    query.sort = sort

    query.page = _page(params.get("page", "1"), query.problems)
    query.in_stock = params.get("in_stock") in ("1", "on", "true")

    bands = {slug for slug, _, _ in PRICE_BANDS}
    for band in params.getlist("price")[:MAX_VALUES_PER_FACET]:
        if band in bands:
            query.price_bands.append(band)
        else:
            query.problems.append(f"Ignored an unknown price range “{band[:40]}”.")

    for key in settings.SHOP_LISTING_FACETS:
        values = [v.strip()[:128] for v in params.getlist(key) if v.strip()]
        if values:
            query.facets[key] = sorted(set(values[:MAX_VALUES_PER_FACET]))
    return query


def _page(raw: str, problems: list[str]) -> int:
    if not re.fullmatch(r"\d{1,6}", raw.strip() or "1"):
        problems.append("That page number isn't valid; showing the first page.")
        return 1
    page = int(raw.strip() or "1")
    if page < 1 or page > MAX_PAGE:
        problems.append("That page number isn't valid; showing the first page.")
        return 1
    return page
