"""Orders and dashboard users for the order dashboard's tests."""

import pytest

from tests.dashboard.merchants import merchant_signed_in
from tests.order.orders import order_paid, products


@pytest.fixture
def merchant(client):
    """A client signed in as a merchant who may do everything."""
    return merchant_signed_in(client)


@pytest.fixture
def teapot_and_cups():
    return products("20.00", "5.00")


@pytest.fixture
def order(teapot_and_cups):
    """A paid guest order (ada@example.com): one teapot and three cups."""
    teapot, cups = teapot_and_cups
    return order_paid((teapot, 1), (cups, 3))
