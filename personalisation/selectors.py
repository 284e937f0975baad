"""Reading what the recommenders learnt."""

from datetime import datetime, timedelta

from django.db.models import Case, Sum, Value, When
from django.utils import timezone

from catalogue.models import ProductListing
from catalogue.selectors import CARD_FIELDS, listing_badges_attach
from order.models import Line
from personalisation.models import Event, ProductRecommendations

# Lists keep more than a page shows, so a few sold out still leave enough.
SPARE = 3


def bought_together_for_product(*, product_id: int, limit: int = 4) -> list[int]:
    """The products most often bought with this one, best first, as the last
    training found them (one indexed read; empty before any training)."""
    ranked = (
        ProductRecommendations.objects.filter(
            kind=ProductRecommendations.Kind.BOUGHT_TOGETHER, product_id=product_id
        )
        .values_list("product_ids", flat=True)
        .first()
    )
    return (ranked or [])[:limit]


def bought_together_cards(
    *, product_id: int, limit: int = 4, user=None
) -> list[ProductListing]:
    """Cards of what is bought with this product that shoppers can buy now:
    public (listed) and not sold out, best first; for a signed-in `user`,
    not what they bought already."""
    ids = bought_together_for_product(product_id=product_id, limit=limit * SPARE)
    if ids and user is not None and user.is_authenticated:
        bought = products_bought(user=user)
        ids = [pk for pk in ids if pk not in bought]
    return _cards(ids, limit=limit)


def products_bought(*, user) -> set[int]:
    """What this customer has ordered, variants as their parents."""
    rows = Line.objects.filter(order__user=user).values_list(
        "product_id", "product__parent_id"
    )
    return {parent or product for product, parent in rows if product}


def basket_complements_cards(
    *, products: list, limit: int = 4, user=None
) -> list[ProductListing]:
    """ "Complete your order": what is bought with these products (a basket's
    or an order's; variants as their parents) and is not among them, best
    first. A product each list ranks high, or many lists name, comes first
    (each list gives 1 / rank). Nor what a signed-in `user` bought already."""
    product_ids = [product.parent_id or product.pk for product in products]
    if not product_ids:
        return []
    lists = ProductRecommendations.objects.filter(
        kind=ProductRecommendations.Kind.BOUGHT_TOGETHER, product_id__in=product_ids
    ).values_list("product_ids", flat=True)
    held = set(product_ids)
    if user is not None and user.is_authenticated:
        held |= products_bought(user=user)
    scores: dict[int, float] = {}
    for ranked in lists:
        for rank, pk in enumerate(ranked, start=1):
            if pk not in held:
                scores[pk] = scores.get(pk, 0.0) + 1 / rank
    ids = sorted(scores, key=lambda pk: (-scores[pk], pk))[: limit * SPARE]
    return _cards(ids, limit=limit)


# What an event says about wanting a product, for "trending".
TRENDING_WEIGHTS = {
    Event.Kind.PRODUCT_VIEW: 1,
    Event.Kind.BASKET_ADD: 3,
    Event.Kind.PURCHASE: 5,
}


def trending_cards(
    *, limit: int = 8, days: int = 7, now: datetime | None = None
) -> list[ProductListing]:
    """What shoppers have wanted most in the last `days` (views, additions and
    purchases, weighted), for everyone: the home page's "Trending", and the
    fallback where nothing is known of a shopper. One query over the
    events' time index."""
    since = (now or timezone.now()) - timedelta(days=days)
    weight = Case(
        *(When(kind=kind, then=Value(w)) for kind, w in TRENDING_WEIGHTS.items()),
        default=Value(0),
    )
    ranked = (
        Event.objects.filter(
            occurred_at__gte=since,
            kind__in=list(TRENDING_WEIGHTS),
            product_id__isnull=False,
        )
        .values("product_id")
        .annotate(score=Sum(weight))
        .order_by("-score", "product_id")
        .values_list("product_id", flat=True)[: limit * SPARE]
    )
    return _cards(list(ranked), limit=limit)


def _cards(ids: list[int], *, limit: int) -> list[ProductListing]:
    if not ids:
        return []
    rows = (
        ProductListing.objects.only(*CARD_FIELDS)
        .filter(product_id__in=ids)
        .exclude(stock_status=ProductListing.StockStatus.OUT)
    )
    by_id = {row.product_id: row for row in rows}
    cards = [by_id[pk] for pk in ids if pk in by_id][:limit]
    return listing_badges_attach(cards, now=None)
