"""Oscar's offer models, with range membership answered from a batch when known.

Oscar's `Range.contains_product` asks the database once per product each time an
offer checks a basket line, so a basket page's queries grew with its lines.
`offer.services.range_membership_known` works out membership for all the basket's
products in one query per range, and `contains_product` reads it from there.
"""

from contextvars import ContextVar

from oscar.apps.offer.abstract_models import (
    AbstractBenefit,
    AbstractCondition,
    AbstractRange,
)

# {(range id, product id): contained?} for the products being priced right now.
range_membership: ContextVar[dict[tuple[int, int], bool] | None] = ContextVar(
    "range_membership", default=None
)


class Range(AbstractRange):
    def contains_product(self, product):
        known = range_membership.get()
        if known is not None:
            contained = known.get((self.pk, product.pk))
            if contained is not None:
                return contained
        return super().contains_product(product)


class _ProxyKeepsRange:
    """Oscar builds a fresh proxy (ValueCondition, PercentageDiscountBenefit...) on
    every check, dropping the loaded range, which each check then fetched again."""

    def proxy(self):
        proxy = super().proxy()
        if proxy is not self and "range" in self._state.fields_cache:
            proxy._state.fields_cache["range"] = self._state.fields_cache["range"]
        return proxy


class Condition(_ProxyKeepsRange, AbstractCondition):
    pass


class Benefit(_ProxyKeepsRange, AbstractBenefit):
    pass


from oscar.apps.offer.models import *  # noqa: E402, F403 - Oscar's remaining models
