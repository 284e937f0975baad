"""A merchant limiting how many orders may use a voucher code: only a code
that can be used many times takes the limit, and the dashboard shows it."""

import html

import pytest
from django.urls import reverse
from oscar.test.factories import ConditionalOfferFactory, VoucherFactory

from offer.models import ConditionalOffer
from tests.dashboard.merchants import merchant_signed_in, staff_signed_in
from voucher.models import Voucher

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant(client):
    return merchant_signed_in(client)


@pytest.fixture
def voucher_offer():
    return ConditionalOfferFactory(name="Spring", offer_type=ConditionalOffer.VOUCHER)


def voucher_fields(voucher_offer, **fields):
    return {
        "name": "Spring",
        "code": "spring10",
        "start_datetime": "2026-03-01 00:00",
        "end_datetime": "2026-06-01 00:00",
        "usage": Voucher.MULTI_USE,
        "offers": [voucher_offer.pk],
        **fields,
    }


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_multi_use_code_is_saved_with_its_limit(merchant, voucher_offer):
    response = merchant.post(
        reverse("dashboard:voucher-create"),
        voucher_fields(voucher_offer, max_uses="100"),
    )

    voucher = Voucher.objects.get()
    assert response.status_code == 302
    assert (voucher.code, voucher.max_uses) == ("SPRING10", 100)
    assert list(voucher.offers.all()) == [voucher_offer]


def test_a_code_without_a_limit_keeps_none(merchant, voucher_offer):
    merchant.post(reverse("dashboard:voucher-create"), voucher_fields(voucher_offer))

    assert Voucher.objects.get().max_uses is None


@pytest.mark.parametrize("usage", [Voucher.SINGLE_USE, Voucher.ONCE_PER_CUSTOMER])
def test_a_limit_on_a_code_with_its_own_is_refused(merchant, voucher_offer, usage):
    response = merchant.post(
        reverse("dashboard:voucher-create"),
        voucher_fields(voucher_offer, usage=usage, max_uses="10"),
    )

    assert response.status_code == 200
    assert "Only a code that can be used many times takes a limit" in (
        page_text(response)
    )
    assert "max_uses" in response.context["form"].errors
    assert not Voucher.objects.exists()


def test_a_limit_of_no_uses_is_refused(merchant, voucher_offer):
    response = merchant.post(
        reverse("dashboard:voucher-create"),
        voucher_fields(voucher_offer, max_uses="0"),
    )

    assert response.status_code == 200
    assert "max_uses" in response.context["form"].errors
    assert not Voucher.objects.exists()


def test_editing_a_code_changes_its_limit(merchant, voucher_offer):
    voucher = VoucherFactory(code="SPRING10", max_uses=100)
    voucher.offers.add(voucher_offer)

    response = merchant.post(
        reverse("dashboard:voucher-update", kwargs={"pk": voucher.pk}),
        voucher_fields(voucher_offer, max_uses="50"),
    )

    voucher.refresh_from_db()
    assert response.status_code == 302
    assert voucher.max_uses == 50


def test_the_detail_and_list_pages_show_the_limit(merchant, voucher_offer):
    voucher = VoucherFactory(code="SPRING10", max_uses=100)

    detail = merchant.get(reverse("dashboard:voucher-stats", kwargs={"pk": voucher.pk}))
    listing = merchant.get(reverse("dashboard:voucher-list"))

    assert "100 orders" in page_text(detail) and "used 0 so far" in page_text(detail)
    assert '<td class="voucher-max-uses">100</td>' in page_text(listing)


def test_staff_without_voucher_permissions_get_403(client, voucher_offer):
    staff = staff_signed_in(client)

    response = staff.post(
        reverse("dashboard:voucher-create"),
        voucher_fields(voucher_offer, max_uses="100"),
    )

    assert response.status_code == 403
    assert not Voucher.objects.exists()
