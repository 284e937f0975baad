"""The checkout's one pricing path: offers applied afresh to the basket as the
server holds it, the shipping charge and the order total. The preview, the
payment's amount and the placed order all come from `checkout_price`, so what
the shopper is shown, what is charged and what the order records agree."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from oscar.core.loading import get_class
from oscar.templatetags.currency_filters import currency

from offer.services import basket_offers_price

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
    basket.reset_offer_applications()  # the lines read afresh too
    basket_offers_price(
        basket=basket,
        user=user if user is not None else AnonymousUser(),
        request=request,
        fresh=True,
    )
    shipping_charge = shipping_method.calculate(basket)
    return CheckoutPrice(
        shipping_charge=shipping_charge,
        total=OrderTotalCalculator().calculate(basket, shipping_charge),
    )


class PriceChanged(Exception):
    """The total is not the one the shopper was shown: nothing was charged."""

    def __init__(self, *, shown: Decimal, total: Decimal, currency_code: str):
        self.shown, self.total, self.currency_code = shown, total, currency_code
        super().__init__(
            _(
                "The total of your order has changed from %(shown)s to %(total)s "
                "since this page was shown (a price or an offer changed). Nothing "
                "was charged: please check your order and place it again."
            )
            % {
                "shown": currency(shown, currency_code),
                "total": currency(total, currency_code),
            }
        )


def total_shown(raw) -> Decimal | None:
    """The total a page showed the shopper, as its form posted it back; None
    when absent or unreadable (then there is nothing to compare with)."""
    try:
        return Decimal(str(raw)) if raw not in (None, "") else None
    except InvalidOperation:
        return None
