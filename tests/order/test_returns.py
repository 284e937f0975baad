"""Returns (order.returns): the shopper's request, the merchant's approval or
rejection, receipt and refund, each only from the step before."""

import logging
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from order import states
from order.fulfilment import ShipmentLineRequest, shipment_create, shipment_delivered
from order.models import OrderEvent, ReturnRequest
from order.refunds import RefundLineRequest, order_refund
from order.returns import (
    ReturnLineRequest,
    ReturnRefused,
    return_approve,
    return_receive,
    return_refund,
    return_reject,
    return_request_create,
)
from order.selectors import return_window_open, returnable_quantities
from tests.concurrency import all_at_once
from tests.order.orders import customer, order_paid, products
from tests.processes import require_postgres_and_redis

pytestmark = pytest.mark.django_db


def shipped(order, *, delivered_at=None):
    """Every unit left to ship sent in one shipment (order.fulfilment), then
    delivered at `delivered_at` if given."""
    shipment = shipment_create(
        order_id=order.pk,
        lines=[
            ShipmentLineRequest(line.pk, line.num_allocated)
            for line in order.lines.order_by("pk")
            if line.num_allocated
        ],
    )
    if delivered_at:
        shipment_delivered(shipment_id=shipment.pk, delivered_at=delivered_at)
    order.refresh_from_db()
    return order


def delivered_order(*lines, user=None):
    order = order_paid(*lines, user=user)
    return shipped(order, delivered_at=timezone.now())


def ask(order, *wanted, reason=""):
    """The shopper asks to return (line, quantity[, reason]) of the order."""
    return return_request_create(
        order_id=order.pk,
        lines=[ReturnLineRequest(line.pk, qty, *why) for line, qty, *why in wanted],
        reason=reason,
    )


def test_a_shopper_asks_to_return_part_of_a_delivered_order(
    mailoutbox, django_capture_on_commit_callbacks
):
    teapot, cup = products("34.50", "8.00")
    order = delivered_order((teapot, 1), (cup, 4), user=customer())
    pot_line, cup_line = order.lines.order_by("pk")

    with django_capture_on_commit_callbacks(execute=True):
        request = ask(order, (cup_line, 2, "damaged"), reason="Two arrived chipped")

    assert request.number == f"R{order.number}-1"
    assert request.status == ReturnRequest.REQUESTED
    assert [
        (item.line, item.quantity, item.reason) for item in request.lines.all()
    ] == [(cup_line, 2, "damaged")]
    assert returnable_quantities(order) == {pot_line.pk: 1, cup_line.pk: 2}
    event = order.timeline.get(kind=OrderEvent.RETURN)
    assert event.customer_visible and event.email_code == "RETURN_REQUESTED"
    assert (event.user, event.data["return_number"]) == (None, request.number)
    [email] = mailoutbox
    assert email.to == ["ada@example.com"]
    assert request.number in email.subject
    assert "Product 2" in email.body and "Arrived damaged" in email.body
    [(html, _mimetype)] = email.alternatives
    assert request.number in html and "Two arrived chipped" in html


def test_an_approved_return_is_received_back_in_stock_and_refunded(
    mailoutbox, django_capture_on_commit_callbacks
):
    teapot, cup = products("34.50", "8.00")
    order = delivered_order((teapot, 1), (cup, 4))
    pot_line, cup_line = order.lines.order_by("pk")
    request = ask(order, (pot_line, 1), (cup_line, 2))
    record = cup.stockrecords.get()
    assert record.num_in_stock == 6

    with django_capture_on_commit_callbacks(execute=True):
        return_approve(return_id=request.pk, note="Send them to 1 Quay Street")
        return_receive(return_id=request.pk, restock=True)
        refund = return_refund(return_id=request.pk, key="return-refund-1")

    request.refresh_from_db()
    order.refresh_from_db()
    record.refresh_from_db()
    assert request.status == ReturnRequest.REFUNDED and request.restock is True
    assert record.num_in_stock == 8
    assert teapot.stockrecords.get().num_in_stock == 10
    pot_line.refresh_from_db()
    cup_line.refresh_from_db()
    assert (pot_line.status, cup_line.status) == (
        states.LINE_RETURNED,
        states.LINE_PARTIALLY_RETURNED,
    )
    assert (refund.amount, refund.return_request) == (Decimal("50.50"), request)
    assert order.status == states.PARTIALLY_REFUNDED
    assert order.payment_state == states.PAYMENT_PARTIALLY_REFUNDED
    assert returnable_quantities(order) == {pot_line.pk: 0, cup_line.pk: 2}
    approved, received, refunded = mailoutbox
    assert "approved" in approved.subject
    assert "1 Quay Street" in approved.body
    assert "received" in received.subject
    assert "£50.50" in refunded.subject and request.number in refunded.body


def test_a_return_received_without_restock_leaves_the_stock_as_it_is():
    [teapot] = products("34.50")
    order = delivered_order((teapot, 2))
    [line] = order.lines.all()
    request = ask(order, (line, 2))
    return_approve(return_id=request.pk)

    return_receive(return_id=request.pk, restock=False)

    assert teapot.stockrecords.get().num_in_stock == 8
    line.refresh_from_db()
    assert line.status == states.LINE_RETURNED
    event = order.timeline.filter(kind=OrderEvent.RETURN).last()
    assert (event.email_code, event.data["restock"]) == ("RETURN_RECEIVED", False)


def test_a_rejected_return_tells_the_shopper_why_and_frees_its_units(
    mailoutbox, django_capture_on_commit_callbacks
):
    [teapot] = products("34.50")
    order = delivered_order((teapot, 2))
    [line] = order.lines.all()
    request = ask(order, (line, 2, "no_longer_needed"))
    assert returnable_quantities(order) == {line.pk: 0}

    with django_capture_on_commit_callbacks(execute=True):
        return_reject(return_id=request.pk, note="Opened items can't be returned")

    request.refresh_from_db()
    assert request.status == ReturnRequest.REJECTED
    assert request.merchant_note == "Opened items can't be returned"
    assert returnable_quantities(order) == {line.pk: 2}
    [email] = mailoutbox
    assert "Opened items can't be returned" in email.body
    again = ask(order, (line, 1))
    assert again.number == f"R{order.number}-2"


@pytest.mark.parametrize(
    ("done", "step", "message"),
    [
        (["approve"], "approve", "is approved, so it can't be approved"),
        (["reject"], "approve", "is rejected, so it can't be approved"),
        (["approve"], "reject", "is approved, so it can't be rejected"),
        ([], "receive", "is requested, so it can't be received: only a return that"),
        (["reject"], "receive", "is rejected, so it can't be received"),
        (["approve", "receive"], "receive", "is received, so it can't be received"),
        ([], "refund", "is requested, so it can't be refunded"),
        (["approve"], "refund", "is approved, so it can't be refunded"),
        (["reject"], "refund", "is rejected, so it can't be refunded"),
        (["approve", "receive", "refund"], "reject", "is refunded, so it can't be"),
    ],
)
def test_each_step_of_a_return_comes_only_after_the_one_before(
    done, step, message, caplog
):
    [teapot] = products("34.50")
    order = delivered_order((teapot, 2))
    [line] = order.lines.all()
    request = ask(order, (line, 1))
    steps = {
        "approve": lambda: return_approve(return_id=request.pk),
        "reject": lambda: return_reject(return_id=request.pk, note="No"),
        "receive": lambda: return_receive(return_id=request.pk, restock=True),
        "refund": lambda: return_refund(return_id=request.pk, key="k"),
    }
    for name in done:
        steps[name]()
    before = (
        ReturnRequest.objects.get(pk=request.pk).status,
        order.timeline.count(),
        teapot.stockrecords.get().num_in_stock,
        order.refunds.count(),
    )

    with pytest.raises(ReturnRefused, match=message):
        steps[step]()

    after = (
        ReturnRequest.objects.get(pk=request.pk).status,
        order.timeline.count(),
        teapot.stockrecords.get().num_in_stock,
        order.refunds.count(),
    )
    assert after == before
    assert message in caplog.text


def test_a_return_for_more_than_was_bought_is_refused_and_logged(caplog):
    teapot, cup = products("34.50", "8.00")
    order = delivered_order((teapot, 1), (cup, 4))
    pot_line, cup_line = order.lines.order_by("pk")
    events = order.timeline.count()

    with caplog.at_level(logging.WARNING, logger="order.returns"):
        with pytest.raises(ReturnRefused) as refused:
            ask(order, (pot_line, 1), (cup_line, 5))

    assert str(refused.value) == (
        "You asked to return 5 of “Product 2”, but at most 4 can be returned "
        "(4 bought)."
    )
    assert not ReturnRequest.objects.exists()
    assert order.timeline.count() == events
    assert f"Return on order {order.number} refused" in caplog.text
    assert "at most 4" in caplog.text


def test_units_in_an_open_return_or_refunded_cannot_be_returned_again():
    [cup] = products("8.00")
    order = delivered_order((cup, 4))
    [line] = order.lines.all()
    ask(order, (line, 2))
    order_refund(
        order_id=order.pk, key="goodwill", lines=[RefundLineRequest(line.pk, 1)]
    )

    with pytest.raises(ReturnRefused) as refused:
        ask(order, (line, 2))

    assert str(refused.value) == (
        "You asked to return 2 of “Product 1”, but at most 1 can be returned "
        "(4 bought, 2 already in a return, 1 refunded)."
    )


def test_units_refunded_before_they_shipped_never_count_as_returnable():
    [cup] = products("8.00")
    order = order_paid((cup, 3))
    [line] = order.lines.all()
    order_refund(
        order_id=order.pk, key="one-less", lines=[RefundLineRequest(line.pk, 1)]
    )
    line.refresh_from_db()
    order = shipped(order, delivered_at=timezone.now())

    assert returnable_quantities(order) == {line.pk: 2}
    with pytest.raises(ReturnRefused, match=r"at most 2 can be returned \(3 bought, 2"):
        ask(order, (line, 3))


def test_nothing_can_be_returned_before_the_order_ships():
    [teapot] = products("34.50")
    order = order_paid((teapot, 1))
    [line] = order.lines.all()

    with pytest.raises(ReturnRefused, match="hasn't shipped yet"):
        ask(order, (line, 1))

    assert not return_window_open(order)
    assert returnable_quantities(order) == {line.pk: 0}


def test_a_return_asks_for_something_with_a_known_reason():
    [teapot] = products("34.50")
    order = delivered_order((teapot, 2))
    [line] = order.lines.all()

    with pytest.raises(ReturnRefused, match="Choose at least one item"):
        ask(order, (line, 0))
    with pytest.raises(ReturnRefused, match="can't be negative"):
        ask(order, (line, -1))
    with pytest.raises(ReturnRefused, match="“bored” is not a reason for a return"):
        ask(order, (line, 1, "bored"))
    with pytest.raises(ReturnRefused, match="is not part of order"):
        return_request_create(order_id=order.pk, lines=[ReturnLineRequest(0, 1)])

    assert not ReturnRequest.objects.exists()


def test_the_return_window_closes_days_after_delivery(settings):
    settings.ORDER_RETURN_WINDOW_DAYS = 30
    [teapot] = products("34.50")
    delivered = timezone.now()
    order = shipped(order_paid((teapot, 2)), delivered_at=delivered)
    [line] = order.lines.all()

    with time_machine.travel(delivered + timedelta(days=29, hours=23)):
        assert return_window_open(order)
    with time_machine.travel(delivered + timedelta(days=30, minutes=1)):
        assert not return_window_open(order)
        with pytest.raises(ReturnRefused, match=r"Returns for order \S+ closed on"):
            ask(order, (line, 1))

    assert not ReturnRequest.objects.exists()


def test_before_delivery_the_window_counts_from_the_shipment(settings):
    settings.ORDER_RETURN_WINDOW_DAYS = 14
    [teapot] = products("34.50")
    order = shipped(order_paid((teapot, 2)))
    [line] = order.lines.all()

    with time_machine.travel(timezone.now() + timedelta(days=15)):
        with pytest.raises(ReturnRefused, match="closed on"):
            ask(order, (line, 1))
    assert ask(order, (line, 1)).status == ReturnRequest.REQUESTED


def test_refunding_a_return_again_with_its_key_refunds_once():
    [teapot] = products("34.50")
    order = delivered_order((teapot, 2))
    [line] = order.lines.all()
    request = ask(order, (line, 1))
    return_approve(return_id=request.pk)
    return_receive(return_id=request.pk, restock=True)

    first = return_refund(return_id=request.pk, key="refund-r1")
    again = return_refund(return_id=request.pk, key="refund-r1")

    assert again.pk == first.pk
    assert order.refunds.count() == 1
    with pytest.raises(ReturnRefused, match="already made for something else"):
        other = ask(order, (line, 1))
        return_refund(return_id=other.pk, key="refund-r1")


def test_a_guest_asks_for_a_return_as_the_shopper(
    mailoutbox, django_capture_on_commit_callbacks
):
    [teapot] = products("34.50")
    order = delivered_order((teapot, 1))
    [line] = order.lines.all()

    with django_capture_on_commit_callbacks(execute=True):
        ask(order, (line, 1))

    event = order.timeline.get(kind=OrderEvent.RETURN)
    assert (event.user, event.actor) == (None, "the shopper")
    [email] = mailoutbox
    assert email.to == ["ada@example.com"]
    assert order.verification_hash() in email.body


@pytest.mark.django_db(transaction=True)
def test_the_same_units_asked_for_at_once_go_into_one_return():
    require_postgres_and_redis()
    [teapot] = products("34.50")
    order = delivered_order((teapot, 2))
    [line] = order.lines.all()

    outcomes = all_at_once([lambda: ask(order, (line, 2))] * 4)

    assert outcomes == Counter(ok=1, ReturnRefused=3)
    assert [r.number for r in order.returns.all()] == [f"R{order.number}-1"]
