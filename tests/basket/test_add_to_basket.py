"""Add to basket: Oscar's redirect without JavaScript, a fragment for htmx."""

import pytest

from basket.models import Basket, Line
from partner.strategy import Selector
from tests.basket.conftest import basket_add, mini_basket_text
from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db


def test_without_javascript_adding_redirects_back_as_oscar_does(client, teapot):
    response = basket_add(client, teapot, HTTP_REFERER=teapot.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == teapot.get_absolute_url()
    html = client.get("/basket/").content.decode()
    assert "Stoneware Teapot" in html


def test_htmx_adding_answers_with_a_confirmation_and_the_mini_basket(
    client, teapot, htmx
):
    response = basket_add(client, teapot, quantity=2, headers=htmx)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Stoneware Teapot" in html
    assert "added to your basket" in html
    assert 'role="status"' in html
    assert '<div id="mini-basket" class="mini-basket" hx-swap-oob="true">' in html
    assert "2 items" in mini_basket_text(html)
    assert "£69.00" in mini_basket_text(html)
    assert "HX-Request" in response["Vary"]


def test_htmx_confirmation_is_not_shown_again_on_the_next_page(client, teapot, htmx):
    basket_add(client, teapot, headers=htmx)

    html = client.get("/basket/").content.decode()

    assert "has been added to your basket" not in html


def test_htmx_adding_a_bad_quantity_answers_with_the_error(client, teapot, htmx):
    response = basket_add(client, teapot, quantity=0, headers=htmx)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "greater than or equal to 1" in html
    assert "0 items" in mini_basket_text(html)


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("-3", "greater than or equal to 1"),
        ("abc", "Enter a whole number"),
        ("99999999999999999999", "not able to ship more than"),
    ],
)
def test_a_tampered_quantity_is_refused_and_adds_nothing(
    client, teapot, htmx, quantity, message
):
    response = basket_add(client, teapot, quantity=quantity, headers=htmx)

    assert message in response.content.decode()
    assert not Line.objects.exists()


def test_htmx_adding_more_than_the_stock_answers_with_the_error(client, htmx):
    scarce = product_in_stock(title="Last Jug", num_in_stock=1)

    response = basket_add(client, scarce, quantity=5, headers=htmx)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "a maximum of 1" in html
    assert "0 items" in mini_basket_text(html)


def test_the_mini_basket_shows_the_count_and_total_on_every_page(client, teapot):
    basket_add(client, teapot, quantity=3)

    html = client.get("/accounts/login/").content.decode()

    assert 'id="mini-basket"' in html
    assert "3 items" in mini_basket_text(html)
    assert "£103.50" in mini_basket_text(html)


def test_the_mini_basket_follows_a_change_made_elsewhere(client, teapot):
    basket_add(client, teapot, quantity=1)
    client.get("/accounts/login/")  # the mini-basket is remembered now
    Line.objects.filter(product=teapot).update(quantity=4)
    Line.objects.get(product=teapot).save()  # a change through the ORM signals it

    html = client.get("/accounts/login/").content.decode()

    assert "4 items" in mini_basket_text(html)
    assert "£138.00" in mini_basket_text(html)


def test_signing_in_shows_the_merged_basket_in_the_mini_basket(
    client, teapot, django_user_model
):
    django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password="pw-Secret-123"
    )
    basket_add(client, teapot, quantity=2)
    client.get("/accounts/login/")  # remembered for the anonymous basket

    client.post(
        "/accounts/login/",
        {
            "login-username": "ada@example.com",
            "login-password": "pw-Secret-123",
            "login_submit": "Log In",
        },
    )
    html = client.get("/accounts/profile/").content.decode()

    assert "2 items" in mini_basket_text(html)
    assert "£69.00" in mini_basket_text(html)


def test_a_product_sold_out_since_the_last_addition_is_refused(
    client, teapot, django_capture_on_commit_callbacks
):
    basket_add(client, teapot)
    record = teapot.stockrecords.get()
    with django_capture_on_commit_callbacks(execute=True):
        record.num_in_stock = record.num_allocated
        record.save()

    response = basket_add(client, teapot, follow=True)

    assert "no stock available" in response.content.decode()
    assert Line.objects.get().quantity == 1


def test_adding_the_same_product_again_adds_to_its_line(client, teapot):
    basket_add(client, teapot)
    basket_add(client, teapot, quantity=2)

    line = Line.objects.get()
    assert line.quantity == 3


@pytest.mark.django_db(transaction=True)
def test_the_same_product_added_twice_at_once_makes_one_line_of_two():
    from django.test import Client

    from tests.concurrency import all_at_once

    first = Client()
    basket_add(first, product_in_stock(title="Tea Cosy"))
    second = Client()
    second.cookies = first.cookies

    for attempt in range(3):  # the race is not won every time
        product = product_in_stock(title=f"Teapot {attempt}")
        outcomes = all_at_once(
            [lambda c=c, p=product: basket_add(c, p) for c in (first, second)]
        )

        assert outcomes == {"ok": 2}
        assert Line.objects.get(product=product).quantity == 2


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_new_line_is_one_insert_and_a_clash_merges(
    django_assert_num_queries,
):
    """In autocommit a new line costs one INSERT, no BEGIN and COMMIT around
    it; a line another request added meanwhile (the INSERT is refused) gets
    the quantity added instead, with no second line."""
    mug, jug = product_in_stock(title="Mug"), product_in_stock(title="Jug")
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(mug, 1)

    fresh = Basket.objects.get(pk=basket.pk)
    fresh.strategy = basket.strategy
    # the summary, the jug's stock record, the INSERT
    with django_assert_num_queries(3) as writes:
        fresh.add_product(jug, 1)
    racer = Basket.objects.get(pk=basket.pk)
    racer.strategy = basket.strategy
    racer._line_summary = [(mug.pk, "GBP", 1)]  # read before the jug went in
    racer.add_product(jug, 2)

    assert [q["sql"].split()[0] for q in writes.captured_queries] == [
        "SELECT",
        "SELECT",
        "INSERT",
    ]
    assert Line.objects.filter(basket=basket, product=jug).count() == 1
    assert Line.objects.get(basket=basket, product=jug).quantity == 3
