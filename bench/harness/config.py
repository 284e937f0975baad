"""The benchmark's settings: command-line flags, defaulting to BENCH_* variables.

The one module of the harness that reads the environment.
"""

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
STATE_DIR = ROOT / "var" / "bench"  # media folders, plans and server logs (ignored)
VENV_BIN = ROOT / ".venv" / "bin"

LOAD_PAGES = ("home", "listing", "product", "search", "basket_add")
# Our REST API and django-oscar-api's on the stock shop (api_bench.py).
API_PAGES = ("api_products", "api_product", "api_search", "api_basket_add")
# Pricing a basket with few and many offers, inside our shop (not a load).
DEFAULT_PAGES = (*LOAD_PAGES, *API_PAGES, "offers")
# The checkout race takes minutes per shop on two CPUs, so it runs only when named.
PAGES = (*DEFAULT_PAGES, "checkout_race")


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...]
    pages: tuple[str, ...]
    users: int  # concurrent clients
    duration: int  # measured seconds per shop and page
    warmup: int  # seconds of load before measuring, discarded
    timeout: float  # seconds a client waits for one response
    workers: int  # gunicorn sync workers, the same for both shops
    database_url: str  # the Postgres server, without a database name
    redis_url: str  # the Redis server, without a database number
    reseed: bool
    sample: int  # product pages (and basket products) requested round-robin
    seed: int  # picks the sample, the category and the search words
    ours_prepare: tuple[str, ...]  # manage.py commands run on our database
    race_shoppers: int  # checkout race: shoppers, each with its own session
    race_units: int  # checkout race: units of the one SKU left for them
    offers_repeat: int  # offers: timed runs of each of our ways of pricing
    offers_stock_repeat: int  # offers: timed runs of stock Oscar's Applicator


def settings_read(argv: list[str] | None = None) -> Settings:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Load our shop and a stock django-oscar shop with the same "
        "catalogue, one after the other, and compare them.",
    )
    add = parser.add_argument
    add("--sizes", default=_env("SIZES", "10000,100000"), help="products, e.g. 10000")
    add(
        "--pages",
        default=_env("PAGES", ",".join(DEFAULT_PAGES)),
        help=f"{','.join(PAGES)} (default: all but checkout_race)",
    )
    add("--users", type=int, default=int(_env("USERS", "16")))
    add("--duration", type=int, default=int(_env("DURATION", "20")), help="seconds")
    add("--warmup", type=int, default=int(_env("WARMUP", "5")), help="seconds")
    add("--timeout", type=float, default=float(_env("TIMEOUT", "30")))
    add("--workers", type=int, default=int(_env("WORKERS", "3")))
    add(
        "--database-url",
        default=_env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    add("--redis-url", default=_env("REDIS_URL", "redis://127.0.0.1:6379"))
    add(
        "--reseed",
        action="store_true",
        default=_env("RESEED", "") not in ("", "0", "false"),
        help="drop and seed the benchmark databases again",
    )
    add("--sample", type=int, default=int(_env("SAMPLE", "200")))
    add("--seed", type=int, default=int(_env("SEED", "1858")))
    add(
        "--ours-prepare",
        default=_env("OURS_PREPARE", "listing_rebuild"),
        help="comma-separated manage.py commands to run on our database after "
        "seeding (skipped when the command does not exist)",
    )
    add(
        "--race-shoppers",
        type=int,
        default=int(_env("RACE_SHOPPERS", "200")),
        help="checkout race: concurrent shoppers, each checking out once",
    )
    add(
        "--race-units",
        type=int,
        default=int(_env("RACE_UNITS", "10")),
        help="checkout race: units of the SKU in stock when it starts",
    )
    add(
        "--offers-repeat",
        type=int,
        default=int(_env("OFFERS_REPEAT", "100")),
        help="offers: timed runs of each scenario's cached and checkout pricing",
    )
    add(
        "--offers-stock-repeat",
        type=int,
        default=int(_env("OFFERS_STOCK_REPEAT", "1")),
        help="offers: timed runs of stock Oscar's Applicator in each scenario "
        "(seconds each with 200 offers)",
    )
    args = parser.parse_args(argv)
    pages = _split(args.pages)
    unknown = sorted(set(pages) - set(PAGES))
    if unknown:
        parser.error(f"unknown pages: {', '.join(unknown)}")
    return Settings(
        sizes=tuple(int(size) for size in _split(args.sizes)),
        pages=tuple(page for page in PAGES if page in pages),
        users=args.users,
        duration=args.duration,
        warmup=args.warmup,
        timeout=args.timeout,
        workers=args.workers,
        database_url=args.database_url.rstrip("/"),
        redis_url=args.redis_url.rstrip("/"),
        reseed=args.reseed,
        sample=args.sample,
        seed=args.seed,
        ours_prepare=tuple(_split(args.ours_prepare)),
        race_shoppers=args.race_shoppers,
        race_units=args.race_units,
        offers_repeat=args.offers_repeat,
        offers_stock_repeat=args.offers_stock_repeat,
    )


def _env(name: str, default: str) -> str:
    return os.environ.get(f"BENCH_{name}", default)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]
