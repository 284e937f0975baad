from django.conf import settings
from django.http import JsonResponse
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from shop.models import WorkerHeartbeat
from shop.preflight import check_cache, check_database


@never_cache
@require_GET
def healthz(request):
    """200 when the database and cache answer; 503 naming what is down.

    The age of the newest worker heartbeat is reported for information: a quiet
    worker does not make the web process unhealthy.
    """
    checks = {"database": check_database(), "cache": check_cache()}
    down = sorted(name for name, problem in checks.items() if problem)
    body = {
        "status": "ok" if not down else "unavailable",
        "checks": {name: problem or "ok" for name, problem in checks.items()},
    }
    if down:
        body["down"] = down
    else:
        beat = WorkerHeartbeat.objects.order_by("-beat_at").first()
        body["worker_heartbeat_age_s"] = (
            round((timezone.now() - beat.beat_at).total_seconds()) if beat else None
        )
    return JsonResponse(body, status=503 if down else 200)


def media(request, path):
    """Uploaded and generated images, for setups without object storage."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=86400"
    return response


THEME_COLOUR = "#1f5f4a"  # the shop's --brand (static/shop/css/shop.css)
BACKGROUND_COLOUR = "#ffffff"
MANIFEST_ICONS = (
    ("shop/icons/icon-192.png", "192x192", "any"),
    ("shop/icons/icon-512.png", "512x512", "any"),
    ("shop/icons/icon-maskable-512.png", "512x512", "maskable"),
)


@require_GET
def manifest(request):
    """The web app manifest, so a phone can add the shop to its home screen."""
    body = {
        "name": settings.OSCAR_SHOP_NAME,
        "short_name": settings.OSCAR_SHOP_NAME,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": use}
            for path, sizes, use in MANIFEST_ICONS
        ],
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response
