"""Oscar's basket helpers, with offers re-applied through `basket_offers_apply` so
the messages after a change cost the same queries however long the basket."""

from django.contrib import messages
from oscar.apps.basket.utils import BasketMessageGenerator as OscarMessageGenerator

from basket.services import basket_offers_apply, offers_by_id


class BasketMessageGenerator(OscarMessageGenerator):
    def apply_messages(self, request, offers_before):
        """`offers_before`: Oscar's offers applied before the change by id, or
        only their ids (read here only for the offers the basket no longer has)."""
        request.basket.reset_offer_applications()
        basket_offers_apply(basket=request.basket, request=request)
        offers_after = request.basket.applied_offers()
        if not isinstance(offers_before, dict):
            offers_before = offers_by_id(
                ids=offers_before, known=request.basket.offers_considered
            )
        for level, message in self.get_messages(
            request.basket, offers_before, offers_after
        ):
            messages.add_message(request, level, message, extra_tags="safe noicon")
