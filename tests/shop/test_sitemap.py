"""sitemap.xml (an index of paged sections) and robots.txt."""

import re

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.sitemaps import ProductSitemap
from tests.factories import category_create, product_in_stock

pytestmark = pytest.mark.django_db


def locations(xml: str) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", xml)


def test_index_lists_each_section_with_absolute_addresses(client):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert locations(response.content.decode()) == [
        "http://testserver/sitemap-products.xml",
        "http://testserver/sitemap-categories.xml",
        "http://testserver/sitemap-pages.xml",
    ]


def test_products_section_lists_browsable_products_only(client):
    teapot = product_in_stock(title="Stoneware Teapot")
    hidden = product_in_stock(title="Secret Teapot")
    hidden.is_public = False
    hidden.save()

    xml = client.get("/sitemap-products.xml").content.decode()

    assert locations(xml) == [f"http://testserver{teapot.get_absolute_url()}"]
    assert "<lastmod>" in xml


def test_categories_section_gives_each_category_its_full_address(client):
    kitchen = category_create(name="Kitchen")
    pans = category_create(name="Pans", parent=kitchen)
    hidden = category_create(name="Hidden")
    hidden.is_public = False
    hidden.save()

    xml = client.get("/sitemap-categories.xml").content.decode()

    assert locations(xml) == [
        f"http://testserver{kitchen.get_absolute_url()}",
        f"http://testserver{pans.get_absolute_url()}",
    ]
    assert "/catalogue/category/kitchen/pans_" in xml


def test_pages_section_lists_public_flat_pages(client):
    about = FlatPage.objects.create(url="/about/", title="About", content="Hi")
    about.sites.add(Site.objects.get_current())
    members = FlatPage.objects.create(
        url="/members/", title="Members", content="Hi", registration_required=True
    )
    members.sites.add(Site.objects.get_current())

    xml = client.get("/sitemap-pages.xml").content.decode()

    assert locations(xml) == ["http://testserver/about/"]


def test_large_catalogues_are_paged_and_the_index_lists_every_page(client, monkeypatch):
    monkeypatch.setattr(ProductSitemap, "limit", 2)
    for index in range(5):
        product_in_stock(title=f"Product {index}")

    index = locations(client.get("/sitemap.xml").content.decode())
    page_3 = client.get("/sitemap-products.xml?p=3")

    assert "http://testserver/sitemap-products.xml?p=3" in index
    assert "http://testserver/sitemap-products.xml?p=4" not in index
    assert len(locations(page_3.content.decode())) == 1
    assert client.get("/sitemap-products.xml?p=4").status_code == 404


def test_a_sections_queries_do_not_grow_with_the_catalogue(client):
    kitchen = category_create(name="Kitchen")
    for index in range(3):
        category_create(name=f"Sub {index}", parent=kitchen)
        product_in_stock(title=f"Product {index}")
    client.get("/sitemap-categories.xml")

    for url in ("/sitemap-products.xml", "/sitemap-categories.xml", "/sitemap.xml"):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) <= 6, (url, [q["sql"] for q in queries])


def test_unknown_section_is_not_found(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert body.startswith("User-agent: *\n")
    for path in ("/basket/", "/checkout/", "/accounts/", "/dashboard/"):
        assert f"Disallow: {path}\n" in body
    assert "Disallow: /search/" not in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
