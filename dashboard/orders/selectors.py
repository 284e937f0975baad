"""What the order dashboard reads: orders by the list's filters, orders to pack,
and one order with everything its page shows, in a bounded number of queries."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from oscar.core.loading import get_model

from order import states
from order.carriers import carrier_name
from order.models import Order, OrderEvent, ReturnRequest, Shipment, ShipmentLine
from order.refunds import line_refunded_quantities, refundable
from order.selectors import order_cancellable, units_by_line

Line = get_model("order", "Line")


def orders_matching(  # noqa: PLR0913 - the list's filters, by name
    *,
    q: str = "",
    status: str = "",
    payment_state: str = "",
    fulfilment_state: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Order]:
    """Orders by the list's filters, newest first. `q` is the start of an
    order number or of the shopper's email (a guest's or an account's); dates
    are the days the orders were placed, in the shop's time zone, both
    included."""
    orders = Order.objects.all()
    if q := q.strip():
        by_email = Q(guest_email__istartswith=q) | Q(user__email__istartswith=q)
        orders = orders.filter(
            by_email if "@" in q else by_email | Q(number__istartswith=q)
        )
    if status:
        orders = orders.filter(status=status)
    if payment_state:
        orders = orders.filter(payment_state=payment_state)
    if fulfilment_state:
        orders = orders.filter(fulfilment_state=fulfilment_state)
    if date_from:
        orders = orders.filter(date_placed__date__gte=date_from)
    if date_to:
        orders = orders.filter(date_placed__date__lte=date_to)
    return orders.order_by("-date_placed", "-pk")


def orders_listed(orders: QuerySet[Order]) -> QuerySet[Order]:
    """What a row of the list shows, in the query that lists them."""
    return orders.select_related("user").annotate(lines_count=Count("lines"))


def orders_to_pack(*, numbers: list[str]) -> list[Order]:
    """Orders for their packing slips, in the order asked for: each with its
    shipping address and the lines that still have units to ship."""
    to_ship = Prefetch(
        "lines",
        queryset=Line.objects.filter(num_allocated__gt=0).order_by("pk"),
        to_attr="lines_to_ship",
    )
    found = {
        order.number: order
        for order in Order.objects.filter(number__in=numbers)
        .select_related("shipping_address__country", "user")
        .prefetch_related(to_ship)
    }
    return [found[number] for number in dict.fromkeys(numbers) if number in found]


@dataclass
class LineRow:
    """A line of the order page: what was bought, shipped, refunded, and what
    is left to ship."""

    line: object
    shipped: int = 0
    refunded: int = 0

    @property
    def to_ship(self) -> int:
        return self.line.num_allocated or 0


@dataclass
class OrderPage:
    order: Order
    lines: list[LineRow]
    timeline: list[OrderEvent]
    shipments: list[Shipment]
    returns: list[ReturnRequest]
    refunds: list
    refundable: Decimal
    actions: set[str] = field(default_factory=set)

    @property
    def to_ship(self) -> dict[int, int]:
        return {row.line.pk: row.to_ship for row in self.lines if row.to_ship}

    @property
    def refundable_units(self) -> dict[int, int]:
        return {row.line.pk: row.line.quantity - row.refunded for row in self.lines}


def order_page(*, number: str) -> OrderPage:
    """One order with its lines, timeline (oldest first), shipments, returns and
    refunds, and the actions its state allows (order_actions_allowed)."""
    order = Order.objects.select_related(
        "user", "shipping_address__country", "billing_address__country"
    ).get(number=number)
    lines = list(order.lines.order_by("pk"))
    shipped = units_by_line(
        ShipmentLine.objects.filter(shipment__order=order), "quantity"
    )
    refunded = line_refunded_quantities(order)
    page = OrderPage(
        order=order,
        lines=[
            LineRow(line, shipped.get(line.pk, 0), refunded.get(line.pk, 0))
            for line in lines
        ],
        timeline=list(order.timeline.select_related("user")),
        shipments=list(order.shipments.prefetch_related("lines__line")),
        returns=list(order.returns.prefetch_related("lines__line")),
        refunds=list(order.refunds.select_related("created_by")),
        refundable=refundable(order),
    )
    for shipment in page.shipments:
        shipment.carrier_label = carrier_name(shipment.carrier)
    page.actions = order_actions_allowed(page)
    return page


def order_actions_allowed(page: OrderPage) -> set[str]:
    """The merchant's actions the order's state allows (order.states decides
    the moves; the services check again when asked)."""
    order = page.order
    moves = states.ORDER_TRANSITIONS.get(order.status, ())
    actions = set()
    if states.PROCESSING in moves:
        actions.add("processing")
    if page.to_ship and (states.SHIPPED in moves or states.PARTIALLY_SHIPPED in moves):
        actions.add("ship")
    if order_cancellable(order, by_shopper=False, shipped=bool(page.shipments)):
        actions.add("cancel")
    if page.refundable > 0 and order.status != states.CANCELLED:
        actions.add("refund")
    if any(shipment.status == Shipment.SHIPPED for shipment in page.shipments):
        # A parcel arrives whatever became of the order meanwhile.
        actions.add("deliver")
    return actions


def returns_to_act_on(*, status: str = "") -> QuerySet[ReturnRequest]:
    """The returns queue: open returns (asked for, approved, received) oldest
    first, as they wait for the merchant; one status of them when given (a
    closed status lists those, newest first)."""
    returns = ReturnRequest.objects.select_related("order", "order__user").annotate(
        units=Sum("lines__quantity")
    )
    if status and status not in ReturnRequest.OPEN:
        return returns.filter(status=status).order_by("-created_at", "-pk")
    statuses = [status] if status else list(ReturnRequest.OPEN)
    return returns.filter(status__in=statuses).order_by("created_at", "pk")
