"""Orders for the order tests, placed the way the shop places them: a basket,
a payment at a gateway, the order once the payment succeeds (so it is Paid and
refunds go back through that gateway)."""

from django.contrib.auth import get_user_model

from basket.models import Basket
from order.models import Order
from partner.strategy import Selector
from payment import ordering, services
from payment.gateways.demo import DemoGateway
from tests.checkout.test_order_place import checkout_choices
from tests.factories import product_in_stock


def customer(email: str = "ada@example.com"):
    return get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password="x"
    )


def products(*prices: str, stock: int = 10) -> list:
    return [
        product_in_stock(title=f"Product {n}", price=price, num_in_stock=stock)
        for n, price in enumerate(prices, start=1)
    ]


def order_paid(
    *lines, user=None, gateway=None, shipping_method_code="free-shipping", **details
) -> Order:
    """An order for `lines` ((product, quantity) pairs), paid through `gateway`
    (the demo gateway and its good test card unless told otherwise), by `user`
    or as a guest (ada@example.com)."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for product, quantity in lines:
        basket.add_product(product, quantity)
    checkout = checkout_choices()
    checkout["shipping_method_code"] = shipping_method_code
    if user is not None:
        checkout["user_id"] = user.pk
        checkout["guest_email"] = ""
    payment = services.payment_start(
        basket_id=basket.pk,
        gateway=gateway or DemoGateway(),
        checkout=checkout,
        details=details or {"card_number": "4242424242424242"},
    )
    return ordering.payment_order_place(payment_id=payment.pk)
