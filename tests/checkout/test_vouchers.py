"""A voucher's usage limit holds when many shoppers check out with it at once."""

import threading
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from checkout.services import VoucherUnavailable, VoucherUsedUp
from order.models import Order
from payment import services as payments
from payment.gateways.demo import NEEDS_CONFIRMATION, SUCCEEDS, DemoGateway
from payment.models import Payment
from tests.checkout.test_checkout_flow import checkout_to_payment
from tests.checkout.test_order_place import address, basket_again, basket_with, place
from tests.concurrency import all_at_once
from tests.factories import product_in_stock
from tests.payment.test_double_submission import place_order_post
from tests.processes import require_postgres_and_redis

Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")
Voucher = get_model("voucher", "Voucher")


def single_use_voucher(code="ONCEONLY") -> Voucher:
    """£5 off any basket, once in the shop's life."""
    everything = Range.objects.create(name=f"All ({code})", includes_all_products=True)
    offer = ConditionalOffer.objects.create(
        name=f"{code}: £5 off",
        offer_type=ConditionalOffer.VOUCHER,
        condition=Condition.objects.create(
            range=everything, type=Condition.COUNT, value=1
        ),
        benefit=Benefit.objects.create(
            range=everything, type=Benefit.FIXED, value=Decimal("5.00")
        ),
    )
    voucher = Voucher.objects.create(
        name=code,
        code=code,
        usage=Voucher.SINGLE_USE,
        start_datetime=timezone.now() - timedelta(days=1),
        end_datetime=timezone.now() + timedelta(days=1),
    )
    voucher.offers.add(offer)
    return voucher


def basket_with_voucher(product, voucher):
    basket = basket_with(product)
    basket.vouchers.add(voucher)
    return basket


def discounted_orders() -> int:
    return Order.objects.filter(discounts__voucher_code="ONCEONLY").count()


@pytest.mark.django_db
def test_a_used_single_use_voucher_is_refused_and_nothing_is_placed():
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50")
    voucher = single_use_voucher()
    first = place(basket_with_voucher(teapot, voucher))
    assert first.total_incl_tax == Decimal("29.50")

    with pytest.raises(VoucherUnavailable, match="ONCEONLY: This voucher has"):
        place(basket_with_voucher(teapot, voucher))

    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_a_voucher_another_shopper_is_paying_with_is_not_available(monkeypatch):
    monkeypatch.setattr(payments, "VOUCHER_HOLD_WAIT", 0.2)
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50")
    voucher = single_use_voucher()
    checkout = {
        "shipping_address_id": address().pk,
        "shipping_method_code": "free-shipping",
    }
    first = payments.payment_start(
        basket_id=basket_with_voucher(teapot, voucher).pk,
        gateway=DemoGateway(),
        checkout=checkout,
        details={"card_number": NEEDS_CONFIRMATION},
    )
    assert first.amount == Decimal("29.50")  # a guest's voucher counts too

    with pytest.raises(payments.VoucherHeld, match="another order right now"):
        payments.payment_start(
            basket_id=basket_with_voucher(teapot, voucher).pk,
            gateway=DemoGateway(),
            checkout=checkout,
            details={"card_number": NEEDS_CONFIRMATION},
        )
    assert Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_fifty_checkouts_with_one_single_use_voucher_make_one_discounted_order():
    require_postgres_and_redis()
    teapot = product_in_stock(title="Stoneware Teapot", num_in_stock=100)
    voucher = single_use_voucher()
    basket_ids = [basket_with_voucher(teapot, voucher).pk for _ in range(50)]

    outcomes = all_at_once([lambda pk=pk: place(basket_again(pk)) for pk in basket_ids])

    assert outcomes == Counter(ok=1, VoucherUsedUp=49)
    assert discounted_orders() == 1
    assert teapot.stockrecords.get().num_allocated == 1


@pytest.mark.django_db(transaction=True)
def test_a_once_per_customer_voucher_gives_each_customer_one_discounted_order(
    django_user_model,
):
    from oscar.apps.shipping.methods import Free

    from checkout.services import order_place

    require_postgres_and_redis()
    teapot = product_in_stock(title="Stoneware Teapot", num_in_stock=100)
    voucher = single_use_voucher("ONCEEACH")
    Voucher.objects.filter(pk=voucher.pk).update(usage=Voucher.ONCE_PER_CUSTOMER)
    ada, grace = (
        django_user_model.objects.create_user(username=name, email=f"{name}@x.org")
        for name in ("ada", "grace")
    )

    def checkout(user):
        basket = basket_with_voucher(teapot, Voucher.objects.get(pk=voucher.pk))
        basket.owner = user
        basket.save()

        def attempt():
            order_place(
                basket=basket_again(basket.pk),
                shipping_method=Free(),
                shipping_address=address(),
                user=user,
            )

        return attempt

    outcomes = all_at_once([checkout(ada) for _ in range(10)] + [checkout(grace)])

    discounted = Order.objects.filter(discounts__voucher_code="ONCEEACH")
    assert outcomes == Counter(ok=2, VoucherUsedUp=9)
    assert sorted(discounted.values_list("user__username", flat=True)) == [
        "ada",
        "grace",
    ]


@pytest.mark.django_db(transaction=True)
def test_fifty_checkouts_with_a_code_good_for_five_orders_make_five():
    require_postgres_and_redis()
    teapot = product_in_stock(title="Stoneware Teapot", num_in_stock=100)
    voucher = single_use_voucher()
    voucher.usage, voucher.max_uses = Voucher.MULTI_USE, 5
    voucher.save()
    basket_ids = [basket_with_voucher(teapot, voucher).pk for _ in range(50)]

    outcomes = all_at_once([lambda pk=pk: place(basket_again(pk)) for pk in basket_ids])

    assert outcomes == Counter(ok=5, VoucherUsedUp=45)
    assert discounted_orders() == 5
    assert voucher.applications.count() == 5


def demo_checkout() -> dict:
    return {
        "shipping_address_id": address().pk,
        "shipping_method_code": "free-shipping",
    }


@pytest.mark.django_db
def test_a_voucher_used_up_meanwhile_is_taken_off_the_basket_and_nothing_charged():
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50")
    voucher = single_use_voucher()
    late = basket_with_voucher(teapot, voucher)
    place(basket_with_voucher(teapot, voucher))

    with pytest.raises(VoucherUsedUp, match="ONCEONLY: This voucher has"):
        payments.payment_start(
            basket_id=late.pk,
            gateway=DemoGateway(),
            checkout=demo_checkout(),
            details={"card_number": SUCCEEDS},
        )

    assert not late.vouchers.exists()
    assert not Payment.objects.exists()
    again = payments.payment_start(
        basket_id=late.pk,
        gateway=DemoGateway(),
        checkout=demo_checkout(),
        details={"card_number": SUCCEEDS},
    )
    assert (again.status, again.amount) == (Payment.SUCCEEDED, Decimal("34.50"))


@pytest.mark.django_db(transaction=True)
def test_a_checkout_waits_for_the_payment_holding_its_voucher_and_gets_it_if_it_fails():
    require_postgres_and_redis()
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50")
    voucher = single_use_voucher()
    holder = payments.payment_start(
        basket_id=basket_with_voucher(teapot, voucher).pk,
        gateway=DemoGateway(),
        checkout=demo_checkout(),
        details={"card_number": NEEDS_CONFIRMATION},
    )
    waiting = basket_with_voucher(teapot, voucher)

    def holder_declined():
        time.sleep(0.5)
        payments.payment_failed(
            gateway_name="demo", reference=holder.reference, message="Declined"
        )

    decline = threading.Thread(target=holder_declined)
    decline.start()
    payment = payments.payment_start(
        basket_id=waiting.pk,
        gateway=DemoGateway(),
        checkout=demo_checkout(),
        details={"card_number": SUCCEEDS},
    )
    decline.join()

    assert (payment.status, payment.amount) == (Payment.SUCCEEDED, Decimal("29.50"))


# --- Through the web checkout ------------------------------------------------


def at_preview_with(client, product, code: str):
    checkout_to_payment(client, product)
    client.post("/basket/vouchers/add/", {"code": code})
    page = client.post(reverse("checkout:preview"), {"number": SUCCEEDS})
    assert "£5.00" in page.content.decode()  # the voucher's discount
    return client


@pytest.mark.django_db(transaction=True)
def test_shoppers_racing_for_a_single_use_voucher_pay_full_price_in_one_more_step(
    teapot,
):
    """Six shoppers place their orders with one single-use code at the same
    moment: one gets the discount; each of the others is told it has been used
    up, finds it taken off and the full price on the preview, and places the
    order with one more click."""
    require_postgres_and_redis()
    teapot.stockrecords.update(num_in_stock=10)
    single_use_voucher()
    shoppers = [at_preview_with(Client(), teapot, "ONCEONLY") for _ in range(6)]
    responses = {}

    def submit(shopper):
        def attempt():
            responses[shopper] = place_order_post(shopper)

        return attempt

    outcomes = all_at_once([submit(shopper) for shopper in shoppers])

    assert outcomes == {"ok": 6}
    placed = [s for s, r in responses.items() if r.status_code == 302]
    told = [s for s, r in responses.items() if r.status_code == 200]
    assert (len(placed), len(told)) == (1, 5)
    for shopper in told:
        html = responses[shopper].content.decode()
        assert "The voucher ONCEONLY has just been used up by another order" in html
        assert 'name="total_shown" value="34.50"' in html
        again = shopper.post(
            reverse("checkout:preview"),
            {"number": SUCCEEDS, "action": "place_order", "total_shown": "34.50"},
        )
        assert again["Location"] == reverse("checkout:thank-you")
    assert discounted_orders() == 1
    totals = sorted(Order.objects.values_list("total_incl_tax", flat=True))
    assert totals == [Decimal("29.50")] + [Decimal("34.50")] * 5
    assert Payment.objects.filter(status=Payment.SUCCEEDED).count() == 6


@pytest.mark.django_db
def test_the_basket_page_takes_off_a_voucher_used_up_and_says_so(client, teapot):
    voucher = single_use_voucher()
    client.post(f"/basket/add/{teapot.pk}/", {"quantity": 1})
    client.post("/basket/vouchers/add/", {"code": "ONCEONLY"})
    place(basket_with_voucher(teapot, voucher))

    html = client.get("/basket/").content.decode()

    assert "The voucher ONCEONLY can&#x27;t be used" in html
    assert "It has been taken off your basket." in html
    assert not voucher.basket_set.filter(status="Open").exists()
    assert "£34.50" in html
