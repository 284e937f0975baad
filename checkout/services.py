"""Placing an order: the one path the web checkout (and later the API and the
payment webhooks) takes. Views and tasks gather the shopper's choices and call
`order_place`; nothing else writes orders."""

from django.db import transaction
from oscar.core.loading import get_class

from basket.models import Basket
from order.models import Order
from order.utils import OrderCreator
from partner.services import StockLine, stock_allocate

Applicator = get_class("offer.applicator", "Applicator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")


class BasketNotOrderable(Exception):
    """The basket can't become an order (empty, or merged into another)."""


def order_place(  # noqa: PLR0913 - the checkout's choices, by name
    *,
    basket: Basket,
    shipping_method,
    shipping_address=None,
    billing_address=None,
    user=None,
    guest_email: str = "",
    request=None,
) -> Order:
    """The order for this basket, placed once however often it is asked for.

    In one transaction: the basket row is locked, so a double submission or a
    refresh waits and then gets the order the first one placed; prices, offers,
    shipping and the total are worked out here from the basket as the server
    holds it (its `strategy` set by the caller), never from anything the shopper
    sent; stock is allocated under row locks with availability checked in the
    same step (partner.services.StockUnavailable when it is short, and nothing is
    written); then Oscar's OrderCreator writes the order and the basket is
    submitted.
    """
    with transaction.atomic():
        status = (
            Basket.objects.select_for_update().values_list("status", flat=True)
        ).get(pk=basket.pk)
        if status == Basket.SUBMITTED:
            return Order.objects.get(basket_id=basket.pk)
        if status not in (Basket.OPEN, Basket.FROZEN) or basket.is_empty:
            raise BasketNotOrderable(f"Basket {basket.pk} is {status}, or empty")
        # Priced afresh inside the lock: the lines as they are now, today's offers.
        basket.reset_offer_applications()
        Applicator().apply(basket, user, request)
        lines = basket.all_lines()
        stock_allocate(
            basket_id=basket.pk,
            lines=[StockLine(line.stockrecord_id, line.quantity) for line in lines],
        )
        shipping_charge = shipping_method.calculate(basket)
        order = OrderCreator().place_order(
            basket=basket,
            total=OrderTotalCalculator().calculate(basket, shipping_charge),
            shipping_method=shipping_method,
            shipping_charge=shipping_charge,
            user=user if user is not None and user.is_authenticated else None,
            shipping_address=shipping_address,
            billing_address=billing_address,
            request=request,
            guest_email=guest_email,
        )
        basket.submit()
    return order
