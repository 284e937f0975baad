"""What shoppers do, one narrow row an event, for the recommenders and the
analytics.

Rows are only ever added (in batches, `personalisation.events`) and read by
time, by shopper or by product, so the table keeps to small columns: ids are
plain integers, not foreign keys (a product deleted later leaves its history,
and a batch never waits on a lock of the catalogue), save the customer's,
whose events go with their account. At tens of millions of rows the plan is
monthly range partitions on `occurred_at` (Postgres declarative partitioning,
each month a partition created ahead by beat and old ones detached to cold
storage); the indexes below are the ones each partition would carry.
"""

from django.conf import settings
from django.db import models


class Event(models.Model):
    class Kind(models.IntegerChoices):
        PRODUCT_VIEW = 1, "product view"
        CATEGORY_VIEW = 2, "category view"
        SEARCH = 3, "search"
        BASKET_ADD = 4, "basket addition"
        CHECKOUT_START = 5, "checkout start"
        PURCHASE = 6, "purchase"

    class Channel(models.IntegerChoices):
        WEB = 1, "website"
        API = 2, "API"

    id = models.BigAutoField(primary_key=True)
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    channel = models.PositiveSmallIntegerField(choices=Channel.choices)
    occurred_at = models.DateTimeField()
    # A person's history only with their consent (see personalisation.events):
    # otherwise both are empty and the row counts towards aggregates alone.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    session_key = models.CharField(max_length=40, blank=True, default="")
    product_id = models.IntegerField(null=True, blank=True)
    category_id = models.IntegerField(null=True, blank=True)
    order_id = models.IntegerField(null=True, blank=True)
    quantity = models.PositiveIntegerField(null=True, blank=True)
    query = models.CharField(max_length=200, blank=True, default="")
    result_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["occurred_at"], name="event_time"),
            models.Index(fields=["user", "occurred_at"], name="event_user_time"),
            models.Index(
                fields=["session_key", "occurred_at"],
                name="event_session_time",
                condition=~models.Q(session_key=""),
            ),
            models.Index(
                fields=["product_id", "kind", "occurred_at"],
                name="event_product_kind_time",
                condition=models.Q(product_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"


class ProductRecommendations(models.Model):
    """A product's recommended products of one kind, best first, as the last
    training left them (personalisation.training)."""

    class Kind(models.IntegerChoices):
        BOUGHT_TOGETHER = 1, "bought together"

    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    product_id = models.IntegerField()
    product_ids = models.JSONField(default=list)
    trained_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "product_id"], name="one_list_per_kind_and_product"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for product {self.product_id}"
