from celery import shared_task
from django.db import OperationalError

from order import emails


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def order_event_email_task(event_id: int) -> bool:
    return emails.order_event_email_send(event_id=event_id)
