"""Payments whose success never reached us get their order from beat."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from order.models import Order
from partner.models import StockReservation
from payment import reconciliation, services
from payment.gateways import stripe_api
from payment.gateways.stripe_api import StripeGateway
from payment.models import Payment
from payment.tasks import payments_reconcile_task
from tests.checkout.test_order_place import basket_with, checkout_choices
from tests.factories import product_in_stock
from tests.payment.test_stripe import card, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def teapot(stripe_settings):
    return product_in_stock(title="Stoneware Teapot", price="34.50", num_in_stock=5)


def minutes_ago(payment: Payment, minutes: int, **fields) -> None:
    Payment.objects.filter(pk=payment.pk).update(
        updated_at=timezone.now() - timedelta(minutes=minutes), **fields
    )


def test_a_lost_webhook_s_payment_gets_its_order_and_a_log_line(teapot, caplog):
    payment = start(basket_with(teapot), payment_method=card("4242424242424242"))
    minutes_ago(payment, 5, status=Payment.CREATED)  # as if only Stripe knew

    with caplog.at_level(logging.WARNING, logger="payment.reconciliation"):
        assert payments_reconcile_task.delay().get() == 1

    payment.refresh_from_db()
    assert payment.status == Payment.SUCCEEDED and payment.order is not None
    assert f"Reconciled payment {payment.pk}: order" in caplog.text


def test_a_succeeded_payment_without_an_order_gets_it(teapot):
    payment = start(basket_with(teapot), payment_method=card("4242424242424242"))
    minutes_ago(payment, 5)

    [order] = reconciliation.payments_reconcile()

    assert Payment.objects.get(pk=payment.pk).order == order


def test_unpaid_and_recent_payments_are_left_alone(teapot):
    unpaid = start(basket_with(teapot))
    minutes_ago(unpaid, 30)
    start(basket_with(teapot), payment_method=card("4242424242424242"))  # just now

    assert reconciliation.payments_reconcile() == []
    assert not Order.objects.exists()
    assert Payment.objects.get(pk=unpaid.pk).status == Payment.CREATED


def test_a_payment_never_sent_to_its_gateway_ends_and_lets_its_stock_go(teapot):
    """Its process died between reserving the stock and asking the gateway."""
    basket = basket_with(teapot)
    payment = services._payment_open(
        basket_id=basket.pk,
        gateway=StripeGateway(),
        checkout=checkout_choices(),
        shown_total=None,
    )
    assert StockReservation.objects.filter(basket_id=basket.pk).exists()
    in_flight = services._payment_open(
        basket_id=basket_with(teapot).pk,
        gateway=StripeGateway(),
        checkout=checkout_choices(),
        shown_total=None,
    )
    minutes_ago(payment, 5)

    assert reconciliation.payments_reconcile() == []

    assert Payment.objects.get(pk=payment.pk).status == Payment.FAILED
    assert not StockReservation.objects.filter(basket_id=basket.pk).exists()
    assert Payment.objects.get(pk=in_flight.pk).status == Payment.CREATED  # recent


def started_ago(payment: Payment, *, status: str | None = None, **age) -> None:
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - timedelta(**age),
        updated_at=timezone.now() - timedelta(minutes=5),
        status=status or payment.status,
    )


def test_a_payment_left_open_past_its_gateway_s_time_is_cancelled_there_and_ended(
    teapot, caplog
):
    basket = basket_with(teapot)
    left = start(basket)  # the shopper never entered a card
    started_ago(left, days=1, minutes=1)
    waiting = start(basket_with(teapot))
    started_ago(waiting, hours=23)

    with caplog.at_level(logging.WARNING, logger="payment.reconciliation"):
        assert reconciliation.payments_reconcile() == []

    left.refresh_from_db()
    assert left.status == Payment.FAILED
    assert left.message == "The payment was not completed in time."
    intent = stripe_api._client().v1.payment_intents.retrieve(left.reference)
    assert intent.status == "canceled"  # it can't be charged unwatched
    assert not StockReservation.objects.filter(basket_id=basket.pk).exists()
    assert f"Payment {left.pk} was not completed in time" in caplog.text
    assert Payment.objects.get(pk=waiting.pk).status == Payment.CREATED


def test_a_payment_that_succeeded_at_the_last_moment_is_not_cancelled(teapot):
    payment = start(basket_with(teapot), payment_method=card("4242424242424242"))
    started_ago(payment, days=2, status=Payment.REQUIRES_ACTION)

    [order] = reconciliation.payments_reconcile()

    payment.refresh_from_db()
    assert (payment.status, payment.order) == (Payment.SUCCEEDED, order)


def test_an_ended_payment_is_not_asked_about_again(teapot, monkeypatch):
    payment = start(basket_with(teapot))
    started_ago(payment, days=2)
    reconciliation.payments_reconcile()

    def asked(*args, **kwargs):
        raise AssertionError("the gateway was asked about an ended payment")

    monkeypatch.setattr(StripeGateway, "payment_status", asked)
    monkeypatch.setattr(StripeGateway, "payment_abandon", asked)
    assert reconciliation.payments_reconcile() == []
