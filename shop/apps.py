from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Shop"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from shop import checks, receivers  # noqa: F401 - checks register themselves
        from shop.links import site_sync

        receivers.connect()
        # After django.contrib.sites has made its example.com row.
        post_migrate.connect(site_sync, sender=self, dispatch_uid="shop-site-sync")
