import pytest

from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db


def test_dashboard_shows_the_merchant_summary_to_staff(client, django_user_model):
    product_in_stock(title="Stoneware Teapot")
    staff = django_user_model.objects.create_user(
        username="staff", email="staff@example.com", password="x", is_staff=True
    )
    client.force_login(staff)

    response = client.get("/dashboard/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dashboard" in html
    assert "googleapis" not in html


def test_dashboard_product_list_shows_products_to_a_superuser(
    client, django_user_model
):
    product_in_stock(title="Stoneware Teapot")
    owner = django_user_model.objects.create_superuser(
        username="owner", email="owner@example.com", password="x"
    )
    client.force_login(owner)

    response = client.get("/dashboard/catalogue/")

    assert response.status_code == 200
    assert "Stoneware Teapot" in response.content.decode()


def test_staff_without_catalogue_permissions_gets_403(client, django_user_model):
    staff = django_user_model.objects.create_user(
        username="staff", email="staff@example.com", password="x", is_staff=True
    )
    client.force_login(staff)

    response = client.get("/dashboard/catalogue/")

    assert response.status_code == 403


def test_dashboard_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_dashboard_refuses_signed_in_shoppers(client, django_user_model):
    shopper = django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password="x"
    )
    client.force_login(shopper)

    response = client.get("/dashboard/")

    assert response.status_code == 403


def test_the_offers_menu_leads_to_new_promotions_and_customer_groups(
    client, django_user_model
):
    owner = django_user_model.objects.create_superuser(
        username="owner", email="owner@example.com", password="x"
    )
    client.force_login(owner)

    html = client.get("/dashboard/").content.decode()

    assert 'href="/dashboard/promotions/new/"' in html
    assert 'href="/dashboard/offers/customer-groups/"' in html
