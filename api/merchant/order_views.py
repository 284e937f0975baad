"""Orders for integrations (an ERP, a warehouse, a back-office app): the list by
status and date, an order in full, and shipments recorded through
order.fulfilment, the same service as the dashboard's, with the caller on the
order's timeline."""

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.order_views import (
    OrderHistoryItemSerializer,
    OrderSerializer,
    order_data,
    order_loaded,
)
from api.catalogue.cursor import CursorInvalid, cursor_page
from api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from api.merchant.auth import MerchantAccess, request_actor
from api.shopping.serializers import StrictSerializer
from order import states
from order.fulfilment import ShipmentLineRequest, ShipmentRefused, shipment_create
from order.lifecycle import IllegalTransition
from order.models import Order
from order.refunds import RefundFailed, RefundRefused
from order.services import order_cancel, order_transition

PAGE_SIZE = 50
ORDERING = ("-date_placed", "-pk")
ERRORS = {
    401: OpenApiResponse(description="No token, or an unknown or revoked one"),
    403: OpenApiResponse(description="The token or account lacks the scope"),
}


class OrderNotShippable(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "order_not_shippable"


class OrderStatusRefused(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "order_status_refused"


class RefundNotTaken(APIException):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = "refund_failed"


class MerchantOrderSerializer(OrderHistoryItemSerializer):
    email = serializers.EmailField(allow_blank=True)


class MerchantOrderPageSerializer(serializers.Serializer):
    results = MerchantOrderSerializer(many=True)
    next = serializers.CharField(allow_null=True)


class ShipmentLineInputSerializer(StrictSerializer):
    line_id = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=1)


class ShipmentInputSerializer(StrictSerializer):
    lines = ShipmentLineInputSerializer(many=True, allow_empty=False)
    carrier = serializers.CharField(required=False, allow_blank=True, max_length=64)
    tracking_number = serializers.CharField(
        required=False, allow_blank=True, max_length=128
    )
    reference = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        help_text="Your system's id of the shipment: sent again, it changes nothing",
    )


class OrderStatusInputSerializer(StrictSerializer):
    status = serializers.ChoiceField(
        choices=[states.PROCESSING, states.CANCELLED],
        help_text="Processing, or Cancelled (its stock goes back and the payment "
        "is refunded). Shipping goes through the shipments endpoint.",
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        help_text="Why: on the order's timeline; a cancellation needs one",
    )

    def validate(self, attrs):
        if attrs["status"] == states.CANCELLED and not attrs.get("reason", "").strip():
            raise ValidationError({"reason": [_("Say why the order is cancelled.")]})
        return attrs


class OrderListView(MerchantAccess, APIView):
    required_scope = "orders:read"

    @extend_schema(
        operation_id="merchant_orders_list",
        parameters=[
            OpenApiParameter("status", str, description="Only orders in this status"),
            OpenApiParameter("placed_since", str, description="ISO 8601"),
            OpenApiParameter("cursor", str),
        ],
        responses={
            200: MerchantOrderPageSerializer,
            400: OpenApiResponse(description="A bad filter or cursor"),
            **ERRORS,
        },
        summary="Orders, newest first (orders:read)",
    )
    def get(self, request):
        orders = (
            Order.objects.select_related("user")
            .only(
                "number",
                "status",
                "date_placed",
                "currency",
                "total_incl_tax",
                "guest_email",
                "user__email",
            )
            .prefetch_related("lines")
        )
        if found := request.query_params.get("status"):
            orders = orders.filter(status=found)
        if since := request.query_params.get("placed_since"):
            moment = parse_datetime(since)
            if moment is None:
                raise ValidationError({"placed_since": [_("Use ISO 8601.")]})
            orders = orders.filter(date_placed__gte=moment)
        try:
            rows, after = cursor_page(
                orders,
                ordering=ORDERING,
                cursor=request.query_params.get("cursor", ""),
                size=PAGE_SIZE,
            )
        except CursorInvalid as exc:
            raise ValidationError({"cursor": [str(exc)]}) from exc
        params = request.query_params.copy()
        params["cursor"] = after
        return Response(
            {
                "results": MerchantOrderSerializer(rows, many=True).data,
                "next": request.build_absolute_uri(
                    f"{request.path}?{params.urlencode()}"
                )
                if after
                else None,
            }
        )


def _order(number: str) -> Order:
    order = order_loaded(Order.objects.filter(number=number))
    if order is None:
        raise NotFound(_("No order has this number."))
    return order


class OrderDetailView(MerchantAccess, APIView):
    required_scope = "orders:read"

    @extend_schema(
        operation_id="merchant_order_retrieve",
        responses={
            200: OrderSerializer,
            404: OpenApiResponse(description="No such order"),
            **ERRORS,
        },
        summary="An order with lines, shipments and timeline (orders:read)",
    )
    def get(self, request, number: str):
        return Response(order_data(_order(number)))


class ShipmentCreateView(MerchantAccess, APIView):
    required_scope = "orders:write"

    @extend_schema(
        request=ShipmentInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: OrderSerializer,
            400: OpenApiResponse(description="Lines not of the order, or too many"),
            404: OpenApiResponse(description="No such order"),
            409: OpenApiResponse(description="The order can't ship in its status"),
            **ERRORS,
        },
        summary="Record a shipment of some or all lines (orders:write)",
        description="The stock is consumed, the order moves on (Partially shipped "
        "or Shipped) and the shopper is emailed the tracking link.",
    )
    @idempotent
    def post(self, request, number: str):
        order = _order(number)
        given = ShipmentInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user, actor = request_actor(request)
        try:
            shipment_create(
                order_id=order.pk,
                lines=[ShipmentLineRequest(**line) for line in data["lines"]],
                carrier=data.get("carrier", ""),
                tracking_number=data.get("tracking_number", ""),
                reference=data.get("reference", ""),
                user=user,
                actor=actor,
            )
        except ShipmentRefused as exc:
            raise ValidationError({"lines": [str(exc)]}) from exc
        except IllegalTransition as exc:
            raise OrderNotShippable(
                _("The order can't ship: it is %s.") % order.status
            ) from exc
        return Response(order_data(_order(number)), status=status.HTTP_201_CREATED)


class OrderStatusView(MerchantAccess, APIView):
    required_scope = "orders:write"

    @extend_schema(
        request=OrderStatusInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            200: OrderSerializer,
            400: OpenApiResponse(description="An unknown status, or no reason"),
            404: OpenApiResponse(description="No such order"),
            409: OpenApiResponse(description="The order can't make this move"),
            502: OpenApiResponse(
                description="The payment provider refused the refund or could "
                "not be reached: nothing changed, asking again is safe"
            ),
            **ERRORS,
        },
        summary="Mark an order Processing, or cancel it (orders:write)",
        description="The same services as the dashboard's: the move is checked "
        "against the order's lifecycle and recorded on its timeline with the "
        "caller. Asking for the status the order already has changes nothing.",
    )
    @idempotent
    def post(self, request, number: str):
        order = _order(number)
        given = OrderStatusInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        wanted, reason = (
            given.validated_data["status"],
            given.validated_data.get("reason", ""),
        )
        user, actor = request_actor(request)
        try:
            if wanted == states.CANCELLED:
                order_cancel(order_id=order.pk, reason=reason, user=user, actor=actor)
            else:
                order_transition(
                    order_id=order.pk,
                    new_status=wanted,
                    user=user,
                    actor=actor,
                    reason=reason,
                    unless_there=True,
                )
        except (IllegalTransition, RefundRefused) as exc:
            raise OrderStatusRefused(str(exc)) from exc
        except RefundFailed as exc:
            raise RefundNotTaken(str(exc)) from exc
        return Response(order_data(_order(number)))
