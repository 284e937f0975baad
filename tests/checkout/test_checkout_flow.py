"""The web checkout, as a guest, with the demo gateway's test cards."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from checkout.forms import card_summary
from order.models import Order
from partner.models import StockReservation
from partner.services import StockLine, stock_allocate
from payment.gateways.demo import DECLINED, NEEDS_CONFIRMATION, SUCCEEDS
from payment.models import Payment

pytestmark = pytest.mark.django_db


WHITBY = {"line1": "1 Harbour Street", "line4": "Whitby", "postcode": "YO21 3PU"}


def checkout_to_payment(client, product, *, country="GB", address=WHITBY):
    """Basket, guest email and address: up to the payment details page."""
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    client.post(
        reverse("checkout:index"),
        {"username": "ada@example.com", "options": "anonymous"},
    )
    client.post(
        reverse("checkout:shipping-address"),
        {"first_name": "Ada", "last_name": "Lovelace", "country": country, **address},
    )
    # The only shipping method is chosen on the way to the payment details.
    return client.get(reverse("checkout:payment-details"), follow=True)


def place_order(client, card: str):
    preview = client.post(reverse("checkout:preview"), {"number": card})
    assert preview.status_code == 200
    assert f'name="number" value="{card.replace(" ", "")}"' in preview.content.decode()
    return client.post(
        reverse("checkout:preview"), {"number": card, "action": "place_order"}
    )


def test_a_guest_pays_with_the_demo_card_and_gets_the_order(
    client, teapot, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SHOP_BASE_URL = "https://shop.larder.test"
    page = checkout_to_payment(client, teapot)
    assert 'autocomplete="cc-number"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = place_order(client, "4242 4242 4242 4242")

    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert (order.guest_email, str(order.total_incl_tax)) == (
        "ada@example.com",
        "34.50",
    )
    assert Payment.objects.get().order == order
    assert order.number in client.get(reverse("checkout:thank-you")).content.decode()
    [email] = mailoutbox
    assert email.to == ["ada@example.com"] and order.number in email.body
    # The signed link, on the shop's address in plain text and HTML
    link = f"https://shop.larder.test/accounts/order-status/{order.number}/"
    assert link in email.body
    [(html, _)] = email.alternatives
    assert f'href="{link}' in html


def test_a_declined_card_says_so_and_places_nothing(client, teapot):
    checkout_to_payment(client, teapot)

    response = place_order(client, DECLINED)

    assert response["Location"] == reverse("checkout:payment-details")
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Your card was declined." in page
    assert not Order.objects.exists()


def test_a_card_needing_confirmation_places_the_order_once_confirmed(client, teapot):
    checkout_to_payment(client, teapot)

    response = place_order(client, NEEDS_CONFIRMATION)

    payment = Payment.objects.get()
    confirm_url = reverse("checkout:payment-confirm", kwargs={"pk": payment.pk})
    assert response["Location"] == confirm_url
    assert "£34.50" in client.get(confirm_url).content.decode()
    done = client.post(confirm_url, {"action": "approve"})
    assert done["Location"] == reverse("checkout:thank-you")
    assert Order.objects.count() == 1


def test_another_shopper_cannot_confirm_someone_else_s_payment(client, teapot):
    checkout_to_payment(client, teapot)
    place_order(client, NEEDS_CONFIRMATION)
    payment = Payment.objects.get()
    client.cookies.clear()

    url = reverse("checkout:payment-confirm", kwargs={"pk": payment.pk})
    assert client.post(url, {"action": "approve"}).status_code == 404
    assert not Order.objects.exists()


def test_a_malformed_card_number_is_refused_on_the_form(client, teapot):
    checkout_to_payment(client, teapot)

    response = client.post(reverse("checkout:preview"), {"number": "12ab"})

    assert "Enter a card number of 12 to 19 digits." in response.content.decode()
    assert not Payment.objects.exists()


def test_the_amount_charged_is_the_server_total_whatever_is_posted(client, teapot):
    checkout_to_payment(client, teapot)
    client.post(reverse("checkout:preview"), {"number": SUCCEEDS})

    client.post(
        reverse("checkout:preview"),
        {"number": SUCCEEDS, "action": "place_order", "amount": "0.01", "total": "1"},
    )

    assert str(Payment.objects.get().amount) == "34.50"


def test_the_who_are_you_form_lets_a_browser_send_a_guest_without_a_password(
    client, teapot, django_user_model
):
    client.post(f"/basket/add/{teapot.pk}/", {"quantity": 1})
    html = client.get(reverse("checkout:index")).content.decode()
    password = re.search(r'<input type="password"[^>]*>', html).group(0)
    assert "required" not in password

    django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password="right-password"
    )
    response = client.post(
        reverse("checkout:index"),
        {"username": "ada@example.com", "options": "existing", "password": ""},
    )
    assert response.status_code == 200  # the form again, not signed in
    assert "_auth_user_id" not in client.session


def test_a_shopper_whose_item_sold_out_while_confirming_is_told_and_refunded(
    client, teapot
):
    teapot.stockrecords.update(num_in_stock=1)
    checkout_to_payment(client, teapot)
    place_order(client, NEEDS_CONFIRMATION)
    payment = Payment.objects.get()
    StockReservation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    stock_allocate(lines=[StockLine(teapot.stockrecords.get().pk, 1)])

    response = client.post(
        reverse("checkout:payment-confirm", kwargs={"pk": payment.pk}),
        {"action": "approve"},
    )

    assert response["Location"] == reverse("basket:summary")
    page = client.get(response["Location"]).content.decode()
    assert "Stoneware Teapot is no longer available." in page
    assert "Your payment has been refunded in full." in page
    assert Payment.objects.get().status == Payment.REFUNDED
    assert not Order.objects.exists()


def test_a_total_changed_since_the_preview_charges_nothing_and_says_so(client, teapot):
    checkout_to_payment(client, teapot)
    preview = client.post(reverse("checkout:preview"), {"number": SUCCEEDS})
    assert 'name="total_shown" value="34.50"' in preview.content.decode()
    record = teapot.stockrecords.get()
    record.price = Decimal("39.00")
    record.save()

    response = client.post(
        reverse("checkout:preview"),
        {"number": SUCCEEDS, "action": "place_order", "total_shown": "34.50"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "has changed from £34.50 to £39.00" in html
    assert 'name="total_shown" value="39.00"' in html
    assert not Payment.objects.exists() and not Order.objects.exists()
    assert not StockReservation.objects.exists()

    placed = client.post(
        reverse("checkout:preview"),
        {"number": SUCCEEDS, "action": "place_order", "total_shown": "39.00"},
    )
    assert placed.status_code == 302
    assert str(Order.objects.get().total_incl_tax) == "39.00"


def test_the_preview_shows_the_card_to_be_charged_with_a_change_link(client, teapot):
    checkout_to_payment(client, teapot)

    html = client.post(
        reverse("checkout:preview"), {"number": "4242 4242 4242 4242"}
    ).content.decode()

    assert "Payment details to go here" not in html
    assert "Visa ending 4242" in html
    assert f'href="{reverse("checkout:payment-details")}"' in html


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("5555555555554444", "Mastercard ending 4444"),
        ("2223003122003222", "Mastercard ending 3222"),
        ("378282246310005", "American Express ending 0005"),
        ("6011111111111117", "Discover ending 1117"),
        ("3056930009020004", "Card ending 0004"),
    ],
)
def test_a_card_is_named_by_its_brand_and_last_four_digits(number, shown):
    assert card_summary(number) == shown
