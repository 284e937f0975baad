"""The API's rate limits, counted per window in the cache.

DRF's own throttles keep each client's request times in a list that is read and
written whole on every request, so a request costs more the higher the rate
allowed (a 600/min customer's list holds up to 600 times). Here each client has
one counter per window (a minute for "/min"), added and incremented in the
cache (atomic in Redis, and with the last window's count read in the same
round trip), which costs the same whatever the rate. The rate is
held over a sliding window, estimated from this window's count and the last
one's weighted by how much of it the sliding window still covers, so a client
can't send twice its rate across the edge of two windows. Every request counts,
refused ones too: a client that keeps knocking stays refused until it slows
down. A refused one is told in Retry-After when the current window ends.

The scopes and rates are DRF's (`DEFAULT_THROTTLE_RATES`): `anon` per address
for visitors, `user` per customer once signed in (a visitor is held to `anon`
alone), `sign_in` per address on sign-in and registration, and `merchant` per
token or member of staff (`api.merchant.auth`).
"""

from django.core.cache import caches
from rest_framework.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

from shop.cache import counted_in_window


class WindowCountThrottle(SimpleRateThrottle):
    """DRF's throttle with a counter per window instead of a list of times."""

    @property
    def cache(self):
        # The cache itself, not DRF's proxy to it, so Redis is known as such.
        return caches["default"]

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window, into = divmod(self.now, self.duration)
        self.window_ends = self.now - into + self.duration
        key, previous_key = f"{self.key}:{int(window)}", f"{self.key}:{int(window) - 1}"
        counted = counted_in_window(
            self.cache, key, timeout=2 * self.duration, previous_key=previous_key
        )
        if counted is None:
            counted = self._counted(key), self.cache.get(previous_key, 0)
        count, previous = counted
        return previous * (1 - into / self.duration) + count <= self.num_requests

    def _counted(self, key: str) -> int:
        # Kept for two windows: the next one weighs this one's count.
        if self.cache.add(key, 1, 2 * self.duration):
            return 1
        try:
            return self.cache.incr(key)
        except ValueError:  # it expired between the two calls
            self.cache.add(key, 1, 2 * self.duration)
            return 1

    def wait(self) -> float:
        return max(self.window_ends - self.now, 1)


class AnonThrottle(AnonRateThrottle, WindowCountThrottle):
    pass


class UserThrottle(UserRateThrottle, WindowCountThrottle):
    def get_cache_key(self, request, view) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None  # a visitor is held to the anonymous rate
        return super().get_cache_key(request, view)


class SignInThrottle(ScopedRateThrottle, WindowCountThrottle):
    pass
