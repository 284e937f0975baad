"""Customers over the API: registration and sign-in for short-lived access tokens
(a refresh token renews them and sign-out revokes it), the profile, and the
customer's orders with their timeline.

Registration goes through the website's registration form (the same email and
password rules) and signal (the same welcome email). Signing in or registering
with an anonymous basket token merges that basket into the customer's.
"""

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from oscar.apps.customer.signals import user_registered
from oscar.core.loading import get_class
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from api.accounts.serializers import (
    ProfileSerializer,
    RegisterSerializer,
    SignInSerializer,
    SignOutSerializer,
    TokensSerializer,
)
from api.forms import form_refused
from api.shopping.basket_views import TOKEN_PARAMETER
from api.shopping.baskets import BASKET_TOKEN_HEADER, basket_token_merge
from api.throttling import SignInThrottle

EmailUserCreationForm = get_class("customer.forms", "EmailUserCreationForm")
RegisterUserMixin = get_class("customer.mixins", "RegisterUserMixin")


class SignInThrottled(APIView):
    """Sign-in and registration: a stricter rate per IP (API_THROTTLE_SIGN_IN)."""

    permission_classes = [AllowAny]
    authentication_classes = []  # an expired token must not stop a sign-in
    throttle_classes = [SignInThrottle]
    throttle_scope = "sign_in"

    def get_authenticate_header(self, request):
        return 'Bearer realm="api"'  # so a failed sign-in is 401, not 403


def _tokens_for(request, user) -> dict:
    basket_token_merge(token=request.headers.get(BASKET_TOKEN_HEADER), user=user)
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


class RegisterView(RegisterUserMixin, SignInThrottled):
    @extend_schema(
        request=RegisterSerializer,
        parameters=[TOKEN_PARAMETER],
        responses={
            201: TokensSerializer,
            400: OpenApiResponse(description="Email taken or password too weak"),
            429: OpenApiResponse(description="Too many attempts from this address"),
        },
    )
    def post(self, request):
        """A new customer account, signed in: its access and refresh tokens."""
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        form = EmailUserCreationForm(
            data={
                "email": values["email"],
                "password1": values["password"],
                "password2": values["password"],
            }
        )
        if not form.is_valid():
            raise form_refused(
                form,
                field=lambda name: "password" if name.startswith("password") else name,
            )
        user = form.save(commit=False)
        user.first_name = values.get("first_name", "")
        user.last_name = values.get("last_name", "")
        user.save()
        user_registered.send_robust(sender=self, request=request, user=user)
        if getattr(settings, "OSCAR_SEND_REGISTRATION_EMAIL", True):
            self.send_registration_email(user)  # the website's welcome email
        return Response(_tokens_for(request, user), status=status.HTTP_201_CREATED)


class SignInView(SignInThrottled):
    @extend_schema(
        request=SignInSerializer,
        parameters=[TOKEN_PARAMETER],
        responses={
            200: TokensSerializer,
            401: OpenApiResponse(description="Wrong email or password"),
            429: OpenApiResponse(description="Too many attempts from this address"),
        },
    )
    def post(self, request):
        """An access token (15 minutes) and a refresh token (30 days) for an
        email and password."""
        data = SignInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            email=data.validated_data["email"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise AuthenticationFailed(_("That email and password don't match."))
        return Response(_tokens_for(request, user))


class RefreshView(SignInThrottled):
    @extend_schema(
        request=SignOutSerializer,
        responses={
            200: TokensSerializer,
            401: OpenApiResponse(description="The refresh token expired or is revoked"),
        },
    )
    def post(self, request):
        """New tokens for a refresh token, which is revoked: each is used once."""
        data = SignOutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            old = RefreshToken(data.validated_data["refresh"])
            old.check_blacklist()
            user_id = old["user_id"]
            old.blacklist()
        except TokenError as exc:
            raise AuthenticationFailed(
                _("That refresh token has expired or was revoked; sign in again."),
                code="token_not_valid",
            ) from exc
        user = _active_user(user_id)
        refresh = RefreshToken.for_user(user)
        return Response({"access": str(refresh.access_token), "refresh": str(refresh)})


def _active_user(user_id):
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise AuthenticationFailed(_("This account is closed."), code="user_inactive")
    return user


class SignOutView(APIView):
    @extend_schema(
        request=SignOutSerializer,
        responses={
            204: None,
            400: OpenApiResponse(description="Not a refresh token of this customer"),
        },
    )
    def post(self, request):
        """Revoke a refresh token, so it can't renew access again."""
        data = SignOutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            token = RefreshToken(data.validated_data["refresh"])
            if str(token["user_id"]) != str(request.user.pk):
                raise TokenError("another customer's")
            token.blacklist()
        except TokenError as exc:
            raise ValidationError(
                {"refresh": [_("That isn't a refresh token of yours.")]}
            ) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProfileView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ProfileSerializer)
    def get(self, request):
        """The signed-in customer."""
        return Response(ProfileSerializer(request.user).data)

    @extend_schema(
        request=ProfileSerializer,
        responses={
            200: ProfileSerializer,
            400: OpenApiResponse(description="Bad input, or the email is taken"),
        },
    )
    def patch(self, request):
        """Change the name or email."""
        data = ProfileSerializer(request.user, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        data.save()
        return Response(data.data)
