import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    """Oscar's partner app, with stock reserved while a shopper pays and allocated
    under row locks when the order is placed (partner.services)."""

    name = "partner"

    def ready(self):
        super().ready()
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from partner.models import TaxRate
        from partner.selectors import tax_rates_forget

        def changed(**kwargs):
            tax_rates_forget()
            transaction.on_commit(tax_rates_forget)

        for signal in (post_save, post_delete):
            signal.connect(changed, sender=TaxRate, weak=False)
