"""Locust clients for one page of one shop (run by bench/harness/load.py).

Every client requests without pause (a closed loop: N clients, N requests in
flight). The plan (BENCH_PLAN, a JSON file) names the paths, requested round-robin
across clients. The first `warmup` seconds are discarded; at the end the measured
figures are written to BENCH_RESULT, and locust quits.

Basket add: a client GETs a product page (a new session with its CSRF cookie and
token), then POSTs `quantity=1` to basket-add URLs, one product after another, and
starts a new session every `adds_per_session` adds so baskets stay small in both
shops. Only the POSTs are measured; a 302 is a success.
"""

import itertools
import json
import os
import re
import time
from contextlib import contextmanager
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent
from locust import FastHttpUser, constant, events, task

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text())
PAGE = PLAN["page"]
SETUP = f"{PAGE} (setup)"  # requests that prepare a measured one
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_paths = itertools.cycle(PLAN.get("paths") or [None])
_items = itertools.cycle(PLAN.get("items") or [None])
_phase = {"name": "warmup", "started": time.monotonic(), "waiting": []}
_in_flight: dict[object, float] = {}  # measured page's requests -> when sent


@events.test_start.add_listener
def _measure_after_warmup(environment, **kwargs):
    """Warm up, measure, stop: timed here, since locust's own --run-time timer is
    set before gevent's clock first ticks and fires up to seconds early."""

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
    entry = environment.stats.get(PAGE, "POST" if PAGE == "basket_add" else "GET")
    percentile = entry.get_response_time_percentile
    p95 = percentile(0.95) if entry.num_requests else 0
    result = {
        "measured": _phase["name"] == "measure",
        "seconds": round(seconds, 3),
        "requests": entry.num_requests,
        "errors": entry.num_failures,
        # Requests still unanswered when time was up, after waiting longer than
        # the p95: not counted, so the page's real p95 may be higher.
        "unanswered_beyond_p95": sum(1 for ms in _phase["waiting"] if ms > p95),
        "rps": (entry.num_requests - entry.num_failures) / seconds,
        "p50": percentile(0.5) if entry.num_requests else None,
        "p95": p95 if entry.num_requests else None,
        "p99": percentile(0.99) if entry.num_requests else None,
        "setup_requests": environment.stats.get(SETUP, "GET").num_requests,
        "error_kinds": {
            f"{error.method} {error.name}: {error.error}"[:300]: error.occurrences
            for error in environment.stats.errors.values()
        },
    }
    Path(os.environ["BENCH_RESULT"]).write_text(json.dumps(result, indent=2))


@contextmanager
def _counted(measured_page: bool):
    key = object()
    if measured_page:
        _in_flight[key] = time.monotonic()
    try:
        yield
    finally:
        _in_flight.pop(key, None)


class SecureOverLocalHttp(DefaultCookiePolicy):
    """Our shop marks its cookies Secure, as it sits behind TLS (which the
    X-Forwarded-Proto header stands for here): send them over plain local HTTP."""

    def return_ok_secure(self, cookie, request):
        return True


class Shopper(FastHttpUser):
    wait_time = constant(0)
    network_timeout = PLAN["timeout"]
    connection_timeout = PLAN["timeout"]

    def on_start(self):
        self.client.cookiejar.set_policy(SecureOverLocalHttp())
        self.adds_left = 0
        self.token = ""
        self.referer = ""

    def headers(self) -> dict:
        return {"X-Forwarded-Proto": "https", "X-Bench-Phase": _phase["name"]}

    @task
    def visit(self):
        if PAGE == "basket_add":
            self.basket_add()
        else:
            self.get(next(_paths), name=PAGE)

    def get(self, path: str, *, name: str):
        with (
            _counted(name == PAGE),
            self.client.get(
                path,
                name=name,
                headers=self.headers(),
                allow_redirects=False,
                catch_response=True,
            ) as response,
        ):
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            return response

    def basket_add(self):
        if self.adds_left == 0 and not self.session_start():
            return
        self.adds_left -= 1
        _, add_path = next(_items)
        body = urlencode({"csrfmiddlewaretoken": self.token, "quantity": "1"})
        headers = {
            **self.headers(),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": self.referer,
        }
        with (
            _counted(True),
            self.client.post(
                add_path,
                name=PAGE,
                data=body,
                headers=headers,
                allow_redirects=False,
                catch_response=True,
            ) as response,
        ):
            if response.status_code not in (302, 303):
                response.failure(f"status {response.status_code}")

    def session_start(self) -> bool:
        """A new shopper: no cookies, then a product page for session and token."""
        self.client.cookiejar.clear()
        product_path, _ = next(_items)
        response = self.get(product_path, name=SETUP)
        if response.status_code != 200:
            return False
        found = TOKEN.search(response.text or "")
        cookie = next(
            (c.value for c in self.client.cookiejar if c.name == "csrftoken"), ""
        )
        self.token = found.group(1) if found else cookie
        self.referer = f"https://{urlsplit(self.host).netloc}{product_path}"
        self.adds_left = PLAN["adds_per_session"]
        return bool(self.token)
