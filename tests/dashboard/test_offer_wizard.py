"""A merchant walking the offer wizard: days and hours, who may use the offer,
tiered discounts and free gifts are saved exactly as entered, and bad input
is refused with its message before anything is saved."""

import html
from datetime import time

import pytest
from django.urls import reverse
from oscar.test.factories import RangeFactory

from offer.models import Benefit, Condition, ConditionalOffer, CustomerGroup
from tests.dashboard.merchants import merchant_signed_in, staff_signed_in
from tests.factories import product_in_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant(client):
    return merchant_signed_in(client)


@pytest.fixture
def everything():
    return RangeFactory(name="Everything", includes_all_products=True)


def post_metadata(client):
    return client.post(
        reverse("dashboard:offer-metadata"),
        {"name": "Happy hour", "description": "", "offer_type": "Site"},
    )


def post_benefit(client, **fields):
    return client.post(reverse("dashboard:offer-benefit"), fields)


def post_condition(client, everything):
    return client.post(
        reverse("dashboard:offer-condition"),
        {"range": everything.pk, "type": "Count", "value": "1"},
    )


def post_restrictions(client, **fields):
    return client.post(
        reverse("dashboard:offer-restrictions"),
        {"start_datetime": "2026-12-01 09:00", "priority": "0", **fields},
    )


def through_to_restrictions(client, everything):
    post_metadata(client)
    post_benefit(client, range=everything.pk, type="Percentage", value="10")
    post_condition(client, everything)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def nothing_saved() -> bool:
    return not (
        ConditionalOffer.objects.exists()
        or Benefit.objects.exists()
        or Condition.objects.exists()
    )


def test_days_hours_and_a_group_audience_are_saved_exactly(merchant, everything):
    trade = CustomerGroup.objects.create(name="Trade")
    CustomerGroup.objects.create(name="Staff")
    through_to_restrictions(merchant, everything)

    response = post_restrictions(
        merchant,
        valid_weekdays=["5", "1", "3"],
        valid_from_time="09:00",
        valid_until_time="17:30",
        audience="groups",
        customer_groups=[trade.pk],
    )

    offer = ConditionalOffer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "dashboard:offer-detail", kwargs={"pk": offer.pk}
    )
    assert offer.valid_weekdays == [1, 3, 5]
    assert (offer.valid_from_time, offer.valid_until_time) == (
        time(9, 0),
        time(17, 30),
    )
    assert offer.audience == ConditionalOffer.GROUPS
    assert list(offer.customer_groups.all()) == [trade]


def test_the_detail_page_and_the_wizard_preview_show_schedule_and_audience(
    merchant, everything
):
    trade = CustomerGroup.objects.create(name="Trade customers")
    through_to_restrictions(merchant, everything)
    post_restrictions(
        merchant,
        valid_weekdays=["1", "5"],
        valid_from_time="09:00",
        valid_until_time="17:30",
        audience="groups",
        customer_groups=[trade.pk],
    )
    offer = ConditionalOffer.objects.get()

    detail = merchant.get(reverse("dashboard:offer-detail", kwargs={"pk": offer.pk}))
    preview = merchant.get(
        reverse("dashboard:offer-restrictions", kwargs={"pk": offer.pk})
    )

    schedule = "Every Monday and Friday, 09:00–17:30 (Europe/London)"
    for response in (detail, preview):
        assert response.status_code == 200
        assert schedule in page_text(response)
        assert "Members of the chosen customer groups" in page_text(response)
        assert "Trade customers" in page_text(response)


def test_an_offer_for_everyone_every_day_needs_no_new_answers(merchant, everything):
    through_to_restrictions(merchant, everything)

    response = post_restrictions(merchant)

    offer = ConditionalOffer.objects.get()
    assert response.status_code == 302
    assert (offer.valid_weekdays, offer.valid_from_time, offer.audience) == (
        [],
        None,
        ConditionalOffer.EVERYONE,
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"valid_from_time": "17:00", "valid_until_time": "09:00"},
            "valid_until_time",
            "The end of the daily hours must be later than their start.",
        ),
        (
            {"audience": "groups"},
            "customer_groups",
            "Choose the customer groups whose members may use the offer, or "
            "another audience.",
        ),
        (
            {"audience": "signed_in", "customer_groups": "TRADE"},
            "customer_groups",
            'Customer groups only apply when "Who may use it" is members of '
            "customer groups: choose that, or clear the groups.",
        ),
        (
            {"end_datetime": "2026-11-01 09:00"},
            "__all__",
            "The end date must be after the start date",
        ),
    ],
    ids=["hours-reversed", "groups-missing", "groups-unasked", "end-before-start"],
)
def test_bad_restrictions_are_refused_and_nothing_is_saved(
    merchant, everything, fields, field, message
):
    trade = CustomerGroup.objects.create(name="Trade")
    if fields.get("customer_groups") == "TRADE":
        fields = {**fields, "customer_groups": [trade.pk]}
    through_to_restrictions(merchant, everything)

    response = post_restrictions(merchant, **fields)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in page_text(response)
    assert nothing_saved()


def test_a_tiered_benefit_is_saved_exactly(merchant, everything):
    post_metadata(merchant)

    response = post_benefit(
        merchant,
        range=everything.pk,
        type="Tiered",
        tiers="100 = 15\n\n£50 = £5\n",
    )
    post_condition(merchant, everything)
    post_restrictions(merchant)

    assert response.status_code == 302
    benefit = ConditionalOffer.objects.get().benefit
    assert benefit.type == Benefit.TIERED
    assert benefit.tiers == [
        {"threshold": "50.00", "discount": "5.00"},
        {"threshold": "100.00", "discount": "15.00"},
    ]


def test_the_detail_page_lists_the_tiers(merchant, everything):
    post_metadata(merchant)
    post_benefit(merchant, range=everything.pk, type="Tiered", tiers="50 = 5")
    post_condition(merchant, everything)
    post_restrictions(merchant)
    offer = ConditionalOffer.objects.get()

    response = merchant.get(reverse("dashboard:offer-detail", kwargs={"pk": offer.pk}))

    assert "<td>£50.00</td><td>£5.00</td>" in page_text(response)


def test_a_free_gift_benefit_is_saved_exactly(merchant, everything):
    gift = product_in_stock(title="Tea towel")
    post_metadata(merchant)

    response = post_benefit(merchant, type="Free gift", gift_product=gift.pk, value="3")
    post_condition(merchant, everything)
    post_restrictions(merchant)

    assert response.status_code == 302
    benefit = ConditionalOffer.objects.get().benefit
    assert (benefit.type, benefit.gift_product, benefit.value) == (
        Benefit.FREE_GIFT,
        gift,
        None,
    )
    detail = merchant.get(
        reverse("dashboard:offer-detail", kwargs={"pk": benefit.offers.get().pk})
    )
    assert "Gift:" in page_text(detail) and "Tea towel" in page_text(detail)


def test_the_wizard_preview_shows_the_chosen_gift(merchant, everything):
    gift = product_in_stock(title="Tea towel")
    post_metadata(merchant)
    post_benefit(merchant, type="Free gift", gift_product=gift.pk)

    response = merchant.get(reverse("dashboard:offer-condition"))

    assert "A free Tea towel" in page_text(response)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"type": "Tiered", "tiers": "50 = 5\n100 = fifteen"},
            "tiers",
            'Line 2 ("100 = fifteen") is not a spend and a discount: write it as '
            '"50 = 5" (spend 50, get 5 off).',
        ),
        (
            {"type": "Tiered", "tiers": "50 = 60"},
            "tiers",
            "A tier's discount can't be more than its spend",
        ),
        (
            {"type": "Tiered", "tiers": ""},
            "tiers",
            "Tiered discounts need at least one tier",
        ),
        ({"type": "Free gift", "range": ""}, "gift_product", "Choose the gift product"),
    ],
    ids=["tier-malformed", "discount-above-spend", "no-tiers", "gift-missing"],
)
def test_a_bad_incentive_is_refused_by_its_field_and_the_wizard_waits(
    merchant, everything, fields, field, message
):
    post_metadata(merchant)

    response = post_benefit(merchant, **{"range": everything.pk, **fields})

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in page_text(response)
    assert merchant.get(reverse("dashboard:offer-condition")).status_code == 302
    assert nothing_saved()


def test_answers_of_another_type_are_not_kept(merchant, everything):
    gift = product_in_stock(title="Tea towel")
    post_metadata(merchant)

    post_benefit(
        merchant,
        range=everything.pk,
        type="Percentage",
        value="10",
        tiers="50 = 5",
        gift_product=gift.pk,
    )
    post_condition(merchant, everything)
    post_restrictions(merchant)

    benefit = ConditionalOffer.objects.get().benefit
    assert (benefit.tiers, benefit.gift_product) == ([], None)


def test_editing_the_audience_back_to_everyone_clears_the_groups(merchant, everything):
    trade = CustomerGroup.objects.create(name="Trade")
    through_to_restrictions(merchant, everything)
    post_restrictions(merchant, audience="groups", customer_groups=[trade.pk])
    offer = ConditionalOffer.objects.get()

    response = merchant.post(
        reverse("dashboard:offer-restrictions", kwargs={"pk": offer.pk}),
        {"start_datetime": "2026-12-01 09:00", "priority": "0", "audience": "everyone"},
    )

    offer.refresh_from_db()
    assert response.status_code == 302
    assert offer.audience == ConditionalOffer.EVERYONE
    assert not offer.customer_groups.exists()


def test_staff_without_offer_permissions_get_403(client):
    staff_signed_in(client)

    response = client.get(reverse("dashboard:offer-restrictions"))

    assert response.status_code == 403
