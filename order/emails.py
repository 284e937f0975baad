"""Emails to the shopper about their order's life: one for each event of its
timeline that carries an email code (shipped, delivered, cancelled, a return's
steps, a refund). Sent by a task queued after commit, once per event however
often the task runs, from Oscar's communication templates, which a merchant
edits in the dashboard (Content > Email templates): a plain-text and an HTML
part, files under templates/oscar/communication/emails/ until edited."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from order import tasks
from order.models import OrderEvent
from order.selectors import order_status_path
from shop.links import shop_url

logger = logging.getLogger(__name__)

OrderDispatcher = get_class("order.utils", "OrderDispatcher")
CommunicationEventType = get_model("communication", "CommunicationEventType")

#: Names shown in the dashboard's list of email templates.
EMAIL_NAMES = {
    "ORDER_PARTIALLY_SHIPPED": "Order partly shipped",
    "ORDER_SHIPPED": "Order shipped",
    "ORDER_DELIVERED": "Order delivered",
    "ORDER_CANCELLED": "Order cancelled",
    "ORDER_REFUNDED": "Order refunded",
    "REFUND_ISSUED": "Refund issued",
    "RETURN_REQUESTED": "Return requested",
    "RETURN_APPROVED": "Return approved",
    "RETURN_REJECTED": "Return rejected",
    "RETURN_RECEIVED": "Return received",
}
#: The shop's own emails, to the merchant.
MERCHANT_EMAIL_NAMES = {
    "MERCHANT_NEW_ORDER": "New order (to the shop)",
    "MERCHANT_RETURN_REQUESTED": "Return requested (to the shop)",
}


def order_event_email_queue(*, event_id: int) -> None:
    """Email the shopper about this event once the transaction that wrote it
    commits (a rolled-back change emails nobody)."""
    transaction.on_commit(lambda: tasks.order_event_email_task.delay(event_id=event_id))


def order_event_email_send(*, event_id: int) -> bool:
    """Send the event's email to the customer or the guest's address, with a
    link to the order (signed for a guest). An event already emailed is not
    emailed again; returns whether an email went out."""
    with transaction.atomic():
        event = (
            OrderEvent.objects.select_for_update(of=("self",))
            .select_related("order__user")
            .get(pk=event_id)
        )
        if event.emailed_at is not None or not event.email_code:
            return False
        code = event.email_code
        # With its type in the database, the merchant finds the template in the
        # dashboard and Oscar records each sending with the order.
        CommunicationEventType.objects.get_or_create(
            code=code,
            defaults={
                "name": EMAIL_NAMES.get(code, code.replace("_", " ").capitalize()),
                "category": CommunicationEventType.ORDER_RELATED,
            },
        )
        order = event.order
        path = order_status_path(order)
        context = {
            "order": order,
            "user": order.user,
            "event": event,
            "data": event.data,
            "shipments": list(order.shipments.prefetch_related("lines__line")),
            "status_path": path,
            "status_url": shop_url(path),
        }
        messages = CommunicationEventType.objects.get_and_render(code, context)
        OrderDispatcher(logger=logger).dispatch_order_messages(order, messages, code)
        event.emailed_at = timezone.now()
        event.save(update_fields=["emailed_at"])
        if code == "RETURN_REQUESTED":
            merchant_notify(
                code="MERCHANT_RETURN_REQUESTED", order=order, data=event.data
            )
    return True


def merchant_recipients() -> list[str]:
    """Who hears of new orders and return requests: SHOP_MERCHANT_EMAILS, or
    else the active staff who may change orders."""
    if settings.SHOP_MERCHANT_EMAILS:
        return list(settings.SHOP_MERCHANT_EMAILS)
    staff = get_user_model().objects.filter(is_active=True, is_staff=True)
    return sorted(
        user.email
        for user in staff.exclude(email="")
        if user.has_perm("order.change_order")
    )


def merchant_notify(*, code: str, order, data: dict | None = None) -> bool:
    """Tell the merchant about an order (a new one, a return asked for), with
    a link to it in the dashboard; returns whether anyone was emailed. Called
    where the shopper's own email about it is sent, once."""
    recipients = merchant_recipients()
    if not recipients:
        return False
    path = reverse("dashboard:order-detail", kwargs={"number": order.number})
    messages = CommunicationEventType.objects.get_and_render(
        code,
        {"order": order, "data": data or {}, "dashboard_url": shop_url(path)},
    )
    email = EmailMultiAlternatives(
        subject=messages["subject"], body=messages["body"], to=recipients
    )
    if messages["html"]:
        email.attach_alternative(messages["html"], "text/html")
    email.send()
    return True
