"""Dashboard users for the tests: a merchant who may do everything, and staff
who may sign in to the dashboard but were given no permissions."""

from django.contrib.auth import get_user_model


def merchant_signed_in(client):
    merchant = get_user_model().objects.create_user(
        username="merchant",
        email="merchant@example.com",
        password="x",
        is_staff=True,
        is_superuser=True,
    )
    client.force_login(merchant)
    return client


def staff_signed_in(client):
    staff = get_user_model().objects.create_user(
        username="staff", email="staff@example.com", password="x", is_staff=True
    )
    client.force_login(staff)
    return client
