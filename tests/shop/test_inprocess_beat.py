"""On the embedded default (no broker, so no beat process) the web process runs
the periodic tasks itself: an expired stock reservation stops counting, as it
would with `celery beat` running."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from partner.models import StockReservation
from partner.services import StockLine, stock_reserve
from shop import inprocess_beat
from shop.inprocess_beat import InProcessBeat
from tests.checkout.test_order_place import basket_with
from tests.factories import product_in_stock

RELEASE = {"task": "partner.tasks.stock_reservations_release_task", "schedule": 60.0}


def expired_reservation(product) -> StockReservation:
    record = product.stockrecords.get()
    basket = basket_with(product)
    stock_reserve(basket_id=basket.pk, lines=[StockLine(record.pk, 2)])
    StockReservation.objects.filter(basket=basket).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    record.refresh_from_db()
    assert record.num_reserved == 2
    return record


@pytest.mark.django_db
def test_each_task_runs_at_start_and_then_when_its_schedule_is_due():
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50")
    beat = InProcessBeat({"release": RELEASE})

    record = expired_reservation(teapot)
    assert beat.run_due() == ["release"]
    record.refresh_from_db()
    assert record.num_reserved == 0

    record = expired_reservation(teapot)
    assert beat.run_due() == []  # not a minute yet
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert beat.run_due() == ["release"]
    record.refresh_from_db()
    assert record.num_reserved == 0


@pytest.mark.django_db(transaction=True)
def test_the_first_request_starts_the_schedule_in_the_web_process(settings):
    settings.SHOP_INPROCESS_BEAT = True
    settings.CELERY_BEAT_SCHEDULE = {"release": RELEASE}
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50")
    record = expired_reservation(teapot)

    try:
        Client().get("/healthz")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            record.refresh_from_db()
            if record.num_reserved == 0:
                break
            time.sleep(0.1)
    finally:
        inprocess_beat.beat_stop()

    assert record.num_reserved == 0


@pytest.mark.django_db
def test_with_a_broker_the_web_process_leaves_the_schedule_to_beat(settings):
    settings.SHOP_INPROCESS_BEAT = False

    Client().get("/healthz")

    assert inprocess_beat._running is None
