"""The basket page: lines, offers, vouchers and totals, with and without htmx."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.test.factories import (
    BenefitFactory,
    ConditionalOfferFactory,
    ConditionFactory,
    RangeFactory,
)

from tests.basket.conftest import basket_add, mini_basket_text
from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db


def formset_data(client, **changes):
    """The basket page's line formset as the browser would post it."""
    response = client.get("/basket/")
    formset = response.context["formset"]
    data = {
        "form-TOTAL_FORMS": formset.total_form_count(),
        "form-INITIAL_FORMS": formset.initial_form_count(),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
    }
    for index, form in enumerate(formset.forms):
        data[f"form-{index}-id"] = form.instance.pk
        data[f"form-{index}-quantity"] = form.instance.quantity
    data.update(changes)
    return data


def site_offer(*, name="10% off everything", percent=10, minimum_items=1):
    every_product = RangeFactory(name="Everything", includes_all_products=True)
    return ConditionalOfferFactory(
        name=name,
        condition=ConditionFactory(range=every_product, value=minimum_items),
        benefit=BenefitFactory(range=every_product, value=percent),
    )


def test_shows_lines_totals_and_a_shipping_estimate(client, teapot):
    basket_add(client, teapot, quantity=2)

    response = client.get("/basket/")

    html = response.content.decode()
    assert "Stoneware Teapot" in html
    assert "£34.50" in html
    assert "£69.00" in html
    assert "Shipping (estimate)" in html
    assert "Free shipping" in html
    assert "Order total" in html
    assert "Proceed to checkout" in html
    assert 'for="id_form-0-quantity"' in html
    assert 'name="form-0-DELETE"' in html


def test_empty_basket_links_to_the_shop(client):
    html = client.get("/basket/").content.decode()

    assert "Your basket is empty" in html
    assert 'href="/catalogue/"' in html


def test_changing_a_quantity_without_javascript_redirects(client, teapot):
    basket_add(client, teapot)
    data = formset_data(client, **{"form-0-quantity": 3})

    response = client.post("/basket/", data, HTTP_REFERER="/basket/")

    assert response.status_code == 302
    assert "£103.50" in client.get("/basket/").content.decode()


def test_htmx_quantity_change_answers_with_content_totals_and_mini_basket(
    client, teapot, htmx
):
    basket_add(client, teapot)
    data = formset_data(client, **{"form-0-quantity": 3})

    response = client.post("/basket/", data, headers=htmx)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="basket-content"')
    assert "£103.50" in html
    assert '<div id="mini-basket" class="mini-basket" hx-swap-oob="true">' in html
    assert "3 items" in mini_basket_text(html)
    assert 'id="messages" class="messages" hx-swap-oob="true"' in html
    assert "<html" not in html


def test_htmx_removing_the_last_line_shows_the_empty_basket(client, teapot, htmx):
    basket_add(client, teapot)
    data = formset_data(client, **{"form-0-DELETE": "on"})

    response = client.post("/basket/", data, headers=htmx)

    html = response.content.decode()
    assert "Your basket is empty" in html
    assert "0 items" in mini_basket_text(html)


def test_removing_one_of_two_lines_keeps_the_other(client, teapot, htmx):
    kettle = product_in_stock(title="Copper Kettle", price="50.00")
    basket_add(client, teapot)
    basket_add(client, kettle)
    data = formset_data(client, **{"form-0-DELETE": "on"})

    html = client.post("/basket/", data, headers=htmx).content.decode()

    assert "Stoneware Teapot" not in html
    assert "Copper Kettle" in html
    assert mini_basket_text(html) == "Basket 1 item £50.00"


def test_a_bad_quantity_shows_the_error_in_place(client, teapot, htmx):
    basket_add(client, teapot)
    data = formset_data(client, **{"form-0-quantity": "many"})

    response = client.post("/basket/", data, headers=htmx)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a whole number" in html
    assert "is-invalid" in html


def test_an_applied_offer_is_shown_by_name_with_its_discount(client, teapot):
    site_offer(name="Spring sale", percent=10)
    basket_add(client, teapot, quantity=2)

    html = client.get("/basket/").content.decode()

    assert "Spring sale" in html
    assert "&minus;£6.90" in html
    assert "£62.10" in html


def test_a_nearly_met_offer_says_what_is_missing(client, teapot):
    site_offer(name="Three for less", minimum_items=3)
    basket_add(client, teapot, quantity=1)

    html = client.get("/basket/").content.decode()

    assert "Three for less" in html
    assert "Buy 2 more products" in html


def test_a_tiered_offer_says_what_unlocks_its_next_tier(client, teapot):
    from tests.offer.offers import offer_create

    offer_create(
        name="Spend more, save more",
        condition=("Value", "50.00"),
        benefit=("Tiered", None),
        benefit_fields={
            "tiers": [
                {"threshold": "50.00", "discount": "5.00"},
                {"threshold": "100.00", "discount": "15.00"},
            ]
        },
    )
    basket_add(client, teapot, quantity=2)  # £69.00

    html = client.get("/basket/").content.decode()

    assert "&minus;£5.00" in html
    assert "Add £31.00 more to get £15.00 off with the" in html

    basket_add(client, teapot, quantity=1)  # £103.50: the top tier
    html = client.get("/basket/").content.decode()

    assert "&minus;£15.00" in html and "next-tier" not in html


def test_saving_a_line_for_later_moves_it_out_of_the_basket(
    client, teapot, django_user_model
):
    user = django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password="pw-Secret-123"
    )
    client.force_login(user)
    basket_add(client, teapot)
    data = formset_data(client, **{"form-0-save_for_later": "on"})

    client.post("/basket/", data, HTTP_REFERER="/basket/")

    html = client.get("/basket/").content.decode()
    assert "Your basket is empty" in html
    assert "Saved for later" in html
    assert "Move to basket" in html


def _basket_page_queries(client) -> int:
    client.get("/basket/")  # thumbnails and the mini-basket are made once
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/basket/")
    assert response.status_code == 200
    return len(queries)


def _baskets(client_factory, sizes):
    counts = []
    for size in sizes:
        client = client_factory()
        for index in range(size):
            product = product_in_stock(title=f"Product {size}-{index}")
            basket_add(client, product)
        counts.append(_basket_page_queries(client))
    return counts


def test_the_basket_page_costs_the_same_queries_for_1_or_10_lines():
    from django.test import Client

    one, ten = _baskets(Client, [1, 10])

    assert one == ten
    assert ten <= 12


def test_signed_in_the_basket_page_stays_within_budget_for_1_or_10_lines(
    django_user_model,
):
    from django.test import Client

    def signed_in_client():
        client = Client()
        user = django_user_model.objects.create_user(
            username=f"shopper{django_user_model.objects.count()}", password="x"
        )
        client.force_login(user)
        return client

    one, ten = _baskets(signed_in_client, [1, 10])

    assert one == ten
    assert ten <= 12


def test_with_an_offer_the_basket_page_costs_the_same_for_1_or_10_lines():
    from django.test import Client

    site_offer()
    one, ten = _baskets(Client, [1, 10])

    assert one == ten
    assert ten <= 12


def test_totals_come_from_the_basket_not_the_template(client, teapot):
    basket_add(client, teapot, quantity=2)

    response = client.get("/basket/")

    assert response.context["basket"].total_incl_tax == Decimal("69.00")
    assert response.context["order_total"].incl_tax == Decimal("69.00")


def test_with_an_offer_adding_costs_the_same_queries_for_a_short_or_long_basket():
    from django.test import Client

    site_offer()

    def add_query_count(lines_before: int) -> int:
        client = Client()
        for index in range(lines_before):
            basket_add(client, product_in_stock(title=f"Before {lines_before}-{index}"))
        product = product_in_stock(title=f"Added after {lines_before}")
        with CaptureQueriesContext(connection) as queries:
            basket_add(client, product)
        return len(queries)

    assert add_query_count(1) == add_query_count(8)


def test_the_addition_that_meets_an_offer_says_so_once_on_the_page_it_returns_to(
    client,
):
    site_offer(name="Two for less", minimum_items=2)

    def page_after_adding(title: str) -> str:
        product = product_in_stock(title=title)
        response = basket_add(
            client, product, follow=True, HTTP_REFERER=product.get_absolute_url()
        )
        assert response.request["PATH_INFO"] == product.get_absolute_url()
        return response.content.decode()

    assert "qualifies" not in page_after_adding("First")
    second = page_after_adding("Second")
    assert "now qualifies for the" in second
    assert "Two for less" in second
    assert "qualifies" not in page_after_adding("Third")
    assert "qualifies" not in client.get("/basket/").content.decode()


def test_without_javascript_the_addition_leaves_the_pricing_to_the_next_page(client):
    site_offer()
    product = product_in_stock(title="Oat Milk")

    with CaptureQueriesContext(connection) as queries:
        basket_add(client, product)

    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "offer_conditionaloffer" not in tables
    assert "voucher_voucher" not in tables
    html = client.get("/basket/").content.decode()
    assert "10% off everything" in html


def test_a_price_changed_since_the_addition_is_pointed_out(
    client, teapot, django_capture_on_commit_callbacks
):
    basket_add(client, teapot)
    record = teapot.stockrecords.get()
    record.price = Decimal("40.00")
    with django_capture_on_commit_callbacks(execute=True):
        record.save()

    html = client.get("/basket/").content.decode()

    assert "has gone up from £34.50 to £40.00" in html
    assert "£40.00" in html


def test_a_destination_s_tax_is_not_taken_for_a_change_of_price(client, teapot):
    from catalogue.demo.countries import demo_countries_ensure
    from tests.checkout.test_checkout_flow import checkout_to_payment

    demo_countries_ensure()
    berlin = {"line1": "Unter den Linden 1", "line4": "Berlin", "postcode": "10117"}
    checkout_to_payment(client, teapot, country="DE", address=berlin)

    html = client.get("/basket/").content.decode()

    assert "£34.21" in html
    assert "The price of" not in html
