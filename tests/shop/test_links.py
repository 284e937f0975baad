"""Links read away from the shop start with SHOP_BASE_URL, and the Site row
Oscar's own emails use follows it."""

import pytest
from django.contrib.sites.models import Site
from django.core.management import call_command

from shop.links import shop_url

pytestmark = pytest.mark.django_db


def test_a_link_starts_with_the_shop_s_address(settings):
    settings.SHOP_BASE_URL = "https://shop.larder.test"

    assert shop_url("/basket/") == "https://shop.larder.test/basket/"


def test_migrate_sets_the_site_from_the_shop_s_address(settings):
    settings.SHOP_BASE_URL = "https://shop.larder.test:8443"
    settings.OSCAR_SHOP_NAME = "Larder & Loom"
    Site.objects.filter(pk=settings.SITE_ID).update(
        domain="example.com", name="example.com"
    )

    call_command("migrate", verbosity=0)

    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("shop.larder.test:8443", "Larder & Loom")
