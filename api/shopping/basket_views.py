"""The basket over the API: made for an anonymous client (which keeps its token)
or the signed-in customer's own, with lines, vouchers and the totals after
offers, through the same forms and services as the website's basket."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from oscar.apps.basket.signals import basket_addition, voucher_addition
from oscar.core.loading import get_class, get_model
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from api.shopping.baskets import (
    BASKET_TOKEN_HEADER,
    basket_for_user,
    basket_from_token,
    basket_token_for,
)
from api.shopping.errors import BasketLocked
from api.shopping.serializers import (
    BasketCreatedSerializer,
    BasketSerializer,
    LineAddSerializer,
    LineChangeSerializer,
    VoucherAddSerializer,
    basket_shown,
)
from basket.forms import AddToBasketForm, BasketLineForm, BasketVoucherForm
from basket.services import basket_voucher_remove, basket_voucher_try
from offer.selectors import voucher_refusal
from offer.services import basket_offers_price

Basket = get_model("basket", "Basket")
Voucher = get_model("voucher", "Voucher")
Selector = get_class("partner.strategy", "Selector")

TOKEN_PARAMETER = OpenApiParameter(
    BASKET_TOKEN_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="An anonymous client's basket token (from POST /basket/); "
    "signed-in customers use their own basket and need none.",
)
ERRORS = {
    400: OpenApiResponse(description="Bad input, or no basket token sent"),
    404: OpenApiResponse(description="No such basket, line, product or voucher"),
    409: OpenApiResponse(description="The basket is being paid for"),
    422: OpenApiResponse(description="Idempotency-Key reused with another body"),
}


def api_basket(request, *, editable: bool = False) -> Basket:
    """The basket this request works on, priced for the shopper: the signed-in
    customer's open basket, or the one the basket token names."""
    user = request.user
    if user.is_authenticated:
        basket = basket_for_user(user)
    else:
        token = request.headers.get(BASKET_TOKEN_HEADER)
        if not token:
            raise ValidationError(
                {
                    BASKET_TOKEN_HEADER: [
                        _(
                            "Send the basket token from POST /api/v1/basket/ in "
                            "the X-Basket-Token header, or sign in."
                        )
                    ]
                }
            )
        basket = basket_from_token(token)
        if basket is None:
            raise NotFound(
                _("No open basket has this token: it was ordered, or it expired.")
            )
    if editable and not basket.can_be_edited:
        raise BasketLocked()
    basket.strategy = Selector().strategy(request=request._request, user=user)
    return basket


def basket_priced(request, basket) -> dict:
    # Pricing forgets any offers applied before; the lines read stay.
    basket_offers_price(basket=basket, user=request.user, request=request._request)
    return basket_shown(basket)


class BasketView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[TOKEN_PARAMETER],
        responses={200: BasketSerializer, **ERRORS},
        summary="The basket, its lines, vouchers and totals after offers",
    )
    def get(self, request):
        return Response(basket_priced(request, api_basket(request)))

    @extend_schema(
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: BasketCreatedSerializer, 200: BasketCreatedSerializer},
        summary="Start a basket (anonymous) or get the customer's own",
    )
    @idempotent
    def post(self, request):
        if request.user.is_authenticated:
            basket = api_basket(request)
            return Response({"token": None, "basket": basket_priced(request, basket)})
        basket = Basket.objects.create()
        basket.strategy = Selector().strategy(request=request._request)
        return Response(
            {
                "token": basket_token_for(basket),
                "basket": basket_priced(request, basket),
            },
            status=status.HTTP_201_CREATED,
        )


class LineListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=LineAddSerializer,
        parameters=[TOKEN_PARAMETER, IDEMPOTENCY_PARAMETER],
        responses={201: BasketSerializer, **ERRORS},
        summary="Add a product to the basket",
    )
    @idempotent
    def post(self, request):
        given = LineAddSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        basket = api_basket(request, editable=True)
        # Read once, with the product: the form's checks and the pricing after
        # the addition share the lines.
        product = basket.lines_read_with_product(given.validated_data["product_id"])
        if product is None:
            raise NotFound(_("There is no such product."))
        if product.is_parent:
            raise ValidationError(
                {"product_id": [_("Choose one of this product's variants.")]}
            )
        form = AddToBasketForm(
            basket, product, data={"quantity": given.validated_data["quantity"]}
        )
        if not form.is_valid():
            raise ValidationError(
                _form_errors(form, {"quantity": "quantity", "__all__": "quantity"})
            )
        basket.add_product(product, form.cleaned_data["quantity"], [])
        basket_addition.send(
            sender=self, product=product, user=request.user, request=request._request
        )
        return Response(basket_priced(request, basket), status=status.HTTP_201_CREATED)


class LineDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=LineChangeSerializer,
        parameters=[TOKEN_PARAMETER, IDEMPOTENCY_PARAMETER],
        responses={200: BasketSerializer, **ERRORS},
        summary="Change a line's quantity (0 takes it off)",
    )
    @idempotent
    def patch(self, request, line_id: int):
        given = LineChangeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        basket = api_basket(request, editable=True)
        line = _line(basket, line_id)
        quantity = given.validated_data["quantity"]
        if quantity == 0:
            line.delete()
        else:
            form = BasketLineForm(
                basket.strategy, instance=line, data={"quantity": quantity}
            )
            if not form.is_valid():
                raise ValidationError(
                    _form_errors(form, {"quantity": "quantity", "__all__": "quantity"})
                )
            form.save()
        basket = api_basket(request)
        return Response(basket_priced(request, basket))

    @extend_schema(
        parameters=[TOKEN_PARAMETER, IDEMPOTENCY_PARAMETER],
        responses={200: BasketSerializer, **ERRORS},
        summary="Take a line off the basket",
    )
    @idempotent
    def delete(self, request, line_id: int):
        basket = api_basket(request, editable=True)
        _line(basket, line_id).delete()
        return Response(basket_priced(request, api_basket(request)))


class VoucherListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=VoucherAddSerializer,
        parameters=[TOKEN_PARAMETER, IDEMPOTENCY_PARAMETER],
        responses={201: BasketSerializer, **ERRORS},
        summary="Apply a voucher code",
    )
    @idempotent
    def post(self, request):
        given = VoucherAddSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        form = BasketVoucherForm(data={"code": given.validated_data["code"]})
        if not form.is_valid():
            raise ValidationError(_form_errors(form, {"code": "code"}))
        code = form.cleaned_data["code"]
        basket = api_basket(request, editable=True)
        if basket.is_empty:
            raise ValidationError(
                {"code": [_("Add something to your basket first, then the voucher.")]}
            )
        voucher = Voucher.objects.filter(code=code).first()
        if voucher is None:
            raise NotFound(
                _("There is no voucher with the code %(code)s.") % {"code": code}
            )
        if basket.contains_voucher(code):
            raise ValidationError(
                {
                    "code": [
                        _("The voucher %(code)s is already in your basket.")
                        % {"code": code}
                    ]
                }
            )
        refusal = voucher_refusal(voucher=voucher, user=request.user)
        refusal = refusal or basket_voucher_try(
            basket=basket, voucher=voucher, user=request.user, request=request._request
        )
        if refusal:
            raise ValidationError({"code": [refusal]})
        voucher_addition.send(sender=self, basket=basket, voucher=voucher)
        return Response(basket_shown(basket), status=201)


class VoucherDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[TOKEN_PARAMETER, IDEMPOTENCY_PARAMETER],
        responses={200: BasketSerializer, **ERRORS},
        summary="Take a voucher off the basket",
    )
    @idempotent
    def delete(self, request, code: str):
        basket = api_basket(request, editable=True)
        if not basket_voucher_remove(basket_id=basket.pk, code=code.upper()):
            raise NotFound(
                _("The voucher %(code)s is not in your basket.") % {"code": code}
            )
        return Response(basket_priced(request, api_basket(request)))


def _line(basket, line_id: int):
    line = basket.lines.filter(pk=line_id).select_related("product", "stockrecord")
    line = line.first() if basket.pk else None
    if line is None:
        raise NotFound(_("Your basket has no such line."))
    line.basket = basket
    return line


def _form_errors(form, fields: dict[str, str]) -> dict:
    """A Django form's errors under the API's field names (others under
    non_field_errors)."""
    errors: dict[str, list] = {}
    for name, messages in form.errors.items():
        errors.setdefault(fields.get(name, "non_field_errors"), []).extend(messages)
    return errors
