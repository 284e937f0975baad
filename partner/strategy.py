"""The shop's Strategy: the first stock record, stock required (net of
reservations, see partner.models), and prices taxed by destination
(partner.tax). Everything that prices (pages, basket, checkout, order, payment)
gets its Strategy from this Selector."""

from functools import cached_property

from django.conf import settings
from oscar.apps.partner import strategy
from oscar.apps.partner.strategy import *  # noqa: F403 - Oscar's remaining classes
from oscar.core.loading import get_class

from partner.tax import destination_country, unit_price_split

TaxInclusiveFixedPrice = get_class("partner.prices", "TaxInclusiveFixedPrice")
UnavailablePrice = get_class("partner.prices", "Unavailable")


class Selector:
    def strategy(self, request=None, user=None, country=None, **kwargs):
        """`country`: where the order ships to, when the caller knows it (the
        payment services do); otherwise the request's checkout says, or the
        home country."""
        return Default(request, country=country)


class DestinationTax:
    """Pricing policy mixin for `Structured`: the catalogue price taxed for the
    destination country (`self.country`)."""

    def pricing_policy(self, product, stockrecord):
        if not stockrecord or stockrecord.price is None:
            return UnavailablePrice()
        return self._price(stockrecord)

    def parent_pricing_policy(self, product, children_stock):
        records = [record for _, record in children_stock if record is not None]
        if not records:
            return UnavailablePrice()
        return self._price(records[0])  # from the first variant, as Oscar's

    def _price(self, stockrecord):
        excl_tax, tax = unit_price_split(price=stockrecord.price, country=self.country)
        return TaxInclusiveFixedPrice(
            currency=stockrecord.price_currency, excl_tax=excl_tax, tax=tax
        )


class Default(
    strategy.UseFirstStockRecord,
    strategy.StockRequired,
    DestinationTax,
    strategy.Structured,
):
    def __init__(self, request=None, country=None):
        super().__init__(request)
        self._country = country

    @cached_property
    def country(self) -> str:
        # Looked up on the first price asked for: a page that prices nothing
        # never reads the session for it.
        return (
            self._country or destination_country(self.request) or settings.SHOP_COUNTRY
        )
