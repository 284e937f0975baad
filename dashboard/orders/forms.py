"""The order dashboard's forms: they turn what the merchant typed into the
arguments of one order service; the service decides whether it can be done."""

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from order import states


def _choices(blank, pairs):
    return [("", blank), *pairs]


class OrderFilterForm(forms.Form):
    """The order list's filters; every field may be left empty."""

    q = forms.CharField(
        required=False,
        max_length=254,
        label=_("Order number or email"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        required=False,
        label=_("Status"),
        choices=_choices(_("Any status"), [(s, s) for s in states.ORDER_TRANSITIONS]),
    )
    payment_state = forms.ChoiceField(
        required=False,
        label=_("Payment"),
        choices=_choices(_("Any payment"), states.PAYMENT_STATES),
    )
    fulfilment_state = forms.ChoiceField(
        required=False,
        label=_("Fulfilment"),
        choices=_choices(_("Any fulfilment"), states.FULFILMENT_STATES),
    )
    date_from = forms.DateField(
        required=False,
        label=_("Placed from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        required=False,
        label=_("Placed to"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("date_from")
            and data.get("date_to")
            and data["date_from"] > data["date_to"]
        ):
            raise forms.ValidationError(
                _("“Placed from” must be on or before “Placed to”.")
            )
        return data

    def filters(self) -> dict:
        """The filters to apply: the valid, non-empty fields (none when the
        form is invalid, so a bad date shows every order and the error)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class NoteForm(forms.Form):
    message = forms.CharField(
        label=_("Note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("A note needs some text.")},
    )
    customer_visible = forms.BooleanField(
        label=_("Show it to the shopper on their order page"), required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the order is cancelled.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_cancel_%s")
        super().__init__(*args, **kwargs)


def _quantity_field(line, *, initial: int, maximum: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=line.title,
        min_value=0,
        initial=initial,
        required=False,
        widget=forms.NumberInput(
            attrs={"min": 0, "max": maximum, "class": "form-control form-control-sm"}
        ),
    )


class LineQuantitiesMixin:
    """One quantity field per order line (`<prefix>_<line id>`), read back as
    {line_id: quantity} for the lines given more than zero."""

    prefix_name = "qty"

    def add_line_fields(self, lines, *, initial: dict, maximum: dict):
        self.line_fields = []
        for line in lines:
            name = f"{self.prefix_name}_{line.pk}"
            self.fields[name] = _quantity_field(
                line,
                initial=initial.get(line.pk, 0),
                maximum=maximum.get(line.pk, line.quantity),
            )
            self.line_fields.append((line, name))

    def line_rows(self) -> list[tuple]:
        """(line, its bound quantity field), for the template."""
        return [(line, self[name]) for line, name in self.line_fields]

    def line_quantities(self) -> dict[int, int]:
        return {
            line.pk: self.cleaned_data[name]
            for line, name in self.line_fields
            if self.cleaned_data.get(name)
        }


def money_field(label) -> forms.DecimalField:
    """An optional amount of money, never negative, in whole pence."""
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        decimal_places=2,
        max_digits=12,
    )


class RefundForm(LineQuantitiesMixin, forms.Form):
    """Lines and quantities, an extra amount and shipping to refund. The key is
    made when the form is drawn, so submitting the same form twice refunds once
    (order.refunds.order_refund)."""

    prefix_name = "refund"

    key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    amount = money_field(_("Extra amount"))
    shipping = money_field(_("Shipping"))
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def __init__(self, *args, lines=(), refundable: dict | None = None, **kwargs):
        kwargs.setdefault("initial", {"key": f"refund-{uuid.uuid4().hex}"})
        kwargs.setdefault("auto_id", "id_refund_%s")
        super().__init__(*args, **kwargs)
        if refundable is not None:
            # Drawn for the page: lines with nothing left to refund are left out.
            lines = [line for line in lines if refundable.get(line.pk)]
        self.add_line_fields(lines, initial={}, maximum=refundable or {})


class ShipmentForm(LineQuantitiesMixin, forms.Form):
    """What goes in one parcel: quantities per line (all that is left to ship
    unless changed), the carrier and its tracking number."""

    prefix_name = "ship"

    carrier = forms.ChoiceField(label=_("Carrier"), required=False)
    tracking_number = forms.CharField(
        label=_("Tracking number"), max_length=128, required=False
    )

    def __init__(
        self, *args, lines=(), to_ship: dict | None = None, carriers=(), **kwargs
    ):
        kwargs.setdefault("auto_id", "id_ship_%s")
        super().__init__(*args, **kwargs)
        to_ship = to_ship or {}
        self.fields["carrier"].choices = [("", _("No carrier")), *carriers]
        self.add_line_fields(
            [line for line in lines if to_ship.get(line.pk)],
            initial=to_ship,
            maximum=to_ship,
        )


def return_prefix(return_id: int, step: str) -> str:
    """The fields' prefix of one return's step: a page shows several returns,
    each with a form per step."""
    return f"return{return_id}-{step}"


class ReturnApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the shopper"),
        help_text=_("Where to send the goods, say."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnRejectForm(forms.Form):
    note = forms.CharField(
        label=_("Why"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the return is rejected.")},
    )


class ReturnReceiveForm(forms.Form):
    restock = forms.TypedChoiceField(
        label=_("Put back in stock"),
        choices=[("yes", _("Yes, back in stock")), ("no", _("No, write off"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the goods go back in stock.")},
    )


class ReturnRefundForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    shipping = money_field(_("Shipping"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"key": f"return-refund-{uuid.uuid4().hex}"})
        super().__init__(*args, **kwargs)
