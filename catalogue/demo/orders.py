"""Demo orders: a fresh demo shop's order, returns and analytics pages show a
few weeks of trade instead of nothing.

Each order is placed as a shopper's would be (a basket, a payment at the demo
gateway, the order from the succeeded payment) and taken on through the same
services a merchant and the carriers use: shipped, delivered, returned and
refunded, or cancelled. Then all of its rows are moved back to the day it was
"placed", so the orders spread over the last weeks. No email goes out: the
emails are rendered to nowhere (and recorded as sent, so no sweep sends them
later), and tasks run in this process whatever broker is configured.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import F
from django.test.utils import override_settings
from oscar.core.loading import get_model

from basket.models import Basket
from order import states
from order.fulfilment import ShipmentLineRequest, shipment_create, shipment_delivered
from order.models import Order
from order.returns import (
    ReturnLineRequest,
    return_approve,
    return_receive,
    return_refund,
    return_request_create,
)
from order.services import order_cancel, order_transition
from partner.strategy import Selector
from payment import ordering, services
from payment.gateways.demo import SUCCEEDS, DemoGateway
from shipping.repository import Repository
from shop.celery import app

Country = get_model("address", "Country")
Product = get_model("catalogue", "Product")
ShippingAddress = get_model("order", "ShippingAddress")

DEMO_CUSTOMERS = [
    ("Grace", "Hopper"),
    ("Alan", "Turing"),
    ("Katherine", "Johnson"),
    ("Tim", "Berners-Lee"),
    ("Margaret", "Hamilton"),
    ("Dennis", "Ritchie"),
    ("Radia", "Perlman"),
    ("Linus", "Torvalds"),
]
# How the demo's orders end up, in order of placing (oldest first): each
# returns the order's final state.
STORIES = ("delivered", "returned", "delivered", "cancelled", "shipped", "paid")
DAYS = 42


def demo_orders_ensure(*, count: int, seed: int) -> int:
    """Place `count` demo orders over the last six weeks, unless the shop has
    any order already; returns how many were placed."""
    if count <= 0 or Order.objects.exists():
        return 0
    rng = random.Random(seed)
    products = list(
        Product.objects.filter(
            structure__in=[Product.STANDALONE, Product.CHILD],
            stockrecords__num_in_stock__gte=20,
        ).distinct()[:200]
    )
    if not products:
        return 0
    customers = [_customer(first, last) for first, last in DEMO_CUSTOMERS]
    with _quietly():
        for index in range(count):
            age = DAYS * (count - index) / count
            days_ago = max(age - rng.random(), 0.05)
            story = STORIES[index % len(STORIES)] if days_ago > 3 else "paid"
            if 3 < days_ago < 8 and story in ("delivered", "returned"):
                story = "shipped"
            user = rng.choice(customers) if rng.random() < 0.7 else None
            lines = [(rng.choice(products), rng.randint(1, 2))]
            if rng.random() < 0.4:
                lines.append((rng.choice(products), 1))
            order = _placed(lines, user=user, rng=rng)
            _story_tell(order, story)
            _backdate(order, timedelta(days=days_ago))
    return count


def _customer(first: str, last: str):
    email = f"{first}.{last}@example.com".lower().replace("-", "")
    user, _ = get_user_model().objects.get_or_create(
        username=email.split("@")[0],
        defaults={"email": email, "first_name": first, "last_name": last},
    )
    return user


def _placed(lines, *, user, rng: random.Random) -> Order:
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for product, quantity in lines:
        basket.add_product(product, quantity)
    first, last = (
        (user.first_name, user.last_name) if user else rng.choice(DEMO_CUSTOMERS)
    )
    address = ShippingAddress.objects.create(
        first_name=first,
        last_name=last,
        line1=f"{rng.randint(1, 120)} High Street",
        line4=rng.choice(["York", "Bristol", "Leeds", "Norwich", "Bath", "Whitby"]),
        postcode=rng.choice(["YO1 7HH", "BS1 4DJ", "LS1 6AS", "NR2 1TF", "BA1 1LZ"]),
        country=Country.objects.get(iso_3166_1_a2="GB"),
    )
    method = Repository().get_shipping_methods(basket, shipping_addr=address)[0]
    checkout = {
        "shipping_address_id": address.pk,
        "shipping_method_code": method.code,
        "guest_email": "" if user else f"{first}.{last}@example.net".lower(),
        "user_id": user.pk if user else None,
    }
    payment = services.payment_start(
        basket_id=basket.pk,
        gateway=DemoGateway(),
        checkout=checkout,
        details={"card_number": SUCCEEDS},
    )
    return ordering.payment_order_place(payment_id=payment.pk)


def _story_tell(order: Order, story: str) -> None:
    if story == "paid":
        return
    if story == "cancelled":
        order_cancel(
            order_id=order.pk,
            reason="Ordered the wrong size",
            by_shopper=True,
            refund_key=f"demo-cancel-{order.pk}",
        )
        return
    order_transition(order_id=order.pk, new_status=states.PROCESSING)
    shipment = shipment_create(
        order_id=order.pk,
        lines=[
            ShipmentLineRequest(line.pk, line.quantity) for line in order.lines.all()
        ],
        carrier="royal-mail",
        tracking_number=f"DM{order.pk:07d}GB",
        actor="demo",
    )
    if story == "shipped":
        return
    shipment_delivered(shipment_id=shipment.pk, actor="demo")
    if story == "returned":
        line = order.lines.first()
        request = return_request_create(
            order_id=order.pk,
            lines=[ReturnLineRequest(line.pk, 1)],
            reason="Not as pictured",
            user=order.user,
        )
        return_approve(return_id=request.pk)
        return_receive(return_id=request.pk, restock=True)
        return_refund(return_id=request.pk, key=f"demo-return-{request.pk}")


def _backdate(order: Order, age: timedelta) -> None:
    """Move every dated row of the order back by `age`, as if it had happened
    then (the services date what they write now)."""
    moves = [
        (Order.objects.filter(pk=order.pk), ["date_placed"]),
        (order.timeline.all(), ["created_at", "emailed_at"]),
        (order.status_changes.all(), ["date_created"]),
        (order.payment_events.all(), ["date_created"]),
        (order.communication_events.all(), ["date_created"]),
        (order.shipments.all(), ["shipped_at", "delivered_at"]),
        (order.returns.all(), ["created_at"]),
        (order.refunds.all(), ["created_at"]),
        (order.payments.all(), ["created_at", "updated_at"]),
    ]
    for queryset, fields in moves:
        queryset.update(**{field: F(field) - age for field in fields})


@contextmanager
def _quietly() -> Iterator[None]:
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
        ):
            yield
    finally:
        app.conf.task_always_eager = previous
