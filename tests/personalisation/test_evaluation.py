"""Leave-one-out scoring of the recommenders, checked by hand on tiny data."""

import math

from personalisation.evaluation import Case, baskets_split, hit_metrics
from personalisation.recommenders import popularity_fit

# a in 3 baskets, b in 2, c and d in 1 each
TRAIN = [["a", "b"], ["a", "b"], ["a", "c"], ["d"]]


def test_hits_at_rank_one_and_three_score_as_worked_out_by_hand():
    model = popularity_fit(baskets=TRAIN)
    cases = [Case(["a"], "b"), Case(["c"], "d")]

    # [a] -> b, c, d: b first.  [c] -> a, b, d: d third.
    at_ten = hit_metrics(model=model, cases=cases, k=10)
    at_two = hit_metrics(model=model, cases=cases, k=2)

    assert at_ten == {"hr@10": 1.0, "ndcg@10": (1 + 1 / math.log2(4)) / 2}
    assert at_two == {"hr@2": 0.5, "ndcg@2": 0.5}


def test_the_split_is_fixed_by_the_seed_and_hides_one_item_of_baskets_of_two():
    baskets = [[f"i{n}", f"j{n}"] for n in range(8)] + [["lonely"], ["x"]]

    train, cases = baskets_split(baskets=baskets, seed=7)
    again_train, again_cases = baskets_split(baskets=baskets, seed=7)
    _, other_cases = baskets_split(baskets=baskets, seed=8)

    assert len(train) == 8 and (train, cases) == (again_train, again_cases)
    assert cases != other_cases
    held_out = [b for b in baskets if b not in train]
    for case in cases:
        assert len(case.given) == 1 and case.hidden not in case.given
        assert sorted([*case.given, case.hidden]) in [sorted(b) for b in held_out]
    # a held-out basket of one item can't be a case
    assert len(cases) == sum(len(b) >= 2 for b in held_out)
