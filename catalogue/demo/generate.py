"""Deterministic product specs: what the n-th demo product is, before any row exists.

Each product draws from its own `random.Random` seeded with the run's seed and its
index, so product 17 is the same product whether the shop is seeded with 40 or
40,000 products, and a bigger run only appends.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from catalogue.demo import words
from catalogue.demo.data import (
    CLOTHING_SIZES,
    COLOURS,
    DEPARTMENT_CYCLE,
    SHOE_SIZES,
    UPC_PREFIX,
    Leaf,
)
from catalogue.demo.departments import DEPARTMENTS_BY_SLUG

OUT_OF_STOCK_RATE = 0.08
PRICE_ENDINGS = ("00", "50", "95", "99")
# (colours, sizes) of a clothing parent's variants: 3 to 6 children.
CLOTHING_LAYOUTS = ((1, 3), (1, 4), (2, 2), (1, 5), (2, 3))
HAND_WASH = {"cast iron", "carbon steel", "copper", "Damascus steel", "beech"}
PAGES = {"Children's books": (24, 96, 8)}  # start, stop, step
PRODUCERS = ("Farm", "Kitchen", "Larder", "Estate", "Mill", "& Daughters")


@dataclass(frozen=True)
class VariantSpec:
    upc: str
    title: str
    attributes: dict[str, object]
    num_in_stock: int


@dataclass(frozen=True)
class ProductSpec:
    upc: str
    department: str  # a department slug: the product class and root category
    leaf: str  # the name of the leaf category it is filed under
    title: str
    description: str
    colour: str  # picks the shared image
    attributes: dict[str, object]  # option attributes hold the option's label
    price: Decimal  # a parent's variants share its price
    num_in_stock: int | None  # None for a parent: its variants hold the stock
    variants: tuple[VariantSpec, ...] = ()


def product_upc(index: int) -> str:
    return f"{UPC_PREFIX}{index:06d}"


def product_spec(*, index: int, seed: int) -> ProductSpec:
    """The `index`-th (1-based) browsable demo product for `seed`."""
    rng = random.Random(f"{seed}:{index}")
    slug = DEPARTMENT_CYCLE[(index - 1) % len(DEPARTMENT_CYCLE)]
    leaf = rng.choice(DEPARTMENTS_BY_SLUG[slug].leaves)
    return _MAKERS[slug](rng, product_upc(index), leaf)


def _clothing(rng: random.Random, upc: str, leaf: Leaf) -> ProductSpec:
    noun, material = rng.choice(leaf.nouns), rng.choice(leaf.materials)
    title = f"{rng.choice(words.COLLECTIONS + words.ADJECTIVES)} {material} {noun}"
    num_colours, num_sizes = rng.choice(CLOTHING_LAYOUTS)
    colours = rng.sample(list(COLOURS), num_colours)
    start = rng.randint(0, len(CLOTHING_SIZES) - num_sizes)
    sizes = CLOTHING_SIZES[start : start + num_sizes]
    variants = [
        VariantSpec(
            upc=f"{upc}-{number}",
            title=f"{title} – {size} / {colour}",
            attributes={"size": size, "colour": colour},
            num_in_stock=_stock(rng),
        )
        for number, (colour, size) in enumerate(
            ((colour, size) for colour in colours for size in sizes), start=1
        )
    ]
    context = _context(rng, material=material, noun=noun)
    spec = _spec(
        rng, upc, "clothing", leaf, title, context, colours[0], {"material": material}
    )
    return replace(spec, num_in_stock=None, variants=tuple(variants))


def _shoes(rng: random.Random, upc: str, leaf: Leaf) -> ProductSpec:
    noun, material = rng.choice(leaf.nouns), rng.choice(leaf.materials)
    title = f"{rng.choice(words.COLLECTIONS)} {material} {noun}"
    colour = rng.choice(list(COLOURS))
    count = rng.randint(3, 6)
    start = rng.randint(0, len(SHOE_SIZES) - count)
    variants = [
        VariantSpec(
            upc=f"{upc}-{number}",
            title=f"{title} – {size}",
            attributes={"size": size},
            num_in_stock=_stock(rng),
        )
        for number, size in enumerate(SHOE_SIZES[start : start + count], start=1)
    ]
    context = _context(rng, material=material, noun=noun)
    attributes = {"material": material, "colour": colour}
    spec = _spec(rng, upc, "shoes", leaf, title, context, colour, attributes)
    return replace(spec, num_in_stock=None, variants=tuple(variants))


def _books(rng: random.Random, upc: str, leaf: Leaf) -> ProductSpec:
    template = rng.choice(words.BOOK_TITLES[leaf.name])
    title = _capitalised(
        template.format(
            adj=rng.choice(words.BOOK_ADJECTIVES),
            noun=rng.choice(words.BOOK_NOUNS),
            place=rng.choice(words.BOOK_PLACES),
            food=rng.choice(words.BOOK_FOODS),
            name=rng.choice(words.FIRST_NAMES),
        )
    )
    author = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.SURNAMES)}"
    hardback = rng.random() < 0.4
    attributes = {
        "author": author,
        "pages": rng.randrange(*PAGES.get(leaf.name, (96, 640, 8))),
        "hardback": hardback,
        "published": date(rng.randint(1995, 2024), rng.randint(1, 12), 1),
    }
    context = _context(rng, author=author)
    spec = _spec(rng, upc, "books", leaf, title, context, None, attributes)
    if hardback:
        return replace(spec, price=spec.price + 6)
    return spec


def _kitchen(rng: random.Random, upc: str, leaf: Leaf) -> ProductSpec:
    noun, material = rng.choice(leaf.nouns), rng.choice(leaf.materials)
    title = f"{rng.choice(words.COLLECTIONS)} {material} {noun}"
    attributes = {
        "material": material,
        "dishwasher_safe": material not in HAND_WASH and leaf.name != "Knives",
    }
    if leaf.capacity:
        low, high = leaf.capacity
        attributes["capacity"] = max(low, round(rng.uniform(low, high) * 4) / 4)
    context = _context(rng, material=material, noun=noun)
    return _spec(rng, upc, "kitchen", leaf, title, context, None, attributes)


def _pantry(rng: random.Random, upc: str, leaf: Leaf) -> ProductSpec:
    noun = rng.choice(leaf.nouns)
    organic = rng.random() < 0.35
    low, high = leaf.weight or (100, 500)
    weight = rng.randint(low // 50, high // 50) * 50
    producer = f"{rng.choice(words.COLLECTIONS)} {rng.choice(PRODUCERS)}"
    title = f"{producer} {'organic ' if organic else ''}{noun} {weight}g"
    context = _context(rng, noun=noun)
    attributes = {"weight": weight, "organic": organic, "origin": context["origin"]}
    return _spec(rng, upc, "pantry", leaf, title, context, None, attributes)


def _home(rng: random.Random, upc: str, leaf: Leaf) -> ProductSpec:
    noun, material = rng.choice(leaf.nouns), rng.choice(leaf.materials)
    title = f"{rng.choice(words.COLLECTIONS)} {material} {noun}"
    low, high = leaf.width or (20, 60)
    attributes = {
        "material": material,
        "width": rng.randint(low, high),
        "handmade": rng.random() < 0.5,
    }
    context = _context(rng, material=material, noun=noun)
    return _spec(rng, upc, "home", leaf, title, context, None, attributes)


def _spec(
    rng: random.Random,
    upc: str,
    department: str,
    leaf: Leaf,
    title: str,
    context: dict[str, str],
    colour: str | None,
    attributes: dict[str, object],
) -> ProductSpec:
    """The parts every product has, drawn in the same order for every department."""
    low, high = leaf.price
    price = Decimal(f"{rng.randint(low, high)}.{rng.choice(PRICE_ENDINGS)}")
    paragraphs = words.DESCRIPTIONS[department]
    description = " ".join(rng.choice(lines).format(**context) for lines in paragraphs)
    spec = ProductSpec(
        upc=upc,
        department=department,
        leaf=leaf.name,
        title=_capitalised(title),
        description=description,
        colour=colour or rng.choice(list(COLOURS)),
        attributes=attributes,
        price=price,
        num_in_stock=_stock(rng),
    )
    # Drawn last, so adding it left every other drawn value as it was.
    return replace(spec, attributes={**attributes, "brand": rng.choice(words.BRANDS)})


def _context(rng: random.Random, **known: str) -> dict[str, str]:
    """Every placeholder a description sentence may use."""
    context = {
        "material": "",
        "noun": "",
        "author": "",
        "fit": rng.choice(words.FITS),
        "collection": rng.choice(words.COLLECTIONS),
        "origin": rng.choice(words.ORIGINS),
        "place": rng.choice(words.BOOK_PLACES),
        **known,
    }
    context["material_title"] = _capitalised(context["material"])
    context["noun_title"] = _capitalised(context["noun"])
    return context


def _stock(rng: random.Random) -> int:
    return 0 if rng.random() < OUT_OF_STOCK_RATE else rng.randint(3, 150)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


_MAKERS: dict[str, Callable[[random.Random, str, Leaf], ProductSpec]] = {
    "clothing": _clothing,
    "shoes": _shoes,
    "books": _books,
    "kitchen": _kitchen,
    "pantry": _pantry,
    "home": _home,
}
