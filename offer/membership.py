"""Which of a basket's products each offer's range holds, for all ranges at once.

Oscar answers `Range.contains_product` with a query per product and range, so a
basket checked against 200 offers asked thousands of times. Here the answer for
every (range, product) pair costs at most four queries whatever the number of
ranges: the products listed in or excluded from any of the ranges, the
products' categories, and (when a range is by brand) their brands. A range's
own classes and categories come with it (prefetched with the offers).

The rules are Oscar's (`AbstractRange.product_queryset`): a range holding all
products keeps out only its excluded products and categories; otherwise a
product is in when it, or its parent, is listed, of a listed class, in a listed
category or below it, or of the range's brand, and neither it nor its parent is
excluded. A variant is judged by its parent's class and categories.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from catalogue.models import ProductAttributeValue, ProductCategory
from offer.models import BRAND_ATTRIBUTE, Range, RangeProduct

NOTHING = frozenset()


def range_membership_batch(
    *, ranges: Iterable[Range], products: Iterable
) -> dict[tuple[int, int], bool]:
    """{(range id, product id): contained?} for every pair. Custom (proxy)
    ranges are left out: they answer for themselves."""
    ranges = [found for found in ranges if not found.proxy_class]
    products = list({product.pk: product for product in products}.values())
    if not ranges or not products:
        return {}
    facts = _products_facts(products, brands=any(found.brand for found in ranges))
    all_ids = set().union(*(fact.ids for fact in facts))
    range_ids = [found.pk for found in ranges]
    listed = _lists(RangeProduct.objects, range_ids=range_ids, product_ids=all_ids)
    excluded = _lists(
        Range.excluded_products.through.objects,
        range_ids=range_ids,
        product_ids=all_ids,
    )
    known = {}
    for found in ranges:
        rule = _rule_of(found)
        listed_here = listed.get(found.pk, NOTHING)
        excluded_here = excluded.get(found.pk, NOTHING)
        for fact in facts:
            known[(found.pk, fact.product.pk)] = rule.holds(
                fact, listed=listed_here, excluded=excluded_here
            )
    return known


@dataclass(slots=True)
class _ProductFacts:
    """What the rules ask of one product."""

    product: object
    ids: set[int]  # its own and its parent's
    paths: list[str]  # its categories' (a variant's: its parent's)
    brands: set[str]  # its own and its parent's, lower case


def _products_facts(products: list, *, brands: bool) -> list[_ProductFacts]:
    """The products' categories, and their brands when a range asks."""
    family = {
        product.pk: {product.pk, product.parent_id} - {None} for product in products
    }
    all_ids = set().union(*family.values())
    paths = defaultdict(list)
    for product_id, path in ProductCategory.objects.filter(
        product_id__in=all_ids
    ).values_list("product_id", "category__path"):
        paths[product_id].append(path)
    brands_of = defaultdict(set)
    if brands:
        for product_id, value in ProductAttributeValue.objects.filter(
            product_id__in=all_ids, attribute__code=BRAND_ATTRIBUTE
        ).values_list("product_id", "value_text"):
            brands_of[product_id].add((value or "").strip().lower())
    return [
        _ProductFacts(
            product=product,
            ids=family[product.pk],
            paths=paths[product.parent_id or product.pk],
            brands=set().union(*(brands_of[pk] for pk in family[product.pk])),
        )
        for product in products
    ]


def _lists(rows, *, range_ids, product_ids) -> dict[int, set[int]]:
    """{range id: the products it lists} among these, from a range's included
    or excluded products."""
    found = defaultdict(set)
    for range_id, product_id in rows.filter(
        range_id__in=range_ids, product_id__in=product_ids
    ).values_list("range_id", "product_id"):
        found[range_id].add(product_id)
    return found


def _rule_of(found: Range) -> "_RangeRule":
    """The range's rule, kept on it: the cached site offers' ranges are shared
    by a process's requests (`offer.selectors.site_offers_open`), and what was
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
        self.class_ids = {product_class.pk for product_class in found.classes.all()}
        self.included = [category.path for category in found.included_categories.all()]
        self.excluded = [category.path for category in found.excluded_categories.all()]
        self.brand = found.brand.strip().lower()

    def holds(self, fact: _ProductFacts, *, listed, excluded) -> bool:
        """Whether the range holds the product, given the products the range
        lists and excludes."""
        if not excluded.isdisjoint(fact.ids):
            return False
        if self.everything:
            return not _under(fact.paths, self.excluded)
        return (
            not listed.isdisjoint(fact.ids)
            or self.has_class(fact.product)
            or _under(fact.paths, self.included)
            or (bool(self.brand) and self.brand in fact.brands)
        )

    def has_class(self, product) -> bool:
        if not self.class_ids:
            return False
        product_class_id = (
            product.parent.product_class_id if product.parent_id else None
        ) or product.product_class_id
        return product_class_id in self.class_ids


def _under(paths: list[str], tops: list[str]) -> bool:
    """Whether any of the category paths is one of `tops` or below it."""
    return any(path.startswith(top) for path in paths for top in tops)
