"""The Google Merchant Center and Meta catalogue feeds: what they list, that each
item carries the channel's required fields, prices from the Strategy, the views
that serve them and their regeneration after a catalogue change."""

import csv
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from oscar.core.loading import get_class

from integrations.feeds import GOOGLE_FEED, META_FEED, feeds_generate
from integrations.tasks import feeds_generate_task, feeds_refresh_task
from tests.integrations.catalogue_data import jumper_with_sizes, pictured_product

pytestmark = pytest.mark.django_db

G = "{http://base.google.com/ns/1.0}"
GOOGLE_REQUIRED = (
    "id",
    "title",
    "description",
    "link",
    "image_link",
    "availability",
    "price",
    "condition",
)
META_REQUIRED = (
    "id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "brand",
)
Selector = get_class("partner.strategy", "Selector")


def google_items() -> dict[str, dict[str, str]]:
    with default_storage.open(GOOGLE_FEED, "rb") as feed:
        root = ET.parse(feed).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") and channel.findtext("link")
    return {
        item.findtext(f"{G}id"): {
            child.tag.removeprefix(G): child.text for child in item
        }
        for item in channel.findall("item")
    }


def meta_rows() -> tuple[list[str], list[dict[str, str]]]:
    with default_storage.open(META_FEED, "rb") as feed:
        reader = csv.DictReader(io.StringIO(feed.read().decode("utf-8")))
        return reader.fieldnames, list(reader)


def strategy_price(product) -> str:
    price = Selector().strategy().fetch_for_product(product).price
    return f"{price.incl_tax.quantize(Decimal('0.01'))} {price.currency}"


def test_google_feed_items_carry_the_required_fields_and_strategy_prices():
    # given a standalone product, one out of stock and one with a GTIN
    teapot = pictured_product(title="Stoneware Teapot", price="12.50")
    empty = pictured_product(title="Linen Apron", price="20.00", num_in_stock=0)
    coded = pictured_product(title="Oak Board", price="30.00", upc="5012345678900")

    # when the feeds are generated
    assert feeds_generate() == 3

    # then each item has Google's required fields, the Strategy's price
    items = google_items()
    assert set(items) == {str(teapot.pk), str(empty.pk), str(coded.pk)}
    for item in items.values():
        for field in GOOGLE_REQUIRED:
            assert item.get(field), f"{field} missing in {item}"
        assert item.get("brand") or item.get("gtin") or item.get("mpn")
        assert item["link"].startswith("http://testserver/")
        assert item["image_link"].startswith("http://testserver/media/")
        assert item["condition"] == "new"
    assert items[str(teapot.pk)]["price"] == strategy_price(teapot)
    assert items[str(teapot.pk)]["availability"] == "in_stock"
    assert items[str(teapot.pk)]["link"] == (
        f"http://testserver{teapot.get_absolute_url()}"
    )
    assert items[str(empty.pk)]["availability"] == "out_of_stock"
    assert items[str(coded.pk)]["gtin"] == "5012345678900"
    assert items[str(teapot.pk)]["identifier_exists"] == "no"


def test_variants_are_items_grouped_by_their_parent_and_the_parent_is_not():
    jumper = jumper_with_sizes(sizes={"S": ("40.00", 3), "M": ("42.00", 0)})

    feeds_generate()

    items = google_items()
    children = {child.pk: child for child in jumper.children.all()}
    assert set(items) == {str(pk) for pk in children}
    for pk, child in children.items():
        item = items[str(pk)]
        assert item["item_group_id"] == str(jumper.pk)
        assert item["price"] == strategy_price(child)
        assert item["brand"] == "Harbour Knits"
        assert item["description"] == "Soft merino & knitted in Scotland."
        assert item["link"].startswith(f"http://testserver{jumper.get_absolute_url()}?")
        assert item["image_link"].startswith("http://testserver/media/")
    availability = {items[str(pk)]["availability"] for pk in children}
    assert availability == {"in_stock", "out_of_stock"}


def test_hidden_unpriced_and_unpictured_products_are_left_out():
    shown = pictured_product(title="Stoneware Teapot")
    hidden = pictured_product(title="Secret Teapot")
    hidden.is_public = False
    hidden.save()
    pictured_product(title="Unpriced Jug").stockrecords.all().delete()
    pictured_product(title="Bare Mug").images.all().delete()

    assert feeds_generate() == 1

    assert set(google_items()) == {str(shown.pk)}


def test_text_is_escaped_so_the_feed_stays_well_formed():
    odd = pictured_product(
        title='Tea & "Cake" <Tin>', description="<p>Fish &amp; chips]]></p>"
    )

    feeds_generate()

    item = google_items()[str(odd.pk)]
    assert item["title"] == 'Tea & "Cake" <Tin>'
    assert item["description"] == "Fish & chips]]>"


def test_meta_csv_has_the_required_columns_filled_on_every_row():
    teapot = pictured_product(title="Stoneware, Teapot", price="12.50")
    jumper = jumper_with_sizes(sizes={"S": ("40.00", 3), "M": ("42.00", 0)})

    feeds_generate()

    columns, rows = meta_rows()
    assert set(META_REQUIRED) | {"item_group_id"} <= set(columns)
    assert len(rows) == 3
    for row in rows:
        for column in META_REQUIRED:
            assert row[column], f"{column} empty in {row}"
        assert row["availability"] in {"in stock", "out of stock"}
        assert row["condition"] == "new"
    by_id = {row["id"]: row for row in rows}
    assert by_id[str(teapot.pk)]["title"] == "Stoneware, Teapot"
    assert by_id[str(teapot.pk)]["price"] == strategy_price(teapot)
    assert by_id[str(teapot.pk)]["item_group_id"] == ""
    for child in jumper.children.all():
        assert by_id[str(child.pk)]["item_group_id"] == str(jumper.pk)
        assert by_id[str(child.pk)]["price"] == strategy_price(child)


def test_views_serve_the_feeds_making_them_on_first_request(client):
    teapot = pictured_product(title="Stoneware Teapot")
    assert not default_storage.exists(GOOGLE_FEED)

    google = client.get("/feeds/google.xml")
    meta = client.get("/feeds/meta.csv")

    assert google.status_code == 200
    assert google["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = ET.fromstring(b"".join(google.streaming_content))
    assert root.find("channel/item").findtext(f"{G}id") == str(teapot.pk)
    assert meta.status_code == 200
    assert meta["Content-Type"] == "text/csv; charset=utf-8"
    assert str(teapot.pk) in b"".join(meta.streaming_content).decode()
    assert client.head("/feeds/google.xml").status_code == 200
    assert client.post("/feeds/google.xml").status_code == 405


def test_an_empty_shop_still_serves_well_formed_feeds(client):
    google = client.get("/feeds/google.xml")

    assert google.status_code == 200
    root = ET.fromstring(b"".join(google.streaming_content))
    assert root.find("channel/item") is None


def test_a_price_change_regenerates_the_feeds(
    client, django_capture_on_commit_callbacks
):
    # given feeds made with the teapot at 12.50
    teapot = pictured_product(title="Stoneware Teapot", price="12.50")
    feeds_generate_task()
    record = teapot.stockrecords.get()

    # when its price changes, the change commits and beat's check runs
    with django_capture_on_commit_callbacks(execute=True):
        record.price = Decimal("15.00")
        record.save()
    feeds_refresh_task()

    # then the stored feeds carry the new price
    assert google_items()[str(teapot.pk)]["price"] == strategy_price(teapot)
    assert google_items()[str(teapot.pk)]["price"].startswith("15.00 ")
    _columns, rows = meta_rows()
    assert rows[0]["price"].startswith("15.00 ")


def test_a_burst_of_changes_is_one_regeneration_and_none_without_changes(
    monkeypatch, django_capture_on_commit_callbacks
):
    teapot = pictured_product(title="Stoneware Teapot")
    feeds_generate_task()
    runs = []
    monkeypatch.setattr(
        "integrations.feeds.feeds_generate", lambda: runs.append(1) or 1
    )

    with django_capture_on_commit_callbacks(execute=True):
        for price in ("13.00", "14.00", "15.00"):
            record = teapot.stockrecords.get()
            record.price = Decimal(price)
            record.save()
        teapot.title = "Stoneware Teapot, large"
        teapot.save()
    after_burst = feeds_refresh_task()
    unchanged = feeds_refresh_task()

    assert (after_burst, unchanged) == (1, 0)
    assert runs == [1]


@pytest.mark.parametrize("count", [3, 30])
def test_generating_the_feeds_takes_the_same_queries_for_any_catalogue_size(
    count, django_assert_max_num_queries
):
    for number in range(count):
        pictured_product(title=f"Teapot {number}")
    jumper_with_sizes(sizes={"S": ("40.00", 3), "M": ("42.00", 2)})

    with django_assert_max_num_queries(10):
        assert feeds_generate() == count + 2
