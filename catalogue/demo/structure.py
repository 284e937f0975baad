"""The fixed part of the demo shop: product types, attributes, categories, partner.

There are only a few dozen of these rows, so they are made one by one through
Oscar's own save() and treebeard's add_root/add_child, which keep slugs, tree
paths and `ancestors_are_public` right. Each is found by its natural key first.
"""

from dataclasses import dataclass

from oscar.core.loading import get_model
from oscar.core.utils import slugify

from catalogue.demo.data import OPTION_GROUPS, PARTNER_CODE, PARTNER_NAME, Department
from catalogue.demo.departments import DEPARTMENTS
from catalogue.models import (
    AttributeOption,
    AttributeOptionGroup,
    Category,
    ProductAttribute,
    ProductClass,
)

Partner = get_model("partner", "Partner")


@dataclass(frozen=True)
class Structure:
    """Ids the bulk writer needs, looked up once per run."""

    product_class_ids: dict[str, int]  # department slug -> id
    attributes: dict[tuple[str, str], ProductAttribute]  # (department, code)
    option_ids: dict[tuple[int, str], int]  # (option group id, label) -> id
    leaf_category_ids: dict[tuple[str, str], int]  # (department, leaf name) -> id
    partner_id: int
    categories_created: int


def structure_ensure() -> Structure:
    """Create whatever part of the fixed structure is missing, and look up the rest."""
    groups, option_ids = _option_groups_ensure()
    product_class_ids = {}
    attributes = {}
    for department in DEPARTMENTS:
        product_class, _ = ProductClass.objects.get_or_create(
            slug=department.slug,
            defaults={"name": department.name, "requires_shipping": True},
        )
        product_class_ids[department.slug] = product_class.pk
        for spec in department.attributes:
            group = groups[spec.option_group] if spec.option_group else None
            attribute, _ = ProductAttribute.objects.get_or_create(
                product_class=product_class,
                code=spec.code,
                defaults={"name": spec.name, "type": spec.type, "option_group": group},
            )
            attributes[(department.slug, spec.code)] = attribute
    leaf_category_ids, categories_created = _categories_ensure()
    partner, _ = Partner.objects.get_or_create(
        code=PARTNER_CODE, defaults={"name": PARTNER_NAME}
    )
    return Structure(
        product_class_ids=product_class_ids,
        attributes=attributes,
        option_ids=option_ids,
        leaf_category_ids=leaf_category_ids,
        partner_id=partner.pk,
        categories_created=categories_created,
    )


def _option_groups_ensure() -> tuple[
    dict[str, AttributeOptionGroup], dict[tuple[int, str], int]
]:
    groups = {}
    option_ids = {}
    for code, (name, labels) in OPTION_GROUPS.items():
        group, _ = AttributeOptionGroup.objects.get_or_create(
            code=code, defaults={"name": name}
        )
        groups[code] = group
        existing = dict(group.options.values_list("option", "pk"))
        for label in labels:
            if label not in existing:
                option = AttributeOption.objects.create(
                    group=group, option=label, code=f"{code}-{slugify(label)}"
                )
                existing[label] = option.pk
            option_ids[(group.pk, label)] = existing[label]
    return groups, option_ids


def _categories_ensure() -> tuple[dict[tuple[str, str], int], int]:
    """One root per department with a child per leaf: about fifty categories."""
    ids = {}
    created = 0
    for department in DEPARTMENTS:
        root = Category.objects.filter(depth=1, slug=department.slug).first()
        if root is None:
            root = Category.objects.add_root(
                create_kwargs={
                    "name": department.name,
                    "slug": department.slug,
                    "description": department.description,
                }
            )
            created += 1
        children = {
            child.slug: child
            for child in Category.objects.filter(depth=2, path__startswith=root.path)
        }
        for leaf in department.leaves:
            child = children.get(slugify(leaf.name))
            if child is None:
                child = Category.objects.add_child(
                    root, create_kwargs=_leaf_fields(department, leaf.name)
                )
                created += 1
            ids[(department.slug, leaf.name)] = child.pk
    return ids, created


def _leaf_fields(department: Department, name: str) -> dict[str, str]:
    return {
        "name": name,
        "slug": slugify(name),
        "description": f"{name} in our {department.name.lower()} department.",
    }
