"""Oscar's basket helpers, with offers re-applied through `basket_offers_apply` so
the messages after a change cost the same queries however long the basket, and
a line's offer bookkeeping that reads an offer's named combinations once."""

from django.contrib import messages
from oscar.apps.basket import utils
from oscar.apps.basket.utils import BasketMessageGenerator as OscarMessageGenerator

from basket.services import basket_offers_apply, offers_applied_before


class BasketMessageGenerator(OscarMessageGenerator):
    def apply_messages(self, request, offers_before):
        """`offers_before`: Oscar's offers applied before the change by id, or
        only their ids (read here only for the offers the basket no longer has)."""
        request.basket.reset_offer_applications()
        basket_offers_apply(basket=request.basket, request=request)
        self.messages_add(request, request.basket, offers_before)

    def messages_add(self, request, basket, offers_before):
        """Say which offers the priced `basket` gained or lost since
        `offers_before` (offers by id, or ids)."""
        if not isinstance(offers_before, dict):
            offers_before = offers_applied_before(
                ids=offers_before, known=basket.offers_considered
            )
        for level, message in self.get_messages(
            basket, offers_before, basket.applied_offers()
        ):
            messages.add_message(request, level, message, extra_tags="safe noicon")


class LineDiscountRegistry(utils.LineDiscountRegistry):
    """Oscar's: which offers have discounted a line, and how many of its items
    an offer may still take. Oscar asks each offer for its named combinations
    (`offer.combinations.count()`) whenever it meets another offer on a line,
    building a related manager each time: with a hundred offers tried on a
    basket that was most of the time spent pricing it. Here they are read once
    per offer object (from what was prefetched with it) and kept on it; the
    rules are Oscar's, with offers told apart by id (a model's `==` costs more
    than the rest of the check)."""

    def available(self, offer=None) -> int:
        if offer is None or not isinstance(offer, utils.ConditionalOffer):
            return super().available(offer)
        own = offer.pk
        consumed = self._consumptions
        applied = [
            self._offers[pk] for pk, count in consumed.items() if count and pk != own
        ]
        available = self._line.quantity - consumed.get(own, 0)
        if not applied:
            return available
        if offer.exclusive:
            for other in applied:
                if not other.exclusive:
                    return 0  # an exclusive offer shares a line with nothing
                if other.priority >= offer.priority:
                    available -= consumed[other.pk]
                    if available + consumed.get(own, 0) <= 0:
                        return 0
        elif any(other.exclusive for other in applied):
            return 0
        names_its_own = bool(_named_combinations(offer))
        for other in applied:
            named = names_its_own or _named_combinations(other)
            if named and own not in _combined_ids(other):
                return 0
        return available


def _named_combinations(offer) -> frozenset[int]:
    """The ids of the offers `offer` names as its combinations."""
    known = offer.__dict__.get("_named_combination_ids")
    if known is None:
        known = frozenset(other.pk for other in offer.combinations.all())
        offer.__dict__["_named_combination_ids"] = known
    return known


def _combined_ids(offer) -> frozenset[int]:
    """Oscar's `combined_offers` as ids: the offer, those it names and those
    naming it."""
    known = offer.__dict__.get("_combined_ids")
    if known is None:
        known = frozenset(other.pk for other in offer.combined_offers)
        offer.__dict__["_combined_ids"] = known
    return known
