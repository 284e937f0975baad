"""Pricing support for the offer engine."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from offer.models import Range, range_membership


def _ranges_of(offers) -> dict[int, Range]:
    ranges = {}
    for offer in offers:
        for part in (offer.condition, offer.benefit):
            if part is not None and part.range_id is not None:
                ranges.setdefault(part.range_id, part.range)
    return ranges


@contextmanager
def range_membership_known(*, offers: Iterable, products: Iterable) -> Iterator[None]:
    """While inside, each offer's ranges know which of `products` they contain,
    from one query per range instead of one per product and check."""
    product_ids = {product.pk for product in products}
    known: dict[tuple[int, int], bool] = {}
    for range_id, product_range in _ranges_of(offers).items():
        if product_range.proxy:
            continue  # a custom range class answers for itself
        contained = set(
            product_range.all_products()
            .filter(pk__in=product_ids)
            .values_list("pk", flat=True)
        )
        known.update({(range_id, pk): pk in contained for pk in product_ids})
    token = range_membership.set(known)
    try:
        yield
    finally:
        range_membership.reset(token)
