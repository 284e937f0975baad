from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """The shop's connections to other systems: product feeds for Google and Meta
    (and, later, webhooks, ERP, CRM and marketing)."""

    name = "integrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from integrations import receivers

        receivers.connect()
