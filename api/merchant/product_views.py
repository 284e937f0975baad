"""Products and their stock for integrations, and stock levels and prices set
in bulk by SKU (partner.bulk): every row or, when any is wrong, none."""

from collections.abc import Callable

from django.db.models import prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from api.merchant.auth import MerchantAccess
from api.merchant.selectors import merchant_products
from api.merchant.serializers import (
    MAX_ROWS,
    BulkResultSerializer,
    MerchantProductSerializer,
    PriceBulkSerializer,
    ProductFilterSerializer,
    StockBulkSerializer,
)
from partner.bulk import (
    PriceChange,
    RowsRefused,
    StockLevel,
    prices_set,
    stock_levels_set,
)

READ_ERRORS = {
    400: OpenApiResponse(description="A bad filter or cursor"),
    401: OpenApiResponse(description="No token, or an unknown or revoked one"),
    403: OpenApiResponse(description="The token or account lacks the scope"),
}
BULK_ERRORS = {
    400: OpenApiResponse(
        description="A malformed body, or rows that can't be applied: nothing "
        "changed, and each wrong row is named as items.<row>.<field> with a code "
        "(unknown_sku, sku_ambiguous, duplicate_sku, negative_stock, "
        "below_allocated, negative_price, price_invalid)"
    ),
    401: READ_ERRORS[401],
    403: READ_ERRORS[403],
    409: OpenApiResponse(description="The Idempotency-Key's request is in flight"),
    422: OpenApiResponse(description="Idempotency-Key reused with another body"),
}


class MerchantCursor(CursorPagination):
    ordering = "pk"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class ProductListView(MerchantAccess, ListAPIView):
    required_scope = "catalogue:read"
    serializer_class = MerchantProductSerializer
    pagination_class = MerchantCursor

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "sku", str, description="A SKU, or several comma-separated"
            ),
            OpenApiParameter(
                "updated_since", str, description="ISO 8601: changed since then"
            ),
        ],
        responses={200: MerchantProductSerializer(many=True), **READ_ERRORS},
        summary="Products with their stock records (catalogue:read)",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        given = ProductFilterSerializer(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        return merchant_products(
            skus=given.validated_data.get("sku"),
            updated_since=given.validated_data.get("updated_since"),
        )


class BulkRowsView(MerchantAccess, APIView):
    """A bulk write by SKU: the body's rows (`rows_serializer`), each made a
    `row_type` and all given to `apply`, which applies all or none."""

    rows_serializer: type
    row_type: type

    def rows_applied(self, request, *, apply: Callable[[list], list]) -> Response:
        given = self.rows_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        rows = given.validated_data["items"]
        try:
            records = apply([self.row_type(**row) for row in rows])
        except RowsRefused as refusal:
            raise _rows_refused(refusal) from None
        return Response(BulkResultSerializer(_result(rows, records)).data)


class StockView(BulkRowsView):
    required_scope = "stock:write"
    rows_serializer = StockBulkSerializer
    row_type = StockLevel

    @extend_schema(
        request=StockBulkSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: BulkResultSerializer, **BULK_ERRORS},
        summary=f"Set units on hand by SKU, up to {MAX_ROWS} rows (stock:write)",
        description="All rows are applied in one transaction, or none: when any "
        "row is wrong, nothing changes and every wrong row is named. Stock on "
        "hand can't go below what is allocated to orders not yet shipped.",
    )
    @idempotent
    def post(self, request):
        return self.rows_applied(
            request, apply=lambda levels: stock_levels_set(levels=levels)
        )


class PriceView(BulkRowsView):
    required_scope = "prices:write"
    rows_serializer = PriceBulkSerializer
    row_type = PriceChange

    @extend_schema(
        request=PriceBulkSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: BulkResultSerializer, **BULK_ERRORS},
        summary=f"Set prices by SKU, up to {MAX_ROWS} rows (prices:write)",
        description="All rows are applied in one transaction, or none: when any "
        "row is wrong, nothing changes and every wrong row is named. A price is "
        "in its stock record's currency; the shop's Strategy taxes it as before.",
    )
    @idempotent
    def post(self, request):
        return self.rows_applied(request, apply=lambda rows: prices_set(prices=rows))


def _rows_refused(refusal: RowsRefused) -> ValidationError:
    errors: dict[str, dict[str, list]] = {}
    for error in refusal.errors:
        errors.setdefault(str(error.index), {}).setdefault(error.field, []).append(
            ErrorDetail(error.message, code=error.code)
        )
    return ValidationError({"items": errors})


def _result(rows, records) -> dict:
    prefetch_related_objects(records, "partner")
    return {
        "updated": len(records),
        "items": [
            {
                "sku": row["sku"],
                "partner": record.partner.code,
                "stockrecord_id": record.pk,
            }
            for row, record in zip(rows, records, strict=True)
        ],
    }
