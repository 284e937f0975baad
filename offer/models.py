"""Oscar's offer models, with what merchants ask of promotions beyond Oscar's.

- Offers run on chosen days and hours (in the shop's time zone), and may be
  kept to an audience: signed-in customers, a customer's first order, or named
  customer groups (`offer.audiences` answers who is in; later audiences such as
  behaviour segments register there).
- Two more benefits: tiered discounts (spend 50 get 5 off, spend 100 get 15
  off) and a free gift product put in the basket (`offer.benefits`).
- A range may take every product of a brand (the products' "brand" attribute),
  so it follows the catalogue as products are added.
- Range membership is answered from a batch when known: Oscar's
  `Range.contains_product` asks the database once per product each time an
  offer checks a basket line; `offer.services.range_membership_known` works
  it out for all the basket's products at once and `contains_product` reads it
  from there.
"""

from contextvars import ContextVar
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import exceptions
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from oscar.apps.offer.abstract_models import (
    AbstractBenefit,
    AbstractCondition,
    AbstractConditionalOffer,
    AbstractRange,
)
from oscar.core.loading import get_class

if TYPE_CHECKING:
    from offer.membership import Membership

# Which ranges hold which of the products being priced right now
# (`offer.membership.Membership`: the products asked about, and the ids each
# range holds).
range_membership: ContextVar["Membership | None"] = ContextVar(
    "range_membership", default=None
)

BRAND_ATTRIBUTE = "brand"

WEEKDAY_CHOICES = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]


class CustomerGroup(models.Model):
    """A named list of customers an offer or voucher may be kept to (trade
    customers, staff, a VIP list)."""

    name = models.CharField(_("Name"), max_length=128, unique=True)
    description = models.TextField(_("Description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="customer_groups",
        blank=True,
        verbose_name=_("Members"),
    )
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "offer"
        ordering = ["name"]
        verbose_name = _("Customer group")
        verbose_name_plural = _("Customer groups")

    def __str__(self) -> str:
        return self.name


class ConditionalOffer(AbstractConditionalOffer):
    EVERYONE, SIGNED_IN, FIRST_ORDER, GROUPS = (
        "everyone",
        "signed_in",
        "first_order",
        "groups",
    )
    AUDIENCE_CHOICES = [
        (EVERYONE, _("Everyone")),
        (SIGNED_IN, _("Signed-in customers")),
        (FIRST_ORDER, _("A signed-in customer's first order")),
        (GROUPS, _("Members of the chosen customer groups")),
    ]

    valid_weekdays = models.JSONField(
        _("Days of the week"),
        default=list,
        blank=True,
        help_text=_("The days the offer runs on. None chosen: every day."),
    )
    valid_from_time = models.TimeField(
        _("From (time of day)"),
        null=True,
        blank=True,
        help_text=_("Each day the offer runs from this time (shop time)."),
    )
    valid_until_time = models.TimeField(
        _("Until (time of day)"),
        null=True,
        blank=True,
        help_text=_("Each day the offer runs until this time (shop time)."),
    )
    audience = models.CharField(
        _("Who may use it"),
        max_length=32,
        choices=AUDIENCE_CHOICES,
        default=EVERYONE,
    )
    customer_groups = models.ManyToManyField(
        CustomerGroup,
        related_name="offers",
        blank=True,
        verbose_name=_("Customer groups"),
    )

    class Meta(AbstractConditionalOffer.Meta):
        pass

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.valid_from_time
            and self.valid_until_time
            and self.valid_from_time >= self.valid_until_time
        ):
            errors["valid_until_time"] = _(
                "The end of the daily hours must be later than their start."
            )
        if any(day not in range(1, 8) for day in self.valid_weekdays or []):
            errors["valid_weekdays"] = _("Days of the week are numbered 1 to 7.")
        if errors:
            raise exceptions.ValidationError(errors)

    def is_available(self, user=None, test_date=None):
        test_date = test_date or timezone.now()
        return self.runs_at(test_date) and super().is_available(
            user=user, test_date=test_date
        )

    def runs_at(self, moment: datetime) -> bool:
        """Whether `moment` falls on the offer's days and within its hours,
        read in the shop's time zone. The start and end dates are Oscar's."""
        if not self.has_schedule:
            return True
        local = timezone.localtime(moment)
        if self.valid_weekdays and local.isoweekday() not in self.valid_weekdays:
            return False
        if self.valid_from_time and local.time() < self.valid_from_time:
            return False
        return not (self.valid_until_time and local.time() >= self.valid_until_time)

    @property
    def has_schedule(self) -> bool:
        return bool(
            self.valid_weekdays or self.valid_from_time or self.valid_until_time
        )


class Range(AbstractRange):
    brand = models.CharField(
        _("Brand"),
        max_length=128,
        blank=True,
        help_text=_(
            "Every product of this brand (its Brand attribute) is in the range, "
            "including products added later."
        ),
    )

    def contains_product(self, product):
        known = range_membership.get()
        if known is not None and product.pk in known.products:
            held = known.held.get(self.pk)
            if held is not None:
                return product.pk in held
        return super().contains_product(product)

    @cached_property
    def product_queryset(self):
        queryset = super().product_queryset
        if not self.brand or self.includes_all_products:
            return queryset
        Product = self.included_products.model  # noqa: N806
        return Product.objects.filter(
            Q(pk__in=queryset.values("pk")) | brand_rule(self.brand)
        ).exclude(Q(excludes=self) | Q(parent__excludes=self))

    @property
    def is_reorderable(self):
        return not self.brand and super().is_reorderable


def brand_rule(brand: str) -> Q:
    """Products (or variants of products) whose brand attribute is `brand`."""
    own = Q(
        attribute_values__attribute__code=BRAND_ATTRIBUTE,
        attribute_values__value_text__iexact=brand,
    )
    parents = Q(
        parent__attribute_values__attribute__code=BRAND_ATTRIBUTE,
        parent__attribute_values__value_text__iexact=brand,
    )
    return own | parents


class _ProxyKeepsRange:
    """Oscar builds a fresh proxy (ValueCondition, PercentageDiscountBenefit...) on
    every check, dropping the loaded range, which each check then fetched again."""

    def proxy(self):
        proxy = super().proxy()
        if proxy is not self:
            for relation in ("range", "gift_product"):
                if relation in self._state.fields_cache:
                    proxy._state.fields_cache[relation] = self._state.fields_cache[
                        relation
                    ]
        return proxy


class Condition(_ProxyKeepsRange, AbstractCondition):
    def can_apply_condition(self, line):
        # A free gift never counts towards an offer, its own included.
        return not is_gift_line(line) and super().can_apply_condition(line)


GIFT_LINE_PREFIX = "gift-"


def gift_line_reference(*, offer_id: int, product_id: int) -> str:
    """The basket line reference of the gift an offer puts in the basket: its
    own line, apart from any of the same product the shopper added."""
    return f"{GIFT_LINE_PREFIX}{offer_id}-{product_id}"


def is_gift_line(line, offer=None) -> bool:
    prefix = GIFT_LINE_PREFIX if offer is None else f"{GIFT_LINE_PREFIX}{offer.pk}-"
    return (line.line_reference or "").startswith(prefix)


class Benefit(_ProxyKeepsRange, AbstractBenefit):
    TIERED, FREE_GIFT = "Tiered", "Free gift"
    TYPE_CHOICES = AbstractBenefit.TYPE_CHOICES + (
        (
            TIERED,
            _("Discount is a fixed amount that grows with the spend (tiers)"),
        ),
        (FREE_GIFT, _("A gift product is added to the basket for free")),
    )

    type = models.CharField(_("Type"), max_length=128, choices=TYPE_CHOICES, blank=True)
    # [{"threshold": "50.00", "discount": "5.00"}, ...], lowest threshold first.
    tiers = models.JSONField(_("Tiers"), default=list, blank=True)
    gift_product = models.ForeignKey(
        "catalogue.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Gift product"),
    )

    @property
    def proxy_map(self):
        return {
            **super().proxy_map,
            self.TIERED: get_class("offer.benefits", "TieredDiscountBenefit"),
            self.FREE_GIFT: get_class("offer.benefits", "FreeGiftBenefit"),
        }

    def can_apply_benefit(self, line):
        # A free gift is discounted by its own offer only (offer.benefits).
        return not is_gift_line(line) and super().can_apply_benefit(line)

    def tier_list(self) -> list[tuple[Decimal, Decimal]]:
        """The tiers as (spend threshold, discount), lowest threshold first."""
        return sorted(
            (Decimal(str(tier["threshold"])), Decimal(str(tier["discount"])))
            for tier in self.tiers or []
        )

    def clean_tiered(self):
        errors = []
        if not self.range:
            errors.append(_("Tiered discounts need a product range"))
        try:
            tiers = self.tier_list()
        except (KeyError, TypeError, InvalidOperation):
            tiers = None
            errors.append(_("Each tier needs a spend and a discount"))
        if tiers is not None:
            if not tiers:
                errors.append(_("Tiered discounts need at least one tier"))
            if any(threshold <= 0 or discount <= 0 for threshold, discount in tiers):
                errors.append(_("Each tier's spend and discount must be above zero"))
            if any(discount > threshold for threshold, discount in tiers):
                errors.append(_("A tier's discount can't be more than its spend"))
            thresholds = [threshold for threshold, _discount in tiers]
            if len(set(thresholds)) != len(thresholds):
                errors.append(_("Two tiers can't have the same spend"))
            discounts = [discount for _threshold, discount in tiers]
            if discounts != sorted(discounts):
                errors.append(_("A higher spend must give a bigger discount"))
        if errors:
            raise exceptions.ValidationError(errors)

    def clean_free_gift(self):
        errors = []
        if not self.gift_product_id:
            errors.append(_("Choose the gift product"))
        elif self.gift_product.is_parent:
            errors.append(
                _("The gift must be a product a shopper can buy, not a parent")
            )
        if self.value:
            errors.append(_("A free gift needs no value"))
        if errors:
            raise exceptions.ValidationError(errors)


from oscar.apps.offer.models import *  # noqa: E402, F403 - Oscar's remaining models

from offer.benefits import FreeGiftBenefit, TieredDiscountBenefit  # noqa: E402, F401
