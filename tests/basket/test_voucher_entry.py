"""Entering a voucher code on the basket page: any case, spaces and full-width
characters are fine; each reason a code does not apply gets its own message,
and nothing changes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.demo.offers import demo_offers_ensure
from tests.basket.conftest import basket_add
from tests.checkout.test_vouchers import single_use_voucher
from tests.factories import product_in_stock

Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")
Voucher = get_model("voucher", "Voucher")

pytestmark = pytest.mark.django_db


def voucher(
    code="WELCOME5", *, minimum_spend=None, covers=None, off="5.00", **dates
) -> Voucher:
    """`off` (£5) off: on any basket, or from `minimum_spend`, on the `covers`
    products (all when None). Exclusive, as the dashboard makes it."""
    covered = Range.objects.create(
        name=f"Range {code}", includes_all_products=covers is None
    )
    for product in covers or ():
        covered.add_product(product)
    condition = (
        Condition(range=covered, type=Condition.VALUE, value=Decimal(minimum_spend))
        if minimum_spend
        else Condition(range=covered, type=Condition.COUNT, value=1)
    )
    condition.save()
    offer = ConditionalOffer.objects.create(
        name=f"{code} offer",
        offer_type=ConditionalOffer.VOUCHER,
        condition=condition,
        benefit=Benefit.objects.create(
            range=covered, type=Benefit.FIXED, value=Decimal(off)
        ),
    )
    now = timezone.now()
    found = Voucher.objects.create(
        name=code,
        code=code,
        usage=Voucher.MULTI_USE,
        start_datetime=dates.get("start", now - timedelta(days=1)),
        end_datetime=dates.get("end", now + timedelta(days=1)),
    )
    found.offers.add(offer)
    return found


def enter(client, code: str, **kwargs) -> str:
    response = client.post(
        "/basket/vouchers/add/",
        {"code": code},
        HTTP_REFERER="/basket/",
        follow=True,
        **kwargs,
    )
    assert response.status_code == 200
    return response.content.decode()


def vouchers_in_baskets() -> int:
    return Voucher.objects.filter(basket__isnull=False).count()


@pytest.mark.parametrize(
    "typed", ["WELCOME5", " welcome5 ", "Wel come 5", "ＷＥＬＣＯＭＥ５"]
)
def test_a_code_is_taken_in_any_case_with_spaces_or_full_width(client, teapot, typed):
    voucher()
    basket_add(client, teapot)

    html = enter(client, typed)

    assert "Voucher WELCOME5 added to your basket." in html
    assert "Remove" in html
    assert vouchers_in_baskets() == 1


def test_an_unknown_code_says_so_also_through_htmx(client, teapot, htmx):
    basket_add(client, teapot)

    html = enter(client, "nope", headers=htmx)

    assert "There is no voucher with the code NOPE." in html
    assert html.lstrip().startswith('<div id="basket-content"')


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("WЕLCOME5", "Voucher codes are made of letters A to Z"),  # a Cyrillic Е
        ("WELCOME5'; DROP TABLE voucher_voucher; --", "Voucher codes are made of"),
        ("🎟️", "Voucher codes are made of"),
        ("W" * 10_000, "That is too long to be a voucher code."),
        ("   ", "Please enter a voucher code."),
    ],
)
def test_a_code_that_cannot_be_one_is_refused_with_a_message(
    client, teapot, typed, message
):
    voucher()
    basket_add(client, teapot)

    html = enter(client, typed)

    assert message in html
    assert vouchers_in_baskets() == 0


def test_each_reason_a_code_does_not_apply_has_its_message(client, teapot):
    now = timezone.now()
    voucher("SOON", start=now + timedelta(days=2), end=now + timedelta(days=9))
    voucher("OLD", start=now - timedelta(days=9), end=now - timedelta(days=2))
    voucher("BIGSPEND", minimum_spend="50.00")
    voucher("MUGSONLY", covers=[product_in_stock(title="Mug")])
    basket_add(client, teapot)  # £34.50

    assert "The voucher SOON can be used from" in enter(client, "soon")
    assert "The voucher OLD expired on" in enter(client, "old")
    assert (
        "To use the voucher BIGSPEND: Spend £15.50 more from Range BIGSPEND"
        in enter(client, "bigspend")
    )
    assert "None of the items in your basket are covered by the voucher MUGSONLY." in (
        enter(client, "mugsonly")
    )
    assert vouchers_in_baskets() == 0


def test_a_used_up_single_use_code_says_so(client, teapot):
    from tests.checkout.test_order_place import place
    from tests.checkout.test_vouchers import basket_with_voucher

    used = single_use_voucher("ONCEONLY")
    place(basket_with_voucher(product_in_stock(title="Jug"), used))
    basket_add(client, teapot)

    html = enter(client, "onceonly")

    assert (
        "The voucher ONCEONLY can&#x27;t be used: this voucher has already been used."
        in html
    )


def test_a_code_with_an_empty_basket_asks_for_something_in_it_first(client):
    voucher()

    html = enter(client, "WELCOME5")

    assert "Add something to your basket first" in html


def test_a_code_for_other_customers_says_who_it_is_for(
    client, teapot, django_user_model
):
    members_only = voucher("MEMBERS")
    members_only.offers.update(audience=ConditionalOffer.SIGNED_IN)
    trade_only = voucher("TRADE")
    trade_only.offers.update(audience=ConditionalOffer.GROUPS)
    basket_add(client, teapot)

    assert "it is for signed-in customers: please sign in or register" in enter(
        client, "members"
    )
    client.force_login(django_user_model.objects.create_user(username="ada"))
    basket_add(client, teapot)
    assert (
        "The voucher TRADE can&#x27;t be used: it is for selected customers only."
        in (enter(client, "trade"))
    )
    assert "Voucher MEMBERS added to your basket." in enter(client, "members")
    assert vouchers_in_baskets() == 1


def test_a_code_used_its_number_of_times_says_so(client, teapot):
    from order.models import Order

    limited = voucher("FIRST2")
    limited.max_uses = 2
    limited.save()
    for number in ("100001", "100002"):
        order = Order.objects.create(number=number, total_incl_tax=1, total_excl_tax=1)
        limited.applications.create(order=order)
    basket_add(client, teapot)

    html = enter(client, "first2")

    assert "The voucher FIRST2 can&#x27;t be used: this voucher has been used" in html
    assert vouchers_in_baskets() == 0


def test_a_code_for_certain_days_and_hours_works_only_then(client, teapot):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    import time_machine

    saturday = datetime(2026, 7, 4, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(saturday - timedelta(days=1), tick=False):
        weekend = voucher("SAT10", end=saturday + timedelta(days=7))
        weekend.offers.update(
            valid_weekdays=[6], valid_from_time=time(9), valid_until_time=time(12)
        )
        basket_add(client, teapot)

        assert "The voucher SAT10 can be used every Saturday, 09:00–12:00." in enter(
            client, "sat10"
        )
        assert vouchers_in_baskets() == 0

    with time_machine.travel(saturday, tick=False):
        assert "Voucher SAT10 added to your basket." in enter(client, "sat10")
        assert "&minus;£5.00" in client.get("/basket/").content.decode()

    # Kept in the basket, it gives nothing once its hours are over.
    with time_machine.travel(saturday.replace(hour=13), tick=False):
        assert "&minus;£5.00" not in client.get("/basket/").content.decode()


def test_a_code_kept_off_by_a_site_offer_names_that_offer(client):
    demo_offers_ensure()  # 10% off orders over £60, on everything
    armchair = product_in_stock(title="Armchair", price="170.00")
    voucher("TAKE5")  # £5 off, exclusive: it doesn't share items with offers
    basket_add(client, armchair)

    html = enter(client, "take5")

    assert (
        "The voucher TAKE5 can&#x27;t be combined with “10% off orders over £60”, "
        "which already takes £17.00 off the same items." in html
    )
    assert "Buy 1 more" not in html
    assert vouchers_in_baskets() == 0


def test_a_code_worth_more_than_the_site_offer_takes_its_place(client):
    demo_offers_ensure()
    armchair = product_in_stock(title="Armchair", price="170.00")
    voucher("TAKE30", off="30.00")
    basket_add(client, armchair)

    html = enter(client, "take30")

    assert "Voucher TAKE30 added to your basket." in html
    assert vouchers_in_baskets() == 1
    assert "£140.00" in client.get("/basket/").content.decode()
