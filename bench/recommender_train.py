"""How long "bought together" takes to learn from a million purchase events.

    .venv/bin/python -m bench.recommender_train [--events 1000000] [--products 10000]

Generates purchases in memory, with a fixed seed: orders of one to eight items
from a catalogue whose sales follow a long tail (Zipf), half of each order's
items drawn near the first one so there are real pairs to find. Then times
what the nightly task does after reading the events: EASE fitted on the most
bought products (personalisation.recommenders.EASE_MAX_ITEMS) and each
product's list worked out (personalisation.training). Reading the events from
the database comes on top.
"""

import argparse
import itertools
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from personalisation.recommenders import ease_fit  # noqa: E402

KEPT_PER_PRODUCT = 20  # as personalisation.training keeps


def baskets_generate(*, events: int, products: int, seed: int = 7) -> list[list[int]]:
    rnd = random.Random(seed)
    population = range(products)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in population))

    def popular() -> int:
        return rnd.choices(population, cum_weights=cumulative)[0]

    baskets, made = [], 0
    while made < events:
        size = min(rnd.randint(1, 8), events - made)
        first = popular()
        basket = {first}
        while len(basket) < size:
            if rnd.random() < 0.5:
                basket.add((first + rnd.randint(1, 20)) % products)
            else:
                basket.add(popular())
        baskets.append(list(basket))
        made += len(basket)
    return baskets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=10_000)
    args = parser.parse_args()
    started = time.monotonic()
    baskets = baskets_generate(events=args.events, products=args.products)
    generated = time.monotonic()
    model = ease_fit(baskets=baskets)
    fitted = time.monotonic()
    lists = model.partners(kept=KEPT_PER_PRODUCT)
    done = time.monotonic()
    print(
        f"{args.events:,} purchase events in {len(baskets):,} orders over "
        f"{args.products:,} products (generated in {generated - started:.1f} s)\n"
        f"EASE on the {len(model.items):,} most bought: {fitted - generated:.1f} s; "
        f"lists of {len(lists):,} products: {done - fitted:.1f} s; "
        f"training in all: {done - generated:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
