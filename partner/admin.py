from oscar.apps.partner.admin import *  # noqa: F403 - Oscar's admin for the fork
from oscar.core.loading import get_model

from shop.admin import admin_read_only

# Stock changes only through the stock services (reservations, allocations).
admin_read_only(get_model("partner", "StockRecord"))
