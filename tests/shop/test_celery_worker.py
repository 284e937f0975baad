"""A task really runs on a real Celery worker process over the Redis broker."""

import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from shop.models import WorkerHeartbeat
from shop.tasks import heartbeat_record
from tests.processes import process_env, require_postgres_and_redis

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker_process(settings):
    """A `celery worker` process on its own queue, reading the test database."""
    require_postgres_and_redis()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = process_env()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "shop",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--hostname",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield queue
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_real_worker_and_its_effect_is_in_the_database(
    celery_worker_process,
):
    from shop.celery import app

    app.conf.task_always_eager = False

    heartbeat_record.apply_async(queue=celery_worker_process)

    deadline = time.monotonic() + 60
    beat = None
    while beat is None and time.monotonic() < deadline:
        beat = WorkerHeartbeat.objects.filter(
            worker__startswith=f"{celery_worker_process}@"
        ).first()
        time.sleep(0.25)
    assert beat is not None, "the worker did not run the task within 60 s"
    assert beat.beats == 1
