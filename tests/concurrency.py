"""Running attempts at the same moment, each thread on its own database
connection, as concurrent web requests or workers would."""

import threading
from collections import Counter

from django.db import connection


def all_at_once(attempts) -> Counter:
    """Run each attempt in its own thread, released together; count outcomes by
    exception class name ("ok" for none)."""
    start = threading.Barrier(len(attempts))
    outcomes = Counter()
    lock = threading.Lock()

    def run(attempt):
        try:
            start.wait()
            attempt()
            outcome = "ok"
        except Exception as exc:  # noqa: BLE001 - every kind is counted
            outcome = type(exc).__name__
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
