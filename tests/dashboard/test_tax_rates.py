"""Tax rates in the dashboard: the merchant sets each destination's rate, the
checkout charges it at once, and until any is set the environment's apply."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from oscar.core.loading import get_model

from partner.models import TaxRate
from partner.tax import unit_price_split
from tests.dashboard.merchants import merchant_signed_in

pytestmark = pytest.mark.django_db

Country = get_model("address", "Country")
RATES = reverse("dashboard:tax-rate-list")


@pytest.fixture
def merchant(client):
    for code, name in (("GB", "United Kingdom"), ("DE", "Germany"), ("FR", "France")):
        Country.objects.get_or_create(iso_3166_1_a2=code, defaults={"name": name})
    return merchant_signed_in(client)


def test_until_the_merchant_sets_any_the_environment_s_rates_apply(merchant):
    html = merchant.get(RATES).content.decode()

    assert "the rates from the SHOP_TAX_RATES setting apply" in html
    assert "DE 19%" in html
    assert unit_price_split(price=Decimal("34.50"), country="DE")[1] == Decimal("5.46")


def test_a_rate_set_in_the_dashboard_is_charged_at_once(merchant):
    response = merchant.post(RATES, {"country": "DE", "percent": "25"})

    assert response.status_code == 302
    assert TaxRate.objects.get(country="DE").rate == Decimal("0.25")
    # 25% of the net 28.75; the environment's others were copied in, unchanged
    assert unit_price_split(price=Decimal("34.50"), country="DE")[1] == Decimal("7.19")
    assert unit_price_split(price=Decimal("34.50"), country="FR")[1] == Decimal("5.75")
    html = merchant.get(RATES).content.decode()
    assert "25%" in html and "SHOP_TAX_RATES setting apply" not in html
    assert "were copied in too" in html
    france = TaxRate.objects.get(country="FR")
    merchant.post(reverse("dashboard:tax-rate-delete", kwargs={"pk": france.pk}))
    assert unit_price_split(price=Decimal("34.50"), country="FR")[1] == Decimal("0.00")


def test_a_rate_is_changed_and_removed(merchant):
    rate = TaxRate.objects.create(country="FR", rate=Decimal("0.20"))
    update = reverse("dashboard:tax-rate-update", kwargs={"pk": rate.pk})

    assert 'value="20"' in merchant.get(update).content.decode()
    merchant.post(update, {"country": "FR", "percent": "5.5"})
    assert TaxRate.objects.get(pk=rate.pk).rate == Decimal("0.055")
    merchant.post(reverse("dashboard:tax-rate-delete", kwargs={"pk": rate.pk}))
    assert not TaxRate.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"country": "DE", "percent": "120"}, "less than or equal to 99.99"),
        ({"country": "DE", "percent": "-1"}, "greater than or equal to 0"),
        ({"country": "ZZ", "percent": "10"}, "Select a valid choice"),
        ({"country": "GB", "percent": "10"}, "GB has a rate already"),
    ],
)
def test_a_bad_rate_is_refused_with_a_message_and_changes_nothing(
    merchant, data, error
):
    TaxRate.objects.create(country="GB", rate=Decimal("0.20"))

    response = merchant.post(RATES, data)

    assert response.status_code == 200 and error in response.content.decode()
    assert list(TaxRate.objects.values_list("country", "rate")) == [
        ("GB", Decimal("0.2000"))
    ]


def test_only_staff_who_may_change_tax_rates_reach_the_page(client):
    staff = User.objects.create_user("kim", "kim@example.com", "pw", is_staff=True)
    client.force_login(staff)

    assert client.get(RATES).status_code == 403
    assert client.post(RATES, {"country": "DE", "percent": "1"}).status_code == 403
    assert not TaxRate.objects.exists()
