"""Callbacks of carriers and fulfilment services (3PLs): "shipped" and
"delivered" reports, stored once by (provider, event id), acted on by a Celery
task.

POST /fulfilment/callbacks/<provider>/ with a JSON body::

    {"event_id": "evt-1", "type": "shipped" | "delivered", "order_number": "100042",
     "shipment_reference": "3PL-77", "carrier": "Royal Mail",
     "tracking_number": "AB123456789GB",
     "lines": [{"sku": "TEA-1", "quantity": 1}, {"line_id": 12, "quantity": 2}],
     "delivered_at": "2025-03-01T10:00:00Z"}

signed with the X-Fulfilment-Signature header: the hex HMAC-SHA256 of the raw
body under FULFILMENT_WEBHOOK_SECRET (with no secret set, every callback is
refused). The view checks the signature (400), the shape of the body (400) and
that the order exists (404) before storing anything; a replay answers 200 and
does nothing more. The task locks the stored callback and does what it says
once (order.fulfilment): "shipped" without lines ships everything left,
"delivered" marks the named shipment, or all the order's shipments, delivered.
A report that can't be acted on is kept with why, and logged.
"""

import hashlib
import hmac
import json
import logging
from datetime import UTC

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from order import tasks
from order.fulfilment import (
    ShipmentLineRequest,
    ShipmentRefused,
    shipment_by_reference,
    shipment_create,
    shipment_delivered,
)
from order.lifecycle import IllegalTransition, order_locked
from order.models import FulfilmentCallback, Order
from order.selectors import shippable_quantities

logger = logging.getLogger(__name__)

SHIPPED = "shipped"
DELIVERED = "delivered"
SIGNATURE_HEADER = "X-Fulfilment-Signature"


class CallbackInvalid(Exception):
    """The callback's body is not one we understand; nothing was stored."""


class CallbackRefused(Exception):
    """The callback names something the order doesn't have; nothing changed."""


@csrf_exempt  # the provider signs the request instead
@require_POST
def fulfilment_callback(request, provider: str):
    if not signature_valid(
        body=request.body, signature=request.headers.get(SIGNATURE_HEADER, "")
    ):
        logger.warning("Fulfilment callback from %s refused: bad signature", provider)
        return HttpResponseBadRequest("Invalid signature")
    try:
        payload = callback_parse(provider=provider, body=request.body)
    except CallbackInvalid as exc:
        logger.warning("Fulfilment callback from %s refused: %s", provider, exc)
        return HttpResponseBadRequest(str(exc))
    number = payload["order_number"]
    if not Order.objects.filter(number=number).exists():
        logger.warning(
            "Fulfilment callback %s from %s refused: no order %s",
            payload["event_id"],
            provider,
            number,
        )
        return HttpResponseNotFound(f"No order {number} here.")
    fulfilment_callback_receive(provider=provider, payload=payload)
    return HttpResponse("ok")


def signature_valid(*, body: bytes, signature: str) -> bool:
    """Whether the body was signed with our shared secret (never, unset)."""
    secret = settings.FULFILMENT_WEBHOOK_SECRET
    if not secret or not signature:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


def callback_parse(*, provider: str, body: bytes) -> dict:
    """The callback's JSON, its shape checked; raises CallbackInvalid."""
    if len(provider) > FulfilmentCallback._meta.get_field("provider").max_length:
        raise CallbackInvalid("The provider's name is too long.")
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise CallbackInvalid("The body is not JSON.") from exc
    if not isinstance(payload, dict):
        raise CallbackInvalid("The body is not a JSON object.")
    for key in ("event_id", "order_number"):
        if not isinstance(payload.get(key), str | int) or not str(payload[key]):
            raise CallbackInvalid(f"{key} is missing.")
        payload[key] = str(payload[key])
    if len(payload["event_id"]) > 255:
        raise CallbackInvalid("event_id is longer than 255 characters.")
    if payload.get("type") not in (SHIPPED, DELIVERED):
        raise CallbackInvalid('type must be "shipped" or "delivered".')
    for key in ("shipment_reference", "carrier", "tracking_number"):
        if not isinstance(payload.get(key, ""), str):
            raise CallbackInvalid(f"{key} must be a string.")
    if len(payload.get("tracking_number", "")) > 128:
        raise CallbackInvalid("tracking_number is longer than 128 characters.")
    _lines_parse(payload.get("lines"))
    if payload.get("delivered_at") is not None:
        _moment_parse(payload["delivered_at"])
    return payload


def fulfilment_callback_receive(*, provider: str, payload: dict) -> FulfilmentCallback:
    """Store a verified callback (once) and queue its processing after commit."""
    stored, created = FulfilmentCallback.objects.get_or_create(
        provider=provider, event_id=payload["event_id"], defaults={"payload": payload}
    )
    if created:
        transaction.on_commit(
            lambda: tasks.fulfilment_callback_process_task.delay(callback_id=stored.pk)
        )
    return stored


def fulfilment_callback_process(*, callback_id: int) -> None:
    """Do what the stored callback says, once: the callback's row stays locked
    while the order changes, and a processed one is skipped."""
    with transaction.atomic():
        callback = FulfilmentCallback.objects.select_for_update().get(pk=callback_id)
        if callback.processed_at is not None:
            return
        try:
            outcome = _act(callback.provider, callback.payload)
        except (CallbackRefused, ShipmentRefused, IllegalTransition) as exc:
            logger.warning(
                "Fulfilment callback %s from %s not acted on: %s",
                callback.event_id,
                callback.provider,
                exc,
            )
            outcome = f"refused: {exc}"
        callback.processed_at = timezone.now()
        callback.outcome = outcome[:255]
        callback.save(update_fields=["processed_at", "outcome"])


# --- Helpers ----------------------------------------------------------------


def _act(provider: str, payload: dict) -> str:
    order = Order.objects.filter(number=payload["order_number"]).first()
    if order is None:
        raise CallbackRefused(_("unknown order"))
    # Locked first, so what is left to ship can't change before it ships.
    order = order_locked(order.pk)
    reference = payload.get("shipment_reference", "")
    if payload["type"] == SHIPPED:
        shipment = shipment_create(
            order_id=order.pk,
            lines=_requests(order, payload.get("lines")),
            carrier=payload.get("carrier", ""),
            tracking_number=payload.get("tracking_number", ""),
            actor=provider,
            reference=reference,
        )
        return f"shipped {shipment.number}"
    if reference:
        shipment = shipment_by_reference(order=order, reference=reference)
        if shipment is None:
            raise CallbackRefused(
                _("Order %(order)s has no shipment %(reference)s.")
                % {"order": order.number, "reference": reference}
            )
        shipments = [shipment]
    else:
        shipments = list(order.shipments.order_by("pk"))
        if not shipments:
            raise CallbackRefused(
                _("Order %(order)s has not shipped yet.") % {"order": order.number}
            )
    delivered_at = (
        _moment_parse(payload["delivered_at"]) if payload.get("delivered_at") else None
    )
    for shipment in shipments:
        shipment_delivered(
            shipment_id=shipment.pk, actor=provider, delivered_at=delivered_at
        )
    return "delivered " + ", ".join(shipment.number for shipment in shipments)


def _requests(order: Order, items) -> list[ShipmentLineRequest]:
    """The lines to ship, each named by our line id or its SKU; everything left
    to ship when the callback names none."""
    if items is None:
        return [
            ShipmentLineRequest(line_id, left)
            for line_id, left in shippable_quantities(order).items()
            if left
        ]
    lines = list(order.lines.all())
    requests = []
    for item in items:
        if "line_id" in item:
            found = [line for line in lines if line.pk == item["line_id"]]
        else:
            sku = item["sku"]
            found = [line for line in lines if line.partner_sku == sku] or [
                line for line in lines if line.upc and line.upc == sku
            ]
        if not found:
            raise CallbackRefused(
                _("Order %(order)s has no line %(line)s.")
                % {"order": order.number, "line": item.get("line_id", item.get("sku"))}
            )
        requests.append(ShipmentLineRequest(found[0].pk, item["quantity"]))
    return requests


def _lines_parse(items) -> None:
    if items is None:
        return
    if not isinstance(items, list):
        raise CallbackInvalid("lines must be a list.")
    for item in items:
        if not isinstance(item, dict):
            raise CallbackInvalid("Each of lines must be an object.")
        named = (
            isinstance(item.get("line_id"), int)
            if "line_id" in item
            else isinstance(item.get("sku"), str) and item["sku"]
        )
        if not named:
            raise CallbackInvalid("Each of lines needs a line_id or a sku.")
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            raise CallbackInvalid("Each of lines needs a whole quantity.")


def _moment_parse(value):
    """An ISO 8601 moment; one without a time zone is taken as UTC."""
    try:
        moment = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise CallbackInvalid("delivered_at is not an ISO 8601 date and time.")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment
