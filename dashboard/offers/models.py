from oscar.apps.dashboard.offers.models import *  # noqa: F403 - Oscar's models, under our fork's label
