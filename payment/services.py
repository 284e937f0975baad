"""Taking payment for a basket, and turning a succeeded payment into its order
exactly once, whichever arrives first: the shopper's return, the gateway's
webhook or the reconciliation on beat (payment.reconciliation).

`checkout` is what the order needs besides the basket, as the checkout collected
it: `shipping_address_id` (a saved order.ShippingAddress), `shipping_method_code`,
`guest_email` and `user_id`.
"""

import logging
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from basket.models import Basket
from checkout.pricing import PriceChanged, checkout_price
from checkout.services import (
    BasketNotOrderable,
    VoucherUnavailable,
    basket_vouchers_lock,
    order_place,
)
from order.models import Order
from order.services import order_paid
from partner.services import (
    StockLine,
    StockUnavailable,
    stock_reservation_release,
    stock_reserve,
)
from payment.gateways import Gateway, GatewayError, GatewayResult, gateway_for
from payment.models import Payment

logger = logging.getLogger(__name__)

Repository = get_class("shipping.repository", "Repository")
Selector = get_class("partner.strategy", "Selector")
ShippingAddress = get_model("order", "ShippingAddress")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")


class PaymentNotReady(Exception):
    """The payment has not succeeded (yet), so there is no order to place."""


class PaymentRefunded(Exception):
    """The payment succeeded but its order could not be placed (the stock or a
    voucher ran out while the shopper paid), so the money went back."""


def payment_start(
    *,
    basket_id: int,
    gateway: Gateway,
    checkout: dict,
    details: dict,
    shown_total: Decimal | None = None,
) -> Payment:
    """The basket's payment at this gateway for the total worked out here.

    One basket is charged once: a submission that finds the basket already paid
    for (a succeeded payment at any gateway, or its order placed) gets that
    payment back, and one that finds a payment of this gateway in flight or
    waiting for the shopper gets that one, so a double click, a second tab or a
    retry ends on the same thank-you page with one charge. The basket row is
    locked first, so concurrent submissions take their turn.

    The amount is the server's total (lines, offers, shipping); nothing the
    shopper sends changes it, and when it is not the `shown_total` the shopper
    saw on the preview, PriceChanged stops everything (nothing charged). Stock is
    reserved for the basket first (StockUnavailable stops everything before the
    gateway is asked), and its vouchers are checked with their rows locked
    (VoucherUnavailable): a single-use voucher another basket is paying with
    right now is not available. The gateway is then asked in a transaction of
    its own, after the stock and voucher rows are let go, so a slow answer holds
    up only this basket's own second submission, never another shopper's
    checkout of the same item. The basket is frozen while a charge waits for the
    shopper's confirmation (a basket changed while a payment is merely started
    gets a new payment for its new total on the next start); a failed payment
    thaws it and releases the stock.
    """
    payment = _payment_open(
        basket_id=basket_id,
        gateway=gateway,
        checkout=checkout,
        shown_total=shown_total,
    )
    try:
        return _payment_charge(payment_id=payment.pk, gateway=gateway, details=details)
    except GatewayError:
        payment_unanswered(payment_id=payment.pk)
        raise


def payment_unanswered(*, payment_id: int) -> None:
    """The gateway could not be asked for the payment: it ends (its stock and the
    basket let go of), so the shopper can try again at once. The web checkout's
    payments are only created at the gateway here (the shopper confirms them on
    its page), so none was charged; the gateway adapters retry a lost answer
    under the payment's idempotency key before giving up."""
    with transaction.atomic():
        payment = _payment_locked(pk=payment_id)
        if payment.status == Payment.CREATED and not payment.reference:
            _payment_result_apply(
                payment,
                GatewayResult(
                    status=Payment.FAILED,
                    message=_("The payment provider could not be reached."),
                ),
            )


def _payment_open(
    *, basket_id: int, gateway: Gateway, checkout: dict, shown_total: Decimal | None
) -> Payment:
    """The payment to charge, or the one that already charged the basket."""
    with transaction.atomic():
        basket = _basket_locked(basket_id, checkout=checkout)
        paid = basket_payment_settled(basket_id=basket.pk)
        if paid is not None:
            return paid
        amount, currency = _total(basket, checkout)
        if shown_total is not None and shown_total != amount:
            raise PriceChanged(shown=shown_total, total=amount, currency_code=currency)
        started = (
            Payment.objects.select_for_update()
            .filter(basket=basket, gateway=gateway.name, status__in=Payment.OPEN)
            .first()
        )
        if started is not None:
            if (started.amount, started.currency) == (amount, currency):
                return started
            _payment_result_apply(
                started,
                GatewayResult(
                    status=Payment.FAILED,
                    message=_("Your basket changed, so this payment was replaced."),
                ),
            )
        _vouchers_hold(basket, user=_user(checkout.get("user_id")))
        stock_reserve(
            basket_id=basket.pk,
            lines=[
                StockLine(line.stockrecord_id, line.quantity)
                for line in basket.all_lines()
            ],
        )
        return Payment.objects.create(
            basket=basket,
            gateway=gateway.name,
            amount=amount,
            currency=currency,
            checkout=checkout,
        )


def _payment_charge(*, payment_id: int, gateway: Gateway, details: dict) -> Payment:
    """Ask the gateway for a payment nobody has asked it for yet; any other
    payment is returned as it stands. The gateway's idempotency key is the
    payment's id, so a retry after a lost answer is not a second charge."""
    with transaction.atomic():
        payment = _payment_locked(pk=payment_id)
        if payment.status != Payment.CREATED or payment.reference:
            return payment
        _payment_result_apply(
            payment, gateway.payment_create(payment=payment, details=details)
        )
        if payment.status == Payment.REQUIRES_ACTION:
            # Nothing may change while the charge waits.
            Basket.objects.filter(pk=payment.basket_id).update(status=Basket.FROZEN)
    return payment


def basket_payment_settled(*, basket_id: int) -> Payment | None:
    """The payment that paid for this basket (succeeded, whether or not its order
    is placed yet), if one has."""
    return (
        Payment.objects.filter(basket_id=basket_id, status=Payment.SUCCEEDED)
        .order_by("pk")
        .first()
    )


def payment_confirm(*, payment_id: int, details: dict) -> Payment:
    """The outcome of the extra step a shopper was asked to take (for PayPal, the
    capture of what they approved). A basket paid for meanwhile through another
    payment is not charged twice: this payment fails instead."""
    with transaction.atomic():
        payment = _payment_locked(pk=payment_id)
        if payment.status != Payment.REQUIRES_ACTION:
            return payment
        paid = basket_payment_settled(basket_id=payment.basket_id)
        ordered = Basket.objects.filter(pk=payment.basket_id, status=Basket.SUBMITTED)
        if paid is not None or ordered.exists():
            result = GatewayResult(
                status=Payment.FAILED,
                message=_("This basket has been paid for already."),
            )
        else:
            result = gateway_for(payment.gateway).payment_confirm(
                payment=payment, details=details
            )
        _payment_result_apply(payment, result)
    return payment


def payment_succeeded(*, gateway_name: str, reference: str) -> Payment:
    """The gateway says this payment succeeded (its webhook, or the shopper's
    return): record it; a payment already settled is left as it is."""
    with transaction.atomic():
        payment = _payment_locked(gateway=gateway_name, reference=reference)
        if payment.is_open:
            _payment_result_apply(
                payment, GatewayResult(status=Payment.SUCCEEDED, reference=reference)
            )
    return payment


def payment_refresh(*, payment_id: int) -> Payment:
    """Ask the gateway how an open payment stands (the shopper is back from its
    page) and record it: succeeded, failed, or still open. A payment the shopper
    came back from without confirming counts as failed. Raises GatewayError when
    the gateway can't be asked right now."""
    payment = Payment.objects.get(pk=payment_id)
    if not payment.is_open:
        return payment
    result = gateway_for(payment.gateway).payment_status(reference=payment.reference)
    if result is None:
        return payment
    if result.status == Payment.SUCCEEDED:
        return payment_succeeded(
            gateway_name=payment.gateway, reference=payment.reference
        )
    if result.status in (Payment.FAILED, Payment.CREATED):
        payment_failed(
            gateway_name=payment.gateway,
            reference=payment.reference,
            message=result.message,
        )
        payment.refresh_from_db()
    return payment


def payment_failed(*, gateway_name: str, reference: str, message: str = "") -> None:
    """The gateway says this payment failed: an open payment fails (its basket
    thawed, its stock released); a settled one is left as it is."""
    with transaction.atomic():
        try:
            payment = _payment_locked(gateway=gateway_name, reference=reference)
        except Payment.DoesNotExist:
            return
        if payment.is_open:
            _payment_result_apply(
                payment, GatewayResult(status=Payment.FAILED, message=message)
            )


def payment_cancel(*, payment_id: int, message: str = "") -> Payment:
    """The shopper turned back on the gateway's page: an open payment fails (its
    basket thawed, its stock released) unless the gateway says it went through
    after all. Raises GatewayError when the gateway can't be asked."""
    payment = Payment.objects.get(pk=payment_id)
    if not payment.is_open:
        return payment
    result = gateway_for(payment.gateway).payment_status(reference=payment.reference)
    if result is not None and result.status == Payment.SUCCEEDED:
        return payment_succeeded(
            gateway_name=payment.gateway, reference=payment.reference
        )
    payment_failed(
        gateway_name=payment.gateway, reference=payment.reference, message=message
    )
    payment.refresh_from_db()
    return payment


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
        payment = _payment_locked(pk=payment_id)
        if payment.order_id is not None:
            return payment.order
        if payment.status != Payment.SUCCEEDED:
            raise PaymentNotReady(f"Payment {payment.pk} is {payment.status}")
        placed = Payment.objects.filter(basket=payment.basket_id, order__isnull=False)
        if placed.exists():
            # Another payment of the basket placed its order.
            raise BasketNotOrderable(_("This basket has been paid for already."))
        checkout = payment.checkout
        user = _user(checkout.get("user_id"))
        basket = _basket_locked(payment.basket_id, checkout=checkout)
        address = _shipping_address(checkout)
        order = order_place(
            basket=basket,
            shipping_method=_shipping_method(basket, checkout, address),
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


# --- Helpers ----------------------------------------------------------------


def _payment_refund_unplaceable(payment_id: int, *, reason: str) -> None:
    with transaction.atomic():
        payment = _payment_locked(pk=payment_id)
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
        _basket_release(payment)
        logger.warning("Refunded payment %s, its order failed: %s", payment.pk, reason)


def _vouchers_hold(basket: Basket, *, user) -> None:
    """While a basket's payment is open (or has succeeded and its order is not
    placed yet), its single-use vouchers are spoken for:
    no other shopper can pay with them, so no second shopper pays for a discount
    whose order would then be refused."""
    for voucher in basket_vouchers_lock(basket=basket, user=user):
        if voucher.usage != voucher.SINGLE_USE:
            continue
        holding = Q(status__in=Payment.OPEN) | Q(
            status=Payment.SUCCEEDED, order__isnull=True
        )
        if (
            Payment.objects.filter(holding, basket__vouchers=voucher)
            .exclude(basket=basket)
            .exists()
        ):
            raise VoucherUnavailable(
                f"{voucher.code}: "
                + _("This voucher is being used by another order right now.")
            )


def _payment_result_apply(payment: Payment, result: GatewayResult) -> None:
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
        _basket_release(payment)


def _basket_release(payment: Payment) -> None:
    """The shopper may change the basket again; its stock is no longer held."""
    stock_reservation_release(basket_id=payment.basket_id)
    Basket.objects.filter(pk=payment.basket_id, status=Basket.FROZEN).update(
        status=Basket.OPEN
    )


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


def _payment_locked(**lookup) -> Payment:
    """The payment, locked after its basket's row. Every change to a payment
    locks its basket first and the payment second, so two of them (a shopper's
    second submission, a webhook, the reconciliation) never wait on each other in
    a circle. Raises Payment.DoesNotExist."""
    basket_id = Payment.objects.filter(**lookup).values_list("basket_id", flat=True)
    list(Basket.objects.select_for_update().filter(pk__in=basket_id).values("pk"))
    return Payment.objects.select_for_update().get(**lookup)


def _basket_locked(basket_id: int, *, checkout: dict) -> Basket:
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
        user=_user(checkout.get("user_id")), country=country
    )
    return basket


def _user(user_id: int | None):
    if user_id is None:
        return None
    return get_user_model().objects.get(pk=user_id)


def _shipping_address(checkout: dict):
    address_id = checkout.get("shipping_address_id")
    return ShippingAddress.objects.get(pk=address_id) if address_id else None


def _shipping_method(basket: Basket, checkout: dict, address):
    code = checkout.get("shipping_method_code")
    methods = Repository().get_shipping_methods(basket=basket, shipping_addr=address)
    for method in methods:
        if method.code == code:
            return method
    raise LookupError(f"No shipping method {code!r} for basket {basket.pk}")


def _total(basket: Basket, checkout: dict) -> tuple[Decimal, str]:
    """The amount to charge: the order's total as order_place will work it out."""
    address = _shipping_address(checkout)
    total = checkout_price(
        basket=basket,
        shipping_method=_shipping_method(basket, checkout, address),
        user=_user(checkout.get("user_id")),
    ).total
    return total.incl_tax, total.currency
