"""Oscar's basket helpers, with offers re-applied through `basket_offers_apply` so
the messages after a change cost the same queries however long the basket."""

from django.contrib import messages
from oscar.apps.basket.utils import BasketMessageGenerator as OscarMessageGenerator

from basket.services import basket_offers_apply


class BasketMessageGenerator(OscarMessageGenerator):
    def apply_messages(self, request, offers_before):
        request.basket.reset_offer_applications()
        basket_offers_apply(basket=request.basket, request=request)
        offers_after = request.basket.applied_offers()
        for level, message in self.get_messages(
            request.basket, offers_before, offers_after
        ):
            messages.add_message(request, level, message, extra_tags="safe noicon")
