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
