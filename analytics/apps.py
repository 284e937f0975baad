import oscar.apps.analytics.apps as apps


class AnalyticsConfig(apps.AnalyticsConfig):
    """Oscar's analytics, with product views and basket additions counted by a
    Celery task after the response instead of three writes inside it."""

    name = "analytics"

    def ready(self):
        super().ready()
        from analytics import receivers

        receivers.connect()
