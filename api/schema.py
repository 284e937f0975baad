"""How the OpenAPI schema documents the API's errors: in the shape every error
is sent in (drf-standardized-errors'), for each status an operation names.

- An error a view describes in words only gets the shared shape: a type and
  the errors, each with its machine-readable code, its words and the field,
  parameter or header at fault.
- Where drf-standardized-errors works out a 400 itself, it keeps its list of
  each field's codes, with the two refusals it can't see:
- A write taking an Idempotency-Key refuses a malformed one as a validation
  error of the header (`attr` "Idempotency-Key", code "invalid").
- A request body read by a StrictSerializer refuses a field it does not know,
  whatever its name: one more kind of error whose `attr` is any name but the
  body's own fields (code "invalid").
"""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from drf_standardized_errors.openapi import AutoSchema
from drf_standardized_errors.openapi_serializers import ValidationErrorEnum
from drf_standardized_errors.openapi_utils import get_error_serializer
from inflection import camelize
from rest_framework import serializers

from api.idempotency import HEADER as IDEMPOTENCY_HEADER
from api.shopping.serializers import StrictSerializer


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="What went wrong, for programs")
    detail = serializers.CharField(help_text="What went wrong, for people")
    attr = serializers.CharField(
        allow_null=True,
        help_text="The field, parameter or header at fault; null for the request",
    )

    class Meta:
        ref_name = "ErrorDetail"


class ErrorResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=["validation_error", "client_error", "server_error"]
    )
    errors = ErrorDetailSerializer(many=True)

    class Meta:
        ref_name = "ErrorResponse"


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        for status_code, response in responses.items():
            if status_code[0] in "45" and "content" not in response:
                shaped = self._get_response_for_code(
                    ErrorResponseSerializer, status_code
                )
                responses[status_code] = {
                    **shaped,
                    "description": response.get("description") or shaped["description"],
                }
        return responses

    def _get_extra_validation_errors(self) -> dict[str, set[str]]:
        extra = super()._get_extra_validation_errors()
        handler = getattr(self.view, self.method.lower(), None)
        if getattr(handler, "takes_idempotency_key", False):
            extra[IDEMPOTENCY_HEADER] = {"invalid"}
        return extra

    def _get_serializer_for_validation_error_response(self):
        request = self.get_request_serializer() if self.method != "GET" else None
        if not isinstance(request, StrictSerializer) and not (
            isinstance(request, type) and issubclass(request, StrictSerializer)
        ):
            return super()._get_serializer_for_validation_error_response()
        codes = self._get_validation_error_codes_by_field(
            self._determine_fields_with_error_codes()
        )
        return _validation_error_serializer(self.get_operation_id(), codes)


def _validation_error_serializer(operation_id: str, codes: dict[str, set[str]]):
    """drf-standardized-errors' validation error for an operation, with the
    unknown-field error beside the fields' own (no discriminator: an unknown
    field's `attr` is not one of a list)."""
    name = camelize(operation_id)
    known = sorted(codes)

    @extend_schema_field({"type": "string", "not": {"enum": known}})
    class UnknownAttr(serializers.CharField):
        pass

    class UnknownFieldError(serializers.Serializer):
        attr = UnknownAttr(help_text="A field the body may not have")
        code = serializers.ChoiceField(choices=[("invalid", "invalid")])
        detail = serializers.CharField()

        class Meta:
            ref_name = f"{name}UnknownFieldErrorComponent"

    class ValidationError(serializers.Serializer):
        type = serializers.ChoiceField(choices=ValidationErrorEnum.choices)
        errors = PolymorphicProxySerializer(
            component_name=f"{name}Error",
            resource_type_field_name=None,
            serializers=[
                *(
                    get_error_serializer(operation_id, attr, field_codes)
                    for attr, field_codes in codes.items()
                ),
                UnknownFieldError,
            ],
            many=True,
        )

        class Meta:
            ref_name = f"{name}ValidationError"

    return ValidationError
