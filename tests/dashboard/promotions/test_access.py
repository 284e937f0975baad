"""Only staff who may create offers get into the New promotion page; posts
need the CSRF token."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.dashboard.promotions.helpers import (
    CREATE_URL,
    PREVIEW_URL,
    nothing_saved,
    promotion_post,
)

pytestmark = pytest.mark.django_db


def test_staff_without_the_offer_permission_get_403(client, django_user_model):
    staff = django_user_model.objects.create_user(
        username="staff", email="s@example.com", password="x", is_staff=True
    )
    client.force_login(staff)

    assert client.get(CREATE_URL).status_code == 403
    assert promotion_post(client, "percentage", percent="10").status_code == 403
    assert promotion_post(client, "percentage", url=PREVIEW_URL).status_code == 403
    lookup = client.get(reverse("dashboard:promotion-gift-lookup"), {"q": "tea"})
    assert lookup.status_code == 403
    assert nothing_saved()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(CREATE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("dashboard:login"))


def test_a_post_without_the_csrf_token_is_refused(merchant, goods):
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = merchant.cookies

    response = promotion_post(strict, "percentage", percent="10")

    assert response.status_code == 403
    assert nothing_saved()
