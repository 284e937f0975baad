"""The demo gateway: the embedded default, so a shop with no payment account can
take orders. It reads test card numbers the way Stripe's test mode does:

- 4242 4242 4242 4242 succeeds;
- 4000 0000 0000 0002 is declined;
- 4000 0025 0000 3155 needs the shopper to confirm an extra step first.

No money moves and no card number is kept: only its last four digits end up in
the payment's message when it fails.
"""

import uuid
from decimal import Decimal

from django.utils.translation import gettext as _

from payment.gateways.base import Gateway, GatewayResult

SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000002"
NEEDS_CONFIRMATION = "4000002500003155"


class DemoGateway(Gateway):
    name = "demo"

    def payment_create(self, *, payment, details: dict) -> GatewayResult:
        number = "".join(
            ch for ch in str(details.get("card_number", "")) if ch.isdigit()
        )
        reference = f"demo_{uuid.uuid4().hex}"
        if number == SUCCEEDS:
            return GatewayResult(status="succeeded", reference=reference)
        if number == NEEDS_CONFIRMATION:
            return GatewayResult(status="requires_action", reference=reference)
        if number == DECLINED:
            return GatewayResult(
                status="failed",
                reference=reference,
                message=_("Your card was declined."),
            )
        return GatewayResult(
            status="failed",
            message=_("This demo shop takes only its test cards, e.g. %(card)s.")
            % {"card": "4242 4242 4242 4242"},
        )

    def payment_confirm(self, *, payment, details: dict) -> GatewayResult:
        if details.get("approved"):
            return GatewayResult(status="succeeded", reference=payment.reference)
        return GatewayResult(
            status="failed",
            reference=payment.reference,
            message=_("The payment was not confirmed."),
        )

    def refund(self, *, payment, amount: Decimal, key: str) -> GatewayResult:
        return GatewayResult(status="succeeded", reference=f"demo_re_{key}")
