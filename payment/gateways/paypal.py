"""PayPal, through its server SDK (Orders v2): the only module that imports it.

A payment is a PayPal order created on the server for the payment's amount with
intent CAPTURE (never an amount from the page), carrying our payment's id
(`custom_id`). The shopper approves it on PayPal's page (the order's payer-action
link, kept as the payment's `action_url`) and PayPal sends them to our return
address; `payment_confirm` then captures it, once (the payment services lock the
payment row around it). Calls time out after `TIMEOUT` seconds; PayPal refusing
the shopper's money becomes a failed result with a message for the shopper,
anything else a GatewayError (try again later).

Webhooks are verified by asking PayPal (verify-webhook-signature) with the
transmission headers and our webhook's id (`PAYPAL_WEBHOOK_ID`).
"""

import json
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache

import requests
from apimatic_core.authentication.multiple.single_auth import Single
from apimatic_core.exceptions.auth_validation_exception import (
    AuthValidationException,
)
from apimatic_core.request_builder import RequestBuilder
from apimatic_core.response_handler import ResponseHandler
from apimatic_core.types.parameter import Parameter
from django.conf import settings
from django.utils.translation import gettext as _
from paypalserversdk.api_helper import APIHelper
from paypalserversdk.configuration import Configuration, Server
from paypalserversdk.controllers.base_controller import BaseController
from paypalserversdk.exceptions.api_exception import ApiException
from paypalserversdk.exceptions.error_exception import ErrorException
from paypalserversdk.http.auth.o_auth_2 import ClientCredentialsAuthCredentials
from paypalserversdk.http.http_method_enum import HttpMethodEnum
from paypalserversdk.models.amount_with_breakdown import AmountWithBreakdown
from paypalserversdk.models.checkout_payment_intent import CheckoutPaymentIntent
from paypalserversdk.models.money import Money
from paypalserversdk.models.order_request import OrderRequest
from paypalserversdk.models.payment_source import PaymentSource
from paypalserversdk.models.paypal_experience_user_action import (
    PaypalExperienceUserAction,
)
from paypalserversdk.models.paypal_wallet import PaypalWallet
from paypalserversdk.models.paypal_wallet_context_shipping_preference import (
    PaypalWalletContextShippingPreference,
)
from paypalserversdk.models.paypal_wallet_experience_context import (
    PaypalWalletExperienceContext,
)
from paypalserversdk.models.purchase_unit_request import PurchaseUnitRequest
from paypalserversdk.models.refund_request import RefundRequest
from paypalserversdk.paypal_serversdk_client import PaypalServersdkClient

from payment.gateways.base import Gateway, GatewayError, GatewayResult

TIMEOUT = 20
# Currencies PayPal counts in whole units.
ZERO_DECIMAL = {"HUF", "JPY", "TWD"}
# An order's status before it is captured; a captured one goes by its capture.
ORDER_STATUSES = {
    "CREATED": "requires_action",
    "SAVED": "requires_action",
    "PAYER_ACTION_REQUIRED": "requires_action",
    "APPROVED": "requires_action",
    "VOIDED": "failed",
}
CAPTURE_STATUSES = {
    "COMPLETED": "succeeded",
    "PARTIALLY_REFUNDED": "succeeded",
    "PENDING": "requires_action",
}
# Capture refusals that are the shopper's money, not our request.
DECLINED = {
    "INSTRUMENT_DECLINED",
    "PAYER_CANNOT_PAY",
    "TRANSACTION_REFUSED",
    "PAYEE_BLOCKED_TRANSACTION",
    "COMPLIANCE_VIOLATION",
    "MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED",
}
ERRORS = (ApiException, AuthValidationException, requests.RequestException)
# Webhook fields of verify-webhook-signature and the headers PayPal sends them in.
TRANSMISSION = {
    "auth_algo": "PAYPAL-AUTH-ALGO",
    "cert_url": "PAYPAL-CERT-URL",
    "transmission_id": "PAYPAL-TRANSMISSION-ID",
    "transmission_sig": "PAYPAL-TRANSMISSION-SIG",
    "transmission_time": "PAYPAL-TRANSMISSION-TIME",
}


class WebhookSignatureInvalid(Exception):
    """A webhook without its transmission headers, or one PayPal doesn't vouch for."""


def amount_value(amount: Decimal, currency: str) -> str:
    places = Decimal("1") if currency.upper() in ZERO_DECIMAL else Decimal("0.01")
    return str(amount.quantize(places))


class _Configuration(Configuration):
    """The SDK's configuration, at our API address (PAYPAL_API_BASE)."""

    api_base = ""

    def get_base_uri(self, server=Server.DEFAULT):
        return self.api_base


class _Notifications(BaseController):
    """The webhook verification endpoint, which the SDK has no controller for,
    called through the SDK's own machinery (address, token, timeout)."""

    def verify_webhook_signature(self, body: str) -> dict:
        return (
            super()
            .new_api_call_builder.request(
                RequestBuilder()
                .server(Server.DEFAULT)
                .path("/v1/notifications/verify-webhook-signature")
                .http_method(HttpMethodEnum.POST)
                .header_param(Parameter().key("Content-Type").value("application/json"))
                .header_param(Parameter().key("accept").value("application/json"))
                .body_param(Parameter().value(body))
                .auth(Single("Oauth2"))
            )
            .response(ResponseHandler().deserializer(APIHelper.json_deserialize))
            .execute()
        )


@lru_cache(maxsize=4)
def _client_for(client_id: str, secret: str, api_base: str) -> PaypalServersdkClient:
    """One client per process and account, so its access token is reused."""
    config = _Configuration(
        timeout=TIMEOUT,
        max_retries=2,  # GETs, and connections refused: the SDK retries no POST
        backoff_factor=0.5,
        client_credentials_auth_credentials=ClientCredentialsAuthCredentials(
            o_auth_client_id=client_id, o_auth_client_secret=secret
        ),
    )
    config.api_base = api_base.rstrip("/")
    return PaypalServersdkClient(config=config)


def _client() -> PaypalServersdkClient:
    return _client_for(
        settings.PAYPAL_CLIENT_ID,
        settings.PAYPAL_CLIENT_SECRET,
        settings.PAYPAL_API_BASE,
    )


def _capture(order):
    """The order's capture, if it has one."""
    for unit in getattr(order, "purchase_units", None) or []:
        payments = getattr(unit, "payments", None)
        for capture in getattr(payments, "captures", None) or []:
            return capture
    return None


def _approve_link(order) -> str:
    for link in getattr(order, "links", None) or []:
        if link.rel in ("payer-action", "approve"):
            return link.href
    return ""


def _issue(exc: ApiException) -> str:
    details = getattr(exc, "details", None) or []
    return getattr(details[0], "issue", "") if details else ""


def _declined(reference: str) -> GatewayResult:
    return GatewayResult(
        status="failed",
        reference=reference,
        message=_(
            "PayPal declined the payment; nothing was charged. "
            "Please choose another way to pay."
        ),
    )


def _result(order) -> GatewayResult:
    capture = _capture(order)
    if order.status == "COMPLETED" and capture is not None:
        status = CAPTURE_STATUSES.get(capture.status, "failed")
        if status == "failed":
            return _declined(order.id)
        return GatewayResult(status=status, reference=order.id)
    return GatewayResult(
        status=ORDER_STATUSES.get(order.status, "failed"),
        reference=order.id,
        action_url=_approve_link(order),
    )


def _order(reference: str):
    try:
        return _client().orders.get_order({"id": reference}).body
    except ERRORS as exc:
        raise GatewayError(str(exc)) from exc


class PayPalGateway(Gateway):
    name = "paypal"
    # An order the buyer approved can be captured for three days; one never
    # approved expires at PayPal before then.
    open_for = timedelta(days=3)

    def payment_create(self, *, payment, details: dict) -> GatewayResult:
        """`details` has the shop's `return_url` and `cancel_url`."""
        context = PaypalWalletExperienceContext(
            brand_name=settings.OSCAR_SHOP_NAME[:127],
            # The shop has the delivery address already.
            shipping_preference=PaypalWalletContextShippingPreference.NO_SHIPPING,
            user_action=PaypalExperienceUserAction.PAY_NOW,
            return_url=details["return_url"],
            cancel_url=details["cancel_url"],
        )
        body = OrderRequest(
            intent=CheckoutPaymentIntent.CAPTURE,
            purchase_units=[
                PurchaseUnitRequest(
                    amount=AmountWithBreakdown(
                        currency_code=payment.currency,
                        value=amount_value(payment.amount, payment.currency),
                    ),
                    custom_id=str(payment.pk),
                )
            ],
            payment_source=PaymentSource(
                paypal=PaypalWallet(experience_context=context)
            ),
        )
        try:
            order = (
                _client()
                .orders.create_order(
                    {
                        "body": body,
                        "paypal_request_id": _request_id("create", payment),
                        "prefer": "return=representation",
                    }
                )
                .body
            )
        except ERRORS as exc:
            raise GatewayError(str(exc)) from exc
        return _result(order)

    def payment_confirm(self, *, payment, details: dict) -> GatewayResult:
        """Capture the order the shopper approved. One they did not approve
        fails; one captured already answers how its capture stands."""
        order = _order(payment.reference)
        if order.status in ("CREATED", "SAVED", "PAYER_ACTION_REQUIRED"):
            return GatewayResult(
                status="failed",
                reference=order.id,
                message=_(
                    "The payment was not approved at PayPal; nothing was charged."
                ),
            )
        if order.status != "APPROVED":
            return _result(order)
        try:
            captured = (
                _client()
                .orders.capture_order(
                    {
                        "id": order.id,
                        "paypal_request_id": _request_id("capture", payment),
                        "prefer": "return=representation",
                    }
                )
                .body
            )
        except ErrorException as exc:
            if _issue(exc) in DECLINED:
                return _declined(order.id)
            raise GatewayError(str(exc)) from exc
        except ERRORS as exc:
            raise GatewayError(str(exc)) from exc
        return _result(captured)

    def payment_status(self, *, reference: str) -> GatewayResult:
        return _result(_order(reference))

    def refund(self, *, payment, amount: Decimal, key: str) -> GatewayResult:
        """Give back `amount` of the order's capture; PayPal-Request-Id `key`
        makes a repeated refund the same refund."""
        capture = _capture(_order(payment.reference))
        if capture is None:
            return GatewayResult(status="failed", message="Nothing was captured")
        try:
            refund = (
                _client()
                .payments.refund_captured_payment(
                    {
                        "capture_id": capture.id,
                        "paypal_request_id": key,
                        "prefer": "return=representation",
                        "body": RefundRequest(
                            amount=Money(
                                currency_code=payment.currency,
                                value=amount_value(amount, payment.currency),
                            )
                        ),
                    }
                )
                .body
            )
        except ERRORS as exc:
            raise GatewayError(str(exc)) from exc
        status = "succeeded" if refund.status in ("COMPLETED", "PENDING") else "failed"
        return GatewayResult(status=status, reference=refund.id)


def _request_id(action: str, payment) -> str:
    """PayPal-Request-Id: a retried call is the same call. The payment's start
    time keeps it unique across databases that reuse ids."""
    return f"{action}-{payment.pk}-{payment.created_at:%Y%m%d%H%M%S%f}"


def webhook_event_verify(*, payload: bytes, headers: Mapping[str, str]) -> dict:
    """The event a webhook carries, once PayPal confirms it sent it to our
    webhook (`PAYPAL_WEBHOOK_ID`). Raises WebhookSignatureInvalid, or
    GatewayError when PayPal can't be asked."""
    fields = {name: headers.get(header, "") for name, header in TRANSMISSION.items()}
    missing = [TRANSMISSION[name] for name, value in fields.items() if not value]
    if missing:
        raise WebhookSignatureInvalid(f"Missing {', '.join(missing)}")
    if not settings.PAYPAL_WEBHOOK_ID:
        raise WebhookSignatureInvalid("PAYPAL_WEBHOOK_ID is not set")
    try:
        raw = payload.decode()
        event = json.loads(raw)
    except ValueError as exc:
        raise WebhookSignatureInvalid("The body is not JSON") from exc
    if not isinstance(event, dict) or not event.get("id"):
        raise WebhookSignatureInvalid("The body is not an event")
    # The event goes back exactly as it came: PayPal checks the bytes it signed.
    fields["webhook_id"] = settings.PAYPAL_WEBHOOK_ID
    body = f'{json.dumps(fields)[:-1]}, "webhook_event": {raw}}}'
    try:
        answer = _Notifications(_client().global_configuration)
        answer = answer.verify_webhook_signature(body)
    except ERRORS as exc:
        raise GatewayError(str(exc)) from exc
    if not isinstance(answer, dict) or answer.get("verification_status") != "SUCCESS":
        raise WebhookSignatureInvalid("PayPal did not verify the signature")
    return event
