import pytest
from oscar.core.loading import get_model

from tests.factories import product_in_stock

Country = get_model("address", "Country")


@pytest.fixture
def teapot():
    Country.objects.get_or_create(
        iso_3166_1_a2="GB",
        defaults={"name": "United Kingdom", "is_shipping_country": True},
    )
    return product_in_stock(title="Stoneware Teapot", price="34.50", num_in_stock=5)
