from oscar.apps.order.admin import *  # noqa: F403 - Oscar's admin for the fork
from oscar.core.loading import get_model

from shop.admin import admin_read_only

# An order changes only through its state machine and the dashboard.
admin_read_only(
    *(
        get_model("order", name)
        for name in (
            "Order",
            "Line",
            "LinePrice",
            "LineAttribute",
            "OrderStatusChange",
            "OrderDiscount",
            "Surcharge",
            "PaymentEvent",
            "ShippingEvent",
            "CommunicationEvent",
        )
    )
)
