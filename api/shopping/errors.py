"""The API's answers for a basket or payment that can't be changed now."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException


class BasketLocked(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "The basket is being paid for and can't be changed; finish or cancel "
        "the payment first."
    )
    default_code = "basket_locked"


class PriceChangedError(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "price_changed"


class OutOfStock(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "out_of_stock"


class VoucherNotAvailable(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "voucher_unavailable"


class GatewayUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _(
        "The payment provider can't be reached right now; nothing was charged. "
        "Please try again in a moment."
    )
    default_code = "gateway_unavailable"
