"""The feeds hear of catalogue changes: a product or stock record (its price,
its stock) saved or deleted marks them stale once the change commits, for
beat's next check (integrations.tasks)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from catalogue.models import Product
from integrations.tasks import feeds_mark_stale
from partner.models import StockRecord


def _catalogue_changed(sender, instance, **kwargs):
    transaction.on_commit(feeds_mark_stale)


def connect() -> None:
    for signal in (post_save, post_delete):
        for model in (Product, StockRecord):
            signal.connect(
                _catalogue_changed,
                sender=model,
                dispatch_uid=f"feeds-{model.__name__}-{signal}",
            )
