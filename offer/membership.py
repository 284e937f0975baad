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

from catalogue.models import ProductAttributeValue, ProductCategory
from offer.models import BRAND_ATTRIBUTE, Range, RangeProduct


def range_membership_batch(
    *, ranges: Iterable[Range], products: Iterable
) -> dict[tuple[int, int], bool]:
    """{(range id, product id): contained?} for every pair. Custom (proxy)
    ranges are left out: they answer for themselves."""
    ranges = [found for found in ranges if not found.proxy_class]
    products = list({product.pk: product for product in products}.values())
    if not ranges or not products:
        return {}
    family = {product.pk: _family_ids(product) for product in products}
    all_ids = set().union(*family.values())
    range_ids = [found.pk for found in ranges]

    listed = set(
        RangeProduct.objects.filter(
            range_id__in=range_ids, product_id__in=all_ids
        ).values_list("range_id", "product_id")
    )
    excluded = set(
        Range.excluded_products.through.objects.filter(
            range_id__in=range_ids, product_id__in=all_ids
        ).values_list("range_id", "product_id")
    )
    paths = defaultdict(list)
    for product_id, path in ProductCategory.objects.filter(
        product_id__in=all_ids
    ).values_list("product_id", "category__path"):
        paths[product_id].append(path)
    brands = defaultdict(set)
    if any(found.brand for found in ranges):
        for product_id, value in ProductAttributeValue.objects.filter(
            product_id__in=all_ids, attribute__code=BRAND_ATTRIBUTE
        ).values_list("product_id", "value_text"):
            brands[product_id].add((value or "").strip().lower())

    known = {}
    for found in ranges:
        rule = _RangeRule(found)
        for product in products:
            ids = family[product.pk]
            if any((found.pk, pk) in excluded for pk in ids):
                contained = False
            elif found.includes_all_products:
                contained = not rule.excludes_category(_paths_of(product, paths))
            else:
                contained = (
                    any((found.pk, pk) in listed for pk in ids)
                    or rule.has_class(product)
                    or rule.includes_category(_paths_of(product, paths))
                    or rule.has_brand(set().union(*(brands[pk] for pk in ids)))
                )
            known[(found.pk, product.pk)] = contained
    return known


def _family_ids(product) -> set[int]:
    return {product.pk, product.parent_id} - {None}


def _paths_of(product, paths) -> list[str]:
    """A variant sits in its parent's categories."""
    return paths[product.parent_id] if product.parent_id else paths[product.pk]


class _RangeRule:
    """A range's classes, categories and brand, read once from what was
    prefetched with it."""

    def __init__(self, found: Range):
        self.class_ids = {product_class.pk for product_class in found.classes.all()}
        self.included = [category.path for category in found.included_categories.all()]
        self.excluded = [category.path for category in found.excluded_categories.all()]
        self.brand = found.brand.strip().lower()

    def has_class(self, product) -> bool:
        if not self.class_ids:
            return False
        product_class_id = (
            product.parent.product_class_id if product.parent_id else None
        ) or product.product_class_id
        return product_class_id in self.class_ids

    def includes_category(self, paths: list[str]) -> bool:
        return any(path.startswith(top) for path in paths for top in self.included)

    def excludes_category(self, paths: list[str]) -> bool:
        return any(path.startswith(top) for path in paths for top in self.excluded)

    def has_brand(self, brands: set[str]) -> bool:
        return bool(self.brand) and self.brand in brands
