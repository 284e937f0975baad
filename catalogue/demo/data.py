"""What the demo shop sells: departments, their categories and product attributes.

Each department is one product type and one root category; its leaves are the
categories a product is filed under, and they carry the nouns, materials and price
ranges its titles are made from, so a frying pan is never filed under Bakeware.
"""

from dataclasses import dataclass

UPC_PREFIX = "DEMO-"
CURRENCY = "GBP"  # the word lists and offer names speak of pounds
PARTNER_CODE = "warehouse"
PARTNER_NAME = "Larder & Loom Warehouse"
STAFF_EMAIL = "staff@example.com"


@dataclass(frozen=True)
class Leaf:
    name: str
    nouns: tuple[str, ...]
    materials: tuple[str, ...]
    price: tuple[int, int]  # whole pounds, inclusive
    capacity: tuple[float, float] | None = None  # litres
    weight: tuple[int, int] | None = None  # grams
    width: tuple[int, int] | None = None  # centimetres


@dataclass(frozen=True)
class Attribute:
    code: str
    name: str
    type: str  # a ProductAttribute type
    option_group: str | None = None  # an OPTION_GROUPS key for type "option"


@dataclass(frozen=True)
class Department:
    slug: str  # the product class slug and the root category slug
    name: str
    description: str
    attributes: tuple[Attribute, ...]
    leaves: tuple[Leaf, ...]
    has_variants: bool = False


COLOURS = {
    "Navy": (38, 52, 86),
    "Oat": (205, 190, 160),
    "Sage": (135, 160, 130),
    "Rust": (168, 84, 52),
    "Charcoal": (62, 64, 68),
    "Ochre": (204, 150, 52),
    "Forest": (44, 86, 62),
    "Plum": (104, 52, 84),
}
CLOTHING_SIZES = ("XS", "S", "M", "L", "XL")
SHOE_SIZES = tuple(f"UK {size}" for size in range(3, 13))
OPTION_GROUPS = {
    "demo-colour": ("Colour", tuple(COLOURS)),
    "demo-clothing-size": ("Clothing size", CLOTHING_SIZES),
    "demo-shoe-size": ("Shoe size", SHOE_SIZES),
}

# Which department the n-th product belongs to: 20 slots, so every run of 20
# products has the same mix (a quarter clothing, a tenth shoes, ...).
DEPARTMENT_CYCLE = (
    "clothing", "books", "kitchen", "pantry", "clothing",
    "home", "shoes", "books", "clothing", "pantry",
    "kitchen", "home", "clothing", "books", "shoes",
    "pantry", "clothing", "kitchen", "books", "home",
)  # fmt: skip
