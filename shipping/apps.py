import oscar.apps.shipping.apps as apps
from django.db.models.signals import m2m_changed, post_delete, post_save


class ShippingConfig(apps.ShippingConfig):
    """Oscar's shipping methods, offered from the cache (shipping.repository)."""

    name = "shipping"

    def ready(self):
        super().ready()
        from shipping.models import OrderAndItemCharges, WeightBand, WeightBased
        from shipping.repository import configured_methods_forget

        for model in (OrderAndItemCharges, WeightBased, WeightBand):
            for signal in (post_save, post_delete):
                signal.connect(
                    configured_methods_forget,
                    sender=model,
                    dispatch_uid=f"shipping-forget-{model.__name__}-{signal}",
                )
        for model in (OrderAndItemCharges, WeightBased):
            m2m_changed.connect(
                configured_methods_forget,
                sender=model.countries.through,
                dispatch_uid=f"shipping-forget-{model.__name__}-countries",
            )
