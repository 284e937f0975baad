"""Recommenders learnt from baskets: given some items, the items to show next.

Each `*_fit(baskets=...)` learns from past baskets (lists of item keys: product
ids in the shop, names in a dataset) and returns a model whose
`recommend(given, k)` ranks up to `k` items not among `given`, best first.
Ties are broken by how many baskets hold the item, then by the key, so a model
always answers the same.

- Popularity: the items most baskets hold; the baseline, and the fallback for
  a shopper or product nothing is known about yet.
- Co-occurrence: items in baskets with the given ones, each pair's count
  scaled down by how common both items are (`alpha`, `beta`), so that milk,
  in half the baskets, does not top every list.
- EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", 2019):
  item-to-item weights from a closed-form ridge regression of each item on all
  the others over the basket-item matrix. It is what the shop serves as
  "bought together": on the Groceries baskets it beats popularity where plain
  co-occurrence barely does (`manage.py recommender_eval`). It needs an
  items x items matrix inverted, so it learns the `max_items` most bought
  items; the others are recommended by popularity.
"""

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence

import numpy as np

Item = Hashable
Baskets = Iterable[Sequence[Item]]

EASE_LAMBDA = 200.0
EASE_MAX_ITEMS = 5000


class Popularity:
    name = "popularity"

    def __init__(self, counts: Counter):
        self.counts = counts
        self.ranked = sorted(counts, key=self.tie_break)

    def tie_break(self, item) -> tuple:
        return (-self.counts[item], str(item))

    def recommend(self, given: Sequence[Item], k: int) -> list:
        return self.filled([], given=given, k=k)

    def filled(self, ranked: list, *, given: Sequence[Item], k: int) -> list:
        """`ranked`, then the most popular items not given or ranked, up to k."""
        taken = set(given) | set(ranked)
        out = list(ranked[:k])
        for item in self.ranked:
            if len(out) >= k:
                break
            if item not in taken:
                out.append(item)
        return out


def popularity_fit(*, baskets: Baskets) -> Popularity:
    return Popularity(Counter(item for basket in baskets for item in set(basket)))


class CoOccurrence:
    name = "cooccurrence"

    def __init__(self, pairs: dict, popular: Popularity, alpha: float, beta: float):
        self.pairs = pairs
        self.popular = popular
        self.alpha = alpha
        self.beta = beta

    def recommend(self, given: Sequence[Item], k: int) -> list:
        counts = self.popular.counts
        shown = set(given)
        scores: dict = defaultdict(float)
        for item in shown:
            for other, together in self.pairs.get(item, {}).items():
                if other not in shown:
                    scores[other] += together / (
                        counts[item] ** self.alpha * counts[other] ** self.beta
                    )
        ranked = sorted(scores, key=lambda i: (-scores[i], *self.popular.tie_break(i)))
        return self.popular.filled(ranked, given=given, k=k)


def cooccurrence_fit(
    *, baskets: Baskets, alpha: float = 0.5, beta: float = 0.3
) -> CoOccurrence:
    baskets = [list(dict.fromkeys(basket)) for basket in baskets]
    pairs: dict = defaultdict(Counter)
    for basket in baskets:
        for item in basket:
            pairs[item].update(other for other in basket if other != item)
    return CoOccurrence(pairs, popularity_fit(baskets=baskets), alpha, beta)


class Ease:
    name = "ease"

    def __init__(self, items: list, weights: np.ndarray, popular: Popularity):
        self.items = items
        self.index = {item: n for n, item in enumerate(items)}
        self.weights = weights
        self.popular = popular

    def recommend(self, given: Sequence[Item], k: int) -> list:
        rows = [self.index[item] for item in set(given) if item in self.index]
        if not rows:
            return self.popular.recommend(given, k)
        scores = self.weights[rows].sum(axis=0)
        scores[rows] = -np.inf
        # a stable sort of the items (already in popularity order) by score
        order = np.argsort(-scores, kind="stable")[:k]
        ranked = [self.items[n] for n in order if scores[n] > 0]
        return self.popular.filled(ranked, given=given, k=k)

    def partners(self, *, kept: int) -> dict:
        """Each learnt item's `kept` best partners, for it alone (positive
        weights only: an item never bought with it is no partner)."""
        lists = {}
        for row, item in enumerate(self.items):
            weights = self.weights[row]
            best = np.argsort(-weights, kind="stable")[:kept]
            lists[item] = [self.items[n] for n in best if weights[n] > 0]
        return lists


def ease_fit(
    *,
    baskets: Baskets,
    lam: float = EASE_LAMBDA,
    max_items: int = EASE_MAX_ITEMS,
) -> Ease:
    baskets = [list(dict.fromkeys(basket)) for basket in baskets]
    popular = popularity_fit(baskets=baskets)
    items = popular.ranked[:max_items]
    index = {item: n for n, item in enumerate(items)}
    gram = np.zeros((len(items), len(items)))
    for basket in baskets:
        rows = [index[item] for item in basket if item in index]
        gram[np.ix_(rows, rows)] += 1
    gram[np.diag_indices_from(gram)] += lam
    inverse = np.linalg.inv(gram)
    weights = -inverse / np.diag(inverse)
    np.fill_diagonal(weights, 0.0)
    return Ease(items, weights, popular)


RECOMMENDERS = {
    "popularity": popularity_fit,
    "cooccurrence": cooccurrence_fit,
    "ease": ease_fit,
}
# What the shop serves as "bought together".
SERVED = "ease"
