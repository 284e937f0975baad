"""The merchant's steps on a shopper's return, from the order's page: approve
(with a note) or reject (saying why), receive (back in stock or not), refund
(once per form drawn). Each step only from the one before; a refused step says
why and changes nothing."""

from decimal import Decimal

import pytest

from order.fulfilment import ShipmentLineRequest, shipment_create
from order.models import Refund, ReturnRequest
from order.returns import (
    ReturnLineRequest,
    return_approve,
    return_receive,
    return_request_create,
)
from tests.dashboard.orders.pages import messages_of, order_url, page_text
from tests.order.orders import order_paid

pytestmark = pytest.mark.django_db


@pytest.fixture
def return_request(order):
    """Two of the three cups, sent back damaged after the order shipped."""
    shipment_create(
        order_id=order.pk,
        lines=[
            ShipmentLineRequest(line.pk, line.quantity) for line in order.lines.all()
        ],
    )
    cups_line = order.lines.order_by("pk").last()
    return return_request_create(
        order_id=order.pk,
        lines=[ReturnLineRequest(cups_line.pk, 2, "damaged")],
        reason="Chipped in the post",
    )


def step_url(name: str, return_request) -> str:
    return order_url(
        f"order-return-{name}", return_request.order, return_id=return_request.pk
    )


def fields(return_request, step: str, **values) -> dict:
    """The step's form fields, as the page names them."""
    prefix = f"return{return_request.pk}-{step}"
    return {f"{prefix}-{name}": value for name, value in values.items()}


def status_of(return_request) -> str:
    return ReturnRequest.objects.get(pk=return_request.pk).status


def test_the_order_page_shows_a_requested_return_with_approve_and_reject(
    merchant, return_request
):
    response = merchant.get(order_url("order-detail", return_request.order))

    text = page_text(response)
    assert return_request.number in text
    assert "Chipped in the post" in text
    assert "2 × Product 2 (Arrived damaged)" in text
    assert step_url("approve", return_request) in text
    assert step_url("reject", return_request) in text
    assert step_url("receive", return_request) not in text


def test_approve_with_a_note(merchant, return_request):
    response = merchant.post(
        step_url("approve", return_request),
        fields(return_request, "approve", note="Send them to our Leeds warehouse"),
    )

    return_request.refresh_from_db()
    assert response.status_code == 302
    assert return_request.status == ReturnRequest.APPROVED
    assert return_request.merchant_note == "Send them to our Leeds warehouse"
    assert messages_of(response) == [f"Return {return_request.number} approved."]


def test_approve_twice_says_why_not(merchant, return_request):
    return_approve(return_id=return_request.pk)

    response = merchant.post(step_url("approve", return_request), {})

    assert response.status_code == 200
    assert (
        f"Return {return_request.number} is approved, so it can't be approved: "
        "only a return that is requested can."
    ) in page_text(response)


def test_reject_says_why(merchant, return_request):
    response = merchant.post(
        step_url("reject", return_request),
        fields(return_request, "reject", note="Past the return window"),
    )

    return_request.refresh_from_db()
    assert response.status_code == 302
    assert return_request.status == ReturnRequest.REJECTED
    assert return_request.merchant_note == "Past the return window"


def test_reject_without_saying_why_is_refused(merchant, return_request):
    response = merchant.post(step_url("reject", return_request), {})

    assert response.status_code == 200
    assert "Say why the return is rejected." in page_text(response)
    assert status_of(return_request) == ReturnRequest.REQUESTED


def test_receive_back_in_stock(merchant, return_request):
    return_approve(return_id=return_request.pk)
    cups_line = return_request.lines.get().line
    record = cups_line.stockrecord
    on_hand = record.num_in_stock

    response = merchant.post(
        step_url("receive", return_request),
        fields(return_request, "receive", restock="yes"),
    )

    return_request.refresh_from_db()
    record.refresh_from_db()
    assert response.status_code == 302
    assert (return_request.status, return_request.restock) == (
        ReturnRequest.RECEIVED,
        True,
    )
    assert record.num_in_stock == on_hand + 2


def test_receive_written_off(merchant, return_request):
    return_approve(return_id=return_request.pk)

    merchant.post(
        step_url("receive", return_request),
        fields(return_request, "receive", restock="no"),
    )

    return_request.refresh_from_db()
    assert (return_request.status, return_request.restock) == (
        ReturnRequest.RECEIVED,
        False,
    )


def test_receive_without_saying_where_the_goods_go_is_refused(merchant, return_request):
    return_approve(return_id=return_request.pk)

    response = merchant.post(step_url("receive", return_request), {})

    assert "Say whether the goods go back in stock." in page_text(response)
    assert status_of(return_request) == ReturnRequest.APPROVED


def test_receive_before_approval_is_refused(merchant, return_request):
    response = merchant.post(
        step_url("receive", return_request),
        fields(return_request, "receive", restock="yes"),
    )

    assert (
        f"Return {return_request.number} is requested, so it can't be received"
    ) in page_text(response)
    assert status_of(return_request) == ReturnRequest.REQUESTED


def received(return_request):
    return_approve(return_id=return_request.pk)
    return_receive(return_id=return_request.pk, restock=True)
    return return_request


def drawn_refund_key(merchant, return_request) -> str:
    response = merchant.get(order_url("order-detail", return_request.order))
    [(_return, forms)] = response.context["returns"]
    return forms["refund"].initial["key"]


def test_refund_a_received_return_once_however_often_it_is_sent(
    merchant, return_request
):
    received(return_request)
    data = fields(
        return_request, "refund", key=drawn_refund_key(merchant, return_request)
    )

    first = merchant.post(step_url("refund", return_request), data)
    second = merchant.post(step_url("refund", return_request), data)

    refund = Refund.objects.get()
    assert first.status_code == second.status_code == 302
    assert refund.amount == Decimal("10.00")
    assert refund.return_request == return_request
    assert status_of(return_request) == ReturnRequest.REFUNDED


def test_refunding_more_shipping_than_was_paid_is_refused(merchant, return_request):
    received(return_request)
    key = drawn_refund_key(merchant, return_request)

    response = merchant.post(
        step_url("refund", return_request),
        fields(return_request, "refund", key=key, shipping="1.00"),
    )

    assert "At most 0.00 of shipping can be refunded." in page_text(response)
    assert not Refund.objects.exists()
    assert status_of(return_request) == ReturnRequest.RECEIVED
    [(_return, forms)] = response.context["returns"]
    assert forms["refund"]["key"].value() == key


def test_refunding_a_return_not_received_is_refused(merchant, return_request):
    return_approve(return_id=return_request.pk)
    data = fields(
        return_request, "refund", key=drawn_refund_key(merchant, return_request)
    )

    response = merchant.post(step_url("refund", return_request), data)

    assert (
        f"Return {return_request.number} is approved, so it can't be refunded"
    ) in page_text(response)
    assert not Refund.objects.exists()


def test_a_return_of_another_order_is_not_found(
    merchant, return_request, teapot_and_cups
):
    other = order_paid((teapot_and_cups[0], 1))

    response = merchant.post(
        order_url("order-return-approve", other, return_id=return_request.pk)
    )

    assert response.status_code == 404
    assert status_of(return_request) == ReturnRequest.REQUESTED
