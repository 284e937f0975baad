"""The shopper asks to return what arrived, from the order page while the return
window is open (order.returns decides what may go back): a request is made,
or the page says why not and nothing changes. Nobody asks for another's."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from order.models import ReturnRequest
from order.selectors import order_status_path
from tests.order.orders import customer, order_paid, products
from tests.order.test_shopper_page import guest_confirmed, shipped

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada():
    return customer()


@pytest.fixture
def order(ada):
    teapot, cups = products("20.00", "4.50")
    return shipped(order_paid((teapot, 1), (cups, 2), user=ada), delivered=True)


def return_url(order):
    return reverse("order:return", args=[order.number])


def asking(order, *wanted, note=""):
    """The form's fields for (line, quantity, reason) of the order."""
    data = {"note": note}
    for line, quantity, reason in wanted:
        data[f"quantity_{line.pk}"] = quantity
        data[f"reason_{line.pk}"] = reason
    return data


def test_the_return_form_shows_once_the_order_has_been_delivered(client, ada):
    [teapot] = products("20.00")
    paid = order_paid((teapot, 1), user=ada)
    client.force_login(ada)
    page = client.get(reverse("customer:order", args=[paid.number])).content.decode()
    assert "Return items" not in page

    delivered = shipped(paid, delivered=True)
    page = client.get(reverse("customer:order", args=[paid.number])).content.decode()

    assert "Return items" in page
    assert return_url(delivered) in page
    assert f'name="quantity_{paid.lines.get().pk}"' in page


def test_the_return_form_is_gone_once_the_window_has_closed(client, ada, order):
    client.force_login(ada)
    later = timezone.now() + timedelta(days=settings.ORDER_RETURN_WINDOW_DAYS + 1)

    with time_machine.travel(later):
        page = client.get(reverse("customer:order", args=[order.number]))

    assert "Return items" not in page.content.decode()


def test_the_shopper_asks_to_return_part_of_the_order(
    client, ada, order, mailoutbox, django_capture_on_commit_callbacks
):
    teapot, cups = order.lines.order_by("pk")
    client.force_login(ada)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            return_url(order),
            asking(order, (cups, 1, "damaged"), note="One cup was chipped"),
            follow=True,
        )

    return_request = order.returns.get()
    [item] = return_request.lines.all()
    assert response.redirect_chain == [(order_status_path(order), 302)]
    assert (item.line, item.quantity, item.reason) == (cups, 1, "damaged")
    assert return_request.reason == "One cup was chipped"
    assert return_request.status == ReturnRequest.REQUESTED
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Thank you: we have your return request {return_request.number} and will "
        "email you once we have looked at it."
    ]
    page = response.content.decode()
    assert f"Return {return_request.number}" in page
    assert "Product 2 &times; 1 (Arrived damaged)" in page
    assert [mail.to for mail in mailoutbox] == [["ada@example.com"]]


def test_asking_to_return_more_than_was_bought_says_so_and_changes_nothing(
    client, ada, order, mailoutbox
):
    teapot, cups = order.lines.order_by("pk")
    client.force_login(ada)

    response = client.post(
        return_url(order),
        asking(order, (teapot, 1, "no_longer_needed"), (cups, 3, "damaged")),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "You asked to return 3 of “Product 2”, but at most 2 can be returned "
        "(2 bought)." in page
    )
    assert f'name="quantity_{cups.pk}" value="3"' in page
    assert '<option value="damaged" selected>' in page
    assert not order.returns.exists()
    assert mailoutbox == []


def test_a_line_asked_for_needs_a_reason(client, ada, order):
    teapot, _cups = order.lines.order_by("pk")
    client.force_login(ada)

    response = client.post(return_url(order), asking(order, (teapot, 1, "")))

    assert "Tell us why you are returning “Product 1”." in response.content.decode()
    assert not order.returns.exists()


def test_asking_for_nothing_says_so(client, ada, order):
    client.force_login(ada)

    response = client.post(return_url(order), {"note": "Hello"})

    assert "Choose at least one item to return." in response.content.decode()
    assert not order.returns.exists()


def test_another_customers_order_cant_be_returned(client, order):
    teapot, _cups = order.lines.order_by("pk")
    client.force_login(customer("bob@example.com"))

    response = client.post(return_url(order), asking(order, (teapot, 1, "other")))

    assert response.status_code == 404
    assert not order.returns.exists()


def test_a_return_needs_the_csrf_token(ada, order):
    teapot, _cups = order.lines.order_by("pk")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(ada)

    response = strict.post(return_url(order), asking(order, (teapot, 1, "other")))

    assert response.status_code == 403
    assert not order.returns.exists()


def test_the_guest_asks_for_a_return_through_the_signed_link(client):
    [teapot] = products("20.00")
    order = shipped(order_paid((teapot, 1)), delivered=True)
    guest_confirmed(client, order)
    signed = {"order_number": order.number, "hash": order.verification_hash()}

    response = client.post(
        reverse("order:guest-return", kwargs=signed),
        asking(order, (order.lines.get(), 1, "wrong_item")),
    )

    assert response.status_code == 302
    assert order.returns.get().lines.get().reason == "wrong_item"


def test_a_guest_return_with_a_wrong_signature_is_not_found(client):
    [teapot] = products("20.00")
    order = shipped(order_paid((teapot, 1)), delivered=True)
    guest_confirmed(client, order)
    forged = {"order_number": order.number, "hash": f"{order.number}:forged"}

    response = client.post(
        reverse("order:guest-return", kwargs=forged),
        asking(order, (order.lines.get(), 1, "other")),
    )

    assert response.status_code == 404
    assert not order.returns.exists()
