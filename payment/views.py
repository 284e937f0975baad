"""Webhook endpoints of the payment gateways."""

import logging

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payment.gateways import GatewayError, paypal, stripe_api
from payment.webhooks import webhook_event_receive

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe signs the request instead
@require_POST
def stripe_webhook(request):
    try:
        event = stripe_api.webhook_event_verify(
            payload=request.body,
            signature=request.headers.get("Stripe-Signature", ""),
        )
    except stripe_api.WebhookSignatureInvalid as exc:
        logger.warning("Stripe webhook refused: %s", exc)
        return HttpResponseBadRequest("Invalid signature")
    webhook_event_receive(gateway="stripe", event=event)
    return HttpResponse("ok")


@csrf_exempt  # PayPal vouches for the request instead
@require_POST
def paypal_webhook(request):
    try:
        event = paypal.webhook_event_verify(
            payload=request.body, headers=request.headers
        )
    except paypal.WebhookSignatureInvalid as exc:
        logger.warning("PayPal webhook refused: %s", exc)
        return HttpResponseBadRequest("Invalid signature")
    except GatewayError as exc:
        # Not verified, not refused: PayPal delivers it again later.
        logger.warning("PayPal webhook not verified now: %s", exc)
        return HttpResponse("PayPal could not be asked", status=503)
    webhook_event_receive(gateway="paypal", event=event)
    return HttpResponse("ok")
