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
