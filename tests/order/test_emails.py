"""The shopper's emails about their order: queued after commit, sent once per
event, from the templates a merchant edits in the dashboard, in plain text and
HTML."""

import pytest
from django.db import transaction
from oscar.core.loading import get_model

from order import states
from order.emails import order_event_email_send
from order.lifecycle import order_event_record, order_locked
from order.models import Order, OrderEvent
from order.services import order_transition
from tests.order.orders import customer, order_paid, products

pytestmark = pytest.mark.django_db

CommunicationEventType = get_model("communication", "CommunicationEventType")


@pytest.fixture
def shipped_order():
    [teapot] = products("20.00")
    order = order_paid((teapot, 1), user=customer("grace@example.com"))
    Order.objects.filter(pk=order.pk).update(status=states.SHIPPED)
    return order


def test_the_merchant_s_edited_template_is_what_the_shopper_gets(
    shipped_order, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SHOP_BASE_URL = "https://shop.larder.test"
    CommunicationEventType.objects.filter(code="ORDER_DELIVERED").update(
        email_subject_template="Order {{ order.number }} arrived",
        email_body_template="Enjoy it. {{ status_url }}",
        email_body_html_template="<p>Enjoy it.</p><a href='{{ status_url }}'>x</a>",
    )

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order_id=shipped_order.pk, new_status=states.DELIVERED)

    [mail] = mailoutbox
    [(html, mimetype)] = mail.alternatives
    path = f"/accounts/orders/{shipped_order.number}/"
    assert mail.to == ["grace@example.com"]
    assert mail.subject == f"Order {shipped_order.number} arrived"
    assert mail.body == f"Enjoy it. https://shop.larder.test{path}"
    assert mimetype == "text/html" and "<p>Enjoy it.</p>" in html
    assert shipped_order.communication_events.get().event_type.code == (
        "ORDER_DELIVERED"
    )


def test_a_rolled_back_change_emails_nobody(
    shipped_order, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        with pytest.raises(RuntimeError), transaction.atomic():
            order_transition(order_id=shipped_order.pk, new_status=states.DELIVERED)
            raise RuntimeError("the request failed after the move")

    assert queued == [] and mailoutbox == []
    assert Order.objects.get(pk=shipped_order.pk).status == states.SHIPPED


def test_an_event_is_emailed_once_however_often_its_task_runs(
    shipped_order, mailoutbox
):
    event = order_event_record(
        order=order_locked(shipped_order.pk),
        kind=OrderEvent.NOTE,
        message="Your parcel is at the depot",
        email_code="ORDER_DELIVERED",
    )

    sent = [order_event_email_send(event_id=event.pk) for _ in range(3)]

    assert sent == [True, False, False]
    assert len(mailoutbox) == 1


def test_events_without_an_email_code_are_never_emailed(shipped_order, mailoutbox):
    event = order_event_record(
        order=order_locked(shipped_order.pk),
        kind=OrderEvent.NOTE,
        message="Packed by Sam",
    )

    assert order_event_email_send(event_id=event.pk) is False
    assert mailoutbox == []
