"""How well a recommender would have done on past baskets (leave one out).

The baskets are shuffled with a fixed seed and split: the first 80% train
every recommender, and each remaining basket with at least two items becomes
a case, one of its items (chosen with the same seed) hidden and the others
given. A recommender's top `k` for the given items scores a hit when it holds
the hidden item: HR@k is the share of cases hit, NDCG@k credits a hit at rank
r with 1 / log2(r + 1), so a hit at the top counts most.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from personalisation.recommenders import RECOMMENDERS, SERVED

TRAIN_SHARE = 0.8


@dataclass(frozen=True)
class Case:
    given: list
    hidden: object


def baskets_split(
    *, baskets: Sequence[Sequence], seed: int, train_share: float = TRAIN_SHARE
) -> tuple[list, list[Case]]:
    """The training baskets and the held-out cases."""
    shuffled = list(baskets)
    random.Random(seed).shuffle(shuffled)
    cut = int(len(shuffled) * train_share)
    hide = random.Random(seed)
    cases = []
    for basket in shuffled[cut:]:
        items = list(dict.fromkeys(basket))
        if len(items) < 2:
            continue
        hidden = hide.choice(items)
        cases.append(Case([item for item in items if item != hidden], hidden))
    return shuffled[:cut], cases


def hit_metrics(*, model, cases: Sequence[Case], k: int) -> dict[str, float]:
    """HR@k and NDCG@k of `model` over `cases` (0 for no cases)."""
    hits = gain = 0.0
    for case in cases:
        ranked = model.recommend(case.given, k)[:k]
        if case.hidden in ranked:
            hits += 1
            gain += 1 / math.log2(ranked.index(case.hidden) + 2)
    count = len(cases) or 1
    return {f"hr@{k}": hits / count, f"ndcg@{k}": gain / count}


def recommenders_evaluate(
    *, baskets: Sequence[Sequence], seed: int = 42, k: int = 10
) -> tuple[dict, dict]:
    """Every recommender trained and scored on the same split: the figures
    `manage.py recommender_eval --json` prints, and how many baskets trained
    and how many cases scored them."""
    train, cases = baskets_split(baskets=baskets, seed=seed)
    results = {
        name: hit_metrics(model=fit(baskets=train), cases=cases, k=k)
        for name, fit in RECOMMENDERS.items()
    }
    return {"served": SERVED, "results": results}, {
        "train": len(train),
        "cases": len(cases),
    }
