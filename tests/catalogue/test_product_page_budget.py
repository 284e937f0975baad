"""The product page's query budget and page weight."""

import io
import re
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from catalogue.models import (
    Product,
)
from tests.catalogue.product_pages import (
    COLOURS,
    PAGE_WEIGHT_BUDGET,
    QUERY_BUDGET,
    SIZES,
    html_of,
    image_add,
    parent_create,
)

pytestmark = pytest.mark.django_db


def queries_for(client, url: str, django_assert_max_num_queries) -> int:
    """Queries of a view once its thumbnails exist (they are made on first view)."""
    client.get(url)
    with django_assert_max_num_queries(QUERY_BUDGET) as captured:
        html_of(client.get(url))
    return len(captured)


def test_query_count_is_the_same_for_one_variant_as_for_ten(
    client, clothing, django_assert_max_num_queries
):
    one = parent_create(clothing, variants=[("M", "Navy", "50.00", 5)], upc="ONE")
    ten = parent_create(
        clothing,
        upc="TEN",
        variants=[
            (size, colour, "50.00", 5 + index)
            for index, (size, colour) in enumerate(
                (size, colour) for colour in COLOURS for size in SIZES
            )
        ],
    )
    for parent in (one, ten):
        image_add(parent)
        image_add(parent, colour="#883322")

    counts = [
        queries_for(
            client,
            f"{parent.get_absolute_url()}?size=M&colour=Navy",
            django_assert_max_num_queries,
        )
        for parent in (one, ten)
    ]

    assert counts[0] == counts[1]


def test_standalone_page_stays_within_the_query_budget(
    client, teapot, django_assert_max_num_queries
):
    queries_for(client, teapot.get_absolute_url(), django_assert_max_num_queries)


def test_signed_in_shopper_page_stays_within_the_query_budget(
    client, jumper, django_user_model, django_assert_max_num_queries
):
    user = django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password="pw-Secret-123"
    )
    client.force_login(user)

    queries_for(
        client,
        f"{jumper.get_absolute_url()}?size=L&colour=Navy",
        django_assert_max_num_queries,
    )


def test_every_demo_product_page_renders_within_the_query_budget(
    client, settings, django_assert_max_num_queries
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", products=20, stdout=io.StringIO())

    for product in Product.objects.browsable():
        queries_for(client, product.get_absolute_url(), django_assert_max_num_queries)


def test_page_weight_is_under_budget_and_everything_comes_from_this_shop(
    client, teapot
):
    html = html_of(client.get(teapot.get_absolute_url()))

    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assets += re.findall(r'<script src="([^"]+)"', html)
    fetched = assets + re.findall(r'<img[^>]* src="([^"]+)"', html)
    assert not [url for url in fetched if urlparse(url).netloc], fetched
    weight = len(html.encode())
    for url in assets:
        assert url.startswith(settings.STATIC_URL), url
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        assert path, f"{url} is not a static file"
        with open(path, "rb") as file:
            weight += len(file.read())
    assert weight < PAGE_WEIGHT_BUDGET, f"{weight} bytes of HTML, CSS and JS"
