"""The web app manifest and its icons, for adding the shop to a home screen."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image

pytestmark = pytest.mark.django_db


def test_manifest_names_the_shop_and_opens_standalone(client, settings):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == settings.OSCAR_SHOP_NAME
    assert manifest["short_name"]
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    assert manifest["background_color"].startswith("#")
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_pages_link_the_manifest_theme_colour_and_touch_icon(client):
    html = client.get("/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#1f5f4a">' in html
    assert 'rel="apple-touch-icon" href="/static/shop/icons/apple-touch-icon.png"' in (
        html
    )


def test_manifest_icons_are_served_as_pngs_of_their_sizes(settings, tmp_path):
    # given the static files collected with hashed names, as in production
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client()

    # when the manifest is read and each icon it names is fetched
    manifest = json.loads(client.get("/manifest.webmanifest").content)

    # then each is a PNG of the size the manifest gives
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/shop/icons/")
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert image.format == "PNG"
        width, height = (int(side) for side in icon["sizes"].split("x"))
        assert image.size == (width, height)


def test_apple_touch_icon_is_a_180_pixel_png():
    from django.contrib.staticfiles import finders

    path = finders.find("shop/icons/apple-touch-icon.png")

    assert path
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (180, 180)
