from oscar.apps.voucher.admin import *  # noqa: F403 - Oscar's admin for the fork
from oscar.core.loading import get_model

from shop.admin import admin_read_only

# A voucher's uses are counted by order placement.
admin_read_only(get_model("voucher", "VoucherApplication"))
