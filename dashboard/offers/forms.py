"""The offer wizard's forms with what our offers add to Oscar's: days and
hours of validity, who may use an offer, tiered discounts and free gifts; and
the form for customer groups."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue.widgets import ProductSelect
from oscar.apps.dashboard.offers import forms as oscar_forms
from oscar.forms import widgets

from offer.audiences import audience_groups_error
from offer.models import WEEKDAY_CHOICES, Benefit, ConditionalOffer, CustomerGroup

TIER_LINE = re.compile(r"^\s*[£$€]?\s*([\d.,]+)\s*=\s*[£$€]?\s*([\d.,]+)\s*$")


class RestrictionsForm(oscar_forms.RestrictionsForm):
    valid_weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The days the offer runs on. None ticked: every day."),
    )
    valid_from_time = forms.TimeField(
        label=_("Daily from"),
        required=False,
        widget=widgets.TimePickerInput(format="%H:%M"),
        help_text=format_lazy(
            _("Each day it runs, the offer starts at this time ({tz})."),
            tz=settings.TIME_ZONE,
        ),
    )
    valid_until_time = forms.TimeField(
        label=_("Daily until"),
        required=False,
        widget=widgets.TimePickerInput(format="%H:%M"),
        help_text=format_lazy(
            _(
                "Each day it runs, the offer stops at this time ({tz}). Empty: "
                "midnight."
            ),
            tz=settings.TIME_ZONE,
        ),
    )

    class Meta(oscar_forms.RestrictionsForm.Meta):
        fields = (
            "start_datetime",
            "end_datetime",
            "valid_weekdays",
            "valid_from_time",
            "valid_until_time",
            "audience",
            "customer_groups",
            *oscar_forms.RestrictionsForm.Meta.fields[2:],
        )
        help_texts = {
            "customer_groups": _(
                'Only when "Who may use it" is members of customer groups.'
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out (an older form, a script): everyone, as before audiences.
        self.fields["audience"].required = False

    def limit_fields(self) -> list[forms.BoundField]:
        """Oscar's fields after the dates, shown under their own heading."""
        return [self[name] for name in oscar_forms.RestrictionsForm.Meta.fields[2:]]

    def clean_valid_weekdays(self) -> list[int]:
        return sorted(set(self.cleaned_data["valid_weekdays"]))

    def clean_audience(self) -> str:
        return self.cleaned_data["audience"] or ConditionalOffer.EVERYONE

    def clean(self):
        # Oscar's checks, reading fields that may have failed their own
        # validation (Oscar's raise KeyError then), plus the audience's.
        cleaned_data = forms.ModelForm.clean(self)
        start = cleaned_data.get("start_datetime")
        end = cleaned_data.get("end_datetime")
        if start and end and end < start:
            raise ValidationError(_("The end date must be after the start date"))
        if cleaned_data.get("exclusive") and cleaned_data.get("combinations"):
            raise ValidationError(_("Exclusive offers cannot be combined"))
        error = audience_groups_error(
            audience=cleaned_data.get("audience"),
            groups=cleaned_data.get("customer_groups"),
        )
        if error:
            self.add_error("customer_groups", error)
        return cleaned_data


class TiersField(forms.Field):
    """Tiers typed as lines of "spend = discount" ("50 = 5"), kept as the
    list of {"threshold", "discount"} the benefit stores, lowest spend first.
    It also takes that list back (the wizard keeps a step's answers as JSON
    between steps) and shows a stored list as lines again."""

    widget = forms.Textarea(attrs={"rows": 4, "placeholder": "50 = 5\n100 = 15"})

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, list):
            return value
        tiers = []
        for number, line in enumerate(str(value).splitlines(), start=1):
            if not line.strip():
                continue
            tiers.append(self._tier(number, line))
        return sorted(tiers, key=lambda tier: Decimal(tier["threshold"]))

    def _tier(self, number: int, line: str) -> dict[str, str]:
        match = TIER_LINE.match(line)
        try:
            if match is None:
                raise InvalidOperation
            threshold, discount = (
                Decimal(part.replace(",", "")).quantize(Decimal("0.01"))
                for part in match.groups()
            )
        except InvalidOperation:
            raise ValidationError(
                _(
                    'Line %(number)d ("%(line)s") is not a spend and a discount: '
                    'write it as "50 = 5" (spend 50, get 5 off).'
                ),
                params={"number": number, "line": line.strip()},
                code="tier",
            ) from None
        return {"threshold": str(threshold), "discount": str(discount)}

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                f"{tier.get('threshold')} = {tier.get('discount')}" for tier in value
            )
        return value


class BenefitForm(oscar_forms.BenefitForm):
    # Where Benefit.clean_tiered / clean_free_gift's errors are shown.
    ERRORS_NEXT_TO = {Benefit.TIERED: "tiers", Benefit.FREE_GIFT: "gift_product"}

    tiers = TiersField(
        label=_("Tiers (for tiered discounts)"),
        required=False,
        help_text=_(
            'One tier a line, "spend = discount": "50 = 5" takes 5 off once '
            "50 is spent on the range. The highest tier reached applies; make "
            "the offer's condition the lowest spend."
        ),
    )

    class Meta(oscar_forms.BenefitForm.Meta):
        fields = [*oscar_forms.BenefitForm.Meta.fields, "tiers", "gift_product"]
        labels = {"gift_product": _("Gift product (for free gifts)")}
        help_texts = {
            "gift_product": _(
                "Put in the basket free while the offer applies. Choose a "
                "product a shopper can buy (not a parent of variants)."
            ),
        }
        widgets = {"gift_product": ProductSelect}

    def clean(self):
        data = super().clean()
        # What belongs to another type is dropped, not kept out of sight; the
        # tiers or the gift are these types' value.
        benefit_type = data.get("type")
        if benefit_type != Benefit.TIERED:
            data["tiers"] = []
        if benefit_type != Benefit.FREE_GIFT:
            data["gift_product"] = None
        if benefit_type in (Benefit.TIERED, Benefit.FREE_GIFT):
            data["value"] = None
        return data

    def _update_errors(self, errors):
        # The model's checks for these types raise a plain list; show it by
        # the field the merchant has to change rather than above the form.
        # When the field itself was refused (a malformed line), the model
        # checked the value it had before, so its word would only confuse.
        field = self.ERRORS_NEXT_TO.get(self.cleaned_data.get("type"))
        if field and NON_FIELD_ERRORS in getattr(errors, "error_dict", {}):
            by_field = dict(errors.error_dict)
            model_errors = by_field.pop(NON_FIELD_ERRORS)
            if not self.has_error(field):
                by_field[field] = [*by_field.get(field, []), *model_errors]
            if not by_field:
                return
            errors = ValidationError(by_field)
        super()._update_errors(errors)


class CustomerGroupForm(forms.ModelForm):
    members = forms.CharField(
        label=_("Members"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "The customers' email addresses, one a line. Each must belong to a "
            "customer account; an address given twice counts once."
        ),
    )

    class Meta:
        model = CustomerGroup
        fields = ["name", "description"]

    def clean_members(self) -> list[str]:
        return self.cleaned_data["members"].splitlines()
