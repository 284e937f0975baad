from celery import shared_task
from django.db import OperationalError

from personalisation import events, training


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def events_flush_task() -> int:
    return events.events_flush()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def bought_together_train_task() -> dict:
    return training.bought_together_train()
