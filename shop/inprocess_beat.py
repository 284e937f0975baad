"""Celery beat's schedule run inside the web process, for the embedded default.

Without a broker (no REDIS_URL, as `make run` serves the shop) there is no beat
process and no worker: tasks run where they are queued. The periodic work would
then never run: expired stock reservations would keep counting as reserved,
delivered orders would never complete, payments would never be reconciled. So
the first request a web process serves starts a thread that runs the same
schedule (CELERY_BEAT_SCHEDULE, Celery's own schedule objects deciding what is
due), each task in-process as an eager task. Every periodic task is idempotent,
so a second web process doing the same does no harm. With a broker, `celery
beat` does this instead and the thread never starts.
"""

import logging
import threading
from datetime import datetime

from celery.schedules import maybe_schedule
from django.conf import settings
from django.db import connections

from shop.celery import app

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_running: "InProcessBeat | None" = None


class InProcessBeat:
    """The schedule's tasks, each run once at start and then whenever its
    schedule says it is due."""

    def __init__(self, schedule: dict, *, tick: float = 5.0) -> None:
        app.loader.import_default_modules()  # every app's tasks module
        self.entries = {
            name: (entry["task"], maybe_schedule(entry["schedule"], app=app))
            for name, entry in schedule.items()
        }
        self.tick = tick
        self.last_run: dict[str, datetime] = {}
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def run_due(self) -> list[str]:
        """Run the tasks that are due now; returns their names."""
        ran = []
        for name, (task, schedule) in self.entries.items():
            last = self.last_run.get(name)
            if last is not None and not schedule.is_due(last).is_due:
                continue
            self.last_run[name] = app.now()
            result = app.tasks[task].apply()
            if result.failed():
                logger.error("Periodic task %s failed: %r", name, result.result)
            ran.append(name)
        return ran

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._loop, name="in-process-beat", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _loop(self) -> None:
        while True:
            try:
                self.run_due()
            except Exception:  # noqa: BLE001 - the thread must outlive one bad round
                logger.exception("The in-process beat's round failed")
            finally:
                connections.close_all()  # this thread's own connections
            if self._stopped.wait(self.tick):
                return


def beat_start_once(**kwargs) -> None:
    """Start the in-process beat in this process, if the shop runs without a
    broker (SHOP_INPROCESS_BEAT) and it is not running yet; connected to
    `request_started`, so only a process serving requests runs it."""
    global _running
    if _running is not None or not settings.SHOP_INPROCESS_BEAT:
        return
    with _lock:
        if _running is None:
            _running = InProcessBeat(settings.CELERY_BEAT_SCHEDULE)
            _running.start()
            logger.info("Running the periodic tasks in-process (no broker)")


def beat_stop() -> None:
    global _running
    with _lock:
        if _running is not None:
            _running.stop()
            _running = None
