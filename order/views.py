"""The shopper's side of an order: the guest's order page behind its signed link,
and what a shopper may do on their order page (cancel it while it is not being
processed yet, ask to return what arrived).

The order pages themselves are Oscar's customer views (OrderHistoryView,
OrderDetailView, AnonymousOrderDetailView) with our templates; these views add
what Oscar's lack. Each action finds the order the way its page does, so another
customer's order, a guessed number or a wrong signature answers 404 for the
page and its actions alike: the signed-in customer's own order by number, or a
guest order whose link carries its verification hash, with the guest's email
confirmed in the session as Oscar asks before showing the page.
"""

import logging

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from oscar.core.loading import get_class

from order.forms import ReturnRequestForm
from order.lifecycle import OrderNotCancellable
from order.models import Order
from order.refunds import RefundFailed, refunded_total
from order.returns import ReturnRefused, return_request_create
from order.selectors import order_status_path, returnable_quantities
from order.services import order_cancel

logger = logging.getLogger(__name__)

OscarOrderDetailView = get_class("customer.views", "OrderDetailView")
OscarAnonymousOrderDetailView = get_class("customer.views", "AnonymousOrderDetailView")
OscarAnonymousOrderFormView = get_class("customer.views", "AnonymousOrderFormView")


# --- The guest's signed link ----------------------------------------------------


class SignedLinkMixin:
    """Oscar shows its "confirm your email" form for any number and hash, which
    tells nothing but looks like an order might be there; a link that is not
    an order's signed link answers 404 before anything else."""

    def dispatch(self, request, *args, **kwargs):
        order = Order.objects.filter(user=None, number=kwargs["order_number"]).first()
        if order is None or not order.check_verification_hash(kwargs["hash"]):
            logger.warning(
                "Guest order link refused: number %r, bad signature or no such order",
                kwargs["order_number"],
            )
            raise Http404("No such order")
        return super().dispatch(request, *args, **kwargs)


class GuestOrderFormView(SignedLinkMixin, OscarAnonymousOrderFormView):
    """The guest confirms the order's email address before seeing the order."""


class GuestOrderDetailView(SignedLinkMixin, OscarAnonymousOrderDetailView):
    """The guest's order page: the signed link, then (Oscar's check) the order's
    email address confirmed in this session, else the form asking for it."""


# --- Actions --------------------------------------------------------------------


class OrderCancelMixin:
    """Cancel the order while it is not being processed yet
    (order.states.SHOPPER_CANCELLABLE): stock goes back, the payment is refunded
    (or voided) and the shopper emailed, by order.services.order_cancel."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        order = self.get_object()
        user = request.user if request.user.is_authenticated else None
        try:
            order = order_cancel(order_id=order.pk, user=user, by_shopper=True)
        except OrderNotCancellable:
            logger.warning(
                "Shopper cancel refused: order %s is %s", order.number, order.status
            )
            messages.error(
                request,
                _(
                    "Order %(number)s is already being prepared, so it can no "
                    "longer be cancelled here. Please contact us if you need to "
                    "change it."
                )
                % {"number": order.number},
            )
        except RefundFailed:
            messages.error(
                request,
                _(
                    "We couldn't refund your payment just now, so order %(number)s "
                    "has not been cancelled. Please try again in a few minutes."
                )
                % {"number": order.number},
            )
        else:
            messages.success(request, _cancelled_message(order))
        return redirect(order_status_path(order))


def _cancelled_message(order: Order) -> str:
    refunded = refunded_total(order)
    if refunded > 0:
        return _(
            "Order %(number)s has been cancelled. %(amount)s %(currency)s is on its "
            "way back to the card or account you paid with."
        ) % {"number": order.number, "amount": refunded, "currency": order.currency}
    return _("Order %(number)s has been cancelled. No payment was taken for it.") % {
        "number": order.number
    }


class ReturnRequestMixin:
    """Ask to return some of the order's lines (order.returns decides what may
    be returned). A refused request shows the order page again with the form,
    what was entered and why it was refused; nothing is changed."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = order = self.get_object()
        form = ReturnRequestForm(
            request.POST,
            lines=list(order.lines.all()),
            returnable=returnable_quantities(order),
        )
        if form.is_valid():
            try:
                return_request = return_request_create(
                    order_id=order.pk,
                    lines=form.line_requests(),
                    reason=form.cleaned_data["note"],
                    user=request.user if request.user.is_authenticated else None,
                )
            except ReturnRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: we have your return request %(number)s and will "
                        "email you once we have looked at it."
                    )
                    % {"number": return_request.number},
                )
                return redirect(order_status_path(order))
        else:
            logger.warning(
                "Return request on order %s not valid: %s",
                order.number,
                form.errors.as_json(),
            )
        return self.render_to_response(self.get_context_data(return_form=form))


class AccountOrderCancelView(OrderCancelMixin, OscarOrderDetailView):
    pass


class AccountReturnRequestView(ReturnRequestMixin, OscarOrderDetailView):
    pass


class GuestOrderCancelView(OrderCancelMixin, GuestOrderDetailView):
    pass


class GuestReturnRequestView(ReturnRequestMixin, GuestOrderDetailView):
    pass
