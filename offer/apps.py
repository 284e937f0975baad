import oscar.apps.offer.apps as apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


class OfferConfig(apps.OfferConfig):
    name = "offer"

    def ready(self):
        super().ready()
        from offer.models import Benefit, Condition, ConditionalOffer, Range

        range_products = Range.included_products.through
        for signal, verb in ((post_save, "save"), (post_delete, "delete")):
            for model in (ConditionalOffer, Range, Condition, Benefit):
                signal.connect(
                    _offers_changed,
                    sender=model,
                    dispatch_uid=f"offers-{model.__name__}-{verb}",
                )
            # Oscar's Range.add_product and remove_product write these rows
            # directly, without the m2m signal.
            signal.connect(
                _range_products_changed,
                sender=range_products,
                dispatch_uid=f"offers-range-products-{verb}",
            )
        for field, receiver in (
            ("included_products", _range_products_changed),
            ("excluded_products", _range_products_changed),
            ("classes", _offers_changed),
            ("included_categories", _offers_changed),
            ("excluded_categories", _offers_changed),
        ):
            m2m_changed.connect(
                receiver,
                sender=getattr(Range, field).through,
                dispatch_uid=f"offers-range-{field}",
            )
        # Loaded with the cached offers too.
        for field in ("combinations", "customer_groups"):
            m2m_changed.connect(
                _offers_changed,
                sender=getattr(ConditionalOffer, field).through,
                dispatch_uid=f"offers-offer-{field}",
            )


def _offers_changed(**kwargs) -> None:
    """Forget the open site offers (after commit) so the next page rendered
    names the offers as they are now.

    Cached listings and product pages are not renewed here: they are keyed by
    a digest of what the open site offers show
    (`offer.selectors.offer_badges_digest`), worked out from the site offers
    on each request. An offer's row is saved on every order that uses it (its
    usage counters), and renewing every page on each such order would cost far
    more than it gives; the digest stays the same through those saves and
    changes only when a badge could. The prices in the basket and checkout are
    always worked out afresh."""
    from offer.site_offers import site_offers_forget

    transaction.on_commit(site_offers_forget)


def _range_products_changed(**kwargs) -> None:
    """A range's own list of included or excluded products changed: a product
    gains or loses a badge, and the digest cached listings are keyed by can't
    see it (the lists are not loaded with the site offers). Renew the
    catalogue version (listings and product pages) after commit, as a change
    to a product does; merchants edit these lists rarely, orders never."""
    from catalogue.cache import catalogue_version_bump

    _offers_changed()
    if kwargs.get("action", "post_").startswith("post_"):
        transaction.on_commit(catalogue_version_bump)
