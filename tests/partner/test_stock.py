"""Stock reserved while paying, allocated at placement, given back on cancel."""

from datetime import timedelta

import pytest
from django.utils import timezone

from basket.models import Basket
from partner import selectors, services
from partner.models import StockReservation
from partner.services import StockLine, StockUnavailable
from partner.tasks import stock_reservations_release_task
from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def teapot_stock():
    return product_in_stock(title="Stoneware Teapot", num_in_stock=5).stockrecords.get()


def available(record, **kwargs) -> int:
    return selectors.stock_available(stockrecord_ids=[record.pk], **kwargs)[record.pk]


def test_a_reservation_holds_units_from_other_shoppers_until_it_expires(teapot_stock):
    ada, bob = Basket.objects.create(), Basket.objects.create()

    expires = services.stock_reserve(
        basket_id=ada.pk, lines=[StockLine(teapot_stock.pk, 4)], minutes=15
    )

    assert timedelta(minutes=14) < expires - timezone.now() <= timedelta(minutes=15)
    assert available(teapot_stock) == 1
    assert available(teapot_stock, except_basket=ada.pk) == 5
    with pytest.raises(StockUnavailable) as error:
        services.stock_reserve(basket_id=bob.pk, lines=[StockLine(teapot_stock.pk, 2)])
    assert str(error.value) == "Stoneware Teapot: only 1 is left."
    assert not StockReservation.objects.filter(basket=bob).exists()


def test_reserving_again_replaces_the_basket_s_hold(teapot_stock):
    basket = Basket.objects.create()
    services.stock_reserve(basket_id=basket.pk, lines=[StockLine(teapot_stock.pk, 4)])

    services.stock_reserve(basket_id=basket.pk, lines=[StockLine(teapot_stock.pk, 5)])

    assert StockReservation.objects.get(basket=basket).quantity == 5
    assert available(teapot_stock) == 0


def test_expired_reservations_do_not_count_and_beat_releases_them(teapot_stock):
    ada, bob = Basket.objects.create(), Basket.objects.create()
    services.stock_reserve(basket_id=ada.pk, lines=[StockLine(teapot_stock.pk, 5)])
    StockReservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert available(teapot_stock) == 5
    services.stock_reserve(basket_id=bob.pk, lines=[StockLine(teapot_stock.pk, 5)])

    assert stock_reservations_release_task.delay().get() == 1
    assert list(StockReservation.objects.values_list("basket_id", flat=True)) == [
        bob.pk
    ]


def test_allocation_uses_the_basket_s_own_reservation(teapot_stock):
    ada, bob = Basket.objects.create(), Basket.objects.create()
    services.stock_reserve(basket_id=ada.pk, lines=[StockLine(teapot_stock.pk, 3)])
    services.stock_reserve(basket_id=bob.pk, lines=[StockLine(teapot_stock.pk, 2)])

    services.stock_allocate(basket_id=ada.pk, lines=[StockLine(teapot_stock.pk, 3)])

    teapot_stock.refresh_from_db()
    assert teapot_stock.num_allocated == 3
    assert not StockReservation.objects.filter(basket=ada).exists()
    assert available(teapot_stock) == 0  # 5 - 3 allocated - 2 held for bob
    with pytest.raises(StockUnavailable, match="no longer available"):
        services.stock_allocate(lines=[StockLine(teapot_stock.pk, 1)])


def test_a_failed_allocation_changes_nothing(teapot_stock):
    mug_stock = product_in_stock(title="Enamel Mug", num_in_stock=1).stockrecords.get()

    with pytest.raises(StockUnavailable) as error:
        services.stock_allocate(
            lines=[StockLine(teapot_stock.pk, 2), StockLine(mug_stock.pk, 2)]
        )

    assert [s.title for s in error.value.shortfalls] == ["Enamel Mug"]
    teapot_stock.refresh_from_db()
    assert teapot_stock.num_allocated in (0, None)


def test_cancelling_gives_the_allocation_back(teapot_stock):
    services.stock_allocate(lines=[StockLine(teapot_stock.pk, 4)])

    services.stock_allocation_cancel(lines=[StockLine(teapot_stock.pk, 4)])

    assert available(teapot_stock) == 5


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_quantity_below_one_is_refused(teapot_stock, quantity):
    with pytest.raises(ValueError):
        services.stock_allocate(lines=[StockLine(teapot_stock.pk, quantity)])


def test_a_product_without_stock_tracking_is_never_short():
    gift_card = product_in_stock(title="Gift card", num_in_stock=0)
    product_class = gift_card.get_product_class()
    product_class.track_stock = False
    product_class.save()
    record = gift_card.stockrecords.get()

    services.stock_allocate(lines=[StockLine(record.pk, 3)])

    record.refresh_from_db()
    assert record.num_allocated in (0, None)


def test_reserved_units_count_out_of_what_pages_show(client, teapot_stock):
    basket = Basket.objects.create()

    services.stock_reserve(basket_id=basket.pk, lines=[StockLine(teapot_stock.pk, 4)])

    teapot_stock.refresh_from_db()
    assert (teapot_stock.num_reserved, teapot_stock.net_stock_level) == (4, 1)
    html = client.get(teapot_stock.product.get_absolute_url()).content.decode()
    assert "Only 1 left" in html


def test_the_count_follows_release_allocation_and_expiry(teapot_stock):
    ada, bob = Basket.objects.create(), Basket.objects.create()
    services.stock_reserve(basket_id=ada.pk, lines=[StockLine(teapot_stock.pk, 2)])
    services.stock_reserve(basket_id=bob.pk, lines=[StockLine(teapot_stock.pk, 1)])

    services.stock_reservation_release(basket_id=ada.pk)
    teapot_stock.refresh_from_db()
    assert teapot_stock.num_reserved == 1

    services.stock_allocate(basket_id=bob.pk, lines=[StockLine(teapot_stock.pk, 1)])
    teapot_stock.refresh_from_db()
    assert (teapot_stock.num_reserved, teapot_stock.num_allocated) == (0, 1)


def test_beat_heals_a_count_left_by_a_basket_deleted_with_its_reservation(
    teapot_stock,
):
    basket = Basket.objects.create()
    services.stock_reserve(basket_id=basket.pk, lines=[StockLine(teapot_stock.pk, 3)])
    basket.delete()

    services.stock_reservations_release_expired()

    teapot_stock.refresh_from_db()
    assert teapot_stock.num_reserved == 0
