"""Gateway webhooks (Stripe's and PayPal's): stored once by event id, acted on by
a Celery task.

The view verifies the signature and calls `webhook_event_receive`; the task calls
`webhook_event_process`, which locks the stored event, does what the event says
at most once (a processed event is skipped), and locks the payment rows it
changes (payment.services, payment.ordering). Replayed, duplicated and
out-of-order events so reach the same final state once: a payment that already
succeeded ignores a late failure, and its order is placed once however many
notices say it succeeded.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from payment import ordering, services, tasks
from payment.models import Payment, WebhookEvent

logger = logging.getLogger(__name__)


def webhook_event_receive(*, gateway: str, event: dict) -> WebhookEvent:
    """Store a verified event (once) and queue its processing after commit."""
    stored, created = WebhookEvent.objects.get_or_create(
        gateway=gateway,
        event_id=event["id"],
        # Stripe names the kind of event `type`, PayPal `event_type`.
        defaults={
            "type": event.get("type") or event.get("event_type", ""),
            "payload": event,
        },
    )
    if created:
        transaction.on_commit(
            lambda: tasks.webhook_event_process_task.delay(event_pk=stored.pk)
        )
    return stored


def webhook_event_process(*, event_pk: int) -> None:
    with transaction.atomic():
        stored = WebhookEvent.objects.select_for_update().get(pk=event_pk)
        if stored.processed_at is not None:
            return
        handler = HANDLERS.get((stored.gateway, stored.type))
        if handler is not None:
            handler(stored.payload)
        stored.processed_at = timezone.now()
        stored.save(update_fields=["processed_at"])


def _order_place(payment: Payment) -> None:
    try:
        ordering.payment_order_place(payment_id=payment.pk)
    except ordering.PaymentRefunded as exc:
        logger.warning("Payment %s refunded, no order: %s", payment.pk, exc)


def _stripe_intent_succeeded(event: dict) -> None:
    reference = event["data"]["object"]["id"]
    try:
        payment = services.payment_succeeded(gateway_name="stripe", reference=reference)
    except Payment.DoesNotExist:
        logger.warning("Stripe says %s succeeded; no payment of ours", reference)
        return
    _order_place(payment)


def _stripe_intent_failed(event: dict) -> None:
    intent = event["data"]["object"]
    error = intent.get("last_payment_error") or {}
    services.payment_failed(
        gateway_name="stripe",
        reference=intent["id"],
        message=error.get("message", ""),
    )


def _paypal_order_id(event: dict) -> str:
    """The PayPal order (our payment's reference) an order or capture event is
    about."""
    resource = event.get("resource") or {}
    if event.get("event_type", "").startswith("CHECKOUT.ORDER."):
        return resource.get("id", "")
    related = (resource.get("supplementary_data") or {}).get("related_ids") or {}
    return related.get("order_id", "")


def _paypal_order_approved(event: dict) -> None:
    """The shopper approved but may never come back: capture it here (the
    return, if it comes, finds the payment settled)."""
    order_id = _paypal_order_id(event)
    payment = Payment.objects.filter(gateway="paypal", reference=order_id).first()
    if payment is None:
        logger.warning("PayPal says %s was approved; no payment of ours", order_id)
        return
    payment = services.payment_confirm(payment_id=payment.pk, details={})
    if payment.status == Payment.SUCCEEDED:
        _order_place(payment)


def _paypal_capture_completed(event: dict) -> None:
    order_id = _paypal_order_id(event)
    try:
        payment = services.payment_succeeded(gateway_name="paypal", reference=order_id)
    except Payment.DoesNotExist:
        logger.warning("PayPal says %s was captured; no payment of ours", order_id)
        return
    _order_place(payment)


def _paypal_capture_denied(event: dict) -> None:
    services.payment_failed(
        gateway_name="paypal",
        reference=_paypal_order_id(event),
        message=_("PayPal declined the payment; nothing was charged."),
    )


HANDLERS = {
    ("stripe", "payment_intent.succeeded"): _stripe_intent_succeeded,
    ("stripe", "payment_intent.payment_failed"): _stripe_intent_failed,
    ("paypal", "CHECKOUT.ORDER.APPROVED"): _paypal_order_approved,
    ("paypal", "PAYMENT.CAPTURE.COMPLETED"): _paypal_capture_completed,
    ("paypal", "PAYMENT.CAPTURE.DENIED"): _paypal_capture_denied,
}
