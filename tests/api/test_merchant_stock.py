"""Products with their stock for integrations, and stock and prices set in
bulk by SKU, every row or none."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from partner.models import StockRecord
from tests.api.merchant_clients import (
    availability,
    staff_signed_in,
    stocked,
    with_token,
)
from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


# --- Products ----------------------------------------------------------------


def test_products_show_their_stock_records(api):
    product, record = stocked("TEA-1", num_in_stock=7, price="12.00")
    with_token(api, "catalogue:read")

    body = api.get(reverse("api:merchant-products")).json()

    assert body["next"] is None
    [row] = body["results"]
    assert row["id"] == product.pk
    assert row["stockrecords"] == [
        {
            "id": record.pk,
            "partner": record.partner.code,
            "partner_sku": "TEA-1",
            "price": "12.00",
            "currency": record.price_currency,
            "num_in_stock": 7,
            "num_allocated": 0,
            "num_reserved": 0,
            "date_updated": row["stockrecords"][0]["date_updated"],
        }
    ]


def test_products_filter_by_sku_and_change(api):
    first, _ = stocked("TEA-1")
    second, second_record = stocked("TEA-2")
    stocked("TEA-3")
    with_token(api, "catalogue:read")
    url = reverse("api:merchant-products")
    since = second_record.date_updated.isoformat()

    by_sku = api.get(url, {"sku": "TEA-1,TEA-2"}).json()["results"]
    changed = api.get(url, {"updated_since": since}).json()["results"]
    bad = api.get(url, {"updated_since": "yesterday"})

    assert [row["id"] for row in by_sku] == [first.pk, second.pk]
    assert second.pk in [row["id"] for row in changed]
    assert first.pk not in [row["id"] for row in changed]
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["attr"] == "updated_since"


def test_products_page_by_cursor_in_a_fixed_number_of_queries(
    api, django_assert_max_num_queries
):
    for n in range(12):
        stocked(f"SKU-{n}")
    with_token(api, "catalogue:read")
    url = reverse("api:merchant-products")

    with django_assert_max_num_queries(4):
        first = api.get(url, {"page_size": 5}).json()
    with django_assert_max_num_queries(4):
        everything = api.get(url, {"page_size": 50}).json()
    second = api.get(first["next"]).json()

    assert len(first["results"]) == 5
    assert len(everything["results"]) == 12
    assert [row["id"] for row in first["results"] + second["results"]] == [
        row["id"] for row in everything["results"][:10]
    ]


# --- Stock and prices in bulk ----------------------------------------------------


def test_stock_set_by_sku_is_what_the_storefront_offers(api):
    teapot, teapot_record = stocked("TEA-1", num_in_stock=0)
    cup, _ = stocked("CUP-1", num_in_stock=5)
    with_token(api, "stock:write")
    assert not availability(teapot).availability.is_available_to_buy

    response = api.post(
        reverse("api:merchant-stock"),
        {
            "items": [
                {"sku": "TEA-1", "num_in_stock": 4},
                {"sku": "CUP-1", "num_in_stock": 0},
            ]
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["updated"] == 2
    assert response.json()["items"][0] == {
        "sku": "TEA-1",
        "partner": teapot_record.partner.code,
        "stockrecord_id": teapot_record.pk,
    }
    teapot_info = availability(teapot)
    assert teapot_info.availability.is_available_to_buy
    assert teapot_info.availability.num_available == 4
    assert not availability(cup).availability.is_available_to_buy


def test_one_bad_row_changes_nothing_and_every_bad_row_is_named(api):
    _, allocated = stocked("TEA-1", num_in_stock=10)
    allocated.num_allocated = 3
    allocated.save()
    stocked("CUP-1", num_in_stock=5)
    with_token(api, "stock:write")

    response = api.post(
        reverse("api:merchant-stock"),
        {
            "items": [
                {"sku": "CUP-1", "num_in_stock": 50},
                {"sku": "NOPE", "num_in_stock": 1},
                {"sku": "TEA-1", "num_in_stock": 2},
                {"sku": "CUP-1", "num_in_stock": -1},
            ]
        },
        format="json",
    )

    assert response.status_code == 400
    errors = [(e["attr"], e["code"]) for e in response.json()["errors"]]
    assert errors == [
        ("items.1.sku", "unknown_sku"),
        ("items.2.num_in_stock", "below_allocated"),
        ("items.3.sku", "duplicate_sku"),
        ("items.3.num_in_stock", "negative_stock"),
    ]
    assert sorted(StockRecord.objects.values_list("partner_sku", "num_in_stock")) == [
        ("CUP-1", 5),
        ("TEA-1", 10),
    ]


@pytest.mark.parametrize(
    "body, attr",
    [
        ({"items": []}, "items.non_field_errors"),
        ({"items": [{"sku": "TEA-1"}]}, "items.0.num_in_stock"),
        ({"items": [{"sku": "TEA-1", "num_in_stock": "lots"}]}, "items.0.num_in_stock"),
        (
            {"items": [{"sku": "TEA-1", "num_in_stock": 1, "colour": "red"}]},
            "items.0.colour",
        ),
        (
            {"items": [{"sku": "TEA-1", "num_in_stock": 1}] * 501},
            "items.non_field_errors",
        ),
    ],
)
def test_a_malformed_body_is_refused_with_the_field_named(api, body, attr):
    stocked("TEA-1", num_in_stock=3)
    with_token(api, "stock:write")

    response = api.post(reverse("api:merchant-stock"), body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr
    assert StockRecord.objects.get().num_in_stock == 3


def test_the_stock_records_are_locked_in_primary_key_order(api):
    stocked("A", num_in_stock=1)
    stocked("B", num_in_stock=1)
    stocked("C", num_in_stock=1)
    with_token(api, "stock:write")

    with CaptureQueriesContext(connection) as queries:
        response = api.post(
            reverse("api:merchant-stock"),
            {"items": [{"sku": s, "num_in_stock": 2} for s in ("C", "A", "B")]},
            format="json",
        )

    assert response.status_code == 200
    [lock] = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert 'ORDER BY "partner_stockrecord"."id" ASC' in lock


def test_a_stock_write_needs_stock_write(api):
    stocked("TEA-1", num_in_stock=3)
    with_token(api, "catalogue:read", "prices:write")

    response = api.post(
        reverse("api:merchant-stock"),
        {"items": [{"sku": "TEA-1", "num_in_stock": 9}]},
        format="json",
    )

    assert response.status_code == 403
    assert StockRecord.objects.get().num_in_stock == 3


def test_staff_with_the_permission_set_stock(api):
    stocked("TEA-1", num_in_stock=3)
    staff_signed_in(api, "partner.change_stockrecord")

    response = api.post(
        reverse("api:merchant-stock"),
        {"items": [{"sku": "TEA-1", "num_in_stock": 9}]},
        format="json",
    )

    assert response.status_code == 200
    assert StockRecord.objects.get().num_in_stock == 9


def test_prices_set_by_sku_are_what_the_strategy_charges(api):
    teapot, _ = stocked("TEA-1", price="10.00")
    with_token(api, "prices:write")

    response = api.post(
        reverse("api:merchant-prices"),
        {"items": [{"sku": "TEA-1", "price": "12.50"}]},
        format="json",
    )

    assert response.status_code == 200
    assert availability(teapot).price.incl_tax == Decimal("12.50")


@pytest.mark.parametrize(
    "price, code",
    [
        ("-1.00", "negative_price"),
        ("12.505", "max_decimal_places"),
        ("cheap", "invalid"),
    ],
)
def test_a_bad_price_changes_no_price(api, price, code):
    stocked("TEA-1", price="10.00")
    stocked("CUP-1", price="4.00")
    with_token(api, "prices:write")

    response = api.post(
        reverse("api:merchant-prices"),
        {
            "items": [
                {"sku": "CUP-1", "price": "5.00"},
                {"sku": "TEA-1", "price": price},
            ]
        },
        format="json",
    )

    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [
        ("items.1.price", code)
    ]
    assert sorted(StockRecord.objects.values_list("price", flat=True)) == [
        Decimal("4.00"),
        Decimal("10.00"),
    ]


def test_a_sku_two_partners_stock_needs_the_partner(api):
    _, first = stocked("TEA-1", num_in_stock=1)
    product = product_in_stock(title="Other teapot", num_in_stock=1)
    other = product.stockrecords.get()
    other.partner = type(first.partner).objects.create(name="Outlet", code="outlet")
    other.partner_sku = "TEA-1"
    other.save()
    with_token(api, "stock:write")
    url = reverse("api:merchant-stock")

    ambiguous = api.post(
        url, {"items": [{"sku": "TEA-1", "num_in_stock": 5}]}, format="json"
    )
    named = api.post(
        url,
        {"items": [{"sku": "TEA-1", "partner": "outlet", "num_in_stock": 5}]},
        format="json",
    )

    assert ambiguous.json()["errors"][0]["code"] == "sku_ambiguous"
    assert named.status_code == 200
    other.refresh_from_db()
    first.refresh_from_db()
    assert (first.num_in_stock, other.num_in_stock) == (1, 5)


def test_a_bulk_write_replays_under_its_idempotency_key(api):
    stocked("TEA-1", num_in_stock=3)
    with_token(api, "stock:write")
    body = {"items": [{"sku": "TEA-1", "num_in_stock": 9}]}

    first = api.post(
        reverse("api:merchant-stock"), body, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    StockRecord.objects.update(num_in_stock=1)
    again = api.post(
        reverse("api:merchant-stock"), body, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )

    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert StockRecord.objects.get().num_in_stock == 1
