"""The order's page: where it stands, its lines, its timeline (who, when, what,
why; oldest first) and only the actions its state allows."""

import re

import pytest

from order import states
from order.fulfilment import ShipmentLineRequest, shipment_create
from order.models import Order
from order.returns import ReturnLineRequest, return_request_create
from order.services import order_cancel, order_transition
from payment.models import Payment
from tests.dashboard.orders.pages import order_url, page_text
from tests.order.orders import order_paid, products

pytestmark = pytest.mark.django_db

ACTION_FORMS = {
    "processing": 'id="action-processing"',
    "ship": 'id="action-ship"',
    "refund": 'id="action-refund"',
    "cancel": 'id="action-cancel"',
    "deliver": "Mark delivered",
}


def actions_shown(response) -> set[str]:
    text = page_text(response)
    return {name for name, marker in ACTION_FORMS.items() if marker in text}


def timeline_rows(response) -> list[str]:
    text = page_text(response)
    rows = re.findall(r'<tr class="timeline-event.*?</tr>', text, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def ship_everything(order, **details):
    return shipment_create(
        order_id=order.pk,
        lines=[
            ShipmentLineRequest(line.pk, line.quantity) for line in order.lines.all()
        ],
        **details,
    )


def test_the_page_shows_where_the_order_stands(merchant, order):
    response = merchant.get(order_url("order-detail", order))

    text = page_text(response)
    assert response.status_code == 200
    assert '<span class="badge badge-primary order-status">Paid</span>' in text
    assert '<dd class="col-sm-9 payment-state">Paid</dd>' in text
    assert '<dd class="col-sm-9 fulfilment-state">Not shipped</dd>' in text
    assert "ada@example.com (guest)" in text
    for line in order.lines.all():
        assert f"<td>{line.title}</td>" in text


def test_the_timeline_shows_every_event_oldest_first(merchant, order):
    merchant_user = merchant.get(order_url("order-detail", order)).wsgi_request.user
    order_transition(
        order_id=order.pk,
        new_status=states.PROCESSING,
        user=merchant_user,
        reason="Picking today",
    )
    ship_everything(order, carrier="royal-mail", tracking_number="RM123")

    response = merchant.get(order_url("order-detail", order))

    paid, processing, shipped = timeline_rows(response)
    assert "demo Payment: Pending payment → Paid Payment received" in paid
    assert "merchant@example.com Status: Paid → Processing Picking today" in processing
    assert "Shipment: Processing → Shipped" in shipped
    assert "shopper sees" in shipped


def test_a_paid_order_can_be_processed_shipped_refunded_or_cancelled(merchant, order):
    response = merchant.get(order_url("order-detail", order))

    assert actions_shown(response) == {"processing", "ship", "refund", "cancel"}


def test_an_order_being_processed_is_not_offered_processing(merchant, order):
    order_transition(order_id=order.pk, new_status=states.PROCESSING)

    response = merchant.get(order_url("order-detail", order))

    assert actions_shown(response) == {"ship", "refund", "cancel"}


def test_a_shipped_order_can_be_delivered_or_refunded_only(merchant, order):
    ship_everything(order)

    response = merchant.get(order_url("order-detail", order))

    assert actions_shown(response) == {"deliver", "refund"}


def test_a_partly_shipped_order_can_ship_the_rest_but_not_be_cancelled(merchant, order):
    teapot_line = order.lines.order_by("pk").first()
    shipment_create(order_id=order.pk, lines=[ShipmentLineRequest(teapot_line.pk, 1)])

    response = merchant.get(order_url("order-detail", order))

    assert actions_shown(response) == {"ship", "deliver", "refund"}
    ship_form = page_text(response).split('id="action-ship"')[1].split("</form>")[0]
    assert teapot_line.title not in ship_form


def test_a_cancelled_order_offers_nothing(merchant, order):
    order_cancel(order_id=order.pk, reason="Out of stock")

    response = merchant.get(order_url("order-detail", order))

    assert actions_shown(response) == set()
    assert "Nothing to do: the order is Cancelled." in page_text(response)


def test_an_order_awaiting_payment_can_only_be_cancelled(merchant, order):
    Order.objects.filter(pk=order.pk).update(
        status=states.PENDING_PAYMENT, payment_state=states.PAYMENT_PENDING
    )
    Payment.objects.filter(order=order).update(status=Payment.CREATED)

    response = merchant.get(order_url("order-detail", order))

    assert actions_shown(response) == {"cancel"}


def test_an_unknown_order_is_not_found(merchant, order):
    response = merchant.get(order_url("order-detail", order).replace(order.number, "x"))

    assert response.status_code == 404


def test_the_page_makes_the_same_queries_for_a_busy_order(
    merchant, django_assert_max_num_queries
):
    items = products("1.00", "2.00", "3.00", "4.00", "5.00", "6.00")
    busy = order_paid(*[(product, 2) for product in items])
    lines = list(busy.lines.order_by("pk"))
    for line in lines:
        shipment_create(order_id=busy.pk, lines=[ShipmentLineRequest(line.pk, 2)])
    for line in lines[:2]:
        return_request_create(
            order_id=busy.pk, lines=[ReturnLineRequest(line.pk, 1, "damaged")]
        )
    merchant.get(order_url("order-detail", busy))

    # The merchant; the order, its lines, units shipped and refunded by line,
    # timeline, shipments with their lines, returns with theirs, refunds, what
    # is refundable (payment, refunded); Oscar's notifications count.
    with django_assert_max_num_queries(16):
        response = merchant.get(order_url("order-detail", busy))

    assert len(timeline_rows(response)) == 1 + 6 + 2
    assert page_text(response).count('class="card card-body mb-2 shipment"') == 6
