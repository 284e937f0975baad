"""What the API's customer endpoints accept and send."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.utils import normalise_email
from oscar.core.compat import existing_user_fields
from rest_framework import serializers

from api.shopping.serializers import StrictSerializer


class RegisterSerializer(StrictSerializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, max_length=128)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)


class SignInSerializer(StrictSerializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, max_length=128)


class SignOutSerializer(StrictSerializer):
    refresh = serializers.CharField(help_text="The refresh token")


class TokensSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="Send as `Authorization: Bearer …`")
    refresh = serializers.CharField(help_text="POST to /auth/refresh/ for new tokens")


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", *existing_user_fields(["email", "first_name", "last_name"])]
        read_only_fields = ["id"]

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields) | ({"id"} & set(data)))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("This field can't be changed here.")] for name in unknown}
                )
        return super().to_internal_value(data)

    def validate_email(self, value: str) -> str:
        email = normalise_email(value)
        taken = (
            get_user_model()
            .objects.filter(email__iexact=email)
            .exclude(pk=self.instance.pk if self.instance else None)
        )
        if taken.exists():
            raise serializers.ValidationError(_("A customer with this email exists."))
        return email
