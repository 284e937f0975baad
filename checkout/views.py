"""Oscar's checkout steps, with payment taken by the shop's gateway and the order
placed through payment.ordering (and so checkout.services.order_place), never by
Oscar's view mixins.

With the demo gateway the payment details page asks for a card, the preview
carries it to "Place order", which starts the payment for the server's total.
With Stripe (its keys set) the preview starts the payment and Stripe's Payment
Element confirms it in the page, then Stripe sends the shopper back to
`StripeReturnView`. With PayPal's keys set the preview also offers "Pay with
PayPal": the payment is started for the server's total and the shopper sent to
approve it on PayPal's page, which sends them back to `PayPalReturnView` (which
captures it) or `PayPalCancelView`. A payment that succeeds places the order; one
that needs the shopper's confirmation asks for it; one that fails, or whose order
can no longer be placed (refunded), shows why.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from oscar.apps.checkout import views as oscar_views
from oscar.apps.checkout.views import *  # noqa: F403 - Oscar's remaining steps

from basket.services import basket_give_back, basket_offers_apply
from checkout.forms import DemoCardForm
from checkout.pricing import PriceChanged, total_shown
from checkout.services import VoucherUnavailable, VoucherUsedUp
from partner.services import StockUnavailable
from payment.gateways import GatewayError, checkout_gateway, paypal_enabled
from payment.gateways.demo import DemoGateway
from payment.gateways.paypal import PayPalGateway
from payment.gateways.stripe_api import StripeGateway
from payment.models import Payment
from payment.ordering import PaymentRefunded, payment_order_place
from payment.selectors import SESSION_PAYMENTS_KEY
from payment.services import (
    payment_cancel,
    payment_confirm,
    payment_refresh,
    payment_start,
)


class OrderEmailQueuedMixin:
    def send_order_placed_email(self, order):
        """Queued by the order-placement service, once, whoever placed it."""


class ShippingAddressView(oscar_views.ShippingAddressView):
    """Oscar's, except that a saved address chosen to ship to must be one of the
    shopper's own in a country the shop ships to: another's, a missing one or a
    malformed id answers 404, never a server error."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated and "address_id" in request.POST:
            address_id = request.POST["address_id"]
            if not (
                address_id.isdigit()
                and self.get_available_addresses().filter(pk=address_id).exists()
            ):
                raise Http404("No such address")
        return super().post(request, *args, **kwargs)


NO_PAYMENT_METHOD = gettext_lazy(
    "This shop can't take payments yet: no payment method has been set up, so "
    "orders can't be placed. Nothing has been charged."
)


class PaymentDetailsView(OrderEmailQueuedMixin, oscar_views.PaymentDetailsView):
    """With the demo gateway, the card form; with Stripe, straight to the preview,
    where Stripe's Payment Element takes the card and confirms the payment that
    was started for the server's total, then comes back to `StripeReturnView`."""

    def get(self, request, *args, **kwargs):
        gateway = checkout_gateway()
        if gateway is None or gateway.name != "stripe":
            return super().get(request, *args, **kwargs)
        if not self.preview:
            return redirect("checkout:preview")
        return self.stripe_preview(request)

    def get_context_data(self, **kwargs):
        card_payments = checkout_gateway() is not None
        kwargs.setdefault("card_form", DemoCardForm() if card_payments else None)
        kwargs.setdefault("paypal_enabled", paypal_enabled())
        kwargs.setdefault(
            "no_payment_method", not (card_payments or kwargs["paypal_enabled"])
        )
        kwargs.setdefault("no_payment_method_message", NO_PAYMENT_METHOD)
        return super().get_context_data(**kwargs)

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and request.POST.get("action") == "paypal":
            # Posted again while PayPal waits for the shopper (the basket is
            # frozen meanwhile, so the checkout would find it empty).
            waiting = Payment.objects.filter(
                gateway="paypal",
                status=Payment.REQUIRES_ACTION,
                pk__in=request.session.get(SESSION_PAYMENTS_KEY, []),
            ).exclude(action_url="")
            if paypal_enabled() and (payment := waiting.last()) is not None:
                return redirect(payment.action_url)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.preview and request.POST.get("action") == "paypal":
            return self.handle_paypal_submission(request)
        return super().post(request, *args, **kwargs)

    def handle_payment_details_submission(self, request):
        if (refused := self.demo_card_refused(request)) is not None:
            return refused
        form = DemoCardForm(request.POST)
        if not form.is_valid():
            return self.render_payment_details(request, card_form=form)
        return self.render_preview(request, card_form=form)

    def handle_place_order_submission(self, request):
        if getattr(checkout_gateway(), "name", None) == "stripe":
            messages.error(request, _("Paying by card needs JavaScript switched on."))
            return redirect("checkout:preview")
        if (refused := self.demo_card_refused(request)) is not None:
            return refused
        form = DemoCardForm(request.POST)
        if not form.is_valid():
            return self.render_payment_details(request, card_form=form)
        try:
            payment = self.payment_begin(
                DemoGateway(), details={"card_number": form.cleaned_data["number"]}
            )
        except PriceChanged as exc:
            messages.warning(request, str(exc))
            return self.render_preview(request, card_form=form)
        except VoucherUsedUp as exc:
            voucher_used_up_tell(request, exc)
            return self.render_preview(request, card_form=form)
        except (StockUnavailable, VoucherUnavailable) as exc:
            messages.error(request, str(exc))
            return redirect("basket:summary")
        return payment_outcome(self, payment)

    def demo_card_refused(self, request):
        """A card posted for the demo gateway where it is off (production
        without SHOP_DEMO_PAYMENTS): nothing is charged or placed."""
        if checkout_gateway() is not None:
            return None
        messages.error(
            request,
            _("This shop doesn't take cards yet, so nothing was charged.")
            if paypal_enabled()
            else NO_PAYMENT_METHOD,
        )
        return redirect("checkout:payment-details")

    def handle_paypal_submission(self, request):
        """The "Pay with PayPal" button: the payment for the server's total (the
        same one if posted again), then off to PayPal for the shopper's approval."""
        if not paypal_enabled():
            raise Http404("PayPal is not set up")
        details = {
            "return_url": request.build_absolute_uri(reverse("checkout:paypal-return")),
            "cancel_url": request.build_absolute_uri(reverse("checkout:paypal-cancel")),
        }
        try:
            payment = self.payment_begin(PayPalGateway(), details=details)
        except PriceChanged as exc:
            messages.warning(request, str(exc))
            return redirect("checkout:preview")
        except VoucherUsedUp as exc:
            voucher_used_up_tell(request, exc)
            return redirect("checkout:preview")
        except (StockUnavailable, VoucherUnavailable) as exc:
            messages.error(request, str(exc))
            return redirect("basket:summary")
        except GatewayError:
            messages.error(
                request,
                _(
                    "PayPal can't be reached right now; nothing was charged. "
                    "Please try again in a moment, or pay by card."
                ),
            )
            return redirect("checkout:preview")
        session_payment_remember(request, payment)
        if payment.status == Payment.REQUIRES_ACTION and payment.action_url:
            return redirect(payment.action_url)
        return payment_outcome(self, payment)

    def stripe_preview(self, request):
        try:
            payment = self.payment_begin(StripeGateway(), details={})
        except VoucherUsedUp as exc:
            voucher_used_up_tell(request, exc)
            return redirect("checkout:preview")
        except (StockUnavailable, VoucherUnavailable) as exc:
            messages.error(request, str(exc))
            return redirect("basket:summary")
        if payment.status != Payment.CREATED:
            return payment_outcome(self, payment)
        session_payment_remember(request, payment)
        return self.render_preview(
            request,
            stripe_payment=payment,
            stripe_publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
            stripe_return_url=request.build_absolute_uri(
                reverse("checkout:stripe-return")
            ),
        )

    def payment_begin(self, gateway, *, details: dict) -> Payment:
        """Start the basket's payment with what the checkout collected. Raises
        StockUnavailable or VoucherUnavailable (ran out), and PriceChanged when
        the total is not the one the preview showed (`total_shown`)."""
        submission = self.build_submission()
        user = submission["user"]
        address = self.create_shipping_address(user, submission["shipping_address"])
        checkout = {
            "shipping_address_id": address.pk if address else None,
            "shipping_method_code": submission["shipping_method"].code,
            "guest_email": self.checkout_session.get_guest_email() or "",
            "user_id": user.pk if user.is_authenticated else None,
        }
        return payment_start(
            basket_id=submission["basket"].pk,
            gateway=gateway,
            checkout=checkout,
            details=details,
            shown_total=total_shown(self.request.POST.get("total_shown")),
        )


def voucher_used_up_tell(request, exc: VoucherUsedUp) -> None:
    """The voucher was used up by another order and taken off the basket
    (`payment_start`): the shopper is told, and the basket priced again, so the
    preview shows the full price to place the order at in one step."""
    messages.warning(
        request,
        _(
            "The voucher %(code)s has just been used up by another order, so it "
            "has been taken off your basket. The total below is the full price: "
            "place your order to pay it."
        )
        % {"code": exc.code},
    )
    basket_offers_apply(basket=request.basket, request=request)


def session_payment_remember(request, payment: Payment) -> None:
    started = request.session.get(SESSION_PAYMENTS_KEY, [])
    if payment.pk not in started:
        request.session[SESSION_PAYMENTS_KEY] = [*started, payment.pk][-10:]


def payment_outcome(view, payment: Payment):
    """Where a started or confirmed payment takes the shopper."""
    request = view.request
    if payment.status == Payment.SUCCEEDED:
        try:
            order = payment_order_place(payment_id=payment.pk)
        except PaymentRefunded as exc:
            messages.error(
                request,
                _("%(reason)s Your payment has been refunded in full.")
                % {"reason": exc},
            )
            return redirect("basket:summary")
        return view.handle_successful_order(order)
    session_payment_remember(request, payment)
    if payment.status == Payment.REQUIRES_ACTION and payment.gateway == "demo":
        return redirect("checkout:payment-confirm", pk=payment.pk)
    if payment.is_open:
        return render(request, "checkout/payment_processing.html", {"payment": payment})
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


class StripeReturnView(OrderEmailQueuedMixin, oscar_views.OrderPlacementMixin, View):
    """Where Stripe sends the shopper back after the Payment Element confirmed (or
    tried to confirm) the payment: asks Stripe how it went and places the order
    if it succeeded. The webhook may have got there first; either way there is
    one order."""

    def get(self, request, *args, **kwargs):
        payment = get_object_or_404(
            Payment,
            gateway="stripe",
            reference=request.GET.get("payment_intent", ""),
            pk__in=request.session.get(SESSION_PAYMENTS_KEY, []),
        )
        try:
            payment = payment_refresh(payment_id=payment.pk)
        except GatewayError:
            pass  # Stripe can't be asked now: the processing page asks again
        return payment_outcome(self, payment)


class PayPalReturnView(OrderEmailQueuedMixin, oscar_views.OrderPlacementMixin, View):
    """Where PayPal sends the shopper who approved the payment
    (`?token=<PayPal order id>`): captures it and places the order. The webhook
    may have got there first; either way there is one capture and one order."""

    def get(self, request, *args, **kwargs):
        payment = session_paypal_payment(request)
        try:
            payment = payment_confirm(payment_id=payment.pk, details={})
        except GatewayError:
            pass  # PayPal can't be asked now: the processing page asks again
        return payment_outcome(self, payment)


class PayPalCancelView(OrderEmailQueuedMixin, oscar_views.OrderPlacementMixin, View):
    """Where PayPal sends the shopper who turned back: the payment ends, nothing
    is charged, and the basket and its stock are let go of; back to the preview
    to pay another way."""

    def get(self, request, *args, **kwargs):
        payment = session_paypal_payment(request)
        try:
            payment = payment_cancel(
                payment_id=payment.pk, message=_("You cancelled paying with PayPal.")
            )
        except GatewayError:
            messages.error(
                request, _("PayPal can't be reached right now; please try again.")
            )
            return redirect("checkout:preview")
        if payment.status == Payment.SUCCEEDED:
            return payment_outcome(self, payment)
        messages.info(
            request, _("You cancelled paying with PayPal; nothing was charged.")
        )
        response = redirect("checkout:preview")
        basket_give_back(
            request=request, response=response, basket_id=payment.basket_id
        )
        return response


def session_paypal_payment(request) -> Payment:
    """The PayPal payment PayPal names (`token`), if this session started it."""
    return get_object_or_404(
        Payment,
        gateway="paypal",
        reference=request.GET.get("token", ""),
        pk__in=request.session.get(SESSION_PAYMENTS_KEY, []),
    )
