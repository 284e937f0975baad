"""Choosing a variant through the address: the full page, or for htmx
the purchase fragment."""

import re
from decimal import Decimal

import pytest
from oscar.test.factories import create_product

from catalogue.models import (
    Product,
)
from tests.catalogue.product_pages import (
    child_of,
    hidden_child_id,
    html_of,
    parent_create,
)

pytestmark = pytest.mark.django_db


def test_parent_page_shows_one_radio_group_per_option_and_asks_for_a_choice(
    client, jumper
):
    html = html_of(client.get(jumper.get_absolute_url()))

    legends = re.findall(r"<legend>(\w+)", html)
    assert legends == ["Size", "Colour"]
    assert re.findall(r'name="size" id="[^"]+" value="(\w+)"', html) == [
        "S",
        "M",
        "L",
        "XL",
    ]
    assert "<noscript><button" in html and "Choose</button>" in html
    assert "Choose a size and colour to add it to your basket." in html
    assert "From</span>" in html and "£60.00" in html
    assert hidden_child_id(html) is None


def test_values_no_variant_in_stock_has_are_marked_unavailable(client, jumper):
    html = html_of(client.get(jumper.get_absolute_url()))

    unavailable = re.findall(
        r'variant-picker__value--unavailable">\s*<input type="radio" name="(\w+)" '
        r'id="[^"]+" value="(\w+)"',
        html,
    )
    assert unavailable == [("size", "L"), ("size", "XL")]
    assert "(out of stock)" in html


def test_choosing_size_and_colour_shows_that_variants_price_and_stock(client, jumper):
    html = html_of(
        client.get(jumper.get_absolute_url(), {"size": "M", "colour": "Oat"})
    )

    assert "£62.00" in html
    assert "In stock" in html
    assert hidden_child_id(html) == str(child_of(jumper, "M", "Oat").pk)
    assert re.search(r'value="M" checked', html) and re.search(
        r'value="Oat" checked', html
    )


def test_a_low_variant_says_how_many_are_left(client, jumper):
    html = html_of(
        client.get(jumper.get_absolute_url(), {"size": "M", "colour": "Navy"})
    )

    assert "Only 3 left" in html
    assert hidden_child_id(html) == str(child_of(jumper, "M", "Navy").pk)


def test_an_out_of_stock_variant_says_so_and_cannot_be_added(client, jumper):
    html = html_of(
        client.get(jumper.get_absolute_url(), {"size": "L", "colour": "Navy"})
    )

    assert "Out of stock" in html
    assert "£65.00" in html
    assert hidden_child_id(html) is None
    assert "Notify me" in html


def test_the_only_value_of_an_option_is_chosen_for_the_shopper(client, clothing):
    parent = parent_create(
        clothing, variants=[("S", "Navy", "50.00", 9), ("M", "Navy", "50.00", 9)]
    )

    html = html_of(client.get(parent.get_absolute_url(), {"size": "S"}))

    assert hidden_child_id(html) == str(child_of(parent, "S", "Navy").pk)


def test_adding_the_chosen_variant_puts_it_in_the_basket(client, jumper):
    page = html_of(
        client.get(jumper.get_absolute_url(), {"size": "M", "colour": "Oat"})
    )

    response = client.post(
        f"/basket/add/{jumper.pk}/",
        {"quantity": 2, "child_id": hidden_child_id(page)},
    )

    assert response.status_code == 302
    lines = list(response.wsgi_request.basket.all_lines())
    assert [(line.product, line.quantity) for line in lines] == [
        (child_of(jumper, "M", "Oat"), 2)
    ]


def test_the_matching_is_forgiving_about_case(client, jumper):
    html = html_of(
        client.get(jumper.get_absolute_url(), {"size": "m", "colour": "oat"})
    )

    assert hidden_child_id(html) == str(child_of(jumper, "M", "Oat").pk)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"size": "XXL", "colour": "Navy"}, "there is no size “XXL”"),
        ({"size": "<b>junk</b>" * 20}, "there is no size “&lt;b&gt;junk"),
        ({"colour": "Oat", "size": "S"}, "doesn&#x27;t come in S / Oat"),
        ({"variant": "999999", "size": "", "colour": "🧶"}, "there is no colour “🧶”"),
    ],
)
def test_an_unknown_choice_is_a_normal_page_with_a_clear_message(
    client, jumper, params, message
):
    html = html_of(client.get(jumper.get_absolute_url(), params))

    assert message in html
    assert 'role="alert"' in html
    assert hidden_child_id(html) is None
    assert "Harbour merino jumper" in html


def test_htmx_choice_gets_only_the_purchase_fragment(client, jumper):
    response = client.get(
        jumper.get_absolute_url(),
        {"size": "S", "colour": "Navy"},
        HTTP_HX_REQUEST="true",
    )

    html = html_of(response)
    assert "<html" not in html and "<h1" not in html
    assert html.strip().startswith('<div id="product-purchase"')
    assert hidden_child_id(html) == str(child_of(jumper, "S", "Navy").pk)
    assert '<p id="product-announcer" hx-swap-oob="innerHTML">S / Navy: £60.00' in html
    assert "HX-Request" in response["Vary"]


def test_the_choice_form_is_a_get_form_on_the_same_address_pushed_by_htmx(
    client, jumper
):
    html = html_of(client.get(jumper.get_absolute_url()))

    form = re.search(r'<form class="variant-picker"[^>]*>', html).group(0)
    url = jumper.get_absolute_url()
    assert 'method="get"' in form and f'action="{url}"' in form
    assert f'hx-get="{url}"' in form and 'hx-push-url="true"' in form
    assert 'hx-target="#product-purchase"' in form


def test_htmx_history_restore_gets_the_whole_page(client, jumper):
    response = client.get(
        jumper.get_absolute_url(),
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )

    assert "<html" in html_of(response)


def test_a_variants_address_redirects_to_its_parent_with_it_chosen(client, jumper):
    child = child_of(jumper, "M", "Oat")

    response = client.get(child.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == f"{jumper.get_absolute_url()}?size=M&colour=Oat"


def test_a_stale_slug_redirects_and_keeps_the_choice(client, jumper):
    response = client.get(f"/catalogue/old-name_{jumper.pk}/", {"size": "M"})

    assert response.status_code == 301
    assert response["Location"] == f"{jumper.get_absolute_url()}?size=M"


def test_variants_without_attributes_are_chosen_by_name(client):
    parent = create_product(title="Gift card", structure=Product.PARENT)
    small = create_product(
        parent=parent, title="Gift card £10", price=Decimal("10"), num_in_stock=50
    )
    create_product(
        parent=parent, title="Gift card £25", price=Decimal("25"), num_in_stock=50
    )

    html = html_of(client.get(parent.get_absolute_url(), {"variant": small.pk}))

    assert "<legend>Variant" in html
    assert "Gift card £25" in html
    assert hidden_child_id(html) == str(small.pk)
    assert "£10.00" in html


def test_a_parent_with_no_variant_on_sale_says_it_is_unavailable(client, clothing):
    parent = parent_create(clothing, variants=[])

    html = html_of(client.get(parent.get_absolute_url()))

    assert "Out of stock" in html
    assert "variant-picker" not in html
    assert "Add to basket" not in html


# --- Budgets ----------------------------------------------------------------
