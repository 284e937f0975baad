"""The shipping address step checks the address for its country: the postcode's
shape, required fields, and that the shop ships there."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalogue.demo.countries import demo_countries_ensure

Country = get_model("address", "Country")

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_shipping_address(client, teapot):
    demo_countries_ensure()
    Country.objects.create(iso_3166_1_a2="ES", name="Spain", is_shipping_country=False)
    client.post(f"/basket/add/{teapot.pk}/", {"quantity": 1})
    client.post(
        reverse("checkout:index"),
        {"username": "ada@example.com", "options": "anonymous"},
    )
    return client


def post_address(client, **fields):
    address = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "line1": "1 Harbour Street",
        "line4": "Whitby",
        **fields,
    }
    return client.post(reverse("checkout:shipping-address"), address)


@pytest.mark.parametrize(
    ("country", "postcode"),
    [
        ("GB", "YO21 3PU"),
        ("GB", "yo213pu"),
        ("DE", "10117"),
        ("NL", "1012 JS"),
        ("US", "02108"),
        ("IE", "D02 X285"),
        ("FR", "75001"),
    ],
)
def test_a_postcode_of_the_country_s_shape_is_taken(
    at_shipping_address, country, postcode
):
    response = post_address(at_shipping_address, country=country, postcode=postcode)

    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:shipping-method")


@pytest.mark.parametrize(
    ("country", "postcode"),
    [
        ("GB", "12345"),
        ("DE", "1011"),
        ("DE", "ABCDE"),
        ("NL", "10123"),
        ("US", "2108"),
        ("FR", "7500"),
    ],
)
def test_a_postcode_not_of_the_country_s_shape_is_refused_with_a_message(
    at_shipping_address, country, postcode
):
    response = post_address(at_shipping_address, country=country, postcode=postcode)

    assert response.status_code == 200
    assert "is not valid for" in response.content.decode()
    assert "shipping" not in at_shipping_address.session.get("checkout_data", {}) or (
        not at_shipping_address.session["checkout_data"]["shipping"]
    )


def test_a_country_the_shop_does_not_ship_to_is_refused(at_shipping_address):
    page = at_shipping_address.get(reverse("checkout:shipping-address")).content

    response = post_address(at_shipping_address, country="ES", postcode="28001")

    assert b'value="ES"' not in page
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_missing_and_overlong_fields_are_refused_with_messages(at_shipping_address):
    response = post_address(
        at_shipping_address,
        country="GB",
        postcode="YO21 3PU",
        line1="",
        line4="W" * 500,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in html
    assert "Ensure this value has at most 255 characters" in html
