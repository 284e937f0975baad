"""Offers and baskets built by hand for the offer tests, priced the way the
basket page and the checkout price them (`offer.services.basket_offers_price`)."""

from decimal import Decimal

from django.contrib.auth.models import AnonymousUser

from basket.models import Basket
from offer.models import Benefit, Condition, ConditionalOffer, Range
from offer.services import basket_offers_price
from partner.strategy import Selector


def everything() -> Range:
    found, _ = Range.objects.get_or_create(
        name="Everything", defaults={"includes_all_products": True}
    )
    return found


def offer_create(  # noqa: PLR0913 - an offer is all of these
    *,
    name: str,
    condition: tuple[str, str],
    benefit: tuple[str, str | None],
    product_range: Range | None = None,
    benefit_range: Range | None = None,
    **fields,
) -> ConditionalOffer:
    """A site offer: `condition` and `benefit` as (type, value) on the range
    (the whole shop unless given); other fields as ConditionalOffer's."""
    product_range = product_range or everything()
    condition_type, condition_value = condition
    benefit_type, benefit_value = benefit
    extra = fields.pop("benefit_fields", {})
    if benefit_range is None and benefit_type not in _BENEFITS_WITHOUT_RANGE:
        benefit_range = product_range
    return ConditionalOffer.objects.create(
        name=name,
        offer_type=fields.pop("offer_type", ConditionalOffer.SITE),
        condition=Condition.objects.create(
            range=product_range, type=condition_type, value=Decimal(condition_value)
        ),
        benefit=Benefit.objects.create(
            range=benefit_range,
            type=benefit_type,
            value=Decimal(benefit_value) if benefit_value is not None else None,
            **extra,
        ),
        **fields,
    )


_BENEFITS_WITHOUT_RANGE = {
    Benefit.FIXED_PRICE,
    Benefit.SHIPPING_ABSOLUTE,
    Benefit.SHIPPING_FIXED_PRICE,
    Benefit.SHIPPING_PERCENTAGE,
    Benefit.FREE_GIFT,
}


def basket_of(*items, owner=None) -> Basket:
    """A basket holding (product, quantity) pairs."""
    basket = Basket.objects.create(owner=owner)
    basket.strategy = Selector().strategy()
    for product, quantity in items:
        basket.add_product(product, quantity)
    return _fresh(basket)


def _fresh(basket: Basket) -> Basket:
    again = Basket.objects.get(pk=basket.pk)
    again.strategy = basket.strategy
    return again


def priced(basket: Basket, user=None) -> Basket:
    basket_offers_price(basket=basket, user=user or AnonymousUser())
    return basket


def discounts(basket: Basket) -> dict[str, Decimal]:
    """Each applied offer's discount by the offer's name."""
    return {
        application["offer"].name: application["discount"]
        for application in basket.offer_applications
    }
