"""For tests that start a real process (a Celery worker, gunicorn) on the test
database and the Redis of CI."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
# A worker's emails stay in its memory.
LOCMEM_EMAIL = "django.core.mail.backends.locmem.EmailBackend"


def free_port() -> int:
    """A loopback port nothing listens on, for a server a test starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_wait(port: int, *, seconds: float = 30) -> bool:
    """Whether something listens on the loopback `port` within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def require_postgres_and_redis() -> None:
    """Skip outside CI when Postgres or Redis isn't configured; fail in CI."""
    missing = [
        name
        for name, ok in (
            ("REDIS_URL", bool(settings.REDIS_URL)),
            ("DATABASE_URL (Postgres)", connection.vendor == "postgresql"),
        )
        if not ok
    ]
    if missing and not os.environ.get("CI"):
        pytest.skip(f"needs {', '.join(missing)}; .ci/run sets both")
    assert not missing, f"CI must provide {', '.join(missing)}"


def process_env(**extra: str) -> dict[str, str]:
    """This environment, pointed at the test database."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
            f"/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        **extra,
    }


@contextmanager
def celery_worker(*, queue: str, log: Path, **extra_env: str) -> Iterator:
    """`celery -A shop worker` as deployed (prefork, late acks) with one pool
    process, on the test database, taking tasks from `queue` and queueing the
    tasks it starts (an order's email) there too, so no other worker sees them.

    It leads a process group of its own: a test can kill the worker whole, and
    on leaving whatever is left of it (a pool process whose main process was
    killed) is killed. Its output is appended to `log`.
    """
    with log.open("a") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "shop",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--queues",
                queue,
                "--hostname",
                f"{queue}-{os.urandom(2).hex()}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                "--",
                f"task_default_queue={queue}",
            ],
            cwd=ROOT,
            env=process_env(EMAIL_BACKEND=LOCMEM_EMAIL, **extra_env),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def child_processes(pid: int) -> list[int]:
    """The processes `pid` started (a worker's pool processes), from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (name) state ppid ...: the name may hold spaces and parentheses.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            children.append(int(entry.name))
    return children


def broker() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def broker_unacked(queue: str) -> list[str]:
    """Ids of the tasks of `queue` a worker has taken and not acknowledged: what
    Redis hands out again once the visibility timeout has passed."""
    ids = []
    for raw in broker().hvals("unacked"):
        message, _exchange, routing_key = json.loads(raw)
        if routing_key == queue:
            ids.append(message["headers"]["id"])
    return ids


def broker_waiting(queue: str) -> int:
    """How many tasks of `queue` wait for a worker to take them."""
    return broker().llen(queue)


def broker_forget(queue: str) -> None:
    """Drop whatever a test left of `queue` in Redis."""
    client = broker()
    for tag, raw in client.hgetall("unacked").items():
        if json.loads(raw)[2] == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


@contextmanager
def own_queue() -> Iterator[str]:
    """A queue of the test's own in Redis, where the test process sends its
    tasks too (not run eagerly); dropped afterwards."""
    from shop.celery import app

    require_postgres_and_redis()
    name = f"test-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue
    app.conf.task_always_eager = False  # tests/conftest.py puts it back
    app.conf.task_default_queue = name
    try:
        yield name
    finally:
        app.conf.task_default_queue = previous
        broker_forget(name)
