"""Locust shoppers for the checkout race (run by bench/harness/race.py).

Each client is a new shopper with a session of its own who goes through the
guest checkout once, as a browser without JavaScript does: the product page, add
to basket, the checkout's who-are-you form (a guest email), the shipping address,
the shipping method if the shop asks, the payment details (the demo card where
the shop asks for one) and the preview. There it waits until every shopper has
got that far or dropped out, and then they all post "Place order" at once.
Redirects are followed as a browser follows them, and a form is posted with the
fields its page gave it (CSRF token, hidden inputs) plus the shopper's.

The plan (BENCH_PLAN) names the shop's paths, the product's title and the
shopper's details. Written to BENCH_RESULT: each shopper's outcome (where "Place
order" took them and which message that page showed), the time its place-order
POST took, the status of every response, and the wall times.
"""

import html
import itertools
import json
import os
import re
import time
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import gevent
from gevent.event import Event
from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text())
PATHS = PLAN["paths"]
SHOPPERS = PLAN["shoppers"]
REDIRECTS = (301, 302, 303, 307, 308)
# The shop's own message when the stock ran out as the order was placed
# (partner.services.StockUnavailable), and Oscar's when a checkout step finds
# the basket no longer valid (oscar.apps.checkout.session.check_basket_is_valid).
SOLD_OUT = f"{PLAN['title']} is no longer available."
NOT_VALID = f"'{PLAN['title']}' is no longer available to buy"
ALERT = re.compile(r'<[^>]+class="[^"]*(?:alert|message)[^"]*"[^>]*>(.*?)</', re.S)
TAG = re.compile(r"<[^>]+>")

_numbers = itertools.count(1)
_clock = {"started": time.monotonic()}
_shoppers: list[dict] = []
_statuses: Counter = Counter()
_server_errors: list[dict] = []


class Dropped(Exception):
    """A shopper could not get to "Place order"."""


class Barrier:
    """Releases every waiting shopper once all have arrived (a shopper who
    dropped out arrives without waiting), or after `timeout` seconds."""

    def __init__(self, parties: int, timeout: float):
        self.parties, self.timeout = parties, timeout
        self.arrived = 0
        self.released = Event()
        self.released_by = None

    def arrive(self) -> None:
        self.arrived += 1
        if self.arrived >= self.parties:
            self._release("all arrived")

    def wait(self) -> None:
        if not self.released.wait(self.timeout):
            self._release(f"timeout with {self.arrived} of {self.parties}")

    def _release(self, why: str) -> None:
        if not self.released.is_set():
            self.released_by = why
            _clock["released"] = time.monotonic()
            self.released.set()


BARRIER = Barrier(SHOPPERS, PLAN["barrier_timeout"])


@events.test_start.add_listener
def _started(environment, **kwargs):
    _clock["started"] = time.monotonic()


@events.quitting.add_listener
def _write_result(environment, **kwargs):
    now = time.monotonic()
    started = _clock["started"]
    released = _clock.get("released")
    result = {
        "shoppers": sorted(_shoppers, key=lambda shopper: shopper["shopper"]),
        "finished_shoppers": len(_shoppers),
        "statuses": {str(status): n for status, n in sorted(_statuses.items())},
        "requests": sum(_statuses.values()),
        "server_errors": _server_errors[:20],
        "barrier": {"arrived": BARRIER.arrived, "released_by": BARRIER.released_by},
        "seconds_total": round(_clock.get("finished", now) - started, 3),
        "seconds_to_barrier": round(released - started, 3) if released else None,
        "seconds_after_barrier": (
            round(_clock.get("finished", now) - released, 3) if released else None
        ),
    }
    Path(os.environ["BENCH_RESULT"]).write_text(json.dumps(result, indent=2))


class SecureOverLocalHttp(DefaultCookiePolicy):
    """Our shop marks its cookies Secure, as it sits behind TLS (which the
    X-Forwarded-Proto header stands for here): send them over plain local HTTP."""

    def return_ok_secure(self, cookie, request):
        return True


@dataclass
class Page:
    path: str
    status: int
    text: str


class FormFields(HTMLParser):
    """The forms of a page: action, and the fields a browser would send as they
    stand (hidden inputs, values, the checked radio or first one, the selected
    option or first one; no submit buttons)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict]] = []
        self._fields: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self._fields = {}
            self.forms.append((attrs.get("action") or "", self._fields))
        elif self._fields is None or not name and tag != "option":
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("radio", "checkbox"):
                if "checked" in attrs or (kind == "radio" and name not in self._fields):
                    self._fields[name] = attrs.get("value") or "on"
                return
            self._fields[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select:
            if "selected" in attrs or self._select not in self._fields:
                self._fields[self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None


def form_fields(page: Page, action_path: str) -> dict | None:
    """The fields of the page's form that posts to `action_path`, if any."""
    parser = FormFields()
    parser.feed(page.text)
    for action, fields in parser.forms:
        if urlsplit(urljoin(page.path, action)).path == action_path:
            return dict(fields)
    return None


class RaceShopper(FastHttpUser):
    wait_time = constant(0)
    network_timeout = PLAN["timeout"]
    connection_timeout = PLAN["timeout"]

    def on_start(self):
        self.client.cookiejar.set_policy(SecureOverLocalHttp())
        self.number = next(_numbers)
        self.page = Page("/", 0, "")

    @task
    def race(self):
        shopper = {"shopper": self.number}
        try:
            fields = self.checkout_to_preview()
        except Exception as exc:  # noqa: BLE001 - a shopper's failure is a result
            fields = None
            shopper.update(outcome="dropped", reason=_reason(exc))
        BARRIER.arrive()
        try:
            if fields is not None:
                BARRIER.wait()
                shopper.update(self.place_order(fields))
        except Exception as exc:  # noqa: BLE001
            shopper.update(outcome="other", message=_reason(exc))
        finally:
            _shoppers.append(shopper)
            if len(_shoppers) >= SHOPPERS:
                _clock["finished"] = time.monotonic()
                gevent.spawn(self.environment.runner.quit)
        raise StopUser()

    def checkout_to_preview(self) -> dict:
        """The shopper's way to the preview; the place-order form's fields."""
        paths = PATHS
        self.expect(self.browse("product page", "GET", paths["product"]))
        add = form_fields(self.page, paths["basket_add"]) or self.token_only()
        self.browse("basket add", "POST", paths["basket_add"], {**add, "quantity": "1"})
        self.expect(self.browse("checkout index", "GET", paths["index"]))
        who = self.form(paths["index"])
        who.update(username=f"shopper{self.number}@example.com", options="anonymous")
        self.expect(self.browse("guest email", "POST", paths["index"], who))
        address = {**self.form(paths["shipping-address"]), **PLAN["address"]}
        self.expect(
            self.browse("shipping address", "POST", paths["shipping-address"], address)
        )
        if self.page.path == paths["shipping-method"]:
            method = self.form(paths["shipping-method"])
            self.expect(
                self.browse("shipping method", "POST", paths["shipping-method"], method)
            )
        card = form_fields(self.page, paths["preview"])
        if card is not None and "number" in card:
            card["number"] = PLAN["card"]
            self.expect(self.browse("payment details", "POST", paths["preview"], card))
        else:  # no card form: the payment details page links to the preview
            self.expect(self.browse("preview", "GET", paths["preview"]))
        fields = self.form(paths["preview"])
        if fields.get("action") != "place_order":
            raise Dropped(f"no place-order form on {self.page.path}")
        return fields

    def place_order(self, fields: dict) -> dict:
        started = time.monotonic()
        first = self.request("place order", "POST", PATHS["preview"], fields, "place")
        place_ms = (time.monotonic() - started) * 1000
        trail = [PATHS["preview"]]
        if first.status in REDIRECTS:
            self.follow(first, "place order", trail)
        else:
            self.page = first
        text = " ".join(html.unescape(TAG.sub(" ", self.page.text)).split())
        if PATHS["thank-you"] in trail and self.page.status == 200:
            outcome, told = "ordered", ""
        elif SOLD_OUT in text:
            outcome, told = "told_sold_out", SOLD_OUT
        elif NOT_VALID in text:
            outcome, told = "told_not_available", _sentence(text, NOT_VALID)
        else:
            alerts = [TAG.sub(" ", a).strip() for a in ALERT.findall(self.page.text)]
            outcome, told = "other", " | ".join(a for a in alerts if a)[:300]
        return {
            "outcome": outcome,
            "message": html.unescape(told),
            "place_status": first.status,
            "place_ms": round(place_ms, 1),
            "final_path": self.page.path,
            "final_status": self.page.status,
        }

    # --- A browser's requests -------------------------------------------------

    def browse(self, step: str, method: str, path: str, fields=None) -> Page:
        """The request and the redirects after it; the page it ends on."""
        page = self.request(step, method, path, fields)
        self.page = page
        if page.status in REDIRECTS:
            self.follow(page, step, [path])
        return self.page

    def follow(self, page: Page, step: str, trail: list[str]) -> None:
        for _ in range(10):
            location = self.location
            if page.status not in REDIRECTS or not location:
                break
            path = _path(urljoin(page.path, location))
            trail.append(urlsplit(path).path)
            page = self.request(f"{step} (redirect)", "GET", path)
        self.page = page

    def request(self, name, method, path, fields=None, phase="race") -> Page:
        referer = f"https://{urlsplit(self.host).netloc}{self.page.path}"
        headers = {"X-Forwarded-Proto": "https", "X-Bench-Phase": phase}
        body = None
        if method == "POST":
            body = urlencode(fields or {})
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": referer,
                }
            )
        with self.client.request(
            method,
            path,
            name=name,
            data=body,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            status = response.status_code or 0
            _statuses[status] += 1
            if status >= 500 or status == 0:
                response.failure(f"status {status}")
                _server_errors.append(
                    {"step": name, "method": method, "path": path, "status": status}
                )
            else:
                response.success()
            self.location = response.headers.get("Location") if response.headers else ""
            return Page(urlsplit(path).path, status, response.text or "")

    def expect(self, page: Page) -> None:
        if page.status != 200:
            raise Dropped(f"{page.path} answered {page.status}")

    def form(self, action_path: str) -> dict:
        fields = form_fields(self.page, action_path)
        if fields is None:
            raise Dropped(f"no form for {action_path} on {self.page.path}")
        return fields

    def token_only(self) -> dict:
        token = next(
            (c.value for c in self.client.cookiejar if c.name == "csrftoken"), ""
        )
        return {"csrfmiddlewaretoken": token}


def _reason(exc: Exception) -> str:
    if isinstance(exc, Dropped):
        return str(exc)[:300]
    return f"{exc.__class__.__name__}: {exc}"[:300]


def _sentence(text: str, start: str) -> str:
    """From `start` to the end of the message (Oscar's ends "to continue")."""
    found = re.search(re.escape(start) + r".{0,160}?continue", text)
    return found.group(0) if found else text[text.index(start) :][:200]


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
