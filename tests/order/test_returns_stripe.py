"""A return refunded through Stripe's real SDK, against localstripe."""

from decimal import Decimal

import pytest
from django.utils import timezone

from order import states
from order.refunds import RefundFailed, order_refund
from order.returns import (
    ReturnLineRequest,
    return_approve,
    return_receive,
    return_refund,
    return_request_create,
)
from payment.gateways import stripe_api
from payment.gateways.stripe_api import StripeGateway
from payment.models import Payment
from tests.order.orders import order_paid, products
from tests.order.test_returns import shipped
from tests.payment.test_stripe import card

pytestmark = pytest.mark.django_db


def test_a_returned_item_goes_back_on_the_shelf_and_is_refunded_at_stripe(
    stripe_settings,
):
    teapot, cup = products("34.50", "8.00", stock=5)
    order = order_paid(
        (teapot, 2),
        (cup, 1),
        gateway=StripeGateway(),
        payment_method=card("4242424242424242"),
    )
    payment = Payment.objects.get(order=order)
    assert (payment.gateway, payment.amount) == ("stripe", Decimal("77.00"))
    order = shipped(order, delivered_at=timezone.now())
    pot_line = order.lines.get(product=teapot)
    assert teapot.stockrecords.get().num_in_stock == 3
    request = return_request_create(
        order_id=order.pk, lines=[ReturnLineRequest(pot_line.pk, 1, "damaged")]
    )
    return_approve(return_id=request.pk)

    return_receive(return_id=request.pk, restock=True)
    refund = return_refund(return_id=request.pk, key=f"return-{request.pk}")

    at_stripe = stripe_api._client().v1.refunds.retrieve(refund.reference)
    assert (at_stripe.amount, at_stripe.currency) == (3450, "gbp")
    assert at_stripe.payment_intent == payment.reference
    assert at_stripe.status == "succeeded"
    assert refund.amount == Decimal("34.50")
    assert teapot.stockrecords.get().num_in_stock == 4
    order.refresh_from_db()
    assert (order.status, order.payment_state) == (
        states.PARTIALLY_REFUNDED,
        states.PAYMENT_PARTIALLY_REFUNDED,
    )


def test_a_refund_stripe_refuses_says_why_and_records_nothing(stripe_settings):
    [teapot] = products("34.50")
    order = order_paid(
        (teapot, 1), gateway=StripeGateway(), payment_method=card("4242424242424242")
    )
    # A payment Stripe does not know (test data cleared at Stripe, say): Stripe
    # answers, and says no.
    Payment.objects.filter(order=order).update(reference="pi_unknown_to_stripe")

    with pytest.raises(RefundFailed, match="The payment gateway refused the refund"):
        order_refund(order_id=order.pk, key="from-the-shop", amount=Decimal("10.00"))

    order.refresh_from_db()
    assert order.payment_state == states.PAYMENT_PAID
    assert not order.refunds.exists()
