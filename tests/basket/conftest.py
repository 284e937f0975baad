import re

import pytest

from tests.factories import product_in_stock


@pytest.fixture
def teapot():
    return product_in_stock(title="Stoneware Teapot", price="34.50")


@pytest.fixture
def htmx():
    """Headers htmx sends with its requests."""
    return {"HX-Request": "true"}


def basket_add(client, product, quantity=1, **kwargs):
    return client.post(f"/basket/add/{product.pk}/", {"quantity": quantity}, **kwargs)


def mini_basket_text(html: str) -> str:
    """The mini-basket as a shopper reads it, e.g. "Basket 2 items £69.00"."""
    match = re.search(r'<div id="mini-basket".*?</div>', html, re.S)
    assert match, "no mini-basket"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())
