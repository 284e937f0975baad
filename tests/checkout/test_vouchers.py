"""A voucher's usage limit holds when many shoppers check out with it at once."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from checkout.services import VoucherUnavailable
from order.models import Order
from payment import services as payments
from payment.gateways.demo import NEEDS_CONFIRMATION, DemoGateway
from payment.models import Payment
from tests.checkout.test_order_place import address, basket_again, basket_with, place
from tests.concurrency import all_at_once
from tests.factories import product_in_stock
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
def test_a_voucher_another_shopper_is_paying_with_is_not_available():
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

    with pytest.raises(VoucherUnavailable, match="another order"):
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

    assert outcomes == Counter(ok=1, VoucherUnavailable=49)
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
    assert outcomes == Counter(ok=2, VoucherUnavailable=9)
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

    assert outcomes == Counter(ok=5, VoucherUnavailable=45)
    assert discounted_orders() == 5
    assert voucher.applications.count() == 5
