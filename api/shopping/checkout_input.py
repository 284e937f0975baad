"""What an API checkout sends: where to ship, how, who to tell, and how to pay;
checked by the website's own forms and shipping methods."""

from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError

from api.shopping.serializers import MONEY, StrictSerializer
from checkout.forms import DemoCardForm

ShippingAddressForm = get_class("checkout.forms", "ShippingAddressForm")
Repository = get_class("shipping.repository", "Repository")
Selector = get_class("partner.strategy", "Selector")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
UserAddress = get_model("address", "UserAddress")

ADDRESS_FIELDS = (
    "title first_name last_name line1 line2 line3 line4 state postcode country "
    "phone_number notes"
).split()


class AddressSerializer(StrictSerializer):
    first_name = serializers.CharField(max_length=255, required=False, default="")
    last_name = serializers.CharField(max_length=255)
    line1 = serializers.CharField(max_length=255)
    line2 = serializers.CharField(max_length=255, required=False, default="")
    line3 = serializers.CharField(max_length=255, required=False, default="")
    line4 = serializers.CharField(max_length=255, help_text="Town or city")
    state = serializers.CharField(max_length=255, required=False, default="")
    postcode = serializers.CharField(max_length=64)
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    phone_number = serializers.CharField(max_length=32, required=False, default="")
    notes = serializers.CharField(max_length=1000, required=False, default="")


class CheckoutSerializer(StrictSerializer):
    shipping_address = AddressSerializer(required=False)
    address_id = serializers.IntegerField(
        required=False, help_text="One of the signed-in customer's saved addresses"
    )
    shipping_method_code = serializers.CharField(max_length=128)
    email = serializers.EmailField(
        required=False, help_text="Guests: where the confirmation goes"
    )

    def validate(self, attrs):
        if ("shipping_address" in attrs) == ("address_id" in attrs):
            raise serializers.ValidationError(
                {"shipping_address": [_("Send either shipping_address or address_id.")]}
            )
        return attrs


class PaymentStartSerializer(CheckoutSerializer):
    gateway = serializers.ChoiceField(choices=["stripe", "paypal", "demo"])
    total = serializers.DecimalField(
        **MONEY,
        required=False,
        help_text="The total the shopper was shown; if it is no longer the "
        "total, nothing is charged and 409 price_changed answers.",
    )
    card_number = serializers.CharField(
        max_length=23, required=False, help_text="Demo gateway only: a test card"
    )
    return_url = serializers.URLField(
        required=False, help_text="PayPal: where PayPal sends the shopper back"
    )
    cancel_url = serializers.URLField(
        required=False, help_text="PayPal: where PayPal sends a shopper who cancels"
    )
    stripe_api_version = serializers.CharField(
        max_length=32, required=False, help_text="Stripe: the mobile SDK's API version"
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs["gateway"] == "demo":
            form = DemoCardForm(data={"number": attrs.get("card_number", "")})
            if not form.is_valid():
                raise serializers.ValidationError(
                    {"card_number": form.errors["number"]}
                )
            attrs["card_number"] = form.cleaned_data["number"]
        if attrs["gateway"] == "paypal" and not (
            attrs.get("return_url") and attrs.get("cancel_url")
        ):
            raise serializers.ValidationError(
                {"return_url": [_("PayPal needs return_url and cancel_url.")]}
            )
        return attrs


def shipping_address_unsaved(*, request, given: dict) -> ShippingAddress:
    """The order's shipping address from what was sent (checked by the website's
    address form: a country the shop ships to, a valid postcode) or from a
    saved address of the signed-in customer (another's answers 404)."""
    if "address_id" in given:
        user = request.user
        saved = (
            UserAddress.objects.filter(user=user, pk=given["address_id"]).first()
            if user.is_authenticated
            else None
        )
        if saved is None:
            raise NotFound(_("You have no saved address with this id."))
        address = ShippingAddress()
        saved.populate_alternative_model(address)
        return address
    country = given["shipping_address"]["country"].upper()
    if not Country.objects.filter(pk=country, is_shipping_country=True).exists():
        raise ValidationError(
            {"shipping_address.country": [_("The shop doesn't ship to %s.") % country]}
        )
    form = ShippingAddressForm(data={**given["shipping_address"], "country": country})
    if not form.is_valid():
        raise ValidationError(
            {
                f"shipping_address.{name}": messages
                for name, messages in form.errors.items()
            }
        )
    return form.save(commit=False)


def shipping_method_chosen(*, basket, address, code: str):
    for method in Repository().get_shipping_methods(
        basket=basket, shipping_addr=address
    ):
        if method.code == code:
            return method
    raise ValidationError(
        {
            "shipping_method_code": [
                _("That shipping method is not available for this address.")
            ]
        }
    )


def basket_for_destination(*, request, basket, address) -> None:
    """Price the basket for where it goes (tax by destination), as the payment
    services will."""
    basket.strategy = Selector().strategy(
        request=request._request,
        user=request.user if request.user.is_authenticated else None,
        country=address.country_id if address is not None else None,
    )


def guest_email(*, request, given: dict) -> str:
    if request.user.is_authenticated:
        return ""
    if not given.get("email"):
        raise ValidationError({"email": [_("Guests give an email address.")]})
    return given["email"]
