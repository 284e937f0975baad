"""Keep the listing and product pages in step: any change to what they show
renews the products' page stamps and queues a refresh of their listing rows, once
per transaction, after it commits."""

import threading

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from catalogue.cache import (
    STAMPS_RENEWED_AT_MOST,
    catalogue_version_bump,
    product_stamps_renew,
)
from catalogue.models import (
    Category,
    Product,
    ProductAttributeValue,
    ProductCategory,
    ProductImage,
    ProductListingCategory,
)
from catalogue.tasks import listing_refresh_task
from partner.models import StockRecord

_pending = threading.local()


def _pending_ids() -> set[int]:
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    return _pending.ids


def _flush() -> None:
    ids = _pending_ids()
    if not ids:
        return
    product_ids = sorted(ids)
    ids.clear()
    _page_stamps_renew(product_ids)
    listing_refresh_task.delay(product_ids=product_ids)


def _page_stamps_renew(product_ids: list[int]) -> None:
    """A variant's change shows on its parent's page too, and a parent's (its
    title, its images) on its variants' basket lines."""
    if len(product_ids) <= STAMPS_RENEWED_AT_MOST:
        related = Product.objects.filter(
            Q(pk__in=product_ids, parent__isnull=False) | Q(parent_id__in=product_ids)
        ).values_list("pk", "parent_id")
        product_ids = [*product_ids, *(pk for pair in related for pk in pair)]
    product_stamps_renew(product_ids)


def listing_refresh_queue(product_ids) -> None:
    """Renew these products' page stamps and refresh their listing rows after the
    current transaction commits."""
    _pending_ids().update(pk for pk in product_ids if pk)
    transaction.on_commit(_flush)


def _product_changed(sender, instance, **kwargs):
    listing_refresh_queue([instance.pk, instance.parent_id])


def _related_changed(sender, instance, **kwargs):
    listing_refresh_queue([instance.product_id])


def _category_changed(sender, instance, **kwargs):
    listing_ids = ProductListingCategory.objects.filter(
        category_id=instance.pk
    ).values_list("listing_id", flat=True)
    listing_refresh_queue(list(listing_ids))
    transaction.on_commit(catalogue_version_bump)


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(
            _product_changed, sender=Product, dispatch_uid=f"listing-product-{signal}"
        )
        for model in (
            StockRecord,
            ProductImage,
            ProductAttributeValue,
            ProductCategory,
        ):
            signal.connect(
                _related_changed,
                sender=model,
                dispatch_uid=f"listing-{model.__name__}-{signal}",
            )
        signal.connect(
            _category_changed,
            sender=Category,
            dispatch_uid=f"listing-category-{signal}",
        )
