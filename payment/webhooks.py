"""Gateway webhooks: stored once by event id, acted on by a Celery task.

The view verifies the signature and calls `webhook_event_receive`; the task calls
`webhook_event_process`, which locks the stored event, does what the event says
at most once (a processed event is skipped), and locks the payment rows it
changes (payment.services). Replayed, duplicated and out-of-order events so reach
the same final state once: a payment that already succeeded ignores a late
failure, and its order is placed once however many notices say it succeeded.
"""

import logging

from django.db import transaction
from django.utils import timezone

from payment import services, tasks
from payment.models import Payment, WebhookEvent

logger = logging.getLogger(__name__)


def webhook_event_receive(*, gateway: str, event: dict) -> WebhookEvent:
    """Store a verified event (once) and queue its processing after commit."""
    stored, created = WebhookEvent.objects.get_or_create(
        gateway=gateway,
        event_id=event["id"],
        defaults={"type": event.get("type", ""), "payload": event},
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


def _stripe_intent_succeeded(event: dict) -> None:
    reference = event["data"]["object"]["id"]
    try:
        payment = services.payment_succeeded(gateway_name="stripe", reference=reference)
    except Payment.DoesNotExist:
        logger.warning("Stripe says %s succeeded; no payment of ours", reference)
        return
    try:
        services.payment_order_place(payment_id=payment.pk)
    except services.PaymentRefunded as exc:
        logger.warning("Payment %s refunded, no order: %s", payment.pk, exc)


def _stripe_intent_failed(event: dict) -> None:
    intent = event["data"]["object"]
    error = intent.get("last_payment_error") or {}
    services.payment_failed(
        gateway_name="stripe",
        reference=intent["id"],
        message=error.get("message", ""),
    )


HANDLERS = {
    ("stripe", "payment_intent.succeeded"): _stripe_intent_succeeded,
    ("stripe", "payment_intent.payment_failed"): _stripe_intent_failed,
}
