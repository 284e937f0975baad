"""The returns queue: what waits for the merchant, oldest first, reached from
the dashboard's Fulfilment menu beside the shipping methods."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from order.models import ReturnRequest
from order.returns import return_approve, return_reject
from tests.order.orders import products
from tests.order.test_returns import ask, delivered_order

pytestmark = pytest.mark.django_db

QUEUE = reverse("dashboard:order-return-list")


def a_return(product, *, days_ago: int) -> ReturnRequest:
    order = delivered_order((product, 1))
    request = ask(order, (order.lines.get(), 1), reason="Too small")
    ReturnRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return request


def test_open_returns_are_listed_oldest_first_with_the_next_step(merchant):
    [teapot] = products("20.00")
    newer, older = a_return(teapot, days_ago=1), a_return(teapot, days_ago=5)
    approved = a_return(teapot, days_ago=3)
    return_approve(return_id=approved.pk)
    rejected = a_return(teapot, days_ago=9)
    return_reject(return_id=rejected.pk, note="Worn")

    html = merchant.get(QUEUE).content.decode()

    assert (
        html.index(older.number)
        < html.index(approved.number)
        < html.index(newer.number)
    )
    assert rejected.number not in html
    assert "Approve or reject" in html and "Receive the goods" in html
    order_page = reverse(
        "dashboard:order-detail", kwargs={"number": older.order.number}
    )
    assert order_page in html


def test_the_queue_shows_one_status_when_asked(merchant):
    [teapot] = products("20.00")
    rejected = a_return(teapot, days_ago=2)
    return_reject(return_id=rejected.pk, note="Worn")
    waiting = a_return(teapot, days_ago=1)

    html = merchant.get(QUEUE, {"status": "rejected"}).content.decode()

    assert rejected.number in html and waiting.number not in html


def test_an_empty_queue_says_nothing_waits(merchant):
    html = merchant.get(QUEUE).content.decode()

    assert "No returns waiting for you" in html


def test_the_fulfilment_menu_leads_to_returns_and_shipping_methods(merchant):
    html = merchant.get(reverse("dashboard:index")).content.decode()

    assert f'href="{QUEUE}"' in html
    shipping = reverse("dashboard:shipping-method-list")
    assert f'href="{shipping}"' in html
    assert merchant.get(shipping).status_code == 200


def test_the_queue_is_for_staff_only(client):
    response = client.get(QUEUE)

    assert response.status_code in (302, 403)
    assert "No returns" not in response.content.decode()
