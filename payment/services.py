"""Taking payment for a basket: started once per basket, asked of the gateway
outside the stock and voucher locks, and settled by the shopper's return, the
gateway's webhook or the reconciliation on beat. A succeeded payment becomes
its order in payment.ordering.

`checkout` is what the order needs besides the basket, as the checkout collected
it: `shipping_address_id` (a saved order.ShippingAddress), `shipping_method_code`,
`guest_email` and `user_id`.
"""

import time
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from basket.models import Basket
from basket.services import basket_voucher_remove
from checkout.pricing import PriceChanged
from checkout.services import VoucherUnavailable, VoucherUsedUp, basket_vouchers_lock
from partner.services import StockLine, stock_reserve
from payment.gateways import Gateway, GatewayError, GatewayResult, gateway_for
from payment.models import Payment
from payment.records import (
    basket_locked,
    checkout_total,
    checkout_user,
    payment_locked,
    payment_result_apply,
)
from payment.selectors import basket_payment_settled

# A payment holding its basket's single-use vouchers: open, or succeeded with
# its order still to be placed.
HOLDING = Q(status__in=Payment.OPEN) | Q(status=Payment.SUCCEEDED, order__isnull=True)
# How long a checkout waits for the payment holding a single-use voucher it
# wants to end (seconds).
VOUCHER_HOLD_WAIT = 3.0


class VoucherHeld(VoucherUnavailable):
    """A single-use voucher in the basket is held by another basket's payment
    (`payment_ids`) that has not ended."""

    def __init__(self, code: str, *, payment_ids: list[int]):
        super().__init__(
            _(
                "The voucher %(code)s is being used by another order right now: "
                "try again in a moment, or remove it to pay the full price."
            )
            % {"code": code}
        )
        self.code = code
        self.payment_ids = payment_ids


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
    right now is not available (VoucherHeld, once its payment has been waited
    for a moment), and one used up is taken off the basket (VoucherUsedUp). The
    gateway is then asked in a transaction of its own, after the stock and
    voucher rows are let go, so a slow answer holds up only this basket's own
    second submission, never another shopper's checkout of the same item. The
    basket is frozen while a charge waits for the shopper's confirmation (a
    basket changed while a payment is merely started gets a new payment for its
    new total on the next start); a failed payment thaws it and releases the
    stock.
    """
    payment = _payment_opened(
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
        payment = payment_locked(pk=payment_id)
        if payment.status == Payment.CREATED and not payment.reference:
            payment_result_apply(
                payment,
                GatewayResult(
                    status=Payment.FAILED,
                    message=_("The payment provider could not be reached."),
                ),
            )


def _payment_opened(*, basket_id: int, **opening) -> Payment:
    """`_payment_open`, waiting a moment for a single-use voucher another
    basket's payment holds: when that payment's order is placed, the voucher is
    used up; when it fails, this basket may have it. A voucher used up is
    taken off the basket (VoucherUsedUp still raised), so the shopper's next
    submission is at the full price."""
    try:
        try:
            return _payment_open(basket_id=basket_id, **opening)
        except VoucherHeld as held:
            if not _holders_settled(payment_ids=held.payment_ids):
                raise
            return _payment_open(basket_id=basket_id, **opening)
    except VoucherUsedUp as used_up:
        if not basket_voucher_remove(basket_id=basket_id, code=used_up.code):
            raise VoucherUnavailable(str(used_up)) from used_up
        raise


def _holders_settled(*, payment_ids: list[int]) -> bool:
    """Whether these payments stopped holding their vouchers within
    VOUCHER_HOLD_WAIT seconds: a charge made on the server and its order take
    well under that; a payment waiting for its shopper (at Stripe or PayPal)
    may hold for minutes, and is not waited for longer."""
    deadline = time.monotonic() + VOUCHER_HOLD_WAIT
    while True:
        if not Payment.objects.filter(HOLDING, pk__in=payment_ids).exists():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def _payment_open(
    *, basket_id: int, gateway: Gateway, checkout: dict, shown_total: Decimal | None
) -> Payment:
    """The payment to charge, or the one that already charged the basket."""
    with transaction.atomic():
        basket = basket_locked(basket_id, checkout=checkout)
        paid = basket_payment_settled(basket_id=basket.pk)
        if paid is not None:
            return paid
        amount, currency = checkout_total(basket, checkout)
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
            payment_result_apply(
                started,
                GatewayResult(
                    status=Payment.FAILED,
                    message=_("Your basket changed, so this payment was replaced."),
                ),
            )
        _vouchers_hold(basket, user=checkout_user(checkout.get("user_id")))
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
        payment = payment_locked(pk=payment_id)
        if payment.status != Payment.CREATED or payment.reference:
            return payment
        payment_result_apply(
            payment, gateway.payment_create(payment=payment, details=details)
        )
        if payment.status == Payment.REQUIRES_ACTION:
            # Nothing may change while the charge waits.
            Basket.objects.filter(pk=payment.basket_id).update(status=Basket.FROZEN)
    return payment


def payment_confirm(*, payment_id: int, details: dict) -> Payment:
    """The outcome of the extra step a shopper was asked to take (for PayPal, the
    capture of what they approved). A basket paid for meanwhile through another
    payment is not charged twice: this payment fails instead."""
    with transaction.atomic():
        payment = payment_locked(pk=payment_id)
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
        payment_result_apply(payment, result)
    return payment


def payment_succeeded(*, gateway_name: str, reference: str) -> Payment:
    """The gateway says this payment succeeded (its webhook, or the shopper's
    return): record it; a payment already settled is left as it is."""
    with transaction.atomic():
        payment = payment_locked(gateway=gateway_name, reference=reference)
        if payment.is_open:
            payment_result_apply(
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
            payment = payment_locked(gateway=gateway_name, reference=reference)
        except Payment.DoesNotExist:
            return
        if payment.is_open:
            payment_result_apply(
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


def _vouchers_hold(basket: Basket, *, user) -> None:
    """While a basket's payment is open (or has succeeded and its order is not
    placed yet), its single-use vouchers are spoken for:
    no other shopper can pay with them, so no second shopper pays for a discount
    whose order would then be refused (VoucherHeld). A voucher used up already
    raises VoucherUsedUp."""
    for voucher in basket_vouchers_lock(basket=basket, user=user):
        if voucher.usage != voucher.SINGLE_USE:
            continue
        holders = list(
            Payment.objects.filter(HOLDING, basket__vouchers=voucher)
            .exclude(basket=basket)
            .values_list("pk", flat=True)
        )
        if holders:
            raise VoucherHeld(voucher.code, payment_ids=holders)
