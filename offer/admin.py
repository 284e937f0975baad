from oscar.apps.offer.admin import *  # noqa: F403 - Oscar's admin for the fork
