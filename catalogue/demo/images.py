"""Product pictures drawn with Pillow: one per department and colour, shared.

A few dozen files serve any number of products, so seeding stays quick and the
media folder small; a ProductImage row points each product at one of them (which
is why OSCAR_DELETE_IMAGE_FILES must be off: deleting one product must not take
the picture from the others). Nothing is downloaded.
"""

import io
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from catalogue.demo.data import COLOURS
from catalogue.demo.departments import DEPARTMENTS_BY_SLUG

IMAGE_DIR = "images/products/demo"
SIZE = 600
RGB = tuple[int, int, int]


def demo_image_name(*, department: str, colour: str) -> str:
    return f"{IMAGE_DIR}/{department}-{colour.lower()}.jpg"


def demo_images_ensure() -> int:
    """Write each department-and-colour picture storage lacks; return how many.

    The whole palette every time: a few dozen `exists` checks, and a media folder
    that was wiped is filled again without touching the product rows.
    """
    written = 0
    for department in DEPARTMENTS_BY_SLUG:
        for colour in COLOURS:
            name = demo_image_name(department=department, colour=colour)
            if default_storage.exists(name):
                continue
            default_storage.save(name, ContentFile(_picture(department, colour)))
            written += 1
    return written


def _picture(department: str, colour: str) -> bytes:
    ink = COLOURS[colour]
    background = _mix(ink, (255, 255, 255), 0.82)
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    _SHAPES[department](draw, ink, background)
    label = DEPARTMENTS_BY_SLUG[department].name
    font = ImageFont.load_default(size=44)
    left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
    position = ((SIZE - (right - left)) / 2, 500 - (bottom - top) / 2)
    draw.text(position, label, fill=_mix(ink, (0, 0, 0), 0.5), font=font)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _mix(colour: RGB, other: RGB, amount: float) -> RGB:
    """`colour` moved `amount` of the way towards `other`."""
    r, g, b = (round(a + (b - a) * amount) for a, b in zip(colour, other, strict=True))
    return (r, g, b)


def _shirt(draw: ImageDraw.ImageDraw, ink: RGB, background: RGB) -> None:
    draw.polygon(
        [
            (205, 120),
            (255, 100),
            (345, 100),
            (395, 120),
            (480, 185),
            (440, 250),
            (395, 222),
            (395, 420),
            (205, 420),
            (205, 222),
            (160, 250),
            (120, 185),
        ],  # fmt: skip
        fill=ink,
    )
    draw.chord((255, 70, 345, 140), 0, 180, fill=background)


def _shoe(draw: ImageDraw.ImageDraw, ink: RGB, background: RGB) -> None:
    draw.polygon(
        [
            (150, 370),
            (150, 170),
            (250, 170),
            (262, 285),
            (350, 305),
            (450, 330),
            (475, 370),
        ],  # fmt: skip
        fill=ink,
    )
    draw.rectangle((140, 370, 485, 405), fill=_mix(ink, (0, 0, 0), 0.4))
    for y in (215, 245, 275):
        draw.line((175, y, 230, y), fill=background, width=6)


def _book(draw: ImageDraw.ImageDraw, ink: RGB, background: RGB) -> None:
    draw.rectangle((190, 90, 410, 420), fill=ink)
    draw.rectangle((190, 90, 228, 420), fill=_mix(ink, (0, 0, 0), 0.3))
    draw.rectangle((255, 150, 385, 165), fill=background)
    draw.rectangle((255, 185, 360, 197), fill=background)


def _pot(draw: ImageDraw.ImageDraw, ink: RGB, background: RGB) -> None:
    draw.rounded_rectangle((130, 240, 175, 270), radius=10, fill=ink)
    draw.rounded_rectangle((425, 240, 470, 270), radius=10, fill=ink)
    draw.rounded_rectangle((165, 215, 435, 420), radius=35, fill=ink)
    draw.ellipse((175, 190, 425, 240), fill=_mix(ink, (0, 0, 0), 0.3))
    draw.ellipse((280, 165, 320, 200), fill=_mix(ink, (0, 0, 0), 0.3))


def _jar(draw: ImageDraw.ImageDraw, ink: RGB, background: RGB) -> None:
    draw.rounded_rectangle((200, 165, 400, 425), radius=40, fill=ink)
    draw.rectangle((225, 120, 375, 170), fill=_mix(ink, (0, 0, 0), 0.35))
    draw.rectangle((220, 250, 380, 340), fill=background)


def _candle(draw: ImageDraw.ImageDraw, ink: RGB, background: RGB) -> None:
    draw.rectangle((240, 210, 360, 425), fill=ink)
    draw.line((300, 185, 300, 212), fill=(40, 40, 40), width=4)
    draw.ellipse((283, 120, 317, 190), fill=(236, 170, 60))


_SHAPES: dict[str, Callable[[ImageDraw.ImageDraw, RGB, RGB], None]] = {
    "clothing": _shirt,
    "shoes": _shoe,
    "books": _book,
    "kitchen": _pot,
    "pantry": _jar,
    "home": _candle,
}
