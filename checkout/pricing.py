"""The checkout's one pricing path: offers applied afresh to the basket as the
server holds it, the shipping charge and the order total. The preview, the
payment's amount and the placed order all come from `checkout_price`, so what
the shopper is shown, what is charged and what the order records agree."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from oscar.core.loading import get_class

Applicator = get_class("offer.applicator", "Applicator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")


@dataclass(frozen=True)
class CheckoutPrice:
    shipping_charge: object  # oscar.core.prices.Price
    total: object  # oscar.core.prices.Price


def checkout_price(
    *, basket, shipping_method, user=None, request=None
) -> CheckoutPrice:
    """Price `basket` (its `strategy` set for the shopper and destination) with
    today's offers and this shipping method. Nothing the shopper sent is read."""
    basket.reset_offer_applications()
    Applicator().apply(basket, user if user is not None else AnonymousUser(), request)
    shipping_charge = shipping_method.calculate(basket)
    return CheckoutPrice(
        shipping_charge=shipping_charge,
        total=OrderTotalCalculator().calculate(basket, shipping_charge),
    )
