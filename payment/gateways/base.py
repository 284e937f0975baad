"""What every payment gateway adapter offers the payment services.

Each gateway lives in its own module, which alone imports its SDK, sets its
timeouts and turns its errors into a GatewayResult or a GatewayError.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal


@dataclass(frozen=True)
class GatewayResult:
    status: str  # a Payment status: succeeded, requires_action or failed
    reference: str = ""  # the gateway's id of the payment or refund
    message: str = ""  # for the shopper when it failed
    client_secret: str = ""  # what the gateway's script in the page needs, if any
    action_url: str = ""  # the gateway's page where the shopper approves, if any


class GatewayError(Exception):
    """The gateway could not be reached or answered nonsense; try again later."""


class Gateway(ABC):
    name: str
    # How long after it is started a payment may still go through without the
    # shopper starting again: reconciliation asks about an open payment until
    # then, and then ends it (`payment_abandon`).
    open_for: timedelta = timedelta(hours=1)

    @abstractmethod
    def payment_create(self, *, payment, details: dict) -> GatewayResult:
        """Ask for `payment.amount` in `payment.currency`; `details` is what the
        shopper gave the payment form (never stored by us)."""

    @abstractmethod
    def payment_confirm(self, *, payment, details: dict) -> GatewayResult:
        """The outcome of an extra step the shopper took (3-D Secure and the like)."""

    def payment_status(self, *, reference: str) -> GatewayResult | None:
        """How the gateway sees a payment now; None from one that can't be asked."""
        return None

    def payment_abandon(self, *, reference: str) -> GatewayResult | None:
        """Make sure a payment past `open_for` can no longer go through, and say
        how it ended (it may have succeeded after all); None from a gateway
        that can't be asked, whose payments expire by themselves."""
        return self.payment_status(reference=reference)

    @abstractmethod
    def refund(self, *, payment, amount: Decimal, key: str) -> GatewayResult:
        """Give back `amount` of a succeeded payment; `key` makes a retry of the same
        refund a no-op at the gateway."""
