"""Behaviour events: buffered on the request, written in batches by the flush,
carrying who the shopper is only with their consent."""

import pytest
from django.urls import reverse

from catalogue.services import listing_refresh
from personalisation import events
from personalisation.events import CONSENT_COOKIE, event_record, events_flush
from personalisation.models import Event
from tests.factories import category_create, product_in_stock
from tests.order.orders import customer, order_paid, products
from tests.processes import require_postgres_and_redis

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["redis", "in-process"])
def buffer(request, settings):
    """Each test runs on both buffers: Redis, and this process's list."""
    if request.param == "redis":
        require_postgres_and_redis()
        settings.SHOP_ANALYTICS_BUFFER = True
    else:
        settings.SHOP_ANALYTICS_BUFFER = False
    events_flush()  # nothing left over from another test's buffer
    Event.objects.all().delete()
    return request.param


@pytest.fixture
def teapot():
    return product_in_stock(title="Stoneware Teapot", price="34.50")


def test_a_product_view_writes_nothing_until_the_flush_writes_it(
    client, teapot, buffer, django_assert_max_num_queries
):
    client.get(teapot.get_absolute_url())  # the page cached
    with django_assert_max_num_queries(0):
        client.get(teapot.get_absolute_url())  # from the cache: still counted

    assert Event.objects.count() == 0 and events.events_waiting() == 2
    assert events_flush() == 2
    views = list(Event.objects.values_list("kind", "product_id", "channel"))
    assert views == [(Event.Kind.PRODUCT_VIEW, teapot.pk, Event.Channel.WEB)] * 2
    assert events.events_waiting() == 0 and events_flush() == 0


def test_without_consent_an_event_carries_no_shopper(client, teapot, buffer):
    ada = customer()
    client.force_login(ada)

    client.get(teapot.get_absolute_url())
    client.cookies[CONSENT_COOKIE] = "analytics,personalisation"
    client.get(teapot.get_absolute_url())
    client.get(teapot.get_absolute_url(), headers={"Sec-GPC": "1"})
    client.get(teapot.get_absolute_url(), headers={"DNT": "1"})
    events_flush()

    shoppers = list(Event.objects.order_by("pk").values_list("user_id", flat=True))
    sessions = list(Event.objects.order_by("pk").values_list("session_key", flat=True))
    assert shoppers == [None, ada.pk, None, None]
    assert sessions[1] == client.session.session_key
    assert [bool(key) for key in sessions] == [False, True, False, False]


def test_api_views_additions_and_purchases_are_recorded(
    client, teapot, buffer, django_capture_on_commit_callbacks
):
    token = client.post(reverse("api:basket")).json()["token"]
    client.post(
        reverse("api:basket-lines"),
        {"product_id": teapot.pk, "quantity": 2},
        content_type="application/json",
        headers={"X-Basket-Token": token},
    )
    client.get(reverse("api:product-detail", args=[teapot.pk]))
    cups, jug = products("8.00", "12.00")
    with django_capture_on_commit_callbacks(execute=True):
        order = order_paid((cups, 3), (jug, 1))
    events_flush()

    view = Event.objects.get(kind=Event.Kind.PRODUCT_VIEW)
    addition = Event.objects.get(kind=Event.Kind.BASKET_ADD)
    purchases = Event.objects.filter(kind=Event.Kind.PURCHASE).order_by("product_id")
    assert (view.product_id, view.channel) == (teapot.pk, Event.Channel.API)
    assert (addition.product_id, addition.channel) == (teapot.pk, Event.Channel.API)
    assert [(p.product_id, p.order_id, p.quantity) for p in purchases] == [
        (cups.pk, order.pk, 3),
        (jug.pk, order.pk, 1),
    ]
    assert all(p.user_id is None for p in purchases)


def test_an_event_with_a_field_it_does_not_have_is_refused(buffer):
    with pytest.raises(TypeError, match="no colour"):
        event_record(kind=Event.Kind.SEARCH, colour="red")

    assert events.events_waiting() == 0


def test_the_redis_buffer_keeps_what_arrives_during_a_flush(teapot, settings):
    require_postgres_and_redis()
    settings.SHOP_ANALYTICS_BUFFER = True
    events_flush()
    for _ in range(5):
        event_record(kind=Event.Kind.PRODUCT_VIEW, product_id=teapot.pk)

    written = events_flush(batch=2)  # three batches: 2, 2 and 1

    assert written == 5 and Event.objects.count() == 5
    assert events.events_waiting() == 0


def test_searches_category_views_and_checkout_starts_are_recorded(
    client, buffer, teapot
):
    listing_refresh(product_ids=[])
    kitchen = category_create(name="Kitchen")
    client.get("/search/", {"q": "teapot"})
    client.get("/search/", {"q": "teapot"})  # from the cache: counted the same
    client.get("/search/", {"q": "nothingmatches"})
    client.get(kitchen.get_absolute_url())
    client.force_login(customer())
    client.post(f"/basket/add/{teapot.pk}/", {"quantity": 1})
    client.get("/checkout/")
    events_flush()

    searches = Event.objects.filter(kind=Event.Kind.SEARCH).order_by("pk")
    assert [(s.query, s.result_count) for s in searches] == [
        ("teapot", 1),
        ("teapot", 1),
        ("nothingmatches", 0),
    ]
    assert Event.objects.get(kind=Event.Kind.CATEGORY_VIEW).category_id == kitchen.pk
    assert Event.objects.filter(kind=Event.Kind.CHECKOUT_START).count() == 1


def test_an_api_search_is_recorded_once_not_for_its_next_pages(client, buffer):
    for number in range(3):
        product_in_stock(title=f"Teapot {number}")
    listing_refresh(product_ids=[])

    first = client.get(reverse("api:search"), {"q": " teapot ", "page_size": 2})
    client.get(first.json()["next"])
    client.get(reverse("api:search"), {"q": ""})  # refused: not a search
    events_flush()

    [search] = Event.objects.filter(kind=Event.Kind.SEARCH)
    assert (search.query, search.channel) == ("teapot", Event.Channel.API)
    assert search.result_count is None
