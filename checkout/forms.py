from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout.forms import *  # noqa: F403 - Oscar's remaining forms
from oscar.apps.checkout.forms import GatewayForm as OscarGatewayForm


class GatewayForm(OscarGatewayForm):
    """Oscar's "who are you?" form. Its password is needed only by returning
    customers, which the server checks; a `required` attribute on it would stop
    the browser from sending a guest's choice at all."""

    use_required_attribute = False


class DemoCardForm(forms.Form):
    """The demo gateway's card field: test numbers only, nothing is charged."""

    number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        help_text=_(
            "Demo shop: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined, "
            "4000 0025 0000 3155 asks you to confirm."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "cc-number", "inputmode": "numeric"}
        ),
    )

    def clean_number(self):
        digits = "".join(filter(str.isdigit, self.cleaned_data["number"]))
        if not 12 <= len(digits) <= 19:
            raise forms.ValidationError(_("Enter a card number of 12 to 19 digits."))
        return digits

    def summary(self) -> str:
        return card_summary(self.cleaned_data["number"])


# Card brands by the number's first digits (the IIN ranges printed on cards).
CARD_BRANDS = (
    (("34", "37"), "American Express"),
    (tuple(str(n) for n in [*range(51, 56), *range(2221, 2721)]), "Mastercard"),
    (("6011", "65", *(str(n) for n in range(644, 650))), "Discover"),
    (("4",), "Visa"),
)


def card_summary(number: str) -> str:
    """How the preview names a card: its brand and last four digits."""
    brand = next(
        (name for prefixes, name in CARD_BRANDS if number.startswith(prefixes)),
        _("Card"),
    )
    return _("%(brand)s ending %(last4)s") % {"brand": brand, "last4": number[-4:]}
