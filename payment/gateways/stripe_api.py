"""Stripe, through its Python SDK: the only module that imports it.

Payments are PaymentIntents created on the server for the payment's amount (never
an amount from the page), keyed by our payment's id (`metadata.payment_id`). The
page's Payment Element confirms them with the client secret; a payment method
given here (an API client or a test) confirms at once. Calls time out after
`TIMEOUT` seconds; Stripe's errors become a failed result (the card's fault, with
Stripe's message for the shopper) or a GatewayError (try again later).
"""

from datetime import timedelta
from decimal import Decimal

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from payment.gateways.base import Gateway, GatewayError, GatewayResult

TIMEOUT = 20
# Currencies Stripe counts in whole units rather than hundredths.
ZERO_DECIMAL = {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF",
                "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}  # fmt: skip
STATUSES = {
    "succeeded": "succeeded",
    "processing": "requires_action",
    "requires_action": "requires_action",
    "requires_confirmation": "created",
    "requires_payment_method": "created",
    "requires_capture": "requires_action",
    "canceled": "failed",
}


class WebhookSignatureInvalid(Exception):
    """A webhook whose Stripe-Signature doesn't verify, or is too old."""


def minor_units(amount: Decimal, currency: str) -> int:
    if currency.upper() in ZERO_DECIMAL:
        return int(amount)
    return int((amount * 100).quantize(Decimal("1")))


def _client() -> stripe.StripeClient:
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else {}
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base,
        http_client=stripe.RequestsClient(timeout=TIMEOUT),
        max_network_retries=2,
    )


def _result(intent) -> GatewayResult:
    status = STATUSES.get(intent.status, "failed")
    error = getattr(intent, "last_payment_error", None)
    if status == "created" and error:
        # Confirmed and refused: the shopper may try another card.
        return GatewayResult(
            status="failed",
            reference=intent.id,
            message=getattr(error, "message", "") or _("Your card was declined."),
        )
    return GatewayResult(
        status=status, reference=intent.id, client_secret=intent.client_secret or ""
    )


class StripeGateway(Gateway):
    name = "stripe"
    # A PaymentIntent stays open at Stripe until it is cancelled: after a day
    # the shop cancels it, so it can't be charged once nobody watches it.
    open_for = timedelta(days=1)

    def payment_create(self, *, payment, details: dict) -> GatewayResult:
        params = {
            "amount": minor_units(payment.amount, payment.currency),
            "currency": payment.currency.lower(),
            "metadata": {
                "payment_id": str(payment.pk),
                "basket_id": str(payment.basket_id),
            },
        }
        if details.get("customer"):
            params["customer"] = details["customer"]
        if details.get("payment_method"):
            params.update(payment_method=details["payment_method"], confirm=True)
        try:
            intent = _client().v1.payment_intents.create(
                params=params, options={"idempotency_key": f"payment-{payment.pk}"}
            )
        except stripe.CardError as exc:
            intent = getattr(exc.error, "payment_intent", None) or {}
            return GatewayResult(
                status="failed",
                reference=intent.get("id", ""),
                message=exc.user_message or _("Your card was declined."),
            )
        except stripe.StripeError as exc:
            raise GatewayError(str(exc)) from exc
        return _result(intent)

    def payment_confirm(self, *, payment, details: dict) -> GatewayResult:
        return self.payment_status(reference=payment.reference)

    def payment_status(self, *, reference: str) -> GatewayResult:
        try:
            return _result(_client().v1.payment_intents.retrieve(reference))
        except stripe.StripeError as exc:
            raise GatewayError(str(exc)) from exc

    def payment_abandon(self, *, reference: str) -> GatewayResult:
        """Cancel the PaymentIntent; one that succeeded meanwhile can't be
        cancelled, and says so."""
        try:
            return _result(_client().v1.payment_intents.cancel(reference))
        except stripe.InvalidRequestError:
            return self.payment_status(reference=reference)
        except stripe.StripeError as exc:
            raise GatewayError(str(exc)) from exc

    def refund(self, *, payment, amount: Decimal, key: str) -> GatewayResult:
        try:
            refund = _client().v1.refunds.create(
                params={
                    "payment_intent": payment.reference,
                    "amount": minor_units(amount, payment.currency),
                },
                options={"idempotency_key": key},
            )
        except stripe.InvalidRequestError as exc:
            # Stripe understood and said no (already refunded, above the charge).
            return GatewayResult(status="failed", message=exc.user_message or str(exc))
        except stripe.StripeError as exc:
            raise GatewayError(str(exc)) from exc
        status = "succeeded" if refund.status in ("succeeded", "pending") else "failed"
        return GatewayResult(status=status, reference=refund.id)


# The Stripe API version the mobile SDKs' Payment Sheet asks ephemeral keys for
# (an app may send its own).
MOBILE_API_VERSION = "2024-06-20"


def customer_create(*, email: str, metadata: dict) -> str:
    """A Stripe Customer for a mobile checkout's Payment Sheet (its id)."""
    params = {"metadata": {k: str(v) for k, v in metadata.items()}}
    if email:
        params["email"] = email
    try:
        return _client().v1.customers.create(params=params).id
    except stripe.StripeError as exc:
        raise GatewayError(str(exc)) from exc


def payment_sheet(*, reference: str, customer: str, api_version: str = "") -> dict:
    """What a mobile app's Payment Sheet needs for a started PaymentIntent: its
    client secret, the customer it belongs to, and a short-lived ephemeral key
    for that customer (Stripe's server contract for the Payment Sheet)."""
    try:
        client = _client()
        intent = client.v1.payment_intents.retrieve(reference)
        customer = getattr(intent, "customer", None) or customer
        key = client.v1.ephemeral_keys.create(
            params={"customer": customer},
            options={"stripe_version": api_version or MOBILE_API_VERSION},
        )
    except stripe.StripeError as exc:
        raise GatewayError(str(exc)) from exc
    return {
        "payment_intent_client_secret": intent.client_secret,
        "customer": customer,
        "ephemeral_key": key.secret,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
    }


def webhook_event_verify(*, payload: bytes, signature: str) -> dict:
    """The event a webhook carries, once its signature checks out against the
    endpoint secret and its timestamp is under five minutes old."""
    try:
        event = stripe.Webhook.construct_event(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=300
        )
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise WebhookSignatureInvalid(str(exc)) from exc
    return event.to_dict()
