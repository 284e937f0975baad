"""The storefront frame, and Oscar's account and wish list pages inside it."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.apps.address.models import Country
from oscar.apps.wishlists.models import WishList

from shop.selectors import category_menu
from tests.factories import category_create, product_in_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper(django_user_model):
    return django_user_model.objects.create_user(
        username="grace", email="grace@example.com", password="pw-Secret-123"
    )


@pytest.fixture
def signed_in(client, shopper):
    client.force_login(shopper)
    return client


# --- The frame ---------------------------------------------------------------


def test_storefront_loads_our_css_and_htmx_but_no_bootstrap_or_jquery(client):
    html = client.get("/accounts/login/").content.decode()

    assert "shop/css/shop.css" in html
    assert "shop/css/catalogue.css" in html
    assert html.index("shop/css/shop.css") < html.index("shop/css/catalogue.css")
    assert "django_htmx/htmx-2.min.js" in html
    assert "oscar/css/styles.css" not in html
    assert "jquery" not in html.lower()
    assert "bootstrap" not in html.lower()
    assert "$(function" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "a request to another host"


def test_frame_has_skip_link_labelled_search_and_live_feedback_region(client):
    html = client.get("/accounts/login/").content.decode()

    assert '<a class="skip-link" href="#content">' in html
    assert '<main id="content"' in html
    assert '<label class="sr-only" for="site-search-q">' in html
    assert 'action="/search/"' in html and 'name="q"' in html
    assert (
        '<div id="basket-feedback" class="feedback" aria-live="polite"></div>' in html
    )
    assert 'id="mini-basket"' in html
    assert 'hx-headers=\'{"X-CSRFToken":' in html


def test_search_box_asks_for_suggestions_when_the_catalogue_offers_them(client):
    from django.urls import NoReverseMatch, reverse

    html = client.get("/accounts/login/").content.decode()

    try:
        suggest_url = reverse("catalogue:suggest")
    except NoReverseMatch:
        assert "hx-get" not in html
        return
    assert f'hx-get="{suggest_url}"' in html
    assert '<div id="search-suggestions"' in html


def test_category_menu_lists_top_level_categories_and_their_children(client):
    kitchen = category_create(name="Kitchen")
    pans = category_create(name="Pans", parent=kitchen)
    category_create(name="Cast iron", parent=pans)  # deeper levels stay out
    hidden = category_create(name="Hidden")
    hidden.is_public = False
    hidden.save()

    html = client.get("/accounts/login/").content.decode()

    assert "<summary" in html and "Shop by category" in html
    assert f'href="{kitchen.get_absolute_url()}">Kitchen</a>' in html
    assert f'href="{pans.get_absolute_url()}">Pans</a>' in html
    assert "Cast iron" not in html
    assert "Hidden" not in html


def test_category_menu_is_cached_and_forgotten_when_a_category_changes():
    kitchen = category_create(name="Kitchen")
    category_menu()

    with CaptureQueriesContext(connection) as queries:
        menu = category_menu()
    assert len(queries) == 0
    assert [item["name"] for item in menu] == ["Kitchen"]

    kitchen.name = "Cookware"
    kitchen.save()
    category_create(name="Garden")

    assert [item["name"] for item in category_menu()] == ["Cookware", "Garden"]


def test_account_links_for_visitors_shoppers_and_staff(client, django_user_model):
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in or register" in html

    staff = django_user_model.objects.create_user(
        username="staff", email="staff@example.com", password="x", is_staff=True
    )
    client.force_login(staff)
    html = client.get("/accounts/login/", follow=True).content.decode()
    assert 'href="/dashboard/"' in html
    assert 'action="/accounts/logout/"' in html


def test_sign_out_is_a_post_that_ends_the_session(signed_in):
    response = signed_in.post("/accounts/logout/")

    assert response.status_code == 302
    assert signed_in.get("/accounts/").status_code == 302


def test_dashboard_keeps_oscars_look_and_scripts(client, django_user_model):
    staff = django_user_model.objects.create_user(
        username="staff", email="staff@example.com", password="x", is_staff=True
    )
    client.force_login(staff)

    html = client.get("/dashboard/").content.decode()

    assert "oscar/css/dashboard.css" in html
    assert "oscar/js/jquery/jquery.min.js" in html
    assert "bootstrap.bundle.min.js" in html
    assert "oscar.dashboard.init" in html
    assert "shop/css/shop.css" not in html


def test_not_found_page_is_in_our_frame(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "shop/css/shop.css" in html
    assert "Page not found" in html
    assert 'id="mini-basket"' in html


def test_flat_page_renders_in_our_frame(client):
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site

    page = FlatPage.objects.create(
        url="/about/", title="About us", content="<p>We sell things.</p>"
    )
    page.sites.add(Site.objects.get_current())

    html = client.get("/about/").content.decode()

    assert "About us" in html
    assert "We sell things." in html
    assert "shop/css/shop.css" in html


# --- Accounts and wish lists ------------------------------------------------------


def test_register_then_sign_out_and_sign_in_again(client):
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
    assert "ada@example.com" in response.content.decode()
    client.post("/accounts/logout/")

    response = client.post(
        "/accounts/login/",
        {
            "login-username": "ada@example.com",
            "login-password": "a-long-Passphrase-42",
            "login_submit": "Log In",
        },
        follow=True,
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/accounts/profile/"
    assert "Sign out" in html


def test_a_wrong_password_is_reported_next_to_the_form(client, shopper):
    response = client.post(
        "/accounts/login/",
        {
            "login-username": "grace@example.com",
            "login-password": "wrong",
            "login_submit": "Log In",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "correct" in html  # "Please enter a correct username and password"


def test_registration_errors_are_tied_to_their_fields(client):
    response = client.post(
        "/accounts/login/",
        {
            "registration-email": "not-an-email",
            "registration-password1": "a",
            "registration-password2": "b",
            "registration_submit": "Register",
        },
    )

    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_registration-email_desc"' in html
    assert 'id="id_registration-email_desc"' in html


def test_adding_an_address_lists_it_in_the_address_book(signed_in):
    Country.objects.create(
        iso_3166_1_a2="GB",
        iso_3166_1_a3="GBR",
        iso_3166_1_numeric="826",
        printable_name="United Kingdom",
        name="United Kingdom",
        is_shipping_country=True,
    )

    response = signed_in.post(
        "/accounts/addresses/add/",
        {
            "first_name": "Grace",
            "last_name": "Hopper",
            "line1": "1 Navy Way",
            "line4": "London",
            "postcode": "SW1A 1AA",
            "country": "GB",
        },
        follow=True,
    )

    html = response.content.decode()
    assert "1 Navy Way" in html
    assert "Set as default shipping address" in html
    assert "dropdown-toggle" not in html  # actions work without JavaScript


def test_creating_and_viewing_a_wish_list(signed_in, shopper):
    teapot = product_in_stock(title="Stoneware Teapot")

    response = signed_in.post(
        "/accounts/wishlists/create/",
        {
            "name": "Birthday ideas",
            "visibility": "Private",
            "shared_emails-TOTAL_FORMS": 0,
            "shared_emails-INITIAL_FORMS": 0,
        },
        follow=True,
    )
    assert response.status_code == 200
    wishlist = WishList.objects.get(owner=shopper)
    wishlist.add(teapot)

    listing = signed_in.get("/accounts/wishlists/").content.decode()
    detail = signed_in.get(f"/accounts/wishlists/{wishlist.key}/").content.decode()

    assert "Birthday ideas" in listing
    assert "Stoneware Teapot" in detail
    assert "Update quantities" in detail
    assert "shop/css/shop.css" in detail


def test_order_history_loads_no_date_picker_scripts(signed_in):
    html = signed_in.get("/accounts/orders/").content.decode()

    assert "Order history" in html or "Order History" in html
    assert "moment" not in html
    assert "tempusdominus" not in html


# --- Query budget -------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # caches, thumbnails and the mini-basket are made once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _client_with_lines(count: int) -> Client:
    client = Client()
    for index in range(count):
        product = product_in_stock(title=f"Product {count}-{index}")
        client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    return client


def test_the_frame_costs_the_same_queries_for_an_empty_or_full_basket():
    kitchen = category_create(name="Kitchen")
    category_create(name="Pans", parent=kitchen)

    counts = [_queries(_client_with_lines(n), "/accounts/login/") for n in (0, 1, 10)]

    assert counts[0] == counts[1] == counts[2]
    assert counts[2] <= 12


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/profile/",
        "/accounts/orders/",
        "/accounts/addresses/",
        "/accounts/wishlists/",
        "/accounts/profile/edit/",
    ],
)
def test_account_pages_stay_within_the_query_budget(signed_in, url):
    for index in range(3):
        product = product_in_stock(title=f"Product {index}")
        signed_in.post(f"/basket/add/{product.pk}/", {"quantity": 1})

    assert _queries(signed_in, url) <= 12
