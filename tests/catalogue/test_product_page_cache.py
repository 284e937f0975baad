"""Whole product pages for visitors without a session or basket: served from the
cache with each shopper's own CSRF token, and never stale after a change."""

import re

import pytest
from django.test import Client
from oscar.apps.analytics.models import ProductRecord

from analytics.counters import counters_flush
from tests.basket.conftest import basket_add, mini_basket_text
from tests.catalogue.product_pages import child_of, html_of

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def without_token(html: str) -> str:
    """The page as every shopper gets it: without their CSRF token."""
    return html.replace(TOKEN.search(html).group(1), "")


def test_a_second_visit_is_served_without_a_query(
    client, teapot, django_assert_num_queries
):
    first = html_of(client.get(teapot.get_absolute_url()))

    with django_assert_num_queries(0):
        second = html_of(client.get(teapot.get_absolute_url()))

    assert "Stoneware Teapot" in second and "£34.50" in second
    assert without_token(first) == without_token(second)
    assert "shop-csrf-token-placeholder" not in second


def test_each_shopper_gets_a_token_that_lets_them_add_to_the_basket(teapot):
    Client().get(teapot.get_absolute_url())  # fills the cache
    shopper = Client(enforce_csrf_checks=True)

    html = html_of(shopper.get(teapot.get_absolute_url()))

    token = TOKEN.search(html).group(1)
    assert f'"X-CSRFToken": "{token}"' in html
    assert "csrftoken" in shopper.cookies
    response = shopper.post(
        f"/basket/add/{teapot.pk}/", {"quantity": 1, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_a_cached_view_is_still_counted_and_remembered(
    client, teapot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.get(teapot.get_absolute_url())
        response = client.get(teapot.get_absolute_url())
    counters_flush()  # when anonymous views are counted in Redis

    assert ProductRecord.objects.get(product=teapot).num_views == 2
    assert str(teapot.pk) in response.cookies["oscar_history"].value


def test_a_price_or_stock_change_shows_on_the_next_visit(
    client, teapot, django_capture_on_commit_callbacks
):
    client.get(teapot.get_absolute_url())
    stockrecord = teapot.stockrecords.get()

    with django_capture_on_commit_callbacks(execute=True):
        stockrecord.price = "29.00"
        stockrecord.num_in_stock = 2
        stockrecord.save()

    html = html_of(client.get(teapot.get_absolute_url()))
    assert "£29.00" in html and "Only 2 left" in html


def test_a_variant_change_shows_on_its_parent_page(
    client, jumper, django_capture_on_commit_callbacks
):
    url = jumper.get_absolute_url()
    assert "Only 3 left" in html_of(client.get(url, {"size": "M", "colour": "Navy"}))
    stockrecord = child_of(jumper, "M", "Navy").stockrecords.get()

    with django_capture_on_commit_callbacks(execute=True):
        stockrecord.num_in_stock = 15
        stockrecord.save()

    html = html_of(client.get(url, {"size": "M", "colour": "Navy"}))
    assert "Only 3 left" not in html and "In stock" in html


def test_a_product_taken_off_sale_is_not_served_from_the_cache(
    client, teapot, django_capture_on_commit_callbacks
):
    client.get(teapot.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        teapot.is_public = False
        teapot.save()

    assert client.get(teapot.get_absolute_url()).status_code == 404


def test_the_htmx_fragment_and_the_full_page_are_kept_apart(client, jumper):
    url = jumper.get_absolute_url()
    choice = {"size": "S", "colour": "Navy"}
    fragment = html_of(client.get(url, choice, HTTP_HX_REQUEST="true"))

    page = html_of(client.get(url, choice))
    again = html_of(client.get(url, choice, HTTP_HX_REQUEST="true"))

    assert "<html" not in fragment and "<html" in page
    assert without_token(again) == without_token(fragment)


def test_a_shopper_with_a_basket_sees_their_own_mini_basket(client, teapot):
    client.get(teapot.get_absolute_url())  # fills the cache
    basket_add(client, teapot, quantity=2)

    html = html_of(client.get(teapot.get_absolute_url()))

    assert "2 items" in mini_basket_text(html)


def test_the_cache_can_be_turned_off(
    client, teapot, settings, django_assert_max_num_queries
):
    settings.SHOP_PAGE_CACHE_SECONDS = 0
    client.get(teapot.get_absolute_url())

    with django_assert_max_num_queries(12) as queries:
        client.get(teapot.get_absolute_url())

    assert len(queries) > 0


def test_an_offer_started_since_shows_on_a_cached_page(
    client, teapot, django_capture_on_commit_callbacks
):
    from offer.models import Benefit, Condition
    from tests.offer.offers import offer_create

    assert "Winter sale" not in html_of(client.get(teapot.get_absolute_url()))

    with django_capture_on_commit_callbacks(execute=True):
        offer_create(
            name="Winter sale",
            condition=(Condition.COUNT, "1"),
            benefit=(Benefit.PERCENTAGE, "10"),
        )

    assert "Winter sale" in html_of(client.get(teapot.get_absolute_url()))
