"""The shopper's return request form: how many of each line to send back and
why, and a note. It only reads what was posted; what may be returned (shipped,
within the window, never more than bought) is order.returns' to decide."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from order.models import ReturnLine
from order.returns import ReturnLineRequest


@dataclass(frozen=True)
class ReturnRow:
    """One line of the order as the form shows it."""

    line: object
    returnable: int
    quantity: forms.BoundField
    reason: forms.BoundField


class ReturnRequestForm(forms.Form):
    note = forms.CharField(
        label=_("Anything else we should know?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, lines: list, returnable: dict[int, int], **kwargs):
        """A quantity and a reason for each of the order's `lines`; `returnable`
        (order.selectors.returnable_quantities) only sets the most the page
        offers, so a line that can't be returned any more is still read and
        refused by the service with its reason, never silently dropped."""
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.returnable = returnable
        for line in self.lines:
            most = returnable.get(line.pk, 0)
            self.fields[f"quantity_{line.pk}"] = forms.IntegerField(
                label=_("How many of “%(title)s” to return") % {"title": line.title},
                min_value=0,
                initial=0,
                required=False,
                widget=forms.NumberInput(attrs={"max": most, "min": 0}),
            )
            self.fields[f"reason_{line.pk}"] = forms.ChoiceField(
                label=_("Why are you returning “%(title)s”?") % {"title": line.title},
                choices=[("", _("Choose a reason"))] + ReturnLine.REASONS,
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        for line in self.lines:
            if cleaned.get(f"quantity_{line.pk}") and not cleaned.get(
                f"reason_{line.pk}"
            ):
                self.add_error(
                    f"reason_{line.pk}",
                    _("Tell us why you are returning “%(title)s”.")
                    % {"title": line.title},
                )
        return cleaned

    @property
    def rows(self) -> list[ReturnRow]:
        return [
            ReturnRow(
                line=line,
                returnable=self.returnable.get(line.pk, 0),
                quantity=self[f"quantity_{line.pk}"],
                reason=self[f"reason_{line.pk}"],
            )
            for line in self.lines
        ]

    def line_requests(self) -> list[ReturnLineRequest]:
        """The lines asked for, as order.returns.return_request_create takes
        them (lines left at zero are left out)."""
        return [
            ReturnLineRequest(
                line_id=line.pk,
                quantity=self.cleaned_data[f"quantity_{line.pk}"],
                reason=self.cleaned_data[f"reason_{line.pk}"],
            )
            for line in self.lines
            if self.cleaned_data.get(f"quantity_{line.pk}")
        ]
