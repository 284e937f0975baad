"""The payment and basket rows as the payment services change them, and what a
payment's `checkout` (what the checkout collected) stands for: its customer,
shipping address, shipping method and total.

Every change to a payment locks its basket's row first and the payment's
second (`payment_locked`), so no two paths wait on each other in a circle.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from oscar.core.loading import get_class, get_model

from basket.models import Basket
from checkout.pricing import checkout_price
from partner.services import stock_reservation_release
from payment.gateways import GatewayResult
from payment.models import Payment

Repository = get_class("shipping.repository", "Repository")
Selector = get_class("partner.strategy", "Selector")
ShippingAddress = get_model("order", "ShippingAddress")


def payment_locked(**lookup) -> Payment:
    """The payment, locked after its basket's row. Every change to a payment
    locks its basket first and the payment second, so two of them (a shopper's
    second submission, a webhook, the reconciliation) never wait on each other in
    a circle. Raises Payment.DoesNotExist."""
    basket_id = Payment.objects.filter(**lookup).values_list("basket_id", flat=True)
    list(Basket.objects.select_for_update().filter(pk__in=basket_id).values("pk"))
    return Payment.objects.select_for_update().get(**lookup)


def basket_locked(basket_id: int, *, checkout: dict) -> Basket:
    """The basket, locked, priced for the checkout's destination (its tax)."""
    basket = Basket.objects.select_for_update().get(pk=basket_id)
    address_id = checkout.get("shipping_address_id")
    country = (
        ShippingAddress.objects.filter(pk=address_id)
        .values_list("country_id", flat=True)
        .first()
        if address_id
        else None
    )
    basket.strategy = Selector().strategy(
        user=checkout_user(checkout.get("user_id")), country=country
    )
    return basket


def payment_result_apply(payment: Payment, result: GatewayResult) -> None:
    payment.status = result.status
    payment.reference = result.reference or payment.reference
    payment.message = result.message[:255]
    payment.client_secret = result.client_secret or payment.client_secret
    payment.action_url = result.action_url or payment.action_url
    payment.save(
        update_fields=[
            "status",
            "reference",
            "message",
            "client_secret",
            "action_url",
            "updated_at",
        ]
    )
    if result.status == Payment.FAILED:
        basket_release(payment)


def basket_release(payment: Payment) -> None:
    """The shopper may change the basket again; its stock is no longer held."""
    stock_reservation_release(basket_id=payment.basket_id)
    Basket.objects.filter(pk=payment.basket_id, status=Basket.FROZEN).update(
        status=Basket.OPEN
    )


def checkout_user(user_id: int | None):
    if user_id is None:
        return None
    return get_user_model().objects.get(pk=user_id)


def checkout_shipping_address(checkout: dict):
    address_id = checkout.get("shipping_address_id")
    return ShippingAddress.objects.get(pk=address_id) if address_id else None


def checkout_shipping_method(basket: Basket, checkout: dict, address):
    code = checkout.get("shipping_method_code")
    methods = Repository().get_shipping_methods(basket=basket, shipping_addr=address)
    for method in methods:
        if method.code == code:
            return method
    raise LookupError(f"No shipping method {code!r} for basket {basket.pk}")


def checkout_total(basket: Basket, checkout: dict) -> tuple[Decimal, str]:
    """The amount to charge: the order's total as order_place will work it out."""
    address = checkout_shipping_address(checkout)
    total = checkout_price(
        basket=basket,
        shipping_method=checkout_shipping_method(basket, checkout, address),
        user=checkout_user(checkout.get("user_id")),
    ).total
    return total.incl_tax, total.currency
