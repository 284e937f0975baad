"""What the product page tells search engines and social sites: JSON-LD,
Open Graph and the canonical address."""

import pytest

from tests.catalogue.product_pages import (
    html_of,
    image_add,
    meta,
    structured_data,
)
from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db


def test_structured_data_describes_the_product_and_its_offer(client, teapot):
    html = html_of(client.get(teapot.get_absolute_url()))

    data = structured_data(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Product"
    assert data["name"] == "Stoneware Teapot"
    assert data["sku"] == "TEAPOT"
    assert data["url"] == f"http://testserver{teapot.get_absolute_url()}"
    assert data["image"][0].startswith("http://testserver/media/")
    assert data["offers"] == {
        "@type": "Offer",
        "price": "34.50",
        "priceCurrency": "GBP",
        "availability": "https://schema.org/InStock",
        "url": f"http://testserver{teapot.get_absolute_url()}",
    }


def test_structured_data_of_a_parent_is_an_aggregate_offer(client, jumper):
    html = html_of(client.get(jumper.get_absolute_url()))

    offers = structured_data(html)["offers"]
    assert offers["@type"] == "AggregateOffer"
    assert (offers["lowPrice"], offers["highPrice"]) == ("60.00", "62.00")
    assert offers["offerCount"] == 5
    assert offers["availability"] == "https://schema.org/InStock"


def test_structured_data_cannot_break_out_of_its_script_element(client):
    product = product_in_stock(title="</script><script>alert(1)</script>")

    html = html_of(client.get(product.get_absolute_url()))

    assert "<script>alert(1)" not in html
    assert structured_data(html)["name"] == "</script><script>alert(1)</script>"


def test_open_graph_tags_and_canonical_address_without_the_query(client, jumper):
    image_add(jumper)
    url = f"http://testserver{jumper.get_absolute_url()}"

    html = html_of(client.get(jumper.get_absolute_url(), {"size": "M"}))

    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "og:type") == "product"
    assert meta(html, "og:title") == "Harbour merino jumper"
    assert meta(html, "og:url") == url
    assert meta(html, "og:image").startswith("http://testserver/media/")
    assert meta(html, "og:description").startswith("Soft merino")
    assert meta(html, "product:price:amount") == "60.00"
    assert meta(html, "product:price:currency") == "GBP"


# --- Choosing a variant -----------------------------------------------------
