"""The API's rate limits: visitors per address, customers per account, over a
sliding window counted in the cache."""

from unittest.mock import patch

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from api.throttling import WindowCountThrottle
from tests.api.test_basket import signed_in
from tests.order.orders import customer
from tests.processes import require_postgres_and_redis

pytestmark = pytest.mark.django_db

CATEGORIES = reverse("api:category-list")


@pytest.fixture
def rates(monkeypatch):
    def rates(**scopes):
        for scope, rate in scopes.items():
            monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, rate)

    return rates


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, set by the test: seconds since the epoch."""
    now = {"seconds": 6_000_000.0}
    monkeypatch.setattr(WindowCountThrottle, "timer", lambda self: now["seconds"])
    return now


def _statuses(client, count: int, **extra) -> list[int]:
    return [client.get(CATEGORIES, **extra).status_code for _ in range(count)]


def test_a_visitor_is_refused_past_the_rate_and_told_when_to_come_back(rates, clock):
    rates(anon="3/min", user="100/min")
    client = APIClient()

    statuses = _statuses(client, 3)
    refused = client.get(CATEGORIES)
    elsewhere = client.get(CATEGORIES, REMOTE_ADDR="10.0.0.9")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["code"] == "throttled"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert elsewhere.status_code == 200


def test_a_customer_is_counted_per_account_at_the_customer_rate(rates, clock):
    rates(anon="2/min", user="4/min")
    ada, grace = APIClient(), APIClient()
    signed_in(ada, customer(email="ada@example.com"))
    signed_in(grace, customer(email="grace@example.com"))

    ada_statuses = _statuses(ada, 5)
    grace_statuses = _statuses(grace, 4)
    visitor = _statuses(APIClient(), 2)

    assert ada_statuses == [200, 200, 200, 200, 429]
    assert grace_statuses == [200] * 4  # same address, her own count
    assert visitor == [200, 200]  # a visitor's count is apart from theirs


@pytest.mark.parametrize("locmem", [False, True], ids=["configured", "locmem"])
def test_the_rate_holds_across_the_edge_of_two_windows(rates, clock, settings, locmem):
    """Three allowed a minute: three at the end of one minute leave no room at
    the start of the next, and room comes back as the sliding window moves on
    past them; on Redis (counted in one round trip) as in another cache."""
    if locmem:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        }
    rates(anon="3/min")
    client = APIClient()
    clock["seconds"] = 60 * 100_000 + 59

    end_of_minute = _statuses(client, 3)
    clock["seconds"] += 2
    next_minute = _statuses(client, 1)
    clock["seconds"] += 50
    later = _statuses(client, 1)

    assert end_of_minute == [200, 200, 200]
    assert next_minute == [429]
    assert later == [200]


def test_on_redis_a_window_is_counted_in_one_round_trip_and_expires(rates, clock):
    require_postgres_and_redis()
    rates(anon="3/min")
    client = APIClient()
    window = int(clock["seconds"] // 60)
    redis = cache._cache.get_client(write=True)
    pipeline_class = type(redis.pipeline(transaction=False))
    real_execute = pipeline_class.execute
    sent = []

    def execute(pipeline, *args, **kwargs):
        sent.append(len(pipeline.command_stack))
        return real_execute(pipeline, *args, **kwargs)

    with patch.object(pipeline_class, "execute", execute):
        statuses = _statuses(client, 4)

    keys = redis.keys(cache.make_key(f"*:{window}"))
    assert statuses == [200, 200, 200, 429]
    assert sent == [3, 3, 3, 3]
    assert len(keys) == 1 and 0 < redis.ttl(keys[0]) <= 120
