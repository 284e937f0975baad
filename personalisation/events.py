"""Behaviour events, captured without slowing a page.

`event_record` makes an event a small dict and pushes it onto a buffer: a Redis
list when the shop has Redis (`SHOP_ANALYTICS_BUFFER`), else a list in this
process (the embedded default, where the in-process beat flushes it). Nothing
is written to the database on the request; the beat task `events_flush_task`
writes the buffer in batches every `SHOP_ANALYTICS_FLUSH_SECONDS`.

A flush reads a batch from the head of the list, writes it in one INSERT and
only then trims it off, so events pushed meanwhile stay for the next one; a
flush that dies before its trim leaves the batch to be written again (an
accepted double count, never a lost event). One flush runs at a time.

Consent: every event counts towards aggregate figures, but the shopper's ids
(account and session) go with it only when `personal_history_allowed` says so:
the visitor accepted personalisation in the shop's consent cookie, and their
browser sends neither Do Not Track nor Global Privacy Control.
"""

import json
import threading
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from analytics.counters import buffer_client as _client
from personalisation.models import Event

CONSENT_COOKIE = "shop_consent"
PERSONALISATION = "personalisation"
FLUSH_BATCH = 5000
FIELDS = (
    "product_id",
    "category_id",
    "order_id",
    "quantity",
    "query",
    "result_count",
)

_local_buffer: list[str] = []
_local_lock = threading.Lock()


def personal_history_allowed(request) -> bool:
    """Whether this visitor's events may carry who they are."""
    if request is None:
        return False
    headers = request.headers
    if headers.get("DNT") == "1" or headers.get("Sec-GPC") == "1":
        return False
    choices = request.COOKIES.get(CONSENT_COOKIE, "")
    return PERSONALISATION in {choice.strip() for choice in choices.split(",")}


def event_record(
    *, kind: Event.Kind, request=None, user=None, at: datetime | None = None, **fields
) -> None:
    """Buffer one event; `fields` are Event's (product_id, query, ...)."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Events have no {', '.join(sorted(unknown))}")
    event = {"kind": int(kind), "channel": int(_channel(request))}
    event["occurred_at"] = (at or timezone.now()).isoformat()
    if personal_history_allowed(request):
        user = user or getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            event["user_id"] = user.pk
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            event["session_key"] = session.session_key
    event.update({name: value for name, value in fields.items() if value is not None})
    _push(json.dumps(event))


def events_flush(*, batch: int = FLUSH_BATCH) -> int:
    """Write the buffered events; returns how many were written."""
    client = _client()
    if client is None:
        return _local_flush(batch)
    lock = client.lock(_key("flush-lock"), timeout=300)
    if not lock.acquire(blocking=False):
        return 0  # another flush is running
    try:
        written = 0
        while raw := client.lrange(_key("buffer"), 0, batch - 1):
            written += _write(raw)
            client.ltrim(_key("buffer"), len(raw), -1)
        return written
    finally:
        lock.release()


def events_waiting() -> int:
    client = _client()
    if client is None:
        return len(_local_buffer)
    return client.llen(_key("buffer"))


def _channel(request) -> Event.Channel:
    path = getattr(request, "path", "") or ""
    return Event.Channel.API if path.startswith("/api/") else Event.Channel.WEB


def _write(raw: list) -> int:
    events = []
    for item in raw:
        data = json.loads(item)
        data["occurred_at"] = datetime.fromisoformat(data["occurred_at"])
        events.append(Event(**data))
    Event.objects.bulk_create(events)
    return len(events)


def _push(event: str) -> None:
    client = _client()
    if client is None:
        with _local_lock:
            _local_buffer.append(event)
        return
    client.rpush(_key("buffer"), event)


def _local_flush(batch: int) -> int:
    written = 0
    while True:
        with _local_lock:
            raw = _local_buffer[:batch]
        if not raw:
            return written
        written += _write(raw)
        with _local_lock:
            del _local_buffer[: len(raw)]


def _key(name: str) -> str:
    # The cache's key prefix keeps shops (and tests) sharing a Redis apart.
    return cache.make_key(f"personalisation:events:{name}")
