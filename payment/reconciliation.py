"""Payments whose success never reached us, found and given their order."""

import logging
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from order.models import Order
from payment.gateways import GatewayError, gateway_for
from payment.models import Payment
from payment.ordering import payment_order_place
from payment.services import payment_failed, payment_succeeded, payment_unanswered

logger = logging.getLogger(__name__)


def payments_reconcile(*, older_than_minutes: int = 2) -> list[Order]:
    """Orders for payments whose success never reached us: open payments the
    gateway says succeeded (a lost webhook, a shopper who closed the tab) and
    succeeded payments without an order. Run by beat every few minutes, so such a
    payment has its order well within 15 minutes; each one is logged. A payment
    the gateway was never asked for (its process died in between) ends, letting
    go of its stock, and so does one still open past its gateway's `open_for`
    (cancelled at the gateway first, so it can't be charged unwatched): each
    open payment is asked about until then, not for ever."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    stale = Payment.objects.filter(updated_at__lte=cutoff, order__isnull=True)
    for payment in stale.filter(status=Payment.CREATED, reference=""):
        logger.warning("Payment %s was never sent to its gateway; ended", payment.pk)
        payment_unanswered(payment_id=payment.pk)
    succeeded = set(stale.filter(status=Payment.SUCCEEDED).values_list("pk", flat=True))
    now = timezone.now()
    for payment in stale.filter(status__in=Payment.OPEN).exclude(reference=""):
        gateway = gateway_for(payment.gateway)
        expired = payment.created_at <= now - gateway.open_for
        try:
            if expired:
                result = gateway.payment_abandon(reference=payment.reference)
            else:
                result = gateway.payment_status(reference=payment.reference)
        except GatewayError as exc:
            logger.warning("Could not reconcile payment %s: %s", payment.pk, exc)
            continue
        if result is not None and result.status == Payment.SUCCEEDED:
            payment_succeeded(gateway_name=payment.gateway, reference=payment.reference)
            succeeded.add(payment.pk)
        elif expired:
            logger.warning("Payment %s was not completed in time; ended", payment.pk)
            payment_failed(
                gateway_name=payment.gateway,
                reference=payment.reference,
                message=_("The payment was not completed in time."),
            )
    placed = []
    for payment_id in sorted(succeeded):
        try:
            order = payment_order_place(payment_id=payment_id)
        except Exception:  # noqa: BLE001 - one payment must not stop the others
            logger.exception("Payment %s succeeded but its order failed", payment_id)
            continue
        logger.warning(
            "Reconciled payment %s: order %s placed without the gateway's notice",
            payment_id,
            order.number,
        )
        placed.append(order)
    return placed
