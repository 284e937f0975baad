"""Who may use the merchant endpoints: tokens with scopes (401 without a
working one, 403 without the scope), staff with their permissions, and the
commands that make and revoke tokens."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from api.merchant.tokens import merchant_token_create, merchant_token_revoke
from api.models import MerchantToken
from tests.api.merchant_clients import (
    staff_signed_in,
    with_token,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


# --- Who may ---------------------------------------------------------------


def test_no_token_answers_401_in_the_error_shape(api):
    response = api.get(reverse("api:merchant-products"))

    assert response.status_code == 401
    assert response.json()["type"] == "client_error"
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "header, says",
    [
        ("Token mt_deadbeef_wrongsecret", "not known"),
        ("Token not-a-merchant-token", "mt_<prefix>_<secret>"),
        ("Token", "Authorization: Token"),
    ],
)
def test_an_unknown_or_malformed_token_answers_401_saying_why(api, header, says):
    api.credentials(HTTP_AUTHORIZATION=header)

    response = api.get(reverse("api:merchant-products"))

    assert response.status_code == 401
    assert says in response.json()["errors"][0]["detail"]


def test_a_wrong_secret_for_a_real_prefix_answers_401(api):
    token, text = merchant_token_create(name="ERP", scopes=["catalogue:read"])
    api.credentials(HTTP_AUTHORIZATION=f"Token mt_{token.prefix}_guessed")

    assert api.get(reverse("api:merchant-products")).status_code == 401


def test_a_revoked_token_answers_401(api):
    token = with_token(api, "catalogue:read")
    merchant_token_revoke(prefix=token.prefix)

    response = api.get(reverse("api:merchant-products"))

    assert response.status_code == 401
    assert "revoked" in response.json()["errors"][0]["detail"]


def test_a_token_without_the_scope_answers_403_naming_it(api):
    with_token(api, "orders:read")

    response = api.get(reverse("api:merchant-products"))

    assert response.status_code == 403
    assert "catalogue:read" in response.json()["errors"][0]["detail"]


def test_a_token_with_the_scope_reads_and_notes_its_use(api):
    token = with_token(api, "catalogue:read")

    assert api.get(reverse("api:merchant-products")).status_code == 200
    token.refresh_from_db()
    assert token.last_used is not None


def test_only_the_secret_s_hash_is_kept(api):
    token, text = merchant_token_create(name="ERP", scopes=["stock:write"])

    secret = text.split("_", 2)[2]
    assert text.startswith(f"mt_{token.prefix}_")
    assert secret not in token.secret_hash
    assert len(token.secret_hash) == 64


def test_a_customer_signed_in_answers_403(api):
    staff_signed_in(api, "catalogue.view_product", is_staff=False)

    response = api.get(reverse("api:merchant-products"))

    assert response.status_code == 403
    assert "staff" in response.json()["errors"][0]["detail"]


def test_staff_need_the_permission_that_goes_with_the_scope(api):
    staff_signed_in(api, "order.view_order")
    refused = api.get(reverse("api:merchant-products"))
    staff_signed_in(api, "catalogue.view_product")
    allowed = api.get(reverse("api:merchant-products"))

    assert refused.status_code == 403
    assert "catalogue.view_product" in refused.json()["errors"][0]["detail"]
    assert allowed.status_code == 200


# --- Tokens by command -------------------------------------------------------


def test_the_commands_make_a_token_that_works_and_revoke_it(api):
    out = StringIO()
    call_command(
        "api_token_create",
        name="ERP",
        scopes="catalogue:read,stock:write",
        stdout=out,
        stderr=StringIO(),
    )
    text = out.getvalue().strip()
    token = MerchantToken.objects.get()
    api.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    before = api.get(reverse("api:merchant-products")).status_code

    call_command("api_token_revoke", token.prefix, stdout=StringIO())

    assert token.scopes == ["catalogue:read", "stock:write"]
    assert before == 200
    assert api.get(reverse("api:merchant-products")).status_code == 401


def test_the_commands_refuse_unknown_scopes_and_prefixes():
    with pytest.raises(CommandError, match="Unknown scopes stock:delete"):
        call_command("api_token_create", name="ERP", scopes="stock:delete")
    with pytest.raises(CommandError, match="No merchant token"):
        call_command("api_token_revoke", "nosuch")
    assert not MerchantToken.objects.exists()
