"""The order page's actions on the order itself: mark processing, cancel and
refund. Each calls its service; a refusal shows the service's reason on the
page, keeps what the merchant typed and changes nothing."""

from decimal import Decimal

import pytest

from order import states
from order.fulfilment import ShipmentLineRequest, shipment_create
from order.models import Order, Refund
from tests.dashboard.orders.pages import messages_of, order_url, page_text

pytestmark = pytest.mark.django_db


def reloaded(order) -> Order:
    return Order.objects.get(pk=order.pk)


def refund_fields(merchant, order, **fields) -> dict:
    """The refund form as drawn on the order's page (its key made then), filled
    in with `fields`; `units` maps a line to a quantity."""
    drawn = merchant.get(order_url("order-detail", order)).context["refund_form"]
    data = {"key": drawn.initial["key"], "amount": "", "shipping": "", "reason": ""}
    for line, quantity in fields.pop("units", {}).items():
        data[f"refund_{line.pk}"] = str(quantity)
    return {**data, **fields}


def test_mark_processing(merchant, order):
    response = merchant.post(order_url("order-processing", order))

    assert response.status_code == 302
    assert response["Location"] == order_url("order-detail", order)
    assert reloaded(order).status == states.PROCESSING
    event = order.timeline.latest("pk")
    assert (event.new_status, event.user.username) == (states.PROCESSING, "merchant")
    assert messages_of(response) == [f"Order {order.number} is being processed."]


def test_mark_processing_refused_says_why_and_changes_nothing(merchant, order):
    Order.objects.filter(pk=order.pk).update(status=states.SHIPPED)
    events = order.timeline.count()

    response = merchant.post(order_url("order-processing", order))

    assert response.status_code == 200
    assert (
        f"Order {order.number} is Shipped, so it can't become Processing. "
        "From there it can become: Delivered, Partially refunded, Refunded."
    ) in page_text(response)
    assert reloaded(order).status == states.SHIPPED
    assert order.timeline.count() == events


def test_mark_processing_is_post_only(merchant, order):
    response = merchant.get(order_url("order-processing", order))

    assert response.status_code == 405


def test_cancel_with_a_reason(merchant, order):
    response = merchant.post(
        order_url("order-cancel", order), {"reason": "Shopper phoned"}
    )

    order = reloaded(order)
    assert response.status_code == 302
    assert (order.status, order.payment_state) == (
        states.CANCELLED,
        states.PAYMENT_REFUNDED,
    )
    event = order.timeline.latest("pk")
    assert (event.message, event.user.username) == ("Shopper phoned", "merchant")
    assert messages_of(response) == [f"Order {order.number} is cancelled."]


def test_cancel_without_a_reason_is_refused(merchant, order):
    response = merchant.post(order_url("order-cancel", order), {"reason": " "})

    assert response.status_code == 200
    assert "Say why the order is cancelled." in page_text(response)
    assert reloaded(order).status == states.PAID
    assert not Refund.objects.exists()


def test_cancel_after_shipping_is_refused_with_the_reason(merchant, order):
    line = order.lines.order_by("pk").first()
    shipment_create(order_id=order.pk, lines=[ShipmentLineRequest(line.pk, 1)])

    response = merchant.post(
        order_url("order-cancel", order), {"reason": "Changed mind"}
    )

    assert response.status_code == 200
    assert (
        f"Order {order.number} is Partially shipped, so it can't become Cancelled."
    ) in page_text(response)
    assert reloaded(order).status == states.PARTIALLY_SHIPPED
    assert not Refund.objects.exists()
    # What the merchant typed is still there.
    assert response.context["cancel_form"]["reason"].value() == "Changed mind"


def test_refund_lines_an_amount_and_shipping(merchant, order):
    teapot_line, cups_line = order.lines.order_by("pk")
    data = refund_fields(
        merchant,
        order,
        units={cups_line: 2},
        amount="1.50",
        reason="Chipped cups",
    )

    response = merchant.post(order_url("order-refund", order), data)

    refund = Refund.objects.get()
    assert response.status_code == 302
    assert (refund.amount, refund.reason, refund.created_by.username) == (
        Decimal("11.50"),
        "Chipped cups",
        "merchant",
    )
    assert [(line.line, line.quantity) for line in refund.lines.all()] == [
        (cups_line, 2)
    ]
    assert reloaded(order).payment_state == states.PAYMENT_PARTIALLY_REFUNDED
    assert messages_of(response) == ["Refunded 11.50 GBP."]


def test_a_refund_submitted_twice_refunds_once(merchant, order):
    _teapot_line, cups_line = order.lines.order_by("pk")
    data = refund_fields(merchant, order, units={cups_line: 1})

    first = merchant.post(order_url("order-refund", order), data)
    second = merchant.post(order_url("order-refund", order), data)

    refund = Refund.objects.get()
    assert first.status_code == second.status_code == 302
    assert refund.amount == Decimal("5.00")
    assert order.timeline.filter(kind="refund").count() == 1


def test_each_drawn_refund_form_has_its_own_key(merchant, order):
    first = refund_fields(merchant, order)["key"]
    second = refund_fields(merchant, order)["key"]

    assert first != second


def test_refunding_more_units_than_bought_says_so_and_changes_nothing(merchant, order):
    teapot_line, _cups_line = order.lines.order_by("pk")
    data = refund_fields(merchant, order, units={teapot_line: 2}, reason="Broken")

    response = merchant.post(order_url("order-refund", order), data)

    assert response.status_code == 200
    assert (
        f"Only 1 of “{teapot_line.title}” can be refunded: 1 bought, 0 refunded "
        "already."
    ) in page_text(response)
    assert not Refund.objects.exists()
    assert reloaded(order).payment_state == states.PAYMENT_PAID
    form = response.context["refund_form"]
    assert (form["key"].value(), form["reason"].value()) == (data["key"], "Broken")


def test_refunding_above_what_was_captured_is_refused(merchant, order):
    data = refund_fields(merchant, order, amount="100.00")

    response = merchant.post(order_url("order-refund", order), data)

    assert "At most 35.00 GBP can be refunded" in page_text(response)
    assert not Refund.objects.exists()


def test_a_refund_of_nothing_is_refused(merchant, order):
    response = merchant.post(
        order_url("order-refund", order), refund_fields(merchant, order)
    )

    assert "Choose what to refund: lines, an amount or the shipping." in (
        page_text(response)
    )
    assert not Refund.objects.exists()


def test_a_negative_refund_is_refused_by_the_form(merchant, order):
    teapot_line, _cups_line = order.lines.order_by("pk")
    data = refund_fields(merchant, order, units={teapot_line: -1}, amount="-2")

    response = merchant.post(order_url("order-refund", order), data)

    assert response.status_code == 200
    assert "Check the refund's figures." in page_text(response)
    assert not Refund.objects.exists()
