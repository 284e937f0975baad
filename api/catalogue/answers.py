"""Whole answers of the catalogue reads, kept in the cache.

A product list, a search or a product answers every client who asks the same
address the same JSON while nothing it shows changes, and its ETag already says
when that is: the catalogue version or the product's stamp, the open site
offers and the query string. The rendered body is kept under the ETag, the
address the links in it start from, and a fingerprint of the code that shapes
answers (so a deployment never serves an old shape), for
`SHOP_LISTING_CACHE_SECONDS`; a repeat costs no query and no serialisation.
"""

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

# The apps whose code decides what a catalogue answer holds.
ANSWER_SHAPING_APPS = ("api", "catalogue", "offer", "partner")


def answer(
    request: Request, *, etag: str, build: Callable[[], dict], headers: dict
) -> HttpResponse:
    """The answer kept under `etag` for this address, or `build()`'s data
    rendered, kept and sent."""
    key = _answer_key(request, etag)
    body = cache.get(key)
    if body is None:
        body = JSONRenderer().render(build())
        cache.set(key, body, settings.SHOP_LISTING_CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json", headers=headers)


def _answer_key(request: Request, etag: str) -> str:
    origin = request.build_absolute_uri("/")
    digest = hashlib.blake2b(f"{origin} {etag}".encode(), digest_size=16)
    return f"api:answer:{code_fingerprint()}:{digest.hexdigest()}"


@functools.cache
def code_fingerprint() -> str:
    """A fingerprint of the Python source of the apps that shape answers: every
    process of one deployment computes the same one."""
    digest = hashlib.blake2b(digest_size=6)
    base = Path(settings.BASE_DIR)
    for app in ANSWER_SHAPING_APPS:
        for path in sorted((base / app).rglob("*.py")):
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
