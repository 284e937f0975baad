"""Refunds go back through PayPal when PayPal took the payment (its real server
SDK against the fake PayPal on loopback)."""

from decimal import Decimal

import pytest

from order import states
from order.refunds import RefundLineRequest, RefundRefused, order_refund
from payment import ordering, services
from payment.gateways.paypal import PayPalGateway
from tests.checkout.test_order_place import basket_with, checkout_choices
from tests.payment.conftest import fake_paypal, paypal_settings, teapot  # noqa: F401
from tests.payment.paypal_fake import shopper_at_paypal

pytestmark = pytest.mark.django_db

SHOP = "http://shop.test/checkout"


def paid_at_paypal(product, quantity):
    payment = services.payment_start(
        basket_id=basket_with(product, quantity).pk,
        gateway=PayPalGateway(),
        checkout=checkout_choices(),
        details={
            "return_url": f"{SHOP}/paypal-return/",
            "cancel_url": f"{SHOP}/paypal-cancel/",
        },
    )
    shopper_at_paypal(payment.action_url)
    services.payment_confirm(payment_id=payment.pk, details={})
    return payment, ordering.payment_order_place(payment_id=payment.pk)


def test_a_partial_then_the_rest_are_refunded_at_paypal(
    paypal_settings,  # noqa: F811
    fake_paypal,  # noqa: F811
    teapot,  # noqa: F811
):
    payment, order = paid_at_paypal(teapot, 2)
    [line] = order.lines.all()
    [capture] = fake_paypal.captures_of(payment.reference)

    first = order_refund(
        order_id=order.pk, key="one", lines=[RefundLineRequest(line.pk, 1)]
    )
    second = order_refund(
        order_id=order.pk, key="two", lines=[RefundLineRequest(line.pk, 1)]
    )

    order.refresh_from_db()
    at_paypal = fake_paypal.refunds[capture["id"]]
    assert [refund["amount"]["value"] for refund in at_paypal] == ["34.50", "34.50"]
    assert [first.reference, second.reference] == [r["id"] for r in at_paypal]
    assert order.payment_state == states.PAYMENT_REFUNDED


def test_a_refund_above_what_paypal_captured_never_reaches_paypal(
    paypal_settings,  # noqa: F811
    fake_paypal,  # noqa: F811
    teapot,  # noqa: F811
):
    payment, order = paid_at_paypal(teapot, 1)
    [capture] = fake_paypal.captures_of(payment.reference)

    with pytest.raises(RefundRefused, match="At most 34.50 GBP can be refunded"):
        order_refund(order_id=order.pk, key="too-much", amount=Decimal("34.51"))

    assert fake_paypal.refunds.get(capture["id"], []) == []
    assert not order.refunds.exists()
