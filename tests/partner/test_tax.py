"""Tax by destination: catalogue prices are the home country's, tax included;
the checkout's destination decides the tax of the basket, the order and the
amount charged."""

from decimal import Decimal

import pytest

from partner.tax import unit_price_split
from shop.config import ConfigError, tax_rates

pytestmark = pytest.mark.django_db

BERLIN = {"line1": "Unter den Linden 1", "line4": "Berlin", "postcode": "10117"}
BOSTON = {
    "line1": "1 Beacon Street",
    "line4": "Boston",
    "state": "MA",
    "postcode": "02108",
}


@pytest.mark.parametrize(
    ("price", "country", "split"),
    [
        ("34.50", "GB", ("28.75", "5.75")),  # at home: exactly the catalogue price
        ("19.99", "GB", ("16.66", "3.33")),
        ("34.50", "DE", ("28.75", "5.46")),  # 19% of the net price
        ("34.50", "IE", ("28.75", "6.61")),
        ("34.50", "US", ("28.75", "0.00")),  # no rate listed: no tax
    ],
)
def test_a_catalogue_price_is_split_for_the_destination(price, country, split):
    excl_tax, tax = unit_price_split(price=Decimal(price), country=country)

    assert (str(excl_tax), str(tax)) == split


def test_prices_set_without_tax_get_the_destination_s_tax_added(settings):
    settings.SHOP_PRICES_INCLUDE_TAX = False

    assert unit_price_split(price=Decimal("10.00"), country="GB") == (
        Decimal("10.00"),
        Decimal("2.00"),
    )


def test_unusable_tax_rates_stop_the_shop_naming_the_variable(monkeypatch):
    monkeypatch.setenv("SHOP_TAX_RATES", "GB=0.20,Germany=19%")

    with pytest.raises(ConfigError, match="SHOP_TAX_RATES"):
        tax_rates("SHOP_TAX_RATES", default="")
