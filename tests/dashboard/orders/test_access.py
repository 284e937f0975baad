"""Who may use the order dashboard: staff need order.view_order to read (the
list, an order, packing slips, the CSV) and order.change_order as well to act;
superusers may do both; others get 403 on every page and action, and nothing
changes. Every POST needs its CSRF token."""

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from dashboard.orders.apps import ACTION_VIEWS, READ_VIEWS
from order import states
from order.fulfilment import ShipmentLineRequest, shipment_create
from order.models import Order, ReturnRequest
from order.returns import ReturnLineRequest, return_request_create
from tests.dashboard.merchants import merchant_signed_in, staff_signed_in

pytestmark = pytest.mark.django_db


def url_patterns():
    return apps.get_app_config("orders_dashboard").get_urls()


def url_names() -> list[str]:
    return [pattern.name for pattern in url_patterns()]


@pytest.fixture
def shipped_with_return(order):
    """The order shipped, with a return asked for: every URL has its object."""
    shipment = shipment_create(
        order_id=order.pk,
        lines=[
            ShipmentLineRequest(line.pk, line.quantity) for line in order.lines.all()
        ],
    )
    line = order.lines.order_by("pk").first()
    return_request = return_request_create(
        order_id=order.pk, lines=[ReturnLineRequest(line.pk, 1)]
    )
    return order, shipment, return_request, line


def every_url(shipped_with_return) -> dict[str, str]:
    """Each of the app's URLs, by name, for the objects of the fixture."""
    order, shipment, return_request, line = shipped_with_return
    values = {
        "number": order.number,
        "shipment_id": shipment.pk,
        "return_id": return_request.pk,
        "line_id": line.pk,
    }
    return {
        pattern.name: reverse(
            f"dashboard:{pattern.name}",
            kwargs={name: values[name] for name in pattern.pattern.converters},
        )
        for pattern in url_patterns()
    }


def grant(client, *codenames):
    user = client.get(reverse("dashboard:index")).wsgi_request.user
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="order", codename__in=codenames
        )
    )
    return client


def test_every_url_is_given_a_permission():
    assert set(url_names()) == set(READ_VIEWS) | set(ACTION_VIEWS)


def test_staff_without_order_permissions_get_403_everywhere(
    client, shipped_with_return
):
    staff = staff_signed_in(client)
    order = shipped_with_return[0]
    events = order.timeline.count()
    urls = every_url(shipped_with_return)
    assert len(urls) == len(url_names())

    for name, url in urls.items():
        assert staff.get(url).status_code == 403, name
        assert staff.post(url, {"order": order.number}).status_code == 403, name

    assert Order.objects.get(pk=order.pk).status == states.SHIPPED
    assert order.timeline.count() == events


def test_staff_who_may_view_orders_read_but_dont_act(client, shipped_with_return):
    viewer = grant(staff_signed_in(client), "view_order")
    order, _shipment, return_request, _line = shipped_with_return
    urls = every_url(shipped_with_return)

    for name in READ_VIEWS:
        response = viewer.get(urls[name], {"order": order.number})
        assert response.status_code == 200, name
    for name in ACTION_VIEWS:
        assert viewer.post(urls[name], {"order": order.number}).status_code == 403
    assert ReturnRequest.objects.get(pk=return_request.pk).status == "requested"


def test_staff_who_may_change_orders_act(client, order):
    clerk = grant(staff_signed_in(client), "view_order", "change_order")

    response = clerk.post(
        reverse("dashboard:order-processing", kwargs={"number": order.number})
    )

    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == states.PROCESSING


def test_visitors_are_sent_to_sign_in(client, order):
    response = client.get(reverse("dashboard:order-list"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_every_post_needs_its_csrf_token(shipped_with_return):
    browser = merchant_signed_in(Client(enforce_csrf_checks=True))
    order = shipped_with_return[0]
    urls = every_url(shipped_with_return)
    events = order.timeline.count()

    for name in ACTION_VIEWS:
        response = browser.post(urls[name], {"order": order.number})
        assert response.status_code == 403, name
    for name in ("order-packing-slips", "order-export"):
        assert browser.post(urls[name], {"order": order.number}).status_code == 403

    assert order.timeline.count() == events


def test_the_pages_forms_carry_the_token(order):
    browser = merchant_signed_in(Client(enforce_csrf_checks=True))
    page = browser.get(
        reverse("dashboard:order-detail", kwargs={"number": order.number})
    )
    token = re.search(
        r'id="action-processing">\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        page.content.decode(),
    ).group(1)

    response = browser.post(
        reverse("dashboard:order-processing", kwargs={"number": order.number}),
        {"csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == states.PROCESSING
