import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    """Oscar's partner app, with stock reserved while a shopper pays and allocated
    under row locks when the order is placed (partner.services)."""

    name = "partner"
