"""The signed-in customer's orders over the API: the history (newest first, by
cursor), an order with its lines, addresses, totals, shipments and the timeline
the website's order page shows, and a return request through the same service
as the website's. Another customer's order is 404, as on the website."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.catalogue.cursor import CursorInvalid, cursor_page
from api.shopping.serializers import MONEY, StrictSerializer
from order.models import Line, Order, OrderEvent
from order.returns import ReturnLineRequest, ReturnRefused, return_request_create
from order.selectors import returnable_quantities

PAGE_SIZE = 20
ORDERING = ("-date_placed", "-pk")


class OrderHistoryItemSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    date_placed = serializers.DateTimeField()
    currency = serializers.CharField()
    total_incl_tax = serializers.DecimalField(**MONEY)
    num_items = serializers.IntegerField()


class OrderPageSerializer(serializers.Serializer):
    results = OrderHistoryItemSerializer(many=True)
    next = serializers.CharField(allow_null=True)


class OrderLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    sku = serializers.CharField(source="partner_sku")
    product_id = serializers.IntegerField(allow_null=True)
    quantity = serializers.IntegerField()
    unit_price_incl_tax = serializers.DecimalField(**MONEY, allow_null=True)
    line_price_incl_tax = serializers.DecimalField(**MONEY)
    returnable = serializers.IntegerField(help_text="Units a return may ask for now")


class OrderAddressSerializer(serializers.Serializer):
    name = serializers.CharField()
    summary = serializers.CharField()
    postcode = serializers.CharField(allow_blank=True)
    country = serializers.CharField(source="country_id")


class ShipmentSerializer(serializers.Serializer):
    number = serializers.CharField()
    carrier = serializers.CharField(allow_blank=True)
    tracking_number = serializers.CharField(allow_blank=True)
    tracking_url = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    shipped_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)


class EventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    message = serializers.CharField(allow_blank=True)
    new_status = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class OrderSerializer(OrderHistoryItemSerializer):
    shipping_method = serializers.CharField()
    shipping_incl_tax = serializers.DecimalField(**MONEY)
    total_excl_tax = serializers.DecimalField(**MONEY)
    lines = OrderLineSerializer(many=True)
    shipping_address = OrderAddressSerializer(allow_null=True)
    billing_address = OrderAddressSerializer(allow_null=True)
    shipments = ShipmentSerializer(many=True)
    timeline = EventSerializer(many=True)


class ReturnLineSerializer(StrictSerializer):
    line_id = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(required=False, default="other", max_length=64)


class ReturnSerializer(StrictSerializer):
    lines = ReturnLineSerializer(many=True, allow_empty=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReturnCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class OrderListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_orders_list",
        parameters=[OpenApiParameter("cursor", str, required=False)],
        responses={
            200: OrderPageSerializer,
            400: OpenApiResponse(description="The cursor isn't valid"),
            401: OpenApiResponse(description="Not signed in"),
        },
    )
    def get(self, request):
        """The customer's orders, newest first."""
        orders = Order.objects.filter(user=request.user).only(
            "number", "status", "date_placed", "currency", "total_incl_tax"
        )
        try:
            rows, after = cursor_page(
                orders.prefetch_related(
                    Prefetch("lines", queryset=_lines().only("order_id", "quantity"))
                ),
                ordering=ORDERING,
                cursor=request.query_params.get("cursor", ""),
                size=PAGE_SIZE,
            )
        except CursorInvalid as exc:
            raise ValidationError({"cursor": [str(exc)]}) from exc
        next_url = None
        if after:
            next_url = request.build_absolute_uri(f"{request.path}?cursor={after}")
        return Response(
            {
                "results": OrderHistoryItemSerializer(rows, many=True).data,
                "next": next_url,
            }
        )


def _lines():
    return Line.objects.order_by("pk")


def order_loaded(orders) -> Order | None:
    """The order of `orders` with all its page shows, in five queries."""
    return (
        orders.select_related("shipping_address", "billing_address")
        .prefetch_related(
            Prefetch("lines", queryset=_lines()),
            "shipments",
            Prefetch(
                "timeline",
                queryset=OrderEvent.objects.filter(customer_visible=True),
                to_attr="visible_events",
            ),
        )
        .first()
    )


def _own_order(request, number: str) -> Order:
    order = order_loaded(Order.objects.filter(user=request.user, number=number))
    if order is None:
        raise NotFound(_("You have no order with this number."))
    return order


class OrderDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: OrderSerializer,
            401: OpenApiResponse(description="Not signed in"),
            404: OpenApiResponse(description="No order of yours has this number"),
        },
    )
    def get(self, request, number: str):
        """One of the customer's orders with its timeline."""
        return Response(order_data(_own_order(request, number)))


def order_data(order: Order) -> dict:
    returnable = returnable_quantities(order)
    lines = list(order.lines.all())
    for line in lines:
        line.returnable = returnable.get(line.pk, 0)
    data = OrderSerializer(order).data
    data["lines"] = OrderLineSerializer(lines, many=True).data
    data["shipping_address"] = _address(order.shipping_address)
    data["billing_address"] = _address(order.billing_address)
    data["timeline"] = EventSerializer(order.visible_events, many=True).data
    return data


def _address(address) -> dict | None:
    if address is None:
        return None
    return {
        "name": address.name,
        "summary": address.summary,
        "postcode": address.postcode or "",
        "country": address.country_id,
    }


class OrderReturnView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ReturnSerializer,
        responses={
            201: ReturnCreatedSerializer,
            400: OpenApiResponse(description="Nothing can be returned as asked"),
            404: OpenApiResponse(description="No order of yours has this number"),
        },
    )
    def post(self, request, number: str):
        """Ask to return some units of an order that arrived, within the
        return window."""
        order = _own_order(request, number)
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            created = return_request_create(
                order_id=order.pk,
                lines=[
                    ReturnLineRequest(**line) for line in data.validated_data["lines"]
                ],
                reason=data.validated_data.get("reason", ""),
                user=request.user,
            )
        except ReturnRefused as exc:
            raise ValidationError({"lines": [str(exc)]}) from exc
        return Response(
            {"id": created.pk, "status": created.status},
            status=status.HTTP_201_CREATED,
        )
