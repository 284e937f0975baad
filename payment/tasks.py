from celery import shared_task
from django.db import OperationalError

from payment import reconciliation, webhooks


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=8)
def webhook_event_process_task(event_pk: int) -> None:
    webhooks.webhook_event_process(event_pk=event_pk)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def payments_reconcile_task() -> int:
    return len(reconciliation.payments_reconcile())
