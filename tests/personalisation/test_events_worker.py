"""Events flow from a page view through the Redis buffer into the table, by
the flush task on a real Celery worker."""

import time

import pytest

from personalisation.events import events_waiting
from personalisation.models import Event
from personalisation.tasks import events_flush_task
from tests.factories import product_in_stock
from tests.processes import celery_worker, own_queue

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue():
    with own_queue() as name:
        yield name


def test_views_reach_the_table_through_the_worker(client, settings, queue, tmp_path):
    settings.SHOP_ANALYTICS_BUFFER = True
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50")
    log = tmp_path / "worker.log"
    # The worker reads the buffer under this test's cache prefix.
    prefix = settings.CACHES["default"]["KEY_PREFIX"]

    for _ in range(3):
        client.get(teapot.get_absolute_url())
    waiting = events_waiting()
    with celery_worker(queue=queue, log=log, CACHE_KEY_PREFIX=prefix):
        events_flush_task.delay()
        deadline = time.monotonic() + 60
        while Event.objects.count() < 3:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)

    assert waiting == 3
    assert (
        list(Event.objects.values_list("kind", "product_id"))
        == [(Event.Kind.PRODUCT_VIEW, teapot.pk)] * 3
    )
    assert events_waiting() == 0
