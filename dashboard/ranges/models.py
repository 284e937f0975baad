from oscar.apps.dashboard.ranges.models import *  # noqa: F403 - Oscar's models, under our fork's label
