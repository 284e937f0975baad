"""The "New promotion" form: one kind of promotion at a time, with only the
fields that kind needs, in the merchant's words (minimum spend, items in the
set, tiers) rather than Oscar's condition, benefit and range.

The form checks what a merchant can get wrong while typing (a negative
discount, a category not chosen, a malformed or taken voucher code), then
drafts the promotion and has the models check it too (`promotion_validate`),
so each message lands next to its field.
"""

import dataclasses

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from oscar.forms.widgets import RemoteSelect

from catalogue.models import Category
from dashboard.promotions.fields import (
    ABOVE_ZERO,
    TiersField,
    money_field,
    shop_time_field,
)
from dashboard.promotions.selectors import gift_products_buyable
from dashboard.promotions.services import (
    Kind,
    PromotionSpec,
    ShippingDeal,
    Target,
    promotion_draft,
    promotion_validate,
)
from offer.audiences import audience_groups_error
from offer.models import WEEKDAY_CHOICES, ConditionalOffer, CustomerGroup, Range
from offer.selectors import voucher_code_is_well_formed, voucher_code_normalise
from voucher.models import Voucher

COMMON_FIELDS = (
    "kind",
    "name",
    "description",
    "target",
    "category",
    "product_range",
    "brand",
    "offer_type",
    "voucher_code",
    "start_datetime",
    "end_datetime",
    "valid_weekdays",
    "valid_from_time",
    "valid_until_time",
    "audience",
    "customer_groups",
    "max_global_applications",
    "max_discount",
    "max_user_applications",
    "priority",
    "exclusive",
)
# The fields of the deal itself, and which of them the kind can't do without.
KIND_FIELDS = {
    Kind.PERCENTAGE: ("percent", "spend"),
    Kind.AMOUNT: ("amount", "spend"),
    Kind.SET_PRICE: ("items", "set_price"),
    Kind.MULTIBUY: ("items",),
    Kind.TIERED: ("tiers",),
    Kind.SHIPPING: ("shipping_deal", "amount", "percent", "spend"),
    Kind.GIFT: ("gift_product", "spend"),
}
KIND_REQUIRED = {
    Kind.PERCENTAGE: ("percent",),
    Kind.AMOUNT: ("amount",),
    Kind.SET_PRICE: ("items", "set_price"),
    Kind.MULTIBUY: ("items",),
    Kind.TIERED: ("tiers",),
    Kind.GIFT: ("gift_product",),
}
KIND_LABELS = {
    (Kind.SET_PRICE, "items"): _("Items in the set"),
    (Kind.MULTIBUY, "items"): _("Buy how many (the cheapest of them is free)"),
    (Kind.SHIPPING, "amount"): _("Amount off shipping"),
    (Kind.SHIPPING, "percent"): _("Percent off shipping"),
    (Kind.SHIPPING, "spend"): _("When the basket spends at least"),
    (Kind.GIFT, "spend"): _("When the basket spends at least"),
}
CHECK = {"class": "form-check-input"}


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{'— ' * (obj.depth - 1)}{obj.name}"


class PromotionForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Name"),
        max_length=128,
        help_text=_("Shown to shoppers in the basket, e.g. “3 for £20 on mugs”."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to shoppers on the offer's page."),
    )

    # On what
    target = forms.ChoiceField(
        label=_("On what"),
        choices=Target.choices,
        initial=Target.ALL,
        widget=forms.RadioSelect(attrs=CHECK),
    )
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.order_by("path"),
        required=False,
        help_text=_("With its subcategories."),
    )
    product_range = forms.ModelChoiceField(
        label=_("Product range"),
        queryset=Range.objects.order_by("name"),
        required=False,
    )
    brand = forms.CharField(
        label=_("Brand"),
        max_length=128,
        required=False,
        help_text=_("Every product whose Brand is this, in any case."),
    )

    # The deal
    percent = forms.DecimalField(
        label=_("Percent off"),
        max_digits=5,
        decimal_places=2,
        required=False,
        validators=[
            ABOVE_ZERO,
            MaxValueValidator(100, message=_("Can't be more than 100%%.")),
        ],
    )
    amount = money_field(label=_("Amount off"), required=False)
    spend = money_field(
        label=_("Minimum spend"),
        required=False,
        help_text=_("Leave empty for any basket."),
    )
    items = forms.IntegerField(
        label=_("Items"),
        min_value=1,
        required=False,
        error_messages={"min_value": _("Must be at least 1.")},
    )
    set_price = money_field(label=_("Price of the set"), required=False)
    tiers = TiersField(
        label=_("Tiers"),
        required=False,
        help_text=_("The highest tier the basket reaches gives its discount."),
    )
    shipping_deal = forms.ChoiceField(
        label=_("Shipping"),
        choices=ShippingDeal.choices,
        initial=ShippingDeal.FREE,
        widget=forms.RadioSelect(attrs=CHECK),
    )
    gift_product = forms.ModelChoiceField(
        label=_("Gift"),
        queryset=gift_products_buyable(),
        required=False,
        widget=RemoteSelect(
            lookup_url=reverse_lazy("dashboard:promotion-gift-lookup"),
            attrs={"class": "select2"},
        ),
        error_messages={
            "required": _("Choose the gift product"),
            "invalid_choice": _(
                "The gift must be a product a shopper can buy: in stock, not a parent"
            ),
        },
    )

    # Voucher
    offer_type = forms.ChoiceField(
        label=_("How shoppers get it"),
        choices=[
            (ConditionalOffer.SITE, _("Automatically, on every basket that qualifies")),
            (ConditionalOffer.VOUCHER, _("Only with a voucher code")),
        ],
        initial=ConditionalOffer.SITE,
        widget=forms.RadioSelect(attrs=CHECK),
    )
    voucher_code = forms.CharField(
        label=_("Voucher code"),
        max_length=128,
        required=False,
        help_text=_(
            "Letters, digits, dashes and underscores. Leave empty to add codes "
            "later under Vouchers."
        ),
    )

    # When
    start_datetime = shop_time_field(label=_("Starts"))
    end_datetime = shop_time_field(label=_("Ends"))
    valid_weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECK),
        help_text=_("None ticked: every day."),
    )
    valid_from_time = shop_time_field(label=_("Each day from"), of_day=True)
    valid_until_time = shop_time_field(label=_("Each day until"), of_day=True)

    # Who and how often
    audience = forms.ChoiceField(
        label=_("Who may use it"),
        choices=ConditionalOffer.AUDIENCE_CHOICES,
        initial=ConditionalOffer.EVERYONE,
        widget=forms.RadioSelect(attrs=CHECK),
    )
    customer_groups = forms.ModelMultipleChoiceField(
        label=_("Customer groups"),
        queryset=CustomerGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECK),
    )
    max_global_applications = forms.IntegerField(
        label=_("Total uses"),
        min_value=1,
        required=False,
        help_text=_("How many times it may be used in all. Empty: no limit."),
    )
    max_discount = money_field(
        label=_("Discount budget"),
        required=False,
        help_text=_("It stops once the discounts given reach this. Empty: no limit."),
    )
    max_user_applications = forms.IntegerField(
        label=_("Uses per customer"),
        min_value=1,
        required=False,
        help_text=_("Counted for signed-in customers. Empty: no limit."),
    )
    priority = forms.IntegerField(
        label=_("Priority"),
        initial=0,
        required=False,
        help_text=_("Offers with a higher priority are applied first."),
    )
    exclusive = forms.TypedChoiceField(
        label=_("With other offers"),
        choices=[
            ("exclusive", _("Exclusive: no other offer on the same items")),
            ("combines", _("Combines with other offers")),
        ],
        coerce=lambda value: value == "exclusive",
        initial="exclusive",
        widget=forms.RadioSelect(attrs=CHECK),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["kind"].initial = kind
        wanted = set(COMMON_FIELDS) | set(KIND_FIELDS[kind])
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        for name in KIND_REQUIRED.get(kind, ()):
            self.fields[name].required = self.fields[name].widget.is_required = True
        for (label_kind, name), label in KIND_LABELS.items():
            if label_kind == kind:
                self.fields[name].label = label
        self.spec: PromotionSpec | None = None
        self.draft = None

    def deal_fields(self) -> list[forms.BoundField]:
        """The fields of this kind's deal, in order, for the page."""
        return [self[name] for name in KIND_FIELDS[self.kind]]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if ConditionalOffer.objects.filter(name__iexact=name).exists():
            raise ValidationError(
                _("There is already an offer called “%(name)s”: choose another name.")
                % {"name": name}
            )
        return name

    def clean_voucher_code(self) -> str:
        code = voucher_code_normalise(self.cleaned_data["voucher_code"])
        if not code:
            return code
        if not voucher_code_is_well_formed(code):
            raise ValidationError(
                _(
                    "A code may hold only letters A to Z, digits, dashes and "
                    "underscores."
                )
            )
        if Voucher.objects.filter(code=code).exists():
            raise ValidationError(
                _("The code %(code)s is already in use.") % {"code": code}
            )
        return code

    def clean(self):
        data = super().clean()
        self._check_choices(data)
        if self.errors:
            return data
        self.spec = PromotionSpec(
            **{
                spec_field.name: _plain(data[spec_field.name])
                for spec_field in dataclasses.fields(PromotionSpec)
                if data.get(spec_field.name) is not None
            }
        )
        self.draft = promotion_draft(spec=self.spec)
        try:
            promotion_validate(draft=self.draft)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(
                    name if name in self.fields else NON_FIELD_ERRORS, messages
                )
        return data

    def _check_choices(self, data) -> None:
        """What each choice needs filled in."""
        target = data.get("target")
        for choice, name, message in (
            (Target.CATEGORY, "category", _("Choose the category.")),
            (Target.RANGE, "product_range", _("Choose the product range.")),
            (Target.BRAND, "brand", _("Enter the brand.")),
        ):
            if target == choice and not data.get(name):
                self.add_error(name, message)
        if self.kind == Kind.SHIPPING:
            deal = data.get("shipping_deal")
            if deal == ShippingDeal.AMOUNT and not data.get("amount"):
                self.add_error("amount", _("Enter the amount off shipping."))
            if deal == ShippingDeal.PERCENT and not data.get("percent"):
                self.add_error("percent", _("Enter the percent off shipping."))
        if self.kind == Kind.MULTIBUY and (data.get("items") or 2) < 2:
            self.add_error("items", _("Buy at least 2: one of them is free."))
        error = audience_groups_error(
            audience=data.get("audience"), groups=data.get("customer_groups")
        )
        if error:
            self.add_error("customer_groups", error)
        if data.get("voucher_code"):
            if data.get("offer_type") != ConditionalOffer.VOUCHER:
                self.add_error(
                    "voucher_code",
                    _("A code goes with an offer used “Only with a voucher code”."),
                )
            if not data.get("end_datetime"):
                self.add_error("end_datetime", _("A voucher code needs an end."))


def _plain(value):
    """A queryset of choices as a list, anything else as it is."""
    return list(value) if isinstance(value, QuerySet) else value
