from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """A write the API has answered (or is answering) under an Idempotency-Key,
    kept for a day so a client that retries gets the same answer and no second
    basket line, order or charge (api.idempotency)."""

    # Who sent it: the signed-in user or the anonymous basket token, so one
    # client's key never replays another's answer.
    owner = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    # SHA-256 of the method, path and body: the same key with another request
    # is refused.
    fingerprint = models.CharField(max_length=64)
    # Empty while the first request is still being answered.
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "key"], name="api_idempotency_owner_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"


class MerchantToken(models.Model):
    """A key an integration (an ERP, a back-office app) signs in with on the
    merchant endpoints, allowed only its scopes (api.merchant.tokens). The
    secret is shown once when the token is made; only its SHA-256 is kept."""

    SCOPES = (
        ("catalogue:read", "Read products and stock"),
        ("stock:write", "Set stock levels"),
        ("prices:write", "Set prices"),
        ("orders:read", "Read orders"),
        ("orders:write", "Ship orders and change their status"),
    )

    name = models.CharField(max_length=100)
    # The token's public part, shown to people in lists and used to revoke it.
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} (mt_{self.prefix})"
