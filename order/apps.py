import oscar.apps.order.apps as apps


class OrderConfig(apps.OrderConfig):
    name = "order"

    def ready(self):
        super().ready()
        from django.db.models.signals import post_migrate

        from order.email_templates import email_templates_ensure

        post_migrate.connect(
            email_templates_ensure, sender=self, dispatch_uid="order-email-templates"
        )
