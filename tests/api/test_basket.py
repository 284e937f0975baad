"""The basket over the API: an anonymous client's by token, a customer's own,
lines, vouchers, totals after offers, and the Idempotency-Key on its writes."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_class, get_model
from oscar.test.factories import UserFactory
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from api.models import IdempotencyKey
from api.shopping.baskets import (
    basket_from_token,
    basket_id_from_token,
    basket_token_for,
    basket_token_merge,
)
from api.shopping.serializers import BasketSerializer, basket_data, basket_shown
from offer.services import basket_offers_price
from tests.checkout.test_vouchers import single_use_voucher
from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
Selector = get_class("partner.strategy", "Selector")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def teapot():
    return product_in_stock(title="Stoneware Teapot", price="34.50", num_in_stock=5)


def basket_started(api) -> str:
    response = api.post(reverse("api:basket"))
    assert response.status_code == 201
    token = response.json()["token"]
    api.credentials(HTTP_X_BASKET_TOKEN=token)
    return token


def signed_in(api, user) -> None:
    access = RefreshToken.for_user(user).access_token
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")


def test_an_anonymous_client_starts_a_basket_and_fills_it(api, teapot):
    basket_started(api)

    response = api.post(
        reverse("api:basket-lines"),
        {"product_id": teapot.pk, "quantity": 2},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert [(line["title"], line["quantity"]) for line in body["lines"]] == [
        ("Stoneware Teapot", 2)
    ]
    assert body["totals"]["total_incl_tax"] == "69.00"
    assert body["totals"]["num_items"] == 2
    assert api.get(reverse("api:basket")).json() == body


def test_no_token_and_a_bad_token_are_refused_in_the_error_shape(api, teapot):
    no_token = api.get(reverse("api:basket"))
    api.credentials(HTTP_X_BASKET_TOKEN="12:forged")
    forged = api.post(
        reverse("api:basket-lines"), {"product_id": teapot.pk}, format="json"
    )

    assert no_token.status_code == 400
    assert no_token.json()["errors"][0]["attr"] == "X-Basket-Token"
    assert forged.status_code == 404
    assert forged.json()["type"] == "client_error"
    assert not Line.objects.exists()


def test_more_than_is_in_stock_is_refused_and_nothing_added(api, teapot):
    basket_started(api)

    response = api.post(
        reverse("api:basket-lines"),
        {"product_id": teapot.pk, "quantity": 6},
        format="json",
    )

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["attr"] == "quantity"
    assert "5" in error["detail"]
    assert not Line.objects.exists()


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"product_id": "teapot"}, "product_id"),
        ({"product_id": 1, "quantity": 0}, "quantity"),
        ({"product_id": 1, "colour": "red"}, "colour"),
        ({}, "product_id"),
    ],
)
def test_malformed_lines_are_refused_with_the_field_named(api, teapot, body, attr):
    basket_started(api)

    response = api.post(reverse("api:basket-lines"), body, format="json")

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert response.json()["errors"][0]["attr"] == attr


def test_malformed_json_is_a_parse_error(api):
    basket_started(api)

    response = api.post(
        reverse("api:basket-lines"), data="{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


def test_a_line_is_changed_and_taken_off(api, teapot):
    basket_started(api)
    line = api.post(
        reverse("api:basket-lines"), {"product_id": teapot.pk}, format="json"
    ).json()["lines"][0]
    url = reverse("api:basket-line", kwargs={"line_id": line["id"]})

    changed = api.patch(url, {"quantity": 3}, format="json")
    too_many = api.patch(url, {"quantity": 9}, format="json")
    removed = api.delete(url)

    assert changed.json()["lines"][0]["quantity"] == 3
    assert too_many.status_code == 400
    assert removed.json()["lines"] == []
    assert api.delete(url).status_code == 404


def test_another_clients_line_answers_404(api, teapot):
    basket_started(api)
    line = api.post(
        reverse("api:basket-lines"), {"product_id": teapot.pk}, format="json"
    ).json()["lines"][0]
    other = APIClient()
    basket_started(other)

    response = other.patch(
        reverse("api:basket-line", kwargs={"line_id": line["id"]}),
        {"quantity": 4},
        format="json",
    )

    assert response.status_code == 404
    assert Line.objects.get().quantity == 1


def test_a_voucher_discounts_the_total_and_comes_off_again(api, teapot):
    single_use_voucher("FIVEOFF")
    basket_started(api)
    api.post(reverse("api:basket-lines"), {"product_id": teapot.pk}, format="json")

    added = api.post(
        reverse("api:basket-vouchers"), {"code": " fiveoff "}, format="json"
    )
    removed = api.delete(reverse("api:basket-voucher", kwargs={"code": "FIVEOFF"}))

    assert added.status_code == 201
    assert added.json()["vouchers"] == ["FIVEOFF"]
    assert added.json()["totals"]["total_incl_tax"] == "29.50"
    assert added.json()["discounts"][0]["voucher_code"] == "FIVEOFF"
    assert removed.json()["vouchers"] == []
    assert removed.json()["totals"]["total_incl_tax"] == "34.50"


def test_a_basket_with_a_voucher_keeps_it_on_the_next_addition(api, teapot):
    single_use_voucher("FIVEOFF")
    basket_started(api)
    api.post(reverse("api:basket-lines"), {"product_id": teapot.pk}, format="json")
    api.post(reverse("api:basket-vouchers"), {"code": "FIVEOFF"}, format="json")
    cup = product_in_stock(title="Cup", price="5.50")

    added = api.post(reverse("api:basket-lines"), {"product_id": cup.pk}, format="json")

    assert added.json()["vouchers"] == ["FIVEOFF"]
    assert added.json()["totals"]["total_incl_tax"] == "35.00"


def test_the_shared_serializer_shows_each_basket_as_a_new_one_would(api, teapot):
    single_use_voucher("FIVEOFF")
    basket_started(api)
    api.post(reverse("api:basket-lines"), {"product_id": teapot.pk}, format="json")
    api.post(reverse("api:basket-vouchers"), {"code": "FIVEOFF"}, format="json")
    with_voucher = Basket.objects.get()
    empty = Basket.objects.create()

    for basket in (with_voucher, empty, with_voucher):
        basket.strategy = Selector().strategy()
        basket_offers_price(basket=basket, user=AnonymousUser())
        assert basket_shown(basket) == BasketSerializer(basket_data(basket)).data
    assert basket_shown(with_voucher)["discounts"][0]["voucher_code"] == "FIVEOFF"
    assert basket_shown(empty)["lines"] == []


def test_a_token_finds_only_its_open_anonymous_basket_knowing_its_vouchers(
    api, teapot, monkeypatch
):
    single_use_voucher("FIVEOFF")
    with_voucher = Basket.objects.get(pk=basket_id_from_token(basket_started(api)))
    api.post(reverse("api:basket-lines"), {"product_id": teapot.pk}, format="json")
    api.post(reverse("api:basket-vouchers"), {"code": "FIVEOFF"}, format="json")
    plain = Basket.objects.create()
    owned = Basket.objects.create(owner=UserFactory())
    ordered = Basket.objects.create(status=Basket.SUBMITTED)
    compiled = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda *a, **k: compiled.append(1) or as_sql(*a, **k)
    )

    found = basket_from_token(basket_token_for(plain))
    assert (found.pk, found.vouchers_known_none()) == (plain.pk, True)
    found = basket_from_token(basket_token_for(with_voucher))
    assert (found.pk, found.vouchers_known_none()) == (with_voucher.pk, False)
    assert basket_from_token(basket_token_for(owned)) is None
    assert basket_from_token(basket_token_for(ordered)) is None
    assert basket_from_token("not-a-token") is None
    # Compiled once for all (a test before may have compiled it already).
    assert len(compiled) <= 1


def test_an_addition_costs_the_same_queries_for_a_short_or_long_basket(api):
    products = [
        product_in_stock(title=f"Mug {number}", price="4.00") for number in range(11)
    ]
    other = APIClient()
    basket_started(other)
    for product in products:  # another shopper's additions fill the cache
        other.post(
            reverse("api:basket-lines"), {"product_id": product.pk}, format="json"
        )
    basket_started(api)

    def addition_queries() -> int:
        product = products.pop()
        with CaptureQueriesContext(connection) as queries:
            response = api.post(
                reverse("api:basket-lines"), {"product_id": product.pk}, format="json"
            )
        assert response.status_code == 201
        # Not the savepoint the test's transaction puts around the INSERT.
        return sum(not q["sql"].startswith(("SAVEPOINT", "RELEASE")) for q in queries)

    short = addition_queries()
    for _ in range(8):
        addition_queries()
    long = addition_queries()

    assert long == short
    # The basket (knowing it has no voucher), its lines, the new line, the
    # ranges holding their products.
    assert short <= 4


def test_unknown_and_malformed_voucher_codes_say_why(api, teapot):
    basket_started(api)
    api.post(reverse("api:basket-lines"), {"product_id": teapot.pk}, format="json")

    unknown = api.post(reverse("api:basket-vouchers"), {"code": "NOPE"}, format="json")
    odd = api.post(reverse("api:basket-vouchers"), {"code": "ÅÄÖ!"}, format="json")

    assert unknown.status_code == 404
    assert "NOPE" in unknown.json()["errors"][0]["detail"]
    assert odd.status_code == 400
    assert odd.json()["errors"][0]["attr"] == "code"


def test_a_signed_in_customer_uses_the_basket_the_website_shows(api, client, teapot):
    customer = UserFactory()
    signed_in(api, customer)

    api.post(reverse("api:basket-lines"), {"product_id": teapot.pk}, format="json")
    client.force_login(customer)
    page = client.get(reverse("basket:summary"))

    assert "Stoneware Teapot" in page.content.decode()
    assert Basket.objects.get().owner == customer


def test_an_app_basket_joins_the_customers_on_sign_in_and_shows_on_the_website(
    api, client, teapot
):
    token = basket_started(api)
    api.post(reverse("api:basket-lines"), {"product_id": teapot.pk}, format="json")
    customer = UserFactory()

    basket_token_merge(token=token, user=customer)
    client.force_login(customer)
    page = client.get(reverse("basket:summary"))

    assert "Stoneware Teapot" in page.content.decode()
    assert Basket.open.get(owner=customer).num_items == 1


def test_a_write_sent_twice_with_one_key_adds_once_and_says_it_replayed(api, teapot):
    basket_started(api)
    key = str(uuid.uuid4())
    body = {"product_id": teapot.pk, "quantity": 1}

    first = api.post(
        reverse("api:basket-lines"), body, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    again = api.post(
        reverse("api:basket-lines"), body, format="json", HTTP_IDEMPOTENCY_KEY=key
    )

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Line.objects.get().quantity == 1


def test_a_key_reused_with_another_body_answers_422_and_changes_nothing(api, teapot):
    basket_started(api)
    key = str(uuid.uuid4())
    api.post(
        reverse("api:basket-lines"),
        {"product_id": teapot.pk},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )

    reused = api.post(
        reverse("api:basket-lines"),
        {"product_id": teapot.pk, "quantity": 3},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )

    assert reused.status_code == 422
    assert reused.json()["errors"][0]["code"] == "idempotency_key_reused"
    assert Line.objects.get().quantity == 1


def test_a_failed_write_keeps_no_key_so_the_fixed_request_can_use_it(api, teapot):
    basket_started(api)
    key = str(uuid.uuid4())

    refused = api.post(
        reverse("api:basket-lines"),
        {"product_id": teapot.pk, "quantity": 9},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )

    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()


def test_one_key_of_two_clients_replays_neither_for_the_other(api, teapot):
    key = str(uuid.uuid4())
    basket_started(api)
    other = APIClient()
    basket_started(other)
    body = {"product_id": teapot.pk}

    for each in (api, other):
        each.post(
            reverse("api:basket-lines"), body, format="json", HTTP_IDEMPOTENCY_KEY=key
        )

    assert sorted(Line.objects.values_list("quantity", flat=True)) == [1, 1]


def test_a_key_older_than_a_day_is_forgotten(api, teapot, time_machine):
    from api.idempotency import idempotency_keys_purge

    time_machine.move_to("2026-01-01 12:00Z")
    basket_started(api)
    api.post(
        reverse("api:basket-lines"),
        {"product_id": teapot.pk},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    time_machine.move_to("2026-01-02 12:01Z")

    assert idempotency_keys_purge() == 1
    assert not IdempotencyKey.objects.exists()
