"""Which offers a basket is priced with: Oscar's Applicator, fed from the cache
and kept to the offers open to this shopper now.

Oscar reads every open site offer from the database for every basket, then
lets the ranges ask about each line. Here the site offers come from the cache
(`offer.selectors.site_offers_open`, with their conditions, benefits and ranges
loaded), an offer outside its days and hours or its audience is left out, and
`offer.services.basket_offers_price` narrows them further to the offers whose
range holds something in the basket.
"""

from django.db.models import Prefetch
from oscar.apps.offer import applicator

from offer.audiences import ShopperFacts, offer_admits
from offer.models import ConditionalOffer
from offer.selectors import OFFER_RELATIONS, OFFER_SETS, site_offers_open


class Applicator(applicator.Applicator):
    def __init__(self, *, fresh: bool = False):
        self.fresh = fresh  # site offers read from the database, not the cache

    def get_offers(self, basket, user=None, request=None):
        facts = ShopperFacts(user)
        return [
            offer
            for offer in super().get_offers(basket, user, request)
            if offer_admits(offer=offer, facts=facts)
        ]

    def get_site_offers(self):
        return site_offers_open(fresh=self.fresh)

    def get_basket_offers(self, basket, user):
        """The offers of the basket's vouchers, loaded as the site offers are
        (Oscar reads each voucher's offers one by one)."""
        if not basket.id or not user:
            return []
        offers = []
        vouchers = basket.vouchers.prefetch_related(
            Prefetch(
                "offers",
                queryset=ConditionalOffer.objects.select_related(
                    *OFFER_RELATIONS
                ).prefetch_related(*OFFER_SETS),
            )
        )
        for voucher in vouchers:
            available_to_user, __ = voucher.is_available_to_user(user=user)
            if not (voucher.is_active() and available_to_user):
                continue
            for offer in voucher.offers.all():
                offer.set_voucher(voucher)
                offers.append(offer)
        return offers
