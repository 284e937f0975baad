"""What each page's load requests: the same products, category and words for both
shops, picked at random (with a fixed seed) from the seeded catalogue."""

import json
import random
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg

from bench.harness.api_bench import api_candidates, api_paths, api_plan
from bench.harness.config import API_PAGES, Settings
from bench.harness.shops import PYTHON, Shop

SHOP_URLS = Path(__file__).with_name("shop_urls.py")
STOP_WORDS = {"and", "the", "for", "with", "from", "set", "of", "in", "a"}
SEARCH_WORDS = 8


@dataclass(frozen=True)
class Selection:
    products: list[int]  # browsable products, for product pages
    basket: list[int]  # standalone products in stock, with no options to choose
    category: int  # a mid-size leaf category
    category_products: int
    words: list[str]  # common title words
    race_product: int  # the checkout race's SKU: one of `basket`, one stock record


def selection_make(conn: psycopg.Connection, *, sample: int, seed: int) -> Selection:
    rng = random.Random(seed)
    browsable = _ids(
        conn,
        "SELECT id FROM catalogue_product "
        "WHERE parent_id IS NULL AND is_public ORDER BY id",
    )
    purchasable = _ids(
        conn,
        "SELECT DISTINCT p.id FROM catalogue_product p "
        "JOIN partner_stockrecord s ON s.product_id = p.id "
        "WHERE p.structure = 'standalone' AND p.is_public "
        "AND s.num_in_stock > COALESCE(s.num_allocated, 0) "
        "AND s.price IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM catalogue_product_product_options o "
        "  WHERE o.product_id = p.id) "
        "AND NOT EXISTS (SELECT 1 FROM catalogue_productclass_options o "
        "  WHERE o.productclass_id = p.product_class_id) "
        "ORDER BY p.id",
    )
    category, count = _category_mid_size(conn)
    basket = rng.sample(purchasable, min(sample, len(purchasable)))
    return Selection(
        products=rng.sample(browsable, min(sample, len(browsable))),
        basket=basket,
        category=category,
        category_products=count,
        words=_common_words(conn, rng, total=len(browsable)),
        race_product=_single_stock_record(conn, basket),
    )


def shop_paths(shop: Shop, *, env: dict, selection: Selection) -> dict:
    """The selection as this shop's own paths (see shop_urls.py)."""
    chosen = asdict(selection)
    request = {
        **chosen,
        "home_url_name": shop.home_url_name,
        "api_check": api_candidates(shop, selection=chosen),
    }
    result = subprocess.run(
        [PYTHON, str(SHOP_URLS), str(shop.root)],
        input=json.dumps(request),
        cwd=shop.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{shop.name}: could not resolve URLs:\n{result.stderr}")
    paths = json.loads(result.stdout)
    paths["api"] = api_paths(
        shop, selection=chosen, routed_paths=paths.pop("api_routed")
    )
    return paths


def page_plan(*, page: str, paths: dict, settings: Settings) -> dict:
    """What the locustfile reads: which requests, and how long to warm up."""
    if page in API_PAGES:
        return api_plan(page=page, paths=paths, settings=settings)
    plan = {
        "page": page,
        "warmup": settings.warmup,
        "duration": settings.duration,
        "timeout": settings.timeout,
    }
    if page == "basket_add":
        return {**plan, "items": paths["basket_add"], "adds_per_session": 10}
    urls = paths[page]
    return {**plan, "paths": urls if isinstance(urls, list) else [urls]}


def _ids(conn: psycopg.Connection, query: str, params: list | None = None) -> list[int]:
    return [row[0] for row in conn.execute(query, params).fetchall()]


def _single_stock_record(conn: psycopg.Connection, candidates: list[int]) -> int:
    """The first candidate sold from exactly one stock record, so that setting
    that record's stock sets the product's."""
    single = set(
        _ids(
            conn,
            "SELECT product_id FROM partner_stockrecord WHERE product_id = ANY(%s) "
            "GROUP BY product_id HAVING count(*) = 1",
            [candidates],
        )
    )
    for pk in candidates:
        if pk in single:
            return pk
    raise RuntimeError("no basket product has a single stock record")


def _category_mid_size(conn: psycopg.Connection) -> tuple[int, int]:
    """The leaf category with the median number of browsable products."""
    rows = conn.execute(
        "SELECT c.id, count(p.id) FROM catalogue_category c "
        "JOIN catalogue_productcategory pc ON pc.category_id = c.id "
        "JOIN catalogue_product p ON p.id = pc.product_id "
        "WHERE c.numchild = 0 AND c.is_public "
        "AND p.parent_id IS NULL AND p.is_public "
        "GROUP BY c.id ORDER BY count(p.id), c.id"
    ).fetchall()
    if not rows:
        raise RuntimeError("no leaf category has products")
    category, count = rows[len(rows) // 2]
    return category, count


def _common_words(conn: psycopg.Connection, rng: random.Random, *, total: int):
    """Title words that shoppers would type: each in 0.5% to 5% of the titles."""
    rows = conn.execute(
        "SELECT word, count(DISTINCT id) FROM ("
        "  SELECT id, regexp_split_to_table(lower(title), '[^a-z]+') AS word"
        "  FROM catalogue_product WHERE parent_id IS NULL AND is_public"
        ") words WHERE length(word) >= 3 GROUP BY word ORDER BY word"
    ).fetchall()
    words = [
        word
        for word, count in rows
        if word not in STOP_WORDS and 0.005 * total <= count <= 0.05 * total
    ]
    if not words:
        words = [word for word, _ in rows if word not in STOP_WORDS]
    return sorted(rng.sample(words, min(SEARCH_WORDS, len(words))))
