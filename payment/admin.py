from oscar.apps.payment.admin import *  # noqa: F403 - Oscar's admin for the fork
from oscar.core.loading import get_model

from shop.admin import admin_read_only

# What was taken and given back is the gateways' record.
admin_read_only(get_model("payment", "Source"), get_model("payment", "Transaction"))
