"""One pricing path: with a site offer, a voucher and a shipping charge, the
basket page, the checkout's preview, the amount charged, the stored order and
the confirmation email all give the same discounts and total."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from offer.models import Benefit, Condition, ConditionalOffer
from order.models import Order
from payment.gateways.demo import SUCCEEDS
from payment.models import Payment
from shipping.models import OrderAndItemCharges
from tests.basket.test_voucher_entry import voucher
from tests.checkout.test_checkout_flow import WHITBY
from tests.factories import product_in_stock
from tests.offer.offers import offer_create

pytestmark = pytest.mark.django_db


def money_after(label: str, html: str) -> str:
    """The first amount shown after `label` in a page or email."""
    match = re.search(re.escape(label) + r".*?(£[\d,]+\.\d\d)", html, re.S)
    assert match, f"no amount after {label!r}"
    return match.group(1)


def test_basket_preview_charge_order_and_email_agree(
    client, teapot, mailoutbox, django_capture_on_commit_callbacks
):
    jug = product_in_stock(title="Jug", price="20.00")
    offer_create(
        name="Tenth off",
        condition=(Condition.COUNT, "1"),
        benefit=(Benefit.PERCENTAGE, "10"),
        exclusive=False,
    )
    voucher("WELCOME5", minimum_spend="30.00")
    ConditionalOffer.objects.filter(name="WELCOME5 offer").update(exclusive=False)
    OrderAndItemCharges.objects.create(
        code="standard", name="Standard", price_per_order=Decimal("4.95")
    )
    # £34.50 + £20.00 = £54.50; 10% off (£5.45), then £5 off: £44.05; +£4.95.
    expected = {"offer": "£5.45", "voucher": "£5.00", "total": "£49.00"}

    client.post(f"/basket/add/{teapot.pk}/", {"quantity": 1})
    client.post(f"/basket/add/{jug.pk}/", {"quantity": 1})
    client.post("/basket/vouchers/add/", {"code": "welcome5"})
    basket_page = client.get("/basket/").content.decode()

    client.post(
        reverse("checkout:index"),
        {"username": "ada@example.com", "options": "anonymous"},
    )
    client.post(
        reverse("checkout:shipping-address"),
        {"first_name": "Ada", "last_name": "Lovelace", "country": "GB", **WHITBY},
    )
    client.get(reverse("checkout:payment-details"), follow=True)
    preview = client.post(reverse("checkout:preview"), {"number": SUCCEEDS})
    preview_page = preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("checkout:preview"),
            {
                "number": SUCCEEDS,
                "action": "place_order",
                "total_shown": preview.context["order_total"].incl_tax,
            },
        )

    order = Order.objects.get()
    [email] = mailoutbox
    html_email = email.alternatives[0][0] if email.alternatives else email.body
    for page in (basket_page, preview_page):
        assert money_after("Tenth off", page) == expected["offer"]
        assert money_after("<code>WELCOME5</code>", page) == expected["voucher"]
        assert money_after("Order total", page) == expected["total"]
    for body in (email.body, html_email):
        assert money_after("Offer Tenth off", body) == expected["offer"]
        assert money_after("Voucher WELCOME5", body) == expected["voucher"]
        assert money_after("Order Total:", body) == expected["total"]
    assert {d.offer_name: d.amount for d in order.discounts.all()} == {
        "Tenth off": Decimal("5.45"),
        "WELCOME5 offer": Decimal("5.00"),
    }
    assert order.total_incl_tax == Decimal("49.00")
    assert order.shipping_incl_tax == Decimal("4.95")
    assert Payment.objects.get().amount == Decimal("49.00")
