"""Packing slips: one order to a printed page, with its shipping address, and
each line still to ship by SKU, title and the units left to pack."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from order.fulfilment import ShipmentLineRequest, shipment_create
from tests.dashboard.orders.pages import page_text
from tests.order.orders import order_paid

pytestmark = pytest.mark.django_db

SLIPS = reverse("dashboard:order-packing-slips")


def slips_of(response) -> list[str]:
    return re.findall(r'<section class="slip".*?</section>', page_text(response), re.S)


def test_a_slip_shows_where_the_order_goes_and_what_to_pack(merchant, order):
    teapot_line, cups_line = order.lines.order_by("pk")
    address = order.shipping_address

    response = merchant.get(SLIPS, {"order": order.number})

    [slip] = slips_of(response)
    assert f"Order {order.number}" in slip
    assert timezone.localtime(order.date_placed).strftime("%-d %B %Y") in slip
    assert address.line1 in slip
    assert address.postcode in slip
    for line, quantity in ((teapot_line, 1), (cups_line, 3)):
        assert re.search(
            rf"<td>{line.partner_sku}</td>\s*<td>{line.title}</td>\s*"
            rf'<td class="qty">{quantity}</td>',
            slip,
        )


def test_a_slip_lists_only_what_is_left_to_ship(merchant, order):
    teapot_line, cups_line = order.lines.order_by("pk")
    shipment_create(
        order_id=order.pk,
        lines=[
            ShipmentLineRequest(teapot_line.pk, 1),
            ShipmentLineRequest(cups_line.pk, 1),
        ],
    )

    response = merchant.get(SLIPS, {"order": order.number})

    [slip] = slips_of(response)
    assert teapot_line.title not in slip
    assert re.search(rf'{cups_line.title}</td>\s*<td class="qty">2</td>', slip)


def test_many_slips_print_one_order_to_a_page(merchant, order, teapot_and_cups):
    teapot, _cups = teapot_and_cups
    other = order_paid((teapot, 2))

    response = merchant.get(SLIPS, {"order": [other.number, order.number]})

    first, second = slips_of(response)
    assert f"Order {other.number}" in first
    assert f"Order {order.number}" in second
    assert "break-after: page" in page_text(response)


def test_slips_of_orders_that_dont_exist_are_not_found(merchant, order):
    response = merchant.get(SLIPS, {"order": "nope"})

    assert response.status_code == 404


def test_slips_for_many_orders_make_the_same_queries(
    merchant, order, teapot_and_cups, django_assert_max_num_queries
):
    teapot, cups = teapot_and_cups
    numbers = [order.number] + [
        order_paid((teapot, 1), (cups, 1)).number for _n in range(3)
    ]

    # The session, the merchant, the orders with their addresses, their lines.
    with django_assert_max_num_queries(4):
        response = merchant.get(SLIPS, {"order": numbers})

    assert len(slips_of(response)) == 4
