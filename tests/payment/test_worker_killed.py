"""A worker killed in the middle of a webhook task: the task comes back and its
effect is applied once.

A real `celery -A shop worker` over Redis, on the test database. The test holds
the basket's row lock, so the task for Stripe's `payment_intent.succeeded` stops
in the middle, at a known point: the event locked, the payment marked succeeded
in its transaction, the order about to be placed. There it is killed: its pool
process alone (the worker hands the task back at once), or the whole worker before
or after the task's commit (Redis hands it to the next worker once the visibility
timeout has passed).
"""

import os
import re
import signal
import time
import uuid
from contextlib import contextmanager

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from basket.models import Basket
from order.models import Order
from payment.models import Payment, WebhookEvent
from payment.tasks import webhook_event_process_task
from tests.checkout.test_order_place import basket_with
from tests.factories import product_in_stock
from tests.payment.test_stripe import start
from tests.payment.test_stripe_webhooks import event
from tests.processes import (
    broker_forget,
    broker_unacked,
    broker_waiting,
    celery_worker,
    child_processes,
    require_postgres_and_redis,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Seconds before Redis gives a task a dead worker took to the next worker; an
# hour as deployed, so only the tests that kill a worker whole shorten it. A worker
# started with it hands out again whatever any worker on the same Redis database
# has had for longer: the tests' Redis database must be their own, as CI's is.
VISIBILITY_TIMEOUT = 2


@pytest.fixture
def queue():
    """A queue of this test's own in Redis, dropped afterwards."""
    require_postgres_and_redis()
    name = f"test-{uuid.uuid4().hex[:8]}"
    yield name
    broker_forget(name)


@pytest.fixture
def worker_env(stripe_settings):
    """The workers use the test's fake Stripe (a refund would go there)."""
    return {
        "STRIPE_SECRET_KEY": stripe_settings.STRIPE_SECRET_KEY,
        "STRIPE_WEBHOOK_SECRET": stripe_settings.STRIPE_WEBHOOK_SECRET,
        "STRIPE_API_BASE": stripe_settings.STRIPE_API_BASE,
    }


@pytest.fixture
def log(tmp_path):
    """The workers' output, shown when the test fails."""
    path = tmp_path / "worker.log"
    path.touch()
    yield path
    print(path.read_text())


@pytest.fixture
def paid(stripe_settings) -> WebhookEvent:
    """Stripe's word that a started payment succeeded, stored as the webhook view
    stores it; its task is not queued yet."""
    teapot = product_in_stock(title="Stoneware Teapot", price="34.50", num_in_stock=5)
    payment = start(basket_with(teapot))
    assert payment.status == Payment.CREATED
    payload = event("payment_intent.succeeded", payment.reference)
    return WebhookEvent.objects.create(
        gateway="stripe", event_id=payload["id"], type=payload["type"], payload=payload
    )


def test_a_killed_pool_process_s_task_comes_back_at_once_and_acts_once(
    queue, worker_env, log, paid
):
    basket_id = payment_of(paid).basket_id
    with celery_worker(queue=queue, log=log, **worker_env) as worker:
        with row_locked(Basket, basket_id):
            task_id = task_queue(paid, queue=queue)
            (killed_session,) = eventually(backends_waiting, "the task to start")
            (pool_process,) = child_processes(worker.pid)

            os.kill(pool_process, signal.SIGKILL)

            # The worker gives the task back and its new pool process takes it at
            # once (not after the visibility timeout, an hour): it waits for the
            # event the killed task's transaction, not over yet, still locks.
            eventually(
                lambda: backends_waiting() - {killed_session},
                "the task to come back while the lock is held",
            )
        eventually(lambda: settled(queue), "the task to finish")

    assert task_runs(log, task_id) == ["succeeded"]  # the killed run never ended
    assert_applied_once(paid)


@pytest.mark.parametrize("moment", ["before its commit", "after its commit"])
def test_the_task_of_a_worker_killed_whole_goes_to_the_next_worker_and_acts_once(
    queue, worker_env, log, paid, moment
):
    worker_env["CELERY_VISIBILITY_TIMEOUT"] = str(VISIBILITY_TIMEOUT)
    payment = payment_of(paid)
    with celery_worker(queue=queue, log=log, **worker_env) as worker:
        with row_locked(Basket, payment.basket_id):
            task_id = task_queue(paid, queue=queue)
            (session,) = eventually(backends_waiting, "the task to start")
            if moment == "before its commit":
                os.killpg(worker.pid, signal.SIGKILL)  # the machine goes down
            else:
                # The main process, which acknowledges tasks, stands still; the
                # pool process finishes the task once the lock is released.
                os.kill(worker.pid, signal.SIGSTOP)

        if moment == "before its commit":
            # The killed transaction ends with its session, undone.
            eventually(lambda: session not in backends(), "the killed session to end")
            assert not processed(paid) and not Order.objects.exists()
            assert Payment.objects.get(pk=payment.pk).status == Payment.CREATED
        else:
            # Committed, the order's email queued just after, and the run at
            # its end (the pool process logs it): then the machine goes down
            # before the task is acknowledged.
            eventually(
                lambda: (
                    processed(paid)
                    and broker_waiting(queue)
                    and task_runs(log, task_id) == ["succeeded"]
                ),
                "the task's commit, the email's task and the run's end",
            )
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        killed_at = time.monotonic()
        assert broker_unacked(queue) == [task_id]

    # Redis gives the task to the next worker once the visibility timeout has
    # passed since the dead worker took it (a worker looks as it starts).
    time.sleep(max(0, killed_at + VISIBILITY_TIMEOUT - time.monotonic()))
    with celery_worker(queue=queue, log=log, **worker_env):
        eventually(lambda: settled(queue), "the next worker to run the task")

    # Run to its end twice when the first run had committed: the second found
    # the event processed and did nothing.
    runs = 1 if moment == "before its commit" else 2
    assert task_runs(log, task_id) == ["succeeded"] * runs
    assert_applied_once(paid)


# --- Helpers ----------------------------------------------------------------


def payment_of(stored: WebhookEvent) -> Payment:
    reference = stored.payload["data"]["object"]["id"]
    return Payment.objects.get(gateway="stripe", reference=reference)


def task_queue(stored: WebhookEvent, *, queue: str) -> str:
    """Queue the event's task through Redis, as the webhook view does."""
    from shop.celery import app

    app.conf.task_always_eager = False  # tests/conftest.py puts it back
    result = webhook_event_process_task.apply_async(
        kwargs={"event_pk": stored.pk}, queue=queue
    )
    return result.id


@contextmanager
def row_locked(model, pk: int):
    """The row locked FOR UPDATE, from a database session of its own, until the
    block ends."""
    holder = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {model._meta.db_table} WHERE id = %s FOR UPDATE",
                [pk],
            )
        yield
    finally:
        holder.rollback()
        holder.close()


def backends(where: str = "TRUE") -> set[int]:
    """The other database sessions on the test database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            f"AND pid <> pg_backend_pid() AND {where}"
        )
        return {pid for (pid,) in cursor.fetchall()}


def backends_waiting() -> set[int]:
    """The sessions waiting for a lock (a worker's task, held up by the test)."""
    return backends("wait_event_type = 'Lock'")


def processed(stored: WebhookEvent) -> bool:
    return WebhookEvent.objects.filter(
        pk=stored.pk, processed_at__isnull=False
    ).exists()


def settled(queue: str) -> bool:
    """Every task done and acknowledged: the webhook's, then the order email's."""
    order = Order.objects.first()
    return (
        order is not None
        and order.communication_events.exists()
        and not broker_waiting(queue)
        and not broker_unacked(queue)
    )


def task_runs(log, task_id: str) -> list[str]:
    """How each run of the task that reached its end ended, as the workers
    logged it (succeeded, raised, retry)."""
    return re.findall(rf"\[{task_id}\] (succeeded|raised|retry)", log.read_text())


def eventually(check, what: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while not (outcome := check()):
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.1)
    return outcome


def assert_applied_once(stored: WebhookEvent) -> None:
    """One order, paid once, its stock allocated once, its email sent once."""
    assert processed(stored)
    payment = payment_of(stored)
    assert payment.status == Payment.SUCCEEDED
    order = Order.objects.get()
    assert payment.order == order
    assert order.sources.get().transactions.count() == 1
    line = order.lines.get()
    assert line.stockrecord.num_allocated == line.quantity == 1
    assert order.communication_events.count() == 1
