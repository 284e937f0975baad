"""A merchant making a range of every product of a brand."""

import pytest
from django.urls import reverse

from offer.models import Range
from tests.dashboard.merchants import merchant_signed_in
from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db


def test_a_range_is_made_of_a_brand(client):
    merchant = merchant_signed_in(client)
    teapot = product_in_stock(title="Teapot", attributes={"brand": "Hearth"})
    product_in_stock(title="Kettle", attributes={"brand": "Other"})

    response = merchant.post(
        reverse("dashboard:range-create"), {"name": "Hearth", "brand": " Hearth "}
    )

    brand_range = Range.objects.get()
    assert response.status_code == 302
    assert brand_range.brand == "Hearth"
    assert list(brand_range.all_products()) == [teapot]
