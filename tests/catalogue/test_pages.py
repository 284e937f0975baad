"""Every storefront page type renders real content with our base template."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalogue.services import listing_refresh
from tests.factories import category_create, product_in_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def kitchen():
    return category_create(name="Kitchen")


@pytest.fixture
def teapot(kitchen):
    return product_in_stock(title="Stoneware Teapot", price="34.50", category=kitchen)


def assert_our_layout(html: str) -> None:
    assert "shop/css/shop.css" in html
    assert 'name="viewport"' in html
    assert "googleapis" not in html


def test_home_shows_featured_categories_and_new_products(client, teapot, kitchen):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert_our_layout(html)
    assert "Stoneware Teapot" in html
    assert "£34.50" in html
    assert kitchen.get_absolute_url() in html


def test_home_with_an_empty_catalogue_says_so(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "no products yet" in response.content.decode()


def test_catalogue_lists_products_with_prices(client, teapot):
    response = client.get("/catalogue/")

    assert response.status_code == 200
    html = response.content.decode()
    assert_our_layout(html)
    assert "Stoneware Teapot" in html
    assert "£34.50" in html
    assert "1 product" in html


def test_category_lists_its_products_and_its_subcategories_products(client, kitchen):
    pans = category_create(name="Pans", parent=kitchen)
    product_in_stock(title="Cast Iron Skillet", price="49.00", category=pans)
    product_in_stock(title="Garden Trowel", price="9.00")

    response = client.get(kitchen.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Cast Iron Skillet" in html
    assert "£49.00" in html
    assert "Garden Trowel" not in html


def test_empty_category_has_an_empty_state(client, kitchen):
    response = client.get(kitchen.get_absolute_url())

    assert "nothing in this category yet" in response.content.decode()


def test_category_with_a_stale_slug_redirects_to_its_address(client, kitchen):
    response = client.get(f"/catalogue/category/old-name_{kitchen.pk}/")

    assert response.status_code == 301
    assert response["Location"] == kitchen.get_absolute_url()


def test_listing_page_out_of_range_falls_back_to_page_one(client, teapot):
    response = client.get("/catalogue/?page=999", follow=True)

    assert response.status_code == 200
    assert "Stoneware Teapot" in response.content.decode()
    assert "past the end of the list" in response.content.decode()


def test_product_page_shows_title_price_and_add_to_basket(client, teapot):
    response = client.get(teapot.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert_our_layout(html)
    assert "Stoneware Teapot" in html
    assert "£34.50" in html
    assert "Add to basket" in html


@pytest.mark.parametrize("query", ["teapot", "STONEWARE", "stone tea"])
def test_search_finds_products_by_title_words(client, teapot, query):
    product_in_stock(title="Garden Trowel")

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Stoneware Teapot" in html
    assert "Garden Trowel" not in html


@pytest.mark.parametrize(
    ("query", "told"),
    [
        ("zzzz", "No products match “zzzz”. Try fewer words"),
        ("' OR 1=1 --", "No products match “&#x27; OR 1=1 --”."),
        ('"quoted"', "No products match “&quot;quoted&quot;”."),
        ("🍵", "Type a word or two to search for."),
        ("x" * 5000, "Your search was shortened to its first 200 characters."),
        ("", '<label for="search-again">What are you looking for?</label>'),
    ],
    ids=["no match", "sql", "quotes", "emoji", "too long", "empty"],
)
def test_search_with_no_match_or_odd_input_tells_the_shopper(
    client, teapot, query, told
):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    html = response.content.decode()
    assert told in html
    assert "Stoneware Teapot" not in html


def test_basket_shows_the_added_line(client, teapot):
    client.post(
        f"/basket/add/{teapot.pk}/",
        {"quantity": 2},
        HTTP_REFERER=teapot.get_absolute_url(),
    )

    response = client.get("/basket/")

    assert response.status_code == 200
    html = response.content.decode()
    assert_our_layout(html)
    assert "Stoneware Teapot" in html
    assert "£69.00" in html


def test_empty_basket_says_so(client):
    response = client.get("/basket/")

    assert "Your basket is empty" in response.content.decode()


def test_checkout_start_asks_a_guest_for_their_email(client, teapot):
    client.post(f"/basket/add/{teapot.pk}/", {"quantity": 1})

    response = client.get("/checkout/", follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert_our_layout(html)
    assert 'name="username"' in html
    assert "Checkout" in html or "checkout" in html


def test_login_and_registration_page_has_both_forms(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    html = response.content.decode()
    assert_our_layout(html)
    assert 'name="login-username"' in html
    assert 'name="registration-email"' in html
    assert 'name="registration-password1"' in html


def test_registration_signs_the_shopper_in_to_their_account(client):
    response = client.post(
        "/accounts/login/",
        {
            "registration-email": "ada@example.com",
            "registration-password1": "a-long-Passphrase-42",
            "registration-password2": "a-long-Passphrase-42",
            "registration_submit": "Register",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "ada@example.com" in response.content.decode()


def test_account_page_requires_sign_in(client):
    response = client.get("/accounts/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_account_page_shows_the_customer_profile(client, django_user_model):
    user = django_user_model.objects.create_user(
        username="grace", email="grace@example.com", password="pw-Secret-123"
    )
    client.force_login(user)

    response = client.get("/accounts/", follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert_our_layout(html)
    assert "grace@example.com" in html
    assert "Order History" in html or "Order history" in html


def test_listing_shows_a_thumbnail_of_the_product_image(client, teapot):
    image = Image.new("RGB", (800, 800), "#1f5f4a")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    teapot.images.create(
        original=SimpleUploadedFile("teapot.jpg", buffer.getvalue()),
        display_order=0,
    )
    listing_refresh(product_ids=[teapot.pk])

    html = client.get("/catalogue/").content.decode()

    thumbnail = re.search(r'src="(/media/cache/[^"]+)" alt="Stoneware Teapot"', html)
    assert thumbnail, html
    response = client.get(thumbnail.group(1))
    assert response.status_code == 200
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (
        400,
        400,
    )


def test_unknown_address_gets_the_shops_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert_our_layout(html)
    assert "Page not found" in html or "not found" in html.lower()
