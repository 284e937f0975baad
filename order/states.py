"""The order's states and the moves allowed between them.

An order moves along one lifecycle (its `status`), and two summaries beside it
answer the merchant's other questions at a glance: how it stands with the money
(`payment_state`) and with the goods (`fulfilment_state`). Only the moves named in
ORDER_TRANSITIONS happen (order.services.order_transition); each is recorded as
an event of the order with who, when and why.

Refunds before anything ships leave the lifecycle where it is (a refunded line
is cancelled, the payment is partially refunded); a full refund before shipping
is a cancellation. After the goods have left, a refund moves the order to
"Partially refunded" or "Refunded".

Plain constants, so the settings module can read them too.
"""

PENDING_PAYMENT = "Pending payment"
PAID = "Paid"
PROCESSING = "Processing"
PARTIALLY_SHIPPED = "Partially shipped"
SHIPPED = "Shipped"
DELIVERED = "Delivered"
COMPLETED = "Completed"
CANCELLED = "Cancelled"
PARTIALLY_REFUNDED = "Partially refunded"
REFUNDED = "Refunded"

ORDER_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PENDING_PAYMENT: (PAID, CANCELLED),
    PAID: (PROCESSING, PARTIALLY_SHIPPED, SHIPPED, CANCELLED),
    PROCESSING: (PARTIALLY_SHIPPED, SHIPPED, CANCELLED),
    PARTIALLY_SHIPPED: (SHIPPED,),
    SHIPPED: (DELIVERED, PARTIALLY_REFUNDED, REFUNDED),
    DELIVERED: (COMPLETED, PARTIALLY_REFUNDED, REFUNDED),
    COMPLETED: (PARTIALLY_REFUNDED, REFUNDED),
    PARTIALLY_REFUNDED: (REFUNDED,),
    CANCELLED: (),
    REFUNDED: (),
}

#: Orders in these states have not started shipping: the shopper may cancel one
#: that is not yet being processed, the merchant any of them.
SHOPPER_CANCELLABLE = (PENDING_PAYMENT, PAID)
MERCHANT_CANCELLABLE = (PENDING_PAYMENT, PAID, PROCESSING)

#: The goods have left: returns may be asked for, refunds move the lifecycle.
AFTER_SHIPPING = (SHIPPED, DELIVERED, COMPLETED, PARTIALLY_REFUNDED)

#: What has shipped may be returned, also while the rest of the order waits (a
#: first parcel arrived broken): its refund leaves the lifecycle where it is.
RETURNABLE = (PARTIALLY_SHIPPED, *AFTER_SHIPPING)

#: Moves the shopper hears about by email (the template's code is the event's).
CUSTOMER_VISIBLE = (SHIPPED, PARTIALLY_SHIPPED, DELIVERED, CANCELLED, REFUNDED)

# --- Lines --------------------------------------------------------------------

LINE_AWAITING = "Awaiting fulfilment"
LINE_PARTIALLY_SHIPPED = "Partially shipped"
LINE_SHIPPED = "Shipped"
LINE_DELIVERED = "Delivered"
LINE_PARTIALLY_RETURNED = "Partially returned"
LINE_RETURNED = "Returned"
LINE_CANCELLED = "Cancelled"

LINE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    LINE_AWAITING: (LINE_PARTIALLY_SHIPPED, LINE_SHIPPED, LINE_CANCELLED),
    LINE_PARTIALLY_SHIPPED: (LINE_SHIPPED, LINE_DELIVERED),
    LINE_SHIPPED: (LINE_DELIVERED, LINE_PARTIALLY_RETURNED, LINE_RETURNED),
    LINE_DELIVERED: (LINE_PARTIALLY_RETURNED, LINE_RETURNED),
    LINE_PARTIALLY_RETURNED: (LINE_RETURNED,),
    LINE_RETURNED: (),
    LINE_CANCELLED: (),
}

# --- Summaries ------------------------------------------------------------------

PAYMENT_PENDING = "pending"
PAYMENT_PAID = "paid"
PAYMENT_PARTIALLY_REFUNDED = "partially_refunded"
PAYMENT_REFUNDED = "refunded"
PAYMENT_VOIDED = "voided"
PAYMENT_STATES = [
    (PAYMENT_PENDING, "Awaiting payment"),
    (PAYMENT_PAID, "Paid"),
    (PAYMENT_PARTIALLY_REFUNDED, "Partially refunded"),
    (PAYMENT_REFUNDED, "Refunded"),
    (PAYMENT_VOIDED, "Voided (nothing taken)"),
]

FULFILMENT_UNFULFILLED = "unfulfilled"
FULFILMENT_PARTIAL = "partially_shipped"
FULFILMENT_SHIPPED = "shipped"
FULFILMENT_DELIVERED = "delivered"
FULFILMENT_CANCELLED = "cancelled"
FULFILMENT_STATES = [
    (FULFILMENT_UNFULFILLED, "Not shipped"),
    (FULFILMENT_PARTIAL, "Partially shipped"),
    (FULFILMENT_SHIPPED, "Shipped"),
    (FULFILMENT_DELIVERED, "Delivered"),
    (FULFILMENT_CANCELLED, "Cancelled"),
]


def transition_allowed(old: str, new: str) -> bool:
    return new in ORDER_TRANSITIONS.get(old, ())
