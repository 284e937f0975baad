"""The benefits merchants ask for beyond Oscar's: tiered discounts and a free gift.

Oscar's own benefits (percentage, fixed amount, fixed price, multibuy, shipping)
are still found here by `get_class("offer.benefits", ...)`, which falls back to
Oscar's module for any class this one does not define.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.offer.benefits import AbsoluteDiscountBenefit, apply_discount
from oscar.apps.offer.results import ZERO_DISCOUNT, BasketDiscount
from oscar.apps.offer.utils import unit_price
from oscar.templatetags.currency_filters import currency

from offer.models import Benefit, is_gift_line


class TieredDiscountBenefit(AbsoluteDiscountBenefit):
    """A fixed amount off the range's items that grows with what is spent on
    them: "spend £50 get £5 off, spend £100 get £15 off". The offer's condition
    is the lowest tier's spend; the highest tier reached gives the discount."""

    class Meta:
        app_label = "offer"
        proxy = True
        verbose_name = _("Tiered discount benefit")
        verbose_name_plural = _("Tiered discount benefits")

    @property
    def name(self):
        tiers = ", ".join(
            _("spend %(spend)s get %(discount)s off")
            % {"spend": currency(threshold), "discount": currency(discount)}
            for threshold, discount in self.tier_list()
        )
        return _("%(tiers)s on %(range)s") % {
            "tiers": tiers[:1].upper() + tiers[1:],
            "range": self.range.name.lower(),
        }

    description = name

    def spend(self, offer, basket, *, own_included: bool = False) -> Decimal:
        """What the basket spends on the range's items not discounted by
        another offer (`own_included`: counting those this offer discounted)."""
        quantity = (
            (lambda line: line.quantity_available_for_offer(offer))
            if own_included
            else (lambda line: line.quantity_without_offer_discount(offer))
        )
        return sum(
            (
                price * quantity(line)
                for price, line in self.get_applicable_lines(offer, basket)
            ),
            Decimal("0.00"),
        )

    def tier_reached(self, spend: Decimal) -> Decimal:
        reached = Decimal("0.00")
        for threshold, discount in self.tier_list():
            if spend >= threshold:
                reached = discount
        return reached

    def next_tier(self, offer, basket) -> tuple[Decimal, Decimal] | None:
        """(how much more to spend, the discount it gives) for the next tier up,
        or None at the top; asked of a basket the offer was applied to."""
        spend = self.spend(offer, basket, own_included=True)
        for threshold, discount in self.tier_list():
            if spend < threshold:
                return threshold - spend, discount
        return None

    def apply(self, basket, condition, offer, **kwargs):
        discount = self.tier_reached(self.spend(offer, basket))
        if not discount:
            return ZERO_DISCOUNT
        return super().apply(basket, condition, offer, discount_amount=discount)


class FreeGiftBenefit(Benefit):
    """A gift product free with the offer: the basket service puts one in the
    basket as its own line (`offer.services.basket_gifts_sync`) while the offer
    applies, and this benefit takes its price off. The gift line never counts
    towards a condition, nor is discounted by another offer."""

    class Meta:
        app_label = "offer"
        proxy = True
        verbose_name = _("Free gift benefit")
        verbose_name_plural = _("Free gift benefits")

    @property
    def name(self):
        product = self.gift_product
        return _("A free %(gift)s") % {
            "gift": product.get_title() if product else _("gift (none chosen)")
        }

    description = name

    def can_apply_benefit(self, line):
        return bool(line.stockrecord_id)

    def apply(self, basket, condition, offer, **kwargs):
        if not self.gift_product_id:
            return ZERO_DISCOUNT
        gifts_wanted = basket.__dict__.setdefault("gifts_wanted", {})
        if offer.pk in gifts_wanted:
            return ZERO_DISCOUNT  # one gift a basket: the offer applied once
        gifts_wanted[offer.pk] = self.gift_product
        for line in basket.all_lines():
            if not is_gift_line(line, offer=offer) or not self.can_apply_benefit(line):
                continue
            price = unit_price(offer, line)
            if not price or line.quantity_without_offer_discount(offer) < 1:
                continue
            apply_discount(line, price, 1, offer)
            return BasketDiscount(price)
        return ZERO_DISCOUNT
