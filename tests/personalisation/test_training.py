"""'Bought together' learnt from recorded purchases and served by one read."""

import pytest

from personalisation.events import event_record, events_flush
from personalisation.models import Event
from personalisation.selectors import bought_together_for_product
from personalisation.training import bought_together_train

pytestmark = pytest.mark.django_db

PASTA, SAUCE, TEA, BISCUITS, MILK = 11, 12, 13, 14, 15


def _ordered(*baskets, first_order: int = 1) -> None:
    for number, basket in enumerate(baskets, start=first_order):
        for product_id in basket:
            event_record(
                kind=Event.Kind.PURCHASE,
                product_id=product_id,
                order_id=number,
                quantity=1,
            )
    events_flush()


def test_recommendations_follow_the_purchases_once_retrained(
    settings, django_assert_num_queries
):
    settings.SHOP_ANALYTICS_BUFFER = False
    _ordered(*[[PASTA, SAUCE, MILK]] * 4, *[[TEA, BISCUITS]] * 3, *[[MILK]] * 5)

    before = bought_together_for_product(product_id=PASTA)
    learnt = bought_together_train()
    with django_assert_num_queries(1):
        pasta = bought_together_for_product(product_id=PASTA)
    tea = bought_together_for_product(product_id=TEA)
    # pasta is now bought with tea far more than with sauce
    _ordered(*[[PASTA, TEA]] * 12, first_order=100)
    bought_together_train()
    pasta_later = bought_together_for_product(product_id=PASTA)

    assert before == []
    assert learnt["baskets"] == 12 and learnt["products"] == 5
    assert pasta[0] == SAUCE and BISCUITS not in pasta
    assert tea == [BISCUITS]
    assert pasta_later[0] == TEA


def test_a_product_never_bought_with_another_has_no_list(settings):
    settings.SHOP_ANALYTICS_BUFFER = False
    _ordered([MILK], [MILK], [TEA, BISCUITS])

    bought_together_train()

    assert bought_together_for_product(product_id=MILK) == []
    assert bought_together_for_product(product_id=999) == []
