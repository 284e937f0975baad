"""Static files: content-hashed, compressed names served by whitenoise."""

import re

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.mark.django_db
def test_collected_static_files_are_hashed_compressed_and_served(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }
    call_command("collectstatic", "--noinput", verbosity=0)

    hashed = list((tmp_path / "static" / "shop" / "css").glob("shop.*.css"))
    assert len(hashed) == 1
    assert hashed[0].with_name(hashed[0].name + ".gz").exists()
    assert hashed[0].with_name(hashed[0].name + ".br").exists()

    client = Client()
    html = client.get("/").content.decode()
    url = re.search(r'href="(/static/shop/css/shop\.[0-9a-f]{12}\.css)"', html)
    assert url, "the page does not link the hashed stylesheet"

    response = client.get(url.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response["Cache-Control"]
