"""Anonymous shoppers' events counted in Redis and written in batches."""

import pytest
from oscar.apps.analytics.models import ProductRecord

from analytics import counters
from tests.factories import product_in_stock
from tests.processes import require_postgres_and_redis

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _buffered(settings):
    require_postgres_and_redis()
    settings.SHOP_ANALYTICS_BUFFER = True


@pytest.fixture
def teapot():
    return product_in_stock(title="Stoneware Teapot", price="34.50")


def views_of(product) -> int:
    record = ProductRecord.objects.filter(product=product).first()
    return record.num_views if record else 0


def test_anonymous_views_are_written_by_the_flush_once(client, teapot):
    client.get(teapot.get_absolute_url())
    client.get(teapot.get_absolute_url())
    assert views_of(teapot) == 0

    assert counters.counters_flush() == 1
    assert views_of(teapot) == 2
    assert counters.counters_flush() == 0
    assert views_of(teapot) == 2


def test_additions_add_to_an_existing_record(client, teapot):
    ProductRecord.objects.create(product=teapot, num_views=5, num_basket_additions=1)
    client.post(f"/basket/add/{teapot.pk}/", {"quantity": 1})
    client.get(teapot.get_absolute_url())

    counters.counters_flush()

    record = ProductRecord.objects.get(product=teapot)
    assert (record.num_views, record.num_basket_additions) == (6, 2)


def test_a_batch_left_by_a_flush_that_died_is_written_before_new_counts(teapot):
    client = counters.buffer_client()
    counters.counter_add("views", teapot.pk)
    client.rename(counters._key("views"), counters._key("views:flushing"))
    counters.counter_add("views", teapot.pk)
    counters.counter_add("views", teapot.pk)

    counters.counters_flush()
    assert views_of(teapot) == 1
    counters.counters_flush()
    assert views_of(teapot) == 3


def test_counts_of_a_deleted_product_are_dropped(teapot):
    mug = product_in_stock(title="Enamel Mug")
    counters.counter_add("views", teapot.pk)
    counters.counter_add("views", mug.pk)
    mug.delete()

    assert counters.counters_flush() == 1
    assert views_of(teapot) == 1
    assert not counters.buffer_client().exists(counters._key("views:flushing"))


def test_a_second_flush_while_one_runs_does_nothing(teapot):
    counters.counter_add("views", teapot.pk)

    with counters.buffer_client().lock(counters._key("flush-lock"), timeout=10):
        assert counters.counters_flush() == 0
    assert views_of(teapot) == 0
    assert counters.counters_flush() == 1
