from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    """A shopper's payment for a basket at one gateway, from the moment they start
    paying until it succeeds (and the order is placed) or fails.

    At most one open payment per basket and gateway, so a double submission or a
    refresh finds the payment already started (one PaymentIntent, one charge). What
    the order needs besides the basket (addresses, shipping method, email) is kept
    in `checkout`, so a gateway's webhook can place the order without the
    shopper's session.
    """

    CREATED = "created"
    REQUIRES_ACTION = "requires_action"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REFUNDED = "refunded"
    STATUSES = [
        (CREATED, _("Created")),
        (REQUIRES_ACTION, _("Needs the shopper's confirmation")),
        (SUCCEEDED, _("Succeeded")),
        (FAILED, _("Failed")),
        (REFUNDED, _("Refunded: its order could not be placed")),
    ]
    OPEN = (CREATED, REQUIRES_ACTION)

    basket = models.ForeignKey(
        "basket.Basket", on_delete=models.PROTECT, related_name="payments"
    )
    gateway = models.CharField(max_length=20)
    reference = models.CharField(
        max_length=255, blank=True, help_text=_("The gateway's id of the payment")
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=12)
    status = models.CharField(max_length=20, choices=STATUSES, default=CREATED)
    message = models.CharField(max_length=255, blank=True)
    client_secret = models.CharField(
        max_length=255, blank=True, help_text=_("Handed to the gateway's page script")
    )
    action_url = models.URLField(
        max_length=500,
        blank=True,
        help_text=_("The gateway's page where the shopper approves the payment"),
    )
    checkout = models.JSONField(default=dict)
    order = models.ForeignKey(
        "order.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["basket", "gateway"],
                condition=Q(status__in=["created", "requires_action"]),
                name="payment_one_open_per_basket_and_gateway",
            ),
            models.UniqueConstraint(
                fields=["gateway", "reference"],
                condition=~Q(reference=""),
                name="payment_reference_once",
            ),
        ]

    def __str__(self):
        return f"{self.gateway} payment {self.pk} of {self.amount} {self.currency}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class WebhookEvent(models.Model):
    """An event a gateway sent, stored under its id before anything acts on it:
    a replay or a duplicate finds it already there and changes nothing."""

    gateway = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "event_id"], name="webhook_event_once"
            )
        ]

    def __str__(self):
        return f"{self.gateway} {self.type} {self.event_id}"


from oscar.apps.payment.models import *  # noqa: E402, F403 - Oscar's remaining models
