"""Writes on the basket that the middleware and the views share."""

from django.http import HttpRequest
from oscar.core.loading import get_class

from offer.services import range_membership_known

Applicator = get_class("offer.applicator", "Applicator")


def basket_offers_apply(*, basket, request: HttpRequest) -> None:
    """Apply the offers open to this shopper to a freshly loaded `basket`, as
    Oscar's middleware does, keeping the offers considered on the basket
    (`basket.offers_considered`) so the basket page's upsell messages need not
    fetch them again."""
    basket.offers_considered = []
    if basket.is_empty:
        return
    applicator = Applicator()
    offers = applicator.get_offers(basket, request.user, request)
    products = [line.product for line in basket.all_lines()]
    with range_membership_known(offers=offers, products=products):
        applicator.apply_offers(basket, offers)
    basket.offers_considered = offers
