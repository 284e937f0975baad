"""Tax by destination: what a shopper pays for a catalogue price, by the country
the order ships to.

Catalogue prices are the home country's (`SHOP_COUNTRY`) and, with
`SHOP_PRICES_INCLUDE_TAX`, include its tax, so a shopper at home pays exactly
the catalogue price. A shopper elsewhere pays the net price plus their country's
rate (set in the dashboard; until the merchant sets any, SHOP_TAX_RATES'), and
no tax where no rate is listed (exports outside the tax area). Tax is worked out
per unit and rounded to the penny, half up, so a line's tax is its unit tax
times its quantity, as the order records it.

Before the checkout knows where the order goes, prices are the home country's.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.http import HttpRequest
from oscar.core.loading import get_model

from partner.selectors import tax_rates_current

UserAddress = get_model("address", "UserAddress")

PENNY = Decimal("0.01")
CHECKOUT_SESSION_KEY = "checkout_data"  # Oscar's CheckoutSessionData


def tax_rate(*, country: str) -> Decimal:
    return tax_rates_current().get(country, Decimal(0))


def unit_price_split(*, price: Decimal, country: str) -> tuple[Decimal, Decimal]:
    """(price excluding tax, tax) of one unit of a catalogue `price` for a
    shopper in `country`."""
    home_rate = tax_rate(country=settings.SHOP_COUNTRY)
    if settings.SHOP_PRICES_INCLUDE_TAX:
        home_tax = _pennies(price * home_rate / (1 + home_rate))
        net = price - home_tax
    else:
        net = price
        home_tax = _pennies(net * home_rate)
    rate = tax_rate(country=country)
    if rate == home_rate:
        return net, home_tax
    return net, _pennies(net * rate)


def destination_country(request: HttpRequest | None) -> str | None:
    """The country this shopper's checkout ships to, once they have said; None
    before (and outside a request)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    shipping = (session.get(CHECKOUT_SESSION_KEY) or {}).get("shipping") or {}
    country = (shipping.get("new_address_fields") or {}).get("country_id")
    if country:
        return country
    address_id = shipping.get("user_address_id")
    if address_id and request.user.is_authenticated:
        return (
            UserAddress.objects.filter(pk=address_id, user=request.user)
            .values_list("country_id", flat=True)
            .first()
        )
    return None


def _pennies(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)
