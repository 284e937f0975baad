"""What the merchant endpoints read: products with their stock records, and
orders, each in a bounded number of queries whatever the page size."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from oscar.core.loading import get_model

from catalogue.models import Product
from order.models import Order, OrderEvent
from partner.models import StockRecord

Line = get_model("order", "Line")


def merchant_products(
    *, skus: list[str] | None = None, updated_since: datetime | None = None
) -> QuerySet:
    """Products (standalone, parents and variants) with their stock records and
    partners prefetched: one query for the page, one for its stock. `skus`: only
    products with a stock record of one of these SKUs; `updated_since`: only
    those whose product or stock changed since."""
    products = Product.objects.select_related("parent").prefetch_related(
        Prefetch(
            "stockrecords",
            queryset=StockRecord.objects.select_related("partner").order_by("pk"),
        )
    )
    if skus:
        products = products.filter(
            Exists(
                StockRecord.objects.filter(product=OuterRef("pk"), partner_sku__in=skus)
            )
        )
    if updated_since is not None:
        products = products.filter(
            Q(date_updated__gte=updated_since)
            | Exists(
                StockRecord.objects.filter(
                    product=OuterRef("pk"), date_updated__gte=updated_since
                )
            )
        )
    return products


def merchant_orders(
    *,
    statuses: list[str] | None = None,
    placed_since: datetime | None = None,
    updated_since: datetime | None = None,
) -> QuerySet:
    """Orders for an integration's list, with their customer: one query a page.
    `updated_since`: placed since, or with anything on their timeline since (a
    payment, a shipment, a status change, a refund)."""
    orders = Order.objects.select_related("user")
    if statuses:
        orders = orders.filter(status__in=statuses)
    if placed_since is not None:
        orders = orders.filter(date_placed__gte=placed_since)
    if updated_since is not None:
        orders = orders.filter(
            Q(date_placed__gte=updated_since)
            | Exists(
                OrderEvent.objects.filter(
                    order=OuterRef("pk"), created_at__gte=updated_since
                )
            )
        )
    return orders


def merchant_order(*, number: str) -> Order:
    """One order with everything its detail shows: lines, addresses, shipments
    and their lines. Raises Order.DoesNotExist."""
    return (
        Order.objects.select_related(
            "user",
            "shipping_address__country",
            "billing_address__country",
        )
        .prefetch_related(
            Prefetch("lines", queryset=Line.objects.order_by("pk")),
            "shipments__lines",
        )
        .get(number=number)
    )
