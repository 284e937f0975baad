"""The order's life after placement: its timeline of events, its shipments, the
returns a shopper asks for and the refunds the merchant issues. Our models come
before Oscar's remaining ones, which would otherwise win."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractOrder

from order import states


class Order(AbstractOrder):
    payment_state = models.CharField(
        _("Payment"),
        max_length=32,
        choices=states.PAYMENT_STATES,
        default=states.PAYMENT_PENDING,
        db_index=True,
    )
    fulfilment_state = models.CharField(
        _("Fulfilment"),
        max_length=32,
        choices=states.FULFILMENT_STATES,
        default=states.FULFILMENT_UNFULFILLED,
        db_index=True,
    )


class OrderEvent(models.Model):
    """One entry of the order's timeline: a move of its lifecycle, a shipment, a
    delivery, a return's step, a refund or a note, with who did it and why. The
    shopper sees the `customer_visible` ones and is emailed about those with an
    email `code` (sent once, after commit: `emailed_at`)."""

    STATUS = "status"
    SHIPMENT = "shipment"
    DELIVERY = "delivery"
    RETURN = "return"
    REFUND = "refund"
    PAYMENT = "payment"
    CANCELLATION = "cancellation"
    NOTE = "note"
    KINDS = [
        (STATUS, _("Status")),
        (SHIPMENT, _("Shipment")),
        (DELIVERY, _("Delivery")),
        (RETURN, _("Return")),
        (REFUND, _("Refund")),
        (PAYMENT, _("Payment")),
        (CANCELLATION, _("Cancellation")),
        (NOTE, _("Note")),
    ]

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=20, choices=KINDS)
    old_status = models.CharField(max_length=100, blank=True)
    new_status = models.CharField(max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("Who acted when no user did: the shopper, a carrier, the shop"),
    )
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    customer_visible = models.BooleanField(default=False)
    email_code = models.CharField(max_length=128, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.order.number}: {self.get_kind_display()} {self.message}"

    @property
    def who(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.email
        return self.actor


class Shipment(models.Model):
    """Some or all of an order's lines and quantities, sent together with one
    carrier and tracking number."""

    SHIPPED = "shipped"
    DELIVERED = "delivered"
    STATUSES = [(SHIPPED, _("Shipped")), (DELIVERED, _("Delivered"))]

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    number = models.CharField(max_length=128, unique=True)
    carrier = models.CharField(max_length=64, blank=True)
    tracking_number = models.CharField(max_length=128, blank=True)
    tracking_url = models.URLField(max_length=500, blank=True)
    reference = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("The fulfilment service's own id of the shipment"),
    )
    status = models.CharField(max_length=20, choices=STATUSES, default=SHIPPED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    shipped_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["shipped_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "reference"],
                condition=~Q(reference=""),
                name="shipment_reference_once_per_order",
            )
        ]

    def __str__(self):
        return self.number


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="lines"
    )
    line = models.ForeignKey(
        "order.Line", on_delete=models.CASCADE, related_name="shipment_lines"
    )
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "line"], name="shipment_line_once"
            ),
            models.CheckConstraint(
                check=Q(quantity__gt=0), name="shipment_line_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.line.title}"


class FulfilmentCallback(models.Model):
    """A carrier's or fulfilment service's report, kept by its event id before
    anything acts on it, so a replay changes nothing."""

    provider = models.CharField(max_length=64)
    event_id = models.CharField(max_length=255)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="fulfilment_callback_once"
            )
        ]

    def __str__(self):
        return f"{self.provider} {self.event_id}"


class ReturnRequest(models.Model):
    """A shopper's request to send back some of what they bought (an RMA), from
    the request through the merchant's decision and receipt to the refund."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    RECEIVED = "received"
    REFUNDED = "refunded"
    STATUSES = [
        (REQUESTED, _("Requested")),
        (APPROVED, _("Approved")),
        (REJECTED, _("Rejected")),
        (RECEIVED, _("Received")),
        (REFUNDED, _("Refunded")),
    ]
    OPEN = (REQUESTED, APPROVED, RECEIVED)

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    number = models.CharField(max_length=128, unique=True)
    status = models.CharField(max_length=20, choices=STATUSES, default=REQUESTED)
    reason = models.TextField(blank=True)
    merchant_note = models.TextField(blank=True)
    restock = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.number


class ReturnLine(models.Model):
    REASONS = [
        ("damaged", _("Arrived damaged")),
        ("wrong_item", _("Wrong item sent")),
        ("not_as_described", _("Not as described")),
        ("no_longer_needed", _("No longer needed")),
        ("other", _("Other")),
    ]

    return_request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="lines"
    )
    line = models.ForeignKey(
        "order.Line", on_delete=models.CASCADE, related_name="return_lines"
    )
    quantity = models.PositiveIntegerField()
    reason = models.CharField(max_length=32, choices=REASONS, default="other")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["return_request", "line"], name="return_line_once"
            ),
            models.CheckConstraint(
                check=Q(quantity__gt=0), name="return_line_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.line.title}"


class Refund(models.Model):
    """Money given back through the gateway that took it, once per `key` (a
    double click or a retried task finds the refund already made)."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    STATUSES = [
        (PENDING, _("Pending")),
        (SUCCEEDED, _("Succeeded")),
        (FAILED, _("Failed")),
    ]

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    payment = models.ForeignKey(
        "payment.Payment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    return_request = models.ForeignKey(
        ReturnRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refunds",
    )
    key = models.CharField(max_length=128, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    shipping_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=12)
    reason = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=20, choices=STATUSES, default=PENDING)
    reference = models.CharField(max_length=255, blank=True)
    message = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(check=Q(amount__gt=0), name="refund_amount_positive")
        ]

    def __str__(self):
        return f"Refund of {self.amount} {self.currency} on {self.order.number}"


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(
        "order.Line", on_delete=models.CASCADE, related_name="refund_lines"
    )
    quantity = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    def __str__(self):
        return f"{self.quantity} x {self.line.title}: {self.amount}"


from oscar.apps.order.models import *  # noqa: E402, F403 - Oscar's remaining models
