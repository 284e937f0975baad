from oscar.apps.basket.admin import *  # noqa: F403 - Oscar's admin for the fork
from oscar.core.loading import get_model

from shop.admin import admin_read_only

# A basket being paid for is frozen by the checkout; its lines are the shopper's.
admin_read_only(get_model("basket", "Basket"), get_model("basket", "Line"))
