"""Shop-wide reads for the storefront frame."""

from typing import TypedDict

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language

from catalogue.models import Category

CATEGORY_MENU_CACHE_KEY = "shop:category-menu:{language}"
# Saving or deleting a category forgets the menu at once (shop.receivers); the
# timeout only bounds staleness after tree moves, which send no signal.
CATEGORY_MENU_CACHE_SECONDS = 600


class MenuItem(TypedDict):
    name: str
    url: str
    children: list["MenuItem"]


def category_menu() -> list[MenuItem]:
    """The header's category menu: public top-level categories and their children.

    Built from one query (two when some categories are hidden from the menu) and
    kept in the cache, so a page pays no query for it once it is warm.
    """
    key = CATEGORY_MENU_CACHE_KEY.format(language=get_language())
    menu = cache.get(key)
    if menu is None:
        menu = _category_menu_build()
        cache.set(key, menu, CATEGORY_MENU_CACHE_SECONDS)
    return menu


def category_menu_forget() -> None:
    cache.delete_many(
        [
            CATEGORY_MENU_CACHE_KEY.format(language=code)
            for code, _ in settings.LANGUAGES
        ]
    )


def _category_menu_build() -> list[MenuItem]:
    categories = (
        Category.get_tree()
        .filter(depth__lte=2)
        .for_menu()
        .only("pk", "path", "depth", "name", "slug")
    )
    menu: list[MenuItem] = []
    tops: dict[str, tuple[MenuItem, str]] = {}
    for category in categories:
        if category.depth == 1:
            item = _menu_item(category, full_slug=category.slug)
            tops[category.path] = (item, category.slug)
            menu.append(item)
            continue
        parent = tops.get(category.path[: Category.steplen])
        if parent is None:  # its parent is hidden from the menu
            continue
        parent_item, parent_slug = parent
        full_slug = f"{parent_slug}{Category._slug_separator}{category.slug}"
        parent_item["children"].append(_menu_item(category, full_slug=full_slug))
    return menu


def _menu_item(category: Category, *, full_slug: str) -> MenuItem:
    url = reverse(
        "catalogue:category",
        kwargs={"category_slug": full_slug, "pk": category.pk},
    )
    return {"name": category.name, "url": url, "children": []}
