"""The headless API's settings (api/, under /api/v1/): Django REST framework,
its OpenAPI schema and its one error shape, CORS and the rate limits;
shop.settings imports it."""

from datetime import timedelta

from shop.config import env

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    # Customers and staff sign in for short-lived access tokens (refreshed,
    # revocable); integrations use merchant tokens with scopes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonThrottle",
        "api.throttling.UserThrottle",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=30),
    # Each refresh hands out a new refresh token and revokes the old one.
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
}
# Hours an Idempotency-Key's answer is kept and replayed.
API_IDEMPOTENCY_HOURS = 24
SPECTACULAR_SETTINGS = {
    "TITLE": "Larder & Loom API",
    "DESCRIPTION": "The shop for mobile apps and other fronts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The interactive docs' scripts come from the installed sidecar, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Names for the error shape's enums (drf-standardized-errors' own advice).
    "ENUM_NAME_OVERRIDES": {
        name: f"drf_standardized_errors.openapi_serializers.{name}.choices"
        for name in (
            "ValidationErrorEnum",
            "ClientErrorEnum",
            "ServerErrorEnum",
            *(
                f"ErrorCode{code}Enum"
                for code in (401, 403, 404, 405, 406, 415, 429, 500)
            ),
        )
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums"
    ],
}

# Web fronts on other origins that may call the API from a browser
# (comma-separated, scheme included); none unless set.
CORS_ALLOWED_ORIGINS = env.list("API_CORS_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
# Requests a minute before the API answers 429: per IP without a token, per token
# with one, per IP for sign-in and registration, and per merchant token.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": env.str("API_THROTTLE_ANON", default="120/min"),
    "user": env.str("API_THROTTLE_USER", default="600/min"),
    "sign_in": env.str("API_THROTTLE_SIGN_IN", default="10/min"),
    "merchant": env.str("API_THROTTLE_MERCHANT", default="1200/min"),
}
