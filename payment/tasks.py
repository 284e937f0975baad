from celery import shared_task
from django.db import OperationalError

from payment import reconciliation, webhooks
from payment.gateways import GatewayError


# A gateway that can't be reached now (PayPal's capture) is asked again later.
@shared_task(
    autoretry_for=(OperationalError, GatewayError), retry_backoff=True, max_retries=8
)
def webhook_event_process_task(event_pk: int) -> None:
    webhooks.webhook_event_process(event_pk=event_pk)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def payments_reconcile_task() -> int:
    return len(reconciliation.payments_reconcile())
