"""The web checkout with PayPal's keys set: "Pay with PayPal" on the preview, the
shopper approving on (a fake) PayPal's page, and back to the shop."""

import pytest
from django.urls import reverse

from basket.models import Basket
from order.models import Order
from partner.models import StockReservation
from payment.models import Payment
from tests.checkout.test_checkout_flow import checkout_to_payment
from tests.factories import product_in_stock
from tests.payment.paypal_fake import shopper_at_paypal

pytestmark = pytest.mark.django_db


def pay_with_paypal(client, **posted):
    return client.post(reverse("checkout:preview"), {"action": "paypal", **posted})


def test_the_preview_offers_paypal_beside_the_card(client, teapot, paypal_settings):
    checkout_to_payment(client, teapot)

    html = client.get(reverse("checkout:preview")).content.decode()

    assert '<input type="hidden" name="action" value="paypal">' in html
    assert "Pay with PayPal" in html
    assert "Or pay with PayPal below." in html
    assert 'name="action" value="place_order"' in html  # the card, as before


def test_without_paypal_s_keys_there_is_no_paypal(client, teapot, settings):
    settings.PAYPAL_CLIENT_ID = settings.PAYPAL_CLIENT_SECRET = ""
    checkout_to_payment(client, teapot)

    html = client.get(reverse("checkout:preview")).content.decode()

    assert "Pay with PayPal" not in html
    assert pay_with_paypal(client).status_code == 404
    assert not Payment.objects.exists()


def test_paying_with_paypal_places_the_order_when_the_shopper_comes_back(
    client,
    teapot,
    paypal_settings,
    fake_paypal,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    checkout_to_payment(client, teapot)

    response = pay_with_paypal(client)

    payment = Payment.objects.get()
    assert (payment.gateway, payment.status) == ("paypal", Payment.REQUIRES_ACTION)
    assert response["Location"] == payment.action_url
    back = shopper_at_paypal(response["Location"])
    assert back.startswith("http://testserver/checkout/paypal-return/?token=")
    with django_capture_on_commit_callbacks(execute=True):
        done = client.get(back)
    assert done["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert Payment.objects.get().order == order
    assert order.number in client.get(done["Location"]).content.decode()
    assert len(fake_paypal.captures_of(payment.reference)) == 1
    assert len(mailoutbox) == 1


def test_posting_twice_makes_one_payment_and_one_paypal_order(
    client, teapot, paypal_settings, fake_paypal
):
    checkout_to_payment(client, teapot)

    first = pay_with_paypal(client)
    second = pay_with_paypal(client)

    payment = Payment.objects.get()
    assert first["Location"] == second["Location"] == payment.action_url
    ours = [
        order
        for order in fake_paypal.orders.values()
        if order["purchase_units"][0]["custom_id"] == str(payment.pk)
    ]
    assert len(ours) == 1


def test_paypal_is_asked_for_the_server_total_whatever_is_posted(
    client, teapot, paypal_settings, fake_paypal
):
    checkout_to_payment(client, teapot)

    pay_with_paypal(client, amount="0.01", total="1", value="0.01", currency="JPY")

    payment = Payment.objects.get()
    [unit] = fake_paypal.order(payment.reference)["purchase_units"]
    assert unit["amount"] == {"currency_code": "GBP", "value": "34.50"}
    assert str(payment.amount) == "34.50"


def test_turning_back_at_paypal_charges_nothing_and_lets_the_stock_go(
    client, teapot, paypal_settings, fake_paypal
):
    checkout_to_payment(client, teapot)
    response = pay_with_paypal(client)
    assert teapot.stockrecords.get().num_reserved == 1

    back = shopper_at_paypal(response["Location"], choice="cancel")
    cancelled = client.get(back)

    assert cancelled["Location"] == reverse("checkout:preview")
    page = client.get(cancelled["Location"]).content.decode()
    assert "You cancelled paying with PayPal; nothing was charged." in page
    payment = Payment.objects.get()
    assert payment.status == Payment.FAILED
    assert not fake_paypal.captures_of(payment.reference)
    assert not StockReservation.objects.exists()
    assert teapot.stockrecords.get().num_reserved == 0
    assert Basket.objects.get(pk=payment.basket_id).status == Basket.OPEN
    assert not Order.objects.exists()


def test_a_declined_capture_says_so_and_places_nothing(
    client, teapot, paypal_settings, fake_paypal
):
    checkout_to_payment(client, teapot)
    response = pay_with_paypal(client)

    back = shopper_at_paypal(response["Location"], choice="decline")
    done = client.get(back)

    assert done["Location"] == reverse("checkout:payment-details")
    page = client.get(done["Location"], follow=True).content.decode()
    assert "PayPal declined the payment; nothing was charged." in page
    assert Payment.objects.get().status == Payment.FAILED
    assert not Order.objects.exists()
    assert not StockReservation.objects.exists()


def test_another_session_cannot_complete_the_payment(
    client, teapot, paypal_settings, fake_paypal
):
    checkout_to_payment(client, teapot)
    back = shopper_at_paypal(pay_with_paypal(client)["Location"])
    client.cookies.clear()

    assert client.get(back).status_code == 404
    assert client.get(back.replace("paypal-return", "paypal-cancel")).status_code == 404
    payment = Payment.objects.get()
    assert payment.status == Payment.REQUIRES_ACTION
    assert not fake_paypal.captures_of(payment.reference)
    assert not Order.objects.exists()


def test_when_paypal_cannot_be_reached_the_shopper_is_told_and_nothing_starts(
    client, teapot, paypal_settings
):
    checkout_to_payment(client, teapot)
    paypal_settings.PAYPAL_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    response = pay_with_paypal(client)

    assert response["Location"] == reverse("checkout:preview")
    page = client.get(response["Location"]).content.decode()
    assert "PayPal can&#x27;t be reached right now; nothing was charged." in page
    assert Payment.objects.get().status == Payment.FAILED  # asked, unanswered
    assert not StockReservation.objects.exists()


def test_when_paypal_cannot_be_asked_on_return_the_shopper_waits(
    client, teapot, paypal_settings
):
    checkout_to_payment(client, teapot)
    back = shopper_at_paypal(pay_with_paypal(client)["Location"])
    paypal_settings.PAYPAL_API_BASE = "http://127.0.0.1:9"

    response = client.get(back)

    assert response.status_code == 200
    assert "Your payment is being processed" in response.content.decode()
    assert Payment.objects.get().status == Payment.REQUIRES_ACTION


def test_a_total_changed_since_the_preview_sends_nobody_to_paypal(
    client, teapot, paypal_settings, fake_paypal
):
    checkout_to_payment(client, teapot)
    html = client.get(reverse("checkout:preview")).content.decode()
    assert 'name="total_shown" value="34.50"' in html
    record = teapot.stockrecords.get()
    record.price = "29.00"
    record.save()

    response = pay_with_paypal(client, total_shown="34.50")

    assert response["Location"] == reverse("checkout:preview")
    page = client.get(response["Location"]).content.decode()
    assert "has changed from £34.50 to £29.00" in page
    assert not Payment.objects.exists() and not StockReservation.objects.exists()


def test_a_shopper_back_from_paypal_without_a_word_can_go_on_or_cancel(
    client, teapot, paypal_settings, fake_paypal
):
    checkout_to_payment(client, teapot)
    pay_with_paypal(client)
    payment = Payment.objects.get()

    page = client.get(reverse("basket:summary")).content.decode()

    assert "Your payment of £34.50 is waiting for you to confirm it" in page
    assert f'href="{payment.action_url}"' in page
    cancel = f"{reverse('checkout:paypal-cancel')}?token={payment.reference}"
    assert cancel in page
    cosy = product_in_stock(title="Tea Cosy")
    client.post(f"/basket/add/{cosy.pk}/", {"quantity": 1})  # meanwhile
    client.get(cancel)
    again = client.get(reverse("basket:summary")).content.decode()
    assert "is waiting for you to confirm it" not in again
    assert "Stoneware Teapot" in again and "Tea Cosy" in again
    assert not StockReservation.objects.exists()
