"""Listings: facets, filters, sorting, search, the query budget and freshness."""

from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import ProductListing
from offer.site_offers import site_offers_open
from tests.factories import category_create, product_in_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def shirts():
    clothing = category_create(name="Clothing")
    shirts = category_create(name="Shirts", parent=clothing)
    for title, price, colour, stock in [
        ("Navy linen shirt", "40.00", "Navy", 5),
        ("Navy oxford shirt", "60.00", "Navy", 0),
        ("Green linen shirt", "45.00", "Green", 8),
        ("Rust flannel shirt", "120.00", "Rust", 3),
    ]:
        product_in_stock(
            title=title,
            price=price,
            num_in_stock=stock,
            category=shirts,
            attributes={"colour": colour, "material": title.split()[1]},
        )
    return shirts


def titles(html: str) -> list[str]:
    import re

    return re.findall(r'<h3 class="card-product__title">([^<]+)</h3>', html)


def test_category_facets_count_each_value(client, shirts):
    html = client.get(shirts.get_absolute_url()).content.decode()

    assert "4 products" in html
    assert 'Navy <span class="facet__count">(2)</span>' in html
    assert 'Green <span class="facet__count">(1)</span>' in html
    assert 'linen <span class="facet__count">(2)</span>' in html


def test_filters_come_before_the_results_folded_for_narrow_screens(client, shirts):
    html = client.get(shirts.get_absolute_url()).content.decode()

    filters = html.index('<details class="listing__filters" data-open-wide>')
    assert filters < html.index('<summary class="listing__facets-title">Filter')
    assert filters < html.index('class="listing__results"')


def test_parent_category_lists_its_subcategories_products(client, shirts):
    html = client.get(shirts.get_parent().get_absolute_url()).content.decode()

    assert "4 products" in html


def test_facet_filter_narrows_results_and_keeps_its_own_counts(client, shirts):
    html = client.get(shirts.get_absolute_url(), {"colour": "Navy"}).content.decode()

    assert sorted(titles(html)) == ["Navy linen shirt", "Navy oxford shirt"]
    # The chosen facet still counts the values not chosen ...
    assert 'Green <span class="facet__count">(1)</span>' in html
    # ... while other facets count within the selection.
    assert "flannel" not in html.split("Material")[1].split("</ul>")[0]


def test_two_values_of_one_facet_mean_either(client, shirts):
    html = client.get(
        shirts.get_absolute_url(), {"colour": ["Navy", "Rust"]}
    ).content.decode()

    assert len(titles(html)) == 3


def test_in_stock_and_price_filters(client, shirts):
    html = client.get(
        shirts.get_absolute_url(), {"in_stock": "1", "price": "25-50"}
    ).content.decode()

    assert sorted(titles(html)) == ["Green linen shirt", "Navy linen shirt"]


def test_sort_by_price(client, shirts):
    html = client.get(
        shirts.get_absolute_url(), {"sort": "price-desc"}
    ).content.decode()

    assert titles(html)[0] == "Rust flannel shirt"
    assert titles(html)[-1] == "Navy linen shirt"


def test_out_of_stock_products_say_so(client, shirts):
    html = client.get(shirts.get_absolute_url()).content.decode()

    oxford = html.split('card-product__title">Navy oxford shirt')[1]
    assert "Out of stock" in oxford.split("</article>")[0]


@pytest.mark.parametrize(
    "params, note",
    [
        ({"colour": "Plaid"}, None),
        ({"page": "-3"}, "page number isn't valid"),
        ({"page": "99999999999"}, "page number isn't valid"),
        ({"page": "abc"}, "page number isn't valid"),
        ({"page": "40"}, "past the end"),
        ({"price": "1-2"}, "unknown price range"),
        ({"sort": "'; DROP TABLE"}, "sort order isn't available"),
    ],
)
def test_bad_listing_input_gets_a_normal_page_with_a_note(client, shirts, params, note):
    response = client.get(shirts.get_absolute_url(), params)

    assert response.status_code == 200
    if note:
        assert note in unescape(response.content.decode())


def test_search_ranks_a_title_match_above_a_description_match(client):
    product_in_stock(
        title="Enamel mug", description="Pairs well with our walnut teapot."
    )
    product_in_stock(title="Walnut teapot", description="Hand turned.")

    html = client.get("/search/", {"q": "walnut teapot"}).content.decode()

    assert titles(html) == ["Walnut teapot", "Enamel mug"]


def test_search_matches_word_prefixes(client):
    product_in_stock(title="Lambswool jumper")

    html = client.get("/search/", {"q": "lambsw"}).content.decode()

    assert titles(html) == ["Lambswool jumper"]


@pytest.mark.parametrize("typo", ["lambswol", "jumpr", "lambswool jumprr"])
def test_a_misspelt_word_still_finds_the_product(client, typo):
    product_in_stock(title="Lambswool jumper")
    product_in_stock(title="Garden trowel")

    html = client.get("/search/", {"q": typo}).content.decode()

    assert titles(html) == ["Lambswool jumper"]
    assert "showing results for" in html


def test_search_suggestions_offer_products_and_categories(client):
    category_create(name="Knitwear")
    product_in_stock(title="Lambswool jumper", price="65.00")

    html = client.get("/catalogue/suggest/", {"q": "knit"}).content.decode()
    assert "Knitwear" in html

    html = client.get("/catalogue/suggest/", {"q": "lamb"}).content.decode()
    assert "Lambswool jumper" in html
    assert "£65.00" in html


def test_htmx_request_gets_only_the_results_fragment(client, shirts):
    response = client.get(
        shirts.get_absolute_url(), {"colour": "Green"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert "<html" not in html
    assert titles(html) == ["Green linen shirt"]
    assert "HX-Request" in response["Vary"]


def test_a_stock_change_refreshes_the_listing_and_its_cached_page(
    client, shirts, django_capture_on_commit_callbacks
):
    before = client.get(shirts.get_absolute_url(), {"in_stock": "1"})
    assert sorted(titles(before.content.decode())) == [
        "Green linen shirt",
        "Navy linen shirt",
        "Rust flannel shirt",
    ]
    green = ProductListing.objects.get(title="Green linen shirt").product
    record = green.stockrecords.get()

    with django_capture_on_commit_callbacks(execute=True):
        record.num_in_stock = 0
        record.save()

    listing = ProductListing.objects.get(pk=green.pk)
    assert listing.stock_status == ProductListing.StockStatus.OUT
    html = client.get(shirts.get_absolute_url(), {"in_stock": "1"}).content.decode()
    assert sorted(titles(html)) == ["Navy linen shirt", "Rust flannel shirt"]


def test_hiding_a_product_removes_its_listing(
    shirts, django_capture_on_commit_callbacks
):
    product = ProductListing.objects.get(title="Rust flannel shirt").product

    with django_capture_on_commit_callbacks(execute=True):
        product.is_public = False
        product.save()

    assert not ProductListing.objects.filter(pk=product.pk).exists()


def _queries(client, url: str) -> int:
    # The open site offers (for the cards' badges) are loaded once for every
    # page and the basket, then cached, as the product page budget counts them.
    site_offers_open()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/catalogue/",
        "/catalogue/?colour=Navy&size=M&in_stock=1&price=25-50&sort=price-asc",
        "/search/?q=wool",  # found in both catalogues: the same page, two sizes
    ],
)
def test_listing_query_budget_is_small_and_independent_of_catalogue_size(client, url):
    call_command("seed_demo", products=10, stdout=open("/dev/null", "w"))
    small = _queries(client, url)
    call_command("seed_demo", products=300, stdout=open("/dev/null", "w"))
    client.get("/healthz")  # a fresh request: nothing cached from the first
    from django.core.cache import cache

    cache.clear()
    large = _queries(client, url)

    assert small <= 12
    assert large == small


def test_a_corrected_search_stays_within_the_query_budget(client):
    call_command("seed_demo", products=50, stdout=open("/dev/null", "w"))

    assert _queries(client, "/search/?q=lnen+shrt") <= 12


def test_only_a_visible_change_invalidates_cached_listings(
    shirts, django_capture_on_commit_callbacks
):
    from catalogue.cache import catalogue_version

    green = ProductListing.objects.get(title="Green linen shirt").product
    record = green.stockrecords.get()
    version = catalogue_version()

    with django_capture_on_commit_callbacks(execute=True):
        record.num_in_stock = 7  # 8 -> 7: still "In stock"
        record.save()
    assert catalogue_version() == version

    with django_capture_on_commit_callbacks(execute=True):
        record.price = "44.00"
        record.save()
    assert catalogue_version() == version + 1
