"""The product feeds for Google Merchant Center (RSS 2.0 with Google's `g:`
namespace) and Meta's catalogue (CSV), written to the default storage under
`feeds/`, from where the feed views serve them at stable addresses.

Each feed is built whole in a temporary file and then put in place in one step:
renamed over the old file on local disk, or uploaded over the old object in a
bucket, so a channel fetching it never reads half a feed.
"""

import copy
import csv
import io
import os
import tempfile
import uuid
from collections.abc import Iterable
from typing import IO
from xml.sax.saxutils import XMLGenerator

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

from integrations.feed_items import FeedItem, feed_items_iterate

GOOGLE_FEED = "feeds/google.xml"
META_FEED = "feeds/meta.csv"
GOOGLE_NS = "http://base.google.com/ns/1.0"
META_COLUMNS = (
    "id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "brand",
    "gtin",
    "mpn",
    "item_group_id",
)
GOOGLE_AVAILABILITY = {True: "in_stock", False: "out_of_stock"}
META_AVAILABILITY = {True: "in stock", False: "out of stock"}


def feeds_generate() -> int:
    """Write both feeds from the catalogue as it is now; the number of items.
    Safe to run again: each run replaces the files whole."""
    items = list(feed_items_iterate())
    feed_google_write(items=items)
    feed_meta_write(items=items)
    return len(items)


def feed_google_write(*, items: Iterable[FeedItem]) -> str:
    """The Google Merchant Center feed, stored at GOOGLE_FEED; its name."""
    with tempfile.TemporaryFile() as out:
        _google_xml(items, out)
        return _store(GOOGLE_FEED, out)


def feed_meta_write(*, items: Iterable[FeedItem]) -> str:
    """Meta's catalogue feed, stored at META_FEED; its name."""
    with tempfile.TemporaryFile() as out:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(META_COLUMNS)
        for item in items:
            writer.writerow(
                [
                    item.id,
                    item.title,
                    item.description,
                    META_AVAILABILITY[item.is_available],
                    "new",
                    item.price,
                    item.link,
                    item.image_link,
                    item.brand,
                    item.gtin,
                    item.mpn,
                    item.item_group_id,
                ]
            )
        text.flush()
        text.detach()
        return _store(META_FEED, out)


def feed_exists(*, name: str) -> bool:
    return default_storage.exists(name)


def _google_xml(items: Iterable[FeedItem], out: IO[bytes]) -> None:
    """Written by a SAX generator, which escapes every text and attribute."""
    xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)
    xml.startDocument()
    xml.startElement("rss", {"version": "2.0", "xmlns:g": GOOGLE_NS})
    xml.startElement("channel", {})
    base_url = settings.SHOP_BASE_URL.rstrip("/")
    _text(xml, "title", settings.OSCAR_SHOP_NAME)
    _text(xml, "link", base_url + "/")
    _text(xml, "description", f"Products of {settings.OSCAR_SHOP_NAME}")
    for item in items:
        xml.startElement("item", {})
        fields = [
            ("id", item.id),
            ("title", item.title),
            ("description", item.description),
            ("link", item.link),
            ("image_link", item.image_link),
            ("availability", GOOGLE_AVAILABILITY[item.is_available]),
            ("price", item.price),
            ("condition", "new"),
            ("brand", item.brand),
            ("gtin", item.gtin),
            ("mpn", item.mpn),
            ("item_group_id", item.item_group_id),
        ]
        if not item.gtin and not item.mpn:
            fields.append(("identifier_exists", "no"))
        for name, value in fields:
            if value:
                _text(xml, f"g:{name}", value)
        xml.endElement("item")
    xml.endElement("channel")
    xml.endElement("rss")
    xml.endDocument()


def _text(xml: XMLGenerator, name: str, value: str) -> None:
    xml.startElement(name, {})
    xml.characters(value)
    xml.endElement(name)


def _store(name: str, content: IO[bytes]) -> str:
    """Put `content` at `name` in the default storage in one step."""
    content.seek(0)
    try:
        path = default_storage.path(name)
    except NotImplementedError:  # a bucket: one upload replaces the object
        storage = copy.copy(default_storage)
        storage.file_overwrite = True  # django-storages' S3 keeps the name
        return storage.save(name, File(content, name=os.path.basename(name)))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = f"{path}.{uuid.uuid4().hex}.partial"
    try:
        with open(partial, "wb") as target:
            while block := content.read(1 << 16):
                target.write(block)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return name
