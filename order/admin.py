from oscar.apps.order.admin import *  # noqa: F403 - Oscar's admin for the fork
