import oscar.apps.offer.apps as apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


class OfferConfig(apps.OfferConfig):
    name = "offer"

    def ready(self):
        super().ready()
        from offer.models import Benefit, Condition, ConditionalOffer, Range

        for model in (ConditionalOffer, Range, Condition, Benefit):
            post_save.connect(
                _offers_changed,
                sender=model,
                dispatch_uid=f"offers-{model.__name__}-save",
            )
            post_delete.connect(
                _offers_changed,
                sender=model,
                dispatch_uid=f"offers-{model.__name__}-delete",
            )
        for field in (
            "included_products",
            "excluded_products",
            "classes",
            "included_categories",
        ):
            m2m_changed.connect(
                _offers_changed,
                sender=getattr(Range, field).through,
                dispatch_uid=f"offers-range-{field}",
            )


def _offers_changed(**kwargs) -> None:
    """Forget the open site offers (after commit) so the next product page
    rendered names the offers as they are now. Pages already in the whole-page
    cache keep theirs until they expire (`SHOP_PAGE_CACHE_SECONDS`): an offer
    also saves on every order that uses it, and emptying the page cache on each
    such order would cost far more than a few minutes' delay of a badge; the
    prices in the basket and checkout are always worked out afresh."""
    from offer.selectors import site_offers_forget

    transaction.on_commit(site_offers_forget)
