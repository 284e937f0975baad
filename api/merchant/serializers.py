"""What the merchant endpoints for products, stock and prices send and accept."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.shopping.serializers import MONEY, StrictSerializer

#: The most rows one bulk request may change.
MAX_ROWS = 500


class StockRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    partner = serializers.CharField(source="partner.code")
    partner_sku = serializers.CharField()
    price = serializers.DecimalField(**MONEY, allow_null=True)
    currency = serializers.CharField(source="price_currency")
    num_in_stock = serializers.IntegerField()
    num_allocated = serializers.IntegerField(
        help_text="Allocated to orders not shipped yet."
    )
    num_reserved = serializers.IntegerField(
        help_text="Held for shoppers who are paying."
    )
    date_updated = serializers.DateTimeField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in ("num_in_stock", "num_allocated"):  # Oscar's None is none
            data[name] = data[name] or 0
        return data


class MerchantProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    upc = serializers.CharField(allow_null=True)
    title = serializers.CharField(source="get_title")
    structure = serializers.CharField()
    parent_id = serializers.IntegerField(allow_null=True)
    is_public = serializers.BooleanField()
    date_updated = serializers.DateTimeField()
    stockrecords = StockRecordSerializer(many=True)


class ProductFilterSerializer(StrictSerializer):
    sku = serializers.CharField(
        required=False,
        help_text="Only products with a stock record of this SKU (or of one of "
        "several, comma-separated; up to 100).",
    )
    updated_since = serializers.DateTimeField(
        required=False,
        help_text="Only products whose details or stock changed since (ISO 8601).",
    )
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False)

    def validate_sku(self, value: str) -> list[str]:
        skus = [sku.strip() for sku in value.split(",") if sku.strip()]
        if len(skus) > 100:  # noqa: PLR2004
            raise serializers.ValidationError(_("Ask for at most 100 SKUs at once."))
        return skus


class RowSerializer(StrictSerializer):
    sku = serializers.CharField(max_length=128)
    partner = serializers.CharField(
        max_length=128,
        required=False,
        help_text="The partner's code, needed only when several partners stock "
        "the SKU.",
    )


class StockRowSerializer(RowSerializer):
    num_in_stock = serializers.IntegerField(
        help_text="Units on hand; at least those allocated to orders not shipped."
    )


class PriceRowSerializer(RowSerializer):
    price = serializers.DecimalField(
        **MONEY, help_text="The catalogue price, in the stock record's currency."
    )


class StockBulkSerializer(StrictSerializer):
    items = StockRowSerializer(many=True, allow_empty=False, max_length=MAX_ROWS)


class PriceBulkSerializer(StrictSerializer):
    items = PriceRowSerializer(many=True, allow_empty=False, max_length=MAX_ROWS)


class BulkResultRowSerializer(serializers.Serializer):
    sku = serializers.CharField()
    partner = serializers.CharField()
    stockrecord_id = serializers.IntegerField()


class BulkResultSerializer(serializers.Serializer):
    updated = serializers.IntegerField()
    items = BulkResultRowSerializer(many=True)
