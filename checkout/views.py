"""Oscar's checkout steps, with payment taken by the shop's gateway and the order
placed through payment.services (and so checkout.services.order_place), never by
Oscar's view mixins.

The payment details page asks for a card (the demo gateway's test cards for now),
the preview carries it to "Place order", which starts the payment for the
server's total. A payment that succeeds places the order; one that needs the
shopper's confirmation sends them to confirm it first; one that fails shows why.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from oscar.apps.checkout import views as oscar_views
from oscar.apps.checkout.views import *  # noqa: F403 - Oscar's remaining steps

from checkout.forms import DemoCardForm
from checkout.services import VoucherUnavailable
from partner.services import StockUnavailable
from payment.gateways.demo import DemoGateway
from payment.models import Payment
from payment.services import payment_confirm, payment_order_place, payment_start

# The payments this shopper's session started, which only it may confirm.
SESSION_PAYMENTS_KEY = "checkout_payment_ids"


class OrderEmailQueuedMixin:
    def send_order_placed_email(self, order):
        """Queued by the order-placement service, once, whoever placed it."""


class PaymentDetailsView(OrderEmailQueuedMixin, oscar_views.PaymentDetailsView):
    def get_context_data(self, **kwargs):
        kwargs.setdefault("card_form", DemoCardForm())
        return super().get_context_data(**kwargs)

    def handle_payment_details_submission(self, request):
        form = DemoCardForm(request.POST)
        if not form.is_valid():
            return self.render_payment_details(request, card_form=form)
        return self.render_preview(request, card_form=form)

    def handle_place_order_submission(self, request):
        form = DemoCardForm(request.POST)
        if not form.is_valid():
            return self.render_payment_details(request, card_form=form)
        submission = self.build_submission()
        basket, user = submission["basket"], submission["user"]
        address = self.create_shipping_address(user, submission["shipping_address"])
        checkout = {
            "shipping_address_id": address.pk if address else None,
            "shipping_method_code": submission["shipping_method"].code,
            "guest_email": self.checkout_session.get_guest_email() or "",
            "user_id": user.pk if user.is_authenticated else None,
        }
        try:
            payment = payment_start(
                basket_id=basket.pk,
                gateway=DemoGateway(),
                checkout=checkout,
                details={"card_number": form.cleaned_data["number"]},
            )
        except (StockUnavailable, VoucherUnavailable) as exc:
            messages.error(request, str(exc))
            return redirect("basket:summary")
        return payment_outcome(self, payment)


def payment_outcome(view, payment: Payment):
    """Where a started or confirmed payment takes the shopper."""
    request = view.request
    if payment.status == Payment.SUCCEEDED:
        return view.handle_successful_order(payment_order_place(payment_id=payment.pk))
    if payment.status == Payment.REQUIRES_ACTION:
        started = request.session.get(SESSION_PAYMENTS_KEY, [])
        request.session[SESSION_PAYMENTS_KEY] = [*started, payment.pk][-10:]
        return redirect("checkout:payment-confirm", pk=payment.pk)
    failed = _("The payment did not go through; nothing was charged.")
    messages.error(request, payment.message or failed)
    return redirect("checkout:payment-details")


class PaymentConfirmView(
    OrderEmailQueuedMixin, oscar_views.OrderPlacementMixin, TemplateView
):
    """The extra step a card asked for (the demo gateway's stand-in for 3-D
    Secure): the shopper approves or cancels the payment."""

    template_name = "checkout/payment_confirm.html"

    def get_payment(self) -> Payment:
        if self.kwargs["pk"] not in self.request.session.get(SESSION_PAYMENTS_KEY, []):
            raise Http404("No such payment")
        return get_object_or_404(Payment, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(payment=self.get_payment(), **kwargs)

    def post(self, request, *args, **kwargs):
        payment = payment_confirm(
            payment_id=self.get_payment().pk,
            details={"approved": request.POST.get("action") == "approve"},
        )
        return payment_outcome(self, payment)
