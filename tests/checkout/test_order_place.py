"""The order-placement service: one order per basket, priced by the server, stock
allocated under locks, under concurrent buyers."""

from collections import Counter
from decimal import Decimal

import pytest
from oscar.apps.shipping.methods import Free
from oscar.core.loading import get_model

from basket.models import Basket
from checkout.services import BasketNotOrderable, order_place
from checkout.tasks import order_placed_email_task
from order.models import Order
from partner.services import StockUnavailable
from partner.strategy import Selector
from tests.concurrency import all_at_once
from tests.factories import product_in_stock
from tests.processes import require_postgres_and_redis

ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")


def basket_with(product, quantity=1) -> Basket:
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(product, quantity)
    return basket


def basket_again(basket_id: int) -> Basket:
    """The basket as a new request would load it."""
    basket = Basket.objects.get(pk=basket_id)
    basket.strategy = Selector().strategy()
    return basket


def address() -> ShippingAddress:
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="GB", defaults={"name": "United Kingdom"}
    )
    return ShippingAddress.objects.create(
        first_name="Ada",
        last_name="Lovelace",
        line1="1 Harbour Street",
        line4="Whitby",
        postcode="YO21 3PU",
        country=country,
    )


def checkout_choices() -> dict:
    """What a guest's checkout collected, as the payment services keep it."""
    return {
        "shipping_address_id": address().pk,
        "shipping_method_code": "free-shipping",
        "guest_email": "ada@example.com",
    }


def place(basket: Basket) -> Order:
    return order_place(
        basket=basket,
        shipping_method=Free(),
        shipping_address=address(),
        guest_email="ada@example.com",
    )


@pytest.mark.django_db
def test_an_order_is_placed_with_its_lines_stock_and_a_submitted_basket():
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50", num_in_stock=5)
    basket = basket_with(teapot, 2)

    order = place(basket)

    assert order.lines.get().quantity == 2
    assert order.total_incl_tax == Decimal("69.00")
    assert order.guest_email == "ada@example.com"
    assert basket_again(basket.pk).status == Basket.SUBMITTED
    assert teapot.stockrecords.get().num_allocated == 2


@pytest.mark.django_db
def test_placing_again_returns_the_same_order_and_allocates_once():
    teapot = product_in_stock(title="Stoneware Teapot", num_in_stock=5)
    basket = basket_with(teapot, 2)

    first = place(basket)
    again = place(basket_again(basket.pk))

    assert again.pk == first.pk
    assert Order.objects.count() == 1
    assert teapot.stockrecords.get().num_allocated == 2


@pytest.mark.django_db
def test_prices_come_from_the_server_not_the_stored_line():
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50")
    basket = basket_with(teapot)
    basket.lines.update(price_excl_tax=Decimal("0.01"), price_incl_tax=Decimal("0.01"))

    order = place(basket_again(basket.pk))

    assert order.total_incl_tax == Decimal("34.50")


@pytest.mark.django_db
def test_a_short_stock_places_nothing():
    teapot = product_in_stock(title="Stoneware Teapot", num_in_stock=1)
    basket = basket_with(teapot, 1)
    teapot.stockrecords.update(num_in_stock=0)

    with pytest.raises(StockUnavailable, match="no longer available"):
        place(basket_again(basket.pk))

    assert not Order.objects.exists()
    assert basket_again(basket.pk).status == Basket.OPEN


@pytest.mark.django_db
def test_an_empty_basket_is_refused():
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()

    with pytest.raises(BasketNotOrderable):
        place(basket)


@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_for_the_last_ten_units_get_exactly_ten_orders():
    require_postgres_and_redis()
    teapot = product_in_stock(title="Last Teapots", num_in_stock=10)
    basket_ids = [basket_with(teapot).pk for _ in range(50)]

    outcomes = all_at_once([lambda pk=pk: place(basket_again(pk)) for pk in basket_ids])

    assert outcomes == Counter(ok=10, StockUnavailable=40)
    assert Order.objects.count() == 10
    record = teapot.stockrecords.get()
    assert (record.num_in_stock, record.num_allocated) == (10, 10)


@pytest.mark.django_db(transaction=True)
def test_one_basket_submitted_five_times_at_once_makes_one_order():
    require_postgres_and_redis()
    teapot = product_in_stock(title="Stoneware Teapot", num_in_stock=10)
    basket_id = basket_with(teapot, 3).pk

    outcomes = all_at_once([lambda: place(basket_again(basket_id)) for _ in range(5)])

    assert outcomes == Counter(ok=5)
    assert Order.objects.count() == 1
    assert teapot.stockrecords.get().num_allocated == 3


@pytest.mark.django_db
def test_the_confirmation_email_goes_once_however_often_the_order_is_placed(
    mailoutbox, django_capture_on_commit_callbacks
):
    teapot = product_in_stock(title="Stoneware Teapot", num_in_stock=5)
    basket = basket_with(teapot)

    with django_capture_on_commit_callbacks(execute=True):
        order = place(basket)
        place(basket_again(basket.pk))
    order_placed_email_task.delay(order_id=order.pk)  # a redelivered task

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.com"]


@pytest.mark.django_db
def test_each_order_line_records_the_offer_that_discounted_it_and_by_how_much():
    from tests.basket.test_basket_page import site_offer

    offer = site_offer(name="10% off everything", percent=10)
    basket = basket_with(product_in_stock(title="Teapot", price="34.50"), quantity=2)

    order = place(basket)

    [line] = order.lines.all()
    [line_discount] = line.discounts.all()
    assert line_discount.order_discount.offer_id == offer.pk
    assert line_discount.order_discount.offer_name == "10% off everything"
    assert line_discount.amount == Decimal("6.90")
    assert order.total_incl_tax == Decimal("62.10")


@pytest.mark.django_db
def test_an_order_whose_email_was_never_queued_gets_it_from_the_sweep(mailoutbox):
    from datetime import timedelta

    from django.utils import timezone

    from checkout.tasks import order_placed_emails_sweep_task

    lost = place(basket_with(product_in_stock(title="Lost", num_in_stock=5)))
    recent = place(basket_with(product_in_stock(title="Recent", num_in_stock=5)))
    # Placed, committed, and the worker died before queueing the email.
    Order.objects.filter(pk=lost.pk).update(
        date_placed=timezone.now() - timedelta(minutes=30)
    )

    assert order_placed_emails_sweep_task.delay().get() == 1
    assert order_placed_emails_sweep_task.delay().get() == 0

    [email] = mailoutbox
    assert str(lost.number) in email.body and str(recent.number) not in email.body


@pytest.mark.django_db(transaction=True)
def test_cancelling_an_order_gives_its_stock_back_once_even_at_once():
    from order.services import CANCELLED, order_cancel

    teapot = product_in_stock(title="Stoneware Teapot", num_in_stock=5)
    order = place(basket_with(teapot, quantity=2))
    place(basket_with(teapot, quantity=2))  # another order, still on
    record = teapot.stockrecords.get()
    record.refresh_from_db()
    assert record.num_allocated == 4

    outcomes = all_at_once(
        [lambda: order_cancel(order_id=order.pk, reason="changed mind")] * 5
    )

    record.refresh_from_db()
    order.refresh_from_db()
    assert outcomes == Counter(ok=5)
    assert (record.num_allocated, order.status) == (2, CANCELLED)
    assert order.status_changes.count() == 1
    cancelled = order.timeline.get(kind="cancellation")
    assert (cancelled.new_status, cancelled.message) == (CANCELLED, "changed mind")
