from django.apps import AppConfig


class PersonalisationConfig(AppConfig):
    """What shoppers do turned into what they see: recommenders, and how well
    they would have done on past baskets."""

    name = "personalisation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from personalisation import receivers

        receivers.connect()
