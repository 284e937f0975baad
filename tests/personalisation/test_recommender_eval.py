"""`manage.py recommender_eval`: any baskets file, a table or one JSON object."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from personalisation.baskets import baskets_read


def _run(*args) -> str:
    out = StringIO()
    call_command("recommender_eval", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def baskets_file(tmp_path):
    path = tmp_path / "baskets.csv"
    lines = ["pasta, sauce ,milk", "tea,biscuits,,", "", " ,", "milk"] * 20
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_blank_fields_spaces_and_empty_lines_are_ignored(baskets_file):
    baskets = baskets_read(path=baskets_file)

    assert baskets[:3] == [["pasta", "sauce", "milk"], ["tea", "biscuits"], ["milk"]]
    assert len(baskets) == 60


def test_json_names_the_served_recommender_and_scores_each(baskets_file):
    figures = json.loads(_run("--baskets", str(baskets_file), "--json"))

    assert figures["served"] == "ease"
    assert set(figures["results"]) == {"popularity", "cooccurrence", "ease"}
    for scores in figures["results"].values():
        assert set(scores) == {"hr@10", "ndcg@10"}
        assert 0 <= scores["ndcg@10"] <= scores["hr@10"] <= 1
    # pasta and sauce always go together, tea and biscuits too: a hidden
    # partner is always found, by popularity as well in so small a shop
    assert figures["results"]["ease"]["hr@10"] == 1.0


def test_the_table_compares_each_with_popularity(baskets_file):
    table = _run("--baskets", str(baskets_file), "-k", "1")

    assert "| ease (served) |" in table
    assert "| popularity | " in table and "1.000x" in table
    assert "HR@1" in table


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "No file at"), ("", "holds no basket"), ("milk\nbread\n", "two items")],
)
def test_a_file_it_cant_score_is_refused_with_the_reason(tmp_path, content, message):
    path = tmp_path / "baskets.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        _run("--baskets", str(path))
