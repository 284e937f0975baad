"""The payment gateways the shop can use, by name."""

from django.conf import settings

from payment.gateways.base import Gateway, GatewayError, GatewayResult
from payment.gateways.demo import DemoGateway
from payment.gateways.paypal import PayPalGateway
from payment.gateways.stripe_api import StripeGateway

__all__ = [
    "Gateway",
    "GatewayError",
    "GatewayResult",
    "checkout_gateway",
    "gateway_for",
    "paypal_enabled",
]

_GATEWAYS: dict[str, type[Gateway]] = {
    "demo": DemoGateway,
    "paypal": PayPalGateway,
    "stripe": StripeGateway,
}


def gateway_for(name: str) -> Gateway:
    try:
        return _GATEWAYS[name]()
    except KeyError:
        raise LookupError(f"No payment gateway {name!r}") from None


def checkout_gateway() -> Gateway | None:
    """The gateway the web checkout takes cards with: Stripe once its keys are
    set, otherwise the demo gateway where it is allowed (SHOP_DEMO_PAYMENTS, on
    in development); None when the shop takes no cards."""
    if settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY:
        return StripeGateway()
    if settings.SHOP_DEMO_PAYMENTS:
        return DemoGateway()
    return None


def paypal_enabled() -> bool:
    """Whether the checkout offers PayPal beside the card: once its keys are set."""
    return bool(settings.PAYPAL_CLIENT_ID and settings.PAYPAL_CLIENT_SECRET)
