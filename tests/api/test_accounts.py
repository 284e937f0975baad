"""Customers over the API: registration and sign-in for tokens (refreshed once
each, revoked at sign-out), a stricter rate on sign-in, the basket joining the
customer's at sign-in, the profile, and the customer's own orders with their
timeline and return requests."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from order.models import ReturnRequest
from tests.api.test_basket import basket_started, signed_in
from tests.factories import uk_shipped_to
from tests.order.orders import customer, order_paid, products
from tests.order.test_shopper_page import shipped

pytestmark = pytest.mark.django_db

Country = get_model("address", "Country")


@pytest.fixture
def api():
    cache.clear()  # the sign-in rate's counters
    return APIClient()


@pytest.fixture
def ada():
    uk_shipped_to()
    return customer()


def _sign_in(api, email="ada@example.com", password="x"):
    return api.post(
        reverse("api:token"), {"email": email, "password": password}, format="json"
    )


def test_registering_gives_tokens_and_the_welcome_email(api):
    response = api.post(
        reverse("api:register"),
        {"email": "Grace@Example.com", "password": "a long safe pass 42"},
        format="json",
    )

    assert response.status_code == 201
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    me = api.get(reverse("api:me")).json()
    assert me["email"] == "Grace@example.com"
    assert any("Grace@example.com" in message.to for message in mail.outbox)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "ada@example.com", "password": "a long safe pass 42"}, "email"),
        ({"email": "new@example.com", "password": "123"}, "password"),
        ({"email": "not an email", "password": "a long safe pass 42"}, "email"),
        ({"email": "n@example.com", "password": "a long pass 4", "admin": 1}, "admin"),
    ],
)
def test_registration_refuses_bad_input_by_field(api, ada, body, field):
    response = api.post(reverse("api:register"), body, format="json")

    assert response.status_code == 400
    assert {error["attr"] for error in response.json()["errors"]} == {field}


def test_signing_in_with_a_wrong_password_is_401(api, ada):
    response = _sign_in(api, password="wrong")

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authentication_failed"


def test_sign_in_is_throttled_per_address(api, ada, settings):
    attempts = [_sign_in(api, password="wrong").status_code for _ in range(11)]

    assert attempts[:10] == [401] * 10
    assert attempts[10] == 429


def test_a_refresh_token_works_once_and_sign_out_revokes_it(api, ada):
    tokens = _sign_in(api).json()

    renewed = api.post(
        reverse("api:token-refresh"), {"refresh": tokens["refresh"]}, format="json"
    )
    reused = api.post(
        reverse("api:token-refresh"), {"refresh": tokens["refresh"]}, format="json"
    )
    latest = renewed.json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {latest['access']}")
    signed_out = api.post(
        reverse("api:sign-out"), {"refresh": latest["refresh"]}, format="json"
    )
    after_sign_out = api.post(
        reverse("api:token-refresh"), {"refresh": latest["refresh"]}, format="json"
    )

    assert renewed.status_code == 200
    assert reused.status_code == 401
    assert signed_out.status_code == 204
    assert after_sign_out.status_code == 401


def test_signing_in_with_a_basket_token_keeps_the_basket(api, ada):
    [teapot] = products("20.00")
    basket_started(api)
    api.post(
        reverse("api:basket-lines"),
        {"product_id": teapot.pk, "quantity": 2},
        format="json",
    )

    tokens = _sign_in(api).json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    basket = api.get(reverse("api:basket")).json()

    assert [line["quantity"] for line in basket["lines"]] == [2]


def test_the_profile_changes_name_but_not_to_a_taken_email(api, ada):
    customer("grace@example.com")
    signed_in(api, ada)

    renamed = api.patch(reverse("api:me"), {"first_name": "Ada"}, format="json")
    taken = api.patch(reverse("api:me"), {"email": "GRACE@example.com"}, format="json")

    assert renamed.status_code == 200 and renamed.json()["first_name"] == "Ada"
    assert taken.status_code == 400
    ada.refresh_from_db()
    assert ada.email == "ada@example.com"


def test_the_profile_needs_a_token(api):
    assert api.get(reverse("api:me")).status_code == 401


def test_the_history_lists_only_the_customers_orders_newest_first(
    api, ada, django_assert_max_num_queries
):
    teapot, cups = products("20.00", "4.50")
    first = order_paid((teapot, 1), user=ada)
    second = order_paid((cups, 3), user=ada)
    order_paid((teapot, 1), user=customer("grace@example.com"))
    signed_in(api, ada)

    with django_assert_max_num_queries(5):
        body = api.get(reverse("api:my-orders")).json()

    assert [o["number"] for o in body["results"]] == [second.number, first.number]
    assert body["results"][0]["num_items"] == 3
    assert body["next"] is None


def test_an_order_has_its_lines_shipments_and_timeline(api, ada):
    [teapot] = products("20.00")
    order = shipped(order_paid((teapot, 1), user=ada), delivered=True)
    signed_in(api, ada)

    body = api.get(reverse("api:my-order", args=[order.number])).json()

    assert [line["quantity"] for line in body["lines"]] == [1]
    assert body["lines"][0]["returnable"] == 1
    assert body["shipments"][0]["status"] == "delivered"
    assert [event["kind"] for event in body["timeline"]][-1] == "delivery"
    assert body["shipping_address"]["country"] == "GB"


def test_another_customers_order_is_404(api, ada):
    [teapot] = products("20.00")
    theirs = order_paid((teapot, 1), user=customer("grace@example.com"))
    signed_in(api, ada)

    response = api.get(reverse("api:my-order", args=[theirs.number]))
    asked = api.post(
        reverse("api:my-order-returns", args=[theirs.number]),
        {"lines": [{"line_id": theirs.lines.get().pk, "quantity": 1}]},
        format="json",
    )

    assert response.status_code == 404 and asked.status_code == 404
    assert not ReturnRequest.objects.exists()


def test_a_return_is_asked_for_what_arrived_and_refused_beyond_it(api, ada):
    [teapot] = products("20.00")
    order = shipped(order_paid((teapot, 2), user=ada), delivered=True)
    line = order.lines.get()
    signed_in(api, ada)
    url = reverse("api:my-order-returns", args=[order.number])

    too_many = api.post(
        url, {"lines": [{"line_id": line.pk, "quantity": 3}]}, format="json"
    )
    asked = api.post(
        url,
        {"lines": [{"line_id": line.pk, "quantity": 1, "reason": "damaged"}]},
        format="json",
    )

    assert too_many.status_code == 400
    assert asked.status_code == 201
    assert ReturnRequest.objects.get().lines.get().quantity == 1


HOME = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "line1": "12 Marylebone Road",
    "line4": "London",
    "postcode": "NW1 5LR",
    "country": "GB",
}


def test_addresses_are_saved_changed_and_removed_as_on_the_website(api, ada):
    signed_in(api, ada)

    created = api.post(reverse("api:my-addresses"), HOME, format="json")
    pk = created.json()["id"]
    changed = api.put(
        reverse("api:my-address", args=[pk]), {**HOME, "line4": "Bath"}, format="json"
    )
    listed = api.get(reverse("api:my-addresses")).json()
    removed = api.delete(reverse("api:my-address", args=[pk]))

    assert created.status_code == 201 and "NW1 5LR" in created.json()["summary"]
    assert changed.status_code == 200 and listed[0]["line4"] == "Bath"
    assert removed.status_code == 204
    assert api.get(reverse("api:my-addresses")).json() == []


def test_a_bad_postcode_is_refused_and_nothing_saved(api, ada):
    signed_in(api, ada)

    response = api.post(
        reverse("api:my-addresses"), {**HOME, "postcode": "NOT A CODE"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "postcode"
    assert api.get(reverse("api:my-addresses")).json() == []


def test_another_customers_address_is_404(api, ada):
    grace = customer("grace@example.com")
    signed_in(api, grace)
    pk = api.post(reverse("api:my-addresses"), HOME, format="json").json()["id"]
    signed_in(api, ada)

    assert api.delete(reverse("api:my-address", args=[pk])).status_code == 404
    assert (
        api.put(reverse("api:my-address", args=[pk]), HOME, format="json").status_code
        == 404
    )


def test_the_wishlist_adds_once_and_removes(api, ada):
    [teapot] = products("20.00")
    signed_in(api, ada)

    api.post(reverse("api:my-wishlist"), {"product_id": teapot.pk}, format="json")
    twice = api.post(
        reverse("api:my-wishlist"), {"product_id": teapot.pk}, format="json"
    )
    missing = api.post(reverse("api:my-wishlist"), {"product_id": 99999}, format="json")
    removed = api.delete(reverse("api:my-wish", args=[teapot.pk]))
    again = api.delete(reverse("api:my-wish", args=[teapot.pk]))

    assert [w["product_id"] for w in twice.json()] == [teapot.pk]
    assert missing.status_code == 404
    assert removed.status_code == 204 and again.status_code == 404
    assert api.get(reverse("api:my-wishlist")).json() == []
