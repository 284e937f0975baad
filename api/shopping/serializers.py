"""What the API's basket and checkout send and accept."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from basket.selectors import basket_warnings

MONEY = {"max_digits": 12, "decimal_places": 2}


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo is an error, not ignored."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("This field is not known.")] for name in unknown}
                )
        return super().to_internal_value(data)


class StrictSerializerSchema(OpenApiSerializerExtension):
    """The schema says what StrictSerializer does: no fields but its own."""

    target_class = StrictSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(
            self.target, direction, bypass_extensions=True
        )
        return {**schema, "additionalProperties": False}


class LineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product_id = serializers.IntegerField()
    title = serializers.CharField(source="product.get_title")
    sku = serializers.CharField(source="stockrecord.partner_sku", allow_null=True)
    quantity = serializers.IntegerField()
    unit_price_excl_tax = serializers.DecimalField(**MONEY, allow_null=True)
    unit_price_incl_tax = serializers.DecimalField(**MONEY, allow_null=True)
    discount = serializers.DecimalField(source="discount_value", **MONEY)
    total_excl_tax = serializers.DecimalField(
        source="line_price_excl_tax_incl_discounts", **MONEY, allow_null=True
    )
    total_incl_tax = serializers.DecimalField(
        source="line_price_incl_tax_incl_discounts", **MONEY, allow_null=True
    )


class DiscountSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    amount = serializers.DecimalField(**MONEY)
    voucher_code = serializers.CharField(allow_null=True)


class BasketTotalsSerializer(serializers.Serializer):
    num_items = serializers.IntegerField()
    lines_excl_tax = serializers.DecimalField(**MONEY, allow_null=True)
    lines_incl_tax = serializers.DecimalField(**MONEY, allow_null=True)
    discount = serializers.DecimalField(**MONEY)
    total_excl_tax = serializers.DecimalField(**MONEY, allow_null=True)
    total_incl_tax = serializers.DecimalField(**MONEY, allow_null=True)
    tax = serializers.DecimalField(**MONEY, allow_null=True)


class BasketSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    currency = serializers.CharField(
        allow_null=True, help_text="null until the basket has a line."
    )
    lines = LineSerializer(many=True)
    vouchers = serializers.ListField(child=serializers.CharField())
    discounts = DiscountSerializer(many=True)
    totals = BasketTotalsSerializer()
    warnings = serializers.ListField(child=serializers.CharField())


class BasketCreatedSerializer(serializers.Serializer):
    token = serializers.CharField(
        allow_null=True,
        help_text="Send it back in the X-Basket-Token header (anonymous clients).",
    )
    basket = BasketSerializer()


# Built and bound once: a serializer's fields are copied from its declaration
# each time one is made (for the basket and each nested list), which costs more
# than showing a basket. Showing reads the fields and keeps nothing, so one
# instance serves every request and thread.
_BASKET_SHOWN = BasketSerializer()


def basket_shown(basket) -> dict:
    """The basket as the API answers it (offers already applied)."""
    return _BASKET_SHOWN.to_representation(basket_data(basket))


def basket_data(basket) -> dict:
    """The basket as BasketSerializer shows it (offers already applied)."""
    lines = list(basket.all_lines()) if basket.pk else []
    discounts = [
        {
            "name": item["name"],
            "description": item.get("description") or "",
            "amount": item["discount"],
            "voucher_code": None,
        }
        for item in basket.offer_discounts
    ] + [
        {
            "name": item["voucher"].name,
            "description": "",
            "amount": item["discount"],
            "voucher_code": item["voucher"].code,
        }
        for item in basket.grouped_voucher_discounts
    ]
    empty = not lines
    return {
        "id": basket.pk,
        "status": basket.status,
        "currency": basket.currency,
        "lines": lines,
        "vouchers": [voucher.code for voucher in basket.vouchers.all()]
        if basket.pk and not basket.vouchers_known_none()
        else [],
        "discounts": discounts,
        "totals": {
            "num_items": basket.num_items,
            "lines_excl_tax": 0 if empty else basket.total_excl_tax_excl_discounts,
            "lines_incl_tax": 0 if empty else basket.total_incl_tax_excl_discounts,
            "discount": basket.total_discount if lines else 0,
            "total_excl_tax": 0 if empty else basket.total_excl_tax,
            "total_incl_tax": 0 if empty else basket.total_incl_tax,
            "tax": 0 if empty else basket.total_tax if basket.is_tax_known else None,
        },
        "warnings": basket_warnings(basket=basket) if lines else [],
    }


class LineAddSerializer(StrictSerializer):
    product_id = serializers.IntegerField(
        min_value=1, help_text="A standalone product or one variant of a parent."
    )
    quantity = serializers.IntegerField(min_value=1, max_value=10_000, default=1)


class LineChangeSerializer(StrictSerializer):
    quantity = serializers.IntegerField(
        min_value=0, max_value=10_000, help_text="0 takes the line off the basket."
    )


class VoucherAddSerializer(StrictSerializer):
    code = serializers.CharField(max_length=512)
