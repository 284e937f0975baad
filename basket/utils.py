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
        self.messages_add(request, request.basket, offers_before)

    def messages_add(self, request, basket, offers_before):
        """Say which offers the priced `basket` gained or lost since
        `offers_before` (offers by id, or ids)."""
        if not isinstance(offers_before, dict):
            offers_before = offers_by_id(
                ids=offers_before, known=basket.offers_considered
            )
        for level, message in self.get_messages(
            basket, offers_before, basket.applied_offers()
        ):
            messages.add_message(request, level, message, extra_tags="safe noicon")
