"""The API pages: our REST API (/api/v1/) against django-oscar-api's (/api/) on
the stock shop, and our API against our own website in the same run.

Each shop's API addresses are given here as the URL contract says they are
(ours) and as django-oscar-api ships them (stock), and checked inside that
shop's Django (shop_urls.py, which can't import the harness): an address a
shop does not resolve is not loaded, and the results say why, so a run before
one of our endpoints exists still measures the rest. django-oscar-api has no
search, so only ours is loaded there.
"""

import math
from pathlib import Path
from urllib.parse import urlencode

from bench.harness import databases
from bench.harness.config import API_PAGES, Settings
from bench.harness.shops import Shop

API_LOCUSTFILE = Path(__file__).with_name("api_locustfile.py")
# How many adds go into one basket before the client starts another.
ADDS_PER_BASKET = 10
# Our API's rate limits would answer the load, all from 127.0.0.1, with 429s:
# the anonymous one (API_THROTTLE_ANON, 120/min by default, per address) and
# the per-customer one (API_THROTTLE_USER, 600/min). Both are raised far above
# it, so each request still pays for the throttles' cache round trips, as in
# production.
THROTTLE_RATE = "100000000/min"

# Each API's addresses; None where the API has no such endpoint.
API_URLS = {
    "ours": {
        "products": "/api/v1/products/",
        "product": "/api/v1/products/{pk}/",
        "search": "/api/v1/search/",
        "basket": "/api/v1/basket/",
        "basket_add": "/api/v1/basket/lines/",
        "basket_style": "token",
    },
    # django-oscar-api 3.3 as its documentation mounts it (api/).
    "stock": {
        "products": "/api/products/",
        "product": "/api/products/{pk}/",
        "search": None,  # django-oscar-api has no search endpoint
        "basket": "/api/basket/",
        "basket_add": "/api/basket/add-product/",
        "basket_style": "session",
    },
}
NO_SEARCH = (
    "django-oscar-api has no search endpoint (its product list filters only by "
    "structure)"
)

# Our API page -> the website page of ours it must keep up with.
WEBSITE_PAGES = {"api_products": "listing", "api_search": "search"}
WEBSITE_FACTOR = 1.5  # within 1.5x of the website's throughput and p95
WEBSITE_TARGET_SIZE = 10_000

TITLES = {
    "api_products": "API product list",
    "api_product": "API product detail",
    "api_search": "API search",
    "api_basket_add": "API basket add",
}


def api_candidates(shop: Shop, *, selection: dict) -> list[str]:
    """The paths shop_urls.py checks inside this shop's Django."""
    urls = API_URLS[shop.name]
    pk = selection["basket"][0]
    candidates = [urls[key] for key in ("products", "search", "basket", "basket_add")]
    return [path for path in (*candidates, urls["product"].format(pk=pk)) if path]


def api_paths(shop: Shop, *, selection: dict, routed_paths: list[str]) -> dict:
    """The API pages' paths for one shop, None for a page whose endpoint the shop
    does not route (`routed_paths`: the candidates its Django resolves)."""
    urls = API_URLS[shop.name]
    resolves = set(routed_paths).__contains__

    def routed(path: str | None) -> str | None:
        return path if path and resolves(path.split("?")[0]) else None

    product = urls["product"]
    products = [product.format(pk=pk) for pk in selection["products"]]
    search = routed(urls["search"])
    detail = routed(product.format(pk=selection["basket"][0]))
    basket_ok = routed(urls["basket"]) and routed(urls["basket_add"])
    return {
        "api_products": routed(urls["products"]),
        # Detail pages have one route: the basket's first product stands for all.
        "api_product": products if detail else None,
        "api_search": [
            f"{search}?{urlencode({'q': word})}" for word in selection["words"]
        ]
        if search
        else None,
        "api_basket_add": {
            "style": urls["basket_style"],
            "basket_path": urls["basket"],
            "add_path": urls["basket_add"],
            "product_url": product,
            "items": selection["basket"],
            # One GET before the load: the first product, else the health check.
            "smoke": detail or "/healthz",
        }
        if basket_ok
        else None,
    }


def api_plan(*, page: str, paths: dict, settings: Settings) -> dict:
    """What api_locustfile.py reads for one API page of one shop."""
    plan = {
        "page": page,
        "warmup": settings.warmup,
        "duration": settings.duration,
        "timeout": settings.timeout,
    }
    target = paths["api"][page]
    if page != "api_basket_add":
        urls = target if isinstance(target, list) else [target]
        return {**plan, "paths": urls, "smoke": urls[0]}
    basket = {key: target[key] for key in ("style", "basket_path", "add_path")}
    basket["product_url"] = target["product_url"]
    return {
        **plan,
        "basket": basket,
        "items": target["items"],
        "adds_per_session": ADDS_PER_BASKET,
        "smoke": target["smoke"],
    }


def api_missing(*, shop: Shop, size: int, page: str, paths: dict) -> dict | None:
    """A run that records why this shop's API page is not loaded, or None."""
    if paths["api"].get(page) is not None:
        return None
    if shop.name == "stock" and page == "api_search":
        why = NO_SEARCH
    else:
        why = f"{shop.title} does not route {_endpoint(shop, page)}"
    return {"size": size, "shop": shop.name, "page": page, "skipped": why}


def api_environment(*, shop: Shop, env: dict) -> dict:
    if shop.name != "ours":
        return env
    return {
        **env,
        "API_THROTTLE_ANON": THROTTLE_RATE,
        "API_THROTTLE_USER": THROTTLE_RATE,
    }


def api_basket_check(*, settings: Settings, shop: Shop, size: int, figures: dict):
    """Whether each add the API answered with success is in a basket."""
    with databases.connect(settings.database_url, shop.database(size)) as conn:
        quantity = databases.basket_quantity(conn)
    return {"adds_ok": figures.get("adds_ok_total", 0), "quantity_in_baskets": quantity}


def website_rows_evaluate(runs: list[dict]) -> list[dict]:
    """Our API page against our website's matching page in the same run: the
    API's throughput at least 1/1.5 of the website's and its p95 at most 1.5x
    (the target at 10,000 products; shown at every size)."""
    ours = {
        (run["size"], run["page"]): run
        for run in runs
        if run["shop"] == "ours" and "skipped" not in run
    }
    rows = []
    for (size, page), api in ours.items():
        website = ours.get((size, WEBSITE_PAGES.get(page)))
        if website is None:
            continue
        rps_ratio = _ratio(api.get("rps"), website.get("rps"))
        p95_ratio = _ratio(api.get("p95"), website.get("p95"))
        passed = None
        if size == WEBSITE_TARGET_SIZE:
            passed = (
                bool(api.get("requests"))
                and not api.get("errors")
                and rps_ratio >= 1 / WEBSITE_FACTOR
                and p95_ratio <= WEBSITE_FACTOR
            )
        rows.append(
            {
                "size": size,
                "page": page,
                "website_page": website["page"],
                "rps_ratio": rps_ratio,
                "p95_ratio": p95_ratio,
                "passed": passed,
            }
        )
    return rows


def api_markdown(document: dict) -> list[str]:
    """The API section: what was not loaded and why, response sizes, and our API
    against our website."""
    runs = [run for run in document["runs"] if run["page"] in API_PAGES]
    if not runs:
        return []
    lines = ["", "## API: ours (/api/v1/) and django-oscar-api's (/api/)", ""]
    for run in runs:
        if "skipped" in run:
            lines.append(
                f"- {TITLES[run['page']]}, {run['shop']} ({run['size']:,}): not "
                f"loaded: {run['skipped']}."
            )
        elif run.get("bytes_per_response") is not None:
            lines.append(
                f"- {TITLES[run['page']]}, {run['shop']} ({run['size']:,}): "
                f"{run['bytes_per_response']:,} bytes per response."
            )
    rows = document.get("website_rows") or []
    if rows:
        lines += [
            "",
            "| our API page | products | against our website's | req/s ratio "
            "| p95 ratio | target | result |",
            "|---|---:|---|---:|---:|---|---|",
        ]
        for row in rows:
            result = {True: "pass", False: "**FAIL**", None: ""}[row["passed"]]
            target = ""
            if row["size"] == WEBSITE_TARGET_SIZE:
                target = f"req/s ≥ 1/{WEBSITE_FACTOR:g}, p95 ≤ {WEBSITE_FACTOR:g}x"
            lines.append(
                f"| {TITLES[row['page']]} | {row['size']:,} "
                f"| {row['website_page']} | {_fmt(row['rps_ratio'])} "
                f"| {_fmt(row['p95_ratio'])} | {target} | {result} |"
            )
    lines += [
        "",
        "The product list: ours is cursor-paginated (one page per request); "
        "django-oscar-api's lists every product in one answer, as it ships (no "
        "pagination unless the project sets one), hence the bytes per response. "
        "Its basket add takes the product's API URL and keeps the basket in the "
        "session; ours takes the product's id and an anonymous basket token.",
    ]
    return lines


def _endpoint(shop: Shop, page: str) -> str:
    urls = API_URLS[shop.name]
    if page == "api_basket_add":
        return f"{urls['basket']} and {urls['basket_add']}"
    return urls[page.removeprefix("api_")]


def _ratio(value, base) -> float:
    if not base:
        return math.inf if value else math.nan
    return (value or 0) / base


def _fmt(value: float) -> str:
    if value is None or math.isnan(value):
        return "–"
    return "∞" if math.isinf(value) else f"{value:.2f}x"
