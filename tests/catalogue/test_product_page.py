"""The product page: title, price and stock from the Strategy, gallery, attributes."""

import re

import pytest
from django.urls import reverse

from tests.catalogue.product_pages import (
    html_of,
    structured_data,
)
from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db


def test_product_page_shows_title_price_stock_and_a_labelled_quantity(client, teapot):
    html = html_of(client.get(teapot.get_absolute_url()))

    assert "<h1" in html and "Stoneware Teapot" in html
    assert "£34.50" in html
    assert "In stock" in html
    assert f'action="/basket/add/{teapot.pk}/"' in html
    assert 'hx-target="#basket-feedback"' in html
    assert '<label class="add-to-basket__quantity" for="id_quantity">' in html
    assert 'name="quantity"' in html


def test_low_stock_says_how_many_are_left(client):
    mug = product_in_stock(title="Enamel Mug", price="9.00", num_in_stock=3)

    html = html_of(client.get(mug.get_absolute_url()))

    assert "Only 3 left" in html


def test_out_of_stock_product_says_so_and_offers_a_stock_alert(client):
    vase = product_in_stock(title="Bud Vase", price="18.00", num_in_stock=0)

    html = html_of(client.get(vase.get_absolute_url()))

    assert "Out of stock" in html
    assert "Add to basket" not in html
    assert (
        f'action="{reverse("customer:alert-create", kwargs={"pk": vase.pk})}"' in html
    )
    data = structured_data(html)
    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"


def test_gallery_shows_each_image_with_alt_text_and_thumbnail_links(client, teapot):
    html = html_of(client.get(teapot.get_absolute_url()))

    main = re.search(
        r'<img id="product-gallery-image" src="([^"]+)" alt="([^"]+)"', html
    )
    assert main and main.group(2) == "The teapot from the side (1/2)"
    assert client.get(main.group(1)).status_code == 200
    thumbnails = re.findall(r'<a class="product-gallery__thumb" href="([^"]+)"', html)
    assert len(thumbnails) == 2
    assert thumbnails[0] == main.group(1)
    assert 'alt="Show image 2"' in html
    assert "shop/js/product.js" in html


def test_product_without_images_shows_a_placeholder(client):
    mug = product_in_stock(title="Enamel Mug")

    html = html_of(client.get(mug.get_absolute_url()))

    assert "product-gallery-image" not in html
    assert 'aria-label="Enamel Mug: no image yet"' in html


def test_a_picture_whose_file_is_missing_is_left_out_of_the_gallery(client, teapot):
    first = teapot.images.order_by("display_order").first()
    first.original.storage.delete(first.original.name)

    html = html_of(client.get(teapot.get_absolute_url()))

    main = re.search(r'<img id="product-gallery-image" src="[^"]+" alt="([^"]+)"', html)
    assert main and main.group(1) == "The teapot from above"
    assert "product-gallery__thumb" not in html


def test_page_shows_breadcrumbs_description_and_attributes(client, jumper):
    html = html_of(client.get(jumper.get_absolute_url()))

    crumbs = re.search(r'<nav aria-label="Breadcrumb".*?</nav>', html, re.S).group(0)
    assert crumbs.index("Wear") < crumbs.index("Knitwear") < crumbs.index("Harbour")
    assert "Soft merino, knitted in Scotland." in html
    assert re.search(r"<th scope=\"row\">Material</th><td>merino</td>", html)


# --- Structured data, Open Graph, canonical ---------------------------------
