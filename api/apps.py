from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The headless REST API under /api/v1/: the same services as the website,
    for a mobile app and other fronts."""

    name = "api"
    default_auto_field = "django.db.models.BigAutoField"
