"""The New promotion page's preview says the promotion in plain words and
saves nothing; each kind shows its own fields."""

import pytest

from offer.models import ConditionalOffer
from tests.dashboard.promotions.helpers import (
    CREATE_URL,
    PREVIEW_URL,
    nothing_saved,
    promotion_post,
)

pytestmark = pytest.mark.django_db


def test_the_preview_answers_htmx_with_the_plain_words_and_saves_nothing(
    merchant, kitchen
):
    response = promotion_post(
        merchant,
        "set-price",
        url=PREVIEW_URL,
        headers={"HX-Request": "true"},
        target="category",
        category=kitchen.pk,
        items="3",
        set_price="20",
        valid_weekdays=["6"],
        valid_from_time="09:00",
        valid_until_time="12:00",
        start_datetime="2026-12-01T00:00",
        end_datetime="2026-12-24T00:00",
        audience=ConditionalOffer.SIGNED_IN,
        max_global_applications="100",
        max_user_applications="1",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="promotion-preview"')
    assert (
        "Any 3 from Kitchen for £20.00. Every Saturday, 09:00–12:00, from "
        "1 December 2026 to 24 December 2026. Signed-in customers only. "
        "100 uses in all, once per customer."
    ) in html
    assert nothing_saved()


def test_the_preview_lists_what_is_missing(merchant):
    response = promotion_post(
        merchant, "percentage", url=PREVIEW_URL, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert "Not ready to save yet" in html
    assert "Percent off: This field is required." in html


def test_without_javascript_the_preview_button_shows_the_whole_page(merchant):
    response = promotion_post(
        merchant, "amount", url=PREVIEW_URL, amount="5", spend="30", preview=""
    )

    html = response.content.decode()
    assert "£5.00 off your order when you spend £30.00 or more." in html
    assert 'name="amount"' in html and 'value="5"' in html
    assert nothing_saved()


@pytest.mark.parametrize(
    "kind",
    ["percentage", "amount", "set-price", "multibuy", "tiered", "shipping", "gift"],
)
def test_the_page_shows_each_kind_with_its_own_fields(merchant, kind):
    response = merchant.get(CREATE_URL, {"kind": kind})

    form = response.context["form"]
    assert response.status_code == 200
    assert form.kind == kind
    assert 'hx-post="/dashboard/promotions/new/preview/"' in response.content.decode()
