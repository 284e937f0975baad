"""A succeeded payment turned into its order exactly once, whichever arrives
first: the shopper's return, the gateway's webhook or the reconciliation on
beat (payment.reconciliation); refunded in full when the order can no longer be
placed."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from checkout.services import BasketNotOrderable, VoucherUnavailable, order_place
from order.models import Order
from order.services import order_paid
from partner.services import StockUnavailable
from payment.gateways import GatewayError, gateway_for
from payment.models import Payment
from payment.records import (
    basket_locked,
    basket_release,
    checkout_shipping_address,
    checkout_shipping_method,
    checkout_user,
    payment_locked,
)

logger = logging.getLogger(__name__)

Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")


class PaymentNotReady(Exception):
    """The payment has not succeeded (yet), so there is no order to place."""


class PaymentRefunded(Exception):
    """The payment succeeded but its order could not be placed (the stock or a
    voucher ran out while the shopper paid), so the money went back."""


def payment_order_place(*, payment_id: int) -> Order:
    """The order of a succeeded payment, placed once: the payment row is locked,
    so concurrent callers (return URL, webhook, reconciliation) all get the one
    order. Raises PaymentNotReady for a payment that has not succeeded, and
    PaymentRefunded when the order can't be placed any more: the payment is
    refunded in full rather than kept without an order."""
    try:
        return _payment_order_place(payment_id)
    except (StockUnavailable, VoucherUnavailable, BasketNotOrderable) as exc:
        _payment_refund_unplaceable(payment_id, reason=str(exc))
        raise PaymentRefunded(str(exc)) from exc


def _payment_order_place(payment_id: int) -> Order:
    with transaction.atomic():
        payment = payment_locked(pk=payment_id)
        if payment.order_id is not None:
            return payment.order
        if payment.status != Payment.SUCCEEDED:
            raise PaymentNotReady(f"Payment {payment.pk} is {payment.status}")
        placed = Payment.objects.filter(basket=payment.basket_id, order__isnull=False)
        if placed.exists():
            # Another payment of the basket placed its order.
            raise BasketNotOrderable(_("This basket has been paid for already."))
        checkout = payment.checkout
        user = checkout_user(checkout.get("user_id"))
        basket = basket_locked(payment.basket_id, checkout=checkout)
        address = checkout_shipping_address(checkout)
        order = order_place(
            basket=basket,
            shipping_method=checkout_shipping_method(basket, checkout, address),
            shipping_address=address,
            user=user,
            guest_email=checkout.get("guest_email", ""),
        )
        if order.total_incl_tax != payment.amount:
            logger.warning(
                "Order %s totals %s but payment %s took %s",
                order.number,
                order.total_incl_tax,
                payment.pk,
                payment.amount,
            )
        _payment_record(order, payment)
        payment.order = order
        payment.save(update_fields=["order", "updated_at"])
        order = order_paid(
            order_id=order.pk, reference=payment.reference, gateway=payment.gateway
        )
    return order


def _payment_refund_unplaceable(payment_id: int, *, reason: str) -> None:
    with transaction.atomic():
        payment = payment_locked(pk=payment_id)
        if payment.status != Payment.SUCCEEDED or payment.order_id is not None:
            return
        try:
            result = gateway_for(payment.gateway).refund(
                payment=payment, amount=payment.amount, key=f"unplaceable-{payment.pk}"
            )
        except GatewayError:
            logger.exception("Payment %s needs a refund: %s", payment.pk, reason)
            return
        if result.status != Payment.SUCCEEDED:
            logger.error("Refund of payment %s refused: %s", payment.pk, reason)
            return
        payment.status = Payment.REFUNDED
        payment.message = reason[:255]
        payment.save(update_fields=["status", "message", "updated_at"])
        basket_release(payment)
        logger.warning("Refunded payment %s, its order failed: %s", payment.pk, reason)


def _payment_record(order: Order, payment: Payment) -> None:
    """Oscar's record of the money taken, shown with the order."""
    source_type, _ = SourceType.objects.get_or_create(
        code=payment.gateway, defaults={"name": payment.gateway.title()}
    )
    source = Source.objects.create(
        order=order,
        source_type=source_type,
        currency=payment.currency,
        amount_allocated=payment.amount,
        reference=payment.reference,
    )
    source.debit(payment.amount, reference=payment.reference, status="succeeded")
