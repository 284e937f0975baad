"""Reads of payments for the shopper's pages."""

from payment.models import Payment

# The payments this shopper's session started, which only it may confirm.
SESSION_PAYMENTS_KEY = "checkout_payment_ids"


def payment_waiting_for_shopper(*, session) -> Payment | None:
    """The latest payment this session started that waits for the shopper's
    confirmation (at PayPal, or the demo's extra step): its basket is kept
    aside meanwhile, so the basket page offers to go on or to cancel it."""
    payment_ids = session.get(SESSION_PAYMENTS_KEY)
    if not payment_ids:
        return None
    return (
        Payment.objects.filter(pk__in=payment_ids, status=Payment.REQUIRES_ACTION)
        .order_by("-pk")
        .first()
    )


def basket_payment_settled(*, basket_id: int) -> Payment | None:
    """The payment that paid for this basket (succeeded, whether or not its order
    is placed yet), if one has."""
    return (
        Payment.objects.filter(basket_id=basket_id, status=Payment.SUCCEEDED)
        .order_by("pk")
        .first()
    )
