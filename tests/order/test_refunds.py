"""Refunds (order.refunds) through the demo gateway: by lines, by an amount,
plus shipping; never more than was captured or bought, once per key."""

from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from order import states
from order.models import OrderEvent, Refund
from order.refunds import (
    RefundLineRequest,
    RefundRefused,
    order_refund,
    refundable,
)
from shipping.models import OrderAndItemCharges
from tests.concurrency import all_at_once
from tests.order.orders import order_paid, products
from tests.order.test_returns import shipped
from tests.processes import require_postgres_and_redis

PaymentEvent = get_model("order", "PaymentEvent")

pytestmark = pytest.mark.django_db


def delivered(*lines, **kwargs):
    return shipped(order_paid(*lines, **kwargs), delivered_at=timezone.now())


def refund_lines(order, *wanted, key="refund-1", **kwargs):
    return order_refund(
        order_id=order.pk,
        key=key,
        lines=[RefundLineRequest(line.pk, quantity) for line, quantity in wanted],
        **kwargs,
    )


def state(order) -> tuple:
    """What a refused refund must leave as it was."""
    order.refresh_from_db()
    return (
        order.status,
        order.payment_state,
        order.refunds.count(),
        order.timeline.count(),
        PaymentEvent.objects.filter(order=order).count(),
        [line.status for line in order.lines.order_by("pk")],
    )


def test_a_full_refund_by_lines_after_delivery_refunds_the_order(
    mailoutbox, django_capture_on_commit_callbacks
):
    teapot, cup = products("34.50", "8.00")
    order = delivered((teapot, 1), (cup, 2))
    pot_line, cup_line = order.lines.order_by("pk")

    with django_capture_on_commit_callbacks(execute=True):
        refund = refund_lines(order, (pot_line, 1), (cup_line, 2), reason="Lost")

    order.refresh_from_db()
    assert (refund.amount, refund.status) == (Decimal("50.50"), Refund.SUCCEEDED)
    assert refund.reference.startswith("demo_re_")
    assert [(item.line, item.quantity, item.amount) for item in refund.lines.all()] == [
        (pot_line, 1, Decimal("34.50")),
        (cup_line, 2, Decimal("16.00")),
    ]
    assert (order.status, order.payment_state) == (
        states.REFUNDED,
        states.PAYMENT_REFUNDED,
    )
    assert refundable(order) == 0
    event = order.timeline.get(kind=OrderEvent.REFUND)
    assert (event.old_status, event.new_status) == (states.DELIVERED, states.REFUNDED)
    assert event.message == "Refunded 50.50 GBP: Lost"
    [payment_event] = PaymentEvent.objects.filter(order=order)
    assert (payment_event.event_type.code, payment_event.amount) == (
        "refunded",
        Decimal("50.50"),
    )
    assert {(q.line_id, q.quantity) for q in payment_event.line_quantities.all()} == {
        (pot_line.pk, 1),
        (cup_line.pk, 2),
    }
    assert order.sources.get().amount_refunded == Decimal("50.50")
    [email] = mailoutbox
    assert email.subject == f"Order {order.number} refunded"
    assert "£50.50" in email.body and "Product 2" in email.body


def test_partial_refunds_move_the_order_to_partially_refunded_then_refunded(
    mailoutbox, django_capture_on_commit_callbacks
):
    [cup] = products("8.00")
    order = delivered((cup, 3))
    [line] = order.lines.all()

    with django_capture_on_commit_callbacks(execute=True):
        first = refund_lines(order, (line, 1), key="one")
    order.refresh_from_db()
    assert first.amount == Decimal("8.00")
    assert (order.status, order.payment_state) == (
        states.PARTIALLY_REFUNDED,
        states.PAYMENT_PARTIALLY_REFUNDED,
    )

    with django_capture_on_commit_callbacks(execute=True):
        rest = order_refund(order_id=order.pk, key="rest", amount=Decimal("16.00"))
    order.refresh_from_db()
    assert rest.amount == Decimal("16.00")
    assert (order.status, order.payment_state) == (
        states.REFUNDED,
        states.PAYMENT_REFUNDED,
    )
    issued, refunded = mailoutbox
    assert issued.subject == f"Refund of £8.00 for order {order.number}"
    assert refunded.subject == f"Order {order.number} refunded"


def test_a_discounted_line_refunded_in_parts_adds_up_to_what_it_cost():
    from tests.basket.test_basket_page import site_offer

    site_offer(percent=15)
    [mug] = products("9.99")
    order = delivered((mug, 3))
    [line] = order.lines.all()
    paid = line.line_price_incl_tax
    assert paid < Decimal("29.97")

    parts = [refund_lines(order, (line, 1), key=f"mug-{n}").amount for n in range(3)]

    share = (paid / 3).quantize(Decimal("0.01"))
    assert parts[:2] == [share, share]
    assert sum(parts) == paid
    order.refresh_from_db()
    assert order.status == states.REFUNDED


def test_shipping_is_refunded_with_the_lines_but_never_more_than_was_paid():
    OrderAndItemCharges.objects.create(
        code="standard", name="Standard", price_per_order=Decimal("4.95")
    )
    [teapot] = products("34.50")
    order = delivered((teapot, 1), shipping_method_code="standard")
    [line] = order.lines.all()
    assert order.total_incl_tax == Decimal("39.45")

    refund = refund_lines(order, (line, 1), shipping=Decimal("4.95"))

    assert (refund.amount, refund.shipping_amount) == (
        Decimal("39.45"),
        Decimal("4.95"),
    )
    with pytest.raises(RefundRefused, match="At most 0.00 of shipping"):
        order_refund(order_id=order.pk, key="again", shipping=Decimal("1.00"))


def test_a_refund_by_amount_before_shipping_leaves_the_order_where_it_is(
    mailoutbox, django_capture_on_commit_callbacks
):
    [teapot] = products("34.50")
    order = order_paid((teapot, 2))

    with django_capture_on_commit_callbacks(execute=True):
        refund = order_refund(
            order_id=order.pk, key="goodwill", amount=Decimal("5.00"), reason="Late"
        )

    order.refresh_from_db()
    assert refund.amount == Decimal("5.00") and not refund.lines.exists()
    assert (order.status, order.payment_state) == (
        states.PAID,
        states.PAYMENT_PARTIALLY_REFUNDED,
    )
    [email] = mailoutbox
    assert email.subject == f"Refund of £5.00 for order {order.number}"


def test_a_line_refunded_before_it_ships_is_cancelled_and_its_stock_released():
    teapot, cup = products("34.50", "8.00")
    order = order_paid((teapot, 1), (cup, 2))
    pot_line, cup_line = order.lines.order_by("pk")

    refund_lines(order, (pot_line, 1))

    pot_line.refresh_from_db()
    assert (pot_line.status, pot_line.num_allocated) == (states.LINE_CANCELLED, 0)
    assert teapot.stockrecords.get().num_allocated == 0
    assert cup.stockrecords.get().num_allocated == 2
    order.refresh_from_db()
    assert order.status == states.PAID


def test_a_refund_above_what_was_captured_is_refused_and_changes_nothing(caplog):
    [teapot] = products("34.50")
    order = delivered((teapot, 2))
    order_refund(order_id=order.pk, key="first", amount=Decimal("10.00"))
    before = state(order)

    with pytest.raises(RefundRefused) as refused:
        order_refund(order_id=order.pk, key="second", amount=Decimal("59.01"))

    assert str(refused.value) == (
        "At most 59.00 GBP can be refunded: 69.00 was captured and 10.00 has "
        "been refunded already."
    )
    assert state(order) == before
    assert f"Refund on order {order.number} refused: At most 59.00" in caplog.text


def test_a_negative_amount_is_refused(caplog):
    [teapot] = products("34.50")
    order = delivered((teapot, 1))
    before = state(order)

    with pytest.raises(RefundRefused, match="can't be a negative amount"):
        order_refund(order_id=order.pk, key="minus", amount=Decimal("-5.00"))

    assert state(order) == before
    assert "negative" in caplog.text


def test_more_units_than_were_bought_are_refused():
    [cup] = products("8.00")
    order = delivered((cup, 2))
    [line] = order.lines.all()
    refund_lines(order, (line, 1), key="one")
    before = state(order)

    with pytest.raises(RefundRefused) as refused:
        refund_lines(order, (line, 2), key="two")

    assert str(refused.value) == (
        "Only 1 of “Product 1” can be refunded: 2 bought, 1 refunded already."
    )
    assert state(order) == before


def test_nothing_to_refund_is_refused():
    [cup] = products("8.00")
    order = delivered((cup, 2))

    with pytest.raises(RefundRefused, match="Choose what to refund"):
        order_refund(order_id=order.pk, key="nothing")


def test_a_key_used_on_another_order_is_refused():
    [cup] = products("8.00")
    first, second = delivered((cup, 1)), delivered((cup, 1))
    order_refund(order_id=first.pk, key="shared", amount=Decimal("1.00"))

    with pytest.raises(RefundRefused, match="already made for another order"):
        order_refund(order_id=second.pk, key="shared", amount=Decimal("1.00"))


def test_the_same_key_again_returns_the_refund_already_made():
    [cup] = products("8.00")
    order = delivered((cup, 2))

    first = order_refund(order_id=order.pk, key="k", amount=Decimal("3.00"))
    again = order_refund(order_id=order.pk, key="k", amount=Decimal("3.00"))

    assert again.pk == first.pk
    assert refundable(order) == Decimal("13.00")


@pytest.mark.django_db(transaction=True)
def test_a_double_clicked_refund_refunds_once():
    require_postgres_and_redis()
    [teapot] = products("34.50")
    order = delivered((teapot, 2))
    [line] = order.lines.all()

    outcomes = all_at_once([lambda: refund_lines(order, (line, 1), key="form-abc")] * 5)

    assert outcomes == Counter(ok=5)
    assert order.refunds.count() == 1
    assert PaymentEvent.objects.filter(order=order).count() == 1
    assert refundable(order) == Decimal("34.50")
    order.refresh_from_db()
    assert order.status == states.PARTIALLY_REFUNDED
    assert order.timeline.filter(kind=OrderEvent.REFUND).count() == 1


@pytest.mark.django_db(transaction=True)
def test_refunds_with_different_keys_at_once_never_exceed_what_was_captured():
    require_postgres_and_redis()
    [teapot] = products("34.50")
    order = delivered((teapot, 2))

    outcomes = all_at_once(
        [
            lambda n=n: order_refund(
                order_id=order.pk, key=f"tab-{n}", amount=Decimal("30.00")
            )
            for n in range(5)
        ]
    )

    assert outcomes == Counter(ok=2, RefundRefused=3)
    assert refundable(order) == Decimal("9.00")
    assert sum(refund.amount for refund in order.refunds.all()) == Decimal("60.00")
    order.refresh_from_db()
    assert order.payment_state == states.PAYMENT_PARTIALLY_REFUNDED
