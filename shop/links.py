"""Absolute links to the shop for what is read away from it (emails, feeds).

A request knows the host it came in on; a Celery task sending an email does not,
so links start with `SHOP_BASE_URL`, and the `Site` row Oscar's own emails read
is kept in step with it."""

from urllib.parse import urlsplit

from django.conf import settings


def shop_url(path: str) -> str:
    """The shop's address for `path` (e.g. `/accounts/order-status/.../`)."""
    return f"{settings.SHOP_BASE_URL}{path}"


def site_sync(**kwargs) -> None:
    """Set the current Site's domain (and name) from `SHOP_BASE_URL` and the
    shop's name; run after every migrate, so a deploy's release phase brings it
    in step with the environment."""
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SHOP_BASE_URL).netloc
    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": domain, "name": settings.OSCAR_SHOP_NAME},
    )
    Site.objects.clear_cache()
