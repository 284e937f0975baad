"""Reads of orders for shoppers and merchants."""

from django.urls import reverse

from order.models import Order


def order_status_path(order: Order) -> str:
    """Where the shopper follows the order: their account's order page, or for a
    guest the order page behind a link signed with the order's verification
    hash (an order number alone opens nothing)."""
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
