"""Webhook endpoints of the payment gateways."""

import logging

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payment.gateways.stripe_api import WebhookSignatureInvalid, webhook_event_verify
from payment.webhooks import webhook_event_receive

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe signs the request instead
@require_POST
def stripe_webhook(request):
    try:
        event = webhook_event_verify(
            payload=request.body,
            signature=request.headers.get("Stripe-Signature", ""),
        )
    except WebhookSignatureInvalid as exc:
        logger.warning("Stripe webhook refused: %s", exc)
        return HttpResponseBadRequest("Invalid signature")
    webhook_event_receive(gateway="stripe", event=event)
    return HttpResponse("ok")
