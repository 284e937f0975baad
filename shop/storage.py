"""The media bucket's storage."""

from django.conf import settings
from storages.backends.s3 import S3Storage


class MediaStorage(S3Storage):
    """S3Storage with the bucket's options from STORAGES["default"] even when
    made with no arguments: sorl-thumbnail, which scales the product images,
    remembers a storage by its class path and makes it again from that."""

    def __init__(self, **options):
        configured = settings.STORAGES["default"].get("OPTIONS", {})
        super().__init__(**{**configured, **options})
