"""The recommenders: what each ranks for a few items, and the fallbacks."""

from personalisation.recommenders import (
    cooccurrence_fit,
    ease_fit,
    popularity_fit,
)

# Milk is in most baskets; pasta goes with sauce, tea with biscuits.
BASKETS = (
    [["milk", "pasta", "sauce"]] * 4
    + [["milk", "tea", "biscuits"]] * 3
    + [["milk", "bread"]] * 6
    + [["pasta", "sauce"]] * 2
    + [["tea", "biscuits", "bread"]]
)


def test_popularity_ranks_by_baskets_holding_an_item_never_the_given_ones():
    model = popularity_fit(baskets=BASKETS)

    assert model.recommend(["milk"], 3) == ["bread", "pasta", "sauce"]


def test_bought_together_recommends_the_partner_not_the_most_popular():
    for fit in (cooccurrence_fit, ease_fit):
        model = fit(baskets=BASKETS)

        assert model.recommend(["pasta"], 1) == ["sauce"], fit.__name__
        assert model.recommend(["tea"], 1) == ["biscuits"], fit.__name__


def test_an_unknown_item_gets_the_popular_ones_and_lists_are_filled_to_k():
    for fit in (cooccurrence_fit, ease_fit):
        model = fit(baskets=BASKETS)

        assert model.recommend(["caviar"], 2) == ["milk", "bread"], fit.__name__
        # every other item, however little it goes with pasta
        assert sorted(model.recommend(["pasta"], 9)) == [
            "biscuits",
            "bread",
            "milk",
            "sauce",
            "tea",
        ]


def test_ease_learns_only_the_most_bought_items_and_falls_back_for_the_rest():
    model = ease_fit(baskets=BASKETS, max_items=3)

    assert model.items == ["milk", "bread", "pasta"]
    assert model.recommend(["tea"], 2) == ["milk", "bread"]
