"""The shopper cancels their order from its page while it is not being
processed yet: stock goes back, the payment is refunded through its gateway and
the shopper emailed; the guest does the same through the signed link. Nobody
cancels another's order, and only with a POST carrying the CSRF token."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from order import states
from order.models import Order, OrderEvent
from order.selectors import order_status_path
from order.services import order_transition
from tests.order.orders import customer, order_paid, products
from tests.order.test_shopper_page import guest_confirmed

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada():
    return customer()


@pytest.fixture
def order(ada):
    teapot, cups = products("20.00", "4.50")
    return order_paid((teapot, 1), (cups, 2), user=ada)


def cancel_url(order):
    return reverse("order:cancel", args=[order.number])


def guest_cancel_url(order, signature=None):
    return reverse(
        "order:guest-cancel",
        kwargs={
            "order_number": order.number,
            "hash": signature or order.verification_hash(),
        },
    )


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_shopper_cancels_a_paid_order(
    client, ada, order, mailoutbox, django_capture_on_commit_callbacks
):
    records = [line.stockrecord for line in order.lines.order_by("pk")]
    assert [record.num_allocated for record in records] == [1, 2]
    client.force_login(ada)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(order), follow=True)

    order.refresh_from_db()
    refund = order.refunds.get()
    assert response.redirect_chain == [(order_status_path(order), 302)]
    assert (order.status, order.payment_state) == (
        states.CANCELLED,
        states.PAYMENT_REFUNDED,
    )
    assert [line.status for line in order.lines.all()] == [states.LINE_CANCELLED] * 2
    for record in records:
        record.refresh_from_db()
        assert record.num_allocated == 0
    assert (refund.amount, refund.payment.gateway) == (order.total_incl_tax, "demo")
    cancelled = order.timeline.get(kind=OrderEvent.CANCELLATION)
    assert (cancelled.user, cancelled.actor) == (ada, "the shopper")
    assert said(response) == [
        f"Order {order.number} has been cancelled. 29.00 GBP is on its way back "
        "to the card or account you paid with."
    ]
    page = response.content.decode()
    assert 'class="order-status">Cancelled<' in page
    assert "Cancel order" not in page
    assert "£29.00 refunded on" in page


def test_the_cancellation_email_names_the_lines_and_the_refund(
    client, ada, order, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(ada)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel_url(order))

    [mail] = mailoutbox
    [(html, mimetype)] = mail.alternatives
    assert mail.to == ["ada@example.com"]
    assert mail.subject == f"Order {order.number} cancelled"
    assert mimetype == "text/html"
    for body in (mail.body, html):
        assert f"Your order {order.number} has been cancelled." in body
        assert "Product 1" in body and "Product 2" in body
        assert "We have refunded £29.00" in body
        assert order_status_path(order) in body


def test_the_cancellation_email_says_when_no_payment_was_taken(
    client, ada, order, mailoutbox, django_capture_on_commit_callbacks
):
    Order.objects.filter(pk=order.pk).update(
        status=states.PENDING_PAYMENT, payment_state=states.PAYMENT_PENDING
    )
    client.force_login(ada)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(order))

    [mail] = mailoutbox
    assert said(response) == [
        f"Order {order.number} has been cancelled. No payment was taken for it."
    ]
    assert "No payment was taken for this order" in mail.body
    assert "No payment was taken for this order" in mail.alternatives[0][0]
    assert not order.refunds.exists()


def test_cancelling_is_refused_once_the_order_is_being_processed(
    client, ada, order, mailoutbox
):
    order_transition(order_id=order.pk, new_status=states.PROCESSING)
    client.force_login(ada)
    page = client.get(reverse("customer:order", args=[order.number]))
    assert "Cancel order" not in page.content.decode()

    response = client.post(cancel_url(order), follow=True)

    order.refresh_from_db()
    assert order.status == states.PROCESSING
    assert order.payment_state == states.PAYMENT_PAID
    assert not order.refunds.exists()
    assert mailoutbox == []
    assert said(response) == [
        f"Order {order.number} is already being prepared, so it can no longer be "
        "cancelled here. Please contact us if you need to change it."
    ]


def test_cancelling_twice_cancels_once(client, ada, order):
    client.force_login(ada)

    client.post(cancel_url(order))
    response = client.post(cancel_url(order))

    assert response.status_code == 302
    assert order.refunds.count() == 1
    assert order.timeline.filter(kind=OrderEvent.CANCELLATION).count() == 1


def test_another_customers_order_cant_be_cancelled(client, order):
    client.force_login(customer("bob@example.com"))

    response = client.post(cancel_url(order))

    assert response.status_code == 404
    assert Order.objects.get(pk=order.pk).status == states.PAID


def test_cancelling_needs_a_signed_in_shopper(client, order):
    response = client.post(cancel_url(order))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("customer:login"))
    assert Order.objects.get(pk=order.pk).status == states.PAID


def test_cancelling_needs_a_post_with_the_pages_csrf_token(ada, order):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(ada)

    assert strict.get(cancel_url(order)).status_code == 405
    assert strict.post(cancel_url(order)).status_code == 403
    assert Order.objects.get(pk=order.pk).status == states.PAID

    strict.get(reverse("customer:order", args=[order.number]))
    token = strict.cookies["csrftoken"].value
    response = strict.post(cancel_url(order), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == states.CANCELLED


def test_the_guest_cancels_through_the_signed_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    [teapot] = products("20.00")
    order = order_paid((teapot, 1))
    page = guest_confirmed(client, order).content.decode()
    assert guest_cancel_url(order) in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(guest_cancel_url(order), follow=True)

    order.refresh_from_db()
    assert response.redirect_chain == [(order_status_path(order), 302)]
    assert (order.status, order.payment_state) == (
        states.CANCELLED,
        states.PAYMENT_REFUNDED,
    )
    assert order.timeline.get(kind=OrderEvent.CANCELLATION).actor == "the shopper"
    assert [mail.to for mail in mailoutbox] == [["ada@example.com"]]


def test_a_guest_cancel_with_a_wrong_signature_is_not_found(client):
    [teapot] = products("20.00")
    order = order_paid((teapot, 1))
    guest_confirmed(client, order)

    response = client.post(guest_cancel_url(order, signature=f"{order.number}:x"))

    assert response.status_code == 404
    assert Order.objects.get(pk=order.pk).status == states.PAID


def test_a_guest_cancel_without_the_email_confirmed_changes_nothing(client):
    [teapot] = products("20.00")
    order = order_paid((teapot, 1))

    response = client.post(guest_cancel_url(order))

    assert response.status_code == 302
    assert "order-status-form" in response["Location"]
    assert Order.objects.get(pk=order.pk).status == states.PAID


def test_a_customers_order_cant_be_cancelled_through_a_guest_link(client, order):
    response = client.post(guest_cancel_url(order))

    assert response.status_code == 404
    assert Order.objects.get(pk=order.pk).status == states.PAID
