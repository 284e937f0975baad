"""Checkout over the API: shipping methods and a priced quote for an address,
then the payment, started and settled through the same payment services as the
website's checkout (payment.services), which place the order through
payment.ordering and so checkout.services.order_place.

- Stripe: the answer carries what a mobile app's Payment Sheet needs (the
  PaymentIntent's client secret, a customer and its ephemeral key, the
  publishable key); once the sheet is done the app asks `confirm`, which asks
  Stripe how it went and places the order (the webhook may have got there
  first: one order either way).
- PayPal: the answer carries the approval URL; after the shopper approved,
  `confirm` captures it and places the order.
- Demo gateway (test cards): it pays at once and the order is placed, or it asks
  the shopper to confirm (`confirm` with approved true or false).
"""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from oscar.core.loading import get_class, get_model
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from api.shopping.basket_views import TOKEN_PARAMETER, api_basket
from api.shopping.baskets import BASKET_TOKEN_HEADER, basket_id_from_token
from api.shopping.checkout_input import (
    CheckoutSerializer,
    PaymentStartSerializer,
    basket_for_destination,
    guest_email,
    shipping_address_unsaved,
    shipping_method_chosen,
)
from api.shopping.errors import (
    GatewayUnavailable,
    OutOfStock,
    PriceChangedError,
    VoucherNotAvailable,
)
from api.shopping.serializers import MONEY, StrictSerializer
from checkout.pricing import PriceChanged, checkout_price
from checkout.services import VoucherUnavailable
from partner.services import StockUnavailable
from payment.gateways import GatewayError, checkout_gateway, paypal_enabled, stripe_api
from payment.gateways.paypal import PayPalGateway
from payment.models import Payment
from payment.ordering import PaymentRefunded, payment_order_place
from payment.services import payment_confirm, payment_refresh, payment_start

Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
Repository = get_class("shipping.repository", "Repository")

ERRORS = {
    400: OpenApiResponse(description="Bad input"),
    404: OpenApiResponse(description="No such basket, address or payment"),
    409: OpenApiResponse(
        description="Out of stock, voucher used up, price changed, or the "
        "basket is being paid for (nothing charged)"
    ),
    422: OpenApiResponse(description="Idempotency-Key reused with another body"),
    503: OpenApiResponse(description="The payment provider can't be reached"),
}


class ShippingMethodSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    charge_excl_tax = serializers.DecimalField(**MONEY, allow_null=True)
    charge_incl_tax = serializers.DecimalField(**MONEY, allow_null=True)
    currency = serializers.CharField(
        allow_null=True, help_text="null while the basket is empty."
    )


class QuoteSerializer(serializers.Serializer):
    currency = serializers.CharField()
    lines_incl_tax = serializers.DecimalField(**MONEY)
    discount = serializers.DecimalField(**MONEY)
    shipping_incl_tax = serializers.DecimalField(**MONEY)
    tax = serializers.DecimalField(**MONEY, allow_null=True)
    total_excl_tax = serializers.DecimalField(**MONEY)
    total_incl_tax = serializers.DecimalField(**MONEY)


class OrderSummarySerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    total_incl_tax = serializers.DecimalField(**MONEY)
    currency = serializers.CharField()


class StripeSheetSerializer(serializers.Serializer):
    payment_intent_client_secret = serializers.CharField()
    customer = serializers.CharField()
    ephemeral_key = serializers.CharField()
    publishable_key = serializers.CharField()


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    gateway = serializers.CharField()
    status = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    currency = serializers.CharField()
    message = serializers.CharField(allow_blank=True)
    approval_url = serializers.CharField(allow_null=True)
    stripe = StripeSheetSerializer(allow_null=True)
    order = OrderSummarySerializer(allow_null=True)


class ConfirmSerializer(StrictSerializer):
    approved = serializers.BooleanField(
        required=False, help_text="Demo gateway: the shopper's answer"
    )


class ShippingMethodsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            TOKEN_PARAMETER,
            OpenApiParameter("country", str, description="ISO code to ship to"),
        ],
        responses={200: ShippingMethodSerializer(many=True), **ERRORS},
        summary="The shipping methods for the basket, with their charges",
    )
    def get(self, request):
        code = (request.query_params.get("country") or settings.SHOP_COUNTRY).upper()
        country = Country.objects.filter(pk=code, is_shipping_country=True).first()
        if country is None:
            raise ValidationError({"country": [_("The shop doesn't ship there.")]})
        basket = api_basket(request)
        address = ShippingAddress(country=country)
        basket_for_destination(request=request, basket=basket, address=address)
        methods = Repository().get_shipping_methods(
            basket=basket, shipping_addr=address
        )
        return Response(
            ShippingMethodSerializer(
                [_method_data(method, basket) for method in methods], many=True
            ).data
        )


class QuoteView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=CheckoutSerializer,
        parameters=[TOKEN_PARAMETER],
        responses={200: QuoteSerializer, **ERRORS},
        summary="The order's total for this address and shipping method",
    )
    def post(self, request):
        given = CheckoutSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        basket = api_basket(request)
        if basket.is_empty:
            raise ValidationError({"basket": [_("The basket is empty.")]})
        address = shipping_address_unsaved(request=request, given=given.validated_data)
        basket_for_destination(request=request, basket=basket, address=address)
        method = shipping_method_chosen(
            basket=basket,
            address=address,
            code=given.validated_data["shipping_method_code"],
        )
        user = request.user if request.user.is_authenticated else None
        price = checkout_price(basket=basket, shipping_method=method, user=user)
        return Response(
            QuoteSerializer(
                {
                    "currency": price.total.currency,
                    "lines_incl_tax": basket.total_incl_tax_excl_discounts,
                    "discount": basket.total_discount,
                    "shipping_incl_tax": price.shipping_charge.incl_tax,
                    "tax": price.total.tax if price.total.is_tax_known else None,
                    "total_excl_tax": price.total.excl_tax,
                    "total_incl_tax": price.total.incl_tax,
                }
            ).data
        )


class PaymentListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=PaymentStartSerializer,
        parameters=[TOKEN_PARAMETER, IDEMPOTENCY_PARAMETER],
        responses={201: PaymentSerializer, **ERRORS},
        summary="Start paying for the basket (one charge however often it is sent)",
    )
    @idempotent
    def post(self, request):
        given = PaymentStartSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        gateway = _gateway(data["gateway"])
        basket = api_basket(request)
        if basket.is_empty:
            raise ValidationError({"basket": [_("The basket is empty.")]})
        address = shipping_address_unsaved(request=request, given=data)
        basket_for_destination(request=request, basket=basket, address=address)
        method = shipping_method_chosen(
            basket=basket, address=address, code=data["shipping_method_code"]
        )
        email = guest_email(request=request, given=data)
        user = request.user if request.user.is_authenticated else None
        details = _gateway_details(data, email=email or getattr(user, "email", ""))
        address.save()
        checkout = {
            "shipping_address_id": address.pk,
            "shipping_method_code": method.code,
            "guest_email": email,
            "user_id": user.pk if user else None,
        }
        try:
            payment = payment_start(
                basket_id=basket.pk,
                gateway=gateway,
                checkout=checkout,
                details=details,
                shown_total=data.get("total"),
            )
        except PriceChanged as exc:
            raise PriceChangedError(str(exc)) from exc
        except StockUnavailable as exc:
            raise OutOfStock(str(exc)) from exc
        except VoucherUnavailable as exc:
            raise VoucherNotAvailable(str(exc)) from exc
        except GatewayError as exc:
            raise GatewayUnavailable() from exc
        return Response(_payment_answer(payment, details=details), status=201)


class PaymentDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[TOKEN_PARAMETER],
        responses={200: PaymentSerializer, **ERRORS},
        summary="How a payment stands, and its order once placed",
    )
    def get(self, request, payment_id: int):
        return Response(_payment_answer(_payment_of(request, payment_id)))


class PaymentConfirmView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=ConfirmSerializer,
        parameters=[TOKEN_PARAMETER, IDEMPOTENCY_PARAMETER],
        responses={200: PaymentSerializer, **ERRORS},
        summary="Settle a payment the shopper finished (Payment Sheet, PayPal "
        "approval, demo confirmation) and place its order",
    )
    @idempotent
    def post(self, request, payment_id: int):
        given = ConfirmSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        payment = _payment_of(request, payment_id)
        try:
            if payment.gateway == "stripe":
                payment = payment_refresh(payment_id=payment.pk)
            elif payment.is_open:
                approved = given.validated_data.get("approved", True)
                payment = payment_confirm(
                    payment_id=payment.pk, details={"approved": approved}
                )
        except GatewayError as exc:
            raise GatewayUnavailable() from exc
        return Response(_payment_answer(payment))


def _gateway(name: str):
    card = checkout_gateway()
    if name == "paypal" and paypal_enabled():
        return PayPalGateway()
    if card is not None and card.name == name:
        return card
    raise ValidationError(
        {
            "gateway": [
                _("The shop doesn't take payments with %(name)s.") % {"name": name}
            ]
        }
    )


def _gateway_details(data: dict, *, email: str) -> dict:
    if data["gateway"] == "demo":
        return {"card_number": data["card_number"]}
    if data["gateway"] == "paypal":
        return {"return_url": data["return_url"], "cancel_url": data["cancel_url"]}
    try:
        customer = stripe_api.customer_create(email=email, metadata={"channel": "api"})
    except GatewayError as exc:
        raise GatewayUnavailable() from exc
    return {"customer": customer, "api_version": data.get("stripe_api_version", "")}


def _payment_of(request, payment_id: int) -> Payment:
    """The payment, if it pays for this client's basket (else 404)."""
    payment = Payment.objects.filter(pk=payment_id).select_related("order").first()
    user = request.user
    if payment is not None and user.is_authenticated:
        mine = payment.checkout.get("user_id") == user.pk
    elif payment is not None:
        token = request.headers.get(BASKET_TOKEN_HEADER)
        mine = basket_id_from_token(token) == payment.basket_id
    if payment is None or not mine:
        raise NotFound(_("There is no such payment."))
    return payment


def _payment_answer(payment: Payment, *, details: dict | None = None) -> dict:
    """The payment as PaymentSerializer shows it; a succeeded payment's order is
    placed here if nothing placed it yet."""
    order = payment.order if payment.order_id else None
    message = payment.message
    if payment.status == Payment.SUCCEEDED and order is None:
        try:
            order = payment_order_place(payment_id=payment.pk)
        except PaymentRefunded as exc:
            payment.refresh_from_db()
            message = _("%(reason)s Your payment has been refunded in full.") % {
                "reason": exc
            }
    sheet = None
    if payment.gateway == "stripe" and payment.is_open and details is not None:
        try:
            sheet = stripe_api.payment_sheet(
                reference=payment.reference,
                customer=details.get("customer", ""),
                api_version=details.get("api_version", ""),
            )
        except GatewayError as exc:
            raise GatewayUnavailable() from exc
    return PaymentSerializer(
        {
            "id": payment.pk,
            "gateway": payment.gateway,
            "status": payment.status,
            "amount": payment.amount,
            "currency": payment.currency,
            "message": message,
            "approval_url": (payment.action_url or None)
            if payment.gateway == "paypal"
            else None,
            "stripe": sheet,
            "order": {
                "number": order.number,
                "status": order.status,
                "total_incl_tax": order.total_incl_tax,
                "currency": order.currency,
            }
            if order is not None
            else None,
        }
    ).data


def _method_data(method, basket) -> dict:
    charge = method.calculate(basket)
    return {
        "code": method.code,
        "name": method.name,
        "description": getattr(method, "description", "") or "",
        "charge_excl_tax": charge.excl_tax,
        "charge_incl_tax": charge.incl_tax if charge.is_tax_known else None,
        "currency": charge.currency,
    }
