"""The signed-in customer's address book and wishlist over the API, checked by
the website's own address form (postcode for the country, phone number) and
kept in the same rows the website's account pages show."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from oscar.core.loading import get_class, get_model
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.forms import form_refused
from api.shopping.serializers import StrictSerializer
from catalogue.models import Product

UserAddress = get_model("address", "UserAddress")
WishList = get_model("wishlists", "WishList")
UserAddressForm = get_class("address.forms", "UserAddressForm")
ADDRESS_FIELDS = [
    "first_name",
    "last_name",
    "line1",
    "line2",
    "line3",
    "line4",
    "state",
    "postcode",
    "country",
    "phone_number",
    "notes",
]
MAX_ADDRESSES = 50


class SavedAddressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField(allow_blank=True)
    last_name = serializers.CharField(allow_blank=True)
    line1 = serializers.CharField()
    line2 = serializers.CharField(allow_blank=True)
    line3 = serializers.CharField(allow_blank=True)
    line4 = serializers.CharField(allow_blank=True, help_text="Town or city")
    state = serializers.CharField(allow_blank=True)
    postcode = serializers.CharField(allow_blank=True)
    country = serializers.CharField(source="country_id")
    phone_number = serializers.CharField(allow_blank=True)
    notes = serializers.CharField(allow_blank=True)
    summary = serializers.CharField()


class AddressInputSerializer(StrictSerializer):
    first_name = serializers.CharField(required=False, allow_blank=True)
    last_name = serializers.CharField(required=False, allow_blank=True)
    line1 = serializers.CharField()
    line2 = serializers.CharField(required=False, allow_blank=True)
    line3 = serializers.CharField(required=False, allow_blank=True)
    line4 = serializers.CharField(required=False, allow_blank=True)
    state = serializers.CharField(required=False, allow_blank=True)
    postcode = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 code, e.g. GB")
    phone_number = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


def _address_data(address) -> dict:
    data = SavedAddressSerializer(address).data
    data["phone_number"] = str(address.phone_number or "")
    return data


def _address_saved(user, data: dict, instance=None):
    """The address through the website's form, which checks the postcode for
    the country and the phone number; its errors by field."""
    form = UserAddressForm(user, data=data, instance=instance)
    if not form.is_valid():
        raise form_refused(form)
    return form.save()


class AddressListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=SavedAddressSerializer(many=True))
    def get(self, request):
        """The customer's saved addresses."""
        addresses = UserAddress.objects.filter(user=request.user).order_by("pk")
        return Response([_address_data(a) for a in addresses[:MAX_ADDRESSES]])

    @extend_schema(
        request=AddressInputSerializer,
        responses={
            201: SavedAddressSerializer,
            400: OpenApiResponse(description="A field isn't valid, or a duplicate"),
        },
    )
    def post(self, request):
        """Save a new address."""
        data = AddressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if UserAddress.objects.filter(user=request.user).count() >= MAX_ADDRESSES:
            raise ValidationError(_("Your address book is full; remove one first."))
        address = _address_saved(request.user, data.validated_data)
        return Response(_address_data(address), status=status.HTTP_201_CREATED)


class AddressDetailView(APIView):
    permission_classes = [IsAuthenticated]

    def _address(self, request, pk: int):
        address = UserAddress.objects.filter(user=request.user, pk=pk).first()
        if address is None:
            raise NotFound(_("You have no saved address with this id."))
        return address

    @extend_schema(
        request=AddressInputSerializer,
        responses={
            200: SavedAddressSerializer,
            400: OpenApiResponse(description="A field isn't valid"),
            404: OpenApiResponse(description="No address of yours has this id"),
        },
    )
    def put(self, request, pk: int):
        """Replace a saved address."""
        address = self._address(request, pk)
        data = AddressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            _address_data(_address_saved(request.user, data.validated_data, address))
        )

    @extend_schema(
        responses={
            204: None,
            404: OpenApiResponse(description="No address of yours has this id"),
        }
    )
    def delete(self, request, pk: int):
        """Remove a saved address."""
        self._address(request, pk).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class WishedSerializer(serializers.Serializer):
    product_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField(source="get_title")


class WishAddSerializer(StrictSerializer):
    product_id = serializers.IntegerField()


def _wishlist(user):
    wishlist = WishList.objects.filter(owner=user).order_by("pk").first()
    if wishlist is None:
        wishlist = WishList.objects.create(owner=user, name=_("My wish list"))
    return wishlist


class WishlistView(APIView):
    """The customer's first wish list (the website's default one)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=WishedSerializer(many=True))
    def get(self, request):
        """What the customer wished for."""
        lines = _wishlist(request.user).lines.order_by("pk")
        return Response(WishedSerializer(lines, many=True).data)

    @extend_schema(
        request=WishAddSerializer,
        responses={
            201: WishedSerializer(many=True),
            404: OpenApiResponse(description="No such product"),
        },
    )
    def post(self, request):
        """Add a product (again adding one already there changes nothing)."""
        data = WishAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = Product.objects.public().filter(pk=data.validated_data["product_id"])
        product = product.first()
        if product is None:
            raise NotFound(_("No such product."))
        wishlist = _wishlist(request.user)
        if not wishlist.lines.filter(product=product).exists():
            wishlist.add(product)
        lines = wishlist.lines.order_by("pk")
        return Response(
            WishedSerializer(lines, many=True).data, status=status.HTTP_201_CREATED
        )


class WishDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            204: None,
            404: OpenApiResponse(description="Not on your wish list"),
        }
    )
    def delete(self, request, product_id: int):
        """Take a product off the wish list."""
        deleted, _count = (
            _wishlist(request.user).lines.filter(product_id=product_id).delete()
        )
        if not deleted:
            raise NotFound(_("That product isn't on your wish list."))
        return Response(status=status.HTTP_204_NO_CONTENT)
