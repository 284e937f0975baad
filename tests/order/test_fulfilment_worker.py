"""A carrier's callback replayed, on a real `celery -A shop worker` over Redis
and the test database: the order changes once."""

import time

import pytest

from order import states
from order.models import FulfilmentCallback, Order
from order.tasks import fulfilment_callback_process_task
from tests.order.orders import order_paid, products
from tests.order.test_fulfilment_callbacks import SECRET, post, shipped, signed
from tests.processes import (
    broker_unacked,
    broker_waiting,
    celery_worker,
    own_queue,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue():
    """A queue of this test's own in Redis, where the test process sends its
    tasks too; dropped afterwards."""
    with own_queue() as name:
        yield name


@pytest.fixture
def log(tmp_path):
    """The worker's output, shown when the test fails."""
    path = tmp_path / "worker.log"
    path.touch()
    yield path
    print(path.read_text())


def test_a_callback_replayed_three_times_ships_the_order_once(
    client, settings, queue, log
):
    settings.FULFILMENT_WEBHOOK_SECRET = SECRET
    teapot, cups = products("34.50", "8.00")
    order = order_paid((teapot, 1), (cups, 3))
    request = signed(shipped(order))

    with celery_worker(queue=queue, log=log):
        responses = [post(client, request) for _ in range(3)]
        callback = FulfilmentCallback.objects.get()
        # The stored callback's task run again, as a retried or redelivered
        # task would be.
        for _ in range(2):
            fulfilment_callback_process_task.delay(callback_id=callback.pk)
        eventually(lambda: settled(queue, order), "the tasks to finish")

    assert [response.status_code for response in responses] == [200] * 3
    callback.refresh_from_db()
    assert callback.outcome == f"shipped {order.number}-1"
    order.refresh_from_db()
    assert order.status == states.SHIPPED
    assert order.shipments.count() == 1
    assert order.timeline.filter(new_status=states.SHIPPED).count() == 1
    assert [
        (line.stockrecord.num_in_stock, line.stockrecord.num_allocated)
        for line in order.lines.order_by("pk")
    ] == [(9, 0), (7, 0)]
    assert shipped_emails(order) == 1


# --- Helpers ----------------------------------------------------------------


def shipped_emails(order: Order) -> int:
    return order.communication_events.filter(event_type__code="ORDER_SHIPPED").count()


def settled(queue: str, order: Order) -> bool:
    """The callback processed, its email sent, every task acknowledged."""
    return (
        FulfilmentCallback.objects.filter(processed_at__isnull=False).exists()
        and shipped_emails(order) > 0
        and not broker_waiting(queue)
        and not broker_unacked(queue)
    )


def eventually(check, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while not (outcome := check()):
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.2)
    return outcome
