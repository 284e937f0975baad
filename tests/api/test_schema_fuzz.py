"""The API against its own OpenAPI schema: schemathesis generates valid and
invalid requests for every operation from /api/v1/schema/ and sends them
through the WSGI app; no answer is a 5xx, and each has a documented status and
a body of the documented shape, an error's too. Anonymous clients hold a real
basket token, customers' endpoints get a customer's access token and the
merchant's a token with every scope."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from oscar.core.loading import get_model
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from api.merchant.tokens import SCOPES, merchant_token_create
from api.shopping.baskets import BASKET_TOKEN_HEADER, basket_token_for
from tests.factories import uk_shipped_to
from tests.order.orders import customer, order_paid, products

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")

# Few examples per operation and kind of input, the same ones every run, none
# remembered between runs.
EXAMPLES = settings(
    max_examples=5,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
# Valid and invalid input alike: never a 5xx, a documented status, and a body
# of the documented shape (errors included).
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def credentials(teapot, jumper) -> dict[str, dict[str, str]]:
    """A catalogue, a customer with an order, a merchant token with every scope
    and an anonymous basket; the headers each kind of client sends."""
    uk_shipped_to()
    ada = customer()
    order_paid((products("20.00")[0], 1), user=ada)
    _token, merchant = merchant_token_create(name="Fuzz", scopes=SCOPES)
    access = RefreshToken.for_user(ada).access_token
    return {
        "anonymous": {BASKET_TOKEN_HEADER: basket_token_for(Basket.objects.create())},
        "customer": {"Authorization": f"Bearer {access}"},
        "merchant": {"Authorization": f"Token {merchant}"},
    }


@pytest.fixture
def api_schema(settings):
    """The live schema, loaded through a WSGI app built with this test's
    settings. As Django's test client does, requests leave the connection (and
    the test's transaction) open."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _headers(operation, credentials) -> dict[str, str]:
    """The merchant's token on /merchant/, a customer's on what needs one, else
    a real anonymous basket token."""
    if operation.path.startswith("/api/v1/merchant/"):
        return credentials["merchant"]
    if {} not in operation.definition.raw.get("security", [{}]):
        return credentials["customer"]
    return credentials["anonymous"]


def _fuzz(operation, headers: dict[str, str]) -> None:
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        try:
            _fuzz_with(operation.as_strategy(mode, headers=headers), CHECKS)
        except Unsatisfiable:
            # nothing in this operation's input can be made invalid
            assert mode is GenerationMode.NEGATIVE


def _fuzz_with(cases, checks) -> None:
    @EXAMPLES
    @given(case=cases)
    def answers_as_documented(case):
        case.call_and_validate(checks=checks)

    answers_as_documented()


def test_every_operation_answers_as_documented(api_schema, credentials, subtests):
    for result in api_schema.get_all_operations():
        operation = result.ok()
        with subtests.test(operation.label):
            _fuzz(operation, _headers(operation, credentials))
