"""Time pricing one basket with the offers, inside our shop (Django set up).

Three scenarios on the same basket (`offers_seed`): the small shop's few site
offers; all the site offers; all of them with a voucher code in the basket.
In each, three ways of pricing, each run `repeat` times on the basket loaded
afresh with its lines (as a request has it; loading the lines is timed on its
own, since it is the same whatever the offers):

- cached: `basket_offers_price` as the basket middleware calls it, the site
  offers from the cache, pricing the same basket again (as every page a
  shopper opens does);
- changed: the same, each run with one more of one line (in turn), as after
  the shopper changes the basket: what offers reading other lines give on
  their own is remembered, the rest worked out again;
- checkout: the same with `fresh=True`, as `checkout_price` calls it, the site
  offers checked against the database;
- stock_oscar: Oscar's own `Applicator().apply(basket, user)`, for context,
  `stock_repeat` times. It runs on our models, so brand ranges and tiered
  discounts work, but it loads the offers and checks range membership Oscar's
  way, and it ignores days, hours and audiences.

Our two ways are run once before they are timed (the cache filled, a free gift
put in the basket). Times are wall-clock milliseconds; queries are counted for
every run.
"""

import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from oscar.apps.offer.applicator import Applicator as OscarApplicator

from basket.models import Basket, Line
from bench.harness.offers_seed import Seeded
from offer.models import ConditionalOffer, is_gift_line
from offer.services import basket_offers_price
from offer.site_offers import site_offers_forget, site_offers_open
from partner.strategy import Selector
from voucher.models import Voucher


def offers_measure(*, seeded: Seeded, repeat: int, stock_repeat: int) -> list[dict]:
    """One result per scenario: timings and query counts of each way, and what
    the basket was priced at."""
    user = get_user_model().objects.get(pk=seeded.user_id)
    voucher = Voucher.objects.filter(pk=seeded.voucher_id).first()
    scenarios = [
        ("few", seeded.site_offer_ids[: seeded.few], None),
        ("many", seeded.site_offer_ids, None),
    ]
    if voucher is not None:
        scenarios.append(("many_voucher", seeded.site_offer_ids, voucher))
    results = []
    for name, open_ids, with_voucher in scenarios:
        offers_open(seeded=seeded, open_ids=open_ids)
        basket = Basket.objects.get(pk=seeded.basket_id)
        basket.vouchers.set([with_voucher] if with_voucher else [])
        ways = {
            "cached": lambda basket: basket_offers_price(basket=basket, user=user),
            "changed": lambda basket: basket_offers_price(basket=basket, user=user),
            "checkout": lambda basket: basket_offers_price(
                basket=basket, user=user, fresh=True
            ),
            "stock_oscar": lambda basket: OscarApplicator().apply(basket, user),
        }
        result = {
            "scenario": name,
            "site_offers": len(open_ids),
            "vouchers": seeded.vouchers,
            "voucher_in_basket": with_voucher.code if with_voucher else None,
            "site_offers_open_now": len(site_offers_open(fresh=True)),
        }
        for way, price in ways.items():
            stock = way == "stock_oscar"
            result[way] = _timed(
                seeded,
                user,
                price,
                times=stock_repeat if stock else repeat,
                warm_up=not stock,
                change=way == "changed",
            )
        result["lines_ms"] = _lines_load_ms(seeded, user)
        results.append(result)
    basket = Basket.objects.get(pk=seeded.basket_id)
    basket.vouchers.clear()
    site_offers_forget()
    return results


def offers_open(*, seeded: Seeded, open_ids: list[int]) -> None:
    """Open these bench offers and suspend the others, then forget the cached
    site offers (a queryset update sends no signal)."""
    offers = ConditionalOffer.objects.filter(pk__in=seeded.site_offer_ids)
    offers.exclude(pk__in=open_ids).update(status=ConditionalOffer.SUSPENDED)
    offers.filter(pk__in=open_ids).update(status=ConditionalOffer.OPEN)
    site_offers_forget()


def _timed(
    seeded: Seeded, user, price: Callable, *, times: int, warm_up: bool, change: bool
):
    """`price` timed on the basket loaded afresh `times` times (after a run
    untimed, if `warm_up`); when `change`, each run with one line (in turn)
    one to a few more than in the basket as seeded and the others as seeded,
    a basket the process has not priced."""
    durations, queries = [], []
    basket = considered = None
    quantities = _quantities(seeded) if change else {}
    try:
        for run in range(times + warm_up):
            if change:  # the line changed last run as seeded, the next one more
                _line_set(quantities, run - 1, more=0)
                _line_set(quantities, run, more=1 + run // len(quantities))
            basket = _basket_load(seeded, user)
            with _queries_counted() as counted:
                started = time.perf_counter()
                considered = price(basket)
                elapsed = time.perf_counter() - started
            if run or not warm_up:
                durations.append(elapsed * 1000)
                queries.append(counted[0])
    finally:
        for number in range(len(quantities)):
            _line_set(quantities, number, more=0)
    if basket is None:
        return {"runs": 0}
    priced = _priced(basket)
    if considered is not None:  # ours: the offers whose range holds a product
        priced["offers_considered"] = len(considered)
    return {**_summary(durations, queries), **priced}


def _quantities(seeded: Seeded) -> dict[int, int]:
    """The quantity of each line the shopper put in the basket (not gifts)."""
    lines = Line.objects.filter(basket_id=seeded.basket_id).order_by("pk")
    return {line.pk: line.quantity for line in lines if not is_gift_line(line)}


def _line_set(quantities: dict[int, int], number: int, *, more: int) -> None:
    """The line of that number (in turn) `more` than as seeded."""
    pk = list(quantities)[number % len(quantities)]
    Line.objects.filter(pk=pk).update(quantity=quantities[pk] + more)


def _basket_load(seeded: Seeded, user) -> Basket:
    basket = Basket.objects.get(pk=seeded.basket_id)
    basket.strategy = Selector().strategy(user=user)
    list(basket.all_lines())
    return basket


def _lines_load_ms(seeded: Seeded, user, times: int = 20) -> float:
    """The median time to load the basket's lines with what pricing reads of
    them (`Basket.all_lines`)."""
    durations = []
    for _ in range(times):
        basket = Basket.objects.get(pk=seeded.basket_id)
        started = time.perf_counter()
        list(basket.all_lines())
        durations.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(durations), 2)


@contextmanager
def _queries_counted():
    counted = [0]

    def count(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counted


def _summary(durations: list[float], queries: list[int]) -> dict:
    if not durations:
        return {"runs": 0}
    if len(durations) == 1:
        p50 = p95 = durations[0]
    else:
        cuts = statistics.quantiles(durations, n=100, method="inclusive")
        p50, p95 = cuts[49], cuts[94]
    return {
        "runs": len(durations),
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95, 2),
        "min_ms": round(min(durations), 2),
        "max_ms": round(max(durations), 2),
        "queries_min": min(queries),
        "queries_max": max(queries),
    }


def _priced(basket: Basket) -> dict:
    """What the last run priced the basket at."""
    applications = list(basket.offer_applications)
    return {
        "lines": len(basket.all_lines()),
        "offers_applied": len(applications),
        "discount": str(
            sum((found["discount"] for found in applications), Decimal("0.00"))
        ),
        "total_incl_tax": str(basket.total_incl_tax),
    }
