"""Placing an order: the one path the web checkout (and later the API and the
payment webhooks) takes. Views and tasks gather the shopper's choices and call
`order_place`; nothing else writes orders."""

import logging
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from basket.models import Basket
from checkout import tasks
from checkout.pricing import checkout_price
from offer.audiences import ShopperFacts, offer_audience_refusal
from offer.models import ConditionalOffer
from order.emails import merchant_notify
from order.models import Order
from order.selectors import order_status_path
from order.utils import OrderCreator
from partner.services import StockLine, stock_allocate
from personalisation.selectors import basket_complements_cards
from shop.links import shop_url

logger = logging.getLogger(__name__)

OrderDispatcher = get_class("order.utils", "OrderDispatcher")
CommunicationEventType = get_model("communication", "CommunicationEventType")


class BasketNotOrderable(Exception):
    """The basket can't become an order (empty, or merged into another)."""


class VoucherUnavailable(Exception):
    """A voucher in the basket can't be used any more; nothing was written."""


class VoucherUsedUp(VoucherUnavailable):
    """A voucher in the basket has been used as often as its rule allows (single
    use, once per customer, its number of uses) by orders placed since it was
    entered: it will never apply to this basket again."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code


def basket_vouchers_lock(*, basket: Basket, user=None) -> list:
    """The basket's vouchers, locked in id order until the transaction ends, each
    checked against its usage rule (single use, once per customer) as the orders
    placed so far have it. Raises VoucherUsedUp."""
    user = user if user is not None else AnonymousUser()
    vouchers = list(basket.vouchers.select_for_update().order_by("pk"))
    for voucher in vouchers:
        available, message = voucher.is_available_to_user(user=user)
        if not available:
            raise VoucherUsedUp(voucher.code, message)
    return vouchers


class OfferUnavailable(VoucherUnavailable):
    """An offer in the basket reached its limit (uses overall or per customer,
    or its discount budget) since the basket was priced; nothing was written.
    Caught wherever a used-up voucher is."""


def basket_offers_lock(*, basket: Basket, user=None) -> None:
    """Lock the offers applied to the priced `basket` in id order until the
    transaction ends, and check each against its limits as the orders placed so
    far have them: concurrent checkouts of a limited offer queue here, and only
    as many as the limit allows get it (OfferUnavailable for the rest), and
    each is asked again whether it is open to this shopper. The
    applied offers take the locked counters, so the usage the order records
    adds to the latest figures rather than to a stale copy."""
    applications = list(basket.offer_applications)
    if not applications:
        return
    customer = user if user is not None and user.is_authenticated else None
    ids = sorted(application["offer"].pk for application in applications)
    locked = {
        offer.pk: offer
        for offer in ConditionalOffer.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
    }
    facts = ShopperFacts(customer)
    for application in applications:
        offer = application["offer"]
        latest = locked[offer.pk]
        for counter in ("num_applications", "total_discount", "num_orders", "status"):
            setattr(offer, counter, getattr(latest, counter))
        if not latest.is_available() or (
            latest.get_max_applications(customer) < application["freq"]
        ):
            raise OfferUnavailable(
                _("The offer “%(name)s” has run out.") % {"name": offer.name}
            )
        # Asked again under the lock: a first-order offer in two concurrent
        # checkouts of one customer goes to the one that locks it first.
        refusal = offer_audience_refusal(offer=latest, facts=facts)
        if refusal:
            raise OfferUnavailable(
                _("The offer “%(name)s” can't be used: %(reason)s.")
                % {"name": offer.name, "reason": refusal}
            )


def order_place(  # noqa: PLR0913 - the checkout's choices, by name
    *,
    basket: Basket,
    shipping_method,
    shipping_address=None,
    billing_address=None,
    user=None,
    guest_email: str = "",
    request=None,
) -> Order:
    """The order for this basket, placed once however often it is asked for.

    In one transaction: the basket row is locked, so a double submission or a
    refresh waits and then gets the order the first one placed; prices, offers,
    shipping and the total are worked out here from the basket as the server
    holds it (its `strategy` set by the caller), never from anything the shopper
    sent; stock is allocated under row locks with availability checked in the
    same step (partner.services.StockUnavailable when it is short, and nothing is
    written), and the basket's vouchers are locked and checked the same way
    (VoucherUnavailable once used up); then Oscar's OrderCreator writes the
    order and the basket is submitted. The confirmation email is queued once,
    after commit.
    """
    user = user if user is not None else AnonymousUser()
    with transaction.atomic():
        status = (
            Basket.objects.select_for_update().values_list("status", flat=True)
        ).get(pk=basket.pk)
        if status == Basket.SUBMITTED:
            return Order.objects.get(basket_id=basket.pk)
        if status not in (Basket.OPEN, Basket.FROZEN) or basket.is_empty:
            raise BasketNotOrderable(f"Basket {basket.pk} is {status}, or empty")
        basket_vouchers_lock(basket=basket, user=user)
        # Priced afresh inside the lock: the lines as they are now, today's offers.
        price = checkout_price(
            basket=basket, shipping_method=shipping_method, user=user, request=request
        )
        basket_offers_lock(basket=basket, user=user)
        lines = basket.all_lines()
        stock_allocate(
            basket_id=basket.pk,
            lines=[StockLine(line.stockrecord_id, line.quantity) for line in lines],
        )
        order = OrderCreator().place_order(
            basket=basket,
            total=price.total,
            shipping_method=shipping_method,
            shipping_charge=price.shipping_charge,
            user=user,
            shipping_address=shipping_address,
            billing_address=billing_address,
            request=request,
            guest_email=guest_email,
        )
        basket.submit()
        transaction.on_commit(
            lambda: tasks.order_placed_email_task.delay(order_id=order.pk)
        )
    return order


def order_placed_emails_unsent(
    *,
    older_than: timedelta = timedelta(minutes=10),
    within: timedelta = timedelta(days=2),
) -> list[int]:
    """Orders placed a while ago (not in the last `older_than`, so their own
    email task has had its chance) whose confirmation never went: a worker
    that died between the order's commit and queueing the email. Queues the
    email again for each; returns their ids."""
    now = timezone.now()
    ids = list(
        Order.objects.filter(
            date_placed__lt=now - older_than, date_placed__gte=now - within
        )
        .exclude(
            communication_events__event_type__code=(
                OrderDispatcher.ORDER_PLACED_EVENT_CODE
            )
        )
        .values_list("pk", flat=True)
    )
    for order_id in ids:
        logger.warning("Order %s had no confirmation email; sending it now", order_id)
        tasks.order_placed_email_task.delay(order_id=order_id)
    return ids


def order_placed_email_send(*, order_id: int) -> bool:
    """Send the order confirmation (Oscar's ORDER_PLACED templates, which a
    merchant edits in the dashboard) to the customer or the guest's address, with
    a link to the order (signed for a guest). An order already confirmed is not
    confirmed again; returns whether an email went out."""
    order = Order.objects.select_related("user").get(pk=order_id)
    code = OrderDispatcher.ORDER_PLACED_EVENT_CODE
    # With its type in the database, Oscar records each sending as an event of
    # the order, which tells a repeated task that the email already went.
    CommunicationEventType.objects.get_or_create(
        code=code,
        defaults={
            "name": "Order placed",
            "category": CommunicationEventType.ORDER_RELATED,
        },
    )
    if order.communication_events.filter(event_type__code=code).exists():
        return False
    path = order_status_path(order)
    lines = order.lines.select_related("product")
    context = {
        "user": order.user,
        "order": order,
        "lines": lines,
        "status_path": path,
        "status_url": shop_url(path),
        # "You might also like": what goes with what was ordered.
        "recommended": [
            {"title": card.title, "url": shop_url(card.url)}
            for card in basket_complements_cards(
                products=[line.product for line in lines if line.product_id],
                user=order.user,
                limit=3,
            )
        ],
    }
    OrderDispatcher(logger=logger).send_order_placed_email_for_user(order, context)
    merchant_notify(code="MERCHANT_NEW_ORDER", order=order)
    return True
