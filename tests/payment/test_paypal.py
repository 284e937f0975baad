"""PayPal through its real server SDK, against a fake PayPal on loopback."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from basket.models import Basket
from order.models import Order
from partner.models import StockReservation
from partner.services import StockLine, stock_allocate
from payment import ordering, reconciliation, services
from payment.gateways import GatewayError, gateway_for
from payment.gateways.demo import SUCCEEDS, DemoGateway
from payment.gateways.paypal import PayPalGateway
from payment.models import Payment
from tests.checkout.test_order_place import basket_with, checkout_choices
from tests.payment.paypal_fake import shopper_at_paypal

pytestmark = pytest.mark.django_db

SHOP = "http://shop.test/checkout"


def start(basket) -> Payment:
    return services.payment_start(
        basket_id=basket.pk,
        gateway=PayPalGateway(),
        checkout=checkout_choices(),
        details={
            "return_url": f"{SHOP}/paypal-return/",
            "cancel_url": f"{SHOP}/paypal-cancel/",
        },
    )


def paid(basket) -> Payment:
    """Started, approved by the shopper at PayPal, and captured."""
    payment = start(basket)
    shopper_at_paypal(payment.action_url)
    return services.payment_confirm(payment_id=payment.pk, details={})


def test_a_paypal_order_is_created_for_the_server_total(
    paypal_settings, fake_paypal, teapot
):
    basket = basket_with(teapot, 2)

    payment = start(basket)

    assert payment.status == Payment.REQUIRES_ACTION
    order = fake_paypal.order(payment.reference)
    [unit] = order["purchase_units"]
    assert order["intent"] == "CAPTURE"
    assert unit["amount"] == {"currency_code": "GBP", "value": "69.00"}
    assert unit["custom_id"] == str(payment.pk)
    assert payment.action_url == (
        f"{fake_paypal.url}/checkoutnow?token={payment.reference}"
    )
    assert Basket.objects.get(pk=basket.pk).status == Basket.FROZEN
    assert teapot.stockrecords.get().num_reserved == 2


def test_an_approved_payment_is_captured_and_its_order_placed_once(
    paypal_settings, fake_paypal, teapot
):
    basket = basket_with(teapot)
    payment = start(basket)
    back = shopper_at_paypal(payment.action_url)

    confirmed = services.payment_confirm(payment_id=payment.pk, details={})
    again = services.payment_confirm(payment_id=payment.pk, details={})
    order = ordering.payment_order_place(payment_id=payment.pk)

    assert back == f"{SHOP}/paypal-return/?token={payment.reference}&PayerID=FAKEPAYER"
    assert confirmed.status == again.status == Payment.SUCCEEDED
    assert len(fake_paypal.captures_of(payment.reference)) == 1
    assert order.total_incl_tax == Decimal("34.50") == payment.amount
    assert ordering.payment_order_place(payment_id=payment.pk) == order


def test_a_payment_the_shopper_did_not_approve_fails_and_frees_the_basket(
    paypal_settings, fake_paypal, teapot
):
    basket = basket_with(teapot)
    payment = start(basket)

    confirmed = services.payment_confirm(payment_id=payment.pk, details={})

    assert confirmed.status == Payment.FAILED
    assert "not approved" in confirmed.message
    assert not fake_paypal.captures_of(payment.reference)
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN
    assert not StockReservation.objects.exists()


def test_a_declined_capture_fails_with_a_message_and_takes_nothing(
    paypal_settings, fake_paypal, teapot
):
    basket = basket_with(teapot)
    payment = start(basket)
    shopper_at_paypal(payment.action_url, choice="decline")

    confirmed = services.payment_confirm(payment_id=payment.pk, details={})

    assert confirmed.status == Payment.FAILED
    assert confirmed.message.startswith("PayPal declined the payment")
    assert not fake_paypal.captures_of(payment.reference)
    with pytest.raises(ordering.PaymentNotReady):
        ordering.payment_order_place(payment_id=payment.pk)


def test_payment_status_follows_paypal(paypal_settings, teapot):
    payment = start(basket_with(teapot))
    gateway = gateway_for("paypal")
    waiting = gateway.payment_status(reference=payment.reference)

    shopper_at_paypal(payment.action_url)
    approved = gateway.payment_status(reference=payment.reference)
    services.payment_confirm(payment_id=payment.pk, details={})

    assert waiting.status == approved.status == Payment.REQUIRES_ACTION
    assert gateway.payment_status(reference=payment.reference).status == "succeeded"


def test_a_refund_repeated_with_the_same_key_refunds_once(
    paypal_settings, fake_paypal, teapot
):
    payment = paid(basket_with(teapot))
    gateway = PayPalGateway()

    first = gateway.refund(payment=payment, amount=payment.amount, key="refund-1")
    again = gateway.refund(payment=payment, amount=payment.amount, key="refund-1")

    assert first.status == again.status == "succeeded"
    assert first.reference == again.reference
    fake = fake_paypal
    [capture] = fake.captures_of(payment.reference)
    assert [r["amount"]["value"] for r in fake.refunds[capture["id"]]] == ["34.50"]
    assert capture["status"] == "REFUNDED"


def test_a_paid_order_that_can_no_longer_be_placed_is_refunded_at_paypal(
    paypal_settings, fake_paypal, teapot
):
    teapot.stockrecords.update(num_in_stock=1)
    basket = basket_with(teapot)
    payment = start(basket)
    # The hold runs out while the shopper is at PayPal; the teapot sells.
    StockReservation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    stock_allocate(lines=[StockLine(teapot.stockrecords.get().pk, 1)])
    shopper_at_paypal(payment.action_url)
    services.payment_confirm(payment_id=payment.pk, details={})

    with pytest.raises(ordering.PaymentRefunded):
        ordering.payment_order_place(payment_id=payment.pk)

    assert Payment.objects.get(pk=payment.pk).status == Payment.REFUNDED
    [capture] = fake_paypal.captures_of(payment.reference)
    assert capture["status"] == "REFUNDED"
    assert not Order.objects.exists()


def test_a_basket_paid_another_way_meanwhile_is_not_charged_again(
    paypal_settings, fake_paypal, teapot
):
    basket = basket_with(teapot)
    payment = start(basket)
    card = services.payment_start(
        basket_id=basket.pk,
        gateway=DemoGateway(),
        checkout=checkout_choices(),
        details={"card_number": SUCCEEDS},
    )
    order = ordering.payment_order_place(payment_id=card.pk)
    shopper_at_paypal(payment.action_url)

    confirmed = services.payment_confirm(payment_id=payment.pk, details={})

    assert confirmed.status == Payment.FAILED
    assert not fake_paypal.captures_of(payment.reference)
    assert list(Order.objects.all()) == [order]


def test_a_capture_whose_news_never_reached_us_is_reconciled(paypal_settings, teapot):
    payment = start(basket_with(teapot))
    shopper_at_paypal(payment.action_url)
    # Captured at PayPal, but the answer was lost on the way back.
    PayPalGateway().payment_confirm(payment=payment, details={})
    Payment.objects.filter(pk=payment.pk).update(
        updated_at=timezone.now() - timedelta(minutes=5)
    )

    [order] = reconciliation.payments_reconcile()

    payment.refresh_from_db()
    assert (payment.status, payment.order) == (Payment.SUCCEEDED, order)


def test_paypal_out_of_reach_starts_nothing(paypal_settings, teapot):
    basket = basket_with(teapot)
    paypal_settings.PAYPAL_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    with pytest.raises(GatewayError):
        start(basket)

    assert Payment.objects.get().status == Payment.FAILED  # asked, unanswered
    assert not StockReservation.objects.exists()
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN


def test_wrong_credentials_are_a_gateway_error(paypal_settings, teapot):
    paypal_settings.PAYPAL_CLIENT_SECRET = "not-the-secret"

    with pytest.raises(GatewayError):
        start(basket_with(teapot))
