"""The payment gateways the shop can use, by name."""

from payment.gateways.base import Gateway, GatewayError, GatewayResult
from payment.gateways.demo import DemoGateway
from payment.gateways.stripe_api import StripeGateway

__all__ = ["Gateway", "GatewayError", "GatewayResult", "gateway_for"]

_GATEWAYS: dict[str, type[Gateway]] = {"demo": DemoGateway, "stripe": StripeGateway}


def gateway_for(name: str) -> Gateway:
    try:
        return _GATEWAYS[name]()
    except KeyError:
        raise LookupError(f"No payment gateway {name!r}") from None
