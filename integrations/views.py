"""The product feeds at stable addresses, for the channels to fetch."""

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.views.decorators.http import require_safe

from integrations.feeds import GOOGLE_FEED, META_FEED, feed_exists, feeds_generate

CACHE_SECONDS = 900


def _feed_response(name: str, content_type: str) -> FileResponse:
    """The stored feed; made now when it was never made (a new shop before beat's
    first run), so a channel is never answered 404."""
    if not feed_exists(name=name):
        feeds_generate()
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


@require_safe
def google_feed(request):
    return _feed_response(GOOGLE_FEED, "application/rss+xml; charset=utf-8")


@require_safe
def meta_feed(request):
    return _feed_response(META_FEED, "text/csv; charset=utf-8")
