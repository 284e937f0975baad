from celery import shared_task
from django.db import OperationalError

from checkout import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def order_placed_email_task(order_id: int) -> bool:
    return services.order_placed_email_send(order_id=order_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def order_placed_emails_sweep_task() -> int:
    return len(services.order_placed_emails_unsent())
