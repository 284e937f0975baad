"""Shopper behaviour is recorded off the request: an anonymous shopper's event is
one buffered count (analytics.counters), a signed-in shopper's a task queued
after commit."""

from django.db import transaction
from oscar.apps.analytics import receivers as oscar_receivers
from oscar.apps.basket.signals import basket_addition
from oscar.apps.catalogue.signals import product_viewed

from analytics.counters import counter_add
from analytics.tasks import basket_addition_record, product_view_record


def _user_id(user) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def _product_viewed(sender, product, user, **kwargs):
    if kwargs.get("raw", False):
        return
    product_id, user_id = product.pk, _user_id(user)
    if user_id is None and counter_add("views", product_id):
        return
    transaction.on_commit(
        lambda: product_view_record.delay(product_id=product_id, user_id=user_id)
    )


def _basket_addition(sender, product, user, **kwargs):
    if kwargs.get("raw", False):
        return
    product_id, user_id = product.pk, _user_id(user)
    if user_id is None and counter_add("basket_additions", product_id):
        return
    transaction.on_commit(
        lambda: basket_addition_record.delay(product_id=product_id, user_id=user_id)
    )


def connect() -> None:
    product_viewed.disconnect(oscar_receivers.receive_product_view)
    basket_addition.disconnect(oscar_receivers.receive_basket_addition)
    product_viewed.connect(_product_viewed, dispatch_uid="analytics-product-viewed")
    basket_addition.connect(_basket_addition, dispatch_uid="analytics-basket-addition")
