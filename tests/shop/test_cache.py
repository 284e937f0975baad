"""The Redis cache backend keeps one client per connection pool."""

import uuid

from django.core.cache import caches

from tests.processes import require_postgres_and_redis


def test_the_redis_cache_shares_one_client_and_works_as_djangos(settings):
    require_postgres_and_redis()
    assert settings.CACHES["default"]["BACKEND"] == "shop.cache.SharedClientRedisCache"
    settings.CACHES = {
        "shared": {
            "BACKEND": "shop.cache.SharedClientRedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}",
        }
    }
    cache = caches["shared"]
    client = cache._cache.get_client()

    cache.set("shared-client", 41)
    counted = cache.incr("shared-client")
    added_again = cache.add("shared-client", 0)

    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client  # one server, one pool
    assert counted == 42 and cache.get("shared-client") == 42
    assert added_again is False
