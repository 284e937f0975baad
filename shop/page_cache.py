"""Whole pages for shoppers who have nothing of their own on them yet.

A visitor without a session, a basket or a pending message sees exactly what every
other such visitor sees, save for the CSRF token. A view may keep such a page whole
in the cache and serve it again without rendering it: the page is rendered with a
placeholder where the token goes, stored, and each response gets the shopper's own
token put in on the way out.

A page's key holds everything it depends on: the release (templates and static
files, so a deployment never serves old markup), the versions the view passes (the
catalogue's, a product's stamp), the view's variant (a full page or an htmx
fragment) and the address with its query string. Entries also expire after
`SHOP_PAGE_CACHE_SECONDS` (0 turns the cache off).
"""

import functools
import hashlib
from pathlib import Path

import django
import oscar
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

# What a cacheable page renders instead of the CSRF token: `{% csrf_token %}` and
# `{{ csrf_token }}` both read it from the context.
CSRF_PLACEHOLDER = "shop-csrf-token-placeholder"
_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()


def page_cacheable(request: HttpRequest) -> bool:
    """Whether this request may be answered with (and may leave) a shared page:
    a GET from a visitor without a session, basket or messages cookie, so
    anonymous, with an empty basket and nothing to be told."""
    if request.method != "GET" or not settings.SHOP_PAGE_CACHE_SECONDS:
        return False
    private = (
        settings.SESSION_COOKIE_NAME,
        settings.OSCAR_BASKET_COOKIE_OPEN,
        CookieStorage.cookie_name,
    )
    return not any(name in request.COOKIES for name in private)


def page_key(request: HttpRequest, *parts) -> str:
    address = hashlib.sha1(request.get_full_path().encode()).hexdigest()
    return ":".join(["page", release_id(), *map(str, parts), address])


def page_from_cache(request: HttpRequest, key: str) -> HttpResponse | None:
    content = cache.get(key)
    if content is None:
        return None
    return HttpResponse(_with_token(request, content))


def page_store(request: HttpRequest, key: str, response) -> None:
    """Keep a page rendered with the placeholder, if it is a plain success that
    left nothing behind in the session, and give this request its token."""
    if hasattr(response, "render"):
        response.render()
    session = getattr(request, "session", None)
    if response.status_code == 200 and not (session is not None and session.modified):
        cache.set(key, response.content, settings.SHOP_PAGE_CACHE_SECONDS)
    response.content = _with_token(request, response.content)


def _with_token(request: HttpRequest, content: bytes) -> bytes:
    if _PLACEHOLDER_BYTES not in content:
        return content
    return content.replace(_PLACEHOLDER_BYTES, get_token(request).encode())


@functools.cache
def release_id() -> str:
    """A fingerprint of what renders pages: our templates and static files and the
    versions of Django and Oscar. Every process of one deployment computes the same
    one; a deployment that changes any of them gets a new one."""
    digest = hashlib.sha1(f"{django.__version__}:{oscar.VERSION}".encode())
    base = Path(settings.BASE_DIR)
    for folder in (base / "templates", base / "static"):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    digest.update(str(getattr(staticfiles_storage, "manifest_hash", "")).encode())
    return digest.hexdigest()[:12]
