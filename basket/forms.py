"""Oscar's basket forms; the add-to-basket form skips the options query for the
products that have none (most), which Product.has_options already knows."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket.forms import *  # noqa: F403 - Oscar's remaining forms
from oscar.apps.basket.forms import AddToBasketForm as OscarAddToBasketForm

from offer.selectors import voucher_code_is_well_formed, voucher_code_normalise

VOUCHER_CODE_MAX_LENGTH = 128  # Oscar's Voucher.code


class AddToBasketForm(OscarAddToBasketForm):
    def cleaned_options(self):
        if not self.parent_product.has_options:
            return []
        return super().cleaned_options()


class SimpleAddToBasketForm(SimpleAddToBasketMixin, AddToBasketForm):  # noqa: F405
    pass


class BasketVoucherForm(forms.Form):
    """A voucher code as shoppers type it: any case, with spaces, full-width
    characters folded; too long or not made of code characters is refused with
    a message (and nothing looked up)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=VOUCHER_CODE_MAX_LENGTH * 4,  # room for spaces, then checked
        error_messages={
            "required": _("Please enter a voucher code."),
            "max_length": _("That is too long to be a voucher code."),
        },
    )

    def clean_code(self):
        code = voucher_code_normalise(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Please enter a voucher code."))
        if len(code) > VOUCHER_CODE_MAX_LENGTH:
            raise forms.ValidationError(_("That is too long to be a voucher code."))
        if not voucher_code_is_well_formed(code):
            raise forms.ValidationError(
                _(
                    "Voucher codes are made of letters A to Z, digits and dashes; "
                    "please check the code."
                )
            )
        return code
