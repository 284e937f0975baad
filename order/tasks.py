from celery import shared_task
from django.db import OperationalError

from order import emails


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def order_event_email_task(event_id: int) -> bool:
    return emails.order_event_email_send(event_id=event_id)


# order.fulfilment and order.webhooks are imported when the task runs: they
# import order.lifecycle, which imports this module (through order.emails).


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def fulfilment_callback_process_task(callback_id: int) -> None:
    from order import webhooks

    webhooks.fulfilment_callback_process(callback_id=callback_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def orders_complete_task() -> int:
    from order import fulfilment

    return fulfilment.orders_complete()
