"""Products over the API: listings with the website's facets, sorts and typo
correction, paged by cursor; a product with its variants, images, attributes and
the Strategy's price and stock; ETags for conditional GETs."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue.services import listing_refresh
from partner.models import StockRecord
from tests.catalogue.product_pages import child_of
from tests.factories import category_create, product_in_stock

pytestmark = pytest.mark.django_db

LIST_BUDGET = 10


def _titles(body: dict) -> list[str]:
    return [card["title"] for card in body["results"]]


def test_the_list_pages_by_cursor_without_repeats_or_gaps(
    client, django_assert_max_num_queries
):
    for number in range(7):
        product_in_stock(title=f"Mug {number}", price=f"{10 + number}.00")

    seen = []
    url = reverse("api:product-list") + "?sort=price-asc&page_size=3"
    pages = 0
    while url:
        with django_assert_max_num_queries(LIST_BUDGET):
            response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        seen += _titles(body)
        url = body["next"]
        pages += 1

    assert pages == 3
    assert seen == [f"Mug {number}" for number in range(7)]


def test_a_product_added_while_scrolling_does_not_shift_the_next_page(client):
    for number in range(4):
        product_in_stock(title=f"Jar {number}", price=f"{10 + number}.00")
    first = client.get(
        reverse("api:product-list"), {"sort": "price-asc", "page_size": 2}
    ).json()

    product_in_stock(title="Cheap jar", price="1.00")
    second = client.get(first["next"]).json()

    assert _titles(first) == ["Jar 0", "Jar 1"]
    assert _titles(second) == ["Jar 2", "Jar 3"]
    assert second["next"] is None


def test_cards_carry_price_stock_and_the_website_link(client):
    mug = product_in_stock(title="Enamel mug", price="12.50", num_in_stock=0)

    [card] = client.get(reverse("api:product-list")).json()["results"]

    assert card["id"] == mug.pk
    assert Decimal(card["price"]) == Decimal("12.50") and card["currency"] == "GBP"
    assert card["stock_status"] == "out"
    assert card["url"] == mug.get_absolute_url()


def test_filters_by_category_facet_price_band_and_stock(client):
    kitchen = category_create(name="Kitchen")
    product_in_stock(title="Red pan", category=kitchen, attributes={"colour": "Red"})
    product_in_stock(title="Blue pan", category=kitchen, attributes={"colour": "Blue"})
    product_in_stock(title="Red rug", attributes={"colour": "Red"})
    product_in_stock(title="Pricey pan", price="300.00", category=kitchen)
    product_in_stock(title="Gone pan", num_in_stock=0, category=kitchen)
    url = reverse("api:product-list")

    in_kitchen = client.get(url, {"category": kitchen.pk, "sort": "title-asc"}).json()
    red_in_kitchen = client.get(url, {"category": kitchen.pk, "colour": "Red"}).json()
    cheap = client.get(url, {"category": kitchen.pk, "price": "10-25"}).json()
    in_stock = client.get(url, {"category": kitchen.pk, "in_stock": "true"}).json()

    assert _titles(in_kitchen) == [
        "Blue pan",
        "Gone pan",
        "Pricey pan",
        "Red pan",
    ]
    assert _titles(red_in_kitchen) == ["Red pan"]
    colours = {
        value["value"]: value["count"]
        for facet in red_in_kitchen["facets"]
        if facet["key"] == "colour"
        for value in facet["values"]
    }
    assert colours == {"Red": 1, "Blue": 1}  # a facet's choice doesn't narrow it
    assert "Pricey pan" not in _titles(cheap)
    assert "Gone pan" not in _titles(in_stock)


def test_search_matches_words_and_corrects_a_typo(client, settings):
    product_in_stock(title="Stoneware teapot", description="Glazed by hand")
    product_in_stock(title="Linen apron")
    listing_refresh(product_ids=[])

    found = client.get(reverse("api:search"), {"q": "teapot"}).json()
    corrected = client.get(reverse("api:search"), {"q": "teapott"}).json()

    assert _titles(found) == ["Stoneware teapot"]
    assert corrected["corrected_query"] == "teapot"
    assert _titles(corrected) == ["Stoneware teapot"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": ""}, "q"),
        ({"q": "mug", "sort": "cheapest"}, "sort"),
        ({"q": "mug", "price": "1-2"}, "price"),
        ({"q": "mug", "page_size": "1000"}, "page_size"),
        ({"q": "mug", "cursor": "not-a-cursor"}, "cursor"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_parameters_are_refused_by_name(client, params, field):
    response = client.get(reverse("api:search"), params)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["attr"].startswith(field)


def test_a_cursor_from_another_sort_is_refused(client):
    for number in range(3):
        product_in_stock(title=f"Bowl {number}")
    url = reverse("api:product-list")
    cursor = client.get(url, {"page_size": 1}).json()["next"].split("cursor=")[1]

    response = client.get(url, {"sort": "price-asc", "cursor": cursor})

    assert response.status_code == 400


def test_an_unknown_or_hidden_category_is_404(client):
    hidden = category_create(name="Staff only")
    hidden.is_public = False
    hidden.save()

    assert client.get(reverse("api:product-list"), {"category": 999}).status_code == 404
    assert (
        client.get(reverse("api:product-list"), {"category": hidden.pk}).status_code
        == 404
    )


def test_a_parent_has_its_variants_with_their_price_and_stock(
    client, jumper, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("api:product-detail", args=[jumper.pk]))

    assert response.status_code == 200
    body = response.json()
    assert body["structure"] == "parent" and body["offer"] is None
    assert Decimal(body["price_range"]["low"]) == Decimal("60.00")
    assert Decimal(body["price_range"]["high"]) == Decimal("62.00")  # buyable ones
    assert {a["code"]: a["value"] for a in body["attributes"]} == {"material": "merino"}
    variants = {
        (a["size"], a["colour"]): v
        for v in body["variants"]
        for a in [{x["code"]: x["value"] for x in v["attributes"]}]
    }
    assert len(variants) == 5
    low = variants[("M", "Navy")]["offer"]
    assert low["is_available"] and low["stock_status"] == "low"
    assert not variants[("L", "Navy")]["offer"]["is_available"]
    codes = {a["code"] for a in variants[("L", "Navy")]["attributes"]}
    assert codes == {"size", "colour", "material"}  # a variant has its parent's


def test_a_variants_id_answers_with_its_parent(client, jumper):
    child = child_of(jumper, "S", "Navy")

    body = client.get(reverse("api:product-detail", args=[child.pk])).json()

    assert body["id"] == jumper.pk


def test_a_standalone_product_has_its_images_and_the_strategys_price(client, teapot):
    body = client.get(reverse("api:product-detail", args=[teapot.pk])).json()

    assert body["structure"] == "standalone" and body["variants"] == []
    assert body["offer"]["is_available"] and body["offer"]["currency"] == "GBP"
    assert Decimal(body["offer"]["price"]) == Decimal("34.50")
    assert len(body["images"]) == 2
    assert body["images"][0]["alt"].startswith("The teapot from the side")


def test_a_hidden_or_missing_product_is_404(client, teapot):
    teapot.is_public = False
    teapot.save()

    assert (
        client.get(reverse("api:product-detail", args=[teapot.pk])).status_code == 404
    )
    assert client.get(reverse("api:product-detail", args=[99999])).status_code == 404


def test_a_conditional_get_is_304_until_the_product_changes(
    client, teapot, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = reverse("api:product-detail", args=[teapot.pk])
    etag = client.get(url)["ETag"]

    with django_assert_num_queries(0):
        unchanged = client.get(url, headers={"If-None-Match": etag})
    with django_capture_on_commit_callbacks(execute=True):
        StockRecord.objects.filter(product=teapot).update(num_in_stock=0)
        record = StockRecord.objects.get(product=teapot)
        record.num_in_stock = 0
        record.save()
    changed = client.get(url, headers={"If-None-Match": etag})

    assert unchanged.status_code == 304 and unchanged["ETag"] == etag
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert not changed.json()["offer"]["is_available"]


def test_a_conditional_list_is_304_until_the_catalogue_changes(
    client, django_capture_on_commit_callbacks
):
    mug = product_in_stock(title="Mug")
    url = reverse("api:product-list")
    etag = client.get(url)["ETag"]

    unchanged = client.get(url, headers={"If-None-Match": etag})
    other_query = client.get(url, {"sort": "newest"}, headers={"If-None-Match": etag})
    with django_capture_on_commit_callbacks(execute=True):
        mug.title = "Big mug"
        mug.save()
    changed = client.get(url, headers={"If-None-Match": etag})

    assert unchanged.status_code == 304
    assert other_query.status_code == 200
    assert changed.status_code == 200


def test_a_repeated_read_is_answered_from_the_cache_until_the_product_changes(
    client, teapot, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = reverse("api:product-detail", args=[teapot.pk])
    first = client.get(url)

    with django_assert_num_queries(0):
        again = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        record = StockRecord.objects.get(product=teapot)
        record.price = Decimal("31.00")
        record.save()
    changed = client.get(url)

    assert again.json() == first.json() and again["ETag"] == first["ETag"]
    assert changed["ETag"] != first["ETag"]
    assert Decimal(changed.json()["offer"]["price"]) != Decimal(
        first.json()["offer"]["price"]
    )


def test_a_repeated_listing_costs_no_query_and_links_to_the_host_asked(
    client, settings, django_assert_num_queries
):
    settings.ALLOWED_HOSTS = ["testserver", "app.testserver"]
    for number in range(3):
        product_in_stock(title=f"Cup {number}")
    url = reverse("api:product-list") + "?page_size=2"
    first = client.get(url).json()

    with django_assert_num_queries(0):
        again = client.get(url).json()
    elsewhere = client.get(url, headers={"Host": "app.testserver"}).json()

    assert again == first
    assert first["next"].startswith("http://testserver/")
    assert elsewhere["next"].startswith("http://app.testserver/")


def test_prices_are_the_home_countrys_whoever_asks(client, teapot):
    """An answer shared by every client can't be priced for one shopper's
    destination: a session whose checkout ships abroad (the US, no tax) is
    still shown the home price, tax included."""
    session = client.session
    session["checkout_data"] = {
        "shipping": {"new_address_fields": {"country_id": "US"}}
    }
    session.save()

    offer = client.get(reverse("api:product-detail", args=[teapot.pk])).json()["offer"]

    assert Decimal(offer["price"]) == StockRecord.objects.get(product=teapot).price
