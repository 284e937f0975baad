import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.test.factories import (
    BenefitFactory,
    ConditionalOfferFactory,
    ConditionFactory,
    RangeFactory,
)

from offer.models import Range
from offer.services import range_membership_known
from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db


def test_known_membership_answers_without_queries_and_keeps_exclusions():
    every_product = RangeFactory(includes_all_products=True)
    kept, excluded = product_in_stock(title="Kept"), product_in_stock(title="Out")
    every_product.excluded_products.add(excluded)
    offer = ConditionalOfferFactory(
        condition=ConditionFactory(range=every_product),
        benefit=BenefitFactory(range=every_product),
    )
    product_range = Range.objects.get(pk=every_product.pk)

    with range_membership_known(offers=[offer], products=[kept, excluded]):
        with CaptureQueriesContext(connection) as queries:
            assert product_range.contains_product(kept) is True
            assert product_range.contains_product(excluded) is False
        assert len(queries) == 0

    # Outside, Oscar's own answer (a query) still applies.
    assert product_range.contains_product(excluded) is False
    assert product_range.contains_product(kept) is True
