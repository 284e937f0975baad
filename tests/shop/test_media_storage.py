"""Uploaded media on object storage: with MEDIA_BUCKET set, product images and
their thumbnails go to an S3-compatible bucket (here moto's S3 server on
loopback) and pages link to them there."""

import io
import re
import urllib.request

import boto3
import pytest
from django.utils.functional import empty
from moto.server import ThreadedMotoServer
from PIL import Image
from sorl.thumbnail.default import storage as thumbnail_storage

from shop.config import ConfigError, media_storage
from tests.catalogue.product_pages import image_add
from tests.factories import product_in_stock
from tests.processes import free_port

pytestmark = pytest.mark.django_db

KEYS = {"MEDIA_ACCESS_KEY_ID": "shop-key", "MEDIA_SECRET_ACCESS_KEY": "shop-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A bucket the shop's media go to, as the environment would switch it on."""
    name = "shop-media"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-west-1",
        aws_access_key_id="shop-key",
        aws_secret_access_key="shop-secret",
    )
    client.create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    for variable, value in {
        "MEDIA_BUCKET": name,
        "MEDIA_ENDPOINT_URL": s3_endpoint,
        "MEDIA_REGION": "eu-west-1",
        "MEDIA_DEFAULT_ACL": "public-read",  # or a bucket policy
        **KEYS,
    }.items():
        monkeypatch.setenv(variable, value)
    settings.STORAGES = {**settings.STORAGES, "default": media_storage()}
    settings.THUMBNAIL_STORAGE = settings.STORAGES["default"]["BACKEND"]
    thumbnail_storage._wrapped = empty
    yield client, name
    thumbnail_storage._wrapped = empty
    for item in client.list_objects_v2(Bucket=name).get("Contents", []):
        client.delete_object(Bucket=name, Key=item["Key"])
    client.delete_bucket(Bucket=name)


def test_a_product_image_and_its_thumbnails_are_stored_in_the_bucket(client, bucket):
    s3, name = bucket
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50")
    image_add(teapot)

    html = client.get(teapot.get_absolute_url()).content.decode()

    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=name)["Contents"]]
    original = teapot.images.get().original.name
    assert original in keys
    assert any(key.startswith("cache/") for key in keys)  # the scaled images
    [shown] = re.findall(rf'src="(http://127\.0\.0\.1:\d+/{name}/cache/[^"]+)"', html)[
        :1
    ]
    with urllib.request.urlopen(shown) as response:
        assert Image.open(io.BytesIO(response.read())).format == "JPEG"
        assert response.headers["Cache-Control"] == "public, max-age=86400"


def test_without_a_bucket_media_stay_on_the_local_disk(monkeypatch):
    monkeypatch.delenv("MEDIA_BUCKET", raising=False)

    assert media_storage()["BACKEND"].endswith("FileSystemStorage")


def test_a_malformed_endpoint_stops_the_shop_with_its_name(monkeypatch):
    monkeypatch.setenv("MEDIA_BUCKET", "shop-media")
    monkeypatch.setenv("MEDIA_ENDPOINT_URL", "s3.example.com")

    with pytest.raises(ConfigError, match="MEDIA_ENDPOINT_URL"):
        media_storage()
