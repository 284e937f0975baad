from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Shop"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core.signals import request_started
        from django.db.models.signals import post_migrate

        from shop import checks, receivers  # noqa: F401 - checks register themselves
        from shop.inprocess_beat import beat_start_once
        from shop.links import site_sync

        receivers.connect()
        # After django.contrib.sites has made its example.com row.
        post_migrate.connect(site_sync, sender=self, dispatch_uid="shop-site-sync")
        request_started.connect(beat_start_once, dispatch_uid="shop-inprocess-beat")
