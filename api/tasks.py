from celery import shared_task
from django.db import OperationalError

from api.idempotency import idempotency_keys_purge


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def idempotency_keys_purge_task() -> int:
    """Forget the Idempotency-Keys past their keeping time; run hourly by beat."""
    return idempotency_keys_purge()
