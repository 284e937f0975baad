"""Form fields of the promotion page that Django has no ready-made kind of:
amounts above zero, the shop's times picked by the browser, and rows of tiers."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

TIER_ROWS = 4
SHOP_TIME = format_lazy(_("Shop time ({zone})."), zone=settings.TIME_ZONE)
ABOVE_ZERO = MinValueValidator(Decimal("0.01"), message=_("Must be more than zero."))


def money_field(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        max_digits=12, decimal_places=2, validators=[ABOVE_ZERO], **kwargs
    )


def shop_time_field(*, label: str, of_day: bool = False) -> forms.Field:
    """A date and time, or with `of_day` a time of day, read in the shop's time
    zone; the browser's own pickers (no script) fill it in."""
    if of_day:
        field, widget = (
            forms.TimeField,
            forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        )
    else:
        field, widget = (
            forms.DateTimeField,
            forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        )
    return field(label=label, required=False, widget=widget, help_text=SHOP_TIME)


class TiersWidget(forms.MultiWidget):
    """Rows of (spend at least, discount) inputs, one after the other: the
    page lays them out two to a row."""

    def __init__(self, *, rows: int, attrs=None):
        pair = (
            forms.NumberInput(attrs={"step": "0.01", "placeholder": _("Spend")}),
            forms.NumberInput(attrs={"step": "0.01", "placeholder": _("Discount")}),
        )
        super().__init__([widget for _row in range(rows) for widget in pair], attrs)

    def decompress(self, value):
        flat = [amount for tier in value or [] for amount in tier]
        return flat + [None] * (len(self.widgets) - len(flat))


class TiersField(forms.MultiValueField):
    """Spend thresholds with their discounts: [(50, 5), (100, 15)]. Empty rows
    are skipped."""

    def __init__(self, *, rows: int = TIER_ROWS, **kwargs):
        fields = [money_field(required=False) for _cell in range(rows * 2)]
        super().__init__(
            fields,
            require_all_fields=False,
            widget=TiersWidget(rows=rows),
            error_messages={"required": _("Enter at least one tier.")},
            **kwargs,
        )

    def compress(self, data_list) -> list[tuple[Decimal, Decimal]]:
        tiers = []
        for spend, discount in zip(data_list[0::2], data_list[1::2], strict=True):
            if spend is None and discount is None:
                continue
            if spend is None or discount is None:
                raise ValidationError(_("Each tier needs a spend and a discount."))
            tiers.append((spend, discount))
        return tiers
