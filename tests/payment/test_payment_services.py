"""Paying for a basket with the demo gateway, and its order placed exactly once."""

import threading
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from oscar.core.loading import get_model

from basket.models import Basket
from order.models import Order
from partner.models import StockReservation
from partner.services import StockLine, StockUnavailable, stock_allocate
from payment import ordering, services
from payment.gateways.demo import DECLINED, NEEDS_CONFIRMATION, SUCCEEDS, DemoGateway
from payment.models import Payment
from tests.checkout.test_order_place import basket_with, checkout_choices
from tests.concurrency import all_at_once
from tests.factories import product_in_stock
from tests.processes import require_postgres_and_redis

Source = get_model("payment", "Source")


def start(basket, card=SUCCEEDS) -> Payment:
    return services.payment_start(
        basket_id=basket.pk,
        gateway=DemoGateway(),
        checkout=checkout_choices(),
        details={"card_number": card},
    )


@pytest.fixture
def teapot():
    return product_in_stock(title="Stoneware Teapot", price="34.50", num_in_stock=5)


@pytest.mark.django_db
def test_a_paid_basket_becomes_one_order_with_the_payment_recorded(teapot):
    basket = basket_with(teapot, 2)

    payment = start(basket)
    order = ordering.payment_order_place(payment_id=payment.pk)
    again = ordering.payment_order_place(payment_id=payment.pk)

    assert payment.status == Payment.SUCCEEDED
    assert payment.amount == Decimal("69.00") == order.total_incl_tax
    assert again.pk == order.pk and Order.objects.count() == 1
    source = Source.objects.get(order=order)
    assert (source.amount_debited, source.reference) == (
        Decimal("69.00"),
        payment.reference,
    )
    record = teapot.stockrecords.get()
    assert (record.num_allocated, record.num_reserved) == (2, 0)


@pytest.mark.django_db
def test_starting_twice_gets_the_same_payment(teapot):
    basket = basket_with(teapot)

    first = start(basket, card=NEEDS_CONFIRMATION)
    second = start(basket, card=NEEDS_CONFIRMATION)

    assert second.pk == first.pk
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_a_declined_card_says_so_and_frees_the_basket_and_stock(teapot):
    basket = basket_with(teapot)

    payment = start(basket, card=DECLINED)

    assert (payment.status, payment.message) == (
        Payment.FAILED,
        "Your card was declined.",
    )
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN
    assert not StockReservation.objects.exists()
    with pytest.raises(ordering.PaymentNotReady):
        ordering.payment_order_place(payment_id=payment.pk)


@pytest.mark.django_db
def test_a_card_needing_confirmation_waits_for_the_shopper(teapot):
    basket = basket_with(teapot)
    payment = start(basket, card=NEEDS_CONFIRMATION)
    assert payment.status == Payment.REQUIRES_ACTION
    assert Basket.objects.get(pk=basket.pk).status == Basket.FROZEN
    assert teapot.stockrecords.get().num_reserved == 1

    confirmed = services.payment_confirm(
        payment_id=payment.pk, details={"approved": True}
    )

    assert confirmed.status == Payment.SUCCEEDED
    assert ordering.payment_order_place(payment_id=payment.pk).lines.count() == 1


@pytest.mark.django_db
def test_a_basket_changed_while_paying_gets_a_new_payment_for_the_new_total(teapot):
    basket = basket_with(teapot)
    first = start(basket, card=NEEDS_CONFIRMATION)
    Basket.objects.filter(pk=basket.pk).update(status=Basket.OPEN)
    basket.lines.update(quantity=2)

    second = start(Basket.objects.get(pk=basket.pk), card=NEEDS_CONFIRMATION)

    first.refresh_from_db()
    assert first.status == Payment.FAILED
    assert (second.amount, second.status) == (Decimal("69.00"), Payment.REQUIRES_ACTION)


@pytest.mark.django_db
def test_too_little_stock_stops_before_the_gateway_is_asked(teapot):
    basket = basket_with(teapot, 3)
    teapot.stockrecords.update(num_in_stock=2)

    with pytest.raises(StockUnavailable):
        start(basket)

    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_a_repeated_success_notice_changes_nothing(teapot):
    payment = start(basket_with(teapot), card=NEEDS_CONFIRMATION)

    for _ in range(3):
        services.payment_succeeded(gateway_name="demo", reference=payment.reference)

    payment.refresh_from_db()
    assert payment.status == Payment.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_return_and_webhook_at_once_place_one_order(teapot):
    require_postgres_and_redis()
    payment = start(basket_with(teapot, 2))

    outcomes = all_at_once(
        [lambda: ordering.payment_order_place(payment_id=payment.pk)] * 5
    )

    assert outcomes == Counter(ok=5)
    assert Order.objects.count() == 1 and Source.objects.count() == 1
    assert teapot.stockrecords.get().num_allocated == 2


@pytest.mark.django_db
def test_a_payment_whose_stock_sold_out_meanwhile_is_refunded_not_kept(teapot):
    teapot.stockrecords.update(num_in_stock=1)
    basket = basket_with(teapot)
    payment = start(basket, card=NEEDS_CONFIRMATION)
    # The shopper dawdles on the extra step; the hold expires and the last
    # teapot goes to someone else.
    StockReservation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    stock_allocate(lines=[StockLine(teapot.stockrecords.get().pk, 1)])
    services.payment_confirm(payment_id=payment.pk, details={"approved": True})

    with pytest.raises(ordering.PaymentRefunded, match="no longer available"):
        ordering.payment_order_place(payment_id=payment.pk)

    payment.refresh_from_db()
    assert payment.status == Payment.REFUNDED
    assert not Order.objects.exists()
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN


class SlowGateway(DemoGateway):
    """A gateway that answers only once `answer` is set."""

    def __init__(self, asked, answer):
        self.asked, self.answer = asked, answer

    def payment_create(self, *, payment, details):
        self.asked.set()
        assert self.answer.wait(timeout=60)
        return super().payment_create(payment=payment, details=details)


@pytest.mark.django_db(transaction=True)
def test_a_slow_gateway_answer_holds_up_no_other_checkout_of_the_same_item(teapot):
    """The gateway is asked after the stock and voucher rows are let go: another
    shopper's payment for the same item goes through meanwhile."""
    require_postgres_and_redis()
    slow_basket, quick_basket = basket_with(teapot), basket_with(teapot)
    asked, answer = threading.Event(), threading.Event()
    slow = {}

    def pay_slowly():
        try:
            slow["payment"] = services.payment_start(
                basket_id=slow_basket.pk,
                gateway=SlowGateway(asked, answer),
                checkout=checkout_choices(),
                details={"card_number": SUCCEEDS},
            )
        finally:
            connection.close()

    thread = threading.Thread(target=pay_slowly)
    thread.start()
    try:
        assert asked.wait(timeout=30)
        quick = start(quick_basket)  # waited for the slow answer before
        quick_done_while_slow_waits = not answer.is_set()
    finally:
        answer.set()
        thread.join(timeout=60)

    assert quick.status == Payment.SUCCEEDED and quick_done_while_slow_waits
    assert slow["payment"].status == Payment.SUCCEEDED
    assert teapot.stockrecords.get().num_reserved == 2
