import logging

from celery import shared_task
from django.db import OperationalError

from partner.services import stock_reservations_release_expired

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def stock_reservations_release_task() -> int:
    released = stock_reservations_release_expired()
    if released:
        logger.info("Released %d expired stock reservations", released)
    return released
