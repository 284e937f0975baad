"""Which of a basket's products each offer's range holds, for all ranges at once.

Oscar answers `Range.contains_product` with a query per product and range, so a
basket checked against 200 offers asked thousands of times. Here the answer for
every (range, product) pair costs one query whatever the number of ranges: the
products listed in or excluded from any of the ranges, the products'
categories, and (when a range is by brand) their brands, read together. A
range's own classes and categories come with it (prefetched with the offers).

The rules are Oscar's (`AbstractRange.product_queryset`): a range holding all
products keeps out only its excluded products and categories; otherwise a
product is in when it, or its parent, is listed, of a listed class, in a listed
category or below it, or of the range's brand, and neither it nor its parent is
excluded. A variant is judged by its parent's class and categories.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db import connection

from catalogue.models import (
    Category,
    ProductAttribute,
    ProductAttributeValue,
    ProductCategory,
)
from offer.models import (
    BRAND_ATTRIBUTE,
    Benefit,
    Range,
    RangeProduct,
    is_gift_line,
    range_membership,
)

NOTHING = frozenset()
# Benefits without a range of their own: Oscar's count and consume the
# condition's lines; a free gift also discounts its own gift line.
ON_CONDITION_LINES = {
    Benefit.FIXED_PRICE,
    Benefit.SHIPPING_ABSOLUTE,
    Benefit.SHIPPING_FIXED_PRICE,
    Benefit.SHIPPING_PERCENTAGE,
    Benefit.FREE_GIFT,
}


class Membership(Mapping):
    """{(range id, product id): contained?} for the products asked about
    (`products`), kept by range: `held` gives the products each range
    holds, so what pricing asks of every offer (does its range hold anything
    in the basket, which lines does it read) is a set operation instead of a
    look-up per line."""

    def __init__(self, products=()):
        self.products: frozenset[int] = frozenset(products)
        self.held: dict[int, frozenset[int]] = {}

    def __getitem__(self, key: tuple[int, int]) -> bool:
        range_id, product_id = key
        if product_id not in self.products:
            raise KeyError(key)
        return product_id in self.held[range_id]

    def __iter__(self):
        return ((pk, product) for pk in self.held for product in self.products)

    def __len__(self) -> int:
        return len(self.held) * len(self.products)


def range_membership_batch(
    *, ranges: Iterable[Range], products: Iterable
) -> Membership:
    """{(range id, product id): contained?} for every pair. Custom (proxy)
    ranges are left out: they answer for themselves."""
    ranges = [found for found in ranges if not found.proxy_class]
    products = list({product.pk: product for product in products}.values())
    if not ranges or not products:
        return Membership()
    basket = _Products(products)
    listed, excluded = basket.read(brands=any(found.brand for found in ranges))
    known = Membership(basket.ids)
    for found in ranges:
        inside = _rule_of(found).products_in(
            basket,
            listed=listed.get(found.pk, NOTHING),
            excluded=excluded.get(found.pk, NOTHING),
        )
        known.held[found.pk] = frozenset(inside)
    return known


class _Products:
    """The products being priced, indexed by what range rules ask: the ids of
    each product and its parent, the class (a variant's parent's), every
    beginning of its categories' paths (a variant's: its parent's), and its
    brands (its own and its parent's, lower case)."""

    def __init__(self, products: list):
        self.ids = [product.pk for product in products]
        self.all = frozenset(self.ids)
        self.family = defaultdict(set)  # product or parent id -> products
        self.classes = defaultdict(set)
        for product in products:
            for pk in (product.pk, product.parent_id):
                if pk is not None:
                    self.family[pk].add(product.pk)
            product_class_id = (
                product.parent.product_class_id if product.parent_id else None
            ) or product.product_class_id
            self.classes[product_class_id].add(product.pk)
        self.categorised = {product.parent_id or product.pk for product in products}
        self.under_path = defaultdict(set)  # a path's beginning -> products
        self.brands = defaultdict(set)

    def read(self, *, brands: bool) -> tuple[dict, dict]:
        """Read the products' categories (and brands, if asked) and which
        ranges list or exclude them (or their parents), in one query; returns
        {range id: the products (or parents) it lists} and the same for those
        it excludes (of every range: the basket's rows are few, fewer than
        the ids of the ranges asked about)."""
        family_ids = list(self.family)
        categorised = list(self.categorised)
        params = [*family_ids, *family_ids, *categorised]
        if brands:
            params += [*family_ids, BRAND_ATTRIBUTE]
        listed, excluded = defaultdict(set), defaultdict(set)
        with connection.cursor() as cursor:
            cursor.execute(
                _facts_sql(len(family_ids), len(categorised), brands=brands), params
            )
            for kind, range_id, family_id, text in cursor.fetchall():
                if kind == RANGE_LISTS:
                    listed[range_id].add(family_id)
                elif kind == RANGE_EXCLUDES:
                    excluded[range_id].add(family_id)
                elif kind == IN_CATEGORY:
                    for end in range(1, len(text) + 1):
                        self.under_path[text[:end]] |= self.family[family_id]
                else:
                    brand = (text or "").strip().lower()
                    self.brands[brand] |= self.family[family_id]
        return listed, excluded

    def of_family(self, ids) -> set[int]:
        """The products that are, or are variants of, one of `ids`."""
        return set().union(*(self.family[pk] for pk in ids if pk in self.family))

    def under(self, paths: list[str]) -> set[int]:
        """The products in any of these categories or below them."""
        return set().union(*(self.under_path.get(path, NOTHING) for path in paths))


# What each row of `_Products.read` says.
RANGE_LISTS, RANGE_EXCLUDES, IN_CATEGORY, OF_BRAND = "lists", "excludes", "in", "brand"


def _facts_sql(families: int, categorised: int, *, brands: bool) -> str:
    """`_Products.read`'s query, written out: the ORM took longer to build
    this union than the database to answer it (a few rows, read on every
    pricing). Rows of (kind, range id, product or parent id, text)."""
    quote = connection.ops.quote_name

    def table(model) -> str:
        return quote(model._meta.db_table)

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    def among(count: int) -> str:
        return ", ".join(["%s"] * count)

    parts = [
        f"SELECT '{kind}', {column(model, 'range')}, {column(model, 'product')}, ''"
        f" FROM {table(model)} WHERE {column(model, 'product')} IN ({among(families)})"
        for kind, model in (
            (RANGE_LISTS, RangeProduct),
            (RANGE_EXCLUDES, Range.excluded_products.through),
        )
    ]
    parts.append(
        f"SELECT '{IN_CATEGORY}', 0, pc.{column(ProductCategory, 'product')},"
        f" c.{column(Category, 'path')}"
        f" FROM {table(ProductCategory)} pc JOIN {table(Category)} c"
        f" ON c.{quote(Category._meta.pk.column)}"
        f" = pc.{column(ProductCategory, 'category')}"
        f" WHERE pc.{column(ProductCategory, 'product')} IN ({among(categorised)})"
    )
    if brands:
        value, attribute = ProductAttributeValue, ProductAttribute
        parts.append(
            f"SELECT '{OF_BRAND}', 0, v.{column(value, 'product')},"
            f" v.{column(value, 'value_text')}"
            f" FROM {table(value)} v JOIN {table(attribute)} a"
            f" ON a.{quote(attribute._meta.pk.column)} = v.{column(value, 'attribute')}"
            f" WHERE v.{column(value, 'product')} IN ({among(families)})"
            f" AND a.{column(attribute, 'code')} = %s"
        )
    return " UNION ALL ".join(parts)


def _rule_of(found: Range) -> "_RangeRule":
    """The range's rule, kept on it: the cached site offers' ranges are shared
    by a process's requests (`offer.site_offers.site_offers_open`), and what was
    prefetched with a range does not change."""
    rule = found.__dict__.get("_membership_rule")
    if rule is None:
        rule = found.__dict__["_membership_rule"] = _RangeRule(found)
    return rule


class _RangeRule:
    """A range's classes, categories and brand, read once from what was
    prefetched with it."""

    def __init__(self, found: Range):
        self.everything = found.includes_all_products
        self.class_ids = [product_class.pk for product_class in found.classes.all()]
        self.included = [category.path for category in found.included_categories.all()]
        self.excluded = [category.path for category in found.excluded_categories.all()]
        self.brand = found.brand.strip().lower()

    def products_in(self, products: _Products, *, listed, excluded) -> set[int]:
        """Which of `products` the range holds, given the ids it lists and
        excludes."""
        if self.everything:
            inside = products.all - products.under(self.excluded)
        else:
            inside = (
                products.of_family(listed)
                | products.under(self.included)
                | set().union(*(products.classes[pk] for pk in self.class_ids))
                | (products.brands.get(self.brand, NOTHING) if self.brand else NOTHING)
            )
        return inside - products.of_family(excluded)


class LinesKnown:
    """The lines being priced, indexed for `lines_in_reach`: their positions
    by product and the free gifts' positions, worked out once for all the
    offers instead of a pass over the lines for each; `known` is the
    membership of this pricing."""

    def __init__(self, lines, known: Membership | None):
        self.lines = list(lines)
        self.known = known
        self.complete = known is not None and all(
            line.product_id in known.products for line in self.lines
        )
        self.positions = defaultdict(list)  # product id -> positions
        self.gifts = []
        for position, line in enumerate(self.lines):
            self.positions[line.product_id].append(position)
            if is_gift_line(line):
                self.gifts.append(position)


def lines_in_reach(*, offer, lines: LinesKnown) -> list | None:
    """The lines whose product the offer's condition or benefit range holds,
    and every free gift's line, in the basket's order, from the membership
    known for this pricing (`offer.services.range_membership_known`); None
    when an offer may read other lines (a custom condition, benefit or range)
    or membership is not known (or not for every line's product)."""
    condition, benefit = offer.condition, offer.benefit
    if not lines.complete or condition.proxy_class or benefit.proxy_class:
        return None
    if condition.range_id is None:
        return None
    held = lines.known.held.get(condition.range_id)
    if benefit.range_id is not None:
        benefit_held = lines.known.held.get(benefit.range_id)
        held = None if benefit_held is None else held | benefit_held
    elif benefit.type not in ON_CONDITION_LINES:
        return None
    if held is None:
        return None  # a custom range
    positions = set(lines.gifts)
    for product_id in held:
        positions.update(lines.positions.get(product_id, ()))
    return [lines.lines[position] for position in sorted(positions)]


def range_holds_any(*, range_id: int, product_ids: frozenset[int]) -> bool | None:
    """Whether the range holds one of these products, from the membership
    known for this pricing; None when that is not known (a custom range, a
    product not asked about)."""
    known = range_membership.get()
    held = None if known is None else known.held.get(range_id)
    if held is None or not product_ids <= known.products:
        return None
    return not held.isdisjoint(product_ids)
