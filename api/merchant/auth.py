"""Who may use the merchant endpoints: an integration with a merchant token
(`Authorization: Token mt_<prefix>_<secret>`) holding the view's scope, or a
member of staff signed in with an access token (JWT) who holds the Django
permission that goes with it."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework_simplejwt.authentication import JWTAuthentication

from api.merchant.tokens import TokenRefused, merchant_token_check
from api.models import MerchantToken
from api.throttling import UserThrottle

KEYWORD = "Token"

#: The Django permission a member of staff needs for each scope.
SCOPE_PERMISSIONS = {
    "catalogue:read": "catalogue.view_product",
    "stock:write": "partner.change_stockrecord",
    "prices:write": "partner.change_stockrecord",
    "orders:read": "order.view_order",
    "orders:write": "order.change_order",
}


class MerchantClient:
    """request.user for a merchant token: signed in, but no user of the shop
    (its pk keeps its Idempotency-Keys and throttling apart from users')."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __init__(self, token: MerchantToken):
        self.token = token
        self.pk = self.id = f"merchant:{token.prefix}"

    def __str__(self) -> str:
        return str(self.token)

    def has_perm(self, perm, obj=None) -> bool:
        return False


class MerchantTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != KEYWORD.lower().encode():
            return None
        if len(words) != 2:  # noqa: PLR2004 - the keyword and the token
            raise AuthenticationFailed(
                _("Send the header as: Authorization: Token mt_<prefix>_<secret>.")
            )
        try:
            token = merchant_token_check(text=words[1].decode("latin-1"))
        except TokenRefused as refusal:
            raise AuthenticationFailed(str(refusal)) from None
        return MerchantClient(token), token

    def authenticate_header(self, request) -> str:
        return KEYWORD


MERCHANT_AUTHENTICATION = [MerchantTokenAuthentication, JWTAuthentication]


class ScopeRequired(BasePermission):
    """The view's `required_scope`: held by the merchant token, or by a member
    of staff through its Django permission (SCOPE_PERMISSIONS)."""

    message = _("This token or account may not do this.")

    def has_permission(self, request, view) -> bool:
        scope = view.required_scope
        if isinstance(request.auth, MerchantToken):
            self.message = _("This merchant token lacks the scope %(scope)s.") % {
                "scope": scope
            }
            return scope in request.auth.scopes
        user = request.user
        if not (user and user.is_authenticated):
            return False  # answered 401 by DRF
        if not user.is_staff:
            self.message = _("Only staff accounts may use the merchant endpoints.")
            return False
        self.message = _("This account lacks the permission %(perm)s.") % {
            "perm": SCOPE_PERMISSIONS[scope]
        }
        return user.has_perm(SCOPE_PERMISSIONS[scope])


def request_actor(request) -> tuple[object | None, str]:
    """Who to record on an order's timeline: the staff user, or for a token no
    user and the token's name."""
    if isinstance(request.auth, MerchantToken):
        return None, _("integration %(name)s") % {"name": request.auth.name}
    return request.user, ""


class MerchantRateThrottle(UserThrottle):
    """A rate per merchant token (or member of staff), API_THROTTLE_MERCHANT:
    one integration running hot leaves the others and the shoppers alone."""

    scope = "merchant"


class MerchantAccess:
    """For a merchant endpoint's view: a merchant token or a staff JWT, holding
    the view's `required_scope`, at the merchant rate."""

    authentication_classes = MERCHANT_AUTHENTICATION
    permission_classes = [ScopeRequired]
    throttle_classes = [MerchantRateThrottle]
    required_scope = ""


class MerchantTokenScheme(OpenApiAuthenticationExtension):
    target_class = MerchantTokenAuthentication
    name = "merchantToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token mt_<prefix>_<secret> (made with manage.py "
            "api_token_create)",
        }
