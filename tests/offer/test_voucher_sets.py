"""Voucher sets from the dashboard: thousands of unique codes, exported as CSV,
each usable once."""

import csv
import io

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.checkout.test_vouchers import single_use_voucher
from tests.offer.test_dashboard_offers import merchant  # noqa: F401 - fixture

Voucher = get_model("voucher", "Voucher")
VoucherSet = get_model("voucher", "VoucherSet")

pytestmark = pytest.mark.django_db


def test_a_set_of_two_thousand_unique_codes_is_made_and_exported(merchant):  # noqa: F811
    offer = single_use_voucher("TEMPLATE").offers.get()

    response = merchant.post(
        reverse("dashboard:voucher-set-create"),
        {
            "name": "Winter mailing",
            "code_length": 12,
            "description": "For the winter newsletter",
            "start_datetime": "2026-12-01 00:00",
            "end_datetime": "2027-01-31 23:59",
            "count": 2000,
            "usage": Voucher.SINGLE_USE,
            "offers": [offer.pk],
        },
    )

    form = response.context["form"] if response.status_code == 200 else None
    assert response.status_code == 302, form.errors
    voucher_set = VoucherSet.objects.get(name="Winter mailing")
    codes = list(voucher_set.vouchers.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 2000
    assert all(len(code.replace("-", "")) == 12 for code in codes)
    assert not voucher_set.vouchers.exclude(offers=offer).exists()
    assert set(voucher_set.vouchers.values_list("usage", flat=True)) == {
        Voucher.SINGLE_USE
    }
    export = merchant.get(
        reverse("dashboard:voucher-set-download", kwargs={"pk": voucher_set.pk})
    )
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert export["Content-Type"].startswith("text/csv")
    assert set(codes) <= {row[0] for row in rows}
