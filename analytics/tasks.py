from celery import shared_task
from django.db import IntegrityError, OperationalError

from analytics import counters, services

RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(**RETRY)
def product_view_record(product_id: int, user_id: int | None = None) -> None:
    try:
        services.product_view_record(product_id=product_id, user_id=user_id)
    except IntegrityError:
        pass  # the product or shopper was deleted since the view: nothing to count


@shared_task(**RETRY)
def basket_addition_record(product_id: int, user_id: int | None = None) -> None:
    try:
        services.basket_addition_record(product_id=product_id, user_id=user_id)
    except IntegrityError:
        pass


@shared_task(**RETRY)
def counters_flush_task() -> int:
    return counters.counters_flush()
