"""Keep the storefront frame's caches in step with the catalogue."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from catalogue.models import Category
from shop.selectors import category_menu_forget


def _category_changed(sender, instance, **kwargs):
    # Forget now for this process, and again after commit so a request that
    # rebuilt the menu from the old rows meanwhile does not keep it.
    category_menu_forget()
    transaction.on_commit(category_menu_forget)


def connect() -> None:
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(
            _category_changed,
            sender=Category,
            dispatch_uid=f"shop-category-menu-{name}",
        )
