"""Many shoppers at once for the last units: Postgres row locks decide, each
thread on its own connection, as each web request would be."""

from collections import Counter

import pytest

from basket.models import Basket
from partner import services
from partner.bulk import StockLevel, stock_levels_set
from partner.models import StockReservation
from partner.services import StockLine, StockUnavailable
from tests.concurrency import all_at_once
from tests.factories import product_in_stock
from tests.processes import require_postgres_and_redis

pytestmark = pytest.mark.django_db(transaction=True)

BUYERS = 50


@pytest.fixture(autouse=True)
def _postgres():
    require_postgres_and_redis()


def test_fifty_buyers_for_the_last_ten_units_make_exactly_ten_allocations():
    record = product_in_stock(title="Last Teapots", num_in_stock=10).stockrecords.get()
    line = [StockLine(record.pk, 1)]

    outcomes = all_at_once(
        [lambda: services.stock_allocate(lines=line) for _ in range(BUYERS)]
    )

    assert outcomes == Counter(ok=10, StockUnavailable=40)
    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (10, 10)


def test_fifty_baskets_reserving_the_last_ten_units_hold_exactly_ten():
    record = product_in_stock(title="Last Teapots", num_in_stock=10).stockrecords.get()
    baskets = [Basket.objects.create() for _ in range(BUYERS)]

    outcomes = all_at_once(
        [
            lambda basket=basket: services.stock_reserve(
                basket_id=basket.pk, lines=[StockLine(record.pk, 1)]
            )
            for basket in baskets
        ]
    )

    assert outcomes == Counter(ok=10, StockUnavailable=40)
    assert StockReservation.objects.filter(stockrecord=record).count() == 10


def test_baskets_naming_the_same_items_in_either_order_never_deadlock():
    first = product_in_stock(title="Teapot", num_in_stock=100).stockrecords.get()
    second = product_in_stock(title="Cup", num_in_stock=100).stockrecords.get()
    forwards = [StockLine(first.pk, 1), StockLine(second.pk, 1)]
    backwards = list(reversed(forwards))

    outcomes = all_at_once(
        [
            lambda lines=(forwards if n % 2 else backwards): services.stock_allocate(
                lines=lines
            )
            for n in range(40)
        ]
    )

    assert outcomes == Counter(ok=40)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.num_allocated == second.num_allocated == 40


def test_a_shopper_told_no_sees_why_and_nothing_is_held_for_them():
    record = product_in_stock(title="Last Teapots", num_in_stock=1).stockrecords.get()
    services.stock_allocate(lines=[StockLine(record.pk, 1)])
    basket = Basket.objects.create()

    with pytest.raises(StockUnavailable) as error:
        services.stock_reserve(basket_id=basket.pk, lines=[StockLine(record.pk, 1)])

    assert str(error.value) == "Last Teapots is no longer available."
    assert not StockReservation.objects.filter(basket=basket).exists()


def test_an_erp_setting_stock_while_shoppers_buy_never_oversells_or_deadlocks():
    """The ERP names the records in the opposite order to the shoppers' orders;
    whichever takes the locks first, what is allocated never exceeds what is on
    hand, and a level below what was already sold is refused whole."""
    first = product_in_stock(title="Teapot", num_in_stock=100).stockrecords.get()
    second = product_in_stock(title="Cup", num_in_stock=100).stockrecords.get()
    for record, sku in ((first, "TEA-1"), (second, "CUP-1")):
        record.partner_sku = sku
        record.save()
    order = [StockLine(first.pk, 1), StockLine(second.pk, 1)]
    levels = [StockLevel("CUP-1", 8), StockLevel("TEA-1", 8)]

    outcomes = all_at_once(
        [lambda: stock_levels_set(levels=levels) for _ in range(3)]
        + [lambda: services.stock_allocate(lines=order) for _ in range(30)]
    )

    assert set(outcomes) <= {"ok", "StockUnavailable", "RowsRefused"}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.num_allocated == second.num_allocated
    assert first.num_in_stock == second.num_in_stock
    assert first.num_allocated <= first.num_in_stock
    bought = outcomes["ok"] - (3 - outcomes["RowsRefused"])
    assert bought == first.num_allocated
