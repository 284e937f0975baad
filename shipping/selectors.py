"""What the shopper could still gain on shipping."""

from decimal import Decimal

from shipping.repository import configured_methods, ships_to


def free_shipping_shortfall(*, basket, shipping_addr=None) -> Decimal | None:
    """How much more the basket needs to ship free by one of the merchant's
    methods with a free-over threshold (the nearest one); None when it already
    ships free, or no method offers that."""
    if basket.is_empty or not basket.is_tax_known:
        return None
    threshold = free_shipping_threshold(shipping_addr=shipping_addr)
    if threshold is None or basket.total_incl_tax >= threshold:
        return None
    return threshold - basket.total_incl_tax


def free_shipping_threshold(*, shipping_addr=None) -> Decimal | None:
    """The lowest basket total that ships free by one of the merchant's methods
    (to `shipping_addr`, or anywhere: what a product page can promise, "Free
    delivery over £50"); None when no method offers that."""
    thresholds = [
        method.free_shipping_threshold
        for method in configured_methods()
        if getattr(method, "free_shipping_threshold", None) is not None
        and ships_to(method, shipping_addr)
    ]
    return min(thresholds, default=None)
