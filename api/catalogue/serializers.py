"""What the API's catalogue reads accept and send."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.listing_query import (
    MAX_QUERY_LENGTH,
    MAX_VALUES_PER_FACET,
    PRICE_BANDS,
    SORTS,
    ListingQuery,
)

MONEY = {"max_digits": 12, "decimal_places": 2}
DEFAULT_PAGE_SIZE = 24
MAX_PAGE_SIZE = 100


class ListingParamsSerializer(serializers.Serializer):
    """A listing's query string: the website's search, sorts and filters, with a
    cursor instead of a page number. Facets are `?<attribute code>=<value>`,
    repeated for several values, for the codes in `facets` of the answer."""

    q = serializers.CharField(required=False, allow_blank=True, trim_whitespace=True)
    category = serializers.IntegerField(required=False, min_value=1)
    sort = serializers.ChoiceField(choices=list(SORTS), default="relevance")
    in_stock = serializers.BooleanField(default=False)
    price = serializers.ListField(
        child=serializers.ChoiceField(choices=[slug for slug, _, _ in PRICE_BANDS]),
        required=False,
        max_length=len(PRICE_BANDS),
    )
    cursor = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    page_size = serializers.IntegerField(
        default=DEFAULT_PAGE_SIZE, min_value=1, max_value=MAX_PAGE_SIZE
    )

    def __init__(self, *args, search: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.search = search

    def to_internal_value(self, data):
        values = {
            key: data.getlist(key) if key == "price" else data.get(key)
            for key in data
            if key in self.fields
        }
        validated = super().to_internal_value(values)
        validated["facets"] = {}
        for key in settings.SHOP_LISTING_FACETS:
            chosen = [v.strip()[:128] for v in data.getlist(key) if v.strip()]
            if len(chosen) > MAX_VALUES_PER_FACET:
                raise serializers.ValidationError(
                    {key: [_("Choose at most %d values.") % MAX_VALUES_PER_FACET]}
                )
            if chosen:
                validated["facets"][key] = sorted(set(chosen))
        return validated

    def validate_q(self, value: str) -> str:
        value = " ".join(value.split())
        if len(value) > MAX_QUERY_LENGTH:
            raise serializers.ValidationError(
                _("A search is at most %d characters.") % MAX_QUERY_LENGTH
            )
        return value

    def validate(self, attrs):
        if self.search and not attrs.get("q"):
            raise serializers.ValidationError({"q": [_("Type a word or two.")]})
        return attrs

    def listing_query(self) -> ListingQuery:
        data = self.validated_data
        return ListingQuery(
            q=data.get("q", ""),
            sort=data["sort"],
            in_stock=data["in_stock"],
            price_bands=data.get("price", []),
            facets=data["facets"],
        )


class CardSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="product_id")
    title = serializers.CharField()
    product_type = serializers.CharField(allow_blank=True)
    price = serializers.DecimalField(**MONEY, allow_null=True)
    currency = serializers.CharField(allow_blank=True)
    price_varies = serializers.BooleanField(help_text="A parent whose variants differ")
    stock_status = serializers.ChoiceField(choices=["in_stock", "low", "out"])
    image_url = serializers.CharField(allow_blank=True)
    url = serializers.CharField(help_text="The product's page on the website")
    offers = serializers.SerializerMethodField(help_text="Names of its site offers")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_offers(self, card) -> list[str]:
        return [offer.name for offer in card.offer_badges]


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The query parameter that filters by it")
    label = serializers.CharField()
    values = FacetValueSerializer(many=True)


class ListingSerializer(serializers.Serializer):
    results = CardSerializer(many=True)
    next = serializers.CharField(
        allow_null=True, help_text="The next page's address; null on the last page"
    )
    facets = FacetSerializer(many=True)
    price_bands = FacetValueSerializer(
        many=True, help_text="Values for the `price` parameter"
    )
    corrected_query = serializers.CharField(
        allow_blank=True, help_text="The search run instead, when a typo was corrected"
    )


class OfferSerializer(serializers.Serializer):
    """What the partner Strategy says about buying it."""

    price = serializers.DecimalField(source="amount", **MONEY, allow_null=True)
    currency = serializers.CharField(allow_blank=True)
    is_available = serializers.BooleanField()
    stock_status = serializers.ChoiceField(choices=["in_stock", "low", "out"])
    stock_message = serializers.CharField()


class PriceRangeSerializer(serializers.Serializer):
    low = serializers.DecimalField(**MONEY, allow_null=True)
    high = serializers.DecimalField(**MONEY, allow_null=True)
    currency = serializers.CharField(allow_blank=True)
    is_available = serializers.BooleanField()


class AttributeSerializer(serializers.Serializer):
    code = serializers.CharField(source="attribute.code")
    name = serializers.CharField(source="attribute.name")
    value = serializers.CharField(source="value_as_text")


class ImageSerializer(serializers.Serializer):
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    thumbnail_url = serializers.CharField()
    alt = serializers.CharField()


class VariantFieldsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="get_title")
    upc = serializers.CharField(allow_blank=True, allow_null=True)
    attributes = AttributeSerializer(many=True, source="get_attribute_values")


class VariantSerializer(VariantFieldsSerializer):
    offer = OfferSerializer()


class ProductFieldsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="get_title")
    upc = serializers.CharField(allow_blank=True, allow_null=True)
    structure = serializers.ChoiceField(choices=["standalone", "parent"])
    product_type = serializers.CharField(source="product_class.name")
    description = serializers.CharField(allow_blank=True)
    url = serializers.CharField(
        source="get_absolute_url", help_text="The product's page on the website"
    )
    rating = serializers.FloatField(allow_null=True)
    num_reviews = serializers.IntegerField(source="num_approved_reviews")
    attributes = AttributeSerializer(many=True, source="get_attribute_values")


class ProductSerializer(ProductFieldsSerializer):
    images = ImageSerializer(many=True)
    offer = OfferSerializer(
        allow_null=True, help_text="A standalone product's; null for a parent"
    )
    price_range = PriceRangeSerializer(
        allow_null=True, help_text="A parent's over its variants; null otherwise"
    )
    variants = VariantSerializer(many=True)
    offers = serializers.ListField(
        child=serializers.CharField(), help_text="Names of the site offers on it"
    )
    bought_together = CardSerializer(
        many=True, help_text="Often bought with it and in stock, best first"
    )
