"""The cache backend for Redis: Django's, keeping one client per connection pool.

Django's Redis backend builds a new `redis.Redis` for every cache call, which
costs about as much as the round trip itself (its table of reply handlers is
filled in each time); a page or an API answer makes several calls. A client is
safe to share between threads (each command takes a connection from the pool),
so each pool's client is built once and kept.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient


def counted_in_window(cache, key: str, *, timeout: int, previous_key: str):
    """Count one more under `key` (kept `timeout` seconds from its first count)
    and read the count under `previous_key`: one round trip on Redis (a
    pipeline of INCR, EXPIRE NX and GET). None from another cache, which
    counts its own way."""
    if not isinstance(cache, RedisCache):
        return None
    key = cache.make_and_validate_key(key)
    pipeline = cache._cache.get_client(key, write=True).pipeline(transaction=False)
    pipeline.incr(key)
    pipeline.expire(key, timeout, nx=True)
    pipeline.get(cache.make_and_validate_key(previous_key))
    count, _, previous = pipeline.execute()
    return count, int(previous or 0)
