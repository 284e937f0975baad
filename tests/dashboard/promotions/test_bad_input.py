"""Bad input on the New promotion page: a message next to the field, and
nothing saved."""

from datetime import UTC, datetime

import pytest
from django.utils.html import escape

from offer.models import ConditionalOffer
from tests.dashboard.promotions.helpers import (
    counts,
    nothing_saved,
    promotion_post,
    tiers,
)
from voucher.models import Voucher

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "fields", "field", "message"),
    [
        ("percentage", {"percent": "-10"}, "percent", "Must be more than zero."),
        ("amount", {"amount": "-5"}, "amount", "Must be more than zero."),
        ("percentage", {"percent": "120"}, "percent", "Can't be more than 100%."),
        (
            "percentage",
            {
                "percent": "10",
                "start_datetime": "2026-12-10T09:00",
                "end_datetime": "2026-12-01T09:00",
            },
            "end_datetime",
            "End date should be later than start date",
        ),
        (
            "percentage",
            {"percent": "10", "valid_from_time": "12:00", "valid_until_time": "09:00"},
            "valid_until_time",
            "The end of the daily hours must be later than their start.",
        ),
        (
            "tiered",
            tiers(("50", "60")),
            "tiers",
            "A tier's discount can't be more than its spend",
        ),
        (
            "tiered",
            tiers(("50", "")),
            "tiers",
            "Each tier needs a spend and a discount.",
        ),
        ("gift", {"spend": "30"}, "gift_product", "Choose the gift product"),
        (
            "percentage",
            {"percent": "10", "target": "category"},
            "category",
            "Choose the category.",
        ),
        ("multibuy", {"items": "1"}, "items", "Buy at least 2: one of them is free."),
        (
            "percentage",
            {
                "percent": "10",
                "offer_type": ConditionalOffer.VOUCHER,
                "voucher_code": "SPRÍNG!",
                "end_datetime": "2026-12-01T09:00",
            },
            "voucher_code",
            "A code may hold only letters A to Z, digits, dashes and underscores.",
        ),
        (
            "percentage",
            {"percent": "10", "audience": ConditionalOffer.GROUPS},
            "customer_groups",
            "Choose the customer groups whose members may use the offer, or "
            "another audience.",
        ),
    ],
)
def test_bad_input_is_refused_with_its_message_and_nothing_is_saved(
    merchant, kind, fields, field, message
):
    response = promotion_post(merchant, kind, **fields)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert escape(message) in response.content.decode()
    assert nothing_saved()


def test_a_taken_voucher_code_is_refused_and_nothing_is_saved(merchant):
    Voucher.objects.create(
        name="Older",
        code="SPRING10",
        start_datetime=datetime(2026, 1, 1, tzinfo=UTC),
        end_datetime=datetime(2027, 1, 1, tzinfo=UTC),
    )
    before = counts()

    response = promotion_post(
        merchant,
        "percentage",
        percent="10",
        offer_type=ConditionalOffer.VOUCHER,
        voucher_code="spring10",
        end_datetime="2026-12-01T09:00",
    )

    assert "The code SPRING10 is already in use." in response.content.decode()
    assert counts() == before


def test_a_taken_offer_name_is_refused_after_the_range_was_drafted(
    merchant, goods, kitchen
):
    """The category's range is only drafted when the offer's name is found
    taken: it is not saved either."""
    promotion_post(merchant, "percentage", percent="10")
    before = counts()

    response = promotion_post(
        merchant, "percentage", target="category", category=kitchen.pk, percent="5"
    )

    assert response.context["form"].errors["name"] == [
        "There is already an offer called “Winter deal”: choose another name."
    ]
    assert counts() == before
