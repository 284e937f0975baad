"""Training what the shop serves: "bought together", learnt by EASE from the
purchases recorded as events (one basket an order), each product's list kept
ready so serving it is one indexed read."""

import time
from collections.abc import Iterator

from django.db import transaction

from catalogue.cache import catalogue_version_bump
from catalogue.models import Product
from personalisation.models import Event, ProductRecommendations
from personalisation.recommenders import ease_fit

KEPT_PER_PRODUCT = 20


def purchase_baskets() -> Iterator[list[int]]:
    """The products of each order, from the purchase events; a variant counts
    as its parent, whose page shows what goes with it."""
    parents = dict(
        Product.objects.filter(parent__isnull=False).values_list("pk", "parent_id")
    )
    rows = (
        Event.objects.filter(kind=Event.Kind.PURCHASE, order_id__isnull=False)
        .order_by("order_id")
        .values_list("order_id", "product_id")
    )
    basket, current = [], None
    for order_id, product_id in rows.iterator(chunk_size=20_000):
        if order_id != current and basket:
            yield basket
            basket = []
        current = order_id
        if product_id is not None:
            basket.append(parents.get(product_id, product_id))
    if basket:
        yield basket


def bought_together_train(*, kept: int = KEPT_PER_PRODUCT) -> dict:
    """Learn "bought together" from every purchase and replace each product's
    list; returns what was learnt and how long each step took."""
    started = time.monotonic()
    baskets = list(purchase_baskets())
    read = time.monotonic()
    model = ease_fit(baskets=baskets)
    fitted = time.monotonic()
    lists = model.partners(kept=kept)
    with transaction.atomic():
        ProductRecommendations.objects.filter(
            kind=ProductRecommendations.Kind.BOUGHT_TOGETHER
        ).delete()
        ProductRecommendations.objects.bulk_create(
            ProductRecommendations(
                kind=ProductRecommendations.Kind.BOUGHT_TOGETHER,
                product_id=product_id,
                product_ids=ranked,
            )
            for product_id, ranked in lists.items()
            if ranked
        )
        # Cached product pages show the lists: they are made again.
        transaction.on_commit(catalogue_version_bump)
    return {
        "baskets": len(baskets),
        "products": len(model.items),
        "seconds": {
            "read": round(read - started, 2),
            "fit": round(fitted - read, 2),
            "store": round(time.monotonic() - fitted, 2),
        },
    }
