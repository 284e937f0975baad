"""A merchant creating an offer in the dashboard: a negative discount or an end
before the start is refused with a message, and nothing is saved half-way."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test.factories import RangeFactory

ConditionalOffer = get_model("offer", "ConditionalOffer")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant(client, django_user_model):
    staff = django_user_model.objects.create_user(
        username="merchant",
        email="m@example.com",
        password="x",
        is_staff=True,
        is_superuser=True,
    )
    client.force_login(staff)
    return client


def through_the_first_steps(client, *, benefit_value="10"):
    """Name, incentive, then condition: the wizard's order. Returns the answer
    to the incentive step."""
    everything = RangeFactory(name="Everything", includes_all_products=True)
    client.post(
        reverse("dashboard:offer-metadata"),
        {"name": "Winter sale", "description": "", "offer_type": "Site"},
    )
    incentive = client.post(
        reverse("dashboard:offer-benefit"),
        {"range": everything.pk, "type": "Percentage", "value": benefit_value},
    )
    client.post(
        reverse("dashboard:offer-condition"),
        {"range": everything.pk, "type": "Count", "value": "1"},
    )
    return incentive


def test_a_negative_discount_is_refused_with_a_message(merchant):
    response = through_the_first_steps(merchant, benefit_value="-10")

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0" in (
        response.content.decode()
    )
    assert not ConditionalOffer.objects.exists() and not Benefit.objects.exists()


def test_an_end_before_the_start_is_refused_and_nothing_is_saved(merchant):
    through_the_first_steps(merchant)

    response = merchant.post(
        reverse("dashboard:offer-restrictions"),
        {
            "start_datetime": "2026-12-10 09:00",
            "end_datetime": "2026-12-01 09:00",
            "priority": "0",
        },
    )

    assert response.status_code == 200
    assert "The end date must be after the start date" in response.content.decode()
    assert not ConditionalOffer.objects.exists()
    assert not Condition.objects.exists() and not Benefit.objects.exists()


def test_a_valid_offer_is_saved_once_at_the_end(merchant):
    through_the_first_steps(merchant)

    response = merchant.post(
        reverse("dashboard:offer-restrictions"),
        {
            "start_datetime": "2026-12-01 09:00",
            "end_datetime": "2026-12-10 09:00",
            "priority": "0",
        },
    )

    offer = ConditionalOffer.objects.get()
    assert response.status_code == 302
    assert (offer.name, offer.benefit.value) == ("Winter sale", 10)
