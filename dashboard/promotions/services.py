"""Promotions made from a merchant's plain choices ("3 for £20 on Kitchen, on
Saturdays") instead of Oscar's condition × benefit × range wizard.

A `PromotionSpec` says what the merchant asked for; `promotion_draft` turns it
into the unsaved Range, Condition, Benefit, ConditionalOffer and Voucher Oscar
needs, which the preview describes and `promotion_create` checks with the
models' own rules and saves in one transaction, so an error leaves nothing
behind.
"""

from dataclasses import dataclass, field, fields
from datetime import datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Category, Product
from offer.describe import offer_describe
from offer.models import Benefit, Condition, ConditionalOffer, CustomerGroup, Range
from voucher.models import Voucher

WHOLE_SHOP_RANGE_NAME = "All products"


class Kind(models.TextChoices):
    PERCENTAGE = "percentage", _("Percentage off")
    AMOUNT = "amount", _("Amount off")
    SET_PRICE = "set-price", _("A set for a fixed price (3 for £20)")
    MULTIBUY = "multibuy", _("Buy some, the cheapest free")
    TIERED = "tiered", _("Spend more, save more (tiers)")
    SHIPPING = "shipping", _("Shipping discount")
    GIFT = "gift", _("Free gift")


class Target(models.TextChoices):
    ALL = "all", _("The whole shop")
    CATEGORY = "category", _("A category")
    RANGE = "range", _("A product range")
    BRAND = "brand", _("A brand")


class ShippingDeal(models.TextChoices):
    FREE = "free", _("Free shipping")
    AMOUNT = "amount", _("An amount off shipping")
    PERCENT = "percent", _("A percentage off shipping")


@dataclass(frozen=True)
class PromotionSpec:
    """What the merchant asked for, in the page's terms. Fields a kind does
    not use are left at their defaults."""

    kind: str
    name: str
    description: str = ""
    target: str = Target.ALL
    category: Category | None = None
    product_range: Range | None = None
    brand: str = ""
    percent: Decimal | None = None
    amount: Decimal | None = None
    spend: Decimal | None = None
    items: int | None = None
    set_price: Decimal | None = None
    tiers: list[tuple[Decimal, Decimal]] = field(default_factory=list)
    shipping_deal: str = ShippingDeal.FREE
    gift_product: Product | None = None
    offer_type: str = ConditionalOffer.SITE
    voucher_code: str = ""
    start_datetime: datetime | None = None
    end_datetime: datetime | None = None
    valid_weekdays: list[int] = field(default_factory=list)
    valid_from_time: time | None = None
    valid_until_time: time | None = None
    audience: str = ConditionalOffer.EVERYONE
    customer_groups: list[CustomerGroup] = field(default_factory=list)
    max_global_applications: int | None = None
    max_discount: Decimal | None = None
    max_user_applications: int | None = None
    priority: int = 0
    exclusive: bool = True


@dataclass
class PromotionDraft:
    """The unsaved models of a promotion. `product_range` may be an existing
    range (saved) that the promotion reuses."""

    spec: PromotionSpec
    product_range: Range
    condition: Condition
    benefit: Benefit
    offer: ConditionalOffer
    voucher: Voucher | None


SPEC_FIELDS = {spec_field.name for spec_field in fields(PromotionSpec)}
# Where the errors of the benefit and condition go, by kind.
BENEFIT_FIELD = {
    Kind.PERCENTAGE: "percent",
    Kind.AMOUNT: "amount",
    Kind.SET_PRICE: "set_price",
    Kind.MULTIBUY: "items",
    Kind.TIERED: "tiers",
    Kind.SHIPPING: "shipping_deal",
    Kind.GIFT: "gift_product",
}
CONDITION_FIELD = {
    Kind.SET_PRICE: "items",
    Kind.MULTIBUY: "items",
    Kind.TIERED: "tiers",
}
# Offers that make sense once per basket; a set price or multibuy repeats for
# each full set in it.
ONCE_PER_BASKET = {
    Kind.PERCENTAGE,
    Kind.AMOUNT,
    Kind.TIERED,
    Kind.SHIPPING,
    Kind.GIFT,
}


def promotion_draft(*, spec: PromotionSpec) -> PromotionDraft:
    """The models `spec` makes, unsaved (a reused range excepted). Reads the
    database (for the range to reuse and free names) but writes nothing."""
    product_range = _target_range(spec)
    condition = _condition(spec, product_range)
    benefit = _benefit(spec, product_range)
    offer = ConditionalOffer(
        name=spec.name,
        description=spec.description,
        offer_type=spec.offer_type,
        condition=condition,
        benefit=benefit,
        start_datetime=spec.start_datetime,
        end_datetime=spec.end_datetime,
        valid_weekdays=sorted(spec.valid_weekdays),
        valid_from_time=spec.valid_from_time,
        valid_until_time=spec.valid_until_time,
        audience=spec.audience,
        max_global_applications=spec.max_global_applications,
        max_discount=spec.max_discount,
        max_user_applications=spec.max_user_applications,
        max_basket_applications=1 if spec.kind in ONCE_PER_BASKET else None,
        priority=spec.priority,
        exclusive=spec.exclusive,
    )
    voucher = None
    if spec.offer_type == ConditionalOffer.VOUCHER and spec.voucher_code:
        voucher = Voucher(
            name=spec.name,
            code=spec.voucher_code,
            usage=Voucher.MULTI_USE,
            start_datetime=spec.start_datetime or timezone.now(),
            end_datetime=spec.end_datetime,
        )
    return PromotionDraft(
        spec=spec,
        product_range=product_range,
        condition=condition,
        benefit=benefit,
        offer=offer,
        voucher=voucher,
    )


def promotion_validate(*, draft: PromotionDraft) -> None:
    """Check the draft with the models' own rules (`full_clean`: field limits,
    unique names, `Benefit.clean_tiered`, `ConditionalOffer.clean` for dates
    and hours...). Raises ValidationError keyed by the spec's field names: a
    model's error on a field the spec has no name for goes to the spec field
    that made the model."""
    kind = draft.spec.kind
    errors: dict[str, list] = {}
    checks = [
        (draft.product_range, {"name": "target"}, "target", ("slug",)),
        (draft.condition, {}, CONDITION_FIELD.get(kind, "spend"), ("range",)),
        (draft.benefit, {"range": "target"}, BENEFIT_FIELD[kind], ("range",)),
        (draft.offer, {}, "end_datetime", ("condition", "benefit", "slug")),
    ]
    if draft.voucher is not None:
        checks.append((draft.voucher, {"code": "voucher_code"}, "end_datetime", ()))
    for instance, renamed, default, exclude in checks:
        if instance.pk is not None:
            continue  # a range the promotion reuses, as it is
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                name = renamed.get(name, name)
                if name not in SPEC_FIELDS:
                    name = default
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def promotion_describe(*, draft: PromotionDraft) -> str:
    """The offer in plain words, as `offer_describe` will say it once saved."""
    return offer_describe(
        offer=draft.offer,
        customer_groups=draft.spec.customer_groups,
        voucher_codes=[draft.voucher.code] if draft.voucher else [],
    )


def promotion_create(*, spec: PromotionSpec) -> ConditionalOffer:
    """Save the promotion `spec` describes: range (unless reused), condition,
    benefit, offer and voucher, all or nothing."""
    draft = promotion_draft(spec=spec)
    promotion_validate(draft=draft)
    try:
        with transaction.atomic():
            _draft_save(draft)
    except IntegrityError as error:
        # Another promotion, range or voucher took the name or code meanwhile.
        raise ValidationError(
            _("A name or code was taken a moment ago; please save again.")
        ) from error
    return draft.offer


def _draft_save(draft: PromotionDraft) -> None:
    spec = draft.spec
    if draft.product_range.pk is None:
        draft.product_range.save()
        if spec.target == Target.CATEGORY:
            draft.product_range.included_categories.add(spec.category)
    draft.condition.save()
    draft.benefit.save()
    draft.offer.save()
    if spec.audience == ConditionalOffer.GROUPS:
        draft.offer.customer_groups.set(spec.customer_groups)
    if draft.voucher is not None:
        draft.voucher.save()
        draft.voucher.offers.add(draft.offer)


# --- The parts ---------------------------------------------------------------------


def _target_range(spec: PromotionSpec) -> Range:
    if spec.target == Target.RANGE and spec.product_range is not None:
        return spec.product_range
    if spec.target == Target.CATEGORY and spec.category is not None:
        return Range(name=_range_name_free(spec.category.name))
    if spec.target == Target.BRAND and spec.brand:
        return Range(name=_range_name_free(spec.brand), brand=spec.brand)
    whole_shop = (
        Range.objects.filter(
            includes_all_products=True,
            proxy_class__isnull=True,
            excluded_products__isnull=True,
            excluded_categories__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    return whole_shop or Range(
        name=_range_name_free(WHOLE_SHOP_RANGE_NAME), includes_all_products=True
    )


def _range_name_free(base: str) -> str:
    """`base`, or "base (2)", "base (3)"... whichever no range has yet: range
    names are unique."""
    base = base[:120]
    taken = set(
        Range.objects.filter(name__startswith=base).values_list("name", flat=True)
    )
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base} ({number})"
    return name


def _condition(spec: PromotionSpec, product_range: Range) -> Condition:
    if spec.kind in (Kind.SET_PRICE, Kind.MULTIBUY):
        return Condition(range=product_range, type=Condition.COUNT, value=spec.items)
    if spec.kind == Kind.TIERED:
        lowest = min((spend for spend, _discount in spec.tiers), default=None)
        return Condition(range=product_range, type=Condition.VALUE, value=lowest)
    if spec.spend:
        return Condition(range=product_range, type=Condition.VALUE, value=spec.spend)
    return Condition(range=product_range, type=Condition.COUNT, value=1)


def _benefit(spec: PromotionSpec, product_range: Range) -> Benefit:
    kind = spec.kind
    if kind == Kind.PERCENTAGE:
        return Benefit(range=product_range, type=Benefit.PERCENTAGE, value=spec.percent)
    if kind == Kind.AMOUNT:
        return Benefit(range=product_range, type=Benefit.FIXED, value=spec.amount)
    if kind == Kind.SET_PRICE:
        # Oscar's fixed price takes its items from the condition's range.
        return Benefit(type=Benefit.FIXED_PRICE, value=spec.set_price)
    if kind == Kind.MULTIBUY:
        return Benefit(range=product_range, type=Benefit.MULTIBUY)
    if kind == Kind.TIERED:
        return Benefit(
            range=product_range,
            type=Benefit.TIERED,
            tiers=[
                {"threshold": f"{spend:.2f}", "discount": f"{discount:.2f}"}
                for spend, discount in sorted(spec.tiers)
            ],
        )
    if kind == Kind.SHIPPING:
        if spec.shipping_deal == ShippingDeal.AMOUNT:
            return Benefit(type=Benefit.SHIPPING_ABSOLUTE, value=spec.amount)
        if spec.shipping_deal == ShippingDeal.PERCENT:
            return Benefit(type=Benefit.SHIPPING_PERCENTAGE, value=spec.percent)
        return Benefit(type=Benefit.SHIPPING_FIXED_PRICE, value=Decimal("0.00"))
    return Benefit(type=Benefit.FREE_GIFT, gift_product=spec.gift_product)
