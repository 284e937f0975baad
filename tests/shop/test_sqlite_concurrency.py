"""The embedded default under a double click: `manage.py runserver` on a SQLite
file, as `make run` serves it, with shoppers each pressing "Place order" twice
at the same moment over HTTP. Runs whatever database the suite itself uses."""

import re
import sqlite3
import subprocess
import sys
import threading
import time
from decimal import Decimal

import requests

from tests.checkout.test_checkout_flow import WHITBY
from tests.processes import ROOT, free_port

SHOPPERS = 5
CARD = "4242424242424242"
SETUP = """
from oscar.core.loading import get_model
from tests.factories import product_in_stock
get_model("address", "Country").objects.create(
    iso_3166_1_a2="GB", name="United Kingdom", is_shipping_country=True)
print(product_in_stock(title="Stoneware Teapot", price="34.50", num_in_stock=50).pk)
"""


def _env(database: str) -> dict:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(ROOT),
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "test-only-sqlite-concurrency-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    }


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout


def _post(session: requests.Session, url: str, data: dict) -> requests.Response:
    return session.post(
        url,
        data={**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": url},
        allow_redirects=False,
        timeout=60,
    )


def _shopper_at_preview(base: str, product_id: int) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/basket/", timeout=30)
    _post(session, f"{base}/basket/add/{product_id}/", {"quantity": 1})
    _post(
        session,
        f"{base}/checkout/",
        {"username": "ada@example.com", "options": "anonymous"},
    )
    _post(
        session,
        f"{base}/checkout/shipping-address/",
        {"first_name": "Ada", "last_name": "Lovelace", "country": "GB", **WHITBY},
    )
    session.get(f"{base}/checkout/payment-details/", timeout=30)
    preview = _post(session, f"{base}/checkout/preview/", {"number": CARD})
    assert preview.status_code == 200, preview.text[-2000:]
    return session


def _tab(session: requests.Session) -> requests.Session:
    tab = requests.Session()
    tab.cookies.update(session.cookies)
    return tab


def test_double_submitted_orders_on_sqlite_are_placed_and_charged_once(tmp_path):
    database = tmp_path / "shop.sqlite3"
    env = _env(str(database))
    _manage(env, "migrate", "--noinput", "-v0")
    product_id = int(_manage(env, "shell", "-c", SETUP).split()[-1])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{base}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.25)
        shoppers = [_shopper_at_preview(base, product_id) for _ in range(SHOPPERS)]
        tabs = [_tab(shopper) for shopper in shoppers for _ in range(2)]
        start = threading.Barrier(len(tabs))
        statuses = []

        def place(tab):
            start.wait()
            response = _post(
                tab,
                f"{base}/checkout/preview/",
                {"number": CARD, "action": "place_order"},
            )
            statuses.append((response.status_code, response.headers.get("Location")))

        threads = [threading.Thread(target=place, args=(tab,)) for tab in tabs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        server.terminate()
        try:
            _, errors = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            _, errors = server.communicate()

    with sqlite3.connect(database) as db:
        orders, totals = db.execute(
            "SELECT COUNT(*), COALESCE(SUM(total_incl_tax), 0) FROM order_order"
        ).fetchone()
        succeeded, taken = db.execute(
            "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM payment_payment "
            "WHERE status = 'succeeded'"
        ).fetchone()
        (debited,) = db.execute(
            "SELECT COALESCE(SUM(amount_debited), 0) FROM payment_source"
        ).fetchone()
    figures = {
        "responses": sorted(statuses, key=str),
        "orders": orders,
        "order_totals": Decimal(str(totals)),
        "succeeded_payments": succeeded,
        "taken": Decimal(str(taken)),
        "debited": Decimal(str(debited)),
    }
    print(f"\n{figures}")  # quoted in the notes
    assert "database is locked" not in errors, errors[-3000:]
    assert all(status == 302 for status, _ in statuses), (figures, errors[-3000:])
    assert len(statuses) == 2 * SHOPPERS
    assert (orders, succeeded) == (SHOPPERS, SHOPPERS), figures
    assert figures["taken"] == figures["debited"] == figures["order_totals"]
    assert figures["order_totals"] == Decimal("34.50") * SHOPPERS
    assert not re.search(r"Traceback", errors), errors[-3000:]
