"""The checkout race: many shoppers, each with a session of their own, check out
the last few units of one SKU through the web checkout at once.

Before the race the SKU's one stock record is set to exactly `race_units`
available (in stock, none allocated, nothing reserved) and baskets, sessions and
orders are emptied, directly in the shop's database; the shop's cache is flushed
and a fresh gunicorn started. The shoppers (race_locustfile.py) all go through the
guest checkout up to "Place order", wait for each other, and then place their
orders at the same moment; meanwhile the stock record is read every tenth of a
second. Afterwards the database says how many orders were placed and whether
stock went below zero, the shoppers' pages what each was told, and the server's
log whether Postgres found a deadlock. Then the stock record gets its own numbers
back, so that later runs select the same products; the race's orders stay until
the next reset.
"""

import re
import statistics
import threading
import time
from pathlib import Path

import redis

from bench.harness import databases
from bench.harness.config import ROOT, STATE_DIR, Settings
from bench.harness.load import locust_run
from bench.harness.log import say
from bench.harness.server import Server, access_log_read, first_traceback
from bench.harness.shops import Shop, size_label

LOG_DIR = STATE_DIR / "logs"
LOCUSTFILE = Path(__file__).with_name("race_locustfile.py")
RUN_SECONDS = 600  # a backstop: the race ends when every shopper is done
ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "line1": "1 Harbour Street",
    "line4": "Whitby",
    "postcode": "YO21 3PU",
    "country": "GB",
}
CARD = "4242424242424242"  # the demo gateway's card that pays
DEADLOCK = re.compile(r"deadlock detected", re.I)


def race_run(
    *, settings: Settings, shop: Shop, size: int, env: dict, paths: dict, product: int
) -> dict:
    """The race on one shop: the run's figures and checks, for the results."""
    tag = f"{size_label(size)}-checkout_race-{shop.name}"
    database = shop.database(size)
    with databases.connect(settings.database_url, database) as conn:
        databases.transient_reset(conn)
        record = databases.stock_record_of(conn, product)
        original = databases.race_stock(conn, record)
        databases.race_stock_set(conn, record, num_in_stock=settings.race_units)
        sku = {
            "product": product,
            "title": databases.product_title(conn, product),
            "stockrecord": record,
            "stock_before": databases.race_stock(conn, record),
        }
    redis.Redis.from_url(f"{settings.redis_url}/{shop.redis_db}").flushdb()
    say(
        f"{tag}: {settings.race_shoppers} shoppers for the last "
        f"{settings.race_units} of {sku['title']!r} (stock record {record})"
    )
    server = Server(shop=shop, settings=settings, env=env, log_dir=LOG_DIR, tag=tag)
    try:
        with server, StockWatch(settings.database_url, database, record) as watch:
            figures = locust_run(
                settings=settings,
                plan=_plan(settings, paths=paths, title=sku["title"]),
                base_url=server.base_url,
                work_dir=LOG_DIR,
                tag=tag,
                locustfile=LOCUSTFILE,
                users=settings.race_shoppers,
                run_time=RUN_SECONDS,
            )
        with databases.connect(settings.database_url, database) as conn:
            after = databases.race_stock(conn, record)
            orders, units_ordered = databases.race_orders(conn, product)
    finally:
        # The catalogue as it was, so later runs pick the same products.
        with databases.connect(settings.database_url, database) as conn:
            databases.race_stock_set(conn, record, **original)
    run = {
        "size": size,
        "shop": shop.name,
        "page": "checkout_race",
        **sku,
        "shoppers": settings.race_shoppers,
        "units": settings.race_units,
        "stock_after": after,
        "orders": orders,
        "units_ordered": units_ordered,
        "oversold": max(0, units_ordered - settings.race_units),
        "net_stock_min": _min_or_none(watch.net_min, _net(after)),
        "available_min": _min_or_none(watch.available_min, _available(after)),
        "stock_reads": watch.reads,
        **_shopper_summary(figures),
        "place_order_worker": _worker(server.access_log),
        "deadlocks": _deadlocks(server),
        "logs": str(server.error_log.relative_to(ROOT)),
    }
    run["checks"] = race_checks(run)
    run["passed"] = all(run["checks"].values())
    say(
        f"{tag}: {orders} orders ({units_ordered} units) for {settings.race_units}, "
        f"outcomes {run['outcomes']}, 5xx {run['server_errors']}, "
        f"place order p95 {run['place_order_ms'].get('p95')} ms, "
        f"{run['seconds_total']} s"
    )
    return run


def race_checks(run: dict) -> dict[str, bool]:
    """What the race must show: no more and no fewer orders than units, stock
    never below zero, every other shopper told it sold out, no server errors and
    no deadlocks."""
    outcomes = run["outcomes"]
    told = outcomes.get("told_sold_out", 0) + outcomes.get("told_not_available", 0)
    return {
        "orders_equal_units": run["orders"] == run["units"] == run["units_ordered"],
        "stock_never_negative": run["net_stock_min"] >= 0
        and (run["available_min"] is None or run["available_min"] >= 0),
        "others_told_sold_out": told == run["shoppers"] - run["units"],
        "every_shopper_finished": run["finished_shoppers"] == run["shoppers"]
        and not outcomes.get("dropped"),
        "no_5xx_or_timeouts": run["server_errors"] == 0,
        "no_deadlocks": run["deadlocks"] == 0,
    }


def race_problem(run: dict) -> str:
    """A line for the report naming the checks that failed, with the server's
    first traceback."""
    failed = ", ".join(check for check, ok in run["checks"].items() if not ok)
    return (
        f"{run['shop']} checkout race ({run['size']:,}): failed {failed}: "
        f"{run['orders']} orders for {run['units']} units, outcomes "
        f"{run['outcomes']}, {run['server_errors']} 5xx/timeouts, "
        f"{run['deadlocks']} deadlocks. Log: {run['logs']}"
        + first_traceback(ROOT / run["logs"])
    )


class StockWatch:
    """Reads the stock record every tenth of a second in a thread of its own and
    keeps the lowest net stock (in stock - allocated) and, in a shop that
    reserves, the lowest available (also - reserved)."""

    def __init__(self, server_url: str, database: str, record: int):
        self.server_url, self.database, self.record = server_url, database, record
        self.net_min = None
        self.available_min = None
        self.reads = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> "StockWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _watch(self) -> None:
        with databases.connect(self.server_url, self.database) as conn:
            while not self._stop.is_set():
                stock = databases.race_stock(conn, self.record)
                self.reads += 1
                self.net_min = _min_or_none(self.net_min, _net(stock))
                self.available_min = _min_or_none(self.available_min, _available(stock))
                time.sleep(0.1)


def _plan(settings: Settings, *, paths: dict, title: str) -> dict:
    """What the shoppers read (race_locustfile.py)."""
    return {
        "paths": paths,
        "title": title,
        "shoppers": settings.race_shoppers,
        "timeout": settings.timeout,
        "barrier_timeout": RUN_SECONDS / 2,
        "address": ADDRESS,
        "card": CARD,
    }


def _shopper_summary(figures: dict) -> dict:
    shoppers = figures.get("shoppers", [])
    outcomes: dict[str, int] = {}
    for shopper in shoppers:
        outcomes[shopper["outcome"]] = outcomes.get(shopper["outcome"], 0) + 1
    statuses = figures.get("statuses", {})
    server_errors = sum(
        n for status, n in statuses.items() if status == "0" or int(status) >= 500
    )
    unexpected = [s for s in shoppers if s["outcome"] in ("other", "dropped")]
    messages = {s["outcome"]: s["message"] for s in shoppers if s.get("message")}
    return {
        "finished_shoppers": figures.get("finished_shoppers", 0),
        "outcomes": dict(sorted(outcomes.items())),
        "messages": messages,  # what a shopper of each outcome was told
        "unexpected": unexpected[:10],
        "requests": figures.get("requests", 0),
        "statuses": statuses,
        "server_errors": server_errors,
        "server_error_samples": figures.get("server_errors", []),
        "place_order_ms": _percentiles(
            [s["place_ms"] for s in shoppers if "place_ms" in s]
        ),
        "place_order_ms_ordered": _percentiles(
            [s["place_ms"] for s in shoppers if s["outcome"] == "ordered"]
        ),
        "barrier": figures.get("barrier"),
        "failed_run": figures.get("failed_run"),
        "generator_saturated": figures.get("generator_saturated"),
        "seconds_total": figures.get("seconds_total"),
        "seconds_to_barrier": figures.get("seconds_to_barrier"),
        "seconds_after_barrier": figures.get("seconds_after_barrier"),
    }


def _worker(access_log: Path) -> dict:
    """Time inside a worker for the place-order POSTs, from gunicorn's log."""
    times = [e.ms for e in access_log_read(access_log) if e.phase == "place"]
    return _percentiles(times)


def _deadlocks(server: Server) -> int:
    count = 0
    for path in (server.error_log, server.task_log):
        if path.exists():
            count += len(DEADLOCK.findall(path.read_text(errors="replace")))
    return count


def _percentiles(times: list[float]) -> dict:
    if not times:
        return {"count": 0}
    if len(times) == 1:
        return {"count": 1, "p50": times[0], "p95": times[0], "max": times[0]}
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "count": len(times),
        "p50": round(cuts[49], 1),
        "p95": round(cuts[94], 1),
        "max": round(max(times), 1),
    }


def _net(stock: dict) -> int:
    return (stock["num_in_stock"] or 0) - stock["num_allocated"]


def _available(stock: dict) -> int | None:
    if stock["num_reserved"] is None:
        return None
    return _net(stock) - stock["num_reserved"]


def _min_or_none(current, value):
    if value is None:
        return current
    return value if current is None else min(current, value)
