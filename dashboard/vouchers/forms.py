"""Oscar's voucher form, with the limit on how many orders may use a code."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.vouchers import forms as oscar_forms

from voucher.models import Voucher


class VoucherForm(oscar_forms.VoucherForm):
    # At least one: a code that can never be used is a mistake, not a limit.
    max_uses = forms.IntegerField(
        label=_("Maximum number of uses"),
        min_value=1,
        required=False,
        help_text=_(
            "For a code that can be used many times: how many orders in all may "
            "use it. Empty: no limit."
        ),
    )

    class Meta(oscar_forms.VoucherForm.Meta):
        fields = [*oscar_forms.VoucherForm.Meta.fields, "max_uses"]

    def clean(self):
        cleaned_data = super().clean()
        usage = cleaned_data.get("usage")
        if cleaned_data.get("max_uses") is not None and usage != Voucher.MULTI_USE:
            self.add_error(
                "max_uses",
                _(
                    "Only a code that can be used many times takes a limit on its "
                    "uses: a single-use or once-per-customer code has its own. "
                    "Clear the limit or change the usage."
                ),
            )
        return cleaned_data
