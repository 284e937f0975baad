"""Idempotency-Key on the API's writes (basket, checkout, payment): a client that
sends a write again with the same key, because its connection dropped or the
shopper tapped twice, gets the first answer back (with `Idempotent-Replayed:
true`) and nothing happens twice. Keys are kept `API_IDEMPOTENCY_HOURS` (24 h),
per client; the same key with another request answers 422, and one whose first
request is still being answered answers 409.

A write that ends in an error keeps nothing (the client may fix it and send it
again under the same key): errors change nothing here."""

import hashlib
import json
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.models import IdempotencyKey
from api.shopping.baskets import BASKET_TOKEN_HEADER

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    # what _claimed accepts, in printable ASCII (a UUID is what clients send)
    {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": "^[ -~]+$",
    },
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "A unique key (a UUID) for this write: sent again with the same body "
        "within 24 hours it replays the first answer (header Idempotent-Replayed: "
        "true) instead of doing it twice; with another body it answers 422."
    ),
)


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _(
        "This Idempotency-Key was already used for a different request; use a "
        "new key for a new request."
    )
    default_code = "idempotency_key_reused"


class IdempotencyKeyInUse(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "A request with this Idempotency-Key is still being answered; try again "
        "in a moment."
    )
    default_code = "idempotency_key_in_use"


def idempotent(method):
    """For an APIView's write method: honours the request's Idempotency-Key."""

    @wraps(method)
    def answer(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return method(view, request, *args, **kwargs)
        record, replay = _claimed(request, key)
        if replay is not None:
            return replay
        try:
            response = method(view, request, *args, **kwargs)
        except BaseException:
            record.delete()
            raise
        if response.status_code >= 400:
            record.delete()
            return response
        record.status_code = response.status_code
        record.response_body = json.loads(
            JSONRenderer().render(response.data) or b"null"
        )
        record.save(update_fields=["status_code", "response_body"])
        return response

    answer.takes_idempotency_key = True  # the schema documents its refusal
    return answer


def idempotency_keys_purge(*, now=None) -> int:
    """Forget the keys older than their keeping time; the number forgotten."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _claimed(request, key: str):
    """The key's record, made for this request; or the stored answer to replay."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationError(
            {HEADER: [_("An Idempotency-Key is 1 to 255 printable characters.")]}
        )
    owner = _owner(request)
    fingerprint = hashlib.sha256(
        b"\n".join([request.method.encode(), request.path.encode(), request.body])
    ).hexdigest()
    cutoff = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    IdempotencyKey.objects.filter(owner=owner, key=key, created_at__lt=cutoff).delete()
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(
                owner=owner,
                key=key,
                method=request.method,
                path=request.path[:255],
                fingerprint=fingerprint,
            )
    except IntegrityError:
        record = IdempotencyKey.objects.filter(owner=owner, key=key).first()
        if record is None:  # forgotten meanwhile: answer afresh
            return _claimed(request, key)
        if record.fingerprint != fingerprint:
            raise IdempotencyKeyReused() from None
        if record.status_code is None:
            raise IdempotencyKeyInUse() from None
        replay = Response(record.response_body, status=record.status_code)
        replay[REPLAYED_HEADER] = "true"
        return record, replay
    return record, None


def _owner(request) -> str:
    """Whose key it is: the signed-in user, else the anonymous basket's token,
    else the client's address (a basket's first creation)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    token = request.headers.get(BASKET_TOKEN_HEADER)
    if token:
        return "basket:" + hashlib.sha256(token.encode()).hexdigest()[:40]
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"
