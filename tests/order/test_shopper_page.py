"""The shopper's order page: the customer's own (customer:order) and the guest's
behind the signed link (customer:anon-order), with the timeline the shopper may
see and the shipments' tracking; nobody else's order, however asked for."""

import pytest
from django.db import transaction
from django.urls import reverse

from order import states
from order.fulfilment import ShipmentLineRequest, shipment_create, shipment_delivered
from order.lifecycle import order_event_record, order_locked, order_transition_locked
from order.models import Order, OrderEvent
from order.selectors import order_status_path
from tests.order.orders import customer, order_paid, products

pytestmark = pytest.mark.django_db

#: Queries for the order page of a shipped order with two lines.
QUERY_BUDGET = 32


def shipped(order, *, carrier="", tracking_number="", delivered=False):
    """Every unit left to ship sent in one shipment with this carrier and
    tracking number (order.fulfilment), then delivered when asked."""
    shipment = shipment_create(
        order_id=order.pk,
        lines=[
            ShipmentLineRequest(line.pk, line.num_allocated)
            for line in order.lines.order_by("pk")
        ],
        carrier=carrier,
        tracking_number=tracking_number,
    )
    if delivered:
        shipment_delivered(shipment_id=shipment.pk)
    order.refresh_from_db()
    return order


def guest_confirmed(client, order, email="ada@example.com"):
    """The guest opens the signed link and confirms the order's email address,
    as Oscar asks before showing a guest order; returns the page's response."""
    client.get(order_status_path(order))
    return client.post(
        reverse(
            "customer:anon-order-form",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        ),
        {"email": email},
        follow=True,
    )


@pytest.fixture
def ada():
    return customer()


@pytest.fixture
def merchant():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        username="grace",
        email="grace@example.com",
        password="x",
        first_name="Grace",
        last_name="Hopper",
        is_staff=True,
    )


def test_the_order_page_shows_lines_totals_timeline_and_tracking(client, ada, merchant):
    teapot, cups = products("20.00", "4.50")
    order = order_paid((teapot, 1), (cups, 2), user=ada)
    with transaction.atomic():
        order_transition_locked(
            order=order_locked(order.pk),
            new_status=states.PROCESSING,
            user=merchant,
            reason="Picked by the warehouse",
        )
    order = shipped(order, carrier="Royal Mail", tracking_number="RM123456789GB")
    with transaction.atomic():
        order_event_record(
            order=order,
            kind=OrderEvent.NOTE,
            message="Customer sounded cross on the phone",
            user=merchant,
        )
    client.force_login(ada)

    response = client.get(reverse("customer:order", args=[order.number]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Product 1" in page and "Product 2" in page
    assert "£29.00" in page
    assert 'class="order-status">Shipped<' in page
    assert "Order placed" in page
    assert "items with Royal Mail (tracking RM123456789GB)" in page
    assert "royal-mail" not in page
    assert (
        'href="https://www.royalmail.com/track-your-item#/tracking-results/'
        'RM123456789GB"' in page
    )
    assert "Customer sounded cross" not in page
    assert "Picked by the warehouse" not in page
    assert "Grace" not in page and "grace@example.com" not in page
    assert "Cancel order" not in page


def test_a_paid_order_page_offers_to_cancel_and_no_return(client, ada):
    [teapot] = products("20.00")
    order = order_paid((teapot, 1), user=ada)
    client.force_login(ada)

    page = client.get(reverse("customer:order", args=[order.number])).content.decode()

    assert "Cancel order" in page
    assert reverse("order:cancel", args=[order.number]) in page
    assert "Return items" not in page


def test_the_order_page_stays_within_its_query_budget(
    client, ada, django_assert_max_num_queries
):
    teapot, cups = products("20.00", "4.50")
    order = shipped(order_paid((teapot, 1), (cups, 2), user=ada), delivered=True)
    client.force_login(ada)

    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(reverse("customer:order", args=[order.number]))

    assert response.status_code == 200


def test_another_customers_order_is_not_found(client, ada):
    [teapot] = products("20.00")
    theirs = order_paid((teapot, 1), user=customer("bob@example.com"))
    client.force_login(ada)

    response = client.get(reverse("customer:order", args=[theirs.number]))

    assert response.status_code == 404


def test_the_guest_follows_the_signed_link_and_sees_the_order(client):
    [teapot] = products("20.00")
    order = shipped(order_paid((teapot, 1)), carrier="DPD", tracking_number="DPD42")

    response = guest_confirmed(client, order)

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Order {order.number}" in page
    assert 'class="order-status">Shipped<' in page
    assert 'href="https://www.dpd.co.uk/apps/tracking/?reference=DPD42"' in page


def test_the_signed_link_asks_the_guest_for_the_orders_email_first(client):
    [teapot] = products("20.00")
    order = order_paid((teapot, 1))

    response = client.get(order_status_path(order))

    assert response.status_code == 302
    assert "order-status-form" in response["Location"]
    assert guest_confirmed(client, order, email="eve@example.com").status_code == 200
    assert client.get(order_status_path(order)).status_code == 302


def test_a_wrong_signature_is_not_found(client):
    [teapot] = products("20.00")
    order = order_paid((teapot, 1))
    guest_confirmed(client, order)
    forged = {"order_number": order.number, "hash": f"{order.number}:forged"}

    assert client.get(reverse("customer:anon-order", kwargs=forged)).status_code == 404
    assert (
        client.get(reverse("customer:anon-order-form", kwargs=forged)).status_code
        == 404
    )


def test_a_guessed_order_number_is_not_found(client, ada):
    [teapot] = products("20.00")
    guest_order = order_paid((teapot, 1))
    customers_order = order_paid((teapot, 1), user=ada)
    guessed = Order(number=str(int(guest_order.number) + 1000))

    for order in (guessed, customers_order):
        kwargs = {"order_number": order.number, "hash": order.verification_hash()}
        assert (
            client.get(reverse("customer:anon-order", kwargs=kwargs)).status_code == 404
        )
