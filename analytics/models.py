from oscar.apps.analytics.models import *  # noqa: F403 - Oscar's models, under our fork's label
