"""A signed-in customer checks out to one of their saved addresses."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalogue.demo.countries import demo_countries_ensure
from order.models import Order
from payment.gateways.demo import SUCCEEDS
from payment.models import Payment
from tests.checkout.test_checkout_flow import place_order

UserAddress = get_model("address", "UserAddress")

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(django_user_model):
    demo_countries_ensure()
    user = django_user_model.objects.create_user(
        username="grace", email="grace@example.com", password="not-a-real-one"
    )
    UserAddress.objects.create(
        user=user,
        first_name="Grace",
        last_name="Hopper",
        line1="Unter den Linden 1",
        line4="Berlin",
        postcode="10117",
        country_id="DE",
    )
    return user


def test_a_customer_ships_to_a_saved_address_and_the_order_is_theirs(
    client, teapot, customer, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(customer)
    client.post(f"/basket/add/{teapot.pk}/", {"quantity": 1})
    address = UserAddress.objects.get(user=customer)

    start = client.get(reverse("checkout:index"))
    page = client.get(reverse("checkout:shipping-address")).content.decode()
    chosen = client.post(
        reverse("checkout:shipping-address"),
        {"action": "ship_to", "address_id": address.pk},
    )
    client.get(reverse("checkout:payment-details"), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        placed = place_order(client, SUCCEEDS)

    assert start["Location"] == reverse("checkout:shipping-address")  # no guest step
    assert "Unter den Linden 1" in page
    assert chosen.status_code == 302
    assert placed["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert order.user == customer and order.email == "grace@example.com"
    assert order.shipping_address.line1 == "Unter den Linden 1"
    assert str(order.total_incl_tax) == "34.21"  # German VAT, from the saved address
    assert str(Payment.objects.get().amount) == "34.21"
    [email] = mailoutbox
    assert email.to == ["grace@example.com"]


def test_another_customer_s_saved_address_cannot_be_chosen(
    client, teapot, customer, django_user_model
):
    other = django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password="not-a-real-one"
    )
    client.force_login(other)
    client.post(f"/basket/add/{teapot.pk}/", {"quantity": 1})
    theirs = UserAddress.objects.get(user=customer)

    response = client.post(
        reverse("checkout:shipping-address"),
        {"action": "ship_to", "address_id": theirs.pk},
    )

    assert response.status_code == 404


@pytest.mark.parametrize("address_id", ["999999", "abc", "1 OR 1=1", ""])
def test_a_missing_or_malformed_address_id_is_a_404(
    client, teapot, customer, address_id
):
    client.force_login(customer)
    client.post(f"/basket/add/{teapot.pk}/", {"quantity": 1})

    response = client.post(
        reverse("checkout:shipping-address"),
        {"action": "ship_to", "address_id": address_id},
    )

    assert response.status_code == 404
