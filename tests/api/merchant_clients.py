"""Merchant API clients for the tests: a token with scopes, or a member of
staff with permissions; a product whose stock record has a SKU."""

from django.contrib.auth.models import Permission
from oscar.test.factories import UserFactory
from rest_framework_simplejwt.tokens import RefreshToken

from api.merchant.tokens import merchant_token_create
from api.models import MerchantToken
from partner.strategy import Selector
from tests.factories import product_in_stock


def with_token(api, *scopes: str) -> MerchantToken:
    token, text = merchant_token_create(name="ERP", scopes=scopes)
    api.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    return token


def staff_signed_in(api, *perms: str, is_staff: bool = True):
    user = UserFactory(is_staff=is_staff)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    access = RefreshToken.for_user(user).access_token
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return user


def stocked(sku: str, *, num_in_stock: int = 10, price: str = "10.00"):
    product = product_in_stock(
        title=f"Product {sku}", price=price, num_in_stock=num_in_stock
    )
    record = product.stockrecords.get()
    record.partner_sku = sku
    record.save()
    return product, record


def availability(product):
    return Selector().strategy().fetch_for_product(product)
