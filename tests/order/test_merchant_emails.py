"""The merchant hears of each new order and each return asked for, and finds
every email the shop sends among the dashboard's email templates from the
first migrate, with its text there to edit."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from oscar.core.loading import get_model

from checkout.services import order_placed_email_send
from order.emails import order_event_email_send
from order.models import OrderEvent
from tests.order.orders import order_paid, products
from tests.order.test_returns import ask, delivered_order

pytestmark = pytest.mark.django_db

CommunicationEventType = get_model("communication", "CommunicationEventType")


@pytest.fixture
def shop_staff():
    """One who may change orders (told), one who may only look (not told)."""
    kim = User.objects.create_user("kim", "kim@example.com", "pw", is_staff=True)
    kim.user_permissions.add(Permission.objects.get(codename="change_order"))
    User.objects.create_user("lee", "lee@example.com", "pw", is_staff=True)
    return kim


def test_a_new_order_is_told_to_the_staff_who_run_orders(shop_staff, mailoutbox):
    [teapot] = products("20.00")
    order = order_paid((teapot, 2))
    mailoutbox.clear()

    assert order_placed_email_send(order_id=order.pk)
    assert not order_placed_email_send(order_id=order.pk)  # once

    shopper, merchant = mailoutbox
    assert shopper.to == ["ada@example.com"]
    assert merchant.to == ["kim@example.com"]
    assert merchant.subject == f"New order {order.number}: £40.00"
    assert "2 x Product 1" in merchant.body
    link = "http://testserver" + reverse(
        "dashboard:order-detail", kwargs={"number": order.number}
    )
    assert link in merchant.body


def test_the_merchant_s_addresses_win_when_set(shop_staff, settings, mailoutbox):
    settings.SHOP_MERCHANT_EMAILS = ["orders@larder.test", "owner@larder.test"]
    [teapot] = products("20.00")
    order = order_paid((teapot, 1))
    mailoutbox.clear()

    order_placed_email_send(order_id=order.pk)

    assert mailoutbox[-1].to == ["orders@larder.test", "owner@larder.test"]


def test_a_return_asked_for_is_told_to_the_merchant(shop_staff, mailoutbox):
    [teapot] = products("20.00")
    order = delivered_order((teapot, 1))
    request = ask(order, (order.lines.get(), 1), reason="Chipped on arrival")
    event = OrderEvent.objects.filter(order=order, email_code="RETURN_REQUESTED").get()
    mailoutbox.clear()

    order_event_email_send(event_id=event.pk)

    shopper, merchant = mailoutbox
    assert merchant.to == ["kim@example.com"]
    assert merchant.subject == (
        f"Return {request.number} requested for order {order.number}"
    )
    assert "Chipped on arrival" in merchant.body


def test_every_email_is_in_the_dashboard_from_the_start_with_its_text():
    codes = set(CommunicationEventType.objects.values_list("code", flat=True))

    assert {
        "ORDER_PLACED",
        "ORDER_SHIPPED",
        "RETURN_REQUESTED",
        "MERCHANT_NEW_ORDER",
        "PASSWORD_RESET",
    } <= codes
    shipped = CommunicationEventType.objects.get(code="ORDER_SHIPPED")
    assert "{{" in shipped.email_body_template  # the file's text, to edit


def test_the_email_templates_page_lists_them(client):
    client.force_login(User.objects.create_superuser("root", "r@example.com", "pw"))

    html = client.get(reverse("dashboard:comms-list")).content.decode()

    assert "Order shipped" in html and "New order (to the shop)" in html
