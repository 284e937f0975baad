from oscar.apps.voucher.admin import *  # noqa: F403 - Oscar's admin for the fork
