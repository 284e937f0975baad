"""A checkout submitted twice or three times at once (a double click, a second
tab, a retry) through the web checkout: one order, one succeeded payment, and
the money taken is the order's total, whatever the gateway."""

from decimal import Decimal
from http.cookies import SimpleCookie

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from order.models import Order
from payment import services
from payment.gateways import stripe_api
from payment.gateways.demo import DECLINED, SUCCEEDS, DemoGateway
from payment.models import Payment
from tests.checkout.test_checkout_flow import checkout_to_payment
from tests.concurrency import all_at_once
from tests.payment.paypal_fake import shopper_at_paypal
from tests.payment.test_stripe import card
from tests.processes import require_postgres_and_redis

Source = get_model("payment", "Source")

SHOPPERS = 3


def tab_of(client: Client) -> Client:
    """Another tab of the same browser: the same session cookie."""
    tab = Client()
    tab.cookies = SimpleCookie(client.cookies.output(header="", sep=";"))
    return tab


def shoppers_at_payment(product, count: int = SHOPPERS) -> list[Client]:
    shoppers = []
    for _ in range(count):
        client = Client()
        checkout_to_payment(client, product)
        shoppers.append(client)
    return shoppers


def ledger() -> dict:
    """What the gateways took and what the orders are worth, basket by basket."""
    baskets = {}
    for payment in Payment.objects.order_by("pk"):
        entry = baskets.setdefault(
            payment.basket_id, {"succeeded": 0, "refunded": 0, "taken": Decimal(0)}
        )
        if payment.status == Payment.SUCCEEDED:
            entry["succeeded"] += 1
            entry["taken"] += payment.amount
        if payment.status == Payment.REFUNDED:
            entry["refunded"] += 1
    orders = Order.objects.all()
    return {
        "orders": orders.count(),
        "order_totals": orders.aggregate(s=Sum("total_incl_tax"))["s"] or Decimal(0),
        "debited": Source.objects.aggregate(s=Sum("amount_debited"))["s"] or Decimal(0),
        "sources": Source.objects.count(),
        "baskets": sorted(baskets.values(), key=str),
    }


def assert_charged_once_each(shoppers: int) -> dict:
    figures = ledger()
    print(f"\n{figures}")  # quoted in the notes
    assert figures["orders"] == shoppers
    assert figures["sources"] == shoppers
    assert figures["debited"] == figures["order_totals"]
    for basket in figures["baskets"]:
        if basket["succeeded"]:
            assert (basket["succeeded"], basket["refunded"]) == (1, 0), figures
    taken = sum(basket["taken"] for basket in figures["baskets"])
    assert taken == figures["order_totals"]
    return figures


def place_order_post(tab: Client):
    return tab.post(
        reverse("checkout:preview"), {"number": SUCCEEDS, "action": "place_order"}
    )


# --- The demo gateway (and any gateway charging on the server) ---------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("submissions", [2, 3])
def test_place_order_submitted_at_once_charges_each_basket_once(submissions, teapot):
    require_postgres_and_redis()
    shoppers = shoppers_at_payment(teapot)
    responses = []

    def submit(tab):
        def attempt():
            responses.append(place_order_post(tab))

        return attempt

    outcomes = all_at_once(
        [submit(tab_of(shopper)) for shopper in shoppers for _ in range(submissions)]
    )

    assert outcomes == {"ok": SHOPPERS * submissions}
    assert_charged_once_each(SHOPPERS)
    # Every submission ends where the first did (or, posted once the order was
    # placed, on the emptied basket), never on an error.
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} <= {
        reverse("checkout:thank-you"),
        reverse("basket:summary"),
    }


@pytest.mark.django_db
def test_a_basket_paid_for_is_not_charged_again_by_another_submission(teapot):
    shopper = shoppers_at_payment(teapot, 1)[0]
    response = place_order_post(shopper)
    [payment] = Payment.objects.all()
    checkout = payment.checkout

    again = services.payment_start(
        basket_id=payment.basket_id,
        gateway=DemoGateway(),
        checkout=checkout,
        details={"card_number": SUCCEEDS},
    )

    assert response["Location"] == reverse("checkout:thank-you")
    assert again == payment
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_a_submission_finding_the_payment_succeeded_goes_to_its_order(teapot):
    """The first submission's payment succeeded and its order is not placed yet
    (the first request is still on its way, or died there): a second one places
    that order and shows it, charging nothing more."""
    shopper = shoppers_at_payment(teapot, 1)[0]
    shopper.post(
        reverse("checkout:preview"), {"number": DECLINED, "action": "place_order"}
    )  # declined: a failed payment holding what the checkout collected
    declined = Payment.objects.get()
    paid = services.payment_start(
        basket_id=declined.basket_id,
        gateway=DemoGateway(),
        checkout=declined.checkout,
        details={"card_number": SUCCEEDS},
    )
    assert paid.status == Payment.SUCCEEDED and paid.order is None

    response = place_order_post(tab_of(shopper))

    assert response["Location"] == reverse("checkout:thank-you")
    paid.refresh_from_db()
    assert paid.order == Order.objects.get()
    assert Payment.objects.filter(status=Payment.SUCCEEDED).count() == 1
    assert_charged_once_each(1)


# --- Stripe: the page confirms, the shopper comes back ----------------------


def stripe_taken(payments) -> Decimal:
    """What Stripe says it took for these payments."""
    client = stripe_api._client()
    taken = Decimal(0)
    for payment in payments:
        if payment.reference:
            intent = client.v1.payment_intents.retrieve(payment.reference)
            if intent.status == "succeeded":
                taken += Decimal(intent.amount) / 100
    return taken


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("submissions", [2, 3])
def test_stripe_paid_from_several_tabs_at_once_charges_once(
    submissions, teapot, stripe_keys
):
    require_postgres_and_redis()
    shoppers = shoppers_at_payment(teapot)
    responses = []

    def pay(tab):
        def attempt():
            preview = tab.get(reverse("checkout:preview"))
            if preview.status_code == 200:
                html = preview.content.decode()
                secret = html.split('data-client-secret="')[1].split('"')[0]
                payment = Payment.objects.get(client_secret=secret)
                try:
                    _confirm(payment.reference)
                except Exception:  # noqa: BLE001, S110 - another tab confirmed it
                    pass
                responses.append(
                    tab.get(
                        reverse("checkout:stripe-return"),
                        {"payment_intent": payment.reference},
                    )
                )
            else:
                responses.append(preview)

        return attempt

    outcomes = all_at_once(
        [pay(tab_of(shopper)) for shopper in shoppers for _ in range(submissions)]
    )

    assert outcomes == {"ok": SHOPPERS * submissions}
    figures = assert_charged_once_each(SHOPPERS)
    assert stripe_taken(Payment.objects.all()) == figures["order_totals"]
    assert all(r.status_code in (200, 302) for r in responses)


def _confirm(reference: str) -> None:
    client = stripe_api._client()
    client.v1.payment_intents.update(
        reference, params={"payment_method": card("4242424242424242")}
    )
    client.v1.payment_intents.confirm(reference)


@pytest.mark.django_db
def test_a_stripe_preview_opened_after_paying_shows_the_order_not_a_new_charge(
    client, teapot, stripe_keys
):
    """Paid in one tab, Stripe's success recorded, the order not placed yet (the
    return still on its way): the preview in another tab places and shows that
    order instead of asking for a second payment."""
    checkout_to_payment(client, teapot)
    payment = Payment.objects.get()
    _confirm(payment.reference)
    services.payment_refresh(payment_id=payment.pk)

    response = tab_of(client).get(reverse("checkout:preview"))

    assert response["Location"] == reverse("checkout:thank-you")
    assert Payment.objects.get().order == Order.objects.get()
    assert stripe_taken(Payment.objects.all()) == Decimal("34.50")


# --- PayPal: approved on PayPal's page, captured when the shopper is back ----


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("submissions", [2, 3])
def test_paypal_submitted_and_returned_at_once_captures_once(
    submissions, teapot, paypal_settings, fake_paypal
):
    require_postgres_and_redis()
    shoppers = shoppers_at_payment(teapot)
    approvals = {}

    def start(tab, shopper_index):
        def attempt():
            response = tab.post(reverse("checkout:preview"), {"action": "paypal"})
            approvals.setdefault(shopper_index, set()).add(response["Location"])

        return attempt

    tabs = [[tab_of(shopper) for _ in range(submissions)] for shopper in shoppers]
    outcomes = all_at_once(
        [start(tab, index) for index, row in enumerate(tabs) for tab in row]
    )
    assert outcomes == {"ok": SHOPPERS * submissions}
    assert all(len(urls) == 1 for urls in approvals.values()), approvals
    back = {index: shopper_at_paypal(urls.pop()) for index, urls in approvals.items()}

    outcomes = all_at_once(
        [
            (lambda tab=tab, url=back[index]: tab.get(url))
            for index, row in enumerate(tabs)
            for tab in row
        ]
    )

    assert outcomes == {"ok": SHOPPERS * submissions}
    figures = assert_charged_once_each(SHOPPERS)
    captured = [
        capture
        for payment in Payment.objects.all()
        for capture in fake_paypal.captures_of(payment.reference)
    ]
    assert len(captured) == SHOPPERS
    assert (
        sum(Decimal(c["amount"]["value"]) for c in captured)
        == (figures["order_totals"])
    )


@pytest.mark.django_db
def test_paypal_approval_for_a_basket_paid_by_card_meanwhile_captures_nothing(
    client, teapot, paypal_settings, fake_paypal
):
    """ "Pay with PayPal" in one tab, the card in another: once the card has paid
    (its order not placed yet), coming back from PayPal captures nothing."""
    checkout_to_payment(client, teapot)
    at_paypal = client.post(reverse("checkout:preview"), {"action": "paypal"})
    paypal = Payment.objects.get()
    services.payment_start(
        basket_id=paypal.basket_id,
        gateway=DemoGateway(),
        checkout=paypal.checkout,
        details={"card_number": SUCCEEDS},
    )

    client.get(shopper_at_paypal(at_paypal["Location"]))

    paypal.refresh_from_db()
    assert paypal.status == Payment.FAILED
    assert fake_paypal.captures_of(paypal.reference) == []
    assert Payment.objects.filter(status=Payment.SUCCEEDED).count() == 1
