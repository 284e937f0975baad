"""The offers benchmark's seeding, measurement and report, end to end on a small
scale (the real run: 200 offers, 50,000 vouchers, 20 lines)."""

import pytest

from bench.harness.config import settings_read
from bench.harness.offers import offers_checks
from bench.harness.offers_measure import offers_measure
from bench.harness.offers_seed import offers_seed
from bench.harness.report import offers_markdown
from offer.models import ConditionalOffer
from tests.bench.catalogue import catalogue_small
from voucher.models import Voucher

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    catalogue_small(departments=("Kitchen", "Garden"))


def test_the_offers_bench_seeds_measures_and_reports(catalogue):
    seeded = offers_seed(many=10, few=5, vouchers=100, lines=3, seed=1858)

    assert seeded.lines == 3
    assert len(seeded.site_offer_ids) == 10
    assert Voucher.objects.filter(usage=Voucher.SINGLE_USE).count() == 100

    scenarios = offers_measure(seeded=seeded, repeat=2, stock_repeat=1)

    assert [s["scenario"] for s in scenarios] == ["few", "many", "many_voucher"]
    assert [s["site_offers"] for s in scenarios] == [5, 10, 10]
    assert scenarios[2]["voucher_in_basket"]
    for scenario in scenarios:
        for way, runs in (
            ("cached", 2),
            ("changed", 2),
            ("checkout", 2),
            ("stock_oscar", 1),
        ):
            figures = scenario[way]
            assert figures["runs"] == runs
            assert 0 < figures["p50_ms"] <= figures["p95_ms"]
            assert figures["queries_min"] > 0
            assert figures["lines"] >= 3
        assert scenario["cached"]["offers_considered"] <= scenario["site_offers"] + 1
    few = scenarios[0]
    assert few["cached"]["total_incl_tax"] == few["checkout"]["total_incl_tax"]
    # The bench leaves the site offers open as in the last scenario.
    assert (
        ConditionalOffer.objects.filter(
            pk__in=seeded.site_offer_ids, status=ConditionalOffer.OPEN
        ).count()
        == 10
    )

    run = {
        "size": 10_000,
        "shop": "ours",
        "page": "offers",
        "offers": {"many": 10, "few": 5, "vouchers": 100, "lines": 3}
        | {"repeat": 2, "stock_repeat": 1},
        "target_ms": 50,
        "scenarios": scenarios,
    }
    checks = offers_checks(run)
    table = "\n".join(offers_markdown([run]))

    assert set(checks) >= {
        "many_cached_p95_under_target",
        "many_voucher_checkout_p95_under_target",
        "cached_queries_as_with_few",
    }
    assert "10 site offers, 100 vouchers, a code in the basket" in table
    assert "stock Oscar's Applicator" in table


def test_the_offers_bench_is_a_page_of_the_default_run():
    assert "offers" in settings_read([]).pages
    assert settings_read(["--pages", "offers", "--offers-repeat", "5"]).pages == (
        "offers",
    )
