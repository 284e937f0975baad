"""One size: prepare both databases, then load each page on each shop in turn."""

import statistics
from dataclasses import asdict
from pathlib import Path

import redis

from bench.harness import databases
from bench.harness.api_bench import (
    API_LOCUSTFILE,
    api_basket_check,
    api_environment,
    api_missing,
)
from bench.harness.config import API_PAGES, ROOT, STATE_DIR, Settings
from bench.harness.load import LOCUSTFILE, locust_run
from bench.harness.log import say
from bench.harness.offers import offers_run
from bench.harness.plan import page_plan, selection_make, shop_paths
from bench.harness.race import race_problem, race_run
from bench.harness.seeding import databases_prepare
from bench.harness.server import Access, Server, access_log_read, first_traceback
from bench.harness.shops import OURS, SHOPS, Shop, size_label

LOG_DIR = STATE_DIR / "logs"
WORKER_MIN = 20
BASKET_PAGES = ("basket_add", "api_basket_add")


def size_run(*, settings: Settings, size: int, secret_key: str, document: dict):
    """Add this size's databases, selection and runs to `document`."""
    prepared = databases_prepare(settings=settings, size=size, secret_key=secret_key)
    document["databases"].append(asdict(prepared))
    document["warnings"].extend(prepared.warnings)
    envs = {
        shop.name: shop.environment(settings=settings, size=size, secret_key=secret_key)
        for shop in SHOPS
    }
    with databases.connect(settings.database_url, OURS.database(size)) as conn:
        selection = selection_make(conn, sample=settings.sample, seed=settings.seed)
    paths = {
        shop.name: shop_paths(shop, env=envs[shop.name], selection=selection)
        for shop in SHOPS
    }
    document["selections"].append(
        {
            "size": size,
            "category": selection.category,
            "category_products": selection.category_products,
            "words": selection.words,
            "products": len(selection.products),
            "basket_products": len(selection.basket),
            "race_product": selection.race_product,
        }
    )
    say(
        f"{size:,}: category {selection.category} ({selection.category_products} "
        f"products), words {', '.join(selection.words)}"
    )
    for shop in SHOPS:
        _state_fresh(settings=settings, shop=shop, size=size)
    for page in settings.pages:
        if page == "offers":  # inside our shop, not a load of both
            run = offers_run(settings=settings, size=size, env=envs[OURS.name])
            document["runs"].append(run)
            if run.get("problem"):
                document["warnings"].append(run["problem"])
            continue
        for shop in SHOPS:
            missing = page in API_PAGES and api_missing(
                shop=shop, size=size, page=page, paths=paths[shop.name]
            )
            if missing:  # an endpoint this shop's API lacks: said, not loaded
                document["runs"].append(missing)
                say(f"{size:,} {page} {shop.name}: {missing['skipped']}")
                continue
            if page == "checkout_race":
                run = race_run(
                    settings=settings,
                    shop=shop,
                    size=size,
                    env=envs[shop.name],
                    paths=paths[shop.name]["checkout_race"],
                    product=selection.race_product,
                )
                # Only our shop must win the race; stock Oscar's result is shown.
                failed = shop is OURS and not run["passed"]
                problem = race_problem(run) if failed else None
            else:
                run = page_run(
                    settings=settings,
                    shop=shop,
                    size=size,
                    page=page,
                    env=envs[shop.name],
                    paths=paths[shop.name],
                )
                problem = run.get("problem")
            document["runs"].append(run)
            if problem:
                document["warnings"].append(problem)


def page_run(
    *, settings: Settings, shop: Shop, size: int, page: str, env: dict, paths: dict
) -> dict:
    tag = f"{size_label(size)}-{page}-{shop.name}"
    plan = page_plan(page=page, paths=paths, settings=settings)
    first_path = plan.get("smoke") or (
        plan["paths"][0] if "paths" in plan else plan["items"][0][0]
    )
    if page in BASKET_PAGES:
        with databases.connect(settings.database_url, shop.database(size)) as conn:
            databases.transient_reset(conn)
    api = page in API_PAGES
    if api:
        env = api_environment(shop=shop, env=env)
    server = Server(shop=shop, settings=settings, env=env, log_dir=LOG_DIR, tag=tag)
    with server:
        try:
            status, seconds = server.get(first_path)
        except OSError as exc:  # a timeout: the load will show it too
            status, seconds = 0, settings.timeout
            say(f"{tag}: {first_path} -> {exc.__class__.__name__}")
        say(f"{tag}: {first_path} -> {status} in {seconds * 1000:.0f} ms; loading")
        figures = locust_run(
            settings=settings,
            plan=plan,
            base_url=server.base_url,
            work_dir=LOG_DIR,
            tag=tag,
            locustfile=API_LOCUSTFILE if api else LOCUSTFILE,
        )
        tasks_waiting = server.tasks_waiting()
    method = "POST" if page in BASKET_PAGES else "GET"
    access = [
        entry for entry in access_log_read(server.access_log) if entry.phase != "-"
    ]
    loaded = [e for e in access if e.method == method]
    sent_measuring = [e.ms for e in loaded if e.phase == "measure"]
    run = {
        "size": size,
        "shop": shop.name,
        "page": page,
        "first_path": first_path,
        "first_status": status,
        "concurrency": settings.users,
        "duration": figures.get("seconds"),
        **{key: value for key, value in figures.items() if key != "seconds"},
        "worker": _worker_summary(sent_measuring, [e.ms for e in loaded]),
        "tasks_waiting_at_end": tasks_waiting,
        "logs": str(server.error_log.relative_to(ROOT)),
    }
    if page == "basket_add":
        run["basket"] = _basket_check(
            settings=settings, shop=shop, size=size, access=access
        )
    elif page == "api_basket_add":
        run["basket"] = api_basket_check(
            settings=settings, shop=shop, size=size, figures=figures
        )
    problem = _problem(run, server.error_log)
    if problem:
        run["problem"] = problem
    say(
        f"{tag}: {run.get('rps', 0):.1f} req/s, p95 {run.get('p95')} ms, "
        f"{run.get('errors')} errors of {run.get('requests')}"
    )
    return run


def _state_fresh(*, settings: Settings, shop: Shop, size: int) -> None:
    """An empty cache and fresh planner statistics before a shop's runs."""
    redis.Redis.from_url(f"{settings.redis_url}/{shop.redis_db}").flushdb()
    with databases.connect(settings.database_url, shop.database(size)) as conn:
        databases.vacuum_analyze(conn)


def _worker_summary(measuring: list[float], loaded: list[float]) -> dict:
    """Percentiles of the time workers spent per request, queueing left out.

    The requests sent while measuring; a page so slow that fewer than
    WORKER_MIN of those finished also counts the warm-up's (`phases` says so).
    """
    times, phases = measuring, "measure"
    if len(measuring) < WORKER_MIN:
        times, phases = loaded, "warmup+measure"
    if len(times) < 2:
        return {"requests": len(times), "phases": phases}
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "requests": len(times),
        "phases": phases,
        "p50": round(cuts[49], 1),
        "p95": round(cuts[94], 1),
        "p99": round(cuts[98], 1),
    }


def _basket_check(
    *, settings: Settings, shop: Shop, size: int, access: list[Access]
) -> dict:
    """Whether every redirected POST really added a line: Oscar redirects a failed
    add too, with an error message, so a 302 alone proves nothing."""
    with databases.connect(settings.database_url, shop.database(size)) as conn:
        quantity = databases.basket_quantity(conn)
    redirected = sum(1 for e in access if e.method == "POST" and e.status in (302, 303))
    return {"posts_redirected": redirected, "quantity_in_baskets": quantity}


def _problem(run: dict, error_log: Path) -> str | None:
    """A line for the report when a run failed, with the server's first traceback."""
    if run.get("failed_run"):
        return f"{run['shop']} {run['page']}: locust failed: {run['failed_run']}"
    basket = run.get("basket")
    # More items than answers is fine: adds in flight when the load stopped.
    answered = basket and basket.get("posts_redirected", basket.get("adds_ok"))
    if basket and basket["quantity_in_baskets"] < answered:
        return (
            f"{run['shop']} {run['page']} ({run['size']:,}): "
            f"{answered} adds answered as done but "
            f"{basket['quantity_in_baskets']} items are in baskets"
        )
    if not run.get("errors") and 0 < run["first_status"] < 400:
        return None
    kinds = "; ".join(f"{kind} ×{n}" for kind, n in run.get("error_kinds", {}).items())
    traceback = first_traceback(error_log)
    return (
        f"{run['shop']} {run['page']} ({run['size']:,}): first request "
        f"{run['first_status']}, {run.get('errors')} errors: {kinds}. "
        f"Log: {run['logs']}{traceback}"
    )
