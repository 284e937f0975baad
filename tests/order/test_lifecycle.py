"""The order's state machine: every move it allows happens and is recorded with
who and why; every other move raises a clear error and changes nothing."""

import pytest
from django.contrib.auth import get_user_model

from order import states
from order.emails import order_event_email_send
from order.lifecycle import IllegalTransition, OrderNotCancellable
from order.models import Order, OrderEvent
from order.services import order_cancel, order_transition
from tests.order.orders import order_paid, products

pytestmark = pytest.mark.django_db

STATUSES = list(states.ORDER_TRANSITIONS)


@pytest.fixture
def order():
    [teapot] = products("20.00")
    return order_paid((teapot, 1))


@pytest.fixture
def merchant():
    return get_user_model().objects.create_user(
        username="merchant", email="merchant@example.com", password="x", is_staff=True
    )


def test_a_placed_order_is_paid_and_its_lines_await_fulfilment(order):
    [event] = order.timeline.all()

    assert (order.status, order.payment_state) == (states.PAID, states.PAYMENT_PAID)
    assert order.fulfilment_state == states.FULFILMENT_UNFULFILLED
    assert order.lines.get().status == states.LINE_AWAITING
    assert (event.kind, event.old_status, event.new_status) == (
        OrderEvent.PAYMENT,
        states.PENDING_PAYMENT,
        states.PAID,
    )
    assert event.actor == "demo"


@pytest.mark.parametrize("old", STATUSES)
def test_every_allowed_move_happens_and_is_recorded(order, merchant, old):
    for new in states.ORDER_TRANSITIONS[old]:
        Order.objects.filter(pk=order.pk).update(status=old)
        before = order.timeline.count()

        moved = order_transition(
            order_id=order.pk, new_status=new, user=merchant, reason=f"to {new}"
        )

        event = order.timeline.latest("pk")
        assert moved.status == new == Order.objects.get(pk=order.pk).status
        assert order.timeline.count() == before + 1
        assert (event.old_status, event.new_status, event.message) == (
            old,
            new,
            f"to {new}",
        )
        assert event.user == merchant
        assert order.status_changes.filter(old_status=old, new_status=new).exists()


@pytest.mark.parametrize("old", STATUSES)
def test_every_other_move_is_refused_and_changes_nothing(order, merchant, old):
    forbidden = [
        new
        for new in STATUSES
        if new != old and new not in states.ORDER_TRANSITIONS[old]
    ]
    Order.objects.filter(pk=order.pk).update(status=old)
    events = order.timeline.count()

    for new in forbidden:
        with pytest.raises(IllegalTransition) as refused:
            order_transition(order_id=order.pk, new_status=new, user=merchant)

        assert f"is {old}, so it can't become {new}" in str(refused.value)
        assert Order.objects.get(pk=order.pk).status == old
    assert order.timeline.count() == events


def test_the_refusal_says_where_the_order_can_go(order):
    with pytest.raises(IllegalTransition) as refused:
        order_transition(order_id=order.pk, new_status=states.DELIVERED)

    assert str(refused.value) == (
        f"Order {order.number} is Paid, so it can't become Delivered. From there "
        "it can become: Processing, Partially shipped, Shipped, Cancelled."
    )


def test_a_finished_order_says_it_cant_change(order):
    Order.objects.filter(pk=order.pk).update(status=states.REFUNDED)

    with pytest.raises(IllegalTransition, match="It can't change any more"):
        order_transition(order_id=order.pk, new_status=states.COMPLETED)


def test_customer_visible_moves_email_the_shopper_once(
    order, mailoutbox, django_capture_on_commit_callbacks
):
    Order.objects.filter(pk=order.pk).update(status=states.SHIPPED)

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order_id=order.pk, new_status=states.DELIVERED)
    order_event_email_send(event_id=order.timeline.latest("pk").pk)  # a replay

    event = order.timeline.latest("pk")
    assert event.customer_visible and event.email_code == "ORDER_DELIVERED"
    assert event.emailed_at is not None
    assert [mail.to for mail in mailoutbox] == [["ada@example.com"]]


def test_internal_moves_email_nobody(order, mailoutbox):
    order_transition(order_id=order.pk, new_status=states.PROCESSING)

    event = order.timeline.latest("pk")
    assert not event.customer_visible and event.email_code == ""
    assert mailoutbox == []


def test_the_merchant_cancels_a_paid_order_its_stock_and_money_go_back(
    order, merchant, mailoutbox, django_capture_on_commit_callbacks
):
    record = order.lines.get().stockrecord
    assert record.num_allocated == 1

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order_id=order.pk, reason="Out of stock", user=merchant)

    order.refresh_from_db()
    record.refresh_from_db()
    refund = order.refunds.get()
    assert order.status == states.CANCELLED
    assert (order.payment_state, order.fulfilment_state) == (
        states.PAYMENT_REFUNDED,
        states.FULFILMENT_CANCELLED,
    )
    assert record.num_allocated == 0
    assert order.lines.get().status == states.LINE_CANCELLED
    assert refund.amount == order.total_incl_tax
    cancelled = order.timeline.get(kind=OrderEvent.CANCELLATION)
    assert (cancelled.user, cancelled.message) == (merchant, "Out of stock")
    assert cancelled.emailed_at is not None
    assert [mail.to for mail in mailoutbox] == [["ada@example.com"]]


def test_a_pending_order_cancelled_has_its_payment_voided(order):
    Order.objects.filter(pk=order.pk).update(
        status=states.PENDING_PAYMENT, payment_state=states.PAYMENT_PENDING
    )

    order_cancel(order_id=order.pk, reason="Never paid")

    order.refresh_from_db()
    assert order.payment_state == states.PAYMENT_VOIDED
    assert not order.refunds.exists()


def test_the_shopper_cant_cancel_once_processing_but_the_merchant_can(order):
    order_transition(order_id=order.pk, new_status=states.PROCESSING)

    with pytest.raises(OrderNotCancellable):
        order_cancel(order_id=order.pk, by_shopper=True)
    assert Order.objects.get(pk=order.pk).status == states.PROCESSING

    order_cancel(order_id=order.pk)
    assert Order.objects.get(pk=order.pk).status == states.CANCELLED


def test_a_shipped_order_cant_be_cancelled(order):
    Order.objects.filter(pk=order.pk).update(status=states.SHIPPED)

    with pytest.raises(OrderNotCancellable, match="can't become Cancelled"):
        order_cancel(order_id=order.pk)

    order.refresh_from_db()
    assert (order.status, order.payment_state) == (states.SHIPPED, states.PAYMENT_PAID)
    assert not order.refunds.exists()
