"""Oscar's order helpers; stock is allocated by checkout.services.order_place under
row locks before the order is written, never by Oscar's unchecked increment."""

from oscar.apps.order.utils import *  # noqa: F403 - Oscar's remaining helpers
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator


class OrderCreator(OscarOrderCreator):
    def update_stock_records(self, line):
        """Already allocated, with availability checked (partner.services)."""
