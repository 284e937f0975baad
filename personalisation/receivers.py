"""Oscar's signals turned into behaviour events (buffered: no write on the
request). Purchases carry the order and never the shopper: bought-together
learns from orders, and a person's history is kept only with their consent."""

from django.db import transaction
from oscar.apps.basket.signals import basket_addition
from oscar.apps.catalogue.signals import product_viewed
from oscar.apps.checkout.signals import start_checkout
from oscar.apps.order.signals import order_placed

from personalisation.events import event_record
from personalisation.models import Event


def _product_viewed(sender, product, user, request=None, **kwargs):
    event_record(
        kind=Event.Kind.PRODUCT_VIEW, request=request, user=user, product_id=product.pk
    )


def _basket_addition(sender, product, user, request=None, **kwargs):
    event_record(
        kind=Event.Kind.BASKET_ADD, request=request, user=user, product_id=product.pk
    )


def _checkout_started(sender, request=None, **kwargs):
    event_record(kind=Event.Kind.CHECKOUT_START, request=request)


def _order_placed(sender, order, user=None, **kwargs):
    lines = list(order.lines.values_list("product_id", "quantity"))

    def record():
        for product_id, quantity in lines:
            event_record(
                kind=Event.Kind.PURCHASE,
                product_id=product_id,
                order_id=order.pk,
                quantity=quantity,
            )

    # Only an order that was placed: the placement may still roll back.
    transaction.on_commit(record)


def connect() -> None:
    product_viewed.connect(_product_viewed, dispatch_uid="personalisation-view")
    basket_addition.connect(_basket_addition, dispatch_uid="personalisation-add")
    order_placed.connect(_order_placed, dispatch_uid="personalisation-purchase")
    start_checkout.connect(_checkout_started, dispatch_uid="personalisation-checkout")
