import pytest
from oscar.core.loading import get_model

from tests.factories import product_in_stock
from tests.payment import paypal_fake

Country = get_model("address", "Country")


@pytest.fixture(scope="session")
def fake_paypal():
    """A fake PayPal (tests/payment/paypal_fake.py) on loopback."""
    fake, server = paypal_fake.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def paypal_settings(settings, fake_paypal):
    settings.PAYPAL_API_BASE = fake_paypal.url
    settings.PAYPAL_CLIENT_ID = paypal_fake.CLIENT_ID
    settings.PAYPAL_CLIENT_SECRET = paypal_fake.CLIENT_SECRET
    settings.PAYPAL_WEBHOOK_ID = paypal_fake.WEBHOOK_ID
    return settings


@pytest.fixture
def teapot():
    Country.objects.get_or_create(
        iso_3166_1_a2="GB",
        defaults={"name": "United Kingdom", "is_shipping_country": True},
    )
    return product_in_stock(title="Stoneware Teapot", price="34.50", num_in_stock=5)
