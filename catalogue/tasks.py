from celery import shared_task
from django.db import OperationalError

from catalogue import services


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def listing_refresh_task(product_ids: list[int]) -> int:
    """Rebuild the listing rows of these products; safe to run again."""
    return services.listing_refresh(product_ids=product_ids)
