"""The API pages of the benchmark, wired up without a load: the stock shop's
django-oscar-api routes what the harness requests, each page's plan is what the
API locustfile reads, and measured runs become the report's rows."""

import json
import subprocess

from bench.harness import api_bench
from bench.harness.config import API_PAGES, settings_read
from bench.harness.plan import page_plan
from bench.harness.report import markdown, rows_evaluate
from bench.harness.shops import OURS, PYTHON, STOCK

SELECTION = {"products": [11, 12], "basket": [21, 22], "words": ["denim", "throw"]}
# The stock shop's Django, as shop_urls.py runs in it: which paths it routes.
ROUTED_IN_STOCK = """
import json, sys
import django
django.setup()
from harness.shop_urls import routed_paths
print(json.dumps(routed_paths(json.load(sys.stdin))))
"""


def _stock_routed(paths: list[str]) -> list[str]:
    settings = settings_read(["--sizes", "2000"])
    env = STOCK.environment(settings=settings, size=2000, secret_key="x" * 50)
    result = subprocess.run(
        [PYTHON, "-c", ROUTED_IN_STOCK],
        input=json.dumps(paths),
        cwd=STOCK.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_stock_shop_serves_django_oscar_api_where_the_bench_asks():
    candidates = api_bench.api_candidates(STOCK, selection=SELECTION)

    routed = _stock_routed([*candidates, "/api/v1/products/", "/api/nothing/"])

    assert routed == candidates  # ours and a made-up path are not routed there
    assert set(candidates) == {
        "/api/products/",
        "/api/products/21/",
        "/api/basket/",
        "/api/basket/add-product/",
    }


def test_the_stock_api_pages_plan_oscar_api_requests_and_say_it_has_no_search():
    settings = settings_read(["--sizes", "2000", "--duration", "7"])
    candidates = api_bench.api_candidates(STOCK, selection=SELECTION)
    paths = {
        "api": api_bench.api_paths(
            STOCK, selection=SELECTION, routed_paths=_stock_routed(candidates)
        )
    }

    products = page_plan(page="api_products", paths=paths, settings=settings)
    detail = page_plan(page="api_product", paths=paths, settings=settings)
    basket = page_plan(page="api_basket_add", paths=paths, settings=settings)
    search = api_bench.api_missing(
        shop=STOCK, size=2000, page="api_search", paths=paths
    )

    assert products["paths"] == ["/api/products/"]
    assert products["duration"] == 7
    assert detail["paths"] == ["/api/products/11/", "/api/products/12/"]
    assert basket["basket"] == {
        "style": "session",
        "basket_path": "/api/basket/",
        "add_path": "/api/basket/add-product/",
        "product_url": "/api/products/{pk}/",
    }
    assert basket["items"] == [21, 22]
    assert basket["smoke"] == "/api/products/21/"
    assert search["skipped"] == api_bench.NO_SEARCH
    for page in ("api_products", "api_product", "api_basket_add"):
        assert (
            api_bench.api_missing(shop=STOCK, size=2000, page=page, paths=paths) is None
        )


def test_our_api_pages_are_left_out_and_said_when_our_shop_does_not_route_them():
    paths = {
        "api": api_bench.api_paths(
            OURS, selection=SELECTION, routed_paths=["/api/v1/products/"]
        )
    }
    plan = page_plan(page="api_products", paths=paths, settings=settings_read([]))

    missing = api_bench.api_missing(
        shop=OURS, size=10_000, page="api_basket_add", paths=paths
    )

    assert plan["paths"] == ["/api/v1/products/"]
    assert paths["api"]["api_search"] is None
    assert "/api/v1/basket/ and /api/v1/basket/lines/" in missing["skipped"]
    # Our API runs unthrottled in effect; stock Oscar's environment is untouched.
    env = {"DEBUG": "false"}
    ours = api_bench.api_environment(shop=OURS, env=env)
    assert ours["API_THROTTLE_ANON"] == ours["API_THROTTLE_USER"] == "100000000/min"
    assert api_bench.api_environment(shop=STOCK, env=env) == env


def _run(shop: str, page: str, rps: float, p95: float, **extra) -> dict:
    run = {"size": 10_000, "shop": shop, "page": page, "rps": rps, "p95": p95}
    return run | {"requests": int(rps * 20), "errors": 0, "worker": {}} | extra


def test_measured_api_runs_become_rows_against_oscar_api_and_our_website():
    runs = [
        _run("ours", "listing", 300, 60),
        _run("ours", "search", 200, 90),
        _run("ours", "api_products", 250, 80, bytes_per_response=4_000),
        _run("stock", "api_products", 8, 2_300, bytes_per_response=3_300_000),
        _run("ours", "api_search", 100, 200),  # below half the website's req/s
        {"size": 10_000, "shop": "stock", "page": "api_search", "skipped": "none"},
        _run("ours", "api_basket_add", 120, 150),
        _run("stock", "api_basket_add", 30, 650),
    ]
    document = {
        "started": "now",
        "json": "bench/results/x.json",
        "tool": "locust",
        "settings": {"workers": 3, "users": 16, "duration": 20, "warmup": 5},
        "machine": {"cpus": 2},
        "runs": runs,
        "rows": rows_evaluate(runs),
        "website_rows": api_bench.website_rows_evaluate(runs),
    }

    rows = {row["page"]: row for row in document["rows"]}
    website = {row["page"]: row for row in document["website_rows"]}
    table = markdown(document)

    assert rows["api_products"]["ratio"] == 250 / 8
    assert rows["api_products"]["passed"] is True
    assert rows["api_basket_add"]["passed"] is False  # 4x, not 5x
    assert rows["api_search"]["ratio"] is None  # nothing of theirs to compare
    assert website["api_products"]["website_page"] == "listing"
    assert website["api_products"]["passed"] is True
    assert website["api_search"]["rps_ratio"] == 0.5
    assert website["api_search"]["passed"] is False
    assert set(website) == {"api_products", "api_search"}
    assert "| API product list | 10,000 | 250 | 8.0 | 31.2x |" in table
    assert "API search, stock (10,000): not loaded: none." in table
    assert "3,300,000 bytes per response" in table


def test_the_api_pages_are_in_the_default_run():
    assert set(API_PAGES) <= set(settings_read([]).pages)
    assert settings_read(["--pages", "api_search,listing"]).pages == (
        "listing",
        "api_search",
    )
