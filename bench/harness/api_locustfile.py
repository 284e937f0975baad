"""Locust clients for one API page of one shop (run by bench/harness/load.py).

As bench/harness/locustfile.py for the HTML pages: a closed loop of clients, the
plan (BENCH_PLAN) naming the paths requested round-robin, a discarded warm-up,
and the measured figures written to BENCH_RESULT. Every request asks for JSON.

Basket add, in each API's own way, a new basket every `adds_per_session` adds
so baskets stay small in both shops; only the adds are measured:
- ours (`style` "token"): POST the basket path for an anonymous basket and its
  token, then POST {"product_id", "quantity": 1} to the lines path with the
  token in X-Basket-Token;
- django-oscar-api (`style` "session"): a new session (no cookies) and GET its
  basket path (which makes the basket and the session), then POST
  {"url": <the product's API URL>, "quantity": 1} to its add-product path.
The requests that set a basket up carry the phase "-", so the server's access
log leaves them out of the worker's figures.
"""

import itertools
import json
import os
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, events, task

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text())
PAGE = PLAN["page"]
SETUP = f"{PAGE} (setup)"
BASKET = PLAN.get("basket")  # basket add only: how each shop's API does it
TOKEN_HEADER = "X-Basket-Token"
_paths = itertools.cycle(PLAN.get("paths") or [None])
_items = itertools.cycle(PLAN.get("items") or [None])
_phase = {"name": "warmup", "started": time.monotonic(), "waiting": []}
_in_flight: dict[object, float] = {}
_adds_ok = {"count": 0}  # successful adds, warm-up included: the basket check


@events.test_start.add_listener
def _measure_after_warmup(environment, **kwargs):
    """Warm up, measure, stop (timed here, as in locustfile.py)."""

    def measure():
        environment.stats.reset_all()
        _phase.update(name="measure", started=time.monotonic())

    def stop():
        now = time.monotonic()
        _phase["waiting"] = [(now - sent) * 1000 for sent in _in_flight.values()]
        environment.runner.quit()

    gevent.get_hub().loop.update_now()
    gevent.spawn_later(PLAN["warmup"], measure)
    gevent.spawn_later(PLAN["warmup"] + PLAN["duration"], stop)


@events.quitting.add_listener
def _write_result(environment, **kwargs):
    seconds = time.monotonic() - _phase["started"]
    entry = environment.stats.get(PAGE, "POST" if BASKET else "GET")
    percentile = entry.get_response_time_percentile
    answered = entry.num_requests > 0
    p95 = percentile(0.95) if answered else 0
    result = {
        "measured": _phase["name"] == "measure",
        "seconds": round(seconds, 3),
        "requests": entry.num_requests,
        "errors": entry.num_failures,
        "unanswered_beyond_p95": sum(1 for ms in _phase["waiting"] if ms > p95),
        "rps": (entry.num_requests - entry.num_failures) / seconds,
        "p50": percentile(0.5) if answered else None,
        "p95": p95 if answered else None,
        "p99": percentile(0.99) if answered else None,
        # A list page's size differs between the APIs: what one answer holds.
        "bytes_per_response": round(entry.avg_content_length) if answered else None,
        "setup_requests": sum(
            environment.stats.get(SETUP, method).num_requests
            for method in ("GET", "POST")
        ),
        "adds_ok_total": _adds_ok["count"],
        "error_kinds": {
            f"{error.method} {error.name}: {error.error}"[:300]: error.occurrences
            for error in environment.stats.errors.values()
        },
    }
    Path(os.environ["BENCH_RESULT"]).write_text(json.dumps(result, indent=2))


class ApiClient(FastHttpUser):
    wait_time = constant(0)
    network_timeout = PLAN["timeout"]
    connection_timeout = PLAN["timeout"]

    def on_start(self):
        self.adds_left = 0
        self.token = ""

    def headers(self, *, setup: bool = False) -> dict:
        return {
            "Accept": "application/json",
            "X-Forwarded-Proto": "https",
            "X-Bench-Phase": "-" if setup else _phase["name"],
        }

    @task
    def visit(self):
        if BASKET:
            self.basket_add()
            return
        key = object()
        _in_flight[key] = time.monotonic()
        try:
            with self.client.get(
                next(_paths),
                name=PAGE,
                headers=self.headers(),
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
        finally:
            _in_flight.pop(key, None)

    def basket_add(self):
        if self.adds_left == 0 and not self.basket_start():
            return
        self.adds_left -= 1
        pk = next(_items)
        headers = {**self.headers(), "Content-Type": "application/json"}
        if BASKET["style"] == "token":
            body = {"product_id": pk, "quantity": 1}
            headers[TOKEN_HEADER] = self.token
        else:
            product = BASKET["product_url"].format(pk=pk)
            body = {"url": f"{self.host}{product}", "quantity": 1}
        key = object()
        _in_flight[key] = time.monotonic()
        try:
            with self.client.post(
                BASKET["add_path"],
                name=PAGE,
                data=json.dumps(body),
                headers=headers,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code in (200, 201):
                    _adds_ok["count"] += 1
                else:
                    response.failure(f"status {response.status_code}")
        finally:
            _in_flight.pop(key, None)

    def basket_start(self) -> bool:
        """A new anonymous basket, as each API makes one."""
        self.client.cookiejar.clear()
        if BASKET["style"] == "token":
            response = self.client.post(
                BASKET["basket_path"],
                name=SETUP,
                data="{}",
                headers={
                    **self.headers(setup=True),
                    "Content-Type": "application/json",
                },
            )
            self.token = response.headers.get(TOKEN_HEADER) or _body_token(response)
            ok = response.status_code in (200, 201) and bool(self.token)
        else:
            response = self.client.get(
                BASKET["basket_path"], name=SETUP, headers=self.headers(setup=True)
            )
            ok = response.status_code == 200
        self.adds_left = PLAN["adds_per_session"] if ok else 0
        return ok


def _body_token(response) -> str:
    """Our basket's token, should the API answer it in the body rather than the
    X-Basket-Token header."""
    try:
        body = json.loads(response.text or "{}")
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    return body.get("token") or body.get("basket_token") or ""
